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

/// The months' reports standing in for the 下旬 before `at` (`xun::stand_in`) of the townships
/// that sent `at` (本旬拨付 is measured from them).
fn stand_ins(c: &Checked, at: (Period, Xun)) -> Vec<&crate::reading::submission::Report> {
    let sent = c.xun.iter().filter(|x| x.at() == at);
    sent.filter_map(|x| xun::stand_in(&c.xun, &c.reports, &x.township, at, &Default::default())).collect()
}

/// The township and 旬 a 旬 workbook says it is for, read or not.
fn claim(f: &crate::reading::submission::Identity) -> Option<(&str, (Period, Xun))> {
    Some((f.township.as_deref()?, (f.period?, f.xun?)))
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
        let claims: Vec<(&str, (Period, Xun))> = c.xun_files.iter().filter_map(claim).collect();
        let used = crate::seen::used(&claims, &compared((p, x)));
        let mut files: Vec<String> =
            c.xun_files.iter().filter(|f| errors.contains(&f.file) && claim(f).is_some_and(|k| used.contains(&&k))).map(|f| f.file.clone()).collect();
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
    fn make(&self, cx: &Context, span: Span, s: Settings) -> Result<Vec<Document>> {
        let Span::Xun(p, x) = span else { return Ok(Vec::new()) };
        let c = cx.checked;
        let figures = xun::figures(&c.plan, &c.xun, &c.reports, (p, x), &super::unverified(c, s));
        let last = x.last_day(p);
        let date = s.date.unwrap_or((last.year, last.month, last.day));
        let meta = Meta { number: s.number, date, draft: s.draft, pending: s.pending, corrects: s.corrects, skipped: s.skipped };
        let prepared = render::xunbao::prepare(&c.config, &figures, &meta);
        let title = render::xunbao::title(&figures);
        let data = FiguresFile::numbered(Series::Xunbao, &title, &meta, &figures);
        Ok(vec![super::with_json(id(p, x), &title, prepared, &data)])
    }
}
