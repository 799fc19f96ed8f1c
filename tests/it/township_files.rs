//! Files as townships really send them: WPS's `.et`, a month zipped by Chinese Windows (GBK
//! names), CSV exports, web pages named `.xls`, workbooks with a password, empty and
//! half-received files, a rar. Each is read by its bytes, or is an error that holds back what
//! depends on it, shows on the board as 已收到·无法读取 with the reason, and never makes a
//! document or the call list say 未报送 while its file is in the folder.

use std::path::Path;

use crate::common;

use common::{copy_project, repo, TestData};
use jianbao::diag::{Diagnostic, Severity};

const FOLDER: &str = "submissions/2019-03";
const NANCUN: &str = "submissions/2019-03/南村乡2019年3月报表.xlsx";
const BULLETIN: &str = "2019-03/工作简报-2019年3月";

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(repo().join("tests/fixtures/township_files").join(name)).unwrap()
}

/// The figures of a built document, as its `<id>.json` holds them.
fn figures(out: &Path, id: &str) -> serde_json::Value {
    let v: serde_json::Value = serde_json::from_slice(&std::fs::read(out.join(format!("{id}.json"))).unwrap()).unwrap();
    v["figures"].clone()
}

fn errors(diags: &[Diagnostic]) -> Vec<&Diagnostic> {
    diags.iter().filter(|d| d.severity == Severity::Error).collect()
}

/// 南村乡's March cell and call on the board of March 2019.
fn nancun_on_board(built: &jianbao::Built) -> (jianbao::status::Cell, Option<jianbao::status::Call>) {
    let board = built.board.as_ref().expect("a board");
    assert_eq!((board.year, board.month), (2019, 3));
    let row = board.rows.iter().find(|r| r.township == "南村乡").unwrap();
    (row.months[2].clone(), board.calls.iter().find(|c| c.township == "南村乡").cloned())
}

/// The sample's figures of March 2019 (and the hand-checked ones the issue quotes: 632 lifted
/// this month, 1376 to date, 1435.14 万元 disbursed).
fn sample_march() -> serde_json::Value {
    let (_dir, opts) = copy_project();
    jianbao::build(&opts).unwrap();
    let f = figures(&opts.out, BULLETIN);
    assert_eq!((f["county"]["lifted_this_month"].as_u64(), f["county"]["lifted_to_date"].as_u64()), (Some(632), Some(1376)));
    assert_eq!(f["county"]["disbursed_wan"].as_f64(), Some(1435.14));
    f
}

#[test]
fn a_wps_et_workbook_is_read_by_its_content() {
    let (_dir, opts) = copy_project();
    std::fs::remove_file(opts.data.join(NANCUN)).unwrap();
    std::fs::write(opts.data.join(FOLDER).join("南村乡2019年3月报表.et"), fixture("南村乡2019年3月报表.et")).unwrap();
    let built = jianbao::build(&opts).unwrap();
    assert!(errors(&built.diagnostics).is_empty(), "{:#?}", built.diagnostics);
    // The fixture is of the format before the 公示 columns: only the note that says so.
    assert!(!built.diagnostics.iter().any(|d| d.file.ends_with(".et") && d.code != "N-NOTICE-COLUMNS"), "{:#?}", built.diagnostics);
    assert!(built.held.is_empty(), "{:?}", built.held);
    assert_eq!(figures(&opts.out, BULLETIN), sample_march());
    let (cell, call) = nancun_on_board(&built);
    assert!(matches!(cell, jianbao::status::Cell::Reported { ref file } if file.ends_with(".et")), "{cell:?}");
    assert!(call.is_none());
}

/// A zip as Chinese Windows' "send to compressed folder" writes it: names in GBK, without the
/// UTF-8 flag. The zip crate writes UTF-8 names only, so each name is written as a placeholder
/// of the same length and the GBK bytes are put in its place (in the local header and the
/// central directory; the checksums cover the contents, not the names).
fn zip_with_gbk_names(entries: &[(String, Vec<u8>)]) -> Vec<u8> {
    use std::io::Write;
    let mut z = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let mut names = Vec::new();
    for (i, (name, bytes)) in entries.iter().enumerate() {
        let gbk = encoding_rs::GBK.encode(name).0.into_owned();
        let placeholder = format!("{:@<width$}", format!("N{i:03}"), width = gbk.len());
        z.start_file(placeholder.as_str(), zip::write::SimpleFileOptions::default()).unwrap();
        z.write_all(bytes).unwrap();
        names.push((placeholder.into_bytes(), gbk));
    }
    let mut out = z.finish().unwrap().into_inner();
    for (placeholder, gbk) in names {
        let at: Vec<usize> = out.windows(placeholder.len()).enumerate().filter(|(_, w)| *w == placeholder.as_slice()).map(|(i, _)| i).collect();
        assert_eq!(at.len(), 2, "a name stands in the local header and in the central directory");
        for i in at {
            out[i..i + gbk.len()].copy_from_slice(&gbk);
        }
    }
    // No entry carries the UTF-8 flag (general-purpose bit 11) of a name that is not UTF-8.
    assert!(std::str::from_utf8(&out).is_err());
    out
}

#[test]
fn a_month_sent_as_one_zip_with_gbk_names_is_read_as_if_its_files_lay_in_the_folder() {
    let (_dir, opts) = copy_project();
    let folder = opts.data.join(FOLDER);
    let mut entries = Vec::new();
    for e in std::fs::read_dir(&folder).unwrap() {
        let path = e.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        // The month's reports (the sample's 旬 workbooks are another matter).
        if !name.contains('旬') {
            entries.push((format!("2019年3月报表\\{name}"), std::fs::read(&path).unwrap()));
        }
    }
    entries.sort();
    assert_eq!(entries.len(), 10);
    std::fs::remove_dir_all(&folder).unwrap();
    std::fs::write(opts.data.join("submissions/2019-03.zip"), zip_with_gbk_names(&entries)).unwrap();
    let built = jianbao::build(&opts).unwrap();
    assert!(errors(&built.diagnostics).is_empty(), "{:#?}", built.diagnostics);
    assert_eq!(figures(&opts.out, BULLETIN), sample_march());
    assert_eq!(figures(&opts.out, "2019-Q1/季度汇总-2019年第一季度")["as_of"], serde_json::json!("2019-03"));
    let board = built.board.as_ref().unwrap();
    assert_eq!((board.year, board.month), (2019, 3));
    assert!(board.calls.is_empty(), "nobody to phone: {:#?}", board.calls);
    let (cell, _) = nancun_on_board(&built);
    let expected = "submissions/2019-03.zip/2019年3月报表/南村乡2019年3月报表.xlsx";
    assert!(matches!(cell, jianbao::status::Cell::Reported { ref file } if file == expected), "{cell:?}");
}

/// 南村乡's March replaced by `name` holding `bytes`: an error at that file with `code`, whose
/// message says `says` and has no English; March and the first quarter are held back, and the
/// board and call list say the file came but cannot be read.
fn unreadable_march(name: &str, bytes: &[u8], code: &str, says: &str) {
    let (_dir, opts) = copy_project();
    std::fs::remove_file(opts.data.join(NANCUN)).unwrap();
    let rel = format!("{FOLDER}/{name}");
    std::fs::write(opts.data.join(&rel), bytes).unwrap();
    let built = jianbao::build(&opts).unwrap();
    let errs = errors(&built.diagnostics);
    assert_eq!(errs.len(), 1, "{errs:#?}");
    assert_eq!((errs[0].code.as_str(), errs[0].file.as_str()), (code, rel.as_str()));
    let msg = &errs[0].message;
    assert!(msg.contains(says), "{name}: {msg}");
    for english in ["Cannot", "invalid", "archive", "EOCD", "detect", "format", "Workbook"] {
        assert!(!msg.contains(english), "{name}: English in “{msg}”");
    }
    let mut held = built.held.clone();
    held.sort();
    // The county's 2019 公示 stands at March: its workbooks hold it back too.
    assert_eq!(held, [BULLETIN, "2019-03/汇总表-2019年3月", "2019-Q1/季度汇总-2019年第一季度", "公示/2019/资金分配使用情况公示-2019年"], "{name}");
    let (cell, call) = nancun_on_board(&built);
    assert_eq!(cell.label(), "已收到·无法读取");
    assert!(matches!(&cell, jianbao::status::Cell::Unreadable { file, reason } if *file == rel && reason == msg), "{cell:?}");
    let call = call.expect("南村乡 is phoned");
    assert!(call.problems.iter().all(|p| !p.contains("未报送")), "{:?}", call.problems);
    assert!(call.problems[0].contains("已收到但无法读取") && call.problems[0].contains(says), "{:?}", call.problems);
    let report = std::fs::read_to_string(opts.out.join("数据校验报告.txt")).unwrap();
    assert!(report.contains(&rel) && !report.contains("南村乡本月未报送"), "{name}");
}

#[test]
fn a_csv_export_is_an_error_that_holds_back_its_month() {
    let csv = "村名,村类型,户籍人口\n关底村,深度贫困村,1000\n";
    unreadable_march("南村乡2019年3月报表.csv", csv.as_bytes(), "E-FORMAT", "CSV 文本表格");
}

#[test]
fn a_web_page_named_xls_is_told_as_a_web_page() {
    let html = "<html><head><meta charset=\"utf-8\"></head><body><table><tr><td>关底村</td></tr></table></body></html>";
    unreadable_march("南村乡2019年3月报表.xls", html.as_bytes(), "E-FORMAT", "网页文件");
}

#[test]
fn an_empty_file_is_told_as_empty() {
    unreadable_march("南村乡2019年3月报表.xlsx", b"", "E-FORMAT", "空文件");
}

#[test]
fn a_half_received_workbook_is_told_as_incomplete() {
    let whole = std::fs::read(repo().join("data").join(NANCUN)).unwrap();
    unreadable_march("南村乡2019年3月报表.xlsx", &whole[..whole.len() / 2], "E-FORMAT", "文件不完整");
}

#[test]
fn a_word_document_named_xlsx_is_told_as_a_word_document() {
    let mut z = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    z.start_file("word/document.xml", zip::write::SimpleFileOptions::default()).unwrap();
    std::io::Write::write_all(&mut z, b"<w:document/>").unwrap();
    unreadable_march("南村乡2019年3月报表.xlsx", &z.finish().unwrap().into_inner(), "E-FORMAT", "Word 文档");
}

#[test]
fn a_workbook_with_a_password_says_so() {
    unreadable_march("南村乡2019年3月报表.xlsx", &fixture("南村乡2019年3月报表-有密码.xlsx"), "E-PASSWORD", "密码");
}

#[test]
fn a_rar_says_to_extract_it() {
    let (_dir, opts) = copy_project();
    std::fs::write(opts.data.join("submissions/2019-04.rar"), b"Rar!\x1A\x07\x01\x00 not unpacked here").unwrap();
    let built = jianbao::build(&opts).unwrap();
    let e = built.diagnostics.iter().find(|d| d.file == "submissions/2019-04.rar").expect("the rar is named");
    assert_eq!((e.code.as_str(), e.severity), ("E-ARCHIVE", Severity::Error));
    assert!(e.message.contains("请解压"), "{}", e.message);
}

#[test]
fn a_file_that_is_no_report_and_names_no_township_and_month_is_only_noted() {
    let (_dir, opts) = copy_project();
    std::fs::write(opts.data.join("submissions/填报说明.txt"), "请于每月5日前报送。").unwrap();
    std::fs::write(opts.data.join(FOLDER).join("现场照片.jpg"), [0xFF, 0xD8, 0xFF, 0xE0, 0, 0]).unwrap();
    // A photo named for a township and month is no report, and is not passed over either.
    std::fs::write(opts.data.join(FOLDER).join("南村乡2019年3月报表.jpg"), [0xFF, 0xD8, 0xFF, 0xE0, 0, 0]).unwrap();
    let built = jianbao::build(&opts).unwrap();
    let of = |file: &str| built.diagnostics.iter().find(|d| d.file == file).unwrap_or_else(|| panic!("{file}: {:#?}", built.diagnostics)).clone();
    assert_eq!(of("submissions/填报说明.txt").code, "N-SKIPPED");
    assert!(of("submissions/填报说明.txt").message.contains("纯文本文件"));
    assert_eq!(of("submissions/2019-03/现场照片.jpg").code, "N-SKIPPED");
    let photo = of("submissions/2019-03/南村乡2019年3月报表.jpg");
    assert_eq!((photo.code.as_str(), photo.severity), ("E-FORMAT", Severity::Error));
    assert!(photo.message.contains("图片"), "{}", photo.message);
}

#[test]
fn a_formula_without_its_result_in_a_village_row_is_one_error_not_a_missing_village() {
    let (_dir, opts) = copy_project();
    let path = opts.data.join(NANCUN);
    // 关底村's 累计脱贫人数 as a formula whose result was never saved.
    let mut book: calamine::Xlsx<_> = calamine::open_workbook(&path).unwrap();
    use calamine::Reader;
    let range = book.worksheet_range("村级进度").unwrap();
    let header = range.rows().position(|r| r.iter().any(|c| *c == "累计脱贫人数")).unwrap();
    let col = range.rows().nth(header).unwrap().iter().position(|c| *c == "累计脱贫人数").unwrap();
    let row = range.rows().position(|r| r.iter().any(|c| *c == "关底村")).unwrap();
    let (r0, c0) = range.start().unwrap();
    let cell = format!("{}{}", (b'A' + (c0 as usize + col) as u8) as char, r0 as usize + row + 1);
    let sheet = book.sheet_names().iter().position(|n| n == "村级进度").unwrap() + 1;
    let bytes = common::rewrite(std::fs::read(&path).unwrap(), &format!("xl/worksheets/sheet{sheet}.xml"), |xml| {
        let start = xml.find(&format!("<c r=\"{cell}\"")).expect("cell in sheet");
        let end = start + xml[start..].find("</c>").unwrap() + 4;
        format!("{}<c r=\"{cell}\"><f>E{}+1</f></c>{}", &xml[..start], r0 as usize + row + 1, &xml[end..])
    });
    std::fs::write(&path, bytes).unwrap();
    let checked = jianbao::check(&opts).unwrap();
    let of_file: Vec<&Diagnostic> = checked.diagnostics.iter().filter(|d| d.file == NANCUN && d.severity != Severity::Note).collect();
    assert_eq!(of_file.len(), 1, "{of_file:#?}");
    assert_eq!((of_file[0].code.as_str(), of_file[0].cell.as_deref()), ("E-FORMULA", Some(cell.as_str())));
}

/// A village's value in a column of a workbook's 村级进度, read with calamine.
fn village_value(path: &Path, village: &str, column: &str) -> f64 {
    use calamine::Reader;
    let mut book = calamine::open_workbook_auto(path).unwrap();
    let range = book.worksheet_range("村级进度").unwrap();
    let rows: Vec<&[calamine::Data]> = range.rows().collect();
    let header = rows.iter().position(|r| r.iter().any(|c| *c == column)).unwrap();
    let col = rows[header].iter().position(|c| *c == column).unwrap();
    let row = rows.iter().find(|r| r.iter().any(|c| *c == village)).unwrap();
    use calamine::DataType;
    row[col].get_float().or(row[col].get_int().map(|i| i as f64)).unwrap()
}

#[test]
fn a_missed_december_is_a_warning_with_both_numbers_and_the_next_year_is_built() {
    let (_dir, opts) = copy_project();
    let december = opts.data.join("submissions/2018-12/南村乡2018年12月报表.xlsx");
    let november = opts.data.join("submissions/2018-11/南村乡2018年11月报表.xlsx");
    let january = opts.data.join("submissions/2019-01/南村乡2019年1月报表.xlsx");
    // The sample's December lifted people in 关底村: November's remaining poor is not the
    // new year's start, and the two numbers differ.
    let left_in_november = village_value(&november, "关底村", "年初贫困人口") - village_value(&november, "关底村", "累计脱贫人数");
    let start_of_2019 = village_value(&january, "关底村", "年初贫困人口");
    assert_ne!(left_in_november, start_of_2019);
    std::fs::remove_file(&december).unwrap();
    let built = jianbao::build(&opts).unwrap();
    assert!(errors(&built.diagnostics).is_empty(), "{:#?}", errors(&built.diagnostics));
    for id in [BULLETIN, "2019-01/工作简报-2019年1月", "2019-Q1/季度汇总-2019年第一季度"] {
        assert!(opts.out.join(format!("{id}.pdf")).is_file(), "{id} built");
    }
    let w = built.diagnostics.iter().find(|d| d.code == "W-YEAR-START-DEC" && d.message.contains("关底村")).expect("a warning for 关底村");
    assert_eq!(w.file, "submissions/2019-01/南村乡2019年1月报表.xlsx", "the first report of the year, once");
    assert!(
        w.message.contains("2018年12月")
            && w.message.contains(&format!("{start_of_2019}"))
            && w.message.contains(&format!("剩余贫困人口为 {left_in_november}")),
        "{}",
        w.message
    );
    assert!(!built.diagnostics.iter().any(|d| d.code == "W-YEAR-START-DEC" && d.file.contains("2019-02")), "once, on the first report");
}

#[test]
fn a_bad_workbook_holds_back_only_the_documents_whose_figures_use_it() {
    let (_dir, opts) = copy_project();
    // 南村乡's March 2018 cut short: every later month of 2018 has its own 南村乡 report.
    let march = opts.data.join("submissions/2018-03/南村乡2018年3月报表.xlsx");
    let whole = std::fs::read(&march).unwrap();
    std::fs::write(&march, &whole[..whole.len() / 3]).unwrap();
    let built = jianbao::build(&opts).unwrap();
    let mut held = built.held.clone();
    held.sort();
    // The March bulletin; the summaries of 2018, whose chart shows every month of the year
    // so far (March's bar); and the year summary. Not April to December.
    let expected = [
        "2018-03/工作简报-2018年3月",
        "2018-03/汇总表-2018年3月",
        "2018-Q1/季度汇总-2018年第一季度",
        "2018-Q2/季度汇总-2018年第二季度",
        "2018-Q3/季度汇总-2018年第三季度",
        "2018-Q4/季度汇总-2018年第四季度",
        "2018/年度总结-2018年",
    ];
    assert_eq!(held, expected);
    for m in 4..=12 {
        assert!(opts.out.join(format!("2018-{m:02}/工作简报-2018年{m}月.pdf")).is_file(), "2018-{m:02} built");
    }
    assert!(opts.out.join(format!("{BULLETIN}.pdf")).is_file());
}

#[test]
fn a_month_sent_as_a_7z_is_read_like_a_zip() {
    let (_dir, opts) = copy_project();
    std::fs::remove_dir_all(opts.data.join(FOLDER)).unwrap();
    std::fs::write(opts.data.join("submissions/2019-03.7z"), fixture("2019-03.7z")).unwrap();
    let built = jianbao::build(&opts).unwrap();
    assert!(errors(&built.diagnostics).is_empty(), "{:#?}", built.diagnostics);
    assert_eq!(figures(&opts.out, BULLETIN), sample_march());
    let (cell, _) = nancun_on_board(&built);
    let expected = "submissions/2019-03.7z/2019年3月报表/南村乡2019年3月报表.xlsx";
    assert!(matches!(cell, jianbao::status::Cell::Reported { ref file } if file == expected), "{cell:?}");
}

#[test]
fn a_range_merged_across_data_cells_is_named_at_its_range_counted_as_shown_and_phoned_about() {
    use rust_xlsxwriter::{Format, Workbook};
    let d = TestData::new();
    let mut book = Workbook::new();
    let cover = book.add_worksheet().set_name("基本信息").unwrap();
    cover.write_string(0, 0, "乡镇").unwrap().write_string(0, 1, "南村乡").unwrap();
    cover.write_string(1, 0, "统计月份").unwrap().write_string(1, 1, "2018-03").unwrap();
    let villages = book.add_worksheet().set_name("村级进度").unwrap();
    for (c, h) in ["村名", "村类型", "户籍人口", "年初贫困人口", "本月脱贫人数", "累计脱贫人数", "是否出列", "备注"].iter().enumerate()
    {
        villages.write_string(0, c as u16, *h).unwrap();
    }
    for (r, (name, pop, poor, month, done)) in [("关底村", 1000, 300, 20, 300), ("青山村", 800, 200, 10, 200)].iter().enumerate() {
        let r = r as u32 + 1;
        villages.write_string(r, 0, *name).unwrap().write_string(r, 1, "深度贫困村").unwrap();
        for (c, v) in [(2, pop), (3, poor), (4, month), (5, done)] {
            villages.write_number(r, c, f64::from(*v)).unwrap();
        }
    }
    // 是否出列 of both villages merged into one cell showing 是 (G2:G3).
    villages.merge_range(1, 6, 2, 6, "是", &Format::new()).unwrap();
    d.write("submissions/2018-03/南村乡.xlsx", &book.save_to_buffer().unwrap());

    // The township's first month: named at the range, in Chinese, with what to do.
    let c = jianbao::check(&d.options()).unwrap();
    let merged = c.diagnostics.iter().find(|d| d.code == "W-MERGED").unwrap_or_else(|| panic!("{:#?}", c.diagnostics));
    assert_eq!(merged.location(), "submissions/2018-03/南村乡.xlsx › 村级进度 › G2:G3");
    assert!(merged.message.contains("只有 G2 有值“是”") && merged.message.contains("取消合并"), "{}", merged.message);
    // Both villages count as they show: exited.
    let f = jianbao::aggregate::month(&c.plan, &c.reports, "2018-03".parse().unwrap(), &Default::default());
    assert_eq!(f.townships[0].exited_total, 2);
    // A warning that changes a figure puts the township on the call list.
    let board = jianbao::status::board(&c, "2018-03".parse().unwrap(), None, false);
    let call = board.calls.iter().find(|c| c.township == "南村乡").expect("南村乡 is phoned about its merged cells");
    assert!(call.problems.iter().any(|p| p.contains("G2:G3")), "{:?}", call.problems);
}

#[test]
fn a_csv_export_beside_its_workbook_is_never_a_duplicate() {
    let (_dir, opts) = copy_project();
    // The township's workbook stays; its CSV export lies beside it.
    let csv = "村名,村类型,户籍人口\n关底村,深度贫困村,1000\n";
    std::fs::write(opts.data.join(format!("{FOLDER}/南村乡2019年3月报表.csv")), csv).unwrap();
    let built = jianbao::build(&opts).unwrap();
    let (cell, call) = nancun_on_board(&built);
    assert!(!matches!(cell, jianbao::status::Cell::Duplicate { .. }) && cell.label() != "重复2", "{cell:?}");
    assert!(call.as_ref().is_none_or(|c| c.problems.iter().all(|p| !p.contains("请确认用哪一份"))), "{call:?}");
    // The CSV itself is still named in the report.
    let report = std::fs::read_to_string(opts.out.join("数据校验报告.txt")).unwrap();
    assert!(report.contains("南村乡2019年3月报表.csv"), "{report}");
}
