//! Feeds a CSV file's records one at a time through the incremental resolver,
//! as a live system would, and measures each upsert.
//!
//! ```text
//! cargo run --release --example stream -- INPUT.csv [--id-column COL] [--source-column COL]
//!     [--delimiter C] [--country CC] [--date-order day-first|month-first|auto]
//!     [--output OUT.csv] [--model FILE.json | --no-train] [--threshold W] [--snapshot FILE.json]
//!     [--frequency-key-file FILE]
//! ```
//!
//! With `--frequency-key-file`, the model's value frequency tables are keyed
//! with the secret the file holds ([`personlink::model::FrequencyKey`]), so
//! neither the model nor the snapshot holds a clear value.
//!
//! With `--snapshot`, the resolver's state is saved there as JSON after the
//! run, then restored from the file; sizes and times go to standard error.
//! Output paths are checked before the run starts, and every file is written
//! atomically (a temporary file beside it, renamed once complete).
//!
//! The model comes exactly as in the `dedupe` example: trained on the input
//! (with the threshold training suggests), loaded with `--model`, or the
//! built-in defaults with `--no-train`; `--threshold W` sets the match
//! threshold as in `dedupe`; columns map the same way. The output is
//! `rec_id,cluster_id,household_id` (the same entities and households `dedupe` finds on the same file, under
//! the resolver's ids); the summary goes to standard error, ending with one JSON line:
//! `{"records": …, "p50_us": …, "p99_us": …, "max_us": …, "upserts_per_second": …}`.

mod args;
#[path = "../dedupe/atomic_file.rs"]
mod atomic_file;
#[path = "../dedupe/columns.rs"]
#[allow(dead_code)]
mod columns;
#[path = "../dedupe/csv_input.rs"]
#[allow(dead_code)]
mod csv_input;
#[path = "../dedupe/delimiter.rs"]
mod delimiter;
#[path = "../dedupe/model_choice.rs"]
mod model_choice;
#[path = "../dedupe/open_quote.rs"]
mod open_quote;
// `stream` takes a positional input: it reads option names itself.
#[allow(dead_code)]
#[path = "../dedupe/options.rs"]
mod options;
#[path = "../dedupe/output.rs"]
#[allow(dead_code)]
mod output;
#[path = "../dedupe/reading.rs"]
mod reading;
#[path = "../dedupe/windows_1252.rs"]
#[allow(dead_code)]
mod windows_1252;

use std::fs::File;
use std::io;
use std::path::Path;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use personlink::{Config, Resolver};

use columns::MappingOptions;
use csv_input::{CsvFile, RowLayout};
use model_choice::{obtain_model, ModelSource};
use reading::DateOrderChoice;

/// Runs the command; errors print as one line and exit with code 2.
fn main() -> ExitCode {
    let parsed = args::parse(std::env::args_os().skip(1));
    let args = match options::arguments_or_exit("error", args::USAGE, parsed) {
        Ok(args) => args,
        Err(code) => return code,
    };
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::from(2)
        }
    }
}

/// Loads the file, obtains the model, upserts every record and reports.
fn run(args: &args::Args) -> Result<(), String> {
    // Outputs first: a path that cannot be written fails now, not after the run.
    let outputs = [("--output", &args.output), ("--snapshot", &args.snapshot)];
    atomic_file::check_outputs(
        outputs.iter().filter_map(|(option, path)| Some((*option, path.as_deref()?))),
    )?;
    let file = CsvFile::open(&args.input, args.delimiter).map_err(|e| e.to_string())?;
    if file.delimiter_sniffed() && file.delimiter() != b',' {
        eprintln!(
            "{}: columns separated by {} (sniffed; --delimiter sets it)",
            file.name(),
            delimiter::describe(file.delimiter())
        );
    }
    let base = Config::person_default();
    let options = MappingOptions {
        id_column: args.id_column.as_deref(),
        truth_column: None,
        source_column: args.source_column.as_deref(),
    };
    let mapping = columns::map_columns(file.headers(), &base.schema, options)
        .map_err(|e| format!("{}: {e}", file.name()))?;
    for line in mapping.report() {
        eprintln!("{}: {line}", file.name());
    }
    let mut config = base.restrict_to_fields(&mapping.present_fields());
    // No blocking rule would compare nothing: refused before the run.
    if let Some(warning) = config.warnings().first() {
        return Err(format!(
            "{}: {warning} (no rule reads only fields the columns fill)",
            file.name()
        ));
    }
    let fixed_order = match args.date_order {
        Some(DateOrderChoice::Fixed(order)) => Some(order),
        _ => None,
    };
    reading::apply_reading(&mut config, args.country, fixed_order);
    let schema = config.schema.clone();
    let layout = RowLayout::new(
        &schema,
        mapping.id.index,
        None,
        mapping.fields.iter().map(|m| (m.column.index, m.field.as_str())),
    )
    .map_err(|e| format!("{}: {e}", file.name()))?
    .with_source(mapping.source.as_ref().map(|c| c.index));
    let system = stem(&args.input);
    let name = file.name().to_owned();
    let loaded = file.load(&schema, &layout, &system).map_err(|e| e.to_string())?;
    for warning in loaded.warnings(&name, &system) {
        eprintln!("{warning}");
    }
    if args.date_order == Some(DateOrderChoice::Auto) {
        let records = &loaded.records;
        for line in reading::apply_sniffed_order(&mut config, records) {
            eprintln!("{line}");
        }
    }

    // The secret is read before any work, so a bad key file costs no training.
    let key = args.frequency_key_file.as_deref().map(read_frequency_key).transpose()?;
    // The model, as `dedupe` obtains it (same code).
    let source = match (&args.model, args.no_train) {
        (Some(path), _) => ModelSource::File(path),
        (None, true) => ModelSource::Configured,
        (None, false) => ModelSource::Train,
    };
    let suggested = match obtain_model(&mut config, source, &loaded.records, None)? {
        Some(outcome) => {
            // The resolver prepares each record as it arrives: the staging goes.
            drop(outcome.staged);
            Some(outcome.suggested_threshold)
        }
        None => None,
    };
    if let Some(key) = &key {
        config.model = config.model.with_frequency_key(key.clone()).map_err(|e| e.to_string())?;
    }
    if let Some(weight) = args.threshold.or(suggested) {
        config.policy.move_match_threshold(weight);
    }
    let mut resolver = Resolver::new(config).map_err(|e| e.to_string())?;

    let mut latencies: Vec<Duration> = Vec::with_capacity(loaded.records.len());
    let resident_before = resident_bytes();
    let started = Instant::now();
    for record in &loaded.records {
        let t = Instant::now();
        resolver.upsert(record.clone()).map_err(|e| e.to_string())?;
        latencies.push(t.elapsed());
    }
    let total = started.elapsed();
    if let (Some(before), Some(after)) = (resident_before, resident_bytes()) {
        let per_record = after.saturating_sub(before) as f64 / loaded.records.len().max(1) as f64;
        eprintln!("resident memory grew by {per_record:.0} bytes per upserted record");
    }
    let tail = &latencies[latencies.len() * 9 / 10..];
    if !tail.is_empty() {
        let mut tail = tail.to_vec();
        tail.sort_unstable();
        let at = |q: f64| {
            tail[((tail.len() as f64 * q) as usize).min(tail.len() - 1)].as_secs_f64() * 1e6
        };
        eprintln!(
            "last 10% of upserts (the resolver nearly full): p50 {:.1} us, p99 {:.1} us, {:.0} upserts/s",
            at(0.5),
            at(0.99),
            tail.len() as f64 / tail.iter().map(Duration::as_secs_f64).sum::<f64>()
        );
    }

    let mut rows = Vec::with_capacity(loaded.records.len());
    for r in &loaded.records {
        let source = r.source();
        let lost = || format!("internal error: record {source} has no entity after its upsert");
        let entity = resolver.entity_of(source).ok_or_else(lost)?;
        let home = resolver.household_of(source).ok_or_else(lost)?;
        rows.push(output::Row {
            id: source.id.as_str(),
            cluster: entity,
            household: home,
            source: Some(source.system.as_str()),
            side: None,
        });
    }
    // The clusters first: a snapshot that fails does not lose them.
    let columns = output::Columns { source: args.source_column.is_some(), side: false };
    match &args.output {
        Some(path) => {
            atomic_file::write_atomically(path, |out| output::write_rows(out, columns, rows))?
        }
        None => output::write_rows(&mut io::stdout().lock(), columns, rows)
            .map_err(|e| format!("cannot write to standard output: {e}"))?,
    }

    if let Some(path) = &args.snapshot {
        let t = Instant::now();
        atomic_file::write_atomically(path, |out| {
            serde_json::to_writer(out, &resolver.snapshot()).map_err(io::Error::from)
        })?;
        let saved = t.elapsed();
        let size = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
        let t = Instant::now();
        let file = File::open(path).map_err(|e| format!("{}: cannot read: {e}", path.display()))?;
        let mut snapshot: personlink::Snapshot = serde_json::from_reader(io::BufReader::new(file))
            .map_err(|e| format!("{}: invalid snapshot: {e}", path.display()))?;
        if let Some(key) = &key {
            snapshot = snapshot.with_frequency_key(key.clone()).map_err(|e| e.to_string())?;
        }
        let parsed = t.elapsed();
        let restored = Resolver::restore(snapshot).map_err(|e| e.to_string())?;
        let loaded_in = t.elapsed();
        if restored.entity_count() != resolver.entity_count() || restored.len() != resolver.len() {
            return Err("the restored resolver differs from the saved one".to_owned());
        }
        eprintln!(
            "snapshot: {:.1} MiB ({:.0} bytes per record), saved in {:.2}s, loaded in {:.2}s ({:.2}s parsing JSON)",
            size as f64 / (1024.0 * 1024.0),
            size as f64 / resolver.len().max(1) as f64,
            saved.as_secs_f64(),
            loaded_in.as_secs_f64(),
            parsed.as_secs_f64()
        );
    }

    latencies.sort_unstable();
    let pct = |q: f64| -> f64 {
        if latencies.is_empty() {
            return 0.0;
        }
        let i = ((latencies.len() as f64 * q).ceil() as usize).clamp(1, latencies.len()) - 1;
        latencies[i].as_secs_f64() * 1e6
    };
    let n = loaded.records.len();
    let rate = if total.as_secs_f64() > 0.0 { n as f64 / total.as_secs_f64() } else { 0.0 };
    eprintln!("{} records, {} entities", resolver.len(), resolver.entity_count());
    let json = format!(
        "{{\"records\": {n}, \"p50_us\": {:.1}, \"p99_us\": {:.1}, \"max_us\": {:.1}, \"upserts_per_second\": {:.0}}}",
        pct(0.50),
        pct(0.99),
        latencies.last().map_or(0.0, |d| d.as_secs_f64() * 1e6),
        rate
    );
    // A summary, for the terminal: never inside the CSV.
    eprintln!("{json}");
    Ok(())
}

/// Resident memory of this process, from `/proc/self/statm` (Linux); `None` elsewhere.
/// The frequency key of the secret in `path` (the file's bytes, as they are).
fn read_frequency_key(path: &Path) -> Result<personlink::model::FrequencyKey, String> {
    let secret =
        std::fs::read(path).map_err(|e| format!("{}: cannot read: {e}", path.display()))?;
    personlink::model::FrequencyKey::from_secret(&secret)
        .map_err(|e| format!("{}: {e}", path.display()))
}

fn resident_bytes() -> Option<u64> {
    let statm = std::fs::read_to_string("/proc/self/statm").ok()?;
    let pages: u64 = statm.split_whitespace().nth(1)?.parse().ok()?;
    Some(pages * 4096)
}

fn stem(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "input".into())
}
