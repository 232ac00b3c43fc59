//! Text rendering of `meshctl addons install|uninstall|status`.

use super::{Mark, Palette, escape};
use crate::addons::{AddonsReport, StatusReport};
use crate::kube::ApplyResult;

pub fn render_addons(report: &AddonsReport, palette: &Palette) -> String {
    let mut out = String::new();
    for addon in &report.addons {
        let version = addon.version.as_deref().unwrap_or("unknown version");
        let mark = match addon.ready {
            Some(true) => Mark::Pass,
            Some(false) => Mark::Fail,
            None => Mark::Info,
        };
        let state = match (report.action, addon.ready) {
            ("install", Some(true)) => format!("ready at {}", escape(&addon.url)),
            ("install", _) => "planned (dry run: not waited for)".to_string(),
            _ => format!("{} object(s) removed", count(addon, ApplyResult::Deleted)),
        };
        out.push_str(&format!(
            "{} {} {}: {state}\n",
            palette.mark(mark),
            palette.bold.apply_to(&addon.name),
            escape(version)
        ));
        for object in &addon.objects {
            let style = match object.result {
                ApplyResult::Rejected => &palette.fail,
                ApplyResult::Skipped | ApplyResult::Kept => &palette.warn,
                _ => &palette.dim,
            };
            let result = format!("{:<11}", object.result.to_string());
            out.push_str(&format!(
                "    {} {}",
                style.apply_to(result),
                escape(&object.resource)
            ));
            if let Some(reason) = &object.reason {
                out.push_str(&format!("  ({})", escape(reason)));
            }
            out.push('\n');
        }
    }
    if report.dry_run {
        out.push_str("\nDry run, nothing changed\n");
    }
    out
}

fn count(addon: &crate::addons::AddonOutcome, result: ApplyResult) -> usize {
    addon.objects.iter().filter(|o| o.result == result).count()
}

pub fn render_addon_status(report: &StatusReport, palette: &Palette) -> String {
    let mut out = String::new();
    for addon in &report.addons {
        if !addon.installed {
            out.push_str(&format!(
                "{} {:<11} not installed (meshctl addons install {})\n",
                palette.mark(Mark::Skip),
                addon.name,
                addon.name
            ));
            continue;
        }
        let mark = if addon.ready { Mark::Pass } else { Mark::Fail };
        let owner = if addon.managed_by_meshctl {
            ""
        } else {
            " (not applied by meshctl)"
        };
        out.push_str(&format!(
            "{} {:<11} {:<10} {}/{} ready  {}{owner}\n",
            palette.mark(mark),
            addon.name,
            escape(addon.version.as_deref().unwrap_or("?")),
            addon.ready_replicas,
            addon.replicas,
            escape(&addon.url),
        ));
    }
    out
}
