//! Runs istioctl with its output streamed line by line to the caller.

use std::path::Path;
use std::process::Stdio;

use tokio::io::{AsyncBufReadExt, BufReader};

use super::error::{Error, Result};

/// Runs `istioctl ARGS`, handing every line of stdout and stderr to `on_line`; returns all lines.
pub async fn run_streamed(
    binary: &Path,
    args: &[String],
    on_line: &(dyn Fn(&str) + Sync),
) -> Result<Vec<String>> {
    let command_line = format!("{} {}", binary.display(), args.join(" "));
    let mut child = tokio::process::Command::new(binary)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .map_err(|source| Error::Spawn {
            command: command_line.clone(),
            source,
        })?;
    let mut lines = Vec::new();
    let mut stdout = child.stdout.take().map(|s| BufReader::new(s).lines());
    let mut stderr = child.stderr.take().map(|s| BufReader::new(s).lines());
    loop {
        let line = tokio::select! {
            Some(Ok(Some(line))) = async { match stdout.as_mut() { Some(s) => Some(s.next_line().await), None => None } } => line,
            Some(Ok(Some(line))) = async { match stderr.as_mut() { Some(s) => Some(s.next_line().await), None => None } } => line,
            else => break,
        };
        on_line(&line);
        lines.push(line);
    }
    let status = child.wait().await.map_err(|source| Error::Spawn {
        command: command_line.clone(),
        source,
    })?;
    if !status.success() {
        let tail = lines
            .iter()
            .rev()
            .take(20)
            .rev()
            .cloned()
            .collect::<Vec<_>>()
            .join("\n");
        return Err(Error::Failed {
            command: command_line,
            status,
            output: tail,
        });
    }
    Ok(lines)
}
