//! `meshctl.yaml`: the values the embedded manifests are rendered with. Every default is the
//! seed's; unknown keys and bad values are refused with file, line and reason.

use std::path::Path;

use crate::files::Refused;

use serde::{Deserialize, Serialize};

use super::error::{Error, Parse, Result};
use super::kube_values::{Labels, Port};
use super::values::{Host, IstioDuration, Name, Percent, Principal, Quantity};

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase", default)]
pub struct MeshConfig {
    /// The application namespace.
    pub namespace: Name,
    /// The `app` label of the workloads the policies select.
    pub app: Name,
    pub service: ServiceRef,
    pub admin_service: ServiceRef,
    pub hosts: Vec<Host>,
    pub gateway: GatewayConfig,
    pub cors: Cors,
    pub routes: Routes,
    pub jwt: Jwt,
    pub authorization: Authorization,
    pub canary: Canary,
    pub fault: Fault,
    pub resilience: Resilience,
    pub quota: Quota,
    pub limits: Limits,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ServiceRef {
    pub name: Name,
    pub port: Port,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase", default)]
pub struct GatewayConfig {
    pub name: Name,
    pub selector: Labels,
    pub tls_credential: Name,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase", default)]
pub struct Cors {
    pub allow_origins: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase", default)]
pub struct Routes {
    pub api: Route,
    pub admin: Route,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Route {
    pub prefix: String,
    pub timeout: IstioDuration,
    pub retries: Retries,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Retries {
    pub attempts: u32,
    pub per_try_timeout: IstioDuration,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase", default)]
pub struct Jwt {
    pub issuer: String,
    pub audiences: Vec<String>,
    pub jwks_uri: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase", default)]
pub struct Authorization {
    pub user_principals: Vec<Principal>,
    pub admin_principals: Vec<Principal>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase", default)]
pub struct Canary {
    pub enabled: bool,
    pub weights: Weights,
    pub mirror_percent: Percent,
}

/// Route weights of the v1 and v2 subsets; they must add up to 100.
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
#[serde(deny_unknown_fields, try_from = "RawWeights")]
pub struct Weights {
    pub v1: u32,
    pub v2: u32,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawWeights {
    v1: u32,
    v2: u32,
}

impl TryFrom<RawWeights> for Weights {
    type Error = String;

    fn try_from(raw: RawWeights) -> Result<Self, String> {
        // Summed wide: two u32 weights can wrap around to 100.
        let sum = u64::from(raw.v1) + u64::from(raw.v2);
        if sum == 100 {
            Ok(Self {
                v1: raw.v1,
                v2: raw.v2,
            })
        } else {
            Err(format!(
                "canary weights must add up to 100, got {} + {} = {sum}",
                raw.v1, raw.v2
            ))
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase", default)]
pub struct Fault {
    pub enabled: bool,
    pub delay_percent: Percent,
    pub delay: IstioDuration,
    pub abort_percent: Percent,
    pub abort_status: HttpStatus,
}

/// An HTTP status an abort fault can return (400–599).
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
#[serde(try_from = "u16")]
pub struct HttpStatus(pub(super) u16);

impl TryFrom<u16> for HttpStatus {
    type Error = String;

    fn try_from(code: u16) -> Result<Self, String> {
        if (400..=599).contains(&code) {
            Ok(Self(code))
        } else {
            Err(format!("{code} is not an error status (400-599)"))
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase", default)]
pub struct Resilience {
    pub max_connections: u32,
    pub connect_timeout: IstioDuration,
    pub http1_max_pending_requests: u32,
    pub http2_max_requests: u32,
    pub max_requests_per_connection: u32,
    pub max_retries: u32,
    pub outlier: Outlier,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase", default)]
pub struct Outlier {
    pub consecutive5xx_errors: u32,
    pub interval: IstioDuration,
    pub base_ejection_time: IstioDuration,
    pub max_ejection_percent: Percent,
    pub min_health_percent: Percent,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase", default)]
pub struct Quota {
    pub requests_cpu: Quantity,
    pub requests_memory: Quantity,
    pub limits_cpu: Quantity,
    pub limits_memory: Quantity,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase", default)]
pub struct Limits {
    pub default_cpu: Quantity,
    pub default_memory: Quantity,
    pub default_request_cpu: Quantity,
    pub default_request_memory: Quantity,
}

/// A config file is a few kilobytes; this leaves room and stops a runaway one early.
const MAX_CONFIG: u64 = 4 * 1024 * 1024;

impl MeshConfig {
    /// Reads and validates a config file; errors name the file, line and column.
    pub fn load(path: &Path) -> Result<Self> {
        let read = |source| Error::Read {
            path: path.to_path_buf(),
            source,
        };
        let bytes =
            crate::files::read_regular(path, MAX_CONFIG).map_err(|refused| match refused {
                Refused::NotRegular => Error::NotAFile {
                    path: path.to_path_buf(),
                },
                Refused::TooLarge { size, limit } => Error::TooLarge {
                    path: path.to_path_buf(),
                    size,
                    limit,
                },
                Refused::Io(e) => read(e),
            })?;
        let text = String::from_utf8(bytes)
            .map_err(|e| read(std::io::Error::new(std::io::ErrorKind::InvalidData, e)))?;
        Self::parse(&text, &path.display().to_string())
    }

    /// The one place that resolves the values: the file or the seed's, then a namespace given
    /// on the command line, which wins over the file's.
    pub fn resolve(path: Option<&Path>, namespace: Option<&str>) -> Result<Self> {
        let mut config = match path {
            Some(path) => Self::load(path)?,
            None => Self::default(),
        };
        if let Some(namespace) = namespace {
            config.set_namespace(namespace)?;
        }
        Ok(config)
    }

    /// `-n` on the command line wins over the file.
    fn set_namespace(&mut self, namespace: &str) -> Result<()> {
        self.namespace = Name::new(namespace).map_err(|reason| Error::Namespace {
            value: namespace.to_string(),
            reason,
        })?;
        Ok(())
    }

    pub fn parse(text: &str, source: &str) -> Result<Self> {
        let config: Self = serde_saphyr::from_str(text).map_err(|e| {
            let at = e
                .location()
                .map(|l| {
                    let key = key_at(text, l.line() as usize)
                        .map(|k| format!(" ({k})"))
                        .unwrap_or_default();
                    format!("{source}:{}:{}{key}", l.line(), l.column())
                })
                .unwrap_or_else(|| source.to_string());
            Error::Invalid {
                at,
                source: Parse(Box::new(e)),
            }
        })?;
        if config.hosts.is_empty() {
            return Err(Error::NoHosts {
                file: source.to_string(),
            });
        }
        Ok(config)
    }
}

/// The key written on line `line` (1-based) of the YAML, to name it beside the position.
fn key_at(text: &str, line: usize) -> Option<String> {
    let written = text.lines().nth(line.checked_sub(1)?)?;
    let (key, _) = written
        .trim_start()
        .trim_start_matches("- ")
        .split_once(':')?;
    let key = key.trim().trim_matches(['"', '\'']);
    (!key.is_empty() && key.len() <= 100).then(|| key.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_file_gives_the_seed_defaults() {
        let config = MeshConfig::parse("{}", "test").expect("defaults");
        assert_eq!(config.namespace.as_str(), "production");
        assert_eq!(config.hosts.len(), 2);
        assert_eq!(config.canary.weights.v1, 80);
    }

    #[test]
    fn unknown_keys_and_bad_values_name_the_line() {
        let err = MeshConfig::parse("namespace: prod\nhostz: [a.example.com]\n", "m.yaml")
            .expect_err("unknown key");
        let text = chain(&err);
        assert!(text.contains("m.yaml:2:"), "{text}");
        assert!(text.contains("hostz"), "{text}");

        let err = MeshConfig::parse(
            "canary:\n  enabled: true\n  weights: {v1: 70, v2: 20}\n",
            "m.yaml",
        )
        .expect_err("weights");
        assert!(chain(&err).contains("m.yaml:3:"), "{err}");
        assert!(chain(&err).contains("add up to 100"), "{err}");

        let err = MeshConfig::parse("fault:\n  delay: soon\n", "m.yaml").expect_err("duration");
        let text = chain(&err);
        assert!(
            text.contains("m.yaml:2:") && text.contains("not a duration"),
            "{text}"
        );
    }

    #[test]
    fn weights_that_wrap_around_are_refused_where_they_are() {
        let err = MeshConfig::parse(
            "canary:\n  enabled: true\n  weights: {v1: 4294967295, v2: 101}\n",
            "m.yaml",
        )
        .expect_err("weights overflow");
        let text = chain(&err);
        assert!(text.contains("m.yaml:3:"), "{text}");
        assert!(text.contains("= 4294967396"), "{text}");
    }

    /// The message as the CLI prints it: the error and its causes.
    fn chain(err: &Error) -> String {
        let mut text = err.to_string();
        let mut next = std::error::Error::source(err);
        while let Some(cause) = next {
            text.push_str(&format!(": {cause}"));
            next = cause.source();
        }
        text
    }
}
