//! A fuzz harness on the stable toolchain: seeded random inputs through every
//! public entry point (normalizers, the CSV reading of the examples (their modules, as `cli` compiles them), the
//! configuration, model and snapshot JSON, `Linker` on random records and
//! configurations, random resolver operation sequences with manual decisions
//! and snapshot round trips, compared with batch).
//!
//! - `cargo test` runs each entry point briefly (a fixed seed), and replays
//!   the corpus of inputs that once failed (`tests/fuzz_corpus/TARGET/`).
//! - At length: `cargo test --release --test integration -- --ignored fuzz
//!   --nocapture`, for `PERSONLINK_FUZZ_SECONDS` seconds per entry point
//!   (default 60) from seed `PERSONLINK_FUZZ_SEED` (default: the clock);
//!   `PERSONLINK_FUZZ_TARGET` limits it to one entry point. It prints the
//!   executions per entry point.
//!
//! An input that panics is saved under the test build's temporary directory
//! and named in the failure; once the defect is fixed, copy it into the
//! corpus so it stays fixed.

mod input;
mod targets;

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::PathBuf;
use std::time::{Duration, Instant};

use input::Rng;
use targets::{Target, TARGETS};

/// Runs `target` on `input`; a panic becomes an error naming the saved input.
fn execute(target: &Target, input: &[u8]) -> Result<(), String> {
    match catch_unwind(AssertUnwindSafe(|| (target.run)(input))) {
        Ok(()) => Ok(()),
        Err(payload) => {
            let message = payload
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| payload.downcast_ref::<&str>().map(|s| (*s).to_owned()))
                .unwrap_or_default();
            let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("fuzz-failures");
            let _ = std::fs::create_dir_all(&dir);
            let path = dir.join(format!("{}-{:016x}", target.name, fingerprint(input)));
            let _ = std::fs::write(&path, input);
            Err(format!("{} panicked ({message}); input saved at {}", target.name, path.display()))
        }
    }
}

fn fingerprint(bytes: &[u8]) -> u64 {
    bytes
        .iter()
        .fold(0xcbf2_9ce4_8422_2325u64, |h, &b| (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3))
}

/// Runs `target` on inputs drawn from `seed` until `executions` are done or
/// `time` is up; returns how many ran.
fn fuzz(target: &Target, seed: u64, executions: usize, time: Duration) -> Result<usize, String> {
    let mut rng = Rng::new(seed ^ fingerprint(target.name.as_bytes()));
    let started = Instant::now();
    let mut done = 0;
    while done < executions && started.elapsed() < time {
        let input = (target.generate)(&mut rng);
        execute(target, &input).map_err(|e| format!("{e} (seed {seed}, execution {done})"))?;
        done += 1;
    }
    Ok(done)
}

fn target(name: &str) -> &'static Target {
    TARGETS.iter().find(|t| t.name == name).expect("a target of that name")
}

fn quick(name: &str) {
    let t = target(name);
    let done = fuzz(t, 20_261_203, t.quick, Duration::MAX).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(done, t.quick);
}

#[test]
fn fuzz_quick_normalize() {
    quick("normalize");
}

#[test]
fn fuzz_quick_csv() {
    quick("csv");
}

#[test]
fn fuzz_quick_config() {
    quick("config");
}

#[test]
fn fuzz_quick_model() {
    quick("model");
}

#[test]
fn fuzz_quick_snapshot() {
    quick("snapshot");
}

#[test]
fn fuzz_quick_records() {
    quick("records");
}

#[test]
fn fuzz_quick_resolver() {
    quick("resolver");
}

/// Every input of the corpus (`tests/fuzz_corpus/TARGET/*`) runs clean.
#[test]
fn fuzz_corpus_inputs_that_once_failed_stay_fixed() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz_corpus");
    let mut replayed = 0;
    for t in TARGETS {
        let Ok(entries) = std::fs::read_dir(root.join(t.name)) else { continue };
        let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
        paths.sort();
        for path in paths {
            let input = std::fs::read(&path).expect("a corpus file reads");
            execute(t, &input).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            replayed += 1;
        }
    }
    assert!(replayed > 0, "the corpus is empty");
}

/// The long run (see the module documentation).
#[test]
#[ignore = "runs for minutes: cargo test --release --test integration -- --ignored fuzz --nocapture"]
fn fuzz_long_run() {
    let env = |name: &str| std::env::var(name).ok().and_then(|v| v.parse::<u64>().ok());
    let seconds = env("PERSONLINK_FUZZ_SECONDS").unwrap_or(60);
    let seed = env("PERSONLINK_FUZZ_SEED").unwrap_or_else(|| {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(1, |d| d.as_secs())
    });
    let only = std::env::var("PERSONLINK_FUZZ_TARGET").ok();
    println!("fuzz: seed {seed}, {seconds} s per entry point");
    for t in TARGETS.iter().filter(|t| only.as_deref().is_none_or(|o| o == t.name)) {
        let started = Instant::now();
        let done = fuzz(t, seed, usize::MAX, Duration::from_secs(seconds))
            .unwrap_or_else(|e| panic!("{e}"));
        let rate = done as f64 / started.elapsed().as_secs_f64();
        println!("fuzz: {:<10} {done:>12} executions ({rate:.0}/s)", t.name);
    }
}
