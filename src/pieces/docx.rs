//! Word documents (.docx, as Word and WPS write them): the paragraphs of the main text and
//! their text only, read with `zip` and a streaming XML parser. Table cells are paragraphs
//! like any other; line and page breaks end a paragraph. Images, text boxes, field codes and
//! comments are not taken; tracked changes are not taken either (the text reads as it was
//! before them), and the reader says what it passed over.

use std::io::Read;

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

/// The main text of a .docx larger than this (uncompressed) is refused: no 信息稿 is anywhere
/// near it, and it keeps a hostile archive from filling memory.
const MAX_XML: u64 = 32 * 1024 * 1024;

/// What a .docx holds, as far as a piece is concerned.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Docx {
    /// Paragraphs in order, trimmed, empty ones left out.
    pub paragraphs: Vec<String>,
    /// Images (and other embedded objects) passed over, each with the number of the paragraph
    /// it was in (1-based, counting the paragraphs kept so far plus the one it is in).
    pub images: Vec<usize>,
    /// Whether the text has tracked changes (insertions are left out, deletions kept).
    pub revisions: bool,
    /// Whether the document has comments (never read).
    pub comments: bool,
}

/// Elements whose whole content is passed over: drawings and embedded objects (counted as
/// images), the fallback copy of alternate content, field instructions, tracked insertions.
const IMAGES: &[&str] = &["drawing", "pict", "object"];
const PASSED_OVER: &[&str] = &["Fallback", "instrText", "ins", "moveTo", "footnoteReference", "endnoteReference"];
const REVISIONS: &[&str] = &["ins", "del", "moveFrom", "moveTo"];

/// Reads a .docx; the message says what is wrong with a file that is not one.
pub fn read(bytes: &[u8]) -> Result<Docx, String> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(|e| format!("不是有效的 .docx 文件（{e}）"))?;
    let comments = zip.by_name("word/comments.xml").is_ok();
    let xml = {
        let entry = zip.by_name("word/document.xml").map_err(|_| "不是 Word 文档：缺少正文部分 word/document.xml".to_string())?;
        let mut xml = Vec::new();
        entry.take(MAX_XML + 1).read_to_end(&mut xml).map_err(|e| format!("无法解压正文（{e}）"))?;
        if xml.len() as u64 > MAX_XML {
            return Err("正文过大（超过 32 MB），不像是一篇稿件".into());
        }
        xml
    };
    let mut doc = body(&xml)?;
    doc.comments = comments;
    Ok(doc)
}

/// The state of the walk through `word/document.xml`.
#[derive(Default)]
struct Walk {
    doc: Docx,
    current: String,
    /// Depth inside passed-over elements (0: taking text).
    passed_over: usize,
    /// Inside `w:t` or `w:delText`.
    in_text: bool,
}

impl Walk {
    fn end_paragraph(&mut self) {
        let text = self.current.trim_matches(|c: char| c.is_whitespace()).to_string();
        self.current.clear();
        if !text.is_empty() {
            self.doc.paragraphs.push(text);
        }
    }

    fn start(&mut self, e: &BytesStart, empty: bool) {
        let name = e.local_name();
        let name = name.as_ref();
        if REVISIONS.contains(&name) {
            self.doc.revisions = true;
        }
        if self.passed_over > 0 {
            self.passed_over += usize::from(!empty);
            return;
        }
        if IMAGES.contains(&name) {
            self.doc.images.push(self.doc.paragraphs.len() + 1);
            self.passed_over += usize::from(!empty);
        } else if PASSED_OVER.contains(&name) {
            self.passed_over += usize::from(!empty);
        } else {
            match name {
                "t" | "delText" => self.in_text = !empty,
                "tab" => self.current.push(' '),
                "noBreakHyphen" => self.current.push('-'),
                "br" | "cr" => self.end_paragraph(),
                _ => {}
            }
        }
    }

    fn end(&mut self, name: &str) {
        if self.passed_over > 0 {
            self.passed_over -= 1;
            return;
        }
        match name {
            "t" | "delText" => self.in_text = false,
            "p" => self.end_paragraph(),
            _ => {}
        }
    }

    fn text(&mut self, s: &str) {
        if self.passed_over == 0 && self.in_text {
            self.current.push_str(s);
        }
    }
}

/// The paragraphs of `word/document.xml`.
fn body(xml: &[u8]) -> Result<Docx, String> {
    let mut reader = Reader::from_reader(xml);
    let mut buf = Vec::new();
    let mut walk = Walk::default();
    let bad = |e: &dyn std::fmt::Display| format!("正文无法解析（{e}）");
    loop {
        match reader.read_event_into(&mut buf).map_err(|e| bad(&e))? {
            Event::Start(e) => walk.start(&e, false),
            Event::Empty(e) => walk.start(&e, true),
            Event::End(e) => walk.end(e.local_name().as_ref()),
            Event::Text(t) => walk.text(&t.xml10_content()),
            Event::CData(t) => walk.text(&t.xml10_content()),
            Event::GeneralRef(r) => {
                let c = match r.resolve_char_ref().map_err(|e| bad(&e))? {
                    Some(c) => c.to_string(),
                    None => quick_xml::escape::resolve_predefined_entity(&r).map(str::to_string).ok_or_else(|| bad(&format!("未知实体 &{};", &*r)))?,
                };
                walk.text(&c);
            }
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    walk.end_paragraph();
    Ok(walk.doc)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(body: &str) -> Docx {
        let xml = format!(r#"<?xml version="1.0"?><w:document xmlns:w="w" xmlns:mc="mc"><w:body>{body}</w:body></w:document>"#);
        super::body(xml.as_bytes()).unwrap()
    }

    #[test]
    fn paragraphs_runs_breaks_and_entities() {
        let d = doc(r#"<w:p><w:r><w:t>南村乡召开</w:t></w:r><w:r><w:t xml:space="preserve">推进会 </w:t></w:r></w:p>
            <w:p/><w:p><w:r><w:t>甲&amp;乙&#x4E00;</w:t><w:br/><w:t>第二行</w:t><w:tab/><w:t>末</w:t></w:r></w:p>"#);
        assert_eq!(d.paragraphs, ["南村乡召开推进会", "甲&乙一", "第二行 末"]);
        assert!(!d.revisions && d.images.is_empty());
    }

    #[test]
    fn drawings_fields_and_revisions_are_passed_over() {
        let d = doc(r#"<w:p><w:r><w:t>图：</w:t></w:r><w:r><mc:AlternateContent><mc:Choice><w:drawing><w:txbxContent><w:p><w:r><w:t>框内</w:t></w:r></w:p></w:txbxContent></w:drawing></mc:Choice>
            <mc:Fallback><w:pict><w:t>旧</w:t></w:pict></mc:Fallback></mc:AlternateContent></w:r></w:p>
            <w:p><w:r><w:instrText>PAGE</w:instrText><w:t>1</w:t></w:r><w:ins><w:r><w:t>新增</w:t></w:r></w:ins><w:del><w:r><w:delText>原文</w:delText></w:r></w:del></w:p>"#);
        assert_eq!(d.paragraphs, ["图：", "1原文"]);
        assert_eq!(d.images, [1]);
        assert!(d.revisions);
    }
}
