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

use std::io::Write;
use std::process::ExitCode;

use personlink::synth::{generate, SynthConfig};

const USAGE: &str = "usage: generate [--people N] [--seed S] [--preset easy|hard] [--output FILE]
  --preset  easy (the default for now): the historical data, a regression check;
            hard: households, married names and life events at realistic rates";

fn main() -> ExitCode {
    let mut people = 10_000usize;
    let mut seed = 42u64;
    let mut hard = false;
    let mut output: Option<String> = None;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let value = args.next();
        let parsed = match (arg.as_str(), value) {
            ("--people", Some(v)) => {
                v.parse().map(|v| people = v).map_err(|e| format!("--people: {e}"))
            }
            ("--seed", Some(v)) => v.parse().map(|v| seed = v).map_err(|e| format!("--seed: {e}")),
            ("--preset", Some(v)) => match v.as_str() {
                "easy" | "hard" => {
                    hard = v == "hard";
                    Ok(())
                }
                other => Err(format!("--preset: expected easy or hard, got `{other}`")),
            },
            ("--output", Some(v)) => {
                output = Some(v);
                Ok(())
            }
            (other, _) => Err(format!("unknown or incomplete option `{other}`")),
        };
        if let Err(e) = parsed {
            eprintln!("generate: {e}\n{USAGE}");
            return ExitCode::from(2);
        }
    }
    let cfg = if hard { SynthConfig::hard(seed, people) } else { SynthConfig::easy(seed, people) };
    let data = generate(&cfg);
    let csv = data.to_csv();
    let written = match &output {
        Some(path) => std::fs::write(path, csv),
        None => std::io::stdout().lock().write_all(csv.as_bytes()),
    };
    if let Err(e) = written {
        eprintln!("generate: cannot write output: {e}");
        return ExitCode::from(2);
    }
    let preset = if hard { "hard" } else { "easy" };
    eprintln!(
        "generate: {} records of {people} people (seed {seed}, {preset} preset)",
        data.records.len()
    );
    ExitCode::SUCCESS
}
