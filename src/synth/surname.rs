//! Surnames: the real tables ([`FR_SURNAMES`], [`EN_SURNAMES`]) are the head
//! of the distribution, names built from syllables, endings and particles
//! are its long tail.
//!
//! Real populations have hundreds of thousands of surnames (the most common
//! French one, Martin, is about 0.4% of people). Drawing every surname from
//! two tables of ~200 names would make chance namesakes (same given name and
//! surname) far more frequent than they are, so only a share of persons get
//! a table surname (Zipf 0.5 over the table; 40% in the easy preset, 10.5% of
//! French and 28% of English-speaking persons in the hard one, which puts
//! Martin at 0.36% and Smith at 1.0% as in France and the US); the others get
//! a built one: French-looking (`Galloteau`, `Le Bérard`, `Kermarec`, `Dumoulin`,
//! `Pinçon`, `Dupont-Morel`) or English-looking (`Whitford`, `Pemberton`,
//! `McGarry`, `O'Dannell`). Components are drawn with a Zipf skew, so some
//! built names repeat, most do not: 100,000 persons have about 50,000
//! distinct surnames in the easy preset, Martin (the most common) is under
//! 1% of them.
//!
//! Everything is drawn from the generator's [`Rng`], so the same seed gives
//! the same names.

use super::names::{EN_SURNAMES, FR_SURNAMES};
use super::rng::{Rng, Zipf};

/// Share of persons whose surname comes from the tables in the easy preset
/// (the hard one uses the national frequencies of Martin and Smith, see
/// `SynthConfig::hard`).
#[cfg(test)]
pub(super) const TABLE_SHARE: f64 = 0.4;
/// Share of built French surnames that are double ("Dupont-Morel").
const FR_DOUBLE: f64 = 0.05;
/// Share of built English surnames that are double ("Smith-Jones").
const EN_DOUBLE: f64 = 0.015;
/// Zipf exponent over the tables (the head).
const TABLE_SKEW: f64 = 0.5;

// French pieces, most common first. Onsets are lower case; the name is
// capitalised once built.
#[rustfmt::skip]
const FR_ONSETS: &[&str] = &[
    "m", "b", "l", "r", "g", "d", "p", "c", "ch", "v", "f", "t", "br", "gr", "n", "s", "j", "bl",
    "tr", "cl", "fr", "gu", "pr", "cr", "pl", "h", "dr", "gl", "fl", "qu",
];
#[rustfmt::skip]
const FR_NUCLEI: &[&str] = &["a", "o", "e", "ou", "i", "au", "é", "ai", "u", "oi", "eu"];
/// Consonants between two vowels.
#[rustfmt::skip]
const FR_MEDIALS: &[&str] = &[
    "r", "l", "n", "ll", "rr", "t", "ss", "m", "v", "nn", "rd", "rt", "ch", "s", "rn", "nd",
    "nt", "mb", "rg", "g", "gn", "c", "tt", "rl", "rm", "st", "br", "tr", "gr", "rc", "nc", "bl",
    "p", "d", "mp",
];
/// Single or doubled consonants, after a diphthong and between syllables
/// (the first byte of each is a consonant on its own).
#[rustfmt::skip]
const FR_LIGHT: &[&str] = &[
    "r", "l", "n", "ll", "t", "ss", "rr", "m", "v", "ch", "s", "nn", "tt", "d", "g",
];
/// Vowels of a second, unstressed syllable.
const FR_NUCLEI_2: &[&str] = &["a", "e", "i", "o", "ou", "au"];
/// Endings that follow a consonant.
#[rustfmt::skip]
const FR_ENDINGS: &[&str] = &[
    "ier", "et", "in", "ot", "ard", "eau", "on", "and", "el", "aud", "ais", "ac", "ec", "oux",
    "ault", "at", "ay", "ey", "ange", "ette", "ain", "é", "y", "oy", "as", "aux", "ois", "ant",
    "ent", "ès", "iot", "elle", "enne", "ère", "is", "ic",
];
/// Endings that follow a vowel.
#[rustfmt::skip]
const FR_C_ENDINGS: &[&str] = &[
    "mont", "court", "ville", "champ", "fort", "bert", "val", "lin", "vin", "det", "nier", "card",
    "bois", "ger",
];
/// Particles written before a capitalised core ("Le Bérard", "De La Roche").
#[rustfmt::skip]
const FR_PARTICLES: &[&str] = &["Le ", "Le ", "Le ", "De La ", "Du ", "De ", "La "];
/// Particles glued to a lower-case core ("Dumoulin", "Lacombe").
#[rustfmt::skip]
const FR_GLUED: &[&str] = &["Du", "La", "De", "Des", "Le", "Dela", "Be", "Ma"];
// Breton: Ker- and Le plus a short core ("Kermarec", "Le Goff").
#[rustfmt::skip]
const BR_ONSETS: &[&str] = &[
    "g", "m", "l", "b", "k", "d", "r", "c", "p", "n", "t", "br", "gu", "h", "j", "v",
];
const BR_NUCLEI: &[&str] = &["a", "e", "o", "ou", "i", "ue", "eu"];
#[rustfmt::skip]
const BR_ENDINGS: &[&str] = &[
    "rec", "nec", "ven", "guen", "lan", "ff", "z", "nn", "rn", "zen", "gal", "llec", "dec", "rer",
    "ric", "doc", "vez", "zec", "lven", "rhis", "rvé", "ro", "n",
];

// English pieces.
#[rustfmt::skip]
const EN_ONSETS: &[&str] = &[
    "b", "h", "w", "c", "m", "s", "p", "r", "l", "d", "t", "g", "f", "", "br", "st", "ch", "cr",
    "th", "sh", "gr", "bl", "j", "k", "n", "wh", "pr", "tr", "fl", "dr", "sp", "cl", "gl", "sl",
    "sw", "wr", "y", "kn",
];
#[rustfmt::skip]
const EN_VOWELS: &[&str] = &[
    "a", "e", "o", "i", "u", "ar", "ea", "ai", "oo", "ee", "ow", "or", "ay", "ir",
];
#[rustfmt::skip]
const EN_CODAS: &[&str] = &[
    "l", "n", "r", "t", "d", "ll", "nd", "st", "ck", "rt", "ld", "nn", "tt", "m", "rd", "rn",
    "dd", "mb", "rk", "lt", "nt", "ng", "th", "sh", "ff", "ss", "x", "p", "g", "k", "ns", "lk",
    "rl", "mp", "b",
];
/// Middle syllables of longer names ("Pem-ber-ton", "Hol-ling-worth").
#[rustfmt::skip]
const EN_MIDDLES: &[&str] = &[
    "ber", "der", "den", "ling", "ner", "ter", "ing", "ker", "ver", "ring", "mer", "lis", "ris",
];
#[rustfmt::skip]
const EN_SUFFIXES: &[&str] = &[
    "son", "er", "ton", "ley", "s", "man", "ford", "wood", "ham", "by", "well", "field", "worth",
    "ridge", "ett", "ington", "ing", "stone", "land", "more", "ock", "hurst", "combe", "en",
    "ard", "wick", "ey", "kins", "ins", "shaw", "dale", "y", "ell", "ings", "sby", "thorpe",
    "bury", "lock", "ston", "ridge", "mont",
];
// Irish and Scottish: Mc-, Mac-, O' plus a short core ("McGarry", "O'Dannell").
#[rustfmt::skip]
const GA_ONSETS: &[&str] = &[
    "g", "k", "d", "c", "l", "m", "n", "gr", "br", "f", "h", "b", "t", "r", "s", "qu", "sh",
];
const GA_VOWELS: &[&str] = &["a", "e", "i", "o", "u", "ea", "ai"];
#[rustfmt::skip]
const GA_ENDINGS: &[&str] = &[
    "rry", "nnon", "rty", "rthy", "gan", "llan", "lan", "ney", "vin", "rne", "ran", "rrick",
    "nnell", "ra", "rdle", "ckie", "ssey", "ghan", "ll", "rk", "lroy", "nzie", "llister", "ndry",
    "nahan", "nagh", "rvey", "ffrey", "nley",
];
const GA_PREFIXES: &[&str] = &["Mc", "Mc", "Mac", "O'"];

/// Substrings a built name must not contain (folded, lower case).
#[rustfmt::skip]
const BLOCKED: &[&str] = &[
    "shit", "fuck", "cunt", "nigg", "fag", "cock", "dick", "slut", "whore", "piss", "porn",
    "nazi", "anus", "turd", "wank", "twat", "merd", "pute", "couil", "bitch", "hitler",
];

/// Bit `i` of entry `c` is set when `BLOCKED[i]` starts with letter `c`.
const BLOCKED_BY_FIRST: [u32; 26] = {
    assert!(BLOCKED.len() <= 32);
    let mut t = [0u32; 26];
    let mut i = 0;
    while i < BLOCKED.len() {
        t[(BLOCKED[i].as_bytes()[0] - b'a') as usize] |= 1 << i;
        i += 1;
    }
    t
};

/// Slots of a [`Pieces`] lookup table.
const SLOTS: usize = 4096;

/// A table of pieces and a lookup table for drawing them with a Zipf skew:
/// item `i` fills about `SLOTS / (i + 1)^s / H` slots, so a draw is one
/// random number and no search (several pieces are drawn per name).
#[derive(Debug)]
struct Pieces {
    items: &'static [&'static str],
    slots: Vec<u8>,
}

impl Pieces {
    fn new(items: &'static [&'static str], skew: f64) -> Self {
        let weights: Vec<f64> = (1..=items.len()).map(|k| (k as f64).powf(-skew)).collect();
        let total: f64 = weights.iter().sum();
        let mut slots = Vec::with_capacity(SLOTS);
        let mut acc = 0.0;
        for (i, w) in weights.iter().enumerate() {
            acc += w;
            // At least one slot each; the tables are far shorter than SLOTS.
            let end = ((acc / total * SLOTS as f64).round() as usize).max(slots.len() + 1);
            slots.resize(end.min(SLOTS), i as u8);
        }
        Pieces { items, slots }
    }

    fn pick(&self, rng: &mut Rng) -> &'static str {
        self.items[usize::from(self.slots[rng.below(self.slots.len())])]
    }
}

/// Samplers for the table head and the built tail.
#[derive(Debug)]
pub(super) struct Surnames {
    /// Share of French and of English surnames drawn from the tables.
    table_share: [f64; 2],
    fr_table: Zipf,
    en_table: Zipf,
    fr_onset: Pieces,
    fr_nucleus: Pieces,
    fr_medial: Pieces,
    fr_light: Pieces,
    fr_nucleus_2: Pieces,
    fr_ending: Pieces,
    fr_c_ending: Pieces,
    br_onset: Pieces,
    br_nucleus: Pieces,
    br_ending: Pieces,
    en_onset: Pieces,
    en_vowel: Pieces,
    en_coda: Pieces,
    en_middle: Pieces,
    en_suffix: Pieces,
    ga_onset: Pieces,
    ga_vowel: Pieces,
    ga_ending: Pieces,
}

impl Surnames {
    /// Samplers drawing from the tables with probability `table_share`
    /// (French, English).
    pub(super) fn new(table_share: [f64; 2]) -> Self {
        Surnames {
            table_share,
            fr_table: Zipf::new(FR_SURNAMES.len(), TABLE_SKEW),
            en_table: Zipf::new(EN_SURNAMES.len(), TABLE_SKEW),
            fr_onset: Pieces::new(FR_ONSETS, 0.6),
            fr_nucleus: Pieces::new(FR_NUCLEI, 0.8),
            fr_medial: Pieces::new(FR_MEDIALS, 0.9),
            fr_light: Pieces::new(FR_LIGHT, 0.7),
            fr_nucleus_2: Pieces::new(FR_NUCLEI_2, 0.6),
            fr_ending: Pieces::new(FR_ENDINGS, 0.6),
            fr_c_ending: Pieces::new(FR_C_ENDINGS, 0.6),
            br_onset: Pieces::new(BR_ONSETS, 0.6),
            br_nucleus: Pieces::new(BR_NUCLEI, 0.6),
            br_ending: Pieces::new(BR_ENDINGS, 0.5),
            en_onset: Pieces::new(EN_ONSETS, 0.6),
            en_vowel: Pieces::new(EN_VOWELS, 0.8),
            en_coda: Pieces::new(EN_CODAS, 0.6),
            en_middle: Pieces::new(EN_MIDDLES, 0.5),
            en_suffix: Pieces::new(EN_SUFFIXES, 0.6),
            ga_onset: Pieces::new(GA_ONSETS, 0.5),
            ga_vowel: Pieces::new(GA_VOWELS, 0.7),
            ga_ending: Pieces::new(GA_ENDINGS, 0.5),
        }
    }

    /// A French surname: from [`FR_SURNAMES`] with the configured
    /// probability, built otherwise.
    pub(super) fn french(&self, rng: &mut Rng) -> String {
        if rng.chance(self.table_share[0]) {
            return FR_SURNAMES[self.fr_table.sample(rng)].to_owned();
        }
        let mut out = String::with_capacity(24);
        if rng.chance(FR_DOUBLE) {
            self.double(rng, &mut out, Self::fr_part);
        } else {
            self.fr_built(rng, &mut out);
        }
        out
    }

    /// An English surname: from [`EN_SURNAMES`] with the configured
    /// probability, built otherwise.
    pub(super) fn english(&self, rng: &mut Rng) -> String {
        if rng.chance(self.table_share[1]) {
            return EN_SURNAMES[self.en_table.sample(rng)].to_owned();
        }
        let mut out = String::with_capacity(24);
        if rng.chance(EN_DOUBLE) {
            self.double(rng, &mut out, Self::en_part);
        } else {
            self.en_built(rng, &mut out);
        }
        out
    }

    /// A double surname ("Dupont-Morel") into the empty `out`: two parts,
    /// one when both draws are the same.
    fn double(&self, rng: &mut Rng, out: &mut String, part: fn(&Self, &mut Rng, &mut String)) {
        part(self, rng, out);
        let cut = out.len();
        out.push('-');
        part(self, rng, out);
        if out[..cut] == out[cut + 1..] {
            out.truncate(cut);
        }
    }

    /// One part of a French double surname: a table name without particle
    /// or a plain core.
    fn fr_part(&self, rng: &mut Rng, out: &mut String) {
        if rng.chance(0.5) {
            let name = FR_SURNAMES[self.fr_table.sample(rng)];
            if name.chars().all(char::is_alphabetic) {
                out.push_str(name);
                return;
            }
        }
        let start = out.len();
        self.retry(rng, out, |s, rng, out| s.fr_core(rng, out, false));
        capitalise_at(out, start);
    }

    /// One part of an English double surname.
    fn en_part(&self, rng: &mut Rng, out: &mut String) {
        if rng.chance(0.5) {
            let name = EN_SURNAMES[self.en_table.sample(rng)];
            if name.chars().all(char::is_alphabetic) {
                out.push_str(name);
                return;
            }
        }
        let start = out.len();
        self.retry(rng, out, |s, rng, out| s.en_core(rng, out));
        capitalise_at(out, start);
    }

    /// A built French surname, with a particle now and then.
    fn fr_built(&self, rng: &mut Rng, out: &mut String) {
        let start = out.len();
        let x = rng.unit();
        if x < 0.03 {
            // Breton: "Kermarec", "Kerguen".
            out.push_str("Ker");
            self.retry(rng, out, |s, rng, out| s.br_core(rng, out));
        } else if x < 0.05 {
            // Breton with an article: "Le Goff", "Le Bihan".
            out.push_str("Le ");
            let core = out.len();
            self.retry(rng, out, |s, rng, out| s.br_core(rng, out));
            capitalise_at(out, core);
        } else if x < 0.11 {
            // "Le Bérard", "De La Vallon", "Du Moulin".
            out.push_str(FR_PARTICLES[rng.below(FR_PARTICLES.len())]);
            let core = out.len();
            self.retry(rng, out, |s, rng, out| s.fr_core(rng, out, false));
            capitalise_at(out, core);
        } else if x < 0.19 {
            // "Dumoulin", "Lacombe", "Desrochers".
            out.push_str(FR_GLUED[rng.below(FR_GLUED.len())]);
            self.retry(rng, out, |s, rng, out| s.fr_core(rng, out, false));
        } else {
            self.retry(rng, out, |s, rng, out| s.fr_core(rng, out, true));
            capitalise_at(out, start);
        }
    }

    /// A built English surname: Mc-, Mac- or O' now and then.
    fn en_built(&self, rng: &mut Rng, out: &mut String) {
        let start = out.len();
        if rng.chance(0.12) {
            out.push_str(GA_PREFIXES[rng.below(GA_PREFIXES.len())]);
            let core = out.len();
            self.retry(rng, out, |s, rng, out| s.ga_core(rng, out));
            capitalise_at(out, core);
        } else {
            self.retry(rng, out, |s, rng, out| s.en_core(rng, out));
            capitalise_at(out, start);
        }
    }

    /// Appends a core built by `build`, drawing again (a few times, then
    /// falling back to a plain ending) when it reads badly.
    fn retry(&self, rng: &mut Rng, out: &mut String, build: impl Fn(&Self, &mut Rng, &mut String)) {
        let start = out.len();
        for _ in 0..4 {
            build(self, rng, out);
            collapse_triples(out, start);
            if reads_well(&out[start..]) {
                return;
            }
            out.truncate(start);
        }
        out.push_str("martinet");
    }

    /// Lower-case French core: onset, vowel, maybe a second syllable
    /// (`long`), then an ending ("gall-ot", "pin-çon", "ber-ard",
    /// "mou-li-net").
    fn fr_core(&self, rng: &mut Rng, out: &mut String, long: bool) {
        out.push_str(self.fr_onset.pick(rng));
        let mut nucleus = self.fr_nucleus.pick(rng);
        out.push_str(nucleus);
        if long && nucleus.len() == 1 && rng.chance(0.2) {
            out.push_str(self.fr_light.pick(rng));
            nucleus = self.fr_nucleus_2.pick(rng);
            out.push_str(nucleus);
        }
        if rng.chance(0.15) {
            out.push_str(self.fr_c_ending.pick(rng));
            return;
        }
        // After a diphthong or é only a light consonant: "Gaillard", not
        // "Gairtard".
        let medial = if nucleus == "é" {
            // One consonant after é: "Mérel", not "Mérrel".
            let m = self.fr_light.pick(rng);
            &m[..1]
        } else if nucleus.len() > 1 {
            self.fr_light.pick(rng)
        } else {
            self.fr_medial.pick(rng)
        };
        let ending = self.fr_ending.pick(rng);
        // A cedilla now and then where French would write one: "Pinçon".
        if medial.ends_with('c') && ending.starts_with(['a', 'o', 'u']) && rng.chance(0.3) {
            out.push_str(&medial[..medial.len() - 1]);
            out.push('ç');
        } else {
            out.push_str(medial);
        }
        out.push_str(ending);
    }

    /// Lower-case Breton core: "marec", "goff", "bihan".
    fn br_core(&self, rng: &mut Rng, out: &mut String) {
        out.push_str(self.br_onset.pick(rng));
        out.push_str(self.br_nucleus.pick(rng));
        out.push_str(self.br_ending.pick(rng));
    }

    /// Lower-case English core: a syllable, sometimes a middle one, then a
    /// suffix ("whit-ford", "pem-ber-ton", "brad-ley"). The coda is drawn
    /// again when it would not fit what comes after it.
    fn en_core(&self, rng: &mut Rng, out: &mut String) {
        let middle = if rng.chance(0.12) { Some(self.en_middle.pick(rng)) } else { None };
        let mut suffix = self.en_suffix.pick(rng);
        // No "Pemberer": after a middle syllable, a consonant suffix.
        if middle.is_some() && suffix.starts_with(['a', 'e', 'i', 'o', 'u', 'y']) {
            suffix = "ton";
        }
        let next = middle.unwrap_or(suffix);
        let onset = self.en_onset.pick(rng);
        let liquid = onset.len() > 1 && onset.ends_with(['l', 'r']);
        // No "Eeker" (a bare vowel is short or r-coloured), no "Breerer".
        let fits = |v: &str| match onset {
            "" => v.len() == 1 || v.ends_with('r'),
            _ => !liquid || v.len() == 1,
        };
        let mut vowel = self.en_vowel.pick(rng);
        for _ in 0..4 {
            if fits(vowel) {
                break;
            }
            vowel = self.en_vowel.pick(rng);
        }
        if !fits(vowel) {
            vowel = "a";
        }
        if middle.is_some() && vowel.len() > 1 {
            // "Pem-ber-ton": a short vowel before a middle syllable.
            vowel = EN_VOWELS[rng.below(5)];
        }
        let mut coda = "n";
        for _ in 0..6 {
            let c = self.en_coda.pick(rng);
            if coda_fits(onset, vowel, c, next, middle.is_some()) {
                coda = c;
                break;
            }
        }
        out.push_str(onset);
        out.push_str(vowel);
        out.push_str(coda);
        if let Some(m) = middle {
            out.push_str(m);
        }
        out.push_str(suffix);
    }

    /// Lower-case Irish or Scottish core after Mc / Mac / O': "garry".
    fn ga_core(&self, rng: &mut Rng, out: &mut String) {
        out.push_str(self.ga_onset.pick(rng));
        out.push_str(self.ga_vowel.pick(rng));
        out.push_str(self.ga_ending.pick(rng));
    }
}

/// Whether an English coda reads well between `vowel` and `next` (the
/// middle syllable or suffix): one consonant after a long vowel ("Heaton",
/// not "Seaddverworth"), no doubled consonant or two-consonant coda before
/// a consonant cluster, stops (b, g, k, p, x) mostly before a vowel, no
/// liquid repeated from the onset ("Slalshaw"), no letter of the coda
/// repeated across the join ("Soltlock").
fn coda_fits(onset: &str, vowel: &str, coda: &str, next: &str, before_middle: bool) -> bool {
    let vowel_first = next.starts_with(['a', 'e', 'i', 'o', 'u', 'y']);
    let cluster_next = next.len() >= 2 && !next[..2].contains(['a', 'e', 'i', 'o', 'u', 'y']);
    let doubled = coda.len() == 2 && coda.as_bytes()[0] == coda.as_bytes()[1];
    let long = vowel.len() > 1;
    if vowel.ends_with('r') && coda.starts_with('r') {
        return false;
    }
    if long && coda.len() > 1 && coda != "th" {
        return false;
    }
    // "Pem-ber-ton", "Hol-ling-worth": a short vowel and a sonorant.
    if before_middle && (long || !matches!(coda, "l" | "m" | "n" | "r")) {
        return false;
    }
    if vowel.ends_with(['y', 'w']) && coda.starts_with('r') {
        return false;
    }
    if !vowel_first && (doubled || (coda.len() > 1 && cluster_next && coda != "ck")) {
        return false;
    }
    let stop = matches!(coda, "b" | "g" | "k" | "p" | "x");
    if stop && !vowel_first && !["son", "s", "ley", "kins", "ton"].contains(&next) {
        return false;
    }
    if onset.len() > 1 && coda.starts_with(['l', 'r']) && onset.ends_with(&coda[..1]) {
        return false;
    }
    if coda.contains('r') && next.starts_with("er") {
        return false;
    }
    next.chars().next().is_none_or(|c| !coda.contains(c))
}

/// Upper-cases the character starting at byte `at`.
fn capitalise_at(out: &mut String, at: usize) {
    let Some(c) = out[at..].chars().next() else { return };
    if c.is_ascii_lowercase() {
        out[at..at + 1].make_ascii_uppercase();
    } else if c.is_lowercase() {
        let upper: String = c.to_uppercase().collect();
        out.replace_range(at..at + c.len_utf8(), &upper);
    }
}

/// Shortens runs of three or more equal letters from byte `from` on to
/// two: "hallley" → "halley".
fn collapse_triples(out: &mut String, from: usize) {
    let b = &out.as_bytes()[from..];
    if !b.windows(3).any(|w| w[0] == w[1] && w[1] == w[2]) {
        return;
    }
    let tail: String = out[from..].to_owned();
    out.truncate(from);
    let mut run = (None, 0);
    for c in tail.chars() {
        run = if run.0 == Some(c) { (Some(c), run.1 + 1) } else { (Some(c), 1) };
        if run.1 <= 2 {
            out.push(c);
        }
    }
}

/// A built core is at most 13 letters, has at most two r's ("Rairourier")
/// and nothing blocked.
fn reads_well(core: &str) -> bool {
    core.chars().count() <= 13 && core.matches('r').count() <= 2 && !blocked(core)
}

/// True when `s` contains a blocked substring (accents folded, case
/// ignored; only the first 32 letters are looked at).
fn blocked(s: &str) -> bool {
    let mut buf = [0u8; 32];
    let mut n = 0;
    for c in s.chars().take(buf.len()) {
        buf[n] = match c {
            'é' | 'è' => b'e',
            'ç' => b'c',
            c if c.is_ascii() => (c as u8).to_ascii_lowercase(),
            _ => b'?',
        };
        n += 1;
    }
    let folded = &buf[..n];
    (0..n).any(|i| {
        let mut words = match folded[i] {
            c @ b'a'..=b'z' => BLOCKED_BY_FIRST[usize::from(c - b'a')],
            _ => 0,
        };
        while words != 0 {
            let w = BLOCKED[words.trailing_zeros() as usize].as_bytes();
            if folded[i..].starts_with(w) {
                return true;
            }
            words &= words - 1;
        }
        false
    })
}

#[cfg(test)]
mod tests {
    use std::collections::{HashMap, HashSet};

    use super::*;

    fn letters(s: &str) -> usize {
        s.chars().filter(|c| c.is_alphabetic()).count()
    }

    /// Every word starts with a capital letter (particles "de"/"du"/"d'"
    /// of table names excepted), and the rest are letters, spaces, hyphens
    /// and apostrophes.
    fn looks_like_a_name(s: &str) -> bool {
        let first = s.chars().next();
        first.is_some_and(|c| c.is_uppercase() || "dl".contains(c))
            && s.chars().all(|c| c.is_alphabetic() || " -'".contains(c))
            && !s.contains("  ")
            && !s.ends_with([' ', '-', '\''])
    }

    #[test]
    fn built_names_look_like_names() {
        let s = Surnames::new([TABLE_SHARE; 2]);
        let mut rng = Rng::new(11);
        for (lang, make) in [
            ("fr", Surnames::french as fn(&Surnames, &mut Rng) -> String),
            ("en", Surnames::english),
        ] {
            let n = 20_000;
            let names: Vec<String> = (0..n).map(|_| make(&s, &mut rng)).collect();
            let mut in_range = 0;
            for name in &names {
                assert!(looks_like_a_name(name), "{lang}: {name:?}");
                assert!((2..=32).contains(&letters(name)), "{lang}: {name:?}");
                let table =
                    FR_SURNAMES.contains(&name.as_str()) || EN_SURNAMES.contains(&name.as_str());
                assert!(table || !blocked(name), "{lang}: {name:?}");
                let b = name.as_bytes();
                assert!(!b.windows(3).any(|w| w[0] == w[1] && w[1] == w[2]), "{name}");
                if (4..=14).contains(&letters(name)) {
                    in_range += 1;
                }
            }
            assert!(in_range * 100 >= n * 90, "{lang}: {in_range} of {n} have 4-14 letters");
            let distinct: HashSet<&String> = names.iter().collect();
            let mut counts: HashMap<&String, usize> = HashMap::new();
            for name in &names {
                *counts.entry(name).or_default() += 1;
            }
            let top = counts.values().max().copied().unwrap_or(0);
            eprintln!("{lang}: {} distinct of {n}, top {top}", distinct.len());
            assert!(distinct.len() * 2 > n, "{lang}: {}", distinct.len());
            assert!(top * 50 < n, "{lang}: top {top}");
        }
    }

    #[test]
    fn every_flavour_occurs() {
        let s = Surnames::new([TABLE_SHARE; 2]);
        let mut rng = Rng::new(12);
        let fr: Vec<String> = (0..20_000).map(|_| s.french(&mut rng)).collect();
        let en: Vec<String> = (0..20_000).map(|_| s.english(&mut rng)).collect();
        let any = |v: &[String], p: &dyn Fn(&str) -> bool| v.iter().any(|n| p(n));
        assert!(any(&fr, &|n| n.starts_with("Ker")));
        assert!(any(&fr, &|n| n.starts_with("Le ")));
        assert!(any(&fr, &|n| n.starts_with("De La ")));
        assert!(any(&fr, &|n| n.starts_with("Du") && !n.starts_with("Du ")));
        assert!(any(&fr, &|n| n.contains('ç') && !FR_SURNAMES.contains(&n)));
        assert!(any(&fr, &|n| n.contains(['é', 'è']) && !FR_SURNAMES.contains(&n)));
        assert!(any(&fr, &|n| n.contains('-') && !FR_SURNAMES.contains(&n)));
        assert!(any(&fr, &|n| ["ier", "eau", "ard", "ot"].iter().any(|e| n.ends_with(e))));
        assert!(any(&en, &|n| n.starts_with("Mc") && !EN_SURNAMES.contains(&n)));
        assert!(any(&en, &|n| n.starts_with("Mac") && !EN_SURNAMES.contains(&n)));
        assert!(any(&en, &|n| n.starts_with("O'") && !EN_SURNAMES.contains(&n)));
        assert!(any(&en, &|n| ["son", "ton", "ley", "ford"].iter().any(|e| n.ends_with(e))));
        assert!(any(&en, &|n| n.contains('-') && !EN_SURNAMES.contains(&n)));
        // The tables stay the head: about TABLE_SHARE of names come from them.
        let from_table = fr.iter().filter(|n| FR_SURNAMES.contains(&n.as_str())).count();
        assert!((7_000..10_000).contains(&from_table), "{from_table}");
    }

    /// Prints a sample: `cargo test --lib synth::surname::tests::sample -- --ignored --nocapture`.
    #[test]
    #[ignore]
    fn sample() {
        let s = Surnames::new([TABLE_SHARE; 2]);
        let mut rng = Rng::new(1);
        let fr: Vec<String> = (0..120).map(|_| s.french(&mut rng)).collect();
        let en: Vec<String> = (0..120).map(|_| s.english(&mut rng)).collect();
        println!("{}\n\n{}", fr.join(", "), en.join(", "));
    }

    #[test]
    fn same_seed_same_names() {
        let s = Surnames::new([TABLE_SHARE; 2]);
        let (mut a, mut b) = (Rng::new(5), Rng::new(5));
        for _ in 0..1000 {
            assert_eq!(s.french(&mut a), s.french(&mut b));
            assert_eq!(s.english(&mut a), s.english(&mut b));
        }
    }

    #[test]
    fn every_piece_can_be_drawn() {
        let s = Surnames::new([TABLE_SHARE; 2]);
        for p in [&s.fr_onset, &s.fr_medial, &s.fr_ending, &s.en_suffix, &s.ga_ending] {
            assert_eq!(p.slots.len(), SLOTS);
            assert!(p.items.len() < 256);
            for i in 0..p.items.len() {
                assert!(p.slots.contains(&(i as u8)), "{}", p.items[i]);
            }
            assert!(p.slots.windows(2).all(|w| w[0] <= w[1]));
            // The most common piece is the most frequent.
            let first = p.slots.iter().filter(|&&x| x == 0).count();
            let last = p.slots.iter().filter(|&&x| usize::from(x) == p.items.len() - 1).count();
            assert!(first > 2 * last, "{first} {last}");
        }
    }

    #[test]
    fn helpers() {
        let mut s = String::from("Xhallley");
        collapse_triples(&mut s, 1);
        assert_eq!(s, "Xhalley");
        let mut s = String::from("Le élan");
        capitalise_at(&mut s, 3);
        assert_eq!(s, "Le Élan");
        assert!(blocked("Shitford"));
        assert!(!blocked("Whitford"));
    }
}
