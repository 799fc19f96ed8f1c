//! One number from preview to archive. Each series (工作简报, 季度汇总) is numbered within its
//! year. A period published from the data it has now shows its archived number, date and
//! correction; any other period shows the number publishing will give it, in period order
//! after the published ones, marked 待签发; a published period whose data changed since shows
//! the number a correction would get.

use std::collections::BTreeMap;

use super::manifest::{Entry, Input, InputKind, Manifest};
use crate::base::period::Span;
use crate::documents::{self, kinds::Registry, Kind, Numbering, Settings};
use crate::figures::checked::Checked;
use crate::setup::inputs::Inputs;

/// The number, date and state of every numbered document of a build, from the archive's
/// manifest and the data as it is now.
pub fn numbering(manifest: &Manifest, c: &Checked, inputs: &Inputs, kinds: Registry) -> Numbering {
    let mut n = Numbering::default();
    for kind in kinds {
        let mut years: BTreeMap<u16, Vec<Span>> = BTreeMap::new();
        for span in kind.spans(c, None) {
            if let Some(last) = documents::stands_at(c, span) {
                years.entry(last.year).or_default().push(span);
            }
        }
        for (year, periods) in years {
            number_year(&mut n, manifest, c, inputs, *kind, year, &periods);
        }
    }
    n
}

/// Numbers the periods of one year of a published kind's series.
fn number_year(n: &mut Numbering, manifest: &Manifest, c: &Checked, inputs: &Inputs, kind: &dyn Kind, year: u16, periods: &[Span]) {
    let Some((series, _)) = kind.published() else { return };
    let mut next = manifest.next_number(series, year);
    for key in periods {
        if manifest.is_skipped(series, *key) {
            n.set(series, *key, Settings { skipped: true, ..Settings::default() });
            continue;
        }
        let published = manifest.latest(series, *key);
        let settings = match published {
            Some(e) if same_data(e, &data_inputs(c, inputs, kind, *key)) => {
                Settings { number: e.number, date: Some(e.published.tuple()), corrects: e.corrects, ..Settings::default() }
            }
            _ => {
                let s = Settings { number: next, pending: true, corrects: published.map(|e| e.number), ..Settings::default() };
                next += 1;
                s
            }
        };
        n.set(series, *key, settings);
    }
}

/// Where a pending correction is said: the archive, at the document's id (`归档 › 2025-10/工作简报-2025年10月`).
pub const ARCHIVE: &str = "归档";

/// The code of a pending correction, which the build summary, `status` and 结果一览 look for.
pub const CORRECTION_PENDING: &str = "W-CORRECTION-PENDING";

/// W-CORRECTION-PENDING, one for each published document whose data changed since: which
/// issue, what changed, what `out/` now shows, and the command that issues the correction.
pub fn pending_corrections(manifest: &Manifest, c: &Checked, inputs: &Inputs, kinds: Registry) -> Vec<crate::base::diag::Diagnostic> {
    let mut out = Vec::new();
    for kind in kinds {
        for span in kind.spans(c, None) {
            out.extend(pending_correction(manifest, c, inputs, *kind, span));
        }
    }
    out
}

/// W-CORRECTION-PENDING for one published document, if its data changed since.
fn pending_correction(
    manifest: &Manifest,
    c: &Checked,
    inputs: &Inputs,
    kind: &dyn Kind,
    span: crate::base::period::Span,
) -> Option<crate::base::diag::Diagnostic> {
    let (series, flag) = kind.published()?;
    documents::stands_at(c, span)?;
    let (key, id) = (span, kind.id(c, span));
    let e = manifest.latest(series, span).filter(|_| !manifest.is_skipped(series, span))?;
    let now = data_inputs(c, inputs, kind, span);
    if same_data(e, &now) {
        return None;
    }
    // What changed in its data (not the program's templates and fonts).
    let data_only = Entry { inputs: e.inputs.iter().filter(|i| i.is_data()).cloned().collect(), ..e.clone() };
    let changes = super::manifest::changes(&data_only, &now, &e.jianbao);
    let msg = format!(
        "已签发的{}（{}，{}签发）此后输入有变化：{}。out/ 中的这份文件已是更正期的样子（待签发）。如需更正，请运行 jianbao publish {flag} {key} --date 签发日期 --correction；不更正的，归档中的{}仍有效。",
        id.rsplit('/').next().unwrap_or(&id),
        e.issue_label(),
        e.published,
        changes.join("；"),
        e.issue_label()
    );
    Some(crate::base::diag::Diagnostic::warning(CORRECTION_PENDING, ARCHIVE, msg).at_sheet(&id))
}

/// The data a document of `kind` for `span` is made from: its workbooks (`Kind::workbooks`),
/// the pieces it prints, the plan and the configuration, with their hashes (the manifest's
/// data kinds, `Input::is_data`).
pub fn data_inputs(c: &Checked, inputs: &Inputs, kind: &dyn Kind, span: Span) -> Vec<Input> {
    let mut used = Vec::new();
    for file in kind.workbooks(c, span) {
        if let Some(f) = inputs.workbook(&file) {
            used.push(Input { kind: InputKind::Workbook, path: f.rel.clone(), sha256: f.sha256.clone(), sm3: String::new() });
        }
    }
    if let Some(last) = documents::stands_at(c, span).filter(|_| kind.prints_pieces()) {
        for p in crate::reading::pieces::of_month(&c.pieces, last) {
            used.push(Input { kind: InputKind::Piece, path: p.file.clone(), sha256: p.sha256.clone(), sm3: String::new() });
            for (path, sha256) in &p.photo_files {
                used.push(Input { kind: InputKind::Piece, path: path.clone(), sha256: sha256.clone(), sm3: String::new() });
            }
        }
    }
    used.push(Input { kind: InputKind::Plan, path: inputs.plan.rel.clone(), sha256: inputs.plan.sha256.clone(), sm3: String::new() });
    if let Some(f) = &inputs.config {
        used.push(Input { kind: InputKind::Config, path: f.rel.clone(), sha256: f.sha256.clone(), sm3: String::new() });
    }
    used.sort();
    used
}

/// Whether a published document was made from exactly this data.
fn same_data(e: &Entry, now: &[Input]) -> bool {
    let mut then: Vec<&Input> = e.inputs.iter().filter(|i| i.is_data()).collect();
    then.sort();
    then.len() == now.len() && then.iter().zip(now).all(|(a, b)| a.same(b))
}
