//! 公告公示's room: the county's 资金分配使用情况公示 of a year (`FundsNotice`); each village's and
//! township's 项目公示 before work and 项目公告 after completion (`PlaceNotice`), one file per
//! place and month under `公示/<年>/<乡镇>/`; and the year's 公示清单 (`NoticeList`, with
//! `ledger`, which 结果一览 reads too): what was made and what is due. None is numbered or published.

use super::kinds::{Context, Kind, Templates};
use super::{Document, FiguresFile, Settings};
use crate::base::error::Result;
use crate::base::period::{Period, Span};
use crate::figures::aggregate::notices::{self, Entry, Funds, Place, Tracked};
use crate::figures::checked::Checked;
use crate::reading::submission::Need;
use crate::render::notices::{self as view, Posting};

/// The figures of the county's 公示 (`<id>.json`).
#[derive(serde::Serialize)]
struct FundsFile<'a> {
    #[serde(flatten)]
    funds: &'a Funds,
    projects: Vec<Entry>,
    /// The 公示期: first and last day.
    posted: [String; 2],
}

/// The figures of a place's notice (`<id>.json`).
#[derive(serde::Serialize)]
struct PlaceFile<'a> {
    place: &'a Place,
    month: Period,
    projects: Vec<Entry>,
    posted: [String; 2],
}

/// The folder of a year's notices: `公示/2019`.
fn folder(year: u16) -> String {
    format!("公示/{year}")
}

/// `公示/2019/南村乡/南村乡东村-项目公示-2019年1月`: the village's name as typed in a workbook
/// is made a file name (`file_name`).
pub fn place_id(place: &Place, need: Need, p: Period) -> String {
    format!("{}/{}/{}-{}-{}", folder(p.year), file_name(&place.township), file_name(&place.name()), need.name(), p.chinese())
}

/// A name as a file name on every system: characters Windows refuses in one (and the path
/// separators) become `_`, as do leading and trailing dots and spaces; never a path.
fn file_name(name: &str) -> String {
    let chars: Vec<char> = name.chars().map(|c| if c.is_control() || r#"<>:"/\|?*"#.contains(c) { '_' } else { c }).collect();
    let edge = |c: &&char| **c == '.' || **c == ' ';
    let (lead, trail, len) = (chars.iter().take_while(edge).count(), chars.iter().rev().take_while(edge).count(), chars.len());
    let out: String = chars.iter().enumerate().map(|(i, c)| if i < lead || i + trail >= len { '_' } else { *c }).collect();
    if out.is_empty() {
        "_".into()
    } else {
        out
    }
}

/// `公示/2019/资金分配使用情况公示-2019年`
pub fn funds_id(year: u16) -> String {
    format!("{}/{}-{year}年", folder(year), Need::Funds.name())
}

/// `公示/2019/公示清单-2019年`
pub fn list_id(year: u16) -> String {
    format!("{}/公示清单-{year}年", folder(year))
}

/// The years with reports, each with its latest month that has one (of the month `only`).
fn years(c: &Checked, only: Option<Period>) -> Vec<(u16, Period)> {
    let mut out: Vec<(u16, Period)> = Vec::new();
    for p in super::months(&c.reports) {
        match out.last_mut() {
            Some((y, last)) if *y == p.year => *last = p,
            _ => out.push((p.year, p)),
        }
    }
    out.retain(|(_, last)| only.is_none_or(|o| o == *last));
    out
}

/// When a notice of month `p` is posted, and its 公示期 (`config.yaml`).
fn posting(c: &Checked, p: Period, draft: bool) -> Posting {
    let days = c.config.notices.days;
    let (from, to) = notices::posting(p, c.config.deadline_day, days);
    Posting { from, to, days, draft }
}

/// The county's 公示 of `year`, when every project of it gives what the 公示 prints.
fn complete_funds(c: &Checked, year: u16) -> Option<Funds> {
    notices::funds(&c.plan, &c.reports, year).filter(|f| f.gaps.is_empty() && f.total.projects > 0)
}

/// 资金分配使用情况公示: the county's, for a year, standing at its latest month with a report.
pub struct FundsNotice;

impl Kind for FundsNotice {
    fn spans(&self, c: &Checked, only: Option<Period>) -> Vec<Span> {
        years(c, only).into_iter().filter(|(y, _)| complete_funds(c, *y).is_some()).map(|(y, _)| Span::Year(y)).collect()
    }
    fn id(&self, _: &Checked, span: Span) -> String {
        span.year().map(funds_id).unwrap_or_default()
    }
    fn shows(&self, c: &Checked, span: Span) -> Vec<Period> {
        years(c, None).into_iter().filter(|(y, _)| Some(*y) == span.year()).map(|(_, last)| last).collect()
    }
    fn templates(&self) -> Option<Templates> {
        Some(Templates { main: view::FUNDS_MAIN, files: view::FUNDS_TEMPLATES, narrative: None })
    }
    fn make(&self, cx: &Context, span: Span, s: Settings) -> Result<Vec<Document>> {
        let c = cx.checked;
        let Some(f) = span.year().and_then(|y| complete_funds(c, y)) else { return Ok(Vec::new()) };
        let posting = posting(c, f.as_of, s.draft);
        let prepared = view::funds(&c.config, &c.plan.county, &f, posting);
        let title = view::funds_title(&c.plan.county, f.year);
        let entries: Vec<Entry> = f.projects.iter().map(|(t, p)| Entry::of(t, p)).collect();
        let figures = FundsFile { funds: &f, projects: entries, posted: posting.span() };
        let data = FiguresFile::new(Need::Funds.name(), &title, posting.dated(), s.draft, &figures);
        Ok(vec![super::with_json(funds_id(f.year), &title, prepared, &data)])
    }
}

/// A notice posted on each place's 公开栏 in the month its projects are due one: the 项目公示
/// before work (`Need::Before`) or the 项目公告 after completion (`Need::After`).
pub struct PlaceNotice(pub Need);

/// The months whose reports make some notice of `need` (of the month `only`).
fn notice_months(c: &Checked, need: Need, only: Option<Period>) -> Vec<Span> {
    let years = years(c, None).into_iter().map(|(y, _)| y);
    let months = years.flat_map(|y| notices::months(&notices::track(&c.plan, &c.reports, y), need));
    months.filter(|p| only.is_none_or(|o| o == *p)).map(Span::Month).collect()
}

impl Kind for PlaceNotice {
    fn spans(&self, c: &Checked, only: Option<Period>) -> Vec<Span> {
        notice_months(c, self.0, only)
    }
    /// The month's notices together (what errors hold back): `公示/2019/项目公示-2019年1月`.
    fn id(&self, _: &Checked, span: Span) -> String {
        let Span::Month(p) = span else { return String::new() };
        format!("{}/{}-{}", folder(p.year), self.0.name(), p.chinese())
    }
    fn ids(&self, c: &Checked, span: Span) -> Vec<String> {
        let Span::Month(p) = span else { return Vec::new() };
        let posted = notices::posted(&notices::track(&c.plan, &c.reports, p.year), self.0, p);
        posted.iter().map(|(place, _)| place_id(place, self.0, p)).collect()
    }
    fn shows(&self, _: &Checked, span: Span) -> Vec<Period> {
        span.end().into_iter().collect()
    }
    fn templates(&self) -> Option<Templates> {
        Some(Templates { main: view::NOTICE_MAIN, files: view::NOTICE_TEMPLATES, narrative: None })
    }
    fn make(&self, cx: &Context, span: Span, s: Settings) -> Result<Vec<Document>> {
        let (Span::Month(p), c) = (span, cx.checked) else { return Ok(Vec::new()) };
        let tracked = notices::track(&c.plan, &c.reports, p.year);
        let posting = posting(c, p, s.draft);
        let made = notices::posted(&tracked, self.0, p).into_iter().map(|(place, rows)| {
            let prepared = view::notice(&c.config, &place, &rows, self.0, p, posting);
            let title = view::notice_title(&place, self.0, p);
            let projects = rows.iter().map(|r| Entry::of(&place.township, r)).collect();
            let figures = PlaceFile { place: &place, month: p, projects, posted: posting.span() };
            let data = FiguresFile::new(self.0.name(), &title, posting.dated(), s.draft, &figures);
            super::with_json(place_id(&place, self.0, p), &title, prepared, &data)
        });
        Ok(made.collect())
    }
}

/// 公示清单: each project of the year, with its 项目公示 and 项目公告 as made (the month), held
/// back, not yet due, or due and lacking columns (named); and the county's 公示 (a workbook).
pub struct NoticeList;

impl Kind for NoticeList {
    fn spans(&self, c: &Checked, only: Option<Period>) -> Vec<Span> {
        let taking_part = |y: u16| c.reports.iter().any(|r| r.period.year == y && r.projects.iter().any(|p| p.takes_part_in_notices()));
        years(c, only).into_iter().filter(|(y, _)| taking_part(*y)).map(|(y, _)| Span::Year(y)).collect()
    }
    fn id(&self, _: &Checked, span: Span) -> String {
        span.year().map(list_id).unwrap_or_default()
    }
    fn shows(&self, _: &Checked, _: Span) -> Vec<Period> {
        Vec::new()
    }
    fn templates(&self) -> Option<Templates> {
        None
    }
    fn make(&self, cx: &Context, span: Span, s: Settings) -> Result<Vec<Document>> {
        let Some(year) = span.year() else { return Ok(Vec::new()) };
        let l = ledger(cx.checked, year, s.draft);
        let rows: Vec<[String; 7]> = l.lines.iter().map(Line::cells).collect();
        let bytes = crate::office::excel::notice_list(year, &rows, &l.funds, s.draft)?;
        let id = list_id(year);
        Ok(vec![Document { files: vec![(format!("{id}.xlsx"), bytes)], title: format!("{year}年公示清单"), id, prepared: None, draft: false }])
    }
}

/// Where one notice of a project stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum State {
    /// Made: its file under `out/`.
    Made(String),
    /// Due in a month whose reports have errors (an official build holds it back).
    Held(Period),
    /// A 项目公告 of a project not yet 已完工.
    NotYet,
    /// Due, and the project's latest report (`file`) lacks these columns.
    Due { missing: Vec<&'static str>, file: String },
}

impl State {
    pub fn text(&self) -> String {
        match self {
            State::Made(file) => format!("已生成：{file}"),
            State::Held(p) => format!("暂缓：{}的报表有错误，改正后生成", p.chinese()),
            State::NotYet => "未完工，完工后公告".into(),
            State::Due { missing, file } => format!("待补：缺{}（{file}）", missing.iter().map(|c| format!("“{c}”")).collect::<String>()),
        }
    }
}

/// A project of the year in the 公示清单.
pub struct Line {
    pub place: Place,
    pub project: String,
    pub village: String,
    pub first: Period,
    pub status: String,
    pub before: State,
    pub after: State,
}

impl Line {
    fn cells(&self) -> [String; 7] {
        let (t, v, p) = (self.place.township.clone(), self.village.clone(), self.project.clone());
        [t, v, p, self.first.chinese(), self.status.clone(), self.before.text(), self.after.text()]
    }
}

/// The year's notices as they stand: every project's (`Line`) and the county's 公示, in words.
pub struct Ledger {
    pub year: u16,
    pub lines: Vec<Line>,
    pub funds: String,
}

/// What the 公示清单 and 结果一览 say of `year`'s notices (in an official build, a notice whose
/// month has errors is held back; a draft makes it).
pub fn ledger(c: &Checked, year: u16, draft: bool) -> Ledger {
    let held = |need: Need, p: Period| !draft && !PlaceNotice(need).held_back_by(c, Span::Month(p)).is_empty();
    let lines = notices::track(&c.plan, &c.reports, year).iter().map(|t| line(t, &held)).collect();
    let funds_held = !draft && !FundsNotice.held_back_by(c, Span::Year(year)).is_empty();
    Ledger { year, lines, funds: funds_line(notices::funds(&c.plan, &c.reports, year).as_ref(), funds_held) }
}

/// Where one notice of a project stands.
fn state(t: &Tracked, need: Need, held: &dyn Fn(Need, Period) -> bool) -> State {
    if let Some((p, _)) = t.made(need) {
        return if held(need, p) { State::Held(p) } else { State::Made(format!("{}.pdf", place_id(&t.place, need, p))) };
    }
    if need == Need::After && t.completed.is_none() {
        return State::NotYet;
    }
    State::Due { missing: t.row.missing(need), file: t.latest.to_string() }
}

fn line(t: &Tracked, held: &dyn Fn(Need, Period) -> bool) -> Line {
    Line {
        place: t.place.clone(),
        project: t.row.name.clone(),
        village: t.row.village.clone().unwrap_or_default(),
        first: t.first,
        status: t.row.status.clone().unwrap_or_default(),
        before: state(t, Need::Before, held),
        after: state(t, Need::After, held),
    }
}

/// What the list says of the county's 公示.
fn funds_line(f: Option<&Funds>, held: bool) -> String {
    let Some(f) = f else { return "本年没有报表".into() };
    if f.gaps.is_empty() {
        return if held { "暂缓：报表有错误，改正后生成".into() } else { format!("已生成：{}.pdf", funds_id(f.year)) };
    }
    let townships: std::collections::BTreeSet<&str> = f.gaps.iter().map(|(t, ..)| t.as_str()).collect();
    format!("待补：{}个项目缺少公示所需栏目（{}），补齐后生成", f.gaps.len(), townships.into_iter().collect::<Vec<_>>().join("、"))
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_name_typed_in_a_workbook_is_never_a_path() {
        assert_eq!(super::file_name("南村乡石门村"), "南村乡石门村");
        assert_eq!(super::file_name("../../etc"), "___.._etc");
        assert_eq!(super::file_name("东村\\西村:1 "), "东村_西村_1_");
        assert_eq!(super::file_name(""), "_");
    }
}
