//! The sample county's workbooks, one per township and month, in the submission format.

use super::xlsx::{self, Sheet, Value};
use super::{between, lifted_by, NoticeColumns, SampleTownship, MONTHLY_PROGRESS};
use crate::base::period::{Period, Xun};
use crate::setup::plan::{IndicatorKind, Plan};

/// `submissions/2018-03/南村乡2018年3月报表.xlsx`
pub fn file_name(township: &str, p: Period) -> String {
    format!("submissions/{p}/{township}{}月报表.xlsx", p.chinese().trim_end_matches('月'))
}

/// The workbook of township `t` for period `p`, as .xlsx bytes.
pub fn workbook(plan: &Plan, t: &SampleTownship, p: Period) -> Vec<u8> {
    let sheets = [cover(t, p), villages(t, p), projects(plan, t, p), indicators(plan, t, p)];
    xlsx::write(&sheets).expect("sample workbook")
}

fn text(s: &str) -> Value {
    Value::from(s)
}

fn cover(t: &SampleTownship, p: Period) -> Sheet {
    let mut s = Sheet::new("基本信息");
    // The month is typed in the different ways townships really type it.
    let month = match super::unit(&t.name) {
        u if u < 0.4 => format!("{p}"),
        u if u < 0.7 => p.chinese(),
        _ => format!("{}.{}", p.year, p.month),
    };
    let next = Period::new(p.year + u16::from(p.month == 12), p.month % 12 + 1).expect("valid");
    s.row(vec![text(&format!("{}脱贫攻坚月报（示例数据）", t.name))]);
    s.row(vec![text("乡镇"), text(&t.name)]);
    s.row(vec![text("统计月份"), text(&month)]);
    s.row(vec![text("填报人"), text("示例填报人")]);
    s.row(vec![text("联系电话"), text("0398-0000000")]);
    s.row(vec![text("审核人"), text("示例审核人")]);
    s.row(vec![text("填报日期"), text(&format!("{}年{}月3日", next.year, next.month))]);
    s.row(vec![text("数据性质"), text("示例数据（依据规划生成，非真实统计数据）")]);
    s
}

fn villages(t: &SampleTownship, p: Period) -> Sheet {
    let mut s = Sheet::new("村级进度");
    s.row(vec![text(&format!("{}村级脱贫进度表（示例数据）", t.name))]);
    s.row(vec![text("单位：人")]);
    s.row(["村名", "村类型", "户籍人口", "年初贫困人口", "本月脱贫人数", "累计脱贫人数", "是否出列", "因病因残致贫人数", "备注"].map(text).to_vec());
    let mut totals = [0u32; 4];
    // After a month it did not report, the township catches up: 本月 counts since its last workbook.
    let previous = t.previous_report(p.month);
    for v in &t.villages {
        let done = lifted_by(v, p.month);
        let month = done - lifted_by(v, previous);
        let exited = v.exited_before || v.exit_month.is_some_and(|m| p.month >= m);
        let remaining = v.poor - done;
        let ill = (f64::from(remaining) * between(&format!("{}因病", v.name), 0.68, 0.78)).round() as u32;
        let remark = if exited && v.exit_month == Some(p.month) { "本月通过出列验收" } else { "" };
        s.row(vec![
            text(&v.name),
            text(v.kind),
            v.population.into(),
            v.poor.into(),
            month.into(),
            done.into(),
            text(if exited { "是" } else { "否" }),
            ill.into(),
            text(remark),
        ]);
        for (acc, x) in totals.iter_mut().zip([v.population, v.poor, month, done]) {
            *acc += x;
        }
    }
    let [pop, poor, month, done] = totals;
    s.row(vec![text("合计"), Value::Blank, pop.into(), poor.into(), month.into(), done.into()]);
    s
}

/// Fraction of planned investment disbursed by the end of month `m`.
fn disbursed_share(t: &SampleTownship, m: u8) -> f64 {
    (MONTHLY_PROGRESS[usize::from(m) - 1] * 1.15 * t.pace).min(1.0)
}

fn projects(plan: &Plan, t: &SampleTownship, p: Period) -> Sheet {
    let mut s = Sheet::new("项目资金");
    s.row(vec![text("单位：万元")]);
    let mut header = vec!["项目名称", "项目类别", "所在村", "资金来源", "计划投资", "累计拨付", "项目状态", "带贫人数"];
    header.extend(notice_header(t.notices));
    s.row(header.into_iter().map(text).collect());
    for r in project_rows(plan, t, disbursed_share(t, p.month)) {
        let mut row = vec![text(&r.name), text(r.category), text(&r.village), text(r.source), r.planned.into(), r.paid.into(), text(r.status), r.helped.into()];
        row.extend(notice_cells(t, p, &r));
        s.row(row);
    }
    s
}

/// The 公示/公告 columns of the sample's 项目资金 (示例数据).
fn notice_header(n: NoticeColumns) -> Vec<&'static str> {
    match n {
        NoticeColumns::None => Vec::new(),
        NoticeColumns::Funds => vec!["建设内容", "实施单位"],
        NoticeColumns::Full => vec!["建设内容", "实施单位", "责任人", "计划开工", "计划完工", "完工日期", "验收日期", "验收结果", "实际投资"],
    }
}

/// A project's 公示/公告 cells at month `p`: its content and unit, and (every column) the
/// person, the planned dates, and once 已完工 the dates it was finished (the 20th of the month
/// it first was) and accepted (the 28th), 合格, and its planned sum as spent. One project of
/// the sample (a training of 坡头乡) names no 责任人: its 公示 is listed as due.
fn notice_cells(t: &SampleTownship, p: Period, r: &ProjectRow) -> Vec<Value> {
    if t.notices == NoticeColumns::None {
        return Vec::new();
    }
    let unit = if r.village.starts_with('全') { format!("{}人民政府", t.name) } else { format!("{}村民委员会", r.village) };
    let mut cells = vec![text(&content(r)), text(&unit)];
    if t.notices == NoticeColumns::Full {
        let person = if t.name == "坡头乡" && r.category == "就业扶贫" { Value::Blank } else { text("示例责任人") };
        cells.extend([person, text(&format!("{}-03-01", p.year)), text(&format!("{}-11-30", p.year))]);
        let done = (1..=p.month).find(|&m| project_rows_done(t, m, r));
        match done {
            Some(m) => cells.extend([text(&format!("{}-{m:02}-20", p.year)), text(&format!("{}-{m:02}-28", p.year)), text("合格"), r.planned.into()]),
            None => cells.extend([Value::Blank, Value::Blank, Value::Blank, Value::Blank]),
        }
    }
    cells
}

/// Whether project `r` is fully paid (已完工) by the end of month `m`.
fn project_rows_done(t: &SampleTownship, m: u8, r: &ProjectRow) -> bool {
    (r.planned * disbursed_share(t, m) * 100.0).round() / 100.0 >= r.planned
}

/// What a sample project builds (示例数据).
fn content(r: &ProjectRow) -> String {
    let scale = (r.planned / 5.0).round();
    if r.name.contains("花椒") {
        format!("新建花椒种植基地{}亩，配套灌溉设施", scale * 4.0)
    } else if r.name.contains("道路") {
        format!("硬化村内道路{:.1}公里，宽4.5米", scale / 10.0)
    } else if r.name.contains("培训") {
        format!("开展贫困劳动力技能培训{}人次", (r.planned * 4.0).round())
    } else if r.name.contains("非贫困村") {
        "扶持任务较重非贫困村发展村集体经济".to_string()
    } else {
        "发展村集体经济特色产业，收益用于贫困户分红和公益岗位".to_string()
    }
}

/// A project of the sample, as it stands when `share` of its investment is disbursed.
struct ProjectRow {
    name: String,
    category: &'static str,
    village: String,
    source: &'static str,
    planned: f64,
    paid: f64,
    status: &'static str,
    helped: u32,
}

fn project_rows(plan: &Plan, t: &SampleTownship, share: f64) -> Vec<ProjectRow> {
    let whole = if t.name.ends_with('镇') { "全镇" } else { "全乡" };
    let mut rows: Vec<(String, &str, String, &str, f64)> = Vec::new();
    for v in &t.villages {
        match v.kind {
            "深度贫困村" => {
                let planned = (between(&format!("{}项目", v.name), 90.0, 220.0) / 5.0).round() * 5.0;
                let cat = if super::unit(&v.name) < 0.5 { "产业扶贫" } else { "基础设施" };
                rows.push((format!("{}{}项目", v.name, if cat == "产业扶贫" { "花椒种植基地" } else { "道路硬化" }), cat, v.name.clone(), "统筹整合", planned));
                rows.push((
                    format!("{}县级专项扶持", v.name),
                    "产业扶贫",
                    v.name.clone(),
                    "县级专项",
                    plan.funding.per_poverty_village + plan.funding.per_deep_poverty_village_extra,
                ));
            }
            "贫困村" => rows.push((format!("{}村集体经济项目", v.name), "产业扶贫", v.name.clone(), "县级专项", plan.funding.per_poverty_village)),
            _ => {}
        }
    }
    let heavy = t.villages.iter().filter(|v| v.kind == "非贫困村").count();
    if heavy > 0 {
        rows.push((
            format!("{whole}任务较重非贫困村村集体经济扶持"),
            "产业扶贫",
            whole.to_string(),
            "县级专项",
            plan.funding.per_heavy_task_village * heavy as f64,
        ));
    }
    rows.push((format!("{whole}贫困劳动力技能培训"), "就业扶贫", whole.to_string(), "统筹整合", (between(&t.name, 20.0, 45.0)).round()));
    rows.into_iter()
        .map(|(name, category, village, source, planned)| {
            let paid = (planned * share * 100.0).round() / 100.0;
            let status = if paid >= planned {
                "已完工"
            } else if paid > 0.0 {
                "在建"
            } else {
                "未开工"
            };
            let helped = (planned * 1.6).round() as u32;
            ProjectRow { name, category, village, source, planned, paid, status, helped }
        })
        .collect()
}

/// `submissions/2019-03/南村乡2019年3月上旬.xlsx`
pub fn xun_file_name(township: &str, p: Period, x: Xun) -> String {
    format!("submissions/{p}/{township}{}{}.xlsx", p.chinese(), x.chinese())
}

/// The 旬 workbook of township `t` for the 旬 `x` of `p` (示例数据): 项目资金 alone, with the
/// optional 留置资金 (5 % of a project under way whose payments leave room for it) and 计划开工
/// (of projects not started) columns. Its 下旬 is the month's report, project for project.
pub fn xun_workbook(plan: &Plan, t: &SampleTownship, p: Period, x: Xun) -> Vec<u8> {
    let month = disbursed_share(t, p.month);
    let before = if p.month > 1 { disbursed_share(t, t.previous_report(p.month).max(1)) } else { 0.0 };
    let share = match x {
        Xun::Upper => before + (month - before) / 3.0,
        Xun::Middle => before + (month - before) * 2.0 / 3.0,
        Xun::Lower => month,
    };
    let mut s = Sheet::new("项目资金");
    s.row(vec![text(&format!("{}{}{}扶贫项目实施和资金支出进度（示例数据，单位：万元）", t.name, p.chinese(), x.chinese()))]);
    s.row(["项目名称", "项目类别", "所在村", "资金来源", "计划投资", "累计拨付", "项目状态", "带贫人数", "留置资金", "计划开工"].map(text).to_vec());
    for r in project_rows(plan, t, share) {
        let retained = (r.planned * 0.05 * 100.0).round() / 100.0;
        let retained = if r.status == "在建" && r.paid + retained <= r.planned { retained } else { 0.0 };
        let start = if r.status == "未开工" { text(&format!("{p}-{:02}", 5 + (super::unit(&r.name) * 20.0) as u8)) } else { Value::Blank };
        s.row(vec![
            text(&r.name),
            text(r.category),
            text(&r.village),
            text(r.source),
            r.planned.into(),
            r.paid.into(),
            text(r.status),
            r.helped.into(),
            retained.into(),
            start,
        ]);
    }
    xlsx::write(&[s]).expect("sample 旬 workbook")
}

fn indicators(plan: &Plan, t: &SampleTownship, p: Period) -> Sheet {
    let mut s = Sheet::new("专项指标");
    s.row(["指标名称", "本月完成", "本年累计", "备注"].map(text).to_vec());
    let n = plan.townships.len() as f64;
    for ind in &plan.indicators {
        let key = format!("{}{}", t.name, ind.name);
        let yearly = ind.target_for(p.year).map_or(between(&key, 60.0, 200.0) * n, |tg| tg.value / f64::from(tg.to - tg.from + 1));
        let share = yearly / n * between(&key, 0.7, 1.3);
        // Two indicators run slow in the sample, so that the bulletin has something to flag.
        let pace = if ind.name == "危房改造户数" || ind.name == "易地扶贫搬迁入住人数" { 0.6 } else { t.pace };
        let (month, to_date) = match ind.kind {
            IndicatorKind::Flow => {
                let at = |m: u8| if m == 0 { 0.0 } else { (share * (MONTHLY_PROGRESS[usize::from(m) - 1] * pace).min(1.0)).round() };
                (at(p.month) - at(t.previous_report(p.month)), at(p.month))
            }
            IndicatorKind::Stock => {
                // A level that grows from the plan's first month on, across years.
                let months = f64::from(p.year.saturating_sub(plan.rolling_plan.base_year + 1)) * 12.0 + f64::from(p.month);
                let level = (share * (0.45 + 0.1 * months).min(1.0) * pace.min(1.0)).round();
                (0.0, level)
            }
        };
        s.row(vec![text(&ind.name), month.into(), to_date.into(), Value::Blank]);
    }
    s
}
