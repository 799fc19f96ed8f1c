//! Fuzz target: any bytes through the workbook reader give diagnostics, never a panic, a hang
//! or unbounded memory. Run: `cargo +nightly fuzz run read_workbook -s none -- -max_total_time=600`.
#![no_main]

use std::sync::OnceLock;

use jianbao::plan::Plan;
use libfuzzer_sys::fuzz_target;

fn plan() -> &'static Plan {
    static PLAN: OnceLock<Plan> = OnceLock::new();
    PLAN.get_or_init(|| Plan::parse(include_str!("../../data/plan.yaml")).expect("bundled plan"))
}

fuzz_target!(|data: &[u8]| {
    // The reader catches panics inside the spreadsheet parser and reports the file as
    // unreadable; keep libfuzzer-sys's aborting hook from firing for those. Panics that
    // escape the reader still abort through libfuzzer-sys's own catch.
    static QUIET: std::sync::Once = std::sync::Once::new();
    QUIET.call_once(|| std::panic::set_hook(Box::new(|_| {})));
    let read = jianbao::submission::read(data, "fuzz.xlsx", plan());
    let (report, diags) = (read.report, read.diagnostics);
    // Either a report, or at least one error saying why not.
    assert!(report.is_some() || diags.iter().any(|d| d.severity == jianbao::diag::Severity::Error));
});
