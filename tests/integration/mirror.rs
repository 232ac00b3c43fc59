//! A release mirror on 127.0.0.1 for download tests: each path answers with whole bytes, a body
//! cut short of its Content-Length, a slow or stalling or endless body, an error status, or 404;
//! a path may answer differently on successive requests. It stops when dropped.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

#[derive(Clone)]
pub enum Answer {
    Bytes(Vec<u8>),
    /// Declares the full length, sends only the first `sent` bytes, then closes.
    Truncated(Vec<u8>, usize),
    /// The whole body in `chunk`-byte pieces with `pause` between them.
    Slow(Vec<u8>, usize, Duration),
    /// Declares the full length, sends the first `sent` bytes, then holds the connection open.
    Stall(Vec<u8>, usize),
    /// No Content-Length and zeros until the client hangs up.
    Endless,
    /// This status with an empty body.
    Status(u16),
    /// One answer per request, in order; the last repeats.
    Sequence(Vec<Answer>),
}

pub struct Mirror {
    pub url: String,
    task: tokio::task::JoinHandle<()>,
}

impl Mirror {
    pub async fn start(routes: HashMap<String, Answer>) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind mirror");
        let url = format!("http://{}", listener.local_addr().expect("mirror address"));
        let routes = Arc::new(routes);
        let seen = Arc::new(Mutex::new(HashMap::<String, usize>::new()));
        let task = tokio::spawn(async move {
            while let Ok((mut socket, _)) = listener.accept().await {
                let routes = routes.clone();
                let seen = seen.clone();
                tokio::spawn(async move {
                    let mut request = vec![0u8; 8192];
                    let Ok(n) = socket.read(&mut request).await else {
                        return;
                    };
                    let head = String::from_utf8_lossy(&request[..n]);
                    let path = head.split_whitespace().nth(1).unwrap_or("/").to_string();
                    let answer = {
                        let mut seen = seen.lock().expect("request counter");
                        let n = seen.entry(path.clone()).or_insert(0);
                        *n += 1;
                        match routes.get(&path) {
                            Some(Answer::Sequence(all)) => all.get(*n - 1).or(all.last()).cloned(),
                            other => other.cloned(),
                        }
                    };
                    serve(&mut socket, answer).await;
                    let _ = socket.shutdown().await;
                });
            }
        });
        Self { url, task }
    }
}

impl Drop for Mirror {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn serve(socket: &mut tokio::net::TcpStream, answer: Option<Answer>) {
    let head = |status: &str, length: Option<usize>| match length {
        Some(n) => format!("HTTP/1.1 {status}\r\nContent-Length: {n}\r\nConnection: close\r\n\r\n"),
        None => format!("HTTP/1.1 {status}\r\nConnection: close\r\n\r\n"),
    };
    match answer {
        Some(Answer::Bytes(body)) => {
            let _ = socket
                .write_all(head("200 OK", Some(body.len())).as_bytes())
                .await;
            let _ = socket.write_all(&body).await;
        }
        Some(Answer::Truncated(body, sent)) => {
            let _ = socket
                .write_all(head("200 OK", Some(body.len())).as_bytes())
                .await;
            let _ = socket.write_all(&body[..sent]).await;
        }
        Some(Answer::Slow(body, chunk, pause)) => {
            let _ = socket
                .write_all(head("200 OK", Some(body.len())).as_bytes())
                .await;
            for piece in body.chunks(chunk) {
                if socket.write_all(piece).await.is_err() {
                    return;
                }
                tokio::time::sleep(pause).await;
            }
        }
        Some(Answer::Stall(body, sent)) => {
            let _ = socket
                .write_all(head("200 OK", Some(body.len())).as_bytes())
                .await;
            let _ = socket.write_all(&body[..sent]).await;
            tokio::time::sleep(Duration::from_secs(3600)).await;
        }
        Some(Answer::Endless) => {
            let _ = socket.write_all(head("200 OK", None).as_bytes()).await;
            let zeros = vec![0u8; 1 << 16];
            while socket.write_all(&zeros).await.is_ok() {}
        }
        Some(Answer::Status(code)) => {
            let _ = socket
                .write_all(head(&format!("{code} Failing"), Some(0)).as_bytes())
                .await;
        }
        Some(Answer::Sequence(_)) | None => {
            let _ = socket
                .write_all(head("404 Not Found", Some(9)).as_bytes())
                .await;
            let _ = socket.write_all(b"not found").await;
        }
    }
}
