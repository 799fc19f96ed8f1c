//! `--keep-typst` writes every source a bulletin was compiled from; compiling them again
//! gives the same PDF.

use crate::common;

use common::repo;
use jianbao::render::{Engine, PdfKind, Prepared};

#[test]
fn kept_sources_reproduce_the_pdf() {
    let out = tempfile::tempdir().unwrap();
    let opts = jianbao::Options { out: out.path().to_path_buf(), period: "2018-04".parse().ok(), keep_typst: true, ..jianbao::Options::in_dir(&repo()) };
    jianbao::build(&opts).unwrap();
    let dir = out.path().join("2018-04");
    let src = dir.join("工作简报-2018年4月.typst");
    let mut names: Vec<String> = std::fs::read_dir(&src).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
    names.sort();
    // The templates a bulletin uses (not the summary's or the report's), plus the generated files.
    assert_eq!(names, ["bulletin.typ", "data.json", "fonts.json", "gongwen.typ", "narrative.typ"]);
    // Compile the kept folder on its own, as `typst compile` would.
    let engine = Engine::with_template_dir(Some(&src)).unwrap();
    let data = vec![("/data.json".to_string(), std::fs::read(src.join("data.json")).unwrap())];
    let kept = Prepared::new("2018-04 工作简报", "bulletin.typ", &["gongwen.typ", "bulletin.typ", "narrative.typ"], data, (2018, 4, 30));
    let pdf = engine.render(&kept, PdfKind::Plain).unwrap();
    assert!(pdf == std::fs::read(dir.join("工作简报-2018年4月.pdf")).unwrap(), "kept sources give another PDF");
}
