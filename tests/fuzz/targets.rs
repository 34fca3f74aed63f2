//! The entry points under fuzzing: each turns any bytes into a call of the
//! library and checks what must always hold (beyond "no panic").

use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

use personlink::model::Model;
use personlink::normalize::{DateOrder, NormalizerSpec, Pipeline};
use personlink::synth::{generate, SynthConfig};
use personlink::{Config, FieldKind, Linker, Record, Resolver, Schema, Snapshot, SourceRef};
use serde_json::Value;

use super::input::{Choices, Rng, VALUES};
use crate::cli::columns::{map_columns, MappingOptions};
use crate::cli::csv_input::{CsvFile, RowLayout};
use crate::support::{batch_partition, resolver_partition};

/// An entry point: how to write a random input for it, and how to run one.
pub struct Target {
    pub name: &'static str,
    pub generate: fn(&mut Rng) -> Vec<u8>,
    pub run: fn(&[u8]),
    /// Executions in the brief run of `cargo test` (a debug build).
    pub quick: usize,
}

pub const TARGETS: &[Target] = &[
    Target { name: "normalize", generate: text_input, run: normalize, quick: 3000 },
    Target { name: "csv", generate: csv_input, run: csv, quick: 400 },
    Target { name: "config", generate: config_input, run: config, quick: 40 },
    Target { name: "model", generate: model_input, run: model, quick: 40 },
    Target { name: "snapshot", generate: snapshot_input, run: snapshot, quick: 40 },
    Target { name: "records", generate: choice_input, run: records, quick: 60 },
    Target { name: "resolver", generate: choice_input, run: resolver, quick: 30 },
];

/// What the targets start from, built once.
struct Fixtures {
    pipelines: Vec<(String, Pipeline)>,
    config: Value,
    model: Value,
    snapshot: Value,
    /// Generated person records (duplicates among them), person schema.
    pool: Vec<Record>,
}

fn fixtures() -> &'static Fixtures {
    static FIXTURES: OnceLock<Fixtures> = OnceLock::new();
    FIXTURES.get_or_init(|| {
        let mut pipelines = Vec::new();
        for kind in FieldKind::ALL {
            pipelines.push((format!("{kind:?}"), Pipeline::for_kind(kind)));
        }
        let person = Config::person_default()
            .with_country(personlink::normalize::Country::Us)
            .with_date_order(DateOrder::MonthFirst);
        for (field, specs) in &person.normalizers {
            let p = Pipeline::from_specs(specs, field).expect("the profile's chains build");
            pipelines.push((format!("US {field}"), p));
        }
        pipelines.push((
            "gender".to_owned(),
            Pipeline::from_specs(&[NormalizerSpec::Gender], "gender").expect("gender builds"),
        ));
        let data = generate(&SynthConfig::hard(3, 30));
        let pool = data.records;
        let mut resolver = Resolver::new(Config::person_default()).expect("default resolver");
        for r in pool.iter().take(12) {
            resolver.upsert(r.clone()).expect("generated records upsert");
        }
        let (a, b) = (pool[0].source().clone(), pool[5].source().clone());
        let _ = resolver.force_split(&a, &b);
        let to_value = |v: &dyn erased::Json| v.json();
        Fixtures {
            pipelines,
            config: to_value(&Config::person_default()),
            model: to_value(&Config::person_default().model),
            snapshot: to_value(&resolver.snapshot()),
            pool,
        }
    })
}

mod erased {
    pub trait Json {
        fn json(&self) -> serde_json::Value;
    }
    impl<T: serde::Serialize> Json for T {
        fn json(&self) -> serde_json::Value {
            serde_json::to_value(self).expect("serializes")
        }
    }
}

// ---- inputs ------------------------------------------------------------------------

fn text_input(rng: &mut Rng) -> Vec<u8> {
    if rng.chance(8) {
        let n = rng.below(80);
        return rng.bytes(n);
    }
    rng.text().into_bytes()
}

fn choice_input(rng: &mut Rng) -> Vec<u8> {
    let n = 16 + rng.below(400);
    rng.bytes(n)
}

fn csv_input(rng: &mut Rng) -> Vec<u8> {
    if rng.chance(6) {
        let n = rng.below(300);
        return rng.bytes(n);
    }
    let headers: &[&[&str]] = &[
        &["rec_id", "given_name", "surname", "date_of_birth", "postcode", "soc_sec_id", "cluster"],
        &["id", "Prénom", "Nom", "Date de naissance", "Courriel", "Téléphone", "Ville"],
        &["id", "name", "email", "phone"],
        &["id"],
    ];
    let header = *rng.pick(headers);
    let delimiter = *rng.pick(&[",", ";", "\t", "|"]);
    let mut out = header.join(delimiter);
    for row in 0..rng.below(12) {
        out.push_str(if rng.chance(10) { "\r\n" } else { "\n" });
        let cells = if rng.chance(8) { rng.below(10) } else { header.len() };
        let mut fields = Vec::with_capacity(cells);
        for c in 0..cells {
            let mut v = if c == 0 { format!("r{}", row % 7) } else { rng.text() };
            if rng.chance(4) {
                v = format!("\"{}\"", v.replace('"', "\"\""));
            } else if rng.chance(20) {
                v.insert(0, '"');
            }
            fields.push(v);
        }
        out.push_str(&fields.join(delimiter));
    }
    let mut bytes = out.into_bytes();
    if rng.chance(8) {
        // A Windows-1252 byte or a broken UTF-8 sequence.
        let at = rng.below(bytes.len() + 1);
        bytes.insert(at.min(bytes.len()), *rng.pick(&[0xe9u8, 0x80, 0xc3, 0xff]));
    }
    bytes
}

fn json_input(rng: &mut Rng, doc: &Value) -> Vec<u8> {
    let mutated = rng.mutate_json(doc);
    serde_json::to_vec(&mutated).expect("a JSON value serializes")
}

fn config_input(rng: &mut Rng) -> Vec<u8> {
    json_input(rng, &fixtures().config)
}

fn model_input(rng: &mut Rng) -> Vec<u8> {
    json_input(rng, &fixtures().model)
}

fn snapshot_input(rng: &mut Rng) -> Vec<u8> {
    json_input(rng, &fixtures().snapshot)
}

// ---- checks ------------------------------------------------------------------------

/// Every record is in exactly one entity, and `entity_of` agrees with the entities.
fn check_batch(result: &personlink::BatchResult, n: usize) {
    assert_eq!(result.entity_of.len(), n, "one entity per record");
    let mut seen = vec![false; n];
    for e in &result.entities {
        assert!(!e.members.is_empty(), "an empty entity");
        for &m in &e.members {
            assert!(!seen[m], "record {m} in two entities");
            seen[m] = true;
            assert_eq!(result.entity_of[m], e.id, "entity_of disagrees with the entities");
        }
    }
    assert!(seen.iter().all(|&s| s), "a record in no entity");
    for l in result.links.iter().chain(&result.review) {
        assert!(l.a < n && l.b < n && l.a != l.b, "a link out of range");
        assert!(l.weight.is_finite() || l.weight == f64::NEG_INFINITY, "weight {}", l.weight);
    }
}

/// The resolver's entities partition exactly the records it holds.
fn check_resolver(resolver: &Resolver, live: &BTreeMap<SourceRef, Record>) {
    assert_eq!(resolver.len(), live.len(), "records held");
    let mut seen = BTreeSet::new();
    for (id, members) in resolver.entities() {
        assert!(!members.is_empty(), "an empty entity");
        for m in members {
            assert_eq!(resolver.entity_of(&m), Some(id), "entity_of disagrees");
            assert!(seen.insert(m.clone()), "{m} in two entities");
            assert!(live.contains_key(&m), "{m} is not held");
        }
    }
    assert_eq!(seen.len(), live.len(), "a record in no entity");
}

/// The pool's records, moved into `schema` by field name (other fields empty).
fn records_for(schema: &Schema, pool: &[Record]) -> Vec<Record> {
    let person = Config::person_default().schema;
    pool.iter()
        .map(|r| {
            let values = schema
                .fields()
                .iter()
                .map(|f| r.value(&person, &f.name).ok().flatten().map(str::to_owned))
                .collect();
            Record::from_values(schema, r.source().clone(), values).expect("schema arity")
        })
        .collect()
}

// ---- targets -----------------------------------------------------------------------

fn normalize(input: &[u8]) {
    let s = String::from_utf8_lossy(input);
    for (name, p) in &fixtures().pipelines {
        let once = p.normalize_to_string(&s);
        let twice = p.normalize_to_string(&once);
        assert_eq!(twice, once, "{name} is not idempotent on {s:?}");
        assert!(!once.chars().any(char::is_control), "{name} left a control character: {once:?}");
    }
}

fn csv(input: &[u8]) {
    let Ok(file) = CsvFile::from_reader("fuzz.csv", input, None) else { return };
    let base = Config::person_default();
    let Ok(mapping) = map_columns(file.headers(), &base.schema, MappingOptions::default()) else {
        return;
    };
    let config = base.restrict_to_fields(&mapping.present_fields());
    let Ok(layout) = RowLayout::new(
        &config.schema,
        mapping.id.index,
        mapping.truth.as_ref().map(|c| c.index),
        mapping.fields.iter().map(|m| (m.column.index, m.field.as_str())),
    ) else {
        return;
    };
    if let Ok(loaded) = file.load(&config.schema, &layout, "fuzz") {
        let lines = input.split(|&b| b == b'\n' || b == b'\r').count();
        assert!(loaded.records.len() <= lines, "more records than lines");
        if let Ok(linker) = Linker::new(config) {
            if let Ok(result) = linker.dedupe(&loaded.records) {
                check_batch(&result, loaded.records.len());
            }
        }
    }
}

fn config(input: &[u8]) {
    let Ok(config) = serde_json::from_slice::<Config>(input) else { return };
    let Ok(linker) = Linker::new(config.clone()) else { return };
    let records = records_for(&config.schema, &fixtures().pool);
    if let Ok(result) = linker.dedupe(&records) {
        check_batch(&result, records.len());
    }
    if let Ok(mut resolver) = Resolver::new(config) {
        let mut live = BTreeMap::new();
        for r in records.iter().take(8) {
            if resolver.upsert(r.clone()).is_ok() {
                live.insert(r.source().clone(), r.clone());
            }
        }
        check_resolver(&resolver, &live);
    }
}

fn model(input: &[u8]) {
    let Ok(model) = serde_json::from_slice::<Model>(input) else { return };
    let Ok(linker) = Linker::new(Config::person_default().with_model(model)) else { return };
    let pool = &fixtures().pool;
    let result = linker.dedupe(pool).expect("valid records of the person schema");
    check_batch(&result, pool.len());
    let explanation = linker.explain(&pool[0], &pool[1]).expect("same schema");
    let _ = explanation.to_string();
}

fn snapshot(input: &[u8]) {
    let Ok(snapshot) = serde_json::from_slice::<Snapshot>(input) else { return };
    let Ok(mut resolver) = Resolver::restore(snapshot) else { return };
    // The held records by source (their values are not read here).
    let schema = resolver.config().schema.clone();
    let mut live: BTreeMap<SourceRef, Record> = resolver
        .entities()
        .flat_map(|(_, members)| members)
        .map(|s| (s.clone(), Record::builder(&schema, s).build()))
        .collect();
    check_resolver(&resolver, &live);
    // It keeps working: new records, an update, a removal, a round trip.
    for r in records_for(&schema, &fixtures().pool[20..24]) {
        if resolver.upsert(r.clone()).is_ok() {
            live.insert(r.source().clone(), r);
        }
    }
    if let Some(first) = live.keys().next().cloned() {
        if resolver.remove(&first).is_ok() {
            live.remove(&first);
        }
    }
    check_resolver(&resolver, &live);
    let again = Resolver::restore(resolver.snapshot()).expect("a resolver's own snapshot restores");
    check_resolver(&again, &live);
}

fn random_record(c: &mut Choices<'_>, schema: &Schema, pool: &[Record]) -> Record {
    let source = SourceRef::new(["crm", "web", "shop"][c.below(3)], format!("{}", c.below(24)));
    let base = &pool[c.below(pool.len())];
    let values = (0..schema.len())
        .map(|f| match c.byte() % 6 {
            0 => None,
            1..=3 => base.values()[f].clone(),
            4 => Some(VALUES[c.below(VALUES.len())].to_owned()),
            _ => Some(c.text()),
        })
        .collect();
    Record::from_values(schema, source, values).expect("schema arity")
}

fn records(input: &[u8]) {
    let mut c = Choices::new(input);
    let schema = Config::person_default().schema;
    let pool = &fixtures().pool;
    let n = 1 + c.below(30);
    let mut by_source = BTreeMap::new();
    for _ in 0..n {
        let r = random_record(&mut c, &schema, pool);
        by_source.insert(r.source().clone(), r);
    }
    let records: Vec<Record> = by_source.into_values().collect();
    let linker = Linker::new(Config::person_default()).expect("default linker");
    let result = linker.dedupe(&records).expect("distinct sources of the person schema");
    check_batch(&result, records.len());
    if records.len() >= 2 {
        let _ = linker.explain(&records[0], &records[1]).expect("same schema").to_string();
    }
}

fn resolver(input: &[u8]) {
    let mut c = Choices::new(input);
    let config = Config::person_default();
    let schema = config.schema.clone();
    let pool = &fixtures().pool;
    let mut resolver = Resolver::new(config.clone()).expect("default resolver");
    let mut live: BTreeMap<SourceRef, Record> = BTreeMap::new();
    let mut manual = false;
    let mut steps = 0;
    while !c.is_empty() && steps < 60 {
        steps += 1;
        let pick = |c: &mut Choices<'_>| -> SourceRef { pool[c.below(16)].source().clone() };
        match c.byte() % 10 {
            0..=3 => {
                let base = &pool[c.below(16)];
                let r = if c.byte().is_multiple_of(3) {
                    let mut r = random_record(&mut c, &schema, pool);
                    r = Record::from_values(&schema, base.source().clone(), r.values().to_vec())
                        .expect("schema arity");
                    r
                } else {
                    base.clone()
                };
                resolver.upsert(r.clone()).expect("person records upsert");
                live.insert(r.source().clone(), r);
            }
            4 => {
                let s = pick(&mut c);
                assert_eq!(resolver.remove(&s).is_ok(), live.remove(&s).is_some(), "remove {s}");
            }
            5 => {
                let (a, b) = (pick(&mut c), pick(&mut c));
                manual |= resolver.force_link(&a, &b).is_ok();
            }
            6 => {
                let (a, b) = (pick(&mut c), pick(&mut c));
                manual |= resolver.force_split(&a, &b).is_ok();
            }
            7 => {
                let before: BTreeSet<Vec<SourceRef>> = resolver.entities().map(|e| e.1).collect();
                let json = serde_json::to_string(&resolver.snapshot()).expect("serializes");
                let snapshot: Snapshot = serde_json::from_str(&json).expect("reads back");
                resolver = Resolver::restore(snapshot).expect("its own snapshot restores");
                let after: BTreeSet<Vec<SourceRef>> = resolver.entities().map(|e| e.1).collect();
                assert_eq!(before, after, "a snapshot round trip changed the entities");
            }
            8 => resolver.compact(),
            _ => {
                let r = &pool[c.below(pool.len())];
                let candidates = resolver.query(r).expect("person record");
                assert!(candidates.iter().all(|x| x.weight.is_finite()));
            }
        }
        check_resolver(&resolver, &live);
    }
    if !manual {
        // Without decisions of a data steward, the same entities as batch.
        let records: Vec<Record> = live.values().cloned().collect();
        let expected = batch_partition(&config, &records);
        let got = resolver_partition(&resolver);
        assert_eq!(got, expected, "the resolver and batch disagree");
    }
}
