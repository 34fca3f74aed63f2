//! Pathological input finishes, correctly, and nothing is lost.

use personlink::synth::{generate, SynthConfig};
use personlink::{Config, Linker, Record, SourceRef};

#[test]
fn huge_fields_emoji_and_combining_marks() {
    let config = Config::person_default();
    let s = config.schema.clone();
    let huge = "é".repeat(500_000);
    let zalgo = format!("J{}ean", "\u{0301}".repeat(10_000));
    let mut records = Vec::new();
    for (i, v) in
        [huge.as_str(), "😀👨‍👩‍👧", zalgo.as_str(), "", "   ", "\u{202e}nivlem", "ᚠᛇᚻ", "王小明"]
            .iter()
            .enumerate()
    {
        let mut b = Record::builder(&s, SourceRef::new("odd", i.to_string()));
        for f in s.fields() {
            b = b.set(&f.name, *v).unwrap();
        }
        records.push(b.build());
    }
    let r = Linker::new(config).unwrap().dedupe(&records).unwrap();
    assert_eq!(r.entity_of.len(), records.len());
    assert!(r.stats.truncated_values > 0, "the 1 MB values are reported as truncated");
}

#[test]
fn all_empty_records_stay_apart() {
    let config = Config::person_default();
    let s = config.schema.clone();
    let records: Vec<Record> = (0..1_000)
        .map(|i| Record::builder(&s, SourceRef::new("empty", i.to_string())).build())
        .collect();
    let r = Linker::new(config).unwrap().dedupe(&records).unwrap();
    assert_eq!(r.entities.len(), 1_000);
    assert_eq!(r.stats.candidate_pairs, 0);
}

#[test]
fn fifty_thousand_records_sharing_one_key_are_capped_and_reported() {
    let config = Config::person_default();
    let s = config.schema.clone();
    let records: Vec<Record> = (0..50_000)
        .map(|i| {
            Record::builder(&s, SourceRef::new("bulk", i.to_string()))
                .set("surname", "Martin")
                .unwrap()
                .set("given_name", format!("Jean{}", i % 7))
                .unwrap()
                .set("date_of_birth", "1980-01-01")
                .unwrap()
                .build()
        })
        .collect();
    let r = Linker::new(config).unwrap().dedupe(&records).unwrap();
    assert_eq!(r.entity_of.len(), 50_000);
    assert!(!r.stats.capped_blocks.is_empty());
    let dob = r
        .stats
        .capped_blocks
        .iter()
        .find(|c| c.rule == "birth_date+surname_initial")
        .expect("birth date block capped");
    assert_eq!(dob.records, 50_000);
    assert_eq!(dob.key, "1980-01-01|m");
    assert_eq!(r.stats.candidate_pairs, 0, "every block is oversized, so nothing is compared");
}

#[test]
fn generated_data_with_extreme_settings_resolves() {
    let cfg = SynthConfig::new(1, 300).with_duplicate_rate(1.0).with_missing_rate(0.9);
    let data = generate(&cfg);
    let r = Linker::new(Config::person_default()).unwrap().dedupe(&data.records).unwrap();
    assert_eq!(r.entity_of.len(), data.records.len());
}
