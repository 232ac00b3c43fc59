//! One keep-alive connection per worker (the wrk model): HTTP/1.1 or HTTP/2, plain or TLS, driven
//! by hyper's connection API directly so the hot path does no pool bookkeeping.

use std::net::SocketAddr;
use std::sync::Arc;

use bytes::Bytes;
use http::{Request, Response};
use http_body_util::Full;
use hyper::body::Incoming;
use hyper_util::rt::{TokioExecutor, TokioIo};
use tokio::net::TcpStream;
use tokio_rustls::TlsConnector;
use tokio_rustls::rustls::pki_types::ServerName;

use super::stats::ErrorKind;

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

pub enum Sender {
    Http1(hyper::client::conn::http1::SendRequest<Full<Bytes>>),
    Http2(hyper::client::conn::http2::SendRequest<Full<Bytes>>),
}

impl Sender {
    /// Waits until the connection can take a request; an error means the server closed it (an
    /// HTTP/1.0 server, `Connection: close`), and nothing was sent.
    pub async fn ready(&mut self) -> Result<(), hyper::Error> {
        match self {
            Self::Http1(s) => s.ready().await,
            Self::Http2(s) => s.ready().await,
        }
    }

    pub async fn send(
        &mut self,
        request: Request<Full<Bytes>>,
    ) -> Result<Response<Incoming>, hyper::Error> {
        match self {
            Self::Http1(s) => s.send_request(request).await,
            Self::Http2(s) => s.send_request(request).await,
        }
    }
}

pub async fn connect(endpoint: &Endpoint) -> Result<Sender, ErrorKind> {
    let tcp = TcpStream::connect(endpoint.addr).await.map_err(|e| {
        match super::open_files::is_out_of_files(&e) {
            true => ErrorKind::OwnFiles,
            false => ErrorKind::Connect,
        }
    })?;
    let _ = tcp.set_nodelay(true);
    match &endpoint.tls {
        None => handshake(TokioIo::new(tcp), endpoint.http2, endpoint.flat_writes).await,
        Some((connector, name)) => {
            let tls = connector
                .connect(name.clone(), tcp)
                .await
                .map_err(|_| ErrorKind::Tls)?;
            let negotiated_h2 = tls.get_ref().1.alpn_protocol() == Some(b"h2");
            handshake(
                TokioIo::new(tls),
                endpoint.http2 || negotiated_h2,
                endpoint.flat_writes,
            )
            .await
        }
    }
}

async fn handshake<T>(io: TokioIo<T>, http2: bool, flat_writes: bool) -> Result<Sender, ErrorKind>
where
    T: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send + 'static,
{
    if http2 {
        let (sender, connection) = hyper::client::conn::http2::handshake(TokioExecutor::new(), io)
            .await
            .map_err(|_| ErrorKind::Connect)?;
        tokio::spawn(connection);
        Ok(Sender::Http2(sender))
    } else {
        let (sender, connection) = hyper::client::conn::http1::Builder::new()
            .writev(!flat_writes)
            .handshake(io)
            .await
            .map_err(|_| ErrorKind::Connect)?;
        tokio::spawn(connection);
        Ok(Sender::Http1(sender))
    }
}

/// A rustls client config: the platform's trust store, or none at all when `insecure`.
pub fn tls_connector(
    insecure: bool,
    http2: bool,
) -> Result<TlsConnector, tokio_rustls::rustls::Error> {
    let provider = Arc::new(tokio_rustls::rustls::crypto::ring::default_provider());
    let builder = tokio_rustls::rustls::ClientConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()?;
    let mut config = if insecure {
        builder
            .dangerous()
            .with_custom_certificate_verifier(Arc::new(NoVerification(provider)))
            .with_no_client_auth()
    } else {
        let verifier = rustls_platform_verifier::Verifier::new(provider)?;
        builder
            .dangerous()
            .with_custom_certificate_verifier(Arc::new(verifier))
            .with_no_client_auth()
    };
    config.alpn_protocols = if http2 {
        vec![b"h2".to_vec()]
    } else {
        vec![b"http/1.1".to_vec()]
    };
    Ok(TlsConnector::from(Arc::new(config)))
}

/// `--insecure`: accept any certificate (signatures are still checked for well-formedness).
#[derive(Debug)]
struct NoVerification(Arc<tokio_rustls::rustls::crypto::CryptoProvider>);

impl tokio_rustls::rustls::client::danger::ServerCertVerifier for NoVerification {
    fn verify_server_cert(
        &self,
        _: &tokio_rustls::rustls::pki_types::CertificateDer<'_>,
        _: &[tokio_rustls::rustls::pki_types::CertificateDer<'_>],
        _: &ServerName<'_>,
        _: &[u8],
        _: tokio_rustls::rustls::pki_types::UnixTime,
    ) -> Result<tokio_rustls::rustls::client::danger::ServerCertVerified, tokio_rustls::rustls::Error>
    {
        Ok(tokio_rustls::rustls::client::danger::ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &tokio_rustls::rustls::pki_types::CertificateDer<'_>,
        dss: &tokio_rustls::rustls::DigitallySignedStruct,
    ) -> Result<
        tokio_rustls::rustls::client::danger::HandshakeSignatureValid,
        tokio_rustls::rustls::Error,
    > {
        tokio_rustls::rustls::crypto::verify_tls12_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &tokio_rustls::rustls::pki_types::CertificateDer<'_>,
        dss: &tokio_rustls::rustls::DigitallySignedStruct,
    ) -> Result<
        tokio_rustls::rustls::client::danger::HandshakeSignatureValid,
        tokio_rustls::rustls::Error,
    > {
        tokio_rustls::rustls::crypto::verify_tls13_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<tokio_rustls::rustls::SignatureScheme> {
        self.0.signature_verification_algorithms.supported_schemes()
    }
}
