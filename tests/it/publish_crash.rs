//! A publication interrupted after each of its steps (the PDF staged, the manifest pending, the
//! PDF in place) leaves the archive as it was: `verify` reports the leftovers, and the next
//! publication finishes what was committed or rolls back what was not, so numbers stay unique
//! and the archive is complete. The test that sets the failure switch runs alone in a
//! child process: the switch is process-wide.

use crate::common;

use std::sync::atomic::Ordering;
use std::sync::Mutex;

use common::copy_project;
use jianbao::archive::{self, commit, manifest::Manifest, Outcome, Request, Target};

/// The tests of this binary one at a time: the failure switch is process-wide.
static SERIAL: Mutex<()> = Mutex::new(());

fn publish(opts: &jianbao::Options, period: &str, date: &str) -> jianbao::error::Result<archive::Publication> {
    let req = Request { target: Target::month(period.parse().unwrap()), date: Some(date.parse().unwrap()), correction: false, skip_earlier: false };
    archive::publish(opts, &req)
}

fn numbers(opts: &jianbao::Options) -> Vec<(String, u32)> {
    Manifest::load(&archive::folder(&opts.out)).unwrap().entries.iter().map(|e| (e.period.to_string(), e.number)).collect()
}

#[test]
fn an_interrupted_publication_is_finished_or_rolled_back_by_the_next() {
    // The failure switch is process-wide: nothing else may publish while it is set.
    if !common::in_own_process("publish_crash::an_interrupted_publication_is_finished_or_rolled_back_by_the_next") {
        return;
    }
    let _serial = SERIAL.lock().unwrap();
    for step in 1..=3u8 {
        let (_dir, opts) = copy_project();
        assert!(matches!(publish(&opts, "2018-01", "2018-02-05").unwrap().outcome, Outcome::Published { .. }));
        let manifest_before = std::fs::read(archive::folder(&opts.out).join("manifest.json")).unwrap();

        commit::FAIL_AFTER.store(step, Ordering::SeqCst);
        let failed = publish(&opts, "2018-02", "2018-03-05");
        commit::FAIL_AFTER.store(0, Ordering::SeqCst);
        assert!(failed.is_err(), "step {step}");
        // The manifest is untouched; what is left over is reported, never called 完好.
        assert_eq!(std::fs::read(archive::folder(&opts.out).join("manifest.json")).unwrap(), manifest_before, "step {step}");
        let v = archive::verify(&opts.out).unwrap();
        assert!(!v.is_clean() && !v.leftovers.is_empty(), "step {step}: {v:?}");

        // The next publication first finishes (the manifest was pending: steps 2 and 3) or
        // rolls back (step 1), then takes the next free number.
        // Committed, February is there and March follows; rolled back, February is published
        // again, with the number it would have had.
        let committed = step >= 2;
        let (period, date) = if committed { ("2018-03", "2018-04-05") } else { ("2018-02", "2018-04-06") };
        let next = publish(&opts, period, date).unwrap();
        assert!(matches!(next.outcome, Outcome::Published { .. }), "step {step}");
        assert_eq!(next.recovered.is_some(), committed, "step {step}: {:?}", next.recovered);
        let expected: Vec<(String, u32)> = if committed {
            vec![("2018-01".into(), 1), ("2018-02".into(), 2), ("2018-03".into(), 3)]
        } else {
            vec![("2018-01".into(), 1), ("2018-02".into(), 2)]
        };
        assert_eq!(numbers(&opts), expected, "step {step}");
        let v = archive::verify(&opts.out).unwrap();
        assert!(v.is_clean(), "step {step}: {v:?}");
    }
}

#[test]
fn a_pending_manifest_cut_short_by_a_full_disk_is_rolled_back() {
    let _serial = SERIAL.lock().unwrap();
    let (_dir, opts) = copy_project();
    assert!(matches!(publish(&opts, "2018-01", "2018-02-05").unwrap().outcome, Outcome::Published { .. }));
    let folder = archive::folder(&opts.out);
    // What a full disk leaves while the pending manifest is written: its first half.
    let manifest = std::fs::read(folder.join("manifest.json")).unwrap();
    std::fs::write(folder.join(commit::PENDING), &manifest[..manifest.len() / 2]).unwrap();
    std::fs::write(folder.join("2018").join(".jianbao-staged-第02期-x.pdf"), b"%PDF-1.7 half").unwrap();
    assert!(!archive::verify(&opts.out).unwrap().is_clean());
    let next = publish(&opts, "2018-02", "2018-03-05").unwrap();
    assert!(next.recovered.as_deref().is_some_and(|r| r.contains("已撤销")), "{:?}", next.recovered);
    assert_eq!(numbers(&opts), [("2018-01".to_string(), 1), ("2018-02".to_string(), 2)]);
    assert!(archive::verify(&opts.out).unwrap().is_clean());
}

#[test]
fn a_disk_that_fills_during_a_build_leaves_out_as_it_was() {
    // The full-disk switch is process-wide: this test runs alone.
    if !common::in_own_process("publish_crash::a_disk_that_fills_during_a_build_leaves_out_as_it_was") {
        return;
    }
    let _serial = SERIAL.lock().unwrap();
    let (_dir, opts) = copy_project();
    for first in [true, false] {
        if !first {
            // An earlier build is there, then a change that rebuilds a few months.
            jianbao::build(&opts).unwrap();
            let force = jianbao::Options { force: true, ..opts.clone() };
            let before = common::tree(&opts.out);
            jianbao::output::faults::disk_full_after(3);
            let failed = jianbao::build(&force);
            jianbao::output::faults::disk_full_after(usize::MAX);
            assert!(failed.is_err(), "the build reports the full disk");
            assert!(failed.unwrap_err().to_string().contains("磁盘空间已满"));
            let after = common::tree(&opts.out);
            assert!(before == after, "out/ is as it was: {:?}", changed(&before, &after));
            continue;
        }
        // No out/ at all: a failed first build leaves no folder, stamp or temporary.
        jianbao::output::faults::disk_full_after(3);
        let failed = jianbao::build(&opts);
        jianbao::output::faults::disk_full_after(usize::MAX);
        assert!(failed.is_err());
        if opts.out.exists() {
            let left: Vec<String> = walkdir::WalkDir::new(&opts.out).into_iter().filter_map(Result::ok).map(|e| e.path().display().to_string()).collect();
            assert!(left.len() <= 1, "left behind: {left:?}");
        }
        assert!(!opts.out.join(".jianbao/stamps.json").exists());
    }
}

/// The paths that differ between two trees.
fn changed(a: &[(String, Vec<u8>)], b: &[(String, Vec<u8>)]) -> Vec<String> {
    let mut out: Vec<String> = a.iter().filter(|x| !b.contains(x)).map(|x| format!("- {}", x.0)).collect();
    out.extend(b.iter().filter(|x| !a.contains(x)).map(|x| format!("+ {}", x.0)));
    out
}
