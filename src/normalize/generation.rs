//! Generation suffixes (`Jr`, `Sr`, `II`, `fils`, `père`) read as a
//! generation number.

use super::text::ascii_fold;
use super::Normalizer;

/// The suffixes [`Generation`] reads, folded to lowercase ASCII, with the
/// generation each one names. `Sr`, `senior`, `père` and `I` name the first
/// bearer of a name; `Jr`, `junior`, `fils`, `filho`, `hijo`, `II` and `2nd`
/// the second.
pub(super) const GENERATIONS: &[(&str, u8)] = &[
    ("sr", 1),
    ("snr", 1),
    ("senior", 1),
    ("pere", 1),
    ("i", 1),
    ("1st", 1),
    ("jr", 2),
    ("jnr", 2),
    ("junior", 2),
    ("fils", 2),
    ("filho", 2),
    ("hijo", 2),
    ("ii", 2),
    ("2nd", 2),
    ("iii", 3),
    ("3rd", 3),
    ("iv", 4),
    ("4th", 4),
    ("v", 5),
    ("5th", 5),
];

/// The generation a suffix token names (`"Jr."` → 2, `"père"` → 1, `"III"` →
/// 3), or `None`. The token is folded to lowercase ASCII and its trailing dots
/// dropped; the digits `1` to `5` read as themselves, so the normalizer's own
/// output reads back the same.
pub(super) fn generation_of(token: &str) -> Option<u8> {
    let token = token.trim_end_matches('.');
    if token.is_empty() || token.len() > MAX_SUFFIX_BYTES {
        return None;
    }
    if let [d @ b'1'..=b'5'] = token.as_bytes() {
        return Some(d - b'0');
    }
    let lookup = |t: &str| {
        GENERATIONS
            .iter()
            .find(|(name, _)| name.as_bytes().eq_ignore_ascii_case(t.as_bytes()))
            .map(|&(_, g)| g)
    };
    if token.is_ascii() {
        lookup(token)
    } else {
        // Rare (`père`, `Ⅱ`): fold through the shared primitive.
        let mut folded = String::new();
        ascii_fold(token, &mut folded);
        lookup(folded.trim_end_matches('.'))
    }
}

/// Longer tokens are never a suffix.
const MAX_SUFFIX_BYTES: usize = 16;

/// Reads a generation suffix as the generation it names: `1` for `Sr`,
/// `Senior`, `père` and `I`; `2` for `Jr`, `Junior`, `fils` (and the
/// Portuguese and Spanish `Filho`, `Hijo`), `II` and `2nd`; `3` for `III` and
/// `3rd`; `4` for `IV`; `5` for `V`. Anything else is missing.
///
/// The last token of the value is read (tokens are separated by whitespace
/// and commas; case, accents and trailing dots do not matter), so a suffix
/// column holding `Jr.` and a name holding `Paul Archer Jr` both give `2`.
///
/// `Jr` and `II` are one generation: both name the second bearer of a name in
/// one family line, and a man written `Jr` by one system is often `II` in
/// another. The same holds for `Sr` and `I`. So `Jr` / `II` is no evidence
/// against a match, while `Jr` / `Sr`, `I` / `II`, `fils` / `père` or
/// `II` / `III` are different people (the person profile forbids merging
/// them, see [`crate::profile::person`]).
///
/// ```
/// use personlink::normalize::{Generation, Normalizer};
/// assert_eq!(Generation.normalize_to_string("Jr."), "2");
/// assert_eq!(Generation.normalize_to_string("II"), "2");
/// assert_eq!(Generation.normalize_to_string("Senior"), "1");
/// assert_eq!(Generation.normalize_to_string("père"), "1");
/// assert_eq!(Generation.normalize_to_string("Henry Walsh III"), "3");
/// assert_eq!(Generation.normalize_to_string("MD"), "");
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Generation;

impl Normalizer for Generation {
    fn normalize(&self, input: &str, out: &mut String) {
        let last = input.split(|c: char| c.is_whitespace() || c == ',').rfind(|t| !t.is_empty());
        if let Some(g) = last.and_then(generation_of) {
            out.push(char::from(b'0' + g));
        }
    }
}

/// The last token of `raw` when it holds at least two (separated by
/// whitespace or commas): where a generation suffix sits in a name field
/// (`Archer Jr`, `Walsh, II`). A lone token is the name itself, never a
/// suffix (`V` is an initial, not a fifth).
pub(crate) fn trailing_token(raw: &str) -> Option<&str> {
    let mut tokens = raw.split(|c: char| c.is_whitespace() || c == ',').filter(|t| !t.is_empty());
    let first = tokens.next();
    let last = tokens.next_back();
    first.and(last)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suffixes_map_to_their_generation() {
        for (input, want) in [
            ("Jr", "2"),
            ("jr.", "2"),
            ("JUNIOR", "2"),
            ("Fils", "2"),
            ("II", "2"),
            ("2nd", "2"),
            ("Sr.", "1"),
            ("senior", "1"),
            ("Père", "1"),
            ("PERE", "1"),
            ("I", "1"),
            ("III", "3"),
            ("3rd", "3"),
            ("IV", "4"),
            ("v", "5"),
            (" Paul Archer Jr ", "2"),
            ("Walsh, II", "2"),
            ("2", "2"),
            ("\u{2171}", "2"),
        ] {
            assert_eq!(Generation.normalize_to_string(input), want, "{input}");
        }
    }

    #[test]
    fn anything_else_is_missing() {
        for input in ["", " ", "MD", "PhD", "Jean", "vi", "6", "j r", "., ,", "Jrr"] {
            assert_eq!(Generation.normalize_to_string(input), "", "{input}");
        }
        let long = "x".repeat(100);
        assert_eq!(Generation.normalize_to_string(&long), "");
    }

    #[test]
    fn idempotent() {
        for input in ["Jr", "père", "III", "x", "Paul Archer Sr."] {
            let once = Generation.normalize_to_string(input);
            assert_eq!(Generation.normalize_to_string(&once), once, "{input}");
        }
    }

    #[test]
    fn trailing_token_needs_two_tokens() {
        assert_eq!(trailing_token("Archer Jr"), Some("Jr"));
        assert_eq!(trailing_token("Walsh, II."), Some("II."));
        assert_eq!(trailing_token(" Martin  fils "), Some("fils"));
        assert_eq!(trailing_token("V"), None);
        assert_eq!(trailing_token("Archer"), None);
        assert_eq!(trailing_token(""), None);
    }
}
