//! A new document kind is one new type plus its registration: a kind defined here, and only
//! here, is made for every month with reports, named by its own id, held back by an error in a
//! workbook its month shows, and made as a draft with `--draft` (`documents::all_of`); and in a
//! registry of its own it is built, numbered, published, bound, verified and listed in 结果一览
//! by the commands (`build_in`, `publish_in`, `verify`).

use jianbao::archive::{self, Outcome, Request, Target};
use jianbao::checked::Checked;
use jianbao::documents::kinds::{self, Context, Registry, Templates};
use jianbao::documents::{self, Document, Kind, Numbering, Settings};
use jianbao::period::{Period, Span};
use jianbao::render::{tables::PdfMeta, Prepared};
use jianbao::series::Series;

use crate::common::copy_project;

/// A toy kind: for each month, the townships that reported, one a line; numbered and published
/// in the bulletins' series (`--period`), set with a template of its own (`roll.typ`).
struct Roll;

/// The toy's template, given in the templates folder of the options.
const ROLL_TYP: &str = r#"#import "/gongwen.typ": *
#let d = json("data.json")
#show: setup.with(draft: d.draft, meta: d.meta)
#doc-title(d.title)
#align(center, d.meta.issue)
#include "narrative.typ"
#for n in d.names [#n \ ]
"#;

/// A registry of the program's check report and 汇总表 and the toy in place of the bulletin.
const TOY: Registry = &[&kinds::CheckReport, &kinds::MonthTable, &Roll];

/// The township names of a month's reports, sorted.
fn names(c: &Checked, p: Period) -> Vec<&str> {
    let mut names: Vec<&str> = c.reports.iter().filter(|r| r.period == p).map(|r| r.township.as_str()).collect();
    names.sort();
    names
}

impl Kind for Roll {
    fn spans(&self, c: &Checked, only: Option<Period>) -> Vec<Span> {
        documents::months(&c.reports).into_iter().filter(|p| only.is_none_or(|o| o == *p)).map(Span::Month).collect()
    }
    fn id(&self, _: &Checked, span: Span) -> String {
        let p = span.end().unwrap();
        format!("{p}/报送名单-{}", p.chinese())
    }
    fn shows(&self, _: &Checked, span: Span) -> Vec<Period> {
        span.end().into_iter().collect()
    }
    fn published(&self) -> Option<(Series, &'static str)> {
        Some((Series::Bulletin, "--period"))
    }
    fn templates(&self) -> Option<Templates> {
        Some(Templates { main: "roll.typ", files: &["gongwen.typ", "roll.typ"], narrative: None })
    }
    fn make(&self, cx: &Context, span: Span, s: Settings) -> jianbao::error::Result<Vec<Document>> {
        let Span::Month(p) = span else { return Ok(Vec::new()) };
        let (id, title) = (self.id(cx.checked, span), format!("{}报送名单", p.chinese()));
        let names = names(cx.checked, p);
        let text = format!("{}{}\n", if s.draft { "草稿\n" } else { "" }, names.join("\n"));
        let meta = PdfMeta::new(&title, title.clone(), "县扶贫办", &["报送名单"], &format!("第{}期", s.number));
        let data = serde_json::json!({ "draft": s.draft, "meta": meta, "title": title, "names": names });
        let generated = vec![("/data.json".to_string(), serde_json::to_vec(&data).unwrap()), ("/narrative.typ".to_string(), Vec::new())];
        let date = s.date.unwrap_or((p.year, p.month, p.last_day()));
        Ok(vec![Document {
            prepared: Some(Prepared::new(id.clone(), "roll.typ", &["gongwen.typ", "roll.typ"], generated, date)),
            title,
            files: vec![(format!("{id}.txt"), text.into_bytes())],
            id,
            draft: false,
        }])
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
    assert!(ids.contains(&"2018-03/报送名单-2018年3月") && ids.contains(&"2019-03/报送名单-2019年3月"));
    let march = all.documents.iter().find(|d| d.id == "2019-03/报送名单-2019年3月").unwrap();
    let text = String::from_utf8(march.files[0].1.clone()).unwrap();
    assert_eq!(text.lines().count(), 10, "the sample's ten townships: {text}");
    assert!(text.lines().any(|l| l == "南村乡"));

    // An error in 南村乡's March 2019 workbook (it came empty) holds back March's only.
    std::fs::write(opts.data.join("submissions/2019-03/南村乡2019年3月报表.xlsx"), b"").unwrap();
    let held = made(&opts, false);
    assert_eq!(held.held.keys().collect::<Vec<_>>(), ["2019-03/报送名单-2019年3月"]);
    assert_eq!(held.documents.len(), 14);
    // A draft makes it, marked as one.
    let draft = made(&opts, true);
    let march = draft.documents.iter().find(|d| d.id == "2019-03/报送名单-2019年3月").expect("made as a draft");
    assert!(march.draft && march.files[0].1.starts_with("草稿".as_bytes()));
    assert!(!draft.documents.iter().find(|d| d.id == "2019-02/报送名单-2019年2月").unwrap().draft);
}

/// A publication of the toy's month `p`, signed on `date`.
fn roll(p: &str, date: &str) -> Request {
    Request { target: Target::Issue(&Roll, Span::Month(p.parse().unwrap())), date: Some(date.parse().unwrap()), correction: false, skip_earlier: false }
}

#[test]
fn a_kind_in_a_registry_of_its_own_is_built_numbered_published_bound_verified_and_listed() {
    let (dir, mut opts) = copy_project();
    let templates = dir.path().join("toy-templates");
    std::fs::create_dir_all(&templates).unwrap();
    std::fs::write(templates.join("roll.typ"), ROLL_TYP).unwrap();
    opts.templates = Some(templates);

    // Built: the registry's kinds, and no other (no bulletin, no summary).
    let built = jianbao::build_in(&opts, &jianbao::Quiet, TOY).unwrap();
    assert!(!built.has_errors(), "{:?}", built.diagnostics);
    let march = opts.out.join("2018-03/报送名单-2018年3月");
    assert!(std::fs::read(march.with_extension("pdf")).unwrap().starts_with(b"%PDF"));
    assert_eq!(std::fs::read_to_string(march.with_extension("txt")).unwrap().lines().count(), 10);
    assert!(!opts.out.join("2018-03/工作简报-2018年3月.pdf").exists() && !opts.out.join("2018-Q1").exists());
    // The sample's 15 months: a roll and a 汇总表 each, and the check report.
    assert_eq!(built.documents, 31);

    // A kind with no series is not published.
    let table = Request { target: Target::Issue(&kinds::MonthTable, Span::Month("2018-01".parse().unwrap())), ..roll("2018-01", "2018-02-05") };
    assert!(archive::publish_in(&opts, &table, TOY).unwrap_err().to_string().contains("不签发"));

    // Numbered and published in its series, in period order.
    let Outcome::Published { entry: jan, .. } = archive::publish_in(&opts, &roll("2018-01", "2018-02-05"), TOY).unwrap().outcome else { panic!("January") };
    assert_eq!((jan.series, jan.number, jan.period.to_string()), (Series::Bulletin, 1, "2018-01".to_string()));
    let early = archive::publish_in(&opts, &roll("2018-03", "2018-04-05"), TOY).unwrap().outcome;
    assert!(matches!(&early, Outcome::OutOfOrder { earlier } if earlier == &[Span::Month("2018-02".parse().unwrap())]), "{early:?}");
    let Outcome::Published { entry: feb, .. } = archive::publish_in(&opts, &roll("2018-02", "2018-03-05"), TOY).unwrap().outcome else { panic!("February") };
    assert_eq!(feb.number, 2);
    // Its PDF carries its data: the names of February's reports, worked out here.
    let pdf = std::fs::read(opts.out.join("archive").join(&feb.file)).unwrap();
    let attached = archive::attachments(&pdf).unwrap();
    let data: serde_json::Value = serde_json::from_slice(&attached[&format!("{}data.json", archive::SOURCES)]).unwrap();
    let inputs = jianbao::inputs::Inputs::read(&opts.data, &opts.out, None, None).unwrap();
    let checked = jianbao::plan_in(&opts, &inputs, TOY).unwrap().checked;
    assert_eq!(data["names"], serde_json::json!(names(&checked, "2018-02".parse().unwrap())));
    assert_eq!(data["meta"]["issue"], "第2期");

    // Bound: the volume sets both again with the toy's own template.
    let bind = Request { target: Target::Volume(2018), date: Some("2019-01-15".parse().unwrap()), correction: false, skip_earlier: false };
    let Outcome::Published { entry: volume, .. } = archive::publish_in(&opts, &bind, TOY).unwrap().outcome else { panic!("not bound") };
    let bound: Vec<&str> = volume.inputs.iter().filter(|i| i.kind == "document").map(|i| i.path.as_str()).collect();
    assert_eq!(bound, [jan.file.as_str(), feb.file.as_str()]);
    assert!(volume.inputs.iter().any(|i| i.kind == "template" && i.path.ends_with("roll.typ")), "{:?}", volume.inputs);

    // Verified.
    let v = archive::verify(&opts.out).unwrap();
    assert_eq!(v.listed, 3);
    assert!(v.missing.is_empty() && v.altered.is_empty() && v.unlisted.is_empty() && v.mismatched.is_empty(), "{v:?}");

    // Listed in 结果一览 with its issue.
    jianbao::build_in(&opts, &jianbao::Quiet, TOY).unwrap();
    let page = std::fs::read_to_string(opts.out.join(jianbao::overview::FILE)).unwrap();
    let row = page.split("<tr").find(|r| r.contains("报送名单-2018年2月")).expect("listed");
    assert!(row.contains("第2期") && row.contains("2018-03-05"), "{row}");
    assert!(!page.contains("工作简报-"));
}
