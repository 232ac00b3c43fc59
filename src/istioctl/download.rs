//! Streaming download with the SHA-256 computed on the way, from http(s):// or file:// mirrors.
//! Bounded by a connect timeout and a stall timeout (no bytes for that long), not by a limit on
//! the whole transfer, so a slow but steady link finishes and a dead one fails fast; the body
//! sizes are capped; transient failures of both fetches are retried with backoff.

use std::io::{Read, Write};
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

pub const ATTEMPTS: u32 = 3;
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
pub const DEFAULT_STALL_TIMEOUT: Duration = Duration::from_secs(30);
/// Release archives are ~70 MiB; a body far larger is not one.
pub const MAX_ARCHIVE: u64 = 512 * 1024 * 1024;
/// A checksum file is one line: the digest and the archive's name.
pub const MAX_CHECKSUM: u64 = 4096;

/// How long a transfer may go without a byte: `MESHCTL_DOWNLOAD_STALL_TIMEOUT` (`30s`, `500ms`,
/// or plain seconds), else 30 s.
pub fn stall_timeout() -> Duration {
    std::env::var("MESHCTL_DOWNLOAD_STALL_TIMEOUT")
        .ok()
        .and_then(|v| {
            humantime::parse_duration(&v)
                .ok()
                .or_else(|| v.parse::<u64>().ok().map(Duration::from_secs))
        })
        .filter(|d| !d.is_zero())
        .unwrap_or(DEFAULT_STALL_TIMEOUT)
}

/// A verified archive in a temp file, with its SHA-256.
pub struct Verified {
    pub file: NamedTempFile,
    pub sha256: String,
}

/// Fetches `url` and its `url.sha256`, and returns the archive in a temp file only if the digest
/// of the bytes received matches.
pub async fn fetch_verified(url: &str, progress: &dyn Progress) -> Result<Verified> {
    let checksum_url = format!("{url}.sha256");
    let expected = retried(&checksum_url, || fetch_checksum(&checksum_url)).await?;
    let (file, actual) = retried(url, || fetch_archive(url, MAX_ARCHIVE, progress)).await?;
    if actual != expected {
        return Err(Error::ChecksumMismatch {
            url: url.to_string(),
            expected,
            actual,
        });
    }
    Ok(Verified {
        file,
        sha256: actual,
    })
}

/// Fetches `url` (at most `cap` bytes) into a temp file, unverified: for an artifact whose
/// digest the caller pins and checks over its content (a Go module zip's `h1:` hash).
pub async fn fetch_file(url: &str, cap: u64, progress: &dyn Progress) -> Result<NamedTempFile> {
    let (file, _) = retried(url, || fetch_archive(url, cap, progress)).await?;
    Ok(file)
}

enum Failure {
    Transient(Fetch),
    Permanent(Fetch),
}

async fn retried<T, F, Fut>(url: &str, mut once: F) -> Result<T>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, Failure>>,
{
    let mut attempt = 0;
    loop {
        attempt += 1;
        match once().await {
            Ok(value) => return Ok(value),
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

async fn fetch_checksum(url: &str) -> Result<String, Failure> {
    let mut body = Vec::new();
    fetch_into(url, MAX_CHECKSUM, None, &mut |chunk| {
        body.extend_from_slice(chunk);
        Ok(())
    })
    .await?;
    let text = String::from_utf8_lossy(&body);
    let digest = text
        .split_whitespace()
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    if digest.len() != 64 || !digest.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(Failure::Permanent(Fetch::NotChecksum));
    }
    Ok(digest)
}

async fn fetch_archive(
    url: &str,
    cap: u64,
    progress: &dyn Progress,
) -> Result<(NamedTempFile, String), Failure> {
    let io = |e| Failure::Permanent(Fetch::Io(e));
    // Deleted when dropped: on an error, a retry, or the future being dropped on Ctrl-C.
    let mut file = NamedTempFile::new().map_err(io)?;
    let mut hasher = Sha256::new();
    let outcome = fetch_into(url, cap, Some(progress), &mut |chunk| {
        hasher.update(chunk);
        file.write_all(chunk)
    })
    .await;
    progress.finish();
    outcome?;
    file.flush().map_err(io)?;
    Ok((file, format!("{:x}", hasher.finalize())))
}

/// Streams the body of `url` into `sink`, refusing more than `cap` bytes.
async fn fetch_into(
    url: &str,
    cap: u64,
    progress: Option<&dyn Progress>,
    sink: &mut dyn FnMut(&[u8]) -> std::io::Result<()>,
) -> Result<(), Failure> {
    let io = |e| Failure::Permanent(Fetch::Io(e));
    let too_large = || Failure::Permanent(Fetch::TooLarge { limit: cap });
    if let Some(path) = url.strip_prefix("file://") {
        // A FIFO would block and a device read without end: only regular files, and capped.
        let meta = std::fs::metadata(path).map_err(io)?;
        if !meta.is_file() {
            return Err(Failure::Permanent(Fetch::NotAFile));
        }
        if meta.len() > cap {
            return Err(too_large());
        }
        if let Some(p) = progress {
            p.start(url, Some(meta.len()));
        }
        let mut file = std::fs::File::open(path).map_err(io)?.take(cap + 1);
        let mut buffer = vec![0u8; 1 << 16];
        let mut received = 0u64;
        loop {
            let n = file.read(&mut buffer).map_err(io)?;
            if n == 0 {
                return Ok(());
            }
            received += n as u64;
            if received > cap {
                return Err(too_large());
            }
            sink(&buffer[..n]).map_err(io)?;
            if let Some(p) = progress {
                p.advance(n as u64);
            }
        }
    }
    let stall = stall_timeout();
    let stalled = || Failure::Transient(Fetch::Stalled { after: stall });
    let request = client().map_err(Failure::Permanent)?.get(url).send();
    let response = tokio::time::timeout(stall, request)
        .await
        .map_err(|_| stalled())?
        .map_err(classify)?;
    let status = response.status();
    if !status.is_success() {
        let retry = status.is_server_error() || status == reqwest::StatusCode::TOO_MANY_REQUESTS;
        let fetch = Fetch::Status(status);
        return Err(if retry {
            Failure::Transient(fetch)
        } else {
            Failure::Permanent(fetch)
        });
    }
    let total = response.content_length();
    if total.is_some_and(|t| t > cap) {
        return Err(too_large());
    }
    if let Some(p) = progress {
        p.start(url, total);
    }
    let mut received = 0u64;
    let mut stream = response.bytes_stream();
    loop {
        let next = tokio::time::timeout(stall, stream.next())
            .await
            .map_err(|_| stalled())?;
        let Some(chunk) = next else { break };
        let chunk = chunk.map_err(classify)?;
        received += chunk.len() as u64;
        if received > cap {
            return Err(too_large());
        }
        sink(&chunk).map_err(io)?;
        if let Some(p) = progress {
            p.advance(chunk.len() as u64);
        }
    }
    match total {
        Some(total) if total != received => {
            Err(Failure::Transient(Fetch::Truncated { received, total }))
        }
        _ => Ok(()),
    }
}

fn client() -> Result<reqwest::Client, Fetch> {
    // reqwest is built without a bundled crypto provider; use ring, as the kube client does.
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder()
        .connect_timeout(CONNECT_TIMEOUT)
        .user_agent(concat!("meshctl/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(Fetch::Http)
}

fn classify(e: reqwest::Error) -> Failure {
    if e.is_timeout() || e.is_connect() || e.is_body() || e.is_request() || e.is_decode() {
        Failure::Transient(Fetch::Http(e))
    } else {
        Failure::Permanent(Fetch::Http(e))
    }
}
