//! Erasure: after `Resolver::remove`, no byte of a snapshot or of the
//! resolver's `Debug` holds a removed record's distinctive values, including
//! the model's value frequency tables; and the keyed-hash form of the tables.

use std::collections::BTreeSet;

use personlink::model::FrequencyKey;
use personlink::synth::{generate, SynthConfig, SynthData};
use personlink::train::TrainingOptions;
use personlink::{Config, Error, Linker, Record, Resolver, SourceRef};

use crate::support::shuffled_order;

/// The person profile with a model trained on `data` (as the `stream` example does).
fn trained_config(data: &SynthData, start: Config) -> Config {
    let trained =
        Linker::new(start.clone()).unwrap().train(&data.records, &TrainingOptions::default());
    start.with_model(trained.unwrap().model)
}

/// The normalized values of `record`'s compared fields, as the linker prepares them.
fn normalized(linker: &Linker, record: &Record) -> Vec<String> {
    let e = linker.explain(record, record).unwrap();
    e.fields.into_iter().map(|f| f.left).filter(|v| !v.is_empty()).collect()
}

/// Everything that may legitimately stay once `removed` are gone: the
/// configuration without its frequency tables, and the remaining records' raw
/// and normalized values.
fn legitimate_text(config: &Config, linker: &Linker, remaining: &[&Record]) -> String {
    let mut bare = config.clone();
    bare.model.term_frequencies.clear();
    let mut text = serde_json::to_string(&bare).unwrap();
    for r in remaining {
        text.push_str(&serde_json::to_string(r).unwrap());
        for v in normalized(linker, r) {
            text.push('\n');
            text.push_str(&v);
        }
    }
    text
}

/// The normalized values of `removed` that nothing legitimate holds: values
/// of 4 bytes or more with a character that is not a hexadecimal digit, so
/// that a hit is not a coincidence with a number, a weight or a keyed hash.
fn distinctive_values(linker: &Linker, removed: &[&Record], legitimate: &str) -> BTreeSet<String> {
    removed
        .iter()
        .flat_map(|r| normalized(linker, r))
        .filter(|v| v.len() >= 4 && !v.chars().all(|c| c.is_ascii_hexdigit()))
        .filter(|v| !legitimate.contains(v.as_str()))
        .collect()
}

#[test]
fn removed_records_leave_no_value_in_snapshots_frequency_tables_or_debug() {
    let data = generate(&SynthConfig::new(11, 400));
    let config = trained_config(&data, Config::person_default());
    assert!(config.model.term_frequencies.iter().any(|t| t.counts.len() > 100));
    let linker = Linker::new(config.clone()).unwrap();
    let mut resolver = Resolver::new(config.clone()).unwrap();
    for r in &data.records {
        resolver.upsert(r.clone()).unwrap();
    }
    // Remove a seeded random tenth of the records.
    let order = shuffled_order(data.records.len(), 0x5eed);
    let cut = data.records.len() / 10;
    let removed: Vec<&Record> = order[..cut].iter().map(|&i| &data.records[i]).collect();
    let remaining: Vec<&Record> = order[cut..].iter().map(|&i| &data.records[i]).collect();
    let legitimate = legitimate_text(&config, &linker, &remaining);
    let values = distinctive_values(&linker, &removed, &legitimate);
    let before = serde_json::to_string(&resolver.snapshot()).unwrap();
    let tables_before = serde_json::to_string(&resolver.config().model.term_frequencies).unwrap();
    let in_tables = values.iter().filter(|v| tables_before.contains(&format!("\"{v}\""))).count();
    assert!(values.len() >= 50, "only {} distinctive values to look for", values.len());
    assert!(in_tables >= 20, "only {in_tables} of them in the frequency tables before removal");
    assert!(values.iter().filter(|v| before.contains(v.as_str())).count() >= in_tables);

    for r in &removed {
        resolver.remove(r.source()).unwrap();
    }
    resolver.compact();
    let after = serde_json::to_string(&resolver.snapshot()).unwrap();
    let debug = format!("{resolver:?}\n{resolver:#?}");
    for v in &values {
        assert!(!after.contains(v.as_str()), "`{v}` of a removed record is still in the snapshot");
        assert!(!debug.contains(v.as_str()), "`{v}` of a removed record is still in Debug");
    }
    for r in &removed {
        assert!(!after.contains(&format!("\"{}\"", r.source().id)));
    }
    // Forgetting changes no score: the entities are still those of batch on
    // the remaining records, with the original model or the resolver's own.
    let remaining_records: Vec<Record> = remaining.iter().map(|&r| r.clone()).collect();
    let partition = |result: personlink::BatchResult| -> BTreeSet<BTreeSet<SourceRef>> {
        result
            .entities
            .iter()
            .map(|e| e.members.iter().map(|&m| remaining_records[m].source().clone()).collect())
            .collect()
    };
    let ours: BTreeSet<BTreeSet<SourceRef>> =
        resolver.entities().map(|(_, members)| members.into_iter().collect()).collect();
    assert_eq!(ours, partition(linker.dedupe(&remaining_records).unwrap()));
    let forgetful = Linker::new(resolver.config().clone()).unwrap();
    assert_eq!(ours, partition(forgetful.dedupe(&remaining_records).unwrap()));
    // And a restored resolver goes on as the original does.
    let mut restored = Resolver::restore(serde_json::from_str(&after).unwrap()).unwrap();
    for r in removed.iter().take(20) {
        assert_eq!(restored.upsert((*r).clone()).unwrap(), resolver.upsert((*r).clone()).unwrap());
    }
    assert_eq!(restored.snapshot(), resolver.snapshot());
}

#[test]
fn an_update_keeps_the_count_of_a_value_it_still_holds() {
    let data = generate(&SynthConfig::new(12, 150));
    let config = trained_config(&data, Config::person_default());
    let mut resolver = Resolver::new(config.clone()).unwrap();
    for r in &data.records {
        resolver.upsert(r.clone()).unwrap();
    }
    // Every record updated (a new observation time): every value is released
    // and held again at once, so no table may lose an entry.
    for r in &data.records {
        resolver.upsert(r.clone().with_observed_at(Some(1_900_000_000))).unwrap();
    }
    assert_eq!(resolver.config().model.term_frequencies, config.model.term_frequencies);
}

const SECRET: &[u8] = b"host secret: 0123456789abcdef, never stored";

#[test]
fn keyed_tables_hold_no_clear_value_and_need_their_key() {
    let data = generate(&SynthConfig::new(13, 300));
    let clear = trained_config(&data, Config::person_default());
    let key = FrequencyKey::from_secret(SECRET).unwrap();
    let mut start = Config::person_default();
    start.model = start.model.with_frequency_key(key.clone()).unwrap();
    let keyed = trained_config(&data, start);
    assert_eq!(keyed.model.frequency_key_check, Some(key.check()));
    // The same counts, under keyed entries.
    for (c, k) in clear.model.term_frequencies.iter().zip(&keyed.model.term_frequencies) {
        assert_eq!((c.total, c.counts.len()), (k.total, k.counts.len()), "{}", c.field);
        for (value, count) in &c.counts {
            assert_eq!(k.counts.get(&key.entry(&c.field, value)), Some(count));
        }
    }
    // No normalized value of any record in the saved model.
    let linker = Linker::new(clear.clone()).unwrap();
    let legitimate = legitimate_text(&clear, &linker, &[]);
    let values = distinctive_values(&linker, &data.records.iter().collect::<Vec<_>>(), &legitimate);
    let clear_json = serde_json::to_string(&clear.model).unwrap();
    let keyed_json = serde_json::to_string(&keyed.model).unwrap();
    assert!(values.iter().filter(|v| clear_json.contains(v.as_str())).count() >= 100);
    for v in &values {
        assert!(!keyed_json.contains(v.as_str()), "`{v}` in clear in a keyed model");
    }

    // Keyed, the resolver decides as it does in clear.
    let mut a = Resolver::new(clear).unwrap();
    let mut b = Resolver::new(keyed).unwrap();
    for r in &data.records {
        assert_eq!(a.upsert(r.clone()).unwrap(), b.upsert(r.clone()).unwrap());
    }
    // A removal forgets keyed entries too.
    let gone = &data.records[0];
    a.remove(gone.source()).unwrap();
    b.remove(gone.source()).unwrap();
    let tables = |r: &Resolver| r.config().model.term_frequencies.clone();
    for (c, k) in tables(&a).iter().zip(&tables(&b)) {
        assert_eq!(c.counts.len(), k.counts.len(), "{}", c.field);
    }

    // A keyed snapshot restores only with its key.
    let json = serde_json::to_string(&b.snapshot()).unwrap();
    assert!(!json.contains("host secret"));
    let load = || serde_json::from_str::<personlink::Snapshot>(&json).unwrap();
    let err = Resolver::restore(load()).unwrap_err();
    assert!(matches!(err, Error::Model { ref path, .. } if path == "frequency_key_check"), "{err}");
    assert!(err.to_string().contains("keyed with a secret"), "{err}");
    let wrong = FrequencyKey::from_secret(b"another secret of enough bytes").unwrap();
    let mut snapshot = load();
    let err = snapshot.config.model.clone().with_frequency_key(wrong).unwrap_err();
    assert!(err.to_string().contains("not the one the tables were keyed with"), "{err}");
    snapshot.config.model = snapshot.config.model.with_frequency_key(key).unwrap();
    let mut restored = Resolver::restore(snapshot).unwrap();
    for r in data.records.iter().skip(1).take(5) {
        restored.remove(r.source()).unwrap();
        b.remove(r.source()).unwrap();
    }
    assert_eq!(restored.snapshot(), b.snapshot());
}

#[test]
fn a_short_secret_is_refused() {
    let err = FrequencyKey::from_secret(b"too short").unwrap_err();
    assert!(matches!(err, Error::InvalidArgument { .. }), "{err}");
    assert_eq!(
        FrequencyKey::from_secret(SECRET).unwrap(),
        FrequencyKey::from_secret(SECRET).unwrap()
    );
    let shown = format!("{:?}", FrequencyKey::from_secret(SECRET).unwrap());
    assert!(shown.starts_with("FrequencyKey { check: "), "{shown}");
}
