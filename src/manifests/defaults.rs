//! The seed's values: every default of `meshctl.yaml`, used where the file says nothing.

use std::collections::BTreeMap;

use super::config::*;
use super::kube_values::{Labels, Port};
use super::values::{Host, IstioDuration, Name, Percent, Principal, Quantity};

// Seed defaults. Names and values that the seed writes literally are validated by their
// constructors in the unit test below, so a typo here fails the build's tests, not a user.
fn name(value: &str) -> Name {
    Name::new(value).unwrap_or_else(|e| unreachable!("seed default: {e}"))
}
fn port(value: i128) -> Port {
    Port::new(value).unwrap_or_else(|e| unreachable!("seed default: {e}"))
}
fn quantity(value: &str) -> Quantity {
    Quantity::new(value).unwrap_or_else(|e| unreachable!("seed default: {e}"))
}
fn percent(value: f64) -> Percent {
    Percent::new(value).unwrap_or_else(|e| unreachable!("seed default: {e}"))
}
fn secs(value: u64) -> IstioDuration {
    IstioDuration::from_secs(value)
}

impl Default for MeshConfig {
    fn default() -> Self {
        Self {
            namespace: name("production"),
            app: name("revenue-engine"),
            service: ServiceRef {
                name: name("revenue-engine-service"),
                port: port(8080),
            },
            admin_service: ServiceRef {
                name: name("revenue-engine-admin"),
                port: port(8080),
            },
            hosts: [
                "revenue-engine.tradingrobotplug.com",
                "api.revenue-engine.tradingrobotplug.com",
            ]
            .iter()
            .map(|h| Host::new(h).unwrap_or_else(|e| unreachable!("seed default: {e}")))
            .collect(),
            gateway: GatewayConfig::default(),
            cors: Cors::default(),
            routes: Routes::default(),
            jwt: Jwt::default(),
            authorization: Authorization::default(),
            canary: Canary::default(),
            fault: Fault::default(),
            resilience: Resilience::default(),
            quota: Quota::default(),
            limits: Limits::default(),
        }
    }
}

impl Default for GatewayConfig {
    fn default() -> Self {
        Self {
            name: name("revenue-engine-gateway"),
            selector: Labels::new(BTreeMap::from([(
                "istio".to_string(),
                "ingressgateway".to_string(),
            )]))
            .unwrap_or_else(|e| unreachable!("seed default: {e}")),
            tls_credential: name("revenue-engine-tls"),
        }
    }
}

impl Default for Cors {
    fn default() -> Self {
        Self {
            allow_origins: vec![
                "https://tradingrobotplug.com".into(),
                "https://www.tradingrobotplug.com".into(),
            ],
        }
    }
}

impl Default for Routes {
    fn default() -> Self {
        Self {
            api: Route {
                prefix: "/api/v1/revenue".into(),
                timeout: secs(30),
                retries: Retries {
                    attempts: 3,
                    per_try_timeout: secs(10),
                },
            },
            admin: Route {
                prefix: "/api/v1/admin".into(),
                timeout: secs(60),
                retries: Retries {
                    attempts: 2,
                    per_try_timeout: secs(30),
                },
            },
        }
    }
}

impl Default for Jwt {
    fn default() -> Self {
        Self {
            issuer: "https://accounts.google.com".into(),
            audiences: vec!["revenue-engine.tradingrobotplug.com".into()],
            jwks_uri: "https://www.googleapis.com/oauth2/v3/certs".into(),
        }
    }
}

impl Default for Authorization {
    fn default() -> Self {
        let principal =
            |p: &str| Principal::new(p).unwrap_or_else(|e| unreachable!("seed default: {e}"));
        Self {
            user_principals: vec![principal(
                "https://accounts.google.com/user@tradingrobotplug.com",
            )],
            admin_principals: vec![principal(
                "https://accounts.google.com/admin@tradingrobotplug.com",
            )],
        }
    }
}

impl Default for Canary {
    fn default() -> Self {
        Self {
            enabled: false,
            weights: Weights { v1: 80, v2: 20 },
            mirror_percent: percent(100.0),
        }
    }
}

impl Default for Fault {
    fn default() -> Self {
        Self {
            enabled: false,
            delay_percent: percent(10.0),
            delay: secs(5),
            abort_percent: percent(5.0),
            abort_status: HttpStatus(503),
        }
    }
}

impl Default for Resilience {
    fn default() -> Self {
        Self {
            max_connections: 100,
            connect_timeout: secs(30),
            http1_max_pending_requests: 50,
            http2_max_requests: 100,
            max_requests_per_connection: 10,
            max_retries: 3,
            outlier: Outlier::default(),
        }
    }
}

impl Default for Outlier {
    fn default() -> Self {
        Self {
            consecutive5xx_errors: 5,
            interval: secs(10),
            base_ejection_time: secs(30),
            max_ejection_percent: percent(50.0),
            min_health_percent: percent(30.0),
        }
    }
}

impl Default for Quota {
    fn default() -> Self {
        Self {
            requests_cpu: quantity("2000m"),
            requests_memory: quantity("4Gi"),
            limits_cpu: quantity("4000m"),
            limits_memory: quantity("8Gi"),
        }
    }
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            default_cpu: quantity("500m"),
            default_memory: quantity("1Gi"),
            default_request_cpu: quantity("100m"),
            default_request_memory: quantity("256Mi"),
        }
    }
}
