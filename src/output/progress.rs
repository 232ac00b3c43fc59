//! An indicatif download bar behind the shared layer's `Progress` trait: bytes, rate, ETA on a
//! terminal, nothing at all otherwise.

use std::io::IsTerminal;

use indicatif::{ProgressBar, ProgressStyle};

use crate::istioctl::Progress;

pub struct DownloadBar {
    bar: ProgressBar,
}

impl DownloadBar {
    pub(super) fn new(visible: bool) -> Self {
        let bar = if visible && std::io::stderr().is_terminal() {
            ProgressBar::new(0)
        } else {
            ProgressBar::hidden()
        };
        Self { bar }
    }
}

impl Progress for DownloadBar {
    fn start(&self, url: &str, total: Option<u64>) {
        let template = match total {
            Some(_) => "{msg}\n{wide_bar} {bytes}/{total_bytes} {bytes_per_sec} ETA {eta}",
            None => "{msg}\n{spinner} {bytes} {bytes_per_sec}",
        };
        if let Ok(style) = ProgressStyle::with_template(template) {
            self.bar.set_style(style);
        }
        self.bar.set_length(total.unwrap_or(0));
        self.bar.set_position(0);
        self.bar.set_message(format!("downloading {url}"));
    }

    fn advance(&self, bytes: u64) {
        self.bar.inc(bytes);
    }

    fn finish(&self) {
        self.bar.finish_and_clear();
    }
}
