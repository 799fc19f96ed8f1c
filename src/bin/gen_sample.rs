//! Writes the bundled sample data (示例数据): one workbook per township and month.
//!
//! Usage: `cargo run --bin gen-sample -- [DATA_DIR] [YEAR] [LAST_MONTH]` (defaults: data 2018 6).

use std::path::PathBuf;

use jianbao::period::Period;
use jianbao::plan::Plan;
use jianbao::{output, sample};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let data = PathBuf::from(args.first().map_or("data", String::as_str));
    let year: u16 = args.get(1).map_or(Ok(2018), |s| s.parse())?;
    let last: u8 = args.get(2).map_or(Ok(6), |s| s.parse())?;
    let plan = Plan::load(&data.join("plan.yaml"))?;
    let county = sample::county(&plan, year);
    let mut written = 0;
    for month in 1..=last {
        let p = Period::new(year, month).ok_or("bad month")?;
        for t in &county {
            output::write_atomic(&data.join(sample::file_name(&t.name, p)), &sample::workbook(&plan, t, p))?;
            written += 1;
        }
    }
    println!("wrote {written} workbooks under {}", data.display());
    Ok(())
}
