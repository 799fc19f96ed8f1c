use std::sync::Arc;

use super::*;
use crate::setup::inputs::Shared;

fn plan() -> Plan {
    Plan::parse(include_str!("../../../data/plan.yaml")).unwrap()
}

fn file(rel: &str, bytes: &[u8]) -> File {
    File { rel: rel.into(), path: rel.into(), bytes: Shared::Read(Arc::new(bytes.to_vec())), sha256: crate::setup::inputs::sha256(bytes), stamp: None }
}

fn one(rel: &str, text: &[u8]) -> (Option<Piece>, Vec<Diagnostic>) {
    let (mut pieces, diags) = read(&[file(rel, text)], &plan(), &[]);
    (pieces.pop(), diags)
}

#[test]
fn the_folder_places_orders_and_marks_a_piece() {
    let p = place("稿件/2018-03/02-南村乡-推进会.txt").unwrap_or_else(|_| panic!());
    assert_eq!((p.period, p.kind, p.number, p.rest.as_str()), (Period::new(2018, 3).unwrap(), Kind::News, Some(2), "南村乡-推进会"));
    let p = place("稿件/2018-03/经验做法/１２、段村乡花椒.docx").unwrap_or_else(|_| panic!());
    assert_eq!((p.kind, p.number, p.rest.as_str()), (Kind::Practice, Some(12), "段村乡花椒"));
    let p = place("稿件/2018-03/不采用经验做法-x.md").unwrap_or_else(|_| panic!());
    assert_eq!(p.kind, Kind::LeftOut);
    let p = place("稿件/2018-03/经验做法/不采用-x.md").unwrap_or_else(|_| panic!());
    assert_eq!(p.kind, Kind::LeftOut, "不采用 wins over 经验做法");
    // A month folder is spelled as a month is anywhere (period::parse_month).
    assert_eq!(place("稿件/2018年3月/x.txt").map(|p| p.period).ok(), Period::new(2018, 3));
    for bad in ["稿件/x.txt", "稿件/三月/x.txt", "稿件/2018-03/其他/x.txt", "稿件/2018-13/x.txt"] {
        assert_eq!(place(bad).err().map(|d| d.code), Some("W-PIECE-PLACE".into()), "{bad}");
    }
    assert_eq!(month_of("稿件/2019-01/不采用/x.docx"), Period::new(2019, 1));
    assert_eq!(month_of("submissions/2019-01/x.docx"), None);
}

#[test]
fn title_source_line_and_body() {
    let text = "　　南村乡召开脱贫攻坚推进会\r\n\r\n　　3月5日，南村乡召开推进会。\n（来源：南村乡人民政府）\n会议要求……\n";
    let (p, diags) = one("稿件/2018-03/a.txt", text.as_bytes());
    let p = p.unwrap();
    assert_eq!(p.title, "南村乡召开脱贫攻坚推进会");
    assert_eq!(p.paragraphs().collect::<Vec<_>>(), ["3月5日，南村乡召开推进会。", "会议要求……"]);
    assert_eq!(p.source.as_deref(), Some("南村乡人民政府"));
    assert_eq!(p.township.as_deref(), Some("南村乡"));
    assert!(diags.is_empty(), "{diags:?}");
}

#[test]
fn the_source_from_the_file_name() {
    assert_eq!(source_in_name("南村-推进会", &plan()).as_deref(), Some("南村"));
    assert_eq!(township_of("南村", &plan()).as_deref(), Some("南村乡"));
    assert_eq!(source_in_name("段村乡花椒产业带动增收", &plan()).as_deref(), Some("段村乡"));
    assert_eq!(source_in_name("花椒产业带动增收", &plan()), None);
    assert_eq!(township_of("县扶贫办", &plan()), None);
    let (p, diags) = one("稿件/2018-03/无来源.txt", "标题\n正文".as_bytes());
    assert_eq!(p.unwrap().source, None);
    assert_eq!(diags.iter().map(|d| d.code.as_str()).collect::<Vec<_>>(), ["W-PIECE-SOURCE"]);
}

#[test]
fn text_in_gbk_or_utf16_reads_like_utf8() {
    let text = "段村乡花椒产业带动贫困户增收\n来源：段村乡\n正文“引号”。";
    let (gbk, _, _) = encoding_rs::GBK.encode(text);
    let mut utf16 = vec![0xFF, 0xFE];
    utf16.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    let utf8 = one("稿件/2018-03/a.txt", text.as_bytes()).0.unwrap();
    for bytes in [gbk.to_vec(), utf16] {
        let p = one("稿件/2018-03/a.txt", &bytes).0.unwrap();
        assert_eq!((&p.title, &p.source, &p.body), (&utf8.title, &utf8.source, &utf8.body));
    }
    let (p, diags) = one("稿件/2018-03/a.txt", &[0xFF, 0x80, 0x80, 0x30]);
    assert!(p.is_none());
    assert_eq!(diags[0].code, "E-PIECE-ENCODING");
}

#[test]
fn markdown_paragraphs_and_headings() {
    let md = "# 标题 #\n\n第一段\n接续\n\n## 小标题\nEnglish\nwords *literal*\n";
    assert_eq!(markdown(md), ["标题", "第一段接续", "小标题", "English words *literal*"]);
}

#[test]
fn broken_files_are_errors_naming_what_they_are_long_ones_warnings() {
    // A compound file cut short: no Word document, and the message says what it is, in Chinese.
    let (p, diags) = one("稿件/2018-03/a.doc", b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1");
    assert!(p.is_none());
    assert_eq!(diags[0].code, "E-PIECE-READ");
    assert!(diags[0].message.contains("不完整或已损坏"), "{}", diags[0].message);
    let (p, diags) = one("稿件/2018-03/a.pdf", b"%PDF-1.7");
    assert!(p.is_none());
    assert_eq!(diags[0].code, "E-PIECE-FORMAT");
    let (p, diags) = one("稿件/2018-03/a.docx", b"PK\x03\x04 not a zip");
    assert!(p.is_none());
    assert_eq!(diags[0].code, "E-PIECE-READ");
    let long = format!("标题\n来源：南村乡\n{}", "字".repeat(LONG + 1));
    let (p, diags) = one("稿件/2018-03/a.txt", long.as_bytes());
    assert_eq!(p.unwrap().chars(), LONG + 1, "never cut");
    assert_eq!(diags.iter().map(|d| d.code.as_str()).collect::<Vec<_>>(), ["W-PIECE-LONG"]);
}

#[test]
fn a_month_sets_news_then_practice_in_number_then_name_order() {
    let files: Vec<File> = ["b.txt", "经验做法/01-x.txt", "10-c.txt", "2-d.txt", "不采用/1-e.txt", "a.txt"]
        .iter()
        .map(|n| file(&format!("稿件/2018-03/{n}"), "标题\n来源：南村乡\n正文".as_bytes()))
        .chain([file("稿件/2018-04/a.txt", "标题\n正文".as_bytes())])
        .collect();
    let (pieces, _) = read(&files, &plan(), &[]);
    let order: Vec<&str> = of_month(&pieces, Period::new(2018, 3).unwrap()).iter().map(|p| file_name(&p.file)).collect();
    assert_eq!(order, ["2-d.txt", "10-c.txt", "a.txt", "b.txt", "01-x.txt"]);
}
