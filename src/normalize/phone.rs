//! Telephone numbers, to E.164.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::Normalizer;

/// A country whose national numbering plan [`PhoneNormalizer`] knows.
///
/// Serialized as its ISO 3166 alpha-2 code in upper case (`"FR"`).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Default,
)]
#[serde(rename_all = "UPPERCASE")]
#[non_exhaustive]
pub enum Country {
    /// France (+33).
    #[default]
    Fr,
    /// Belgium (+32).
    Be,
    /// Switzerland (+41).
    Ch,
    /// Germany (+49).
    De,
    /// Spain (+34).
    Es,
    /// Italy (+39).
    It,
    /// United Kingdom (+44).
    Gb,
    /// United States (+1).
    Us,
    /// Netherlands (+31).
    Nl,
    /// Luxembourg (+352).
    Lu,
    /// Portugal (+351).
    Pt,
    /// Ireland (+353).
    Ie,
    /// Canada (+1).
    Ca,
    /// Australia (+61).
    Au,
}

/// What the normalizer needs to know about one national numbering plan.
#[derive(Debug, Clone, Copy)]
struct Plan {
    /// Country calling code, as digits.
    cc: &'static str,
    /// National trunk prefix digit dialled before the national significant number.
    trunk: Option<u8>,
    /// Shortest national significant number.
    min: usize,
    /// Longest national significant number.
    max: usize,
}

impl Plan {
    /// True when `nsn` can be a national significant number of this plan.
    fn accepts(&self, nsn: &[u8]) -> bool {
        (self.min..=self.max).contains(&nsn.len())
            && self.cc.len() + nsn.len() <= 15
            // Only Italian numbers (landlines) start with 0 after the calling code.
            && (self.cc == "39" || nsn.first() != Some(&b'0'))
    }
}

impl Country {
    /// Every supported country.
    pub const ALL: [Country; 14] = [
        Country::Fr,
        Country::Be,
        Country::Ch,
        Country::De,
        Country::Es,
        Country::It,
        Country::Gb,
        Country::Us,
        Country::Nl,
        Country::Lu,
        Country::Pt,
        Country::Ie,
        Country::Ca,
        Country::Au,
    ];

    /// The ISO 3166 alpha-2 code, upper case (`"FR"`).
    pub fn alpha2(self) -> &'static str {
        match self {
            Country::Fr => "FR",
            Country::Be => "BE",
            Country::Ch => "CH",
            Country::De => "DE",
            Country::Es => "ES",
            Country::It => "IT",
            Country::Gb => "GB",
            Country::Us => "US",
            Country::Nl => "NL",
            Country::Lu => "LU",
            Country::Pt => "PT",
            Country::Ie => "IE",
            Country::Ca => "CA",
            Country::Au => "AU",
        }
    }

    /// The country calling code, as digits without `+` (`"33"`).
    pub fn calling_code(self) -> &'static str {
        self.plan().cc
    }

    fn plan(self) -> Plan {
        let p = |cc, trunk, min, max| Plan { cc, trunk, min, max };
        match self {
            Country::Fr => p("33", Some(b'0'), 9, 9),
            Country::Be => p("32", Some(b'0'), 8, 9),
            Country::Ch => p("41", Some(b'0'), 9, 9),
            Country::De => p("49", Some(b'0'), 6, 13),
            Country::Es => p("34", None, 9, 9),
            // Italian landlines keep their leading 0 after +39: no trunk prefix.
            Country::It => p("39", None, 6, 11),
            Country::Gb => p("44", Some(b'0'), 9, 10),
            Country::Us | Country::Ca => p("1", Some(b'1'), 10, 10),
            Country::Nl => p("31", Some(b'0'), 9, 9),
            Country::Lu => p("352", None, 4, 11),
            Country::Pt => p("351", None, 9, 9),
            Country::Ie => p("353", Some(b'0'), 7, 10),
            Country::Au => p("61", Some(b'0'), 9, 9),
        }
    }

    /// International call prefixes dialled from this country, longest first.
    fn idd(self) -> &'static [&'static str] {
        match self {
            Country::Us | Country::Ca => &["011", "00"],
            Country::Au => &["0011", "00"],
            _ => &["00"],
        }
    }
}

impl fmt::Display for Country {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.alpha2())
    }
}

impl FromStr for Country {
    type Err = crate::Error;

    /// Parses an alpha-2 code, case-insensitively (`"fr"`, `"FR"`).
    fn from_str(s: &str) -> crate::Result<Self> {
        let s = s.trim();
        Country::ALL
            .into_iter()
            .find(|c| c.alpha2().eq_ignore_ascii_case(s))
            .ok_or_else(|| crate::Error::config("country", format!("unknown country code `{s}`")))
    }
}

/// The plan of a known calling code that starts `digits`, with the code's length.
/// Calling codes are prefix-free, so at most one matches.
fn plan_for_international(digits: &[u8]) -> Option<Plan> {
    Country::ALL.into_iter().map(Country::plan).find(|p| digits.starts_with(p.cc.as_bytes()))
}

/// Most digits kept while parsing; anything longer is not one phone number.
const MAX_DIGITS: usize = 24;

/// Normalizes a telephone number to E.164 (`+33612345678`), or outputs nothing
/// (missing) when the value cannot be read as one number.
///
/// Accepted: digits (ASCII or fullwidth), the separators space, `.`, `-`, `/`,
/// `(`, `)` and Unicode dashes, and one leading `+`. Any other character (a
/// letter, an extension marker, a second `+`) makes the value missing.
///
/// * `+` or an international call prefix (`00`; also `011` for US/CA and `0011`
///   for AU) starts an international number. For a known calling code the
///   national significant number (NSN) follows; a trunk `0` written after the
///   code (`+33 (0)6…`, `+44 020…`) is dropped, except for Italy whose landlines
///   keep their 0; for +1 an 11-digit NSN starting with the trunk `1` loses it.
///   Numbers with an unknown calling code are kept as `+` and their digits when
///   there are 8 to 15 digits.
/// * Otherwise the number is national to the default country: a leading trunk
///   prefix (`0`, or `1` for US/CA) is removed; failing that the digits are taken
///   as the NSN as they are; failing that, digits that start with the country's
///   own calling code (an international number whose `+` was lost) are read as
///   international.
///
/// The NSN length must fit the plan: FR 9, BE 8–9, CH 9, DE 6–13, ES 9, IT 6–11,
/// GB 9–10, US/CA 10, NL 9, LU 4–11, PT 9, IE 7–10, AU 9, and 15 digits at most in
/// all; it may start with 0 only in Italy. Leading digits are not otherwise
/// checked (no area-code validation).
/// E.164 output re-normalizes to itself.
///
/// ```
/// use personlink::normalize::{Country, Normalizer, PhoneNormalizer};
///
/// let fr = PhoneNormalizer::new(Country::Fr);
/// let mut out = String::new();
/// fr.normalize("06.12.34.56.78", &mut out);
/// assert_eq!(out, "+33612345678");
///
/// out.clear();
/// fr.normalize("+33 (0)6 12 34 56 78", &mut out);
/// assert_eq!(out, "+33612345678");
///
/// out.clear();
/// PhoneNormalizer::new(Country::Us).normalize("(415) 555-2671", &mut out);
/// assert_eq!(out, "+14155552671");
///
/// out.clear();
/// fr.normalize("call me", &mut out);
/// assert_eq!(out, "");
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PhoneNormalizer {
    default_country: Country,
}

impl PhoneNormalizer {
    /// A normalizer reading national numbers as numbers of `default_country`.
    pub fn new(default_country: Country) -> Self {
        PhoneNormalizer { default_country }
    }

    /// The country national numbers are read in.
    pub fn default_country(&self) -> Country {
        self.default_country
    }
}

/// Digits of a phone number, collected without allocating.
struct Digits {
    buf: [u8; MAX_DIGITS],
    len: usize,
    plus: bool,
}

/// Reads `input` as digits, separators and at most one leading `+`.
fn scan(input: &str) -> Option<Digits> {
    let mut d = Digits { buf: [0; MAX_DIGITS], len: 0, plus: false };
    for c in input.trim().chars() {
        let digit = match c {
            '0'..='9' => Some(c as u8),
            '\u{FF10}'..='\u{FF19}' => Some(b'0' + (c as u32 - 0xFF10) as u8),
            _ => None,
        };
        if let Some(b) = digit {
            if d.len == MAX_DIGITS {
                return None;
            }
            d.buf[d.len] = b;
            d.len += 1;
            continue;
        }
        match c {
            '+' | '\u{FF0B}' if d.len == 0 && !d.plus => d.plus = true,
            '.' | '-' | '/' | '(' | ')' | '\u{2010}'..='\u{2015}' | '\u{2212}' => {}
            _ if c.is_whitespace() => {}
            _ => return None,
        }
    }
    Some(d)
}

fn push_e164(cc: &str, nsn: &[u8], out: &mut String) {
    out.push('+');
    out.push_str(cc);
    out.extend(nsn.iter().map(|&b| char::from(b)));
}

/// Writes the E.164 form of an international number given without its prefix.
fn international(digits: &[u8], out: &mut String) -> bool {
    if digits.first().is_none_or(|&b| b == b'0') {
        return false;
    }
    let Some(plan) = plan_for_international(digits) else {
        if (8..=15).contains(&digits.len()) {
            push_e164("", digits, out);
            return true;
        }
        return false;
    };
    let mut nsn = &digits[plan.cc.len()..];
    match plan.trunk {
        Some(b'0') if nsn.first() == Some(&b'0') => nsn = &nsn[1..],
        Some(t) if nsn.len() == plan.max + 1 && nsn.first() == Some(&t) => nsn = &nsn[1..],
        _ => {}
    }
    if plan.accepts(nsn) {
        push_e164(plan.cc, nsn, out);
        true
    } else {
        false
    }
}

/// Writes the E.164 form of a number dialled nationally in `country`.
fn national(country: Country, digits: &[u8], out: &mut String) -> bool {
    let plan = country.plan();
    if let (Some(t), Some((&first, rest))) = (plan.trunk, digits.split_first()) {
        if first == t && plan.accepts(rest) {
            push_e164(plan.cc, rest, out);
            return true;
        }
    }
    if plan.accepts(digits) {
        push_e164(plan.cc, digits, out);
        return true;
    }
    digits.starts_with(plan.cc.as_bytes()) && international(digits, out)
}

impl Normalizer for PhoneNormalizer {
    fn normalize(&self, input: &str, out: &mut String) {
        let Some(d) = scan(input) else { return };
        let digits = &d.buf[..d.len];
        if d.plus {
            international(digits, out);
            return;
        }
        let idd = self.default_country.idd().iter().find(|p| digits.starts_with(p.as_bytes()));
        match idd {
            Some(p) => international(&digits[p.len()..], out),
            None => national(self.default_country, digits, out),
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(country: Country, s: &str) -> String {
        let mut out = String::new();
        PhoneNormalizer::new(country).normalize(s, &mut out);
        out
    }

    #[test]
    fn french_numbers() {
        use Country::Fr;
        assert_eq!(run(Fr, "06.12.34.56.78"), "+33612345678");
        assert_eq!(run(Fr, "06 12 34 56 78"), "+33612345678");
        assert_eq!(run(Fr, "0033 6 12 34 56 78"), "+33612345678");
        assert_eq!(run(Fr, "+33 (0)6 12 34 56 78"), "+33612345678");
        assert_eq!(run(Fr, "+33 06 12 34 56 78"), "+33612345678");
        assert_eq!(run(Fr, "+33612345678"), "+33612345678");
        assert_eq!(run(Fr, "612345678"), "+33612345678");
        assert_eq!(run(Fr, "33612345678"), "+33612345678");
        assert_eq!(run(Fr, "33 06 12 34 56 78"), "+33612345678");
        assert_eq!(run(Fr, "０６１２３４５６７８"), "+33612345678");
        assert_eq!(run(Fr, "01-23-45-67-89"), "+33123456789");
    }

    #[test]
    fn other_countries() {
        assert_eq!(run(Country::Fr, "+44 20 7946 0958"), "+442079460958");
        assert_eq!(run(Country::Gb, "020 7946 0958"), "+442079460958");
        assert_eq!(run(Country::Gb, "07700 900123"), "+447700900123");
        assert_eq!(run(Country::Us, "(415) 555-2671"), "+14155552671");
        assert_eq!(run(Country::Us, "1-415-555-2671"), "+14155552671");
        assert_eq!(run(Country::Us, "011 33 6 12 34 56 78"), "+33612345678");
        assert_eq!(run(Country::Ca, "+1 (604) 555-0199"), "+16045550199");
        assert_eq!(run(Country::It, "06 1234 5678"), "+390612345678");
        assert_eq!(run(Country::It, "+39 06 1234 5678"), "+390612345678");
        assert_eq!(run(Country::It, "312 345 6789"), "+393123456789");
        assert_eq!(run(Country::Es, "612 34 56 78"), "+34612345678");
        assert_eq!(run(Country::De, "030 123456"), "+4930123456");
        assert_eq!(run(Country::De, "+49 (0)30 123456"), "+4930123456");
        assert_eq!(run(Country::Be, "02 123 45 67"), "+3221234567");
        assert_eq!(run(Country::Be, "0470 12 34 56"), "+32470123456");
        assert_eq!(run(Country::Ch, "044 668 18 00"), "+41446681800");
        assert_eq!(run(Country::Nl, "020-1234567"), "+31201234567");
        assert_eq!(run(Country::Lu, "621 123 456"), "+352621123456");
        assert_eq!(run(Country::Pt, "912 345 678"), "+351912345678");
        assert_eq!(run(Country::Ie, "01 234 5678"), "+35312345678");
        assert_eq!(run(Country::Au, "(02) 9876 5432"), "+61298765432");
        assert_eq!(run(Country::Au, "0011 33 6 12 34 56 78"), "+33612345678");
    }

    #[test]
    fn unknown_calling_codes() {
        assert_eq!(run(Country::Fr, "+7 495 123 45 67"), "+74951234567");
        assert_eq!(run(Country::Fr, "00 81 3 1234 5678"), "+81312345678");
        assert_eq!(run(Country::Fr, "+7 123"), "");
        assert_eq!(run(Country::Fr, "+81 1234 5678 9012 3456"), "");
    }

    #[test]
    fn uninterpretable_is_missing() {
        use Country::Fr;
        for s in [
            "",
            "  ",
            "06 12 34 56 7",
            "06 12 34 56 78 9",
            "06 12 34 56 78 ext 12",
            "tel: 0612345678",
            "+33 6 12 34 56 78 +1",
            "06+12345678",
            "+0033612345678",
            "+33 12",
            "+44 20 79",
            "0612345678 / 0123456789",
            "12345678901234567890123456789",
            "0000000000",
        ] {
            assert_eq!(run(Fr, s), "", "{s:?}");
        }
        assert_eq!(run(Country::Us, "555-2671"), "");
        assert_eq!(run(Country::Lu, "0100"), "");
        assert_eq!(run(Country::Es, "+34 012 345 678"), "");
        assert_eq!(run(Country::Lu, "4711"), "+3524711");
    }

    #[test]
    fn e164_is_a_fixed_point() {
        for c in Country::ALL {
            for s in
                ["06 12 34 56 78", "+33612345678", "0412345678", "+14155552671", "+74951234567"]
            {
                let once = run(c, s);
                assert_eq!(run(c, &once), once, "{c} {s}");
                for other in Country::ALL {
                    assert_eq!(run(other, &once), once, "{c} {other} {s}");
                }
            }
        }
    }

    #[test]
    fn country_codes() {
        assert_eq!("fr".parse::<Country>().unwrap(), Country::Fr);
        assert_eq!(Country::Gb.to_string(), "GB");
        assert_eq!(Country::Lu.calling_code(), "352");
        assert!("xx".parse::<Country>().is_err());
        for c in Country::ALL {
            assert_eq!(c.alpha2().parse::<Country>().unwrap(), c);
        }
    }
}
