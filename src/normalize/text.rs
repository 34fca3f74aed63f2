//! Generic text steps: trimming, whitespace, case and accent folding, punctuation.

use any_ascii::any_ascii_char;
use unicode_normalization::char::{decompose_compatible, is_combining_mark};

use super::Normalizer;

/// Folds `input` to lowercase ASCII and appends the result to `out`.
///
/// Each character goes through its compatibility decomposition (NFKD), combining
/// marks are dropped and whatever is still not ASCII is transliterated with
/// `any_ascii` (`ß`→`ss`, `œ`→`oe`, `æ`→`ae`, `ø`→`o`, `ł`→`l`, Cyrillic, Greek and
/// CJK are romanized); the result is lowercased. Non-ASCII whitespace becomes an
/// ASCII space; emoji, regional indicators and invisible format characters are
/// dropped. Composed (NFC) and decomposed (NFD) input give the same output.
///
/// Pure ASCII input takes a fast path that only copies and lowercases; no memory
/// is allocated beyond growing `out`.
///
/// ```
/// use personlink::normalize::ascii_fold;
///
/// let mut out = String::new();
/// ascii_fold("Œuvray Straße Łódź", &mut out);
/// assert_eq!(out, "oeuvray strasse lodz");
///
/// // Composed and decomposed forms fold identically.
/// let (mut a, mut b) = (String::new(), String::new());
/// ascii_fold("Fran\u{e7}ois", &mut a);
/// ascii_fold("Franc\u{327}ois", &mut b);
/// assert_eq!(a, b);
/// ```
pub fn ascii_fold(input: &str, out: &mut String) {
    fold_into(input, out, true);
}

/// Folds to ASCII, lowercasing when `lower`.
fn fold_into(input: &str, out: &mut String, lower: bool) {
    let start = out.len();
    if input.is_ascii() {
        out.push_str(input);
    } else {
        for c in input.chars() {
            if c.is_ascii() {
                out.push(c);
            } else {
                fold_char(c, &mut |piece| out.push_str(piece));
            }
        }
    }
    if lower {
        out[start..].make_ascii_lowercase();
    }
}

/// Emits the ASCII folding of one non-ASCII character, piece by piece (case kept).
///
/// Every emitted piece is ASCII, so folding is idempotent.
pub(crate) fn fold_char(c: char, emit: &mut impl FnMut(&str)) {
    if c.is_whitespace() {
        emit(" ");
        return;
    }
    decompose_compatible(c, |d| {
        if d.is_ascii() {
            emit(d.encode_utf8(&mut [0; 4]));
        } else if d.is_whitespace() {
            emit(" ");
        } else if !(is_combining_mark(d) || is_regional_indicator(d)) {
            let s = match d {
                // any_ascii title-cases these ("Ae"); keep an all-caps source all caps.
                'Æ' => "AE",
                'Œ' => "OE",
                'ẞ' => "SS",
                _ => any_ascii_char(d),
            };
            if !is_emoji_shortcode(s) {
                emit(s);
            }
        }
    });
}

/// The first space-separated token of a normalized value.
#[inline]
pub(crate) fn first_token(s: &str) -> &str {
    // A byte scan rather than `split(' ')`: the pair loop calls this, and the
    // scan inlines where the pattern searcher does not.
    match s.bytes().position(|b| b == b' ') {
        Some(end) => &s[..end],
        None => s,
    }
}

/// Flag letters (U+1F1E6..U+1F1FF): noise in a person record.
fn is_regional_indicator(c: char) -> bool {
    ('\u{1F1E6}'..='\u{1F1FF}').contains(&c)
}

/// `any_ascii` renders emoji as `:name:`; those are dropped.
fn is_emoji_shortcode(s: &str) -> bool {
    s.len() >= 3
        && s.starts_with(':')
        && s.ends_with(':')
        && s[1..s.len() - 1].bytes().all(|b| b.is_ascii_alphanumeric() || b"_+-".contains(&b))
}

/// Removes leading and trailing Unicode whitespace.
///
/// ```
/// use personlink::normalize::{Normalizer, Trim};
/// let mut out = String::new();
/// Trim.normalize("\u{a0} Jean\t", &mut out);
/// assert_eq!(out, "Jean");
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Trim;

impl Normalizer for Trim {
    fn normalize(&self, input: &str, out: &mut String) {
        out.push_str(input.trim());
    }
}

/// Replaces every run of Unicode whitespace (spaces, tabs, newlines, NBSP, ...)
/// and control characters (NUL, escape, ...) by one ASCII space, and trims
/// both ends: no normalized value carries a control character to a
/// terminal, a file or a comparison.
///
/// ```
/// use personlink::normalize::{CollapseWhitespace, Normalizer};
/// let mut out = String::new();
/// CollapseWhitespace.normalize(" Jean \t\u{a0}\n Pierre\u{1b}[31m ", &mut out);
/// assert_eq!(out, "Jean Pierre [31m");
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CollapseWhitespace;

impl Normalizer for CollapseWhitespace {
    fn normalize(&self, input: &str, out: &mut String) {
        push_joined(input.split(|c: char| c.is_whitespace() || c.is_control()), out);
    }
}

/// Appends the non-empty tokens joined by single ASCII spaces.
pub(super) fn push_joined<'a>(tokens: impl Iterator<Item = &'a str>, out: &mut String) {
    let mut first = true;
    for tok in tokens.filter(|t| !t.is_empty()) {
        if !first {
            out.push(' ');
        }
        out.push_str(tok);
        first = false;
    }
}

/// Unicode lowercase (per character, no locale, no final-sigma rule), with an
/// ASCII fast path.
///
/// ```
/// use personlink::normalize::{CaseFold, Normalizer};
/// let mut out = String::new();
/// CaseFold.normalize("ÉLODIE Dupont", &mut out);
/// assert_eq!(out, "élodie dupont");
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CaseFold;

impl Normalizer for CaseFold {
    fn normalize(&self, input: &str, out: &mut String) {
        if input.is_ascii() {
            let start = out.len();
            out.push_str(input);
            out[start..].make_ascii_lowercase();
        } else {
            for c in input.chars() {
                if c.is_ascii() {
                    out.push(c.to_ascii_lowercase());
                } else {
                    out.extend(c.to_lowercase());
                }
            }
        }
    }
}

/// Folds to ASCII keeping case: like [`ascii_fold`] without the lowercasing
/// (`é`→`e`, `Æ`→`AE`, `œ`→`oe`, `ß`→`ss`, `Ø`→`O`, `ł`→`l`; emoji dropped).
///
/// ```
/// use personlink::normalize::{FoldAccents, Normalizer};
/// let mut out = String::new();
/// FoldAccents.normalize("Ñúñez Æsa Müller", &mut out);
/// assert_eq!(out, "Nunez AEsa Muller");
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FoldAccents;

impl Normalizer for FoldAccents {
    fn normalize(&self, input: &str, out: &mut String) {
        fold_into(input, out, false);
    }
}

/// Removes apostrophes, turns every other punctuation or symbol into a space,
/// then collapses spaces and trims.
///
/// Apostrophes (`'`, `’`, `‘`, `ʼ`, `ʻ`, `` ` ``, `´`, `′`, `＇`) are deleted so that
/// "O'Brien" becomes "OBrien"; letters, digits and combining marks are kept;
/// invisible format characters (soft hyphen, zero-width space/joiners, BOM) are
/// deleted; everything else (hyphens, dots, commas, slashes, brackets, symbols,
/// whitespace, controls) separates tokens.
///
/// ```
/// use personlink::normalize::{Normalizer, StripPunctuation};
/// let mut out = String::new();
/// StripPunctuation.normalize("D'Artagnan, Jean-Pierre (Jr.)", &mut out);
/// assert_eq!(out, "DArtagnan Jean Pierre Jr");
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct StripPunctuation;

enum CharClass {
    Keep,
    Delete,
    Separate,
}

fn punct_class(c: char) -> CharClass {
    if c.is_ascii() {
        return match c {
            'a'..='z' | 'A'..='Z' | '0'..='9' => CharClass::Keep,
            '\'' | '`' => CharClass::Delete,
            _ => CharClass::Separate,
        };
    }
    match c {
        '\u{2019}' | '\u{2018}' | '\u{02BC}' | '\u{02BB}' | '\u{00B4}' | '\u{2032}'
        | '\u{FF07}' => CharClass::Delete,
        '\u{00AD}' | '\u{200B}'..='\u{200F}' | '\u{2060}'..='\u{2064}' | '\u{FEFF}' => {
            CharClass::Delete
        }
        _ if c.is_alphanumeric() || is_combining_mark(c) => CharClass::Keep,
        _ => CharClass::Separate,
    }
}

impl Normalizer for StripPunctuation {
    fn normalize(&self, input: &str, out: &mut String) {
        let start = out.len();
        let mut pending_space = false;
        for c in input.chars() {
            match punct_class(c) {
                CharClass::Keep => {
                    if pending_space && out.len() > start {
                        out.push(' ');
                    }
                    pending_space = false;
                    out.push(c);
                }
                CharClass::Delete => {}
                CharClass::Separate => pending_space = true,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fold(s: &str) -> String {
        let mut out = String::new();
        ascii_fold(s, &mut out);
        out
    }

    #[test]
    fn ascii_fold_appends() {
        let mut out = String::from("x:");
        ascii_fold("ÉTÉ", &mut out);
        ascii_fold("AB", &mut out);
        assert_eq!(out, "x:eteab");
    }

    #[test]
    fn ascii_fold_transliterates() {
        assert_eq!(fold("ß œ æ ø ł Ł Ø Æ"), "ss oe ae o l l o ae");
        assert_eq!(fold("Борис"), "boris");
        assert_eq!(fold("深圳"), "shenzhen");
        assert_eq!(fold("ﬁnance №5"), "finance no5");
    }

    #[test]
    fn ascii_fold_nfc_equals_nfd() {
        use unicode_normalization::UnicodeNormalization;
        for s in ["François", "Zoë", "Ñúñez", "Ἀθῆναι", "한국", "Điện Biên Phủ", "Å ǅ ǈ"]
        {
            let nfd: String = s.nfd().collect();
            let nfc: String = s.nfc().collect();
            assert_eq!(fold(&nfd), fold(&nfc), "{s}");
            assert_eq!(
                FoldAccents.normalize_to_string(&nfd),
                FoldAccents.normalize_to_string(&nfc),
                "{s}"
            );
        }
    }

    #[test]
    fn ascii_fold_drops_emoji_and_marks() {
        assert_eq!(fold("Jean 👑 😀 🇫🇷 👩\u{200d}👩\u{200d}👧"), "jean    ");
        let mut many = String::from("e");
        many.extend(std::iter::repeat_n('\u{301}', 10_000));
        assert_eq!(fold(&many), "e");
        assert_eq!(fold("a\u{a0}b\u{2003}c\u{3000}d"), "a b c d");
    }

    #[test]
    fn fold_accents_keeps_case() {
        assert_eq!(
            FoldAccents.normalize_to_string("Æ æ Œ œ ẞ ß Ø ø Ł ł É"),
            "AE ae OE oe SS ss O o L l E"
        );
    }

    #[test]
    fn case_fold_unicode_and_ascii() {
        assert_eq!(CaseFold.normalize_to_string("ÀÉÎ Σ ABC"), "àéî σ abc");
        assert_eq!(CaseFold.normalize_to_string("İ"), "i\u{307}");
    }

    #[test]
    fn case_fold_idempotent_on_every_char() {
        for c in (0..=0x10FFFF_u32).filter_map(char::from_u32) {
            let once = CaseFold.normalize_to_string(c.encode_utf8(&mut [0; 4]));
            assert_eq!(CaseFold.normalize_to_string(&once), once, "U+{:04X}", c as u32);
        }
    }

    #[test]
    fn fold_idempotent_on_every_char() {
        for c in (0..=0x10FFFF_u32).filter_map(char::from_u32) {
            let once = FoldAccents.normalize_to_string(c.encode_utf8(&mut [0; 4]));
            assert!(once.is_ascii());
            assert_eq!(FoldAccents.normalize_to_string(&once), once, "U+{:04X}", c as u32);
        }
    }

    #[test]
    fn whitespace_steps() {
        assert_eq!(Trim.normalize_to_string("\u{a0}\t x y \n"), "x y");
        assert_eq!(
            CollapseWhitespace.normalize_to_string("\u{a0}a\t\tb\r\n\u{2028}c\u{3000}"),
            "a b c"
        );
        assert_eq!(CollapseWhitespace.normalize_to_string(" \t "), "");
    }

    #[test]
    fn strip_punctuation_rules() {
        assert_eq!(StripPunctuation.normalize_to_string("O'Brien"), "OBrien");
        assert_eq!(StripPunctuation.normalize_to_string("O’Brien ʼ `x´"), "OBrien x");
        assert_eq!(StripPunctuation.normalize_to_string("a-b.c,d/e(f)[g]{h}"), "a b c d e f g h");
        assert_eq!(StripPunctuation.normalize_to_string(" -- . "), "");
        assert_eq!(
            StripPunctuation.normalize_to_string("Zo\u{eb} Zoe\u{308}"),
            "Zo\u{eb} Zoe\u{308}"
        );
        assert_eq!(
            StripPunctuation.normalize_to_string("soft\u{ad}hyphen zero\u{200b}width"),
            "softhyphen zerowidth"
        );
    }
}
