//! Re-grouping households after a change, with the batch rule, and handing
//! out household ids by the same stability rule as entity ids.
//!
//! A household is a connected group of entities whose records share a
//! household key (a key held by more records than the cap joins nobody), as in
//! [`crate::household`]. After a change, the households of the slots it
//! touched are found again by walking, from each of them, its entity's
//! members and the members of its key blocks under the cap; each group found
//! is one household. Every member of an old household a walk reaches is walked
//! from too, so no record keeps an id that was handed on.

use hashbrown::HashSet;

use super::blocks::BlockIndex;
use super::Resolver;
use crate::engine::Engine;
use crate::id::HouseholdId;
use crate::prepare::Prepared;

impl Resolver {
    /// Finds again the households of `start` (and of everything they reach)
    /// and gives them ids.
    pub(super) fn rehouse(&mut self, start: &[u32]) {
        let householder = self.engine.householder();
        let mut walk = std::mem::take(&mut self.walk);
        walk.clear();
        // Roots still to walk from: the changed slots, then every member of an
        // old household a walk reaches (its ids are re-handed, so all its
        // members must land in some part), which are walked on their own: an
        // old household is not a link.
        walk.roots.extend_from_slice(start);
        while let Some(first) = walk.roots.pop() {
            if !self.records.is_live(first) || walk.seen.contains(&first) {
                continue;
            }
            let begin = walk.members.len();
            walk.queue.push(first);
            while let Some(x) = walk.queue.pop() {
                if !walk.seen.insert(x) {
                    continue;
                }
                walk.members.push(x);
                if let Some(id) = self.households.group_of(x) {
                    walk.roots.extend_from_slice(self.households.members(id));
                }
                let Walk { seen, queue, .. } = &mut walk;
                let unseen = |m: &u32| !seen.contains(m);
                if let Some(id) = self.entities.group_of(x) {
                    queue.extend(self.entities.members(id).iter().copied().filter(unseen));
                }
                for r in 0..householder.key_count() {
                    let key = householder.key(r, &self.prepared, x as usize, &mut self.key_buf);
                    if key != 0 {
                        queue.extend(self.homes.under_cap(r, key).iter().copied().filter(unseen));
                    }
                }
            }
            walk.members[begin..].sort_unstable_by(|&a, &b| self.records.source_cmp(a, b));
            walk.ends.push(walk.members.len());
        }
        let mut parts: Vec<&[u32]> = Vec::with_capacity(walk.ends.len());
        let mut begin = 0;
        for &end in &walk.ends {
            parts.push(&walk.members[begin..end]);
            begin = end;
        }
        // Largest household first; among equals, the one whose first record comes first.
        parts.sort_by(|a, b| {
            b.len().cmp(&a.len()).then_with(|| self.records.source_cmp(a[0], b[0]))
        });
        self.households.reassign(&parts, None);
        self.walk = walk;
    }
}

impl Resolver {
    /// Puts the record just added in slot `s`, whose entity only grew by it,
    /// into the one household its entity's other members and its household
    /// keys reach (a fresh one when they reach none); false, changing
    /// nothing, when they reach several (households merge: a walk decides).
    pub(super) fn house_added(&mut self, s: u32) -> bool {
        let householder = self.engine.householder();
        let mut found = None;
        let mut one = |home: Option<HouseholdId>| match (home, found) {
            (Some(h), None) => {
                found = Some(h);
                true
            }
            (Some(h), Some(f)) => h == f,
            (None, _) => true,
        };
        if let Some(id) = self.entities.group_of(s) {
            for &m in self.entities.members(id) {
                if m != s && !one(self.households.group_of(m)) {
                    return false;
                }
            }
        }
        for r in 0..householder.key_count() {
            let key = householder.key(r, &self.prepared, s as usize, &mut self.key_buf);
            if key == 0 {
                continue;
            }
            for &m in self.homes.under_cap(r, key) {
                if m != s && !one(self.households.group_of(m)) {
                    return false;
                }
            }
        }
        let home = found.unwrap_or_else(|| self.households.fresh_id());
        self.households.add_member(home, s);
        true
    }
}

/// Reused buffers of [`Resolver::rehouse`].
#[derive(Debug, Default)]
pub(super) struct Walk {
    seen: HashSet<u32>,
    roots: Vec<u32>,
    queue: Vec<u32>,
    /// The households found, one after the other.
    members: Vec<u32>,
    /// Where each household ends in `members`.
    ends: Vec<usize>,
}

impl Walk {
    fn clear(&mut self) {
        self.seen.clear();
        self.roots.clear();
        self.queue.clear();
        self.members.clear();
        self.ends.clear();
    }
}

/// The household key index of every record of `prepared` (slot `i` is record `i`).
pub(super) fn index_homes(engine: &Engine, prepared: &Prepared) -> BlockIndex {
    let householder = engine.householder();
    BlockIndex::build_with(
        engine.threads(),
        householder.key_count(),
        householder.max_size(),
        prepared,
        |r, i, buf| householder.key(r, prepared, i, buf),
    )
}
