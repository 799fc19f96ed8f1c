//! 报送情况: a data folder with every status a cell can have, checked cell by cell in the JSON,
//! in 报送情况-2019年.xlsx read back, in the report's text, and in the terminal's alignment.

use crate::common;

use calamine::{open_workbook_auto, Data, Reader};
use common::{pdf_text, t, Book, TestData, V};
use serde_json::Value;

/// A clean workbook of `township` for `month`: every village the plan lists for it, and the
/// clerk's name and phone on the cover.
fn clean(plan: &jianbao::plan::Plan, township: &'static str, month: &'static str, clerk: &str) -> Vec<jianbao::sample::xlsx::Sheet> {
    let villages: Vec<V<'static>> = plan
        .listed_villages(township)
        .into_iter()
        .map(|(name, kind)| {
            let name: &'static str = Box::leak(name.to_string().into_boxed_str());
            let kind = if kind == jianbao::plan::ListedAs::DeepPoverty { "深度贫困村" } else { "非贫困村" };
            V(name, kind, 1000, 100, 0, 0, "否", "")
        })
        .collect();
    let mut sheets = Book { township, month, villages, projects: vec![], indicators: vec![] }.sheets();
    sheets[0].row(vec![t("填报人"), t(clerk)]).row(vec![t("联系电话"), t(&format!("0398-{}", clerk.len()))]);
    sheets
}

fn folder() -> TestData {
    let d = TestData::new();
    let config = std::fs::read_to_string(d.data().join("config.yaml")).unwrap();
    std::fs::write(d.data().join("config.yaml"), format!("{config}报送截止日: 5\n")).unwrap();
    let plan = jianbao::plan::Plan::load(&d.data().join("plan.yaml")).unwrap();
    let put = |rel: &str, sheets: Vec<jianbao::sample::xlsx::Sheet>| d.write(rel, &jianbao::sample::xlsx::write(&sheets).unwrap());
    for m in ["2019-01", "2019-02", "2019-03"] {
        put(&format!("{m}/南村乡.xlsx"), clean(&plan, "南村乡", m, "南村张三")); // 已报
        put(&format!("{m}/段村乡.xlsx"), clean(&plan, "段村乡", m, "段村李四"));
    }
    // 段村乡 March: a number typed as text (有误).
    let mut bad = clean(&plan, "段村乡", "2019-03", "段村李四");
    bad[1].rows[1][5] = t("约50");
    put("2019-03/段村乡.xlsx", bad);
    // 仁村乡 March: a village of its list left out (warnings only).
    let mut warned = clean(&plan, "仁村乡", "2019-03", "仁村王五");
    warned[1].rows.pop();
    put("2019-03/仁村乡.xlsx", warned);
    // 天池镇: January only (沿用1 in February; March past its deadline: 逾期).
    put("2019-01/天池镇.xlsx", clean(&plan, "天池镇", "2019-01", "天池赵六"));
    // 张村镇: nothing at all (未报; March 逾期).
    // 英豪镇 March: two files (重复).
    put("2019-03/英豪镇.xlsx", clean(&plan, "英豪镇", "2019-03", "英豪孙七"));
    put("2019-03/英豪镇(修改).xlsx", clean(&plan, "英豪镇", "2019-03", "英豪孙七"));
    // 陈村乡 March: not a workbook at all; its name says whose and when.
    d.write("2019-03/陈村乡2019年3月报表.xlsx", b"not a workbook");
    // A file that says nothing of itself, in the March folder.
    d.write("2019-03/扫描件.xlsx", b"also not a workbook");
    // A township the plan does not have.
    put(
        "2019-03/城关镇.xlsx",
        clean(&plan, "南村乡", "2019-03", "城关周八")
            .into_iter()
            .enumerate()
            .map(|(i, mut s)| {
                if i == 0 {
                    s.rows[0][1] = t("城关镇");
                }
                s
            })
            .collect(),
    );
    // 洪阳镇: a cover whose month cannot be read.
    let mut undated = clean(&plan, "洪阳镇", "2019-03", "洪阳吴九");
    undated[0].rows[1][1] = t("三月份");
    put("洪阳镇报表.xlsx", undated);
    d
}

fn status(d: &TestData, args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_jianbao")).arg("status").args(args).arg("--data").arg(d.data()).arg("--out").arg(d.out()).output().unwrap()
}

fn row<'a>(board: &'a Value, township: &str) -> &'a Value {
    board["rows"].as_array().unwrap().iter().find(|r| r["township"] == township).unwrap_or_else(|| panic!("no row {township}: {board:#}"))
}

#[test]
fn every_status_shows_up_where_a_clerk_looks() {
    let d = folder();
    // 3 April: the deadlines of January (5 February) and February (5 March) have passed,
    // March's (5 April) not yet.
    let out = status(&d, &["--today", "2019-04-03", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let b: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!((b["year"].as_u64(), b["month"].as_u64(), b["today"].as_str()), (Some(2019), Some(3), Some("2019-04-03")));
    let cell = |t: &str, m: usize| row(&b, t)["months"][m - 1].clone();
    let status_of = |t: &str, m: usize| cell(t, m)["status"].as_str().unwrap().to_string();
    assert_eq!(status_of("南村乡", 3), "reported");
    assert_eq!((status_of("段村乡", 3), cell("段村乡", 3)["errors"].as_u64()), ("errors".into(), Some(1)));
    assert_eq!((status_of("仁村乡", 3), cell("仁村乡", 3)["warnings"].as_u64()), ("warnings".into(), Some(1)));
    // January was due on 5 February, but its March report covers it: a gap (未报), not a call.
    assert_eq!(status_of("仁村乡", 1), "missing", "a month a later report covers is no longer late");
    assert_eq!((status_of("天池镇", 2), cell("天池镇", 2)["carried_from"].as_str()), ("late".into(), Some("2019-01")));
    assert_eq!((status_of("天池镇", 3), cell("天池镇", 3)["from"].as_str()), ("carried".into(), Some("2019-01")));
    assert_eq!(status_of("张村镇", 3), "missing");
    assert_eq!(status_of("张村镇", 1), "late");
    assert_eq!(status_of("张村镇", 4), "not_due");
    assert_eq!(cell("英豪镇", 3)["files"].as_array().unwrap().len(), 2, "both files of a duplicate");
    assert_eq!(status_of("英豪镇", 3), "duplicate");
    assert_eq!(status_of("陈村乡", 3), "unreadable", "an unreadable file sits in the row and month its name gives");
    assert!(cell("陈村乡", 3)["reason"].as_str().unwrap().contains("纯文本文件，不是电子表格"), "{:#}", cell("陈村乡", 3));
    assert_eq!(status_of("乡镇不明的文件", 3), "unreadable", "a file that names no township has its own row, in its folder's month");
    assert_eq!(status_of("城关镇（不在规划中）", 3), "errors");
    assert_eq!(row(&b, "城关镇（不在规划中）")["in_plan"], false);
    assert_eq!(row(&b, "洪阳镇")["month_unknown"], serde_json::json!(["洪阳镇报表.xlsx"]));
    // The call list: whom to phone about March, with the number from the latest cover.
    let calls = b["calls"].as_array().unwrap();
    let call = |t: &str| calls.iter().find(|c| c["township"] == t).unwrap_or_else(|| panic!("no call for {t}: {calls:#?}"));
    assert_eq!((call("段村乡")["contact"].as_str(), call("段村乡")["phone"].as_str()), (Some("段村李四"), Some("0398-12")));
    assert!(call("段村乡")["problems"][0].as_str().unwrap().contains("2019-03/段村乡.xlsx › 村级进度 › F2"), "{:#}", call("段村乡"));
    assert_eq!(call("天池镇")["contact"].as_str(), Some("天池赵六"), "from its January cover");
    assert!(call("张村镇")["contact"].is_null(), "no cover ever: no contact");
    assert!(call("英豪镇")["problems"][0].as_str().unwrap().contains("英豪镇(修改).xlsx"));
    // Received but unreadable: the clerk is told so, never that nothing was sent.
    let chencun = call("陈村乡")["problems"][0].as_str().unwrap();
    assert!(chencun.contains("已收到但无法读取") && chencun.contains("陈村乡2019年3月报表.xlsx") && !chencun.contains("未报送"), "{chencun}");
    let hongyang: Vec<&str> = call("洪阳镇")["problems"].as_array().unwrap().iter().map(|p| p.as_str().unwrap()).collect();
    // Every month it owes: nothing of 2019 was read from it (its one file's month is unreadable).
    assert!(hongyang[0].contains("2019年1月至3月报表未报送") && hongyang.iter().any(|p| p.contains("洪阳镇报表.xlsx › 基本信息 › B2")), "{hongyang:?}");
    assert!(!calls.iter().any(|c| c["township"] == "南村乡" || c["township"] == "仁村乡"), "clean and warnings-only need no call");
}

#[test]
fn the_terminal_board_is_aligned_for_chinese_and_says_where_today_came_from() {
    use unicode_width::UnicodeWidthStr;
    let d = folder();
    let text = String::from_utf8(status(&d, &["--today", "2019-04-08"]).stdout).unwrap();
    let table: Vec<&str> = text.lines().skip(1).take_while(|l| !l.starts_with("已报：")).collect();
    assert!(table.len() >= 13, "{text}");
    // Every column starts at the same display column on every line.
    let starts = |line: &str| -> Vec<usize> {
        let mut out = Vec::new();
        let mut col = 0;
        let mut prev_space = true;
        for ch in line.chars() {
            let space = ch == ' ';
            if !space && prev_space {
                out.push(col);
            }
            prev_space = space;
            col += ch.to_string().width();
        }
        out
    };
    let header = starts(table[0]);
    for line in &table[1..] {
        for s in starts(line) {
            assert!(header.contains(&s), "a column of {line:?} starts at {s}, not under a header: {:?}", table[0]);
        }
    }
    assert!(text.contains("按2019年4月8日判断"));
    // Without --today or config, the clock decides 逾期, and the board says so.
    let clock = String::from_utf8(status(&d, &[]).stdout).unwrap();
    assert!(clock.contains("（按本机日期）"), "{clock}");
    // Piped to a file it is the same text.
    assert!(text.contains("2019年3月需要联系的乡镇："));
}

#[test]
fn the_report_and_the_workbook_show_the_same_board() {
    let d = folder();
    let mut opts = d.options();
    opts.today = "2019-04-08".parse().ok();
    let built = jianbao::build(&opts).unwrap();
    let board = built.board.expect("a board");
    // The workbook: the board with coloured statuses, and the call list.
    let mut book = open_workbook_auto(d.out().join("2019/报送情况-2019年.xlsx")).unwrap();
    assert_eq!(book.sheet_names(), ["报送情况", "电话清单"]);
    let sheet = book.worksheet_range("报送情况").unwrap();
    let text = |v: Option<&Data>| match v {
        Some(Data::String(s)) => s.clone(),
        _ => String::new(),
    };
    for (i, r) in board.rows.iter().enumerate() {
        let line = (i + 2) as u32;
        assert_eq!(text(sheet.get_value((line, 0))), r.township);
        for m in 0..3 {
            assert_eq!(text(sheet.get_value((line, m as u32 + 1))), r.months[m].label(), "{} {}月", r.township, m + 1);
        }
    }
    // Statuses sit on coloured cells: green done, yellow to look at, red to act on.
    let bytes = std::fs::read(d.out().join("2019/报送情况-2019年.xlsx")).unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut styles = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("xl/styles.xml").unwrap(), &mut styles).unwrap();
    for rgb in ["FFC6EFCE", "FFFFEB9C", "FFFFC7CE"] {
        assert!(styles.contains(rgb), "fill {rgb} in the workbook's styles");
    }
    let calls = book.worksheet_range("电话清单").unwrap();
    assert_eq!(calls.height(), 2 + board.calls.len());
    assert!((2..calls.height() as u32).any(|r| text(calls.get_value((r, 3))) == "0398-12"), "phone numbers as text");
    // The report opens with the same board and call list.
    let report = pdf_text(&d.out().join("数据校验报告.pdf"));
    assert!(report.contains("2019年各乡镇报送情况（截至3月）"));
    assert!(report.contains("南村乡已报已报已报"), "{report}");
    assert!(report.contains("天池镇已报逾期逾期"), "on 8 April March is past its deadline too");
    assert!(report.contains("英豪镇未报未报重复2"), "its March files cover January and February: gaps, not 逾期");
    assert!(report.contains("2019年3月需要联系的乡镇") && report.contains("联系人：段村李四"));
    let first_page = report.find("2019年3月需要联系的乡镇").unwrap();
    assert!(report.find("【").is_none_or(|p| p > first_page) && report.find("E-NUMBER").unwrap() > first_page, "the board comes first");
}
