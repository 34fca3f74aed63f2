//! Names as customer files hold them (issue 10, point 5), through
//! `Linker::dedupe` with the default configuration: generation suffixes,
//! native-script names beside their Latin transliteration, given name and
//! surname typed in each other's field.

use personlink::cluster::Refusal;
use personlink::{Config, Linker, Record, Resolver, Schema};

fn person(schema: &Schema, id: &str, values: &[(&str, &str)]) -> Record {
    crate::support::record(schema, "crm", id, values)
}

/// The home and contact values a junior and his senior share.
const HOME: [(&str, &str); 4] = [
    ("street_number", "12"),
    ("address_1", "Maple Street"),
    ("postcode", "30301"),
    ("phone", "+1 404 555 0143"),
];

fn with_home<'a>(values: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    values.iter().copied().chain(HOME).collect()
}

/// Three pairs of records that agree on everything but two different
/// generation suffixes.
fn generations(schema: &Schema) -> Vec<Record> {
    let dob = ("date_of_birth", "1961-04-02");
    vec![
        // 0, 1: `I` / `II` at the end of the surname.
        person(schema, "0", &with_home(&[("given_name", "Henry"), ("surname", "Walsh I"), dob])),
        person(schema, "1", &with_home(&[("given_name", "Henry"), ("surname", "Walsh II"), dob])),
        // 2, 3: a suffix column (`Jr`) against `Senior` in the surname.
        person(
            schema,
            "2",
            &with_home(&[
                ("given_name", "Paul"),
                ("surname", "Archer"),
                ("generation", "Jr"),
                ("date_of_birth", "1970-05-06"),
            ]),
        ),
        person(
            schema,
            "3",
            &with_home(&[
                ("given_name", "Paul"),
                ("surname", "Archer Senior"),
                ("date_of_birth", "1970-05-06"),
            ]),
        ),
        // 4, 5: French `fils` / `père`.
        person(
            schema,
            "4",
            &with_home(&[
                ("given_name", "Jean"),
                ("surname", "Martin fils"),
                ("date_of_birth", "1950-01-09"),
            ]),
        ),
        person(
            schema,
            "5",
            &with_home(&[
                ("given_name", "Jean"),
                ("surname", "Martin père"),
                ("date_of_birth", "1950-01-09"),
            ]),
        ),
    ]
}

/// Two different generation suffixes hold records apart however much else
/// agrees (here even the birth date, as a typo would make it); a suffix on
/// one record only, or two spellings of one generation, are no evidence
/// against a match.
#[test]
fn different_generation_suffixes_never_merge() {
    let config = Config::person_default();
    let records = generations(&config.schema);
    let linker = Linker::new(config).unwrap();
    let r = linker.dedupe(&records).unwrap();
    for (a, b) in [(0, 1), (2, 3), (4, 5)] {
        assert_ne!(r.entity_of[a], r.entity_of[b], "records {a} and {b} merged");
        // They score as a match: the policy is what holds them apart.
        let refused = r.refused.iter().find(|l| (l.link.a, l.link.b) == (a, b));
        let refused = refused.unwrap_or_else(|| panic!("no refusal for {a}/{b}: {r:?}"));
        assert!(
            matches!(&refused.reason, Refusal::MustNotLink { field, .. } if field == "generation"),
            "{refused:?}"
        );
    }
}

/// The resolver shares the policy code: upserted one at a time, in either
/// order, the generations stay apart as in the batch run.
#[test]
fn the_resolver_keeps_generations_apart() {
    let config = Config::person_default();
    let records = generations(&config.schema);
    for order in [[0, 1, 2, 3, 4, 5], [5, 3, 1, 4, 2, 0]] {
        let mut resolver = Resolver::new(config.clone()).unwrap();
        for i in order {
            resolver.upsert(records[i].clone()).unwrap();
        }
        let entity = |i: usize| resolver.entity_of(records[i].source()).unwrap();
        for (a, b) in [(0, 1), (2, 3), (4, 5)] {
            assert_ne!(entity(a), entity(b), "records {a} and {b} merged ({order:?})");
        }
    }
}

#[test]
fn one_missing_suffix_or_two_spellings_of_one_generation_may_merge() {
    let config = Config::person_default();
    let s = config.schema.clone();
    let records = vec![
        person(
            &s,
            "0",
            &with_home(&[
                ("given_name", "Paul"),
                ("surname", "Archer Jr"),
                ("date_of_birth", "1970-05-06"),
            ]),
        ),
        person(
            &s,
            "1",
            &with_home(&[
                ("given_name", "Paul"),
                ("surname", "Archer"),
                ("date_of_birth", "1970-05-06"),
            ]),
        ),
        person(
            &s,
            "2",
            &with_home(&[
                ("given_name", "Paul II"),
                ("surname", "ARCHER"),
                ("date_of_birth", "06/05/1970"),
            ]),
        ),
    ];
    let r = Linker::new(config).unwrap().dedupe(&records).unwrap();
    assert_eq!(r.entity_of[0], r.entity_of[1]);
    assert_eq!(r.entity_of[0], r.entity_of[2], "Jr and II name one generation");
    assert!(r.refused.is_empty(), "{:?}", r.refused);
}

/// A name in Chinese characters, Arabic or Cyrillic script meets its Latin
/// transliteration when the birth date and the home agree.
#[test]
fn native_script_names_match_their_latin_form() {
    let config = Config::person_default();
    let s = config.schema.clone();
    // Names, then the birth date and postcode both records of a pair hold.
    let at_home = |names: &[(&'static str, &'static str)], dob, postcode| -> Vec<(&str, &str)> {
        names.iter().copied().chain([("date_of_birth", dob), ("postcode", postcode)]).collect()
    };
    let pairs: Vec<[Vec<(&str, &str)>; 2]> = vec![
        // The family name first, in one field, as Chinese names are written.
        [
            at_home(&[("surname", "李娜")], "1988-03-12", "69001"),
            at_home(&[("given_name", "Na"), ("surname", "Li")], "1988-03-12", "69001"),
        ],
        // The same in a given-name field.
        [
            at_home(&[("given_name", "王小明")], "1979-11-30", "69002"),
            at_home(&[("given_name", "Xiaoming"), ("surname", "Wang")], "1979-11-30", "69002"),
        ],
        // Arabic: the transliteration has no vowels.
        [
            at_home(&[("given_name", "يوسف"), ("surname", "حداد")], "1990-07-21", "69003"),
            at_home(&[("given_name", "Youssef"), ("surname", "Haddad")], "1990-07-21", "69003"),
        ],
        // Cyrillic.
        [
            at_home(&[("given_name", "Юлия"), ("surname", "Иванова")], "1985-02-14", "69004"),
            at_home(&[("given_name", "Yulia"), ("surname", "Ivanova")], "1985-02-14", "69004"),
        ],
    ];
    let records: Vec<Record> = pairs
        .iter()
        .enumerate()
        .flat_map(|(k, [a, b])| [person(&s, &format!("{k}a"), a), person(&s, &format!("{k}b"), b)])
        .collect();
    let linker = Linker::new(config).unwrap();
    let r = linker.dedupe(&records).unwrap();
    for k in 0..pairs.len() {
        let (a, b) = (2 * k, 2 * k + 1);
        let explanation = linker.explain(&records[a], &records[b]).unwrap();
        assert_eq!(r.entity_of[a], r.entity_of[b], "pair {k}:\n{explanation}");
        assert!(explanation.total_weight > 0.0, "pair {k}:\n{explanation}");
        // The names themselves are evidence, not merely no obstacle: each
        // name field both records fill weighs at least 3 bits (`LiNa` / `Li`,
        // `ywsf` / `Youssef` reached a level worth nothing or the "else").
        let names = explanation.fields.iter().filter(|f| f.field.ends_with("name"));
        for f in names.filter(|f| f.level != 0) {
            assert!(f.weight >= 3.0, "pair {k}, {}:\n{explanation}", f.field);
        }
    }
    assert_eq!(r.entities.len(), pairs.len());
}

/// The Arabic transliteration only agrees with a name of the same
/// consonants: another person at the same address stays apart.
#[test]
fn an_arabic_name_does_not_match_another_name() {
    let config = Config::person_default();
    let s = config.schema.clone();
    let home = [("date_of_birth", "1990-07-21"), ("postcode", "69003"), ("city", "Lyon")];
    let records = vec![
        person(
            &s,
            "0",
            &[[("given_name", "يوسف"), ("surname", "حداد")].as_slice(), &home].concat(),
        ),
        person(
            &s,
            "1",
            &[[("given_name", "Samir"), ("surname", "Haddad")].as_slice(), &home].concat(),
        ),
    ];
    let r = Linker::new(config).unwrap().dedupe(&records).unwrap();
    assert_ne!(r.entity_of[0], r.entity_of[1]);
}

/// `Daniela | Shore` and `Shore | Daniela` with the same birth date: the
/// any-order rule makes them a candidate pair and the swapped levels link them.
#[test]
fn swapped_given_name_and_surname_are_found_and_linked() {
    let config = Config::person_default();
    let s = config.schema.clone();
    let records = vec![
        person(
            &s,
            "0",
            &[("given_name", "Daniela"), ("surname", "Shore"), ("date_of_birth", "1984-09-17")],
        ),
        person(
            &s,
            "1",
            &[("given_name", "Shore"), ("surname", "Daniela"), ("date_of_birth", "17/09/1984")],
        ),
    ];
    let linker = Linker::new(config).unwrap();
    let r = linker.dedupe(&records).unwrap();
    // Found by the any-order rule, and by no other.
    assert_eq!(r.stats.candidate_pairs, 1, "{}", r.stats);
    let found: Vec<&str> = r
        .stats
        .pairs_by_rule
        .iter()
        .filter(|(_, n)| *n > 0)
        .map(|(rule, _)| rule.as_str())
        .collect();
    assert_eq!(found, ["name_sounds_any_order+birth_date"]);
    assert_eq!(
        r.entity_of[0],
        r.entity_of[1],
        "{}",
        linker.explain(&records[0], &records[1]).unwrap()
    );
    let explanation = linker.explain(&records[0], &records[1]).unwrap().to_string();
    assert!(explanation.contains("swapped_with(surname)"), "{explanation}");
}

/// Two Jean Dupont of one postcode without birth dates or national ids: with
/// different phones and streets nothing tells them apart from two namesakes
/// (`IdentityRequirement::corroborated_by`), so they stay apart; the same
/// phone backs the names, and they are one person.
#[test]
fn namesakes_without_birth_dates_need_a_shared_contact_value() {
    let config = Config::person_default();
    let schema = config.schema.clone();
    let linker = Linker::new(config).unwrap();
    let jean = |id: &str, phone: &str, street: &str| {
        let values = [
            ("given_name", "Jean"),
            ("surname", "Dupont"),
            ("city", "Lyon"),
            ("postcode", "69003"),
            ("phone", phone),
            ("address_1", street),
        ];
        person(&schema, id, &values)
    };
    let apart = [
        jean("a", "06 71 42 93 18", "rue Garibaldi"),
        jean("b", "06 48 27 51 90", "cours Gambetta"),
    ];
    assert_eq!(linker.dedupe(&apart).unwrap().entities.len(), 2);
    let one = [jean("a", "06 71 42 93 18", "rue Garibaldi"), jean("b", "06 71 42 93 18", "")];
    assert_eq!(linker.dedupe(&one).unwrap().entities.len(), 1);
}

/// Twins share a birth date, a surname and a home; first names that only
/// share a first letter (Aaron / Adam) or are merely close (Ethan / Evan:
/// Jaro-Winkler 0.81) disagree, so the twin rule holds them apart, while
/// `A.` is an initial of Aaron.
#[test]
fn twins_with_close_first_names_stay_apart_and_an_initial_joins() {
    let config = Config::person_default();
    let schema = config.schema.clone();
    let linker = Linker::new(config).unwrap();
    let twin = |id: &str, given: &str| {
        let values = with_home(&[
            ("given_name", given),
            ("surname", "Feldman"),
            ("date_of_birth", "1994-08-21"),
        ]);
        person(&schema, id, &values)
    };
    for (a, b) in [("Aaron", "Adam"), ("Ethan", "Evan")] {
        let result = linker.dedupe(&[twin("1", a), twin("2", b)]).unwrap();
        assert_eq!(result.entities.len(), 2, "{a} / {b}");
    }
    let result = linker.dedupe(&[twin("1", "Aaron"), twin("2", "A.")]).unwrap();
    assert_eq!(result.entities.len(), 1);
}
