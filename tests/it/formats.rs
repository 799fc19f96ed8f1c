//! Every accepted format and every harmless variation gives exactly the figures of a clean twin.

use crate::common;

use common::{n, repo, t, Book, TestData, P, V};
use jianbao::sample::xlsx::{self, Sheet, Value};

fn clean_twin() -> Book<'static> {
    Book {
        township: "南村乡",
        month: "2018-03",
        villages: vec![V("关底村", "深度贫困村", 1000, 300, 20, 50, "否", "已核实"), V("青山村", "深度贫困村", 800, 200, 10, 30, "否", "")],
        projects: vec![P("关底村道路", "基础设施", "关底村", "统筹整合", 100.0, 40.5, "在建")],
        indicators: vec![("危房改造户数", 2.0, 5.0)],
    }
}

/// Figures for 2018-03 and the diagnostics of the files other than plan.yaml.
fn figures(d: &TestData) -> (serde_json::Value, Vec<jianbao::diag::Diagnostic>) {
    let c = jianbao::check(&d.options()).unwrap();
    let f = jianbao::aggregate::month(&c.plan, &c.reports, "2018-03".parse().unwrap(), &Default::default());
    let diags = c.diagnostics.into_iter().filter(|d| d.file != "plan.yaml").collect();
    (serde_json::to_value(f).unwrap(), diags)
}

fn expected() -> serde_json::Value {
    let d = TestData::new();
    d.add("南村乡.xlsx", &clean_twin());
    let (f, diags) = figures(&d);
    assert!(diags.iter().all(|d| d.code == "W-VILLAGE-MISSING"), "{diags:#?}");
    f
}

fn only_missing_villages(diags: &[jianbao::diag::Diagnostic]) {
    let other: Vec<_> = diags.iter().filter(|d| d.code != "W-VILLAGE-MISSING").collect();
    assert!(other.is_empty(), "{other:#?}");
}

#[test]
fn xls_and_ods_fixtures_read_like_their_xlsx_twin() {
    let want = expected();
    for ext in ["xls", "ods"] {
        let d = TestData::new();
        let name = format!("南村乡-2018-03.{ext}");
        d.write(&name, &std::fs::read(repo().join("tests/fixtures").join(&name)).unwrap());
        let (got, diags) = figures(&d);
        only_missing_villages(&diags);
        assert_eq!(got, want, "{ext}");
    }
}

#[test]
fn messy_but_valid_workbook_gives_the_same_figures() {
    let d = TestData::new();
    let mut cover = Sheet::new(" 基本信息 ");
    cover.row(vec![t("南村乡脱贫攻坚月报")]);
    cover.row(vec![]);
    cover.row(vec![t("填报人"), t("张三"), Value::Blank, t("统计月份"), t("201803")]);
    cover.row(vec![t("乡（镇）"), t("南村乡 ")]);
    let mut v = Sheet::new("村级进度");
    v.row(vec![t("南村乡村级脱贫进度表")]);
    v.row(vec![t("单位：人")]);
    v.row(vec![t("备注"), t("累计脱贫\n人数"), t("村 名"), t("户籍人口（人）"), t("年初建档立卡贫困人口"), t("当月脱贫"), t("出列"), t("联系人")]);
    v.row(vec![t("已核实"), t("５０"), t("关底村  "), t("1,000"), n(300.0), t(" 20 "), t("×"), t("李四")]);
    v.row(vec![]);
    v.row(vec![Value::Blank, n(30.0), t("青山"), n(800.0), t("２００"), n(10.0), Value::Blank]);
    v.row(vec![Value::Blank, n(80.0), t("合计"), n(1800.0), n(500.0), n(30.0)]);
    v.hidden_rows = vec![5];
    let mut p = Sheet::new("项目资金");
    p.row(vec![t("单位：万元")]);
    p.row(["累计拨付", "项目名称", "资金来源", "计划投资（万元）", "所在村", "项目类别", "项目状态"].map(t).to_vec());
    p.row(vec![t("40.50"), t("关底村道路"), t("统筹整合"), t("１００"), t("关底村"), t("基础设施"), t("在建")]);
    let mut i = Sheet::new("专项指标");
    i.row(vec![t("本年累计"), t("指标名称"), t("本月完成")]);
    i.row(vec![t("5"), t(" 危房改造户数 "), Value::Blank]);
    i.row(vec![]);
    d.write("乡镇报表/南村乡3月报表(终稿).xlsx", &xlsx::write(&[cover, v, p, i]).unwrap());
    d.write("乡镇报表/~$南村乡3月报表(终稿).xlsx", b"lock");
    let (got, diags) = figures(&d);
    let codes: Vec<&str> = diags.iter().map(|d| d.code.as_str()).collect();
    assert!(codes.iter().all(|c| ["W-VILLAGE-MISSING", "N-COLUMN"].contains(c)), "{diags:#?}");
    assert_eq!(diags.iter().find(|d| d.code == "N-COLUMN").unwrap().cell.as_deref(), Some("H3"));
    // 本月完成 blank is 0; every other figure as in the twin (its indicator had 2 this month,
    // which the figures do not use).
    assert_eq!(got, expected());
}

#[test]
fn merged_title_cells_do_not_shift_references() {
    let d = TestData::new();
    let mut sheets = clean_twin().sheets();
    // Insert a title row above the 村级进度 header, as a merged cell would leave it.
    sheets[1].rows.insert(0, vec![t("南村乡村级脱贫进度表"), Value::Blank, Value::Blank]);
    sheets[1].rows[2][5] = t("约50");
    d.write("南村乡.xlsx", &xlsx::write(&sheets).unwrap());
    let (_, diags) = figures(&d);
    let e = diags.iter().find(|d| d.code == "E-NUMBER").unwrap();
    assert_eq!(e.cell.as_deref(), Some("F3"));
}

/// Rewrites a cell of an .xlsx so that it holds a formula with no cached value.
fn strip_cached_value(bytes: &[u8], sheet_xml: &str, cell: &str, formula: &str) -> Vec<u8> {
    common::rewrite(bytes.to_vec(), sheet_xml, |xml| {
        let start = xml.find(&format!("<c r=\"{cell}\"")).expect("cell in sheet");
        let end = start + xml[start..].find("</c>").unwrap() + 4;
        format!("{}<c r=\"{cell}\"><f>{formula}</f></c>{}", &xml[..start], &xml[end..])
    })
}

#[test]
fn formula_without_cached_value_is_an_error_at_its_cell() {
    let d = TestData::new();
    let bytes = xlsx::write(&clean_twin().sheets()).unwrap();
    let bytes = strip_cached_value(&bytes, "xl/worksheets/sheet2.xml", "F2", "E2+30");
    d.write("南村乡.xlsx", &bytes);
    let (_, diags) = figures(&d);
    let errors: Vec<_> = diags.iter().filter(|d| d.severity == jianbao::diag::Severity::Error).collect();
    assert_eq!(errors.len(), 1, "one error, not a second E-REQUIRED: {errors:#?}");
    assert_eq!((errors[0].code.as_str(), errors[0].sheet.as_deref(), errors[0].cell.as_deref()), ("E-FORMULA", Some("村级进度"), Some("F2")));
    assert!(errors[0].message.contains("E2+30"));
}

#[test]
fn zip_bomb_and_oversized_sheets_are_refused_with_a_diagnostic() {
    use std::io::Write;
    let d = TestData::new();
    // 300 MB of zeros compresses to a few hundred KB.
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    w.start_file("xl/worksheets/sheet1.xml", zip::write::SimpleFileOptions::default()).unwrap();
    let chunk = vec![0u8; 1 << 20];
    for _ in 0..300 {
        w.write_all(&chunk).unwrap();
    }
    d.write("炸弹.xlsx", &w.finish().unwrap().into_inner());
    let mut big = clean_twin().sheets();
    big[1].rows.push(vec![]);
    while big[1].rows.len() < 5_002 {
        big[1].rows.push(vec![]);
    }
    big[1].rows.push(vec![t("远处"), t("非贫困村"), n(1.0), n(0.0), n(0.0), n(0.0)]);
    d.write("大表.xlsx", &xlsx::write(&big).unwrap());
    let (_, diags) = figures(&d);
    let bomb = diags.iter().find(|d| d.file == "炸弹.xlsx").unwrap();
    assert_eq!(bomb.code, "E-TOO-LARGE", "{bomb:?}");
    let big = diags.iter().find(|d| d.file == "大表.xlsx" && d.code == "E-TOO-LARGE").unwrap();
    assert_eq!(big.sheet.as_deref(), Some("村级进度"));
}

#[test]
fn inputs_the_fuzzer_found_are_refused_cleanly() {
    let dir = repo().join("tests/fixtures/fuzz");
    let plan = jianbao::plan::Plan::load(&repo().join("data/plan.yaml")).unwrap();
    let mut seen = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let read = jianbao::submission::read(&std::fs::read(&path).unwrap(), "x.xls", &plan);
        let (report, diags) = (read.report, read.diagnostics);
        assert!(report.is_none() && diags.iter().any(|d| ["E-OPEN", "E-FORMAT", "E-TOO-LARGE"].contains(&d.code.as_str())), "{}: {diags:?}", path.display());
        seen += 1;
    }
    assert!(seen >= 1);
}
