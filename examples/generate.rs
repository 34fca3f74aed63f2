//! Writes a generated person dataset with ground truth as CSV.
//!
//! `cargo run --release --example generate -- [--people N] [--seed S] [--preset easy|hard] [--output FILE]`
//!
//! The CSV has a `rec_id` column, the default person profile's fields, a
//! `cluster` column holding the true person (so it can be fed to the `dedupe`
//! example with `--truth-column cluster`), a `household` column and a
//! `life_events` column (see `SynthData::to_csv`).
//!
//! `--preset hard` gives customer data as a CRM holds it (households of
//! relatives, married names, moves and other life events); `--preset easy`,
//! the default for now, the generator's historical data, kept as a
//! regression check.

#[path = "dedupe/atomic_file.rs"]
mod atomic_file;
#[path = "dedupe/options.rs"]
mod options;

use std::ffi::OsString;
use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use options::{hard_preset, option_name, parsed, text};
use personlink::synth::{generate, SynthConfig};

const USAGE: &str = "\
generate: write generated person records with ground truth as CSV.

Usage: generate [--people N] [--seed S] [--preset easy|hard] [--output FILE]

Options:
  --people N       people to generate (default 10000); duplicates come on top
  --seed S         random seed (default 42)
  --preset P       easy (the default for now): the historical data, a regression check;
                   hard: households, married names and life events at realistic rates
  --output FILE    write the CSV there (default: standard output); the path is checked
                   first, and the file written whole or not at all
  -h, --help       print this help
";

/// The options of a run.
#[derive(Debug)]
struct Args {
    people: usize,
    seed: u64,
    hard: bool,
    output: Option<String>,
}

/// Parses the arguments after the program name: `Ok(None)` for `--help`.
fn parse(argv: impl IntoIterator<Item = OsString>) -> Result<Option<Args>, String> {
    let mut args = Args { people: 10_000, seed: 42, hard: false, output: None };
    let mut parser = lexopt::Parser::from_args(argv);
    while let Some(arg) = parser.next().map_err(|e| e.to_string())? {
        let Some(name) = option_name(arg)? else { return Ok(None) };
        let p = &mut parser;
        match name.as_str() {
            "--people" => args.people = parsed(p, &name, "a count", |t| t.parse().ok())?,
            "--seed" => args.seed = parsed(p, &name, "an unsigned integer", |t| t.parse().ok())?,
            "--preset" => args.hard = parsed(p, &name, "easy or hard", hard_preset)?,
            "--output" => args.output = Some(text(p, &name)?),
            _ => return Err(format!("unknown option `{name}`")),
        }
    }
    Ok(Some(args))
}

fn main() -> ExitCode {
    let args =
        match options::arguments_or_exit("generate", USAGE, parse(std::env::args_os().skip(1))) {
            Ok(args) => args,
            Err(code) => return code,
        };
    let Args { people, seed, hard, output } = args;
    // The output path is checked before the data is generated.
    if let Some(path) = &output {
        if let Err(e) = atomic_file::check_outputs([("--output", Path::new(path))]) {
            eprintln!("generate: {e}");
            return ExitCode::from(2);
        }
    }
    let cfg = if hard { SynthConfig::hard(seed, people) } else { SynthConfig::easy(seed, people) };
    let data = generate(&cfg);
    let csv = data.to_csv();
    let written = match &output {
        Some(path) => {
            atomic_file::write_atomically(Path::new(path), |out| out.write_all(csv.as_bytes()))
        }
        None => std::io::stdout()
            .lock()
            .write_all(csv.as_bytes())
            .map_err(|e| format!("cannot write to standard output: {e}")),
    };
    if let Err(e) = written {
        eprintln!("generate: {e}");
        return ExitCode::from(2);
    }
    let preset = if hard { "hard" } else { "easy" };
    eprintln!(
        "generate: {} records of {people} people (seed {seed}, {preset} preset)",
        data.records.len()
    );
    ExitCode::SUCCESS
}
