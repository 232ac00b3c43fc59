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

/// `exit code 1` or `killed by signal 9`, not `ExitStatus(unix_wait_status(256))`.
pub fn describe_status(status: std::process::ExitStatus) -> String {
    use std::os::unix::process::ExitStatusExt;
    match (status.code(), status.signal()) {
        (Some(code), _) => format!("exit code {code}"),
        (None, Some(signal)) => format!("killed by signal {signal}"),
        _ => status.to_string(),
    }
}

/// A freshly unpacked istioctl must answer `version --remote=false` (offline, no cluster) with
/// its version before it is cached: an archive may hold something that only looks right.
pub async fn check_answers(binary: &Path, url: &str, version: &str) -> Result<()> {
    let failed = |problem: String| Error::DoesNotRun {
        url: url.to_string(),
        problem,
    };
    let run = tokio::process::Command::new(binary)
        .args(["version", "--remote=false"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .output();
    let limit = std::time::Duration::from_secs(20);
    let output = match tokio::time::timeout(limit, run).await {
        Err(_) => {
            return Err(failed(format!(
                "did not answer within {} s",
                limit.as_secs()
            )));
        }
        Ok(Err(e)) => return Err(failed(format!("could not start: {e}"))),
        Ok(Ok(output)) => output,
    };
    if !output.status.success() {
        return Err(failed(format!(
            "failed with {}",
            describe_status(output.status)
        )));
    }
    let said = String::from_utf8_lossy(&output.stdout);
    let core = version.split('-').next().unwrap_or(version);
    if !said.contains(core) {
        return Err(failed(format!("does not report version {version}")));
    }
    Ok(())
}
