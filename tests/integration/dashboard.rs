//! `meshctl dashboard` against the dev cluster: its errors (addon not installed, no ready pod,
//! port in use, port-forward forbidden), and bytes both ways through a real port-forward: the API
//! server's pods/portforward, served by KWOK for a simulated pod (a PortForward object pointing at
//! a server the test runs on the pod's IP) and meshctl's local port.

use std::process::Stdio;
use std::time::Duration;

use serde_json::json;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};

use crate::support::*;

#[tokio::test(flavor = "multi_thread")]
async fn dashboard_errors_say_what_is_missing_and_what_to_do() {
    let ns = TestNamespace::create("t-dash-err", &[]).await;
    let run = meshctl(&["dashboard", "kiali", "-n", &ns.name]).await;
    assert_eq!(run.code, 3, "{}", run.stderr);
    assert!(
        run.stderr.contains("kiali is not installed"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("meshctl addons install kiali"),
        "{}",
        run.stderr
    );

    let run = meshctl(&["dashboard", "envoy", "no-such-pod", "-n", &ns.name]).await;
    assert_eq!(run.code, 3, "{}", run.stderr);
    assert!(run.stderr.contains("no ready pod"), "{}", run.stderr);

    let viewer = cluster().viewer.display().to_string();
    let run = meshctl(&["--kubeconfig", &viewer, "dashboard", "istiod"]).await;
    assert_eq!(run.code, 3, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("not allowed to create pods/portforward in istio-system"),
        "{}",
        run.stderr
    );

    let taken = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = taken.local_addr().expect("addr").port().to_string();
    let run = meshctl(&["dashboard", "istiod", "--port", &port]).await;
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("already in use"), "{}", run.stderr);
}

/// Tells KWOK where port `port` of pod `ns/pod` is served: `ip:port`, in the pod network.
async fn kwok_forward(ns: &str, pod: &str, ip: &str, port: u16) {
    let client = admin_client().await;
    let crds: kube::Api<k8s_openapi::apiextensions_apiserver::pkg::apis::apiextensions::v1::CustomResourceDefinition> =
        kube::Api::all(client);
    assert!(
        crds.get_opt("portforwards.kwok.x-k8s.io")
            .await
            .expect("get CRD")
            .is_some(),
        "the dev cluster was started before KWOK's PortForward was enabled: \
         tests/cluster/dev-cluster down && tests/cluster/dev-cluster up --istio"
    );
    create(
        ns,
        json!({"apiVersion": "kwok.x-k8s.io/v1alpha1", "kind": "PortForward",
               "metadata": {"name": pod},
               "spec": {"forwards": [{"ports": [port], "target": {"address": ip, "port": port}}]}}),
    )
    .await
    .expect("create PortForward");
}

#[tokio::test(flavor = "multi_thread")]
async fn bytes_flow_both_ways_through_the_dashboards_port_forward() {
    let ns = TestNamespace::create("t-dash-fwd", &[]).await;
    create(
        &ns.name,
        deployment("web", json!({"app": "web"}), 1, "example/web:1"),
    )
    .await
    .expect("create Deployment");
    await_deployment(&ns.name, "web").await;
    let pod = pods(&ns.name, "app=web").await;
    let pod_name = pod[0].metadata.name.clone().expect("pod name");
    let ip = pod_ip_of(&ns.name, "app=web").await;
    // The request's path is this test's token: only a request that arrived intact gets the
    // answer, and the answer's body is another token that must come back.
    let asked = unique("asked");
    let answered = unique("answered");
    let _envoy = PodServer::start(&ip, 15000, &[(&format!("/{asked}"), 200, &answered)]);
    kwok_forward(&ns.name, &pod_name, &ip, 15000).await;

    let mut child = tokio::process::Command::new(env!("CARGO_BIN_EXE_meshctl"))
        .arg("--kubeconfig")
        .arg(&cluster().admin)
        .args([
            "dashboard",
            "envoy",
            &pod_name,
            "-n",
            &ns.name,
            "--port",
            "0",
            "--show-url",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .expect("start meshctl dashboard");
    let mut stdout = BufReader::new(child.stdout.take().expect("stdout"));
    let mut url = String::new();
    tokio::time::timeout(Duration::from_secs(30), stdout.read_line(&mut url))
        .await
        .expect("the URL within 30 s")
        .expect("read URL");
    let address = url
        .trim()
        .strip_prefix("http://")
        .and_then(|rest| rest.strip_suffix('/'))
        .unwrap_or_else(|| panic!("not a dashboard URL: {url:?}"))
        .to_string();

    // KWOK reads the PortForward object through a watch: the first connections may come before it.
    let ask = || async {
        let mut conn = tokio::net::TcpStream::connect(&address).await.ok()?;
        let request = format!("GET /{asked} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        conn.write_all(request.as_bytes()).await.ok()?;
        // Read until the answer's body has come: neither KWOK nor kubectl's port-forward passes
        // the pod side's close on, so the end of the stream cannot be waited for.
        let mut response = Vec::new();
        let read = async {
            let mut buffer = [0u8; 4096];
            while !String::from_utf8_lossy(&response).ends_with(&answered) {
                let n = conn.read(&mut buffer).await.ok()?;
                if n == 0 {
                    break;
                }
                response.extend_from_slice(&buffer[..n]);
            }
            Some(())
        };
        tokio::time::timeout(Duration::from_secs(10), read)
            .await
            .ok()??;
        let response = String::from_utf8_lossy(&response).into_owned();
        (!response.is_empty()).then_some(response)
    };
    let first = eventually(
        "an answer through the forward",
        Duration::from_secs(30),
        ask,
    )
    .await;
    let second = ask()
        .await
        .expect("a second connection is forwarded at once");
    for response in [first, second] {
        assert!(response.starts_with("HTTP/1.1 200"), "{response}");
        assert!(response.ends_with(&answered), "{response}");
    }

    let pid = child.id().expect("pid").to_string();
    let sent = std::process::Command::new("kill")
        .args(["-INT", &pid])
        .status()
        .expect("kill -INT");
    assert!(sent.success());
    let out = tokio::time::timeout(Duration::from_secs(10), child.wait_with_output())
        .await
        .expect("meshctl ends after Ctrl-C")
        .expect("wait");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("stopped"), "{stderr}");
}
