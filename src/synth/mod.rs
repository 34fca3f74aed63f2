//! Synthetic people, their duplicates across source channels, and the ground
//! truth.
//!
//! [`generate`] makes a seeded, reproducible data set for tests, benchmarks and
//! demos: `people` distinct persons (French, British and American), each with
//! one original record and, at `duplicate_rate`, one or more duplicates seen
//! through other channels and damaged the way real data is.
//! [`SynthData::truth`] says which person every record belongs to.
//!
//! Needs the `synth` cargo feature (off by default; the crate's own tests,
//! examples and benches turn it on).
//!
//! # Records
//!
//! Records follow the person profile's schema ([`crate::profile::person`]). Each comes from a channel, which
//! is its [`SourceRef::system`]: `web`, `shop`, `call_centre`, `app`, `partner`
//! or `crm`, each with its own id format (`W000123`, `S0000456`, `CC-000789`,
//! `app_0000002a`, `P00000042`, `CRM0000042`) and its own way of writing
//! values: date as `1980-02-01`, `01/02/1980`, `01.02.1980` or `19800201`
//! (slash, dot and dash dates are always day first, American persons included);
//! gender as `M`/`F`, `H`/`F`, `male`/`female` or `homme`/`femme`; phone
//! national, E.164 or `00`-prefixed; names as typed or upper-cased. Observation
//! times are seconds since the epoch in 2015..2026; a person's records are in
//! increasing time order, the original first. The records are shuffled, so
//! neither position nor id says which records go together.
//!
//! # Names
//!
//! Given names come from tables of common French and English names, with a
//! Zipf-like skew. Surnames have a long tail, as in real populations: about
//! 40% come from tables of ~200 common surnames per language (Zipf), the
//! others are built from syllables, endings and particles (`Galloteau`,
//! `Le Bérard`, `Kermarec`, `Dupont-Morel`, `Whitford`, `McGarry`). 100,000
//! persons have about 50,000 distinct surnames; the most common, Martin, is
//! under 1% of persons, so chance namesakes (same given name and surname)
//! are rare.
//!
//! # Missing values
//!
//! Given name and surname are always present. With `missing_rate = m` every
//! other field is missing with probability `m`, except `state` (`5m` for French
//! persons, `3m` for British, `m` for American) and `national_id` (`3m`, so
//! about 30% by default). `address_2` exists for about 30% of persons only.
//! Duplicates may drop 1–3 more fields. At the defaults, 100,000 persons give
//! about 11% of records missing each ordinary field, 36% missing `state`, 32%
//! `national_id` and 73% `address_2`.
//!
//! # Duplicates
//!
//! A person has extra records with probability `duplicate_rate`; their number
//! is 1, then one more with probability 0.35 each time, up to `max_duplicates`
//! (mean 1.52 at the default cap of 4), so the expected number of records is
//! about `people × (1 + 1.52 × duplicate_rate)`. A duplicate is rendered anew
//! in its channel's format, with its own missing values, then receives a
//! Poisson number of corruptions with mean `1.6 × corruption`: typos (keyboard
//! neighbour, insertion, deletion, transposition, OCR-like), dropped accents,
//! upper or lower case, a nickname from [`NICKNAMES`], an honorific,
//! compound-name and particle variants (`Jean Pierre`, `Delafontaine`,
//! `OBrien`), 1–3 dropped fields, swapped given name and surname, another date
//! format, date errors (day/month transposition, digit typo, year off by one),
//! another phone format or a digit typo, email variants (case, spaces, gmail
//! dots and `+tags`, typos) or a new email (kept by later records), a move to a
//! new address (kept by later records; a landline moves with it), abbreviated
//! street types, and a national id typo or drop. With `corruption = 0`
//! duplicates are exact copies of the original's values.
//!
//! # Hard negatives
//!
//! A share `hard_negative_rate` of persons are created as a *relative* of an
//! earlier person (same surname, address and landline, another given name and
//! date of birth) or a *namesake* (same given name and surname, another date of
//! birth, city, email and phone). They are distinct persons with their own
//! truth ids.

use hashbrown::HashMap;
use serde::{Deserialize, Serialize};

use crate::record::{Record, Schema, SourceRef};

mod corrupt;
mod names;
mod person;
mod rng;
mod surname;
mod text;

pub use names::NICKNAMES;

use person::{empty_values, Gen, Params, Person, Relation, Values, CHANNELS};

/// What to generate. Every value is accepted: rates are clamped to `[0, 1]`
/// (NaN reads as 0), `corruption` to `[0, 3]`. Needs the `synth` feature.
///
/// ```
/// use personlink::synth::{generate, SynthConfig};
///
/// let cfg = SynthConfig::new(7, 200).with_duplicate_rate(0.8).with_hard_negative_rate(0.1);
/// let data = generate(&cfg);
/// assert!(data.len() > 200);
/// assert_eq!(data.truth.len(), data.len());
///
/// let json = serde_json::to_string(&cfg).unwrap();
/// assert_eq!(serde_json::from_str::<SynthConfig>(&json).unwrap(), cfg);
/// let partial: SynthConfig = serde_json::from_str(r#"{"people": 10}"#).unwrap();
/// assert_eq!(partial, SynthConfig { people: 10, ..SynthConfig::default() });
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SynthConfig {
    /// Seed of the random stream; same seed and config, same data. Default 42.
    pub seed: u64,
    /// Number of distinct persons. Default 1000.
    pub people: usize,
    /// Probability that a person has at least one extra record. Default 0.5.
    pub duplicate_rate: f64,
    /// Most extra records per person. Default 4.
    pub max_duplicates: usize,
    /// Scale of the damage done to duplicates: 0 gives exact copies, 1 the
    /// default noise (1.6 corruptions per duplicate on average). Default 1.0.
    pub corruption: f64,
    /// Probability that an optional field is missing. Default 0.1.
    pub missing_rate: f64,
    /// Share of persons created as a relative or a namesake of another
    /// person. Default 0.05.
    pub hard_negative_rate: f64,
    /// Share of French persons; the others are British or American in equal
    /// parts. Default 0.5.
    pub french_share: f64,
}

impl Default for SynthConfig {
    fn default() -> Self {
        SynthConfig {
            seed: 42,
            people: 1000,
            duplicate_rate: 0.5,
            max_duplicates: 4,
            corruption: 1.0,
            missing_rate: 0.1,
            hard_negative_rate: 0.05,
            french_share: 0.5,
        }
    }
}

impl SynthConfig {
    /// The default configuration with this seed and number of persons.
    pub fn new(seed: u64, people: usize) -> Self {
        SynthConfig { seed, people, ..SynthConfig::default() }
    }

    /// Sets the seed.
    pub fn with_seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    /// Sets the number of distinct persons.
    pub fn with_people(mut self, people: usize) -> Self {
        self.people = people;
        self
    }

    /// Sets the probability that a person has at least one extra record.
    pub fn with_duplicate_rate(mut self, rate: f64) -> Self {
        self.duplicate_rate = rate;
        self
    }

    /// Sets the most extra records per person.
    pub fn with_max_duplicates(mut self, max: usize) -> Self {
        self.max_duplicates = max;
        self
    }

    /// Sets the corruption scale (0 = exact copies, 1 = default noise).
    pub fn with_corruption(mut self, scale: f64) -> Self {
        self.corruption = scale;
        self
    }

    /// Sets the probability that an optional field is missing.
    pub fn with_missing_rate(mut self, rate: f64) -> Self {
        self.missing_rate = rate;
        self
    }

    /// Sets the share of persons created as a relative or namesake.
    pub fn with_hard_negative_rate(mut self, rate: f64) -> Self {
        self.hard_negative_rate = rate;
        self
    }

    /// Sets the share of French persons.
    pub fn with_french_share(mut self, share: f64) -> Self {
        self.french_share = share;
        self
    }

    fn params(&self) -> Params {
        fn rate(x: f64) -> f64 {
            if x.is_nan() {
                0.0
            } else {
                x.clamp(0.0, 1.0)
            }
        }
        Params {
            people: self.people,
            duplicate_rate: rate(self.duplicate_rate),
            max_duplicates: self.max_duplicates,
            corruption: if self.corruption.is_nan() {
                0.0
            } else {
                self.corruption.clamp(0.0, 3.0)
            },
            missing_rate: rate(self.missing_rate),
            hard_negative_rate: rate(self.hard_negative_rate),
            french_share: rate(self.french_share),
        }
    }
}

/// Generated records with their ground truth. Needs the `synth` feature.
#[derive(Debug, Clone, PartialEq)]
pub struct SynthData {
    /// The schema of the records: the person profile's ([`crate::profile::person`]).
    pub schema: Schema,
    /// The records, shuffled; every [`SourceRef`] is unique.
    pub records: Vec<Record>,
    /// `truth[i]` is the person id of `records[i]`; person ids are
    /// `0..people` and every person has at least one record.
    pub truth: Vec<u64>,
}

impl SynthData {
    /// Number of records.
    pub fn len(&self) -> usize {
        self.records.len()
    }

    /// True when there is no record.
    pub fn is_empty(&self) -> bool {
        self.records.is_empty()
    }

    /// Number of record pairs that belong to the same person: the sum over
    /// persons of `k (k - 1) / 2` for a person with `k` records.
    pub fn true_pairs(&self) -> u64 {
        let mut counts: HashMap<u64, u64> = HashMap::new();
        for &t in &self.truth {
            *counts.entry(t).or_insert(0) += 1;
        }
        counts.values().map(|&k| k * (k - 1) / 2).sum()
    }

    /// The records as CSV: a header `rec_id,<schema fields>,cluster`, then one
    /// row per record with `rec_id` = `<system>-<id>`, the raw values (empty
    /// when missing; quoted when they hold `,`, `"` or a line break) and the
    /// person id.
    pub fn to_csv(&self) -> String {
        use std::fmt::Write;
        let mut out = String::with_capacity(64 + self.records.len() * 200);
        out.push_str("rec_id");
        for f in self.schema.fields() {
            out.push(',');
            push_csv(&mut out, &f.name);
        }
        out.push_str(",cluster\n");
        let mut rec_id = String::new();
        for (rec, truth) in self.records.iter().zip(&self.truth) {
            rec_id.clear();
            let src = rec.source();
            let _ = write!(rec_id, "{}-{}", src.system, src.id);
            push_csv(&mut out, &rec_id);
            for v in rec.values() {
                out.push(',');
                if let Some(v) = v {
                    push_csv(&mut out, v);
                }
            }
            let _ = writeln!(out, ",{truth}");
        }
        out
    }
}

/// Appends `s` as one CSV field.
fn push_csv(out: &mut String, s: &str) {
    if s.bytes().any(|b| matches!(b, b',' | b'"' | b'\n' | b'\r')) {
        out.push('"');
        for c in s.chars() {
            if c == '"' {
                out.push('"');
            }
            out.push(c);
        }
        out.push('"');
    } else {
        out.push_str(s);
    }
}

/// Generates persons, their records and the ground truth. Deterministic: the
/// same configuration gives the same data, byte for byte. Never panics;
/// `people = 0` gives empty data. Needs the `synth` feature.
///
/// ```
/// use personlink::synth::{generate, SynthConfig};
///
/// let data = generate(&SynthConfig::new(1, 500));
/// assert!(!data.is_empty());
/// assert_eq!(data.records.len(), data.truth.len());
/// // Person ids are 0..people, each with at least one record.
/// assert!((0..500).all(|p| data.truth.contains(&p)));
/// assert!(data.true_pairs() > 0);
/// assert_eq!(data.to_csv(), generate(&SynthConfig::new(1, 500)).to_csv());
/// assert!(data.to_csv().starts_with("rec_id,given_name,surname,date_of_birth,"));
/// ```
pub fn generate(cfg: &SynthConfig) -> SynthData {
    generate_inner(cfg).data
}

/// Earliest observation time: 2015-01-01T00:00:00Z.
const T0: i64 = 1_420_070_400;
/// Latest observation time (exclusive): 2026-01-01T00:00:00Z.
const T1: i64 = 1_767_225_600;
/// Probability of one more duplicate after each one.
const MORE_DUPLICATES: f64 = 0.35;

/// A record before it gets its id.
#[derive(Debug)]
struct Draft {
    person: u64,
    channel: usize,
    at: i64,
    values: Values,
    /// Bit set of the corruption kinds applied (0 for originals).
    applied: u32,
    original: bool,
}

/// [`generate`]'s result with what the tests of this module need to know.
#[derive(Debug)]
#[cfg_attr(not(test), allow(dead_code))]
struct Generated {
    data: SynthData,
    /// Per record: the corruption kinds applied.
    applied: Vec<u32>,
    /// Per record: whether it is its person's original.
    original: Vec<bool>,
    /// Per person: how it relates to an earlier person.
    relations: Vec<Relation>,
}

fn pick_channel(g: &mut Gen) -> usize {
    let total: u32 = CHANNELS.iter().map(|c| c.weight).sum();
    let mut x = g.rng.below(total as usize) as u32;
    for (i, c) in CHANNELS.iter().enumerate() {
        if x < c.weight {
            return i;
        }
        x -= c.weight;
    }
    0
}

fn format_id(channel: usize, n: u64) -> String {
    match CHANNELS[channel].system {
        "web" => format!("W{n:06}"),
        "shop" => format!("S{n:07}"),
        "call_centre" => format!("CC-{n:06}"),
        "app" => format!("app_{n:08x}"),
        "partner" => format!("P{n:08}"),
        _ => format!("CRM{n:07}"),
    }
}

fn generate_inner(cfg: &SynthConfig) -> Generated {
    let p = cfg.params();
    let mut g = Gen::new(p, cfg.seed);
    // Never reserve more than a modest amount up front: `people` may be huge.
    let cap = p.people.min(1 << 20);

    // Persons first: a relative changes its anchor (a shared landline).
    let mut persons: Vec<Person> = Vec::with_capacity(cap);
    let mut relations = Vec::with_capacity(cap);
    for i in 0..p.people {
        if i > 0 && g.rng.chance(p.hard_negative_rate) {
            let anchor = g.rng.below(i);
            if g.rng.chance(0.5) {
                let r = g.relative_of(&mut persons[anchor]);
                persons.push(r);
                relations.push(Relation::Relative(anchor));
            } else {
                let n = g.namesake_of(&persons[anchor]);
                persons.push(n);
                relations.push(Relation::Namesake(anchor));
            }
        } else {
            persons.push(g.new_person());
            relations.push(Relation::None);
        }
    }

    let mut drafts: Vec<Draft> = Vec::with_capacity(cap + cap / 2 + cap / 4);
    let mut times: Vec<i64> = Vec::new();
    for (pid, person) in persons.iter_mut().enumerate() {
        let mut extra = 0;
        if p.max_duplicates > 0 && g.rng.chance(p.duplicate_rate) {
            extra = 1;
            while extra < p.max_duplicates && g.rng.chance(MORE_DUPLICATES) {
                extra += 1;
            }
        }
        times.clear();
        for _ in 0..=extra {
            times.push(T0 + g.rng.below((T1 - T0) as usize) as i64);
        }
        times.sort_unstable();

        let channel = pick_channel(&mut g);
        let mut values = empty_values();
        g.render(person, &CHANNELS[channel], &mut values);
        let first = drafts.len();
        let person_id = pid as u64;
        drafts.push(Draft {
            person: person_id,
            channel,
            at: times[0],
            values,
            applied: 0,
            original: true,
        });
        for &at in &times[1..] {
            let channel = pick_channel(&mut g);
            let (values, applied) = if p.corruption == 0.0 {
                (drafts[first].values.clone(), 0)
            } else {
                let mut values = empty_values();
                let applied = g.duplicate(person, &CHANNELS[channel], &mut values);
                (values, applied)
            };
            drafts.push(Draft { person: person_id, channel, at, values, applied, original: false });
        }
    }
    g.rng.shuffle(&mut drafts);

    // Ids in shuffled order, with gaps, so they say nothing about the truth.
    let mut next_id = [0u64; CHANNELS.len()];
    for n in &mut next_id {
        *n = 1 + g.rng.below(500) as u64;
    }
    let schema = crate::profile::person().schema;
    let mut records = Vec::with_capacity(drafts.len());
    let mut truth = Vec::with_capacity(drafts.len());
    let mut applied = Vec::with_capacity(drafts.len());
    let mut original = Vec::with_capacity(drafts.len());
    for mut d in drafts {
        let n = next_id[d.channel];
        next_id[d.channel] += 1 + g.rng.below(3) as u64;
        let source = SourceRef::new(CHANNELS[d.channel].system, format_id(d.channel, n));
        // Always a no-op (a unit test checks the field list), but keeps
        // `from_values` infallible should the default schema grow.
        d.values.resize(schema.len(), None);
        let Ok(record) = Record::from_values(&schema, source, d.values) else { continue };
        records.push(record.with_observed_at(Some(d.at)));
        truth.push(d.person);
        applied.push(d.applied);
        original.push(d.original);
    }
    Generated { data: SynthData { schema, records, truth }, applied, original, relations }
}

#[cfg(test)]
mod tests {
    use super::corrupt::KINDS;
    use super::person::{ADDR1, DOB, GIVEN, NUMBER, POSTCODE, SURNAME};
    use super::*;

    #[test]
    fn every_corruption_kind_occurs() {
        let gen = generate_inner(&SynthConfig::new(3, 2000));
        let all = gen.applied.iter().fold(0u32, |a, &b| a | b);
        for (kind, _) in KINDS {
            let n = gen.applied.iter().filter(|&&m| m & kind.bit() != 0).count();
            assert!(all & kind.bit() != 0 && n >= 5, "{kind:?} applied {n} times");
        }
    }

    #[test]
    fn originals_are_uncorrupted_and_come_first() {
        let gen = generate_inner(&SynthConfig::new(4, 500));
        let mut first: HashMap<u64, i64> = HashMap::new();
        for (i, r) in gen.data.records.iter().enumerate() {
            let at = r.observed_at().unwrap();
            assert!((T0..T1).contains(&at));
            if gen.original[i] {
                assert_eq!(gen.applied[i], 0);
                assert!(r.values()[GIVEN].is_some() && r.values()[SURNAME].is_some());
                first.insert(gen.data.truth[i], at);
            }
        }
        assert_eq!(first.len(), 500);
        for (i, r) in gen.data.records.iter().enumerate() {
            assert!(r.observed_at().unwrap() >= first[&gen.data.truth[i]]);
        }
    }

    #[test]
    fn zero_corruption_gives_exact_copies() {
        let gen =
            generate_inner(&SynthConfig::new(5, 300).with_corruption(0.0).with_duplicate_rate(1.0));
        let mut by_person: HashMap<u64, &Record> = HashMap::new();
        for (i, r) in gen.data.records.iter().enumerate() {
            if gen.original[i] {
                by_person.insert(gen.data.truth[i], r);
            }
        }
        for (i, r) in gen.data.records.iter().enumerate() {
            assert_eq!(r.values(), by_person[&gen.data.truth[i]].values());
        }
        assert!(gen.data.len() >= 600);
    }

    #[test]
    fn zero_missing_rate_fills_every_field_of_originals() {
        let cfg = SynthConfig::new(6, 300).with_missing_rate(0.0);
        let gen = generate_inner(&cfg);
        for (i, r) in gen.data.records.iter().enumerate() {
            if gen.original[i] {
                let missing: Vec<usize> =
                    (0..r.len()).filter(|&f| r.values()[f].is_none()).collect();
                assert!(missing.is_empty() || missing == [8], "{missing:?}");
            }
        }
    }

    #[test]
    fn hard_negatives_follow_the_rate() {
        let gen = generate_inner(&SynthConfig::new(8, 4000).with_hard_negative_rate(0.2));
        let rel = gen.relations.iter().filter(|r| matches!(r, Relation::Relative(_))).count();
        let nam = gen.relations.iter().filter(|r| matches!(r, Relation::Namesake(_))).count();
        assert!((300..500).contains(&rel), "{rel}");
        assert!((300..500).contains(&nam), "{nam}");
        let gen = generate_inner(&SynthConfig::new(8, 1000).with_hard_negative_rate(0.0));
        assert!(gen.relations.iter().all(|r| *r == Relation::None));
    }

    #[test]
    fn relatives_share_the_address_in_their_originals() {
        let gen = generate_inner(
            &SynthConfig::new(9, 2000).with_hard_negative_rate(0.1).with_missing_rate(0.0),
        );
        let mut orig: HashMap<u64, &Record> = HashMap::new();
        for (i, r) in gen.data.records.iter().enumerate() {
            if gen.original[i] {
                orig.insert(gen.data.truth[i], r);
            }
        }
        let key = |r: &Record| {
            let v = r.values();
            [SURNAME, NUMBER, ADDR1, POSTCODE].map(|f| v[f].as_deref().unwrap_or("").to_lowercase())
        };
        let mut checked = 0;
        for (pid, rel) in gen.relations.iter().enumerate() {
            if let Relation::Relative(a) = *rel {
                let (r, a) = (orig[&(pid as u64)], orig[&(a as u64)]);
                // Moves only happen in duplicates, so originals share the address.
                assert_eq!(key(r), key(a));
                assert_ne!(r.values()[DOB], None);
                checked += 1;
            }
        }
        assert!(checked > 50, "{checked}");
    }

    #[test]
    fn params_clamp() {
        let p = SynthConfig::new(1, 1)
            .with_duplicate_rate(f64::NAN)
            .with_corruption(1e9)
            .with_missing_rate(-3.0)
            .with_french_share(f64::INFINITY)
            .params();
        assert_eq!(p.duplicate_rate, 0.0);
        assert_eq!(p.corruption, 3.0);
        assert_eq!(p.missing_rate, 0.0);
        assert_eq!(p.french_share, 1.0);
    }

    #[test]
    fn csv_quotes_when_needed() {
        let mut s = String::new();
        push_csv(&mut s, "a,b");
        push_csv(&mut s, "say \"hi\"");
        push_csv(&mut s, "plain");
        assert_eq!(s, "\"a,b\"\"say \"\"hi\"\"\"plain");
    }
}
