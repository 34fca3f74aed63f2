//! Value frequencies, looked up once per record when it is prepared.

use hashbrown::HashMap;

/// A field's value frequency table, ready for look-ups at preparation.
#[derive(Debug, Clone, Default)]
pub(crate) struct FrequencyLookup {
    counts: HashMap<Box<str>, u64>,
    total: u64,
}

impl FrequencyLookup {
    /// A table of `counts` (value, records holding it) out of `total` records.
    pub(crate) fn new<'a>(counts: impl IntoIterator<Item = (&'a str, u64)>, total: u64) -> Self {
        FrequencyLookup { counts: counts.into_iter().map(|(k, v)| (k.into(), v)).collect(), total }
    }

    /// The share of records holding `value` (an unknown value counts once).
    pub(super) fn frequency(&self, value: &str) -> f32 {
        if self.total == 0 || value.is_empty() {
            return 0.0;
        }
        (self.counts.get(value).copied().unwrap_or(1).max(1) as f64 / self.total as f64) as f32
    }
}
