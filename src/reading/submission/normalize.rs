//! Normalisation of hand-typed spreadsheet text: widths, headers, numbers, yes/no, months.

pub use crate::base::text::fold_width;

/// Text value as the reader keeps it: width-folded spaces trimmed, content otherwise as typed.
pub fn clean_text(s: &str) -> String {
    s.trim_matches(|c: char| c.is_whitespace() || c == '\u{3000}').to_string()
}

/// Key a header or sheet name is compared by: folded, all whitespace removed, and a
/// trailing unit in brackets dropped (`累计脱贫人数（人）` → `累计脱贫人数`).
pub fn header_key(s: &str) -> String {
    let mut k: String = fold_width(s).chars().filter(|c| !c.is_whitespace()).collect();
    if k.ends_with(')') {
        if let Some(open) = k.rfind('(') {
            if open > 0 {
                k.truncate(open);
            }
        }
    }
    k
}

/// A number typed as text: trimmed, full-width digits folded, thousands separators removed.
pub fn parse_number(s: &str) -> Option<f64> {
    let folded = fold_width(s);
    let t = folded.trim();
    if t.is_empty() {
        return None;
    }
    let without_commas: String = t.chars().filter(|&c| c != ',').collect();
    if t.contains(',') && !valid_grouping(t) {
        return None;
    }
    let body = without_commas.strip_prefix(['+', '-']).unwrap_or(&without_commas);
    let ok = !body.is_empty()
        && body.chars().all(|c| c.is_ascii_digit() || c == '.')
        && body.chars().filter(|&c| c == '.').count() <= 1
        && body.chars().any(|c| c.is_ascii_digit());
    if !ok {
        return None;
    }
    without_commas.parse::<f64>().ok().filter(|v| v.is_finite())
}

/// `1,234,567.5` has commas every three digits of the integer part.
fn valid_grouping(t: &str) -> bool {
    let int = t.split('.').next().unwrap_or("");
    let int = int.strip_prefix(['+', '-']).unwrap_or(int);
    let groups: Vec<&str> = int.split(',').collect();
    !groups[0].is_empty() && groups[0].len() <= 3 && groups[1..].iter().all(|g| g.len() == 3)
}

/// 是/否 and their spellings; `None` for anything unrecognised. Blank is handled by the caller.
pub fn parse_yes_no(s: &str) -> Option<bool> {
    match header_key(s).to_uppercase().as_str() {
        "是" | "Y" | "YES" | "√" | "✓" | "已出列" | "出列" | "TRUE" => Some(true),
        "否" | "N" | "NO" | "×" | "✗" | "X" | "未出列" | "FALSE" => Some(false),
        _ => None,
    }
}

/// A reporting month as typed: the one set of spellings (`period::parse_month`).
pub use crate::base::period::parse_month as parse_month_text;

/// The closest candidate within `max` edits, if one is unambiguous enough to suggest.
pub fn closest<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>, max: usize) -> Option<&'a str> {
    candidates.into_iter().map(|c| (strsim::levenshtein(name, c), c)).filter(|(d, _)| *d <= max).min_by_key(|(d, c)| (*d, *c)).map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::base::period::Period;

    #[test]
    fn headers_fold_to_one_key() {
        for h in ["累计脱贫人数（人）", "累计脱贫\n人数", "累计脱贫人数(人)", " 累计脱贫人数 "] {
            assert_eq!(header_key(h), "累计脱贫人数", "{h:?}");
        }
        assert_eq!(header_key("计划投资（万元）"), "计划投资");
    }

    #[test]
    fn numbers_accepted_and_refused() {
        assert_eq!(parse_number("1,234"), Some(1234.0));
        assert_eq!(parse_number("１２３４"), Some(1234.0));
        assert_eq!(parse_number(" 56 "), Some(56.0));
        assert_eq!(parse_number("12.50"), Some(12.5));
        for bad in ["约50", "五十", "50人", "-", "", "1,23", "1.2.3", "NaN", "inf"] {
            assert_eq!(parse_number(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn yes_no_spellings() {
        for y in ["是", "Y", "√", "已出列", "ｙ"] {
            assert_eq!(parse_yes_no(y), Some(true), "{y}");
        }
        for n in ["否", "N", "×", "未出列"] {
            assert_eq!(parse_yes_no(n), Some(false), "{n}");
        }
        assert_eq!(parse_yes_no("也许"), None);
    }

    #[test]
    fn month_spellings() {
        let p = Period::new(2019, 3).unwrap();
        for s in ["2019-03", "2019.3", "2019年3月", "201903", "２０１９年３月", "2019/03"] {
            assert_eq!(parse_month_text(s), Some(p), "{s}");
        }
        assert_eq!(parse_month_text("2019-13"), None);
        assert_eq!(parse_month_text("三月"), None);
    }

    #[test]
    fn closest_names() {
        let c = ["赵沟村", "南岭村", "中朝村"];
        assert_eq!(closest("赵勾村", c, 1), Some("赵沟村"));
        assert_eq!(closest("完全不同", c, 1), None);
    }

    mod properties {
        use super::super::*;
        use crate::base::period::Period;
        use proptest::prelude::*;

        fn grouped(n: u64) -> String {
            let digits = n.to_string();
            let mut out = String::new();
            for (i, c) in digits.chars().enumerate() {
                if i > 0 && (digits.len() - i).is_multiple_of(3) {
                    out.push(',');
                }
                out.push(c);
            }
            out
        }

        fn full_width(s: &str) -> String {
            s.chars().map(|c| if c.is_ascii_graphic() { char::from_u32(c as u32 + 0xFEE0).unwrap() } else { c }).collect()
        }

        proptest! {
            #[test]
            fn integers_in_any_accepted_spelling_parse_to_their_value(n in 0u64..1_000_000_000_000, pad in "[ \u{3000}]{0,3}") {
                let plain = n.to_string();
                for s in [plain.clone(), grouped(n), full_width(&plain), full_width(&grouped(n)), format!("{pad}{plain}{pad}")] {
                    prop_assert_eq!(parse_number(&s), Some(n as f64), "{:?}", s);
                }
            }

            #[test]
            fn text_with_letters_or_han_is_never_a_number(n in 0u32..100_000, word in "[a-z约人个]{1,3}") {
                prop_assert_eq!(parse_number(&format!("{word}{n}")), None);
                prop_assert_eq!(parse_number(&format!("{n}{word}")), None);
            }

            #[test]
            fn folding_is_idempotent_and_never_panics(s in "\\PC{0,40}") {
                let once = fold_width(&s);
                prop_assert_eq!(fold_width(&once), once.clone());
                let key = header_key(&s);
                prop_assert!(!key.chars().any(char::is_whitespace), "{:?}", key);
                let _ = parse_number(&s);
                let _ = parse_month_text(&s);
                let _ = parse_yes_no(&s);
            }

            #[test]
            fn every_month_spelling_round_trips(year in 1990u16..2100, month in 1u8..=12) {
                let p = Period::new(year, month).unwrap();
                for s in [p.to_string(), p.chinese(), format!("{year}.{month}"), format!("{year}{month:02}"), full_width(&p.chinese())] {
                    prop_assert_eq!(parse_month_text(&s), Some(p), "{}", s);
                }
            }

        }
    }
}
