//! The blocks of a batch run: every rule's records grouped by key, the
//! blocks over the size cap skipped, and, when the rest holds more pairs than
//! the run's ceiling, the largest of them skipped too.

use std::cmp::Reverse;

use super::{Blocker, CapCause};
use crate::prepare::Prepared;

/// One block: a run of record ids sharing a key under one rule.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Block {
    pub(crate) rule: usize,
    start: usize,
    len: usize,
    /// In link mode, how many members come from the left dataset (they come first).
    left: usize,
}

/// The blocks of a batch run, with every rule's keys kept to skip pairs found twice.
#[derive(Debug)]
pub(crate) struct Blocks {
    /// Record ids of each rule, grouped by key.
    members: Vec<Vec<u32>>,
    /// Blocks to expand into pairs.
    blocks: Vec<Block>,
    /// `keys[i * rules + r]`: key of record `i` under rule `r` (0 = none).
    keys: Vec<u64>,
    /// Blocks skipped for their size or for the pair ceiling.
    pub(super) capped: Vec<Skipped>,
    /// Keys of the capped blocks, as (rule, key), sorted.
    capped_keys: Vec<(usize, u64)>,
    rules: usize,
}

/// A block skipped for its size or for the pair ceiling.
#[derive(Debug, Clone, Copy)]
pub(super) struct Skipped {
    pub(super) rule: usize,
    /// A member, whose key spells out the block's.
    pub(super) first: u32,
    /// How many records it held.
    pub(super) size: usize,
    pub(super) cause: CapCause,
}

impl Blocks {
    /// Builds the blocks of all records in `p`. In link mode, records `0..left_len`
    /// are the left dataset and only blocks holding both sides are kept.
    pub(super) fn build(blocker: &Blocker, p: &Prepared, left_len: Option<usize>) -> Self {
        let n = p.len();
        let r_count = blocker.rule_count();
        let max_block = blocker.max_block_size();
        let mut keys = vec![0u64; n * r_count];
        let mut buf = Vec::with_capacity(64);
        for i in 0..n {
            for r in 0..r_count {
                keys[i * r_count + r] = blocker.key(r, p, i, &mut buf);
            }
        }
        let mut members = Vec::with_capacity(r_count);
        let mut blocks = Vec::new();
        let mut capped = Vec::new();
        let mut capped_keys = Vec::new();
        for r in 0..r_count {
            let mut entries: Vec<(u64, u32)> = (0..n)
                .filter_map(|i| {
                    let k = keys[i * r_count + r];
                    (k != 0).then_some((k, i as u32))
                })
                .collect();
            entries.sort_unstable();
            let ids: Vec<u32> = entries.iter().map(|e| e.1).collect();
            let mut s = 0;
            while s < entries.len() {
                let key = entries[s].0;
                let mut e = s + 1;
                while e < entries.len() && entries[e].0 == key {
                    e += 1;
                }
                let len = e - s;
                let left = match left_len {
                    Some(l) => ids[s..e].partition_point(|&id| (id as usize) < l),
                    None => len,
                };
                let useful = match left_len {
                    Some(_) => left > 0 && left < len,
                    None => len > 1,
                };
                if useful {
                    if len > max_block {
                        let cause = CapCause::BlockSize;
                        capped.push(Skipped { rule: r, first: ids[s], size: len, cause });
                        capped_keys.push((r, key));
                    } else {
                        blocks.push(Block { rule: r, start: s, len, left });
                    }
                }
                s = e;
            }
            members.push(ids);
        }
        let mut built = Blocks { members, blocks, keys, capped, capped_keys, rules: r_count };
        built.fit_pair_ceiling(blocker.max_candidate_pairs(), left_len.is_some());
        built.capped_keys.sort_unstable();
        built
    }

    /// The key of block `b`.
    fn key_of(&self, b: &Block) -> u64 {
        let first = self.members_of(b)[0] as usize;
        self.keys[first * self.rules + b.rule]
    }

    /// Skips the largest blocks (ties: by rule, then key) until the rest
    /// hold at most `ceiling` pairs, reporting each with
    /// [`CapCause::PairCeiling`]. The order does not depend on the input
    /// order of the records.
    fn fit_pair_ceiling(&mut self, ceiling: u64, link: bool) {
        let pairs = |b: &Block| self.block_pairs(b, link);
        let mut total: u64 = self.blocks.iter().map(pairs).sum();
        if total <= ceiling {
            return;
        }
        let mut order: Vec<(Reverse<u64>, usize, u64, usize)> = self
            .blocks
            .iter()
            .enumerate()
            .map(|(i, b)| (Reverse(pairs(b)), b.rule, self.key_of(b), i))
            .collect();
        order.sort_unstable();
        let mut skip = vec![false; self.blocks.len()];
        for &(Reverse(n), rule, key, i) in &order {
            if total <= ceiling {
                break;
            }
            total -= n;
            skip[i] = true;
            let b = &self.blocks[i];
            let first = self.members_of(b)[0];
            let cause = CapCause::PairCeiling;
            self.capped.push(Skipped { rule, first, size: b.len, cause });
            self.capped_keys.push((rule, key));
        }
        let mut i = 0;
        self.blocks.retain(|_| {
            i += 1;
            !skip[i - 1]
        });
    }

    /// The blocks to expand into pairs.
    pub(crate) fn blocks(&self) -> &[Block] {
        &self.blocks
    }

    /// Number of candidate pairs a block holds, before removing pairs found by earlier rules.
    pub(crate) fn block_pairs(&self, b: &Block, link: bool) -> u64 {
        if link {
            (b.left as u64) * ((b.len - b.left) as u64)
        } else {
            (b.len as u64) * (b.len as u64 - 1) / 2
        }
    }

    /// Number of rules.
    pub(crate) fn rule_count(&self) -> usize {
        self.rules
    }

    /// True when records `i` and `j` share an uncapped block of rule `rule`.
    pub(crate) fn share_block(&self, rule: usize, i: u32, j: u32) -> bool {
        let k = self.keys[i as usize * self.rules + rule];
        k != 0
            && k == self.keys[j as usize * self.rules + rule]
            && self.capped_keys.binary_search(&(rule, k)).is_err()
    }

    /// True when an earlier rule than `rule` already produced the pair (i, j).
    fn seen_before(&self, rule: usize, i: u32, j: u32) -> bool {
        let (ki, kj) = (i as usize * self.rules, j as usize * self.rules);
        (0..rule).any(|r| {
            let k = self.keys[ki + r];
            k != 0 && k == self.keys[kj + r] && self.capped_keys.binary_search(&(r, k)).is_err()
        })
    }

    /// The member record ids of block `b`.
    pub(crate) fn members_of(&self, b: &Block) -> &[u32] {
        &self.members[b.rule][b.start..b.start + b.len]
    }

    /// Calls `f(i, j)` for every pair of block `b` that no earlier rule produced.
    pub(crate) fn for_each_pair(&self, b: &Block, link: bool, mut f: impl FnMut(u32, u32)) {
        let ids = &self.members[b.rule][b.start..b.start + b.len];
        if link {
            let (left, right) = ids.split_at(b.left);
            for &i in left {
                for &j in right {
                    if !self.seen_before(b.rule, i, j) {
                        f(i, j);
                    }
                }
            }
        } else {
            for (x, &i) in ids.iter().enumerate() {
                for &j in &ids[x + 1..] {
                    if !self.seen_before(b.rule, i, j) {
                        f(i, j);
                    }
                }
            }
        }
    }
}
