//! Explanations: why a pair was, or was not, judged the same person.
//!
//! An [`Explanation`] lists, for every comparison, the two normalized values,
//! the level reached and its weight, then the prior, the total, the match
//! probability, the threshold and the decision. Its `Display` renders a
//! waterfall: each line adds its weight to a running total.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::cluster::Policy;
use crate::household::Householder;
use crate::model::match_probability;
use crate::prepare::Prepared;
use crate::record::SourceRef;
use crate::score::Scorer;

/// What the policy decided for a pair.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Decision {
    /// At or above the match threshold.
    Match,
    /// In the review band: below the match threshold, at or above the review threshold.
    Review,
    /// Below every threshold.
    NonMatch,
}

impl fmt::Display for Decision {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Decision::Match => "match",
            Decision::Review => "review",
            Decision::NonMatch => "non-match",
        })
    }
}

impl Decision {
    /// The decision for a pair of match weight `weight` under these thresholds.
    pub(crate) fn of(weight: f64, match_weight: f64, review_weight: Option<f64>) -> Decision {
        if weight >= match_weight {
            Decision::Match
        } else if review_weight.is_some_and(|r| weight >= r) {
            Decision::Review
        } else {
            Decision::NonMatch
        }
    }
}

/// One comparison's part in an explanation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct FieldContribution {
    /// The compared field.
    pub field: String,
    /// The left record's normalized value ("" when missing).
    pub left: String,
    /// The right record's normalized value ("" when missing).
    pub right: String,
    /// The level index reached (0 = missing).
    pub level: u8,
    /// The level's label.
    pub label: String,
    /// The level's weight, `log2(m / u)` (0 when missing), term-frequency adjustment included.
    pub weight: f64,
    /// The part of `weight` due to the value's frequency (0 when not adjusted).
    pub term_frequency_adjustment: f64,
}

/// A weight cap's part in an explanation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct CapContribution {
    /// The cap's name.
    pub name: String,
    /// The weight its fields reached together, before the cap.
    pub group_weight: f64,
    /// What the cap changed (negative when it bounded agreements, positive when
    /// it bounded disagreements, 0 when neither bound was reached).
    pub adjustment: f64,
}

/// A pair that does not reach the model's identity requirement
/// ([`crate::model::IdentityRequirement`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct IdentityShortfall {
    /// The summed weight of the pair's identity comparisons.
    pub weight: f64,
    /// The weight they had to reach.
    pub min_weight: f64,
    /// The most the pair may then score.
    pub ceiling: f64,
    /// What the ceiling took off the total (0 when the total was already under it).
    pub adjustment: f64,
}

/// The full account of one pair's score and decision.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Explanation {
    /// The left record.
    pub left: SourceRef,
    /// The right record.
    pub right: SourceRef,
    /// The prior's weight.
    pub prior_weight: f64,
    /// One entry per comparison, in configuration order.
    pub fields: Vec<FieldContribution>,
    /// One entry per weight cap of the model.
    pub caps: Vec<CapContribution>,
    /// Set when the pair does not reach the model's identity requirement.
    #[serde(default)]
    pub identity: Option<IdentityShortfall>,
    /// Prior plus every field's weight plus every cap's adjustment.
    pub total_weight: f64,
    /// `2^w / (1 + 2^w)` of the total.
    pub probability: f64,
    /// The match threshold, as a weight.
    pub match_threshold: f64,
    /// The review threshold, as a weight, if any.
    pub review_threshold: Option<f64>,
    /// The decision the thresholds give.
    pub decision: Decision,
    /// A data steward's decision on this pair, which overrides the score.
    #[serde(default)]
    pub manual: Option<ManualDecision>,
    /// The household key the two records share (the name of its rule), if any:
    /// with any decision but a match, they are two people of one home.
    #[serde(default)]
    pub same_household: Option<String>,
}

/// A decision a data steward took on a pair of records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ManualDecision {
    /// Always the same person.
    ForceLink,
    /// Never the same person.
    ForceSplit,
}

impl fmt::Display for Explanation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{} vs {}", self.left, self.right)?;
        let value_width = self
            .fields
            .iter()
            .map(|c| {
                let tf_note = if c.term_frequency_adjustment != 0.0 { 12 } else { 0 };
                shown(&c.left).chars().count() + shown(&c.right).chars().count() + 3 + tf_note
            })
            .max()
            .unwrap_or(0)
            .min(60);
        let field_width = self.fields.iter().map(|c| c.field.len()).max().unwrap_or(5).max(5);
        let label_width = self.fields.iter().map(|c| c.label.len()).max().unwrap_or(5).max(5);
        let widths = (field_width, value_width, label_width);
        let mut running = self.prior_weight;
        waterfall_row(f, widths, "prior", "", "", self.prior_weight, running)?;
        for c in &self.fields {
            running += c.weight;
            let values = if c.term_frequency_adjustment != 0.0 {
                format!(
                    "{} | {} (tf {:+.2})",
                    shown(&c.left),
                    shown(&c.right),
                    c.term_frequency_adjustment
                )
            } else {
                format!("{} | {}", shown(&c.left), shown(&c.right))
            };
            let values: String = values.chars().take(value_width).collect();
            waterfall_row(f, widths, &c.field, &values, &c.label, c.weight, running)?;
        }
        for c in self.caps.iter().filter(|c| c.adjustment != 0.0) {
            running += c.adjustment;
            let note = format!(
                "cap {} ({:+.2} -> {:+.2})",
                c.name,
                c.group_weight,
                c.group_weight + c.adjustment
            );
            let wide = (field_width, value_width.max(note.len()), label_width);
            waterfall_row(f, wide, "cap", &note, "", c.adjustment, running)?;
        }
        if let Some(i) = &self.identity {
            running += i.adjustment;
            let note = if i.weight < i.min_weight {
                format!(
                    "identity {:+.2} < {:+.2}: at most {:+.2}",
                    i.weight, i.min_weight, i.ceiling
                )
            } else {
                format!("identity field disagrees: at most {:+.2}", i.ceiling)
            };
            let wide = (field_width, value_width.max(note.len()), label_width);
            waterfall_row(f, wide, "identity", &note, "", i.adjustment, running)?;
        }
        if let Some(key) = &self.same_household {
            if self.decision == Decision::Match {
                writeln!(f, "  same household (shared {key})")?;
            } else {
                writeln!(f, "  same household (shared {key}), different people")?;
            }
        }
        write!(
            f,
            "  total {:+.2} (probability {:.4}), match threshold {:+.2}",
            self.total_weight, self.probability, self.match_threshold
        )?;
        if let Some(r) = self.review_threshold {
            write!(f, ", review threshold {r:+.2}")?;
        }
        write!(f, " => {}", self.decision)?;
        match self.manual {
            Some(ManualDecision::ForceLink) => write!(f, " (overridden: linked by a data steward)"),
            Some(ManualDecision::ForceSplit) => write!(f, " (overridden: split by a data steward)"),
            None => Ok(()),
        }
    }
}

/// Explains record `i` of `pa` (whose source is `left`) against record `j` of
/// `pb` (`right`; the stores may be the same): every comparison's values,
/// level and weight, the caps, the total, the decision `policy` gives, and the
/// household key they share.
pub(crate) fn explain_pair(
    scorer: &Scorer,
    policy: &Policy,
    householder: &Householder,
    (pa, i, left): (&Prepared, usize, &SourceRef),
    (pb, j, right): (&Prepared, usize, &SourceRef),
) -> Explanation {
    let (levels, total) = scorer.score_across(pa, i, pb, j);
    let adjust = scorer.tf_adjustments_across(pa, i, pb, j, &levels);
    let fields = levels
        .levels()
        .iter()
        .enumerate()
        .map(|(k, &level)| {
            let field = scorer.field_of(k);
            FieldContribution {
                field: scorer.field_name(k).to_owned(),
                left: pa.column(field).text(i).to_owned(),
                right: pb.column(field).text(j).to_owned(),
                level,
                label: scorer.level_label(k, level).to_owned(),
                weight: scorer.level_weight(k, level) + adjust[k],
                term_frequency_adjustment: adjust[k],
            }
        })
        .collect();
    let caps = scorer
        .cap_names()
        .iter()
        .zip(scorer.cap_adjustments(&levels, &adjust))
        .map(|(name, (group_weight, adjustment))| CapContribution {
            name: name.clone(),
            group_weight,
            adjustment,
        })
        .collect();
    let identity =
        scorer.identity_shortfall(&levels, &adjust).map(|(weight, min_weight, ceiling)| {
            let ungated = scorer.score_before_identity(&levels, &adjust);
            IdentityShortfall { weight, min_weight, ceiling, adjustment: total - ungated }
        });
    Explanation {
        left: left.clone(),
        right: right.clone(),
        prior_weight: scorer.prior_weight(),
        fields,
        caps,
        identity,
        total_weight: total,
        probability: match_probability(total),
        match_threshold: policy.match_weight(),
        review_threshold: policy.review_weight(),
        decision: Decision::of(total, policy.match_weight(), policy.review_weight()),
        manual: None,
        same_household: householder.shared_key(pa, i, pb, j).map(str::to_owned),
    }
}

/// One line of the waterfall: what, the values, the level, the weight and the running total.
fn waterfall_row(
    f: &mut fmt::Formatter<'_>,
    (field_width, value_width, label_width): (usize, usize, usize),
    name: &str,
    values: &str,
    label: &str,
    weight: f64,
    running: f64,
) -> fmt::Result {
    writeln!(
        f,
        "  {name:field_width$}  {values:value_width$}  {label:label_width$}  {:>7}  {:>8}",
        format!("{weight:+.2}"),
        format!("{running:+.2}"),
    )
}

fn shown(v: &str) -> &str {
    if v.is_empty() {
        "∅"
    } else {
        v
    }
}
