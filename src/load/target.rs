//! The target of a run: where to connect (address, TLS, protocol) and the request to send,
//! worked out once from the options.

use bytes::Bytes;
use http::{HeaderMap, HeaderName, HeaderValue, Method, Uri};

use super::LoadOptions;
use super::conn::Endpoint;
use super::error::{Error, Result};
use super::hpack::{self, RequestBlocks};
use super::tls;

pub async fn resolve(opts: &LoadOptions) -> Result<Endpoint> {
    let url = || opts.url.to_string();
    let host = opts
        .url
        .host()
        .ok_or_else(|| Error::NoHost { url: url() })?;
    let https = match opts.url.scheme_str() {
        Some("http") => false,
        Some("https") => true,
        _ => return Err(Error::Scheme { url: url() }),
    };
    let port = opts.url.port_u16().unwrap_or(if https { 443 } else { 80 });
    let host = host.trim_start_matches('[').trim_end_matches(']');
    let addr = tokio::net::lookup_host((host, port))
        .await
        .map_err(|source| Error::Unresolved {
            url: url(),
            host: host.to_string(),
            source,
        })?
        .next()
        .ok_or_else(|| Error::NoAddress {
            url: url(),
            host: host.to_string(),
        })?;
    let tls = if https {
        let connector = tls::tls_connector(opts.insecure, opts.http2)
            .map_err(|source| Error::Tls { url: url(), source })?;
        let name_text = opts.host.clone().unwrap_or_else(|| host.to_string());
        let name = tokio_rustls::rustls::pki_types::ServerName::try_from(name_text.clone())
            .map_err(|e| Error::invalid(format!("TLS server name {name_text}"), e))?;
        Some((connector, name))
    } else {
        None
    };
    Ok(Endpoint {
        addr,
        tls,
        http2: opts.http2,
    })
}

/// A request header written `Name: value`.
pub fn parse_header(text: &str) -> Result<(HeaderName, HeaderValue), String> {
    let (name, value) = text
        .split_once(':')
        .ok_or_else(|| "write it as 'Name: value'".to_string())?;
    let name = HeaderName::from_bytes(name.trim().as_bytes()).map_err(|e| e.to_string())?;
    let value = HeaderValue::from_str(value.trim()).map_err(|e| e.to_string())?;
    Ok((name, value))
}

/// An HTTP/1.1 request's bytes, and what they mean for the response.
#[derive(Default)]
pub struct WireRequest {
    pub bytes: Bytes,
    /// A HEAD request: the answer has no body whatever its headers say.
    pub head: bool,
    /// The request says `Connection: close`: one request per connection.
    pub closes: bool,
}

/// Everything about the request that does not change, built once.
pub struct RequestTemplate {
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
    http1: WireRequest,
    /// The HTTP/2 request's fields, pseudo-headers first (names lower-case).
    h2_fields: Vec<(Vec<u8>, Vec<u8>)>,
}

impl RequestTemplate {
    pub fn new(opts: &LoadOptions) -> Self {
        let mut headers = opts.headers.clone();
        let authority = opts
            .host
            .clone()
            .or_else(|| opts.url.authority().map(|a| a.to_string()))
            .unwrap_or_default();
        if !headers.contains_key(http::header::HOST)
            && let Ok(value) = HeaderValue::from_str(&authority)
        {
            headers.insert(http::header::HOST, value);
        }
        if opts.http2 {
            // HTTP/2 has no Host (it is :authority) and forbids the connection-specific headers;
            // servers refuse a request that carries them (RFC 9113 §8.2.2): drop them once here.
            for name in [
                http::header::HOST,
                http::header::CONNECTION,
                http::header::TRANSFER_ENCODING,
                http::header::UPGRADE,
                HeaderName::from_static("keep-alive"),
                HeaderName::from_static("proxy-connection"),
            ] {
                headers.remove(name);
            }
            if headers
                .get(http::header::TE)
                .is_some_and(|te| te != "trailers")
            {
                headers.remove(http::header::TE);
            }
            // What hyper adds on HTTP/1: the length of a body, or 0 where a body is expected.
            let expects_body = [Method::POST, Method::PUT, Method::PATCH].contains(&opts.method);
            if !headers.contains_key(http::header::CONTENT_LENGTH)
                && (!opts.body.is_empty() || expects_body)
            {
                headers.insert(http::header::CONTENT_LENGTH, opts.body.len().into());
            }
        }
        // HTTP/2 names the virtual host in :authority, taken from the URI: --host goes there.
        let uri = if opts.http2 {
            Uri::builder()
                .scheme(opts.url.scheme_str().unwrap_or("http"))
                .authority(authority.as_str())
                .path_and_query(opts.url.path_and_query().map_or("/", |pq| pq.as_str()))
                .build()
                .unwrap_or_else(|_| opts.url.clone())
        } else {
            opts.url
                .path_and_query()
                .map_or_else(|| Uri::from_static("/"), |pq| Uri::from(pq.clone()))
        };
        let mut template = Self {
            method: opts.method.clone(),
            uri,
            headers,
            body: opts.body.clone(),
            http1: WireRequest::default(),
            h2_fields: Vec::new(),
        };
        template.http1 = template.wire();
        if opts.http2 {
            template.h2_fields = template.fields();
        }
        template
    }

    /// The HTTP/1.1 request, serialized once for the run.
    pub fn http1(&self) -> &WireRequest {
        &self.http1
    }

    /// The HTTP/1.1 request as it goes on the wire, head and body, sent with one write: the
    /// headers as given (with Host), and the body's length as hyper would add it.
    fn wire(&self) -> WireRequest {
        let mut bytes = Vec::with_capacity(256 + self.body.len());
        let path = self.uri.path_and_query().map_or("/", |pq| pq.as_str());
        bytes.extend_from_slice(format!("{} {path} HTTP/1.1\r\n", self.method).as_bytes());
        for (name, value) in &self.headers {
            bytes.extend_from_slice(name.as_str().as_bytes());
            bytes.extend_from_slice(b": ");
            bytes.extend_from_slice(value.as_bytes());
            bytes.extend_from_slice(b"\r\n");
        }
        let chunked = self
            .headers
            .get_all(http::header::TRANSFER_ENCODING)
            .iter()
            .any(|v| v.as_bytes().to_ascii_lowercase().ends_with(b"chunked"));
        let expects_body = [Method::POST, Method::PUT, Method::PATCH].contains(&self.method);
        if !chunked
            && !self.headers.contains_key(http::header::CONTENT_LENGTH)
            && (!self.body.is_empty() || expects_body)
        {
            bytes.extend_from_slice(format!("content-length: {}\r\n", self.body.len()).as_bytes());
        }
        bytes.extend_from_slice(b"\r\n");
        if chunked {
            // The caller asked for chunks: the body is one chunk and the last, empty one.
            if !self.body.is_empty() {
                bytes.extend_from_slice(format!("{:x}\r\n", self.body.len()).as_bytes());
                bytes.extend_from_slice(&self.body);
                bytes.extend_from_slice(b"\r\n");
            }
            bytes.extend_from_slice(b"0\r\n\r\n");
        } else {
            bytes.extend_from_slice(&self.body);
        }
        let closes = self
            .headers
            .get_all(http::header::CONNECTION)
            .iter()
            .any(|v| {
                v.as_bytes()
                    .split(|&b| b == b',')
                    .any(|token| token.trim_ascii().eq_ignore_ascii_case(b"close"))
            });
        WireRequest {
            bytes: Bytes::from(bytes),
            head: self.method == Method::HEAD,
            closes,
        }
    }

    /// The HTTP/2 request's header blocks for a server whose header table has `table_size`.
    pub fn h2_blocks(&self, table_size: usize) -> RequestBlocks {
        let fields: Vec<(&[u8], &[u8])> = self
            .h2_fields
            .iter()
            .map(|(name, value)| (name.as_slice(), value.as_slice()))
            .collect();
        hpack::request_blocks(&fields, table_size)
    }

    pub fn body(&self) -> &Bytes {
        &self.body
    }

    fn fields(&self) -> Vec<(Vec<u8>, Vec<u8>)> {
        let pseudo = [
            (":method", self.method.as_str()),
            (":scheme", self.uri.scheme_str().unwrap_or("http")),
            (
                ":path",
                self.uri.path_and_query().map_or("/", |pq| pq.as_str()),
            ),
            (
                ":authority",
                self.uri.authority().map_or("", |a| a.as_str()),
            ),
        ];
        let pseudo = pseudo
            .into_iter()
            .map(|(name, value)| (name.as_bytes().to_vec(), value.as_bytes().to_vec()));
        let headers = self
            .headers
            .iter()
            .map(|(name, value)| (name.as_str().as_bytes().to_vec(), value.as_bytes().to_vec()));
        pseudo.chain(headers).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_are_name_colon_value_trimmed() {
        let (name, value) = parse_header("X-Test:  small ").expect("a header");
        assert_eq!(
            (name.as_str(), value.to_str().ok()),
            ("x-test", Some("small"))
        );
        assert!(parse_header("no colon").is_err());
        assert!(parse_header("bad name: v").is_err());
    }

    fn options(http2: bool, method: Method, body: &'static str) -> LoadOptions {
        let mut headers = HeaderMap::new();
        for (name, value) in [("connection", "close"), ("te", "gzip"), ("x-test", "kept")] {
            headers.insert(name, HeaderValue::from_static(value));
        }
        LoadOptions {
            method,
            headers,
            body: Bytes::from_static(body.as_bytes()),
            http2,
            host: Some("reviews.test".into()),
            ..crate::load::test_options()
        }
    }

    fn field_text(template: &RequestTemplate) -> Vec<(String, String)> {
        let text = |bytes: &[u8]| String::from_utf8_lossy(bytes).into_owned();
        template
            .h2_fields
            .iter()
            .map(|(name, value)| (text(name), text(value)))
            .collect()
    }

    #[test]
    fn an_http2_request_names_the_host_in_its_authority_and_drops_connection_headers() {
        let post = RequestTemplate::new(&options(true, Method::POST, "hello"));
        let pairs = |list: &[(&str, &str)]| -> Vec<(String, String)> {
            list.iter()
                .map(|(n, v)| (n.to_string(), v.to_string()))
                .collect()
        };
        assert_eq!(
            field_text(&post),
            pairs(&[
                (":method", "POST"),
                (":scheme", "http"),
                (":path", "/api?x=1"),
                (":authority", "reviews.test"),
                ("x-test", "kept"),
                ("content-length", "5"),
            ]),
            "pseudo-headers first; no host, connection or te: gzip"
        );
        assert_eq!(post.body(), "hello");
        let empty_post = RequestTemplate::new(&options(true, Method::POST, ""));
        assert!(
            field_text(&empty_post).contains(&("content-length".into(), "0".into())),
            "as hyper does on HTTP/1"
        );
        let get = RequestTemplate::new(&options(true, Method::GET, ""));
        assert!(!field_text(&get).iter().any(|(n, _)| n == "content-length"));
        // The blocks are those of the fields: decoded, the first names the authority.
        let blocks = get.h2_blocks(hpack::TABLE_SIZE);
        let mut server = hpack::Decoder::default();
        let head = server
            .decode(&blocks.first, Some(b":authority"))
            .expect("decoded");
        assert_eq!(head.wanted.as_deref(), Some(&b"reviews.test"[..]));
    }

    #[test]
    fn an_http1_request_keeps_the_headers_as_given_with_the_host() {
        let get = RequestTemplate::new(&options(false, Method::GET, "")).http1;
        assert_eq!(
            std::str::from_utf8(&get.bytes),
            Ok(
                "GET /api?x=1 HTTP/1.1\r\nconnection: close\r\nte: gzip\r\nx-test: kept\r\n\
                host: reviews.test\r\n\r\n"
            )
        );
        assert!(get.closes && !get.head);
        let post = RequestTemplate::new(&options(false, Method::POST, "hello")).http1;
        assert!(
            post.bytes
                .ends_with(b"host: reviews.test\r\ncontent-length: 5\r\n\r\nhello"),
            "{:?}",
            post.bytes
        );
        let empty_post = RequestTemplate::new(&options(false, Method::POST, "")).http1;
        assert!(empty_post.bytes.ends_with(b"content-length: 0\r\n\r\n"));
        let head = RequestTemplate::new(&options(false, Method::HEAD, "")).http1;
        assert!(head.head);
        let mut chunked = options(false, Method::PUT, "hello");
        chunked.headers.clear();
        chunked
            .headers
            .insert("transfer-encoding", HeaderValue::from_static("chunked"));
        let chunked = RequestTemplate::new(&chunked).http1;
        assert!(
            chunked.bytes.ends_with(
                b"transfer-encoding: chunked\r\nhost: reviews.test\r\n\r\n5\r\nhello\r\n0\r\n\r\n"
            ),
            "{:?}",
            chunked.bytes
        );
        assert!(!chunked.closes);
    }
}
