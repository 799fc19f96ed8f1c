//! News pieces (信息稿) in the formats county and township offices save them: Word 97-2003
//! (.doc), WPS Writer (.wps), OpenDocument (.odt) and RTF are read like a .docx; a PDF, and any
//! file that cannot be read, is an error naming it that holds back its month's bulletin.

use crate::common;

use common::{copy_project, repo};
use jianbao::diag::Severity;

const STEM: &str = "01-南村乡-召开脱贫攻坚推进会";
const FOLDER: &str = "稿件/2019-03";

/// The sample with its .docx piece replaced by the same piece saved as `ext`.
fn with_piece_as(ext: &str) -> (tempfile::TempDir, jianbao::Options, String) {
    let (dir, opts) = copy_project();
    std::fs::remove_file(opts.data.join(FOLDER).join(format!("{STEM}.docx"))).unwrap();
    let name = format!("{STEM}.{ext}");
    std::fs::copy(repo().join("tests/fixtures/pieces").join(&name), opts.data.join(FOLDER).join(&name)).unwrap();
    (dir, opts, format!("{FOLDER}/{name}"))
}

#[test]
fn doc_wps_odt_and_rtf_pieces_read_as_the_docx_they_were_saved_from() {
    let (_dir, opts) = copy_project();
    let original = jianbao::check(&opts).unwrap().pieces.into_iter().find(|p| p.file.ends_with(".docx")).unwrap();
    assert!(original.body.len() >= 2, "{original:?}");
    for ext in ["doc", "wps", "odt", "rtf"] {
        let (_dir, opts, rel) = with_piece_as(ext);
        let checked = jianbao::check(&opts).unwrap();
        let about: Vec<_> = checked.diagnostics.iter().filter(|d| d.file == rel && d.severity != Severity::Note).collect();
        assert!(about.is_empty(), "{ext}: {about:#?}");
        let p = checked.pieces.iter().find(|p| p.file == rel).unwrap_or_else(|| panic!("{ext} not read"));
        assert_eq!((&p.title, &p.source, &p.body), (&original.title, &original.source, &original.body), "{ext}");
    }
}

#[test]
fn a_doc_named_docx_is_read_by_its_content() {
    let (_dir, opts) = copy_project();
    let original = jianbao::check(&opts).unwrap().pieces.into_iter().find(|p| p.file.ends_with(".docx")).unwrap();
    let docx = opts.data.join(FOLDER).join(format!("{STEM}.docx"));
    std::fs::copy(repo().join("tests/fixtures/pieces").join(format!("{STEM}.doc")), &docx).unwrap();
    let checked = jianbao::check(&opts).unwrap();
    let p = checked.pieces.iter().find(|p| p.file.ends_with(".docx")).expect("read");
    assert_eq!((&p.title, &p.body), (&original.title, &original.body));
}

#[test]
fn a_pdf_piece_is_an_error_naming_it_and_holds_back_its_bulletin_only() {
    let (_dir, opts, rel) = with_piece_as("pdf");
    let built = jianbao::build(&opts).unwrap();
    let e = built.diagnostics.iter().find(|d| d.file == rel).expect("the PDF is named");
    assert_eq!((e.code.as_str(), e.severity), ("E-PIECE-FORMAT", Severity::Error));
    assert!(e.message.contains("原稿"), "{}", e.message);
    assert_eq!(built.held, ["2019-03/工作简报-2019年3月"]);
    // The month's 汇总表 prints no pieces: it is made, with the month's figures.
    let table = opts.out.join("2019-03/汇总表-2019年3月.xlsx");
    assert!(built.written.contains(&table), "{:?}", built.written);
    let mut book: calamine::Xlsx<_> = calamine::open_workbook(&table).unwrap();
    use calamine::Reader;
    assert!(!book.sheet_names().is_empty() && book.worksheet_range_at(0).unwrap().unwrap().height() > 3);
}

#[test]
fn the_build_line_calls_an_unreadable_piece_a_piece() {
    let (_dir, opts, _) = with_piece_as("pdf");
    let out =
        std::process::Command::new(env!("CARGO_BIN_EXE_jianbao")).arg("build").arg("--data").arg(&opts.data).arg("--out").arg(&opts.out).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("以下文件用到的稿件有错误，未生成：2019-03/工作简报-2019年3月"), "{text}");
}
