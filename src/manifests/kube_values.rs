//! Values that Kubernetes itself judges: ports and label selectors. Refused while the YAML is
//! read (with its line and column), with the rule in the message, so that a bad value never
//! reaches the API server.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, de};

/// A TCP port, 1 to 65535.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct Port(u16);

impl Port {
    pub fn new(value: i128) -> Result<Self, String> {
        match u16::try_from(value) {
            Ok(port) if port != 0 => Ok(Self(port)),
            _ => Err(format!("{value} is not a port: allowed are 1 to 65535")),
        }
    }
}

impl<'de> Deserialize<'de> for Port {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl de::Visitor<'_> for Visitor {
            type Value = Port;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a port number from 1 to 65535")
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Port, E> {
                Port::new(v.into()).map_err(E::custom)
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Port, E> {
                Port::new(v.into()).map_err(E::custom)
            }
            fn visit_i128<E: de::Error>(self, v: i128) -> Result<Port, E> {
                Port::new(v).map_err(E::custom)
            }
            fn visit_u128<E: de::Error>(self, v: u128) -> Result<Port, E> {
                Port::new(i128::try_from(v).unwrap_or(i128::MAX)).map_err(E::custom)
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}

/// Labels as a selector: keys `[prefix/]name`, values at most 63 characters, as Kubernetes
/// validates them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct Labels(BTreeMap<String, String>);

impl Labels {
    pub fn new(map: BTreeMap<String, String>) -> Result<Self, String> {
        for (key, value) in &map {
            check_key(key)?;
            if !value.is_empty() && !is_label_name(value) {
                return Err(format!(
                    "{value:?} (label {key:?}) is not a label value: at most 63 letters, digits, \
                     '-', '_' or '.', starting and ending with a letter or digit"
                ));
            }
        }
        Ok(Self(map))
    }
}

impl<'de> Deserialize<'de> for Labels {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let map = BTreeMap::<String, String>::deserialize(deserializer)?;
        Labels::new(map).map_err(de::Error::custom)
    }
}

fn check_key(key: &str) -> Result<(), String> {
    let (prefix, name) = match key.rsplit_once('/') {
        Some((prefix, name)) => (Some(prefix), name),
        None => (None, key),
    };
    let prefix_ok = prefix.is_none_or(|p| {
        !p.is_empty()
            && p.len() <= 253
            && p.split('.').all(|l| {
                !l.is_empty()
                    && l.len() <= 63
                    && l.bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
                    && !l.starts_with('-')
                    && !l.ends_with('-')
            })
    });
    if prefix_ok && is_label_name(name) {
        Ok(())
    } else {
        Err(format!(
            "{key:?} is not a label key: [prefix/]name, the name at most 63 letters, digits, '-', \
             '_' or '.', starting and ending with a letter or digit; the prefix a DNS subdomain"
        ))
    }
}

fn is_label_name(text: &str) -> bool {
    let bytes = text.as_bytes();
    !text.is_empty()
        && text.len() <= 63
        && bytes[0].is_ascii_alphanumeric()
        && bytes[bytes.len() - 1].is_ascii_alphanumeric()
        && bytes
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ports_are_1_to_65535() {
        assert!(Port::new(1).is_ok() && Port::new(65535).is_ok());
        for bad in [0, -1, 65536, 1 << 40] {
            let err = Port::new(bad).expect_err("out of range");
            assert!(err.contains("1 to 65535"), "{err}");
        }
    }

    #[test]
    fn label_keys_and_values_follow_kubernetes() {
        let ok = |k: &str, v: &str| Labels::new(BTreeMap::from([(k.into(), v.into())])).is_ok();
        assert!(ok("istio", "ingressgateway"));
        assert!(ok("app.kubernetes.io/name", "web_1.2"));
        assert!(ok("app", ""));
        assert!(!ok("bad key!", "x"));
        assert!(!ok("/name", "x"));
        assert!(!ok("Example.com/name", "x"));
        assert!(!ok("app", "-x"));
        assert!(!ok("app", &"a".repeat(64)));
        assert!(!ok(&"k".repeat(64), "x"));
    }
}
