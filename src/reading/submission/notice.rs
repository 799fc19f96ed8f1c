//! What a project's row says for its 公示 and 公告 (the optional columns of 项目资金), and
//! which of them each notice needs: one list per notice, read by the rules (W-NOTICE-FIELD),
//! the 公示清单 and the notices alike.

use super::ProjectRow;
use crate::base::period::Date;

/// A project's optional 公示/公告 columns (docs/报表格式.md): each `None` where the column is
/// absent or its cell blank.
#[derive(Debug, Clone, Default)]
pub struct NoticeFields {
    /// 建设内容.
    pub content: Option<String>,
    /// 实施单位 (or 责任单位).
    pub unit: Option<String>,
    /// 责任人.
    pub person: Option<String>,
    pub planned_end: Option<Date>,
    pub completed_on: Option<Date>,
    pub accepted_on: Option<Date>,
    /// 验收结果 (合格, …).
    pub acceptance: Option<String>,
    /// 实际投资 (万元 × 100).
    pub actual: Option<i64>,
    /// The A1 reference of each column a notice needs that the sheet has: where a missing value
    /// is named.
    pub cells: Vec<(&'static str, String)>,
}

/// The notices made from projects, each with the columns it needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
pub enum Need {
    /// The county's 资金分配使用情况公示 of the year.
    Funds,
    /// A 项目公示, before work.
    Before,
    /// A 项目公告, after completion.
    After,
}

impl Need {
    /// The columns the notice prints beyond 项目名称 and 计划投资 (always given).
    pub fn columns(self) -> &'static [&'static str] {
        match self {
            Need::Funds => &["资金来源", "建设内容", "实施单位"],
            Need::Before => &["资金来源", "建设内容", "实施单位", "责任人", "计划开工", "计划完工", "带贫人数"],
            Need::After => &["资金来源", "建设内容", "实施单位", "责任人", "计划开工", "计划完工", "带贫人数", "实际投资", "完工日期", "验收日期", "验收结果"],
        }
    }

    /// The notice's name: 资金分配使用情况公示, 项目公示, 项目公告.
    pub fn name(self) -> &'static str {
        match self {
            Need::Funds => "资金分配使用情况公示",
            Need::Before => "项目公示",
            Need::After => "项目公告",
        }
    }
}

/// Every column a notice reads (what the blank form and the sample add), in form order.
pub const NOTICE_COLUMNS: &[&str] = &["建设内容", "实施单位", "责任人", "计划开工", "计划完工", "完工日期", "验收日期", "验收结果", "实际投资"];

impl ProjectRow {
    /// The columns `need` reads that this project leaves empty (or whose column its sheet lacks).
    pub fn missing(&self, need: Need) -> Vec<&'static str> {
        need.columns().iter().copied().filter(|c| !self.gives(c)).collect()
    }

    fn gives(&self, column: &str) -> bool {
        let n = &self.notice;
        match column {
            "资金来源" => self.source.is_some(),
            "建设内容" => n.content.is_some(),
            "实施单位" => n.unit.is_some(),
            "责任人" => n.person.is_some(),
            "计划开工" => self.planned_start.is_some(),
            "计划完工" => n.planned_end.is_some(),
            "带贫人数" => self.beneficiaries.is_some(),
            "实际投资" => n.actual.is_some(),
            "完工日期" => n.completed_on.is_some(),
            "验收日期" => n.accepted_on.is_some(),
            "验收结果" => n.acceptance.is_some(),
            _ => true,
        }
    }

    /// Whether its sheet has any of the columns only notices read: the township takes part in
    /// 公告公示 (an older workbook without them stays valid and is not questioned).
    pub fn takes_part_in_notices(&self) -> bool {
        self.notice.cells.iter().any(|(c, _)| NOTICE_COLUMNS.contains(c) && *c != "计划开工")
    }

    /// Whether its sheet has a column only the village notices read (责任人, 计划完工, the
    /// completion's): the township posts 项目公示 and 项目公告, not only the county's 公示.
    pub fn posts_in_villages(&self) -> bool {
        self.notice.cells.iter().any(|(c, _)| !Need::Funds.columns().contains(c) && NOTICE_COLUMNS.contains(c) && *c != "计划开工")
    }

    /// The cell of `column` in its row, where the sheet has the column.
    pub fn cell_of(&self, column: &str) -> Option<&str> {
        self.notice.cells.iter().find(|(c, _)| *c == column).map(|(_, a1)| a1.as_str())
    }
}
