//! Golden records: one trustworthy value per field for an entity.
//!
//! Each field follows a [`Survivorship`] rule that picks one of the values its
//! member records hold; the chosen value keeps its source record and
//! observation time, so a host can show where it came from.
//!
//! ```
//! use personlink::golden::{GoldenConfig, Survivorship};
//! let golden = GoldenConfig::default()
//!     .with_field("email", Survivorship::MostRecent)
//!     .with_field("national_id", Survivorship::SourcePriority { systems: vec!["crm".into()] });
//! assert_eq!(golden.rule_for("surname"), &Survivorship::MostFrequent);
//! ```

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::id::EntityId;
use crate::record::{Record, Schema, SourceRef};

/// How a field's golden value is chosen among the members' values.
///
/// In JSON each rule is an object tagged by `type` in snake case; unknown
/// keys are rejected, on rules without knobs too:
///
/// ```
/// use personlink::golden::Survivorship;
///
/// let rule: Survivorship =
///     serde_json::from_str(r#"{"type": "source_priority", "systems": ["crm"]}"#).unwrap();
/// assert_eq!(rule, Survivorship::SourcePriority { systems: vec!["crm".into()] });
/// assert_eq!(serde_json::to_string(&Survivorship::Longest).unwrap(), r#"{"type":"longest"}"#);
/// let typo = serde_json::from_str::<Survivorship>(r#"{"type": "most_recent", "systems": ["crm"]}"#)
///     .unwrap_err();
/// assert!(typo.to_string().contains("unknown field `systems`"), "{typo}");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields, from = "SurvivorshipRepr")]
#[non_exhaustive]
pub enum Survivorship {
    /// The value of the most recently observed record.
    MostRecent,
    /// The value held by most records (compared after normalization); its most
    /// recent spelling is shown.
    MostFrequent,
    /// The value from the first listed system that has one (most recent within
    /// a system); systems not listed come last.
    SourcePriority {
        /// Systems, most trusted first.
        systems: Vec<String>,
    },
    /// The longest value (most recent among equals).
    Longest,
    /// The value of the earliest observed record.
    FirstNonEmpty,
}

/// What [`Survivorship`] deserializes from: the same shape, with the rules
/// without knobs written as empty struct variants, so that
/// `deny_unknown_fields` rejects `{"type": "most_recent", "systems": []}` too
/// (serde ignores extra keys on unit variants of internally tagged enums).
#[derive(Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
enum SurvivorshipRepr {
    MostRecent {},
    MostFrequent {},
    SourcePriority { systems: Vec<String> },
    Longest {},
    FirstNonEmpty {},
}

impl From<SurvivorshipRepr> for Survivorship {
    fn from(repr: SurvivorshipRepr) -> Self {
        use SurvivorshipRepr as R;
        match repr {
            R::MostRecent {} => Survivorship::MostRecent,
            R::MostFrequent {} => Survivorship::MostFrequent,
            R::SourcePriority { systems } => Survivorship::SourcePriority { systems },
            R::Longest {} => Survivorship::Longest,
            R::FirstNonEmpty {} => Survivorship::FirstNonEmpty,
        }
    }
}

/// Survivorship rules: one per field, with a default.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GoldenConfig {
    /// The rule of fields not listed.
    #[serde(default = "most_frequent")]
    pub default: Survivorship,
    /// Rules by field name.
    #[serde(default)]
    pub fields: BTreeMap<String, Survivorship>,
}

fn most_frequent() -> Survivorship {
    Survivorship::MostFrequent
}

impl Default for GoldenConfig {
    fn default() -> Self {
        GoldenConfig { default: most_frequent(), fields: BTreeMap::new() }
    }
}

impl GoldenConfig {
    /// Sets a field's rule.
    pub fn with_field(mut self, field: impl Into<String>, rule: Survivorship) -> Self {
        self.fields.insert(field.into(), rule);
        self
    }

    /// The rule for `field`.
    pub fn rule_for(&self, field: &str) -> &Survivorship {
        self.fields.get(field).unwrap_or(&self.default)
    }

    pub(crate) fn validate(&self, schema: &Schema) -> Result<()> {
        for name in self.fields.keys() {
            if schema.field_id(name).is_none() {
                return Err(Error::config(
                    format!("golden.fields.{name}"),
                    format!("unknown field `{name}`"),
                ));
            }
        }
        Ok(())
    }
}

/// A chosen value and where it came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct GoldenValue {
    /// The value as its source gave it.
    pub value: String,
    /// The record it came from.
    pub source: SourceRef,
    /// When that record was observed.
    pub observed_at: Option<i64>,
}

/// An entity's golden record: one value (or none) per schema field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct GoldenRecord {
    /// The entity.
    pub entity: EntityId,
    /// Field name and chosen value, in schema order.
    pub fields: Vec<(String, Option<GoldenValue>)>,
}

impl GoldenRecord {
    /// The chosen value of a field.
    pub fn value(&self, field: &str) -> Option<&GoldenValue> {
        self.fields.iter().find(|(f, _)| f == field).and_then(|(_, v)| v.as_ref())
    }
}

/// Builds the golden record of `members`; `normalized(record index, field)`
/// gives the normalized value used to count equal values.
pub(crate) fn build(
    entity: EntityId,
    schema: &Schema,
    config: &GoldenConfig,
    members: &[&Record],
    normalized: impl Fn(usize, usize) -> String,
) -> GoldenRecord {
    // Most recent first (unknown times last), then by source reference: every rule's tie-break.
    let mut order: Vec<usize> = (0..members.len()).collect();
    order.sort_by(|&a, &b| {
        let (x, y) = (members[a], members[b]);
        y.observed_at()
            .unwrap_or(i64::MIN)
            .cmp(&x.observed_at().unwrap_or(i64::MIN))
            .then_with(|| x.source().cmp(y.source()))
    });
    let fields = schema
        .fields()
        .iter()
        .enumerate()
        .map(|(f, def)| {
            let id = schema.field_id(&def.name).expect("own field");
            let present: Vec<usize> =
                order.iter().copied().filter(|&m| members[m].get(id).is_some()).collect();
            let pick = match config.rule_for(&def.name) {
                Survivorship::MostRecent => present.first().copied(),
                Survivorship::FirstNonEmpty => present.last().copied(),
                Survivorship::Longest => present
                    .iter()
                    .copied()
                    .rev()
                    .max_by_key(|&m| members[m].get(id).map_or(0, |v| v.trim().chars().count())),
                Survivorship::MostFrequent => {
                    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
                    for &m in &present {
                        *counts.entry(normalized(m, f)).or_default() += 1;
                    }
                    let best = counts.values().copied().max().unwrap_or(0);
                    present.iter().copied().find(|&m| counts.get(&normalized(m, f)) == Some(&best))
                }
                Survivorship::SourcePriority { systems } => {
                    let rank = |m: usize| {
                        systems
                            .iter()
                            .position(|s| *s == members[m].source().system)
                            .unwrap_or(systems.len())
                    };
                    present.iter().copied().min_by_key(|&m| rank(m))
                }
            };
            let value = pick.map(|m| GoldenValue {
                value: members[m].get(id).unwrap_or_default().trim().to_owned(),
                source: members[m].source().clone(),
                observed_at: members[m].observed_at(),
            });
            (def.name.clone(), value)
        })
        .collect();
    GoldenRecord { entity, fields }
}
