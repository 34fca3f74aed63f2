//! Value frequencies, looked up once per record when it is prepared.

use hashbrown::HashMap;

use crate::model::{parse_keyed_entry, FrequencyKey, TermFrequencies};

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

    /// The look-up of a model's `table`: keyed when `key` is given (the table
    /// of a model validated with that key: entries that are not keyed hashes
    /// are left out).
    pub(crate) fn of(table: &TermFrequencies, key: Option<&FrequencyKey>) -> Self {
        let counts = table.counts.iter();
        match key {
            None => FrequencyLookup::new(counts.map(|(k, &v)| (k.as_str(), v)), table.total),
            Some(key) => FrequencyLookup {
                counts: Counts::Keyed {
                    key: key.clone(),
                    field: table.field.as_str().into(),
                    counts: counts.filter_map(|(k, &v)| Some((parse_keyed_entry(k)?, v))).collect(),
                },
                total: table.total,
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
        let table = TermFrequencies::new("surname", 10, [("martin", 4), ("kervadec", 2)]);
        let key = FrequencyKey::new([3; 16]);
        let mut model = crate::model::Model::neutral(&[], 0.5);
        model.term_frequencies.push(table.clone());
        let keyed_model = model.with_frequency_key(key.clone()).unwrap();
        let clear = FrequencyLookup::of(&table, None);
        let mut keyed = FrequencyLookup::of(&keyed_model.term_frequencies[0], Some(&key));
        for value in ["martin", "kervadec", "durand", ""] {
            assert_eq!(clear.frequency(value).to_bits(), keyed.frequency(value).to_bits());
        }
        assert_eq!(keyed.frequency("martin"), 0.4);
        assert!(keyed.contains("kervadec") && keyed.forget("kervadec"));
        assert!(!keyed.contains("kervadec") && !keyed.forget("kervadec"));
        assert_eq!(keyed.frequency("kervadec"), 0.1, "a forgotten value counts once");
    }
}
