//! Builds the bundled sample data and checks every bulletin against its JSON.

mod common;

use common::{pdf_text, repo};
use jianbao::Options;

#[test]
fn sample_data_builds_six_bulletins_whose_text_shows_their_figures() {
    let out = tempfile::tempdir().unwrap();
    let opts = Options { out: out.path().to_path_buf(), ..Options::in_dir(&repo()) };
    let built = jianbao::build(&opts).unwrap();
    assert!(!built.has_errors(), "{:#?}", built.diagnostics);
    assert_eq!(built.files_read, 60);
    for month in 1..=6 {
        let dir = out.path().join(format!("2018-{month:02}"));
        let json: serde_json::Value = serde_json::from_slice(&std::fs::read(dir.join("工作简报.json")).unwrap()).unwrap();
        let text = pdf_text(&dir.join("工作简报.pdf"));
        let c = &json["figures"]["county"];
        assert_eq!(json["issue"], month);
        assert!(text.contains(&format!("第{month}期")), "issue number in 2018-{month:02}");
        assert!(text.contains(&format!("全县2018年{month}月脱贫攻坚工作进展情况")));
        let expect = [
            format!("全县脱贫{}人", c["lifted_this_month"]),
            format!("累计脱贫{}人", c["lifted_to_date"]),
            format!("完成年度目标任务5500人的{:.1}%", c["completion_pct"].as_f64().unwrap()),
            format!("时序进度为{:.1}%", c["time_progress_pct"].as_f64().unwrap()),
            format!("{:.1}个百分点", c["schedule_gap_pp"].as_f64().unwrap().abs()),
            format!("本年已出列{}个", c["exited_villages"]),
            format!("资金拨付率{:.1}%", c["disbursement_pct"].as_f64().unwrap()),
            format!("全县合计{}{}{}", c["poor_at_start"], c["lifted_this_month"], c["lifted_to_date"]),
        ];
        for e in expect {
            assert!(text.contains(&e), "2018-{month:02}: PDF text lacks {e:?}");
        }
        // The county total row equals the sum of the township rows.
        let towns = json["figures"]["townships"].as_array().unwrap();
        let sum: u64 = towns.iter().map(|t| t["lifted_to_date"].as_u64().unwrap()).sum();
        assert_eq!(sum, c["lifted_to_date"].as_u64().unwrap());
        for t in towns {
            let row = format!("{}{}{}", t["name"].as_str().unwrap(), t["poor_at_start"], t["lifted_this_month"]);
            assert!(text.contains(&row), "2018-{month:02}: township row {row:?}");
        }
        for v in json["figures"]["deep_villages"].as_array().unwrap() {
            assert!(text.contains(v["name"].as_str().unwrap()));
        }
    }
}

#[test]
fn bulletins_are_a4_with_embedded_fonts_and_no_missing_glyphs() {
    let out = tempfile::tempdir().unwrap();
    let opts = Options { out: out.path().to_path_buf(), period: "2018-03".parse().ok(), ..Options::in_dir(&repo()) };
    jianbao::build(&opts).unwrap();
    let doc = lopdf::Document::load(out.path().join("2018-03/工作简报.pdf")).unwrap();
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
    let text = pdf_text(&out.path().join("2018-03/工作简报.pdf"));
    // A glyph missing from a font would be lost from the text layer.
    for word in ["脱贫攻坚工作简报", "渑池县脱贫攻坚领导小组办公室", "苜蓿村", "红花窝村", "—1—"] {
        assert!(text.contains(word), "{word}");
    }
}

#[test]
fn quarterly_summaries_agree_with_the_bulletins() {
    let out = tempfile::tempdir().unwrap();
    let opts = Options { out: out.path().to_path_buf(), ..Options::in_dir(&repo()) };
    jianbao::build(&opts).unwrap();
    let read = |p: &str| -> serde_json::Value { serde_json::from_slice(&std::fs::read(out.path().join(p)).unwrap()).unwrap() };
    let ytd = |m: &str| read(&format!("{m}/工作简报.json"))["figures"]["county"]["lifted_to_date"].as_u64().unwrap();
    for (q, end, previous_end) in [("2018-Q1", "2018-03", None), ("2018-Q2", "2018-06", Some("2018-03"))] {
        let json = read(&format!("{q}/季度汇总.json"));
        let f = &json["figures"];
        let quarter = ytd(end) - previous_end.map_or(0, ytd);
        assert_eq!(f["lifted_quarter"].as_u64().unwrap(), quarter, "{q}");
        assert_eq!(f["county"]["lifted_to_date"].as_u64().unwrap(), ytd(end));
        let towns = f["townships"].as_array().unwrap();
        assert_eq!(towns.iter().map(|t| t["lifted_quarter"].as_u64().unwrap()).sum::<u64>(), quarter);
        assert_eq!(f["heavy_villages"].as_array().unwrap().len(), 38);
        let text = pdf_text(&out.path().join(format!("{q}/季度汇总.pdf")));
        assert!(text.contains(&format!("全县脱贫{quarter}人")), "{q}");
        assert!(text.contains(&format!("全县合计{quarter}")), "{q}");
        for v in f["heavy_villages"].as_array().unwrap() {
            assert!(text.contains(v["name"].as_str().unwrap()), "{q}: {}", v["name"]);
        }
        for i in f["indicators"].as_array().unwrap() {
            assert!(text.contains(i["name"].as_str().unwrap()), "{q}: {}", i["name"]);
        }
        for p in f["problems"].as_array().unwrap() {
            assert!(text.contains(p.as_str().unwrap()), "{q}: problem {p}");
        }
        let trend: Vec<u64> = f["trend"].as_array().unwrap().iter().map(|m| m["lifted_this_month"].as_u64().unwrap()).collect();
        assert_eq!(trend.iter().sum::<u64>(), ytd(end), "monthly trend adds up to the year to date");
    }
    let q2 = read("2018-Q2/季度汇总.json");
    assert_eq!(q2["figures"]["lifted_previous_quarter"].as_u64().unwrap(), ytd("2018-03"));
}
