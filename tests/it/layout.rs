//! Page by page, what a secretary checks before 签发, measured on typst's laid-out frames of
//! every document: every glyph inside the type area (only page numbers below it), no page
//! ending on a heading or caption, no page more than a third empty but before the 版记 or at
//! the end, and the 版记 on an even page (封四), unnumbered when it stands alone.

use crate::common;

use common::repo;
use typst::layout::{Frame, FrameItem, Point};

const MM: f64 = 72.0 / 25.4;
const LEFT: f64 = 28.0 * MM;
const RIGHT: f64 = (210.0 - 26.0) * MM;
const TOP: f64 = 37.0 * MM;
const BOTTOM: f64 = (297.0 - 35.0) * MM;
/// GB/T 9704 sets 28 characters of 16 pt in 156 mm: each in a 15.79 pt cell, so a 16 pt
/// glyph's box overlaps its cell by 0.21 pt (0.07 mm); its ink stays inside. Nothing more.
const SLACK: f64 = 0.25;

/// A text run: its box (left, right, top, baseline, bottom) in pt, size, font family, text.
#[derive(Debug, Clone)]
pub struct Run {
    pub left: f64,
    pub right: f64,
    pub top: f64,
    pub baseline: f64,
    pub bottom: f64,
    pub size: f64,
    pub family: String,
    pub text: String,
}

/// Text runs of a frame, with each run's horizontal extent taken glyph by glyph as the PDF
/// describes the glyphs: from where each is drawn to there plus its full advance in the font
/// (not the advance it was compressed to), as `pdftotext -bbox` and PDF readers report them.
fn runs(frame: &Frame, at: Point, out: &mut Vec<Run>) {
    for (pos, item) in frame.items() {
        let p = at + *pos;
        match item {
            FrameItem::Group(g) => runs(&g.frame, p + Point::new(g.transform.tx, g.transform.ty), out),
            FrameItem::Text(t) => {
                let size = t.size.to_pt();
                let metrics = t.font.metrics();
                let (mut x, mut left, mut right) = (p.x.to_pt(), f64::MAX, f64::MIN);
                for g in t.glyphs.iter() {
                    let start = x + g.x_offset.at(t.size).to_pt();
                    let full = t.font.x_advance(g.id).map_or(0.0, |a| a.at(t.size).to_pt());
                    left = left.min(start);
                    right = right.max(start + full);
                    x += g.x_advance.at(t.size).to_pt();
                }
                out.push(Run {
                    left,
                    right,
                    top: p.y.to_pt() - metrics.ascender.get() * size,
                    baseline: p.y.to_pt(),
                    bottom: p.y.to_pt() - metrics.descender.get() * size,
                    size,
                    family: t.font.info().family.clone(),
                    text: t.text.to_string(),
                })
            }
            _ => {}
        }
    }
}

/// Every document a build with these options makes, laid out: (id, pages of runs).
fn laid_out(opts: &jianbao::Options, label: &str) -> Vec<(String, Vec<Vec<Run>>)> {
    let inputs = jianbao::inputs::Inputs::read(&opts.data, &opts.out, None, None).unwrap();
    let jianbao::Planned { engine, made, .. } = jianbao::plan_documents(opts, &inputs).unwrap();
    made.documents
        .iter()
        .filter_map(|d| Some((d, d.prepared.as_ref()?)))
        .map(|(d, prepared)| {
            let paged = engine.typeset(prepared).unwrap();
            let pages = paged
                .pages()
                .iter()
                .map(|p| {
                    let mut v = Vec::new();
                    runs(&p.frame, Point::zero(), &mut v);
                    v
                })
                .collect();
            (format!("{label}{}", d.id), pages)
        })
        .collect()
}

/// Every document of the sample build, official and draft, and a correction of a published
/// bulletin (its preview, typeset as the archive typesets it).
fn sample_documents() -> Vec<(String, Vec<Vec<Run>>)> {
    let out = tempfile::tempdir().unwrap();
    let official = jianbao::Options { out: out.path().to_path_buf(), ..jianbao::Options::in_dir(&repo()) };
    let mut all = laid_out(&official, "");
    all.extend(laid_out(&jianbao::Options { draft: true, period: "2019-03".parse().ok(), ..official }, "草稿 "));
    let (_dir, opts) = common::copy_project();
    let req = |correction| jianbao::archive::Request {
        skip_earlier: true,
        target: jianbao::archive::Target::month("2018-03".parse().unwrap()),
        date: Some("2018-04-05".parse().unwrap()),
        correction,
    };
    jianbao::archive::publish(&opts, &req(false)).unwrap();
    let plan = jianbao::plan::Plan::load(&opts.data.join("plan.yaml")).unwrap();
    let mut county = jianbao::sample::county(&plan, 2018);
    county[0].villages[0].population += 3;
    let p = "2018-03".parse().unwrap();
    std::fs::write(opts.data.join(jianbao::sample::file_name(&county[0].name, p)), jianbao::sample::workbook(&plan, &county[0], p)).unwrap();
    let correction = laid_out(&jianbao::Options { period: Some(p), ..opts }, "更正 ");
    assert!(correction.iter().any(|(id, pages)| id.contains("工作简报") && pages[0].iter().any(|r| r.text.contains("本期更正第1期"))));
    all.extend(correction);
    all
}

/// The 草稿 watermark of a draft: drawn across the page, not part of the text.
fn is_watermark(r: &Run) -> bool {
    r.size > 100.0
}

/// The page number runs: 14 pt, below the type area.
fn is_page_number(r: &Run) -> bool {
    r.size == 14.0 && r.top > BOTTOM
}

type Laid = Vec<(String, Vec<Vec<Run>>)>;

fn every_glyph_inside_the_type_area(docs: &Laid) {
    for (id, pages) in docs {
        for (i, page) in pages.iter().enumerate() {
            for r in page.iter().filter(|r| !is_page_number(r) && !is_watermark(r)) {
                let at = format!("{id} p.{}: {:?}", i + 1, r.text);
                assert!(r.left >= LEFT - SLACK, "{at} starts {:.2} mm left of the type area", (LEFT - r.left) / MM);
                assert!(r.right <= RIGHT + SLACK, "{at} ends {:.2} mm right of the type area", (r.right - RIGHT) / MM);
                assert!(r.top >= TOP - 0.5, "{at} rises {:.2} mm above the type area", (TOP - r.top) / MM);
                assert!(r.bottom <= BOTTOM + 0.5, "{at} falls {:.2} mm below the type area", (r.bottom - BOTTOM) / MM);
            }
        }
    }
}

/// A heading (`一、…`, `（一）…`) or a table/figure caption (`表1　…`, `图1　…`).
fn is_heading_or_caption(r: &Run) -> bool {
    let t = r.text.trim_start();
    let numeral = |s: &str| s.chars().take_while(|c| "一二三四五六七八九十".contains(*c)).count();
    let heading = numeral(t) > 0 && t[t.char_indices().nth(numeral(t)).map_or(t.len(), |(i, _)| i)..].starts_with('、');
    let sub = t.starts_with('（') && numeral(&t['（'.len_utf8()..]) > 0;
    let caption = (t.starts_with('表') || t.starts_with('图')) && t.chars().nth(1).is_some_and(|c| c.is_ascii_digit());
    // Headings are set in 黑体 (一、) and 楷体 (（一）), captions in 黑体; a paragraph that
    // starts with （一） is a list item in 仿宋.
    let heading_font = r.family.contains("Hei") || r.family.contains("Kai");
    r.size >= 14.0 && heading_font && (heading || sub || caption)
}

/// The 版记: the end-matter lines (报：, 送：, 发：, the office, 共印N份), 14 pt 仿宋 (captions
/// are 14 pt 黑体, page numbers 14 pt 宋体 under the type area).
fn is_end_matter(r: &Run) -> bool {
    r.size == 14.0 && !is_page_number(r) && r.family.contains("Fang")
}

fn no_page_ends_on_a_heading_or_caption_or_a_third_empty(docs: &Laid) {
    for (id, pages) in docs {
        let end_matter = pages.iter().position(|p| p.iter().any(is_end_matter));
        for (i, page) in pages.iter().enumerate() {
            let body: Vec<&Run> = page.iter().filter(|r| !is_page_number(r) && !is_end_matter(r) && !is_watermark(r)).collect();
            let Some(last) = body.iter().max_by(|a, b| a.baseline.total_cmp(&b.baseline)) else { continue };
            assert!(!is_heading_or_caption(last), "{id} p.{} ends on {:?}", i + 1, last.text);
            let before_end = end_matter.is_some_and(|e| i + 1 >= e) || i + 1 == pages.len();
            let empty = (BOTTOM - last.bottom) / (BOTTOM - TOP);
            assert!(before_end || empty <= 1.0 / 3.0, "{id} p.{} is {:.0} % empty", i + 1, empty * 100.0);
        }
    }
}

fn end_matter_on_an_even_page_unnumbered_when_alone(docs: &Laid) {
    for (id, pages) in docs {
        // Neither the check report nor the county's 公示 (posted, not sent) has a 版记.
        if id.ends_with("数据校验报告") || id.contains("资金分配使用情况公示") {
            continue;
        }
        let at = pages.iter().position(|p| p.iter().any(is_end_matter)).unwrap_or_else(|| panic!("{id}: no 版记"));
        assert_eq!(at + 1, pages.len(), "{id}: the 版记 is on the last page");
        assert!(pages.len() % 2 == 0, "{id}: the 版记 is on page {}, an odd page", pages.len());
        let alone = !pages[at].iter().any(|r| !is_page_number(r) && !is_end_matter(r) && !is_watermark(r));
        let numbered = |p: &Vec<Run>| p.iter().any(is_page_number);
        if alone {
            assert!(!numbered(&pages[at]), "{id}: a 版记 page of its own carries no page number");
            for blank in (0..at).rev().take_while(|&k| pages[k].iter().all(|r| is_page_number(r) || is_watermark(r))) {
                assert!(!numbered(&pages[blank]), "{id}: the blank page {} before the 版记 carries no number", blank + 1);
            }
        } else {
            assert!(numbered(&pages[at]), "{id}: a 版记 below the text keeps its page number");
        }
        for (k, p) in pages.iter().enumerate().take(at) {
            if p.iter().any(|r| !is_page_number(r) && !is_watermark(r)) {
                assert!(numbered(p), "{id}: page {} has text and a number", k + 1);
            }
        }
    }
}

/// The pieces (稿件) set after the tables stand on the page's line grid: every 16 pt line from
/// 工作动态 on has its baseline a whole number of line pitches below the first line of a full
/// page of text.
fn pieces_on_the_grid(docs: &Laid) {
    let pitch = 225.0 * MM / 22.0;
    let mut seen = 0;
    for (id, pages) in docs.iter().filter(|(id, _)| id.contains("工作简报")) {
        let Some(start) = pages.iter().position(|p| p.iter().any(|r| r.text.contains("工作动态"))) else { continue };
        // The first line of a full page: its text box (top edge 0.88 em above the baseline)
        // starts at the top of the type area.
        let grid = 0.88 * 16.0;
        let from = pages[start].iter().find(|r| r.text.contains("工作动态")).unwrap().baseline;
        for (i, page) in pages.iter().enumerate().skip(start) {
            for r in page.iter().filter(|r| r.size == 16.0 && !is_page_number(r) && (i > start || r.baseline >= from)) {
                let off = (r.baseline - TOP).rem_euclid(pitch);
                assert!((off - grid).abs() < 0.05, "{id} p.{}: “{}” is {:.2} pt off the grid", i + 1, r.text, off - grid);
                seen += 1;
            }
        }
    }
    assert!(seen > 20, "the sample sets pieces: {seen} lines");
}

/// A village's 项目公示 or 项目公告: posted on a 公开栏, not a 公文 (its own A4 margins of 28 mm
/// top and bottom, 25 mm left and right).
fn is_posted_notice(id: &str) -> bool {
    id.contains("-项目公示-") || id.contains("-项目公告-")
}

/// Every glyph of a posted notice inside its margins, and its body in 四号 (14 pt) or larger,
/// to be read standing.
fn posted_notices_inside_their_margins_in_large_type(docs: &Laid) {
    let mut seen = 0;
    for (id, pages) in docs.iter().filter(|(id, _)| is_posted_notice(id)) {
        seen += 1;
        for (i, page) in pages.iter().enumerate() {
            for r in page.iter().filter(|r| !is_watermark(r) && !r.text.starts_with('第')) {
                let at = format!("{id} p.{}: {:?}", i + 1, r.text);
                assert!(r.left >= 25.0 * MM - SLACK && r.right <= (210.0 - 25.0) * MM + SLACK, "{at} outside the margins");
                assert!(r.top >= 28.0 * MM - 0.5 && r.bottom <= (297.0 - 28.0) * MM + 0.5, "{at} outside the margins");
                assert!(r.size >= 14.0, "{at} set in {} pt", r.size);
            }
        }
    }
    assert!(seen >= 20, "the sample posts notices: {seen}");
}

#[test]
fn every_page_of_the_sample_documents_follows_the_rules() {
    let all = sample_documents();
    posted_notices_inside_their_margins_in_large_type(&all);
    let docs: Laid = all.into_iter().filter(|(id, _)| !is_posted_notice(id)).collect();
    every_glyph_inside_the_type_area(&docs);
    no_page_ends_on_a_heading_or_caption_or_a_third_empty(&docs);
    end_matter_on_an_even_page_unnumbered_when_alone(&docs);
    pieces_on_the_grid(&docs);
}

#[test]
fn every_page_of_a_county_scale_build_follows_the_rules() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    jianbao::sample::write_county_scale(&repo().join("data"), &data).unwrap();
    let opts = jianbao::Options { data, out: dir.path().join("out"), ..jianbao::Options::in_dir(&repo()) };
    let docs = laid_out(&opts, "全县 ");
    assert!(docs.len() > 40);
    every_glyph_inside_the_type_area(&docs);
    no_page_ends_on_a_heading_or_caption_or_a_third_empty(&docs);
    end_matter_on_an_even_page_unnumbered_when_alone(&docs);
}

/// A piece's photo that does not fit where it stands floats to the top of the next page while
/// the text goes on filling this one: no gap of a third of a page before a photo.
#[test]
fn a_photo_that_does_not_fit_floats_and_the_text_fills_the_page_before_it() {
    let (_dir, opts) = common::copy_project();
    let piece = "03-南村乡-开展贫困劳动力技能培训.docx";
    std::fs::copy(repo().join("tests/fixtures/pieces").join(piece), opts.data.join("稿件/2019-03").join(piece)).unwrap();
    let docs = laid_out(&jianbao::Options { period: "2019-03".parse().ok(), ..opts }, "");
    let (id, pages) = docs.iter().find(|(id, _)| id.contains("工作简报")).unwrap();
    let at = pages.iter().position(|p| p.iter().any(|r| r.text.contains("图为"))).expect("the photo's caption");
    let before = &pages[at - 1];
    let last = before.iter().filter(|r| !is_page_number(r) && !is_watermark(r)).max_by(|a, b| a.baseline.total_cmp(&b.baseline)).unwrap();
    let empty = (BOTTOM - last.bottom) / (BOTTOM - TOP);
    assert!(empty < 0.1, "{id} p.{} before the photo is {:.0} % empty", at, empty * 100.0);
    no_page_ends_on_a_heading_or_caption_or_a_third_empty(&docs);
}
