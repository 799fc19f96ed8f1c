//! The commands that print as they go: build, status, watch and init.

use std::sync::atomic::AtomicBool;
use std::time::Instant;

use jianbao::period::{Date, Period};
use jianbao::watch::{self, Event};
use jianbao::Options;

use super::args::Format;
use super::{print, progress};

pub fn build(opts: &Options) -> jianbao::error::Result<bool> {
    let started = Instant::now();
    let bar = progress::Bar::new();
    jianbao::build_with(opts, &bar).map(|b| {
        print::built(&b, started.elapsed());
        b.has_errors()
    })
}

/// Set by Ctrl+C (or a termination signal) during `watch`: it stops after the current build.
static STOP: AtomicBool = AtomicBool::new(false);

/// The board: of `--period`, of the latest month of `--year`, or of the latest month with data.
/// Without `--today` or `today` in config.yaml, 逾期 is judged on this computer's date (said so).
pub fn status(opts: &Options, year: Option<u16>, format: Format) -> jianbao::error::Result<bool> {
    let c = jianbao::archive::check_with_pending(opts)?;
    let latest = jianbao::status::years(&c);
    let at = opts.period.or_else(|| year.and_then(|y| latest.get(&y).copied().or_else(|| Period::new(y, 12))));
    let Some(at) = at.or_else(|| jianbao::status::latest(&c)) else {
        println!("数据目录中还没有报表。");
        return Ok(false);
    };
    let (today, clock) = match c.today(opts)? {
        Some(d) => (Some(d), false),
        None => (Some(Date::from_clock()), true),
    };
    let board = jianbao::status::board(&c, at, today, clock);
    jianbao::overview::write_for_status(opts, &c, &board)?;
    match format {
        Format::Text => {
            print!("{}", jianbao::status::text(&board));
            // Who sent which 旬, when townships send 旬 workbooks and the board is of that month.
            if let Some(xun) = jianbao::office::xun_board::board(&c, today).filter(|x| x.month == at) {
                print!("\n{}", jianbao::office::xun_board::text(&xun));
            }
            let pending = c.diagnostics.iter().filter(|d| d.code == jianbao::archive::numbering::CORRECTION_PENDING);
            pending.for_each(|d| println!("\n更正待签发（{}）：{}", d.location(), d.message));
        }
        Format::Json => println!("{}", serde_json::to_string_pretty(&board).expect("serialisable")),
    }
    Ok(false)
}

pub fn watch(opts: &Options) -> jianbao::error::Result<bool> {
    let stop = &STOP;
    ctrlc::set_handler(|| STOP.store(true, std::sync::atomic::Ordering::Relaxed))
        .map_err(|e| jianbao::error::Error::Usage { msg: format!("无法设置 Ctrl+C 处理：{e}") })?;
    let mut started = Instant::now();
    let bar = progress::Bar::new();
    watch::watch(opts, watch::Timing::default(), stop, &bar, &mut |event| match event {
        Event::Ready => println!("正在监视 {}，放入或修改报表、模板或字体后会自动重新生成。按 Ctrl+C 结束。", opts.data.display()),
        Event::Changed(files) => {
            started = Instant::now();
            println!("\n检测到变化：{}", files.join("、"));
        }
        Event::Built(b) => {
            print::built(b, started.elapsed());
            if let Some(board) = &b.board {
                print!("\n{}", jianbao::status::text(board));
            }
        }
        Event::Failed(e) => eprintln!("错误：{e}"),
    })?;
    println!("已停止监视。");
    Ok(false)
}

/// `jianbao check`: every problem, as text or JSON.
pub fn check(opts: &Options, format: Format) -> jianbao::error::Result<bool> {
    jianbao::check(opts).map(|c| {
        match format {
            Format::Text => print::diagnostics(&c.diagnostics, c.files_read),
            Format::Json => println!("{}", serde_json::to_string_pretty(&c.diagnostics).expect("serialisable")),
        }
        c.has_errors()
    })
}

/// `jianbao publish`: what was recovered, the data's problems, and the outcome.
pub fn publish(opts: &Options, req: &jianbao::archive::Request) -> jianbao::error::Result<bool> {
    jianbao::archive::publish(opts, req).map(|p| {
        p.recovered.iter().for_each(|r| println!("{r}"));
        print::diagnostics(&p.diagnostics, p.files_read);
        print::outcome(&p.outcome, req.target)
    })
}

/// `jianbao template`: the blank workbooks of `--period`.
pub fn template(opts: &Options, township: Option<&str>) -> jianbao::error::Result<bool> {
    let Some(p) = opts.period else {
        return Err(jianbao::error::Error::Usage { msg: "请用 --period YYYY-MM 指定空白报表的月份（年-月）".into() });
    };
    jianbao::templates(opts, p, township).map(|written| {
        written.iter().for_each(|w| println!("已写入 {}", w.display()));
        false
    })
}

/// `jianbao init`: the folder, and what to do next.
pub fn init(dir: &std::path::Path, county: Option<String>, years: Option<(u16, u16)>) -> jianbao::error::Result<bool> {
    let mut start = jianbao::init::Start::placeholder();
    start.county = county.unwrap_or(start.county);
    (start.first, start.last) = years.unwrap_or((start.first, start.last));
    jianbao::init::init(dir, &start).map(|done| {
        done.written.iter().for_each(|w| println!("已创建 {}", w.display()));
        if !done.kept.is_empty() {
            done.kept.iter().for_each(|k| println!("已存在，保留原文件、未改动：{}", k.display()));
            println!("文件夹中原有的其他文件（报表、稿件等）不改动。");
        }
        println!("请按本县规划改写 plan.yaml 和 config.yaml，然后把报表放进 submissions/、当月稿件放进 稿件/年-月/，运行 jianbao --data {}", dir.display());
        false
    })
}
