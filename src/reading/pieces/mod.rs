//! 稿件: the work news (信息稿) townships and departments send for a month's bulletin. One
//! rule places them: `稿件/<YYYY-MM>/` under the data folder holds the pieces of that month, as
//! .docx, .txt or .md. A sub-folder `经验做法/` (or a file name beginning 经验做法) marks a piece
//! for the 经验做法 section; `不采用/` (or a name beginning 不采用) leaves it out without deleting
//! it. A number at the start of the file name orders the pieces, then the name.
//!
//! A piece's title is its first paragraph, its source a `来源：`/`供稿：` line (else the file
//! name), its body the other paragraphs. Its text is data: set literally, never as markup.

pub mod content;
mod doc;
pub mod docx;
mod odt;
pub mod photo;
mod rtf;
mod xml;

pub use content::{Block, Photo};
use content::{Content, Raw};

use serde::Serialize;

use crate::base::diag::Diagnostic;
use crate::base::period::Period;
use crate::setup::inputs::File;
use crate::setup::plan::Plan;

use crate::setup::inputs::discover::extension;
pub use crate::setup::inputs::discover::{in_pieces_folder as in_folder, is_piece, PIECES_FOLDER as FOLDER};
use crate::setup::inputs::kind::Kind as FileKind;
/// A piece longer than this (characters of its body) gets a warning.
pub const LONG: usize = 1500;
/// Characters above which a piece is not set at all (E-PIECE-TOO-LONG): a whole book pasted
/// into a news item would make a bulletin of thousands of pages.
pub const TOO_LONG: usize = 10_000;
/// A first paragraph longer than this is probably not a title.
const LONG_TITLE: usize = 50;
const LEFT_OUT: &str = "不采用";
const PRACTICE: &str = "经验做法";

/// Which section of the bulletin a piece goes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// 工作动态
    News,
    /// 经验做法
    Practice,
    /// 不采用: kept in the folder, not set.
    LeftOut,
}

impl Kind {
    pub fn label(self) -> &'static str {
        match self {
            Kind::News => "工作动态",
            Kind::Practice => PRACTICE,
            Kind::LeftOut => LEFT_OUT,
        }
    }
}

/// One piece, read.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Piece {
    /// Path relative to the data folder, `/`-separated.
    pub file: String,
    pub period: Period,
    pub kind: Kind,
    /// The number at the start of the file name, if any: the piece's place in its section.
    pub number: Option<u32>,
    pub title: String,
    /// 乡镇 or 单位, as written.
    pub source: Option<String>,
    /// The plan's township the source names, if it names one.
    pub township: Option<String>,
    /// Paragraphs, tables and photos, in order (the title and the source line taken out).
    pub body: Vec<Block>,
    pub sha256: String,
    /// Photo files beside it that it sets: path and SHA-256 (archived with the bulletin).
    pub photo_files: Vec<(String, String)>,
}

impl Piece {
    /// The order within a section: numbered pieces first, by number, then by file name.
    pub fn order(&self) -> (u32, &str) {
        (self.number.unwrap_or(u32::MAX), file_name(&self.file))
    }

    /// The text paragraphs of the body.
    pub fn paragraphs(&self) -> impl Iterator<Item = &str> {
        self.body.iter().filter_map(|b| match b {
            Block::Paragraph { text } => Some(text.as_str()),
            _ => None,
        })
    }

    /// Every text the piece sets: paragraphs, table cells and captions.
    pub fn texts(&self) -> impl Iterator<Item = &str> {
        self.body.iter().flat_map(|b| -> Box<dyn Iterator<Item = &str> + '_> {
            match b {
                Block::Paragraph { text } => Box::new(std::iter::once(text.as_str())),
                Block::Table { rows } => Box::new(rows.iter().flatten().map(String::as_str)),
                Block::Photo(p) => Box::new(p.caption.as_deref().into_iter()),
            }
        })
    }

    /// The photos of the body.
    pub fn photos(&self) -> impl Iterator<Item = &Photo> {
        self.body.iter().filter_map(|b| match b {
            Block::Photo(p) => Some(p),
            _ => None,
        })
    }

    /// Characters of the body's text.
    pub fn chars(&self) -> usize {
        self.texts().map(|p| p.chars().count()).sum()
    }
}

/// The month of a piece's folder, if it is in one: errors in a piece stop only that month.
pub fn month_of(rel: &str) -> Option<Period> {
    let mut parts = rel.split('/');
    (parts.next() == Some(FOLDER)).then(|| parts.next()?.parse().ok()).flatten()
}

/// The pieces of one month that are set, in the order of their sections: 工作动态, 经验做法.
pub fn of_month(pieces: &[Piece], period: Period) -> Vec<&Piece> {
    let mut out: Vec<&Piece> = pieces.iter().filter(|p| p.period == period && p.kind != Kind::LeftOut).collect();
    out.sort_by(|a, b| (a.kind, a.order()).cmp(&(b.kind, b.order())));
    out
}

/// Reads every piece; what cannot be read, or is not where a piece belongs, is a diagnostic.
/// A photo file goes with the piece in its folder whose file name (without extension) its
/// own begins with; one that goes with no piece is passed over with a note.
/// `reports`: the months with reports, for a folder named by its month alone (`3月稿件`).
pub fn read(files: &[File], plan: &Plan, reports: &[Period]) -> (Vec<Piece>, Vec<Diagnostic>) {
    let (photos, documents): (Vec<&File>, Vec<&File>) = files.iter().partition(|f| crate::setup::inputs::discover::is_photo(&f.rel));
    let mut pieces = Vec::new();
    let mut diags = Vec::new();
    let mut taken = std::collections::BTreeSet::new();
    for f in documents {
        let beside: Vec<&File> = photos.iter().copied().filter(|p| goes_with(&p.rel, &f.rel)).collect();
        taken.extend(beside.iter().map(|p| p.rel.clone()));
        pieces.extend(read_one(f, &beside, plan, reports, &mut diags));
    }
    for p in photos.iter().filter(|p| !taken.contains(&p.rel)) {
        let msg = "这张照片的文件名不以某篇稿件的文件名开头，不知道属于哪篇稿件，已跳过。请把它改名为“稿件文件名-1.jpg”。";
        diags.push(Diagnostic::note("N-SKIPPED", &p.rel, msg));
    }
    (pieces, diags)
}

/// Whether the photo at `photo` goes with the piece at `piece`: the same folder, and its name
/// begins with the piece's name without extension.
fn goes_with(photo: &str, piece: &str) -> bool {
    let (Some((pf, pname)), Some((df, dname))) = (photo.rsplit_once('/'), piece.rsplit_once('/')) else { return false };
    let stem = dname.rsplit_once('.').map_or(dname, |(s, _)| s);
    pf == df && pname.starts_with(stem)
}

/// A warning for each piece of a month without workbooks: there is no bulletin to set it in.
pub fn without_bulletin(pieces: &[Piece], reports: &[crate::reading::submission::Report]) -> Vec<Diagnostic> {
    pieces
        .iter()
        .filter(|p| p.kind != Kind::LeftOut && !reports.iter().any(|r| r.period == p.period))
        .map(|p| Diagnostic::warning("W-PIECE-MONTH", &p.file, format!("{}没有乡镇报表，不出简报，此稿件未采用。", p.period.chinese())))
        .collect()
}

/// A piece in a folder named by its month alone (`稿件/3月稿件/…`, `稿件/3月/…`): placed in that
/// month of the one year whose reports have it, with a note on the folder saying what to rename
/// it to; when no year or several have that month, the warning says what to rename it to.
fn yearless(rel: &str, reports: &[Period], diags: &mut Vec<Diagnostic>) -> Option<Result<Place, Box<Diagnostic>>> {
    let folder = rel.split('/').nth(1)?;
    let month: u8 = crate::base::text::fold_width(folder).trim_end_matches("稿件").trim_end_matches('份').strip_suffix('月')?.trim().parse().ok()?;
    let mut years: Vec<u16> = reports.iter().filter(|p| p.month == month).map(|p| p.year).collect();
    years.sort();
    years.dedup();
    let at = format!("{FOLDER}/{folder}");
    let [year] = years.as_slice() else {
        let msg = format!(
            "文件夹“{at}”没有写年份，无法确定是哪一年的{month}月，此稿件未采用。请把文件夹改名为“{FOLDER}/年-{month:02}”（如 {FOLDER}/YYYY-{month:02}）。"
        );
        return Some(Err(Box::new(Diagnostic::warning("W-PIECE-PLACE", rel, msg))));
    };
    let period = Period::new(*year, month)?;
    let msg = format!("文件夹“{at}”没有写年份，只有{year}年有{month}月的报表，其中的稿件按{}读取。建议改名为“{FOLDER}/{period}”。", period.chinese());
    diags.push(Diagnostic::note("N-PIECE-YEAR", &at, msg));
    let rest = rel.split_once(folder).map(|(_, r)| r).unwrap_or_default();
    Some(place(&format!("{FOLDER}/{period}{rest}")))
}

/// Where a piece's path puts it.
struct Place {
    period: Period,
    kind: Kind,
    number: Option<u32>,
    /// The file name without extension, number and marker.
    rest: String,
}

fn place(rel: &str) -> Result<Place, Box<Diagnostic>> {
    let parts: Vec<&str> = rel.split('/').collect();
    let misplaced = || {
        let msg = format!("稿件应放在“{FOLDER}/年-月/”文件夹中（如 {FOLDER}/YYYY-MM/，即年-月），可再分“{PRACTICE}/”“{LEFT_OUT}/”子文件夹；此文件未采用。");
        Box::new(Diagnostic::warning("W-PIECE-PLACE", rel, msg))
    };
    let period: Period = month_of(rel).ok_or_else(misplaced)?;
    let folder_kind = match parts.len() {
        3 => None,
        4 if parts[2] == LEFT_OUT => Some(Kind::LeftOut),
        4 if parts[2] == PRACTICE => Some(Kind::Practice),
        _ => return Err(misplaced()),
    };
    let stem = file_name(rel).rsplit_once('.').map_or(file_name(rel), |(s, _)| s);
    let (number, stem) = number_prefix(stem);
    let (name_kind, rest) = match (stem.strip_prefix(LEFT_OUT), stem.strip_prefix(PRACTICE)) {
        (Some(rest), _) => (Some(Kind::LeftOut), rest),
        (_, Some(rest)) => (Some(Kind::Practice), rest),
        _ => (None, stem),
    };
    let kind = [folder_kind, name_kind].into_iter().flatten().max().unwrap_or(Kind::News);
    Ok(Place { period, kind, number, rest: rest.trim_start_matches(is_separator).to_string() })
}

fn read_one(f: &File, photos: &[&File], plan: &Plan, reports: &[Period], diags: &mut Vec<Diagnostic>) -> Option<Piece> {
    let placed = place(&f.rel).or_else(|misplaced| yearless(&f.rel, reports, diags).unwrap_or(Err(misplaced)));
    let place = placed.map_err(|d| diags.push(*d)).ok()?;
    let mut found = Vec::new();
    let paragraphs = paragraphs(f, &mut found);
    // A piece left out stops nothing: what is wrong with it is only noted.
    if place.kind == Kind::LeftOut {
        found.iter_mut().for_each(|d| d.severity = crate::base::diag::Severity::Note);
    }
    diags.extend(found);
    let mut content = paragraphs?;
    // Photos beside the piece come after its text, in the order of their names.
    content.blocks.extend(photos.iter().map(|p| Raw::Picture { bytes: p.bytes.to_vec(), description: None }));
    let Some(at) = content.blocks.iter().position(|b| matches!(b, Raw::Paragraph(_))) else {
        diags.push(Diagnostic::warning("W-PIECE-EMPTY", &f.rel, "稿件没有文字，未采用。"));
        return None;
    };
    let Raw::Paragraph(title) = content.blocks.remove(at) else { unreachable!("a paragraph") };
    let mut source = None;
    content.blocks.retain(|b| match b {
        Raw::Paragraph(p) if source.is_none() => source_line(p).map(|s| source = Some(s)).is_none(),
        _ => true,
    });
    let body = blocks(content, &f.rel, place.kind, diags);
    let source = source.or_else(|| source_in_name(&place.rest, plan));
    let township = source.as_deref().and_then(|s| township_of(s, plan));
    let piece = Piece {
        file: f.rel.clone(),
        period: place.period,
        kind: place.kind,
        number: place.number,
        title,
        source,
        township,
        body,
        sha256: f.sha256.clone(),
        photo_files: photos.iter().map(|p| (p.rel.clone(), p.sha256.clone())).collect(),
    };
    if piece.chars() > TOO_LONG {
        let msg = format!("稿件正文有{}字，超过上限{TOO_LONG}字，未排印。请确认文件是否放错，或删节后重新放入。", piece.chars());
        let severity = if piece.kind == Kind::LeftOut { crate::base::diag::Severity::Note } else { crate::base::diag::Severity::Error };
        diags.push(Diagnostic::new(severity, "E-PIECE-TOO-LONG", &f.rel, msg));
        return None;
    }
    if piece.kind != Kind::LeftOut {
        diags.extend(warnings(&piece));
    }
    Some(piece)
}

/// What the office should look at before the piece is set.
fn warnings(p: &Piece) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let w = |code: &str, msg: String| Diagnostic::warning(code, &p.file, msg);
    if p.paragraphs().next().is_none() {
        out.push(w("W-PIECE-EMPTY", format!("稿件只有标题“{}”，没有正文。", p.title)));
    }
    if p.title.chars().count() > LONG_TITLE {
        out.push(w("W-PIECE-TITLE", format!("第一段当作标题，但有{}字，请确认稿件第一段是标题。", p.title.chars().count())));
    }
    if p.source.is_none() {
        out.push(w("W-PIECE-SOURCE", "稿件没有注明来源。请在稿件中加一行“来源：××乡”，或在文件名中写明（如 01-××乡-标题.docx）。".into()));
    }
    if p.chars() > LONG {
        out.push(w("W-PIECE-LONG", format!("稿件正文有{}字，超过{LONG}字，请精简（程序不会删节）。", p.chars())));
    }
    out
}

/// The paragraphs of a piece's file, by its format as its bytes say (a .doc named .docx is
/// read as a .doc); a file that cannot be read is an error naming it.
fn paragraphs(f: &File, diags: &mut Vec<Diagnostic>) -> Option<Content> {
    let kind = FileKind::of(&f.bytes);
    let read = match kind {
        FileKind::Docx => docx::read(&f.bytes),
        FileKind::Doc => doc::read(&f.bytes),
        FileKind::Odt => odt::read(&f.bytes),
        FileKind::Rtf => rtf::read(&f.bytes),
        FileKind::Text | FileKind::Csv | FileKind::Empty => return text(f, diags),
        FileKind::Pdf => {
            let msg = "PDF 稿件的文字无法可靠取出（排版后的 PDF 不保留段落）。请向来稿单位要 Word 或 WPS 原稿（.docx、.doc、.wps），或另存为 .txt 后放回原处。";
            diags.push(Diagnostic::error("E-PIECE-FORMAT", &f.rel, msg));
            return None;
        }
        FileKind::Encrypted => Err("稿件设有密码，无法读取。请来稿单位取消打开密码后重新发送".to_string()),
        other => Err(format!("这是{}，不是稿件文档。稿件应为 Word、WPS 文字文档（.docx、.doc、.wps）、.odt、.rtf 或 .txt", other.label())),
    };
    let doc = read.map_err(|e| diags.push(Diagnostic::error("E-PIECE-READ", &f.rel, format!("无法读取稿件：{e}。")))).ok()?;
    for n in &doc.passed_over {
        diags.push(Diagnostic::note("N-PIECE-IMAGE", &f.rel, format!("第{n}段附近的图形（文本框、绘图或嵌入对象）未采用，简报只排照片。")));
    }
    if doc.revisions {
        let msg = "稿件含有修订痕迹，按修订前的原文排印。请在 Word/WPS 中“接受”或“拒绝”全部修订后保存。";
        diags.push(Diagnostic::warning("W-PIECE-REVISIONS", &f.rel, msg));
    }
    if doc.comments {
        diags.push(Diagnostic::note("N-PIECE-COMMENTS", &f.rel, "稿件中的批注未采用。"));
    }
    Some(doc)
}

/// A plain-text piece (.txt, or Markdown by its name) in whatever encoding it was saved.
fn text(f: &File, diags: &mut Vec<Diagnostic>) -> Option<Content> {
    let Some(text) = crate::base::text::decode(&f.bytes) else {
        let msg = "稿件的文字编码无法识别。请用记事本打开，另存为“UTF-8”编码。";
        diags.push(Diagnostic::error("E-PIECE-ENCODING", &f.rel, msg));
        return None;
    };
    let paragraphs = if extension(&f.rel) == "md" { markdown(&text) } else { lines(&text) };
    Some(Content { blocks: paragraphs.into_iter().map(Raw::Paragraph).collect(), ..Content::default() })
}

/// The body as the bulletin sets it: pictures made photos (scaled, at most
/// `photo::MOST_PER_PIECE`; a picture that is no photo is noted, a broken one is an error),
/// and each photo captioned.
fn blocks(content: Content, rel: &str, kind: Kind, diags: &mut Vec<Diagnostic>) -> Vec<Block> {
    let pictures = content.blocks.iter().filter(|b| matches!(b, Raw::Picture { .. })).count();
    let severity = if kind == Kind::LeftOut { crate::base::diag::Severity::Note } else { crate::base::diag::Severity::Error };
    if pictures > photo::MOST_PER_PIECE {
        let msg = format!("稿件中有{pictures}张图片，超过上限{}张。请只留下最能说明问题的一两张照片。", photo::MOST_PER_PIECE);
        diags.push(Diagnostic::new(severity, "E-PIECE-IMAGE", rel, msg));
    }
    let mut out = Vec::new();
    let mut n = 0;
    for b in content.blocks {
        match b {
            Raw::Paragraph(text) => out.push((Block::Paragraph { text }, None)),
            Raw::Table(rows) => out.push((Block::Table { rows }, None)),
            Raw::Picture { bytes, description } => {
                n += 1;
                if n > photo::MOST_PER_PIECE {
                    continue; // already an error above: not decoded
                }
                match photo::prepare(&bytes) {
                    Ok(p) => out.push((Block::Photo(p), description)),
                    Err(photo::NotSet::Format) => {
                        diags.push(Diagnostic::note("N-PIECE-IMAGE", rel, format!("第{n}张图片不是照片格式（如 EMF、WMF 绘图），未采用。")))
                    }
                    Err(photo::NotSet::Bad(why)) => {
                        diags.push(Diagnostic::new(severity, "E-PIECE-IMAGE", rel, format!("第{n}张图片无法使用：{why}。请换一张 JPEG 或 PNG 照片。")))
                    }
                }
            }
        }
    }
    content::caption_photos(out)
}

/// A .txt piece: each non-empty line is a paragraph (indenting spaces are dropped).
fn lines(text: &str) -> Vec<String> {
    text.lines().map(trim).filter(|l| !l.is_empty()).map(str::to_string).collect()
}

/// A .md piece: paragraphs are separated by blank lines, and a heading (`# …`) is a paragraph
/// of its own without its marks; nothing else of Markdown is interpreted.
fn markdown(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut current = String::new();
    let flush = |current: &mut String, out: &mut Vec<String>| {
        if !current.is_empty() {
            out.push(std::mem::take(current));
        }
    };
    for line in text.lines().map(trim) {
        if line.is_empty() {
            flush(&mut current, &mut out);
        } else if let Some(heading) = line.strip_prefix('#') {
            flush(&mut current, &mut out);
            current.push_str(trim(trim(heading.trim_start_matches('#')).trim_end_matches('#')));
            flush(&mut current, &mut out);
        } else {
            if current.chars().next_back().zip(line.chars().next()).is_some_and(|(a, b)| a.is_ascii_alphanumeric() && b.is_ascii_alphanumeric()) {
                current.push(' ');
            }
            current.push_str(line);
        }
    }
    flush(&mut current, &mut out);
    out
}

fn trim(s: &str) -> &str {
    s.trim_matches(|c: char| c.is_whitespace())
}

/// `来源：南村乡`, `供稿：县扶贫办`, also in brackets: the source it names.
fn source_line(p: &str) -> Option<String> {
    let inner = p.trim_start_matches(['（', '(']).trim_end_matches(['）', ')']);
    let rest = ["稿件来源", "供稿单位", "来源", "供稿"].iter().find_map(|label| inner.strip_prefix(label))?;
    let value = trim(rest.strip_prefix(['：', ':'])?);
    (!value.is_empty()).then(|| value.to_string())
}

/// The source a file name gives: its first part (`南村乡-推进会`), or a township of the plan
/// it begins with (`段村乡花椒产业…`).
fn source_in_name(rest: &str, plan: &Plan) -> Option<String> {
    let parts: Vec<&str> = rest.split(is_separator).filter(|s| !s.is_empty()).collect();
    match parts.as_slice() {
        [first, _, ..] => Some(first.to_string()),
        _ => plan.townships.iter().find(|t| rest.starts_with(t.as_str())).cloned(),
    }
}

/// The plan's township a source names: itself, its short name, or a name beginning with it
/// (`南村乡人民政府`).
fn township_of(source: &str, plan: &Plan) -> Option<String> {
    let exact = plan.townships.iter().find(|t| t.as_str() == source).or_else(|| plan.township_from_short(source));
    exact.or_else(|| plan.townships.iter().find(|t| source.starts_with(t.as_str()))).cloned()
}

/// A number at the start of a file name (`01-`, `２、`), and the rest.
fn number_prefix(stem: &str) -> (Option<u32>, &str) {
    let digits: String = stem.chars().take_while(|c| c.is_ascii_digit() || ('０'..='９').contains(c)).collect();
    if digits.is_empty() {
        return (None, stem);
    }
    // Full-width digits count like ASCII ones; a number too long for u32 is no number.
    let value = digits.chars().try_fold(0u32, |n, c| n.checked_mul(10)?.checked_add(c.to_digit(10).unwrap_or_else(|| c as u32 - '０' as u32)));
    let rest = stem[digits.len()..].trim_start_matches(|c: char| is_separator(c) || "、.．".contains(c));
    (value, rest)
}

fn is_separator(c: char) -> bool {
    matches!(c, '-' | '_' | '－' | '—' | '＿' | ' ' | '　')
}

fn file_name(rel: &str) -> &str {
    rel.rsplit('/').next().unwrap_or(rel)
}

#[cfg(test)]
mod tests;
