//! personlink: embeddable identity resolution.
#![forbid(unsafe_code)]

pub mod error;
pub mod normalize;
pub mod phonetic;
pub mod record;
pub mod synth;

pub use error::{Error, Result};
pub use record::{FieldDef, FieldId, FieldKind, Record, RecordBuilder, Schema, SchemaBuilder, SourceRef};
