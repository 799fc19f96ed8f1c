//! Files an archived PDF carries (PDF/A-3 attachments): its figures, the typst sources of its
//! text, and the workbooks, pieces, plan and configuration it was made from, byte for byte.

use std::collections::BTreeMap;

use crate::base::error::{Error, Result};

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
