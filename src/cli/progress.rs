//! The progress bar: shown on a terminal once typesetting has taken about a second, never
//! when output goes to a file or a pipe.

use std::io::IsTerminal;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

pub struct Bar {
    bar: ProgressBar,
    started: Mutex<Instant>,
    terminal: bool,
    shown: AtomicBool,
}

impl Bar {
    pub fn new() -> Bar {
        let bar = ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::hidden());
        let style = ProgressStyle::with_template("排版 {bar:30} {pos}/{len} {msg}").expect("valid template");
        bar.set_style(style);
        Bar { bar, started: Mutex::new(Instant::now()), terminal: std::io::stderr().is_terminal(), shown: AtomicBool::new(false) }
    }
}

impl jianbao::Progress for Bar {
    fn finish(&self) {
        self.bar.finish_and_clear();
    }

    fn start(&self, total: usize) {
        *self.started.lock().expect("not poisoned") = Instant::now();
        self.shown.store(false, Ordering::Relaxed);
        self.bar.set_draw_target(ProgressDrawTarget::hidden());
        self.bar.reset();
        self.bar.set_length(total as u64);
    }

    fn done(&self, id: &str) {
        self.bar.inc(1);
        self.bar.set_message(id.to_string());
        let slow = self.started.lock().expect("not poisoned").elapsed() > Duration::from_secs(1);
        if self.terminal && slow && !self.shown.swap(true, Ordering::Relaxed) {
            self.bar.set_draw_target(ProgressDrawTarget::stderr());
        }
    }
}
