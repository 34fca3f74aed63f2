//! Life events between a person's records: a move, a marriage or divorce, a
//! new email, a new phone. They change the person, so every later record
//! shows the change; a record's count ([`super::SynthData::life_events`]) is
//! the number of kinds by which its person differs from the original record.

use super::corrupt::Kind;
use super::person::{Gen, Person};

/// A move: new address, postcode and city; a landline moves too.
pub(super) const MOVE: u8 = 1;
/// A marriage (a married surname, sometimes `Birth-Married`) or a divorce
/// (back to the birth surname). At most one per person, so the surname
/// never changes back to the original's.
pub(super) const SURNAME: u8 = 2;
/// A new email, at another provider when possible.
pub(super) const EMAIL: u8 = 4;
/// A new mobile number (replacing a landline given as the only number).
pub(super) const PHONE: u8 = 8;

/// Every kind with its weight (tenths): moves are the most common change of
/// customer data (8–11% of people move each year), surname changes the
/// rarest; the weights are a judgement. A man's surname change weighs a
/// tenth of a woman's.
const KINDS: [(u8, u32); 4] = [(MOVE, 400), (EMAIL, 280), (PHONE, 240), (SURNAME, 80)];

/// Probabilities (percent) of 1, 2 and 3 events on an affected duplicate.
const COUNTS: [u32; 3] = [60, 30, 10];

/// The life-event kinds among corruptions (the easy preset's moves and new
/// emails).
pub(super) fn from_corruptions(applied: u32) -> u8 {
    let mut kinds = 0;
    if applied & Kind::Moved.bit() != 0 {
        kinds |= MOVE;
    }
    if applied & Kind::NewEmail.bit() != 0 {
        kinds |= EMAIL;
    }
    kinds
}

impl Gen {
    /// Draws 1–3 distinct life events and applies them to `person`. `past`
    /// holds the kinds that already happened since the original record: a
    /// surname changes once. Returns the kinds applied.
    pub(super) fn life_events(&mut self, person: &mut Person, past: u8) -> u8 {
        let roll = self.rng.below(100) as u32;
        let n = if roll < COUNTS[0] {
            1
        } else if roll < COUNTS[0] + COUNTS[1] {
            2
        } else {
            3
        };
        let mut weights = KINDS.map(|(kind, w)| match kind {
            SURNAME if past & SURNAME != 0 || !can_change_surname(person) => 0,
            SURNAME if !person.female => w / 10,
            _ => w,
        });
        let mut done = 0;
        for _ in 0..n {
            let total: u32 = weights.iter().sum();
            if total == 0 {
                break;
            }
            let mut x = self.rng.below(total as usize) as u32;
            let Some(i) = weights.iter().position(|&w| {
                let hit = x < w;
                x = x.saturating_sub(w);
                hit
            }) else {
                break;
            };
            weights[i] = 0;
            let kind = KINDS[i].0;
            self.apply_event(kind, person);
            done |= kind;
        }
        done
    }

    fn apply_event(&mut self, kind: u8, person: &mut Person) {
        match kind {
            MOVE => self.move_house(person),
            EMAIL => self.new_email(person),
            PHONE => {
                let old = person.phone.digits.clone();
                person.phone = self.mobile(person.country, &person.addr);
                if person.phone.digits == old {
                    // Nine or ten random digits: practically never, but a
                    // new phone must differ.
                    person.phone.digits = format!("{}0", &old[..old.len() - 1]);
                    if person.phone.digits == old {
                        person.phone.digits = format!("{}1", &old[..old.len() - 1]);
                    }
                }
            }
            _ => match person.birth_surname.take() {
                // Divorce: back to the birth surname.
                Some(birth) => {
                    person.surname = birth;
                    person.shows_birth_name = false;
                }
                // Marriage: the birth surname is kept for a later divorce.
                None => {
                    let married = self.marriage_name(person.country, &person.surname);
                    person.birth_surname = Some(std::mem::replace(&mut person.surname, married));
                    person.shows_birth_name = false;
                }
            },
        }
    }
}

/// A surname can change by divorce (a married name) or by marriage (an
/// adult, born in 2000 or before).
fn can_change_surname(person: &Person) -> bool {
    person.birth_surname.is_some() || person.dob.y <= 2000
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::synth::SynthConfig;

    #[test]
    fn events_change_what_they_say() {
        let mut g = Gen::new(SynthConfig::hard(1, 10).params(), 1);
        let mut counts = [0usize; 4];
        let mut kinds = [0usize; 4];
        for _ in 0..5000 {
            let before = g.new_person();
            let mut after = before.clone();
            let done = g.life_events(&mut after, 0);
            counts[done.count_ones() as usize] += 1;
            for (k, &(kind, _)) in KINDS.iter().enumerate() {
                kinds[k] += usize::from(done & kind != 0);
            }
            assert_eq!(done & MOVE != 0, after.addr != before.addr);
            assert_eq!(done & EMAIL != 0, after.email != before.email);
            assert_eq!(done & SURNAME != 0, after.surname != before.surname);
            if done & PHONE != 0 {
                assert_ne!(after.phone, before.phone);
                assert!(!after.phone.landline);
            } else if done & MOVE == 0 || !before.phone.landline {
                assert_eq!(after.phone, before.phone);
            }
        }
        assert_eq!(counts[0], 0);
        let share = |n: usize| n as f64 / 5000.0;
        assert!((0.57..0.63).contains(&share(counts[1])), "{counts:?}");
        assert!((0.27..0.33).contains(&share(counts[2])), "{counts:?}");
        assert!((0.08..0.12).contains(&share(counts[3])), "{counts:?}");
        // Moves most, surname changes least.
        assert!(kinds[0] > kinds[1] && kinds[1] > kinds[2] && kinds[2] > 3 * kinds[3], "{kinds:?}");
        assert!(kinds[3] > 100, "{kinds:?}");
    }

    #[test]
    fn a_surname_changes_once_and_divorce_restores_it() {
        let mut g = Gen::new(SynthConfig::hard(2, 10).params(), 2);
        let mut p = g.new_person();
        p.dob.y = 1980;
        let birth = p.surname.clone();
        g.apply_event(SURNAME, &mut p);
        assert_ne!(p.surname, birth);
        assert_eq!(p.birth_surname.as_deref(), Some(birth.as_str()));
        g.apply_event(SURNAME, &mut p);
        assert_eq!(p.surname, birth);
        assert_eq!(p.birth_surname, None);
        for _ in 0..50 {
            assert_eq!(g.life_events(&mut p, SURNAME) & SURNAME, 0);
        }
    }
}
