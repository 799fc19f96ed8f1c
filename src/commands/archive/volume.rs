//! 合订本: a year's published bulletins and summaries bound in one PDF/A volume, in number
//! order: a cover, a 目录 with each document's number, title and page, the documents set again
//! from the typst sources each archived copy carries (so their text is the published text),
//! page numbers running through the volume, and a bookmark for each document.

use serde::Serialize;

use super::anchor::{Anchor, ANCHOR};
use super::attach::Attachment;
use super::manifest::{Entry, Input, InputKind, Manifest};
use super::{against_previous, attachments, entry_attachment, folder, new_entry, program, program_inputs, render_and_record, Outcome, Request, SOURCES};
use crate::base::error::{Error, Result};
use crate::base::period::Date;
use crate::base::series::Series;
use crate::documents::{self, kinds::Registry};
use crate::render::tables::PdfMeta;
use crate::render::{Engine, Prepared};
use crate::setup::config::Config;
use crate::setup::inputs::{sha256, sm3};
use crate::setup::options::Options;

pub const MAIN: &str = "volume.typ";

/// The volume's own data (`/volume.json`): its cover and 版记, and the documents bound in it.
#[derive(Serialize)]
struct View<'a> {
    title: &'a str,
    year: String,
    masthead: &'a str,
    office: &'a str,
    date: String,
    keywords: [&'a str; 4],
    docs: Vec<Doc>,
    /// The 归档核对 page.
    anchor: &'a Anchor,
}

/// A bound document: its main file.
#[derive(Serialize)]
struct Doc {
    main: String,
}

/// The templates a volume is set with: those of every published kind, and its own.
fn bound_templates(kinds: Registry) -> Vec<&'static str> {
    let published = kinds.iter().filter(|k| k.published().is_some() && k.in_volume()).filter_map(|k| k.templates());
    let mut names: Vec<&str> = published.flat_map(|t| t.files.iter().copied()).chain([MAIN]).collect();
    names.sort_unstable();
    names.dedup();
    names
}

/// The main template an archived document of `series` is set again with: its kind's.
fn main_template(kinds: Registry, series: Series) -> Result<&'static str> {
    let kind = documents::kinds::of_series(kinds, series).and_then(|k| k.templates());
    kind.map(|t| t.main).ok_or_else(|| Error::Archive { msg: format!("归档中的“{series}”不是可装订的文件") })
}

/// Binds the archived documents of `year` (see the module).
pub(super) fn bind(engine: &Engine, config: &Config, (year, kinds): (u16, Registry), req: &Request, date: Date, opts: &Options) -> Result<Outcome> {
    let archive = folder(&opts.out);
    let manifest = Manifest::load(&archive)?;
    let mut entries: Vec<&Entry> =
        manifest.entries.iter().filter(|e| e.year == year && documents::kinds::of_series(kinds, e.series).is_some_and(|k| k.in_volume())).collect();
    // Bulletins, then summaries (the order of `Series`), each in number order.
    entries.sort_by_key(|e| (e.series, e.number));
    if entries.is_empty() {
        return Ok(Outcome::NoData);
    }
    let mut used = program_inputs(engine, &bound_templates(kinds))?;
    let mut generated = Vec::new();
    let mut docs = Vec::new();
    for (i, e) in entries.iter().enumerate() {
        let pdf = std::fs::read(crate::base::output::under(&archive, &e.file))
            .map_err(|err| Error::io("读取归档文件", &crate::base::output::under(&archive, &e.file), err))?;
        if sha256(&pdf) != e.sha256 {
            return Err(Error::Archive { msg: format!("归档文件 {} 已被改动，不能装订。请运行 jianbao verify 检查归档。", e.file) });
        }
        used.push(Input { kind: InputKind::Document, path: e.file.clone(), sha256: e.sha256.clone(), sm3: sm3(&pdf) });
        let dir = format!("/docs/{:02}", i + 1);
        let main = main_template(kinds, e.series)?;
        generated.push((format!("{dir}/{main}"), engine.template(main)?.as_bytes().to_vec()));
        for (path, bytes) in sources(e, &pdf, &dir)? {
            // Photos are named by their content: one copy serves every document that sets it.
            if !generated.iter().any(|(p, _)| *p == path) {
                generated.push((path, bytes));
            }
        }
        docs.push(Doc { main: format!("{dir}/{main}") });
    }
    used.sort();
    let corrects = match against_previous(&manifest, req, &used, &program(&opts.program)) {
        Ok(corrects) => corrects,
        Err(outcome) => return Ok(*outcome),
    };
    if let Some(msg) = super::dates::refused(&manifest, req.target, date, corrects, Date::from_clock()) {
        return Ok(Outcome::BadDate { msg });
    }
    let title = format!("{year}年{}合订本", config.masthead);
    let anchor = Anchor::new(&manifest, &entries);
    let year_label = format!("{year}年");
    let volume = View {
        title: &title,
        year: year_label.clone(),
        masthead: &config.masthead,
        office: &config.office,
        date: crate::base::format::date(date.year, date.month, date.day),
        keywords: [&config.work, Series::Volume.name(), &year_label, &config.office],
        docs,
        anchor: &anchor,
    };
    generated.push(("/volume.json".to_string(), crate::render::tables::to_data_json(&volume)));
    let ofd = crate::setup::config::wants_ofd(opts.formats.as_deref(), config);
    let entry = new_entry(req, &manifest, corrects, &title, date, &opts.program, used, ofd);
    let prepared = Prepared::new(format!("{year} 合订本"), MAIN, &["gongwen.typ", MAIN], generated, date.tuple());
    let anchor_bytes = serde_json::to_vec_pretty(&anchor).expect("serialisable");
    let files = [entry_attachment(&entry), Attachment::new(ANCHOR, anchor_bytes, "data", "合订本所收各期的 SM3 和装订时的登记链末端")];
    render_and_record(engine, &archive, manifest, entry, prepared, &files)
}

/// The typst sources an archived document carries, under `dir`: its data (told it is in a
/// volume, and what its bookmark says) and its text; and its pieces' photos where its data
/// names them (`/photos/<SHA-256>.jpg`, the same path in every document).
fn sources(e: &Entry, pdf: &[u8], dir: &str) -> Result<Vec<(String, Vec<u8>)>> {
    let attached = attachments(pdf)?;
    let missing = || Error::Archive { msg: format!("归档文件 {} 没有附带排版数据（{SOURCES}），无法装订。", e.file) };
    let data = attached.get(&format!("{SOURCES}data.json")).ok_or_else(missing)?;
    let narrative = attached.get(&format!("{SOURCES}narrative.typ")).ok_or_else(missing)?;
    // The archived data, as it was (whichever version wrote it), with its metadata told where
    // it is: in the 目录 and the bookmarks, the series (for summaries), number and correction.
    let mut data: serde_json::Map<String, serde_json::Value> = serde_json::from_slice(data).map_err(|_| missing())?;
    let mut meta: PdfMeta = data.get("meta").cloned().and_then(|m| serde_json::from_value(m).ok()).ok_or_else(missing)?;
    meta.issue = e.issue_label();
    meta.bookmark = Some(format!("{}　{}", meta.issue, e.title));
    meta.volume = true;
    data.insert("meta".into(), serde_json::to_value(meta).expect("serialisable"));
    let mut out = vec![(format!("{dir}/data.json"), crate::render::tables::to_data_json(&data)), (format!("{dir}/narrative.typ"), narrative.clone())];
    let photos = format!("{SOURCES}photos/");
    out.extend(attached.iter().filter(|(name, _)| name.starts_with(&photos)).map(|(name, bytes)| (format!("/{}", &name[SOURCES.len()..]), bytes.clone())));
    Ok(out)
}
