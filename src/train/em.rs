//! m by expectation-maximisation over the distinct comparison patterns of the
//! candidate pairs, with u held fixed.

use hashbrown::HashMap;

use super::report::IterationReport;
use super::{TrainingOptions, MIN_TRAINED_PROBABILITY};
use crate::batch::{visit_candidates, Staged};
use crate::compare::ComparisonVector;
use crate::engine::Engine;
use crate::model::{match_probability, partial_weight, prior_weight, IdentityCheck};

/// Per comparison, per level index (0 = missing): a table of numbers.
pub(super) type Table = Vec<Vec<f64>>;

/// Counts of distinct comparison vectors.
#[derive(Debug, Clone)]
pub(super) struct Patterns {
    /// Every candidate pair.
    pub(super) all: HashMap<ComparisonVector, u64>,
    /// The pairs each rule's uncapped blocks hold.
    pub(super) by_rule: Vec<HashMap<ComparisonVector, u64>>,
}

impl Patterns {
    /// Comparison-vector counts of the candidate pairs: overall, and per rule
    /// (a pair counts for every rule whose uncapped block holds it).
    pub(super) fn count(engine: &Engine, staged: &Staged, link: bool) -> Patterns {
        let scorer = engine.scorer();
        let rules = staged.blocks.rule_count();
        // One count per pair: its vector with the set of rules whose uncapped
        // block holds it (64 rules to a word; the pair's first word marked), so
        // the rule tables are summed once at the end instead of one hash-map
        // update per rule per pair.
        let (parts, _) = visit_candidates(
            &staged.blocks,
            &staged.rank,
            link,
            engine.threads(),
            HashMap::<RuleSet, u64>::new,
            |counts: &mut HashMap<RuleSet, u64>, first_rule, a, b| {
                let v = scorer.compare(&staged.prepared, a as usize, b as usize);
                let mut word = first_rule / 64;
                let mut set =
                    RuleSet { v, first: true, word: word as u32, bits: 1 << (first_rule % 64) };
                for r in first_rule + 1..rules {
                    if r / 64 != word {
                        if set.bits != 0 {
                            *counts.entry(set).or_default() += 1;
                        }
                        word = r / 64;
                        set = RuleSet { v, first: false, word: word as u32, bits: 0 };
                    }
                    if staged.blocks.share_block(r, a, b) {
                        set.bits |= 1 << (r % 64);
                    }
                }
                if set.bits != 0 {
                    *counts.entry(set).or_default() += 1;
                }
            },
        );
        let mut out = Patterns { all: HashMap::new(), by_rule: vec![HashMap::new(); rules] };
        for (set, c) in parts.into_iter().flatten() {
            if set.first {
                *out.all.entry(set.v).or_default() += c;
            }
            let mut bits = set.bits;
            while bits != 0 {
                let r = set.word as usize * 64 + bits.trailing_zeros() as usize;
                *out.by_rule[r].entry(set.v).or_default() += c;
                bits &= bits - 1;
            }
        }
        out
    }
}

/// A comparison vector with one word of the rules whose uncapped blocks hold
/// the pair (rules `64·word ..`); `first` marks the word of the rule that
/// found it first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct RuleSet {
    v: ComparisonVector,
    first: bool,
    word: u32,
    bits: u64,
}

/// Runs EM on pattern counts, updating the m of the comparisons not held out.
/// Returns the iterations, whether it converged, and which comparisons were
/// present (non-missing) in at least one pair.
pub(super) fn em_pass(
    counts: &HashMap<ComparisonVector, u64>,
    m: &mut Table,
    m0: &Table,
    u: &Table,
    held: &[bool],
    gate: Option<&IdentityCheck>,
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
    let mut share =
        (expected_matches(counts, m, u, held, gate) / total.max(1.0)).clamp(1e-6, 1.0 - 1e-6);
    let mut iterations = Vec::new();
    let mut converged = false;
    for _ in 0..options.max_iterations {
        // Held-out comparisons agree by construction in this pass: they weigh
        // nothing in the pair's weight. The identity requirement still reads
        // them: a junior and his father share a first-name sound by
        // construction in a first-name block, and without the requirement
        // that pass would learn households as matches.
        let weights = level_weights(m, u, held);
        let identity_weights = level_weights(m, u, &[]);
        let mut acc: Table = m.iter().map(|mk| vec![0.0; mk.len()]).collect();
        let mut matched = 0.0;
        let prior = prior_weight(share);
        for (v, c) in &patterns {
            let g = match_probability(gated(
                prior + pattern_weight(v, &weights),
                v,
                &identity_weights,
                gate,
            )) * c;
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
            let prior = options.m_prior_pairs;
            for l in 1..m[k].len() {
                // The starting m counts as `m_prior_pairs` matches (a tenth of
                // a pair spread evenly besides, so an unseen level keeps a
                // small m even without a prior).
                let new = ((acc[k][l] + prior * m0[k][l] + 0.1)
                    / (present_weight + prior + 0.1 * levels))
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
pub(super) fn expected_matches(
    counts: &HashMap<ComparisonVector, u64>,
    m: &Table,
    u: &Table,
    held: &[bool],
    gate: Option<&IdentityCheck>,
) -> f64 {
    let patterns = sorted_patterns(counts);
    let total: f64 = patterns.iter().map(|p| p.1).sum();
    if total == 0.0 {
        return 0.0;
    }
    let table = level_weights(m, u, held);
    let identity_table = level_weights(m, u, &[]);
    let weights: Vec<f64> = patterns.iter().map(|(v, _)| pattern_weight(v, &table)).collect();
    // The identity gate reads only the fixed level weights: each pattern's
    // ceiling (infinite when it meets the requirement) is found once, not in
    // each of up to 200 iterations. `min` with it equals `gated`.
    let ceilings: Vec<f64> =
        patterns.iter().map(|(v, _)| gated(f64::INFINITY, v, &identity_table, gate)).collect();
    let mut share = 0.1;
    for _ in 0..200 {
        let prior = prior_weight(share);
        let matched: f64 = patterns
            .iter()
            .zip(weights.iter().zip(&ceilings))
            .map(|((_, c), (w, ceiling))| match_probability((prior + w).min(*ceiling)) * c)
            .sum();
        let new = (matched / total).clamp(1e-12, 1.0 - 1e-12);
        let done = (new - share).abs() < 1e-9;
        share = new;
        if done {
            break;
        }
    }
    share * total
}

/// Pattern counts in a fixed order, so floating-point sums over them are reproducible.
fn sorted_patterns(counts: &HashMap<ComparisonVector, u64>) -> Vec<(ComparisonVector, f64)> {
    let mut patterns: Vec<(ComparisonVector, f64)> =
        counts.iter().map(|(v, &c)| (*v, c as f64)).collect();
    patterns.sort_unstable_by_key(|p| p.0);
    patterns
}

/// `log2(m/u)` of every level, 0 for "missing" and for held-out comparisons
/// (`held` may be shorter than the table: the rest are not held out).
pub(super) fn level_weights(m: &Table, u: &Table, held: &[bool]) -> Table {
    m.iter()
        .zip(u)
        .enumerate()
        .map(|(k, (mk, uk))| {
            let h = held.get(k).copied().unwrap_or(false);
            mk.iter()
                .zip(uk)
                .enumerate()
                .map(|(l, (&a, &b))| if l == 0 || h { 0.0 } else { clamped_log2_ratio(a, b) })
                .collect()
        })
        .collect()
}

/// `total`, held at the requirement's ceiling when `v` does not meet it under
/// the level weights `weights`.
pub(super) fn gated(
    total: f64,
    v: &ComparisonVector,
    weights: &Table,
    gate: Option<&IdentityCheck>,
) -> f64 {
    let shortfall = gate.and_then(|g| {
        g.shortfall(v.levels(), |k, l| weights[k][usize::from(l)], |k| weights[k].len())
    });
    match shortfall {
        Some((_, _, ceiling)) => total.min(ceiling),
        None => total,
    }
}

/// The summed level weights of a comparison vector (prior excluded).
pub(super) fn pattern_weight(v: &ComparisonVector, weights: &Table) -> f64 {
    v.levels().iter().enumerate().map(|(k, &l)| weights[k][usize::from(l)]).sum()
}

fn clamped_log2_ratio(m: f64, u: f64) -> f64 {
    partial_weight(m.max(MIN_TRAINED_PROBABILITY), u.max(MIN_TRAINED_PROBABILITY))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::train::TrainingOptions;

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
        let options = TrainingOptions {
            max_iterations: 500,
            tolerance: 1e-9,
            m_prior_pairs: 0.0,
            ..TrainingOptions::default()
        };
        let m0 = m.clone();
        let (iterations, converged, present) =
            em_pass(&counts, &mut m, &m0, &u, &[false; 4], None, &options);
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
        let m0 = m.clone();
        em_pass(&counts, &mut m, &m0, &u, &[true, false, false], None, &TrainingOptions::default());
        assert_eq!(m[0], vec![0.0, 0.5, 0.3, 0.2]);
        assert!((m[1][1] - 0.9).abs() < 0.05);
    }

    /// A household pass: a rule blocks on the first-name sound, so the first
    /// name is held out of the weights, and every pair shares an address.
    /// Relatives (another first name) must not be learnt as matches: the
    /// identity requirement still reads the held-out first name.
    #[test]
    fn a_held_out_identity_field_still_gates_the_pass() {
        use crate::model::{ComparisonModel, IdentityRequirement, LevelParams, Model};
        let level = |label: &str, m, u| LevelParams::new(label.to_owned(), m, u);
        let model = Model {
            prior: 1e-4,
            comparisons: vec![
                ComparisonModel {
                    field: "given_name".to_owned(),
                    levels: vec![level("exact", 0.9, 0.01), level("else", 0.1, 0.99)],
                },
                ComparisonModel {
                    field: "address".to_owned(),
                    levels: vec![level("exact", 0.8, 0.001), level("else", 0.2, 0.999)],
                },
            ],
            caps: Vec::new(),
            term_frequencies: Vec::new(),
            tf_min_frequency: crate::model::DEFAULT_TF_MIN_FREQUENCY,
            records_per_person: 1.0,
            identity: Some(IdentityRequirement::new(["given_name"], 4.0, -10.0)),
            frequency_key_check: None,
            frequency_key: None,
        };
        let gate = IdentityCheck::of(&model).unwrap();
        let pattern = |given: u8, address: u8| {
            let mut v = ComparisonVector::new(2);
            v.set(0, given);
            v.set(1, address);
            v
        };
        // 100 duplicates (same first name, same address), 1,000 relatives
        // (another first name, same address), 1,000 strangers.
        let counts: HashMap<ComparisonVector, u64> =
            [(pattern(1, 1), 100), (pattern(2, 1), 1000), (pattern(2, 2), 1000)].into();
        let mut m: Table = vec![vec![0.0, 0.9, 0.1], vec![0.0, 0.8, 0.2]];
        let u: Table = vec![vec![0.0, 0.01, 0.99], vec![0.0, 0.001, 0.999]];
        let held = [true, false];
        let m0 = m.clone();
        let options = TrainingOptions { m_prior_pairs: 0.0, ..TrainingOptions::default() };
        let (iterations, _, _) = em_pass(&counts, &mut m, &m0, &u, &held, Some(&gate), &options);
        let share = iterations.last().unwrap().match_share;
        assert!(share < 0.06, "relatives learnt as matches: share {share}");
        assert!(m[1][1] > 0.99, "the matches all share the address: {:?}", m[1]);
        // Without the requirement, EM takes the relatives for matches.
        let mut m: Table = vec![vec![0.0, 0.9, 0.1], vec![0.0, 0.8, 0.2]];
        let (iterations, _, _) = em_pass(&counts, &mut m, &m0, &u, &held, None, &options);
        assert!(iterations.last().unwrap().match_share > 0.4);
    }
}
