//! A release mirror on 127.0.0.1 for download tests: each path answers with whole bytes, a body
//! cut short of its Content-Length, or 404. It stops when dropped.

use std::collections::HashMap;
use std::sync::Arc;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

#[derive(Clone)]
pub enum Answer {
    Bytes(Vec<u8>),
    /// Declares the full length, sends only the first `sent` bytes, then closes.
    Truncated(Vec<u8>, usize),
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
        let task = tokio::spawn(async move {
            while let Ok((mut socket, _)) = listener.accept().await {
                let routes = routes.clone();
                tokio::spawn(async move {
                    let mut request = vec![0u8; 8192];
                    let Ok(n) = socket.read(&mut request).await else {
                        return;
                    };
                    let head = String::from_utf8_lossy(&request[..n]);
                    let path = head.split_whitespace().nth(1).unwrap_or("/").to_string();
                    let (status, body, sent) = match routes.get(&path) {
                        Some(Answer::Bytes(b)) => ("200 OK", b.clone(), b.len()),
                        Some(Answer::Truncated(b, sent)) => ("200 OK", b.clone(), *sent),
                        None => ("404 Not Found", b"not found".to_vec(), 9),
                    };
                    let header = format!(
                        "HTTP/1.1 {status}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                        body.len()
                    );
                    let _ = socket.write_all(header.as_bytes()).await;
                    let _ = socket.write_all(&body[..sent]).await;
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
