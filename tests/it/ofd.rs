//! The OFD beside every PDF, read back by an independent reader (`ofd-core`): every package
//! the sample build writes is structurally sound, every page renders, each rendering agrees
//! with typst's own rendering of the same page, and each page's text is the PDF page's text.

use crate::common;

use std::path::Path;

use jianbao::config::Format;
use ofd_core::{OfdReader, PageBlock, RenderOptions};

/// Dots per inch both renderers draw at.
const DPI: f64 = 96.0;
/// A pixel agrees when no channel differs by more than this (anti-aliasing differs).
const CHANNEL: u8 = 48;
/// Of the pixels either renderer inks (not white), at least this share must agree.
const INK_AGREEMENT: f64 = 0.995;

fn texts(blocks: &[PageBlock], out: &mut String) {
    for b in blocks {
        match b {
            PageBlock::Text(t) => t.text_codes.iter().filter_map(|c| c.text.as_deref()).for_each(|s| out.push_str(s)),
            PageBlock::Block(g) => texts(&g.objects, out),
            _ => {}
        }
    }
}

fn no_space(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Whether pixel `(x, y)` of `a` lies, in every channel, within the range the pixels of `b`
/// around it span (one pixel each way), give or take `CHANNEL`: the two rasterisers place
/// anti-aliased edges differently (typst draws rectangles without anti-aliasing).
fn near(a: &[u8], b: &[u8], w: usize, h: usize, x: usize, y: usize) -> bool {
    let p = &a[(y * w + x) * 4..][..3];
    (0..3).all(|c| {
        let around = (y.saturating_sub(1)..(y + 2).min(h)).flat_map(|yy| (x.saturating_sub(1)..(x + 2).min(w)).map(move |xx| b[(yy * w + xx) * 4 + c]));
        let (lo, hi) = around.fold((255u8, 0u8), |(lo, hi), v| (lo.min(v), hi.max(v)));
        p[c] >= lo.saturating_sub(CHANNEL) && p[c] <= hi.saturating_add(CHANNEL)
    })
}

/// (inked pixels, of them agreeing): a pixel inked (not white) in either rendering agrees
/// when each rendering has a matching pixel in the other within one pixel.
pub(crate) fn agreement(ofd: &[u8], typst: &[u8], w: usize, h: usize) -> (usize, usize) {
    let (mut ink, mut same) = (0, 0);
    for y in 0..h {
        for x in 0..w {
            let i = (y * w + x) * 4;
            if ofd[i..i + 3].iter().chain(&typst[i..i + 3]).all(|v| *v > 250) {
                continue;
            }
            ink += 1;
            same += usize::from(near(ofd, typst, w, h, x, y) && near(typst, ofd, w, h, x, y));
        }
    }
    (ink, same)
}

/// typst's rendering of a page (on white, as typst renders pages).
pub(crate) fn typst_pixels(page: &typst_layout::Page) -> tiny_skia::Pixmap {
    let opts = typst_render::RenderOptions { pixel_per_pt: typst::utils::Scalar::new(DPI / 72.0), render_bleed: false };
    typst_render::render(page, &opts)
}

fn check_page(
    reader: &mut OfdReader<std::fs::File>,
    doc: &ofd_core::LoadedDocument,
    i: usize,
    page: &typst_layout::Page,
    pdf: &lopdf::Document,
    name: &str,
) -> f64 {
    let pixmap = reader
        .render_page(doc, i, &RenderOptions::with_dpi(DPI).background(Some([255, 255, 255, 255])))
        .unwrap_or_else(|e| panic!("{name} 第{}页无法渲染：{e}", i + 1));
    let theirs = typst_pixels(page);
    let (w, h) = (theirs.width(), theirs.height());
    assert_eq!((pixmap.width(), pixmap.height()), (w, h), "{name} 第{}页的大小", i + 1);
    let (ink, same) = agreement(pixmap.data(), theirs.data(), w as usize, h as usize);
    // A blank page (the one before a 版记 on an even page) is blank in both.
    let share = if ink == 0 { 1.0 } else { same as f64 / ink as f64 };
    if share < INK_AGREEMENT {
        let dir = std::env::temp_dir().join("jianbao-ofd");
        std::fs::create_dir_all(&dir).unwrap();
        let stem = format!("{}-{}", name.replace('/', "_"), i + 1);
        pixmap.save_png(dir.join(format!("{stem}-ofd.png"))).unwrap();
        theirs.save_png(dir.join(format!("{stem}-typst.png"))).unwrap();
        panic!("{name} 第{}页：OFD 与 typst 的渲染只有 {:.2}% 的着墨像素一致（两张 PNG 在 {}）", i + 1, share * 100.0, dir.display());
    }
    let page_obj = reader.load_page(doc, &doc.pages()[i]).unwrap();
    let mut text = String::new();
    for layer in page_obj.content.iter().flat_map(|c| &c.layers) {
        texts(&layer.objects, &mut text);
    }
    let pdf_text = pdf.extract_text(&[i as u32 + 1]).unwrap();
    assert_eq!(no_space(&text), no_space(&pdf_text), "{name} 第{}页：OFD 的文字与 PDF 的文字不同", i + 1);
    share
}

/// Title, author, subject, keywords and date as the PDF's Info dictionary has them.
fn same_metadata(info: &ofd_core::CtDocInfo, pdf: &lopdf::Document, id: &str) {
    let dict = pdf.trailer.get(b"Info").and_then(|i| pdf.dereference(i)).and_then(|(_, i)| i.as_dict()).unwrap();
    let field = |k: &[u8]| dict.get(k).ok().and_then(|v| lopdf::decode_text_string(v).ok()).unwrap_or_default();
    assert_eq!(info.title.as_deref().unwrap_or(""), field(b"Title"), "{id}.ofd 的标题");
    assert!(!field(b"Title").is_empty(), "{id} 没有标题");
    assert_eq!(info.author.as_deref().unwrap_or(""), field(b"Author"), "{id}.ofd 的作者");
    assert_eq!(info.subject.as_deref().unwrap_or(""), field(b"Subject"), "{id}.ofd 的主题");
    let keywords: Vec<String> = info.keywords.iter().flat_map(|k| k.keywords.iter().cloned()).collect();
    assert_eq!(keywords.join(", "), field(b"Keywords"), "{id}.ofd 的关键词");
    let date = field(b"CreationDate");
    let pdf_date = format!("{}-{}-{}", &date[2..6], &date[6..8], &date[8..10]);
    assert_eq!(info.creation_date.as_deref(), Some(pdf_date.as_str()), "{id}.ofd 的日期");
}

/// The outline as (level, title), depth first.
fn outline(elems: &[ofd_core::CtOutlineElem], level: usize) -> Vec<(usize, String)> {
    elems.iter().flat_map(|e| std::iter::once((level, e.title.clone())).chain(outline(&e.children, level + 1))).collect()
}

fn pdf_outline(pdf: &lopdf::Document) -> Vec<(usize, String)> {
    pdf.get_toc().map(|t| t.toc.into_iter().map(|e| (e.level, e.title)).collect()).unwrap_or_default()
}

fn check_document(out: &Path, id: &str, typeset: &typst_layout::PagedDocument) -> (usize, f64) {
    let path = out.join(format!("{id}.ofd"));
    let report = ofd_core::check_path(&path);
    assert!(report.conforms(), "{id}.ofd 的结构有误：{:?}", report.problems);
    let mut reader = OfdReader::open(&path).unwrap();
    let body = reader.ofd().doc_bodies[0].clone();
    let doc = reader.load_document(&body).unwrap();
    assert_eq!(doc.pages().len(), typeset.pages().len(), "{id}.ofd 的页数");
    let pdf = lopdf::Document::load(out.join(format!("{id}.pdf"))).unwrap();
    same_metadata(&body.doc_info, &pdf, id);
    assert_eq!(outline(doc.document.outlines.as_ref().map_or(&[][..], |o| &o.outline_elems), 1), pdf_outline(&pdf), "{id}.ofd 的大纲与 PDF 的书签不同");
    let mut worst: f64 = 1.0;
    for (i, page) in typeset.pages().iter().enumerate() {
        worst = worst.min(check_page(&mut reader, &doc, i, page, &pdf, id));
    }
    (typeset.pages().len(), worst)
}

#[test]
fn every_ofd_of_the_sample_reads_renders_and_matches_its_pdf() {
    let (_dir, mut opts) = common::copy_project();
    opts.formats = Some(vec![Format::Pdf, Format::Ofd]);
    let built = jianbao::build(&opts).unwrap();
    assert!(!built.has_errors());
    let inputs = jianbao::inputs::Inputs::read(&opts.data, &opts.out, None, None).unwrap();
    let planned = jianbao::plan_documents(&opts, &inputs).unwrap();
    let (mut pages, mut worst) = (0, 1.0_f64);
    let typeset_docs: Vec<_> = planned.made.documents.iter().filter_map(|d| Some((d, d.prepared.as_ref()?))).collect();
    for (d, prepared) in &typeset_docs {
        let typeset = planned.engine.typeset(prepared).unwrap();
        let (n, w) = check_document(&opts.out, &d.id, &typeset);
        pages += n;
        worst = worst.min(w);
    }
    assert!(typeset_docs.len() >= 20 && pages >= 60, "{} documents, {pages} pages", typeset_docs.len());
    println!("{} OFD, {pages} pages; worst ink agreement {:.2}%", typeset_docs.len(), worst * 100.0);
}

#[test]
fn publish_archives_the_ofd_beside_the_pdf_and_verify_checks_it() {
    use jianbao::archive::{self, Outcome, Request, Target};
    let (_dir, mut opts) = common::copy_project();
    opts.formats = Some(vec![Format::Pdf, Format::Ofd]);
    let req = Request { target: Target::month("2018-03".parse().unwrap()), date: Some("2018-04-05".parse().unwrap()), correction: false, skip_earlier: true };
    let Outcome::Published { entry, .. } = archive::publish(&opts, &req).unwrap().outcome else { panic!("not published") };
    let copy = entry.ofd.clone().expect("the entry records the OFD");
    assert_eq!(copy.file, entry.file.replace(".pdf", ".ofd"));
    let folder = archive::folder(&opts.out);
    let ofd = std::fs::read(folder.join(&copy.file)).unwrap();
    assert_eq!(copy.sha256, jianbao::inputs::sha256(&ofd));
    assert!(ofd_core::check_path(folder.join(&copy.file)).conforms());
    // The PDF/A carries the entry and the data files; the OFD-A carries none (see ofd_readers).
    let pdf_files = archive::attachments(&std::fs::read(folder.join(&entry.file)).unwrap()).unwrap();
    assert!(pdf_files.contains_key(archive::ENTRY) && pdf_files.contains_key("plan.yaml"));
    // The next entry links to this one, OFD and all.
    let second =
        Request { target: Target::month("2018-04".parse().unwrap()), date: Some("2018-05-05".parse().unwrap()), correction: false, skip_earlier: true };
    let Outcome::Published { entry: next, .. } = archive::publish(&opts, &second).unwrap().outcome else { panic!("not published") };
    assert_eq!(next.previous, Some(entry.link()));
    assert!(archive::verify(&opts.out).unwrap().is_clean());
    // An OFD changed after publishing is found.
    let mut changed = ofd.clone();
    let last = changed.len() - 30;
    changed[last] ^= 1;
    std::fs::write(folder.join(&copy.file), &changed).unwrap();
    assert_eq!(archive::verify(&opts.out).unwrap().altered, std::slice::from_ref(&copy.file));
    std::fs::remove_file(folder.join(&copy.file)).unwrap();
    assert_eq!(archive::verify(&opts.out).unwrap().missing, [copy.file]);
}

/// Every part of an OFD package by name, and the "version made by" system of each entry.
pub(crate) fn ofd_parts(path: &Path) -> (std::collections::BTreeMap<String, Vec<u8>>, Vec<u8>) {
    let bytes = std::fs::read(path).unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes.clone())).unwrap();
    let mut parts = std::collections::BTreeMap::new();
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).unwrap();
        let mut b = Vec::new();
        std::io::Read::read_to_end(&mut f, &mut b).unwrap();
        parts.insert(f.name().unwrap().to_string(), b);
    }
    // Central directory entries: signature PK\x01\x02, then "version made by" (its high byte is
    // the system: 3 = Unix).
    let made_by: Vec<u8> = bytes.windows(6).filter(|w| w[..4] == *b"PK\x01\x02").map(|w| w[5]).collect();
    (parts, made_by)
}

/// `Value="r g b"` attributes of the colour elements of an XML part.
fn colours(xml: &str) -> Vec<Vec<u32>> {
    xml.match_indices("Color Value=\"").map(|(i, m)| xml[i + m.len()..].split('"').next().unwrap().split(' ').map(|v| v.parse().unwrap()).collect()).collect()
}

#[test]
fn ofd_colours_are_rgb_fonts_say_bold_dashes_are_drawn_by_every_reader_and_ids_are_valid() {
    let (_dir, mut opts) = common::copy_project();
    opts.formats = Some(vec![Format::Pdf, Format::Ofd]);
    jianbao::build(&opts).unwrap();
    let (parts, made_by) = ofd_parts(&opts.out.join("2019-03/工作简报-2019年3月.ofd"));
    assert!(!made_by.is_empty() && made_by.iter().all(|s| *s == 3), "made by Unix on every system: {made_by:?}");
    let text = |name: &str| String::from_utf8(parts[name].clone()).unwrap();
    let public = text("Doc_0/PublicRes.xml");
    // No CMYK anywhere: a reader that assumes RGB draws what the office sees.
    for (name, bytes) in parts.iter().filter(|(n, _)| n.ends_with(".xml")) {
        assert!(!String::from_utf8_lossy(bytes).contains("CMYK"), "{name}");
    }
    // The masthead and its rule are red as RGB (the printed red 0/80/80/0, converted as typst
    // converts it for the screen), never the cyan its CMYK values make when read as RGB.
    let page1 = text("Doc_0/Pages/Page_0/Content.xml");
    let all: Vec<Vec<u32>> = colours(&page1);
    assert!(all.iter().all(|c| c.len() == 3), "{all:?}");
    let red = |c: &Vec<u32>| c[0] > 200 && c[1] < 120 && c[2] < 120;
    let masthead = all.iter().find(|c| red(c)).unwrap_or_else(|| panic!("no red on the first page: {all:?}"));
    let red_value = masthead.iter().map(u32::to_string).collect::<Vec<_>>().join(" ");
    // The bold Song face says so.
    let bold = public.split("<ofd:Font ").find(|f| f.contains("Bold")).unwrap_or_else(|| panic!("{public}"));
    assert!(bold.contains("Bold=\"true\""), "{bold}");
    assert!(public.split("<ofd:Font ").filter(|f| f.contains("FontName")).any(|f| !f.contains("Bold=")), "regular faces are not bold");
    // The chart's dashed average line: dashed on the path and in its DrawParam.
    let (page, dashed) = parts
        .iter()
        .filter(|(n, _)| n.contains("/Pages/"))
        .find_map(|(n, b)| {
            let x = String::from_utf8_lossy(b).into_owned();
            x.split("<ofd:PathObject ").find(|p| p.contains("DashPattern")).map(|p| (n.clone(), p.to_string()))
        })
        .expect("a dashed path");
    let id = dashed.split("DrawParam=\"").nth(1).unwrap_or_else(|| panic!("{page}: {dashed}")).split('"').next().unwrap();
    let param = public.split("<ofd:DrawParam ").find(|p| p.starts_with(&format!("ID=\"{id}\""))).expect("the DrawParam");
    assert!(param.contains("DashPattern") && param.contains(&red_value), "{param}");
}
