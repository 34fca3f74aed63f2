//! Preparation: every normalized value and derived feature, computed once.
//!
//! When records enter a run, the [`Preparer`] normalizes them field by field,
//! caps each value's length, and computes the features the compiled
//! comparisons, keys and rules asked for ([`FieldFeatures`]: parsed dates and
//! numbers, token ids, nickname groups, phonetic codes, value frequencies).
//! The result, [`Prepared`], is what blocking, comparing and clustering read;
//! nothing downstream normalizes again.

mod features;
mod frequency;
mod sources;
mod store;

pub(crate) use features::FieldFeatures;
pub(crate) use frequency::FrequencyLookup;
pub(crate) use sources::SourcePipelines;
pub(crate) use store::Prepared;

use crate::error::{Error, Result};
use crate::normalize::{NicknameTable, Pipeline};
use crate::parallel;
use crate::phonetic::PhoneticEncoder;
use crate::record::Record;

/// Below this many records per thread, preparing on more threads does not pay.
const PREPARE_CHUNK_MIN: usize = 4096;

/// What the prepare stage needs to know about one field.
#[derive(Debug, Clone)]
pub(crate) struct FieldPlan {
    /// The field's normalizer chain.
    pub(crate) pipeline: Pipeline,
    /// The features its values carry.
    pub(crate) features: FieldFeatures,
    /// Normalized values are cut to this many characters.
    pub(crate) max_len: usize,
    /// The field's frequency table, when the model carries one.
    pub(crate) frequencies: Option<FrequencyLookup>,
    /// Fields whose raw value's trailing token fills this field when its own
    /// value normalizes to nothing, in order (see [`crate::FieldDef::fallback`]).
    pub(crate) fallback: Vec<usize>,
}

/// Reusable buffers for preparing records one at a time.
#[derive(Debug, Default)]
pub(crate) struct Scratch {
    out: String,
    tmp: String,
}

impl Scratch {
    /// Overwrites every byte the buffers ever held with zeros (their whole
    /// capacity), so nothing of the last record prepared stays in memory.
    pub(crate) fn wipe(&mut self) {
        for buf in [&mut self.out, &mut self.tmp] {
            let capacity = buf.capacity();
            buf.clear();
            buf.extend(std::iter::repeat_n('\0', capacity));
            buf.clear();
        }
    }
}

/// The prepare stage, compiled: each field's plan, the pipelines of the source
/// systems that have settings of their own, the phonetic encoders and the
/// nickname table.
#[derive(Debug)]
pub(crate) struct Preparer {
    plans: Vec<FieldPlan>,
    sources: SourcePipelines,
    encoder: PhoneticEncoder,
    nicknames: NicknameTable,
    threads: usize,
}

impl Preparer {
    /// A preparer of records with one plan per schema field (whose pipeline
    /// `sources` replaces for the records of some systems), preparing large
    /// inputs on `threads` threads.
    pub(crate) fn new(
        plans: Vec<FieldPlan>,
        sources: SourcePipelines,
        nicknames: NicknameTable,
        threads: usize,
    ) -> Self {
        Preparer { plans, sources, encoder: PhoneticEncoder::new(), nicknames, threads }
    }

    /// Number of fields of the records it prepares.
    pub(crate) fn field_count(&self) -> usize {
        self.plans.len()
    }

    /// The phonetic encoders (for rendering codes as text).
    pub(crate) fn encoder(&self) -> &PhoneticEncoder {
        &self.encoder
    }

    /// Field `f`'s value frequencies, when the model has its table.
    pub(crate) fn frequencies(&self, f: usize) -> Option<&FrequencyLookup> {
        self.plans.get(f)?.frequencies.as_ref()
    }

    /// Field `f`'s value frequencies, to forget values the resolver erased.
    pub(crate) fn frequencies_mut(&mut self, f: usize) -> Option<&mut FrequencyLookup> {
        self.plans.get_mut(f)?.frequencies.as_mut()
    }

    /// An empty store for these records.
    pub(crate) fn empty(&self) -> Prepared {
        Prepared::new(&self.plans)
    }

    /// Checks that `record` has one value per field.
    ///
    /// # Errors
    /// [`Error::Arity`] when it does not.
    pub(crate) fn check(&self, record: &Record) -> Result<()> {
        if record.len() == self.plans.len() {
            return Ok(());
        }
        Err(Error::Arity {
            source_ref: record.source().to_string(),
            expected: self.plans.len(),
            found: record.len(),
        })
    }

    /// Normalizes `record` (whose arity is checked) and appends it to `p`.
    pub(crate) fn push(&self, p: &mut Prepared, record: &Record, scratch: &mut Scratch) {
        p.push(record, self, scratch);
    }

    /// Prepares records, checking each one's arity. Large inputs are prepared
    /// in contiguous chunks on the preparer's threads and appended in order, so
    /// the result does not depend on the thread count.
    ///
    /// # Errors
    /// [`Error::Arity`] for the first record that does not fit the schema.
    pub(crate) fn prepare<'r>(
        &self,
        records: impl IntoIterator<Item = &'r Record>,
    ) -> Result<Prepared> {
        let records: Vec<&Record> = records.into_iter().collect();
        for r in &records {
            self.check(r)?;
        }
        let threads = self.threads.clamp(1, records.len().div_ceil(PREPARE_CHUNK_MIN).max(1));
        if threads == 1 {
            return Ok(self.prepare_checked(&records));
        }
        let chunk = records.len().div_ceil(threads);
        let chunks: Vec<&[&Record]> = records.chunks(chunk).collect();
        let mut parts: Vec<(usize, Prepared)> = parallel::run(threads, chunks.len(), |jobs| {
            let mut done = Vec::new();
            while let Some(c) = jobs.next() {
                done.push((c, self.prepare_checked(chunks[c])));
            }
            done
        })
        .into_iter()
        .flatten()
        .collect();
        parts.sort_unstable_by_key(|&(c, _)| c);
        let mut parts = parts.into_iter().map(|(_, p)| p);
        let mut out = parts.next().unwrap_or_else(|| self.empty());
        for part in parts {
            out.append(part);
        }
        Ok(out)
    }

    /// The features each field's prepared values carry, in field order.
    pub(crate) fn features(&self) -> impl Iterator<Item = &FieldFeatures> {
        self.plans.iter().map(|p| &p.features)
    }

    /// Gives every record of `p` (prepared by a preparer with the same
    /// features, perhaps under another model) the value frequencies of this
    /// preparer's model.
    pub(crate) fn refill_frequencies(&self, p: &mut Prepared) {
        for (f, plan) in self.plans.iter().enumerate() {
            match &plan.frequencies {
                Some(lookup) => p.refill_frequencies(f, |v| lookup.frequency(v)),
                None => p.refill_frequencies(f, |_| 0.0),
            }
        }
    }

    /// Prepares records whose arity is already checked, on this thread.
    fn prepare_checked(&self, records: &[&Record]) -> Prepared {
        let mut p = self.empty();
        p.reserve(records.len());
        let mut scratch = Scratch::default();
        for r in records {
            p.push(r, self, &mut scratch);
        }
        p
    }
}
