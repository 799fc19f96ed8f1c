//! One number from preview to archive: the preview in `out/` shows the number publishing
//! gives (待签发 until then), and after publishing exactly the archived number, date and
//! correction, whatever order the office publishes in.

use crate::common;

use common::{copy_project, pdf_text};
use jianbao::archive::{self, Outcome, Request, Target};
use jianbao::Options;

fn publish(opts: &Options, period: &str, date: &str, correction: bool) -> (u32, std::path::PathBuf) {
    let target = match period.parse() {
        Ok(p) => Target::Month(p),
        Err(_) => Target::Quarter(period.parse().unwrap()),
    };
    let req = Request { target, date: Some(date.parse().unwrap()), correction };
    match archive::publish(opts, &req).unwrap().outcome {
        Outcome::Published { entry, path } => (entry.number, path),
        other => panic!("{period}: {other:?}"),
    }
}

/// The number, pending flag and date the preview of a month shows (JSON and PDF agree).
fn preview(opts: &Options, month: u8) -> (u64, bool, String) {
    let stem = opts.out.join(format!("2018-{month:02}/工作简报-2018年{month}月"));
    let json: serde_json::Value = serde_json::from_slice(&std::fs::read(stem.with_extension("json")).unwrap()).unwrap();
    let (n, pending, date) = (json["issue"].as_u64().unwrap(), json["pending"].as_bool().unwrap(), json["date"].as_str().unwrap().to_string());
    let text = pdf_text(&stem.with_extension("pdf"));
    let shown = format!("第{n}期{}", if pending { "（待签发）" } else { "" });
    assert!(text.contains(&shown), "2018-{month:02}: the PDF shows {shown}");
    assert_eq!(text.contains("待签发"), pending, "2018-{month:02}");
    assert!(text.contains(&date));
    (n, pending, date)
}

#[test]
fn previews_show_the_number_publishing_gives_in_any_order() {
    let (_dir, opts) = copy_project();
    jianbao::build(&opts).unwrap();
    // Nothing published: months in order, all 待签发.
    assert_eq!(preview(&opts, 1), (1, true, "2018年1月31日".into()));
    assert_eq!(preview(&opts, 3), (3, true, "2018年3月31日".into()));

    // March first: it is 第1期; the others follow it in month order.
    let (n, march) = publish(&opts, "2018-03", "2018-04-05", false);
    assert_eq!(n, 1);
    jianbao::build(&opts).unwrap();
    assert_eq!(preview(&opts, 3), (1, false, "2018年4月5日".into()));
    assert_eq!(preview(&opts, 1), (2, true, "2018年1月31日".into()));
    assert_eq!(preview(&opts, 2), (3, true, "2018年2月28日".into()));
    assert_eq!(preview(&opts, 4), (4, true, "2018年4月30日".into()));
    // The preview and the archived copy say the same, but for 待签发.
    let archived = pdf_text(&march);
    assert!(archived.contains("第1期") && archived.contains("2018年4月5日") && !archived.contains("待签发"));

    // January next: the number its preview showed.
    assert_eq!(publish(&opts, "2018-01", "2018-04-06", false).0, 2);
    jianbao::build(&opts).unwrap();
    assert_eq!(preview(&opts, 1), (2, false, "2018年4月6日".into()));
    assert_eq!(preview(&opts, 2), (3, true, "2018年2月28日".into()));

    // March's data changes: its preview is the correction, numbered after February.
    let rel = "submissions/2018-03/南村乡2018年3月报表.xlsx";
    let plan = jianbao::plan::Plan::load(&opts.data.join("plan.yaml")).unwrap();
    let mut county = jianbao::sample::county(&plan, 2018);
    let t = county.iter_mut().find(|t| t.name == "南村乡").unwrap();
    t.villages[0].population += 9;
    std::fs::write(opts.data.join(rel), jianbao::sample::workbook(&plan, t, "2018-03".parse().unwrap())).unwrap();
    jianbao::build(&opts).unwrap();
    assert_eq!(preview(&opts, 2).0, 3);
    assert_eq!(preview(&opts, 3), (4, true, "2018年3月31日".into()));
    let text = pdf_text(&opts.out.join("2018-03/工作简报-2018年3月.pdf"));
    assert!(text.contains("本期更正第1期，原第1期作废"), "the preview says what it corrects");
    assert_eq!(publish(&opts, "2018-02", "2018-04-07", false).0, 3);
    let (n, corrected) = publish(&opts, "2018-03", "2018-04-08", true);
    assert_eq!(n, 4);
    assert!(pdf_text(&corrected).contains("本期更正第1期，原第1期作废"));
    jianbao::build(&opts).unwrap();
    assert_eq!(preview(&opts, 3), (4, false, "2018年4月8日".into()));
    assert_eq!(preview(&opts, 4), (5, true, "2018年4月30日".into()));
}

#[test]
fn summaries_are_numbered_in_their_own_series() {
    let (_dir, opts) = copy_project();
    jianbao::build(&opts).unwrap();
    let q = |name: &str| pdf_text(&opts.out.join(name));
    assert!(q("2018-Q2/季度汇总-2018年第二季度.pdf").contains("第2期（待签发）"));
    assert!(q("2019-Q1/季度汇总-2019年第一季度.pdf").contains("第1期（待签发）"), "numbered within the year");
    assert_eq!(publish(&opts, "2018-Q2", "2018-07-10", false).0, 1);
    jianbao::build(&opts).unwrap();
    let q2 = q("2018-Q2/季度汇总-2018年第二季度.pdf");
    assert!(q2.contains("第1期") && !q2.contains("待签发"));
    assert!(q("2018-Q1/季度汇总-2018年第一季度.pdf").contains("第2期（待签发）"));
    // Bulletins are numbered apart from summaries.
    assert_eq!(preview(&opts, 1).0, 1);
}

/// A PDF's document information, language and bookmark titles.
fn pdf_metadata(path: &std::path::Path) -> (std::collections::BTreeMap<String, String>, String, Vec<String>) {
    use lopdf::Object;
    let doc = lopdf::Document::load(path).unwrap();
    let info_ref = doc.trailer.get(b"Info").unwrap().as_reference().unwrap();
    let info = doc.get_dictionary(info_ref).unwrap();
    let mut fields = std::collections::BTreeMap::new();
    for key in ["Title", "Subject", "Author", "Keywords"] {
        if let Ok(v) = info.get(key.as_bytes()) {
            fields.insert(key.to_string(), lopdf::decode_text_string(v).unwrap());
        }
    }
    let catalog = doc.catalog().unwrap();
    let lang = catalog.get(b"Lang").map(|l| lopdf::decode_text_string(l).unwrap()).unwrap_or_default();
    let mut titles = Vec::new();
    if let Ok(outlines) = catalog.get(b"Outlines").and_then(Object::as_reference) {
        let mut next = doc.get_dictionary(outlines).unwrap().get(b"First").and_then(Object::as_reference).ok();
        while let Some(id) = next {
            let item = doc.get_dictionary(id).unwrap();
            titles.push(lopdf::decode_text_string(item.get(b"Title").unwrap()).unwrap());
            next = item.get(b"Next").and_then(Object::as_reference).ok();
        }
    }
    (fields, lang, titles)
}

#[test]
fn pdfs_carry_title_subject_author_keywords_language_and_bookmarks() {
    let (_dir, opts) = copy_project();
    jianbao::build(&opts).unwrap();
    let (_, archived) = publish(&opts, "2018-03", "2018-04-05", false);
    for (path, pending) in [(opts.out.join("2018-03/工作简报-2018年3月.pdf"), true), (archived, false)] {
        let (info, lang, bookmarks) = pdf_metadata(&path);
        assert_eq!(info["Title"], "全县2018年3月脱贫攻坚工作进展情况", "{}", path.display());
        assert_eq!(info["Author"], "渑池县脱贫攻坚领导小组办公室");
        assert_eq!(info["Subject"], format!("脱贫攻坚工作简报　2018年3月　第{}", if pending { "3期（待签发）" } else { "1期" }));
        assert!(info["Keywords"].contains("工作简报") && info["Keywords"].contains("2018年3月"), "{}", info["Keywords"]);
        assert_eq!(lang, "zh-CN");
        for b in ["一、总体进展", "二、项目资金", "三、乡镇进展", "表1　各乡镇2018年3月脱贫进展（单位：人、个、万元）", "图1　各乡镇减贫进度（截至2018年3月）"]
        {
            assert!(bookmarks.iter().any(|t| t == b), "{}: no bookmark {b}: {bookmarks:?}", path.display());
        }
    }
    let (info, _, bookmarks) = pdf_metadata(&opts.out.join("2018-Q1/季度汇总-2018年第一季度.pdf"));
    assert_eq!(info["Title"], "2018年第一季度脱贫攻坚工作汇总");
    assert!(bookmarks.iter().any(|t| t == "四、存在问题"), "{bookmarks:?}");
    let (info, _, _) = pdf_metadata(&opts.out.join("数据校验报告.pdf"));
    assert_eq!(info["Title"], "数据校验报告");
}
