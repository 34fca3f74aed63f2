//! Households: the people who share a home, as an output of their own.
//!
//! A household is never a reason to merge two people; it is what a CRM shows
//! beside the entities (the *foyer* view: one mailing per home). Records whose
//! values give the same *household key* (for the person profile: the same
//! street address, the same phone, the same email) put their entities in one
//! household, and households are the connected groups of entities so joined.
//! A key shared by more than [`HouseholdConfig::max_size`] records (an office
//! switchboard, a generic contact address, a block of flats without flat
//! numbers) joins nobody and is reported.
//!
//! ```
//! use personlink::block::{BlockingRule, KeyPart, KeyTransform};
//! use personlink::household::HouseholdConfig;
//! let homes = HouseholdConfig::default()
//!     .with_rule(BlockingRule::new("landline").part(KeyPart::new("phone", KeyTransform::Exact)));
//! assert_eq!(homes.rules.len(), 1);
//! assert_eq!(homes.max_size, 20);
//! ```

use serde::{Deserialize, Serialize};

use crate::block::{Blocker, BlockingRule, CappedBlock};
use crate::cluster::UnionFind;
use crate::error::{Error, Result};
use crate::phonetic::PhoneticEncoder;
use crate::prepare::{FieldFeatures, Prepared};
use crate::record::Schema;

/// Which shared values make a household.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HouseholdConfig {
    /// Household keys, built like blocking keys; records sharing any of them
    /// live together. No rule: every entity is its own household.
    #[serde(default)]
    pub rules: Vec<BlockingRule>,
    /// A key shared by more records than this joins nobody (and is reported).
    #[serde(default = "default_max_size")]
    pub max_size: usize,
}

fn default_max_size() -> usize {
    20
}

impl Default for HouseholdConfig {
    fn default() -> Self {
        HouseholdConfig { rules: Vec::new(), max_size: default_max_size() }
    }
}

impl HouseholdConfig {
    /// Adds a household key.
    pub fn with_rule(mut self, rule: BlockingRule) -> Self {
        self.rules.push(rule);
        self
    }
}

/// The household stage, compiled: the household keys and their cap.
#[derive(Debug, Clone)]
pub(crate) struct Householder {
    keys: Blocker,
}

/// Every record's household, and the keys too common to count.
#[derive(Debug)]
pub(crate) struct Households {
    /// Per record, its household number: households are numbered from 0 in
    /// the order of their first record.
    pub(crate) of_record: Vec<u32>,
    /// Keys shared by more than the cap.
    pub(crate) capped: Vec<CappedBlock>,
}

impl Householder {
    /// Validates `config` against `schema` and records the features its keys read.
    ///
    /// # Errors
    /// [`Error::Config`] naming the offending entry (`households.…`).
    pub(crate) fn compile(
        config: &HouseholdConfig,
        schema: &Schema,
        features: &mut [FieldFeatures],
    ) -> Result<Self> {
        if config.max_size < 2 {
            return Err(Error::config("households.max_size", "must be at least 2"));
        }
        let keys =
            Blocker::compile_rules(&config.rules, config.max_size, schema, features, "households")?;
        Ok(Householder { keys })
    }

    /// The households of the records of `p`, whose entities are `entity_of`
    /// (one entity number per record): entities sharing a household key (in a
    /// group under the cap) are one household.
    pub(crate) fn assign(
        &self,
        p: &Prepared,
        entity_of: &[u32],
        encoder: &PhoneticEncoder,
    ) -> Households {
        let n = entity_of.len();
        let entities = entity_of.iter().map(|&e| e as usize + 1).max().unwrap_or(0);
        let mut uf = UnionFind::new(entities);
        let blocks = self.keys.blocks(p, None);
        for block in blocks.blocks() {
            let members = blocks.members_of(block);
            for w in members.windows(2) {
                uf.union(entity_of[w[0] as usize] as usize, entity_of[w[1] as usize] as usize);
            }
        }
        let mut number = vec![u32::MAX; entities];
        let mut next = 0;
        let mut of_record = Vec::with_capacity(n);
        for &e in entity_of {
            let root = uf.find(e as usize);
            if number[root] == u32::MAX {
                number[root] = next;
                next += 1;
            }
            of_record.push(number[root]);
        }
        Households { of_record, capped: self.keys.capped_blocks(&blocks, p, encoder) }
    }

    /// Number of household keys.
    pub(crate) fn key_count(&self) -> usize {
        self.keys.rule_count()
    }

    /// A key shared by more records than this joins nobody.
    pub(crate) fn max_size(&self) -> usize {
        self.keys.max_block_size()
    }

    /// Household key `r` of record `i` of `p` (0: none). `buf` is a reusable buffer.
    #[inline]
    pub(crate) fn key(&self, r: usize, p: &Prepared, i: usize, buf: &mut Vec<u8>) -> u64 {
        self.keys.key(r, p, i, buf)
    }

    /// The name of the first household key record `i` of `pa` and record `j`
    /// of `pb` share, if any (the cap is not checked: this is about two records).
    pub(crate) fn shared_key(
        &self,
        pa: &Prepared,
        i: usize,
        pb: &Prepared,
        j: usize,
    ) -> Option<&str> {
        let mut buf = Vec::new();
        (0..self.keys.rule_count()).find_map(|r| {
            let a = self.keys.key(r, pa, i, &mut buf);
            (a != 0 && a == self.keys.key(r, pb, j, &mut buf)).then(|| self.keys.rule_name(r))
        })
    }
}
