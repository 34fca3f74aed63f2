//! Synthetic people, their duplicates across source channels, and the ground
//! truth.
//!
//! [`generate`] makes a seeded, reproducible data set for tests, benchmarks and
//! demos: `people` distinct persons (French, British and American), each with
//! one original record and, at `duplicate_rate`, one or more duplicates seen
//! through other channels and damaged the way real data is.
//! [`SynthData::truth`] says which person every record belongs to,
//! [`SynthData::household`] which household, [`SynthData::life_events`] how
//! far their life has changed since the original record.
//!
//! Needs the `synth` cargo feature (off by default; the crate's own tests,
//! examples and benches turn it on).
//!
//! # Presets
//!
//! [`SynthConfig::easy`] (also [`SynthConfig::new`] and the [`Default`]) is
//! what the generator has always made, record for record: independent
//! persons, 5% of them a relative or namesake of another. It is easier than
//! real data and stays as a regression check. [`SynthConfig::hard`] is
//! customer data as a CRM holds it: half the persons share a home with
//! relatives (a surname, an address, often a landline, sometimes an email),
//! married persons carry two surnames, a duplicate in three comes after a
//! move, a marriage or divorce, a new email or phone (which later ones
//! keep), and names have the frequencies of national populations. Measure on the hard preset. Every
//! knob of either preset can be set on its own.
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
//! Given names come from tables of about 100 common French and English names
//! per sex, with a Zipf skew of exponent `given_name_skew`: 0.6 in the easy
//! preset (the most common name 7% of its sex), 0.4 in the hard one (about
//! 4%; the 1990 US census has James at 3.3% of men, Mary at 2.6% of women).
//! Surnames have a long tail, as in real populations: a share of persons
//! (`common_surname_share_fr` / `_en`) get one of the ~220 common surnames
//! of their language (Zipf 0.5, Martin and Smith first), the others a name
//! built from syllables, endings and particles (`Galloteau`, `Le Bérard`,
//! `Kermarec`, `Dupont-Morel`, `Whitford`, `McGarry`). The easy preset
//! draws 40% from the tables, which makes Martin 1.4% of French persons and
//! Smith 1.4% of the others, several times the real rates, so it has many
//! chance namesakes (same given name and surname): about 10,000 pairs of
//! persons among 57,000. The hard preset draws 10.5% of French and 28% of
//! English surnames from the tables, which puts Martin at 0.36% (as in
//! France) and Smith at 1.0% (as in the 1990 US census): namesakes then
//! come at a national population's rate, growing with the square of the
//! population (about 2,200 pairs among 57,000 persons, four times as many
//! among twice as many; 570,000 persons hold 56 John Smiths and 24 Marie
//! Martins).
//!
//! # Households
//!
//! With `household_share = s` (hard: 0.5), a share `s` of the persons live in
//! multi-person households, interleaved with persons living alone; the
//! others are their own household. [`HouseholdMix`] weighs the kinds:
//! couples, parents with adult children, siblings, twins (same date of
//! birth, often similar given names such as `Louis`/`Louise`), a junior and
//! his senior (same given name and surname, born 20–35 years apart,
//! English records sometimes writing `Jr`, `II` or `Sr`), three generations.
//! Every member has the household's address; a share
//! `shared_landline_rate` of households have a landline every member gives
//! (alone, or beside their own mobile, a record then showing the landline
//! half the time), and in a share `family_email_rate` two or more members
//! give the same email. Members share the household's surname except
//! unmarried partners, hyphenated married names and, in three-generation
//! households, the mother's parents.
//!
//! # Married names
//!
//! Three co-resident couples in four are married; the partner who takes the
//! other's name (the woman 95% of the time) has a birth surname and a
//! married one, written `Birth-Married` (the French *nom d'usage*
//! `Martin-Dupont`) at `hyphenated_name_rate` (a quarter of it for English
//! speakers). About half
//! the women born before 1996 who live alone are married to someone outside
//! the data set. For a share `married_name_rate` of married-name persons,
//! records carry the birth name on some channels (60% on `partner` and
//! `crm`, 25–30% on the others; French ones now and then write both,
//! `Dupont née Martin`), the married name on the rest.
//!
//! # Life events
//!
//! A share `life_event_rate` of duplicates come after 1 (60%), 2 (30%) or 3
//! (10%) distinct life events of their person, weighted move 40, new email
//! 28, new phone 24, surname change 8 (a tenth of that for men): a move
//! brings a new address, postcode and city (and a new landline, the
//! household's being dropped half the time), a marriage a married surname
//! (sometimes hyphenated), a divorce the birth surname back, a new phone a
//! new mobile. The change holds for later records. A person's surname
//! changes at most once.
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
//! street types, and a national id typo or drop. A share `date_error_rate`
//! of duplicates get a date error on top (hard: 0.05, so with the noise's
//! own about one duplicate in eight has a wrong date of birth, against one
//! in thirteen in the easy preset). With
//! `corruption = 0` duplicates are exact copies of the original's values,
//! except those after a life event, rendered anew without damage.
//!
//! # Hard negatives
//!
//! A share `hard_negative_rate` of persons (easy: 0.05, hard: 0) are created
//! as a *relative* of an earlier person (same surname, address and landline,
//! another given name and date of birth; they join that person's household)
//! or a *namesake* (same given name and surname, another date of birth,
//! city, email and phone). They are distinct persons with their own truth
//! ids. In the hard preset relatives come from the households and namesakes
//! from the name frequencies instead.
//!
//! # Ground truth
//!
//! [`SynthData::truth`] (the person), [`SynthData::household`] (the
//! household: the smallest person id among its members) and
//! [`SynthData::life_events`] (the number of kinds of life event, 0–4, by
//! which the record's person differs from their original record; moves and
//! new emails of the corruption noise count too). [`SynthData::to_csv`]
//! writes them as the columns `cluster`, `household` and `life_events`;
//! [`SynthData::relative_pairs`] and [`SynthData::are_relatives`] give the
//! pairs of records of different persons of one household, the pairs a
//! resolver must keep apart although they share a home.
//!
//! # Figures
//!
//! 57,000 persons, seed 42 (`cargo test --release --test integration
//! synth::figures -- --ignored --nocapture`):
//!
//! | | easy | hard |
//! |---|---|---|
//! | records | 100,688 | 100,061 |
//! | households | 55,546 | 39,135 |
//! | of 2, 3, 4, 5, 6 persons | 1,323, 58, 5, 0, 0 | 6,207, 2,350, 1,414, 599, 64 |
//! | records in multi-person households | 5.0% | 49.8% |
//! | relative pairs (same household, different person): persons, records | 1,527, 4,691 | 28,691, 87,643 |
//! | namesake pairs of persons (same folded given name and surname in their originals) | 10,672 | 2,171 |
//! | duplicates with at least 1, 2 life events | 15.3%, 0.7% | 51.9%, 23.8% |
//!
//! A duplicate inherits the life events of the earlier ones, which is why
//! more of them carry one than `life_event_rate` says. Generation is linear:
//! 570,000 persons (a million records, CSV included) take about 6 seconds
//! in release mode with either preset.

use crate::record::{Record, SourceRef};

mod config;
mod corrupt;
mod data;
mod events;
mod family;
mod household;
mod names;
mod person;
mod population;
mod render;
mod rng;
mod surname;
mod text;

pub use config::{HouseholdMix, SynthConfig};
pub use data::SynthData;
pub use names::NICKNAMES;

use household::{Role, Traits};
use person::{empty_values, Gen, Relation, Values};
use render::CHANNELS;

/// Generates persons, their records and the ground truth. Deterministic: the
/// same configuration gives the same data, byte for byte. Never panics;
/// `people = 0` gives empty data. Linear in the number of records. Needs the
/// `synth` feature.
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
    household: u64,
    channel: usize,
    at: i64,
    values: Values,
    /// Bit set of the corruption kinds applied (0 for originals).
    applied: u32,
    /// Life-event kinds by which the person differs from their original
    /// record ([`events`] bits).
    changed: u8,
    /// Life-event kinds drawn for this record (not inherited).
    new_events: u8,
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
    /// Per record: the life-event kinds by which its person differs from the
    /// original ([`events`] bits).
    changed: Vec<u8>,
    /// Per record: the life-event kinds drawn for it.
    new_events: Vec<u8>,
    /// Per person: how it relates to an earlier person.
    relations: Vec<Relation>,
    /// Per person: their place in the household.
    roles: Vec<Role>,
    /// Per person: what they share and which names they carry.
    traits: Vec<Traits>,
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
    let cap = p.people.min(1 << 20);

    // Persons first: a relative changes its anchor (a shared landline).
    let mut pop = g.population();

    let mut drafts: Vec<Draft> = Vec::with_capacity(cap + cap / 2 + cap / 4);
    let mut times: Vec<i64> = Vec::new();
    for (pid, person) in pop.persons.iter_mut().enumerate() {
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
        let household = pop.households[pid];
        drafts.push(Draft {
            person: person_id,
            household,
            channel,
            at: times[0],
            values,
            applied: 0,
            changed: 0,
            new_events: 0,
            original: true,
        });
        let mut changed = 0u8;
        for &at in &times[1..] {
            let channel = pick_channel(&mut g);
            // `chance` draws even at rate 0: test the rate first so the easy
            // preset's stream stays what it was.
            let new_events = if p.life_event_rate > 0.0 && g.rng.chance(p.life_event_rate) {
                g.life_events(person, changed)
            } else {
                0
            };
            changed |= new_events;
            let (values, applied) = if p.corruption == 0.0 {
                if changed == 0 {
                    (drafts[first].values.clone(), 0)
                } else {
                    let mut values = empty_values();
                    g.render(person, &CHANNELS[channel], &mut values);
                    (values, 0)
                }
            } else {
                let mut values = empty_values();
                let applied = g.duplicate(person, &CHANNELS[channel], &mut values);
                (values, applied)
            };
            changed |= events::from_corruptions(applied);
            drafts.push(Draft {
                person: person_id,
                household,
                channel,
                at,
                values,
                applied,
                changed,
                new_events,
                original: false,
            });
        }
    }
    g.rng.shuffle(&mut drafts);

    // Ids in shuffled order, with gaps, so they say nothing about the truth.
    let mut next_id = [0u64; CHANNELS.len()];
    for n in &mut next_id {
        *n = 1 + g.rng.below(500) as u64;
    }
    let schema = crate::profile::person().schema;
    let n = drafts.len();
    let mut data = SynthData {
        schema,
        records: Vec::with_capacity(n),
        truth: Vec::with_capacity(n),
        household: Vec::with_capacity(n),
        life_events: Vec::with_capacity(n),
    };
    let mut applied = Vec::with_capacity(n);
    let mut original = Vec::with_capacity(n);
    let mut changed = Vec::with_capacity(n);
    let mut new_events = Vec::with_capacity(n);
    for mut d in drafts {
        let id = next_id[d.channel];
        next_id[d.channel] += 1 + g.rng.below(3) as u64;
        let source = SourceRef::new(CHANNELS[d.channel].system, format_id(d.channel, id));
        // Always a no-op (a unit test checks the field list), but keeps
        // `from_values` infallible should the default schema grow.
        d.values.resize(data.schema.len(), None);
        let Ok(record) = Record::from_values(&data.schema, source, d.values) else { continue };
        data.records.push(record.with_observed_at(Some(d.at)));
        data.truth.push(d.person);
        data.household.push(d.household);
        data.life_events.push(d.changed.count_ones() as u8);
        applied.push(d.applied);
        original.push(d.original);
        changed.push(d.changed);
        new_events.push(d.new_events);
    }
    Generated {
        data,
        applied,
        original,
        changed,
        new_events,
        relations: pop.relations,
        roles: pop.roles,
        traits: pop.traits,
    }
}

#[cfg(test)]
mod tests {
    use hashbrown::HashMap;

    use super::corrupt::KINDS;
    use super::person::{ADDR1, CITY, DOB, EMAIL, GIVEN, NUMBER, PHONE, POSTCODE, SURNAME};
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
                // Address line 2 is often empty; `generation` always is (a
                // suffix is written in the name fields).
                assert!(missing.iter().all(|&f| f == 8 || f == 13), "{missing:?}");
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

    /// Households of the persons, with the persons' roles and traits.
    fn households(gen: &Generated) -> HashMap<u64, Vec<usize>> {
        let mut person_household: HashMap<u64, u64> = HashMap::new();
        for (&t, &h) in gen.data.truth.iter().zip(&gen.data.household) {
            person_household.insert(t, h);
        }
        let mut by: HashMap<u64, Vec<usize>> = HashMap::new();
        for (person, household) in person_household {
            by.entry(household).or_default().push(person as usize);
        }
        by
    }

    fn within(x: f64, target: f64, tolerance: f64) -> bool {
        (x - target).abs() <= tolerance
    }

    #[test]
    fn hard_preset_meets_its_rates() {
        let cfg = SynthConfig::hard(11, 20_000);
        let gen = generate_inner(&cfg);
        let households = households(&gen);
        let multi: Vec<&Vec<usize>> = households.values().filter(|m| m.len() > 1).collect();
        let in_multi: usize = multi.iter().map(|m| m.len()).sum();
        assert!(in_multi.abs_diff(10_000) <= 1, "{in_multi}");
        let households_with = |pred: &dyn Fn(usize) -> bool| {
            multi.iter().filter(|m| m.iter().any(|&p| pred(p))).count() as f64 / multi.len() as f64
        };
        let (roles, traits) = (&gen.roles, &gen.traits);
        let role = |r: Role| move |p: usize| roles[p] == r;
        let trait_ = |t: u8| move |p: usize| traits[p].has(t);
        let mix = &cfg.household_mix;
        let total = mix.couple
            + mix.parents_children
            + mix.siblings
            + mix.twins
            + mix.junior_senior
            + mix.grandparents;
        let twins = households_with(&role(Role::Twin));
        let junior = households_with(&role(Role::Junior));
        let grand = households_with(&role(Role::Grandparent));
        let landline = households_with(&trait_(Traits::SHARED_LANDLINE));
        let email = households_with(&trait_(Traits::FAMILY_EMAIL));
        eprintln!(
            "{} households of 2+: twins {twins:.3} junior {junior:.3} grandparents {grand:.3} \
             landline {landline:.3} email {email:.3}",
            multi.len()
        );
        assert!(within(twins, mix.twins / total, 0.012), "{twins}");
        assert!(within(junior, mix.junior_senior / total, 0.015), "{junior}");
        assert!(within(grand, mix.grandparents / total, 0.02), "{grand}");
        assert!(within(landline, cfg.shared_landline_rate, 0.03), "{landline}");
        assert!(within(email, cfg.family_email_rate, 0.025), "{email}");

        let married = gen.traits.iter().filter(|t| t.has(Traits::MARRIED_NAME)).count();
        let both = gen.traits.iter().filter(|t| t.has(Traits::BOTH_NAMES)).count();
        let both_share = both as f64 / married as f64;
        eprintln!("married names {married}, both names {both_share:.3}");
        assert!(married > 3000, "{married}");
        assert!(within(both_share, cfg.married_name_rate, 0.03), "{both_share}");

        // Life events: the share of duplicates with new ones, 1-3 of them,
        // moves the most common kind.
        let duplicates: Vec<usize> = (0..gen.data.len()).filter(|&i| !gen.original[i]).collect();
        let affected: Vec<u8> =
            duplicates.iter().map(|&i| gen.new_events[i]).filter(|&e| e != 0).collect();
        let share = affected.len() as f64 / duplicates.len() as f64;
        let mut counts = [0usize; 5];
        let mut kinds = [0usize; 4];
        for &e in &affected {
            counts[e.count_ones() as usize] += 1;
            for (k, kind) in kinds.iter_mut().enumerate() {
                *kind += usize::from(e & (1 << k) != 0);
            }
        }
        let part = |n: usize| n as f64 / affected.len() as f64;
        eprintln!("life events on {share:.3} of duplicates, counts {counts:?}, kinds {kinds:?}");
        assert!(within(share, cfg.life_event_rate, 0.015), "{share}");
        assert_eq!(counts[4], 0);
        assert!(within(part(counts[1]), 0.6, 0.03), "{counts:?}");
        assert!(within(part(counts[2]), 0.3, 0.03), "{counts:?}");
        assert!(within(part(counts[3]), 0.1, 0.02), "{counts:?}");
        let [moves, surnames, emails, phones] = kinds;
        assert!(moves > emails && emails > phones && phones > 3 * surnames, "{kinds:?}");
        assert!(surnames > 100, "{kinds:?}");
        for (i, &changed) in gen.changed.iter().enumerate() {
            assert_eq!(u32::from(gen.data.life_events[i]), changed.count_ones());
            assert_eq!(changed & gen.new_events[i], gen.new_events[i]);
            assert!(!gen.original[i] || changed == 0);
        }

        // Date errors: the rate on top of the noise's own.
        let date_errors = |gen: &Generated| {
            let bit = corrupt::Kind::DateError.bit();
            let n = gen.applied.iter().filter(|&&a| a & bit != 0).count();
            n as f64 / gen.original.iter().filter(|&&o| !o).count() as f64
        };
        let with = date_errors(&gen);
        let without = date_errors(&generate_inner(&cfg.clone().with_date_error_rate(0.0)));
        eprintln!("date errors {with:.3}, {without:.3} without the rate");
        // The rate applies when the date is present (about 90%).
        assert!(within(with - without, 0.9 * cfg.date_error_rate, 0.015), "{with} {without}");
    }

    /// A date in any of the channels' formats (slash, dash and dot dates are
    /// day first), read by the library's own date normalizer.
    fn parse_date(s: &str) -> Option<crate::normalize::DateValue> {
        use crate::normalize::{DateNormalizer, DateOrder, DateValue, Normalizer};
        DateValue::parse_iso(&DateNormalizer::new(DateOrder::DayFirst).normalize_to_string(s))
    }

    #[test]
    fn twins_share_the_birth_date_and_seniors_the_name() {
        let cfg = SynthConfig::hard(12, 20_000).with_missing_rate(0.0);
        let gen = generate_inner(&cfg);
        let mut original: HashMap<u64, &Record> = HashMap::new();
        for (i, r) in gen.data.records.iter().enumerate() {
            if gen.original[i] {
                original.insert(gen.data.truth[i], r);
            }
        }
        let value = |p: usize, f: usize| original[&(p as u64)].values()[f].clone().unwrap();
        let (mut twins, mut juniors) = (0, 0);
        for members in households(&gen).values().filter(|m| m.len() > 1) {
            let first = members[0];
            for &p in members {
                // Every member lives at the household's address.
                for f in [NUMBER, ADDR1, POSTCODE] {
                    assert_eq!(value(p, f).to_lowercase(), value(first, f).to_lowercase());
                }
            }
            let with = |r: Role| members.iter().copied().filter(|&p| gen.roles[p] == r).collect();
            let pair: Vec<usize> = with(Role::Twin);
            if let [a, b] = pair[..] {
                let (da, db) = (parse_date(&value(a, DOB)), parse_date(&value(b, DOB)));
                assert!(da.is_some() && da == db, "{da:?} {db:?}");
                twins += 1;
            }
            let (seniors, junior): (Vec<usize>, Vec<usize>) =
                (with(Role::Senior), with(Role::Junior));
            if let ([s], [j]) = (&seniors[..], &junior[..]) {
                let strip = |s: String| {
                    let s = s.to_lowercase();
                    let words: Vec<&str> = s
                        .split(' ')
                        .filter(|w| !["jr", "jr.", "sr", "sr.", "ii"].contains(w))
                        .collect();
                    words.join(" ")
                };
                assert_eq!(strip(value(*s, GIVEN)), strip(value(*j, GIVEN)));
                assert_eq!(strip(value(*s, SURNAME)), strip(value(*j, SURNAME)));
                let year = |p: usize| parse_date(&value(p, DOB)).map_or(0, |d| d.year);
                let gap = year(*j) - year(*s);
                assert!((20..=35).contains(&gap), "{gap}");
                juniors += 1;
            }
        }
        assert!(twins > 50 && juniors > 100, "{twins} {juniors}");
    }

    #[test]
    fn life_events_agree_with_what_differs() {
        // Undamaged, complete records with one surname and one phone each, so
        // only life events change values.
        let cfg = SynthConfig::hard(13, 6000)
            .with_corruption(0.0)
            .with_missing_rate(0.0)
            .with_married_name_rate(0.0)
            .with_shared_landline_rate(0.0)
            .with_household_mix(HouseholdMix { junior_senior: 0.0, ..HouseholdMix::default() });
        let gen = generate_inner(&cfg);
        let mut original: HashMap<u64, usize> = HashMap::new();
        for i in 0..gen.data.len() {
            if gen.original[i] {
                original.insert(gen.data.truth[i], i);
            }
        }
        let v = |i: usize, f: usize| gen.data.records[i].values()[f].clone().unwrap_or_default();
        let address = |i: usize| [NUMBER, ADDR1, POSTCODE, CITY].map(|f| v(i, f).to_lowercase());
        let phone = |i: usize| {
            let digits: String = v(i, PHONE).chars().filter(char::is_ascii_digit).collect();
            digits[digits.len().saturating_sub(9)..].to_owned()
        };
        let mut seen = 0u8;
        for i in 0..gen.data.len() {
            let o = original[&gen.data.truth[i]];
            let c = gen.changed[i];
            assert_eq!(c & events::MOVE != 0, address(i) != address(o), "{i}");
            assert_eq!(c & events::EMAIL != 0, v(i, EMAIL) != v(o, EMAIL));
            assert_eq!(
                c & events::SURNAME != 0,
                v(i, SURNAME).to_lowercase() != v(o, SURNAME).to_lowercase()
            );
            if c & events::PHONE != 0 {
                assert_ne!(phone(i), phone(o));
            } else if phone(i) != phone(o) {
                assert!(c & events::MOVE != 0, "a phone changes with a move or a new phone");
            }
            assert_eq!(u32::from(gen.data.life_events[i]), c.count_ones());
            seen |= c;
        }
        assert_eq!(seen, events::MOVE | events::SURNAME | events::EMAIL | events::PHONE);
    }
}
