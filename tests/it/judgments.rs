//! Judgments in the documents (a threshold list, behind or ahead of 时序进度, 持平) are made on
//! exact ratios, and the numbers shown beside them never contradict them. Every expected value
//! below is worked out by hand in the comments.

use crate::common;

use common::{Book, TestData, P, V};
use jianbao::aggregate;
use jianbao::period::Quarter;

fn checked(d: &TestData) -> jianbao::Checked {
    jianbao::check(&d.options()).unwrap()
}

/// The year summary's prose as the built-in template words it (markup escapes removed).
fn year_text(plan: &jianbao::plan::Plan, f: &aggregate::year::YearFigures) -> String {
    jianbao::render::yearly::year_narrative(&jianbao::render::Engine::built_in().unwrap(), plan, f).unwrap().replace('\\', "")
}

/// The quarterly summary's prose as the built-in template words it.
fn quarter_text(q: &aggregate::quarter::QuarterFigures) -> String {
    jianbao::render::summary::narrative(&jianbao::render::Engine::built_in().unwrap(), q).unwrap().replace('\\', "")
}

/// December 2018 of two townships: 南村乡's deep village 关底村 at 499/2500 = 19.96 % and its
/// funds at 337.35/375 = 89.96 %; 段村乡's deep village 南岭村 at exactly 240/1200 = 20 %.
fn december() -> TestData {
    let d = TestData::new();
    d.add(
        "submissions/南村乡12月.xlsx",
        &Book {
            township: "南村乡",
            month: "2018-12",
            villages: vec![V("关底村", "深度贫困村", 2500, 600, 1, 101, "否", "")],
            projects: vec![P("关底村道路", "基础设施", "关底村", "统筹整合", 375.0, 337.35, "在建")],
            indicators: vec![],
        },
    );
    d.add(
        "submissions/段村乡12月.xlsx",
        &Book {
            township: "段村乡",
            month: "2018-12",
            villages: vec![V("南岭村", "深度贫困村", 1200, 400, 10, 160, "否", "")],
            projects: vec![P("南岭村水窖", "基础设施", "南岭村", "统筹整合", 100.0, 95.0, "在建")],
            indicators: vec![],
        },
    );
    d
}

#[test]
fn the_year_summary_lists_by_exact_thresholds_and_shows_values_that_agree() {
    let d = december();
    let c = checked(&d);
    let f = aggregate::year::year(&c.plan, &c.reports, 2018, &c.diagnostics, &Default::default(), 90.0).unwrap();
    let names = |l: &[aggregate::year::Named]| l.iter().map(|n| (n.name.clone(), n.pct)).collect::<Vec<_>>();
    assert_eq!(names(&f.findings.still_deep), [("南岭村".to_string(), Some(20.0))]);
    assert_eq!(names(&f.findings.slow), [("南村乡".to_string(), Some(89.96))]);
    let problems = year_text(&c.plan, &f);
    // 499/2500 = 19.96 % is below 20 %: not listed (it rounds to 20.0 %, which was listed).
    // 240/1200 = 20 % exactly is at the line: listed.
    assert!(problems.contains("1个深度贫困村年末贫困发生率仍在20%以上：段村乡南岭村（20.0%）。"), "{problems}");
    assert!(!problems.contains("关底村"), "{problems}");
    // 337.35/375 = 89.96 % is below 90 %: listed, and shown as 89.96 %, not as 90.0 %.
    // 段村乡 95/100 = 95 % is not.
    assert!(problems.contains("年末拨付率低于90%：南村乡（89.96%）。"), "{problems}");
    // The table still shows both villages rounded to one decimal: only the words judge.
    let incidence = |name: &str| f.deep_villages.iter().find(|v| v.name == name).unwrap().incidence_pct;
    assert_eq!((incidence("关底村"), incidence("南岭村")), (Some(20.0), Some(20.0)));
}

#[test]
fn the_year_summary_pdf_says_what_the_exact_values_say() {
    let d = december();
    jianbao::build(&d.options()).unwrap();
    let text = common::pdf_text(&d.out().join("2018/年度总结-2018年.pdf"));
    assert!(text.contains("南村乡（89.96%）"), "{text}");
    assert!(!text.contains("南村乡关底村（20.0%）"), "{text}");
}

#[test]
fn a_township_just_behind_time_progress_is_listed_in_the_quarter() {
    // Q1 2018 at March, ranked by 减贫进度 (no township targets). County poor at start
    // 534 + 7194 = 7728, target 5500: a township is expected at 5500 × 3/12 ÷ 7728 = 17.7924 %.
    // 南村乡 95/534 = 17.7903 % is behind, although both round to 17.8 %.
    // 段村乡 3000/7194 = 41.7 % is ahead.
    let d = TestData::new();
    d.add(
        "submissions/南村乡.xlsx",
        &Book {
            township: "南村乡",
            month: "2018-03",
            villages: vec![V("关底村", "深度贫困村", 3000, 534, 5, 95, "否", "")],
            projects: vec![],
            indicators: vec![],
        },
    );
    d.add(
        "submissions/段村乡.xlsx",
        &Book {
            township: "段村乡",
            month: "2018-03",
            villages: vec![V("南岭村", "深度贫困村", 9000, 7194, 5, 3000, "否", "")],
            projects: vec![],
            indicators: vec![],
        },
    );
    let c = checked(&d);
    let q = aggregate::quarter::quarter(&c.plan, &c.reports, Quarter { year: 2018, q: 1 }, "2018-03".parse().unwrap(), &c.diagnostics, &Default::default());
    let nancun = q.townships.iter().find(|t| t.name == "南村乡").unwrap();
    assert_eq!((nancun.progress_pct, nancun.expected_pct, nancun.behind_schedule), (Some(17.8), Some(17.8), true));
    assert!(!q.townships.iter().find(|t| t.name == "段村乡").unwrap().behind_schedule);
    assert_eq!(q.findings.behind, ["南村乡"]);
    let text = quarter_text(&q);
    assert!(text.contains("（一）南村乡减贫进度低于时序进度，需加快推进。"), "{text}");
}

#[test]
fn the_bulletin_says_chiping_only_when_exactly_on_schedule() {
    let d = TestData::new();
    let book = |done: u32| Book {
        township: "南村乡",
        month: "2018-09",
        villages: vec![V("关底村", "深度贫困村", 9000, 6000, 3, done, "否", "")],
        projects: vec![],
        indicators: vec![],
    };
    let engine = jianbao::render::Engine::built_in().unwrap();
    let narrative = |d: &TestData| {
        let c = checked(d);
        let f = aggregate::month(&c.plan, &c.reports, "2018-09".parse().unwrap(), &Default::default());
        // The narrative is Typst markup: its data are escaped (`0\.04`).
        (f.county.completion_pct, jianbao::render::bulletin::narrative(&engine, &f).unwrap().replace('\\', ""))
    };
    // 4123/5500 = 74.9636 % against 9/12 = 75 %: 0.0364 points behind.
    d.add("submissions/南村乡.xlsx", &book(4123));
    let (done, text) = narrative(&d);
    assert_eq!(done, Some(75.0));
    assert!(text.contains("低于时序进度0.04个百分点"), "{text}");
    assert!(!text.contains("持平"), "{text}");
    // 4125/5500 = 75 % exactly.
    d.add("submissions/南村乡.xlsx", &book(4125));
    assert!(narrative(&d).1.contains("与时序进度持平"));
    // 4127/5500 = 75.0364 %: ahead by 0.0364.
    d.add("submissions/南村乡.xlsx", &book(4127));
    assert!(narrative(&d).1.contains("超过时序进度0.04个百分点"));
}

#[test]
fn a_completion_just_short_of_the_target_is_never_shown_as_100_percent() {
    // 5499/5500 = 99.98 %: one person short. One decimal would show 100.0 %.
    let d = TestData::new();
    d.add(
        "submissions/南村乡.xlsx",
        &Book {
            township: "南村乡",
            month: "2018-12",
            villages: vec![V("关底村", "深度贫困村", 9000, 6000, 3, 5499, "否", "")],
            projects: vec![],
            indicators: vec![],
        },
    );
    let c = checked(&d);
    let f = aggregate::year::year(&c.plan, &c.reports, 2018, &c.diagnostics, &Default::default(), 90.0).unwrap();
    assert_eq!(f.county.completion_pct, Some(99.98));
    let short = f.findings.people_short.as_ref().unwrap();
    assert_eq!((short.target, short.done, short.completion_pct), (5500, 5499, Some(99.98)));
    let text = year_text(&c.plan, &f);
    assert!(text.contains("（一）全年脱贫5499人，未完成年度目标5500人（完成99.98%），尚差1人。"), "{text}");
    assert!(text.contains("对未完成的1人逐户分析原因"), "{text}");
}

#[test]
fn a_townships_falling_indicator_is_listed_whatever_the_county_total() {
    // 贫困劳动力培训人数 (flow): 南村乡 6 at March, 4 at June (−2); 段村乡 0 → 64 (+64).
    // The county adds 62 in Q2, but 南村乡's −2 is listed.
    let d = TestData::new();
    let book = |t: &'static str, v: &'static str, month: &'static str, trained: f64| Book {
        township: t,
        month,
        villages: vec![V(v, "深度贫困村", 1000, 300, 1, 10, "否", "")],
        projects: vec![],
        indicators: vec![("贫困劳动力培训人数", 0.0, trained)],
    };
    d.add("submissions/南村乡3月.xlsx", &book("南村乡", "关底村", "2018-03", 6.0));
    d.add("submissions/南村乡6月.xlsx", &book("南村乡", "关底村", "2018-06", 4.0));
    d.add("submissions/段村乡3月.xlsx", &book("段村乡", "南岭村", "2018-03", 0.0));
    d.add("submissions/段村乡6月.xlsx", &book("段村乡", "南岭村", "2018-06", 64.0));
    let c = checked(&d);
    let q = aggregate::quarter::quarter(&c.plan, &c.reports, Quarter { year: 2018, q: 2 }, "2018-06".parse().unwrap(), &c.diagnostics, &Default::default());
    let training = q.indicators.iter().find(|i| i.year_to_date.name == "贫困劳动力培训人数").unwrap();
    assert_eq!(training.quarter_amount, Some(62.0));
    let listed: Vec<(&str, &str, f64)> = q.findings.indicators_fell.iter().map(|i| (i.township.as_str(), i.name.as_str(), i.amount)).collect();
    assert_eq!(listed, [("南村乡", "贫困劳动力培训人数", -2.0)]);
    let text = quarter_text(&q);
    assert!(text.contains("南村乡专项指标“贫困劳动力培训人数”本季度为-2人：本年累计比上季度末少，请核实报表。"), "{text}");
}
