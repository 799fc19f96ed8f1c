//! Table rows and masthead fields the documents share: one way to show a village, a fund
//! line, an indicator, the 版记 and the masthead, whichever document shows it.

use serde_json::json;

use super::format::{amount, count, pct, wan};
use crate::aggregate::quarter::{FundLine, MonthPoint};
use crate::aggregate::{IndicatorFigures, VillageFigures};
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

/// A fund line: category or source, planned, disbursed, rate.
pub fn funds(lines: &[FundLine]) -> Vec<Vec<String>> {
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
