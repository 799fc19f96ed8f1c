//! The year's documents: 年度总结 with the same figures as the December bulletin and the Q4
//! summary; the plan's final accounting on three years of county-scale data against totals
//! computed here from the workbooks; a bound volume's 目录 and page numbers; archived copies
//! carrying their inputs byte for byte, and verify catching a changed byte.

use crate::common;

use calamine::{open_workbook_auto, Data, Reader};
use common::{copy_project, pdf_attachments, pdf_text, repo};
use jianbao::archive::{self, manifest::Manifest, Outcome, Request, Target};
use jianbao::inputs::{sha256, sm3};

fn json(path: &std::path::Path) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

#[test]
fn the_year_summary_shows_the_figures_of_december_and_the_fourth_quarter() {
    let out = tempfile::tempdir().unwrap();
    let opts = jianbao::Options { out: out.path().to_path_buf(), ..jianbao::Options::in_dir(&repo()) };
    jianbao::build(&opts).unwrap();
    let year = json(&out.path().join("2018/年度总结-2018年.json"))["figures"].clone();
    let december = json(&out.path().join("2018-12/工作简报-2018年12月.json"))["figures"].clone();
    let q4 = json(&out.path().join("2018-Q4/季度汇总-2018年第四季度.json"))["figures"].clone();
    assert_eq!(year["county"], december["county"], "county figures");
    assert_eq!(year["townships"], december["townships"], "townships and their ranks");
    assert_eq!(year["deep_villages"], december["deep_villages"]);
    assert_eq!(year["indicators"], december["indicators"]);
    for key in ["trend", "funds_by_category", "funds_by_source", "heavy_villages"] {
        assert_eq!(year[key], q4[key], "{key}");
    }
    assert_eq!(year["trend"].as_array().unwrap().len(), 12);
    // The sample has no 2019 December: no 2019 summary, no final report.
    assert!(!out.path().join("2019/年度总结-2019年.pdf").exists());
    let text = pdf_text(&out.path().join("2018/年度总结-2018年.pdf"));
    let c = &december["county"];
    assert!(text.contains(&format!("2018年，全县脱贫{}人", c["lifted_to_date"])), "{text}");
    assert!(text.contains("五、下一步工作") && text.contains("2019年目标：脱贫5437人，出列贫困村16个。"));
    // 存在问题 from the figures: the 2018 village target (10) was missed (2 exited).
    assert!(text.contains(&format!("全年出列贫困村{}个，未完成年度目标10个。", c["exited_this_year"])));
}

/// Σ over the December workbooks of each year, read here with calamine: 累计脱贫人数, and in
/// the last year 年初贫困人口 − 累计脱贫人数 and the poverty villages marked 是.
fn decembers(data: &std::path::Path, years: &[u16]) -> (Vec<u64>, u64, u64) {
    let (mut lifted, mut remaining, mut exited) = (Vec::new(), 0, 0);
    for (i, y) in years.iter().enumerate() {
        let mut total = 0;
        for e in std::fs::read_dir(data.join(format!("submissions/{y}-12"))).unwrap() {
            let mut book = open_workbook_auto(e.unwrap().path()).unwrap();
            let sheet = book.worksheet_range("村级进度").unwrap();
            let rows: Vec<Vec<Data>> = sheet.rows().map(|r| r.to_vec()).collect();
            let header = rows.iter().position(|r| r.first().is_some_and(|c| *c == "村名")).unwrap();
            let col = |h: &str| rows[header].iter().position(|c| *c == h).unwrap();
            for r in rows[header + 1..].iter().filter(|r| r[0] != "合计" && !r[0].to_string().is_empty()) {
                let num = |h: &str| r[col(h)].to_string().parse::<f64>().unwrap() as u64;
                total += num("累计脱贫人数");
                if i + 1 == years.len() {
                    remaining += num("年初贫困人口") - num("累计脱贫人数");
                    exited += u64::from(r[col("是否出列")] == "是" && r[col("村类型")] != "非贫困村");
                }
            }
        }
        lifted.push(total);
    }
    (lifted, remaining, exited)
}

#[test]
fn the_plans_final_accounting_on_three_years_of_county_data() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    jianbao::sample::write_county_scale(&repo().join("data"), &data).unwrap();
    let opts = jianbao::Options { data: data.clone(), out: dir.path().join("out"), ..jianbao::Options::in_dir(&repo()) };
    let built = jianbao::build(&opts).unwrap();
    assert!(!built.has_errors(), "{:#?}", built.diagnostics);
    let (lifted, remaining, exited) = decembers(&data, &[2018, 2019, 2020]);
    let report = json(&opts.out.join("三年行动计划完成情况-2018-2020年.json"))["figures"].clone();
    let years = report["years"].as_array().unwrap();
    for (y, want) in years.iter().zip(&lifted) {
        assert_eq!(y["lifted"].as_u64(), Some(*want), "{}", y["year"]);
    }
    assert_eq!(
        [years[0]["target_people"].as_u64(), years[1]["target_people"].as_u64(), years[2]["target_people"].as_u64()],
        [Some(5500), Some(5437), Some(2382)]
    );
    let total: u64 = lifted.iter().sum();
    assert_eq!(report["lifted_total"].as_u64(), Some(total));
    assert_eq!(report["base_people"].as_u64(), Some(13319));
    assert_eq!(report["remaining_poor"].as_u64(), Some(remaining));
    assert_eq!(report["exited_total"].as_u64(), Some(exited));
    assert_eq!(report["deep_villages"].as_array().unwrap().len(), 18);
    assert_eq!(report["heavy_villages"].as_array().unwrap().len(), 38);
    // The text, with the completion worked out here (half up, one decimal).
    let pct = |n: u64, d: u64| {
        let t = (2 * n * 1000 + d) / (2 * d);
        format!("{}.{}%", t / 10, t % 10)
    };
    let text = pdf_text(&opts.out.join("三年行动计划完成情况-2018-2020年.pdf"));
    assert!(text.contains(&format!("2018—2020年，全县累计脱贫{total}人，为2017年底建档立卡贫困人口13319人的{}", pct(total, 13319))), "{text}");
    assert!(text.contains(&format!("累计出列贫困村{exited}个，为基数32个的{}", pct(exited, 32))));
    for y in [2018, 2019, 2020] {
        assert!(opts.out.join(format!("{y}/年度总结-{y}年.pdf")).exists());
    }
}

fn publish(opts: &jianbao::Options, target: Target, date: &str, correction: bool) -> (jianbao::archive::manifest::Entry, std::path::PathBuf) {
    match archive::publish(opts, &Request { target, date: Some(date.parse().unwrap()), correction, skip_earlier: true }).unwrap().outcome {
        Outcome::Published { entry, path } => (entry, path),
        other => panic!("{other:?}"),
    }
}

#[test]
fn archived_copies_carry_their_inputs_byte_for_byte() {
    let (_dir, opts) = copy_project();
    let (entry, path) = publish(&opts, Target::month("2019-02".parse().unwrap()), "2019-03-05", false);
    let attached = pdf_attachments(&path);
    let pdf = std::fs::read(&path).unwrap();
    assert_eq!((entry.sha256.as_str(), entry.sm3.as_str()), (sha256(&pdf).as_str(), sm3(&pdf).as_str()));
    let data: Vec<_> = entry.inputs.iter().filter(|i| matches!(i.kind.as_str(), "workbook" | "plan" | "config")).collect();
    // February 2019's figures come from 2019's January and February reports and each
    // township's last report of 2018 (December): 10 + 9 (果园乡 sent nothing) + 10.
    assert_eq!(data.iter().filter(|i| i.kind == "workbook").count(), 29);
    for i in data {
        let bytes = attached.get(&i.path).unwrap_or_else(|| panic!("{} not attached", i.path));
        let original = std::fs::read(opts.data.join(&i.path)).unwrap();
        assert!(*bytes == original, "{} attached byte for byte", i.path);
        assert_eq!((sha256(bytes), sm3(bytes)), (i.sha256.clone(), i.sm3.clone()), "{}", i.path);
    }
    let figures: serde_json::Value = serde_json::from_slice(&attached["工作简报-2019年2月.json"]).unwrap();
    assert_eq!(figures["figures"]["period"], "2019-02");
    assert!(attached.contains_key("排版/data.json") && attached.contains_key("排版/narrative.typ"));
    assert!(archive::verify(&opts.out).unwrap().is_clean());
}

#[test]
fn a_bound_volume_has_a_contents_page_continuous_numbers_and_is_verified() {
    let (_dir, opts) = copy_project();
    let month = |p: &str| Target::month(p.parse().unwrap());
    publish(&opts, month("2018-01"), "2018-02-05", false);
    publish(&opts, month("2018-02"), "2018-03-05", false);
    publish(&opts, month("2018-03"), "2018-04-05", false);
    // A correction of February (its data changed: the configuration's copies).
    let config = std::fs::read_to_string(opts.data.join("config.yaml")).unwrap().replace("copies: 60", "copies: 61");
    std::fs::write(opts.data.join("config.yaml"), config).unwrap();
    publish(&opts, month("2018-02"), "2018-04-20", true);
    let (entry, path) = publish(&opts, Target::Volume(2018), "2019-01-15", false);
    assert_eq!((entry.series.name(), entry.number, entry.period.to_string().as_str()), ("合订本", 1, "2018"));
    assert_eq!(entry.inputs.iter().filter(|i| i.kind == "document").count(), 4);

    // Page by page: the cover, the 目录, then each document from an odd page.
    let doc = lopdf::Document::load(&path).unwrap();
    let page_text = |n: u32| doc.extract_text(&[n]).unwrap().chars().filter(|c| !c.is_whitespace()).collect::<String>();
    assert!(page_text(1).contains("合订本") && page_text(1).contains("2018年"));
    let contents = page_text(2);
    let mut listed = Vec::new();
    for (issue, title) in [("第1期", "1月"), ("第2期", "2月"), ("第3期", "3月"), ("第4期（更正第2期）", "2月")] {
        let at = contents.find(&format!("{issue}全县2018年{title}脱贫攻坚工作进展情况")).unwrap_or_else(|| panic!("目录 lacks {issue}: {contents}"));
        let rest = &contents[at..];
        let page: u32 = rest.split("情况").nth(1).unwrap().chars().take_while(|c| c.is_ascii_digit()).collect::<String>().parse().unwrap();
        listed.push((issue, page));
    }
    assert_eq!(listed[0].1, 1, "the first document starts the volume's page numbers");
    let pages = doc.get_pages().len() as u32;
    for (issue, page) in &listed {
        assert!(page % 2 == 1, "{issue} starts on an odd page ({page})");
        // The volume's page N is the PDF's page N + 2 (cover and 目录), numbered — N —.
        let text = page_text(page + 2);
        assert!(text.contains(&format!("—{page}—")), "{issue}: page {page} shows its number: {text}");
        assert!(text.contains(issue.split('（').next().unwrap()), "{issue} starts on page {page}");
        assert!(page + 2 <= pages);
    }
    assert!(listed.windows(2).all(|w| w[0].1 < w[1].1), "{listed:?}");
    assert!(archive::verify(&opts.out).unwrap().is_clean());

    // A changed byte in the volume, and in a record of an attachment: verify finds both.
    let mut bytes = std::fs::read(&path).unwrap();
    let n = bytes.len() - 100;
    bytes[n] ^= 1;
    std::fs::write(&path, bytes).unwrap();
    let folder = archive::folder(&opts.out);
    let mut manifest = Manifest::load(&folder).unwrap();
    let plan = manifest.entries[0].inputs.iter_mut().find(|i| i.kind == "plan").unwrap();
    plan.sm3 = plan.sm3.replacen(&plan.sm3[..1], if &plan.sm3[..1] == "0" { "1" } else { "0" }, 1);
    manifest.save(&folder).unwrap();
    let v = archive::verify(&opts.out).unwrap();
    assert_eq!(v.altered, std::slice::from_ref(&entry.file));
    assert_eq!(v.mismatched, [format!("{} › 附件 plan.yaml", manifest.entries[0].file)]);
}

#[test]
fn a_bound_volume_prints_the_digests_that_check_the_archive_years_later() {
    let (_dir, opts) = copy_project();
    let month = |p: &str| Target::month(p.parse().unwrap());
    let (first, _) = publish(&opts, month("2018-01"), "2018-02-05", false);
    publish(&opts, month("2018-02"), "2018-03-05", false);
    publish(&opts, month("2018-03"), "2018-04-05", false);
    let (volume, path) = publish(&opts, Target::Volume(2018), "2019-01-15", false);
    // The last page prints each issue's SM3 (in groups of eight) and the chain's head.
    let doc = lopdf::Document::load(&path).unwrap();
    let last = *doc.get_pages().keys().max().unwrap();
    let text: String = doc.extract_text(&[last]).unwrap().chars().filter(|c| !c.is_whitespace()).collect();
    assert!(text.contains("归档核对") && text.contains(&first.sm3), "{text}");
    let head = volume.previous.clone().unwrap();
    assert!(text.contains(&format!("登记链末端（SM3）{}", head.sm3)), "{text}");

    let check = |label: &str| {
        let c = archive::anchor::check(&opts.out, &path).unwrap();
        assert_eq!(c.checked, 3, "{label}");
        c.findings
    };
    assert!(check("as bound").is_empty());
    // A forger who edits an entry and recomputes every link after it passes the chain check,
    // but not the entries the PDFs carry, nor the printed head.
    let folder = archive::folder(&opts.out);
    let original = std::fs::read(folder.join("manifest.json")).unwrap();
    let mut manifest = Manifest::load(&folder).unwrap();
    manifest.entries[1].published = "2018-03-06".parse().unwrap();
    for i in 2..manifest.entries.len() {
        manifest.entries[i].previous = Some(manifest.entries[i - 1].link());
    }
    manifest.save(&folder).unwrap();
    let v = archive::verify(&opts.out).unwrap();
    assert!(v.unlinked.is_empty() && v.edited.len() == 3 && v.edited[0].contains("签发日期"), "{v:?}");
    let findings = check("relinked");
    assert_eq!(findings.len(), 1, "{findings:?}");
    assert!(findings[0].contains("登记链末端") && findings[0].contains(&head.sm3), "{findings:?}");
    std::fs::write(folder.join("manifest.json"), &original).unwrap();
    // A bound issue replaced by another file.
    let second = folder.join(&manifest.entries[1].file);
    std::fs::copy(folder.join(&first.file), &second).unwrap();
    let findings = check("replaced");
    assert_eq!(findings.len(), 1, "{findings:?}");
    assert!(findings[0].starts_with("第2期") && findings[0].contains("文件被改动或替换"), "{findings:?}");
    // On the command line: exit 1 and the finding in Chinese.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_jianbao")).args(["verify", "--volume"]).arg(&path).arg("--out").arg(&opts.out).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(stdout.contains("与合订本不符：第2期"), "{stdout}");
}

#[test]
fn a_bound_volume_prints_and_checks_the_ofds_too() {
    let (_dir, mut opts) = copy_project();
    opts.formats = Some(vec![jianbao::config::Format::Pdf, jianbao::config::Format::Ofd]);
    let month = |p: &str| Target::month(p.parse().unwrap());
    let (first, _) = publish(&opts, month("2018-01"), "2018-02-05", false);
    publish(&opts, month("2018-02"), "2018-03-05", false);
    let (_, path) = publish(&opts, Target::Volume(2018), "2019-01-15", false);
    let ofd = first.ofd.clone().expect("an OFD beside the first issue");
    let doc = lopdf::Document::load(&path).unwrap();
    let last = *doc.get_pages().keys().max().unwrap();
    let text: String = doc.extract_text(&[last]).unwrap().chars().filter(|c| !c.is_whitespace()).collect();
    assert!(text.contains(&format!("OFD{}", ofd.sm3)), "the OFD's SM3 is printed: {text}");
    assert!(archive::anchor::check(&opts.out, &path).unwrap().findings.is_empty());
    // An OFD replaced after binding is found.
    let file = archive::folder(&opts.out).join(&ofd.file);
    let mut bytes = std::fs::read(&file).unwrap();
    let n = bytes.len() - 40;
    bytes[n] ^= 1;
    std::fs::write(&file, bytes).unwrap();
    let findings = archive::anchor::check(&opts.out, &path).unwrap().findings;
    assert!(findings.iter().any(|f| f.contains(&ofd.file) && f.contains("SM3 与合订本所印不同")), "{findings:?}");
}
