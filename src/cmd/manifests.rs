//! `meshctl manifests render`: the exact objects install would apply, as YAML (or a JSON List).

use std::path::PathBuf;

use clap::{Args, Subcommand};

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
            let rendered = manifests::render(&config)?;
            let yaml = manifests::to_yaml(&rendered)?;
            let objects: Vec<_> = rendered.into_iter().map(|m| m.object).collect();
            printer.manifests(&objects, &yaml)?;
        }
    }
    Ok(ExitKind::Success)
}
