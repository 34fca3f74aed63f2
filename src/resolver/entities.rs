//! The id tables: each group's member slots, each slot's group, and the id
//! counter, for entities ([`EntityTable`]) and households ([`HouseholdTable`]).
//!
//! Ids are handed out from 1 by [`IdTable::fresh_id`] and never reused;
//! [`IdTable::reassign`] gives the parts of a re-grouped set of slots their
//! ids by the documented stability rule.

use std::num::NonZeroU64;

use hashbrown::hash_map::Entry;
use hashbrown::HashMap;
use smallvec::SmallVec;

use super::store::Moves;

use crate::error::{Error, Result};
use crate::id::{EntityId, HouseholdId, NumberedId};

/// An entity's member slots (most entities have one or two).
type Members = SmallVec<[u32; 2]>;

/// Entity id → member slots, slot → entity id, and the last id handed out.
pub(super) type EntityTable = IdTable<EntityId>;

/// Household id → member slots, slot → household id, and the last id handed out.
pub(super) type HouseholdTable = IdTable<HouseholdId>;

/// Group id → member slots, slot → group id, and the last id handed out.
#[derive(Debug)]
pub(super) struct IdTable<I: NumberedId> {
    /// Group → its member slots (never empty: a group without members goes).
    members: HashMap<I, Members>,
    /// Per slot: its entity, `None` for an empty slot or a record not yet
    /// clustered (8 bytes a slot, as a bare `u64`: ids start at 1).
    of_slot: Vec<Option<NonZeroU64>>,
    /// The last id handed out (0 before the first).
    last: u64,
}

impl<I: NumberedId> Default for IdTable<I> {
    fn default() -> Self {
        IdTable { members: HashMap::new(), of_slot: Vec::new(), last: 0 }
    }
}

/// An id in its compact per-slot form.
fn pack<I: NumberedId>(id: I) -> NonZeroU64 {
    NonZeroU64::new(id.number()).expect("resolver ids start at 1")
}

impl<I: NumberedId> IdTable<I> {
    /// Number of entities.
    pub(super) fn len(&self) -> usize {
        self.members.len()
    }

    /// The last id handed out (id 0 before the first).
    pub(super) fn last_id(&self) -> I {
        I::from_number(self.last)
    }

    /// Hands out ids after `last` from now on (for a restored state, whose ids
    /// are all at most `last`).
    pub(super) fn resume_after(&mut self, last: I) {
        self.last = last.number();
    }

    /// Makes room for `slots` more slots.
    pub(super) fn reserve(&mut self, slots: usize) {
        self.of_slot.reserve_exact(slots);
        self.members.reserve(slots / 2);
    }

    /// Checks that `needed` more ids can be handed out (the counter never
    /// wraps: an id handed out twice would put two people in one entity).
    /// Each operation checks first, for as many ids as it could hand out, so
    /// it never stops half done.
    ///
    /// # Errors
    /// [`Error::Capacity`] when the counter would pass `u64::MAX`.
    pub(super) fn ensure_room(&self, needed: usize, what: &str) -> Result<()> {
        if (u64::MAX - self.last) >= needed as u64 {
            return Ok(());
        }
        Err(Error::Capacity {
            reason: format!(
                "{what} ids are exhausted: the last one handed out is {}, and this change \
                 may need {needed} more",
                self.last
            ),
        })
    }

    /// A new id, never handed out before.
    pub(super) fn fresh_id(&mut self) -> I {
        // `ensure_room` runs before every operation that can hand out ids.
        self.last = self.last.checked_add(1).expect("room for new ids is checked first");
        I::from_number(self.last)
    }

    /// The entity of slot `s` (`None` for an empty slot).
    #[inline]
    pub(super) fn group_of(&self, s: u32) -> Option<I> {
        self.of_slot[s as usize].map(|n| I::from_number(n.get()))
    }

    /// The member slots of entity `id` (empty for an unknown id).
    pub(super) fn members(&self, id: I) -> &[u32] {
        self.members.get(&id).map_or(&[], |m| m)
    }

    /// Every entity with its member slots, in no particular order.
    pub(super) fn iter(&self) -> impl Iterator<Item = (I, &[u32])> {
        self.members.iter().map(|(&id, m)| (id, &m[..]))
    }

    /// Adds the next slot, outside any entity's members but counted as one of
    /// `inherited`'s when ids are next handed out (an updated record keeps
    /// voting for the entity of the record it replaces).
    pub(super) fn add_slot(&mut self, inherited: Option<I>) {
        self.of_slot.push(inherited.map(pack));
    }

    /// Adds the next slot as a member of `id` (a restored record).
    pub(super) fn add_member_slot(&mut self, id: I) {
        let s = self.of_slot.len() as u32;
        self.members.entry(id).or_default().push(s);
        self.of_slot.push(Some(pack(id)));
    }

    /// Takes slot `s` out of its entity, which ceases to exist when it was
    /// the last member; returns the members left.
    pub(super) fn leave(&mut self, s: u32) -> &[u32] {
        let Some(id) = self.of_slot[s as usize].take() else { return &[] };
        let Entry::Occupied(mut entry) = self.members.entry(I::from_number(id.get())) else {
            return &[];
        };
        entry.get_mut().retain(|m| *m != s);
        if entry.get().is_empty() {
            entry.remove();
            return &[];
        }
        entry.into_mut()
    }

    /// Makes slot `s` (in no group) a member of `id`, which need not exist yet.
    pub(super) fn add_member(&mut self, id: I, s: u32) {
        self.of_slot[s as usize] = Some(pack(id));
        self.members.entry(id).or_default().push(s);
    }

    /// Removes entity `id` (its slots keep pointing at it until reassigned).
    pub(super) fn dissolve(&mut self, id: I) {
        self.members.remove(&id);
    }

    /// Makes `part` the members of entity `id`.
    pub(super) fn assign(&mut self, id: I, part: &[u32]) {
        for &s in part {
            self.of_slot[s as usize] = Some(pack(id));
        }
        self.members.insert(id, part.iter().copied().collect());
    }

    /// Gives `parts` (the new groups of a re-grouped set of slots, largest
    /// first, each in source order) their ids: each part takes the id most of
    /// its slots had (the oldest among equals) unless a larger part took it
    /// first, else a fresh one. Every id the slots had, and `inherited` (the
    /// group of a slot that left), is dissolved when no part keeps it. Returns
    /// the ids that disappeared and those created.
    pub(super) fn reassign(
        &mut self,
        parts: &[impl AsRef<[u32]>],
        inherited: Option<I>,
    ) -> (Vec<I>, Vec<I>) {
        // Groups are small: sorted vectors and linear scans beat trees and hashing here.
        let mut old: Vec<I> =
            parts.iter().flat_map(AsRef::as_ref).filter_map(|&s| self.group_of(s)).collect();
        old.extend(inherited);
        old.sort_unstable();
        old.dedup();
        let mut taken: SmallVec<[I; 4]> = SmallVec::new();
        let mut created = Vec::new();
        let mut assigned: SmallVec<[I; 4]> = SmallVec::with_capacity(parts.len());
        let mut votes: SmallVec<[(I, usize); 4]> = SmallVec::new();
        for part in parts {
            votes.clear();
            for &s in part.as_ref() {
                if let Some(e) = self.group_of(s) {
                    if !taken.contains(&e) {
                        match votes.iter_mut().find(|(id, _)| *id == e) {
                            Some((_, n)) => *n += 1,
                            None => votes.push((e, 1)),
                        }
                    }
                }
            }
            // Most members first, then the oldest (smallest) id.
            let id = match votes.iter().max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0))) {
                Some(&(id, _)) => id,
                None => {
                    let id = self.fresh_id();
                    created.push(id);
                    id
                }
            };
            taken.push(id);
            assigned.push(id);
        }
        for &id in &old {
            self.dissolve(id);
        }
        for (part, &id) in parts.iter().zip(&assigned) {
            self.assign(id, part.as_ref());
        }
        let merged = old.into_iter().filter(|id| !taken.contains(id)).collect();
        (merged, created)
    }

    /// Follows a compaction of the record store.
    pub(super) fn compact(&mut self, moves: &Moves) {
        self.of_slot = moves.live().iter().map(|&s| self.of_slot[s as usize]).collect();
        for members in self.members.values_mut() {
            for m in members.iter_mut() {
                *m = moves.of_live(*m);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{EntityId, EntityTable};

    #[test]
    fn reassign_keeps_the_majority_id_and_hands_out_fresh_ones() {
        let mut table = EntityTable::default();
        for _ in 0..5 {
            table.add_slot(None);
        }
        let (a, b) = (table.fresh_id(), table.fresh_id());
        table.assign(a, &[0, 1, 2]);
        table.assign(b, &[3, 4]);
        // Slots 0..=2 split into {0, 1} and {2}; 3 and 4 merge into {0, 1}'s group.
        let (merged, created) = table.reassign(&[vec![0, 1, 3, 4], vec![2]], None);
        // The larger part takes the id most of its members had: a (2 votes) ties
        // b (2 votes), and the oldest wins; b disappears; {2} gets a fresh id.
        assert_eq!(table.group_of(0), Some(a));
        assert_eq!(merged, vec![b]);
        assert_eq!(created, vec![EntityId::new(3)]);
        assert_eq!(table.group_of(2), Some(EntityId::new(3)));
        assert_eq!(table.len(), 2);
    }

    #[test]
    fn members_leave_until_the_entity_goes_and_ids_are_never_reused() {
        let mut table = EntityTable::default();
        let id = table.fresh_id();
        assert_eq!(id, EntityId::new(1));
        table.add_slot(None);
        table.add_slot(Some(id));
        assert_eq!(table.group_of(0), None);
        assert!(table.members(id).is_empty(), "an inherited id is a vote, not membership");
        table.assign(id, &[0, 1]);
        assert_eq!((table.group_of(0), table.group_of(1)), (Some(id), Some(id)));
        assert_eq!(table.leave(0), &[1]);
        assert_eq!(table.group_of(0), None);
        assert!(table.leave(1).is_empty());
        assert_eq!(table.len(), 0);
        assert_eq!(table.fresh_id(), EntityId::new(2));
        assert_eq!(table.last_id(), EntityId::new(2));
    }

    #[test]
    fn a_counter_at_its_maximum_has_no_room_for_a_new_id() {
        let mut table = EntityTable::default();
        table.resume_after(EntityId::new(u64::MAX - 2));
        assert!(table.ensure_room(2, "entity").is_ok());
        let err = table.ensure_room(3, "entity").unwrap_err();
        assert!(matches!(err, crate::Error::Capacity { .. }), "{err}");
        assert!(err.to_string().contains("entity ids are exhausted"), "{err}");
        assert_eq!(table.fresh_id(), EntityId::new(u64::MAX - 1));
    }
}
