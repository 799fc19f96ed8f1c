//! 稿件: the work news townships send (.docx, .txt, .md) set into their month's bulletin:
//! read back exactly, set in order with their sources, left out on request, data never markup,
//! hashed like workbooks, archived with the bulletin, on the board.

use crate::common;

use common::{copy_project, copy_sample_month, pdf_attachments, pdf_text, TestData};
use jianbao::archive::{self, Outcome, Request, Target};
use jianbao::sample::pieces::{docx, Block};

const HOSTILE: &str = "#read(\"/etc/passwd\") = 标题 $x^2$ <b>]*_ \\ {{ 7*7 }} @ref";

fn para(s: &str) -> Block {
    Block::Para(s.into())
}

fn period(p: &str) -> Option<jianbao::period::Period> {
    Some(p.parse().unwrap())
}

/// Where `needle` is in `hay`, panicking with both if it is not.
fn at(hay: &str, needle: &str) -> usize {
    let needle: String = needle.chars().filter(|c| !c.is_whitespace()).collect();
    hay.find(&needle).unwrap_or_else(|| panic!("“{needle}” not in the PDF text:\n{hay}"))
}

#[test]
fn a_word_piece_reads_back_exactly_and_prints_hostile_text_literally() {
    let d = TestData::new();
    copy_sample_month(&d, "2019-03");
    let blocks = [
        Block::Heading("南村乡召开脱贫攻坚推进会".into()),
        para("　　3月12日，南村乡召开推进会——会议要求：“早谋划、早部署”；（一）抓项目，（二）抓资金。"),
        Block::Table(vec![vec!["项目".into(), "人数".into()], vec!["技能培训".into(), "86人".into()]]),
        Block::Image,
        para(HOSTILE),
        para("来源：南村乡"),
    ];
    d.write("稿件/2019-03/01-推进会.docx", &docx("推进会", &blocks));
    let checked = jianbao::check(&d.options()).unwrap();
    let [p] = checked.pieces.as_slice() else { panic!("{:?}", checked.pieces) };
    assert_eq!(p.title, "南村乡召开脱贫攻坚推进会");
    let text = |t: &str| jianbao::pieces::Block::Paragraph { text: t.into() };
    let table = jianbao::pieces::Block::Table { rows: vec![vec!["项目".into(), "人数".into()], vec!["技能培训".into(), "86人".into()]] };
    assert_eq!(p.body, [text("3月12日，南村乡召开推进会——会议要求：“早谋划、早部署”；（一）抓项目，（二）抓资金。"), table, text(HOSTILE)]);
    assert_eq!((p.source.as_deref(), p.township.as_deref()), (Some("南村乡"), Some("南村乡")));
    let about: Vec<(&str, &str)> = checked.diagnostics.iter().filter(|x| x.file == p.file).map(|x| (x.code.as_str(), x.message.as_str())).collect();
    // The sample writer's image is a drawing with no picture in it: passed over, with a note.
    assert_eq!(about, [("N-PIECE-IMAGE", "第3段附近的图形（文本框、绘图或嵌入对象）未采用，简报只排照片。")]);

    let built = jianbao::build(&jianbao::Options { period: period("2019-03"), ..d.options() }).unwrap();
    assert!(!built.has_errors(), "{:#?}", built.diagnostics);
    let text = pdf_text(&d.out().join("2019-03/工作简报-2019年3月.pdf"));
    let order = ["工作动态", "（一）南村乡召开脱贫攻坚推进会", "技能培训", HOSTILE, "（南村乡供稿）"];
    let places: Vec<usize> = order.iter().map(|s| at(&text, s)).collect();
    assert!(places.windows(2).all(|w| w[0] < w[1]), "in order: {places:?}");
    assert!(!text.contains("root:"), "no file was read");
}

#[test]
fn the_sample_pieces_are_set_in_order_and_a_piece_left_out_rerenders_only_its_month() {
    let (_dir, opts) = copy_project();
    jianbao::build(&opts).unwrap();
    let pdf = opts.out.join("2019-03/工作简报-2019年3月.pdf");
    let text = pdf_text(&pdf);
    let order = [
        "工作动态",
        "（一）南村乡召开脱贫攻坚推进会（示例）",
        "（南村乡供稿）",
        "（二）县人社局开展贫困劳动力技能培训（示例）",
        "（县人社局供稿）",
        "经验做法",
        "（一）段村乡花椒产业带动贫困户增收（示例）",
        "2018年，全乡贫困户户均花椒收入达到4200元。（段村乡供稿）",
    ];
    let places: Vec<usize> = order.iter().map(|s| at(&text, s)).collect();
    assert!(places.windows(2).all(|w| w[0] < w[1]), "in order: {places:?}");

    // Leaving the first piece out (without deleting it): the other is now （一）.
    let month = opts.data.join("稿件/2019-03");
    std::fs::create_dir_all(month.join("不采用")).unwrap();
    std::fs::rename(month.join("01-南村乡-召开脱贫攻坚推进会.docx"), month.join("不采用/01-南村乡-召开脱贫攻坚推进会.docx")).unwrap();
    let built = jianbao::build(&opts).unwrap();
    let mut rendered = built.rendered.clone();
    rendered.sort();
    assert_eq!(rendered, ["2019-03/工作简报-2019年3月", "数据校验报告"], "only its month, and the report listing the pieces");
    let text = pdf_text(&pdf);
    assert!(!text.contains("南村乡召开脱贫攻坚推进会"));
    at(&text, "（一）县人社局开展贫困劳动力技能培训（示例）");
    let board = built.board.unwrap();
    assert_eq!(jianbao::status::pieces_line(&board), "3月稿件：共2篇，县人社局1篇、段村乡1篇（另有不采用1篇）。");
    assert_eq!(board.rows.iter().find(|r| r.township == "段村乡").map(|r| r.pieces), Some(1));
}

#[test]
fn a_piece_that_cannot_be_printed_or_read_holds_back_only_its_month() {
    let d = TestData::new();
    copy_sample_month(&d, "2019-02");
    copy_sample_month(&d, "2019-03");
    // U+20000 is in no bundled font.
    d.write("稿件/2019-03/a.txt", "标题\n来源：南村乡\n第一段。\n第二段有\u{20000}字。\n".as_bytes());
    d.write("稿件/2019-02/b.doc", b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1");
    d.write("稿件/2019-02/不采用/c.wps", b"\xD0\xCF\x11\xE0");
    d.write("稿件/2019-02/图片.jpg", b"\xFF\xD8\xFF");
    let built = jianbao::build(&d.options()).unwrap();
    let find = |code: &str| built.diagnostics.iter().find(|x| x.code == code).unwrap_or_else(|| panic!("no {code}: {:#?}", built.diagnostics));
    let glyph = find("E-GLYPH");
    assert_eq!((glyph.file.as_str(), glyph.location().as_str()), ("稿件/2019-03/a.txt", "稿件/2019-03/a.txt › 正文第2段"));
    assert!(glyph.message.contains("U+20000"));
    // A compound file with nothing in it: no Word document.
    assert_eq!(find("E-PIECE-READ").file, "稿件/2019-02/b.doc");
    let left_out = built.diagnostics.iter().find(|x| x.file.ends_with("c.wps")).unwrap();
    assert_eq!(left_out.severity, jianbao::diag::Severity::Note, "a piece left out stops nothing");
    assert_eq!(find("N-SKIPPED").file, "稿件/2019-02/图片.jpg");
    let mut held = built.held.clone();
    held.sort();
    assert_eq!(held, ["2019-02/工作简报-2019年2月", "2019-03/工作简报-2019年3月"]);
    assert!(built.rendered.iter().any(|id| id.starts_with("2019-Q1")), "the quarter has no pieces: {:?}", built.rendered);
}

#[test]
fn a_published_bulletin_records_and_carries_its_pieces() {
    let (_dir, opts) = copy_project();
    let req = Request { target: Target::month("2019-03".parse().unwrap()), date: "2019-04-05".parse().ok(), correction: false, skip_earlier: true };
    let Outcome::Published { entry, path } = archive::publish(&opts, &req).unwrap().outcome else { panic!() };
    let pieces: Vec<(&str, &str)> = entry.inputs.iter().filter(|i| i.kind == "piece").map(|i| (i.path.as_str(), i.sha256.as_str())).collect();
    let attached = pdf_attachments(&path);
    assert_eq!(pieces.len(), 3, "{pieces:?}");
    for (rel, sha) in pieces {
        let bytes = std::fs::read(opts.data.join(rel)).unwrap();
        assert_eq!(jianbao::inputs::sha256(&bytes), sha);
        assert_eq!(attached.get(rel), Some(&bytes), "{rel} attached byte for byte");
    }
    assert!(archive::verify(&opts.out).unwrap().is_clean());
    // A piece changed after publishing: the same bulletin cannot be published again silently.
    std::fs::write(opts.data.join("稿件/2019-03/02-县人社局-开展贫困劳动力技能培训.txt"), "改过的标题\n来源：县人社局\n正文。").unwrap();
    let Outcome::Refused { changes, .. } = archive::publish(&opts, &req).unwrap().outcome else { panic!() };
    assert!(changes.iter().any(|c| c.contains("02-县人社局-开展贫困劳动力技能培训.txt")), "{changes:?}");
}

#[test]
fn a_folder_named_by_its_month_alone_is_read_when_one_year_fits_and_else_named_with_its_new_name() {
    let (_dir, opts) = copy_project();
    // 12月稿件: only 2018 has a December: read as 2018-12, with a note saying what to rename.
    std::fs::rename(opts.data.join("稿件/2018-12"), opts.data.join("稿件/12月稿件")).unwrap();
    // 3月稿件: 2018 and 2019 both have a March: named, with what to rename it to.
    std::fs::rename(opts.data.join("稿件/2019-03"), opts.data.join("稿件/3月稿件")).unwrap();
    let built = jianbao::build(&opts).unwrap();
    let note = built.diagnostics.iter().find(|d| d.code == "N-PIECE-YEAR").expect("a note on 12月稿件");
    assert_eq!(note.file, "稿件/12月稿件");
    assert!(note.message.contains("按2018年12月读取") && note.message.contains("稿件/2018-12"), "{}", note.message);
    let december = pdf_text(&opts.out.join("2018-12/工作简报-2018年12月.pdf"));
    assert!(december.contains("开展年终脱贫成效自查"), "the piece is set: {december}");
    let march: Vec<&jianbao::diag::Diagnostic> = built.diagnostics.iter().filter(|d| d.file.starts_with("稿件/3月稿件/")).collect();
    assert!(!march.is_empty() && march.iter().all(|d| d.code == "W-PIECE-PLACE" && d.message.contains("改名为“稿件/年-03”")), "{march:#?}");
    // status for December counts the piece that was read.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_jianbao"))
        .args(["status", "--period", "2018-12", "--data"])
        .arg(&opts.data)
        .arg("--out")
        .arg(&opts.out)
        .output()
        .unwrap();
    let status = String::from_utf8_lossy(&out.stdout);
    assert!(status.contains("12月稿件：共1篇"), "{status}");
}
