//! Files an archived PDF carries (PDF/A-3 attachments): its figures, the typst sources of its
//! text, and the workbooks, pieces, plan and configuration it was made from, byte for byte.

use std::collections::BTreeMap;

use crate::error::{Error, Result};

/// A file embedded in an archived PDF.
pub(super) struct Attachment {
    name: String,
    bytes: Vec<u8>,
    /// PDF/A-3 relationship: `source` (made from) or `data` (the figures shown).
    relationship: &'static str,
    description: String,
}

impl Attachment {
    pub(super) fn new(name: &str, bytes: Vec<u8>, relationship: &'static str, description: &str) -> Attachment {
        Attachment { name: name.to_string(), bytes, relationship, description: description.to_string() }
    }
}

impl Attachment {
    /// The name and bytes, as an OFD carries them.
    pub(super) fn named(&self) -> (String, Vec<u8>) {
        (self.name.clone(), self.bytes.clone())
    }
}

/// The MIME type PDF/A-3 asks for, by extension.
fn mime_type(name: &str) -> &'static str {
    match name.rsplit('.').next().map(str::to_lowercase).as_deref() {
        Some("json") => "application/json",
        Some("yaml") => "application/yaml",
        Some("xlsx") => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        Some("xlsm") => "application/vnd.ms-excel.sheet.macroEnabled.12",
        Some("xls") => "application/vnd.ms-excel",
        Some("ods") => "application/vnd.oasis.opendocument.spreadsheet",
        Some("docx") => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        Some("txt") => "text/plain",
        Some("md") => "text/markdown",
        _ => "application/octet-stream",
    }
}

/// Adds the attachments to a document's sources: `/attachments.json` lists them (as data,
/// never markup) and `/attachments/N` holds each one's bytes; `gongwen.typ` attaches them
/// when the document is typeset for the archive.
pub(super) fn attach(prepared: &mut crate::render::Prepared, files: &[Attachment]) {
    let list: Vec<serde_json::Value> = files
        .iter()
        .enumerate()
        .map(|(i, a)| {
            serde_json::json!({"name": a.name, "file": format!("/attachments/{i}"), "mime": mime_type(&a.name),
                "relationship": a.relationship, "description": a.description})
        })
        .collect();
    prepared.generated.push(("/attachments.json".into(), serde_json::to_vec_pretty(&list).expect("serialisable")));
    for (i, a) in files.iter().enumerate() {
        prepared.generated.push((format!("/attachments/{i}"), a.bytes.clone()));
    }
}

/// The files attached to a PDF, by name, as the archive wrote them.
pub fn attachments(pdf: &[u8]) -> Result<BTreeMap<String, Vec<u8>>> {
    use lopdf::{Dictionary, Document, Object};
    let bad = |e: lopdf::Error| Error::Archive { msg: format!("归档文件无法读取附件（{e}）") };
    fn walk(doc: &Document, node: &Dictionary, out: &mut BTreeMap<String, Vec<u8>>) -> lopdf::Result<()> {
        if let Ok(kids) = node.get(b"Kids").and_then(Object::as_array) {
            for k in kids {
                walk(doc, doc.dereference(k)?.1.as_dict()?, out)?;
            }
        }
        let Ok(names) = node.get(b"Names").and_then(Object::as_array) else { return Ok(()) };
        for pair in names.chunks(2) {
            let spec = doc.dereference(&pair[1])?.1.as_dict()?;
            let name = lopdf::decode_text_string(spec.get(b"UF").or_else(|_| spec.get(b"F"))?)?;
            let file = doc.dereference(doc.dereference(spec.get(b"EF")?)?.1.as_dict()?.get(b"F")?)?.1.as_stream()?;
            out.insert(name, file.decompressed_content().unwrap_or_else(|_| file.content.clone()));
        }
        Ok(())
    }
    let doc = Document::load_mem(pdf).map_err(bad)?;
    let mut out = BTreeMap::new();
    let names = doc.catalog().and_then(|c| c.get(b"Names")).and_then(|n| doc.dereference(n)).and_then(|(_, n)| n.as_dict());
    if let Ok(files) = names.and_then(|n| n.get(b"EmbeddedFiles")).and_then(|f| doc.dereference(f)).and_then(|(_, f)| f.as_dict()) {
        walk(&doc, files, &mut out).map_err(bad)?;
    }
    Ok(out)
}

/// The files attached to an OFD, by name, found as the standard says (GB/T 33190 §7.4, §20):
/// `OFD.xml` names the document root, the document names its attachment list, and each
/// attachment's `FileLoc` is relative to that list. Nothing of the writer's layout is assumed.
pub fn ofd_attachments(ofd: &[u8]) -> Result<BTreeMap<String, Vec<u8>>> {
    use std::io::Read;
    let bad = |e: String| Error::Archive { msg: format!("归档的 OFD 文件无法读取附件（{e}）") };
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(ofd)).map_err(|e| bad(e.to_string()))?;
    let mut read = |name: &str| -> std::result::Result<Option<Vec<u8>>, String> {
        let Ok(mut f) = zip.by_name(name.trim_start_matches('/')) else { return Ok(None) };
        let mut bytes = Vec::new();
        f.read_to_end(&mut bytes).map_err(|e| e.to_string())?;
        Ok(Some(bytes))
    };
    let mut out = BTreeMap::new();
    let entry = read("OFD.xml").map_err(bad)?.ok_or_else(|| bad("缺少 OFD.xml".into()))?;
    let Some(root) = texts(&entry, "DocRoot").map_err(bad)?.into_iter().next() else { return Ok(out) };
    let document = read(&root).map_err(bad)?.ok_or_else(|| bad(format!("缺少 {root}")))?;
    let Some(list_loc) = texts(&document, "Attachments").map_err(bad)?.into_iter().next() else { return Ok(out) };
    let list_path = resolve(&root, &list_loc);
    let Some(list) = read(&list_path).map_err(bad)? else { return Ok(out) };
    for (name, loc) in attachment_list(&list).map_err(bad)? {
        if let Some(bytes) = read(&resolve(&list_path, &loc)).map_err(bad)? {
            out.insert(name, bytes);
        }
    }
    Ok(out)
}

/// `loc` relative to the folder of the part at `base` (or from the package root, with `/`).
fn resolve(base: &str, loc: &str) -> String {
    match (loc.strip_prefix('/'), base.rsplit_once('/')) {
        (Some(absolute), _) => absolute.to_string(),
        (None, Some((folder, _))) => format!("{folder}/{loc}"),
        (None, None) => loc.to_string(),
    }
}

/// The text of every element named `local` in `xml`.
fn texts(xml: &[u8], local: &str) -> std::result::Result<Vec<String>, String> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_reader(xml);
    let (mut inside, mut out, mut buf) = (false, Vec::new(), Vec::new());
    loop {
        match reader.read_event_into(&mut buf).map_err(|e| e.to_string())? {
            Event::Start(e) => inside = e.local_name().as_ref() == local,
            Event::Text(t) if inside => out.push(t.xml10_content().trim().to_string()),
            Event::End(_) => inside = false,
            Event::Eof => return Ok(out),
            _ => {}
        }
        buf.clear();
    }
}

/// Each attachment of an attachment list: its name and `FileLoc`.
fn attachment_list(xml: &[u8]) -> std::result::Result<Vec<(String, String)>, String> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_reader(xml);
    let (mut name, mut in_loc, mut out, mut buf) = (None, false, Vec::new(), Vec::new());
    loop {
        match reader.read_event_into(&mut buf).map_err(|e| e.to_string())? {
            Event::Start(e) if e.local_name().as_ref() == "Attachment" => {
                let attr = e.try_get_attribute("Name").map_err(|e| e.to_string())?;
                name = attr.map(|a| a.normalized_value(quick_xml::XmlVersion::Explicit1_0).map(|v| v.into_owned())).transpose().map_err(|e| e.to_string())?;
            }
            Event::Start(e) => in_loc = e.local_name().as_ref() == "FileLoc",
            Event::Text(t) if in_loc => {
                if let Some(n) = name.take() {
                    out.push((n, t.xml10_content().trim().to_string()));
                }
            }
            Event::End(_) => in_loc = false,
            Event::Eof => return Ok(out),
            _ => {}
        }
        buf.clear();
    }
}
