//! Placeholder values that mean "unknown" and count as missing.

use super::Normalizer;

/// The values [`Placeholders::default_values`] returns.
const DEFAULT_VALUES: [&str; 31] = [
    "unknown",
    "not known",
    "not available",
    "inconnu",
    "inconnue",
    "n/a",
    "n a",
    "n.a.",
    "none",
    "null",
    "nil",
    "nan",
    "undefined",
    "aucun",
    "aucune",
    "neant",
    "néant",
    "nc",
    "nr",
    "non renseigne",
    "non renseigné",
    "non communique",
    "non communiqué",
    "no email",
    "noemail",
    "test",
    "xx",
    "xxx",
    "-",
    "?",
    "...",
];

/// Local parts of an email address that mean "no address" (compared ignoring ASCII case).
const PLACEHOLDER_LOCAL_PARTS: [&str; 22] = [
    "test",
    "noemail",
    "no-email",
    "no_email",
    "no.email",
    "nomail",
    "no-mail",
    "no_mail",
    "none",
    "unknown",
    "na",
    "n.a",
    "null",
    "nil",
    "noreply",
    "no-reply",
    "donotreply",
    "invalid",
    "fake",
    "aucun",
    "inconnu",
    "pasdemail",
];

/// Shortest digit string the digit rules look at.
const MIN_DIGITS: usize = 6;
/// Longest prefix (country code, trunk or mobile prefix) allowed before the
/// run the digit rules look for.
const MAX_DIGIT_PREFIX: usize = 4;
/// Shortest run of one repeated letter, or of one repeated character in an
/// email's local part, that counts as a placeholder.
const MIN_REPEATED: usize = 3;

/// Outputs nothing (missing) for placeholder values that many different
/// people share because they mean "unknown" (`test@test.com`, `0600000000`,
/// `n/a`, ...), and copies every other value unchanged.
///
/// Put it last in a chain: it sees the value the earlier steps produced, so
/// the listed values must be written in that normalized form (`+33600000000`
/// after a phone step, `n a` after a name chain that strips punctuation,
/// `UNKNOWN` and `NA` after the identifier step, which upper-cases). Listed
/// values are compared ignoring case and surrounding whitespace.
///
/// With the shape rules on, a value is also a placeholder when it is:
///
/// - **a repeated digit**: at least 6 ASCII digits (after an optional `+`)
///   ending in one digit repeated over all but at most 4 leading ones
///   (`0000000000`, `0600000000`, `+33600000000`, `111111`);
/// - **a run of consecutive digits**: the same, ending in a run of digits
///   each one more (or each one less) than the previous, 9 followed by 0
///   counting as consecutive (`123456789`, `0123456789`, `1234567890`,
///   `9876543210`, `+33123456789`, `+33612345678`);
/// - **a repeated letter**: one letter written at least 3 times and nothing
///   else (`xxx`, `ZZZZ`);
/// - **a placeholder email**: a value with one `@` whose local part is a
///   placeholder word (`test`, `noemail`, `no-email`, `no_email`, `no.email`,
///   `nomail`, `no-mail`, `no_mail`, `none`, `unknown`, `na`, `n.a`, `null`,
///   `nil`, `noreply`, `no-reply`, `donotreply`, `invalid`, `fake`, `aucun`,
///   `inconnu`, `pasdemail`, any ASCII case), one character written at least 3
///   times (`xxx@gmail.com`), or the first label of its domain
///   (`aaa@aaa.com`, `test@test.fr`).
///
/// A value of several whitespace-separated email addresses (the list form of
/// [`EmailNormalizer`](super::EmailNormalizer)) is filtered address by address:
/// placeholder addresses are dropped and the others kept, joined by a single
/// space (`a@x.com test@test.com` → `a@x.com`); when none is left the value is
/// missing.
///
/// ```
/// use personlink::normalize::{
///     Country, EmailNormalizer, Normalizer, PhoneNormalizer, Pipeline, Placeholders,
/// };
///
/// let placeholders = Placeholders::default(); // built-in values and shape rules
/// for unknown in ["unknown", "N/A", "test@test.com", "aaa@aaa.com", "0600000000", "1234567890"] {
///     assert_eq!(placeholders.normalize_to_string(unknown), "", "{unknown}");
/// }
/// assert_eq!(placeholders.normalize_to_string("jean.dupont@orange.fr"), "jean.dupont@orange.fr");
///
/// // Last in a chain, it sees the normalized values.
/// let phone = Pipeline::builder().then(PhoneNormalizer::new(Country::Fr)).then(Placeholders::default()).build();
/// assert_eq!(phone.normalize_to_string("06 00 00 00 00"), "");
/// assert_eq!(phone.normalize_to_string("06 71 42 93 58"), "+33671429358");
///
/// let email = Pipeline::builder().then(EmailNormalizer::default()).then(Placeholders::default()).build();
/// assert_eq!(email.normalize_to_string("NoEmail@Orange.fr"), "");
/// assert_eq!(email.normalize_to_string("jd@orange.fr; test@test.com"), "jd@orange.fr");
///
/// // Only the listed values, without the shape rules.
/// let listed = Placeholders::new(["+33000000000"], false);
/// assert_eq!(listed.normalize_to_string("+33000000000"), "");
/// assert_eq!(listed.normalize_to_string("+33600000000"), "+33600000000");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placeholders {
    values: Vec<String>,
    /// The positions in `values` of the values of each byte length (the
    /// index), so an ASCII input is compared only with values of its length.
    by_length: Vec<Vec<u32>>,
    shape_rules: bool,
}

impl Default for Placeholders {
    /// The [`default_values`](Placeholders::default_values) and the shape rules.
    fn default() -> Self {
        Placeholders::new(Placeholders::default_values(), true)
    }
}

impl Placeholders {
    /// A normalizer treating `values` (trimmed and lowercased here; blank
    /// entries are dropped) as missing, and the shape rules too when
    /// `shape_rules`.
    pub fn new<I, S>(values: I, shape_rules: bool) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let mut values: Vec<String> = values
            .into_iter()
            .map(|v| v.as_ref().trim().to_lowercase())
            .filter(|v| !v.is_empty())
            .collect();
        values.sort_unstable();
        values.dedup();
        let longest = values.iter().map(String::len).max().unwrap_or(0);
        let mut by_length = vec![Vec::new(); longest + 1];
        for (i, v) in values.iter().enumerate() {
            by_length[v.len()].push(i as u32);
        }
        Placeholders { values, by_length, shape_rules }
    }

    /// The built-in list of values meaning "unknown", in English and French,
    /// as the text chains write them (lowercase, with and without accents and
    /// punctuation): `unknown`, `not known`, `not available`, `inconnu`,
    /// `inconnue`, `n/a`, `n a`, `n.a.`, `none`, `null`, `nil`, `nan`,
    /// `undefined`, `aucun`, `aucune`, `neant`, `néant`, `nc`, `nr`,
    /// `non renseigne`, `non renseigné`, `non communique`, `non communiqué`,
    /// `no email`, `noemail`, `test`, `xx`, `xxx`, `-`, `?`, `...`.
    ///
    /// It leaves out `na` (a surname) and the emails and phone numbers the
    /// shape rules already catch.
    ///
    /// ```
    /// use personlink::normalize::Placeholders;
    /// assert!(Placeholders::default_values().contains(&"n/a"));
    /// ```
    pub fn default_values() -> &'static [&'static str] {
        &DEFAULT_VALUES
    }

    /// The listed values (trimmed, lowercase, sorted, distinct).
    pub fn values(&self) -> &[String] {
        &self.values
    }

    /// Whether the shape rules apply on top of the listed values.
    pub fn uses_shape_rules(&self) -> bool {
        self.shape_rules
    }

    /// True when `value` (trimmed) is one of the listed values, ignoring
    /// case, or, with the shape rules on, has the shape of a placeholder.
    ///
    /// ```
    /// use personlink::normalize::Placeholders;
    /// let p = Placeholders::default();
    /// assert!(p.is_placeholder(" Unknown "));
    /// assert!(p.is_placeholder("+33600000000"));
    /// assert!(!p.is_placeholder("+33671429358"));
    /// ```
    pub fn is_placeholder(&self, value: &str) -> bool {
        let value = value.trim();
        // Lower-casing keeps the length of ASCII text, so an ASCII value is
        // only compared with listed values of its length; other text in full.
        let listed = if value.is_ascii() {
            self.by_length.get(value.len()).is_some_and(|same_length| {
                same_length.iter().any(|&i| value.eq_ignore_ascii_case(&self.values[i as usize]))
            })
        } else {
            self.values.iter().any(|v| value.chars().flat_map(char::to_lowercase).eq(v.chars()))
        };
        listed || (self.shape_rules && has_placeholder_shape(value))
    }
}

/// The shape rules (see [`Placeholders`]).
fn has_placeholder_shape(value: &str) -> bool {
    if let Some((local, domain)) = value.split_once('@') {
        return !domain.contains('@') && is_placeholder_email(local, domain);
    }
    is_placeholder_digits(value) || is_repeated(value, MIN_REPEATED, char::is_alphabetic)
}

fn is_placeholder_email(local: &str, domain: &str) -> bool {
    let first_label = domain.split('.').next().unwrap_or_default();
    !local.is_empty()
        && (PLACEHOLDER_LOCAL_PARTS.iter().any(|w| w.eq_ignore_ascii_case(local))
            || is_repeated(local, MIN_REPEATED, |_| true)
            || same_ignoring_case(local, first_label))
}

/// `a` and `b` are the same text but for case (ASCII compared byte by byte).
fn same_ignoring_case(a: &str, b: &str) -> bool {
    if a.is_ascii() && b.is_ascii() {
        return a.eq_ignore_ascii_case(b);
    }
    a.chars().flat_map(char::to_lowercase).eq(b.chars().flat_map(char::to_lowercase))
}

/// `value` is at least `min` characters, all the same (ignoring case), the
/// first one accepted by `first`.
fn is_repeated(value: &str, min: usize, first: impl Fn(char) -> bool) -> bool {
    let mut chars = value.chars();
    let Some(c) = chars.next() else { return false };
    let lower = |c: char| c.to_lowercase().next().unwrap_or(c);
    let mut n = 1;
    for other in chars {
        if lower(other) != lower(c) {
            return false;
        }
        n += 1;
    }
    first(c) && n >= min
}

fn is_placeholder_digits(value: &str) -> bool {
    let digits = value.strip_prefix('+').unwrap_or(value).as_bytes();
    let n = digits.len();
    if n < MIN_DIGITS || !digits.iter().all(u8::is_ascii_digit) {
        return false;
    }
    let needed = MIN_DIGITS.max(n - MAX_DIGIT_PREFIX.min(n));
    let trailing_run = |follows: fn(u8, u8) -> bool| {
        1 + digits.windows(2).rev().take_while(|w| follows(w[0], w[1])).count()
    };
    trailing_run(|a, b| a == b) >= needed
        || trailing_run(|a, b| b == if a == b'9' { b'0' } else { a + 1 }) >= needed
        || trailing_run(|a, b| a == if b == b'9' { b'0' } else { b + 1 }) >= needed
}

impl Normalizer for Placeholders {
    fn normalize(&self, input: &str, out: &mut String) {
        let mut tokens = input.split_whitespace();
        let several_addresses = tokens.clone().nth(1).is_some() && tokens.all(|t| t.contains('@'));
        if !several_addresses {
            if !self.is_placeholder(input) {
                out.push_str(input);
            }
            return;
        }
        if !input.split_whitespace().any(|t| self.is_placeholder(t)) {
            out.push_str(input);
            return;
        }
        let start = out.len();
        for address in input.split_whitespace().filter(|t| !self.is_placeholder(t)) {
            if out.len() > start {
                out.push(' ');
            }
            out.push_str(address);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(n: &Placeholders, s: &str) -> String {
        n.normalize_to_string(s)
    }

    #[test]
    fn listed_values_ignore_case_and_surrounding_whitespace() {
        let p = Placeholders::default();
        for s in ["unknown", "UNKNOWN", " Unknown ", "n/a", "N/A", "n a", "xxx", "néant", "NÉANT"]
        {
            assert_eq!(run(&p, s), "", "{s:?}");
        }
        let custom = Placeholders::new(["  Sans Email ", "", "  "], false);
        assert_eq!(custom.values(), ["sans email"]);
        assert!(!custom.uses_shape_rules());
        assert_eq!(run(&custom, "sans email"), "");
        assert_eq!(run(&custom, "unknown"), "unknown");
        assert_eq!(run(&custom, "test@test.com"), "test@test.com");
    }

    #[test]
    fn repeated_digits() {
        let p = Placeholders::new(Vec::<String>::new(), true);
        for s in ["0000000000", "0600000000", "+33600000000", "111111", "+15555555555"] {
            assert_eq!(run(&p, s), "", "{s:?}");
        }
        // Too short, too long a prefix, or not only digits.
        for s in ["00000", "0612300000", "+33612000000", "06 00 00 00 00", "0000000000a"] {
            assert_eq!(run(&p, s), s, "{s:?}");
        }
    }

    #[test]
    fn consecutive_digits() {
        let p = Placeholders::new(Vec::<String>::new(), true);
        for s in [
            "123456",
            "123456789",
            "0123456789",
            "1234567890",
            "9876543210",
            "+33123456789",
            "+33612345678",
        ] {
            assert_eq!(run(&p, s), "", "{s:?}");
        }
        for s in ["12345", "+33671429358", "0612345699", "1357913579", "+331234"] {
            assert_eq!(run(&p, s), s, "{s:?}");
        }
    }

    #[test]
    fn repeated_letters() {
        let p = Placeholders::new(Vec::<String>::new(), true);
        for s in ["xxx", "XXX", "aaaa", "ZzZ"] {
            assert_eq!(run(&p, s), "", "{s:?}");
        }
        for s in ["xx", "x", "aab", "x x x", "---", "111"] {
            assert_eq!(run(&p, s), s, "{s:?}");
        }
    }

    #[test]
    fn placeholder_emails() {
        let p = Placeholders::new(Vec::<String>::new(), true);
        for s in [
            "test@test.com",
            "noemail@orange.fr",
            "no-email@gmail.com",
            "NOMAIL@free.fr",
            "none@none.com",
            "unknown@company.com",
            "na@x.fr",
            "null@x.fr",
            "aaa@aaa.com",
            "jd@jd.fr",
            "xxx@gmail.com",
            "0000@x.fr",
        ] {
            assert_eq!(run(&p, s), "", "{s:?}");
        }
        for s in [
            "jean.dupont@orange.fr",
            "testeur@orange.fr",
            "anna@nna.fr",
            "jd@orange.jd",
            "xx@gmail.com",
            "test@a@b.com",
        ] {
            assert_eq!(run(&p, s), s, "{s:?}");
        }
    }

    #[test]
    fn several_addresses_are_filtered_one_by_one() {
        let p = Placeholders::default();
        assert_eq!(run(&p, "a@x.com test@test.com"), "a@x.com");
        assert_eq!(run(&p, "a@x.com noemail@y.fr b@y.com"), "a@x.com b@y.com");
        assert_eq!(run(&p, "aaa@aaa.com test@test.com"), "");
        assert_eq!(run(&p, "a@x.com b@y.com"), "a@x.com b@y.com");
        // Not a list of addresses: judged whole.
        assert_eq!(run(&p, "test test@test.com"), "test test@test.com");
        assert_eq!(run(&p, "not known"), "");
    }

    #[test]
    fn ordinary_values_pass_through() {
        let p = Placeholders::default();
        for s in [
            "jean",
            "dupont",
            "na",
            "Na Young",
            "+33671429358",
            "jean.dupont@orange.fr",
            "1980-02-01",
            "75001",
            "SW1A1AA",
            "1800275123456",
            "12 rue de la paix",
            "",
        ] {
            assert_eq!(run(&p, s), s, "{s:?}");
        }
    }

    #[test]
    fn idempotent_and_appends() {
        let p = Placeholders::default();
        for s in ["a@x.com  test@test.com\tb@y.com", "a@x.com test@test.com", "x", "  unknown "] {
            let once = run(&p, s);
            assert_eq!(run(&p, &once), once, "{s:?}");
        }
        let mut out = String::from("k:");
        p.normalize("a@x.com test@test.com b@y.com", &mut out);
        assert_eq!(out, "k:a@x.com b@y.com");
    }
}
