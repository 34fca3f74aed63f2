//! Comparisons: how two prepared values of a field are judged, level by level.
//!
//! A [`ComparisonSpec`] names a field and an ordered list of [`LevelSpec`]s.
//! For a pair of records the comparison yields a *level index*: `0` when
//! either value is missing, `1..=n` for the first listed level that holds,
//! `n + 1` ("else") when none does. The levels of all comparisons of a pair
//! form a [`ComparisonVector`], a small fixed array built without heap
//! allocation.
//!
//! ```
//! use personlink::compare::{ComparisonSpec, LevelSpec};
//! let surname = ComparisonSpec::new("surname")
//!     .level(LevelSpec::Exact)
//!     .level(LevelSpec::JaroWinkler { min: 0.92 })
//!     .level(LevelSpec::JaroWinkler { min: 0.80 });
//! assert_eq!(surname.level_labels(), ["missing", "exact", "jaro_winkler>=0.92", "jaro_winkler>=0.8", "else"]);
//! ```

mod level;
pub mod similarity;

use std::fmt;

use serde::{Deserialize, Serialize};

pub use level::LevelSpec;
use level::{evaluate, CompiledLevel, Cost};

use crate::error::{Error, Result};
use crate::prepare::{FieldFeatures, Prepared};
use crate::record::Schema;

/// The most comparisons a configuration may hold (the length of a [`ComparisonVector`]).
pub const MAX_COMPARISONS: usize = 24;

/// How one field of two records is compared: an ordered list of levels.
///
/// Level `0` ("missing") and the last level ("else") are implicit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ComparisonSpec {
    /// The compared field.
    pub field: String,
    /// The levels, strongest first; the first that holds is taken.
    pub levels: Vec<LevelSpec>,
    /// Adjust the weight of an exact match by how frequent the value is (needs an
    /// `exact` level; takes effect when the model carries the field's frequency table).
    #[serde(default)]
    pub term_frequency: bool,
    /// Weigh an exact match on a value held by more records than one person
    /// holds (a generic contact email, a switchboard, a placeholder nobody
    /// cleaned) less: the value's u is the share of records holding it beyond
    /// one person's records, so agreeing on a value many different people
    /// hold says little, while a personal value keeps its full weight. Needs an
    /// `exact` level; takes effect when the model carries the field's frequency
    /// table; `term_frequency`, which adjusts every value, takes precedence.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub discount_shared_values: bool,
}

impl ComparisonSpec {
    /// A comparison of `field` with no level yet (every present pair lands in "else").
    pub fn new(field: impl Into<String>) -> Self {
        ComparisonSpec {
            field: field.into(),
            levels: Vec::new(),
            term_frequency: false,
            discount_shared_values: false,
        }
    }

    /// Turns the term-frequency adjustment of exact matches on.
    pub fn with_term_frequency(mut self) -> Self {
        self.term_frequency = true;
        self
    }

    /// Turns the discount of values shared by many records on.
    pub fn with_discount_shared_values(mut self) -> Self {
        self.discount_shared_values = true;
        self
    }

    /// Appends a level.
    pub fn level(mut self, level: LevelSpec) -> Self {
        self.levels.push(level);
        self
    }

    /// Labels of every level index, "missing" and "else" included.
    pub fn level_labels(&self) -> Vec<String> {
        let mut out = Vec::with_capacity(self.levels.len() + 2);
        out.push("missing".to_owned());
        out.extend(self.levels.iter().map(LevelSpec::label));
        out.push("else".to_owned());
        out
    }

    /// Number of level indices, "missing" and "else" included.
    pub fn level_count(&self) -> usize {
        self.levels.len() + 2
    }
}

/// The level index of every comparison for one pair: a small fixed array.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ComparisonVector {
    levels: [u8; MAX_COMPARISONS],
    len: u8,
}

impl ComparisonVector {
    /// A vector of `len` comparisons, all at level 0 (missing).
    pub(crate) fn new(len: usize) -> Self {
        ComparisonVector { levels: [0; MAX_COMPARISONS], len: len as u8 }
    }

    /// The level indices, one per comparison.
    pub fn levels(&self) -> &[u8] {
        &self.levels[..usize::from(self.len)]
    }

    pub(crate) fn set(&mut self, k: usize, level: u8) {
        self.levels[k] = level;
    }
}

impl fmt::Debug for ComparisonVector {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.levels()).finish()
    }
}

/// A comparison validated against a schema, ready to evaluate pairs.
#[derive(Debug, Clone)]
pub(crate) struct CompiledComparison {
    field: usize,
    levels: Vec<CompiledLevel>,
    /// The level index of the exact level, when value frequencies adjust it.
    tf_level: Option<u8>,
    /// Only values shared beyond one person's records are adjusted.
    shared_only: bool,
}

impl CompiledComparison {
    /// Validates `spec` (at config path `path`) and records the features its field needs.
    pub(crate) fn compile(
        spec: &ComparisonSpec,
        schema: &Schema,
        features: &mut [FieldFeatures],
        path: &str,
    ) -> Result<Self> {
        let field = schema
            .field_id(&spec.field)
            .ok_or_else(|| {
                Error::config(format!("{path}.field"), format!("unknown field `{}`", spec.field))
            })?
            .index();
        if spec.levels.len() > 250 {
            return Err(Error::config(format!("{path}.levels"), "more than 250 levels"));
        }
        let levels = spec
            .levels
            .iter()
            .enumerate()
            .map(|(k, l)| l.compile(field, schema, features, &format!("{path}.levels[{k}]")))
            .collect::<Result<Vec<_>>>()?;
        let flag = if spec.term_frequency {
            Some("term_frequency")
        } else if spec.discount_shared_values {
            Some("discount_shared_values")
        } else {
            None
        };
        let tf_level = match flag {
            Some(flag) => {
                let exact = levels.iter().position(CompiledLevel::is_exact).ok_or_else(|| {
                    Error::config(
                        format!("{path}.{flag}"),
                        "value frequencies need an `exact` level",
                    )
                })?;
                features[field].term_frequency = true;
                Some((exact + 1) as u8)
            }
            None => None,
        };
        let shared_only = !spec.term_frequency && spec.discount_shared_values;
        Ok(CompiledComparison { field, levels, tf_level, shared_only })
    }

    /// The compared field.
    #[inline]
    pub(crate) fn field(&self) -> usize {
        self.field
    }

    /// The level index of the exact level, when value frequencies adjust it.
    pub(crate) fn tf_level(&self) -> Option<u8> {
        self.tf_level
    }

    /// True when only values shared beyond one person's records are adjusted
    /// (`discount_shared_values`), not every value (`term_frequency`).
    pub(crate) fn shared_only(&self) -> bool {
        self.shared_only
    }

    /// True when some level computes a string similarity or edit distance (the
    /// costly levels), false when every level is a look-up or a cheap test.
    pub(crate) fn is_costly(&self) -> bool {
        self.levels.iter().any(|l| l.cost == Cost::Costly)
    }

    /// True when the first level is an exact match (level index 1 means equal values).
    pub(crate) fn starts_exact(&self) -> bool {
        self.levels.first().is_some_and(CompiledLevel::is_exact)
    }

    /// Number of level indices, "missing" and "else" included.
    pub(crate) fn level_count(&self) -> usize {
        self.levels.len() + 2
    }

    /// The level index of record `i` of `pa` and record `j` of `pb` (the two may
    /// be the same store). Symmetric; allocation-free.
    pub(crate) fn evaluate_across(&self, pa: &Prepared, i: usize, pb: &Prepared, j: usize) -> u8 {
        evaluate(&self.levels, self.field, pa, i, pb, j)
    }
}
