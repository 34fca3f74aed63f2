//! Persons (the ground truth) and how a source channel renders one as a record.

use hashbrown::HashSet;

use super::names::{
    FrCity, UkCity, UsCity, EN_FEMALE, EN_MALE, EN_STREET_NAMES, EN_STREET_TYPES, FR_CITIES,
    FR_FEMALE, FR_MALE, FR_PROVIDERS, FR_RESIDENCES, FR_STREET_NAMES, FR_STREET_TYPES, UK_CITIES,
    UK_PROVIDERS, US_CITIES, US_PROVIDERS,
};
use super::rng::{Rng, Zipf};
use super::surname::Surnames;
use super::text::email_part;
use crate::hash::fnv64;
use crate::normalize::{days_in_month, EmailNormalizer, Normalizer};

// Field positions in the person profile's schema (checked by a unit test).
pub(super) const GIVEN: usize = 0;
pub(super) const SURNAME: usize = 1;
pub(super) const DOB: usize = 2;
pub(super) const GENDER: usize = 3;
pub(super) const EMAIL: usize = 4;
pub(super) const PHONE: usize = 5;
pub(super) const NUMBER: usize = 6;
pub(super) const ADDR1: usize = 7;
pub(super) const ADDR2: usize = 8;
pub(super) const CITY: usize = 9;
pub(super) const POSTCODE: usize = 10;
pub(super) const STATE: usize = 11;
pub(super) const NID: usize = 12;
/// Number of fields (the last, `generation`, is left empty: a record shows
/// a junior's or senior's suffix in the name fields, as many files do, and
/// the profile reads it from there).
pub(super) const NF: usize = 14;
/// The field names, in schema order.
#[cfg(test)]
const FIELD_NAMES: [&str; NF] = [
    "given_name",
    "surname",
    "date_of_birth",
    "gender",
    "email",
    "phone",
    "street_number",
    "address_1",
    "address_2",
    "city",
    "postcode",
    "state",
    "national_id",
    "generation",
];

/// One record's raw values, in schema order (always `NF` long).
pub(super) type Values = Vec<Option<String>>;

/// A record's values with every field missing.
pub(super) fn empty_values() -> Values {
    vec![None; NF]
}

/// The sanitized configuration.
#[derive(Debug, Clone, Copy)]
pub(super) struct Params {
    pub people: usize,
    pub duplicate_rate: f64,
    pub max_duplicates: usize,
    pub corruption: f64,
    pub missing_rate: f64,
    pub hard_negative_rate: f64,
    pub french_share: f64,
    pub household_share: f64,
    /// Weights of [`super::household::Composition`]s, clamped, not all zero.
    pub household_weights: [f64; 6],
    pub shared_landline_rate: f64,
    pub family_email_rate: f64,
    pub married_name_rate: f64,
    pub hyphenated_name_rate: f64,
    pub life_event_rate: f64,
    pub date_error_rate: f64,
    pub unique_mailboxes: bool,
    pub given_name_skew: f64,
    /// Share of table surnames: French, English.
    pub common_surname_share: [f64; 2],
}

impl Params {
    /// True when persons come in households or carry married names: the
    /// population is built by [`super::household`], not as the easy
    /// preset's independent persons.
    pub(super) fn builds_households(&self) -> bool {
        self.household_share > 0.0 || self.married_name_rate > 0.0
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Country {
    Fr,
    Uk,
    Us,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Date {
    pub y: u16,
    pub m: u8,
    pub d: u8,
}

impl Date {
    /// Same day and month in year `y`, the day clamped to the month's length.
    pub(super) fn with_year(self, y: u16) -> Date {
        Date { y, m: self.m, d: self.d.min(days_in_month(i32::from(y), self.m)) }
    }

    /// Renders in one of the date formats: 0 ISO, 1 `DD/MM/YYYY`, 2
    /// `DD.MM.YYYY`, 3 `YYYYMMDD`, 4 `DD-MM-YYYY`, 5 `D/M/YYYY`.
    pub(super) fn render(self, fmt: u8) -> String {
        let Date { y, m, d } = self;
        match fmt {
            1 => format!("{d:02}/{m:02}/{y:04}"),
            2 => format!("{d:02}.{m:02}.{y:04}"),
            3 => format!("{y:04}{m:02}{d:02}"),
            4 => format!("{d:02}-{m:02}-{y:04}"),
            5 => format!("{d}/{m}/{y:04}"),
            _ => format!("{y:04}-{m:02}-{d:02}"),
        }
    }
}

/// Number of date formats [`Date::render`] knows.
pub(super) const DATE_FORMATS: u8 = 6;

/// A telephone number: its significant digits (no trunk 0, no country code).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Phone {
    pub country: Country,
    pub digits: String,
    /// Length of the area / mobile prefix, for grouping (UK only).
    pub area_len: usize,
    pub landline: bool,
}

/// Number of phone styles [`Phone::render`] knows.
pub(super) const PHONE_STYLES: u8 = 8;

impl Phone {
    /// Renders the number in style `0..PHONE_STYLES`: 0 national spaced,
    /// 1 national compact, 2 national dotted/dashed, 3 international spaced,
    /// 4 E.164, 5 `00` prefix, 6 `+cc (0)`, 7 another national grouping.
    pub(super) fn render(&self, style: u8) -> String {
        let d = self.digits.as_str();
        match self.country {
            Country::Fr => {
                let pairs = |sep: &str| {
                    let mut s = String::with_capacity(16);
                    s.push_str(&d[..1]);
                    for i in (1..d.len()).step_by(2) {
                        s.push_str(sep);
                        s.push_str(&d[i..(i + 2).min(d.len())]);
                    }
                    s
                };
                match style {
                    0 => format!("0{}", pairs(" ")),
                    1 => format!("0{d}"),
                    2 => format!("0{}", pairs(".")),
                    3 => format!("+33 {}", pairs(" ")),
                    4 => format!("+33{d}"),
                    5 => format!("0033{d}"),
                    6 => format!("+33 (0){}", pairs(" ")),
                    _ => format!("0{}", pairs("-")),
                }
            }
            Country::Uk => {
                let (area, local) = d.split_at(self.area_len.min(d.len()));
                let local = match local.len() {
                    8 => format!("{} {}", &local[..4], &local[4..]),
                    7 => format!("{} {}", &local[..3], &local[3..]),
                    _ => local.to_owned(),
                };
                match style {
                    0 | 2 => format!("0{area} {local}"),
                    1 => format!("0{d}"),
                    3 => format!("+44 {area} {local}"),
                    4 => format!("+44{d}"),
                    5 => format!("0044 {area} {local}"),
                    6 => format!("+44 (0){area} {local}"),
                    _ => format!("(0{area}) {local}"),
                }
            }
            Country::Us => {
                let (a, rest) = d.split_at(3.min(d.len()));
                let (e, n) = rest.split_at(3.min(rest.len()));
                match style {
                    0 => format!("({a}) {e}-{n}"),
                    1 => d.to_owned(),
                    2 => format!("{a}-{e}-{n}"),
                    3 => format!("+1 {a} {e} {n}"),
                    4 => format!("+1{d}"),
                    5 => format!("001 {a} {e} {n}"),
                    6 => format!("1-{a}-{e}-{n}"),
                    _ => format!("{a}.{e}.{n}"),
                }
            }
        }
    }
}

/// Where a person lives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Address {
    pub number: u32,
    pub suffix: &'static str,
    pub street_type: usize,
    pub street_name: usize,
    pub addr2: Option<String>,
    pub city: usize,
    pub postcode: String,
}

/// A person: the ground truth every record of theirs is rendered from.
#[derive(Debug, Clone)]
pub(super) struct Person {
    pub country: Country,
    pub female: bool,
    pub given: &'static str,
    /// Owned: most surnames are built, not taken from a table.
    pub surname: String,
    pub dob: Date,
    pub email: String,
    pub phone: Phone,
    pub addr: Address,
    pub national_id: String,
    /// A second number the person gives: the household's landline when
    /// `phone` is their own mobile. Never set by the easy preset.
    pub alt_phone: Option<Phone>,
    /// The birth surname when `surname` is a married one (`None` otherwise).
    pub birth_surname: Option<String>,
    /// Whether some records carry `birth_surname` rather than `surname`.
    pub shows_birth_name: bool,
    /// A generational suffix some records carry: `Jr`, `II` or `Sr`.
    pub suffix: Option<&'static str>,
}

impl Person {
    /// A person with one phone, one surname and no suffix.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn plain(
        country: Country,
        female: bool,
        given: &'static str,
        surname: String,
        dob: Date,
        email: String,
        phone: Phone,
        addr: Address,
        national_id: String,
    ) -> Person {
        Person {
            country,
            female,
            given,
            surname,
            dob,
            email,
            phone,
            addr,
            national_id,
            alt_phone: None,
            birth_surname: None,
            shows_birth_name: false,
            suffix: None,
        }
    }

    pub(super) fn azerty(&self) -> bool {
        self.country == Country::Fr
    }

    pub(super) fn city_name(&self) -> &'static str {
        city_name(self.country, self.addr.city)
    }

    pub(super) fn state(&self) -> &'static str {
        match self.country {
            Country::Fr => FR_CITIES[self.addr.city].dept,
            Country::Uk => UK_CITIES[self.addr.city].county,
            Country::Us => US_CITIES[self.addr.city].state,
        }
    }

    /// The street line, with the type abbreviated (`abbrev`: index into the
    /// type's abbreviations) and capitalized when asked.
    pub(super) fn street_line(&self, abbrev: Option<usize>, cap: bool) -> String {
        let (types, names) = match self.country {
            Country::Fr => (FR_STREET_TYPES, FR_STREET_NAMES),
            _ => (EN_STREET_TYPES, EN_STREET_NAMES),
        };
        let (full, abbrevs) = types[self.addr.street_type];
        let ty = match abbrev {
            Some(i) => abbrevs[i % abbrevs.len()],
            None => full,
        };
        let name = names[self.addr.street_name];
        match self.country {
            Country::Fr if cap => {
                let mut c = ty.chars();
                let first: String = c.next().into_iter().flat_map(char::to_uppercase).collect();
                format!("{first}{} {name}", c.as_str())
            }
            Country::Fr => format!("{ty} {name}"),
            _ => format!("{name} {ty}"),
        }
    }

    /// Number of abbreviations of the person's street type.
    pub(super) fn street_abbrevs(&self) -> usize {
        match self.country {
            Country::Fr => FR_STREET_TYPES[self.addr.street_type].1.len(),
            _ => EN_STREET_TYPES[self.addr.street_type].1.len(),
        }
    }
}

/// The given-name table for a country and sex.
pub(super) fn given_table(country: Country, female: bool) -> &'static [&'static str] {
    match (country, female) {
        (Country::Fr, false) => FR_MALE,
        (Country::Fr, true) => FR_FEMALE,
        (_, false) => EN_MALE,
        (_, true) => EN_FEMALE,
    }
}

pub(super) fn city_name(country: Country, city: usize) -> &'static str {
    match country {
        Country::Fr => FR_CITIES[city].name,
        Country::Uk => UK_CITIES[city].name,
        Country::Us => US_CITIES[city].name,
    }
}

/// How a person relates to an earlier one: the hard negatives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Relation {
    None,
    /// Same surname, address and landline; different given name and dob.
    Relative(usize),
    /// Same given name and surname; different dob, address, email, phone.
    Namesake(usize),
}

/// Skewed samplers over the tables.
#[derive(Debug)]
struct Samplers {
    fr_male: Zipf,
    fr_female: Zipf,
    en_male: Zipf,
    en_female: Zipf,
    fr_city: Zipf,
    uk_city: Zipf,
    us_city: Zipf,
    fr_street_type: Zipf,
    en_street_type: Zipf,
    fr_street_name: Zipf,
    en_street_name: Zipf,
    fr_provider: Zipf,
    uk_provider: Zipf,
    us_provider: Zipf,
}

impl Samplers {
    /// Given names with Zipf exponent `given_skew`.
    fn new(given_skew: f64) -> Self {
        Samplers {
            fr_male: Zipf::new(FR_MALE.len(), given_skew),
            fr_female: Zipf::new(FR_FEMALE.len(), given_skew),
            en_male: Zipf::new(EN_MALE.len(), given_skew),
            en_female: Zipf::new(EN_FEMALE.len(), given_skew),
            fr_city: Zipf::new(FR_CITIES.len(), 0.8),
            uk_city: Zipf::new(UK_CITIES.len(), 0.8),
            us_city: Zipf::new(US_CITIES.len(), 0.8),
            fr_street_type: Zipf::new(FR_STREET_TYPES.len(), 1.2),
            en_street_type: Zipf::new(EN_STREET_TYPES.len(), 1.2),
            fr_street_name: Zipf::new(FR_STREET_NAMES.len(), 0.5),
            en_street_name: Zipf::new(EN_STREET_NAMES.len(), 0.5),
            fr_provider: Zipf::new(FR_PROVIDERS.len(), 1.0),
            uk_provider: Zipf::new(UK_PROVIDERS.len(), 1.0),
            us_provider: Zipf::new(US_PROVIDERS.len(), 1.0),
        }
    }
}

/// The generator's state: parameters, random stream, samplers and the set of
/// emails handed out so far (emails are unique per person).
#[derive(Debug)]
pub(super) struct Gen {
    pub p: Params,
    pub rng: Rng,
    zipf: Samplers,
    /// Surname head (tables) and tail (built names).
    surnames: Surnames,
    /// 64-bit hashes of the emails handed out (a collision only costs a
    /// needless suffix, and the hash is fixed, so output stays deterministic).
    emails: HashSet<u64>,
    /// Reads an address as the mailbox it reaches (`unique_mailboxes`).
    mailboxes: EmailNormalizer,
    email_serial: u64,
    /// Reusable buffers for building emails (given name, surname, local part)
    /// and for reading their mailbox.
    scratch: [String; 4],
}

/// Birth years of generated persons.
pub(super) const BIRTH_YEARS: (u32, u32) = (1940, 2006);

impl Gen {
    pub(super) fn new(p: Params, seed: u64) -> Self {
        Gen {
            p,
            rng: Rng::new(seed),
            zipf: Samplers::new(p.given_name_skew),
            surnames: Surnames::new(p.common_surname_share),
            emails: HashSet::new(),
            mailboxes: EmailNormalizer::default(),
            email_serial: 0,
            scratch: Default::default(),
        }
    }

    /// A given name for the country and sex, from its table with the
    /// configured skew.
    pub(super) fn given(&mut self, country: Country, female: bool) -> &'static str {
        let z = &self.zipf;
        let zipf = match (country, female) {
            (Country::Fr, false) => &z.fr_male,
            (Country::Fr, true) => &z.fr_female,
            (_, false) => &z.en_male,
            (_, true) => &z.en_female,
        };
        given_table(country, female)[zipf.sample(&mut self.rng)]
    }

    /// A surname: a table name for the configured share of persons (40% in
    /// the easy preset), a built one otherwise (see the `surname` module).
    pub(super) fn surname(&mut self, country: Country) -> String {
        match country {
            Country::Fr => self.surnames.french(&mut self.rng),
            _ => self.surnames.english(&mut self.rng),
        }
    }

    pub(super) fn date(&mut self) -> Date {
        let y = self.rng.range(BIRTH_YEARS.0, BIRTH_YEARS.1) as u16;
        self.date_in(y)
    }

    /// A random day of year `y`.
    pub(super) fn date_in(&mut self, y: u16) -> Date {
        let m = self.rng.range(1, 12) as u8;
        let d = self.rng.range(1, u32::from(days_in_month(i32::from(y), m))) as u8;
        Date { y, m, d }
    }

    fn digits(&mut self, n: usize) -> String {
        (0..n).map(|_| self.rng.digit()).collect()
    }

    fn city(&mut self, country: Country) -> usize {
        match country {
            Country::Fr => self.zipf.fr_city.sample(&mut self.rng),
            Country::Uk => self.zipf.uk_city.sample(&mut self.rng),
            Country::Us => self.zipf.us_city.sample(&mut self.rng),
        }
    }

    fn postcode(&mut self, country: Country, city: usize) -> String {
        match country {
            Country::Fr => {
                let FrCity { postcode, count, step, .. } = FR_CITIES[city];
                format!("{:05}", postcode + step * self.rng.below(count as usize) as u32)
            }
            Country::Uk => {
                const INWARD: &[u8] = b"ABDEFGHJLNPQRSTUWXYZ";
                let UkCity { area, districts, .. } = UK_CITIES[city];
                let district = self.rng.range(1, districts);
                let digit = self.rng.digit();
                let a = char::from(*self.rng.pick(INWARD));
                let b = char::from(*self.rng.pick(INWARD));
                format!("{area}{district} {digit}{a}{b}")
            }
            Country::Us => {
                let UsCity { zip, count, .. } = US_CITIES[city];
                format!("{:05}", zip + self.rng.below(count as usize) as u32)
            }
        }
    }

    /// A new address in `country` (any city when `avoid_city` is `None`).
    pub(super) fn address(&mut self, country: Country, avoid_city: Option<usize>) -> Address {
        let mut city = self.city(country);
        for _ in 0..8 {
            if Some(city) != avoid_city {
                break;
            }
            city = self.city(country);
        }
        if Some(city) == avoid_city {
            city = (city + 1) % self.city_count(country);
        }
        let postcode = self.postcode(country, city);
        let r = &mut self.rng;
        let (street_type, street_name) = match country {
            Country::Fr => (self.zipf.fr_street_type.sample(r), self.zipf.fr_street_name.sample(r)),
            _ => (self.zipf.en_street_type.sample(r), self.zipf.en_street_name.sample(r)),
        };
        let (number, suffix) = match country {
            Country::Fr => {
                let n = 1 + (r.below(60) * r.below(60)) as u32 / 12 + r.below(20) as u32;
                let suffix = if r.chance(0.04) { *r.pick(&[" bis", " ter", "B"]) } else { "" };
                (n, suffix)
            }
            Country::Uk => {
                let n = 1 + (r.below(50) * r.below(50)) as u32 / 8 + r.below(30) as u32;
                (n, if r.chance(0.04) { *r.pick(&["A", "B", "a"]) } else { "" })
            }
            Country::Us => (r.range(100, 9999), ""),
        };
        let addr2 = if r.chance(0.3) { Some(Self::addr2(r, country)) } else { None };
        Address { number, suffix, street_type, street_name, addr2, city, postcode }
    }

    fn city_count(&self, country: Country) -> usize {
        match country {
            Country::Fr => FR_CITIES.len(),
            Country::Uk => UK_CITIES.len(),
            Country::Us => US_CITIES.len(),
        }
    }

    fn addr2(r: &mut Rng, country: Country) -> String {
        let n = r.range(1, 40);
        let letter = char::from(b'A' + r.below(6) as u8);
        if country == Country::Fr {
            match r.below(7) {
                0 => format!("Apt {n}"),
                1 => format!("Appartement {n}"),
                2 => format!("Bâtiment {letter}"),
                3 => format!("Bât. {letter}, étage {}", n % 9 + 1),
                4 => format!("Escalier {letter}"),
                5 => format!("{}e étage", n % 9 + 2),
                _ => (*r.pick(FR_RESIDENCES)).to_owned(),
            }
        } else {
            match r.below(6) {
                0 => format!("Apt {n}"),
                1 => format!("Apt {n}{letter}"),
                2 => format!("Flat {n}"),
                3 => format!("Unit {n}"),
                4 => format!("Suite {}", n * 10),
                _ => format!("Building {letter}"),
            }
        }
    }

    /// A mobile number.
    pub(super) fn mobile(&mut self, country: Country, addr: &Address) -> Phone {
        let (digits, area_len) = match country {
            Country::Fr => {
                let first = if self.rng.chance(0.7) { '6' } else { '7' };
                (format!("{first}{}", self.digits(8)), 1)
            }
            Country::Uk => (format!("7{}", self.digits(9)), 4),
            Country::Us => (self.us_number(addr.city), 3),
        };
        Phone { country, digits, area_len, landline: false }
    }

    fn us_number(&mut self, city: usize) -> String {
        let exchange = self.rng.range(200, 999);
        format!("{}{exchange}{}", US_CITIES[city].area, self.digits(4))
    }

    /// A landline for the address: French zone digit, UK dialling code.
    pub(super) fn landline(&mut self, country: Country, addr: &Address) -> Phone {
        let (digits, area_len) = match country {
            Country::Fr => (format!("{}{}", FR_CITIES[addr.city].zone, self.digits(8)), 1),
            Country::Uk => {
                let area = &UK_CITIES[addr.city].dial[1..];
                (format!("{area}{}", self.digits(10 - area.len())), area.len())
            }
            Country::Us => (self.us_number(addr.city), 3),
        };
        Phone { country, digits, area_len, landline: true }
    }

    pub(super) fn provider(&mut self, country: Country) -> &'static str {
        let z = &self.zipf;
        match country {
            Country::Fr => FR_PROVIDERS[z.fr_provider.sample(&mut self.rng)],
            Country::Uk => UK_PROVIDERS[z.uk_provider.sample(&mut self.rng)],
            Country::Us => US_PROVIDERS[z.us_provider.sample(&mut self.rng)],
        }
    }

    /// A new email, unique among all generated so far.
    pub(super) fn email(
        &mut self,
        country: Country,
        given: &str,
        surname: &str,
        dob: Date,
    ) -> String {
        use std::fmt::Write;
        let (mut g, mut s, mut local) = (
            std::mem::take(&mut self.scratch[0]),
            std::mem::take(&mut self.scratch[1]),
            std::mem::take(&mut self.scratch[2]),
        );
        email_part(&mut g, given, true);
        email_part(&mut s, surname, false);
        let g0 = g.chars().next().unwrap_or('x');
        let provider = self.provider(country);
        let yy = dob.y % 100;
        local.clear();
        let _ = match self.rng.below(10) {
            0..=2 => write!(local, "{g}.{s}"),
            3 => write!(local, "{g}{s}"),
            4 => write!(local, "{g0}{s}"),
            5 => write!(local, "{g}.{s}{yy:02}"),
            6 => write!(local, "{s}.{g}"),
            7 => write!(local, "{g}_{s}"),
            8 => write!(local, "{g0}.{s}"),
            _ => write!(local, "{g}{s}{}", self.rng.range(1, 999)),
        };
        let email = self.claim_email(&local, provider);
        [self.scratch[0], self.scratch[1], self.scratch[2]] = [g, s, local];
        email
    }

    /// The hash under which `email` counts as taken: of the address as
    /// written, or of the mailbox it reaches (the library's canonical email)
    /// when mailboxes are handed out once.
    fn mailbox_hash(&mut self, email: &str) -> u64 {
        if !self.p.unique_mailboxes {
            return fnv64(email.as_bytes());
        }
        let mailbox = &mut self.scratch[3];
        mailbox.clear();
        self.mailboxes.normalize(email, mailbox);
        fnv64(mailbox.as_bytes())
    }

    /// Records `email` as taken; false when it (or its mailbox) already was.
    fn take_mailbox(&mut self, email: &str) -> bool {
        let hash = self.mailbox_hash(email);
        self.emails.insert(hash)
    }

    /// `local@provider`, or a numbered variant when that is taken; records
    /// it as taken.
    pub(super) fn claim_email(&mut self, local: &str, provider: &str) -> String {
        let mut email = format!("{local}@{provider}");
        let mut tries = 0;
        while !self.take_mailbox(&email) {
            tries += 1;
            email = if tries < 8 {
                format!("{local}{}@{provider}", self.rng.range(2, 9999))
            } else {
                self.email_serial += 1;
                format!("{local}.{}@{provider}", self.email_serial)
            };
        }
        email
    }

    pub(super) fn national_id(
        &mut self,
        country: Country,
        female: bool,
        dob: Date,
        addr: &Address,
    ) -> String {
        match country {
            Country::Fr => {
                let dept = &addr.postcode[..2];
                format!(
                    "{}{:02}{:02}{dept}{:03}{:03}",
                    if female { 2 } else { 1 },
                    dob.y % 100,
                    dob.m,
                    self.rng.range(1, 999),
                    self.rng.range(1, 999)
                )
            }
            _ => {
                let mut area = self.rng.range(1, 899);
                if area == 666 {
                    area = 667;
                }
                format!("{area:03}{:02}{:04}", self.rng.range(1, 99), self.rng.range(1, 9999))
            }
        }
    }

    pub(super) fn country(&mut self) -> Country {
        if self.rng.chance(self.p.french_share) {
            Country::Fr
        } else if self.rng.chance(0.5) {
            Country::Uk
        } else {
            Country::Us
        }
    }

    /// A person unrelated to anyone generated before.
    pub(super) fn new_person(&mut self) -> Person {
        let country = self.country();
        let female = self.rng.chance(0.5);
        let given = self.given(country, female);
        let surname = self.surname(country);
        let dob = self.date();
        let addr = self.address(country, None);
        let phone = if self.rng.chance(0.25) {
            self.landline(country, &addr)
        } else {
            self.mobile(country, &addr)
        };
        let email = self.email(country, given, &surname, dob);
        let national_id = self.national_id(country, female, dob, &addr);
        Person::plain(country, female, given, surname, dob, email, phone, addr, national_id)
    }

    /// A relative of `anchor` living with them (spouse, child or sibling):
    /// same surname, address and landline (which `anchor` now gets too),
    /// different given name and date of birth.
    pub(super) fn relative_of(&mut self, anchor: &mut Person) -> Person {
        if !anchor.phone.landline {
            anchor.phone = self.landline(anchor.country, &anchor.addr);
        }
        let country = anchor.country;
        let ay = u32::from(anchor.dob.y);
        let (female, year) = match self.rng.below(3) {
            // Spouse.
            0 => {
                let female = if self.rng.chance(0.9) { !anchor.female } else { anchor.female };
                (female, self.rng.range(ay.saturating_sub(6), ay + 6))
            }
            // Child, when the anchor is old enough.
            1 if ay + 20 <= 2008 => {
                (self.rng.chance(0.5), self.rng.range(ay + 20, (ay + 38).min(2008)))
            }
            // Sibling.
            _ => (self.rng.chance(0.5), self.rng.range(ay.saturating_sub(8), ay + 8)),
        };
        let mut dob = self.date().with_year(year as u16);
        if dob == anchor.dob {
            dob = dob.with_year(dob.y + 1);
        }
        let mut given = self.given(country, female);
        for _ in 0..16 {
            if given != anchor.given {
                break;
            }
            given = self.given(country, female);
        }
        if given == anchor.given {
            let table = given_table(country, female);
            given = if table[0] == anchor.given { table[1] } else { table[0] };
        }
        let surname = anchor.surname.clone();
        let addr = anchor.addr.clone();
        let phone = anchor.phone.clone();
        let email = self.email(country, given, &surname, dob);
        let national_id = self.national_id(country, female, dob, &addr);
        Person::plain(country, female, given, surname, dob, email, phone, addr, national_id)
    }

    /// Someone with `anchor`'s given name and surname, living elsewhere, born
    /// on another day, with their own email and phone.
    pub(super) fn namesake_of(&mut self, anchor: &Person) -> Person {
        let Person { country, female, given, .. } = *anchor;
        let surname = anchor.surname.clone();
        let mut dob = self.date();
        if dob == anchor.dob {
            dob = dob.with_year(dob.y + 1);
        }
        let addr = self.address(country, Some(anchor.addr.city));
        let phone = self.mobile(country, &addr);
        let email = self.email(country, given, &surname, dob);
        let national_id = self.national_id(country, female, dob, &addr);
        Person::plain(country, female, given, surname, dob, email, phone, addr, national_id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_positions_match_the_person_schema() {
        let schema = crate::profile::person().schema;
        let names: Vec<&str> = schema.fields().iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names, FIELD_NAMES);
    }

    #[test]
    fn dates_render_in_every_format() {
        let d = Date { y: 1980, m: 2, d: 1 };
        let all: Vec<String> = (0..DATE_FORMATS).map(|f| d.render(f)).collect();
        assert_eq!(
            all,
            ["1980-02-01", "01/02/1980", "01.02.1980", "19800201", "01-02-1980", "1/2/1980"]
        );
        assert_eq!(Date { y: 1980, m: 2, d: 29 }.with_year(1981), Date { y: 1981, m: 2, d: 28 });
    }

    #[test]
    fn phones_render() {
        let fr = Phone {
            country: Country::Fr,
            digits: "612345678".into(),
            area_len: 1,
            landline: false,
        };
        let got: Vec<String> = (0..PHONE_STYLES).map(|s| fr.render(s)).collect();
        assert_eq!(
            got,
            [
                "06 12 34 56 78",
                "0612345678",
                "06.12.34.56.78",
                "+33 6 12 34 56 78",
                "+33612345678",
                "0033612345678",
                "+33 (0)6 12 34 56 78",
                "06-12-34-56-78"
            ]
        );
        let uk = Phone {
            country: Country::Uk,
            digits: "7700900123".into(),
            area_len: 4,
            landline: false,
        };
        assert_eq!(uk.render(0), "07700 900123");
        assert_eq!(uk.render(3), "+44 7700 900123");
        let ldn = Phone {
            country: Country::Uk,
            digits: "2079460123".into(),
            area_len: 2,
            landline: true,
        };
        assert_eq!(ldn.render(0), "020 7946 0123");
        let us = Phone {
            country: Country::Us,
            digits: "4155552671".into(),
            area_len: 3,
            landline: false,
        };
        assert_eq!(us.render(0), "(415) 555-2671");
        assert_eq!(us.render(2), "415-555-2671");
        assert_eq!(us.render(3), "+1 415 555 2671");
    }

    fn params() -> Params {
        crate::synth::SynthConfig::new(0, 10).params()
    }

    #[test]
    fn persons_are_consistent() {
        let mut g = Gen::new(params(), 9);
        for _ in 0..2000 {
            let p = g.new_person();
            match p.country {
                Country::Fr => {
                    assert_eq!(p.national_id.len(), 13, "{}", p.national_id);
                    assert_eq!(p.phone.digits.len(), 9);
                    assert_eq!(&p.national_id[5..7], &p.addr.postcode[..2]);
                }
                Country::Uk => {
                    assert_eq!(p.national_id.len(), 9);
                    assert_eq!(p.phone.digits.len(), 10);
                    assert!(p.addr.postcode.contains(' '));
                }
                Country::Us => {
                    assert_eq!(p.phone.digits.len(), 10);
                    assert_eq!(p.addr.postcode.len(), 5);
                }
            }
            assert!(p.national_id.bytes().all(|b| b.is_ascii_digit()));
            assert!(p.email.contains('@') && p.email.is_ascii());
            assert!(!p.city_name().is_empty());
        }
    }

    #[test]
    fn hard_negatives_share_what_they_should() {
        let mut g = Gen::new(params(), 10);
        for _ in 0..500 {
            let mut a = g.new_person();
            let r = g.relative_of(&mut a);
            assert_eq!(r.surname, a.surname);
            assert_eq!(r.addr, a.addr);
            assert_eq!(r.phone, a.phone);
            assert!(a.phone.landline);
            assert_ne!(r.given, a.given);
            assert_ne!(r.dob, a.dob);
            assert_ne!(r.email, a.email);
            let n = g.namesake_of(&a);
            assert_eq!((n.given, &n.surname), (a.given, &a.surname));
            assert_ne!(n.dob, a.dob);
            assert_ne!(n.addr.city, a.addr.city);
            assert_ne!(n.email, a.email);
        }
    }
}
