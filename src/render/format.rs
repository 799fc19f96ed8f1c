//! Display formats shared by the narrative filters and the tables, so both always agree.

/// `52.3%`, or `—` when there is no figure.
pub fn pct(v: Option<f64>) -> String {
    v.map_or_else(|| "—".to_string(), |v| format!("{v:.1}%"))
}

/// A count of people, households or villages.
pub fn count(v: u32) -> String {
    v.to_string()
}

/// 万元 with up to two decimals: `1234.5`, `80`, `0.25`.
pub fn wan(v: f64) -> String {
    let s = format!("{v:.2}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" { "0".to_string() } else { s.to_string() }
}

/// An indicator value: whole numbers without decimals.
pub fn amount(v: f64) -> String {
    wan(v)
}

/// Percentage points, without sign: `11.4`.
pub fn points(v: f64) -> String {
    format!("{:.1}", v.abs())
}

/// 超过时序进度11.4个百分点 / 低于时序进度6.8个百分点 / 与时序进度持平.
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
        assert_eq!(date(2019, 3, 31), "2019年3月31日");
    }
}
