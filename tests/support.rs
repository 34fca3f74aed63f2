//! Helpers shared by the integration test modules.

use personlink::{Record, Schema, SourceRef};

/// A record of `schema` from `system`/`id` with the given raw field values.
pub fn record(schema: &Schema, system: &str, id: &str, values: &[(&str, &str)]) -> Record {
    let mut b = Record::builder(schema, SourceRef::new(system, id));
    for (field, value) in values {
        b = b.set(field, *value).unwrap();
    }
    b.build()
}
