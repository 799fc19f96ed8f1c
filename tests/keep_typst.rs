//! `--keep-typst` writes every source a bulletin was compiled from; compiling them again
//! gives the same PDF.

mod common;

use common::repo;
use jianbao::render::Engine;

#[test]
fn kept_sources_reproduce_the_pdf() {
    let out = tempfile::tempdir().unwrap();
    let opts = jianbao::Options { out: out.path().to_path_buf(), period: "2018-04".parse().ok(), keep_typst: true, ..jianbao::Options::in_dir(&repo()) };
    jianbao::build(&opts).unwrap();
    let dir = out.path().join("2018-04");
    let src = dir.join("工作简报.typst");
    let mut names: Vec<String> = std::fs::read_dir(&src).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
    names.sort();
    // Every Typst template, plus the generated files.
    let mut expected: Vec<String> = std::fs::read_dir(repo().join("templates"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.ends_with(".typ"))
        .chain(["data.json".to_string(), "fonts.json".to_string(), "narrative.typ".to_string()])
        .collect();
    expected.sort();
    assert_eq!(names, expected);
    assert!(names.contains(&"bulletin.typ".to_string()) && names.contains(&"gongwen.typ".to_string()));
    // Compile the kept folder on its own, as `typst compile` would.
    let engine = Engine::new(&repo().join("fonts"), &src).unwrap();
    let data = vec![("/data.json".to_string(), std::fs::read(src.join("data.json")).unwrap())];
    let doc = engine.typeset("kept", "bulletin.typ", &data, (2018, 4, 30)).unwrap();
    let pdf = engine.pdf("2018-04 工作简报", &doc, (2018, 4, 30)).unwrap();
    assert!(pdf == std::fs::read(dir.join("工作简报.pdf")).unwrap(), "kept sources give another PDF");
}
