//! Watch mode: build, then rebuild whenever a workbook, the plan, the configuration or a
//! template appears, changes or goes away. Changes are debounced, lock files and
//! hidden files ignored (`crate::setup::inputs::discover::passed_over_by_name`), and a file is only read once its size has stopped
//! changing (a township's file may still be being copied in). Each build evicts typst's memo
//! cache, so memory stays flat however long it runs.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use notify::{EventKind, RecursiveMode, Watcher};

use crate::base::error::{Error, Result};
use crate::commands::build::{build_with, Built, Progress};
use crate::setup::options::Options;

/// What happened, for the caller to show.
pub enum Event<'a> {
    /// Watching has started (after the first build).
    Ready,
    /// These files changed (relative to the data folder, templates as `templates/…`).
    Changed(&'a [String]),
    Built(&'a Built),
    /// A build failed (a broken template, an unreadable plan): watching goes on.
    Failed(&'a Error),
}

/// How long to wait: no new change for `quiet`, and file sizes unchanged for as long.
#[derive(Debug, Clone, Copy)]
pub struct Timing {
    pub quiet: Duration,
    pub poll: Duration,
}

impl Default for Timing {
    fn default() -> Self {
        Timing { quiet: Duration::from_millis(600), poll: Duration::from_millis(100) }
    }
}

/// Builds, then rebuilds on every change until `stop` is set.
pub fn watch(opts: &Options, timing: Timing, stop: &AtomicBool, progress: &dyn Progress, on: &mut dyn FnMut(Event)) -> Result<()> {
    let roots = Roots::new(opts)?;
    let (tx, rx) = mpsc::channel();
    let mut watcher = notify::recommended_watcher(move |e| {
        let _ = tx.send(e);
    })
    .map_err(|e| watch_error(&roots.data, e))?;
    watcher.watch(&roots.data, RecursiveMode::Recursive).map_err(|e| watch_error(&roots.data, e))?;
    for folder in roots.folders.iter().filter(|f| !f.starts_with(&roots.data) && f.is_dir()) {
        watcher.watch(folder, RecursiveMode::NonRecursive).map_err(|e| watch_error(folder, e))?;
    }
    let mut locked = rebuild(opts, progress, on);
    on(Event::Ready);
    let mut pending = Pending::default();
    let mut last_try = Instant::now();
    while !stop.load(Ordering::Relaxed) {
        match rx.recv_timeout(timing.poll) {
            // Reading files (as every build does) is not a change.
            Ok(Ok(event)) if matches!(event.kind, EventKind::Access(_)) => {}
            Ok(Ok(event)) => event.paths.into_iter().filter(|p| roots.relevant(p)).for_each(|p| pending.note(p)),
            Ok(Err(_)) | Err(mpsc::RecvTimeoutError::Timeout) => {}
            Err(mpsc::RecvTimeoutError::Disconnected) => break,
        }
        if let Some(paths) = pending.settled(timing.quiet, &roots) {
            let changed: Vec<String> = paths.iter().map(|p| roots.name(p)).collect();
            on(Event::Changed(&changed));
            locked = rebuild(opts, progress, on);
            last_try = Instant::now();
        } else if locked && last_try.elapsed() >= RETRY_LOCKED {
            // An output was held open (a PDF viewer, Excel): try again until it is released.
            locked = rebuild(opts, progress, on);
            last_try = Instant::now();
        }
    }
    Ok(())
}

/// How often watch mode tries again to replace an output held open by another program.
const RETRY_LOCKED: Duration = Duration::from_secs(3);

/// Changes waiting for things to settle.
#[derive(Default)]
struct Pending {
    /// Changed files, with the size last seen.
    files: BTreeMap<PathBuf, Option<u64>>,
    /// New folders: files copied into one may arrive before it is watched, so it is looked into.
    folders: BTreeSet<PathBuf>,
    last_change: Option<Instant>,
}

impl Pending {
    fn note(&mut self, path: PathBuf) {
        if path.is_dir() {
            self.folders.insert(path);
        } else {
            self.files.insert(path, None);
        }
        self.last_change = Some(Instant::now());
    }

    /// The changed files, once nothing has changed for `quiet`: no new event, no file still
    /// growing (being copied), nothing new found in the new folders.
    fn settled(&mut self, quiet: Duration, roots: &Roots) -> Option<Vec<PathBuf>> {
        for (path, size) in self.files.iter_mut() {
            let now = std::fs::metadata(path).ok().map(|m| m.len());
            if *size != now {
                *size = now;
                self.last_change = Some(Instant::now());
            }
        }
        if self.last_change?.elapsed() < quiet {
            return None;
        }
        let mut found = false;
        for folder in std::mem::take(&mut self.folders) {
            for entry in walkdir::WalkDir::new(folder).into_iter().filter_map(|e| e.ok()) {
                if entry.file_type().is_file() && roots.relevant(entry.path()) && !self.files.contains_key(entry.path()) {
                    self.files.insert(entry.path().to_path_buf(), None);
                    found = true;
                }
            }
        }
        if found {
            self.last_change = Some(Instant::now());
            return None;
        }
        self.last_change = None;
        let files: Vec<PathBuf> = std::mem::take(&mut self.files).into_keys().collect();
        (!files.is_empty()).then_some(files)
    }
}

/// Builds and tells; true when an output could not be replaced because it was held open.
fn rebuild(opts: &Options, progress: &dyn Progress, on: &mut dyn FnMut(Event)) -> bool {
    match build_with(opts, progress) {
        Ok(built) => {
            on(Event::Built(&built));
            built.diagnostics.iter().any(|d| d.code == "E-LOCKED")
        }
        Err(e) => {
            on(Event::Failed(&e));
            false
        }
    }
}

fn watch_error(path: &Path, e: notify::Error) -> Error {
    Error::io("监视文件夹", path, std::io::Error::other(e.to_string()))
}

/// The watched folders, canonical, so that event paths can be compared with them.
struct Roots {
    data: PathBuf,
    /// The office's template and font folders (the data folder's or those `config.yaml`
    /// names) and the options', those that exist.
    folders: Vec<PathBuf>,
    out: Option<PathBuf>,
}

impl Roots {
    fn new(opts: &Options) -> Result<Roots> {
        let data = opts.data.canonicalize().map_err(|e| Error::io("监视文件夹", &opts.data, e))?;
        let config = std::fs::read(data.join("config.yaml")).ok().and_then(|b| crate::setup::config::Config::parse(&b, &data).ok()).unwrap_or_default();
        // The data folder is canonical already, so its template and font folders compare
        // right even before they exist; an option's folder is made canonical if it is there.
        let folders = crate::setup::inputs::Folders::of(&data, &config, opts.templates.as_deref(), opts.fonts.as_deref());
        let folders = folders.all().map(|p| p.canonicalize().unwrap_or_else(|_| p.to_path_buf())).collect();
        Ok(Roots { data, folders, out: opts.out.canonicalize().ok() })
    }

    /// A change that can change the outputs: any file under the data folder that discovery
    /// reads (a report in whatever format, a piece, the plan, the configuration), a folder
    /// appearing or going away there, or any file in a template or font folder; not a lock
    /// file, a hidden file or an output.
    fn relevant(&self, path: &Path) -> bool {
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        if crate::setup::inputs::discover::passed_over_by_name(&name) || self.out.as_ref().is_some_and(|o| path.starts_with(o)) {
            return false;
        }
        if self.folders.iter().any(|f| path.starts_with(f)) {
            return true;
        }
        let Ok(rel) = path.strip_prefix(&self.data) else { return false };
        let passed_over =
            |c: std::path::Component| crate::setup::inputs::discover::passed_over_by_name(&c.as_os_str().to_string_lossy()) || c.as_os_str() == "out";
        if rel.components().any(passed_over) {
            return false;
        }
        // A folder that appears, or one that went away (moved out: it no longer exists).
        if path.is_dir() || (!path.exists() && path.extension().is_none()) {
            return true;
        }
        let rel_text = crate::setup::inputs::discover::relative(&self.data, path);
        !crate::reading::pieces::in_folder(&rel_text) || crate::reading::pieces::is_piece(&rel_text)
    }

    fn name(&self, path: &Path) -> String {
        match path.strip_prefix(&self.data) {
            Ok(_) => crate::setup::inputs::discover::relative(&self.data, path),
            Err(_) => path.display().to_string(),
        }
    }
}
