//! Validated scalar types of the config file. Each refuses a bad value while the YAML is read,
//! so the error carries the file's line and column.

use std::time::Duration;

use serde::{Deserialize, Deserializer, Serialize, Serializer, de};

/// An RFC 1123 label: namespaces, object names, the app label.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct Name(String);

impl Name {
    pub fn new(value: &str) -> Result<Self, String> {
        let ok = !value.is_empty()
            && value.len() <= 63
            && value
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            && !value.starts_with('-')
            && !value.ends_with('-');
        if ok {
            Ok(Self(value.to_string()))
        } else {
            Err(format!(
                "{value:?} is not a valid name (lowercase letters, digits and '-', at most 63)"
            ))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A DNS hostname, optionally a `*.` wildcard.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct Host(String);

impl Host {
    pub fn new(value: &str) -> Result<Self, String> {
        let bare = value.strip_prefix("*.").unwrap_or(value);
        let labels_ok = !bare.is_empty()
            && bare.len() <= 253
            && bare
                .split('.')
                .all(|l| Name::new(&l.to_ascii_lowercase()).is_ok() && l == l.to_ascii_lowercase());
        if labels_ok {
            Ok(Self(value.to_string()))
        } else {
            Err(format!("{value:?} is not a valid hostname"))
        }
    }
}

/// A percentage, 0 to 100.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(transparent)]
pub struct Percent(f64);

impl Percent {
    pub fn new(value: f64) -> Result<Self, String> {
        if (0.0..=100.0).contains(&value) {
            Ok(Self(value))
        } else {
            Err(format!("{value} is not a percentage between 0 and 100"))
        }
    }

    pub fn value(self) -> f64 {
        self.0
    }
}

/// A duration written like `30s`, `1m30s` or `250ms`; rendered the way Istio's API expects
/// (seconds with an `s` suffix).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IstioDuration(Duration);

impl IstioDuration {
    pub fn new(text: &str) -> Result<Self, String> {
        let parsed = humantime::parse_duration(text)
            .map_err(|e| format!("{text:?} is not a duration ({e}); write e.g. 30s or 1m"))?;
        if parsed < Duration::from_millis(1) {
            return Err(format!("{text:?} is shorter than 1ms"));
        }
        Ok(Self(parsed))
    }

    pub fn from_secs(secs: u64) -> Self {
        Self(Duration::from_secs(secs))
    }

    pub fn render(self) -> String {
        let millis = self.0.as_millis();
        if millis % 1000 == 0 {
            format!("{}s", millis / 1000)
        } else {
            format!("{}.{:03}s", millis / 1000, millis % 1000)
        }
    }
}

impl Serialize for IstioDuration {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.render())
    }
}

/// A Kubernetes resource quantity such as `500m`, `4Gi` or `2`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct Quantity(String);

impl Quantity {
    pub fn new(text: &str) -> Result<Self, String> {
        const SUFFIXES: [&str; 14] = [
            "", "m", "k", "M", "G", "T", "P", "E", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei",
        ];
        let split = text
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(text.len());
        let (number, suffix) = text.split_at(split);
        let number_ok = !number.is_empty() && number.parse::<f64>().is_ok();
        if number_ok && SUFFIXES.contains(&suffix) {
            Ok(Self(text.to_string()))
        } else {
            Err(format!(
                "{text:?} is not a resource quantity (e.g. 500m, 2, 4Gi)"
            ))
        }
    }
}

/// A JWT request principal: `<issuer>/<subject>` or `*`. The seed's bare `user@…` can never
/// match, because Istio compares against `iss/sub`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct Principal(String);

impl Principal {
    pub fn new(text: &str) -> Result<Self, String> {
        let ok = text == "*"
            || text
                .split_once('/')
                .is_some_and(|(iss, sub)| !iss.is_empty() && !sub.is_empty());
        if ok {
            Ok(Self(text.to_string()))
        } else {
            Err(format!(
                "{text:?} is not a request principal: write <issuer>/<subject> or *"
            ))
        }
    }
}

macro_rules! deserialize_via {
    ($type:ty, $raw:ty, $ctor:expr) => {
        impl<'de> Deserialize<'de> for $type {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let raw = <$raw>::deserialize(deserializer)?;
                $ctor(raw).map_err(de::Error::custom)
            }
        }
    };
}

deserialize_via!(Name, String, |s: String| Name::new(&s));
deserialize_via!(Host, String, |s: String| Host::new(&s));
deserialize_via!(Percent, f64, Percent::new);
deserialize_via!(IstioDuration, String, |s: String| IstioDuration::new(&s));
deserialize_via!(Quantity, String, |s: String| Quantity::new(&s));
deserialize_via!(Principal, String, |s: String| Principal::new(&s));

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_checked() {
        assert!(Name::new("revenue-engine").is_ok());
        assert!(Name::new("Revenue_Engine").is_err());
        assert!(Host::new("*.example.com").is_ok());
        assert!(Host::new("bad host").is_err());
        assert!(Percent::new(100.0).is_ok() && Percent::new(100.5).is_err());
        assert_eq!(
            IstioDuration::new("1m30s").map(IstioDuration::render),
            Ok("90s".to_string())
        );
        assert_eq!(
            IstioDuration::new("250ms").map(IstioDuration::render),
            Ok("0.250s".to_string())
        );
        assert!(IstioDuration::new("soon").is_err());
        assert!(Quantity::new("4Gi").is_ok() && Quantity::new("4GB").is_err());
        assert!(Principal::new("https://accounts.google.com/user@x.com").is_ok());
        assert!(Principal::new("user@x.com").is_err());
    }
}
