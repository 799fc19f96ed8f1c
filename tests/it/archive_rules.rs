//! The archive's rules on dates and what `verify` must not call 完好 (issue 26, first part):
//! a 签发日期 before the period ends, in the future, or earlier than an issue already signed
//! is refused; a busy archive is a refusal, not a system error; a missing archive, a leftover
//! temporary file and a gap in a series' numbers are findings.

use crate::common;

use common::copy_project;
use jianbao::archive::{self, Outcome, Request, Target};

fn publish(opts: &jianbao::Options, period: &str, date: &str) -> Outcome {
    let req = Request { target: Target::month(period.parse().unwrap()), date: Some(date.parse().unwrap()), correction: false, skip_earlier: true };
    archive::publish(opts, &req).unwrap().outcome
}

fn refused_for(outcome: Outcome, says: &str) {
    match outcome {
        Outcome::BadDate { msg } => assert!(msg.contains(says), "{msg}"),
        other => panic!("not refused: {other:?}"),
    }
}

#[test]
fn a_date_must_follow_the_period_lie_in_the_past_and_rise_with_the_numbers() {
    let (_dir, opts) = copy_project();
    // The 15th of the month reported on, and a day before it began.
    refused_for(publish(&opts, "2018-03", "2018-03-15"), "不在所报期间结束（2018-03-31）之后");
    // The period's last day itself is refused, and the message names the first day allowed.
    refused_for(publish(&opts, "2018-03", "2018-03-31"), "最早可用 2018-04-01");
    refused_for(publish(&opts, "2018-03", "2018-02-01"), "不在所报期间结束");
    refused_for(publish(&opts, "2018-03", "2099-01-05"), "晚于今天");
    assert!(!archive::folder(&opts.out).join("manifest.json").exists(), "nothing was archived");
    assert!(matches!(publish(&opts, "2018-03", "2018-06-20"), Outcome::Published { .. }));
    // April after March, dated before March was signed: it would be 第2期, dated before 第1期.
    refused_for(publish(&opts, "2018-04", "2018-05-05"), "早于本年工作简报已签发的第1期（2018-06-20）");
    assert!(matches!(publish(&opts, "2018-04", "2018-06-20"), Outcome::Published { .. }));
    // Another year has its own numbers: backfilling 2019 after 2018 in order is fine.
    assert!(matches!(publish(&opts, "2019-01", "2019-02-01"), Outcome::Published { .. }));
    assert!(archive::verify(&opts.out).unwrap().is_clean());
}

#[test]
fn verify_finds_a_missing_archive_leftovers_and_gaps() {
    let (_dir, opts) = copy_project();
    // No archive at all, or an --out that does not exist: not 完好.
    let v = archive::verify(&opts.out).unwrap();
    assert!(v.no_archive && !v.is_clean());
    let elsewhere = jianbao::Options { out: opts.out.join("不存在"), ..opts.clone() };
    assert!(!archive::verify(&elsewhere.out).unwrap().is_clean());

    for (p, d) in [("2018-01", "2018-02-05"), ("2018-02", "2018-03-05"), ("2018-03", "2018-04-05")] {
        assert!(matches!(publish(&opts, p, d), Outcome::Published { .. }));
    }
    let folder = archive::folder(&opts.out);
    assert!(archive::verify(&opts.out).unwrap().is_clean());
    // A temporary file left by a publication that was killed.
    let leftover = folder.join("2018").join(".jianbao-a1b2c3");
    std::fs::write(&leftover, b"half a PDF").unwrap();
    let v = archive::verify(&opts.out).unwrap();
    assert_eq!((v.leftovers.clone(), v.is_clean()), (vec!["2018/.jianbao-a1b2c3".to_string()], false));
    // The next publication removes it.
    assert!(matches!(publish(&opts, "2018-04", "2018-05-05"), Outcome::Published { .. }));
    assert!(!leftover.exists());
    // An entry deleted together with its PDF: a gap in the numbers.
    let manifest_path = folder.join("manifest.json");
    let mut manifest: serde_json::Value = serde_json::from_slice(&std::fs::read(&manifest_path).unwrap()).unwrap();
    let entries = manifest["entries"].as_array_mut().unwrap();
    let second = entries.iter().position(|e| e["number"] == 2).unwrap();
    let file = entries.remove(second)["file"].as_str().unwrap().to_string();
    std::fs::remove_file(folder.join(&file)).unwrap();
    std::fs::write(&manifest_path, serde_json::to_vec_pretty(&manifest).unwrap()).unwrap();
    let v = archive::verify(&opts.out).unwrap();
    assert_eq!(v.gaps, ["2018年工作简报第2期"]);
    assert!(!v.is_clean());
}

/// The archive's manifest as JSON, edited by `edit`, written back.
fn edit_manifest(opts: &jianbao::Options, edit: impl FnOnce(&mut Vec<serde_json::Value>)) {
    let path = archive::folder(&opts.out).join("manifest.json");
    let mut manifest: serde_json::Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    edit(manifest["entries"].as_array_mut().unwrap());
    std::fs::write(&path, serde_json::to_vec_pretty(&manifest).unwrap()).unwrap();
}

#[test]
fn verify_finds_an_edited_removed_or_reordered_entry_through_the_chain_and_the_pdfs() {
    let (_dir, opts) = copy_project();
    for (p, d) in [("2018-01", "2018-02-05"), ("2018-02", "2018-03-05"), ("2018-03", "2018-04-05")] {
        assert!(matches!(publish(&opts, p, d), Outcome::Published { .. }));
    }
    assert!(archive::verify(&opts.out).unwrap().is_clean());
    let manifest_path = archive::folder(&opts.out).join("manifest.json");
    let original = std::fs::read(&manifest_path).unwrap();
    let restore = || std::fs::write(&manifest_path, &original).unwrap();
    let first_file = {
        let m: serde_json::Value = serde_json::from_slice(&original).unwrap();
        m["entries"][0]["file"].as_str().unwrap().to_string()
    };

    // 期号 1 → 7 and the 签发日期 of the first entry: its PDF says otherwise, and the second
    // entry no longer links to it.
    edit_manifest(&opts, |e| {
        e[0]["number"] = 7.into();
        e[0]["published"] = "2018-02-06".into();
    });
    let v = archive::verify(&opts.out).unwrap();
    assert_eq!(v.edited, [format!("{first_file} 的 期号（清单 7，文件中 1）"), format!("{first_file} 的 签发日期（清单 2018-02-06，文件中 2018-02-05）")]);
    assert_eq!(v.unlinked.len(), 1, "{:?}", v.unlinked);
    assert!(v.unlinked[0].starts_with("第2条 "), "{:?}", v.unlinked);
    assert!(!v.is_clean());
    restore();

    // An input taken out of the last entry's list (no entry follows it: its PDF tells).
    edit_manifest(&opts, |e| {
        e[2]["inputs"].as_array_mut().unwrap().remove(0);
    });
    let v = archive::verify(&opts.out).unwrap();
    assert_eq!(v.edited.len(), 1, "{:?}", v.edited);
    assert!(v.edited[0].contains("所用文件"), "{:?}", v.edited);
    restore();

    // The second and third entries swapped; then the second removed (its PDF kept aside).
    edit_manifest(&opts, |e| e.swap(1, 2));
    let v = archive::verify(&opts.out).unwrap();
    assert!(!v.unlinked.is_empty() && v.edited.is_empty() && v.gaps.is_empty(), "{v:?}");
    restore();
    edit_manifest(&opts, |e| {
        e.remove(1);
    });
    let v = archive::verify(&opts.out).unwrap();
    assert!(v.unlinked[0].starts_with("第2条 "), "{:?}", v.unlinked);
    restore();
    assert!(archive::verify(&opts.out).unwrap().is_clean());

    // On the command line: named in Chinese, exit 1.
    edit_manifest(&opts, |e| e[1]["title"] = "改过的标题".into());
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_jianbao")).arg("verify").arg("--out").arg(&opts.out).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(stdout.contains("登记被改动") && stdout.contains("标题（清单 改过的标题") && stdout.contains("登记不衔接：清单第3条"), "{stdout}");
}
