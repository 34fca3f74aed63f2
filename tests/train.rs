//! Training: determinism, serialization, degenerate inputs.

use personlink::synth::{generate, SynthConfig};
use personlink::train::TrainingOptions;
use personlink::{Config, Linker, Record, SourceRef};

fn assert_finite(model: &personlink::model::Model) {
    assert!(
        model.prior.is_finite() && model.prior > 0.0 && model.prior < 1.0,
        "prior {}",
        model.prior
    );
    for cm in &model.comparisons {
        for l in &cm.levels {
            assert!(
                l.m.is_finite() && l.m > 0.0 && l.m <= 1.0,
                "{} {} m {}",
                cm.field,
                l.label,
                l.m
            );
            assert!(
                l.u.is_finite() && l.u > 0.0 && l.u <= 1.0,
                "{} {} u {}",
                cm.field,
                l.label,
                l.u
            );
            assert!(l.weight().is_finite());
        }
    }
}

#[test]
fn training_is_deterministic_for_a_seed_and_any_thread_count() {
    let data = generate(&SynthConfig::new(8, 600));
    let options = TrainingOptions { u_sample_pairs: 100_000, ..TrainingOptions::default() };
    let one = Linker::new(Config::person_default().with_threads(1)).unwrap();
    let two = Linker::new(Config::person_default().with_threads(2)).unwrap();
    let a = one.train(&data.records, &options).unwrap();
    let b = two.train(&data.records, &options).unwrap();
    assert_eq!(a.model, b.model);
    let other_seed = one.train(&data.records, &TrainingOptions { seed: 99, ..options }).unwrap();
    assert_ne!(a.model, other_seed.model, "another seed draws another u sample");
    assert_finite(&a.model);
}

#[test]
fn trained_model_round_trips_through_json_with_identical_scores() {
    let data = generate(&SynthConfig::new(12, 400));
    let linker = Linker::new(Config::person_default()).unwrap();
    let trained = linker.train(&data.records, &TrainingOptions::default()).unwrap();
    let json = serde_json::to_string(&trained.model).unwrap();
    let back: personlink::model::Model = serde_json::from_str(&json).unwrap();
    assert_eq!(back, trained.model);
    let before = Linker::new(Config::person_default().with_model(trained.model)).unwrap();
    let after = Linker::new(Config::person_default().with_model(back)).unwrap();
    for w in data.records.windows(2).take(200) {
        let x = before.explain(&w[0], &w[1]).unwrap().total_weight;
        let y = after.explain(&w[0], &w[1]).unwrap().total_weight;
        assert_eq!(x.to_bits(), y.to_bits());
    }
}

#[test]
fn trained_model_resolves_generated_data_well() {
    let data = generate(&SynthConfig::new(31, 1_500));
    let linker = Linker::new(Config::person_default()).unwrap();
    let trained = linker.train(&data.records, &TrainingOptions::default()).unwrap();
    assert!(trained.report.passes.iter().all(|p| p.converged), "{}", trained.report);
    let tuned = Linker::new(Config::person_default().with_model(trained.model)).unwrap();
    let r = tuned.dedupe(&data.records).unwrap();
    let m = personlink::eval::pairwise(&r.entity_of, &data.truth);
    assert!(m.precision > 0.95 && m.recall > 0.98, "{m}");
}

#[test]
fn degenerate_inputs_give_a_sensible_model() {
    let config = Config::person_default();
    let s = config.schema.clone();
    let linker = Linker::new(config).unwrap();
    let options = TrainingOptions::default();
    let person = |id: usize| {
        Record::builder(&s, SourceRef::new("t", id.to_string()))
            .set("given_name", "Jean")
            .unwrap()
            .set("surname", "Martin")
            .unwrap()
            .set("date_of_birth", "1980-01-01")
            .unwrap()
            .build()
    };
    // No record, one record, all records identical, no candidate pair at all.
    let empty: Vec<Record> = Vec::new();
    let one = vec![person(0)];
    let same: Vec<Record> = (0..50).map(person).collect();
    let apart: Vec<Record> = (0..50)
        .map(|i| {
            Record::builder(&s, SourceRef::new("t", i.to_string()))
                .set("email", format!("p{i}@x.org"))
                .unwrap()
                .build()
        })
        .collect();
    for records in [&empty, &one, &same, &apart] {
        let trained = linker.train(records, &options).unwrap();
        assert_finite(&trained.model);
        // The model is usable.
        Linker::new(Config::person_default().with_model(trained.model))
            .unwrap()
            .dedupe(records)
            .unwrap();
    }
    // A field always missing keeps its starting u and says so.
    let trained = linker.train(&same, &options).unwrap();
    assert!(trained.report.u_not_estimated.contains(&"email".to_owned()), "{}", trained.report);
}

#[test]
fn invalid_options_name_the_option() {
    let linker = Linker::new(Config::person_default()).unwrap();
    let err = linker
        .train(&[], &TrainingOptions { tolerance: f64::NAN, ..TrainingOptions::default() })
        .unwrap_err();
    assert!(err.to_string().contains("training.tolerance"), "{err}");
}

#[test]
fn exact_match_on_a_rare_value_outweighs_a_common_one() {
    let config = Config::person_default();
    let s = config.schema.clone();
    let person = |id: usize, given: &str, surname: &str| {
        Record::builder(&s, SourceRef::new("t", id.to_string()))
            .set("given_name", given)
            .unwrap()
            .set("surname", surname)
            .unwrap()
            .set("date_of_birth", format!("19{:02}-0{}-1{}", 40 + id % 50, 1 + id % 9, id % 10))
            .unwrap()
            .build()
    };
    let mut records: Vec<Record> =
        (0..300).map(|i| person(i, &format!("g{i}"), "Martin")).collect();
    records.push(person(1000, "Yann", "Kervadec"));
    records.push(person(1001, "Yann", "Kervadec"));
    let linker = Linker::new(config).unwrap();
    let trained = linker.train(&records, &TrainingOptions::default()).unwrap();
    let table = trained
        .model
        .term_frequencies
        .iter()
        .find(|t| t.field == "surname")
        .expect("surname table");
    assert_eq!(table.counts["martin"], 300);
    assert_eq!(table.counts["kervadec"], 2);
    let tuned = Linker::new(Config::person_default().with_model(trained.model)).unwrap();
    let surname = |e: &personlink::Explanation| {
        e.fields.iter().find(|f| f.field == "surname").unwrap().clone()
    };
    let common = surname(&tuned.explain(&records[0], &records[1]).unwrap());
    let rare = surname(&tuned.explain(&records[300], &records[301]).unwrap());
    assert_eq!((common.label.as_str(), rare.label.as_str()), ("exact", "exact"));
    assert!(common.term_frequency_adjustment < 0.0, "{common:?}");
    assert!(rare.term_frequency_adjustment > 0.0, "{rare:?}");
    assert!(rare.weight > common.weight + 5.0, "rare {} vs common {}", rare.weight, common.weight);
}

#[test]
fn labels_move_the_estimates_and_unknown_records_are_errors() {
    use personlink::train::LabelledPair;
    let data = generate(&SynthConfig::new(17, 300));
    let linker = Linker::new(Config::person_default()).unwrap();
    let options = TrainingOptions { u_sample_pairs: 50_000, ..TrainingOptions::default() };
    let plain = linker.train(&data.records, &options).unwrap();
    // Label every true duplicate pair of the first 100 records as a match.
    let mut labels = Vec::new();
    for i in 0..100 {
        for j in i + 1..data.records.len() {
            if data.truth[i] == data.truth[j] {
                labels.push(LabelledPair::new(
                    data.records[i].source().clone(),
                    data.records[j].source().clone(),
                    true,
                ));
            }
        }
    }
    assert!(labels.len() > 20);
    let blended = linker.train_labelled(&data.records, &labels, 10.0, &options).unwrap();
    assert_eq!(blended.report.labelled_matches, labels.len());
    assert_ne!(blended.model, plain.model);
    assert_finite(&blended.model);
    // With no weight on the unsupervised estimate, m is the labels' own level share.
    let only = linker.train_labelled(&data.records, &labels, 0.0, &options).unwrap();
    let gender = only.model.comparisons.iter().find(|c| c.field == "gender").unwrap();
    assert!(
        gender.levels[0].m > 0.8,
        "labelled duplicates mostly agree on gender: {:?}",
        gender.levels[0]
    );
    let bad = vec![LabelledPair::new(
        SourceRef::new("nowhere", "1"),
        data.records[0].source().clone(),
        false,
    )];
    let err = linker.train_labelled(&data.records, &bad, 10.0, &options).unwrap_err();
    assert!(matches!(err, personlink::Error::UnknownSource { .. }), "{err}");
}

#[test]
fn em_recovers_the_error_rates_of_generated_data() {
    use personlink::train::LabelledPair;
    // The reference: m counted on the true duplicate pairs (labels only, no EM weight).
    let data = generate(&SynthConfig::new(5, 1_500));
    let linker = Linker::new(Config::person_default()).unwrap();
    let options = TrainingOptions::default();
    let em = linker.train(&data.records, &options).unwrap().model;
    let mut by_person: std::collections::BTreeMap<u64, Vec<usize>> = Default::default();
    for (i, t) in data.truth.iter().enumerate() {
        by_person.entry(*t).or_default().push(i);
    }
    let mut labels = Vec::new();
    for group in by_person.values() {
        for x in 0..group.len() {
            for &y in &group[x + 1..] {
                let (a, b) = (data.records[group[x]].source(), data.records[y].source());
                labels.push(LabelledPair::new(a.clone(), b.clone(), true));
            }
        }
    }
    let truth = linker.train_labelled(&data.records, &labels, 0.0, &options).unwrap().model;
    let mut worst = 0.0f64;
    for (a, b) in em.comparisons.iter().zip(&truth.comparisons) {
        for (x, y) in a.levels.iter().zip(&b.levels) {
            worst = worst.max((x.m - y.m).abs());
        }
    }
    // Measured on this seed: every m within 0.021 of the true rate (surname exact is
    // the furthest off); 3,000 people give 0.025 (city and state exact).
    assert!(worst < 0.05, "largest m error {worst}");
}

/// A file too small to learn from keeps the starting model and a threshold
/// near 0, so it links what the untrained defaults link (issue 9, point 5).
#[test]
fn a_three_record_file_keeps_the_defaults_and_links_the_obvious_pair() {
    let config = Config::person_default().restrict_to_fields(&[
        "given_name",
        "surname",
        "date_of_birth",
        "email",
        "city",
    ]);
    let schema = config.schema.clone();
    let person = |id: &str, values: [&str; 5]| {
        let fields = ["given_name", "surname", "date_of_birth", "email", "city"];
        crate::support::record(
            &schema,
            "csv",
            id,
            &fields.into_iter().zip(values).collect::<Vec<_>>(),
        )
    };
    let records = vec![
        person("1", ["Jean", "Dupont", "14/03/1979", "jd@mail.fr", "Paris"]),
        person("2", ["JEAN", "DUPONT", "1979-03-14", "jd@mail.fr", "Lyon"]),
        person("3", ["Paul", "Martin", "1990-01-01", "pm@mail.fr", "Paris"]),
    ];
    let linker = Linker::new(config.clone()).unwrap();
    let trained = linker.train(&records, &TrainingOptions::default()).unwrap();
    // Three random pairs and one candidate pair: nothing is estimated.
    assert_eq!(trained.report.u_not_estimated.len(), 5, "{}", trained.report);
    assert_eq!(trained.report.m_not_estimated.len(), 5, "{}", trained.report);
    assert!(trained.report.suggested_threshold.abs() <= 1.0, "{}", trained.report);
    let mut policy = config.policy.clone();
    policy.move_match_threshold(trained.report.suggested_threshold);
    let tuned = Linker::new(config.with_model(trained.model).with_policy(policy)).unwrap();
    let result = tuned.dedupe(&records).unwrap();
    assert_eq!(result.entity_of[0], result.entity_of[1]);
    assert_ne!(result.entity_of[0], result.entity_of[2]);
}

/// How often different people share a birth date is counted from the values,
/// not sampled: two seeds, and a sample far too small to see it well, give the
/// same u for `date_of_birth/exact`, equal to the share of pairs with equal
/// values (2,000 people, 40 birth dates with 50 people each: 40 · C(50, 2) /
/// C(2000, 2) = 0.0245).
#[test]
fn exact_agreement_u_is_counted_from_the_values_not_sampled() {
    let fields = ["given_name", "surname", "date_of_birth"];
    let config = Config::person_default().restrict_to_fields(&fields);
    let schema = config.schema.clone();
    let records: Vec<Record> = (0..2000)
        .map(|i| {
            let given = made_up_name(i);
            let surname = made_up_name(i + 7919);
            let d = i % 40;
            let dob = if d < 28 {
                format!("1970-01-{:02}", d + 1)
            } else {
                format!("1980-02-{:02}", d - 27)
            };
            let values = [given.as_str(), surname.as_str(), dob.as_str()];
            crate::support::record(
                &schema,
                "csv",
                &i.to_string(),
                &fields.into_iter().zip(values).collect::<Vec<_>>(),
            )
        })
        .collect();
    let linker = Linker::new(config).unwrap();
    let u_of = |seed| {
        let options = TrainingOptions { seed, u_sample_pairs: 5_000, ..TrainingOptions::default() };
        let trained = linker.train(&records, &options).unwrap();
        let dob = trained.model.comparisons.iter().find(|c| c.field == "date_of_birth").unwrap();
        dob.levels[0].u
    };
    let expected = 40.0 * (50.0 * 49.0 / 2.0) / (2000.0 * 1999.0 / 2.0);
    let (a, b) = (u_of(1), u_of(2));
    // A sample of 5,000 pairs sees about 122 ± 11 of them: 9% apart. (The
    // trained u is a little lower: it is corrected for the pairs training
    // takes for matches.)
    assert!((a - expected).abs() < 3e-2 * expected, "{a} vs {expected}");
    assert!((a - b).abs() < 1e-2 * expected, "{a} vs {b}");
}

/// A made-up name of seven letters, different for each `i` below 26^7.
fn made_up_name(i: usize) -> String {
    let mut x = (i as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15) >> 20;
    (0..7)
        .map(|_| {
            let c = (b'a' + (x % 26) as u8) as char;
            x /= 26;
            c
        })
        .collect()
}

/// A generic contact email held by 20 different people weighs little once
/// trained, while a personal email shared by one person's two records keeps
/// its full weight (issue 10, point 4).
#[test]
fn a_contact_value_many_people_share_weighs_little() {
    let mut data = generate(&SynthConfig::new(21, 1_500));
    let schema = Config::person_default().schema;
    let email = schema.field_id("email").unwrap().index();
    // Twenty records of different people get the company's contact address.
    let mut shared = Vec::new();
    for (i, record) in data.records.iter_mut().enumerate().filter(|(i, _)| i % 75 == 0).take(20) {
        let mut values = record.values().to_vec();
        values[email] = Some("contact@acme-shop.com".to_owned());
        *record = Record::from_values(&schema, record.source().clone(), values).unwrap();
        shared.push(i);
    }
    let linker = Linker::new(Config::person_default()).unwrap();
    let trained = linker.train(&data.records, &TrainingOptions::default()).unwrap();
    assert!(trained.model.records_per_person > 1.0, "{}", trained.model.records_per_person);
    let table = trained.model.term_frequencies.iter().find(|t| t.field == "email").unwrap();
    assert_eq!(table.counts.get("contact@acme-shop.com"), Some(&20), "only shared values are kept");
    assert!(table.counts.len() < 50, "{} values kept", table.counts.len());
    let tuned = Linker::new(Config::person_default().with_model(trained.model)).unwrap();
    let email_weight = |a: &Record, b: &Record| {
        let e = tuned.explain(a, b).unwrap();
        let f = e.fields.iter().find(|f| f.field == "email").unwrap().clone();
        (f.weight + f.term_frequency_adjustment, f.term_frequency_adjustment, f.label)
    };
    let (generic, discount, label) =
        email_weight(&data.records[shared[0]], &data.records[shared[1]]);
    assert_eq!(label, "exact");
    assert!(discount < -8.0 && generic < 6.0, "generic email: {generic:+.2} ({discount:+.2})");
    // A personal email on two records of one person keeps its weight.
    let (a, b) = data
        .truth
        .iter()
        .enumerate()
        .flat_map(|(i, t)| {
            data.truth.iter().enumerate().skip(i + 1).map(move |(j, u)| (i, j, t == u))
        })
        .filter(|&(i, j, same)| {
            let (x, y) = (&data.records[i].values()[email], &data.records[j].values()[email]);
            same && x.is_some() && x == y
        })
        .map(|(i, j, _)| (i, j))
        .next()
        .expect("a duplicate keeps its email");
    let (personal, discount, _) = email_weight(&data.records[a], &data.records[b]);
    assert_eq!(discount, 0.0);
    assert!(personal > generic + 8.0, "personal {personal:+.2}, generic {generic:+.2}");
}

/// A file of a few hundred records (issue 10: "training on a small file breaks
/// the model") keeps a sane model: the threshold stays at 0, where too few
/// pairs show no valley, and no near miss (a close spelling, a date typo, a
/// close street) weighs more than exact agreement on the same field. Before
/// the starting model counted as prior evidence, the 282 hand-made hard cases
/// gave a close surname +8.2 bits against +8.0 for an exact one, and their
/// first 150 records a close given name +10.3 against +8.2; the generated file
/// moved the threshold to -1.5.
#[test]
fn a_small_file_keeps_a_sane_model() {
    let config = Config::person_default();
    let linker = Linker::new(config.clone()).unwrap();
    let (_, suite) = crate::hard_cases::load(&config);
    let files: [(&str, &[Record]); 3] = [
        ("the hard cases", &suite),
        ("their first 150 records", &suite[..150]),
        ("their last 150 records", &suite[suite.len() - 150..]),
    ];
    for (name, records) in files {
        let trained = linker.train(records, &TrainingOptions::default()).unwrap();
        assert_finite(&trained.model);
        assert_eq!(trained.report.suggested_threshold, 0.0, "{name}: {}", trained.report);
        for (cm, spec) in trained.model.comparisons.iter().zip(&config.comparisons) {
            if spec.levels.first() != Some(&personlink::compare::LevelSpec::Exact) {
                continue;
            }
            let exact = cm.levels[0].weight();
            // Nicknames, swapped names, a name in another script and one
            // address of an email list are the same value written otherwise,
            // not a near miss; "else" is the last level.
            let near_misses = cm.levels[1..cm.levels.len() - 1].iter().filter(|l| {
                l.label != "nickname"
                    && l.label != "abjad_skeleton"
                    && !l.label.starts_with("swapped")
                    && !(cm.field == "email" && l.label.starts_with("token_set"))
            });
            for level in near_misses {
                assert!(
                    level.weight() < exact,
                    "{name}: {} {} weighs {:+.2}, exact {exact:+.2}",
                    cm.field,
                    level.label,
                    level.weight()
                );
            }
        }
    }
    // Generated data, 420 records.
    let data = generate(&SynthConfig::hard(1, 250));
    let trained = linker.train(&data.records, &TrainingOptions::default()).unwrap();
    assert_eq!(trained.report.suggested_threshold, 0.0, "{}", trained.report);
}

/// Staging once for training and the run gives what training and running
/// separately give: the same model and the same result, in link mode too,
/// with the trained frequencies (not the staging's) in the scores; a linker
/// differing only in model and threshold may use the staging.
#[test]
fn staged_records_serve_training_and_the_run_unchanged() {
    let data = generate(&SynthConfig::new(12, 500));
    let (left, right) = data.records.split_at(data.records.len() / 2);
    let options = TrainingOptions { u_sample_pairs: 50_000, ..TrainingOptions::default() };
    let linker = Linker::new(Config::person_default()).unwrap();

    let mut staged = linker.stage_link(left, right).unwrap();
    assert_eq!((staged.len(), staged.left_len()), (data.records.len(), Some(left.len())));
    let trained = linker.train_staged(&staged, &options).unwrap();
    let separately = linker.train_link(left, right, &options).unwrap();
    assert_eq!(trained.model, separately.model);
    assert!(!trained.model.term_frequencies.is_empty());

    let mut config = linker.config().clone().with_model(trained.model);
    config.policy.move_match_threshold(trained.report.suggested_threshold + 1.0);
    let tuned = Linker::new(config).unwrap();
    let staged_result = tuned.run_staged(&mut staged).unwrap();
    let result = tuned.link(left, right).unwrap();
    assert_eq!(staged_result.entity_of, result.entity_of);
    let weights = |r: &personlink::BatchResult| -> Vec<(usize, usize, u64)> {
        r.links.iter().chain(&r.review).map(|l| (l.a, l.b, l.weight.to_bits())).collect()
    };
    assert_eq!(weights(&staged_result), weights(&result));
    assert!(!result.links.is_empty());
    // The staging is left as it was: a second run gives the same again.
    assert_eq!(tuned.run_staged(&mut staged).unwrap().entity_of, result.entity_of);
}

#[test]
fn a_linker_that_prepares_otherwise_cannot_use_a_staging() {
    let data = generate(&SynthConfig::new(13, 50));
    let linker = Linker::new(Config::person_default()).unwrap();
    let mut staged = linker.stage(&data.records).unwrap();
    let mut other = Config::person_default();
    other.max_value_len = 20;
    let err = Linker::new(other).unwrap().run_staged(&mut staged).unwrap_err();
    assert!(err.to_string().contains("`max_value_len`"), "{err}");
    let mut other = Config::person_default();
    other.comparisons.retain(|c| c.field != "surname");
    other.model.comparisons.retain(|c| c.field != "surname");
    let options = TrainingOptions::default();
    let err = Linker::new(other).unwrap().train_staged(&staged, &options).unwrap_err();
    assert!(err.to_string().contains("features"), "{err}");
}

/// The same records in another order train the same model and resolve into the
/// same entities: training samples by source reference, not by position.
#[test]
fn training_and_entities_do_not_depend_on_row_order() {
    let data = generate(&SynthConfig::hard(21, 400));
    // Another order: by the source id read backwards.
    let mut shuffled = data.records.clone();
    shuffled.sort_by_key(|r| r.source().id.chars().rev().collect::<String>());
    assert_ne!(shuffled[0].source(), data.records[0].source());

    let options = TrainingOptions { u_sample_pairs: 40_000, ..TrainingOptions::default() };
    let linker = Linker::new(Config::person_default()).unwrap();
    let a = linker.train(&data.records, &options).unwrap();
    let b = linker.train(&shuffled, &options).unwrap();
    assert!(a.report.u_pairs < (data.records.len() * data.records.len() / 2) as u64);
    assert_eq!(a.model, b.model);
    assert_eq!(a.report.suggested_threshold, b.report.suggested_threshold);

    let tuned = Linker::new(linker.config().clone().with_model(a.model)).unwrap();
    let partition = |records: &[Record]| -> std::collections::BTreeSet<Vec<SourceRef>> {
        let result = tuned.dedupe(records).unwrap();
        result
            .entities
            .iter()
            .map(|e| {
                let mut members: Vec<SourceRef> =
                    e.members.iter().map(|&i| records[i].source().clone()).collect();
                members.sort();
                members
            })
            .collect()
    };
    let (pa, pb) = (partition(&data.records), partition(&shuffled));
    assert!(pa.len() < data.records.len());
    assert_eq!(pa, pb);
}

/// Each level's u comes with its standard error, in bits, and a larger sample
/// measures the sampled levels more precisely (about √10 for ten times the
/// pairs; an exact first level is counted over all pairs, whatever the sample).
#[test]
fn the_report_gives_each_u_its_standard_error() {
    let data = generate(&SynthConfig::new(31, 1500));
    let linker = Linker::new(Config::person_default()).unwrap();
    let errors = |pairs: u64| -> Vec<Option<f64>> {
        let options = TrainingOptions { u_sample_pairs: pairs, ..TrainingOptions::default() };
        let report = linker.train(&data.records, &options).unwrap().report;
        let levels: usize = linker.config().model.comparisons.iter().map(|c| c.levels.len()).sum();
        assert_eq!(report.u_standard_errors.len(), levels);
        assert!(report.to_string().contains("u standard error: median"), "{report}");
        report.u_standard_errors.iter().map(|e| e.bits).collect()
    };
    let (small, large) = (errors(20_000), errors(200_000));
    let ratios: Vec<f64> =
        small.iter().zip(&large).filter_map(|(s, l)| Some(s.as_ref()? / l.as_ref()?)).collect();
    assert!(ratios.len() > 10, "{ratios:?}");
    assert!(ratios.iter().all(|r| r.is_finite() && *r > 0.5), "{ratios:?}");
    let sharper = ratios.iter().filter(|&&r| r > 2.0).count();
    assert!(sharper >= 8, "{sharper} levels measured twice as precisely: {ratios:?}");
}

/// More blocking rules than a 64-bit word holds: the pairs each rule's blocks
/// hold are counted for every copy of a rule alike, whatever word it falls in.
#[test]
fn rule_tables_hold_beyond_sixty_four_rules() {
    let data = generate(&SynthConfig::new(41, 300));
    let options = TrainingOptions { u_sample_pairs: 20_000, ..TrainingOptions::default() };
    let base = Config::person_default();
    let mut many = base.clone();
    let rules = base.blocking.rules.clone();
    for copy in 1..5 {
        for rule in &rules {
            let mut r = rule.clone();
            r.name = format!("{} #{copy}", r.name);
            many.blocking.rules.push(r);
        }
    }
    assert!(many.blocking.rules.len() > 64);
    let one = Linker::new(base).unwrap().train(&data.records, &options).unwrap().report;
    let five = Linker::new(many).unwrap().train(&data.records, &options).unwrap().report;
    assert_eq!(one.candidate_pairs, five.candidate_pairs);
    for pass in &one.passes {
        let copies: Vec<&personlink::train::PassReport> =
            five.passes.iter().filter(|p| p.rule.split(" #").next() == Some(&pass.rule)).collect();
        assert_eq!(copies.len(), 5, "{}", pass.rule);
        assert!(copies.iter().all(|p| p.pairs == pass.pairs), "{}", pass.rule);
    }
}
