//! `out/archive/manifest.json`: one entry per published document, with the SHA-256 of its PDF
//! and of every input, template and font that went into it. Only ever appended to, and
//! written atomically.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::base::error::{Error, Result};
use crate::base::output;
use crate::base::period::{Date, Span};
use crate::base::series::Series;

const FORMAT: u32 = 1;

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Manifest {
    pub format: u32,
    pub entries: Vec<Entry>,
    /// Periods the office declared it will never publish (`publish --skip-earlier`): they take
    /// no number, and publishing them is refused. Absent from manifests without any.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub skipped: Vec<Skip>,
}

/// A period declared never to be published, and when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Skip {
    pub series: Series,
    /// `2018-03` or `2018-Q1`.
    pub period: Span,
    /// The 签发日期 of the publication that declared it.
    pub declared: Date,
}

/// One published document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    /// 工作简报 or 季度汇总 (合订本 for a bound volume): each series is numbered within the year.
    pub series: Series,
    pub number: u32,
    pub year: u16,
    /// `2018-03` or `2018-Q1`.
    pub period: Span,
    pub title: String,
    /// 签发日期, written `YYYY-MM-DD`.
    pub published: Date,
    /// Relative to the archive folder: `2018/第03期-….pdf`.
    pub file: String,
    pub sha256: String,
    /// SM3 of the PDF (absent from manifests written before SM3 was recorded).
    #[serde(default)]
    pub sm3: String,
    /// The number this one corrects, for a correction.
    pub corrects: Option<u32>,
    /// The program that made it (a manifest written before build ids has only its version).
    #[serde(deserialize_with = "program_or_version")]
    pub jianbao: Program,
    pub inputs: Vec<Input>,
    /// The OFD archived beside the PDF (absent when OFD was not asked for).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ofd: Option<Copy>,
    /// The link to the entry before it in the manifest (absent from entries written before the
    /// chain): the SHA-256 and SM3 of that entry's canonical form, empty for the first entry.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub previous: Option<Link>,
}

/// Another format of the same document, archived beside its PDF: its file and digests.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Copy {
    /// Relative to the archive folder: `2018/第03期-….ofd`.
    pub file: String,
    pub sha256: String,
    pub sm3: String,
}

/// The digests of an entry's canonical form (its compact JSON, fields in declaration order).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Link {
    pub sha256: String,
    pub sm3: String,
}

impl Entry {
    /// What the next entry records as its `previous`.
    pub fn link(&self) -> Link {
        let canonical = serde_json::to_vec(self).expect("serialisable");
        Link { sha256: crate::setup::inputs::sha256(&canonical), sm3: crate::setup::inputs::sm3(&canonical) }
    }

    /// 第N期, 季度汇总第N期（更正第n期）…: the entry's number as its series labels it.
    pub fn issue_label(&self) -> String {
        self.series.issue_label(self.number, self.corrects)
    }

    /// The entry as its own PDF (and OFD) carries it: everything but the digests of its files.
    pub fn carried(&self) -> Entry {
        let ofd = self.ofd.as_ref().map(|o| Copy { file: o.file.clone(), ..Copy::default() });
        Entry { sha256: String::new(), sm3: String::new(), ofd, ..self.clone() }
    }

    /// Every archived file of the entry with its SHA-256 and SM3: the PDF, then the OFD.
    pub fn files(&self) -> Vec<(&str, &str, &str)> {
        let mut out = vec![(self.file.as_str(), self.sha256.as_str(), self.sm3.as_str())];
        out.extend(self.ofd.iter().map(|o| (o.file.as_str(), o.sha256.as_str(), o.sm3.as_str())));
        out
    }
}

/// The program that made a document: its version and its build id (a hash of its sources,
/// templates and fonts), so that a rebuilt program with the same version is told apart.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Program {
    pub version: String,
    pub build: String,
}

fn program_or_version<'de, D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Program, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Either {
        Program(Program),
        Version(String),
    }
    Ok(match Either::deserialize(d)? {
        Either::Program(p) => p,
        Either::Version(version) => Program { version, build: String::new() },
    })
}

impl std::fmt::Display for Program {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}（构建 {}）", self.version, self.build)
    }
}

/// What an input is, as the manifest writes it (`"workbook"`). Declared in the order of those
/// names, so that inputs sort as they always have.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum InputKind {
    Config,
    /// An archived document a bound volume binds.
    Document,
    Font,
    Piece,
    Plan,
    Template,
    Workbook,
}

impl InputKind {
    /// The data a document is made from (and carries as attachments), in the order attached.
    pub const DATA: [InputKind; 4] = [InputKind::Workbook, InputKind::Piece, InputKind::Plan, InputKind::Config];

    /// The name the manifest writes.
    pub fn as_str(self) -> &'static str {
        match self {
            InputKind::Config => "config",
            InputKind::Document => "document",
            InputKind::Font => "font",
            InputKind::Piece => "piece",
            InputKind::Plan => "plan",
            InputKind::Template => "template",
            InputKind::Workbook => "workbook",
        }
    }
}

impl PartialEq<&str> for InputKind {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

/// A file that went into a document.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Input {
    pub kind: InputKind,
    /// Relative to its folder (data, templates, fonts), or a full path for an installed font.
    pub path: String,
    pub sha256: String,
    #[serde(default)]
    pub sm3: String,
}

impl Input {
    /// Whether it is data the document was made from (and carries as an attachment), rather
    /// than the program's templates and fonts.
    pub fn is_data(&self) -> bool {
        InputKind::DATA.contains(&self.kind)
    }

    /// The same file as `other`: kind, path and SHA-256 (SM3 is recorded, not compared here).
    pub fn same(&self, other: &Input) -> bool {
        (&self.kind, &self.path, &self.sha256) == (&other.kind, &other.path, &other.sha256)
    }
}

impl Manifest {
    pub fn path(archive: &Path) -> PathBuf {
        archive.join("manifest.json")
    }

    /// The manifest of `archive`; empty if there is none yet.
    pub fn load(archive: &Path) -> Result<Manifest> {
        let path = Manifest::path(archive);
        match std::fs::read(&path) {
            Ok(bytes) => Manifest::parse(&bytes, &path),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Manifest { format: FORMAT, entries: Vec::new(), skipped: Vec::new() }),
            Err(e) => Err(Error::io("读取归档清单", &path, e)),
        }
    }

    /// The manifest from the bytes of `path`.
    pub fn parse(bytes: &[u8], path: &Path) -> Result<Manifest> {
        serde_json::from_slice(bytes)
            .map_err(|e| Error::Archive { msg: format!("归档清单 {} 无法读取（{e}），请勿手工修改该文件", path.display()) })
    }

    pub fn save(&self, archive: &Path) -> Result<()> {
        let bytes = serde_json::to_vec_pretty(self).expect("serialisable");
        output::write_atomic(&Manifest::path(archive), &bytes)
    }

    /// The latest entry of a series for a period (a correction supersedes what it corrects).
    pub fn latest(&self, series: Series, period: Span) -> Option<&Entry> {
        self.entries.iter().filter(|e| e.series == series && e.period == period).max_by_key(|e| e.number)
    }

    /// The positions of the entries that do not link to the entry before them. The first entry
    /// of a chain links to nothing (an empty link); entries from before the chain have no link
    /// and are not checked, but once the chain has begun every entry must carry one.
    pub fn unlinked(&self) -> Vec<usize> {
        let mut chained = false;
        let mut out = Vec::new();
        for (i, e) in self.entries.iter().enumerate() {
            let expected = if i == 0 { Link::default() } else { self.entries[i - 1].link() };
            if e.previous.as_ref().map_or(chained, |link| *link != expected) {
                out.push(i);
            }
            chained |= e.previous.is_some();
        }
        out
    }

    /// The link a new entry records: to the last entry, or the empty link of a chain's start.
    pub fn next_link(&self) -> Link {
        self.entries.last().map_or_else(Link::default, Entry::link)
    }

    /// Whether an earlier period of the entry's series and year has a later number than it (the
    /// archive was published out of period order, before the rule that refuses it).
    pub fn out_of_order(&self, entry: &Entry) -> bool {
        self.entries.iter().any(|e| e.series == entry.series && e.year == entry.year && e.period < entry.period && e.number > entry.number)
    }

    /// The office's declaration that it will never publish this period of the series.
    pub fn skip_of(&self, series: Series, period: Span) -> Option<&Skip> {
        self.skipped.iter().find(|s| s.series == series && s.period == period)
    }

    pub fn is_skipped(&self, series: Series, period: Span) -> bool {
        self.skip_of(series, period).is_some()
    }

    /// The number the next document of a series gets in `year`.
    pub fn next_number(&self, series: Series, year: u16) -> u32 {
        self.entries.iter().filter(|e| e.series == series && e.year == year).map(|e| e.number).max().unwrap_or(0) + 1
    }
}

/// What differs between the inputs of a published document and the current ones, in words.
pub fn changes(before: &Entry, now: &[Input], program: &Program) -> Vec<String> {
    let mut out = Vec::new();
    for i in now {
        match before.inputs.iter().find(|b| b.kind == i.kind && b.path == i.path) {
            None => out.push(format!("新增 {}", i.path)),
            Some(b) if !b.same(i) => out.push(format!("已修改 {}", i.path)),
            Some(_) => {}
        }
    }
    for b in &before.inputs {
        if !now.iter().any(|i| i.kind == b.kind && i.path == b.path) {
            out.push(format!("已删除 {}", b.path));
        }
    }
    if before.jianbao != *program {
        out.push(format!("jianbao 程序 {} → {program}", before.jianbao));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(path: &str, sha: &str) -> Input {
        Input { kind: InputKind::Workbook, path: path.into(), sha256: sha.into(), sm3: String::new() }
    }

    #[test]
    fn changes_name_each_file() {
        let before = Entry {
            series: Series::Bulletin,
            number: 3,
            year: 2018,
            period: "2018-03".parse().unwrap(),
            title: String::new(),
            published: "2018-04-05".parse().unwrap(),
            file: String::new(),
            sha256: String::new(),
            sm3: String::new(),
            corrects: None,
            jianbao: Program { version: "0.1.0".into(), build: "a".into() },
            inputs: vec![input("a.xlsx", "1"), input("b.xlsx", "2")],
            ofd: None,
            previous: None,
        };
        let now = [input("a.xlsx", "9"), input("c.xlsx", "3")];
        let program = |v: &str, b: &str| Program { version: v.into(), build: b.into() };
        assert_eq!(changes(&before, &now, &program("0.1.0", "a")), ["已修改 a.xlsx", "新增 c.xlsx", "已删除 b.xlsx"]);
        assert!(changes(&before, &before.inputs, &program("0.1.0", "a")).is_empty());
        assert_eq!(changes(&before, &before.inputs, &program("0.1.0", "b")), ["jianbao 程序 0.1.0（构建 a） → 0.1.0（构建 b）"]);
    }

    #[test]
    fn a_chained_entry_has_pinned_canonical_bytes_and_digests() {
        // Every field of an entry, as published: no later change to the record (a field, a
        // type, an order) may change these bytes, or the links of entries already published break.
        let entry = Entry {
            series: Series::Summary,
            number: 2,
            year: 2019,
            period: "2019-Q2".parse().unwrap(),
            title: "全县脱贫攻坚工作季度汇总".into(),
            published: "2019-07-10".parse().unwrap(),
            file: "2019/季度汇总第02期-全县脱贫攻坚工作季度汇总.pdf".into(),
            sha256: "aa".into(),
            sm3: "bb".into(),
            corrects: Some(1),
            jianbao: Program { version: "0.1.0".into(), build: "c".into() },
            inputs: vec![Input { kind: InputKind::Plan, path: "plan.yaml".into(), sha256: "dd".into(), sm3: "ee".into() }],
            ofd: Some(Copy { file: "2019/季度汇总第02期-全县脱贫攻坚工作季度汇总.ofd".into(), sha256: "ff".into(), sm3: "gg".into() }),
            previous: Some(Link { sha256: "11".into(), sm3: "22".into() }),
        };
        let canonical = concat!(
            r#"{"series":"季度汇总","number":2,"year":2019,"period":"2019-Q2","title":"全县脱贫攻坚工作季度汇总","#,
            r#""published":"2019-07-10","file":"2019/季度汇总第02期-全县脱贫攻坚工作季度汇总.pdf","sha256":"aa","sm3":"bb","#,
            r#""corrects":1,"jianbao":{"version":"0.1.0","build":"c"},"#,
            r#""inputs":[{"kind":"plan","path":"plan.yaml","sha256":"dd","sm3":"ee"}],"#,
            r#""ofd":{"file":"2019/季度汇总第02期-全县脱贫攻坚工作季度汇总.ofd","sha256":"ff","sm3":"gg"},"#,
            r#""previous":{"sha256":"11","sm3":"22"}}"#
        );
        assert_eq!(String::from_utf8(serde_json::to_vec(&entry).unwrap()).unwrap(), canonical);
        use sha2::Digest;
        let link = entry.link();
        assert_eq!(link.sha256, format!("{:x}", sha2::Sha256::digest(canonical.as_bytes())));
        assert_eq!(link.sm3, crate::setup::inputs::sm3(canonical.as_bytes()));
        // Read back, the same entry.
        assert_eq!(serde_json::from_str::<Entry>(canonical).unwrap(), entry);
    }

    #[test]
    fn a_bad_date_or_series_in_a_manifest_is_an_error_not_a_default() {
        let good = serde_json::to_value(Entry {
            series: Series::Bulletin,
            number: 1,
            year: 2018,
            period: "2018-01".parse().unwrap(),
            title: String::new(),
            published: "2018-02-05".parse().unwrap(),
            file: String::new(),
            sha256: String::new(),
            sm3: String::new(),
            corrects: None,
            jianbao: Program { version: "0.1.0".into(), build: "a".into() },
            inputs: vec![],
            ofd: None,
            previous: None,
        })
        .unwrap();
        for (field, bad) in [("published", "2018-2-5"), ("published", "2018-02-30"), ("series", "简报")] {
            let mut v = good.clone();
            v[field] = serde_json::Value::String(bad.into());
            let e = serde_json::from_value::<Entry>(v).unwrap_err().to_string();
            assert!(e.contains(bad), "{field}: {e}");
        }
    }
}
