//! The block index: per blocking rule, key → the live slots whose records have
//! that key, and what the size cap makes of each block.
//!
//! A pair counts under a rule while it shares a block of at most
//! `max_block_size` records, as in batch. A block that grows past the cap stops
//! pairing its records under that rule, and one that shrinks back to it pairs
//! them again: [`BlockIndex::join`] and [`BlockIndex::leave`] say when either
//! happens so the links can follow.

use hashbrown::HashMap;
use smallvec::SmallVec;

use super::store::Moves;
use crate::engine::Engine;
use crate::parallel;
use crate::prepare::Prepared;

/// Live slots of one block, in the order they joined (most keys hold one or two records).
type Members = SmallVec<[u32; 2]>;

/// Per rule: key → live member slots. Key 0 means "no key" and is never stored.
#[derive(Debug)]
pub(super) struct BlockIndex {
    /// One map per rule, in rule order.
    rules: Vec<HashMap<u64, Members>>,
    /// Blocks with more records than this pair none of them.
    max_block_size: usize,
}

/// What adding a record to a block changed, with the records it already held.
#[derive(Debug)]
pub(super) enum Joined<'a> {
    /// The block is still under the cap: the record pairs with these members.
    Paired(&'a [u32]),
    /// The block just went over the cap: these members' pairs no longer count
    /// under the rule (and the record pairs with none of them).
    CrossedCap(&'a [u32]),
    /// The block was already over the cap: nothing pairs.
    OverCap,
}

impl BlockIndex {
    /// An empty index for `rules` rules and a block size cap.
    pub(super) fn new(rules: usize, max_block_size: usize) -> Self {
        BlockIndex { rules: vec![HashMap::new(); rules], max_block_size }
    }

    /// The blocking index of every record of `prepared` (slot `i` is record `i`).
    pub(super) fn build(engine: &Engine, prepared: &Prepared) -> Self {
        let blocker = engine.blocker();
        BlockIndex::build_with(
            engine.threads(),
            blocker.rule_count(),
            blocker.max_block_size(),
            prepared,
            |r, i, buf| blocker.key(r, prepared, i, buf),
        )
    }

    /// The index of every record of `prepared` under `rules` keys given by
    /// `key(rule, record, buffer)`, built on `threads` threads, which take the
    /// rules one at a time: each collects the rule's (key, slot) pairs, sorts
    /// them so equal keys run in slot order, and builds the map once, at its
    /// exact size, each key inserted with its whole list.
    pub(super) fn build_with(
        threads: usize,
        rules: usize,
        max_block_size: usize,
        prepared: &Prepared,
        key: impl Fn(usize, usize, &mut Vec<u8>) -> u64 + Sync,
    ) -> Self {
        let mut index = BlockIndex::new(rules, max_block_size);
        let built = parallel::run(threads, rules, |jobs| {
            let (mut buf, mut pairs) = (Vec::new(), Vec::with_capacity(prepared.len()));
            let mut done = Vec::new();
            while let Some(r) = jobs.next() {
                pairs.clear();
                for i in 0..prepared.len() {
                    let k = key(r, i, &mut buf);
                    if k != 0 {
                        pairs.push((k, i as u32));
                    }
                }
                pairs.sort_unstable();
                let runs = || pairs.chunk_by(|a, b| a.0 == b.0);
                let mut map = HashMap::with_capacity_and_hasher(runs().count(), Default::default());
                for run in runs() {
                    map.insert(run[0].0, run.iter().map(|&(_, s)| s).collect());
                }
                done.push((r, map));
            }
            done
        });
        for (r, map) in built.into_iter().flatten() {
            index.rules[r] = map;
        }
        index
    }

    /// Number of rules.
    pub(super) fn rule_count(&self) -> usize {
        self.rules.len()
    }

    /// The members a new record with `key` under rule `r` would pair with
    /// (none when its arrival would take the block over the cap).
    pub(super) fn pairable(&self, r: usize, key: u64) -> &[u32] {
        match self.rules[r].get(&key) {
            Some(members) if members.len() < self.max_block_size => members,
            _ => &[],
        }
    }

    /// The members of rule `r`'s block `key` when it is under the cap (a block
    /// over the cap groups nobody), else nothing.
    pub(super) fn under_cap(&self, r: usize, key: u64) -> &[u32] {
        match self.rules[r].get(&key) {
            Some(members) if members.len() <= self.max_block_size => members,
            _ => &[],
        }
    }

    /// Reads the member list of each rule's block `keys[r]` (0: no key) and
    /// discards it: independent loads whose cache misses overlap, so the
    /// updates that follow find the lists in the cache.
    #[inline]
    pub(super) fn warm(&self, keys: &[u64]) {
        let mut touched = 0u64;
        for (r, &key) in keys.iter().enumerate() {
            if key != 0 {
                let members = self.rules[r].get(&key);
                touched ^= members.and_then(|m| m.first()).map_or(0, |&m| u64::from(m));
            }
        }
        std::hint::black_box(touched);
    }

    /// Adds slot `s` to rule `r`'s block `key` (not 0), and says what that
    /// changed for the members it already held.
    #[inline]
    pub(super) fn join(&mut self, r: usize, key: u64, s: u32) -> Joined<'_> {
        let cap = self.max_block_size;
        let members = self.rules[r].entry(key).or_default();
        let before = members.len();
        members.push(s);
        if before < cap {
            Joined::Paired(&members[..before])
        } else if before == cap {
            Joined::CrossedCap(&members[..before])
        } else {
            Joined::OverCap
        }
    }

    /// Takes slot `s` out of rule `r`'s block `key`, dropping the block once
    /// empty. Returns the remaining members when the block just fell back under
    /// the cap: their pairs count again under the rule.
    pub(super) fn leave(&mut self, r: usize, key: u64, s: u32) -> Option<&[u32]> {
        let cap = self.max_block_size;
        let hashbrown::hash_map::Entry::Occupied(mut entry) = self.rules[r].entry(key) else {
            return None;
        };
        let before = entry.get().len();
        entry.get_mut().retain(|m| *m != s);
        if entry.get().is_empty() {
            entry.remove();
            return None;
        }
        let members = entry.into_mut();
        (before > cap && members.len() <= cap).then_some(&members[..])
    }

    /// Follows a compaction of the record store.
    pub(super) fn compact(&mut self, moves: &Moves) {
        for block in &mut self.rules {
            for members in block.values_mut() {
                for m in members.iter_mut() {
                    *m = moves.of_live(*m);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{BlockIndex, Joined};

    #[test]
    fn a_block_pairs_until_it_crosses_the_cap_and_again_once_back_under_it() {
        let mut index = BlockIndex::new(1, 2);
        assert!(matches!(index.join(0, 7, 0), Joined::Paired(&[])));
        assert!(matches!(index.join(0, 7, 1), Joined::Paired(&[0])));
        assert!(matches!(index.join(0, 7, 2), Joined::CrossedCap(&[0, 1])));
        assert!(matches!(index.join(0, 7, 3), Joined::OverCap));
        assert!(index.pairable(0, 7).is_empty());
        // Three members are still over the cap; two are back under it.
        assert_eq!(index.leave(0, 7, 3), None);
        assert_eq!(index.leave(0, 7, 0), Some(&[1, 2][..]));
        // A third member would take the block over again.
        assert!(index.pairable(0, 7).is_empty());
        assert_eq!(index.leave(0, 7, 1), None);
        assert_eq!(index.pairable(0, 7), &[2]);
        // The last member leaves: the block goes, and leaving again changes nothing.
        assert_eq!(index.leave(0, 7, 2), None);
        assert_eq!(index.leave(0, 7, 2), None);
        assert!(index.pairable(0, 7).is_empty());
    }
}
