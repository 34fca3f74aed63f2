//! String helpers for rendering and corrupting values: accent folding, case
//! changes and keyboard/OCR typos.

use super::names::{AZERTY, QWERTY};
use super::rng::Rng;

/// The ASCII spelling of a Latin letter with a diacritic, if it has one.
fn fold_char(c: char) -> Option<&'static str> {
    Some(match c {
        'à' | 'á' | 'â' | 'ä' | 'ã' | 'å' => "a",
        'À' | 'Á' | 'Â' | 'Ä' | 'Ã' | 'Å' => "A",
        'ç' => "c",
        'Ç' => "C",
        'é' | 'è' | 'ê' | 'ë' => "e",
        'É' | 'È' | 'Ê' | 'Ë' => "E",
        'í' | 'ì' | 'î' | 'ï' => "i",
        'Í' | 'Ì' | 'Î' | 'Ï' => "I",
        'ó' | 'ò' | 'ô' | 'ö' | 'õ' | 'ø' => "o",
        'Ó' | 'Ò' | 'Ô' | 'Ö' | 'Õ' | 'Ø' => "O",
        'ú' | 'ù' | 'û' | 'ü' => "u",
        'Ú' | 'Ù' | 'Û' | 'Ü' => "U",
        'ý' | 'ÿ' => "y",
        'Ý' | 'Ÿ' => "Y",
        'ñ' => "n",
        'Ñ' => "N",
        'œ' => "oe",
        'Œ' => "OE",
        'æ' => "ae",
        'Æ' => "AE",
        'ß' => "ss",
        '’' => "'",
        _ => return None,
    })
}

/// Drops diacritics: "Lefèvre" → "Lefevre", "Bœuf" → "Boeuf".
pub(super) fn fold_accents(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match fold_char(c) {
            Some(f) => out.push_str(f),
            None => out.push(c),
        }
    }
    out
}

/// True when `s` has a letter and no lowercase letter.
pub(super) fn is_all_upper(s: &str) -> bool {
    s.chars().any(char::is_alphabetic) && !s.chars().any(char::is_lowercase)
}

/// True when `s` has a letter and no uppercase letter.
pub(super) fn is_all_lower(s: &str) -> bool {
    s.chars().any(char::is_alphabetic) && !s.chars().any(char::is_uppercase)
}

/// Upper-cases the first letter of every word (split on space, hyphen and
/// apostrophe) and lower-cases the rest: "DE LA FONTAINE" → "De La Fontaine".
pub(super) fn title_case(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut start = true;
    for c in s.chars() {
        if start {
            out.extend(c.to_uppercase());
        } else {
            out.extend(c.to_lowercase());
        }
        start = matches!(c, ' ' | '-' | '\'' | '’');
    }
    out
}

/// Upper-cases the first letter and lower-cases the rest: "LA FONTAINE" → "La fontaine".
pub(super) fn capitalize_first(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for (i, c) in s.chars().enumerate() {
        if i == 0 {
            out.extend(c.to_uppercase());
        } else {
            out.extend(c.to_lowercase());
        }
    }
    out
}

/// Writes into `out` a name as it appears in an email address: folded,
/// lower-case, letters only (hyphens kept when `keep_hyphen`).
pub(super) fn email_part(out: &mut String, s: &str, keep_hyphen: bool) {
    out.clear();
    for c in s.chars() {
        match fold_char(c) {
            Some(f) => out.extend(
                f.chars().filter(char::is_ascii_alphabetic).map(|c| c.to_ascii_lowercase()),
            ),
            None if c.is_ascii_alphabetic() || (keep_hyphen && c == '-') => {
                out.push(c.to_ascii_lowercase())
            }
            None => {}
        }
    }
}

/// Applies `f` to `s`'s case after the fact: a replacement for an upper-case
/// value is upper-cased, for a lower-case value lower-cased.
pub(super) fn match_case(model: &str, s: &str) -> String {
    if is_all_upper(model) {
        s.to_uppercase()
    } else if is_all_lower(model) {
        s.to_lowercase()
    } else {
        s.to_owned()
    }
}

/// A keyboard neighbour of `c` (keeping its case), if `c` is an ASCII letter.
fn neighbour(rng: &mut Rng, c: char, azerty: bool) -> Option<char> {
    if !c.is_ascii_alphabetic() {
        return None;
    }
    let lower = c.to_ascii_lowercase();
    let row = if azerty { AZERTY } else { QWERTY }[usize::from(lower as u8 - b'a')].as_bytes();
    let n = char::from(*rng.pick(row));
    Some(if c.is_ascii_uppercase() { n.to_ascii_uppercase() } else { n })
}

/// OCR-like confusions, tried in both directions.
const OCR: &[(&str, &str)] = &[
    ("rn", "m"),
    ("m", "rn"),
    ("o", "0"),
    ("O", "0"),
    ("l", "1"),
    ("I", "l"),
    ("cl", "d"),
    ("vv", "w"),
];

/// One typo: keyboard-neighbour substitution, insertion, deletion, adjacent
/// transposition or an OCR-like confusion. `None` when `s` has no letter or
/// the result would equal `s`.
pub(super) fn typo(rng: &mut Rng, s: &str, azerty: bool) -> Option<String> {
    let mut chars: Vec<char> = s.chars().collect();
    let letters: Vec<usize> =
        chars.iter().enumerate().filter(|(_, c)| c.is_alphabetic()).map(|(i, _)| i).collect();
    if letters.is_empty() {
        return None;
    }
    let op = rng.below(5);
    if op == 4 {
        let start = rng.below(OCR.len());
        for k in 0..OCR.len() {
            let (from, to) = OCR[(start + k) % OCR.len()];
            if let Some(pos) = s.find(from) {
                let mut out = String::with_capacity(s.len() + 1);
                out.push_str(&s[..pos]);
                out.push_str(to);
                out.push_str(&s[pos + from.len()..]);
                return Some(out);
            }
        }
    }
    let p = *rng.pick(&letters);
    match op {
        1 => {
            let c = if rng.chance(0.5) {
                chars[p]
            } else {
                neighbour(rng, chars[p], azerty).unwrap_or(chars[p])
            };
            chars.insert(p, c);
        }
        2 if chars.len() >= 3 => {
            chars.remove(p);
        }
        3 if p + 1 < chars.len() && chars[p] != chars[p + 1] && chars[p + 1].is_alphabetic() => {
            chars.swap(p, p + 1);
        }
        _ => {
            let c = chars[p];
            let sub = neighbour(rng, c, azerty).unwrap_or(if c.is_uppercase() { 'E' } else { 'e' });
            chars[p] = sub;
        }
    }
    let out: String = chars.into_iter().collect();
    (out != s).then_some(out)
}

/// Changes one digit among the last `window` digits of `s`, keeping the rest.
pub(super) fn digit_typo(rng: &mut Rng, s: &str, window: usize) -> Option<String> {
    let digits: Vec<usize> =
        s.char_indices().filter(|(_, c)| c.is_ascii_digit()).map(|(i, _)| i).collect();
    if digits.is_empty() {
        return None;
    }
    let from = digits.len().saturating_sub(window);
    let pos = digits[from + rng.below(digits.len() - from)];
    let old = s.as_bytes()[pos];
    let new = b'0' + ((old - b'0') + 1 + rng.below(9) as u8) % 10;
    let mut out = s.to_owned().into_bytes();
    out[pos] = new;
    String::from_utf8(out).ok()
}

/// Swaps two adjacent, different digits of an all-digit string.
pub(super) fn digit_transposition(rng: &mut Rng, s: &str) -> Option<String> {
    let b = s.as_bytes();
    let candidates: Vec<usize> = (0..b.len().saturating_sub(1))
        .filter(|&i| b[i].is_ascii_digit() && b[i + 1].is_ascii_digit() && b[i] != b[i + 1])
        .collect();
    if candidates.is_empty() {
        return None;
    }
    let i = *rng.pick(&candidates);
    let mut out = b.to_vec();
    out.swap(i, i + 1);
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding() {
        assert_eq!(fold_accents("François Lefèvre"), "Francois Lefevre");
        assert_eq!(fold_accents("L'Haÿ-les-Roses Œuvray"), "L'Hay-les-Roses OEuvray");
        assert_eq!(fold_accents("Smith"), "Smith");
    }

    #[test]
    fn cases() {
        assert_eq!(title_case("DE LA FONTAINE"), "De La Fontaine");
        assert_eq!(title_case("jean-pierre o'brien"), "Jean-Pierre O'Brien");
        assert_eq!(capitalize_first("DELAFONTAINE"), "Delafontaine");
        assert!(is_all_upper("JEAN-PIERRE"));
        assert!(!is_all_upper("12"));
        assert!(is_all_lower("jean"));
        assert_eq!(match_case("HÉLÈNE", "Babeth"), "BABETH");
        let part = |s: &str, h: bool| {
            let mut out = String::from("junk");
            email_part(&mut out, s, h);
            out
        };
        assert_eq!(part("Jean-Pierre", true), "jean-pierre");
        assert_eq!(part("de La Fontaine", false), "delafontaine");
        assert_eq!(part("N'Diaye", false), "ndiaye");
        assert_eq!(part("Hélène Œuvray", false), "heleneoeuvray");
    }

    #[test]
    fn typos_change_the_string() {
        let mut r = Rng::new(5);
        for s in ["Martin", "Jean-Pierre", "Zoé", "O'Brien", "Li", "X"] {
            for _ in 0..200 {
                if let Some(t) = typo(&mut r, s, true) {
                    assert_ne!(t, s);
                }
                let _ = typo(&mut r, s, false);
            }
        }
        assert_eq!(typo(&mut r, "1234", false), None);
        assert_eq!(typo(&mut r, "", false), None);
    }

    #[test]
    fn digit_typos() {
        let mut r = Rng::new(6);
        for _ in 0..100 {
            let t = digit_typo(&mut r, "+33 6 12 34 56 78", 8).unwrap();
            assert_ne!(t, "+33 6 12 34 56 78");
            assert_eq!(t.len(), "+33 6 12 34 56 78".len());
            assert!(t.starts_with("+33 6"));
            let u = digit_transposition(&mut r, "1800275123456").unwrap();
            assert_ne!(u, "1800275123456");
        }
        assert_eq!(digit_typo(&mut r, "abc", 3), None);
        assert_eq!(digit_transposition(&mut r, "1111"), None);
    }
}
