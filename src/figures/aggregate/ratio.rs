//! Exact ratios and their display rounding: percentages are computed from integers and
//! rounded half-up (away from zero) to one decimal only at the end.
//! Judgments (thresholds, behind or ahead, 持平) compare exact ratios; a value shown beside one
//! gets more decimals where one would contradict it (`pct_against`).

use std::cmp::Ordering;

/// A ratio as a percentage with one decimal, from exact integers; `None` when `den` is 0.
pub fn pct(num: i128, den: i128) -> Option<f64> {
    tenths(num * 1000, den).map(|t| t as f64 / 10.0)
}

/// `num / den` rounded half away from zero to an integer.
fn tenths(num: i128, den: i128) -> Option<i64> {
    if den == 0 {
        return None;
    }
    let (n, d) = if den < 0 { (-num, -den) } else { (num, den) };
    let q = (2 * n.abs() + d) / (2 * d);
    Some(if n < 0 { -(q as i64) } else { q as i64 })
}

/// `a/b − c/d` in percentage points, one decimal, or more where one decimal would show 0.0
/// for a gap that is not exactly zero (see `pct_against`): 持平 only when exactly equal.
pub fn pp_diff(a: i128, b: i128, c: i128, d: i128) -> Option<f64> {
    if b == 0 || d == 0 {
        return None;
    }
    pct_against(a * d - c * b, b * d, 0, 1)
}

/// `num/den` as a percentage for display beside a judgment against the exact ratio `a/b`
/// (a threshold, a time progress, zero): one decimal, or as many more (up to 9) as it takes for
/// the shown value to lie on the same side of `a/b` as the exact value. A village at
/// 499/2500 is shown as 19.96 % beside "below 20 %", never as 20.0 %. `None` when `den` is 0.
pub fn pct_against(num: i128, den: i128, a: i128, b: i128) -> Option<f64> {
    if den == 0 || b == 0 {
        return None;
    }
    let (num, den) = if den < 0 { (-num, -den) } else { (num, den) };
    let (a, b) = if b < 0 { (-a, -b) } else { (a, b) };
    let exact = cmp_ratio(num, den, a, b);
    for d in 1..=9u32 {
        let scale = 10i128.pow(d + 2);
        let mut r = tenths(num * scale, den)? as i128;
        let shown = (r * b).cmp(&(a * scale));
        if shown != exact && exact != Ordering::Equal {
            if d < 9 {
                continue;
            }
            // Directed rounding at the last place: floor below the mark, ceiling above it.
            r = if exact == Ordering::Less { (num * scale).div_euclid(den) } else { -((-num * scale).div_euclid(den)) };
        }
        return Some(r as f64 / 10f64.powi(d as i32));
    }
    None
}

/// A percentage line as written in `plan.yaml` or `config.yaml` (`20`, `92.5`) as the exact
/// ratio the judgments compare with: hundredths of a percent over 10000.
pub fn pct_line(pct: f64) -> (i128, i128) {
    ((pct * 100.0).round() as i128, 10_000)
}

/// The exact order of `num/den` against `a/b` (denominators positive): the one comparison
/// every judgment and ranking makes.
pub fn cmp_ratio(num: i128, den: i128, a: i128, b: i128) -> Ordering {
    (num * b).cmp(&(a * den))
}

/// Hundredths of 万元 as 万元.
pub fn wan(cents: i64) -> f64 {
    cents as f64 / 100.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounds_half_up_from_exact_values() {
        assert_eq!(pct(1, 8), Some(12.5));
        assert_eq!(pct(1, 3), Some(33.3));
        assert_eq!(pct(2, 3), Some(66.7));
        assert_eq!(pct(1, 2000), Some(0.1)); // 0.05 % rounds up
        assert_eq!(pct(1, 0), None);
        assert_eq!(pct(-1, 2000), Some(-0.1));
    }

    #[test]
    fn percentage_point_gap() {
        // 2750/5500 = 50 %, 6/12 = 50 %: on schedule.
        assert_eq!(pp_diff(2750, 5500, 6, 12), Some(0.0));
        // 2000/5500 = 36.36 %, 3/12 = 25 %: 11.4 points ahead.
        assert_eq!(pp_diff(2000, 5500, 3, 12), Some(11.4));
        assert_eq!(pp_diff(1000, 5500, 3, 12), Some(-6.8));
        // 4123/5500 = 74.9636 % against 75 %: behind by 0.0364 points, never 持平.
        assert_eq!(pp_diff(4123, 5500, 9, 12), Some(-0.04));
        assert_eq!(pp_diff(4125, 5500, 9, 12), Some(0.0));
    }

    #[test]
    fn shown_values_never_contradict_the_judgment() {
        // 499/2500 = 19.96 % is below 20 %; 337.35/375 = 89.96 % is below 90 %.
        assert_eq!(pct_against(499, 2500, 20, 100), Some(19.96));
        assert_eq!(pct_against(33735, 37500, 90, 100), Some(89.96));
        // One decimal where it does not contradict, also at the mark itself; a value just off
        // the mark is never shown as the mark (it would read as equal).
        assert_eq!(pct_against(2004, 10000, 20, 100), Some(20.04));
        assert_eq!(pct_against(2051, 10000, 20, 100), Some(20.5));
        assert_eq!(pct_against(500, 2500, 20, 100), Some(20.0));
        assert_eq!(pct_against(4, 5, 90, 100), Some(80.0));
        // 95/534 = 17.7903 % against 17.7912 %: two decimals separate them.
        assert_eq!(pct_against(95, 534, 177_912, 1_000_000), Some(17.79));
        // A tiny gap above the mark is never shown as the mark.
        assert!(pct_against(1_000_000_001, 1_000_000_000_000, 1, 1000).unwrap() > 0.1);
        assert_eq!(pct_against(1, 0, 1, 2), None);
    }
}

#[cfg(test)]
mod overflow {
    /// The figures are plain integer sums: the build profiles keep overflow checks on for
    /// jianbao's own code (also in `--release`), so a sum that overflows stops the program
    /// instead of printing a wrapped number.
    #[test]
    #[should_panic(expected = "overflow")]
    fn a_sum_that_overflows_panics() {
        let poor = std::hint::black_box([u32::MAX / 2 + 1, u32::MAX / 2 + 1]);
        let _: u32 = poor.iter().sum();
    }
}
