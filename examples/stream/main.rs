//! Feeds a CSV file's records one at a time through the incremental resolver,
//! as a live system would, and measures each upsert.
//!
//! ```text
//! cargo run --release --example stream -- INPUT.csv [--id-column COL] [--output OUT.csv]
//!     [--model FILE.json | --no-train] [--threshold W] [--snapshot FILE.json]
//! ```
//!
//! With `--snapshot`, the resolver's state is saved there as JSON after the
//! run, then restored from the file; sizes and times go to standard error.
//!
//! The model comes exactly as in the `dedupe` example: trained on the input
//! (with the threshold training suggests), loaded with `--model`, or the
//! built-in defaults with `--no-train`; `--threshold W` sets the match
//! threshold as in `dedupe`; columns map the same way. The output is
//! `rec_id,cluster_id,household_id` (the same entities and households `dedupe` finds on the same file, under
//! the resolver's ids), then one JSON line:
//! `{"records": …, "p50_us": …, "p99_us": …, "max_us": …, "upserts_per_second": …}`.

#[path = "../dedupe/columns.rs"]
#[allow(dead_code)]
mod columns;
#[path = "../dedupe/csv_input.rs"]
#[allow(dead_code)]
mod csv_input;
#[path = "../dedupe/model_choice.rs"]
mod model_choice;
#[path = "../dedupe/output.rs"]
#[allow(dead_code)]
mod output;

use std::fs::File;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use personlink::{Config, Resolver};

use columns::MappingOptions;
use csv_input::{CsvFile, RowLayout};
use model_choice::{obtain_model, ModelSource};

const USAGE: &str =
    "usage: stream INPUT.csv [--id-column COL] [--output OUT.csv] [--model FILE.json | --no-train] [--threshold W] [--snapshot FILE.json]";

#[derive(Debug, Default)]
struct Args {
    input: PathBuf,
    id_column: Option<String>,
    output: Option<PathBuf>,
    model: Option<PathBuf>,
    no_train: bool,
    threshold: Option<f64>,
    snapshot: Option<PathBuf>,
}

fn parse(mut argv: impl Iterator<Item = String>) -> Result<Args, String> {
    let mut args = Args::default();
    let mut input = None;
    while let Some(arg) = argv.next() {
        let mut value =
            |name: &str| argv.next().ok_or_else(|| format!("option `{name}` needs a value"));
        match arg.as_str() {
            "--id-column" => args.id_column = Some(value("--id-column")?),
            "--output" => args.output = Some(value("--output")?.into()),
            "--model" => args.model = Some(value("--model")?.into()),
            "--no-train" => args.no_train = true,
            "--threshold" => {
                let w = value("--threshold")?;
                let w: f64 = w
                    .parse()
                    .map_err(|_| format!("option `--threshold`: `{w}` is not a number"))?;
                if !w.is_finite() {
                    return Err("option `--threshold` needs a finite weight".to_owned());
                }
                args.threshold = Some(w);
            }
            "--snapshot" => args.snapshot = Some(value("--snapshot")?.into()),
            "-h" | "--help" => return Err(USAGE.to_owned()),
            other if other.starts_with("--") => return Err(format!("unknown option `{other}`")),
            other if input.is_none() => input = Some(PathBuf::from(other)),
            other => return Err(format!("unexpected argument `{other}`")),
        }
    }
    if args.model.is_some() && args.no_train {
        return Err("options `--model` and `--no-train` exclude each other".to_owned());
    }
    args.input = input.ok_or("missing INPUT.csv")?;
    Ok(args)
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message} ({USAGE})");
            ExitCode::from(2)
        }
    }
}

fn run() -> Result<(), String> {
    let args = parse(std::env::args().skip(1))?;
    let file = CsvFile::open(&args.input).map_err(|e| e.to_string())?;
    let base = Config::person_default();
    let options = MappingOptions { id_column: args.id_column.as_deref(), truth_column: None };
    let mapping = columns::map_columns(file.headers(), &base.schema, options)
        .map_err(|e| format!("{}: {e}", file.name()))?;
    for line in mapping.report() {
        eprintln!("{}: {line}", file.name());
    }
    let mut config = base.restrict_to_fields(&mapping.present_fields());
    let schema = config.schema.clone();
    let layout = RowLayout::new(
        &schema,
        mapping.id.index,
        None,
        mapping.fields.iter().map(|m| (m.column.index, m.field.as_str())),
    )
    .map_err(|e| format!("{}: {e}", file.name()))?;
    let system = stem(&args.input);
    let loaded = file.load(&schema, &layout, &system).map_err(|e| e.to_string())?;

    // The model, as `dedupe` obtains it (same code).
    let source = match (&args.model, args.no_train) {
        (Some(path), _) => ModelSource::File(path),
        (None, true) => ModelSource::Configured,
        (None, false) => ModelSource::Train,
    };
    let suggested = obtain_model(&mut config, source, &loaded.records, None)?;
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

    if let Some(path) = &args.snapshot {
        let t = Instant::now();
        let file =
            File::create(path).map_err(|e| format!("{}: cannot create: {e}", path.display()))?;
        serde_json::to_writer(io::BufWriter::new(file), &resolver.snapshot())
            .map_err(|e| format!("{}: cannot write: {e}", path.display()))?;
        let saved = t.elapsed();
        let size = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
        let t = Instant::now();
        let file = File::open(path).map_err(|e| format!("{}: cannot read: {e}", path.display()))?;
        let snapshot: personlink::Snapshot = serde_json::from_reader(io::BufReader::new(file))
            .map_err(|e| format!("{}: invalid snapshot: {e}", path.display()))?;
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

    let rows = loaded.records.iter().map(|r| {
        let entity = resolver.entity_of(r.source()).expect("every upserted record has an entity");
        let home =
            resolver.household_of(r.source()).expect("every upserted record has a household");
        (r.source().id.as_str(), entity, home)
    });
    let mut out: Box<dyn Write> = match &args.output {
        Some(path) => Box::new(
            File::create(path).map_err(|e| format!("{}: cannot create: {e}", path.display()))?,
        ),
        None => Box::new(io::stdout().lock()),
    };
    output::write_clusters(&mut out, rows).map_err(|e| format!("cannot write the output: {e}"))?;

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
    if args.output.is_some() {
        eprintln!("{json}");
    }
    writeln!(out, "{json}").map_err(|e| format!("cannot write the output: {e}"))?;
    Ok(())
}

/// Resident memory of this process, from `/proc/self/statm` (Linux); `None` elsewhere.
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
