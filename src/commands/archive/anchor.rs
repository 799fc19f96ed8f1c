//! The paper anchor of the archive: a bound volume (合订本) prints, on its last page, the SM3 of
//! every document bound in it and the head of the manifest's chain at binding time, and carries
//! the same as data (`归档核对.json`). Years later, `verify --volume` checks the electronic
//! archive against a volume: each bound document still listed and unchanged, and the chain
//! from its start to the printed head intact and still in the manifest.

use std::path::Path;

use serde::{Deserialize, Serialize};

use super::manifest::{Entry, Link, Manifest};
use super::{attachments, folder};
use crate::base::error::{Error, Result};
use crate::setup::inputs::sm3;

/// The attachment by which a bound volume carries its anchor.
pub const ANCHOR: &str = "归档核对.json";

/// What a volume prints and carries on its 归档核对 page.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Anchor {
    /// The link the volume's own entry records: the chain's head when it was bound.
    pub head: Link,
    pub docs: Vec<AnchorDoc>,
}

/// One bound document: its issue label, title, archive file and SM3, and its OFD's file and
/// SM3 when one was archived beside it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AnchorDoc {
    pub issue: String,
    pub title: String,
    pub file: String,
    pub sm3: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ofd: Option<AnchorOfd>,
}

/// The OFD beside a bound document.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AnchorOfd {
    pub file: String,
    pub sm3: String,
}

impl Anchor {
    pub fn new(manifest: &Manifest, bound: &[&Entry]) -> Anchor {
        let docs = bound
            .iter()
            .map(|e| AnchorDoc {
                issue: e.issue_label(),
                title: e.title.clone(),
                file: e.file.clone(),
                sm3: e.sm3.clone(),
                ofd: e.ofd.as_ref().map(|o| AnchorOfd { file: o.file.clone(), sm3: o.sm3.clone() }),
            })
            .collect();
        Anchor { head: manifest.next_link(), docs }
    }
}

/// What `verify --volume` found: how many documents it checked, and each finding in Chinese.
#[derive(Debug, Default)]
pub struct VolumeCheck {
    pub checked: usize,
    pub findings: Vec<String>,
}

/// Checks the archive under `out` against the bound volume at `volume`.
pub fn check(out: &Path, volume: &Path) -> Result<VolumeCheck> {
    let bytes = std::fs::read(volume).map_err(|e| Error::io("读取合订本", volume, e))?;
    let attached = attachments(&bytes).map_err(|e| Error::Archive { msg: format!("{}：{e}", volume.display()) })?;
    let not_a_volume = || Error::Archive { msg: format!("{} 不是带“归档核对”页的合订本（没有 {ANCHOR}）", volume.display()) };
    let anchor: Anchor = serde_json::from_slice(attached.get(ANCHOR).ok_or_else(not_a_volume)?).map_err(|_| not_a_volume())?;
    let archive = folder(out);
    let manifest = Manifest::load(&archive)?;
    let mut found = Vec::new();
    for d in &anchor.docs {
        let at = format!("{}（{}）", d.issue, d.file);
        match manifest.entries.iter().find(|e| e.file == d.file) {
            None => found.push(format!("{at}：清单中没有这一期的登记")),
            Some(e) if e.sm3 != d.sm3 => found.push(format!("{at}：清单中登记的 SM3 与合订本所印不同")),
            Some(_) => {}
        }
        found.extend(same_file(&archive, &at, &d.file, &d.sm3));
        if let Some(ofd) = &d.ofd {
            let at = format!("{}（{}）", d.issue, ofd.file);
            let listed = manifest.entries.iter().find(|e| e.file == d.file).and_then(|e| e.ofd.as_ref());
            if listed.is_none_or(|o| o.sm3 != ofd.sm3) {
                found.push(format!("{at}：清单中登记的 OFD 的 SM3 与合订本所印不同"));
            }
            found.extend(same_file(&archive, &at, &ofd.file, &ofd.sm3));
        }
    }
    found.extend(chain_to(&manifest, &anchor.head));
    Ok(VolumeCheck { checked: anchor.docs.len(), findings: found })
}

/// Unless the archived file at `file` has the SM3 a volume printed, what is wrong with it.
fn same_file(archive: &Path, at: &str, file: &str, printed: &str) -> Option<String> {
    match std::fs::read(crate::base::output::under(archive, file)) {
        Ok(b) if sm3(&b) == printed => None,
        Ok(_) => Some(format!("{at}：归档文件的 SM3 与合订本所印不同（文件被改动或替换）")),
        Err(_) => Some(format!("{at}：归档文件缺失")),
    }
}

/// Unless the manifest still holds `head` (the entry it is the link of) with the chain intact
/// up to it, what is wrong.
fn chain_to(manifest: &Manifest, head: &Link) -> Option<String> {
    let at = manifest.entries.iter().position(|e| e.link() == *head);
    let intact = at.is_some_and(|at| manifest.unlinked().iter().all(|&i| i > at));
    (!intact).then(|| format!("合订本所印的登记链末端（SM3 {}）在当前清单中找不到：装订之前的登记被改动、删除、插入或调换过", head.sm3))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(number: u32, previous: Option<Link>) -> Entry {
        let mut e: Entry = serde_json::from_value(serde_json::json!({
            "series": "工作简报", "number": number, "year": 2018, "period": "2018-01", "title": "", "published": "2018-02-05",
            "file": format!("2018/第{number:02}期.pdf"), "sha256": "", "corrects": null, "jianbao": "0.1.0", "inputs": []
        }))
        .unwrap();
        e.previous = previous;
        e
    }

    #[test]
    fn a_chain_that_starts_after_entries_from_before_it_anchors_a_volume() {
        // Two entries from before the chain, then two linked ones.
        let mut m = Manifest { format: 1, entries: vec![entry(1, None), entry(2, None)], ..Manifest::default() };
        for n in 3..=4 {
            let link = m.next_link();
            m.entries.push(entry(n, Some(link)));
        }
        assert!(m.unlinked().is_empty());
        let head = m.entries[3].link();
        assert_eq!(chain_to(&m, &head), None);
        // An edit below the head breaks it; a head no entry has is not found.
        m.entries[3].title = "改过".into();
        assert!(chain_to(&m, &head).is_some());
        assert!(chain_to(&m, &m.entries[2].link()).is_none());
        m.entries[2].title = "改过".into();
        assert!(chain_to(&m, &m.entries[3].link()).is_some(), "entry 4 no longer links to entry 3");
    }
}
