//! Learning the Fellegi-Sunter model from the records themselves.
//!
//! [`Linker::train`] estimates a [`Model`] without labels, as the best
//! probabilistic linkage tools do:
//!
//! 1. **u by random sampling.** Pairs of records drawn at random (seeded) are
//!    almost all different people, so the share of them landing on each level
//!    estimates `u`. The sample size is configurable and reported; counts are
//!    smoothed by half a pair, so no level gets `u = 0`. Once m and the prior
//!    are known, `u` is corrected for the true matches the sample holds
//!    (`u = (f − prior·m) / (1 − prior)`), which matters for strong identifiers.
//! 2. **m by expectation-maximisation** over the blocked candidate pairs, with
//!    `u` held fixed. One pass runs per blocking rule on the pairs that rule
//!    finds; the comparisons of the fields the rule blocks on are held out of
//!    that pass (they agree by construction there, so their levels say nothing),
//!    and each comparison's `m` is the mean over the passes that estimated it.
//!    Each iteration's largest parameter change is reported; a pass stops when
//!    it falls under the tolerance or at the iteration cap.
//! 3. **The prior** (the probability that two random records are the same
//!    person) is the expected number of matches among the candidate pairs,
//!    under the trained m and u, divided by the number of all pairs.
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

use std::fmt;
use std::time::{Duration, Instant};

use hashbrown::HashMap;
use serde::{Deserialize, Serialize};

use crate::batch::{visit_candidates, Linker, Staged};
use crate::compare::ComparisonVector;
use crate::error::{Error, Result};
use crate::model::{match_probability, prior_weight, LevelParams, Model, TermFrequencies};
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
    /// Build the value frequency tables of the comparisons with `term_frequency` set.
    pub term_frequencies: bool,
}

impl Default for TrainingOptions {
    fn default() -> Self {
        TrainingOptions {
            seed: 1,
            u_sample_pairs: 1_000_000,
            max_iterations: 30,
            tolerance: 1e-4,
            hold_out_blocking_fields: true,
            estimate_prior: true,
            min_pass_pairs: 50,
            term_frequencies: true,
        }
    }
}

/// One EM iteration.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IterationReport {
    /// Largest absolute change of any m or of the match share.
    pub max_change: f64,
    /// Estimated share of matches among the pass's pairs.
    pub match_share: f64,
}

/// One EM pass, on the pairs of one blocking rule.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PassReport {
    /// The blocking rule.
    pub rule: String,
    /// Candidate pairs in its blocks.
    pub pairs: u64,
    /// Compared fields held out of the pass.
    pub held_out: Vec<String>,
    /// Every iteration, in order.
    pub iterations: Vec<IterationReport>,
    /// Whether the change fell under the tolerance before the iteration cap.
    pub converged: bool,
}

/// What training did.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrainingReport {
    /// Random pairs compared to estimate u.
    pub u_pairs: u64,
    /// Distinct candidate pairs.
    pub candidate_pairs: u64,
    /// The EM passes run (rules with too few pairs are skipped).
    pub passes: Vec<PassReport>,
    /// Comparisons whose m no pass estimated (their starting m is kept).
    pub m_not_estimated: Vec<String>,
    /// Comparisons whose u could not be estimated (never present in the sample).
    pub u_not_estimated: Vec<String>,
    /// Levels whose m or u was clamped to the floor (`field/level m` or `u`).
    pub clamped: Vec<String>,
    /// Expected matches among the candidate pairs.
    pub expected_matches: f64,
    /// The prior of the trained model.
    pub prior: f64,
    /// Labelled matches blended in ([`Linker::train_labelled`]).
    pub labelled_matches: usize,
    /// Labelled non-matches blended in.
    pub labelled_non_matches: usize,
    /// Candidate pairs per one-bit bin of match weight under the trained model
    /// (term-frequency adjustments left out): `(bin lower bound, pairs)`, ascending.
    pub weight_histogram: Vec<(i32, u64)>,
    /// The threshold the histogram suggests (see [`suggest_threshold`]).
    pub suggested_threshold: f64,
    /// Wall time of the whole training.
    pub time: Duration,
}

impl fmt::Display for TrainingReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "training: u from {} random pairs; m by EM over {} candidate pairs in {} passes; {:.3}s",
            self.u_pairs,
            self.candidate_pairs,
            self.passes.len(),
            self.time.as_secs_f64()
        )?;
        for p in &self.passes {
            let last = p.iterations.last();
            writeln!(
                f,
                "  pass {:<32} {:>9} pairs, {:>2} iterations ({}), last change {:.2e}, match share {:.4}{}",
                p.rule,
                p.pairs,
                p.iterations.len(),
                if p.converged { "converged" } else { "iteration cap" },
                last.map_or(0.0, |i| i.max_change),
                last.map_or(0.0, |i| i.match_share),
                if p.held_out.is_empty() { String::new() } else { format!(", held out: {}", p.held_out.join(", ")) }
            )?;
        }
        if !self.m_not_estimated.is_empty() {
            writeln!(f, "  m kept from the starting model: {}", self.m_not_estimated.join(", "))?;
        }
        if !self.u_not_estimated.is_empty() {
            writeln!(f, "  u kept from the starting model: {}", self.u_not_estimated.join(", "))?;
        }
        if !self.clamped.is_empty() {
            writeln!(f, "  clamped to {MIN_TRAINED_PROBABILITY:e}: {}", self.clamped.join(", "))?;
        }
        writeln!(
            f,
            "  expected matches among candidates {:.1}, prior {:.3e} (weight {:+.2})",
            self.expected_matches,
            self.prior,
            prior_weight(self.prior)
        )?;
        let peak = self.weight_histogram.iter().map(|b| b.1).max().unwrap_or(1).max(1);
        writeln!(f, "  match weight of the candidate pairs (one row per 2 bits):")?;
        for pair in self.weight_histogram.chunks(2) {
            let count: u64 = pair.iter().map(|b| b.1).sum();
            let bar = ((count as f64 / peak as f64).sqrt() * 30.0).round() as usize;
            writeln!(f, "    {:>+4} {:>9} {}", pair[0].0, count, "#".repeat(bar))?;
        }
        write!(f, "  suggested match threshold: weight {:+.1}", self.suggested_threshold)
    }
}

/// A trained model and the account of its training.
#[derive(Debug, Clone, PartialEq)]
pub struct Trained {
    /// The model, ready for [`crate::Config::with_model`].
    pub model: Model,
    /// What training did.
    pub report: TrainingReport,
}

/// A pair of records a person judged to be, or not to be, the same person.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
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

/// Per comparison, per level index (0 = missing): a table of numbers.
type Table = Vec<Vec<f64>>;

impl Linker {
    /// Trains a model on one dataset, starting from the configuration's model.
    ///
    /// # Errors
    /// As [`Linker::dedupe`]; [`Error::Config`] for invalid options.
    pub fn train(&self, records: &[Record], options: &TrainingOptions) -> Result<Trained> {
        self.train_inner(records.iter().collect(), None, options)
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
        self.train_inner(left.iter().chain(right).collect(), Some(left.len()), options)
    }

    /// Trains on one dataset, then blends in labelled pairs.
    ///
    /// Unsupervised training runs first (as [`Linker::train`]); then, for each
    /// comparison level, the labels are counted (matches give m, non-matches u)
    /// and combined with the unsupervised estimate, which counts as
    /// `label_weight` pairs: `m = (label count + label_weight · m_em) /
    /// (labelled pairs with the field present + label_weight)`, and the same for
    /// u. With a handful of labels the estimate barely moves; with thousands the
    /// labels decide.
    ///
    /// # Errors
    /// As [`Linker::train`]; [`Error::UnknownSource`] when a label names a record
    /// that is not in `records`.
    pub fn train_labelled(
        &self,
        records: &[Record],
        labels: &[LabelledPair],
        label_weight: f64,
        options: &TrainingOptions,
    ) -> Result<Trained> {
        if !(label_weight.is_finite() && label_weight >= 0.0) {
            return Err(Error::config("label_weight", "must be finite and >= 0"));
        }
        let mut trained = self.train(records, options)?;
        let index: HashMap<&SourceRef, usize> =
            records.iter().enumerate().map(|(i, r)| (r.source(), i)).collect();
        let find = |s: &SourceRef| {
            index.get(s).copied().ok_or_else(|| Error::UnknownSource { source_ref: s.to_string() })
        };
        let mut wanted: Vec<&Record> = Vec::with_capacity(labels.len() * 2);
        for l in labels {
            wanted.push(&records[find(&l.a)?]);
            wanted.push(&records[find(&l.b)?]);
        }
        let p = self.engine().prepare(wanted.iter().copied())?;
        let model = &mut trained.model;
        // Per comparison: level counts among labelled matches [0] and non-matches [1].
        let mut counts: Vec<[Vec<f64>; 2]> = model
            .comparisons
            .iter()
            .map(|c| [vec![0.0; c.levels.len() + 1], vec![0.0; c.levels.len() + 1]])
            .collect();
        for (n, l) in labels.iter().enumerate() {
            let v = self.engine().compare(&p, 2 * n, 2 * n + 1);
            for (k, &level) in v.levels().iter().enumerate() {
                counts[k][usize::from(!l.is_match)][usize::from(level)] += 1.0;
            }
        }
        for (k, cm) in model.comparisons.iter_mut().enumerate() {
            let [matches, non_matches] = &counts[k];
            let present_m: f64 = matches[1..].iter().sum();
            let present_u: f64 = non_matches[1..].iter().sum();
            for (l, lp) in cm.levels.iter_mut().enumerate() {
                if present_m + label_weight > 0.0 {
                    lp.m = ((matches[l + 1] + label_weight * lp.m) / (present_m + label_weight))
                        .max(MIN_TRAINED_PROBABILITY);
                }
                if present_u + label_weight > 0.0 {
                    lp.u = ((non_matches[l + 1] + label_weight * lp.u)
                        / (present_u + label_weight))
                        .max(MIN_TRAINED_PROBABILITY);
                }
            }
        }
        trained.report.labelled_matches = labels.iter().filter(|l| l.is_match).count();
        trained.report.labelled_non_matches = labels.len() - trained.report.labelled_matches;
        Ok(trained)
    }

    fn train_inner(
        &self,
        records: Vec<&Record>,
        left_len: Option<usize>,
        options: &TrainingOptions,
    ) -> Result<Trained> {
        check_options(options)?;
        let started = Instant::now();
        let staged = self.stage(&records, left_len)?;
        let start = &self.config().model;
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

        // 1. u from random pairs.
        let (u_counts, u_pairs) = self.sample_levels(&staged, left_len, options);
        let mut u_not_estimated = Vec::new();
        for k in 0..k_count {
            let present: u64 = u_counts[k][1..].iter().sum();
            if present == 0 {
                u_not_estimated.push(start.comparisons[k].field.clone());
                continue;
            }
            let levels = u_counts[k].len() - 1;
            for l in 1..=levels {
                u[k][l] = (u_counts[k][l] as f64 + 0.5) / (present as f64 + 0.5 * levels as f64);
            }
        }

        // 2. m by EM, one pass per blocking rule.
        let patterns = self.candidate_patterns(&staged, left_len.is_some());
        let candidate_pairs: u64 = patterns.all.values().sum();
        let mut passes = Vec::new();
        let mut m_sum: Table = m.iter().map(|mk| vec![0.0; mk.len()]).collect();
        let mut m_passes = vec![0usize; k_count];
        let rules = &self.config().blocking.rules;
        for (r, rule) in rules.iter().enumerate() {
            let counts = &patterns.by_rule[r];
            let pairs: u64 = counts.values().sum();
            if pairs < options.min_pass_pairs {
                continue;
            }
            let held: Vec<bool> = self
                .config()
                .comparisons
                .iter()
                .map(|c| {
                    options.hold_out_blocking_fields
                        && rule.parts.iter().any(|p| p.field == c.field)
                })
                .collect();
            let mut pass_m = m.clone();
            let (iterations, converged, present) = em_pass(counts, &mut pass_m, &u, &held, options);
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
                held_out: self
                    .config()
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
                m_not_estimated.push(start.comparisons[k].field.clone());
            } else {
                for l in 1..m[k].len() {
                    m[k][l] = m_sum[k][l] / m_passes[k] as f64;
                }
            }
        }

        // Clamp, and say so.
        let mut clamped = Vec::new();
        for k in 0..k_count {
            for l in 1..m[k].len() {
                let label = &start.comparisons[k].levels[l - 1].label;
                for (name, table) in [("m", &mut m), ("u", &mut u)] {
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

        // 3. The prior: expected matches among the candidates over all pairs.
        let n = records.len() as f64;
        let all_pairs = match left_len {
            Some(l) => l as f64 * (n - l as f64),
            None => n * (n - 1.0) / 2.0,
        };
        let estimate_prior = |m: &Table, u: &Table| {
            let expected = expected_matches(&patterns.all, m, u, &vec![false; k_count]);
            let prior = if options.estimate_prior && all_pairs > 0.0 && expected > 0.0 {
                (expected / all_pairs).clamp(MIN_TRAINED_PROBABILITY * 1e-3, 0.5)
            } else {
                start.prior
            };
            (expected, prior)
        };
        let (_, first_prior) = estimate_prior(&m, &u);
        // Random pairs hold true matches at the prior's rate, which inflates u where m
        // is large (an exact national id): observed f = λ·m + (1 − λ)·u, so
        // u = (f − λ·m) / (1 − λ), floored at half a pair of the sample.
        for k in 0..k_count {
            let present: u64 = u_counts[k][1..].iter().sum();
            if present == 0 {
                continue;
            }
            let floor = (0.5 / present as f64).max(MIN_TRAINED_PROBABILITY);
            for l in 1..u[k].len() {
                let observed = u_counts[k][l] as f64 / present as f64;
                u[k][l] = ((observed - first_prior * m[k][l]) / (1.0 - first_prior)).max(floor);
            }
            let sum: f64 = u[k][1..].iter().sum();
            for v in &mut u[k][1..] {
                *v = (*v / sum).clamp(MIN_TRAINED_PROBABILITY, 1.0);
            }
        }
        let (expected_matches, prior) = estimate_prior(&m, &u);

        let mut model = start.clone();
        model.prior = prior;
        if options.term_frequencies {
            model.term_frequencies = self.frequency_tables(&staged);
        }
        for (k, cm) in model.comparisons.iter_mut().enumerate() {
            for (l, lp) in cm.levels.iter_mut().enumerate() {
                *lp = LevelParams::new(lp.label.clone(), m[k][l + 1], u[k][l + 1]);
            }
        }
        let weight_histogram = weight_histogram(&patterns.all, &m, &u, prior);
        let suggested_threshold = suggest_threshold(&weight_histogram);
        model.validate(&self.config().comparisons).map_err(|e| Error::Model {
            path: "trained".into(),
            reason: format!("training produced an invalid model: {e}"),
        })?;
        Ok(Trained {
            model,
            report: TrainingReport {
                u_pairs,
                candidate_pairs,
                passes,
                m_not_estimated,
                u_not_estimated,
                clamped,
                expected_matches,
                prior,
                weight_histogram,
                suggested_threshold,
                labelled_matches: 0,
                labelled_non_matches: 0,
                time: started.elapsed(),
            },
        })
    }

    /// Value counts of every field compared with `term_frequency` set.
    fn frequency_tables(&self, staged: &Staged) -> Vec<TermFrequencies> {
        let engine = self.engine();
        let p = &staged.prepared;
        let mut tables = Vec::new();
        for (spec, compiled) in self.config().comparisons.iter().zip(&engine.comparisons) {
            if !spec.term_frequency
                || tables.iter().any(|t: &TermFrequencies| t.field == spec.field)
            {
                continue;
            }
            let col = p.column(compiled.field);
            let mut counts: HashMap<&str, u64> = HashMap::new();
            for i in 0..p.len() {
                let v = col.text(i);
                if !v.is_empty() {
                    *counts.entry(v).or_default() += 1;
                }
            }
            let total = counts.values().sum();
            tables.push(TermFrequencies {
                field: spec.field.clone(),
                total,
                counts: counts.into_iter().map(|(k, v)| (k.to_owned(), v)).collect(),
            });
        }
        tables
    }

    /// Level counts of every comparison over a seeded sample of random pairs.
    fn sample_levels(
        &self,
        staged: &Staged,
        left_len: Option<usize>,
        options: &TrainingOptions,
    ) -> (Vec<Vec<u64>>, u64) {
        let engine = self.engine();
        let p = &staged.prepared;
        let n = p.len() as u64;
        let (left, right) = match left_len {
            Some(l) => (l as u64, n - l as u64),
            None => (n, n),
        };
        let total = match left_len {
            Some(_) => left * right,
            None => n * n.saturating_sub(1) / 2,
        };
        let zero = || -> Vec<Vec<u64>> {
            engine.comparisons.iter().map(|c| vec![0u64; c.level_count()]).collect()
        };
        if total == 0 {
            return (zero(), 0);
        }
        let exhaustive = total <= options.u_sample_pairs;
        let wanted = total.min(options.u_sample_pairs);
        // Fixed chunks with their own seeds keep the sample independent of the thread count.
        const CHUNKS: u64 = 16;
        let next = std::sync::atomic::AtomicU64::new(0);
        let work = || {
            let mut counts = zero();
            loop {
                let chunk = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                if chunk >= CHUNKS {
                    break;
                }
                let lo = wanted * chunk / CHUNKS;
                let hi = wanted * (chunk + 1) / CHUNKS;
                let mut rng = SplitMix(options.seed ^ chunk.wrapping_mul(0x9e37_79b9_7f4a_7c15));
                for s in lo..hi {
                    let (i, j) = if exhaustive {
                        pair_at(s, n, left_len)
                    } else {
                        match left_len {
                            Some(l) => (rng.below(left), l as u64 + rng.below(right)),
                            None => {
                                let i = rng.below(n);
                                let mut j = rng.below(n - 1);
                                if j >= i {
                                    j += 1;
                                }
                                (i, j)
                            }
                        }
                    };
                    let v = engine.compare(p, i as usize, j as usize);
                    for (k, &l) in v.levels().iter().enumerate() {
                        counts[k][usize::from(l)] += 1;
                    }
                }
            }
            counts
        };
        let threads = if wanted < 50_000 { 1 } else { engine.threads.max(1) };
        let parts: Vec<Vec<Vec<u64>>> = if threads == 1 {
            vec![work()]
        } else {
            std::thread::scope(|s| {
                let handles: Vec<_> = (0..threads).map(|_| s.spawn(work)).collect();
                handles.into_iter().map(|h| h.join().expect("sampling worker panicked")).collect()
            })
        };
        let mut counts = zero();
        for part in parts {
            for (c, pc) in counts.iter_mut().zip(part) {
                for (x, y) in c.iter_mut().zip(pc) {
                    *x += y;
                }
            }
        }
        (counts, wanted)
    }

    /// Comparison-vector counts of the candidate pairs: overall, and per rule
    /// (a pair counts for every rule whose uncapped block holds it).
    fn candidate_patterns(&self, staged: &Staged, link: bool) -> Patterns {
        let engine = self.engine();
        let rules = staged.blocks.rule_count();
        let (parts, _) = visit_candidates(
            &staged.blocks,
            &staged.rank,
            link,
            engine.threads,
            || Patterns { all: HashMap::new(), by_rule: vec![HashMap::new(); rules] },
            |pat: &mut Patterns, first_rule, a, b| {
                let v = engine.compare(&staged.prepared, a as usize, b as usize);
                *pat.all.entry(v).or_default() += 1;
                *pat.by_rule[first_rule].entry(v).or_default() += 1;
                for r in first_rule + 1..rules {
                    if staged.blocks.share_block(r, a, b) {
                        *pat.by_rule[r].entry(v).or_default() += 1;
                    }
                }
            },
        );
        let mut out = Patterns { all: HashMap::new(), by_rule: vec![HashMap::new(); rules] };
        for part in parts {
            for (v, c) in part.all {
                *out.all.entry(v).or_default() += c;
            }
            for (mine, theirs) in out.by_rule.iter_mut().zip(part.by_rule) {
                for (v, c) in theirs {
                    *mine.entry(v).or_default() += c;
                }
            }
        }
        out
    }
}

/// Counts of distinct comparison vectors.
#[derive(Debug, Clone)]
struct Patterns {
    all: HashMap<ComparisonVector, u64>,
    by_rule: Vec<HashMap<ComparisonVector, u64>>,
}

fn check_options(o: &TrainingOptions) -> Result<()> {
    if !(o.tolerance.is_finite() && o.tolerance > 0.0) {
        return Err(Error::config("training.tolerance", "must be finite and > 0"));
    }
    if o.max_iterations == 0 {
        return Err(Error::config("training.max_iterations", "must be at least 1"));
    }
    Ok(())
}

/// Runs EM on pattern counts, updating the m of the comparisons not held out.
/// Returns the iterations, whether it converged, and which comparisons were
/// present (non-missing) in at least one pair.
fn em_pass(
    counts: &HashMap<ComparisonVector, u64>,
    m: &mut Table,
    u: &Table,
    held: &[bool],
    options: &TrainingOptions,
) -> (Vec<IterationReport>, bool, Vec<bool>) {
    // Sorted patterns make the floating-point sums, and so the result, deterministic.
    let patterns = sorted_patterns(counts);
    let total: f64 = patterns.iter().map(|p| p.1).sum();
    let mut present = vec![false; m.len()];
    for (v, _) in &patterns {
        for (k, &l) in v.levels().iter().enumerate() {
            present[k] |= l > 0;
        }
    }
    // Start from the match share the starting parameters imply for these pairs: a
    // fixed start (say 0.1) is far too high for a large name block, and EM then
    // drifts to the degenerate "every pair matches" solution.
    let mut share = (expected_matches(counts, m, u, held) / total.max(1.0)).clamp(1e-6, 1.0 - 1e-6);
    let mut iterations = Vec::new();
    let mut converged = false;
    for _ in 0..options.max_iterations {
        // Held-out comparisons agree by construction in this pass: they weigh nothing here.
        let weights = level_weights(m, u, held);
        let mut acc: Table = m.iter().map(|mk| vec![0.0; mk.len()]).collect();
        let mut matched = 0.0;
        let prior = prior_weight(share);
        for (v, c) in &patterns {
            let g = match_probability(prior + pattern_weight(v, &weights)) * c;
            matched += g;
            for (k, &l) in v.levels().iter().enumerate() {
                acc[k][usize::from(l)] += g;
            }
        }
        let new_share = (matched / total).clamp(1e-9, 1.0 - 1e-9);
        let mut change = (new_share - share).abs();
        share = new_share;
        for k in 0..m.len() {
            if held[k] {
                continue;
            }
            let present_weight: f64 = acc[k][1..].iter().sum();
            if present_weight <= 0.0 {
                continue;
            }
            let levels = (m[k].len() - 1) as f64;
            for l in 1..m[k].len() {
                // Smoothed by a tenth of a pair so an unseen level keeps a small m.
                let new = ((acc[k][l] + 0.1) / (present_weight + 0.1 * levels))
                    .max(MIN_TRAINED_PROBABILITY);
                change = change.max((new - m[k][l]).abs());
                m[k][l] = new;
            }
        }
        iterations.push(IterationReport { max_change: change, match_share: share });
        if change < options.tolerance {
            converged = true;
            break;
        }
    }
    (iterations, converged, present)
}

/// Expected matches among pattern counts: the match share λ solving
/// λ = mean posterior(λ), times the number of pairs.
fn expected_matches(
    counts: &HashMap<ComparisonVector, u64>,
    m: &Table,
    u: &Table,
    held: &[bool],
) -> f64 {
    let patterns = sorted_patterns(counts);
    let total: f64 = patterns.iter().map(|p| p.1).sum();
    if total == 0.0 {
        return 0.0;
    }
    let table = level_weights(m, u, held);
    let weights: Vec<f64> = patterns.iter().map(|(v, _)| pattern_weight(v, &table)).collect();
    let mut share = 0.1;
    for _ in 0..200 {
        let prior = prior_weight(share);
        let matched: f64 =
            patterns.iter().zip(&weights).map(|((_, c), w)| match_probability(prior + w) * c).sum();
        let new = (matched / total).clamp(1e-12, 1.0 - 1e-12);
        let done = (new - share).abs() < 1e-9;
        share = new;
        if done {
            break;
        }
    }
    share * total
}

/// Candidate pairs per one-bit bin of total weight (prior included, no caps or
/// term frequencies), ascending by bin.
fn weight_histogram(
    counts: &HashMap<ComparisonVector, u64>,
    m: &Table,
    u: &Table,
    prior: f64,
) -> Vec<(i32, u64)> {
    let base = prior_weight(prior);
    let table = level_weights(m, u, &vec![false; m.len()]);
    let mut bins: std::collections::BTreeMap<i32, u64> = std::collections::BTreeMap::new();
    for (v, &c) in counts {
        let w = base + pattern_weight(v, &table);
        *bins.entry(w.floor().clamp(-200.0, 200.0) as i32).or_default() += c;
    }
    if let (Some((&lo, _)), Some((&hi, _))) = (bins.first_key_value(), bins.last_key_value()) {
        for b in lo..=hi {
            bins.entry(b).or_default();
        }
    }
    bins.into_iter().collect()
}

/// Picks a match threshold from a weight histogram.
///
/// The rule: among the one-bit bins within ten bits of weight 0 (the point
/// where a pair is as likely a match as not, under the trained prior), take the
/// emptiest; among equally empty bins, the one nearest 0. The threshold is that
/// bin's middle, or 0 when it is the bin starting at 0 or at -1. Matches and
/// non-matches form two humps; the valley between them is where a threshold
/// misclassifies fewest pairs, and staying near 0 keeps the decision close to
/// the Bayes rule when the valley is flat.
///
/// ```
/// use personlink::train::suggest_threshold;
/// let hist = vec![(-6, 900), (-5, 300), (-4, 40), (-3, 2), (-2, 9), (-1, 30), (0, 60), (1, 200)];
/// assert_eq!(suggest_threshold(&hist), -2.5);
/// assert_eq!(suggest_threshold(&[]), 0.0);
/// ```
pub fn suggest_threshold(histogram: &[(i32, u64)]) -> f64 {
    let best = histogram
        .iter()
        .filter(|(b, _)| (-10..10).contains(b))
        .min_by(|x, y| x.1.cmp(&y.1).then((2 * x.0 + 1).abs().cmp(&(2 * y.0 + 1).abs())));
    match best {
        Some(&(b, _)) if b != 0 && b != -1 => f64::from(b) + 0.5,
        _ => 0.0,
    }
}

/// Pattern counts in a fixed order, so floating-point sums over them are reproducible.
fn sorted_patterns(counts: &HashMap<ComparisonVector, u64>) -> Vec<(ComparisonVector, f64)> {
    let mut patterns: Vec<(ComparisonVector, f64)> =
        counts.iter().map(|(v, &c)| (*v, c as f64)).collect();
    patterns.sort_unstable_by_key(|p| p.0);
    patterns
}

/// `log2(m/u)` of every level, 0 for "missing" and for held-out comparisons.
fn level_weights(m: &Table, u: &Table, held: &[bool]) -> Table {
    m.iter()
        .zip(u)
        .zip(held)
        .map(|((mk, uk), &h)| {
            mk.iter()
                .zip(uk)
                .enumerate()
                .map(|(l, (&a, &b))| if l == 0 || h { 0.0 } else { clamped_log2_ratio(a, b) })
                .collect()
        })
        .collect()
}

/// The summed level weights of a comparison vector (prior excluded).
fn pattern_weight(v: &ComparisonVector, weights: &Table) -> f64 {
    v.levels().iter().enumerate().map(|(k, &l)| weights[k][usize::from(l)]).sum()
}

fn clamped_log2_ratio(m: f64, u: f64) -> f64 {
    crate::model::partial_weight(m.max(MIN_TRAINED_PROBABILITY), u.max(MIN_TRAINED_PROBABILITY))
}

/// The `s`-th pair in a fixed enumeration of all pairs (for exhaustive sampling).
fn pair_at(s: u64, n: u64, left_len: Option<usize>) -> (u64, u64) {
    match left_len {
        Some(l) => {
            let right = n - l as u64;
            (s / right, l as u64 + s % right)
        }
        None => {
            // Row i holds pairs (i, i+1..n): find the row by walking (n is small here).
            let mut i = 0;
            let mut rest = s;
            while rest >= n - 1 - i {
                rest -= n - 1 - i;
                i += 1;
            }
            (i, i + 1 + rest)
        }
    }
}

/// SplitMix64: a small, fast, seedable generator.
struct SplitMix(u64);

impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next()) * u128::from(n)) >> 64) as u64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Expected pattern counts of `n` pairs drawn from a two-class model with
    /// match share `share` and per-comparison level distributions `m` and `u`
    /// (level 0 unused), all comparisons three levels deep.
    fn mixture_counts(n: f64, share: f64, m: &Table, u: &Table) -> HashMap<ComparisonVector, u64> {
        let k = m.len();
        let mut counts = HashMap::new();
        let combos = 3usize.pow(k as u32);
        for c in 0..combos {
            let mut v = ComparisonVector::new(k);
            let (mut pm, mut pu) = (1.0, 1.0);
            let mut rest = c;
            for kk in 0..k {
                let level = 1 + rest % 3;
                rest /= 3;
                v.set(kk, level as u8);
                pm *= m[kk][level];
                pu *= u[kk][level];
            }
            let expected = (n * (share * pm + (1.0 - share) * pu)).round() as u64;
            if expected > 0 {
                counts.insert(v, expected);
            }
        }
        counts
    }

    #[test]
    fn em_recovers_known_m_from_a_known_mixture() {
        let truth_m: Table = vec![
            vec![0.0, 0.90, 0.07, 0.03],
            vec![0.0, 0.80, 0.15, 0.05],
            vec![0.0, 0.85, 0.05, 0.10],
            vec![0.0, 0.70, 0.20, 0.10],
        ];
        let u: Table = vec![
            vec![0.0, 0.01, 0.04, 0.95],
            vec![0.0, 0.02, 0.08, 0.90],
            vec![0.0, 0.005, 0.015, 0.98],
            vec![0.0, 0.05, 0.10, 0.85],
        ];
        let counts = mixture_counts(2_000_000.0, 0.05, &truth_m, &u);
        // Start far from the truth.
        let mut m: Table = vec![vec![0.0, 0.5, 0.3, 0.2]; 4];
        let options =
            TrainingOptions { max_iterations: 500, tolerance: 1e-9, ..TrainingOptions::default() };
        let (iterations, converged, present) = em_pass(&counts, &mut m, &u, &[false; 4], &options);
        assert!(converged, "{} iterations", iterations.len());
        assert!(present.iter().all(|&p| p));
        let share = iterations.last().unwrap().match_share;
        assert!((share - 0.05).abs() < 1e-3, "share {share}");
        for (k, (got, want)) in m.iter().zip(&truth_m).enumerate() {
            for l in 1..4 {
                // Measured: every m within 2e-3 of the truth (rounding of the counts).
                assert!(
                    (got[l] - want[l]).abs() < 5e-3,
                    "comparison {k} level {l}: {} vs {}",
                    got[l],
                    want[l]
                );
            }
        }
    }

    #[test]
    fn held_out_comparisons_keep_their_m() {
        let truth_m: Table = vec![vec![0.0, 0.9, 0.05, 0.05]; 3];
        let u: Table = vec![vec![0.0, 0.01, 0.04, 0.95]; 3];
        let counts = mixture_counts(100_000.0, 0.1, &truth_m, &u);
        let mut m: Table = vec![vec![0.0, 0.5, 0.3, 0.2]; 3];
        em_pass(&counts, &mut m, &u, &[true, false, false], &TrainingOptions::default());
        assert_eq!(m[0], vec![0.0, 0.5, 0.3, 0.2]);
        assert!((m[1][1] - 0.9).abs() < 0.05);
    }

    #[test]
    fn exhaustive_enumeration_covers_every_pair_once() {
        let n = 7;
        let mut seen = std::collections::BTreeSet::new();
        for s in 0..n * (n - 1) / 2 {
            let (i, j) = pair_at(s, n, None);
            assert!(i < j && j < n);
            assert!(seen.insert((i, j)));
        }
        let (l, n) = (3, 8);
        for s in 0..(l * (n - l)) as u64 {
            let (i, j) = pair_at(s, n as u64, Some(l));
            assert!(i < l as u64 && j >= l as u64 && j < n as u64);
        }
    }
}
