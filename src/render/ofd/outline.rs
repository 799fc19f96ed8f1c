//! The OFD outline (`Outlines`): the document's bookmarked headings and captions, nested by
//! level, each going to its place on its page, as the PDF's bookmarks do.

use typst::foundations::{NativeElement, Packed, StyleChain};
use typst::introspection::Introspector as _;
use typst::model::{HeadingElem, OutlineNode};
use typst_layout::PagedDocument;

use super::page::MM;
use super::xml::{num, Xml};

/// Writes `Outlines` into `Document.xml`, if the document has any bookmarks.
pub fn write(x: &mut Xml, doc: &PagedDocument, pages: &[u32]) {
    let elems = doc.introspector().query(&HeadingElem::ELEM.select());
    let flat = elems.iter().filter_map(|e| {
        let h = e.to_packed::<HeadingElem>()?;
        let marked = h.bookmarked.get(StyleChain::default()).unwrap_or_else(|| h.outlined.get(StyleChain::default()));
        Some((h, h.resolve_level(StyleChain::default()), marked))
    });
    let tree = OutlineNode::build_tree(flat);
    if tree.is_empty() {
        return;
    }
    x.open("Outlines", &[]);
    for node in &tree {
        elem(x, doc, pages, node);
    }
    x.close("Outlines");
}

fn elem(x: &mut Xml, doc: &PagedDocument, pages: &[u32], node: &OutlineNode<&Packed<HeadingElem>>) {
    let h = node.entry;
    let text = h.body.plain_text();
    let title = match &h.numbers {
        Some(n) => format!("{n} {text}"),
        None => text.to_string(),
    };
    x.open("OutlineElem", &[("Title", &title)]);
    // A heading whose place cannot be resolved keeps its entry and its sub-headings; only
    // the click action is left out.
    let place = h.location().and_then(|l| doc.introspector().position(l));
    if let Some((pos, page)) = place.and_then(|pos| Some((pos, pages.get(pos.page.get() - 1)?))) {
        x.open("Actions", &[]).open("Action", &[("Event", "CLICK")]).open("Goto", &[]);
        let (left, top) = (num(pos.point.x.to_pt() * MM), num(pos.point.y.to_pt() * MM));
        x.empty("Dest", &[("Type", "XYZ"), ("PageID", &page.to_string()), ("Left", &left), ("Top", &top)]);
        x.close("Goto").close("Action").close("Actions");
    }
    for child in &node.children {
        elem(x, doc, pages, child);
    }
    x.close("OutlineElem");
}
