//! One number from preview to archive. Each series (工作简报, 季度汇总) is numbered within its
//! year. A period published from the data it has now shows its archived number, date and
//! correction; any other period shows the number publishing will give it, in period order
//! after the published ones, marked 待签发; a published period whose data changed since shows
//! the number a correction would get.

use std::collections::BTreeMap;

use super::manifest::{Entry, Input, Manifest};
use crate::checked::Checked;
use crate::documents::{self, Numbering, Settings};
use crate::inputs::Inputs;
use crate::period::Period;
use crate::series::Series;

/// The number, date and state of every numbered document of a build, from the archive's
/// manifest and the data as it is now.
pub fn numbering(manifest: &Manifest, c: &Checked, inputs: &Inputs) -> Numbering {
    let mut n = Numbering::default();
    let months: Vec<(String, Period)> = documents::months(&c.reports).into_iter().map(|p| (p.to_string(), p)).collect();
    let quarters: Vec<(String, Period)> = documents::quarters(&c.reports).into_iter().map(|(q, as_of)| (q.to_string(), as_of)).collect();
    for (series, periods) in [(Series::Bulletin, months), (Series::Summary, quarters)] {
        let mut years: BTreeMap<u16, Vec<(String, Period)>> = BTreeMap::new();
        for (key, last) in periods {
            years.entry(last.year).or_default().push((key, last));
        }
        for (year, periods) in years {
            number_year(&mut n, manifest, c, inputs, series, year, &periods);
        }
    }
    n
}

fn number_year(n: &mut Numbering, manifest: &Manifest, c: &Checked, inputs: &Inputs, series: Series, year: u16, periods: &[(String, Period)]) {
    let mut next = manifest.next_number(series, year);
    for (key, last) in periods {
        if manifest.is_skipped(series, key) {
            n.set(series, key, Settings { skipped: true, ..Settings::default() });
            continue;
        }
        let published = manifest.latest(series, key);
        let settings = match published {
            Some(e) if same_data(e, &data_inputs(c, inputs, series, *last)) => {
                Settings { number: e.number, date: Some(e.published.tuple()), corrects: e.corrects, ..Settings::default() }
            }
            _ => {
                let s = Settings { number: next, pending: true, corrects: published.map(|e| e.number), ..Settings::default() };
                next += 1;
                s
            }
        };
        n.set(series, key, settings);
    }
}

/// The data a document of `series` standing at `last` is made from: its feeding workbooks,
/// a bulletin's pieces, the plan and the configuration, with their hashes (the manifest's
/// data kinds, `Input::is_data`).
pub fn data_inputs(c: &Checked, inputs: &Inputs, series: Series, last: Period) -> Vec<Input> {
    let mut used = Vec::new();
    for r in crate::aggregate::feeding(&c.reports, last) {
        if let Some(f) = inputs.workbook(&r.file) {
            used.push(Input { kind: "workbook".into(), path: f.rel.clone(), sha256: f.sha256.clone(), sm3: String::new() });
        }
    }
    if series == Series::Bulletin {
        for p in crate::pieces::of_month(&c.pieces, last) {
            used.push(Input { kind: "piece".into(), path: p.file.clone(), sha256: p.sha256.clone(), sm3: String::new() });
            for (path, sha256) in &p.photo_files {
                used.push(Input { kind: "piece".into(), path: path.clone(), sha256: sha256.clone(), sm3: String::new() });
            }
        }
    }
    used.push(Input { kind: "plan".into(), path: inputs.plan.rel.clone(), sha256: inputs.plan.sha256.clone(), sm3: String::new() });
    if let Some(f) = &inputs.config {
        used.push(Input { kind: "config".into(), path: f.rel.clone(), sha256: f.sha256.clone(), sm3: String::new() });
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
