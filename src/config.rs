//! The configuration that ties the stages together.
//!
//! A [`Config`] is plain serde data: schema, per-field normalizers, blocking
//! rules, comparisons, the Fellegi-Sunter model and the merge policy.
//! [`Config::from_profile`] runs a [`crate::profile::Profile`] and
//! [`Config::person_default`] the person profile;
//! [`Config::validate`] (called by [`crate::Linker::new`]) rejects an invalid
//! configuration with an error that names the offending entry.
//! [`Config::sources`] holds settings that apply to the records of one source
//! system only ([`SourceSettings`]: the country its phone numbers are read in,
//! the order of its numeric dates).
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

use crate::block::BlockingConfig;
use crate::cluster::MergePolicy;
use crate::compare::{ComparisonSpec, LevelSpec, MAX_COMPARISONS};
use crate::error::{Error, Result};
use crate::golden::GoldenConfig;
use crate::household::HouseholdConfig;
use crate::model::{ComparisonModel, Model};
use crate::normalize::{Country, DateOrder, NormalizerSpec};
use crate::profile::{self, Profile};
use crate::record::{FieldKind, Schema};

pub use crate::parallel::MAX_THREADS;

/// Something valid but likely a mistake in a [`Config`] ([`Config::warnings`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ConfigWarning {
    /// `blocking.rules` is empty: batch runs and the resolver compare no pair.
    NoBlockingRule,
}

impl ConfigWarning {
    /// The configuration entry concerned (`blocking.rules`).
    pub fn path(self) -> &'static str {
        match self {
            ConfigWarning::NoBlockingRule => "blocking.rules",
        }
    }
}

impl std::fmt::Display for ConfigWarning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ConfigWarning::NoBlockingRule => write!(
                f,
                "{}: no blocking rule: batch runs and the resolver compare no pair, and every record stays an entity of its own",
                self.path()
            ),
        }
    }
}

/// Settings that apply to the records of one source system (`SourceRef::system`).
///
/// Listed in [`Config::sources`] under the system's name; a record of a system
/// not listed is normalized by the configuration's chains as they are. In
/// JSON: `"sources": {"crm": {"country": "US", "date_order": "month_first"}}`,
/// both settings optional, unknown keys rejected.
///
/// ```
/// use personlink::normalize::{Country, DateOrder};
/// use personlink::{Config, Linker, Record, SourceRef, SourceSettings};
///
/// let us = SourceSettings { country: Some(Country::Us), date_order: Some(DateOrder::MonthFirst) };
/// let config = Config::person_default().with_source("crm", us);
/// let schema = config.schema.clone();
/// let record = |system: &str| -> personlink::Result<Record> {
///     Ok(Record::builder(&schema, SourceRef::new(system, "1"))
///         .set("phone", "702-555-0143")?
///         .set("date_of_birth", "3/1/1970")?
///         .build())
/// };
/// let linker = Linker::new(config)?;
/// let why = linker.explain(&record("crm")?, &record("web")?)?;
/// let values = |field: &str| {
///     let f = why.fields.iter().find(|f| f.field == field).unwrap();
///     (f.left.clone(), f.right.clone())
/// };
/// // The CRM is American; other sources keep the defaults (France, day first).
/// assert_eq!(values("phone"), ("+17025550143".into(), "7025550143".into()));
/// assert_eq!(values("date_of_birth"), ("1970-03-01".into(), "1970-01-03".into()));
/// # Ok::<(), personlink::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourceSettings {
    /// Country this source's national phone numbers are read in (overrides every phone normalizer's `default_country`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<Country>,
    /// How this source writes numeric dates (overrides every date normalizer's `order`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date_order: Option<DateOrder>,
}

/// How many steps of a chain [`SourceSettings::apply`] can reach.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Reached {
    /// Phone steps.
    pub(crate) phones: usize,
    /// Date steps.
    pub(crate) dates: usize,
}

impl SourceSettings {
    /// True when neither setting is given.
    pub fn is_empty(&self) -> bool {
        self.country.is_none() && self.date_order.is_none()
    }

    /// Sets the country of every phone step and the order of every date step of
    /// `chain` that these settings give, and counts the steps they can reach.
    pub(crate) fn apply(&self, chain: &mut [NormalizerSpec]) -> Reached {
        let mut reached = Reached::default();
        for spec in chain {
            match spec {
                NormalizerSpec::Phone { default_country, .. } => {
                    reached.phones += 1;
                    if let Some(country) = self.country {
                        *default_country = country;
                    }
                }
                NormalizerSpec::Date { order, .. } => {
                    reached.dates += 1;
                    if let Some(date_order) = self.date_order {
                        *order = date_order;
                    }
                }
                _ => {}
            }
        }
        reached
    }
}

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
    /// Worker threads of the parallel stages (0 = one per available core):
    /// at most [`MAX_THREADS`]. A thread the system refuses to start is no
    /// error: the threads that did start share its work.
    #[serde(default)]
    pub threads: usize,
    /// Survivorship rules of golden records.
    #[serde(default)]
    pub golden: GoldenConfig,
    /// Which shared values make a household (none: every entity is its own).
    #[serde(default)]
    pub households: HouseholdConfig,
    /// Settings of some source systems, by system name (`SourceRef::system`):
    /// their records are normalized with these overrides.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub sources: BTreeMap<String, SourceSettings>,
}

impl Config {
    /// The default person profile: [`profile::person`] with the default run
    /// settings (see [`Config::from_profile`]).
    ///
    /// That is: fourteen fields, the default normalizer chain of each field's
    /// kind (the gender and generation normalizers for `gender` and
    /// `generation`), fifteen blocking rules chosen so that candidate pairs
    /// grow about linearly with the data, thirteen comparisons with documented
    /// default m/u, a prior of 1e-4, and a match threshold of probability 0.5
    /// with a review band down to probability 0.05, clusters capped at 100
    /// records and two generations never merged.
    ///
    /// ```
    /// use personlink::{profile, Config};
    /// assert_eq!(Config::person_default(), Config::from_profile(profile::person()));
    /// ```
    pub fn person_default() -> Self {
        Config::from_profile(profile::person())
    }

    /// A configuration that runs `profile`: its schema, normalizers, blocking,
    /// comparisons, model, policy and golden rules, with the default run
    /// settings (values cut at 64 characters, the built-in nickname table, one
    /// thread per core). The profile's column aliases are for CSV tools and
    /// are not kept.
    ///
    /// ```
    /// use personlink::{profile, Config};
    /// let mut person = profile::person();
    /// person.policy.max_cluster_size = Some(20);
    /// let config = Config::from_profile(person);
    /// assert_eq!(config.policy.max_cluster_size, Some(20));
    /// assert_eq!((config.max_value_len, config.threads), (64, 0));
    /// config.validate()?;
    /// # Ok::<(), personlink::Error>(())
    /// ```
    pub fn from_profile(profile: Profile) -> Self {
        Config {
            schema: profile.schema,
            normalizers: profile.normalizers,
            max_value_len: default_max_value_len(),
            blocking: profile.blocking,
            comparisons: profile.comparisons,
            model: profile.model,
            policy: profile.policy,
            nicknames: NicknameConfig::default(),
            threads: 0,
            golden: profile.golden,
            households: profile.households,
            sources: BTreeMap::new(),
        }
    }

    /// Keeps only the named fields (and the fields that fall back on them, see
    /// [`Schema::restricted`](crate::Schema::restricted)): drops the others from the schema, and every
    /// normalizer override, blocking rule, comparison, comparison level, model
    /// entry and must-not-link rule that reads them.
    ///
    /// Used to fit the person profile to a file that has only some of its columns.
    ///
    /// ```
    /// use personlink::Config;
    /// let c = Config::person_default().restrict_to_fields(&["given_name", "surname", "date_of_birth"]);
    /// // `generation` stays: it reads a suffix from the surname or given name.
    /// assert_eq!(c.schema.len(), 4);
    /// assert_eq!(c.comparisons.len(), 3);
    /// c.validate()?;
    /// # Ok::<(), personlink::Error>(())
    /// ```
    pub fn restrict_to_fields(&self, keep: &[&str]) -> Config {
        let schema = self.schema.restricted(keep);
        let kept = |f: &str| schema.field_id(f).is_some();
        let mut out = self.clone();
        out.schema = schema.clone();
        out.normalizers.retain(|f, _| kept(f));
        out.golden.fields.retain(|f, _| kept(f));
        out.households.rules.retain(|r| r.parts.iter().all(|p| kept(&p.field)));
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
                discount_shared_values: spec.discount_shared_values,
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
        if let Some(identity) = &mut out.model.identity {
            identity.fields.retain(|f| kept(f));
            identity.must_agree.retain(|f| kept(f));
            identity.vouched_by.retain(|f| kept(f));
            identity.corroborated_by.retain(|f| kept(f));
        }
        out.model.identity.take_if(|i| i.fields.is_empty());
        // Source settings that no kept field's chain reads any more.
        let reached = out.reached();
        for settings in out.sources.values_mut() {
            if reached.phones == 0 {
                settings.country = None;
            }
            if reached.dates == 0 {
                settings.date_order = None;
            }
        }
        out.sources.retain(|_, s| !s.is_empty());
        out
    }

    /// Each schema field's chain: its explicit normalizers, or its kind's default.
    pub(crate) fn chain_of(&self, name: &str, kind: FieldKind) -> Vec<NormalizerSpec> {
        match self.normalizers.get(name) {
            Some(specs) => specs.clone(),
            None => NormalizerSpec::defaults_for(kind),
        }
    }

    /// The phone and date steps of every field's chain.
    fn reached(&self) -> Reached {
        let mut total = Reached::default();
        for f in self.schema.fields() {
            let r = SourceSettings::default().apply(&mut self.chain_of(&f.name, f.kind));
            total.phones += r.phones;
            total.dates += r.dates;
        }
        total
    }

    /// Applies `settings` to every chain: the default chains of the fields of
    /// `kind` are written out first, so that they are reached too.
    fn apply_everywhere(mut self, kind: FieldKind, settings: &SourceSettings) -> Self {
        for f in self.schema.fields() {
            if f.kind == kind && !self.normalizers.contains_key(&f.name) {
                self.normalizers.insert(f.name.clone(), NormalizerSpec::defaults_for(kind));
            }
        }
        for chain in self.normalizers.values_mut() {
            settings.apply(chain);
        }
        self
    }

    /// Every phone normalizer (explicit chains, and the kind default chains of phone fields made explicit) reads national numbers in `country`.
    ///
    /// Per-source settings ([`Config::sources`]) still override it for their records.
    ///
    /// ```
    /// use personlink::normalize::{Country, NormalizerSpec};
    /// use personlink::{Config, Linker, Record, SourceRef};
    ///
    /// let config = Config::person_default().with_country(Country::Us);
    /// assert_eq!(config.normalizers["phone"][0], NormalizerSpec::phone(Country::Us));
    /// let record = |phone: &str| -> personlink::Result<Record> {
    ///     Ok(Record::builder(&config.schema, SourceRef::new("crm", phone)).set("phone", phone)?.build())
    /// };
    /// let (a, b) = (record("(807) 555-0198")?, record("+1 807 555 0198")?);
    /// let why = Linker::new(config.clone())?.explain(&a, &b)?;
    /// let phone = why.fields.iter().find(|f| f.field == "phone").unwrap();
    /// assert_eq!((phone.left.as_str(), phone.right.as_str()), ("+18075550198", "+18075550198"));
    /// # Ok::<(), personlink::Error>(())
    /// ```
    pub fn with_country(self, country: Country) -> Self {
        let settings = SourceSettings { country: Some(country), date_order: None };
        self.apply_everywhere(FieldKind::Phone, &settings)
    }

    /// Every date normalizer reads numeric dates in `order`.
    ///
    /// As [`Config::with_country`]: explicit chains, and the default chains of
    /// date fields made explicit; per-source settings still override it.
    ///
    /// ```
    /// use personlink::normalize::DateOrder;
    /// use personlink::{Config, Linker, Record, SourceRef};
    ///
    /// let config = Config::person_default().with_date_order(DateOrder::MonthFirst);
    /// let record = |date: &str| -> personlink::Result<Record> {
    ///     Ok(Record::builder(&config.schema, SourceRef::new("crm", date))
    ///         .set("date_of_birth", date)?
    ///         .build())
    /// };
    /// let why = Linker::new(config.clone())?.explain(&record("3/1/70")?, &record("1970-03-01")?)?;
    /// let date = why.fields.iter().find(|f| f.field == "date_of_birth").unwrap();
    /// assert_eq!(date.left, "1970-03-01");
    /// # Ok::<(), personlink::Error>(())
    /// ```
    pub fn with_date_order(self, order: DateOrder) -> Self {
        let settings = SourceSettings { country: None, date_order: Some(order) };
        self.apply_everywhere(FieldKind::Date, &settings)
    }

    /// Records of `system` use `settings`.
    ///
    /// Replaces the settings `system` had. See [`SourceSettings`] for an example.
    pub fn with_source(mut self, system: impl Into<String>, settings: SourceSettings) -> Self {
        self.sources.insert(system.into(), settings);
        self
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

    /// Sets the number of worker threads (0 = one per core; at most
    /// [`MAX_THREADS`], which [`Config::validate`] checks).
    ///
    /// ```
    /// use personlink::config::MAX_THREADS;
    /// use personlink::Config;
    /// Config::person_default().with_threads(MAX_THREADS).validate()?;
    /// let err = Config::person_default().with_threads(100_000).validate().unwrap_err();
    /// assert!(err.to_string().contains("`threads`"), "{err}");
    /// # Ok::<(), personlink::Error>(())
    /// ```
    pub fn with_threads(mut self, threads: usize) -> Self {
        self.threads = threads;
        self
    }

    /// What is valid but likely a mistake in this configuration, each with
    /// the entry it concerns; a host shows them to whoever wrote it.
    ///
    /// A configuration without blocking rules is one: [`Linker::dedupe`],
    /// [`Linker::link`] and the [`Resolver`] then compare no pair, and every
    /// record is an entity of its own. It is a warning rather than an error
    /// because such a configuration still scores the pairs a host chooses
    /// itself ([`Linker::score_pair`], [`Linker::explain`]).
    ///
    /// [`Linker::dedupe`]: crate::Linker::dedupe
    /// [`Linker::link`]: crate::Linker::link
    /// [`Linker::score_pair`]: crate::Linker::score_pair
    /// [`Linker::explain`]: crate::Linker::explain
    /// [`Resolver`]: crate::Resolver
    ///
    /// ```
    /// use personlink::config::ConfigWarning;
    /// use personlink::Config;
    /// assert!(Config::person_default().warnings().is_empty());
    /// let mut config = Config::person_default();
    /// config.blocking.rules.clear();
    /// config.validate()?;
    /// assert_eq!(config.warnings(), [ConfigWarning::NoBlockingRule]);
    /// assert_eq!(config.warnings()[0].path(), "blocking.rules");
    /// # Ok::<(), personlink::Error>(())
    /// ```
    pub fn warnings(&self) -> Vec<ConfigWarning> {
        let mut warnings = Vec::new();
        if self.blocking.rules.is_empty() {
            warnings.push(ConfigWarning::NoBlockingRule);
        }
        warnings
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
        if self.threads > MAX_THREADS {
            return Err(Error::config(
                "threads",
                format!(
                    "{} threads, at most {MAX_THREADS} are allowed (0 = one per core)",
                    self.threads
                ),
            ));
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
