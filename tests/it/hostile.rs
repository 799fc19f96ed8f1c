//! Data is never markup: hostile text from a spreadsheet prints literally and changes nothing else.

use crate::common;

use common::{pdf_text, Book, TestData, P, V};

const HOSTILE_REMARK: &str = "#read(\"/etc/passwd\")";
const HOSTILE_PROJECT: &str = "{{ 7*7 }} *_[]$@<>\\` #set page(width: 1cm) // x";

/// One March workbook whose deep village has `remark` and whose project is named `project`.
fn data_with(remark: &str, project: &str) -> TestData {
    let d = TestData::new();
    d.add(
        "submissions/2018-03/南村乡.xlsx",
        &Book {
            township: "南村乡",
            month: "2018-03",
            villages: vec![V("关底村", "深度贫困村", 1000, 300, 20, 50, "否", remark)],
            projects: vec![P(project, "基础设施", "关底村", "统筹整合", 100.0, 40.0, "在建")],
            indicators: vec![],
        },
    );
    d
}

fn build(remark: &str, project: &str) -> (String, serde_json::Value, usize) {
    let d = data_with(remark, project);
    let built = jianbao::build(&d.options()).unwrap();
    assert!(!built.has_errors(), "{:#?}", built.diagnostics);
    let pdf = d.out().join("2018-03/工作简报-2018年3月.pdf");
    let pages = lopdf::Document::load(&pdf).unwrap().get_pages().len();
    let json = serde_json::from_slice(&std::fs::read(d.out().join("2018-03/工作简报-2018年3月.json")).unwrap()).unwrap();
    (pdf_text(&pdf), json, pages)
}

/// The text without page numbers (`—3—`), which move when a longer value wraps.
fn without_page_numbers(s: &str) -> String {
    let mut out = String::new();
    let mut rest = s;
    while let Some(i) = rest.find('—') {
        out.push_str(&rest[..i]);
        let after = &rest[i + '—'.len_utf8()..];
        let digits = after.chars().take_while(char::is_ascii_digit).count();
        if digits > 0 && after[digits..].starts_with('—') {
            rest = &after[digits + '—'.len_utf8()..];
        } else {
            out.push('—');
            rest = after;
        }
    }
    out.push_str(rest);
    out
}

/// The text without the continuation captions (续表N…（单位：…）) of tables.
fn without_continuations(s: &str) -> String {
    let mut out = String::new();
    let mut rest = s;
    while let Some(at) = rest.find("续表") {
        out.push_str(&rest[..at]);
        let end = rest[at..].find('）').map_or(rest.len(), |e| at + e + '）'.len_utf8());
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

fn squash(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

#[test]
fn hostile_remark_and_project_name_print_literally() {
    let (text, json, pages) = build(HOSTILE_REMARK, HOSTILE_PROJECT);
    assert!(text.contains(&squash(HOSTILE_REMARK)), "remark not literal in {text}");
    assert!(text.contains(&squash(HOSTILE_PROJECT)), "project not literal in {text}");
    assert!(!text.contains("root:x:0"), "a file was read");
    assert!(!text.contains("49"), "a template expression was evaluated");
    assert_eq!(json["figures"]["deep_villages"][0]["remark"], HOSTILE_REMARK);
    assert_eq!(json["figures"]["deep_projects"][0]["name"], HOSTILE_PROJECT);

    // Nothing else changes: the same document with plain strings has the same pages and text.
    let (plain, plain_json, plain_pages) = build("普通备注", "普通项目");
    assert_eq!(pages, plain_pages);
    let normalised = text.replace(&squash(HOSTILE_REMARK), "普通备注").replace(&squash(HOSTILE_PROJECT), "普通项目");
    // Page numbers and repeated table headers (with their 续表 captions) move when a longer
    // value wraps; the rest is identical.
    let header = "乡镇村名户籍人口年初贫困人口剩余贫困人口贫困发生率已出列备注";
    let layout_free = |s: &str| without_continuations(&without_page_numbers(s).replace(header, ""));
    assert_eq!(layout_free(&normalised), layout_free(&plain));
    let mut plain_json = plain_json;
    plain_json["figures"]["deep_villages"][0]["remark"] = HOSTILE_REMARK.into();
    plain_json["figures"]["deep_projects"][0]["name"] = HOSTILE_PROJECT.into();
    assert_eq!(json, plain_json);
}

#[test]
fn hostile_values_quoted_in_diagnostics_print_literally_in_the_validation_report() {
    let d = TestData::new();
    d.add(
        "南村乡.xlsx",
        &Book {
            township: "南村乡",
            month: "2018-03",
            villages: vec![V("关底村", "深度贫困村", 1000, 300, 20, 50, "否", "")],
            projects: vec![P("道路", HOSTILE_REMARK, "关底村", HOSTILE_PROJECT, 100.0, 40.0, "在建")],
            indicators: vec![],
        },
    );
    let built = jianbao::build(&d.options()).unwrap();
    assert!(built.has_errors());
    let text = pdf_text(&d.out().join("数据校验报告.pdf"));
    assert!(text.contains(&squash(HOSTILE_REMARK)), "{text}");
    assert!(text.contains(&squash(HOSTILE_PROJECT)), "{text}");
    assert!(text.contains("E-CHOICE项目资金B2") && text.contains("E-CHOICE项目资金D2"), "{text}");
    assert!(!text.contains("root:x:0"));
}

#[test]
fn hostile_village_name_prints_literally_in_the_quarterly_summary() {
    let d = TestData::new();
    let name = "#read(\"/etc/passwd\")*_[]$@<>村";
    d.add(
        "南村乡.xlsx",
        &Book {
            township: "南村乡",
            month: "2018-03",
            villages: vec![V("关底村", "深度贫困村", 1000, 300, 20, 50, "否", ""), V(name, "贫困村", 400, 100, 0, 0, "是", "")],
            projects: vec![],
            indicators: vec![],
        },
    );
    let built = jianbao::build(&d.options()).unwrap();
    assert!(!built.has_errors(), "{:#?}", built.diagnostics);
    let text = pdf_text(&d.out().join("2018-Q1/季度汇总-2018年第一季度.pdf"));
    assert!(text.contains(&format!("南村乡{}（2018年3月）已报出列", squash(name))), "{text}");
    assert!(!text.contains("root:x:0"));
}

#[test]
fn hostile_text_stays_text_in_the_excel_summary() {
    let formula = "=HYPERLINK(\"http://example.com\",\"点我\")";
    let d = data_with(formula, HOSTILE_PROJECT);
    assert!(!jianbao::build(&d.options()).unwrap().has_errors());
    let path = d.out().join("2018-03/汇总表-2018年3月.xlsx");
    use calamine::{open_workbook_auto, Data, Reader};
    let mut book = open_workbook_auto(&path).unwrap();
    let villages = book.worksheet_range("深度贫困村").unwrap();
    let remarks: Vec<&Data> = (2..villages.height() as u32).filter_map(|r| villages.get_value((r, 8))).collect();
    assert!(remarks.contains(&&Data::String(formula.to_string())), "{remarks:?}");
    let projects = book.worksheet_range("统筹整合项目").unwrap();
    assert_eq!(projects.get_value((2, 1)), Some(&Data::String(HOSTILE_PROJECT.to_string())));
    // Written as strings, never as formulas.
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&path).unwrap()).unwrap();
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).unwrap();
        let name = f.name().unwrap().to_string();
        let mut s = String::new();
        if name.starts_with("xl/worksheets/") {
            std::io::Read::read_to_string(&mut f, &mut s).unwrap();
            assert!(!s.contains("<f>"), "{name} holds a formula");
        }
    }
}
