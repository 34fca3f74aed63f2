//! Prepared records: every normalized value and derived feature, computed once.
//!
//! When records enter a run they are normalized field by field, capped in
//! length, and their comparison features (parsed dates, numbers, token ids,
//! nickname groups, phonetic codes) and blocking keys are computed. The
//! result is stored column by column (one text arena per field), so the pair
//! loop reads contiguous memory and allocates nothing.

use smallvec::SmallVec;

use crate::compare::{FieldFeatures, NicknameTable};
use crate::normalize::Pipeline;
use crate::phonetic::PhoneticEncoder;
use crate::record::Record;

/// Raw values longer than this many bytes are cut (at a character boundary)
/// before normalization, so a 1 MB field costs no more than a normal one.
pub const MAX_RAW_LEN: usize = 4096;

/// A calendar date with its day number, as parsed from a normalized ISO value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateValue {
    /// Year.
    pub year: i32,
    /// Month, 1-12.
    pub month: u8,
    /// Day of month, 1-31.
    pub day: u8,
    /// Days since 1970-01-01.
    pub days: i32,
}

impl DateValue {
    /// Parses `YYYY-MM-DD`; `None` for anything else or an impossible date.
    pub fn parse_iso(s: &str) -> Option<Self> {
        let b = s.as_bytes();
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return None;
        }
        let num = |r: std::ops::Range<usize>| -> Option<i32> {
            let mut v = 0i32;
            for &c in &b[r] {
                if !c.is_ascii_digit() {
                    return None;
                }
                v = v * 10 + i32::from(c - b'0');
            }
            Some(v)
        };
        let (year, month, day) = (num(0..4)?, num(5..7)?, num(8..10)?);
        if !(1..=12).contains(&month) || day < 1 || day > days_in_month(year, month) {
            return None;
        }
        Some(DateValue {
            year,
            month: month as u8,
            day: day as u8,
            days: days_from_civil(year, month, day),
        })
    }

    /// True when the two dates differ by exactly one digit of their ISO text,
    /// or by a day/month transposition in the same year.
    pub fn is_typo_of(&self, other: &DateValue, text: &str, other_text: &str) -> bool {
        let diff = text.bytes().zip(other_text.bytes()).filter(|(x, y)| x != y).count();
        diff == 1
            || (self.year == other.year
                && self.month != other.month
                && self.month == other.day
                && self.day == other.month)
    }
}

fn is_leap(y: i32) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn days_in_month(y: i32, m: i32) -> i32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if is_leap(y) => 29,
        _ => 28,
    }
}

/// Days since 1970-01-01 (proleptic Gregorian), after Howard Hinnant's algorithm.
fn days_from_civil(y: i32, m: i32, d: i32) -> i32 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// A stable 32-bit FNV-1a hash, used for token ids.
pub(crate) fn fnv32(s: &str) -> u32 {
    let mut h: u32 = 0x811c_9dc5;
    for b in s.bytes() {
        h ^= u32::from(b);
        h = h.wrapping_mul(0x0100_0193);
    }
    h
}

/// A stable 64-bit hash (FNV-1a with a final avalanche), never 0.
pub(crate) fn hash64(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    h | 1
}

/// The derived features of one field, for every prepared record.
#[derive(Debug, Clone, Default)]
pub(crate) struct Features {
    dates: Vec<Option<DateValue>>,
    numbers: Vec<Option<f64>>,
    codes: Vec<u64>,
    code_stride: usize,
    tokens: Vec<u32>,
    token_ends: Vec<u32>,
    nicks: Vec<u32>,
    nick_ends: Vec<u32>,
    /// Share of records holding each record's value (term frequencies), 0 when unknown.
    frequencies: Vec<f32>,
}

/// A field's value frequency table, ready for look-ups at preparation.
#[derive(Debug, Clone, Default)]
pub(crate) struct FrequencyLookup {
    counts: hashbrown::HashMap<Box<str>, u64>,
    total: u64,
}

impl FrequencyLookup {
    pub fn new(table: &crate::model::TermFrequencies) -> Self {
        FrequencyLookup {
            counts: table.counts.iter().map(|(k, &v)| (k.as_str().into(), v)).collect(),
            total: table.total,
        }
    }

    /// The share of records holding `value` (an unknown value counts once).
    fn frequency(&self, value: &str) -> f32 {
        if self.total == 0 || value.is_empty() {
            return 0.0;
        }
        (self.counts.get(value).copied().unwrap_or(1).max(1) as f64 / self.total as f64) as f32
    }
}

fn run_start(ends: &[u32], i: usize) -> usize {
    if i == 0 {
        0
    } else {
        ends[i - 1] as usize
    }
}

fn push_end(ends: &mut Vec<u32>, len: usize) {
    ends.push(u32::try_from(len).unwrap_or(u32::MAX));
}

/// One field of the prepared records: its values and features.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Column<'a> {
    p: &'a Prepared,
    field: usize,
}

impl<'a> Column<'a> {
    /// The normalized value of record `i` ("" when missing).
    #[inline]
    pub fn text(&self, i: usize) -> &'a str {
        let b = i * (self.p.fields + 1) + self.field;
        &self.p.arena[self.p.bounds[b] as usize..self.p.bounds[b + 1] as usize]
    }

    /// Whether record `i`'s value is ASCII.
    #[inline]
    pub fn is_ascii(&self, i: usize) -> bool {
        self.p.ascii[i] >> self.field & 1 == 1
    }

    fn features(&self) -> &'a Features {
        &self.p.features[self.field]
    }

    /// The parsed date of record `i`, when the field has dates.
    pub fn date(&self, i: usize) -> Option<DateValue> {
        self.features().dates.get(i).copied().flatten()
    }

    /// The parsed number of record `i`, when the field has numbers.
    pub fn number(&self, i: usize) -> Option<f64> {
        self.features().numbers.get(i).copied().flatten()
    }

    /// Phonetic code in `slot` of record `i` (0 = none).
    pub fn code(&self, i: usize, slot: usize) -> u64 {
        let f = self.features();
        f.codes.get(i * f.code_stride + slot).copied().unwrap_or(0)
    }

    /// Sorted, deduplicated token ids of record `i`.
    pub fn tokens(&self, i: usize) -> &'a [u32] {
        let f = self.features();
        if f.token_ends.is_empty() {
            return &[];
        }
        &f.tokens[run_start(&f.token_ends, i)..f.token_ends[i] as usize]
    }

    /// The share of records holding record `i`'s value (0 when unknown).
    pub fn frequency(&self, i: usize) -> f32 {
        self.features().frequencies.get(i).copied().unwrap_or(0.0)
    }

    /// Nickname group ids of record `i`.
    pub fn nicknames(&self, i: usize) -> &'a [u32] {
        let f = self.features();
        if f.nick_ends.is_empty() {
            return &[];
        }
        &f.nicks[run_start(&f.nick_ends, i)..f.nick_ends[i] as usize]
    }
}

/// What the prepare stage needs to know about one field.
#[derive(Debug, Clone)]
pub(crate) struct FieldPlan {
    pub pipeline: Pipeline,
    pub features: FieldFeatures,
    pub max_len: usize,
    /// The field's frequency table, when the model carries one.
    pub frequencies: Option<FrequencyLookup>,
}

/// Reusable buffers for preparing records.
#[derive(Debug, Default)]
pub(crate) struct Scratch {
    pub out: String,
    pub tmp: String,
}

/// Every prepared record of a run.
///
/// Values are stored record by record (a record's fields are contiguous in one
/// arena, with one ASCII bitmask per record), because the pair loop reads every
/// field of two records: one or two cache lines per record instead of one per
/// field. Derived features, read only by some levels, are kept per field.
#[derive(Debug, Clone, Default)]
pub(crate) struct Prepared {
    fields: usize,
    arena: String,
    /// `fields + 1` arena offsets per record: field `f` of record `i` spans
    /// `bounds[i * (fields + 1) + f] .. bounds[i * (fields + 1) + f + 1]`.
    bounds: Vec<u32>,
    /// Bit `f` of `ascii[i]`: field `f` of record `i` is ASCII.
    ascii: Vec<u64>,
    features: Vec<Features>,
    len: usize,
    /// Number of values cut to the field's length cap.
    pub truncated_values: usize,
}

impl Prepared {
    /// An empty store for `plans.len()` fields.
    pub fn new(plans: &[FieldPlan]) -> Self {
        let features = plans
            .iter()
            .map(|p| Features { code_stride: p.features.phonetic.len(), ..Features::default() })
            .collect();
        Prepared { fields: plans.len(), features, ..Prepared::default() }
    }

    /// Number of records.
    pub fn len(&self) -> usize {
        self.len
    }

    /// A field's column.
    #[inline]
    pub fn column(&self, field: usize) -> Column<'_> {
        Column { p: self, field }
    }

    /// Normalizes `record` and appends it. The record's arity must already be checked.
    pub fn push(
        &mut self,
        record: &Record,
        plans: &[FieldPlan],
        encoder: &PhoneticEncoder,
        nicknames: &NicknameTable,
        scratch: &mut Scratch,
    ) {
        let mut ascii_bits = 0u64;
        for (f, plan) in plans.iter().enumerate() {
            let original = record.values().get(f).and_then(|v| v.as_deref()).unwrap_or("");
            let raw = cap_at_boundary(original, MAX_RAW_LEN);
            scratch.out.clear();
            if !raw.trim().is_empty() {
                plan.pipeline.apply(raw, &mut scratch.out, &mut scratch.tmp);
            }
            let value = scratch.out.trim();
            let capped = cap_chars(value, plan.max_len);
            if capped.len() < value.len() || raw.len() < original.len() {
                self.truncated_values += 1;
            }
            self.bounds.push(u32::try_from(self.arena.len()).unwrap_or(u32::MAX));
            self.arena.push_str(capped);
            if capped.is_ascii() {
                ascii_bits |= 1 << f;
            }
            let feats = &plan.features;
            let col = &mut self.features[f];
            if feats.date {
                col.dates.push(DateValue::parse_iso(capped));
            }
            if feats.number {
                col.numbers.push(parse_number(capped));
            }
            for &algo in &feats.phonetic {
                let code = if capped.is_empty() { 0 } else { encoder.encode_u64(algo, capped) };
                col.codes.push(code);
            }
            if feats.tokens {
                let mut ids: SmallVec<[u32; 8]> =
                    capped.split(' ').filter(|t| !t.is_empty()).map(fnv32).collect();
                ids.sort_unstable();
                ids.dedup();
                col.tokens.extend_from_slice(&ids);
                push_end(&mut col.token_ends, col.tokens.len());
            }
            if feats.nicknames {
                // Only the whole value is looked up: giving "jean pierre" the groups of "jean"
                // would make every "jean X" a nickname of every "jean Y". The first-token
                // level covers "jean pierre" / "jean".
                if !capped.is_empty() {
                    col.nicks.extend_from_slice(nicknames.groups(capped));
                }
                push_end(&mut col.nick_ends, col.nicks.len());
            }
            if let Some(lookup) = &plan.frequencies {
                col.frequencies.push(lookup.frequency(capped));
            }
        }
        self.bounds.push(u32::try_from(self.arena.len()).unwrap_or(u32::MAX));
        self.ascii.push(ascii_bits);
        self.len += 1;
    }
}

impl Prepared {
    /// Erases record `i`: its text is overwritten with NUL bytes, its features
    /// zeroed, and every field reads as missing from now on. The slot stays (the
    /// arena is append-only), so other records keep their positions.
    pub fn erase(&mut self, i: usize) {
        let base = i * (self.fields + 1);
        let (start, end) = (self.bounds[base] as usize, self.bounds[base + self.fields] as usize);
        if end > start {
            self.arena.replace_range(start..end, &"\0".repeat(end - start));
        }
        for b in &mut self.bounds[base..=base + self.fields] {
            *b = start as u32;
        }
        self.ascii[i] = u64::MAX;
        for f in &mut self.features {
            if let Some(d) = f.dates.get_mut(i) {
                *d = None;
            }
            if let Some(x) = f.numbers.get_mut(i) {
                *x = None;
            }
            let stride = f.code_stride;
            if let Some(codes) = f.codes.get_mut(i * stride..(i + 1) * stride) {
                codes.fill(0);
            }
            if !f.token_ends.is_empty() {
                let r = run_start(&f.token_ends, i)..f.token_ends[i] as usize;
                f.tokens[r].fill(0);
            }
            if !f.nick_ends.is_empty() {
                let r = run_start(&f.nick_ends, i)..f.nick_ends[i] as usize;
                f.nicks[r].fill(0);
            }
            if let Some(x) = f.frequencies.get_mut(i) {
                *x = 0.0;
            }
        }
    }
}

/// The longest prefix of `s` of at most `max` bytes ending on a character boundary.
pub(crate) fn cap_at_boundary(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

/// The first `max` characters of `s`.
pub(crate) fn cap_chars(s: &str, max: usize) -> &str {
    match s.char_indices().nth(max) {
        Some((i, _)) => s[..i].trim_end(),
        None => s,
    }
}

fn parse_number(s: &str) -> Option<f64> {
    let v: f64 = s.replace(',', ".").parse().ok()?;
    v.is_finite().then_some(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_dates_parse_and_reject_impossible_ones() {
        let d = DateValue::parse_iso("1980-02-29").unwrap();
        assert_eq!((d.year, d.month, d.day), (1980, 2, 29));
        assert!(DateValue::parse_iso("1981-02-29").is_none());
        assert!(DateValue::parse_iso("1980-13-01").is_none());
        assert!(DateValue::parse_iso("1980-00-10").is_none());
        assert!(DateValue::parse_iso("19800101").is_none());
        assert_eq!(DateValue::parse_iso("1970-01-01").unwrap().days, 0);
        assert_eq!(DateValue::parse_iso("2000-03-01").unwrap().days, 11_017);
    }

    #[test]
    fn date_typos() {
        let a = DateValue::parse_iso("1980-02-01").unwrap();
        let swapped = DateValue::parse_iso("1980-01-02").unwrap();
        let digit = DateValue::parse_iso("1981-02-01").unwrap();
        let far = DateValue::parse_iso("1975-06-12").unwrap();
        assert!(a.is_typo_of(&swapped, "1980-02-01", "1980-01-02"));
        assert!(a.is_typo_of(&digit, "1980-02-01", "1981-02-01"));
        assert!(!a.is_typo_of(&far, "1980-02-01", "1975-06-12"));
    }

    #[test]
    fn caps_respect_char_boundaries() {
        assert_eq!(cap_at_boundary("éé", 3), "é");
        assert_eq!(cap_chars("abcdef", 3), "abc");
        assert_eq!(cap_chars("ab", 3), "ab");
    }

    #[test]
    fn hashes_are_stable_and_nonzero() {
        assert_eq!(fnv32("a"), 0xe40c_292c);
        assert_ne!(hash64(b""), 0);
        assert_eq!(hash64(b"martin"), hash64(b"martin"));
    }
}
