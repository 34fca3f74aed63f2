//! The members of a household before their phones and emails: sexes, given
//! names, dates of birth, roles and surnames for each [`Composition`].

use super::household::{Composition, Role};
use super::person::{given_table, Country, Date, Gen, BIRTH_YEARS};
use super::rng::Rng;

/// A member before their phones, email and national id.
#[derive(Debug)]
pub(super) struct Spec {
    pub female: bool,
    pub given: &'static str,
    pub dob: Date,
    pub role: Role,
    /// The surname in use.
    pub surname: String,
    /// The birth surname when `surname` is a married one.
    pub birth_surname: Option<String>,
    pub shows_birth_name: bool,
    pub suffix: Option<&'static str>,
}

/// Share of co-resident couples that are married (three in four in France,
/// more in the US, fewer in the UK: a rounded judgement).
const MARRIED_COUPLES: f64 = 0.75;
/// Share of married mixed couples where the man takes the woman's name
/// (Pew Research Center, 2023: 5% of married American men).
pub(super) const MEN_TAKE_NAME: f64 = 0.05;
/// Share of couples of the same sex (about 1–2% of couples).
const SAME_SEX_COUPLES: f64 = 0.02;
/// Share of families with a single parent (a quarter in France and the UK).
const SINGLE_PARENT: f64 = 0.25;
/// Share of twins of the same sex: monozygotic twins (about a third) plus
/// half the dizygotic ones.
const SAME_SEX_TWINS: f64 = 2.0 / 3.0;
/// Share of twins given similar names (`Louis`/`Louise`): a judgement.
const SIMILAR_TWIN_NAMES: f64 = 0.5;

impl Gen {
    /// The members of a household of `composition`, most significant
    /// first (see [`Gen::household`]).
    pub(super) fn family_members(
        &mut self,
        composition: Composition,
        country: Country,
    ) -> Vec<Spec> {
        match composition {
            Composition::Couple => self.couple(country),
            Composition::ParentsChildren => self.parents_children(country),
            Composition::Siblings => self.siblings(country),
            Composition::Twins => self.twins(country),
            Composition::JuniorSenior => self.junior_senior(country),
            Composition::Grandparents => self.grandparents(country),
        }
    }

    /// Marries `spec` into `family`: their own surname (a new one) becomes
    /// their birth surname.
    fn marry_into(&mut self, spec: &mut Spec, country: Country, family: &str) {
        let birth = self.surname(country);
        let (surname, birth_surname, shows) = self.take_name(country, birth, family);
        spec.surname = surname;
        spec.birth_surname = birth_surname;
        spec.shows_birth_name = shows;
    }

    /// Two partners; the married partner who is not the name giver takes
    /// the name.
    fn couple(&mut self, country: Country) -> Vec<Spec> {
        let family = self.surname(country);
        let same_sex = self.rng.chance(SAME_SEX_COUPLES);
        let (giver_female, taker_female) = if same_sex {
            let f = self.rng.chance(0.5);
            (f, f)
        } else if self.rng.chance(MEN_TAKE_NAME) {
            (true, false)
        } else {
            (false, true)
        };
        let year = self.rng.range(BIRTH_YEARS.0, 2000) as u16;
        let mut taken = Vec::new();
        let giver = self.adult(country, giver_female, year, Role::Partner, &family, &mut taken);
        let partner_year = near(&mut self.rng, year, 6, 2004);
        let mut partner =
            self.adult(country, taker_female, partner_year, Role::Partner, &family, &mut taken);
        self.redraw_shared_birthday(&mut partner, std::slice::from_ref(&giver));
        if self.rng.chance(MARRIED_COUPLES) {
            self.marry_into(&mut partner, country, &family);
        } else {
            partner.surname = self.surname(country);
        }
        vec![giver, partner]
    }

    /// A parent couple (or a single parent) and 1–3 adult children.
    fn parents_children(&mut self, country: Country) -> Vec<Spec> {
        let family = self.surname(country);
        let mother_year = self.rng.range(BIRTH_YEARS.0, 1986) as u16;
        let mut taken = Vec::new();
        let mut specs = self.parents(country, mother_year, &family, &mut taken);
        let children = match self.rng.below(100) {
            0..=49 => 1,
            50..=84 => 2,
            _ => 3,
        };
        self.children(country, mother_year, children, &family, &mut specs, &mut taken);
        specs
    }

    /// Parents for children of a mother born `mother_year`: a couple (the
    /// mother married into `family` three times in four), or a single parent
    /// (the mother 85% of the time, using `family` as her married name half
    /// the time).
    fn parents(
        &mut self,
        country: Country,
        mother_year: u16,
        family: &str,
        taken: &mut Vec<&'static str>,
    ) -> Vec<Spec> {
        if self.rng.chance(SINGLE_PARENT) {
            let female = self.rng.chance(0.85);
            let mut parent = self.adult(country, female, mother_year, Role::Parent, family, taken);
            if female && self.rng.chance(0.5) {
                self.marry_into(&mut parent, country, family);
            }
            return vec![parent];
        }
        let father_year = near(&mut self.rng, mother_year.saturating_sub(2), 4, 1990);
        let father = self.adult(country, false, father_year, Role::Parent, family, taken);
        let mut mother = self.adult(country, true, mother_year, Role::Parent, family, taken);
        self.redraw_shared_birthday(&mut mother, std::slice::from_ref(&father));
        if self.rng.chance(MARRIED_COUPLES) {
            self.marry_into(&mut mother, country, family);
        } else {
            mother.surname = self.surname(country);
        }
        vec![father, mother]
    }

    /// Appends `n` children born 20–42 years after `mother_year` (none when
    /// that is after the last birth year), with distinct names and dates.
    fn children(
        &mut self,
        country: Country,
        mother_year: u16,
        n: usize,
        family: &str,
        specs: &mut Vec<Spec>,
        taken: &mut Vec<&'static str>,
    ) {
        let (lo, hi) =
            (u32::from(mother_year) + 20, (u32::from(mother_year) + 42).min(BIRTH_YEARS.1));
        if lo > hi {
            return;
        }
        let first_child = specs.len();
        for _ in 0..n {
            let female = self.rng.chance(0.5);
            let year = self.rng.range(lo, hi) as u16;
            let mut child = self.adult(country, female, year, Role::Child, family, taken);
            self.redraw_shared_birthday(&mut child, &specs[first_child..]);
            specs.push(child);
        }
    }

    /// Two or three adult siblings born within 8 years of the first.
    fn siblings(&mut self, country: Country) -> Vec<Spec> {
        let family = self.surname(country);
        let year = self.rng.range(BIRTH_YEARS.0, 2003) as u16;
        let n = if self.rng.chance(0.7) { 2 } else { 3 };
        let mut taken = Vec::new();
        let mut specs: Vec<Spec> = Vec::with_capacity(n);
        for _ in 0..n {
            let female = self.rng.chance(0.5);
            let y = near(&mut self.rng, year, 8, BIRTH_YEARS.1 as u16);
            let mut s = self.adult(country, female, y, Role::Sibling, &family, &mut taken);
            self.redraw_shared_birthday(&mut s, &specs);
            specs.push(s);
        }
        specs
    }

    /// Twins (same date of birth, often similar names), with their parents
    /// 60% of the time.
    fn twins(&mut self, country: Country) -> Vec<Spec> {
        let family = self.surname(country);
        let year = self.rng.range(1960, BIRTH_YEARS.1) as u16;
        let dob = self.date_in(year);
        let first_female = self.rng.chance(0.5);
        let second_female =
            if self.rng.chance(SAME_SEX_TWINS) { first_female } else { !first_female };
        let first = self.given(country, first_female);
        let similar = if self.rng.chance(SIMILAR_TWIN_NAMES) {
            similar_given(country, second_female, first)
        } else {
            Vec::new()
        };
        let second = if similar.is_empty() {
            self.given_unlike(country, second_female, &[first])
        } else {
            *self.rng.pick(&similar)
        };
        let mut taken = vec![first, second];
        let mut specs = vec![
            spec(first_female, first, dob, Role::Twin, &family),
            spec(second_female, second, dob, Role::Twin, &family),
        ];
        if self.rng.chance(0.6) {
            let mother_year = (u32::from(year) - self.rng.range(20, 40)).max(BIRTH_YEARS.0) as u16;
            let parents = self.parents(country, mother_year, &family, &mut taken);
            specs.extend(parents);
        }
        specs
    }

    /// A father and his son named after him (rarely a mother and her
    /// daughter), born 20–35 years apart, with the mother 60% of the time.
    /// English-speaking ones have a suffix some records show.
    fn junior_senior(&mut self, country: Country) -> Vec<Spec> {
        let family = self.surname(country);
        let female = self.rng.chance(0.05);
        let senior_year = self.rng.range(BIRTH_YEARS.0, 1986) as u16;
        let junior_year = self
            .rng
            .range(u32::from(senior_year) + 20, (u32::from(senior_year) + 35).min(BIRTH_YEARS.1));
        let given = self.given(country, female);
        let (senior_dob, junior_dob) =
            (self.date_in(senior_year), self.date_in(junior_year as u16));
        let mut senior = spec(female, given, senior_dob, Role::Senior, &family);
        let mut junior = spec(female, given, junior_dob, Role::Junior, &family);
        if country != Country::Fr && !female {
            senior.suffix = Some("Sr");
            junior.suffix = Some(if self.rng.chance(0.8) { "Jr" } else { "II" });
        }
        let mut specs = vec![senior, junior];
        if self.rng.chance(0.6) {
            let mut taken = vec![given];
            let year = near(&mut self.rng, senior_year, 5, 1990);
            let mut other = self.adult(country, !female, year, Role::Parent, &family, &mut taken);
            if !female && self.rng.chance(0.85) {
                self.marry_into(&mut other, country, &family);
            }
            specs.push(other);
        }
        specs
    }

    /// One or two grandparents, one or two parents (their own child and
    /// maybe a spouse) and up to two grandchildren. The grandparents carry
    /// the birth surname of their own child: the father's family two times
    /// in three, the mother's otherwise.
    fn grandparents(&mut self, country: Country) -> Vec<Spec> {
        let family = self.surname(country);
        let grand_year = self.rng.range(BIRTH_YEARS.0, 1952) as u16;
        let parent_year =
            self.rng.range(u32::from(grand_year) + 20, (u32::from(grand_year) + 38).min(1986))
                as u16;
        let mut taken = Vec::new();
        let mut parents = self.parents(country, parent_year, &family, &mut taken);
        // The grandparents' own child: the father, or the mother (whose birth
        // surname is theirs).
        let paternal = parents.len() == 2 && self.rng.chance(2.0 / 3.0);
        let own = if paternal { 0 } else { parents.len() - 1 };
        let grand_family =
            parents[own].birth_surname.clone().unwrap_or_else(|| parents[own].surname.clone());
        // A couple, or a widowed grandparent (the grandmother three times in four).
        let couple = self.rng.chance(0.4);
        let first_female = couple || self.rng.chance(0.75);
        let mut grands = Vec::with_capacity(2);
        let mut first = self.adult(
            country,
            first_female,
            grand_year,
            Role::Grandparent,
            &grand_family,
            &mut taken,
        );
        if first_female && self.rng.chance(0.9) {
            self.marry_into(&mut first, country, &grand_family);
        }
        grands.push(first);
        if couple {
            let year = near(&mut self.rng, grand_year.saturating_sub(2), 4, 1956);
            grands.push(self.adult(
                country,
                false,
                year,
                Role::Grandparent,
                &grand_family,
                &mut taken,
            ));
        }
        // Order: a grandparent, their child, then the others.
        let own_child = parents.remove(own);
        let mut specs = Vec::with_capacity(6);
        let mut grands = grands.into_iter();
        specs.extend(grands.next());
        specs.push(own_child);
        specs.extend(grands);
        specs.extend(parents);
        let n = match self.rng.below(10) {
            0..=2 => 0,
            3..=6 => 1,
            _ => 2,
        };
        self.children(country, parent_year, n, &family, &mut specs, &mut taken);
        specs
    }

    /// A member born on a random day of `year` with a given name no one in
    /// `taken` has (which it joins).
    #[allow(clippy::too_many_arguments)]
    fn adult(
        &mut self,
        country: Country,
        female: bool,
        year: u16,
        role: Role,
        family: &str,
        taken: &mut Vec<&'static str>,
    ) -> Spec {
        let given = self.given_unlike(country, female, taken);
        taken.push(given);
        let dob = self.date_in(year);
        spec(female, given, dob, role, family)
    }

    /// Redraws `spec`'s day of birth (in the same year) while it is one of
    /// `others`': only twins share a date of birth.
    fn redraw_shared_birthday(&mut self, spec: &mut Spec, others: &[Spec]) {
        for _ in 0..8 {
            if others.iter().all(|o| o.dob != spec.dob) {
                return;
            }
            spec.dob = self.date_in(spec.dob.y);
        }
    }

    /// A given name none of `taken` has (the table's first free name after
    /// 16 tries).
    fn given_unlike(&mut self, country: Country, female: bool, taken: &[&str]) -> &'static str {
        for _ in 0..16 {
            let g = self.given(country, female);
            if !taken.contains(&g) {
                return g;
            }
        }
        let table = given_table(country, female);
        table.iter().find(|g| !taken.contains(g)).copied().unwrap_or(table[0])
    }
}

/// A spec for a member of the household called `family`.
fn spec(female: bool, given: &'static str, dob: Date, role: Role, family: &str) -> Spec {
    Spec {
        female,
        given,
        dob,
        role,
        surname: family.to_owned(),
        birth_surname: None,
        shows_birth_name: false,
        suffix: None,
    }
}

/// A year within `spread` of `year`, between the first birth year and `last`.
fn near(rng: &mut Rng, year: u16, spread: u32, last: u16) -> u16 {
    let y = u32::from(year);
    let lo = y.saturating_sub(spread).max(BIRTH_YEARS.0);
    let hi = (y + spread).min(u32::from(last)).max(lo);
    rng.range(lo, hi) as u16
}

/// Given names of the sex `female` that look like `other`: one a prefix of
/// the other (`Louis`/`Louise`, `Jean`/`Jeanne`) with at most two letters
/// more, else the same first two letters and a length within two; empty when
/// there is none.
fn similar_given(country: Country, female: bool, other: &str) -> Vec<&'static str> {
    let other_lower = other.to_lowercase();
    let len = |s: &str| s.chars().count();
    let close = |a: &str, b: &str| len(a).abs_diff(len(b)) <= 2;
    let table = given_table(country, female);
    let candidates = |pred: &dyn Fn(&str) -> bool| -> Vec<&'static str> {
        table
            .iter()
            .copied()
            .filter(|g| *g != other && !g.contains('-') && pred(&g.to_lowercase()))
            .collect()
    };
    let prefixed = candidates(&|g| {
        close(g, &other_lower) && (g.starts_with(&*other_lower) || other_lower.starts_with(g))
    });
    if !prefixed.is_empty() {
        return prefixed;
    }
    let head: String = other_lower.chars().take(2).collect();
    candidates(&|g| close(g, &other_lower) && g.starts_with(&*head))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn similar_names() {
        let fr_f = similar_given(Country::Fr, true, "Louis");
        assert!(fr_f.contains(&"Louise"), "{fr_f:?}");
        let en_f = similar_given(Country::Us, true, "Daniel");
        assert!(en_f.contains(&"Danielle"), "{en_f:?}");
        let en_m = similar_given(Country::Uk, false, "Jason");
        assert!(!en_m.is_empty() && en_m.iter().all(|g| g.starts_with("Ja")), "{en_m:?}");
    }
}
