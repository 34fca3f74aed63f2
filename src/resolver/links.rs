//! The link graph: each live slot's scored links, with their weight and the
//! rules whose uncapped blocks hold the pair.
//!
//! Links are kept in both directions, with the same weight and rules, and only
//! between live slots: a link exists while at least one rule pairs its records.

use smallvec::SmallVec;

use super::store::Moves;

/// A scored link from one slot to another.
#[derive(Debug, Clone, Copy)]
pub(super) struct Link {
    /// The slot at the other end.
    other: u32,
    /// The pair's match weight.
    weight: f64,
    /// Bit `r` set: the pair shares a block under the cap under rule `r`.
    rules: u32,
}

impl Link {
    /// The slot at the other end.
    #[inline]
    pub(super) fn other(&self) -> u32 {
        self.other
    }

    /// The pair's match weight.
    #[inline]
    pub(super) fn weight(&self) -> f64 {
        self.weight
    }

    /// The rules pairing the records, a bit per rule.
    pub(super) fn rules(&self) -> u32 {
        self.rules
    }
}

/// One slot's links (most records have one or two).
type Links = SmallVec<[Link; 2]>;

/// Per slot: its links.
#[derive(Debug, Default)]
pub(super) struct LinkGraph {
    /// Slot → its links.
    lists: Vec<Links>,
}

impl LinkGraph {
    /// A graph of `slots` slots without links.
    pub(super) fn with_slots(slots: usize) -> Self {
        let mut lists = Vec::new();
        lists.resize_with(slots, SmallVec::new);
        LinkGraph { lists }
    }

    /// Adds a slot without links (the next slot number).
    pub(super) fn add_slot(&mut self) {
        self.lists.push(SmallVec::new());
    }

    /// Number of links (each pair once), counted in a pass over the slots.
    pub(super) fn count(&self) -> usize {
        self.lists.iter().map(SmallVec::len).sum::<usize>() / 2
    }

    /// Slot `s`'s links.
    #[inline]
    pub(super) fn of(&self, s: u32) -> &[Link] {
        &self.lists[s as usize]
    }

    /// Links `a` and `b` (not yet linked) with `weight` under `rules`.
    pub(super) fn link(&mut self, a: u32, b: u32, weight: f64, rules: u32) {
        self.lists[a as usize].push(Link { other: b, weight, rules });
        self.lists[b as usize].push(Link { other: a, weight, rules });
    }

    /// Adds rule `r` to the link of `a` and `b`; false when they have no link
    /// (the caller scores the pair).
    pub(super) fn add_rule(&mut self, a: u32, b: u32, r: usize) -> bool {
        let Some(l) = self.lists[a as usize].iter_mut().find(|l| l.other == b) else {
            return false;
        };
        l.rules |= 1 << r;
        if let Some(back) = self.lists[b as usize].iter_mut().find(|l| l.other == a) {
            back.rules |= 1 << r;
        }
        true
    }

    /// Removes rule `r` from the link of `a` and `b`, and drops the link when no
    /// rule is left. Returns the dropped link's weight, if it was dropped (the
    /// larger of the two directions', should they ever differ).
    pub(super) fn drop_rule(&mut self, a: u32, b: u32, r: usize) -> Option<f64> {
        let mut dropped = None;
        for (x, y) in [(a, b), (b, a)] {
            let list = &mut self.lists[x as usize];
            if let Some(pos) = list.iter().position(|l| l.other == y) {
                list[pos].rules &= !(1 << r);
                if list[pos].rules == 0 {
                    let weight = list[pos].weight;
                    dropped = Some(dropped.map_or(weight, |d: f64| d.max(weight)));
                    list.swap_remove(pos);
                }
            }
        }
        dropped
    }

    /// Removes every link of slot `s`; returns the slots it was linked to.
    pub(super) fn unlink(&mut self, s: u32) -> impl Iterator<Item = u32> {
        let list = std::mem::take(&mut self.lists[s as usize]);
        for link in &list {
            self.lists[link.other as usize].retain(|l| l.other != s);
        }
        list.into_iter().map(|l| l.other)
    }

    /// Follows a compaction of the record store.
    pub(super) fn compact(&mut self, moves: &Moves) {
        let old = std::mem::take(&mut self.lists);
        self.lists = old
            .into_iter()
            .enumerate()
            .filter(|&(s, _)| moves.get(s as u32).is_some())
            .map(|(_, mut list)| {
                for l in &mut list {
                    l.other = moves.of_live(l.other);
                }
                list
            })
            .collect();
    }
}
