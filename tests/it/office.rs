//! The office's daily loop: watch mode rebuilds on a dropped file, `init` starts another
//! county, 汇总表.xlsx matches the figures, help is in Chinese, paths with Chinese characters
//! and spaces work.

use crate::common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc};
use std::time::Duration;

use calamine::{open_workbook_auto, Data, Reader};
use common::repo;
use jianbao::watch::{self, Event, Timing};
use jianbao::Options;

/// A data folder with the plan, config and the sample's months, under a path with Chinese
/// characters and spaces; outputs beside it.
fn office(root: &Path, months: &[&str]) -> Options {
    let data = root.join("县 扶贫办/数据 文件夹");
    std::fs::create_dir_all(&data).unwrap();
    for f in ["plan.yaml", "config.yaml"] {
        std::fs::copy(repo().join("data").join(f), data.join(f)).unwrap();
    }
    for m in months {
        copy_month(&data, m);
    }
    Options { data, out: root.join("输出 目录"), ..Options::in_dir(&repo()) }
}

fn copy_month(data: &Path, month: &str) {
    let to = data.join("submissions").join(month);
    std::fs::create_dir_all(&to).unwrap();
    for e in std::fs::read_dir(repo().join("data/submissions").join(month)).unwrap() {
        let e = e.unwrap();
        std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
    }
}

#[test]
fn watch_rebuilds_when_a_workbook_is_dropped_and_ignores_lock_files() {
    let root = tempfile::tempdir().unwrap();
    let opts = office(root.path(), &["2018-01"]);
    let stop = Arc::new(AtomicBool::new(false));
    let (tx, rx) = mpsc::channel::<String>();
    let handle = {
        let (opts, stop) = (opts.clone(), stop.clone());
        std::thread::spawn(move || {
            let timing = Timing { quiet: Duration::from_millis(400), poll: Duration::from_millis(50) };
            watch::watch(&opts, timing, &stop, &jianbao::Quiet, &mut |e| {
                let msg = match e {
                    Event::Ready => "ready".to_string(),
                    Event::Changed(files) => format!("changed {}", files.join("|")),
                    Event::Built(b) => format!("built {}", b.rendered.join("|")),
                    Event::Failed(e) => format!("failed {e}"),
                };
                tx.send(msg).unwrap();
            })
            .unwrap();
        })
    };
    let next = || rx.recv_timeout(Duration::from_secs(120)).expect("watch reported nothing");
    assert!(next().starts_with("built "), "first build");
    assert_eq!(next(), "ready");
    assert!(opts.out.join("2018-01/工作简报-2018年1月.pdf").exists());
    // An Excel lock file alone changes nothing; then a whole month is dropped in.
    let dir = opts.data.join("submissions/2018-02");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("~$南村乡2018年2月报表.xlsx"), b"lock").unwrap();
    std::thread::sleep(Duration::from_millis(800));
    copy_month(&opts.data, "2018-02");
    let changed = next();
    assert!(changed.contains("submissions/2018-02/南村乡2018年2月报表.xlsx"), "{changed}");
    assert!(!changed.contains("~$"), "lock files are ignored: {changed}");
    let mut built = next();
    // Files arriving over a few polls may give a second round; wait for the bulletin.
    while !opts.out.join("2018-02/工作简报-2018年2月.pdf").exists() {
        built = next();
    }
    assert!(built.contains("2018-02/工作简报-2018年2月"), "{built}");
    // Rebuilds until `want` is reported as changed and a build follows.
    let rebuilt_after = |want: &str| {
        let changed = loop {
            let e = next();
            if e.starts_with("changed") && e.contains(want) {
                break e;
            }
        };
        let built = loop {
            let e = next();
            if e.starts_with("built") || e.starts_with("failed") {
                break e;
            }
        };
        (changed, built)
    };
    // An office font in the data folder's fonts/ reaches every document.
    std::fs::create_dir_all(opts.data.join("fonts")).unwrap();
    std::fs::write(opts.data.join("fonts/办公室楷体.otf"), jianbao::bundled::FONTS.iter().find(|f| f.name.contains("Kai")).unwrap().bytes).unwrap();
    let (_, built) = rebuilt_after("fonts/办公室楷体.otf");
    assert!(built.contains("2018-01/工作简报-2018年1月") && built.contains("2018-02/工作简报-2018年2月"), "{built}");
    // The office's own narrative template reaches the bulletins.
    std::fs::create_dir_all(opts.data.join("templates")).unwrap();
    let narrative = std::str::from_utf8(jianbao::bundled::template("bulletin-narrative.typ.j2").unwrap().bytes).unwrap();
    std::fs::write(opts.data.join("templates/bulletin-narrative.typ.j2"), narrative.replace("一、总体进展", "一、全县总体进展")).unwrap();
    let (_, built) = rebuilt_after("templates/bulletin-narrative.typ.j2");
    assert!(built.contains("2018-02/工作简报-2018年2月"), "{built}");
    assert!(common::pdf_text(&opts.out.join("2018-02/工作简报-2018年2月.pdf")).contains("一、全县总体进展"));
    // A month folder moved out of the data folder: rebuilt, its bulletin reported as stale.
    std::fs::rename(opts.data.join("submissions/2018-02"), root.path().join("2018-02 移出")).unwrap();
    let (changed, _) = rebuilt_after("submissions/2018-02");
    assert!(changed.contains("submissions/2018-02"), "{changed}");
    stop.store(true, Ordering::Relaxed);
    handle.join().unwrap();
}

#[cfg(unix)]
#[test]
fn ctrl_c_ends_watch_cleanly() {
    let root = tempfile::tempdir().unwrap();
    let opts = office(root.path(), &["2018-01"]);
    let mut child = Command::new(env!("CARGO_BIN_EXE_jianbao"))
        .arg("watch")
        .arg("--data")
        .arg(&opts.data)
        .arg("--out")
        .arg(&opts.out)
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = std::io::BufReader::new(child.stdout.take().unwrap());
    let mut seen = String::new();
    while !seen.contains("正在监视") {
        let mut line = String::new();
        assert!(std::io::BufRead::read_line(&mut stdout, &mut line).unwrap() > 0, "watch ended early: {seen}");
        seen.push_str(&line);
    }
    let interrupt = Command::new("kill").args(["-INT", &child.id().to_string()]).status().unwrap();
    assert!(interrupt.success());
    let status = child.wait().unwrap();
    let mut rest = String::new();
    std::io::Read::read_to_string(&mut stdout, &mut rest).unwrap();
    assert_eq!(status.code(), Some(0), "{rest}");
    assert!(rest.contains("已停止监视"), "{rest}");
}

#[test]
fn init_creates_a_data_folder_that_checks_clean_and_is_never_overwritten() {
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("某某县 数据");
    let written = jianbao::init::init(&dir, &jianbao::init::Start::placeholder()).unwrap().written;
    let templates = dir.join("templates");
    assert_eq!(
        written,
        [
            dir.join("plan.yaml"),
            dir.join("config.yaml"),
            templates.join("bulletin-narrative.typ.j2"),
            templates.join("summary-narrative.typ.j2"),
            templates.join("year-narrative.typ.j2"),
            templates.join("plan-narrative.typ.j2"),
            dir.join("submissions"),
            dir.join("稿件")
        ]
    );
    let plan = jianbao::plan::Plan::load(&dir.join("plan.yaml")).unwrap();
    assert_eq!(plan.townships, ["甲乡", "乙镇"]);
    let text = std::fs::read_to_string(dir.join("plan.yaml")).unwrap();
    assert!(text.lines().filter(|l| l.trim_start().starts_with('#')).count() > 20, "the skeleton explains itself");
    let opts = Options { data: dir.clone(), out: root.path().join("out"), ..Options::in_dir(&repo()) };
    let checked = jianbao::check(&opts).unwrap();
    assert!(checked.diagnostics.is_empty(), "{:#?}", checked.diagnostics);
    std::fs::write(dir.join("plan.yaml"), "county: 已改写").unwrap();
    assert!(jianbao::init::init(&dir, &jianbao::init::Start::placeholder()).is_err());
    assert_eq!(std::fs::read_to_string(dir.join("plan.yaml")).unwrap(), "county: 已改写");
    // Into a folder that has some of the files: the missing one is written, the others are
    // kept as they are and named.
    std::fs::remove_file(dir.join("config.yaml")).unwrap();
    let done = jianbao::init::init(&dir, &jianbao::init::Start::placeholder()).unwrap();
    assert_eq!(done.written, [dir.join("config.yaml")]);
    assert_eq!(done.kept.len(), 5);
    assert!(done.kept.contains(&dir.join("plan.yaml")));
    assert_eq!(std::fs::read_to_string(dir.join("plan.yaml")).unwrap(), "county: 已改写");
}

#[test]
fn init_fills_the_skeletons_with_the_county_and_its_years() {
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("青石县数据");
    let start = jianbao::init::Start { county: "青石县".into(), first: 2021, last: 2025 };
    jianbao::init::init(&dir, &start).unwrap();
    let plan = jianbao::plan::Plan::load(&dir.join("plan.yaml")).unwrap();
    assert_eq!((plan.county.as_str(), plan.years.as_slice()), ("青石县", &[2021, 2022, 2023, 2024, 2025][..]));
    assert_eq!(plan.rolling_plan.base_year, 2020);
    assert_eq!(plan.short_title(), "五年行动计划");
    // 900 people over five years: 180 each; villages 1, 1, 1, 0, 0 (the skeleton's base of 3).
    let targets: Vec<(u16, u32, u32)> = plan.rolling_plan.targets.iter().map(|t| (t.year, t.poor_population, t.poor_villages)).collect();
    assert_eq!(targets, [(2021, 180, 1), (2022, 180, 1), (2023, 180, 1), (2024, 180, 0), (2025, 180, 0)]);
    let config = std::fs::read_to_string(dir.join("config.yaml")).unwrap();
    assert!(config.contains("office: 青石县脱贫攻坚领导小组办公室"), "{config}");
    let opts = Options { data: dir.clone(), out: root.path().join("out"), ..Options::in_dir(&repo()) };
    let checked = jianbao::check(&opts).unwrap();
    assert!(checked.diagnostics.is_empty(), "{:#?}", checked.diagnostics);
    // Nothing of another plan's years in what init wrote.
    for f in ["plan.yaml", "config.yaml", "templates/plan-narrative.typ.j2"] {
        let text = std::fs::read_to_string(dir.join(f)).unwrap();
        for other in ["2018", "2019", "2020年", "三年"] {
            assert!(!text.contains(other), "{f} says {other}");
        }
    }
}

fn cell_f64(d: Option<&Data>) -> Option<f64> {
    match d? {
        Data::Float(x) => Some(*x),
        Data::Int(x) => Some(*x as f64),
        _ => None,
    }
}

fn cell_str(d: Option<&Data>) -> String {
    match d {
        Some(Data::String(s)) => s.clone(),
        _ => String::new(),
    }
}

#[test]
fn the_excel_summary_matches_the_figures() {
    let out = tempfile::tempdir().unwrap();
    let opts = Options { out: out.path().to_path_buf(), period: "2018-03".parse().ok(), ..Options::in_dir(&repo()) };
    jianbao::build(&opts).unwrap();
    let json: serde_json::Value = serde_json::from_slice(&std::fs::read(out.path().join("2018-03/工作简报-2018年3月.json")).unwrap()).unwrap();
    let f = &json["figures"];
    let mut book = open_workbook_auto(out.path().join("2018-03/汇总表-2018年3月.xlsx")).unwrap();
    assert_eq!(book.sheet_names(), ["乡镇进展", "深度贫困村", "统筹整合项目", "专项指标"]);

    let towns = book.worksheet_range("乡镇进展").unwrap();
    let list = f["townships"].as_array().unwrap();
    assert_eq!(towns.height(), 2 + list.len() + 1, "title, header, townships, total");
    for (i, t) in list.iter().enumerate() {
        let r = (i + 2) as u32;
        assert_eq!(cell_str(towns.get_value((r, 0))), t["name"].as_str().unwrap());
        assert_eq!(cell_f64(towns.get_value((r, 2))), t["poor_at_start"].as_f64());
        assert_eq!(cell_f64(towns.get_value((r, 4))), t["lifted_to_date"].as_f64());
        let pct = cell_f64(towns.get_value((r, 5))).unwrap() * 100.0;
        assert!((pct - t["progress_pct"].as_f64().unwrap()).abs() < 1e-9, "percentages are fractions of the same value");
        assert_eq!(cell_f64(towns.get_value((r, 6))), t["exited_this_year"].as_f64());
        assert_eq!(cell_f64(towns.get_value((r, 7))), t["exited_total"].as_f64());
        assert_eq!(cell_f64(towns.get_value((r, 8))), t["planned_wan"].as_f64());
    }
    let total = (2 + list.len()) as u32;
    assert_eq!(cell_str(towns.get_value((total, 0))), "全县合计");
    assert_eq!(cell_f64(towns.get_value((total, 4))), f["county"]["lifted_to_date"].as_f64());

    let villages = book.worksheet_range("深度贫困村").unwrap();
    let list = f["deep_villages"].as_array().unwrap();
    assert_eq!(villages.height(), 2 + list.len());
    for (i, v) in list.iter().enumerate() {
        let r = (i + 2) as u32;
        assert_eq!(cell_str(villages.get_value((r, 1))), v["name"].as_str().unwrap());
        assert_eq!(cell_f64(villages.get_value((r, 5))), v["remaining_poor"].as_f64());
        assert_eq!(cell_str(villages.get_value((r, 8))), v["remark"].as_str().unwrap());
    }

    let indicators = book.worksheet_range("专项指标").unwrap();
    let list = f["indicators"].as_array().unwrap();
    assert_eq!(indicators.height(), 2 + list.len());
    for (i, ind) in list.iter().enumerate() {
        let r = (i + 2) as u32;
        assert_eq!(cell_str(indicators.get_value((r, 0))), ind["name"].as_str().unwrap());
        assert_eq!(cell_f64(indicators.get_value((r, 3))), ind["year_to_date"].as_f64());
        assert_eq!(cell_f64(indicators.get_value((r, 4))), ind["value"].as_f64());
    }
}

fn jianbao(args: &[&str], opts: &Options) -> std::process::Output {
    let dir = |p: &PathBuf| p.as_os_str().to_owned();
    Command::new(env!("CARGO_BIN_EXE_jianbao")).args(args).arg("--data").arg(dir(&opts.data)).arg("--out").arg(dir(&opts.out)).output().unwrap()
}

#[test]
fn help_is_in_chinese_with_examples_and_chinese_paths_work() {
    let root = tempfile::tempdir().unwrap();
    let opts = office(root.path(), &["2018-01"]);
    for cmd in [&[][..], &["build"], &["check"], &["publish"], &["verify"], &["template"], &["watch"], &["init"]] {
        let out = jianbao(&[cmd, &["--help"][..]].concat(), &opts);
        assert_eq!(out.status.code(), Some(0), "{cmd:?}");
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(text.contains("用法：") && text.contains("示例：") && text.contains("显示帮助"), "{cmd:?}: {text}");
        for english in ["Usage:", "Options:", "Commands:", "[default", "Print help"] {
            assert!(!text.contains(english), "{cmd:?} help has “{english}”: {text}");
        }
    }
    let built = jianbao(&["build"], &opts);
    assert_eq!(built.status.code(), Some(0), "{}", String::from_utf8_lossy(&built.stderr));
    assert!(opts.out.join("2018-01/工作简报-2018年1月.pdf").exists() && opts.out.join("2018-01/汇总表-2018年1月.xlsx").exists());
    let stdout = String::from_utf8(built.stdout).unwrap();
    assert!(stdout.contains("重新生成 4 份") && stdout.contains("用时"), "{stdout}");
    assert!(built.stderr.is_empty(), "no progress bar when output is not a terminal");
    let again = String::from_utf8(jianbao(&["build"], &opts).stdout).unwrap();
    assert!(again.contains("均为最新"), "{again}");
    let template = jianbao(&["template", "--period", "2018-02", "--township", "南村乡"], &opts);
    assert_eq!(template.status.code(), Some(0));
    assert!(opts.out.join("templates/2018-02/南村乡.xlsx").exists());
    let bad = jianbao(&["template", "--period", "2018-02", "--township", "火星乡"], &opts);
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8(bad.stderr).unwrap().contains("不在规划数据中"));
}
