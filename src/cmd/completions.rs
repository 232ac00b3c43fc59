//! `meshctl completions`: shell completion scripts generated from the clap definition.

use clap::{Args, CommandFactory};
use clap_complete::Shell;

use crate::cli::Cli;
use crate::error::ExitKind;
use crate::output::Printer;

/// Print a shell completion script to stdout
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete for
    #[arg(value_enum)]
    pub shell: Shell,
}

pub fn script(shell: Shell) -> String {
    let mut buffer = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "meshctl", &mut buffer);
    String::from_utf8_lossy(&buffer).into_owned()
}

pub fn run(args: &CompletionsArgs, printer: &Printer) -> anyhow::Result<ExitKind> {
    printer.raw(&script(args.shell))?;
    Ok(ExitKind::Success)
}
