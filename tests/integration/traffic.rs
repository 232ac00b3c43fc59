//! `meshctl traffic-test` against servers on 127.0.0.1 made by the tests.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use crate::loadserver::{Behaviour, LoadServer};
use crate::protoserver::ProtoServer;
use crate::support::*;

async fn traffic(args: &[&str]) -> Run {
    let mut all = vec!["traffic-test", "-o", "json"];
    all.extend_from_slice(args);
    meshctl_bare(&all).await
}

fn threshold<'a>(report: &'a serde_json::Value, name: &str) -> &'a serde_json::Value {
    report["thresholds"]
        .as_array()
        .and_then(|t| t.iter().find(|t| t["name"] == name))
        .unwrap_or_else(|| panic!("no threshold {name} in {report:#}"))
}

#[tokio::test(flavor = "multi_thread")]
async fn n_sends_exactly_that_many_requests() {
    let server = LoadServer::start(Behaviour::default()).await;
    let run = traffic(&[&server.url, "-n", "237", "-c", "7"]).await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    let report = run.json();
    assert_eq!(report["requests"], 237);
    assert_eq!(report["status_codes"]["200"], 237);
    assert_eq!(server.served.load(Ordering::SeqCst), 237);
    for key in [
        "duration_s",
        "rps",
        "errors",
        "latency_ms",
        "histogram",
        "thresholds",
    ] {
        assert!(!report[key].is_null(), "{key} missing: {report:#}");
    }
    let one_thread = traffic(&[&server.url, "-n", "50", "-c", "4", "-t", "1"]).await;
    assert_eq!(one_thread.json()["requests"], 50, "{}", one_thread.stderr);
    assert_eq!(one_thread.json()["threads"], 1);
    let seed_default = traffic(&[&server.url]).await.json();
    assert_eq!(seed_default["requests"], 100, "-n 100 -c 10 as the seed");
    // The server is on this machine: the default leaves it a core.
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    assert_eq!(seed_default["threads"], cores.saturating_sub(1).max(1));
}

#[tokio::test(flavor = "multi_thread")]
async fn the_progress_bar_is_drawn_on_a_terminal_stderr_only() {
    let server = LoadServer::delayed(Duration::from_millis(2)).await;
    let piped = meshctl_bare(&["traffic-test", &server.url, "-d", "1s", "-c", "2"]).await;
    assert_eq!(piped.code, 0);
    assert_eq!(
        piped.stderr, "",
        "no progress output when stderr is not a terminal"
    );

    // script(1) gives the command a terminal; stdout goes to a file, so the terminal carries
    // only stderr.
    let dir = scratch_dir("meshctl-report-");
    let report = dir.path().join("report.txt");
    let command = format!(
        "{} traffic-test {} -d 1s -c 2 > {}",
        env!("CARGO_BIN_EXE_meshctl"),
        server.url,
        report.display()
    );
    let terminal = tokio::process::Command::new("script")
        .args(["-qec", &command, "/dev/null"])
        .env_remove("NO_COLOR")
        .output()
        .await
        .expect("run script(1)");
    assert!(terminal.status.success(), "{terminal:?}");
    let drawn = String::from_utf8_lossy(&terminal.stdout);
    assert!(
        drawn.contains("requests") && drawn.contains("\x1b[2K"),
        "a redrawn progress line on the terminal: {drawn:?}"
    );
    let written = std::fs::read_to_string(&report).expect("the report file");
    assert!(written.starts_with("Summary:"), "{written}");
    assert!(
        !written.contains('\x1b'),
        "no escapes in the report: {written:?}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn status_codes_are_counted_and_an_error_rate_threshold_fails() {
    let server = LoadServer::start(Behaviour {
        status_every: Some((4, 503)),
        ..Behaviour::default()
    })
    .await;
    let run = traffic(&[
        &server.url,
        "-n",
        "400",
        "-c",
        "8",
        "--max-error-rate",
        "1%",
    ])
    .await;
    assert_eq!(run.code, 1, "{}", run.stderr);
    let report = run.json();
    assert_eq!(report["status_codes"]["503"], 100);
    assert_eq!(report["status_codes"]["200"], 300);
    assert_eq!(threshold(&report, "max-error-rate")["ok"], false);
    let expect = traffic(&[&server.url, "-n", "40", "--expect-status", "200"]).await;
    assert_eq!(expect.code, 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn min_rps_fails_a_server_slower_than_the_floor() {
    // One connection to a server that takes 20 ms: at most 50 requests/s.
    let server = LoadServer::delayed(Duration::from_millis(20)).await;
    let slow = traffic(&[&server.url, "-n", "20", "-c", "1", "--min-rps", "200"]).await;
    assert_eq!(slow.code, 1, "{}", slow.stdout);
    let report = slow.json();
    assert_eq!(threshold(&report, "min-rps")["ok"], false, "{report:#}");
    assert!(report["rps"].as_f64().unwrap_or(99.0) <= 50.0, "{report:#}");
    let enough = traffic(&[&server.url, "-n", "20", "-c", "1", "--min-rps", "5"]).await;
    assert_eq!(enough.code, 0, "{}", enough.stdout);
    assert_eq!(threshold(&enough.json(), "min-rps")["ok"], true);
}

#[tokio::test(flavor = "multi_thread")]
async fn latency_percentiles_follow_a_known_delay_distribution() {
    // 1 in 10 requests takes 80 ms, the rest answer at once.
    let server = LoadServer::start(Behaviour {
        slow_every: Some((10, Duration::from_millis(80))),
        ..Behaviour::default()
    })
    .await;
    let run = traffic(&[&server.url, "-n", "500", "-c", "5", "--max-p99", "10s"]).await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    let latency = run.json()["latency_ms"].clone();
    let (p50, p95, p99, max) = (
        latency["p50"].as_f64().unwrap_or(-1.0),
        latency["p95"].as_f64().unwrap_or(-1.0),
        latency["p99"].as_f64().unwrap_or(-1.0),
        latency["max"].as_f64().unwrap_or(-1.0),
    );
    assert!(p50 < 40.0, "p50 {p50} ms: 90% answer at once");
    assert!(
        (80.0..400.0).contains(&p95),
        "p95 {p95} ms: the slowest 10% take 80 ms"
    );
    assert!(p99 >= 80.0 && max >= 80.0, "p99 {p99} max {max}");

    let strict = traffic(&[&server.url, "-n", "100", "-c", "5", "--max-p99", "20ms"]).await;
    assert_eq!(strict.code, 1);
    assert_eq!(threshold(&strict.json(), "max-p99")["ok"], false);
}

#[tokio::test(flavor = "multi_thread")]
async fn an_80_20_split_passes_and_a_60_40_one_fails() {
    let right = LoadServer::start(Behaviour {
        v2_percent: Some(20),
        ..Behaviour::default()
    })
    .await;
    let run = traffic(&[
        &right.url,
        "-n",
        "1000",
        "-c",
        "10",
        "--expect-split",
        "v1=80,v2=20",
        "--split-by",
        "header:x-version",
    ])
    .await;
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    let split = &run.json()["split"];
    assert_eq!(split["verdict"], "pass", "{split:#}");
    assert_eq!(split["shares"][1]["observed_pct"], 20.0);

    let wrong = LoadServer::start(Behaviour {
        v2_percent: Some(40),
        ..Behaviour::default()
    })
    .await;
    let run = traffic(&[
        &wrong.url,
        "-n",
        "1000",
        "-c",
        "10",
        "--expect-split",
        "v1=80,v2=20",
        "--split-by",
        "header:x-version",
    ])
    .await;
    assert_eq!(run.code, 1);
    assert_eq!(run.json()["split"]["verdict"], "fail");

    let few = traffic(&[
        &right.url,
        "-n",
        "10",
        "--expect-split",
        "v1=80,v2=20",
        "--split-by",
        "header:x-version",
    ])
    .await;
    assert_eq!(few.code, 1, "too few requests is never a pass");
    assert_eq!(few.json()["split"]["verdict"], "inconclusive");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_split_can_be_read_from_a_json_body_field() {
    let server = LoadServer::start(Behaviour {
        v2_percent: Some(20),
        version_in_body: true,
        ..Behaviour::default()
    })
    .await;
    let split_args = |expected: &'static str| {
        let url = server.url.clone();
        async move {
            traffic(&[
                &url,
                "-n",
                "500",
                "--expect-split",
                expected,
                "--split-by",
                "body:build.version",
            ])
            .await
        }
    };
    let right = split_args("v1=80,v2=20").await;
    assert_eq!(right.code, 0, "{}\n{}", right.stdout, right.stderr);
    let split = &right.json()["split"];
    assert_eq!(split["verdict"], "pass", "{split:#}");
    assert_eq!(split["shares"][0]["count"], 400);
    assert_eq!(split["shares"][1]["count"], 100);

    let wrong = split_args("v1=50,v2=50").await;
    assert_eq!(wrong.code, 1);
    assert_eq!(wrong.json()["split"]["verdict"], "fail");
}

#[tokio::test(flavor = "multi_thread")]
async fn injected_faults_are_checked_against_their_rates() {
    let server = LoadServer::start(Behaviour {
        status_every: Some((20, 503)),
        slow_every: Some((10, Duration::from_millis(60))),
        ..Behaviour::default()
    })
    .await;
    let ok = traffic(&[
        &server.url,
        "-n",
        "1000",
        "-c",
        "20",
        "--expect-fault",
        "abort=5%,delay=10%:60ms",
    ])
    .await;
    assert_eq!(ok.code, 0, "{}", ok.stdout);
    let checks = ok.json()["fault"]["checks"].clone();
    assert_eq!(checks[0]["verdict"], "pass", "{checks:#}");
    assert_eq!(checks[0]["count"], 50, "every 20th answers 503: {checks:#}");
    assert_eq!(checks[1]["verdict"], "pass", "{checks:#}");
    let delayed = checks[1]["count"].as_u64().unwrap_or(0);
    assert!(
        (100..=115).contains(&delayed),
        "every 10th takes 60 ms: {checks:#}"
    );

    for (expected, failing) in [("abort=20%", 0), ("abort=5%,delay=30%:60ms", 1)] {
        let wrong = traffic(&[
            &server.url,
            "-n",
            "1000",
            "-c",
            "20",
            "--expect-fault",
            expected,
        ])
        .await;
        assert_eq!(wrong.code, 1, "{expected}: {}", wrong.stdout);
        let check = &wrong.json()["fault"]["checks"][failing];
        assert_eq!(check["verdict"], "fail", "{expected}: {check:#}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn qps_holds_the_rate_and_says_latency_is_corrected() {
    let server = LoadServer::start(Behaviour::default()).await;
    let run = traffic(&[&server.url, "--qps", "200", "-d", "2s", "-c", "4"]).await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    let report = run.json();
    let requests = report["requests"].as_u64().unwrap_or(0);
    // 200/s for 2 s: within 10 %, spread over the run rather than sent at once.
    assert!((360..=440).contains(&requests), "{requests} requests");
    let seconds = report["duration_s"].as_f64().unwrap_or(0.0);
    assert!((1.8..=2.4).contains(&seconds), "ran {seconds} s");
    let rps = report["rps"].as_f64().unwrap_or(0.0);
    assert!((180.0..=220.0).contains(&rps), "{rps} requests/s");
    assert_eq!(report["coordinated_omission_corrected"], true);

    // A request count at a rate takes count/rate seconds.
    let counted = traffic(&[&server.url, "--qps", "100", "-n", "50", "-c", "2"]).await;
    assert_eq!(counted.code, 0, "{}", counted.stderr);
    let report = counted.json();
    assert_eq!(report["requests"], 50);
    let seconds = report["duration_s"].as_f64().unwrap_or(0.0);
    assert!(
        (0.45..=0.8).contains(&seconds),
        "50 at 100/s ran {seconds} s"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn refused_connections_and_timeouts_are_counted_not_fatal() {
    let refused = traffic(&["http://127.0.0.1:9/", "-n", "6", "-c", "2"]).await;
    assert_eq!(
        refused.code, 1,
        "no response: nothing measured: {}",
        refused.stderr
    );
    assert_eq!(refused.json()["errors"]["connect"], 6);

    let silent = LoadServer::start(Behaviour {
        silent: true,
        ..Behaviour::default()
    })
    .await;
    let timed_out = traffic(&[
        &silent.url,
        "-n",
        "4",
        "-c",
        "2",
        "--timeout",
        "200ms",
        "--max-error-rate",
        "0%",
    ])
    .await;
    assert_eq!(timed_out.code, 1);
    assert_eq!(timed_out.json()["errors"]["timeout"], 4);

    let hanging_up = LoadServer::start(Behaviour {
        hang_up: true,
        ..Behaviour::default()
    })
    .await;
    let reset = traffic(&[&hanging_up.url, "-n", "5", "-c", "1"]).await;
    assert_eq!(
        reset.code, 1,
        "no response: nothing measured: {}",
        reset.stderr
    );
    assert_eq!(reset.json()["errors"], serde_json::json!({"reset": 5}));
}

#[tokio::test(flavor = "multi_thread")]
async fn ctrl_c_prints_a_partial_report() {
    let server = LoadServer::delayed(Duration::from_millis(5)).await;
    let child = tokio::process::Command::new(env!("CARGO_BIN_EXE_meshctl"))
        .args([
            "traffic-test",
            "-o",
            "json",
            &server.url,
            "-d",
            "60s",
            "-c",
            "4",
        ])
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("spawn");
    // Signal once the run is under way (its handler is installed before the first request).
    server.wait_served(20, Duration::from_secs(30)).await;
    let pid = child.id().expect("pid").to_string();
    let status = std::process::Command::new("kill")
        .args(["-INT", &pid])
        .status()
        .expect("kill");
    assert!(status.success());
    let out = tokio::time::timeout(Duration::from_secs(10), child.wait_with_output())
        .await
        .expect("stops soon after SIGINT")
        .expect("output");
    let report: serde_json::Value =
        serde_json::from_slice(&out.stdout).expect("a report on stdout");
    assert_eq!(report["interrupted"], true);
    assert!(report["requests"].as_u64().unwrap_or(0) > 0);
    assert!(report["duration_s"].as_f64().unwrap_or(99.0) < 10.0);
}

#[tokio::test(flavor = "multi_thread")]
async fn method_headers_host_and_body_reach_the_server_on_http1_and_http2() {
    let server = ProtoServer::plain().await;
    let url = format!("http://127.0.0.1:{}/api/orders?x=1", server.port);
    let dir = scratch_dir("meshctl-body-");
    let large = dir.path().join("large");
    std::fs::write(&large, vec![b'z'; 100 * 1024]).expect("write the body file");
    let large = large.to_string_lossy().into_owned();
    let runs: [&[&str]; 3] = [
        &["-m", "POST", "-H", "x-test: small", "--body", "hello"],
        &["-m", "PUT", "-H", "x-test: large", "--body-file", &large],
        &[
            "--http2",
            "-m",
            "PATCH",
            "-H",
            "x-test: h2",
            "--body",
            "h2 body",
        ],
    ];
    for extra in runs {
        let mut args = vec![url.as_str(), "-n", "12", "-c", "3", "--host", "orders.test"];
        args.extend_from_slice(extra);
        let run = traffic(&args).await;
        assert_eq!(run.code, 0, "{extra:?}: {}", run.stderr);
        assert_eq!(run.json()["status_codes"]["200"], 12, "{extra:?}");
    }
    let expected: std::collections::BTreeMap<String, u64> = [
        "POST /api/orders host=orders.test x-test=small body=5:hello",
        "PUT /api/orders host=orders.test x-test=large body=102400:zzzzz",
        "PATCH /api/orders host=orders.test x-test=h2 body=7:h2 bo",
    ]
    .into_iter()
    .map(|shape| (shape.to_string(), 12))
    .collect();
    assert_eq!(server.shapes(), expected);
    assert_eq!((server.http1(), server.http2()), (24, 12));

    let bad = traffic(&[&url, "--host", "orders test"]).await;
    assert_eq!(bad.code, 2, "{}", bad.stderr);
    assert!(bad.stderr.contains("invalid --host"), "{}", bad.stderr);
}

#[tokio::test(flavor = "multi_thread")]
async fn http2_with_prior_knowledge_sends_every_request_as_http2() {
    let server = ProtoServer::plain().await;
    let url = format!("http://127.0.0.1:{}/", server.port);
    let run = traffic(&[&url, "-n", "120", "-c", "3", "--http2"]).await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.json()["status_codes"]["200"], 120);
    assert_eq!((server.http2(), server.http1()), (120, 0));
    let run = traffic(&[&url, "-n", "30", "-c", "3"]).await;
    assert_eq!(run.json()["status_codes"]["200"], 30);
    assert_eq!((server.http2(), server.http1()), (120, 30));
}

#[tokio::test(flavor = "multi_thread")]
async fn streams_keeps_that_many_requests_in_flight_on_each_http2_connection() {
    // Each answer waits 100 ms: requests sent together overlap on the server.
    let server = ProtoServer::holding(Duration::from_millis(100)).await;
    let url = format!("http://127.0.0.1:{}/", server.port);
    let run = traffic(&[&url, "-n", "48", "-c", "2", "--http2", "--streams", "8"]).await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.json()["status_codes"]["200"], 48);
    assert_eq!((server.http2(), server.http1()), (48, 0));
    assert_eq!(
        server.most_in_flight(),
        vec![8, 8],
        "two connections, each with 8 streams at once"
    );

    let one = ProtoServer::holding(Duration::from_millis(100)).await;
    let url = format!("http://127.0.0.1:{}/", one.port);
    let run = traffic(&[&url, "-n", "6", "-c", "2", "--http2"]).await;
    assert_eq!(run.json()["status_codes"]["200"], 6, "{}", run.stderr);
    assert_eq!(one.most_in_flight(), vec![1, 1], "one stream by default");
}

/// As wrk and h2load count it, a request's latency starts when it is sent, not when meshctl began
/// opening the connection it goes on: a slow handshake is not a slow answer.
#[tokio::test(flavor = "multi_thread")]
async fn latency_leaves_out_opening_the_connection() {
    let server = ProtoServer::tls_slow_to_connect(Duration::from_millis(400)).await;
    let url = format!("https://localhost:{}/", server.port);
    let run = traffic(&[&url, "--insecure", "-n", "2", "-c", "2"]).await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    let report = run.json();
    assert_eq!(report["status_codes"]["200"], 2, "{report:#}");
    let max = report["latency_ms"]["max"].as_f64().unwrap_or(-1.0);
    assert!(
        (0.0..300.0).contains(&max),
        "max {max} ms: the 400 ms handshake was counted in a request's latency"
    );
    let duration = report["duration_s"].as_f64().unwrap_or(0.0);
    assert!(
        duration >= 0.4,
        "the run took the handshake's time: {duration} s"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn streams_without_http2_is_a_usage_error() {
    let run = meshctl_bare(&["traffic-test", "http://127.0.0.1:1/", "--streams", "4"]).await;
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("--http2"), "{}", run.stderr);
    let run = meshctl_bare(&[
        "traffic-test",
        "http://127.0.0.1:1/",
        "--http2",
        "--streams",
        "0",
    ])
    .await;
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr
            .starts_with("error: invalid value '0' for '--streams"),
        "{}",
        run.stderr
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn counts_stay_exact_with_hundreds_of_connections_over_every_thread() {
    // Every 7th answer is a 503: the report must add up to the server's own count, whatever
    // lane or thread each response was counted on.
    let server = LoadServer::start(Behaviour {
        status_every: Some((7, 503)),
        ..Behaviour::default()
    })
    .await;
    let run = traffic(&[&server.url, "-n", "6000", "-c", "500", "-t", "2"]).await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    let report = run.json();
    assert_eq!(
        report["threads"], 2,
        "as many as asked, even against 127.0.0.1"
    );
    assert_eq!(server.served.load(Ordering::SeqCst), 6000);
    assert_eq!(report["responses"], 6000, "{report:#}");
    assert_eq!(report["attempts"], 6000, "{report:#}");
    assert_eq!(report["status_codes"]["200"], 6000 - 6000 / 7);
    assert_eq!(report["status_codes"]["503"], 6000 / 7);

    let proto = ProtoServer::plain().await;
    let url = format!("http://127.0.0.1:{}/", proto.port);
    let run = traffic(&[
        &url,
        "-n",
        "5000",
        "-c",
        "50",
        "--http2",
        "--streams",
        "20",
        "-t",
        "2",
    ])
    .await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    let report = run.json();
    assert_eq!(report["responses"], 5000, "{report:#}");
    assert_eq!(report["status_codes"]["200"], 5000);
    assert_eq!(proto.http2(), 5000);
    assert_eq!(proto.most_in_flight().len(), 50, "one connection each");
}

#[tokio::test(flavor = "multi_thread")]
async fn every_thread_asked_for_sends_at_once_even_past_512() {
    // A lane that waits for another to end starts only when the run is over and never opens
    // its connection. Three seconds leave every lane time to start on a loaded machine.
    let proto = ProtoServer::holding(Duration::from_millis(200)).await;
    let url = format!("http://127.0.0.1:{}/", proto.port);
    let run = traffic(&[&url, "-d", "3s", "-c", "600", "-t", "600"]).await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    let report = run.json();
    assert_eq!(report["errors"], serde_json::json!({}), "{report:#}");
    assert_eq!(report["threads"], 600);
    assert_eq!(
        proto.most_in_flight().len(),
        600,
        "every lane opened its connection"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn tls_verifies_the_certificate_unless_insecure_and_negotiates_http2_by_alpn() {
    let server = ProtoServer::tls().await;
    let url = format!("https://127.0.0.1:{}/", server.port);
    let untrusted = traffic(&[&url, "--host", "localhost", "-n", "20", "-c", "2"]).await;
    assert_eq!(
        untrusted.code, 1,
        "TLS failures are counted, and a run without a response fails: {}",
        untrusted.stderr
    );
    let report = untrusted.json();
    assert_eq!(report["requests"], 0, "{report:#}");
    assert_eq!(report["errors"]["tls"], 20, "{report:#}");
    assert_eq!(server.http1() + server.http2(), 0);

    let insecure = traffic(&[
        &url,
        "--host",
        "localhost",
        "--insecure",
        "-n",
        "40",
        "-c",
        "2",
    ])
    .await;
    assert_eq!(
        insecure.json()["status_codes"]["200"],
        40,
        "{}",
        insecure.stdout
    );
    assert_eq!((server.http1(), server.http2()), (40, 0));

    let h2 = traffic(&[
        &url,
        "--host",
        "localhost",
        "--insecure",
        "--http2",
        "-n",
        "40",
    ])
    .await;
    assert_eq!(h2.json()["status_codes"]["200"], 40, "{}", h2.stdout);
    assert_eq!((server.http1(), server.http2()), (40, 40));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_run_in_which_no_request_got_a_response_fails_and_says_so() {
    for thresholds in [&[][..], &["--max-p99", "1s"][..]] {
        let mut args = vec!["http://127.0.0.1:1/", "-n", "3"];
        args.extend_from_slice(thresholds);
        let run = traffic(&args).await;
        assert_eq!(run.code, 1, "{thresholds:?}: {}", run.stderr);
        assert!(
            run.stderr
                .contains("no request to http://127.0.0.1:1/ got a response"),
            "{}",
            run.stderr
        );
        let report = run.json();
        assert_eq!(report["attempts"], 3, "{report:#}");
        assert_eq!(report["responses"], 0, "{report:#}");
        assert_eq!(report["requests"], 0, "{report:#}");
        assert_eq!(report["errors"], serde_json::json!({"connect": 3}));
    }
    let text = meshctl_bare(&["traffic-test", "http://127.0.0.1:1/", "-n", "3"]).await;
    assert_eq!(text.code, 1, "{}", text.stderr);
    for line in ["Attempts:\t3", "Responses:\t0", "Errors:\t3"] {
        assert!(text.stdout.contains(line), "{line}: {}", text.stdout);
    }
    assert!(text.stderr.contains("error: no request"), "{}", text.stderr);
    assert!(text.stderr.contains("hint:"), "{}", text.stderr);

    // Some answered: measured, and counted apart from the errors.
    let server = LoadServer::start(Behaviour::default()).await;
    let run = traffic(&[&server.url, "-n", "20", "-c", "2"]).await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    let report = run.json();
    assert_eq!(
        (
            &report["attempts"],
            &report["responses"],
            &report["requests"]
        ),
        (
            &serde_json::json!(20),
            &serde_json::json!(20),
            &serde_json::json!(20)
        )
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn rates_and_durations_out_of_range_are_usage_errors_not_panics() {
    let cases: [(&str, &[&str]); 6] = [
        ("--qps", &["--qps", "1e-20"]),
        ("--qps", &["--qps", "1e-18", "-c", "20"]),
        ("--qps", &["--qps", "0"]),
        ("--qps", &["--qps", "NaN"]),
        ("--duration", &["-d", "400000000000y"]),
        ("--timeout", &["--timeout", "400000000000y"]),
    ];
    for (flag, flags) in cases {
        let mut args = vec!["traffic-test", "http://127.0.0.1:1/"];
        args.extend_from_slice(flags);
        let run = tokio::time::timeout(Duration::from_secs(20), meshctl_bare(&args))
            .await
            .unwrap_or_else(|_| panic!("{flags:?} hangs"));
        assert_eq!(run.code, 2, "{flags:?}: {}", run.stderr);
        assert!(
            run.stderr
                .starts_with(&format!("error: invalid value '{}' for '{flag}", flags[1])),
            "{flags:?}: {}",
            run.stderr
        );
        assert!(
            !run.stderr.contains("panicked"),
            "{flags:?}: {}",
            run.stderr
        );
    }
}

/// A server on 127.0.0.1 that hands each connection to `serve` with a shared counter.
async fn counting_server<F, Fut>(serve: F) -> (String, Arc<AtomicU64>)
where
    F: Fn(tokio::net::TcpStream, Arc<AtomicU64>) -> Fut + Send + Copy + 'static,
    Fut: std::future::Future<Output = ()> + Send + 'static,
{
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let address = listener.local_addr().expect("addr").to_string();
    let counter = Arc::new(AtomicU64::new(0));
    let shared = counter.clone();
    tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            tokio::spawn(serve(socket, shared.clone()));
        }
    });
    (address, counter)
}

/// A server that reads requests and never answers; `received` counts the requests it read.
async fn never_answering() -> (String, Arc<AtomicU64>) {
    use tokio::io::AsyncReadExt;
    let (address, received) = counting_server(|mut socket, counter| async move {
        let mut buffer = [0u8; 4096];
        while let Ok(n) = socket.read(&mut buffer).await {
            if n == 0 {
                return;
            }
            counter.fetch_add(1, Ordering::SeqCst);
        }
    })
    .await;
    (format!("http://{address}/"), received)
}

fn sigint(child: &tokio::process::Child) {
    let pid = child.id().expect("pid").to_string();
    let status = std::process::Command::new("kill")
        .args(["-INT", &pid])
        .status()
        .expect("kill");
    assert!(status.success());
}

/// Waits until the server has read `count` requests (the run, and its Ctrl-C handler, is on).
async fn wait_received(received: &std::sync::atomic::AtomicU64, count: u64) {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    while received.load(Ordering::SeqCst) < count {
        assert!(tokio::time::Instant::now() < deadline, "no request arrived");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

fn spawn_traffic(url: &str) -> tokio::process::Child {
    tokio::process::Command::new(env!("CARGO_BIN_EXE_meshctl"))
        .args([
            "traffic-test",
            "-o",
            "json",
            url,
            "-n",
            "10",
            "-c",
            "2",
            "--timeout",
            "60s",
        ])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("spawn")
}

#[tokio::test(flavor = "multi_thread")]
async fn ctrl_c_does_not_wait_for_requests_in_flight() {
    let (url, received) = never_answering().await;
    let child = spawn_traffic(&url);
    wait_received(&received, 2).await;
    let signalled = std::time::Instant::now();
    sigint(&child);
    // Before the fix the report came when the requests timed out, 60 s later.
    let out = tokio::time::timeout(Duration::from_secs(10), child.wait_with_output())
        .await
        .expect("the report comes soon after Ctrl-C, not after --timeout")
        .expect("output");
    assert!(signalled.elapsed() < Duration::from_secs(10));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "a report on stdout ({e}): {}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    assert_eq!(report["interrupted"], true, "{report:#}");
    assert_eq!(
        report["errors"],
        serde_json::json!({}),
        "abandoned requests are not the target's errors: {report:#}"
    );
    assert_eq!(report["responses"], 0, "{report:#}");
}

/// A Prometheus HTTP API on 127.0.0.1 that knows no series: meshctl keeps asking until
/// `--metrics-wait` runs out. Counts the queries it answered.
async fn empty_prometheus() -> (String, Arc<AtomicU64>) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let (address, queries) = counting_server(|mut socket, counter| async move {
        let mut buffer = [0u8; 8192];
        if socket.read(&mut buffer).await.unwrap_or(0) == 0 {
            return;
        }
        let body = r#"{"status":"success","data":{"resultType":"vector","result":[]}}"#;
        let answer = format!(
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        );
        let _ = socket.write_all(answer.as_bytes()).await;
        counter.fetch_add(1, Ordering::SeqCst);
    })
    .await;
    (format!("http://{address}"), queries)
}

#[tokio::test(flavor = "multi_thread")]
async fn a_second_ctrl_c_exits_at_once_with_130() {
    // The first Ctrl-C ends the load; the report then waits up to --metrics-wait (60 s) for a
    // Prometheus that never sees the run. The second Ctrl-C, sent while it waits, must end the
    // process at once. Before the fix the signals were swallowed.
    let server = LoadServer::start(Behaviour::default()).await;
    let (prometheus, queries) = empty_prometheus().await;
    let mut child = tokio::process::Command::new(env!("CARGO_BIN_EXE_meshctl"))
        .args([
            "traffic-test",
            "-o",
            "json",
            &server.url,
            "-d",
            "120s",
            "-c",
            "2",
        ])
        .args(["--destination", "reviews", "--prometheus", &prometheus])
        .args(["--metrics-wait", "60s"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("spawn meshctl");
    server.wait_served(20, Duration::from_secs(30)).await;
    let before_the_run_ended = queries.load(Ordering::SeqCst);
    sigint(&child);
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    while queries.load(Ordering::SeqCst) <= before_the_run_ended {
        assert!(
            tokio::time::Instant::now() < deadline,
            "the report never asked Prometheus for the run's counts"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    sigint(&child);
    let status = tokio::time::timeout(Duration::from_secs(10), child.wait())
        .await
        .expect("a second Ctrl-C ends the process at once, not after --metrics-wait")
        .expect("status");
    assert_eq!(status.code(), Some(130), "{status:?}");
}

/// meshctl traffic-test under `ulimits` (a shell's `ulimit` arguments, e.g. `-n 64`).
async fn traffic_under_ulimit(ulimits: &str, args: &[&str]) -> Run {
    let script = format!("ulimit {ulimits} && exec \"$0\" \"$@\"");
    let out = tokio::process::Command::new("sh")
        .args([
            "-c",
            &script,
            env!("CARGO_BIN_EXE_meshctl"),
            "traffic-test",
            "-o",
            "json",
        ])
        .args(args)
        .env_remove("NO_COLOR")
        .output()
        .await
        .expect("run sh");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn connections_beyond_the_open_file_limit_are_refused_not_blamed_on_the_target() {
    let server = LoadServer::start(Behaviour::default()).await;
    // Soft and hard limit 64: 200 connections cannot fit. Before the fix, meshctl's own EMFILE
    // failures were counted as the target's connect errors.
    let run = traffic_under_ulimit("-n 64", &[&server.url, "-c", "200", "-n", "400"]).await;
    assert_eq!(run.code, 2, "{}\n{}", run.stdout, run.stderr);
    assert!(
        run.stderr
            .contains("200 connections do not fit under the open-file limit of 64"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("hint: lower -c to at most 32"),
        "{}",
        run.stderr
    );
    assert!(run.stdout.is_empty(), "no report: {}", run.stdout);
    assert_eq!(server.served.load(Ordering::SeqCst), 0, "nothing was sent");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_low_soft_open_file_limit_is_raised_to_the_hard_limit() {
    let server = LoadServer::start(Behaviour::default()).await;
    let run = traffic_under_ulimit("-Sn 64", &[&server.url, "-c", "200", "-n", "400"]).await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    let report = run.json();
    assert_eq!(report["responses"], 400, "{report:#}");
    assert_eq!(report["errors"], serde_json::json!({}), "{report:#}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_body_file_that_is_a_fifo_or_a_device_is_refused() {
    let dir = scratch_dir("meshctl-body-fifo-");
    let fifo = dir.path().join("body");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("mkfifo");
    assert!(made.success());
    let fifo = fifo.to_string_lossy().into_owned();
    // Before the fix the FIFO blocked forever and /dev/zero was read until memory ran out.
    for path in [fifo.as_str(), "/dev/zero"] {
        let args = ["http://127.0.0.1:1/", "-n", "1", "--body-file", path];
        let run = tokio::time::timeout(Duration::from_secs(20), traffic(&args))
            .await
            .unwrap_or_else(|_| panic!("--body-file {path} hangs"));
        assert_eq!(run.code, 2, "{path}: {}", run.stderr);
        assert!(
            run.stderr
                .contains(&format!("invalid --body-file {path}: not a regular file")),
            "{}",
            run.stderr
        );
    }
}
