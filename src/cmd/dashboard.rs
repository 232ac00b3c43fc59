//! `meshctl dashboard`: an addon's UI, a pod's Envoy admin page or istiod's ControlZ on a local
//! port, forwarded through the API server in process until Ctrl-C.

use std::io::IsTerminal;
use std::net::IpAddr;

use clap::{Args, ValueEnum};

use crate::addons::{self, ADDON_NAMESPACE, Target};
use crate::cmd::args::GlobalArgs;
use crate::error::{ExitKind, UsageError};
use crate::kube::{PodForward, connect};
use crate::output::{DashboardReport, ForwardLog, Printer, render_dashboard};

/// Open a dashboard through a port-forward to its pod (like istioctl dashboard): prints the URL,
/// opens a browser when run on a terminal, and forwards until Ctrl-C
#[derive(Debug, Args)]
pub struct DashboardArgs {
    /// What to open
    #[arg(value_enum)]
    pub target: DashboardTarget,

    /// The pod whose Envoy admin page to open (envoy only), in --namespace [default: production]
    #[arg(required_if_eq("target", "envoy"), value_name = "POD")]
    pub pod: Option<String>,

    /// Address to listen on
    #[arg(long, default_value = "127.0.0.1", value_name = "IP")]
    pub address: IpAddr,

    /// Local port [default: the dashboard's own port, or a free one when that is taken]
    #[arg(long, value_name = "PORT")]
    pub port: Option<u16>,

    /// Do not open a browser
    #[arg(long)]
    pub no_browser: bool,

    /// Print the URL and keep forwarding, without a browser (for SSH and CI)
    #[arg(long)]
    pub show_url: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DashboardTarget {
    Kiali,
    Prometheus,
    Grafana,
    Jaeger,
    Loki,
    /// A pod's Envoy admin interface (port 15000)
    Envoy,
    /// istiod's ControlZ (port 9876)
    Istiod,
}

pub async fn run(
    args: DashboardArgs,
    global: &GlobalArgs,
    printer: &Printer,
) -> anyhow::Result<ExitKind> {
    let (target, namespace, path) = match args.target {
        DashboardTarget::Envoy => {
            let pod = args.pod.clone().unwrap_or_default();
            (Target::Envoy { pod }, global.namespace().to_string(), "/")
        }
        other => {
            if args.pod.is_some() {
                return Err(UsageError {
                    what: "arguments".into(),
                    reason: "a POD is taken only by `dashboard envoy`".into(),
                    hint: "leave the POD out, or use `meshctl dashboard envoy POD`".into(),
                }
                .into());
            }
            // The addons and istiod live in the Istio namespace unless --namespace says otherwise.
            let namespace = global.namespace.as_deref().unwrap_or(ADDON_NAMESPACE);
            let target = match other {
                DashboardTarget::Istiod => Target::Istiod,
                _ => Target::Addon(addon_of(other)?),
            };
            let path = if other == DashboardTarget::Kiali {
                "/kiali"
            } else {
                "/"
            };
            (target, namespace.to_string(), path)
        }
    };
    let conn = connect(&global.cluster_target()).await?;
    let resolved = addons::resolve(&conn, &target, &namespace).await?;
    let listener = addons::listen(
        args.address,
        args.port.unwrap_or(resolved.remote_port),
        args.port.is_some(),
    )
    .await?;
    let local = listener.local_addr()?;
    let report = DashboardReport {
        url: format!("http://{local}{path}"),
        namespace: resolved.namespace.clone(),
        pod: resolved.pod.clone(),
        remote_port: resolved.remote_port,
    };
    printer.data(&report, |p| render_dashboard(&report, p))?;
    printer.status(&format!(
        "forwarding {local} to pod {}/{} port {}; Ctrl-C stops",
        resolved.namespace, resolved.pod, resolved.remote_port
    ));
    if !args.no_browser && !args.show_url && std::io::stdout().is_terminal() {
        open_browser(&report.url, printer);
    }
    let forward = PodForward::new(
        &conn,
        &resolved.namespace,
        &resolved.pod,
        resolved.remote_port,
    );
    let stop = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    forward
        .serve(listener, &ForwardLog { printer }, stop)
        .await?;
    printer.status("stopped");
    Ok(ExitKind::Success)
}

fn addon_of(target: DashboardTarget) -> anyhow::Result<&'static addons::Addon> {
    let name = target
        .to_possible_value()
        .map(|v| v.get_name().to_string())
        .unwrap_or_default();
    addons::find(&name).ok_or_else(|| anyhow::anyhow!("no addon for {target:?}"))
}

/// The desktop's opener; a failure is only a status line, the URL is printed already.
fn open_browser(url: &str, printer: &Printer) {
    let opener = if cfg!(target_os = "macos") {
        "open"
    } else {
        "xdg-open"
    };
    let started = std::process::Command::new(opener)
        .arg(url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
    if started.is_err() {
        printer.status(&format!("could not start {opener}; open {url} yourself"));
    }
}
