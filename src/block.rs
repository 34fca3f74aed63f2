//! Blocking: cheap keys that decide which pairs are compared at all.
//!
//! A [`BlockingRule`] joins one or more [`KeyPart`]s (a field and a
//! [`KeyTransform`]) into a key; records sharing a key form a *block*, and
//! every pair inside a block becomes a candidate pair. Rules combine with OR:
//! a pair is a candidate when any rule puts both records in one block, and it
//! is compared once even when several rules find it (it is kept by the first
//! rule that finds it). A block larger than
//! [`BlockingConfig::max_block_size`] is skipped and reported as a
//! [`CappedBlock`]: its records still reach the output and may still meet
//! through other rules.
//!
//! ```
//! use personlink::block::{BlockingRule, KeyPart, KeyTransform};
//! use personlink::phonetic::PhoneticAlgorithm;
//! let rule = BlockingRule::new("surname_sound+initial")
//!     .part(KeyPart::new("surname", KeyTransform::Phonetic { algorithm: PhoneticAlgorithm::DoubleMetaphone }))
//!     .part(KeyPart::new("given_name", KeyTransform::Prefix { len: 1 }));
//! assert_eq!(rule.parts.len(), 2);
//! ```

use serde::{Deserialize, Serialize};
use smallvec::SmallVec;

use crate::compare::FieldFeatures;
use crate::error::{Error, Result};
use crate::phonetic::{PhoneticAlgorithm, PhoneticEncoder};
use crate::prepare::{hash64, Prepared};
use crate::record::{FieldKind, Schema};

/// How a field's normalized value becomes part of a blocking key.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum KeyTransform {
    /// The whole normalized value.
    #[default]
    Exact,
    /// The first `len` characters.
    Prefix {
        /// Number of characters.
        len: usize,
    },
    /// The last `len` characters.
    Suffix {
        /// Number of characters.
        len: usize,
    },
    /// A phonetic code of the value.
    Phonetic {
        /// The encoder.
        algorithm: PhoneticAlgorithm,
    },
    /// The year of a date.
    Year,
    /// The month and day of a date (catches a wrong year).
    MonthDay,
    /// The first letter of every token ("jean pierre" → "jp").
    Initials,
    /// The tokens in sorted order (catches swapped word order).
    SortedTokens,
    /// The first token.
    FirstToken,
    /// The digits only (phone numbers, postcodes, ids).
    Digits,
}

/// One part of a blocking key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KeyPart {
    /// The field the part reads.
    pub field: String,
    /// What it takes from the value.
    #[serde(default)]
    pub transform: KeyTransform,
}

impl KeyPart {
    /// A key part.
    pub fn new(field: impl Into<String>, transform: KeyTransform) -> Self {
        KeyPart { field: field.into(), transform }
    }
}

/// A named blocking rule: records with equal keys are compared.
///
/// A record with any part empty (a missing field) has no key for the rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BlockingRule {
    /// A name for reports.
    pub name: String,
    /// The key parts, all required.
    pub parts: Vec<KeyPart>,
}

impl BlockingRule {
    /// A rule with no part yet.
    pub fn new(name: impl Into<String>) -> Self {
        BlockingRule { name: name.into(), parts: Vec::new() }
    }

    /// Appends a key part.
    pub fn part(mut self, part: KeyPart) -> Self {
        self.parts.push(part);
        self
    }
}

/// The blocking rules and the block size cap.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BlockingConfig {
    /// Rules, combined with OR.
    pub rules: Vec<BlockingRule>,
    /// Blocks with more records than this are skipped and reported.
    #[serde(default = "default_max_block_size")]
    pub max_block_size: usize,
}

fn default_max_block_size() -> usize {
    500
}

impl Default for BlockingConfig {
    fn default() -> Self {
        BlockingConfig { rules: Vec::new(), max_block_size: default_max_block_size() }
    }
}

/// A block that held more records than the cap and was not expanded into pairs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CappedBlock {
    /// The rule's name.
    pub rule: String,
    /// The key, readable (parts joined by `|`).
    pub key: String,
    /// How many records shared it.
    pub records: usize,
}

#[derive(Debug, Clone)]
struct CompiledPart {
    field: usize,
    transform: KeyTransform,
    slot: usize,
}

/// A blocking rule validated against a schema.
#[derive(Debug, Clone)]
pub(crate) struct CompiledRule {
    pub name: String,
    parts: Vec<CompiledPart>,
}

impl CompiledRule {
    /// Validates `rule` (at config path `path`) and records the features its fields need.
    pub fn compile(
        rule: &BlockingRule,
        schema: &Schema,
        features: &mut [FieldFeatures],
        path: &str,
    ) -> Result<Self> {
        if rule.parts.is_empty() {
            return Err(Error::config(format!("{path}.parts"), "a rule needs at least one part"));
        }
        let mut parts = Vec::with_capacity(rule.parts.len());
        for (k, part) in rule.parts.iter().enumerate() {
            let ppath = format!("{path}.parts[{k}]");
            let field = schema
                .field_id(&part.field)
                .ok_or_else(|| {
                    Error::config(
                        format!("{ppath}.field"),
                        format!("unknown field `{}`", part.field),
                    )
                })?
                .index();
            let mut slot = 0;
            match &part.transform {
                KeyTransform::Prefix { len } | KeyTransform::Suffix { len } if *len == 0 => {
                    return Err(Error::config(
                        format!("{ppath}.transform.len"),
                        "must be at least 1",
                    ));
                }
                KeyTransform::Year | KeyTransform::MonthDay => {
                    if schema.fields()[field].kind != FieldKind::Date {
                        return Err(Error::config(
                            format!("{ppath}.transform"),
                            format!("field `{}` is not a date", part.field),
                        ));
                    }
                    features[field].date = true;
                }
                KeyTransform::Phonetic { algorithm } => {
                    slot = features[field].phonetic_slot(*algorithm);
                }
                _ => {}
            }
            parts.push(CompiledPart { field, transform: part.transform.clone(), slot });
        }
        Ok(CompiledRule { name: rule.name.clone(), parts })
    }

    /// The key of record `i`, or 0 when a part is empty. `buf` is a reusable buffer.
    pub fn key(&self, p: &Prepared, i: usize, buf: &mut Vec<u8>) -> u64 {
        buf.clear();
        for part in &self.parts {
            let before = buf.len();
            let col = p.column(part.field);
            let text = col.text(i);
            match part.transform {
                KeyTransform::Exact => buf.extend_from_slice(text.as_bytes()),
                KeyTransform::Prefix { len } => {
                    let end = text.char_indices().nth(len).map_or(text.len(), |(b, _)| b);
                    buf.extend_from_slice(&text.as_bytes()[..end]);
                }
                KeyTransform::Suffix { len } => {
                    let n = text.chars().count();
                    let start =
                        text.char_indices().nth(n.saturating_sub(len)).map_or(0, |(b, _)| b);
                    buf.extend_from_slice(&text.as_bytes()[start..]);
                }
                KeyTransform::Phonetic { .. } => {
                    let code = col.code(i, part.slot);
                    if code != 0 {
                        buf.extend_from_slice(&code.to_le_bytes());
                    }
                }
                KeyTransform::Year => {
                    if let Some(d) = col.date(i) {
                        buf.extend_from_slice(&d.year.to_le_bytes());
                    }
                }
                KeyTransform::MonthDay => {
                    if let Some(d) = col.date(i) {
                        buf.extend_from_slice(&[d.month, d.day]);
                    }
                }
                KeyTransform::Initials => {
                    for t in text.split(' ').filter(|t| !t.is_empty()) {
                        if let Some(c) = t.chars().next() {
                            let mut tmp = [0u8; 4];
                            buf.extend_from_slice(c.encode_utf8(&mut tmp).as_bytes());
                        }
                    }
                }
                KeyTransform::SortedTokens => {
                    let mut toks: SmallVec<[&str; 8]> =
                        text.split(' ').filter(|t| !t.is_empty()).collect();
                    toks.sort_unstable();
                    for (n, t) in toks.iter().enumerate() {
                        if n > 0 {
                            buf.push(b' ');
                        }
                        buf.extend_from_slice(t.as_bytes());
                    }
                }
                KeyTransform::FirstToken => {
                    buf.extend_from_slice(crate::compare::similarity::first_token(text).as_bytes());
                }
                KeyTransform::Digits => buf.extend(text.bytes().filter(u8::is_ascii_digit)),
            }
            if buf.len() == before {
                return 0;
            }
            buf.push(0x1f);
        }
        hash64(buf)
    }

    /// A readable rendering of record `i`'s key, for reports.
    pub fn key_text(&self, p: &Prepared, i: usize, encoder: &PhoneticEncoder) -> String {
        let mut parts = Vec::with_capacity(self.parts.len());
        for part in &self.parts {
            let col = p.column(part.field);
            let text = col.text(i);
            let shown = match &part.transform {
                KeyTransform::Exact => text.to_owned(),
                KeyTransform::Prefix { len } => text.chars().take(*len).collect(),
                KeyTransform::Suffix { len } => {
                    let n = text.chars().count();
                    text.chars().skip(n.saturating_sub(*len)).collect()
                }
                KeyTransform::Phonetic { algorithm } => {
                    let mut out = String::new();
                    encoder.encode(*algorithm, text, &mut out);
                    out
                }
                KeyTransform::Year => col.date(i).map(|d| d.year.to_string()).unwrap_or_default(),
                KeyTransform::MonthDay => {
                    col.date(i).map(|d| format!("{:02}-{:02}", d.month, d.day)).unwrap_or_default()
                }
                KeyTransform::Initials => {
                    text.split(' ').filter_map(|t| t.chars().next()).collect()
                }
                KeyTransform::SortedTokens => {
                    let mut toks: Vec<&str> = text.split(' ').filter(|t| !t.is_empty()).collect();
                    toks.sort_unstable();
                    toks.join(" ")
                }
                KeyTransform::FirstToken => {
                    crate::compare::similarity::first_token(text).to_owned()
                }
                KeyTransform::Digits => text.chars().filter(char::is_ascii_digit).collect(),
            };
            parts.push(shown);
        }
        parts.join("|")
    }
}

/// One block: a run of record ids sharing a key under one rule.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Block {
    pub rule: usize,
    pub start: usize,
    pub len: usize,
    /// In link mode, how many members come from the left dataset (they come first).
    pub left: usize,
}

/// The blocks of a batch run, with every rule's keys kept to skip pairs found twice.
#[derive(Debug)]
pub(crate) struct Blocks {
    /// Record ids of each rule, grouped by key.
    pub members: Vec<Vec<u32>>,
    /// Blocks to expand into pairs.
    pub blocks: Vec<Block>,
    /// `keys[i * rules + r]`: key of record `i` under rule `r` (0 = none).
    pub keys: Vec<u64>,
    /// Blocks skipped for their size, as (rule, first member, size).
    pub capped: Vec<(usize, u32, usize)>,
    /// Keys of the capped blocks, as (rule, key), sorted.
    capped_keys: Vec<(usize, u64)>,
    rules: usize,
}

impl Blocks {
    /// Builds the blocks of all records in `p`. In link mode, records `0..left_len`
    /// are the left dataset and only blocks holding both sides are kept.
    pub fn build(
        rules: &[CompiledRule],
        p: &Prepared,
        max_block: usize,
        left_len: Option<usize>,
    ) -> Self {
        let n = p.len();
        let r_count = rules.len();
        let mut keys = vec![0u64; n * r_count];
        let mut buf = Vec::with_capacity(64);
        for i in 0..n {
            for (r, rule) in rules.iter().enumerate() {
                keys[i * r_count + r] = rule.key(p, i, &mut buf);
            }
        }
        let mut members = Vec::with_capacity(r_count);
        let mut blocks = Vec::new();
        let mut capped = Vec::new();
        let mut capped_keys = Vec::new();
        for r in 0..r_count {
            let mut entries: Vec<(u64, u32)> = (0..n)
                .filter_map(|i| {
                    let k = keys[i * r_count + r];
                    (k != 0).then_some((k, i as u32))
                })
                .collect();
            entries.sort_unstable();
            let ids: Vec<u32> = entries.iter().map(|e| e.1).collect();
            let mut s = 0;
            while s < entries.len() {
                let key = entries[s].0;
                let mut e = s + 1;
                while e < entries.len() && entries[e].0 == key {
                    e += 1;
                }
                let len = e - s;
                let left = match left_len {
                    Some(l) => ids[s..e].partition_point(|&id| (id as usize) < l),
                    None => len,
                };
                let useful = match left_len {
                    Some(_) => left > 0 && left < len,
                    None => len > 1,
                };
                if useful {
                    if len > max_block {
                        capped.push((r, ids[s], len));
                        capped_keys.push((r, key));
                    } else {
                        blocks.push(Block { rule: r, start: s, len, left });
                    }
                }
                s = e;
            }
            members.push(ids);
        }
        capped_keys.sort_unstable();
        Blocks { members, blocks, keys, capped, capped_keys, rules: r_count }
    }

    /// Number of candidate pairs a block holds, before removing pairs found by earlier rules.
    pub fn block_pairs(&self, b: &Block, link: bool) -> u64 {
        if link {
            (b.left as u64) * ((b.len - b.left) as u64)
        } else {
            (b.len as u64) * (b.len as u64 - 1) / 2
        }
    }

    /// Number of rules.
    pub fn rule_count(&self) -> usize {
        self.rules
    }

    /// True when records `i` and `j` share an uncapped block of rule `rule`.
    pub fn share_block(&self, rule: usize, i: u32, j: u32) -> bool {
        let k = self.keys[i as usize * self.rules + rule];
        k != 0
            && k == self.keys[j as usize * self.rules + rule]
            && self.capped_keys.binary_search(&(rule, k)).is_err()
    }

    /// True when an earlier rule than `rule` already produced the pair (i, j).
    fn seen_before(&self, rule: usize, i: u32, j: u32) -> bool {
        let (ki, kj) = (i as usize * self.rules, j as usize * self.rules);
        (0..rule).any(|r| {
            let k = self.keys[ki + r];
            k != 0 && k == self.keys[kj + r] && self.capped_keys.binary_search(&(r, k)).is_err()
        })
    }

    /// Calls `f(i, j)` for every pair of block `b` that no earlier rule produced.
    pub fn for_each_pair(&self, b: &Block, link: bool, mut f: impl FnMut(u32, u32)) {
        let ids = &self.members[b.rule][b.start..b.start + b.len];
        if link {
            let (left, right) = ids.split_at(b.left);
            for &i in left {
                for &j in right {
                    if !self.seen_before(b.rule, i, j) {
                        f(i, j);
                    }
                }
            }
        } else {
            for (x, &i) in ids.iter().enumerate() {
                for &j in &ids[x + 1..] {
                    if !self.seen_before(b.rule, i, j) {
                        f(i, j);
                    }
                }
            }
        }
    }
}
