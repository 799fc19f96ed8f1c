//! `jianbao init DIR`: a working folder for an office: a commented plan.yaml skeleton (valid as
//! it stands, with placeholder values), a config.yaml, empty submissions and 稿件 folders, and
//! editable copies of the narrative templates in `templates/`. Existing files are never replaced.

use std::path::{Path, PathBuf};

use crate::base::error::{Error, Result};
use crate::base::output;

const PLAN: &str = include_str!("skeleton/plan.yaml");
const CONFIG: &str = include_str!("skeleton/config.yaml");
/// The skeleton plan's base population, shared out over its years.
const BASE_PEOPLE: u32 = 900;

use crate::base::bundled::narrative_copy;
use crate::documents::kinds::narratives;
use crate::documents::KINDS;

/// What the skeletons are filled with: the county's name and the plan's years.
#[derive(Debug, Clone)]
pub struct Start {
    pub county: String,
    pub first: u16,
    pub last: u16,
}

impl Start {
    /// `某某县`, and a three-year plan from this year: placeholders for the office to replace.
    pub fn placeholder() -> Start {
        let year = crate::base::period::Date::from_clock().year;
        Start { county: "某某县".into(), first: year, last: year + 2 }
    }

    /// A skeleton with the county and years filled in; the yearly targets share out the
    /// skeleton's base (`BASE_PEOPLE` people, 3 villages) so that the file is valid as it stands.
    fn fill(&self, skeleton: &str) -> String {
        let years: Vec<u16> = (self.first..=self.last).collect();
        let n = years.len() as u32;
        let targets: Vec<String> = years
            .iter()
            .enumerate()
            .map(|(i, y)| {
                let people = BASE_PEOPLE / n + u32::from(i as u32 + 1 == n) * (BASE_PEOPLE % n);
                format!("    - {{ year: {y}, poor_population: {people}, poor_villages: {} }}", u32::from((i as u32) < 3))
            })
            .collect();
        skeleton
            .replace("{county}", &self.county)
            .replace("{n}", &crate::base::format::cn_num(n))
            .replace("{first}", &self.first.to_string())
            .replace("{last}", &self.last.to_string())
            .replace("{years}", &years.iter().map(u16::to_string).collect::<Vec<_>>().join(", "))
            .replace("{base_year}", &(self.first - 1).to_string())
            .replace("{targets}", &targets.join("\n"))
            .replace("{base_people}", &BASE_PEOPLE.to_string())
    }
}

/// What `init` did: the files and folders it created, and the files it found already there
/// and left as they were.
#[derive(Debug, Default)]
pub struct Done {
    pub written: Vec<PathBuf>,
    pub kept: Vec<PathBuf>,
}

/// Creates the working folder `dir` for `start`: every file of it that is not there yet; a file
/// that is there is kept as it is (never replaced), and said so. A folder that already has every
/// file is an error: nothing would be done.
pub fn init(dir: &Path, start: &Start) -> Result<Done> {
    if start.last < start.first || start.last - start.first > 9 || start.first < 2000 {
        return Err(Error::Usage { msg: format!("规划年份 {}-{} 不合理：应写作 起始年-结束年，如 2021-2025。", start.first, start.last) });
    }
    let mut files = vec![(dir.join("plan.yaml"), start.fill(PLAN)), (dir.join("config.yaml"), start.fill(CONFIG))];
    for (name, document) in narratives(KINDS) {
        files.extend(narrative_copy(name, document).map(|text| (dir.join("templates").join(name), text)));
    }
    let (kept, new): (Vec<_>, Vec<_>) = files.into_iter().partition(|(path, _)| path.exists());
    if new.is_empty() {
        return Err(Error::Usage {
            msg: format!("{} 中已有 plan.yaml、config.yaml 和全部正文模板，未做任何改动（init 不覆盖已有文件）。", dir.display())
        });
    }
    let mut done = Done { kept: kept.into_iter().map(|(p, _)| p).collect(), ..Done::default() };
    for (path, text) in new {
        output::write_new(&path, text.as_bytes())?;
        done.written.push(path);
    }
    // The townships' workbooks, and the month's work news (稿件/<YYYY-MM>/).
    for folder in [dir.join("submissions"), dir.join(crate::reading::pieces::FOLDER)] {
        if !folder.is_dir() {
            std::fs::create_dir_all(&folder).map_err(|e| Error::io("创建文件夹", &folder, e))?;
            done.written.push(folder);
        }
    }
    Ok(done)
}
