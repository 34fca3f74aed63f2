use std::collections::{HashMap, HashSet};
use std::time::Instant;

use personlink::synth::{generate, HouseholdMix, SynthConfig, SynthData, NICKNAMES};
use personlink::Record;
use proptest::prelude::*;

fn field(data: &SynthData, name: &str) -> usize {
    data.schema.field_id(name).unwrap().index()
}

fn val(r: &Record, f: usize) -> Option<&str> {
    r.values()[f].as_deref()
}

/// Record indexes grouped by person id.
fn clusters(data: &SynthData) -> HashMap<u64, Vec<usize>> {
    let mut by: HashMap<u64, Vec<usize>> = HashMap::new();
    for (i, &t) in data.truth.iter().enumerate() {
        by.entry(t).or_default().push(i);
    }
    by
}

/// True when two records of one person satisfy `pred(a, b)`.
fn some_pair(data: &SynthData, pred: impl Fn(&Record, &Record) -> bool) -> bool {
    clusters(data).values().any(|idx| {
        idx.iter().any(|&a| idx.iter().any(|&b| a != b && pred(&data.records[a], &data.records[b])))
    })
}

fn any_value(data: &SynthData, name: &str, pred: impl Fn(&str) -> bool) -> bool {
    let f = field(data, name);
    data.records.iter().any(|r| val(r, f).is_some_and(&pred))
}

#[test]
fn same_seed_gives_identical_data_and_csv() {
    let cfg = SynthConfig::new(1234, 800).with_hard_negative_rate(0.1);
    let a = generate(&cfg);
    let b = generate(&cfg.clone());
    assert_eq!(a, b);
    assert_eq!(a.to_csv().as_bytes(), b.to_csv().as_bytes());
}

#[test]
fn different_seeds_give_different_data() {
    let a = generate(&SynthConfig::new(1, 300));
    let b = generate(&SynthConfig::new(2, 300));
    assert_ne!(a.to_csv(), b.to_csv());
    let names = |d: &SynthData| {
        let f = field(d, "surname");
        d.records.iter().take(50).map(|r| val(r, f).unwrap_or("").to_owned()).collect::<Vec<_>>()
    };
    assert_ne!(names(&a), names(&b));
}

#[test]
fn record_counts_follow_the_config() {
    // Extra records per duplicated person: 1, then +1 with probability 0.35,
    // capped at 4: mean 1.515, so 1000 people at rate 0.5 give 1757.7 records
    // on average (sd about 30). Accept [1600, 1920].
    let d = generate(&SynthConfig::new(7, 1000));
    assert!((1600..=1920).contains(&d.len()), "{}", d.len());
    assert_eq!(d.truth.len(), d.len());

    let none = generate(&SynthConfig::new(7, 500).with_duplicate_rate(0.0));
    assert_eq!(none.len(), 500);
    assert_eq!(none.true_pairs(), 0);

    let pairs = generate(&SynthConfig::new(7, 500).with_duplicate_rate(1.0).with_max_duplicates(1));
    assert_eq!(pairs.len(), 1000);
    assert_eq!(pairs.true_pairs(), 500);

    let capped =
        generate(&SynthConfig::new(7, 2000).with_duplicate_rate(1.0).with_max_duplicates(2));
    let sizes = clusters(&capped);
    assert!(sizes.values().all(|v| (2..=3).contains(&v.len())));
    assert!(sizes.values().any(|v| v.len() == 3));
}

#[test]
fn true_pairs_match_the_truth() {
    let d = generate(&SynthConfig::new(99, 1500).with_duplicate_rate(0.7));
    let expected: u64 = clusters(&d).values().map(|v| (v.len() * (v.len() - 1) / 2) as u64).sum();
    assert_eq!(d.true_pairs(), expected);
    let brute = (0..d.len())
        .flat_map(|i| (i + 1..d.len()).map(move |j| (i, j)))
        .filter(|&(i, j)| d.truth[i] == d.truth[j])
        .count() as u64;
    assert_eq!(d.true_pairs(), brute);
}

#[test]
fn empty_config_gives_empty_data() {
    let d = generate(&SynthConfig::new(5, 0));
    assert!(d.is_empty());
    assert_eq!(d.len(), 0);
    assert_eq!(d.true_pairs(), 0);
    assert_eq!(d.to_csv().lines().count(), 1);
}

#[test]
fn source_refs_are_unique_and_well_formed() {
    let d = generate(&SynthConfig::new(3, 3000));
    let systems = ["web", "shop", "call_centre", "app", "partner", "crm"];
    let mut seen = HashSet::new();
    for r in &d.records {
        let s = r.source();
        assert!(systems.contains(&s.system.as_str()), "{s}");
        let prefix = match s.system.as_str() {
            "web" => "W",
            "shop" => "S",
            "call_centre" => "CC-",
            "app" => "app_",
            "partner" => "P",
            _ => "CRM",
        };
        assert!(s.id.starts_with(prefix), "{s}");
        assert!(seen.insert(s.clone()), "duplicate {s}");
        let at = r.observed_at().unwrap();
        assert!((1_420_070_400..1_767_225_600).contains(&at), "{at}");
    }
    for sys in systems {
        assert!(d.records.iter().any(|r| r.source().system == sys), "{sys}");
    }
}

#[test]
fn csv_round_trips_through_a_csv_reader() {
    let d = generate(&SynthConfig::new(21, 400));
    let text = d.to_csv();
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(str::to_owned).collect();
    let mut expected = vec!["rec_id".to_owned()];
    expected.extend(d.schema.fields().iter().map(|f| f.name.clone()));
    expected.extend(["cluster", "household", "life_events"].map(str::to_owned));
    assert_eq!(header, expected);
    let mut n = 0;
    for (i, row) in reader.records().enumerate() {
        let row = row.unwrap();
        let r = &d.records[i];
        assert_eq!(&row[0], format!("{}-{}", r.source().system, r.source().id));
        for (f, v) in r.values().iter().enumerate() {
            assert_eq!(&row[f + 1], v.as_deref().unwrap_or(""));
        }
        let last = row.len() - 1;
        assert_eq!(row[last - 2].parse::<u64>().unwrap(), d.truth[i]);
        assert_eq!(row[last - 1].parse::<u64>().unwrap(), d.household[i]);
        assert_eq!(row[last].parse::<u8>().unwrap(), d.life_events[i]);
        n += 1;
    }
    assert_eq!(n, d.len());
}

#[test]
fn formats_and_channels_vary() {
    let d = generate(&SynthConfig::new(5, 2000));
    let dmy = |s: &str| {
        let b = s.as_bytes();
        s.len() == 10
            && b[2] == b'/'
            && b[5] == b'/'
            && s.bytes().filter(u8::is_ascii_digit).count() == 8
    };
    assert!(any_value(&d, "date_of_birth", dmy), "DD/MM/YYYY");
    assert!(any_value(&d, "date_of_birth", |s| s.len() == 10 && s.as_bytes()[4] == b'-'), "ISO");
    assert!(any_value(&d, "date_of_birth", |s| s.len() == 10 && s.as_bytes()[2] == b'.'), "dotted");
    assert!(
        any_value(&d, "date_of_birth", |s| s.len() == 8 && s.bytes().all(|b| b.is_ascii_digit()))
    );
    for g in ["M", "F", "H", "male", "female", "homme", "femme"] {
        assert!(any_value(&d, "gender", |s| s == g), "{g}");
    }
    assert!(any_value(&d, "phone", |s| s.starts_with("+33 ")));
    assert!(any_value(&d, "phone", |s| s.starts_with("+33 (0)")));
    assert!(any_value(&d, "phone", |s| s.starts_with("0033")));
    assert!(any_value(&d, "phone", |s| s.starts_with("06.") || s.starts_with("07.")));
    assert!(any_value(&d, "phone", |s| s.starts_with("+44 7")));
    assert!(any_value(&d, "phone", |s| s.starts_with('(') && s.contains(") ") && s.contains('-')));
    assert!(any_value(&d, "phone", |s| s.starts_with("+1 ")));
    assert!(any_value(&d, "postcode", |s| s.len() >= 6 && s.contains(' ')), "UK postcode");
    assert!(any_value(&d, "postcode", |s| s.starts_with("750") && s.len() == 5), "Paris");
    assert!(any_value(&d, "address_2", |s| s.starts_with("Bâtiment") || s.starts_with("Résidence")));
    assert!(any_value(&d, "address_2", |s| s.starts_with("Apt ") || s.starts_with("Flat ")));
    assert!(any_value(&d, "state", |s| s == "Bouches-du-Rhône"));
    assert!(any_value(&d, "state", |s| s == "California"));
    assert!(
        any_value(&d, "national_id", |s| s.len() == 13 && s.bytes().all(|b| b.is_ascii_digit()))
    );
    assert!(any_value(&d, "national_id", |s| s.len() == 9 && s.bytes().all(|b| b.is_ascii_digit())));
    // French accents in names and places.
    let accented = |s: &str| s.chars().any(|c| "éèêëàâçîïôûüÉÈÇÔÏ".contains(c));
    assert!(any_value(&d, "given_name", accented));
    assert!(any_value(&d, "surname", accented));
    assert!(any_value(&d, "city", accented));
}

#[test]
fn every_corruption_kind_shows_in_the_output() {
    let d = generate(&SynthConfig::new(17, 2000));
    let given = field(&d, "given_name");
    let surname = field(&d, "surname");
    let dob = field(&d, "date_of_birth");
    let email = field(&d, "email");
    let phone = field(&d, "phone");
    let addr = field(&d, "address_1");
    let city = field(&d, "city");
    let nid = field(&d, "national_id");

    // A nickname from NICKNAMES where another record of the person has the canonical name.
    assert!(some_pair(&d, |a, b| {
        NICKNAMES.iter().any(|(canon, dims)| {
            val(b, given) == Some(*canon) && val(a, given).is_some_and(|g| dims.contains(&g))
        })
    }));
    // Swapped given name and surname.
    assert!(some_pair(&d, |a, b| {
        val(a, given).is_some()
            && val(a, given) != val(a, surname)
            && val(a, given) == val(b, surname)
            && val(a, surname) == val(b, given)
    }));
    // Upper-cased, accent-free name vs the accented original ("FRANCOIS").
    assert!(some_pair(&d, |a, b| {
        matches!((val(a, given), val(b, given)), (Some(x), Some(y))
            if x.is_ascii() && !y.is_ascii() && x.chars().any(char::is_alphabetic)
                && x.chars().all(|c| !c.is_lowercase())
                && y.to_uppercase().chars().filter(|c| c.is_ascii()).count()
                    < y.chars().count())
    }));
    // Accents dropped, case kept.
    assert!(some_pair(&d, |a, b| {
        matches!((val(a, surname), val(b, surname)), (Some(x), Some(y))
            if x.is_ascii() && !y.is_ascii() && x.len() + 1 == y.len()
                && x.chars().next() == y.chars().next())
    }));
    // Honorifics.
    assert!(d.records.iter().any(|r| val(r, given).is_some_and(|g| {
        ["M. ", "Mme ", "Dr ", "Mrs ", "Mr ", "Ms ", "Miss "].iter().any(|h| g.starts_with(h))
    })));
    // Hyphen replaced by a space in a compound given name.
    assert!(some_pair(&d, |a, b| {
        matches!((val(a, given), val(b, given)), (Some(x), Some(y))
            if y.contains('-') && x.to_lowercase() == y.to_lowercase().replace('-', " "))
    }));
    // Apostrophe or particle variants of a surname.
    assert!(some_pair(&d, |a, b| {
        matches!((val(a, surname), val(b, surname)), (Some(x), Some(y))
            if (y.contains('\'') || y.contains(' ')) && x.to_lowercase() != y.to_lowercase()
                && x.to_lowercase().replace([' ', '\'', '’'], "")
                    == y.to_lowercase().replace([' ', '\'', '’'], ""))
    }));
    // A typo: same length, one character different, in a name.
    assert!(some_pair(&d, |a, b| {
        matches!((val(a, surname), val(b, surname)), (Some(x), Some(y))
            if x.len() == y.len() && x != y
                && x.chars().zip(y.chars()).filter(|(p, q)| p != q).count() == 1)
    }));
    // Day and month transposed (ISO in both records).
    assert!(some_pair(&d, |a, b| {
        matches!((val(a, dob), val(b, dob)), (Some(x), Some(y))
            if x.len() == 10 && y.len() == 10 && x.as_bytes()[4] == b'-' && y.as_bytes()[4] == b'-'
                && x[..4] == y[..4] && x[5..7] == y[8..10] && x[8..10] == y[5..7] && x != y)
    }));
    // Email with a +tag; email with surrounding spaces; upper-case email.
    assert!(d.records.iter().any(|r| val(r, email).is_some_and(|e| e.contains('+'))));
    assert!(d
        .records
        .iter()
        .any(|r| val(r, email).is_some_and(|e| e.starts_with(' ') || e.ends_with(' '))));
    assert!(d.records.iter().any(|r| val(r, email).is_some_and(|e| e.contains("@GMAIL.COM"))));
    // A different email for the same person.
    assert!(some_pair(&d, |a, b| {
        matches!((val(a, email), val(b, email)), (Some(x), Some(y))
            if x.trim().to_lowercase().split('@').nth(1) != y.trim().to_lowercase().split('@').nth(1))
    }));
    // A phone with one digit changed (same format).
    assert!(some_pair(&d, |a, b| {
        matches!((val(a, phone), val(b, phone)), (Some(x), Some(y))
            if x.len() == y.len() && x.bytes().zip(y.bytes()).filter(|(p, q)| p != q).count() == 1)
    }));
    // Street type abbreviations.
    assert!(d.records.iter().any(|r| val(r, addr).is_some_and(|s| {
        let s = s.to_lowercase();
        ["av. ", "av ", "ave ", "bd ", "bld ", "boul. "].iter().any(|a| s.starts_with(a))
    })));
    assert!(d
        .records
        .iter()
        .any(|r| val(r, addr).is_some_and(|s| s.ends_with(" St") || s.ends_with(" Rd"))));
    // A move: same person, two cities.
    assert!(some_pair(&d, |a, b| {
        matches!((val(a, city), val(b, city)), (Some(x), Some(y)) if x.to_lowercase() != y.to_lowercase()
            && x.is_ascii() && y.is_ascii())
    }));
    // National id typo.
    assert!(some_pair(&d, |a, b| {
        matches!((val(a, nid), val(b, nid)), (Some(x), Some(y)) if x != y && x.len() == y.len())
    }));
}

/// Person pairs that share surname, street number, street and postcode in
/// some record each (all four present).
fn household_pairs(d: &SynthData) -> usize {
    let fs = ["surname", "street_number", "address_1", "postcode"].map(|n| field(d, n));
    let mut persons_by_key: HashMap<[String; 4], HashSet<u64>> = HashMap::new();
    for (r, &t) in d.records.iter().zip(&d.truth) {
        let key = fs.map(|f| val(r, f).map(str::to_lowercase));
        if key.iter().all(Option::is_some) {
            persons_by_key.entry(key.map(Option::unwrap_or_default)).or_default().insert(t);
        }
    }
    let mut pairs = HashSet::new();
    for persons in persons_by_key.values() {
        let mut v: Vec<u64> = persons.iter().copied().collect();
        v.sort_unstable();
        for i in 0..v.len() {
            for j in i + 1..v.len() {
                pairs.insert((v[i], v[j]));
            }
        }
    }
    pairs.len()
}

/// Person pairs with the same given name and surname but different dates of
/// birth, as written in some record each.
fn namesake_pairs(d: &SynthData) -> usize {
    let fs = ["given_name", "surname"].map(|n| field(d, n));
    let dob = field(d, "date_of_birth");
    let mut by_name: HashMap<[String; 2], HashMap<u64, HashSet<String>>> = HashMap::new();
    for (r, &t) in d.records.iter().zip(&d.truth) {
        if let (Some(g), Some(s), Some(b)) = (val(r, fs[0]), val(r, fs[1]), val(r, dob)) {
            by_name
                .entry([g.to_owned(), s.to_owned()])
                .or_default()
                .entry(t)
                .or_default()
                .insert(b.to_owned());
        }
    }
    by_name
        .values()
        .map(|m| {
            let n = m.len();
            n * (n.saturating_sub(1)) / 2
        })
        .sum()
}

#[test]
fn hard_negatives_appear_in_proportion() {
    // Relatives: about hard_negative_rate / 2 × people of them, each sharing
    // surname and address with its anchor.
    let people = 3000;
    let counts: Vec<usize> = [0.0, 0.1, 0.2]
        .iter()
        .map(|&h| {
            household_pairs(&generate(&SynthConfig::new(31, people).with_hard_negative_rate(h)))
        })
        .collect();
    eprintln!("household pairs {counts:?}");
    assert!(counts[0] <= 3, "{counts:?}");
    // Expected relatives: 150 at 0.1, 300 at 0.2 (plus pairs between relatives
    // of the same anchor); missing fields hide some (seed 31 finds 124 and 224).
    assert!((75..=260).contains(&counts[1]), "{counts:?}");
    assert!((150..=520).contains(&counts[2]), "{counts:?}");
    assert!(counts[2] as f64 > 1.5 * counts[1] as f64, "{counts:?}");

    // Namesakes come on top of chance namesakes from common names. Those are
    // rare since most surnames are built (seed 31 finds 13; 80 when every
    // surname came from the tables).
    let base =
        namesake_pairs(&generate(&SynthConfig::new(31, people).with_hard_negative_rate(0.0)));
    let more =
        namesake_pairs(&generate(&SynthConfig::new(31, people).with_hard_negative_rate(0.2)));
    eprintln!("namesake pairs {base} -> {more}");
    assert!(base <= 40, "{base} chance namesake pairs");
    assert!(more >= base + 150, "{base} -> {more}");
}

/// Distinct surnames among the persons' originals and the share of the most
/// frequent one (originals are never corrupted; with `corruption = 0` every
/// record of a person has the same surname).
fn surname_stats(people: usize) -> (usize, f64, String) {
    let d = generate(&SynthConfig::new(42, people).with_corruption(0.0));
    let f = field(&d, "surname");
    let mut by_person: HashMap<u64, &str> = HashMap::new();
    for (r, &t) in d.records.iter().zip(&d.truth) {
        by_person.entry(t).or_insert_with(|| val(r, f).unwrap_or(""));
    }
    let mut counts: HashMap<String, usize> = HashMap::new();
    for s in by_person.values() {
        // Channels upper-case some names: count "DUPONT" and "Dupont" once.
        *counts.entry(s.to_lowercase()).or_default() += 1;
    }
    let (top, n) = counts.iter().max_by_key(|&(s, &n)| (n, std::cmp::Reverse(s))).unwrap();
    (counts.len(), *n as f64 / people as f64, top.clone())
}

#[test]
fn surnames_are_long_tailed() {
    // Seed 42 measured 11,434 distinct surnames among 20,000 persons (49,563
    // among 100,000), the most frequent (martin) 0.92% of them. When every
    // surname came from the ~400 table names there were 442 distinct ones
    // and Martin was 2.28%.
    let (distinct, top_share, top) = surname_stats(20_000);
    eprintln!("20k persons: {distinct} distinct surnames, top {top} {:.2}%", 100.0 * top_share);
    assert!(distinct > 10_000, "{distinct}");
    assert!(top_share < 0.02, "{top} {top_share}");
    assert!(top_share > 0.003, "{top} {top_share}");
}

#[test]
#[ignore]
fn surname_stats_at_100k() {
    let (distinct, top_share, top) = surname_stats(100_000);
    println!("100k persons: {distinct} distinct surnames, top {top} {:.2}%", 100.0 * top_share);
}

#[test]
fn config_serde_is_strict_and_defaulted() {
    let cfg: SynthConfig = serde_json::from_str(r#"{"seed": 5, "corruption": 0.5}"#).unwrap();
    assert_eq!(cfg, SynthConfig::new(5, 1000).with_corruption(0.5));
    assert!(serde_json::from_str::<SynthConfig>(r#"{"peeple": 5}"#).is_err());
    let round: SynthConfig = serde_json::from_str(&serde_json::to_string(&cfg).unwrap()).unwrap();
    assert_eq!(round, cfg);
}

#[test]
fn nickname_table_is_exposed() {
    let bill = NICKNAMES.iter().find(|(c, _)| *c == "William").unwrap();
    assert!(bill.1.contains(&"Bill"));
    assert!(NICKNAMES.iter().any(|(c, d)| *c == "Jean-Baptiste" && d.contains(&"JB")));
    assert!(NICKNAMES.iter().all(|(c, d)| !d.is_empty() && !d.contains(c)));
}

fn any_rate() -> impl Strategy<Value = f64> {
    prop_oneof![
        0.0..=1.0f64,
        any::<f64>(),
        Just(f64::NAN),
        Just(f64::INFINITY),
        Just(f64::NEG_INFINITY),
        Just(-1.0),
        Just(1e12),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn any_config_generates_valid_data(
        seed in any::<u64>(),
        people in 0usize..=200,
        duplicate_rate in any_rate(),
        max_duplicates in prop_oneof![0usize..8, Just(usize::MAX)],
        corruption in any_rate(),
        missing_rate in any_rate(),
        hard_negative_rate in any_rate(),
        french_share in any_rate(),
    ) {
        let cfg = SynthConfig {
            seed, people, duplicate_rate, max_duplicates, corruption, missing_rate,
            hard_negative_rate, french_share, ..SynthConfig::default()
        };
        let d = generate(&cfg);
        check_valid(&d, people)?;
    }

    #[test]
    fn any_household_config_generates_valid_data(
        seed in any::<u64>(),
        people in 0usize..=200,
        (corruption, missing_rate, hard_negative_rate, household_share) in
            (any_rate(), any_rate(), any_rate(), any_rate()),
        (shared_landline_rate, family_email_rate, married_name_rate, hyphenated_name_rate) in
            (any_rate(), any_rate(), any_rate(), any_rate()),
        (life_event_rate, date_error_rate, given_name_skew) in
            (any_rate(), any_rate(), any_rate()),
        (common_surname_share_fr, common_surname_share_en) in (any_rate(), any_rate()),
        (couple, parents_children, siblings) in (any_rate(), any_rate(), any_rate()),
        (twins, junior_senior, grandparents) in (any_rate(), any_rate(), any_rate()),
    ) {
        let cfg = SynthConfig {
            seed, people, corruption, missing_rate, hard_negative_rate, household_share,
            household_mix: HouseholdMix {
                couple, parents_children, siblings, twins, junior_senior, grandparents,
            },
            shared_landline_rate, family_email_rate, married_name_rate, hyphenated_name_rate,
            life_event_rate, date_error_rate, given_name_skew, common_surname_share_fr,
            common_surname_share_en, ..SynthConfig::hard(0, 0)
        };
        let d = generate(&cfg);
        check_valid(&d, people)?;
        prop_assert_eq!(d.true_household_pairs(), d.true_pairs() + d.relative_pairs().len() as u64);
    }
}

/// What every generated data set satisfies.
fn check_valid(d: &SynthData, people: usize) -> Result<(), TestCaseError> {
    prop_assert_eq!(d.len(), d.truth.len());
    prop_assert!(d.len() >= people);
    let refs: HashSet<_> = d.records.iter().map(|r| r.source().clone()).collect();
    prop_assert_eq!(refs.len(), d.len());
    let ids: HashSet<u64> = d.truth.iter().copied().collect();
    prop_assert_eq!(ids, (0..people as u64).collect::<HashSet<_>>());
    for r in &d.records {
        prop_assert_eq!(r.len(), d.schema.len());
    }
    let csv = d.to_csv();
    prop_assert_eq!(csv.lines().count(), d.len() + 1);
    prop_assert_eq!(d.household.len(), d.len());
    prop_assert_eq!(d.life_events.len(), d.len());
    let mut person_household = HashMap::new();
    for (&t, &h) in d.truth.iter().zip(&d.household) {
        prop_assert_eq!(*person_household.entry(t).or_insert(h), h);
        prop_assert!(h <= t);
    }
    for (&t, &h) in &person_household {
        // A household's id is one of its members.
        prop_assert_eq!(person_household.get(&h), Some(&h), "{} in {}", t, h);
    }
    prop_assert!(d.life_events.iter().all(|&n| n <= 4));
    Ok(())
}

/// FNV-1a 64 of `bytes`.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes
        .iter()
        .fold(0xcbf2_9ce4_8422_2325u64, |h, &b| (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3))
}

/// The CSV without its last `drop` columns (none of the dropped ones quoted).
fn csv_without_last_columns(csv: &str, drop: usize) -> String {
    let mut out = String::with_capacity(csv.len());
    for line in csv.lines() {
        let mut cut = line.len();
        for _ in 0..drop {
            cut = line[..cut].rfind(',').unwrap();
        }
        out.push_str(&line[..cut]);
        out.push('\n');
    }
    out
}

/// The CSV without its second-to-last column (unquoted, as the last one).
fn csv_without_column_before_last(csv: &str) -> String {
    let mut out = String::with_capacity(csv.len());
    for line in csv.lines() {
        let last = line.rfind(',').unwrap();
        let before = line[..last].rfind(',').unwrap();
        out.push_str(&line[..before]);
        out.push_str(&line[last..]);
        out.push('\n');
    }
    out
}

#[test]
fn easy_preset_records_are_unchanged() {
    // `generate --people 2000 --seed 7` before the hard preset existed wrote
    // these bytes (469,775 of them): the columns up to `cluster`.
    let d = generate(&SynthConfig::easy(7, 2000));
    // The `generation` column, always empty here, came later: drop it.
    let old_columns = csv_without_column_before_last(&csv_without_last_columns(&d.to_csv(), 2));
    assert_eq!(old_columns.len(), 469_775);
    assert_eq!(fnv1a(old_columns.as_bytes()), 0x9fdb_abfd_e8d1_79a5);
    assert_eq!(d, generate(&SynthConfig::new(7, 2000)));
    assert_eq!(SynthConfig::easy(7, 2000), SynthConfig::default().with_seed(7).with_people(2000));
}

#[test]
fn hard_preset_is_deterministic() {
    let a = generate(&SynthConfig::hard(5, 1500));
    let b = generate(&SynthConfig::hard(5, 1500));
    assert_eq!(a, b);
    assert_eq!(a.to_csv().as_bytes(), b.to_csv().as_bytes());
    assert_ne!(a.to_csv(), generate(&SynthConfig::hard(6, 1500)).to_csv());
}

/// Person ids grouped by household.
fn household_members(d: &SynthData) -> HashMap<u64, Vec<u64>> {
    let mut by: HashMap<u64, Vec<u64>> = HashMap::new();
    for (&t, &h) in d.truth.iter().zip(&d.household) {
        let members = by.entry(h).or_default();
        if !members.contains(&t) {
            members.push(t);
        }
    }
    by
}

/// Each person's original record: the first observed.
fn originals(d: &SynthData) -> HashMap<u64, usize> {
    let mut first: HashMap<u64, usize> = HashMap::new();
    for (i, &t) in d.truth.iter().enumerate() {
        let at = d.records[i].observed_at();
        first
            .entry(t)
            .and_modify(|j| {
                if at < d.records[*j].observed_at() {
                    *j = i;
                }
            })
            .or_insert(i);
    }
    first
}

/// Folded for comparison: lower case, letters and digits only.
fn fold(s: &str) -> String {
    s.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect()
}

/// The last nine digits of a phone number, whatever its format.
fn phone_key(s: &str) -> String {
    let digits: String = s.chars().filter(char::is_ascii_digit).collect();
    digits[digits.len().saturating_sub(9)..].to_owned()
}

/// A date in any of the channels' formats (slash, dash and dot dates are day
/// first), as the library's date normalizer reads it (ISO, or "" when impossible).
fn parse_date(s: &str) -> String {
    use personlink::normalize::{DateNormalizer, DateOrder, Normalizer};
    DateNormalizer::new(DateOrder::DayFirst).normalize_to_string(s)
}

/// Share of multi-person households in which two members give one value of
/// `name` (folded by `key`) in some record each.
fn households_sharing(d: &SynthData, name: &str, key: fn(&str) -> String) -> f64 {
    let f = field(d, name);
    let mut persons_by_value: HashMap<(u64, String), HashSet<u64>> = HashMap::new();
    for (i, r) in d.records.iter().enumerate() {
        if let Some(v) = val(r, f) {
            persons_by_value.entry((d.household[i], key(v))).or_default().insert(d.truth[i]);
        }
    }
    let sharing: HashSet<u64> =
        persons_by_value.iter().filter(|(_, p)| p.len() > 1).map(|((h, _), _)| *h).collect();
    let multi = household_members(d).values().filter(|m| m.len() > 1).count();
    sharing.len() as f64 / multi as f64
}

#[test]
fn hard_preset_shares_within_tolerance() {
    let cfg = SynthConfig::hard(21, 20_000);
    let d = generate(&cfg);
    let members = household_members(&d);
    let in_multi: usize = members.values().filter(|m| m.len() > 1).map(Vec::len).sum();
    // Rounded, within a person (a household can leave one place free).
    assert!(in_multi.abs_diff(10_000) <= 1, "{in_multi}");
    let records_in_multi =
        d.household.iter().filter(|h| members[*h].len() > 1).count() as f64 / d.len() as f64;
    assert!((0.47..0.53).contains(&records_in_multi), "{records_in_multi}");

    // Landlines: half the households have one, but two members show it in
    // some record in only about half of those (seed 21: 27.6% of households;
    // records also show the members' own mobiles).
    let phones = households_sharing(&d, "phone", phone_key);
    // One email for two members in 20% of households, missing values hide a few.
    let emails = households_sharing(&d, "email", |e| e.trim().to_lowercase());
    eprintln!("households sharing a phone {phones:.3}, an email {emails:.3}");
    assert!((0.22..0.33).contains(&phones), "{phones}");
    assert!((0.15..0.22).contains(&emails), "{emails}");

    // Married names: some persons' records carry two surnames, hyphenated
    // (`Martin-Dupont`) or written together (`Dupont née Martin`).
    let surname = field(&d, "surname");
    let mut surnames: HashMap<u64, HashSet<String>> = HashMap::new();
    for (r, &t) in d.records.iter().zip(&d.truth) {
        surnames.entry(t).or_default().insert(val(r, surname).unwrap().to_lowercase());
    }
    let hyphen_married = surnames.values().any(|names| {
        names
            .iter()
            .any(|a| names.iter().any(|b| b.starts_with(&format!("{a}-")) && !a.contains('-')))
    });
    assert!(hyphen_married);
    assert!(d.records.iter().any(|r| val(r, surname).is_some_and(|s| s.contains(" née "))));
    let suffix = |s: &str| s.ends_with(" Jr") || s.ends_with(" Sr") || s.ends_with(" II");
    assert!(d.records.iter().any(|r| val(r, surname).is_some_and(suffix)));

    // Life events: none on originals; on duplicates, the rate's share plus
    // what earlier duplicates and the noise's moves bring; 1-4 kinds.
    let first = originals(&d);
    for &i in first.values() {
        assert_eq!(d.life_events[i], 0);
    }
    let duplicates = (d.len() - first.len()) as f64;
    let at_least = |n: u8| d.life_events.iter().filter(|&&e| e >= n).count() as f64 / duplicates;
    eprintln!(
        "life events: >=1 {:.3}, >=2 {:.3}, >=3 {:.3}",
        at_least(1),
        at_least(2),
        at_least(3)
    );
    assert!((0.42..0.6).contains(&at_least(1)), "{}", at_least(1));
    assert!((0.15..0.3).contains(&at_least(2)), "{}", at_least(2));
    assert!(d.life_events.iter().all(|&e| e <= 4));

    // Wrong dates of birth: duplicates whose date differs from the original's.
    let dob = field(&d, "date_of_birth");
    let differs = |d: &SynthData| {
        let first = originals(d);
        let (mut n, mut wrong) = (0, 0);
        for (i, r) in d.records.iter().enumerate() {
            let o = first[&d.truth[i]];
            if i == o {
                continue;
            }
            if let (Some(a), Some(b)) = (val(r, dob), val(&d.records[o], dob)) {
                n += 1;
                wrong += usize::from(parse_date(a) != parse_date(b));
            }
        }
        wrong as f64 / n as f64
    };
    let (hard, easy) = (differs(&d), differs(&generate(&SynthConfig::easy(21, 20_000))));
    eprintln!("wrong dates of birth: hard {hard:.3}, easy {easy:.3}");
    assert!((0.04..0.06).contains(&(hard - easy)), "{hard} {easy}");
}

#[test]
fn households_share_their_address_and_relatives_are_listed() {
    let d = generate(&SynthConfig::hard(22, 5000).with_missing_rate(0.0));
    let first = originals(&d);
    let fs = ["street_number", "address_1", "postcode", "city"].map(|n| field(&d, n));
    let address = |i: usize| fs.map(|f| fold(val(&d.records[i], f).unwrap()));
    let mut multi = 0;
    for members in household_members(&d).values().filter(|m| m.len() > 1) {
        multi += 1;
        let home = address(first[&members[0]]);
        for p in members {
            // Moves only happen in duplicates: originals are at home.
            assert_eq!(address(first[p]), home);
        }
    }
    assert!(multi > 800, "{multi}");
    let pairs = d.relative_pairs();
    assert_eq!(d.true_household_pairs(), d.true_pairs() + pairs.len() as u64);
    for &(a, b) in pairs.iter().step_by(7) {
        assert!(a < b && d.are_relatives(a, b) && d.are_relatives(b, a));
    }
    assert!(!d.are_relatives(0, 0));
    assert!(!d.are_relatives(0, d.len()));
    let easy = generate(&SynthConfig::easy(22, 5000));
    eprintln!("relative record pairs: hard {}, easy {}", pairs.len(), easy.relative_pairs().len());
    assert!(pairs.len() > 10 * easy.relative_pairs().len());
}

#[test]
fn life_events_are_bounded_by_what_differs() {
    // Undamaged, complete records with one surname and one phone each, so
    // only life events change values; a moved landline and a new phone look
    // alike, hence a range.
    let cfg = SynthConfig::hard(23, 5000)
        .with_corruption(0.0)
        .with_missing_rate(0.0)
        .with_married_name_rate(0.0)
        .with_shared_landline_rate(0.0)
        .with_household_mix(HouseholdMix { junior_senior: 0.0, ..HouseholdMix::default() });
    let d = generate(&cfg);
    let first = originals(&d);
    let [email, phone, surname] = ["email", "phone", "surname"].map(|n| field(&d, n));
    let fs = ["street_number", "address_1", "postcode", "city"].map(|n| field(&d, n));
    let v = |i: usize, f: usize| val(&d.records[i], f).unwrap_or("");
    let mut checked = 0;
    for i in 0..d.len() {
        let o = first[&d.truth[i]];
        let moved = fs.iter().any(|&f| fold(v(i, f)) != fold(v(o, f)));
        let new_email = v(i, email) != v(o, email);
        let new_surname = fold(v(i, surname)) != fold(v(o, surname));
        let new_phone = phone_key(v(i, phone)) != phone_key(v(o, phone));
        let least = [moved, new_email, new_surname, new_phone && !moved].map(u8::from);
        let least: u8 = least.iter().sum();
        let most = least + u8::from(new_phone && moved);
        assert!((least..=most).contains(&d.life_events[i]), "{i}: {least}..={most}");
        checked += usize::from(d.life_events[i] > 0);
    }
    assert!(checked > 500, "{checked}");
}

#[test]
fn namesakes_grow_with_the_population() {
    // Same folded given name and surname, different persons. With national
    // name frequencies the count grows with the square of the population;
    // the easy preset's concentrated tables make far more.
    let namesakes = |cfg: SynthConfig| {
        let d = generate(&cfg.with_corruption(0.0));
        let [g, s] = ["given_name", "surname"].map(|n| field(&d, n));
        let mut persons: HashMap<(String, String), HashSet<u64>> = HashMap::new();
        for (r, &t) in d.records.iter().zip(&d.truth) {
            let key = (fold(val(r, g).unwrap()), fold(val(r, s).unwrap()));
            persons.entry(key).or_default().insert(t);
        }
        persons.values().map(|p| p.len() * (p.len() - 1) / 2).sum::<usize>()
    };
    let no_households = |people| SynthConfig::hard(24, people).with_household_share(0.0);
    let small = namesakes(no_households(10_000));
    let large = namesakes(no_households(40_000));
    let easy = namesakes(SynthConfig::easy(24, 40_000));
    eprintln!("namesake pairs: hard 10k {small}, 40k {large}; easy 40k {easy}");
    assert!(small > 10, "{small}");
    assert!((8 * small..24 * small).contains(&large), "{small} {large}");
    assert!(easy > 3 * large, "{easy} {large}");
}

/// The figures of the module docs: `cargo test --release --test integration
/// synth::figures -- --ignored --nocapture`.
#[test]
#[ignore]
fn figures() {
    for (name, cfg) in
        [("easy", SynthConfig::easy(42, 57_000)), ("hard", SynthConfig::hard(42, 57_000))]
    {
        let d = generate(&cfg);
        let members = household_members(&d);
        let mut sizes: Vec<(usize, usize)> = Vec::new();
        for m in members.values() {
            match sizes.iter_mut().find(|(k, _)| *k == m.len()) {
                Some((_, n)) => *n += 1,
                None => sizes.push((m.len(), 1)),
            }
        }
        sizes.sort_unstable();
        let in_multi = d.household.iter().filter(|h| members[*h].len() > 1).count();
        let person_pairs: usize = members.values().map(|m| m.len() * (m.len() - 1) / 2).sum();
        // Namesakes: persons with the same folded given name and surname in
        // some record each, and among the persons' original records.
        let [g, s] = ["given_name", "surname"].map(|n| field(&d, n));
        let first = originals(&d);
        let mut by_name: HashMap<(String, String), HashSet<u64>> = HashMap::new();
        let mut by_original_name: HashMap<(String, String), Vec<u64>> = HashMap::new();
        for (i, r) in d.records.iter().enumerate() {
            let key = (fold(val(r, g).unwrap()), fold(val(r, s).unwrap()));
            if first[&d.truth[i]] == i {
                by_original_name.entry(key.clone()).or_default().push(d.truth[i]);
            }
            by_name.entry(key).or_default().insert(d.truth[i]);
        }
        let mut namesakes = HashSet::new();
        for persons in by_name.values() {
            let mut p: Vec<u64> = persons.iter().copied().collect();
            p.sort_unstable();
            for (k, &a) in p.iter().enumerate() {
                for &b in &p[k + 1..] {
                    namesakes.insert((a, b));
                }
            }
        }
        let person_household: HashMap<u64, u64> =
            d.truth.iter().copied().zip(d.household.iter().copied()).collect();
        let at_home =
            namesakes.iter().filter(|(a, b)| person_household[a] == person_household[b]).count();
        let original_namesakes: usize =
            by_original_name.values().map(|p| p.len() * (p.len() - 1) / 2).sum();
        let duplicates = (d.len() - first.len()) as f64;
        let at_least =
            |n: u8| d.life_events.iter().filter(|&&e| e >= n).count() as f64 / duplicates;
        println!("{name} preset, 57,000 persons (seed 42):");
        println!("  records {}, persons {}, households {}", d.len(), first.len(), members.len());
        println!("  households by size {sizes:?}");
        println!(
            "  records in multi-person households {:.1}%",
            100.0 * in_multi as f64 / d.len() as f64
        );
        println!(
            "  relative pairs (same household, different person): {person_pairs} of persons, {} of records",
            d.relative_pairs().len()
        );
        println!(
            "  namesake pairs of persons: {} in some record each ({at_home} in one household), {original_namesakes} among originals",
            namesakes.len()
        );
        println!(
            "  duplicates with >= 1 life event {:.1}%, >= 2 {:.1}%",
            100.0 * at_least(1),
            100.0 * at_least(2)
        );
    }
}

/// Release timing: `cargo test --release --test integration synth::timing -- --ignored --nocapture`.
/// Prints the best of three runs (the machine may be shared).
#[test]
#[ignore]
fn timing() {
    for (people, hard) in [(10_000usize, false), (100_000, false), (100_000, true)] {
        let cfg = if hard { SynthConfig::hard(42, people) } else { SynthConfig::new(42, people) };
        let mut best = (std::time::Duration::MAX, std::time::Duration::MAX);
        let mut last = None;
        for _ in 0..3 {
            let t = Instant::now();
            let d = generate(&cfg);
            let dt = t.elapsed();
            let t = Instant::now();
            let csv = d.to_csv();
            let dt_csv = t.elapsed();
            best = (best.0.min(dt), best.1.min(dt_csv));
            last = Some((d.len(), d.true_pairs(), csv.len()));
        }
        let (len, pairs, bytes) = last.unwrap();
        println!(
            "{people} people{} -> {len} records, {pairs} true pairs, generate {:?}, to_csv {:?} ({} MB)",
            if hard { " (hard)" } else { "" },
            best.0,
            best.1,
            bytes / 1_000_000
        );
    }
}

/// In the hard preset a mailbox belongs to one person, or to one household
/// (a family email): two spellings of one gmail mailbox never go to strangers.
#[test]
fn hard_preset_mailboxes_belong_to_one_household() {
    use personlink::normalize::{EmailNormalizer, Normalizer};
    let data = generate(&SynthConfig::hard(5, 20_000));
    let email = field(&data, "email");
    let canon = EmailNormalizer::default();
    let mut owner: HashMap<String, u64> = HashMap::new();
    let mut checked = 0;
    for (i, r) in data.records.iter().enumerate() {
        let Some(raw) = val(r, email) else { continue };
        let mailbox = canon.normalize_to_string(raw);
        if mailbox.is_empty() {
            continue;
        }
        checked += 1;
        let home = *owner.entry(mailbox.clone()).or_insert(data.household[i]);
        assert_eq!(home, data.household[i], "{mailbox} is shared by two households");
    }
    assert!(checked > 20_000, "{checked} emails checked");
}
