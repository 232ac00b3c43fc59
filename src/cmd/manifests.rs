//! `meshctl manifests render`: the exact objects install would apply, as YAML (or a JSON List).

use std::path::PathBuf;

use clap::{Args, Subcommand, ValueEnum};

use crate::cmd::args::GlobalArgs;
use crate::error::ExitKind;
use crate::manifests;
use crate::output::Printer;

/// Work with the embedded mesh manifests
#[derive(Debug, Args)]
pub struct ManifestsArgs {
    #[command(subcommand)]
    pub command: ManifestsCommand,
}

#[derive(Debug, Subcommand)]
pub enum ManifestsCommand {
    /// Print the exact YAML that `install` applies (no cluster needed)
    Render(RenderArgs),
}

#[derive(Debug, Args)]
pub struct RenderArgs {
    /// Config file with values for the manifests [default: the seed's values]
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// Traffic API of the routing: Istio's (Gateway, VirtualService, DestinationRule subsets) or
    /// the Gateway API (Gateway of class istio, HTTPRoutes, a Service per canary version,
    /// authorization with targetRefs for ambient); what it cannot express is said on stderr and
    /// at the top of the YAML
    #[arg(long, value_enum, default_value_t = ApiArg::Istio)]
    pub api: ApiArg,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ApiArg {
    Istio,
    GatewayApi,
}

/// The same values as `install`: `--config` or the seed's, with the global `-n` winning.
pub fn run(
    args: &ManifestsArgs,
    global: &GlobalArgs,
    printer: &Printer,
) -> anyhow::Result<ExitKind> {
    match &args.command {
        ManifestsCommand::Render(render) => {
            let config = global.mesh_config(render.config.as_deref())?;
            let (rendered, notes) = match render.api {
                ApiArg::Istio => (manifests::render(&config)?, Vec::new()),
                ApiArg::GatewayApi => {
                    let rendered = manifests::render_gateway_api(&config)?;
                    (rendered.manifests, rendered.notes)
                }
            };
            // The notes travel with the YAML as comments, and reach a person on stderr.
            let mut yaml: String = notes
                .iter()
                .map(|n| format!("# meshctl: {}\n", n.replace('\n', " ")))
                .collect();
            yaml.push_str(&manifests::to_yaml(&rendered)?);
            for note in &notes {
                printer.status(&format!("warning: {note}"));
            }
            let objects: Vec<_> = rendered.into_iter().map(|m| m.object).collect();
            printer.manifests(&objects, &yaml)?;
        }
    }
    Ok(ExitKind::Success)
}
