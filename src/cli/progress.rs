//! The progress bar: a [`Reporter`] drawn with indicatif on stderr, hidden when stderr is not a
//! terminal or `--quiet` is given. Warnings are always printed.

use indicatif::{ProgressBar, ProgressStyle};
use napscan::events::{Event, Reporter};

pub(crate) struct Progress {
    bar: ProgressBar,
}

impl Progress {
    pub(crate) fn new(visible: bool) -> Progress {
        let bar = if visible { ProgressBar::new(0) } else { ProgressBar::hidden() };
        bar.set_style(
            ProgressStyle::with_template("{prefix:>8} [{bar:30}] {pos}/{len} {wide_msg}")
                .unwrap_or_else(|_| ProgressStyle::default_bar())
                .progress_chars("=> "),
        );
        Progress { bar }
    }

    pub(crate) fn finish(&self) {
        self.bar.finish_and_clear();
    }
}

impl Reporter for Progress {
    fn report(&self, event: Event<'_>) {
        match event {
            Event::Stage { name, total } => {
                self.bar.set_prefix(name.to_string());
                self.bar.set_length(total as u64);
                self.bar.set_position(0);
            }
            Event::Item { doc_id } => {
                self.bar.set_message(doc_id.to_string());
                self.bar.inc(1);
            }
            Event::Warning(w) => self.bar.suspend(|| eprintln!("napscan: warning: {w}")),
        }
    }
}
