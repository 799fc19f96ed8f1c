//! What OFD readers other than ofd-core need: embedded fonts with a `cmap` and `OS/2` (readers
//! that load a font through a system font API, Chromium among them), outline entries that go
//! to their heading, the archival profile (OFD-A), and, run by `.ci/check-ofd-readers` with the
//! tools installed, a second renderer (sOFD), Chromium's font sanitiser and the standard's XSDs.

use crate::common;
use crate::ofd::{agreement, ofd_parts, typst_pixels};

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use jianbao::config::Format;

const MARCH: &str = "2019-03/工作简报-2019年3月.ofd";

/// The sample built with OFD; the temporary folder lives as long as the first value.
fn built() -> (tempfile::TempDir, jianbao::Options) {
    let (dir, mut opts) = common::copy_project();
    opts.formats = Some(vec![Format::Pdf, Format::Ofd]);
    assert!(!jianbao::build(&opts).unwrap().has_errors());
    (dir, opts)
}

fn ofds(out: &Path) -> Vec<PathBuf> {
    let all = walkdir::WalkDir::new(out).sort_by_file_name().into_iter().map(|e| e.unwrap().into_path());
    all.filter(|p| p.extension().is_some_and(|e| e == "ofd")).collect()
}

fn xml(parts: &BTreeMap<String, Vec<u8>>, name: &str) -> String {
    String::from_utf8(parts.get(name).unwrap_or_else(|| panic!("no {name}")).clone()).unwrap()
}

fn attr<'a>(n: roxmltree::Node<'a, '_>, name: &str) -> &'a str {
    n.attribute(name).unwrap_or_else(|| panic!("<{}> without {name}", n.tag_name().name()))
}

/// Font ID → the embedded font file's bytes.
fn fonts(parts: &BTreeMap<String, Vec<u8>>) -> BTreeMap<String, Vec<u8>> {
    let public = xml(parts, "Doc_0/PublicRes.xml");
    let doc = roxmltree::Document::parse(&public).unwrap();
    doc.descendants()
        .filter(|n| n.has_tag_name("Font"))
        .map(|f| {
            let file = f.children().find(|c| c.has_tag_name("FontFile")).and_then(|c| c.text()).expect("FontFile");
            (attr(f, "ID").to_string(), parts[&format!("Doc_0/Res/{file}")].clone())
        })
        .collect()
}

/// Each (font ID, character, glyph) a text object draws one glyph for, by its `CGTransform`s.
fn drawn(content: &str) -> Vec<(String, char, u16)> {
    let doc = roxmltree::Document::parse(content).unwrap();
    let mut out = Vec::new();
    for t in doc.descendants().filter(|n| n.has_tag_name("TextObject")) {
        let text: Vec<char> = t.children().filter(|c| c.has_tag_name("TextCode")).flat_map(|c| c.text().unwrap_or("").chars()).collect();
        for cg in t.children().filter(|c| c.has_tag_name("CGTransform")) {
            let (pos, count): (usize, usize) = (attr(cg, "CodePosition").parse().unwrap(), attr(cg, "CodeCount").parse().unwrap());
            let glyphs: Vec<u16> =
                cg.children().find(|c| c.has_tag_name("Glyphs")).and_then(|g| g.text()).unwrap().split(' ').map(|g| g.parse().unwrap()).collect();
            if glyphs.len() == count {
                out.extend(text[pos..pos + count].iter().zip(glyphs).map(|(c, g)| (attr(t, "Font").to_string(), *c, g)));
            }
        }
    }
    out
}

#[test]
fn every_embedded_font_has_os2_and_a_cmap_that_maps_each_character_to_the_glyph_drawn() {
    let (_dir, opts) = built();
    let (mut files, mut checked) = (0, 0);
    for path in ofds(&opts.out) {
        let (parts, _) = ofd_parts(&path);
        let fonts = fonts(&parts);
        for (id, bytes) in &fonts {
            let face = ttf_parser::Face::parse(bytes, 0).unwrap_or_else(|e| panic!("{} font {id}: {e}", path.display()));
            let raw = face.raw_face();
            for tag in [b"cmap", b"OS/2", b"head", b"hhea", b"hmtx", b"maxp", b"name", b"post"] {
                assert!(raw.table(ttf_parser::Tag::from_bytes(tag)).is_some(), "{} font {id}: no {}", path.display(), String::from_utf8_lossy(tag));
            }
            files += 1;
        }
        for (name, content) in parts.iter().filter(|(n, _)| n.ends_with("/Content.xml")) {
            for (font, c, glyph) in drawn(std::str::from_utf8(content).unwrap()) {
                let face = ttf_parser::Face::parse(&fonts[&font], 0).unwrap();
                assert_eq!(face.glyph_index(c), Some(ttf_parser::GlyphId(glyph)), "{} {name}: {c:?} in font {font}", path.display());
                checked += 1;
            }
        }
    }
    assert!(files >= 40 && checked >= 20_000, "{files} fonts, {checked} characters");
}

/// Each outline entry's target: (title, page index, top in mm).
fn targets(document: &str) -> Vec<(String, usize, f64)> {
    let doc = roxmltree::Document::parse(document).unwrap();
    let pages: Vec<&str> = doc.descendants().filter(|n| n.has_tag_name("Page")).map(|p| attr(p, "ID")).collect();
    let elems = doc.descendants().filter(|n| n.has_tag_name("OutlineElem"));
    elems
        .map(|e| {
            let dest = e
                .descendants()
                .find(|d| d.has_tag_name("Dest"))
                .filter(|d| d.parent().and_then(|p| p.parent()).and_then(|p| p.parent()).and_then(|p| p.parent()) == Some(e));
            let dest = dest.unwrap_or_else(|| panic!("{:?} goes nowhere", e.attribute("Title")));
            let page = pages.iter().position(|p| *p == attr(dest, "PageID")).expect("a page of the document");
            (attr(e, "Title").to_string(), page, attr(dest, "Top").parse().unwrap())
        })
        .collect()
}

/// The text objects of a page: (text, top, bottom) in mm.
fn lines(content: &str) -> Vec<(String, f64, f64)> {
    let doc = roxmltree::Document::parse(content).unwrap();
    let objs = doc.descendants().filter(|n| n.has_tag_name("TextObject"));
    objs.map(|t| {
        let b: Vec<f64> = attr(t, "Boundary").split(' ').map(|v| v.parse().unwrap()).collect();
        let text = t.children().filter(|c| c.has_tag_name("TextCode")).filter_map(|c| c.text()).collect();
        (text, b[1], b[1] + b[3])
    })
    .collect()
}

#[test]
fn every_outline_entry_goes_to_the_page_and_height_of_its_heading() {
    let (_dir, opts) = built();
    let mut entries = 0;
    for path in ofds(&opts.out) {
        let (parts, _) = ofd_parts(&path);
        for (title, page, top) in targets(&xml(&parts, "Doc_0/Document.xml")) {
            // The heading's first line starts with the title's first characters (a long
            // caption wraps; a numbered heading shows its number).
            let head: String = title.chars().filter(|c| !c.is_whitespace()).take(6).collect();
            let on_page = lines(&xml(&parts, &format!("Doc_0/Pages/Page_{page}/Content.xml")));
            let hit = on_page.iter().find(|(text, t, b)| {
                let text: String = text.chars().filter(|c| !c.is_whitespace()).collect();
                text.starts_with(&head) && top >= t - 2.0 && top <= *b
            });
            assert!(hit.is_some(), "{}: {title:?} goes to page {} at {top} mm, where it is not: {on_page:?}", path.display(), page + 1);
            entries += 1;
        }
    }
    assert!(entries >= 100, "{entries} outline entries");
}

#[test]
fn the_archived_ofd_is_ofd_a_and_the_build_one_is_plain_ofd() {
    use jianbao::archive::{self, Outcome, Request, Target};
    let (_dir, opts) = built();
    let req = Request { target: Target::month("2018-03".parse().unwrap()), date: Some("2018-04-05".parse().unwrap()), correction: false, skip_earlier: true };
    let Outcome::Published { entry, .. } = archive::publish(&opts, &req).unwrap().outcome else { panic!("not published") };
    let archived = archive::folder(&opts.out).join(entry.ofd.unwrap().file);
    let (parts, _) = ofd_parts(&archived);
    let entry_xml = xml(&parts, "OFD.xml");
    assert!(entry_xml.contains("DocType=\"OFD-A\""), "{entry_xml}");
    // What the archival profile drops: keywords and attachments (the PDF/A-3 carries the files).
    assert!(!entry_xml.contains("Keywords"), "{entry_xml}");
    assert!(!xml(&parts, "Doc_0/Document.xml").contains("Attachments"));
    assert!(!parts.keys().any(|p| p.contains("Attach")), "{:?}", parts.keys());
    // Fonts embedded, nothing outside the package.
    let public = xml(&parts, "Doc_0/PublicRes.xml");
    assert_eq!(public.matches("<ofd:Font ").count(), public.matches("<ofd:FontFile>").count(), "{public}");
    // Every location the document names is a part of the package.
    let document = xml(&parts, "Doc_0/Document.xml");
    let doc = roxmltree::Document::parse(&document).unwrap();
    let pages = doc.descendants().filter(|n| n.has_tag_name("Page")).map(|p| attr(p, "BaseLoc").to_string());
    let res = doc.descendants().filter(|n| n.has_tag_name("PublicRes")).map(|r| r.text().unwrap().to_string());
    let files = roxmltree::Document::parse(&public).unwrap();
    let files = files
        .descendants()
        .filter(|n| n.has_tag_name("FontFile") || n.has_tag_name("MediaFile"))
        .map(|f| format!("Res/{}", f.text().unwrap()))
        .collect::<Vec<_>>();
    for loc in pages.chain(res).chain(files) {
        assert!(parts.contains_key(&format!("Doc_0/{loc}")), "{loc} is not in the package");
    }
    let (plain, _) = ofd_parts(&opts.out.join("2018-03/工作简报-2018年3月.ofd"));
    assert!(xml(&plain, "OFD.xml").contains("DocType=\"OFD\""));
    assert!(ofd_core::check_path(&archived).conforms());
}

/// A tool the CI check installs, named by an environment variable: the ignored tests below
/// fail, never pass silently, without it.
fn tool(var: &str) -> String {
    std::env::var(var).unwrap_or_else(|_| panic!("{var} is not set: run .ci/check-ofd-readers"))
}

/// `(red, all inked)` pixels of a rendering: red is what the printed red looks like on screen.
fn reds(rgba: &[u8]) -> (usize, usize) {
    let px = rgba.chunks(4);
    let ink = px.clone().filter(|p| p[..3].iter().any(|v| *v < 200)).count();
    (px.filter(|p| p[0] > 200 && p[1] < 140 && p[2] < 140).count(), ink)
}

/// The side of the square cells pages are compared in.
const CELL: usize = 4;

/// An RGBA image as the average of each `CELL`×`CELL` cell.
fn cells(rgba: &[u8], w: usize, h: usize) -> Vec<u8> {
    let (cw, ch) = (w / CELL, h / CELL);
    let mut out = Vec::with_capacity(cw * ch * 4);
    for cy in 0..ch {
        for cx in 0..cw {
            for c in 0..4 {
                let sum: usize = (0..CELL * CELL).map(|i| usize::from(rgba[((cy * CELL + i / CELL) * w + cx * CELL + i % CELL) * 4 + c])).sum();
                out.push((sum / (CELL * CELL)) as u8);
            }
        }
    }
    out
}

/// A page as sOFD renders it, at the DPI the comparison uses.
fn sofd_page(sofd: &str, ofd: &Path, page: usize, png: &Path) -> image::RgbaImage {
    let out = std::process::Command::new(sofd)
        .args(["render", "-p", &page.to_string(), "--dpi", "96", "-o"])
        .arg(png)
        .arg(ofd)
        .output()
        .unwrap_or_else(|e| panic!("{sofd}: {e}"));
    assert!(out.status.success(), "sofd render: {}", String::from_utf8_lossy(&out.stderr));
    image::open(png).unwrap().to_rgba8()
}

#[test]
#[ignore = "needs sofd (sofd-cli 0.6.1); run by .ci/check-ofd-readers"]
fn a_second_renderer_draws_the_masthead_red_and_the_pages_as_typst_does() {
    let sofd = tool("JIANBAO_SOFD");
    let (dir, opts) = built();
    let inputs = jianbao::inputs::Inputs::read(&opts.data, &opts.out, None, None).unwrap();
    let planned = jianbao::plan_documents(&opts, &inputs).unwrap();
    let march = planned.made.documents.iter().find(|d| d.id == MARCH.trim_end_matches(".ofd")).expect("the March bulletin");
    let typeset = planned.engine.typeset(march.prepared.as_ref().expect("typeset")).unwrap();
    let ofd = opts.out.join(MARCH);
    let (parts, _) = ofd_parts(&ofd);
    let chart = (0..typeset.pages().len()).find(|i| xml(&parts, &format!("Doc_0/Pages/Page_{i}/Content.xml")).contains("DashPattern")).expect("the chart page");
    for (page, what) in [(0, "报头页"), (chart, "图表页")] {
        let png = dir.path().join(format!("sofd-{page}.png"));
        let theirs = sofd_page(&sofd, &ofd, page, &png);
        let typst = typst_pixels(&typeset.pages()[page]);
        let (w, h) = (typst.width().min(theirs.width()) as usize, typst.height().min(theirs.height()) as usize);
        assert!(typst.width().abs_diff(theirs.width()) <= 1 && typst.height().abs_diff(theirs.height()) <= 1, "{what}: sizes differ");
        let crop = |data: &[u8], stride: usize| (0..h).flat_map(|y| data[y * stride * 4..][..w * 4].to_vec()).collect::<Vec<u8>>();
        let (a, b) = (crop(theirs.as_raw(), theirs.width() as usize), crop(typst.data(), typst.width() as usize));
        // Two rasterisers shade glyph edges differently (sOFD draws text lighter): pages are
        // compared as 4×4-pixel cells, where a missing, shifted or recoloured object still
        // shows and edge shading does not.
        let (a4, b4) = (cells(&a, w, h), cells(&b, w, h));
        let (ink, same) = agreement(&a4, &b4, w / CELL, h / CELL);
        let (red_sofd, red_typst) = (reds(&a).0, reds(&b).0);
        println!("{what}: sOFD agrees with typst-render on {:.2}% of inked cells; red pixels {red_sofd} (typst {red_typst})", same as f64 * 100.0 / ink as f64);
        if page == 0 {
            assert!(red_typst > 5_000 && red_sofd * 10 >= red_typst * 9, "{what}: the masthead is not red in sOFD ({red_sofd} red pixels, typst {red_typst})");
        } else {
            assert!(red_sofd * 10 >= red_typst * 9 && red_typst > 0, "{what}: the average line is not red ({red_sofd}, typst {red_typst})");
        }
        assert!(same as f64 >= ink as f64 * 0.995, "{what}: sOFD and typst-render agree on {same} of {ink} inked cells (PNG: {})", png.display());
    }
    // sOFD's archival audit of the archived copy: only the warning that it is unsigned.
    use jianbao::archive::{self, Outcome, Request, Target};
    let req = Request { target: Target::month("2019-03".parse().unwrap()), date: Some("2019-04-05".parse().unwrap()), correction: false, skip_earlier: true };
    let Outcome::Published { entry, .. } = archive::publish(&opts, &req).unwrap().outcome else { panic!("not published") };
    let archived = archive::folder(&opts.out).join(entry.ofd.unwrap().file);
    let audit = std::process::Command::new(&sofd).arg("audit").arg(&archived).env("LANG", "C").output().unwrap();
    let report = String::from_utf8_lossy(&audit.stdout).into_owned() + &String::from_utf8_lossy(&audit.stderr);
    let findings: Vec<&str> = report.lines().filter(|l| l.starts_with("ARCH-")).collect();
    assert!(audit.status.success() && findings.iter().all(|l| l.starts_with("ARCH-006")), "sofd audit: {report}");
}

#[test]
#[ignore = "needs Chromium; run by .ci/check-ofd-readers"]
fn chromium_loads_every_embedded_font() {
    let chromium = tool("JIANBAO_CHROMIUM");
    let (dir, opts) = built();
    let (parts, _) = ofd_parts(&opts.out.join(MARCH));
    let fonts = fonts(&parts);
    let mut faces = String::new();
    for (id, bytes) in &fonts {
        let file = format!("font_{id}.otf");
        std::fs::write(dir.path().join(&file), bytes).unwrap();
        faces.push_str(&format!("['{id}', '{file}'],"));
    }
    // Each font is loaded as a web font: Chromium sanitises it (OTS) and refuses a font
    // without cmap or OS/2. The results replace the page's text, which --dump-dom prints.
    let page = format!(
        "<!doctype html><meta charset=utf-8><body>pending<script>
        Promise.all([{faces}].map(([id, f]) => new FontFace('f' + id, 'url(' + f + ')').load()
          .then(() => id + ':loaded', e => id + ':refused ' + e)))
          .then(r => document.body.textContent = 'result ' + r.join(' '));
        </script>"
    );
    let html = dir.path().join("fonts.html");
    std::fs::write(&html, page).unwrap();
    let out = std::process::Command::new(&chromium)
        .args(["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"])
        .args(["--allow-file-access-from-files", "--virtual-time-budget=5000", "--dump-dom"])
        .arg(format!("--user-data-dir={}", dir.path().join("profile").display()))
        .arg(format!("file://{}", html.display()))
        .output()
        .unwrap_or_else(|e| panic!("{chromium}: {e}"));
    let dom = String::from_utf8_lossy(&out.stdout);
    let result = dom.split("result ").nth(1).unwrap_or_else(|| panic!("no result: {dom}\n{}", String::from_utf8_lossy(&out.stderr)));
    let loaded = result.matches(":loaded").count();
    assert_eq!(loaded, fonts.len(), "{result}");
}

/// A copy of the schemas whose `DocType` takes both values the standard's text gives (GB/T
/// 33190-2016 §7.4: "OFD", or "OFD-A" for a document that meets the archival profile); the
/// schema of annex A fixes it to "OFD", which would refuse every OFD-A.
fn widened(schemas: &Path, dir: &Path) -> PathBuf {
    let to = dir.join("xsd");
    std::fs::create_dir_all(&to).unwrap();
    for e in std::fs::read_dir(schemas).unwrap() {
        let path = e.unwrap().path();
        std::fs::copy(&path, to.join(path.file_name().unwrap())).unwrap();
    }
    let ofd = std::fs::read_to_string(to.join("OFD.xsd")).unwrap();
    let fixed = r#"<xs:attribute name="DocType" use="required" fixed="OFD">"#;
    let one = r#"<xs:enumeration value="OFD" />"#;
    assert!(ofd.contains(fixed) && ofd.contains(one), "OFD.xsd is not the schema of annex A");
    let ofd = ofd.replace(fixed, r#"<xs:attribute name="DocType" use="required">"#).replace(one, &format!(r#"{one}<xs:enumeration value="OFD-A" />"#));
    std::fs::write(to.join("OFD.xsd"), ofd).unwrap();
    to
}

#[test]
#[ignore = "needs xmllint and the GB/T 33190-2016 annex A schemas in JIANBAO_OFD_XSD"]
fn every_part_of_every_ofd_validates_against_the_standards_schemas() {
    let (dir, opts) = built();
    let schemas = widened(&PathBuf::from(tool("JIANBAO_OFD_XSD")), dir.path());
    use jianbao::archive::{self, Request, Target};
    let quarter = Target::quarter("2018-Q1".parse().unwrap());
    for (target, date) in [(Target::month("2018-03".parse().unwrap()), "2018-04-05"), (quarter, "2018-04-10"), (Target::Volume(2018), "2019-01-15")] {
        let req = Request { target, date: Some(date.parse().unwrap()), correction: false, skip_earlier: true };
        archive::publish(&opts, &req).unwrap();
    }
    let mut checked = 0;
    for path in ofds(&opts.out) {
        let (parts, _) = ofd_parts(&path);
        for (name, bytes) in parts.iter().filter(|(n, _)| n.ends_with(".xml")) {
            let schema = match name.rsplit('/').next().unwrap() {
                "OFD.xml" => "OFD.xsd",
                "Document.xml" => "Document.xsd",
                "PublicRes.xml" | "DocumentRes.xml" => "Res.xsd",
                "Content.xml" => "Page.xsd",
                "Attachments.xml" => "Attachments.xsd",
                other => panic!("{}: no schema for {other}", path.display()),
            };
            let part = dir.path().join("part.xml");
            std::fs::write(&part, bytes).unwrap();
            let out = std::process::Command::new("xmllint").arg("--noout").arg("--schema").arg(schemas.join(schema)).arg(&part).output().expect("xmllint");
            assert!(out.status.success(), "{} › {name}: {}", path.display(), String::from_utf8_lossy(&out.stderr));
            checked += 1;
        }
    }
    assert!(checked >= 200, "{checked} parts");
}
