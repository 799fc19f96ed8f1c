//! A new document kind is one new type plus its registration: a kind defined here, and only
//! here, is made for every month with reports, named by its own id, held back by an error in a
//! workbook its month shows, and made as a draft with `--draft`, through `documents::all_of`.

use jianbao::checked::Checked;
use jianbao::documents::{self, kinds::Context, kinds::Templates, Document, Kind, Numbering, Settings};
use jianbao::period::{Period, Span};

use crate::common::copy_project;

/// A toy kind: for each month, the townships that reported, one a line.
struct Roll;

impl Kind for Roll {
    fn spans(&self, c: &Checked, only: Option<Period>) -> Vec<Span> {
        documents::months(&c.reports).into_iter().filter(|p| only.is_none_or(|o| o == *p)).map(Span::Month).collect()
    }
    fn id(&self, _: &Checked, span: Span) -> String {
        format!("{}/报送名单", span.end().unwrap())
    }
    fn shows(&self, _: &Checked, span: Span) -> Vec<Period> {
        span.end().into_iter().collect()
    }
    fn templates(&self) -> Option<Templates> {
        None
    }
    fn make(&self, cx: &Context, span: Span, s: Settings) -> jianbao::error::Result<Option<Document>> {
        let Span::Month(p) = span else { return Ok(None) };
        let id = self.id(cx.checked, span);
        let mut names: Vec<&str> = cx.checked.reports.iter().filter(|r| r.period == p).map(|r| r.township.as_str()).collect();
        names.sort();
        let text = format!("{}{}\n", if s.draft { "草稿\n" } else { "" }, names.join("\n"));
        Ok(Some(Document {
            title: format!("{}报送名单", p.chinese()),
            files: vec![(format!("{id}.txt"), text.into_bytes())],
            id,
            prepared: None,
            draft: false,
        }))
    }
}

fn made(opts: &jianbao::Options, draft: bool) -> documents::Made {
    let inputs = jianbao::inputs::Inputs::read(&opts.data, &opts.out, None, None).unwrap();
    let planned = jianbao::plan_documents(opts, &inputs).unwrap();
    let cx = Context { engine: &planned.engine, checked: &planned.checked, boards: &[] };
    documents::all_of(&[&Roll], &cx, None, draft, &Numbering::default()).unwrap()
}

#[test]
fn a_kind_registered_alone_is_made_held_back_and_drafted_by_the_registry() {
    let (_dir, opts) = copy_project();
    let all = made(&opts, false);
    // The sample has 15 months with reports: 2018's twelve and 2019's first three.
    let ids: Vec<&str> = all.documents.iter().map(|d| d.id.as_str()).collect();
    assert_eq!(ids.len(), 15, "{ids:?}");
    assert!(ids.contains(&"2018-03/报送名单") && ids.contains(&"2019-03/报送名单"));
    let march = all.documents.iter().find(|d| d.id == "2019-03/报送名单").unwrap();
    let text = String::from_utf8(march.files[0].1.clone()).unwrap();
    assert_eq!(text.lines().count(), 10, "the sample's ten townships: {text}");
    assert!(text.lines().any(|l| l == "南村乡"));

    // An error in 南村乡's March 2019 workbook (it came empty) holds back March's only.
    std::fs::write(opts.data.join("submissions/2019-03/南村乡2019年3月报表.xlsx"), b"").unwrap();
    let held = made(&opts, false);
    assert_eq!(held.held.keys().collect::<Vec<_>>(), ["2019-03/报送名单"]);
    assert_eq!(held.documents.len(), 14);
    // A draft makes it, marked as one.
    let draft = made(&opts, true);
    let march = draft.documents.iter().find(|d| d.id == "2019-03/报送名单").expect("made as a draft");
    assert!(march.draft && march.files[0].1.starts_with("草稿".as_bytes()));
    assert!(!draft.documents.iter().find(|d| d.id == "2019-02/报送名单").unwrap().draft);
}
