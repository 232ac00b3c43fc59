//! Text rendering of an install or uninstall report, and the spinner that shows its progress.

use std::sync::Mutex;

use indicatif::ProgressBar;

use super::{DownloadBar, Mark, Palette, Printer, escape};
use crate::checks::Status;
use crate::install::{InstallProgress, InstallReport, StepStatus};
use crate::istioctl;
use crate::kube::ApplyResult;

pub fn render_install(report: &InstallReport, palette: &Palette) -> String {
    let mut out = String::new();
    for check in &report.preflight {
        let mark = match check.status {
            Status::Pass => Mark::Pass,
            Status::Warn => Mark::Warn,
            Status::Fail => Mark::Fail,
            Status::Skip => Mark::Skip,
        };
        out.push_str(&format!(
            "{} preflight: {}: {}\n",
            palette.mark(mark),
            check.title,
            escape(&check.detail)
        ));
    }
    for step in &report.steps {
        let mark = match step.status {
            StepStatus::Done => Mark::Pass,
            StepStatus::Planned => Mark::Info,
            StepStatus::Skipped => Mark::Skip,
            StepStatus::Interrupted => Mark::Fail,
        };
        let detail = escape(&step.detail);
        out.push_str(&format!("{} {}: {detail}\n", palette.mark(mark), step.name));
    }
    if !report.objects.is_empty() {
        out.push_str(&format!("\n{}\n", palette.bold.apply_to("objects")));
        for object in &report.objects {
            let style = match object.result {
                ApplyResult::Rejected => &palette.fail,
                ApplyResult::Skipped => &palette.warn,
                _ => &palette.dim,
            };
            let result = format!("{:<11}", object.result.to_string());
            out.push_str(&format!(
                "  {} {}",
                style.apply_to(result),
                escape(&object.resource)
            ));
            if let Some(reason) = &object.reason {
                out.push_str(&format!("  ({})", escape(reason)));
            }
            out.push('\n');
        }
    }
    let prefix = if report.dry_run {
        "Dry run, nothing changed: "
    } else {
        ""
    };
    out.push_str(&format!("\n{prefix}{}\n", summary(report)));
    out
}

/// `3 created, 9 unchanged, 2 skipped`: every result that occurred, in a fixed order.
fn summary(report: &InstallReport) -> String {
    let parts: Vec<String> = ApplyResult::ALL
        .into_iter()
        .map(|result| (report.count(result), result))
        .filter(|(count, _)| *count > 0)
        .map(|(count, result)| format!("{count} {result}"))
        .collect();
    if parts.is_empty() {
        "no objects".into()
    } else {
        parts.join(", ")
    }
}

/// The install workflow's progress on stderr: a download bar, one spinner per long task with
/// istioctl's latest line, warnings as status lines. Hidden where nobody watches; istioctl's
/// lines then go to the log (`-v`).
pub struct InstallSpinner<'a> {
    printer: &'a Printer,
    download: DownloadBar,
    spinner: Mutex<Option<ProgressBar>>,
}

impl<'a> InstallSpinner<'a> {
    pub fn new(printer: &'a Printer) -> Self {
        Self {
            printer,
            download: printer.download_bar(),
            spinner: Mutex::new(None),
        }
    }

    fn with_spinner(&self, f: impl FnOnce(&mut Option<ProgressBar>)) {
        // A panic elsewhere cannot leave the spinner in a state worth refusing to draw.
        let mut guard = self.spinner.lock().unwrap_or_else(|e| e.into_inner());
        f(&mut guard);
    }
}

/// A task cut short by an error leaves no spinner behind.
impl Drop for InstallSpinner<'_> {
    fn drop(&mut self) {
        self.end();
    }
}

impl InstallProgress for InstallSpinner<'_> {
    fn download(&self) -> &dyn istioctl::Progress {
        &self.download
    }

    fn begin(&self, task: &str) {
        let next = self.printer.spinner(task);
        self.with_spinner(|s| {
            if let Some(previous) = s.replace(next) {
                previous.finish_and_clear();
            }
        });
    }

    fn output(&self, line: &str) {
        self.with_spinner(|s| match s {
            Some(spinner) if !spinner.is_hidden() => {
                spinner.set_message(format!("istioctl: {}", escape(line.trim())));
            }
            _ => tracing::info!(target: "meshctl::istioctl", "{}", escape(line)),
        });
    }

    fn end(&self) {
        self.with_spinner(|s| {
            if let Some(spinner) = s.take() {
                spinner.finish_and_clear();
            }
        });
    }

    fn warn(&self, message: &str) {
        self.printer
            .status(&format!("warning: {}", escape(message)));
    }
}
