//! The examples' command lines. The `dedupe` example's modules (argument
//! parsing, column mapping, CSV loading with delimiter sniffing and
//! Windows-1252, configuration overrides, phone and date reading settings,
//! output rows) are compiled into this test and driven in memory; then every
//! example binary is run as a process (see [`example`]) for what only a
//! process shows: `--help`, exit codes, messages and whole runs.

#[allow(dead_code)]
#[path = "../examples/dedupe/args.rs"]
mod args;
#[allow(dead_code)]
#[path = "../examples/dedupe/atomic_file.rs"]
mod atomic_file;
#[allow(dead_code)]
#[path = "../examples/dedupe/columns.rs"]
pub(crate) mod columns;
#[allow(dead_code)]
#[path = "../examples/dedupe/config_file.rs"]
mod config_file;
#[allow(dead_code)]
#[path = "../examples/dedupe/csv_input.rs"]
pub(crate) mod csv_input;
#[allow(dead_code)]
#[path = "../examples/dedupe/delimiter.rs"]
mod delimiter;
#[allow(dead_code)]
#[path = "../examples/dedupe/open_quote.rs"]
mod open_quote;
#[allow(dead_code)]
#[path = "../examples/dedupe/output.rs"]
mod output;
#[allow(dead_code)]
#[path = "../examples/dedupe/reading.rs"]
mod reading;
#[allow(dead_code)]
#[path = "../examples/dedupe/windows_1252.rs"]
mod windows_1252;

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
    let file = CsvFile::from_reader("mem.csv", text, None).map_err(|e| e.to_string())?;
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
    let file = match CsvFile::from_reader("bad.csv", text, None) {
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
    let options = MappingOptions { truth_column: Some("cluster"), ..Default::default() };
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
    let options = MappingOptions { id_column: Some("ID"), ..Default::default() };
    assert_eq!(map_columns(&both, &schema, options).unwrap().id.header, "id");
    let options = MappingOptions { id_column: Some("Customer No"), ..Default::default() };
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
    let options = MappingOptions { id_column: Some("key"), ..Default::default() };
    let err = map_columns(&headers("id,surname"), &schema, options).unwrap_err();
    assert!(err.to_string().contains("no id column `key`"), "{err}");
    let options = MappingOptions { truth_column: Some("entity"), ..Default::default() };
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
    let options = MappingOptions { truth_column: Some("truth"), ..Default::default() };
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
    let err = CsvFile::open(Path::new("/nonexistent/dir/people.csv"), None).unwrap_err();
    assert!(matches!(err.kind, InputErrorKind::Open(_)), "{err}");
    assert!(err.to_string().starts_with("/nonexistent/dir/people.csv: cannot open: "), "{err}");
}

#[test]
fn ragged_row_names_its_line() {
    let err = load_error(b"id,surname\n1,Dupont\n2,Martin,extra\n3,Petit\n");
    assert!(
        matches!(err.kind, InputErrorKind::Ragged { expected: 2, found: 3, delimiter: b',' }),
        "{err:?}"
    );
    assert_eq!(err.line, Some(3));
    assert_eq!(
        err.to_string(),
        "bad.csv: line 3 has 3 fields, the header has 2 (delimiter ','); use --delimiter"
    );
    let err = load_error(b"id,surname\n1\n");
    assert_eq!(
        err.to_string(),
        "bad.csv: line 2 has 1 fields, the header has 2 (delimiter ','); use --delimiter"
    );
}

#[test]
fn windows_1252_fields_are_decoded_and_the_first_line_reported() {
    let text =
        b"id,surname,city\n1,Dupont,Paris\n2,Lef\xe8vre,Orl\xe9ans\n3,\x8cuvrard,caf\xe9 \x80\n";
    let (config, loaded) = load_str(text, MappingOptions::default()).unwrap();
    let value = |i: usize, f: &str| loaded.records[i].value(&config.schema, f).unwrap();
    assert_eq!(value(1, "surname"), Some("Lefèvre"));
    assert_eq!(value(1, "city"), Some("Orléans"));
    assert_eq!(value(2, "surname"), Some("Œuvrard"));
    assert_eq!(value(2, "city"), Some("café €"));
    assert_eq!(loaded.windows_1252_line, Some(3));
    // A UTF-8 file reports nothing; a bad byte in an unmatched column still counts.
    let (_, loaded) = load_str("id,surname\n1,Lefèvre\n".as_bytes(), Default::default()).unwrap();
    assert_eq!(loaded.windows_1252_line, None);
    let (_, loaded) =
        load_str(b"id,surname,notes\n1,Dupont,ok\n2,Martin,caf\xe9\n", Default::default()).unwrap();
    assert_eq!(loaded.windows_1252_line, Some(3));
    assert_eq!(
        loaded.warnings("people.csv", "people"),
        ["people.csv: warning: line 3 is not valid UTF-8; it and any other such line are read as Windows-1252"]
    );
    // The header too: `Pr\xe9nom` is `Prénom`, mapped onto given_name.
    let (config, loaded) = load_str(b"id,Pr\xe9nom\n1,Jean\n", MappingOptions::default()).unwrap();
    assert_eq!(config.schema.fields()[0].name, "given_name");
    assert_eq!(loaded.windows_1252_line, Some(1));
}

#[test]
fn windows_1252_table_reads_every_byte() {
    use windows_1252::char_of;
    assert_eq!(char_of(b'A'), 'A');
    assert_eq!(char_of(0x80), '€');
    assert_eq!(char_of(0x8C), 'Œ');
    assert_eq!(char_of(0x92), '\u{2019}');
    assert_eq!(char_of(0x9C), 'œ');
    assert_eq!(char_of(0x9F), 'Ÿ');
    assert_eq!(char_of(0x81), '\u{81}');
    assert_eq!(char_of(0xA0), '\u{A0}');
    assert_eq!(char_of(0xE9), 'é');
    assert_eq!(char_of(0xFF), 'ÿ');
    let all: Vec<u8> = (0..=255).collect();
    let decoded = windows_1252::decode(&all);
    assert_eq!(decoded.chars().count(), 256, "one character per byte");
    // No byte from 0x80 to 0x9F but the five undefined ones decodes to a control character.
    let controls: Vec<u8> = (0x80..=0x9F).filter(|&b| char_of(b).is_control()).collect();
    assert_eq!(controls, [0x81, 0x8D, 0x8F, 0x90, 0x9D]);
}

// ---- delimiters ------------------------------------------------------------------

#[test]
fn delimiter_is_sniffed_from_the_header_and_first_rows() {
    let sniff = |text: &str| delimiter::sniff(text.as_bytes(), true);
    assert_eq!(sniff("id,nom,ville\n1,Dupont,Paris\n"), b',');
    assert_eq!(sniff("id;nom;ville\n1;Dupont;Paris\n"), b';');
    assert_eq!(sniff("id\tnom\tville\n1\tDupont\tParis\n"), b'\t');
    assert_eq!(sniff("id|nom|ville\n1|Dupont|Paris\n"), b'|');
    // Commas inside the values of a semicolon file (decimal commas, addresses).
    assert_eq!(sniff("id;nom;montant\n1;Dupont, Jean;12,50\n2;Martin;3,5\n"), b';');
    // Semicolons inside quoted values of a comma file.
    assert_eq!(sniff("id,nom,notes\n1,Dupont,\"a;b;c;d\"\n"), b',');
    // A header of one column is read with commas.
    assert_eq!(sniff("id\n1\n2\n"), b',');
    // A row that fits no candidate: the header decides.
    assert_eq!(sniff("id;nom;ville\n1;Dupont\n"), b';');
    // A cut sample: its last, partial row is not held against the delimiter.
    assert_eq!(delimiter::sniff(b"id;nom;ville\n1;Dupont;Paris\n2;Mar", false), b';');
    assert_eq!(delimiter::parse(";"), Some(b';'));
    assert_eq!(delimiter::parse("tab"), Some(b'\t'));
    assert_eq!(delimiter::parse("\\t"), Some(b'\t'));
    for bad in ["", ";;", "\"", "é"] {
        assert_eq!(delimiter::parse(bad), None, "{bad:?}");
    }
    assert_eq!(delimiter::describe(b';'), "';'");
    assert_eq!(delimiter::describe(b'\t'), "tab");
}

#[test]
fn semicolon_file_with_bom_loads_and_a_forced_delimiter_holds() {
    let text = "\u{feff}id;Prénom;Nom;Ville\n1;Jean;Dupont;Paris\n2;Marie;Curie;Lyon\n";
    let (config, loaded) = load_str(text.as_bytes(), MappingOptions::default()).unwrap();
    // The three columns' fields, and `generation`, which falls back on the names.
    assert_eq!(config.schema.len(), 4);
    assert_eq!(loaded.records.len(), 2);
    assert_eq!(loaded.records[1].value(&config.schema, "surname").unwrap(), Some("Curie"));
    let file = CsvFile::from_reader("f.csv", text.as_bytes(), None).unwrap();
    assert_eq!((file.delimiter(), file.delimiter_sniffed()), (b';', true));
    assert_eq!(file.headers(), ["id", "Prénom", "Nom", "Ville"]);
    // Forced to a comma, the header is one column.
    let file = CsvFile::from_reader("f.csv", text.as_bytes(), Some(b',')).unwrap();
    assert_eq!((file.delimiter(), file.delimiter_sniffed()), (b',', false));
    assert_eq!(file.headers().len(), 1);
    // A ragged semicolon row names the delimiter used.
    let err = load_error(b"id;surname;city\n1;Dupont;Paris\n2;Martin\n");
    assert_eq!(
        err.to_string(),
        "bad.csv: line 3 has 2 fields, the header has 3 (delimiter ';'); use --delimiter"
    );
}

// ---- source column ---------------------------------------------------------------

#[test]
fn source_column_gives_each_record_its_system() {
    let text = "id,source,surname\n1,crm,Dupont\n1,shop,Dupont\n2,,Martin\n";
    let file = CsvFile::from_reader("people.csv", text.as_bytes(), None).unwrap();
    let schema = person_schema();
    let options = MappingOptions { source_column: Some("Source"), ..Default::default() };
    let mapping = map_columns(file.headers(), &schema, options).unwrap();
    assert_eq!(mapping.source.as_ref().map(|c| c.index), Some(1));
    assert_eq!(pairs(&mapping), [("surname", "surname")], "the source is not matched on");
    assert!(mapping.report().iter().any(|l| l == "source column: source (not matched on)"));
    let layout = RowLayout::new(
        &schema,
        mapping.id.index,
        None,
        mapping.fields.iter().map(|m| (m.column.index, m.field.as_str())),
    )
    .unwrap()
    .with_source(mapping.source.as_ref().map(|c| c.index));
    let loaded = file.load(&schema, &layout, "people").unwrap();
    let refs: Vec<String> = loaded.records.iter().map(|r| r.source().to_string()).collect();
    assert_eq!(refs, ["crm:1", "shop:1", "people:2"], "an empty source falls back to the file");
    assert_eq!(loaded.empty_sources, 1);
    // Ids repeat across sources, not within one.
    let text = "id,source,surname\n1,crm,Dupont\n1,crm,Martin\n";
    let file = CsvFile::from_reader("people.csv", text.as_bytes(), None).unwrap();
    let err = file.load(&schema, &layout, "people").unwrap_err();
    assert_eq!(err.to_string(), "people.csv:3: duplicate id `crm:1` on lines 2 and 3");
    let err = map_columns(&headers("id,surname"), &schema, options).unwrap_err();
    assert!(matches!(&err, ColumnError::MissingSource { wanted, .. } if wanted == "Source"));
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
    write_clusters(&mut out, rows);
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
    for bad in ["-1", "many", "2.5", "1025", "100000"] {
        assert_eq!(
            err(&["in.csv", "--threads", bad]),
            ArgsError::InvalidValue {
                option: "--threads",
                value: bad.into(),
                expected: "an integer from 0 to 1024".into()
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
    let options = MappingOptions { truth_column: Some("truth"), ..Default::default() };
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
    write_clusters(&mut out, ids.zip(e.iter().copied()).map(|(id, e)| (id, e, e)));
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

#[test]
fn output_with_source_adds_a_fourth_column_and_link_mode_a_side() {
    let row = |id, source, side| output::Row { id, cluster: 0u32, household: 0u32, source, side };
    let write = |columns, rows: Vec<output::Row<'static, u32, u32>>| {
        let mut out = Vec::new();
        output::write_rows(&mut out, columns, rows).unwrap();
        String::from_utf8(out).unwrap()
    };
    let with_source = output::Columns { source: true, side: false };
    assert_eq!(
        write(with_source, vec![row("1", Some("crm"), None), row("1", Some("shop"), None)]),
        "rec_id,cluster_id,household_id,source\n1,0,0,crm\n1,0,0,shop\n"
    );
    let with_side = output::Columns { source: false, side: true };
    let (left, right) = (Some(output::Side::Left), Some(output::Side::Right));
    assert_eq!(
        write(with_side, vec![row("1", None, left), row("1", None, right)]),
        "rec_id,cluster_id,household_id,side\n1,0,0,left\n1,0,0,right\n"
    );
    let both = output::Columns { source: true, side: true };
    assert_eq!(
        write(both, vec![row("7", Some("a,b"), right)]),
        "rec_id,cluster_id,household_id,source,side\n7,0,0,\"a,b\",right\n"
    );
}

/// Writes `(id, cluster, household)` rows with no optional column.
fn write_clusters<'a, D: std::fmt::Display>(
    out: &mut Vec<u8>,
    rows: impl IntoIterator<Item = (&'a str, D, D)>,
) {
    let rows = rows.into_iter().map(|(id, cluster, household)| output::Row {
        id,
        cluster,
        household,
        source: None,
        side: None,
    });
    output::write_rows(out, output::Columns::default(), rows).unwrap();
}

// ---- new options ------------------------------------------------------------------

#[test]
fn reading_options_parse_and_bad_values_name_the_option() {
    use personlink::normalize::{Country, DateOrder};
    use reading::DateOrderChoice;
    let args = run_args(&[
        "in.csv",
        "--source-column",
        "source",
        "--delimiter",
        ";",
        "--country",
        "us",
        "--date-order=month-first",
    ]);
    assert_eq!(args.source_column.as_deref(), Some("source"));
    assert_eq!(args.delimiter, Some(b';'));
    assert_eq!(args.country, Some(Country::Us));
    assert_eq!(args.date_order, Some(DateOrderChoice::Fixed(DateOrder::MonthFirst)));
    assert_eq!(
        run_args(&["in.csv", "--date-order", "auto"]).date_order,
        Some(DateOrderChoice::Auto)
    );
    assert_eq!(run_args(&["in.csv", "--delimiter", "tab"]).delimiter, Some(b'\t'));
    let err = |list: &[&str]| args::parse(argv(list)).unwrap_err().to_string();
    assert_eq!(
        err(&["in.csv", "--date-order", "yes"]),
        "invalid value `yes` for `--date-order`: expected day-first, month-first or auto"
    );
    assert!(err(&["in.csv", "--country", "XX"])
        .starts_with("invalid value `XX` for `--country`: expected an ISO 3166-1 two-letter"));
    assert!(
        err(&["in.csv", "--delimiter", ";;"]).starts_with("invalid value `;;` for `--delimiter`")
    );
    assert_eq!(err(&["in.csv", "--no-train=yes"]), "option `--no-train` takes no value");
    // --print-config needs no input.
    match args::parse(argv(&["--print-config", "--country", "US"])) {
        Ok(Command::PrintConfig(a)) => assert_eq!(a.country, Some(Country::Us)),
        other => panic!("{other:?}"),
    }
    assert_eq!(args::parse(argv(&["--help", "--bogus"])), Ok(Command::Help));
}

// ---- configuration files ------------------------------------------------------------

#[test]
fn partial_configuration_overrides_only_what_it_names() {
    let file =
        config_file::from_override(r#"{"policy": {"match_threshold": {"probability": 0.9}}}"#)
            .unwrap();
    assert!(file.sets_threshold && !file.sets_schema);
    let mut expected = Config::person_default();
    expected.policy.match_threshold = personlink::cluster::Threshold::Probability(0.9);
    assert_eq!(file.config, expected);
    // Objects merge key by key, arrays replace.
    let file = config_file::from_override(
        r#"{"normalizers": {"phone": [{"type": "phone", "default_country": "US"}]}, "threads": 3}"#,
    )
    .unwrap();
    assert!(!file.sets_threshold);
    assert_eq!(file.config.threads, 3);
    assert_eq!(file.config.normalizers.len(), Config::person_default().normalizers.len());
    assert_eq!(file.config.normalizers["phone"].len(), 1);
    assert_eq!(file.config.schema, Config::person_default().schema);
    // A threshold given as a weight replaces the default one given as a probability.
    let file =
        config_file::from_override(r#"{"policy": {"match_threshold": {"weight": 5}}}"#).unwrap();
    assert_eq!(file.config.policy.match_threshold, personlink::cluster::Threshold::Weight(5.0));
    let mut base = serde_json::json!({"a": {"x": 1}, "b": [1, 2], "c": {"probability": 0.5}});
    config_file::merge(
        &mut base,
        serde_json::json!({"a": {"y": 2}, "b": [3], "c": {"weight": 1}, "d": true}),
    );
    assert_eq!(
        base,
        serde_json::json!({"a": {"x": 1, "y": 2}, "b": [3], "c": {"weight": 1}, "d": true})
    );
}

#[test]
fn printed_configuration_round_trips_as_a_full_override() {
    let json = config_file::to_pretty_json(&Config::person_default()).unwrap();
    let parsed: Config = serde_json::from_str(&json).unwrap();
    assert_eq!(parsed, Config::person_default());
    let file = config_file::from_override(&json).unwrap();
    assert!(file.sets_schema && file.sets_threshold);
    assert_eq!(file.config, Config::person_default());
    // A configuration of its own (a schema given) is not merged with the default's
    // entries for other fields.
    let small = Config::person_default().restrict_to_fields(&["given_name", "surname"]);
    let file = config_file::from_override(&serde_json::to_string(&small).unwrap()).unwrap();
    assert_eq!(file.config, small);
    // Nor are its missing parts filled from the default.
    let mut json = serde_json::to_value(&small).unwrap();
    json.as_object_mut().unwrap().remove("comparisons");
    let err = config_file::from_override(&json.to_string()).unwrap_err();
    assert!(err.contains("missing field `comparisons`"), "{err}");
}

#[test]
fn configuration_errors_name_the_key_path() {
    let err = |json: &str| config_file::from_override(json).unwrap_err();
    assert_eq!(
        err(r#"{"policy": {"match_threshold": 5}}"#),
        r#"invalid configuration: policy.match_threshold: expected {"weight": W} (log2 odds) or {"probability": P} with 0 < P < 1, found 5"#
    );
    let e = err(r#"{"policy": {"match_treshold": 5}}"#);
    assert!(e.starts_with("invalid configuration: policy.match_treshold: unknown field"), "{e}");
    let e = err(r#"{"blocking": {"max_block_size": "big"}}"#);
    assert!(e.starts_with("invalid configuration: blocking.max_block_size: invalid type"), "{e}");
    let e = err(r#"{"policy": {"match_threshold": {"probability": 1.5}}}"#);
    assert!(e.contains("policy.match_threshold") && e.contains("1.5"), "{e}");
    let e = err("[1, 2]");
    assert!(e.contains("expected a JSON object"), "{e}");
    let e = err("{");
    assert!(e.starts_with("invalid JSON: "), "{e}");
}

// ---- phone country and date order ----------------------------------------------------

/// The value field `field`'s normalizer chain gives `raw` under `config`.
fn normalized(config: &Config, field: &str, raw: &str) -> String {
    let kind = config.schema.fields().iter().find(|f| f.name == field).unwrap().kind;
    let specs = config
        .normalizers
        .get(field)
        .cloned()
        .unwrap_or_else(|| personlink::normalize::NormalizerSpec::defaults_for(kind));
    personlink::normalize::Pipeline::from_specs(&specs, field).unwrap().normalize_to_string(raw)
}

#[test]
fn country_and_date_order_reach_every_chain() {
    use personlink::normalize::{Country, DateOrder};
    let mut config = Config::person_default();
    assert_ne!(normalized(&config, "phone", "702-555-0143"), "+17025550143");
    assert_eq!(normalized(&config, "date_of_birth", "03/01/1970"), "1970-01-03");
    let before = config.clone();
    reading::apply_reading(&mut config, Some(Country::Us), Some(DateOrder::MonthFirst));
    assert_eq!(normalized(&config, "phone", "702-555-0143"), "+17025550143");
    assert_eq!(normalized(&config, "phone", "+1 702 555 0143"), "+17025550143");
    assert_eq!(normalized(&config, "date_of_birth", "03/01/1970"), "1970-03-01");
    assert_eq!(reading::configured_order(&config), DateOrder::MonthFirst);
    // Only the phone and date chains changed; the phone chain kept its placeholder step.
    assert_eq!(config.normalizers["phone"].len(), before.normalizers["phone"].len());
    let changed: Vec<&String> = config
        .normalizers
        .iter()
        .filter(|(k, v)| before.normalizers.get(*k) != Some(v))
        .map(|(k, _)| k)
        .collect();
    assert_eq!(changed, ["date_of_birth", "phone"]);
    config.validate().unwrap();
    // Nothing asked, nothing changed.
    let mut same = before.clone();
    reading::apply_reading(&mut same, None, None);
    assert_eq!(same, before);
}

#[test]
fn date_order_is_sniffed_from_the_date_column() {
    use personlink::normalize::DateOrder;
    use reading::{SniffReport, SniffedOrder};
    let sniff = |dates: &[&str]| {
        let mut text = String::from("id,surname,dob\n");
        for (i, d) in dates.iter().enumerate() {
            text.push_str(&format!("{i},X,{d}\n"));
        }
        let (config, loaded) = load_str(text.as_bytes(), MappingOptions::default()).unwrap();
        reading::sniff_order(&config, &loaded.records)
    };
    assert_eq!(sniff(&["01/02/1980", "12/31/1975"]), SniffedOrder::Found(DateOrder::MonthFirst));
    assert_eq!(sniff(&["01/02/1980", "31/12/1975"]), SniffedOrder::Found(DateOrder::DayFirst));
    assert_eq!(sniff(&["01/02/1980", "1975-12-31"]), SniffedOrder::NoEvidence);
    assert_eq!(sniff(&["31/12/1975", "12/31/1975"]), SniffedOrder::Contradictory);
    let report = SniffReport { sniffed: SniffedOrder::Contradictory, kept: DateOrder::DayFirst };
    assert_eq!(report.order(), DateOrder::DayFirst);
    assert!(report.to_string().contains("contradicts itself"), "{report}");
    assert!(report.to_string().ends_with("keeping day-first"), "{report}");
    let report = SniffReport {
        sniffed: SniffedOrder::Found(DateOrder::MonthFirst),
        kept: DateOrder::DayFirst,
    };
    assert_eq!(report.order(), DateOrder::MonthFirst);
    assert_eq!(report.to_string(), "date order: month-first (sniffed from the date column)");
}

// ---- the example binaries, run as processes ---------------------------------------------

/// The path of example `name`'s binary, beside this test's own build
/// (`target/<profile>/examples/<name>`), after [`build_examples`].
fn example(name: &str) -> PathBuf {
    let profile_dir = build_examples();
    profile_dir.join("examples").join(format!("{name}{}", std::env::consts::EXE_SUFFIX))
}

/// Runs `cargo build --examples` once per test process, in this test's build
/// directory and profile, so the binaries run are those of the current
/// sources even when only this test was built (`cargo test` has already built
/// them, and the call finds nothing to do). Cargo does not hold the build
/// directory's lock while tests run. Returns `target/<profile>`.
fn build_examples() -> &'static Path {
    static BUILT: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    BUILT.get_or_init(|| {
        let exe = std::env::current_exe().expect("the test binary has a path");
        let profile_dir =
            exe.parent().and_then(Path::parent).expect("target/<profile>/deps/<test>").to_owned();
        let target_dir = profile_dir.parent().expect("target/<profile>");
        let mut build = std::process::Command::new(env!("CARGO"));
        build
            .args(["build", "--quiet", "--examples"])
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .env("CARGO_TARGET_DIR", target_dir);
        if profile_dir.file_name().is_some_and(|p| p == "release") {
            build.arg("--release");
        }
        let mut child = build.spawn().expect("cargo runs");
        // Ten minutes at most (a build from scratch on a busy machine).
        for _ in 0..6000 {
            if let Some(status) = child.try_wait().expect("cargo can be waited on") {
                assert!(status.success(), "cargo build --examples failed");
                return profile_dir;
            }
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        let _ = child.kill();
        panic!("cargo build --examples did not finish in ten minutes");
    })
}

/// What a run of an example gave.
struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

/// Runs example `name` with `args`.
fn run_example(name: &str, args: &[&str]) -> Run {
    let output = std::process::Command::new(example(name))
        .args(args)
        .stdin(std::process::Stdio::null())
        .output()
        .expect("the example starts");
    Run {
        code: output.status.code(),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// A fresh directory for one test's files.
fn scratch_dir(test: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("personlink-cli-{}-{test}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("the temporary directory is writable");
    dir
}

/// Writes `bytes` to `dir/name` and returns the path as text.
fn write_file(dir: &Path, name: &str, bytes: &[u8]) -> String {
    let path = dir.join(name);
    std::fs::write(&path, bytes).expect("the temporary file is writable");
    path.to_str().expect("temporary paths are UTF-8").to_owned()
}

/// The `rec_id -> cluster_id` rows of a run's output.
fn clusters(stdout: &str) -> Vec<(String, String)> {
    stdout
        .lines()
        .skip(1)
        .map(|l| {
            let mut cells = l.split(',');
            (cells.next().unwrap().to_owned(), cells.next().unwrap().to_owned())
        })
        .collect()
}

const EXAMPLES: [&str; 5] = ["dedupe", "stream", "benchmark", "generate", "quickstart"];

#[test]
fn every_example_prints_help_and_exits_0() {
    for name in EXAMPLES {
        for flag in ["--help", "-h"] {
            let run = run_example(name, &[flag]);
            assert_eq!(run.code, Some(0), "{name} {flag}: {}", run.stderr);
            assert!(run.stdout.contains("Usage: "), "{name} {flag}: {}", run.stdout);
            assert!(run.stdout.contains(name), "{name} {flag}: {}", run.stdout);
            assert!(run.stderr.is_empty(), "{name} {flag}: {}", run.stderr);
        }
    }
}

#[test]
fn every_example_refuses_unknown_options_in_one_line_naming_them() {
    for name in EXAMPLES {
        let run = run_example(name, &["--frobnicate"]);
        assert_eq!(run.code, Some(2), "{name}: {}", run.stderr);
        assert_eq!(run.stderr.lines().count(), 1, "{name}: {}", run.stderr);
        assert!(run.stderr.contains("--frobnicate"), "{name}: {}", run.stderr);
        assert!(run.stdout.is_empty(), "{name}");
    }
    for (name, args) in [
        ("dedupe", &["in.csv", "--threads", "many"][..]),
        ("stream", &["in.csv", "--threshold", "high"]),
        ("benchmark", &["--people", "-3"]),
        ("generate", &["--preset", "medium"]),
    ] {
        let run = run_example(name, args);
        assert_eq!(run.code, Some(2), "{name}: {}", run.stderr);
        assert_eq!(run.stderr.lines().count(), 1, "{name}: {}", run.stderr);
        assert!(run.stderr.contains(args[args.len() - 2]), "{name}: {}", run.stderr);
    }
}

/// A small French file with semicolons; Jean Dupont twice.
const SEMICOLONS: &str = "id;Prénom;Nom;Date de naissance;Ville\n\
    1;Jean;Dupont;14/03/1980;Paris\n\
    2;Marie;Curie;07/11/1967;Lyon\n\
    3;Jean;Dupont;14/03/1980;Paris\n\
    4;Paul;Martin;01/01/1990;Marseille\n";

#[test]
fn dedupe_reads_a_semicolon_file_and_names_the_delimiter_of_a_ragged_one() {
    let dir = scratch_dir("semicolons");
    let input = write_file(&dir, "fr.csv", SEMICOLONS.as_bytes());
    let run = run_example("dedupe", &[&input, "--no-train"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(run.stderr.contains("columns separated by ';'"), "{}", run.stderr);
    let rows = clusters(&run.stdout);
    assert_eq!(rows.len(), 4);
    assert_eq!(rows[0].1, rows[2].1, "{}", run.stdout);
    assert_ne!(rows[0].1, rows[1].1, "{}", run.stdout);

    let ragged = format!("{SEMICOLONS}5;Luc;Petit;Bordeaux\n");
    let input = write_file(&dir, "ragged.csv", ragged.as_bytes());
    let run = run_example("dedupe", &[&input, "--no-train"]);
    assert_eq!(run.code, Some(2));
    assert_eq!(
        run.stderr.lines().last().unwrap(),
        format!("error: {input}: line 6 has 4 fields, the header has 5 (delimiter ';'); use --delimiter")
    );
    // Forcing the wrong delimiter leaves one column, which maps onto nothing.
    let input = write_file(&dir, "fr2.csv", SEMICOLONS.as_bytes());
    let run = run_example("dedupe", &[&input, "--delimiter", ",", "--no-train"]);
    assert_eq!(run.code, Some(2), "{}", run.stderr);
}

#[test]
fn dedupe_reads_windows_1252_with_one_warning() {
    let dir = scratch_dir("cp1252");
    let text = b"id;Pr\xe9nom;Nom;Ville\n1;Ren\xe9e;Lef\xe8vre;Orl\xe9ans\n2;Marie;Curie;Lyon\n3;Ren\xe9e;Lef\xe8vre;Orl\xe9ans\n";
    let input = write_file(&dir, "legacy.csv", text);
    let run = run_example("dedupe", &[&input, "--no-train", "--explain", "1", "3"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let warnings: Vec<&str> = run.stderr.lines().filter(|l| l.contains("Windows-1252")).collect();
    assert_eq!(
        warnings,
        [format!("{input}: warning: line 1 is not valid UTF-8; it and any other such line are read as Windows-1252")]
    );
    assert!(run.stderr.contains("Prénom -> given_name"), "{}", run.stderr);
    assert!(run.stderr.contains("renee"), "{}", run.stderr);
    let rows = clusters(&run.stdout);
    assert_eq!(rows[0].1, rows[2].1, "{}", run.stdout);
}

#[test]
fn dedupe_and_stream_take_the_source_from_a_column() {
    let dir = scratch_dir("source");
    let text = "id,source,given_name,surname,date_of_birth\n\
        17,crm,Jean,Dupont,1980-03-14\n\
        17,shop,Jean,Dupont,1980-03-14\n\
        18,crm,Marie,Curie,1967-11-07\n";
    let input = write_file(&dir, "people.csv", text.as_bytes());
    for name in ["dedupe", "stream"] {
        let run = run_example(name, &[&input, "--no-train", "--source-column", "source"]);
        assert_eq!(run.code, Some(0), "{name}: {}", run.stderr);
        let lines: Vec<&str> = run.stdout.lines().collect();
        assert_eq!(lines[0], "rec_id,cluster_id,household_id,source", "{name}");
        let sources: Vec<&str> =
            lines[1..4].iter().map(|l| l.rsplit(',').next().unwrap()).collect();
        assert_eq!(sources, ["crm", "shop", "crm"], "{name}");
        let cluster = |i: usize| lines[i].split(',').nth(1).unwrap();
        assert_eq!(cluster(1), cluster(2), "{name}: {}", run.stdout);
        assert_ne!(cluster(1), cluster(3), "{name}: {}", run.stdout);
    }
    // Without it, the repeated id 17 is refused.
    let run = run_example("dedupe", &[&input, "--no-train"]);
    assert_eq!(run.code, Some(2));
    assert!(run.stderr.contains("duplicate id `17` on lines 2 and 3"), "{}", run.stderr);
    // --explain takes a source reference.
    let run = run_example(
        "dedupe",
        &[&input, "--no-train", "--source-column", "source", "--explain", "shop:17", "crm:18"],
    );
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(run.stderr.contains("shop:17 vs crm:18"), "{}", run.stderr);
}

#[test]
fn print_config_writes_the_default_configuration() {
    let run = run_example("dedupe", &["--print-config"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let config: Config = serde_json::from_str(&run.stdout).expect("the output is a Config");
    assert_eq!(config, Config::person_default());
    // With --country, the phone chain reads US numbers.
    let run = run_example("dedupe", &["--print-config", "--country", "US"]);
    let config: Config = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(normalized(&config, "phone", "702-555-0143"), "+17025550143");
    // The benchmark's still works.
    let run = run_example("benchmark", &["--print-config"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let config: Config = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(config.schema, Config::person_default().schema);
}

#[test]
fn partial_config_changes_the_run_and_a_bare_threshold_is_explained() {
    let dir = scratch_dir("partial");
    let input = write_file(&dir, "fr.csv", SEMICOLONS.as_bytes());
    let run = run_example("dedupe", &[&input]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let default_threshold = run.stderr.lines().find(|l| l.starts_with("match threshold")).unwrap();
    assert_eq!(default_threshold, "match threshold: weight +0.00");

    let partial = write_file(
        &dir,
        "partial.json",
        br#"{"policy": {"match_threshold": {"probability": 0.9}}}"#,
    );
    let run = run_example("dedupe", &[&input, "--config", &partial]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let threshold = run.stderr.lines().find(|l| l.starts_with("match threshold")).unwrap();
    assert_eq!(threshold, "match threshold: weight +3.17", "log2(0.9 / 0.1)");
    // Fitted to the columns present, as without --config.
    assert!(!run.stderr.contains("always missing"), "{}", run.stderr);

    // A threshold no pair reaches splits the duplicates.
    let strict =
        write_file(&dir, "strict.json", br#"{"policy": {"match_threshold": {"weight": 80}}}"#);
    let run = run_example("dedupe", &[&input, "--no-train", "--config", &strict]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let rows = clusters(&run.stdout);
    assert_ne!(rows[0].1, rows[2].1, "{}", run.stdout);

    let bare = write_file(&dir, "bare.json", br#"{"policy": {"match_threshold": 5}}"#);
    let run = run_example("dedupe", &[&input, "--config", &bare]);
    assert_eq!(run.code, Some(2));
    assert_eq!(
        run.stderr.lines().last().unwrap(),
        format!(
            r#"error: {bare}: invalid configuration: policy.match_threshold: expected {{"weight": W}} (log2 odds) or {{"probability": P}} with 0 < P < 1, found 5"#
        )
    );
}

#[test]
fn country_us_makes_national_and_international_numbers_one() {
    let dir = scratch_dir("country");
    let text = "id,given_name,surname,phone\n1,Ann,Lowe,702-555-0143\n2,Ann,Lowe,+1 702 555 0143\n";
    let input = write_file(&dir, "us.csv", text.as_bytes());
    let phone_line = |run: &Run| {
        run.stderr
            .lines()
            .find(|l| l.trim_start().starts_with("phone ") && l.contains('|'))
            .map(str::to_owned)
    };
    let run = run_example("dedupe", &[&input, "--no-train", "--explain", "1", "2"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let line = phone_line(&run).expect("the explanation has a phone line");
    assert!(line.contains("7025550143 | +17025550143"), "{line}");
    let run =
        run_example("dedupe", &[&input, "--no-train", "--country", "US", "--explain", "1", "2"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let line = phone_line(&run).expect("the explanation has a phone line");
    assert!(line.contains("+17025550143 | +17025550143  exact"), "{line}");
    let rows = clusters(&run.stdout);
    assert_eq!(rows[0].1, rows[1].1, "{}", run.stdout);
}

#[test]
fn date_order_auto_reads_a_month_first_file() {
    let dir = scratch_dir("dates");
    let text = "id,given_name,surname,date_of_birth\n\
        1,Ann,Lowe,03/01/1970\n\
        2,Ann,Lowe,1970-03-01\n\
        3,Bob,Reyes,12/31/1985\n";
    let input = write_file(&dir, "us.csv", text.as_bytes());
    let date_line = |run: &Run| {
        run.stderr
            .lines()
            .find(|l| l.trim_start().starts_with("date_of_birth ") && l.contains('|'))
            .map(str::to_owned)
            .expect("the explanation has a date line")
    };
    let run = run_example("dedupe", &[&input, "--no-train", "--explain", "1", "2"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(date_line(&run).contains("1970-01-03 | 1970-03-01"), "{}", date_line(&run));
    for name in ["dedupe", "stream"] {
        let mut args = vec![input.as_str(), "--no-train", "--date-order", "auto"];
        if name == "dedupe" {
            args.extend(["--explain", "1", "2"]);
        }
        let run = run_example(name, &args);
        assert_eq!(run.code, Some(0), "{name}: {}", run.stderr);
        assert!(
            run.stderr.contains("date order: month-first (sniffed from the date column)"),
            "{name}: {}",
            run.stderr
        );
        if name == "dedupe" {
            assert!(date_line(&run).contains("1970-03-01 | 1970-03-01"), "{}", date_line(&run));
        }
    }
    // A column without evidence keeps the default and says so.
    let text = "id,surname,date_of_birth\n1,Lowe,03/01/1970\n2,Lowe,1970-03-01\n";
    let input = write_file(&dir, "vague.csv", text.as_bytes());
    let run = run_example("dedupe", &[&input, "--no-train", "--date-order", "auto"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(run.stderr.contains("gives no evidence"), "{}", run.stderr);
    assert!(run.stderr.contains("keeping day-first"), "{}", run.stderr);
}

#[test]
fn date_order_auto_sniffs_each_source_on_its_own() {
    let dir = scratch_dir("source-dates");
    // The French shop writes day first (31/12), the American CRM month first (12/31);
    // the column as a whole contradicts itself, each source does not.
    let text = "id,source,given_name,surname,date_of_birth\n\
        1,us_crm,Ann,Lowe,03/01/1970\n\
        2,us_crm,Bob,Reyes,12/31/1985\n\
        3,fr_shop,Ann,Lowe,1970-03-01\n\
        4,fr_shop,Jean,Morel,31/12/1985\n\
        5,fr_shop,Marie,Morel,04/05/1990\n";
    let input = write_file(&dir, "mixed.csv", text.as_bytes());
    let args = [
        input.as_str(),
        "--no-train",
        "--source-column",
        "source",
        "--date-order",
        "auto",
        "--explain",
        "us_crm:1",
        "fr_shop:3",
    ];
    let run = run_example("dedupe", &args);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(run.stderr.contains("contradicts itself"), "{}", run.stderr);
    assert!(run.stderr.contains("date order of source `us_crm`: month-first"), "{}", run.stderr);
    assert!(!run.stderr.contains("date order of source `fr_shop`"), "{}", run.stderr);
    let line = run
        .stderr
        .lines()
        .find(|l| l.trim_start().starts_with("date_of_birth ") && l.contains('|'))
        .expect("the explanation has a date line");
    assert!(line.contains("1970-03-01 | 1970-03-01"), "{line}");
}

// ---- unclosed quotes, output paths, link sides, bounds ---------------------------------

#[test]
fn an_unclosed_quote_is_named_with_the_line_it_opens_on() {
    // The reader would take the rest of the file as one field: a row too short.
    let err = load_error(b"id,surname\n1,Dupont\n2,\"Martin\n3,Petit\n4,Durand\n");
    assert!(matches!(err.kind, InputErrorKind::UnclosedQuote), "{err:?}");
    assert_eq!(err.line, Some(3));
    assert_eq!(
        err.to_string(),
        "bad.csv:3: a quoted field opens here and is never closed (a closing `\"` is missing): the rest of the file would be one field"
    );
    // In the last field of the last row the count fits: still refused.
    let err = load_error(b"id,surname\n1,Dupont\n2,\"Martin\n");
    assert!(matches!(err.kind, InputErrorKind::UnclosedQuote), "{err:?}");
    assert_eq!(err.line, Some(3));
    // A quoted field over two lines that closes, and a ragged row before an
    // unclosed quote, keep their own errors.
    let options = MappingOptions::default();
    let (_, loaded) = load_str(b"id,surname\n1,\"Du\npont\"\n2,Martin\n", options).unwrap();
    assert_eq!(loaded.records.len(), 2);
    let err = load_error(b"id,surname\n1,Dupont,x\n2,\"Martin\n");
    assert!(matches!(err.kind, InputErrorKind::Ragged { .. }), "{err:?}");
    assert_eq!(err.line, Some(2));
}

#[test]
fn the_quote_watch_follows_the_reader_s_quoting_rules() {
    use std::io::Read;
    let open = |text: &str| {
        let mut watch = open_quote::QuoteWatch::new(text.as_bytes(), b',');
        let mut seen = Vec::new();
        watch.read_to_end(&mut seen).unwrap();
        assert_eq!(seen, text.as_bytes(), "bytes pass through unchanged");
        watch.open_quote().map(|q| (q.line, q.row_line))
    };
    assert_eq!(open("a,b\n1,2\n"), None);
    assert_eq!(open("a,b\n1,\"x\ny\"\n2,3\n"), None, "closed on the next line");
    assert_eq!(open("a,b\n1,\"say \"\"hi\"\"\"\n"), None, "doubled quotes");
    assert_eq!(open("a,b\n1,x\"y\n"), None, "a quote inside a field is text");
    assert_eq!(open("a,b\n1,2\n3,\"open\n4,5\n"), Some((3, 3)));
    assert_eq!(open("a,b\r\n\r\n1,\"x\ny\",\"z\n"), Some((4, 3)), "opened in a row of two lines");
    let mut semicolons = open_quote::QuoteWatch::new(&b"a;b\n1;\"x,y\n"[..], b';');
    semicolons.finish().unwrap();
    assert_eq!(semicolons.open_quote().map(|q| q.line), Some(2));
}

#[test]
fn atomic_writes_leave_the_old_file_and_nothing_else_on_failure() {
    let dir = scratch_dir("atomic");
    let path = dir.join("out.csv");
    std::fs::write(&path, "old\n").unwrap();
    let err = atomic_file::write_atomically(&path, |out| {
        use std::io::Write;
        out.write_all(b"half a fi")?;
        Err(std::io::Error::other("disk full"))
    })
    .unwrap_err();
    assert!(err.contains("out.csv") && err.contains("disk full"), "{err}");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "old\n");
    let names = |dir: &Path| {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    };
    assert_eq!(names(&dir), ["out.csv"], "no temporary file left");
    atomic_file::write_atomically(&path, |out| {
        use std::io::Write;
        out.write_all(b"new\n")
    })
    .unwrap();
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "new\n");
    assert_eq!(names(&dir), ["out.csv"]);
}

#[cfg(unix)]
#[test]
fn atomic_writes_follow_links_and_write_devices_in_place() {
    let dir = scratch_dir("atomic-links");
    let target = dir.join("real.csv");
    std::fs::write(&target, "old\n").unwrap();
    let link = dir.join("link.csv");
    std::os::unix::fs::symlink(&target, &link).unwrap();
    atomic_file::check_outputs([("--output", link.as_path())]).unwrap();
    atomic_file::write_atomically(&link, |out| {
        use std::io::Write;
        out.write_all(b"new\n")
    })
    .unwrap();
    assert!(std::fs::symlink_metadata(&link).unwrap().file_type().is_symlink(), "link kept");
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "new\n");
    // A device is written, never replaced by a regular file.
    let null = Path::new("/dev/null");
    atomic_file::check_outputs([("--output", null)]).unwrap();
    atomic_file::write_atomically(null, |out| {
        use std::io::Write;
        out.write_all(b"gone\n")
    })
    .unwrap();
    assert!(!std::fs::metadata(null).unwrap().is_file(), "/dev/null is still a device");
}

#[test]
fn output_paths_are_checked_before_anything_is_written() {
    let dir = scratch_dir("check-outputs");
    let missing = dir.join("no-such-dir").join("out.csv");
    let err = atomic_file::check_outputs([("--output", missing.as_path())]).unwrap_err();
    assert!(err.starts_with("--output ") && err.contains("no-such-dir"), "{err}");
    let err = atomic_file::check_outputs([("--snapshot", dir.as_path())]).unwrap_err();
    assert!(err.starts_with("--snapshot ") && err.ends_with("is a directory"), "{err}");
    let a = dir.join("a.json");
    let same = dir.join(".").join("a.json");
    let err =
        atomic_file::check_outputs([("--output", a.as_path()), ("--save-model", same.as_path())])
            .unwrap_err();
    assert!(err.starts_with("--output and --save-model both write"), "{err}");
    let b = dir.join("b.json");
    atomic_file::check_outputs([("--output", a.as_path()), ("--save-model", b.as_path())]).unwrap();
    assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 0, "a check writes nothing");
}

#[test]
fn stream_writes_a_valid_csv_and_its_summary_to_the_terminal() {
    let dir = scratch_dir("stream-output");
    let input = write_file(&dir, "people.csv", PEOPLE.as_bytes());
    let output = dir.join("clusters.csv");
    let snapshot = dir.join("snapshot.json");
    let (out, snap) = (output.to_str().unwrap(), snapshot.to_str().unwrap());
    let run = run_example("stream", &[&input, "--no-train", "--output", out, "--snapshot", snap]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let csv = std::fs::read_to_string(&output).unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines[0], "rec_id,cluster_id,household_id");
    assert_eq!(lines.len(), 7, "the header and six rows, nothing else: {csv}");
    assert!(lines.iter().all(|l| l.split(',').count() == 3), "{csv}");
    assert!(run.stdout.is_empty(), "{}", run.stdout);
    let summary = run.stderr.lines().last().unwrap();
    assert!(summary.starts_with("{\"records\": 6, \"p50_us\": "), "{}", run.stderr);
    assert!(std::fs::metadata(&snapshot).unwrap().len() > 0);
    // Without --output, standard output is the CSV alone too.
    let run = run_example("stream", &[&input, "--no-train"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert_eq!(run.stdout.lines().count(), 7, "{}", run.stdout);
    assert!(run.stderr.lines().last().unwrap().starts_with("{\"records\": 6"));
}

#[test]
fn a_bad_output_path_fails_before_the_run_and_writes_nothing() {
    let dir = scratch_dir("bad-paths");
    let input = write_file(&dir, "people.csv", PEOPLE.as_bytes());
    let good = dir.join("clusters.csv");
    let good = good.to_str().unwrap();
    let nowhere = dir.join("missing").join("x.json");
    let nowhere = nowhere.to_str().unwrap();
    for (name, args) in [
        ("stream", vec![input.as_str(), "--output", good, "--snapshot", nowhere]),
        ("stream", vec![input.as_str(), "--output", nowhere]),
        ("dedupe", vec![input.as_str(), "--output", nowhere]),
        ("dedupe", vec![input.as_str(), "--output", good, "--save-model", nowhere]),
        ("dedupe", vec![input.as_str(), "--output", good, "--save-model", good]),
        ("generate", vec!["--people", "10", "--output", nowhere]),
    ] {
        let run = run_example(name, &args);
        assert_eq!(run.code, Some(2), "{name} {args:?}: {}", run.stderr);
        // One line: the error, before any column mapping, loading or training.
        assert_eq!(run.stderr.lines().count(), 1, "{name} {args:?}: {}", run.stderr);
        let option =
            if args.contains(&"--save-model") { "--save-model" } else { args[args.len() - 2] };
        assert!(run.stderr.contains(option), "{name} {args:?}: {}", run.stderr);
        let mut left: Vec<_> =
            std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().file_name()).collect();
        left.sort();
        assert_eq!(left, ["people.csv"], "{name} {args:?}: nothing written");
    }
}

#[test]
fn link_mode_says_each_row_s_side() {
    let dir = scratch_dir("link-sides");
    let input = write_file(&dir, "people.csv", PEOPLE.as_bytes());
    let run = run_example("dedupe", &[&input, "--link", &input, "--no-train"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines[0], "rec_id,cluster_id,household_id,side");
    let rows: Vec<Vec<&str>> = lines[1..].iter().map(|l| l.split(',').collect()).collect();
    assert_eq!(rows.len(), 12);
    for (i, row) in rows.iter().enumerate() {
        assert_eq!(row[3], if i < 6 { "left" } else { "right" }, "{}", run.stdout);
        // Each record meets its own copy on the other side.
        assert_eq!(row[0], rows[(i + 6) % 12][0]);
        assert_eq!(row[1], rows[(i + 6) % 12][1], "{}", run.stdout);
    }
    assert!(args::USAGE.contains("side, with --link"));
}

#[test]
fn out_of_range_threads_thresholds_and_rule_less_inputs_are_refused_by_name() {
    let dir = scratch_dir("bounds");
    let input = write_file(&dir, "people.csv", PEOPLE.as_bytes());
    for (name, args, named) in [
        ("dedupe", vec![input.as_str(), "--threads", "100000"], "--threads"),
        ("benchmark", vec!["--threads", "100000"], "--threads"),
        ("dedupe", vec![input.as_str(), "--threshold", "1e308"], "--threshold"),
        ("stream", vec![input.as_str(), "--threshold", "-1e308"], "--threshold"),
        ("benchmark", vec!["--threshold", "1e308"], "--threshold"),
    ] {
        let run = run_example(name, &args);
        assert_eq!(run.code, Some(2), "{name} {args:?}: {}", run.stderr);
        assert!(run.stderr.contains(named), "{name} {args:?}: {}", run.stderr);
        assert!(run.stderr.contains("1024") || run.stderr.contains("1000"), "{}", run.stderr);
    }
    let threads = write_file(&dir, "threads.json", br#"{"threads": 100000}"#);
    let run = run_example("dedupe", &[&input, "--config", &threads, "--no-train"]);
    assert_eq!(run.code, Some(2), "{}", run.stderr);
    assert!(run.stderr.contains("`threads`") && run.stderr.contains("1024"), "{}", run.stderr);
    // No blocking rule reads only gender and city.
    let rule_less = write_file(&dir, "few.csv", b"id,gender,city\n1,F,Paris\n2,F,Paris\n");
    for name in ["dedupe", "stream"] {
        let run = run_example(name, &[&rule_less, "--no-train"]);
        assert_eq!(run.code, Some(2), "{name}: {}", run.stderr);
        assert!(run.stderr.contains("blocking.rules: no blocking rule"), "{name}: {}", run.stderr);
    }
}

#[test]
fn typos_inside_tagged_entries_are_named_with_their_path() {
    let err = |json: &str| config_file::from_override(json).unwrap_err();
    let e = err(r#"{"golden": {"default": {"type": "most_recent", "systems": ["crm"]}}}"#);
    assert!(e.contains("golden.default") && e.contains("unknown field `systems`"), "{e}");
    let mut full = serde_json::to_value(Config::person_default()).unwrap();
    full["comparisons"][0]["levels"][0] = serde_json::json!({"type": "exact", "min": 0.9});
    let e = err(&full.to_string());
    assert!(e.contains("comparisons[0].levels[0]") && e.contains("unknown field `min`"), "{e}");
    let mut full = serde_json::to_value(Config::person_default()).unwrap();
    full["blocking"]["rules"][1]["parts"][0]["transform"] =
        serde_json::json!({"type": "exact", "len": 1});
    let e = err(&full.to_string());
    assert!(
        e.contains("blocking.rules[1].parts[0].transform") && e.contains("unknown field `len`"),
        "{e}"
    );
}
