//! The plan's reference data (`plan.yaml`): typed, loaded strictly, and checked for its own identities.

use crate::base::error::{Error, Result};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Plan {
    pub county: String,
    pub title: String,
    /// What the documents call the plan (`三年行动计划`); by default from its number of years.
    #[serde(default)]
    pub short_title: Option<String>,
    pub years: Vec<u16>,
    pub townships: Vec<String>,
    pub rolling_plan: RollingPlan,
    pub deep_poverty_villages: VillageList,
    pub heavy_task_villages: VillageList,
    pub funding: Funding,
    pub indicators: Vec<Indicator>,
    #[serde(default)]
    pub facts: Option<Facts>,
    #[serde(default)]
    pub township_targets: Vec<TownshipTarget>,
    /// Villages that had exited (出列) before the plan's first year, by township: their 是 is
    /// never counted as an exit of the plan.
    #[serde(default)]
    pub exited_before_plan: BTreeMap<String, Vec<String>>,
    /// Where the office started reporting with jianbao, when not at the plan's first January.
    #[serde(default)]
    pub start: Option<Start>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RollingPlan {
    pub section: String,
    pub base_year: u16,
    pub base: Counts,
    pub targets: Vec<YearTarget>,
}

#[derive(Debug, Clone, Copy, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Counts {
    pub poor_population: u32,
    pub poor_villages: u32,
}

#[derive(Debug, Clone, Copy, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct YearTarget {
    pub year: u16,
    pub poor_population: u32,
    pub poor_villages: u32,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct VillageList {
    pub section: String,
    /// What the documents call the list's villages, when the plan names them otherwise than
    /// the bundled plan (`Plan::heavy_name`).
    #[serde(default)]
    pub name: Option<String>,
    pub stated_count: usize,
    pub by_township: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    pub focus_section: Option<String>,
    #[serde(default)]
    pub focus: Vec<String>,
    /// What makes a village a focus village, as the plan says it (the note behind ★).
    #[serde(default)]
    pub focus_criterion: Option<String>,
    /// The incidence, in percent, at or above which a village of the list is still named in
    /// the year summary (贫困发生率20%以上).
    #[serde(default)]
    pub incidence_line_pct: Option<f64>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Funding {
    pub section: String,
    pub poverty_villages_stated: u32,
    pub per_poverty_village: f64,
    pub per_deep_poverty_village_extra: f64,
    pub per_heavy_task_village: f64,
    pub integrated_funds_to_deep_min_share: f64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum IndicatorKind {
    Flow,
    Stock,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Indicator {
    pub name: String,
    pub unit: String,
    pub kind: IndicatorKind,
    pub section: String,
    pub targets: Vec<IndicatorTarget>,
}

#[derive(Debug, Clone, Copy, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct IndicatorTarget {
    pub from: u16,
    pub to: u16,
    pub value: f64,
}

/// Other facts the plan states. (Files written before these keys were named by the base year
/// and the plan's end keep working: `…_end_2017` and `industry_2020_mu` are read as aliases.)
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Facts {
    #[serde(default)]
    pub section: Option<String>,
    /// 贫困发生率 at the end of the base year (a fraction).
    #[serde(default, alias = "incidence_end_2017")]
    pub incidence_at_base: Option<f64>,
    /// The share of the poor whose poverty comes from illness or disability at the base.
    #[serde(default, alias = "illness_disability_share_end_2017")]
    pub illness_disability_share_at_base: Option<f64>,
    /// Industry areas (亩) the plan aims at by its last year, by crop.
    #[serde(default, alias = "industry_2020_mu")]
    pub industry_mu_at_end: BTreeMap<String, u32>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct TownshipTarget {
    pub township: String,
    pub year: u16,
    pub poor_population: u32,
}

/// Which of the plan's lists a village is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ListedAs {
    /// 深度贫困村 (the bundled plan's 附件2)
    DeepPoverty,
    /// 脱贫攻坚任务较重的非贫困村 (the bundled plan's 附件3)
    HeavyTask,
}

impl ListedAs {
    /// The type a village on this list has, whatever a workbook says.
    pub fn village_type(self) -> VillageType {
        match self {
            ListedAs::DeepPoverty => VillageType::深度贫困村,
            ListedAs::HeavyTask => VillageType::非贫困村,
        }
    }
}

/// Two spellings of a village name match when equal or when one lacks only a trailing 村.
pub fn same_village(a: &str, b: &str) -> bool {
    a == b || a.strip_suffix('村') == Some(b) || b.strip_suffix('村') == Some(a)
}

impl Plan {
    /// Reads and parses `plan.yaml`; a YAML or schema error names the line.
    pub fn load(path: &Path) -> Result<Plan> {
        let bytes = std::fs::read(path).map_err(|e| Error::io("读取规划数据", path, e))?;
        Plan::from_bytes(&bytes).map_err(|msg| Error::Plan { path: path.to_path_buf(), msg })
    }

    /// `plan.yaml` as saved (UTF-8, or GBK from Notepad); the error is Chinese, at its line.
    pub fn from_bytes(bytes: &[u8]) -> std::result::Result<Plan, String> {
        crate::base::text::yaml(bytes)
    }

    pub fn parse(text: &str) -> std::result::Result<Plan, String> {
        Plan::from_bytes(text.as_bytes())
    }

    /// What the documents call the plan: `short_title`, else `N年行动计划` from its years.
    pub fn short_title(&self) -> String {
        self.short_title.clone().unwrap_or_else(|| format!("{}年行动计划", crate::base::format::cn_num(self.years.len() as u32)))
    }

    /// The plan's first year (what examples in messages and a report without data use).
    pub fn first_year(&self) -> u16 {
        self.years.first().copied().unwrap_or(2000)
    }

    /// Whether a village of `township` had exited before the plan's first year.
    pub fn exited_before_plan(&self, township: &str, name: &str) -> bool {
        self.exited_before_plan.get(township).is_some_and(|vs| vs.iter().any(|v| same_village(v, name)))
    }

    /// The year's target of the rolling plan, if the plan has one.
    pub fn year_target(&self, year: u16) -> Option<YearTarget> {
        self.rolling_plan.targets.iter().find(|t| t.year == year).copied()
    }

    pub fn is_township(&self, name: &str) -> bool {
        self.townships.iter().any(|t| t == name)
    }

    /// The township whose name without its 乡/镇 is `short` (`南村` → `南村乡`).
    pub fn township_from_short(&self, short: &str) -> Option<&String> {
        self.townships.iter().find(|t| !short.is_empty() && t.strip_suffix(['乡', '镇']) == Some(short))
    }

    /// A village's type as the figures use it: the plan's lists win over what the township
    /// typed; a village on no list and of no typed type is a 非贫困村. The one lookup.
    pub fn village_type(&self, township: &str, name: &str, typed: Option<VillageType>) -> VillageType {
        match self.listed_village(township, name) {
            Some((_, listed)) => listed.village_type(),
            None => typed.unwrap_or(VillageType::非贫困村),
        }
    }

    /// The plan's spelling of a listed village of `township`, and which list it is on.
    /// A village on both lists reports the deep-poverty list.
    pub fn listed_village(&self, township: &str, name: &str) -> Option<(&str, ListedAs)> {
        [(&self.deep_poverty_villages, ListedAs::DeepPoverty), (&self.heavy_task_villages, ListedAs::HeavyTask)].into_iter().find_map(|(list, kind)| {
            let names = list.by_township.get(township)?;
            names.iter().find(|v| same_village(v, name)).map(|v| (v.as_str(), kind))
        })
    }

    /// All listed villages of a township, in the plan's order (deep-poverty first).
    pub fn listed_villages(&self, township: &str) -> Vec<(&str, ListedAs)> {
        let mut out: Vec<(&str, ListedAs)> = Vec::new();
        for (list, kind) in [(&self.deep_poverty_villages, ListedAs::DeepPoverty), (&self.heavy_task_villages, ListedAs::HeavyTask)] {
            for v in list.by_township.get(township).into_iter().flatten() {
                if !out.iter().any(|(o, _)| same_village(o, v)) {
                    out.push((v.as_str(), kind));
                }
            }
        }
        out
    }

    /// The deep-poverty villages in the plan's township order.
    pub fn deep_villages_ordered(&self) -> Vec<(&str, &str)> {
        self.ordered(&self.deep_poverty_villages)
    }

    /// The heavy-task villages in the plan's township order.
    pub fn heavy_villages_ordered(&self) -> Vec<(&str, &str)> {
        self.ordered(&self.heavy_task_villages)
    }

    fn ordered<'a>(&'a self, list: &'a VillageList) -> Vec<(&'a str, &'a str)> {
        let mut out = Vec::new();
        for t in &self.townships {
            for v in list.by_township.get(t).into_iter().flatten() {
                out.push((t.as_str(), v.as_str()));
            }
        }
        out
    }

    /// What the documents call the heavy-task villages: the list's `name`, else the bundled
    /// plan's words (脱贫攻坚任务较重的非贫困村).
    pub fn heavy_name(&self) -> &str {
        self.heavy_task_villages.name.as_deref().unwrap_or("脱贫攻坚任务较重的非贫困村")
    }

    pub fn indicator(&self, name: &str) -> Option<&Indicator> {
        self.indicators.iter().find(|i| i.name == name)
    }

    /// Villages to exit from the plan's start to the end of `year` (10, 26, 32), if the plan
    /// has a target for that year.
    pub fn village_target_through(&self, year: u16) -> Option<u32> {
        self.year_target(year)?;
        Some(self.rolling_plan.targets.iter().filter(|t| t.year <= year).map(|t| t.poor_villages).sum())
    }

    pub fn township_target(&self, township: &str, year: u16) -> Option<u32> {
        self.township_targets.iter().find(|t| t.township == township && t.year == year).map(|t| t.poor_population)
    }
}

impl Funding {
    /// The minimum share of 统筹整合 funds for deep-poverty villages, in ten-thousandths
    /// (0.7 → 7000), so that comparisons with it are exact.
    pub fn integrated_share_ten_thousandths(&self) -> i64 {
        (self.integrated_funds_to_deep_min_share * 10_000.0).round() as i64
    }
}

impl IndicatorTarget {
    /// The target in hundredths of its unit, as indicator figures are kept.
    pub fn hundredths(&self) -> i64 {
        (self.value * 100.0).round() as i64
    }
}

impl Indicator {
    /// The target that applies in `year`: a one-year target of that year, or a span covering it.
    pub fn target_for(&self, year: u16) -> Option<IndicatorTarget> {
        self.targets.iter().find(|t| t.from <= year && year <= t.to).copied()
    }
}

mod check;
mod start;
pub use check::check;
pub use start::Start;

/// A village's type: the one place it is turned into text and back (`Display`, `FromStr`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum VillageType {
    深度贫困村,
    贫困村,
    非贫困村,
}

impl VillageType {
    pub const ALL: [VillageType; 3] = [Self::深度贫困村, Self::贫困村, Self::非贫困村];
    /// The labels as typed in a workbook, in `ALL`'s order.
    pub const LABELS: [&'static str; 3] = ["深度贫困村", "贫困村", "非贫困村"];

    pub fn label(self) -> &'static str {
        Self::LABELS[self as usize]
    }

    /// 深度贫困村 and 贫困村: the villages that can exit (出列).
    pub fn is_poverty_village(self) -> bool {
        self != Self::非贫困村
    }
}

impl std::fmt::Display for VillageType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.label())
    }
}

impl std::str::FromStr for VillageType {
    type Err = ();

    fn from_str(s: &str) -> Result<Self, ()> {
        Self::ALL.into_iter().find(|t| t.label() == s).ok_or(())
    }
}
