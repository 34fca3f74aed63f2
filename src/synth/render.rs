//! Source channels and how one writes a person as a record: formats, case,
//! missing values, and which of a person's surnames, phones and name suffix
//! a record shows.

use super::person::{
    Country, Gen, Person, Phone, Values, ADDR1, ADDR2, CITY, DOB, EMAIL, GENDER, GIVEN, NID,
    NUMBER, PHONE, PHONE_STYLES, POSTCODE, STATE, SURNAME,
};

/// How a channel writes the gender.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum GenderStyle {
    /// `M` / `F`.
    Letter,
    /// `H` / `F` for French persons, `M` / `F` otherwise.
    LocalLetter,
    /// `homme` / `femme` for French persons, `male` / `female` otherwise.
    LocalWord,
    /// `male` / `female`.
    Word,
}

/// How a channel writes names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum NameStyle {
    /// Typed by the person: as spelt, now and then all lower-case.
    Typed,
    /// As spelt.
    Proper,
    /// Surname upper-cased ("Jean DUPONT").
    SurnameUpper,
    /// Both upper-cased.
    Upper,
}

/// A source channel and the format it writes values in.
#[derive(Debug, Clone, Copy)]
pub(super) struct Channel {
    pub system: &'static str,
    /// Relative share of records.
    pub weight: u32,
    /// Date format, see [`super::person::Date::render`].
    pub date_fmt: u8,
    /// Phone style, see [`Phone::render`]; `None`: free-form input, a random
    /// style per record.
    pub phone_style: Option<u8>,
    pub gender: GenderStyle,
    pub names: NameStyle,
    /// "Rue de la Paix" rather than "rue de la Paix".
    pub street_cap: bool,
    /// How often a record of a person with a married name shows their birth
    /// surname instead: contracts (`partner`, `crm`) ask for the legal name
    /// more often than web forms and tills.
    pub birth_name_share: f64,
}

#[allow(clippy::too_many_arguments)]
const fn channel(
    system: &'static str,
    weight: u32,
    date_fmt: u8,
    phone_style: Option<u8>,
    gender: GenderStyle,
    names: NameStyle,
    street_cap: bool,
    birth_name_share: f64,
) -> Channel {
    Channel { system, weight, date_fmt, phone_style, gender, names, street_cap, birth_name_share }
}

/// The source channels.
pub(super) const CHANNELS: [Channel; 6] = {
    use GenderStyle as G;
    use NameStyle as N;
    [
        channel("web", 25, 0, None, G::Letter, N::Typed, false, 0.25),
        channel("shop", 20, 1, Some(0), G::LocalWord, N::SurnameUpper, true, 0.25),
        channel("call_centre", 15, 2, Some(1), G::LocalLetter, N::Upper, false, 0.3),
        channel("app", 20, 3, Some(4), G::Word, N::Typed, false, 0.25),
        channel("partner", 10, 1, Some(5), G::Letter, N::Proper, true, 0.6),
        channel("crm", 10, 0, Some(3), G::LocalLetter, N::Proper, false, 0.6),
    ]
};

/// What rendering chose for a record, for later corruptions.
#[derive(Debug, Clone, Copy)]
pub(super) struct Ctx {
    pub date_fmt: u8,
    pub phone_style: u8,
    pub street_cap: bool,
    /// The record shows the person's second number ([`Person::alt_phone`]).
    pub alt_phone: bool,
}

impl Ctx {
    /// The number this record shows.
    pub(super) fn phone<'a>(&self, person: &'a Person) -> &'a Phone {
        match &person.alt_phone {
            Some(alt) if self.alt_phone => alt,
            _ => &person.phone,
        }
    }
}

/// How often a record of someone with a second number (the household's
/// landline) shows that one rather than their mobile. A judgement.
const ALT_PHONE_SHOWN: f64 = 0.5;
/// How often a record of a junior or senior carries the suffix.
const SUFFIX_SHOWN: f64 = 0.4;
/// How often a French record showing the birth name writes both
/// (`Dupont née Martin`, `Martin épouse Dupont`).
const NEE_FORM: f64 = 0.1;

impl Gen {
    /// Renders `person` the way `ch` writes records, dropping optional
    /// fields at the configured missing rate.
    pub(super) fn render(&mut self, person: &Person, ch: &Channel, values: &mut Values) -> Ctx {
        let mr = self.p.missing_rate;
        let phone_style = match ch.phone_style {
            Some(s) => s,
            None => self.rng.below(usize::from(PHONE_STYLES)) as u8,
        };
        // The draws below only happen for persons the easy preset never
        // makes, so its records stay what they always were.
        let surname = self.shown_surname(person, ch);
        let alt_phone = person.alt_phone.is_some() && self.rng.chance(ALT_PHONE_SHOWN);
        let ctx = Ctx { date_fmt: ch.date_fmt, phone_style, street_cap: ch.street_cap, alt_phone };
        let r = &mut self.rng;
        let (mut given, mut surname) = match ch.names {
            NameStyle::Upper => (person.given.to_uppercase(), surname.to_uppercase()),
            NameStyle::SurnameUpper => (person.given.to_owned(), surname.to_uppercase()),
            NameStyle::Typed if r.chance(0.03) => {
                (person.given.to_lowercase(), surname.to_lowercase())
            }
            NameStyle::Typed | NameStyle::Proper => (person.given.to_owned(), surname),
        };
        if let Some(suffix) = person.suffix {
            if r.chance(SUFFIX_SHOWN) {
                let written = match r.below(3) {
                    0 if suffix != "II" => format!("{suffix}."),
                    1 => suffix.to_uppercase(),
                    _ => suffix.to_owned(),
                };
                let field = if r.chance(0.6) { &mut surname } else { &mut given };
                let upper = field.chars().any(char::is_alphabetic)
                    && !field.chars().any(char::is_lowercase);
                field.push(' ');
                field.push_str(&if upper { written.to_uppercase() } else { written });
            }
        }
        values[GIVEN] = Some(given);
        values[SURNAME] = Some(surname);
        values[DOB] = (!r.chance(mr)).then(|| person.dob.render(ctx.date_fmt));
        values[GENDER] = (!r.chance(mr)).then(|| gender(person, ch.gender).to_owned());
        values[EMAIL] = (!r.chance(mr)).then(|| person.email.clone());
        values[PHONE] = (!r.chance(mr)).then(|| ctx.phone(person).render(ctx.phone_style));
        values[NUMBER] =
            (!r.chance(mr)).then(|| format!("{}{}", person.addr.number, person.addr.suffix));
        values[ADDR1] = (!r.chance(mr)).then(|| person.street_line(None, ctx.street_cap));
        values[ADDR2] = person.addr.addr2.clone().filter(|_| !r.chance(mr));
        values[CITY] = (!r.chance(mr)).then(|| person.city_name().to_owned());
        values[POSTCODE] = (!r.chance(mr)).then(|| person.addr.postcode.clone());
        let state_missing = match person.country {
            Country::Fr => 5.0,
            Country::Uk => 3.0,
            Country::Us => 1.0,
        } * mr;
        values[STATE] = (!r.chance(state_missing)).then(|| person.state().to_owned());
        values[NID] = (!r.chance(3.0 * mr)).then(|| person.national_id.clone());
        ctx
    }

    /// The surname a record shows: the current one, or for a person whose records carry both names the birth
    /// name at the channel's [`Channel::birth_name_share`] (French records
    /// now and then write both: `Dupont née Martin`).
    fn shown_surname(&mut self, person: &Person, ch: &Channel) -> String {
        let birth = match &person.birth_surname {
            Some(b) if person.shows_birth_name => b,
            _ => return person.surname.clone(),
        };
        if !self.rng.chance(ch.birth_name_share) {
            return person.surname.clone();
        }
        let both = person.country == Country::Fr
            && !person.surname.contains(birth.as_str())
            && self.rng.chance(NEE_FORM);
        if !both {
            return birth.clone();
        }
        let married = &person.surname;
        let written = match (self.rng.below(3), person.female) {
            (0, true) => format!("{birth} épouse {married}"),
            (1, true) => format!("{birth} ép. {married}"),
            (_, true) => format!("{married} née {birth}"),
            (_, false) => format!("{married} né {birth}"),
        };
        written
    }
}

/// The person's gender in a channel's style.
pub(super) fn gender(person: &Person, style: GenderStyle) -> &'static str {
    let fr = person.country == Country::Fr;
    match (style, person.female) {
        (GenderStyle::LocalLetter, false) if fr => "H",
        (GenderStyle::LocalWord, false) if fr => "homme",
        (GenderStyle::LocalWord, true) if fr => "femme",
        (GenderStyle::LocalWord | GenderStyle::Word, false) => "male",
        (GenderStyle::LocalWord | GenderStyle::Word, true) => "female",
        (_, false) => "M",
        (_, true) => "F",
    }
}
