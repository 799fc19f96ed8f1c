//! The validation report (数据校验报告) as a PDF: every diagnostic grouped by file, with
//! sheet and cell, so that staff can phone each township with a precise list.

use serde_json::json;

use super::{coverage, Engine, Prepared};
use crate::diag::Diagnostic;
use crate::period::Period;

pub const MAIN: &str = "report.typ";
/// The Typst templates the report is compiled from.
pub const TEMPLATES: &[&str] = &["gongwen.typ", "report.typ"];

/// The report's sources. `periods` is the span of the data read, if any.
pub fn prepare(engine: &Engine, diags: &[Diagnostic], files_read: usize, periods: Option<(Period, Period)>, office: &str) -> Prepared {
    let book = engine.fonts().book();
    // A character no font has (reported as E-GLYPH) is printed as its code point instead.
    let printable = |s: &str| -> String {
        s.chars()
            .map(|c| match coverage::missing_in(book, engine.fonts().roles(), c) {
                Some(_) => format!("〔U+{:04X}〕", c as u32),
                None => c.to_string(),
            })
            .collect()
    };
    let groups: Vec<serde_json::Value> = crate::report::grouped(diags)
        .into_iter()
        .map(|(file, list)| {
            let rows: Vec<Vec<String>> = list
                .iter()
                .map(|d| {
                    let place = [&d.sheet, &d.cell].into_iter().flatten().cloned().collect::<Vec<_>>().join("　");
                    vec![d.severity.label().to_string(), d.code.clone(), printable(&place), printable(&d.message)]
                })
                .collect();
            json!({ "file": printable(file), "rows": rows })
        })
        .collect();
    let span = periods.map(|(a, b)| if a == b { a.chinese() } else { format!("{}—{}", a.chinese(), b.chinese()) });
    let data = json!({
        "meta": super::pdf_meta("数据校验报告", &span.clone().map(|s| format!("报表数据校验报告（{s}）")).unwrap_or("报表数据校验报告".into()), office, &["脱贫攻坚", "数据校验报告"]),
        "title": "数据校验报告",
        "span": span.map(|s| format!("数据期间：{s}")).unwrap_or_default(),
        "summary": crate::report::summary(diags, files_read),
        "empty": diags.is_empty(),
        "groups": groups,
    });
    let generated = vec![("/data.json".to_string(), serde_json::to_vec_pretty(&data).expect("serialisable"))];
    let date = periods.map_or((2018, 1, 1), |(_, b)| (b.year, b.month, b.last_day()));
    Prepared::new("数据校验报告", MAIN, TEMPLATES, generated, date)
}
