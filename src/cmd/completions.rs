//! `meshctl completions`: shell completion scripts generated from the clap definition.

use clap::Args;
use clap_complete::Shell;

use crate::error::ExitKind;
use crate::output::Printer;

/// Print a shell completion script to stdout
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete for
    #[arg(value_enum)]
    pub shell: Shell,
}

/// The script for `shell`, generated from `cli`, the whole command line.
pub fn script(shell: Shell, mut cli: clap::Command) -> String {
    let mut buffer = Vec::new();
    clap_complete::generate(shell, &mut cli, "meshctl", &mut buffer);
    String::from_utf8_lossy(&buffer).into_owned()
}

pub fn run(
    args: &CompletionsArgs,
    cli: clap::Command,
    printer: &Printer,
) -> anyhow::Result<ExitKind> {
    printer.raw(&script(args.shell, cli))?;
    Ok(ExitKind::Success)
}
