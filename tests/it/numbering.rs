//! One number from preview to archive: the preview in `out/` shows the number publishing
//! gives (待签发 until then), and after publishing exactly the archived number, date and
//! correction. Periods are published in their order: a later one first is refused, unless the
//! office declares the earlier ones will never be published (they then take no number).

use crate::common;

use common::{copy_project, pdf_text};
use jianbao::archive::{self, Outcome, Request, Target};
use jianbao::Options;

fn request(period: &str, date: &str, correction: bool, skip_earlier: bool) -> Request {
    let target = match period.parse() {
        Ok(p) => Target::month(p),
        Err(_) => Target::quarter(period.parse().unwrap()),
    };
    Request { target, date: Some(date.parse().unwrap()), correction, skip_earlier }
}

fn publish(opts: &Options, period: &str, date: &str, correction: bool) -> (u32, std::path::PathBuf) {
    published(opts, request(period, date, correction, false))
}

fn published(opts: &Options, req: Request) -> (u32, std::path::PathBuf) {
    let period = req.target;
    match archive::publish(opts, &req).unwrap().outcome {
        Outcome::Published { entry, path } => (entry.number, path),
        other => panic!("{period:?}: {other:?}"),
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
fn previews_show_the_number_publishing_gives_and_periods_are_published_in_order() {
    let (_dir, opts) = copy_project();
    jianbao::build(&opts).unwrap();
    // Nothing published: months in order, all 待签发.
    assert_eq!(preview(&opts, 1), (1, true, "2018年1月31日".into()));
    assert_eq!(preview(&opts, 3), (3, true, "2018年3月31日".into()));

    // March before January and February: refused, naming them; nothing written.
    match archive::publish(&opts, &request("2018-03", "2018-04-05", false, false)).unwrap().outcome {
        Outcome::OutOfOrder { earlier } => assert_eq!(earlier.iter().map(ToString::to_string).collect::<Vec<_>>(), ["2018-01", "2018-02"]),
        other => panic!("{other:?}"),
    }
    assert!(!archive::folder(&opts.out).join("manifest.json").exists());
    let cli = std::process::Command::new(env!("CARGO_BIN_EXE_jianbao"))
        .args(["publish", "--period", "2018-03", "--date", "2018-04-05", "--data"])
        .arg(&opts.data)
        .arg("--out")
        .arg(&opts.out)
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&cli.stdout);
    assert_eq!(cli.status.code(), Some(1), "{said}");
    assert!(said.contains("本年更早的2018-01、2018-02还没有签发") && said.contains("--skip-earlier"), "{said}");

    // In order, each gets the number its preview showed.
    assert_eq!(publish(&opts, "2018-01", "2018-02-05", false).0, 1);
    assert_eq!(publish(&opts, "2018-02", "2018-03-05", false).0, 2);
    assert_eq!(publish(&opts, "2018-03", "2018-04-05", false).0, 3);
    jianbao::build(&opts).unwrap();
    assert_eq!(preview(&opts, 3), (3, false, "2018年4月5日".into()));
    assert_eq!(preview(&opts, 4), (4, true, "2018年4月30日".into()));

    // March's data changes: its preview is the correction, numbered next.
    let rel = "submissions/2018-03/南村乡2018年3月报表.xlsx";
    let plan = jianbao::plan::Plan::load(&opts.data.join("plan.yaml")).unwrap();
    let mut county = jianbao::sample::county(&plan, 2018);
    let t = county.iter_mut().find(|t| t.name == "南村乡").unwrap();
    t.villages[0].population += 9;
    std::fs::write(opts.data.join(rel), jianbao::sample::workbook(&plan, t, "2018-03".parse().unwrap())).unwrap();
    jianbao::build(&opts).unwrap();
    assert_eq!(preview(&opts, 3), (4, true, "2018年3月31日".into()));
    let text = pdf_text(&opts.out.join("2018-03/工作简报-2018年3月.pdf"));
    assert!(text.contains("本期更正第3期，原第3期作废"), "the preview says what it corrects");
    let (n, corrected) = publish(&opts, "2018-03", "2018-04-08", true);
    assert_eq!(n, 4);
    assert!(pdf_text(&corrected).contains("本期更正第3期，原第3期作废"));
    jianbao::build(&opts).unwrap();
    assert_eq!(preview(&opts, 3), (4, false, "2018年4月8日".into()));
    assert_eq!(preview(&opts, 4), (5, true, "2018年4月30日".into()));
}

#[test]
fn months_declared_never_to_be_published_take_no_number() {
    let (_dir, opts) = copy_project();
    // June first, saying January to May will never be published: June is 第1期.
    assert_eq!(published(&opts, request("2018-06", "2018-07-05", false, true)).0, 1);
    jianbao::build(&opts).unwrap();
    let may = pdf_text(&opts.out.join("2018-05/工作简报-2018年5月.pdf"));
    assert!(may.contains("（不签发）") && !may.contains("待签发"), "{may}");
    assert_eq!(preview(&opts, 7), (2, true, "2018年7月31日".into()));
    // A month declared so cannot be published later.
    match archive::publish(&opts, &request("2018-02", "2018-07-06", false, false)).unwrap().outcome {
        Outcome::Skipped { declared } => assert_eq!(declared.to_string(), "2018-07-05"),
        other => panic!("{other:?}"),
    }
    // July follows without a word: everything before it is published or declared.
    assert_eq!(publish(&opts, "2018-07", "2018-08-05", false).0, 2);
}

#[test]
fn summaries_are_numbered_in_their_own_series() {
    let (_dir, opts) = copy_project();
    jianbao::build(&opts).unwrap();
    let q = |name: &str| pdf_text(&opts.out.join(name));
    assert!(q("2018-Q2/季度汇总-2018年第二季度.pdf").contains("第2期（待签发）"));
    assert!(q("2019-Q1/季度汇总-2019年第一季度.pdf").contains("第1期（待签发）"), "numbered within the year");
    assert_eq!(publish(&opts, "2018-Q1", "2018-04-10", false).0, 1);
    assert_eq!(publish(&opts, "2018-Q2", "2018-07-10", false).0, 2);
    jianbao::build(&opts).unwrap();
    let q2 = q("2018-Q2/季度汇总-2018年第二季度.pdf");
    assert!(q2.contains("第2期") && !q2.contains("待签发"));
    assert!(q("2018-Q3/季度汇总-2018年第三季度.pdf").contains("第3期（待签发）"));
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
    // March alone, January and February declared never to be published.
    let (_, archived) = published(&opts, request("2018-03", "2018-04-05", false, true));
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

#[test]
fn an_archive_published_out_of_order_is_repaired_by_reissuing_the_later_period_as_a_correction() {
    let (_dir, opts) = copy_project();
    // An archive from before the rule: February as 第1期, January unpublished (the declaration
    // that let February go first is taken out of the manifest, as an older manifest lacks it).
    assert_eq!(published(&opts, request("2018-02", "2018-03-05", false, true)).0, 1);
    let path = archive::folder(&opts.out).join("manifest.json");
    let mut manifest: serde_json::Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    manifest.as_object_mut().unwrap().remove("skipped");
    std::fs::write(&path, serde_json::to_vec_pretty(&manifest).unwrap()).unwrap();
    // January follows as 第2期; February, unchanged, is re-issued after it as a correction.
    assert_eq!(publish(&opts, "2018-01", "2018-03-06", false).0, 2);
    let (n, corrected) = publish(&opts, "2018-02", "2018-03-07", true);
    assert_eq!(n, 3);
    assert!(pdf_text(&corrected).contains("本期更正第1期，原第1期作废"));
    // Once in order, an unchanged correction is nothing new.
    assert!(matches!(archive::publish(&opts, &request("2018-02", "2018-03-08", true, false)).unwrap().outcome, Outcome::Unchanged { .. }));
}

#[test]
fn a_published_issue_whose_inputs_changed_is_said_where_the_clerk_looks() {
    let (_dir, opts) = copy_project();
    assert_eq!(published(&opts, request("2019-03", "2019-04-05", false, true)).0, 1);
    // A township's March workbook changes after publishing.
    let rel = "submissions/2019-03/南村乡2019年3月报表.xlsx";
    let plan = jianbao::plan::Plan::load(&opts.data.join("plan.yaml")).unwrap();
    let mut county = jianbao::sample::county(&plan, 2019);
    let t = county.iter_mut().find(|t| t.name == "南村乡").unwrap();
    t.villages[0].population += 9;
    std::fs::write(opts.data.join(rel), jianbao::sample::workbook(&plan, t, "2019-03".parse().unwrap())).unwrap();
    let run = |args: &[&str]| {
        let out =
            std::process::Command::new(env!("CARGO_BIN_EXE_jianbao")).args(args).arg("--data").arg(&opts.data).arg("--out").arg(&opts.out).output().unwrap();
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    // The build names the issue, the file that changed and the command.
    let built = run(&["build"]);
    assert!(
        built.contains("W-CORRECTION-PENDING")
            && built.contains("已签发的工作简报-2019年3月（第1期，2019-04-05签发）此后输入有变化：已修改 submissions/2019-03/南村乡2019年3月报表.xlsx"),
        "{built}"
    );
    assert!(built.contains("jianbao publish --period 2019-03 --date 签发日期 --correction"), "{built}");
    assert!(built.contains("更正　2019-03/工作简报-2019年3月"), "the summary table says it: {built}");
    // status, and 结果一览, say it too.
    let status = run(&["status"]);
    assert!(status.contains("更正待签发（归档 › 2019-03/工作简报-2019年3月）") && status.contains("--correction"), "{status}");
    let page = std::fs::read_to_string(opts.out.join("结果一览.html")).unwrap();
    assert!(page.contains("第1期（输入已变，更正待签发）") && page.contains("W-CORRECTION-PENDING"), "结果一览");
}
