
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'meshctl' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'meshctl'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'meshctl' {
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Kubeconfig file [default: $KUBECONFIG, else ~/.kube/config, else in-cluster]')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Kubeconfig context to use [default: the current context]')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The application namespace [default: the config file''s, else production]')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The application namespace [default: the config file''s, else production]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'How long to wait for one API request (e.g. 10s, 1m)')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never colour the output (also: the NO_COLOR variable); colour is used only on a terminal')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log what meshctl does to stderr; repeat for more detail (-vv, -vvv)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log what meshctl does to stderr; repeat for more detail (-vv, -vvv)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only the result: no progress, no status lines')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only the result: no progress, no status lines')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('install', 'install', [CompletionResultType]::ParameterValue, 'Install Istio with istioctl, label the namespace for injection and apply the mesh manifests')
            [CompletionResult]::new('uninstall', 'uninstall', [CompletionResultType]::ParameterValue, 'Remove the objects install applied (those labelled managed-by=meshctl) and, with --istio, Istio')
            [CompletionResult]::new('inject', 'inject', [CompletionResultType]::ParameterValue, 'Label a namespace for sidecar injection and restart its Deployments so they get the sidecar, or (--mode ambient) enrol it in ambient mode')
            [CompletionResult]::new('waypoint', 'waypoint', [CompletionResultType]::ParameterValue, 'Manage waypoints: the proxies istiod deploys for L7 policy and routing in ambient namespaces')
            [CompletionResult]::new('health', 'health', [CompletionResultType]::ParameterValue, 'Check the mesh: cluster, control plane, data plane, config and connectivity')
            [CompletionResult]::new('troubleshoot', 'troubleshoot', [CompletionResultType]::ParameterValue, 'Find mesh misconfigurations in the cluster, or in YAML files with --file (no cluster needed)')
            [CompletionResult]::new('traffic-test', 'traffic-test', [CompletionResultType]::ParameterValue, 'Send load to a URL and check latency, errors, and that traffic follows the mesh config')
            [CompletionResult]::new('manifests', 'manifests', [CompletionResultType]::ParameterValue, 'Work with the embedded mesh manifests')
            [CompletionResult]::new('addons', 'addons', [CompletionResultType]::ParameterValue, 'Install, inspect and remove Istio''s observability addons (Prometheus, Grafana, Kiali, Jaeger, Loki): the samples/addons manifests of the pinned Istio release')
            [CompletionResult]::new('dashboard', 'dashboard', [CompletionResultType]::ParameterValue, 'Open a dashboard through a port-forward to its pod (like istioctl dashboard): prints the URL, opens a browser when run on a terminal, and forwards until Ctrl-C')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script to stdout')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'meshctl;install' {
            [CompletionResult]::new('--istioctl', '--istioctl', [CompletionResultType]::ParameterName, 'Use this istioctl binary instead of the cached or downloaded one')
            [CompletionResult]::new('--istio-version', '--istio-version', [CompletionResultType]::ParameterName, 'Istio version to download and install')
            [CompletionResult]::new('--mirror', '--mirror', [CompletionResultType]::ParameterName, 'Release mirror (https://, http:// or file://); archives are <mirror>/<version>/istioctl-<version>-<os>-<arch>.tar.gz')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file with values for the manifests [default: the seed''s values]')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'istioctl profile: demo, default, minimal, … or ambient (ztunnel and istio-cni on every node, no ingress gateway; install waits until both DaemonSets have every pod ready)')
            [CompletionResult]::new('--set', '--set', [CompletionResultType]::ParameterName, 'Passed to istioctl install as --set KEY=VALUE (repeatable)')
            [CompletionResult]::new('--revision', '--revision', [CompletionResultType]::ParameterName, 'Install a revision; the namespace is then labelled istio.io/rev=REV')
            [CompletionResult]::new('--istio-namespace', '--istio-namespace', [CompletionResultType]::ParameterName, 'Namespace of the Istio control plane')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'How long to wait for istiod and the gateways')
            [CompletionResult]::new('--api', '--api', [CompletionResultType]::ParameterName, 'Traffic API of the routing manifests: Istio''s or the Gateway API''s (as `manifests render --api`); gateway-api also installs the Gateway API CRDs when Istio is left alone')
            [CompletionResult]::new('--gateway-api-proxy', '--gateway-api-proxy', [CompletionResultType]::ParameterName, 'Go module proxy the Gateway API CRDs come from (https://, http:// or file://; GOPROXY layout); the module is verified against the go.sum hash built into meshctl')
            [CompletionResult]::new('--addons', '--addons', [CompletionResultType]::ParameterName, 'Also install these observability addons of the release, comma-separated (as `meshctl addons install`)')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Kubeconfig file [default: $KUBECONFIG, else ~/.kube/config, else in-cluster]')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Kubeconfig context to use [default: the current context]')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The application namespace [default: the config file''s, else production]')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The application namespace [default: the config file''s, else production]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'How long to wait for one API request (e.g. 10s, 1m)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show the plan (server-side dry run of every object, the istioctl command) and change nothing')
            [CompletionResult]::new('--skip-istio', '--skip-istio', [CompletionResultType]::ParameterName, 'Apply only the namespace label and the manifests; leave Istio as it is')
            [CompletionResult]::new('--skip-manifests', '--skip-manifests', [CompletionResultType]::ParameterName, 'Install Istio only: leave the application namespace and manifests alone')
            [CompletionResult]::new('--print-istioctl', '--print-istioctl', [CompletionResultType]::ParameterName, 'Print the path of the istioctl binary (downloading it if needed) and exit')
            [CompletionResult]::new('--skip-gateway-api-crds', '--skip-gateway-api-crds', [CompletionResultType]::ParameterName, 'Leave the Gateway API CRDs alone (the platform manages them)')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never colour the output (also: the NO_COLOR variable); colour is used only on a terminal')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log what meshctl does to stderr; repeat for more detail (-vv, -vvv)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log what meshctl does to stderr; repeat for more detail (-vv, -vvv)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only the result: no progress, no status lines')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only the result: no progress, no status lines')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'meshctl;uninstall' {
            [CompletionResult]::new('--istioctl', '--istioctl', [CompletionResultType]::ParameterName, 'Use this istioctl binary instead of the cached or downloaded one')
            [CompletionResult]::new('--istio-version', '--istio-version', [CompletionResultType]::ParameterName, 'Istio version to download and install')
            [CompletionResult]::new('--mirror', '--mirror', [CompletionResultType]::ParameterName, 'Release mirror (https://, http:// or file://); archives are <mirror>/<version>/istioctl-<version>-<os>-<arch>.tar.gz')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file install used, so the same objects are found')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Kubeconfig file [default: $KUBECONFIG, else ~/.kube/config, else in-cluster]')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Kubeconfig context to use [default: the current context]')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The application namespace [default: the config file''s, else production]')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The application namespace [default: the config file''s, else production]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'How long to wait for one API request (e.g. 10s, 1m)')
            [CompletionResult]::new('--istio', '--istio', [CompletionResultType]::ParameterName, 'Also run `istioctl uninstall --purge -y`')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show what would be removed and change nothing')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never colour the output (also: the NO_COLOR variable); colour is used only on a terminal')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log what meshctl does to stderr; repeat for more detail (-vv, -vvv)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log what meshctl does to stderr; repeat for more detail (-vv, -vvv)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only the result: no progress, no status lines')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only the result: no progress, no status lines')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'meshctl;inject' {
            [CompletionResult]::new('--mode', '--mode', [CompletionResultType]::ParameterName, 'sidecar: istio-injection=enabled and restarts. ambient: istio.io/dataplane-mode=ambient, no restart; a namespace that ran sidecars moves in order (--waypoint, the dataplane label, the injection label removed, Deployments with sidecars restarted and followed), each step checked before the next')
            [CompletionResult]::new('--waypoint', '--waypoint', [CompletionResultType]::ParameterName, 'With --mode ambient: first apply this waypoint, wait until it is Programmed and label the namespace istio.io/use-waypoint=NAME')
            [CompletionResult]::new('--deployment', '--deployment', [CompletionResultType]::ParameterName, 'Deployments to restart (repeatable)')
            [CompletionResult]::new('--revision', '--revision', [CompletionResultType]::ParameterName, 'Label istio.io/rev=REV instead of istio-injection=enabled')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Limit for --wait, per Deployment')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Kubeconfig file [default: $KUBECONFIG, else ~/.kube/config, else in-cluster]')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Kubeconfig context to use [default: the current context]')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The application namespace [default: the config file''s, else production]')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The application namespace [default: the config file''s, else production]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'How long to wait for one API request (e.g. 10s, 1m)')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'Restart every Deployment in the namespace')
            [CompletionResult]::new('--wait', '--wait', [CompletionResultType]::ParameterName, 'Follow each rollout to completion')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Replace a conflicting injection label (e.g. istio-injection=disabled, or the other label; with --mode ambient, another istio.io/dataplane-mode or use-waypoint value)')
            [CompletionResult]::new('--disable', '--disable', [CompletionResultType]::ParameterName, 'Remove the injection labels instead (and restart the selected Deployments without sidecars); with --mode ambient, remove the ambient labels (nothing restarts)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show what would change and change nothing')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never colour the output (also: the NO_COLOR variable); colour is used only on a terminal')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log what meshctl does to stderr; repeat for more detail (-vv, -vvv)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log what meshctl does to stderr; repeat for more detail (-vv, -vvv)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only the result: no progress, no status lines')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only the result: no progress, no status lines')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'meshctl;waypoint' {
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Kubeconfig file [default: $KUBECONFIG, else ~/.kube/config, else in-cluster]')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Kubeconfig context to use [default: the current context]')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The application namespace [default: the config file''s, else production]')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The application namespace [default: the config file''s, else production]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'How long to wait for one API request (e.g. 10s, 1m)')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never colour the output (also: the NO_COLOR variable); colour is used only on a terminal')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log what meshctl does to stderr; repeat for more detail (-vv, -vvv)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log what meshctl does to stderr; repeat for more detail (-vv, -vvv)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only the result: no progress, no status lines')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only the result: no progress, no status lines')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('apply', 'apply', [CompletionResultType]::ParameterValue, 'Apply a waypoint (a Gateway of class istio-waypoint) in the namespace given with -n')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the waypoints with their traffic type and whether istiod programmed them')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Show each waypoint''s Programmed condition, its Deployment and what uses it; exit 1 when one is not Programmed or not ready')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'Delete waypoints by name, or all of them in the namespace with --all')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'meshctl;waypoint;apply' {
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'The waypoint''s name')
            [CompletionResult]::new('--for', '--for', [CompletionResultType]::ParameterName, 'Traffic the waypoint handles (the istio.io/waypoint-for label) [default: istiod''s, service]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Limit for --wait')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Kubeconfig file [default: $KUBECONFIG, else ~/.kube/config, else in-cluster]')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Kubeconfig context to use [default: the current context]')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The application namespace [default: the config file''s, else production]')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The application namespace [default: the config file''s, else production]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'How long to wait for one API request (e.g. 10s, 1m)')
            [CompletionResult]::new('--enroll-namespace', '--enroll-namespace', [CompletionResultType]::ParameterName, 'Label the namespace istio.io/use-waypoint=NAME once the waypoint is applied')
            [CompletionResult]::new('--overwrite', '--overwrite', [CompletionResultType]::ParameterName, 'With --enroll-namespace: replace a label that names another waypoint')
            [CompletionResult]::new('--wait', '--wait', [CompletionResultType]::ParameterName, 'Wait until istiod reports the waypoint Programmed (before enrolling the namespace)')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never colour the output (also: the NO_COLOR variable); colour is used only on a terminal')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log what meshctl does to stderr; repeat for more detail (-vv, -vvv)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log what meshctl does to stderr; repeat for more detail (-vv, -vvv)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only the result: no progress, no status lines')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only the result: no progress, no status lines')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'meshctl;waypoint;list' {
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Kubeconfig file [default: $KUBECONFIG, else ~/.kube/config, else in-cluster]')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Kubeconfig context to use [default: the current context]')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The application namespace [default: the config file''s, else production]')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The application namespace [default: the config file''s, else production]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'How long to wait for one API request (e.g. 10s, 1m)')
            [CompletionResult]::new('-A', '-A ', [CompletionResultType]::ParameterName, 'Every namespace instead of the one given with -n')
            [CompletionResult]::new('--all-namespaces', '--all-namespaces', [CompletionResultType]::ParameterName, 'Every namespace instead of the one given with -n')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never colour the output (also: the NO_COLOR variable); colour is used only on a terminal')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log what meshctl does to stderr; repeat for more detail (-vv, -vvv)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log what meshctl does to stderr; repeat for more detail (-vv, -vvv)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only the result: no progress, no status lines')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only the result: no progress, no status lines')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'meshctl;waypoint;status' {
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Kubeconfig file [default: $KUBECONFIG, else ~/.kube/config, else in-cluster]')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Kubeconfig context to use [default: the current context]')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The application namespace [default: the config file''s, else production]')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The application namespace [default: the config file''s, else production]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'How long to wait for one API request (e.g. 10s, 1m)')
            [CompletionResult]::new('-A', '-A ', [CompletionResultType]::ParameterName, 'Every namespace instead of the one given with -n')
            [CompletionResult]::new('--all-namespaces', '--all-namespaces', [CompletionResultType]::ParameterName, 'Every namespace instead of the one given with -n')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never colour the output (also: the NO_COLOR variable); colour is used only on a terminal')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log what meshctl does to stderr; repeat for more detail (-vv, -vvv)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log what meshctl does to stderr; repeat for more detail (-vv, -vvv)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only the result: no progress, no status lines')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only the result: no progress, no status lines')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'meshctl;waypoint;delete' {
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Kubeconfig file [default: $KUBECONFIG, else ~/.kube/config, else in-cluster]')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Kubeconfig context to use [default: the current context]')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The application namespace [default: the config file''s, else production]')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The application namespace [default: the config file''s, else production]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'How long to wait for one API request (e.g. 10s, 1m)')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'Delete every waypoint in the namespace')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never colour the output (also: the NO_COLOR variable); colour is used only on a terminal')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log what meshctl does to stderr; repeat for more detail (-vv, -vvv)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log what meshctl does to stderr; repeat for more detail (-vv, -vvv)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only the result: no progress, no status lines')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only the result: no progress, no status lines')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'meshctl;waypoint;help' {
            [CompletionResult]::new('apply', 'apply', [CompletionResultType]::ParameterValue, 'Apply a waypoint (a Gateway of class istio-waypoint) in the namespace given with -n')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the waypoints with their traffic type and whether istiod programmed them')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Show each waypoint''s Programmed condition, its Deployment and what uses it; exit 1 when one is not Programmed or not ready')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'Delete waypoints by name, or all of them in the namespace with --all')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'meshctl;waypoint;help;apply' {
            break
        }
        'meshctl;waypoint;help;list' {
            break
        }
        'meshctl;waypoint;help;status' {
            break
        }
        'meshctl;waypoint;help;delete' {
            break
        }
        'meshctl;waypoint;help;help' {
            break
        }
        'meshctl;health' {
            [CompletionResult]::new('--istio-namespace', '--istio-namespace', [CompletionResultType]::ParameterName, 'Namespace of the Istio control plane')
            [CompletionResult]::new('--service', '--service', [CompletionResultType]::ParameterName, 'Service whose health endpoint the connectivity check calls')
            [CompletionResult]::new('--port', '--port', [CompletionResultType]::ParameterName, 'Port of that Service')
            [CompletionResult]::new('--health-path', '--health-path', [CompletionResultType]::ParameterName, 'Path of the health endpoint')
            [CompletionResult]::new('--wait', '--wait', [CompletionResultType]::ParameterName, 'Re-run the checks until all pass or this much time has gone by (e.g. 2m)')
            [CompletionResult]::new('--skip', '--skip', [CompletionResultType]::ParameterName, 'Do not run the check with this id (repeatable; --list shows the ids)')
            [CompletionResult]::new('--only', '--only', [CompletionResultType]::ParameterName, 'Run only the checks of this group')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Kubeconfig file [default: $KUBECONFIG, else ~/.kube/config, else in-cluster]')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Kubeconfig context to use [default: the current context]')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The application namespace [default: the config file''s, else production]')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The application namespace [default: the config file''s, else production]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'How long to wait for one API request (e.g. 10s, 1m)')
            [CompletionResult]::new('--list', '--list', [CompletionResultType]::ParameterName, 'List the checks (id, group, title, fatal, hint) without running them')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never colour the output (also: the NO_COLOR variable); colour is used only on a terminal')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log what meshctl does to stderr; repeat for more detail (-vv, -vvv)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log what meshctl does to stderr; repeat for more detail (-vv, -vvv)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only the result: no progress, no status lines')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only the result: no progress, no status lines')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'meshctl;troubleshoot' {
            [CompletionResult]::new('--file', '--file', [CompletionResultType]::ParameterName, 'Analyze these YAML/JSON files or directories instead of the cluster, every namespace they hold; `-` reads standard input (repeatable)')
            [CompletionResult]::new('--suppress', '--suppress', [CompletionResultType]::ParameterName, 'Hide a finding: CODE=Kind/namespace/name (or Kind/name), `*` for any part; CODE is a MESH or IST code (repeatable). Objects annotated galley.istio.io/analyze-suppress=CODE[,CODE] are hidden too')
            [CompletionResult]::new('--fail-on', '--fail-on', [CompletionResultType]::ParameterName, 'Exit 1 when a finding of this severity or worse is found')
            [CompletionResult]::new('--istio-namespace', '--istio-namespace', [CompletionResultType]::ParameterName, 'Namespace of the Istio control plane (mesh-wide policies, gateway pods and credentials)')
            [CompletionResult]::new('--cert-expiry-days', '--cert-expiry-days', [CompletionResultType]::ParameterName, 'Warn about gateway certificates that expire within this many days')
            [CompletionResult]::new('--log-lines', '--log-lines', [CompletionResultType]::ParameterName, 'Log lines per ingress gateway pod in `troubleshoot gateway`')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Kubeconfig file [default: $KUBECONFIG, else ~/.kube/config, else in-cluster]')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Kubeconfig context to use [default: the current context]')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The application namespace [default: the config file''s, else production]')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The application namespace [default: the config file''s, else production]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'How long to wait for one API request (e.g. 10s, 1m)')
            [CompletionResult]::new('-A', '-A ', [CompletionResultType]::ParameterName, 'Analyze every namespace of the cluster, not only -n')
            [CompletionResult]::new('--all-namespaces', '--all-namespaces', [CompletionResultType]::ParameterName, 'Analyze every namespace of the cluster, not only -n')
            [CompletionResult]::new('--list-codes', '--list-codes', [CompletionResultType]::ParameterName, 'Print every finding code with its Istio code, severity, category and fix, and exit')
            [CompletionResult]::new('--fix', '--fix', [CompletionResultType]::ParameterName, 'Apply the safe, reversible fixes (label the namespace, restart Deployments) after a prompt')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask before --fix')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask before --fix')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never colour the output (also: the NO_COLOR variable); colour is used only on a terminal')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log what meshctl does to stderr; repeat for more detail (-vv, -vvv)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log what meshctl does to stderr; repeat for more detail (-vv, -vvv)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only the result: no progress, no status lines')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only the result: no progress, no status lines')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'meshctl;traffic-test' {
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The application namespace (here only as --namespace: -n is the request count, as in hey)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Number of requests [default: 100 unless -d is given]')
            [CompletionResult]::new('--requests', '--requests', [CompletionResultType]::ParameterName, 'Number of requests [default: 100 unless -d is given]')
            [CompletionResult]::new('-d', '-d', [CompletionResultType]::ParameterName, 'Run for this long instead of a request count (e.g. 30s)')
            [CompletionResult]::new('--duration', '--duration', [CompletionResultType]::ParameterName, 'Run for this long instead of a request count (e.g. 30s)')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Concurrent connections')
            [CompletionResult]::new('--connections', '--connections', [CompletionResultType]::ParameterName, 'Concurrent connections')
            [CompletionResult]::new('-t', '-t', [CompletionResultType]::ParameterName, 'Threads that send the load, like wrk''s -t [default: one per core, one fewer when the target is a loopback address, whose server (or port-forward) needs a core too]')
            [CompletionResult]::new('--threads', '--threads', [CompletionResultType]::ParameterName, 'Threads that send the load, like wrk''s -t [default: one per core, one fewer when the target is a loopback address, whose server (or port-forward) needs a core too]')
            [CompletionResult]::new('--qps', '--qps', [CompletionResultType]::ParameterName, 'Constant arrival rate (requests per second over all connections); latency is then measured from each request''s intended start (coordinated omission corrected)')
            [CompletionResult]::new('-m', '-m', [CompletionResultType]::ParameterName, 'HTTP method')
            [CompletionResult]::new('--method', '--method', [CompletionResultType]::ParameterName, 'HTTP method')
            [CompletionResult]::new('-H', '-H ', [CompletionResultType]::ParameterName, 'Request header ''Name: value'' (repeatable)')
            [CompletionResult]::new('--header', '--header', [CompletionResultType]::ParameterName, 'Request header ''Name: value'' (repeatable)')
            [CompletionResult]::new('--body', '--body', [CompletionResultType]::ParameterName, 'Request body')
            [CompletionResult]::new('--body-file', '--body-file', [CompletionResultType]::ParameterName, 'Request body from a file')
            [CompletionResult]::new('--streams', '--streams', [CompletionResultType]::ParameterName, 'Concurrent requests on each HTTP/2 connection, like h2load''s -m: -c 10 --streams 10 keeps 100 requests in flight over 10 connections. Needs --http2 (HTTP/1.1 sends one request at a time per connection)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Timeout of one request')
            [CompletionResult]::new('--host', '--host', [CompletionResultType]::ParameterName, 'Host header (and TLS server name) to send, e.g. a VirtualService host through a gateway address')
            [CompletionResult]::new('--max-p99', '--max-p99', [CompletionResultType]::ParameterName, 'Fail (exit 1) when p99 latency is above this (e.g. 250ms)')
            [CompletionResult]::new('--max-error-rate', '--max-error-rate', [CompletionResultType]::ParameterName, 'Fail when more than this share of requests fail (errors, 4xx, 5xx), e.g. 1%')
            [CompletionResult]::new('--min-rps', '--min-rps', [CompletionResultType]::ParameterName, 'Fail when fewer requests per second than this were completed')
            [CompletionResult]::new('--expect-status', '--expect-status', [CompletionResultType]::ParameterName, 'Fail when any response has another status (or any request errs)')
            [CompletionResult]::new('--expect-split', '--expect-split', [CompletionResultType]::ParameterName, 'Expected traffic split, e.g. v1=80,v2=20 (needs --split-by)')
            [CompletionResult]::new('--split-by', '--split-by', [CompletionResultType]::ParameterName, 'Where the answering version is read: a response header (header:x-version) or a field of a JSON response body (body:version, body:build.version)')
            [CompletionResult]::new('--expect-fault', '--expect-fault', [CompletionResultType]::ParameterName, 'Expected fault injection, e.g. abort=5%,delay=10%:5s (aborts answer 503 unless abort=5%:502)')
            [CompletionResult]::new('--from-config', '--from-config', [CompletionResultType]::ParameterName, 'Take the expected split and faults from the route the request matches (a VirtualService''s HTTP route, or an HTTPRoute rule''s weighted backendRefs): in the cluster, or in a YAML file of manifests (--from-config=FILE, e.g. from `manifests render [--api gateway-api]`)')
            [CompletionResult]::new('--route', '--route', [CompletionResultType]::ParameterName, 'The route --from-config reads: NAME, HTTPRoute/NAME or VirtualService/NAME [default: the VirtualService or HTTPRoutes whose hosts match the request]')
            [CompletionResult]::new('--virtual-service', '--virtual-service', [CompletionResultType]::ParameterName, 'The VirtualService --from-config reads (the same as --route VirtualService/NAME)')
            [CompletionResult]::new('--destination', '--destination', [CompletionResultType]::ParameterName, 'Service that receives the traffic (NAME or NAME.NAMESPACE; repeatable): after the run, the mesh''s own request counts for it are reported [default with --from-config: the route''s]')
            [CompletionResult]::new('--prometheus', '--prometheus', [CompletionResultType]::ParameterName, 'Prometheus to read the mesh metrics from [default: the prometheus Service in --istio-namespace through the API server, else the destination pods'' Envoy stats]')
            [CompletionResult]::new('--metrics-wait', '--metrics-wait', [CompletionResultType]::ParameterName, 'How long to wait for Prometheus to scrape the requests of the run')
            [CompletionResult]::new('--istio-namespace', '--istio-namespace', [CompletionResultType]::ParameterName, 'Namespace of the Istio control plane (where Prometheus is looked for)')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Kubeconfig file [default: $KUBECONFIG, else ~/.kube/config, else in-cluster]')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Kubeconfig context to use [default: the current context]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'How long to wait for one API request (e.g. 10s, 1m)')
            [CompletionResult]::new('--http2', '--http2', [CompletionResultType]::ParameterName, 'Use HTTP/2 (prior knowledge over http://, ALPN over https://)')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'Do not verify the server''s TLS certificate')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never colour the output (also: the NO_COLOR variable); colour is used only on a terminal')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log what meshctl does to stderr; repeat for more detail (-vv, -vvv)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log what meshctl does to stderr; repeat for more detail (-vv, -vvv)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only the result: no progress, no status lines')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only the result: no progress, no status lines')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'meshctl;manifests' {
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Kubeconfig file [default: $KUBECONFIG, else ~/.kube/config, else in-cluster]')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Kubeconfig context to use [default: the current context]')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The application namespace [default: the config file''s, else production]')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The application namespace [default: the config file''s, else production]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'How long to wait for one API request (e.g. 10s, 1m)')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never colour the output (also: the NO_COLOR variable); colour is used only on a terminal')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log what meshctl does to stderr; repeat for more detail (-vv, -vvv)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log what meshctl does to stderr; repeat for more detail (-vv, -vvv)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only the result: no progress, no status lines')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only the result: no progress, no status lines')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('render', 'render', [CompletionResultType]::ParameterValue, 'Print the exact YAML that `install` applies (no cluster needed)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'meshctl;manifests;render' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file with values for the manifests [default: the seed''s values]')
            [CompletionResult]::new('--api', '--api', [CompletionResultType]::ParameterName, 'Traffic API of the routing: Istio''s (Gateway, VirtualService, DestinationRule subsets) or the Gateway API (Gateway of class istio, HTTPRoutes, a Service per canary version, authorization with targetRefs for ambient); what it cannot express is said on stderr and at the top of the YAML')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Kubeconfig file [default: $KUBECONFIG, else ~/.kube/config, else in-cluster]')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Kubeconfig context to use [default: the current context]')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The application namespace [default: the config file''s, else production]')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The application namespace [default: the config file''s, else production]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'How long to wait for one API request (e.g. 10s, 1m)')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never colour the output (also: the NO_COLOR variable); colour is used only on a terminal')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log what meshctl does to stderr; repeat for more detail (-vv, -vvv)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log what meshctl does to stderr; repeat for more detail (-vv, -vvv)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only the result: no progress, no status lines')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only the result: no progress, no status lines')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'meshctl;manifests;help' {
            [CompletionResult]::new('render', 'render', [CompletionResultType]::ParameterValue, 'Print the exact YAML that `install` applies (no cluster needed)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'meshctl;manifests;help;render' {
            break
        }
        'meshctl;manifests;help;help' {
            break
        }
        'meshctl;addons' {
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Kubeconfig file [default: $KUBECONFIG, else ~/.kube/config, else in-cluster]')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Kubeconfig context to use [default: the current context]')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The application namespace [default: the config file''s, else production]')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The application namespace [default: the config file''s, else production]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'How long to wait for one API request (e.g. 10s, 1m)')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never colour the output (also: the NO_COLOR variable); colour is used only on a terminal')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log what meshctl does to stderr; repeat for more detail (-vv, -vvv)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log what meshctl does to stderr; repeat for more detail (-vv, -vvv)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only the result: no progress, no status lines')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only the result: no progress, no status lines')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('install', 'install', [CompletionResultType]::ParameterValue, 'Server-side apply the addons'' manifests (field manager meshctl) and wait until they are ready')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Show each addon''s version, readiness and in-cluster URL')
            [CompletionResult]::new('uninstall', 'uninstall', [CompletionResultType]::ParameterValue, 'Delete the addons'' objects that meshctl applied (those carrying its meshctl.io/addon label)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'meshctl;addons;install' {
            [CompletionResult]::new('--istio-version', '--istio-version', [CompletionResultType]::ParameterName, 'Istio release whose addons to use')
            [CompletionResult]::new('--mirror', '--mirror', [CompletionResultType]::ParameterName, 'Release mirror (https://, http:// or file://); the archive is <mirror>/<version>/istio-<version>-<os>-<arch>.tar.gz')
            [CompletionResult]::new('--istio-namespace', '--istio-namespace', [CompletionResultType]::ParameterName, 'Namespace for the addons'' objects (the release''s manifests use istio-system; the URLs in the addons'' own config are left as the release wrote them)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'How long to wait for the addons'' workloads to become ready (install)')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Kubeconfig file [default: $KUBECONFIG, else ~/.kube/config, else in-cluster]')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Kubeconfig context to use [default: the current context]')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The application namespace [default: the config file''s, else production]')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The application namespace [default: the config file''s, else production]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'How long to wait for one API request (e.g. 10s, 1m)')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'Every addon')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show what would change (server-side dry run) and change nothing')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never colour the output (also: the NO_COLOR variable); colour is used only on a terminal')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log what meshctl does to stderr; repeat for more detail (-vv, -vvv)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log what meshctl does to stderr; repeat for more detail (-vv, -vvv)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only the result: no progress, no status lines')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only the result: no progress, no status lines')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'meshctl;addons;status' {
            [CompletionResult]::new('--istio-namespace', '--istio-namespace', [CompletionResultType]::ParameterName, 'Where the addons run')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Kubeconfig file [default: $KUBECONFIG, else ~/.kube/config, else in-cluster]')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Kubeconfig context to use [default: the current context]')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The application namespace [default: the config file''s, else production]')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The application namespace [default: the config file''s, else production]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'How long to wait for one API request (e.g. 10s, 1m)')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never colour the output (also: the NO_COLOR variable); colour is used only on a terminal')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log what meshctl does to stderr; repeat for more detail (-vv, -vvv)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log what meshctl does to stderr; repeat for more detail (-vv, -vvv)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only the result: no progress, no status lines')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only the result: no progress, no status lines')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'meshctl;addons;uninstall' {
            [CompletionResult]::new('--istio-version', '--istio-version', [CompletionResultType]::ParameterName, 'Istio release whose addons to use')
            [CompletionResult]::new('--mirror', '--mirror', [CompletionResultType]::ParameterName, 'Release mirror (https://, http:// or file://); the archive is <mirror>/<version>/istio-<version>-<os>-<arch>.tar.gz')
            [CompletionResult]::new('--istio-namespace', '--istio-namespace', [CompletionResultType]::ParameterName, 'Namespace for the addons'' objects (the release''s manifests use istio-system; the URLs in the addons'' own config are left as the release wrote them)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'How long to wait for the addons'' workloads to become ready (install)')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Kubeconfig file [default: $KUBECONFIG, else ~/.kube/config, else in-cluster]')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Kubeconfig context to use [default: the current context]')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The application namespace [default: the config file''s, else production]')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The application namespace [default: the config file''s, else production]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'How long to wait for one API request (e.g. 10s, 1m)')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'Every addon')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show what would change (server-side dry run) and change nothing')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never colour the output (also: the NO_COLOR variable); colour is used only on a terminal')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log what meshctl does to stderr; repeat for more detail (-vv, -vvv)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log what meshctl does to stderr; repeat for more detail (-vv, -vvv)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only the result: no progress, no status lines')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only the result: no progress, no status lines')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'meshctl;addons;help' {
            [CompletionResult]::new('install', 'install', [CompletionResultType]::ParameterValue, 'Server-side apply the addons'' manifests (field manager meshctl) and wait until they are ready')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Show each addon''s version, readiness and in-cluster URL')
            [CompletionResult]::new('uninstall', 'uninstall', [CompletionResultType]::ParameterValue, 'Delete the addons'' objects that meshctl applied (those carrying its meshctl.io/addon label)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'meshctl;addons;help;install' {
            break
        }
        'meshctl;addons;help;status' {
            break
        }
        'meshctl;addons;help;uninstall' {
            break
        }
        'meshctl;addons;help;help' {
            break
        }
        'meshctl;dashboard' {
            [CompletionResult]::new('--address', '--address', [CompletionResultType]::ParameterName, 'Address to listen on')
            [CompletionResult]::new('--port', '--port', [CompletionResultType]::ParameterName, 'Local port [default: the dashboard''s own port, or a free one when that is taken]')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Kubeconfig file [default: $KUBECONFIG, else ~/.kube/config, else in-cluster]')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Kubeconfig context to use [default: the current context]')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The application namespace [default: the config file''s, else production]')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The application namespace [default: the config file''s, else production]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'How long to wait for one API request (e.g. 10s, 1m)')
            [CompletionResult]::new('--no-browser', '--no-browser', [CompletionResultType]::ParameterName, 'Do not open a browser')
            [CompletionResult]::new('--show-url', '--show-url', [CompletionResultType]::ParameterName, 'Print the URL and keep forwarding, without a browser (for SSH and CI)')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never colour the output (also: the NO_COLOR variable); colour is used only on a terminal')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log what meshctl does to stderr; repeat for more detail (-vv, -vvv)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log what meshctl does to stderr; repeat for more detail (-vv, -vvv)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only the result: no progress, no status lines')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only the result: no progress, no status lines')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'meshctl;completions' {
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Kubeconfig file [default: $KUBECONFIG, else ~/.kube/config, else in-cluster]')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Kubeconfig context to use [default: the current context]')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The application namespace [default: the config file''s, else production]')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The application namespace [default: the config file''s, else production]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'How long to wait for one API request (e.g. 10s, 1m)')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never colour the output (also: the NO_COLOR variable); colour is used only on a terminal')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log what meshctl does to stderr; repeat for more detail (-vv, -vvv)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log what meshctl does to stderr; repeat for more detail (-vv, -vvv)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only the result: no progress, no status lines')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only the result: no progress, no status lines')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'meshctl;help' {
            [CompletionResult]::new('install', 'install', [CompletionResultType]::ParameterValue, 'Install Istio with istioctl, label the namespace for injection and apply the mesh manifests')
            [CompletionResult]::new('uninstall', 'uninstall', [CompletionResultType]::ParameterValue, 'Remove the objects install applied (those labelled managed-by=meshctl) and, with --istio, Istio')
            [CompletionResult]::new('inject', 'inject', [CompletionResultType]::ParameterValue, 'Label a namespace for sidecar injection and restart its Deployments so they get the sidecar, or (--mode ambient) enrol it in ambient mode')
            [CompletionResult]::new('waypoint', 'waypoint', [CompletionResultType]::ParameterValue, 'Manage waypoints: the proxies istiod deploys for L7 policy and routing in ambient namespaces')
            [CompletionResult]::new('health', 'health', [CompletionResultType]::ParameterValue, 'Check the mesh: cluster, control plane, data plane, config and connectivity')
            [CompletionResult]::new('troubleshoot', 'troubleshoot', [CompletionResultType]::ParameterValue, 'Find mesh misconfigurations in the cluster, or in YAML files with --file (no cluster needed)')
            [CompletionResult]::new('traffic-test', 'traffic-test', [CompletionResultType]::ParameterValue, 'Send load to a URL and check latency, errors, and that traffic follows the mesh config')
            [CompletionResult]::new('manifests', 'manifests', [CompletionResultType]::ParameterValue, 'Work with the embedded mesh manifests')
            [CompletionResult]::new('addons', 'addons', [CompletionResultType]::ParameterValue, 'Install, inspect and remove Istio''s observability addons (Prometheus, Grafana, Kiali, Jaeger, Loki): the samples/addons manifests of the pinned Istio release')
            [CompletionResult]::new('dashboard', 'dashboard', [CompletionResultType]::ParameterValue, 'Open a dashboard through a port-forward to its pod (like istioctl dashboard): prints the URL, opens a browser when run on a terminal, and forwards until Ctrl-C')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script to stdout')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'meshctl;help;install' {
            break
        }
        'meshctl;help;uninstall' {
            break
        }
        'meshctl;help;inject' {
            break
        }
        'meshctl;help;waypoint' {
            [CompletionResult]::new('apply', 'apply', [CompletionResultType]::ParameterValue, 'Apply a waypoint (a Gateway of class istio-waypoint) in the namespace given with -n')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the waypoints with their traffic type and whether istiod programmed them')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Show each waypoint''s Programmed condition, its Deployment and what uses it; exit 1 when one is not Programmed or not ready')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'Delete waypoints by name, or all of them in the namespace with --all')
            break
        }
        'meshctl;help;waypoint;apply' {
            break
        }
        'meshctl;help;waypoint;list' {
            break
        }
        'meshctl;help;waypoint;status' {
            break
        }
        'meshctl;help;waypoint;delete' {
            break
        }
        'meshctl;help;health' {
            break
        }
        'meshctl;help;troubleshoot' {
            break
        }
        'meshctl;help;traffic-test' {
            break
        }
        'meshctl;help;manifests' {
            [CompletionResult]::new('render', 'render', [CompletionResultType]::ParameterValue, 'Print the exact YAML that `install` applies (no cluster needed)')
            break
        }
        'meshctl;help;manifests;render' {
            break
        }
        'meshctl;help;addons' {
            [CompletionResult]::new('install', 'install', [CompletionResultType]::ParameterValue, 'Server-side apply the addons'' manifests (field manager meshctl) and wait until they are ready')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Show each addon''s version, readiness and in-cluster URL')
            [CompletionResult]::new('uninstall', 'uninstall', [CompletionResultType]::ParameterValue, 'Delete the addons'' objects that meshctl applied (those carrying its meshctl.io/addon label)')
            break
        }
        'meshctl;help;addons;install' {
            break
        }
        'meshctl;help;addons;status' {
            break
        }
        'meshctl;help;addons;uninstall' {
            break
        }
        'meshctl;help;dashboard' {
            break
        }
        'meshctl;help;completions' {
            break
        }
        'meshctl;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
