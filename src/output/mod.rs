//! The one printer: data to stdout (text, JSON or YAML from the same typed result), status,
//! errors and progress to stderr. Colour only on a terminal and never under `NO_COLOR`.

// The one module allowed to write to the terminal.
#![allow(clippy::print_stdout, clippy::print_stderr)]

mod addons;
mod codes;
mod dashboard;
mod escape;
mod health;
mod inject;
mod install;
mod load;
mod manifests;
mod progress;
mod redact;
mod traffic;
mod troubleshoot;
mod waypoint;

use std::io::{BufRead, IsTerminal, Write};
use std::time::Duration;

use console::Style;
use indicatif::{ProgressBar, ProgressStyle};
use serde::Serialize;

pub use addons::{render_addon_status, render_addons};
pub use codes::{CodeCatalog, render_codes};
pub use dashboard::{DashboardReport, ForwardLog, render_dashboard};
pub use escape::escape;
pub use health::{CheckList, render_check_list, render_health};
pub use inject::{RolloutStatus, render_enrol, render_inject};
pub use install::{InstallSpinner, render_install};
pub use load::render_traffic;
pub use progress::DownloadBar;
pub use redact::redact;
pub use traffic::TrafficReport;
pub use troubleshoot::{TroubleshootReport, render_troubleshoot};
pub use waypoint::{
    WaypointDeletions, WaypointList, render_waypoint_apply, render_waypoint_delete,
    render_waypoint_list, render_waypoint_status,
};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutputFormat {
    Text,
    Json,
    Yaml,
}

#[derive(Debug, Clone)]
pub struct Printer {
    format: OutputFormat,
    quiet: bool,
    verbose: u8,
    stdout_color: bool,
    stderr_color: bool,
}

/// The styles text renderers use; plain when colour is off.
pub struct Palette {
    pub pass: Style,
    pub warn: Style,
    pub fail: Style,
    pub dim: Style,
    pub bold: Style,
}

/// The one marks table: how an outcome looks in text output, with or without colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mark {
    Pass,
    Warn,
    Fail,
    Skip,
    Info,
}

impl Palette {
    /// The mark's symbol in its style: `✓ ‼ × -`, and `i` for information.
    pub fn mark(&self, mark: Mark) -> console::StyledObject<&'static str> {
        let (symbol, style) = match mark {
            Mark::Pass => ("✓", &self.pass),
            Mark::Warn => ("‼", &self.warn),
            Mark::Fail => ("×", &self.fail),
            Mark::Skip => ("-", &self.dim),
            Mark::Info => ("i", &self.dim),
        };
        style.apply_to(symbol)
    }

    fn new(enabled: bool) -> Self {
        let style = |s: Style| s.force_styling(enabled);
        Self {
            pass: style(Style::new().green()),
            warn: style(Style::new().yellow()),
            fail: style(Style::new().red()),
            dim: style(Style::new().dim()),
            bold: style(Style::new().bold()),
        }
    }
}

impl Printer {
    pub fn new(format: OutputFormat, no_color: bool, quiet: bool, verbose: u8) -> Self {
        let allowed = !no_color && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
        Self {
            format,
            quiet,
            verbose,
            stdout_color: allowed && std::io::stdout().is_terminal(),
            stderr_color: allowed && std::io::stderr().is_terminal(),
        }
    }

    /// Writes the result: serialized for json/yaml, else the text the renderer makes from it.
    pub fn data<T: Serialize>(
        &self,
        value: &T,
        text: impl FnOnce(&Palette) -> String,
    ) -> anyhow::Result<()> {
        let rendered = match self.format {
            OutputFormat::Json => serde_json::to_string_pretty(value)? + "\n",
            OutputFormat::Yaml => serde_saphyr::to_string(value)?,
            OutputFormat::Text => text(&Palette::new(self.stdout_color)),
        };
        write_stdout(&redact::redact_data(&rendered))
    }

    /// Writes generated text (a completion script, rendered YAML) to stdout as it is.
    pub fn raw(&self, text: &str) -> anyhow::Result<()> {
        write_stdout(&redact::redact_data(text))
    }

    /// A status line on stderr (not under `-q`), escaped and with secrets taken out.
    pub fn status(&self, message: &str) {
        if !self.quiet {
            eprintln!("{}", escape(&redact(message)));
        }
    }

    /// Whether stderr gets colour: a terminal, and neither `--no-color` nor `NO_COLOR`.
    pub fn stderr_colour(&self) -> bool {
        self.stderr_color
    }

    /// Asks `question` on the terminal and reads y/N; `None` when stdin is not a terminal, so
    /// automation must pass `-y` instead of hanging on a prompt nobody sees.
    pub fn confirm(&self, question: &str) -> anyhow::Result<Option<bool>> {
        if !std::io::stdin().is_terminal() {
            return Ok(None);
        }
        eprint!("{} [y/N] ", escape(question));
        std::io::stderr().flush()?;
        let mut answer = String::new();
        std::io::stdin().lock().read_line(&mut answer)?;
        Ok(Some(matches!(answer.trim(), "y" | "Y" | "yes")))
    }

    pub fn error(&self, message: &str, hint: Option<&str>) {
        let palette = Palette::new(self.stderr_color);
        let message = escape(&redact(message)).into_owned();
        eprintln!("{} {message}", palette.fail.apply_to("error:"));
        if let Some(hint) = hint {
            let hint = escape(&redact(hint)).into_owned();
            eprintln!("  {} {hint}", palette.dim.apply_to("hint:"));
        }
    }

    /// A bar for a load test on stderr: requests done of `total`, or a counter for a duration.
    pub fn load_bar(&self, total: Option<u64>) -> ProgressBar {
        if !self.watched() || !std::io::stderr().is_terminal() {
            return ProgressBar::hidden();
        }
        let (bar, template) = match total {
            Some(total) => (
                ProgressBar::new(total),
                "{wide_bar} {pos}/{len} requests {per_sec} ETA {eta}",
            ),
            None => (
                ProgressBar::new_spinner(),
                "{spinner} {pos} requests {per_sec} {elapsed}",
            ),
        };
        if let Ok(style) = ProgressStyle::with_template(template) {
            bar.set_style(style);
        }
        bar
    }

    /// A download progress bar on stderr, under the same conditions as the spinner.
    pub fn download_bar(&self) -> DownloadBar {
        DownloadBar::new(self.watched())
    }

    fn watched(&self) -> bool {
        self.format == OutputFormat::Text && !self.quiet && self.verbose == 0
    }

    /// A spinner on stderr, only where a person watches: a TTY, text output, not -q or -v.
    pub fn spinner(&self, message: &str) -> ProgressBar {
        if !self.watched() || !std::io::stderr().is_terminal() {
            return ProgressBar::hidden();
        }
        let bar = ProgressBar::new_spinner().with_message(message.to_string());
        if let Ok(style) = ProgressStyle::with_template("{spinner} {msg} {elapsed}") {
            bar.set_style(style);
        }
        bar.enable_steady_tick(Duration::from_millis(100));
        bar
    }
}

/// A closed pipe (`meshctl health | head -1`) is not an error worth a message.
fn write_stdout(text: &str) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => Ok(other?),
    }
}

/// Where `-v` logs go: stderr, with secrets taken out of every line, whichever crate logged it.
#[derive(Debug, Clone, Copy, Default)]
pub struct LogWriter;

impl Write for LogWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        // The formatter hands over one whole event per call, so a secret is never split.
        let text = String::from_utf8_lossy(buf);
        std::io::stderr().write_all(redact(&text).as_bytes())?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        std::io::stderr().flush()
    }
}
