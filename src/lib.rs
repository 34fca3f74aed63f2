//! # personlink: embeddable identity resolution
//!
//! Companies meet the same person on many channels, and every channel keeps
//! its own customer table. personlink recognises which records, from
//! different systems or duplicated inside one, are the same person, groups
//! them into entities, and says why it decided.
//!
//! ## Data flow
//!
//! ```text
//! Record ──normalize──▶ prepared values, features and keys (once per record)
//!        ──block──────▶ candidate pairs (blocking rules, OR-combined, capped)
//!        ──compare────▶ ComparisonVector (a level per comparison, no allocation)
//!        ──score──────▶ Fellegi-Sunter match weight and probability
//!        ──decide─────▶ accepted links (MergePolicy: thresholds, must-not-link, size cap)
//!        ──cluster────▶ entities (union-find), explanations
//! ```
//!
//! | stage | module | main items |
//! |---|---|---|
//! | records | [`record`] | [`Record`], [`SourceRef`], [`Schema`], [`FieldKind`] |
//! | normalize | [`normalize`] | [`normalize::Normalizer`], [`normalize::Pipeline`], [`normalize::NormalizerSpec`] |
//! | block | [`block`] | [`block::BlockingRule`], [`block::KeyTransform`], [`block::CappedBlock`] |
//! | compare | [`compare`] | [`compare::ComparisonSpec`], [`compare::LevelSpec`], [`compare::ComparisonVector`] |
//! | score | [`model`] | [`model::Model`], [`model::LevelParams`] |
//! | decide and cluster | [`cluster`] | [`cluster::MergePolicy`], [`cluster::UnionFind`] |
//! | explain | [`explain`] | [`Explanation`], [`Decision`] |
//! | run | [`batch`], [`config`] | [`Linker`], [`Config`], [`BatchResult`] |
//! | profile | [`profile`] | [`Profile`], [`profile::person`], [`Config::from_profile`] |
//! | learn | [`train`] | [`Linker::train`], [`train::TrainingOptions`], [`train::TrainingReport`] |
//! | live reference | [`resolver`], [`golden`] | [`Resolver`], [`Resolution`], [`golden::GoldenConfig`], [`Snapshot`] |
#![cfg_attr(
    feature = "synth",
    doc = "| measure | [`eval`], [`synth`] | [`eval::pairwise`], [`synth::generate`] |"
)]
#![cfg_attr(
    not(feature = "synth"),
    doc = "| measure | [`eval`], `synth` (feature `synth`) | [`eval::pairwise`], `synth::generate` |"
)]
//!
//! ## Quick start
//!
//! The example generates its data, which needs the `synth` feature (see
//! [Crate features](#crate-features)); [`Record`] shows how to build records
//! of your own.
//!
//! ```
//! use personlink::synth::{generate, SynthConfig};
//! use personlink::{eval, Config, Linker};
//!
//! // 200 generated people with duplicates across channels, and the truth.
//! let data = generate(&SynthConfig::new(1, 200));
//! let linker = Linker::new(Config::person_default())?;
//! let result = linker.dedupe(&data.records)?;
//! let metrics = eval::pairwise(&result.entity_of, &data.truth);
//! assert!(metrics.precision > 0.9 && metrics.recall > 0.8, "{metrics}");
//! if let Some(link) = result.links.first() {
//!     let why = linker.explain(&data.records[link.a], &data.records[link.b])?;
//!     assert!(why.total_weight >= why.match_threshold);
//! }
//! # Ok::<(), personlink::Error>(())
//! ```
//!
//! ## When to use it
//!
//! Use personlink inside a host application (a CRM back end, a Rust service)
//! that must deduplicate or link person records in batch, keep a live single
//! customer reference up to date record by record ([`Resolver`]), or benchmark
//! matching strategies on data with ground truth. It is a library: no server,
//! no storage of its own, no network.
//!
//! ## Guarantees
//!
//! - Bad input never panics: missing, blank, huge or exotic values are
//!   normalized or treated as missing; raw values are cut at 4 KiB and
//!   normalized values at [`Config::max_value_len`] characters (counted in
//!   the run statistics).
//! - Every input record ends in exactly one entity; the same input and
//!   configuration give the same entities and ids, whatever the input order
//!   (ids follow the first member's position).
//! - Blocks larger than the cap are skipped and reported, never silently.
//!
//! ## Crate features
//!
//! - `synth` (off by default): the `synth` module, a generator of seeded people
//!   with duplicates and ground truth, for tests, benchmarks and demos. The
//!   crate's own tests, examples and benches turn it on; a host that only
//!   matches records does not compile it. Turn it on with
//!   `personlink = { version = "0.1", features = ["synth"] }`.
#![forbid(unsafe_code)]
// Private modules say `pub(crate)`, so `pub` always means public API.
#![warn(unreachable_pub)]

pub mod batch;
pub mod block;
pub mod cluster;
pub mod compare;
pub mod config;
mod engine;
pub mod error;
pub mod eval;
pub mod explain;
pub mod golden;
mod hash;
pub mod household;
mod id;
mod keyed;
pub mod model;
pub mod normalize;
mod parallel;
pub mod phonetic;
mod prepare;
pub mod profile;
pub mod record;
pub mod resolver;
mod score;
#[cfg(feature = "synth")]
pub mod synth;
pub mod train;

pub use batch::{
    BatchResult, Entity, Linker, PreparedRecords, RunStats, ScoredLink, StagedRecords,
};
pub use config::{Config, SourceSettings};
pub use error::{Error, Result};
pub use explain::{Decision, Explanation, ManualDecision};
pub use id::{EntityId, HouseholdId};
pub use profile::Profile;
pub use record::{
    FieldDef, FieldId, FieldKind, Record, RecordBuilder, Schema, SchemaBuilder, SourceRef,
};
pub use resolver::{Candidate, Resolution, Resolver, Snapshot};

#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
