//! String and value similarity kernels used by comparison levels.
//!
//! Every function here is a *similarity* in `[0, 1]` (1 for equal input) or a
//! distance named as such; all are symmetric and take any Unicode strings
//! (ASCII input runs on bytes). Inputs are normalized values,
//! already capped in length when a record is prepared, so the quadratic
//! fallbacks stay bounded. The kernels come from the `rapidfuzz` crate, which
//! runs bit-parallel and allocation-free on inputs of at most 64 elements;
//! `strsim` is the reference they are tested against (bit-identical scores).

use rapidfuzz::distance::{jaro_winkler, levenshtein, osa};

/// Jaro-Winkler similarity (prefix scale 0.1, up to 4 prefix characters).
///
/// ```
/// use personlink::compare::similarity::jaro_winkler;
/// let s = jaro_winkler("martha", "marhta");
/// assert!((s - 0.9611).abs() < 1e-4);
/// assert_eq!(jaro_winkler("", ""), 1.0);
/// assert_eq!(jaro_winkler("zoé", "zoe"), jaro_winkler("zoe", "zoé"));
/// ```
pub fn jaro_winkler(a: &str, b: &str) -> f64 {
    jaro_winkler_with(a, b, a.is_ascii() && b.is_ascii())
}

/// [`jaro_winkler`] for callers that know whether both strings are ASCII
/// (`ascii`; the kernel then runs on bytes).
pub(crate) fn jaro_winkler_with(a: &str, b: &str, ascii: bool) -> f64 {
    if a == b {
        return 1.0;
    }
    if ascii && a.len() <= 64 && b.len() <= 64 {
        return jaro_winkler_short(a.as_bytes(), b.as_bytes());
    }
    if ascii {
        jaro_winkler::similarity(a.bytes(), b.bytes())
    } else {
        jaro_winkler::similarity(a.chars(), b.chars())
    }
}

/// Jaro-Winkler on byte strings of at most 64 bytes, with the match flags held
/// in two `u64` bitmasks: no table to build or clear, no allocation. Gives the
/// same value as `strsim::jaro_winkler` (the same sums in the same order).
fn jaro_winkler_short(a: &[u8], b: &[u8]) -> f64 {
    let (la, lb) = (a.len(), b.len());
    if la == 0 && lb == 0 {
        return 1.0;
    }
    if la == 0 || lb == 0 {
        return 0.0;
    }
    let range = (la.max(lb) / 2).saturating_sub(1);
    // Positions in `b` of the bytes falling in each of 64 slots, as bitmasks. Bytes
    // sharing a slot are told apart below; 64 slots keep the table at 512 bytes.
    let mut positions = [0u64; 64];
    for (j, &y) in b.iter().enumerate() {
        positions[usize::from(y & 63)] |= 1 << j;
    }
    let (mut a_flags, mut b_flags) = (0u64, 0u64);
    let mut matches = 0usize;
    for (i, &x) in a.iter().enumerate() {
        let lo = i.saturating_sub(range);
        let hi = lb.min(i + range + 1);
        if lo >= hi {
            continue;
        }
        // Bits lo..hi set: the search window in `b`.
        let window = (u64::MAX >> (64 - (hi - lo))) << lo;
        let mut free = positions[usize::from(x & 63)] & window & !b_flags;
        // The lowest free position holding `x` is the one the reference scan takes.
        while free != 0 {
            let bit = free & free.wrapping_neg();
            if b[bit.trailing_zeros() as usize] == x {
                b_flags |= bit;
                a_flags |= 1 << i;
                matches += 1;
                break;
            }
            free &= free - 1;
        }
    }
    if matches == 0 {
        return 0.0;
    }
    let mut transpositions = 0usize;
    let mut rest_b = b_flags;
    let mut rest_a = a_flags;
    while rest_a != 0 {
        let i = rest_a.trailing_zeros() as usize;
        let j = rest_b.trailing_zeros() as usize;
        if a[i] != b[j] {
            transpositions += 1;
        }
        rest_a &= rest_a - 1;
        rest_b &= rest_b - 1;
    }
    transpositions /= 2;
    let m = matches as f64;
    let jaro = (m / la as f64 + m / lb as f64 + (matches - transpositions) as f64 / m) / 3.0;
    if jaro > 0.7 {
        let prefix = a.iter().zip(b).take(4).take_while(|(x, y)| x == y).count();
        jaro + 0.1 * prefix as f64 * (1.0 - jaro)
    } else {
        jaro
    }
}

/// Normalized Levenshtein similarity: `1 - distance / max(len_a, len_b)`, in characters.
///
/// ```
/// use personlink::compare::similarity::levenshtein;
/// assert_eq!(levenshtein("kitten", "sitten"), 1.0 - 1.0 / 6.0);
/// assert_eq!(levenshtein("zoé", "zoe"), 1.0 - 1.0 / 3.0);
/// ```
pub fn levenshtein(a: &str, b: &str) -> f64 {
    levenshtein_with(a, b, a.is_ascii() && b.is_ascii())
}

/// [`levenshtein`] for callers that know whether both strings are ASCII.
pub(crate) fn levenshtein_with(a: &str, b: &str, ascii: bool) -> f64 {
    if a == b {
        return 1.0;
    }
    if ascii && a.len().min(b.len()) <= 64 {
        let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
        let distance = levenshtein_short(short.as_bytes(), long.as_bytes());
        return 1.0 - distance as f64 / long.len() as f64;
    }
    if ascii {
        levenshtein::normalized_similarity(a.bytes(), b.bytes())
    } else {
        levenshtein::normalized_similarity(a.chars(), b.chars())
    }
}

/// Levenshtein distance with the pattern `a` (ASCII, at most 64 bytes) held in
/// machine words: Hyyrö's bit-parallel algorithm, one step per byte of `b`.
fn levenshtein_short(a: &[u8], b: &[u8]) -> usize {
    let m = a.len();
    if m == 0 {
        return b.len();
    }
    let mut peq = [0u64; 128];
    for (i, &c) in a.iter().enumerate() {
        peq[usize::from(c & 127)] |= 1 << i;
    }
    let mut vp: u64 = if m == 64 { u64::MAX } else { (1 << m) - 1 };
    let mut vn: u64 = 0;
    let last = 1u64 << (m - 1);
    let mut score = m;
    for &c in b {
        let pm = peq[usize::from(c & 127)];
        let x = pm | vn;
        let d0 = ((x & vp).wrapping_add(vp) ^ vp) | x;
        let hp = vn | !(d0 | vp);
        let hn = vp & d0;
        if hp & last != 0 {
            score += 1;
        } else if hn & last != 0 {
            score -= 1;
        }
        let hp = (hp << 1) | 1;
        let hn = hn << 1;
        vp = hn | !(d0 | hp);
        vn = hp & d0;
    }
    score
}

/// Optimal-string-alignment distance (Damerau-Levenshtein restricted to adjacent
/// transpositions that are not edited again), in characters.
///
/// ```
/// use personlink::compare::similarity::osa_distance;
/// assert_eq!(osa_distance("1234", "1243"), 1);
/// assert_eq!(osa_distance("ca", "abc"), 3);
/// assert_eq!(osa_distance("é", "e"), 1);
/// ```
pub fn osa_distance(a: &str, b: &str) -> usize {
    osa_distance_with(a, b, a.is_ascii() && b.is_ascii())
}

/// [`osa_distance`] for callers that know whether both strings are ASCII.
pub(crate) fn osa_distance_with(a: &str, b: &str, ascii: bool) -> usize {
    if a == b {
        return 0;
    }
    if ascii {
        osa::distance(a.bytes(), b.bytes())
    } else {
        osa::distance(a.chars(), b.chars())
    }
}

/// True when `a` and `b` are at most `max` OSA edits apart. For `max <= 1` this
/// is one linear pass; larger bounds fall back to [`osa_distance`] after a
/// length check.
///
/// ```
/// use personlink::compare::similarity::within_edits;
/// assert!(within_edits("75011", "75101", 1)); // adjacent swap
/// assert!(within_edits("75011", "7501", 1)); // deletion
/// assert!(!within_edits("75011", "75122", 1));
/// assert!(within_edits("zoé", "zoe", 1));
/// ```
pub fn within_edits(a: &str, b: &str, max: usize) -> bool {
    within_edits_with(a, b, max, a.is_ascii() && b.is_ascii())
}

/// [`within_edits`] for callers that know whether both strings are ASCII.
pub(crate) fn within_edits_with(a: &str, b: &str, max: usize, ascii: bool) -> bool {
    if a == b {
        return true;
    }
    if !ascii || max > 1 {
        let (la, lb) =
            if ascii { (a.len(), b.len()) } else { (a.chars().count(), b.chars().count()) };
        return la.abs_diff(lb) <= max && osa_distance_with(a, b, ascii) <= max;
    }
    if max == 0 {
        return false;
    }
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    match long.len() - short.len() {
        0 => {
            let first = match a.iter().zip(b).position(|(x, y)| x != y) {
                Some(p) => p,
                None => return true,
            };
            // One substitution, or one swap of adjacent characters.
            a[first + 1..] == b[first + 1..]
                || (first + 1 < a.len()
                    && a[first] == b[first + 1]
                    && a[first + 1] == b[first]
                    && a[first + 2..] == b[first + 2..])
        }
        1 => {
            let first = short.iter().zip(long).position(|(x, y)| x != y).unwrap_or(short.len());
            short[first..] == long[first + 1..]
        }
        _ => false,
    }
}

/// Normalized Damerau (OSA) similarity: `1 - osa / max(len_a, len_b)`.
///
/// ```
/// use personlink::compare::similarity::damerau;
/// assert_eq!(damerau("1234", "1243"), 0.75);
/// ```
pub fn damerau(a: &str, b: &str) -> f64 {
    damerau_with(a, b, a.is_ascii() && b.is_ascii())
}

/// [`damerau`] for callers that know whether both strings are ASCII.
pub(crate) fn damerau_with(a: &str, b: &str, ascii: bool) -> f64 {
    if a == b {
        return 1.0;
    }
    let (la, lb) = if ascii { (a.len(), b.len()) } else { (a.chars().count(), b.chars().count()) };
    let longest = la.max(lb);
    if longest == 0 {
        return 1.0;
    }
    1.0 - osa_distance_with(a, b, ascii) as f64 / longest as f64
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
            assert_eq!(jaro_winkler_with(a, b, ascii), strsim::jaro_winkler(a, b), "jw {a} {b}");
            assert_eq!(
                levenshtein_with(a, b, ascii),
                strsim::normalized_levenshtein(a, b),
                "lev {a} {b}"
            );
            assert_eq!(osa_distance_with(a, b, ascii), strsim::osa_distance(a, b), "osa {a} {b}");
        }
    }

    proptest::proptest! {
        #[test]
        fn short_jaro_winkler_is_bit_identical_to_strsim(a in "[a-e !A%0-2]{0,70}", b in "[a-e !A%0-2]{0,70}") {
            proptest::prop_assert_eq!(jaro_winkler_with(&a, &b, true), strsim::jaro_winkler(&a, &b));
        }

        #[test]
        fn kernels_are_symmetric_and_bounded(a in "\\PC{0,20}", b in "\\PC{0,20}") {
            let ascii = a.is_ascii() && b.is_ascii();
            for (x, y) in [
                (jaro_winkler_with(&a, &b, ascii), jaro_winkler_with(&b, &a, ascii)),
                (levenshtein_with(&a, &b, ascii), levenshtein_with(&b, &a, ascii)),
                (damerau_with(&a, &b, ascii), damerau_with(&b, &a, ascii)),
            ] {
                proptest::prop_assert_eq!(x, y);
                proptest::prop_assert!((0.0..=1.0).contains(&x));
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn short_levenshtein_is_bit_identical_to_strsim(a in "[a-d @.]{0,70}", b in "[a-d @.]{0,90}") {
            proptest::prop_assert_eq!(levenshtein_with(&a, &b, true), strsim::normalized_levenshtein(&a, &b));
        }

        #[test]
        fn within_one_edit_agrees_with_osa(a in "[a-c]{0,8}", b in "[a-c]{0,8}") {
            proptest::prop_assert_eq!(within_edits_with(&a, &b, 1, true), strsim::osa_distance(&a, &b) <= 1);
            proptest::prop_assert_eq!(within_edits_with(&a, &b, 2, true), strsim::osa_distance(&a, &b) <= 2);
            proptest::prop_assert_eq!(within_edits_with(&a, &b, 0, true), a == b);
        }
    }

    #[test]
    fn public_functions_pick_the_kernel_themselves() {
        for &(a, b) in PAIRS {
            let ascii = a.is_ascii() && b.is_ascii();
            assert_eq!(jaro_winkler(a, b), jaro_winkler_with(a, b, ascii));
            assert_eq!(levenshtein(a, b), strsim::normalized_levenshtein(a, b));
            assert_eq!(osa_distance(a, b), strsim::osa_distance(a, b));
            assert_eq!(damerau(a, b), damerau_with(a, b, ascii));
            assert_eq!(within_edits(a, b, 1), strsim::osa_distance(a, b) <= 1);
        }
    }

    #[test]
    fn jaccard_counts_common_tokens() {
        assert_eq!(token_jaccard(&[], &[]), 1.0);
        assert_eq!(token_jaccard(&[1], &[]), 0.0);
        assert_eq!(token_jaccard(&[1, 5, 9], &[1, 5, 9]), 1.0);
    }
}
