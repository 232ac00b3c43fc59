//! Runs a kubeconfig user's exec credential plugin here, under the request timeout, instead of
//! inside kube (which runs it synchronously with no limit, so a plugin that never returns hangs
//! the process). The credential it prints replaces the `exec:` entry for this run.

use std::io::IsTerminal;
use std::process::Stdio;
use std::time::Duration;

use kube::config::{AuthInfo, ExecInteractiveMode};
use serde::Deserialize;

use super::error::{Error, PluginProblem, Result};

/// client-go's ExecCredential, the parts meshctl uses.
#[derive(Deserialize)]
struct ExecCredential {
    status: Option<CredentialStatus>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct CredentialStatus {
    token: Option<String>,
    client_certificate_data: Option<String>,
    client_key_data: Option<String>,
}

/// Replaces `config.auth_info.exec` by the credential the plugin prints within `limit`.
pub async fn resolve(config: &mut kube::Config, limit: Duration) -> Result<()> {
    let Some(exec) = config.auth_info.exec.take() else {
        return Ok(());
    };
    let command = exec.command.clone().unwrap_or_default();
    let failed = |problem| Error::ExecPlugin {
        command: command.clone(),
        problem,
    };
    if command.is_empty() {
        return Err(failed(PluginProblem::NoCommand));
    }
    // Interactive plugins prompt on the terminal; without one (CI), nothing can answer them.
    let interactive =
        exec.interactive_mode != Some(ExecInteractiveMode::Never) && std::io::stdin().is_terminal();
    let mut spec = serde_json::json!({ "interactive": interactive });
    if exec.provide_cluster_info
        && let Some(cluster) = &exec.cluster
    {
        spec["cluster"] = serde_json::to_value(cluster).unwrap_or_default();
    }
    let info = serde_json::json!({
        "apiVersion": exec.api_version.as_deref().unwrap_or("client.authentication.k8s.io/v1"),
        "kind": "ExecCredential",
        "spec": spec,
    });
    let mut cmd = tokio::process::Command::new(&command);
    cmd.args(exec.args.iter().flatten())
        .env("KUBERNETES_EXEC_INFO", info.to_string())
        .stdout(Stdio::piped())
        // The child is killed when its future is dropped, i.e. when the limit is reached.
        .kill_on_drop(true);
    for pair in exec.env.iter().flatten() {
        if let (Some(name), Some(value)) = (pair.get("name"), pair.get("value")) {
            cmd.env(name, value);
        }
    }
    for name in exec.drop_env.iter().flatten() {
        cmd.env_remove(name);
    }
    if interactive {
        cmd.stdin(Stdio::inherit()).stderr(Stdio::inherit());
    } else {
        cmd.stdin(Stdio::null()).stderr(Stdio::piped());
    }
    let child = cmd
        .spawn()
        .map_err(|source| failed(PluginProblem::Start { source }))?;
    let output = match tokio::time::timeout(limit, child.wait_with_output()).await {
        Err(_) => return Err(failed(PluginProblem::TimedOut { after: limit })),
        Ok(Err(source)) => return Err(failed(PluginProblem::Start { source })),
        Ok(Ok(output)) => output,
    };
    if !output.status.success() {
        // Only stderr is shown: stdout may hold a credential even when the plugin fails.
        let stderr = String::from_utf8_lossy(&output.stderr);
        let tail: Vec<&str> = stderr.lines().rev().take(5).collect();
        let said = tail.into_iter().rev().collect::<Vec<_>>().join("\n");
        return Err(failed(PluginProblem::Exited {
            status: describe_status(output.status),
            said,
        }));
    }
    let status = serde_saphyr::from_slice::<ExecCredential>(&output.stdout)
        .ok()
        .and_then(|c| c.status)
        .ok_or_else(|| failed(PluginProblem::NoCredential))?;
    let credential = match status {
        CredentialStatus {
            token: Some(token), ..
        } => serde_json::json!({ "token": token }),
        CredentialStatus {
            client_certificate_data: Some(cert),
            client_key_data: Some(key),
            ..
        } => serde_json::json!({
            "client-certificate-data": base64(cert.as_bytes()),
            "client-key-data": base64(key.as_bytes()),
        }),
        _ => return Err(failed(PluginProblem::NoCredential)),
    };
    let parsed: AuthInfo =
        serde_json::from_value(credential).map_err(|_| failed(PluginProblem::NoCredential))?;
    let auth = &mut config.auth_info;
    auth.token = parsed.token.or(auth.token.take());
    auth.client_certificate_data = parsed
        .client_certificate_data
        .or(auth.client_certificate_data.take());
    auth.client_key_data = parsed.client_key_data.or(auth.client_key_data.take());
    Ok(())
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

/// Standard base64 with padding: the kubeconfig's `*-data` fields hold the PEM encoded so.
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i)) as usize & 63] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_the_standard_alphabet_and_padding() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foo"), "Zm9v");
        assert_eq!(base64(b"foobar"), "Zm9vYmFy");
    }

    #[test]
    fn exit_statuses_read_as_words() {
        use std::os::unix::process::ExitStatusExt;
        let status = std::process::ExitStatus::from_raw(256);
        assert_eq!(describe_status(status), "exit code 1");
        assert_eq!(
            describe_status(std::process::ExitStatus::from_raw(9)),
            "killed by signal 9"
        );
    }
}
