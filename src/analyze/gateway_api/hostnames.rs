//! Hostname intersection as the Gateway API defines it: a leading `*.` label stands for one or
//! more labels (`*.example.com` covers `a.example.com` and `a.b.example.com`, not `example.com`),
//! and a route attaches to a listener when one of its hostnames and the listener's intersect.

/// Do the two hostnames (either may be a wildcard) match a common host?
pub fn intersect(a: &str, b: &str) -> bool {
    let (a, b) = (a.to_ascii_lowercase(), b.to_ascii_lowercase());
    covers(&a, &b) || covers(&b, &a)
}

/// Does `pattern` match every host `host` matches?
fn covers(pattern: &str, host: &str) -> bool {
    if pattern == host {
        return true;
    }
    let Some(suffix) = pattern.strip_prefix("*.") else {
        return false;
    };
    host.strip_suffix(suffix)
        .is_some_and(|rest| rest.len() > 1 && rest.ends_with('.'))
}

/// The route's hostnames that a listener's hostname admits: all of them when either side names
/// none.
pub fn admitted(listener: Option<&str>, route: &[String]) -> bool {
    match listener {
        None => true,
        Some(listener) => route.is_empty() || route.iter().any(|h| intersect(listener, h)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wildcards_match_one_or_more_labels_but_not_the_bare_domain() {
        assert!(intersect("*.example.com", "shop.example.com"));
        assert!(intersect("*.example.com", "a.b.example.com"));
        assert!(intersect("shop.example.com", "*.example.com"));
        assert!(intersect("*.example.com", "*.shop.example.com"));
        assert!(intersect("*.com", "*.example.com"));
        assert!(intersect("Shop.Example.com", "shop.example.com"));
        assert!(!intersect("*.example.com", "example.com"));
        assert!(!intersect("*.example.com", "shop.example.org"));
        assert!(!intersect("*.example.com", "*.example.org"));
        assert!(!intersect("shop.example.com", "cart.example.com"));
        assert!(!intersect("*.example.com", "badexample.com"));
    }

    #[test]
    fn no_hostname_on_either_side_admits_everything() {
        assert!(admitted(None, &["a.example.org".into()]));
        assert!(admitted(Some("*.example.com"), &[]));
        assert!(!admitted(Some("*.example.com"), &["a.example.org".into()]));
    }
}
