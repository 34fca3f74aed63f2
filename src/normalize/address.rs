//! Street-address steps.

use super::Normalizer;

/// Whole-token abbreviations always expanded by [`AddressAbbreviations`].
pub(super) const ADDRESS_ABBREVIATIONS: &[(&str, &str)] = &[
    ("rd", "road"),
    ("ave", "avenue"),
    ("av", "avenue"),
    ("bd", "boulevard"),
    ("bld", "boulevard"),
    ("blvd", "boulevard"),
    ("boul", "boulevard"),
    ("bvd", "boulevard"),
    ("ch", "chemin"),
    ("imp", "impasse"),
    ("pl", "place"),
    ("rte", "route"),
    ("sq", "square"),
    ("cres", "crescent"),
    ("ct", "court"),
    ("ln", "lane"),
    ("hwy", "highway"),
    ("pde", "parade"),
    ("cl", "close"),
    ("cir", "circuit"),
    ("pkwy", "parkway"),
    ("tce", "terrace"),
    ("esp", "esplanade"),
    ("fbg", "faubourg"),
];

/// Tokens ambiguous with a name prefix (`st` saint / street, `dr` docteur / drive):
/// expanded only in a street-type position.
const CONTEXTUAL: &[(&str, &str)] = &[("st", "street"), ("dr", "drive")];

/// Street-type words: after one of them, `st` / `dr` starts a name ("rue st jacques").
const STREET_TYPES: &[&str] = &[
    "rue",
    "avenue",
    "boulevard",
    "chemin",
    "impasse",
    "place",
    "route",
    "square",
    "allee",
    "quai",
    "cours",
    "passage",
    "promenade",
    "faubourg",
    "sentier",
    "voie",
    "rond",
    "street",
    "road",
    "lane",
    "drive",
    "court",
    "close",
    "crescent",
    "parade",
    "highway",
    "circuit",
    "parkway",
    "terrace",
    "esplanade",
    "way",
];

fn lookup(table: &[(&str, &'static str)], token: &str) -> Option<&'static str> {
    table.iter().find(|(k, _)| k.eq_ignore_ascii_case(token)).map(|(_, v)| *v)
}

/// Expands common English and French street-type abbreviations, as whole tokens.
///
/// `rd`→`road`, `ave`/`av`→`avenue`, `bd`/`bld`/`blvd`/`boul`/`bvd`→`boulevard`,
/// `ch`→`chemin`, `imp`→`impasse`, `pl`→`place`, `rte`→`route`, `sq`→`square`,
/// `cres`→`crescent`, `ct`→`court`, `ln`→`lane`, `hwy`→`highway`, `pde`→`parade`,
/// `cl`→`close`, `cir`→`circuit`, `pkwy`→`parkway`, `tce`→`terrace`,
/// `esp`→`esplanade`, `fbg`→`faubourg`.
///
/// `st` (saint or street) and `dr` (docteur or drive) are expanded to `street` /
/// `drive` only when they are *not* the first token, do not follow a house number
/// (a token starting with a digit) and do not follow a street-type word: so
/// `"12 baker st"` → `"12 baker street"` but `"12 st john st"` →
/// `"12 st john street"` and `"rue st jacques"` is kept.
///
/// Tokens are split on whitespace and re-joined with single spaces; matching is
/// ASCII case-insensitive and expansions are lowercase. The step expects the
/// lowercase, punctuation-free output of the earlier steps of the address chain
/// (`"St."` with its dot is not recognized).
///
/// ```
/// use personlink::normalize::{AddressAbbreviations, Normalizer};
/// let mut out = String::new();
/// AddressAbbreviations.normalize("12 av st jacques", &mut out);
/// assert_eq!(out, "12 avenue st jacques");
/// out.clear();
/// AddressAbbreviations.normalize("221 baker st", &mut out);
/// assert_eq!(out, "221 baker street");
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct AddressAbbreviations;

fn expansion(token: &str, prev: Option<&str>) -> Option<&'static str> {
    if let Some(full) = lookup(ADDRESS_ABBREVIATIONS, token) {
        return Some(full);
    }
    let full = lookup(CONTEXTUAL, token)?;
    let prev = prev?;
    let after_number = prev.bytes().next().is_some_and(|b| b.is_ascii_digit());
    let after_type = STREET_TYPES.iter().any(|t| t.eq_ignore_ascii_case(prev));
    (!after_number && !after_type).then_some(full)
}

impl Normalizer for AddressAbbreviations {
    fn normalize(&self, input: &str, out: &mut String) {
        let start = out.len();
        let mut prev: Option<(usize, usize)> = None;
        for tok in input.split_whitespace() {
            let full = expansion(tok, prev.map(|(a, b)| &out[a..b]));
            if out.len() > start {
                out.push(' ');
            }
            let s = out.len();
            out.push_str(full.unwrap_or(tok));
            prev = Some((s, out.len()));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(s: &str) -> String {
        let mut out = String::new();
        AddressAbbreviations.normalize(s, &mut out);
        out
    }

    #[test]
    fn expands_whole_tokens() {
        assert_eq!(run("10 downing st"), "10 downing street");
        assert_eq!(run("5 av des champs"), "5 avenue des champs");
        assert_eq!(run("3 bd st michel"), "3 boulevard st michel");
        assert_eq!(run("ch des vignes"), "chemin des vignes");
        assert_eq!(run("imp du moulin"), "impasse du moulin");
        assert_eq!(run("pl de la gare"), "place de la gare");
        assert_eq!(run("1 rte de lyon"), "1 route de lyon");
        assert_eq!(run("4 park sq"), "4 park square");
        assert_eq!(run("7 kings cres"), "7 kings crescent");
        assert_eq!(run("8 elm ct"), "8 elm court");
        assert_eq!(run("9 mulholland dr"), "9 mulholland drive");
        assert_eq!(run("2 penny ln"), "2 penny lane");
        assert_eq!(run("pacific hwy"), "pacific highway");
        assert_eq!(run("marine pde"), "marine parade");
        assert_eq!(run("oak cl"), "oak close");
        assert_eq!(run("ring cir"), "ring circuit");
        assert_eq!(run("abbey rd"), "abbey road");
        assert_eq!(run("main ave"), "main avenue");
        assert_eq!(run("bld haussmann"), "boulevard haussmann");
        assert_eq!(run("boul laurier"), "boulevard laurier");
        assert_eq!(run("Abbey RD"), "Abbey road");
    }

    #[test]
    fn st_and_dr_are_contextual() {
        assert_eq!(run("st jacques"), "st jacques");
        assert_eq!(run("dr roux"), "dr roux");
        assert_eq!(run("12 st john st"), "12 st john street");
        assert_eq!(run("rue st jacques"), "rue st jacques");
        assert_eq!(run("rue dr roux"), "rue dr roux");
        assert_eq!(run("av st jacques"), "avenue st jacques");
        assert_eq!(run("main st st"), "main street st");
        assert_eq!(run("stmartin"), "stmartin");
    }

    #[test]
    fn idempotent() {
        for s in ["12 st john st", "av st av st", "st st st", "main st st dr dr", "ch ch ch"] {
            let once = run(s);
            assert_eq!(run(&once), once, "{s}");
        }
    }
}
