//! Measures accuracy and speed on generated data with households and life
//! events: what the person profile (or `--config`) gets right and wrong, at a
//! given size.
//!
//! ```text
//! cargo run --release --example benchmark -- [--preset hard|easy] [--records N | --people N]
//!     [--seed S] [--no-train] [--threads N] [--config FILE.json] [--print-config]
//! ```
//!
//! `--records N` generates people until there are N records and keeps the
//! first N (a person cut short keeps the records already made).
//!
//! `--threshold W` replaces the threshold training suggests (as a match weight).
//! `--config FILE.json` is merged over the default configuration, as in the
//! `dedupe` example (a partial override or a full configuration).
//! `--print-config` writes the configuration (JSON) and stops: a starting
//! point for a `--config` of one's own. `--explain-errors N` also explains,
//! on standard error, up to N accepted links between relatives and N between
//! strangers (the false positives), and N records left out of the entity of
//! their person's first record (the false negatives).
//!
//! Generates the data in memory (default: the hard preset, 57,000 people,
//! about 100,000 records), stages it once (normalized, keyed, blocked),
//! trains the model on it without labels (unless `--no-train`) and applies
//! the threshold training suggests, deduplicates the staged records, and
//! prints one line per figure on standard output, then the same figures as
//! one JSON object (`records`, `seconds` (staging, training and the run),
//! `train_seconds`, `records_per_second`, `peak_rss_mib` (the process's peak
//! resident memory, Linux only, else `null`), `candidate_pairs`,
//! `pairwise_f1`, and more): pairwise precision, recall and F1; the share of
//! relative pairs (different people of one household) merged; the share of
//! duplicates carrying two or more life events that were linked; household
//! pairwise F1; the threshold; candidate pairs; and the time of each stage.
//! The training report (passes, time per training stage, weight histogram,
//! suggested threshold) and the run's statistics (time per stage) go to
//! standard error.

#[path = "dedupe/config_file.rs"]
#[allow(dead_code)]
mod config_file;
#[path = "dedupe/options.rs"]
mod options;

use std::ffi::OsString;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use options::{hard_preset, option_name, parsed, text};
use personlink::cluster::MAX_THRESHOLD_WEIGHT;
use personlink::config::MAX_THREADS;
use personlink::eval::{pairwise, relatives_merged, selected_linked};
use personlink::synth::{generate, SynthConfig, SynthData};
use personlink::train::TrainingOptions;
use personlink::{Config, Linker, ScoredLink};

const USAGE: &str = "\
benchmark: accuracy and speed of personlink on generated data with households and life events.

Usage: benchmark [--preset hard|easy] [--records N | --people N] [--seed S] [--no-train]
                 [--threads N] [--threshold W] [--config FILE.json] [--print-config]
                 [--explain-errors N]

Options:
  --preset P           hard (the default: households, twins, life events) or easy
  --records N          records to generate (people are added until there are N)
  --people N           people to generate (default 57000, about 100,000 records)
  --seed S             random seed (default 42)
  --no-train           use the configuration's model instead of training one
  --threads N          worker threads (default 0: one per core)
  --threshold W        match threshold as a weight (default: the one training suggests)
  --config FILE.json   a JSON object merged over the default configuration
  --print-config       write the configuration as JSON and stop
  --explain-errors N   explain up to N wrong links of each kind and N missed duplicates
  -h, --help           print this help

Figures go to standard output, one per line, then as one JSON object.
";

/// The options of a run.
struct Args {
    hard: bool,
    people: usize,
    records: Option<usize>,
    seed: u64,
    train: bool,
    threads: usize,
    config: Option<PathBuf>,
    print_config: bool,
    explain_errors: usize,
    threshold: Option<f64>,
}

/// Parses the arguments after the program name: `Ok(None)` for `--help`.
fn parse(argv: impl IntoIterator<Item = OsString>) -> Result<Option<Args>, String> {
    let mut args = Args {
        hard: true,
        people: 57_000,
        records: None,
        seed: 42,
        train: true,
        threads: 0,
        config: None,
        print_config: false,
        explain_errors: 0,
        threshold: None,
    };
    let mut parser = lexopt::Parser::from_args(argv);
    while let Some(arg) = parser.next().map_err(|e| e.to_string())? {
        let Some(name) = option_name(arg)? else { return Ok(None) };
        let p = &mut parser;
        let count = |p: &mut lexopt::Parser| {
            parsed(p, &name, "a non-negative integer", |t| t.parse::<usize>().ok())
        };
        match name.as_str() {
            "--no-train" => args.train = false,
            "--print-config" => args.print_config = true,
            "--preset" => args.hard = parsed(p, &name, "hard or easy", hard_preset)?,
            "--people" => args.people = count(p)?,
            "--records" => args.records = Some(count(p)?),
            "--threads" => {
                let expected = format!("an integer from 0 to {MAX_THREADS}");
                let bounded = |t: &str| t.parse::<usize>().ok().filter(|&n| n <= MAX_THREADS);
                args.threads = parsed(p, &name, &expected, bounded)?;
            }
            "--explain-errors" => args.explain_errors = count(p)?,
            "--seed" => args.seed = parsed(p, &name, "an unsigned integer", |t| t.parse().ok())?,
            "--threshold" => {
                let expected =
                    format!("a number from -{MAX_THRESHOLD_WEIGHT} to {MAX_THRESHOLD_WEIGHT}");
                let bounded =
                    |t: &str| t.parse::<f64>().ok().filter(|w| w.abs() <= MAX_THRESHOLD_WEIGHT);
                args.threshold = Some(parsed(p, &name, &expected, bounded)?);
            }
            "--config" => args.config = Some(PathBuf::from(text(p, &name)?)),
            _ => return Err(format!("unknown option `{name}`")),
        }
    }
    Ok(Some(args))
}

fn main() -> ExitCode {
    let args =
        match options::arguments_or_exit("benchmark", USAGE, parse(std::env::args_os().skip(1))) {
            Ok(args) => args,
            Err(code) => return code,
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
        Some(path) => config_file::load(path)?.config,
        None => Config::person_default(),
    }
    .with_threads(args.threads);
    if args.print_config {
        println!("{}", config_file::to_pretty_json(&base)?);
        return Ok(());
    }
    let preset = if args.hard { "hard" } else { "easy" };
    let started = Instant::now();
    let (data, people) = generate_data(args);
    eprintln!(
        "benchmark: {preset} preset, {} records of {people} people, generated in {:.1}s",
        data.len(),
        started.elapsed().as_secs_f64()
    );
    let clock = Instant::now();
    let starting = Linker::new(base.clone()).map_err(|e| e.to_string())?;
    let mut staged = starting.stage(&data.records).map_err(|e| e.to_string())?;
    let stage_seconds = clock.elapsed().as_secs_f64();
    let (config, train_seconds) = if args.train {
        let t = Instant::now();
        let trained = starting
            .train_staged(&staged, &TrainingOptions::default())
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
    let result = linker.run_staged(&mut staged).map_err(|e| e.to_string())?;
    drop(staged);
    let run_seconds = t.elapsed().as_secs_f64();
    let seconds = clock.elapsed().as_secs_f64();
    eprintln!("{}", result.stats);

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
    println!("preset {preset}, records {}, people {people}", data.len());
    println!("{m}");
    println!("{rel}");
    println!("duplicates with two or more life events linked {life:.4} ({found} of {changed})");
    println!("households: {homes}");
    let peak = peak_rss_mib();
    let records_per_second = data.len() as f64 / seconds.max(1e-9);
    println!(
        "threshold {threshold:+.2}, candidate pairs {}, staging {stage_seconds:.2}s, training {train_seconds:.2}s, run {run_seconds:.2}s, total {seconds:.2}s ({records_per_second:.0} records/s), peak memory {}",
        result.stats.candidate_pairs,
        peak.map_or("unknown".to_owned(), |m| format!("{m:.0} MiB"))
    );
    println!(
        "{{\"preset\": \"{preset}\", \"records\": {}, \"people\": {people}, \"seconds\": {seconds:.3}, \"stage_seconds\": {stage_seconds:.3}, \"train_seconds\": {train_seconds:.3}, \"run_seconds\": {run_seconds:.3}, \"records_per_second\": {records_per_second:.0}, \"peak_rss_mib\": {}, \"candidate_pairs\": {}, \"pairwise_precision\": {:.4}, \"pairwise_recall\": {:.4}, \"pairwise_f1\": {:.4}, \"relatives_merged\": {:.4}, \"life_events_2_linked\": {life:.4}, \"household_f1\": {:.4}, \"threshold\": {threshold:.2}}}",
        data.len(),
        peak.map_or("null".to_owned(), |m| format!("{m:.1}")),
        result.stats.candidate_pairs,
        m.precision,
        m.recall,
        m.f1,
        rel.merged_share,
        homes.f1,
    );
    Ok(())
}

/// The generated people and their records: `--people N`, or with `--records
/// N` people added (in growing generations of the same seed) until there
/// are N records, cut to the first N. Returns the data and the people in it.
fn generate_data(args: &Args) -> (SynthData, usize) {
    let config = |people: usize| {
        if args.hard {
            SynthConfig::hard(args.seed, people)
        } else {
            SynthConfig::easy(args.seed, people)
        }
    };
    let Some(wanted) = args.records else {
        return (generate(&config(args.people)), args.people);
    };
    // About 1.75 records per person in both presets; grow the estimate if short.
    let mut people = (wanted as f64 / 1.7).ceil() as usize + 1;
    loop {
        let mut data = generate(&config(people));
        if data.len() >= wanted {
            data.records.truncate(wanted);
            data.truth.truncate(wanted);
            data.household.truncate(wanted);
            data.life_events.truncate(wanted);
            let persons: std::collections::HashSet<u64> = data.truth.iter().copied().collect();
            return (data, persons.len());
        }
        people = people * 11 / 10 + 1;
    }
}

/// The peak resident memory of this process in MiB (`VmHWM`, Linux only).
fn peak_rss_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}
