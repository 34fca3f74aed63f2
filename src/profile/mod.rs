//! Profiles: everything that makes the library match one kind of entity.
//!
//! A [`Profile`] is plain data: the schema, per-field normalizer overrides,
//! blocking rules, comparisons with their default m and u, the prior and the
//! weight caps, the merge policy, the golden-record rules, and the column
//! names a CSV tool maps onto each field. [`person`] builds the person profile;
//! [`crate::Config::from_profile`] turns a profile into a runnable configuration
//! (and [`crate::Config::person_default`] is `Config::from_profile(profile::person())`).
//!
//! ```
//! use personlink::{profile, Config};
//!
//! let person = profile::person();
//! assert_eq!(person.name, "person");
//! assert_eq!(person.schema.len(), 14);
//! assert!(person.aliases_of("given_name").iter().any(|a| a == "prénom"));
//! let config = Config::from_profile(person);
//! assert_eq!(config, Config::person_default());
//! config.validate()?;
//! # Ok::<(), personlink::Error>(())
//! ```
//!
//! # Adding a profile
//!
//! A second profile (organisations, or one fitted to a customer's data) is one
//! new file in this directory:
//!
//! 1. Write `src/profile/organisation.rs` with
//!    `pub fn organisation() -> Profile`, built like `person.rs`: a schema, the
//!    blocking rules, one [`WeightedComparison`] per compared field (its levels
//!    with their m and u, then the m and u of "else"), the prior, caps, policy,
//!    golden rules and column aliases. Doc comments say where the numbers come from.
//! 2. Declare it here, beside `mod person;`:
//!    `mod organisation;` and `pub use organisation::organisation;`.
//!
//! Hosts then run it with `Config::from_profile(profile::organisation())`.
//! Nothing else changes: a profile imports only the stage modules (record,
//! normalize, block, compare, model, cluster, golden, household, phonetic), never `config`,
//! so the module graph keeps one direction.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::block::BlockingConfig;
use crate::cluster::MergePolicy;
use crate::compare::ComparisonSpec;
use crate::golden::GoldenConfig;
use crate::household::HouseholdConfig;
use crate::model::Model;
use crate::normalize::NormalizerSpec;
use crate::record::Schema;

mod person;
mod weighted;

pub use person::person;
pub use weighted::WeightedComparison;

/// Everything that makes the library match one kind of entity, as plain data.
///
/// A profile holds no run settings (threads, value length cap, nickname
/// groups): [`crate::Config::from_profile`] adds their defaults.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    /// A short name for the profile ("person").
    pub name: String,
    /// The fields of every record.
    pub schema: Schema,
    /// Normalizer chains by field name; a field not listed uses its kind's default chain.
    #[serde(default)]
    pub normalizers: BTreeMap<String, Vec<NormalizerSpec>>,
    /// Blocking rules and the block size cap.
    pub blocking: BlockingConfig,
    /// Comparisons, one per compared field.
    pub comparisons: Vec<ComparisonSpec>,
    /// The default model: m and u for every comparison level, the prior and the weight caps.
    pub model: Model,
    /// Thresholds, must-not-link rules and the cluster size cap.
    #[serde(default)]
    pub policy: MergePolicy,
    /// Survivorship rules of golden records.
    #[serde(default)]
    pub golden: GoldenConfig,
    /// Which shared values make a household.
    #[serde(default)]
    pub households: HouseholdConfig,
    /// Per field, the column names (English and French) a CSV tool maps onto it.
    #[serde(default)]
    pub aliases: Vec<ColumnAliases>,
}

impl Profile {
    /// The column names that map onto `field` (empty for a field without aliases).
    ///
    /// ```
    /// let person = personlink::profile::person();
    /// assert!(person.aliases_of("postcode").iter().any(|a| a == "code_postal"));
    /// assert!(person.aliases_of("loyalty_card").is_empty());
    /// ```
    pub fn aliases_of(&self, field: &str) -> &[String] {
        self.aliases.iter().find(|a| a.field == field).map_or(&[], |a| &a.names)
    }
}

/// The column names a CSV tool maps onto one field of a profile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ColumnAliases {
    /// The schema field.
    pub field: String,
    /// Column names that mean this field, as commonly written (compared by the
    /// tool after folding case, accents and punctuation).
    pub names: Vec<String>,
}

impl ColumnAliases {
    /// The aliases of `field`.
    ///
    /// ```
    /// use personlink::profile::ColumnAliases;
    /// let a = ColumnAliases::new("email", ["email", "courriel"]);
    /// assert_eq!(a.names, ["email", "courriel"]);
    /// ```
    pub fn new<S: Into<String>>(
        field: impl Into<String>,
        names: impl IntoIterator<Item = S>,
    ) -> Self {
        ColumnAliases { field: field.into(), names: names.into_iter().map(Into::into).collect() }
    }
}
