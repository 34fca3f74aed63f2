//! Telephone numbers, to E.164 (or their bare digits when no country can be
//! told), and the split of a normalized number into calling code and
//! national significant number that the `national_number` comparison level
//! reads.

use serde::{Deserialize, Serialize};

use super::country::{Country, Plan};
use super::Normalizer;

/// Which parser reads phone numbers ([`NormalizerSpec::Phone`](super::NormalizerSpec::Phone)'s
/// `parser`).
///
/// In JSON: `"builtin"` (the default) or `"libphonenumber"`.
///
/// ```
/// use personlink::normalize::PhoneParser;
///
/// assert_eq!(PhoneParser::default(), PhoneParser::Builtin);
/// assert!(PhoneParser::Builtin.is_available());
/// assert_eq!(PhoneParser::Libphonenumber.is_available(), cfg!(feature = "phonenumber"));
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum PhoneParser {
    /// [`PhoneNormalizer`]: the built-in plans (calling code, trunk prefix,
    /// number lengths of every country), no dependency, a few hundred
    /// nanoseconds per number.
    #[default]
    Builtin,
    /// Google's libphonenumber through the `phonenumber` crate: numbers it
    /// validates are placed by its full metadata (number ranges, carrier
    /// codes, national prefixes for parsing); the others are read by the
    /// built-in rules. Needs personlink's cargo feature `phonenumber`.
    Libphonenumber,
}

impl PhoneParser {
    /// Whether this build can use the parser (`Libphonenumber` needs the cargo
    /// feature `phonenumber`).
    pub const fn is_available(self) -> bool {
        match self {
            PhoneParser::Builtin => true,
            PhoneParser::Libphonenumber => cfg!(feature = "phonenumber"),
        }
    }

    /// True for the default parser (serde leaves it out of the JSON).
    pub(super) fn is_builtin(&self) -> bool {
        *self == PhoneParser::Builtin
    }
}

/// Most digits kept while parsing; anything longer is not one phone number.
const MAX_DIGITS: usize = 24;

/// Normalizes a telephone number to E.164 (`+33612345678`); a number that no
/// country can be told for keeps its digits (`7025550143`); a value that cannot
/// be read as one number is missing (empty output).
///
/// Accepted: digits (ASCII or fullwidth), the separators space, `.`, `-`, `/`,
/// `(`, `)` and Unicode dashes, one leading `+`, and one trailing extension.
/// Any other character (a letter, a second `+`) makes the value missing.
///
/// * **Extensions.** A trailing extension is dropped, so the compared value is
///   the main number alone: one of the markers `ext`, `ext.`, `extension`, `x`,
///   `poste`, `#` (any case) or RFC 3966 `;ext=`, then 1 to 8 ASCII digits
///   (`+1 702 555 0143 ext. 12`, `…0143 x12`, `01 23 45 67 89 poste 12`,
///   `…0143 #12`, `+1-702-555-0143;ext=12`). A word marker must not follow a
///   letter.
/// * **International.** `+` or an international call prefix of the default
///   country (`00` everywhere; also `011` in North America, `0011` in
///   Australia, `010` in Japan, `810` in Russia…, the longest that fits)
///   starts an international number. For a known calling code the national
///   significant number (NSN) follows; a trunk prefix written after the code
///   (`+33 (0)6…`, `+44 020…`, `+1 1 702…`, `+7 8 495…`) is dropped when the
///   number fits the plan only without it. A calling code several countries
///   share is read with the plan of its main country (`+1` the United States,
///   `+7` Russia, `+44` the United Kingdom). Numbers with an unknown calling
///   code are kept as `+` and their digits when there are 8 to 15 digits. An
///   international number that breaks these rules (`+33 6 12 34 56 7`) is
///   missing: it names its country, and it is not a number of that country.
///   After a call prefix that does not start with `0` (`810`, Chad's `16`), a
///   number that is not international is read as national instead.
/// * **National.** Otherwise the number is national to the default country: a
///   leading trunk prefix (`0` in most countries, `1` in North America, `8` in
///   Russia, `06` in Hungary) is removed; failing that the digits are taken as
///   the NSN as they are; failing that, digits that start with the country's
///   own calling code (an international number whose `+` was lost) are read
///   as international.
/// * **Unplaced (bare digits).** A national number that does not fit the
///   default country's plan (a US `702-555-0143` read with the default France,
///   a number with a digit too many or too few) keeps its digits, without `+`:
///   the digits as written, less one leading `0` when the default country's
///   trunk prefix is `0` (`020 7946 0958` read in France gives `2079460958`; a
///   US/CA trunk `1` is kept, as a `1` may start a foreign number). Two records
///   holding the same unplaced number still agree exactly, and the
///   `national_number` comparison level matches the digits against E.164
///   forms (`7025550143` and `+17025550143`). Bare digits must be 6 to 15
///   digits and not one digit repeated (`9999999`), or the value is missing.
///
/// Every [`Country`] has a plan (calling code, trunk prefix, NSN lengths and
/// call prefixes, from libphonenumber's metadata; see [`Country`]). The NSN
/// length must fit the plan (FR 9, GB 9–10, US 10, DE 5–15, JP 9–10, BR 10–11,
/// IN 10…) and make 7 to 15 digits with the calling code (`+43 1000` is too
/// short); it may start with 0 only where numbers do (Italy, San Marino, Côte
/// d'Ivoire, Benin, Congo, Gabon). Leading digits are not otherwise checked
/// (no area-code validation; the `phonenumber` cargo feature offers
/// libphonenumber's full validation, see [`PhoneParser`](super::PhoneParser)).
/// Every output re-normalizes to itself; E.164 output does so under every
/// default country.
///
/// ```
/// use personlink::normalize::{Country, Normalizer, PhoneNormalizer};
///
/// let fr = PhoneNormalizer::new(Country::Fr);
/// let us = PhoneNormalizer::new(Country::Us);
/// let run = |n: &PhoneNormalizer, s: &str| {
///     let mut out = String::new();
///     n.normalize(s, &mut out);
///     out
/// };
///
/// assert_eq!(run(&fr, "06.12.34.56.78"), "+33612345678");
/// assert_eq!(run(&fr, "+33 (0)6 12 34 56 78"), "+33612345678");
/// assert_eq!(run(&us, "(415) 555-2671"), "+14155552671");
/// assert_eq!(run(&us, "011 44 20 7946 0958"), "+442079460958");
/// // An extension is dropped.
/// assert_eq!(run(&fr, "+1 702 555 0143 ext. 12"), "+17025550143");
/// // A US number read as French cannot be placed: its digits are kept.
/// assert_eq!(run(&fr, "702-555-0143"), "7025550143");
/// // Too short, or not a number: missing.
/// assert_eq!(run(&fr, "0143"), "");
/// assert_eq!(run(&fr, "call me"), "");
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
pub(super) struct Digits {
    buf: [u8; MAX_DIGITS],
    len: usize,
    /// Written with a leading `+`.
    pub(super) plus: bool,
}

impl Digits {
    /// The digits, as ASCII.
    pub(super) fn digits(&self) -> &[u8] {
        &self.buf[..self.len]
    }
}

/// Reads `input` as digits, separators and at most one leading `+`.
pub(super) fn scan(input: &str) -> Option<Digits> {
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
    let code_len = calling_code_len(digits);
    let Some(country) = digits.get(..code_len).and_then(Country::for_calling_code) else {
        if (8..=15).contains(&digits.len()) {
            push_e164("", digits, out);
            return true;
        }
        return false;
    };
    let plan = country.plan();
    let mut nsn = &digits[code_len..];
    // A trunk prefix written after the code (`+33 (0)6…`, `+1 1 702…`, `+7 8 495…`).
    if let Some(rest) = nsn.strip_prefix(plan.trunk.as_bytes()) {
        if !plan.trunk.is_empty() && !plan.accepts(nsn) && plan.accepts(rest) {
            nsn = rest;
        }
    }
    if plan.accepts(nsn) {
        push_e164(plan.cc, nsn, out);
        true
    } else {
        false
    }
}

/// Writes the E.164 form of a number dialled nationally with `plan`.
fn national(plan: &Plan, digits: &[u8], out: &mut String) -> bool {
    if let Some(rest) = digits.strip_prefix(plan.trunk.as_bytes()) {
        if !plan.trunk.is_empty() && plan.accepts(rest) {
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

/// Fewest digits of an unplaced number kept as bare digits.
const MIN_BARE_DIGITS: usize = 6;

/// Most digits of an unplaced number kept as bare digits (E.164's maximum).
const MAX_BARE_DIGITS: usize = 15;

/// Most digits of an extension [`strip_extension`] removes.
const MAX_EXTENSION_DIGITS: usize = 8;

/// Extension markers, compared case-insensitively (ASCII only). None ends
/// another, so their order does not matter; RFC 3966 `;ext=` is `ext` with its
/// separators.
const EXTENSION_MARKERS: [&[u8]; 5] = [b"extension", b"ext", b"poste", b"x", b"#"];

/// `input` without a trailing extension (marker, then 1 to
/// [`MAX_EXTENSION_DIGITS`] ASCII digits), or `input` itself when it has none.
pub(super) fn strip_extension(input: &str) -> &str {
    let b = input.trim_end().as_bytes();
    let is_sep = |c: u8| c == b' ' || c == b'\t' || c == b'.' || c == b':' || c == b'=';
    // The extension's digits.
    let mut end = b.len();
    while end > 0 && b[end - 1].is_ascii_digit() {
        end -= 1;
    }
    let digits = b.len() - end;
    if digits == 0 || digits > MAX_EXTENSION_DIGITS {
        return input;
    }
    // Separators between the marker and the digits (`ext. 12`, `;ext=12`, `poste : 12`).
    while end > 0 && is_sep(b[end - 1]) {
        end -= 1;
    }
    let head = &b[..end];
    let Some(marker) = EXTENSION_MARKERS
        .iter()
        .find(|m| head.len() >= m.len() && head[head.len() - m.len()..].eq_ignore_ascii_case(m))
    else {
        return input;
    };
    let mut end = head.len() - marker.len();
    // A word marker ends a word of its own: `box 12` is no extension.
    if marker[0].is_ascii_alphabetic() && end > 0 && b[end - 1].is_ascii_alphabetic() {
        return input;
    }
    // What separates the number from its marker (`…0143, poste 12`, `…0143;ext=12`).
    while end > 0 && (is_sep(b[end - 1]) || b[end - 1] == b',' || b[end - 1] == b';') {
        end -= 1;
    }
    // Every cut is just before an ASCII byte, so on a character boundary.
    input.get(..end).unwrap_or(input)
}

/// Writes `digits` as an unplaced number of `plan`'s country: bare digits,
/// one leading trunk `0` removed, when they are [`MIN_BARE_DIGITS`] to
/// [`MAX_BARE_DIGITS`] long and not one digit repeated.
fn bare(plan: &Plan, digits: &[u8], out: &mut String) {
    let rest = match (plan.trunk, digits.split_first()) {
        ("0", Some((b'0', rest))) => {
            // `0 33 6…`: the trunk hid an international number whose `+` was lost.
            if national(plan, rest, out) {
                return;
            }
            // Digits that would read as a call prefix once the 0 is gone keep
            // it, so that the output reads back to itself.
            if plan.idd_len(rest).is_some() {
                digits
            } else {
                rest
            }
        }
        _ => digits,
    };
    let one_digit = rest.windows(2).all(|w| w[0] == w[1]);
    if (MIN_BARE_DIGITS..=MAX_BARE_DIGITS).contains(&rest.len()) && !one_digit {
        out.extend(rest.iter().map(|&b| char::from(b)));
    }
}

impl Normalizer for PhoneNormalizer {
    fn normalize(&self, input: &str, out: &mut String) {
        let Some(d) = scan(strip_extension(input)) else { return };
        let digits = d.digits();
        if d.plus {
            international(digits, out);
            return;
        }
        let plan = self.default_country.plan();
        if let Some(idd) = plan.idd_len(digits) {
            if international(&digits[idd..], out) {
                return;
            }
            // `00`, `011`, `0011`… only start international numbers; a number
            // after another prefix (`810` in Russia, `16` in Chad) may be national.
            if digits[0] == b'0' {
                return;
            }
        }
        if !national(plan, digits, out) {
            bare(plan, digits, out);
        }
    }
}

/// The length of the country calling code that starts `digits` (an E.164
/// number without its `+`): 1, 2 or 3. ITU calling codes are prefix-free: `1`
/// and `7` are the one-digit codes, the two-digit ones are listed below, and
/// every other code has three digits.
fn calling_code_len(digits: &[u8]) -> usize {
    match digits {
        [b'1' | b'7', ..] => 1,
        [b'2', b'0' | b'7', ..]
        | [b'3', b'0'..=b'4' | b'6' | b'9', ..]
        | [b'4', b'0' | b'1' | b'3'..=b'9', ..]
        | [b'5', b'1'..=b'8', ..]
        | [b'6', b'0'..=b'6', ..]
        | [b'8', b'1' | b'2' | b'4' | b'6', ..]
        | [b'9', b'0'..=b'5' | b'8', ..] => 2,
        _ => 3,
    }
}

/// A normalized phone number split for comparison: the calling code (for an
/// E.164 value) and the national significant number, or the bare digits of an
/// unplaced number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct PhoneParts<'a> {
    /// The calling code's digits, `None` for bare digits.
    pub(crate) calling_code: Option<&'a [u8]>,
    /// The national significant number, or the bare digits.
    pub(crate) number: &'a [u8],
}

impl PhoneNormalizer {
    /// Splits a value written by this normalizer (`+` then the calling code and
    /// the NSN, or bare digits); `None` for anything else: an empty value,
    /// characters other than ASCII digits after an optional leading `+`, or a
    /// `+` followed by nothing beyond a calling code. Allocation-free.
    pub(crate) fn split(value: &str) -> Option<PhoneParts<'_>> {
        let b = value.as_bytes();
        let (plus, digits) = match b.split_first() {
            Some((b'+', rest)) => (true, rest),
            _ => (false, b),
        };
        if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
            return None;
        }
        if !plus {
            return Some(PhoneParts { calling_code: None, number: digits });
        }
        let (cc, number) = digits.split_at(calling_code_len(digits).min(digits.len()));
        (!number.is_empty()).then_some(PhoneParts { calling_code: Some(cc), number })
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
    fn international_numbers_of_any_country() {
        use Country::Fr;
        assert_eq!(run(Fr, "+7 495 123 45 67"), "+74951234567");
        assert_eq!(run(Fr, "+7 8 495 123 45 67"), "+74951234567");
        assert_eq!(run(Fr, "00 81 3 1234 5678"), "+81312345678");
        assert_eq!(run(Fr, "+81 90-1234-5678"), "+819012345678");
        assert_eq!(run(Fr, "+55 11 91234-5678"), "+5511912345678");
        assert_eq!(run(Fr, "+91 98765 43210"), "+919876543210");
        assert_eq!(run(Fr, "+36 06 1 234 5678"), "+3612345678");
        assert_eq!(run(Fr, "+225 07 12 34 56 78"), "+2250712345678");
        // A code several countries share is read with its main country's plan.
        assert_eq!(run(Fr, "+44 1481 123456"), "+441481123456");
        assert_eq!(run(Fr, "+1 876 555 0143"), "+18765550143");
        // Lengths are checked for every country now: a Russian number needs 10 digits.
        assert_eq!(run(Fr, "+7 495 123 45 6"), "");
        assert_eq!(run(Fr, "+7 123"), "");
        assert_eq!(run(Fr, "+81 1234 5678 9012 3456"), "");
        // Codes no country has (international freephone, unassigned) keep their digits.
        assert_eq!(run(Fr, "+800 1234 5678"), "+80012345678");
        assert_eq!(run(Fr, "+999 1234 5678"), "+99912345678");
        assert_eq!(run(Fr, "+999 1234"), "");
        // Austria has 4-digit numbers, but an E.164 number has 7 digits at least.
        assert_eq!(run(Fr, "+43 1000"), "");
        assert_eq!(run(Fr, "+43 12345"), "+4312345");
    }

    #[test]
    fn national_numbers_of_any_country() {
        use Country::{Br, De, Gb, Hu, In, Jp, Ru};
        // United Kingdom.
        assert_eq!(run(Gb, "020 7946 0958"), "+442079460958");
        assert_eq!(run(Gb, "07700 900123"), "+447700900123");
        assert_eq!(run(Gb, "+44 (0)20 7946 0958"), "+442079460958");
        // Germany: area codes of 2 to 5 digits, numbers of 5 to 13.
        assert_eq!(run(De, "030 1234567"), "+49301234567");
        assert_eq!(run(De, "0151 23456789"), "+4915123456789");
        assert_eq!(run(De, "089/12345"), "+498912345");
        // Japan: trunk 0, international prefix 010.
        assert_eq!(run(Jp, "03-1234-5678"), "+81312345678");
        assert_eq!(run(Jp, "090-1234-5678"), "+819012345678");
        assert_eq!(run(Jp, "010 33 6 12 34 56 78"), "+33612345678");
        assert_eq!(run(Jp, "00 33 6 12 34 56 78"), "+33612345678");
        // Brazil: 10-digit landlines, 11-digit mobiles, carrier prefixes after 00.
        assert_eq!(run(Br, "(11) 91234-5678"), "+5511912345678");
        assert_eq!(run(Br, "(21) 2345-6789"), "+552123456789");
        assert_eq!(run(Br, "0 11 91234-5678"), "+5511912345678");
        assert_eq!(run(Br, "0021 33 6 12 34 56 78"), "+33612345678");
        // India.
        assert_eq!(run(In, "098765 43210"), "+919876543210");
        assert_eq!(run(In, "98765 43210"), "+919876543210");
        assert_eq!(run(In, "011 2345 6789"), "+911123456789");
        // Russia: trunk 8, international prefix 810.
        assert_eq!(run(Ru, "8 (495) 123-45-67"), "+74951234567");
        assert_eq!(run(Ru, "810 33 6 12 34 56 78"), "+33612345678");
        // Hungary: trunk 06.
        assert_eq!(run(Hu, "06 1 234 5678"), "+3612345678");
        // After a call prefix that does not start with 0, a national number.
        assert_eq!(run(Ru, "810 123"), "810123");
        // Numbers that do not fit the plan keep their digits.
        assert_eq!(run(Jp, "1-702-555-0143"), "17025550143");
        // Only lengths are checked: a US number has a Japanese number's length.
        assert_eq!(run(Jp, "702-555-0143"), "+817025550143");
        assert_eq!(run(In, "06 12 34 56 78"), "612345678");
    }

    #[test]
    fn bare_digits_read_back_to_themselves_in_every_country() {
        // Digits that could start with a call prefix once a trunk 0 is gone.
        let inputs =
            ["0119 33 6123 4567", "099 1234 5678 90", "016 1234 5", "0810 1234 567", "00 1"];
        for c in Country::ALL {
            for s in inputs {
                let once = run(c, s);
                assert_eq!(run(c, &once), once, "{c} {s:?}");
            }
        }
        // Cuba dials 119 abroad: its trunk 0 stays before digits that start so.
        assert_eq!(run(Country::Cu, "0119 33 6123 4567"), "01193361234567");
        assert_eq!(run(Country::Fr, "0119 33 6123 4567"), "1193361234567");
    }

    #[test]
    fn uninterpretable_is_missing() {
        use Country::Fr;
        for s in [
            "",
            "  ",
            "tel: 0612345678",
            "+33 6 12 34 56 78 +1",
            "06+12345678",
            "+0033612345678",
            "+33 12",
            "+44 20 79",
            // A broken international number names its country: not bare digits.
            "+33 6 12 34 56 7",
            "0033 6 12 34 56 7",
            "00 1 702 555 014",
            "0612345678 / 0123456789",
            "12345678901234567890123456789",
            "0000000000",
            // Too short to be a phone once the trunk 0 is gone.
            "0143",
            "012345",
            "12345",
            // One digit repeated is a placeholder.
            "9999999999",
            "1111111",
            // Junk around the digits.
            "06 12 34 56 78 abc",
            "box 12",
            "x12",
            "#",
            "ext.",
            "06 12 34 56 78 ext",
            "06 12 34 56 78 ext 123456789",
            "06 12 34 56 78 text 12",
        ] {
            assert_eq!(run(Fr, s), "", "{s:?}");
        }
        assert_eq!(run(Country::Lu, "0100"), "");
        assert_eq!(run(Country::Es, "+34 012 345 678"), "");
        assert_eq!(run(Country::Lu, "4711"), "+3524711");
    }

    #[test]
    fn unplaced_numbers_keep_their_digits() {
        use Country::Fr;
        // US numbers read with the default France.
        assert_eq!(run(Fr, "702-555-0143"), "7025550143");
        assert_eq!(run(Fr, "(807) 555-0198"), "8075550198");
        assert_eq!(run(Fr, "9715550172"), "9715550172");
        assert_eq!(run(Fr, "702.555.0143"), "7025550143");
        // The trunk 1 of North America is not France's: kept.
        assert_eq!(run(Fr, "1-702-555-0143"), "17025550143");
        // A UK national number: France's trunk 0 is removed.
        assert_eq!(run(Fr, "020 7946 0958"), "2079460958");
        assert_eq!(run(Fr, "(020) 7946-0958"), "2079460958");
        // A French number with a digit too many or too few.
        assert_eq!(run(Fr, "06 12 34 56 7"), "61234567");
        assert_eq!(run(Fr, "06 12 34 56 78 9"), "6123456789");
        assert_eq!(run(Fr, "０７０２５５５０１４３"), "7025550143");
        // 6 to 15 digits.
        assert_eq!(run(Fr, "123456"), "123456");
        assert_eq!(run(Fr, "0123456"), "123456");
        assert_eq!(run(Fr, "123 456 789 012 345"), "123456789012345");
        assert_eq!(run(Fr, "123 456 789 012 3456"), "");
        // A trunk 0 before an international number whose `+` was lost.
        assert_eq!(run(Fr, "0 33 6 12 34 56 78"), "+33612345678");
        // A 7-digit US local number has no area code: kept.
        assert_eq!(run(Country::Us, "555-2671"), "5552671");
        assert_eq!(run(Country::Us, "06 12 34 56 78"), "0612345678");
        // Countries without a trunk prefix keep a leading 0.
        assert_eq!(run(Country::Es, "012 345 678"), "012345678");
        // The same unplaced number written twice agrees exactly.
        assert_eq!(run(Fr, "(702) 555-0143"), run(Fr, "702 555 0143"));
    }

    #[test]
    fn extensions_are_dropped() {
        use Country::{Fr, Us};
        for s in [
            "+1 702 555 0143 ext. 12",
            "+1 702 555 0143 ext 12",
            "+1 702 555 0143 EXT.12",
            "+1 702 555 0143 Ext: 12",
            "+1 702 555 0143 extension 12",
            "+1 702 555 0143 x12",
            "+1 702 555 0143x12",
            "+1 702 555 0143 X 12",
            "+1 702 555 0143 #12",
            "+1 702 555 0143 # 12",
            "+1-702-555-0143;ext=12",
            "+1 702 555 0143, poste 12",
            "+1 702 555 0143 ext. 12345678 ",
        ] {
            assert_eq!(run(Fr, s), "+17025550143", "{s:?}");
            assert_eq!(run(Us, s), "+17025550143", "{s:?}");
        }
        assert_eq!(run(Us, "(702) 555-0143 x 4"), "+17025550143");
        assert_eq!(run(Fr, "01 23 45 67 89 poste 12"), "+33123456789");
        assert_eq!(run(Fr, "01 23 45 67 89 POSTE 1234"), "+33123456789");
        assert_eq!(run(Fr, "702-555-0143 ext 12"), "7025550143");
        // Only a trailing extension is dropped.
        assert_eq!(run(Fr, "ext 12 06 12 34 56 78"), "");
    }

    #[test]
    fn north_american_numbers() {
        for c in [Country::Us, Country::Ca] {
            for s in [
                "702-555-0143",
                "(702) 555-0143",
                "702.555.0143",
                "7025550143",
                "1-702-555-0143",
                "1 (702) 555-0143",
                "+1 (702) 555-0143",
                "+1 702 555 0143",
                "+17025550143",
                "001 702 555 0143",
                "011 1 702 555 0143",
                "+1 702 555 0143 ext. 12",
            ] {
                assert_eq!(run(c, s), "+17025550143", "{c} {s:?}");
            }
            assert_eq!(run(c, "(807) 555-0198"), "+18075550198");
            assert_eq!(run(c, "971 555 0172"), "+19715550172");
            assert_eq!(run(c, "011 44 20 7946 0958"), "+442079460958");
            assert_eq!(run(c, "00 44 20 7946 0958"), "+442079460958");
            assert_eq!(run(c, "011 33 6 12 34 56 78"), "+33612345678");
        }
        assert_eq!(run(Country::Ca, "(604) 555-0199"), "+16045550199");
        assert_eq!(run(Country::Fr, "+1 (702) 555-0143"), "+17025550143");
        assert_eq!(run(Country::Fr, "001 702 555 0143"), "+17025550143");
    }

    #[test]
    fn hostile_input_never_panics() {
        let huge_digits = "1".repeat(1 << 20);
        let huge_ext = format!("06 12 34 56 78{}", " ext 12".repeat(1 << 16));
        let inputs = [
            huge_digits.as_str(),
            huge_ext.as_str(),
            "\u{0}\u{ffff}\u{10ffff}",
            "é12345678x12",
            "0612345678é",
            "06 12 34 56 78 ｘ12",
            "06 12 34 56 78 éxt 12",
            "06 12 34 56 78 \u{301}x12",
            "+\u{FF0B}33",
            "٠٦١٢٣٤٥٦٧٨",
            "🇫🇷 06 12 34 56 78",
            "x",
            ";ext=",
            "++",
            "\u{a0}06\u{a0}12\u{a0}34\u{a0}56\u{a0}78\u{a0}",
        ];
        for c in Country::ALL {
            for s in inputs {
                let once = run(c, s);
                assert_eq!(run(c, &once), once, "{c} {s:?}");
            }
        }
        assert_eq!(
            run(Country::Fr, "\u{a0}06\u{a0}12\u{a0}34\u{a0}56\u{a0}78\u{a0}"),
            "+33612345678"
        );
        assert_eq!(run(Country::Fr, "06 12 34 56 78 \u{301}x12"), "");
    }

    #[test]
    fn split_reads_e164_and_bare_digits() {
        let parts = |s| PhoneNormalizer::split(s).map(|p| (p.calling_code, p.number));
        let b = |s: &'static str| s.as_bytes();
        assert_eq!(parts("+17025550143"), Some((Some(b("1")), b("7025550143"))));
        assert_eq!(parts("+74951234567"), Some((Some(b("7")), b("4951234567"))));
        assert_eq!(parts("+33612345678"), Some((Some(b("33")), b("612345678"))));
        assert_eq!(parts("+3524711"), Some((Some(b("352")), b("4711"))));
        assert_eq!(parts("+81312345678"), Some((Some(b("81")), b("312345678"))));
        assert_eq!(parts("+85212345678"), Some((Some(b("852")), b("12345678"))));
        assert_eq!(parts("7025550143"), Some((None, b("7025550143"))));
        for bad in ["", "+", "+1", "+352", "abc", "+33 6", "7025550143x", "++33612345678", "é"] {
            assert_eq!(parts(bad), None, "{bad:?}");
        }
        // Every code of a supported country is read back whole.
        for c in Country::ALL {
            let number = format!("+{}612345678", c.calling_code());
            let p = PhoneNormalizer::split(&number).unwrap();
            assert_eq!(p.calling_code, Some(c.calling_code().as_bytes()), "{c}");
        }
    }

    #[test]
    fn e164_is_a_fixed_point() {
        for c in Country::ALL {
            for s in
                ["06 12 34 56 78", "+33612345678", "0412345678", "+14155552671", "+74951234567"]
            {
                let once = run(c, s);
                assert_eq!(run(c, &once), once, "{c} {s}");
                // Bare digits are read in the default country, so only E.164
                // means the same number everywhere.
                if once.starts_with('+') {
                    for other in Country::ALL {
                        assert_eq!(run(other, &once), once, "{c} {other} {s}");
                    }
                }
            }
        }
        // Spain cannot place a French national number: bare digits.
        assert_eq!(run(Country::Es, "06 12 34 56 78"), "0612345678");
    }
}
