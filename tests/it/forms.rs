//! Blank submission workbooks: what is pre-filled, the dropdowns and protection, and the round
//! trip: a template filled in with valid numbers passes `check` without a single diagnostic.

use crate::common;

use std::io::Read;

use calamine::{open_workbook_auto_from_rs, Data, Reader};
use common::copy_project;
use jianbao::sample::{
    self,
    xlsx::{Sheet, Value},
};

fn sheets(bytes: &[u8]) -> Vec<(String, Vec<Vec<Value>>)> {
    let mut book = open_workbook_auto_from_rs(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let names = book.sheet_names();
    names
        .into_iter()
        .map(|n| {
            let range = book.worksheet_range(&n).unwrap();
            let (h, w) = range.get_size();
            let (r0, c0) = range.start().unwrap_or((0, 0));
            assert_eq!(c0, 0);
            let mut rows = vec![Vec::new(); r0 as usize];
            for r in 0..h {
                rows.push(
                    (0..w)
                        .map(|c| match range.get((r, c)) {
                            Some(Data::String(s)) => Value::Text(s.clone()),
                            Some(Data::Float(x)) => Value::Number(*x),
                            Some(Data::Int(x)) => Value::Number(*x as f64),
                            _ => Value::Blank,
                        })
                        .collect(),
                );
            }
            (n, rows)
        })
        .collect()
}

fn text(v: &Value) -> &str {
    match v {
        Value::Text(s) => s,
        _ => "",
    }
}

fn xml(bytes: &[u8], name: &str) -> String {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut s = String::new();
    zip.by_name(name).unwrap().read_to_string(&mut s).unwrap();
    s
}

#[test]
fn a_filled_template_passes_check_without_a_diagnostic() {
    let (_dir, opts) = copy_project();
    let written = jianbao::templates(&opts, "2018-07".parse().unwrap(), None).unwrap();
    assert_eq!(written.len(), 10);
    let checked = jianbao::check(&opts).unwrap();
    let june: Vec<_> = checked.reports.iter().filter(|r| r.period.month == 6).collect();
    let plan = &checked.plan;
    let county = sample::county(plan, 2018);
    for t in &county {
        let path = opts.out.join(format!("templates/2018-07/{}.xlsx", t.name));
        let bytes = std::fs::read(&path).unwrap();
        let mut book = sheets(&bytes);
        let names: Vec<&str> = book.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["填表说明", "基本信息", "村级进度", "项目资金", "专项指标"]);
        // Cover pre-filled.
        assert_eq!((text(&book[1].1[1][1]), text(&book[1].1[2][1])), (t.name.as_str(), "2018年7月"));
        // Villages: every sample village, with June's population and year-start poor.
        let report = june.iter().find(|r| r.township == t.name).unwrap();
        let villages = &mut book[2].1;
        assert_eq!(villages.len() - 3, t.villages.len(), "{}", t.name);
        for row in villages.iter_mut().skip(3) {
            let name = text(&row[0]).to_string();
            let before = report.villages.iter().find(|v| v.name == name).unwrap();
            assert_eq!(row[2], Value::Number(f64::from(before.population)));
            assert_eq!(row[3], Value::Number(f64::from(before.poor_at_start)));
            // Fill in July as the township would.
            let v = t.villages.iter().find(|v| v.name == name).unwrap();
            row.resize(9, Value::Blank);
            row[4] = Value::from(sample::lifted_by(v, 7) - sample::lifted_by(v, 6));
            row[5] = Value::from(sample::lifted_by(v, 7));
            if row[6] == Value::Blank {
                row[6] = Value::from("否");
            }
        }
        // Indicators: every indicator of the plan; nothing new this month.
        let indicators = &mut book[4].1;
        assert_eq!(indicators.len() - 3, plan.indicators.len());
        for row in indicators.iter_mut().skip(3) {
            let before = report.indicators.iter().find(|i| i.name == text(&row[0])).map_or(0.0, |i| i.to_date as f64 / 100.0);
            row.resize(4, Value::Blank);
            row[1] = Value::Number(0.0);
            row[2] = Value::Number(before);
        }
        let filled: Vec<Sheet> = book.into_iter().map(|(name, rows)| Sheet { name, rows, hidden_rows: vec![] }).collect();
        let rel = sample::file_name(&t.name, "2018-07".parse().unwrap());
        let path = opts.data.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, sample::xlsx::write(&filled).unwrap()).unwrap();
    }
    let after = jianbao::check(&opts).unwrap();
    let july: Vec<_> = after.diagnostics.iter().filter(|d| d.file.contains("2018-07")).collect();
    assert!(july.is_empty(), "{july:#?}");
    assert_eq!(after.reports.iter().filter(|r| r.period.month == 7).count(), 10);
}

#[test]
fn templates_have_dropdowns_validation_and_locked_headers() {
    let (_dir, opts) = copy_project();
    let written = jianbao::templates(&opts, "2018-07".parse().unwrap(), Some("段村")).unwrap();
    assert_eq!(written, [opts.out.join("templates/2018-07/段村乡.xlsx")]);
    let bytes = std::fs::read(&written[0]).unwrap();
    let villages = xml(&bytes, "xl/worksheets/sheet3.xml");
    assert!(villages.contains("<sheetProtection"), "village sheet protected");
    assert!(villages.contains("\"深度贫困村,贫困村,非贫困村\""), "村类型 dropdown");
    assert!(villages.contains("\"是,否\""), "是否出列 dropdown");
    assert!(villages.contains("type=\"whole\""), "whole-number validation");
    let projects = xml(&bytes, "xl/worksheets/sheet4.xml");
    for list in ["产业扶贫", "统筹整合", "未开工,在建,已完工"] {
        assert!(projects.contains(list), "{list}");
    }
    // The same request twice gives the same bytes.
    let again = jianbao::templates(&opts, "2018-07".parse().unwrap(), Some("段村乡")).unwrap();
    assert!(std::fs::read(&again[0]).unwrap() == bytes);
    let err = jianbao::templates(&opts, "2018-07".parse().unwrap(), Some("不存在镇")).unwrap_err();
    assert!(err.to_string().contains("南村乡"), "lists the townships: {err}");
}
