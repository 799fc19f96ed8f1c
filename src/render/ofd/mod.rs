//! OFD (GB/T 33190-2016) from the same typeset pages as the PDF: text as text objects in
//! embedded font subsets, rules and bars as paths, the document's metadata, an outline from
//! its bookmarked headings. Beside an archival PDF it is an OFD-A (GB/T 42133-2022): it says
//! so in `DocType` and leaves out what the archival profile drops (keywords, attachments).

mod font;
mod outline;
mod page;
mod res;
mod xml;

use std::io::Write;

use typst::model::Document as _;
use typst_layout::PagedDocument;
use zip::write::SimpleFileOptions;

use page::{PageWriter, MM};
use res::{Ids, Resources};
use xml::{nums, Xml};

/// What the pages do not say: the document's date, its identity and whether it is archived.
pub struct OfdMeta<'a> {
    /// How the document is named in messages; its `DocID` is made from it.
    pub label: &'a str,
    /// The document's date (`CreationDate`).
    pub date: (u16, u8, u8),
    /// An OFD-A for the archive: the files the document is made from travel in the archival
    /// PDF (PDF/A-3 allows that), not here, as the OFD archival profile asks.
    pub archival: bool,
}

/// The OFD package of a typeset document.
pub fn write(doc: &PagedDocument, meta: &OfdMeta) -> Result<Vec<u8>, String> {
    let mut ids = Ids::default();
    let page_ids: Vec<u32> = doc.pages().iter().map(|_| ids.next()).collect();
    let mut res = Resources::new(&mut ids);
    let first = doc.pages().first().map_or([0.0, 0.0, 210.0, 297.0], |p| area(&p.frame));
    let mut parts: Vec<(String, Vec<u8>)> = Vec::new();
    for (i, p) in doc.pages().iter().enumerate() {
        let own = area(&p.frame);
        let mut w = PageWriter { ids: &mut ids, res: &mut res, xml: Xml::new() };
        w.page(&p.frame, p.fill_or_transparent().as_ref(), (own != first).then_some(own))?;
        parts.push((format!("Doc_0/Pages/Page_{i}/Content.xml"), w.xml.finish()));
    }
    let (public, files) = res.write()?;
    parts.push(("Doc_0/PublicRes.xml".into(), public));
    parts.extend(files.into_iter().map(|(name, bytes)| (format!("Doc_0/Res/{name}"), bytes)));
    let document = document(doc, &ids, first, &page_ids);
    parts.insert(0, ("Doc_0/Document.xml".into(), document));
    parts.insert(0, ("OFD.xml".into(), ofd_xml(doc, meta)));
    package(&parts).map_err(|e| format!("OFD 文件无法写出（{e}）"))
}

/// A page's physical box in millimetres.
fn area(frame: &typst::layout::Frame) -> [f64; 4] {
    [0.0, 0.0, frame.width().to_pt() * MM, frame.height().to_pt() * MM]
}

/// `OFD.xml`: the entry, with the document's metadata (as the PDF has it).
fn ofd_xml(doc: &PagedDocument, meta: &OfdMeta) -> Vec<u8> {
    let info = doc.info();
    let (y, m, d) = meta.date;
    let date = format!("{y:04}-{m:02}-{d:02}");
    let id = crate::setup::inputs::sha256(format!("jianbao/{}", meta.label).as_bytes());
    let title = info.title.as_deref().unwrap_or(meta.label);
    let mut x = Xml::new();
    let doc_type = if meta.archival { "OFD-A" } else { "OFD" };
    x.open("OFD", &[("Version", "1.0"), ("DocType", doc_type)]).open("DocBody", &[]).open("DocInfo", &[]);
    x.leaf("DocID", &[], &id[..32]).leaf("Title", &[], title);
    if !info.author.is_empty() {
        x.leaf("Author", &[], &info.author.join("、"));
    }
    x.leaf("Subject", &[], info.description.as_deref().unwrap_or(title));
    x.leaf("CreationDate", &[], &date).leaf("ModDate", &[], &date).leaf("DocUsage", &[], "Normal");
    if !info.keywords.is_empty() && !meta.archival {
        x.open("Keywords", &[]);
        for k in &info.keywords {
            x.leaf("Keyword", &[], k);
        }
        x.close("Keywords");
    }
    x.leaf("Creator", &[], "jianbao").leaf("CreatorVersion", &[], env!("CARGO_PKG_VERSION"));
    x.close("DocInfo").leaf("DocRoot", &[], "Doc_0/Document.xml").close("DocBody").close("OFD");
    x.finish()
}

/// `Doc_0/Document.xml`: the page tree, the resources and the outline.
fn document(doc: &PagedDocument, ids: &Ids, first: [f64; 4], pages: &[u32]) -> Vec<u8> {
    let mut x = Xml::new();
    x.open("Document", &[]).open("CommonData", &[]).leaf("MaxUnitID", &[], &ids.max().to_string());
    x.open("PageArea", &[]).leaf("PhysicalBox", &[], &nums(&first)).close("PageArea");
    x.leaf("PublicRes", &[], "PublicRes.xml").close("CommonData").open("Pages", &[]);
    for (i, id) in pages.iter().enumerate() {
        x.empty("Page", &[("ID", &id.to_string()), ("BaseLoc", &format!("Pages/Page_{i}/Content.xml"))]);
    }
    x.close("Pages");
    outline::write(&mut x, doc, pages);
    x.close("Document");
    x.finish()
}

/// The ZIP container: fixed order, fixed dates, a fixed "made by" system and permissions, so
/// that the same document gives the same bytes on Windows, Linux and ARM64.
fn package(parts: &[(String, Vec<u8>)]) -> zip::result::ZipResult<Vec<u8>> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default()
        .system(zip::System::Unix)
        .unix_permissions(0o644)
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::default());
    for (name, bytes) in parts {
        zip.start_file(name.as_str(), options)?;
        zip.write_all(bytes)?;
    }
    Ok(zip.finish()?.into_inner())
}
