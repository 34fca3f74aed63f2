//! Phone numbers read by Google's libphonenumber (the `phonenumber` crate),
//! behind the cargo feature `phonenumber`.

use std::fmt::Write;

use phonenumber::country::Id;
use phonenumber::Mode;

use super::country::Country;
use super::phone::{scan, strip_extension};
use super::{Normalizer, PhoneNormalizer};

/// Normalizes a telephone number with libphonenumber's full metadata: a
/// number it parses and validates (number ranges, national prefixes for
/// parsing, carrier codes) becomes its E.164 form; any other value is read by
/// the built-in [`PhoneNormalizer`] of the same default country (E.164 by the
/// plan's lengths, bare digits, or missing), so the two parsers write the
/// same kinds of values and a number libphonenumber rejects keeps its digits.
///
/// libphonenumber sees only the digits (and a leading `+`) the built-in
/// scanner reads, after the same extension rules: a value with letters is
/// missing for both, and no exotic input reaches the crate's parser.
///
/// Built by [`NormalizerSpec::Phone`](super::NormalizerSpec::Phone) with
/// `"parser": "libphonenumber"`.
///
/// ```
/// use personlink::normalize::{Country, LibphonenumberNormalizer, Normalizer};
///
/// let br = LibphonenumberNormalizer::new(Country::Br);
/// // A carrier code (`0 21`) before the area code, as Brazilians dial long distance.
/// assert_eq!(br.normalize_to_string("0 21 11 91234-5678"), "+5511912345678");
/// assert_eq!(br.normalize_to_string("call me"), "");
/// ```
#[derive(Debug, Clone, Copy)]
pub struct LibphonenumberNormalizer {
    builtin: PhoneNormalizer,
    region: Option<Id>,
}

impl LibphonenumberNormalizer {
    /// A normalizer reading national numbers as numbers of `default_country`.
    /// A territory libphonenumber has no metadata for (Antarctica, the US
    /// minor outlying islands…) reads them as the main country of its calling
    /// code does.
    pub fn new(default_country: Country) -> Self {
        let region = default_country.alpha2().parse::<Id>().ok().or_else(|| {
            Country::for_calling_code(default_country.calling_code().as_bytes())
                .and_then(|main| main.alpha2().parse::<Id>().ok())
        });
        LibphonenumberNormalizer { builtin: PhoneNormalizer::new(default_country), region }
    }

    /// The country national numbers are read in.
    pub fn default_country(&self) -> Country {
        self.builtin.default_country()
    }
}

/// Longest text handed to libphonenumber: `+` and the scanner's digits.
const MAX_CLEAN: usize = 32;

impl Normalizer for LibphonenumberNormalizer {
    fn normalize(&self, input: &str, out: &mut String) {
        let Some(d) = scan(strip_extension(input)) else { return };
        let mut clean = [0u8; MAX_CLEAN];
        let mut len = 0;
        if d.plus {
            clean[0] = b'+';
            len = 1;
        }
        for &b in d.digits() {
            if len < MAX_CLEAN {
                clean[len] = b;
                len += 1;
            }
        }
        let clean = std::str::from_utf8(&clean[..len]).unwrap_or("");
        if let Ok(number) = phonenumber::parse(self.region, clean) {
            if phonenumber::is_valid(&number) {
                let at = out.len();
                if write!(out, "{}", number.format().mode(Mode::E164)).is_ok()
                    && out[at..].starts_with('+')
                {
                    return;
                }
                out.truncate(at);
            }
        }
        self.builtin.normalize(input, out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(country: Country, s: &str) -> String {
        LibphonenumberNormalizer::new(country).normalize_to_string(s)
    }

    #[test]
    fn valid_numbers_are_placed_by_libphonenumber() {
        assert_eq!(run(Country::Fr, "06.12.34.56.78"), "+33612345678");
        assert_eq!(run(Country::Us, "(702) 555-0143 ext. 12"), "+17025550143");
        assert_eq!(run(Country::Gb, "020 7946 0958"), "+442079460958");
        assert_eq!(run(Country::Jp, "090-1234-5678"), "+819012345678");
        assert_eq!(run(Country::In, "098765 43210"), "+919876543210");
        assert_eq!(run(Country::Br, "0 21 11 91234-5678"), "+5511912345678");
        // No metadata for the US minor outlying islands: read as +1.
        assert_eq!(run(Country::Um, "702 555 0143"), "+17025550143");
    }

    #[test]
    fn other_values_fall_to_the_builtin_rules() {
        // A US number read in France: libphonenumber cannot place it.
        assert_eq!(run(Country::Fr, "702-555-0143"), "7025550143");
        assert_eq!(run(Country::Fr, "0612"), "");
        assert_eq!(run(Country::Fr, "06 12 34 56 78 abc"), "");
        let long = "1".repeat(4096);
        assert_eq!(run(Country::Fr, &long), "");
    }
}
