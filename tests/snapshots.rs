//! Snapshots of what the sample data produces: the figures JSON and the generated narrative.
//! Set `UPDATE_SNAPSHOTS=1` to rewrite them after an intended change, then review the diff.

mod common;

use common::repo;

fn assert_snapshot(name: &str, actual: &str) {
    let path = repo().join("tests/snapshots").join(name);
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|_| panic!("missing snapshot {}", path.display()));
    assert!(expected == actual, "snapshot {name} differs; rerun with UPDATE_SNAPSHOTS=1 and review the diff");
}

#[test]
fn sample_2018_06_figures_and_narrative() {
    let opts = jianbao::Options::in_dir(&repo());
    let checked = jianbao::check(&opts).unwrap();
    let figures = jianbao::aggregate::month(&checked.plan, &checked.reports, "2018-06".parse().unwrap(), &Default::default());
    assert_snapshot("2018-06-figures.json", &serde_json::to_string_pretty(&figures).unwrap());
    let engine = jianbao::render::Engine::new(&opts.fonts, &opts.templates).unwrap();
    let narrative = jianbao::render::bulletin::narrative(&engine, &figures).unwrap();
    assert_snapshot("2018-06-narrative.typ", &narrative);
    let q = jianbao::aggregate::quarter::Quarter { year: 2018, q: 2 };
    let quarter = jianbao::aggregate::quarter::quarter(&checked.plan, &checked.reports, q, "2018-06".parse().unwrap(), &checked.diagnostics, &Default::default());
    assert_snapshot("2018-Q2-figures.json", &serde_json::to_string_pretty(&quarter).unwrap());
    assert_snapshot("2018-Q2-narrative.typ", &jianbao::render::summary::narrative(&engine, &quarter).unwrap());
}
