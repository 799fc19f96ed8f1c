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
    let req = Request { target: Target::Month(period.parse().unwrap()), date: Some(date.parse().unwrap()), correction: false, skip_earlier: false };
    archive::publish(opts, &req)
}

fn numbers(opts: &jianbao::Options) -> Vec<(String, u32)> {
    Manifest::load(&archive::folder(&opts.out)).unwrap().entries.iter().map(|e| (e.period.clone(), e.number)).collect()
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
