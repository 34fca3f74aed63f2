//! Bounded work: the block size ceiling, the ceiling on a batch run's pairs,
//! a resolver block going back and forth across the size cap, and capped
//! keys reported by their shapes.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use personlink::block::{CapCause, CappedBlock, MAX_BLOCK_SIZE_CEILING};
use personlink::synth::{generate, SynthConfig};
use personlink::{Config, Error, Linker, Record, Resolver};

use crate::support::{batch_partition, record, resolver_partition, shuffled_order};

/// The person profile with the phone rule alone: records meet only through
/// a shared phone number, so a capped phone block keeps them apart.
fn phone_only(max_block_size: usize) -> Config {
    let mut config = Config::person_default();
    config.blocking.rules.retain(|r| r.name == "phone");
    config.blocking.max_block_size = max_block_size;
    config
}

const SHARED_PHONE: &str = "+33 6 71 42 93 18";

/// Person `who` as seen by system `system`, with `phone`.
fn person(system: &str, who: usize, phone: &str) -> Record {
    let people = [
        ("Jean", "Dupont", "1980-01-02"),
        ("Marie", "Lefèvre", "1975-06-30"),
        ("Ahmed", "Benali", "1991-11-12"),
        ("Sofia", "Rossi", "1968-03-04"),
        ("Liam", "O'Brien", "2001-09-15"),
        ("Chloé", "Martin", "1989-12-24"),
    ];
    let (given, surname, dob) = people[who];
    let mut values = vec![("given_name", given), ("surname", surname), ("date_of_birth", dob)];
    if !phone.is_empty() {
        values.push(("phone", phone));
    }
    record(&Config::person_default().schema, system, &who.to_string(), &values)
}

// ---- the block size ceiling ----------------------------------------------------------------

#[test]
fn a_block_size_cap_above_the_ceiling_is_refused_with_its_range() {
    let mut config = Config::person_default();
    for size in [MAX_BLOCK_SIZE_CEILING + 1, 1_000_000_000_000] {
        config.blocking.max_block_size = size;
        match config.validate() {
            Err(Error::Config { path, reason }) => {
                assert_eq!(path, "blocking.max_block_size");
                assert!(
                    reason.contains(&format!("from 2 to {MAX_BLOCK_SIZE_CEILING}")),
                    "{reason}"
                );
                assert!(reason.contains(&size.to_string()), "{reason}");
            }
            other => panic!("{size}: expected a configuration error, got {other:?}"),
        }
        assert!(Linker::new(config.clone()).is_err());
        assert!(Resolver::new(config.clone()).is_err());
    }
    config.blocking.max_block_size = MAX_BLOCK_SIZE_CEILING;
    assert!(config.validate().is_ok());
}

#[test]
fn a_pair_ceiling_of_zero_is_refused_and_the_field_is_read_from_json() {
    let mut config = Config::person_default();
    config.blocking.max_candidate_pairs = 0;
    match config.validate() {
        Err(Error::Config { path, .. }) => assert_eq!(path, "blocking.max_candidate_pairs"),
        other => panic!("expected a configuration error, got {other:?}"),
    }
    let mut json = serde_json::to_value(Config::person_default()).unwrap();
    json["blocking"]["max_candidate_pairs"] = 1234.into();
    let config: Config = serde_json::from_value(json.clone()).unwrap();
    assert_eq!(config.blocking.max_candidate_pairs, 1234);
    // An older configuration without the field takes the default.
    json["blocking"].as_object_mut().unwrap().remove("max_candidate_pairs");
    let config: Config = serde_json::from_value(json).unwrap();
    assert_eq!(
        config.blocking.max_candidate_pairs,
        Config::person_default().blocking.max_candidate_pairs
    );
}

// ---- the ceiling on a batch run's pairs ----------------------------------------------------

/// 30 different people on one phone (435 pairs), 6 records of 3 people on a
/// second (15 pairs), and 4 records of 2 people on a third (6 pairs).
fn three_phone_blocks() -> Vec<Record> {
    let schema = Config::person_default().schema;
    let mut records = Vec::new();
    for i in 0..30 {
        let given = format!("Given{}", (b'a' + (i % 26) as u8) as char);
        let surname = format!("Surname{i}");
        let values = [
            ("given_name", given.as_str()),
            ("surname", surname.as_str()),
            ("phone", SHARED_PHONE),
        ];
        records.push(record(&schema, "call_centre", &i.to_string(), &values));
    }
    for system in ["crm", "shop"] {
        for who in 0..3 {
            records.push(person(system, who, "+33 6 11 22 33 44"));
        }
        for who in 3..5 {
            records.push(person(&format!("{system}2"), who, "+33 6 55 66 77 88"));
        }
    }
    records
}

#[test]
fn over_the_pair_ceiling_the_largest_blocks_are_skipped_first_and_reported() {
    let records = three_phone_blocks();
    let mut config = phone_only(500);
    let uncapped = Linker::new(config.clone()).unwrap().dedupe(&records).unwrap();
    assert_eq!(uncapped.stats.candidate_pairs, 435 + 15 + 6);
    assert!(uncapped.stats.capped_blocks.is_empty());

    // 456 pairs against a ceiling of 100: the 30-record block goes.
    config.blocking.max_candidate_pairs = 100;
    let capped = Linker::new(config.clone()).unwrap().dedupe(&records).unwrap();
    assert_eq!(capped.stats.candidate_pairs, 15 + 6);
    let reported: Vec<(&str, usize, CapCause)> =
        capped.stats.capped_blocks.iter().map(|c| (c.rule.as_str(), c.records, c.cause)).collect();
    assert_eq!(reported, [("phone", 30, CapCause::PairCeiling)]);
    assert_eq!(capped.stats.capped_blocks[0].key, "+33671429318");
    // The smaller blocks were still compared: their duplicates merged.
    assert_eq!(capped.entities.len(), 30 + 3 + 2);

    // A ceiling of 10 also takes the 6-record block, and keeps the 4-record one.
    config.blocking.max_candidate_pairs = 10;
    let tight = Linker::new(config.clone()).unwrap().dedupe(&records).unwrap();
    assert_eq!(tight.stats.candidate_pairs, 6);
    let sizes: Vec<usize> = tight.stats.capped_blocks.iter().map(|c| c.records).collect();
    assert_eq!(sizes, [30, 6]);
    assert_eq!(tight.entities.len(), 30 + 6 + 2);

    // The same blocks are skipped whatever the order of the records.
    let shuffled: Vec<Record> =
        shuffled_order(records.len(), 17).into_iter().map(|i| records[i].clone()).collect();
    let again = Linker::new(config).unwrap().dedupe(&shuffled).unwrap();
    assert_eq!(again.stats.capped_blocks, tight.stats.capped_blocks);
    assert_eq!(again.stats.candidate_pairs, 6);
}

#[test]
fn in_link_mode_the_ceiling_counts_cross_pairs() {
    // Left: half the call centre and the crm records; right: the other half
    // and the shop records. Cross pairs: 15 x 15, 3 x 3 and 2 x 2.
    let records = three_phone_blocks();
    let left: Vec<Record> = records[..15].iter().chain(&records[30..35]).cloned().collect();
    let right: Vec<Record> = records[15..30].iter().chain(&records[35..]).cloned().collect();
    let mut config = phone_only(500);
    let uncapped = Linker::new(config.clone()).unwrap().link(&left, &right).unwrap();
    assert_eq!(uncapped.stats.candidate_pairs, 225 + 9 + 4);
    config.blocking.max_candidate_pairs = 20;
    let capped = Linker::new(config).unwrap().link(&left, &right).unwrap();
    assert_eq!(capped.stats.candidate_pairs, 9 + 4);
    let reported: Vec<(usize, CapCause)> =
        capped.stats.capped_blocks.iter().map(|c| (c.records, c.cause)).collect();
    assert_eq!(reported, [(30, CapCause::PairCeiling)]);
    assert_eq!(capped.entities.len(), 30 + 3 + 2);
}

#[test]
fn ten_thousand_identical_rows_stay_within_the_pair_ceiling() {
    // 10,000 identical rows under the largest block size cap allowed would be
    // 50 million pairs: with a ceiling of a million, their blocks are skipped
    // and reported instead of compared.
    let schema = Config::person_default().schema;
    let values = [("given_name", "Jean"), ("surname", "Martin"), ("date_of_birth", "1980-01-01")];
    let records: Vec<Record> =
        (0..10_000).map(|i| record(&schema, "bulk", &i.to_string(), &values)).collect();
    let mut config = Config::person_default();
    config.blocking.max_block_size = MAX_BLOCK_SIZE_CEILING;
    config.blocking.max_candidate_pairs = 1_000_000;
    let r = Linker::new(config).unwrap().dedupe(&records).unwrap();
    assert_eq!(r.stats.candidate_pairs, 0);
    assert!(!r.stats.capped_blocks.is_empty());
    assert!(r
        .stats
        .capped_blocks
        .iter()
        .all(|c| c.cause == CapCause::PairCeiling && c.records == 10_000));
    assert_eq!(r.entity_of.len(), 10_000);
}

// ---- a resolver block across the cap --------------------------------------------------------

#[test]
fn a_record_taking_a_block_back_and_forth_across_the_cap_gives_the_batch_entities() {
    // Two people seen twice and one seen once share a phone: 5 records, the
    // cap. A sixth record on that phone takes the block over it (nobody is
    // compared: five entities of one record), and its removal brings it back.
    let config = phone_only(5);
    let mut records: Vec<Record> = Vec::new();
    for (system, who) in [("crm", 0), ("shop", 0), ("crm", 1), ("shop", 1), ("crm", 2)] {
        records.push(person(system, who, SHARED_PHONE));
    }
    let under = batch_partition(&config, &records);
    assert_eq!(under.len(), 3, "{under:?}");
    let flipper = person("web", 3, SHARED_PHONE);
    let mut over_records = records.clone();
    over_records.push(flipper.clone());
    let over = batch_partition(&config, &over_records);
    assert_eq!(over.len(), 6, "over the cap nobody is compared: {over:?}");

    let mut resolver = Resolver::new(config).unwrap();
    for r in &records {
        resolver.upsert(r.clone()).unwrap();
    }
    for _ in 0..10 {
        assert_eq!(resolver_partition(&resolver), under);
        resolver.upsert(flipper.clone()).unwrap();
        assert_eq!(resolver_partition(&resolver), over);
        resolver.remove(flipper.source()).unwrap();
    }
    assert_eq!(resolver_partition(&resolver), under);
    // An update that moves the record off the phone brings the block back too.
    resolver.upsert(flipper.clone()).unwrap();
    resolver.upsert(person("web", 3, "")).unwrap();
    assert_eq!(
        resolver_partition(&resolver),
        under.iter().cloned().chain([BTreeSet::from([flipper.source().clone()])]).collect()
    );
}

#[test]
fn random_changes_around_the_cap_keep_the_batch_entities_through_snapshots() {
    // Generated people with many duplicates, most of them on one of two
    // phones, under a cap of 6: blocks cross it back and forth as records
    // come and go, and snapshots restore blocks that are over it.
    let data = generate(&SynthConfig::new(7, 12).with_duplicate_rate(1.0));
    let config = phone_only(6);
    let phone = config.schema.require("phone").unwrap().index();
    let phones = [SHARED_PHONE, "+33 6 11 22 33 44", ""];
    let pool: Vec<Record> = data
        .records
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let mut values = r.values().to_vec();
            let p = phones[[0, 0, 1, 1, 2][i % 5]];
            values[phone] = (!p.is_empty()).then(|| p.to_owned());
            Record::from_values(&config.schema, r.source().clone(), values).unwrap()
        })
        .collect();
    let mut resolver = Resolver::new(config.clone()).unwrap();
    let mut stored: Vec<usize> = Vec::new();
    let over_cap = |stored: &[usize]| -> [bool; 2] {
        [0, 1].map(|p| stored.iter().filter(|&&s| [0, 0, 1, 1, 2][s % 5] == p).count() > 6)
    };
    let (mut crossings, mut restored_over) = (0, 0);
    let order = shuffled_order(pool.len() * 4, 99);
    for (step, &k) in order.iter().enumerate() {
        let i = k % pool.len();
        let before = over_cap(&stored);
        match stored.iter().position(|&s| s == i) {
            Some(at) if k % 3 != 0 => {
                resolver.remove(pool[i].source()).unwrap();
                stored.remove(at);
            }
            Some(_) => {}
            None => {
                resolver.upsert(pool[i].clone()).unwrap();
                stored.push(i);
            }
        }
        crossings += before.iter().zip(over_cap(&stored)).filter(|(a, b)| **a != *b).count();
        if step % 7 == 6 {
            restored_over += over_cap(&stored).iter().filter(|&&o| o).count();
            let json = serde_json::to_string(&resolver.snapshot()).unwrap();
            resolver = Resolver::restore(serde_json::from_str(&json).unwrap()).unwrap();
        }
        let current: Vec<Record> = stored.iter().map(|&s| pool[s].clone()).collect();
        assert_eq!(
            resolver_partition(&resolver),
            batch_partition(&config, &current),
            "step {step}"
        );
    }
    assert!(
        crossings >= 10 && restored_over >= 2,
        "{crossings} crossings, {restored_over} restored"
    );
}

#[test]
fn removals_and_updates_under_a_small_cap_on_every_rule_keep_the_batch_entities() {
    // Every rule of the person profile with a cap of 3: duplicates share
    // several rules' blocks, which cross the cap at different times, so a
    // pair's link comes and goes under one rule while another keeps it.
    let data = generate(&SynthConfig::new(3, 30).with_duplicate_rate(1.0));
    let mut config = Config::person_default();
    config.blocking.max_block_size = 3;
    let n = data.records.len();
    let mut current: Vec<Option<Record>> = vec![None; n];
    let mut resolver = Resolver::new(config.clone()).unwrap();
    for (step, &k) in shuffled_order(n * 3, 5).iter().enumerate() {
        let i = k % n;
        match (&current[i], k % 4) {
            (None, _) => {
                resolver.upsert(data.records[i].clone()).unwrap();
                current[i] = Some(data.records[i].clone());
            }
            (Some(_), 0) => {
                // An update with another record's values.
                let donor = data.records[(i * 7 + 3) % n].values().to_vec();
                let source = data.records[i].source().clone();
                let update = Record::from_values(&config.schema, source, donor).unwrap();
                resolver.upsert(update.clone()).unwrap();
                current[i] = Some(update);
            }
            (Some(_), _) => {
                resolver.remove(data.records[i].source()).unwrap();
                current[i] = None;
            }
        }
        if step % 11 == 10 {
            let json = serde_json::to_string(&resolver.snapshot()).unwrap();
            resolver = Resolver::restore(serde_json::from_str(&json).unwrap()).unwrap();
        }
        let stored: Vec<Record> = current.iter().flatten().cloned().collect();
        assert_eq!(resolver_partition(&resolver), batch_partition(&config, &stored), "step {step}");
    }
}

// ---- capped keys reported by their shapes ---------------------------------------------------

#[test]
fn capped_blocks_show_key_shapes_and_keep_the_raw_key_for_the_host() {
    let records = three_phone_blocks();
    let result = Linker::new(phone_only(10)).unwrap().dedupe(&records).unwrap();
    let capped: &CappedBlock = &result.stats.capped_blocks[0];
    assert_eq!(
        (capped.rule.as_str(), capped.records, capped.cause),
        ("phone", 30, CapCause::BlockSize)
    );
    assert_eq!(capped.key, "+33671429318");
    assert_eq!(capped.key_shape(), "+###########");
    assert_eq!(capped.to_string(), "rule phone, key +###########, 30 records");
    for shown in [format!("{capped:?}"), format!("{:?}", result.stats), result.stats.to_string()] {
        assert!(!shown.contains("33671429318"), "{shown}");
    }
}

/// The `dedupe` example's binary, built beside this test (`cargo test` builds
/// the examples; a test run alone builds it here).
fn dedupe_binary() -> PathBuf {
    let exe = std::env::current_exe().expect("the test binary has a path");
    let profile_dir = exe.parent().and_then(Path::parent).expect("target/<profile>/deps/<test>");
    let binary =
        profile_dir.join("examples").join(format!("dedupe{}", std::env::consts::EXE_SUFFIX));
    let mut build = std::process::Command::new(env!("CARGO"));
    build
        .args(["build", "--quiet", "--example", "dedupe"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("CARGO_TARGET_DIR", profile_dir.parent().expect("target/<profile>"));
    if profile_dir.file_name().is_some_and(|p| p == "release") {
        build.arg("--release");
    }
    assert!(build.status().expect("cargo runs").success(), "cargo build --example dedupe failed");
    binary
}

#[test]
fn dedupe_prints_key_shapes_unless_asked_for_the_keys() {
    let dir = std::env::temp_dir().join(format!("personlink-bounds-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let input = dir.join("people.csv");
    let mut csv = String::from("rec_id,given_name,surname,phone,email\n");
    for i in 0..4 {
        csv.push_str(&format!("{i},Name{i},Other{i},06 71 42 93 18,jean.dupont@example.com\n"));
    }
    std::fs::write(&input, csv).unwrap();
    let config = dir.join("config.json");
    std::fs::write(&config, r#"{"blocking": {"max_block_size": 3}}"#).unwrap();
    let binary = dedupe_binary();
    let run = |extra: &[&str]| {
        let out = std::process::Command::new(&binary)
            .arg(&input)
            .args(["--no-train", "--config"])
            .arg(&config)
            .args(extra)
            .output()
            .expect("dedupe starts");
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8_lossy(&out.stderr).into_owned()
    };
    let shapes = run(&[]);
    assert!(shapes.contains("capped block: rule phone, key +###########, 4 records"), "{shapes}");
    assert!(shapes.contains("key j***.******@e******.com, 4 records"), "{shapes}");
    assert!(!shapes.contains("671429318") && !shapes.contains("dupont@"), "{shapes}");
    let keys = run(&["--show-keys"]);
    assert!(keys.contains(r#"capped block: rule phone, key "+33671429318", 4 records"#), "{keys}");
    assert!(keys.contains(r#"key "jean.dupont@example.com", 4 records"#), "{keys}");
    let _ = std::fs::remove_dir_all(&dir);
}
