//! Another county: a plan that differs from the bundled one in every name, number and section
//! (six other townships, five years, 附表 sections, two focus villages with their own
//! criterion, other thresholds, a village exited before the first year), taken end to end
//! through the program as an office would: init, blank workbooks, filled workbooks, build,
//! status, publish, bind and verify. Nothing the office receives may carry a name, number or
//! phrase that only the bundled county's plan and settings have.

use crate::common;

use std::collections::BTreeSet;
use std::io::Read;
use std::path::Path;
use std::process::Command;

use common::{pdf_attachments, pdf_text, repo, Book, P, V};

const FIXTURE: &str = "tests/fixtures/another_county";

/// Every text the office receives, by where it was found.
#[derive(Default)]
struct Received(Vec<(String, String)>);

impl Received {
    /// Runs the program in `dir` and keeps what it says; returns stdout.
    fn run(&mut self, dir: &Path, args: &[&str]) -> String {
        self.run_expecting(dir, args, true)
    }

    fn run_expecting(&mut self, dir: &Path, args: &[&str], success: bool) -> String {
        let out = Command::new(env!("CARGO_BIN_EXE_jianbao")).args(args).current_dir(dir).env_remove("RUST_LOG").output().unwrap();
        let (stdout, stderr) = (String::from_utf8_lossy(&out.stdout).into_owned(), String::from_utf8_lossy(&out.stderr).into_owned());
        assert_eq!(out.status.success(), success, "jianbao {args:?}: {stdout}\n{stderr}");
        self.0.push((format!("jianbao {}", args.join(" ")), format!("{stdout}\n{stderr}")));
        stdout
    }

    /// Every file under `dir`: PDF text, metadata and attachments; JSON and text as written;
    /// every XML part of a workbook (cells, sheet names, drop-down lists).
    fn files(&mut self, dir: &Path) {
        for e in walkdir::WalkDir::new(dir).into_iter().map(Result::unwrap).filter(|e| e.file_type().is_file()) {
            let (path, name) = (e.path(), e.path().display().to_string());
            let bytes = std::fs::read(path).unwrap();
            match path.extension().and_then(|x| x.to_str()) {
                Some("pdf") => {
                    self.0.push((name.clone(), pdf_text(path)));
                    self.0.push((format!("{name} (metadata)"), pdf_metadata(path)));
                    for (file, content) in pdf_attachments(path) {
                        if let Ok(text) = String::from_utf8(content) {
                            self.0.push((format!("{name} › {file}"), text));
                        }
                    }
                }
                Some("xlsx") => self.0.extend(xlsx_parts(&bytes).into_iter().map(|(part, text)| (format!("{name} › {part}"), text))),
                // 结果一览: its text and links; the chart's drawing is coordinates and round axis
                // numbers (a 150 there is a scale step, not our plan's 150), its figures are in the table.
                Some("html") => {
                    let html = String::from_utf8(bytes).unwrap();
                    let drawing = html.find("<svg").zip(html.find("</svg>")).map_or(0..0, |(a, b)| a..b);
                    self.0.push((name.clone(), format!("{}{}", &html[..drawing.start], &html[drawing.end..])));
                }
                _ => {
                    if let Ok(text) = String::from_utf8(bytes) {
                        self.0.push((name, text));
                    }
                }
            }
            // The file's own name is received too.
            self.0.push((format!("{} (name)", path.display()), path.file_name().unwrap().to_string_lossy().into_owned()));
        }
    }

    fn all(&self) -> String {
        self.0.iter().map(|(_, t)| t.as_str()).collect::<Vec<_>>().join("\n")
    }

    fn find(&self, suffix: &str) -> &str {
        self.0.iter().find(|(w, _)| w.ends_with(suffix)).map(|(_, t)| t.as_str()).unwrap_or_else(|| panic!("no {suffix}"))
    }
}

/// The PDF's document information and XMP metadata (title, subject, keywords).
fn pdf_metadata(path: &Path) -> String {
    let doc = lopdf::Document::load(path).unwrap();
    let mut out = String::new();
    if let Ok(info) = doc.trailer.get(b"Info").and_then(|i| doc.dereference(i)).and_then(|(_, o)| o.as_dict()) {
        for (_, v) in info.iter() {
            out.push_str(&lopdf::decode_text_string(v).unwrap_or_default());
            out.push('\n');
        }
    }
    for o in doc.objects.values() {
        if let Ok(s) = o.as_stream() {
            if s.dict.get(b"Type").and_then(|t| t.as_name()).ok() == Some(b"Metadata".as_slice()) {
                out.push_str(&String::from_utf8_lossy(&s.decompressed_content().unwrap_or_else(|_| s.content.clone())));
            }
        }
    }
    out
}

/// The XML parts of a workbook that hold its text (not its theme's colours and font sizes).
fn xlsx_parts(bytes: &[u8]) -> Vec<(String, String)> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    (0..zip.len())
        .filter_map(|i| {
            let mut f = zip.by_index(i).unwrap();
            let name = f.name().unwrap().to_string();
            let mut text = String::new();
            f.read_to_string(&mut text).unwrap();
            (!name.starts_with("xl/theme/") && name != "xl/styles.xml").then_some((name, text))
        })
        .collect()
}

/// The words of a YAML file: every string (a `section` also by its 、-separated parts) and
/// every key that is not a plain setting name, integers of three or more digits, fractions as
/// the percentages a document prints.
fn words(yaml: &str) -> BTreeSet<String> {
    fn walk(key: &str, v: &serde_yaml::Value, out: &mut BTreeSet<String>) {
        use serde_yaml::Value;
        match v {
            Value::String(s) => {
                out.insert(s.clone());
                if key == "section" {
                    out.extend(s.split('、').map(str::to_string));
                }
            }
            Value::Number(n) if n.is_f64() => {
                let pct = n.as_f64().unwrap() * 100.0;
                for digits in [0, 1, 2] {
                    let shown = format!("{pct:.digits$}%");
                    if shown.trim_end_matches('%').parse::<f64>().unwrap() == (pct * 100.0).round() / 100.0 {
                        out.insert(shown);
                    }
                }
            }
            Value::Number(n) if n.as_u64().is_some_and(|n| n >= 100) => {
                out.insert(n.to_string());
            }
            Value::Sequence(s) => s.iter().for_each(|v| walk(key, v, out)),
            Value::Mapping(m) => m.iter().for_each(|(k, v)| {
                let k = k.as_str().unwrap_or_default();
                if !k.is_ascii() {
                    out.insert(k.to_string());
                }
                walk(k, v, out)
            }),
            _ => {}
        }
    }
    let mut out = BTreeSet::new();
    walk("", &serde_yaml::from_str(yaml).unwrap(), &mut out);
    out.retain(|w| w.chars().count() >= 2);
    out
}

/// What only the bundled county has: the words of its plan.yaml and config.yaml, its plan's
/// short name and a phrase of its own, minus what the other county's own words contain and
/// the program's default masthead (脱贫攻坚工作简报, which `init` writes for every county).
fn forbidden(ours: &BTreeSet<String>) -> BTreeSet<String> {
    let read = |f: &str| std::fs::read_to_string(repo().join("data").join(f)).unwrap();
    let mut theirs = words(&read("plan.yaml"));
    theirs.extend(words(&read("config.yaml")));
    theirs.extend(["渑池", "三年行动计划", "三年", "解剖麻雀", "2018", "2019"].map(str::to_string));
    let numeric = |w: &str| w.starts_with(|c: char| c.is_ascii_digit());
    theirs.retain(|w| if numeric(w) { !ours.contains(w) } else { !ours.iter().any(|o| o.contains(w.as_str())) });
    theirs.remove("脱贫攻坚工作简报");
    theirs
}

/// Where `word` occurs in `text`; a number only where it is not part of a longer number or of
/// a hash.
fn occurrences<'a>(text: &'a str, word: &str) -> Vec<&'a str> {
    let digit = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric() || c == '.');
    text.match_indices(word)
        .filter(|(at, _)| {
            let before = text[..*at].chars().next_back();
            let after = text[at + word.len()..].chars().next();
            let starts_numeric = word.starts_with(|c: char| c.is_ascii_digit());
            let ends_numeric = word.ends_with(|c: char| c.is_ascii_digit());
            !(starts_numeric && digit(before) || ends_numeric && digit(after))
        })
        .map(|(at, _)| {
            let from = text[..at].char_indices().rev().nth(15).map_or(0, |(i, _)| i);
            let to = text[at..].char_indices().nth(word.chars().count() + 15).map_or(text.len(), |(i, _)| at + i);
            &text[from..to]
        })
        .collect()
}

fn village<'a>(name: &'a str, kind: &'a str, pop: u32, poor: u32, month: u32, done: u32, exited: &'a str) -> V<'a> {
    V(name, kind, pop, poor, month, done, exited, "")
}

/// The six townships' workbooks for a month: (township, workbook).
fn books(month: &str) -> Vec<(&'static str, Book<'_>)> {
    let (late, last) = (month == "2021-12", month == "2025-12");
    let pick = |early: (u32, u32, u32, &'static str), dec: (u32, u32, u32, &'static str), end: (u32, u32, u32, &'static str)| {
        if last {
            end
        } else if late {
            dec
        } else {
            early
        }
    };
    // (poor at the start of the year, this month, to date, exited) for 2021-03, 2021-12, 2025-12.
    let v = |name, kind, pop, e, d, f| {
        let (poor, m, done, exited) = pick(e, d, f);
        village(name, kind, pop, poor, m, done, exited)
    };
    let paid = |early: f64, dec: f64, end: f64| {
        if last {
            end
        } else if late {
            dec
        } else {
            early
        }
    };
    let book = |township, villages, projects, indicators| Book { township, month, villages, projects, indicators };
    vec![
        (
            "石门镇",
            book(
                "石门镇",
                vec![
                    v("上石村", "深度贫困村", 900, (240, 10, 25, "否"), (240, 9, 104, "否"), (41, 4, 41, "是")),
                    v("下石村", "深度贫困村", 820, (130, 5, 12, "否"), (130, 7, 98, "是"), (0, 0, 0, "是")),
                ],
                vec![
                    P("上石村道路硬化", "基础设施", "上石村", "统筹整合", 120.0, paid(36.5, 118.0, 120.0), "在建"),
                    P("下石村光伏电站", "产业扶贫", "下石村", "县级专项", 80.0, 80.0, "已完工"),
                ],
                vec![("光伏电站并网户数", 12.0, 30.0), ("公益岗位人数", 8.0, 8.0)],
            ),
        ),
        (
            "柳溪乡",
            book(
                "柳溪乡",
                vec![v("柳湾村", "深度贫困村", 1100, (210, 8, 20, "否"), (210, 9, 121, "是"), (0, 0, 0, "是"))],
                vec![P("柳湾村饮水工程", "基础设施", "柳湾村", "统筹整合", 64.0, paid(20.0, 60.0, 64.0), "在建")],
                vec![],
            ),
        ),
        (
            "白云乡",
            book(
                "白云乡",
                vec![v("云顶村", "深度贫困村", 700, (190, 6, 14, "否"), (190, 8, 93, "否"), (33, 3, 33, "是"))],
                vec![P("云顶村养殖合作社", "产业扶贫", "云顶村", "中央", 45.5, paid(12.25, 41.0, 45.5), "在建")],
                vec![],
            ),
        ),
        (
            "松岭镇",
            book(
                "松岭镇",
                vec![
                    v("松林村", "非贫困村", 1530, (110, 4, 9, "否"), (110, 4, 53, "否"), (11, 1, 11, "否")),
                    v("松坡村", "贫困村", 1240, (420, 12, 33, "否"), (420, 11, 205, "否"), (62, 6, 62, "是")),
                ],
                vec![P("松坡村道路", "基础设施", "松坡村", "省级", 90.0, paid(30.0, 77.0, 90.0), "在建")],
                vec![],
            ),
        ),
        (
            "东坪乡",
            book(
                "东坪乡",
                vec![
                    v("坪上村", "非贫困村", 1320, (90, 3, 7, "否"), (90, 3, 47, "否"), (8, 1, 8, "否")),
                    v("东岗村", "贫困村", 1010, (58, 0, 0, "是"), (58, 0, 21, "是"), (0, 0, 0, "是")),
                ],
                vec![P("东坪乡技能培训", "就业扶贫", "全乡", "县级专项", 12.0, paid(3.0, 11.0, 12.0), "在建")],
                vec![],
            ),
        ),
        (
            "河口镇",
            book(
                "河口镇",
                vec![
                    v("河湾村", "非贫困村", 1610, (120, 5, 11, "否"), (120, 5, 66, "否"), (13, 2, 13, "否")),
                    v("口子村", "贫困村", 1420, (440, 14, 36, "否"), (440, 12, 233, "否"), (71, 7, 71, "是")),
                ],
                vec![P("口子村危房改造", "危房改造", "口子村", "统筹整合", 56.0, paid(14.0, 40.0, 56.0), "在建")],
                vec![("光伏电站并网户数", 9.0, 21.0)],
            ),
        ),
    ]
}

#[test]
fn another_county_receives_nothing_that_only_the_bundled_county_has() {
    let root = tempfile::tempdir().unwrap();
    let dir = root.path();
    let data = dir.join("青石县数据");
    let mut got = Received::default();
    got.run(dir, &["init", "青石县数据", "--county", "青石县", "--years", "2021-2025"]);
    got.files(&data);
    for f in ["plan.yaml", "config.yaml"] {
        std::fs::copy(repo().join(FIXTURE).join(f), data.join(f)).unwrap();
    }
    let d = ["--data", "青石县数据"];
    got.run(dir, &[&d[..], &["template", "--period", "2021-03"]].concat());
    for month in ["2021-03", "2021-12", "2025-12"] {
        let (y, m) = month.split_once('-').unwrap();
        for (township, book) in books(month) {
            let path = data.join(format!("submissions/{month}/{township}{y}年{}月报表.xlsx", m.trim_start_matches('0')));
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, jianbao::sample::xlsx::write(&book.sheets()).unwrap()).unwrap();
        }
    }
    let built = got.run(dir, &d);
    assert!(built.contains("错误 0 个"), "{built}");
    got.run(dir, &[&d[..], &["status", "--year", "2021", "--today", "2022-01-10"]].concat());
    got.run(dir, &[&d[..], &["status", "--period", "2025-12", "--today", "2026-01-08", "--format", "json"]].concat());
    got.run(dir, &[&d[..], &["publish", "--period", "2021-03", "--date", "2021-04-06"]].concat());
    got.run(dir, &[&d[..], &["publish", "--quarter", "2021-Q1", "--date", "2021-04-12"]].concat());
    got.run(dir, &[&d[..], &["publish", "--period", "2021-12", "--date", "2022-01-08"]].concat());
    got.run(dir, &[&d[..], &["publish", "--year", "2021", "--bind", "--date", "2022-01-15"]].concat());
    got.run(dir, &[&d[..], &["verify"]].concat());
    got.files(&dir.join("out"));
    // Messages about mistakes: a usage slip, a misspelt township, a village type and month
    // that are not the contract's.
    got.run_expecting(dir, &[&d[..], &["template"]].concat(), false);
    let slip =
        Book {
            township: "石门乡", month: "2021年6", villages: vec![V("上石村", "深度村", 900, 200, 1, 1, "否", "")], projects: vec![], indicators: vec![]
        };
    std::fs::write(data.join("submissions/石门乡6月.xlsx"), jianbao::sample::xlsx::write(&slip.sheets()).unwrap()).unwrap();
    let check = got.run_expecting(dir, &[&d[..], &["check"]].concat(), false);
    assert!(check.contains("石门镇"), "the township suggested from the plan: {check}");

    // What the other county's documents say, in its own words.
    let march = got.find("2021-03/工作简报-2021年3月.pdf");
    assert!(march.contains("巩固衔接帮扶成果工作简报") && march.contains("青石县巩固衔接帮扶领导小组办公室"), "{march}");
    assert!(march.contains("全县2021年3月巩固衔接帮扶工作进展情况"), "the office's own work name: {march}");
    assert!(march.contains("★为贫困发生率高于25%、逐户建立台账的2个深度贫困村（规划三(二)）"), "{march}");
    let year = got.find("2021/年度总结-2021年.pdf");
    assert!(year.contains("附表二") && year.contains("15%以上") && year.contains("上石村"), "{year}");
    assert!(year.contains("85%") && year.contains("河口镇"), "the office's own disbursement line: {year}");
    // 下石村 and 柳湾村 exited in 2021; 东岗村 had exited before the plan.
    let december = got.find("2021-12/工作简报-2021年12月.pdf");
    assert!(december.contains("本年已出列2个"), "{december}");
    let report = got.0.iter().find(|(w, _)| w.contains("五年行动计划完成情况-2021-2025年.pdf")).expect("the final accounting, named for five years");
    assert!(report.1.contains("附表三"), "{}", report.1);

    // The vocabulary: every title, caption and keyword of what the program wrote (documents,
    // workbooks, blank forms, 结果一览, messages) in the county's own words; the bundled
    // default's work name appears nowhere.
    let written = got.0.iter().filter(|(at, _)| at.contains("/out/") || at.starts_with("jianbao"));
    let default_words: Vec<String> = written.flat_map(|(at, text)| occurrences(text, "脱贫攻坚").into_iter().map(move |c| format!("{at}: …{c}…"))).collect();
    assert!(default_words.is_empty(), "{} places:\n{}", default_words.len(), default_words.join("\n"));
    let year = got.find("2021/年度总结-2021年.pdf");
    assert!(year.contains("全县2021年巩固衔接帮扶工作总结") && year.contains("表1各乡镇2021年巩固衔接帮扶进展"), "{year}");
    let report = got.0.iter().find(|(w, _)| w.ends_with("五年行动计划完成情况-2021-2025年.pdf")).unwrap();
    assert!(report.1.contains("监测帮扶重点村"), "the list's own name: {}", report.1);

    let ours: BTreeSet<String> =
        ["plan.yaml", "config.yaml"].iter().flat_map(|f| words(&std::fs::read_to_string(repo().join(FIXTURE).join(f)).unwrap())).collect();
    let forbidden = forbidden(&ours);
    assert!(forbidden.contains("渑池县") && forbidden.contains("附件2") && forbidden.contains("13319") && forbidden.contains("70%"), "{forbidden:?}");
    let hits: Vec<String> = got
        .0
        .iter()
        .flat_map(|(at, text)| forbidden.iter().flat_map(move |w| occurrences(text, w).into_iter().map(move |c| format!("{at}: “{w}” in …{c}…"))))
        .collect();
    assert!(hits.is_empty(), "{} hits:\n{}", hits.len(), hits.join("\n"));
    assert!(got.all().len() > 100_000, "the texts were read");
}
