//! Writes sample data (示例数据): one workbook per township and month.
//!
//! Usage:
//! - `cargo run --bin gen-sample -- [DATA_DIR]` (default: data): the bundled sample, from
//!   `DATA_DIR/plan.yaml`: 2018-01 … 2019-03, one township missing a month.
//! - `cargo run --bin gen-sample -- --county-scale DIR`: benchmark data in `DIR` (a new data
//!   folder): the plan's 12 townships × 36 months (2018–2020) = 432 workbooks.

use std::path::PathBuf;

use jianbao::plan::Plan;
use jianbao::sample;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("--county-scale") {
        let dir = PathBuf::from(args.get(1).ok_or("usage: gen-sample --county-scale DIR")?);
        let written = sample::write_county_scale(&PathBuf::from("data"), &dir)?;
        println!("wrote {written} workbooks under {}", dir.display());
        return Ok(());
    }
    let data = PathBuf::from(args.first().map_or("data", String::as_str));
    let plan = Plan::load(&data.join("plan.yaml"))?;
    let written = sample::write_bundled(&data, &plan)?;
    println!("wrote {written} workbooks under {}", data.display());
    Ok(())
}
