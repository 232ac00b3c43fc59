//! An API server that throttles, fails and goes away, emulated by a fault proxy in front of the
//! dev cluster's: reads are retried, writes are not, a storm ends within the documented bound.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::faultproxy::{Fault, FaultProxy, Seen};
use crate::support::*;

fn is_read(seen: &Seen) -> bool {
    seen.method == "GET"
}

fn same_request(a: &Seen, b: &Seen) -> bool {
    a.method == b.method && a.path == b.path && a.query == b.query
}

/// Check id → status of a health report.
fn statuses(run: &Run) -> BTreeMap<String, String> {
    run.json()["checks"]
        .as_array()
        .expect("checks")
        .iter()
        .map(|c| {
            let field = |k: &str| c[k].as_str().unwrap_or("").to_string();
            (field("id"), field("status"))
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn throttled_and_failing_reads_are_retried_and_health_succeeds_as_without_faults() {
    cluster();
    let _istiod = istiod_serving();
    let ns = TestNamespace::create("t-fault-reads", &[]).await;
    // Every distinct read fails on its first try: one in two with 429 and `Retry-After: 1`, the
    // others with 503 twice; the try after that is forwarded.
    let proxy = FaultProxy::start(Arc::new(|seen: &Seen, before: &[Seen]| {
        if !is_read(seen) {
            return Fault::Forward;
        }
        let earlier = before.iter().filter(|b| same_request(b, seen)).count();
        let throttled = seen.path.len() % 2 == 0;
        match (throttled, earlier) {
            (true, 0) => Fault::Status(429, Some(1), "too many requests, slow down".into()),
            (false, 0 | 1) => Fault::Status(503, None, "the server is unavailable".into()),
            _ => Fault::Forward,
        }
    }))
    .await;
    let direct = meshctl(&["-n", &ns.name, "health", "-o", "json"]).await;
    let started = Instant::now();
    let faulty = meshctl_bare(&[
        "--kubeconfig",
        &proxy.kubeconfig_arg(),
        "-n",
        &ns.name,
        "health",
        "-o",
        "json",
    ])
    .await;
    let took = started.elapsed();
    let seen = proxy.seen();
    assert_eq!(
        faulty.code, direct.code,
        "stdout: {}\nstderr: {}",
        faulty.stdout, faulty.stderr
    );
    assert_eq!(statuses(&faulty), statuses(&direct), "{}", faulty.stderr);
    let throttled: Vec<&Seen> = seen.iter().filter(|s| s.answer == "429").collect();
    let unavailable = seen.iter().filter(|s| s.answer == "503").count();
    assert!(
        !throttled.is_empty() && unavailable > 0,
        "faults were injected: {seen:#?}"
    );
    // The retry after a 429 waited for its Retry-After.
    for first in &throttled {
        let retry = seen
            .iter()
            .find(|s| same_request(s, first) && s.at > first.at)
            .expect("a throttled read is retried");
        assert!(
            retry.at - first.at >= Duration::from_millis(950),
            "{} retried after {:?}",
            first.path,
            retry.at - first.at
        );
    }
    assert!(took < Duration::from_secs(60), "took {took:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_write_answered_503_is_not_retried_and_the_install_says_what_was_applied() {
    cluster();
    let _istiod = istiod_serving();
    let ns = TestNamespace::create("t-fault-write", &[]).await;
    // The third object the install really applies in the namespace is answered 503.
    let namespace = ns.name.clone();
    let proxy = FaultProxy::start(Arc::new(move |seen: &Seen, before: &[Seen]| {
        let is_apply = |s: &Seen| s.is_apply_in(&namespace);
        if is_apply(seen) && before.iter().filter(|b| is_apply(b)).count() == 2 {
            Fault::Status(503, None, "the server is unavailable".into())
        } else {
            Fault::Forward
        }
    }))
    .await;
    let run = meshctl_bare(&[
        "--kubeconfig",
        &proxy.kubeconfig_arg(),
        "install",
        "--skip-istio",
        "-n",
        &ns.name,
        "-o",
        "json",
    ])
    .await;
    let seen = proxy.seen();
    assert_eq!(
        run.code, 3,
        "stdout: {}\nstderr: {}",
        run.stdout, run.stderr
    );
    let refused = seen
        .iter()
        .find(|s| s.answer == "503")
        .expect("a write was refused");
    let tries = seen
        .iter()
        .filter(|s| s.is_real_write() && same_request(s, refused))
        .count();
    assert_eq!(tries, 1, "the refused write was sent once: {seen:#?}");
    let report = run.json();
    let objects = report["objects"].as_array().expect("objects");
    let created: Vec<&str> = objects
        .iter()
        .filter(|o| o["result"] == "created")
        .filter_map(|o| o["resource"].as_str())
        .collect();
    // The apply is one parallel wave: every object but the refused one was applied.
    let forwarded = seen
        .iter()
        .filter(|s| s.is_apply_in(&ns.name) && s.answer == "forward")
        .count();
    assert!(forwarded >= 2, "{seen:#?}");
    assert_eq!(created.len(), forwarded, "what was applied: {objects:?}");
    let said = format!("applied {} of", objects.len());
    assert!(
        run.stderr.contains(&said) && created.iter().all(|c| run.stderr.contains(c)),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("503") || run.stderr.contains("unavailable"),
        "{}",
        run.stderr
    );
}

/// Every request throttled (`Retry-After: 1`) or failing, for good: the command gives up within
/// the bound (4 tries a read, waits of at most 2 s backoff or the Retry-After), exit 3.
#[tokio::test(flavor = "multi_thread")]
async fn a_storm_that_does_not_end_stops_within_the_bound_with_exit_3() {
    cluster();
    let ns = TestNamespace::create("t-fault-storm", &[]).await;
    for (name, fault) in [
        (
            "429",
            Fault::Status(429, Some(1), "too many requests".into()),
        ),
        ("503", Fault::Status(503, None, "unavailable".into())),
        (
            "429 for an hour",
            Fault::Status(429, Some(3600), "come back later".into()),
        ),
    ] {
        let rule = fault.clone();
        let proxy = FaultProxy::start(Arc::new(move |_: &Seen, _: &[Seen]| rule.clone())).await;
        let started = Instant::now();
        let run = meshctl_bare(&[
            "--kubeconfig",
            &proxy.kubeconfig_arg(),
            "-n",
            &ns.name,
            "health",
        ])
        .await;
        let took = started.elapsed();
        assert_eq!(run.code, 3, "{name}: {}", run.stderr);
        assert!(took < Duration::from_secs(20), "{name}: took {took:?}");
        let seen = proxy.seen();
        let mut tries: HashMap<(String, String), usize> = HashMap::new();
        for s in seen.iter().filter(|s| is_read(s)) {
            *tries.entry((s.path.clone(), s.query.clone())).or_default() += 1;
        }
        assert!(
            tries.values().all(|&n| n <= 4),
            "{name}: at most 4 tries a read: {tries:?}"
        );
        assert!(
            run.stderr.contains("hint:"),
            "{name}: the error has a hint: {}",
            run.stderr
        );
    }
}

/// Resource → result of an install report, with the namespace's name replaced by `NS`.
fn install_results(run: &Run, ns: &str) -> BTreeMap<String, String> {
    run.json()["objects"]
        .as_array()
        .expect("objects")
        .iter()
        .map(|o| {
            let field = |k: &str| o[k].as_str().unwrap_or("").to_string();
            (field("resource").replace(ns, "NS"), field("result"))
        })
        .collect()
}

async fn install_via(kubeconfig: &str, ns: &str, dry_run: bool) -> Run {
    let mut args = vec![
        "--kubeconfig",
        kubeconfig,
        "install",
        "--skip-istio",
        "-n",
        ns,
        "-o",
        "json",
    ];
    if dry_run {
        args.push("--dry-run");
    }
    meshctl_bare(&args).await
}

/// The API server goes away after three objects of the manifest step were applied (every
/// connection is reset) and comes back: the run fails with exit 3 naming what was applied; the
/// rerun applies the rest and the namespace ends as an undisturbed install leaves it.
#[tokio::test(flavor = "multi_thread")]
async fn an_api_server_gone_in_the_manifest_step_fails_with_exit_3_and_a_rerun_converges() {
    use std::sync::atomic::{AtomicBool, Ordering};
    cluster();
    let _istiod = istiod_serving();
    let ns = TestNamespace::create("t-fault-gone", &[]).await;
    let undisturbed = TestNamespace::create("t-fault-calm", &[]).await;
    let recovered = Arc::new(AtomicBool::new(false));
    let namespace = ns.name.clone();
    let back = recovered.clone();
    let proxy = FaultProxy::start(Arc::new(move |_: &Seen, before: &[Seen]| {
        let applied = before
            .iter()
            .filter(|b| b.is_apply_in(&namespace) && b.answer == "forward")
            .count();
        if applied >= 3 && !back.load(Ordering::SeqCst) {
            Fault::Reset
        } else {
            Fault::Forward
        }
    }))
    .await;
    let proxied = proxy.kubeconfig_arg();
    let admin = cluster().admin.to_string_lossy().into_owned();

    let gone = install_via(&proxied, &ns.name, false).await;
    assert_eq!(
        gone.code, 3,
        "stdout: {}\nstderr: {}",
        gone.stdout, gone.stderr
    );
    let first = install_results(&gone, &ns.name);
    let created: Vec<&String> = first
        .iter()
        .filter(|(_, r)| *r == "created")
        .map(|(k, _)| k)
        .collect();
    assert_eq!(created.len(), 3, "{first:?}");
    assert!(
        gone.stderr.contains(&format!("applied {} of", first.len()))
            && created
                .iter()
                .all(|c| gone.stderr.contains(&c.replace("NS", &ns.name))),
        "{}",
        gone.stderr
    );
    assert!(gone.stderr.contains("safe to run again"), "{}", gone.stderr);

    recovered.store(true, Ordering::SeqCst);
    let rerun = install_via(&proxied, &ns.name, false).await;
    assert_eq!(rerun.code, 0, "{}", rerun.stderr);
    let second = install_results(&rerun, &ns.name);
    for resource in &created {
        assert_eq!(second[*resource], "unchanged", "{second:?}");
    }

    let calm = install_via(&admin, &undisturbed.name, false).await;
    assert_eq!(calm.code, 0, "{}", calm.stderr);
    let calm_results = install_results(&calm, &undisturbed.name);
    assert_eq!(
        second.keys().collect::<Vec<_>>(),
        calm_results.keys().collect::<Vec<_>>(),
        "the same objects"
    );
    // Nothing is left to do in either namespace: both hold exactly what install applies.
    for name in [&ns.name, &undisturbed.name] {
        let plan = install_via(&admin, name, true).await;
        assert_eq!(plan.code, 0, "{}", plan.stderr);
        for (resource, result) in install_results(&plan, name) {
            assert!(
                result == "unchanged" || result == "skipped",
                "{name}: {resource} would be {result}"
            );
        }
    }
}
