//! Reading the submissions found under the data folder (`inputs::discover` finds them).

use rayon::prelude::*;

use crate::diag::Diagnostic;
use crate::inputs::{File, Refused};
use crate::pieces;
use crate::plan::Plan;
use crate::submission::{self, Identity, Report};

/// Everything read from the submissions.
#[derive(Debug, Default)]
pub struct Loaded {
    pub reports: Vec<Report>,
    /// Every workbook read, with what it says about itself (readable or not), in path order.
    pub files: Vec<Identity>,
    pub diagnostics: Vec<Diagnostic>,
    pub files_read: usize,
}

/// Reads every workbook (in parallel, results in path order); a file that cannot be read, or
/// was refused before reading (`refused`: too large, held open), is a diagnostic with what its
/// path says it is, and the rest go on.
pub fn parse_all(files: &[File], refused: &[Refused], plan: &Plan) -> Loaded {
    let parsed: Vec<_> = files.par_iter().map(|f| submission::read(&f.bytes, &f.rel, plan)).collect();
    let unread = refused.iter().filter(|r| !pieces::in_folder(&r.rel)).map(|r| submission::Read {
        report: None,
        identity: Identity::from_path(&r.rel, plan),
        diagnostics: vec![r.diagnostic()],
    });
    let mut loaded = Loaded { files_read: files.len(), ..Loaded::default() };
    for read in parsed.into_iter().chain(unread) {
        loaded.reports.extend(read.report);
        loaded.files.push(read.identity);
        loaded.diagnostics.extend(read.diagnostics);
    }
    loaded.files.sort_by(|a, b| a.file.cmp(&b.file));
    loaded
}
