//! How prepared records are kept: record by record (a fixed-size header of
//! features, the values in one text arena, token and nickname lists in one
//! list arena), so comparing two records picked at random reads a few cache
//! lines of each and allocates nothing.

use smallvec::SmallVec;

use super::{FieldPlan, Preparer, Scratch};
use crate::hash::{fnv32, Fnv64};
use crate::normalize::{consonant_skeleton, is_abjad, trailing_token, DateValue};
use crate::record::Record;

/// Raw values longer than this many bytes are cut (at a character boundary)
/// before normalization, so a 1 MB field costs no more than a normal one.
pub(crate) const MAX_RAW_LEN: usize = 4096;

/// Where one field's features sit in a record's header (word offsets; `NONE`
/// when the field does not have the feature).
#[derive(Debug, Clone, Copy)]
struct FieldSlots {
    /// Two words: days since 1970, then `year << 16 | month << 8 | day` (month 0 = no date).
    date: u32,
    /// Two words: the bits of an `f64` (NaN = no number).
    number: u32,
    /// Two words per phonetic code.
    codes: u32,
    code_count: u32,
    /// One word: the bits of an `f32`.
    frequency: u32,
    /// One word: the consonant skeleton (see [`Column::skeleton`]).
    skeleton: u32,
    /// Index of the field's token list among the record's lists.
    tokens: u32,
    /// Index of the field's nickname list among the record's lists.
    nicks: u32,
}

const NONE: u32 = u32::MAX;

/// The fixed-size header every prepared record has, in 32-bit words:
/// `fields + 1` text offsets, two words of ASCII bits, each field's features,
/// then the start of the record's lists in `lists` and one end per list.
#[derive(Debug, Clone, Default)]
struct Layout {
    fields: usize,
    stride: usize,
    ascii: usize,
    list_start: usize,
    list_count: usize,
    slots: Vec<FieldSlots>,
}

impl Layout {
    fn new(plans: &[FieldPlan]) -> Self {
        let fields = plans.len();
        let mut at = fields + 1;
        let ascii = at;
        at += 2;
        let mut list_count = 0u32;
        let take = |present: bool, words: usize, at: &mut usize| -> u32 {
            if !present {
                return NONE;
            }
            let here = *at as u32;
            *at += words;
            here
        };
        let mut slots = Vec::with_capacity(fields);
        for plan in plans {
            let f = &plan.features;
            let date = take(f.date, 2, &mut at);
            let number = take(f.number, 2, &mut at);
            let code_count = f.phonetic.len() as u32;
            let codes = take(code_count > 0, 2 * f.phonetic.len(), &mut at);
            // Reserved whenever a comparison reads the field's frequency, with or
            // without a table yet: a store prepared under one model can take
            // another model's frequencies (`refill_frequencies`).
            let frequency = take(f.term_frequency, 1, &mut at);
            let skeleton = take(f.skeleton, 1, &mut at);
            let mut list = |present: bool| {
                if present {
                    list_count += 1;
                    list_count - 1
                } else {
                    NONE
                }
            };
            let tokens = list(f.tokens);
            let nicks = list(f.nicknames);
            slots.push(FieldSlots {
                date,
                number,
                codes,
                code_count,
                frequency,
                skeleton,
                tokens,
                nicks,
            });
        }
        let list_start = at;
        at += 1 + list_count as usize;
        Layout { fields, stride: at, ascii, list_start, list_count: list_count as usize, slots }
    }
}

/// One field of the prepared records: its values and features.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Column<'a> {
    p: &'a Prepared,
    field: usize,
}

impl<'a> Column<'a> {
    /// Record `i`'s header.
    #[inline]
    fn header(&self, i: usize) -> &'a [u32] {
        let stride = self.p.layout.stride;
        &self.p.words[i * stride..(i + 1) * stride]
    }

    #[inline]
    fn slots(&self) -> &'a FieldSlots {
        &self.p.layout.slots[self.field]
    }

    /// The normalized value of record `i` ("" when missing).
    #[inline]
    pub(crate) fn text(&self, i: usize) -> &'a str {
        let h = self.header(i);
        &self.p.text[h[self.field] as usize..h[self.field + 1] as usize]
    }

    /// Whether record `i`'s value is ASCII.
    #[inline]
    pub(crate) fn is_ascii(&self, i: usize) -> bool {
        let h = self.header(i);
        h[self.p.layout.ascii + self.field / 32] >> (self.field % 32) & 1 == 1
    }

    /// The parsed date of record `i`, when the field has dates.
    #[inline]
    pub(crate) fn date(&self, i: usize) -> Option<DateValue> {
        let at = self.slots().date;
        if at == NONE {
            return None;
        }
        let h = self.header(i);
        let packed = h[at as usize + 1];
        let month = (packed >> 8 & 0xff) as u8;
        (month != 0).then(|| DateValue {
            year: i32::from((packed >> 16) as u16 as i16),
            month,
            day: (packed & 0xff) as u8,
            days: h[at as usize] as i32,
        })
    }

    /// The parsed number of record `i`, when the field has numbers.
    #[inline]
    pub(crate) fn number(&self, i: usize) -> Option<f64> {
        let at = self.slots().number;
        if at == NONE {
            return None;
        }
        let h = self.header(i);
        let v = f64::from_bits(u64::from(h[at as usize]) | u64::from(h[at as usize + 1]) << 32);
        (!v.is_nan()).then_some(v)
    }

    /// Phonetic code in `slot` of record `i` (0 = none).
    #[inline]
    pub(crate) fn code(&self, i: usize, slot: usize) -> u64 {
        let s = self.slots();
        if s.codes == NONE || slot >= s.code_count as usize {
            return 0;
        }
        let at = s.codes as usize + 2 * slot;
        let h = self.header(i);
        u64::from(h[at]) | u64::from(h[at + 1]) << 32
    }

    /// The share of records holding record `i`'s value (0 when unknown).
    #[inline]
    pub(crate) fn frequency(&self, i: usize) -> f32 {
        let at = self.slots().frequency;
        if at == NONE {
            return 0.0;
        }
        f32::from_bits(self.header(i)[at as usize])
    }

    /// Record `i`'s consonant skeleton: 0 when the field has none or the
    /// value has fewer than [`MIN_SKELETON_CONSONANTS`] consonants; else bit
    /// 30 set, bit 31 set when the raw value was written in an abjad, and
    /// the skeleton's hash in the low 30 bits.
    #[inline]
    pub(crate) fn skeleton(&self, i: usize) -> u32 {
        let at = self.slots().skeleton;
        if at == NONE {
            return 0;
        }
        self.header(i)[at as usize]
    }

    /// List `list` of record `i` (empty when the field has none).
    #[inline]
    fn list(&self, i: usize, list: u32) -> &'a [u32] {
        if list == NONE {
            return &[];
        }
        let h = self.header(i);
        let at = self.p.layout.list_start;
        // List k starts where list k - 1 ends (list 0 at the record's list start).
        &self.p.lists[h[at + list as usize] as usize..h[at + 1 + list as usize] as usize]
    }

    /// Sorted, deduplicated token ids of record `i`.
    #[inline]
    pub(crate) fn tokens(&self, i: usize) -> &'a [u32] {
        self.list(i, self.slots().tokens)
    }

    /// Nickname group ids of record `i`.
    #[inline]
    pub(crate) fn nicknames(&self, i: usize) -> &'a [u32] {
        self.list(i, self.slots().nicks)
    }
}

/// Every prepared record of a run.
///
/// Everything is stored record by record, because the pair loop reads every
/// field of two records picked at random: each record has a fixed-size header
/// of 32-bit words (text offsets, ASCII bits, parsed dates and numbers,
/// phonetic codes, term frequencies, list bounds), its values are contiguous
/// in one text arena, and its token and nickname lists are contiguous in one
/// list arena. A pair costs a few cache lines per record, not one per field
/// and feature.
#[derive(Debug, Clone, Default)]
pub(crate) struct Prepared {
    layout: Layout,
    text: String,
    words: Vec<u32>,
    lists: Vec<u32>,
    len: usize,
    /// Number of values cut to the field's length cap.
    pub truncated_values: usize,
}

fn offset(len: usize) -> u32 {
    u32::try_from(len).unwrap_or(u32::MAX)
}

impl Prepared {
    /// An empty store for `plans.len()` fields.
    pub(super) fn new(plans: &[FieldPlan]) -> Self {
        Prepared { layout: Layout::new(plans), ..Prepared::default() }
    }

    /// Number of records.
    pub(crate) fn len(&self) -> usize {
        self.len
    }

    /// A field's column.
    #[inline]
    pub(crate) fn column(&self, field: usize) -> Column<'_> {
        Column { p: self, field }
    }

    /// Reads record `i`'s header and the start of its text and returns a value
    /// made of them: called on a batch of records about to be compared, it
    /// brings their memory into the cache with overlapping loads.
    #[inline]
    pub(crate) fn touch(&self, i: usize) -> u64 {
        let stride = self.layout.stride;
        let (first, last) = (self.words[i * stride], self.words[(i + 1) * stride - 1]);
        let text = self.text.as_bytes().get(first as usize).copied().unwrap_or(0);
        u64::from(first) ^ u64::from(last) << 20 ^ u64::from(text) << 40
    }

    /// Makes room for `additional` more records.
    pub(super) fn reserve(&mut self, additional: usize) {
        self.words.reserve(additional * self.layout.stride);
    }

    /// Normalizes `record` and appends it. The record's arity must already be checked.
    pub(super) fn push(&mut self, record: &Record, preparer: &Preparer, scratch: &mut Scratch) {
        let (plans, encoder, nicknames) = (&preparer.plans, &preparer.encoder, &preparer.nicknames);
        // The pipelines of this record's source system, where they differ.
        let own = preparer.sources.of(&record.source().system);
        let layout = &self.layout;
        let base = self.words.len();
        self.words.resize(base + layout.stride, 0);
        let header = &mut self.words[base..];
        header[layout.list_start] = offset(self.lists.len());
        let mut ascii_bits = 0u64;
        for (f, plan) in plans.iter().enumerate() {
            let original = record.values().get(f).and_then(|v| v.as_deref()).unwrap_or("");
            let raw = cap_at_boundary(original, MAX_RAW_LEN);
            scratch.out.clear();
            if !raw.trim().is_empty() {
                let pipeline = own.get(f).and_then(Option::as_ref).unwrap_or(&plan.pipeline);
                pipeline.apply(raw, &mut scratch.out, &mut scratch.tmp);
            }
            if !plan.fallback.is_empty() && scratch.out.trim().is_empty() {
                fill_from_fallback(record, plan, scratch);
            }
            let value = scratch.out.trim();
            let capped = cap_chars(value, plan.max_len);
            if capped.len() < value.len() || raw.len() < original.len() {
                self.truncated_values += 1;
            }
            header[f] = offset(self.text.len());
            self.text.push_str(capped);
            if capped.is_ascii() {
                ascii_bits |= 1 << f;
            }
            let feats = &plan.features;
            let slots = &layout.slots[f];
            if feats.date {
                if let Some(d) = DateValue::parse_iso(capped) {
                    let at = slots.date as usize;
                    header[at] = d.days as u32;
                    header[at + 1] = u32::from(d.year as i16 as u16) << 16
                        | u32::from(d.month) << 8
                        | u32::from(d.day);
                }
            }
            if feats.number {
                let bits = parse_number(capped).unwrap_or(f64::NAN).to_bits();
                let at = slots.number as usize;
                header[at] = bits as u32;
                header[at + 1] = (bits >> 32) as u32;
            }
            for (k, &algo) in feats.phonetic.iter().enumerate() {
                let code = if capped.is_empty() { 0 } else { encoder.encode_u64(algo, capped) };
                let at = slots.codes as usize + 2 * k;
                header[at] = code as u32;
                header[at + 1] = (code >> 32) as u32;
            }
            if feats.tokens {
                let mut ids: SmallVec<[u32; 8]> =
                    capped.split(' ').filter(|t| !t.is_empty()).map(fnv32).collect();
                ids.sort_unstable();
                ids.dedup();
                self.lists.extend_from_slice(&ids);
                header[layout.list_start + 1 + slots.tokens as usize] = offset(self.lists.len());
            }
            if feats.nicknames {
                // Only the whole value is looked up: giving "jean pierre" the groups of "jean"
                // would make every "jean X" a nickname of every "jean Y". The first-token
                // level covers "jean pierre" / "jean".
                if !capped.is_empty() {
                    self.lists.extend_from_slice(nicknames.groups(capped));
                }
                header[layout.list_start + 1 + slots.nicks as usize] = offset(self.lists.len());
            }
            if slots.frequency != NONE {
                let share = plan.frequencies.as_ref().map_or(0.0, |l| l.frequency(capped));
                header[slots.frequency as usize] = share.to_bits();
            }
            if feats.skeleton {
                header[slots.skeleton as usize] = skeleton_word(capped, raw);
            }
        }
        header[layout.fields] = offset(self.text.len());
        header[layout.ascii] = ascii_bits as u32;
        header[layout.ascii + 1] = (ascii_bits >> 32) as u32;
        self.len += 1;
    }

    /// Rewrites field `f`'s value frequency of every record with `share(value)`
    /// (nothing when the field keeps no frequency).
    pub(super) fn refill_frequencies(&mut self, f: usize, share: impl Fn(&str) -> f32) {
        let at = self.layout.slots[f].frequency;
        if at == NONE {
            return;
        }
        let stride = self.layout.stride;
        for header in self.words.chunks_exact_mut(stride) {
            let value = &self.text[header[f] as usize..header[f + 1] as usize];
            header[at as usize] = share(value).to_bits();
        }
    }

    /// Appends every record of `other` (prepared with the same plans), in order.
    pub(super) fn append(&mut self, other: Prepared) {
        let (text_shift, list_shift) = (offset(self.text.len()), offset(self.lists.len()));
        let layout = &self.layout;
        let start = self.words.len();
        self.words.extend_from_slice(&other.words);
        for header in self.words[start..].chunks_exact_mut(layout.stride) {
            for o in &mut header[..=layout.fields] {
                *o = o.saturating_add(text_shift);
            }
            for o in &mut header[layout.list_start..=layout.list_start + layout.list_count] {
                *o = o.saturating_add(list_shift);
            }
        }
        self.text.push_str(&other.text);
        self.lists.extend_from_slice(&other.lists);
        self.len += other.len;
        self.truncated_values += other.truncated_values;
    }

    /// A store holding only records `keep` (ascending), in that order: record
    /// `keep[n]` becomes record `n`. Reclaims the space of erased records.
    pub(crate) fn compacted(&self, keep: &[u32]) -> Prepared {
        let layout = &self.layout;
        let mut out = Prepared { layout: layout.clone(), ..Prepared::default() };
        out.words.reserve(keep.len() * layout.stride);
        for &i in keep {
            let header = &self.words[i as usize * layout.stride..(i as usize + 1) * layout.stride];
            let (text_start, text_end) = (header[0] as usize, header[layout.fields] as usize);
            let list_start = header[layout.list_start] as usize;
            let list_end = header[layout.list_start + layout.list_count] as usize;
            let text_shift = offset(out.text.len()).wrapping_sub(text_start as u32);
            let list_shift = offset(out.lists.len()).wrapping_sub(list_start as u32);
            let at = out.words.len();
            out.words.extend_from_slice(header);
            let copy = &mut out.words[at..];
            for o in &mut copy[..=layout.fields] {
                *o = o.wrapping_add(text_shift);
            }
            for o in &mut copy[layout.list_start..=layout.list_start + layout.list_count] {
                *o = o.wrapping_add(list_shift);
            }
            out.text.push_str(&self.text[text_start..text_end]);
            out.lists.extend_from_slice(&self.lists[list_start..list_end]);
        }
        out.len = keep.len();
        out.truncated_values = self.truncated_values;
        out
    }

    /// Erases record `i`: its text is overwritten with NUL bytes, its features
    /// zeroed, and every field reads as missing from now on. The slot stays (the
    /// arenas are append-only), so other records keep their positions.
    pub(crate) fn erase(&mut self, i: usize) {
        let layout = &self.layout;
        let header = &mut self.words[i * layout.stride..(i + 1) * layout.stride];
        let (start, end) = (header[0] as usize, header[layout.fields] as usize);
        if end > start {
            self.text.replace_range(start..end, &"\0".repeat(end - start));
        }
        let (lists_start, lists_end) =
            (header[layout.list_start], header[layout.list_start + layout.list_count]);
        self.lists[lists_start as usize..lists_end as usize].fill(0);
        header.fill(0);
        header[..=layout.fields].fill(start as u32);
        header[layout.list_start..=layout.list_start + layout.list_count].fill(lists_start);
        header[layout.ascii] = u32::MAX;
        header[layout.ascii + 1] = u32::MAX;
        for slots in &layout.slots {
            if slots.number != NONE {
                let nan = f64::NAN.to_bits();
                header[slots.number as usize] = nan as u32;
                header[slots.number as usize + 1] = (nan >> 32) as u32;
            }
        }
    }
}

/// When a field's own value is missing, its fallback fields' raw values
/// are tried in order: the trailing token of one holding at least two
/// (`Archer Jr` → `Jr`) goes through the field's chain, and the first
/// non-empty result is the value.
fn fill_from_fallback(record: &Record, plan: &FieldPlan, scratch: &mut Scratch) {
    for &g in &plan.fallback {
        let raw = record.values().get(g).and_then(|v| v.as_deref()).unwrap_or("");
        let Some(token) = trailing_token(cap_at_boundary(raw, MAX_RAW_LEN)) else { continue };
        scratch.out.clear();
        plan.pipeline.apply(token, &mut scratch.out, &mut scratch.tmp);
        if !scratch.out.trim().is_empty() {
            return;
        }
    }
    scratch.out.clear();
}

/// Fewer consonants than this give no skeleton: two names of one consonant
/// agree too often.
pub(crate) const MIN_SKELETON_CONSONANTS: usize = 2;

/// The skeleton word of a normalized value (see [`Column::skeleton`]).
fn skeleton_word(value: &str, raw: &str) -> u32 {
    let mut hash = Fnv64::new();
    let consonants = consonant_skeleton(value, &mut |b| hash = hash.write(&[b]));
    if consonants < MIN_SKELETON_CONSONANTS {
        return 0;
    }
    let abjad = if !raw.is_ascii() && raw.chars().any(is_abjad) { 1 << 31 } else { 0 };
    let h = hash.finish();
    (h ^ h >> 32) as u32 & 0x3fff_ffff | 1 << 30 | abjad
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
    fn caps_respect_char_boundaries() {
        assert_eq!(cap_at_boundary("éé", 3), "é");
        assert_eq!(cap_chars("abcdef", 3), "abc");
        assert_eq!(cap_chars("ab", 3), "ab");
    }
}
