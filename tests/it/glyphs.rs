//! A character no bundled font can print is a data error naming the character and its cell.

use crate::common;

use common::{Book, TestData, P, V};

#[test]
fn uncovered_characters_are_errors_at_their_cells() {
    let d = TestData::new();
    d.add(
        "南村乡.xlsx",
        &Book {
            township: "南村乡",
            month: "2018-03",
            villages: vec![V("关底村", "深度贫困村", 1000, 300, 20, 50, "否", "联系人王喆"), V("堃村", "非贫困村", 500, 30, 0, 0, "否", "")],
            projects: vec![P("瀍河治理", "基础设施", "全乡", "县级专项", 10.0, 1.0, "在建")],
            indicators: vec![],
        },
    );
    let built = jianbao::build(&d.options()).unwrap();
    let glyphs: Vec<_> = built.diagnostics.iter().filter(|d| d.code == "E-GLYPH").collect();
    let places: Vec<(&str, &str)> = glyphs.iter().map(|d| (d.sheet.as_deref().unwrap(), d.cell.as_deref().unwrap())).collect();
    assert_eq!(places, [("村级进度", "A3"), ("村级进度", "H2"), ("项目资金", "A2")], "{glyphs:#?}");
    assert!(glyphs[0].message.contains("“堃”（U+5803）"), "{}", glyphs[0].message);
    assert!(glyphs[1].message.contains("“喆”"), "{}", glyphs[1].message);
    assert!(!d.out().join("2018-03/工作简报-2018年3月.pdf").exists(), "no bulletin with blank boxes");
}
