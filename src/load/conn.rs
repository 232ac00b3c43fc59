//! One keep-alive connection (the wrk and h2load model): HTTP/1.1 through hyper's connection API,
//! HTTP/2 through the h2 crate, plain or TLS. A connection's driver is polled by the task that
//! sends on it, so a request costs no hop between tasks (or threads); HTTP/2 through h2 directly
//! also spares the task hyper spawns for every request.

use std::future::Future;
use std::net::SocketAddr;
use std::pin::Pin;

use bytes::{Bytes, BytesMut};
use http::HeaderMap;
use http_body_util::{BodyExt, Full};
use hyper_util::rt::TokioIo;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpStream;
use tokio_rustls::TlsConnector;
use tokio_rustls::rustls::pki_types::ServerName;

use super::stats::ErrorKind;
use super::target::RequestTemplate;
use super::version::{self, VersionSource};

#[derive(Clone)]
pub struct Endpoint {
    pub addr: SocketAddr,
    pub tls: Option<(TlsConnector, ServerName<'static>)>,
    pub http2: bool,
    /// Copy each request into one buffer and send it with one write(2) instead of writev(2) over
    /// header and body buffers: cheaper in the kernel for small requests; large bodies are not
    /// worth copying.
    pub flat_writes: bool,
}

/// What keeps a connection going (reads, writes, HTTP/2 flow control); it must be polled while
/// requests are under way and ends when the connection does.
pub type Driver = Pin<Box<dyn Future<Output = ()> + Send>>;

/// A status and, where the run reads it, the version that answered.
pub type Answer = (u16, Option<String>);

pub enum Sender {
    Http1(hyper::client::conn::http1::SendRequest<Full<Bytes>>),
    Http2(h2::client::SendRequest<Bytes>),
}

impl Sender {
    /// Another handle on the same connection, for one more concurrent stream: HTTP/2 only.
    pub fn stream(&self) -> Option<Sender> {
        match self {
            Self::Http1(_) => None,
            Self::Http2(s) => Some(Self::Http2(s.clone())),
        }
    }

    /// Waits until the connection can take a request; `false` means it is closed (an HTTP/1.0
    /// server, `Connection: close`, GOAWAY) and nothing was sent.
    pub async fn ready(&mut self) -> bool {
        match self {
            Self::Http1(s) => s.ready().await.is_ok(),
            Self::Http2(s) => std::future::poll_fn(|cx| s.poll_ready(cx)).await.is_ok(),
        }
    }

    /// One request and its whole response. After an HTTP/1 error the connection is not reused;
    /// an HTTP/2 error may end one stream only.
    pub async fn exchange(
        &mut self,
        template: &RequestTemplate,
        split: Option<&VersionSource>,
    ) -> Result<Answer, ErrorKind> {
        match self {
            Self::Http1(s) => {
                let response = s
                    .send_request(template.build())
                    .await
                    .map_err(|e| classify(&e))?;
                let status = response.status().as_u16();
                let mut kept = Kept::new(split, response.headers());
                let mut body = response.into_body();
                while let Some(frame) = body.frame().await {
                    let frame = frame.map_err(|e| classify(&e))?;
                    if let Some(data) = frame.data_ref() {
                        kept.extend(data);
                    }
                }
                Ok((status, kept.version(split)))
            }
            Self::Http2(s) => {
                let (request, body) = template.build_h2();
                let end = body.is_empty();
                let (response, mut stream) =
                    s.send_request(request, end).map_err(|e| classify_h2(&e))?;
                if !end {
                    stream.send_data(body, true).map_err(|e| classify_h2(&e))?;
                }
                let response = response.await.map_err(|e| classify_h2(&e))?;
                let status = response.status().as_u16();
                let mut kept = Kept::new(split, response.headers());
                let mut body = response.into_body();
                while let Some(data) = body.data().await {
                    let data = data.map_err(|e| classify_h2(&e))?;
                    // Flow control: what is read must be given back, or the window closes.
                    let _ = body.flow_control().release_capacity(data.len());
                    kept.extend(&data);
                }
                Ok((status, kept.version(split)))
            }
        }
    }
}

/// The version named in the headers, or the start of the body where the version is read there.
struct Kept {
    version: Option<String>,
    body: Option<BytesMut>,
}

impl Kept {
    fn new(split: Option<&VersionSource>, headers: &HeaderMap) -> Self {
        Self {
            version: split.and_then(|source| source.in_headers(headers)),
            body: split
                .filter(|source| source.reads_body())
                .map(|_| BytesMut::new()),
        }
    }

    fn extend(&mut self, data: &[u8]) {
        if let Some(buffer) = self.body.as_mut() {
            if buffer.len() + data.len() <= version::BODY_FIELD_CAP {
                buffer.extend_from_slice(data);
            } else {
                self.body = None;
            }
        }
    }

    fn version(self, split: Option<&VersionSource>) -> Option<String> {
        match (split, self.body) {
            (Some(source), Some(buffer)) => source.in_body(&buffer),
            _ => self.version,
        }
    }
}

pub async fn connect(endpoint: &Endpoint) -> Result<(Sender, Driver), ErrorKind> {
    let tcp = TcpStream::connect(endpoint.addr).await.map_err(|e| {
        match super::open_files::is_out_of_files(&e) {
            true => ErrorKind::OwnFiles,
            false => ErrorKind::Connect,
        }
    })?;
    let _ = tcp.set_nodelay(true);
    match &endpoint.tls {
        None => handshake(tcp, endpoint.http2, endpoint.flat_writes).await,
        Some((connector, name)) => {
            let tls = connector
                .connect(name.clone(), tcp)
                .await
                .map_err(|_| ErrorKind::Tls)?;
            let negotiated_h2 = tls.get_ref().1.alpn_protocol() == Some(b"h2");
            handshake(tls, endpoint.http2 || negotiated_h2, endpoint.flat_writes).await
        }
    }
}

async fn handshake<T>(io: T, http2: bool, flat_writes: bool) -> Result<(Sender, Driver), ErrorKind>
where
    T: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    if http2 {
        let (sender, connection) = h2::client::handshake(io)
            .await
            .map_err(|_| ErrorKind::Connect)?;
        Ok((
            Sender::Http2(sender),
            Box::pin(async move {
                let _ = connection.await;
            }),
        ))
    } else {
        let (sender, connection) = hyper::client::conn::http1::Builder::new()
            .writev(!flat_writes)
            .handshake(TokioIo::new(io))
            .await
            .map_err(|_| ErrorKind::Connect)?;
        Ok((
            Sender::Http1(sender),
            Box::pin(async move {
                let _ = connection.await;
            }),
        ))
    }
}

fn classify(error: &hyper::Error) -> ErrorKind {
    if error.is_timeout() {
        ErrorKind::Timeout
    } else if error.is_incomplete_message() || error.is_closed() || error.is_canceled() {
        ErrorKind::Reset
    } else {
        let text = format!("{error:?}");
        if text.contains("ConnectionReset") || text.contains("BrokenPipe") {
            ErrorKind::Reset
        } else {
            ErrorKind::Other
        }
    }
}

fn classify_h2(error: &h2::Error) -> ErrorKind {
    let reset_io = error.get_io().is_some_and(|io| {
        matches!(
            io.kind(),
            std::io::ErrorKind::ConnectionReset
                | std::io::ErrorKind::BrokenPipe
                | std::io::ErrorKind::UnexpectedEof
        )
    });
    if error.is_reset() || error.is_go_away() || reset_io {
        ErrorKind::Reset
    } else {
        ErrorKind::Other
    }
}
