//! Postal codes, identifiers and digit strings.

use super::text::fold_char;
use super::Normalizer;

/// Appends the upper-case ASCII letters and digits of `input`; non-ASCII
/// characters are folded to ASCII first (fullwidth `７５` → `75`, `é` → `E`).
fn push_upper_alnum(input: &str, out: &mut String) {
    let mut push = |piece: &str| {
        out.extend(
            piece
                .bytes()
                .filter(u8::is_ascii_alphanumeric)
                .map(|b| char::from(b.to_ascii_uppercase())),
        );
    };
    for c in input.chars() {
        if c.is_ascii() {
            push(c.encode_utf8(&mut [0; 4]));
        } else {
            fold_char(c, &mut push);
        }
    }
}

/// Postal codes: upper-case ASCII letters and digits only; spaces, dashes and
/// any other character are removed (`"sw1a 1aa"` → `"SW1A1AA"`, `"75 001"` →
/// `"75001"`, `"1000-001"` → `"1000001"`).
///
/// ```
/// use personlink::normalize::{Normalizer, PostcodeNormalizer};
/// let mut out = String::new();
/// PostcodeNormalizer.normalize("sw1a 1aa", &mut out);
/// assert_eq!(out, "SW1A1AA");
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PostcodeNormalizer;

impl Normalizer for PostcodeNormalizer {
    fn normalize(&self, input: &str, out: &mut String) {
        push_upper_alnum(input, out);
    }
}

/// Identifiers (national ids, customer numbers): upper-case ASCII letters and
/// digits only, as [`PostcodeNormalizer`] (`"1 80 02 75 123 456-78"` →
/// `"180027512345678"`, `"ab-12/c"` → `"AB12C"`).
///
/// ```
/// use personlink::normalize::{IdentifierNormalizer, Normalizer};
/// let mut out = String::new();
/// IdentifierNormalizer.normalize("ab-12/c", &mut out);
/// assert_eq!(out, "AB12C");
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct IdentifierNormalizer;

impl Normalizer for IdentifierNormalizer {
    fn normalize(&self, input: &str, out: &mut String) {
        push_upper_alnum(input, out);
    }
}

/// Keeps ASCII digits only; fullwidth digits (`０`..`９`) are folded to ASCII.
///
/// ```
/// use personlink::normalize::{DigitsOnly, Normalizer};
/// let mut out = String::new();
/// DigitsOnly.normalize("n° 12-３４ b", &mut out);
/// assert_eq!(out, "1234");
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DigitsOnly;

impl Normalizer for DigitsOnly {
    fn normalize(&self, input: &str, out: &mut String) {
        for c in input.chars() {
            match c {
                '0'..='9' => out.push(c),
                '\u{FF10}'..='\u{FF19}' => {
                    out.push(char::from(b'0' + (u32::from(c) - 0xFF10) as u8));
                }
                _ => {}
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn postcodes() {
        assert_eq!(PostcodeNormalizer.normalize_to_string("sw1a 1aa"), "SW1A1AA");
        assert_eq!(PostcodeNormalizer.normalize_to_string("75 001"), "75001");
        assert_eq!(PostcodeNormalizer.normalize_to_string("1000-001"), "1000001");
        assert_eq!(PostcodeNormalizer.normalize_to_string("L-1234"), "L1234");
        assert_eq!(PostcodeNormalizer.normalize_to_string("７５００１"), "75001");
        assert_eq!(PostcodeNormalizer.normalize_to_string(" - "), "");
    }

    #[test]
    fn identifiers() {
        assert_eq!(
            IdentifierNormalizer.normalize_to_string("1 80 02 75 123 456-78"),
            "180027512345678"
        );
        assert_eq!(IdentifierNormalizer.normalize_to_string("ab-12/c"), "AB12C");
        assert_eq!(IdentifierNormalizer.normalize_to_string("é-1"), "E1");
    }

    #[test]
    fn digits_only() {
        assert_eq!(DigitsOnly.normalize_to_string("+33 (0)6 12"), "330612");
        assert_eq!(DigitsOnly.normalize_to_string("０１２"), "012");
        assert_eq!(DigitsOnly.normalize_to_string("abc"), "");
    }
}
