//! The sample data plus one bad file of each kind an office meets: every document that does not
//! depend on a bad file is built, every problem is listed in the validation report and on the
//! board, and peak memory stays bounded although three of the files are 3 GB (sparse files:
//! they take no disk). The test runs alone in a child process, so that the process's peak is its own.

use crate::common;

use common::{copy_project, Book, V};
use std::io::Write;

/// Peak resident memory of this process in MB (Linux).
fn peak_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let kb: f64 = status.lines().find(|l| l.starts_with("VmHWM:"))?.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

/// The bound on peak memory for this build, stated here and measured by this test.
const PEAK_MB: f64 = 350.0;

/// A 3 GB file that takes no disk.
fn huge(path: &std::path::Path) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::File::create(path).unwrap().set_len(3 << 30).unwrap();
}

/// A zip whose one entry unpacks to 210 MB of zeros (over the 200 MB limit).
fn zip_bomb() -> Vec<u8> {
    let mut z = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    z.start_file("xl/worksheets/sheet1.xml", zip::write::SimpleFileOptions::default()).unwrap();
    let zeros = vec![0u8; 1 << 20];
    for _ in 0..210 {
        z.write_all(&zeros).unwrap();
    }
    z.finish().unwrap().into_inner()
}

#[test]
fn one_bad_file_of_each_kind_stops_nothing_but_itself() {
    if !common::in_own_process("stray_files::one_bad_file_of_each_kind_stops_nothing_but_itself") {
        return;
    }
    let (_dir, opts) = copy_project();
    let data = opts.data.clone();
    let put = |rel: &str, bytes: &[u8]| {
        let p = data.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, bytes).unwrap();
    };
    // Files whose township and month cannot be known: they hold back nothing.
    put("junk.xlsx", b"");
    put("submissions/损坏.xlsx", b"PK\x03\x04 not really a zip");
    put("submissions/压缩炸弹.xlsx", &zip_bomb());
    huge(&data.join("submissions/大文件.xlsx"));
    let stray = Book {
        township: "南村乡",
        month: "2031年3月",
        villages: vec![V("关底村", "深度贫困村", 1000, 300, 1, 1, "否", "")],
        projects: vec![],
        indicators: vec![],
    };
    put("submissions/迷路的报表.xlsx", &jianbao::sample::xlsx::write(&stray.sheets()).unwrap());
    #[cfg(unix)]
    std::os::unix::fs::symlink(data.join("不存在.xlsx"), data.join("submissions/断开的链接.xlsx")).unwrap();
    // 果园乡's missing February, sent with a remark pasted full of text: February and what
    // it feeds (March, the first quarter) are held back.
    let remark = "很长".repeat(5_000);
    let long = Book {
        township: "果园乡",
        month: "2019-02",
        villages: vec![V("果园村", "贫困村", 1000, 300, 0, 0, "否", &remark)],
        projects: vec![],
        indicators: vec![],
    };
    put("submissions/果园乡2019年2月.xlsx", &jianbao::sample::xlsx::write(&long.sheets()).unwrap());
    // Pieces: 3 GB .docx and .txt in March, a 15 MB book of text in December 2018.
    huge(&data.join("稿件/2019-03/巨大.docx"));
    huge(&data.join("稿件/2019-03/巨大.txt"));
    put("稿件/2018-12/一本书.txt", "第一章\n".repeat(1_500_000).as_bytes());
    // config.yaml saved by Notepad in GBK.
    let config = std::fs::read_to_string(data.join("config.yaml")).unwrap();
    put("config.yaml", &encoding_rs::GBK.encode(&config).0);

    let built = jianbao::build(&opts).unwrap();
    let peak = peak_mb();

    let mut held = built.held.clone();
    held.sort();
    // A piece holds back only the bulletin that prints it (December's); a workbook, what its
    // figures feed (February's bulletin and 汇总表, March's bulletin through a piece, the quarter).
    let expected = [
        "2018-12/工作简报-2018年12月",
        "2019-02/工作简报-2019年2月",
        "2019-02/汇总表-2019年2月",
        "2019-03/工作简报-2019年3月",
        "2019-Q1/季度汇总-2019年第一季度",
    ];
    assert_eq!(held, expected);
    // Everything else of the sample's 70 documents (53 typeset, 3 旬报 and 28 公示、公告 among
    // them; 15 汇总表, 2 公示清单) is built.
    assert_eq!(built.rendered.len(), 70 - held.len(), "{:?}", built.rendered);
    for id in ["2019-01/工作简报-2019年1月", "2018/年度总结-2018年", "2018-Q4/季度汇总-2018年第四季度", "数据校验报告"] {
        assert!(opts.out.join(format!("{id}.pdf")).is_file(), "{id}");
    }
    // Every problem is in the report, at its file.
    let report = std::fs::read_to_string(opts.out.join("数据校验报告.txt")).unwrap();
    let problems = [
        ("junk.xlsx", "E-FORMAT"),
        ("submissions/损坏.xlsx", "E-FORMAT"),
        ("submissions/压缩炸弹.xlsx", "E-TOO-LARGE"),
        ("submissions/大文件.xlsx", "E-TOO-LARGE"),
        ("submissions/迷路的报表.xlsx", "E-MONTH-RANGE"),
        ("submissions/果园乡2019年2月.xlsx", "E-TEXT-LONG"),
        ("稿件/2019-03/巨大.docx", "E-TOO-LARGE"),
        ("稿件/2019-03/巨大.txt", "E-TOO-LARGE"),
        ("稿件/2018-12/一本书.txt", "E-PIECE-TOO-LONG"),
    ];
    for (file, code) in problems {
        assert!(built.diagnostics.iter().any(|d| d.file == file && d.code == code), "{file} {code}: {:#?}", built.diagnostics);
        assert!(report.contains(file) && report.contains(code), "{file} {code} not in the report");
    }
    #[cfg(unix)]
    assert!(built.diagnostics.iter().any(|d| d.file == "submissions/断开的链接.xlsx" && d.code == "W-LINK"));
    // On the board: the files of no known township or month.
    let board = built.board.as_ref().expect("a board");
    let unknown: Vec<&String> = board.rows.iter().flat_map(|r| &r.month_unknown).collect();
    for file in ["junk.xlsx", "submissions/损坏.xlsx", "submissions/压缩炸弹.xlsx", "submissions/大文件.xlsx", "submissions/迷路的报表.xlsx"] {
        assert!(unknown.iter().any(|u| *u == file), "{file} not under 月份不明: {unknown:?}");
    }
    // Peak memory, measured (not timed): the 3 GB files are never read.
    if let Some(peak) = peak {
        eprintln!("peak resident memory: {peak:.0} MB (bound {PEAK_MB} MB)");
        assert!(peak < PEAK_MB, "peak memory {peak:.0} MB over the bound {PEAK_MB} MB");
    }
}
