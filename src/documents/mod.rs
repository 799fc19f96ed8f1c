//! The documents a build makes from checked data, kind by kind (`KINDS`): the validation
//! report, a month's 汇总表 and bulletin, a 旬's 旬报 (`xunbao`), a quarter's summary, the year's documents; numbered
//! documents in their series (see `archive::numbering`).
//! Each comes with its figures (JSON) and its Typst sources, ready to typeset; nothing here
//! touches the disk. A file's name says what it is and its period: `2018-03/工作简报-2018年3月`.

use std::collections::{BTreeMap, BTreeSet};

use rayon::prelude::*;
use serde::Serialize;

use crate::base::error::Result;
use crate::base::period::{Period, Quarter, Span};
use crate::figures::aggregate;
use crate::figures::checked::Checked;
use crate::figures::report;
use crate::office::status::Board;
use crate::reading::submission::{Need, Report};
use crate::render::{self, bulletin, Engine, Meta, Prepared};

/// One document: where it goes under the output folder, its sources and its other outputs.
/// A month's 汇总表 is a document of its own with no typeset part: its workbook is its file.
#[derive(Debug, Clone)]
pub struct Document {
    /// The output path without extension, `/`-separated: `2018-03/工作简报`.
    pub id: String,
    pub title: String,
    /// What is typeset into `<id>.pdf` (and `.ofd`); none for a workbook-only document.
    pub prepared: Option<Prepared>,
    /// Files written beside the PDF (`<id>.json`, `数据校验报告.txt`), by path under `out/`.
    pub files: Vec<(String, Vec<u8>)>,
    /// A draft (`build --draft`, a document errors hold back): every file of it says 草稿.
    pub draft: bool,
}

/// How a numbered document is made: its number in its series (第N期), its 签发日期 (else the
/// period's last day), and whether it is a draft, a preview not yet signed (待签发) or a
/// correction of an earlier number.
#[derive(Debug, Clone, Copy, Default)]
pub struct Settings {
    pub draft: bool,
    pub number: u32,
    pub date: Option<(u16, u8, u8)>,
    pub pending: bool,
    pub corrects: Option<u32>,
    /// Declared never to be published (`publish --skip-earlier`): no number.
    pub skipped: bool,
}

impl Settings {
    fn meta(&self, last_day: Period) -> Meta {
        let date = self.date.unwrap_or((last_day.year, last_day.month, last_day.last_day()));
        Meta { number: self.number, date, draft: self.draft, pending: self.pending, corrects: self.corrects, skipped: self.skipped }
    }
}

pub use crate::base::series::Series;

pub mod kinds;
pub mod notices;
pub mod xunbao;
pub use kinds::Kind;

/// Every kind, in the order a build makes them: the program's registry (`kinds::Registry`).
pub const KINDS: kinds::Registry = &[
    &kinds::CheckReport,
    &kinds::MonthTable,
    &kinds::Bulletin,
    &xunbao::Xunbao,
    &kinds::QuarterSummary,
    &kinds::YearSummary,
    &kinds::PlanReport,
    &notices::FundsNotice,
    &notices::PlaceNotice(Need::Before),
    &notices::PlaceNotice(Need::After),
    &notices::NoticeList,
];

/// The data check report's id (and file name).
pub const REPORT_ID: &str = "数据校验报告";

/// `2018-03/工作简报-2018年3月`
pub fn bulletin_id(p: Period) -> String {
    format!("{p}/{}-{}", Series::Bulletin.name(), p.chinese())
}

/// `2018-Q2/季度汇总-2018年第二季度`
pub fn summary_id(q: Quarter) -> String {
    format!("{q}/{}-{}", Series::Summary.name(), q.chinese())
}

/// The validation report, as PDF and text, opening with the 报送情况 board of the latest year;
/// and the board of every year as `<年>/报送情况-<年>年.xlsx`.
pub fn validation_report(engine: &Engine, c: &Checked, boards: &[Board]) -> Result<Document> {
    let xun = crate::office::xun_board::board(c, boards.last().and_then(|b| b.today));
    let prepared = render::report::prepare(engine, c, boards.last(), xun.as_ref());
    let mut files = vec![("数据校验报告.txt".to_string(), report::text(&c.diagnostics, c.files_read).into_bytes())];
    for b in boards {
        files.push((format!("{y}/报送情况-{y}年.xlsx", y = b.year), crate::office::excel::board(b, xun.as_ref())?));
    }
    Ok(Document { id: REPORT_ID.into(), title: REPORT_ID.into(), prepared: Some(prepared), files, draft: false })
}

/// The months with reports.
pub fn months(reports: &[Report]) -> Vec<Period> {
    let all: BTreeSet<Period> = reports.iter().map(|r| r.period).collect();
    all.into_iter().collect()
}

/// The month a document of `span` stands at: its figures are as of this month, and it is
/// dated its last day unless signed on another. A quarter's is its last month with a report.
pub fn stands_at(c: &Checked, span: Span) -> Option<Period> {
    match span {
        Span::Quarter(q) => quarters(&c.reports).into_iter().find(|(x, _)| *x == q).map(|(_, as_of)| as_of),
        other => other.end(),
    }
}

/// The quarters with reports, each with its last month that has a report.
pub fn quarters(reports: &[Report]) -> Vec<(Quarter, Period)> {
    let mut out: BTreeMap<Quarter, Period> = BTreeMap::new();
    for r in reports {
        let last = out.entry(Quarter::of(r.period)).or_insert(r.period);
        *last = (*last).max(r.period);
    }
    out.into_iter().collect()
}

/// The bulletin of `period`.
pub fn bulletin(engine: &Engine, c: &Checked, period: Period, s: Settings) -> Result<Document> {
    let figures = aggregate::month(&c.plan, &c.reports, period, &unverified(c, s));
    let meta = s.meta(period);
    let pieces = crate::reading::pieces::of_month(&c.pieces, period);
    let prepared = bulletin::prepare(engine, &c.config, &c.plan, &figures, &pieces, &meta)?;
    let title = bulletin::title(&c.config, &figures);
    let sent =
        pieces.iter().map(|p| SentPiece { file: &p.file, section: p.kind.label(), title: &p.title, source: p.source.as_deref(), sha256: &p.sha256 }).collect();
    let data = FiguresFile { pieces: Some(sent), ..FiguresFile::numbered(Series::Bulletin, &title, &meta, &figures) };
    Ok(with_json(bulletin_id(period), &title, prepared, &data))
}

/// `2018-03/汇总表-2018年3月`: the month's tables as a workbook (no PDF). It shows no pieces,
/// so only the workbooks behind its figures hold it back.
pub fn table_id(p: Period) -> String {
    format!("{p}/汇总表-{}", p.chinese())
}

/// The month's 汇总表 (`<id>.xlsx`).
pub fn month_table(c: &Checked, period: Period, draft: bool) -> Result<Document> {
    let figures = aggregate::month(&c.plan, &c.reports, period, &unverified(c, Settings { draft, ..Settings::default() }));
    let id = table_id(period);
    let files = vec![(format!("{id}.xlsx"), crate::office::excel::month(&figures, draft)?)];
    Ok(Document { title: format!("{}汇总表", period.chinese()), id, prepared: None, files, draft: false })
}

/// The summary of quarter `q`, with figures up to `as_of`.
pub fn summary(engine: &Engine, c: &Checked, q: Quarter, as_of: Period, s: Settings) -> Result<Document> {
    let figures = aggregate::quarter::quarter(&c.plan, &c.reports, q, as_of, &c.diagnostics, &unverified(c, s));
    let meta = s.meta(as_of);
    let prepared = render::summary::prepare(engine, &c.config, &c.plan, &figures, &meta)?;
    let title = render::summary::title(&c.config, &figures);
    let data = FiguresFile::numbered(Series::Summary, &title, &meta, &figures);
    Ok(with_json(summary_id(q), &title, prepared, &data))
}

/// `2018/年度总结-2018年`
pub fn year_id(year: u16) -> String {
    format!("{year}/年度总结-{year}年")
}

/// The summary of `year` (年度总结), when it has a December report.
pub fn year_summary(engine: &Engine, c: &Checked, year: u16, draft: bool) -> Result<Option<Document>> {
    let s = Settings { draft, ..Settings::default() };
    let Some(f) = aggregate::year::year(&c.plan, &c.reports, year, &c.diagnostics, &unverified(c, s), c.config.slow_disbursement_pct) else { return Ok(None) };
    let prepared = render::yearly::prepare_year(engine, &c.config, &c.plan, &f, draft)?;
    let title = render::yearly::year_title(&c.config, &f);
    let data = FiguresFile::new("年度总结", &title, render::format::date(year, 12, 31), draft, &f);
    Ok(Some(with_json(year_id(year), &title, prepared, &data)))
}

/// The plan's final accounting (`三年行动计划完成情况`), once its last December has a report.
pub fn plan_report(engine: &Engine, c: &Checked, draft: bool) -> Result<Option<Document>> {
    let s = Settings { draft, ..Settings::default() };
    let Some(f) = aggregate::year::plan(&c.plan, &c.reports, &unverified(c, s)) else { return Ok(None) };
    let prepared = render::yearly::prepare_plan(engine, &c.config, &c.plan, &f, draft)?;
    let title = render::yearly::plan_title(&c.plan);
    let id = plan_report_id(&c.plan);
    let document = render::yearly::plan_document(&c.plan);
    let data = FiguresFile::new(&document, &title, render::format::date(f.last_year, 12, 31), draft, &f);
    Ok(Some(with_json(id, &title, prepared, &data)))
}

/// `三年行动计划完成情况-2018-2020年`, named from the plan (`Plan::short_title`).
pub fn plan_report_id(plan: &crate::setup::plan::Plan) -> String {
    let (first, last) = (plan.years.first().copied().unwrap_or_default(), plan.years.last().copied().unwrap_or_default());
    format!("{}完成情况-{first}-{last}年", plan.short_title())
}

/// Files whose townships are 数据待核: in a draft, those with errors (an official build has none).
fn unverified(c: &Checked, s: Settings) -> BTreeSet<String> {
    if !s.draft {
        return BTreeSet::new();
    }
    let unread = c.files.iter().filter(|f| f.unreadable.is_some());
    let claims = unread.filter_map(|f| Some(crate::seen::unread_key(f.township.as_deref()?, f.period?)));
    c.files_with_errors().into_iter().chain(claims).collect()
}

/// The figures behind a document (`<id>.json` beside its PDF): what it is, its title, date
/// and state, for a numbered document its number, and its figures.
#[derive(Serialize)]
struct FiguresFile<'a, F: Serialize> {
    document: &'a str,
    title: &'a str,
    #[serde(flatten)]
    number: Option<Number>,
    date: String,
    draft: bool,
    figures: &'a F,
    /// A bulletin's pieces, with the hash of each file.
    #[serde(skip_serializing_if = "Option::is_none")]
    pieces: Option<Vec<SentPiece<'a>>>,
}

/// A numbered document's number, whether it is still to be signed, and what it corrects.
#[derive(Serialize)]
struct Number {
    issue: u32,
    pending: bool,
    corrects: Option<u32>,
}

#[derive(Serialize)]
struct SentPiece<'a> {
    file: &'a str,
    section: &'a str,
    title: &'a str,
    source: Option<&'a str>,
    sha256: &'a str,
}

impl<'a, F: Serialize> FiguresFile<'a, F> {
    fn new(document: &'a str, title: &'a str, date: String, draft: bool, figures: &'a F) -> Self {
        FiguresFile { document, title, number: None, date, draft, figures, pieces: None }
    }

    fn numbered(series: Series, title: &'a str, meta: &Meta, figures: &'a F) -> Self {
        let number = Some(Number { issue: meta.number, pending: meta.pending, corrects: meta.corrects });
        FiguresFile { number, ..FiguresFile::new(series.name(), title, meta.date_cn(), meta.draft, figures) }
    }
}

fn with_json(id: String, title: &str, prepared: Prepared, data: &impl Serialize) -> Document {
    let json = render::tables::to_data_json(data);
    Document { files: vec![(format!("{id}.json"), json)], id, title: title.to_string(), prepared: Some(prepared), draft: false }
}

/// The documents of a build, and those held back by errors in the workbooks that feed them.
pub struct Made {
    pub documents: Vec<Document>,
    /// The documents not made (`2019-02/工作简报-2019年2月`), each with the files whose errors
    /// hold it back.
    pub held: Held,
    /// Documents that could not be prepared (a broken office template, an output the writer
    /// refuses): each named in an E-DOCUMENT diagnostic; every other document is still made.
    pub failed: Vec<crate::base::diag::Diagnostic>,
}

/// Documents held back, by id, with the files (data-folder paths) whose errors hold them back.
pub type Held = BTreeMap<String, Vec<String>>;

/// The number, date and state of every numbered document of a build, by series and period
/// (`2018-03`, `2018-Q1`); `archive::numbering` works them out from the archive.
#[derive(Debug, Default)]
pub struct Numbering {
    by_period: BTreeMap<(Series, Span), Settings>,
}

impl Numbering {
    pub fn set(&mut self, series: Series, period: Span, settings: Settings) {
        self.by_period.insert((series, period), settings);
    }

    /// The settings of a document of `series` for `period`.
    pub fn settings(&self, series: Series, period: Span) -> Settings {
        self.by_period.get(&(series, period)).copied().unwrap_or_default()
    }
}

/// E-DOCUMENT: one document could not be made, and why; the others are made as usual.
pub fn failure(what: &str, e: &crate::base::error::Error) -> crate::base::diag::Diagnostic {
    let msg = format!("未能生成：{e}。其他文件已照常生成。");
    crate::base::diag::Diagnostic::error("E-DOCUMENT", what, msg)
}

/// Every document of a build, of every kind in `kinds` (the program's are `KINDS`): of
/// one month (and the documents standing at it) or of all, numbered as `numbering` says.
/// Without `draft`, a document fed by a workbook with errors is held back (`Kind::held_back_by`).
pub fn all_of(kinds: &[&dyn Kind], cx: &kinds::Context, only: Option<Period>, draft: bool, numbering: &Numbering) -> Result<Made> {
    let c = cx.checked;
    let (jobs, held) = jobs(kinds, c, only, draft);
    // Only what errors would hold back is a draft; the rest of a draft build is as official.
    let would_hold = if draft { self::jobs(kinds, c, only, false).1 } else { Held::new() };
    let is_draft = |id: &str| would_hold.contains_key(id);
    // Each document is prepared on its own (figures, narrative, tables), so in parallel.
    let prepared: Vec<(String, Result<Vec<Document>>)> = jobs
        .par_iter()
        .map(|(kind, span, id)| {
            let numbered = kind.published().map(|(series, _)| numbering.settings(series, *span)).unwrap_or_default();
            (id.clone(), kind.make(cx, *span, Settings { draft: is_draft(id), ..numbered }))
        })
        .collect();
    let mut made = Made { documents: Vec::new(), held, failed: Vec::new() };
    for (id, result) in prepared {
        match result {
            Ok(docs) => made.documents.extend(docs.into_iter().map(|d| Document { draft: is_draft(&id), ..d })),
            Err(e) => made.failed.push(failure(&id, &e)),
        }
    }
    Ok(made)
}

/// What a build with these data makes, kind by kind, and the documents it holds back because a
/// workbook (or piece) that feeds them has errors, each with those files (never in a draft).
fn jobs<'k>(kinds: &[&'k dyn Kind], c: &Checked, only: Option<Period>, draft: bool) -> (Vec<(&'k dyn Kind, Span, String)>, Held) {
    let (mut jobs, mut held) = (Vec::new(), Held::new());
    for &kind in kinds {
        for span in kind.spans(c, only) {
            let id = kind.id(c, span);
            let why = if draft { Vec::new() } else { kind.held_back_by(c, span) };
            if why.is_empty() {
                jobs.push((kind, span, id));
            } else {
                held.insert(id, why);
            }
        }
    }
    (jobs, held)
}
