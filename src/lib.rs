//! jianbao: township workbooks in, official Chinese bulletins out.
//!
//! One folder per stage of the pipeline, lowest first (src/README.md gives the order and what
//! each may import): `base` (shared vocabulary) → `setup` (plan, configuration, input files) →
//! `reading` (workbooks and pieces) → `seen` → `validate` → `figures` → `office` (board,
//! workbooks we write) → `render` (Typst, PDF, OFD) → `check` → `documents` (the kinds of
//! document) → `commands` (build, archive, watch, 结果一览).

pub mod base;
pub mod check;
pub mod figures;
pub mod office;
pub mod reading;
pub mod seen;
pub mod setup;
pub mod validate;

#[cfg(feature = "render")]
pub mod commands;
#[cfg(feature = "render")]
pub mod documents;
#[cfg(feature = "render")]
pub mod render;

// The public API keeps each module's own name (`jianbao::period::Period`).
pub use base::{bundled, diag, error, format, output, period, series, text};
#[cfg(feature = "render")]
pub use commands::build::{build, build_in, build_with, cache, plan_documents, plan_in, Built, Planned, Progress, Quiet};
#[cfg(feature = "render")]
pub use commands::{archive, init, overview, watch};
pub use figures::{aggregate, checked, report};
pub use office::{excel, forms, status};
pub use reading::{load, pieces, submission};
pub use setup::{config, inputs, options, plan, sample};

pub use check::{check, templates};
pub use checked::Checked;
pub use options::Options;
