//! The Fellegi-Sunter model: m and u probabilities per comparison level.
//!
//! For each comparison level, `m` is the probability of that level among pairs
//! of records of the same person, and `u` among pairs of different people.
//! A pair's match weight is the prior weight plus the sum over its comparisons
//! of `log2(m / u)` at the level it reached; its match probability is
//! `2^w / (1 + 2^w)`. A missing value (level 0) is neutral: weight 0.
//!
//! The model is plain data (serde), so it can be shipped, trained and saved.
//! To load a saved model back bit for bit with `serde_json`, enable its
//! `float_roundtrip` feature (its default float parser may differ in the last bit).
//!
//! ```
//! use personlink::model::{match_probability, partial_weight};
//! assert_eq!(partial_weight(0.9, 0.01), (0.9f64 / 0.01).log2());
//! assert_eq!(match_probability(0.0), 0.5);
//! ```

use serde::{Deserialize, Serialize};

use crate::compare::{ComparisonSpec, ComparisonVector, MAX_COMPARISONS};
use crate::error::{Error, Result};
pub(crate) use crate::keyed::parse_keyed_entry;
pub use crate::keyed::{FrequencyKey, MIN_FREQUENCY_SECRET_LEN};

/// The largest magnitude any weight of a model or a policy may take (caps,
/// identity floors and ceilings, thresholds): probabilities are clamped at
/// 1e-9, so the prior and each comparison weigh under 30 bits, and no score
/// comes near it.
pub const MAX_ABS_WEIGHT: f64 = 1000.0;

/// Probabilities are clamped to at least this before taking logs, so no weight is infinite.
pub const MIN_PROBABILITY: f64 = 1e-9;

/// m and u of one comparison level.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LevelParams {
    /// The level's label, as [`ComparisonSpec::level_labels`] gives it.
    pub label: String,
    /// P(level | same person).
    pub m: f64,
    /// P(level | different people).
    pub u: f64,
}

impl LevelParams {
    /// A level's parameters.
    pub fn new(label: impl Into<String>, m: f64, u: f64) -> Self {
        LevelParams { label: label.into(), m, u }
    }

    /// `log2(m / u)`.
    pub fn weight(&self) -> f64 {
        partial_weight(self.m, self.u)
    }
}

/// m and u of every non-missing level of one comparison, in level order ("else" last).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ComparisonModel {
    /// The compared field.
    pub field: String,
    /// One entry per level after "missing".
    pub levels: Vec<LevelParams>,
}

/// The most weight caps a model may hold.
pub const MAX_WEIGHT_CAPS: usize = 8;

/// Bounds on the summed weight of a group of correlated comparisons.
///
/// Fellegi-Sunter adds the evidence of every field as if the fields were
/// independent. Some are not: relatives living together share a street, a
/// postcode, a city and a landline, so agreement on all of them is one piece
/// of evidence ("same household"), not six. A cap bounds what the group's
/// agreements can add together and, optionally, what its disagreements can
/// take away together.
///
/// ```
/// use personlink::model::WeightCap;
/// let cap = WeightCap::new("residence", ["address_1", "postcode", "city"], 14.0);
/// assert_eq!(cap.fields.len(), 3);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WeightCap {
    /// A name for explanations.
    pub name: String,
    /// The compared fields in the group (each in at most one cap).
    pub fields: Vec<String>,
    /// The most the group's positive weights can add, in bits.
    pub max_weight: f64,
    /// The most the group's negative weights can take away, as a negative
    /// number of bits (`None`: no floor). A move changes street, city, postcode
    /// and phone at once: one event, not five disagreements.
    #[serde(default)]
    pub min_weight: Option<f64>,
}

impl WeightCap {
    /// A cap over `fields`.
    pub fn new<S: Into<String>>(
        name: impl Into<String>,
        fields: impl IntoIterator<Item = S>,
        max_weight: f64,
    ) -> Self {
        WeightCap {
            name: name.into(),
            fields: fields.into_iter().map(Into::into).collect(),
            max_weight,
            min_weight: None,
        }
    }
}

/// How often each normalized value of a field occurs, for the term-frequency
/// adjustment of exact matches.
///
/// An exact match on value `v` weighs `log2(m / max(f_v, min_frequency))`
/// instead of `log2(m / u)`, where `f_v = counts[v] / total` is the share of
/// records holding `v` (a value absent from the table counts once). Agreeing on
/// "martin" then weighs less than agreeing on "kervadec": two different people
/// share `v` with probability `f_v²` and one person shows `v` with probability
/// `m · f_v`, so the ratio is `m / f_v`.
///
/// A table holds the normalized values of the data it was counted on (names,
/// cities): personal data. In a model keyed with a [`FrequencyKey`]
/// ([`Model::with_frequency_key`]), each value is replaced by its keyed hash,
/// 16 hexadecimal digits that say nothing of the value without the key.
///
/// ```
/// use personlink::model::TermFrequencies;
/// let table = TermFrequencies::new("surname", 4, [("martin", 3)]);
/// assert_eq!(table.frequency("martin"), 0.75);
/// assert_eq!(table.frequency("kervadec"), 0.25); // absent: counts once
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TermFrequencies {
    /// The compared field.
    pub field: String,
    /// Records with a value in the field.
    pub total: u64,
    /// Records per normalized value (per keyed hash of the value, in a keyed model).
    pub counts: std::collections::BTreeMap<String, u64>,
}

impl TermFrequencies {
    /// A table of `field`'s values: `counts` records per value, out of `total` records.
    pub fn new<'a>(
        field: impl Into<String>,
        total: u64,
        counts: impl IntoIterator<Item = (&'a str, u64)>,
    ) -> Self {
        TermFrequencies {
            field: field.into(),
            total,
            counts: counts.into_iter().map(|(v, n)| (v.to_owned(), n)).collect(),
        }
    }

    /// The share of records holding `value` (a value not in the table counts
    /// once); in a keyed table, `value` is the entry's key (see
    /// [`Model::frequency_entry`]).
    pub fn frequency(&self, value: &str) -> f64 {
        if self.total == 0 {
            return 0.0;
        }
        self.counts.get(value).copied().unwrap_or(1).max(1) as f64 / self.total as f64
    }

    /// Checks the counts: each at least 1 and at most the total, and their sum
    /// within the total (every record holds one value); in a keyed table,
    /// every entry is a keyed hash. `path` names the table.
    fn check(&self, path: &str, keyed: bool) -> Result<()> {
        let mut sum = 0u64;
        for (value, &count) in &self.counts {
            if count == 0 || count > self.total {
                return Err(Error::Model {
                    path: format!("{path}.counts"),
                    reason: format!(
                        "a count of {count} is not in 1..={} (the table's total)",
                        self.total
                    ),
                });
            }
            if keyed && parse_keyed_entry(value).is_none() {
                return Err(Error::Model {
                    path: format!("{path}.counts"),
                    reason: "an entry of a keyed table is not a keyed hash (16 hexadecimal digits)"
                        .into(),
                });
            }
            sum = sum.saturating_add(count);
        }
        if sum > self.total {
            return Err(Error::Model {
                path: format!("{path}.total"),
                reason: format!(
                    "the counts sum to {sum}, more than the {} records of the total",
                    self.total
                ),
            });
        }
        Ok(())
    }
}

/// How far from 1 the m (or u) of a comparison may sum over its levels in
/// [`Model::check_distributions`] (the built-in profile's hand-set numbers
/// are within 0.035).
pub const DISTRIBUTION_TOLERANCE: f64 = 0.05;

/// The default floor of a value's frequency in the term-frequency adjustment.
pub const DEFAULT_TF_MIN_FREQUENCY: f64 = 1e-5;

fn default_tf_min_frequency() -> f64 {
    DEFAULT_TF_MIN_FREQUENCY
}

fn one() -> f64 {
    1.0
}

fn is_one(v: &f64) -> bool {
    *v == 1.0
}

/// A whole Fellegi-Sunter model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Model {
    /// Probability that two records drawn at random are the same person.
    pub prior: f64,
    /// One entry per comparison, in configuration order.
    pub comparisons: Vec<ComparisonModel>,
    /// Caps on groups of correlated comparisons.
    #[serde(default)]
    pub caps: Vec<WeightCap>,
    /// Value frequency tables of the comparisons with `term_frequency` or
    /// `discount_shared_values` set (for the latter, only the values held by
    /// more records than one person holds).
    #[serde(default)]
    pub term_frequencies: Vec<TermFrequencies>,
    /// How many records one person holds on average (1 when unknown).
    /// Training estimates it from the expected matches;
    /// [`Model::shared_value_allowance`] derives from it how many records of
    /// one value `discount_shared_values` leaves alone.
    #[serde(default = "one", skip_serializing_if = "is_one")]
    pub records_per_person: f64,
    /// The floor of a value's frequency in the adjustment (bounds the bonus of a unique value).
    #[serde(default = "default_tf_min_frequency")]
    pub tf_min_frequency: f64,
    /// The evidence a match must rest on, if any (see [`IdentityRequirement`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub identity: Option<IdentityRequirement>,
    /// When the frequency tables are keyed: the [`FrequencyKey::check`] of
    /// their key (`None`: the tables hold clear values). Set by
    /// [`Model::with_frequency_key`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub frequency_key_check: Option<String>,
    /// The secret of keyed frequency tables, in memory only: never serialized
    /// (a loaded keyed model needs [`Model::with_frequency_key`] before use).
    #[serde(skip)]
    pub frequency_key: Option<FrequencyKey>,
}

/// The evidence a match must rest on: the comparisons that identify a person.
///
/// Fellegi-Sunter adds up all the evidence, so enough agreement on where
/// someone lives and on shared contacts (surname, street, landline, a family
/// email) can outweigh a different first name and birth date: relatives who
/// share a home then score as one person. With a requirement, a pair whose
/// identity comparisons (say given name, birth date and national id) sum to
/// less than `min_weight` scores at most `ceiling`, whatever else agrees;
/// training applies it too, so relatives are not learnt as matches.
///
/// ```
/// use personlink::model::IdentityRequirement;
/// let who = IdentityRequirement::new(["given_name", "date_of_birth", "national_id"], 8.0, -10.0);
/// assert_eq!(who.fields.len(), 3);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IdentityRequirement {
    /// The comparisons whose agreement identifies a person.
    pub fields: Vec<String>,
    /// Their summed weight (term-frequency adjustments included, before caps)
    /// a pair must reach.
    pub min_weight: f64,
    /// The most a pair that does not reach it can score.
    pub ceiling: f64,
    /// Comparisons that must not disagree outright: a pair landing on the
    /// "else" level of one of them is held under the ceiling too (a twin has
    /// the birth date, the surname and the home of the other, not the first
    /// name).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub must_agree: Vec<String>,
    /// Comparisons that vouch for a pair a `must_agree` comparison holds
    /// back: when one of them lands on a level weighing at least `min_weight`
    /// on its own (the same national id), a first name that disagrees outright
    /// is taken for an entry error, not for a twin.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub vouched_by: Vec<String>,
    /// Comparisons that must back a pair resting on a `must_agree` field
    /// alone: when no other identity comparison weighs at least `min_weight`
    /// on its own (no birth date or national id to tell two people apart),
    /// one of these must land on a level of positive weight (the same email,
    /// phone or street), or the pair is held under the ceiling. Two Jean
    /// Dupont of one town without birth dates, with different phones and
    /// streets, are two people as often as one.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub corroborated_by: Vec<String>,
}

impl IdentityRequirement {
    /// A requirement over `fields`.
    pub fn new<S: Into<String>>(
        fields: impl IntoIterator<Item = S>,
        min_weight: f64,
        ceiling: f64,
    ) -> Self {
        IdentityRequirement {
            fields: fields.into_iter().map(Into::into).collect(),
            min_weight,
            ceiling,
            must_agree: Vec::new(),
            vouched_by: Vec::new(),
            corroborated_by: Vec::new(),
        }
    }

    /// Also holds under the ceiling the pairs whose `field` lands on its "else" level.
    pub fn with_must_agree(mut self, field: impl Into<String>) -> Self {
        self.must_agree.push(field.into());
        self
    }

    /// Lets an agreement on `field` (a level weighing at least `min_weight`)
    /// vouch for a pair a `must_agree` comparison would hold back.
    pub fn with_vouched_by(mut self, field: impl Into<String>) -> Self {
        self.vouched_by.push(field.into());
        self
    }

    /// Lets an agreement on `field` (a level of positive weight) back a pair
    /// that rests on its `must_agree` fields alone; see
    /// [`IdentityRequirement::corroborated_by`].
    pub fn with_corroborated_by(mut self, field: impl Into<String>) -> Self {
        self.corroborated_by.push(field.into());
        self
    }
}

/// How many records may hold one value before it counts as shared by
/// different people, when one person holds `records_per_person` on average:
/// twice that, plus one (see [`Model::shared_value_allowance`]).
pub(crate) fn shared_value_allowance(records_per_person: f64) -> f64 {
    2.0 * records_per_person + 1.0
}

/// `log2(m / u)` with both clamped to `[MIN_PROBABILITY, 1]`.
pub fn partial_weight(m: f64, u: f64) -> f64 {
    let m = m.clamp(MIN_PROBABILITY, 1.0);
    let u = u.clamp(MIN_PROBABILITY, 1.0);
    (m / u).log2()
}

/// `log2(p / (1 - p))`, the weight of a prior probability.
pub fn prior_weight(prior: f64) -> f64 {
    let p = prior.clamp(MIN_PROBABILITY, 1.0 - MIN_PROBABILITY);
    (p / (1.0 - p)).log2()
}

/// `2^w / (1 + 2^w)`, computed without overflow.
pub fn match_probability(weight: f64) -> f64 {
    if weight >= 0.0 {
        1.0 / (1.0 + (-weight).exp2())
    } else {
        let e = weight.exp2();
        e / (1.0 + e)
    }
}

/// The weight whose match probability is `p`.
pub fn weight_of_probability(p: f64) -> f64 {
    prior_weight(p)
}

fn check_probability(v: f64, path: String) -> Result<()> {
    if v.is_finite() && v > 0.0 && v <= 1.0 {
        Ok(())
    } else {
        Err(Error::Model { path, reason: format!("{v} is not a probability in (0, 1]") })
    }
}

impl Model {
    /// How many records may hold one value before `discount_shared_values`
    /// takes it for a value different people share: twice the records one
    /// person holds on average, plus one (a person with more records than
    /// most, or a couple, keeps the full weight of their email).
    ///
    /// ```
    /// use personlink::Config;
    /// let mut model = Config::person_default().model;
    /// model.records_per_person = 1.8;
    /// assert!((model.shared_value_allowance() - 4.6).abs() < 1e-12);
    /// ```
    pub fn shared_value_allowance(&self) -> f64 {
        shared_value_allowance(self.records_per_person)
    }

    /// A model with m = u everywhere (each comparison's levels equally
    /// likely: 0.5 each for "exact" and "else"): every level weighs 0.
    pub fn neutral(comparisons: &[ComparisonSpec], prior: f64) -> Self {
        Model {
            prior,
            comparisons: comparisons
                .iter()
                .map(|c| {
                    let labels = &c.level_labels()[1..];
                    let p = 1.0 / labels.len().max(1) as f64;
                    ComparisonModel {
                        field: c.field.clone(),
                        levels: labels.iter().map(|l| LevelParams::new(l.clone(), p, p)).collect(),
                    }
                })
                .collect(),
            caps: Vec::new(),
            term_frequencies: Vec::new(),
            tf_min_frequency: default_tf_min_frequency(),
            records_per_person: 1.0,
            identity: None,
            frequency_key_check: None,
            frequency_key: None,
        }
    }

    /// The model with its frequency tables keyed with `key`: clear tables are
    /// converted (each value replaced by its keyed hash, and
    /// [`Model::frequency_key_check`] set); tables already keyed get their key
    /// back (a model loaded from a file). Training from a keyed model keys the
    /// tables it builds; a resolver built on it forgets keyed entries as it
    /// forgets clear ones.
    ///
    /// # Errors
    /// [`Error::Model`] at `frequency_key_check` when the tables were keyed
    /// with another key.
    ///
    /// ```
    /// use personlink::model::{FrequencyKey, TermFrequencies};
    /// let key = FrequencyKey::new([7; 16]);
    /// let mut model = personlink::Config::person_default().model;
    /// model.term_frequencies.push(TermFrequencies::new("city", 10, [("lyon", 4)]));
    /// let keyed = model.with_frequency_key(key.clone())?;
    /// let entry = key.entry("city", "lyon");
    /// assert_eq!(keyed.term_frequencies[0].counts[&entry], 4);
    /// assert_eq!(keyed.frequency_entry("city", "lyon"), entry);
    /// let other = FrequencyKey::new([8; 16]);
    /// assert!(keyed.clone().with_frequency_key(other).is_err());
    /// # Ok::<(), personlink::Error>(())
    /// ```
    pub fn with_frequency_key(mut self, key: FrequencyKey) -> Result<Self> {
        let check = key.check();
        match &self.frequency_key_check {
            Some(recorded) if *recorded != check => {
                return Err(Error::Model {
                    path: "frequency_key_check".into(),
                    reason: "the frequency key given is not the one the tables were keyed with"
                        .into(),
                });
            }
            Some(_) => {}
            None => {
                for table in &mut self.term_frequencies {
                    let mut keyed = std::collections::BTreeMap::new();
                    for (value, count) in std::mem::take(&mut table.counts) {
                        // Two values with one 64-bit hash share an entry.
                        *keyed.entry(key.entry(&table.field, &value)).or_insert(0) += count;
                    }
                    table.counts = keyed;
                }
                self.frequency_key_check = Some(check);
            }
        }
        self.frequency_key = Some(key);
        Ok(self)
    }

    /// The entry of `value` in `field`'s frequency table: the value itself in
    /// clear tables, its keyed hash in keyed ones.
    pub fn frequency_entry(&self, field: &str, value: &str) -> String {
        match (&self.frequency_key_check, &self.frequency_key) {
            (Some(_), Some(key)) => key.entry(field, value),
            _ => value.to_owned(),
        }
    }

    /// Checks that keyed tables come with their key, and that a key comes
    /// with keyed tables.
    fn validate_frequency_key(&self) -> Result<()> {
        let path = "frequency_key_check";
        match (&self.frequency_key_check, &self.frequency_key) {
            (None, None) => Ok(()),
            (Some(_), None) => Err(Error::Model {
                path: path.into(),
                reason: "the frequency tables are keyed with a secret: give the model its key \
                         (Model::with_frequency_key)"
                    .into(),
            }),
            (Some(check), Some(key)) if *check == key.check() => Ok(()),
            (Some(_), Some(_)) => Err(Error::Model {
                path: path.into(),
                reason: "the frequency key given is not the one the tables were keyed with".into(),
            }),
            (None, Some(_)) => Err(Error::Model {
                path: path.into(),
                reason: "a frequency key is set but the tables are clear: key them with \
                         Model::with_frequency_key"
                    .into(),
            }),
        }
    }

    /// Checks that each comparison's m, and its u, sum to 1 over its levels
    /// within [`DISTRIBUTION_TOLERANCE`] (each is a probability distribution
    /// over the levels a pair can reach). Training gives such models and the
    /// built-in profile is written so; a [`crate::Resolver`] requires it of
    /// its model, so that a snapshot whose numbers were changed is caught.
    ///
    /// # Errors
    /// [`Error::Model`] at `comparisons[i].levels` for the first comparison off.
    ///
    /// ```
    /// let mut model = personlink::Config::person_default().model;
    /// assert!(model.check_distributions().is_ok());
    /// model.comparisons[0].levels[0].m = 0.999;
    /// assert!(model.check_distributions().is_err());
    /// ```
    pub fn check_distributions(&self) -> Result<()> {
        for (i, c) in self.comparisons.iter().enumerate() {
            for (name, sum) in [
                ("m", c.levels.iter().map(|l| l.m).sum::<f64>()),
                ("u", c.levels.iter().map(|l| l.u).sum::<f64>()),
            ] {
                if !sum.is_finite() || (sum - 1.0).abs() > DISTRIBUTION_TOLERANCE {
                    return Err(Error::Model {
                        path: format!("comparisons[{i}].levels"),
                        reason: format!(
                            "{name} sums to {sum} over the levels of `{}`, not 1 (within \
                             {DISTRIBUTION_TOLERANCE})",
                            c.field
                        ),
                    });
                }
            }
        }
        Ok(())
    }

    /// The prior's weight, `log2(prior / (1 - prior))`.
    pub fn prior_weight(&self) -> f64 {
        prior_weight(self.prior)
    }

    /// Checks that the model fits `comparisons` (same fields, same level labels, valid probabilities).
    ///
    /// # Errors
    /// [`Error::Model`] naming the first entry that does not fit.
    pub fn validate(&self, comparisons: &[ComparisonSpec]) -> Result<()> {
        if !(self.prior.is_finite() && self.prior > 0.0 && self.prior < 1.0) {
            return Err(Error::Model {
                path: "prior".into(),
                reason: format!("{} is not a probability in (0, 1)", self.prior),
            });
        }
        if self.comparisons.len() != comparisons.len() {
            return Err(Error::Model {
                path: "comparisons".into(),
                reason: format!(
                    "{} comparisons in the model, {} in the configuration",
                    self.comparisons.len(),
                    comparisons.len()
                ),
            });
        }
        for (i, (cm, spec)) in self.comparisons.iter().zip(comparisons).enumerate() {
            if cm.field != spec.field {
                return Err(Error::Model {
                    path: format!("comparisons[{i}].field"),
                    reason: format!(
                        "`{}` in the model, `{}` in the configuration",
                        cm.field, spec.field
                    ),
                });
            }
            let labels = spec.level_labels();
            if cm.levels.len() + 1 != labels.len() {
                return Err(Error::Model {
                    path: format!("comparisons[{i}].levels"),
                    reason: format!(
                        "{} levels in the model, {} in the configuration (\"missing\" excluded)",
                        cm.levels.len(),
                        labels.len() - 1
                    ),
                });
            }
            for (k, (lp, label)) in cm.levels.iter().zip(&labels[1..]).enumerate() {
                let path = format!("comparisons[{i}].levels[{k}]");
                if &lp.label != label {
                    return Err(Error::Model {
                        path: format!("{path}.label"),
                        reason: format!(
                            "`{}` in the model, `{label}` in the configuration",
                            lp.label
                        ),
                    });
                }
                check_probability(lp.m, format!("{path}.m"))?;
                check_probability(lp.u, format!("{path}.u"))?;
            }
        }
        if !(self.records_per_person.is_finite() && self.records_per_person >= 1.0) {
            return Err(Error::Model {
                path: "records_per_person".into(),
                reason: format!("{} is not a number of records >= 1", self.records_per_person),
            });
        }
        if !(self.tf_min_frequency.is_finite()
            && self.tf_min_frequency > 0.0
            && self.tf_min_frequency <= 1.0)
        {
            return Err(Error::Model {
                path: "tf_min_frequency".into(),
                reason: format!("{} is not a frequency in (0, 1]", self.tf_min_frequency),
            });
        }
        self.validate_frequency_key()?;
        for (t, table) in self.term_frequencies.iter().enumerate() {
            if self.term_frequencies[..t].iter().any(|o| o.field == table.field) {
                return Err(Error::Model {
                    path: format!("term_frequencies[{t}].field"),
                    reason: format!("a second table of `{}`", table.field),
                });
            }
            table.check(&format!("term_frequencies[{t}]"), self.frequency_key_check.is_some())?;
            let ok = comparisons
                .iter()
                .any(|c| c.field == table.field && (c.term_frequency || c.discount_shared_values));
            if !ok {
                return Err(Error::Model {
                    path: format!("term_frequencies[{t}].field"),
                    reason: format!(
                        "`{}` is not a comparison with term_frequency or discount_shared_values set",
                        table.field
                    ),
                });
            }
        }
        if self.caps.len() > MAX_WEIGHT_CAPS {
            return Err(Error::Model {
                path: "caps".into(),
                reason: format!("{} caps, at most {MAX_WEIGHT_CAPS} are allowed", self.caps.len()),
            });
        }
        let mut capped = vec![false; comparisons.len()];
        for (g, cap) in self.caps.iter().enumerate() {
            if cap.min_weight.is_some_and(|m| !(-MAX_ABS_WEIGHT..=0.0).contains(&m)) {
                return Err(Error::Model {
                    path: format!("caps[{g}].min_weight"),
                    reason: format!("must be a weight from -{MAX_ABS_WEIGHT} to 0"),
                });
            }
            if !(0.0..=MAX_ABS_WEIGHT).contains(&cap.max_weight) {
                return Err(Error::Model {
                    path: format!("caps[{g}].max_weight"),
                    reason: format!(
                        "{} is not a weight from 0 to {MAX_ABS_WEIGHT}",
                        cap.max_weight
                    ),
                });
            }
            for (f, field) in cap.fields.iter().enumerate() {
                let path = format!("caps[{g}].fields[{f}]");
                let k = comparisons.iter().position(|c| &c.field == field).ok_or_else(|| {
                    Error::Model {
                        path: path.clone(),
                        reason: format!("`{field}` is not a compared field"),
                    }
                })?;
                if std::mem::replace(&mut capped[k], true) {
                    return Err(Error::Model {
                        path,
                        reason: format!("`{field}` is already in a cap"),
                    });
                }
            }
        }
        if let Some(identity) = &self.identity {
            for (name, w) in [("min_weight", identity.min_weight), ("ceiling", identity.ceiling)] {
                if !(-MAX_ABS_WEIGHT..=MAX_ABS_WEIGHT).contains(&w) {
                    return Err(Error::Model {
                        path: format!("identity.{name}"),
                        reason: format!(
                            "{w} is not a weight from -{MAX_ABS_WEIGHT} to {MAX_ABS_WEIGHT}"
                        ),
                    });
                }
            }
            if identity.fields.is_empty() {
                return Err(Error::Model {
                    path: "identity.fields".into(),
                    reason: "at least one comparison must identify a person".into(),
                });
            }
            for (f, field) in identity.fields.iter().enumerate() {
                if !comparisons.iter().any(|c| &c.field == field) {
                    return Err(Error::Model {
                        path: format!("identity.fields[{f}]"),
                        reason: format!("`{field}` is not a compared field"),
                    });
                }
            }
            for (list, fields) in [
                ("must_agree", &identity.must_agree),
                ("vouched_by", &identity.vouched_by),
                ("corroborated_by", &identity.corroborated_by),
            ] {
                for (f, field) in fields.iter().enumerate() {
                    if !comparisons.iter().any(|c| &c.field == field) {
                        return Err(Error::Model {
                            path: format!("identity.{list}[{f}]"),
                            reason: format!("`{field}` is not a compared field"),
                        });
                    }
                }
            }
        }
        Ok(())
    }
}

/// Weights of every level of every comparison, flattened for the hot loop.
#[derive(Debug, Clone)]
pub(crate) struct WeightTable {
    pub prior: f64,
    offsets: Vec<usize>,
    weights: Vec<f64>,
    /// For each comparison, the index of its cap (`NO_CAP` when none).
    cap_of: Vec<u8>,
    /// The bounds of each cap group: (most positive, most negative) summed weight.
    caps: Vec<(f64, f64)>,
    /// The identity requirement, if any.
    identity: Option<IdentityCheck>,
}

const NO_CAP: u8 = u8::MAX;

/// A comparison's part in an identity requirement.
#[derive(Debug, Clone, Copy)]
struct Role {
    /// Its weight counts towards `min_weight`.
    identifies: bool,
    /// Its "else" level holds the pair back.
    must_agree: bool,
    /// Its agreement lifts a `must_agree` hold.
    vouches: bool,
    /// Its agreement backs a pair resting on `must_agree` fields alone.
    corroborates: bool,
}

/// An identity requirement bound to the model's comparisons: the one rule
/// scoring and training both apply.
#[derive(Debug, Clone)]
pub(crate) struct IdentityCheck {
    /// Per comparison: its part in the requirement.
    roles: Vec<Role>,
    min_weight: f64,
    ceiling: f64,
    /// Some comparison corroborates.
    needs_corroboration: bool,
}

impl IdentityCheck {
    /// The requirement of `model` (validated against its comparisons), if any.
    pub(crate) fn of(model: &Model) -> Option<Self> {
        let r = model.identity.as_ref()?;
        let roles = model
            .comparisons
            .iter()
            .map(|c| Role {
                identifies: r.fields.contains(&c.field),
                must_agree: r.must_agree.contains(&c.field),
                vouches: r.vouched_by.contains(&c.field),
                corroborates: r.corroborated_by.contains(&c.field),
            })
            .collect();
        Some(IdentityCheck {
            roles,
            min_weight: r.min_weight,
            ceiling: r.ceiling,
            needs_corroboration: !r.corroborated_by.is_empty(),
        })
    }

    /// When a pair at `levels` does not meet the requirement: the summed
    /// weight of its identity comparisons, the weight required, and the
    /// ceiling of its score. `weight(k, level)` is comparison `k`'s weight at a
    /// level and `levels_of(k)` its number of levels ("else" is the last).
    #[inline]
    pub(crate) fn shortfall(
        &self,
        levels: &[u8],
        weight: impl Fn(usize, u8) -> f64,
        levels_of: impl Fn(usize) -> usize,
    ) -> Option<(f64, f64, f64)> {
        let (mut sum, mut disagrees, mut vouched) = (0.0, false, false);
        let (mut anchored, mut corroborated) = (false, false);
        for (k, &level) in levels.iter().enumerate() {
            let role = self.roles[k];
            if role.identifies {
                let w = weight(k, level);
                sum += w;
                anchored |= !role.must_agree && level > 0 && w >= self.min_weight;
            }
            disagrees |= role.must_agree && usize::from(level) + 1 == levels_of(k);
            vouched |= role.vouches && level > 0 && weight(k, level) >= self.min_weight;
            corroborated |= role.corroborates && level > 0 && weight(k, level) > 0.0;
        }
        let unbacked = self.needs_corroboration && !anchored && !corroborated;
        (sum < self.min_weight || (disagrees && !vouched) || unbacked).then_some((
            sum,
            self.min_weight,
            self.ceiling,
        ))
    }
}

impl WeightTable {
    /// Builds the table of a model already validated against its comparisons.
    pub(crate) fn new(model: &Model) -> Self {
        let mut offsets = Vec::with_capacity(model.comparisons.len());
        let mut weights = Vec::new();
        for cm in &model.comparisons {
            offsets.push(weights.len());
            weights.push(0.0);
            weights.extend(cm.levels.iter().map(LevelParams::weight));
        }
        let mut cap_of = vec![NO_CAP; model.comparisons.len()];
        for (g, cap) in model.caps.iter().enumerate() {
            for field in &cap.fields {
                if let Some(k) = model.comparisons.iter().position(|c| &c.field == field) {
                    cap_of[k] = g as u8;
                }
            }
        }
        let caps = model
            .caps
            .iter()
            .map(|c| (c.max_weight, c.min_weight.unwrap_or(f64::NEG_INFINITY)))
            .collect();
        let identity = IdentityCheck::of(model);
        WeightTable { prior: model.prior_weight(), offsets, weights, cap_of, caps, identity }
    }

    /// Sums each cap group's positive and negative weights separately.
    fn group_sums(
        &self,
        v: &ComparisonVector,
        adjust: &[f64; MAX_COMPARISONS],
    ) -> ([f64; MAX_WEIGHT_CAPS], [f64; MAX_WEIGHT_CAPS], f64) {
        let mut positive = [0.0f64; MAX_WEIGHT_CAPS];
        let mut negative = [0.0f64; MAX_WEIGHT_CAPS];
        let mut free = 0.0;
        for (k, &level) in v.levels().iter().enumerate() {
            let lw = self.level_weight(k, level) + adjust[k];
            match self.cap_of[k] {
                NO_CAP => free += lw,
                g if lw > 0.0 => positive[usize::from(g)] += lw,
                g => negative[usize::from(g)] += lw,
            }
        }
        (positive, negative, free)
    }

    /// For each cap, the weight its group reached before the cap (positive and
    /// negative parts together) and what the cap changed, for explanations.
    pub(crate) fn cap_adjustments(
        &self,
        v: &ComparisonVector,
        adjust: &[f64; MAX_COMPARISONS],
    ) -> Vec<(f64, f64)> {
        let (positive, negative, _) = self.group_sums(v, adjust);
        self.caps
            .iter()
            .enumerate()
            .map(|(g, &(max, min))| {
                let raw = positive[g] + negative[g];
                (raw, positive[g].min(max) + negative[g].max(min) - raw)
            })
            .collect()
    }

    /// The cap group comparison `k` belongs to, if any.
    pub(crate) fn cap_of(&self, k: usize) -> Option<usize> {
        match self.cap_of[k] {
            NO_CAP => None,
            g => Some(usize::from(g)),
        }
    }

    /// Each cap group's (most positive, most negative) summed weight.
    pub(crate) fn caps(&self) -> &[(f64, f64)] {
        &self.caps
    }

    /// Number of level indices of comparison `k`, "missing" included.
    pub(crate) fn level_count(&self, k: usize) -> usize {
        let end = self.offsets.get(k + 1).copied().unwrap_or(self.weights.len());
        end - self.offsets[k]
    }

    /// The weight of comparison `k` at `level`.
    pub(crate) fn level_weight(&self, k: usize, level: u8) -> f64 {
        self.weights[self.offsets[k] + usize::from(level)]
    }

    /// The total match weight of a comparison vector: the prior, plus every
    /// level's weight, with each cap group's positive part bounded by its cap.
    pub(crate) fn score(&self, v: &ComparisonVector) -> f64 {
        self.score_adjusted(v, &[0.0; MAX_COMPARISONS])
    }

    /// As [`WeightTable::score`], with `adjust[k]` added to comparison `k`'s
    /// weight (term-frequency adjustments) before the caps apply.
    pub(crate) fn score_adjusted(
        &self,
        v: &ComparisonVector,
        adjust: &[f64; MAX_COMPARISONS],
    ) -> f64 {
        let w = self.score_before_identity(v, adjust);
        match self.identity_shortfall(v, adjust) {
            Some((_, _, ceiling)) => w.min(ceiling),
            None => w,
        }
    }

    /// As [`WeightTable::score_adjusted`], before the identity requirement:
    /// the prior, every level's adjusted weight, and the caps.
    pub(crate) fn score_before_identity(
        &self,
        v: &ComparisonVector,
        adjust: &[f64; MAX_COMPARISONS],
    ) -> f64 {
        let (positive, negative, free) = self.group_sums(v, adjust);
        let mut w = self.prior + free;
        for (g, &(max, min)) in self.caps.iter().enumerate() {
            w += positive[g].min(max) + negative[g].max(min);
        }
        w
    }

    /// When the pair does not reach the identity requirement: the summed
    /// weight of its identity comparisons, the weight required, and the
    /// ceiling of its score.
    pub(crate) fn identity_shortfall(
        &self,
        v: &ComparisonVector,
        adjust: &[f64; MAX_COMPARISONS],
    ) -> Option<(f64, f64, f64)> {
        self.identity.as_ref()?.shortfall(
            v.levels(),
            |k, level| self.level_weight(k, level) + adjust[k],
            |k| self.level_count(k),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compare::LevelSpec;

    fn spec() -> Vec<ComparisonSpec> {
        vec![ComparisonSpec::new("surname").level(LevelSpec::Exact)]
    }

    #[test]
    fn probabilities_are_finite_at_extremes() {
        assert_eq!(match_probability(2000.0), 1.0);
        assert_eq!(match_probability(-2000.0), 0.0);
        assert!(partial_weight(0.0, 0.0).is_finite());
        assert!(prior_weight(0.0).is_finite() && prior_weight(1.0).is_finite());
        assert!((weight_of_probability(0.8) - 2.0).abs() < 1e-12);
    }

    #[test]
    fn validation_names_the_bad_entry() {
        let mut m = Model::neutral(&spec(), 0.001);
        assert!(m.validate(&spec()).is_ok());
        m.comparisons[0].levels[1].u = 0.0;
        let err = m.validate(&spec()).unwrap_err();
        assert!(err.to_string().contains("comparisons[0].levels[1].u"), "{err}");
        m.comparisons[0].levels[1].u = 0.5;
        m.comparisons[0].levels[0].label = "fuzzy".into();
        let err = m.validate(&spec()).unwrap_err();
        assert!(err.to_string().contains("comparisons[0].levels[0].label"), "{err}");
    }

    #[test]
    fn frequency_tables_are_checked_against_their_totals_and_their_key() {
        let specs =
            vec![ComparisonSpec::new("surname").level(LevelSpec::Exact).with_term_frequency()];
        let mut m = Model::neutral(&specs, 0.01);
        m.term_frequencies.push(TermFrequencies::new("surname", 5, [("martin", 3), ("roux", 2)]));
        m.validate(&specs).unwrap();
        let path = |m: &Model| match m.validate(&specs) {
            Err(Error::Model { path, .. }) => path,
            other => panic!("{other:?}"),
        };
        let mut zero = m.clone();
        zero.term_frequencies[0].counts.insert("dupont".into(), 0);
        assert_eq!(path(&zero), "term_frequencies[0].counts");
        let mut over = m.clone();
        over.term_frequencies[0].total = 4;
        assert_eq!(path(&over), "term_frequencies[0].total");
        let mut twice = m.clone();
        twice.term_frequencies.push(m.term_frequencies[0].clone());
        assert_eq!(path(&twice), "term_frequencies[1].field");
        // Keyed: entries are keyed hashes, and the key must come along.
        let key = FrequencyKey::new([1; 16]);
        let keyed = m.clone().with_frequency_key(key.clone()).unwrap();
        keyed.validate(&specs).unwrap();
        assert_eq!(keyed.term_frequencies[0].counts[&key.entry("surname", "martin")], 3);
        let mut cleared = keyed.clone();
        cleared.frequency_key = None;
        assert_eq!(path(&cleared), "frequency_key_check");
        let mut clear_entry = keyed.clone();
        clear_entry.term_frequencies[0].counts.insert("martin".into(), 1);
        assert!(matches!(
            clear_entry.term_frequencies[0].check("t", true),
            Err(Error::Model { .. })
        ));
        let mut unkeyed = m.clone();
        unkeyed.frequency_key = Some(key);
        assert_eq!(path(&unkeyed), "frequency_key_check");
    }

    #[test]
    fn neutral_models_are_distributions_and_weigh_nothing() {
        let specs = vec![ComparisonSpec::new("surname")
            .level(LevelSpec::Exact)
            .level(LevelSpec::JaroWinkler { min: 0.9 })];
        let m = Model::neutral(&specs, 0.01);
        m.check_distributions().unwrap();
        assert!(m.comparisons[0].levels.iter().all(|l| l.weight() == 0.0));
        let mut off = m.clone();
        off.comparisons[0].levels[2].u = 0.5;
        let err = off.check_distributions().unwrap_err().to_string();
        assert!(err.contains("comparisons[0].levels") && err.contains("u sums to"), "{err}");
    }

    #[test]
    fn caps_bound_positive_group_weight_only() {
        let specs = vec![
            ComparisonSpec::new("a").level(LevelSpec::Exact),
            ComparisonSpec::new("b").level(LevelSpec::Exact),
            ComparisonSpec::new("c").level(LevelSpec::Exact),
        ];
        let mut m = Model::neutral(&specs, 0.5);
        for c in &mut m.comparisons {
            c.levels[0] = LevelParams::new("exact", 0.8, 0.1); // +3
            c.levels[1] = LevelParams::new("else", 0.1, 0.8); // -3
        }
        m.caps.push(WeightCap::new("ab", ["a", "b"], 4.0));
        m.validate(&specs).unwrap();
        let t = WeightTable::new(&m);
        let mut v = ComparisonVector::new(3);
        for k in 0..3 {
            v.set(k, 1);
        }
        assert!((t.score(&v) - 7.0).abs() < 1e-9, "a+b capped at 4, plus c's 3");
        let none = [0.0; MAX_COMPARISONS];
        assert_eq!(t.cap_adjustments(&v, &none).len(), 1);
        assert!((t.cap_adjustments(&v, &none)[0].1 + 2.0).abs() < 1e-9);
        v.set(1, 2);
        assert!((t.score(&v) - 3.0).abs() < 1e-9, "a's 3 under the cap, b's -3 counts in full");
        m.caps[0].min_weight = Some(-4.0);
        let t = WeightTable::new(&m);
        v.set(0, 2);
        assert!((t.score(&v) - (-4.0 + 3.0)).abs() < 1e-9, "a and b disagree: -6 floored at -4");
        m.caps[0].min_weight = None;
        m.caps.push(WeightCap::new("again", ["a"], 1.0));
        let err = m.validate(&specs).unwrap_err().to_string();
        assert!(err.contains("caps[1].fields[0]"), "{err}");
    }

    #[test]
    fn score_sums_prior_and_levels() {
        let mut m = Model::neutral(&spec(), 0.5);
        m.comparisons[0].levels[0] = LevelParams::new("exact", 0.8, 0.1);
        let t = WeightTable::new(&m);
        let mut v = ComparisonVector::new(1);
        assert_eq!(t.score(&v), 0.0);
        v.set(0, 1);
        assert!((t.score(&v) - 3.0).abs() < 1e-12);
    }
}
