//! Every comparison level kind and every blocking key transform, driven by
//! one table each.
//!
//! Each row gives a kind (as its JSON configuration), the kind of field it
//! reads, two raw values and what must happen: for a level, whether it holds;
//! for a key transform, whether the two records share a key and the readable
//! key of the first record. `every_level_kind_has_a_row` and
//! `every_key_transform_has_a_row` read the list of kinds from serde itself,
//! so a kind added to `LevelSpec` or `KeyTransform` without a row here fails.

use personlink::block::{BlockingConfig, BlockingRule, KeyPart, KeyTransform};
use personlink::compare::{ComparisonSpec, LevelSpec};
use personlink::model::Model;
use personlink::{Config, FieldKind, Linker, Record, Schema, SourceRef};

use crate::support::serde_kinds;

/// One level kind on one pair of values.
struct LevelRow {
    /// The level, as configured in JSON.
    spec: &'static str,
    /// The kind of the compared field (it picks the normalizer chain).
    kind: FieldKind,
    /// The compared field of each record, then the second field ("other", a surname).
    a: [&'static str; 2],
    b: [&'static str; 2],
    /// Whether the level holds.
    holds: bool,
}

const fn row(
    spec: &'static str,
    kind: FieldKind,
    a: [&'static str; 2],
    b: [&'static str; 2],
    holds: bool,
) -> LevelRow {
    LevelRow { spec, kind, a, b, holds }
}

use FieldKind as K;

const LEVELS: &[LevelRow] = &[
    row(r#"{"type":"exact"}"#, K::Surname, ["Lefèvre", ""], ["LEFEVRE", ""], true),
    row(r#"{"type":"exact"}"#, K::Surname, ["Lefèvre", ""], ["Lefebvre", ""], false),
    row(r#"{"type":"jaro_winkler","min":0.9}"#, K::Surname, ["martha", ""], ["marhta", ""], true),
    row(r#"{"type":"jaro_winkler","min":0.9}"#, K::Surname, ["martin", ""], ["bernard", ""], false),
    row(r#"{"type":"levenshtein","min":0.8}"#, K::Surname, ["lefevre", ""], ["lefebvre", ""], true),
    row(r#"{"type":"levenshtein","min":0.8}"#, K::Surname, ["dupont", ""], ["durand", ""], false),
    row(r#"{"type":"damerau","min":0.8}"#, K::Identifier, ["12345", ""], ["12354", ""], true),
    row(r#"{"type":"damerau","min":0.9}"#, K::Identifier, ["12345", ""], ["12354", ""], false),
    row(r#"{"type":"within_edits","max":1}"#, K::Postcode, ["75011", ""], ["75101", ""], true),
    row(r#"{"type":"within_edits","max":1}"#, K::Postcode, ["75011", ""], ["75122", ""], false),
    row(
        r#"{"type":"phonetic","algorithm":"double_metaphone"}"#,
        K::Surname,
        ["Smith", ""],
        ["Smyth", ""],
        true,
    ),
    row(
        r#"{"type":"phonetic","algorithm":"double_metaphone"}"#,
        K::Surname,
        ["Smith", ""],
        ["Jones", ""],
        false,
    ),
    row(
        r#"{"type":"token_set","min":0.5}"#,
        K::Address,
        ["12 rue de la Paix", ""],
        ["12 rue Paix", ""],
        true,
    ),
    row(
        r#"{"type":"token_set","min":0.5}"#,
        K::Address,
        ["12 rue de la Paix", ""],
        ["3 avenue Foch", ""],
        false,
    ),
    row(r#"{"type":"token_subset"}"#, K::Surname, ["Martin-Dupont", ""], ["Martin", ""], true),
    row(r#"{"type":"token_subset"}"#, K::GivenName, ["Pierre", ""], ["Jean Pierre", ""], true),
    row(
        r#"{"type":"token_subset"}"#,
        K::GivenName,
        ["Pierre Paul", ""],
        ["Jean Pierre", ""],
        false,
    ),
    row(r#"{"type":"first_token"}"#, K::GivenName, ["Jean-Pierre", ""], ["Jean", ""], true),
    row(r#"{"type":"first_token"}"#, K::GivenName, ["Pierre", ""], ["Jean Pierre", ""], false),
    row(r#"{"type":"initial"}"#, K::GivenName, ["J.", ""], ["Jacques", ""], true),
    row(r#"{"type":"initial"}"#, K::GivenName, ["Marie", ""], ["Jacques", ""], false),
    row(r#"{"type":"initial"}"#, K::GivenName, ["Jean", ""], ["Jacques", ""], false),
    row(r#"{"type":"initial"}"#, K::GivenName, ["J. P.", ""], ["Jean-Pierre", ""], true),
    row(r#"{"type":"nickname"}"#, K::GivenName, ["William", ""], ["Bill", ""], true),
    row(r#"{"type":"nickname"}"#, K::GivenName, ["William", ""], ["Robert", ""], false),
    row(
        r#"{"type":"swapped","with":"other"}"#,
        K::Surname,
        ["Shore", "Daniela"],
        ["Daniela", "Shore"],
        true,
    ),
    row(
        r#"{"type":"swapped","with":"other"}"#,
        K::Surname,
        ["Shore", "Daniela"],
        ["Shore", "Daniela"],
        false,
    ),
    row(
        r#"{"type":"swapped","with":"other"}"#,
        K::Surname,
        ["Durand", "Michel"],
        ["Michel", "Edurand"],
        true,
    ),
    row(
        r#"{"type":"swapped","with":"other"}"#,
        K::Surname,
        ["Berlingley", "Christopher"],
        ["Chris", "Berlingley"],
        true,
    ),
    row(
        r#"{"type":"swapped","with":"other"}"#,
        K::Surname,
        ["Martin", "Thomas"],
        ["Thomas", "Robert"],
        false,
    ),
    row(r#"{"type":"abjad_skeleton"}"#, K::Surname, ["حداد", ""], ["Haddad", ""], true),
    row(r#"{"type":"abjad_skeleton"}"#, K::GivenName, ["يوسف", ""], ["Youssef", ""], true),
    row(r#"{"type":"abjad_skeleton"}"#, K::GivenName, ["Chafik", ""], ["شفيق", ""], true),
    // Two Latin spellings never agree on it, however alike their consonants.
    row(r#"{"type":"abjad_skeleton"}"#, K::Surname, ["Haddad", ""], ["Hadid", ""], false),
    row(r#"{"type":"abjad_skeleton"}"#, K::Surname, ["حداد", ""], ["Hamdan", ""], false),
    row(
        r#"{"type":"date_within","days":30}"#,
        K::Date,
        ["1980-02-01", ""],
        ["1980-02-20", ""],
        true,
    ),
    row(
        r#"{"type":"date_within","days":30}"#,
        K::Date,
        ["1980-02-01", ""],
        ["1980-04-01", ""],
        false,
    ),
    row(r#"{"type":"date_typo"}"#, K::Date, ["01/02/1980", ""], ["02/01/1980", ""], true),
    row(r#"{"type":"date_typo"}"#, K::Date, ["1980-02-01", ""], ["1975-06-12", ""], false),
    row(r#"{"type":"same_year"}"#, K::Date, ["1980-02-01", ""], ["1980-12-31", ""], true),
    row(r#"{"type":"same_year"}"#, K::Date, ["1980-02-01", ""], ["1981-02-01", ""], false),
    row(r#"{"type":"number_within","abs":0.5}"#, K::Text, ["10.5", ""], ["10,8", ""], true),
    row(r#"{"type":"number_within","rel":0.01}"#, K::Text, ["1000", ""], ["1020", ""], false),
    row(r#"{"type":"prefix","len":3}"#, K::Postcode, ["75011", ""], ["75019", ""], true),
    row(r#"{"type":"prefix","len":3}"#, K::Postcode, ["75011", ""], ["69001", ""], false),
    // Phones read with the default France: US numbers written nationally keep
    // their digits (`7025550143`), written with `+1` they are E.164.
    row(
        r#"{"type":"national_number"}"#,
        K::Phone,
        ["+1 (702) 555-0143", ""],
        ["702-555-0143", ""],
        true,
    ),
    row(
        r#"{"type":"national_number"}"#,
        K::Phone,
        ["1-702-555-0143", ""],
        ["(702) 555-0143 ext. 12", ""],
        true,
    ),
    row(
        r#"{"type":"national_number"}"#,
        K::Phone,
        ["001 702 555 0143", ""],
        ["17025550143", ""],
        true,
    ),
    // A local number without its area code: 7 digits end the E.164 number.
    row(r#"{"type":"national_number"}"#, K::Phone, ["+1 415 555 2671", ""], ["555 2671", ""], true),
    row(
        r#"{"type":"national_number","min_digits":8}"#,
        K::Phone,
        ["+1 415 555 2671", ""],
        ["555 2671", ""],
        false,
    ),
    // A UK number written nationally in France, its trunk 0 removed.
    row(
        r#"{"type":"national_number"}"#,
        K::Phone,
        ["+44 20 7946 0958", ""],
        ["020 7946 0958", ""],
        true,
    ),
    row(
        r#"{"type":"national_number"}"#,
        K::Phone,
        ["06 12 34 56 78", ""],
        ["+33 6 12 34 56 78", ""],
        true,
    ),
    // Two E.164 numbers: the calling code counts, and so does every digit.
    row(
        r#"{"type":"national_number"}"#,
        K::Phone,
        ["+33 6 12 34 56 78", ""],
        ["+44 6 12 34 56 78", ""],
        false,
    ),
    row(
        r#"{"type":"national_number"}"#,
        K::Phone,
        ["+1 702 555 0143", ""],
        ["+1 802 555 0143", ""],
        false,
    ),
    row(
        r#"{"type":"national_number"}"#,
        K::Phone,
        ["702-555-0143", ""],
        ["702-555-0144", ""],
        false,
    ),
    row(
        r#"{"type":"national_number"}"#,
        K::Phone,
        ["+1 702 555 0143", ""],
        ["555 0144 x143", ""],
        false,
    ),
    // Not phone numbers: never agree.
    row(
        r#"{"type":"national_number"}"#,
        K::Text,
        ["tel 7025550143", ""],
        ["tel 7025550143", ""],
        false,
    ),
];

/// A schema of the compared field ("value", of `kind`) and a surname ("other").
fn schema(kind: FieldKind) -> Schema {
    Schema::builder().field("value", kind).field("other", FieldKind::Surname).build().unwrap()
}

fn record(schema: &Schema, id: &str, values: [&str; 2]) -> Record {
    let mut b = Record::builder(schema, SourceRef::new("test", id));
    for (field, value) in ["value", "other"].into_iter().zip(values) {
        if !value.is_empty() {
            b = b.set(field, value).unwrap();
        }
    }
    b.build()
}

/// The level index the pair reaches on a comparison holding only `spec`
/// (1: the level holds, 2: "else").
fn level_reached(spec: &LevelSpec, row: &LevelRow) -> u8 {
    let schema = schema(row.kind);
    let comparisons = vec![ComparisonSpec::new("value").level(spec.clone())];
    let config = Config {
        schema: schema.clone(),
        model: Model::neutral(&comparisons, 1e-4),
        comparisons,
        ..Config::person_default().restrict_to_fields(&[])
    };
    let linker = Linker::new(config).unwrap();
    let records = [record(&schema, "a", row.a), record(&schema, "b", row.b)];
    let prepared = linker.prepare(&records).unwrap();
    linker.score_pair(&prepared, 0, 1).0.levels()[0]
}

#[test]
fn every_level_holds_exactly_where_its_row_says() {
    for row in LEVELS {
        let spec: LevelSpec = serde_json::from_str(row.spec).unwrap();
        let expected = if row.holds { 1 } else { 2 };
        assert_eq!(
            level_reached(&spec, row),
            expected,
            "{} on {:?} / {:?}",
            row.spec,
            row.a,
            row.b
        );
        // Levels are symmetric.
        let swapped = LevelRow { a: row.b, b: row.a, ..*row };
        assert_eq!(level_reached(&spec, &swapped), expected, "{} swapped", row.spec);
    }
}

#[test]
fn national_number_defaults_labels_and_checks() {
    let spec: LevelSpec = serde_json::from_str(r#"{"type":"national_number"}"#).unwrap();
    assert_eq!(spec, LevelSpec::NationalNumber { min_digits: 7 });
    assert_eq!(spec.label(), "national_number(7)");
    assert_eq!(
        serde_json::to_string(&LevelSpec::NationalNumber { min_digits: 9 }).unwrap(),
        r#"{"type":"national_number","min_digits":9}"#
    );
    assert!(serde_json::from_str::<LevelSpec>(r#"{"type":"national_number","min":7}"#).is_err());
    let schema = schema(K::Phone);
    for bad in [0, 16] {
        let comparisons = vec![ComparisonSpec::new("value")
            .level(LevelSpec::Exact)
            .level(LevelSpec::NationalNumber { min_digits: bad })];
        let config = Config {
            schema: schema.clone(),
            model: Model::neutral(&comparisons, 1e-4),
            comparisons,
            ..Config::person_default().restrict_to_fields(&[])
        };
        let err = Linker::new(config).unwrap_err().to_string();
        assert!(err.contains("comparisons[0].levels[1].min_digits"), "{err}");
    }
}

fn kind_of(json: &str) -> String {
    let value: serde_json::Value = serde_json::from_str(json).unwrap();
    value["type"].as_str().unwrap().to_owned()
}

#[test]
fn every_level_kind_has_a_row() {
    let kinds = serde_kinds::<LevelSpec>();
    assert!(kinds.len() >= 16, "{kinds:?}");
    for kind in &kinds {
        let rows: Vec<&LevelRow> = LEVELS.iter().filter(|r| kind_of(r.spec) == *kind).collect();
        assert!(rows.iter().any(|r| r.holds), "level kind `{kind}` has no row where it holds");
        assert!(rows.iter().any(|r| !r.holds), "level kind `{kind}` has no row where it fails");
    }
}

/// One key transform on two values.
struct KeyRow {
    transform: &'static str,
    kind: FieldKind,
    a: &'static str,
    b: &'static str,
    /// Whether the two records share the key.
    same: bool,
    /// The readable key of `a`, as a capped-block report shows it.
    text: &'static str,
}

const fn key(
    transform: &'static str,
    kind: FieldKind,
    a: &'static str,
    b: &'static str,
    same: bool,
    text: &'static str,
) -> KeyRow {
    KeyRow { transform, kind, a, b, same, text }
}

const KEYS: &[KeyRow] = &[
    key(r#"{"type":"exact"}"#, K::Surname, "Lefèvre", "LEFEVRE", true, "lefevre"),
    key(r#"{"type":"exact"}"#, K::Surname, "Martin", "Martine", false, "martin"),
    key(r#"{"type":"prefix","len":3}"#, K::Surname, "Martin", "Martinez", true, "mar"),
    key(r#"{"type":"prefix","len":3}"#, K::Surname, "Martin", "Morin", false, "mar"),
    key(r#"{"type":"suffix","len":2}"#, K::Postcode, "75011", "69011", true, "11"),
    key(r#"{"type":"suffix","len":2}"#, K::Postcode, "75011", "75012", false, "11"),
    key(
        r#"{"type":"phonetic","algorithm":"double_metaphone"}"#,
        K::Surname,
        "Smith",
        "Smyth",
        true,
        "SM0",
    ),
    key(
        r#"{"type":"phonetic","algorithm":"double_metaphone"}"#,
        K::Surname,
        "Smith",
        "Jones",
        false,
        "SM0",
    ),
    key(r#"{"type":"year"}"#, K::Date, "01/02/1980", "1980-12-31", true, "1980"),
    key(r#"{"type":"year"}"#, K::Date, "01/02/1980", "1981-02-01", false, "1980"),
    key(r#"{"type":"month_day"}"#, K::Date, "01/02/1980", "1990-02-01", true, "02-01"),
    key(r#"{"type":"month_day"}"#, K::Date, "01/02/1980", "1980-01-02", false, "02-01"),
    key(r#"{"type":"initials"}"#, K::GivenName, "Jean-Pierre", "Jacques Paul", true, "jp"),
    key(r#"{"type":"initials"}"#, K::GivenName, "Jean-Pierre", "Jean", false, "jp"),
    key(
        r#"{"type":"sorted_tokens"}"#,
        K::Address,
        "rue de la Paix",
        "Paix rue de la",
        true,
        "de la paix rue",
    ),
    key(
        r#"{"type":"sorted_tokens"}"#,
        K::Address,
        "rue de la Paix",
        "rue Paix",
        false,
        "de la paix rue",
    ),
    key(r#"{"type":"first_token"}"#, K::GivenName, "Jean Pierre", "Jean", true, "jean"),
    key(r#"{"type":"first_token"}"#, K::GivenName, "Jean Pierre", "Pierre", false, "jean"),
    key(r#"{"type":"last_token"}"#, K::GivenName, "Jean Pierre", "Pierre", true, "pierre"),
    key(r#"{"type":"last_token"}"#, K::GivenName, "Jean Pierre", "Jean", false, "pierre"),
    key(r#"{"type":"last_token"}"#, K::Email, "b@y.com; a@x.com", "B@Y.com", true, "b@y.com"),
    key(r#"{"type":"digits"}"#, K::Text, "tel: 06 12-34", "061234", true, "061234"),
    key(r#"{"type":"digits"}"#, K::Text, "tel: 06 12-34", "061235", false, "061234"),
];

#[test]
fn every_key_transform_groups_and_reads_as_its_row_says() {
    for row in KEYS {
        let transform: KeyTransform = serde_json::from_str(row.transform).unwrap();
        let schema = schema(row.kind);
        let rule = BlockingRule::new("rule").part(KeyPart::new("value", transform));
        let config = Config {
            schema: schema.clone(),
            blocking: BlockingConfig {
                rules: vec![rule],
                max_block_size: 2,
                ..BlockingConfig::default()
            },
            ..Config::person_default().restrict_to_fields(&[])
        };
        let linker = Linker::new(config).unwrap();
        // Two records: one candidate pair exactly when they share the key.
        let pair = [record(&schema, "a", [row.a, ""]), record(&schema, "b", [row.b, ""])];
        let result = linker.dedupe(&pair).unwrap();
        let expected = u64::from(row.same);
        assert_eq!(
            result.stats.candidate_pairs, expected,
            "{} on {} / {}",
            row.transform, row.a, row.b
        );
        // Three copies of `a` overflow the cap of 2: the report spells out the key,
        // written by the same code that wrote the hashed key above.
        let three: Vec<Record> = ["1", "2", "3"].map(|id| record(&schema, id, [row.a, ""])).into();
        let capped = linker.dedupe(&three).unwrap().stats.capped_blocks;
        assert_eq!(capped.len(), 1, "{}", row.transform);
        assert_eq!(capped[0].key, row.text, "{}", row.transform);
    }
}

#[test]
fn every_key_transform_has_a_row() {
    let kinds = serde_kinds::<KeyTransform>();
    assert!(kinds.len() >= 10, "{kinds:?}");
    for kind in &kinds {
        let rows: Vec<&KeyRow> = KEYS.iter().filter(|r| kind_of(r.transform) == *kind).collect();
        assert!(rows.iter().any(|r| r.same), "key transform `{kind}` has no row sharing a key");
        assert!(rows.iter().any(|r| !r.same), "key transform `{kind}` has no row apart");
    }
}

/// An `any_order` rule keys the multiset of its parts' values: names typed in
/// each other's field share it, and its report shows the values sorted.
#[test]
fn an_any_order_rule_keys_its_parts_in_either_order() {
    let schema = schema(K::Surname);
    let rule = |any_order: bool| {
        let rule = BlockingRule::new("names")
            .part(KeyPart::new("value", KeyTransform::Exact))
            .part(KeyPart::new("other", KeyTransform::Exact));
        if any_order {
            rule.any_order()
        } else {
            rule
        }
    };
    let linker = |any_order: bool| {
        Linker::new(Config {
            schema: schema.clone(),
            blocking: BlockingConfig {
                rules: vec![rule(any_order)],
                max_block_size: 2,
                ..BlockingConfig::default()
            },
            ..Config::person_default().restrict_to_fields(&[])
        })
        .unwrap()
    };
    let swapped =
        [record(&schema, "a", ["Shore", "Daniela"]), record(&schema, "b", ["Daniela", "Shore"])];
    assert_eq!(linker(false).dedupe(&swapped).unwrap().stats.candidate_pairs, 0);
    assert_eq!(linker(true).dedupe(&swapped).unwrap().stats.candidate_pairs, 1);
    // Not any two names: the multisets must be equal.
    let other =
        [record(&schema, "a", ["Shore", "Daniela"]), record(&schema, "b", ["Daniela", "Short"])];
    assert_eq!(linker(true).dedupe(&other).unwrap().stats.candidate_pairs, 0);
    // A missing part leaves the record without a key.
    let missing = [record(&schema, "a", ["Shore", ""]), record(&schema, "b", ["", "Shore"])];
    assert_eq!(linker(true).dedupe(&missing).unwrap().stats.candidate_pairs, 0);
    let three: Vec<Record> =
        ["1", "2", "3"].map(|id| record(&schema, id, ["Shore", "Daniela"])).into();
    let capped = linker(true).dedupe(&three).unwrap().stats.capped_blocks;
    assert_eq!(capped[0].key, "daniela|shore");
    // Serde: `any_order` is optional and left out when false.
    let json = serde_json::to_string(&rule(false)).unwrap();
    assert!(!json.contains("any_order"), "{json}");
    let back: BlockingRule =
        serde_json::from_str(&serde_json::to_string(&rule(true)).unwrap()).unwrap();
    assert_eq!(back, rule(true));
}
