//! Shared vocabulary of every stage: errors, diagnostics, periods and spans, series, number and text formats, the files built into the program, atomic output.

pub mod bundled;
pub mod diag;
pub mod error;
pub mod format;
pub mod output;
pub mod period;
pub mod series;
pub mod text;
