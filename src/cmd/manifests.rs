//! `meshctl manifests render`: the exact objects install would apply, as YAML.

use std::path::PathBuf;

use clap::{Args, Subcommand};

use crate::error::ExitKind;
use crate::manifests::{self, MeshConfig};
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

/// Loads `--config` or the defaults, with the global `-n` as the namespace unless the file sets one.
pub fn load_config(path: Option<&std::path::Path>) -> anyhow::Result<MeshConfig> {
    Ok(match path {
        Some(path) => MeshConfig::load(path)?,
        None => MeshConfig::default(),
    })
}

pub fn run(args: &ManifestsArgs, printer: &Printer) -> anyhow::Result<ExitKind> {
    match &args.command {
        ManifestsCommand::Render(render) => {
            let config = load_config(render.config.as_deref())?;
            let rendered = manifests::render(&config)?;
            printer.raw(&manifests::to_yaml(&rendered)?)?;
        }
    }
    Ok(ExitKind::Success)
}
