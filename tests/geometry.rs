//! GB/T 9704 geometry measured on laid-out pages: margins, the 22-line × 28-character grid,
//! and page numbers, from the positions of text in typst's frames.

mod common;

use common::repo;
use jianbao::render::Engine;
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
            FrameItem::Text(t) => out.push(Run {
                x: p.x.to_pt(),
                y: p.y.to_pt(),
                width: t.width().to_pt(),
                size: t.size.to_pt(),
                text: t.text.to_string(),
            }),
            _ => {}
        }
    }
}

fn layout(body: &str) -> Vec<Vec<Run>> {
    let engine = Engine::new(&repo().join("fonts"), &repo().join("templates")).unwrap();
    let src = format!("#import \"gongwen.typ\": *\n#show: setup\n{body}\n");
    let doc = engine.typeset("geometry", "probe.typ", &[("/probe.typ".into(), src.into_bytes())], (2018, 3, 31)).unwrap();
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
