//! Blank submission workbooks (空白报表) to send to the townships: the submission format with
//! everything the office already knows filled in (township, month, villages, last month's
//! 户籍人口 and 年初贫困人口, this year's projects, the indicator list), dropdowns and number
//! validation where the format has fixed values, header rows locked, and a 填表说明 sheet.

use rust_xlsxwriter::{
    DataValidation, DataValidationErrorStyle, DataValidationRule, DocProperties, ExcelDateTime, Format, FormatBorder, ProtectionOptions, Workbook, Worksheet,
    XlsxError,
};

use crate::base::period::Period;
use crate::reading::submission::{Report, VillageType, FUND_SOURCES, PROJECT_CATEGORIES, PROJECT_STATUSES, VILLAGE_TYPES};
use crate::reading::submission::{COVER, INDICATORS, PROJECTS, VILLAGES};
use crate::seen;
use crate::setup::config::Config;
use crate::setup::plan::{same_village, Plan};

/// Rows below the header that accept data (dropdowns and validation reach this far).
const DATA_ROWS: u32 = 300;

/// A village row as pre-filled: name, type, 户籍人口, 年初贫困人口, already exited.
#[derive(Debug, Clone, PartialEq)]
pub struct Village {
    pub name: String,
    pub kind: Option<&'static str>,
    pub population: Option<u32>,
    pub poor_at_start: Option<u32>,
    pub exited: bool,
}

/// What the office knows of a township before its report for `period`: its villages (the
/// plan's, then every one it reported before) with the latest figures carried over.
pub fn villages(plan: &Plan, township: &str, period: Period, reports: &[Report]) -> Vec<Village> {
    let mut earlier: Vec<&Report> = reports.iter().filter(|r| r.township == township && r.period < period).collect();
    earlier.sort_by_key(|r| r.period);
    let mut out: Vec<Village> = plan
        .listed_villages(township)
        .into_iter()
        .map(|(name, listed)| Village {
            name: name.to_string(),
            kind: Some(listed.village_type().label()),
            population: None,
            poor_at_start: None,
            exited: false,
        })
        .collect();
    for r in &earlier {
        for row in &r.villages {
            let i = match out.iter().position(|v| same_village(&v.name, &row.name)) {
                Some(i) => i,
                None => {
                    out.push(Village { name: row.name.clone(), kind: None, population: None, poor_at_start: None, exited: false });
                    out.len() - 1
                }
            };
            let v = &mut out[i];
            v.kind = v.kind.or(row.village_type.map(VillageType::label));
            v.population = Some(row.population);
            v.exited = row.exited;
        }
    }
    // 年初贫困人口: as this year's latest report has it, else what last year's last report left.
    let start = match seen::before(reports, township, period) {
        Some(r) => Some((r, false)),
        None => seen::year_start(reports, township, period.year).map(|r| (r, true)),
    };
    for v in &mut out {
        let row = start.and_then(|(r, new_year)| Some((r.villages.iter().find(|row| same_village(&v.name, &row.name))?, new_year)));
        v.poor_at_start = row.map(|(row, new_year)| if new_year { row.remaining_poor() } else { row.poor_at_start });
    }
    out
}

/// The blank workbook of `township` for `period`, as .xlsx bytes.
/// `office` is named as the workbook's sender.
pub fn workbook(plan: &Plan, config: &Config, township: &str, period: Period, reports: &[Report]) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let created = ExcelDateTime::from_ymd(period.year, period.month, 1)?;
    let title = format!("{township}{}{}月报", period.chinese(), config.work);
    book.set_properties(&DocProperties::new().set_creation_datetime(&created).set_title(&title));
    let f = Formats::new();
    instructions(book.add_worksheet(), &f, plan, config, township, period)?;
    cover(book.add_worksheet(), &f, &title, township, period)?;
    village_sheet(book.add_worksheet(), &f, township, &villages(plan, township, period, reports))?;
    project_sheet(book.add_worksheet(), &f, township, seen::before(reports, township, period))?;
    indicator_sheet(book.add_worksheet(), &f, plan)?;
    book.save_to_buffer()
}

struct Formats {
    title: Format,
    head: Format,
    locked: Format,
    open: Format,
}

impl Formats {
    fn new() -> Formats {
        let cell = Format::new().set_border(FormatBorder::Thin);
        Formats {
            title: Format::new().set_bold().set_font_size(14),
            head: cell.clone().set_bold().set_text_wrap().set_background_color("D9E1F2"),
            locked: Format::new(),
            open: cell.set_unlocked(),
        }
    }
}

/// Locks the sheet's fixed cells while leaving data cells (unlocked format) and row edits open.
fn protect(ws: &mut Worksheet) {
    let options = ProtectionOptions {
        insert_rows: true,
        delete_rows: true,
        format_columns: true,
        format_rows: true,
        sort: true,
        use_autofilter: true,
        ..ProtectionOptions::default()
    };
    ws.protect_with_options(&options);
}

fn instructions(ws: &mut Worksheet, f: &Formats, plan: &Plan, config: &Config, township: &str, period: Period) -> Result<(), XlsxError> {
    let (office, work) = (&config.office, &config.work);
    ws.set_name("填表说明")?;
    ws.set_column_width(0, 100)?;
    // The examples are the township's own: its first listed village, its own file name.
    let village = plan.listed_villages(township).first().map_or("某某村", |(v, _)| v).to_string();
    let mut lines = vec![
        format!("{township}{}{}月报 填表说明", period.chinese(), work),
        String::new(),
        format!("本表由{office}下发，请勿修改工作表名称和表头；蓝色表头行已锁定，数据区可直接填写、插入或删除行。"),
        "数字请填写阿拉伯数字（如 50），不要带单位或文字（如“约50”“50人”）；没有的填 0 或留空。".into(),
        format!("完整的填写规则和程序的核对规则见 jianbao 的《报表格式》说明（docs/报表格式.md），数字的计算方法见《计算口径》（docs/计算口径.md），可向{office}索取。"),
        String::new(),
        format!("【{COVER}】乡镇和统计月份已填好，请填写填报人、联系电话、审核人和填报日期。"),
        String::new(),
        format!("【{VILLAGES}】每个行政村一行。已列出规划名单中的村和本乡镇以前报过的村，户籍人口、年初贫困人口已按上月数据填好，如有变化请改正。"),
        format!("  村名：行政村全称，如“{village}”。"),
        "  村类型：下拉选择 深度贫困村 / 贫困村 / 非贫困村。".into(),
        "  户籍人口（人）：全村户籍人口。".into(),
        "  年初贫困人口（人）：本年1月1日的建档立卡贫困人口，全年不变。".into(),
        "  本月脱贫人数（人）：本月新脱贫的人数，没有填 0。".into(),
        "  累计脱贫人数（人）：本年1月至本月累计脱贫人数，应等于上月累计加本月脱贫，不能大于年初贫困人口。".into(),
        "  是否出列：下拉选择 是 / 否；已出列的村保持“是”。".into(),
        "  因病因残致贫人数（人）：剩余贫困人口中因病、因残致贫的人数，可不填。".into(),
        "  备注：需要说明的情况，按原样印入简报。".into(),
        String::new(),
        format!("【{PROJECTS}】本年全部项目，每个项目一行，填到本月月底的情况（不是本月新增）。已按上月报表列出本年项目，请更新累计拨付和项目状态，并补充新项目。"),
        "  项目类别、资金来源、项目状态：下拉选择。所在村：本乡镇的村名，或“全乡”“全镇”。".into(),
        "  计划投资、累计拨付（万元）：累计拨付不能大于计划投资。带贫人数（人）：可不填。".into(),
        format!("  留置资金（万元）：计划投资中暂不支付的部分（质保金等），可不填。日期写作 {}-03-05。", period.year),
        "  建设内容、实施单位、责任人、计划开工、计划完工：项目公示用；完工日期、验收日期、验收结果、实际投资：项目完工后公告用。可不填，不填则不生成公示。".into(),
        String::new(),
        format!("【{INDICATORS}】规划中的专项指标已列出，请填写本月完成和本年累计（存量指标填月末数）。各指标单位："),
    ];
    for ind in &plan.indicators {
        lines.push(format!("  {}（{}）", ind.name, ind.unit));
    }
    lines.push(String::new());
    lines.push(format!("填好后请直接保存为 .xlsx 文件报送，文件名建议为“乡镇名+年月+报表”，例如“{township}{}报表.xlsx”。", period.chinese()));
    for (r, line) in lines.iter().enumerate() {
        let format = if r == 0 { &f.title } else { &f.locked };
        ws.write_string_with_format(r as u32, 0, line, format)?;
    }
    protect(ws);
    Ok(())
}

fn cover(ws: &mut Worksheet, f: &Formats, title: &str, township: &str, period: Period) -> Result<(), XlsxError> {
    ws.set_name(COVER)?;
    ws.set_column_width(0, 14)?;
    ws.set_column_width(1, 28)?;
    ws.write_string_with_format(0, 0, title, &f.title)?;
    let rows = [("乡镇", township.to_string()), ("统计月份", period.chinese())];
    for (i, (label, value)) in rows.iter().enumerate() {
        ws.write_string_with_format(i as u32 + 1, 0, *label, &f.head)?;
        ws.write_string_with_format(i as u32 + 1, 1, value, &f.head)?;
    }
    for (i, label) in ["填报人", "联系电话", "审核人", "填报日期"].iter().enumerate() {
        let r = i as u32 + 3;
        ws.write_string_with_format(r, 0, *label, &f.head)?;
        ws.write_blank(r, 1, &f.open)?;
    }
    protect(ws);
    Ok(())
}

/// Title, units line and header (row 3), columns of widths; data rows unlocked below.
fn header(ws: &mut Worksheet, f: &Formats, title: &str, units: &str, columns: &[(&str, u16)]) -> Result<(), XlsxError> {
    ws.write_string_with_format(0, 0, title, &f.title)?;
    ws.write_string(1, 0, units)?;
    for (c, (name, width)) in columns.iter().enumerate() {
        let c = c as u16;
        ws.write_string_with_format(2, c, *name, &f.head)?;
        ws.set_column_width(c, *width)?;
        ws.set_column_format(c, &f.open)?;
    }
    for r in 0..2 {
        for c in 0..columns.len() as u16 {
            if (r, c) != (0, 0) && (r, c) != (1, 0) {
                ws.write_blank(r, c, &f.locked)?;
            }
        }
    }
    ws.set_freeze_panes(3, 1)?;
    Ok(())
}

fn list(ws: &mut Worksheet, col: u16, values: &[&str], what: &str) -> Result<(), XlsxError> {
    let v = DataValidation::new()
        .allow_list_strings(values)?
        .set_error_title(format!("{what}填写有误"))?
        .set_error_message(format!("请从下拉列表中选择：{}", values.join("、")))?;
    ws.add_data_validation(3, col, 2 + DATA_ROWS, col, &v)?;
    Ok(())
}

fn whole(ws: &mut Worksheet, col: u16, min: i32, what: &str) -> Result<(), XlsxError> {
    let v = DataValidation::new()
        .allow_whole_number(DataValidationRule::GreaterThanOrEqualTo(min))
        .set_error_style(DataValidationErrorStyle::Stop)
        .set_error_title(format!("{what}应为整数"))?
        .set_error_message(format!("“{what}”请填写不小于 {min} 的整数（阿拉伯数字，不带单位）。"))?;
    ws.add_data_validation(3, col, 2 + DATA_ROWS, col, &v)?;
    Ok(())
}

fn decimal(ws: &mut Worksheet, col: u16, what: &str) -> Result<(), XlsxError> {
    let v = DataValidation::new()
        .allow_decimal_number(DataValidationRule::GreaterThanOrEqualTo(0.0))
        .set_error_title(format!("{what}应为数字"))?
        .set_error_message(format!("“{what}”请填写不小于 0 的数字（阿拉伯数字，不带单位）。"))?;
    ws.add_data_validation(3, col, 2 + DATA_ROWS, col, &v)?;
    Ok(())
}

fn village_sheet(ws: &mut Worksheet, f: &Formats, township: &str, villages: &[Village]) -> Result<(), XlsxError> {
    ws.set_name(VILLAGES)?;
    let columns = [
        ("村名", 14),
        ("村类型", 12),
        ("户籍人口", 10),
        ("年初贫困人口", 12),
        ("本月脱贫人数", 12),
        ("累计脱贫人数", 12),
        ("是否出列", 10),
        ("因病因残致贫人数", 14),
        ("备注", 30),
    ];
    header(ws, f, &format!("{township}村级脱贫进度表"), "单位：人", &columns)?;
    for (i, v) in villages.iter().enumerate() {
        let r = i as u32 + 3;
        ws.write_string_with_format(r, 0, &v.name, &f.open)?;
        if let Some(k) = v.kind {
            ws.write_string_with_format(r, 1, k, &f.open)?;
        }
        for (c, n) in [(2, v.population), (3, v.poor_at_start)] {
            if let Some(n) = n {
                ws.write_number_with_format(r, c, f64::from(n), &f.open)?;
            }
        }
        if v.exited {
            ws.write_string_with_format(r, 6, "是", &f.open)?;
        }
    }
    list(ws, 1, VILLAGE_TYPES, "村类型")?;
    list(ws, 6, &["是", "否"], "是否出列")?;
    whole(ws, 2, 1, "户籍人口")?;
    for (c, what) in [(3, "年初贫困人口"), (4, "本月脱贫人数"), (5, "累计脱贫人数"), (7, "因病因残致贫人数")] {
        whole(ws, c, 0, what)?;
    }
    protect(ws);
    Ok(())
}

fn project_sheet(ws: &mut Worksheet, f: &Formats, township: &str, last: Option<&Report>) -> Result<(), XlsxError> {
    ws.set_name(PROJECTS)?;
    let columns = [
        ("项目名称", 28),
        ("项目类别", 14),
        ("所在村", 12),
        ("资金来源", 12),
        ("计划投资", 10),
        ("累计拨付", 10),
        ("项目状态", 10),
        ("带贫人数", 10),
        ("留置资金", 10),
        ("计划开工", 12),
        ("建设内容", 30),
        ("实施单位", 18),
        ("责任人", 10),
        ("计划完工", 12),
        ("完工日期", 12),
        ("验收日期", 12),
        ("验收结果", 10),
        ("实际投资", 10),
    ];
    header(ws, f, &format!("{township}扶贫项目及资金情况表"), "单位：万元、人", &columns)?;
    for (i, p) in last.map_or(&[][..], |r| &r.projects[..]).iter().enumerate() {
        let r = i as u32 + 3;
        let texts = [(0, Some(&p.name)), (1, p.category.as_ref()), (2, p.village.as_ref()), (3, p.source.as_ref()), (6, p.status.as_ref())];
        for (c, t) in texts {
            if let Some(t) = t {
                ws.write_string_with_format(r, c, t, &f.open)?;
            }
        }
        ws.write_number_with_format(r, 4, p.planned as f64 / 100.0, &f.open)?;
        ws.write_number_with_format(r, 5, p.disbursed as f64 / 100.0, &f.open)?;
        if let Some(b) = p.beneficiaries {
            ws.write_number_with_format(r, 7, f64::from(b), &f.open)?;
        }
        notice_cells(ws, f, r, p)?;
    }
    list(ws, 1, PROJECT_CATEGORIES, "项目类别")?;
    list(ws, 3, FUND_SOURCES, "资金来源")?;
    list(ws, 6, PROJECT_STATUSES, "项目状态")?;
    decimal(ws, 4, "计划投资")?;
    decimal(ws, 5, "累计拨付")?;
    whole(ws, 7, 0, "带贫人数")?;
    decimal(ws, 8, "留置资金")?;
    decimal(ws, 17, "实际投资")?;
    protect(ws);
    Ok(())
}

/// Last month's 留置资金 and 公示/公告 columns of a project, carried into the form.
fn notice_cells(ws: &mut Worksheet, f: &Formats, r: u32, p: &crate::reading::submission::ProjectRow) -> Result<(), XlsxError> {
    let n = &p.notice;
    let day = |d: Option<crate::base::period::Date>| d.map(|d| d.to_string());
    let texts = [
        (9, day(p.planned_start)),
        (10, n.content.clone()),
        (11, n.unit.clone()),
        (12, n.person.clone()),
        (13, day(n.planned_end)),
        (14, day(n.completed_on)),
        (15, day(n.accepted_on)),
        (16, n.acceptance.clone()),
    ];
    for (c, t) in texts {
        if let Some(t) = t {
            ws.write_string_with_format(r, c, &t, &f.open)?;
        }
    }
    if p.retained > 0 {
        ws.write_number_with_format(r, 8, p.retained as f64 / 100.0, &f.open)?;
    }
    if let Some(a) = n.actual {
        ws.write_number_with_format(r, 17, a as f64 / 100.0, &f.open)?;
    }
    Ok(())
}

fn indicator_sheet(ws: &mut Worksheet, f: &Formats, plan: &Plan) -> Result<(), XlsxError> {
    ws.set_name(INDICATORS)?;
    let columns = [("指标名称", 28), ("本月完成", 12), ("本年累计", 12), ("备注", 30)];
    header(ws, f, "专项指标完成情况表", "单位：各指标单位见“填表说明”", &columns)?;
    for (i, ind) in plan.indicators.iter().enumerate() {
        ws.write_string_with_format(i as u32 + 3, 0, &ind.name, &f.open)?;
    }
    decimal(ws, 1, "本月完成")?;
    decimal(ws, 2, "本年累计")?;
    protect(ws);
    Ok(())
}
