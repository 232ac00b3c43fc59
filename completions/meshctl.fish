# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_meshctl_global_optspecs
    string join \n kubeconfig= context= n/namespace= o/output= no-color v/verbose q/quiet request-timeout= h/help V/version
end

function __fish_meshctl_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_meshctl_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_meshctl_using_subcommand
    set -l cmd (__fish_meshctl_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c meshctl -n "__fish_meshctl_needs_command" -l kubeconfig -d 'Kubeconfig file [default: $KUBECONFIG, else ~/.kube/config, else in-cluster]' -r -F
complete -c meshctl -n "__fish_meshctl_needs_command" -l context -d 'Kubeconfig context to use [default: the current context]' -r
complete -c meshctl -n "__fish_meshctl_needs_command" -s n -l namespace -d 'The application namespace [default: the config file\'s, else production]' -r
complete -c meshctl -n "__fish_meshctl_needs_command" -s o -l output -d 'Output format' -r -f -a "text\t''
json\t''
yaml\t''"
complete -c meshctl -n "__fish_meshctl_needs_command" -l request-timeout -d 'How long to wait for one API request (e.g. 10s, 1m)' -r
complete -c meshctl -n "__fish_meshctl_needs_command" -l no-color -d 'Never colour the output (also: the NO_COLOR variable); colour is used only on a terminal'
complete -c meshctl -n "__fish_meshctl_needs_command" -s v -l verbose -d 'Log what meshctl does to stderr; repeat for more detail (-vv, -vvv)'
complete -c meshctl -n "__fish_meshctl_needs_command" -s q -l quiet -d 'Print only the result: no progress, no status lines'
complete -c meshctl -n "__fish_meshctl_needs_command" -s h -l help -d 'Print help'
complete -c meshctl -n "__fish_meshctl_needs_command" -s V -l version -d 'Print version'
complete -c meshctl -n "__fish_meshctl_needs_command" -f -a "install" -d 'Install Istio with istioctl, label the namespace for injection and apply the mesh manifests'
complete -c meshctl -n "__fish_meshctl_needs_command" -f -a "uninstall" -d 'Remove the objects install applied (those labelled managed-by=meshctl) and, with --istio, Istio'
complete -c meshctl -n "__fish_meshctl_needs_command" -f -a "inject" -d 'Label a namespace for sidecar injection and restart its Deployments so they get the sidecar'
complete -c meshctl -n "__fish_meshctl_needs_command" -f -a "health" -d 'Check the mesh: cluster, control plane, data plane, config and connectivity'
complete -c meshctl -n "__fish_meshctl_needs_command" -f -a "troubleshoot" -d 'Find mesh misconfigurations in the cluster, or in YAML files with --file (no cluster needed)'
complete -c meshctl -n "__fish_meshctl_needs_command" -f -a "traffic-test" -d 'Send load to a URL and check latency, errors, and that traffic follows the mesh config'
complete -c meshctl -n "__fish_meshctl_needs_command" -f -a "manifests" -d 'Work with the embedded mesh manifests'
complete -c meshctl -n "__fish_meshctl_needs_command" -f -a "completions" -d 'Print a shell completion script to stdout'
complete -c meshctl -n "__fish_meshctl_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c meshctl -n "__fish_meshctl_using_subcommand install" -l istioctl -d 'Use this istioctl binary instead of the cached or downloaded one' -r -F
complete -c meshctl -n "__fish_meshctl_using_subcommand install" -l istio-version -d 'Istio version to download and install' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand install" -l mirror -d 'Release mirror (https://, http:// or file://); archives are <mirror>/<version>/istioctl-<version>-<os>-<arch>.tar.gz' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand install" -l config -d 'Config file with values for the manifests [default: the seed\'s values]' -r -F
complete -c meshctl -n "__fish_meshctl_using_subcommand install" -l profile -d 'istioctl profile' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand install" -l set -d 'Passed to istioctl install as --set KEY=VALUE (repeatable)' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand install" -l revision -d 'Install a revision; the namespace is then labelled istio.io/rev=REV' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand install" -l istio-namespace -d 'Namespace of the Istio control plane' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand install" -l timeout -d 'How long to wait for istiod and the gateways' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand install" -l kubeconfig -d 'Kubeconfig file [default: $KUBECONFIG, else ~/.kube/config, else in-cluster]' -r -F
complete -c meshctl -n "__fish_meshctl_using_subcommand install" -l context -d 'Kubeconfig context to use [default: the current context]' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand install" -s n -l namespace -d 'The application namespace [default: the config file\'s, else production]' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand install" -s o -l output -d 'Output format' -r -f -a "text\t''
json\t''
yaml\t''"
complete -c meshctl -n "__fish_meshctl_using_subcommand install" -l request-timeout -d 'How long to wait for one API request (e.g. 10s, 1m)' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand install" -l dry-run -d 'Show the plan (server-side dry run of every object, the istioctl command) and change nothing'
complete -c meshctl -n "__fish_meshctl_using_subcommand install" -l skip-istio -d 'Apply only the namespace label and the manifests; leave Istio as it is'
complete -c meshctl -n "__fish_meshctl_using_subcommand install" -l skip-manifests -d 'Install Istio only: leave the application namespace and manifests alone'
complete -c meshctl -n "__fish_meshctl_using_subcommand install" -l print-istioctl -d 'Print the path of the istioctl binary (downloading it if needed) and exit'
complete -c meshctl -n "__fish_meshctl_using_subcommand install" -l no-color -d 'Never colour the output (also: the NO_COLOR variable); colour is used only on a terminal'
complete -c meshctl -n "__fish_meshctl_using_subcommand install" -s v -l verbose -d 'Log what meshctl does to stderr; repeat for more detail (-vv, -vvv)'
complete -c meshctl -n "__fish_meshctl_using_subcommand install" -s q -l quiet -d 'Print only the result: no progress, no status lines'
complete -c meshctl -n "__fish_meshctl_using_subcommand install" -s h -l help -d 'Print help'
complete -c meshctl -n "__fish_meshctl_using_subcommand install" -s V -l version -d 'Print version'
complete -c meshctl -n "__fish_meshctl_using_subcommand uninstall" -l istioctl -d 'Use this istioctl binary instead of the cached or downloaded one' -r -F
complete -c meshctl -n "__fish_meshctl_using_subcommand uninstall" -l istio-version -d 'Istio version to download and install' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand uninstall" -l mirror -d 'Release mirror (https://, http:// or file://); archives are <mirror>/<version>/istioctl-<version>-<os>-<arch>.tar.gz' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand uninstall" -l config -d 'The config file install used, so the same objects are found' -r -F
complete -c meshctl -n "__fish_meshctl_using_subcommand uninstall" -l kubeconfig -d 'Kubeconfig file [default: $KUBECONFIG, else ~/.kube/config, else in-cluster]' -r -F
complete -c meshctl -n "__fish_meshctl_using_subcommand uninstall" -l context -d 'Kubeconfig context to use [default: the current context]' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand uninstall" -s n -l namespace -d 'The application namespace [default: the config file\'s, else production]' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand uninstall" -s o -l output -d 'Output format' -r -f -a "text\t''
json\t''
yaml\t''"
complete -c meshctl -n "__fish_meshctl_using_subcommand uninstall" -l request-timeout -d 'How long to wait for one API request (e.g. 10s, 1m)' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand uninstall" -l istio -d 'Also run `istioctl uninstall --purge -y`'
complete -c meshctl -n "__fish_meshctl_using_subcommand uninstall" -l dry-run -d 'Show what would be removed and change nothing'
complete -c meshctl -n "__fish_meshctl_using_subcommand uninstall" -l no-color -d 'Never colour the output (also: the NO_COLOR variable); colour is used only on a terminal'
complete -c meshctl -n "__fish_meshctl_using_subcommand uninstall" -s v -l verbose -d 'Log what meshctl does to stderr; repeat for more detail (-vv, -vvv)'
complete -c meshctl -n "__fish_meshctl_using_subcommand uninstall" -s q -l quiet -d 'Print only the result: no progress, no status lines'
complete -c meshctl -n "__fish_meshctl_using_subcommand uninstall" -s h -l help -d 'Print help'
complete -c meshctl -n "__fish_meshctl_using_subcommand uninstall" -s V -l version -d 'Print version'
complete -c meshctl -n "__fish_meshctl_using_subcommand inject" -l deployment -d 'Deployments to restart (repeatable)' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand inject" -l revision -d 'Label istio.io/rev=REV instead of istio-injection=enabled' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand inject" -l timeout -d 'Limit for --wait, per Deployment' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand inject" -l kubeconfig -d 'Kubeconfig file [default: $KUBECONFIG, else ~/.kube/config, else in-cluster]' -r -F
complete -c meshctl -n "__fish_meshctl_using_subcommand inject" -l context -d 'Kubeconfig context to use [default: the current context]' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand inject" -s n -l namespace -d 'The application namespace [default: the config file\'s, else production]' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand inject" -s o -l output -d 'Output format' -r -f -a "text\t''
json\t''
yaml\t''"
complete -c meshctl -n "__fish_meshctl_using_subcommand inject" -l request-timeout -d 'How long to wait for one API request (e.g. 10s, 1m)' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand inject" -l all -d 'Restart every Deployment in the namespace'
complete -c meshctl -n "__fish_meshctl_using_subcommand inject" -l wait -d 'Follow each rollout to completion'
complete -c meshctl -n "__fish_meshctl_using_subcommand inject" -l force -d 'Replace a conflicting injection label (e.g. istio-injection=disabled, or the other label)'
complete -c meshctl -n "__fish_meshctl_using_subcommand inject" -l disable -d 'Remove the injection labels instead (and restart the selected Deployments without sidecars)'
complete -c meshctl -n "__fish_meshctl_using_subcommand inject" -l dry-run -d 'Show what would change and change nothing'
complete -c meshctl -n "__fish_meshctl_using_subcommand inject" -l no-color -d 'Never colour the output (also: the NO_COLOR variable); colour is used only on a terminal'
complete -c meshctl -n "__fish_meshctl_using_subcommand inject" -s v -l verbose -d 'Log what meshctl does to stderr; repeat for more detail (-vv, -vvv)'
complete -c meshctl -n "__fish_meshctl_using_subcommand inject" -s q -l quiet -d 'Print only the result: no progress, no status lines'
complete -c meshctl -n "__fish_meshctl_using_subcommand inject" -s h -l help -d 'Print help'
complete -c meshctl -n "__fish_meshctl_using_subcommand inject" -s V -l version -d 'Print version'
complete -c meshctl -n "__fish_meshctl_using_subcommand health" -l istio-namespace -d 'Namespace of the Istio control plane' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand health" -l service -d 'Service whose health endpoint the connectivity check calls' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand health" -l port -d 'Port of that Service' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand health" -l health-path -d 'Path of the health endpoint' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand health" -l wait -d 'Re-run the checks until all pass or this much time has gone by (e.g. 2m)' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand health" -l skip -d 'Do not run the check with this id (repeatable; --list shows the ids)' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand health" -l only -d 'Run only the checks of this group' -r -f -a "cluster\t''
control-plane\t''
data-plane\t''
config\t''
connectivity\t''"
complete -c meshctl -n "__fish_meshctl_using_subcommand health" -l kubeconfig -d 'Kubeconfig file [default: $KUBECONFIG, else ~/.kube/config, else in-cluster]' -r -F
complete -c meshctl -n "__fish_meshctl_using_subcommand health" -l context -d 'Kubeconfig context to use [default: the current context]' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand health" -s n -l namespace -d 'The application namespace [default: the config file\'s, else production]' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand health" -s o -l output -d 'Output format' -r -f -a "text\t''
json\t''
yaml\t''"
complete -c meshctl -n "__fish_meshctl_using_subcommand health" -l request-timeout -d 'How long to wait for one API request (e.g. 10s, 1m)' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand health" -l list -d 'List the checks (id, group, title, fatal, hint) without running them'
complete -c meshctl -n "__fish_meshctl_using_subcommand health" -l no-color -d 'Never colour the output (also: the NO_COLOR variable); colour is used only on a terminal'
complete -c meshctl -n "__fish_meshctl_using_subcommand health" -s v -l verbose -d 'Log what meshctl does to stderr; repeat for more detail (-vv, -vvv)'
complete -c meshctl -n "__fish_meshctl_using_subcommand health" -s q -l quiet -d 'Print only the result: no progress, no status lines'
complete -c meshctl -n "__fish_meshctl_using_subcommand health" -s h -l help -d 'Print help'
complete -c meshctl -n "__fish_meshctl_using_subcommand health" -s V -l version -d 'Print version'
complete -c meshctl -n "__fish_meshctl_using_subcommand troubleshoot" -l file -d 'Analyze these YAML files or directories instead of the cluster (repeatable)' -r -F
complete -c meshctl -n "__fish_meshctl_using_subcommand troubleshoot" -l fail-on -d 'Exit 1 when a finding of this severity or worse is found' -r -f -a "info\t''
warning\t''
error\t''"
complete -c meshctl -n "__fish_meshctl_using_subcommand troubleshoot" -l istio-namespace -d 'Namespace of the Istio control plane (mesh-wide policies, gateway pods and credentials)' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand troubleshoot" -l cert-expiry-days -d 'Warn about gateway certificates that expire within this many days' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand troubleshoot" -l log-lines -d 'Log lines per ingress gateway pod in `troubleshoot gateway`' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand troubleshoot" -l kubeconfig -d 'Kubeconfig file [default: $KUBECONFIG, else ~/.kube/config, else in-cluster]' -r -F
complete -c meshctl -n "__fish_meshctl_using_subcommand troubleshoot" -l context -d 'Kubeconfig context to use [default: the current context]' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand troubleshoot" -s n -l namespace -d 'The application namespace [default: the config file\'s, else production]' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand troubleshoot" -s o -l output -d 'Output format' -r -f -a "text\t''
json\t''
yaml\t''"
complete -c meshctl -n "__fish_meshctl_using_subcommand troubleshoot" -l request-timeout -d 'How long to wait for one API request (e.g. 10s, 1m)' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand troubleshoot" -l fix -d 'Apply the safe, reversible fixes (label the namespace, restart Deployments) after a prompt'
complete -c meshctl -n "__fish_meshctl_using_subcommand troubleshoot" -s y -l yes -d 'Do not ask before --fix'
complete -c meshctl -n "__fish_meshctl_using_subcommand troubleshoot" -l no-color -d 'Never colour the output (also: the NO_COLOR variable); colour is used only on a terminal'
complete -c meshctl -n "__fish_meshctl_using_subcommand troubleshoot" -s v -l verbose -d 'Log what meshctl does to stderr; repeat for more detail (-vv, -vvv)'
complete -c meshctl -n "__fish_meshctl_using_subcommand troubleshoot" -s q -l quiet -d 'Print only the result: no progress, no status lines'
complete -c meshctl -n "__fish_meshctl_using_subcommand troubleshoot" -s h -l help -d 'Print help'
complete -c meshctl -n "__fish_meshctl_using_subcommand troubleshoot" -s V -l version -d 'Print version'
complete -c meshctl -n "__fish_meshctl_using_subcommand traffic-test" -l namespace -d 'The application namespace (here only as --namespace: -n is the request count, as in hey)' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand traffic-test" -s n -l requests -d 'Number of requests [default: 100 unless -d is given]' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand traffic-test" -s d -l duration -d 'Run for this long instead of a request count (e.g. 30s)' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand traffic-test" -s c -l connections -d 'Concurrent connections' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand traffic-test" -s t -l threads -d 'Threads that send the load, like wrk\'s -t [default: one per core]. On a machine the server shares, fewer threads leave it more CPU' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand traffic-test" -l qps -d 'Constant arrival rate (requests per second over all connections); latency is then measured from each request\'s intended start (coordinated omission corrected)' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand traffic-test" -s m -l method -d 'HTTP method' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand traffic-test" -s H -l header -d 'Request header \'Name: value\' (repeatable)' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand traffic-test" -l body -d 'Request body' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand traffic-test" -l body-file -d 'Request body from a file' -r -F
complete -c meshctl -n "__fish_meshctl_using_subcommand traffic-test" -l streams -d 'Concurrent requests on each HTTP/2 connection, like h2load\'s -m: -c 10 --streams 10 keeps 100 requests in flight over 10 connections. Needs --http2 (HTTP/1.1 sends one request at a time per connection)' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand traffic-test" -l timeout -d 'Timeout of one request' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand traffic-test" -l host -d 'Host header (and TLS server name) to send, e.g. a VirtualService host through a gateway address' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand traffic-test" -l max-p99 -d 'Fail (exit 1) when p99 latency is above this (e.g. 250ms)' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand traffic-test" -l max-error-rate -d 'Fail when more than this share of requests fail (errors, 4xx, 5xx), e.g. 1%' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand traffic-test" -l min-rps -d 'Fail when fewer requests per second than this were completed' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand traffic-test" -l expect-status -d 'Fail when any response has another status (or any request errs)' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand traffic-test" -l expect-split -d 'Expected traffic split, e.g. v1=80,v2=20 (needs --split-by)' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand traffic-test" -l split-by -d 'Where the answering version is read: a response header (header:x-version) or a field of a JSON response body (body:version, body:build.version)' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand traffic-test" -l expect-fault -d 'Expected fault injection, e.g. abort=5%,delay=10%:5s (aborts answer 503 unless abort=5%:502)' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand traffic-test" -l from-config -d 'Take the expected split and faults from the VirtualService route the request matches: in the cluster, or in a YAML file of manifests (--from-config=FILE, e.g. from `manifests render`)' -r -F
complete -c meshctl -n "__fish_meshctl_using_subcommand traffic-test" -l virtual-service -d 'The VirtualService --from-config reads [default: the one whose hosts match the request]' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand traffic-test" -l destination -d 'Service that receives the traffic (NAME or NAME.NAMESPACE; repeatable): after the run, the mesh\'s own request counts for it are reported [default with --from-config: the route\'s]' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand traffic-test" -l prometheus -d 'Prometheus to read the mesh metrics from [default: the prometheus Service in --istio-namespace through the API server, else the destination pods\' Envoy stats]' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand traffic-test" -l metrics-wait -d 'How long to wait for Prometheus to scrape the requests of the run' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand traffic-test" -l istio-namespace -d 'Namespace of the Istio control plane (where Prometheus is looked for)' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand traffic-test" -l kubeconfig -d 'Kubeconfig file [default: $KUBECONFIG, else ~/.kube/config, else in-cluster]' -r -F
complete -c meshctl -n "__fish_meshctl_using_subcommand traffic-test" -l context -d 'Kubeconfig context to use [default: the current context]' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand traffic-test" -s o -l output -d 'Output format' -r -f -a "text\t''
json\t''
yaml\t''"
complete -c meshctl -n "__fish_meshctl_using_subcommand traffic-test" -l request-timeout -d 'How long to wait for one API request (e.g. 10s, 1m)' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand traffic-test" -l http2 -d 'Use HTTP/2 (prior knowledge over http://, ALPN over https://)'
complete -c meshctl -n "__fish_meshctl_using_subcommand traffic-test" -l insecure -d 'Do not verify the server\'s TLS certificate'
complete -c meshctl -n "__fish_meshctl_using_subcommand traffic-test" -l no-color -d 'Never colour the output (also: the NO_COLOR variable); colour is used only on a terminal'
complete -c meshctl -n "__fish_meshctl_using_subcommand traffic-test" -s v -l verbose -d 'Log what meshctl does to stderr; repeat for more detail (-vv, -vvv)'
complete -c meshctl -n "__fish_meshctl_using_subcommand traffic-test" -s q -l quiet -d 'Print only the result: no progress, no status lines'
complete -c meshctl -n "__fish_meshctl_using_subcommand traffic-test" -s h -l help -d 'Print help'
complete -c meshctl -n "__fish_meshctl_using_subcommand traffic-test" -s V -l version -d 'Print version'
complete -c meshctl -n "__fish_meshctl_using_subcommand manifests; and not __fish_seen_subcommand_from render help" -l kubeconfig -d 'Kubeconfig file [default: $KUBECONFIG, else ~/.kube/config, else in-cluster]' -r -F
complete -c meshctl -n "__fish_meshctl_using_subcommand manifests; and not __fish_seen_subcommand_from render help" -l context -d 'Kubeconfig context to use [default: the current context]' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand manifests; and not __fish_seen_subcommand_from render help" -s n -l namespace -d 'The application namespace [default: the config file\'s, else production]' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand manifests; and not __fish_seen_subcommand_from render help" -s o -l output -d 'Output format' -r -f -a "text\t''
json\t''
yaml\t''"
complete -c meshctl -n "__fish_meshctl_using_subcommand manifests; and not __fish_seen_subcommand_from render help" -l request-timeout -d 'How long to wait for one API request (e.g. 10s, 1m)' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand manifests; and not __fish_seen_subcommand_from render help" -l no-color -d 'Never colour the output (also: the NO_COLOR variable); colour is used only on a terminal'
complete -c meshctl -n "__fish_meshctl_using_subcommand manifests; and not __fish_seen_subcommand_from render help" -s v -l verbose -d 'Log what meshctl does to stderr; repeat for more detail (-vv, -vvv)'
complete -c meshctl -n "__fish_meshctl_using_subcommand manifests; and not __fish_seen_subcommand_from render help" -s q -l quiet -d 'Print only the result: no progress, no status lines'
complete -c meshctl -n "__fish_meshctl_using_subcommand manifests; and not __fish_seen_subcommand_from render help" -s h -l help -d 'Print help'
complete -c meshctl -n "__fish_meshctl_using_subcommand manifests; and not __fish_seen_subcommand_from render help" -s V -l version -d 'Print version'
complete -c meshctl -n "__fish_meshctl_using_subcommand manifests; and not __fish_seen_subcommand_from render help" -f -a "render" -d 'Print the exact YAML that `install` applies (no cluster needed)'
complete -c meshctl -n "__fish_meshctl_using_subcommand manifests; and not __fish_seen_subcommand_from render help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c meshctl -n "__fish_meshctl_using_subcommand manifests; and __fish_seen_subcommand_from render" -l config -d 'Config file with values for the manifests [default: the seed\'s values]' -r -F
complete -c meshctl -n "__fish_meshctl_using_subcommand manifests; and __fish_seen_subcommand_from render" -l kubeconfig -d 'Kubeconfig file [default: $KUBECONFIG, else ~/.kube/config, else in-cluster]' -r -F
complete -c meshctl -n "__fish_meshctl_using_subcommand manifests; and __fish_seen_subcommand_from render" -l context -d 'Kubeconfig context to use [default: the current context]' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand manifests; and __fish_seen_subcommand_from render" -s n -l namespace -d 'The application namespace [default: the config file\'s, else production]' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand manifests; and __fish_seen_subcommand_from render" -s o -l output -d 'Output format' -r -f -a "text\t''
json\t''
yaml\t''"
complete -c meshctl -n "__fish_meshctl_using_subcommand manifests; and __fish_seen_subcommand_from render" -l request-timeout -d 'How long to wait for one API request (e.g. 10s, 1m)' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand manifests; and __fish_seen_subcommand_from render" -l no-color -d 'Never colour the output (also: the NO_COLOR variable); colour is used only on a terminal'
complete -c meshctl -n "__fish_meshctl_using_subcommand manifests; and __fish_seen_subcommand_from render" -s v -l verbose -d 'Log what meshctl does to stderr; repeat for more detail (-vv, -vvv)'
complete -c meshctl -n "__fish_meshctl_using_subcommand manifests; and __fish_seen_subcommand_from render" -s q -l quiet -d 'Print only the result: no progress, no status lines'
complete -c meshctl -n "__fish_meshctl_using_subcommand manifests; and __fish_seen_subcommand_from render" -s h -l help -d 'Print help'
complete -c meshctl -n "__fish_meshctl_using_subcommand manifests; and __fish_seen_subcommand_from render" -s V -l version -d 'Print version'
complete -c meshctl -n "__fish_meshctl_using_subcommand manifests; and __fish_seen_subcommand_from help" -f -a "render" -d 'Print the exact YAML that `install` applies (no cluster needed)'
complete -c meshctl -n "__fish_meshctl_using_subcommand manifests; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c meshctl -n "__fish_meshctl_using_subcommand completions" -l kubeconfig -d 'Kubeconfig file [default: $KUBECONFIG, else ~/.kube/config, else in-cluster]' -r -F
complete -c meshctl -n "__fish_meshctl_using_subcommand completions" -l context -d 'Kubeconfig context to use [default: the current context]' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand completions" -s n -l namespace -d 'The application namespace [default: the config file\'s, else production]' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand completions" -s o -l output -d 'Output format' -r -f -a "text\t''
json\t''
yaml\t''"
complete -c meshctl -n "__fish_meshctl_using_subcommand completions" -l request-timeout -d 'How long to wait for one API request (e.g. 10s, 1m)' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand completions" -l no-color -d 'Never colour the output (also: the NO_COLOR variable); colour is used only on a terminal'
complete -c meshctl -n "__fish_meshctl_using_subcommand completions" -s v -l verbose -d 'Log what meshctl does to stderr; repeat for more detail (-vv, -vvv)'
complete -c meshctl -n "__fish_meshctl_using_subcommand completions" -s q -l quiet -d 'Print only the result: no progress, no status lines'
complete -c meshctl -n "__fish_meshctl_using_subcommand completions" -s h -l help -d 'Print help'
complete -c meshctl -n "__fish_meshctl_using_subcommand completions" -s V -l version -d 'Print version'
complete -c meshctl -n "__fish_meshctl_using_subcommand help; and not __fish_seen_subcommand_from install uninstall inject health troubleshoot traffic-test manifests completions help" -f -a "install" -d 'Install Istio with istioctl, label the namespace for injection and apply the mesh manifests'
complete -c meshctl -n "__fish_meshctl_using_subcommand help; and not __fish_seen_subcommand_from install uninstall inject health troubleshoot traffic-test manifests completions help" -f -a "uninstall" -d 'Remove the objects install applied (those labelled managed-by=meshctl) and, with --istio, Istio'
complete -c meshctl -n "__fish_meshctl_using_subcommand help; and not __fish_seen_subcommand_from install uninstall inject health troubleshoot traffic-test manifests completions help" -f -a "inject" -d 'Label a namespace for sidecar injection and restart its Deployments so they get the sidecar'
complete -c meshctl -n "__fish_meshctl_using_subcommand help; and not __fish_seen_subcommand_from install uninstall inject health troubleshoot traffic-test manifests completions help" -f -a "health" -d 'Check the mesh: cluster, control plane, data plane, config and connectivity'
complete -c meshctl -n "__fish_meshctl_using_subcommand help; and not __fish_seen_subcommand_from install uninstall inject health troubleshoot traffic-test manifests completions help" -f -a "troubleshoot" -d 'Find mesh misconfigurations in the cluster, or in YAML files with --file (no cluster needed)'
complete -c meshctl -n "__fish_meshctl_using_subcommand help; and not __fish_seen_subcommand_from install uninstall inject health troubleshoot traffic-test manifests completions help" -f -a "traffic-test" -d 'Send load to a URL and check latency, errors, and that traffic follows the mesh config'
complete -c meshctl -n "__fish_meshctl_using_subcommand help; and not __fish_seen_subcommand_from install uninstall inject health troubleshoot traffic-test manifests completions help" -f -a "manifests" -d 'Work with the embedded mesh manifests'
complete -c meshctl -n "__fish_meshctl_using_subcommand help; and not __fish_seen_subcommand_from install uninstall inject health troubleshoot traffic-test manifests completions help" -f -a "completions" -d 'Print a shell completion script to stdout'
complete -c meshctl -n "__fish_meshctl_using_subcommand help; and not __fish_seen_subcommand_from install uninstall inject health troubleshoot traffic-test manifests completions help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c meshctl -n "__fish_meshctl_using_subcommand help; and __fish_seen_subcommand_from manifests" -f -a "render" -d 'Print the exact YAML that `install` applies (no cluster needed)'
