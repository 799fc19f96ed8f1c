//! 旬报 (issue 42): three 旬 of a month built from 旬 workbooks written here, every figure checked
//! against a computation in the test (留置资金, 本旬拨付, carried-forward townships, 序时进度); a
//! 下旬 that differs from the month's report is a diagnostic at both cells; 留置资金 above 计划投资
//! is an error at its cell; a 旬报 is numbered and published in its own series.

use jianbao::archive::{self, Outcome, Request, Target};
use jianbao::diag::Severity;
use jianbao::documents::xunbao::Xunbao;
use jianbao::period::{Period, Span, Xun};
use jianbao::sample::xlsx::{self, Sheet, Value};
use serde_json::Value as Json;

use crate::common::{copy_sample_month, n, pdf_text, t, TestData};

/// A project row of a 旬 workbook, amounts in 万元 × 100.
#[derive(Clone, Debug)]
struct Row {
    name: String,
    category: String,
    village: String,
    source: String,
    planned: i64,
    disbursed: i64,
    status: String,
    retained: i64,
    start: Option<&'static str>,
}

fn book(rows: &[Row]) -> Vec<u8> {
    let mut s = Sheet::new("项目资金");
    s.row(["项目名称", "项目类别", "所在村", "资金来源", "计划投资", "累计拨付", "项目状态", "留置资金", "计划开工"].map(t).to_vec());
    for r in rows {
        let start = r.start.map_or(Value::Blank, t);
        let money = |v: i64| n(v as f64 / 100.0);
        s.row(vec![t(&r.name), t(&r.category), t(&r.village), t(&r.source), money(r.planned), money(r.disbursed), t(&r.status), money(r.retained), start]);
    }
    xlsx::write(&[s]).unwrap()
}

/// A township's projects as its monthly workbook (the sample's) has them, read here.
fn month_projects(d: &TestData, township: &str, month: u8) -> Vec<jianbao::submission::ProjectRow> {
    let file = format!("submissions/2019-0{month}/{township}2019年{month}月报表.xlsx");
    let plan = jianbao::plan::Plan::parse(&std::fs::read_to_string(d.data().join("plan.yaml")).unwrap()).unwrap();
    jianbao::submission::read(&std::fs::read(d.data().join(&file)).unwrap(), &file, &plan).report.unwrap().projects
}

/// 南村乡's March projects, as its monthly workbook has them.
fn march_projects(d: &TestData) -> Vec<Row> {
    let projects = month_projects(d, "南村乡", 3);
    assert!(projects.len() >= 3, "the sample's 南村乡 has projects: {projects:?}");
    projects
        .iter()
        .map(|p| Row {
            name: p.name.clone(),
            category: p.category.clone().unwrap_or_default(),
            village: p.village.clone().unwrap_or_default(),
            source: p.source.clone().unwrap_or_default(),
            planned: p.planned,
            disbursed: p.disbursed,
            status: p.status.clone().unwrap_or_default(),
            retained: 0,
            start: None,
        })
        .collect()
}

/// Each 旬 of a month with the 旬 workbooks sent for it: township and rows.
type Month = [(Xun, Vec<(&'static str, Vec<Row>)>); 3];

/// The three 旬 of March 2019: 南村乡 sends all three (its 下旬 is its month's report, with 留置
/// 资金 on the first project), 坡头乡 only 上旬 (carried to 中旬 and 下旬); the rest send none.
fn march(d: &TestData) -> Month {
    let lower = march_projects(d);
    let mut lower_with_retained = lower.clone();
    lower_with_retained[0].retained = lower_with_retained[0].planned / 10;
    let part = |num: i64, den: i64| -> Vec<Row> { lower_with_retained.iter().map(|r| Row { disbursed: r.disbursed * num / den, ..r.clone() }).collect() };
    let mut upper = part(1, 2);
    upper[1].status = "未开工".into();
    upper[1].disbursed = 0;
    upper[1].start = Some("2019-03-05");
    let potou = vec![
        Row {
            name: "坡头乡光伏扩建".into(),
            category: "产业扶贫".into(),
            village: "坡头村".into(),
            source: "中央".into(),
            planned: 12000,
            disbursed: 3000,
            status: "在建".into(),
            retained: 600,
            start: None,
        },
        Row {
            name: "坡头乡道路硬化".into(),
            category: "基础设施".into(),
            village: "石门村".into(),
            source: "县级专项".into(),
            planned: 8050,
            disbursed: 0,
            status: "未开工".into(),
            retained: 0,
            start: Some("2019-02-20"),
        },
        Row {
            name: "坡头乡饮水工程".into(),
            category: "基础设施".into(),
            village: "坡头村".into(),
            source: "中央".into(),
            planned: 5000,
            disbursed: 0,
            status: "未开工".into(),
            retained: 0,
            start: None,
        },
    ];
    [(Xun::Upper, vec![("南村乡", upper), ("坡头乡", potou)]), (Xun::Middle, vec![("南村乡", part(3, 4))]), (Xun::Lower, vec![("南村乡", lower_with_retained)])]
}

/// Sums as the test computes them: projects, started, completed, planned, retained, disbursed.
fn sums(rows: &[Row]) -> [i64; 6] {
    let started = rows.iter().filter(|r| r.status == "在建" || r.status == "已完工").count() as i64;
    let completed = rows.iter().filter(|r| r.status == "已完工").count() as i64;
    [rows.len() as i64, started, completed, rows.iter().map(|r| r.planned).sum(), rows.iter().map(|r| r.retained).sum(), rows.iter().map(|r| r.disbursed).sum()]
}

fn sums_of(j: &Json) -> [i64; 6] {
    ["projects", "started", "completed", "planned", "retained", "disbursed"].map(|k| j[k].as_i64().unwrap_or_else(|| panic!("{k} in {j}")))
}

fn data_with_xun() -> (TestData, Month) {
    let d = TestData::new();
    copy_sample_month(&d, "2019-02");
    copy_sample_month(&d, "2019-03");
    // The sample's own 旬 workbooks are not this test's.
    for e in std::fs::read_dir(d.data().join("submissions/2019-03")).unwrap() {
        let path = e.unwrap().path();
        if path.to_string_lossy().contains('旬') {
            std::fs::remove_file(path).unwrap();
        }
    }
    let xuns = march(&d);
    for (x, books) in &xuns {
        for (township, rows) in books {
            d.write(&format!("submissions/2019-03/{township}2019年3月{}.xlsx", x.chinese()), &book(rows));
        }
    }
    (d, xuns)
}

fn figures(d: &TestData, x: Xun) -> Json {
    let path = d.out().join(format!("2019-03/旬报-2019年3月{}.json", x.chinese()));
    serde_json::from_slice(&std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))).unwrap()
}

#[test]
fn three_xun_of_a_month_show_the_figures_a_computation_here_gives() {
    let (d, xuns) = data_with_xun();
    let built = jianbao::build(&d.options()).unwrap();
    crate::common::keep(d.dir.path(), "xunbao");
    let errors: Vec<String> =
        built.diagnostics.iter().filter(|d| d.severity == Severity::Error).map(|d| format!("{} {} {:?} {}", d.code, d.file, d.cell, d.message)).collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let march: Period = "2019-03".parse().unwrap();
    // Each township's source at each 旬: its own, else its latest earlier one (坡头乡's 上旬).
    let source = |x: Xun, township: &str| -> Option<Vec<Row>> {
        xuns.iter().filter(|(y, _)| *y <= x).rev().find_map(|(_, books)| books.iter().find(|(t, _)| *t == township).map(|(_, rows)| rows.clone()))
    };
    for (x, own) in &xuns {
        let f = figures(&d, *x);
        let fig = &f["figures"];
        // 序时进度: the days of 2019 up to the 旬's last day, over 365.
        let day = [10, 20, 31][*x as usize];
        assert_eq!((fig["schedule"][0].as_i64(), fig["schedule"][1].as_i64()), (Some(31 + 28 + day), Some(365)));
        let mut total = [0i64; 6];
        let mut this_total = None;
        for township in ["南村乡", "坡头乡"] {
            let rows = source(*x, township).unwrap();
            let row = fig["townships"].as_array().unwrap().iter().find(|t| t["name"] == township).unwrap();
            let s = sums(&rows);
            assert_eq!(sums_of(&row["sums"]), s, "{township} {x:?}");
            let carried = !own.iter().any(|(t, _)| *t == township);
            assert_eq!(row["status"], if carried { "carried_forward" } else { "reported" }, "{township} {x:?}");
            // 本旬拨付: only for a township that sent this 旬, against its previous 旬's figures.
            // Before 上旬: the township's February report, which tells the end of 2月下旬.
            let before = match x {
                Xun::Upper => Some(month_projects(&d, township, 2).iter().map(|p| p.disbursed).sum::<i64>()),
                Xun::Middle => source(Xun::Upper, township).map(|b| sums(&b)[5]),
                Xun::Lower => source(Xun::Middle, township).map(|b| sums(&b)[5]),
            };
            let expected = before.filter(|_| !carried).map(|b| s[5] - b);
            assert_eq!(row["this_xun"].as_i64(), expected, "{township} {x:?}");
            this_total = match (this_total, expected) {
                (None, e) => e,
                (Some(a), Some(e)) => Some(a + e),
                (a, None) => a,
            };
            // Behind 序时进度, judged on the exact ratio 累计拨付 / (计划投资 − 留置资金).
            let behind = s[3] - s[4] > 0 && i128::from(s[5]) * 365 < i128::from(31 + 28 + day) * i128::from(s[3] - s[4]);
            assert_eq!(row["behind"], behind, "{township} {x:?}");
            for (t, v) in total.iter_mut().zip(s) {
                *t += v;
            }
        }
        assert_eq!(sums_of(&fig["total"]), total, "{x:?}");
        assert_eq!(fig["this_xun"].as_i64(), this_total, "{x:?}");
        // The other eight townships sent nothing this year: no figures, never 0.
        let missing: Vec<&Json> = fig["townships"].as_array().unwrap().iter().filter(|t| t["status"] == "missing").collect();
        assert_eq!(missing.len(), 8);
        assert!(missing.iter().all(|t| t["sums"].is_null()));
        // By 资金来源: the same projects, grouped here.
        let all: Vec<Row> = ["南村乡", "坡头乡"].iter().flat_map(|t| source(*x, t).unwrap()).collect();
        for pair in fig["sources"].as_array().unwrap() {
            let name = pair[0].as_str().unwrap();
            let rows: Vec<Row> = all.iter().filter(|r| r.source == name || (r.source.is_empty() && name == "未填写")).cloned().collect();
            assert_eq!(sums_of(&pair[1]), sums(&rows), "{name} {x:?}");
        }
        // 未开工, the oldest planned start first; those without one last.
        let idle: Vec<&str> = fig["not_started"].as_array().unwrap().iter().map(|p| p["name"].as_str().unwrap()).collect();
        let mut expected: Vec<&Row> = all.iter().filter(|r| r.status == "未开工").collect();
        expected.sort_by_key(|r| (r.start.is_none(), r.start));
        assert_eq!(idle, expected.iter().map(|r| r.name.as_str()).collect::<Vec<_>>(), "{x:?}");
        // The document: its masthead, title and number (待签发, numbered in 旬 order).
        let text = pdf_text(&d.out().join(format!("2019-03/旬报-2019年3月{}.pdf", x.chinese())));
        assert!(text.contains("扶贫项目实施和资金支出进度旬报"), "{text}");
        assert!(text.contains(&format!("2019年3月{}全县扶贫项目实施和资金支出进度", x.chinese())));
        assert!(text.contains(&format!("第{}期（待签发）", *x as usize + 1)), "{text}");
        assert_eq!(f["issue"].as_i64(), Some(*x as i64 + 1));
    }
    // 留置资金 is what 支出进度 is measured against: 南村乡's 下旬 has some.
    let lower = figures(&d, Xun::Lower);
    let nancun = lower["figures"]["townships"].as_array().unwrap().iter().find(|t| t["name"] == "南村乡").unwrap().clone();
    assert!(nancun["sums"]["retained"].as_i64().unwrap() > 0);
    // The monthly documents are made as before, and the 旬 workbooks are no month's report.
    assert!(d.out().join("2019-03/工作简报-2019年3月.pdf").is_file());
    let _ = march;
}

#[test]
fn a_lower_xun_that_differs_from_the_months_report_is_named_at_both_cells_and_holds_back_its_xun_only() {
    let (d, xuns) = data_with_xun();
    let mut lower = xuns[2].1[0].1.clone();
    lower[0].disbursed += 100;
    d.write("submissions/2019-03/南村乡2019年3月下旬.xlsx", &book(&lower));
    let built = jianbao::build(&d.options()).unwrap();
    let named: Vec<_> = built.diagnostics.iter().filter(|x| x.code.ends_with("XUN-MONTH")).collect();
    assert_eq!(named.len(), 2, "{named:?}");
    let xun = named.iter().find(|x| x.code == "E-XUN-MONTH").unwrap();
    assert_eq!((xun.file.as_str(), xun.sheet.as_deref(), xun.cell.as_deref()), ("submissions/2019-03/南村乡2019年3月下旬.xlsx", Some("项目资金"), Some("F2")));
    assert!(xun.message.contains(&lower[0].name) && xun.message.contains("累计拨付"), "{}", xun.message);
    let month = named.iter().find(|x| x.code == "W-XUN-MONTH").unwrap();
    assert_eq!((month.file.as_str(), month.severity), ("submissions/2019-03/南村乡2019年3月报表.xlsx", Severity::Warning));
    assert!(month.cell.is_some());
    // Whom to phone: 南村乡 about its 下旬, 坡头乡 for the two 旬 it did not send.
    use jianbao::office::xun_board::{board, XunCell};
    let b = board(&jianbao::check(&d.options()).unwrap(), None).unwrap();
    let row = |t: &str| b.rows.iter().find(|(n, _)| n == t).unwrap().1.clone();
    assert_eq!(row("南村乡"), [XunCell::Sent, XunCell::Sent, XunCell::Errors(1)]);
    assert_eq!(row("坡头乡"), [XunCell::Sent, XunCell::Missing, XunCell::Missing]);
    assert!(b.calls.contains(&"南村乡：3月下旬旬报表有误".to_string()) && b.calls.contains(&"坡头乡：3月中旬、下旬旬报表未报送".to_string()), "{:?}", b.calls);
    // The 下旬's 旬报 is held back; 上旬 and 中旬 and the month's bulletin are made.
    assert!(built.held.contains(&"2019-03/旬报-2019年3月下旬".to_string()), "{:?}", built.held);
    assert!(d.out().join("2019-03/旬报-2019年3月中旬.pdf").is_file());
    assert!(d.out().join("2019-03/工作简报-2019年3月.pdf").is_file());
}

#[test]
fn retained_funds_above_the_planned_investment_are_an_error_at_their_cell() {
    let (d, xuns) = data_with_xun();
    let mut upper = xuns[0].1[1].1.clone();
    upper[0].retained = upper[0].planned + 1;
    d.write("submissions/2019-03/坡头乡2019年3月上旬.xlsx", &book(&upper));
    let c = jianbao::check(&d.options()).unwrap();
    let e = c.diagnostics.iter().find(|x| x.code == "E-RANGE").expect("E-RANGE");
    assert_eq!((e.file.as_str(), e.cell.as_deref()), ("submissions/2019-03/坡头乡2019年3月上旬.xlsx", Some("H2")));
    assert!(e.message.contains("留置资金"));
}

#[test]
fn a_xun_report_is_numbered_and_published_in_its_own_series() {
    let (d, _) = data_with_xun();
    let opts = d.options();
    let at = |x: Xun| Span::Xun("2019-03".parse().unwrap(), x);
    let req = |x: Xun, date: &str| Request { target: Target::Issue(&Xunbao, at(x)), date: Some(date.parse().unwrap()), correction: false, skip_earlier: false };
    // Not before the 旬 ends; then in 旬 order.
    let early = archive::publish(&opts, &req(Xun::Upper, "2019-03-10")).unwrap().outcome;
    assert!(matches!(early, Outcome::BadDate { .. }), "{early:?}");
    let Outcome::Published { entry, path } = archive::publish(&opts, &req(Xun::Upper, "2019-03-12")).unwrap().outcome else { panic!("上旬") };
    assert_eq!((entry.series.name(), entry.number, entry.period.to_string()), ("旬报", 1, "2019-03上旬".to_string()));
    assert_eq!(entry.file, format!("2019/旬报第01期-{}.pdf", entry.title));
    assert!(pdf_text(&path).contains("第1期"));
    let skipped = archive::publish(&opts, &req(Xun::Lower, "2019-04-02")).unwrap().outcome;
    assert!(matches!(&skipped, Outcome::OutOfOrder { earlier } if earlier == &[at(Xun::Middle)]), "{skipped:?}");
    let v = archive::verify(&opts.out).unwrap();
    assert_eq!(v.listed, 1);
    assert!(v.missing.is_empty() && v.altered.is_empty() && v.mismatched.is_empty(), "{v:?}");
}

#[test]
fn hostile_project_names_in_a_xun_workbook_print_literally() {
    let hostile = "{{ 7*7 }} *_[]$@<>\\` #set page(width: 1cm) // x";
    let pages = |name: &str| {
        let d = TestData::new();
        let row = Row {
            name: name.into(),
            category: "基础设施".into(),
            village: "#read(\"/etc/passwd\")".into(),
            source: "中央".into(),
            planned: 10000,
            disbursed: 0,
            status: "未开工".into(),
            retained: 0,
            start: None,
        };
        d.write("submissions/2019-03/南村乡2019年3月上旬.xlsx", &book(&[row]));
        let built = jianbao::build(&d.options()).unwrap();
        assert!(!built.has_errors(), "{:?}", built.diagnostics);
        let pdf = d.out().join("2019-03/旬报-2019年3月上旬.pdf");
        (pdf_text(&pdf), lopdf::Document::load(&pdf).unwrap().get_pages().len())
    };
    let (text, n) = pages(hostile);
    let squashed: String = hostile.chars().filter(|c| !c.is_whitespace()).collect();
    assert!(text.contains(&squashed), "{text}");
    assert!(text.contains("#read(\"/etc/passwd\")"), "{text}");
    assert!(!text.contains("root:"));
    assert_eq!(n, pages("普通项目").1, "the same pages as a plain name");
}

#[test]
fn status_tells_who_sent_which_xun_and_whom_to_phone() {
    let (d, _) = data_with_xun();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_jianbao"))
        .args(["status", "--today", "2019-04-08", "--data"])
        .arg(d.data())
        .arg("--out")
        .arg(d.out())
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let board = &text[text.find("2019年3月旬报表报送情况").expect("the 旬 board")..];
    let line = |t: &str| board.lines().find(|l| l.starts_with(t)).unwrap().split_whitespace().skip(1).collect::<Vec<_>>();
    assert_eq!(line("南村乡"), ["已报", "已报", "已报"]);
    assert_eq!(line("坡头乡"), ["已报", "未报", "未报"]);
    assert_eq!(line("段村乡"), ["未报", "未报", "未报"]);
    assert!(board.contains("9. 坡头乡：3月中旬、下旬旬报表未报送"), "{board}");
    assert!(!board.contains("南村乡："));
}

#[test]
fn a_xun_past_its_day_is_late_on_the_board_the_workbook_and_the_report() {
    let (d, _) = data_with_xun();
    let config = std::fs::read_to_string(d.data().join("config.yaml")).unwrap();
    // 3 days after each 旬: 上旬 by 3月13日, 中旬 by 3月23日, 下旬 by 4月3日; judged on 3月25日.
    d.write("config.yaml", format!("{config}\n旬报截止天数: 3\n今日: 2019-03-25\n").as_bytes());
    let text = crate::common::run_in_dir(d.dir.path(), &["status", "--period", "2019-03", "--data", "data", "--out", "out"]);
    let board = &text[text.find("2019年3月旬报表报送情况").expect("the 旬 board")..];
    let line = |t: &str| board.lines().find(|l| l.starts_with(t)).unwrap().split_whitespace().skip(1).collect::<Vec<_>>();
    assert_eq!(line("南村乡"), ["已报", "已报", "已报"]);
    assert_eq!(line("坡头乡"), ["已报", "逾期", "未报"], "中旬 is past its day, 下旬 not yet");
    assert_eq!(line("段村乡"), ["逾期", "逾期", "未报"]);
    assert!(board.contains("坡头乡：3月中旬旬报表逾期未报送；3月下旬旬报表未报送"), "{board}");
    assert!(board.contains("逾期：旬末后3天仍未报送，按2019年3月25日判断"), "{board}");
    // The year's 报送情况 workbook and the check report carry the same board.
    jianbao::build(&d.options()).unwrap();
    let mut book = calamine::open_workbook_auto(d.out().join("2019/报送情况-2019年.xlsx")).unwrap();
    use calamine::Reader;
    let sheet = book.worksheet_range("旬报表报送情况").unwrap();
    let row: Vec<String> = sheet.rows().find(|r| r.first().is_some_and(|c| *c == "段村乡")).unwrap().iter().map(|c| c.to_string()).collect();
    assert_eq!(row[1..4], ["逾期", "逾期", "未报"]);
    let report = crate::common::pdf_text(&d.out().join("数据校验报告.pdf"));
    assert!(report.contains("2019年3月旬报表报送情况") && report.contains("坡头乡：3月中旬旬报表逾期未报送"), "{report}");
}
