//! Installed once, run in any folder: the program carries its templates and fonts; an office's
//! own templates and fonts live in its data folder; `init` makes a working folder; a new
//! program re-renders what an old one made.

use crate::common;

use std::path::Path;
use std::process::{Command, Output};

use common::{copy_project, own_template, pdf_text, repo, Book, V};

/// The built program, run in `dir` with `args` and nothing else.
fn run_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_jianbao")).args(args).current_dir(dir).env_remove("RUST_LOG").output().unwrap()
}

fn copy_dir(from: &Path, to: &Path) {
    for e in walkdir::WalkDir::new(from) {
        let e = e.unwrap();
        let target = to.join(e.path().strip_prefix(from).unwrap());
        if e.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(e.path(), &target).unwrap();
        }
    }
}

fn embedded_fonts(pdf: &Path) -> Vec<String> {
    let doc = lopdf::Document::load(pdf).unwrap();
    doc.objects
        .values()
        .filter_map(|o| o.as_dict().ok())
        .filter(|d| d.get(b"Type").ok().and_then(|t| t.as_name().ok()) == Some(b"FontDescriptor".as_slice()))
        .filter(|d| d.has(b"FontFile2") || d.has(b"FontFile3"))
        .filter_map(|d| d.get(b"FontName").ok()?.as_name().ok().map(|n| String::from_utf8_lossy(n).into_owned()))
        .collect()
}

#[test]
fn the_program_builds_in_a_folder_holding_only_a_data_folder() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&repo().join("data"), &dir.path().join("data"));
    let out = run_in(dir.path(), &[]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}\n{}", String::from_utf8_lossy(&out.stderr));
    assert!(stdout.contains("来源　模板和字体均为内置"), "{stdout}");
    let pdf = dir.path().join("out/2019-03/工作简报-2019年3月.pdf");
    let fonts = embedded_fonts(&pdf);
    assert!(fonts.iter().any(|f| f.contains("FandolFang")) && fonts.iter().any(|f| f.contains("FandolHei")), "{fonts:?}");
    assert!(pdf_text(&pdf).contains("全县2019年3月脱贫攻坚工作进展情况"));
    // check and template need no templates either.
    assert_eq!(run_in(dir.path(), &["check"]).status.code(), Some(0));
    assert_eq!(run_in(dir.path(), &["template", "--period", "2019-04", "--township", "南村乡"]).status.code(), Some(0));
    assert!(dir.path().join("out/templates/2019-04/南村乡.xlsx").exists());
    // And with --data pointing elsewhere while standing in an empty folder.
    let elsewhere = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let out = run_in(elsewhere.path(), &["build", "--period", "2018-02", "--data", data.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(elsewhere.path().join("out/2018-02/工作简报-2018年2月.pdf").exists());
}

#[test]
fn a_narrative_template_in_the_data_folder_overrides_the_built_in_one() {
    let (_dir, opts) = copy_project();
    own_template(&opts, "bulletin-narrative.typ.j2", |text| text.replace("= 一、总体进展", "= 一、本县的总体进展情况"));
    let built = jianbao::build(&opts).unwrap();
    assert!(!built.has_errors(), "{:#?}", built.diagnostics);
    assert_eq!(built.overrides, ["模板（数据目录）：bulletin-narrative.typ.j2"]);
    assert!(pdf_text(&opts.out.join("2018-03/工作简报-2018年3月.pdf")).contains("一、本县的总体进展情况"));
    // The summaries keep the built-in text.
    let summary = pdf_text(&opts.out.join("2018-Q1/季度汇总-2018年第一季度.pdf"));
    assert!(summary.contains("一、总体情况") && !summary.contains("本县的"));
    // A template given on the command line wins over the data folder's.
    let option = tempfile::tempdir().unwrap();
    let built_in = std::str::from_utf8(jianbao::bundled::template("bulletin-narrative.typ.j2").unwrap().bytes).unwrap();
    std::fs::write(option.path().join("bulletin-narrative.typ.j2"), built_in.replace("= 一、总体进展", "= 一、命令行模板")).unwrap();
    let opts = jianbao::Options { templates: Some(option.path().to_path_buf()), period: "2018-03".parse().ok(), ..opts };
    let built = jianbao::build(&opts).unwrap();
    assert!(built.overrides.contains(&"模板（命令行指定）：bulletin-narrative.typ.j2".to_string()), "{:?}", built.overrides);
    assert!(pdf_text(&opts.out.join("2018-03/工作简报-2018年3月.pdf")).contains("一、命令行模板"));
}

#[test]
fn an_init_folder_checks_clean_and_builds() {
    let root = tempfile::tempdir().unwrap();
    let init = run_in(root.path(), &["init", "某县数据", "--county", "某县", "--years", "2021-2023"]);
    assert_eq!(init.status.code(), Some(0));
    let data = root.path().join("某县数据");
    for f in ["plan.yaml", "config.yaml", "templates/bulletin-narrative.typ.j2", "templates/summary-narrative.typ.j2"] {
        assert!(data.join(f).is_file(), "{f}");
    }
    let copy = std::fs::read_to_string(data.join("templates/bulletin-narrative.typ.j2")).unwrap();
    assert!(copy.starts_with("{#- 本文件是《工作简报》正文的模板"), "a Chinese note at the top");
    let check = run_in(root.path(), &["check", "--data", "某县数据"]);
    let stdout = String::from_utf8_lossy(&check.stdout);
    assert_eq!(check.status.code(), Some(0), "{stdout}");
    assert!(stdout.contains("错误 0 个"), "{stdout}");
    // A workbook of the skeleton's first township makes a bulletin with the office's copy.
    let book =
        Book {
            township: "甲乡", month: "2021-01", villages: vec![V("一村", "贫困村", 1000, 100, 5, 5, "否", "")], projects: vec![], indicators: vec![]
        };
    std::fs::write(data.join("submissions/甲乡2021年1月.xlsx"), jianbao::sample::xlsx::write(&book.sheets()).unwrap()).unwrap();
    let build = run_in(root.path(), &["--data", "某县数据"]);
    assert_eq!(build.status.code(), Some(0), "{}", String::from_utf8_lossy(&build.stdout));
    let text = pdf_text(&root.path().join("out/2021-01/工作简报-2021年1月.pdf"));
    assert!(text.contains("全县2021年1月脱贫攻坚工作进展情况"), "{text}");
    assert!(text.contains("某县脱贫攻坚领导小组办公室"), "the office from init's config: {text}");
    // init never replaces anything.
    assert_eq!(run_in(root.path(), &["init", "某县数据"]).status.code(), Some(2));
    assert_eq!(std::fs::read_to_string(data.join("templates/bulletin-narrative.typ.j2")).unwrap(), copy);
}

#[test]
fn another_program_rerenders_everything() {
    let (_dir, opts) = copy_project();
    let opts = jianbao::Options { program: "程序甲".into(), ..opts };
    assert_eq!(jianbao::build(&opts).unwrap().rendered.len(), 70, "the sample's 70 documents, 28 公示、公告 and 2 公示清单 among them");
    assert!(jianbao::build(&opts).unwrap().up_to_date);
    // The same inputs and another build of the program: nothing is taken as up to date.
    let newer = jianbao::Options { program: "程序乙".into(), ..opts.clone() };
    let built = jianbao::build(&newer).unwrap();
    assert!(!built.up_to_date);
    assert_eq!(built.rendered.len(), 70);
    // The archive records the program, and sees a new one as a change.
    let req = jianbao::archive::Request {
        target: jianbao::archive::Target::month("2018-01".parse().unwrap()),
        date: Some("2018-02-05".parse().unwrap()),
        correction: false,
        skip_earlier: true,
    };
    let jianbao::archive::Outcome::Published { entry, .. } = jianbao::archive::publish(&newer, &req).unwrap().outcome else { panic!() };
    assert_eq!(entry.jianbao.build, "程序乙");
    let jianbao::archive::Outcome::Refused { changes, .. } = jianbao::archive::publish(&opts, &req).unwrap().outcome else { panic!() };
    assert_eq!(changes, [format!("jianbao 程序 {v}（构建 程序乙） → {v}（构建 程序甲）", v = env!("CARGO_PKG_VERSION"))]);
}
