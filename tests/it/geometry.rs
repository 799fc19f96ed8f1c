//! GB/T 9704 geometry measured on laid-out pages: margins, the 22-line × 28-character grid,
//! and page numbers, from the positions of text in typst's frames.

use crate::common;

use common::repo;
use jianbao::render::{Engine, Prepared};
use typst::layout::{Abs, Frame, FrameItem, Point};

const MM: f64 = 72.0 / 25.4;

/// A text run on a page: baseline start (pt), width (pt), size (pt), text.
#[derive(Debug)]
struct Run {
    x: f64,
    y: f64,
    width: f64,
    size: f64,
    text: String,
}

fn runs(frame: &Frame, at: Point, out: &mut Vec<Run>) {
    for (pos, item) in frame.items() {
        let p = at + *pos;
        match item {
            FrameItem::Group(g) => runs(&g.frame, p + Point::new(g.transform.tx, g.transform.ty), out),
            FrameItem::Text(t) => out.push(Run { x: p.x.to_pt(), y: p.y.to_pt(), width: t.width().to_pt(), size: t.size.to_pt(), text: t.text.to_string() }),
            _ => {}
        }
    }
}

fn layout(body: &str) -> Vec<Vec<Run>> {
    let engine = Engine::built_in().unwrap();
    let src = format!("#import \"gongwen.typ\": *\n#show: setup\n{body}\n");
    let probe = Prepared::new("geometry", "probe.typ", &["gongwen.typ"], vec![("/probe.typ".into(), src.into_bytes())], (2018, 3, 31));
    let doc = engine.typeset(&probe).unwrap();
    doc.pages()
        .iter()
        .map(|p| {
            let mut v = Vec::new();
            runs(&p.frame, Point::zero(), &mut v);
            v
        })
        .collect()
}

/// Body lines of a page (16 pt runs), as (baseline, runs) in order.
fn lines(page: &[Run]) -> Vec<(f64, Vec<&Run>)> {
    let mut out: Vec<(f64, Vec<&Run>)> = Vec::new();
    for r in page.iter().filter(|r| (r.size - 16.0).abs() < 0.01) {
        match out.iter_mut().find(|(y, _)| (y - r.y).abs() < 0.01) {
            Some((_, v)) => v.push(r),
            None => out.push((r.y, vec![r])),
        }
    }
    out.sort_by(|a, b| a.0.total_cmp(&b.0));
    out
}

#[test]
fn a_full_page_holds_22_lines_of_28_characters_inside_the_type_area() {
    let text = "全县脱贫攻坚工作有序推进".repeat(130);
    let pages = layout(&format!("{text}\n\n{text}"));
    assert!(pages.len() >= 3);
    let page = &pages[1];
    let body = lines(page);
    assert_eq!(body.len(), 22, "lines on a full page");
    for (y, line) in &body {
        let chars: usize = line.iter().map(|r| r.text.chars().count()).sum();
        assert_eq!(chars, 28, "characters on the line at {y:.1} pt");
    }
    let left = page.iter().map(|r| r.x).fold(f64::MAX, f64::min);
    let right = page.iter().filter(|r| r.size == 16.0).map(|r| r.x + r.width).fold(0.0, f64::max);
    assert!((left - 28.0 * MM).abs() < 0.5 * MM, "left margin {:.2} mm", left / MM);
    assert!((right - (210.0 - 26.0) * MM).abs() < 0.5 * MM, "right edge {:.2} mm", right / MM);
    // Line boxes are 1 em: top edge 0.88 em above the baseline, bottom 0.12 em below.
    let top = body[0].0 - 0.88 * 16.0;
    let bottom = body[21].0 + 0.12 * 16.0;
    assert!((top - 37.0 * MM).abs() < 0.5 * MM, "top margin {:.2} mm", top / MM);
    assert!(bottom <= (297.0 - 35.0) * MM + 0.01, "bottom of type area {:.2} mm", bottom / MM);
    let pitch = (body[21].0 - body[0].0) / 21.0;
    assert!((pitch - 225.0 * MM / 22.0).abs() < 0.01, "line pitch {pitch:.3} pt");
}

#[test]
fn punctuation_does_not_hang_into_the_margin() {
    // Lines that end in full stops, commas, closing quotes and dashes, in every position.
    let text = ["扶贫，脱贫。", "“精准”——", "（一）《计划》、"].map(|s| s.repeat(60)).join("");
    let pages = layout(&text);
    let widest = pages.iter().flatten().filter(|r| r.size == 16.0).map(|r| r.x + r.width).fold(0.0, f64::max);
    eprintln!("widest line ends at {:.3} mm", widest / MM);
    for page in &pages {
        for r in page.iter().filter(|r| r.size == 16.0) {
            assert!(r.x + r.width <= (210.0 - 26.0) * MM + 0.01, "{:?} ends at {:.2} mm", r.text, (r.x + r.width) / MM);
        }
    }
}

#[test]
fn page_numbers_alternate_sides_below_the_type_area() {
    let pages = layout(&"全县脱贫攻坚工作有序推进".repeat(130));
    for (i, page) in pages.iter().enumerate() {
        let n = i + 1;
        let num = page.iter().find(|r| r.size == 14.0 && r.text.contains(&n.to_string())).expect("page number");
        let all: Vec<&Run> = page.iter().filter(|r| r.size == 14.0 && (r.y - num.y).abs() < 0.01).collect();
        let start = all.iter().map(|r| r.x).fold(f64::MAX, f64::min);
        let end = all.iter().map(|r| r.x + r.width).fold(0.0, f64::max);
        let text: String = all.iter().map(|r| r.text.as_str()).collect();
        assert_eq!(text.replace(' ', ""), format!("—{n}—"));
        let inset = 156.0 * MM / 28.0;
        if n % 2 == 1 {
            assert!((end - ((210.0 - 26.0) * MM - inset)).abs() < 0.5 * MM, "odd page {n} right edge {:.2} mm", end / MM);
        } else {
            assert!((start - (28.0 * MM + inset)).abs() < 0.5 * MM, "even page {n} left edge {:.2} mm", start / MM);
        }
        // Below the type area: the number's top (cap height ≈ 0.7 em) is about 7 mm under it.
        let gap = (num.y - 0.7 * 14.0) - (297.0 - 35.0) * MM;
        assert!((gap - 7.0 * MM).abs() < 2.0 * MM, "page {n}: number {:.2} mm below the type area", gap / MM);
    }
}

/// Laid-out pages of the 2018-03 bulletin, from its kept sources.
fn bulletin_pages() -> Vec<typst_layout::Page> {
    let out = tempfile::tempdir().unwrap();
    let opts = jianbao::Options { out: out.path().to_path_buf(), period: "2018-03".parse().ok(), keep_typst: true, ..jianbao::Options::in_dir(&repo()) };
    jianbao::build(&opts).unwrap();
    let src = out.path().join("2018-03/工作简报-2018年3月.typst");
    let engine = Engine::with_template_dir(Some(&src)).unwrap();
    let data = vec![("/data.json".to_string(), std::fs::read(src.join("data.json")).unwrap())];
    let kept = Prepared::new("bulletin", "bulletin.typ", &["gongwen.typ", "bulletin.typ", "narrative.typ"], data, (2018, 3, 31));
    engine.typeset(&kept).unwrap().pages().to_vec()
}

/// Horizontal rules of a frame: (y, length, thickness, paint).
fn rules(frame: &Frame, at: Point, out: &mut Vec<(f64, f64, f64, String)>) {
    for (pos, item) in frame.items() {
        let p = at + *pos;
        match item {
            FrameItem::Group(g) => rules(&g.frame, p + Point::new(g.transform.tx, g.transform.ty), out),
            FrameItem::Shape(shape, _) => {
                if let (typst::visualize::Geometry::Line(to), Some(stroke)) = (&shape.geometry, &shape.stroke) {
                    if to.y == Abs::zero() {
                        out.push((p.y.to_pt(), to.x.to_pt(), stroke.thickness.to_pt(), format!("{:?}", stroke.paint)));
                    }
                }
            }
            _ => {}
        }
    }
}

#[test]
fn masthead_title_and_end_matter_follow_the_standard() {
    let pages = bulletin_pages();
    let mut first = Vec::new();
    runs(&pages[0].frame, Point::zero(), &mut first);
    let title = first.iter().find(|r| r.text.contains("全县2018年3月")).expect("title");
    assert_eq!(title.size, 22.0, "title in 二号");
    let centre = title.x + title.width / 2.0;
    assert!((centre - (28.0 + 156.0 / 2.0) * MM).abs() < 0.5 * MM, "title centred: {:.2} mm", centre / MM);
    let masthead = first.iter().find(|r| r.text.contains("工作简报")).expect("masthead");
    let mut first_rules = Vec::new();
    rules(&pages[0].frame, Point::zero(), &mut first_rules);
    let red_rule = first_rules.iter().find(|r| r.0 > masthead.y).expect("red rule under the masthead");
    assert!(red_rule.3.contains("Cmyk") && red_rule.3.contains("0.8"), "red rule paint {}", red_rule.3);
    assert!((red_rule.1 - 156.0 * MM).abs() < 0.5 * MM, "red rule spans the type area");

    let last = pages.last().unwrap();
    let mut end = Vec::new();
    rules(&last.frame, Point::zero(), &mut end);
    end.sort_by(|a, b| a.0.total_cmp(&b.0));
    let end: Vec<_> = end.iter().filter(|r| (r.1 - 156.0 * MM).abs() < 0.5 * MM).collect();
    // data/config.yaml has three distribution lines (报、送、发) and the office line below them:
    // a 0.35 mm rule above, 0.25 mm rules between, a 0.35 mm rule at the bottom.
    let thick: Vec<f64> = end.iter().map(|r| (r.2 / MM * 100.0).round() / 100.0).collect();
    assert!(thick.ends_with(&[0.35, 0.25, 0.25, 0.25, 0.35]), "{thick:?}");
    let bottom = end[end.len() - 1];
    assert!((bottom.0 - (297.0 - 35.0) * MM).abs() < 1.0 * MM, "last line on the bottom edge: {:.2} mm", bottom.0 / MM);
}

#[test]
fn a_masthead_of_8_11_or_14_characters_stands_on_one_line_inside_the_type_area() {
    for name in ["脱贫攻坚工作简报", "巩固脱贫攻坚成果工作简报", "巩固拓展脱贫攻坚成果工作简报"] {
        let body = format!("#masthead(title: \"{name}\", issue: \"第1期\", office: \"某县办公室\", date: \"2021年3月31日\")");
        let pages = layout(&body);
        let big: Vec<&Run> = pages[0].iter().filter(|r| r.size > 22.0).collect();
        let text: String = big.iter().map(|r| r.text.as_str()).collect();
        assert_eq!(text, name, "the whole name in the masthead's size");
        assert!(big.iter().all(|r| (r.y - big[0].y).abs() < 0.01), "{name}: one line, baselines {:?}", big.iter().map(|r| r.y).collect::<Vec<_>>());
        let left = big.iter().map(|r| r.x).fold(f64::MAX, f64::min);
        let right = big.iter().map(|r| r.x + r.width).fold(f64::MIN, f64::max);
        assert!(left >= 28.0 * MM - 0.01 && right <= (28.0 + 156.0) * MM + 0.01, "{name}: {:.1}–{:.1} mm", left / MM, right / MM);
        let size = big[0].size;
        // 42 pt while it fits (8 characters do); smaller, never below 三号 (16 pt), when longer.
        let chars = name.chars().count();
        assert!(if chars <= 8 { size == 42.0 } else { (16.0..42.0).contains(&size) }, "{name}: {size} pt");
    }
}
