//! Builds the bundled sample data (2018-01 … 2019-03) and checks every bulletin and summary
//! against figures this test computes itself, straight from the workbooks with calamine:
//! nothing expected here is read from the build's own JSON.

use crate::common;

use std::collections::BTreeMap;

use calamine::{open_workbook_auto, Data, Reader};
use common::{pdf_text, repo};
use jianbao::Options;

/// One village row of a sample workbook: type, 年初贫困人口, 本月脱贫, 累计脱贫, 是否出列.
struct Row {
    kind: String,
    poor: u64,
    month: u64,
    to_date: u64,
    exited: bool,
}

/// The sample workbooks, read independently: (year, month) → township → village rows.
fn read_sample() -> BTreeMap<(u16, u8), BTreeMap<String, Vec<Row>>> {
    let mut out: BTreeMap<(u16, u8), BTreeMap<String, Vec<Row>>> = BTreeMap::new();
    for e in walkdir::WalkDir::new(repo().join("data/submissions")).sort_by_file_name() {
        let e = e.unwrap();
        // A 旬 workbook (项目资金 alone) is no monthly report.
        if e.path().extension().is_none_or(|x| x != "xlsx") || e.file_name().to_string_lossy().contains('旬') {
            continue;
        }
        let folder = e.path().parent().unwrap().file_name().unwrap().to_string_lossy().to_string();
        let (y, m) = folder.split_once('-').unwrap();
        let name = e.file_name().to_string_lossy().to_string();
        let township = name[..name.find(|c: char| c.is_ascii_digit()).unwrap()].to_string();
        let mut book = open_workbook_auto(e.path()).unwrap();
        let sheet = book.worksheet_range("村级进度").unwrap();
        let rows: Vec<Vec<String>> = sheet.rows().map(|r| r.iter().map(text).collect()).collect();
        let header = rows.iter().position(|r| r.first().is_some_and(|c| c == "村名")).unwrap();
        let col = |h: &str| rows[header].iter().position(|c| c == h).unwrap();
        let num = |r: &[String], h: &str| r[col(h)].parse::<f64>().unwrap() as u64;
        let villages = rows[header + 1..]
            .iter()
            .filter(|r| !r[0].is_empty() && r[0] != "合计")
            .map(|r| Row {
                kind: r[col("村类型")].clone(),
                poor: num(r, "年初贫困人口"),
                month: num(r, "本月脱贫人数"),
                to_date: num(r, "累计脱贫人数"),
                exited: r[col("是否出列")] == "是",
            })
            .collect();
        out.entry((y.parse().unwrap(), m.parse().unwrap())).or_default().insert(township, villages);
    }
    out
}

fn text(d: &Data) -> String {
    match d {
        Data::String(s) => s.trim().to_string(),
        Data::Float(f) => f.to_string(),
        Data::Int(i) => i.to_string(),
        _ => String::new(),
    }
}

/// `num / den` as a percentage with one decimal, rounded half up.
fn pct(num: u64, den: u64) -> String {
    let tenths = (2 * num * 1000 + den) / (2 * den);
    format!("{}.{}%", tenths / 10, tenths % 10)
}

/// County figures of a month, by the rules in docs/计算口径.md: a township's own report, else
/// its latest earlier one of the same year.
struct County {
    ytd: u64,
    this_month: u64,
    poor: u64,
    exited: u64,
    exited_this_year: u64,
}

fn county(sample: &BTreeMap<(u16, u8), BTreeMap<String, Vec<Row>>>, year: u16, month: u8) -> County {
    let latest = |t: &str, y: u16, m: u8| {
        (1..=m).rev().find_map(|k| sample.get(&(y, k)).and_then(|r| r.get(t))).map(|rows| (rows, sample.get(&(y, m)).is_some_and(|r| r.contains_key(t))))
    };
    let exited = |rows: &Vec<Row>| rows.iter().filter(|r| r.exited && r.kind != "非贫困村").count() as u64;
    let townships: Vec<String> = sample.values().flat_map(|r| r.keys().cloned()).collect::<std::collections::BTreeSet<_>>().into_iter().collect();
    let mut c = County { ytd: 0, this_month: 0, poor: 0, exited: 0, exited_this_year: 0 };
    for t in &townships {
        let Some((rows, own)) = latest(t, year, month) else { continue };
        c.ytd += rows.iter().map(|r| r.to_date).sum::<u64>();
        c.poor += rows.iter().map(|r| r.poor).sum::<u64>();
        if own {
            c.this_month += rows.iter().map(|r| r.month).sum::<u64>();
        }
        let before = if year == 2018 { 0 } else { latest(t, year - 1, 12).map_or(0, |(r, _)| exited(r)) };
        c.exited += exited(rows);
        c.exited_this_year += exited(rows) - before;
    }
    c
}

#[test]
fn sample_bulletins_and_summaries_show_independently_computed_figures() {
    let sample = read_sample();
    assert_eq!(sample.len(), 15, "2018-01 … 2019-03");
    assert_eq!(sample[&(2019, 2)].len(), 9, "果园乡 sent nothing in February 2019");
    let out = tempfile::tempdir().unwrap();
    let opts = Options { out: out.path().to_path_buf(), ..Options::in_dir(&repo()) };
    let built = jianbao::build(&opts).unwrap();
    assert!(!built.has_errors(), "{:#?}", built.diagnostics);
    assert_eq!(built.files_read, 149 + 9 + 4, "149 monthly workbooks, 9 旬 workbooks and 4 pieces");
    let targets: BTreeMap<u16, (u64, u64)> = [(2018, (5500, 10)), (2019, (5437, 16))].into();
    let mut issue: BTreeMap<u16, u32> = BTreeMap::new();
    for (&(year, month), towns) in &sample {
        let n = issue.entry(year).or_default();
        *n += 1;
        let c = county(&sample, year, month);
        let (target, villages) = targets[&year];
        let pdf = pdf_text(&out.path().join(format!("{year}-{month:02}/工作简报-{year}年{month}月.pdf")));
        let at = format!("{year}-{month:02}");
        for expected in [
            format!("第{n}期"),
            format!("全县{year}年{month}月脱贫攻坚工作进展情况"),
            format!("{year}年{month}月，全县脱贫{}人", c.this_month),
            format!("{year}年累计脱贫{}人，完成年度目标任务{target}人的{}", c.ytd, pct(c.ytd, target)),
            format!("全县年初建档立卡贫困人口{}人，目前尚有{}人未脱贫", c.poor, c.poor - c.ytd),
            format!("本年已出列{}个，年度目标{villages}个，完成{}", c.exited_this_year, pct(c.exited_this_year, villages)),
            format!("全县合计{}{}{}", c.poor, c.this_month, c.ytd),
        ] {
            assert!(pdf.contains(&expected), "{at}: the PDF lacks {expected:?}");
        }
        if year == 2019 {
            assert!(pdf.contains(&format!("累计已出列{}个，完成截至本年累计目标26个的{}", c.exited, pct(c.exited, 26))), "{at}");
        }
        for (t, rows) in towns {
            let row = format!(
                "{t}{}{}{}",
                rows.iter().map(|r| r.poor).sum::<u64>(),
                rows.iter().map(|r| r.month).sum::<u64>(),
                rows.iter().map(|r| r.to_date).sum::<u64>()
            );
            assert!(pdf.contains(&row), "{at}: township row {row:?}");
        }
        if towns.len() < 10 {
            assert!(pdf.contains("果园乡本月未报送，沿用1月数据"), "{at}: the carried-forward township is named");
        }
    }
    // Quarters: the county year to date at the quarter's end less at the previous quarter's end.
    for (q, end, previous) in [
        ("2018-Q1/季度汇总-2018年第一季度", (2018, 3), None),
        ("2018-Q4/季度汇总-2018年第四季度", (2018, 12), Some((2018, 9))),
        ("2019-Q1/季度汇总-2019年第一季度", (2019, 3), None),
    ] {
        let amount = county(&sample, end.0, end.1).ytd - previous.map_or(0, |(y, m)| county(&sample, y, m).ytd);
        let pdf = pdf_text(&out.path().join(format!("{q}.pdf")));
        assert!(pdf.contains(&format!("全县脱贫{amount}人")), "{q}: {amount}");
        assert!(pdf.contains(&format!("全县合计{amount}")), "{q}: total row");
    }
}

#[test]
fn bulletins_are_a4_with_embedded_fonts_and_no_missing_glyphs() {
    let out = tempfile::tempdir().unwrap();
    let opts = Options { out: out.path().to_path_buf(), period: "2018-03".parse().ok(), ..Options::in_dir(&repo()) };
    jianbao::build(&opts).unwrap();
    let doc = lopdf::Document::load(out.path().join("2018-03/工作简报-2018年3月.pdf")).unwrap();
    let pages = doc.get_pages();
    assert!(pages.len() >= 3, "{} pages", pages.len());
    for (_, id) in pages {
        let page = doc.get_object(id).unwrap().as_dict().unwrap();
        let mb: Vec<f32> = page.get(b"MediaBox").unwrap().as_array().unwrap().iter().map(|o| o.as_float().unwrap()).collect();
        assert!((mb[2] - 595.28).abs() < 0.5 && (mb[3] - 841.89).abs() < 0.5, "A4: {mb:?}");
    }
    let mut embedded = 0;
    for obj in doc.objects.values() {
        if let Ok(d) = obj.as_dict() {
            if d.get(b"Type").ok().and_then(|t| t.as_name().ok()) == Some(b"FontDescriptor".as_slice()) {
                assert!(d.has(b"FontFile2") || d.has(b"FontFile3"), "font not embedded: {d:?}");
                embedded += 1;
            }
        }
    }
    assert!(embedded >= 3, "{embedded} embedded fonts");
    let text = pdf_text(&out.path().join("2018-03/工作简报-2018年3月.pdf"));
    // A glyph missing from a font would be lost from the text layer.
    for word in ["脱贫攻坚工作简报", "渑池县脱贫攻坚领导小组办公室", "苜蓿村", "红花窝村", "—1—"] {
        assert!(text.contains(word), "{word}");
    }
}

/// Every string in a JSON value, recursively.
fn strings(v: &serde_json::Value, out: &mut Vec<String>) {
    match v {
        serde_json::Value::String(s) => out.push(s.clone()),
        serde_json::Value::Array(a) => a.iter().for_each(|x| strings(x, out)),
        serde_json::Value::Object(o) => o.values().for_each(|x| strings(x, out)),
        _ => {}
    }
}

#[test]
fn summaries_list_every_heavy_village_indicator_and_problem() {
    let out = tempfile::tempdir().unwrap();
    let opts = Options { out: out.path().to_path_buf(), ..Options::in_dir(&repo()) };
    jianbao::build(&opts).unwrap();
    let plan = jianbao::plan::Plan::load(&repo().join("data/plan.yaml")).unwrap();
    for q in ["2018-Q2/季度汇总-2018年第二季度", "2019-Q1/季度汇总-2019年第一季度"] {
        let json: serde_json::Value = serde_json::from_slice(&std::fs::read(out.path().join(format!("{q}.json"))).unwrap()).unwrap();
        let text = pdf_text(&out.path().join(format!("{q}.pdf")));
        for (_, v) in plan.heavy_villages_ordered() {
            assert!(text.contains(v), "{q}: {v}");
        }
        for i in &plan.indicators {
            assert!(text.contains(&i.name), "{q}: {}", i.name);
        }
        // Every name the findings hold (townships, villages, indicators) is worded in 存在问题.
        let findings = &json["figures"]["findings"];
        let mut names = Vec::new();
        strings(findings, &mut names);
        assert!(!names.is_empty(), "{q}: {findings}");
        let problems = &text[text.find("存在问题").unwrap()..];
        assert!(problems.contains("（一）"), "{q}");
        for n in names {
            let n = n.parse::<jianbao::period::Period>().map_or(n, |p| p.chinese());
            assert!(problems.contains(&n), "{q}: {n} not in {problems}");
        }
    }
}
