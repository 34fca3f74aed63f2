//! Calendar dates, to ISO 8601 `YYYY-MM-DD`.

use serde::{Deserialize, Serialize};
use unicode_normalization::char::is_combining_mark;

use super::{fold_char, Normalizer};

/// How to read a numeric date whose year comes last.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum DateOrder {
    /// `DD/MM/YYYY`, `DD-MM-YYYY` and `DD.MM.YYYY` (Europe and most of the world).
    #[default]
    DayFirst,
    /// `MM/DD/YYYY` and `MM-DD-YYYY` (United States). Dotted dates stay day-first.
    MonthFirst,
}

impl DateOrder {
    /// Decides the order of a column's numeric year-last dates from its values.
    ///
    /// Only values the order changes are evidence: numeric dates `A/B/Y` or
    /// `A-B-Y` (year of four or two digits, optional time) that are a real date
    /// read one way and not the other. A first number above 12 (`13/01/1980`)
    /// settles day-first, a second number above 12 (`01/13/1980`) settles
    /// month-first. ISO dates, dotted dates (always day-first), dates with a
    /// month name, ambiguous dates (`01/02/1980`) and garbage are no evidence.
    ///
    /// Returns `None` when no value settles the order, or when values settle it
    /// both ways (the column mixes orders; pick one by hand). Stops at the first
    /// contradiction; allocates nothing.
    ///
    /// ```
    /// use personlink::normalize::DateOrder;
    ///
    /// let us = ["01/02/1980", "12/31/1975", "1990-05-06", ""];
    /// assert_eq!(DateOrder::sniff(us), Some(DateOrder::MonthFirst));
    ///
    /// let eu = ["01/02/1980", "31/12/1975", "3/1/70"];
    /// assert_eq!(DateOrder::sniff(eu), Some(DateOrder::DayFirst));
    ///
    /// assert_eq!(DateOrder::sniff(["01/02/1980", "1 March 1970"]), None); // no evidence
    /// assert_eq!(DateOrder::sniff(["31/12/1975", "12/31/1975"]), None); // contradictory
    /// ```
    pub fn sniff<'a>(values: impl IntoIterator<Item = &'a str>) -> Option<DateOrder> {
        let (mut day_first, mut month_first) = (false, false);
        for v in values {
            let d = parse_numeric(v, DateOrder::DayFirst, DEFAULT_DATE_PIVOT).is_some();
            let m = parse_numeric(v, DateOrder::MonthFirst, DEFAULT_DATE_PIVOT).is_some();
            day_first |= d && !m;
            month_first |= m && !d;
            if day_first && month_first {
                return None;
            }
        }
        match (day_first, month_first) {
            (true, false) => Some(DateOrder::DayFirst),
            (false, true) => Some(DateOrder::MonthFirst),
            _ => None,
        }
    }
}

/// Earliest year accepted.
pub const MIN_YEAR: u16 = 1800;
/// Latest year accepted.
pub const MAX_YEAR: u16 = 2200;
/// The default pivot of two-digit years: `00`-`29` are read 2000-2029 and
/// `30`-`99` 1930-1999 (see [`DateNormalizer::with_pivot`]).
pub const DEFAULT_DATE_PIVOT: u16 = 2029;

/// Normalizes a date to ISO `YYYY-MM-DD`, or outputs nothing (missing) when the
/// value is not exactly one valid date.
///
/// Accepted shapes, after trimming:
/// * numeric, year first, always: `YYYY-MM-DD`, `YYYY/MM/DD`, `YYYY.MM.DD`,
///   `YYYYMMDD`;
/// * numeric, year last: `DD/MM/YYYY`, `DD-MM-YYYY`, `DD.MM.YYYY` with
///   [`DateOrder::DayFirst`], or `MM/DD/YYYY`, `MM-DD-YYYY` with
///   [`DateOrder::MonthFirst`] (dotted dates are always read day first). The
///   year may have two digits (`3/1/70`), resolved with the pivot (below).
///   With separators, day and month may have one digit (`1/2/1980`); the three
///   parts must use the same separator;
/// * with a month name or abbreviation, in English, French, German, Spanish,
///   Italian, Dutch or Portuguese, in any case, with or without accents and a
///   trailing dot (`Mar`, `Sept.`, `févr.`, `FÉVRIER`, `März`, `maerz`,
///   `mrt`): `Mar 1 1970`, `March 1, 1970`, `1 March 1970`, `1st March 1970`,
///   `14 mars 1979`, `le 14 mars 1979`, `1er mai 1970`, `24-May-11`,
///   `24-May-2011`, `01JAN1970`, `1970 Mar 01`, `14 de março de 1979`,
///   `Monday, March 1, 1970`. The month name makes the order unambiguous
///   whatever [`DateOrder`]: of the two numbers, one with an ordinal suffix
///   (`1st`, `1er`) is the day, else a year of four digits placed first makes
///   the other the day, else the first is the day and the second the year.
///   An abbreviation is the first three letters or more of a month name, and
///   must name one month only (`jui` could be June or July and is refused).
///   One weekday name (full, or abbreviated like `Mon`, `Thurs`, `sam.`) is
///   ignored, consistent or not;
///   the words `the`, `of`, `on`, `at`, `le`, `de`, `del`, `el`, `il`, `am`,
///   `um`, `der`, `den` and `feira` are ignored; any other word makes the value
///   missing, as does a second month name or a third number.
///
/// A two-digit year `YY` is the latest year ending in `YY` that is not after
/// the pivot: with the default pivot [`DEFAULT_DATE_PIVOT`] (2029), `29` is 2029
/// and `30` is 1930. A year of three digits is never accepted.
///
/// A trailing time (`1980-02-01T00:00:00`, `1980-02-01 10:00`,
/// `19800201T0000Z`, `Mon, 01 Mar 1970 10:00:00 GMT`) is ignored; it must start
/// with a digit, hold only digits, `:`, `.`, `,`, `+`, `-`, `Z` and spaces, and
/// may end with `am`, `pm`, `gmt` or `utc`. Impossible dates (February 30,
/// month 13, day 0, 19800230, `Mar 32 1970`) and years outside
/// [`MIN_YEAR`]..=[`MAX_YEAR`] give an empty output. Leap years follow the
/// Gregorian rule.
///
/// ```
/// use personlink::normalize::{DateNormalizer, DateOrder, Normalizer};
///
/// let dmy = DateNormalizer::new(DateOrder::DayFirst);
/// let mut out = String::new();
/// dmy.normalize("1/2/1980", &mut out);
/// assert_eq!(out, "1980-02-01");
///
/// out.clear();
/// DateNormalizer::new(DateOrder::MonthFirst).normalize("1/2/1980", &mut out);
/// assert_eq!(out, "1980-01-02");
///
/// // A month name settles the order; two-digit years use the pivot (2029).
/// for s in ["Mar 1 1970", "1er mars 1970", "Monday, March 1, 1970", "1-MAR-70"] {
///     out.clear();
///     dmy.normalize(s, &mut out);
///     assert_eq!(out, "1970-03-01", "{s}");
/// }
///
/// out.clear();
/// dmy.normalize("1980-02-30", &mut out);
/// assert_eq!(out, "");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateNormalizer {
    order: DateOrder,
    pivot: u16,
}

impl Default for DateNormalizer {
    fn default() -> Self {
        DateNormalizer::new(DateOrder::default())
    }
}

impl DateNormalizer {
    /// A normalizer reading numeric year-last dates in `order`, two-digit years
    /// with the pivot [`DEFAULT_DATE_PIVOT`].
    pub fn new(order: DateOrder) -> Self {
        DateNormalizer { order, pivot: DEFAULT_DATE_PIVOT }
    }

    /// Sets the pivot of two-digit years: `YY` becomes the latest year ending in
    /// `YY` that is not after `pivot`. A pivot of the current year suits birth
    /// dates (none in the future); the default, 2029, reads `00`-`29` as
    /// 2000-2029 and `30`-`99` as 1930-1999. A year this puts outside
    /// [`MIN_YEAR`]..=[`MAX_YEAR`] makes the value missing.
    ///
    /// ```
    /// use personlink::normalize::{DateNormalizer, DateOrder, Normalizer};
    ///
    /// let births = DateNormalizer::new(DateOrder::DayFirst).with_pivot(2025);
    /// assert_eq!(births.normalize_to_string("3/1/25"), "2025-01-03");
    /// assert_eq!(births.normalize_to_string("3/1/26"), "1926-01-03");
    /// assert_eq!(births.normalize_to_string("24-May-11"), "2011-05-24");
    /// ```
    pub fn with_pivot(mut self, pivot: u16) -> Self {
        self.pivot = pivot;
        self
    }

    /// How numeric year-last dates are read.
    pub fn order(&self) -> DateOrder {
        self.order
    }

    /// The pivot of two-digit years.
    pub fn pivot(&self) -> u16 {
        self.pivot
    }
}

/// A calendar date with its day number, as parsed from a normalized ISO value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct DateValue {
    /// Year.
    pub(crate) year: i32,
    /// Month, 1-12.
    pub(crate) month: u8,
    /// Day of month, 1-31.
    pub(crate) day: u8,
    /// Days since 1970-01-01.
    pub(crate) days: i32,
}

impl DateValue {
    /// Parses `YYYY-MM-DD`; `None` for anything else or an impossible date.
    pub(crate) fn parse_iso(s: &str) -> Option<Self> {
        let b = s.as_bytes();
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return None;
        }
        let num = |r: std::ops::Range<usize>| -> Option<i32> {
            let mut v = 0i32;
            for &c in &b[r] {
                if !c.is_ascii_digit() {
                    return None;
                }
                v = v * 10 + i32::from(c - b'0');
            }
            Some(v)
        };
        let (year, month, day) = (num(0..4)?, num(5..7)?, num(8..10)?);
        if !(1..=12).contains(&month)
            || day < 1
            || day > i32::from(days_in_month(year, month as u8))
        {
            return None;
        }
        Some(DateValue {
            year,
            month: month as u8,
            day: day as u8,
            days: days_from_civil(year, month, day),
        })
    }

    /// True when the two dates differ by exactly one digit of their ISO text,
    /// or by a day/month transposition in the same year.
    pub(crate) fn is_typo_of(&self, other: &DateValue, text: &str, other_text: &str) -> bool {
        let diff = text.bytes().zip(other_text.bytes()).filter(|(x, y)| x != y).count();
        diff == 1
            || (self.year == other.year
                && self.month != other.month
                && self.month == other.day
                && self.day == other.month)
    }
}

/// True for a leap year of the proleptic Gregorian calendar.
pub(crate) fn is_leap(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

/// The number of days of `month` (1-12) in `year`; 0 for any other month.
pub(crate) fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(year) => 29,
        2 => 28,
        _ => 0,
    }
}

/// Days since 1970-01-01 (proleptic Gregorian), after Howard Hinnant's algorithm.
fn days_from_civil(y: i32, m: i32, d: i32) -> i32 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Parses 1 to 4 ASCII digits.
fn number(s: &str) -> Option<u16> {
    if s.is_empty() || s.len() > 4 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some(s.bytes().fold(0, |n, b| n * 10 + u16::from(b - b'0')))
}

/// The latest year ending in the two digits `yy` that is not after `pivot`.
fn expand_year(yy: u16, pivot: u16) -> Option<u16> {
    let pivot = i32::from(pivot);
    u16::try_from(pivot - (pivot - i32::from(yy)).rem_euclid(100)).ok()
}

/// Checks a year, month and day and returns them when they form a real date.
fn valid(year: u16, month: u16, day: u16) -> Option<(u16, u8, u8)> {
    let month = u8::try_from(month).ok()?;
    let day = u8::try_from(day).ok()?;
    let ok = (MIN_YEAR..=MAX_YEAR).contains(&year)
        && day >= 1
        && day <= days_in_month(i32::from(year), month);
    ok.then_some((year, month, day))
}

/// True for a time-of-day tail such as `00:00:00`, `10:00`, `000000Z`,
/// `10:00:00.000+01:00`, `10:00 pm`, `10:00:00 GMT`.
fn is_time(s: &str) -> bool {
    let clock = |b: &[u8]| {
        b.first().is_some_and(u8::is_ascii_digit)
            && b.iter().all(|c| c.is_ascii_digit() || b" :.,+-Zz".contains(c))
    };
    let b = s.as_bytes();
    let letters = b.iter().rev().take_while(|c| c.is_ascii_alphabetic()).count();
    let (head, suffix) = b.split_at(b.len() - letters);
    clock(b)
        || ([&b"am"[..], b"pm", b"gmt", b"utc"].iter().any(|k| k.eq_ignore_ascii_case(suffix))
            && clock(head))
}

/// Parses a numeric date part (no time) into year, month, day.
fn parse_date(s: &str, order: DateOrder, pivot: u16) -> Option<(u16, u8, u8)> {
    if s.len() == 8 && s.bytes().all(|b| b.is_ascii_digit()) {
        return valid(number(&s[..4])?, number(&s[4..6])?, number(&s[6..])?);
    }
    let sep = s.chars().find(|c| !c.is_ascii_digit())?;
    if !matches!(sep, '-' | '/' | '.') {
        return None;
    }
    let mut parts = s.split(sep);
    let (a, b, c) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    let short = |p: &str| (1..=2).contains(&p.len());
    if a.len() == 4 && short(b) && short(c) {
        valid(number(a)?, number(b)?, number(c)?)
    } else if (c.len() == 4 || c.len() == 2) && short(a) && short(b) {
        let (day, month) = match (order, sep) {
            (DateOrder::MonthFirst, '/' | '-') => (b, a),
            _ => (a, b),
        };
        let year = match c.len() {
            2 => expand_year(number(c)?, pivot)?,
            _ => number(c)?,
        };
        valid(year, number(month)?, number(day)?)
    } else {
        None
    }
}

/// Parses a numeric date, with an optional time after a space or `T`.
fn parse_numeric(input: &str, order: DateOrder, pivot: u16) -> Option<(u16, u8, u8)> {
    let s = input.trim();
    let split = s.char_indices().find(|&(_, c)| c.is_whitespace() || c == 'T' || c == 't');
    let date = match split {
        Some((i, c)) => {
            if !is_time(s[i + c.len_utf8()..].trim()) {
                return None;
            }
            &s[..i]
        }
        None => s,
    };
    parse_date(date, order, pivot)
}

/// Month names, folded to ASCII lower case, month by month: English, French,
/// German (and its `ae` spelling), Spanish, Italian, Dutch (and its `mrt`),
/// Portuguese. Abbreviations are their prefixes (see [`month_of`]).
const MONTHS: [&[&str]; 12] = [
    &["january", "janvier", "januar", "enero", "gennaio", "januari", "janeiro"],
    &["february", "fevrier", "februar", "febrero", "febbraio", "februari", "fevereiro"],
    &["march", "mars", "marz", "maerz", "marzo", "maart", "mrt", "marco"],
    &["april", "avril", "abril", "aprile"],
    &["may", "mai", "mayo", "maggio", "mei", "maio"],
    &["june", "juin", "juni", "junio", "giugno", "junho"],
    &["july", "juillet", "juli", "julio", "luglio", "julho"],
    &["august", "aout", "agosto", "augustus"],
    &["september", "septembre", "septiembre", "setiembre", "settembre", "setembro"],
    &["october", "octobre", "oktober", "octubre", "ottobre", "outubro"],
    &["november", "novembre", "noviembre", "novembro"],
    &["december", "decembre", "dezember", "diciembre", "dicembre", "dezembro"],
];

/// Weekday names in the same languages; their prefixes of three letters or
/// more are weekdays too (after months: `mar` is March, not `mardi`).
const WEEKDAYS: &[&str] = &[
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "lundi",
    "mardi",
    "mercredi",
    "jeudi",
    "vendredi",
    "samedi",
    "dimanche",
    "montag",
    "dienstag",
    "mittwoch",
    "donnerstag",
    "freitag",
    "samstag",
    "sonnabend",
    "sonntag",
    "lunes",
    "martes",
    "miercoles",
    "jueves",
    "viernes",
    "sabado",
    "domingo",
    "lunedi",
    "martedi",
    "mercoledi",
    "giovedi",
    "venerdi",
    "domenica",
    "maandag",
    "dinsdag",
    "woensdag",
    "donderdag",
    "vrijdag",
    "zaterdag",
    "zondag",
    "segunda",
    "terca",
    "quarta",
    "quinta",
    "sexta",
];

/// Words around a date that carry nothing (`le 14 mars`, `14 de março de 1979`,
/// `the 1st of March`, `segunda-feira`).
const FILLERS: &[&str] =
    &["the", "of", "on", "at", "le", "de", "del", "el", "il", "am", "um", "der", "den", "feira"];

/// Suffixes of an ordinal day written against its number (`1st`, `1er`, `1º`).
const ORDINALS: &[&str] = &["st", "nd", "rd", "th", "er", "re", "e", "eme", "o", "a"];

/// The month (1-12) a folded word names: a full name, or a prefix of three
/// letters or more of the names of exactly one month.
fn month_of(word: &[u8]) -> Option<u8> {
    if word.len() < 3 {
        return None;
    }
    let mut found = None;
    for (m, names) in (1u8..).zip(MONTHS) {
        if names.iter().any(|n| starts_with(n, word)) {
            if found.is_some() {
                return None;
            }
            found = Some(m);
        }
    }
    found
}

/// A letter of a word, or an accent written as a combining mark.
fn is_letter(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphabetic()
    } else {
        c.is_alphabetic() || is_combining_mark(c)
    }
}

/// True for a weekday name or its prefix of three letters or more.
fn is_weekday(word: &[u8]) -> bool {
    word.len() >= 3 && WEEKDAYS.iter().any(|n| starts_with(n, word))
}

/// `name.starts_with(prefix)` for a non-empty prefix, comparing the first
/// letter inline first (most names fail there).
#[inline]
fn starts_with(name: &str, prefix: &[u8]) -> bool {
    let name = name.as_bytes();
    name.first() == prefix.first() && name.starts_with(prefix)
}

/// A word folded to ASCII lower case in a stack buffer; too long or not made
/// of letters once folded makes it unusable.
struct Word {
    buf: [u8; 16],
    len: usize,
    bad: bool,
}

impl Word {
    fn push(&mut self, b: u8) {
        if self.len < self.buf.len() && b.is_ascii_alphabetic() {
            self.buf[self.len] = b.to_ascii_lowercase();
            self.len += 1;
        } else {
            self.bad = true;
        }
    }
}

/// A number of a date written with a month name.
#[derive(Clone, Copy, Default)]
struct Num {
    value: u16,
    digits: u8,
    ordinal: bool,
}

/// Longest value (trimmed, in bytes) read for a month name; a real date with
/// weekday, month name and time is under 60.
const MAX_TEXT_LEN: usize = 128;

/// Parses a date written with a month name (see [`DateNormalizer`]).
fn parse_text(input: &str, pivot: u16) -> Option<(u16, u8, u8)> {
    let s = input.trim();
    if s.len() > MAX_TEXT_LEN {
        return None;
    }
    let mut month = None;
    let mut weekday = false;
    let mut nums = [Num::default(); 2];
    let mut count = 0;
    // The previous token is a number that ends where the next one starts.
    let mut after_number = false;
    let mut chars = s.char_indices().peekable();
    while let Some(&(start, c)) = chars.peek() {
        if c.is_ascii_digit() {
            let mut n = Num::default();
            while let Some(d) = chars.peek().map(|&(_, d)| d).filter(char::is_ascii_digit) {
                if n.digits == 4 {
                    return None;
                }
                n.value = n.value * 10 + u16::from(d as u8 - b'0');
                n.digits += 1;
                chars.next();
            }
            if chars.peek().is_some_and(|&(_, c)| c == ':') {
                // A time: it ends the value.
                if !is_time(&s[start..]) {
                    return None;
                }
                break;
            }
            if count == nums.len() {
                return None;
            }
            nums[count] = n;
            count += 1;
            after_number = true;
        } else if is_letter(c) {
            let mut word = Word { buf: [0; 16], len: 0, bad: false };
            while let Some(w) = chars.peek().map(|&(_, w)| w).filter(|&w| is_letter(w)) {
                if w.is_ascii() {
                    word.push(w as u8);
                } else {
                    fold_char(w, &mut |piece: &str| piece.bytes().for_each(|b| word.push(b)));
                }
                chars.next();
            }
            if word.bad {
                return None;
            }
            let w = &word.buf[..word.len];
            if after_number && ORDINALS.iter().any(|o| o.as_bytes() == w) {
                nums[count - 1].ordinal = true;
            } else if let Some(m) = month_of(w) {
                if month.replace(m).is_some() {
                    return None;
                }
            } else if is_weekday(w) {
                if weekday {
                    return None;
                }
                weekday = true;
            } else if !FILLERS.iter().any(|f| f.as_bytes() == w) {
                return None;
            }
            after_number = false;
        } else if c.is_whitespace() || matches!(c, ',' | '.' | '-' | '/') {
            chars.next();
            after_number = false;
        } else {
            return None;
        }
    }
    let month = month?;
    let [a, b] = nums;
    if count != 2 || (a.ordinal && b.ordinal) {
        return None;
    }
    let (day, year) = if a.ordinal || b.ordinal {
        if a.ordinal {
            (a, b)
        } else {
            (b, a)
        }
    } else if a.digits >= 3 && b.digits <= 2 {
        (b, a)
    } else {
        (a, b)
    };
    if day.digits > 2 {
        return None;
    }
    let year = match year.digits {
        4 => year.value,
        2 => expand_year(year.value, pivot)?,
        _ => return None,
    };
    valid(year, u16::from(month), day.value)
}

fn parse(input: &str, order: DateOrder, pivot: u16) -> Option<(u16, u8, u8)> {
    parse_numeric(input, order, pivot).or_else(|| parse_text(input, pivot))
}

fn push_padded(n: u16, width: usize, out: &mut String) {
    let digits = [n / 1000 % 10, n / 100 % 10, n / 10 % 10, n % 10];
    for d in &digits[4 - width..] {
        out.push(char::from(b'0' + *d as u8));
    }
}

impl Normalizer for DateNormalizer {
    fn normalize(&self, input: &str, out: &mut String) {
        if let Some((y, m, d)) = parse(input, self.order, self.pivot) {
            push_padded(y, 4, out);
            out.push('-');
            push_padded(u16::from(m), 2, out);
            out.push('-');
            push_padded(u16::from(d), 2, out);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_dates_parse_and_reject_impossible_ones() {
        let d = DateValue::parse_iso("1980-02-29").unwrap();
        assert_eq!((d.year, d.month, d.day), (1980, 2, 29));
        assert!(DateValue::parse_iso("1981-02-29").is_none());
        assert!(DateValue::parse_iso("1980-13-01").is_none());
        assert!(DateValue::parse_iso("1980-00-10").is_none());
        assert!(DateValue::parse_iso("19800101").is_none());
        assert_eq!(DateValue::parse_iso("1970-01-01").unwrap().days, 0);
        assert_eq!(DateValue::parse_iso("2000-03-01").unwrap().days, 11_017);
    }

    #[test]
    fn date_typos() {
        let a = DateValue::parse_iso("1980-02-01").unwrap();
        let swapped = DateValue::parse_iso("1980-01-02").unwrap();
        let digit = DateValue::parse_iso("1981-02-01").unwrap();
        let far = DateValue::parse_iso("1975-06-12").unwrap();
        assert!(a.is_typo_of(&swapped, "1980-02-01", "1980-01-02"));
        assert!(a.is_typo_of(&digit, "1980-02-01", "1981-02-01"));
        assert!(!a.is_typo_of(&far, "1980-02-01", "1975-06-12"));
    }

    fn run(order: DateOrder, s: &str) -> String {
        let mut out = String::new();
        DateNormalizer::new(order).normalize(s, &mut out);
        out
    }

    #[test]
    fn accepted_shapes() {
        use DateOrder::{DayFirst as D, MonthFirst as M};
        for (order, s, want) in [
            (D, "1980-02-01", "1980-02-01"),
            (D, "1980/02/01", "1980-02-01"),
            (D, "1980.02.01", "1980-02-01"),
            (D, "1980-2-1", "1980-02-01"),
            (D, "19800201", "1980-02-01"),
            (D, "01/02/1980", "1980-02-01"),
            (D, "01.02.1980", "1980-02-01"),
            (D, "01-02-1980", "1980-02-01"),
            (D, "1/2/1980", "1980-02-01"),
            (M, "02/01/1980", "1980-02-01"),
            (M, "2-1-1980", "1980-02-01"),
            (M, "01.02.1980", "1980-02-01"),
            (M, "1980-02-01", "1980-02-01"),
            (D, " 1980-02-01T00:00:00 ", "1980-02-01"),
            (D, "1980-02-01T10:00:00.000+01:00", "1980-02-01"),
            (D, "1980-02-01 10:00", "1980-02-01"),
            (D, "19800201T0000Z", "1980-02-01"),
            (D, "01/02/1980 23:59", "1980-02-01"),
        ] {
            assert_eq!(run(order, s), want, "{order:?} {s:?}");
        }
    }

    #[test]
    fn impossible_dates_are_missing() {
        for s in [
            "",
            "1980-02-30",
            "30/02/1980",
            "19800230",
            "1980-13-01",
            "1980-00-10",
            "1980-01-00",
            "00/01/1980",
            "1799-12-31",
            "2201-01-01",
            "1900-02-29",
            "1981-02-29",
            "31/04/1980",
            "1980-02",
            "1980-02-01-03",
            "1980-02/01",
            "198-02-01",
            "1980-002-01",
            "01 02 1980",
            "1980-02-01 or 1980-02-03",
            "1980-02-01T",
            "１９８０-０２-０１",
            "12/13/1980",
        ] {
            assert_eq!(run(DateOrder::DayFirst, s), "", "{s:?}");
        }
        assert_eq!(run(DateOrder::MonthFirst, "13/12/1980"), "");
    }

    #[test]
    fn month_names_in_every_shape() {
        for s in [
            "Mar 1 1970",
            "Mar. 1, 1970",
            "March 1, 1970",
            "march 1 1970",
            "MARCH 1ST, 1970",
            "1 March 1970",
            "1st March 1970",
            "the 1st of March, 1970",
            "1 mars 1970",
            "1er mars 1970",
            "le 1er mars 1970",
            "1. März 1970",
            "1 maerz 1970",
            "1 MÄRZ 1970",
            "1 Ma\u{308}rz 1970",
            "1 marzo 1970",
            "1 de marzo de 1970",
            "1 de março de 1970",
            "1 maart 1970",
            "1 mrt 1970",
            "1-Mar-70",
            "01-MAR-1970",
            "01MAR1970",
            "1 Mar 70",
            "1970 Mar 01",
            "1970-Mar-01",
            "1970 1 March",
            "Monday, March 1, 1970",
            "Sunday, March 1, 1970",
            "Mon 1 Mar 1970",
            "Thurs. March 1st, 1970",
            "lundi 1 mars 1970",
            "Montag, 1. März 1970",
            "domingo, 1 de marzo de 1970",
            "segunda-feira, 1 de março de 1970",
            "March 1, 1970 10:00",
            "March 1, 1970 at 10:00 pm",
            "Mon, 01 Mar 1970 10:00:00 GMT",
            "Mon, 01 Mar 1970 10:00:00 +0100",
            "  1 March 1970  ",
        ] {
            for order in [DateOrder::DayFirst, DateOrder::MonthFirst] {
                assert_eq!(run(order, s), "1970-03-01", "{order:?} {s:?}");
            }
        }
        for (s, want) in [
            ("14 mars 1979", "1979-03-14"),
            ("le 14 mars 1979", "1979-03-14"),
            ("24-May-11", "2011-05-24"),
            ("24-May-2011", "2011-05-24"),
            ("24 May 11", "2011-05-24"),
            ("May 24 11", "2011-05-24"),
            ("1 févr. 1980", "1980-02-01"),
            ("1 fevrier 1980", "1980-02-01"),
            ("1 FÉVRIER 1980", "1980-02-01"),
            ("1 Fe\u{301}vrier 1980", "1980-02-01"),
            ("1 février 1980", "1980-02-01"),
            ("Sept 3 1980", "1980-09-03"),
            ("3 sept. 1980", "1980-09-03"),
            ("3 septembre 1980", "1980-09-03"),
            ("3 settembre 1980", "1980-09-03"),
            ("3 Okt 1980", "1980-10-03"),
            ("3 outubro 1980", "1980-10-03"),
            ("3 août 1980", "1980-08-03"),
            ("3 aout 1980", "1980-08-03"),
            ("3 ago 1980", "1980-08-03"),
            ("3 juil. 1980", "1980-07-03"),
            ("3 juin 1980", "1980-06-03"),
            ("3 Jun 1980", "1980-06-03"),
            ("3 Jul 1980", "1980-07-03"),
            ("3 mei 1980", "1980-05-03"),
            ("3 mai 1980", "1980-05-03"),
            ("3 maggio 1980", "1980-05-03"),
            ("3 Dez. 1980", "1980-12-03"),
            ("3 déc. 1980", "1980-12-03"),
            ("3 dic 1980", "1980-12-03"),
            ("3 enero 1980", "1980-01-03"),
            ("3 gen 1980", "1980-01-03"),
            ("3 janv. 1980", "1980-01-03"),
            ("3 avr 1980", "1980-04-03"),
            ("3 abr 1980", "1980-04-03"),
            ("3 Apr 1980", "1980-04-03"),
            ("3 Nov 1980", "1980-11-03"),
            ("3º de abril de 1980", "1980-04-03"),
            ("31 Dec 1999", "1999-12-31"),
            ("29 Feb 2000", "2000-02-29"),
            ("Feb 29 00", "2000-02-29"),
            ("1 Jan 29", "2029-01-01"),
            ("1 Jan 30", "1930-01-01"),
        ] {
            assert_eq!(run(DateOrder::DayFirst, s), want, "{s:?}");
            assert_eq!(run(DateOrder::MonthFirst, s), want, "{s:?}");
        }
    }

    #[test]
    fn month_name_garbage_is_missing() {
        for s in [
            "Mar 32 1970",
            "Feb 29 1981",
            "Feb 30 2000",
            "Apr 31 1970",
            "Foo 1 1970",
            "Mar 1",
            "March 1970",
            "Mar",
            "1 2 3",
            "01 02 1980",
            "Mar 1 1970 2",
            "1 Mar 2 Apr 1970",
            "Mar Apr 1 1970",
            "Jui 1 1970",
            "Ma 1 1970",
            "1 Mars 197",
            "1 Mars 5",
            "1 Mars 01970",
            "1 Mars 1799",
            "1 Mars 2201",
            "100 Mar 1970",
            "1970 Mar 1970",
            "1st Mar 2nd",
            "Mon Tue 1 Mar 1970",
            "1 Mar 1970 10:00 foo",
            "10:00 1 Mar 1970",
            "1 Mar 1970T10:00",
            "1 Mar 1970 (approx)",
            "Marsupial 1 1970",
            "1 Mar 1970 @",
            "1 三月 1970",
            "1 Μαρτίου 1970",
            "1 Mar １９７０",
            "\u{202e}1 Mar 1970",
            "1 Mar 1970 🎂",
            "1 Marchxxxxxxxxxxxxxxxxxxxxxxxx 1970",
        ] {
            for order in [DateOrder::DayFirst, DateOrder::MonthFirst] {
                assert_eq!(run(order, s), "", "{order:?} {s:?}");
            }
        }
        let long = format!("1 Mar 1970{}", " ".repeat(200));
        assert_eq!(run(DateOrder::DayFirst, &long), "1970-03-01");
        let long = format!("le {} 1 Mar 1970", "le ".repeat(100));
        assert_eq!(run(DateOrder::DayFirst, &long), "");
        assert_eq!(run(DateOrder::DayFirst, &"Mar 1 1970 ".repeat(10_000)), "");
        assert_eq!(run(DateOrder::DayFirst, &"9".repeat(100_000)), "");
    }

    #[test]
    fn two_digit_years_follow_the_pivot() {
        use DateOrder::{DayFirst as D, MonthFirst as M};
        for (order, s, want) in [
            (M, "3/1/70", "1970-03-01"),
            (D, "3/1/70", "1970-01-03"),
            (D, "01/02/80", "1980-02-01"),
            (D, "1.2.80", "1980-02-01"),
            (M, "1.2.80", "1980-02-01"),
            (D, "24-05-11", "2011-05-24"),
            (D, "1/1/00", "2000-01-01"),
            (D, "31/12/29", "2029-12-31"),
            (D, "1/1/30", "1930-01-01"),
            (D, "31/12/99", "1999-12-31"),
            (D, "29/02/00", "2000-02-29"),
            (D, "01/02/80 10:00", "1980-02-01"),
        ] {
            assert_eq!(run(order, s), want, "{order:?} {s:?}");
        }
        let with = |pivot: u16, s: &str| {
            DateNormalizer::new(DateOrder::DayFirst).with_pivot(pivot).normalize_to_string(s)
        };
        assert_eq!(with(2025, "1/1/25"), "2025-01-01");
        assert_eq!(with(2025, "1/1/26"), "1926-01-01");
        assert_eq!(with(1999, "29/02/00"), "");
        assert_eq!(with(1999, "1 Jan 00"), "1900-01-01");
        assert_eq!(with(1850, "1/1/70"), "");
        assert_eq!(with(0, "1/1/70"), "");
        assert_eq!(with(u16::MAX, "1/1/70"), "");
        // Two-digit years are read last only; three-digit years never.
        for s in ["80/02/01", "1/2/198", "1/2/8", "80-2-1"] {
            assert_eq!(run(D, s), "", "{s:?}");
        }
        assert_eq!(expand_year(29, 2029), Some(2029));
        assert_eq!(expand_year(30, 2029), Some(1930));
        assert_eq!(expand_year(0, 2029), Some(2000));
        assert_eq!(expand_year(70, 10), None);
    }

    #[test]
    fn configured_order_reads_ambiguous_values() {
        assert_eq!(run(DateOrder::DayFirst, "01/02/03"), "2003-02-01");
        assert_eq!(run(DateOrder::MonthFirst, "01/02/03"), "2003-01-02");
        assert_eq!(run(DateOrder::DayFirst, "12/13/70"), "");
        assert_eq!(run(DateOrder::MonthFirst, "13/12/70"), "");
        let n = DateNormalizer::default();
        assert_eq!((n.order(), n.pivot()), (DateOrder::DayFirst, DEFAULT_DATE_PIVOT));
    }

    #[test]
    fn time_tails() {
        for s in [
            "1980-02-01 10:00 pm",
            "01/02/1980 10:00 AM",
            "1980-02-01T10:00:00 UTC",
            "1980-02-01 10:00:00 GMT",
        ] {
            assert_eq!(run(DateOrder::DayFirst, s), "1980-02-01", "{s:?}");
        }
        for s in ["1980-02-01 10:00 pmx", "1980-02-01 pm", "1980-02-01 10:00 est"] {
            assert_eq!(run(DateOrder::DayFirst, s), "", "{s:?}");
        }
    }

    #[test]
    fn sniffing_the_order() {
        use DateOrder::{DayFirst as D, MonthFirst as M};
        assert_eq!(DateOrder::sniff(["13/01/1980"]), Some(D));
        assert_eq!(DateOrder::sniff(["01/13/1980"]), Some(M));
        assert_eq!(DateOrder::sniff(["1-13-80", "2/3/1990"]), Some(M));
        assert_eq!(DateOrder::sniff(["31-1-80 10:00", "2/3/1990"]), Some(D));
        assert_eq!(DateOrder::sniff([]), None);
        assert_eq!(DateOrder::sniff(["01/02/1980", "1980-12-31", "x", ""]), None);
        // Dotted dates are read day first whatever the order: no evidence.
        assert_eq!(DateOrder::sniff(["13.01.1980", "01.13.1980"]), None);
        assert_eq!(DateOrder::sniff(["Mar 13 1980", "13 Mar 1980"]), None);
        // Impossible both ways: no evidence.
        assert_eq!(DateOrder::sniff(["31/04/1980", "13/13/1980", "32/01/1980"]), None);
        assert_eq!(DateOrder::sniff(["13/01/1980", "01/13/1980", "14/01/1980"]), None);
        let column: Vec<String> = ["01/02/1980", "25/12/1975"].map(str::to_owned).into();
        assert_eq!(DateOrder::sniff(column.iter().map(String::as_str)), Some(D));
    }

    #[test]
    fn leap_years() {
        assert_eq!(run(DateOrder::DayFirst, "29/02/2000"), "2000-02-29");
        assert_eq!(run(DateOrder::DayFirst, "29/02/1984"), "1984-02-29");
        assert_eq!(run(DateOrder::DayFirst, "29/02/2100"), "");
        assert_eq!(run(DateOrder::DayFirst, "18000101"), "1800-01-01");
        assert_eq!(run(DateOrder::DayFirst, "2200-12-31"), "2200-12-31");
    }

    mod props {
        use proptest::prelude::*;

        use super::super::*;

        /// Pieces of real and broken dates, glued in any order.
        fn date_soup() -> impl Strategy<Value = String> {
            let words = vec![
                "Mar",
                "mars",
                "Sept.",
                "févr",
                "FÉVRIER",
                "Ma\u{308}rz",
                "1st",
                "er",
                "le",
                "de",
                "Monday",
                "mon",
                "jui",
                "may",
                "T",
                "pm",
                "GMT",
                "Z",
            ];
            prop::collection::vec(
                prop_oneof![
                    4 => "[0-9]{1,5}",
                    3 => prop::sample::select(words).prop_map(str::to_owned),
                    3 => "[ ,./:+-]",
                    1 => "\\PC",
                ],
                0..9,
            )
            .prop_map(|v| v.concat())
        }

        fn check(s: &str) -> Result<(), TestCaseError> {
            for order in [DateOrder::DayFirst, DateOrder::MonthFirst] {
                for pivot in [0, 1899, DEFAULT_DATE_PIVOT, u16::MAX] {
                    let n = DateNormalizer::new(order).with_pivot(pivot);
                    let out = n.normalize_to_string(s);
                    if !out.is_empty() {
                        prop_assert!(DateValue::parse_iso(&out).is_some(), "{s:?} -> {out:?}");
                        prop_assert_eq!(n.normalize_to_string(&out), out.clone(), "{:?}", s);
                    }
                }
            }
            let _ = DateOrder::sniff([s, s]);
            Ok(())
        }

        proptest! {
            #[test]
            fn any_string_gives_an_iso_date_or_nothing(s in "\\PC{0,60}") {
                check(&s)?;
            }

            #[test]
            fn date_like_strings_give_an_iso_date_or_nothing(s in date_soup()) {
                check(&s)?;
            }
        }
    }
}
