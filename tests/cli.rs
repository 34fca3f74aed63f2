//! The `dedupe` example's modules: argument parsing, column mapping, CSV loading
//! with its error cases, output rows, and a small end-to-end run through `Linker`.
//!
//! The binary itself is not run from here (`cargo run` inside `cargo test` would
//! wait on the build directory lock); its modules are compiled into this test.

#[allow(dead_code)]
#[path = "../examples/dedupe/args.rs"]
mod args;
#[allow(dead_code)]
#[path = "../examples/dedupe/columns.rs"]
mod columns;
#[allow(dead_code)]
#[path = "../examples/dedupe/csv_input.rs"]
mod csv_input;
#[allow(dead_code)]
#[path = "../examples/dedupe/output.rs"]
mod output;

use std::ffi::OsString;
use std::path::{Path, PathBuf};

use personlink::eval::pairwise;
use personlink::{Config, FieldKind, Linker, Schema};

use args::{Args, ArgsError, Command};
use columns::{map_columns, normalize_name, ColumnError, IgnoreReason, MappingOptions};
use csv_input::{CsvFile, InputError, InputErrorKind, Loaded, RowLayout};

const FEBRL_HEADER: &str = "rec_id,given_name,surname,street_number,address_1,address_2,suburb,postcode,state,date_of_birth,soc_sec_id,cluster";
const FRENCH_HEADER: &str = "id,Prénom,Nom,Date de naissance,Courriel,Téléphone,Code postal,Ville";

fn headers(line: &str) -> Vec<String> {
    line.split(',').map(str::to_owned).collect()
}

fn person_schema() -> Schema {
    Config::person_default().schema
}

/// `column -> field` pairs of a mapping, in column order.
fn pairs(m: &columns::ColumnMapping) -> Vec<(&str, &str)> {
    m.fields.iter().map(|c| (c.column.header.as_str(), c.field.as_str())).collect()
}

/// Loads CSV text the way the example does: person profile restricted to the mapped fields.
fn load_str(text: &[u8], options: MappingOptions<'_>) -> Result<(Config, Loaded), String> {
    let file = CsvFile::from_reader("mem.csv", text).map_err(|e| e.to_string())?;
    let base = Config::person_default();
    let mapping = map_columns(file.headers(), &base.schema, options).map_err(|e| e.to_string())?;
    let config = base.restrict_to_fields(&mapping.present_fields());
    let layout = RowLayout::new(
        &config.schema,
        mapping.id.index,
        mapping.truth.as_ref().map(|c| c.index),
        mapping.fields.iter().map(|m| (m.column.index, m.field.as_str())),
    )
    .map_err(|e| e.to_string())?;
    let loaded = file.load(&config.schema, &layout, "mem").map_err(|e| e.to_string())?;
    Ok((config, loaded))
}

/// The typed error of loading CSV text with the default id column and no mapping problem.
fn load_error(text: &[u8]) -> InputError {
    let file = match CsvFile::from_reader("bad.csv", text) {
        Ok(file) => file,
        Err(e) => return e,
    };
    let schema = person_schema();
    let mapping =
        map_columns(file.headers(), &schema, MappingOptions::default()).expect("test headers map");
    let layout = RowLayout::new(
        &schema,
        mapping.id.index,
        None,
        mapping.fields.iter().map(|m| (m.column.index, m.field.as_str())),
    )
    .expect("fields come from the schema");
    file.load(&schema, &layout, "bad").expect_err("input is invalid")
}

fn argv(list: &[&str]) -> Vec<OsString> {
    list.iter().map(OsString::from).collect()
}

fn run_args(list: &[&str]) -> Args {
    match args::parse(argv(list)) {
        Ok(Command::Run(args)) => *args,
        other => panic!("{list:?} gave {other:?}"),
    }
}

// ---- column mapping ----------------------------------------------------------

#[test]
fn names_fold_case_accents_and_separators() {
    assert_eq!(normalize_name("Date de naissance"), "datedenaissance");
    assert_eq!(normalize_name("date_de_naissance"), "datedenaissance");
    assert_eq!(normalize_name("DATE-DE-NAISSANCE"), "datedenaissance");
    assert_eq!(normalize_name("Prénom"), "prenom");
    assert_eq!(normalize_name("Pre\u{301}nom"), "prenom");
    assert_eq!(normalize_name("TÉLÉPHONE"), "telephone");
    assert_eq!(normalize_name("e-mail"), "email");
    assert_eq!(normalize_name("Département"), "departement");
}

#[test]
fn febrl_header_maps_ten_columns() {
    let m =
        map_columns(&headers(FEBRL_HEADER), &person_schema(), MappingOptions::default()).unwrap();
    assert_eq!(m.id.header, "rec_id");
    assert_eq!(m.id.index, 0);
    assert_eq!(m.truth, None);
    assert_eq!(
        pairs(&m),
        [
            ("given_name", "given_name"),
            ("surname", "surname"),
            ("street_number", "street_number"),
            ("address_1", "address_1"),
            ("address_2", "address_2"),
            ("suburb", "city"),
            ("postcode", "postcode"),
            ("state", "state"),
            ("date_of_birth", "date_of_birth"),
            ("soc_sec_id", "national_id"),
        ]
    );
    assert_eq!(m.ignored.len(), 1);
    assert_eq!(m.ignored[0].column.header, "cluster");
    assert_eq!(m.ignored[0].reason, IgnoreReason::NoField);
    let report = m.report().join("\n");
    assert!(report.contains("matching on 10 columns"), "{report}");
    assert!(report.contains("suburb -> city"), "{report}");
    assert!(report.contains("soc_sec_id -> national_id"), "{report}");
    assert!(report.contains("id column: rec_id (not matched on)"), "{report}");
    assert!(report.contains("ignored columns: cluster"), "{report}");
}

#[test]
fn febrl_truth_column_is_not_matched_on() {
    let options = MappingOptions { id_column: None, truth_column: Some("cluster") };
    let m = map_columns(&headers(FEBRL_HEADER), &person_schema(), options).unwrap();
    assert_eq!(m.truth.as_ref().map(|c| (c.index, c.header.as_str())), Some((11, "cluster")));
    assert_eq!(m.fields.len(), 10);
    assert!(m.ignored.is_empty());
    assert!(m.report().iter().any(|l| l == "truth column: cluster (not matched on)"));
}

#[test]
fn french_header_maps_by_synonym() {
    let m =
        map_columns(&headers(FRENCH_HEADER), &person_schema(), MappingOptions::default()).unwrap();
    assert_eq!(m.id.header, "id");
    assert_eq!(
        pairs(&m),
        [
            ("Prénom", "given_name"),
            ("Nom", "surname"),
            ("Date de naissance", "date_of_birth"),
            ("Courriel", "email"),
            ("Téléphone", "phone"),
            ("Code postal", "postcode"),
            ("Ville", "city"),
        ]
    );
    assert!(m.ignored.is_empty());
    let config = Config::person_default().restrict_to_fields(&m.present_fields());
    // Seven columns, and `generation`, which reads a suffix from the names.
    assert_eq!(config.schema.len(), 8);
    config.validate().unwrap();
}

#[test]
fn id_column_defaults_to_rec_id_then_id_and_can_be_named() {
    let schema = person_schema();
    let both = headers("id,surname,rec_id");
    let m = map_columns(&both, &schema, MappingOptions::default()).unwrap();
    assert_eq!(m.id.header, "rec_id");
    // The unused `id` column is ignored, not matched on.
    assert_eq!(m.ignored[0].column.header, "id");
    let options = MappingOptions { id_column: Some("ID"), truth_column: None };
    assert_eq!(map_columns(&both, &schema, options).unwrap().id.header, "id");
    let options = MappingOptions { id_column: Some("Customer No"), truth_column: None };
    let m = map_columns(&headers("customer_no,surname"), &schema, options).unwrap();
    assert_eq!(m.id.index, 0);
}

#[test]
fn missing_id_and_truth_columns_are_errors() {
    let schema = person_schema();
    let err =
        map_columns(&headers("name,surname"), &schema, MappingOptions::default()).unwrap_err();
    assert!(matches!(err, ColumnError::MissingId { wanted: None, .. }), "{err:?}");
    assert!(err.to_string().contains("--id-column"), "{err}");
    let options = MappingOptions { id_column: Some("key"), truth_column: None };
    let err = map_columns(&headers("id,surname"), &schema, options).unwrap_err();
    assert!(err.to_string().contains("no id column `key`"), "{err}");
    let options = MappingOptions { id_column: None, truth_column: Some("entity") };
    let err = map_columns(&headers("id,surname"), &schema, options).unwrap_err();
    assert!(matches!(&err, ColumnError::MissingTruth { wanted, .. } if wanted == "entity"));
}

#[test]
fn no_mapped_column_is_an_error() {
    let err = map_columns(&headers("id,colour,size"), &person_schema(), MappingOptions::default())
        .unwrap_err();
    assert!(matches!(err, ColumnError::NoneMapped { .. }), "{err:?}");
    assert!(err.to_string().contains("colour, size"), "{err}");
}

#[test]
fn exact_name_beats_synonym_then_leftmost_wins() {
    let schema = person_schema();
    let m =
        map_columns(&headers("id,mobile,phone,tel"), &schema, MappingOptions::default()).unwrap();
    assert_eq!(pairs(&m), [("phone", "phone")]);
    assert_eq!(
        m.ignored[0].reason,
        IgnoreReason::FieldTaken { field: "phone".into(), by: "phone".into() }
    );
    let m = map_columns(&headers("id,mobile,tel"), &schema, MappingOptions::default()).unwrap();
    assert_eq!(pairs(&m), [("mobile", "phone")]);
}

#[test]
fn config_schema_maps_by_field_name_and_person_synonyms() {
    let schema = Schema::builder()
        .field("loyalty_card", FieldKind::Identifier)
        .field("surname", FieldKind::Surname)
        .build()
        .unwrap();
    let m = map_columns(&headers("id,Loyalty Card,Nom,Prénom"), &schema, MappingOptions::default())
        .unwrap();
    assert_eq!(pairs(&m), [("Loyalty Card", "loyalty_card"), ("Nom", "surname")]);
    assert_eq!(m.ignored[0].column.header, "Prénom");
}

// ---- CSV loading -------------------------------------------------------------

#[test]
fn rows_become_records_with_missing_empty_values() {
    let text = "\u{feff}rec_id, given_name, surname, date_of_birth\n\
                a1, Jean, Dupont, 1980-03-14\n\
                \n\
                a2,,  ,1980-03-14\n";
    let (config, loaded) = load_str(text.as_bytes(), MappingOptions::default()).unwrap();
    let schema = &config.schema;
    assert_eq!(loaded.records.len(), 2);
    let (a1, a2) = (&loaded.records[0], &loaded.records[1]);
    assert_eq!(a1.source().to_string(), "mem:a1");
    assert_eq!(a1.value(schema, "given_name").unwrap(), Some("Jean"));
    assert_eq!(a2.source().id, "a2");
    assert_eq!(a2.values()[schema.require("given_name").unwrap().index()], None);
    assert_eq!(a2.values()[schema.require("surname").unwrap().index()], None);
    assert_eq!(a2.value(schema, "date_of_birth").unwrap(), Some("1980-03-14"));
    assert!(loaded.truth.is_none());
}

#[test]
fn truth_values_are_kept_per_record() {
    let text = "id,surname,truth\n1,Dupont,p1\n2,Dupond,p1\n3,Martin,\n";
    let options = MappingOptions { id_column: None, truth_column: Some("truth") };
    let (_, loaded) = load_str(text.as_bytes(), options).unwrap();
    let truth = loaded.truth.unwrap();
    assert_eq!(truth, [Some("p1".to_owned()), Some("p1".to_owned()), None]);
}

#[test]
fn header_only_file_has_no_records() {
    let (_, loaded) = load_str(b"id,surname\n", MappingOptions::default()).unwrap();
    assert!(loaded.records.is_empty());
}

#[test]
fn empty_file_is_an_error() {
    for text in [&b""[..], b"\n", b"\r\n\r\n"] {
        let err = load_error(text);
        assert!(matches!(err.kind, InputErrorKind::Empty), "{text:?}: {err}");
        assert_eq!(err.to_string(), "bad.csv: empty file: a header row is required");
    }
}

#[test]
fn missing_file_is_an_error() {
    let err = CsvFile::open(Path::new("/nonexistent/dir/people.csv")).unwrap_err();
    assert!(matches!(err.kind, InputErrorKind::Open(_)), "{err}");
    assert!(err.to_string().starts_with("/nonexistent/dir/people.csv: cannot open: "), "{err}");
}

#[test]
fn ragged_row_names_its_line() {
    let err = load_error(b"id,surname\n1,Dupont\n2,Martin,extra\n3,Petit\n");
    assert!(matches!(err.kind, InputErrorKind::Ragged { expected: 2, found: 3 }), "{err:?}");
    assert_eq!(err.line, Some(3));
    assert_eq!(err.to_string(), "bad.csv:3: row has 3 fields but the header has 2");
    let err = load_error(b"id,surname\n1\n");
    assert_eq!(err.to_string(), "bad.csv:2: row has 1 fields but the header has 2");
}

#[test]
fn invalid_utf8_names_its_line_and_column() {
    let err = load_error(b"id,surname,city\n1,Dupont,Paris\n2,Mart\xffin,Lyon\n");
    assert!(matches!(&err.kind, InputErrorKind::InvalidUtf8 { column } if column == "surname"));
    assert_eq!(err.to_string(), "bad.csv:3: invalid UTF-8 in column `surname`");
    // Also in a column that is not matched on.
    let err = load_error(b"id,surname,notes\n1,Dupont,caf\xe9\n");
    assert_eq!(err.to_string(), "bad.csv:2: invalid UTF-8 in column `notes`");
    // And in the header.
    let err = load_error(b"id,sur\xffname\n1,Dupont\n");
    assert_eq!(err.to_string(), "bad.csv:1: invalid UTF-8 in column `#2`");
}

#[test]
fn duplicate_ids_name_both_lines() {
    let err = load_error(b"id,surname\nx1,Dupont\nx2,Martin\n\"multi\nline\",Petit\nx1,Durand\n");
    assert!(
        matches!(
            &err.kind,
            InputErrorKind::DuplicateId { id, first_line: 2, second_line: 6 } if id == "x1"
        ),
        "{err:?}"
    );
    assert_eq!(err.to_string(), "bad.csv:6: duplicate id `x1` on lines 2 and 6");
}

#[test]
fn empty_id_names_its_line() {
    let err = load_error(b"id,surname\n1,Dupont\n ,Martin\n");
    assert!(matches!(&err.kind, InputErrorKind::EmptyId { column } if column == "id"));
    assert_eq!(err.to_string(), "bad.csv:3: empty id in column `id`");
}

#[test]
fn garbage_never_panics() {
    let inputs: [&[u8]; 6] = [
        b"\xff\xfe\x00\x00",
        b"id\n\"unterminated",
        b"id,surname\n\"a\"\"b\",c\n",
        b",,,\n,,,\n",
        b"id,id,surname\n1,2,x\n",
        b"\"\n",
    ];
    for text in inputs {
        let _ = load_str(text, MappingOptions::default());
    }
}

// ---- output --------------------------------------------------------------------

#[test]
fn output_rows_follow_input_order_with_header() {
    let mut out = Vec::new();
    let rows = [("b2", 0u32, 5u32), ("a1", 1, 5), ("c,3", 0, 6)];
    output::write_clusters(&mut out, rows).unwrap();
    assert_eq!(
        String::from_utf8(out).unwrap(),
        "rec_id,cluster_id,household_id\nb2,0,5\na1,1,5\n\"c,3\",0,6\n"
    );
}

#[test]
fn metrics_line_has_four_decimals() {
    let m = pairwise(&[0, 0, 0, 1], &["a", "a", "b", "b"]);
    assert_eq!(output::metrics_line(&m), "precision=0.3333 recall=0.5000 f1=0.4000");
}

// ---- arguments -------------------------------------------------------------------

#[test]
fn all_options_parse_in_any_order() {
    let args = run_args(&[
        "--threads",
        "4",
        "in.csv",
        "--link=other.csv",
        "--id-column",
        "key",
        "--config",
        "c.json",
        "--output",
        "out.csv",
        "--explain",
        "a",
        "b",
        "--truth-column",
        "cluster",
    ]);
    assert_eq!(
        args,
        Args {
            input: PathBuf::from("in.csv"),
            link: Some("other.csv".into()),
            id_column: Some("key".into()),
            config: Some("c.json".into()),
            output: Some("out.csv".into()),
            explain: Some(("a".into(), "b".into())),
            truth_column: Some("cluster".into()),
            threads: Some(4),
            ..Args::default()
        }
    );
    let training =
        run_args(&["in.csv", "--model", "m.json", "--save-model", "s.json", "--threshold", "-2.5"]);
    assert_eq!(training.model, Some(PathBuf::from("m.json")));
    assert_eq!(training.save_model, Some(PathBuf::from("s.json")));
    assert_eq!(training.threshold, Some(-2.5));
    assert!(!training.no_train);
    assert!(run_args(&["in.csv", "--no-train"]).no_train);
    assert_eq!(
        args::parse(argv(&["in.csv", "--model", "m.json", "--no-train"])),
        Err(args::ArgsError::Conflict("--model", "--no-train"))
    );
    assert!(matches!(
        args::parse(argv(&["in.csv", "--threshold", "inf"])),
        Err(args::ArgsError::InvalidValue { option: "--threshold", .. })
    ));
    assert_eq!(run_args(&["--", "--odd-name.csv"]).input, PathBuf::from("--odd-name.csv"));
    assert_eq!(args::parse(argv(&["x.csv", "-h"])), Ok(Command::Help));
}

#[test]
fn argument_mistakes_are_typed_errors() {
    let err = |list: &[&str]| args::parse(argv(list)).unwrap_err();
    assert_eq!(err(&[]), ArgsError::MissingInput);
    assert_eq!(err(&["in.csv", "--bogus"]), ArgsError::UnknownOption("--bogus".into()));
    assert_eq!(err(&["in.csv", "-x"]), ArgsError::UnknownOption("-x".into()));
    assert_eq!(err(&["in.csv", "--link"]), ArgsError::MissingValue("--link"));
    assert_eq!(err(&["in.csv", "--output", "--threads", "2"]), ArgsError::MissingValue("--output"));
    assert_eq!(err(&["in.csv", "--explain", "a"]), ArgsError::MissingValue("--explain"));
    assert_eq!(
        err(&["in.csv", "--threads", "2", "--threads", "3"]),
        ArgsError::Repeated("--threads")
    );
    assert_eq!(err(&["in.csv", "more.csv"]), ArgsError::UnexpectedArgument("more.csv".into()));
    for bad in ["-1", "many", "2.5"] {
        assert_eq!(
            err(&["in.csv", "--threads", bad]),
            ArgsError::InvalidValue {
                option: "--threads",
                value: bad.into(),
                expected: "a non-negative integer"
            }
        );
    }
    assert_eq!(
        err(&["in.csv", "--explain", "a"]).to_string(),
        "option `--explain` needs two values: ID1 ID2"
    );
    assert_eq!(err(&["in.csv", "--link"]).to_string(), "option `--link` needs a value");
    assert!(args::USAGE.contains("--truth-column COL"));
}

// ---- end to end ----------------------------------------------------------------

const PEOPLE: &str = "\
rec_id,given_name,surname,date_of_birth,postcode,city,email,truth
a1,Jean,Dupont,1980-03-14,75011,Paris,jean.dupont@example.fr,p1
b1,Marie,Curie,1967-11-07,69003,Lyon,marie.curie@example.fr,p2
c1,Paul,Martin,1990-01-01,13001,Marseille,,p3
a2,Jean,Dupont,1980-03-14,75011,Paris,jean.dupont@example.fr,p1
d1,Sophie,Bernard,1975-06-30,31000,Toulouse,sophie.b@example.com,p4
e1,Luc,Petit,2001-12-12,33000,Bordeaux,,p5
";

#[test]
fn end_to_end_dedupe_in_memory() {
    let options = MappingOptions { id_column: None, truth_column: Some("truth") };
    let (config, loaded) = load_str(PEOPLE.as_bytes(), options).unwrap();
    // Six columns, and `generation`, which reads a suffix from the names.
    assert_eq!(config.schema.len(), 7);
    let linker = Linker::new(config).unwrap();
    let result = linker.dedupe(&loaded.records).unwrap();
    let e = &result.entity_of;
    assert_eq!(e.len(), 6);
    assert_eq!(e[0], e[3], "a1 and a2 are one person");
    let mut others = vec![e[0], e[1], e[2], e[4], e[5]];
    others.sort();
    others.dedup();
    assert_eq!(others.len(), 5, "everyone else is distinct: {e:?}");

    let mut out = Vec::new();
    let ids = loaded.records.iter().map(|r| r.source().id.as_str());
    output::write_clusters(&mut out, ids.zip(e.iter().copied()).map(|(id, e)| (id, e, e))).unwrap();
    let text = String::from_utf8(out).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "rec_id,cluster_id,household_id");
    let ids: Vec<&str> = lines[1..].iter().map(|l| l.split(',').next().unwrap()).collect();
    assert_eq!(ids, ["a1", "b1", "c1", "a2", "d1", "e1"]);
    let cluster = |row: usize| lines[row].split(',').nth(1).unwrap().to_owned();
    assert_eq!(cluster(1), cluster(4));
    assert_eq!(cluster(1), e[0].to_string());

    let truth: Vec<&str> = loaded.truth.iter().flatten().flatten().map(String::as_str).collect();
    let m = pairwise(e, &truth);
    assert_eq!(output::metrics_line(&m), "precision=1.0000 recall=1.0000 f1=1.0000");

    let explanation = linker.explain(&loaded.records[0], &loaded.records[3]).unwrap();
    assert!(explanation.to_string().contains("mem:a1 vs mem:a2"), "{explanation}");
}

#[path = "../examples/dedupe/weights.rs"]
mod weights;

#[test]
fn weights_table_lists_every_level_and_loaded_models_are_checked() {
    let config = personlink::Config::person_default().restrict_to_fields(&[
        "given_name",
        "surname",
        "date_of_birth",
    ]);
    let lines = weights::weights_table(&config.model);
    let levels: usize = config.model.comparisons.iter().map(|c| c.levels.len()).sum();
    assert_eq!(lines.len(), levels + 2, "prior line, header, one line per level");
    assert!(lines[0].starts_with("prior "));
    assert!(lines.iter().any(|l| l.contains("given_name") && l.contains("nickname")));
    // A model round-trips through JSON and fits the restricted configuration.
    let json = serde_json::to_string(&config.model).unwrap();
    let back: personlink::model::Model = serde_json::from_str(&json).unwrap();
    assert!(personlink::Linker::new(config.clone().with_model(back.clone())).is_ok());
    // A model whose labels do not fit is rejected, naming the entry.
    let mut bad = back;
    bad.comparisons[0].levels[1].label = "fuzzy".into();
    let err = personlink::Linker::new(config.with_model(bad)).unwrap_err().to_string();
    assert!(err.contains("comparisons[0].levels[1].label"), "{err}");
}
