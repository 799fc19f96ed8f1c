//! Typesetting many documents on every core: the costliest first, each thread taking the next
//! document as soon as it finishes one, while a writer thread stages each document's files as
//! synced temporaries. Typst's memo cache is trimmed as documents are done, so that memory
//! stays bounded however many documents a build has.

use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{mpsc, Mutex};

use crate::base::error::{Error, Result};
use crate::base::output::Staged;

/// Documents done between two trims of typst's memo cache; a trim drops every entry not used
/// since the last one (county scale, interleaved runs: peak 210-225 MB against 231-237 MB when
/// entries were kept for two trims, the same time).
const TRIM_EVERY: usize = 8;

/// The files of one item, relative to the output folder, with their sizes.
pub type Made = Vec<(String, u64)>;

/// Files to stage, relative to the output folder.
type Files = Vec<(String, Vec<u8>)>;

/// Runs `make` on every item, the costliest first (by `cost`), on rayon's threads; stages each
/// file it returns (relative to `out`) as it comes, grouped by the item's `name` (a group is
/// replaced whole or not at all). Returns what each item made, or why it could not be made,
/// in the items' order, and the staged files. One item's failure does not stop the others; a
/// failure to stage (the disk) stops everything.
pub fn make_all<T: Sync>(
    items: &[T],
    out: &Path,
    cost: impl Fn(&T) -> usize,
    name: impl Fn(&T) -> &str + Sync,
    make: impl Fn(&T) -> Result<Files> + Sync,
) -> Result<(Vec<Result<Made>>, Staged)> {
    let mut order: Vec<usize> = (0..items.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(cost(&items[i])));
    let queue = Queue { order, next: AtomicUsize::new(0), done: AtomicUsize::new(0), stop: AtomicBool::new(false) };
    let made: Mutex<Vec<Option<Result<Made>>>> = Mutex::new((0..items.len()).map(|_| None).collect());
    let staged = std::thread::scope(|s| {
        let (tx, rx) = mpsc::channel::<(String, String, Vec<u8>)>();
        let writer = s.spawn(move || {
            let mut staged = Staged::default();
            for (group, rel, bytes) in rx {
                staged.add_to(&group, crate::base::output::under(out, &rel), &bytes)?;
            }
            Ok::<_, Error>(staged)
        });
        // On rayon's threads, which live as long as the process: their allocator arenas serve
        // build after build (watch mode, tests) instead of new threads' new ones.
        rayon::scope(|rs| {
            for _ in 0..rayon::current_num_threads() {
                let (tx, queue, made, make, name) = (tx.clone(), &queue, &made, &make, &name);
                rs.spawn(move |_| {
                    while let Some(i) = queue.take() {
                        match make(&items[i]) {
                            Ok(files) => {
                                lock(made)[i] = Some(Ok(files.iter().map(|(r, b)| (r.clone(), b.len() as u64)).collect()));
                                // The writer only hangs up when it failed; its error is reported.
                                let group = name(&items[i]);
                                if files.into_iter().any(|(rel, bytes)| tx.send((group.to_string(), rel, bytes)).is_err()) {
                                    queue.stop.store(true, Ordering::Relaxed);
                                }
                            }
                            Err(e) => lock(made)[i] = Some(Err(e)),
                        }
                        queue.finished();
                    }
                });
            }
        });
        drop(tx);
        writer.join().expect("the writer does not panic")
    });
    let staged = staged?;
    let made = made.into_inner().expect("not poisoned").into_iter().map(|m| m.expect("every item made")).collect();
    Ok((made, staged))
}

/// The items in the order they are taken, and how far the threads have got.
struct Queue {
    order: Vec<usize>,
    next: AtomicUsize,
    done: AtomicUsize,
    stop: AtomicBool,
}

impl Queue {
    /// The next item to make, unless all are taken or staging failed.
    fn take(&self) -> Option<usize> {
        if self.stop.load(Ordering::Relaxed) {
            return None;
        }
        self.order.get(self.next.fetch_add(1, Ordering::Relaxed)).copied()
    }

    /// One item is done: every `TRIM_EVERY` items, typst's memo cache is trimmed.
    fn finished(&self) {
        if (self.done.fetch_add(1, Ordering::Relaxed) + 1).is_multiple_of(TRIM_EVERY) {
            comemo::evict(1);
        }
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().expect("no thread panics while holding it")
}
