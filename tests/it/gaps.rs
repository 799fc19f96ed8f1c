//! Months that no township reported are gaps, not zeros (issue 44): a county of six townships
//! (its own 2021-2025 plan) whose folder holds January to April 2021 (柳溪乡 without March) and
//! then only the December reports of 2021-2025. Every figure checked is worked out here from the
//! workbooks this test writes: cumulative columns, carried figures, lifts a later report reveals.

use crate::common;

use std::path::Path;

use common::{pdf_text, repo, run_in_dir as run, Book, V};

/// Each township's villages: (name, type, k). Village k lifts `k + m` people in month m of
/// every year; it starts 2021 with 1000 poor.
type Village = (&'static str, &'static str, u32);

const TOWNSHIPS: &[(&str, &[Village])] = &[
    ("石门镇", &[("上石村", "深度贫困村", 1), ("下石村", "深度贫困村", 2)]),
    ("柳溪乡", &[("柳湾村", "深度贫困村", 3)]),
    ("白云乡", &[("云顶村", "深度贫困村", 4)]),
    // 松林材: typed one letter off a listed village's name in every report (one warning).
    ("松岭镇", &[("松林村", "非贫困村", 5), ("松林材", "非贫困村", 8)]),
    ("东坪乡", &[("坪上村", "非贫困村", 6)]),
    ("河口镇", &[("河湾村", "非贫困村", 7)]),
];

/// The months each township reported.
fn reported(township: &str) -> Vec<(u16, u32)> {
    let early = (1..=4).filter(|m| !(township == "柳溪乡" && *m == 3)).map(|m| (2021, m));
    early.chain((2021..=2025).map(|y| (y, 12))).collect()
}

fn lifted(k: u32, m: u32) -> u32 {
    k + m
}

fn cumulative(k: u32, m: u32) -> u32 {
    (1..=m).map(|j| lifted(k, j)).sum()
}

/// Poor at the start of `year`: 1000 in 2021, less each earlier year's twelve months.
fn poor_at_start(k: u32, year: u16) -> u32 {
    1000 - u32::from(year - 2021) * cumulative(k, 12)
}

/// Σ over the villages of the townships that reported month `m` of 2021.
fn county(m: u32, f: impl Fn(u32) -> u32) -> u32 {
    TOWNSHIPS.iter().filter(|(t, _)| reported(t).contains(&(2021, m))).flat_map(|(_, vs)| vs.iter()).map(|v| f(v.2)).sum()
}

fn build() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    std::fs::create_dir_all(&data).unwrap();
    for f in ["plan.yaml", "config.yaml"] {
        std::fs::copy(repo().join("tests/fixtures/another_county").join(f), data.join(f)).unwrap();
    }
    for (township, villages) in TOWNSHIPS {
        for (year, m) in reported(township) {
            let month = format!("{year}-{m:02}");
            let rows = villages.iter().map(|&(name, kind, k)| V(name, kind, 5000, poor_at_start(k, year), lifted(k, m), cumulative(k, m), "否", "")).collect();
            let book = Book { township, month: &month, villages: rows, projects: vec![], indicators: vec![] };
            let path = data.join(format!("submissions/{month}/{township}.xlsx"));
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, jianbao::sample::xlsx::write(&book.sheets()).unwrap()).unwrap();
        }
    }
    run(dir.path(), &[]);
    dir
}

fn trend(path: &Path) -> Vec<serde_json::Value> {
    let json: serde_json::Value = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
    json["figures"]["trend"].as_array().unwrap().iter().map(|p| p["lifted_this_month"].clone()).collect()
}

#[test]
fn quarters_and_years_with_months_nobody_reported_say_so_and_never_print_a_zero_for_them() {
    let dir = build();
    common::keep(dir.path(), "gaps");
    let out = dir.path().join("out");

    // Q2 2021 stands at April. 柳溪乡's April amount reaches back to March (its March is
    // carried from February at the first quarter's end): its two months, the others' April.
    let liuxi = |m| lifted(3, m);
    let q2 = county(4, |k| lifted(k, 4)) + liuxi(3);
    let text = pdf_text(&out.join("2021-Q2/季度汇总-2021年第二季度.pdf"));
    assert!(text.contains(&format!("2021年第二季度，全县脱贫{q2}人，上季度部分乡镇无报表或数字跨越其他月份，不作比较。")), "{text}");
    assert!(text.contains("本季度仅有4月报表，5月、6月无报表。"), "{text}");
    assert!(text.contains("柳溪乡（3月至4月）"), "{text}");
    assert!(text.contains(&format!("柳溪乡{}*", liuxi(3) + liuxi(4))), "{text}");
    assert!(text.contains("注：*为含本季度以前没有报表的月份的数字（按本年累计数计算）：柳溪乡3月至4月。"), "{text}");
    // Its chart: the months as reported, March without 柳溪乡.
    let expected: Vec<serde_json::Value> = (1..=4).map(|m| county(m, |k| lifted(k, m)).into()).collect();
    assert_eq!(trend(&out.join("2021-Q2/季度汇总-2021年第二季度.json")), expected);

    // Q1 names the township that missed March; its amount stands at February (carried).
    let text = pdf_text(&out.join("2021-Q1/季度汇总-2021年第一季度.pdf"));
    assert!(text.contains("2021年3月柳溪乡未按时报送"), "{text}");
    let q1 = county(3, |k| cumulative(k, 3)) + cumulative(3, 2);
    assert!(text.contains(&format!("2021年第一季度，全县脱贫{q1}人。")), "{text}");

    // No report in the third quarter: no summary for it.
    assert!(!out.join("2021-Q3").exists());

    // Q4 stands at December: each township's amount spans May to December; the third quarter
    // had no report, so nothing is compared with it.
    let q4: u32 = TOWNSHIPS.iter().flat_map(|(_, vs)| vs.iter()).map(|v| cumulative(v.2, 12) - cumulative(v.2, 4)).sum();
    let text = pdf_text(&out.join("2021-Q4/季度汇总-2021年第四季度.pdf"));
    assert!(text.contains(&format!("2021年第四季度，全县脱贫{q4}人，上季度无报表，不作比较。")), "{text}");
    assert!(text.contains("本季度仅有12月报表，10月、11月无报表。"), "{text}");
    assert!(text.contains("石门镇（5月至12月）、柳溪乡（5月至12月）"), "{text}");
    assert!(!text.contains("上季度为0人") && !text.contains(&format!("+{q4}")), "{text}");
    assert!(text.contains("本季度10月、11月没有任何乡镇的报表，本季度数字不完整。"), "{text}");
    let (shimen_q4, shimen_ytd) = (q4_of(&[1, 2]), cumulative(1, 12) + cumulative(2, 12));
    assert!(text.contains(&format!("石门镇{shimen_q4}*无报表—{shimen_ytd}")), "{text}");

    // The year: seven months without any report, named as a problem; never "all done".
    let year = cumulative_2021();
    let text = pdf_text(&out.join("2021/年度总结-2021年.pdf"));
    assert!(text.contains(&format!("2021年，全县脱贫{year}人")), "{text}");
    assert!(text.contains("（一）5月至11月没有任何乡镇的报表，全年共7个月无报表"), "{text}");
    assert!(!text.contains("全年各项目标均已完成"), "{text}");
    let months = trend(&out.join("2021/年度总结-2021年.json"));
    for (i, v) in months.iter().enumerate() {
        let m = i as u32 + 1;
        let expected: serde_json::Value = if (5..=11).contains(&m) { serde_json::Value::Null } else { county(m, |k| lifted(k, m)).into() };
        assert_eq!(*v, expected, "month {m}");
    }

    // The check report names the county's gaps once, as runs, and 柳溪乡's March once.
    let report = std::fs::read_to_string(out.join("数据校验报告.txt")).unwrap();
    assert_eq!(report.matches("W-NO-REPORTS").count(), 1, "{report}");
    assert!(report.contains("2021年5月至11月、2022年1月至11月、2023年1月至11月、2024年1月至11月、2025年1月至11月没有任何乡镇的报表"), "{report}");
    assert_eq!(report.matches("W-TOWNSHIP-GAP").count(), 1, "{report}");
    assert!(report.contains("柳溪乡没有2021年3月的报表（其他乡镇已报）"), "{report}");
    // The same village-name warning in all nine of 松岭镇's reports: once, on the latest, with the months.
    assert_eq!(report.matches("W-VILLAGE-NEAR").count(), 1, "{report}");
    let near = report.lines().skip_while(|l| !l.contains("W-VILLAGE-NEAR")).nth(1).unwrap();
    assert!(report.contains("W-VILLAGE-NEAR  submissions/2025-12/松岭镇.xlsx"), "{report}");
    assert!(near.contains("（2021年1月至4月、12月、2022年12月、2023年12月、2024年12月、2025年12月各月报表相同，只列一次）"), "{near}");
    let check = run(dir.path(), &["check"]);
    assert!(check.contains("2021年5月至11月、2022年1月至11月"), "{check}");

    // 2025's board: January to November are gaps that December's reports cover, not 逾期;
    // the call list and the board agree, and the gap is said once.
    let status = run(dir.path(), &["status", "--year", "2025", "--today", "2026-01-20"]);
    assert!(!rows(&status).contains("逾期"), "{status}");
    for (township, _) in TOWNSHIPS {
        let line = status.lines().find(|l| l.starts_with(township)).unwrap();
        assert_eq!(line.matches("未报").count(), 11, "{line}");
        assert!(line.trim_end().ends_with("已报") || line.trim_end().ends_with("警告1"), "{line}");
    }
    assert!(status.contains("2025年1月至11月无任何乡镇报表。"), "{status}");
    assert!(status.contains("无，本月各乡镇均已报送且报表无误。"), "{status}");
    // 2021: 柳溪乡's March is carried from February; May to November from April.
    let status = run(dir.path(), &["status", "--year", "2021", "--today", "2022-01-20"]);
    let line = status.lines().find(|l| l.starts_with("柳溪乡")).unwrap();
    assert!(line.contains("沿用2") && line.matches("沿用4").count() == 7 && !line.contains("逾期"), "{status}");
}

/// The board's rows (a township's name first), without its legend.
fn rows(status: &str) -> String {
    status.lines().filter(|l| TOWNSHIPS.iter().any(|(t, _)| l.starts_with(t))).collect::<Vec<_>>().join("\n")
}

/// A township's fourth-quarter amount: its villages' December year to date less April's.
fn q4_of(ks: &[u32]) -> u32 {
    ks.iter().map(|k| cumulative(*k, 12) - cumulative(*k, 4)).sum()
}

fn cumulative_2021() -> u32 {
    TOWNSHIPS.iter().flat_map(|(_, vs)| vs.iter()).map(|v| cumulative(v.2, 12)).sum()
}

#[test]
fn a_township_overdue_after_its_last_report_is_on_the_call_list_with_every_month_it_owes() {
    let dir = build();
    let config = dir.path().join("data/config.yaml");
    std::fs::write(&config, format!("{}\n报送截止日: 5\n", std::fs::read_to_string(&config).unwrap())).unwrap();
    // 2021 standing at April, judged in June: 柳溪乡's March is covered by its April report
    // (沿用, not 逾期); nobody owes anything for April.
    let status = run(dir.path(), &["status", "--period", "2021-04", "--today", "2021-06-20"]);
    assert!(!rows(&status).contains("逾期") && status.contains("2021年4月需要联系的乡镇：无"), "{status}");
    // Remove 河口镇's April: now it owes April, and the call says so.
    std::fs::remove_file(dir.path().join("data/submissions/2021-04/河口镇.xlsx")).unwrap();
    let status = run(dir.path(), &["status", "--period", "2021-04", "--today", "2021-06-20"]);
    let line = status.lines().find(|l| l.starts_with("河口镇")).unwrap();
    assert_eq!(line.split_whitespace().nth(4), Some("逾期"), "{line}");
    assert!(status.contains("河口镇（逾期）") && status.contains("2021年4月报表未报送"), "{status}");
}
