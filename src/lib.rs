//! jianbao: township workbooks in, official Chinese bulletins out.
//!
//! The pipeline, one stage per module: `plan` (reference data) and `load`/`submission`
//! (workbooks) → `validate` → `aggregate` (pure figures) → `render` (Typst) → `output`.

pub mod aggregate;
pub mod bundled;
pub mod check;
pub mod checked;
pub mod config;
pub mod diag;
pub mod error;
pub mod inputs;
pub mod load;
pub mod options;
pub mod output;
pub mod period;
pub mod pieces;
pub mod plan;
#[cfg(feature = "render")]
pub mod render;
pub mod report;
pub mod sample;
pub mod seen;
pub mod series;
pub mod status;
pub mod submission;
pub mod text;
pub mod validate;

#[cfg(feature = "render")]
pub mod archive;
#[cfg(feature = "render")]
mod build;
#[cfg(feature = "render")]
pub mod cache;
#[cfg(feature = "render")]
pub mod documents;
pub mod excel;
pub mod format;
pub mod forms;
pub mod init;
#[cfg(feature = "render")]
pub mod overview;
#[cfg(feature = "render")]
pub mod watch;
#[cfg(feature = "render")]
pub use build::{build, build_with, plan_documents, Built, Planned, Progress, Quiet};

pub use check::{check, templates};
pub use checked::Checked;
pub use options::Options;
