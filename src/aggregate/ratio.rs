//! Exact ratios and their display rounding: percentages are computed from integers and
//! rounded half-up (away from zero) to one decimal only at the end.

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

/// `a/b − c/d` in percentage points, one decimal.
pub fn pp_diff(a: i128, b: i128, c: i128, d: i128) -> Option<f64> {
    if b == 0 || d == 0 {
        return None;
    }
    pct(a * d - c * b, b * d)
}

/// Compares a/b with c/d exactly (denominators positive).
pub fn cmp(a: u64, b: u64, c: u64, d: u64) -> std::cmp::Ordering {
    (u128::from(a) * u128::from(d)).cmp(&(u128::from(c) * u128::from(b)))
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
