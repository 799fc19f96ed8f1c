//! Which 签发日期 a publication may have: after the period it reports on ends, never in the
//! future, never before an issue of the same series and year already signed (numbers and
//! dates rise together), and a correction never before the issue it corrects. Backfilling past
//! years in order stays possible: each year's series has its own numbers.

use super::manifest::Manifest;
use super::Target;
use crate::base::period::Date;

/// The last day of what `target` reports on.
fn period_end(target: Target) -> Option<Date> {
    target.span().last_day()
}

/// Why `date` cannot be the 签发日期 of this publication (in Chinese), if it cannot.
pub fn refused(manifest: &Manifest, target: Target, date: Date, corrects: Option<u32>, today: Date) -> Option<String> {
    let series = target.series();
    if let Some(end) = period_end(target).filter(|end| date <= *end) {
        return Some(format!("签发日期 {date} 不在所报期间结束（{end}）之后。文件应在期间结束后签发，最早可用 {}。", end.next()));
    }
    if date > today.next() {
        return Some(format!("签发日期 {date} 晚于今天（本机日期 {today}）。请用实际签发的日期。"));
    }
    let same_year = manifest.entries.iter().filter(|e| e.series == series && e.year == target.year());
    if let Some(corrected) = corrects.and_then(|n| manifest.entries.iter().find(|e| e.series == series && e.year == target.year() && e.number == n)) {
        if corrected.published > date {
            return Some(format!("更正期的签发日期 {date} 早于被更正的第{}期的签发日期 {}。", corrected.number, corrected.published));
        }
    }
    let latest = same_year.max_by_key(|e| e.published)?;
    (latest.published > date).then(|| {
        format!("签发日期 {date} 早于本年{}已签发的第{}期（{}）。同一系列中期号越大，签发日期不能越早。", series.name(), latest.number, latest.published)
    })
}
