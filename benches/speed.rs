//! The speed benchmark (`cargo bench --bench speed`): full builds of the sample and of
//! county-scale data (12 townships × 36 months), a no-op rebuild, one bulletin render, reading
//! one workbook, peak memory, and the typst CLI compiling the same documents one process per
//! document. Prints each figure as median (min–max) over its runs.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use jianbao::documents::{self, Settings};
use jianbao::render::{Engine, PdfKind};
use jianbao::{inputs::Inputs, plan::Plan, sample, Options};

const JIANBAO: &str = env!("CARGO_BIN_EXE_jianbao");

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Median, min and max of `runs` timings of `f`.
fn measure(runs: usize, mut f: impl FnMut()) -> (Duration, Duration, Duration) {
    let mut t: Vec<Duration> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed()
        })
        .collect();
    t.sort();
    (t[runs / 2], t[0], t[runs - 1])
}

fn show(name: &str, (median, min, max): (Duration, Duration, Duration), runs: usize) {
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!("{name:<44} {:>9.1} ms  ({:.1}–{:.1}, {runs} runs)", ms(median), ms(min), ms(max));
}

/// Runs `jianbao` with the data in `data`, output in `out`, bundled fonts and templates.
fn jianbao(data: &Path, out: &Path, args: &[&str]) -> Command {
    let mut c = Command::new(JIANBAO);
    c.arg("--data").arg(data).arg("--out").arg(out).arg("--fonts").arg(repo().join("fonts"));
    c.arg("--templates").arg(repo().join("templates")).args(args);
    c
}

fn run(mut c: Command) {
    let out = c.output().expect("run");
    assert!(out.status.success(), "{:?}: {}", c, String::from_utf8_lossy(&out.stderr));
}

/// Peak resident memory of one `jianbao build --force`, in MB (Linux: the child's VmHWM as
/// reported by `getrusage`, through `/usr/bin/time` when it is there).
fn peak_memory(data: &Path, out: &Path) -> Option<f64> {
    let time = Path::new("/usr/bin/time");
    if !time.exists() {
        return None;
    }
    let mut c = Command::new(time);
    c.args(["-f", "%M"]).arg(JIANBAO).arg("--data").arg(data).arg("--out").arg(out);
    c.arg("--fonts").arg(repo().join("fonts")).arg("--templates").arg(repo().join("templates")).args(["build", "--force"]);
    let o = c.output().ok()?;
    let kb: f64 = String::from_utf8_lossy(&o.stderr).lines().last()?.trim().parse().ok()?;
    Some(kb / 1024.0)
}

/// The typst CLI compiling every kept document of `kept` (one process per document).
fn typst_cli(kept: &Path) -> Option<Vec<(PathBuf, PathBuf)>> {
    Command::new("typst").arg("--version").output().ok().filter(|o| o.status.success())?;
    let mut docs = Vec::new();
    for e in walkdir::WalkDir::new(kept).sort_by_file_name() {
        let e = e.ok()?;
        let name = e.file_name().to_string_lossy().into_owned();
        if e.file_type().is_dir() && name.ends_with(".typst") {
            let main = ["bulletin.typ", "summary.typ", "report.typ"].iter().map(|m| e.path().join(m)).find(|p| p.exists())?;
            docs.push((main, e.path().with_extension("cli.pdf")));
        }
    }
    Some(docs)
}

fn main() {
    let runs: usize = std::env::var("BENCH_RUNS").ok().and_then(|s| s.parse().ok()).unwrap_or(7);
    let tmp = tempfile::tempdir().unwrap();
    let sample_out = tmp.path().join("sample-out");
    let data = repo().join("data");
    println!("jianbao {} — {} runs per figure", env!("CARGO_PKG_VERSION"), runs);

    // Sample data: full build, and the same documents through the typst CLI.
    run(jianbao(&data, &sample_out, &["build", "--keep-typst"]));
    show("sample: full build (build --force, 9 docs)", measure(runs, || run(jianbao(&data, &sample_out, &["build", "--force"]))), runs);
    match typst_cli(&sample_out) {
        Some(docs) => {
            let t = measure(runs, || {
                for (main, pdf) in &docs {
                    let mut c = Command::new("typst");
                    c.args(["compile", "--ignore-system-fonts", "--font-path"]).arg(repo().join("fonts")).arg(main).arg(pdf);
                    run(c);
                }
            });
            show(&format!("sample: typst CLI, {} processes", docs.len()), t, runs);
        }
        None => println!("sample: typst CLI                            skipped (no `typst` on PATH)"),
    }
    if let Some(mb) = peak_memory(&data, &sample_out) {
        println!("{:<44} {mb:>9.1} MB", "sample: peak memory (build --force)");
    }

    // County scale: 432 workbooks, 36 bulletins, 12 summaries.
    let county = tmp.path().join("county");
    let county_out = tmp.path().join("county-out");
    let n = sample::write_county_scale(&data, &county).unwrap();
    run(jianbao(&county, &county_out, &["build"]));
    show(&format!("county: full build ({n} workbooks, 49 docs)"), measure(runs, || run(jianbao(&county, &county_out, &["build", "--force"]))), runs);
    show("county: no-op rebuild (build)", measure(runs * 3, || run(jianbao(&county, &county_out, &["build"]))), runs * 3);
    if let Some(mb) = peak_memory(&county, &county_out) {
        println!("{:<44} {mb:>9.1} MB", "county: peak memory (build --force)");
    }

    // In process: reading one workbook; one bulletin render.
    let opts = Options { data: county.clone(), out: county_out.clone(), ..Options::in_dir(&repo()) };
    let inputs = Inputs::read(&opts.data, &opts.out, None, None).unwrap();
    let plan = Plan::load(&county.join("plan.yaml")).unwrap();
    let mut per_file: Vec<Duration> = inputs
        .workbooks
        .iter()
        .map(|f| {
            let start = Instant::now();
            let _ = jianbao::submission::read(&f.bytes, &f.rel, &plan);
            start.elapsed()
        })
        .collect();
    per_file.sort();
    let k = per_file.len();
    show("workbook: read and check one (one thread)", (per_file[k / 2], per_file[0], per_file[k - 1]), k);
    let checked = jianbao::check(&opts).unwrap();
    let engine = Engine::built_in().unwrap();
    let doc = documents::bulletin(&engine, &checked, "2020-06".parse().unwrap(), 6, Settings::default()).unwrap();
    show("bulletin: one render, memo cache cold", measure(runs, || {
        comemo::evict(0);
        engine.render(&doc.prepared, PdfKind::Plain).unwrap();
    }), runs);
    show("bulletin: one render, memo cache warm", measure(runs, || {
        engine.render(&doc.prepared, PdfKind::Plain).unwrap();
    }), runs);
}
