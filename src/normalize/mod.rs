//! Normalizers (in progress).
