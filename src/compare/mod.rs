//! Comparisons: how two prepared values of a field are judged, level by level.
//!
//! A [`ComparisonSpec`] names a field and an ordered list of [`LevelSpec`]s.
//! For a pair of records the comparison yields a *level index*: `0` when
//! either value is missing, `1..=n` for the first listed level that holds,
//! `n + 1` ("else") when none does. The levels of all comparisons of a pair
//! form a [`ComparisonVector`], a small fixed array built without heap
//! allocation.
//!
//! ```
//! use personlink::compare::{ComparisonSpec, LevelSpec};
//! let surname = ComparisonSpec::new("surname")
//!     .level(LevelSpec::Exact)
//!     .level(LevelSpec::JaroWinkler { min: 0.92 })
//!     .level(LevelSpec::JaroWinkler { min: 0.80 });
//! assert_eq!(surname.level_labels(), ["missing", "exact", "jaro_winkler>=0.92", "jaro_winkler>=0.8", "else"]);
//! ```

mod nicknames;
pub mod similarity;

use std::fmt;

use serde::{Deserialize, Serialize};

pub use nicknames::NicknameTable;

use crate::error::{Error, Result};
use crate::phonetic::PhoneticAlgorithm;
use crate::prepare::Prepared;
use crate::record::{FieldKind, Schema};

/// The most comparisons a configuration may hold (the length of a [`ComparisonVector`]).
pub const MAX_COMPARISONS: usize = 24;

/// One way two values of a field can agree, tested in list order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum LevelSpec {
    /// The normalized values are equal.
    Exact,
    /// Jaro-Winkler similarity at least `min`.
    JaroWinkler {
        /// Lower bound, in `(0, 1]`.
        min: f64,
    },
    /// Normalized Levenshtein similarity at least `min`.
    Levenshtein {
        /// Lower bound, in `(0, 1]`.
        min: f64,
    },
    /// Normalized Damerau (optimal string alignment) similarity at least `min`.
    Damerau {
        /// Lower bound, in `(0, 1]`.
        min: f64,
    },
    /// At most `max` edits (insert, delete, substitute, swap adjacent), for codes and ids.
    WithinEdits {
        /// Largest accepted edit distance.
        max: u32,
    },
    /// Equal phonetic codes.
    Phonetic {
        /// The encoder.
        algorithm: PhoneticAlgorithm,
    },
    /// Token-set overlap (Jaccard of whitespace tokens) at least `min`, for addresses and full names.
    TokenSet {
        /// Lower bound, in `(0, 1]`.
        min: f64,
    },
    /// The first tokens are equal ("jean pierre" / "jean").
    FirstToken,
    /// The first letters are equal ("j" / "jean", "jean" / "jacques").
    Initial,
    /// The names are nickname or diminutive equivalents (William / Bill, Dominique / Dom).
    Nickname,
    /// This field and field `with` are swapped between the records (given name / surname):
    /// each crossing starts with the same letter and has Jaro-Winkler at least 0.92.
    Swapped {
        /// The other field.
        with: String,
    },
    /// Dates at most `days` apart.
    DateWithin {
        /// Largest accepted distance in days.
        days: u32,
    },
    /// Dates that differ by one digit, or by a day/month transposition.
    DateTypo,
    /// Dates in the same year.
    SameYear,
    /// Numbers within `abs` or within `rel` of the larger magnitude.
    NumberWithin {
        /// Absolute tolerance.
        #[serde(default)]
        abs: f64,
        /// Relative tolerance.
        #[serde(default)]
        rel: f64,
    },
    /// The first `len` characters are equal (postcode district, phone prefix).
    Prefix {
        /// Number of leading characters.
        len: usize,
    },
}

impl LevelSpec {
    /// A short stable label ("exact", "jaro_winkler>=0.92").
    pub fn label(&self) -> String {
        match self {
            LevelSpec::Exact => "exact".into(),
            LevelSpec::JaroWinkler { min } => format!("jaro_winkler>={min}"),
            LevelSpec::Levenshtein { min } => format!("levenshtein>={min}"),
            LevelSpec::Damerau { min } => format!("damerau>={min}"),
            LevelSpec::WithinEdits { max } => format!("within_{max}_edits"),
            LevelSpec::Phonetic { algorithm } => format!("phonetic({})", algorithm.name()),
            LevelSpec::TokenSet { min } => format!("token_set>={min}"),
            LevelSpec::FirstToken => "first_token".into(),
            LevelSpec::Initial => "initial".into(),
            LevelSpec::Nickname => "nickname".into(),
            LevelSpec::Swapped { with } => format!("swapped_with({with})"),
            LevelSpec::DateWithin { days } => format!("within_{days}_days"),
            LevelSpec::DateTypo => "date_typo".into(),
            LevelSpec::SameYear => "same_year".into(),
            LevelSpec::NumberWithin { abs, rel } => format!("number_within(abs={abs},rel={rel})"),
            LevelSpec::Prefix { len } => format!("prefix({len})"),
        }
    }

    fn is_date(&self) -> bool {
        matches!(self, LevelSpec::DateWithin { .. } | LevelSpec::DateTypo | LevelSpec::SameYear)
    }
}

/// How one field of two records is compared: an ordered list of levels.
///
/// Level `0` ("missing") and the last level ("else") are implicit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ComparisonSpec {
    /// The compared field.
    pub field: String,
    /// The levels, strongest first; the first that holds is taken.
    pub levels: Vec<LevelSpec>,
    /// Adjust the weight of an exact match by how frequent the value is (needs an
    /// `exact` level; takes effect when the model carries the field's frequency table).
    #[serde(default)]
    pub term_frequency: bool,
}

impl ComparisonSpec {
    /// A comparison of `field` with no level yet (every present pair lands in "else").
    pub fn new(field: impl Into<String>) -> Self {
        ComparisonSpec { field: field.into(), levels: Vec::new(), term_frequency: false }
    }

    /// Turns the term-frequency adjustment of exact matches on.
    pub fn with_term_frequency(mut self) -> Self {
        self.term_frequency = true;
        self
    }

    /// Appends a level.
    pub fn level(mut self, level: LevelSpec) -> Self {
        self.levels.push(level);
        self
    }

    /// Labels of every level index, "missing" and "else" included.
    pub fn level_labels(&self) -> Vec<String> {
        let mut out = Vec::with_capacity(self.levels.len() + 2);
        out.push("missing".to_owned());
        out.extend(self.levels.iter().map(LevelSpec::label));
        out.push("else".to_owned());
        out
    }

    /// Number of level indices, "missing" and "else" included.
    pub fn level_count(&self) -> usize {
        self.levels.len() + 2
    }
}

/// The level index of every comparison for one pair: a small fixed array.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ComparisonVector {
    levels: [u8; MAX_COMPARISONS],
    len: u8,
}

impl ComparisonVector {
    /// A vector of `len` comparisons, all at level 0 (missing).
    pub(crate) fn new(len: usize) -> Self {
        ComparisonVector { levels: [0; MAX_COMPARISONS], len: len as u8 }
    }

    /// The level indices, one per comparison.
    pub fn levels(&self) -> &[u8] {
        &self.levels[..usize::from(self.len)]
    }

    pub(crate) fn set(&mut self, k: usize, level: u8) {
        self.levels[k] = level;
    }
}

impl fmt::Debug for ComparisonVector {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.levels()).finish()
    }
}

/// What a field's prepared column must hold for the levels and keys that use it.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct FieldFeatures {
    pub date: bool,
    pub number: bool,
    pub tokens: bool,
    pub nicknames: bool,
    pub term_frequency: bool,
    pub phonetic: Vec<PhoneticAlgorithm>,
}

impl FieldFeatures {
    /// The slot of `algo` in this field's phonetic code list, adding it if new.
    pub fn phonetic_slot(&mut self, algo: PhoneticAlgorithm) -> usize {
        match self.phonetic.iter().position(|&a| a == algo) {
            Some(i) => i,
            None => {
                self.phonetic.push(algo);
                self.phonetic.len() - 1
            }
        }
    }
}

#[derive(Debug, Clone)]
enum Level {
    Exact,
    JaroWinkler(f64),
    Levenshtein(f64),
    Damerau(f64),
    WithinEdits(usize),
    Phonetic(usize),
    TokenSet(f64),
    FirstToken,
    Initial,
    Nickname,
    Swapped(usize),
    DateWithin(i32),
    DateTypo,
    SameYear,
    NumberWithin { abs: f64, rel: f64 },
    Prefix(usize),
}

/// A comparison validated against a schema, ready to evaluate pairs.
#[derive(Debug, Clone)]
pub(crate) struct CompiledComparison {
    pub field: usize,
    levels: Vec<Level>,
    /// The level index of the exact level, when term frequencies adjust it.
    pub tf_level: Option<u8>,
}

/// Jaro-Winkler bound used by [`LevelSpec::Swapped`] on each crossing.
const SWAP_MIN_JW: f64 = 0.92;

fn check_unit(min: f64, path: &str) -> Result<()> {
    if min.is_finite() && min > 0.0 && min <= 1.0 {
        Ok(())
    } else {
        Err(Error::config(path, format!("similarity bound {min} is not in (0, 1]")))
    }
}

impl CompiledComparison {
    /// Validates `spec` (at config path `path`) and records the features its field needs.
    pub fn compile(
        spec: &ComparisonSpec,
        schema: &Schema,
        features: &mut [FieldFeatures],
        path: &str,
    ) -> Result<Self> {
        let field = schema
            .field_id(&spec.field)
            .ok_or_else(|| {
                Error::config(format!("{path}.field"), format!("unknown field `{}`", spec.field))
            })?
            .index();
        let kind = schema.fields()[field].kind;
        if spec.levels.len() > 250 {
            return Err(Error::config(format!("{path}.levels"), "more than 250 levels"));
        }
        let mut levels = Vec::with_capacity(spec.levels.len());
        for (k, l) in spec.levels.iter().enumerate() {
            let lpath = format!("{path}.levels[{k}]");
            if l.is_date() && kind != FieldKind::Date {
                return Err(Error::config(
                    lpath,
                    format!("date level on field `{}` which is not a date", spec.field),
                ));
            }
            let level = match l {
                LevelSpec::Exact => Level::Exact,
                LevelSpec::JaroWinkler { min } => {
                    check_unit(*min, &format!("{lpath}.min"))?;
                    Level::JaroWinkler(*min)
                }
                LevelSpec::Levenshtein { min } => {
                    check_unit(*min, &format!("{lpath}.min"))?;
                    Level::Levenshtein(*min)
                }
                LevelSpec::Damerau { min } => {
                    check_unit(*min, &format!("{lpath}.min"))?;
                    Level::Damerau(*min)
                }
                LevelSpec::WithinEdits { max } => Level::WithinEdits(*max as usize),
                LevelSpec::Phonetic { algorithm } => {
                    Level::Phonetic(features[field].phonetic_slot(*algorithm))
                }
                LevelSpec::TokenSet { min } => {
                    check_unit(*min, &format!("{lpath}.min"))?;
                    features[field].tokens = true;
                    Level::TokenSet(*min)
                }
                LevelSpec::FirstToken => Level::FirstToken,
                LevelSpec::Initial => Level::Initial,
                LevelSpec::Nickname => {
                    features[field].nicknames = true;
                    Level::Nickname
                }
                LevelSpec::Swapped { with } => {
                    let other = schema.field_id(with).ok_or_else(|| {
                        Error::config(format!("{lpath}.with"), format!("unknown field `{with}`"))
                    })?;
                    if other.index() == field {
                        return Err(Error::config(
                            format!("{lpath}.with"),
                            "a field cannot be swapped with itself",
                        ));
                    }
                    Level::Swapped(other.index())
                }
                LevelSpec::DateWithin { days } => {
                    features[field].date = true;
                    Level::DateWithin(i32::try_from(*days).unwrap_or(i32::MAX))
                }
                LevelSpec::DateTypo => {
                    features[field].date = true;
                    Level::DateTypo
                }
                LevelSpec::SameYear => {
                    features[field].date = true;
                    Level::SameYear
                }
                LevelSpec::NumberWithin { abs, rel } => {
                    if !(abs.is_finite() && *abs >= 0.0 && rel.is_finite() && *rel >= 0.0) {
                        return Err(Error::config(lpath, "tolerances must be finite and >= 0"));
                    }
                    features[field].number = true;
                    Level::NumberWithin { abs: *abs, rel: *rel }
                }
                LevelSpec::Prefix { len } => {
                    if *len == 0 {
                        return Err(Error::config(format!("{lpath}.len"), "must be at least 1"));
                    }
                    Level::Prefix(*len)
                }
            };
            levels.push(level);
        }
        let tf_level = if spec.term_frequency {
            let exact =
                spec.levels.iter().position(|l| *l == LevelSpec::Exact).ok_or_else(|| {
                    Error::config(
                        format!("{path}.term_frequency"),
                        "term frequencies need an `exact` level",
                    )
                })?;
            features[field].term_frequency = true;
            Some((exact + 1) as u8)
        } else {
            None
        };
        Ok(CompiledComparison { field, levels, tf_level })
    }

    /// True when some level computes a string similarity or edit distance (the
    /// costly levels), false when every level is a look-up or a cheap test.
    pub fn is_costly(&self) -> bool {
        self.levels.iter().any(|l| {
            matches!(
                l,
                Level::JaroWinkler(_)
                    | Level::Levenshtein(_)
                    | Level::Damerau(_)
                    | Level::WithinEdits(_)
                    | Level::Swapped(_)
            )
        })
    }

    /// True when the first level is an exact match (level index 1 means equal values).
    pub fn starts_exact(&self) -> bool {
        matches!(self.levels.first(), Some(Level::Exact))
    }

    /// Number of level indices, "missing" and "else" included.
    pub fn level_count(&self) -> usize {
        self.levels.len() + 2
    }

    /// The level index of record `i` of `pa` and record `j` of `pb` (the two may
    /// be the same store). Symmetric; allocation-free.
    pub fn evaluate_across(&self, pa: &Prepared, i: usize, pb: &Prepared, j: usize) -> u8 {
        let (ca, cb) = (pa.column(self.field), pb.column(self.field));
        let (a, b) = (ca.text(i), cb.text(j));
        if a.is_empty() || b.is_empty() {
            return 0;
        }
        let ascii = ca.is_ascii(i) && cb.is_ascii(j);
        // Similarities are computed at most once per pair, when a level first needs them.
        let mut jw = f64::NAN;
        let mut lev = f64::NAN;
        let mut dam = f64::NAN;
        for (k, level) in self.levels.iter().enumerate() {
            let hit = match *level {
                Level::Exact => a == b,
                Level::JaroWinkler(min) => {
                    if jw.is_nan() {
                        jw = similarity::jaro_winkler(a, b, ascii);
                    }
                    jw >= min
                }
                Level::Levenshtein(min) => {
                    // The length difference alone bounds the similarity from above.
                    if lev.is_nan() && (!ascii || length_bound(a.len(), b.len()) >= min) {
                        lev = similarity::levenshtein(a, b, ascii);
                    }
                    lev >= min
                }
                Level::Damerau(min) => {
                    if dam.is_nan() && (!ascii || length_bound(a.len(), b.len()) >= min) {
                        dam = similarity::damerau(a, b, ascii);
                    }
                    dam >= min
                }
                Level::WithinEdits(max) => similarity::within_edits(a, b, max, ascii),
                Level::Phonetic(slot) => {
                    let (ca, cb) = (ca.code(i, slot), cb.code(j, slot));
                    ca != 0 && ca == cb
                }
                Level::TokenSet(min) => {
                    similarity::token_jaccard(ca.tokens(i), cb.tokens(j)) >= min
                }
                Level::FirstToken => similarity::first_token(a) == similarity::first_token(b),
                Level::Initial => a.chars().next() == b.chars().next(),
                Level::Nickname => {
                    let (ga, gb) = (ca.nicknames(i), cb.nicknames(j));
                    ga.iter().any(|g| gb.contains(g))
                }
                Level::Swapped(other) => {
                    let (oca, ocb) = (pa.column(other), pb.column(other));
                    let (oa, ob) = (oca.text(i), ocb.text(j));
                    !oa.is_empty()
                        && !ob.is_empty()
                        && a != oa
                        && swapped_match(a, ob, ca.is_ascii(i) && ocb.is_ascii(j))
                        && swapped_match(oa, b, oca.is_ascii(i) && cb.is_ascii(j))
                }
                Level::DateWithin(days) => match (ca.date(i), cb.date(j)) {
                    (Some(x), Some(y)) => (x.days - y.days).abs() <= days,
                    _ => false,
                },
                Level::DateTypo => match (ca.date(i), cb.date(j)) {
                    (Some(x), Some(y)) => x.is_typo_of(&y, a, b),
                    _ => false,
                },
                Level::SameYear => match (ca.date(i), cb.date(j)) {
                    (Some(x), Some(y)) => x.year == y.year,
                    _ => false,
                },
                Level::NumberWithin { abs, rel } => match (ca.number(i), cb.number(j)) {
                    (Some(x), Some(y)) => {
                        let d = (x - y).abs();
                        d <= abs || d <= rel * x.abs().max(y.abs())
                    }
                    _ => false,
                },
                Level::Prefix(len) => {
                    let mut ca = a.chars();
                    let mut cb = b.chars();
                    (0..len).all(|_| match (ca.next(), cb.next()) {
                        (Some(x), Some(y)) => x == y,
                        _ => false,
                    })
                }
            };
            if hit {
                return (k + 1) as u8;
            }
        }
        (self.levels.len() + 1) as u8
    }
}

/// The best normalized edit similarity two ASCII strings of these lengths can reach.
fn length_bound(la: usize, lb: usize) -> f64 {
    let longest = la.max(lb);
    if longest == 0 {
        1.0
    } else {
        1.0 - la.abs_diff(lb) as f64 / longest as f64
    }
}

fn swapped_match(a: &str, b: &str, ascii: bool) -> bool {
    a == b
        || (a.as_bytes().first() == b.as_bytes().first()
            && similarity::jaro_winkler(a, b, ascii) >= SWAP_MIN_JW)
}
