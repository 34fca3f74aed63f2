//! The curated hard-case suite (issue 10, point 7).
//!
//! `tests/data/hard_cases.csv` holds hand-written records of English-speaking,
//! French and international people, in groups. Each group is one named
//! phenomenon (nicknames, twins, generation suffixes, shared contact values,
//! native-script names…) and says which of its records are one person
//! (`expected_entity`); records of different groups are different people.
//!
//! The suite resolves the file with the trained default run, as the `dedupe`
//! tool does: the person profile, a model trained on the file itself with the
//! default options, the threshold training suggests, then `dedupe`. It prints
//! one row per phenomenon (`cargo test hard_cases -- --nocapture`) and asserts
//! that no twins, relatives or generations are merged, that every group comes
//! out exactly right except those listed, each with its reason, in
//! [`KNOWN_FAILURES`], that the groups not listed reach pairwise F1 0.95, and
//! that the whole file stays above [`WHOLE_FILE_F1_FLOOR`].

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use personlink::normalize::{Country, DateOrder};
use personlink::train::TrainingOptions;
use personlink::{Config, EntityId, Linker, Record, SourceRef, SourceSettings};

/// The cases, compiled in: the test reads no file at run time.
const CASES: &str = include_str!("data/hard_cases.csv");

/// Phenomena whose groups hold different people of one family or one home:
/// merging any two of them is the costliest mistake a register can make.
const MUST_STAY_APART: &[&str] = &["twins", "family", "generation"];

/// Groups the trained default run does not get exactly right, with the reason.
///
/// The test fails when a group not listed here is wrong, and also when a listed
/// group comes out right, so the list stays honest. A group of
/// [`MUST_STAY_APART`] may be listed only for a missing feature (its reason
/// starts with "needs"). Dates written month-first by a US source
/// (`03/28/1995`) are read day-first by the default profile and dropped when
/// the day is above 12: the groups that need them list it.
const KNOWN_FAILURES: &[(&str, &str)] = &[
    (
        "date-typo-holloway",
        "a birth year with two digits transposed (1969 / 1996) is no date-typo level: the \
         identity rule reads dates 27 years apart as father and son",
    ),
    (
        "fr-phone-lambert",
        "an initial (V.) does not meet the identity rule, even with the same mobile phone",
    ),
    (
        "us-phone-mackenzie",
        "an initial (B.) does not meet the identity rule, even with the same phone and street",
    ),
];

/// Pairwise F1 over the whole file must stay at or above this: the issue's
/// target (measured: precision 1.0000, recall 0.9674, F1 0.9834, 86 of 89
/// groups right).
const WHOLE_FILE_F1_FLOOR: f64 = 0.95;

/// Pairwise F1 the groups not in [`KNOWN_FAILURES`] must reach.
const F1_TARGET: f64 = 0.95;

/// One record's place in the suite.
#[derive(Debug, Clone)]
pub struct Case {
    pub record_id: String,
    pub group: String,
    pub phenomenon: String,
    pub expected_entity: String,
}

/// The cases and their records, columns mapped onto the person schema by
/// name (the field's own name or one of the profile's column aliases).
pub fn load(config: &Config) -> (Vec<Case>, Vec<Record>) {
    let mut reader = csv::Reader::from_reader(CASES.as_bytes());
    let headers: Vec<String> =
        reader.headers().expect("a header row").iter().map(|h| h.trim().to_lowercase()).collect();
    let column = |name: &str| headers.iter().position(|h| h == name);
    let required = |name: &str| column(name).unwrap_or_else(|| panic!("no `{name}` column"));
    let profile = personlink::profile::person();
    let schema = &config.schema;
    let mapped: Vec<Option<usize>> = schema
        .fields()
        .iter()
        .map(|f| {
            std::iter::once(&f.name)
                .chain(profile.aliases_of(&f.name))
                .find_map(|alias| column(&alias.to_lowercase()))
        })
        .collect();
    let at = |row: &csv::StringRecord, i: usize| row.get(i).unwrap_or("").trim().to_owned();
    let (mut cases, mut records) = (Vec::new(), Vec::new());
    for row in reader.records() {
        let row = row.expect("a well-formed CSV row");
        let case = Case {
            record_id: at(&row, required("record_id")),
            group: at(&row, required("group")),
            phenomenon: at(&row, required("phenomenon")),
            expected_entity: at(&row, required("expected_entity")),
        };
        let values =
            mapped.iter().map(|c| c.map(|i| at(&row, i)).filter(|v| !v.is_empty())).collect();
        let source = SourceRef::new(at(&row, required("source")), case.record_id.clone());
        records.push(Record::from_values(schema, source, values).expect("one value per field"));
        cases.push(case);
    }
    (cases, records)
}

/// The trained default run, as the `dedupe` tool makes it: train on the
/// records, take the model and the suggested threshold, resolve. Returns the
/// entity of each record and a line on the training.
fn trained_default_run(records: &[Record]) -> (Vec<EntityId>, String) {
    let config = sources_configured(Config::person_default(), records);
    let linker = Linker::new(config.clone()).expect("the default configuration is valid");
    let trained = linker.train(records, &TrainingOptions::default()).expect("training");
    let threshold = trained.report.suggested_threshold;
    let summary = format!(
        "trained on {} records: {} candidate pairs, prior {:.3e}, expected matches {:.1}, \
         suggested threshold {threshold:+.1}",
        records.len(),
        trained.report.candidate_pairs,
        trained.report.prior,
        trained.report.expected_matches,
    );
    let mut config = config.with_model(trained.model);
    config.policy.move_match_threshold(threshold);
    let result = Linker::new(config).expect("the trained model is valid").dedupe(records);
    (result.expect("dedupe").entity_of, summary)
}

/// The default configuration with what a user says about the sources: the
/// American systems (`us_*`) write national phone numbers of the United States
/// and numeric dates month first; the others keep the defaults (France, day first).
fn sources_configured(config: Config, records: &[Record]) -> Config {
    let american =
        SourceSettings { country: Some(Country::Us), date_order: Some(DateOrder::MonthFirst) };
    let mut systems: Vec<&str> = records.iter().map(|r| r.source().system.as_str()).collect();
    systems.sort_unstable();
    systems.dedup();
    systems
        .into_iter()
        .filter(|system| system.starts_with("us_"))
        .fold(config, |config, system| config.with_source(system, american.clone()))
}

/// How one group came out.
#[derive(Debug, Default)]
struct GroupOutcome {
    phenomenon: String,
    records: usize,
    /// Pairs of the group's records that are one person.
    true_pairs: u64,
    /// Pairs with at least one of the group's records put in one entity.
    predicted_pairs: u64,
    /// Predicted pairs that are one person.
    true_positives: u64,
    /// Different people put in one entity, and one person's records left apart.
    failures: Vec<String>,
    /// Whether a failure puts different people of the group together.
    merged_within: bool,
}

impl GroupOutcome {
    fn is_right(&self) -> bool {
        self.failures.is_empty()
    }
}

/// Every group's outcome, by group name.
fn outcomes(cases: &[Case], entity_of: &[EntityId]) -> BTreeMap<String, GroupOutcome> {
    let mut groups: BTreeMap<String, GroupOutcome> = BTreeMap::new();
    for c in cases {
        let g = groups.entry(c.group.clone()).or_default();
        g.phenomenon.clone_from(&c.phenomenon);
        g.records += 1;
    }
    // Pair counts: every pair touching a group counts for it (a wrong merge
    // across two groups counts for both).
    for i in 0..cases.len() {
        for j in i + 1..cases.len() {
            let same_person = cases[i].expected_entity == cases[j].expected_entity;
            let together = entity_of[i] == entity_of[j];
            let touched: BTreeSet<&str> =
                [cases[i].group.as_str(), cases[j].group.as_str()].into_iter().collect();
            for group in touched {
                let g = groups.get_mut(group).expect("every group is known");
                g.true_pairs += u64::from(same_person);
                g.predicted_pairs += u64::from(together);
                g.true_positives += u64::from(same_person && together);
            }
        }
    }
    // Merges: a predicted entity holding records of more than one person.
    let mut by_entity: BTreeMap<EntityId, Vec<usize>> = BTreeMap::new();
    for (i, e) in entity_of.iter().enumerate() {
        by_entity.entry(*e).or_default().push(i);
    }
    for members in by_entity.values() {
        let people: BTreeSet<&str> =
            members.iter().map(|&i| cases[i].expected_entity.as_str()).collect();
        if people.len() < 2 {
            continue;
        }
        let ids: Vec<&str> = members.iter().map(|&i| cases[i].record_id.as_str()).collect();
        let line = format!(
            "merged {} ({})",
            people.iter().copied().collect::<Vec<_>>().join(" + "),
            ids.join(" ")
        );
        let touched: BTreeSet<&str> = members.iter().map(|&i| cases[i].group.as_str()).collect();
        for group in touched {
            let g = groups.get_mut(group).expect("every group is known");
            let within = members
                .iter()
                .filter(|&&i| cases[i].group == group)
                .map(|&i| cases[i].expected_entity.as_str())
                .collect::<BTreeSet<_>>()
                .len()
                > 1;
            g.merged_within |= within;
            g.failures.push(line.clone());
        }
    }
    // Splits: one person's records in more than one predicted entity.
    let mut by_person: BTreeMap<&str, BTreeMap<EntityId, Vec<&str>>> = BTreeMap::new();
    for (c, e) in cases.iter().zip(entity_of) {
        by_person
            .entry(c.expected_entity.as_str())
            .or_default()
            .entry(*e)
            .or_default()
            .push(c.record_id.as_str());
    }
    let group_of: BTreeMap<&str, &str> =
        cases.iter().map(|c| (c.expected_entity.as_str(), c.group.as_str())).collect();
    for (person, parts) in by_person {
        if parts.len() < 2 {
            continue;
        }
        let parts: Vec<String> = parts.values().map(|ids| format!("[{}]", ids.join(" "))).collect();
        let g = groups.get_mut(group_of[person]).expect("every group is known");
        g.failures.push(format!("split {person}: {}", parts.join(" ")));
    }
    groups
}

fn ratio(a: u64, b: u64) -> f64 {
    if b == 0 {
        1.0
    } else {
        a as f64 / b as f64
    }
}

/// The per-phenomenon table, then every wrong group with its failures.
fn table(
    groups: &BTreeMap<String, GroupOutcome>,
    overall: &personlink::eval::PairwiseMetrics,
) -> String {
    let mut by_phenomenon: BTreeMap<&str, Vec<(&String, &GroupOutcome)>> = BTreeMap::new();
    for (name, g) in groups {
        by_phenomenon.entry(g.phenomenon.as_str()).or_default().push((name, g));
    }
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{:<20} {:>6} {:>7} {:>10} {:>10} {:>9} {:>9} {:>7}",
        "phenomenon",
        "groups",
        "right",
        "records",
        "true pairs",
        "predicted",
        "precision",
        "recall"
    );
    for (phenomenon, list) in &by_phenomenon {
        let sum = |f: fn(&GroupOutcome) -> u64| list.iter().map(|(_, g)| f(g)).sum::<u64>();
        let tp = sum(|g| g.true_positives);
        let _ = writeln!(
            out,
            "{:<20} {:>6} {:>7} {:>10} {:>10} {:>9} {:>9.3} {:>7.3}",
            phenomenon,
            list.len(),
            list.iter().filter(|(_, g)| g.is_right()).count(),
            sum(|g| g.records as u64),
            sum(|g| g.true_pairs),
            sum(|g| g.predicted_pairs),
            ratio(tp, sum(|g| g.predicted_pairs)),
            ratio(tp, sum(|g| g.true_pairs)),
        );
    }
    let right = groups.values().filter(|g| g.is_right()).count();
    let _ = writeln!(
        out,
        "overall: {right} of {} groups right; pairwise precision {:.4}, recall {:.4}, F1 {:.4} \
         ({} true positives, {} predicted pairs, {} true pairs)",
        groups.len(),
        overall.precision,
        overall.recall,
        overall.f1,
        overall.true_positives,
        overall.predicted_pairs,
        overall.true_pairs
    );
    for (name, g) in groups.iter().filter(|(_, g)| !g.is_right()) {
        let known = KNOWN_FAILURES.iter().find(|k| k.0 == name).map_or("NOT LISTED", |k| k.1);
        let _ = writeln!(out, "  {name} ({known}):");
        for f in &g.failures {
            let _ = writeln!(out, "    {f}");
        }
    }
    out
}

#[test]
fn hard_cases_are_resolved_as_expected() {
    let (cases, records) = load(&Config::person_default());
    assert!(records.len() >= 170, "{} records", records.len());
    let (entity_of, training) = trained_default_run(&records);
    let truth: Vec<&str> = cases.iter().map(|c| c.expected_entity.as_str()).collect();
    let overall = personlink::eval::pairwise(&entity_of, &truth);
    let groups = outcomes(&cases, &entity_of);
    let listed = |c: &Case| KNOWN_FAILURES.iter().any(|k| k.0 == c.group);
    let kept: Vec<usize> = (0..cases.len()).filter(|&i| !listed(&cases[i])).collect();
    let right = personlink::eval::pairwise(
        &kept.iter().map(|&i| entity_of[i]).collect::<Vec<_>>(),
        &kept.iter().map(|&i| truth[i]).collect::<Vec<_>>(),
    );
    let report = format!(
        "{training}\n{}groups not in KNOWN_FAILURES: pairwise precision {:.4}, recall {:.4}, F1 {:.4}",
        table(&groups, &overall),
        right.precision,
        right.recall,
        right.f1
    );
    println!("{report}");

    for (name, reason) in KNOWN_FAILURES {
        let g =
            groups.get(*name).unwrap_or_else(|| panic!("KNOWN_FAILURES names no group `{name}`"));
        assert!(
            !g.is_right(),
            "`{name}` is listed as failing ({reason}) but is right now: remove it\n{report}"
        );
        if MUST_STAY_APART.contains(&g.phenomenon.as_str()) {
            assert!(
                reason.starts_with("needs"),
                "`{name}` must stay apart; only a missing feature excuses it\n{report}"
            );
        }
    }
    let merged: Vec<&String> = groups
        .iter()
        .filter(|(name, g)| {
            MUST_STAY_APART.contains(&g.phenomenon.as_str())
                && g.merged_within
                && !KNOWN_FAILURES.iter().any(|k| k.0 == name.as_str())
        })
        .map(|(name, _)| name)
        .collect();
    assert!(merged.is_empty(), "relatives merged in {merged:?}\n{report}");
    let unlisted: Vec<&String> = groups
        .iter()
        .filter(|(name, g)| !g.is_right() && !KNOWN_FAILURES.iter().any(|k| k.0 == name.as_str()))
        .map(|(name, _)| name)
        .collect();
    assert!(unlisted.is_empty(), "wrong groups not in KNOWN_FAILURES: {unlisted:?}\n{report}");
    assert!(right.f1 >= F1_TARGET, "groups not listed: pairwise F1 {:.4}\n{report}", right.f1);
    assert!(
        overall.f1 >= WHOLE_FILE_F1_FLOOR,
        "pairwise F1 {:.4} under {WHOLE_FILE_F1_FLOOR}\n{report}",
        overall.f1
    );
}

/// The scoring itself: a merge of two people and a split of one are both
/// reported, against the groups they touch.
#[test]
fn hard_case_scoring_reports_merges_and_splits() {
    let case = |id: &str, group: &str, entity: &str| Case {
        record_id: id.to_owned(),
        group: group.to_owned(),
        phenomenon: "p".to_owned(),
        expected_entity: entity.to_owned(),
    };
    let cases = vec![
        case("r1", "a", "a/x"),
        case("r2", "a", "a/x"),
        case("r3", "a", "a/y"),
        case("r4", "b", "b/z"),
    ];
    let e = |n: u64| EntityId::new(n);
    // r1 alone, r2 with r3 (another person), r4 alone.
    let groups = outcomes(&cases, &[e(1), e(2), e(2), e(3)]);
    let a = &groups["a"];
    assert_eq!((a.true_pairs, a.predicted_pairs, a.true_positives), (1, 1, 0));
    assert!(a.merged_within);
    assert_eq!(a.failures.len(), 2, "{:?}", a.failures);
    assert!(
        a.failures.iter().any(|f| f.starts_with("merged a/x + a/y (r2 r3)")),
        "{:?}",
        a.failures
    );
    assert!(a.failures.iter().any(|f| f == "split a/x: [r1] [r2]"), "{:?}", a.failures);
    assert!(groups["b"].is_right());
    // A merge across groups counts against both, and is not within either.
    let groups = outcomes(&cases, &[e(1), e(1), e(2), e(2)]);
    assert!(!groups["b"].is_right() && !groups["b"].merged_within);
    assert!(!groups["a"].merged_within);
}
