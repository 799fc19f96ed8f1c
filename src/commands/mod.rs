//! The commands' work: build, publish and verify (the archive), watch, 结果一览.

pub mod archive;
pub mod build;
pub mod overview;
pub mod watch;
