//! One keep-alive connection (the wrk and h2load model), plain or TLS: HTTP/1.1 through the
//! engine's own minimal exchange (`http1`), HTTP/2 through its own minimal client (`http2`),
//! whose driver is polled by the task that sends on it, so a request costs no hop between tasks
//! (or threads).

use std::net::SocketAddr;

use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpStream;
use tokio_rustls::TlsConnector;
use tokio_rustls::rustls::pki_types::ServerName;

use super::http1::Http1;
use super::http2::{self, Http2};
use super::stats::ErrorKind;
use super::target::RequestTemplate;
use super::version::VersionSource;

#[derive(Clone)]
pub struct Endpoint {
    pub addr: SocketAddr,
    pub tls: Option<(TlsConnector, ServerName<'static>)>,
    pub http2: bool,
}

/// What keeps an HTTP/2 connection going (reads, writes, flow control); it must be polled while
/// requests are under way and ends when the connection does.
pub use http2::Driver;

/// A status and, where the run reads it, the version that answered.
pub type Answer = (u16, Option<String>);

pub enum Sender {
    Http1(Http1),
    Http2(Http2),
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
            Self::Http1(c) => c.is_open(),
            Self::Http2(s) => s.ready().await,
        }
    }

    /// One request and its whole response. After an HTTP/1 error the connection is not reused;
    /// an HTTP/2 error may end one stream only. `Err(None)`: the server had closed the idle
    /// connection before the request, which goes to a new one.
    pub async fn exchange(
        &mut self,
        template: &RequestTemplate,
        split: Option<&VersionSource>,
    ) -> Result<Answer, Option<ErrorKind>> {
        match self {
            Self::Http1(c) => c.exchange(template.http1(), split).await,
            Self::Http2(s) => s.exchange(template, split).await,
        }
    }
}

/// The connection and, over HTTP/2, the driver that must be polled beside its requests.
pub async fn connect(endpoint: &Endpoint) -> Result<(Sender, Option<Driver>), ErrorKind> {
    let tcp = TcpStream::connect(endpoint.addr).await.map_err(|e| {
        match super::open_files::is_out_of_files(&e) {
            true => ErrorKind::OwnFiles,
            false => ErrorKind::Connect,
        }
    })?;
    let _ = tcp.set_nodelay(true);
    match &endpoint.tls {
        None => handshake(tcp, endpoint.http2).await,
        Some((connector, name)) => {
            let tls = connector
                .connect(name.clone(), tcp)
                .await
                .map_err(|_| ErrorKind::Tls)?;
            let negotiated_h2 = tls.get_ref().1.alpn_protocol() == Some(b"h2");
            handshake(tls, endpoint.http2 || negotiated_h2).await
        }
    }
}

async fn handshake<T>(io: T, http2: bool) -> Result<(Sender, Option<Driver>), ErrorKind>
where
    T: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    if !http2 {
        return Ok((Sender::Http1(Http1::new(Box::new(io))), None));
    }
    let (sender, driver) = http2::handshake(Box::new(io)).await?;
    Ok((Sender::Http2(sender), Some(driver)))
}
