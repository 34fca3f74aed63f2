//! Writes a generated person dataset with ground truth as CSV.
//!
//! `cargo run --release --example generate -- [--people N] [--seed S] [--output FILE]`
//!
//! The CSV has a `rec_id` column, the default person profile's fields and a
//! `cluster` column holding the true person, so it can be fed to the `dedupe`
//! example with `--truth-column cluster`.

use std::io::Write;
use std::process::ExitCode;

use personlink::synth::{generate, SynthConfig};

fn main() -> ExitCode {
    let mut people = 10_000usize;
    let mut seed = 42u64;
    let mut output: Option<String> = None;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let value = args.next();
        let parsed = match (arg.as_str(), value) {
            ("--people", Some(v)) => {
                v.parse().map(|v| people = v).map_err(|e| format!("--people: {e}"))
            }
            ("--seed", Some(v)) => v.parse().map(|v| seed = v).map_err(|e| format!("--seed: {e}")),
            ("--output", Some(v)) => {
                output = Some(v);
                Ok(())
            }
            (other, _) => Err(format!("unknown or incomplete option `{other}`")),
        };
        if let Err(e) = parsed {
            eprintln!("generate: {e}\nusage: generate [--people N] [--seed S] [--output FILE]");
            return ExitCode::from(2);
        }
    }
    let data = generate(&SynthConfig::new(seed, people));
    let csv = data.to_csv();
    let written = match &output {
        Some(path) => std::fs::write(path, csv),
        None => std::io::stdout().lock().write_all(csv.as_bytes()),
    };
    if let Err(e) = written {
        eprintln!("generate: cannot write output: {e}");
        return ExitCode::from(2);
    }
    eprintln!("generate: {} records of {people} people (seed {seed})", data.records.len());
    ExitCode::SUCCESS
}
