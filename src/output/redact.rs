//! The one place secrets are taken out of what meshctl writes: URL userinfo, bearer and
//! credential-plugin tokens, passwords and private keys never reach stdout, stderr or the logs,
//! whichever layer's error or log line carried them.

use std::borrow::Cow;
use std::sync::LazyLock;

use regex::Regex;

const HIDDEN: &str = "<redacted>";

/// `scheme://user:password@host` → `scheme://<redacted>@host`, and the bare authority
/// `user:password@host` that HTTP client logs print. No word boundary before the scheme: a
/// colour code may stand right before it.
static URL_USERINFO: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?i)([a-z][a-z0-9+.-]*://|^|[\s(,"'=])[^/?#@\s(),"'=]+:[^/?#@\s(),"']*@|([a-z][a-z0-9+.-]*://)[^/?#@\s]+@"#)
        .expect("a valid pattern")
});

/// `Bearer <token>` and `Basic <credentials>` in headers and messages.
static AUTH_SCHEME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]{4,}").expect("a valid pattern")
});

/// `"token": "…"`, `password: …`, `client-key-data: …` as JSON or YAML, quoted or not, also
/// when escaped inside another JSON string (`\"token\":\"…\"`).
static SECRET_FIELD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"(?i)((?:\\?")?\b(?:token|access[_-]?token|id[_-]?token|refresh[_-]?token|password|passwd|secret|client[_-]?key[_-]?data|clientKeyData|client[_-]?secret)(?:\\?")?\s*[:=]\s*)(\\?"[^"\\]*(?:\\.[^"\\]*)*?\\?"|[^\s,}\]]+)"#,
    )
    .expect("a valid pattern")
});

/// PEM private keys, whole or cut off.
static PRIVATE_KEY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(-----END [A-Z ]*PRIVATE KEY-----|$)")
        .expect("a valid pattern")
});

/// `text` with every secret it may hold replaced by `<redacted>`.
pub fn redact(text: &str) -> Cow<'_, str> {
    let mut out = Cow::Borrowed(text);
    for (pattern, replacement) in [
        (&*PRIVATE_KEY, HIDDEN.to_string()),
        (&*URL_USERINFO, format!("${{1}}${{2}}{HIDDEN}@")),
        (&*AUTH_SCHEME, format!("${{1}} {HIDDEN}")),
        (&*SECRET_FIELD, format!("${{1}}{HIDDEN}")),
    ] {
        if pattern.is_match(&out) {
            out = Cow::Owned(pattern.replace_all(&out, replacement.as_str()).into_owned());
        }
    }
    out
}

/// Only what can appear in a report a user asked for: URL userinfo and private keys. Field
/// names such as `secret` are data there (a Gateway's `credentialName`, a Secret's name).
pub fn redact_data(text: &str) -> Cow<'_, str> {
    let mut out = Cow::Borrowed(text);
    if PRIVATE_KEY.is_match(&out) {
        out = Cow::Owned(PRIVATE_KEY.replace_all(&out, HIDDEN).into_owned());
    }
    if URL_USERINFO.is_match(&out) {
        let replacement = format!("${{1}}${{2}}{HIDDEN}@");
        out = Cow::Owned(
            URL_USERINFO
                .replace_all(&out, replacement.as_str())
                .into_owned(),
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{redact, redact_data};

    #[test]
    fn url_userinfo_is_hidden_and_the_rest_kept() {
        assert_eq!(
            redact("download of http://user:s3cret@127.0.0.1:9/x failed"),
            "download of http://<redacted>@127.0.0.1:9/x failed"
        );
        assert_eq!(
            redact("https://tok@host/a@b"),
            "https://<redacted>@host/a@b"
        );
        assert_eq!(
            redact("see https://host/path?q=a@b"),
            "see https://host/path?q=a@b"
        );
        assert_eq!(redact_data("file://u:p@/x"), "file://<redacted>@/x");
        assert_eq!(
            redact(r#"pool: ("https", admin:pw@127.0.0.1:1)"#),
            r#"pool: ("https", <redacted>@127.0.0.1:1)"#
        );
        assert_eq!(
            redact("uri=\x1b[0mhttps://a:b@h/"),
            "uri=\x1b[0mhttps://<redacted>@h/"
        );
        let principal = "https://accounts.google.com/user@tradingrobotplug.com";
        assert_eq!(redact(principal), principal);
        assert_eq!(redact("mail ops@example.com"), "mail ops@example.com");
    }

    #[test]
    fn plugin_tokens_in_json_are_hidden_even_when_cut_off_or_escaped() {
        let plugin = r#"{"kind":"ExecCredential","status":{"token":"s3cret-token"}}"#;
        assert!(!redact(plugin).contains("s3cret"), "{}", redact(plugin));
        let cut = r#"{"status":{"token": "s3cret-token"#;
        assert!(!redact(cut).contains("s3cret"), "{}", redact(cut));
        let escaped = r#"output: "{\"status\":{\"token\":\"s3cret-token\"}}""#;
        assert!(!redact(escaped).contains("s3cret"), "{}", redact(escaped));
        assert!(!redact("token: s3cret").contains("s3cret"));
        assert!(!redact("password=s3cret,").contains("s3cret"));
    }

    #[test]
    fn auth_headers_and_private_keys_are_hidden() {
        assert_eq!(
            redact("Authorization: Bearer abc.def-ghi"),
            "Authorization: Bearer <redacted>"
        );
        let key = "x -----BEGIN EC PRIVATE KEY-----\nMHc\n-----END EC PRIVATE KEY----- y";
        assert_eq!(redact(key), "x <redacted> y");
        assert_eq!(redact("-----BEGIN PRIVATE KEY-----\nMHc"), "<redacted>");
    }

    #[test]
    fn text_without_secrets_is_borrowed() {
        let plain = "VirtualService/production/vs: gateway revenue-engine-tls not found";
        assert!(matches!(redact(plain), std::borrow::Cow::Borrowed(_)));
        assert!(matches!(
            redact_data("credentialName: tls"),
            std::borrow::Cow::Borrowed(_)
        ));
    }

    #[test]
    fn data_keeps_field_names_that_are_not_secrets_there() {
        assert_eq!(
            redact_data("secret: revenue-engine-tls"),
            "secret: revenue-engine-tls"
        );
    }
}
