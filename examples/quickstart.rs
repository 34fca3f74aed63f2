//! Quickstart: deduplicate generated person records and explain two decisions.
//!
//! Generates 3,000 people (French and English) with their duplicates across
//! channels, learns the model from the records themselves (no labels), resolves
//! them, scores the result against the generator's ground truth, and explains
//! one accepted link and one rejected candidate.
//!
//! Run with `cargo run --release --example quickstart`; it takes no options
//! but `--help`.

use std::process::ExitCode;

use personlink::eval::pairwise;
use personlink::synth::{generate, SynthConfig};
use personlink::train::TrainingOptions;
use personlink::{Config, Linker};

const USAGE: &str = "\
quickstart: generate 3,000 people with duplicates, learn the model from them, resolve them,
score the result against the ground truth and explain two decisions.

Usage: quickstart [-h | --help]
";

fn main() -> ExitCode {
    let mut parser = lexopt::Parser::from_env();
    match parser.next() {
        Ok(None) => {}
        Ok(Some(lexopt::Arg::Short('h') | lexopt::Arg::Long("help"))) => {
            print!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Ok(Some(arg)) => {
            eprintln!("quickstart: {} (it takes no options but --help)", arg.unexpected());
            return ExitCode::from(2);
        }
        Err(e) => {
            eprintln!("quickstart: {e} (it takes no options but --help)");
            return ExitCode::from(2);
        }
    }
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("quickstart: {e}");
            ExitCode::from(2)
        }
    }
}

/// The whole demonstration.
fn run() -> personlink::Result<()> {
    let data = generate(&SynthConfig::new(7, 3_000));
    println!(
        "generated {} records of {} people ({} true duplicate pairs)",
        data.records.len(),
        3_000,
        data.true_pairs()
    );

    // Learn m, u, the prior and value frequencies from the data, then resolve with them.
    let untrained = Linker::new(Config::person_default())?;
    let trained = untrained.train(&data.records, &TrainingOptions::default())?;
    println!(
        "trained in {:.2}s: prior {:.2e}, suggested threshold {:+.1}",
        trained.report.time.as_secs_f64(),
        trained.model.prior,
        trained.report.suggested_threshold
    );
    let mut config = Config::person_default().with_model(trained.model);
    config.policy.move_match_threshold(trained.report.suggested_threshold);
    let linker = Linker::new(config)?;
    let result = linker.dedupe(&data.records)?;
    println!("{}", result.stats);
    let metrics = pairwise(&result.entity_of, &data.truth);
    println!("{metrics}");

    // An accepted link that needed more than exact equality, to show the fuzzy levels at work.
    let fuzzy_link = result
        .links
        .iter()
        .find(|l| l.levels.levels().iter().filter(|&&lv| lv > 1).count() >= 2)
        .or(result.links.first());
    if let Some(link) = fuzzy_link {
        println!("\nAn accepted link:");
        println!("{}", linker.explain(&data.records[link.a], &data.records[link.b])?);
    }
    // The strongest candidate below the match threshold: a near miss or a look-alike.
    if let Some(near) = result.review.first() {
        let same = data.truth[near.a] == data.truth[near.b];
        println!(
            "\nThe strongest pair below the threshold (truly the same person: {}):",
            if same { "yes" } else { "no" }
        );
        println!("{}", linker.explain(&data.records[near.a], &data.records[near.b])?);
    }
    Ok(())
}
