//! The block index: per blocking rule, key → the live slots whose records have
//! that key, and what the size cap makes of each block.
//!
//! A pair counts under a rule while it shares a block of at most
//! `max_block_size` records, as in batch. A block that grows past the cap stops
//! pairing its records under that rule, and one that shrinks back to it pairs
//! them again: [`BlockIndex::join`] and [`BlockIndex::leave`] say when either
//! happens so the links can follow.
//!
//! For the blocking rules, whose pairs are scored links, crossing the cap
//! costs the block's members and their links, never its pairs:
//! [`BlockIndex::set_aside`] moves the links of a block that just went over
//! the cap aside (with the block, as [`Aside`]) instead of forgetting them,
//! and [`BlockIndex::leave_linked`] brings them back when it falls under the
//! cap again, so a record that takes a block back and forth across the cap
//! scores no pair. A member that joins a block over the cap is scored against
//! the others later, one member per departure, so that the block comes back
//! under with every pair scored. Snapshots do not hold what is set aside: a
//! block restored over the cap starts with nothing scored and catches up the
//! same way.

use hashbrown::hash_map::Entry;
use hashbrown::HashMap;
use smallvec::SmallVec;

use super::links::LinkGraph;
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
    /// The blocks over the cap whose links are set aside, by (rule, key).
    aside: HashMap<(usize, u64), Aside>,
    /// Pairs scored for blocks over the cap, since the index was made.
    scored_aside: u64,
}

/// The links of a block over the cap, set aside until it comes back under.
///
/// Its first `scored` members (in the order they joined) have had every pair
/// among them scored, and `kept` holds those pairs that reach the keep weight:
/// the links they get back under the block's rule when it returns under the
/// cap. The members after them joined while the block was over the cap; they
/// are never more than the block's excess over the cap, so it comes back with
/// every pair scored. A block restored over the cap from a snapshot starts
/// with nothing scored.
#[derive(Debug, Default)]
struct Aside {
    scored: usize,
    /// (slot, slot, weight), each pair once.
    kept: Vec<(u32, u32, f64)>,
}

/// What the blocking index needs from the resolver when a member leaves a
/// block over the cap: the links, a scorer for pairs never scored, and where
/// to note the records whose entity may change.
pub(super) struct LinkUpdate<'a, S> {
    /// The resolver's links.
    pub(super) links: &'a mut LinkGraph,
    /// The weight of two slots' pair when it reaches the keep weight.
    pub(super) score: S,
    /// Links at or above it change entities.
    pub(super) match_weight: f64,
    /// Receives the records whose entity may change.
    pub(super) affected: &'a mut Vec<u32>,
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
        BlockIndex {
            rules: vec![HashMap::new(); rules],
            max_block_size,
            aside: HashMap::new(),
            scored_aside: 0,
        }
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

    /// Rule `r`'s block `key` just went over the cap ([`Joined::CrossedCap`]):
    /// its pairs stop counting under `r`. Their links lose rule `r` (a link
    /// left with no rule goes; the records of a link at `match_weight` that
    /// goes join `affected`) and are kept aside until the block comes back
    /// under the cap. Costs the members' links, not their pairs.
    pub(super) fn set_aside(
        &mut self,
        r: usize,
        key: u64,
        links: &mut LinkGraph,
        match_weight: f64,
        affected: &mut Vec<u32>,
    ) {
        let Some(members) = self.rules[r].get(&key) else { return };
        let bit = 1u32 << r;
        let mut kept = Vec::new();
        for &a in members {
            for l in links.of(a) {
                if l.rules() & bit != 0 && a < l.other() {
                    kept.push((a, l.other(), l.weight()));
                }
            }
        }
        for &(a, b, _) in &kept {
            if links.drop_rule(a, b, r).is_some_and(|w| w >= match_weight) {
                affected.extend([a, b]);
            }
        }
        // Every member but the one that took the block over has been paired.
        let scored = members.len() - 1;
        self.aside.insert((r, key), Aside { scored, kept });
    }

    /// Takes slot `s` out of rule `r`'s block `key` of the blocking index,
    /// whose pairs are links. Over the cap, the pairs set aside follow: those
    /// of `s` go, and one member that joined over the cap is scored against
    /// the scored ones when that is needed for the block to come back under
    /// with every pair scored. When the block falls back under the cap, the
    /// pairs set aside get rule `r` back on their links (a link that had
    /// gone comes back, and its records join `affected` when it reaches the
    /// match weight). Costs at most one pair per member of the block, and
    /// the links set aside; only a block restored over the cap from a
    /// snapshot, which falls back under it after fewer departures than it
    /// had members to catch up, scores its remaining pairs then, once.
    pub(super) fn leave_linked<S>(&mut self, r: usize, key: u64, s: u32, up: &mut LinkUpdate<S>)
    where
        S: FnMut(u32, u32) -> Option<f64>,
    {
        let cap = self.max_block_size;
        let Entry::Occupied(mut entry) = self.rules[r].entry(key) else { return };
        let Some(pos) = entry.get().iter().position(|&m| m == s) else { return };
        let before = entry.get().len();
        entry.get_mut().remove(pos);
        if entry.get().is_empty() {
            entry.remove();
            return;
        }
        if before <= cap {
            return;
        }
        let members = entry.into_mut();
        // A block restored over the cap has nothing set aside yet.
        let aside = self.aside.entry((r, key)).or_default();
        if pos < aside.scored {
            aside.scored -= 1;
            aside.kept.retain(|&(a, b, _)| a != s && b != s);
        }
        let len = members.len();
        let owed = if len > cap {
            // At most the excess over the cap may stay unscored (a block
            // restored over the cap catches up one member per departure).
            (len - aside.scored).saturating_sub(len - cap).min(1)
        } else {
            len - aside.scored
        };
        for _ in 0..owed {
            self.scored_aside += score_next(members, aside, up);
        }
        if len > cap {
            return;
        }
        let bit = 1u32 << r;
        let Some(aside) = self.aside.remove(&(r, key)) else { return };
        for (a, b, weight) in aside.kept {
            if !up.links.add_rule(a, b, r) {
                up.links.link(a, b, weight, bit);
                if weight >= up.match_weight {
                    up.affected.extend([a, b]);
                }
            }
        }
    }

    /// Pairs scored for blocks over the cap since the index was made.
    #[cfg(test)]
    pub(super) fn scored_aside(&self) -> u64 {
        self.scored_aside
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
        for aside in self.aside.values_mut() {
            for (a, b, _) in &mut aside.kept {
                (*a, *b) = (moves.of_live(*a), moves.of_live(*b));
            }
        }
    }
}

/// Scores the first member of a block over the cap not scored yet against
/// the scored ones, keeping the pairs that reach the keep weight aside (a
/// pair already linked under another rule takes its link's weight). Returns
/// how many pairs were scored.
fn score_next<S>(members: &[u32], aside: &mut Aside, up: &mut LinkUpdate<S>) -> u64
where
    S: FnMut(u32, u32) -> Option<f64>,
{
    let m = members[aside.scored];
    let mut scored = 0;
    for &p in &members[..aside.scored] {
        let linked = up.links.of(m).iter().find(|l| l.other() == p).map(|l| l.weight());
        let weight = linked.or_else(|| {
            scored += 1;
            (up.score)(p, m)
        });
        if let Some(weight) = weight {
            aside.kept.push((p.min(m), p.max(m), weight));
        }
    }
    aside.scored += 1;
    scored
}

#[cfg(test)]
mod tests {
    use super::{BlockIndex, Joined, LinkUpdate};
    use crate::resolver::links::LinkGraph;

    const KEY: u64 = 7;
    const MATCH: f64 = 5.0;

    /// A pair's weight when kept: about one pair in three, some of them
    /// at the match weight.
    fn weight(a: u32, b: u32) -> Option<f64> {
        let (a, b) = (a.min(b), a.max(b));
        match (a * 31 + b * 17) % 7 {
            0 => Some(MATCH + 1.0),
            1 | 2 => Some(1.0),
            _ => None,
        }
    }

    /// One rule's block index and the links, driven as the resolver does,
    /// counting the pairs scored on joins and on departures.
    struct Sim {
        index: BlockIndex,
        links: LinkGraph,
        slots: usize,
        members: Vec<u32>,
        scored_on_join: u64,
        scored_on_leave: u64,
        /// With false, a block going over the cap drops its links the way a
        /// snapshot holds them, and nothing is set aside (a restored block).
        set_aside: bool,
    }

    impl Sim {
        fn new(cap: usize) -> Self {
            Sim {
                index: BlockIndex::new(1, cap),
                links: LinkGraph::default(),
                slots: 0,
                members: Vec::new(),
                scored_on_join: 0,
                scored_on_leave: 0,
                set_aside: true,
            }
        }

        fn join(&mut self, s: u32) {
            while self.slots <= s as usize {
                self.links.add_slot();
                self.slots += 1;
            }
            self.members.push(s);
            let mut affected = Vec::new();
            match self.index.join(0, KEY, s) {
                Joined::Paired(members) => {
                    for &m in members {
                        self.scored_on_join += 1;
                        if let Some(w) = weight(m, s) {
                            self.links.link(m, s, w, 1);
                        }
                    }
                }
                Joined::CrossedCap(_) if self.set_aside => {
                    self.index.set_aside(0, KEY, &mut self.links, MATCH, &mut affected);
                }
                Joined::CrossedCap(members) => {
                    for (x, &a) in members.iter().enumerate() {
                        for &b in &members[x + 1..] {
                            self.links.drop_rule(a, b, 0);
                        }
                    }
                }
                Joined::OverCap => {}
            }
        }

        /// Returns the pairs scored by the departure.
        fn leave(&mut self, s: u32) -> u64 {
            self.members.retain(|&m| m != s);
            let (mut affected, mut scored) = (Vec::new(), 0);
            let score = |a, b| {
                scored += 1;
                weight(a, b)
            };
            let mut up = LinkUpdate {
                links: &mut self.links,
                score,
                match_weight: MATCH,
                affected: &mut affected,
            };
            self.index.leave_linked(0, KEY, s, &mut up);
            let _ = self.links.unlink(s).count();
            self.scored_on_leave += scored;
            scored
        }

        /// The links are those of batch: every kept pair of the block while
        /// it is under the cap, none over it.
        fn check(&self) {
            let mut want = Vec::new();
            if self.members.len() <= self.index.max_block_size {
                for (x, &a) in self.members.iter().enumerate() {
                    for &b in &self.members[x + 1..] {
                        if let Some(w) = weight(a, b) {
                            want.push((a.min(b), a.max(b), w.to_bits()));
                        }
                    }
                }
            }
            let mut have = Vec::new();
            for &a in &self.members {
                for l in self.links.of(a) {
                    assert_eq!(l.rules(), 1);
                    if a < l.other() {
                        have.push((a, l.other(), l.weight().to_bits()));
                    }
                }
            }
            want.sort_unstable();
            have.sort_unstable();
            assert_eq!(have, want, "members {:?}", self.members);
        }
    }

    #[test]
    fn a_record_taking_a_block_back_and_forth_across_the_cap_scores_no_pair() {
        let cap = 50;
        let mut sim = Sim::new(cap);
        for s in 0..cap as u32 {
            sim.join(s);
        }
        assert_eq!(sim.scored_on_join, (cap * (cap - 1) / 2) as u64);
        sim.check();
        for round in 0..20 {
            let s = 1_000 + round;
            sim.join(s);
            sim.check();
            assert_eq!(sim.leave(s), 0, "coming back under the cap scores nothing");
            sim.check();
        }
        // Over the cap, nothing pairs: the 20 crossings scored no pair at all
        // (the old index scored the block's 1,225 pairs on every way back).
        assert_eq!(sim.scored_on_join, (cap * (cap - 1) / 2) as u64);
        assert_eq!(sim.scored_on_leave, 0);
        assert_eq!(sim.index.scored_aside(), 0);
        assert!(sim.index.aside.is_empty());
    }

    #[test]
    fn members_that_joined_over_the_cap_are_scored_one_per_departure() {
        let cap = 6;
        let mut sim = Sim::new(cap);
        for s in 0..20 {
            sim.join(s);
            sim.check();
        }
        // Leaving in an order that takes scored and unscored members alike.
        for s in [0, 19, 3, 12, 7, 1, 18, 8, 2, 15, 4, 5, 6, 9, 10, 11, 13, 14, 16, 17] {
            let scored = sim.leave(s);
            assert!(scored <= cap as u64, "{scored} pairs scored by one departure");
            sim.check();
        }
        assert!(sim.index.aside.is_empty());
    }

    #[test]
    fn random_joins_and_departures_keep_the_links_of_batch() {
        let cap = 4;
        let mut sim = Sim::new(cap);
        let mut state = 0x2545_f491_4f6c_dd1du64;
        let mut next = 0u32;
        for _ in 0..3_000 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            if sim.members.is_empty() || state % 5 < 2 + (sim.members.len() < cap + 2) as u64 {
                sim.join(next);
                next += 1;
            } else {
                let s = sim.members[(state >> 32) as usize % sim.members.len()];
                assert!(sim.leave(s) <= cap as u64);
            }
            sim.check();
        }
    }

    #[test]
    fn a_block_restored_over_the_cap_catches_up_one_member_per_departure() {
        let cap = 5;
        let mut sim = Sim::new(cap);
        sim.set_aside = false;
        for s in 0..12 {
            sim.join(s);
        }
        sim.check();
        // Seven departures take it back to the cap: each scores one member
        // against those scored before it, and the block comes back with
        // every pair scored.
        for s in (5..12).rev() {
            let scored = sim.leave(s);
            sim.check();
            assert!(scored < cap as u64, "{scored} pairs scored by one departure");
        }
        assert_eq!(sim.scored_on_leave, (cap * (cap - 1) / 2) as u64);
        assert!(sim.index.aside.is_empty());
    }

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
