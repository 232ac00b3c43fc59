//! istioctl download, verification, safe extraction and caching, against a mirror on 127.0.0.1
//! serving the real release-shaped archive the dev cluster builds, and broken variants of it.

use std::collections::HashMap;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::mirror::{Answer, Mirror};
use crate::support::*;

const VERSION: &str = "1.31.0";
const ARCHIVE: &str = "istioctl-1.31.0-linux-amd64.tar.gz";

fn real_archive() -> Vec<u8> {
    std::fs::read(cluster().mirror.join(VERSION).join(ARCHIVE))
        .expect("the dev cluster's istioctl archive")
}

fn sha256_line(bytes: &[u8]) -> Vec<u8> {
    format!("{:x}  {ARCHIVE}\n", Sha256::digest(bytes)).into_bytes()
}

fn routes(archive: Answer, checksum: Vec<u8>) -> HashMap<String, Answer> {
    HashMap::from([
        (format!("/{VERSION}/{ARCHIVE}"), archive),
        (
            format!("/{VERSION}/{ARCHIVE}.sha256"),
            Answer::Bytes(checksum),
        ),
    ])
}

fn cache_dir() -> PathBuf {
    let dir = std::env::temp_dir().join(unique("meshctl-cache"));
    std::fs::create_dir_all(&dir).expect("cache dir");
    dir
}

async fn fetch(mirror: &str, cache: &Path) -> Run {
    meshctl_env(
        &[
            "install",
            "--print-istioctl",
            "--mirror",
            mirror,
            "--istio-version",
            VERSION,
        ],
        &[("MESHCTL_CACHE_DIR", &cache.to_string_lossy())],
    )
    .await
}

fn cached_files(cache: &Path) -> Vec<PathBuf> {
    let dir = cache.join("istioctl").join(VERSION);
    std::fs::read_dir(&dir)
        .map(|d| d.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_verified_download_is_cached_and_reused_with_the_server_gone() {
    let archive = real_archive();
    let mirror = Mirror::start(routes(
        Answer::Bytes(archive.clone()),
        sha256_line(&archive),
    ))
    .await;
    let cache = cache_dir();
    let run = fetch(&mirror.url, &cache).await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    let path = PathBuf::from(run.stdout.trim());
    assert_eq!(path, cache.join("istioctl").join(VERSION).join("istioctl"));
    let mode = std::fs::metadata(&path)
        .expect("cached istioctl")
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o755);
    let version = std::process::Command::new(&path)
        .args(["version", "--remote=false"])
        .output()
        .expect("run istioctl");
    assert!(
        String::from_utf8_lossy(&version.stdout).contains(VERSION),
        "{version:?}"
    );

    drop(mirror);
    let again = fetch("http://127.0.0.1:9", &cache).await;
    assert_eq!(
        again.code, 0,
        "the cache must answer without the network: {}",
        again.stderr
    );
    assert_eq!(again.stdout.trim(), path.to_string_lossy());
}

async fn assert_refused(archive: Answer, checksum: Vec<u8>, expected: &str) {
    let mirror = Mirror::start(routes(archive, checksum)).await;
    let cache = cache_dir();
    let run = fetch(&mirror.url, &cache).await;
    assert_eq!(run.code, 3, "stderr: {}", run.stderr);
    assert!(
        run.stderr.contains(expected),
        "expected {expected:?} in: {}",
        run.stderr
    );
    assert!(
        run.stderr.contains(&mirror.url),
        "the error names the URL: {}",
        run.stderr
    );
    assert!(
        cached_files(&cache).is_empty(),
        "nothing may be cached: {:?}",
        cached_files(&cache)
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_checksum_mismatch_is_refused_and_nothing_is_cached() {
    let archive = real_archive();
    assert_refused(
        Answer::Bytes(archive),
        sha256_line(b"something else"),
        "checksum mismatch",
    )
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_truncated_download_is_refused_and_nothing_is_cached() {
    let archive = real_archive();
    let half = archive.len() / 2;
    assert_refused(
        Answer::Truncated(archive.clone(), half),
        sha256_line(&archive),
        "download of",
    )
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_missing_release_is_a_clear_404() {
    let mirror = Mirror::start(HashMap::new()).await;
    let cache = cache_dir();
    let run = fetch(&mirror.url, &cache).await;
    assert_eq!(run.code, 3);
    assert!(run.stderr.contains("404"), "{}", run.stderr);
    assert!(run.stderr.contains("hint:"), "{}", run.stderr);
}

/// A gzip'd tar with one entry whose name and type are written raw, as an attacker would.
fn crafted(name: &str, kind: tar::EntryType, body: &[u8], link: Option<&str>) -> Vec<u8> {
    crafted_entries(&[(name, kind, body, link)])
}

type Entry<'a> = (&'a str, tar::EntryType, &'a [u8], Option<&'a str>);

/// A gzip'd tar with these entries, in order.
fn crafted_entries(entries: &[Entry<'_>]) -> Vec<u8> {
    let mut builder = tar::Builder::new(flate2::write::GzEncoder::new(
        Vec::new(),
        flate2::Compression::fast(),
    ));
    for (name, kind, body, link) in entries {
        let mut header = tar::Header::new_old();
        let raw = &mut header.as_old_mut().name;
        raw[..name.len()].copy_from_slice(name.as_bytes());
        header.set_entry_type(*kind);
        header.set_size(body.len() as u64);
        header.set_mode(0o755);
        if let Some(target) = link {
            header.as_old_mut().linkname[..target.len()].copy_from_slice(target.as_bytes());
        }
        header.set_cksum();
        builder.append(&header, *body).expect("append");
    }
    builder.into_inner().expect("tar").finish().expect("gzip")
}

#[tokio::test(flavor = "multi_thread")]
async fn archives_with_parent_paths_or_links_are_refused() {
    let escaping = crafted("../istioctl", tar::EntryType::Regular, b"#!/bin/sh\n", None);
    assert_refused(
        Answer::Bytes(escaping.clone()),
        sha256_line(&escaping),
        "climbs out",
    )
    .await;
    let link = crafted("istioctl", tar::EntryType::Symlink, b"", Some("/bin/sh"));
    assert_refused(
        Answer::Bytes(link.clone()),
        sha256_line(&link),
        "not a regular file",
    )
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_refused_archive_leaves_nothing_that_a_later_run_uses() {
    const FAKE: &[u8] = b"#!/bin/sh\necho pwned\n";
    for later in [
        ("istioctl", tar::EntryType::Regular, FAKE, None),
        ("../escape", tar::EntryType::Regular, FAKE, None),
        (
            "bin/link",
            tar::EntryType::Symlink,
            &b""[..],
            Some("/bin/sh"),
        ),
    ] {
        let hostile = crafted_entries(&[("istioctl", tar::EntryType::Regular, FAKE, None), later]);
        let mirror = Mirror::start(routes(
            Answer::Bytes(hostile.clone()),
            sha256_line(&hostile),
        ))
        .await;
        let cache = cache_dir();
        let run = fetch(&mirror.url, &cache).await;
        assert_eq!(run.code, 3, "{:?}: {}", later.0, run.stderr);
        assert!(
            cached_files(&cache).is_empty(),
            "{:?}: nothing may be cached: {:?}",
            later.0,
            cached_files(&cache)
        );
        drop(mirror);
        let again = fetch("http://127.0.0.1:9", &cache).await;
        assert_eq!(
            again.code, 3,
            "{:?}: the refused binary must not be used: {}",
            later.0, again.stdout
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_cached_binary_without_its_record_is_not_used() {
    let cache = cache_dir();
    let dir = cache.join("istioctl").join(VERSION);
    std::fs::create_dir_all(&dir).expect("cache dir");
    let planted = dir.join("istioctl");
    std::fs::write(&planted, b"#!/bin/sh\necho planted\n").expect("plant");
    std::fs::set_permissions(&planted, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    let run = fetch("http://127.0.0.1:9", &cache).await;
    assert_eq!(
        run.code, 3,
        "a binary with no record of its archive is fetched again, not run: {}",
        run.stdout
    );
    assert!(run.stderr.contains("127.0.0.1:9"), "{}", run.stderr);
}

#[tokio::test]
async fn an_istio_version_that_is_not_a_version_is_bad_input() {
    let cache = cache_dir();
    for version in ["../../escape", "1.31.0/../../x", "", "latest"] {
        let run = meshctl_env(
            &[
                "install",
                "--print-istioctl",
                "--mirror",
                "http://127.0.0.1:9",
                "--istio-version",
                version,
            ],
            &[("MESHCTL_CACHE_DIR", &cache.to_string_lossy())],
        )
        .await;
        assert_eq!(run.code, 2, "{version:?}: {}", run.stderr);
        assert!(run.stderr.contains("--istio-version"), "{}", run.stderr);
    }
    assert!(
        std::fs::read_dir(&cache).expect("cache").next().is_none(),
        "nothing written"
    );
}
