//! The 旬报's room: the kind `Xunbao` (扶贫项目实施和资金支出进度旬报), made for every 旬 a
//! township sent a 旬 workbook for, numbered in its own series (`publish --xun 2019-03上旬`),
//! held back by errors in the 旬 workbooks its figures use, and not bound in the year's 合订本.

use super::kinds::{Context, Kind, Templates};
use super::{Document, FiguresFile, Settings};
use crate::base::error::Result;
use crate::base::period::{Period, Span, Xun};
use crate::base::series::Series;
use crate::figures::aggregate::xun;
use crate::figures::checked::Checked;
use crate::render::{self, Meta};

/// 旬报.
pub struct Xunbao;

/// `2019-03/旬报-2019年3月上旬`
pub fn id(p: Period, x: Xun) -> String {
    format!("{p}/{}-{}{}", Series::Xunbao.name(), p.chinese(), x.chinese())
}

/// The 旬 with a 旬 workbook (of the month `only`), in time order.
fn xuns(c: &Checked, only: Option<Period>) -> Vec<(Period, Xun)> {
    let all: std::collections::BTreeSet<(Period, Xun)> = c.xun.iter().map(|r| r.at()).filter(|(p, _)| only.is_none_or(|o| o == *p)).collect();
    all.into_iter().collect()
}

/// The 旬 and the one before it: 本旬拨付 compares them.
fn compared(at: (Period, Xun)) -> Vec<(Period, Xun)> {
    xun::previous(at).into_iter().chain([at]).collect()
}

/// The months' reports that stand for a 下旬 before `at` (an 上旬): of the townships that sent
/// no 旬 workbook for it, their reports of that month (本旬拨付 is measured from them).
fn stand_ins(c: &Checked, at: (Period, Xun)) -> Vec<&crate::reading::submission::Report> {
    let Some(prev) = xun::previous(at).filter(|(_, x)| *x == Xun::Lower) else { return Vec::new() };
    let has_lower = |t: &str| c.xun.iter().any(|r| r.township == t && r.period.year == prev.0.year && r.at() <= prev);
    c.reports.iter().filter(|r| r.period == prev.0 && c.xun.iter().any(|x| x.township == r.township && x.at() == at) && !has_lower(&r.township)).collect()
}

/// Every 旬 workbook that says which township and 旬 it is for, read or not.
fn claims(c: &Checked) -> Vec<(&str, (Period, Xun))> {
    c.xun_files.iter().filter_map(|f| Some((f.township.as_deref()?, (f.period?, f.xun?)))).collect()
}

impl Kind for Xunbao {
    fn spans(&self, c: &Checked, only: Option<Period>) -> Vec<Span> {
        xuns(c, only).into_iter().map(|(p, x)| Span::Xun(p, x)).collect()
    }
    fn id(&self, _: &Checked, span: Span) -> String {
        let Span::Xun(p, x) = span else { return String::new() };
        id(p, x)
    }
    fn shows(&self, _: &Checked, _: Span) -> Vec<Period> {
        Vec::new()
    }
    /// The 旬 workbooks with errors whose figures it would use (`seen::used`).
    fn held_back_by(&self, c: &Checked, span: Span) -> Vec<String> {
        let Span::Xun(p, x) = span else { return Vec::new() };
        let errors = c.files_with_errors();
        let claims = claims(c);
        let used = crate::seen::used(&claims, &compared((p, x)));
        let mut files: Vec<String> = c.xun_files.iter().filter(|f| errors.contains(&f.file)).map(|f| f.file.clone()).collect();
        files.retain(|file| {
            c.xun_files.iter().any(|f| f.file == *file && f.township.as_deref().zip(f.period.zip(f.xun)).is_some_and(|(t, at)| used.contains(&&(t, at))))
        });
        files.extend(stand_ins(c, (p, x)).into_iter().map(|r| r.file.clone()).filter(|f| errors.contains(f)));
        files
    }
    fn workbooks(&self, c: &Checked, span: Span) -> Vec<String> {
        let Span::Xun(p, x) = span else { return Vec::new() };
        let claims: Vec<(&str, (Period, Xun))> = c.xun.iter().map(|r| (r.township.as_str(), r.at())).collect();
        let used = crate::seen::used(&claims, &compared((p, x)));
        let xun = c.xun.iter().filter(|r| used.contains(&&(r.township.as_str(), r.at()))).map(|r| r.file.clone());
        xun.chain(stand_ins(c, (p, x)).into_iter().map(|r| r.file.clone())).collect()
    }
    fn published(&self) -> Option<(Series, &'static str)> {
        Some((Series::Xunbao, "--xun"))
    }
    fn in_volume(&self) -> bool {
        false
    }
    fn templates(&self) -> Option<Templates> {
        Some(Templates { main: render::xunbao::MAIN, files: render::xunbao::TEMPLATES, narrative: None })
    }
    fn make(&self, cx: &Context, span: Span, s: Settings) -> Result<Option<Document>> {
        let Span::Xun(p, x) = span else { return Ok(None) };
        let c = cx.checked;
        let figures = xun::figures(&c.plan, &c.xun, &c.reports, (p, x), &super::unverified(c, s));
        let last = x.last_day(p);
        let date = s.date.unwrap_or((last.year, last.month, last.day));
        let meta = Meta { number: s.number, date, draft: s.draft, pending: s.pending, corrects: s.corrects, skipped: s.skipped };
        let prepared = render::xunbao::prepare(&c.config, &figures, &meta);
        let title = render::xunbao::title(&figures);
        let data = FiguresFile::numbered(Series::Xunbao, &title, &meta, &figures);
        Ok(Some(super::with_json(id(p, x), &title, prepared, &data)))
    }
}
