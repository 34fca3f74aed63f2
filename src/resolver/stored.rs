//! How one record is kept: a compact stored record, its source system
//! interned once for all records, and a borrowed view of its source reference.

use hashbrown::HashMap;

use crate::record::{Record, SourceRef};

/// A stored record's source reference, borrowed: its system (from the
/// resolver's system table) and id. Orders, compares and hashes as the
/// [`SourceRef`] it stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(super) struct SourceView<'a> {
    // Field order is the ordering: system first, then id, as `SourceRef`.
    /// The source system.
    system: &'a str,
    /// The id within the system.
    id: &'a str,
}

impl<'a> SourceView<'a> {
    /// The view of an owned source reference.
    pub(super) fn of(source: &'a SourceRef) -> Self {
        SourceView { system: &source.system, id: &source.id }
    }

    /// The source system.
    pub(super) fn system(self) -> &'a str {
        self.system
    }

    /// The id within the system.
    pub(super) fn id(self) -> &'a str {
        self.id
    }

    /// The owned source reference.
    pub(super) fn to_owned(self) -> SourceRef {
        SourceRef::new(self.system, self.id)
    }
}

impl hashbrown::Equivalent<SourceRef> for SourceView<'_> {
    fn equivalent(&self, key: &SourceRef) -> bool {
        self.system == key.system && self.id == key.id
    }
}

/// The source systems seen so far, each stored once: records keep an index.
#[derive(Debug, Default)]
pub(super) struct Systems {
    /// Index → name.
    names: Vec<Box<str>>,
    /// Name → index.
    index: HashMap<Box<str>, u32>,
}

impl Systems {
    /// The index of system `name`, added on first sight.
    pub(super) fn intern(&mut self, name: &str) -> u32 {
        if let Some(&i) = self.index.get(name) {
            return i;
        }
        let i = self.names.len() as u32;
        self.names.push(name.into());
        self.index.insert(name.into(), i);
        i
    }

    /// The name of system `i`.
    pub(super) fn name(&self, i: u32) -> &str {
        &self.names[i as usize]
    }
}

/// A record kept compactly in one allocation: the end offset of each value
/// (little-endian `u32`s), then the id, then the values, with a bit per present
/// value and the system as an index into [`Systems`].
#[derive(Debug, Clone)]
pub(super) struct StoredRecord {
    /// The source system, an index into [`Systems`].
    system: u32,
    /// The id's length in bytes.
    id_len: u32,
    /// Number of fields.
    fields: u8,
    /// The first 16 bytes of the id, big-endian and zero-padded: when two keys
    /// differ they order the ids as the ids themselves do, so most comparisons
    /// of records from one system never read `data`.
    order: u128,
    /// When the record was observed, if known.
    observed_at: Option<i64>,
    /// Value ends, id, values.
    data: Box<[u8]>,
    /// Bit `f` set: field `f` has a value.
    present: u64,
}

impl StoredRecord {
    /// `record`, kept compactly, with its system already interned as `system`.
    pub(super) fn new(record: &Record, system: u32) -> Self {
        let fields = record.len();
        let id = record.source().id.as_bytes();
        let values_len: usize = record.values().iter().flatten().map(String::len).sum();
        let mut data = Vec::with_capacity(4 * fields + id.len() + values_len);
        data.resize(4 * fields, 0);
        data.extend_from_slice(id);
        let mut present = 0u64;
        for (f, v) in record.values().iter().enumerate() {
            if let Some(v) = v {
                data.extend_from_slice(v.as_bytes());
                present |= 1 << f;
            }
            let end = u32::try_from(data.len()).unwrap_or(u32::MAX);
            data[4 * f..4 * f + 4].copy_from_slice(&end.to_le_bytes());
        }
        let mut key = [0u8; 16];
        for (k, b) in key.iter_mut().zip(id) {
            *k = *b;
        }
        StoredRecord {
            system,
            fields: fields as u8,
            id_len: u32::try_from(id.len()).unwrap_or(u32::MAX),
            order: u128::from_be_bytes(key),
            observed_at: record.observed_at(),
            data: data.into_boxed_slice(),
            present,
        }
    }

    /// Number of fields.
    fn len(&self) -> usize {
        usize::from(self.fields)
    }

    /// The end offset of field `f`'s value in `data`.
    fn end(&self, f: usize) -> usize {
        let b = &self.data[4 * f..4 * f + 4];
        u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize
    }

    /// The id's bytes.
    pub(super) fn id(&self) -> &[u8] {
        let start = 4 * self.len();
        &self.data[start..start + self.id_len as usize]
    }

    /// The name of the record's source system.
    pub(super) fn system<'a>(&self, systems: &'a Systems) -> &'a str {
        systems.name(self.system)
    }

    /// The id prefix that orders most pairs: read to bring the record's header
    /// into the cache.
    #[inline]
    pub(super) fn order_prefix(&self) -> u128 {
        self.order
    }

    /// Field `f`'s raw value.
    fn value(&self, f: usize) -> Option<&str> {
        if self.present >> f & 1 == 0 {
            return None;
        }
        let start = if f == 0 { 4 * self.len() + self.id_len as usize } else { self.end(f - 1) };
        // Built from `&str`s, so the slice is valid UTF-8.
        std::str::from_utf8(&self.data[start..self.end(f)]).ok()
    }

    /// True when `record` holds exactly this record's values and observation time
    /// (the source is the caller's to check).
    pub(super) fn same_as(&self, record: &Record) -> bool {
        self.observed_at == record.observed_at()
            && record.len() == self.len()
            && record.values().iter().enumerate().all(|(f, v)| v.as_deref() == self.value(f))
    }

    /// True when this record's source reference is `source`.
    pub(super) fn is_from(&self, source: &SourceRef, systems: &Systems) -> bool {
        self.id() == source.id.as_bytes() && systems.name(self.system) == source.system
    }

    /// The record's source reference.
    pub(super) fn source<'a>(&'a self, systems: &'a Systems) -> SourceView<'a> {
        // Built from a `&str`, so the id is valid UTF-8.
        SourceView {
            system: systems.name(self.system),
            id: std::str::from_utf8(self.id()).unwrap_or(""),
        }
    }

    /// The record, owned again.
    pub(super) fn to_record(&self, systems: &Systems) -> Record {
        let values = (0..self.len()).map(|f| self.value(f).map(str::to_owned)).collect();
        Record::from_parts(self.source(systems).to_owned(), self.observed_at, values)
    }

    /// Orders two stored records as their source references do, reading their
    /// data only when system and id prefix do not decide.
    pub(super) fn source_cmp(&self, other: &StoredRecord, systems: &Systems) -> std::cmp::Ordering {
        if self.system != other.system {
            systems.name(self.system).cmp(systems.name(other.system))
        } else if self.order != other.order {
            self.order.cmp(&other.order)
        } else {
            self.id().cmp(other.id())
        }
    }
}
