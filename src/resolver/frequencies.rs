//! Erasure in the model's value frequency tables: a value leaves its table
//! when the last stored record holding it goes.
//!
//! The tables (trained on some data, often the very records the resolver
//! holds) map normalized values to counts, and a snapshot carries them: kept
//! as they are, they would carry an erased person's surname, given name and
//! city for ever. [`HeldValues`] counts, per table, the stored records holding
//! each of its values; when a removal (or an update) takes the count of a
//! value to zero, the value is deleted from the configuration's table and
//! from the preparer's look-up, so no later snapshot holds it.
//!
//! Scoring does not move: a table's total stays, and so does the count of
//! every value a stored record holds, so every stored record keeps the
//! frequency it was prepared with, and the entities still equal those of
//! batch runs on the same records (with the resolver's configuration, or the
//! original one). A record upserted later with a forgotten value weighs it as
//! a value absent from the training data (counted once), as batch does under
//! [`crate::Resolver::config`].

use hashbrown::HashMap;

use crate::config::Config;
use crate::engine::Engine;
use crate::hash::hash64;
use crate::prepare::Prepared;

/// One frequency table the resolver may forget values of.
#[derive(Debug)]
struct Table {
    /// The schema field it counts.
    field: usize,
    /// Its position in the model's `term_frequencies`.
    table: usize,
    /// Hash of a value in the table → stored records holding it (values
    /// outside the table are not counted: there is nothing to forget).
    holders: HashMap<u64, u32>,
}

/// Per frequency table, the stored records holding each of its values, and
/// the values whose last holder just left.
#[derive(Debug, Default)]
pub(super) struct HeldValues {
    tables: Vec<Table>,
    /// (table, value) whose last holder left, forgotten by [`HeldValues::forget_released`].
    released: Vec<(usize, String)>,
}

impl HeldValues {
    /// No value held yet, for the tables `engine` looks frequencies up in.
    pub(super) fn new(config: &Config, engine: &Engine) -> Self {
        let mut tables = Vec::new();
        for (field, def) in config.schema.fields().iter().enumerate() {
            if engine.preparer().frequencies(field).is_none() {
                continue;
            }
            let position = config.model.term_frequencies.iter().position(|t| t.field == def.name);
            if let Some(table) = position {
                tables.push(Table { field, table, holders: HashMap::new() });
            }
        }
        HeldValues { tables, released: Vec::new() }
    }

    /// Counts the values of stored record `s` (just prepared).
    pub(super) fn hold(&mut self, engine: &Engine, prepared: &Prepared, s: usize) {
        for t in &mut self.tables {
            let value = prepared.column(t.field).text(s);
            let known = engine.preparer().frequencies(t.field).is_some_and(|f| f.contains(value));
            if !value.is_empty() && known {
                *t.holders.entry(hash64(value.as_bytes())).or_insert(0) += 1;
            }
        }
    }

    /// Stops counting the values of record `s` (about to be erased); the
    /// values it was the last to hold wait for [`HeldValues::forget_released`].
    pub(super) fn release(&mut self, prepared: &Prepared, s: usize) {
        for (k, t) in self.tables.iter_mut().enumerate() {
            let value = prepared.column(t.field).text(s);
            let hash = hash64(value.as_bytes());
            let Some(count) = t.holders.get_mut(&hash) else { continue };
            *count -= 1;
            if *count == 0 {
                t.holders.remove(&hash);
                self.released.push((k, value.to_owned()));
            }
        }
    }

    /// Deletes from the tables (the configuration's and the preparer's) every
    /// released value no stored record holds again (an update may hold the
    /// value it released), then wipes the released values from memory.
    pub(super) fn forget_released(&mut self, config: &mut Config, engine: &mut Engine) {
        for (k, value) in self.released.drain(..) {
            let t = &self.tables[k];
            if !t.holders.contains_key(&hash64(value.as_bytes())) {
                if let Some(lookup) = engine.preparer_mut().frequencies_mut(t.field) {
                    lookup.forget(&value);
                }
                let model = &mut config.model;
                let field = &model.term_frequencies[t.table].field;
                let entry = model.frequency_entry(field, &value);
                model.term_frequencies[t.table].counts.remove(&entry);
                wipe(entry);
            }
            wipe(value);
        }
    }
}

/// Overwrites a string's bytes with zeros before it is dropped.
fn wipe(value: String) {
    let mut bytes = value.into_bytes();
    bytes.fill(0);
    std::hint::black_box(&bytes);
}
