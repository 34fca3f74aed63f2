//! The persons of a data set: independent persons with a few relatives and
//! namesakes (the easy preset), or persons in households (the hard one).

use super::household::{Role, Traits};
use super::person::{Gen, Person, Relation};

/// The persons with their ground truth.
#[derive(Debug)]
pub(super) struct Population {
    pub persons: Vec<Person>,
    /// Per person: how it relates to an earlier person (the hard negatives
    /// of `hard_negative_rate`).
    pub relations: Vec<Relation>,
    /// Per person: their household, the smallest person id among its members.
    pub households: Vec<u64>,
    /// Per person: their place in the household.
    pub roles: Vec<Role>,
    /// Per person: what they share and which names they carry.
    pub traits: Vec<Traits>,
}

impl Population {
    fn with_capacity(cap: usize) -> Self {
        Population {
            persons: Vec::with_capacity(cap),
            relations: Vec::with_capacity(cap),
            households: Vec::with_capacity(cap),
            roles: Vec::with_capacity(cap),
            traits: Vec::with_capacity(cap),
        }
    }

    fn push(
        &mut self,
        person: Person,
        relation: Relation,
        household: u64,
        role: Role,
        traits: Traits,
    ) {
        self.persons.push(person);
        self.relations.push(relation);
        self.households.push(household);
        self.roles.push(role);
        self.traits.push(traits);
    }
}

impl Gen {
    /// `p.people` persons: in households when the configuration asks for
    /// households or married names, else drawn independently as the easy
    /// preset always has been.
    pub(super) fn population(&mut self) -> Population {
        // Never reserve more than a modest amount up front: `people` may be huge.
        let cap = self.p.people.min(1 << 20);
        let mut pop = Population::with_capacity(cap);
        if self.p.builds_households() {
            self.households_population(&mut pop);
        } else {
            while pop.persons.len() < self.p.people {
                self.independent_person(&mut pop);
            }
        }
        pop
    }

    /// One person living alone, or at `hard_negative_rate` a relative (who
    /// joins an earlier person's household and gives them a landline) or a
    /// namesake of an earlier person. The easy preset's draws, in its order.
    fn independent_person(&mut self, pop: &mut Population) {
        let i = pop.persons.len();
        if i > 0 && self.rng.chance(self.p.hard_negative_rate) {
            let anchor = self.rng.below(i);
            if self.rng.chance(0.5) {
                let r = self.relative_of(&mut pop.persons[anchor]);
                let household = pop.households[anchor];
                pop.push(
                    r,
                    Relation::Relative(anchor),
                    household,
                    Role::Relative,
                    Traits::default(),
                );
            } else {
                let n = self.namesake_of(&pop.persons[anchor]);
                pop.push(n, Relation::Namesake(anchor), i as u64, Role::Alone, Traits::default());
            }
        } else {
            let person = self.new_person();
            pop.push(person, Relation::None, i as u64, Role::Alone, Traits::default());
        }
    }

    /// Households and persons living alone, interleaved, so that
    /// `household_share` of the persons (rounded; one fewer when the last
    /// household leaves a single place) live in multi-person households.
    /// Persons living alone may be married to someone outside the data set,
    /// or be the easy preset's relatives and namesakes.
    fn households_population(&mut self, pop: &mut Population) {
        let people = self.p.people;
        let mut in_households = (self.p.household_share * people as f64).round() as usize;
        let mean_size = self.mean_household_size();
        while pop.persons.len() < people {
            let left = people - pop.persons.len();
            // Pick a household with probability (households left) / (units
            // left), a unit being a household or a person living alone.
            let households_left = in_households as f64 / mean_size;
            let units_left = households_left + (left - in_households) as f64;
            if in_households >= 2 && self.rng.unit() * units_left < households_left {
                let composition = self.composition();
                let members = self.household(composition, in_households.min(left));
                in_households -= members.len().min(in_households);
                let household = pop.persons.len() as u64;
                for m in members {
                    pop.push(m.person, Relation::None, household, m.role, m.traits);
                }
            } else {
                let i = pop.persons.len();
                self.independent_person(pop);
                if pop.relations[i] == Relation::None {
                    let traits = self.maybe_married_outside(&mut pop.persons[i]);
                    pop.traits[i] = traits;
                }
                if in_households == left {
                    // Only possible with one person left for households.
                    in_households -= 1;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::synth::SynthConfig;

    #[test]
    fn household_share_is_met() {
        for (people, share) in [(1000, 0.5), (999, 0.3), (10, 1.0), (1, 1.0), (2, 1.0), (3, 1.0)] {
            let cfg = SynthConfig::hard(7, people).with_household_share(share);
            let mut g = Gen::new(cfg.params(), 7);
            let pop = g.population();
            assert_eq!(pop.persons.len(), people);
            let mut size = hashbrown::HashMap::<u64, usize>::new();
            for &h in &pop.households {
                *size.entry(h).or_default() += 1;
            }
            let shared = pop.households.iter().filter(|h| size[*h] > 1).count();
            let target = (share * people as f64).round() as usize;
            assert!(shared.abs_diff(target) <= 1, "{people} {share}: {shared} vs {target}");
            for (i, &h) in pop.households.iter().enumerate() {
                assert!(h <= i as u64 && pop.households[h as usize] == h);
            }
        }
    }
}
