//! Phonetic encoders (in progress).
