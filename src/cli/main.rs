//! The `jianbao` command: parse arguments (in Chinese), call the library, print, exit.
//! Exit codes: 0 done; 1 problems in the data or the archive, or a refused publication;
//! 2 usage or system errors.

mod console;
mod print;
mod progress;

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::AtomicBool;
use std::time::Instant;

use clap::{ArgAction, Parser, Subcommand, ValueEnum};
use jianbao::archive;
use jianbao::period::Quarter;
use jianbao::period::{Date, Period};
use jianbao::watch::{self, Event};
use jianbao::Options;

const TEMPLATE: &str = "{about-with-newline}\n用法：{usage}\n\n{all-args}{after-help}";

/// 简报：把各乡镇报送的月报表生成为正式的脱贫攻坚工作简报（PDF）、季度汇总和汇总表。
#[derive(Parser)]
#[command(name = "jianbao", version, long_about = None, help_template = TEMPLATE,
    disable_help_flag = true, disable_version_flag = true, disable_help_subcommand = true,
    subcommand_help_heading = "命令", subcommand_value_name = "命令", override_usage = "jianbao [命令] [选项]",
    after_help = "示例：\n  jianbao                              按 data/ 中的报表生成全部文件到 out/\n  jianbao check                        只检查报表，列出全部问题\n  jianbao build --period 2018-03       只生成 2018年3月的简报\n  jianbao template --period 2018-07    生成 7月的空白报表，发给各乡镇\n  jianbao watch                        放入报表即自动重新生成\n  jianbao publish --period 2018-03 --date 2018-04-05   签发 3月简报\n\n用 jianbao <命令> --help 查看每个命令的说明。")]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    #[command(flatten)]
    common: Common,
    /// Without a command, `jianbao` is `jianbao build`: its options too (`jianbao --force`).
    #[command(flatten, next_help_heading = "生成选项（不写命令时即 build）")]
    build: BuildArgs,
}

#[derive(clap::Args, Clone)]
#[command(next_help_heading = "通用选项")]
struct Common {
    /// 数据目录，含 plan.yaml、config.yaml 和各乡镇报表（默认 data）
    #[arg(long, global = true, default_value = "data", hide_default_value = true, value_name = "目录")]
    data: PathBuf,
    /// 输出目录（默认 out）
    #[arg(long, global = true, default_value = "out", hide_default_value = true, value_name = "目录")]
    out: PathBuf,
    /// 只处理这个月份，格式 YYYY-MM，例如 2018-03
    #[arg(long, global = true, value_name = "年-月")]
    period: Option<Period>,
    /// 另用这个目录中的字体，优先于数据目录中的 fonts/ 和内置字体
    #[arg(long, global = true, value_name = "目录")]
    fonts: Option<PathBuf>,
    /// 另用这个目录中的模板：其中的文件代替数据目录中和内置的同名模板
    #[arg(long, global = true, value_name = "目录")]
    templates: Option<PathBuf>,
    /// 使用本机安装的字体（仿宋_GB2312、方正小标宋简体等，名称见 config.yaml），附带字体作为后备
    #[arg(long, global = true)]
    system_fonts: bool,
    /// 判断报表是否逾期所用的日期，格式 YYYY-MM-DD（也可在 config.yaml 中写 today）
    #[arg(long, global = true, value_name = "日期")]
    today: Option<Date>,
    /// 输出格式：pdf，或 pdf,ofd（另在每份 PDF 旁生成 OFD 版式文件）；默认按 config.yaml 中的 formats
    #[arg(long, global = true, value_delimiter = ',', value_name = "格式")]
    formats: Option<Vec<jianbao::config::Format>>,
    /// 显示帮助
    #[arg(short, long, global = true, action = ArgAction::Help)]
    help: Option<bool>,
    /// 显示版本
    #[arg(short = 'V', long, action = ArgAction::Version)]
    version: Option<bool>,
}

#[derive(Subcommand)]
enum Command {
    /// 检查并生成全部简报、季度汇总、汇总表和数据校验报告（默认命令）
    #[command(help_template = TEMPLATE, next_help_heading = "选项", override_usage = "jianbao build [选项]",
        after_help = "示例：\n  jianbao build\n  jianbao build --period 2018-03 --draft\n  jianbao build --force")]
    Build {
        #[command(flatten)]
        build: BuildArgs,
    },
    /// 只检查报表，列出全部问题，不生成文件
    #[command(help_template = TEMPLATE, next_help_heading = "选项", override_usage = "jianbao check [选项]",
        after_help = "示例：\n  jianbao check\n  jianbao check --format json > 问题清单.json")]
    Check {
        /// 输出格式：text（文字，默认）或 json
        #[arg(long, value_enum, default_value_t = Format::Text, hide_default_value = true, hide_possible_values = true, value_name = "格式")]
        format: Format,
    },
    /// 报送情况：各乡镇各月已报、未报、报表有误的一览，以及需要打电话联系的乡镇
    #[command(help_template = TEMPLATE, next_help_heading = "选项", override_usage = "jianbao status [--period 年-月 | --year 年] [--today 日期] [--format json]",
        after_help = "示例：\n  jianbao status                        最近一个月所在年份的报送情况\n  jianbao status --period 2019-03 --today 2019-04-08\n  jianbao status --year 2018 --format json > 报送情况.json\n\n在 config.yaml 中写 报送截止日: 5（次月5日）后，过了截止日仍未报送的显示为“逾期”。")]
    Status {
        /// 只看这一年（截至该年最后一个有报表的月份）
        #[arg(long, conflicts_with = "period", value_name = "年")]
        year: Option<u16>,
        /// 输出格式：text（文字，默认）或 json
        #[arg(long, value_enum, default_value_t = Format::Text, hide_default_value = true, hide_possible_values = true, value_name = "格式")]
        format: Format,
    },
    /// 签发：给某月简报（或某季度汇总）编号，生成 PDF/A 存入 out/archive/ 并登记清单；或装订全年的合订本
    #[command(help_template = TEMPLATE, next_help_heading = "选项", override_usage = "jianbao publish (--period 年-月 | --quarter 年-Q季 | --year 年 --bind) [--date 日期] [--correction] [--skip-earlier]",
        after_help = "示例：\n  jianbao publish --period 2018-03 --date 2018-04-05\n  jianbao publish --quarter 2018-Q1 --date 2018-04-10\n  jianbao publish --period 2018-03 --date 2018-04-20 --correction\n  jianbao publish --year 2018 --bind --date 2019-01-15   装订 2018 年已签发的简报和季度汇总")]
    Publish {
        /// 签发的季度汇总，格式 YYYY-Qn，例如 2018-Q1（与 --period 二选一）
        #[arg(long, conflicts_with_all = ["period", "year"], required_unless_present_any = ["period", "year"], value_name = "年-Q季")]
        quarter: Option<Quarter>,
        /// 与 --bind 一起：装订这一年已签发的工作简报和季度汇总
        #[arg(long, conflicts_with = "period", requires = "bind", value_name = "年")]
        year: Option<u16>,
        /// 装订合订本（PDF/A）：封面、目录、全年已签发的文件，页码连续
        #[arg(long, requires = "year")]
        bind: bool,
        /// 签发日期，格式 YYYY-MM-DD；不给出时用 config.yaml 中的 publish_date
        #[arg(long, value_name = "日期")]
        date: Option<Date>,
        /// 已签发的数据有改动时，签发一期更正（新编号，注明更正哪一期）
        #[arg(long)]
        correction: bool,
        /// 本年更早的、尚未签发的月份（季度）确定不再签发：登记为“不签发”（不占期号，以后也不能签发），再签发本期
        #[arg(long)]
        skip_earlier: bool,
    },
    /// 核对归档：逐一校验 out/archive/ 中的文件与清单，列出缺失、被改动和未登记的文件
    #[command(help_template = TEMPLATE, next_help_heading = "选项", override_usage = "jianbao verify [--out 目录] [--volume 合订本]",
        after_help = "示例：\n  jianbao verify\n  jianbao verify --volume out/archive/2018/合订本第01期-2018年脱贫攻坚工作简报合订本.pdf")]
    Verify {
        /// 用这本合订本（其“归档核对”页）核对电子归档是否与装订时一致
        #[arg(long, value_name = "合订本")]
        volume: Option<std::path::PathBuf>,
    },
    /// 生成某月的空白报表（每个乡镇一份），写入 out/templates/<年-月>/，发给各乡镇填写
    #[command(help_template = TEMPLATE, next_help_heading = "选项", override_usage = "jianbao template --period 年-月 [--township 乡镇]",
        after_help = "示例：\n  jianbao template --period 2018-07\n  jianbao template --period 2018-07 --township 南村乡")]
    Template {
        /// 只生成这个乡镇的空白报表
        #[arg(long, value_name = "乡镇")]
        township: Option<String>,
    },
    /// 监视数据目录：放入或修改报表后自动重新生成（按 Ctrl+C 结束）
    #[command(help_template = TEMPLATE, next_help_heading = "选项", override_usage = "jianbao watch [选项]", after_help = "示例：\n  jianbao watch\n  jianbao watch --draft")]
    Watch {
        #[command(flatten)]
        build: BuildArgs,
    },
    /// 为另一个县新建数据目录：带说明的 plan.yaml 样板、config.yaml 和空的 submissions 文件夹
    #[command(help_template = TEMPLATE, next_help_heading = "选项", override_usage = "jianbao init <目录> [--county 县名] [--years 起始年-结束年]", after_help = "示例：\n  jianbao init 某某县数据\n  jianbao init 青石县数据 --county 青石县 --years 2021-2025")]
    Init {
        /// 要新建的数据目录
        #[arg(value_name = "目录")]
        dir: PathBuf,
        /// 县名，填入样板（不写时为“某某县”，之后在 plan.yaml 中改写）
        #[arg(long, value_name = "县名")]
        county: Option<String>,
        /// 规划年份，如 2021-2025（不写时为今年起三年）
        #[arg(long, value_name = "起始年-结束年", value_parser = years)]
        years: Option<(u16, u16)>,
    },
}

#[derive(clap::Args, Clone, Copy, Default)]
struct BuildArgs {
    /// 数据有错误时仍生成，每页加“草稿”水印
    #[arg(long)]
    draft: bool,
    /// 同时保存每份文件的 Typst 源文件和数据（可用 typst compile --font-path fonts 重现）
    #[arg(long)]
    keep_typst: bool,
    /// 全部重新生成，即使输入没有变化
    #[arg(long)]
    force: bool,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Text,
    Json,
}

fn main() -> ExitCode {
    quiet_when_the_reader_goes_away();
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => return usage_error(e),
    };
    let c = cli.common;
    let out = c.out.clone();
    let opts = Options {
        data: c.data,
        out: c.out,
        period: c.period,
        fonts: c.fonts,
        templates: c.templates,
        draft: false,
        keep_typst: false,
        system_fonts: c.system_fonts,
        force: false,
        program: jianbao::bundled::BUILD_ID.to_string(),
        today: c.today,
        formats: c.formats,
    };
    if let Some(msg) = opts.formats.as_deref().and_then(jianbao::config::formats_refused) {
        return usage_error_text(&msg);
    }
    let command = match cli.command {
        None => Command::Build { build: cli.build },
        // A build's options before another command (`jianbao --force check`).
        Some(_) if cli.build.any() => {
            return usage_error_text("--draft、--force、--keep-typst 是生成的选项，只能单独用（jianbao --force）或写在 build 之后（jianbao build --force）");
        }
        Some(command) => command,
    };
    let writes_overview = matches!(command, Command::Build { .. } | Command::Status { .. } | Command::Watch { .. });
    let result = match command {
        Command::Build { build } => run_build(&build.apply(opts)),
        Command::Check { format } => jianbao::check(&opts).map(|c| {
            match format {
                Format::Text => print::diagnostics(&c.diagnostics, c.files_read),
                Format::Json => println!("{}", serde_json::to_string_pretty(&c.diagnostics).expect("serialisable")),
            }
            c.has_errors()
        }),
        Command::Publish { quarter, year, bind: _, date, correction, skip_earlier } => {
            let target = match (quarter, year, opts.period) {
                (Some(q), ..) => archive::Target::Quarter(q),
                (None, Some(y), _) => archive::Target::Volume(y),
                (None, None, Some(p)) => archive::Target::Month(p),
                (None, None, None) => unreachable!("clap requires --period, --quarter or --year"),
            };
            archive::publish(&opts, &archive::Request { target, date, correction, skip_earlier }).map(|p| {
                p.recovered.iter().for_each(|r| println!("{r}"));
                print::diagnostics(&p.diagnostics, p.files_read);
                print::outcome(&p.outcome)
            })
        }
        Command::Verify { volume: None } => archive::verify(&opts.out).map(|v| print::verified(&v)),
        Command::Verify { volume: Some(v) } => archive::anchor::check(&opts.out, &v).map(|c| print::volume_checked(&c)),
        Command::Status { year, format } => run_status(&opts, year, format),
        Command::Template { township } => match opts.period {
            Some(p) => jianbao::templates(&opts, p, township.as_deref()).map(|written| {
                written.iter().for_each(|w| println!("已写入 {}", w.display()));
                false
            }),
            None => Err(jianbao::error::Error::Usage { msg: "请用 --period YYYY-MM 指定空白报表的月份（年-月）".into() }),
        },
        Command::Watch { build } => run_watch(&build.apply(opts)),
        Command::Init { dir, county, years } => {
            let mut start = jianbao::init::Start::placeholder();
            start.county = county.unwrap_or(start.county);
            (start.first, start.last) = years.unwrap_or((start.first, start.last));
            init(&dir, &start)
        }
    };
    let out = std::path::absolute(&out).unwrap_or(out);
    let code = match &result {
        Ok(false) => ExitCode::SUCCESS,
        Ok(true) => ExitCode::from(1),
        Err(e) => {
            eprintln!("错误：{e}");
            ExitCode::from(2)
        }
    };
    let page = out.join(jianbao::overview::FILE);
    let page = (writes_overview && result.is_ok() && page.is_file()).then_some(page.as_path());
    console::pause_if_double_clicked(
        &match result {
            Ok(_) => format!("生成的文件在 {} 中。", out.display()),
            Err(_) => "如果还没有数据文件夹：在上面所说的文件夹中新建 data 文件夹（双击运行时即 jianbao.exe 所在的文件夹），放入 plan.yaml、config.yaml 和各乡镇报表；\n或在命令提示符中运行 jianbao init 数据 新建一个，再运行 jianbao --data 数据。".into(),
        },
        page,
    );
    code
}

impl BuildArgs {
    /// Whether any of a build's own options is given.
    fn any(&self) -> bool {
        self.draft || self.force || self.keep_typst
    }

    fn apply(self, opts: Options) -> Options {
        Options { draft: self.draft, keep_typst: self.keep_typst, force: self.force, ..opts }
    }
}

fn run_build(opts: &Options) -> jianbao::error::Result<bool> {
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
fn run_status(opts: &Options, year: Option<u16>, format: Format) -> jianbao::error::Result<bool> {
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
            let pending = c.diagnostics.iter().filter(|d| d.code == jianbao::archive::numbering::CORRECTION_PENDING);
            pending.for_each(|d| println!("\n更正待签发（{}）：{}", d.location(), d.message));
        }
        Format::Json => println!("{}", serde_json::to_string_pretty(&board).expect("serialisable")),
    }
    Ok(false)
}

fn run_watch(opts: &Options) -> jianbao::error::Result<bool> {
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

/// Usage errors in Chinese; `--help` and `--version` print as asked.
/// Output piped into a reader that closes early (`jianbao verify | head -1`) ends the program
/// quietly, as command-line tools end: Rust's `println!` panics on a closed pipe (EPIPE, or
/// ERROR_NO_DATA on Windows), and that one panic is turned into a plain exit.
fn quiet_when_the_reader_goes_away() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let payload = info.payload();
        let msg = payload.downcast_ref::<String>().map(String::as_str).or_else(|| payload.downcast_ref::<&str>().copied()).unwrap_or_default();
        if msg.starts_with("failed printing to std") && (msg.contains("(os error 32)") || msg.contains("(os error 232)")) {
            std::process::exit(0);
        }
        default(info);
    }));
}

fn usage_error(e: clap::Error) -> ExitCode {
    use clap::error::{ContextKind, ErrorKind};
    match e.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            let _ = e.print();
            return ExitCode::SUCCESS;
        }
        _ => {}
    }
    let arg = e.get(ContextKind::InvalidArg).map(|a| a.to_string()).unwrap_or_default();
    let value = e.get(ContextKind::InvalidValue).map(|v| v.to_string()).unwrap_or_default();
    let msg = match e.kind() {
        ErrorKind::ValueValidation | ErrorKind::InvalidValue => match std::error::Error::source(&e) {
            Some(reason) => format!("{arg} 的值“{value}”有误：{reason}"),
            None => format!("{arg} 的值“{value}”有误"),
        },
        ErrorKind::UnknownArgument => format!("不认识的参数 {arg}"),
        ErrorKind::InvalidSubcommand => format!("不认识的命令 {}", e.get(ContextKind::InvalidSubcommand).map(|v| v.to_string()).unwrap_or_default()),
        ErrorKind::MissingRequiredArgument => format!("缺少必需的参数 {}", e.get(ContextKind::InvalidArg).map(|a| a.to_string()).unwrap_or_default()),
        ErrorKind::ArgumentConflict => format!("参数 {arg} 不能与其他参数同时使用"),
        _ => e.to_string(),
    };
    usage_error_text(&msg)
}

fn usage_error_text(msg: &str) -> ExitCode {
    eprintln!("用法错误：{msg}\n用 jianbao --help 查看用法。");
    ExitCode::from(2)
}

/// `jianbao init`: the folder, and what to do next.
fn init(dir: &std::path::Path, start: &jianbao::init::Start) -> jianbao::error::Result<bool> {
    jianbao::init::init(dir, start).map(|done| {
        done.written.iter().for_each(|w| println!("已创建 {}", w.display()));
        if !done.kept.is_empty() {
            done.kept.iter().for_each(|k| println!("已存在，保留原文件、未改动：{}", k.display()));
            println!("文件夹中原有的其他文件（报表、稿件等）不改动。");
        }
        println!("请按本县规划改写 plan.yaml 和 config.yaml，然后把报表放进 submissions/、当月稿件放进 稿件/年-月/，运行 jianbao --data {}", dir.display());
        false
    })
}

/// `--years 2021-2025` (or `2021—2025`).
fn years(s: &str) -> Result<(u16, u16), String> {
    let err = || format!("规划年份应写作 起始年-结束年，如 2021-2025，实际为“{s}”");
    let (a, b) = s.split_once(['-', '—', '–', '~']).ok_or_else(err)?;
    Ok((a.trim().parse().map_err(|_| err())?, b.trim().parse().map_err(|_| err())?))
}
