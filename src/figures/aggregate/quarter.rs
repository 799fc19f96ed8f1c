//! Quarter figures (figures.md, Quarters): the county at the quarter's last month with a
//! report, quarter amounts as differences of year-to-date figures, and the problems to list.

use std::collections::BTreeSet;

use serde::Serialize;

use super::ratio::{cmp_ratio, pct, wan};
use super::{listed_villages, month, CountyFigures, IndicatorFigures, MonthFigures, Seen, Status, VillageFigures};
use crate::base::diag::{Diagnostic, Severity};
use crate::base::period::{Period, Quarter};
use crate::reading::submission::Report;
use crate::setup::plan::{IndicatorKind, Plan};
use crate::validate::{incidence_at_least_2pct, village_type};

#[derive(Debug, Clone, Serialize)]
pub struct TownshipQuarter {
    pub name: String,
    pub status: Status,
    /// Year to date at its latest report of the quarter less at its source at the previous
    /// quarter's end (January when none): negative when the township's year to date fell
    /// (shown and listed as a problem, never clamped). `None`: no report of its own in the
    /// quarter (本季度无报表), never 0.
    pub lifted_quarter: Option<i64>,
    /// The months that amount spans, when they are not the quarter's own (a month carried
    /// forward at the previous quarter's end, or months before the first report of the year).
    pub spans: Option<Span>,
    /// The previous quarter's amount, when the township reported in it.
    pub lifted_previous_quarter: Option<i64>,
    /// Only when both amounts are of their own quarters' months.
    pub change: Option<i64>,
    pub lifted_to_date: u32,
    pub progress_pct: Option<f64>,
    /// The township's share of the county's yearly target by time progress, percent.
    pub expected_pct: Option<f64>,
    pub behind_schedule: bool,
    pub rank: Option<u32>,
}

/// The months an amount spans: from the month after the report it is measured from (January
/// when there is none) to the report it is measured at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Span {
    pub from: Period,
    pub to: Period,
}

/// Which months of a quarter have reports: what its figures rest on.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Coverage {
    /// Months of the quarter that some township reported.
    pub reported: Vec<Period>,
    /// Months of the quarter, from the office's start, that no township reported (those after
    /// the month the figures stand at included: the document says so).
    pub without: Vec<Period>,
    /// Of those, the months up to the one the figures stand at: gaps, named as a problem.
    pub unreported: Vec<Period>,
    /// Months of the quarter before the office started reporting with jianbao.
    pub before_start: Vec<Period>,
    /// Whether some township reported in the previous quarter (false in the first quarter).
    pub previous_reported: bool,
    /// Townships whose quarter amount spans other months than the quarter's, with the span.
    pub spanning: Vec<Spanning>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Spanning {
    pub township: String,
    #[serde(flatten)]
    pub span: Span,
    /// `1月至11月`, as the documents print it.
    pub months: String,
}

impl Span {
    /// Whether the amount is of `q`'s own months: it starts at the quarter's first month.
    pub fn is_of(self, q: Quarter) -> bool {
        q.months().next() == Some(self.from)
    }

    /// `1月至11月`, `3月至4月`, `6月`.
    pub fn chinese(self) -> String {
        if self.from == self.to {
            format!("{}月", self.to.month)
        } else {
            format!("{}月至{}月", self.from.month, self.to.month)
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct IndicatorQuarter {
    #[serde(flatten)]
    pub year_to_date: IndicatorFigures,
    /// Flow indicators: amount within the quarter, always of the quarter's year (the year to
    /// date at its end less at the previous quarter's end); stock: none.
    pub quarter_amount: Option<f64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct MonthPoint {
    pub period: Period,
    /// `None` when no township reported the month (a gap in the chart, never a 0).
    pub lifted_this_month: Option<u32>,
    pub lifted_to_date: u32,
}

#[derive(Debug, Clone, Serialize)]
pub struct FundLine {
    pub name: String,
    pub planned_wan: f64,
    pub disbursed_wan: f64,
    pub disbursement_pct: Option<f64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct QuarterFigures {
    pub quarter: Quarter,
    /// The month the year-to-date figures stand at.
    pub as_of: Period,
    pub county: CountyFigures,
    /// The sum of the township quarter amounts; `None` when no township reported in the quarter.
    pub lifted_quarter: Option<i64>,
    /// The previous quarter's, only when every township with an amount now had one then and
    /// both are of their own quarters' months (else the document says why it compares nothing).
    pub lifted_previous_quarter: Option<i64>,
    /// Which months the figures rest on.
    pub coverage: Coverage,
    pub trend: Vec<MonthPoint>,
    pub townships: Vec<TownshipQuarter>,
    pub indicators: Vec<IndicatorQuarter>,
    pub funds_by_category: Vec<FundLine>,
    pub funds_by_source: Vec<FundLine>,
    pub heavy_villages: Vec<VillageFigures>,
    /// What 存在问题 is made of; the sentences are in `summary-narrative.typ.j2`.
    pub findings: QuarterFindings,
    /// 减贫进度 or 完成率: what the townships' progress figure and ranking are.
    pub ranked_by: super::RankedBy,
}

/// Figures for quarter `q`, standing at `as_of` (its last month with a report). Reports of
/// files in `unverified` (draft builds) are left out, as in the bulletins.
pub fn quarter(plan: &Plan, reports: &[Report], q: Quarter, as_of: Period, diags: &[Diagnostic], unverified: &BTreeSet<String>) -> QuarterFigures {
    // Every month of the year up to `as_of`, once: the trend, and the year to date at the
    // ends of the previous two quarters.
    let months: Vec<MonthFigures> = as_of.year_to_date().into_iter().map(|p| month(plan, reports, p, unverified)).collect();
    let end_of = |quarter: u8| (quarter >= 1).then(|| &months[usize::from(3 * quarter) - 1]);
    let (now, before, two_before) = (&months[months.len() - 1], end_of(q.q - 1), q.q.checked_sub(2).and_then(end_of));
    let seen = Seen::new(reports, as_of, unverified);
    let srcs = seen.sources(plan, as_of);
    let townships = township_lines(now, before, two_before, q, as_of);
    let indicators = indicator_lines(now, before);
    let amounts: Vec<i64> = townships.iter().filter_map(|t| t.lifted_quarter).collect();
    let comparable = !amounts.is_empty()
        && townships.iter().all(|t| t.lifted_quarter.is_some() == t.lifted_previous_quarter.is_some() && (t.lifted_quarter.is_none() || t.change.is_some()));
    QuarterFigures {
        quarter: q,
        as_of,
        lifted_quarter: (!amounts.is_empty()).then(|| amounts.iter().sum()),
        lifted_previous_quarter: comparable.then(|| townships.iter().filter_map(|t| t.lifted_previous_quarter).sum()),
        coverage: coverage(plan, &seen, &months, &townships, q),
        trend: months.iter().map(point).collect(),
        funds_by_category: funds(&srcs, |p| p.category.clone()),
        funds_by_source: funds(&srcs, |p| p.source.clone()),
        heavy_villages: listed_villages(plan, &srcs, &plan.heavy_villages_ordered()),
        findings: findings(plan, &seen, q, now, &townships, diags),
        indicators,
        townships,
        county: now.county.clone(),
        ranked_by: now.ranked_by,
    }
}

/// A month of the chart: what the townships that reported it lifted; none reported, no value.
pub fn point(f: &MonthFigures) -> MonthPoint {
    let reported = f.townships.iter().any(|t| t.status == Status::Reported);
    MonthPoint { period: f.period, lifted_this_month: reported.then_some(f.county.lifted_this_month), lifted_to_date: f.county.lifted_to_date }
}

/// The months of `q` with and without reports, those before the office's start, and the
/// townships whose amounts span other months.
fn coverage(plan: &Plan, seen: &Seen, months: &[MonthFigures], ts: &[TownshipQuarter], q: Quarter) -> Coverage {
    let reported_in = |p: Period| months.get(usize::from(p.month) - 1).is_some_and(|f| point(f).lifted_this_month.is_some());
    let (before_start, ours): (Vec<Period>, Vec<Period>) = q.months().partition(|p| seen.before_start(plan, *p));
    let (reported, without): (Vec<Period>, Vec<Period>) = ours.into_iter().partition(|p| reported_in(*p));
    let last = months.last().map(|f| f.period);
    Coverage {
        reported,
        unreported: without.iter().copied().filter(|p| last.is_some_and(|l| *p <= l)).collect(),
        without,
        before_start,
        previous_reported: q.q > 1 && Quarter { year: q.year, q: q.q - 1 }.months().any(reported_in),
        spanning: ts.iter().filter_map(|t| t.spans.map(|span| Spanning { township: t.name.clone(), span, months: span.chinese() })).collect(),
    }
}

/// `a − b` of two year-to-date figures, signed.
fn diff(a: u32, b: u32) -> i64 {
    i64::from(a) - i64::from(b)
}

/// The month a township's figures at a month come from (its own, or carried forward); `None`
/// when it has none (未报送, or 数据待核).
fn source_month(f: &MonthFigures, t: usize) -> Option<Period> {
    let t = &f.townships[t];
    match t.status {
        Status::Reported => Some(f.period),
        Status::CarriedForward => t.carried_from,
        Status::Missing | Status::Unverified => None,
    }
}

/// A township's amount between two quarter ends (`start`: `None` for the year's start), when
/// it reported within the quarter that ends at `end`: the amount, and the months it spans.
fn amount(end: &MonthFigures, start: Option<&MonthFigures>, t: usize, q: Quarter) -> Option<(i64, Span)> {
    let first = q.months().next()?;
    let to = source_month(end, t).filter(|p| *p >= first)?;
    if start.is_some_and(|s| s.townships[t].status == Status::Unverified) {
        return None;
    }
    let from = start.and_then(|s| source_month(s, t)).and_then(Period::next).unwrap_or(Period { year: q.year, month: 1 });
    Some((diff(end.townships[t].lifted_to_date, start.map_or(0, |s| s.townships[t].lifted_to_date)), Span { from, to }))
}

fn township_lines(now: &MonthFigures, before: Option<&MonthFigures>, two_before: Option<&MonthFigures>, q: Quarter, as_of: Period) -> Vec<TownshipQuarter> {
    let c = &now.county;
    let previous_q = Quarter { year: q.year, q: q.q.saturating_sub(1) };
    now.townships
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let quarter = amount(now, before, i, q);
            let previous = before.and_then(|b| amount(b, two_before, i, previous_q));
            let own = |a: &Option<(i64, Span)>, q: Quarter| a.filter(|(_, s)| s.is_of(q));
            // Expected by now, as an exact fraction: M/12 of the township's own target when
            // townships are ranked by 完成率; else its share of the county target, in
            // proportion to its poor at the start of the year (the same for every township),
            // times M/12.
            let m = i128::from(as_of.month);
            let expected = if now.ranked_by == super::RankedBy::Completion {
                Some((m, 12))
            } else {
                c.year_target.filter(|_| c.poor_at_start > 0).map(|ct| (i128::from(ct) * m, 12 * i128::from(c.poor_at_start)))
            };
            let progress = t.progress.map(|(a, b)| (i128::from(a), i128::from(b)));
            let behind = matches!((progress, expected), (Some((a, b)), Some((e, f))) if cmp_ratio(a, b, e, f).is_lt());
            TownshipQuarter {
                name: t.name.clone(),
                status: t.status,
                lifted_quarter: quarter.map(|(a, _)| a),
                spans: quarter.map(|(_, s)| s).filter(|s| !s.is_of(q)),
                lifted_previous_quarter: previous.map(|(a, _)| a),
                change: own(&quarter, q).zip(own(&previous, previous_q)).map(|((a, _), (b, _))| a - b),
                lifted_to_date: t.lifted_to_date,
                progress_pct: t.progress_pct,
                expected_pct: expected.and_then(|(e, f)| pct(e, f)),
                behind_schedule: behind,
                rank: t.rank,
            }
        })
        .collect()
}

fn indicator_lines(now: &MonthFigures, before: Option<&MonthFigures>) -> Vec<IndicatorQuarter> {
    now.indicators
        .iter()
        .enumerate()
        .map(|(i, ind)| IndicatorQuarter {
            quarter_amount: (ind.kind == IndicatorKind::Flow)
                .then(|| wan(ind.year_to_date_hundredths - before.map_or(0, |b| b.indicators[i].year_to_date_hundredths))),
            year_to_date: ind.clone(),
        })
        .collect()
}

fn funds(srcs: &[(&str, Status, Option<&Report>)], key: impl Fn(&crate::reading::submission::ProjectRow) -> Option<String>) -> Vec<FundLine> {
    let mut lines: std::collections::BTreeMap<String, (i64, i64)> = Default::default();
    for (_, _, r) in srcs {
        for p in r.map(|r| r.projects.as_slice()).unwrap_or_default() {
            let e = lines.entry(key(p).unwrap_or_else(|| "未填".into())).or_default();
            e.0 += p.planned;
            e.1 += p.disbursed;
        }
    }
    lines
        .into_iter()
        .map(|(name, (planned, paid))| FundLine {
            name,
            planned_wan: wan(planned),
            disbursed_wan: wan(paid),
            disbursement_pct: pct(paid.into(), planned.into()),
        })
        .collect()
}

/// Each township's flow indicators whose quarter amount (hundredths) is negative: its year to
/// date at the quarter's last month with a report below that at the previous quarter's end.
/// Listed whatever the county's total for the indicator.
fn falling_indicators<'p>(plan: &'p Plan, seen: &Seen, q: Quarter) -> Vec<(&'p str, &'p crate::setup::plan::Indicator, i64)> {
    let previous_end = q.q.checked_sub(1).filter(|&p| p > 0).and_then(|p| Period::new(q.year, 3 * p));
    let to_date = |r: Option<&Report>, name: &str| r.and_then(|r| r.indicators.iter().find(|i| i.name == name)).map_or(0, |i| i.to_date);
    let mut out = Vec::new();
    for t in &plan.townships {
        let (Status::Reported | Status::CarriedForward, Some(now)) = seen.source(t, seen.period) else { continue };
        let before = match previous_end.map(|p| seen.source(t, p)) {
            Some((Status::Unverified, _)) => continue,
            Some((_, r)) => r,
            None => None,
        };
        for ind in plan.indicators.iter().filter(|i| i.kind == IndicatorKind::Flow) {
            let amount = to_date(Some(now), &ind.name) - to_date(before, &ind.name);
            if amount < 0 {
                out.push((t.as_str(), ind, amount));
            }
        }
    }
    out
}

/// The facts behind 存在问题 (no prose: the office's template words them).
#[derive(Debug, Clone, Default, Serialize)]
pub struct QuarterFindings {
    /// Townships behind time progress.
    pub behind: Vec<String>,
    /// Townships whose year-to-date number of people lifted fell: the quarter's (negative) number.
    pub lifted_fell: Vec<LiftedFell>,
    /// Indicators whose year-to-date amount fell in a township.
    pub indicators_fell: Vec<IndicatorFell>,
    /// Villages reported exited whose incidence is still at or above 2 %.
    pub doubtful_exits: Vec<DoubtfulExit>,
    /// Townships without a report of the previous year (exits counted from this year's 是).
    pub exits_unknown: Vec<String>,
    /// Months of the quarter so far, each with the townships that have not reported it.
    pub late: Vec<Late>,
    /// Warnings still open in the workbooks of the quarter (on its figures: not what a 公示
    /// lacks, `validate::notices::is_notices`).
    pub open_warnings: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct LiftedFell {
    pub township: String,
    pub lifted_quarter: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct IndicatorFell {
    pub township: String,
    pub name: String,
    pub unit: String,
    /// The quarter's amount (negative).
    pub amount: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct DoubtfulExit {
    pub township: String,
    pub village: String,
    pub period: Period,
}

#[derive(Debug, Clone, Serialize)]
pub struct Late {
    pub period: Period,
    pub townships: Vec<String>,
}

/// 存在问题: behind time progress, falling year-to-date figures, questionable exits, unknown
/// exits of the previous year, missing reports, open warnings.
fn findings(plan: &Plan, seen: &Seen, q: Quarter, now: &MonthFigures, ts: &[TownshipQuarter], diags: &[Diagnostic]) -> QuarterFindings {
    let in_quarter: Vec<&Report> = seen.of_year().filter(|r| Quarter::of(r.period) == q).collect();
    let files: BTreeSet<&str> = in_quarter.iter().map(|r| r.file.as_str()).collect();
    QuarterFindings {
        behind: ts.iter().filter(|t| t.behind_schedule).map(|t| t.name.clone()).collect(),
        lifted_fell: ts
            .iter()
            .filter_map(|t| t.lifted_quarter.filter(|a| *a < 0).map(|a| LiftedFell { township: t.name.clone(), lifted_quarter: a }))
            .collect(),
        indicators_fell: falling_indicators(plan, seen, q)
            .into_iter()
            .map(|(township, ind, amount)| IndicatorFell { township: township.into(), name: ind.name.clone(), unit: ind.unit.clone(), amount: wan(amount) })
            .collect(),
        doubtful_exits: in_quarter
            .iter()
            .flat_map(|r| r.villages.iter().map(move |v| (r, v)))
            .filter(|(r, v)| v.exited && village_type(plan, &r.township, v).is_poverty_village() && incidence_at_least_2pct(v))
            .map(|(r, v)| DoubtfulExit { township: r.township.clone(), village: v.name.clone(), period: r.period })
            .collect(),
        exits_unknown: now.exits_unknown.clone(),
        late: late(plan, seen, q),
        open_warnings: diags
            .iter()
            .filter(|d| d.severity == Severity::Warning && files.contains(d.file.as_str()) && !crate::validate::notices::is_notices(d))
            .count(),
    }
}

/// The months of `q` up to the period seen that some township reported, with the townships
/// that have not reported them (a month no township reported is a gap of the quarter's
/// coverage, not any one township's lateness).
fn late(plan: &Plan, seen: &Seen, q: Quarter) -> Vec<Late> {
    let year: Vec<&Report> = seen.of_year().collect();
    q.months()
        .filter(|p| *p <= seen.period && year.iter().any(|r| r.period == *p))
        .map(|p| Late { period: p, townships: plan.townships.iter().filter(|t| !year.iter().any(|r| r.period == p && r.township == **t)).cloned().collect() })
        .filter(|l| !l.townships.is_empty())
        .collect()
}
