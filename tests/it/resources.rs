//! Resource guards (not timings): one font store per build, shared by every document, each
//! face parsed at most once; memory flat over many builds in one process (typst's memo cache
//! is evicted). The test runs alone in a child process, so that the process-wide counters are its own.

use crate::common;

use common::copy_project;
use jianbao::render::process_counts;

/// Resident memory of this process in MB (Linux).
fn rss_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let kb: f64 = status.lines().find(|l| l.starts_with("VmRSS:"))?.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

#[test]
fn fonts_are_shared_and_memory_stays_flat() {
    if !common::in_own_process("resources::fonts_are_shared_and_memory_stays_flat") {
        return;
    }
    let (_dir, opts) = copy_project();
    let opts = jianbao::Options { force: true, ..opts };
    let (engines, faces) = process_counts();
    let built = jianbao::build(&opts).unwrap();
    let (engines2, faces2) = process_counts();
    assert_eq!(built.rendered.len(), 70, "53 typeset documents (3 旬报 and 28 公示、公告 among them), 15 汇总表 and 2 公示清单");
    assert_eq!(engines2 - engines, 1, "one font store for the whole build");
    let use_ = built.fonts.unwrap();
    assert_eq!(use_.files, 5, "the five bundled faces");
    assert_eq!(use_.most_parses_of_one, 1, "no face parsed twice: {use_:?}");
    assert_eq!(faces2 - faces, use_.parsed);
    assert!(use_.parsed <= 5);

    // Many builds, each with different documents (the office name changes), so every build
    // adds new entries to typst's memo cache unless it is evicted.
    let config = std::fs::read_to_string(opts.data.join("config.yaml")).unwrap();
    let mut rss = Vec::new();
    for i in 0..12 {
        std::fs::write(opts.data.join("config.yaml"), config.replace("领导小组办公室", &format!("领导小组办公室{i}"))).unwrap();
        let b = jianbao::build(&opts).unwrap();
        assert_eq!(b.rendered.len(), 70);
        rss.extend(rss_mb());
    }
    if rss.len() == 12 {
        let growth = rss[11] - rss[3];
        eprintln!("resident memory after builds 4..12: {:?} MB", rss[3..].iter().map(|m| m.round()).collect::<Vec<_>>());
        assert!(growth < 40.0, "memory grew {growth:.0} MB over 8 builds: {rss:?}");
    }
}
