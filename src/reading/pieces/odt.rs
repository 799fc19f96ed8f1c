//! OpenDocument text (.odt, as LibreOffice and WPS write it): the paragraphs and headings of
//! `content.xml`, read with `zip` and a streaming XML parser like a .docx; tables as rows of
//! cell texts; pictures (`draw:image` in a frame) from the package with their description.
//! Text boxes, notes, annotations and tracked changes are passed over, and the reader says so.

use quick_xml::events::BytesStart;

use super::content::{Content, Raw};
use super::xml::{part, Walker};

const MAX_XML: u64 = 32 * 1024 * 1024;
/// Elements whose content is not the running text: frames (pictures, text boxes), notes,
/// annotations, the tracked changes' record, and fields' hidden parts.
const PASSED_OVER: &[&str] = &["frame", "note", "annotation", "tracked-changes", "sequence-decls", "variable-decls"];
const MAX_PICTURE: u64 = super::photo::MOST_BYTES as u64;

/// Reads an .odt; the message says what is wrong with a file that is not one.
pub fn read(bytes: &[u8]) -> Result<Content, String> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(|_| "不是有效的 .odt 文件（文件可能不完整或已损坏）".to_string())?;
    let xml = part(&mut zip, "content.xml", MAX_XML)?.ok_or_else(|| "不是 OpenDocument 文本文档：缺少正文部分 content.xml".to_string())?;
    let walk = body(&xml)?;
    let mut doc = walk.doc;
    for (i, href, description) in walk.pictures {
        doc.blocks[i] = match part(&mut zip, &href, MAX_PICTURE)? {
            Some(bytes) => Raw::Picture { bytes, description },
            None => Raw::Paragraph(String::new()),
        };
    }
    doc.blocks.retain(|b| !matches!(b, Raw::Paragraph(p) if p.is_empty()));
    Ok(doc)
}

#[derive(Default)]
struct Walk {
    doc: Content,
    current: String,
    passed_over: usize,
    in_body: bool,
    /// Depth of tables; the rows of the outermost one, and the text of its current cell.
    tables: usize,
    rows: Vec<Vec<String>>,
    cell: String,
    /// Inside a frame: its picture's path in the package and its description so far.
    frame: Option<(Option<String>, Option<String>)>,
    in_desc: bool,
    /// Pictures found in the current paragraph, set after its text.
    pending: Vec<(String, Option<String>)>,
    pictures: Vec<(usize, String, Option<String>)>,
}

impl Walk {
    fn end_paragraph(&mut self) {
        let text = std::mem::take(&mut self.current);
        let text = text.trim();
        if self.tables > 0 {
            if !text.is_empty() {
                if !self.cell.is_empty() {
                    self.cell.push(' ');
                }
                self.cell.push_str(text);
            }
            return;
        }
        self.doc.paragraph(text);
        self.place_pictures();
    }

    fn place_pictures(&mut self) {
        for (href, description) in std::mem::take(&mut self.pending) {
            self.pictures.push((self.doc.blocks.len(), href, description));
            self.doc.blocks.push(Raw::Paragraph(String::new()));
        }
    }
}

impl Walker for Walk {
    fn start(&mut self, e: &BytesStart, empty: bool) {
        let name = e.local_name();
        let name: &str = name.as_ref();
        if let Some((href, _)) = &mut self.frame {
            match name {
                "image" if href.is_none() => {
                    *href = e.try_get_attribute("xlink:href").ok().flatten().and_then(|a| quick_xml::escape::unescape(&a.value).ok().map(|v| v.into_owned()))
                }
                "desc" | "title" => self.in_desc = !empty,
                _ => {}
            }
        }
        if self.passed_over > 0 {
            self.passed_over += usize::from(!empty);
            return;
        }
        match name {
            "text" => self.in_body = self.in_body || !empty,
            "frame" if !empty => self.frame = Some((None, None)),
            "annotation" => self.doc.comments = true,
            "tracked-changes" => self.doc.revisions = true,
            "table" if !empty => {
                self.end_paragraph();
                self.tables += 1;
            }
            "table-row" if self.tables == 1 => self.rows.push(Vec::new()),
            "table-cell" if self.tables == 1 => self.cell.clear(),
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
        if matches!(name, "desc" | "title") {
            self.in_desc = false;
        }
        if self.passed_over > 0 {
            self.passed_over -= 1;
            if self.passed_over == 0 {
                match self.frame.take() {
                    Some((Some(href), description)) => self.pending.push((href, description.filter(|d| !d.trim().is_empty()))),
                    Some((None, _)) => self.doc.passed_over.push(self.doc.here()),
                    None => {}
                }
            }
            return;
        }
        match name {
            "p" | "h" => self.end_paragraph(),
            "table-cell" if self.tables == 1 => {
                let cell = std::mem::take(&mut self.cell);
                if let Some(row) = self.rows.last_mut() {
                    row.push(cell);
                }
            }
            "table" if self.tables > 0 => {
                self.tables -= 1;
                if self.tables == 0 {
                    let rows = std::mem::take(&mut self.rows);
                    self.doc.table(rows);
                    self.place_pictures();
                }
            }
            _ => {}
        }
    }

    fn text(&mut self, s: &str) {
        if let (Some((_, description)), true) = (&mut self.frame, self.in_desc) {
            description.get_or_insert_with(String::new).push_str(s);
        } else if self.passed_over == 0 && self.in_body {
            self.current.push_str(s);
        }
    }
}

fn body(xml: &[u8]) -> Result<Walk, String> {
    let mut walk = Walk::default();
    super::xml::walk(xml, &mut walk)?;
    walk.end_paragraph();
    Ok(walk)
}

#[cfg(test)]
mod tests {
    #[test]
    fn paragraphs_headings_spaces_and_frames() {
        let xml = r#"<office:document-content xmlns:office="o" xmlns:text="t" xmlns:draw="d" xmlns:table="b" xmlns:xlink="x" xmlns:svg="s"><office:body><office:text>
            <text:sequence-decls><text:sequence-decl text:name="Figure"/></text:sequence-decls>
            <text:h>标题</text:h><text:p>甲<text:s text:c="2"/>乙<text:line-break/>丙<draw:frame><draw:image xlink:href="Pictures/a.jpg"/><svg:desc>培训现场</svg:desc></draw:frame></text:p>
            <table:table><table:table-row><table:table-cell><text:p>项目</text:p></table:table-cell></table:table-row></table:table>
            <text:p>注<text:note><text:note-body><text:p>脚注</text:p></text:note-body></text:note>毕</text:p>
            </office:text></office:body></office:document-content>"#;
        let w = super::body(xml.as_bytes()).unwrap();
        let d = &w.doc;
        assert_eq!(d.paragraphs().filter(|p| !p.is_empty()).collect::<Vec<_>>(), ["标题", "甲  乙", "丙", "注毕"]);
        assert!(d.blocks.contains(&super::Raw::Table(vec![vec!["项目".into()]])));
        assert!(d.passed_over.is_empty());
        assert_eq!(w.pictures.iter().map(|(i, h, _)| (*i, h.as_str())).collect::<Vec<_>>(), [(3, "Pictures/a.jpg")]);
        assert_eq!(w.pictures[0].2.as_deref(), Some("培训现场"));
    }
}
