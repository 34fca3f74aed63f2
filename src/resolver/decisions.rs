//! The data stewards' manual decisions: per source reference, the other
//! sources it was forcibly linked to or split from.
//!
//! Decisions are about sources, not slots: they survive updates of their
//! records (which move them to new slots) and go only when a record is removed.

use hashbrown::HashMap;

use super::stored::SourceView;
use crate::explain::ManualDecision;
use crate::record::SourceRef;

/// Source → (other source, decision), kept in both directions, at most one
/// decision per pair.
#[derive(Debug, Default)]
pub(super) struct Decisions {
    /// Source → its decisions (no empty list is kept).
    by_source: HashMap<SourceRef, Vec<(SourceRef, ManualDecision)>>,
}

impl Decisions {
    /// Number of decided pairs.
    pub(super) fn len(&self) -> usize {
        self.by_source.values().map(Vec::len).sum::<usize>() / 2
    }

    /// The decision on `a` and `b`, if any.
    pub(super) fn get(&self, a: &SourceRef, b: &SourceRef) -> Option<ManualDecision> {
        self.by_source.get(a)?.iter().find(|(o, _)| o == b).map(|&(_, d)| d)
    }

    /// Records `d` on `a` and `b`, replacing any earlier decision on the pair.
    pub(super) fn set(&mut self, a: SourceRef, b: SourceRef, d: ManualDecision) {
        for (x, y) in [(a.clone(), b.clone()), (b, a)] {
            let list = self.by_source.entry(x).or_default();
            list.retain(|(o, _)| *o != y);
            list.push((y, d));
        }
    }

    /// True when no decision is recorded.
    pub(super) fn is_empty(&self) -> bool {
        self.by_source.is_empty()
    }

    /// The decisions on `source`'s record.
    pub(super) fn of(&self, source: SourceView<'_>) -> &[(SourceRef, ManualDecision)] {
        self.by_source.get(&source).map_or(&[], Vec::as_slice)
    }

    /// Erases every decision on `source`; returns the other sources they were about.
    pub(super) fn erase(&mut self, source: &SourceRef) -> Vec<SourceRef> {
        let Some(list) = self.by_source.remove(source) else { return Vec::new() };
        list.into_iter()
            .map(|(other, _)| {
                if let Some(theirs) = self.by_source.get_mut(&other) {
                    theirs.retain(|(o, _)| o != source);
                    if theirs.is_empty() {
                        self.by_source.remove(&other);
                    }
                }
                other
            })
            .collect()
    }

    /// Every decided pair once, `a < b`, sorted.
    pub(super) fn pairs(&self) -> Vec<(SourceRef, SourceRef, ManualDecision)> {
        let mut pairs: Vec<(SourceRef, SourceRef, ManualDecision)> = self
            .by_source
            .iter()
            .flat_map(|(a, list)| {
                list.iter()
                    .filter(move |(b, _)| a < b)
                    .map(move |(b, d)| (a.clone(), b.clone(), *d))
            })
            .collect();
        pairs.sort();
        pairs
    }
}
