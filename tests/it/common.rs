//! Shared test helpers: temporary data folders with generated workbooks, and PDF reading.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use jianbao::sample::xlsx::{self, Sheet, Value};
use jianbao::Options;

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A data folder in a temporary directory, with the bundled plan and config.
pub struct TestData {
    pub dir: tempfile::TempDir,
}

impl TestData {
    pub fn new() -> TestData {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("data");
        std::fs::create_dir_all(&data).unwrap();
        for f in ["plan.yaml", "config.yaml"] {
            std::fs::copy(repo().join("data").join(f), data.join(f)).unwrap();
        }
        TestData { dir }
    }

    pub fn data(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    pub fn out(&self) -> PathBuf {
        self.dir.path().join("out")
    }

    pub fn options(&self) -> Options {
        Options { data: self.data(), out: self.out(), ..Options::in_dir(&repo()) }
    }

    pub fn write(&self, rel: &str, bytes: &[u8]) {
        let p = self.data().join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, bytes).unwrap();
    }

    pub fn add(&self, rel: &str, book: &Book) {
        self.write(rel, &xlsx::write(&book.sheets()).unwrap());
    }
}

/// The bundled data copied into a fresh temporary project: the same inputs at another
/// absolute path, with the built-in templates and fonts.
pub fn copy_project() -> (tempfile::TempDir, Options) {
    let dir = tempfile::tempdir().unwrap();
    for e in walkdir::WalkDir::new(repo().join("data")) {
        let e = e.unwrap();
        let to = dir.path().join("data").join(e.path().strip_prefix(repo().join("data")).unwrap());
        if e.file_type().is_dir() {
            std::fs::create_dir_all(&to).unwrap();
        } else {
            std::fs::copy(e.path(), &to).unwrap();
        }
    }
    let opts = Options::in_dir(dir.path());
    (dir, opts)
}

/// Writes the office's own copy of a built-in template into the data folder, with `edit`
/// applied to its text; returns its path.
pub fn own_template(opts: &Options, name: &str, edit: impl FnOnce(&str) -> String) -> PathBuf {
    let built_in = std::str::from_utf8(jianbao::bundled::template(name).unwrap().bytes).unwrap();
    let path = opts.data.join("templates").join(name);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, edit(built_in)).unwrap();
    path
}

/// Every file under `dir` (hidden ones too), by relative path, sorted; but the record of the
/// input files' stamps, which depends on when they were last changed, not on what they hold.
pub fn tree(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file() && !e.path().ends_with(".jianbao/stamps.json"))
        .map(|e| (jianbao::inputs::discover::relative(dir, e.path()), std::fs::read(e.path()).unwrap()))
        .collect();
    files.sort();
    files
}

pub fn t(s: &str) -> Value {
    Value::from(s)
}

pub fn n(x: f64) -> Value {
    Value::Number(x)
}

/// A village row: name, type, population, poor at start, this month, to date, exited, remark.
pub struct V<'a>(pub &'a str, pub &'a str, pub u32, pub u32, pub u32, pub u32, pub &'a str, pub &'a str);

/// A project row: name, category, village, source, planned, disbursed, status.
pub struct P<'a>(pub &'a str, pub &'a str, pub &'a str, pub &'a str, pub f64, pub f64, pub &'a str);

/// A township workbook in the submission format.
pub struct Book<'a> {
    pub township: &'a str,
    pub month: &'a str,
    pub villages: Vec<V<'a>>,
    pub projects: Vec<P<'a>>,
    /// (indicator, this month, to date)
    pub indicators: Vec<(&'a str, f64, f64)>,
}

impl Book<'_> {
    pub fn sheets(&self) -> Vec<Sheet> {
        let mut cover = Sheet::new("基本信息");
        cover.row(vec![t("乡镇"), t(self.township)]).row(vec![t("统计月份"), t(self.month)]);
        let mut villages = Sheet::new("村级进度");
        villages.row(["村名", "村类型", "户籍人口", "年初贫困人口", "本月脱贫人数", "累计脱贫人数", "是否出列", "备注"].map(t).to_vec());
        for V(name, kind, pop, poor, month, done, exited, remark) in &self.villages {
            villages.row(vec![t(name), t(kind), (*pop).into(), (*poor).into(), (*month).into(), (*done).into(), t(exited), t(remark)]);
        }
        let mut projects = Sheet::new("项目资金");
        projects.row(["项目名称", "项目类别", "所在村", "资金来源", "计划投资", "累计拨付", "项目状态"].map(t).to_vec());
        for P(name, cat, village, source, planned, paid, status) in &self.projects {
            projects.row(vec![t(name), t(cat), t(village), t(source), n(*planned), n(*paid), t(status)]);
        }
        let mut indicators = Sheet::new("专项指标");
        indicators.row(["指标名称", "本月完成", "本年累计"].map(t).to_vec());
        for (name, month, to_date) in &self.indicators {
            indicators.row(vec![t(name), n(*month), n(*to_date)]);
        }
        vec![cover, villages, projects, indicators]
    }
}

/// The text of a PDF, with whitespace removed so that layout line breaks do not matter.
pub fn pdf_text(path: &Path) -> String {
    let doc = lopdf::Document::load(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let pages: Vec<u32> = doc.get_pages().keys().copied().collect();
    let text = doc.extract_text(&pages).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    // Zero-width spaces (where a long path may break) are no text either.
    text.chars().filter(|c| !c.is_whitespace() && *c != '\u{200B}').collect()
}

/// Copies one month of the bundled sample workbooks into a test data folder.
pub fn copy_sample_month(d: &TestData, month: &str) {
    let from = repo().join("data/submissions").join(month);
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        d.write(&format!("submissions/{month}/{}", e.file_name().to_string_lossy()), &std::fs::read(e.path()).unwrap());
    }
}

/// The files attached to a PDF (its EmbeddedFiles name tree), by name, decompressed.
pub fn pdf_attachments(path: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    use lopdf::{Document, Object};
    fn walk(doc: &Document, node: &lopdf::Dictionary, out: &mut std::collections::BTreeMap<String, Vec<u8>>) {
        if let Ok(kids) = node.get(b"Kids").and_then(Object::as_array) {
            for k in kids {
                let kid = doc.dereference(k).unwrap().1.as_dict().unwrap();
                walk(doc, kid, out);
            }
        }
        let Ok(names) = node.get(b"Names").and_then(Object::as_array) else { return };
        for pair in names.chunks(2) {
            let spec = doc.dereference(&pair[1]).unwrap().1.as_dict().unwrap();
            let name = spec.get(b"UF").or_else(|_| spec.get(b"F")).map(|o| lopdf::decode_text_string(o).unwrap()).unwrap();
            let ef = doc.dereference(spec.get(b"EF").unwrap()).unwrap().1.as_dict().unwrap();
            let stream = doc.dereference(ef.get(b"F").unwrap()).unwrap().1.as_stream().unwrap();
            let bytes = stream.decompressed_content().unwrap_or_else(|_| stream.content.clone());
            out.insert(name, bytes);
        }
    }
    let doc = Document::load(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut out = std::collections::BTreeMap::new();
    let catalog = doc.catalog().unwrap();
    if let Ok(names) = catalog.get(b"Names") {
        let names = doc.dereference(names).unwrap().1.as_dict().unwrap();
        if let Ok(files) = names.get(b"EmbeddedFiles") {
            walk(&doc, doc.dereference(files).unwrap().1.as_dict().unwrap(), &mut out);
        }
    }
    out
}

/// The workbook with one of its XML parts edited (what another program might have written).
pub fn rewrite(xlsx: Vec<u8>, part: &str, edit: impl Fn(String) -> String) -> Vec<u8> {
    use std::io::{Read, Write};
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(xlsx)).unwrap();
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).unwrap();
        let name = f.name().unwrap().to_string();
        let mut bytes = Vec::new();
        f.read_to_end(&mut bytes).unwrap();
        if name == part {
            bytes = edit(String::from_utf8(bytes).unwrap()).into_bytes();
        }
        out.start_file(name, zip::write::SimpleFileOptions::default()).unwrap();
        out.write_all(&bytes).unwrap();
    }
    out.finish().unwrap().into_inner()
}

/// Whether the calling test should run its body here: true in a child process that runs this one
/// test alone (for process-wide counters and peak memory); otherwise it starts that child, asserts
/// that it ran exactly this test and passed, and returns false.
pub fn in_own_process(test: &str) -> bool {
    const VAR: &str = "JIANBAO_TEST_ALONE";
    if std::env::var(VAR).is_ok_and(|v| v == test) {
        return true;
    }
    let out = std::process::Command::new(std::env::current_exe().unwrap())
        .args([test, "--exact", "--test-threads=1", "--nocapture"])
        .env(VAR, test)
        // glibc makes a malloc arena per thread that contends for one, as many as eight per
        // core: on a loaded machine (the whole suite running) that added tens of MB of resident
        // memory over repeated builds. Two arenas keep the child's memory about the program.
        .env("MALLOC_ARENA_MAX", "2")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    eprintln!("{stderr}");
    assert!(out.status.success() && stdout.contains("1 passed"), "{test} in its own process:\n{stdout}\n{stderr}");
    false
}

/// With `JIANBAO_KEEP=<folder>` set, copies `dir` there as `<folder>/<name>`, to look at what a
/// test made (pages as images, 结果一览 in a browser); without it, nothing.
pub fn keep(dir: &Path, name: &str) {
    let Ok(to) = std::env::var("JIANBAO_KEEP") else { return };
    for e in walkdir::WalkDir::new(dir).into_iter().map(Result::unwrap) {
        let target = Path::new(&to).join(name).join(e.path().strip_prefix(dir).unwrap());
        if e.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(e.path(), &target).unwrap();
        }
    }
}

/// Runs the program in `dir` with `args`, as an office runs it there; asserts it succeeded and
/// returns what it printed (stdout, then stderr).
pub fn run_in_dir(dir: &Path, args: &[&str]) -> String {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_jianbao")).args(args).current_dir(dir).env_remove("RUST_LOG").output().unwrap();
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "jianbao {args:?}: {text}");
    text
}
