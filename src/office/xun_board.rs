//! Who sent which 旬 of a month (旬报表报送情况): each township of the plan at each 旬 of the
//! latest month with a 旬 workbook, up to the latest 旬 any township sent (later ones are not
//! due yet), and whom to phone: a township that sent none of a due 旬, or one with errors.

use serde::Serialize;

use crate::base::period::{Period, Xun};
use crate::figures::checked::Checked;

/// A township at a 旬.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum XunCell {
    /// A 旬 workbook without errors.
    Sent,
    /// A 旬 workbook with this many errors.
    Errors(usize),
    Missing,
    /// None sent, and its day (`旬报截止天数` after the 旬) has passed.
    Late,
    /// Later than the latest 旬 any township sent, and not yet overdue.
    NotDue,
}

impl XunCell {
    /// `已报`, `有误2`, `未报`, `—`.
    pub fn label(&self) -> String {
        match self {
            XunCell::Sent => "已报".into(),
            XunCell::Errors(n) => format!("有误{n}"),
            XunCell::Missing => "未报".into(),
            XunCell::Late => "逾期".into(),
            XunCell::NotDue => "—".into(),
        }
    }
}

/// The board of one month's 旬.
#[derive(Debug, Clone, Serialize)]
pub struct XunBoard {
    pub month: Period,
    /// Each township of the plan with its three 旬.
    pub rows: Vec<(String, [XunCell; 3])>,
    /// `坡头乡：3月中旬、下旬旬报表未报送`, one line per township to phone.
    pub calls: Vec<String>,
    /// `旬报截止天数`, and the day 逾期 is judged on (the month's board's).
    pub deadline_days: Option<u8>,
    pub today: Option<crate::base::period::Date>,
}

/// The board of the latest month with a 旬 workbook, 逾期 judged on `today`; none when no
/// township sends any.
pub fn board(c: &Checked, today: Option<crate::base::period::Date>) -> Option<XunBoard> {
    let deadline_days = c.config.xun_deadline_days;
    let overdue = |month: Period, x: Xun| x.deadline(month, deadline_days).zip(today).is_some_and(|(due, today)| today > due);
    let month = c.xun_files.iter().filter(|f| f.xun.is_some()).filter_map(|f| f.period).max()?;
    let latest = c.xun_files.iter().filter(|f| f.period == Some(month)).filter_map(|f| f.xun).max()?;
    let errors = |file: &str| c.diagnostics.iter().filter(|d| d.file == file && d.severity == crate::base::diag::Severity::Error).count();
    let cell = |township: &str, x: Xun| {
        let files: Vec<&str> = c
            .xun_files
            .iter()
            .filter(|f| f.township.as_deref() == Some(township) && f.period == Some(month) && f.xun == Some(x))
            .map(|f| f.file.as_str())
            .collect();
        match files.as_slice() {
            [] if overdue(month, x) => XunCell::Late,
            _ if x > latest => XunCell::NotDue,
            [] => XunCell::Missing,
            files => match files.iter().map(|f| errors(f)).sum() {
                0 => XunCell::Sent,
                n => XunCell::Errors(n),
            },
        }
    };
    let rows: Vec<(String, [XunCell; 3])> = c.plan.townships.iter().map(|t| (t.clone(), Xun::ALL.map(|x| cell(t, x)))).collect();
    let calls = rows.iter().filter_map(|(t, cells)| Some(format!("{t}：{}", what_to_say(month, cells)?))).collect();
    Some(XunBoard { month, rows, calls, deadline_days, today })
}

/// The board as text (`jianbao status`): the table, then whom to phone.
pub fn text(b: &XunBoard) -> String {
    let mut table = vec![["乡镇", "上旬", "中旬", "下旬"].map(String::from).to_vec()];
    table.extend(b.rows.iter().map(|(t, cells)| std::iter::once(t.clone()).chain(cells.iter().map(XunCell::label)).collect()));
    let mut out = format!("{}旬报表报送情况\n{}", b.month.chinese(), super::status::aligned(&table));
    out.push_str(&legend(b));
    out.push('\n');
    if !b.calls.is_empty() {
        out.push_str(&format!("\n{}旬报表需要联系的乡镇：\n", b.month.chinese()));
        for (i, call) in b.calls.iter().enumerate() {
            out.push_str(&format!("{}. {call}\n", i + 1));
        }
    }
    out
}

/// What the labels mean, and the day 逾期 is judged on.
pub fn legend(b: &XunBoard) -> String {
    let mut s = String::from("已报：旬报表无问题；有误N：有N个错误，该旬的旬报不生成；未报：已有乡镇报送该旬，本乡镇未报送；—：还没有乡镇报送该旬");
    match (b.deadline_days, b.today) {
        (Some(n), Some(t)) => s.push_str(&format!("；逾期：旬末后{n}天仍未报送，按{}判断", crate::base::format::date(t.year, t.month, t.day))),
        (Some(n), None) => s.push_str(&format!("；旬报表应在旬末后{n}天内报送，未给出今天的日期，不判断逾期")),
        (None, _) => {}
    }
    s.push('。');
    s
}

/// What to phone a township about its 旬 of `month`, if anything: `3月中旬旬报表逾期未报送；…`.
pub fn what_to_say(month: Period, cells: &[XunCell; 3]) -> Option<String> {
    let said = |c: &XunCell| match c {
        XunCell::Late => Some("逾期未报送"),
        XunCell::Missing => Some("未报送"),
        XunCell::Errors(_) => Some("有误"),
        XunCell::Sent | XunCell::NotDue => None,
    };
    let parts: Vec<String> = ["逾期未报送", "未报送", "有误"]
        .into_iter()
        .filter_map(|what| {
            let xuns: Vec<&str> = Xun::ALL.iter().zip(cells).filter(|(_, c)| said(c) == Some(what)).map(|(x, _)| x.chinese()).collect();
            (!xuns.is_empty()).then(|| format!("{}月{}旬报表{what}", month.month, xuns.join("、")))
        })
        .collect();
    (!parts.is_empty()).then(|| parts.join("；"))
}
