//! Deciding and clustering: from scored pairs to entities.
//!
//! The [`MergePolicy`] sets the match threshold, an optional review band,
//! opt-in must-not-link rules and a cap on cluster size. Accepted links are
//! applied strongest first (ties broken by the records' source references, so
//! the result does not depend on input order) to a [`UnionFind`]; a link whose
//! merge would break a must-not-link rule or the size cap is *refused* and
//! reported, not an error.
//!
//! ```
//! use personlink::cluster::UnionFind;
//! let mut uf = UnionFind::new(4);
//! assert!(uf.union(0, 1));
//! assert!(uf.union(2, 3));
//! assert!(!uf.union(1, 0));
//! assert!(uf.equiv(0, 1) && !uf.equiv(1, 2));
//! assert_eq!(uf.size_of(3), 2);
//! ```

use serde::{Deserialize, Serialize};
use smallvec::SmallVec;

use crate::error::{Error, Result};
use crate::hash::hash64;
use crate::model::{match_probability, weight_of_probability};
use crate::prepare::Prepared;
use crate::record::{FieldKind, Schema};

/// A disjoint-set forest with path halving and union by size.
#[derive(Debug, Clone, Default)]
pub struct UnionFind {
    parent: Vec<u32>,
    size: Vec<u32>,
}

impl UnionFind {
    /// `n` singletons.
    pub fn new(n: usize) -> Self {
        UnionFind { parent: (0..n as u32).collect(), size: vec![1; n] }
    }

    /// Number of elements.
    pub fn len(&self) -> usize {
        self.parent.len()
    }

    /// True when there is no element.
    pub fn is_empty(&self) -> bool {
        self.parent.is_empty()
    }

    /// The representative of `x`'s set.
    ///
    /// # Panics
    /// When `x >= self.len()`.
    pub fn find(&mut self, x: usize) -> usize {
        let mut x = x as u32;
        while self.parent[x as usize] != x {
            let grand = self.parent[self.parent[x as usize] as usize];
            self.parent[x as usize] = grand;
            x = grand;
        }
        x as usize
    }

    /// Merges the sets of `a` and `b`; false when they were already one set.
    pub fn union(&mut self, a: usize, b: usize) -> bool {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra == rb {
            return false;
        }
        let (big, small) = if self.size[ra] >= self.size[rb] { (ra, rb) } else { (rb, ra) };
        self.parent[small] = big as u32;
        self.size[big] += self.size[small];
        true
    }

    /// True when `a` and `b` are in one set.
    pub fn equiv(&mut self, a: usize, b: usize) -> bool {
        self.find(a) == self.find(b)
    }

    /// The size of `x`'s set.
    pub fn size_of(&mut self, x: usize) -> usize {
        let r = self.find(x);
        self.size[r] as usize
    }
}

/// A decision threshold, on the match weight or on the match probability.
///
/// In JSON, `{"weight": 5.0}` or `{"probability": 0.9}`. Anything else is
/// refused with a message that shows both forms:
///
/// ```
/// use personlink::cluster::Threshold;
///
/// let t: Threshold = serde_json::from_str(r#"{"probability": 0.9}"#).unwrap();
/// assert_eq!(t, Threshold::Probability(0.9));
/// assert_eq!(serde_json::to_string(&Threshold::Weight(5.0)).unwrap(), r#"{"weight":5.0}"#);
/// let err = serde_json::from_str::<Threshold>("5").unwrap_err().to_string();
/// assert!(err.starts_with(r#"expected {"weight": W} (log2 odds) or {"probability": P} with 0 < P < 1, found 5"#));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Threshold {
    /// Match weight (log2 odds), prior included.
    Weight(f64),
    /// Match probability in `(0, 1)`.
    Probability(f64),
}

impl Threshold {
    /// The threshold as a match weight.
    pub fn as_weight(self) -> f64 {
        match self {
            Threshold::Weight(w) => w,
            Threshold::Probability(p) => weight_of_probability(p),
        }
    }

    /// The threshold as a match probability.
    pub fn as_probability(self) -> f64 {
        match self {
            Threshold::Weight(w) => match_probability(w),
            Threshold::Probability(p) => p,
        }
    }

    fn validate(self, path: &str) -> Result<()> {
        match self {
            Threshold::Weight(w) if !(-MAX_THRESHOLD_WEIGHT..=MAX_THRESHOLD_WEIGHT).contains(&w) => {
                Err(Error::config(
                    path,
                    format!(
                        "weight {w:?} is not in [-{MAX_THRESHOLD_WEIGHT}, {MAX_THRESHOLD_WEIGHT}] (log2 odds)"
                    ),
                ))
            }
            Threshold::Probability(p) if !(p > 0.0 && p < 1.0) => {
                Err(Error::config(path, format!("probability {p:?} is not in (0, 1)")))
            }
            _ => Ok(()),
        }
    }
}

/// The largest magnitude of a [`Threshold::Weight`]: a policy's thresholds
/// must lie in `[-1000, 1000]` (log2 odds).
///
/// No score comes near: probabilities are clamped to
/// [`MIN_PROBABILITY`](crate::model::MIN_PROBABILITY) before taking logs, so
/// the prior and each of the at most
/// [`MAX_COMPARISONS`](crate::compare::MAX_COMPARISONS) comparisons weigh less
/// than 30 bits either way. A threshold beyond is a mistake (`1e308`), and
/// would make the review band's arithmetic overflow.
///
/// ```
/// use personlink::cluster::{MergePolicy, Threshold};
/// use personlink::Config;
/// let policy = MergePolicy::default().with_match_threshold(Threshold::Weight(1e308));
/// let err = Config::person_default().with_policy(policy).validate().unwrap_err();
/// assert!(err.to_string().contains("policy.match_threshold"), "{err}");
/// assert!(err.to_string().contains("[-1000, 1000]"), "{err}");
/// ```
pub const MAX_THRESHOLD_WEIGHT: f64 = crate::model::MAX_ABS_WEIGHT;

/// The two JSON forms of a [`Threshold`], as error messages show them.
const THRESHOLD_FORMS: &str = r#"{"weight": W} (log2 odds) or {"probability": P} with 0 < P < 1"#;

/// Reads `{"weight": W}` or `{"probability": P}` (the shape the derived
/// `Serialize` writes); any other value is an error showing both forms and
/// what was found. The range of a probability is checked with the policy.
impl<'de> Deserialize<'de> for Threshold {
    fn deserialize<D: serde::Deserializer<'de>>(
        deserializer: D,
    ) -> std::result::Result<Self, D::Error> {
        deserializer.deserialize_any(ThresholdVisitor)
    }
}

/// The visitor behind `Threshold`'s `Deserialize`.
struct ThresholdVisitor;

/// The error for a value that is not a threshold: the expected forms, then `found`.
fn not_a_threshold<E: serde::de::Error>(found: impl std::fmt::Display) -> E {
    E::custom(format_args!("expected {THRESHOLD_FORMS}, found {found}"))
}

impl<'de> serde::de::Visitor<'de> for ThresholdVisitor {
    type Value = Threshold;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(THRESHOLD_FORMS)
    }

    fn visit_bool<E: serde::de::Error>(self, v: bool) -> std::result::Result<Threshold, E> {
        Err(not_a_threshold(v))
    }

    fn visit_i64<E: serde::de::Error>(self, v: i64) -> std::result::Result<Threshold, E> {
        Err(not_a_threshold(v))
    }

    fn visit_u64<E: serde::de::Error>(self, v: u64) -> std::result::Result<Threshold, E> {
        Err(not_a_threshold(v))
    }

    fn visit_f64<E: serde::de::Error>(self, v: f64) -> std::result::Result<Threshold, E> {
        Err(not_a_threshold(v))
    }

    fn visit_str<E: serde::de::Error>(self, v: &str) -> std::result::Result<Threshold, E> {
        Err(not_a_threshold(format_args!("{v:?}")))
    }

    fn visit_unit<E: serde::de::Error>(self) -> std::result::Result<Threshold, E> {
        Err(not_a_threshold("null"))
    }

    fn visit_none<E: serde::de::Error>(self) -> std::result::Result<Threshold, E> {
        Err(not_a_threshold("null"))
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(
        self,
        _seq: A,
    ) -> std::result::Result<Threshold, A::Error> {
        Err(not_a_threshold("a list"))
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(
        self,
        mut map: A,
    ) -> std::result::Result<Threshold, A::Error> {
        let Some(key) = map.next_key::<String>()? else {
            return Err(not_a_threshold("{}"));
        };
        let threshold = match key.as_str() {
            "weight" => Threshold::Weight(map.next_value()?),
            "probability" => Threshold::Probability(map.next_value()?),
            other => return Err(not_a_threshold(format_args!("the key {other:?}"))),
        };
        if let Some(extra) = map.next_key::<String>()? {
            return Err(not_a_threshold(format_args!("a second key {extra:?}")));
        }
        Ok(threshold)
    }
}

/// A rule that forbids two clusters from merging, whatever their score.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
#[non_exhaustive]
pub enum MustNotLink {
    /// Never merge clusters holding different (normalized) values of `field`,
    /// e.g. two different national ids.
    DifferentValues {
        /// The field.
        field: String,
    },
    /// Never merge clusters holding dates of `field` more than `max_days` apart.
    DatesApart {
        /// A date field.
        field: String,
        /// Largest tolerated distance in days.
        max_days: u32,
    },
}

/// How scored pairs become entities.
///
/// ```
/// use personlink::cluster::{MergePolicy, MustNotLink, Threshold};
/// let policy = MergePolicy::default()
///     .with_match_threshold(Threshold::Probability(0.9))
///     .with_must_not_link(MustNotLink::DifferentValues { field: "national_id".into() });
/// assert!(policy.match_threshold.as_weight() > 3.0);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MergePolicy {
    /// Pairs at or above this are linked.
    pub match_threshold: Threshold,
    /// Pairs at or above this but below the match threshold are reported for review.
    #[serde(default)]
    pub review_threshold: Option<Threshold>,
    /// Opt-in rules that veto merges.
    #[serde(default)]
    pub must_not_link: Vec<MustNotLink>,
    /// No cluster grows beyond this many records (guards against chaining).
    #[serde(default)]
    pub max_cluster_size: Option<usize>,
}

impl Default for MergePolicy {
    fn default() -> Self {
        MergePolicy {
            match_threshold: Threshold::Probability(0.5),
            review_threshold: None,
            must_not_link: Vec::new(),
            max_cluster_size: None,
        }
    }
}

impl MergePolicy {
    /// Sets the match threshold.
    pub fn with_match_threshold(mut self, t: Threshold) -> Self {
        self.match_threshold = t;
        self
    }

    /// Sets the review threshold.
    pub fn with_review_threshold(mut self, t: Threshold) -> Self {
        self.review_threshold = Some(t);
        self
    }

    /// Adds a must-not-link rule.
    pub fn with_must_not_link(mut self, rule: MustNotLink) -> Self {
        self.must_not_link.push(rule);
        self
    }

    /// Moves the match threshold to `weight`, moving the review threshold with
    /// it so the review band keeps its width (as when applying the threshold
    /// training suggests).
    ///
    /// ```
    /// use personlink::cluster::{MergePolicy, Threshold};
    /// let mut policy = MergePolicy::default().with_review_threshold(Threshold::Weight(-4.0));
    /// policy.move_match_threshold(6.5);
    /// assert_eq!(policy.match_threshold, Threshold::Weight(6.5));
    /// assert_eq!(policy.review_threshold, Some(Threshold::Weight(2.5)));
    /// ```
    pub fn move_match_threshold(&mut self, weight: f64) {
        let band = self.review_threshold.map(|r| self.match_threshold.as_weight() - r.as_weight());
        self.match_threshold = Threshold::Weight(weight);
        self.review_threshold = band.map(|b| Threshold::Weight(weight - b));
    }

    /// Caps cluster size.
    pub fn with_max_cluster_size(mut self, max: usize) -> Self {
        self.max_cluster_size = Some(max);
        self
    }

    /// Checks thresholds and rule fields against `schema`.
    pub(crate) fn validate(&self, schema: &Schema) -> Result<()> {
        self.match_threshold.validate("policy.match_threshold")?;
        if let Some(r) = self.review_threshold {
            r.validate("policy.review_threshold")?;
            if r.as_weight() > self.match_threshold.as_weight() {
                return Err(Error::config(
                    "policy.review_threshold",
                    "review threshold is above the match threshold",
                ));
            }
        }
        if self.max_cluster_size == Some(0) {
            return Err(Error::config("policy.max_cluster_size", "must be at least 1"));
        }
        for (i, rule) in self.must_not_link.iter().enumerate() {
            let (field, date) = match rule {
                MustNotLink::DifferentValues { field } => (field, false),
                MustNotLink::DatesApart { field, .. } => (field, true),
            };
            let path = format!("policy.must_not_link[{i}].field");
            let id = schema
                .field_id(field)
                .ok_or_else(|| Error::config(&path, format!("unknown field `{field}`")))?;
            if date && schema.field(id).kind != FieldKind::Date {
                return Err(Error::config(path, format!("field `{field}` is not a date")));
            }
        }
        Ok(())
    }
}

/// Why a link above the threshold did not merge its clusters.
///
/// In JSON an object tagged by `type` in snake case; unknown keys are rejected.
///
/// ```
/// use personlink::cluster::Refusal;
/// let json = serde_json::to_string(&Refusal::ManualSplit).unwrap();
/// assert_eq!(json, r#"{"type":"manual_split"}"#);
/// assert_eq!(serde_json::from_str::<Refusal>(&json).unwrap(), Refusal::ManualSplit);
/// assert!(serde_json::from_str::<Refusal>(r#"{"type": "manual_split", "rule": 0}"#).is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields, from = "RefusalRepr")]
#[non_exhaustive]
pub enum Refusal {
    /// A must-not-link rule (by index in the policy) vetoed it.
    MustNotLink {
        /// Index of the rule in [`MergePolicy::must_not_link`].
        rule: usize,
        /// The field the rule reads.
        field: String,
    },
    /// The merged cluster would exceed [`MergePolicy::max_cluster_size`].
    ClusterSize {
        /// The size the merge would have produced.
        size: usize,
    },
    /// A data steward forced two of its records apart.
    ManualSplit,
}

/// What [`Refusal`] deserializes from: [`Refusal::ManualSplit`] written as
/// an empty struct variant, so that `deny_unknown_fields` holds on it too.
#[derive(Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
enum RefusalRepr {
    MustNotLink { rule: usize, field: String },
    ClusterSize { size: usize },
    ManualSplit {},
}

impl From<RefusalRepr> for Refusal {
    fn from(repr: RefusalRepr) -> Self {
        match repr {
            RefusalRepr::MustNotLink { rule, field } => Refusal::MustNotLink { rule, field },
            RefusalRepr::ClusterSize { size } => Refusal::ClusterSize { size },
            RefusalRepr::ManualSplit {} => Refusal::ManualSplit,
        }
    }
}

#[derive(Debug, Clone)]
enum Constraint {
    Different { field: usize },
    Apart { field: usize, max_days: i64 },
}

/// The decide and cluster stage: a merge policy bound to a schema.
#[derive(Debug, Clone)]
pub(crate) struct Policy {
    match_weight: f64,
    review_weight: Option<f64>,
    constraints: Vec<Constraint>,
    names: Vec<String>,
    max_size: usize,
}

impl Policy {
    /// Validates `policy` against `schema`.
    ///
    /// # Errors
    /// [`Error::Config`] naming the offending threshold or rule.
    pub(crate) fn compile(policy: &MergePolicy, schema: &Schema) -> Result<Self> {
        policy.validate(schema)?;
        let mut constraints = Vec::new();
        let mut names = Vec::new();
        for rule in &policy.must_not_link {
            match rule {
                MustNotLink::DifferentValues { field } => {
                    constraints
                        .push(Constraint::Different { field: schema.require(field)?.index() });
                    names.push(field.clone());
                }
                MustNotLink::DatesApart { field, max_days } => {
                    constraints.push(Constraint::Apart {
                        field: schema.require(field)?.index(),
                        max_days: i64::from(*max_days),
                    });
                    names.push(field.clone());
                }
            }
        }
        Ok(Policy {
            match_weight: policy.match_threshold.as_weight(),
            review_weight: policy.review_threshold.map(Threshold::as_weight),
            constraints,
            names,
            max_size: policy.max_cluster_size.unwrap_or(usize::MAX),
        })
    }

    /// The match threshold, as a weight: pairs at or above it are linked.
    #[inline]
    pub(crate) fn match_weight(&self) -> f64 {
        self.match_weight
    }

    /// The review threshold, as a weight, if any.
    pub(crate) fn review_weight(&self) -> Option<f64> {
        self.review_weight
    }

    /// The lowest weight worth keeping: the review threshold, else the match threshold.
    pub(crate) fn keep_weight(&self) -> f64 {
        self.review_weight.unwrap_or(self.match_weight).min(self.match_weight)
    }

    /// The date fields the constraints need parsed.
    pub(crate) fn date_fields(&self) -> impl Iterator<Item = usize> + '_ {
        self.constraints.iter().filter_map(|c| match c {
            Constraint::Apart { field, .. } => Some(*field),
            Constraint::Different { .. } => None,
        })
    }
}

/// A pair above the match threshold, as the clustering sees it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Edge {
    pub a: u32,
    pub b: u32,
    /// A link a data steward forced: it overrides must-not-link rules and the
    /// size cap (but never a forced split).
    pub forced: bool,
}

/// What clustering did with each edge.
#[derive(Debug)]
pub(crate) struct Clustering {
    pub uf: UnionFind,
    /// For each edge (in the order given), `None` when accepted, else the refusal.
    pub refusals: Vec<Option<Refusal>>,
}

/// Small sets of values: constrained field values, or forced-split tags
/// (`2 * split + side`: two records of one forced split carry the same split
/// number on opposite sides).
pub(crate) type Values = SmallVec<[i64; 2]>;

/// Clusters `n` records from `edges`, which must already be in canonical order
/// (strongest first, ties by source rank).
pub(crate) fn cluster(n: usize, edges: &[Edge], policy: &Policy, p: &Prepared) -> Clustering {
    cluster_subset(n, edges, policy, p, |i| i, |_| Values::new())
}

/// As [`cluster`], over `n` records whose local index `i` is record `slot(i)` of `p`.
pub(crate) fn cluster_subset(
    n: usize,
    edges: &[Edge],
    policy: &Policy,
    p: &Prepared,
    slot: impl Fn(usize) -> usize,
    split_tags: impl Fn(usize) -> Values,
) -> Clustering {
    let mut uf = UnionFind::new(n);
    // Per constraint, per record: the values its cluster holds (kept at the root).
    let mut values: Vec<Vec<Values>> = policy
        .constraints
        .iter()
        .map(|c| match *c {
            Constraint::Different { field } => (0..n)
                .map(|i| {
                    let t = p.column(field).text(slot(i));
                    let mut v = Values::new();
                    if !t.is_empty() {
                        v.push(hash64(t.as_bytes()) as i64);
                    }
                    v
                })
                .collect(),
            Constraint::Apart { field, .. } => (0..n)
                .map(|i| {
                    let mut v = Values::new();
                    if let Some(d) = p.column(field).date(slot(i)) {
                        v.push(i64::from(d.days));
                    }
                    v
                })
                .collect(),
        })
        .collect();
    // The last set holds the forced-split tags.
    values.push((0..n).map(&split_tags).collect());
    let splits = values.len() - 1;
    let mut refusals = Vec::with_capacity(edges.len());
    for e in edges {
        let (ra, rb) = (uf.find(e.a as usize), uf.find(e.b as usize));
        if ra == rb {
            refusals.push(None);
            continue;
        }
        let (ta, tb) = (&values[splits][ra], &values[splits][rb]);
        if ta.iter().any(|x| tb.iter().any(|y| x / 2 == y / 2 && x != y)) {
            refusals.push(Some(Refusal::ManualSplit));
            continue;
        }
        let size = uf.size[ra] as usize + uf.size[rb] as usize;
        if size > policy.max_size && !e.forced {
            refusals.push(Some(Refusal::ClusterSize { size }));
            continue;
        }
        let veto = policy.constraints.iter().enumerate().filter(|_| !e.forced).find(|(k, c)| {
            let (va, vb) = (&values[*k][ra], &values[*k][rb]);
            match **c {
                Constraint::Different { .. } => va.iter().any(|x| vb.iter().any(|y| x != y)),
                Constraint::Apart { max_days, .. } => {
                    va.iter().any(|x| vb.iter().any(|y| (x - y).abs() > max_days))
                }
            }
        });
        if let Some((k, _)) = veto {
            refusals.push(Some(Refusal::MustNotLink { rule: k, field: policy.names[k].clone() }));
            continue;
        }
        uf.union(ra, rb);
        let root = uf.find(ra);
        let other = if root == ra { rb } else { ra };
        for vals in &mut values {
            let moved = std::mem::take(&mut vals[other]);
            for x in moved {
                if !vals[root].contains(&x) {
                    vals[root].push(x);
                }
            }
        }
        refusals.push(None);
    }
    Clustering { uf, refusals }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn threshold_json_keeps_its_shape_and_explains_mistakes() {
        for t in [Threshold::Weight(5.0), Threshold::Weight(-2.5), Threshold::Probability(0.9)] {
            let json = serde_json::to_string(&t).unwrap();
            assert_eq!(serde_json::from_str::<Threshold>(&json).unwrap(), t, "{json}");
        }
        assert_eq!(serde_json::to_string(&Threshold::Weight(5.0)).unwrap(), r#"{"weight":5.0}"#);
        assert_eq!(
            serde_json::from_str::<Threshold>(r#"{"weight": 5}"#).unwrap(),
            Threshold::Weight(5.0)
        );
        let forms = r#"expected {"weight": W} (log2 odds) or {"probability": P} with 0 < P < 1"#;
        for (json, found) in [
            ("5", "5"),
            ("-1.5", "-1.5"),
            (r#""high""#, r#""high""#),
            ("null", "null"),
            ("true", "true"),
            ("[1]", "a list"),
            ("{}", "{}"),
            (r#"{"wieght": 5}"#, r#"the key "wieght""#),
            (r#"{"probability": 0.5, "weight": 5}"#, r#"a second key "weight""#),
        ] {
            let value: serde_json::Value = serde_json::from_str(json).unwrap();
            let err = serde_json::from_value::<Threshold>(value).unwrap_err().to_string();
            assert_eq!(err, format!("{forms}, found {found}"), "{json}");
        }
        let err = serde_json::from_str::<Threshold>(r#"{"weight": "high"}"#).unwrap_err();
        assert!(err.to_string().contains("expected f64"), "{err}");
    }

    #[test]
    fn union_find_matches_naive_partition() {
        let mut uf = UnionFind::new(10);
        let pairs = [(0, 1), (2, 3), (1, 3), (5, 6), (8, 9), (9, 8)];
        for (a, b) in pairs {
            uf.union(a, b);
        }
        let mut label: Vec<usize> = (0..10).collect();
        loop {
            let mut changed = false;
            for (a, b) in pairs {
                let m = label[a].min(label[b]);
                if label[a] != m || label[b] != m {
                    label[a] = m;
                    label[b] = m;
                    changed = true;
                }
            }
            if !changed {
                break;
            }
        }
        for a in 0..10 {
            for b in 0..10 {
                assert_eq!(uf.equiv(a, b), label[a] == label[b], "{a} {b}");
            }
        }
        assert_eq!(uf.size_of(0), 4);
    }

    #[test]
    fn thresholds_convert() {
        assert!((Threshold::Probability(0.5).as_weight()).abs() < 1e-12);
        assert!((Threshold::Weight(0.0).as_probability() - 0.5).abs() < 1e-12);
        assert!(Threshold::Probability(1.0).validate("x").is_err());
        assert!(Threshold::Weight(f64::NAN).validate("x").is_err());
    }
}
