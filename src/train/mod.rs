//! Learning the Fellegi-Sunter model from the records themselves.
//!
//! [`Linker::train`] estimates a [`Model`] without labels, as the best
//! probabilistic linkage tools do:
//!
//! 1. **u by random sampling.** Pairs of records drawn at random (seeded) are
//!    almost all different people, so the share of them landing on each level
//!    estimates `u`. The sample size is configurable and reported. An `exact`
//!    first level is the exception: its share is counted over all pairs from
//!    the values' counts (a sample of random pairs holds only a handful that share
//!    a birth date, and the level's weight would swing by bits with the
//!    sample). Once m and the prior are known, the true matches the sample
//!    holds are taken out (observed `f = prior·m + (1 − prior)·u`), which
//!    matters for strong identifiers.
//! 2. **m by expectation-maximisation** over the blocked candidate pairs, with
//!    `u` held fixed. One pass runs per blocking rule on the pairs that rule
//!    finds; the comparisons of the fields the rule blocks on are held out of
//!    of that pass's weights (they agree by construction there, so their levels
//!    say nothing), though the identity requirement still reads them, and each
//!    comparison's `m` is the mean over the passes that estimated it.
//!    Each iteration's largest parameter change is reported; a pass stops when
//!    it falls under the tolerance or at the iteration cap.
//! 3. **The prior** (the probability that two random records are the same
//!    person) is the expected number of matches among the candidate pairs,
//!    under the trained m and u, divided by the number of all pairs.
//!
//! **The starting model is evidence too.** Its u counts as
//! [`TrainingOptions::u_prior_pairs`] random pairs and its m as
//! [`TrainingOptions::m_prior_pairs`] matches, so each estimate moves from it
//! as far as the data show: on a file of a few hundred records, where a level
//! is reached by a handful of pairs, a near miss keeps about its starting
//! weight instead of outweighing exact agreement; on a large file the data
//! decide (200,000 sampled pairs against 10,000, tens of thousands of
//! matches against 10). Likewise the suggested threshold stays at 0 when the
//! candidate pairs are too few to show a valley between matches and
//! non-matches ([`suggest_threshold`]).
//!
//! Probabilities are clamped to `[MIN_TRAINED_PROBABILITY, 1]`, so no weight is
//! infinite or NaN; the clamped levels are listed in the report.
//!
//! ```
//! use personlink::synth::{generate, SynthConfig};
//! use personlink::train::TrainingOptions;
//! use personlink::{Config, Linker};
//!
//! let data = generate(&SynthConfig::new(3, 400));
//! let linker = Linker::new(Config::person_default())?;
//! let trained = linker.train(&data.records, &TrainingOptions::default())?;
//! println!("{}", trained.report);
//! let tuned = Linker::new(linker.config().clone().with_model(trained.model))?;
//! let result = tuned.dedupe(&data.records)?;
//! assert!(result.entities.len() < data.records.len());
//! # Ok::<(), personlink::Error>(())
//! ```

mod em;
mod labelled;
mod report;
mod sample;
mod values;

use std::time::Instant;

use serde::{Deserialize, Serialize};

use em::{em_pass, expected_matches, Patterns, Table};
use report::weight_histogram;
pub use report::{
    suggest_threshold, IterationReport, PassReport, TrainingReport, TrainingTimes, UStandardError,
};
use values::ExactShare;

use crate::batch::{Linker, Staged, StagedRecords};
use crate::config::Config;
use crate::error::{Error, Result};
use crate::model::{IdentityCheck, LevelParams, Model};
use crate::record::{Record, SourceRef};

/// The smallest probability training gives any m or u.
pub const MIN_TRAINED_PROBABILITY: f64 = 1e-6;

/// How a model is trained.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TrainingOptions {
    /// Seed of the random pair sample.
    pub seed: u64,
    /// Random pairs drawn to estimate u (all pairs when there are fewer).
    /// 200,000 by default: on FEBRL1/2 and on generated data of 100,000
    /// records, 100,000, 300,000 and 1,000,000 pairs give the same entities
    /// within one pair in 67,000, and the sample costs about a fifth of a
    /// million's. The report gives each level's standard error
    /// ([`TrainingReport::u_standard_errors`]).
    pub u_sample_pairs: u64,
    /// Iteration cap of each EM pass.
    pub max_iterations: usize,
    /// A pass has converged when no parameter moves by more than this.
    pub tolerance: f64,
    /// Hold out the fields of a blocking rule in that rule's EM pass.
    pub hold_out_blocking_fields: bool,
    /// Estimate the prior from the data (else keep the configuration's).
    pub estimate_prior: bool,
    /// Rules finding fewer candidate pairs than this get no EM pass.
    pub min_pass_pairs: u64,
    /// A comparison whose values are both present in fewer random pairs than
    /// this keeps its starting u (a handful of pairs says nothing about how
    /// often different people agree; it is reported in `u_not_estimated`).
    pub min_u_pairs: u64,
    /// Build the value frequency tables of the comparisons with `term_frequency` set.
    pub term_frequencies: bool,
    /// How many random pairs the starting model's u counts as: each estimated
    /// u is `(pairs of different people on the level + u_prior_pairs · starting
    /// u) / (pairs of different people + u_prior_pairs)`. On a small file
    /// (40,000 pairs for 282 records) a level a handful of pairs reach keeps
    /// much of its starting u instead of swinging by bits with each pair; on a
    /// sample of 200,000 pairs the starting u weighs 5%.
    pub u_prior_pairs: f64,
    /// How many matching pairs the starting model's m counts as in each EM
    /// update (`m = (expected matches on the level + m_prior_pairs · starting
    /// m) / (expected matches + m_prior_pairs)`): a pass over a few hundred
    /// candidate pairs moves m only as far as its matches show.
    pub m_prior_pairs: f64,
}

impl Default for TrainingOptions {
    fn default() -> Self {
        TrainingOptions {
            seed: 1,
            u_sample_pairs: 200_000,
            max_iterations: 30,
            tolerance: 1e-4,
            hold_out_blocking_fields: true,
            estimate_prior: true,
            min_pass_pairs: 50,
            min_u_pairs: 500,
            term_frequencies: true,
            u_prior_pairs: 10_000.0,
            m_prior_pairs: 10.0,
        }
    }
}

/// A trained model and the account of its training.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Trained {
    /// The model, ready for [`crate::Config::with_model`].
    pub model: Model,
    /// What training did.
    pub report: TrainingReport,
}

/// A pair of records a person judged to be, or not to be, the same person.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LabelledPair {
    /// One record.
    pub a: SourceRef,
    /// The other record.
    pub b: SourceRef,
    /// Whether they are the same person.
    pub is_match: bool,
}

impl LabelledPair {
    /// A labelled pair.
    pub fn new(a: SourceRef, b: SourceRef, is_match: bool) -> Self {
        LabelledPair { a, b, is_match }
    }
}

impl Linker {
    /// Trains a model on one dataset, starting from the configuration's model.
    ///
    /// # Errors
    /// As [`Linker::dedupe`]; [`Error::Config`] for invalid options.
    pub fn train(&self, records: &[Record], options: &TrainingOptions) -> Result<Trained> {
        check_options(options)?;
        let started = Instant::now();
        self.train_since(&self.stage(records)?, options, started)
    }

    /// Trains a model for linking two datasets (random and candidate pairs are cross pairs).
    ///
    /// # Errors
    /// As [`Linker::link`]; [`Error::Config`] for invalid options.
    pub fn train_link(
        &self,
        left: &[Record],
        right: &[Record],
        options: &TrainingOptions,
    ) -> Result<Trained> {
        check_options(options)?;
        let started = Instant::now();
        self.train_since(&self.stage_link(left, right)?, options, started)
    }

    /// Trains on records staged once ([`Linker::stage`] or
    /// [`Linker::stage_link`]), which the run with the trained model can then
    /// use without preparing them again ([`Linker::run_staged`]). The same
    /// model as [`Linker::train`] (or [`Linker::train_link`]) on those records.
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] when the records were staged by a linker that
    /// normalizes or blocks otherwise; [`Error::Config`] for invalid options.
    pub fn train_staged(
        &self,
        staged: &StagedRecords,
        options: &TrainingOptions,
    ) -> Result<Trained> {
        check_options(options)?;
        self.train_since(staged, options, Instant::now())
    }

    /// Trains on `staged`; the report's time counts from `started`.
    fn train_since(
        &self,
        staged: &StagedRecords,
        options: &TrainingOptions,
        started: Instant,
    ) -> Result<Trained> {
        self.train_inner(self.staged_inner(staged)?, staged.left_len(), options, started)
    }

    fn train_inner(
        &self,
        staged: &Staged,
        left_len: Option<usize>,
        options: &TrainingOptions,
        started: Instant,
    ) -> Result<Trained> {
        let mut times = TrainingTimes::default();
        let mut lap = started;
        let mut stage_done = |slot: &mut std::time::Duration| {
            *slot = lap.elapsed();
            lap = Instant::now();
        };
        stage_done(&mut times.prepare);
        let config = self.config();
        let start = &config.model;
        let (mut m, mut u) = starting_tables(start);
        let (m0, u0) = (m.clone(), u.clone());
        let gate = IdentityCheck::of(start);

        // 1. u from random pairs.
        let (u_counts, u_pairs) = sample::sample_levels(self.engine(), staged, left_len, options);
        stage_done(&mut times.u_sample);
        let counted = values::count_values(self.engine(), &config.comparisons, staged, left_len);
        stage_done(&mut times.value_counts);
        let exact = values::exact_shares(&counted, config.comparisons.len());
        let observed = observed_shares(&u_counts, &exact);
        let evidence = evidence_pairs(&u_counts, &exact);
        let u_estimated = u_from_sample(&u_counts, &observed, &evidence, &mut u, options);
        let u_not_estimated = not_estimated(&u_estimated, start);
        let u_standard_errors = standard_errors(&observed, &evidence, &u_estimated, start);

        // 2. m by EM, one pass per blocking rule.
        let patterns = Patterns::count(self.engine(), staged, left_len.is_some());
        stage_done(&mut times.candidate_patterns);
        let candidate_pairs: u64 = patterns.all.values().sum();
        let (passes, m_not_estimated) =
            m_by_em(&patterns, &mut m, &m0, &u, gate.as_ref(), config, options);
        let clamped = clamp(&mut m, &mut u, start);

        // 3. The prior: expected matches among the candidates over all pairs.
        let n = staged.prepared.len() as f64;
        let all_pairs = match left_len {
            Some(l) => l as f64 * (n - l as f64),
            None => n * (n - 1.0) / 2.0,
        };
        let estimate_prior = |m: &Table, u: &Table| {
            let expected =
                expected_matches(&patterns.all, m, u, &vec![false; m.len()], gate.as_ref());
            let prior = if options.estimate_prior && all_pairs > 0.0 && expected > 0.0 {
                (expected / all_pairs).clamp(MIN_TRAINED_PROBABILITY * 1e-3, 0.5)
            } else {
                start.prior
            };
            (expected, prior)
        };
        let (_, first_prior) = estimate_prior(&m, &u);
        correct_u_for_matches(
            &observed,
            &evidence,
            &u_estimated,
            &mut u,
            (&u0, &m),
            first_prior,
            options.u_prior_pairs,
        );
        let (expected_matches, prior) = estimate_prior(&m, &u);

        let mut model = start.clone();
        model.prior = prior;
        // Records one person holds: k records per person make k(k-1)/2
        // matching pairs, so 1 + 2·matches/records recovers k.
        model.records_per_person = (1.0 + 2.0 * expected_matches / n.max(1.0)).clamp(1.0, 100.0);
        if options.term_frequencies {
            model.term_frequencies = values::frequency_tables(
                &counted,
                &config.comparisons,
                model.shared_value_allowance(),
                start.frequency_key.as_ref().filter(|_| start.frequency_key_check.is_some()),
            );
        }
        for (k, cm) in model.comparisons.iter_mut().enumerate() {
            for (l, lp) in cm.levels.iter_mut().enumerate() {
                *lp = LevelParams::new(lp.label.clone(), m[k][l + 1], u[k][l + 1]);
            }
        }
        let weight_histogram = weight_histogram(&patterns.all, &m, &u, prior, gate.as_ref());
        let suggested_threshold = suggest_threshold(&weight_histogram);
        model.validate(&config.comparisons).map_err(|e| Error::Training { source: Box::new(e) })?;
        stage_done(&mut times.em);
        Ok(Trained {
            model,
            report: TrainingReport {
                u_pairs,
                candidate_pairs,
                passes,
                m_not_estimated,
                u_not_estimated,
                u_standard_errors,
                clamped,
                expected_matches,
                prior,
                weight_histogram,
                suggested_threshold,
                labelled_matches: 0,
                labelled_non_matches: 0,
                time: started.elapsed(),
                stage_times: times,
            },
        })
    }
}

fn check_options(o: &TrainingOptions) -> Result<()> {
    if !(o.tolerance.is_finite() && o.tolerance > 0.0) {
        return Err(Error::config("training.tolerance", "must be finite and > 0"));
    }
    if o.max_iterations == 0 {
        return Err(Error::config("training.max_iterations", "must be at least 1"));
    }
    for (name, v) in [("u_prior_pairs", o.u_prior_pairs), ("m_prior_pairs", o.m_prior_pairs)] {
        if !(v.is_finite() && v >= 0.0) {
            return Err(Error::config(format!("training.{name}"), "must be finite and >= 0"));
        }
    }
    Ok(())
}

/// The starting model's m and u, as tables (level 0, "missing", at 0).
fn starting_tables(start: &Model) -> (Table, Table) {
    let k_count = start.comparisons.len();
    let mut m: Table = Vec::with_capacity(k_count);
    let mut u: Table = Vec::with_capacity(k_count);
    for cm in &start.comparisons {
        let mut mk = vec![0.0];
        let mut uk = vec![0.0];
        for lp in &cm.levels {
            mk.push(lp.m);
            uk.push(lp.u);
        }
        m.push(mk);
        u.push(uk);
    }
    (m, u)
}

/// The share of random pairs (both values present) on each level: the sampled
/// level counts, except that the first level of a comparison with an `exact`
/// share takes it, and its other levels share the rest in the sample's
/// proportions.
fn observed_shares(u_counts: &[Vec<u64>], exact: &[Option<ExactShare>]) -> Table {
    u_counts
        .iter()
        .zip(exact)
        .map(|(counts, exact)| {
            let present: u64 = counts[1..].iter().sum();
            let levels = counts.len() - 1;
            let share = |c: u64, total: u64| if total == 0 { 0.0 } else { c as f64 / total as f64 };
            let mut shares = vec![0.0; counts.len()];
            match exact {
                Some(e) if levels > 1 => {
                    shares[1] = e.share.clamp(0.0, 1.0);
                    let rest = present - counts[1];
                    for l in 2..=levels {
                        shares[l] = share(counts[l], rest) * (1.0 - shares[1]);
                    }
                }
                _ => {
                    for l in 1..=levels {
                        shares[l] = share(counts[l], present);
                    }
                }
            }
            shares
        })
        .collect()
}

/// How many pairs each level's observed share rests on: the sampled pairs
/// with both values present, or for a first level with an `exact` share, every
/// pair it was counted over.
fn evidence_pairs(u_counts: &[Vec<u64>], exact: &[Option<ExactShare>]) -> Table {
    u_counts
        .iter()
        .zip(exact)
        .map(|(counts, exact)| {
            let present = counts[1..].iter().sum::<u64>() as f64;
            let mut pairs = vec![present; counts.len()];
            pairs[0] = 0.0;
            if let (Some(e), true) = (exact, counts.len() > 2) {
                pairs[1] = e.pairs;
            }
            pairs
        })
        .collect()
}

/// One comparison's u: the share of pairs of different people on each level,
/// from the `observed` shares resting on `evidence` pairs, of which a share
/// `prior` are matches distributed as `m` (observed f = λ·m + (1 − λ)·u),
/// shrunk towards the starting `u0`, which counts as `prior_pairs` pairs:
/// per level `(non-matching pairs on it + prior_pairs · u0) / (pairs +
/// prior_pairs)`, then normalized. A level few pairs reach keeps most of its
/// starting u; a share counted over millions of pairs keeps its own.
fn u_posterior(
    observed: &[f64],
    evidence: &[f64],
    u0: &[f64],
    m: &[f64],
    prior: f64,
    prior_pairs: f64,
) -> Vec<f64> {
    let mut u = vec![0.0; observed.len()];
    for l in 1..u.len() {
        let pairs = evidence[l];
        let non_matching = ((observed[l] - prior * m[l]) * pairs).max(0.0);
        u[l] = if pairs + prior_pairs > 0.0 {
            (non_matching + prior_pairs * u0[l]) / (pairs + prior_pairs)
        } else {
            u0[l]
        };
    }
    let sum: f64 = u[1..].iter().sum();
    for v in &mut u[1..] {
        *v = if sum > 0.0 { *v / sum } else { *v }.clamp(MIN_TRAINED_PROBABILITY, 1.0);
    }
    u
}

/// u from the `observed` shares for every comparison present in at least
/// `options.min_u_pairs` sampled pairs (shrunk towards the starting u, before
/// any match is known); the others keep their starting u. Returns which
/// comparisons were estimated.
fn u_from_sample(
    u_counts: &[Vec<u64>],
    observed: &Table,
    evidence: &Table,
    u: &mut Table,
    options: &TrainingOptions,
) -> Vec<bool> {
    let mut estimated = vec![false; u.len()];
    for k in 0..u.len() {
        let present: u64 = u_counts[k][1..].iter().sum();
        if present == 0 || present < options.min_u_pairs {
            continue;
        }
        estimated[k] = true;
        let none = vec![0.0; u[k].len()];
        u[k] = u_posterior(&observed[k], &evidence[k], &u[k], &none, 0.0, options.u_prior_pairs);
    }
    estimated
}

/// The fields of the comparisons not `estimated`.
/// The standard error, in bits of weight, of each estimated level's
/// observed share (see [`TrainingReport::u_standard_errors`]).
fn standard_errors(
    observed: &Table,
    evidence: &Table,
    estimated: &[bool],
    start: &Model,
) -> Vec<UStandardError> {
    let mut out = Vec::new();
    for (k, cm) in start.comparisons.iter().enumerate() {
        for (l, level) in cm.levels.iter().enumerate() {
            let (p, n) = (observed[k][l + 1], evidence[k][l + 1]);
            let bits = (estimated[k] && p > 0.0 && n > 0.0)
                .then(|| std::f64::consts::LOG2_E * ((1.0 - p).max(0.0) / (n * p)).sqrt());
            out.push(UStandardError { field: cm.field.clone(), level: level.label.clone(), bits });
        }
    }
    out
}

fn not_estimated(estimated: &[bool], start: &Model) -> Vec<String> {
    let fields = start.comparisons.iter().map(|c| c.field.clone());
    fields.zip(estimated).filter(|(_, &e)| !e).map(|(f, _)| f).collect()
}

/// m by EM: one pass per blocking rule with enough pairs, that rule's fields
/// held out, and each comparison's m the mean over the passes that estimated
/// it. Returns the passes and the comparisons no pass estimated.
fn m_by_em(
    patterns: &Patterns,
    m: &mut Table,
    m0: &Table,
    u: &Table,
    gate: Option<&IdentityCheck>,
    config: &Config,
    options: &TrainingOptions,
) -> (Vec<PassReport>, Vec<String>) {
    let k_count = m.len();
    let mut passes = Vec::new();
    let mut m_sum: Table = m.iter().map(|mk| vec![0.0; mk.len()]).collect();
    let mut m_passes = vec![0usize; k_count];
    for (r, rule) in config.blocking.rules.iter().enumerate() {
        let counts = &patterns.by_rule[r];
        let pairs: u64 = counts.values().sum();
        if pairs < options.min_pass_pairs {
            continue;
        }
        let held: Vec<bool> = config
            .comparisons
            .iter()
            .map(|c| {
                options.hold_out_blocking_fields && rule.parts.iter().any(|p| p.field == c.field)
            })
            .collect();
        let mut pass_m = m.clone();
        let (iterations, converged, present) =
            em_pass(counts, &mut pass_m, m0, u, &held, gate, options);
        for k in 0..k_count {
            if !held[k] && present[k] {
                for (s, v) in m_sum[k].iter_mut().zip(&pass_m[k]) {
                    *s += v;
                }
                m_passes[k] += 1;
            }
        }
        passes.push(PassReport {
            rule: rule.name.clone(),
            pairs,
            held_out: config
                .comparisons
                .iter()
                .zip(&held)
                .filter(|(_, &h)| h)
                .map(|(c, _)| c.field.clone())
                .collect(),
            iterations,
            converged,
        });
    }
    let mut m_not_estimated = Vec::new();
    for k in 0..k_count {
        if m_passes[k] == 0 {
            m_not_estimated.push(config.model.comparisons[k].field.clone());
        } else {
            for l in 1..m[k].len() {
                m[k][l] = m_sum[k][l] / m_passes[k] as f64;
            }
        }
    }
    (passes, m_not_estimated)
}

/// Clamps every m and u into `[MIN_TRAINED_PROBABILITY, 1]`; returns the
/// levels clamped to the floor (`field/level m` or `u`).
fn clamp(m: &mut Table, u: &mut Table, start: &Model) -> Vec<String> {
    let mut clamped = Vec::new();
    for k in 0..m.len() {
        for l in 1..m[k].len() {
            let label = &start.comparisons[k].levels[l - 1].label;
            for (name, table) in [("m", &mut *m), ("u", &mut *u)] {
                let v = table[k][l];
                if !v.is_finite() || v < MIN_TRAINED_PROBABILITY {
                    table[k][l] = MIN_TRAINED_PROBABILITY;
                    clamped.push(format!("{}/{label} {name}", start.comparisons[k].field));
                } else if v > 1.0 {
                    table[k][l] = 1.0;
                }
            }
        }
    }
    clamped
}

/// Random pairs hold true matches at the prior's rate, which inflates u where m
/// is large (an exact national id): observed f = λ·m + (1 − λ)·u, so the pairs
/// of different people on a level are the observed ones less λ·m of them; u
/// is their share, shrunk towards the starting model's `u0`.
fn correct_u_for_matches(
    observed: &Table,
    evidence: &Table,
    estimated: &[bool],
    u: &mut Table,
    (u0, m): (&Table, &Table),
    prior: f64,
    prior_pairs: f64,
) {
    for k in 0..u.len() {
        if estimated[k] {
            u[k] = u_posterior(&observed[k], &evidence[k], &u0[k], &m[k], prior, prior_pairs);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A comparison of three levels whose starting u is `[_, 0.004, 0.03, 0.966]`.
    const U0: [f64; 4] = [0.0, 0.004, 0.03, 0.966];

    #[test]
    fn a_level_few_pairs_reach_keeps_most_of_its_starting_u() {
        // 40,000 pairs (a file of 283 records), none on the first level.
        let observed = [0.0, 0.0, 0.03, 0.97];
        let u = u_posterior(&observed, &[0.0, 4e4, 4e4, 4e4], &U0, &[0.0; 4], 0.0, 1e4);
        assert!((u[1] - 0.004 / 5.0).abs() < 1e-5, "{u:?}");
        // Without the prior, the level's u would be 0 (clamped): +28 bits from nothing.
        let bare = u_posterior(&observed, &[0.0, 4e4, 4e4, 4e4], &U0, &[0.0; 4], 0.0, 0.0);
        assert_eq!(bare[1], MIN_TRAINED_PROBABILITY);
    }

    #[test]
    fn a_large_sample_decides_and_matches_are_taken_out() {
        let observed = [0.0, 0.0002, 0.03, 0.9698];
        let evidence = [0.0, 1e6, 1e6, 1e6];
        let u = u_posterior(&observed, &evidence, &U0, &[0.0; 4], 0.0, 1e4);
        // 200 pairs against the prior's 40: the estimate stays within a fifth of the data's.
        assert!(u[1] > 0.0002 && u[1] < 0.00024, "{u:?}");
        // A share counted over a billion pairs is the data's own.
        let counted = u_posterior(&observed, &[0.0, 1e9, 1e6, 1e6], &U0, &[0.0; 4], 0.0, 1e4);
        assert!((counted[1] - 0.0002).abs() < 1e-6, "{counted:?}");
        // With a prior of 1e-4 and m = 0.9 on the first level, 90 of the 200
        // pairs there are matches: u counts the other 110.
        let m = [0.0, 0.9, 0.05, 0.05];
        let corrected = u_posterior(&observed, &[0.0, 1e9, 1e6, 1e6], &U0, &m, 1e-4, 0.0);
        assert!((corrected[1] - 0.00011).abs() < 1e-6, "{corrected:?}");
        assert!((corrected[1..].iter().sum::<f64>() - 1.0).abs() < 1e-9);
    }
}
