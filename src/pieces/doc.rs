//! Word 97-2003 and WPS Writer documents (.doc, .wps: the Word binary format in a compound
//! file), read with `rwml`: the paragraphs of the main text, table cells as paragraphs, and
//! the places of the pictures, as `docx` gives them for a .docx.

use super::docx::Docx;

/// Reads a .doc or .wps; the message says what is wrong with a file that is not one.
pub fn read(bytes: &[u8]) -> Result<Docx, String> {
    let doc = rwml::Document::open(bytes).map_err(|_| "不是可以读取的 Word 97-2003 或 WPS 文字文档（文件可能已损坏）".to_string())?;
    let mut out = Docx::default();
    walk(&doc.model().blocks, &mut out);
    Ok(out)
}

fn walk(blocks: &[rwml::Block], out: &mut Docx) {
    for b in blocks {
        match b {
            rwml::Block::Paragraph(p) => {
                if p.runs.iter().any(|r| r.image.is_some()) {
                    out.images.push(out.paragraphs.len() + 1);
                }
                let text: String = p.text().chars().map(|c| if c == '\t' { ' ' } else { c }).collect();
                for line in text.split(['\n', '\r', '\u{b}']) {
                    let line = line.trim();
                    if !line.is_empty() {
                        out.paragraphs.push(line.to_string());
                    }
                }
            }
            rwml::Block::Table(t) => {
                for cell in t.rows.iter().flat_map(|r| &r.cells) {
                    walk(&cell.blocks, out);
                }
            }
            rwml::Block::Image(_) | rwml::Block::Chart(_) => out.images.push(out.paragraphs.len() + 1),
            _ => {}
        }
    }
}
