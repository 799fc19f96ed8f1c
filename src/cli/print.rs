//! What the command prints: diagnostics, build results, publication outcomes, archive checks.

use jianbao::series::number_label;
use std::time::Duration;

use jianbao::archive::{self, Outcome};
use jianbao::diag::{count, Diagnostic, Severity};
use jianbao::{report, Built};

pub fn diagnostics(diags: &[Diagnostic], files_read: usize) {
    for (file, list) in report::grouped(diags) {
        println!("【{file}】");
        for d in list {
            println!("{d}");
        }
    }
    println!("{}", report::summary(diags, files_read));
}

/// A build's result: diagnostics, files written, stale outputs, and a short table.
pub fn built(b: &Built, took: Duration) {
    diagnostics(&b.diagnostics, b.files_read);
    for p in &b.written {
        println!("已写入 {}", p.display());
    }
    for id in &b.stale {
        println!("注意：{id}.pdf 对应的报表已不在数据目录中，文件未删除，请确认是否仍需要。");
    }
    if !b.held.is_empty() {
        let plan_wrong = b.diagnostics.iter().any(|d| d.file == "plan.yaml" && d.severity == Severity::Error);
        let errors = b.diagnostics.iter().filter(|d| d.severity == Severity::Error);
        let (pieces, workbooks): (Vec<_>, Vec<_>) = errors.partition(|d| jianbao::pieces::in_folder(&d.file));
        let because = match (plan_wrong, pieces.is_empty(), workbooks.is_empty()) {
            (true, ..) => "规划数据 plan.yaml 有错误",
            (_, false, true) => "以下文件用到的稿件有错误",
            (_, false, false) => "以下文件用到的报表或稿件有错误",
            _ => "以下文件用到的报表有错误",
        };
        println!("{because}，未生成：{}。请按上面的清单改正后重新生成，或用 --draft 生成草稿。", b.held.join("、"));
    }
    let documents = if b.up_to_date {
        format!("{} 份均为最新，未重新生成（--force 可强制重新生成）", b.documents)
    } else {
        format!("重新生成 {} 份，未变化 {} 份", b.rendered.len(), b.documents - b.rendered.len())
    };
    println!("────────────────────────────");
    println!("文件　{documents}");
    println!("错误　{} 个", count(&b.diagnostics, Severity::Error));
    println!("警告　{} 个", count(&b.diagnostics, Severity::Warning));
    for d in b.diagnostics.iter().filter(|d| d.code == archive::numbering::CORRECTION_PENDING) {
        println!("更正　{}：已签发的这一期输入有变化，见上面的 W-CORRECTION-PENDING", d.sheet.as_deref().unwrap_or_default());
    }
    let built_in_fonts = b.font_roles.iter().all(|r| r.ends_with("（内置）"));
    if b.overrides.is_empty() && built_in_fonts {
        println!("来源　模板和字体均为内置");
    }
    for o in &b.overrides {
        println!("来源　{o}，其余内置");
    }
    if !built_in_fonts {
        println!("字体　{}", b.font_roles.join("；"));
    }
    if let Some(page) = &b.overview {
        println!("一览　{}（用浏览器打开：本月文件、报送情况、问题清单）", page.display());
    }
    println!("用时　{:.2} 秒", took.as_secs_f64());
    println!("────────────────────────────");
}

/// What publishing did; true when it did not publish (exit 1).
pub fn outcome(outcome: &Outcome, target: archive::Target) -> bool {
    match outcome {
        Outcome::Published { entry, path } => {
            let label = jianbao::series::number_label(entry.number);
            let corrects = entry.corrects.map(|n| format!("（更正{}）", jianbao::series::number_label(n))).unwrap_or_default();
            println!("已签发 {}{label}{corrects}：{}", entry.series, path.display());
            false
        }
        Outcome::Unchanged { entry } => {
            println!("{} {} 已于 {} 签发为{}，数据没有变化，未重复签发。", entry.series, entry.period, entry.published, number_label(entry.number));
            false
        }
        Outcome::Refused { entry, changes } => {
            println!("{} {} 已签发为{}，此后以下输入有变化：", entry.series, entry.period, number_label(entry.number));
            for c in changes {
                println!("  {c}");
            }
            println!("已签发的简报不能改动。如需更正，请加 --correction 签发一期更正（新编号）。");
            true
        }
        Outcome::DataErrors => {
            println!("数据有错误，不能签发。请按上面的清单改正报表后再签发。");
            true
        }
        Outcome::NoData => {
            println!("数据目录中没有该期间的报表，无法签发。");
            true
        }
        Outcome::BadDate { msg } => {
            println!("未签发：{msg}");
            true
        }
        Outcome::OutOfOrder { earlier } => {
            let names: Vec<String> = earlier.iter().map(ToString::to_string).collect();
            println!("未签发：本年更早的{}还没有签发。期号按月份（季度）先后编排，先签发本期会使期号颠倒，且归档不能改动。", names.join("、"));
            let flag = target.kind().and_then(|k| k.published()).map_or("--period", |(_, option)| option);
            println!("请先按先后顺序签发它们（如 jianbao publish {flag} {} --date 日期）；", earlier[0]);
            println!("确定这些月份（季度）不再签发的，加 --skip-earlier 登记为“不签发”（不占期号，以后也不能再签发）后签发本期。");
            true
        }
        Outcome::Skipped { declared } => {
            println!("未签发：该期已于 {declared} 登记为不签发（签发后面一期时加了 --skip-earlier），不能再签发。");
            true
        }
        Outcome::Busy => {
            println!("另一次签发正在进行（可能是另一位同事在同一文件夹中签发），请等它结束后再签发。");
            true
        }
    }
}

/// The archive check; true when something is wrong (exit 1).
pub fn verified(v: &archive::Verified) -> bool {
    for (label, list) in
        [("缺失", &v.missing), ("被改动", &v.altered), ("未登记", &v.unlisted), ("附件与清单不符", &v.mismatched), ("残留的临时文件", &v.leftovers)]
    {
        for f in list {
            println!("{label}：archive/{f}");
        }
    }
    for g in &v.gaps {
        println!("期号缺失：清单中没有 {g}（可能连同文件一起被删除）");
    }
    for u in &v.unlinked {
        println!("登记不衔接：清单{u}与前一条登记对不上（有登记被删除、插入、调换次序或改动）");
    }
    for e in &v.edited {
        println!("登记被改动：archive/{e}");
    }
    if v.no_archive {
        println!("没有归档：输出文件夹中没有 archive/manifest.json。请确认 --out 指向签发时的输出文件夹。");
        return true;
    }
    if v.is_clean() {
        println!("归档完好：清单登记 {} 份，文件全部存在且未被改动。", v.listed);
    } else {
        println!(
            "归档有问题：缺失 {} 份，被改动 {} 份，未登记 {} 份，附件与清单不符 {} 处，残留临时文件 {} 个，期号缺失 {} 处，登记不衔接 {} 处，登记被改动 {} 处。",
            v.missing.len(),
            v.altered.len(),
            v.unlisted.len(),
            v.mismatched.len(),
            v.leftovers.len(),
            v.gaps.len(),
            v.unlinked.len(),
            v.edited.len()
        );
    }
    !v.is_clean()
}

/// A bound volume against the archive; true when something differs (exit 1).
pub fn volume_checked(c: &archive::anchor::VolumeCheck) -> bool {
    for f in &c.findings {
        println!("与合订本不符：{f}");
    }
    if c.findings.is_empty() {
        println!("与合订本一致：合订本所印 {} 份文件的摘要和登记链末端与电子归档相符。", c.checked);
    } else {
        println!("电子归档与合订本不一致：{} 处。", c.findings.len());
    }
    !c.findings.is_empty()
}
