//! Incremental, reproducible, crash-safe builds: unchanged inputs render nothing, a change
//! re-renders exactly the documents it reaches, a failed build leaves every output as it was.

use crate::common;

use common::{copy_project, own_template, tree};
use jianbao::plan::Plan;
use jianbao::sample;

fn ids(v: &[String]) -> Vec<&str> {
    let mut v: Vec<&str> = v.iter().map(String::as_str).collect();
    v.sort();
    v
}

#[test]
fn unchanged_inputs_render_nothing_and_force_renders_all() {
    let (_dir, opts) = copy_project();
    let first = jianbao::build(&opts).unwrap();
    assert_eq!((first.documents, first.rendered.len()), (70, 70), "53 typeset documents (3 旬报 and 28 公示、公告 among them), 15 汇总表 and 2 公示清单");
    let before = tree(&opts.out);
    let again = jianbao::build(&opts).unwrap();
    assert!(again.up_to_date && again.rendered.is_empty() && again.written.is_empty());
    assert_eq!(again.diagnostics, first.diagnostics, "the last build's findings are reported again");
    let forced = jianbao::build(&jianbao::Options { force: true, ..opts.clone() }).unwrap();
    assert_eq!(forced.rendered.len(), 70);
    assert!(tree(&opts.out) == before, "building the same inputs again gives the same bytes");
}

#[test]
fn a_changed_template_rerenders_exactly_the_documents_that_use_it() {
    let (_dir, opts) = copy_project();
    jianbao::build(&opts).unwrap();
    own_template(&opts, "summary.typ", |text| format!("{text}\n// 本地修改\n"));
    let built = jianbao::build(&opts).unwrap();
    assert_eq!(
        ids(&built.rendered),
        [
            "2018-Q1/季度汇总-2018年第一季度",
            "2018-Q2/季度汇总-2018年第二季度",
            "2018-Q3/季度汇总-2018年第三季度",
            "2018-Q4/季度汇总-2018年第四季度",
            "2019-Q1/季度汇总-2019年第一季度"
        ]
    );
    // The shared page template reaches every document.
    own_template(&opts, "gongwen.typ", |text| format!("{text}\n// 本地修改\n"));
    assert_eq!(jianbao::build(&opts).unwrap().rendered.len(), 53, "every typeset document, the 28 公示、公告 among them");
}

#[test]
fn a_changed_workbook_rerenders_the_documents_whose_figures_change() {
    let (_dir, opts) = copy_project();
    jianbao::build(&opts).unwrap();
    let plan = Plan::load(&opts.data.join("plan.yaml")).unwrap();
    let mut county = sample::county(&plan, 2018);
    // One more person lifted in May in one village: May and June (cumulative) and Q2 change.
    let t = county.iter_mut().find(|t| t.name == "南村乡").unwrap();
    let p = "2018-06".parse().unwrap();
    t.villages[0].yearly_lift += 1;
    std::fs::write(opts.data.join(sample::file_name("南村乡", p)), sample::workbook(&plan, t, p)).unwrap();
    let built = jianbao::build(&opts).unwrap();
    assert!(!built.has_errors(), "{:#?}", built.diagnostics);
    let rendered = ids(&built.rendered);
    assert!(rendered.contains(&"2018-06/工作简报-2018年6月") && rendered.contains(&"2018-Q2/季度汇总-2018年第二季度"), "{rendered:?}");
    assert!(!rendered.iter().any(|id| id.starts_with("2018-0") && id[..7] < *"2018-06"), "earlier months untouched: {rendered:?}");
    assert!(!rendered.contains(&"2018-Q1/季度汇总-2018年第一季度"));
}

#[test]
fn outputs_of_removed_data_are_reported_not_deleted() {
    let (_dir, opts) = copy_project();
    jianbao::build(&opts).unwrap();
    std::fs::remove_dir_all(opts.data.join("submissions/2018-06")).unwrap();
    let built = jianbao::build(&opts).unwrap();
    assert_eq!(built.stale, ["2018-06/工作简报-2018年6月"]);
    assert!(opts.out.join("2018-06/工作简报-2018年6月.pdf").exists());
    // Still reported on the next (up-to-date) build, until the office removes the file.
    assert_eq!(jianbao::build(&opts).unwrap().stale, ["2018-06/工作简报-2018年6月"]);
    std::fs::remove_dir_all(opts.out.join("2018-06")).unwrap();
    assert!(jianbao::build(&opts).unwrap().stale.is_empty());
}

#[test]
fn a_document_that_fails_keeps_its_outputs_and_the_others_are_built() {
    let (_dir, opts) = copy_project();
    jianbao::build(&opts).unwrap();
    jianbao::archive::publish(
        &opts,
        &jianbao::archive::Request {
            target: jianbao::archive::Target::month("2018-01".parse().unwrap()),
            date: Some("2018-02-05".parse().unwrap()),
            correction: false,
            skip_earlier: true,
        },
    )
    .unwrap();
    let before = tree(&opts.out);
    // New data for June (its bulletin renders fine) and a summary template that fails: every
    // summary fails and keeps its files as they were; the bulletins, the report and the archive
    // are as they should be.
    let plan = Plan::load(&opts.data.join("plan.yaml")).unwrap();
    let mut county = sample::county(&plan, 2018);
    let t = county.iter_mut().find(|t| t.name == "坡头乡").unwrap();
    t.villages[0].yearly_lift += 2;
    let p = "2018-06".parse().unwrap();
    std::fs::write(opts.data.join(sample::file_name("坡头乡", p)), sample::workbook(&plan, t, p)).unwrap();
    let summary = own_template(&opts, "summary.typ", |text| format!("{text}\n#panic(\"注入的故障\")\n"));
    let built = jianbao::build(&opts).unwrap();
    let failed: Vec<&jianbao::diag::Diagnostic> = built.diagnostics.iter().filter(|d| d.code == "E-DOCUMENT").collect();
    assert!(!failed.is_empty(), "{:#?}", built.diagnostics);
    for d in &failed {
        assert!(d.file.contains("季度汇总") && d.message.contains("注入的故障") && d.message.contains("summary.typ"), "{d:?}");
    }
    assert!(built.has_errors());
    let after: std::collections::BTreeMap<String, Vec<u8>> = tree(&opts.out).into_iter().collect();
    for (path, bytes) in &before {
        if path.contains("季度汇总") || path.starts_with("archive/") {
            assert!(after.get(path) == Some(bytes), "{path} changed");
        }
    }
    let june = "2018-06/工作简报-2018年6月.json";
    assert!(before.iter().any(|(p, b)| p == june && Some(b) != after.get(june)), "the June bulletin is built with the new data");
    assert!(after.contains_key("数据校验报告.pdf"));
    // The failed documents are tried again on the next build, even with nothing changed.
    assert!(!jianbao::build(&opts).unwrap().up_to_date);
    // A failure while writing (a folder where a file should go) changes nothing either.
    std::fs::remove_file(&summary).unwrap();
    std::fs::remove_file(opts.out.join("2018-Q2/季度汇总-2018年第二季度.json")).unwrap();
    std::fs::create_dir(opts.out.join("2018-Q2/季度汇总-2018年第二季度.json")).unwrap();
    let before = tree(&opts.out);
    assert!(jianbao::build(&opts).is_err());
    assert!(tree(&opts.out) == before);
}

#[test]
fn a_no_op_reads_no_workbook_template_or_font_and_sees_a_rewrite_behind_an_old_stamp() {
    let (_dir, opts) = copy_project();
    let template = own_template(&opts, "bulletin.typ", |text| format!("{text}\n// 本地修改\n"));
    let font = opts.data.join("fonts").join("本地宋体.otf");
    std::fs::create_dir_all(font.parent().unwrap()).unwrap();
    std::fs::copy(common::repo().join("fonts").join("FandolSong-Regular.otf"), &font).unwrap();
    // A file's stamp is recorded once it has not changed for 2 s (the time step of the
    // coarsest file systems), so the fresh copies settle first.
    std::thread::sleep(std::time::Duration::from_millis(2100));
    let first = jianbao::build(&opts).unwrap();
    assert!(first.read.contains(&template) && first.read.contains(&font), "{:?}", first.read);
    assert!(first.read.iter().filter(|p| p.extension().is_some_and(|e| e == "xlsx")).count() > 100);
    let again = jianbao::build(&opts).unwrap();
    assert!(again.up_to_date);
    assert_eq!(again.read, [opts.data.join("config.yaml")], "only the configuration is read");

    // Other contents behind the same size and modification time: the change time (which no
    // program can set back) gives it away, and the documents that use it are typeset again.
    let meta = std::fs::metadata(&template).unwrap();
    let text = std::fs::read_to_string(&template).unwrap().replace("本地修改", "另行修改");
    std::fs::write(&template, text).unwrap();
    std::fs::File::options().write(true).open(&template).unwrap().set_modified(meta.modified().unwrap()).unwrap();
    let now = std::fs::metadata(&template).unwrap();
    assert_eq!((now.len(), now.modified().unwrap()), (meta.len(), meta.modified().unwrap()));
    if cfg!(unix) {
        let built = jianbao::build(&opts).unwrap();
        assert!(!built.up_to_date && built.read.contains(&template));
        assert_eq!(built.rendered.iter().filter(|id| !id.contains("工作简报")).count(), 0, "{:?}", built.rendered);
        assert!(built.rendered.len() >= 12, "{:?}", built.rendered);
    }
}

#[test]
fn a_template_mistake_is_told_in_chinese_at_its_line() {
    let (_dir, opts) = copy_project();
    // A misspelt name and an unclosed bracket in the office's own summary template.
    own_template(&opts, "summary.typ", |text| format!("{text}\n#tabel(d.trend)\n#let x = (1, 2\n"));
    let built = jianbao::build(&opts).unwrap();
    let failed = built.diagnostics.iter().find(|d| d.code == "E-DOCUMENT").expect("the summaries fail");
    assert!(failed.message.contains("summary.typ:") && failed.message.contains("括号没有闭合"), "{}", failed.message);
    // Beyond the file's name and the quarter's id (2018-Q1), nothing in English.
    let prose = failed.message.replace("summary.typ", "").replace("-Q", "-");
    assert!(!prose.contains(|c: char| c.is_ascii_alphabetic()), "{}", failed.message);
}
