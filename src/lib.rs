//! jianbao: township workbooks in, official Chinese bulletins out.
//!
//! The pipeline, one stage per module: `plan` (reference data) and `load`/`submission`
//! (workbooks) → `validate` → `aggregate` (pure figures) → `render` (Typst) → `output`.

pub mod aggregate;
pub mod bundled;
pub mod config;
pub mod diag;
pub mod error;
pub mod inputs;
pub mod load;
pub mod output;
pub mod period;
pub mod pieces;
pub mod plan;
#[cfg(feature = "render")]
pub mod render;
pub mod report;
pub mod sample;
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
pub mod watch;
#[cfg(feature = "render")]
pub use build::{build, build_with, plan_documents, Built, Planned, Progress, Quiet};

use std::path::{Path, PathBuf};

use config::Config;
use diag::{has_errors, Diagnostic};
use error::Result;
use inputs::Inputs;
use period::Period;
use plan::Plan;
use submission::{Identity, Report};

/// Checked options for a run; the command line is turned into this.
#[derive(Debug, Clone)]
pub struct Options {
    pub data: PathBuf,
    pub out: PathBuf,
    /// Only this month.
    pub period: Option<Period>,
    /// Folders of fonts and templates given on the command line: they win over the data
    /// folder's own and the built-in ones.
    pub fonts: Option<PathBuf>,
    pub templates: Option<PathBuf>,
    /// Render even with data errors, watermarked 草稿.
    pub draft: bool,
    /// Also write each document's Typst sources and data beside its PDF.
    pub keep_typst: bool,
    /// Use the fonts installed on this computer, by the names in `config.yaml`, before the bundled ones.
    pub system_fonts: bool,
    /// Typeset every document even if its inputs are unchanged.
    pub force: bool,
    /// The identity of the program doing the work (its build id): part of every build key and
    /// recorded with every archived document.
    pub program: String,
    /// The date 逾期 is judged on (else `today` in `config.yaml`; never the clock in a document).
    pub today: Option<period::Date>,
    /// The formats given on the command line (`--formats pdf,ofd`); else `config.yaml`'s.
    pub formats: Option<Vec<config::Format>>,
}

impl Options {
    /// Defaults relative to `root`: `data/` and `out/`, the built-in fonts and templates.
    pub fn in_dir(root: &Path) -> Options {
        Options {
            data: root.join("data"),
            out: root.join("out"),
            period: None,
            fonts: None,
            templates: None,
            draft: false,
            keep_typst: false,
            system_fonts: false,
            force: false,
            program: bundled::BUILD_ID.to_string(),
            today: None,
            formats: None,
        }
    }
}

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

    /// The 报送情况 board of the year of `at` (default: the latest month with a workbook),
    /// judged on the documents' date (never the clock).
    pub fn board(&self, opts: &Options, at: Option<Period>) -> Result<Option<status::Board>> {
        let Some(at) = at.or_else(|| status::latest(self)) else { return Ok(None) };
        Ok(Some(status::board(self, at, self.today(opts)?, false)))
    }

    /// Whether an error in a piece (稿件) of `period` stops its bulletin (a piece of no known
    /// month stops nothing).
    pub fn pieces_blocked(&self, period: Period) -> bool {
        self.files_with_errors().iter().any(|f| pieces::in_folder(f) && pieces::month_of(f) == Some(period))
    }

    /// Whether an error stops a document showing `months` (built without `--draft`,
    /// published): an error in a workbook whose report or claim its figures use
    /// (`aggregate::seen::used`: each township's source at each month, and its last report of
    /// earlier years), or in the plan. A workbook whose township or month cannot be known
    /// holds back nothing but itself.
    pub fn blocked(&self, months: &[Period]) -> bool {
        let mut errors = self.files_with_errors();
        errors.retain(|f| !pieces::in_folder(f));
        if errors.contains("plan.yaml") {
            return true;
        }
        // Every report, and every workbook that says its township and month but gave no report.
        let unread = self.files.iter().filter(|id| !self.reports.iter().any(|r| r.file == id.file));
        let claims: Vec<Claim> = self
            .reports
            .iter()
            .map(|r| Claim { file: &r.file, township: &r.township, period: r.period })
            .chain(unread.filter_map(|id| Some(Claim { file: &id.file, township: id.township.as_deref()?, period: id.period? })))
            .collect();
        aggregate::seen::used(&claims, months).iter().any(|c| errors.contains(c.file))
    }
}

/// A workbook's claim to be a township's report of a month (read or not).
struct Claim<'a> {
    file: &'a str,
    township: &'a str,
    period: Period,
}

impl aggregate::Dated for Claim<'_> {
    fn township(&self) -> &str {
        self.township
    }

    fn period(&self) -> Period {
        self.period
    }
}

/// Load and validate: every problem in the data, all at once (including characters that
/// the fonts cannot print). No template is needed.
pub fn check(opts: &Options) -> Result<Checked> {
    let inputs = Inputs::read(&opts.data, &opts.out, opts.templates.as_deref(), opts.fonts.as_deref())?;
    #[cfg(feature = "render")]
    {
        let fonts = render::Fonts::for_run(&inputs, opts.system_fonts)?;
        check_with(&inputs, &fonts)
    }
    #[cfg(not(feature = "render"))]
    check_with(&inputs)
}

/// Writes the blank submission workbooks for `period` (one township, or all) into
/// `out/templates/<YYYY-MM>/<乡镇>.xlsx`, pre-filled from the plan and earlier reports.
pub fn templates(opts: &Options, period: Period, township: Option<&str>) -> Result<Vec<PathBuf>> {
    let checked = check(opts)?;
    let plan = &checked.plan;
    let towns: Vec<&String> = match township {
        Some(t) => match plan.townships.iter().find(|p| p.as_str() == t).or_else(|| plan.township_from_short(t)) {
            Some(p) => vec![p],
            None => {
                let msg = format!("乡镇“{t}”不在规划数据中。可选：{}", plan.townships.join("、"));
                return Err(error::Error::Usage { msg });
            }
        },
        None => plan.townships.iter().collect(),
    };
    let mut batch = output::Batch::default();
    for t in towns {
        let bytes = forms::workbook(plan, &checked.config.office, t, period, &checked.reports)
            .map_err(|e| excel::xlsx_error("空白报表", e))
            .and_then(excel::portable)?;
        batch.add(opts.out.join("templates").join(period.to_string()).join(format!("{t}.xlsx")), bytes);
    }
    batch.commit()
}

pub(crate) fn check_with(inputs: &Inputs, #[cfg(feature = "render")] fonts: &render::Fonts) -> Result<Checked> {
    let plan = Plan::from_bytes(&inputs.plan.bytes).map_err(|msg| error::Error::Plan { path: inputs.plan.path.clone(), msg })?;
    let config = inputs.settings.clone().for_plan(&plan);
    let mut diagnostics = plan::check(&plan);
    diagnostics.extend(inputs.skipped.iter().cloned());
    let loaded = load::parse_all(&inputs.submissions, &inputs.refused, &plan);
    diagnostics.extend(loaded.diagnostics);
    let files = loaded.files;
    let mut reports = loaded.reports;
    diagnostics.extend(validate::validate(&plan, &config, &mut reports));
    let (pieces, notes) = pieces::read(&inputs.pieces, &plan);
    diagnostics.extend(notes);
    diagnostics.extend(inputs.refused.iter().filter(|r| pieces::in_folder(&r.rel)).map(|r| r.diagnostic()));
    diagnostics.extend(pieces::without_bulletin(&pieces, &reports));
    #[cfg(feature = "render")]
    {
        diagnostics.extend(render::coverage::check(fonts.book(), fonts.roles(), &reports));
        diagnostics.extend(render::coverage::check_pieces(fonts.book(), fonts.roles(), &pieces));
        for name in fonts.missing() {
            let msg = format!("本机未安装配置的字体“{name}”，改用附带的 Fandol 字体。");
            diagnostics.push(Diagnostic::note("N-FONT", "config.yaml", msg));
        }
    }
    diagnostics.sort();
    diagnostics.dedup();
    Ok(Checked { plan, config, reports, files, diagnostics, files_read: loaded.files_read, pieces })
}
