//! `build --draft`: documents despite data errors, watermarked, with erroneous townships held out.

use crate::common;

use common::{pdf_text, t, Book, TestData, V};

#[test]
fn draft_marks_townships_with_errors_as_pending_and_keeps_the_rest() {
    let d = TestData::new();
    d.add(
        "南村乡.xlsx",
        &Book {
            township: "南村乡",
            month: "2018-03",
            villages: vec![V("关底村", "深度贫困村", 1000, 300, 20, 50, "否", "")],
            projects: vec![],
            indicators: vec![],
        },
    );
    let bad = Book {
        township: "段村乡",
        month: "2018-03",
        villages: vec![V("南岭村", "深度贫困村", 1200, 400, 15, 40, "否", "")],
        projects: vec![],
        indicators: vec![],
    };
    let mut sheets = bad.sheets();
    sheets[1].rows[1][5] = t("约40");
    d.write("段村乡.xlsx", &jianbao::sample::xlsx::write(&sheets).unwrap());

    let official = jianbao::build(&d.options()).unwrap();
    assert!(official.has_errors());
    assert!(!d.out().join("2018-03/工作简报-2018年3月.pdf").exists());

    let mut opts = d.options();
    opts.draft = true;
    jianbao::build(&opts).unwrap();
    let text = pdf_text(&d.out().join("2018-03/工作简报-2018年3月.pdf"));
    let pages = lopdf::Document::load(d.out().join("2018-03/工作简报-2018年3月.pdf")).unwrap().get_pages().len();
    assert_eq!(text.matches("草稿").count(), pages, "a watermark on every page");
    assert!(text.contains("段村乡有误有误"), "{text}");
    assert!(text.contains("段村乡报表有错误，数据待核，未计入以上全县数据"), "{text}");
    assert!(text.contains("全县合计300205016.7%"), "county total holds only 南村乡: {text}");
    let json: serde_json::Value = serde_json::from_slice(&std::fs::read(d.out().join("2018-03/工作简报-2018年3月.json")).unwrap()).unwrap();
    assert_eq!(json["draft"], true);
    assert_eq!(json["figures"]["townships"][1]["status"], "unverified");
    assert_eq!(json["figures"]["unverified"][0], "段村乡");
}

fn month(d: &TestData, month: &'static str, duancun_ok: bool) {
    let book = |township, villages| Book { township, month, villages, projects: vec![], indicators: vec![] };
    d.add(&format!("{month}/南村乡.xlsx"), &book("南村乡", vec![V("关底村", "深度贫困村", 1000, 300, 20, 50, "否", "")]));
    let mut sheets = book("段村乡", vec![V("南岭村", "深度贫困村", 1200, 400, 15, 40, "否", "")]).sheets();
    if !duancun_ok {
        sheets[1].rows[1][5] = t("约40");
    }
    d.write(&format!("{month}/段村乡.xlsx"), &jianbao::sample::xlsx::write(&sheets).unwrap());
}

#[test]
fn only_what_errors_hold_back_is_a_draft_and_a_normal_build_leaves_no_draft_behind() {
    let d = TestData::new();
    month(&d, "2018-02", true);
    month(&d, "2018-03", false);
    let mut opts = d.options();
    opts.draft = true;
    jianbao::build(&opts).unwrap();
    let (feb, mar) = (d.out().join("2018-02/工作简报-2018年2月.pdf"), d.out().join("2018-03/工作简报-2018年3月.pdf"));
    assert!(!pdf_text(&feb).contains("草稿"), "February has no error: it is not a draft");
    let text = pdf_text(&mar);
    assert!(text.contains("草稿"));
    // 段村乡 reported, with errors: 有误 in its row and in its listed villages' rows, never 未报 or 否.
    assert!(text.contains("段村乡有误有误有误"), "{text}");
    assert!(text.contains("段村乡南岭村★有误有误有误有误有误") && !text.contains("南岭村★未报"), "{text}");
    // Every file of the draft says so: its workbook too.
    let xlsx = std::fs::read(d.out().join("2018-03/汇总表-2018年3月.xlsx")).unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(xlsx)).unwrap();
    let mut strings = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("xl/sharedStrings.xml").unwrap(), &mut strings).unwrap();
    assert!(strings.contains("（草稿）"), "{strings}");

    // A normal build holds March back and removes what the draft left; 结果一览 lists it once.
    let built = jianbao::build(&d.options()).unwrap();
    assert_eq!(built.held, ["2018-03/工作简报-2018年3月", "2018-03/汇总表-2018年3月", "2018-Q1/季度汇总-2018年第一季度"]);
    assert!(!mar.exists() && !d.out().join("2018-03/汇总表-2018年3月.xlsx").exists() && !d.out().join("2018-03/工作简报-2018年3月.json").exists());
    assert!(feb.exists());
    let page = std::fs::read_to_string(d.out().join("结果一览.html")).unwrap();
    let summary = page.lines().find(|l| l.contains("class=\"summary\"")).unwrap_or_default();
    assert!(
        page.contains("未变化 3 份，因错误未生成 3 份"),
        "{summary}: February's bulletin and 汇总表 and the report unchanged; March's two and the first quarter held, once each"
    );
}
