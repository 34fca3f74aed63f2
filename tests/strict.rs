//! Strict configuration: a typo is an error naming it, on every serde type of
//! the crate (unit variants of tagged enums included), every JSON the crate
//! writes reads back unchanged, and out-of-range thread counts, thresholds or
//! an empty blocking configuration are refused with the offending entry named.

use std::fmt::Debug;

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{json, Value};

use personlink::block::{BlockingRule, KeyPart, KeyTransform};
use personlink::cluster::{MergePolicy, Refusal, Threshold, MAX_THRESHOLD_WEIGHT};
use personlink::compare::LevelSpec;
use personlink::config::{ConfigWarning, MAX_THREADS};
use personlink::eval::{pairwise, relatives_merged};
use personlink::explain::IdentityShortfall;
use personlink::golden::{GoldenConfig, Survivorship};
use personlink::phonetic::PhoneticAlgorithm;
use personlink::{Config, Linker, Record, Resolver, SourceRef};

/// The error text of reading `json` as a `T`.
fn error_of<T: DeserializeOwned + Debug>(json: Value) -> String {
    serde_json::from_value::<T>(json).unwrap_err().to_string()
}

/// `value` reads back from its JSON unchanged, and the same JSON with one more
/// key at `pointer` (an object of it) is refused with an error naming the key.
fn round_trips_and_refuses_a_key_at<T>(value: &T, pointer: &str)
where
    T: Serialize + DeserializeOwned + PartialEq + Debug,
{
    let json = serde_json::to_value(value).unwrap();
    assert_eq!(&serde_json::from_value::<T>(json.clone()).unwrap(), value, "{json}");
    let mut typo = json.clone();
    let object = typo.pointer_mut(pointer).and_then(Value::as_object_mut).unwrap();
    object.insert("colour".to_owned(), json!("blue"));
    let err = error_of::<T>(typo);
    assert!(err.contains("unknown field `colour`"), "{pointer} of {json}: {err}");
}

#[test]
fn the_three_unit_variant_typos_of_the_issue_are_errors_naming_the_key() {
    let err = error_of::<LevelSpec>(json!({"type": "exact", "min": 0.9}));
    assert!(err.contains("unknown field `min`"), "{err}");
    let err = error_of::<KeyTransform>(json!({"type": "exact", "len": 1}));
    assert!(err.contains("unknown field `len`"), "{err}");
    let err = error_of::<Survivorship>(json!({"type": "most_recent", "systems": ["crm"]}));
    assert!(err.contains("unknown field `systems`"), "{err}");
    // The same, inside a whole configuration.
    let mut config = serde_json::to_value(Config::person_default()).unwrap();
    config["golden"]["default"] = json!({"type": "most_recent", "systems": ["crm"]});
    let err = error_of::<Config>(config);
    assert!(err.contains("unknown field `systems`"), "{err}");
}

/// Every variant of the tagged enums, knobs and all.
fn every_level() -> Vec<LevelSpec> {
    vec![
        LevelSpec::Exact,
        LevelSpec::JaroWinkler { min: 0.9 },
        LevelSpec::Levenshtein { min: 0.8 },
        LevelSpec::Damerau { min: 0.7 },
        LevelSpec::WithinEdits { max: 2 },
        LevelSpec::Phonetic { algorithm: PhoneticAlgorithm::DoubleMetaphone },
        LevelSpec::TokenSet { min: 0.5 },
        LevelSpec::TokenSubset,
        LevelSpec::FirstToken,
        LevelSpec::Initial,
        LevelSpec::Nickname,
        LevelSpec::Swapped { with: "surname".into() },
        LevelSpec::AbjadSkeleton,
        LevelSpec::DateWithin { days: 3 },
        LevelSpec::DateTypo,
        LevelSpec::SameYear,
        LevelSpec::NumberWithin { abs: 1.0, rel: 0.1 },
        LevelSpec::Prefix { len: 3 },
        LevelSpec::NationalNumber { min_digits: 8 },
    ]
}

fn every_transform() -> Vec<KeyTransform> {
    vec![
        KeyTransform::Exact,
        KeyTransform::Prefix { len: 2 },
        KeyTransform::Suffix { len: 4 },
        KeyTransform::Phonetic { algorithm: PhoneticAlgorithm::Soundex },
        KeyTransform::Year,
        KeyTransform::MonthDay,
        KeyTransform::Initials,
        KeyTransform::SortedTokens,
        KeyTransform::FirstToken,
        KeyTransform::LastToken,
        KeyTransform::Digits,
    ]
}

fn every_rule() -> Vec<Survivorship> {
    vec![
        Survivorship::MostRecent,
        Survivorship::MostFrequent,
        Survivorship::SourcePriority { systems: vec!["crm".into(), "web".into()] },
        Survivorship::Longest,
        Survivorship::FirstNonEmpty,
    ]
}

fn every_refusal() -> Vec<Refusal> {
    vec![
        Refusal::MustNotLink { rule: 1, field: "national_id".into() },
        Refusal::ClusterSize { size: 101 },
        Refusal::ManualSplit,
    ]
}

#[test]
fn every_variant_of_the_tagged_enums_round_trips_and_refuses_an_extra_key() {
    for level in every_level() {
        round_trips_and_refuses_a_key_at(&level, "");
    }
    for transform in every_transform() {
        round_trips_and_refuses_a_key_at(&transform, "");
    }
    for rule in every_rule() {
        round_trips_and_refuses_a_key_at(&rule, "");
    }
    for refusal in every_refusal() {
        round_trips_and_refuses_a_key_at(&refusal, "");
    }
}

#[test]
fn the_json_written_is_the_json_of_before() {
    // Variants without knobs are written as the tag alone, knobs as keys beside it.
    let written = |v: &dyn erased::Json| v.json();
    assert_eq!(written(&LevelSpec::Exact), r#"{"type":"exact"}"#);
    assert_eq!(written(&LevelSpec::AbjadSkeleton), r#"{"type":"abjad_skeleton"}"#);
    assert_eq!(
        written(&LevelSpec::NationalNumber { min_digits: 7 }),
        r#"{"type":"national_number","min_digits":7}"#
    );
    assert_eq!(written(&KeyTransform::MonthDay), r#"{"type":"month_day"}"#);
    assert_eq!(written(&KeyTransform::Prefix { len: 1 }), r#"{"type":"prefix","len":1}"#);
    assert_eq!(written(&Survivorship::FirstNonEmpty), r#"{"type":"first_non_empty"}"#);
    assert_eq!(written(&Refusal::ManualSplit), r#"{"type":"manual_split"}"#);
    // Knobs with defaults may still be left out.
    let level: LevelSpec = serde_json::from_str(r#"{"type": "national_number"}"#).unwrap();
    assert_eq!(level, LevelSpec::NationalNumber { min_digits: 7 });
    let level: LevelSpec = serde_json::from_str(r#"{"type": "number_within", "abs": 2}"#).unwrap();
    assert_eq!(level, LevelSpec::NumberWithin { abs: 2.0, rel: 0.0 });
    // Unknown types are still named.
    let err = error_of::<LevelSpec>(json!({"type": "exactly"}));
    assert!(err.contains("unknown variant `exactly`"), "{err}");
    // The whole default configuration round trips.
    let text = serde_json::to_string(&Config::person_default()).unwrap();
    assert_eq!(serde_json::from_str::<Config>(&text).unwrap(), Config::person_default());
}

/// `to_string` through `&dyn`, for the table above.
mod erased {
    pub trait Json {
        fn json(&self) -> String;
    }
    impl<T: serde::Serialize> Json for T {
        fn json(&self) -> String {
            serde_json::to_string(self).unwrap()
        }
    }
}

/// Two records of one person, and the resolver holding them.
fn two_records() -> (Config, Record, Record) {
    let config = Config::person_default();
    let schema = config.schema.clone();
    let record = |system: &str, id: &str, phone: &str| {
        Record::builder(&schema, SourceRef::new(system, id))
            .set("given_name", "Jean")
            .and_then(|b| b.set("surname", "Dupont"))
            .and_then(|b| b.set("date_of_birth", "1980-03-14"))
            .and_then(|b| b.set("phone", phone))
            .unwrap()
            .observed_at(1_700_000_000)
            .build()
    };
    let a = record("crm", "C-1", "06 71 42 93 18");
    let b = record("web", "W-9", "+33 6 71 42 93 18");
    (config, a, b)
}

#[test]
fn records_and_source_references_refuse_unknown_keys() {
    let (_, a, _) = two_records();
    round_trips_and_refuses_a_key_at(&a, "");
    round_trips_and_refuses_a_key_at(&a, "/source");
    round_trips_and_refuses_a_key_at(a.source(), "");
}

#[test]
fn outputs_read_back_refuse_unknown_keys() {
    let (config, a, b) = two_records();
    let linker = Linker::new(config.clone()).unwrap();
    let why = linker.explain(&a, &b).unwrap();
    round_trips_and_refuses_a_key_at(&why, "");
    round_trips_and_refuses_a_key_at(&why, "/fields/0");
    round_trips_and_refuses_a_key_at(&why, "/left");
    assert!(!why.caps.is_empty(), "the person profile has weight caps");
    round_trips_and_refuses_a_key_at(&why, "/caps/0");
    let shortfall = json!({"weight": 1.0, "min_weight": 2.0, "ceiling": 3.0, "adjustment": 0.0});
    let shortfall: IdentityShortfall = serde_json::from_value(shortfall).unwrap();
    round_trips_and_refuses_a_key_at(&shortfall, "");
    let config = config.with_policy(MergePolicy::default());
    let mut resolver = Resolver::new(config).unwrap();
    let entity = resolver.upsert(a).unwrap().entity;
    resolver.upsert(b).unwrap();
    let golden = resolver.golden(entity).unwrap();
    round_trips_and_refuses_a_key_at(&golden, "");
    let chosen = golden.value("surname").unwrap();
    round_trips_and_refuses_a_key_at(chosen, "");
    let metrics = pairwise(&[0, 0, 1], &[0, 0, 1]);
    round_trips_and_refuses_a_key_at(&metrics, "");
    let merged = relatives_merged(&[0, 0, 1], &[0, 1, 2], &[0, 0, 0]);
    round_trips_and_refuses_a_key_at(&merged, "");
}

#[test]
fn configuration_types_refuse_unknown_keys_at_every_level() {
    let config = Config::person_default();
    round_trips_and_refuses_a_key_at(&config, "");
    for pointer in [
        "/blocking",
        "/blocking/rules/0",
        "/blocking/rules/0/parts/0",
        "/blocking/rules/0/parts/0/transform",
        "/comparisons/0",
        "/comparisons/0/levels/0",
        "/policy",
        "/golden",
        "/golden/default",
        "/households",
        "/nicknames",
        "/model",
    ] {
        round_trips_and_refuses_a_key_at(&config, pointer);
    }
    let rule = BlockingRule {
        name: "dob".into(),
        parts: vec![KeyPart::new("date_of_birth", KeyTransform::Year)],
        any_order: false,
    };
    round_trips_and_refuses_a_key_at(&rule, "/parts/0/transform");
    let golden = GoldenConfig::default().with_field("email", Survivorship::Longest);
    round_trips_and_refuses_a_key_at(&golden, "/fields/email");
}

#[test]
fn thread_counts_beyond_the_bound_are_refused_naming_threads() {
    Config::person_default().with_threads(MAX_THREADS).validate().unwrap();
    for threads in [MAX_THREADS + 1, 100_000, usize::MAX] {
        let err = Config::person_default().with_threads(threads).validate().unwrap_err();
        let text = err.to_string();
        assert!(text.contains("`threads`") && text.contains("1024"), "{text}");
    }
}

#[test]
fn a_run_with_more_threads_than_jobs_or_cores_gives_the_same_entities() {
    let records = personlink::synth::generate(&personlink::synth::SynthConfig::new(5, 300)).records;
    let run = |threads| {
        let linker = Linker::new(Config::person_default().with_threads(threads)).unwrap();
        linker.dedupe(&records).unwrap().entity_of
    };
    assert_eq!(run(1), run(MAX_THREADS));
}

#[test]
fn thresholds_out_of_range_are_refused_naming_the_threshold_and_the_range() {
    let with = |policy: MergePolicy| Config::person_default().with_policy(policy).validate();
    for w in [1e308, -1e308, MAX_THRESHOLD_WEIGHT + 1.0, f64::INFINITY, f64::NAN] {
        let err = with(MergePolicy::default().with_match_threshold(Threshold::Weight(w)));
        let text = err.unwrap_err().to_string();
        assert!(text.contains("policy.match_threshold"), "{w}: {text}");
        assert!(text.contains("[-1000, 1000]"), "{w}: {text}");
        assert!(text.len() < 200, "the value is written short: {text}");
        let policy = MergePolicy::default()
            .with_match_threshold(Threshold::Weight(5.0))
            .with_review_threshold(Threshold::Weight(-w.abs()));
        let text = with(policy).unwrap_err().to_string();
        assert!(text.contains("policy.review_threshold"), "{w}: {text}");
    }
    let edges = MergePolicy::default()
        .with_match_threshold(Threshold::Weight(MAX_THRESHOLD_WEIGHT))
        .with_review_threshold(Threshold::Weight(-MAX_THRESHOLD_WEIGHT));
    with(edges).unwrap();
    for p in [0.0, 1.0, -0.5, 1e308] {
        let policy = MergePolicy::default().with_match_threshold(Threshold::Probability(p));
        let text = with(policy).unwrap_err().to_string();
        assert!(text.contains("policy.match_threshold") && text.contains("(0, 1)"), "{p}: {text}");
    }
}

#[test]
fn a_configuration_without_blocking_rules_is_valid_with_a_warning_naming_blocking_rules() {
    let mut config = Config::person_default();
    assert!(config.warnings().is_empty());
    config.blocking.rules.clear();
    // Valid: it still scores the pairs a host picks (the level tests do just that).
    config.validate().unwrap();
    assert_eq!(config.warnings(), [ConfigWarning::NoBlockingRule]);
    let text = config.warnings()[0].to_string();
    assert!(text.starts_with("blocking.rules: no blocking rule"), "{text}");
    let (_, a, b) = two_records();
    let linker = Linker::new(config).unwrap();
    let prepared = linker.prepare(&[a.clone(), b.clone()]).unwrap();
    assert!(linker.score_pair(&prepared, 0, 1).1 > 0.0, "the pair scores");
    assert_eq!(linker.dedupe(&[a, b]).unwrap().entities.len(), 2, "but dedupe compares nothing");
    // A file with no column any rule reads leaves none either.
    let config = Config::person_default().restrict_to_fields(&["gender", "city"]);
    assert_eq!(config.warnings(), [ConfigWarning::NoBlockingRule]);
}

#[test]
fn training_reports_labels_and_capped_blocks_refuse_unknown_keys() {
    use personlink::synth::{generate, SynthConfig};
    use personlink::train::{LabelledPair, TrainingOptions};
    let data = generate(&SynthConfig::new(5, 300));
    let linker = Linker::new(Config::person_default()).unwrap();
    let options = TrainingOptions { u_sample_pairs: 20_000, ..TrainingOptions::default() };
    let report = linker.train(&data.records, &options).unwrap().report;
    for pointer in
        ["", "/passes/0", "/passes/0/iterations/0", "/u_standard_errors/0", "/stage_times"]
    {
        round_trips_and_refuses_a_key_at(&report, pointer);
    }
    let label = LabelledPair::new(SourceRef::new("crm", "1"), SourceRef::new("web", "2"), true);
    round_trips_and_refuses_a_key_at(&label, "");
    let mut config = Config::person_default();
    config.blocking.max_block_size = 2;
    let s = config.schema.clone();
    let three: Vec<Record> = ["1", "2", "3"]
        .map(|id| {
            Record::builder(&s, SourceRef::new("x", id)).set("phone", "0645871203").unwrap().build()
        })
        .into();
    let capped = Linker::new(config).unwrap().dedupe(&three).unwrap().stats.capped_blocks;
    assert!(!capped.is_empty());
    round_trips_and_refuses_a_key_at(&capped[0], "");
}

#[test]
fn model_weights_out_of_range_are_refused_naming_the_entry() {
    let mut config = Config::person_default();
    assert!(!config.model.caps.is_empty() && config.model.identity.is_some());
    config.model.caps[0].max_weight = 1e308;
    let err = Linker::new(config).unwrap_err().to_string();
    assert!(err.contains("caps[0].max_weight") && err.contains("1000"), "{err}");
    let mut config = Config::person_default();
    config.model.identity.as_mut().unwrap().ceiling = -1e308;
    let err = Linker::new(config).unwrap_err().to_string();
    assert!(err.contains("identity.ceiling") && err.contains("1000"), "{err}");
}
