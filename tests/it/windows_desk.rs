//! What a Windows desk does every day, simulated where Linux cannot do it: an output held open
//! by a PDF viewer (renaming it fails, injected through `output::faults`), an input held open
//! exclusively, installed fonts named in Chinese, and the console left open after a
//! double-click.

use crate::common;

use common::{copy_project, tree};
use jianbao::output::faults;

#[test]
fn an_output_held_open_keeps_its_document_whole_and_the_rest_is_built() {
    let (_dir, opts) = copy_project();
    jianbao::build(&opts).unwrap();
    let before: std::collections::BTreeMap<String, Vec<u8>> = tree(&opts.out).into_iter().collect();
    // Every document changes (the office's name is on each), and March's PDF is held open.
    let config = opts.data.join("config.yaml");
    let text = std::fs::read_to_string(&config).unwrap();
    std::fs::write(&config, text.replace("领导小组办公室", "领导小组办公室（新）")).unwrap();
    let pdf = jianbao::output::under(&opts.out, "2018-03/工作简报-2018年3月.pdf");
    faults::lock(&pdf);
    let built = jianbao::build(&opts);
    faults::release(&pdf);
    let built = built.unwrap();
    let locked: Vec<&jianbao::diag::Diagnostic> = built.diagnostics.iter().filter(|d| d.code == "E-LOCKED").collect();
    assert_eq!(locked.len(), 1, "{:#?}", built.diagnostics);
    assert_eq!(locked[0].file, "2018-03/工作简报-2018年3月");
    assert!(locked[0].message.contains(&pdf.display().to_string()) && locked[0].message.contains("可能正被PDF阅读器或Excel打开"), "{}", locked[0].message);
    // March's files are all as they were; every other document is the new one.
    let after: std::collections::BTreeMap<String, Vec<u8>> = tree(&opts.out).into_iter().collect();
    for (path, bytes) in &before {
        let march = path.starts_with("2018-03/");
        let same = after.get(path) == Some(bytes);
        if march {
            assert!(same, "{path} was replaced although its PDF is held open");
        } else if path.ends_with(".pdf") {
            assert!(!same, "{path} was not rebuilt");
        }
    }
    assert!(!after.keys().any(|p| p.contains(".jianbao-")), "no temporaries or old copies left");
    // Released: the next build finishes March, and out/ is what a fresh build makes.
    let again = jianbao::build(&opts).unwrap();
    assert!(!again.up_to_date && again.rendered.contains(&"2018-03/工作简报-2018年3月".to_string()), "{:?}", again.rendered);
    assert!(!again.diagnostics.iter().any(|d| d.code == "E-LOCKED"));
    let finished = tree(&opts.out);
    let fresh = jianbao::Options { out: opts.out.with_file_name("fresh"), ..opts.clone() };
    jianbao::build(&fresh).unwrap();
    // 结果一览 says what each run did (新生成 / 未变化), so it is left out with the build record.
    let strip = |t: Vec<(String, Vec<u8>)>| t.into_iter().filter(|(p, _)| !p.starts_with(".jianbao/") && p != jianbao::overview::FILE).collect::<Vec<_>>();
    assert!(strip(finished) == strip(tree(&fresh.out)), "after the release, out/ equals a fresh build");
}

#[test]
fn fonts_are_found_by_any_of_their_names_in_any_language() {
    use jianbao::config::FontConfig;
    use jianbao::inputs::{Asset, Origin, Shared};
    // Named like Windows' own 仿宋: "FangSong" in English first, "仿宋" in Chinese second.
    let path = common::repo().join("tests/fixtures/仿宋-测试字体.otf");
    let bytes = std::fs::read(&path).unwrap();
    let office = Asset {
        name: "仿宋-测试字体.otf".into(),
        sha256: jianbao::inputs::sha256(&bytes),
        bytes: Shared::Read(std::sync::Arc::new(bytes)),
        origin: Origin::DataFolder,
        path: Some(path.clone()),
    };
    let mut fonts = vec![office];
    fonts.extend(jianbao::bundled::FONTS.iter().map(Asset::from_bundled));
    let config = FontConfig { fang: vec!["仿宋".into()], song: vec!["没有这个字体".into()], ..FontConfig::default() };
    let set = jianbao::render::Fonts::new(&fonts, &config, true).unwrap();
    // The Chinese name finds the font, set by the family typst knows it by; Fandol follows.
    assert_eq!(set.roles().fang, ["FangSong", "FandolFang R"]);
    assert_eq!(set.missing(), ["没有这个字体"]);
    // The closing summary says which fonts were used.
    let summary = set.summary();
    assert_eq!(summary[0], format!("仿宋：FangSong（{}）", path.display()));
    assert_eq!(summary[1], "宋体：FandolSong（内置）");
}
