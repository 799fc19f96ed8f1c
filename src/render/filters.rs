//! minijinja filters for Chinese official prose: percentages, money, dates, 时序进度 phrases.

use minijinja::value::Value;
use minijinja::Environment;

use super::format;

fn opt_f64(v: &Value) -> Option<f64> {
    if v.is_none() || v.is_undefined() {
        None
    } else {
        f64::try_from(v.clone()).ok()
    }
}

pub fn register(env: &mut Environment<'static>) {
    env.add_filter("pct", |v: Value| format::pct(opt_f64(&v)));
    env.add_filter("wan", |v: Value| opt_f64(&v).map_or_else(|| "—".into(), format::wan));
    env.add_filter("amount", |v: Value| opt_f64(&v).map_or_else(|| "—".into(), format::amount));
    env.add_filter("points", |v: Value| opt_f64(&v).map_or_else(|| "—".into(), format::points));
    env.add_filter("schedule", |v: Value| format::schedule(opt_f64(&v)));
    env.add_filter("join_cn", |v: Vec<String>| v.join("、"));
    env.add_filter("cn_num", |n: u32| format::cn_num(n));
    env.add_filter("cn_date", |s: String| format::cn_date(&s));
    // Months (`YYYY-MM`) as runs: `5月、6月`, `5月至11月`.
    env.add_filter("months_cn", |v: Vec<String>| {
        let months: Vec<crate::base::period::Period> = v.iter().filter_map(|m| m.parse().ok()).collect();
        crate::base::period::months_cn(&months, false)
    });
    env.add_filter("rank", |v: Value| format::rank(opt_f64(&v).map(|r| r as u32)));
}
