//! How the resolver keeps records: compact stored records, interned source
//! systems, the source index, slots and links.

use hashbrown::HashMap;

use crate::hash::Fnv64;
use crate::record::{Record, SourceRef};

/// A scored link between two stored records.
#[derive(Debug, Clone, Copy)]
pub(super) struct Link {
    pub(super) other: u32,
    pub(super) weight: f64,
    /// The rules under which the pair shares an uncapped block.
    pub(super) rules: u32,
}

/// A stored record's source reference, borrowed: its system (from the
/// resolver's system table) and id. Orders, compares and hashes as the
/// [`SourceRef`] it stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(super) struct SourceView<'a> {
    pub(super) system: &'a str,
    pub(super) id: &'a str,
}

impl<'a> SourceView<'a> {
    pub(super) fn of(source: &'a SourceRef) -> Self {
        SourceView { system: &source.system, id: &source.id }
    }

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
    names: Vec<Box<str>>,
    index: HashMap<Box<str>, u32>,
}

impl Systems {
    pub(super) fn intern(&mut self, name: &str) -> u32 {
        if let Some(&i) = self.index.get(name) {
            return i;
        }
        let i = self.names.len() as u32;
        self.names.push(name.into());
        self.index.insert(name.into(), i);
        i
    }

    pub(super) fn name(&self, i: u32) -> &str {
        &self.names[i as usize]
    }
}

/// A record kept compactly in one allocation: the end offset of each value
/// (little-endian `u32`s), then the id, then the values, with a bit per present
/// value and the system as an index into [`Systems`].
#[derive(Debug, Clone)]
pub(super) struct StoredRecord {
    system: u32,
    id_len: u32,
    fields: u8,
    /// The first 16 bytes of the id, big-endian and zero-padded: when two keys
    /// differ they order the ids as the ids themselves do, so most comparisons
    /// of records from one system never read `data`.
    pub(super) order: u128,
    observed_at: Option<i64>,
    data: Box<[u8]>,
    present: u64,
}

impl StoredRecord {
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
    pub(super) fn len(&self) -> usize {
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

    /// Field `f`'s raw value.
    pub(super) fn value(&self, f: usize) -> Option<&str> {
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

    pub(super) fn to_record(&self, systems: &Systems) -> Record {
        let values = (0..self.len()).map(|f| self.value(f).map(str::to_owned)).collect();
        Record::from_parts(view(systems, self).to_owned(), self.observed_at, values)
    }
}

/// The source of a stored record.
pub(super) fn view<'a>(systems: &'a Systems, stored: &'a StoredRecord) -> SourceView<'a> {
    // Built from a `&str`, so the id is valid UTF-8.
    SourceView {
        system: systems.name(stored.system),
        id: std::str::from_utf8(stored.id()).unwrap_or(""),
    }
}

/// Orders two stored records as their source references do, reading their
/// data only when system and id prefix do not decide.
pub(super) fn source_order(
    systems: &Systems,
    a: &StoredRecord,
    b: &StoredRecord,
) -> std::cmp::Ordering {
    if a.system != b.system {
        systems.name(a.system).cmp(systems.name(b.system))
    } else if a.order != b.order {
        a.order.cmp(&b.order)
    } else {
        a.id().cmp(b.id())
    }
}

/// Source reference → live slot, without a second copy of the reference: the
/// table holds slot numbers (with 32 bits of their hash, so growing the table
/// reads no record) and compares against the slots' own records.
#[derive(Debug, Default)]
pub(super) struct SourceIndex {
    pub(super) table: hashbrown::HashTable<(u32, u32)>,
}

/// The table hash of an entry, from the 32 hash bits it keeps.
pub(super) fn spread(bits: u32) -> u64 {
    u64::from(bits).wrapping_mul(0x9e37_79b9_7f4a_7c15)
}

/// A stable 32-bit hash of a source reference (FNV-1a over system, a separator and id).
pub(super) fn source_hash(system: &str, id: &[u8]) -> u32 {
    let h = Fnv64::new().write(system.as_bytes()).write(&[0x1f]).write(id).finish();
    (h ^ (h >> 29)) as u32 ^ (h >> 32) as u32
}

/// What the source index reads of the resolver: the slots and the system table.
#[derive(Clone, Copy)]
pub(super) struct Store<'a> {
    pub(super) slots: &'a [Slot],
    pub(super) systems: &'a Systems,
}

impl<'a> Store<'a> {
    pub(super) fn source(&self, s: u32) -> Option<SourceView<'a>> {
        self.slots[s as usize].record.as_ref().map(|r| view(self.systems, r))
    }

    pub(super) fn hash(&self, s: u32) -> u32 {
        self.slots[s as usize]
            .record
            .as_ref()
            .map_or(0, |r| source_hash(self.systems.name(r.system), r.id()))
    }

    /// True when live slot `s` holds `source`'s record.
    pub(super) fn holds(&self, s: u32, source: &SourceRef) -> bool {
        self.slots[s as usize].record.as_ref().is_some_and(|r| {
            r.id() == source.id.as_bytes() && self.systems.name(r.system) == source.system
        })
    }
}

impl SourceIndex {
    pub(super) fn len(&self) -> usize {
        self.table.len()
    }

    pub(super) fn get(&self, source: &SourceRef, store: Store<'_>) -> Option<u32> {
        let bits = source_hash(&source.system, source.id.as_bytes());
        self.table.find(spread(bits), |&(s, h)| h == bits && store.holds(s, source)).map(|e| e.0)
    }

    pub(super) fn contains(&self, source: &SourceRef, store: Store<'_>) -> bool {
        self.get(source, store).is_some()
    }

    /// Makes room for `additional` more sources.
    pub(super) fn reserve(&mut self, additional: usize) {
        self.table.reserve(additional, |&(_, h)| spread(h));
    }

    /// Indexes live slot `s` (its record must be stored).
    pub(super) fn insert(&mut self, s: u32, store: Store<'_>) {
        let bits = store.hash(s);
        self.table.insert_unique(spread(bits), (s, bits), |&(_, h)| spread(h));
    }

    /// Unindexes `source` (call before its slot's record is taken).
    pub(super) fn remove(&mut self, source: &SourceRef, store: Store<'_>) {
        let bits = source_hash(&source.system, source.id.as_bytes());
        if let Ok(entry) =
            self.table.find_entry(spread(bits), |&(s, h)| h == bits && store.holds(s, source))
        {
            entry.remove();
        }
    }
}

#[derive(Debug, Clone)]
pub(super) struct Slot {
    /// The stored record; `None` once removed.
    pub(super) record: Option<StoredRecord>,
    pub(super) entity: u64,
}
