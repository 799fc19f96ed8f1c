//! The document series and how their issues are named: the one place the words 工作简报,
//! 季度汇总, 旬报, 合订本 and 第N期 are spelled for file names, titles, the manifest, the bound volume
//! and messages. Each numbered series is numbered within each year.

/// A series of published documents, as the manifest names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Series {
    /// 工作简报: one a month.
    Bulletin,
    /// 季度汇总: one a quarter.
    Summary,
    /// 合订本: a year's bulletins and summaries bound in one volume.
    Volume,
    /// 旬报 (扶贫项目实施和资金支出进度旬报): one a 旬.
    Xunbao,
}

impl Series {
    /// The series numbered 第N期 within a year.
    pub const NUMBERED: [Series; 3] = [Series::Bulletin, Series::Summary, Series::Xunbao];

    /// The name in file names, titles and the manifest.
    pub fn name(self) -> &'static str {
        match self {
            Series::Bulletin => "工作简报",
            Series::Summary => "季度汇总",
            Series::Volume => "合订本",
            Series::Xunbao => "旬报",
        }
    }

    /// The series a manifest entry names, if it is one of ours.
    pub fn from_name(name: &str) -> Option<Series> {
        [Series::Bulletin, Series::Summary, Series::Volume, Series::Xunbao].into_iter().find(|s| s.name() == name)
    }

    /// What stands before 第N期 where the series must be named: nothing for bulletins (the
    /// office's 第N期 is the bulletin's), `季度汇总` otherwise.
    pub fn prefix(self) -> &'static str {
        match self {
            Series::Bulletin => "",
            other => other.name(),
        }
    }

    /// `第3期`, `季度汇总第2期`, `第4期（更正第1期）`: an issue in a list (目录, messages).
    pub fn issue_label(self, number: u32, corrects: Option<u32>) -> String {
        let corrects = corrects.map(|n| format!("（更正第{n}期）")).unwrap_or_default();
        format!("{}{}{corrects}", self.prefix(), number_label(number))
    }

    /// The archived file of an issue: `2018/第03期-<title>.pdf`, `2018/季度汇总第01期-<title>.pdf`,
    /// with the characters no file system takes replaced.
    pub fn archive_file(self, year: u16, number: u32, title: &str) -> String {
        let safe: String = title.chars().map(|c| if "/\\:*?\"<>|".contains(c) || c.is_control() { '_' } else { c }).collect();
        format!("{year}/{}第{number:02}期-{safe}.pdf", self.prefix())
    }
}

/// Written as its name (`工作简报`), as manifests have always had it.
impl serde::Serialize for Series {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

/// Read from its name; an unknown name is an error naming it, never a silent default.
impl<'de> serde::Deserialize<'de> for Series {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Series::from_name(&s).ok_or_else(|| serde::de::Error::custom(format!("未知的系列“{s}”（应为工作简报、季度汇总、旬报或合订本）")))
    }
}

impl std::fmt::Display for Series {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// `第3期`.
pub fn number_label(number: u32) -> String {
    format!("第{number}期")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_labels() {
        assert_eq!(Series::from_name("季度汇总"), Some(Series::Summary));
        assert_eq!(Series::Bulletin.issue_label(4, Some(1)), "第4期（更正第1期）");
        assert_eq!(Series::Summary.issue_label(2, None), "季度汇总第2期");
        assert_eq!(Series::Summary.archive_file(2018, 1, "a/b"), "2018/季度汇总第01期-a_b.pdf");
    }
}
