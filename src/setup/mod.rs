//! What a run starts from: the plan (reference data), the configuration, the input files found and read (with their limits), the run's options, the sample generator.

pub mod config;
pub mod inputs;
pub mod options;
pub mod plan;
pub mod sample;
