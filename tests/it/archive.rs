//! The archive: publishing numbers bulletins and summaries once, as PDF/A-2b, never
//! overwrites, refuses silent changes, records corrections; `verify` finds tampering.

use crate::common;

use common::{copy_project, pdf_text};
use jianbao::archive::{self, manifest::Manifest, Outcome, Request, Target};
use jianbao::inputs::sha256;
use jianbao::plan::Plan;
use jianbao::sample;

fn month(p: &str, date: &str) -> Request {
    Request { target: Target::month(p.parse().unwrap()), date: Some(date.parse().unwrap()), correction: false, skip_earlier: true }
}

/// Regenerates one sample workbook with one village's population changed.
fn change_workbook(data: &std::path::Path, township: &str, period: &str) -> String {
    let plan = Plan::load(&data.join("plan.yaml")).unwrap();
    let p = period.parse().unwrap();
    let mut county = sample::county(&plan, 2018);
    let t = county.iter_mut().find(|t| t.name == township).unwrap();
    t.villages[0].population += 7;
    let rel = sample::file_name(township, p);
    std::fs::write(data.join(&rel), sample::workbook(&plan, t, p)).unwrap();
    rel
}

#[test]
fn publishing_numbers_archives_and_never_overwrites() {
    let (dir, opts) = copy_project();
    let archive = archive::folder(&opts.out);

    let first = archive::publish(&opts, &month("2018-03", "2018-04-05")).unwrap();
    let Outcome::Published { entry, path } = first.outcome else { panic!("{:?}", first.outcome) };
    assert_eq!((entry.number, entry.series.name(), entry.period.to_string().as_str()), (1, "工作简报", "2018-03"));
    assert_eq!(path, archive.join("2018/第01期-全县2018年3月脱贫攻坚工作进展情况.pdf"));
    let pdf = std::fs::read(&path).unwrap();
    assert_eq!(entry.sha256, sha256(&pdf));
    // PDF/A-3b, declared in the XMP metadata.
    let xmp = String::from_utf8_lossy(&pdf);
    assert!(xmp.contains("<pdfaid:part>3</pdfaid:part>") && xmp.contains("<pdfaid:conformance>B</pdfaid:conformance>"));
    // And PDF/UA-1 (tagged, with title and language), validated by typst when it writes the file.
    assert!(xmp.contains("<pdfuaid:part>1</pdfuaid:part>"));
    let text = pdf_text(&path);
    assert!(text.contains("第1期") && text.contains("2018年4月5日"), "number and publish date in the document");
    // Inputs: the 30 workbooks of January–March, plan, config, the bulletin's templates, the fonts.
    let kinds = |k: &str| entry.inputs.iter().filter(|i| i.kind == k).count();
    assert_eq!(kinds("workbook"), 30);
    assert_eq!((kinds("plan"), kinds("config")), (1, 1));
    let templates: Vec<&str> = entry.inputs.iter().filter(|i| i.kind == "template").map(|i| i.path.as_str()).collect();
    assert_eq!(templates, ["内置/bulletin-narrative.typ.j2", "内置/bulletin.typ", "内置/gongwen.typ"]);
    assert_eq!(kinds("font"), 5);
    let plan = entry.inputs.iter().find(|i| i.kind == "plan").unwrap();
    assert_eq!(plan.sha256, sha256(&std::fs::read(opts.data.join("plan.yaml")).unwrap()));
    assert_eq!((entry.jianbao.version.as_str(), entry.jianbao.build.as_str()), (env!("CARGO_PKG_VERSION"), jianbao::bundled::BUILD_ID));

    // Again with the same inputs (another date): nothing happens.
    let manifest = std::fs::read(Manifest::path(&archive)).unwrap();
    let again = archive::publish(&opts, &month("2018-03", "2018-04-09")).unwrap();
    assert!(matches!(again.outcome, Outcome::Unchanged { ref entry } if entry.number == 1));
    assert_eq!(std::fs::read(Manifest::path(&archive)).unwrap(), manifest);

    // A changed workbook: refused, naming it, and nothing written.
    let changed = change_workbook(&opts.data, "南村乡", "2018-02");
    let refused = archive::publish(&opts, &month("2018-03", "2018-04-09")).unwrap();
    let Outcome::Refused { changes, .. } = refused.outcome else { panic!("{:?}", refused.outcome) };
    assert_eq!(changes, [format!("已修改 {changed}")]);
    assert_eq!(std::fs::read(Manifest::path(&archive)).unwrap(), manifest);
    assert_eq!(std::fs::read(&path).unwrap(), pdf);

    // As a correction: a new number that names the one it corrects.
    let corrected = archive::publish(&opts, &Request { correction: true, ..month("2018-03", "2018-04-12") }).unwrap();
    let Outcome::Published { entry: c, path: cpath } = corrected.outcome else { panic!() };
    assert_eq!((c.number, c.corrects), (2, Some(1)));
    assert!(pdf_text(&cpath).contains("本期更正第1期"));
    assert_eq!(std::fs::read(&path).unwrap(), pdf, "the corrected number's file is untouched");

    // Summaries are their own series.
    let q = Request { target: Target::quarter("2018-Q1".parse().unwrap()), date: Some("2018-04-10".parse().unwrap()), correction: false, skip_earlier: true };
    let Outcome::Published { entry: s, path: spath } = archive::publish(&opts, &q).unwrap().outcome else { panic!() };
    assert_eq!((s.number, s.series.name()), (1, "季度汇总"));
    assert!(spath.ends_with("2018/季度汇总第01期-2018年第一季度脱贫攻坚工作汇总.pdf"));
    let m = Manifest::load(&archive).unwrap();
    assert_eq!(m.entries.iter().map(|e| e.number).collect::<Vec<_>>(), [1, 2, 1]);
    assert!(archive::verify(&opts.out).unwrap().is_clean());
    drop(dir);
}

#[test]
fn publishing_needs_clean_data_a_date_and_a_period_with_reports() {
    let (_dir, opts) = copy_project();
    let no_date = Request { date: None, ..month("2018-03", "2018-04-05") };
    assert!(archive::publish(&opts, &no_date).unwrap_err().to_string().contains("--date"));
    let empty = archive::publish(&opts, &month("2019-09", "2019-10-05")).unwrap();
    assert!(matches!(empty.outcome, Outcome::NoData));
    std::fs::write(opts.data.join("submissions/2018-03/南村乡2018年3月报表.xlsx"), b"not a workbook").unwrap();
    let bad = archive::publish(&opts, &month("2018-03", "2018-04-05")).unwrap();
    assert!(matches!(bad.outcome, Outcome::DataErrors));
    assert!(!Manifest::path(&archive::folder(&opts.out)).exists(), "nothing archived");
    let left: Vec<_> = std::fs::read_dir(archive::folder(&opts.out)).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(left, [archive::LOCK], "nothing but the lock file");
}

#[test]
fn a_publication_in_progress_locks_out_a_second_one() {
    let (_dir, opts) = copy_project();
    let archive = archive::folder(&opts.out);
    std::fs::create_dir_all(&archive).unwrap();
    // Another process publishing holds the lock on archive/.publishing.
    let held = std::fs::OpenOptions::new().create(true).truncate(false).write(true).open(archive.join(archive::LOCK)).unwrap();
    held.lock().unwrap();
    // Refused (exit 1 on the command line), not a system error: nothing read or written.
    assert!(matches!(archive::publish(&opts, &month("2018-03", "2018-04-05")).unwrap().outcome, Outcome::Busy));
    let cli = std::process::Command::new(env!("CARGO_BIN_EXE_jianbao"))
        .args(["publish", "--period", "2018-03", "--date", "2018-04-05", "--data"])
        .arg(&opts.data)
        .arg("--out")
        .arg(&opts.out)
        .output()
        .unwrap();
    assert_eq!(cli.status.code(), Some(1), "a refusal, as the README says: {}", String::from_utf8_lossy(&cli.stdout));
    assert!(String::from_utf8_lossy(&cli.stdout).contains("另一次签发正在进行"));
    assert!(!Manifest::path(&archive).exists());
    held.unlock().unwrap();
    // The lock file left behind blocks nothing: only a held lock does.
    assert!(matches!(archive::publish(&opts, &month("2018-03", "2018-04-05")).unwrap().outcome, Outcome::Published { .. }));
}

#[cfg(unix)]
#[test]
fn a_publication_killed_midway_leaves_nothing_that_blocks_the_next() {
    let (_dir, opts) = copy_project();
    let archive = archive::folder(&opts.out);
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_jianbao"))
        .args(["publish", "--period", "2019-03", "--date", "2019-04-05", "--skip-earlier", "--data"])
        .arg(&opts.data)
        .arg("--out")
        .arg(&opts.out)
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // Kill it (SIGKILL: no cleanup runs) while it holds the lock.
    let lock = archive.join(archive::LOCK);
    let start = std::time::Instant::now();
    let held = loop {
        let file = std::fs::OpenOptions::new().write(true).open(&lock);
        if let Ok(f) = file {
            if matches!(f.try_lock(), Err(std::fs::TryLockError::WouldBlock)) {
                break true;
            }
        }
        if child.try_wait().unwrap().is_some() || start.elapsed() > std::time::Duration::from_secs(20) {
            break false;
        }
        std::thread::sleep(std::time::Duration::from_millis(2));
    };
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(held, "the publication held the lock while it ran");
    assert!(lock.exists(), "the killed process left its lock file");
    let again = archive::publish(&opts, &month("2019-03", "2019-04-05")).unwrap();
    assert!(matches!(again.outcome, Outcome::Published { .. } | Outcome::Unchanged { .. }), "{:?}", again.outcome);
    assert!(archive::verify(&opts.out).unwrap().is_clean(), "the lock file is not an unlisted file");
}

#[test]
fn the_same_publication_is_byte_identical_elsewhere() {
    let pdfs: Vec<Vec<u8>> = (0..2)
        .map(|_| {
            let (_dir, opts) = copy_project();
            let Outcome::Published { path, .. } = archive::publish(&opts, &month("2018-02", "2018-03-06")).unwrap().outcome else { panic!() };
            std::fs::read(path).unwrap()
        })
        .collect();
    assert!(pdfs[0] == pdfs[1]);
}

#[test]
fn verify_reports_missing_altered_and_unlisted_files() {
    let (_dir, opts) = copy_project();
    for (p, d) in [("2018-01", "2018-02-05"), ("2018-02", "2018-03-05")] {
        archive::publish(&opts, &month(p, d)).unwrap();
    }
    let archive = archive::folder(&opts.out);
    assert!(archive::verify(&opts.out).unwrap().is_clean());
    let m = Manifest::load(&archive).unwrap();
    let (a, b) = (archive.join(&m.entries[0].file), archive.join(&m.entries[1].file));
    let mut bytes = std::fs::read(&a).unwrap();
    let last = bytes.len() - 10;
    bytes[last] ^= 1;
    std::fs::write(&a, bytes).unwrap();
    std::fs::remove_file(&b).unwrap();
    std::fs::write(archive.join("2018/私自放入.pdf"), b"%PDF").unwrap();
    let v = archive::verify(&opts.out).unwrap();
    assert_eq!(v.altered, [m.entries[0].file.clone()]);
    assert_eq!(v.missing, [m.entries[1].file.clone()]);
    assert_eq!(v.unlisted, ["2018/私自放入.pdf"]);
    assert!(!v.is_clean());
    // The command exits 1.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_jianbao")).arg("verify").arg("--out").arg(&opts.out).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8(out.stdout).unwrap().contains("被改动：archive/"));
}

#[test]
fn the_command_line_publishes_and_refuses() {
    let (_dir, opts) = copy_project();
    let run = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_jianbao"))
            .args(["publish", "--data"])
            .arg(&opts.data)
            .arg("--out")
            .arg(&opts.out)
            .args(args)
            .output()
            .unwrap()
    };
    assert_eq!(run(&["--period", "2018-01", "--date", "2018-02-05"]).status.code(), Some(0));
    assert_eq!(run(&["--period", "2018-01", "--date", "2018-02-05"]).status.code(), Some(0));
    change_workbook(&opts.data, "坡头乡", "2018-01");
    let refused = run(&["--period", "2018-01", "--date", "2018-02-06"]);
    assert_eq!(refused.status.code(), Some(1));
    assert!(String::from_utf8(refused.stdout).unwrap().contains("--correction"));
    assert_eq!(run(&["--period", "2018-01", "--date", "2018-02-06", "--correction"]).status.code(), Some(0));
    assert_eq!(run(&["--period", "2018-1"]).status.code(), Some(2), "a malformed month is a usage error");
}

#[test]
fn an_error_stops_only_the_documents_its_workbook_feeds() {
    let (_dir, opts) = copy_project();
    // A broken workbook of 2018-03: March's bulletin and 2018's summaries (their chart shows
    // March) need it; February's, April's (南村乡 sent its own April) and 2019's do not (2019
    // starts from each township's last report of 2018, here December).
    std::fs::write(opts.data.join("submissions/2018-03/南村乡2018年3月报表.xlsx"), b"not a workbook").unwrap();
    let p = |period: &str, date: &str| archive::publish(&opts, &month(period, date)).unwrap().outcome;
    assert!(matches!(p("2018-02", "2018-03-05"), Outcome::Published { .. }));
    assert!(matches!(p("2018-03", "2018-04-05"), Outcome::DataErrors));
    assert!(matches!(p("2018-04", "2018-05-05"), Outcome::Published { .. }));
    assert!(matches!(p("2019-03", "2019-04-05"), Outcome::Published { .. }));
    let quarter =
        |q: &str| Request { target: Target::quarter(q.parse().unwrap()), date: Some("2019-04-10".parse().unwrap()), correction: false, skip_earlier: true };
    assert!(matches!(archive::publish(&opts, &quarter("2018-Q1")).unwrap().outcome, Outcome::DataErrors));
    assert!(matches!(archive::publish(&opts, &quarter("2019-Q1")).unwrap().outcome, Outcome::Published { .. }));
    // The build holds back the same documents and makes the others.
    let built = jianbao::build(&opts).unwrap();
    assert!(built.has_errors());
    let held: Vec<&str> = built.held.iter().map(String::as_str).collect();
    assert!(held.contains(&"2018-03/工作简报-2018年3月") && !held.contains(&"2018-12/工作简报-2018年12月"), "{held:?}");
    assert!(held.contains(&"2018-Q1/季度汇总-2018年第一季度") && held.contains(&"2018-Q4/季度汇总-2018年第四季度"), "{held:?}");
    assert_eq!(held.len(), 2 + 4 + 1, "March's bulletin and 汇总表, 4 summaries and the year's summary");
    assert!(held.contains(&"2018/年度总结-2018年"));
    assert!(opts.out.join("2018-02/工作简报-2018年2月.pdf").exists() && opts.out.join("2019-03/工作简报-2019年3月.pdf").exists());
    assert!(!opts.out.join("2018-03/工作简报-2018年3月.pdf").exists());
}

/// An archive the program published before document kinds were a registry (the sample's
/// January bulletin and first-quarter summary, `tests/fixtures/archive-2018`): it verifies,
/// its issues are seen as published from the same data, and it binds.
#[test]
fn an_archive_of_an_earlier_program_verifies_renumbers_nothing_and_binds() {
    let (_dir, opts) = copy_project();
    let archive = archive::folder(&opts.out);
    let fixture = common::repo().join("tests/fixtures/archive-2018");
    for e in walkdir::WalkDir::new(&fixture).into_iter().map(Result::unwrap).filter(|e| e.file_type().is_file()) {
        let to = archive.join(e.path().strip_prefix(&fixture).unwrap());
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::copy(e.path(), to).unwrap();
    }
    assert!(archive::verify(&opts.out).unwrap().is_clean());
    // The same data (another program: publishing again would be a correction of the program's
    // change, so only the data is compared): the build shows the archived numbers.
    let built = jianbao::build(&opts).unwrap();
    assert!(!built.diagnostics.iter().any(|d| d.code == "W-CORRECTION-PENDING"), "{:?}", built.diagnostics);
    assert!(pdf_text(&opts.out.join("2018-01/工作简报-2018年1月.pdf")).contains("第1期"));
    let february = pdf_text(&opts.out.join("2018-02/工作简报-2018年2月.pdf"));
    assert!(february.contains("第2期") && february.contains("待签发"), "{february}");
    // Bound as it is.
    let bind = Request { target: Target::Volume(2018), date: Some("2019-01-15".parse().unwrap()), correction: false, skip_earlier: false };
    let Outcome::Published { path, .. } = archive::publish(&opts, &bind).unwrap().outcome else { panic!("not bound") };
    let text = pdf_text(&path);
    assert!(text.contains("全县2018年1月脱贫攻坚工作进展情况") && text.contains("2018年第一季度脱贫攻坚工作汇总"), "{text}");
    assert!(archive::verify(&opts.out).unwrap().is_clean());
}
