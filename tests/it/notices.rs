//! 公告公示 (issue 42): the county's 资金分配使用情况公示 and a village's 项目公示 and 项目公告
//! checked against the sample's workbooks as read here with calamine (not through jianbao's
//! reader); a project lacking a column named at its cell and listed as due; values printed as
//! typed on A3 with the county's 监督电话.

use std::collections::BTreeMap;
use std::path::Path;

use calamine::{open_workbook_auto, Data, Reader};
use serde_json::Value as Json;

use crate::common::{copy_project, n, pdf_text, t, Book, TestData, V};

/// A 项目资金 sheet as rows of header → text (numbers as 万元 × 100, rounded).
fn projects(path: &Path) -> Vec<BTreeMap<String, String>> {
    let mut book = open_workbook_auto(path).unwrap();
    let range = book.worksheet_range("项目资金").unwrap();
    let rows: Vec<&[Data]> = range.rows().collect();
    let head = rows.iter().position(|r| r.iter().any(|c| *c == "项目名称")).unwrap();
    let names: Vec<String> = rows[head].iter().map(|c| c.to_string()).collect();
    let text = |c: &Data| match c {
        Data::Float(x) => format!("{}", (x * 100.0).round() as i64),
        Data::Int(x) => format!("{}", x * 100),
        other => other.to_string(),
    };
    rows[head + 1..].iter().map(|r| names.iter().cloned().zip(r.iter().map(text)).filter(|(_, v)| !v.is_empty()).collect()).collect()
}

fn json(path: &Path) -> Json {
    serde_json::from_slice(&std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))).unwrap()
}

fn workbook(data: &Path, township: &str, p: &str) -> std::path::PathBuf {
    let (y, m) = p.split_once('-').unwrap();
    data.join(format!("submissions/{p}/{township}{y}年{}月报表.xlsx", m.trim_start_matches('0')))
}

fn field<'a>(row: &'a BTreeMap<String, String>, k: &str) -> &'a str {
    row.get(k).map_or("", String::as_str)
}

#[test]
fn the_county_notice_and_a_villages_notices_show_the_workbooks_as_read_here() {
    let (dir, opts) = copy_project();
    let built = jianbao::build(&opts).unwrap();
    assert!(!built.has_errors(), "{:?}", built.diagnostics);
    crate::common::keep(dir.path(), "notices");
    // The county's 2019 公示: every township's March 2019 projects (its latest report), in the
    // plan's order, with the sums by source worked out here.
    let plan = jianbao::plan::Plan::load(&opts.data.join("plan.yaml")).unwrap();
    let mut expected = Vec::new();
    let mut by_source: BTreeMap<String, (u64, i64)> = BTreeMap::new();
    for township in &plan.townships {
        for r in projects(&workbook(&opts.data, township, "2019-03")) {
            let planned: i64 = field(&r, "计划投资").parse().unwrap();
            let s = by_source.entry(field(&r, "资金来源").to_string()).or_default();
            (s.0, s.1) = (s.0 + 1, s.1 + planned);
            let keys = ["项目名称", "建设内容", "实施单位", "资金来源"].map(|k| field(&r, k).to_string());
            expected.push((township.clone(), keys, planned));
        }
    }
    let f = json(&opts.out.join("公示/2019/资金分配使用情况公示-2019年.json"));
    let got: Vec<(String, [String; 4], i64)> = f["figures"]["projects"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            let s = |k: &str| p[k].as_str().unwrap_or_default().to_string();
            (s("township"), [s("name"), s("content"), s("unit"), s("source")], p["planned"].as_i64().unwrap())
        })
        .collect();
    assert_eq!(got, expected);
    let sums: BTreeMap<String, (u64, i64)> = f["figures"]["by_source"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["source"].as_str().unwrap().into(), (s["projects"].as_u64().unwrap(), s["planned"].as_i64().unwrap())))
        .collect();
    assert_eq!(sums, by_source);
    let total: i64 = expected.iter().map(|e| e.2).sum();
    assert_eq!(f["figures"]["total"]["planned"].as_i64(), Some(total));
    let text = pdf_text(&opts.out.join("公示/2019/资金分配使用情况公示-2019年.pdf"));
    assert!(text.contains("渑池县2019年度扶贫资金分配使用情况公示") && text.contains("12317"), "{text}");
    assert!(text.contains(&format!("全县共安排扶贫项目{}个", expected.len())), "{text}");
    // 2018: eight townships gave no 建设内容, so no county 公示, and each is told so.
    assert!(!opts.out.join("公示/2018/资金分配使用情况公示-2018年.pdf").exists());
    let notes = built.diagnostics.iter().filter(|d| d.code == "N-NOTICE-COLUMNS" && d.file.starts_with("submissions/2018-12/")).count();
    assert_eq!(notes, 8);

    // 南村乡石门村: its 公示 in the first month its row gives every column a 公示 needs, its
    // 公告 in the first month it is 已完工 with every column a 公告 needs; both found here.
    let months: Vec<String> = (1..=12).map(|m| format!("2018-{m:02}")).collect();
    let rows = |p: &str| projects(&workbook(&opts.data, "南村乡", p)).into_iter().filter(|r| field(r, "所在村") == "石门村").collect::<Vec<_>>();
    let before = ["资金来源", "建设内容", "实施单位", "责任人", "计划开工", "计划完工", "带贫人数"];
    let after = ["实际投资", "完工日期", "验收日期", "验收结果"];
    let gives = |r: &BTreeMap<String, String>, ks: &[&str]| ks.iter().all(|k| !field(r, k).is_empty());
    let first_before = months.iter().find(|p| rows(p).iter().any(|r| gives(r, &before))).unwrap();
    assert_eq!(first_before, "2018-04", "the sample's 南村乡 gives the columns from April");
    let notice = json(&opts.out.join("公示/2018/南村乡/南村乡石门村-项目公示-2018年4月.json"));
    let names: Vec<&str> = notice["figures"]["projects"].as_array().unwrap().iter().map(|p| p["name"].as_str().unwrap()).collect();
    let april = rows("2018-04");
    assert_eq!(names, april.iter().map(|r| field(r, "项目名称")).collect::<Vec<_>>());
    assert_eq!(notice["figures"]["posted"], serde_json::json!(["2018-05-01", "2018-05-10"]), "the 1st of the next month, 10 days");
    for (p, r) in notice["figures"]["projects"].as_array().unwrap().iter().zip(&april) {
        assert_eq!(p["person"].as_str(), Some(field(r, "责任人")));
        assert_eq!(p["beneficiaries"].as_u64().map(|b| (b * 100).to_string()).as_deref(), Some(field(r, "带贫人数")));
    }
    // The township's board shows every project of the township that gives them, its villages' too.
    let all = projects(&workbook(&opts.data, "南村乡", "2018-04"));
    let township = json(&opts.out.join("公示/2018/南村乡/南村乡-项目公示-2018年4月.json"));
    let names: Vec<&str> = township["figures"]["projects"].as_array().unwrap().iter().map(|p| p["name"].as_str().unwrap()).collect();
    assert_eq!(names, all.iter().filter(|r| gives(r, &before)).map(|r| field(r, "项目名称")).collect::<Vec<_>>());
    assert!(names.len() > april.len());
    let text = pdf_text(&opts.out.join("公示/2018/南村乡/南村乡石门村-项目公示-2018年4月.pdf"));
    assert!(
        text.contains("南村乡石门村2018年扶贫项目公示") && text.contains("2018年5月1日至2018年5月10日（10天）") && text.contains("石门村村民委员会"),
        "{text}"
    );
    let done = months.iter().find(|p| rows(p).iter().any(|r| field(r, "项目状态") == "已完工" && gives(r, &before) && gives(r, &after))).unwrap();
    let (y, m) = done.split_once('-').unwrap();
    let path = opts.out.join(format!("公示/2018/南村乡/南村乡石门村-项目公告-{y}年{}月.json", m.trim_start_matches('0')));
    let gonggao = json(&path);
    let completed: Vec<_> = rows(done).into_iter().filter(|r| field(r, "项目状态") == "已完工").collect();
    let got: Vec<(String, i64, String)> = gonggao["figures"]["projects"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["name"].as_str().unwrap().into(), p["actual"].as_i64().unwrap(), p["completed_on"].as_str().unwrap().into()))
        .collect();
    let want: Vec<(String, i64, String)> =
        completed.iter().map(|r| (field(r, "项目名称").into(), field(r, "实际投资").parse().unwrap(), field(r, "完工日期").into())).collect();
    assert_eq!(got, want);
    assert!(pdf_text(&path.with_extension("pdf")).contains("南村乡石门村2018年扶贫项目公告"));
}

#[test]
fn a_project_lacking_a_column_is_named_at_its_cell_and_listed_as_due() {
    let (_dir, opts) = copy_project();
    let built = jianbao::build(&opts).unwrap();
    // 坡头乡's training names no 责任人: the warning at that cell of its latest report.
    let file = workbook(&opts.data, "坡头乡", "2019-03");
    let rows = projects(&file);
    let i = rows.iter().position(|r| field(r, "项目名称").contains("培训")).unwrap();
    assert!(field(&rows[i], "责任人").is_empty());
    let mut book = open_workbook_auto(&file).unwrap();
    let range = book.worksheet_range("项目资金").unwrap();
    let (head, col) = range.rows().enumerate().find_map(|(r, row)| Some((r, row.iter().position(|c| *c == "责任人")?))).unwrap();
    let cell = format!("{}{}", (b'A' + col as u8) as char, range.start().unwrap().0 as usize + head + i + 2);
    let w: Vec<_> = built.diagnostics.iter().filter(|d| d.code == "W-NOTICE-FIELD" && d.file.ends_with("坡头乡2019年3月报表.xlsx")).collect();
    assert_eq!(w.len(), 1, "{w:?}");
    assert_eq!(w[0].cell.as_deref(), Some(cell.as_str()));
    assert!(w[0].message.contains("“责任人”") && w[0].message.contains("项目公示"), "{}", w[0].message);
    // No 公示 prints it; the 公示清单 lists it as due, naming the column.
    for e in
        walkdir::WalkDir::new(opts.out.join("公示/2019/坡头乡")).into_iter().map(Result::unwrap).filter(|e| e.path().extension().is_some_and(|x| x == "pdf"))
    {
        assert!(!pdf_text(e.path()).contains("贫困劳动力技能培训"), "{}", e.path().display());
    }
    let mut list = open_workbook_auto(opts.out.join("公示/2019/公示清单-2019年.xlsx")).unwrap();
    let sheet = list.worksheet_range("项目公示公告").unwrap();
    let line: Vec<String> = sheet
        .rows()
        .find(|r| r.get(1).is_some_and(|c| *c == "坡头乡") && r.get(3).is_some_and(|c| c.to_string().contains("培训")))
        .unwrap()
        .iter()
        .map(|c| c.to_string())
        .collect();
    assert!(line[6].starts_with("待补：缺“责任人”"), "{line:?}");
    let made = sheet.rows().filter(|r| r.get(6).is_some_and(|c| c.to_string().starts_with("已生成"))).count();
    assert!(made >= 10, "{made}");
    let county = list.worksheet_range("资金公示").unwrap();
    assert!(county.rows().any(|r| r.iter().any(|c| c.to_string().starts_with("已生成：公示/2019/资金分配使用情况公示-2019年.pdf"))));
    let mut list = open_workbook_auto(opts.out.join("公示/2018/公示清单-2018年.xlsx")).unwrap();
    let county = list.worksheet_range("资金公示").unwrap();
    assert!(county.rows().any(|r| r.iter().any(|c| c.to_string().starts_with("待补："))), "2018 has townships without the columns");
    // 结果一览: the projects whose 公示 was made (counted here over 2019's workbooks), and what is due.
    let before = ["资金来源", "建设内容", "实施单位", "责任人", "计划开工", "计划完工", "带贫人数"];
    let mut made = std::collections::BTreeSet::new();
    for township in ["南村乡", "段村乡", "仁村乡", "天池镇", "张村镇", "英豪镇", "陈村乡", "洪阳镇", "果园乡", "坡头乡"] {
        for p in ["2019-01", "2019-02", "2019-03"] {
            let path = workbook(&opts.data, township, p);
            for r in if path.exists() { projects(&path) } else { Vec::new() } {
                if before.iter().all(|k| !field(&r, k).is_empty()) {
                    made.insert((township, field(&r, "所在村").to_string(), field(&r, "项目名称").to_string()));
                }
            }
        }
    }
    let html = std::fs::read_to_string(opts.out.join("结果一览.html")).unwrap();
    assert!(html.contains(&format!("项目公示：已生成 {} 个项目", made.len())), "{made:?}");
    assert!(html.contains("坡头乡“全乡贫困劳动力技能培训”的项目公示待补：缺“责任人”"));
    // April's blank form carries March's 公示 columns, the missing 责任人 left for the township.
    jianbao::templates(&opts, "2019-04".parse().unwrap(), Some("坡头乡")).unwrap();
    let form = projects(&opts.out.join("templates/2019-04/坡头乡.xlsx"));
    assert_eq!(form.len(), rows.len());
    for (f, r) in form.iter().zip(&rows) {
        for k in ["项目名称", "建设内容", "实施单位", "责任人", "计划开工", "计划完工"] {
            assert_eq!(field(f, k), field(r, k), "{k}");
        }
    }
}

#[test]
fn values_print_as_typed_on_a3_with_the_countys_phone_and_period() {
    let d = TestData::new();
    let config = std::fs::read_to_string(d.data().join("config.yaml")).unwrap();
    d.write("config.yaml", format!("{config}\n公示:\n  监督电话: [0398-4811111]\n  公示期: 15\n  纸张: A3\n").as_bytes());
    let hostile = "{{ 7*7 }} *_[]$@<>\\` #set page(width: 1cm) // x";
    let book =
        Book {
            township: "南村乡", month: "2019-03", villages: vec![V("石门村", "贫困村", 900, 120, 5, 30, "否", "")], projects: vec![], indicators: vec![]
        };
    let mut sheets = book.sheets();
    let mut p = jianbao::sample::xlsx::Sheet::new("项目资金");
    p.row(
        ["项目名称", "所在村", "资金来源", "计划投资", "累计拨付", "项目状态", "带贫人数", "建设内容", "实施单位", "责任人", "计划开工", "计划完工"]
            .map(t)
            .to_vec(),
    );
    p.row(vec![
        t("石门村道路硬化"),
        t("石门村"),
        t("中央"),
        n(80.5),
        n(0.0),
        t("未开工"),
        n(40.0),
        t(hostile),
        t("#read(\"/etc/passwd\")"),
        t("张三"),
        t("2019-04-01"),
        t("2019-10-31"),
    ]);
    sheets[2] = p;
    d.write("submissions/2019-03/南村乡2019年3月报表.xlsx", &jianbao::sample::xlsx::write(&sheets).unwrap());
    let built = jianbao::build(&d.options()).unwrap();
    assert!(!built.has_errors(), "{:?}", built.diagnostics);
    let pdf = d.out().join("公示/2019/南村乡/南村乡石门村-项目公示-2019年3月.pdf");
    let text = pdf_text(&pdf);
    let squashed: String = hostile.chars().filter(|c| !c.is_whitespace()).collect();
    assert!(text.contains(&squashed) && text.contains("#read(\"/etc/passwd\")") && !text.contains("root:"), "{text}");
    assert!(text.contains("2019年4月1日至2019年4月15日（15天）") && text.contains("12317") && text.contains("0398-4811111"), "{text}");
    assert!(text.contains("中央，计划投资80.5万元") && text.contains("计划带动贫困人口40人"), "{text}");
    let doc = lopdf::Document::load(&pdf).unwrap();
    let page = doc.get_pages()[&1];
    let media = doc.get_dictionary(page).unwrap().get(b"MediaBox").unwrap().as_array().unwrap().clone();
    let size: Vec<f64> = media.iter().map(|v| v.as_float().map(f64::from).or_else(|_| v.as_i64().map(|i| i as f64)).unwrap()).collect();
    assert!((size[2] - 841.89).abs() < 1.0 && (size[3] - 1190.55).abs() < 1.0, "A3: {size:?}");
}
