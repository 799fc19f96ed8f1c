//! One case per rule of the submission contract: a clean workbook with one thing wrong, and
//! the exact diagnostic it must produce (code, file, sheet, cell).

mod common;

use common::{n, t, Book, TestData, P, V};
use jianbao::diag::Diagnostic;
use jianbao::sample::xlsx::{self, Sheet};

fn clean() -> Book<'static> {
    Book {
        township: "南村乡",
        month: "2018-03",
        villages: vec![
            V("关底村", "深度贫困村", 1000, 300, 20, 50, "否", ""),
            V("石门村", "贫困村", 1500, 40, 5, 25, "否", ""),
        ],
        projects: vec![P("关底村道路", "基础设施", "关底村", "统筹整合", 100.0, 40.0, "在建")],
        indicators: vec![("危房改造户数", 2.0, 5.0)],
    }
}

/// Diagnostics other than the plan's own and the missing listed villages of a short workbook.
fn run(files: &[(&str, Vec<Sheet>)]) -> Vec<Diagnostic> {
    let d = TestData::new();
    for (name, sheets) in files {
        d.write(name, &xlsx::write(sheets).unwrap());
    }
    let c = jianbao::check(&d.options()).unwrap();
    c.diagnostics.into_iter().filter(|d| d.file != "plan.yaml" && d.code != "W-VILLAGE-MISSING").collect()
}

fn expect(files: &[(&str, Vec<Sheet>)], code: &str, file: &str, sheet: Option<&str>, cell: Option<&str>, says: &str) {
    let diags = run(files);
    let hit = diags.iter().find(|d| d.code == code).unwrap_or_else(|| panic!("no {code}: {diags:#?}"));
    assert_eq!((hit.file.as_str(), hit.sheet.as_deref(), hit.cell.as_deref()), (file, sheet, cell), "{hit:?}");
    assert!(hit.message.contains(says), "{code}: {}", hit.message);
}

fn with(edit: impl FnOnce(&mut Vec<Sheet>)) -> Vec<Sheet> {
    let mut s = clean().sheets();
    edit(&mut s);
    s
}

#[test]
fn the_clean_workbook_has_no_diagnostics() {
    assert!(run(&[("南村乡.xlsx", clean().sheets())]).is_empty());
}

#[test]
fn missing_required_and_optional_sheets() {
    let f = with(|s| {
        s.remove(3);
    });
    expect(&[("南村乡.xlsx", f)], "W-SHEET", "南村乡.xlsx", None, None, "专项指标");
    let f = with(|s| {
        s.remove(1);
    });
    expect(&[("南村乡.xlsx", f)], "E-SHEET", "南村乡.xlsx", None, None, "村级进度");
}

#[test]
fn sheet_names_are_matched_after_trimming_and_folding() {
    let f = with(|s| s[1].name = "村级进度　".into());
    assert!(run(&[("南村乡.xlsx", f)]).is_empty());
}

#[test]
fn header_missing() {
    let f = with(|s| s[1].rows[0][5] = t("累计"));
    expect(&[("南村乡.xlsx", f)], "E-HEADER", "南村乡.xlsx", Some("村级进度"), None, "累计脱贫人数");
}

#[test]
fn month_unreadable() {
    let f = with(|s| s[0].rows[1][1] = t("三月份"));
    expect(&[("南村乡.xlsx", f)], "E-MONTH", "南村乡.xlsx", Some("基本信息"), Some("B2"), "三月份");
}

#[test]
fn month_as_a_number_like_201803() {
    let f = with(|s| s[0].rows[1][1] = n(201803.0));
    assert!(run(&[("南村乡.xlsx", f)]).is_empty());
}

#[test]
fn file_name_names_another_township() {
    expect(&[("段村乡3月.xlsx", clean().sheets())], "E-FILE-TOWNSHIP", "段村乡3月.xlsx", Some("基本信息"), Some("B1"), "段村乡");
}

#[test]
fn unknown_indicator_gets_the_closest_name() {
    let f = with(|s| s[3].rows[1][0] = t("危房改造数"));
    expect(&[("南村乡.xlsx", f)], "E-INDICATOR", "南村乡.xlsx", Some("专项指标"), Some("A2"), "是否为“危房改造户数”");
}

#[test]
fn value_outside_a_fixed_list() {
    let f = with(|s| s[2].rows[1][3] = t("乡级"));
    expect(&[("南村乡.xlsx", f)], "E-CHOICE", "南村乡.xlsx", Some("项目资金"), Some("D2"), "统筹整合");
}

#[test]
fn people_must_be_whole_numbers() {
    let f = with(|s| s[1].rows[1][4] = n(2.5));
    expect(&[("南村乡.xlsx", f)], "E-INTEGER", "南村乡.xlsx", Some("村级进度"), Some("E2"), "2.5");
}

#[test]
fn required_cell_blank() {
    let f = with(|s| s[1].rows[2][2] = jianbao::sample::xlsx::Value::Blank);
    expect(&[("南村乡.xlsx", f)], "E-REQUIRED", "南村乡.xlsx", Some("村级进度"), Some("C3"), "户籍人口");
}

#[test]
fn exit_rules() {
    let f = with(|s| s[1].rows[1][6] = t("是"));
    // 关底村 still has 250 poor of 1000: incidence 25 %.
    expect(&[("南村乡.xlsx", f)], "W-EXIT-INCIDENCE", "南村乡.xlsx", Some("村级进度"), Some("G2"), "2%");
    let mut b = clean();
    b.villages.push(V("后川村", "非贫困村", 900, 60, 0, 10, "是", ""));
    expect(&[("南村乡.xlsx", b.sheets())], "W-EXIT-NONPOOR", "南村乡.xlsx", Some("村级进度"), Some("G4"), "后川村");
}

#[test]
fn type_contradicting_the_plan() {
    let f = with(|s| s[1].rows[1][1] = t("非贫困村"));
    expect(&[("南村乡.xlsx", f)], "W-VILLAGE-TYPE", "南村乡.xlsx", Some("村级进度"), Some("B2"), "深度贫困村");
}

#[test]
fn village_twice() {
    let mut b = clean();
    b.villages.push(V("关底", "深度贫困村", 1000, 300, 20, 50, "否", ""));
    expect(&[("南村乡.xlsx", b.sheets())], "E-VILLAGE-TWICE", "南村乡.xlsx", Some("村级进度"), Some("A4"), "关底村");
}

#[test]
fn month_to_month_rules() {
    let feb = Book { month: "2018-02", ..clean() };
    let mut mar = clean();
    mar.villages[0] = V("关底村", "深度贫困村", 1000, 300, 20, 60, "否", ""); // 50 + 20 ≠ 60
    mar.villages[1] = V("石门村", "贫困村", 1500, 40, 0, 25, "否", "");
    let mut feb_sheets = feb.sheets();
    feb_sheets[1].rows[2][6] = t("是");
    feb_sheets[1].rows[2][5] = n(39.0);
    let diags = run(&[("2月.xlsx", feb_sheets), ("3月.xlsx", mar.sheets())]);
    let find = |code: &str| diags.iter().find(|d| d.code == code && d.file == "3月.xlsx").unwrap_or_else(|| panic!("{code}: {diags:#?}"));
    assert_eq!(find("W-CUMULATIVE").cell.as_deref(), Some("F2"));
    assert_eq!(find("W-EXIT-REVERTED").cell.as_deref(), Some("G3"));
    assert_eq!(find("E-CUMULATIVE-DOWN").cell.as_deref(), Some("F3"));
}

#[test]
fn xlsm_is_read_like_xlsx() {
    assert!(run(&[("南村乡.xlsm", clean().sheets())]).is_empty());
}

#[test]
fn month_to_month_rules_across_a_missing_month() {
    // January and March, no February: March is checked against January.
    let mut jan = Book { month: "2018-01", ..clean() };
    jan.villages[1] = V("石门村", "贫困村", 1500, 40, 0, 39, "是", "");
    let mut mar = clean();
    mar.villages[0] = V("关底村", "深度贫困村", 1000, 310, 5, 45, "否", ""); // 50 in January
    mar.villages[1] = V("石门村", "贫困村", 1500, 40, 0, 39, "否", "");
    let diags = run(&[("1月.xlsx", jan.sheets()), ("3月.xlsx", mar.sheets())]);
    let find = |code: &str| diags.iter().find(|d| d.code == code && d.file == "3月.xlsx").unwrap_or_else(|| panic!("{code}: {diags:#?}"));
    assert_eq!(find("E-CUMULATIVE-DOWN").cell.as_deref(), Some("F2"));
    assert!(find("E-CUMULATIVE-DOWN").message.contains("2018年1月"));
    assert_eq!(find("W-POOR-START").cell.as_deref(), Some("D2"));
    assert_eq!(find("W-EXIT-REVERTED").cell.as_deref(), Some("G3"));
    // Across a gap, this month's people are not the whole difference: no W-CUMULATIVE.
    let mut mar = clean();
    mar.villages[0] = V("关底村", "深度贫困村", 1000, 300, 5, 80, "否", "");
    let diags = run(&[("1月.xlsx", Book { month: "2018-01", ..clean() }.sheets()), ("3月.xlsx", mar.sheets())]);
    assert!(diags.is_empty(), "{diags:#?}");
}

#[test]
fn a_month_typed_as_a_number_is_never_silently_january() {
    // Excel keeps 2018.10 typed into a General cell as the number 2018.1.
    let typed = || with(|s| s[0].rows[1][1] = n(2018.1));
    // The file name says October: October, with a note at the cell.
    let d = TestData::new();
    d.write("南村乡10月报表.xlsx", &xlsx::write(&typed()).unwrap());
    let c = jianbao::check(&d.options()).unwrap();
    assert_eq!(c.reports[0].period.to_string(), "2018-10");
    let note = c.diagnostics.iter().find(|d| d.code == "N-MONTH-NUMBER").expect("a note");
    assert_eq!((note.sheet.as_deref(), note.cell.as_deref()), (Some("基本信息"), Some("B2")));
    // No month in the file name: an error asking for the month in words.
    expect(&[("南村乡.xlsx", typed())], "E-MONTH", "南村乡.xlsx", Some("基本信息"), Some("B2"), "2018年10月");
    // A number that can only be one month is read as that month.
    assert!(run(&[("南村乡.xlsx", with(|s| s[0].rows[1][1] = n(2018.3)))]).is_empty());
}

#[test]
fn file_name_names_another_month() {
    expect(&[("南村乡4月报表.xlsx", clean().sheets())], "E-FILE-MONTH", "南村乡4月报表.xlsx", Some("基本信息"), Some("B2"), "4月");
    expect(&[("南村乡2019年3月.xlsx", clean().sheets())], "E-FILE-MONTH", "南村乡2019年3月.xlsx", Some("基本信息"), Some("B2"), "2019年3月");
    assert!(run(&[("南村乡2018年3月报表.xlsx", clean().sheets())]).is_empty());
    assert!(run(&[("2018-04/南村乡.xlsx", clean().sheets())]).is_empty(), "a folder's month is not the file's");
}
