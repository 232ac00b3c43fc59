//! What `meshctl dashboard` prints: the URL (stdout, the data) and failed connections (stderr).

use serde::Serialize;

use super::{Palette, Printer, escape};
use crate::kube::ForwardObserver;

#[derive(Debug, Serialize)]
pub struct DashboardReport {
    pub url: String,
    pub namespace: String,
    pub pod: String,
    pub remote_port: u16,
}

pub fn render_dashboard(report: &DashboardReport, _palette: &Palette) -> String {
    format!("{}\n", escape(&report.url))
}

/// Each connection that could not be forwarded, as a status line.
pub struct ForwardLog<'a> {
    pub printer: &'a Printer,
}

impl ForwardObserver for ForwardLog<'_> {
    fn connection_failed(&self, reason: &str) {
        self.printer.status(&format!(
            "warning: a connection was not forwarded: {reason}"
        ));
    }
}
