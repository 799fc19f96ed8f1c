//! Snapshots of what the sample data produces: the figures and the generated narrative of a
//! mid-year month, the year boundary and their quarters. They are `insta` snapshots: a change
//! fails with a diff; review it with `cargo insta review` (or `INSTA_UPDATE=always cargo test
//! --release --test snapshots`, then `git diff tests/snapshots`) and commit only what you meant.

use crate::common;

use common::repo;
use jianbao::aggregate::{self, quarter};

#[test]
fn sample_figures_and_narratives() {
    let opts = jianbao::Options::in_dir(&repo());
    let checked = jianbao::check(&opts).unwrap();
    let engine = jianbao::render::Engine::built_in().unwrap();
    let none = Default::default();
    for month in ["2018-06", "2018-12", "2019-01", "2019-02"] {
        let figures = aggregate::month(&checked.plan, &checked.reports, month.parse().unwrap(), &none);
        insta::assert_json_snapshot!(format!("{month}-figures"), figures);
        insta::assert_snapshot!(format!("{month}-narrative"), jianbao::render::bulletin::narrative(&engine, &figures).unwrap());
    }
    for (q, as_of) in [("2018-Q2", "2018-06"), ("2019-Q1", "2019-03")] {
        let q: jianbao::period::Quarter = q.parse().unwrap();
        let f = quarter::quarter(&checked.plan, &checked.reports, q, as_of.parse().unwrap(), &checked.diagnostics, &none);
        insta::assert_json_snapshot!(format!("{q}-figures"), f);
        insta::assert_snapshot!(format!("{q}-narrative"), jianbao::render::summary::narrative(&engine, &f).unwrap());
    }
}
