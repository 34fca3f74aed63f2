//! Calendar dates, to ISO 8601 `YYYY-MM-DD`.

use serde::{Deserialize, Serialize};

use super::Normalizer;

/// How to read a date whose year comes last.
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

/// Earliest year accepted.
pub const MIN_YEAR: u16 = 1800;
/// Latest year accepted.
pub const MAX_YEAR: u16 = 2200;

/// Normalizes a date to ISO `YYYY-MM-DD`, or outputs nothing (missing) when the
/// value is not exactly one valid date.
///
/// Accepted shapes, after trimming:
/// * year first, always: `YYYY-MM-DD`, `YYYY/MM/DD`, `YYYY.MM.DD`, `YYYYMMDD`;
/// * year last: `DD/MM/YYYY`, `DD-MM-YYYY`, `DD.MM.YYYY` with
///   [`DateOrder::DayFirst`], or `MM/DD/YYYY`, `MM-DD-YYYY` with
///   [`DateOrder::MonthFirst`] (dotted dates are always read day first).
///
/// With separators, day and month may have one digit (`1/2/1980`); the three
/// parts must use the same separator and the year always has four digits (two-digit
/// years are never guessed). A trailing time (`1980-02-01T00:00:00`,
/// `1980-02-01 10:00`, `19800201T0000Z`) is ignored; it must start with a digit
/// and hold only digits, `:`, `.`, `,`, `+`, `-`, `Z` and spaces. Impossible
/// dates (February 30, month 13, day 0, 19800230) and years outside
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
/// out.clear();
/// dmy.normalize("1980-02-30", &mut out);
/// assert_eq!(out, "");
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DateNormalizer {
    order: DateOrder,
}

impl DateNormalizer {
    /// A normalizer reading year-last dates in `order`.
    pub fn new(order: DateOrder) -> Self {
        DateNormalizer { order }
    }

    /// How year-last dates are read.
    pub fn order(&self) -> DateOrder {
        self.order
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

/// Checks a year, month and day and returns them when they form a real date.
fn valid(year: u16, month: u16, day: u16) -> Option<(u16, u8, u8)> {
    let month = u8::try_from(month).ok()?;
    let day = u8::try_from(day).ok()?;
    let ok = (MIN_YEAR..=MAX_YEAR).contains(&year)
        && day >= 1
        && day <= days_in_month(i32::from(year), month);
    ok.then_some((year, month, day))
}

/// True for a time-of-day tail such as `00:00:00`, `10:00`, `000000Z`, `10:00:00.000+01:00`.
fn is_time(s: &str) -> bool {
    s.bytes().next().is_some_and(|b| b.is_ascii_digit())
        && s.bytes().all(|b| b.is_ascii_digit() || b" :.,+-Zz".contains(&b))
}

/// Parses the date part (no time) into year, month, day.
fn parse_date(s: &str, order: DateOrder) -> Option<(u16, u8, u8)> {
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
    } else if c.len() == 4 && short(a) && short(b) {
        let (day, month) = match (order, sep) {
            (DateOrder::MonthFirst, '/' | '-') => (b, a),
            _ => (a, b),
        };
        valid(number(c)?, number(month)?, number(day)?)
    } else {
        None
    }
}

fn parse(input: &str, order: DateOrder) -> Option<(u16, u8, u8)> {
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
    parse_date(date, order)
}

fn push_padded(n: u16, width: usize, out: &mut String) {
    let digits = [n / 1000 % 10, n / 100 % 10, n / 10 % 10, n % 10];
    for d in &digits[4 - width..] {
        out.push(char::from(b'0' + *d as u8));
    }
}

impl Normalizer for DateNormalizer {
    fn normalize(&self, input: &str, out: &mut String) {
        if let Some((y, m, d)) = parse(input, self.order) {
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
            "01/02/80",
            "1980-02",
            "1980-02-01-03",
            "1980-02/01",
            "198-02-01",
            "1980-002-01",
            "01 02 1980",
            "1980-02-01 or 1980-02-03",
            "1980-02-01T",
            "February 1st 1980",
            "１９８０-０２-０１",
            "12/13/1980",
        ] {
            assert_eq!(run(DateOrder::DayFirst, s), "", "{s:?}");
        }
        assert_eq!(run(DateOrder::MonthFirst, "13/12/1980"), "");
    }

    #[test]
    fn leap_years() {
        assert_eq!(run(DateOrder::DayFirst, "29/02/2000"), "2000-02-29");
        assert_eq!(run(DateOrder::DayFirst, "29/02/1984"), "1984-02-29");
        assert_eq!(run(DateOrder::DayFirst, "29/02/2100"), "");
        assert_eq!(run(DateOrder::DayFirst, "18000101"), "1800-01-01");
        assert_eq!(run(DateOrder::DayFirst, "2200-12-31"), "2200-12-31");
    }
}
