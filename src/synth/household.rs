//! Households: persons who share a home, a surname (mostly), often a
//! landline and sometimes an email; married names.
//!
//! A household is built from its [`Composition`]: the members' sexes, given
//! names, birth dates and surnames first (a [`Spec`] each, see the `family`
//! module), truncated to the room left, then each member's phones, email and
//! national id. Every member has the household's address; when the
//! household has a landline, every member gives it (as their only number or
//! beside their own mobile).

use super::family::{Spec, MEN_TAKE_NAME};
use super::names::{EN_SURNAMES, FR_SURNAMES};
use super::person::{Address, Country, Gen, Person, Phone};
use super::text::email_part;

/// What a multi-person household is made of, in the order of
/// [`super::HouseholdMix`]'s weights.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Composition {
    Couple,
    ParentsChildren,
    Siblings,
    Twins,
    JuniorSenior,
    Grandparents,
}

/// Every composition, in weight order.
pub(super) const COMPOSITIONS: [Composition; 6] = [
    Composition::Couple,
    Composition::ParentsChildren,
    Composition::Siblings,
    Composition::Twins,
    Composition::JuniorSenior,
    Composition::Grandparents,
];

/// Mean number of members of each composition before truncation (used to
/// spread households evenly among persons living alone).
const MEAN_SIZE: [f64; 6] = [2.0, 3.4, 2.3, 3.05, 2.6, 4.0];

/// A person's place in their household.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Role {
    /// Lives alone (in the data set).
    Alone,
    /// One of a couple without children in the data set.
    Partner,
    /// A parent living with children.
    Parent,
    /// An adult child living with a parent.
    Child,
    Sibling,
    /// A twin: same date of birth as the other twin.
    Twin,
    /// A father whose son is named after him.
    Senior,
    /// A son named after his father.
    Junior,
    Grandparent,
    /// The easy preset's relative: same surname, address and landline as an
    /// earlier person.
    Relative,
}

/// Facts about a person the tests and figures count.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(super) struct Traits(pub u8);

impl Traits {
    /// Gives the household's shared email.
    pub(super) const FAMILY_EMAIL: u8 = 1;
    /// Gives the household's shared landline.
    pub(super) const SHARED_LANDLINE: u8 = 2;
    /// Uses a married surname (has a birth surname that differs).
    pub(super) const MARRIED_NAME: u8 = 4;
    /// Some records carry the birth surname, others the married one.
    pub(super) const BOTH_NAMES: u8 = 8;
    /// Has a generational suffix (`Jr`, `II`, `Sr`).
    pub(super) const SUFFIX: u8 = 16;

    /// True when every bit of `flag` is set.
    #[cfg(test)]
    pub(super) fn has(self, flag: u8) -> bool {
        self.0 & flag == flag
    }
}

/// One member of a household built by [`Gen::household`].
#[derive(Debug)]
pub(super) struct Member {
    pub person: Person,
    pub role: Role,
    pub traits: Traits,
}

/// Share of women born before 1996 who live alone in the data set but are
/// married to someone outside it (about 45% of adults are married).
const MARRIED_ALONE: f64 = 0.5;
/// Share of household members with a landline who give no mobile (a
/// judgement; grandparents use [`NO_MOBILE_OLD`]).
const NO_MOBILE: f64 = 0.2;
/// Share of grandparents with a landline who give no mobile.
const NO_MOBILE_OLD: f64 = 0.4;
/// Share of family emails that are one partner's own address (the others
/// are family addresses such as `famille.dupont@...`).
const PARTNER_EMAIL: f64 = 0.5;
/// Probability that a member beyond the first two also gives the family
/// email.
const MORE_FAMILY_EMAIL: f64 = 0.3;

/// A home: where the members live and what they share.
#[derive(Debug)]
struct Home {
    country: Country,
    addr: Address,
    landline: Option<Phone>,
}

impl Gen {
    /// A random household composition, drawn with the configured weights.
    pub(super) fn composition(&mut self) -> Composition {
        let weights = self.p.household_weights;
        let mut x = self.rng.unit() * weights.iter().sum::<f64>();
        for (c, w) in COMPOSITIONS.iter().zip(weights) {
            if x < w {
                return *c;
            }
            x -= w;
        }
        Composition::Couple
    }

    /// The mean size of a household under the configured weights.
    pub(super) fn mean_household_size(&self) -> f64 {
        let w = self.p.household_weights;
        let total: f64 = w.iter().sum();
        w.iter().zip(MEAN_SIZE).map(|(w, s)| w * s).sum::<f64>() / total
    }

    /// A household of `composition` with at most `max` members (at least two
    /// when `max >= 2`), most significant members first: a couple's partners,
    /// the parents before their children, twins or junior and senior before
    /// the others, a grandparent and their own child before the rest.
    pub(super) fn household(&mut self, composition: Composition, max: usize) -> Vec<Member> {
        let country = self.country();
        let addr = self.address(country, None);
        let landline =
            self.rng.chance(self.p.shared_landline_rate).then(|| self.landline(country, &addr));
        let home = Home { country, addr, landline };
        let mut specs = self.family_members(composition, country);
        specs.truncate(max.max(2));
        let mut members: Vec<Member> = specs.into_iter().map(|s| self.member(&home, s)).collect();
        if members.len() >= 2 && self.rng.chance(self.p.family_email_rate) {
            self.share_email(&mut members);
        }
        members
    }

    /// Gives a woman (rarely a man) born before 1996 who lives alone a
    /// married name half the time, her spouse being outside the data set.
    pub(super) fn maybe_married_outside(&mut self, person: &mut Person) -> Traits {
        let chance = if person.female { MARRIED_ALONE } else { MARRIED_ALONE * MEN_TAKE_NAME };
        if person.dob.y > 1995 || !self.rng.chance(chance) {
            return Traits::default();
        }
        let spouse = self.surname(person.country);
        let birth = std::mem::take(&mut person.surname);
        let (surname, birth_surname, shows) = self.take_name(person.country, birth, &spouse);
        person.surname = surname;
        person.birth_surname = birth_surname;
        person.shows_birth_name = shows;
        name_traits(person)
    }

    /// The surname in use, the birth surname (when it differs) and whether
    /// records carry both, for someone born `birth` who marries into
    /// `family`: `family`, or `Birth-Family` at the hyphenation rate (a
    /// quarter of it for English speakers).
    pub(super) fn take_name(
        &mut self,
        country: Country,
        birth: String,
        family: &str,
    ) -> (String, Option<String>, bool) {
        if birth == family {
            return (birth, None, false);
        }
        let hyphenated = match country {
            Country::Fr => self.p.hyphenated_name_rate,
            _ => self.p.hyphenated_name_rate / 4.0,
        };
        let surname = if self.rng.chance(hyphenated) {
            format!("{birth}-{family}")
        } else {
            family.to_owned()
        };
        let shows = self.rng.chance(self.p.married_name_rate);
        (surname, Some(birth), shows)
    }

    /// A married surname for someone currently called `birth`: a new
    /// family's name, hyphenated at the configured rate. Used by the
    /// marriage life event.
    pub(super) fn marriage_name(&mut self, country: Country, birth: &str) -> String {
        let mut family = self.surname(country);
        for _ in 0..8 {
            if family != birth {
                break;
            }
            family = self.surname(country);
        }
        if family == birth {
            let table = if country == Country::Fr { FR_SURNAMES } else { EN_SURNAMES };
            family = (if table[0] == birth { table[1] } else { table[0] }).to_owned();
        }
        let (surname, _, _) = self.take_name(country, birth.to_owned(), &family);
        surname
    }

    /// The member `spec` of `home`: its phones, email and national id.
    fn member(&mut self, home: &Home, spec: Spec) -> Member {
        let country = home.country;
        let (phone, alt_phone) = match &home.landline {
            Some(landline) => {
                let no_mobile = match spec.role {
                    Role::Grandparent => NO_MOBILE_OLD,
                    _ => NO_MOBILE,
                };
                if self.rng.chance(no_mobile) {
                    (landline.clone(), None)
                } else {
                    (self.mobile(country, &home.addr), Some(landline.clone()))
                }
            }
            None => (self.mobile(country, &home.addr), None),
        };
        let email = self.email(country, spec.given, &spec.surname, spec.dob);
        let national_id = self.national_id(country, spec.female, spec.dob, &home.addr);
        let mut person = Person::plain(
            country,
            spec.female,
            spec.given,
            spec.surname,
            spec.dob,
            email,
            phone,
            home.addr.clone(),
            national_id,
        );
        person.alt_phone = alt_phone;
        person.birth_surname = spec.birth_surname;
        person.shows_birth_name = spec.shows_birth_name;
        person.suffix = spec.suffix;
        let mut traits = name_traits(&person);
        if home.landline.is_some() {
            traits.0 |= Traits::SHARED_LANDLINE;
        }
        Member { person, role: spec.role, traits }
    }

    /// Makes the first two members (and each other one at
    /// [`MORE_FAMILY_EMAIL`]) give one email: the first member's own, or a
    /// family address.
    fn share_email(&mut self, members: &mut [Member]) {
        let email = if self.rng.chance(PARTNER_EMAIL) {
            members[0].person.email.clone()
        } else {
            self.family_email(&members[0].person, &members[1].person)
        };
        for (i, m) in members.iter_mut().enumerate() {
            if i < 2 || self.rng.chance(MORE_FAMILY_EMAIL) {
                m.person.email.clone_from(&email);
                m.traits.0 |= Traits::FAMILY_EMAIL;
            }
        }
    }

    /// A family address (`famille.dupont@`, `thesmiths@`, `jean.et.marie@`),
    /// unique among all emails.
    fn family_email(&mut self, a: &Person, b: &Person) -> String {
        let (mut s, mut ga, mut gb) = (String::new(), String::new(), String::new());
        email_part(&mut s, &a.surname, false);
        email_part(&mut ga, a.given, false);
        email_part(&mut gb, b.given, false);
        let local = match (a.country, self.rng.below(4)) {
            (Country::Fr, 0) => format!("famille.{s}"),
            (Country::Fr, 1) => format!("{s}.famille"),
            (Country::Fr, 2) => format!("{ga}.et.{gb}"),
            (Country::Fr, _) => format!("{ga}{gb}.{s}"),
            (_, 0) => format!("the{s}s"),
            (_, 1) => format!("{s}family"),
            (_, 2) => format!("{ga}and{gb}"),
            (_, _) => format!("{ga}.{gb}.{s}"),
        };
        let provider = self.provider(a.country);
        self.claim_email(&local, provider)
    }
}

/// The name traits of a person.
fn name_traits(person: &Person) -> Traits {
    let mut t = 0;
    if person.birth_surname.is_some() {
        t |= Traits::MARRIED_NAME;
        if person.shows_birth_name {
            t |= Traits::BOTH_NAMES;
        }
    }
    if person.suffix.is_some() {
        t |= Traits::SUFFIX;
    }
    Traits(t)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::synth::person::Date;
    use crate::synth::SynthConfig;

    fn hard_gen(seed: u64) -> Gen {
        Gen::new(SynthConfig::hard(seed, 10).params(), seed)
    }

    #[test]
    fn members_share_the_home() {
        let mut g = hard_gen(1);
        for i in 0..3000 {
            let composition = COMPOSITIONS[i % COMPOSITIONS.len()];
            let members = g.household(composition, 8);
            assert!(members.len() >= 2, "{composition:?}");
            let head = &members[0].person;
            let landline = members
                .iter()
                .find(|m| m.traits.has(Traits::SHARED_LANDLINE))
                .map(|m| m.person.alt_phone.as_ref().unwrap_or(&m.person.phone).clone());
            let mut givens = Vec::new();
            for m in &members {
                let p = &m.person;
                assert_eq!(p.addr, head.addr);
                assert_eq!(p.country, head.country);
                assert_eq!(m.traits.has(Traits::SHARED_LANDLINE), landline.is_some());
                if let Some(l) = &landline {
                    assert!(l.landline);
                    assert!(p.phone == *l || p.alt_phone.as_ref() == Some(l), "{composition:?}");
                } else {
                    assert!(!p.phone.landline && p.alt_phone.is_none());
                }
                if m.role != Role::Junior {
                    assert!(!givens.contains(&p.given), "{composition:?} {}", p.given);
                }
                givens.push(p.given);
                assert!((1940..=2006).contains(&p.dob.y));
                assert_eq!(p.birth_surname.is_some(), m.traits.has(Traits::MARRIED_NAME));
            }
            match composition {
                Composition::Twins => {
                    assert_eq!(members[0].person.dob, members[1].person.dob);
                    assert_ne!(members[0].person.given, members[1].person.given);
                    assert_eq!(members[0].person.surname, members[1].person.surname);
                }
                Composition::JuniorSenior => {
                    let (s, j) = (&members[0].person, &members[1].person);
                    assert_eq!((s.given, &s.surname), (j.given, &j.surname));
                    assert!((20..=35).contains(&(j.dob.y - s.dob.y)), "{:?} {:?}", s.dob, j.dob);
                    assert_eq!(s.suffix.is_some(), j.suffix.is_some());
                }
                Composition::Siblings | Composition::ParentsChildren | Composition::Couple => {
                    let dobs: Vec<Date> = members.iter().map(|m| m.person.dob).collect();
                    for (k, d) in dobs.iter().enumerate() {
                        assert!(!dobs[k + 1..].contains(d), "{composition:?} {dobs:?}");
                    }
                }
                _ => {}
            }
        }
    }

    #[test]
    fn truncation_keeps_two() {
        let mut g = hard_gen(2);
        for _ in 0..200 {
            let members = g.household(Composition::Grandparents, 2);
            assert_eq!(members.len(), 2);
            assert_eq!(members[0].role, Role::Grandparent);
            assert_ne!(members[1].role, Role::Grandparent);
        }
    }

    #[test]
    fn married_names() {
        let mut g = hard_gen(3);
        let (mut married, mut hyphen, mut both) = (0, 0, 0);
        for _ in 0..4000 {
            for m in g.household(Composition::Couple, 2) {
                if let Some(birth) = &m.person.birth_surname {
                    married += 1;
                    assert_ne!(birth, &m.person.surname);
                    hyphen += usize::from(m.person.surname.starts_with(&format!("{birth}-")));
                    both += usize::from(m.traits.has(Traits::BOTH_NAMES));
                }
            }
        }
        // 3 couples in 4 married, nearly all with a name change.
        assert!((2700..3250).contains(&married), "{married}");
        // French 20% hyphenated, English 5%: about 12.5% overall.
        let share = hyphen as f64 / married as f64;
        assert!((0.09..0.17).contains(&share), "{share}");
        let share = both as f64 / married as f64;
        assert!((0.3..0.4).contains(&share), "{share}");
    }
}
