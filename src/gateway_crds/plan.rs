//! What to do with the Gateway API CRDs a cluster already has: install the bundle, upgrade it,
//! leave it (already there), or leave it alone because someone else's CRDs are newer, from
//! another channel, or of unknown origin. The bundle is one unit: applying it over part of a
//! newer bundle would leave the cluster with mixed versions, so one CRD that must be left makes
//! the whole bundle left.

use std::cmp::Ordering;

/// A Gateway API CRD as the cluster has it: its `gateway.networking.k8s.io/bundle-version` and
/// `gateway.networking.k8s.io/channel` annotations.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Installed {
    pub name: String,
    pub bundle_version: Option<String>,
    pub channel: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    /// Server-side apply the bundle: `missing` CRDs are created, `older` ones upgraded.
    Apply {
        missing: Vec<String>,
        older: Vec<String>,
    },
    /// Every CRD of the bundle is there at this version, from the standard channel.
    UpToDate,
    /// Nothing is applied; each line says which CRD and why.
    Leave { reasons: Vec<String> },
}

/// The decision for the bundle `version` (e.g. `v1.6.0`) of CRDs `wanted`, given `installed`
/// (only the CRDs that exist; any order).
pub fn decide(version: &str, wanted: &[String], installed: &[Installed]) -> Decision {
    let reasons: Vec<String> = installed
        .iter()
        .filter_map(|crd| reason_to_leave(version, crd))
        .collect();
    if !reasons.is_empty() {
        return Decision::Leave { reasons };
    }
    let missing: Vec<String> = wanted
        .iter()
        .filter(|name| !installed.iter().any(|crd| &crd.name == *name))
        .cloned()
        .collect();
    let older: Vec<String> = installed
        .iter()
        .filter(|crd| {
            crd.bundle_version
                .as_deref()
                .is_some_and(|v| compare(v, version) == Some(Ordering::Less))
        })
        .map(|crd| crd.name.clone())
        .collect();
    if missing.is_empty() && older.is_empty() {
        Decision::UpToDate
    } else {
        Decision::Apply { missing, older }
    }
}

fn reason_to_leave(version: &str, crd: &Installed) -> Option<String> {
    let name = &crd.name;
    let Some(installed) = crd.bundle_version.as_deref() else {
        return Some(format!(
            "{name} has no gateway.networking.k8s.io/bundle-version annotation: installed by \
             something else, left as it is"
        ));
    };
    if let Some(channel) = crd.channel.as_deref().filter(|c| *c != "standard") {
        return Some(format!(
            "{name} is from the {channel} channel ({installed}); meshctl installs only the \
             standard channel and does not replace it"
        ));
    }
    match compare(installed, version) {
        Some(Ordering::Greater) => Some(format!(
            "{name} is at {installed}, newer than {version}: never downgraded"
        )),
        None => Some(format!(
            "{name} is at {installed:?}, not a version meshctl can compare: left as it is"
        )),
        _ => None,
    }
}

/// Orders two bundle versions (`v1.6.0`, `v1.5.1`, `v1.7.0-rc.1`); `None` when either is not
/// one. A pre-release sorts before its release; pre-releases compare by their text.
pub fn compare(a: &str, b: &str) -> Option<Ordering> {
    let (a_core, a_pre) = parse(a)?;
    let (b_core, b_pre) = parse(b)?;
    Some(a_core.cmp(&b_core).then_with(|| match (a_pre, b_pre) {
        (None, None) => Ordering::Equal,
        (None, Some(_)) => Ordering::Greater,
        (Some(_), None) => Ordering::Less,
        (Some(x), Some(y)) => x.cmp(y),
    }))
}

fn parse(version: &str) -> Option<([u64; 3], Option<&str>)> {
    let version = version.strip_prefix('v')?;
    let (core, pre) = match version.split_once('-') {
        Some((core, pre)) => (core, Some(pre)),
        None => (version, None),
    };
    let mut parts = core.split('.').map(|p| p.parse::<u64>().ok());
    let triple = [parts.next()??, parts.next()??, parts.next()??];
    parts.next().is_none().then_some((triple, pre))
}

#[cfg(test)]
mod tests {
    use super::*;

    const V: &str = "v1.6.0";

    fn crd(name: &str, version: Option<&str>, channel: Option<&str>) -> Installed {
        Installed {
            name: name.into(),
            bundle_version: version.map(Into::into),
            channel: channel.map(Into::into),
        }
    }

    fn wanted() -> Vec<String> {
        vec!["gateways".into(), "httproutes".into()]
    }

    #[test]
    fn nothing_installed_creates_the_bundle() {
        assert_eq!(
            decide(V, &wanted(), &[]),
            Decision::Apply {
                missing: wanted(),
                older: vec![]
            }
        );
    }

    #[test]
    fn the_same_version_everywhere_is_up_to_date() {
        let installed = [
            crd("gateways", Some(V), Some("standard")),
            crd("httproutes", Some(V), Some("standard")),
        ];
        assert_eq!(decide(V, &wanted(), &installed), Decision::UpToDate);
    }

    #[test]
    fn an_older_crd_is_upgraded_and_a_missing_one_created() {
        let installed = [crd("gateways", Some("v1.5.1"), Some("standard"))];
        assert_eq!(
            decide(V, &wanted(), &installed),
            Decision::Apply {
                missing: vec!["httproutes".into()],
                older: vec!["gateways".into()]
            }
        );
    }

    #[test]
    fn one_newer_crd_leaves_the_whole_bundle() {
        let installed = [
            crd("gateways", Some("v1.7.0"), Some("standard")),
            crd("httproutes", Some("v1.5.0"), Some("standard")),
        ];
        let Decision::Leave { reasons } = decide(V, &wanted(), &installed) else {
            panic!("a newer CRD must never be downgraded");
        };
        assert_eq!(reasons.len(), 1);
        assert!(
            reasons[0].contains("gateways is at v1.7.0, newer than v1.6.0"),
            "{reasons:?}"
        );
    }

    #[test]
    fn experimental_or_unannotated_crds_are_left() {
        let experimental = [crd("gateways", Some(V), Some("experimental"))];
        let Decision::Leave { reasons } = decide(V, &wanted(), &experimental) else {
            panic!("experimental CRDs are not replaced by standard ones");
        };
        assert!(reasons[0].contains("experimental channel"), "{reasons:?}");
        let unannotated = [crd("gateways", None, Some("standard"))];
        let Decision::Leave { reasons } = decide(V, &wanted(), &unannotated) else {
            panic!("CRDs of unknown origin are left");
        };
        assert!(reasons[0].contains("no gateway.networking.k8s.io/bundle-version"));
        let garbage = [crd("gateways", Some("latest"), None)];
        assert!(matches!(
            decide(V, &wanted(), &garbage),
            Decision::Leave { .. }
        ));
    }

    #[test]
    fn a_missing_channel_annotation_counts_as_standard() {
        let installed = [
            crd("gateways", Some(V), None),
            crd("httproutes", Some(V), None),
        ];
        assert_eq!(decide(V, &wanted(), &installed), Decision::UpToDate);
    }

    #[test]
    fn versions_order_numerically_with_pre_releases_first() {
        assert_eq!(compare("v1.10.0", "v1.9.9"), Some(Ordering::Greater));
        assert_eq!(compare("v1.6.0", "v1.6.0"), Some(Ordering::Equal));
        assert_eq!(compare("v1.6.0-rc.1", "v1.6.0"), Some(Ordering::Less));
        assert_eq!(compare("v1.6.0", "v1.6.0-rc.1"), Some(Ordering::Greater));
        assert_eq!(
            compare("v1.6.0-rc.2", "v1.6.0-rc.1"),
            Some(Ordering::Greater)
        );
        assert_eq!(compare("v1.6.1", "v1.6.0"), Some(Ordering::Greater));
        assert_eq!(compare("v2.0.0", "v1.99.99"), Some(Ordering::Greater));
        assert_eq!(
            compare("1.6.0", "v1.6.0"),
            None,
            "the v is part of the form"
        );
        assert_eq!(compare("v1.6", "v1.6.0"), None);
        assert_eq!(compare("v1.6.0.1", "v1.6.0"), None);
        assert_eq!(compare("v1.x.0", "v1.6.0"), None);
    }
}
