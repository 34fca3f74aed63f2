//! A comparison written together with its default m and u.

use crate::compare::{ComparisonSpec, LevelSpec};
use crate::model::{ComparisonModel, LevelParams};

/// One comparison and its default m and u per level, as a profile states it.
///
/// Writing each level next to its m and u keeps the two lists in step;
/// [`WeightedComparison::spec`] and [`WeightedComparison::model`] split them
/// into the [`ComparisonSpec`] and the [`ComparisonModel`] a configuration holds.
///
/// ```
/// use personlink::compare::LevelSpec;
/// use personlink::profile::WeightedComparison;
///
/// let email = WeightedComparison::new("email")
///     .level(LevelSpec::Exact, 0.85, 0.00001)
///     .level(LevelSpec::Levenshtein { min: 0.85 }, 0.05, 0.002)
///     .otherwise(0.10, 0.99799);
/// assert_eq!(email.spec().level_labels().len(), 4); // missing, two levels, else
/// let model = email.model();
/// assert_eq!(model.levels.len(), 3); // the two levels, then else
/// assert_eq!(model.levels[2].label, "else");
/// assert_eq!((model.levels[2].m, model.levels[2].u), (0.10, 0.99799));
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct WeightedComparison {
    /// The compared field.
    pub field: String,
    /// Adjust the weight of an exact match by how frequent the value is.
    pub term_frequency: bool,
    /// Weigh an exact match on a value shared beyond one person's records less
    /// ([`ComparisonSpec::discount_shared_values`]).
    pub discount_shared_values: bool,
    /// The levels, strongest first, each with its m and u.
    pub levels: Vec<(LevelSpec, f64, f64)>,
    /// m and u of "else", the level of present values that meet no other.
    pub otherwise: (f64, f64),
}

impl WeightedComparison {
    /// A comparison of `field` with no level yet and "else" at m = u = 1
    /// (a neutral weight until [`WeightedComparison::otherwise`] sets it).
    pub fn new(field: impl Into<String>) -> Self {
        WeightedComparison {
            field: field.into(),
            term_frequency: false,
            discount_shared_values: false,
            levels: Vec::new(),
            otherwise: (1.0, 1.0),
        }
    }

    /// Turns the term-frequency adjustment of exact matches on.
    pub fn with_term_frequency(mut self) -> Self {
        self.term_frequency = true;
        self
    }

    /// Turns the discount of values shared by many records on.
    pub fn with_discount_shared_values(mut self) -> Self {
        self.discount_shared_values = true;
        self
    }

    /// Appends a level with its m and u.
    pub fn level(mut self, level: LevelSpec, m: f64, u: f64) -> Self {
        self.levels.push((level, m, u));
        self
    }

    /// Sets m and u of "else".
    pub fn otherwise(mut self, m: f64, u: f64) -> Self {
        self.otherwise = (m, u);
        self
    }

    /// The comparison, without its numbers.
    pub fn spec(&self) -> ComparisonSpec {
        ComparisonSpec {
            field: self.field.clone(),
            levels: self.levels.iter().map(|(level, _, _)| level.clone()).collect(),
            term_frequency: self.term_frequency,
            discount_shared_values: self.discount_shared_values,
        }
    }

    /// The m and u of every level after "missing", labelled as
    /// [`ComparisonSpec::level_labels`] labels them ("else" last).
    pub fn model(&self) -> ComparisonModel {
        let labels = self.spec().level_labels();
        let numbers = self.levels.iter().map(|&(_, m, u)| (m, u)).chain([self.otherwise]);
        ComparisonModel {
            field: self.field.clone(),
            // labels[0] is "missing", which has no parameters (its weight is 0).
            levels: labels[1..]
                .iter()
                .zip(numbers)
                .map(|(label, (m, u))| LevelParams::new(label.clone(), m, u))
                .collect(),
        }
    }
}
