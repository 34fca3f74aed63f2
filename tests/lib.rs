//! One integration test binary, one module per stage.
#![allow(missing_docs)]

mod normalize;
mod phonetic;
mod synth;
