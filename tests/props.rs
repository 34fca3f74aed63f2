//! Properties: symmetric scores, order-independent clustering, one entity per record.

use personlink::synth::{generate, SynthConfig};
use personlink::{Config, Linker, Record};
use proptest::prelude::*;

use crate::support::shuffled_order;

fn partition(entity_of: &[personlink::EntityId], order: &[usize]) -> Vec<Vec<usize>> {
    // Re-express each entity as the sorted original positions of its members.
    let mut groups: std::collections::BTreeMap<u64, Vec<usize>> = Default::default();
    for (pos, e) in entity_of.iter().enumerate() {
        groups.entry(e.get()).or_default().push(order[pos]);
    }
    let mut out: Vec<Vec<usize>> = groups
        .into_values()
        .map(|mut g| {
            g.sort_unstable();
            g
        })
        .collect();
    out.sort();
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(12))]

    #[test]
    fn clustering_is_independent_of_input_order(seed in 0u64..1000, shuffle_seed in any::<u64>()) {
        let data = generate(&SynthConfig::new(seed, 150));
        let linker = Linker::new(Config::person_default()).unwrap();
        let base = linker.dedupe(&data.records).unwrap();
        let identity: Vec<usize> = (0..data.records.len()).collect();
        let order = shuffled_order(data.records.len(), shuffle_seed);
        let shuffled: Vec<Record> = order.iter().map(|&i| data.records[i].clone()).collect();
        let other = linker.dedupe(&shuffled).unwrap();
        prop_assert_eq!(partition(&base.entity_of, &identity), partition(&other.entity_of, &order));
    }

    #[test]
    fn pair_scores_are_symmetric(seed in 0u64..10_000, i in 0usize..64, j in 0usize..64) {
        let data = generate(&SynthConfig::new(seed, 40));
        let n = data.records.len();
        let (a, b) = (&data.records[i % n], &data.records[j % n]);
        let linker = Linker::new(Config::person_default()).unwrap();
        let ab = linker.explain(a, b).unwrap();
        let ba = linker.explain(b, a).unwrap();
        prop_assert_eq!(ab.total_weight, ba.total_weight);
        for (x, y) in ab.fields.iter().zip(&ba.fields) {
            prop_assert_eq!(x.level, y.level, "field {}", x.field);
        }
    }

    #[test]
    fn every_record_is_in_exactly_one_entity(seed in any::<u64>(), people in 0usize..120) {
        let data = generate(&SynthConfig::new(seed, people));
        let r = Linker::new(Config::person_default()).unwrap().dedupe(&data.records).unwrap();
        let mut count = vec![0; data.records.len()];
        for e in &r.entities {
            for &m in &e.members { count[m] += 1; }
        }
        prop_assert!(count.iter().all(|&c| c == 1));
    }
}
