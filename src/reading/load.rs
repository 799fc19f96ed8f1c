//! Reading the submissions found under the data folder (`inputs::discover` finds them,
//! `inputs::kind` tells what each one is by its bytes).

use rayon::prelude::*;

use crate::base::diag::Diagnostic;
use crate::reading::pieces;
use crate::reading::submission::{self, Identity, Report, XunReport};
use crate::setup::inputs::discover::is_spreadsheet;
use crate::setup::inputs::kind::Kind;
use crate::setup::inputs::{Refused, Submission};
use crate::setup::plan::Plan;

/// Everything read from the submissions.
#[derive(Debug, Default)]
pub struct Loaded {
    pub reports: Vec<Report>,
    /// Every workbook read, with what it says about itself (readable or not), in path order;
    /// 旬 workbooks apart (`xun_files`): they are no month's report.
    pub files: Vec<Identity>,
    /// The 旬 workbooks' reports, and every 旬 workbook read, in path order.
    pub xun: Vec<XunReport>,
    pub xun_files: Vec<Identity>,
    pub diagnostics: Vec<Diagnostic>,
    pub files_read: usize,
}

/// Reads every submission (in parallel, results in path order). A file that cannot be read,
/// or was refused before reading (`refused`: too large, held open, an archive that cannot be
/// unpacked), is an error with what its path says it is, and the rest go on. A file that is
/// no report (by its bytes) and says of itself neither township and month nor a spreadsheet's
/// name is passed over with a note.
pub fn parse_all(files: &[Submission], refused: &[Refused], plan: &Plan) -> Loaded {
    let parsed: Vec<Option<submission::Read>> = files.par_iter().map(|s| read_one(s, plan)).collect();
    let mut loaded = Loaded { files_read: files.len(), ..Loaded::default() };
    for (s, read) in files.iter().zip(parsed) {
        match read {
            Some(read) => loaded.add(read),
            None => loaded.diagnostics.push(passed_over(&s.file.rel, s.kind)),
        }
    }
    for r in refused.iter().filter(|r| !pieces::in_folder(&r.rel)) {
        let identity = Identity::from_path(&r.rel, plan);
        if r.too_large() && !meant_as_report(&r.rel, None, &identity) {
            let msg = format!(
                "文件大小超过报表的上限{}，又不像乡镇报表（文件名没有乡镇和月份），未读取，已跳过。",
                crate::setup::inputs::megabytes(crate::setup::inputs::limits::WORKBOOK)
            );
            loaded.diagnostics.push(Diagnostic::note("N-SKIPPED", &r.rel, msg));
            continue;
        }
        let diagnostic = r.diagnostic();
        let identity = Identity { unreadable: Some(diagnostic.message.clone()), ..identity };
        loaded.add(submission::Read { report: None, xun: None, form: None, identity, diagnostics: vec![diagnostic] });
    }
    loaded.files.sort_by(|a, b| a.file.cmp(&b.file));
    loaded.xun_files.sort_by(|a, b| a.file.cmp(&b.file));
    loaded
}

impl Loaded {
    fn add(&mut self, read: submission::Read) {
        self.reports.extend(read.report);
        self.xun.extend(read.xun);
        if read.form == Some(&submission::XUN) {
            self.xun_files.push(read.identity);
        } else {
            self.files.push(read.identity);
        }
        self.diagnostics.extend(read.diagnostics);
    }
}

/// One file read as a report; none when it is no report and does not claim to be one.
fn read_one(s: &Submission, plan: &Plan) -> Option<submission::Read> {
    let f = &s.file;
    let identity = Identity::from_path(&f.rel, plan);
    meant_as_report(&f.rel, Some(s.kind), &identity).then(|| submission::read_as(s.kind, &f.bytes, &f.rel, plan))
}

/// The one rule for whether a file under the data folder is a report: a spreadsheet by its
/// bytes or its name, a table exported for one (CSV, web page), a file with a password, or
/// any file whose name or folder names a township and a month. Such a file is read or is an
/// error that holds back what depends on it; it is never passed over.
pub fn meant_as_report(rel: &str, kind: Option<Kind>, identity: &Identity) -> bool {
    let table = kind.is_some_and(|k| k.is_workbook() || matches!(k, Kind::Csv | Kind::Html | Kind::Encrypted));
    table || is_spreadsheet(rel) || (identity.township.is_some() && identity.period.is_some())
}

/// N-SKIPPED for a file that is no report.
fn passed_over(rel: &str, kind: Kind) -> Diagnostic {
    let msg = format!("这是{}，不是乡镇报表，已跳过。乡镇报表应为 Excel 或 WPS 表格文件（.xlsx、.xls、.et、.ods），或装有报表的 .zip 压缩包。", kind.label());
    Diagnostic::note("N-SKIPPED", rel, msg)
}
