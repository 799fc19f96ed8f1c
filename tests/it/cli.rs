//! The command line: exit codes, JSON diagnostics, reproducible output.

use crate::common;

use std::process::Command;

use common::{repo, t, Book, TestData, V};

fn jianbao(d: &TestData, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_jianbao")).args(args).arg("--data").arg(d.data()).arg("--out").arg(d.out()).current_dir(repo()).output().unwrap()
}

fn bad_data() -> TestData {
    let d = TestData::new();
    let b = Book {
        township: "南村乡",
        month: "2018-03",
        villages: vec![V("关底村", "深度贫困村", 1000, 300, 0, 50, "否", "")],
        projects: vec![],
        indicators: vec![],
    };
    let mut sheets = b.sheets();
    sheets[1].rows[1][5] = t("约50");
    d.write("南村乡.xlsx", &jianbao::sample::xlsx::write(&sheets).unwrap());
    d
}

#[test]
fn check_json_lists_diagnostics_with_exactly_the_contract_keys() {
    let d = bad_data();
    let out = jianbao(&d, &["check", "--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let diags: Vec<serde_json::Map<String, serde_json::Value>> = serde_json::from_slice(&out.stdout).unwrap();
    for d in &diags {
        let keys: Vec<&str> = d.keys().map(String::as_str).collect();
        assert_eq!(keys, ["cell", "code", "file", "message", "severity", "sheet"]);
    }
    let e = diags.iter().find(|d| d["code"] == "E-NUMBER").unwrap();
    assert_eq!((&e["severity"], &e["file"], &e["sheet"], &e["cell"]), (&"error".into(), &"南村乡.xlsx".into(), &"村级进度".into(), &"F2".into()));
    let plan_note = diags.iter().find(|d| d["file"] == "plan.yaml").unwrap();
    assert_eq!((&plan_note["sheet"], &plan_note["cell"]), (&serde_json::Value::Null, &serde_json::Value::Null));
}

#[test]
fn exit_codes_separate_data_errors_from_usage_errors() {
    let d = bad_data();
    let text = jianbao(&d, &["check"]);
    assert_eq!(text.status.code(), Some(1));
    let stdout = String::from_utf8(text.stdout).unwrap();
    assert!(stdout.contains("错误 E-NUMBER  南村乡.xlsx › 村级进度 › F2"), "{stdout}");
    assert!(stdout.contains("共读取 1 个文件：错误 1 个"), "{stdout}");
    assert_eq!(jianbao(&d, &["build"]).status.code(), Some(1));
    assert_eq!(jianbao(&d, &["--period", "2018-13"]).status.code(), Some(2));
    assert_eq!(jianbao(&d, &["--period", "2018年3月"]).status.code(), Some(1), "any spelling of a month");
    std::fs::write(d.data().join("plan.yaml"), "county: [").unwrap();
    let broken = jianbao(&d, &["check"]);
    assert_eq!(broken.status.code(), Some(2));
    assert!(String::from_utf8(broken.stderr).unwrap().contains("plan.yaml"));
}

#[test]
fn same_inputs_give_the_same_bytes_in_another_directory() {
    // Every output of two full builds: one from the repository, one from a copy of its data and
    // templates elsewhere. Bulletins, summaries, reports, JSON and the build record.
    let first = tempfile::tempdir().unwrap();
    jianbao::build(&jianbao::Options { out: first.path().to_path_buf(), ..jianbao::Options::in_dir(&repo()) }).unwrap();
    let (copy, opts) = common::copy_project();
    jianbao::build(&opts).unwrap();
    let (a, b) = (common::tree(first.path()), common::tree(&copy.path().join("out")));
    assert_eq!(
        a.len(),
        15 * 3 + 3 * 2 + 5 * 2 + 2 + 28 * 2 + 2 + 2 + 2 + 1 + 1,
        "15 bulletins with JSON and 汇总表, 3 旬报 with JSON, 5 summaries with JSON, the 2018 年度总结 with JSON, 28 公示、公告 with JSON, 2 公示清单, the report as PDF and text, 2 报送情况 workbooks; the build record; 结果一览"
    );
    // 结果一览 links to the data folder, which lies elsewhere relative to each output folder:
    // apart from those links it is the same.
    let unlinked = |page: &[u8]| {
        let page = String::from_utf8(page.to_vec()).unwrap();
        let link = page.split("\">打开所在文件夹").next().and_then(|s| s.rsplit("href=\"").next()).unwrap().to_string();
        assert!(!link.is_empty() && page.contains("打开所在文件夹"), "a folder link");
        page.replace(&format!("href=\"{link}"), "href=\"DATA")
    };
    for (a, b) in a.iter().zip(&b) {
        assert_eq!(a.0, b.0);
        if a.0 == jianbao::overview::FILE {
            assert_eq!(unlinked(&a.1), unlinked(&b.1), "结果一览 differs between builds beyond its folder links");
            continue;
        }
        assert!(a.1 == b.1, "{} differs between builds", a.0);
    }
}

#[test]
fn documents_held_by_an_error_in_the_plan_say_so() {
    let d = TestData::new();
    d.add(
        "南村乡.xlsx",
        &Book {
            township: "南村乡",
            month: "2018-03",
            villages: vec![V("关底村", "深度贫困村", 1000, 300, 0, 50, "否", "")],
            projects: vec![],
            indicators: vec![],
        },
    );
    // The yearly targets no longer add up to the base: an error in plan.yaml (P-SUM-PEOPLE).
    let plan = d.data().join("plan.yaml");
    let text = std::fs::read_to_string(&plan).unwrap();
    std::fs::write(&plan, text.replacen("poor_population: 5500", "poor_population: 5400", 1)).unwrap();
    let out = jianbao(&d, &["build"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(stdout.contains("规划数据 plan.yaml 有错误，未生成：2018-03/工作简报-2018年3月、2018-03/汇总表-2018年3月"), "{stdout}");
    assert!(!stdout.contains("用到的报表有错误"), "{stdout}");
}

#[test]
fn a_missing_data_folder_is_told_in_chinese_with_what_to_do() {
    let d = TestData::new();
    std::fs::remove_dir_all(d.data()).unwrap();
    let out = jianbao(&d, &["build"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("找不到数据文件夹") && stderr.contains("jianbao init"), "{stderr}");
    assert!(!stderr.contains("IO error") && !stderr.contains("No such file"), "{stderr}");
}

#[test]
fn the_small_things_a_new_user_meets_say_what_is_true() {
    // `jianbao` is `jianbao build`, its options too.
    let d = bad_data();
    let drafted = jianbao(&d, &["--draft"]);
    assert_eq!(drafted.status.code(), Some(1), "{}", String::from_utf8_lossy(&drafted.stderr));
    assert!(d.out().join("2018-03/工作简报-2018年3月.pdf").exists(), "--draft without a command builds the draft");
    assert_eq!(jianbao(&d, &["--force"]).status.code(), Some(1));
    let misplaced = jianbao(&d, &["--force", "check"]);
    assert_eq!(misplaced.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&misplaced.stderr).contains("jianbao build --force"), "{}", String::from_utf8_lossy(&misplaced.stderr));
    // No data folder: it is looked for in the current folder, and the message says which.
    let empty = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_jianbao")).current_dir(empty.path()).output().unwrap();
    let said = String::from_utf8_lossy(&out.stderr);
    let here = std::path::absolute(empty.path()).unwrap();
    assert!(said.contains(&format!("在 {} 中查找", here.display())) && !said.contains("程序所在位置"), "{said}");
    // Right after init, its copies of the narrative templates are the built-in ones.
    let root = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| Command::new(env!("CARGO_BIN_EXE_jianbao")).args(args).current_dir(root.path()).output().unwrap();
    assert!(run(&["init", "县数据", "--county", "某县", "--years", "2021-2023"]).status.success());
    let built = String::from_utf8_lossy(&run(&["--data", "县数据"]).stdout).into_owned();
    assert!(built.contains("来源　模板和字体均为内置"), "{built}");
    let own = root.path().join("县数据/templates/year-narrative.typ.j2");
    std::fs::write(&own, std::fs::read_to_string(&own).unwrap().replace("存在问题", "存在的问题")).unwrap();
    let built = String::from_utf8_lossy(&run(&["--data", "县数据"]).stdout).into_owned();
    assert!(built.contains("来源　模板（数据目录）：year-narrative.typ.j2，其余内置"), "{built}");
}

#[test]
fn a_percentage_in_the_summary_workbook_is_the_decimal_shown() {
    let (_dir, opts) = common::copy_project();
    jianbao::build(&opts).unwrap();
    use calamine::Reader;
    let mut book: calamine::Xlsx<_> = calamine::open_workbook(opts.out.join("2019-03/汇总表-2019年3月.xlsx")).unwrap();
    let sheet = book.sheet_names()[0].clone();
    let range = book.worksheet_range(&sheet).unwrap();
    let fractions: Vec<f64> = range
        .used_cells()
        .filter_map(|(_, _, v)| match v {
            calamine::Data::Float(f) if *f > 0.0 && *f < 1.0 => Some(*f),
            _ => None,
        })
        .collect();
    assert!(!fractions.is_empty());
    for f in fractions {
        // Every stored fraction is the shortest decimal with at most six places (0.913, not 0.9129999999999999).
        let shown = f.to_string();
        assert!(shown.len() <= 8, "{shown}");
    }
}

#[test]
fn a_reader_that_goes_away_ends_the_program_quietly() {
    use std::io::{BufRead, BufReader};
    // Thousands of problems: far more output than a pipe holds.
    let d = TestData::new();
    let villages: Vec<V> = (0..3000).map(|_| V("某村", "贫困村", 100, 10, 0, 1, "是否", "")).collect();
    d.add("南村乡.xlsx", &Book { township: "南村乡", month: "2018-03", villages, projects: vec![], indicators: vec![] });
    let mut child = Command::new(env!("CARGO_BIN_EXE_jianbao"))
        .args(["check", "--format", "json", "--data"])
        .arg(d.data())
        .arg("--out")
        .arg(d.out())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut first).unwrap();
    // The reader goes away (its end of the pipe is dropped here), as `| head -1` does.
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked") && !stderr.contains("Broken pipe"), "{stderr}");
    assert_ne!(out.status.code(), Some(101), "{stderr}");
}
