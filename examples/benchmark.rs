//! Measures accuracy and speed on generated data with households and life
//! events: what the person profile (or `--config`) gets right and wrong, at a
//! given size.
//!
//! ```text
//! cargo run --release --example benchmark -- [--preset hard|easy] [--people N] [--seed S]
//!     [--no-train] [--threads N] [--config FILE.json] [--print-config]
//! ```
//!
//! `--threshold W` replaces the threshold training suggests (as a match weight).
//! `--print-config` writes the configuration (JSON) and stops: a starting
//! point for a `--config` of one's own. `--explain-errors N` also explains,
//! on standard error, up to N accepted links between relatives and N between
//! strangers (the false positives), and N records left out of the entity of
//! their person's first record (the false negatives).
//!
//! Generates the data in memory (default: the hard preset, 57,000 people,
//! about 100,000 records), trains the model on it without labels (unless
//! `--no-train`) and applies the threshold training suggests, deduplicates,
//! and prints one line per figure on standard output, then the same figures as
//! one JSON object: pairwise precision, recall and F1; the share of relative
//! pairs (different people of one household) merged; the share of duplicates
//! carrying two or more life events that were linked; household pairwise F1;
//! the threshold; candidate pairs; and the time of training and of the run.
//! The training report (passes, weight histogram, suggested threshold) goes
//! to standard error.

use std::process::ExitCode;
use std::time::Instant;

use personlink::eval::{pairwise, relatives_merged, selected_linked};
use personlink::synth::{generate, SynthConfig};
use personlink::train::TrainingOptions;
use personlink::{Config, Linker, ScoredLink};

const USAGE: &str =
    "usage: benchmark [--preset hard|easy] [--people N] [--seed S] [--no-train] [--threads N]";

struct Args {
    hard: bool,
    people: usize,
    seed: u64,
    train: bool,
    threads: usize,
    config: Option<String>,
    print_config: bool,
    explain_errors: usize,
    threshold: Option<f64>,
}

fn parse() -> Result<Args, String> {
    let mut args = Args {
        hard: true,
        people: 57_000,
        seed: 42,
        train: true,
        threads: 0,
        config: None,
        print_config: false,
        explain_errors: 0,
        threshold: None,
    };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        let mut value = || it.next().ok_or_else(|| format!("{arg} needs a value"));
        match arg.as_str() {
            "--preset" => {
                args.hard = match value()?.as_str() {
                    "hard" => true,
                    "easy" => false,
                    other => return Err(format!("unknown preset `{other}` (hard or easy)")),
                }
            }
            "--people" => args.people = value()?.parse().map_err(|e| format!("--people: {e}"))?,
            "--seed" => args.seed = value()?.parse().map_err(|e| format!("--seed: {e}"))?,
            "--threads" => {
                args.threads = value()?.parse().map_err(|e| format!("--threads: {e}"))?
            }
            "--no-train" => args.train = false,
            "--config" => args.config = Some(value()?),
            "--print-config" => args.print_config = true,
            "--threshold" => {
                args.threshold = Some(value()?.parse().map_err(|e| format!("--threshold: {e}"))?)
            }
            "--explain-errors" => {
                args.explain_errors =
                    value()?.parse().map_err(|e| format!("--explain-errors: {e}"))?
            }
            other => return Err(format!("unknown option `{other}`")),
        }
    }
    Ok(args)
}

fn main() -> ExitCode {
    let args = match parse() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("benchmark: {e}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("benchmark: {e}");
            ExitCode::from(2)
        }
    }
}

fn run(args: &Args) -> Result<(), String> {
    let base = match &args.config {
        Some(path) => {
            let text = std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))?;
            serde_json::from_str::<Config>(&text).map_err(|e| format!("{path}: {e}"))?
        }
        None => Config::person_default(),
    }
    .with_threads(args.threads);
    if args.print_config {
        println!("{}", serde_json::to_string_pretty(&base).map_err(|e| e.to_string())?);
        return Ok(());
    }
    let preset = if args.hard { "hard" } else { "easy" };
    let cfg = if args.hard {
        SynthConfig::hard(args.seed, args.people)
    } else {
        SynthConfig::easy(args.seed, args.people)
    };
    let started = Instant::now();
    let data = generate(&cfg);
    eprintln!(
        "benchmark: {preset} preset, {} records of {} people, generated in {:.1}s",
        data.len(),
        args.people,
        started.elapsed().as_secs_f64()
    );
    let (config, train_seconds) = if args.train {
        let t = Instant::now();
        let trained = Linker::new(base.clone())
            .and_then(|l| l.train(&data.records, &TrainingOptions::default()))
            .map_err(|e| e.to_string())?;
        eprintln!("{}", trained.report);
        let mut config = base.with_model(trained.model);
        config
            .policy
            .move_match_threshold(args.threshold.unwrap_or(trained.report.suggested_threshold));
        (config, t.elapsed().as_secs_f64())
    } else {
        (base, 0.0)
    };
    let threshold = config.policy.match_threshold.as_weight();
    let linker = Linker::new(config).map_err(|e| e.to_string())?;
    let t = Instant::now();
    let result = linker.dedupe(&data.records).map_err(|e| e.to_string())?;
    let run_seconds = t.elapsed().as_secs_f64();

    if args.explain_errors > 0 {
        let wrong = result.links.iter().filter(|l| data.truth[l.a] != data.truth[l.b]);
        let (relatives, strangers): (Vec<&ScoredLink>, Vec<&ScoredLink>) =
            wrong.partition(|l| data.household[l.a] == data.household[l.b]);
        for (kind, links) in [("relatives", relatives), ("strangers", strangers)] {
            eprintln!("{} accepted links between {kind}", links.len());
            for l in links.iter().take(args.explain_errors) {
                let why = linker
                    .explain(&data.records[l.a], &data.records[l.b])
                    .map_err(|e| e.to_string())?;
                eprintln!("{why}\n");
            }
        }
        // Missed duplicates: records of one person left in different entities.
        let mut first_of: std::collections::HashMap<u64, usize> = Default::default();
        let mut missed = 0;
        for (i, &person) in data.truth.iter().enumerate() {
            let first = *first_of.entry(person).or_insert(i);
            if first != i && result.entity_of[first] != result.entity_of[i] {
                missed += 1;
                if missed <= args.explain_errors {
                    let why = linker
                        .explain(&data.records[first], &data.records[i])
                        .map_err(|e| e.to_string())?;
                    eprintln!("missed: {why}\n");
                }
            }
        }
        eprintln!("{missed} records left out of their person's first record's entity");
    }
    let m = pairwise(&result.entity_of, &data.truth);
    let rel = relatives_merged(&result.entity_of, &data.truth, &data.household);
    let (found, changed) =
        selected_linked(&result.entity_of, &data.truth, |i| data.life_events[i] >= 2);
    let homes = pairwise(&result.household_of, &data.household);
    let life = if changed == 0 { 1.0 } else { found as f64 / changed as f64 };
    println!("preset {preset}, records {}, people {}", data.len(), args.people);
    println!("{m}");
    println!("{rel}");
    println!("duplicates with two or more life events linked {life:.4} ({found} of {changed})");
    println!("households: {homes}");
    println!(
        "threshold {threshold:+.2}, candidate pairs {}, training {train_seconds:.2}s, run {run_seconds:.2}s",
        result.stats.candidate_pairs
    );
    println!(
        "{{\"preset\": \"{preset}\", \"records\": {}, \"people\": {}, \"precision\": {:.4}, \"recall\": {:.4}, \"f1\": {:.4}, \"relatives_merged\": {:.4}, \"life_events_2_linked\": {life:.4}, \"household_f1\": {:.4}, \"threshold\": {threshold:.2}, \"candidate_pairs\": {}, \"train_seconds\": {train_seconds:.2}, \"run_seconds\": {run_seconds:.2}}}",
        data.len(),
        args.people,
        m.precision,
        m.recall,
        m.f1,
        rel.merged_share,
        homes.f1,
        result.stats.candidate_pairs
    );
    Ok(())
}
