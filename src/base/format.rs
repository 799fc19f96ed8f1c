//! Display formats shared by the narrative filters and the tables, so both always agree.

/// `52.3%`, or `—` when there is no figure. A value shown beside a judgment may carry more
/// decimals (`89.96%`, see `aggregate::ratio::pct_against`); they are kept.
pub fn pct(v: Option<f64>) -> String {
    v.map_or_else(|| "—".to_string(), |v| format!("{}%", decimals(v)))
}

/// One decimal at least, and every further one the value carries (up to nine).
fn decimals(v: f64) -> String {
    let s = format!("{v:.9}");
    let s = s.trim_end_matches('0');
    let s = if s.ends_with('.') { format!("{s}0") } else { s.to_string() };
    if s == "-0.0" {
        "0.0".to_string()
    } else {
        s
    }
}

/// A count of people, households or villages (negative only where a figure fell).
pub fn count(v: impl Into<i64>) -> String {
    v.into().to_string()
}

/// 万元 in a table column: always two decimals (`1234.50`, `80.00`), so a column lines up.
pub fn wan_column(v: f64) -> String {
    let s = format!("{v:.2}");
    if s == "-0.00" {
        "0.00".to_string()
    } else {
        s
    }
}

/// 万元 in running text, with up to two decimals: `1234.5`, `80`, `0.25`.
pub fn wan(v: f64) -> String {
    let s = format!("{v:.2}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" {
        "0".to_string()
    } else {
        s.to_string()
    }
}

/// An indicator value: whole numbers without decimals.
pub fn amount(v: f64) -> String {
    wan(v)
}

/// Percentage points, without sign: `11.4` (or `0.04` for a gap that one decimal would hide).
pub fn points(v: f64) -> String {
    decimals(v.abs())
}

/// 超过时序进度11.4个百分点 / 低于时序进度6.8个百分点 / 与时序进度持平. The gap is shown with
/// as many decimals as its sign needs (`pp_diff`), so 持平 is said only of an exact zero.
pub fn schedule(gap: Option<f64>) -> String {
    match gap {
        None => "无年度目标可比".to_string(),
        Some(g) if g > 0.0 => format!("超过时序进度{}个百分点", points(g)),
        Some(g) if g < 0.0 => format!("低于时序进度{}个百分点", points(g)),
        Some(_) => "与时序进度持平".to_string(),
    }
}

/// `2018年3月31日`: Arabic numerals, no leading zeros.
pub fn date(year: u16, month: u8, day: u8) -> String {
    format!("{year}年{month}月{day}日")
}

/// Chinese numerals for list numbering: 1 → 一, 12 → 十二, 21 → 二十一 (up to 99).
pub fn cn_num(n: u32) -> String {
    const D: [&str; 10] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    match n {
        0..=9 => D[n as usize].to_string(),
        10..=19 => format!("十{}", if n == 10 { "" } else { D[(n - 10) as usize] }),
        20..=99 => format!("{}十{}", D[(n / 10) as usize], if n.is_multiple_of(10) { "" } else { D[(n % 10) as usize] }),
        _ => n.to_string(),
    }
}

/// `2018-03-31` → `2018年3月31日`, `2018-03` → `2018年3月`; other text unchanged.
pub fn cn_date(s: &str) -> String {
    let parts: Vec<&str> = s.split('-').collect();
    let num = |p: &str| p.parse::<u32>().ok();
    match parts.as_slice() {
        [y, m, d] => match (num(y), num(m), num(d)) {
            (Some(y), Some(m), Some(d)) => format!("{y}年{m}月{d}日"),
            _ => s.to_string(),
        },
        [y, m] => match (num(y), num(m)) {
            (Some(y), Some(m)) => format!("{y}年{m}月"),
            _ => s.to_string(),
        },
        _ => s.to_string(),
    }
}

/// A ranking: `第3名`, or `—` when unranked.
pub fn rank(r: Option<u32>) -> String {
    r.map_or_else(|| "—".to_string(), |r| format!("第{r}名"))
}

/// A table row for a township without figures: its name, then `text` in every other cell.
pub fn placeholder_row(name: &str, text: &str, cells: usize) -> Vec<String> {
    std::iter::once(name.to_string()).chain(std::iter::repeat_n(text.to_string(), cells - 1)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        assert_eq!(pct(Some(52.0)), "52.0%");
        assert_eq!(pct(None), "—");
        assert_eq!(wan(1234.50), "1234.5");
        assert_eq!(wan(80.0), "80");
        assert_eq!(wan(0.25), "0.25");
        assert_eq!(schedule(Some(11.4)), "超过时序进度11.4个百分点");
        assert_eq!(schedule(Some(-6.8)), "低于时序进度6.8个百分点");
        assert_eq!(schedule(Some(0.0)), "与时序进度持平");
        assert_eq!(schedule(Some(-0.04)), "低于时序进度0.04个百分点");
        assert_eq!(pct(Some(89.96)), "89.96%");
        assert_eq!(pct(Some(19.4)), "19.4%");
        assert_eq!(pct(Some(-0.0)), "0.0%");
        assert_eq!(pct(Some(100.0)), "100.0%");
        assert_eq!(date(2019, 3, 31), "2019年3月31日");
        assert_eq!(cn_num(1), "一");
        assert_eq!(cn_num(10), "十");
        assert_eq!(cn_num(14), "十四");
        assert_eq!(cn_num(20), "二十");
        assert_eq!(cn_num(38), "三十八");
        assert_eq!(cn_date("2018-03-31"), "2018年3月31日");
        assert_eq!(cn_date("2018-03"), "2018年3月");
        assert_eq!(rank(Some(3)), "第3名");
    }
}
