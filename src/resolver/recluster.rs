//! Re-clustering the records a change affects, with the batch rule, and
//! handing out entity ids.

use std::collections::BTreeMap;

use hashbrown::{HashMap, HashSet};

use super::Resolver;
use crate::cluster::{cluster_subset, Edge, Values};
use crate::explain::ManualDecision;
use crate::id::EntityId;
use crate::record::SourceRef;

impl Resolver {
    /// Re-clusters every live record linked (at the match threshold) to an
    /// affected record, or sharing an entity with one, and assigns ids;
    /// `inherited` is an entity a detached record belonged to, which counts as
    /// an old id of the group; `added` is a record just added (not an update,
    /// and no household key of it crossed the cap), whose household may then be
    /// found without a walk. Returns the ids that disappeared and the ids created.
    pub(super) fn recluster(
        &mut self,
        affected: &[u32],
        inherited: Option<EntityId>,
        added: Option<u32>,
    ) -> (Vec<EntityId>, Vec<EntityId>) {
        let match_weight = self.engine.policy().match_weight();
        let mut seen: HashSet<u32> = HashSet::new();
        let mut queue: Vec<u32> =
            affected.iter().copied().filter(|&s| self.records.is_live(s)).collect();
        let mut group = Vec::new();
        while let Some(x) = queue.pop() {
            if !seen.insert(x) {
                continue;
            }
            group.push(x);
            for l in self.links.of(x) {
                if l.weight() >= match_weight && !seen.contains(&l.other()) {
                    queue.push(l.other());
                }
            }
            if let Some(id) = self.entities.group_of(x) {
                queue.extend(
                    self.entities.members(id).iter().copied().filter(|m| !seen.contains(m)),
                );
            }
            for (other, d) in self.decisions_of(x) {
                if *d == ManualDecision::ForceLink {
                    if let Some(o) = self.records.slot_of(other) {
                        if !seen.contains(&o) {
                            queue.push(o);
                        }
                    }
                }
            }
        }
        group.sort_unstable_by(|&a, &b| self.records.source_cmp(a, b));
        let local: HashMap<u32, usize> = group.iter().enumerate().map(|(i, &s)| (s, i)).collect();
        let mut edges: Vec<(f64, u32, u32)> = Vec::new();
        for (i, &x) in group.iter().enumerate() {
            for l in self.links.of(x) {
                if l.weight() >= match_weight {
                    if let Some(&j) = local.get(&l.other()) {
                        if i < j {
                            edges.push((l.weight(), i as u32, j as u32));
                        }
                    }
                }
            }
        }
        // Batch order: strongest first, then by the records' source order (local
        // indices follow source order, and i < j orients each pair the same way).
        edges.sort_unstable_by(|x, y| y.0.total_cmp(&x.0).then(x.1.cmp(&y.1)).then(x.2.cmp(&y.2)));
        // Forced links come first (in source order), then the scored ones;
        // forced splits become tags the clustering checks on every merge.
        let mut forced: Vec<Edge> = Vec::new();
        let mut tags: Vec<Values> = vec![Values::new(); group.len()];
        let mut split_count = 0i64;
        for (i, &x) in group.iter().enumerate() {
            for (other, d) in self.decisions_of(x) {
                let Some(&j) = self.records.slot_of(other).and_then(|o| local.get(&o)) else {
                    continue;
                };
                if i < j {
                    match d {
                        ManualDecision::ForceLink => {
                            forced.push(Edge { a: i as u32, b: j as u32, forced: true })
                        }
                        ManualDecision::ForceSplit => {
                            tags[i].push(2 * split_count);
                            tags[j].push(2 * split_count + 1);
                            split_count += 1;
                        }
                    }
                }
            }
        }
        forced.sort_unstable_by_key(|e| (e.a, e.b));
        forced.extend(edges.iter().map(|&(_, a, b)| Edge { a, b, forced: false }));
        let edges = forced;
        let clustering = cluster_subset(
            group.len(),
            &edges,
            self.engine.policy(),
            &self.prepared,
            |i| group[i] as usize,
            |i| tags[i].clone(),
        );
        let mut uf = clustering.uf;
        let mut parts: BTreeMap<usize, Vec<u32>> = BTreeMap::new();
        for (i, &s) in group.iter().enumerate() {
            parts.entry(uf.find(i)).or_default().push(s);
        }
        let mut parts: Vec<Vec<u32>> = parts.into_values().collect();
        // Largest part first; among equals, the one whose first record comes first.
        parts.sort_by(|a, b| {
            b.len().cmp(&a.len()).then_with(|| self.records.source_cmp(a[0], b[0]))
        });
        let (merged, created) = self.entities.reassign(&parts, inherited);
        // A new record that only joined an entity (or made its own) joins at
        // most one household: no walk is needed unless it links several.
        let only_grew = |s: u32| {
            merged.is_empty() && created.iter().all(|&id| Some(id) == self.entities.group_of(s))
        };
        match added.filter(|&s| only_grew(s)) {
            Some(s) if self.house_added(s) => {}
            _ => self.rehouse(&group),
        }
        (merged, created)
    }

    /// The manual decisions on live slot `x`'s record.
    fn decisions_of(&self, x: u32) -> &[(SourceRef, ManualDecision)] {
        // Most resolvers hold no decision: skip building and hashing the source then.
        if self.decisions.is_empty() {
            return &[];
        }
        self.decisions.of(self.records.live_source(x))
    }
}
