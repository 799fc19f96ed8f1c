//! An office that starts in the middle of its plan (issue 40): a county whose 2021-2025 plan is
//! in its last year when it first reports with jianbao, in October 2025; four villages left the
//! list in 2021-2024. Every surface is checked against figures worked out here by hand.

use crate::common;

use common::{pdf_text, run_in_dir as run, Book, V};

const PLAN: &str = "county: 白石县
title: 白石县巩固拓展脱贫攻坚成果五年规划（2021—2025年）
years: [2021, 2022, 2023, 2024, 2025]
townships: [白沙镇, 青松乡, 红岩乡]
rolling_plan:
  section: 附表一
  base_year: 2020
  base: { poor_population: 1500, poor_villages: 5 }
  targets:
    - { year: 2021, poor_population: 400, poor_villages: 1 }
    - { year: 2022, poor_population: 300, poor_villages: 1 }
    - { year: 2023, poor_population: 300, poor_villages: 1 }
    - { year: 2024, poor_population: 300, poor_villages: 1 }
    - { year: 2025, poor_population: 200, poor_villages: 1 }
deep_poverty_villages:
  section: 附表二
  stated_count: 2
  by_township:
    白沙镇: [东山村]
    青松乡: [南岭村]
heavy_task_villages:
  section: 附表三
  stated_count: 1
  by_township:
    红岩乡: [中和村]
funding:
  section: 四(一)
  poverty_villages_stated: 5
  per_poverty_village: 40
  per_deep_poverty_village_extra: 20
  per_heavy_task_village: 8
  integrated_funds_to_deep_min_share: 0.60
indicators: []
";

/// What the office states of its start (`plan.yaml`'s `start`): October 2025, and the four
/// villages that exited in 2021-2024.
const START: &str = "start:
  month: 2025-10
  exited:
    白沙镇: { 2021: [东山村], 2023: [西坡村] }
    青松乡: { 2022: [南岭村] }
    红岩乡: { 2024: [石桥村] }
";

/// The villages of a township: (name, type, population, poor at the year's start, lifted by
/// September, October, November, exited in October, exited in November).
type Village = (&'static str, &'static str, u32, u32, u32, u32, u32, &'static str, &'static str);

/// 中和村 is a 非贫困村; 北沟村 leaves the list in November 2025, the year's one exit.
const VILLAGES: &[(&str, &[Village])] = &[
    ("白沙镇", &[("东山村", "深度贫困村", 900, 50, 30, 5, 6, "是", "是"), ("西坡村", "贫困村", 700, 35, 20, 4, 3, "是", "是")]),
    ("青松乡", &[("南岭村", "深度贫困村", 800, 45, 25, 6, 4, "是", "是"), ("北沟村", "贫困村", 600, 25, 10, 3, 7, "否", "是")]),
    ("红岩乡", &[("中和村", "非贫困村", 1000, 30, 12, 2, 5, "否", "否"), ("石桥村", "贫困村", 650, 30, 18, 3, 2, "是", "是")]),
];

fn book(township: &'static str, month: &'static str) -> Book<'static> {
    let villages = VILLAGES.iter().find(|(t, _)| *t == township).unwrap().1;
    let rows = villages
        .iter()
        .map(|&(name, kind, pop, poor, sep, oct, nov, ex_oct, ex_nov)| {
            if month.ends_with("12") {
                V(name, kind, pop, poor, 0, sep + oct + nov, ex_nov, "")
            } else if month.ends_with("11") {
                V(name, kind, pop, poor, nov, sep + oct + nov, ex_nov, "")
            } else {
                V(name, kind, pop, poor, oct, sep + oct, ex_oct, "")
            }
        })
        .collect();
    Book { township, month, villages: rows, projects: vec![], indicators: vec![] }
}

fn county(with_start: bool) -> tempfile::TempDir {
    county_with(if with_start { START } else { "" }, &["2025-10", "2025-11"])
}

fn county_with(start: &str, months: &[&'static str]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    run(dir.path(), &["init", "data", "--county", "白石县", "--years", "2021-2025"]);
    std::fs::write(data.join("plan.yaml"), format!("{PLAN}{start}")).unwrap();
    for &month in months {
        for (township, _) in VILLAGES {
            let path = data.join(format!("submissions/{month}/{township}.xlsx"));
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, jianbao::sample::xlsx::write(&book(township, month).sheets()).unwrap()).unwrap();
        }
    }
    dir
}

/// Σ over the villages of a column, worked out from the table above.
fn sum(f: impl Fn(&Village) -> u32) -> u32 {
    VILLAGES.iter().flat_map(|(_, vs)| vs.iter()).map(f).sum()
}

#[test]
fn an_office_that_starts_in_october_of_its_plans_last_year_gets_true_documents() {
    let dir = county(true);
    let built = run(dir.path(), &[]);
    common::keep(dir.path(), "first_use");
    assert!(built.contains("错误 0 个"), "{built}");
    let out = dir.path().join("out");

    // November: every village but 中和村 (非贫困村) is 是: 累计 5; the four of 2021-2024 are the
    // base, so 本年 is 北沟村 alone, against the year's target of 1.
    let lifted_nov = sum(|v| v.4 + v.5 + v.6);
    let nov = pdf_text(&out.join("2025-11/工作简报-2025年11月.pdf"));
    assert!(nov.contains(&format!("2025年累计脱贫{lifted_nov}人")), "{nov}");
    assert!(nov.contains("本年已出列1个，年度目标1个，完成100.0%"), "{nov}");
    assert!(nov.contains("累计已出列5个"), "{nov}");
    assert!(!nov.contains("上年数据缺失"), "the base is stated: {nov}");
    // October: 北沟村 has not yet exited; the four earlier exits are not this year's.
    let oct = pdf_text(&out.join("2025-10/工作简报-2025年10月.pdf"));
    assert!(oct.contains("本年已出列0个，年度目标1个，完成0.0%"), "{oct}");

    // The fourth quarter: the year to date at November, from January (nothing before October
    // was reported with jianbao); the third quarter has no report, so nothing is compared.
    let q4 = pdf_text(&out.join("2025-Q4/季度汇总-2025年第四季度.pdf"));
    assert!(q4.contains(&format!("2025年第四季度，全县脱贫{lifted_nov}人，上季度无报表，不作比较。")), "{q4}");
    assert!(q4.contains("本季度仅有10月、11月报表，12月无报表。"), "{q4}");
    assert!(!q4.contains("没有任何乡镇的报表"), "December is not yet due: no problem of the quarter standing at November: {q4}");
    assert!(
        q4.contains(
            "以下乡镇的本季度脱贫人数含本季度以前没有报表的月份，按各自报表的本年累计数计算：白沙镇（1月至11月）、青松乡（1月至11月）、红岩乡（1月至11月）。"
        ),
        "{q4}"
    );
    assert!(!q4.contains("上季度为0人") && !q4.contains(&format!("+{lifted_nov}")), "{q4}");
    for (township, vs) in VILLAGES {
        let own: u32 = vs.iter().map(|v| v.4 + v.5 + v.6).sum();
        assert!(q4.contains(&format!("{township}{own}*无报表")), "{township}: {q4}");
    }
    // The chart marks January to September, never a 0 bar for them.
    let figures: serde_json::Value = serde_json::from_slice(&std::fs::read(out.join("2025-Q4/季度汇总-2025年第四季度.json")).unwrap()).unwrap();
    let trend = figures["figures"]["trend"].as_array().expect("the trend");
    for p in trend {
        let m: u32 = p["period"].as_str().unwrap()[5..].parse().unwrap();
        let expected = match m {
            10 => serde_json::json!(sum(|v| v.5)),
            11 => serde_json::json!(sum(|v| v.6)),
            _ => serde_json::Value::Null,
        };
        assert_eq!(p["lifted_this_month"], expected, "month {m}");
    }

    // Status for the year: January to September are before the start, nobody's failure.
    let status = run(dir.path(), &["status", "--year", "2025", "--today", "2025-12-20"]);
    let line = status.lines().find(|l| l.starts_with("白沙镇")).unwrap();
    assert_eq!(line.matches("启用前").count(), 9, "{status}");
    assert!(!status.contains("逾期") && !status.contains("未报 "), "{status}");
    assert!(status.contains("无，本月各乡镇均已报送且报表无误。"), "{status}");
    // The check report and the board's workbook say the same.
    let report = std::fs::read_to_string(out.join("数据校验报告.txt")).unwrap();
    assert!(!report.contains("W-NO-REPORTS") && !report.contains("W-START-EXITS"), "{report}");
    let board = std::fs::read(out.join("2025/报送情况-2025年.xlsx")).unwrap();
    let cells = xlsx_text(&board);
    assert!(cells.contains("启用前") && !cells.contains("逾期"), "{cells}");
    let overview = std::fs::read_to_string(out.join("结果一览.html")).unwrap();
    assert!(!overview.contains(">逾期<"), "结果一览");
}

#[test]
fn without_the_start_stated_a_warning_says_once_what_to_add_and_no_completion_is_computed() {
    let dir = county(false);
    let built = run(dir.path(), &[]);
    let out = dir.path().join("out");
    let report = std::fs::read_to_string(out.join("数据校验报告.txt")).unwrap();
    assert_eq!(report.matches("W-START-EXITS").count(), 1, "{report}");
    assert!(report.contains("2025年的本年出列村数：白沙镇、青松乡、红岩乡没有2024年的报表") && report.contains("start.exited"), "{report}");
    assert_eq!(report.matches("N-START").count(), 1, "{report}");
    assert!(built.contains("警告 1 个"), "{built}");
    // Every 是 counts, and no completion is printed against a base it does not share.
    let nov = pdf_text(&out.join("2025-11/工作简报-2025年11月.pdf"));
    assert!(nov.contains("本年已出列5个，年度目标1个；") || nov.contains("本年已出列5个，年度目标1个。"), "{nov}");
    assert!(!nov.contains("500.0%"), "{nov}");
    // One note under table 1, naming the three townships once.
    assert_eq!(nov.matches("上年数据缺失），本年出列村数").count(), 1, "{nov}");
    assert!(nov.contains("注：白沙镇、青松乡、红岩乡没有2024年的报表"), "{nov}");
    // Months before the first report are still nobody's failure.
    let status = run(dir.path(), &["status", "--year", "2025", "--today", "2025-12-20"]);
    assert!(!status.contains("逾期"), "{status}");
}

/// People lifted in 2021-2024 as the office states them (`start.lifted`).
const LIFTED: &[(&str, [u32; 4])] = &[("白沙镇", [120, 95, 80, 60]), ("青松乡", [70, 66, 52, 41]), ("红岩乡", [88, 73, 64, 30])];

#[test]
fn the_plans_final_accounting_shows_stated_years_as_stated_and_unknown_years_as_unknown() {
    let lifted: String = LIFTED.iter().map(|(t, ys)| format!("    {t}: {{ 2021: {}, 2022: {}, 2023: {}, 2024: {} }}\n", ys[0], ys[1], ys[2], ys[3])).collect();
    let months = ["2025-10", "2025-11", "2025-12"];
    let this_year = sum(|v| v.4 + v.5 + v.6);
    let report = "out/五年行动计划完成情况-2021-2025年.pdf";

    let dir = county_with(&format!("{START}  lifted:\n{lifted}"), &months);
    run(dir.path(), &[]);
    let text = pdf_text(&dir.path().join(report));
    let year = |i: usize| LIFTED.iter().map(|(_, ys)| ys[i]).sum::<u32>();
    let total = (0..4).map(year).sum::<u32>() + this_year;
    assert!(text.contains(&format!("2021—2025年，全县累计脱贫{total}人")), "{text}");
    assert!(text.contains(&format!("2021年脱贫{}人，完成年度目标400人的", year(0))), "{text}");
    assert!(text.contains("（开始使用本系统以前，据规划数据中写明的数字），出列贫困村1个"), "{text}");
    assert!(text.contains(&format!("2025年脱贫{this_year}人")), "{text}");

    // Without the people of earlier years: those years are unknown, and so is the total.
    let dir = county_with(START, &months);
    run(dir.path(), &[]);
    let text = pdf_text(&dir.path().join(report));
    assert!(text.contains("有的年份没有报表，全县累计脱贫人数无法合计"), "{text}");
    assert!(text.contains("2021年无报表，出列贫困村1个") && text.contains("2024年无报表，出列贫困村1个"), "{text}");
    assert!(!text.contains("2021年脱贫0人"), "{text}");
}

/// The shared strings and inline strings of a workbook, joined.
fn xlsx_text(bytes: &[u8]) -> String {
    use std::io::Read;
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut out = String::new();
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).unwrap();
        let name = f.name().unwrap().to_string();
        if name.starts_with("xl/") && name.ends_with(".xml") {
            f.read_to_string(&mut out).unwrap();
        }
    }
    out
}
