//! OpenDocument text (.odt, as LibreOffice and WPS write it): the paragraphs and headings of
//! `content.xml`, read with `zip` and a streaming XML parser like a .docx. Table cells are
//! paragraphs like any other; frames (pictures), notes, annotations and tracked changes are
//! passed over, and the reader says so.

use std::io::Read;

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

use super::docx::Docx;

const MAX_XML: u64 = 32 * 1024 * 1024;
/// Elements whose content is not the running text: frames (pictures, text boxes), notes,
/// annotations, the tracked changes' record, and fields' hidden parts.
const PASSED_OVER: &[&str] = &["frame", "note", "annotation", "tracked-changes", "sequence-decls", "variable-decls"];

/// Reads an .odt; the message says what is wrong with a file that is not one.
pub fn read(bytes: &[u8]) -> Result<Docx, String> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(|_| "不是有效的 .odt 文件".to_string())?;
    let entry = zip.by_name("content.xml").map_err(|_| "不是 OpenDocument 文本文档：缺少正文部分 content.xml".to_string())?;
    let mut xml = Vec::new();
    entry.take(MAX_XML + 1).read_to_end(&mut xml).map_err(|_| "无法解压正文".to_string())?;
    if xml.len() as u64 > MAX_XML {
        return Err("正文过大（超过 32 MB），不像是一篇稿件".into());
    }
    body(&xml)
}

#[derive(Default)]
struct Walk {
    doc: Docx,
    current: String,
    passed_over: usize,
    in_body: bool,
}

impl Walk {
    fn end_paragraph(&mut self) {
        let text = self.current.trim().to_string();
        self.current.clear();
        if !text.is_empty() {
            self.doc.paragraphs.push(text);
        }
    }

    fn start(&mut self, e: &BytesStart, empty: bool) {
        let name = e.local_name();
        let name: &str = name.as_ref();
        if self.passed_over > 0 {
            self.passed_over += usize::from(!empty);
            return;
        }
        match name {
            "text" => self.in_body = self.in_body || !empty,
            "frame" => self.doc.images.push(self.doc.paragraphs.len() + 1),
            "annotation" => self.doc.comments = true,
            "tracked-changes" => self.doc.revisions = true,
            _ => {}
        }
        if PASSED_OVER.contains(&name) {
            self.passed_over += usize::from(!empty);
            return;
        }
        match name {
            "s" => {
                let n = e.try_get_attribute("text:c").ok().flatten().and_then(|a| a.value.parse().ok()).unwrap_or(1usize);
                self.current.push_str(&" ".repeat(n.min(100)));
            }
            "tab" => self.current.push(' '),
            "line-break" => self.end_paragraph(),
            _ => {}
        }
    }

    fn end(&mut self, name: &str) {
        if self.passed_over > 0 {
            self.passed_over -= 1;
            return;
        }
        if matches!(name, "p" | "h") {
            self.end_paragraph();
        }
    }

    fn text(&mut self, s: &str) {
        if self.passed_over == 0 && self.in_body {
            self.current.push_str(s);
        }
    }
}

fn body(xml: &[u8]) -> Result<Docx, String> {
    let mut reader = Reader::from_reader(xml);
    let mut buf = Vec::new();
    let mut walk = Walk::default();
    let bad = || "正文无法解析".to_string();
    loop {
        match reader.read_event_into(&mut buf).map_err(|_| bad())? {
            Event::Start(e) => walk.start(&e, false),
            Event::Empty(e) => walk.start(&e, true),
            Event::End(e) => walk.end(e.local_name().as_ref()),
            Event::Text(t) => walk.text(&t.xml10_content()),
            Event::CData(t) => walk.text(&t.xml10_content()),
            Event::GeneralRef(r) => {
                let c = match r.resolve_char_ref().map_err(|_| bad())? {
                    Some(c) => c.to_string(),
                    None => quick_xml::escape::resolve_predefined_entity(&r).map(str::to_string).ok_or_else(bad)?,
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
    #[test]
    fn paragraphs_headings_spaces_and_frames() {
        let xml = r#"<office:document-content xmlns:office="o" xmlns:text="t" xmlns:draw="d" xmlns:table="b"><office:body><office:text>
            <text:sequence-decls><text:sequence-decl text:name="Figure"/></text:sequence-decls>
            <text:h>标题</text:h><text:p>甲<text:s text:c="2"/>乙<text:line-break/>丙<draw:frame><draw:image/></draw:frame></text:p>
            <table:table><table:table-row><table:table-cell><text:p>项目</text:p></table:table-cell></table:table-row></table:table>
            <text:p>注<text:note><text:note-body><text:p>脚注</text:p></text:note-body></text:note>毕</text:p>
            </office:text></office:body></office:document-content>"#;
        let d = super::body(xml.as_bytes()).unwrap();
        assert_eq!(d.paragraphs, ["标题", "甲  乙", "丙", "项目", "注毕"]);
        assert_eq!(d.images, [3]);
    }
}
