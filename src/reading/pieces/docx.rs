//! Word documents (.docx, as Word and WPS write them): the paragraphs, tables and pictures of
//! the main text, read with `zip` and a streaming XML parser. Line and page breaks end a
//! paragraph; a table is rows of cell texts (a table inside a cell is flattened into it). A
//! picture (`w:drawing`, `w:pict`) is taken from `word/media` through its relationship, with
//! its description. Text boxes, embedded objects, field codes and comments are not taken;
//! tracked changes are not taken either (the text reads as it was before them), and the reader
//! says what it passed over.

use std::collections::HashMap;

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

use super::content::{Content, Raw};
use super::xml::{part, Walker};

/// The main text of a .docx larger than this (uncompressed) is refused: no 信息稿 is anywhere
/// near it, and it keeps a hostile archive from filling memory.
const MAX_XML: u64 = 32 * 1024 * 1024;

/// Elements whose whole content is passed over: embedded objects (counted as pictures not
/// set), the fallback copy of alternate content, field instructions, tracked insertions.
const PASSED_OVER: &[&str] = &["object", "Fallback", "instrText", "ins", "moveTo", "footnoteReference", "endnoteReference", "txbxContent"];
const REVISIONS: &[&str] = &["ins", "del", "moveFrom", "moveTo"];

/// Reads a .docx; the message says what is wrong with a file that is not one.
pub fn read(bytes: &[u8]) -> Result<Content, String> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(|_| "不是有效的 .docx 文件（文件可能不完整或已损坏）".to_string())?;
    let comments = zip.by_name("word/comments.xml").is_ok();
    let xml = part(&mut zip, "word/document.xml", MAX_XML)?.ok_or_else(|| "不是 Word 文档：缺少正文部分 word/document.xml".to_string())?;
    let rels = part(&mut zip, "word/_rels/document.xml.rels", MAX_XML)?.map(|x| relationships(&x)).unwrap_or_default();
    let mut walk = body(&xml)?;
    walk.doc.comments = comments;
    let mut doc = walk.doc;
    // Pictures by relationship: `media/image1.jpeg` beside `word/document.xml`.
    for (i, (id, description)) in walk.pictures {
        let target = rels.get(&id).map(|t| format!("word/{}", t.trim_start_matches("./")));
        match target.map(|t| part(&mut zip, &t, super::photo::MOST_BYTES as u64 + 1)).transpose()?.flatten() {
            Some(bytes) => doc.blocks[i] = Raw::Picture { bytes, description },
            None => doc.blocks[i] = Raw::Paragraph(String::new()),
        }
    }
    doc.blocks.retain(|b| !matches!(b, Raw::Paragraph(p) if p.is_empty()));
    Ok(doc)
}

/// Relationship ids and their targets.
fn relationships(xml: &[u8]) -> HashMap<String, String> {
    let mut reader = Reader::from_reader(xml);
    let mut out = HashMap::new();
    let mut buf = Vec::new();
    while let Ok(e) = reader.read_event_into(&mut buf) {
        match e {
            Event::Empty(e) | Event::Start(e) if e.local_name().as_ref() == "Relationship" => {
                if let (Some(id), Some(target)) = (attr(&e, "Id"), attr(&e, "Target")) {
                    out.insert(id, target);
                }
            }
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    out
}

/// An attribute's value by its local name.
fn attr(e: &BytesStart, local: &str) -> Option<String> {
    e.attributes().flatten().find(|a| a.key.local_name().as_ref() == local).and_then(|a| quick_xml::escape::unescape(&a.value).ok().map(|v| v.into_owned()))
}

/// The state of the walk through `word/document.xml`.
#[derive(Default)]
struct Walk {
    doc: Content,
    current: String,
    /// Depth inside passed-over elements (0: taking text).
    passed_over: usize,
    /// Inside `w:t` or `w:delText`.
    in_text: bool,
    /// Depth of tables; the rows of the outermost one, and the text of its current cell.
    tables: usize,
    rows: Vec<Vec<String>>,
    cell: String,
    /// Inside a drawing or VML picture: its relationship id and description so far.
    picture: Option<(Option<String>, Option<String>)>,
    /// Pictures found in the current paragraph, set after its text.
    pending: Vec<(String, Option<String>)>,
    /// Where each picture stands among the blocks, with its id and description.
    pictures: Vec<(usize, (String, Option<String>))>,
}

impl Walk {
    fn end_paragraph(&mut self) {
        let text = self.current.trim_matches(|c: char| c.is_whitespace()).to_string();
        self.current.clear();
        if self.tables > 0 {
            if !text.is_empty() {
                if !self.cell.is_empty() {
                    self.cell.push(' ');
                }
                self.cell.push_str(&text);
            }
            return;
        }
        self.doc.paragraph(&text);
        for p in std::mem::take(&mut self.pending) {
            self.pictures.push((self.doc.blocks.len(), p));
            self.doc.blocks.push(Raw::Paragraph(String::new()));
        }
    }
}

impl Walker for Walk {
    fn start(&mut self, e: &BytesStart, empty: bool) {
        let name = e.local_name();
        let name: &str = name.as_ref();
        if REVISIONS.contains(&name) {
            self.doc.revisions = true;
        }
        if let Some((id, description)) = &mut self.picture {
            match name {
                "docPr" => *description = attr(e, "descr").filter(|d| !d.trim().is_empty()).or(description.take()),
                "blip" => *id = attr(e, "embed").or(id.take()),
                "imagedata" => *id = attr(e, "id").or(id.take()),
                _ => {}
            }
        }
        if self.passed_over > 0 {
            self.passed_over += usize::from(!empty);
            return;
        }
        match name {
            "drawing" | "pict" if !empty => {
                self.picture = Some((None, None));
                self.passed_over += 1;
            }
            _ if PASSED_OVER.contains(&name) => {
                if name == "object" {
                    self.doc.passed_over.push(self.doc.here());
                }
                self.passed_over += usize::from(!empty);
            }
            "t" | "delText" => self.in_text = !empty,
            "tab" => self.current.push(' '),
            "noBreakHyphen" => self.current.push('-'),
            "br" | "cr" if self.tables == 0 => self.end_paragraph(),
            "tbl" => {
                self.end_paragraph();
                self.tables += 1;
            }
            "tr" if self.tables == 1 => self.rows.push(Vec::new()),
            "tc" if self.tables == 1 => self.cell.clear(),
            _ => {}
        }
    }

    fn end(&mut self, name: &str) {
        if self.passed_over > 0 {
            self.passed_over -= 1;
            if self.passed_over == 0 {
                if let Some((id, description)) = self.picture.take() {
                    match id {
                        Some(id) => self.pending.push((id, description)),
                        None => self.doc.passed_over.push(self.doc.here()),
                    }
                }
            }
            return;
        }
        match name {
            "t" | "delText" => self.in_text = false,
            "p" => self.end_paragraph(),
            "tc" if self.tables == 1 => {
                let cell = std::mem::take(&mut self.cell);
                if let Some(row) = self.rows.last_mut() {
                    row.push(cell);
                }
            }
            "tbl" => {
                self.tables -= 1;
                if self.tables == 0 {
                    let rows = std::mem::take(&mut self.rows);
                    self.doc.table(rows);
                    for p in std::mem::take(&mut self.pending) {
                        self.pictures.push((self.doc.blocks.len(), p));
                        self.doc.blocks.push(Raw::Paragraph(String::new()));
                    }
                }
            }
            _ => {}
        }
    }

    fn text(&mut self, s: &str) {
        if self.passed_over == 0 && self.in_text {
            self.current.push_str(s);
        }
    }
}

/// The blocks of `word/document.xml`; pictures stand as empty paragraphs until resolved.
fn body(xml: &[u8]) -> Result<Walk, String> {
    let mut walk = Walk::default();
    super::xml::walk(xml, &mut walk)?;
    walk.end_paragraph();
    Ok(walk)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(body: &str) -> Content {
        let xml = format!(r#"<?xml version="1.0"?><w:document xmlns:w="w" xmlns:mc="mc"><w:body>{body}</w:body></w:document>"#);
        super::body(xml.as_bytes()).unwrap().doc
    }

    fn paragraphs(d: &Content) -> Vec<&str> {
        d.paragraphs().filter(|p| !p.is_empty()).collect()
    }

    #[test]
    fn paragraphs_runs_breaks_and_entities() {
        let d = doc(r#"<w:p><w:r><w:t>南村乡召开</w:t></w:r><w:r><w:t xml:space="preserve">推进会 </w:t></w:r></w:p>
            <w:p/><w:p><w:r><w:t>甲&amp;乙&#x4E00;</w:t><w:br/><w:t>第二行</w:t><w:tab/><w:t>末</w:t></w:r></w:p>"#);
        assert_eq!(paragraphs(&d), ["南村乡召开推进会", "甲&乙一", "第二行 末"]);
        assert!(!d.revisions && d.passed_over.is_empty());
    }

    #[test]
    fn drawings_fields_and_revisions_are_passed_over() {
        let d = doc(
            r#"<w:p><w:r><w:t>图：</w:t></w:r><w:r><mc:AlternateContent><mc:Choice><w:drawing><w:txbxContent><w:p><w:r><w:t>框内</w:t></w:r></w:p></w:txbxContent></w:drawing></mc:Choice>
            <mc:Fallback><w:pict><w:t>旧</w:t></w:pict></mc:Fallback></mc:AlternateContent></w:r></w:p>
            <w:p><w:r><w:instrText>PAGE</w:instrText><w:t>1</w:t></w:r><w:ins><w:r><w:t>新增</w:t></w:r></w:ins><w:del><w:r><w:delText>原文</w:delText></w:r></w:del></w:p>"#,
        );
        assert_eq!(paragraphs(&d), ["图：", "1原文"]);
        assert_eq!(d.passed_over, [1], "a drawing without a picture (a text box) is passed over");
        assert!(d.revisions);
    }

    #[test]
    fn tables_are_rows_of_cells_and_pictures_stand_after_their_paragraph() {
        let w = super::body(
            r#"<w:document xmlns:w="w" xmlns:wp="wp" xmlns:a="a" xmlns:r="r"><w:body>
            <w:p><w:r><w:t>前文</w:t></w:r><w:r><w:drawing><wp:inline><wp:docPr id="1" descr="培训现场"/><a:graphic><a:blip r:embed="rId5"/></a:graphic></wp:inline></w:drawing></w:r></w:p>
            <w:tbl><w:tr><w:tc><w:p><w:r><w:t>项目</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>人数</w:t></w:r></w:p></w:tc></w:tr>
            <w:tr><w:tc><w:p><w:r><w:t>技能</w:t></w:r></w:p><w:p><w:r><w:t>培训</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>86人</w:t></w:r></w:p></w:tc></w:tr></w:tbl>
            <w:p><w:r><w:t>后文</w:t></w:r></w:p></w:body></w:document>"#
                .as_bytes(),
        )
        .unwrap();
        let table = Raw::Table(vec![vec!["项目".into(), "人数".into()], vec!["技能 培训".into(), "86人".into()]]);
        assert_eq!(w.doc.blocks, [Raw::Paragraph("前文".into()), Raw::Paragraph(String::new()), table, Raw::Paragraph("后文".into())]);
        assert_eq!(w.pictures, [(1, ("rId5".to_string(), Some("培训现场".to_string())))]);
    }
}
