//! Sample data (示例数据): plausible, internally consistent township workbooks generated from
//! the plan, for the bundled `data/` folder, for tests and for benchmarks.

pub mod pieces;
pub mod xlsx;

use crate::setup::plan::{ListedAs, Plan};

/// Ordinary poverty villages of the sample, by township: the plan does not name the 14 poverty
/// villages that are not deep-poverty villages, so these names are invented (示例).
const SAMPLE_POVERTY_VILLAGES: &[(&str, &[&str])] = &[
    ("南村乡", &["石门村", "岭上村"]),
    ("段村乡", &["柴洼村", "青龙湾村"]),
    ("仁村乡", &["东坡村"]),
    ("天池镇", &["韶峰村", "草庙村"]),
    ("张村镇", &["马岭村", "西沟村"]),
    ("英豪镇", &["北涧村"]),
    ("陈村乡", &["槐林村"]),
    ("洪阳镇", &["盐仓村"]),
    ("果园乡", &["鹿寺村"]),
    ("坡头乡", &["槐树岭村"]),
    // The two townships the plan does not name, for the county-scale benchmark data.
    ("城关镇", &["东关村"]),
    ("仰韶镇", &["班村"]),
];

/// The townships the plan counts (12) but does not name; the benchmark adds them.
pub const UNNAMED_TOWNSHIPS: &[&str] = &["城关镇", "仰韶镇"];

/// Villages that exit (出列) in the sample: year, month.
const SAMPLE_EXITS: &[(&str, u16, u8)] =
    &[("石门村", 2018, 5), ("韶峰村", 2018, 6), ("柴洼村", 2019, 2), ("马岭村", 2019, 3), ("岭上村", 2020, 4), ("草庙村", 2020, 6)];

/// The bundled sample (示例数据): 2018-01 … 2019-03, with 果园乡 missing February 2019 and
/// catching up in March.
pub const BUNDLED_YEARS: &[u16] = &[2018, 2019];
pub const BUNDLED_LAST_MONTH: u8 = 3;
pub const BUNDLED_MISSING: &[(&str, u16, u8)] = &[("果园乡", 2019, 2)];
/// The townships of the sample that send 旬 workbooks (for its last month).
pub const XUN_TOWNSHIPS: &[&str] = &["南村乡", "段村乡", "坡头乡"];
/// The townships of the sample that give every 公示/公告 column from April 2018 on (their first
/// quarter's workbooks, which the archive fixtures hold, stay of the older format); in 2019 every
/// other township gives 建设内容 and 实施单位 (what the county's 公示 prints), in 2018 none.
pub const NOTICE_TOWNSHIPS: &[&str] = &["南村乡", "坡头乡"];

/// Which 公示/公告 columns a township's 项目资金 sheet has.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum NoticeColumns {
    /// None: a workbook of the older format.
    #[default]
    None,
    /// 建设内容 and 实施单位.
    Funds,
    /// Every one (docs/报表格式.md).
    Full,
}

/// The bundled sample's 公示/公告 columns of township `t` in month `p`.
fn bundled_notices(t: &str, p: crate::base::period::Period) -> NoticeColumns {
    match (NOTICE_TOWNSHIPS.contains(&t), p.year) {
        (true, 2018) if p.month < 4 => NoticeColumns::None,
        (true, _) => NoticeColumns::Full,
        (false, 2019) => NoticeColumns::Funds,
        _ => NoticeColumns::None,
    }
}

/// Share of the year's lifting done by the end of each month (Jan..Dec).
const MONTHLY_PROGRESS: [f64; 12] = [0.05, 0.11, 0.22, 0.33, 0.43, 0.52, 0.60, 0.68, 0.77, 0.86, 0.94, 1.0];

/// A deterministic number in [0, 1) from a string (FNV-1a), for plausible variation.
fn unit(key: &str) -> f64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in key.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    (h >> 11) as f64 / (1u64 << 53) as f64
}

fn between(key: &str, lo: f64, hi: f64) -> f64 {
    lo + (hi - lo) * unit(key)
}

/// One sample village at the start of the year.
#[derive(Debug, Clone)]
pub struct SampleVillage {
    pub name: String,
    pub kind: &'static str,
    pub population: u32,
    pub poor: u32,
    pub yearly_lift: u32,
    pub exit_month: Option<u8>,
    /// Exited in an earlier year: stays 是.
    pub exited_before: bool,
}

/// One township of the sample county in one year.
#[derive(Debug, Clone)]
pub struct SampleTownship {
    pub name: String,
    pub year: u16,
    pub pace: f64,
    pub villages: Vec<SampleVillage>,
    /// Months of the year it sends no workbook (it catches up in the next one).
    pub missing: Vec<u8>,
    /// The 公示/公告 columns its workbooks have.
    pub notices: NoticeColumns,
}

impl SampleTownship {
    /// The month of its last workbook before month `m` (0 if none this year).
    pub fn previous_report(&self, m: u8) -> u8 {
        (1..m).rev().find(|p| !self.missing.contains(p)).unwrap_or(0)
    }
}

/// The sample county in `year`, chained from the plan's first year: each year starts from the
/// poor the previous year left, and villages that exited stay exited.
pub fn county(plan: &Plan, year: u16) -> Vec<SampleTownship> {
    let first = plan.rolling_plan.base_year + 1;
    let mut towns = first_year(plan);
    set_year(plan, &mut towns, first);
    for y in first + 1..=year.max(first) {
        for v in towns.iter_mut().flat_map(|t| t.villages.iter_mut()) {
            v.poor -= v.yearly_lift;
            v.exited_before |= v.exit_month.is_some();
        }
        set_year(plan, &mut towns, y);
    }
    towns
}

/// The plan's base year-end: villages whose poor add up to the plan's base.
fn first_year(plan: &Plan) -> Vec<SampleTownship> {
    let mut towns: Vec<SampleTownship> = plan.townships.iter().map(|t| township(plan, t)).collect();
    let listed: u32 = towns.iter().flat_map(|t| &t.villages).filter(|v| v.kind != "贫困村").map(|v| v.poor).sum();
    let base = plan.rolling_plan.base.poor_population;
    let ordinary: Vec<(usize, usize)> =
        towns.iter().enumerate().flat_map(|(i, t)| t.villages.iter().enumerate().filter(|(_, v)| v.kind == "贫困村").map(move |(j, _)| (i, j))).collect();
    // The invented poverty villages take up the rest of the base, in proportion to their size.
    let rest = base.saturating_sub(listed);
    let weight: u32 = ordinary.iter().map(|&(i, j)| towns[i].villages[j].population).sum();
    let mut given = 0;
    for (k, &(i, j)) in ordinary.iter().enumerate() {
        let v = &mut towns[i].villages[j];
        v.poor = if k + 1 == ordinary.len() { rest - given } else { rest * v.population / weight };
        given += v.poor;
    }
    towns
}

/// Each village's lifting in `year`: its share of the year's target in proportion to its poor
/// at the start of the year, at its township's pace; the year's exits lift all but 1.5 %.
fn set_year(plan: &Plan, towns: &mut [SampleTownship], year: u16) {
    let start: u32 = towns.iter().flat_map(|t| &t.villages).map(|v| v.poor).sum();
    let target = plan.year_target(year).map_or(0, |t| t.poor_population);
    for t in towns.iter_mut() {
        t.year = year;
        for v in &mut t.villages {
            let share = f64::from(v.poor) * f64::from(target) / f64::from(start.max(1)) * t.pace;
            v.yearly_lift = (share.round() as u32).min(v.poor);
            v.exit_month = SAMPLE_EXITS.iter().find(|(n, y, _)| *n == v.name && *y == year).map(|&(.., m)| m);
            if v.exit_month.is_some() {
                v.yearly_lift = v.poor.saturating_sub(v.population * 15 / 1000);
            }
        }
    }
}

fn township(plan: &Plan, name: &str) -> SampleTownship {
    let mut villages = Vec::new();
    for (v, listed) in plan.listed_villages(name) {
        let focus = plan.deep_poverty_villages.focus.iter().any(|f| f == v);
        let population = between(&format!("{v}人口"), 800.0, 2200.0).round() as u32;
        let (kind, incidence) = match (listed, focus) {
            (ListedAs::DeepPoverty, true) => ("深度贫困村", between(v, 0.31, 0.36)),
            (ListedAs::DeepPoverty, false) => ("深度贫困村", between(v, 0.215, 0.29)),
            (ListedAs::HeavyTask, _) => ("非贫困村", between(v, 0.052, 0.075)),
        };
        let poor = ((f64::from(population) * incidence).round() as u32).max(if kind == "非贫困村" { 52 } else { 0 });
        villages.push(SampleVillage { name: v.to_string(), kind, population, poor, yearly_lift: 0, exit_month: None, exited_before: false });
    }
    let extra = SAMPLE_POVERTY_VILLAGES.iter().find(|(t, _)| *t == name).map_or(&[][..], |(_, v)| v);
    for v in extra {
        let population = between(&format!("{v}人口"), 1300.0, 1900.0).round() as u32;
        villages.push(SampleVillage { name: v.to_string(), kind: "贫困村", population, poor: 0, yearly_lift: 0, exit_month: None, exited_before: false });
    }
    SampleTownship {
        name: name.to_string(),
        year: 0,
        pace: between(&format!("{name}进度"), 0.82, 1.16),
        villages,
        missing: Vec::new(),
        notices: NoticeColumns::None,
    }
}

/// Cumulative people lifted in `v` by the end of month `m`.
pub fn lifted_by(v: &SampleVillage, m: u8) -> u32 {
    if m == 0 {
        return 0;
    }
    if let Some(exit) = v.exit_month {
        let share = (f64::from(m) / f64::from(exit)).min(1.0);
        return (f64::from(v.yearly_lift) * share).round() as u32;
    }
    let p = MONTHLY_PROGRESS[usize::from(m) - 1];
    ((f64::from(v.yearly_lift) * p).round() as u32).min(v.poor)
}

mod workbook;
pub use workbook::{file_name, workbook, xun_file_name, xun_workbook};

/// Writes the workbooks of `plan`'s townships for every month of `years` up to `last` (the
/// last month of the last year) under `data`, the years chained; a township sends nothing in
/// the `missing` (township, year, month). Returns how many.
pub fn write_months(data: &std::path::Path, plan: &Plan, years: &[u16], last: u8, missing: &[(&str, u16, u8)]) -> crate::base::error::Result<usize> {
    write_months_with(data, plan, years, last, missing, |_, _| NoticeColumns::None)
}

/// `write_months`, each township's 项目资金 with the 公示/公告 columns `notices` gives it in a year.
fn write_months_with(
    data: &std::path::Path,
    plan: &Plan,
    years: &[u16],
    last: u8,
    missing: &[(&str, u16, u8)],
    notices: fn(&str, crate::base::period::Period) -> NoticeColumns,
) -> crate::base::error::Result<usize> {
    let mut written = 0;
    for (i, &year) in years.iter().enumerate() {
        let mut county = county(plan, year);
        for t in &mut county {
            t.missing = missing.iter().filter(|(n, y, _)| *n == t.name && *y == year).map(|(.., m)| *m).collect();
        }
        let months = if i + 1 == years.len() { last } else { 12 };
        for month in 1..=months {
            let p = crate::base::period::Period::new(year, month).expect("valid month");
            for t in county.iter_mut().filter(|t| !t.missing.contains(&month)) {
                t.notices = notices(&t.name, p);
                crate::base::output::write_atomic(&data.join(file_name(&t.name, p)), &workbook(plan, t, p))?;
                written += 1;
            }
        }
    }
    Ok(written)
}

/// The bundled sample data under `data` (from its `plan.yaml`).
pub fn write_bundled(data: &std::path::Path, plan: &Plan) -> crate::base::error::Result<usize> {
    for (rel, bytes) in pieces::bundled() {
        crate::base::output::write_atomic(&data.join(rel), &bytes)?;
    }
    let months = write_months_with(data, plan, BUNDLED_YEARS, BUNDLED_LAST_MONTH, BUNDLED_MISSING, bundled_notices)?;
    Ok(months + write_xun(data, plan)?)
}

/// The 旬 workbooks of the sample: three townships send all three 旬 of its last month.
fn write_xun(data: &std::path::Path, plan: &Plan) -> crate::base::error::Result<usize> {
    let (year, last) = (*BUNDLED_YEARS.last().expect("a year"), BUNDLED_LAST_MONTH);
    let p = crate::base::period::Period::new(year, last).expect("valid month");
    let county = county(plan, year);
    let mut written = 0;
    for t in county.iter().filter(|t| XUN_TOWNSHIPS.contains(&t.name.as_str())) {
        for x in crate::base::period::Xun::ALL {
            crate::base::output::write_atomic(&data.join(xun_file_name(&t.name, p, x)), &xun_workbook(plan, t, p, x))?;
            written += 1;
        }
    }
    Ok(written)
}

/// County-scale data for benchmarks: the bundled plan with all 12 townships, the bundled
/// configuration, and 12 townships × 36 months (2018–2020) = 432 workbooks under `data`.
pub fn write_county_scale(bundled: &std::path::Path, data: &std::path::Path) -> crate::base::error::Result<usize> {
    let text = std::fs::read_to_string(bundled.join("plan.yaml")).map_err(|e| crate::base::error::Error::io("读取规划数据", bundled, e))?;
    let mut plan = Plan::parse(&text).map_err(|msg| crate::base::error::Error::Plan { path: bundled.join("plan.yaml"), msg })?;
    let old = format!("townships: [{}]", plan.townships.join(", "));
    plan.townships.extend(UNNAMED_TOWNSHIPS.iter().map(|t| t.to_string()));
    let text = text.replace(&old, &format!("townships: [{}]", plan.townships.join(", ")));
    crate::base::output::write_atomic(&data.join("plan.yaml"), text.as_bytes())?;
    let config = std::fs::read(bundled.join("config.yaml")).map_err(|e| crate::base::error::Error::io("读取配置文件", bundled, e))?;
    crate::base::output::write_atomic(&data.join("config.yaml"), &config)?;
    write_months(data, &plan, &[2018, 2019, 2020], 12, &[])
}
