//! Value frequencies, looked up once per record when it is prepared.

use hashbrown::HashMap;

use crate::keyed::{parse_keyed_entry, FrequencyKey};

/// A field's value frequency table, ready for look-ups at preparation.
#[derive(Debug, Clone, Default)]
pub(crate) struct FrequencyLookup {
    counts: Counts,
    total: u64,
}

/// The counts by value: clear values, or keyed hashes of values.
#[derive(Debug, Clone)]
enum Counts {
    /// Records per normalized value.
    Clear(HashMap<Box<str>, u64>),
    /// Records per keyed hash of a normalized value in `field`'s table.
    Keyed { key: FrequencyKey, field: Box<str>, counts: HashMap<u64, u64> },
}

impl Default for Counts {
    fn default() -> Self {
        Counts::Clear(HashMap::new())
    }
}

impl FrequencyLookup {
    /// A table of `counts` (value, records holding it) out of `total` records.
    pub(crate) fn new<'a>(counts: impl IntoIterator<Item = (&'a str, u64)>, total: u64) -> Self {
        let counts = counts.into_iter().map(|(k, v)| (k.into(), v)).collect();
        FrequencyLookup { counts: Counts::Clear(counts), total }
    }

    /// The look-up of `field`'s table of `counts` (entry, records) out of
    /// `total`: keyed when `key` is given (the table of a model validated with
    /// that key: entries that are not keyed hashes are left out).
    pub(crate) fn of<'a>(
        field: &str,
        counts: impl IntoIterator<Item = (&'a str, u64)>,
        total: u64,
        key: Option<&FrequencyKey>,
    ) -> Self {
        match key {
            None => FrequencyLookup::new(counts, total),
            Some(key) => FrequencyLookup {
                counts: Counts::Keyed {
                    key: key.clone(),
                    field: field.into(),
                    counts: counts
                        .into_iter()
                        .filter_map(|(k, v)| Some((parse_keyed_entry(k)?, v)))
                        .collect(),
                },
                total,
            },
        }
    }

    /// The records holding `value` in the table, if it is there.
    fn count(&self, value: &str) -> Option<u64> {
        match &self.counts {
            Counts::Clear(counts) => counts.get(value).copied(),
            Counts::Keyed { key, field, counts } => counts.get(&key.hash(field, value)).copied(),
        }
    }

    /// True when `value` has an entry of its own in the table.
    pub(crate) fn contains(&self, value: &str) -> bool {
        self.count(value).is_some()
    }

    /// Forgets `value`: from now on it counts as a value absent from the
    /// table (once). Returns whether it was there.
    pub(crate) fn forget(&mut self, value: &str) -> bool {
        match &mut self.counts {
            Counts::Clear(counts) => counts.remove(value).is_some(),
            Counts::Keyed { key, field, counts } => {
                counts.remove(&key.hash(field, value)).is_some()
            }
        }
    }

    /// The share of records holding `value` (an unknown value counts once).
    pub(super) fn frequency(&self, value: &str) -> f32 {
        if self.total == 0 || value.is_empty() {
            return 0.0;
        }
        (self.count(value).unwrap_or(1).max(1) as f64 / self.total as f64) as f32
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keyed_and_clear_look_ups_agree_and_forget() {
        let table = [("martin", 4), ("kervadec", 2)];
        let key = FrequencyKey::new([3; 16]);
        let entries: Vec<(String, u64)> =
            table.iter().map(|&(v, c)| (key.entry("surname", v), c)).collect();
        let clear = FrequencyLookup::of("surname", table, 10, None);
        let keyed_entries = entries.iter().map(|(e, c)| (e.as_str(), *c));
        let mut keyed = FrequencyLookup::of("surname", keyed_entries, 10, Some(&key));
        for value in ["martin", "kervadec", "durand", ""] {
            assert_eq!(clear.frequency(value).to_bits(), keyed.frequency(value).to_bits());
        }
        assert_eq!(keyed.frequency("martin"), 0.4);
        assert!(keyed.contains("kervadec") && keyed.forget("kervadec"));
        assert!(!keyed.contains("kervadec") && !keyed.forget("kervadec"));
        assert_eq!(keyed.frequency("kervadec"), 0.1, "a forgotten value counts once");
    }
}
