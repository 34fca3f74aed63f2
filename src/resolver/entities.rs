//! The entity table: each entity's member slots, each slot's entity, and the
//! id counter.
//!
//! Ids are handed out from 1 by [`EntityTable::fresh_id`] and never reused;
//! which part of a re-clustered group keeps which id is `recluster`'s rule.

use std::num::NonZeroU64;

use hashbrown::hash_map::Entry;
use hashbrown::HashMap;
use smallvec::SmallVec;

use super::store::Moves;
use crate::id::EntityId;

/// An entity's member slots (most entities have one or two).
type Members = SmallVec<[u32; 2]>;

/// Entity id → member slots, slot → entity id, and the last id handed out.
#[derive(Debug, Default)]
pub(super) struct EntityTable {
    /// Entity → its member slots (never empty: an entity without members goes).
    members: HashMap<EntityId, Members>,
    /// Per slot: its entity, `None` for an empty slot or a record not yet
    /// clustered (8 bytes a slot, as a bare `u64`: ids start at 1).
    of_slot: Vec<Option<NonZeroU64>>,
    /// The last id handed out (0 before the first).
    last: u64,
}

/// An entity id in its compact per-slot form.
fn pack(id: EntityId) -> NonZeroU64 {
    NonZeroU64::new(id.get()).expect("resolver entity ids start at 1")
}

impl EntityTable {
    /// Number of entities.
    pub(super) fn len(&self) -> usize {
        self.members.len()
    }

    /// The last id handed out (id 0 before the first).
    pub(super) fn last_id(&self) -> EntityId {
        EntityId::new(self.last)
    }

    /// Hands out ids after `last` from now on (for a restored state, whose ids
    /// are all at most `last`).
    pub(super) fn resume_after(&mut self, last: EntityId) {
        self.last = last.get();
    }

    /// Makes room for `slots` more slots.
    pub(super) fn reserve(&mut self, slots: usize) {
        self.of_slot.reserve_exact(slots);
        self.members.reserve(slots / 2);
    }

    /// A new id, never handed out before.
    pub(super) fn fresh_id(&mut self) -> EntityId {
        self.last += 1;
        EntityId::new(self.last)
    }

    /// The entity of slot `s` (`None` for an empty slot).
    #[inline]
    pub(super) fn entity_of(&self, s: u32) -> Option<EntityId> {
        self.of_slot[s as usize].map(|n| EntityId::new(n.get()))
    }

    /// The member slots of entity `id` (empty for an unknown id).
    pub(super) fn members(&self, id: EntityId) -> &[u32] {
        self.members.get(&id).map_or(&[], |m| m)
    }

    /// Every entity with its member slots, in no particular order.
    pub(super) fn iter(&self) -> impl Iterator<Item = (EntityId, &[u32])> {
        self.members.iter().map(|(&id, m)| (id, &m[..]))
    }

    /// Adds the next slot, outside any entity's members but counted as one of
    /// `inherited`'s when ids are next handed out (an updated record keeps
    /// voting for the entity of the record it replaces).
    pub(super) fn add_slot(&mut self, inherited: Option<EntityId>) {
        self.of_slot.push(inherited.map(pack));
    }

    /// Adds the next slot as a member of `id` (a restored record).
    pub(super) fn add_member_slot(&mut self, id: EntityId) {
        let s = self.of_slot.len() as u32;
        self.members.entry(id).or_default().push(s);
        self.of_slot.push(Some(pack(id)));
    }

    /// Takes slot `s` out of its entity, which ceases to exist when it was
    /// the last member; returns the members left.
    pub(super) fn leave(&mut self, s: u32) -> &[u32] {
        let Some(id) = self.of_slot[s as usize].take() else { return &[] };
        let Entry::Occupied(mut entry) = self.members.entry(EntityId::new(id.get())) else {
            return &[];
        };
        entry.get_mut().retain(|m| *m != s);
        if entry.get().is_empty() {
            entry.remove();
            return &[];
        }
        entry.into_mut()
    }

    /// Removes entity `id` (its slots keep pointing at it until reassigned).
    pub(super) fn dissolve(&mut self, id: EntityId) {
        self.members.remove(&id);
    }

    /// Makes `part` the members of entity `id`.
    pub(super) fn assign(&mut self, id: EntityId, part: &[u32]) {
        for &s in part {
            self.of_slot[s as usize] = Some(pack(id));
        }
        self.members.insert(id, part.iter().copied().collect());
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
    fn members_leave_until_the_entity_goes_and_ids_are_never_reused() {
        let mut table = EntityTable::default();
        let id = table.fresh_id();
        assert_eq!(id, EntityId::new(1));
        table.add_slot(None);
        table.add_slot(Some(id));
        assert_eq!(table.entity_of(0), None);
        assert!(table.members(id).is_empty(), "an inherited id is a vote, not membership");
        table.assign(id, &[0, 1]);
        assert_eq!((table.entity_of(0), table.entity_of(1)), (Some(id), Some(id)));
        assert_eq!(table.leave(0), &[1]);
        assert_eq!(table.entity_of(0), None);
        assert!(table.leave(1).is_empty());
        assert_eq!(table.len(), 0);
        assert_eq!(table.fresh_id(), EntityId::new(2));
        assert_eq!(table.last_id(), EntityId::new(2));
    }
}
