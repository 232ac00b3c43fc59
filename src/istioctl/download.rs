//! Streaming download with the SHA-256 computed on the way, from http(s):// or file:// mirrors,
//! retried with backoff on transient failures.

use std::io::Write;
use std::time::Duration;

use futures::StreamExt;
use sha2::{Digest, Sha256};
use tempfile::NamedTempFile;

use super::error::{Error, Fetch, Result};

/// Download progress, so that the shared layer never knows about progress bars.
pub trait Progress: Send + Sync {
    fn start(&self, url: &str, total: Option<u64>);
    fn advance(&self, bytes: u64);
    fn finish(&self);
}

const ATTEMPTS: u32 = 3;
const TIMEOUT: Duration = Duration::from_secs(120);

/// A verified archive in a temp file, with its SHA-256.
pub struct Verified {
    pub file: NamedTempFile,
    pub sha256: String,
}

/// Fetches `url` and its `url.sha256`, and returns the archive in a temp file only if the digest
/// of the bytes received matches.
pub async fn fetch_verified(url: &str, progress: &dyn Progress) -> Result<Verified> {
    let expected = fetch_checksum(&format!("{url}.sha256")).await?;
    let mut attempt = 0;
    loop {
        attempt += 1;
        match fetch_once(url, progress).await {
            Ok((file, actual)) if actual == expected => {
                return Ok(Verified {
                    file,
                    sha256: actual,
                });
            }
            Ok((_, actual)) => {
                return Err(Error::ChecksumMismatch {
                    url: url.to_string(),
                    expected,
                    actual,
                });
            }
            Err(Failure::Transient(reason)) if attempt < ATTEMPTS => {
                let wait =
                    Duration::from_millis(250 * 2u64.pow(attempt) + rand::random_range(0..250));
                tracing::info!(url, %reason, ?wait, "retrying download");
                tokio::time::sleep(wait).await;
            }
            Err(Failure::Transient(source) | Failure::Permanent(source)) => {
                return Err(Error::Download {
                    url: url.to_string(),
                    source,
                });
            }
        }
    }
}

enum Failure {
    Transient(Fetch),
    Permanent(Fetch),
}

async fn fetch_checksum(url: &str) -> Result<String> {
    let failed = |source| Error::Download {
        url: url.into(),
        source,
    };
    let body = match url.strip_prefix("file://") {
        Some(path) => tokio::fs::read(path)
            .await
            .map_err(|e| failed(Fetch::Io(e)))?,
        None => {
            let response = client()
                .map_err(failed)?
                .get(url)
                .send()
                .await
                .map_err(|e| failed(Fetch::Http(e)))?;
            let status = response.status();
            if !status.is_success() {
                return Err(failed(Fetch::Status(status)));
            }
            response
                .bytes()
                .await
                .map_err(|e| failed(Fetch::Http(e)))?
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
        return Err(failed(Fetch::NotChecksum));
    }
    Ok(digest)
}

async fn fetch_once(
    url: &str,
    progress: &dyn Progress,
) -> Result<(NamedTempFile, String), Failure> {
    let io = |e| Failure::Permanent(Fetch::Io(e));
    let mut file = NamedTempFile::new().map_err(io)?;
    let mut hasher = Sha256::new();
    if let Some(path) = url.strip_prefix("file://") {
        let bytes = tokio::fs::read(path).await.map_err(io)?;
        progress.start(url, Some(bytes.len() as u64));
        hasher.update(&bytes);
        file.write_all(&bytes).map_err(io)?;
        progress.advance(bytes.len() as u64);
    } else {
        let response = client()
            .map_err(Failure::Permanent)?
            .get(url)
            .send()
            .await
            .map_err(classify)?;
        let status = response.status();
        if !status.is_success() {
            return Err(if status.is_server_error() {
                Failure::Transient(Fetch::Status(status))
            } else {
                Failure::Permanent(Fetch::Status(status))
            });
        }
        let total = response.content_length();
        progress.start(url, total);
        let mut received = 0u64;
        let mut stream = response.bytes_stream();
        while let Some(chunk) = stream.next().await {
            let chunk = chunk.map_err(classify)?;
            hasher.update(&chunk);
            file.write_all(&chunk).map_err(io)?;
            received += chunk.len() as u64;
            progress.advance(chunk.len() as u64);
        }
        if let Some(total) = total.filter(|t| *t != received) {
            progress.finish();
            return Err(Failure::Transient(Fetch::Truncated { received, total }));
        }
    }
    progress.finish();
    file.flush().map_err(io)?;
    Ok((file, format!("{:x}", hasher.finalize())))
}

fn client() -> Result<reqwest::Client, Fetch> {
    // reqwest is built without a bundled crypto provider; use ring, as the kube client does.
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder()
        .connect_timeout(Duration::from_secs(10))
        .timeout(TIMEOUT)
        .user_agent(concat!("meshctl/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(Fetch::Http)
}

fn classify(e: reqwest::Error) -> Failure {
    if e.is_timeout() || e.is_connect() || e.is_body() || e.is_request() {
        Failure::Transient(Fetch::Http(e))
    } else {
        Failure::Permanent(Fetch::Http(e))
    }
}
