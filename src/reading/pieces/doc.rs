//! Word 97-2003 and WPS Writer documents (.doc, .wps: the Word binary format in a compound
//! file), read with `rwml`: the paragraphs of the main text, tables as rows of cell texts, and
//! pictures with their bytes, as `docx` gives them for a .docx.

use super::content::{Content, Raw};

/// Reads a .doc or .wps; the message says what is wrong with a file that is not one.
pub fn read(bytes: &[u8]) -> Result<Content, String> {
    let doc = rwml::Document::open(bytes).map_err(|_| "不是可以读取的 Word 97-2003 或 WPS 文字文档（文件可能已损坏）".to_string())?;
    let mut out = Content::default();
    walk(&doc.model().blocks, &mut out);
    Ok(out)
}

fn walk(blocks: &[rwml::Block], out: &mut Content) {
    for b in blocks {
        match b {
            rwml::Block::Paragraph(p) => {
                let text: String = p.text().chars().map(|c| if c == '\t' { ' ' } else { c }).collect();
                for line in text.split(['\n', '\r', '\u{b}']) {
                    out.paragraph(line);
                }
                for image in p.runs.iter().filter_map(|r| r.image.as_ref()) {
                    picture(image, out);
                }
            }
            rwml::Block::Table(t) => {
                let rows = t.rows.iter().map(|r| r.cells.iter().map(|c| cell_text(&c.blocks)).collect()).collect();
                out.table(rows);
            }
            rwml::Block::Image(image) => picture(image, out),
            rwml::Block::Chart(_) => out.passed_over.push(out.here()),
            _ => {}
        }
    }
}

fn picture(image: &rwml::Image, out: &mut Content) {
    match &image.bytes {
        Some(bytes) => out.blocks.push(Raw::Picture { bytes: bytes.clone(), description: image.alt.clone().filter(|a| !a.trim().is_empty()) }),
        None => out.passed_over.push(out.here()),
    }
}

/// A cell's text: its paragraphs (and any table inside it) joined by spaces.
fn cell_text(blocks: &[rwml::Block]) -> String {
    let mut parts = Vec::new();
    for b in blocks {
        match b {
            rwml::Block::Paragraph(p) => parts.push(p.text().trim().to_string()),
            rwml::Block::Table(t) => parts.extend(t.rows.iter().flat_map(|r| &r.cells).map(|c| cell_text(&c.blocks))),
            _ => {}
        }
    }
    parts.retain(|p| !p.is_empty());
    parts.join(" ")
}
