//! The speed benchmark (`cargo bench --bench speed`). Every target is a ratio of two figures
//! measured in the same run, so that it holds on a slow office PC as on a fast one:
//!
//! - county `build --force` ÷ the typst CLI compiling the same documents (`--keep-typst`
//!   sources), one process per document: ≤ 0.20; the sample likewise: ≤ 0.25. The typst CLI
//!   is not part of the project: `cargo install typst-cli --version 0.15.1 --locked`; without
//!   `typst` on PATH those two lines are skipped.
//! - county no-op `build` ÷ county `build --force`: ≤ 0.015.
//! - county `build --force` ÷ (Σ single-document in-process typesetting ÷ cores): ≤ 1.3, how
//!   close the build comes to the floor the typesetting itself sets.
//! - peak memory of a county `build --force`: ≤ 250 MB (through /usr/bin/time).
//! - `build --force --formats pdf,ofd` ÷ `build --force`, the sample and the county: ≤ 1.35
//!   (writing an OFD beside every PDF adds at most 35 %).
//!
//! Each figure is the median of `BENCH_RUNS` runs (default 7), with min–max; whole processes.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use jianbao::render::PdfKind;
use jianbao::{inputs::Inputs, sample, Options};

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

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn show(name: &str, (median, min, max): (Duration, Duration, Duration), runs: usize) -> Duration {
    println!("{name:<52} {:>9.1} ms  ({:.1}–{:.1}, {runs} runs)", ms(median), ms(min), ms(max));
    median
}

/// A target: the ratio, the bound, met or not.
fn target(name: &str, ratio: f64, bound: f64) {
    let verdict = if ratio <= bound { "met" } else { "NOT MET" };
    println!("TARGET {name:<45} {ratio:>7.3}  (≤ {bound})  {verdict}");
}

/// `jianbao` with the data in `data`, output in `out`.
fn jianbao(data: &Path, out: &Path, args: &[&str]) -> Command {
    let mut c = Command::new(JIANBAO);
    c.arg("--data").arg(data).arg("--out").arg(out).args(args);
    c
}

fn run(mut c: Command) {
    let out = c.output().expect("run");
    assert!(out.status.success(), "{:?}: {}", c, String::from_utf8_lossy(&out.stderr));
}

/// Peak resident memory of one `jianbao build --force`, in MB (the child's maximum resident
/// set as `/usr/bin/time` reports it).
fn peak_memory(data: &Path, out: &Path) -> Option<f64> {
    let time = Path::new("/usr/bin/time");
    if !time.exists() {
        return None;
    }
    let mut c = Command::new(time);
    c.args(["-f", "%M"]).arg(JIANBAO).arg("--data").arg(data).arg("--out").arg(out).args(["build", "--force"]);
    let o = c.output().ok()?;
    let kb: f64 = String::from_utf8_lossy(&o.stderr).lines().last()?.trim().parse().ok()?;
    Some(kb / 1024.0)
}

/// The kept sources of every document under `out`: (main file, PDF to write), if the typst CLI is there.
fn typst_cli(out: &Path) -> Option<Vec<(PathBuf, PathBuf)>> {
    Command::new("typst").arg("--version").output().ok().filter(|o| o.status.success())?;
    let mut docs = Vec::new();
    for e in walkdir::WalkDir::new(out).sort_by_file_name() {
        let e = e.ok()?;
        let name = e.file_name().to_string_lossy().into_owned();
        if e.file_type().is_dir() && name.ends_with(".typst") {
            let main = ["bulletin.typ", "summary.typ", "report.typ", "year.typ", "plan-report.typ"].iter().map(|m| e.path().join(m)).find(|p| p.exists())?;
            docs.push((main, e.path().with_extension("cli.pdf")));
        }
    }
    Some(docs)
}

/// The typst CLI compiling every kept document, one process each.
fn cli_time(label: &str, out: &Path, runs: usize) -> Option<Duration> {
    let Some(docs) = typst_cli(out) else {
        println!("{label}: typst CLI  skipped (no `typst` on PATH; cargo install typst-cli --version 0.15.1 --locked)");
        return None;
    };
    let t = measure(runs, || {
        for (main, pdf) in &docs {
            let mut c = Command::new("typst");
            c.args(["compile", "--ignore-system-fonts", "--font-path"]).arg(repo().join("fonts")).arg(main).arg(pdf);
            run(c);
        }
    });
    Some(show(&format!("{label}: typst CLI, {} processes", docs.len()), t, runs))
}

/// Σ over every document of its typesetting alone in this process (memo cache emptied
/// before each), in ms: the work a build cannot avoid.
fn typesetting_floor(opts: &Options) -> (f64, usize) {
    let inputs = Inputs::read(&opts.data, &opts.out, None, None).unwrap();
    let planned = jianbao::plan_documents(opts, &inputs).unwrap();
    let mut total = 0.0;
    let typeset: Vec<_> = planned.made.documents.iter().filter_map(|d| d.prepared.as_ref()).collect();
    for prepared in &typeset {
        comemo::evict(0);
        let start = Instant::now();
        planned.engine.render(prepared, PdfKind::Plain).unwrap();
        total += ms(start.elapsed());
    }
    (total, typeset.len())
}

fn main() {
    let runs: usize = std::env::var("BENCH_RUNS").ok().and_then(|s| s.parse().ok()).unwrap_or(7);
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let tmp = tempfile::tempdir().unwrap();
    let data = repo().join("data");
    println!("jianbao {} ({}) — {runs} runs per figure, {cores} cores", env!("CARGO_PKG_VERSION"), jianbao::bundled::BUILD_ID);

    // The sample: 149 workbooks.
    let sample_out = tmp.path().join("sample-out");
    run(jianbao(&data, &sample_out, &["build", "--keep-typst"]));
    let sample = show("sample: build --force", measure(runs, || run(jianbao(&data, &sample_out, &["build", "--force"]))), runs);
    let sample_cli = cli_time("sample", &sample_out, runs);
    let sample_ofd_out = tmp.path().join("sample-ofd-out");
    run(jianbao(&data, &sample_ofd_out, &["build", "--formats", "pdf,ofd"]));
    let sample_ofd = show(
        "sample: build --force --formats pdf,ofd",
        measure(runs, || run(jianbao(&data, &sample_ofd_out, &["build", "--force", "--formats", "pdf,ofd"]))),
        runs,
    );

    // County scale: 12 townships × 36 months.
    let county = tmp.path().join("county");
    let county_out = tmp.path().join("county-out");
    let n = sample::write_county_scale(&data, &county).unwrap();
    run(jianbao(&county, &county_out, &["build", "--keep-typst"]));
    let force = show(&format!("county: build --force ({n} workbooks)"), measure(runs, || run(jianbao(&county, &county_out, &["build", "--force"]))), runs);
    let noop = show("county: no-op build", measure(runs * 3, || run(jianbao(&county, &county_out, &["build"]))), runs * 3);
    let county_cli = cli_time("county", &county_out, runs);
    let county_ofd_out = tmp.path().join("county-ofd-out");
    run(jianbao(&county, &county_ofd_out, &["build", "--formats", "pdf,ofd"]));
    let county_ofd = show(
        "county: build --force --formats pdf,ofd",
        measure(runs, || run(jianbao(&county, &county_ofd_out, &["build", "--force", "--formats", "pdf,ofd"]))),
        runs,
    );
    let opts = Options { data: county.clone(), out: county_out.clone(), ..Options::in_dir(&repo()) };
    let floors: Vec<f64> = (0..runs).map(|_| typesetting_floor(&opts).0).collect();
    let docs = typesetting_floor(&opts).1;
    let mut sorted = floors.clone();
    sorted.sort_by(f64::total_cmp);
    let floor = sorted[runs / 2];
    println!("{:<52} {floor:>9.1} ms  ({docs} documents, Σ of each alone, median)", "county: single-document typesetting");
    let peak = peak_memory(&county, &county_out);
    if let Some(mb) = peak {
        println!("{:<52} {mb:>9.1} MB", "county: peak memory (build --force)");
    }

    println!();
    if let Some(cli) = county_cli {
        target("county build --force ÷ typst CLI", ms(force) / ms(cli), 0.20);
    }
    if let Some(cli) = sample_cli {
        target("sample build --force ÷ typst CLI", ms(sample) / ms(cli), 0.25);
    }
    target("county no-op ÷ county build --force", ms(noop) / ms(force), 0.015);
    target("sample build with OFD ÷ without", ms(sample_ofd) / ms(sample), 1.35);
    target("county build with OFD ÷ without", ms(county_ofd) / ms(force), 1.35);
    target(&format!("county build --force ÷ (typesetting ÷ {cores} cores)"), ms(force) / (floor / cores as f64), 1.3);
    if let Some(mb) = peak {
        target("county peak memory ÷ 250 MB", mb / 250.0, 1.0);
    }
}
