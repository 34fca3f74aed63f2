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
//! The work is bounded twice: `max_block_size` may not exceed
//! [`MAX_BLOCK_SIZE_CEILING`] (10,000 records, 50 million pairs), and a batch
//! run expands at most [`BlockingConfig::max_candidate_pairs`] pairs in total
//! (default [`DEFAULT_MAX_CANDIDATE_PAIRS`]): past it, the largest blocks are
//! skipped first, until the rest fits, and reported with the cause
//! [`CapCause::PairCeiling`].
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
mod shape;

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

/// The largest `max_block_size` a configuration may set: 10,000 records.
///
/// A block of n records holds n(n-1)/2 pairs: 50 million at 10,000, tens of
/// seconds of comparing in a batch run (and gigabytes of links when they all
/// match), and in the live resolver up to 10,000 pairs scored on every upsert
/// into the block (a few milliseconds). Beyond it, one shared value (a call
/// centre's phone, a placeholder birth date) costs minutes, so a larger cap
/// is refused rather than honoured.
pub const MAX_BLOCK_SIZE_CEILING: usize = 10_000;

/// The default [`BlockingConfig::max_candidate_pairs`]: 250 million pairs.
///
/// On a million generated records, the person profile's blocks hold 14.1
/// million pairs (hard preset) and 20.7 million (easy preset), counted before
/// pairs found by several rules are merged (`cargo run --release --example
/// benchmark -- --preset hard --people 570000`): such a run stays twelve
/// times under it. Comparing 250 million pairs takes minutes.
pub const DEFAULT_MAX_CANDIDATE_PAIRS: u64 = 250_000_000;

/// The blocking rules, the block size cap and the ceiling on pairs.
///
/// ```
/// use personlink::block::{BlockingConfig, MAX_BLOCK_SIZE_CEILING};
/// use personlink::Config;
/// let mut config = Config::person_default();
/// config.blocking.max_block_size = 1_000_000_000_000;
/// let e = config.validate().unwrap_err().to_string();
/// assert!(e.contains("blocking.max_block_size"), "{e}");
/// config.blocking.max_block_size = MAX_BLOCK_SIZE_CEILING;
/// config.blocking.max_candidate_pairs = 10_000_000;
/// assert!(config.validate().is_ok());
/// # let _ = BlockingConfig::default();
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BlockingConfig {
    /// Rules, combined with OR.
    pub rules: Vec<BlockingRule>,
    /// Blocks with more records than this are skipped and reported (from 2
    /// to [`MAX_BLOCK_SIZE_CEILING`]; default 500).
    #[serde(default = "default_max_block_size")]
    pub max_block_size: usize,
    /// The most candidate pairs a batch run (`dedupe`, `link`, training)
    /// expands, counted block by block before pairs found by several rules
    /// are merged (at least 1; default [`DEFAULT_MAX_CANDIDATE_PAIRS`]). When
    /// the blocks hold more, the largest are skipped first until the rest
    /// fits, and each is reported as a [`CappedBlock`] with
    /// [`CapCause::PairCeiling`]. The live resolver, which pairs one record at
    /// a time, applies `max_block_size` only: its entities equal a batch run's
    /// as long as the batch run stays under this ceiling.
    #[serde(default = "default_max_candidate_pairs")]
    pub max_candidate_pairs: u64,
}

fn default_max_block_size() -> usize {
    500
}

fn default_max_candidate_pairs() -> u64 {
    DEFAULT_MAX_CANDIDATE_PAIRS
}

impl Default for BlockingConfig {
    fn default() -> Self {
        BlockingConfig {
            rules: Vec::new(),
            max_block_size: default_max_block_size(),
            max_candidate_pairs: default_max_candidate_pairs(),
        }
    }
}

impl BlockingConfig {
    /// Checks the caps (errors name `{path}.max_block_size` or
    /// `{path}.max_candidate_pairs`).
    fn check_caps(&self, path: &str) -> Result<()> {
        if !(2..=MAX_BLOCK_SIZE_CEILING).contains(&self.max_block_size) {
            return Err(Error::config(
                format!("{path}.max_block_size"),
                format!(
                    "{} is out of range: a block size cap is from 2 to {MAX_BLOCK_SIZE_CEILING}",
                    self.max_block_size
                ),
            ));
        }
        if self.max_candidate_pairs == 0 {
            return Err(Error::config(format!("{path}.max_candidate_pairs"), "must be at least 1"));
        }
        Ok(())
    }
}

/// Why a block was skipped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum CapCause {
    /// It held more records than [`BlockingConfig::max_block_size`].
    #[default]
    BlockSize,
    /// The run's blocks held more pairs than
    /// [`BlockingConfig::max_candidate_pairs`], and this block was among the
    /// largest, skipped so that the rest fits.
    PairCeiling,
}

/// A block that was skipped for its size and not expanded into pairs.
///
/// Its key is usually personal data (an email, a phone number, a birth date
/// and an initial): [`key_shape`](CappedBlock::key_shape) gives a masked form
/// fit for logs and terminals, and [`key`](CappedBlock::key) the raw value,
/// for the host that asks for it. `Debug` and `Display` show the shape.
///
/// ```
/// use personlink::{Config, Linker, Record, SourceRef};
/// let mut config = Config::person_default();
/// config.blocking.max_block_size = 2;
/// let schema = config.schema.clone();
/// let records: Vec<Record> = (0..3)
///     .map(|i| {
///         Record::builder(&schema, SourceRef::new("crm", i.to_string()))
///             .set("given_name", ["Ann", "Bob", "Cy"][i])?
///             .set("phone", "+33 6 71 42 93 18")
///             .map(|b| b.build())
///     })
///     .collect::<Result<_, _>>()?;
/// let result = Linker::new(config)?.dedupe(&records)?;
/// let capped = result.stats.capped_blocks.iter().find(|c| c.rule == "phone").unwrap();
/// assert_eq!(capped.key, "+33671429318");
/// assert_eq!(capped.key_shape(), "+###########");
/// assert_eq!(capped.to_string(), "rule phone, key +###########, 3 records");
/// # Ok::<(), personlink::Error>(())
/// ```
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct CappedBlock {
    /// The rule's name.
    pub rule: String,
    /// The raw key, readable (parts joined by `|`): personal data, to print
    /// only on request (see [`key_shape`](CappedBlock::key_shape)).
    pub key: String,
    /// How many records shared it.
    pub records: usize,
    /// Why it was skipped.
    #[serde(default)]
    pub cause: CapCause,
}

impl CappedBlock {
    /// The key with its values masked, for logs and terminals: in each `|`
    /// part, digits become `#`, letters `*` except the first character, and an
    /// email keeps the first character of its user and domain names and its
    /// top-level domain. Lengths and punctuation stay: `1980-01-01|m` gives
    /// `####-##-##|m`, `jean.dupont@example.com` gives
    /// `j***.******@e******.com` (see the example on [`CappedBlock`]).
    pub fn key_shape(&self) -> String {
        shape::key_shape(&self.key)
    }
}

/// The key's shape, never its value.
impl std::fmt::Debug for CappedBlock {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CappedBlock")
            .field("rule", &self.rule)
            .field("key_shape", &self.key_shape())
            .field("records", &self.records)
            .field("cause", &self.cause)
            .finish()
    }
}

/// `rule R, key SHAPE, N records`, with `(over the pair ceiling)` for
/// [`CapCause::PairCeiling`]: the key's shape, never its value.
impl std::fmt::Display for CappedBlock {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "rule {}, key {}, {} records", self.rule, self.key_shape(), self.records)?;
        if self.cause == CapCause::PairCeiling {
            f.write_str(" (over the pair ceiling)")?;
        }
        Ok(())
    }
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

/// The blocking stage, compiled: the rules, in order, the block size cap and
/// the ceiling on a batch run's pairs.
#[derive(Debug, Clone)]
pub(crate) struct Blocker {
    rules: Vec<CompiledRule>,
    max_block_size: usize,
    max_candidate_pairs: u64,
}

impl Blocker {
    /// Validates `config`'s rules against `schema` and its caps, and records
    /// the features their keys read.
    ///
    /// # Errors
    /// [`Error::Config`] naming the offending rule, part or cap.
    pub(crate) fn compile(
        config: &BlockingConfig,
        schema: &Schema,
        features: &mut [FieldFeatures],
    ) -> Result<Self> {
        config.check_caps("blocking")?;
        let blocker = Blocker::compile_rules(
            &config.rules,
            config.max_block_size,
            schema,
            features,
            "blocking",
        )?;
        Ok(Blocker { max_candidate_pairs: config.max_candidate_pairs, ..blocker })
    }

    /// Validates `rules` (at config path `{path}.rules[i]`) with a block size
    /// cap of `max_block_size` and no ceiling on pairs, for blocking or for
    /// any other grouping by keys.
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
        Ok(Blocker { rules, max_block_size, max_candidate_pairs: u64::MAX })
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

    /// The most pairs a batch run's blocks may hold in total.
    pub(crate) fn max_candidate_pairs(&self) -> u64 {
        self.max_candidate_pairs
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
            .map(|c| CappedBlock {
                rule: self.rules[c.rule].name.clone(),
                key: self.rules[c.rule].key_text(p, c.first as usize, encoder),
                records: c.size,
                cause: c.cause,
            })
            .collect()
    }
}
