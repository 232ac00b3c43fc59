
use builtin;
use str;

set edit:completion:arg-completer[meshctl] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'meshctl'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'meshctl'= {
            cand --kubeconfig 'Kubeconfig file [default: $KUBECONFIG, else ~/.kube/config, else in-cluster]'
            cand --context 'Kubeconfig context to use [default: the current context]'
            cand -n 'The application namespace [default: the config file''s, else production]'
            cand --namespace 'The application namespace [default: the config file''s, else production]'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --request-timeout 'How long to wait for one API request (e.g. 10s, 1m)'
            cand --no-color 'Never colour the output (also: the NO_COLOR variable); colour is used only on a terminal'
            cand -v 'Log what meshctl does to stderr; repeat for more detail (-vv, -vvv)'
            cand --verbose 'Log what meshctl does to stderr; repeat for more detail (-vv, -vvv)'
            cand -q 'Print only the result: no progress, no status lines'
            cand --quiet 'Print only the result: no progress, no status lines'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand install 'Install Istio with istioctl, label the namespace for injection and apply the mesh manifests'
            cand uninstall 'Remove the objects install applied (those labelled managed-by=meshctl) and, with --istio, Istio'
            cand inject 'Label a namespace for sidecar injection and restart its Deployments so they get the sidecar, or (--mode ambient) enrol it in ambient mode'
            cand waypoint 'Manage waypoints: the proxies istiod deploys for L7 policy and routing in ambient namespaces'
            cand health 'Check the mesh: cluster, control plane, data plane, config and connectivity'
            cand troubleshoot 'Find mesh misconfigurations in the cluster, or in YAML files with --file (no cluster needed)'
            cand traffic-test 'Send load to a URL and check latency, errors, and that traffic follows the mesh config'
            cand manifests 'Work with the embedded mesh manifests'
            cand addons 'Install, inspect and remove Istio''s observability addons (Prometheus, Grafana, Kiali, Jaeger, Loki): the samples/addons manifests of the pinned Istio release'
            cand dashboard 'Open a dashboard through a port-forward to its pod (like istioctl dashboard): prints the URL, opens a browser when run on a terminal, and forwards until Ctrl-C'
            cand completions 'Print a shell completion script to stdout'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'meshctl;install'= {
            cand --istioctl 'Use this istioctl binary instead of the cached or downloaded one'
            cand --istio-version 'Istio version to download and install'
            cand --mirror 'Release mirror (https://, http:// or file://); archives are <mirror>/<version>/istioctl-<version>-<os>-<arch>.tar.gz'
            cand --config 'Config file with values for the manifests [default: the seed''s values]'
            cand --profile 'istioctl profile: demo, default, minimal, … or ambient (ztunnel and istio-cni on every node, no ingress gateway; install waits until both DaemonSets have every pod ready)'
            cand --set 'Passed to istioctl install as --set KEY=VALUE (repeatable)'
            cand --revision 'Install a revision; the namespace is then labelled istio.io/rev=REV'
            cand --istio-namespace 'Namespace of the Istio control plane'
            cand --timeout 'How long to wait for istiod and the gateways'
            cand --api 'Traffic API of the routing manifests: Istio''s or the Gateway API''s (as `manifests render --api`); gateway-api also installs the Gateway API CRDs when Istio is left alone'
            cand --gateway-api-proxy 'Go module proxy the Gateway API CRDs come from (https://, http:// or file://; GOPROXY layout); the module is verified against the go.sum hash built into meshctl'
            cand --addons 'Also install these observability addons of the release, comma-separated (as `meshctl addons install`)'
            cand --kubeconfig 'Kubeconfig file [default: $KUBECONFIG, else ~/.kube/config, else in-cluster]'
            cand --context 'Kubeconfig context to use [default: the current context]'
            cand -n 'The application namespace [default: the config file''s, else production]'
            cand --namespace 'The application namespace [default: the config file''s, else production]'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --request-timeout 'How long to wait for one API request (e.g. 10s, 1m)'
            cand --dry-run 'Show the plan (server-side dry run of every object, the istioctl command) and change nothing'
            cand --skip-istio 'Apply only the namespace label and the manifests; leave Istio as it is'
            cand --skip-manifests 'Install Istio only: leave the application namespace and manifests alone'
            cand --print-istioctl 'Print the path of the istioctl binary (downloading it if needed) and exit'
            cand --skip-gateway-api-crds 'Leave the Gateway API CRDs alone (the platform manages them)'
            cand --no-color 'Never colour the output (also: the NO_COLOR variable); colour is used only on a terminal'
            cand -v 'Log what meshctl does to stderr; repeat for more detail (-vv, -vvv)'
            cand --verbose 'Log what meshctl does to stderr; repeat for more detail (-vv, -vvv)'
            cand -q 'Print only the result: no progress, no status lines'
            cand --quiet 'Print only the result: no progress, no status lines'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'meshctl;uninstall'= {
            cand --istioctl 'Use this istioctl binary instead of the cached or downloaded one'
            cand --istio-version 'Istio version to download and install'
            cand --mirror 'Release mirror (https://, http:// or file://); archives are <mirror>/<version>/istioctl-<version>-<os>-<arch>.tar.gz'
            cand --config 'The config file install used, so the same objects are found'
            cand --kubeconfig 'Kubeconfig file [default: $KUBECONFIG, else ~/.kube/config, else in-cluster]'
            cand --context 'Kubeconfig context to use [default: the current context]'
            cand -n 'The application namespace [default: the config file''s, else production]'
            cand --namespace 'The application namespace [default: the config file''s, else production]'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --request-timeout 'How long to wait for one API request (e.g. 10s, 1m)'
            cand --istio 'Also run `istioctl uninstall --purge -y`'
            cand --dry-run 'Show what would be removed and change nothing'
            cand --no-color 'Never colour the output (also: the NO_COLOR variable); colour is used only on a terminal'
            cand -v 'Log what meshctl does to stderr; repeat for more detail (-vv, -vvv)'
            cand --verbose 'Log what meshctl does to stderr; repeat for more detail (-vv, -vvv)'
            cand -q 'Print only the result: no progress, no status lines'
            cand --quiet 'Print only the result: no progress, no status lines'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'meshctl;inject'= {
            cand --mode 'sidecar: istio-injection=enabled and restarts. ambient: istio.io/dataplane-mode=ambient, no restart; a namespace that ran sidecars moves in order (--waypoint, the dataplane label, the injection label removed, Deployments with sidecars restarted and followed), each step checked before the next'
            cand --waypoint 'With --mode ambient: first apply this waypoint, wait until it is Programmed and label the namespace istio.io/use-waypoint=NAME'
            cand --deployment 'Deployments to restart (repeatable)'
            cand --revision 'Label istio.io/rev=REV instead of istio-injection=enabled'
            cand --timeout 'Limit for --wait, per Deployment'
            cand --kubeconfig 'Kubeconfig file [default: $KUBECONFIG, else ~/.kube/config, else in-cluster]'
            cand --context 'Kubeconfig context to use [default: the current context]'
            cand -n 'The application namespace [default: the config file''s, else production]'
            cand --namespace 'The application namespace [default: the config file''s, else production]'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --request-timeout 'How long to wait for one API request (e.g. 10s, 1m)'
            cand --all 'Restart every Deployment in the namespace'
            cand --wait 'Follow each rollout to completion'
            cand --force 'Replace a conflicting injection label (e.g. istio-injection=disabled, or the other label; with --mode ambient, another istio.io/dataplane-mode or use-waypoint value)'
            cand --disable 'Remove the injection labels instead (and restart the selected Deployments without sidecars); with --mode ambient, remove the ambient labels (nothing restarts)'
            cand --dry-run 'Show what would change and change nothing'
            cand --no-color 'Never colour the output (also: the NO_COLOR variable); colour is used only on a terminal'
            cand -v 'Log what meshctl does to stderr; repeat for more detail (-vv, -vvv)'
            cand --verbose 'Log what meshctl does to stderr; repeat for more detail (-vv, -vvv)'
            cand -q 'Print only the result: no progress, no status lines'
            cand --quiet 'Print only the result: no progress, no status lines'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'meshctl;waypoint'= {
            cand --kubeconfig 'Kubeconfig file [default: $KUBECONFIG, else ~/.kube/config, else in-cluster]'
            cand --context 'Kubeconfig context to use [default: the current context]'
            cand -n 'The application namespace [default: the config file''s, else production]'
            cand --namespace 'The application namespace [default: the config file''s, else production]'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --request-timeout 'How long to wait for one API request (e.g. 10s, 1m)'
            cand --no-color 'Never colour the output (also: the NO_COLOR variable); colour is used only on a terminal'
            cand -v 'Log what meshctl does to stderr; repeat for more detail (-vv, -vvv)'
            cand --verbose 'Log what meshctl does to stderr; repeat for more detail (-vv, -vvv)'
            cand -q 'Print only the result: no progress, no status lines'
            cand --quiet 'Print only the result: no progress, no status lines'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand apply 'Apply a waypoint (a Gateway of class istio-waypoint) in the namespace given with -n'
            cand list 'List the waypoints with their traffic type and whether istiod programmed them'
            cand status 'Show each waypoint''s Programmed condition, its Deployment and what uses it; exit 1 when one is not Programmed or not ready'
            cand delete 'Delete waypoints by name, or all of them in the namespace with --all'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'meshctl;waypoint;apply'= {
            cand --name 'The waypoint''s name'
            cand --for 'Traffic the waypoint handles (the istio.io/waypoint-for label) [default: istiod''s, service]'
            cand --timeout 'Limit for --wait'
            cand --kubeconfig 'Kubeconfig file [default: $KUBECONFIG, else ~/.kube/config, else in-cluster]'
            cand --context 'Kubeconfig context to use [default: the current context]'
            cand -n 'The application namespace [default: the config file''s, else production]'
            cand --namespace 'The application namespace [default: the config file''s, else production]'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --request-timeout 'How long to wait for one API request (e.g. 10s, 1m)'
            cand --enroll-namespace 'Label the namespace istio.io/use-waypoint=NAME once the waypoint is applied'
            cand --overwrite 'With --enroll-namespace: replace a label that names another waypoint'
            cand --wait 'Wait until istiod reports the waypoint Programmed (before enrolling the namespace)'
            cand --no-color 'Never colour the output (also: the NO_COLOR variable); colour is used only on a terminal'
            cand -v 'Log what meshctl does to stderr; repeat for more detail (-vv, -vvv)'
            cand --verbose 'Log what meshctl does to stderr; repeat for more detail (-vv, -vvv)'
            cand -q 'Print only the result: no progress, no status lines'
            cand --quiet 'Print only the result: no progress, no status lines'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'meshctl;waypoint;list'= {
            cand --kubeconfig 'Kubeconfig file [default: $KUBECONFIG, else ~/.kube/config, else in-cluster]'
            cand --context 'Kubeconfig context to use [default: the current context]'
            cand -n 'The application namespace [default: the config file''s, else production]'
            cand --namespace 'The application namespace [default: the config file''s, else production]'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --request-timeout 'How long to wait for one API request (e.g. 10s, 1m)'
            cand -A 'Every namespace instead of the one given with -n'
            cand --all-namespaces 'Every namespace instead of the one given with -n'
            cand --no-color 'Never colour the output (also: the NO_COLOR variable); colour is used only on a terminal'
            cand -v 'Log what meshctl does to stderr; repeat for more detail (-vv, -vvv)'
            cand --verbose 'Log what meshctl does to stderr; repeat for more detail (-vv, -vvv)'
            cand -q 'Print only the result: no progress, no status lines'
            cand --quiet 'Print only the result: no progress, no status lines'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'meshctl;waypoint;status'= {
            cand --kubeconfig 'Kubeconfig file [default: $KUBECONFIG, else ~/.kube/config, else in-cluster]'
            cand --context 'Kubeconfig context to use [default: the current context]'
            cand -n 'The application namespace [default: the config file''s, else production]'
            cand --namespace 'The application namespace [default: the config file''s, else production]'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --request-timeout 'How long to wait for one API request (e.g. 10s, 1m)'
            cand -A 'Every namespace instead of the one given with -n'
            cand --all-namespaces 'Every namespace instead of the one given with -n'
            cand --no-color 'Never colour the output (also: the NO_COLOR variable); colour is used only on a terminal'
            cand -v 'Log what meshctl does to stderr; repeat for more detail (-vv, -vvv)'
            cand --verbose 'Log what meshctl does to stderr; repeat for more detail (-vv, -vvv)'
            cand -q 'Print only the result: no progress, no status lines'
            cand --quiet 'Print only the result: no progress, no status lines'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'meshctl;waypoint;delete'= {
            cand --kubeconfig 'Kubeconfig file [default: $KUBECONFIG, else ~/.kube/config, else in-cluster]'
            cand --context 'Kubeconfig context to use [default: the current context]'
            cand -n 'The application namespace [default: the config file''s, else production]'
            cand --namespace 'The application namespace [default: the config file''s, else production]'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --request-timeout 'How long to wait for one API request (e.g. 10s, 1m)'
            cand --all 'Delete every waypoint in the namespace'
            cand --no-color 'Never colour the output (also: the NO_COLOR variable); colour is used only on a terminal'
            cand -v 'Log what meshctl does to stderr; repeat for more detail (-vv, -vvv)'
            cand --verbose 'Log what meshctl does to stderr; repeat for more detail (-vv, -vvv)'
            cand -q 'Print only the result: no progress, no status lines'
            cand --quiet 'Print only the result: no progress, no status lines'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'meshctl;waypoint;help'= {
            cand apply 'Apply a waypoint (a Gateway of class istio-waypoint) in the namespace given with -n'
            cand list 'List the waypoints with their traffic type and whether istiod programmed them'
            cand status 'Show each waypoint''s Programmed condition, its Deployment and what uses it; exit 1 when one is not Programmed or not ready'
            cand delete 'Delete waypoints by name, or all of them in the namespace with --all'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'meshctl;waypoint;help;apply'= {
        }
        &'meshctl;waypoint;help;list'= {
        }
        &'meshctl;waypoint;help;status'= {
        }
        &'meshctl;waypoint;help;delete'= {
        }
        &'meshctl;waypoint;help;help'= {
        }
        &'meshctl;health'= {
            cand --istio-namespace 'Namespace of the Istio control plane'
            cand --service 'Service whose health endpoint the connectivity check calls'
            cand --port 'Port of that Service'
            cand --health-path 'Path of the health endpoint'
            cand --wait 'Re-run the checks until all pass or this much time has gone by (e.g. 2m)'
            cand --skip 'Do not run the check with this id (repeatable; --list shows the ids)'
            cand --only 'Run only the checks of this group'
            cand --kubeconfig 'Kubeconfig file [default: $KUBECONFIG, else ~/.kube/config, else in-cluster]'
            cand --context 'Kubeconfig context to use [default: the current context]'
            cand -n 'The application namespace [default: the config file''s, else production]'
            cand --namespace 'The application namespace [default: the config file''s, else production]'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --request-timeout 'How long to wait for one API request (e.g. 10s, 1m)'
            cand --list 'List the checks (id, group, title, fatal, hint) without running them'
            cand --no-color 'Never colour the output (also: the NO_COLOR variable); colour is used only on a terminal'
            cand -v 'Log what meshctl does to stderr; repeat for more detail (-vv, -vvv)'
            cand --verbose 'Log what meshctl does to stderr; repeat for more detail (-vv, -vvv)'
            cand -q 'Print only the result: no progress, no status lines'
            cand --quiet 'Print only the result: no progress, no status lines'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'meshctl;troubleshoot'= {
            cand --file 'Analyze these YAML/JSON files or directories instead of the cluster, every namespace they hold; `-` reads standard input (repeatable)'
            cand --suppress 'Hide a finding: CODE=Kind/namespace/name (or Kind/name), `*` for any part; CODE is a MESH or IST code (repeatable). Objects annotated galley.istio.io/analyze-suppress=CODE[,CODE] are hidden too'
            cand --fail-on 'Exit 1 when a finding of this severity or worse is found'
            cand --istio-namespace 'Namespace of the Istio control plane (mesh-wide policies, gateway pods and credentials)'
            cand --cert-expiry-days 'Warn about gateway certificates that expire within this many days'
            cand --log-lines 'Log lines per ingress gateway pod in `troubleshoot gateway`'
            cand --kubeconfig 'Kubeconfig file [default: $KUBECONFIG, else ~/.kube/config, else in-cluster]'
            cand --context 'Kubeconfig context to use [default: the current context]'
            cand -n 'The application namespace [default: the config file''s, else production]'
            cand --namespace 'The application namespace [default: the config file''s, else production]'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --request-timeout 'How long to wait for one API request (e.g. 10s, 1m)'
            cand -A 'Analyze every namespace of the cluster, not only -n'
            cand --all-namespaces 'Analyze every namespace of the cluster, not only -n'
            cand --list-codes 'Print every finding code with its Istio code, severity, category and fix, and exit'
            cand --fix 'Apply the safe, reversible fixes (label the namespace, restart Deployments) after a prompt'
            cand -y 'Do not ask before --fix'
            cand --yes 'Do not ask before --fix'
            cand --no-color 'Never colour the output (also: the NO_COLOR variable); colour is used only on a terminal'
            cand -v 'Log what meshctl does to stderr; repeat for more detail (-vv, -vvv)'
            cand --verbose 'Log what meshctl does to stderr; repeat for more detail (-vv, -vvv)'
            cand -q 'Print only the result: no progress, no status lines'
            cand --quiet 'Print only the result: no progress, no status lines'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'meshctl;traffic-test'= {
            cand --namespace 'The application namespace (here only as --namespace: -n is the request count, as in hey)'
            cand -n 'Number of requests [default: 100 unless -d is given]'
            cand --requests 'Number of requests [default: 100 unless -d is given]'
            cand -d 'Run for this long instead of a request count (e.g. 30s)'
            cand --duration 'Run for this long instead of a request count (e.g. 30s)'
            cand -c 'Concurrent connections'
            cand --connections 'Concurrent connections'
            cand -t 'Threads that send the load, like wrk''s -t [default: one per core, one fewer when the target is a loopback address, whose server (or port-forward) needs a core too]'
            cand --threads 'Threads that send the load, like wrk''s -t [default: one per core, one fewer when the target is a loopback address, whose server (or port-forward) needs a core too]'
            cand --qps 'Constant arrival rate (requests per second over all connections); latency is then measured from each request''s intended start (coordinated omission corrected)'
            cand -m 'HTTP method'
            cand --method 'HTTP method'
            cand -H 'Request header ''Name: value'' (repeatable)'
            cand --header 'Request header ''Name: value'' (repeatable)'
            cand --body 'Request body'
            cand --body-file 'Request body from a file'
            cand --streams 'Concurrent requests on each HTTP/2 connection, like h2load''s -m: -c 10 --streams 10 keeps 100 requests in flight over 10 connections. Needs --http2 (HTTP/1.1 sends one request at a time per connection)'
            cand --timeout 'Timeout of one request'
            cand --host 'Host header (and TLS server name) to send, e.g. a VirtualService host through a gateway address'
            cand --max-p99 'Fail (exit 1) when p99 latency is above this (e.g. 250ms)'
            cand --max-error-rate 'Fail when more than this share of requests fail (errors, 4xx, 5xx), e.g. 1%'
            cand --min-rps 'Fail when fewer requests per second than this were completed'
            cand --expect-status 'Fail when any response has another status (or any request errs)'
            cand --expect-split 'Expected traffic split, e.g. v1=80,v2=20 (needs --split-by)'
            cand --split-by 'Where the answering version is read: a response header (header:x-version) or a field of a JSON response body (body:version, body:build.version)'
            cand --expect-fault 'Expected fault injection, e.g. abort=5%,delay=10%:5s (aborts answer 503 unless abort=5%:502)'
            cand --from-config 'Take the expected split and faults from the route the request matches (a VirtualService''s HTTP route, or an HTTPRoute rule''s weighted backendRefs): in the cluster, or in a YAML file of manifests (--from-config=FILE, e.g. from `manifests render [--api gateway-api]`)'
            cand --route 'The route --from-config reads: NAME, HTTPRoute/NAME or VirtualService/NAME [default: the VirtualService or HTTPRoutes whose hosts match the request]'
            cand --virtual-service 'The VirtualService --from-config reads (the same as --route VirtualService/NAME)'
            cand --destination 'Service that receives the traffic (NAME or NAME.NAMESPACE; repeatable): after the run, the mesh''s own request counts for it are reported [default with --from-config: the route''s]'
            cand --prometheus 'Prometheus to read the mesh metrics from [default: the prometheus Service in --istio-namespace through the API server, else the destination pods'' Envoy stats]'
            cand --metrics-wait 'How long to wait for Prometheus to scrape the requests of the run'
            cand --istio-namespace 'Namespace of the Istio control plane (where Prometheus is looked for)'
            cand --kubeconfig 'Kubeconfig file [default: $KUBECONFIG, else ~/.kube/config, else in-cluster]'
            cand --context 'Kubeconfig context to use [default: the current context]'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --request-timeout 'How long to wait for one API request (e.g. 10s, 1m)'
            cand --http2 'Use HTTP/2 (prior knowledge over http://, ALPN over https://)'
            cand --insecure 'Do not verify the server''s TLS certificate'
            cand --no-color 'Never colour the output (also: the NO_COLOR variable); colour is used only on a terminal'
            cand -v 'Log what meshctl does to stderr; repeat for more detail (-vv, -vvv)'
            cand --verbose 'Log what meshctl does to stderr; repeat for more detail (-vv, -vvv)'
            cand -q 'Print only the result: no progress, no status lines'
            cand --quiet 'Print only the result: no progress, no status lines'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'meshctl;manifests'= {
            cand --kubeconfig 'Kubeconfig file [default: $KUBECONFIG, else ~/.kube/config, else in-cluster]'
            cand --context 'Kubeconfig context to use [default: the current context]'
            cand -n 'The application namespace [default: the config file''s, else production]'
            cand --namespace 'The application namespace [default: the config file''s, else production]'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --request-timeout 'How long to wait for one API request (e.g. 10s, 1m)'
            cand --no-color 'Never colour the output (also: the NO_COLOR variable); colour is used only on a terminal'
            cand -v 'Log what meshctl does to stderr; repeat for more detail (-vv, -vvv)'
            cand --verbose 'Log what meshctl does to stderr; repeat for more detail (-vv, -vvv)'
            cand -q 'Print only the result: no progress, no status lines'
            cand --quiet 'Print only the result: no progress, no status lines'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand render 'Print the exact YAML that `install` applies (no cluster needed)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'meshctl;manifests;render'= {
            cand --config 'Config file with values for the manifests [default: the seed''s values]'
            cand --api 'Traffic API of the routing: Istio''s (Gateway, VirtualService, DestinationRule subsets) or the Gateway API (Gateway of class istio, HTTPRoutes, a Service per canary version, authorization with targetRefs for ambient); what it cannot express is said on stderr and at the top of the YAML'
            cand --kubeconfig 'Kubeconfig file [default: $KUBECONFIG, else ~/.kube/config, else in-cluster]'
            cand --context 'Kubeconfig context to use [default: the current context]'
            cand -n 'The application namespace [default: the config file''s, else production]'
            cand --namespace 'The application namespace [default: the config file''s, else production]'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --request-timeout 'How long to wait for one API request (e.g. 10s, 1m)'
            cand --no-color 'Never colour the output (also: the NO_COLOR variable); colour is used only on a terminal'
            cand -v 'Log what meshctl does to stderr; repeat for more detail (-vv, -vvv)'
            cand --verbose 'Log what meshctl does to stderr; repeat for more detail (-vv, -vvv)'
            cand -q 'Print only the result: no progress, no status lines'
            cand --quiet 'Print only the result: no progress, no status lines'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'meshctl;manifests;help'= {
            cand render 'Print the exact YAML that `install` applies (no cluster needed)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'meshctl;manifests;help;render'= {
        }
        &'meshctl;manifests;help;help'= {
        }
        &'meshctl;addons'= {
            cand --kubeconfig 'Kubeconfig file [default: $KUBECONFIG, else ~/.kube/config, else in-cluster]'
            cand --context 'Kubeconfig context to use [default: the current context]'
            cand -n 'The application namespace [default: the config file''s, else production]'
            cand --namespace 'The application namespace [default: the config file''s, else production]'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --request-timeout 'How long to wait for one API request (e.g. 10s, 1m)'
            cand --no-color 'Never colour the output (also: the NO_COLOR variable); colour is used only on a terminal'
            cand -v 'Log what meshctl does to stderr; repeat for more detail (-vv, -vvv)'
            cand --verbose 'Log what meshctl does to stderr; repeat for more detail (-vv, -vvv)'
            cand -q 'Print only the result: no progress, no status lines'
            cand --quiet 'Print only the result: no progress, no status lines'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand install 'Server-side apply the addons'' manifests (field manager meshctl) and wait until they are ready'
            cand status 'Show each addon''s version, readiness and in-cluster URL'
            cand uninstall 'Delete the addons'' objects that meshctl applied (those carrying its meshctl.io/addon label)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'meshctl;addons;install'= {
            cand --istio-version 'Istio release whose addons to use'
            cand --mirror 'Release mirror (https://, http:// or file://); the archive is <mirror>/<version>/istio-<version>-<os>-<arch>.tar.gz'
            cand --istio-namespace 'Namespace for the addons'' objects (the release''s manifests use istio-system; the URLs in the addons'' own config are left as the release wrote them)'
            cand --timeout 'How long to wait for the addons'' workloads to become ready (install)'
            cand --kubeconfig 'Kubeconfig file [default: $KUBECONFIG, else ~/.kube/config, else in-cluster]'
            cand --context 'Kubeconfig context to use [default: the current context]'
            cand -n 'The application namespace [default: the config file''s, else production]'
            cand --namespace 'The application namespace [default: the config file''s, else production]'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --request-timeout 'How long to wait for one API request (e.g. 10s, 1m)'
            cand --all 'Every addon'
            cand --dry-run 'Show what would change (server-side dry run) and change nothing'
            cand --no-color 'Never colour the output (also: the NO_COLOR variable); colour is used only on a terminal'
            cand -v 'Log what meshctl does to stderr; repeat for more detail (-vv, -vvv)'
            cand --verbose 'Log what meshctl does to stderr; repeat for more detail (-vv, -vvv)'
            cand -q 'Print only the result: no progress, no status lines'
            cand --quiet 'Print only the result: no progress, no status lines'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'meshctl;addons;status'= {
            cand --istio-namespace 'Where the addons run'
            cand --kubeconfig 'Kubeconfig file [default: $KUBECONFIG, else ~/.kube/config, else in-cluster]'
            cand --context 'Kubeconfig context to use [default: the current context]'
            cand -n 'The application namespace [default: the config file''s, else production]'
            cand --namespace 'The application namespace [default: the config file''s, else production]'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --request-timeout 'How long to wait for one API request (e.g. 10s, 1m)'
            cand --no-color 'Never colour the output (also: the NO_COLOR variable); colour is used only on a terminal'
            cand -v 'Log what meshctl does to stderr; repeat for more detail (-vv, -vvv)'
            cand --verbose 'Log what meshctl does to stderr; repeat for more detail (-vv, -vvv)'
            cand -q 'Print only the result: no progress, no status lines'
            cand --quiet 'Print only the result: no progress, no status lines'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'meshctl;addons;uninstall'= {
            cand --istio-version 'Istio release whose addons to use'
            cand --mirror 'Release mirror (https://, http:// or file://); the archive is <mirror>/<version>/istio-<version>-<os>-<arch>.tar.gz'
            cand --istio-namespace 'Namespace for the addons'' objects (the release''s manifests use istio-system; the URLs in the addons'' own config are left as the release wrote them)'
            cand --timeout 'How long to wait for the addons'' workloads to become ready (install)'
            cand --kubeconfig 'Kubeconfig file [default: $KUBECONFIG, else ~/.kube/config, else in-cluster]'
            cand --context 'Kubeconfig context to use [default: the current context]'
            cand -n 'The application namespace [default: the config file''s, else production]'
            cand --namespace 'The application namespace [default: the config file''s, else production]'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --request-timeout 'How long to wait for one API request (e.g. 10s, 1m)'
            cand --all 'Every addon'
            cand --dry-run 'Show what would change (server-side dry run) and change nothing'
            cand --no-color 'Never colour the output (also: the NO_COLOR variable); colour is used only on a terminal'
            cand -v 'Log what meshctl does to stderr; repeat for more detail (-vv, -vvv)'
            cand --verbose 'Log what meshctl does to stderr; repeat for more detail (-vv, -vvv)'
            cand -q 'Print only the result: no progress, no status lines'
            cand --quiet 'Print only the result: no progress, no status lines'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'meshctl;addons;help'= {
            cand install 'Server-side apply the addons'' manifests (field manager meshctl) and wait until they are ready'
            cand status 'Show each addon''s version, readiness and in-cluster URL'
            cand uninstall 'Delete the addons'' objects that meshctl applied (those carrying its meshctl.io/addon label)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'meshctl;addons;help;install'= {
        }
        &'meshctl;addons;help;status'= {
        }
        &'meshctl;addons;help;uninstall'= {
        }
        &'meshctl;addons;help;help'= {
        }
        &'meshctl;dashboard'= {
            cand --address 'Address to listen on'
            cand --port 'Local port [default: the dashboard''s own port, or a free one when that is taken]'
            cand --kubeconfig 'Kubeconfig file [default: $KUBECONFIG, else ~/.kube/config, else in-cluster]'
            cand --context 'Kubeconfig context to use [default: the current context]'
            cand -n 'The application namespace [default: the config file''s, else production]'
            cand --namespace 'The application namespace [default: the config file''s, else production]'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --request-timeout 'How long to wait for one API request (e.g. 10s, 1m)'
            cand --no-browser 'Do not open a browser'
            cand --show-url 'Print the URL and keep forwarding, without a browser (for SSH and CI)'
            cand --no-color 'Never colour the output (also: the NO_COLOR variable); colour is used only on a terminal'
            cand -v 'Log what meshctl does to stderr; repeat for more detail (-vv, -vvv)'
            cand --verbose 'Log what meshctl does to stderr; repeat for more detail (-vv, -vvv)'
            cand -q 'Print only the result: no progress, no status lines'
            cand --quiet 'Print only the result: no progress, no status lines'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'meshctl;completions'= {
            cand --kubeconfig 'Kubeconfig file [default: $KUBECONFIG, else ~/.kube/config, else in-cluster]'
            cand --context 'Kubeconfig context to use [default: the current context]'
            cand -n 'The application namespace [default: the config file''s, else production]'
            cand --namespace 'The application namespace [default: the config file''s, else production]'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --request-timeout 'How long to wait for one API request (e.g. 10s, 1m)'
            cand --no-color 'Never colour the output (also: the NO_COLOR variable); colour is used only on a terminal'
            cand -v 'Log what meshctl does to stderr; repeat for more detail (-vv, -vvv)'
            cand --verbose 'Log what meshctl does to stderr; repeat for more detail (-vv, -vvv)'
            cand -q 'Print only the result: no progress, no status lines'
            cand --quiet 'Print only the result: no progress, no status lines'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'meshctl;help'= {
            cand install 'Install Istio with istioctl, label the namespace for injection and apply the mesh manifests'
            cand uninstall 'Remove the objects install applied (those labelled managed-by=meshctl) and, with --istio, Istio'
            cand inject 'Label a namespace for sidecar injection and restart its Deployments so they get the sidecar, or (--mode ambient) enrol it in ambient mode'
            cand waypoint 'Manage waypoints: the proxies istiod deploys for L7 policy and routing in ambient namespaces'
            cand health 'Check the mesh: cluster, control plane, data plane, config and connectivity'
            cand troubleshoot 'Find mesh misconfigurations in the cluster, or in YAML files with --file (no cluster needed)'
            cand traffic-test 'Send load to a URL and check latency, errors, and that traffic follows the mesh config'
            cand manifests 'Work with the embedded mesh manifests'
            cand addons 'Install, inspect and remove Istio''s observability addons (Prometheus, Grafana, Kiali, Jaeger, Loki): the samples/addons manifests of the pinned Istio release'
            cand dashboard 'Open a dashboard through a port-forward to its pod (like istioctl dashboard): prints the URL, opens a browser when run on a terminal, and forwards until Ctrl-C'
            cand completions 'Print a shell completion script to stdout'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'meshctl;help;install'= {
        }
        &'meshctl;help;uninstall'= {
        }
        &'meshctl;help;inject'= {
        }
        &'meshctl;help;waypoint'= {
            cand apply 'Apply a waypoint (a Gateway of class istio-waypoint) in the namespace given with -n'
            cand list 'List the waypoints with their traffic type and whether istiod programmed them'
            cand status 'Show each waypoint''s Programmed condition, its Deployment and what uses it; exit 1 when one is not Programmed or not ready'
            cand delete 'Delete waypoints by name, or all of them in the namespace with --all'
        }
        &'meshctl;help;waypoint;apply'= {
        }
        &'meshctl;help;waypoint;list'= {
        }
        &'meshctl;help;waypoint;status'= {
        }
        &'meshctl;help;waypoint;delete'= {
        }
        &'meshctl;help;health'= {
        }
        &'meshctl;help;troubleshoot'= {
        }
        &'meshctl;help;traffic-test'= {
        }
        &'meshctl;help;manifests'= {
            cand render 'Print the exact YAML that `install` applies (no cluster needed)'
        }
        &'meshctl;help;manifests;render'= {
        }
        &'meshctl;help;addons'= {
            cand install 'Server-side apply the addons'' manifests (field manager meshctl) and wait until they are ready'
            cand status 'Show each addon''s version, readiness and in-cluster URL'
            cand uninstall 'Delete the addons'' objects that meshctl applied (those carrying its meshctl.io/addon label)'
        }
        &'meshctl;help;addons;install'= {
        }
        &'meshctl;help;addons;status'= {
        }
        &'meshctl;help;addons;uninstall'= {
        }
        &'meshctl;help;dashboard'= {
        }
        &'meshctl;help;completions'= {
        }
        &'meshctl;help;help'= {
        }
    ]
    $completions[$command]
}
