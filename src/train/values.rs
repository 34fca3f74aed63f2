//! Value counts, taken once per compared field: the exact share of pairs that
//! agree exactly (an `exact` first level's u) and the value frequency tables
//! (`term_frequency`, `discount_shared_values`) both come from them.

use hashbrown::HashMap;

use crate::batch::Staged;
use crate::compare::{ComparisonSpec, LevelSpec};
use crate::engine::Engine;
use crate::model::{shared_value_allowance, FrequencyKey, TermFrequencies};
use crate::parallel;

/// The value counts of one comparison's field.
pub(super) struct ValueCounts<'a> {
    /// The comparison.
    comparison: usize,
    /// Per value: its count on the left (every record in dedupe mode) and on the right.
    counts: HashMap<&'a str, (u64, u64)>,
    /// Records with a value, left and right.
    present: (u64, u64),
    /// The share of pairs whose values are equal, when the first level is `exact`.
    exact_share: Option<ExactShare>,
}

/// The share of pairs whose values are equal, and how many pairs it was counted over.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct ExactShare {
    /// Equal pairs over `pairs`.
    pub(super) share: f64,
    /// Pairs with both values present (cross pairs in link mode).
    pub(super) pairs: f64,
}

/// Counts the values of every comparison that needs them: its first level is
/// `exact`, or it has a frequency table. A field whose table keeps only shared
/// values drops the values held once or twice once its exact share is taken
/// (every allowance is at least 3), so the counts kept for the tables stay small.
pub(super) fn count_values<'a>(
    engine: &Engine,
    comparisons: &[ComparisonSpec],
    staged: &'a Staged,
    left_len: Option<usize>,
) -> Vec<ValueCounts<'a>> {
    let scorer = engine.scorer();
    let p = &staged.prepared;
    let wanted: Vec<usize> = (0..comparisons.len())
        .filter(|&k| {
            let c = &comparisons[k];
            c.levels.first() == Some(&LevelSpec::Exact)
                || c.term_frequency
                || c.discount_shared_values
        })
        .collect();
    let parts = parallel::run(engine.threads().max(1), wanted.len(), |jobs| {
        let mut out = Vec::new();
        while let Some(job) = jobs.next() {
            let k = wanted[job];
            let col = p.column(scorer.field_of(k));
            let mut counts: HashMap<&str, (u64, u64)> = HashMap::new();
            let mut present = (0u64, 0u64);
            for i in 0..p.len() {
                let v = col.text(i);
                if v.is_empty() {
                    continue;
                }
                let entry = counts.entry(v).or_default();
                if left_len.is_some_and(|l| i >= l) {
                    entry.1 += 1;
                    present.1 += 1;
                } else {
                    entry.0 += 1;
                    present.0 += 1;
                }
            }
            let spec = &comparisons[k];
            let exact_share = (spec.levels.first() == Some(&LevelSpec::Exact))
                .then(|| exact_share(spec, &counts, present, left_len.is_some()))
                .flatten();
            if !spec.term_frequency {
                if spec.discount_shared_values {
                    counts.retain(|_, &mut (a, b)| a + b > 2);
                } else {
                    counts = HashMap::new();
                }
            }
            out.push((job, ValueCounts { comparison: k, counts, present, exact_share }));
        }
        out
    });
    let mut counted: Vec<(usize, ValueCounts)> = parts.into_iter().flatten().collect();
    counted.sort_by_key(|c| c.0);
    counted.into_iter().map(|c| c.1).collect()
}

/// The share of all pairs with both values present (cross pairs in link mode)
/// whose values are equal, counted from the values rather than sampled: exact
/// agreement on a birth date or an email is rare among random pairs (a few in
/// a hundred thousand), so a sample of random pairs sees only a handful and
/// its estimate, and the level's weight, would swing by bits from one input to
/// the next. With `discount_shared_values`, a value held by more records than
/// one person holds gets its own weight when scored, so the level's u is
/// chance agreement on an ordinary value: values held beyond the allowance
/// (records per distinct value standing for records per person; the model's
/// estimate is not known yet) are left out. `None` when fewer than two pairs
/// hold both values.
fn exact_share(
    spec: &ComparisonSpec,
    counts: &HashMap<&str, (u64, u64)>,
    (left, right): (u64, u64),
    link: bool,
) -> Option<ExactShare> {
    let ordinary = if spec.discount_shared_values && !counts.is_empty() {
        shared_value_allowance((left + right) as f64 / counts.len() as f64)
    } else {
        f64::INFINITY
    };
    let ordinary = counts.values().filter(|&&(a, b)| (a + b) as f64 <= ordinary);
    let (equal, pairs) = if link {
        (ordinary.map(|&(a, b)| a as f64 * b as f64).sum(), left as f64 * right as f64)
    } else {
        let equal: f64 = ordinary.map(|&(a, _)| a as f64 * (a as f64 - 1.0) / 2.0).sum();
        (equal, left as f64 * (left as f64 - 1.0) / 2.0)
    };
    (pairs >= 2.0).then(|| ExactShare { share: equal / pairs, pairs })
}

/// Per comparison, its exact share (`None` for the others).
pub(super) fn exact_shares(counted: &[ValueCounts], comparisons: usize) -> Vec<Option<ExactShare>> {
    let mut shares = vec![None; comparisons];
    for c in counted {
        shares[c.comparison] = c.exact_share;
    }
    shares
}

/// One table per field compared with `term_frequency` (every value) or only
/// `discount_shared_values` (the values held by more than `allowance` records:
/// the others weigh as usual, and a table of every email of a large file would
/// be as large as the file); the first comparison of a field names its table.
/// With a `key` (a keyed starting model), each value is stored as its keyed
/// hash, never in clear.
pub(super) fn frequency_tables(
    counted: &[ValueCounts],
    comparisons: &[ComparisonSpec],
    allowance: f64,
    key: Option<&FrequencyKey>,
) -> Vec<TermFrequencies> {
    let mut tables: Vec<TermFrequencies> = Vec::new();
    for c in counted {
        let spec = &comparisons[c.comparison];
        let field = &spec.field;
        let shared_only = !comparisons.iter().any(|c| &c.field == field && c.term_frequency);
        let usable = spec.term_frequency || (shared_only && spec.discount_shared_values);
        if !usable || tables.iter().any(|t| &t.field == field) {
            continue;
        }
        let kept =
            |&(_, &(a, b)): &(&&str, &(u64, u64))| !shared_only || (a + b) as f64 > allowance;
        let mut counts = std::collections::BTreeMap::new();
        for (v, &(a, b)) in c.counts.iter().filter(kept) {
            let entry = match key {
                Some(key) => key.entry(field, v),
                None => (*v).to_owned(),
            };
            // Two values with one keyed hash share an entry.
            *counts.entry(entry).or_insert(0) += a + b;
        }
        tables.push(TermFrequencies {
            field: field.clone(),
            total: c.present.0 + c.present.1,
            counts,
        });
    }
    tables
}
