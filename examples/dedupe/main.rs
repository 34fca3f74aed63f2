//! Finds duplicate person records in a CSV file, or links two CSV files, with personlink.
//!
//! ```text
//! cargo run --release --example dedupe -- INPUT.csv [--link OTHER.csv] [--id-column COL]
//!     [--source-column COL] [--delimiter C] [--country CC] [--date-order ORDER]
//!     [--config FILE.json] [--output OUT.csv] [--explain ID1 ID2] [--truth-column COL]
//!     [--threads N] [--model FILE.json | --no-train] [--save-model FILE.json] [--threshold W]
//! cargo run --release --example dedupe -- --print-config [--config FILE.json]
//! ```
//!
//! The person profile ([`personlink::Config::person_default`]), with a
//! `--config` file merged over it, is fitted to the columns present, which map
//! onto its fields by their English or French names; `--help` lists every
//! option. The result, `rec_id,cluster_id,household_id` with one row per input
//! record in input order, goes to `--output` or standard output; the column
//! mapping and a run summary go to standard error. Any error is one line on
//! standard error and exit code 2.
//!
//! Unless given `--model` or `--no-train`, the model is trained on the input
//! first; the training report and a table of the weights go to standard error.

mod args;
mod atomic_file;
mod columns;
mod config_file;
mod csv_input;
mod delimiter;
mod model_choice;
mod open_quote;
mod output;
mod reading;
mod weights;
mod windows_1252;

use std::ffi::OsString;
use std::fs::File;
use std::io::{self, Write};
use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

use personlink::block::CapCause;
use personlink::eval::{pairwise, pairwise_cross};
use personlink::{Config, Linker, Record, Schema, StagedRecords};

use args::{Args, Command};
use columns::{ColumnMapping, MappingOptions};
use csv_input::{CsvFile, Loaded, RowLayout};
use model_choice::{obtain_model, ModelSource};
use reading::DateOrderChoice;

/// Runs the command; errors print as one line and exit with code 2.
fn main() -> ExitCode {
    match run(std::env::args_os().skip(1)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::from(2)
        }
    }
}

/// Parses the arguments and does the whole run; the error is the message to print.
fn run(argv: impl IntoIterator<Item = OsString>) -> Result<(), String> {
    let args = match args::parse(argv) {
        Ok(Command::Run(args)) => args,
        Ok(Command::Help) => {
            return io::stdout()
                .write_all(args::USAGE.as_bytes())
                .map_err(|e| format!("cannot write to standard output: {e}"));
        }
        Ok(Command::PrintConfig(args)) => return print_config(&args),
        Err(e) => return Err(format!("{e} (run with --help for usage)")),
    };
    // Outputs first: a path that cannot be written fails now, not after the run.
    let outputs = [("--output", &args.output), ("--save-model", &args.save_model)];
    atomic_file::check_outputs(
        outputs.iter().filter_map(|(option, path)| Some((*option, path.as_deref()?))),
    )?;

    // Headers first: the schema depends on the columns present.
    let left = open_csv(&args.input, args.delimiter)?;
    let right = args.link.as_deref().map(|path| open_csv(path, args.delimiter)).transpose()?;
    let file = args.config.as_deref().map(config_file::load).transpose()?;
    let base = file.as_ref().map_or_else(Config::person_default, |f| f.config.clone());
    // A configuration that gives its own schema is used as it is.
    let fitted = file.as_ref().is_none_or(|f| !f.sets_schema);
    let options = MappingOptions {
        id_column: args.id_column.as_deref(),
        truth_column: args.truth_column.as_deref(),
        source_column: args.source_column.as_deref(),
    };
    let map = |file: &CsvFile<File>| {
        columns::map_columns(file.headers(), &base.schema, options)
            .map_err(|e| format!("{}: {e}", file.name()))
    };
    let left_map = map(&left)?;
    let right_map = right.as_ref().map(map).transpose()?;

    let mut config = if !fitted {
        base.clone()
    } else {
        // The person profile, restricted to the fields some file fills.
        let present: Vec<&str> = base
            .schema
            .fields()
            .iter()
            .map(|f| f.name.as_str())
            .filter(|name| {
                std::iter::once(&left_map)
                    .chain(&right_map)
                    .any(|m| m.present_fields().contains(name))
            })
            .collect();
        base.restrict_to_fields(&present)
    };
    if let Some(threads) = args.threads {
        config.threads = threads;
    }
    let fixed_order = match args.date_order {
        Some(DateOrderChoice::Fixed(order)) => Some(order),
        _ => None,
    };
    reading::apply_reading(&mut config, args.country, fixed_order);
    let named = |e: &dyn std::fmt::Display| match &args.config {
        Some(path) => format!("{}: {e}", path.display()),
        None => format!("default configuration: {e}"),
    };
    config.validate().map_err(|e| named(&e))?;
    // A run with no blocking rule would compare nothing: refused here (the
    // library accepts it, for hosts that score pairs they choose themselves).
    if let Some(warning) = config.warnings().first() {
        let why = if fitted { " (no rule reads only fields the input's columns fill)" } else { "" };
        return Err(named(&format_args!("{warning}{why}")));
    }
    let schema = &config.schema;

    for (file, mapping) in
        std::iter::once((&left, &left_map)).chain(right.as_ref().zip(right_map.as_ref()))
    {
        for line in mapping.report() {
            eprintln!("{}: {line}", file.name());
        }
    }
    if !fitted {
        let unfilled: Vec<&str> = schema
            .fields()
            .iter()
            .map(|f| f.name.as_str())
            .filter(|name| {
                !std::iter::once(&left_map)
                    .chain(&right_map)
                    .any(|m| m.present_fields().contains(name))
            })
            .collect();
        if !unfilled.is_empty() {
            eprintln!("fields no column fills (always missing): {}", unfilled.join(", "));
        }
    }

    // Then the rows.
    let (left_system, right_system) = system_names(&args.input, args.link.as_deref());
    let left = load(left, &left_map, schema, &left_system)?;
    let right = match (right, &right_map) {
        (Some(file), Some(mapping)) => Some(load(file, mapping, schema, &right_system)?),
        _ => None,
    };
    if args.date_order == Some(DateOrderChoice::Auto) {
        let records = left.records.iter().chain(right.iter().flat_map(|r| &r.records));
        for line in reading::apply_sniffed_order(&mut config, records) {
            eprintln!("{line}");
        }
    }
    let threshold_set = file.as_ref().is_some_and(|f| f.sets_threshold);
    let (linker, staged) = choose_model(config, &args, &left, right.as_ref(), threshold_set)?;
    let sides: Vec<&Loaded> = std::iter::once(&left).chain(&right).collect();

    let explain = match &args.explain {
        Some((id1, id2)) => {
            let mut reversed = sides.clone();
            reversed.reverse();
            Some((find_record(id1, &sides, &args)?, find_record(id2, &reversed, &args)?))
        }
        None => None,
    };

    // Trained on the input: the records staged for training serve the run.
    let result = match (staged, &right) {
        (Some(mut staged), _) => linker.run_staged(&mut staged),
        (None, None) => linker.dedupe(&left.records),
        (None, Some(right)) => linker.link(&left.records, &right.records),
    }
    .map_err(|e| e.to_string())?;

    // In link mode each row says its side: the two files may share ids.
    let side_of = |i: usize| match &right {
        None => None,
        Some(_) if i < left.records.len() => Some(output::Side::Left),
        Some(_) => Some(output::Side::Right),
    };
    let sources = sides.iter().flat_map(|s| &s.records).map(|r| r.source());
    let rows = sources
        .zip(result.entity_of.iter().copied())
        .zip(result.household_of.iter().copied())
        .enumerate()
        .map(|(i, ((source, entity), household))| output::Row {
            id: source.id.as_str(),
            cluster: entity,
            household,
            source: args.source_column.is_some().then_some(source.system.as_str()),
            side: side_of(i),
        });
    let columns = output::Columns { source: args.source_column.is_some(), side: right.is_some() };
    match &args.output {
        Some(path) => {
            atomic_file::write_atomically(path, |out| output::write_rows(out, columns, rows))?
        }
        None => output::write_rows(&mut io::stdout().lock(), columns, rows)
            .map_err(|e| format!("cannot write to standard output: {e}"))?,
    }

    let stats = &result.stats;
    eprintln!("{stats}");
    if !stats.pairs_by_rule.is_empty() {
        let by_rule: Vec<String> =
            stats.pairs_by_rule.iter().map(|(rule, n)| format!("{rule} {n}")).collect();
        eprintln!("candidate pairs by rule: {}", by_rule.join(", "));
    }
    // Keys are personal data: their shapes by default, their values on request.
    for block in &stats.capped_blocks {
        let key = if args.show_keys { format!("{:?}", block.key) } else { block.key_shape() };
        let over =
            if block.cause == CapCause::PairCeiling { ", over the pair ceiling" } else { "" };
        eprintln!(
            "capped block: rule {}, key {key}, {} records (not compared{over})",
            block.rule, block.records
        );
    }

    if let Some((a, b)) = explain {
        let explanation = linker.explain(a, b).map_err(|e| e.to_string())?;
        eprintln!("{explanation}");
    }

    if args.truth_column.is_some() {
        // A record with an empty truth value is its own entity.
        let truth: Vec<(Option<&str>, usize)> = sides
            .iter()
            .flat_map(|s| s.truth.iter().flatten())
            .enumerate()
            .map(|(i, t)| match t {
                Some(t) => (Some(t.as_str()), 0),
                None => (None, i),
            })
            .collect();
        if truth.len() != result.entity_of.len() {
            return Err("internal error: one truth label per record expected".to_owned());
        }
        let metrics = match &right {
            None => pairwise(&result.entity_of, &truth),
            Some(_) => {
                let is_left: Vec<bool> = (0..truth.len()).map(|i| i < left.records.len()).collect();
                pairwise_cross(&result.entity_of, &truth, &is_left)
            }
        };
        let line = output::metrics_line(&metrics);
        eprintln!("{metrics}");
        eprintln!("{line}");
        if args.output.is_some() {
            writeln!(io::stdout(), "{line}")
                .map_err(|e| format!("cannot write to standard output: {e}"))?;
        }
    }
    Ok(())
}

/// `--print-config`: the default configuration, with `--config` merged over it
/// and `--country` / `--date-order` applied, as pretty JSON on standard output.
fn print_config(args: &Args) -> Result<(), String> {
    let mut config = match &args.config {
        Some(path) => config_file::load(path)?.config,
        None => Config::person_default(),
    };
    if let Some(threads) = args.threads {
        config.threads = threads;
    }
    let order = match args.date_order {
        Some(DateOrderChoice::Fixed(order)) => Some(order),
        Some(DateOrderChoice::Auto) => {
            return Err("--print-config cannot sniff the date order (--date-order auto needs the input): give day-first or month-first".to_owned());
        }
        None => None,
    };
    reading::apply_reading(&mut config, args.country, order);
    let json = config_file::to_pretty_json(&config)?;
    writeln!(io::stdout(), "{json}").map_err(|e| format!("cannot write to standard output: {e}"))
}

/// Opens a CSV file and reads its header; says which delimiter was sniffed
/// when it is not a comma.
fn open_csv(path: &Path, delimiter: Option<u8>) -> Result<CsvFile<File>, String> {
    let file = CsvFile::open(path, delimiter).map_err(|e| e.to_string())?;
    if file.delimiter_sniffed() && file.delimiter() != b',' {
        eprintln!(
            "{}: columns separated by {} (sniffed; --delimiter sets it)",
            file.name(),
            delimiter::describe(file.delimiter())
        );
    }
    Ok(file)
}

/// The source-system names: the file stems, or `left`/`right` when the stems are equal.
fn system_names(left: &Path, right: Option<&Path>) -> (String, String) {
    let stem = |p: &Path| {
        p.file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| "input".to_owned())
    };
    let l = stem(left);
    match right.map(stem) {
        Some(r) if r == l => ("left".to_owned(), "right".to_owned()),
        Some(r) => (l, r),
        None => (l, String::new()),
    }
}

/// Reads a file's rows with the columns `mapping` chose, and reports the count and time.
fn load(
    file: CsvFile<File>,
    mapping: &ColumnMapping,
    schema: &Schema,
    system: &str,
) -> Result<Loaded, String> {
    let started = Instant::now();
    let name = file.name().to_owned();
    let layout = RowLayout::new(
        schema,
        mapping.id.index,
        mapping.truth.as_ref().map(|c| c.index),
        mapping.fields.iter().map(|m| (m.column.index, m.field.as_str())),
    )
    .map_err(|e| format!("{name}: {e}"))?
    .with_source(mapping.source.as_ref().map(|c| c.index));
    let loaded = file.load(schema, &layout, system).map_err(|e| e.to_string())?;
    for warning in loaded.warnings(&name, system) {
        eprintln!("{warning}");
    }
    eprintln!(
        "{name}: {} records loaded in {:.3}s",
        loaded.records.len(),
        started.elapsed().as_secs_f64()
    );
    if loaded.records.is_empty() {
        eprintln!("{name}: warning: no data rows");
    }
    if let Some(truth) = &loaded.truth {
        let unlabeled = truth.iter().filter(|t| t.is_none()).count();
        if unlabeled > 0 {
            eprintln!("{name}: {unlabeled} records have an empty truth value (each counts as its own entity)");
        }
    }
    Ok(loaded)
}

/// The first record with source id `id` (or source reference `system:id`),
/// searching `sides` in order.
fn find_record<'a>(
    id: &str,
    sides: &[&'a Loaded],
    args: &args::Args,
) -> Result<&'a Record, String> {
    let matches = |r: &&Record| {
        let s = r.source();
        s.id == id
            || id.strip_prefix(s.system.as_str()).and_then(|i| i.strip_prefix(':')) == Some(&s.id)
    };
    sides.iter().flat_map(|s| &s.records).find(matches).ok_or_else(|| {
        let files = match &args.link {
            Some(link) => format!("{} or {}", args.input.display(), link.display()),
            None => args.input.display().to_string(),
        };
        format!("--explain: no record with id `{id}` in {files}")
    })
}

/// Puts the model to use in the configuration: loaded (`--model`), the
/// configuration's own (`--no-train`), or trained on the input; applies the
/// threshold (`--threshold`, else the one training suggests unless the
/// `--config` file set it); prints the weights and saves the model
/// (`--save-model`). Returns the linker, and the input as staged for training
/// when it was trained on.
fn choose_model(
    mut config: Config,
    args: &Args,
    left: &Loaded,
    right: Option<&Loaded>,
    threshold_set: bool,
) -> Result<(Linker, Option<StagedRecords>), String> {
    let source = match (&args.model, args.no_train) {
        (Some(path), _) => ModelSource::File(path),
        (None, true) => ModelSource::Configured,
        (None, false) => ModelSource::Train,
    };
    let outcome =
        obtain_model(&mut config, source, &left.records, right.map(|r| r.records.as_slice()))?;
    let suggested = outcome.as_ref().map(|o| o.suggested_threshold);
    let threshold = args.threshold.or(if threshold_set { None } else { suggested });
    if let Some(weight) = threshold {
        config.policy.move_match_threshold(weight);
    }
    let linker = Linker::new(config).map_err(|e| match &args.model {
        Some(path) => format!("{}: {e}", path.display()),
        None => e.to_string(),
    })?;
    for line in weights::weights_table(&linker.config().model) {
        eprintln!("{line}");
    }
    eprintln!("match threshold: weight {:+.2}", linker.config().policy.match_threshold.as_weight());
    if let Some(path) = &args.save_model {
        let json = serde_json::to_string_pretty(&linker.config().model)
            .map_err(|e| format!("{}: cannot encode the model: {e}", path.display()))?;
        atomic_file::write_atomically(path, |out| out.write_all(json.as_bytes()))?;
    }
    Ok((linker, outcome.map(|o| o.staged)))
}
