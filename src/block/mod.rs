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

mod blocks;
mod key;

use serde::{Deserialize, Serialize};
use smallvec::SmallVec;

pub(crate) use blocks::Blocks;
pub use key::KeyTransform;
use key::{CompiledPart, HashSink, TextSink};

use crate::error::{Error, Result};
use crate::hash::hash64;
use crate::phonetic::PhoneticEncoder;
use crate::prepare::{FieldFeatures, Prepared};
use crate::record::Schema;

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
/// With `any_order`, the key is the same whatever the order of its parts'
/// values: a rule over the given-name and surname sounds then brings
/// `Daniela | Shore` and `Shore | Daniela` together.
///
/// ```
/// use personlink::block::{BlockingRule, KeyPart, KeyTransform};
/// let rule = BlockingRule::new("names_any_order")
///     .part(KeyPart::new("given_name", KeyTransform::Exact))
///     .part(KeyPart::new("surname", KeyTransform::Exact))
///     .any_order();
/// assert!(rule.any_order);
/// let json = serde_json::to_string(&rule).unwrap();
/// assert!(json.contains(r#""any_order":true"#));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BlockingRule {
    /// A name for reports.
    pub name: String,
    /// The key parts, all required.
    pub parts: Vec<KeyPart>,
    /// The parts' values form the key as a multiset, in any order (default
    /// `false`: in part order). Left out of the JSON when `false`.
    #[serde(default, skip_serializing_if = "is_false")]
    pub any_order: bool,
}

fn is_false(b: &bool) -> bool {
    !*b
}

impl BlockingRule {
    /// A rule with no part yet.
    pub fn new(name: impl Into<String>) -> Self {
        BlockingRule { name: name.into(), parts: Vec::new(), any_order: false }
    }

    /// Appends a key part.
    pub fn part(mut self, part: KeyPart) -> Self {
        self.parts.push(part);
        self
    }

    /// Makes the key independent of the order of the parts' values.
    pub fn any_order(mut self) -> Self {
        self.any_order = true;
        self
    }
}

/// The most parts an `any_order` rule may have (their hashes are sorted on the stack).
const MAX_ANY_ORDER_PARTS: usize = 8;

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
#[non_exhaustive]
pub struct CappedBlock {
    /// The rule's name.
    pub rule: String,
    /// The key, readable (parts joined by `|`).
    pub key: String,
    /// How many records shared it.
    pub records: usize,
}

/// A blocking rule validated against a schema.
#[derive(Debug, Clone)]
struct CompiledRule {
    name: String,
    parts: Vec<CompiledPart>,
    any_order: bool,
}

impl CompiledRule {
    /// Validates `rule` (at config path `path`) and records the features its fields need.
    fn compile(
        rule: &BlockingRule,
        schema: &Schema,
        features: &mut [FieldFeatures],
        path: &str,
    ) -> Result<Self> {
        if rule.parts.is_empty() {
            return Err(Error::config(format!("{path}.parts"), "a rule needs at least one part"));
        }
        if rule.any_order && rule.parts.len() > MAX_ANY_ORDER_PARTS {
            return Err(Error::config(
                format!("{path}.parts"),
                format!("an any_order rule has at most {MAX_ANY_ORDER_PARTS} parts"),
            ));
        }
        let parts = rule
            .parts
            .iter()
            .enumerate()
            .map(|(k, part)| {
                CompiledPart::compile(part, schema, features, &format!("{path}.parts[{k}]"))
            })
            .collect::<Result<_>>()?;
        Ok(CompiledRule { name: rule.name.clone(), parts, any_order: rule.any_order })
    }

    /// The key of record `i`, or 0 when a part is empty. `buf` is a reusable buffer.
    #[inline]
    fn key(&self, p: &Prepared, i: usize, buf: &mut Vec<u8>) -> u64 {
        if self.any_order {
            return self.unordered_key(p, i, buf);
        }
        buf.clear();
        for part in &self.parts {
            let before = buf.len();
            part.write(p, i, &mut HashSink(buf));
            if buf.len() == before {
                return 0;
            }
            buf.push(0x1f);
        }
        hash64(buf)
    }

    /// The key of an `any_order` rule: the hash of its parts' hashes, sorted.
    /// Two records share it exactly when their parts' values are the same
    /// multiset (up to hash collisions).
    fn unordered_key(&self, p: &Prepared, i: usize, buf: &mut Vec<u8>) -> u64 {
        let mut hashes: SmallVec<[u64; MAX_ANY_ORDER_PARTS]> = SmallVec::new();
        for part in &self.parts {
            buf.clear();
            part.write(p, i, &mut HashSink(buf));
            if buf.is_empty() {
                return 0;
            }
            hashes.push(hash64(buf));
        }
        hashes.sort_unstable();
        buf.clear();
        for h in &hashes {
            buf.extend_from_slice(&h.to_le_bytes());
        }
        hash64(buf)
    }

    /// The readable form of record `i`'s key: its parts joined by `|` (in
    /// sorted order for an `any_order` rule).
    fn key_text(&self, p: &Prepared, i: usize, encoder: &PhoneticEncoder) -> String {
        let mut parts = Vec::with_capacity(self.parts.len());
        for part in &self.parts {
            let mut sink = TextSink { out: String::new(), encoder };
            part.write(p, i, &mut sink);
            parts.push(sink.out);
        }
        if self.any_order {
            parts.sort_unstable();
        }
        parts.join("|")
    }
}

/// The blocking stage, compiled: the rules, in order, and the block size cap.
#[derive(Debug, Clone)]
pub(crate) struct Blocker {
    rules: Vec<CompiledRule>,
    max_block_size: usize,
}

impl Blocker {
    /// Validates `config`'s rules against `schema` and records the features
    /// their keys read (the block size cap is checked with the configuration's
    /// counts).
    ///
    /// # Errors
    /// [`Error::Config`] naming the offending rule or part.
    pub(crate) fn compile(
        config: &BlockingConfig,
        schema: &Schema,
        features: &mut [FieldFeatures],
    ) -> Result<Self> {
        Blocker::compile_rules(&config.rules, config.max_block_size, schema, features, "blocking")
    }

    /// Validates `rules` (at config path `{path}.rules[i]`) with a block size
    /// cap of `max_block_size`, for blocking or for any other grouping by keys.
    ///
    /// # Errors
    /// [`Error::Config`] naming the offending rule or part.
    pub(crate) fn compile_rules(
        rules: &[BlockingRule],
        max_block_size: usize,
        schema: &Schema,
        features: &mut [FieldFeatures],
        path: &str,
    ) -> Result<Self> {
        let rules = rules
            .iter()
            .enumerate()
            .map(|(i, rule)| {
                CompiledRule::compile(rule, schema, features, &format!("{path}.rules[{i}]"))
            })
            .collect::<Result<_>>()?;
        Ok(Blocker { rules, max_block_size })
    }

    /// Number of rules.
    pub(crate) fn rule_count(&self) -> usize {
        self.rules.len()
    }

    /// The names of the rules, in order.
    pub(crate) fn rule_names(&self) -> impl Iterator<Item = &str> {
        self.rules.iter().map(|r| r.name.as_str())
    }

    /// The name of rule `r`.
    pub(crate) fn rule_name(&self, r: usize) -> &str {
        &self.rules[r].name
    }

    /// Blocks with more records than this are skipped.
    pub(crate) fn max_block_size(&self) -> usize {
        self.max_block_size
    }

    /// The key of record `i` of `p` under rule `r`, or 0 when it has none.
    /// `buf` is a reusable buffer.
    #[inline]
    pub(crate) fn key(&self, r: usize, p: &Prepared, i: usize, buf: &mut Vec<u8>) -> u64 {
        self.rules[r].key(p, i, buf)
    }

    /// The blocks of all records in `p`. In link mode, records `0..left_len`
    /// are the left dataset and only blocks holding both sides are kept.
    pub(crate) fn blocks(&self, p: &Prepared, left_len: Option<usize>) -> Blocks {
        Blocks::build(self, p, left_len)
    }

    /// The blocks `blocks` skipped for their size, with their keys spelled out.
    pub(crate) fn capped_blocks(
        &self,
        blocks: &Blocks,
        p: &Prepared,
        encoder: &PhoneticEncoder,
    ) -> Vec<CappedBlock> {
        blocks
            .capped
            .iter()
            .map(|&(rule, first, size)| CappedBlock {
                rule: self.rules[rule].name.clone(),
                key: self.rules[rule].key_text(p, first as usize, encoder),
                records: size,
            })
            .collect()
    }
}
