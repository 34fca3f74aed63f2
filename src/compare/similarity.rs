//! String and value similarity kernels used by comparison levels.
//!
//! Every function here is a *similarity* in `[0, 1]` (1 for equal input) or a
//! distance named as such; all are symmetric. Inputs are normalized values,
//! already capped in length when a record is prepared, so the quadratic
//! fallbacks stay bounded. The kernels come from the `rapidfuzz` crate, which
//! runs bit-parallel and allocation-free on inputs of at most 64 elements;
//! `strsim` is the reference they are tested against (bit-identical scores).

use rapidfuzz::distance::{jaro_winkler, levenshtein, osa};

/// Jaro-Winkler similarity (prefix scale 0.1, up to 4 prefix characters).
///
/// Set `ascii` when both strings are ASCII: the kernel then runs on bytes.
///
/// ```
/// use personlink::compare::similarity::jaro_winkler;
/// let s = jaro_winkler("martha", "marhta", true);
/// assert!((s - 0.9611).abs() < 1e-4);
/// assert_eq!(jaro_winkler("", "", true), 1.0);
/// ```
pub fn jaro_winkler(a: &str, b: &str, ascii: bool) -> f64 {
    if a == b {
        return 1.0;
    }
    if ascii {
        jaro_winkler::similarity(a.bytes(), b.bytes())
    } else {
        jaro_winkler::similarity(a.chars(), b.chars())
    }
}

/// Normalized Levenshtein similarity: `1 - distance / max(len_a, len_b)`, in characters.
///
/// ```
/// use personlink::compare::similarity::levenshtein;
/// assert_eq!(levenshtein("kitten", "sitten", true), 1.0 - 1.0 / 6.0);
/// ```
pub fn levenshtein(a: &str, b: &str, ascii: bool) -> f64 {
    if a == b {
        return 1.0;
    }
    if ascii {
        levenshtein::normalized_similarity(a.bytes(), b.bytes())
    } else {
        levenshtein::normalized_similarity(a.chars(), b.chars())
    }
}

/// Optimal-string-alignment distance (Damerau-Levenshtein restricted to adjacent
/// transpositions that are not edited again), in characters.
///
/// ```
/// use personlink::compare::similarity::osa_distance;
/// assert_eq!(osa_distance("1234", "1243", true), 1);
/// assert_eq!(osa_distance("ca", "abc", true), 3);
/// ```
pub fn osa_distance(a: &str, b: &str, ascii: bool) -> usize {
    if a == b {
        return 0;
    }
    if ascii {
        osa::distance(a.bytes(), b.bytes())
    } else {
        osa::distance(a.chars(), b.chars())
    }
}

/// Normalized Damerau (OSA) similarity: `1 - osa / max(len_a, len_b)`.
///
/// ```
/// use personlink::compare::similarity::damerau;
/// assert_eq!(damerau("1234", "1243", true), 0.75);
/// ```
pub fn damerau(a: &str, b: &str, ascii: bool) -> f64 {
    if a == b {
        return 1.0;
    }
    let (la, lb) = if ascii { (a.len(), b.len()) } else { (a.chars().count(), b.chars().count()) };
    let longest = la.max(lb);
    if longest == 0 {
        return 1.0;
    }
    1.0 - osa_distance(a, b, ascii) as f64 / longest as f64
}

/// Jaccard overlap of two sorted, deduplicated token-id lists: `|A ∩ B| / |A ∪ B|`.
///
/// Two empty lists are equal (1.0).
///
/// ```
/// use personlink::compare::similarity::token_jaccard;
/// assert_eq!(token_jaccard(&[1, 2, 3], &[2, 3, 4]), 0.5);
/// ```
pub fn token_jaccard(a: &[u32], b: &[u32]) -> f64 {
    if a.is_empty() && b.is_empty() {
        return 1.0;
    }
    let (mut i, mut j, mut common) = (0, 0, 0usize);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                common += 1;
                i += 1;
                j += 1;
            }
        }
    }
    common as f64 / (a.len() + b.len() - common) as f64
}

/// The first whitespace-separated token of a normalized value.
pub(crate) fn first_token(s: &str) -> &str {
    s.split(' ').next().unwrap_or("")
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAIRS: &[(&str, &str)] = &[
        ("martha", "marhta"),
        ("dixon", "dicksonx"),
        ("jean pierre", "jean"),
        ("francois", "fracnois"),
        ("", "abc"),
        ("abc", ""),
        ("lefevre", "lefebvre"),
        ("zoé", "zoe"),
        ("müller", "mueller"),
        ("a", "a"),
        ("12 rue de la paix", "12 r de la paix"),
    ];

    #[test]
    fn kernels_agree_with_strsim() {
        for &(a, b) in PAIRS {
            let ascii = a.is_ascii() && b.is_ascii();
            assert_eq!(jaro_winkler(a, b, ascii), strsim::jaro_winkler(a, b), "jw {a} {b}");
            assert_eq!(
                levenshtein(a, b, ascii),
                strsim::normalized_levenshtein(a, b),
                "lev {a} {b}"
            );
            assert_eq!(osa_distance(a, b, ascii), strsim::osa_distance(a, b), "osa {a} {b}");
        }
    }

    #[test]
    fn jaccard_counts_common_tokens() {
        assert_eq!(token_jaccard(&[], &[]), 1.0);
        assert_eq!(token_jaccard(&[1], &[]), 0.0);
        assert_eq!(token_jaccard(&[1, 5, 9], &[1, 5, 9]), 1.0);
    }
}
