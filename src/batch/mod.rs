//! Batch resolution: deduplicate one dataset or link two.
//!
//! [`Linker`] compiles a [`Config`](crate::Config) once, then runs the whole flow —
//! normalize, block, compare, score, decide, cluster — over a dataset
//! ([`Linker::dedupe`]) or a pair of datasets ([`Linker::link`], cross pairs
//! only). The compare and score stage runs on scoped standard-library
//! threads (one per core by default): blocks are independent, the pair loop
//! is CPU-bound and allocation-free, and threads pull blocks, largest first,
//! from a shared counter, so no extra dependency is needed to keep both
//! cores busy.
//!
//! ```
//! use personlink::{Config, Linker, Record, Schema, SourceRef};
//!
//! let config = Config::person_default();
//! let schema = config.schema.clone();
//! let person = |system: &str, id: &str, given: &str, surname: &str, dob: &str| -> personlink::Result<Record> {
//!     Ok(Record::builder(&schema, SourceRef::new(system, id))
//!         .set("given_name", given)?
//!         .set("surname", surname)?
//!         .set("date_of_birth", dob)?
//!         .set("postcode", "75011")?
//!         .build())
//! };
//! let records = vec![
//!     person("web", "1", "François", "Lefèvre", "1980-02-01")?,
//!     person("shop", "A7", "FRANCOIS", "LEFEVRE", "01/02/1980")?,
//!     person("crm", "9", "Marie", "Curie", "1967-11-07")?,
//! ];
//! let linker = Linker::new(config)?;
//! let result = linker.dedupe(&records)?;
//! assert_eq!(result.entities.len(), 2);
//! assert_eq!(result.entity_of[0], result.entity_of[1]);
//! assert_ne!(result.entity_of[0], result.entity_of[2]);
//! println!("{}", linker.explain(&records[0], &records[1])?);
//! # Ok::<(), personlink::Error>(())
//! ```

mod candidates;
mod linker;
mod result;
mod staging;

pub(crate) use candidates::{visit_candidates, Staged};
pub use linker::Linker;
pub use result::{
    BatchResult, Entity, PreparedRecords, RefusedLink, RunStats, ScoredLink, StageTimings,
};
pub use staging::StagedRecords;
