//! The request a load run sends, as the route matcher sees it.

use http::{HeaderMap, Method};

use crate::load::LoadOptions;

/// The request as the route matcher sees it.
pub struct RequestShape<'a> {
    pub host: &'a str,
    pub path: &'a str,
    pub method: &'a Method,
    pub headers: &'a HeaderMap,
}

impl<'a> RequestShape<'a> {
    /// The request a load run sends: the virtual host (`Host` override, else the URL's), path,
    /// method and headers.
    pub fn of(opts: &'a LoadOptions) -> Self {
        let host = opts.host.as_deref().or(opts.url.host()).unwrap_or("");
        Self {
            host: host.split(':').next().unwrap_or(host),
            path: opts.url.path(),
            method: &opts.method,
            headers: &opts.headers,
        }
    }
}
