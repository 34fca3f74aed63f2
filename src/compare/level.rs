//! Comparison levels: every way two values of a field can agree.
//!
//! Everything about one kind of level lives in this file: its variant of
//! [`LevelSpec`] (the serde form), its [`label`](LevelSpec::label), its
//! checks and the prepared features it reads when it is compiled, and its
//! test on a pair (its arm in `evaluate`). Dispatch is a `match` on the
//! variant, which keeps the pair loop free of indirect calls.

use serde::{Deserialize, Serialize};

use super::similarity;
use crate::error::{Error, Result};
use crate::normalize::{first_token, PhoneNormalizer};
use crate::phonetic::PhoneticAlgorithm;
use crate::prepare::{FieldFeatures, Prepared};
use crate::record::{FieldKind, Schema};

/// One way two values of a field can agree, tested in list order.
///
/// In JSON each level is an object tagged by `type` in snake case; unknown
/// keys are rejected, on levels without knobs too:
///
/// ```
/// use personlink::compare::LevelSpec;
///
/// let level: LevelSpec = serde_json::from_str(r#"{"type": "jaro_winkler", "min": 0.9}"#).unwrap();
/// assert_eq!(level, LevelSpec::JaroWinkler { min: 0.9 });
/// assert_eq!(serde_json::to_string(&LevelSpec::Exact).unwrap(), r#"{"type":"exact"}"#);
/// let typo = serde_json::from_str::<LevelSpec>(r#"{"type": "exact", "min": 0.9}"#).unwrap_err();
/// assert!(typo.to_string().contains("unknown field `min`"), "{typo}");
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields, from = "LevelRepr")]
#[non_exhaustive]
// A plain tag byte (no niche in the `String` of `Swapped`): the pair loop
// matches on it for every level, and a tag is the cheapest thing to match.
#[repr(u8)]
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
    /// Every token of the value with fewer tokens is a token of the other: a
    /// name that gained or lost a part ("martin" / "martin dupont" after a
    /// marriage, "pierre" / "jean pierre", "dupont" / "dupont de la roche").
    TokenSubset,
    /// The first tokens are equal ("jean pierre" / "jean").
    FirstToken,
    /// One value is an initial (its first word is one letter) and the other
    /// starts with it ("j" / "jean", "j p" / "jean pierre"); two full names
    /// that only share a first letter ("aaron" / "adam") are not.
    Initial,
    /// The names are nickname or diminutive equivalents (William / Bill, Dominique / Dom).
    Nickname,
    /// This field and field `with` are swapped between the records (given name / surname):
    /// each crossing is equal, starts alike (same first letter, or one letter
    /// added or dropped at the start: `durand` / `edurand`) with Jaro-Winkler at
    /// least 0.85, or is a short form of at least three letters that starts the
    /// other (`chris` / `christopher`); or one crossing is equal and the other
    /// starts alike with Jaro-Winkler at least 0.7 (`james` / `jimmy`).
    Swapped {
        /// The other field.
        with: String,
    },
    /// The names' consonant skeletons are equal and at least one of the two
    /// was written in an abjad (Arabic or Hebrew script), whose
    /// transliteration leaves the vowels out: `يوسف حداد` (`ywsf hdad`) and
    /// `Youssef Haddad` both have the skeleton `sf hd`. Vowels, `y` and `w`
    /// are dropped, `sh`/`ch` read `s`, `dj` `j`, `q` `k`, a doubled
    /// consonant counts once; a skeleton needs two consonants. Two names
    /// written in Latin letters never agree on this level.
    AbjadSkeleton,
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
    /// Phone numbers (as the phone normalizer writes them) whose national
    /// significant numbers agree: an E.164 number and the bare digits of a
    /// number the normalizer could not place (`+17025550143` / `7025550143`,
    /// `17025550143`, or a local `5550143`), or two bare numbers, agree when
    /// the shorter digit string ends the longer one and has at least
    /// `min_digits` digits; two E.164 numbers agree only when equal (same
    /// calling code, same national number: `+33612345678` and
    /// `+44612345678` do not). Values that are not phone numbers never agree.
    NationalNumber {
        /// Fewest digits of the shorter number (default 7, at most 15).
        #[serde(default = "default_min_digits")]
        min_digits: usize,
    },
}

/// What [`LevelSpec`] deserializes from: the same shape, with the levels
/// without knobs written as empty struct variants, so that
/// `deny_unknown_fields` rejects `{"type": "exact", "min": 0.9}` too (serde
/// ignores extra keys on unit variants of internally tagged enums).
#[derive(Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
enum LevelRepr {
    Exact {},
    JaroWinkler {
        min: f64,
    },
    Levenshtein {
        min: f64,
    },
    Damerau {
        min: f64,
    },
    WithinEdits {
        max: u32,
    },
    Phonetic {
        algorithm: PhoneticAlgorithm,
    },
    TokenSet {
        min: f64,
    },
    TokenSubset {},
    FirstToken {},
    Initial {},
    Nickname {},
    Swapped {
        with: String,
    },
    AbjadSkeleton {},
    DateWithin {
        days: u32,
    },
    DateTypo {},
    SameYear {},
    NumberWithin {
        #[serde(default)]
        abs: f64,
        #[serde(default)]
        rel: f64,
    },
    Prefix {
        len: usize,
    },
    NationalNumber {
        #[serde(default = "default_min_digits")]
        min_digits: usize,
    },
}

impl From<LevelRepr> for LevelSpec {
    fn from(repr: LevelRepr) -> Self {
        use LevelRepr as R;
        match repr {
            R::Exact {} => LevelSpec::Exact,
            R::JaroWinkler { min } => LevelSpec::JaroWinkler { min },
            R::Levenshtein { min } => LevelSpec::Levenshtein { min },
            R::Damerau { min } => LevelSpec::Damerau { min },
            R::WithinEdits { max } => LevelSpec::WithinEdits { max },
            R::Phonetic { algorithm } => LevelSpec::Phonetic { algorithm },
            R::TokenSet { min } => LevelSpec::TokenSet { min },
            R::TokenSubset {} => LevelSpec::TokenSubset,
            R::FirstToken {} => LevelSpec::FirstToken,
            R::Initial {} => LevelSpec::Initial,
            R::Nickname {} => LevelSpec::Nickname,
            R::Swapped { with } => LevelSpec::Swapped { with },
            R::AbjadSkeleton {} => LevelSpec::AbjadSkeleton,
            R::DateWithin { days } => LevelSpec::DateWithin { days },
            R::DateTypo {} => LevelSpec::DateTypo,
            R::SameYear {} => LevelSpec::SameYear,
            R::NumberWithin { abs, rel } => LevelSpec::NumberWithin { abs, rel },
            R::Prefix { len } => LevelSpec::Prefix { len },
            R::NationalNumber { min_digits } => LevelSpec::NationalNumber { min_digits },
        }
    }
}

/// Default [`LevelSpec::NationalNumber::min_digits`]: a North American
/// subscriber number without its area code has 7 digits, the shortest national
/// numbers of the supported plans (Ireland, Germany) about as many, and two
/// unrelated numbers share their last 7 digits about once in 10 million pairs.
/// 6 would let a 6-digit fragment vouch for a number; 8 would miss a number
/// written without its area code.
const DEFAULT_NATIONAL_MIN_DIGITS: usize = 7;

fn default_min_digits() -> usize {
    DEFAULT_NATIONAL_MIN_DIGITS
}

/// The most digits an E.164 number has; a larger `min_digits` never holds.
const MAX_PHONE_DIGITS: usize = 15;

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
            LevelSpec::TokenSubset => "token_subset".into(),
            LevelSpec::FirstToken => "first_token".into(),
            LevelSpec::Initial => "initial".into(),
            LevelSpec::Nickname => "nickname".into(),
            LevelSpec::Swapped { with } => format!("swapped_with({with})"),
            LevelSpec::AbjadSkeleton => "abjad_skeleton".into(),
            LevelSpec::DateWithin { days } => format!("within_{days}_days"),
            LevelSpec::DateTypo => "date_typo".into(),
            LevelSpec::SameYear => "same_year".into(),
            LevelSpec::NumberWithin { abs, rel } => format!("number_within(abs={abs},rel={rel})"),
            LevelSpec::Prefix { len } => format!("prefix({len})"),
            LevelSpec::NationalNumber { min_digits } => format!("national_number({min_digits})"),
        }
    }

    /// Validates the level for field `field` (at config path `path`), records
    /// the prepared features it reads, and says how costly it is.
    pub(super) fn compile(
        &self,
        field: usize,
        schema: &Schema,
        features: &mut [FieldFeatures],
        path: &str,
    ) -> Result<CompiledLevel> {
        let name = &schema.fields()[field].name;
        let is_date = schema.fields()[field].kind == FieldKind::Date;
        let not_date = || {
            Err(Error::config(path, format!("date level on field `{name}` which is not a date")))
        };
        let unit = |min: f64| check_unit(min, &format!("{path}.min"));
        let (mut aux, mut cost) = (0, Cost::Cheap);
        match self {
            LevelSpec::Exact
            | LevelSpec::FirstToken
            | LevelSpec::Initial
            | LevelSpec::WithinEdits { .. } => {}
            LevelSpec::JaroWinkler { min }
            | LevelSpec::Levenshtein { min }
            | LevelSpec::Damerau { min } => unit(*min)?,
            LevelSpec::Phonetic { algorithm } => aux = features[field].phonetic_slot(*algorithm),
            LevelSpec::TokenSet { min } => {
                unit(*min)?;
                features[field].tokens = true;
            }
            LevelSpec::TokenSubset => features[field].tokens = true,
            LevelSpec::Nickname => features[field].nicknames = true,
            LevelSpec::AbjadSkeleton => features[field].skeleton = true,
            LevelSpec::Swapped { with } => {
                let other = schema.field_id(with).ok_or_else(|| {
                    Error::config(format!("{path}.with"), format!("unknown field `{with}`"))
                })?;
                if other.index() == field {
                    return Err(Error::config(
                        format!("{path}.with"),
                        "a field cannot be swapped with itself",
                    ));
                }
                aux = other.index();
            }
            LevelSpec::DateWithin { .. } | LevelSpec::DateTypo | LevelSpec::SameYear => {
                if !is_date {
                    return not_date();
                }
                features[field].date = true;
            }
            LevelSpec::NumberWithin { abs, rel } => {
                if !(abs.is_finite() && *abs >= 0.0 && rel.is_finite() && *rel >= 0.0) {
                    return Err(Error::config(path, "tolerances must be finite and >= 0"));
                }
                features[field].number = true;
            }
            LevelSpec::Prefix { len } => {
                if *len == 0 {
                    return Err(Error::config(format!("{path}.len"), "must be at least 1"));
                }
            }
            LevelSpec::NationalNumber { min_digits } => {
                if !(1..=MAX_PHONE_DIGITS).contains(min_digits) {
                    return Err(Error::config(
                        format!("{path}.min_digits"),
                        format!("must be between 1 and {MAX_PHONE_DIGITS}"),
                    ));
                }
            }
        }
        if matches!(
            self,
            LevelSpec::JaroWinkler { .. }
                | LevelSpec::Levenshtein { .. }
                | LevelSpec::Damerau { .. }
                | LevelSpec::WithinEdits { .. }
                | LevelSpec::Swapped { .. }
        ) {
            cost = Cost::Costly;
        }
        Ok(CompiledLevel { spec: self.clone(), aux, cost })
    }
}

/// What evaluating a level costs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Cost {
    /// A look-up or a test on the values' first characters, dates or codes.
    Cheap,
    /// A string similarity or an edit distance.
    Costly,
}

/// A level validated against a schema, ready to test pairs.
#[derive(Debug, Clone)]
pub(super) struct CompiledLevel {
    spec: LevelSpec,
    /// The phonetic code slot ([`LevelSpec::Phonetic`]) or the other field
    /// ([`LevelSpec::Swapped`]).
    aux: usize,
    pub(super) cost: Cost,
}

/// The level index of field `field` of record `i` of `pa` and record `j` of
/// `pb` under `levels` (0: a value is missing; `levels.len() + 1`: "else").
/// Symmetric and allocation-free; each similarity is computed at most once
/// per pair, when a level first needs it.
pub(super) fn evaluate(
    levels: &[CompiledLevel],
    field: usize,
    pa: &Prepared,
    i: usize,
    pb: &Prepared,
    j: usize,
) -> u8 {
    let (ca, cb) = (pa.column(field), pb.column(field));
    let (a, b) = (ca.text(i), cb.text(j));
    if a.is_empty() || b.is_empty() {
        return 0;
    }
    let ascii = ca.is_ascii(i) && cb.is_ascii(j);
    let (mut jw, mut lev, mut dam) = (f64::NAN, f64::NAN, f64::NAN);
    for (k, level) in levels.iter().enumerate() {
        let hit = match level.spec {
            LevelSpec::Exact => a == b,
            LevelSpec::JaroWinkler { min } => {
                if jw.is_nan() {
                    jw = similarity::jaro_winkler_with(a, b, ascii);
                }
                jw >= min
            }
            LevelSpec::Levenshtein { min } => {
                // The length difference alone bounds the similarity from above.
                if lev.is_nan() && (!ascii || length_bound(a.len(), b.len()) >= min) {
                    lev = similarity::levenshtein_with(a, b, ascii);
                }
                lev >= min
            }
            LevelSpec::Damerau { min } => {
                if dam.is_nan() && (!ascii || length_bound(a.len(), b.len()) >= min) {
                    dam = similarity::damerau_with(a, b, ascii);
                }
                dam >= min
            }
            LevelSpec::WithinEdits { max } => {
                similarity::within_edits_with(a, b, max as usize, ascii)
            }
            LevelSpec::Phonetic { .. } => {
                let (ca, cb) = (ca.code(i, level.aux), cb.code(j, level.aux));
                ca != 0 && ca == cb
            }
            LevelSpec::TokenSet { min } => {
                similarity::token_jaccard(ca.tokens(i), cb.tokens(j)) >= min
            }
            LevelSpec::TokenSubset => {
                let (ta, tb) = (ca.tokens(i), cb.tokens(j));
                let (few, many) = if ta.len() <= tb.len() { (ta, tb) } else { (tb, ta) };
                // Both lists are sorted: a binary search per token of the shorter one.
                !few.is_empty() && few.iter().all(|t| many.binary_search(t).is_ok())
            }
            LevelSpec::FirstToken => first_token(a) == first_token(b),
            LevelSpec::Initial => {
                a.chars().next() == b.chars().next() && (is_initial(a) || is_initial(b))
            }
            LevelSpec::Nickname => {
                let (ga, gb) = (ca.nicknames(i), cb.nicknames(j));
                ga.iter().any(|g| gb.contains(g))
            }
            LevelSpec::Swapped { .. } => {
                let (oca, ocb) = (pa.column(level.aux), pb.column(level.aux));
                let (oa, ob) = (oca.text(i), ocb.text(j));
                !oa.is_empty()
                    && !ob.is_empty()
                    && a != oa
                    && swapped(
                        (a, ob, ca.is_ascii(i) && ocb.is_ascii(j)),
                        (oa, b, oca.is_ascii(i) && cb.is_ascii(j)),
                    )
            }
            LevelSpec::AbjadSkeleton => {
                let (sa, sb) = (ca.skeleton(i), cb.skeleton(j));
                // Bit 31: written in an abjad; bit 30: has a skeleton.
                sa != 0 && (sa ^ sb) & 0x7fff_ffff == 0 && (sa | sb) >> 31 == 1
            }
            LevelSpec::DateWithin { days } => match (ca.date(i), cb.date(j)) {
                (Some(d), Some(e)) => i64::from((d.days - e.days).abs()) <= i64::from(days),
                _ => false,
            },
            LevelSpec::DateTypo => match (ca.date(i), cb.date(j)) {
                (Some(d), Some(e)) => d.is_typo_of(&e, a, b),
                _ => false,
            },
            LevelSpec::SameYear => match (ca.date(i), cb.date(j)) {
                (Some(d), Some(e)) => d.year == e.year,
                _ => false,
            },
            LevelSpec::NumberWithin { abs, rel } => match (ca.number(i), cb.number(j)) {
                (Some(p), Some(q)) => {
                    let d = (p - q).abs();
                    d <= abs || d <= rel * p.abs().max(q.abs())
                }
                _ => false,
            },
            LevelSpec::Prefix { len } => {
                let mut ca = a.chars();
                let mut cb = b.chars();
                (0..len).all(|_| match (ca.next(), cb.next()) {
                    (Some(p), Some(q)) => p == q,
                    _ => false,
                })
            }
            LevelSpec::NationalNumber { min_digits } => national_numbers_agree(a, b, min_digits),
        };
        if hit {
            return (k + 1) as u8;
        }
    }
    (levels.len() + 1) as u8
}

impl CompiledLevel {
    /// True for the exact level (level index 1 then means equal values).
    pub(super) fn is_exact(&self) -> bool {
        self.spec == LevelSpec::Exact
    }
}

/// Jaro-Winkler bound used by [`LevelSpec::Swapped`] on each crossing.
const SWAP_MIN_JW: f64 = 0.85;

/// Jaro-Winkler bound of the other crossing of a swap when one is equal.
const SWAP_LOOSE_JW: f64 = 0.7;

/// The shortest short form [`LevelSpec::Swapped`] accepts as a crossing.
const SWAP_MIN_SHORT_FORM: usize = 3;

fn check_unit(min: f64, path: &str) -> Result<()> {
    if min.is_finite() && min > 0.0 && min <= 1.0 {
        Ok(())
    } else {
        Err(Error::config(path, format!("similarity bound {min} is not in (0, 1]")))
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

/// The test of [`LevelSpec::NationalNumber`] on two normalized phone values.
fn national_numbers_agree(a: &str, b: &str, min_digits: usize) -> bool {
    let (Some(pa), Some(pb)) = (PhoneNormalizer::split(a), PhoneNormalizer::split(b)) else {
        return false;
    };
    if let (Some(ca), Some(cb)) = (pa.calling_code, pb.calling_code) {
        return ca == cb && pa.number == pb.number;
    }
    let (short, long) = if pa.number.len() <= pb.number.len() {
        (pa.number, pb.number)
    } else {
        (pb.number, pa.number)
    };
    short.len() >= min_digits && long.ends_with(short)
}

/// Both crossings of a swap: each close ([`swapped_match`]), or one equal and
/// the other loosely alike (`james` / `jimmy` beside an exact surname).
fn swapped(x: (&str, &str, bool), y: (&str, &str, bool)) -> bool {
    let loose = |(a, b, ascii): (&str, &str, bool)| {
        start_alike(a, b) && similarity::jaro_winkler_with(a, b, ascii) >= SWAP_LOOSE_JW
    };
    (x.0 == x.1 && loose(y))
        || (y.0 == y.1 && loose(x))
        || (swapped_match(x.0, x.1, x.2) && swapped_match(y.0, y.1, y.2))
}

fn swapped_match(a: &str, b: &str, ascii: bool) -> bool {
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    a == b
        || (short.len() >= SWAP_MIN_SHORT_FORM && long.starts_with(short))
        || (start_alike(a, b) && similarity::jaro_winkler_with(a, b, ascii) >= SWAP_MIN_JW)
}

/// True when `a` and `b` start alike: the same first letter, or one letter
/// added or dropped at the start (`durand` / `edurand`). A cheap test that
/// spares random pairs, nearly all different, the full similarity.
fn start_alike(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let at = |s: &[u8], i: usize| s.get(i).copied();
    let first = at(a, 0).filter(|&c| Some(c) == at(b, 0)).is_some();
    first
        || (at(a, 0).is_some() && at(a, 0) == at(b, 1))
        || (at(b, 0).is_some() && at(b, 0) == at(a, 1))
}

/// True when the first word of `value` is a single character: an initial.
fn is_initial(value: &str) -> bool {
    let mut chars = value.chars();
    chars.next().is_some() && chars.next().is_none_or(|c| c == ' ')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_start_alike_with_one_letter_added_or_dropped() {
        assert!(start_alike("durand", "drand"));
        assert!(start_alike("durand", "edurand"));
        assert!(start_alike("kirberfield", "irberfield"));
        assert!(!start_alike("dupont", "michel"));
        assert!(!start_alike("", "x"));
    }
}
