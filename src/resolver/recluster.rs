//! Re-clustering the records a change affects, with the batch rule, and
//! handing out entity ids.

use std::collections::{BTreeMap, BTreeSet};

use hashbrown::{HashMap, HashSet};

use super::Resolver;
use crate::cluster::{cluster_subset, Edge, Values};
use crate::explain::ManualDecision;
use crate::id::EntityId;

impl Resolver {
    /// Re-clusters every live record linked (at the match threshold) to an
    /// affected record, or sharing an entity with one, and assigns ids.
    /// Returns the ids that disappeared and the ids created.
    pub(super) fn recluster(
        &mut self,
        affected: &[u32],
        extra_old: &[u64],
    ) -> (Vec<EntityId>, Vec<EntityId>) {
        let match_weight = self.engine.policy().match_weight();
        let mut seen: HashSet<u32> = HashSet::new();
        let mut queue: Vec<u32> =
            affected.iter().copied().filter(|&s| self.slots[s as usize].record.is_some()).collect();
        let mut group = Vec::new();
        while let Some(x) = queue.pop() {
            if !seen.insert(x) {
                continue;
            }
            group.push(x);
            for l in &self.links[x as usize] {
                if l.weight >= match_weight && !seen.contains(&l.other) {
                    queue.push(l.other);
                }
            }
            if let Some(members) = self.entities.get(&self.slots[x as usize].entity) {
                queue.extend(members.iter().copied().filter(|m| !seen.contains(m)));
            }
            for (other, d) in self.decisions_of(x) {
                if *d == ManualDecision::ForceLink {
                    if let Some(o) = self.by_source.get(other, self.store()) {
                        if !seen.contains(&o) {
                            queue.push(o);
                        }
                    }
                }
            }
        }
        group.sort_unstable_by(|&a, &b| self.source_cmp(a, b));
        let local: HashMap<u32, usize> = group.iter().enumerate().map(|(i, &s)| (s, i)).collect();
        let mut edges: Vec<(f64, u32, u32)> = Vec::new();
        for (i, &x) in group.iter().enumerate() {
            for l in &self.links[x as usize] {
                if l.weight >= match_weight {
                    if let Some(&j) = local.get(&l.other) {
                        if i < j {
                            edges.push((l.weight, i as u32, j as u32));
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
                let Some(&j) = self.by_source.get(other, self.store()).and_then(|o| local.get(&o))
                else {
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
        parts.sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| self.source_cmp(a[0], b[0])));
        let mut old: BTreeSet<u64> =
            group.iter().map(|&s| self.slots[s as usize].entity).filter(|&e| e != 0).collect();
        old.extend(extra_old.iter().copied().filter(|&e| e != 0));
        let mut taken: HashSet<u64> = HashSet::new();
        let mut created = Vec::new();
        let mut assigned = Vec::with_capacity(parts.len());
        for part in &parts {
            let mut votes: BTreeMap<u64, usize> = BTreeMap::new();
            for &s in part {
                let e = self.slots[s as usize].entity;
                if e != 0 && !taken.contains(&e) {
                    *votes.entry(e).or_default() += 1;
                }
            }
            // Most members first, then the oldest (smallest) id.
            let id = match votes.iter().max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0))) {
                Some((&id, _)) => id,
                None => {
                    self.next_entity += 1;
                    created.push(EntityId::new(self.next_entity));
                    self.next_entity
                }
            };
            taken.insert(id);
            assigned.push(id);
        }
        for id in &old {
            self.entities.remove(id);
        }
        for (part, &id) in parts.iter().zip(&assigned) {
            for &s in part {
                self.slots[s as usize].entity = id;
            }
            self.entities.insert(id, part.iter().copied().collect());
        }
        let merged =
            old.iter().filter(|id| !taken.contains(*id)).map(|&id| EntityId::new(id)).collect();
        (merged, created)
    }
}
