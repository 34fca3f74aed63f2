//! The configuration that ties the stages together.
//!
//! A [`Config`] is plain serde data: schema, per-field normalizers, blocking
//! rules, comparisons, the Fellegi-Sunter model and the merge policy.
//! [`Config::person_default`] gives a working profile for person records;
//! [`Config::validate`] (called by [`crate::Linker::new`]) rejects an invalid
//! configuration with an error that names the offending entry.
//!
//! ```
//! use personlink::Config;
//! let config = Config::person_default();
//! config.validate()?;
//! let json = serde_json::to_string(&config).unwrap();
//! let back: Config = serde_json::from_str(&json).unwrap();
//! assert_eq!(back, config);
//! # Ok::<(), personlink::Error>(())
//! ```

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::block::{BlockingConfig, BlockingRule, KeyPart, KeyTransform};
use crate::cluster::{MergePolicy, Threshold};
use crate::compare::{ComparisonSpec, LevelSpec, MAX_COMPARISONS};
use crate::error::{Error, Result};
use crate::golden::{GoldenConfig, Survivorship};
use crate::model::{ComparisonModel, LevelParams, Model, WeightCap};
use crate::normalize::NormalizerSpec;
use crate::phonetic::PhoneticAlgorithm;
use crate::record::Schema;

/// Which nickname groups the `nickname` comparison level knows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NicknameConfig {
    /// Start from the built-in English and French table.
    #[serde(default = "yes")]
    pub builtin: bool,
    /// Extra groups of equivalent names.
    #[serde(default)]
    pub extra: Vec<Vec<String>>,
}

fn yes() -> bool {
    true
}

impl Default for NicknameConfig {
    fn default() -> Self {
        NicknameConfig { builtin: true, extra: Vec::new() }
    }
}

fn default_max_value_len() -> usize {
    64
}

/// Everything a run needs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// The fields of every record.
    pub schema: Schema,
    /// Normalizer chains by field name; a field not listed uses its kind's default chain.
    #[serde(default)]
    pub normalizers: BTreeMap<String, Vec<NormalizerSpec>>,
    /// Normalized values are cut to this many characters (bounds every edit distance).
    #[serde(default = "default_max_value_len")]
    pub max_value_len: usize,
    /// Blocking rules and the block size cap.
    pub blocking: BlockingConfig,
    /// Comparisons, one per compared field.
    pub comparisons: Vec<ComparisonSpec>,
    /// m and u for every comparison level, and the prior.
    pub model: Model,
    /// Thresholds, must-not-link rules and the cluster size cap.
    #[serde(default)]
    pub policy: MergePolicy,
    /// Nickname groups.
    #[serde(default)]
    pub nicknames: NicknameConfig,
    /// Worker threads for the compare and score stage (0 = one per available core).
    #[serde(default)]
    pub threads: usize,
    /// Survivorship rules of golden records.
    #[serde(default)]
    pub golden: GoldenConfig,
}

/// One comparison of the person profile with its default m/u per level (missing excluded).
struct Default3 {
    field: &'static str,
    levels: &'static [(LevelSpecRef, f64, f64)],
}

/// A `LevelSpec` written as static data.
#[derive(Clone, Copy)]
enum LevelSpecRef {
    Exact,
    Jw(f64),
    Lev(f64),
    Edits(u32),
    Phon(PhoneticAlgorithm),
    Tokens(f64),
    FirstToken,
    Initial,
    Nickname,
    Swapped(&'static str),
    DateTypo,
    Within(u32),
    SameYear,
    Prefix(usize),
    Else,
}

impl LevelSpecRef {
    fn spec(self) -> Option<LevelSpec> {
        Some(match self {
            LevelSpecRef::Exact => LevelSpec::Exact,
            LevelSpecRef::Jw(min) => LevelSpec::JaroWinkler { min },
            LevelSpecRef::Lev(min) => LevelSpec::Levenshtein { min },
            LevelSpecRef::Edits(max) => LevelSpec::WithinEdits { max },
            LevelSpecRef::Phon(algorithm) => LevelSpec::Phonetic { algorithm },
            LevelSpecRef::Tokens(min) => LevelSpec::TokenSet { min },
            LevelSpecRef::FirstToken => LevelSpec::FirstToken,
            LevelSpecRef::Initial => LevelSpec::Initial,
            LevelSpecRef::Nickname => LevelSpec::Nickname,
            LevelSpecRef::Swapped(with) => LevelSpec::Swapped { with: with.to_owned() },
            LevelSpecRef::DateTypo => LevelSpec::DateTypo,
            LevelSpecRef::Within(days) => LevelSpec::DateWithin { days },
            LevelSpecRef::SameYear => LevelSpec::SameYear,
            LevelSpecRef::Prefix(len) => LevelSpec::Prefix { len },
            LevelSpecRef::Else => return None,
        })
    }
}

use LevelSpecRef as L;

/// The person profile's comparisons and default m/u.
///
/// The numbers are hand-set from the error rates typical of person registers
/// (and checked against the bundled generator): `m` is how often a true
/// duplicate lands on the level (most duplicates agree exactly; a few percent
/// carry a typo, a nickname, a swap or a new address), `u` how often two
/// different people do (about 1/25,000 share a birth date, a few in a thousand
/// share a common surname, half share a gender). City, state and postcode largely
/// imply each other, and emails are often built from names, so their `u` is set
/// high enough not to count the same evidence twice. Train a model on your own data
/// to replace them.
const PERSON_COMPARISONS: &[Default3] = &[
    Default3 {
        field: "given_name",
        levels: &[
            (L::Exact, 0.80, 0.006),
            (L::Nickname, 0.04, 0.0008),
            (L::Jw(0.92), 0.06, 0.004),
            (L::Swapped("surname"), 0.01, 0.00005),
            (L::FirstToken, 0.02, 0.002),
            (L::Jw(0.80), 0.03, 0.03),
            (L::Initial, 0.015, 0.06),
            (L::Else, 0.025, 0.897),
        ],
    },
    Default3 {
        field: "surname",
        levels: &[
            (L::Exact, 0.82, 0.003),
            (L::Jw(0.92), 0.08, 0.003),
            (L::Swapped("given_name"), 0.01, 0.00005),
            (L::Phon(PhoneticAlgorithm::DoubleMetaphone), 0.03, 0.006),
            (L::Jw(0.80), 0.03, 0.03),
            (L::Else, 0.03, 0.958),
        ],
    },
    Default3 {
        field: "date_of_birth",
        levels: &[
            (L::Exact, 0.86, 0.00004),
            (L::DateTypo, 0.08, 0.0012),
            (L::Within(365), 0.02, 0.014),
            (L::SameYear, 0.005, 0.002),
            (L::Else, 0.02, 0.983),
        ],
    },
    Default3 { field: "gender", levels: &[(L::Exact, 0.97, 0.5), (L::Else, 0.03, 0.5)] },
    Default3 {
        field: "email",
        levels: &[(L::Exact, 0.85, 0.00001), (L::Lev(0.85), 0.05, 0.002), (L::Else, 0.10, 0.99799)],
    },
    Default3 {
        field: "phone",
        levels: &[(L::Exact, 0.80, 0.00001), (L::Edits(1), 0.06, 0.0001), (L::Else, 0.14, 0.99989)],
    },
    Default3 { field: "street_number", levels: &[(L::Exact, 0.85, 0.03), (L::Else, 0.15, 0.97)] },
    Default3 {
        field: "address_1",
        levels: &[
            (L::Exact, 0.72, 0.0005),
            (L::Jw(0.90), 0.08, 0.002),
            (L::Tokens(0.5), 0.06, 0.01),
            (L::Else, 0.14, 0.9875),
        ],
    },
    Default3 {
        field: "address_2",
        levels: &[(L::Exact, 0.70, 0.001), (L::Jw(0.90), 0.10, 0.003), (L::Else, 0.20, 0.996)],
    },
    Default3 {
        field: "city",
        levels: &[(L::Exact, 0.84, 0.05), (L::Jw(0.90), 0.07, 0.005), (L::Else, 0.09, 0.945)],
    },
    Default3 {
        field: "postcode",
        levels: &[
            (L::Exact, 0.84, 0.01),
            (L::Edits(1), 0.07, 0.02),
            (L::Prefix(3), 0.02, 0.05),
            (L::Else, 0.07, 0.92),
        ],
    },
    Default3 { field: "state", levels: &[(L::Exact, 0.95, 0.3), (L::Else, 0.05, 0.7)] },
    Default3 {
        field: "national_id",
        levels: &[
            (L::Exact, 0.90, 0.000001),
            (L::Edits(1), 0.08, 0.00001),
            (L::Else, 0.02, 0.999989),
        ],
    },
];

/// The person profile's prior: one pair in 10,000 is a match.
const PERSON_PRIOR: f64 = 1e-4;

/// The person profile's dependence cap: where someone lives (street, number,
/// building, city, postcode, state) and the landline that goes with it are
/// shared by a household, so together they may add at most 16 bits, and a move
/// changes them all at once, so together they may take away at most 8 bits; about
/// what an exact address and phone are worth once, not six times.
fn person_caps() -> Vec<WeightCap> {
    let mut residence = WeightCap::new(
        "residence",
        ["street_number", "address_1", "address_2", "city", "postcode", "state", "phone"],
        16.0,
    );
    residence.min_weight = Some(-8.0);
    vec![residence]
}

fn person_blocking() -> BlockingConfig {
    let dm = PhoneticAlgorithm::DoubleMetaphone;
    let rule = |name: &str, parts: &[(&str, KeyTransform)]| BlockingRule {
        name: name.to_owned(),
        parts: parts.iter().map(|(f, t)| KeyPart::new(*f, t.clone())).collect(),
    };
    BlockingConfig {
        rules: vec![
            rule(
                "surname_sound+given_sound",
                &[
                    ("surname", KeyTransform::Phonetic { algorithm: dm }),
                    ("given_name", KeyTransform::Phonetic { algorithm: dm }),
                ],
            ),
            rule(
                "birth_date+surname_initial",
                &[
                    ("date_of_birth", KeyTransform::Exact),
                    ("surname", KeyTransform::Prefix { len: 1 }),
                ],
            ),
            rule(
                "birth_date+given_initial",
                &[
                    ("date_of_birth", KeyTransform::Exact),
                    ("given_name", KeyTransform::Prefix { len: 1 }),
                ],
            ),
            rule(
                "given_sound+postcode+surname_initial",
                &[
                    ("given_name", KeyTransform::Phonetic { algorithm: dm }),
                    ("postcode", KeyTransform::Exact),
                    ("surname", KeyTransform::Prefix { len: 1 }),
                ],
            ),
            rule("national_id", &[("national_id", KeyTransform::Exact)]),
            rule("email", &[("email", KeyTransform::Exact)]),
            rule("phone", &[("phone", KeyTransform::Exact)]),
            rule(
                "surname_sound+birth_year+given_initial",
                &[
                    ("surname", KeyTransform::Phonetic { algorithm: dm }),
                    ("date_of_birth", KeyTransform::Year),
                    ("given_name", KeyTransform::Prefix { len: 1 }),
                ],
            ),
            rule(
                "given_sound+birth_month_day+surname_initial",
                &[
                    ("given_name", KeyTransform::Phonetic { algorithm: dm }),
                    ("date_of_birth", KeyTransform::MonthDay),
                    ("surname", KeyTransform::Prefix { len: 1 }),
                ],
            ),
            rule(
                "surname_sound+birth_month_day",
                &[
                    ("surname", KeyTransform::Phonetic { algorithm: dm }),
                    ("date_of_birth", KeyTransform::MonthDay),
                ],
            ),
            rule(
                "birth_date+postcode",
                &[("date_of_birth", KeyTransform::Exact), ("postcode", KeyTransform::Exact)],
            ),
            rule(
                "surname_sound+postcode",
                &[
                    ("surname", KeyTransform::Phonetic { algorithm: dm }),
                    ("postcode", KeyTransform::Exact),
                ],
            ),
            rule(
                "birth_date+street_prefix",
                &[
                    ("date_of_birth", KeyTransform::Exact),
                    ("address_1", KeyTransform::Prefix { len: 3 }),
                ],
            ),
        ],
        max_block_size: 500,
    }
}

impl Config {
    /// The default person profile: [`Schema::person_default`], the default
    /// normalizer chain of each field's kind, thirteen blocking rules chosen so
    /// that candidate pairs grow about linearly with the data (each pairs a
    /// name sound or a birth date with a second, independent key: surname and
    /// given-name sounds, birth date with either initial, with the postcode or
    /// with the street's first letters, sounds with postcode, birth year or
    /// birth month/day; plus national id, email and phone), thirteen comparisons with documented default m/u, a prior
    /// of 1e-4, and a match threshold of probability 0.5 with a review band
    /// down to probability 0.05 and clusters capped at 100 records.
    pub fn person_default() -> Self {
        let mut comparisons = Vec::with_capacity(PERSON_COMPARISONS.len());
        let mut models = Vec::with_capacity(PERSON_COMPARISONS.len());
        for c in PERSON_COMPARISONS {
            let spec = ComparisonSpec {
                field: c.field.to_owned(),
                levels: c.levels.iter().filter_map(|(l, _, _)| l.spec()).collect(),
                term_frequency: matches!(c.field, "given_name" | "surname" | "city"),
            };
            let labels = spec.level_labels();
            models.push(ComparisonModel {
                field: c.field.to_owned(),
                levels: c
                    .levels
                    .iter()
                    .zip(&labels[1..])
                    .map(|(&(_, m, u), label)| LevelParams::new(label.clone(), m, u))
                    .collect(),
            });
            comparisons.push(spec);
        }
        let mut normalizers = BTreeMap::new();
        normalizers.insert("gender".to_owned(), vec![NormalizerSpec::Gender]);
        Config {
            schema: Schema::person_default(),
            normalizers,
            max_value_len: default_max_value_len(),
            blocking: person_blocking(),
            comparisons,
            model: Model {
                prior: PERSON_PRIOR,
                comparisons: models,
                caps: person_caps(),
                term_frequencies: Vec::new(),
                tf_min_frequency: crate::model::DEFAULT_TF_MIN_FREQUENCY,
            },
            policy: MergePolicy {
                match_threshold: Threshold::Probability(0.5),
                review_threshold: Some(Threshold::Probability(0.05)),
                must_not_link: Vec::new(),
                max_cluster_size: Some(100),
            },
            nicknames: NicknameConfig::default(),
            threads: 0,
            golden: GoldenConfig::default()
                .with_field("email", Survivorship::MostRecent)
                .with_field("phone", Survivorship::MostRecent)
                .with_field("street_number", Survivorship::MostRecent)
                .with_field("address_1", Survivorship::MostRecent)
                .with_field("address_2", Survivorship::MostRecent)
                .with_field("city", Survivorship::MostRecent)
                .with_field("postcode", Survivorship::MostRecent)
                .with_field("state", Survivorship::MostRecent),
        }
    }

    /// Keeps only the named fields: drops the others from the schema, and every
    /// normalizer override, blocking rule, comparison, comparison level, model
    /// entry and must-not-link rule that reads them.
    ///
    /// Used to fit the person profile to a file that has only some of its columns.
    ///
    /// ```
    /// use personlink::Config;
    /// let c = Config::person_default().restrict_to_fields(&["given_name", "surname", "date_of_birth"]);
    /// assert_eq!(c.schema.len(), 3);
    /// assert_eq!(c.comparisons.len(), 3);
    /// c.validate()?;
    /// # Ok::<(), personlink::Error>(())
    /// ```
    pub fn restrict_to_fields(&self, keep: &[&str]) -> Config {
        let kept = |f: &str| keep.contains(&f);
        let mut out = self.clone();
        out.schema =
            Schema::new(self.schema.fields().iter().filter(|f| kept(&f.name)).cloned().collect())
                .expect("a subset of a valid schema is valid");
        out.normalizers.retain(|f, _| kept(f));
        out.golden.fields.retain(|f, _| kept(f));
        out.blocking.rules.retain(|r| r.parts.iter().all(|p| kept(&p.field)));
        out.policy.must_not_link.retain(|r| match r {
            crate::cluster::MustNotLink::DifferentValues { field }
            | crate::cluster::MustNotLink::DatesApart { field, .. } => kept(field),
        });
        let mut comparisons = Vec::new();
        let mut models = Vec::new();
        for (i, spec) in self.comparisons.iter().enumerate() {
            if !kept(&spec.field) {
                continue;
            }
            let model = self.model.comparisons.get(i);
            let mut levels = Vec::new();
            let mut params = Vec::new();
            for (k, level) in spec.levels.iter().enumerate() {
                if let LevelSpec::Swapped { with } = level {
                    if !kept(with) {
                        continue;
                    }
                }
                levels.push(level.clone());
                if let Some(p) = model.and_then(|m| m.levels.get(k)) {
                    params.push(p.clone());
                }
            }
            if let Some(last) = model.and_then(|m| m.levels.last()) {
                params.push(last.clone());
            }
            comparisons.push(ComparisonSpec {
                field: spec.field.clone(),
                levels,
                term_frequency: spec.term_frequency,
            });
            models.push(ComparisonModel { field: spec.field.clone(), levels: params });
        }
        out.comparisons = comparisons;
        out.model.comparisons = models;
        for cap in &mut out.model.caps {
            cap.fields.retain(|f| kept(f));
        }
        out.model.caps.retain(|c| !c.fields.is_empty());
        out.model.term_frequencies.retain(|t| kept(&t.field));
        out
    }

    /// Sets the policy.
    pub fn with_policy(mut self, policy: MergePolicy) -> Self {
        self.policy = policy;
        self
    }

    /// Sets the model.
    pub fn with_model(mut self, model: Model) -> Self {
        self.model = model;
        self
    }

    /// Sets the blocking configuration.
    pub fn with_blocking(mut self, blocking: BlockingConfig) -> Self {
        self.blocking = blocking;
        self
    }

    /// Sets the number of worker threads (0 = one per core).
    pub fn with_threads(mut self, threads: usize) -> Self {
        self.threads = threads;
        self
    }

    pub(crate) fn check_counts(&self) -> Result<()> {
        if self.comparisons.len() > MAX_COMPARISONS {
            return Err(Error::config(
                "comparisons",
                format!(
                    "{} comparisons, at most {MAX_COMPARISONS} are allowed",
                    self.comparisons.len()
                ),
            ));
        }
        if self.max_value_len == 0 {
            return Err(Error::config("max_value_len", "must be at least 1"));
        }
        if self.blocking.max_block_size < 2 {
            return Err(Error::config("blocking.max_block_size", "must be at least 2"));
        }
        self.golden.validate(&self.schema)?;
        for name in self.normalizers.keys() {
            if self.schema.field_id(name).is_none() {
                return Err(Error::config(
                    format!("normalizers.{name}"),
                    format!("unknown field `{name}`"),
                ));
            }
        }
        Ok(())
    }
}
