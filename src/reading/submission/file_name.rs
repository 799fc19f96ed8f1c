//! What a workbook's file name says about its month (and a 旬 workbook's about its 旬) (`南村乡3月报表(终稿).xlsx`,
//! `坡头乡2018年10月.xls`, `段村乡-201803.xlsx`): checked against the cover, and used to read
//! an ambiguous month typed as a number.

use super::normalize::fold_width;

/// A month named in a file name; `year` when the name gives one too.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NamedMonth {
    pub year: Option<u16>,
    pub month: u8,
}

impl NamedMonth {
    /// `2018年10月` or `10月`.
    pub fn chinese(self) -> String {
        match self.year {
            Some(y) => format!("{y}年{}月", self.month),
            None => format!("{}月", self.month),
        }
    }

    /// Whether `year`-`month` is the month this name means.
    pub fn is(self, year: u16, month: u8) -> bool {
        self.month == month && self.year.is_none_or(|y| y == year)
    }
}

/// The 旬 named in a file's name or its folder's (`南村乡2019年3月上旬.xlsx`,
/// `2019-03上旬/南村乡.xlsx`): one of 上旬, 中旬, 下旬, and only one.
pub fn xun_in_name(path: &str) -> Option<crate::base::period::Xun> {
    let tail: Vec<&str> = path.rsplit('/').take(2).collect();
    let named: Vec<crate::base::period::Xun> =
        crate::base::period::Xun::ALL.into_iter().filter(|x| tail.iter().any(|part| part.contains(x.chinese()))).collect();
    match named.as_slice() {
        [one] => Some(*one),
        _ => None,
    }
}

/// The month named in the last part of `path` (its folders do not count): `3月`, `十月`,
/// `2018年3月`, `2018-03`, `2018.3`, `201803`. `None` when it names none, or names two
/// different months.
pub fn month_in_name(path: &str) -> Option<NamedMonth> {
    let name = path.rsplit('/').next().unwrap_or(path);
    let stem = name.rsplit_once('.').map_or(name, |(s, _)| s);
    let chars: Vec<char> = fold_width(stem).chars().collect();
    let mut found: Vec<NamedMonth> = Vec::new();
    found.extend(with_yue(&chars));
    found.extend(numeric(&chars));
    let first = *found.first()?;
    let month = first.month;
    let year = found.iter().find_map(|f| f.year);
    let agree = found.iter().all(|f| f.month == month && f.year.is_none_or(|y| Some(y) == year));
    agree.then_some(NamedMonth { year, month })
}

/// Runs of ASCII digits: (start, end) indices.
fn digit_runs(chars: &[char]) -> Vec<(usize, usize)> {
    let mut runs = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_ascii_digit() {
            let start = i;
            while i < chars.len() && chars[i].is_ascii_digit() {
                i += 1;
            }
            runs.push((start, i));
        } else {
            i += 1;
        }
    }
    runs
}

fn number(chars: &[char], (a, b): (usize, usize)) -> Option<u32> {
    chars[a..b].iter().collect::<String>().parse().ok()
}

fn plausible_year(y: u32) -> Option<u16> {
    (1990..=2100).contains(&y).then_some(y as u16)
}

fn month(m: u32) -> Option<u8> {
    (1..=12).contains(&m).then_some(m as u8)
}

/// `3月`, `12月`, `2018年3月`, `十月`, `十一月`.
fn with_yue(chars: &[char]) -> Vec<NamedMonth> {
    let runs = digit_runs(chars);
    let mut out = Vec::new();
    for (i, _) in chars.iter().enumerate().filter(|(_, c)| **c == '月') {
        if let Some(&(a, b)) = runs.iter().find(|(_, b)| *b == i) {
            let Some(m) = (b - a <= 2).then(|| number(chars, (a, b))).flatten().and_then(month) else { continue };
            let year = (a > 0 && chars[a - 1] == '年')
                .then(|| runs.iter().find(|(_, e)| *e == a - 1))
                .flatten()
                .and_then(|&r| number(chars, r).and_then(plausible_year));
            out.push(NamedMonth { year, month: m });
        } else if let Some(m) = chinese_month(&chars[..i]) {
            out.push(NamedMonth { year: None, month: m });
        }
    }
    out
}

/// The Chinese numeral month that `before` ends with: 一 … 九, 十, 十一, 十二 (the longest
/// numeral of `format::cn_num` it ends with).
fn chinese_month(before: &[char]) -> Option<u8> {
    let text: String = before.iter().collect();
    (1..=12u8)
        .rev()
        .filter(|m| text.ends_with(&crate::base::format::cn_num(u32::from(*m))))
        .max_by_key(|m| crate::base::format::cn_num(u32::from(*m)).chars().count())
}

/// `2018-03`, `2018.3`, `2018_03` and `201803` (the separators of `period::SEPARATORS`).
fn numeric(chars: &[char]) -> Vec<NamedMonth> {
    let runs = digit_runs(chars);
    let mut out = Vec::new();
    for (k, &(a, b)) in runs.iter().enumerate() {
        if b - a == 6 {
            let (y, m) = (number(chars, (a, a + 4)), number(chars, (a + 4, b)));
            if let (Some(year), Some(m)) = (y.and_then(plausible_year), m.and_then(month)) {
                out.push(NamedMonth { year: Some(year), month: m });
            }
        }
        let Some(&(c, d)) = runs.get(k + 1) else { continue };
        let joined = c == b + 1 && crate::base::period::SEPARATORS.contains(&chars[b]);
        if joined && b - a == 4 && d - c <= 2 && chars.get(d) != Some(&'月') {
            if let (Some(year), Some(m)) = (number(chars, (a, b)).and_then(plausible_year), number(chars, (c, d)).and_then(month)) {
                out.push(NamedMonth { year: Some(year), month: m });
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn named(y: Option<u16>, m: u8) -> Option<NamedMonth> {
        Some(NamedMonth { year: y, month: m })
    }

    #[test]
    fn months_in_file_names() {
        assert_eq!(month_in_name("南村乡3月报表(终稿).xlsx"), named(None, 3));
        assert_eq!(month_in_name("2018-10/坡头乡10月报表.xlsx"), named(None, 10));
        assert_eq!(month_in_name("submissions/2018-03/南村乡2018年3月报表.xlsx"), named(Some(2018), 3));
        assert_eq!(month_in_name("南村乡-2018-03.xls"), named(Some(2018), 3));
        assert_eq!(month_in_name("段村乡201812.xlsx"), named(Some(2018), 12));
        assert_eq!(month_in_name("仁村乡2019.1.xlsx"), named(Some(2019), 1));
        assert_eq!(month_in_name("果园乡十月份.xlsx"), named(None, 10));
        assert_eq!(month_in_name("果园乡十二月.xlsx"), named(None, 12));
        assert_eq!(month_in_name("果园乡三月.xlsx"), named(None, 3));
        assert_eq!(month_in_name("２０１８年１２月.ods"), named(Some(2018), 12));
    }

    #[test]
    fn names_without_one_month() {
        assert_eq!(month_in_name("南村乡.xlsx"), None);
        assert_eq!(month_in_name("2018-03/南村乡.xlsx"), None, "folders do not count");
        assert_eq!(month_in_name("南村乡3月和4月.xlsx"), None, "two months");
        assert_eq!(month_in_name("南村乡第13期.xlsx"), None);
        assert_eq!(month_in_name("报表v2.xlsx"), None);
    }

    #[test]
    fn a_name_means_its_month() {
        let m = month_in_name("坡头乡10月报表.xlsx").unwrap();
        assert!(m.is(2018, 10) && m.is(2019, 10) && !m.is(2018, 1));
        let y = month_in_name("坡头乡2018年10月.xlsx").unwrap();
        assert!(y.is(2018, 10) && !y.is(2019, 10));
        assert_eq!(y.chinese(), "2018年10月");
    }
}
