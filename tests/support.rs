//! Helpers shared by the integration test modules.

use std::collections::BTreeSet;

use personlink::{Config, Linker, Record, Resolver, Schema, SourceRef};

/// A record of `schema` from `system`/`id` with the given raw field values.
pub fn record(schema: &Schema, system: &str, id: &str, values: &[(&str, &str)]) -> Record {
    let mut b = Record::builder(schema, SourceRef::new(system, id));
    for (field, value) in values {
        b = b.set(field, *value).unwrap();
    }
    b.build()
}

/// The positions `0..n` in an order drawn from `seed` (a xorshift Fisher-Yates shuffle).
pub fn shuffled_order(n: usize, seed: u64) -> Vec<usize> {
    let mut order: Vec<usize> = (0..n).collect();
    let mut s = seed | 1;
    for i in (1..n).rev() {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        order.swap(i, (s % (i as u64 + 1)) as usize);
    }
    order
}

/// The kinds serde knows for a tagged enum, read from its error on an unknown tag.
pub fn serde_kinds<T: serde::de::DeserializeOwned>() -> BTreeSet<String> {
    let err = serde_json::from_str::<T>(r#"{"type":"__no_such_kind__"}"#).err().unwrap();
    let message = err.to_string();
    let list = message.split("expected one of").nth(1).expect("serde lists the variants");
    list.split('`').skip(1).step_by(2).map(str::to_owned).collect()
}

/// A partition as a set of sets of source references.
pub type Partition = BTreeSet<BTreeSet<SourceRef>>;

/// The entities a batch run of `config` makes of `records`, as a partition.
pub fn batch_partition(config: &Config, records: &[Record]) -> Partition {
    let result = Linker::new(config.clone()).unwrap().dedupe(records).unwrap();
    result
        .entities
        .iter()
        .map(|e| e.members.iter().map(|&m| records[m].source().clone()).collect())
        .collect()
}

/// The resolver's entities, as a partition.
pub fn resolver_partition(resolver: &Resolver) -> Partition {
    resolver.entities().map(|(_, members)| members.into_iter().collect()).collect()
}
