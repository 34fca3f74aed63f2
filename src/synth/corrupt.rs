//! Corruptions applied to duplicate records.

use super::names::{
    EMAIL_TAGS, HONORIFICS_EN_F, HONORIFICS_EN_M, HONORIFICS_FR_F, HONORIFICS_FR_M, NICKNAMES,
};
use super::person::{
    Country, Date, Gen, Person, Values, ADDR1, ADDR2, CITY, DATE_FORMATS, DOB, EMAIL, GIVEN, NF,
    NID, PHONE, PHONE_STYLES, STATE, SURNAME,
};
use super::render::{Channel, Ctx};
use super::text::{
    capitalize_first, digit_transposition, digit_typo, fold_accents, match_case, title_case, typo,
};

/// One kind of corruption; a duplicate records the kinds applied as a bit set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    NameTypo,
    AddressTypo,
    Accents,
    Case,
    Nickname,
    Honorific,
    Compound,
    Missing,
    Swap,
    DateFormat,
    DateError,
    PhoneFormat,
    PhoneTypo,
    EmailVariant,
    NewEmail,
    Moved,
    StreetAbbrev,
    NationalId,
}

impl Kind {
    pub(super) fn bit(self) -> u32 {
        1 << self as u32
    }
}

/// Every kind with its relative frequency.
pub(super) const KINDS: [(Kind, u32); 18] = [
    (Kind::NameTypo, 14),
    (Kind::AddressTypo, 7),
    (Kind::Accents, 8),
    (Kind::Case, 7),
    (Kind::Nickname, 6),
    (Kind::Honorific, 4),
    (Kind::Compound, 6),
    (Kind::Missing, 9),
    (Kind::Swap, 3),
    (Kind::DateFormat, 5),
    (Kind::DateError, 5),
    (Kind::PhoneFormat, 5),
    (Kind::PhoneTypo, 3),
    (Kind::EmailVariant, 6),
    (Kind::NewEmail, 3),
    (Kind::Moved, 4),
    (Kind::StreetAbbrev, 4),
    (Kind::NationalId, 4),
];

/// The order record-level kinds apply in: substitutions first, then typos,
/// then case and accents, then structure (honorific, swap, drops).
const ORDER: [Kind; 16] = [
    Kind::Nickname,
    Kind::Compound,
    Kind::StreetAbbrev,
    Kind::DateFormat,
    Kind::DateError,
    Kind::PhoneFormat,
    Kind::PhoneTypo,
    Kind::EmailVariant,
    Kind::NationalId,
    Kind::NameTypo,
    Kind::AddressTypo,
    Kind::Accents,
    Kind::Case,
    Kind::Honorific,
    Kind::Swap,
    Kind::Missing,
];

/// Mean number of corruptions per duplicate at `corruption = 1`.
const MEAN_CORRUPTIONS: f64 = 1.6;

impl Gen {
    /// A random kind, drawn with `weights` (see [`kind_weights`]).
    fn pick_kind(&mut self, weights: &[u32; KINDS.len()]) -> Kind {
        let total: u32 = weights.iter().sum();
        let mut x = self.rng.below(total as usize) as u32;
        for ((kind, _), &w) in KINDS.iter().zip(weights) {
            if x < w {
                return *kind;
            }
            x -= w;
        }
        Kind::NameTypo
    }

    /// Renders a duplicate of `person` for channel `ch` and corrupts it;
    /// with `date_error_rate` above 0, a date error is added at that rate on
    /// top of the drawn kinds. Moves and new emails change `person` for
    /// later records too. Returns the bit set of the kinds applied.
    pub(super) fn duplicate(
        &mut self,
        person: &mut Person,
        ch: &Channel,
        values: &mut Values,
    ) -> u32 {
        let n = self.rng.poisson(MEAN_CORRUPTIONS * self.p.corruption);
        let mut kinds = 0u32;
        if n > 0 {
            let weights = kind_weights(person);
            for _ in 0..n {
                kinds |= self.pick_kind(&weights).bit();
            }
        }
        let date_error_rate = self.p.date_error_rate;
        if date_error_rate > 0.0 && self.rng.chance(date_error_rate) {
            kinds |= Kind::DateError.bit();
        }
        let mut applied = 0;
        if kinds & Kind::Moved.bit() != 0 {
            self.move_house(person);
            applied |= Kind::Moved.bit();
        }
        if kinds & Kind::NewEmail.bit() != 0 {
            self.new_email(person);
            applied |= Kind::NewEmail.bit();
        }
        let mut ctx = self.render(person, ch, values);
        for kind in ORDER {
            if kinds & kind.bit() != 0 && self.apply(kind, person, &mut ctx, values) {
                applied |= kind.bit();
            }
        }
        applied
    }

    /// Gives the person a new email, at another provider when possible.
    pub(super) fn new_email(&mut self, person: &mut Person) {
        fn domain(e: &str) -> &str {
            e.rsplit('@').next().unwrap_or("")
        }
        let old = std::mem::take(&mut person.email);
        let mut email = self.email(person.country, person.given, &person.surname, person.dob);
        for _ in 0..3 {
            if domain(&email) != domain(&old) {
                break;
            }
            email = self.email(person.country, person.given, &person.surname, person.dob);
        }
        person.email = email;
    }

    /// Moves the person to a new address in another city; a landline moves
    /// with them. The household's landline (a second number) is replaced by
    /// a landline at the new address half the time, dropped otherwise.
    pub(super) fn move_house(&mut self, person: &mut Person) {
        person.addr = self.address(person.country, Some(person.addr.city));
        if person.phone.landline {
            person.phone = self.landline(person.country, &person.addr);
        }
        if person.alt_phone.is_some() {
            person.alt_phone =
                self.rng.chance(0.5).then(|| self.landline(person.country, &person.addr));
        }
    }

    /// Applies one record-level corruption; false when it does not apply
    /// (e.g. a nickname for a name without one, or the field is missing).
    fn apply(&mut self, kind: Kind, person: &Person, ctx: &mut Ctx, v: &mut Values) -> bool {
        let azerty = person.azerty();
        match kind {
            Kind::NameTypo => {
                let field = self.present(v, &[GIVEN, SURNAME]);
                field.is_some_and(|f| self.typo_field(v, f, azerty))
            }
            Kind::AddressTypo => {
                let field = self.present(v, &[ADDR1, CITY]);
                field.is_some_and(|f| self.typo_field(v, f, azerty))
            }
            Kind::Accents => {
                map_fields(v, &[GIVEN, SURNAME, ADDR1, ADDR2, CITY, STATE], fold_accents)
            }
            Kind::Case => match self.rng.below(4) {
                0 => map_fields(v, &[GIVEN, SURNAME], str::to_uppercase),
                1 => map_fields(v, &[GIVEN, SURNAME], |s| fold_accents(s).to_uppercase()),
                2 => map_fields(v, &[GIVEN, SURNAME], str::to_lowercase),
                _ => map_fields(v, &[GIVEN, SURNAME, ADDR1, CITY], str::to_uppercase),
            },
            Kind::Nickname => self.nickname(person, v),
            Kind::Honorific => self.honorific(person, v),
            Kind::Compound => self.compound(v),
            Kind::Missing => {
                let present: Vec<usize> = (DOB..NF).filter(|&f| v[f].is_some()).collect();
                if present.is_empty() {
                    return false;
                }
                let k = 1 + self.rng.below(3);
                for _ in 0..k {
                    v[*self.rng.pick(&present)] = None;
                }
                true
            }
            Kind::Swap => {
                if v[GIVEN].is_none() || v[SURNAME].is_none() {
                    return false;
                }
                v.swap(GIVEN, SURNAME);
                true
            }
            Kind::DateFormat => {
                if v[DOB].is_none() {
                    return false;
                }
                let fmt = (ctx.date_fmt + 1 + self.rng.below(usize::from(DATE_FORMATS) - 1) as u8)
                    % DATE_FORMATS;
                ctx.date_fmt = fmt;
                v[DOB] = Some(person.dob.render(fmt));
                true
            }
            Kind::DateError => self.date_error(person, ctx, v),
            Kind::PhoneFormat => {
                if v[PHONE].is_none() {
                    return false;
                }
                let style =
                    (ctx.phone_style + 1 + self.rng.below(usize::from(PHONE_STYLES) - 1) as u8)
                        % PHONE_STYLES;
                ctx.phone_style = style;
                v[PHONE] = Some(ctx.phone(person).render(style));
                true
            }
            Kind::PhoneTypo => self.replace(v, PHONE, |g, s| digit_typo(&mut g.rng, s, 8)),
            Kind::EmailVariant => self.email_variant(v, azerty),
            Kind::StreetAbbrev => {
                if v[ADDR1].is_none() {
                    return false;
                }
                let i = self.rng.below(person.street_abbrevs());
                v[ADDR1] = Some(person.street_line(Some(i), ctx.street_cap));
                true
            }
            Kind::NationalId => {
                if v[NID].is_none() {
                    return false;
                }
                match self.rng.below(3) {
                    0 => {
                        v[NID] = None;
                        true
                    }
                    1 => self.replace(v, NID, |g, s| digit_transposition(&mut g.rng, s)),
                    _ => self.replace(v, NID, |g, s| digit_typo(&mut g.rng, s, usize::MAX)),
                }
            }
            // Person-level kinds are applied before rendering.
            Kind::NewEmail | Kind::Moved => false,
        }
    }

    /// A random field among `fields` that has a value.
    fn present(&mut self, v: &Values, fields: &[usize]) -> Option<usize> {
        let start = self.rng.below(fields.len());
        (0..fields.len()).map(|k| fields[(start + k) % fields.len()]).find(|&f| v[f].is_some())
    }

    /// Replaces field `f` by `edit(value)` when that gives `Some`.
    fn replace(
        &mut self,
        v: &mut Values,
        f: usize,
        edit: impl FnOnce(&mut Gen, &str) -> Option<String>,
    ) -> bool {
        let Some(old) = v[f].as_deref() else { return false };
        match edit(self, old) {
            Some(new) if new != old => {
                v[f] = Some(new);
                true
            }
            _ => false,
        }
    }

    fn typo_field(&mut self, v: &mut Values, f: usize, azerty: bool) -> bool {
        self.replace(v, f, |g, s| typo(&mut g.rng, s, azerty))
    }

    fn nickname(&mut self, person: &Person, v: &mut Values) -> bool {
        let Some((_, dims)) = NICKNAMES.iter().find(|(canon, _)| *canon == person.given) else {
            return false;
        };
        let dim = *self.rng.pick(dims);
        self.replace(v, GIVEN, |_, s| Some(match_case(s, dim)))
    }

    fn honorific(&mut self, person: &Person, v: &mut Values) -> bool {
        let table = match (person.country, person.female) {
            (Country::Fr, false) => HONORIFICS_FR_M,
            (Country::Fr, true) => HONORIFICS_FR_F,
            (_, false) => HONORIFICS_EN_M,
            (_, true) => HONORIFICS_EN_F,
        };
        let h = *self.rng.pick(table);
        self.replace(v, GIVEN, |_, s| Some(format!("{} {s}", match_case(s, h))))
    }

    /// Hyphen vs space in compound names, particle spacing and case,
    /// apostrophe variants.
    fn compound(&mut self, v: &mut Values) -> bool {
        let has =
            |v: &Values, f: usize| v[f].as_deref().is_some_and(|s| s.contains([' ', '-', '\'']));
        let field = match (has(v, GIVEN), has(v, SURNAME)) {
            (true, true) => {
                if self.rng.chance(0.7) {
                    GIVEN
                } else {
                    SURNAME
                }
            }
            (true, false) => GIVEN,
            (false, true) => SURNAME,
            (false, false) => return false,
        };
        let choice = self.rng.below(5);
        self.replace(v, field, |_, s| Some(compound_variant(s, choice)))
    }

    fn date_error(&mut self, person: &Person, ctx: &Ctx, v: &mut Values) -> bool {
        if v[DOB].is_none() {
            return false;
        }
        let Date { y, m, d } = person.dob;
        let can_transpose = d <= 12 && m <= 12 && d != m;
        match self.rng.below(3) {
            0 if can_transpose => {
                v[DOB] = Some(Date { y, m: d, d: m }.render(ctx.date_fmt));
                true
            }
            1 => {
                let year = if self.rng.chance(0.5) { y + 1 } else { y - 1 };
                v[DOB] = Some(person.dob.with_year(year).render(ctx.date_fmt));
                true
            }
            _ => self.replace(v, DOB, |g, s| digit_typo(&mut g.rng, s, usize::MAX)),
        }
    }

    fn email_variant(&mut self, v: &mut Values, azerty: bool) -> bool {
        let Some(email) = v[EMAIL].as_deref() else { return false };
        let Some((local, domain)) = email.trim().split_once('@') else { return false };
        let gmail = domain.eq_ignore_ascii_case("gmail.com");
        let op = self.rng.below(if gmail { 6 } else { 4 });
        let new = match op {
            0 => Some(email.to_uppercase()),
            1 => Some(format!(
                "{}@{}",
                title_case(&local.replace('.', " ")).replace(' ', "."),
                capitalize_first(domain)
            )),
            2 => Some(format!("{}{email}{}", if self.rng.chance(0.5) { " " } else { "" }, " ")),
            3 => {
                let domain_typo = self.rng.chance(0.4);
                if domain_typo {
                    typo(&mut self.rng, domain, azerty).map(|d| format!("{local}@{d}"))
                } else {
                    typo(&mut self.rng, local, azerty).map(|l| format!("{l}@{domain}"))
                }
            }
            4 => Some(format!("{local}+{}@{domain}", self.rng.pick(EMAIL_TAGS))),
            _ => {
                if local.contains('.') {
                    Some(format!("{}@{domain}", local.replace('.', "")))
                } else if local.len() >= 2 {
                    let cut = 1 + self.rng.below(local.len() - 1);
                    Some(format!("{}.{}@{domain}", &local[..cut], &local[cut..]))
                } else {
                    None
                }
            }
        };
        match new {
            Some(n) if n != email => {
                v[EMAIL] = Some(n);
                true
            }
            _ => false,
        }
    }
}

/// The weights of [`KINDS`] for `person`. Kinds that cannot apply (a
/// nickname for a name without one, hyphen variants for a plain name) get
/// none; those that can are more likely than average, as in real data.
fn kind_weights(person: &Person) -> [u32; KINDS.len()] {
    let nickname = has_nickname(person);
    let compound = is_compound(person);
    KINDS.map(|(kind, w)| match kind {
        Kind::Nickname if !nickname => 0,
        Kind::Nickname => 3 * w,
        Kind::Compound if !compound => 0,
        Kind::Compound => 4 * w,
        _ => w,
    })
}

/// True when NICKNAMES has the person's given name.
fn has_nickname(person: &Person) -> bool {
    NICKNAMES.iter().any(|(canon, _)| *canon == person.given)
}

/// True when the person's names have a hyphen, space or apostrophe.
fn is_compound(person: &Person) -> bool {
    person.given.contains('-') || person.surname.contains([' ', '-', '\''])
}

/// Applies `f` to every present field of `fields`; true when anything changed.
fn map_fields(v: &mut Values, fields: &[usize], f: impl Fn(&str) -> String) -> bool {
    let mut changed = false;
    for &i in fields {
        if let Some(old) = v[i].as_deref() {
            let new = f(old);
            if new != old {
                v[i] = Some(new);
                changed = true;
            }
        }
    }
    changed
}

/// One spelling variant of a name with spaces, hyphens or apostrophes.
fn compound_variant(s: &str, choice: usize) -> String {
    if s.contains('\'') {
        return match choice {
            0 | 1 => s.replace('\'', ""),
            2 => s.replace('\'', " "),
            3 => s.replace('\'', "’"),
            _ => capitalize_first(&s.replace('\'', "")),
        };
    }
    if s.contains('-') {
        return match choice {
            0..=2 => s.replace('-', " "),
            3 => s.replace('-', ""),
            _ => s.split('-').next().unwrap_or(s).to_owned(),
        };
    }
    // Particles and multi-word names: "de La Fontaine".
    let lower = s.to_lowercase();
    match choice {
        0 => capitalize_first(&s.replace(' ', "")),
        1 => lower,
        2 => s.to_uppercase(),
        3 if lower.starts_with("de ") || lower.starts_with("du ") => s[3..].to_owned(),
        3 => s.replace(' ', ""),
        _ => title_case(s),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compound_variants() {
        let all = |s: &str| (0..5).map(|c| compound_variant(s, c)).collect::<Vec<_>>();
        assert_eq!(
            all("de La Fontaine"),
            ["Delafontaine", "de la fontaine", "DE LA FONTAINE", "La Fontaine", "De La Fontaine"]
        );
        assert_eq!(all("O'Brien"), ["OBrien", "OBrien", "O Brien", "O’Brien", "Obrien"]);
        assert_eq!(
            all("Jean-Pierre"),
            ["Jean Pierre", "Jean Pierre", "Jean Pierre", "JeanPierre", "Jean"]
        );
        assert_eq!(all("Van Dyke")[3], "VanDyke");
    }

    #[test]
    fn kinds_have_distinct_bits() {
        let mut seen = 0u32;
        for (k, w) in KINDS {
            assert!(w > 0);
            assert_eq!(seen & k.bit(), 0);
            seen |= k.bit();
        }
        assert!(ORDER.iter().all(|k| seen & k.bit() != 0));
    }
}
