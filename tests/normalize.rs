use std::sync::Arc;

use personlink::normalize::{
    ascii_fold, AddressAbbreviations, CaseFold, CollapseWhitespace, CompoundNames, Country,
    DateNormalizer, DateOrder, DigitsOnly, EmailNormalizer, FoldAccents, Generation, Honorifics,
    IdentifierNormalizer, NameParticles, NativeNameOrder, Normalizer, NormalizerSpec,
    PhoneNormalizer, Pipeline, Placeholders, PostcodeNormalizer, StripPunctuation, Trim,
};
use personlink::{Error, FieldKind};
use proptest::prelude::*;

use crate::support::serde_kinds;

/// Every step, as hosts would build them.
fn all_steps() -> Vec<Arc<dyn Normalizer>> {
    let mut steps: Vec<Arc<dyn Normalizer>> = vec![
        Arc::new(Trim),
        Arc::new(CollapseWhitespace),
        Arc::new(CaseFold),
        Arc::new(FoldAccents),
        Arc::new(StripPunctuation),
        Arc::new(Honorifics),
        Arc::new(NameParticles),
        Arc::new(CompoundNames),
        Arc::new(AddressAbbreviations),
        Arc::new(EmailNormalizer::default()),
        Arc::new(EmailNormalizer::new(["example.org"], false)),
        Arc::new(DateNormalizer::new(DateOrder::DayFirst)),
        Arc::new(DateNormalizer::new(DateOrder::MonthFirst)),
        Arc::new(PostcodeNormalizer),
        Arc::new(IdentifierNormalizer),
        Arc::new(DigitsOnly),
        Arc::new(NativeNameOrder { given_first: true }),
        Arc::new(Generation),
    ];
    for c in Country::ALL {
        steps.push(Arc::new(PhoneNormalizer::new(c)));
    }
    // Every kind of step a configuration can name, with its default knobs: a
    // new normalizer is held to the same laws without being listed here.
    for kind in serde_kinds::<NormalizerSpec>() {
        let spec: NormalizerSpec =
            serde_json::from_str(&format!(r#"{{"type":"{kind}"}}"#)).unwrap();
        steps.push(Arc::from(spec.build(&kind).unwrap()));
    }
    steps
}

#[test]
fn every_normalizer_kind_is_among_the_steps_held_to_the_laws() {
    let kinds = serde_kinds::<NormalizerSpec>();
    assert!(kinds.len() >= 16 && kinds.contains("phone") && kinds.contains("gender"), "{kinds:?}");
    // The hand-built steps, the phone of each country, then one per kind.
    assert_eq!(all_steps().len(), 18 + Country::ALL.len() + kinds.len());
}

fn pipelines() -> Vec<(FieldKind, Pipeline)> {
    FieldKind::ALL.iter().map(|&k| (k, Pipeline::for_kind(k))).collect()
}

fn run(n: &dyn Normalizer, s: &str) -> String {
    let mut out = String::new();
    n.normalize(s, &mut out);
    out
}

fn norm(kind: FieldKind, s: &str) -> String {
    Pipeline::for_kind(kind).normalize_to_string(s)
}

fn assert_idempotent(s: &str) {
    for step in all_steps() {
        let once = run(&*step, s);
        assert_eq!(run(&*step, &once), once, "{step:?} on {s:?}");
    }
    for (kind, p) in pipelines() {
        let once = p.normalize_to_string(s);
        assert_eq!(p.normalize_to_string(&once), once, "{kind:?} chain on {s:?}");
    }
}

// ---------------------------------------------------------------- names

#[test]
fn given_name_case_and_accent_variants_agree() {
    for s in ["FRANÇOIS", "François", "Franc\u{327}ois", "Francois", "francois", "\tFrançois\u{a0}"]
    {
        assert_eq!(norm(FieldKind::GivenName, s), "francois", "{s:?}");
    }
    assert_eq!(norm(FieldKind::GivenName, "Zoë"), "zoe");
    assert_eq!(norm(FieldKind::GivenName, "Zoe\u{308}"), "zoe");
    assert_eq!(norm(FieldKind::Surname, "Müller"), "muller");
    assert_eq!(norm(FieldKind::Surname, "Ñúñez"), "nunez");
    assert_eq!(norm(FieldKind::Surname, "Œuvray"), "oeuvray");
    assert_eq!(norm(FieldKind::Surname, "Straße"), "strasse");
    assert_eq!(norm(FieldKind::Surname, "Łukasz Ørsted Æbelø"), "lukasz orsted aebelo");
}

#[test]
fn native_script_names_read_as_their_latin_form() {
    // Chinese names: family name first, the given name's syllables together.
    assert_eq!(norm(FieldKind::Surname, "李娜"), "li na");
    assert_eq!(norm(FieldKind::GivenName, "李娜"), "na li");
    assert_eq!(norm(FieldKind::Surname, "王小明"), "wang xiaoming");
    assert_eq!(norm(FieldKind::GivenName, "王小明"), "xiaoming wang");
    assert_eq!(norm(FieldKind::FullName, "欧阳娜娜"), "ouyang nana");
    assert_eq!(norm(FieldKind::GivenName, "娜"), "na");
    // Korean.
    assert_eq!(norm(FieldKind::Surname, "김민수"), "gim minsu");
    // Arabic and Hebrew keep their consonants; Cyrillic reads as it sounds.
    assert_eq!(norm(FieldKind::GivenName, "يوسف"), "ywsf");
    assert_eq!(norm(FieldKind::Surname, "Иванова"), "ivanova");
    assert_eq!(norm(FieldKind::GivenName, "Юлия"), "yuliya");
}

#[test]
fn generation_suffixes_leave_the_names() {
    assert_eq!(norm(FieldKind::Surname, "Martin fils"), "martin");
    assert_eq!(norm(FieldKind::Surname, "Martin père"), "martin");
    assert_eq!(norm(FieldKind::Surname, "Archer Senior"), "archer");
    assert_eq!(norm(FieldKind::Surname, "Walsh IV"), "walsh");
    assert_eq!(norm(FieldKind::GivenName, "Paul Jr."), "paul");
    // `I` and `V` stay: as often initials as numerals.
    assert_eq!(norm(FieldKind::Surname, "Walsh I"), "walsh i");
}

#[test]
fn honorifics_in_default_chains() {
    assert_eq!(norm(FieldKind::GivenName, "M. Jean"), "jean");
    assert_eq!(norm(FieldKind::GivenName, "Dr. Marie-Claire"), "marie claire");
    assert_eq!(norm(FieldKind::GivenName, "MME Élodie"), "elodie");
    assert_eq!(norm(FieldKind::GivenName, "Mlle. Anne-Sophie"), "anne sophie");
    assert_eq!(norm(FieldKind::GivenName, "M"), "m");
    assert_eq!(norm(FieldKind::GivenName, "M."), "m");
    assert_eq!(norm(FieldKind::FullName, "Mr. John Smith Jr."), "john smith");
    assert_eq!(norm(FieldKind::FullName, "Prof. Dr. Hans Müller III"), "hans muller");
    assert_eq!(norm(FieldKind::Surname, "Me Dupont"), "dupont");
}

#[test]
fn particles_make_spellings_comparable() {
    for s in
        ["De La Fontaine", "de la fontaine", "Delafontaine", "DE LA FONTAINE", "de-la-Fontaine"]
    {
        assert_eq!(norm(FieldKind::Surname, s), "delafontaine", "{s:?}");
    }
    for s in ["D'Artagnan", "d Artagnan", "Dartagnan", "d’Artagnan", "D`Artagnan"] {
        assert_eq!(norm(FieldKind::Surname, s), "dartagnan", "{s:?}");
    }
    for s in ["O'Brien", "O Brien", "OBrien", "o’brien"] {
        assert_eq!(norm(FieldKind::Surname, s), "obrien", "{s:?}");
    }
    assert_eq!(norm(FieldKind::Surname, "Van der Berg"), "vanderberg");
    assert_eq!(norm(FieldKind::Surname, "Saint-Exupéry"), "saintexupery");
    assert_eq!(norm(FieldKind::Surname, "St Exupéry"), "saintexupery");
    assert_eq!(norm(FieldKind::FullName, "Jean de La Fontaine"), "jean delafontaine");
    // A trailing particle stays alone.
    assert_eq!(norm(FieldKind::FullName, "Jean De"), "jean de");
}

#[test]
fn compound_names_split() {
    for s in ["Jean-Pierre", "Jean Pierre", "Jean–Pierre", "JEAN—PIERRE", "jean - pierre"] {
        assert_eq!(norm(FieldKind::GivenName, s), "jean pierre", "{s:?}");
    }
    let p = Pipeline::builder().then(CompoundNames).build();
    assert_eq!(p.normalize_to_string("Jean-Pierre"), "Jean Pierre");
}

#[test]
fn strip_punctuation_and_whitespace() {
    assert_eq!(run(&StripPunctuation, "O'Brien"), "OBrien");
    assert_eq!(run(&StripPunctuation, "D'Artagnan"), "DArtagnan");
    assert_eq!(run(&StripPunctuation, "a.b,c/d(e)[f]-g_h"), "a b c d e f g h");
    assert_eq!(run(&CollapseWhitespace, "a\u{a0}\u{a0}b\t\nc\u{2009}d"), "a b c d");
    assert_eq!(run(&Trim, "\u{3000}x\u{a0}"), "x");
    assert_eq!(run(&CaseFold, "ÇA VA"), "ça va");
}

#[test]
fn fold_accents_composed_equals_decomposed() {
    let pairs = [
        ("Fran\u{e7}ois", "Franc\u{327}ois"),
        ("Zo\u{eb}", "Zoe\u{308}"),
        ("\u{d1}\u{fa}\u{f1}ez", "N\u{303}u\u{301}n\u{303}ez"),
        ("\u{c5}ngstr\u{f6}m", "A\u{30a}ngstro\u{308}m"),
    ];
    for (nfc, nfd) in pairs {
        assert_eq!(run(&FoldAccents, nfc), run(&FoldAccents, nfd));
    }
    assert_eq!(run(&FoldAccents, "Æ æ Œ œ ß Ø ø ł é"), "AE ae OE oe ss O o l e");
    let mut out = String::new();
    ascii_fold("ÆØÅ Борис 深圳 😀", &mut out);
    assert_eq!(out, "aeoa boris shenzhen ");
}

// ---------------------------------------------------------------- address, city

#[test]
fn address_chain_expands_abbreviations() {
    use FieldKind::Address as A;
    assert_eq!(norm(A, "12, Av. des Champs-Élysées"), "12 avenue des champs elysees");
    assert_eq!(norm(A, "12 avenue des Champs Elysees"), "12 avenue des champs elysees");
    assert_eq!(norm(A, "221B Baker St."), "221b baker street");
    assert_eq!(norm(A, "3 bd St-Michel"), "3 boulevard st michel");
    assert_eq!(norm(A, "St Kilda Rd"), "st kilda road");
    assert_eq!(norm(A, "8 Mulholland Dr"), "8 mulholland drive");
    assert_eq!(norm(A, "Dr Roux"), "dr roux");
    assert_eq!(norm(A, "5 imp. du Moulin"), "5 impasse du moulin");
    assert_eq!(norm(A, "Chem. des Vignes"), "chem des vignes");
    assert_eq!(norm(A, "Ch. des Vignes"), "chemin des vignes");
    assert_eq!(norm(FieldKind::City, "Saint-Étienne"), "saint etienne");
    assert_eq!(norm(FieldKind::City, "ST ÉTIENNE"), "st etienne");
}

// ---------------------------------------------------------------- email

#[test]
fn email_canonical_or_missing() {
    use FieldKind::Email as E;
    assert_eq!(norm(E, "  Jean.Dupont+news@GMail.com "), "jeandupont@gmail.com");
    assert_eq!(norm(E, "jeandupont@gmail.com"), "jeandupont@gmail.com");
    assert_eq!(norm(E, "Jean.Dupont+x@orange.fr"), "jean.dupont@orange.fr");
    for bad in ["jean", "jean@", "@x.fr", "a@b@c.fr", "jean@localhost", "jean dupont@x.fr", ""] {
        assert_eq!(norm(E, bad), "", "{bad:?}");
    }
    let keep = NormalizerSpec::Email { ignore_dots_providers: vec![], strip_plus_tags: false };
    let p = Pipeline::from_specs(&[keep], "fields.email.normalizers").unwrap();
    assert_eq!(p.normalize_to_string("J.D+x@Gmail.com"), "j.d+x@gmail.com");
}

#[test]
fn emails_as_customer_files_hold_them() {
    use FieldKind::Email as E;
    for (raw, want) in [
        // Display names and brackets.
        (r#""Ann Lowe" <alowe@example.com>"#, "alowe@example.com"),
        ("Rosa Ortiz<rortiz@example.com>", "rortiz@example.com"),
        ("<x@y.com>", "x@y.com"),
        (r#""Dupont, Jean" <Jean.Dupont+crm@GMail.com>"#, "jeandupont@gmail.com"),
        // mailto links.
        ("mailto:jd@orange.fr", "jd@orange.fr"),
        ("MAILTO:JD@Orange.fr?subject=Hello", "jd@orange.fr"),
        // Several addresses: distinct, sorted, one space apart.
        ("rosa@y.fr; ann@x.fr", "ann@x.fr rosa@y.fr"),
        ("rosa@y.fr, ann@x.fr", "ann@x.fr rosa@y.fr"),
        ("rosa@y.fr / ann@x.fr", "ann@x.fr rosa@y.fr"),
        ("rosa@y.fr  ann@x.fr", "ann@x.fr rosa@y.fr"),
        ("Rosa <rosa@y.fr>; mailto:Ann@X.fr", "ann@x.fr rosa@y.fr"),
        ("j.d@gmail.com; JD+x@gmail.com", "jd@gmail.com"),
        ("ann@x.fr; not an address", "ann@x.fr"),
        // Still missing.
        ("Ann Lowe", ""),
        ("jean dupont@x.fr", ""),
        ("<jean>", ""),
        ("mailto:", ""),
        ("a@x.fr@y.fr", ""),
    ] {
        assert_eq!(norm(E, raw), want, "{raw:?}");
    }
    // Two records sharing one address share a token of the normalized value.
    let a = norm(E, "ann@x.fr; Rosa <rosa@y.fr>");
    let b = norm(E, "Ann Lowe <Ann@X.fr>");
    assert!(a.split(' ').any(|t| b.split(' ').any(|u| u == t)), "{a:?} {b:?}");
}

#[test]
fn placeholders_after_each_chain() {
    let chain = |kind: FieldKind, extra: NormalizerSpec| {
        let mut specs = NormalizerSpec::defaults_for(kind);
        specs.push(extra);
        Pipeline::from_specs(&specs, "fields.x.normalizers").unwrap()
    };
    let email = chain(FieldKind::Email, NormalizerSpec::default_placeholders());
    for raw in [
        "test@test.com",
        "TEST@TEST.COM",
        "noemail@orange.fr",
        "No-Email@gmail.com",
        "none@none.com",
        "aaa@aaa.com",
        "unknown@company.fr",
        "mailto:nomail@free.fr",
    ] {
        assert_eq!(email.normalize_to_string(raw), "", "{raw:?}");
    }
    assert_eq!(email.normalize_to_string("jd@orange.fr; test@test.com"), "jd@orange.fr");
    assert_eq!(email.normalize_to_string("Jean.Dupont@GMail.com"), "jeandupont@gmail.com");

    let phone = chain(FieldKind::Phone, NormalizerSpec::default_placeholders());
    for raw in ["0000000000", "06 00 00 00 00", "+33 6 00 00 00 00", "01 23 45 67 89", "0123456789"]
    {
        assert_eq!(phone.normalize_to_string(raw), "", "{raw:?}");
    }
    assert_eq!(phone.normalize_to_string("06 71 42 93 58"), "+33671429358");

    let surname = chain(FieldKind::Surname, NormalizerSpec::default_placeholders());
    for raw in ["N/A", "Unknown", "XXX", "Inconnu", "Néant"] {
        assert_eq!(surname.normalize_to_string(raw), "", "{raw:?}");
    }
    for raw in ["Na", "Dupont", "De La Fontaine"] {
        assert_eq!(
            surname.normalize_to_string(raw),
            norm(FieldKind::Surname, raw),
            "{raw:?} passes through"
        );
    }

    // Listed values are written as the chain outputs them: the identifier
    // step upper-cases and drops the slash of `N/A`.
    let listed = NormalizerSpec::Placeholders { values: vec!["NA".into()], shape_rules: true };
    let id = chain(FieldKind::Identifier, listed);
    for raw in ["n/a", "N.A.", "000000000000000", "1234567890"] {
        assert_eq!(id.normalize_to_string(raw), "", "{raw:?}");
    }
    assert_eq!(id.normalize_to_string("1 80 02 75 123 456"), "1800275123456");
}

#[test]
fn invalid_email_provider_is_a_config_error() {
    let specs = vec![
        NormalizerSpec::Trim,
        NormalizerSpec::Email { ignore_dots_providers: vec!["".into()], strip_plus_tags: true },
    ];
    let err = Pipeline::from_specs(&specs, "fields.email.normalizers").unwrap_err();
    match err {
        Error::Config { path, reason } => {
            assert_eq!(path, "fields.email.normalizers[1]");
            assert!(reason.contains("ignore_dots_providers[0]"), "{reason}");
        }
        other => panic!("unexpected error {other:?}"),
    }
}

// ---------------------------------------------------------------- phone

#[test]
fn phone_to_e164() {
    let fr = PhoneNormalizer::new(Country::Fr);
    for s in [
        "06.12.34.56.78",
        "06 12 34 56 78",
        "0612345678",
        "0033 6 12 34 56 78",
        "+33 6 12 34 56 78",
        "+33 (0)6 12 34 56 78",
        "+33612345678",
        "(06) 12-34-56-78",
        "06/12/34/56/78",
    ] {
        assert_eq!(run(&fr, s), "+33612345678", "{s:?}");
    }
    assert_eq!(run(&fr, "+44 20 7946 0958"), "+442079460958");
    assert_eq!(run(&PhoneNormalizer::new(Country::Us), "(415) 555-2671"), "+14155552671");
    assert_eq!(run(&PhoneNormalizer::new(Country::It), "06 6982 1234"), "+390669821234");
    assert_eq!(run(&PhoneNormalizer::new(Country::Gb), "020 7946 0958"), "+442079460958");
    assert_eq!(run(&PhoneNormalizer::new(Country::Au), "0412 345 678"), "+61412345678");
    assert_eq!(run(&fr, "+7 495 123-45-67"), "+74951234567");
    for bad in ["06 CALL ME", "+", "0", "+33 6 12 34 56 7", "0612", "99 99 99 99 99"] {
        assert_eq!(run(&fr, bad), "", "{bad:?}");
    }
}

#[test]
fn phone_unplaced_numbers_keep_their_digits() {
    let fr = PhoneNormalizer::new(Country::Fr);
    // Not French: kept as digits, without `+`, a trunk 0 removed.
    assert_eq!(run(&fr, "702-555-0143"), "7025550143");
    assert_eq!(run(&fr, "(807) 555-0198"), "8075550198");
    assert_eq!(run(&fr, "9715550172"), "9715550172");
    assert_eq!(run(&fr, "06 12 34 56"), "6123456");
    assert_eq!(run(&fr, "06 12 34 56 78 90 12"), "6123456789012");
    // Numbers placed before keep their E.164 form.
    assert_eq!(run(&fr, "06 12 34 56 78"), "+33612345678");
    assert_eq!(run(&fr, "+1 702 555 0143"), "+17025550143");
    // With the default US, the same numbers are placed.
    let us = PhoneNormalizer::new(Country::Us);
    for s in ["702-555-0143", "(702) 555-0143", "1-702-555-0143", "+1 (702) 555-0143"] {
        assert_eq!(run(&us, s), "+17025550143", "{s:?}");
    }
    assert_eq!(run(&us, "(807) 555-0198"), "+18075550198");
    assert_eq!(run(&us, "011 44 20 7946 0958"), "+442079460958");
}

#[test]
fn phones_of_any_country() {
    let phone = |code: &str, s: &str| run(&PhoneNormalizer::new(code.parse().unwrap()), s);
    // United States: every shape of the CRM file of issue 10.
    for s in ["702-555-0143", "(702) 555-0143", "7025550143", "+1 702 555 0143 ext. 12"] {
        assert_eq!(phone("US", s), "+17025550143", "{s:?}");
    }
    assert_eq!(phone("US", "(807) 555-0198"), "+18075550198");
    assert_eq!(phone("US", "9715550172"), "+19715550172");
    // Read in France, a US national number keeps its digits.
    assert_eq!(phone("FR", "(807) 555-0198"), "8075550198");
    // United Kingdom, Germany, Japan, Brazil, India: national and international forms agree.
    for (code, national, international, e164) in [
        ("GB", "020 7946 0958", "+44 (0)20 7946 0958", "+442079460958"),
        ("GB", "07700 900123", "0044 7700 900123", "+447700900123"),
        ("DE", "030 1234567", "+49 30 1234567", "+49301234567"),
        ("DE", "0151 23456789", "0049 151 23456789", "+4915123456789"),
        ("JP", "03-1234-5678", "+81 3-1234-5678", "+81312345678"),
        ("JP", "090-1234-5678", "+81 90 1234 5678", "+819012345678"),
        ("BR", "(11) 91234-5678", "+55 11 91234-5678", "+5511912345678"),
        ("BR", "(21) 2345-6789", "+55 (21) 2345-6789", "+552123456789"),
        ("IN", "098765 43210", "+91 98765 43210", "+919876543210"),
        ("IN", "011 2345 6789", "+91 11 2345 6789", "+911123456789"),
    ] {
        assert_eq!(phone(code, national), e164, "{code} {national:?}");
        assert_eq!(phone(code, international), e164, "{code} {international:?}");
        // The international form means the same number read from anywhere.
        assert_eq!(phone("FR", international), e164, "FR {international:?}");
    }
    // Every ISO 3166-1 code is a default country.
    assert_eq!(Country::ALL.len(), 250);
    for code in ["AD", "ZW", "XK", "AQ", "UM", "VA", "KZ"] {
        assert_eq!(code.parse::<Country>().unwrap().alpha2(), code);
    }
}

/// How often the two parsers write the same value: on the generated records'
/// phones (French, British and American numbers in their usual shapes, read
/// with the default France) and on national numbers of several countries read
/// in their own country. Run with `--nocapture` to see the figures.
#[cfg(feature = "phonenumber")]
#[test]
fn phone_parsers_agree_on_most_numbers() {
    use personlink::normalize::LibphonenumberNormalizer;
    use personlink::synth::{generate, SynthConfig};

    let config = personlink::Config::person_default();
    let phone = config.schema.require("phone").unwrap().index();
    let generated: Vec<(Country, String)> = generate(&SynthConfig::new(9, 2_000))
        .records
        .iter()
        .filter_map(|r| r.values()[phone].clone())
        .map(|p| (Country::Fr, p))
        .collect();
    let national: Vec<(Country, String)> = [
        ("US", "702-555-0143"),
        ("US", "(807) 555-0198"),
        ("US", "9715550172"),
        ("US", "+1 702 555 0143 ext. 12"),
        ("US", "1 (212) 555-0100"),
        ("CA", "(604) 555-0199"),
        ("GB", "020 7946 0958"),
        ("GB", "07700 900123"),
        ("GB", "0161 496 0000"),
        ("DE", "030 1234567"),
        ("DE", "0151 23456789"),
        ("DE", "089 12345678"),
        ("JP", "03-1234-5678"),
        ("JP", "090-1234-5678"),
        ("JP", "06-6123-4567"),
        ("BR", "(11) 91234-5678"),
        ("BR", "(21) 2345-6789"),
        ("BR", "0 21 11 91234-5678"),
        ("IN", "098765 43210"),
        ("IN", "011 2345 6789"),
        ("IN", "+91 80 2345 6789"),
        ("IT", "06 6982 1234"),
        ("IT", "312 345 6789"),
        ("ES", "612 34 56 78"),
        ("FR", "06 12 34 56 78"),
        ("FR", "01 23 45 67 89"),
        ("BE", "0470 12 34 56"),
        ("CH", "044 668 18 00"),
        ("NL", "020-1234567"),
        ("AU", "(02) 9876 5432"),
        ("AU", "0412 345 678"),
        ("MX", "55 1234 5678"),
        ("RU", "8 (495) 123-45-67"),
        ("CN", "010 1234 5678"),
        ("CN", "138 0013 8000"),
        ("ZA", "021 123 4567"),
        ("NG", "0803 123 4567"),
        ("MA", "0612-345678"),
    ]
    .iter()
    .map(|(c, p)| (c.parse().unwrap(), (*p).to_owned()))
    .collect();
    for (name, sample) in [("generated", &generated), ("national", &national)] {
        let mut disagree = Vec::new();
        let (mut placed, mut valid) = (0, 0);
        for (country, raw) in sample {
            let builtin = run(&PhoneNormalizer::new(*country), raw);
            let lib = run(&LibphonenumberNormalizer::new(*country), raw);
            if builtin != lib {
                disagree.push(format!(
                    "{country} {raw:?}: builtin {builtin:?}, libphonenumber {lib:?}"
                ));
            }
            // How many numbers the built-in parser places libphonenumber calls valid.
            if builtin.starts_with('+') {
                placed += 1;
                valid += usize::from(
                    phonenumber::parse(None, &builtin).is_ok_and(|n| phonenumber::is_valid(&n)),
                );
            }
        }
        let agree = sample.len() - disagree.len();
        eprintln!(
            "{name}: the parsers agree on {agree} of {} numbers; libphonenumber validates {valid} \
             of the {placed} the built-in parser places",
            sample.len()
        );
        for d in disagree.iter().take(20) {
            eprintln!("  {d}");
        }
        assert!(agree * 10 >= sample.len() * 9, "{name}: {agree} of {}", sample.len());
    }
}

#[test]
fn phone_extensions_are_dropped() {
    let fr = PhoneNormalizer::new(Country::Fr);
    for s in [
        "+1 702 555 0143 ext. 12",
        "+1 702 555 0143 x12",
        "+1 702 555 0143 poste 12",
        "+1 702 555 0143 #12",
        "+1 702 555 0143 extension 12",
        "+1-702-555-0143;ext=12",
    ] {
        assert_eq!(run(&fr, s), "+17025550143", "{s:?}");
    }
    assert_eq!(run(&fr, "06 12 34 56 78 poste 321"), "+33612345678");
}

#[test]
fn phone_spec_default_country_is_used() {
    let spec: NormalizerSpec =
        serde_json::from_str(r#"{"type":"phone","default_country":"US"}"#).unwrap();
    let p = Pipeline::from_specs(&[spec], "fields.phone.normalizers").unwrap();
    assert_eq!(p.normalize_to_string("415.555.2671"), "+14155552671");
    assert_eq!(serde_json::to_string(&Country::Fr).unwrap(), r#""FR""#);
    assert_eq!(serde_json::from_str::<Country>(r#""CH""#).unwrap(), Country::Ch);
}

// ---------------------------------------------------------------- date

#[test]
fn dates_to_iso() {
    let d = DateNormalizer::new(DateOrder::DayFirst);
    for s in [
        "1980-02-01",
        "1980/02/01",
        "1980.02.01",
        "19800201",
        "01/02/1980",
        "01.02.1980",
        "01-02-1980",
        "1/2/1980",
        "1980-02-01T00:00:00",
        "1980-02-01 10:00",
        " 01/02/1980 ",
    ] {
        assert_eq!(run(&d, s), "1980-02-01", "{s:?}");
    }
    let m = DateNormalizer::new(DateOrder::MonthFirst);
    assert_eq!(run(&m, "02/01/1980"), "1980-02-01");
    assert_eq!(run(&m, "1980-02-01"), "1980-02-01");
    for bad in ["1980-02-30", "30/02/1980", "19800230", "13/13/1980", "1980-13-01", "00/01/1980"] {
        assert_eq!(run(&d, bad), "", "{bad:?}");
    }
    for bad in ["01/01/1799", "01/01/2201", "29/02/1900", "1/2/198", "tomorrow"] {
        assert_eq!(run(&d, bad), "", "{bad:?}");
    }
    // Two-digit years are read with the pivot (2029 by default).
    assert_eq!(run(&d, "1/2/80"), "1980-02-01");
    assert_eq!(run(&d, "29/02/2000"), "2000-02-29");
    assert_eq!(run(&d, "29/02/2024"), "2024-02-29");
    assert_eq!(run(&d, "29/02/2023"), "");
}

#[test]
fn dates_with_month_names_and_short_years() {
    let d = DateNormalizer::new(DateOrder::DayFirst);
    let m = DateNormalizer::new(DateOrder::MonthFirst);
    for (s, want) in [
        ("Mar 1 1970", "1970-03-01"),
        ("March 1, 1970", "1970-03-01"),
        ("1 March 1970", "1970-03-01"),
        ("1st March 1970", "1970-03-01"),
        ("14 mars 1979", "1979-03-14"),
        ("le 14 mars 1979", "1979-03-14"),
        ("24-May-11", "2011-05-24"),
        ("24-May-2011", "2011-05-24"),
        ("24 May 11", "2011-05-24"),
        ("1970 Mar 01", "1970-03-01"),
        ("Monday, March 1, 1970", "1970-03-01"),
        ("1 févr. 1980", "1980-02-01"),
        ("1 FÉVRIER 1980", "1980-02-01"),
        ("Sept 3 1980", "1980-09-03"),
        ("3 sept. 1980", "1980-09-03"),
        ("1. März 1970", "1970-03-01"),
        ("1 maerz 1970", "1970-03-01"),
        ("1 de marzo de 1970", "1970-03-01"),
        ("1 maggio 1970", "1970-05-01"),
        ("1 mei 1970", "1970-05-01"),
        ("1 de março de 1970", "1970-03-01"),
    ] {
        assert_eq!(run(&d, s), want, "{s:?}");
        assert_eq!(run(&m, s), want, "{s:?}");
    }
    assert_eq!(run(&d, "3/1/70"), "1970-01-03");
    assert_eq!(run(&m, "3/1/70"), "1970-03-01");
    assert_eq!(run(&m, "3/1/29"), "2029-03-01");
    assert_eq!(run(&m, "3/1/30"), "1930-03-01");
    assert_eq!(run(&d.with_pivot(2025), "3/1/26"), "1926-01-03");
    for bad in
        ["Mar 32 1970", "Foo 1 1970", "1 2 3", "Jui 1 1970", "March 1970", "1 Mar 1 Apr 1970"]
    {
        assert_eq!(run(&d, bad), "", "{bad:?}");
        assert_eq!(run(&m, bad), "", "{bad:?}");
    }
    assert_eq!(DateOrder::sniff(["01/02/1980", "12/31/1975"]), Some(DateOrder::MonthFirst));
    assert_eq!(DateOrder::sniff(["01/02/1980", "31/12/1975"]), Some(DateOrder::DayFirst));
    assert_eq!(DateOrder::sniff(["01/02/1980"]), None);
}

// ---------------------------------------------------------------- postcode, identifier, digits

#[test]
fn postcodes_identifiers_digits() {
    assert_eq!(norm(FieldKind::Postcode, "sw1a 1aa"), "SW1A1AA");
    assert_eq!(norm(FieldKind::Postcode, "75 001"), "75001");
    assert_eq!(norm(FieldKind::Postcode, "1000-001"), "1000001");
    assert_eq!(norm(FieldKind::Identifier, "2-80-02 75/123"), "2800275123");
    assert_eq!(norm(FieldKind::Identifier, "ab c-9"), "ABC9");
    assert_eq!(run(&DigitsOnly, "tél: ０６ 12"), "0612");
}

// ---------------------------------------------------------------- specs and pipelines

#[test]
fn specs_round_trip_through_json() {
    for kind in FieldKind::ALL {
        let specs = NormalizerSpec::defaults_for(kind);
        let json = serde_json::to_string(&specs).unwrap();
        let back: Vec<NormalizerSpec> = serde_json::from_str(&json).unwrap();
        assert_eq!(back, specs, "{json}");
    }
    let json = r#"[{"type":"email"},{"type":"date","order":"month_first"}]"#;
    let specs: Vec<NormalizerSpec> = serde_json::from_str(json).unwrap();
    assert_eq!(specs[0], NormalizerSpec::default_email());
    assert_eq!(specs[1], NormalizerSpec::Date { order: DateOrder::MonthFirst, pivot: 2029 });
    assert!(serde_json::from_str::<NormalizerSpec>(r#"{"type":"trim","extra":true}"#).is_err());
    assert!(
        serde_json::from_str::<NormalizerSpec>(r#"{"type":"date","oder":"day_first"}"#).is_err()
    );
}

#[test]
fn for_kind_matches_from_specs() {
    let samples = ["  Dr. Jean-Pierre DE LA FONTAINE Jr ", "06.12.34.56.78", "1/2/1980", "a@b.fr"];
    for kind in FieldKind::ALL {
        let a = Pipeline::for_kind(kind);
        let b = Pipeline::from_specs(&NormalizerSpec::defaults_for(kind), "x").unwrap();
        assert_eq!(a.len(), b.len());
        assert!(!a.is_empty());
        for s in samples {
            assert_eq!(a.normalize_to_string(s), b.normalize_to_string(s), "{kind:?} {s:?}");
        }
    }
}

#[test]
fn custom_pipeline_and_buffer_reuse() {
    let p = Pipeline::builder().then(Trim).then(FoldAccents).then(CaseFold).build();
    let (mut out, mut scratch) = (String::with_capacity(64), String::with_capacity(64));
    for (raw, want) in [(" Élodie ", "elodie"), ("ÉRIC", "eric"), ("", ""), ("Zoë", "zoe")] {
        p.apply(raw, &mut out, &mut scratch);
        assert_eq!(out, want);
    }
    // Same-capacity buffers are reused, not regrown, on the steady-state path.
    assert!(out.capacity() >= 64 && scratch.capacity() >= 64);
}

#[test]
fn pipelines_are_shared_across_threads() {
    let p = Pipeline::for_kind(FieldKind::Surname);
    std::thread::scope(|s| {
        for _ in 0..4 {
            let p = p.clone();
            s.spawn(move || assert_eq!(p.normalize_to_string("De La Fontaine"), "delafontaine"));
        }
    });
}

// ---------------------------------------------------------------- pathological input

#[test]
fn one_megabyte_fields_through_every_chain() {
    const MB: usize = 1 << 20;
    let to_mb = |s: &str| s.repeat(MB / s.len() + 1);
    let ascii = to_mb(
        "Dr. Jean-Pierre de la Fontaine, 12 av. St-Michel; O'Brien+tag@GMail.com 06.12.34.56.78 ",
    );
    let latin = to_mb("Ñúñez Œuvray Straße Zoë Müller — ");
    let marks: String =
        std::iter::once('e').chain(std::iter::repeat_n('\u{301}', MB / 2)).collect();
    for (kind, p) in pipelines() {
        for input in [&ascii, &latin, &marks] {
            assert!(input.len() >= MB);
            let out = p.normalize_to_string(input);
            assert!(out.len() <= 2 * input.len(), "{kind:?}: {} -> {}", input.len(), out.len());
            if matches!(kind, FieldKind::GivenName | FieldKind::Surname | FieldKind::FullName) {
                assert!(out
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b' '));
                assert!(!out.contains("  "));
            }
            if input.as_str() == marks.as_str() && kind.is_name() {
                assert_eq!(out, "e");
            }
        }
    }
    // Spot-check content.
    let surname = norm(FieldKind::Surname, &latin);
    assert!(surname.starts_with("nunez oeuvray strasse zoe muller nunez"));
    // Missing stays missing for the single-value kinds.
    assert_eq!(norm(FieldKind::Email, &ascii), "");
    assert_eq!(norm(FieldKind::Phone, &ascii), "");
    assert_eq!(norm(FieldKind::Date, &ascii), "");
}

#[test]
fn combining_marks_and_odd_code_points() {
    let mut stacked = String::from("a");
    stacked.extend(std::iter::repeat_n('\u{301}', 10_000));
    stacked.push('b');
    assert_eq!(norm(FieldKind::GivenName, &stacked), "ab");
    assert_eq!(norm(FieldKind::Text, &stacked), "ab");

    let odd = [
        "\u{0}\u{1}\u{7f}",
        "\u{ffff}\u{fffe}\u{fffd}\u{10ffff}\u{e000}\u{f8ff}",
        "\u{feff}Jean\u{200b}\u{200d}\u{2060}",
        "\u{202e}naej\u{202c} \u{200f}",
        "שלום עולם",
        "مرحبا",
        "👩\u{200d}👩\u{200d}👧\u{200d}👦 🏳\u{fe0f}\u{200d}🌈 🇫🇷 👍🏽",
        "\u{fdfa}",
        "İstanbul ẞ ǅ ﬃ ㍿ ①",
        "한국어 नमस्ते ไทย",
        "\u{1d400}\u{1d41a}",
        "\u{85}\u{2028}\u{2029}",
    ];
    for s in odd {
        assert_idempotent(s);
        for (kind, p) in pipelines() {
            let out = p.normalize_to_string(s);
            if kind.is_name() {
                assert!(out.is_ascii(), "{kind:?} {s:?} -> {out:?}");
            }
        }
    }
    assert_eq!(norm(FieldKind::GivenName, "\u{feff}Jean\u{200b}"), "jean");
    assert_eq!(norm(FieldKind::GivenName, "👍🏽 Jean 😀"), "jean");
}

// ---------------------------------------------------------------- properties

/// Name-like strings built from the pieces that interact: titles, particles,
/// apostrophes, hyphens, dots and accented letters.
fn name_like() -> impl Strategy<Value = String> {
    const PIECES: &[&str] = &[
        "M.",
        "m",
        "Mme",
        "Dr",
        "dr.",
        "Me",
        "Jr",
        "sr",
        "III",
        "de",
        "De",
        "la",
        "d",
        "D'",
        "e",
        "r",
        "o",
        "O'",
        "st",
        "Ste",
        "saint",
        "van",
        "der",
        "mac",
        "del",
        "l",
        "'",
        "’",
        "-",
        "–",
        ".",
        " ",
        "\u{a0}",
        "Jean",
        "François",
        "Franc\u{327}ois",
        "Œuvray",
        "ß",
        "12",
        "rue",
        "av",
        "ch",
    ];
    let piece = prop_oneof![
        3 => prop::sample::select(PIECES).prop_map(str::to_owned),
        1 => "[a-zA-ZéèüÆø]{1,6}",
    ];
    prop::collection::vec(piece, 0..12).prop_map(|parts| {
        let mut s = String::new();
        for (i, p) in parts.iter().enumerate() {
            if i % 2 == 1 && !p.starts_with(['\'', '’', '-', '–', '.', ' ']) {
                s.push(' ');
            }
            s.push_str(p);
        }
        s
    })
}

fn phone_like() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            4 => "[0-9]{1,4}",
            1 => Just("+".to_owned()),
            1 => Just("00".to_owned()),
            1 => Just("(0)".to_owned()),
            1 => "[ .\\-/()]",
        ],
        0..8,
    )
    .prop_map(|v| v.concat())
}

/// Phone-like strings with the pieces that interact with extensions and
/// national prefixes: markers, letters, other scripts' digits and long runs.
fn phone_with_extras() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            6 => "[0-9]{1,4}",
            1 => Just("+".to_owned()),
            1 => Just("00".to_owned()),
            1 => Just("011".to_owned()),
            1 => Just("0011".to_owned()),
            1 => Just("(0)".to_owned()),
            2 => "[ .\\-/()]",
            1 => prop::sample::select(vec![" ext", " ext. ", "x", "X", " poste ", "#", ";ext=", "extension", ",", ":"]).prop_map(str::to_owned),
            1 => "[a-zé]{1,3}",
            1 => "[０-９٠-٩\u{a0}\u{2013}]{1,3}",
            1 => "[0-9]{16,30}",
        ],
        0..10,
    )
    .prop_map(|v| v.concat())
}

fn date_like() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            3 => "[0-9]{1,4}",
            2 => "[-/.]",
            1 => Just("T00:00".to_owned()),
            1 => Just(" ".to_owned()),
        ],
        0..7,
    )
    .prop_map(|v| v.concat())
}

/// Email-like fields: addresses (some placeholders) with display names,
/// brackets, `mailto:` links and separators.
fn email_like() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            4 => "[A-Za-z0-9._+]{1,6}@[A-Za-z0-9]{1,5}\\.(com|fr|org)",
            1 => Just("test@test.com".to_owned()),
            1 => Just("aaa@aaa.com".to_owned()),
            1 => Just("mailto:".to_owned()),
            1 => Just("MailTo:".to_owned()),
            1 => Just("?subject=x".to_owned()),
            2 => "[<>\"@]",
            2 => "[;,/ \t]",
            1 => "[A-Za-zé]{1,6}",
        ],
        0..8,
    )
    .prop_map(|v| v.concat())
}

/// The email chain, then the default placeholder step.
fn email_then_placeholders() -> Pipeline {
    Pipeline::from_specs(
        &[NormalizerSpec::default_email(), NormalizerSpec::default_placeholders()],
        "fields.email.normalizers",
    )
    .unwrap()
}

proptest! {
    #[test]
    fn every_step_and_chain_is_idempotent_printable(s in "\\PC*") {
        assert_idempotent(&s);
    }

    #[test]
    fn every_step_and_chain_is_idempotent_any(s in ".*") {
        assert_idempotent(&s);
    }

    #[test]
    fn every_step_and_chain_is_idempotent_names(s in name_like()) {
        assert_idempotent(&s);
    }

    #[test]
    fn every_step_and_chain_is_idempotent_phones(s in phone_like()) {
        assert_idempotent(&s);
    }

    #[test]
    fn every_step_and_chain_is_idempotent_dates(s in date_like()) {
        assert_idempotent(&s);
    }

    #[test]
    fn every_step_and_chain_is_idempotent_emails(s in email_like()) {
        assert_idempotent(&s);
        let chain = email_then_placeholders();
        let once = chain.normalize_to_string(&s);
        prop_assert_eq!(chain.normalize_to_string(&once), once.clone(), "{:?}", s);
        let bare = Placeholders::new(Vec::<String>::new(), false);
        prop_assert_eq!(bare.normalize_to_string(&s), s);
    }

    #[test]
    fn placeholder_steps_never_panic_and_only_remove(s in ".*", shape_rules in any::<bool>()) {
        for p in [Placeholders::default(), Placeholders::new(["x", "n a", "+33600000000"], shape_rules)] {
            let once = p.normalize_to_string(&s);
            prop_assert_eq!(p.normalize_to_string(&once), once.clone());
            // Whole values or whole addresses are removed, nothing else changes.
            prop_assert!(once.is_empty() || once == s || once.split(' ').all(|t| s.split_whitespace().any(|u| u == t)), "{:?} -> {:?}", s, once);
        }
        let chain = email_then_placeholders();
        let once = chain.normalize_to_string(&s);
        prop_assert_eq!(chain.normalize_to_string(&once), once);
    }

    #[test]
    fn email_list_is_the_set_of_its_addresses(
        parts in prop::collection::vec("[a-z0-9.+]{1,6}@[a-z0-9]{1,5}\\.(com|fr)", 1..5),
        sep in prop::sample::select(vec!["; ", ",", " / ", " ", "\n"]),
        wrap in 0..3u8,
    ) {
        let e = EmailNormalizer::default();
        let raw: Vec<String> = parts
            .iter()
            .enumerate()
            .map(|(i, p)| match wrap {
                0 => p.clone(),
                1 => format!("Name {i} <{p}>"),
                _ => format!("mailto:{}?subject=s{i}", p.to_uppercase()),
            })
            .collect();
        let mut want: Vec<String> = parts.iter().map(|p| run(&e, p)).filter(|a| !a.is_empty()).collect();
        want.sort();
        want.dedup();
        prop_assert_eq!(run(&e, &raw.join(sep)), want.join(" "), "{:?}", raw);
    }

    #[test]
    fn name_chains_output_clean_tokens(s in name_like()) {
        for kind in [FieldKind::GivenName, FieldKind::Surname, FieldKind::FullName] {
            let out = norm(kind, &s);
            prop_assert!(out.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b' '), "{out:?}");
            prop_assert!(!out.starts_with(' ') && !out.ends_with(' ') && !out.contains("  "), "{out:?}");
        }
    }

    #[test]
    fn name_chains_ignore_case_and_composition(s in name_like()) {
        use unicode_normalization::UnicodeNormalization;
        for kind in [FieldKind::GivenName, FieldKind::Surname] {
            let base = norm(kind, &s);
            prop_assert_eq!(&norm(kind, &s.to_uppercase()), &base);
            prop_assert_eq!(&norm(kind, &s.to_lowercase()), &base);
            prop_assert_eq!(&norm(kind, &s.nfd().collect::<String>()), &base);
            prop_assert_eq!(&norm(kind, &s.nfc().collect::<String>()), &base);
        }
    }

    #[test]
    fn phone_output_is_e164_bare_digits_or_missing(s in phone_like(), c in prop::sample::select(Country::ALL.to_vec())) {
        let out = run(&PhoneNormalizer::new(c), &s);
        if let Some(digits) = out.strip_prefix('+') {
            prop_assert!((7..=15).contains(&digits.len()), "{out}");
            prop_assert!(digits.bytes().all(|b| b.is_ascii_digit()) && !digits.starts_with('0'), "{out}");
        } else if !out.is_empty() {
            prop_assert!((6..=15).contains(&out.len()), "{out}");
            prop_assert!(out.bytes().all(|b| b.is_ascii_digit()), "{out}");
        }
    }

    #[test]
    fn phone_never_panics_and_is_idempotent(s in phone_with_extras(), c in prop::sample::select(Country::ALL.to_vec())) {
        let phone = PhoneNormalizer::new(c);
        let once = run(&phone, &s);
        prop_assert_eq!(run(&phone, &once), once.clone(), "{} on {:?}", c, s);
        // E.164 means the same number under every default country.
        if once.starts_with('+') {
            for other in Country::ALL {
                prop_assert_eq!(run(&PhoneNormalizer::new(other), &once), once.clone());
            }
        }
    }

    #[cfg(feature = "phonenumber")]
    #[test]
    fn libphonenumber_never_panics_and_is_idempotent(s in phone_with_extras(), c in prop::sample::select(Country::ALL.to_vec())) {
        let phone = personlink::normalize::LibphonenumberNormalizer::new(c);
        let once = run(&phone, &s);
        prop_assert_eq!(run(&phone, &once), once.clone(), "{} on {:?}", c, s);
        // Its outputs are of the built-in parser's kinds: E.164, bare digits or missing.
        let digits = once.strip_prefix('+').unwrap_or(&once);
        prop_assert!(digits.bytes().all(|b| b.is_ascii_digit()), "{}", once);
    }

    #[test]
    fn phone_extension_never_changes_the_number(head in phone_like(), last in "[0-9]{1,4}", ext in "[0-9]{1,8}", marker in prop::sample::select(vec![" ext. ", " x", "x", " poste ", " #", ";ext=", " extension ", ", ext "]), c in prop::sample::select(Country::ALL.to_vec())) {
        let phone = PhoneNormalizer::new(c);
        // The number ends in a digit, as a number before its extension does.
        let number = format!("{head}{last}");
        prop_assert_eq!(run(&phone, &format!("{number}{marker}{ext}")), run(&phone, &number));
    }

    #[test]
    fn french_mobiles_in_any_format(n in 600_000_000u32..800_000_000, sep in prop::sample::select(vec![" ", ".", "-", "", "/"]), intl in 0..3u8) {
        let nsn = n.to_string();
        let pairs: Vec<&str> = [&nsn[1..3], &nsn[3..5], &nsn[5..7], &nsn[7..9]].to_vec();
        let national = format!("0{}{sep}{}", &nsn[..1], pairs.join(sep));
        let raw = match intl {
            0 => national,
            1 => format!("+33 {}{sep}{}", &nsn[..1], pairs.join(sep)),
            _ => format!("0033 (0){}{sep}{}", &nsn[..1], pairs.join(sep)),
        };
        prop_assert_eq!(run(&PhoneNormalizer::new(Country::Fr), &raw), format!("+33{nsn}"), "{}", raw);
    }

    #[test]
    fn valid_dates_in_every_shape(y in 1800u16..=2200, m in 1u8..=12, d in 1u8..=28, one_digit in any::<bool>()) {
        let iso = format!("{y:04}-{m:02}-{d:02}");
        let (dd, mm) = if one_digit { (d.to_string(), m.to_string()) } else { (format!("{d:02}"), format!("{m:02}")) };
        let dmy = DateNormalizer::new(DateOrder::DayFirst);
        let mdy = DateNormalizer::new(DateOrder::MonthFirst);
        for s in [
            iso.clone(),
            format!("{y:04}/{mm}/{dd}"),
            format!("{y:04}.{mm}.{dd}"),
            format!("{y:04}{m:02}{d:02}"),
            format!("{dd}/{mm}/{y:04}"),
            format!("{dd}.{mm}.{y:04}"),
            format!("{dd}-{mm}-{y:04}"),
            format!("{iso}T12:34:56Z"),
        ] {
            prop_assert_eq!(run(&dmy, &s), iso.clone(), "{}", s);
        }
        prop_assert_eq!(run(&mdy, &format!("{mm}/{dd}/{y:04}")), iso.clone());
        prop_assert_eq!(run(&mdy, &format!("{dd}.{mm}.{y:04}")), iso.clone());
        // A month name reads the same whatever the order.
        const EN: [&str; 12] = ["January", "February", "March", "April", "May", "June", "July",
            "August", "September", "October", "November", "December"];
        const FR: [&str; 12] = ["janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.",
            "août", "sept.", "oct.", "nov.", "déc."];
        let (en, fr) = (EN[usize::from(m - 1)], FR[usize::from(m - 1)]);
        for s in [
            format!("{en} {dd}, {y:04}"),
            format!("{dd} {en} {y:04}"),
            format!("{dd}-{}-{y:04}", &en[..3]),
            format!("{y:04} {} {dd}", en[..3].to_uppercase()),
            format!("le {dd} {fr} {y:04}"),
        ] {
            prop_assert_eq!(run(&dmy, &s), iso.clone(), "{}", s);
            prop_assert_eq!(run(&mdy, &s), iso.clone(), "{}", s);
        }
    }

    #[test]
    fn two_digit_years_land_within_a_century_before_the_pivot(yy in 0u16..100, m in 1u8..=12, d in 1u8..=28, pivot in 1899u16..=2200) {
        let n = DateNormalizer::new(DateOrder::DayFirst).with_pivot(pivot);
        let out = run(&n, &format!("{d}/{m}/{yy:02}"));
        let year: u16 = out[..4].parse().unwrap();
        prop_assert!(year <= pivot && year + 100 > pivot && year % 100 == yy, "{} {}", out, pivot);
        prop_assert_eq!(&out[4..], format!("-{m:02}-{d:02}"));
    }

    #[test]
    fn date_output_is_iso_or_missing(s in date_like()) {
        for order in [DateOrder::DayFirst, DateOrder::MonthFirst] {
            let out = run(&DateNormalizer::new(order), &s);
            if !out.is_empty() {
                let b = out.as_bytes();
                prop_assert_eq!(b.len(), 10);
                prop_assert!(b[4] == b'-' && b[7] == b'-', "{}", out);
            }
        }
    }

    #[test]
    fn emails_are_lowercase_single_at(local in "[A-Za-z0-9._+]{0,12}", domain in "[A-Za-z0-9.]{0,12}") {
        let raw = format!(" {local}@{domain} ");
        let out = run(&EmailNormalizer::default(), &raw);
        if !out.is_empty() {
            prop_assert_eq!(out.matches('@').count(), 1);
            prop_assert_eq!(out.to_lowercase(), out.clone());
            prop_assert!(!out.contains('+'));
        }
    }
}
