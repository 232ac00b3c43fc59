//! How bad a finding is and which part of the mesh it is about.

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl std::fmt::Display for Severity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::Info => "info",
            Self::Warning => "warning",
            Self::Error => "error",
        })
    }
}

/// What a finding is about; `troubleshoot <category>` shows one of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Category {
    Injection,
    Gateway,
    Mtls,
    Certs,
    Config,
    #[serde(rename = "gateway-api")]
    GatewayApi,
    Capacity,
    Ambient,
}

impl std::fmt::Display for Category {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::Injection => "injection",
            Self::Gateway => "gateway",
            Self::Mtls => "mtls",
            Self::Certs => "certs",
            Self::Config => "config",
            Self::GatewayApi => "gateway-api",
            Self::Capacity => "capacity",
            Self::Ambient => "ambient",
        })
    }
}
