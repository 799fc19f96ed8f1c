//! What 结果一览 shows, as plain values for the template: every string is text (the template
//! escapes it), every link a path relative to the page.

use std::collections::BTreeMap;

use serde::Serialize;

use super::{chart, relative, Run};
use crate::base::diag::{Diagnostic, Severity};
use crate::base::period::{Period, Quarter, Span};
use crate::base::series::Series;
use crate::commands::archive::manifest::Manifest;
use crate::office::status::{Board, Cell};
use crate::setup::options::Options;

/// The state of a document after the run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
enum State {
    /// 新生成: typeset by this run.
    Made,
    /// 未变化: its inputs did not change; the files are the last run's.
    Unchanged,
    /// 因错误未生成: a file that feeds it has errors.
    Held,
}

impl State {
    fn word(self, draft: bool) -> String {
        let word = match self {
            State::Made => "新生成",
            State::Unchanged => "未变化",
            State::Held => "因错误未生成",
        };
        if draft && self != State::Held {
            format!("草稿（{word}）")
        } else {
            word.to_string()
        }
    }
}

#[derive(Serialize)]
pub struct Page {
    title: String,
    office: String,
    latest: Option<String>,
    draft: bool,
    counts: Counts,
    now: Vec<Doc>,
    calls: Vec<Call>,
    board: Option<BoardView>,
    /// 旬报表报送情况, when townships send 旬 workbooks.
    xun: Option<XunView>,
    /// 公告公示 of the latest year whose reports give the notice columns.
    notices: Option<NoticesView>,
    problems: Vec<FileProblems>,
    all: Vec<Doc>,
    chart: Option<chart::Chart>,
}

#[derive(Serialize, Default)]
struct Counts {
    errors: usize,
    warnings: usize,
    notes: usize,
    made: usize,
    unchanged: usize,
    held: usize,
}

#[derive(Serialize, Clone)]
struct Doc {
    #[serde(skip)]
    span: Option<Span>,
    name: String,
    folder: String,
    /// The document's main file: its PDF, or the workbook of a workbook-only document.
    file: Option<String>,
    ofd: Option<String>,
    state: String,
    class: &'static str,
    because: Vec<String>,
    pages: usize,
    issue: Option<String>,
    published: Option<String>,
    archived: Option<String>,
}

#[derive(Serialize)]
struct Call {
    township: String,
    status: String,
    contact: String,
    phone: String,
    problems: Vec<String>,
}

#[derive(Serialize)]
struct BoardView {
    month: String,
    rows: Vec<BoardRow>,
}

/// What the year's notices stand at (`documents::notices::ledger`): how many made, and what is
/// due, with the list to open.
#[derive(Serialize)]
struct NoticesView {
    year: u16,
    list: String,
    funds: String,
    /// 项目公示 and 项目公告 made, held back and due (a 项目公告 not yet due aside).
    made: [usize; 2],
    held: [usize; 2],
    due: Vec<String>,
}

fn notices(c: &crate::figures::checked::Checked, draft: bool) -> Option<NoticesView> {
    use crate::documents::kinds::Kind;
    use crate::documents::notices::{ledger, list_id, NoticeList, State};
    let year = NoticeList.spans(c, None).last()?.year()?;
    let l = ledger(c, year, draft);
    let count = |f: &dyn Fn(&State) -> bool| [l.lines.iter().filter(|x| f(&x.before)).count(), l.lines.iter().filter(|x| f(&x.after)).count()];
    let (made, held) = (count(&|s| matches!(s, State::Made(_))), count(&|s| matches!(s, State::Held(_))));
    let due = due(&l);
    Some(NoticesView { year, list: format!("{}.xlsx", list_id(year)), funds: l.funds, made, held, due })
}

/// A notice due, by township, notice and what it lacks (`State::text`).
type DueKey<'a> = (&'a str, &'static str, String);

/// What is due, one line per township, notice and what it lacks: the project's name when one,
/// else a count.
fn due(l: &crate::documents::notices::Ledger) -> Vec<String> {
    use crate::documents::notices::State;
    let mut by: Vec<(DueKey, Vec<&str>)> = Vec::new();
    for x in &l.lines {
        for (what, s) in [("项目公示", &x.before), ("项目公告", &x.after)] {
            if let State::Due { .. } = s {
                let key = (x.place.township.as_str(), what, s.text());
                match by.iter_mut().find(|(k, _)| *k == key) {
                    Some((_, names)) => names.push(&x.project),
                    None => by.push((key, vec![&x.project])),
                }
            }
        }
    }
    let line = |((t, what, text), names): (DueKey, Vec<&str>)| match names.as_slice() {
        [one] => format!("{t}“{one}”的{what}{text}"),
        many => format!("{t}{}个项目的{what}{text}", many.len()),
    };
    by.into_iter().map(line).collect()
}

/// Who sent which 旬 of the month (`xun_board`).
#[derive(Serialize)]
struct XunView {
    month: String,
    legend: String,
    rows: Vec<XunRow>,
    calls: Vec<String>,
}

#[derive(Serialize)]
struct XunRow {
    township: String,
    cells: Vec<(String, &'static str)>,
}

fn xun(b: crate::office::xun_board::XunBoard) -> XunView {
    use crate::office::xun_board::XunCell;
    let class = |c: &XunCell| match c {
        XunCell::Sent => "ok",
        XunCell::Errors(_) => "err",
        XunCell::Missing | XunCell::Late => "missing",
        XunCell::NotDue => "none",
    };
    let rows = b.rows.iter().map(|(t, cells)| XunRow { township: t.clone(), cells: cells.iter().map(|c| (c.label(), class(c))).collect() }).collect();
    XunView { month: b.month.chinese(), legend: crate::office::xun_board::legend(&b), rows, calls: b.calls }
}

#[derive(Serialize)]
struct BoardRow {
    township: String,
    state: String,
    class: &'static str,
    contact: String,
    phone: String,
}

#[derive(Serialize)]
struct FileProblems {
    file: String,
    folder: String,
    items: Vec<Problem>,
}

#[derive(Serialize)]
struct Problem {
    level: &'static str,
    class: &'static str,
    code: String,
    place: String,
    message: String,
}

pub fn page(opts: &Options, run: &Run, manifest: &Manifest) -> Page {
    let c = run.checked;
    let latest = crate::documents::months(&c.reports).last().copied();
    let all = documents(opts, run, manifest);
    let now = latest.map(|p| all.iter().filter(|d| d.span.is_some_and(|s| of_month(s, p))).cloned().collect()).unwrap_or_default();
    let mut counts = Counts::default();
    for d in run.diagnostics {
        match d.severity {
            Severity::Error => counts.errors += 1,
            Severity::Warning => counts.warnings += 1,
            Severity::Note => counts.notes += 1,
        }
    }
    counts.held = run.cache.held.len();
    counts.made = run.rendered.len();
    let listed = run.cache.documents.keys().filter(|id| !run.cache.held.contains_key(*id)).count();
    counts.unchanged = listed.saturating_sub(counts.made);
    Page {
        title: format!("{}{} 结果一览", c.plan.county, c.config.masthead),
        office: c.config.office.clone(),
        latest: latest.map(Period::chinese),
        draft: run.draft,
        counts,
        now,
        calls: run.board.map(calls).unwrap_or_default(),
        board: run.board.map(|b| board(b, c)),
        xun: crate::office::xun_board::board(c, run.board.and_then(|b| b.today)).map(xun),
        notices: notices(c, run.draft),
        problems: problems(opts, run.diagnostics),
        all,
        chart: latest.and_then(|p| chart::chart(c, p, &run.cache.held)),
    }
}

/// Whether a document is of the month `p`: the month's, its quarter's, (in December) its
/// year's or the plan's, or of no period (the report).
fn of_month(span: Span, p: Period) -> bool {
    match span {
        Span::Whole | Span::Plan(..) => true,
        Span::Month(m) | Span::Xun(m, _) => m == p,
        Span::Quarter(q) => q == Quarter::of(p),
        Span::Year(y) => p.month == 12 && y == p.year,
    }
}

/// What each document of the current data covers, and its series if it is numbered, by id.
fn spans(c: &crate::figures::checked::Checked, kinds: crate::documents::kinds::Registry) -> BTreeMap<String, (Span, Option<Series>)> {
    let mut out = BTreeMap::new();
    for kind in kinds {
        for span in kind.spans(c, None) {
            for id in kind.ids(c, span).into_iter().chain([kind.id(c, span)]) {
                out.insert(id, (span, kind.published().map(|(s, _)| s)));
            }
        }
    }
    out
}

/// Every document of the record and every one held back, newest folder first, with its
/// archived issue (期号, 签发日期) when it has one.
fn documents(opts: &Options, run: &Run, manifest: &Manifest) -> Vec<Doc> {
    // A held document is listed once, as held (its files of an earlier build are not this run's).
    let made = run.cache.documents.keys().filter(|id| !run.cache.held.contains_key(*id));
    let mut ids: Vec<(&String, State)> = made.map(|id| (id, if run.rendered.contains(id) { State::Made } else { State::Unchanged })).collect();
    ids.extend(run.cache.held.keys().map(|id| (id, State::Held)));
    let spans = spans(run.checked, run.kinds);
    let mut docs: Vec<Doc> = ids.into_iter().map(|(id, state)| doc(opts, run, manifest, id, state, spans.get(id).copied())).collect();
    docs.sort_by(|a, b| newest(b.span).cmp(&newest(a.span)).then(a.name.cmp(&b.name)));
    docs
}

/// Where a document stands in time, for newest-first order: a month, then the quarter summary
/// that ends at it, then (in December) the year's documents; the report and the plan's
/// accounting (no folder) first; a document of data no longer there last.
fn newest(span: Option<Span>) -> (u16, u8, u8) {
    match span {
        None => (0, 0, 0),
        Some(Span::Whole | Span::Plan(..)) => (u16::MAX, 0, 0),
        Some(Span::Month(p) | Span::Xun(p, _)) => (p.year, p.month, 0),
        Some(Span::Quarter(q)) => (q.year, q.q * 3, 1),
        Some(Span::Year(y)) => (y, 12, 2),
    }
}

fn doc(opts: &Options, run: &Run, manifest: &Manifest, id: &str, state: State, span: Option<(Span, Option<Series>)>) -> Doc {
    let (folder, name) = id.rsplit_once('/').unwrap_or(("", id));
    let link = |ext: &str| {
        let file = format!("{id}.{ext}");
        opts.out.join(&file).is_file().then_some(file)
    };
    let entry = run.cache.documents.get(id);
    let numbered = span.and_then(|(s, series)| Some((s, series?)));
    let issue = numbered.and_then(|(key, series)| manifest.entries.iter().filter(|e| e.period == key && e.series == series).max_by_key(|e| e.number));
    Doc {
        span: span.map(|(s, _)| s),
        name: name.to_string(),
        folder: folder.to_string(),
        file: (state != State::Held).then(|| link("pdf").or_else(|| link("xlsx"))).flatten(),
        ofd: (state != State::Held).then(|| link("ofd")).flatten(),
        state: state.word(run.draft),
        class: match state {
            State::Made => "made",
            State::Unchanged => "same",
            State::Held => "held",
        },
        because: run.cache.held.get(id).cloned().unwrap_or_default(),
        pages: entry.map_or(0, |e| e.pages),
        issue: issue.map(|e| {
            let label = e.series.issue_label(e.number, e.corrects);
            let pending = run.diagnostics.iter().any(|d| d.code == crate::commands::archive::numbering::CORRECTION_PENDING && d.sheet.as_deref() == Some(id));
            if pending {
                format!("{label}（输入已变，更正待签发）")
            } else {
                label
            }
        }),
        published: issue.map(|e| e.published.to_string()),
        archived: issue.map(|e| format!("archive/{}", e.file)),
    }
}

/// Whom to phone, first: the board's call list, with the contacts on the townships' covers.
fn calls(b: &Board) -> Vec<Call> {
    b.calls
        .iter()
        .map(|c| Call {
            township: c.township.clone(),
            status: c.status.clone(),
            contact: c.contact.clone().unwrap_or_default(),
            phone: c.phone.clone().unwrap_or_default(),
            problems: c.problems.clone(),
        })
        .collect()
}

/// The board's month: each township's state (the words of 报送情况), coloured by state.
fn board(b: &Board, c: &crate::figures::checked::Checked) -> BoardView {
    let rows = b
        .rows
        .iter()
        .map(|r| {
            let cell = crate::office::status::own_column(b).and_then(|i| r.months.get(i)).cloned().unwrap_or(Cell::Empty);
            let (contact, phone) = crate::office::status::contact(c, &r.township);
            BoardRow {
                township: r.township.clone(),
                state: if cell.label().is_empty() { "—".into() } else { cell.label() },
                class: class(&cell),
                contact: contact.unwrap_or_default(),
                phone: phone.unwrap_or_default(),
            }
        })
        .collect();
    BoardView { month: format!("{}年{}月", b.year, b.month), rows }
}

fn class(cell: &Cell) -> &'static str {
    match cell {
        Cell::Reported { .. } => "ok",
        Cell::Warnings { .. } => "warn",
        Cell::Errors { .. } | Cell::Unreadable { .. } | Cell::Duplicate { .. } => "err",
        Cell::Carried { .. } => "carried",
        Cell::Missing | Cell::Late { .. } => "missing",
        Cell::NotDue | Cell::Empty | Cell::BeforeStart => "none",
    }
}

/// The problems by file, errors first within each, with a link to the file's folder.
fn problems(opts: &Options, diags: &[Diagnostic]) -> Vec<FileProblems> {
    let mut by_file: BTreeMap<&str, Vec<&Diagnostic>> = BTreeMap::new();
    for d in diags {
        by_file.entry(&d.file).or_default().push(d);
    }
    let data = relative(&opts.out, &opts.data);
    by_file
        .into_iter()
        .map(|(file, ds)| {
            let dir = file.rsplit_once('/').map_or("", |(d, _)| d);
            let mut items: Vec<Problem> = ds.iter().map(|d| problem(d)).collect();
            items.sort_by_key(|p| p.class != "err");
            FileProblems { file: file.to_string(), folder: if dir.is_empty() { data.clone() } else { format!("{data}/{dir}") }, items }
        })
        .collect()
}

fn problem(d: &Diagnostic) -> Problem {
    let class = match d.severity {
        Severity::Error => "err",
        Severity::Warning => "warn",
        Severity::Note => "note",
    };
    Problem { level: d.severity.label(), class, code: d.code.clone(), place: d.location(), message: d.message.clone() }
}
