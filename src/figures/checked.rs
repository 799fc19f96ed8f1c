//! What the check stage found: the plan, the configuration, every report and workbook read,
//! every diagnostic, and the rules that say which of them hold a document back.

use crate::base::diag::{self, has_errors, Diagnostic};
use crate::base::error::Result;
use crate::base::period::{self, Period};
use crate::reading::pieces;
use crate::reading::submission::{Identity, Report};
use crate::seen::{self, Dated};
use crate::setup::config::Config;
use crate::setup::options::Options;
use crate::setup::plan::Plan;

/// What was read and found.
#[derive(Debug)]
pub struct Checked {
    pub plan: Plan,
    pub config: Config,
    pub reports: Vec<Report>,
    /// Every workbook read, with the township and month it says it is for (readable or not).
    pub files: Vec<Identity>,
    pub diagnostics: Vec<Diagnostic>,
    pub files_read: usize,
    /// The pieces (稿件) of every month, left-out ones included.
    pub pieces: Vec<pieces::Piece>,
    /// The 旬 workbooks' reports (duplicates dropped), and every 旬 workbook read.
    pub xun: Vec<crate::reading::submission::XunReport>,
    pub xun_files: Vec<crate::reading::submission::Identity>,
}

impl Checked {
    pub fn has_errors(&self) -> bool {
        has_errors(&self.diagnostics)
    }

    /// Files with at least one error: their townships are 数据待核 in a draft.
    pub fn files_with_errors(&self) -> std::collections::BTreeSet<String> {
        self.diagnostics.iter().filter(|d| d.severity == diag::Severity::Error).map(|d| d.file.clone()).collect()
    }

    /// The date 逾期 is judged on: `--today`, else `today` in `config.yaml`.
    pub fn today(&self, opts: &Options) -> Result<Option<period::Date>> {
        Ok(opts.today.or(self.config.today))
    }

    /// The pieces (稿件) of `period` with errors: they stop its bulletin (a piece of no known
    /// month stops nothing).
    pub fn pieces_blocking(&self, period: Period) -> Vec<String> {
        self.files_with_errors().into_iter().filter(|f| pieces::in_folder(f) && pieces::month_of(f) == Some(period)).collect()
    }

    /// Whether an error stops a document showing `months` (see `blocking`).
    pub fn blocked(&self, months: &[Period]) -> bool {
        !self.blocking(months).is_empty()
    }

    /// The files with errors that stop a document showing `months` (built without `--draft`,
    /// published): each workbook whose report or claim its figures use (`seen::used`: each
    /// township's source at each month, and its last report of earlier years), or the plan.
    /// A workbook whose township or month cannot be known holds back nothing but itself.
    pub fn blocking(&self, months: &[Period]) -> Vec<String> {
        let mut errors = self.files_with_errors();
        errors.retain(|f| !pieces::in_folder(f));
        if errors.contains("plan.yaml") {
            return vec!["plan.yaml".to_string()];
        }
        // Every report, and every workbook that says its township and month but gave no report.
        let unread = self.files.iter().filter(|id| !self.reports.iter().any(|r| r.file == id.file));
        let claims: Vec<Claim> = self
            .reports
            .iter()
            .map(|r| Claim { file: &r.file, township: &r.township, period: r.period })
            .chain(unread.filter_map(|id| Some(Claim { file: &id.file, township: id.township.as_deref()?, period: id.period? })))
            .collect();
        let used: std::collections::BTreeSet<&str> = seen::used(&claims, months).iter().map(|c| c.file).filter(|f| errors.contains(*f)).collect();
        used.into_iter().map(str::to_string).collect()
    }
}

/// A workbook's claim to be a township's report of a month (read or not).
struct Claim<'a> {
    file: &'a str,
    township: &'a str,
    period: Period,
}

impl Dated for Claim<'_> {
    type At = Period;

    fn township(&self) -> &str {
        self.township
    }

    fn period(&self) -> Period {
        self.period
    }
}
