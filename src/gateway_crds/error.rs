//! The Gateway API CRD layer's errors: each names the URL or file it was working on.

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("fetching the Gateway API module failed")]
    Download(#[source] crate::istioctl::Error),

    #[error("the Gateway API module from {url} is refused")]
    Module {
        url: String,
        #[source]
        source: super::module_zip::ZipError,
    },

    #[error("the Gateway API CRDs in {url} verified but differ from the bundle this meshctl pins")]
    BundleChanged { url: String },

    #[error("the Gateway API CRD cache could not be written")]
    Cache(#[source] std::io::Error),

    #[error("the Gateway API CRDs are not UTF-8 text")]
    NotUtf8,

    #[error("the Gateway API CRDs do not parse: {0}")]
    Parse(String),
}
