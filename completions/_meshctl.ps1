
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
            [CompletionResult]::new('inject', 'inject', [CompletionResultType]::ParameterValue, 'Label a namespace for sidecar injection and restart its Deployments so they get the sidecar')
            [CompletionResult]::new('health', 'health', [CompletionResultType]::ParameterValue, 'Check the mesh: cluster, control plane, data plane, config and connectivity')
            [CompletionResult]::new('troubleshoot', 'troubleshoot', [CompletionResultType]::ParameterValue, 'Find mesh misconfigurations in the cluster, or in YAML files with --file (no cluster needed)')
            [CompletionResult]::new('traffic-test', 'traffic-test', [CompletionResultType]::ParameterValue, 'Send load to a URL and check latency, errors, and that traffic follows the mesh config')
            [CompletionResult]::new('manifests', 'manifests', [CompletionResultType]::ParameterValue, 'Work with the embedded mesh manifests')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script to stdout')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'meshctl;install' {
            [CompletionResult]::new('--istioctl', '--istioctl', [CompletionResultType]::ParameterName, 'Use this istioctl binary instead of the cached or downloaded one')
            [CompletionResult]::new('--istio-version', '--istio-version', [CompletionResultType]::ParameterName, 'Istio version to download and install')
            [CompletionResult]::new('--mirror', '--mirror', [CompletionResultType]::ParameterName, 'Release mirror (https://, http:// or file://); archives are <mirror>/<version>/istioctl-<version>-<os>-<arch>.tar.gz')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file with values for the manifests [default: the seed''s values]')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'istioctl profile')
            [CompletionResult]::new('--set', '--set', [CompletionResultType]::ParameterName, 'Passed to istioctl install as --set KEY=VALUE (repeatable)')
            [CompletionResult]::new('--revision', '--revision', [CompletionResultType]::ParameterName, 'Install a revision; the namespace is then labelled istio.io/rev=REV')
            [CompletionResult]::new('--istio-namespace', '--istio-namespace', [CompletionResultType]::ParameterName, 'Namespace of the Istio control plane')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'How long to wait for istiod and the gateways')
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
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Replace a conflicting injection label (e.g. istio-injection=disabled, or the other label)')
            [CompletionResult]::new('--disable', '--disable', [CompletionResultType]::ParameterName, 'Remove the injection labels instead (and restart the selected Deployments without sidecars)')
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
            [CompletionResult]::new('--file', '--file', [CompletionResultType]::ParameterName, 'Analyze these YAML files or directories instead of the cluster (repeatable)')
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
            [CompletionResult]::new('-t', '-t', [CompletionResultType]::ParameterName, 'Threads that send the load, like wrk''s -t [default: one per core]. On a machine the server shares, fewer threads leave it more CPU')
            [CompletionResult]::new('--threads', '--threads', [CompletionResultType]::ParameterName, 'Threads that send the load, like wrk''s -t [default: one per core]. On a machine the server shares, fewer threads leave it more CPU')
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
            [CompletionResult]::new('--from-config', '--from-config', [CompletionResultType]::ParameterName, 'Take the expected split and faults from the VirtualService route the request matches: in the cluster, or in a YAML file of manifests (--from-config=FILE, e.g. from `manifests render`)')
            [CompletionResult]::new('--virtual-service', '--virtual-service', [CompletionResultType]::ParameterName, 'The VirtualService --from-config reads [default: the one whose hosts match the request]')
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
            [CompletionResult]::new('inject', 'inject', [CompletionResultType]::ParameterValue, 'Label a namespace for sidecar injection and restart its Deployments so they get the sidecar')
            [CompletionResult]::new('health', 'health', [CompletionResultType]::ParameterValue, 'Check the mesh: cluster, control plane, data plane, config and connectivity')
            [CompletionResult]::new('troubleshoot', 'troubleshoot', [CompletionResultType]::ParameterValue, 'Find mesh misconfigurations in the cluster, or in YAML files with --file (no cluster needed)')
            [CompletionResult]::new('traffic-test', 'traffic-test', [CompletionResultType]::ParameterValue, 'Send load to a URL and check latency, errors, and that traffic follows the mesh config')
            [CompletionResult]::new('manifests', 'manifests', [CompletionResultType]::ParameterValue, 'Work with the embedded mesh manifests')
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
