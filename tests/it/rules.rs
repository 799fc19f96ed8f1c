//! One case per rule of the submission contract: a clean workbook with one thing wrong, and
//! the exact diagnostic it must produce (code, file, sheet, cell).

use crate::common;

use common::{n, t, Book, TestData, P, V};
use jianbao::diag::Diagnostic;
use jianbao::sample::xlsx::{self, Sheet};

fn clean() -> Book<'static> {
    Book {
        township: "南村乡",
        month: "2018-03",
        villages: vec![V("关底村", "深度贫困村", 1000, 300, 20, 50, "否", ""), V("石门村", "贫困村", 1500, 40, 5, 25, "否", "")],
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
    // Only the month nobody reported is said, once.
    assert_eq!(diags.iter().map(|d| d.code.as_str()).collect::<Vec<_>>(), ["W-NO-REPORTS"], "{diags:#?}");
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

/// The same workbook saved with the 1904 date system (Excel for Mac, some WPS settings).
fn date_1904(xlsx: Vec<u8>) -> Vec<u8> {
    common::rewrite(xlsx, "xl/workbook.xml", |xml| {
        assert!(xml.contains("<workbookPr"), "{xml}");
        xml.replacen("<workbookPr", r#"<workbookPr date1904="1""#, 1)
    })
}

#[test]
fn a_date_cover_month_is_read_in_the_workbooks_own_date_system() {
    use jianbao::sample::xlsx::Value;
    // 2018-03-01 is serial 43160 in the 1900 system and 43160 − 1462 = 41698 in the 1904 one.
    let as_date = |serial: f64| with(|s| s[0].rows[1][1] = Value::DateSerial(serial));
    let period = |bytes: Vec<u8>| {
        let d = TestData::new();
        d.write("南村乡.xlsx", &bytes);
        let c = jianbao::check(&d.options()).unwrap();
        assert!(!c.has_errors(), "{:#?}", c.diagnostics);
        c.reports[0].period.to_string()
    };
    assert_eq!(period(xlsx::write(&as_date(43160.0)).unwrap()), "2018-03");
    // Read as a 1900 serial, 41698 would be 2014-02-28.
    assert_eq!(period(date_1904(xlsx::write(&as_date(41698.0)).unwrap())), "2018-03");
    // With the month in the file name too: no contradiction.
    let d = TestData::new();
    d.write("南村乡2018年3月.xlsx", &date_1904(xlsx::write(&as_date(41698.0)).unwrap()));
    assert!(!jianbao::check(&d.options()).unwrap().has_errors());
}

#[test]
fn a_month_outside_the_plans_years_is_an_error_at_its_cell() {
    let f = with(|s| s[0].rows[1][1] = t("2031年3月"));
    expect(&[("南村乡.xlsx", f.clone())], "E-MONTH-RANGE", "南村乡.xlsx", Some("基本信息"), Some("B2"), "2018—2020年");
    // It makes no 2031 documents, and no board for 2031.
    let d = TestData::new();
    d.write("南村乡.xlsx", &xlsx::write(&f).unwrap());
    let c = jianbao::check(&d.options()).unwrap();
    assert!(c.reports.is_empty());
    assert!(jianbao::status::years(&c).is_empty());
}

#[test]
fn text_longer_than_its_column_takes_is_an_error_at_its_cell() {
    // A remark over Excel's own 32,767 characters (written by another program: Excel and our
    // writer refuse it), and a project name of 101 characters.
    let f = with(|s| {
        s[1].rows[1][7] = t("待替换的备注");
        s[2].rows[1][0] = t(&"项".repeat(101));
    });
    let long = "很长的备注".repeat(7000);
    let bytes = common::rewrite(xlsx::write(&f).unwrap(), "xl/sharedStrings.xml", |xml| xml.replace("待替换的备注", &long));
    let d = TestData::new();
    d.write("南村乡.xlsx", &bytes);
    let diags: Vec<Diagnostic> = jianbao::check(&d.options()).unwrap().diagnostics.into_iter().filter(|d| d.file != "plan.yaml").collect();
    let cells: Vec<(&str, Option<&str>)> = diags.iter().filter(|d| d.code == "E-TEXT-LONG").map(|d| (d.sheet.as_deref().unwrap(), d.cell.as_deref())).collect();
    assert_eq!(cells, [("村级进度", Some("H2")), ("项目资金", Some("A2"))], "{diags:#?}");
    let remark = diags.iter().find(|d| d.cell.as_deref() == Some("H2")).unwrap();
    assert!(remark.message.contains("35000个字，超过上限500个字"), "{}", remark.message);
    // The project name is required: over-long is reported once, not also as blank.
    assert!(!diags.iter().any(|d| d.code == "E-REQUIRED"), "{diags:#?}");
    // A quoted value in a message is cut short.
    let f = with(|s| s[1].rows[1][2] = t(&"约".repeat(90)));
    let diags = run(&[("南村乡.xlsx", f)]);
    let number = diags.iter().find(|d| d.code == "E-NUMBER").unwrap();
    assert!(number.message.contains("…（共90字）") && number.message.chars().count() < 100, "{}", number.message);
}

#[test]
fn a_new_year_starts_where_the_last_one_ended() {
    // December 2018: 关底村 300 − 250 = 50 remaining, 石门村 40 − 40 = 0.
    let mut dec = Book { month: "2018-12", ..clean() };
    dec.villages[0] = V("关底村", "深度贫困村", 1000, 300, 10, 250, "否", "");
    dec.villages[1] = V("石门村", "贫困村", 1500, 40, 0, 40, "是", "");
    // January 2019 says 关底村 started the year with 60, and 石门村 with 0.
    let mut jan = Book { month: "2019-01", ..clean() };
    jan.villages[0] = V("关底村", "深度贫困村", 1000, 60, 1, 1, "否", "");
    jan.villages[1] = V("石门村", "贫困村", 1500, 0, 0, 0, "是", "");
    let diags = run(&[("12月.xlsx", dec.sheets()), ("1月.xlsx", jan.sheets())]);
    let found: Vec<&Diagnostic> = diags.iter().filter(|d| d.code == "E-YEAR-START").collect();
    assert_eq!(found.len(), 1, "{diags:#?}");
    assert_eq!((found[0].file.as_str(), found[0].cell.as_deref()), ("1月.xlsx", Some("D2")));
    assert!(found[0].message.contains("年初贫困人口为 60") && found[0].message.contains("剩余贫困人口为 50"), "{}", found[0].message);
    // Started right, nothing is said.
    jan.villages[0] = V("关底村", "深度贫困村", 1000, 50, 1, 1, "否", "");
    assert!(!run(&[("12月.xlsx", dec.sheets()), ("1月.xlsx", jan.sheets())]).iter().any(|d| d.code == "E-YEAR-START"));
}

#[test]
fn a_village_confirmed_by_the_office_is_not_questioned_again() {
    // 关顶村 is one character from the listed 关底村, and a village of its own.
    let f = with(|s| s[1].rows[1][0] = t("关顶村"));
    let near = |d: &TestData| jianbao::check(&d.options()).unwrap().diagnostics.into_iter().filter(|x| x.code == "W-VILLAGE-NEAR").count();
    let d = TestData::new();
    d.write("南村乡.xlsx", &xlsx::write(&f).unwrap());
    assert_eq!(near(&d), 1);
    let config = d.data().join("config.yaml");
    let text = std::fs::read_to_string(&config).unwrap();
    std::fs::write(&config, format!("{text}\nconfirmed_villages:\n  南村乡: [关顶村]\n")).unwrap();
    assert_eq!(near(&d), 0);
    // Only for that township.
    std::fs::write(&config, format!("{text}\nconfirmed_villages:\n  段村乡: [关顶村]\n")).unwrap();
    assert_eq!(near(&d), 1);
}

#[cfg(unix)]
#[test]
fn a_linked_workbook_is_read_and_a_broken_link_is_reported() {
    let d = TestData::new();
    let elsewhere = d.dir.path().join("elsewhere.xlsx");
    std::fs::write(&elsewhere, xlsx::write(&clean().sheets()).unwrap()).unwrap();
    std::fs::create_dir_all(d.data().join("submissions")).unwrap();
    std::os::unix::fs::symlink(&elsewhere, d.data().join("submissions/南村乡3月.xlsx")).unwrap();
    std::os::unix::fs::symlink(d.dir.path().join("gone.xlsx"), d.data().join("submissions/段村乡3月.xlsx")).unwrap();
    let c = jianbao::check(&d.options()).unwrap();
    assert_eq!(c.reports.iter().map(|r| (r.township.as_str(), r.period.to_string())).collect::<Vec<_>>(), [("南村乡", "2018-03".to_string())]);
    let link = c.diagnostics.iter().find(|x| x.code == "W-LINK").expect("the broken link is reported");
    assert_eq!(link.file, "submissions/段村乡3月.xlsx");
}

#[test]
fn plan_and_config_saved_by_notepad_in_gbk_are_read() {
    let d = TestData::new();
    d.write("南村乡.xlsx", &xlsx::write(&clean().sheets()).unwrap());
    for f in ["plan.yaml", "config.yaml"] {
        let p = d.data().join(f);
        let text = std::fs::read_to_string(&p).unwrap();
        let (gbk, _, lossy) = encoding_rs::GBK.encode(&text);
        assert!(!lossy);
        std::fs::write(&p, gbk).unwrap();
    }
    let c = jianbao::check(&d.options()).unwrap();
    assert_eq!(c.plan.townships[0], "南村乡");
    assert_eq!(c.reports.len(), 1);
}

#[test]
fn mistakes_in_plan_and_config_are_told_in_chinese_at_their_line() {
    let d = TestData::new();
    let config = d.data().join("config.yaml");
    let text = std::fs::read_to_string(&config).unwrap();
    let err = |text: String| {
        std::fs::write(&config, text).unwrap();
        jianbao::check(&d.options()).unwrap_err().to_string()
    };
    let e = err(format!("{text}\ncopys: 3\n"));
    assert!(e.contains("不认识的项“copys”") && e.contains("copies"), "{e}");
    let e = err(text.replacen("copies: 60", "copies: -5", 1));
    assert!(e.contains("第9行") && e.contains("copies：“-5”不是这里要求的非负整数"), "{e}");
    std::fs::write(&config, &text).unwrap();
    let plan = d.data().join("plan.yaml");
    let plan_text = std::fs::read_to_string(&plan).unwrap();
    std::fs::write(&plan, plan_text.replacen("poor_population: 5500", "poor_population: -5500", 1)).unwrap();
    let e = jianbao::check(&d.options()).unwrap_err().to_string();
    assert!(e.contains("“-5500”不是这里要求的非负整数"), "{e}");
    let line = plan_text.lines().position(|l| l.contains("poor_population: 5500")).unwrap() + 1;
    assert!(e.contains(&format!("第{line}行")), "{e}");
    std::fs::write(&plan, plan_text.replacen("county:", "\tcounty:", 1)).unwrap();
    assert!(jianbao::check(&d.options()).unwrap_err().to_string().contains("制表符"));
    // One `]` removed from `years: [2018, 2019, 2020]`: the line where the bracket was opened
    // is named, in Chinese.
    let years = plan_text.lines().position(|l| l.starts_with("years: [")).unwrap() + 1;
    std::fs::write(&plan, plan_text.replacen("2020]", "2020", 1)).unwrap();
    let e = jianbao::check(&d.options()).unwrap_err().to_string();
    assert!(e.contains(&format!("第{years}行的“[”没有对应的“]”")) && !e.contains("did not find"), "{e}");
    // A full-width colon.
    std::fs::write(&plan, plan_text.replacen("county: ", "county：", 1)).unwrap();
    let e = jianbao::check(&d.options()).unwrap_err().to_string();
    assert!(e.contains("中文的冒号"), "{e}");
    // A key written twice is reported where it is written the second time.
    let lines: Vec<&str> = plan_text.lines().collect();
    let county = lines.iter().position(|l| l.starts_with("county:")).unwrap();
    let mut twice = lines.clone();
    twice.push(lines[county]);
    std::fs::write(&plan, twice.join("\n")).unwrap();
    let e = jianbao::check(&d.options()).unwrap_err().to_string();
    assert!(e.contains(&format!("第{}行", twice.len())) && e.contains("写了两次"), "{e}");
    // No data folder, and an output that is a file.
    std::fs::write(&plan, &plan_text).unwrap();
    let missing = jianbao::Options { data: d.dir.path().join("没有这个文件夹"), ..d.options() };
    let e = jianbao::check(&missing).unwrap_err().to_string();
    assert!(e.contains("找不到数据文件夹") && e.contains("jianbao init"), "{e}");
    std::fs::write(d.out(), "").unwrap();
    let e = jianbao::check(&d.options()).unwrap_err().to_string();
    assert!(e.contains("是一个文件，不是文件夹"), "{e}");
}

#[test]
fn a_month_is_spelled_the_same_way_on_the_cover_in_file_names_and_folders() {
    for cover in ["2018_3", "2018/3", "2018-3", "2018年3月份", "２０１８．３"] {
        let f = with(|s| s[0].rows[1][1] = t(cover));
        assert!(run(&[("南村乡2018_03.xlsx", f)]).is_empty(), "{cover}");
    }
    // A file name that names another month by the same spellings is caught.
    expect(&[("南村乡2018_04.xlsx", clean().sheets())], "E-FILE-MONTH", "南村乡2018_04.xlsx", Some("基本信息"), Some("B2"), "2018年4月");
    // The command line and folder names take them too.
    assert_eq!("2018年3月".parse::<jianbao::period::Period>().unwrap().to_string(), "2018-03");
}

#[test]
fn a_date_in_config_is_read_once_and_a_wrong_one_is_told_at_its_line() {
    let d = TestData::new();
    let config = d.data().join("config.yaml");
    let text = std::fs::read_to_string(&config).unwrap();
    std::fs::write(&config, format!("{text}\ntoday: 2018-02-30\n")).unwrap();
    let e = jianbao::check(&d.options()).unwrap_err().to_string();
    let line = text.lines().count() + 2;
    assert!(e.contains(&format!("第{line}行")) && e.contains("2018-02-30"), "{e}");
    std::fs::write(&config, format!("{text}\ntoday: 2018-04-08\n")).unwrap();
    let c = jianbao::check(&d.options()).unwrap();
    assert_eq!(c.today(&d.options()).unwrap().map(|d| d.to_string()).as_deref(), Some("2018-04-08"));
}
