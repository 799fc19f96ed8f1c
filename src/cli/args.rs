//! The command line's arguments: the commands, their options (help in Chinese) and what they
//! make of them (`Options`, a publication's target).

use std::path::PathBuf;

use clap::{ArgAction, Parser, Subcommand, ValueEnum};
use jianbao::archive;
use jianbao::period::{Date, Period, Quarter, Span};
use jianbao::Options;

pub const TEMPLATE: &str = "{about-with-newline}\n用法：{usage}\n\n{all-args}{after-help}";

/// 简报：把各乡镇报送的月报表生成为正式的脱贫攻坚工作简报（PDF）、季度汇总和汇总表。
#[derive(Parser)]
#[command(name = "jianbao", version, long_about = None, help_template = TEMPLATE,
    disable_help_flag = true, disable_version_flag = true, disable_help_subcommand = true,
    subcommand_help_heading = "命令", subcommand_value_name = "命令", override_usage = "jianbao [命令] [选项]",
    after_help = "示例：\n  jianbao                              按 data/ 中的报表生成全部文件到 out/\n  jianbao check                        只检查报表，列出全部问题\n  jianbao build --period 2018-03       只生成 2018年3月的简报\n  jianbao template --period 2018-07    生成 7月的空白报表，发给各乡镇\n  jianbao watch                        放入报表即自动重新生成\n  jianbao publish --period 2018-03 --date 2018-04-05   签发 3月简报\n\n用 jianbao <命令> --help 查看每个命令的说明。")]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    #[command(flatten)]
    pub common: Common,
    /// Without a command, `jianbao` is `jianbao build`: its options too (`jianbao --force`).
    #[command(flatten, next_help_heading = "生成选项（不写命令时即 build）")]
    pub build: BuildArgs,
}

#[derive(clap::Args, Clone)]
#[command(next_help_heading = "通用选项")]
pub struct Common {
    /// 数据目录，含 plan.yaml、config.yaml 和各乡镇报表（默认 data）
    #[arg(long, global = true, default_value = "data", hide_default_value = true, value_name = "目录")]
    pub data: PathBuf,
    /// 输出目录（默认 out）
    #[arg(long, global = true, default_value = "out", hide_default_value = true, value_name = "目录")]
    pub out: PathBuf,
    /// 只处理这个月份，格式 YYYY-MM，例如 2018-03
    #[arg(long, global = true, value_name = "年-月")]
    pub period: Option<Period>,
    /// 另用这个目录中的字体，优先于数据目录中的 fonts/ 和内置字体
    #[arg(long, global = true, value_name = "目录")]
    pub fonts: Option<PathBuf>,
    /// 另用这个目录中的模板：其中的文件代替数据目录中和内置的同名模板
    #[arg(long, global = true, value_name = "目录")]
    pub templates: Option<PathBuf>,
    /// 使用本机安装的字体（仿宋_GB2312、方正小标宋简体等，名称见 config.yaml），附带字体作为后备
    #[arg(long, global = true)]
    pub system_fonts: bool,
    /// 判断报表是否逾期所用的日期，格式 YYYY-MM-DD（也可在 config.yaml 中写 today）
    #[arg(long, global = true, value_name = "日期")]
    pub today: Option<Date>,
    /// 输出格式：pdf，或 pdf,ofd（另在每份 PDF 旁生成 OFD 版式文件）；默认按 config.yaml 中的 formats
    #[arg(long, global = true, value_delimiter = ',', value_name = "格式")]
    pub formats: Option<Vec<jianbao::config::Format>>,
    /// 显示帮助
    #[arg(short, long, global = true, action = ArgAction::Help)]
    pub help: Option<bool>,
    /// 显示版本
    #[arg(short = 'V', long, action = ArgAction::Version)]
    pub version: Option<bool>,
}

#[derive(Subcommand)]
pub enum Command {
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
    #[command(help_template = TEMPLATE, next_help_heading = "选项", override_usage = "jianbao publish (--period 年-月 | --quarter 年-Q季 | --xun 年-月旬 | --year 年 --bind) [--date 日期] [--correction] [--skip-earlier]",
        after_help = "示例：\n  jianbao publish --period 2018-03 --date 2018-04-05\n  jianbao publish --quarter 2018-Q1 --date 2018-04-10\n  jianbao publish --xun 2019-03上旬 --date 2019-03-12\n  jianbao publish --period 2018-03 --date 2018-04-20 --correction\n  jianbao publish --year 2018 --bind --date 2019-01-15   装订 2018 年已签发的简报和季度汇总")]
    Publish {
        /// 签发的季度汇总，格式 YYYY-Qn，例如 2018-Q1（与 --period 二选一）
        #[arg(long, conflicts_with_all = ["period", "year", "xun"], required_unless_present_any = ["period", "year", "xun"], value_name = "年-Q季")]
        quarter: Option<Quarter>,
        /// 签发的旬报，格式 YYYY-MM上旬（中旬、下旬），例如 2019-03上旬
        #[arg(long, conflicts_with_all = ["period", "year"], value_name = "年-月旬", value_parser = xun)]
        xun: Option<Span>,
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
pub struct BuildArgs {
    /// 数据有错误时仍生成，每页加“草稿”水印
    #[arg(long)]
    pub draft: bool,
    /// 同时保存每份文件的 Typst 源文件和数据（可用 typst compile --font-path fonts 重现）
    #[arg(long)]
    pub keep_typst: bool,
    /// 全部重新生成，即使输入没有变化
    #[arg(long)]
    pub force: bool,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum Format {
    Text,
    Json,
}

impl BuildArgs {
    /// Whether any of a build's own options is given.
    pub fn any(&self) -> bool {
        self.draft || self.force || self.keep_typst
    }

    pub fn apply(self, opts: Options) -> Options {
        Options { draft: self.draft, keep_typst: self.keep_typst, force: self.force, ..opts }
    }
}

impl Common {
    /// The run's options from the common arguments (a build's own options are `BuildArgs::apply`).
    pub fn options(self) -> Options {
        Options {
            data: self.data,
            out: self.out,
            period: self.period,
            fonts: self.fonts,
            templates: self.templates,
            draft: false,
            keep_typst: false,
            system_fonts: self.system_fonts,
            force: false,
            program: jianbao::bundled::BUILD_ID.to_string(),
            today: self.today,
            formats: self.formats,
        }
    }
}

/// What `publish` is asked to publish: a year's volume, or the document of the kind whose
/// `publish` option was given (clap requires one of `--quarter`, `--xun`, `--year` and
/// `--period`).
pub fn target(quarter: Option<Quarter>, xun: Option<Span>, year: Option<u16>, period: Option<Period>) -> Option<archive::Target> {
    let (option, span) = match (quarter, xun, year, period) {
        (Some(q), ..) => ("--quarter", Span::Quarter(q)),
        (None, Some(x), ..) => ("--xun", x),
        (None, None, Some(y), _) => return Some(archive::Target::Volume(y)),
        (None, None, None, Some(p)) => ("--period", Span::Month(p)),
        (None, None, None, None) => return None,
    };
    jianbao::documents::kinds::published_as(jianbao::documents::KINDS, option).map(|kind| archive::Target::Issue(kind, span))
}

/// `--xun 2019-03上旬`: a 旬 of a month.
fn xun(s: &str) -> Result<Span, String> {
    match s.trim().parse::<Span>() {
        Ok(span @ Span::Xun(..)) => Ok(span),
        _ => Err(format!("旬应写作 年-月上旬（中旬、下旬），如 2019-03上旬，实际为“{s}”")),
    }
}

/// `--years 2021-2025` (or `2021—2025`).
fn years(s: &str) -> Result<(u16, u16), String> {
    let err = || format!("规划年份应写作 起始年-结束年，如 2021-2025，实际为“{s}”");
    let (a, b) = s.split_once(['-', '—', '–', '~']).ok_or_else(err)?;
    Ok((a.trim().parse().map_err(|_| err())?, b.trim().parse().map_err(|_| err())?))
}
