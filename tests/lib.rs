//! One integration test binary, one module per stage.
#![allow(missing_docs)]

mod alloc;
mod bounds;
mod cli;
mod erasure;
mod fuzz;
mod hard_cases;
mod levels;
mod names;
mod normalize;
mod pathological;
mod phonetic;
mod pipeline;
mod props;
mod resolver;
mod sources;
mod strict;
mod support;
mod synth;
mod train;
