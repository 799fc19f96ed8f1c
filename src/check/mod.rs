//! The check stage: reads the plan and every workbook and piece, validates them, and checks
//! that the fonts can print every character (`Checked`); also the blank workbooks for a month.

use std::path::PathBuf;

use crate::base::period::Period;
use crate::base::{error, output};
use crate::figures::checked::Checked;
use crate::office::{excel, forms};
use crate::reading::{load, pieces};
#[cfg(feature = "render")]
use crate::render;
use crate::setup::inputs::Inputs;
use crate::setup::options::Options;
use crate::setup::plan::{self, Plan};
use crate::validate;
use error::Result;

/// Load and validate: every problem in the data, all at once (including characters that
/// the fonts cannot print). No template is needed.
pub fn check(opts: &Options) -> Result<Checked> {
    let inputs = Inputs::read(&opts.data, &opts.out, opts.templates.as_deref(), opts.fonts.as_deref())?;
    #[cfg(feature = "render")]
    {
        let fonts = render::Fonts::for_run(&inputs, opts.system_fonts)?;
        check_with(&inputs, &fonts)
    }
    #[cfg(not(feature = "render"))]
    check_with(&inputs)
}

/// Writes the blank submission workbooks for `period` (one township, or all) into
/// `out/templates/<YYYY-MM>/<乡镇>.xlsx`, pre-filled from the plan and earlier reports.
pub fn templates(opts: &Options, period: Period, township: Option<&str>) -> Result<Vec<PathBuf>> {
    let checked = check(opts)?;
    let plan = &checked.plan;
    let towns: Vec<&String> = match township {
        Some(t) => match plan.townships.iter().find(|p| p.as_str() == t).or_else(|| plan.township_from_short(t)) {
            Some(p) => vec![p],
            None => {
                let msg = format!("乡镇“{t}”不在规划数据中。可选：{}", plan.townships.join("、"));
                return Err(error::Error::Usage { msg });
            }
        },
        None => plan.townships.iter().collect(),
    };
    let mut batch = output::Batch::default();
    for t in towns {
        let bytes =
            forms::workbook(plan, &checked.config, t, period, &checked.reports).map_err(|e| excel::xlsx_error("空白报表", e)).and_then(excel::portable)?;
        batch.add(opts.out.join("templates").join(period.to_string()).join(format!("{t}.xlsx")), bytes);
    }
    batch.commit()
}

pub(crate) fn check_with(inputs: &Inputs, #[cfg(feature = "render")] fonts: &render::Fonts) -> Result<Checked> {
    let plan = Plan::from_bytes(&inputs.plan.bytes).map_err(|msg| error::Error::Plan { path: inputs.plan.path.clone(), msg })?;
    let config = inputs.settings.clone().for_plan(&plan);
    let mut diagnostics = plan::check(&plan);
    diagnostics.extend(inputs.skipped.iter().cloned());
    let loaded = load::parse_all(&inputs.submissions, &inputs.refused, &plan);
    diagnostics.extend(loaded.diagnostics);
    let files = loaded.files;
    let mut reports = loaded.reports;
    diagnostics.extend(validate::validate(&plan, &config, &mut reports));
    let (mut xun, xun_files) = (loaded.xun, loaded.xun_files);
    diagnostics.extend(validate::xun::validate(&mut xun, &reports));
    let months: Vec<crate::base::period::Period> = reports.iter().map(|r| r.period).collect();
    let (pieces, notes) = pieces::read(&inputs.pieces, &plan, &months);
    diagnostics.extend(notes);
    diagnostics.extend(inputs.refused.iter().filter(|r| pieces::in_folder(&r.rel)).map(|r| r.diagnostic()));
    diagnostics.extend(pieces::without_bulletin(&pieces, &reports));
    #[cfg(feature = "render")]
    {
        diagnostics.extend(render::coverage::check(fonts.book(), fonts.roles(), &reports, &xun));
        diagnostics.extend(render::coverage::check_pieces(fonts.book(), fonts.roles(), &pieces));
        for name in fonts.missing() {
            let msg = format!("本机未安装配置的字体“{name}”，改用附带的 Fandol 字体。");
            diagnostics.push(crate::base::diag::Diagnostic::note("N-FONT", "config.yaml", msg));
        }
    }
    let mut diagnostics = validate::once_across_months(diagnostics, &reports);
    diagnostics.sort();
    diagnostics.dedup();
    // Every file read: the workbooks (and files that claim to be reports) and the pieces.
    let files_read = loaded.files_read + inputs.pieces.len();
    Ok(Checked { plan, config, reports, files, diagnostics, files_read, pieces, xun, xun_files })
}
