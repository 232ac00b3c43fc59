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

/// A directory removed when the test ends (a panic included): a cache holds an unpacked istioctl
/// of ~190 MB.
struct CacheDir(tempfile::TempDir);

impl AsRef<Path> for CacheDir {
    fn as_ref(&self) -> &Path {
        self.0.path()
    }
}

impl std::ops::Deref for CacheDir {
    type Target = Path;

    fn deref(&self) -> &Path {
        self.0.path()
    }
}

fn cache_dir() -> CacheDir {
    temp_dir("meshctl-cache-")
}

fn temp_dir(prefix: &str) -> CacheDir {
    CacheDir(
        tempfile::Builder::new()
            .prefix(prefix)
            .tempdir()
            .expect("temp dir"),
    )
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

/// A fresh, empty directory for meshctl's TMPDIR, so that what a run leaves there is visible.
fn tmp_dir() -> CacheDir {
    temp_dir("meshctl-tmp-")
}

/// Neither the cache nor the temporary directory keeps anything of a refused download.
fn assert_nothing_left(cache: &Path, tmp: &Path) {
    assert!(cached_files(cache).is_empty(), "{:?}", cached_files(cache));
    assert!(leftovers(tmp).is_empty(), "{:?}", leftovers(tmp));
}

fn leftovers(dir: &Path) -> Vec<PathBuf> {
    std::fs::read_dir(dir)
        .map(|d| d.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default()
}

/// `fetch` with a TMPDIR of its own and a 1 s stall timeout, failing the test after 60 s.
async fn fetch_bounded(mirror: &str, cache: &Path, tmp: &Path) -> Run {
    let (cache, tmp) = (cache.to_string_lossy(), tmp.to_string_lossy());
    let args = [
        "install",
        "--print-istioctl",
        "--mirror",
        mirror,
        "--istio-version",
        VERSION,
    ];
    let env = [
        ("MESHCTL_CACHE_DIR", &*cache),
        ("TMPDIR", &*tmp),
        ("MESHCTL_DOWNLOAD_STALL_TIMEOUT", "1s"),
    ];
    tokio::time::timeout(std::time::Duration::from_secs(60), meshctl_env(&args, &env))
        .await
        .expect("the download must end within 60 s")
}

#[tokio::test(flavor = "multi_thread")]
async fn a_stalled_transfer_fails_after_the_stall_timeout_and_leaves_nothing() {
    let archive = real_archive();
    let mirror = Mirror::start(routes(
        Answer::Stall(archive.clone(), 100_000),
        sha256_line(&archive),
    ))
    .await;
    let (cache, tmp) = (cache_dir(), tmp_dir());
    let started = std::time::Instant::now();
    let run = fetch_bounded(&mirror.url, &cache, &tmp).await;
    assert_eq!(run.code, 3, "{}", run.stderr);
    assert!(run.stderr.contains("no data for 1 s"), "{}", run.stderr);
    assert!(
        started.elapsed() < std::time::Duration::from_secs(20),
        "{:?}",
        started.elapsed()
    );
    assert_nothing_left(&cache, &tmp);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_slow_but_steady_transfer_longer_than_the_stall_timeout_completes() {
    let archive = real_archive();
    let chunk = archive.len() / 6 + 1;
    let mirror = Mirror::start(routes(
        Answer::Slow(
            archive.clone(),
            chunk,
            std::time::Duration::from_millis(400),
        ),
        sha256_line(&archive),
    ))
    .await;
    let (cache, tmp) = (cache_dir(), tmp_dir());
    let run = fetch_bounded(&mirror.url, &cache, &tmp).await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        cached_files(&cache).len() == 2,
        "{:?}",
        cached_files(&cache)
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn endless_bodies_are_cut_off_at_their_caps() {
    let archive = real_archive();
    let (cache, tmp) = (cache_dir(), tmp_dir());
    let mirror = Mirror::start(routes(Answer::Bytes(archive.clone()), vec![])).await;
    let endless_checksum = Mirror::start(HashMap::from([
        (
            format!("/{VERSION}/{ARCHIVE}"),
            Answer::Bytes(archive.clone()),
        ),
        (format!("/{VERSION}/{ARCHIVE}.sha256"), Answer::Endless),
    ]))
    .await;
    drop(mirror);
    let run = fetch_bounded(&endless_checksum.url, &cache, &tmp).await;
    assert_eq!(run.code, 3, "{}", run.stderr);
    assert!(
        run.stderr.contains("larger than 4096 bytes"),
        "{}",
        run.stderr
    );

    let endless_archive = Mirror::start(routes(Answer::Endless, sha256_line(&archive))).await;
    let run = fetch_bounded(&endless_archive.url, &cache, &tmp).await;
    assert_eq!(run.code, 3, "{}", run.stderr);
    assert!(run.stderr.contains("larger than"), "{}", run.stderr);
    assert_nothing_left(&cache, &tmp);
}

#[tokio::test(flavor = "multi_thread")]
async fn the_checksum_fetch_and_a_truncated_body_are_retried() {
    let archive = real_archive();
    let mirror = Mirror::start(HashMap::from([
        (
            format!("/{VERSION}/{ARCHIVE}"),
            Answer::Sequence(vec![
                Answer::Truncated(archive.clone(), archive.len() / 3),
                Answer::Bytes(archive.clone()),
            ]),
        ),
        (
            format!("/{VERSION}/{ARCHIVE}.sha256"),
            Answer::Sequence(vec![
                Answer::Status(503),
                Answer::Bytes(sha256_line(&archive)),
            ]),
        ),
    ]))
    .await;
    let (cache, tmp) = (cache_dir(), tmp_dir());
    let run = fetch_bounded(&mirror.url, &cache, &tmp).await;
    assert_eq!(run.code, 0, "{}", run.stderr);
}

#[tokio::test(flavor = "multi_thread")]
async fn an_istioctl_that_is_not_a_working_executable_is_not_cached() {
    let zeros = vec![0u8; 500 * 1024 * 1024];
    let false_binary = std::fs::read("/bin/false").expect("/bin/false");
    for (what, body, says) in [
        ("a script", &b"#!/bin/sh\necho 1.31.0\n"[..], "a script"),
        ("empty", &b""[..], "empty"),
        ("500 MiB of zeros", &zeros[..], "not an ELF executable"),
        (
            "a program that fails",
            &false_binary[..],
            "version --remote=false",
        ),
    ] {
        let hostile = crafted("istioctl", tar::EntryType::Regular, body, None);
        let mirror = Mirror::start(routes(
            Answer::Bytes(hostile.clone()),
            sha256_line(&hostile),
        ))
        .await;
        let (cache, tmp) = (cache_dir(), tmp_dir());
        let run = fetch_bounded(&mirror.url, &cache, &tmp).await;
        assert_eq!(run.code, 3, "{what}: {}", run.stderr);
        assert!(run.stderr.contains(says), "{what}: {}", run.stderr);
        assert!(
            cached_files(&cache).is_empty(),
            "{what}: {:?}",
            cached_files(&cache)
        );
    }
}

/// Starts a download, sends SIGINT once `ready` sees the moment, and returns the exit code.
async fn interrupt_when(
    mirror: &str,
    cache: &Path,
    tmp: &Path,
    ready: impl Fn() -> bool,
) -> Option<i32> {
    let mut child = tokio::process::Command::new(env!("CARGO_BIN_EXE_meshctl"))
        .args([
            "install",
            "--print-istioctl",
            "--mirror",
            mirror,
            "--istio-version",
            VERSION,
        ])
        .env_remove("MESHCTL_ISTIO_MIRROR")
        .env("MESHCTL_CACHE_DIR", cache)
        .env("TMPDIR", tmp)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .expect("start meshctl");
    let pid = child.id().expect("pid");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while !ready() {
        assert!(std::time::Instant::now() < deadline, "never got there");
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
    let sent = std::process::Command::new("kill")
        .args(["-INT", &pid.to_string()])
        .status()
        .expect("kill -INT");
    assert!(sent.success());
    let status = tokio::time::timeout(std::time::Duration::from_secs(10), child.wait())
        .await
        .expect("meshctl must stop soon after Ctrl-C")
        .expect("wait");
    status.code()
}

#[tokio::test(flavor = "multi_thread")]
async fn ctrl_c_during_the_download_leaves_no_partial_archive() {
    let archive = real_archive();
    let mirror = Mirror::start(routes(
        Answer::Stall(archive.clone(), archive.len() / 2),
        sha256_line(&archive),
    ))
    .await;
    let (cache, tmp) = (cache_dir(), tmp_dir());
    let partial_on_disk = || {
        leftovers(&tmp)
            .iter()
            .any(|p| std::fs::metadata(p).is_ok_and(|m| m.len() > 1_000_000))
    };
    let code = interrupt_when(&mirror.url, &cache, &tmp, partial_on_disk).await;
    assert_ne!(code, Some(0));
    assert_nothing_left(&cache, &tmp);
}

#[tokio::test(flavor = "multi_thread")]
async fn ctrl_c_during_unpacking_leaves_no_partial_binary() {
    let archive = real_archive();
    let mirror = Mirror::start(routes(
        Answer::Bytes(archive.clone()),
        sha256_line(&archive),
    ))
    .await;
    let (cache, tmp) = (cache_dir(), tmp_dir());
    let unpacking = || !cached_files(&cache).is_empty();
    let code = interrupt_when(&mirror.url, &cache, &tmp, unpacking).await;
    assert_ne!(code, Some(0));
    assert_nothing_left(&cache, &tmp);
}
