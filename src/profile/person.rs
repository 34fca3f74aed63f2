//! The person profile: people as CRM, shop, web and partner systems record them,
//! in English and French.

use std::collections::BTreeMap;

use super::{ColumnAliases, Profile, WeightedComparison};
use crate::block::{BlockingConfig, BlockingRule, KeyPart, KeyTransform};
use crate::cluster::{MergePolicy, MustNotLink, Threshold};
use crate::compare::LevelSpec as L;
use crate::golden::{GoldenConfig, Survivorship};
use crate::household::HouseholdConfig;
use crate::model::{IdentityRequirement, Model, WeightCap, DEFAULT_TF_MIN_FREQUENCY};
use crate::normalize::NormalizerSpec;
use crate::phonetic::PhoneticAlgorithm;
use crate::record::{FieldKind, Schema};

/// The person profile.
///
/// - Schema: `given_name`, `surname`, `date_of_birth`, `gender`, `email`,
///   `phone`, `street_number`, `address_1`, `address_2`, `city`, `postcode`,
///   `state`, `national_id`, `generation`; each field normalized by its kind's
///   default chain, except `gender` (the gender normalizer) and `generation`
///   (the [`Generation`](crate::normalize::Generation) normalizer: `Jr`, `II`
///   → `2`, `Sr` → `1`), which falls back on a suffix ending the surname,
///   then the given name (`Archer Jr`), when no suffix column fills it.
/// - Blocking: fifteen rules chosen so that candidate pairs grow about
///   linearly with the data (each pairs a name sound or a birth date with a
///   second, independent key: surname and given-name sounds, birth date with
///   either initial, with the postcode or with the street's first letters,
///   sounds with postcode, birth year or birth month/day; the two name sounds
///   in either order with the birth date, for names typed in each other's
///   field; plus national id, email and phone; an email field holding several
///   addresses, kept sorted, is keyed by its first and by its last address, so
///   it meets a record holding either); blocks capped at 500 records.
/// - Comparisons: thirteen (every field but `generation`), with documented
///   default m/u, a prior of 1e-4 and one weight cap over the residence fields.
/// - Policy: a match threshold of probability 0.5, a review band down to
///   probability 0.05, clusters capped at 100 records, and two different
///   generations never merged (`Jr` / `Sr`, `I` / `II`, `fils` / `père`).
/// - Golden records: contact and address fields take the most recent value,
///   the others the most frequent.
/// - Column aliases: the common English and French names of each field.
///
/// ```
/// use personlink::profile;
/// let person = profile::person();
/// assert_eq!(person.comparisons.len(), 13);
/// assert_eq!(person.schema.len(), 14);
/// assert_eq!(person.blocking.rules.len(), 15);
/// assert_eq!(person.model.prior, 1e-4);
/// assert!(person.aliases_of("surname").iter().any(|a| a == "nom"));
/// ```
pub fn person() -> Profile {
    let comparisons = comparisons();
    Profile {
        name: "person".to_owned(),
        schema: schema(),
        normalizers: normalizers(),
        blocking: blocking(),
        comparisons: comparisons.iter().map(WeightedComparison::spec).collect(),
        model: Model {
            prior: PRIOR,
            comparisons: comparisons.iter().map(WeightedComparison::model).collect(),
            caps: caps(),
            term_frequencies: Vec::new(),
            tf_min_frequency: DEFAULT_TF_MIN_FREQUENCY,
            records_per_person: 1.0,
            identity: Some(identity()),
            frequency_key_check: None,
            frequency_key: None,
        },
        policy: policy(),
        golden: golden(),
        households: households(),
        aliases: aliases(),
    }
}

/// The fields the profile normalizes, blocks and compares, and that the CSV
/// tool maps columns onto; the generator (`synth`) writes them in this order.
fn schema() -> Schema {
    use FieldKind as K;
    let fields = [
        ("given_name", K::GivenName),
        ("surname", K::Surname),
        ("date_of_birth", K::Date),
        ("gender", K::Category),
        ("email", K::Email),
        ("phone", K::Phone),
        ("street_number", K::Text),
        ("address_1", K::Address),
        ("address_2", K::Address),
        ("city", K::City),
        ("postcode", K::Postcode),
        ("state", K::Category),
        ("national_id", K::Identifier),
        ("generation", K::Category),
    ];
    fields
        .into_iter()
        .fold(Schema::builder(), |schema, (name, kind)| schema.field(name, kind))
        .fallback(["surname", "given_name"])
        .build()
        .expect("the person schema has distinct, non-empty names and known fallbacks")
}

/// `gender` is a category, whose default chain only folds the text; the gender
/// normalizer also maps `M`/`H`/`male`/`homme` and `F`/`female`/`femme` onto one code.
/// Email, phone and national id end with the placeholder step: values that
/// mean "unknown" (`test@test.com`, `noemail@…`, `0600000000`, `0123456789`,
/// `unknown`, `n/a`) are missing, not a value that different people share.
/// `generation` reads a suffix as the generation it names.
fn normalizers() -> BTreeMap<String, Vec<NormalizerSpec>> {
    let with_placeholders = |kind: FieldKind| {
        let mut chain = NormalizerSpec::defaults_for(kind);
        chain.push(NormalizerSpec::default_placeholders());
        chain
    };
    BTreeMap::from([
        ("gender".to_owned(), vec![NormalizerSpec::Gender]),
        ("generation".to_owned(), vec![NormalizerSpec::Generation]),
        ("email".to_owned(), with_placeholders(FieldKind::Email)),
        ("phone".to_owned(), with_placeholders(FieldKind::Phone)),
        ("national_id".to_owned(), with_placeholders(FieldKind::Identifier)),
    ])
}

/// The person profile's comparisons and default m/u.
///
/// The numbers are hand-set from the error rates typical of person registers
/// (and checked against the bundled generator): `m` is how often a true
/// duplicate lands on the level (most duplicates agree exactly; a few percent
/// carry a typo, a nickname, a swap or a new address), `u` how often two
/// different people do (about 1/25,000 share a birth date, a few in a thousand
/// share a common surname, half share a gender). City, state and postcode largely
/// imply each other, and emails are often built from names, so their `u` is set
/// high enough not to count the same evidence twice. Emails are compared exactly
/// only: two people with similar names have similar addresses
/// (`isabelle_chobert@orange.fr`, `isabellechobert327@orange.fr`), so a near miss
/// on an email repeats the names' evidence; without that level the hard preset
/// gains 0.001 to 0.002 of F1 at 100k and 1M and the easy one 0.0006 (`benchmark`).
/// Train a model on your own data to replace them.
///
/// Given name, surname and city adjust exact matches by the value's frequency
/// (once the model carries frequency tables): agreeing on "martin" is weaker
/// evidence than agreeing on "kervadec". Email, phone, street and national id
/// discount a value held by more records than one person holds (a generic
/// contact email, a switchboard, `0000000000` nobody cleaned): agreeing on it
/// says little, while a personal value keeps its full weight.
fn comparisons() -> Vec<WeightedComparison> {
    let dm = PhoneticAlgorithm::DoubleMetaphone;
    let compare = WeightedComparison::new;
    vec![
        compare("given_name")
            .with_term_frequency()
            .level(L::Exact, 0.80, 0.006)
            .level(L::Nickname, 0.04, 0.0008)
            .level(L::JaroWinkler { min: 0.92 }, 0.06, 0.004)
            .level(L::Swapped { with: "surname".to_owned() }, 0.01, 0.00005)
            .level(L::AbjadSkeleton, 0.005, 0.00005)
            .level(L::FirstToken, 0.02, 0.002)
            .level(L::JaroWinkler { min: 0.85 }, 0.03, 0.02)
            .level(L::Initial, 0.015, 0.06)
            .otherwise(0.025, 0.897),
        compare("surname")
            .with_term_frequency()
            .level(L::Exact, 0.82, 0.003)
            .level(L::JaroWinkler { min: 0.92 }, 0.08, 0.003)
            .level(L::TokenSubset, 0.03, 0.0005)
            .level(L::Swapped { with: "given_name".to_owned() }, 0.01, 0.00005)
            .level(L::AbjadSkeleton, 0.005, 0.00005)
            .level(L::Phonetic { algorithm: dm }, 0.03, 0.006)
            .level(L::JaroWinkler { min: 0.80 }, 0.03, 0.03)
            .otherwise(0.03, 0.958),
        compare("date_of_birth")
            .level(L::Exact, 0.86, 0.00004)
            .level(L::DateTypo, 0.08, 0.0012)
            .level(L::DateWithin { days: 365 }, 0.02, 0.014)
            .level(L::SameYear, 0.005, 0.002)
            .otherwise(0.02, 0.983),
        compare("gender").level(L::Exact, 0.97, 0.5).otherwise(0.03, 0.5),
        compare("email")
            .with_discount_shared_values()
            .level(L::Exact, 0.85, 0.00001)
            .level(L::TokenSet { min: 0.25 }, 0.03, 0.000002)
            .otherwise(0.12, 0.999988),
        compare("phone")
            .with_discount_shared_values()
            .level(L::Exact, 0.80, 0.00001)
            .level(L::NationalNumber { min_digits: 7 }, 0.04, 0.000003)
            .level(L::WithinEdits { max: 1 }, 0.06, 0.0001)
            .otherwise(0.10, 0.999887),
        compare("street_number").level(L::Exact, 0.85, 0.03).otherwise(0.15, 0.97),
        compare("address_1")
            .with_discount_shared_values()
            .level(L::Exact, 0.72, 0.0005)
            .level(L::JaroWinkler { min: 0.90 }, 0.08, 0.002)
            .level(L::TokenSet { min: 0.5 }, 0.06, 0.01)
            .otherwise(0.14, 0.9875),
        compare("address_2")
            .level(L::Exact, 0.70, 0.001)
            .level(L::JaroWinkler { min: 0.90 }, 0.10, 0.003)
            .otherwise(0.20, 0.996),
        compare("city")
            .with_term_frequency()
            .level(L::Exact, 0.84, 0.05)
            .level(L::JaroWinkler { min: 0.90 }, 0.07, 0.005)
            .otherwise(0.09, 0.945),
        compare("postcode")
            .level(L::Exact, 0.84, 0.01)
            .level(L::WithinEdits { max: 1 }, 0.07, 0.02)
            .level(L::Prefix { len: 3 }, 0.02, 0.05)
            .otherwise(0.07, 0.92),
        compare("state").level(L::Exact, 0.95, 0.3).otherwise(0.05, 0.7),
        compare("national_id")
            .with_discount_shared_values()
            .level(L::Exact, 0.90, 0.000001)
            .level(L::WithinEdits { max: 1 }, 0.08, 0.00001)
            .otherwise(0.02, 0.999989),
    ]
}

/// The person profile's prior: one pair in 10,000 is a match.
const PRIOR: f64 = 1e-4;

/// What a match must rest on: the given name, the birth date and the
/// national id are what tell one person from another; a surname, a home, a
/// landline and a family email are shared by relatives. A pair whose given
/// name, birth date and national id weigh less than 4 bits together (say a
/// mother and her daughter: another first name and another birth date; or a
/// father and his son named after him: one first name, birth dates 30 years
/// apart) scores at most -10, however much else agrees. 4 bits keeps a
/// duplicate whose birth date is missing and whose first name is exact or a
/// nickname, and a duplicate with a typo in either.
///
/// Twins pass that sum on their one birth date, so a first name that
/// disagrees outright (the "else" level: not equal, close, a nickname, a short
/// form or a swap) also holds a pair back, unless the national id agrees (an
/// entry error then, not a twin).
///
/// Measured with `cargo run --release --example benchmark -- --preset hard
/// --people N` (households, life events; 57,000 people give about 100k
/// records): at 100k records pairwise F1 0.695 → 0.981 and relatives merged
/// 59% → 0.9%; the easy preset keeps F1 0.994. The price is on data whose
/// duplicates get an unrelated first name with the same birth date and no
/// national id to vouch for them, exactly what a twin looks like: FEBRL1
/// and FEBRL2 lose 4 and 14 of their 500 and 1,934 pairs (F1 0.996); a
/// configuration without `identity` finds them (F1 1.000 and 0.998).
///
/// A pair resting on the first name alone (no birth date or national id
/// weighing 4 bits) must also share a contact value: the same email, phone
/// or street (`corroborated_by`). Two Jean Dupont of one postcode, with
/// different phones and streets and no birth date, are namesakes as often as
/// one person. With it, new nickname groups (Giorgos, Liv, Gaby, Mohammed)
/// and twins' first names that only share a letter
/// or sit in the 0.80-0.85 Jaro-Winkler band counting as disagreeing, the
/// hard-case suite (`tests/hard_cases.rs`) went from F1 0.920 to 0.983
/// (precision 0.905 → 1.000); the hard preset at 100k records keeps F1 0.984
/// (relatives merged 0.78% → 0.52%), FEBRL1/2 0.9960/0.9964 and the easy
/// preset 0.993.
fn identity() -> IdentityRequirement {
    IdentityRequirement::new(["given_name", "date_of_birth", "national_id"], 4.0, -10.0)
        .with_must_agree("given_name")
        .with_vouched_by("national_id")
        .with_corroborated_by("email")
        .with_corroborated_by("phone")
        .with_corroborated_by("address_1")
}

/// The person profile's dependence cap: where someone lives (street, number,
/// building, city, postcode, state) and the landline that goes with it are
/// shared by a household, so together they may add at most 16 bits, and a move
/// changes them all at once, so together they may take away at most 8 bits; about
/// what an exact address and phone are worth once, not six times.
fn caps() -> Vec<WeightCap> {
    let mut residence = WeightCap::new(
        "residence",
        ["street_number", "address_1", "address_2", "city", "postcode", "state", "phone"],
        16.0,
    );
    residence.min_weight = Some(-8.0);
    vec![residence]
}

/// Fifteen rules, combined with OR. Each pairs a name sound or a birth date
/// with a second, independent key, so a block holds few records and candidate
/// pairs grow about linearly with the data, while a duplicate with a typo in
/// one key still shares another rule's key with its original. The last rule
/// takes the two name sounds in either order (with the birth date), so
/// `Daniela | Shore` meets `Shore | Daniela`; it comes last, so it only adds
/// the pairs no other rule finds. With the birth year instead of the date it
/// found 48 more pairs of the hard preset at 100k records for no gain in F1,
/// and one false pair of FEBRL2 (`Blake Mason` / `Mason Blake`, born twelve
/// days apart, other postcodes and ids).
fn blocking() -> BlockingConfig {
    let sound = || KeyTransform::Phonetic { algorithm: PhoneticAlgorithm::DoubleMetaphone };
    let initial = || KeyTransform::Prefix { len: 1 };
    let rule = |name: &str, parts: Vec<(&str, KeyTransform)>| BlockingRule {
        name: name.to_owned(),
        parts: parts.into_iter().map(|(field, t)| KeyPart::new(field, t)).collect(),
        any_order: false,
    };
    BlockingConfig {
        rules: vec![
            rule("surname_sound+given_sound", vec![("surname", sound()), ("given_name", sound())]),
            rule(
                "birth_date+surname_initial",
                vec![("date_of_birth", KeyTransform::Exact), ("surname", initial())],
            ),
            rule(
                "birth_date+given_initial",
                vec![("date_of_birth", KeyTransform::Exact), ("given_name", initial())],
            ),
            rule(
                "given_sound+postcode+surname_initial",
                vec![
                    ("given_name", sound()),
                    ("postcode", KeyTransform::Exact),
                    ("surname", initial()),
                ],
            ),
            rule("national_id", vec![("national_id", KeyTransform::Exact)]),
            rule("email", vec![("email", KeyTransform::FirstToken)]),
            rule("phone", vec![("phone", KeyTransform::Exact)]),
            rule(
                "surname_sound+birth_year+given_initial",
                vec![
                    ("surname", sound()),
                    ("date_of_birth", KeyTransform::Year),
                    ("given_name", initial()),
                ],
            ),
            rule(
                "given_sound+birth_month_day+surname_initial",
                vec![
                    ("given_name", sound()),
                    ("date_of_birth", KeyTransform::MonthDay),
                    ("surname", initial()),
                ],
            ),
            rule(
                "surname_sound+birth_month_day",
                vec![("surname", sound()), ("date_of_birth", KeyTransform::MonthDay)],
            ),
            rule(
                "birth_date+postcode",
                vec![("date_of_birth", KeyTransform::Exact), ("postcode", KeyTransform::Exact)],
            ),
            rule(
                "surname_sound+postcode",
                vec![("surname", sound()), ("postcode", KeyTransform::Exact)],
            ),
            rule(
                "birth_date+street_prefix",
                vec![
                    ("date_of_birth", KeyTransform::Exact),
                    ("address_1", KeyTransform::Prefix { len: 3 }),
                ],
            ),
            rule(
                "name_sounds_any_order+birth_date",
                vec![
                    ("given_name", sound()),
                    ("surname", sound()),
                    ("date_of_birth", KeyTransform::Exact),
                ],
            )
            .any_order(),
            rule("email_last_address", vec![("email", KeyTransform::LastToken)]),
        ],
        max_block_size: 500,
        ..BlockingConfig::default()
    }
}

/// Links at probability 0.5 and above, a review band down to 0.05, and no
/// cluster beyond 100 records (a guard against chains of weak links). Two
/// different generations are two people, whatever else agrees: a junior and
/// his senior share a name, a home and often a phone. A record without a
/// suffix is no evidence either way.
fn policy() -> MergePolicy {
    MergePolicy {
        match_threshold: Threshold::Probability(0.5),
        review_threshold: Some(Threshold::Probability(0.05)),
        must_not_link: vec![MustNotLink::DifferentValues { field: "generation".to_owned() }],
        max_cluster_size: Some(100),
    }
}

/// Contact and address fields change when people move or switch provider, so
/// the most recent value wins; names, birth date and ids keep the most frequent.
fn golden() -> GoldenConfig {
    ["email", "phone", "street_number", "address_1", "address_2", "city", "postcode", "state"]
        .into_iter()
        .fold(GoldenConfig::default(), |golden, field| {
            golden.with_field(field, Survivorship::MostRecent)
        })
}

/// A home is the same street address (number, street and postcode), the same
/// phone (a landline) or the same email (a family address). A key shared by
/// more than 20 records joins nobody: a switchboard, a generic contact email,
/// a building whose flats are not numbered.
fn households() -> HouseholdConfig {
    let rule = |name: &str, fields: &[&str]| {
        fields.iter().fold(BlockingRule::new(name), |rule, f| {
            rule.part(KeyPart::new(*f, KeyTransform::Exact))
        })
    };
    HouseholdConfig {
        rules: vec![
            rule("address", &["street_number", "address_1", "postcode"]),
            rule("phone", &["phone"]),
            rule("email", &["email"]),
        ],
        max_size: 20,
    }
}

/// Column names (English and French) that map onto each field.
fn aliases() -> Vec<ColumnAliases> {
    vec![
        ColumnAliases::new(
            "given_name",
            ["given_name", "first_name", "firstname", "forename", "prenom", "prénom"],
        ),
        ColumnAliases::new(
            "surname",
            ["surname", "last_name", "lastname", "family_name", "nom", "nom_de_famille"],
        ),
        ColumnAliases::new(
            "date_of_birth",
            [
                "date_of_birth",
                "dob",
                "birth_date",
                "birthdate",
                "date_naissance",
                "date_de_naissance",
            ],
        ),
        ColumnAliases::new("gender", ["gender", "sex", "sexe", "genre"]),
        ColumnAliases::new("email", ["email", "e_mail", "mail", "courriel"]),
        ColumnAliases::new(
            "phone",
            ["phone", "telephone", "téléphone", "tel", "mobile", "phone_number", "portable"],
        ),
        ColumnAliases::new(
            "street_number",
            ["street_number", "house_number", "numero", "numéro", "num"],
        ),
        ColumnAliases::new(
            "address_1",
            ["address", "address_1", "address1", "street", "adresse", "adresse_1", "rue"],
        ),
        ColumnAliases::new("address_2", ["address_2", "address2", "adresse_2", "complement"]),
        ColumnAliases::new("city", ["city", "suburb", "town", "ville", "commune", "locality"]),
        ColumnAliases::new(
            "postcode",
            ["postcode", "zip", "zipcode", "zip_code", "postal_code", "code_postal", "cp"],
        ),
        ColumnAliases::new(
            "state",
            ["state", "county", "region", "région", "departement", "département", "province"],
        ),
        ColumnAliases::new(
            "national_id",
            ["soc_sec_id", "ssn", "national_id", "nir", "social_security_number", "insee"],
        ),
        ColumnAliases::new("generation", ["generation", "suffix", "name_suffix", "suffixe"]),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_compared_blocked_capped_and_aliased_field_is_in_the_schema() {
        let p = person();
        let known = |f: &str| p.schema.field_id(f).is_some();
        assert!(p.comparisons.iter().all(|c| known(&c.field)));
        assert!(p.blocking.rules.iter().flat_map(|r| &r.parts).all(|part| known(&part.field)));
        assert!(p.model.caps.iter().flat_map(|c| &c.fields).all(|f| known(f)));
        assert!(p.golden.fields.keys().all(|f| known(f)));
        let aliased: Vec<&str> = p.aliases.iter().map(|a| a.field.as_str()).collect();
        let fields: Vec<&str> = p.schema.fields().iter().map(|f| f.name.as_str()).collect();
        assert_eq!(aliased, fields);
    }

    #[test]
    fn each_comparison_has_m_and_u_for_every_level_and_else_in_order() {
        let p = person();
        for (spec, model) in p.comparisons.iter().zip(&p.model.comparisons) {
            assert_eq!(spec.field, model.field);
            let labels = spec.level_labels();
            let params: Vec<&str> = model.levels.iter().map(|l| l.label.as_str()).collect();
            assert_eq!(params, labels[1..]);
        }
    }

    #[test]
    fn the_profile_is_serde_data() {
        let p = person();
        let json = serde_json::to_string(&p).unwrap();
        assert_eq!(serde_json::from_str::<Profile>(&json).unwrap(), p);
    }
}
