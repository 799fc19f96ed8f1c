//! Document configuration (`config.yaml` in the data folder): masthead, office, distribution.

use serde::{Deserialize, Serialize};
use std::path::Path;

use crate::base::error::{Error, Result};
use crate::base::period::Date;

/// A date in `config.yaml`, read once when the file is read (its error at its line).
fn date<'de, D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Option<Date>, D::Error> {
    let text: Option<String> = Option::deserialize(d)?;
    text.map(|s| s.parse().map_err(serde::de::Error::custom)).transpose()
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    /// Red masthead title (报头); left out, `{work}工作简报` (`Config::for_plan`).
    pub masthead: String,
    /// What the office's work is called in every title a document, form or page prints
    /// (全县…{work}工作进展情况, …{work}工作汇总, …{work}月报): `工作名称`, 脱贫攻坚 by default; an
    /// office of the 巩固衔接 years writes its own (巩固拓展脱贫攻坚成果, 防返贫监测帮扶).
    #[serde(alias = "工作名称")]
    pub work: String,
    /// Editing office, printed under the masthead and in the 版记; left out, the plan's
    /// county's office (`Config::for_plan`).
    pub office: String,
    /// 版记 distribution lines: 报 (superiors), 送 (peers), 发 (townships and departments).
    pub distribution: Vec<Distribution>,
    /// Copies printed (共印N份).
    pub copies: u32,
    /// Installed fonts to use by name, per role, when system fonts are enabled.
    pub fonts: FontConfig,
    /// 签发日期 for `publish` when no `--date` is given, `YYYY-MM-DD`.
    #[serde(deserialize_with = "date")]
    pub publish_date: Option<Date>,
    /// The office's own templates, relative to the data folder (default `templates`).
    pub template_folder: Option<String>,
    /// The office's own fonts, relative to the data folder (default `fonts`).
    pub font_folder: Option<String>,
    /// 报送截止日: a month's workbook is due on this day of the following month.
    #[serde(alias = "报送截止日")]
    pub deadline_day: Option<u8>,
    /// 旬报截止天数: a 旬 workbook is due this many days after its 旬 ends.
    #[serde(alias = "旬报截止天数")]
    pub xun_deadline_days: Option<u8>,
    /// The date 逾期 is judged on in the documents (`YYYY-MM-DD`); `--today` wins.
    #[serde(alias = "今日", deserialize_with = "date")]
    pub today: Option<Date>,
    /// Villages confirmed as genuine although their names resemble a listed one (白石村 beside
    /// 白云村), by township: W-VILLAGE-NEAR is not raised for them.
    #[serde(alias = "确认村名")]
    pub confirmed_villages: std::collections::BTreeMap<String, Vec<String>>,
    /// The office's disbursement line: a township whose year-end 资金拨付率 is below this
    /// percentage is named in the year summary (90 by default).
    #[serde(alias = "拨付率提醒线")]
    pub slow_disbursement_pct: f64,
    /// The formats every document is written in: `[pdf]`, or `[pdf, ofd]` for an OFD beside
    /// each PDF (the archive keeps both).
    #[serde(alias = "输出格式")]
    pub formats: Vec<Format>,
    /// 公告公示: the county's 监督电话, the 公示期 and the paper the village notices are printed on.
    #[serde(alias = "公示")]
    pub notices: Notices,
}

/// How 公示 and 公告 are posted (`公示:` in `config.yaml`).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct Notices {
    /// The county's own 监督电话, printed after 12317 (the national hotline, always printed).
    #[serde(alias = "监督电话")]
    pub phones: Vec<String>,
    /// 公示期 in days: at least 10 (the national rule), 10 by default.
    #[serde(alias = "公示期")]
    pub days: u16,
    /// The paper of the village and township notices: A4 (default) or A3 for a large 公开栏.
    #[serde(alias = "纸张")]
    pub paper: Paper,
}

/// The shortest 公示期 the rules allow, in days.
pub const NOTICE_DAYS_MIN: u16 = 10;

impl Default for Notices {
    fn default() -> Self {
        Notices { phones: Vec::new(), days: NOTICE_DAYS_MIN, paper: Paper::A4 }
    }
}

/// A notice's paper.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
pub enum Paper {
    #[serde(alias = "a4")]
    A4,
    #[serde(alias = "a3")]
    A3,
}

/// A file format documents are written in. PDF always; OFD (GB/T 33190) on request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Pdf,
    Ofd,
}

/// Why a list of formats is refused: PDF is always made (the archive keeps PDF/A).
pub fn formats_refused(formats: &[Format]) -> Option<String> {
    (!formats.contains(&Format::Pdf)).then(|| "输出格式（formats）必须含 pdf：PDF 总是生成，ofd 是另外生成的一份，例如 [pdf, ofd]".into())
}

/// Whether OFD is asked for: by the command line's formats if given, else by `config.yaml`'s.
/// The one place that decides it, for builds, publishing and binding.
pub fn wants_ofd(option: Option<&[Format]>, config: &Config) -> bool {
    option.unwrap_or(&config.formats).contains(&Format::Ofd)
}

impl Config {
    /// Whether the office confirmed `village` of `township` as a village of its own.
    pub fn confirmed(&self, township: &str, village: &str) -> bool {
        self.confirmed_villages.get(township).is_some_and(|v| v.iter().any(|c| c == village))
    }
}

/// Font families per role. The bundled Fandol fonts always follow as the fallback.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct FontConfig {
    /// Use the fonts installed on this computer (the `--system-fonts` option does the same).
    pub system: bool,
    pub fang: Vec<String>,
    pub song: Vec<String>,
    pub hei: Vec<String>,
    pub kai: Vec<String>,
    /// 小标宋 for titles.
    pub title: Vec<String>,
}

/// The family lists each role is set in, office fonts first when enabled, Fandol last.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FontRoles {
    pub fang: Vec<String>,
    pub song: Vec<String>,
    pub hei: Vec<String>,
    pub kai: Vec<String>,
    pub title: Vec<String>,
}

impl FontConfig {
    /// Every configured family name, in role order.
    pub fn all(&self) -> impl Iterator<Item = &String> {
        [&self.fang, &self.song, &self.hei, &self.kai, &self.title].into_iter().flatten()
    }
}

impl FontRoles {
    /// `system`: whether installed fonts are in use (then the configured names that `resolve`
    /// finds come first, as the family they resolve to: any of a font's names, in any language).
    pub fn new(config: &FontConfig, system: bool, resolve: impl Fn(&str) -> Option<String>) -> FontRoles {
        let list = |configured: &[String], bundled: &str| {
            let mut v: Vec<String> = if system { configured.iter().filter_map(|f| resolve(f)).collect() } else { Vec::new() };
            v.push(bundled.to_string());
            v
        };
        FontRoles {
            fang: list(&config.fang, "FandolFang R"),
            song: list(&config.song, "FandolSong"),
            hei: list(&config.hei, "FandolHei"),
            kai: list(&config.kai, "FandolKai"),
            title: list(&config.title, "FandolSong"),
        }
    }

    /// The roles that set text from the workbooks: body, tables, table headers.
    /// Every family of every role, in role order.
    pub fn all_families(&self) -> impl Iterator<Item = &String> {
        [&self.fang, &self.song, &self.hei, &self.kai, &self.title].into_iter().flatten()
    }

    pub fn data_roles(&self) -> [(&'static str, &[String]); 3] {
        [("仿宋", &self.fang), ("宋体", &self.song), ("黑体", &self.hei)]
    }
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Distribution {
    pub label: String,
    pub text: String,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            masthead: String::new(),
            work: "脱贫攻坚".into(),
            office: String::new(),
            distribution: Vec::new(),
            copies: 0,
            fonts: FontConfig::default(),
            publish_date: None,
            template_folder: None,
            font_folder: None,
            deadline_day: None,
            xun_deadline_days: None,
            today: None,
            confirmed_villages: Default::default(),
            slow_disbursement_pct: 90.0,
            formats: vec![Format::Pdf],
            notices: Notices::default(),
        }
    }
}

impl Config {
    /// The configuration for `plan`: an office left out is the plan's county's
    /// `{work}领导小组办公室` (never another county's); a masthead left out, `{work}工作简报`.
    pub fn for_plan(mut self, plan: &crate::setup::plan::Plan) -> Config {
        if self.office.trim().is_empty() {
            self.office = format!("{}{}领导小组办公室", plan.county, self.work);
        }
        if self.masthead.trim().is_empty() {
            self.masthead = format!("{}工作简报", self.work);
        }
        self
    }

    /// Reads `config.yaml`; a missing file means the defaults.
    pub fn load(path: &Path) -> Result<Config> {
        match std::fs::read(path) {
            Ok(bytes) => Config::parse(&bytes, path),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Config::default()),
            Err(e) => Err(Error::io("读取配置文件", path, e)),
        }
    }

    /// The configuration from the text of `path`.
    pub fn parse(bytes: &[u8], path: &Path) -> Result<Config> {
        let config: Config = crate::base::text::yaml(bytes).map_err(|msg| Error::Config { path: path.to_path_buf(), msg })?;
        if let Some(msg) = formats_refused(&config.formats) {
            return Err(Error::Config { path: path.to_path_buf(), msg });
        }
        if config.notices.days < NOTICE_DAYS_MIN {
            let msg = format!("公示期为{}天，不得少于{NOTICE_DAYS_MIN}天。请在“公示”下把“公示期”改为{NOTICE_DAYS_MIN}或更多。", config.notices.days);
            return Err(Error::Config { path: path.to_path_buf(), msg });
        }
        Ok(config)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Config> {
        Config::parse(text.as_bytes(), Path::new("config.yaml"))
    }

    #[test]
    fn formats_default_to_pdf_and_ofd_is_asked_for_by_config_or_option() {
        let plain = parse("copies: 3\n").unwrap();
        assert_eq!(plain.formats, [Format::Pdf]);
        assert!(!wants_ofd(None, &plain));
        assert!(wants_ofd(Some(&[Format::Pdf, Format::Ofd]), &plain));
        let both = parse("formats: [pdf, ofd]\n").unwrap();
        assert!(wants_ofd(None, &both));
        assert!(!wants_ofd(Some(&[Format::Pdf]), &both), "the command line wins");
        assert!(wants_ofd(None, &parse("输出格式: [pdf, ofd]\n").unwrap()));
    }

    #[test]
    fn notices_default_to_ten_days_on_a4_and_a_shorter_period_is_refused() {
        let plain = parse("copies: 3\n").unwrap();
        assert_eq!((plain.notices.days, plain.notices.paper), (10, Paper::A4));
        let set = parse("公示:\n  监督电话: [0398-4811111]\n  公示期: 15\n  纸张: A3\n").unwrap();
        assert_eq!((set.notices.phones.as_slice(), set.notices.days, set.notices.paper), (&["0398-4811111".to_string()][..], 15, Paper::A3));
        let Err(Error::Config { msg, .. }) = parse("公示:\n  公示期: 7\n") else { panic!("accepted") };
        assert!(msg.contains("不得少于10天"), "{msg}");
    }

    #[test]
    fn formats_without_pdf_or_unknown_are_refused() {
        let Err(Error::Config { msg, .. }) = parse("formats: [ofd]\n") else { panic!("accepted") };
        assert!(msg.contains("必须含 pdf"), "{msg}");
        assert!(parse("formats: [pdf, docx]\n").is_err());
    }
}
