//! Fonts: bundled by default; with system fonts, the office's fonts by name come first and the
//! bundled ones remain the fallback.

use crate::common;

use common::{repo, TestData};

fn font_names(pdf: &std::path::Path) -> Vec<String> {
    let doc = lopdf::Document::load(pdf).unwrap();
    let mut names: Vec<String> = doc
        .objects
        .values()
        .filter_map(|o| o.as_dict().ok())
        .filter(|d| d.get(b"Type").ok().and_then(|t| t.as_name().ok()) == Some(b"FontDescriptor".as_slice()))
        .filter_map(|d| d.get(b"FontName").ok()?.as_name().ok().map(|n| String::from_utf8_lossy(n).into_owned()))
        .collect();
    names.sort();
    names.dedup();
    names
}

#[test]
fn default_build_uses_only_bundled_fonts() {
    let out = tempfile::tempdir().unwrap();
    let opts = jianbao::Options { out: out.path().to_path_buf(), period: "2018-01".parse().ok(), keep_typst: true, ..jianbao::Options::in_dir(&repo()) };
    jianbao::build(&opts).unwrap();
    let names = font_names(&out.path().join("2018-01/工作简报-2018年1月.pdf"));
    assert!(!names.is_empty());
    assert!(names.iter().all(|n| n.contains("Fandol")), "{names:?}");
    let roles: serde_json::Value = serde_json::from_slice(&std::fs::read(out.path().join("2018-01/工作简报-2018年1月.typst/fonts.json")).unwrap()).unwrap();
    assert_eq!(roles["fang"], serde_json::json!(["FandolFang R"]));
}

#[test]
fn system_fonts_put_office_fonts_first_and_keep_the_bundled_fallback() {
    let d = TestData::new();
    let config = std::fs::read_to_string(d.data().join("config.yaml"))
        .unwrap()
        .replace("fang: [仿宋_GB2312, 仿宋]", "fang: [不存在的仿宋字体]")
        .replace("song: [宋体]", "song: [DejaVu Sans]");
    std::fs::write(d.data().join("config.yaml"), config).unwrap();
    common::copy_sample_month(&d, "2018-01");
    let mut opts = d.options();
    opts.system_fonts = true;
    opts.keep_typst = true;
    let built = jianbao::build(&opts).unwrap();
    assert!(!built.has_errors(), "{:#?}", built.diagnostics);
    let roles: serde_json::Value = serde_json::from_slice(&std::fs::read(d.out().join("2018-01/工作简报-2018年1月.typst/fonts.json")).unwrap()).unwrap();
    // Office fonts this machine lacks are left out with a note; the bundled ones set the text.
    assert_eq!(roles["fang"], serde_json::json!(["FandolFang R"]));
    let notes: Vec<&str> = built.diagnostics.iter().filter(|d| d.code == "N-FONT").map(|d| d.message.as_str()).collect();
    assert!(notes.iter().any(|m| m.contains("不存在的仿宋字体")), "{notes:?}");
    let text = common::pdf_text(&d.out().join("2018-01/工作简报-2018年1月.pdf"));
    assert!(text.contains("全县2018年1月脱贫攻坚工作进展情况"));
    let names = font_names(&d.out().join("2018-01/工作简报-2018年1月.pdf"));
    assert!(names.iter().any(|n| n.contains("FandolFang")), "{names:?}");
    // Where an installed font is named (DejaVu Sans, on most Linux machines), it comes first:
    // the tables' digits are set in it, their Chinese in the bundled FandolSong.
    let installed = jianbao::render::Fonts::new(&[], &Default::default(), true).is_ok_and(|f| f.book().contains_family("dejavu sans"));
    if installed {
        assert_eq!(roles["song"], serde_json::json!(["DejaVu Sans", "FandolSong"]));
        assert!(names.iter().any(|n| n.contains("DejaVuSans")), "{names:?}");
    } else {
        assert_eq!(roles["song"], serde_json::json!(["FandolSong"]));
    }
}
