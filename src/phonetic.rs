//! Phonetic codes for blocking keys and comparison levels.
//!
//! [`PhoneticEncoder`] wraps the encoders of the `rphonetic` crate behind one
//! call that is safe on any input:
//!
//! * the input is first folded to at most [`MAX_PHONETIC_INPUT`] uppercase ASCII
//!   letters (NFKD, combining marks dropped, `any_ascii` transliteration of the
//!   remaining letters, everything that is not a letter dropped), because several
//!   `rphonetic` encoders panic on non-ASCII input and their cost grows quickly
//!   with the input length;
//! * codes that carry no information (no letters at all, Caverphone's all-`1`
//!   padding) are reported as "no code" instead of being returned, so they can
//!   never form one giant block.
//!
//! Encoding allocates (every `rphonetic` encoder returns a `String`); it is meant
//! to run once per record at ingest, never once per pair.

use std::fmt;

use crate::hash::Fnv64;
use crate::normalize::fold_char;
use rphonetic::{
    Caverphone2, Cologne, DoubleMetaphone, Encoder, MatchRatingApproach, Metaphone, Nysiis,
    RefinedSoundex, Soundex,
};
use serde::{Deserialize, Serialize};

/// The longest input (in ASCII letters) given to an encoder; longer input is truncated.
///
/// Truncation happens after folding, so "Françoise" counts 9 letters. All the
/// encoders look only at the first few sounds of a name, so 32 letters lose
/// nothing for real names while bounding the cost of pathological input.
pub const MAX_PHONETIC_INPUT: usize = 32;

/// A phonetic algorithm offered by [`PhoneticEncoder`].
///
/// Serialized in `snake_case` (`"double_metaphone_alternate"`), the same string
/// as [`PhoneticAlgorithm::name`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum PhoneticAlgorithm {
    /// American Soundex: first letter and three digits ("Robert" → `R163`).
    Soundex,
    /// Refined Soundex: first letter and one digit per letter, finer classes
    /// ("Robert" → `R901096`); unbounded length (at most 33 characters here).
    RefinedSoundex,
    /// Original Metaphone, codes of at most 4 characters (`0` stands for "th").
    Metaphone,
    /// Double Metaphone, primary code, at most 4 characters ("Smith" → `SM0`).
    DoubleMetaphone,
    /// Double Metaphone, alternate code, at most 4 characters ("Smith" → `XMT`);
    /// equal to the primary code when the name has no alternate pronunciation.
    DoubleMetaphoneAlternate,
    /// NYSIIS, strict variant: codes of at most 6 letters.
    Nysiis,
    /// Caverphone 2.0: 10 characters, padded with `1`.
    Caverphone2,
    /// Kölner Phonetik (Cologne phonetics), for German names: digits only
    /// ("Müller" → `657`); unbounded length.
    Cologne,
    /// Match Rating Approach codex: at most 6 letters (first three and last three
    /// consonants). Names of one letter have no code.
    MatchRating,
}

impl PhoneticAlgorithm {
    /// Every algorithm, in declaration order.
    pub const ALL: [PhoneticAlgorithm; 9] = [
        PhoneticAlgorithm::Soundex,
        PhoneticAlgorithm::RefinedSoundex,
        PhoneticAlgorithm::Metaphone,
        PhoneticAlgorithm::DoubleMetaphone,
        PhoneticAlgorithm::DoubleMetaphoneAlternate,
        PhoneticAlgorithm::Nysiis,
        PhoneticAlgorithm::Caverphone2,
        PhoneticAlgorithm::Cologne,
        PhoneticAlgorithm::MatchRating,
    ];

    /// The algorithm's `snake_case` name, as used in configuration files.
    pub fn name(self) -> &'static str {
        match self {
            PhoneticAlgorithm::Soundex => "soundex",
            PhoneticAlgorithm::RefinedSoundex => "refined_soundex",
            PhoneticAlgorithm::Metaphone => "metaphone",
            PhoneticAlgorithm::DoubleMetaphone => "double_metaphone",
            PhoneticAlgorithm::DoubleMetaphoneAlternate => "double_metaphone_alternate",
            PhoneticAlgorithm::Nysiis => "nysiis",
            PhoneticAlgorithm::Caverphone2 => "caverphone2",
            PhoneticAlgorithm::Cologne => "cologne",
            PhoneticAlgorithm::MatchRating => "match_rating",
        }
    }

    /// A stable one-byte tag, mixed into [`PhoneticEncoder::encode_u64`] keys.
    /// Never renumber: keys may be persisted.
    fn tag(self) -> u8 {
        match self {
            PhoneticAlgorithm::Soundex => 1,
            PhoneticAlgorithm::RefinedSoundex => 2,
            PhoneticAlgorithm::Metaphone => 3,
            PhoneticAlgorithm::DoubleMetaphone => 4,
            PhoneticAlgorithm::DoubleMetaphoneAlternate => 5,
            PhoneticAlgorithm::Nysiis => 6,
            PhoneticAlgorithm::Caverphone2 => 7,
            PhoneticAlgorithm::Cologne => 8,
            PhoneticAlgorithm::MatchRating => 9,
        }
    }
}

impl fmt::Display for PhoneticAlgorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A reusable set of phonetic encoders.
///
/// Holds the constructed `rphonetic` encoders so nothing is rebuilt per call.
/// It is cheap to build, `Send + Sync`, and meant to be shared.
///
/// ```
/// use personlink::phonetic::{PhoneticAlgorithm, PhoneticEncoder};
///
/// let enc = PhoneticEncoder::new();
/// let mut code = String::new();
/// assert!(enc.encode(PhoneticAlgorithm::Soundex, "Robert", &mut code));
/// assert_eq!(code, "R163");
/// assert_eq!(
///     enc.encode_u64(PhoneticAlgorithm::DoubleMetaphone, "François"),
///     enc.encode_u64(PhoneticAlgorithm::DoubleMetaphone, "FRANCOIS"),
/// );
/// ```
#[derive(Debug, Clone)]
pub struct PhoneticEncoder {
    soundex: Soundex,
    refined_soundex: RefinedSoundex,
    metaphone: Metaphone,
    double_metaphone: DoubleMetaphone,
    nysiis: Nysiis,
    caverphone2: Caverphone2,
    cologne: Cologne,
    match_rating: MatchRatingApproach,
}

impl Default for PhoneticEncoder {
    fn default() -> Self {
        Self::new()
    }
}

impl PhoneticEncoder {
    /// Builds the encoders with their standard settings: Metaphone and Double
    /// Metaphone codes of at most 4 characters, strict NYSIIS (6 letters), US
    /// English Soundex mapping.
    pub fn new() -> Self {
        PhoneticEncoder {
            soundex: Soundex::default(),
            refined_soundex: RefinedSoundex::default(),
            metaphone: Metaphone::default(),
            double_metaphone: DoubleMetaphone::default(),
            nysiis: Nysiis::default(),
            caverphone2: Caverphone2,
            cologne: Cologne,
            match_rating: MatchRatingApproach,
        }
    }

    /// Encodes `input` (any Unicode) with `algo` and writes the code into `out`.
    ///
    /// The input is folded to ASCII letters first: NFKD, combining marks dropped,
    /// remaining letters transliterated with `any_ascii` ("ß" → "ss", "Ø" → "O"),
    /// then only `A`–`Z` kept, uppercased. Spaces, hyphens, apostrophes, digits,
    /// symbols and emoji are dropped, so "Le Gall" and "Legall" encode alike. At
    /// most [`MAX_PHONETIC_INPUT`] letters are kept.
    ///
    /// `out` is cleared first. Returns `false` and leaves `out` empty when there is
    /// no usable code: no letters in the input, an empty code, a code without a
    /// single letter for an algorithm whose codes start with a letter, or
    /// Caverphone's all-`1` padding. The return value always equals
    /// `!out.is_empty()`. Never panics.
    ///
    /// ```
    /// use personlink::phonetic::{PhoneticAlgorithm, PhoneticEncoder};
    ///
    /// let enc = PhoneticEncoder::new();
    /// let mut code = String::new();
    ///
    /// assert!(enc.encode(PhoneticAlgorithm::DoubleMetaphone, "Smith", &mut code));
    /// assert_eq!(code, "SM0");
    /// assert!(enc.encode(PhoneticAlgorithm::DoubleMetaphoneAlternate, "Smith", &mut code));
    /// assert_eq!(code, "XMT");
    ///
    /// // Accents and case do not matter.
    /// let mut other = String::new();
    /// enc.encode(PhoneticAlgorithm::Nysiis, "François", &mut code);
    /// enc.encode(PhoneticAlgorithm::Nysiis, "FRANCOIS", &mut other);
    /// assert_eq!(code, other);
    ///
    /// // No letters, no code.
    /// assert!(!enc.encode(PhoneticAlgorithm::Caverphone2, "--- 123", &mut code));
    /// assert!(code.is_empty());
    /// ```
    pub fn encode(&self, algo: PhoneticAlgorithm, input: &str, out: &mut String) -> bool {
        out.clear();
        let mut letters = Letters::new();
        letters.fold(input);
        let Some(code) = self.raw_code(algo, letters.as_str()) else {
            return false;
        };
        out.push_str(&code);
        true
    }

    /// Encodes like [`encode`](Self::encode) and packs the code into a `u64` key;
    /// `0` means "no code".
    ///
    /// The key is the 64-bit FNV-1a hash of one algorithm tag byte followed by the
    /// code's ASCII bytes (a hash that happens to be `0` is replaced by `1`). It is
    /// deterministic across runs, platforms and builds, and keys of different
    /// algorithms differ even when their codes are the same string. Distinct codes
    /// colliding is possible in principle (FNV-1a is not collision-free) but
    /// vanishingly rare for codes of at most 33 characters; a collision only merges
    /// two blocks.
    pub fn encode_u64(&self, algo: PhoneticAlgorithm, input: &str) -> u64 {
        let mut letters = Letters::new();
        letters.fold(input);
        match self.raw_code(algo, letters.as_str()) {
            Some(code) => key_of(algo, code.as_bytes()),
            None => 0,
        }
    }

    /// Runs the encoder on already folded letters and validates the code.
    fn raw_code(&self, algo: PhoneticAlgorithm, letters: &str) -> Option<String> {
        if letters.is_empty() {
            return None;
        }
        let code = match algo {
            PhoneticAlgorithm::Soundex => self.soundex.encode(letters),
            PhoneticAlgorithm::RefinedSoundex => self.refined_soundex.encode(letters),
            PhoneticAlgorithm::Metaphone => self.metaphone.encode(letters),
            PhoneticAlgorithm::DoubleMetaphone => self.double_metaphone.encode(letters),
            PhoneticAlgorithm::DoubleMetaphoneAlternate => {
                self.double_metaphone.encode_alternate(letters)
            }
            PhoneticAlgorithm::Nysiis => self.nysiis.encode(letters),
            PhoneticAlgorithm::Caverphone2 => self.caverphone2.encode(letters),
            PhoneticAlgorithm::Cologne => self.cologne.encode(letters),
            PhoneticAlgorithm::MatchRating => self.match_rating.encode(letters),
        };
        usable(algo, &code).then_some(code)
    }
}

/// True when `code` carries information for `algo`.
fn usable(algo: PhoneticAlgorithm, code: &str) -> bool {
    let bytes = code.as_bytes();
    if bytes.is_empty() || !bytes.iter().all(u8::is_ascii_alphanumeric) {
        return false;
    }
    match algo {
        // Metaphones write "th" as the digit 0 ("Theo" → "0"): a real code.
        // Cologne codes are digits by design.
        PhoneticAlgorithm::Metaphone
        | PhoneticAlgorithm::DoubleMetaphone
        | PhoneticAlgorithm::DoubleMetaphoneAlternate
        | PhoneticAlgorithm::Cologne => true,
        // Caverphone pads with '1' and writes some sounds as digits; all padding
        // means nothing was encoded.
        PhoneticAlgorithm::Caverphone2 => bytes.iter().any(|&b| b != b'1'),
        // Codes that start with (or consist of) letters.
        PhoneticAlgorithm::Soundex
        | PhoneticAlgorithm::RefinedSoundex
        | PhoneticAlgorithm::Nysiis
        | PhoneticAlgorithm::MatchRating => bytes.iter().any(u8::is_ascii_alphabetic),
    }
}

/// 64-bit FNV-1a of the algorithm tag then the code; never 0.
fn key_of(algo: PhoneticAlgorithm, code: &[u8]) -> u64 {
    let h = Fnv64::new().write(&[algo.tag()]).write(code).finish();
    if h == 0 {
        1
    } else {
        h
    }
}

/// A fixed buffer of at most [`MAX_PHONETIC_INPUT`] uppercase ASCII letters.
struct Letters {
    buf: [u8; MAX_PHONETIC_INPUT],
    len: usize,
}

impl Letters {
    fn new() -> Self {
        Letters { buf: [0; MAX_PHONETIC_INPUT], len: 0 }
    }

    fn is_full(&self) -> bool {
        self.len == MAX_PHONETIC_INPUT
    }

    /// Appends `b` when it is an ASCII letter and there is room.
    fn push_ascii(&mut self, b: u8) {
        if b.is_ascii_alphabetic() && !self.is_full() {
            self.buf[self.len] = b.to_ascii_uppercase();
            self.len += 1;
        }
    }

    /// Folds `input` into letters until the buffer is full. Cost is bounded by
    /// the number of characters scanned before the buffer fills (or the input
    /// ends), whatever the input length.
    fn fold(&mut self, input: &str) {
        for c in input.chars() {
            if self.is_full() {
                break;
            }
            if c.is_ascii() {
                self.push_ascii(c as u8);
                continue;
            }
            // Only letters count: symbols that NFKD spells with letters ("№" →
            // "No", "™" → "TM") and emoji (any_ascii: ":grinning:") are not names.
            if !c.is_alphabetic() {
                continue;
            }
            fold_char(c, &mut |piece: &str| {
                for b in piece.bytes() {
                    self.push_ascii(b);
                }
            });
        }
    }

    fn as_str(&self) -> &str {
        // Only ASCII letters are ever stored, so this cannot fail.
        std::str::from_utf8(&self.buf[..self.len]).unwrap_or("")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(algo: PhoneticAlgorithm, s: &str) -> String {
        let mut out = String::new();
        let ok = PhoneticEncoder::new().encode(algo, s, &mut out);
        assert_eq!(ok, !out.is_empty());
        out
    }

    fn folded(s: &str) -> String {
        let mut l = Letters::new();
        l.fold(s);
        l.as_str().to_owned()
    }

    #[test]
    fn folding() {
        assert_eq!(folded("François"), "FRANCOIS");
        assert_eq!(folded("Franc\u{327}ois"), "FRANCOIS");
        assert_eq!(folded("Le Gall"), "LEGALL");
        assert_eq!(folded("O'Brien-Smith"), "OBRIENSMITH");
        assert_eq!(folded("Strauß"), "STRAUSS");
        assert_eq!(folded("Øster Łukasz"), "OSTERLUKASZ");
        assert_eq!(folded("ﬁnn"), "FINN");
        assert_eq!(folded("😀 123 --- № ™ ㎏"), "");
        assert_eq!(folded("Ｊｅａｎ"), "JEAN");
        assert_eq!(folded(&"e".repeat(100)).len(), MAX_PHONETIC_INPUT);
        assert_eq!(folded(&"é".repeat(100)).len(), MAX_PHONETIC_INPUT);
    }

    #[test]
    fn known_codes() {
        use PhoneticAlgorithm as P;
        assert_eq!(code(P::Soundex, "Robert"), "R163");
        assert_eq!(code(P::DoubleMetaphone, "Smith"), "SM0");
        assert_eq!(code(P::DoubleMetaphoneAlternate, "Smith"), "XMT");
        assert_eq!(code(P::Cologne, "Müller"), "657");
        assert_eq!(code(P::Caverphone2, "Thompson"), "TMPSN11111");
    }

    #[test]
    fn empty_codes_are_rejected() {
        for algo in PhoneticAlgorithm::ALL {
            assert_eq!(code(algo, ""), "", "{algo}");
            assert_eq!(code(algo, "1234"), "", "{algo}");
        }
        assert!(!usable(PhoneticAlgorithm::Caverphone2, "1111111111"));
        assert!(!usable(PhoneticAlgorithm::Soundex, "0000"));
        assert!(usable(PhoneticAlgorithm::DoubleMetaphone, "0"));
    }

    /// Every string of up to three letters, every algorithm: no panic, and the
    /// bool agrees with the output.
    #[test]
    fn all_short_ascii_inputs() {
        let enc = PhoneticEncoder::new();
        let mut out = String::new();
        let mut s = String::new();
        for a in 0..=26u8 {
            for b in 0..=26u8 {
                for c in 1..=26u8 {
                    s.clear();
                    for x in [a, b, c] {
                        if x > 0 {
                            s.push(char::from(b'@' + x));
                        }
                    }
                    for algo in PhoneticAlgorithm::ALL {
                        let ok = enc.encode(algo, &s, &mut out);
                        assert_eq!(ok, !out.is_empty());
                        assert_eq!(enc.encode_u64(algo, &s) != 0, ok);
                    }
                }
            }
        }
    }

    #[test]
    fn keys_are_stable() {
        // FNV-1a 64 of [tag] ++ code, checked against an independent implementation.
        assert_eq!(key_of(PhoneticAlgorithm::Soundex, b"R163"), 0xa9e4_a75a_98ba_a782);
        let enc = PhoneticEncoder::new();
        assert_ne!(
            enc.encode_u64(PhoneticAlgorithm::DoubleMetaphone, "Smith"),
            enc.encode_u64(PhoneticAlgorithm::Metaphone, "Smith")
        );
    }

    #[test]
    fn encoder_is_send_sync() {
        fn check<T: Send + Sync + fmt::Debug + Default + Clone>() {}
        check::<PhoneticEncoder>();
    }
}
