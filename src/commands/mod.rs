//! The commands' work: build, publish and verify (the archive), watch, 结果一览, `init`.

pub mod archive;
pub mod build;
pub mod init;
pub mod overview;
pub mod watch;
