//! Streaming download with the SHA-256 computed on the way, from http(s):// or file:// mirrors,
//! retried with backoff on transient failures.

use std::io::Write;
use std::time::Duration;

use futures::StreamExt;
use sha2::{Digest, Sha256};
use tempfile::NamedTempFile;

use crate::error::MeshError;

/// Download progress, so that the shared layer never knows about progress bars.
pub trait Progress: Send + Sync {
    fn start(&self, url: &str, total: Option<u64>);
    fn advance(&self, bytes: u64);
    fn finish(&self);
}

const ATTEMPTS: u32 = 3;
const TIMEOUT: Duration = Duration::from_secs(120);

/// Fetches `url` and its `url.sha256`, and returns the archive in a temp file only if the digest
/// of the bytes received matches.
pub async fn fetch_verified(
    url: &str,
    progress: &dyn Progress,
) -> Result<NamedTempFile, MeshError> {
    let expected = fetch_checksum(&format!("{url}.sha256")).await?;
    let mut attempt = 0;
    loop {
        attempt += 1;
        match fetch_once(url, progress).await {
            Ok((file, actual)) if actual == expected => return Ok(file),
            Ok((_, actual)) => {
                return Err(MeshError::ChecksumMismatch {
                    url: url.to_string(),
                    expected,
                    actual,
                });
            }
            Err(Failure::Transient(reason)) if attempt < ATTEMPTS => {
                let wait =
                    Duration::from_millis(250 * 2u64.pow(attempt) + rand::random_range(0..250));
                tracing::info!(url, reason, ?wait, "retrying download");
                tokio::time::sleep(wait).await;
            }
            Err(Failure::Transient(reason) | Failure::Permanent(reason)) => {
                return Err(MeshError::Download {
                    url: url.to_string(),
                    reason,
                });
            }
        }
    }
}

enum Failure {
    Transient(String),
    Permanent(String),
}

async fn fetch_checksum(url: &str) -> Result<String, MeshError> {
    let body = match url.strip_prefix("file://") {
        Some(path) => tokio::fs::read(path)
            .await
            .map_err(|e| MeshError::Download {
                url: url.into(),
                reason: e.to_string(),
            })?,
        None => {
            let response = client()?
                .get(url)
                .send()
                .await
                .map_err(|e| MeshError::Download {
                    url: url.into(),
                    reason: describe(&e),
                })?;
            let status = response.status();
            if !status.is_success() {
                return Err(MeshError::Download {
                    url: url.into(),
                    reason: format!("HTTP {status}"),
                });
            }
            response
                .bytes()
                .await
                .map_err(|e| MeshError::Download {
                    url: url.into(),
                    reason: describe(&e),
                })?
                .to_vec()
        }
    };
    let text = String::from_utf8_lossy(&body);
    let digest = text
        .split_whitespace()
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    if digest.len() != 64 || !digest.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(MeshError::Download {
            url: url.into(),
            reason: "not a SHA-256 checksum file".into(),
        });
    }
    Ok(digest)
}

async fn fetch_once(
    url: &str,
    progress: &dyn Progress,
) -> Result<(NamedTempFile, String), Failure> {
    let mut file = NamedTempFile::new()
        .map_err(|e| Failure::Permanent(format!("cannot create a temp file: {e}")))?;
    let mut hasher = Sha256::new();
    if let Some(path) = url.strip_prefix("file://") {
        let bytes = tokio::fs::read(path)
            .await
            .map_err(|e| Failure::Permanent(e.to_string()))?;
        progress.start(url, Some(bytes.len() as u64));
        hasher.update(&bytes);
        file.write_all(&bytes)
            .map_err(|e| Failure::Permanent(e.to_string()))?;
        progress.advance(bytes.len() as u64);
    } else {
        let response = client()
            .map_err(|e| Failure::Permanent(e.to_string()))?
            .get(url)
            .send()
            .await
            .map_err(classify)?;
        let status = response.status();
        if !status.is_success() {
            let reason = format!("HTTP {status}");
            return Err(if status.is_server_error() {
                Failure::Transient(reason)
            } else {
                Failure::Permanent(reason)
            });
        }
        let total = response.content_length();
        progress.start(url, total);
        let mut received = 0u64;
        let mut stream = response.bytes_stream();
        while let Some(chunk) = stream.next().await {
            let chunk = chunk.map_err(classify)?;
            hasher.update(&chunk);
            file.write_all(&chunk)
                .map_err(|e| Failure::Permanent(e.to_string()))?;
            received += chunk.len() as u64;
            progress.advance(chunk.len() as u64);
        }
        if let Some(total) = total.filter(|t| *t != received) {
            progress.finish();
            return Err(Failure::Transient(format!(
                "truncated: received {received} of {total} bytes"
            )));
        }
    }
    progress.finish();
    file.flush()
        .map_err(|e| Failure::Permanent(e.to_string()))?;
    Ok((file, format!("{:x}", hasher.finalize())))
}

fn client() -> Result<reqwest::Client, MeshError> {
    // reqwest is built without a bundled crypto provider; use ring, as the kube client does.
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder()
        .connect_timeout(Duration::from_secs(10))
        .timeout(TIMEOUT)
        .user_agent(concat!("meshctl/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(|e| MeshError::Download {
            url: String::new(),
            reason: e.to_string(),
        })
}

fn classify(e: reqwest::Error) -> Failure {
    if e.is_timeout() || e.is_connect() || e.is_body() || e.is_request() {
        Failure::Transient(describe(&e))
    } else {
        Failure::Permanent(describe(&e))
    }
}

fn describe(e: &reqwest::Error) -> String {
    let mut text = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(inner) = source {
        text.push_str(&format!(": {inner}"));
        source = inner.source();
    }
    text
}
