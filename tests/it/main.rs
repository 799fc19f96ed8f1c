//! The integration tests: one binary, one module per area, so that the typst stack is linked once.
//! Each module's own `//!` line says what it covers; `common` holds the fixtures' helpers.

mod aggregate;
mod another_county;
mod archive;
mod archive_rules;
mod cli;
mod codes;
mod common;
mod draft;
mod end_to_end;
mod fonts;
mod formats;
mod forms;
mod geometry;
mod glyphs;
mod hostile;
mod incremental;
mod install;
mod judgments;
mod keep_typst;
mod layout;
mod numbering;
mod ofd;
mod office;
mod pieces;
mod publish_crash;
mod reader;
mod resources;
mod rules;
mod snapshots;
mod status;
mod stray_files;
mod township_files;
mod windows_desk;
mod yearly;
mod years;
