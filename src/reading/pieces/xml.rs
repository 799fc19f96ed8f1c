//! What the readers of zipped XML documents (.docx, .odt) share: a part of the package within a
//! size limit, and one walk over an XML part's elements and text (character and predefined
//! entities resolved), each reader saying what it does with them.

use std::io::Read;

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

/// A package.
pub type Package<'a> = zip::ZipArchive<std::io::Cursor<&'a [u8]>>;

/// The part `name` of the package, if there is one, at most `max` bytes.
pub fn part(zip: &mut Package, name: &str, max: u64) -> Result<Option<Vec<u8>>, String> {
    let Ok(entry) = zip.by_name(name) else { return Ok(None) };
    let mut out = Vec::new();
    entry.take(max + 1).read_to_end(&mut out).map_err(|_| format!("无法解压 {name}"))?;
    if out.len() as u64 > max {
        return Err(format!("{name} 过大（超过 {}），不像是一篇稿件", crate::setup::inputs::megabytes(max)));
    }
    Ok(Some(out))
}

/// What a reader does with the events of a part.
pub trait Walker {
    fn start(&mut self, e: &BytesStart, empty: bool);
    fn end(&mut self, name: &str);
    fn text(&mut self, s: &str);
}

/// Walks `xml` with `w`.
pub fn walk(xml: &[u8], w: &mut impl Walker) -> Result<(), String> {
    let mut reader = Reader::from_reader(xml);
    let mut buf = Vec::new();
    let bad = || "正文无法解析（文件可能已损坏）".to_string();
    loop {
        match reader.read_event_into(&mut buf).map_err(|_| bad())? {
            Event::Start(e) => w.start(&e, false),
            Event::Empty(e) => w.start(&e, true),
            Event::End(e) => w.end(e.local_name().as_ref()),
            Event::Text(t) => w.text(&t.xml10_content()),
            Event::CData(t) => w.text(&t.xml10_content()),
            Event::GeneralRef(r) => {
                let c = match r.resolve_char_ref().map_err(|_| bad())? {
                    Some(c) => c.to_string(),
                    None => quick_xml::escape::resolve_predefined_entity(&r).map(str::to_string).ok_or_else(bad)?,
                };
                w.text(&c);
            }
            Event::Eof => return Ok(()),
            _ => {}
        }
        buf.clear();
    }
}
