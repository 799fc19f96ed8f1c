//! Reading workbooks: diagnostics name file › sheet › cell, and every problem is reported.

use crate::common;

use common::{n, t, Book, TestData, P, V};
use jianbao::diag::{Diagnostic, Severity};
use jianbao::sample::xlsx::Sheet;

fn diagnostics(d: &TestData) -> Vec<Diagnostic> {
    jianbao::check(&d.options()).unwrap().diagnostics.into_iter().filter(|d| d.file != "plan.yaml").collect()
}

fn find<'a>(diags: &'a [Diagnostic], code: &str) -> &'a Diagnostic {
    diags.iter().find(|d| d.code == code).unwrap_or_else(|| panic!("no {code} in {diags:#?}"))
}

fn book<'a>(villages: Vec<V<'a>>) -> Book<'a> {
    Book { township: "南村乡", month: "2018-03", villages, projects: vec![], indicators: vec![] }
}

#[test]
fn text_in_a_number_column_is_an_error_at_its_cell() {
    let d = TestData::new();
    let mut sheets = book(vec![V("关底村", "深度贫困村", 1000, 300, 0, 50, "否", "")]).sheets();
    // Row 2 of 村级进度, 累计脱贫人数 is column F.
    sheets[1].rows[1][5] = t("约50");
    sheets[1].rows[1][2] = t("1,000");
    d.write("submissions/南村乡.xlsx", &jianbao::sample::xlsx::write(&sheets).unwrap());
    let diags = diagnostics(&d);
    let e = find(&diags, "E-NUMBER");
    assert_eq!(e.severity, Severity::Error);
    assert_eq!(e.file, "submissions/南村乡.xlsx");
    assert_eq!((e.sheet.as_deref(), e.cell.as_deref()), (Some("村级进度"), Some("F2")));
    assert!(e.message.contains("约50"), "{}", e.message);
    assert_eq!(diags.iter().filter(|d| d.code == "E-NUMBER").count(), 1, "1,000 is a number: {diags:#?}");
}

#[test]
fn all_problems_are_reported_at_once_across_files() {
    let d = TestData::new();
    let mut sheets = book(vec![V("关底村", "深度贫困村", 1000, 300, 0, 350, "也许", "")]).sheets();
    sheets[1].rows[1][3] = t("五十");
    d.write("a/南村乡.xlsx", &jianbao::sample::xlsx::write(&sheets).unwrap());
    d.write("b/坏文件.xlsx", b"this is not a spreadsheet");
    d.write("b/说明.txt", b"notes");
    d.write("b/~$南村乡.xlsx", b"lock file");
    let mut other = book(vec![V("南岭村", "深度贫困村", 1000, 300, 0, 10, "否", "")]);
    other.township = "段材乡";
    d.add("c/段材乡.xlsx", &other);
    let mut short = book(vec![V("南岭村", "深度贫困村", 1000, 300, 0, 10, "否", "")]);
    short.township = "段村";
    d.add("d/段村月报.xlsx", &short);
    let diags = diagnostics(&d);
    assert_eq!(find(&diags, "E-NUMBER").cell.as_deref(), Some("D2"));
    assert_eq!(find(&diags, "E-YESNO").cell.as_deref(), Some("G2"));
    assert_eq!(find(&diags, "E-FORMAT").file, "b/坏文件.xlsx");
    assert_eq!(find(&diags, "N-SKIPPED").file, "b/说明.txt");
    let unknown = find(&diags, "E-TOWNSHIP");
    assert_eq!((unknown.file.as_str(), unknown.cell.as_deref()), ("c/段材乡.xlsx", Some("B1")));
    assert!(unknown.message.contains("是否为“段村乡”"), "{}", unknown.message);
    let short = find(&diags, "W-TOWNSHIP-SHORT");
    assert_eq!((short.file.as_str(), short.cell.as_deref()), ("d/段村月报.xlsx", Some("B1")));
    assert!(!diags.iter().any(|d| d.file.contains("~$")), "lock files are skipped silently");
}

#[test]
fn cumulative_above_start_and_overpaid_projects_are_errors() {
    let d = TestData::new();
    let mut b = book(vec![V("关底村", "深度贫困村", 1000, 300, 0, 350, "否", "")]);
    b.projects = vec![P("道路", "基础设施", "关底村", "统筹整合", 10.0, 12.5, "在建")];
    d.add("南村乡.xlsx", &b);
    let diags = diagnostics(&d);
    let over = diags.iter().filter(|d| d.code == "E-RANGE").map(|d| (d.sheet.clone().unwrap(), d.cell.clone().unwrap())).collect::<Vec<_>>();
    assert_eq!(over, [("村级进度".to_string(), "F2".to_string()), ("项目资金".to_string(), "F2".to_string())]);
}

#[test]
fn header_row_is_found_by_name_under_title_rows_in_any_column_order() {
    let d = TestData::new();
    let mut sheets = book(vec![]).sheets();
    let mut v = Sheet::new("村级进度");
    v.row(vec![t("南村乡村级脱贫进度表")]);
    v.row(vec![t("单位：人")]);
    v.row(vec![t("累计脱贫\n人数"), t("村名"), t("年初贫困人口（人）"), t("户籍人口(人)")]);
    v.row(vec![n(40.0), t(" 关底村 "), t("３００"), n(1000.0)]);
    v.row(vec![]);
    v.row(vec![n(40.0), t("合计"), n(300.0), n(999.0)]);
    sheets[1] = v;
    d.write("南村乡.xlsx", &jianbao::sample::xlsx::write(&sheets).unwrap());
    let checked = jianbao::check(&d.options()).unwrap();
    let total = find(&checked.diagnostics, "W-TOTAL");
    assert_eq!(total.cell.as_deref(), Some("D6"));
    let r = &checked.reports[0];
    assert_eq!(r.villages.len(), 1);
    let g = &r.villages[0];
    assert_eq!((g.name.as_str(), g.population, g.poor_at_start, g.lifted_to_date), ("关底村", 1000, 300, 40));
}

#[test]
fn two_files_for_one_township_and_month_name_each_other() {
    let d = TestData::new();
    d.add("a.xlsx", &book(vec![V("关底村", "深度贫困村", 1000, 300, 0, 50, "否", "")]));
    d.add("b.xlsx", &book(vec![V("关底村", "深度贫困村", 1000, 300, 0, 50, "否", "")]));
    let checked = jianbao::check(&d.options()).unwrap();
    let dups: Vec<&Diagnostic> = checked.diagnostics.iter().filter(|d| d.code == "E-DUPLICATE").collect();
    assert_eq!(dups.len(), 2);
    assert!(dups[0].file == "a.xlsx" && dups[0].message.contains("b.xlsx"));
    assert!(checked.reports.is_empty(), "neither file is picked silently");
}

#[test]
fn months_are_checked_against_the_month_before() {
    let d = TestData::new();
    d.add("2018-02.xlsx", &Book { month: "2018年2月", ..book(vec![V("关底村", "深度贫困村", 1000, 300, 10, 60, "否", "")]) });
    d.add("2018-03.xlsx", &book(vec![V("关底村", "深度贫困村", 1000, 310, 5, 50, "否", "")]));
    let diags = diagnostics(&d);
    let down = find(&diags, "E-CUMULATIVE-DOWN");
    assert_eq!((down.file.as_str(), down.cell.as_deref()), ("2018-03.xlsx", Some("F2")));
    assert_eq!(find(&diags, "W-POOR-START").cell.as_deref(), Some("D2"));
}

#[test]
fn near_miss_village_gets_a_hint() {
    let d = TestData::new();
    let mut b = book(vec![V("关底村", "深度贫困村", 1000, 300, 0, 50, "否", "")]);
    b.township = "段村乡";
    b.villages = vec![V("赵勾村", "", 1000, 300, 0, 50, "否", "")];
    d.add("段村乡.xlsx", &b);
    let diags = diagnostics(&d);
    let near = find(&diags, "W-VILLAGE-NEAR");
    assert_eq!(near.cell.as_deref(), Some("A2"));
    assert!(near.message.contains("是否为“赵沟村”"), "{}", near.message);
    assert!(diags.iter().any(|d| d.code == "W-VILLAGE-MISSING" && d.message.contains("南岭村")));
}

#[test]
fn errors_stop_the_build_but_the_validation_report_is_written() {
    let d = TestData::new();
    let mut sheets = book(vec![V("关底村", "深度贫困村", 1000, 300, 0, 50, "否", "")]).sheets();
    sheets[1].rows[1][5] = t("约50");
    d.write("南村乡.xlsx", &jianbao::sample::xlsx::write(&sheets).unwrap());
    let built = jianbao::build(&d.options()).unwrap();
    assert!(built.has_errors());
    let report = std::fs::read_to_string(d.out().join("数据校验报告.txt")).unwrap();
    assert!(report.contains("错误 E-NUMBER  南村乡.xlsx › 村级进度 › F2"), "{report}");
    assert!(!d.out().join("2018-03").exists(), "no bulletin from data with errors");
}
