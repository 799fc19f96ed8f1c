//! Table rows and masthead fields the documents share: one way to show a village, a fund
//! line, an indicator, the 版记 and the masthead, whichever document shows it.

use serde_json::json;

use super::format::{amount, count, pct, wan};
use crate::aggregate::quarter::{FundLine, MonthPoint};
use crate::aggregate::{CountyFigures, IndicatorFigures, Status, TownshipFigures, VillageFigures};
use crate::config::Config;

/// The masthead and 版记 fields of a document (`masthead`, `issue`, `office`, `date`,
/// `distribution`, `copies`), merged into its view.
pub fn frame(config: &Config, issue: &str, date: &str) -> serde_json::Value {
    json!({
        "masthead": config.masthead,
        "issue": issue,
        "office": config.office,
        "date": date,
        "distribution": config.distribution.iter().map(|d| json!({"label": d.label, "text": d.text})).collect::<Vec<_>>(),
        "copies": (config.copies > 0).then(|| config.copies.to_string()),
    })
}

/// `view` with `fields` added.
pub fn merged(mut view: serde_json::Value, fields: serde_json::Value) -> serde_json::Value {
    if let (Some(v), serde_json::Value::Object(f)) = (view.as_object_mut(), fields) {
        v.extend(f);
    }
    view
}

/// A listed village: township, name, population, poor at the start of the year, remaining,
/// incidence; with `exited`, also whether it has exited.
pub fn village(v: &VillageFigures, exited: bool) -> Vec<String> {
    let mut row = vec![
        v.township.clone(),
        v.name.clone(),
        v.population.map_or("未报".into(), count),
        v.poor_at_start.map_or("—".into(), count),
        v.remaining_poor.map_or("—".into(), count),
        pct(v.incidence_pct),
    ];
    if exited {
        row.push(if v.exited { "是".into() } else { "否".into() });
    }
    row
}

/// A township's year so far: name, poor at the start of the year, [lifted this month,] lifted
/// this year, completion, exits this year and in all, disbursement, rank; a township without
/// figures shows 未报送 or 数据待核 across the row.
pub fn township(t: &TownshipFigures, this_month: bool) -> Vec<String> {
    let columns = if this_month { 9 } else { 8 };
    match t.status {
        Status::Missing => return super::format::placeholder_row(&t.name, "未报送", columns),
        Status::Unverified => return super::format::placeholder_row(&t.name, "数据待核", columns),
        Status::Reported | Status::CarriedForward => {}
    }
    let mut row = vec![t.name.clone(), count(t.poor_at_start)];
    if this_month {
        row.push(t.lifted_this_month.map_or("未报送".into(), count));
    }
    row.extend([
        count(t.lifted_to_date),
        pct(t.progress_pct),
        count(t.exited_this_year),
        count(t.exited_total),
        pct(t.disbursement_pct),
        t.rank.map_or("—".into(), |r| r.to_string()),
    ]);
    row
}

/// The two fund tables (by category, by source) numbered 表`first` and 表`first + 1`, with
/// the county total under each.
pub fn fund_tables(by_category: &[FundLine], by_source: &[FundLine], c: &CountyFigures, first: u8) -> serde_json::Value {
    json!({
        "category_caption": format!("表{first}　扶贫项目资金（按项目类别，单位：万元）"),
        "source_caption": format!("表{}　扶贫项目资金（按资金来源，单位：万元）", first + 1),
        "fund_header": ["类别", "计划投资", "累计拨付", "拨付率"],
        "category_rows": funds(by_category),
        "source_rows": funds(by_source),
        "fund_total": ["合计", wan(c.planned_wan), wan(c.disbursed_wan), pct(c.disbursement_pct)],
    })
}

/// A fund line: category or source, planned, disbursed, rate.
fn funds(lines: &[FundLine]) -> Vec<Vec<String>> {
    lines.iter().map(|l| vec![l.name.clone(), wan(l.planned_wan), wan(l.disbursed_wan), pct(l.disbursement_pct)]).collect()
}

/// An indicator: name, unit, [quarter amount,] year to date, target (`*` for a multi-year
/// one), completion, time progress, status.
pub fn indicator(y: &IndicatorFigures, quarter_amount: Option<Option<f64>>) -> Vec<String> {
    let status = match (y.target, y.behind_schedule) {
        (None, _) => "无目标",
        (Some(_), true) => "滞后",
        (Some(_), false) => "正常",
    };
    let mut row = vec![y.name.clone(), y.unit.clone()];
    if let Some(q) = quarter_amount {
        row.push(q.map_or("—".into(), amount));
    }
    row.extend([
        amount(y.year_to_date),
        y.target.map_or("—".into(), |t| format!("{}{}", amount(t), if is_multi_year(y) { "*" } else { "" })),
        pct(y.completion_pct),
        pct(y.time_progress_pct),
        status.into(),
    ]);
    row
}

fn is_multi_year(y: &IndicatorFigures) -> bool {
    y.target_span.as_deref().is_some_and(|s| s.contains('—'))
}

/// The note under an indicator table for the multi-year targets.
pub fn indicator_note<'a>(indicators: impl Iterator<Item = &'a IndicatorFigures>) -> String {
    indicators
        .filter(|y| is_multi_year(y))
        .map(|y| {
            let span = y.target_span.as_deref().unwrap_or_default();
            format!("注：*{}的目标为{span}合计，完成率按{span}累计完成{}{}计算。", y.name, amount(y.value), y.unit)
        })
        .collect()
}

/// The month-by-month chart of people lifted out.
pub fn trend(points: &[MonthPoint]) -> Vec<serde_json::Value> {
    points.iter().map(|m| json!({"label": format!("{}月", m.period.month), "value": m.lifted_this_month})).collect()
}
