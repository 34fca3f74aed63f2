//! [`SynthData`]: the generated records, their ground truth and CSV output.

use hashbrown::HashMap;

use crate::record::{Record, Schema};

/// Generated records with their ground truth. Needs the `synth` feature.
///
/// ```
/// use personlink::synth::{generate, SynthConfig};
///
/// let data = generate(&SynthConfig::hard(4, 400));
/// for &(a, b) in &data.relative_pairs() {
///     assert!(data.are_relatives(a, b));
///     assert_eq!(data.household[a], data.household[b]);
///     assert_ne!(data.truth[a], data.truth[b]);
/// }
/// let relatives = data.relative_pairs().len() as u64;
/// assert_eq!(data.true_household_pairs(), data.true_pairs() + relatives);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct SynthData {
    /// The schema of the records: the person profile's ([`crate::profile::person`]).
    pub schema: Schema,
    /// The records, shuffled; every [`crate::SourceRef`] is unique.
    pub records: Vec<Record>,
    /// `truth[i]` is the person id of `records[i]`; person ids are
    /// `0..people` and every person has at least one record.
    pub truth: Vec<u64>,
    /// `household[i]` is the household of `records[i]`'s person: the
    /// smallest person id among its members, so a person living alone is
    /// their own household. The easy preset's relatives share their anchor's
    /// household; its namesakes live alone.
    pub household: Vec<u64>,
    /// `life_events[i]` is the number of kinds of life event (move, surname
    /// change, new email, new phone) by which `records[i]`'s person differs
    /// from their original record: 0 for originals and for duplicates that
    /// follow none, at most 4 (a second move counts once). Moves and new
    /// emails of the corruption noise count too.
    pub life_events: Vec<u8>,
}

impl SynthData {
    /// Number of records.
    pub fn len(&self) -> usize {
        self.records.len()
    }

    /// True when there is no record.
    pub fn is_empty(&self) -> bool {
        self.records.is_empty()
    }

    /// Number of record pairs that belong to the same person: the sum over
    /// persons of `k (k - 1) / 2` for a person with `k` records.
    pub fn true_pairs(&self) -> u64 {
        pairs_within(&self.truth)
    }

    /// Number of record pairs that belong to the same household, whether of
    /// one person or of two relatives: the sum over households of
    /// `k (k - 1) / 2` for a household with `k` records. Minus
    /// [`SynthData::true_pairs`], it counts the pairs of relatives.
    pub fn true_household_pairs(&self) -> u64 {
        pairs_within(&self.household)
    }

    /// True when records `a` and `b` belong to different persons of one
    /// household (relatives, a couple, housemates). False for indexes out of
    /// range.
    pub fn are_relatives(&self, a: usize, b: usize) -> bool {
        match (self.household.get(a), self.household.get(b)) {
            (Some(ha), Some(hb)) => ha == hb && self.truth[a] != self.truth[b],
            _ => false,
        }
    }

    /// Every pair `(a, b)`, `a < b`, of record indexes that
    /// [`SynthData::are_relatives`], sorted: the pairs a resolver must not
    /// merge although they share a home. Linear in the number of records
    /// plus the number of pairs (households are small).
    pub fn relative_pairs(&self) -> Vec<(usize, usize)> {
        let mut by_household: HashMap<u64, Vec<usize>> = HashMap::new();
        for (i, &h) in self.household.iter().enumerate() {
            by_household.entry(h).or_default().push(i);
        }
        let mut pairs = Vec::new();
        for records in by_household.values() {
            for (k, &a) in records.iter().enumerate() {
                for &b in &records[k + 1..] {
                    if self.truth[a] != self.truth[b] {
                        pairs.push((a.min(b), a.max(b)));
                    }
                }
            }
        }
        pairs.sort_unstable();
        pairs
    }

    /// The records as CSV: a header `rec_id,<schema fields>,cluster,household,life_events`,
    /// then one row per record with `rec_id` = `<system>-<id>`, the raw
    /// values (empty when missing; quoted when they hold `,`, `"` or a line
    /// break), the person id ([`SynthData::truth`]), the household id
    /// ([`SynthData::household`]) and the number of life events
    /// ([`SynthData::life_events`]).
    pub fn to_csv(&self) -> String {
        use std::fmt::Write;
        let mut out = String::with_capacity(64 + self.records.len() * 210);
        out.push_str("rec_id");
        for f in self.schema.fields() {
            out.push(',');
            push_csv(&mut out, &f.name);
        }
        out.push_str(",cluster,household,life_events\n");
        let mut rec_id = String::new();
        for (i, rec) in self.records.iter().enumerate() {
            rec_id.clear();
            let src = rec.source();
            let _ = write!(rec_id, "{}-{}", src.system, src.id);
            push_csv(&mut out, &rec_id);
            for v in rec.values() {
                out.push(',');
                if let Some(v) = v {
                    push_csv(&mut out, v);
                }
            }
            let household = self.household.get(i).copied().unwrap_or(self.truth[i]);
            let events = self.life_events.get(i).copied().unwrap_or(0);
            let _ = writeln!(out, ",{},{household},{events}", self.truth[i]);
        }
        out
    }
}

/// The number of pairs of equal ids: the sum of `k (k - 1) / 2` over ids
/// occurring `k` times.
fn pairs_within(ids: &[u64]) -> u64 {
    let mut counts: HashMap<u64, u64> = HashMap::new();
    for &t in ids {
        *counts.entry(t).or_insert(0) += 1;
    }
    counts.values().map(|&k| k * (k - 1) / 2).sum()
}

/// Appends `s` as one CSV field.
fn push_csv(out: &mut String, s: &str) {
    if s.bytes().any(|b| matches!(b, b',' | b'"' | b'\n' | b'\r')) {
        out.push('"');
        for c in s.chars() {
            if c == '"' {
                out.push('"');
            }
            out.push(c);
        }
        out.push('"');
    } else {
        out.push_str(s);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_quotes_when_needed() {
        let mut s = String::new();
        push_csv(&mut s, "a,b");
        push_csv(&mut s, "say \"hi\"");
        push_csv(&mut s, "plain");
        assert_eq!(s, "\"a,b\"\"say \"\"hi\"\"\"plain");
    }

    #[test]
    fn pair_counts() {
        assert_eq!(pairs_within(&[1, 1, 1, 2, 2, 3]), 4);
        assert_eq!(pairs_within(&[]), 0);
    }
}
