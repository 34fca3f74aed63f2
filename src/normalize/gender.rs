//! Gender codes in English and French.

use super::text::ascii_fold;
use super::Normalizer;

/// Maps the common ways of writing a gender, in English and French, to `m`
/// or `f`; other values keep their folded letters (`x`, `nb`), and "unknown"
/// markers (`u`, `unknown`, `inconnu`, `nc`, `?`) become missing.
///
/// `M`, `male`, `man`, `masculin`, `homme`, `H`, `Mr`, `monsieur` → `m`;
/// `F`, `female`, `woman`, `féminin`, `femme`, `W`, `Mme`, `madame`, `Mrs`, `Ms`, `Miss` → `f`.
///
/// ```
/// use personlink::normalize::{Gender, Normalizer};
/// let mut out = String::new();
/// Gender.normalize(" Homme ", &mut out);
/// assert_eq!(out, "m");
/// out.clear();
/// Gender.normalize("Féminin", &mut out);
/// assert_eq!(out, "f");
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Gender;

impl Normalizer for Gender {
    fn normalize(&self, input: &str, out: &mut String) {
        // A gender is a short word: only the first characters matter, so huge input
        // costs nothing. They are folded into `out` and read back into a stack
        // buffer, so nothing is allocated beyond `out`.
        let head_end = input.char_indices().nth(64).map_or(input.len(), |(i, _)| i);
        let start = out.len();
        ascii_fold(&input[..head_end], out);
        let mut letters = [0u8; 16];
        let mut len = 0;
        for b in out.as_bytes()[start..].iter().copied().filter(u8::is_ascii_alphanumeric) {
            if len == letters.len() {
                break;
            }
            letters[len] = b;
            len += 1;
        }
        out.truncate(start);
        let code = match std::str::from_utf8(&letters[..len]).unwrap_or("") {
            "m" | "male" | "man" | "masculin" | "masculine" | "homme" | "h" | "mr" | "monsieur"
            | "garcon" | "boy" => "m",
            "f" | "female" | "woman" | "feminin" | "feminine" | "femme" | "w" | "mme"
            | "madame" | "mrs" | "ms" | "miss" | "mlle" | "mademoiselle" | "fille" | "girl" => "f",
            "" | "u" | "unknown" | "inconnu" | "inconnue" | "nc" | "na" | "nd" => "",
            other => other,
        };
        out.push_str(code);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(s: &str) -> String {
        let mut out = String::new();
        Gender.normalize(s, &mut out);
        out
    }

    #[test]
    fn english_and_french_codes_agree() {
        for m in ["M", "male", "Homme", "H", "Masculin", "mr."] {
            assert_eq!(run(m), "m", "{m}");
        }
        for f in ["F", "Female", "femme", "FÉMININ", "Mme", "w"] {
            assert_eq!(run(f), "f", "{f}");
        }
        assert_eq!(run("unknown"), "");
        assert_eq!(run("?"), "");
        assert_eq!(run("X"), "x");
    }

    #[test]
    fn idempotent() {
        for s in ["m", "f", "x", "nb", "Non-binary", "😀", &"é".repeat(100)] {
            let once = run(s);
            assert_eq!(run(&once), once, "{s}");
        }
    }
}
