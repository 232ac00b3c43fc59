//! A small HTTP/1.1 keep-alive server on 127.0.0.1 whose answers follow a fixed pattern over its
//! request counter, so that the shares a test expects are exact: every k-th request gets another
//! status, version or delay.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

#[derive(Clone, Default)]
pub struct Behaviour {
    /// Every `n`-th request answers this status instead of 200.
    pub status_every: Option<(u64, u16)>,
    /// `x-version` v2 on requests whose counter modulo 100 is below this share, else v1.
    pub v2_percent: Option<u64>,
    /// Name the version in a JSON body `{"build":{"version":"v1"}}` instead of `x-version`.
    pub version_in_body: bool,
    /// Every request waits this long.
    pub delay: Duration,
    /// Every `n`-th request waits this long instead.
    pub slow_every: Option<(u64, Duration)>,
    /// Never answer (for timeouts).
    pub silent: bool,
    /// Close the connection instead of answering (for resets).
    pub hang_up: bool,
}

pub struct LoadServer {
    pub url: String,
    pub served: Arc<AtomicU64>,
    task: tokio::task::JoinHandle<()>,
}

impl LoadServer {
    /// A server whose every answer takes `delay`.
    pub async fn delayed(delay: Duration) -> Self {
        Self::start(Behaviour {
            delay,
            ..Behaviour::default()
        })
        .await
    }

    pub async fn start(behaviour: Behaviour) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let url = format!("http://{}/", listener.local_addr().expect("addr"));
        let served = Arc::new(AtomicU64::new(0));
        let counter = served.clone();
        let task = tokio::spawn(async move {
            while let Ok((socket, _)) = listener.accept().await {
                let (behaviour, counter) = (behaviour.clone(), counter.clone());
                tokio::spawn(serve(socket, behaviour, counter));
            }
        });
        Self { url, served, task }
    }
}

impl LoadServer {
    /// Waits until the server has answered `count` requests; panics after `limit`.
    pub async fn wait_served(&self, count: u64, limit: Duration) {
        let deadline = tokio::time::Instant::now() + limit;
        while self.served.load(Ordering::SeqCst) < count {
            assert!(
                tokio::time::Instant::now() < deadline,
                "the server answered {} of {count} requests in {limit:?}",
                self.served.load(Ordering::SeqCst)
            );
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    }
}

impl Drop for LoadServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn serve(mut socket: tokio::net::TcpStream, behaviour: Behaviour, counter: Arc<AtomicU64>) {
    let _ = socket.set_nodelay(true);
    let mut buffer = Vec::with_capacity(4096);
    let mut chunk = [0u8; 4096];
    loop {
        while !buffer.windows(4).any(|w| w == b"\r\n\r\n") {
            match socket.read(&mut chunk).await {
                Ok(0) | Err(_) => return,
                Ok(n) => buffer.extend_from_slice(&chunk[..n]),
            }
        }
        let end = buffer
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .map_or(0, |p| p + 4);
        buffer.drain(..end);
        if behaviour.hang_up {
            return;
        }
        if behaviour.silent {
            tokio::time::sleep(Duration::from_secs(3600)).await;
            return;
        }
        let n = counter.fetch_add(1, Ordering::SeqCst);
        let status = match behaviour.status_every {
            Some((every, status)) if n % every == every - 1 => status,
            _ => 200,
        };
        let mut delay = behaviour.delay;
        if let Some((every, slow)) = behaviour.slow_every
            && n % every == every - 1
        {
            delay = slow;
        }
        if !delay.is_zero() {
            tokio::time::sleep(delay).await;
        }
        let version = match behaviour.v2_percent {
            Some(share) if n % 100 < share => "v2",
            Some(_) => "v1",
            None => "",
        };
        let response = match (version, behaviour.version_in_body) {
            ("", _) => format!("HTTP/1.1 {status} X\r\ncontent-length: 2\r\n\r\nok"),
            (version, false) => {
                format!(
                    "HTTP/1.1 {status} X\r\ncontent-length: 2\r\nx-version: {version}\r\n\r\nok"
                )
            }
            (version, true) => {
                let body = format!(r#"{{"build":{{"version":"{version}"}}}}"#);
                format!(
                    "HTTP/1.1 {status} X\r\ncontent-length: {}\r\n\r\n{body}",
                    body.len()
                )
            }
        };
        if socket.write_all(response.as_bytes()).await.is_err() {
            return;
        }
    }
}
