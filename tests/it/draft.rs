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
    assert!(text.contains("段村乡数据待核数据待核"), "{text}");
    assert!(text.contains("段村乡报表有错误，数据待核，未计入以上全县数据"), "{text}");
    assert!(text.contains("全县合计300205016.7%"), "county total holds only 南村乡: {text}");
    let json: serde_json::Value = serde_json::from_slice(&std::fs::read(d.out().join("2018-03/工作简报-2018年3月.json")).unwrap()).unwrap();
    assert_eq!(json["draft"], true);
    assert_eq!(json["figures"]["townships"][1]["status"], "unverified");
    assert_eq!(json["figures"]["unverified"][0], "段村乡");
}
