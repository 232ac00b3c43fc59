//! The request a load run sends, as the route matcher sees it.

use http::{HeaderMap, Method};

use crate::load::LoadOptions;

/// The request as the route matcher sees it.
pub struct RequestShape<'a> {
    pub host: &'a str,
    pub path: &'a str,
    /// The URL's query string, without the `?` (HTTPRoute `queryParams` match on it).
    pub query: Option<&'a str>,
    pub method: &'a Method,
    pub headers: &'a HeaderMap,
}

impl<'a> RequestShape<'a> {
    /// The request a load run sends: the virtual host (`Host` override, else the URL's), path,
    /// query, method and headers.
    pub fn of(opts: &'a LoadOptions) -> Self {
        let host = opts.host.as_deref().or(opts.url.host()).unwrap_or("");
        Self {
            host: host.split(':').next().unwrap_or(host),
            path: opts.url.path(),
            query: opts.url.query(),
            method: &opts.method,
            headers: &opts.headers,
        }
    }

    /// The value of a query parameter, as sent (not percent-decoded).
    pub fn query_param(&self, name: &str) -> Option<&'a str> {
        self.query?
            .split('&')
            .filter_map(|pair| pair.split_once('=').or(Some((pair, ""))))
            .find(|(key, _)| *key == name)
            .map(|(_, value)| value)
    }

    /// A header's value, when it is text.
    pub fn header(&self, name: &str) -> Option<&'a str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}
