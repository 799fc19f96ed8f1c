//! Reporting periods: a month of a year, its 旬 (ten-day thirds), the quarter it falls in, and
//! the span a document covers (`Span`).

use serde::{Serialize, Serializer};
use std::fmt;
use std::str::FromStr;

/// One reporting month, ordered by time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Period {
    pub year: u16,
    pub month: u8,
}

impl Period {
    pub fn new(year: u16, month: u8) -> Option<Period> {
        ((1900..=2200).contains(&year) && (1..=12).contains(&month)).then_some(Period { year, month })
    }

    /// The month before, or `None` in January (reports never carry across years).
    /// January of its year up to it: the months whose figures a summary standing at it shows.
    pub fn year_to_date(self) -> Vec<Period> {
        (1..=self.month).filter_map(|m| Period::new(self.year, m)).collect()
    }

    /// The month after (across a year's end).
    pub fn next(self) -> Option<Period> {
        if self.month == 12 {
            Period::new(self.year + 1, 1)
        } else {
            Period::new(self.year, self.month + 1)
        }
    }

    pub fn prev_in_year(self) -> Option<Period> {
        (self.month > 1).then(|| Period { year: self.year, month: self.month - 1 })
    }

    /// The day a month's workbook is due: `day` of the next month (`报送截止日`, at most the
    /// month's last day); none when no day is set.
    pub fn deadline(self, day: Option<u8>) -> Option<Date> {
        let next = self.next()?;
        let day = day?.clamp(1, next.last_day());
        Some(Date { year: next.year, month: next.month, day })
    }

    pub fn last_day(self) -> u8 {
        match self.month {
            4 | 6 | 9 | 11 => 30,
            2 if self.year.is_multiple_of(4) && (!self.year.is_multiple_of(100) || self.year.is_multiple_of(400)) => 29,
            2 => 28,
            _ => 31,
        }
    }

    /// `2018年3月`
    pub fn chinese(self) -> String {
        format!("{}年{}月", self.year, self.month)
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

/// A quarter of a year (`2018-Q1`): its summary's period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Quarter {
    pub year: u16,
    pub q: u8,
}

impl Quarter {
    pub fn of(p: Period) -> Quarter {
        Quarter { year: p.year, q: (p.month - 1) / 3 + 1 }
    }

    pub fn months(self) -> impl Iterator<Item = Period> {
        (3 * self.q - 2..=3 * self.q).filter_map(move |m| Period::new(self.year, m))
    }

    /// `2018年第一季度`
    pub fn chinese(self) -> String {
        let n = crate::base::format::cn_num(u32::from(self.q));
        format!("{}年第{n}季度", self.year)
    }
}

impl std::str::FromStr for Quarter {
    type Err = String;

    /// Parses the command-line form `YYYY-Qn`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let err = || format!("季度应写作 YYYY-Qn（年-第n季度，如某年第二季度写 YYYY-Q2），实际为 \"{s}\"");
        let (y, q) = s.split_once(['-']).ok_or_else(err)?;
        let q = q.strip_prefix(['Q', 'q']).ok_or_else(err)?;
        let (year, q): (u16, u8) = (y.parse().map_err(|_| err())?, q.parse().map_err(|_| err())?);
        (y.len() == 4 && (1..=4).contains(&q)).then_some(Quarter { year, q }).ok_or_else(err)
    }
}

impl std::fmt::Display for Quarter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}-Q{}", self.year, self.q)
    }
}

/// A third of a month: 上旬 (days 1-10), 中旬 (11-20), 下旬 (21 to the month's end).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Xun {
    Upper,
    Middle,
    Lower,
}

impl Xun {
    pub const ALL: [Xun; 3] = [Xun::Upper, Xun::Middle, Xun::Lower];

    /// `上旬`, `中旬`, `下旬`.
    pub fn chinese(self) -> &'static str {
        match self {
            Xun::Upper => "上旬",
            Xun::Middle => "中旬",
            Xun::Lower => "下旬",
        }
    }

    /// The day a 旬 workbook is due: `days` after the 旬's last day (`旬报截止天数`).
    pub fn deadline(self, p: Period, days: Option<u8>) -> Option<Date> {
        Some((0..days?).fold(self.last_day(p), |d, _| d.next()))
    }

    /// The last day of this 旬 of the month `p`.
    pub fn last_day(self, p: Period) -> Date {
        let day = match self {
            Xun::Upper => 10,
            Xun::Middle => 20,
            Xun::Lower => p.last_day(),
        };
        Date { year: p.year, month: p.month, day }
    }
}

/// Written as `上旬`, `中旬`, `下旬`.
impl Serialize for Xun {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.chinese())
    }
}

/// The time a document covers: what its id, its number's key and its place in 结果一览
/// follow. (A quarter's summary stands at the quarter's last month with a report: the data
/// say which, `documents::stands_at`.)
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Span {
    /// No period: the data check report.
    Whole,
    Month(Period),
    /// A 旬 of a month.
    Xun(Period, Xun),
    Quarter(Quarter),
    Year(u16),
    /// The plan's years, first to last.
    Plan(u16, u16),
}

impl Span {
    /// The span's last month (a quarter's third, a year's December).
    pub fn end(self) -> Option<Period> {
        match self {
            Span::Whole => None,
            Span::Month(p) | Span::Xun(p, _) => Some(p),
            Span::Quarter(q) => Period::new(q.year, 3 * q.q),
            Span::Year(y) | Span::Plan(_, y) => Period::new(y, 12),
        }
    }

    /// Its last day: a 旬's tenth, twentieth or the month's last; else its last month's.
    pub fn last_day(self) -> Option<Date> {
        match self {
            Span::Xun(p, x) => Some(x.last_day(p)),
            other => other.end().map(Date::last_of),
        }
    }

    /// Its short name, without the year where it has a month: `3月`, `3月上旬`, `第一季度`,
    /// `2018年`, `2018—2020年` (a board's column heads).
    pub fn short(self) -> String {
        match self {
            Span::Whole => String::new(),
            Span::Month(p) => format!("{}月", p.month),
            Span::Xun(p, x) => format!("{}月{}", p.month, x.chinese()),
            Span::Quarter(q) => format!("第{}季度", crate::base::format::cn_num(u32::from(q.q))),
            Span::Year(y) => format!("{y}年"),
            Span::Plan(first, last) => format!("{first}—{last}年"),
        }
    }

    /// The year it is numbered in: its last month's.
    pub fn year(self) -> Option<u16> {
        self.end().map(|p| p.year)
    }
}

/// Read back from the archive's key (`2018-03`, `2019-03上旬`, `2018-Q1`, `2018`, `2018-2020`;
/// nothing for no period).
impl FromStr for Span {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let year = |y: &str| (y.len() == 4).then(|| y.parse::<u16>().ok()).flatten();
        if s.is_empty() {
            return Ok(Span::Whole);
        }
        if let Some(y) = year(s) {
            return Ok(Span::Year(y));
        }
        if s.contains(['Q', 'q']) {
            return s.parse().map(Span::Quarter);
        }
        if let Some((month, xun)) = Xun::ALL.iter().find_map(|x| Some((s.strip_suffix(x.chinese())?, *x))) {
            return month.parse().map(|p| Span::Xun(p, xun));
        }
        if let Some((Some(first), Some(last))) = s.split_once('-').map(|(a, b)| (year(a), year(b))) {
            return Ok(Span::Plan(first, last));
        }
        s.parse().map(Span::Month).map_err(|_| format!("无法识别的期间“{s}”（应为 YYYY-MM、YYYY-MM上旬、YYYY-Qn、YYYY 或 YYYY-YYYY）"))
    }
}

impl Serialize for Span {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for Span {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        String::deserialize(d)?.parse().map_err(serde::de::Error::custom)
    }
}

/// The key a number is kept under in the archive: `2018-03`, `2019-03上旬`, `2018-Q1`, `2018`,
/// `2018-2020`.
impl fmt::Display for Span {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Span::Whole => Ok(()),
            Span::Month(p) => p.fmt(f),
            Span::Xun(p, x) => write!(f, "{p}{}", x.chinese()),
            Span::Quarter(q) => q.fmt(f),
            Span::Year(y) => write!(f, "{y}"),
            Span::Plan(first, last) => write!(f, "{first}-{last}"),
        }
    }
}

impl Serialize for Period {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// Read in any spelling of `parse_month` (`plan.yaml`'s `start.month`); other text is an error
/// naming it.
impl<'de> serde::Deserialize<'de> for Period {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// Months as an office writes them, runs of consecutive months joined with 至: `5月、6月`
/// (two in a row stay apart), `5月至11月`, `2021年12月、2022年1月至3月`. The year is written
/// where it changes, and always first when `with_year`.
pub fn months_cn(months: &[Period], with_year: bool) -> String {
    let mut sorted = months.to_vec();
    sorted.sort();
    sorted.dedup();
    let mut runs: Vec<(Period, Period)> = Vec::new();
    for p in sorted {
        match runs.last_mut() {
            Some((_, end)) if end.next() == Some(p) => *end = p,
            _ => runs.push((p, p)),
        }
    }
    let mut year = if with_year { None } else { runs.first().map(|(a, _)| a.year) };
    let mut name = |p: Period| {
        let s = if year == Some(p.year) { format!("{}月", p.month) } else { p.chinese() };
        year = Some(p.year);
        s
    };
    let mut parts = Vec::new();
    for (a, b) in runs {
        if a == b {
            parts.push(name(a));
        } else if a.next() == Some(b) {
            parts.push(name(a));
            parts.push(name(b));
        } else {
            let first = name(a);
            parts.push(format!("{first}至{}", name(b)));
        }
    }
    parts.join("、")
}

/// What may stand between year and month: `2019-03`, `2019.3`, `2019/3`, `2019_3`. A file name
/// cannot hold `/`; otherwise the spellings are the same everywhere.
pub const SEPARATORS: [char; 4] = ['-', '.', '/', '_'];

/// A month as offices write it, the one set of spellings (docs/报表格式.md) for the cover, a
/// folder's name, `--period` and `config.yaml`: `2019-03`, `2019-3`, `2019.3`, `2019/3`,
/// `2019_3`, `2019年3月`, `2019年3月份`, `201903`; full-width digits and spaces are fine.
pub fn parse_month(text: &str) -> Option<Period> {
    let t: String = crate::base::text::fold_width(text).chars().filter(|c| !c.is_whitespace()).collect();
    let t = t.trim_end_matches('份');
    let (y, m) = if let Some(rest) = t.strip_suffix('月') {
        rest.split_once('年')?
    } else if let Some(pair) = t.split_once(SEPARATORS) {
        pair
    } else if t.len() == 6 && t.chars().all(|c| c.is_ascii_digit()) {
        t.split_at(4)
    } else {
        return None;
    };
    if y.len() != 4 || m.is_empty() || m.len() > 2 {
        return None;
    }
    Period::new(y.parse().ok()?, m.parse().ok()?)
}

impl FromStr for Period {
    type Err = String;

    /// Any spelling of `parse_month`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        parse_month(s).ok_or_else(|| format!("月份应写作 年-月，如 YYYY-MM（也可写 YYYY年M月、YYYY.M、YYYYMM），实际为 \"{s}\""))
    }
}

/// The civil date (year, month, day) `days` after 1970-01-01 (Howard Hinnant's algorithm).
pub fn civil(days: i64) -> (u16, u8, u8) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u8;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
    let y = (yoe + era * 400 + i64::from(m <= 2)) as u16;
    (y, m, d)
}

/// A calendar date, written `YYYY-MM-DD` (a publication date).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub year: u16,
    pub month: u8,
    pub day: u8,
}

impl Date {
    pub fn tuple(self) -> (u16, u8, u8) {
        (self.year, self.month, self.day)
    }

    /// Today on this computer's clock (UTC+8, the time zone of every county office). Never
    /// printed in a document: only for judging 逾期 without `--today`, and for refusing a
    /// 签发日期 in the future.
    pub fn from_clock() -> Date {
        let secs = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs()) + 8 * 3600;
        let (year, month, day) = civil((secs / 86_400) as i64);
        Date { year, month, day }
    }

    /// The day after.
    pub fn next(self) -> Date {
        let month = Period { year: self.year, month: self.month };
        if self.day < month.last_day() {
            Date { day: self.day + 1, ..self }
        } else if self.month < 12 {
            Date { year: self.year, month: self.month + 1, day: 1 }
        } else {
            Date { year: self.year + 1, month: 1, day: 1 }
        }
    }

    /// The last day of `p`.
    pub fn last_of(p: Period) -> Date {
        Date { year: p.year, month: p.month, day: p.last_day() }
    }
}

impl FromStr for Date {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let err = || format!("日期应写作 YYYY-MM-DD（年-月-日），实际为 \"{s}\"");
        let mut parts = s.splitn(3, '-');
        let (y, m, d) = (parts.next().ok_or_else(err)?, parts.next().ok_or_else(err)?, parts.next().ok_or_else(err)?);
        if y.len() != 4 || m.len() != 2 || d.len() != 2 {
            return Err(err());
        }
        let month = Period::new(y.parse().map_err(|_| err())?, m.parse().map_err(|_| err())?).ok_or_else(err)?;
        let day: u8 = d.parse().map_err(|_| err())?;
        (1..=month.last_day()).contains(&day).then_some(Date { year: month.year, month: month.month, day }).ok_or_else(err)
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// Read from `YYYY-MM-DD`; any other text is an error naming it, never a silent default.
impl<'de> serde::Deserialize<'de> for Date {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_span_is_written_as_the_archive_has_always_keyed_it_and_read_back() {
        let spans =
            [Span::Whole, Span::Month(Period { year: 2018, month: 3 }), Span::Quarter(Quarter { year: 2019, q: 2 }), Span::Year(2018), Span::Plan(2018, 2020)];
        let keys: Vec<String> = spans.iter().map(ToString::to_string).collect();
        assert_eq!(keys, ["", "2018-03", "2019-Q2", "2018", "2018-2020"]);
        let feb = Period { year: 2020, month: 2 };
        let xun = Span::Xun(feb, Xun::Lower);
        assert_eq!((xun.to_string().as_str(), "2020-02下旬".parse::<Span>()), ("2020-02下旬", Ok(xun)));
        assert_eq!(xun.last_day().unwrap().to_string(), "2020-02-29");
        assert_eq!(Span::Xun(feb, Xun::Middle).last_day().unwrap().to_string(), "2020-02-20");
        assert!(Span::Xun(feb, Xun::Upper) < Span::Xun(feb, Xun::Middle) && xun.end() == Some(feb));
        assert!("2020-13上旬".parse::<Span>().is_err());
        for (span, key) in spans.iter().zip(&keys) {
            assert_eq!(key.parse::<Span>().as_ref(), Ok(span));
            assert_eq!(serde_json::to_string(span).unwrap(), format!("\"{key}\""));
        }
        assert!("2018-13".parse::<Span>().unwrap_err().contains("无法识别的期间"));
        assert_eq!(Span::Quarter(Quarter { year: 2019, q: 2 }).end(), Some(Period { year: 2019, month: 6 }));
    }

    #[test]
    fn dates_parse_with_real_calendar_days() {
        assert_eq!("2018-04-05".parse::<Date>().unwrap().to_string(), "2018-04-05");
        assert!("2019-02-29".parse::<Date>().is_err());
        assert!("2020-02-29".parse::<Date>().is_ok());
        assert!("2018-4-5".parse::<Date>().is_err());
    }

    #[test]
    fn parses_and_prints() {
        let p: Period = "2018-03".parse().unwrap();
        assert_eq!(p.to_string(), "2018-03");
        assert_eq!(p.chinese(), "2018年3月");
        assert_eq!("2018-3".parse::<Period>(), Ok(p));
        for s in ["2018年3月", "2018.3", "2018/3", "2018_3", "201803", "２０１８－０３"] {
            assert_eq!(s.parse::<Period>(), Ok(p), "{s}");
        }
        assert!("2018-13".parse::<Period>().is_err());
        assert!("18-3".parse::<Period>().is_err());
        assert!("2018-03-15".parse::<Period>().is_err());
    }

    #[test]
    fn months_are_written_as_runs() {
        let ms = |list: &[&str]| list.iter().map(|m| m.parse().unwrap()).collect::<Vec<Period>>();
        assert_eq!(months_cn(&ms(&["2021-05", "2021-06"]), false), "5月、6月");
        assert_eq!(months_cn(&ms(&["2021-05", "2021-06", "2021-07", "2021-11"]), true), "2021年5月至7月、11月");
        assert_eq!(months_cn(&ms(&["2021-12", "2022-01", "2022-02", "2022-03"]), false), "12月至2022年3月");
        assert_eq!(months_cn(&ms(&["2021-03"]), true), "2021年3月");
    }

    #[test]
    fn month_lengths() {
        assert_eq!(Period::new(2018, 2).unwrap().last_day(), 28);
        assert_eq!(Period::new(2020, 2).unwrap().last_day(), 29);
        assert_eq!(Period::new(2018, 6).unwrap().last_day(), 30);
        assert_eq!(Period::new(2018, 1).unwrap().prev_in_year(), None);
    }
}
