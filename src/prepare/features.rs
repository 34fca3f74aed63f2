//! What a field's prepared values must carry besides the normalized text.
//!
//! Comparison levels, blocking keys and merge-policy rules say which derived
//! features of a field they read (its parsed date, its tokens, a phonetic
//! code…) while they are compiled; preparation then computes exactly those,
//! once per record.

use crate::phonetic::PhoneticAlgorithm;

/// The derived features one field's prepared values hold.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct FieldFeatures {
    /// The value parsed as an ISO date.
    pub(crate) date: bool,
    /// The value parsed as a number.
    pub(crate) number: bool,
    /// The sorted, deduplicated ids of the value's tokens.
    pub(crate) tokens: bool,
    /// The nickname groups of the whole value.
    pub(crate) nicknames: bool,
    /// The value's frequency, when the model has the field's frequency table.
    pub(crate) term_frequency: bool,
    /// The hash of the value's consonant skeleton, and whether the raw value
    /// was written in an abjad (Arabic or Hebrew script).
    pub(crate) skeleton: bool,
    /// Phonetic codes, one per algorithm, in slot order.
    pub(crate) phonetic: Vec<PhoneticAlgorithm>,
}

impl FieldFeatures {
    /// The slot of `algo` in this field's phonetic code list, adding it if new.
    pub(crate) fn phonetic_slot(&mut self, algo: PhoneticAlgorithm) -> usize {
        match self.phonetic.iter().position(|&a| a == algo) {
            Some(i) => i,
            None => {
                self.phonetic.push(algo);
                self.phonetic.len() - 1
            }
        }
    }
}
