//! Shared fixtures: the one dev cluster, unique namespaces, running meshctl, pods as processes.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{OnceLock, RwLock, RwLockReadGuard, RwLockWriteGuard};
use std::time::Duration;

use k8s_openapi::api::core::v1::Namespace;
use kube::api::{Api, DeleteParams, PostParams};
use serde_json::Value;

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn dev_cluster_script() -> PathBuf {
    root().join("tests/cluster/dev-cluster")
}

pub struct DevCluster {
    pub admin: PathBuf,
    pub viewer: PathBuf,
    /// The release-shaped istioctl mirror the dev cluster builds (`<mirror>/<version>/…`).
    pub mirror: PathBuf,
    /// The file:// Go module proxy holding the Gateway API module, so that no test reaches out
    /// to proxy.golang.org.
    pub gateway_api_proxy: String,
    /// meshctl's cache the dev cluster installs with (its istioctl unpacked).
    pub cache_dir: String,
}

/// Starts (or finds) the dev cluster with its real istiod, once per test binary.
static CLUSTER_STARTED: OnceLock<DevCluster> = OnceLock::new();

pub fn cluster() -> &'static DevCluster {
    CLUSTER_STARTED.get_or_init(|| {
        let out = Command::new(dev_cluster_script())
            .args(["up", "--istio"])
            .output()
            .expect("run dev-cluster up");
        assert!(
            out.status.success(),
            "dev-cluster up --istio failed:\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let state = root().join("target/dev-cluster");
        let stdout = String::from_utf8_lossy(&out.stdout);
        let mirror = stdout
            .lines()
            .find_map(|l| l.strip_prefix("export MESHCTL_ISTIO_MIRROR=file://"))
            .map(PathBuf::from)
            .expect("dev-cluster up --istio prints the istioctl mirror");
        let gateway_api_proxy = stdout
            .lines()
            .find_map(|l| l.strip_prefix("export MESHCTL_GATEWAY_API_PROXY="))
            .map(String::from)
            .expect("dev-cluster up prints the Go module proxy");
        let cache_dir = stdout
            .lines()
            .find_map(|l| l.strip_prefix("export MESHCTL_CACHE_DIR="))
            .map(String::from)
            .expect("dev-cluster up --istio prints meshctl's cache");
        DevCluster {
            admin: state.join("admin.kubeconfig"),
            viewer: state.join("view.kubeconfig"),
            mirror,
            gateway_api_proxy,
            cache_dir,
        }
    })
}

/// Tests that need istiod serving hold this shared; the test that stops istiod holds it alone.
static ISTIOD: RwLock<()> = RwLock::new(());

pub fn istiod_serving() -> RwLockReadGuard<'static, ()> {
    ISTIOD
        .read()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

pub fn istiod_exclusive() -> RwLockWriteGuard<'static, ()> {
    ISTIOD
        .write()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Stops istiod for the length of a test; it is started again when this is dropped, even when
/// the test panics, so that later tests find it serving.
pub struct IstiodStopped;

impl IstiodStopped {
    pub fn stop() -> Self {
        istiod("stop");
        Self
    }
}

impl Drop for IstiodStopped {
    fn drop(&mut self) {
        istiod("start");
    }
}

fn istiod(action: &str) {
    let out = Command::new(dev_cluster_script())
        .args(["istiod", action])
        .output()
        .expect("run dev-cluster istiod");
    assert!(
        out.status.success(),
        "dev-cluster istiod {action}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

pub async fn admin_client() -> kube::Client {
    client_for(&cluster().admin).await
}

pub async fn client_for(kubeconfig: &Path) -> kube::Client {
    let config = kube::config::Kubeconfig::read_from(kubeconfig).expect("read kubeconfig");
    let config = kube::Config::from_custom_kubeconfig(config, &Default::default())
        .await
        .expect("kube config");
    kube::Client::try_from(config).expect("kube client")
}

/// A unique name for this test's objects: the prefix plus a random suffix.
pub fn unique(prefix: &str) -> String {
    let suffix: u32 = rand_suffix();
    format!("{prefix}-{suffix:08x}")
}

/// A directory of this test's own in the system's temporary directory, named `prefix` plus random
/// characters; it is removed with everything in it when dropped, so when the test ends, also by a
/// panic. Keep it bound for as long as its paths are used.
pub fn scratch_dir(prefix: &str) -> tempfile::TempDir {
    tempfile::Builder::new()
        .prefix(prefix)
        .tempdir()
        .expect("scratch dir")
}

/// A file `<prefix><random>.yaml` holding `yaml`, removed when dropped (as `scratch_dir`).
pub fn scratch_yaml(prefix: &str, yaml: &str) -> tempfile::NamedTempFile {
    let file = tempfile::Builder::new()
        .prefix(prefix)
        .suffix(".yaml")
        .tempfile()
        .expect("scratch file");
    std::fs::write(file.path(), yaml).expect("write scratch file");
    file
}

fn rand_suffix() -> u32 {
    use std::hash::{BuildHasher, Hasher};
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u128(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0),
    );
    hasher.finish() as u32
}

/// A namespace that exists for one test and is deleted when the test ends, even on panic.
pub struct TestNamespace {
    pub name: String,
}

impl TestNamespace {
    pub async fn create(prefix: &str, labels: &[(&str, &str)]) -> Self {
        let name = unique(prefix);
        let labels: BTreeMap<String, String> = labels
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        let ns = Namespace {
            metadata: kube::api::ObjectMeta {
                name: Some(name.clone()),
                labels: Some(labels),
                ..Default::default()
            },
            ..Default::default()
        };
        let api: Api<Namespace> = Api::all(admin_client().await);
        api.create(&PostParams::default(), &ns)
            .await
            .expect("create test namespace");
        Self { name }
    }
}

impl Drop for TestNamespace {
    fn drop(&mut self) {
        let name = self.name.clone();
        let admin = cluster().admin.clone();
        // Drop may run inside the test's runtime, which cannot be blocked on: use a thread.
        let _ = std::thread::spawn(move || {
            let Ok(rt) = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
            else {
                return;
            };
            rt.block_on(async {
                let api: Api<Namespace> = Api::all(client_for(&admin).await);
                let _ = api.delete(&name, &DeleteParams::background()).await;
            });
        })
        .join();
    }
}

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| {
            panic!(
                "stdout is not JSON ({e}):\n{}\nstderr:\n{}",
                self.stdout, self.stderr
            )
        })
    }
}

/// Runs the meshctl binary with the admin kubeconfig unless the arguments name another.
pub async fn meshctl(args: &[&str]) -> Run {
    let mut command = tokio::process::Command::new(env!("CARGO_BIN_EXE_meshctl"));
    if !args.contains(&"--kubeconfig") {
        command.arg("--kubeconfig").arg(&cluster().admin);
    }
    command.env("MESHCTL_GATEWAY_API_PROXY", &cluster().gateway_api_proxy);
    run(command.args(args)).await
}

/// Runs meshctl exactly as given, with no cluster assumed.
pub async fn meshctl_bare(args: &[&str]) -> Run {
    meshctl_env(args, &[]).await
}

/// Runs meshctl exactly as given, with extra environment variables.
pub async fn meshctl_env(args: &[&str], env: &[(&str, &str)]) -> Run {
    let mut command = tokio::process::Command::new(env!("CARGO_BIN_EXE_meshctl"));
    command
        .args(args)
        .env_remove("KUBECONFIG")
        .env_remove("MESHCTL_ISTIO_MIRROR")
        // Never proxy.golang.org from a test: the dev cluster's proxy, or the test's own below.
        .env(
            "MESHCTL_GATEWAY_API_PROXY",
            "file:///nonexistent-go-module-proxy",
        );
    if let Some(cluster) = CLUSTER_STARTED.get() {
        command.env("MESHCTL_GATEWAY_API_PROXY", &cluster.gateway_api_proxy);
    }
    for (key, value) in env {
        command.env(key, value);
    }
    run(&mut command).await
}

async fn run(command: &mut tokio::process::Command) -> Run {
    // NO_COLOR is removed, not set: output is piped, so it must be plain on its own merits.
    let out = command
        .env_remove("NO_COLOR")
        .output()
        .await
        .expect("run meshctl");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// The check with this id in a health report.
pub fn check<'a>(report: &'a Value, id: &str) -> &'a Value {
    report["checks"]
        .as_array()
        .and_then(|checks| checks.iter().find(|c| c["id"] == id))
        .unwrap_or_else(|| panic!("no check {id} in {report:#}"))
}

pub fn status_of(report: &Value, id: &str) -> String {
    check(report, id)["status"]
        .as_str()
        .unwrap_or_default()
        .to_string()
}

pub fn detail_of(report: &Value, id: &str) -> String {
    check(report, id)["detail"]
        .as_str()
        .unwrap_or_default()
        .to_string()
}

/// A process that acts as a pod: an HTTP server inside the pod network namespace, bound to the
/// pod's IP. It stops when dropped.
pub struct PodServer {
    child: Child,
}

impl PodServer {
    pub fn start(ip: &str, port: u16, routes: &[(&str, u16, &str)]) -> Self {
        Self::start_with(ip, port, routes, &[])
    }

    /// With podserver.py's extra flags, e.g. `--sidecar-stats 15090` to play the sidecar.
    pub fn start_with(ip: &str, port: u16, routes: &[(&str, u16, &str)], extra: &[&str]) -> Self {
        let mut command = Command::new(dev_cluster_script());
        command
            .args(["pod-exec", "python3"])
            .arg(root().join("tests/cluster/podserver.py"));
        command.args(["--bind", ip, "--port", &port.to_string()]);
        command.args(extra);
        for (path, status, body) in routes {
            command
                .arg("--route")
                .arg(format!("{path}={status}:{body}"));
        }
        let mut child = command
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start pod server");
        let stdout = child.stdout.take().expect("pod server stdout");
        let mut first_line = String::new();
        BufReader::new(stdout)
            .read_line(&mut first_line)
            .expect("read pod server banner");
        assert!(
            first_line.starts_with("serving"),
            "pod server did not start: {first_line:?}"
        );
        Self { child }
    }

    pub fn stop(mut self) {
        self.kill();
    }

    fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for PodServer {
    fn drop(&mut self) {
        self.kill();
    }
}

/// Polls `probe` until it returns `Some`, or panics with `what` after `timeout`.
pub async fn eventually<T, F, Fut>(what: &str, timeout: Duration, mut probe: F) -> T
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Option<T>>,
{
    let deadline = tokio::time::Instant::now() + timeout;
    loop {
        if let Some(value) = probe().await {
            return value;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "timed out after {timeout:?} waiting for {what}"
        );
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
}

/// Creates any object from JSON in `ns` with the admin identity (kind resolved by discovery).
pub async fn create(ns: &str, object: Value) -> Result<kube::api::DynamicObject, kube::Error> {
    let client = admin_client().await;
    let api = dynamic_api(&client, ns, &object).await;
    let object: kube::api::DynamicObject =
        serde_json::from_value(object).expect("valid object JSON");
    api.create(&PostParams::default(), &object).await
}

async fn dynamic_api(
    client: &kube::Client,
    ns: &str,
    object: &Value,
) -> Api<kube::api::DynamicObject> {
    let api_version = object["apiVersion"].as_str().expect("apiVersion");
    let kind = object["kind"].as_str().expect("kind");
    let (group, version) = api_version.split_once('/').unwrap_or(("", api_version));
    let gvk = kube::api::GroupVersionKind::gvk(group, version, kind);
    let (resource, _caps) = kube::discovery::pinned_kind(client, &gvk)
        .await
        .expect("kind is served");
    Api::namespaced_with(client.clone(), ns, &resource)
}

pub fn deployment(name: &str, labels: Value, replicas: i32, image: &str) -> Value {
    serde_json::json!({
        "apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"name": name, "labels": labels},
        "spec": {
            "replicas": replicas,
            "selector": {"matchLabels": labels},
            "template": {
                "metadata": {"labels": labels},
                "spec": {"containers": [{"name": "main", "image": image, "ports": [{"containerPort": 8080}]}]},
            },
        },
    })
}

/// Waits until the Deployment reports all replicas available (a watch, bounded).
pub async fn await_deployment(ns: &str, name: &str) {
    use k8s_openapi::api::apps::v1::Deployment;
    let api: Api<Deployment> = Api::namespaced(admin_client().await, ns);
    let ready = kube::runtime::wait::await_condition(
        api,
        name,
        kube::runtime::wait::conditions::is_deployment_completed(),
    );
    tokio::time::timeout(Duration::from_secs(60), ready)
        .await
        .unwrap_or_else(|_| panic!("deployment {ns}/{name} not complete after 60 s"))
        .expect("watch deployment");
}

pub async fn pods(ns: &str, selector: &str) -> Vec<k8s_openapi::api::core::v1::Pod> {
    let api: Api<k8s_openapi::api::core::v1::Pod> = Api::namespaced(admin_client().await, ns);
    api.list(&kube::api::ListParams::default().labels(selector))
        .await
        .expect("list pods")
        .items
}

pub async fn pod_ip_of(ns: &str, selector: &str) -> String {
    let pods = pods(ns, selector).await;
    pods.first()
        .and_then(|p| p.status.as_ref()?.pod_ip.clone())
        .unwrap_or_else(|| panic!("no pod IP for {selector} in {ns}"))
}

/// Creates a cluster-scoped object (a policy, a binding) with the admin identity.
pub async fn create_cluster_scoped(object: Value) -> kube::api::DynamicObject {
    let client = admin_client().await;
    let api_version = object["apiVersion"].as_str().expect("apiVersion");
    let (group, version) = api_version.split_once('/').unwrap_or(("", api_version));
    let gvk =
        kube::api::GroupVersionKind::gvk(group, version, object["kind"].as_str().expect("kind"));
    let (resource, _) = kube::discovery::pinned_kind(&client, &gvk)
        .await
        .expect("kind is served");
    let api: Api<kube::api::DynamicObject> = Api::all_with(client, &resource);
    api.create(
        &PostParams::default(),
        &serde_json::from_value(object).expect("object"),
    )
    .await
    .expect("create cluster-scoped object")
}

pub async fn delete_cluster_scoped(api_version: &str, kind: &str, name: &str) {
    let client = admin_client().await;
    let (group, version) = api_version.split_once('/').unwrap_or(("", api_version));
    let gvk = kube::api::GroupVersionKind::gvk(group, version, kind);
    if let Ok((resource, _)) = kube::discovery::pinned_kind(&client, &gvk).await {
        let api: Api<kube::api::DynamicObject> = Api::all_with(client, &resource);
        let _ = api.delete(name, &DeleteParams::default()).await;
    }
}

/// (code, severity, resource) of every finding in a troubleshoot JSON report.
pub fn findings(report: &Value) -> Vec<(String, String, String)> {
    report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            (
                f["code"].as_str().unwrap_or("").into(),
                f["severity"].as_str().unwrap_or("").into(),
                f["resource"].as_str().unwrap_or("").into(),
            )
        })
        .collect()
}

pub fn has_finding(report: &Value, code: &str, severity: &str, resource: &str) -> bool {
    findings(report).contains(&(code.to_string(), severity.to_string(), resource.to_string()))
}

/// A self-signed certificate and key for `names`, valid `days` from now, as PEM.
pub fn certificate(names: &[&str], days: u64) -> (String, String) {
    let key = rcgen::KeyPair::generate().expect("key pair");
    let names: Vec<String> = names.iter().map(|n| n.to_string()).collect();
    let mut params = rcgen::CertificateParams::new(names).expect("certificate names");
    params.not_after = (std::time::SystemTime::now() + Duration::from_secs(days * 86_400)).into();
    let cert = params.self_signed(&key).expect("self-signed certificate");
    (cert.pem(), key.serialize_pem())
}

pub fn tls_secret(name: &str, cert: &str, key: &str) -> Value {
    serde_json::json!({"apiVersion": "v1", "kind": "Secret", "metadata": {"name": name}, "type": "kubernetes.io/tls",
        "stringData": {"tls.crt": cert, "tls.key": key}})
}

/// What `helm template` prints for a correct application chart, the fixture every analyzer test
/// starts from: its Namespace (injection on), two Deployments v1/v2 with requests, their
/// Service, the app's Gateway (HTTPS and HTTP; served by the ingress gateway in istio-system,
/// which is not in the chart), a VirtualService with a 90/10 split on `/api` and a catch-all, a
/// DestinationRule with both subsets and a topology subset, an AuthorizationPolicy letting the
/// ingress gateway's namespace in, and a quota the pods fit. It gives no error and no warning.
pub const CORRECT_CHART: &str = "
apiVersion: v1
kind: Namespace
metadata: {name: shop, labels: {istio-injection: enabled}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web-v1, namespace: shop}
spec:
  replicas: 2
  selector: {matchLabels: {app: web, version: v1}}
  template:
    metadata: {labels: {app: web, version: v1}}
    spec:
      containers:
      - {name: web, image: 'web:1', ports: [{containerPort: 8080}], resources: {requests: {cpu: 100m, memory: 64Mi}}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web-v2, namespace: shop}
spec:
  replicas: 1
  selector: {matchLabels: {app: web, version: v2}}
  template:
    metadata: {labels: {app: web, version: v2}}
    spec:
      containers:
      - {name: web, image: 'web:2', ports: [{containerPort: 8080}], resources: {requests: {cpu: 100m, memory: 64Mi}}}
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec: {selector: {app: web}, ports: [{name: http, port: 8080, targetPort: 8080}]}
---
apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: web, namespace: shop}
spec:
  selector: {istio: ingressgateway}
  servers:
  - port: {number: 443, name: https, protocol: HTTPS}
    tls: {mode: SIMPLE, credentialName: web-tls}
    hosts: [shop.example.com]
  - port: {number: 80, name: http, protocol: HTTP}
    hosts: [shop.example.com]
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: web, namespace: shop}
spec:
  hosts: [shop.example.com]
  gateways: [web]
  http:
  - match: [{uri: {prefix: /api}}]
    route:
    - {destination: {host: web, subset: v1}, weight: 90}
    - {destination: {host: web, subset: v2}, weight: 10}
  - route: [{destination: {host: web, subset: v1}}]
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: web, namespace: shop}
spec:
  host: web
  subsets:
  - {name: v1, labels: {version: v1}}
  - {name: v2, labels: {version: v2}}
  - {name: near, labels: {version: v1, topology.kubernetes.io/zone: eu-1a}}
---
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: {name: web, namespace: shop}
spec:
  selector: {matchLabels: {app: web}}
  rules: [{from: [{source: {namespaces: [shop, istio-system]}}]}]
---
apiVersion: v1
kind: ResourceQuota
metadata: {name: shop, namespace: shop}
spec: {hard: {requests.cpu: '1', pods: '10'}}
";
