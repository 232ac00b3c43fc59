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
complete -c meshctl -n "__fish_meshctl_needs_command" -f -a "inject" -d 'Label a namespace for sidecar injection and restart its Deployments so they get the sidecar, or (--mode ambient) enrol it in ambient mode'
complete -c meshctl -n "__fish_meshctl_needs_command" -f -a "waypoint" -d 'Manage waypoints: the proxies istiod deploys for L7 policy and routing in ambient namespaces'
complete -c meshctl -n "__fish_meshctl_needs_command" -f -a "health" -d 'Check the mesh: cluster, control plane, data plane, config and connectivity'
complete -c meshctl -n "__fish_meshctl_needs_command" -f -a "troubleshoot" -d 'Find mesh misconfigurations in the cluster, or in YAML files with --file (no cluster needed)'
complete -c meshctl -n "__fish_meshctl_needs_command" -f -a "traffic-test" -d 'Send load to a URL and check latency, errors, and that traffic follows the mesh config'
complete -c meshctl -n "__fish_meshctl_needs_command" -f -a "manifests" -d 'Work with the embedded mesh manifests'
complete -c meshctl -n "__fish_meshctl_needs_command" -f -a "addons" -d 'Install, inspect and remove Istio\'s observability addons (Prometheus, Grafana, Kiali, Jaeger, Loki): the samples/addons manifests of the pinned Istio release'
complete -c meshctl -n "__fish_meshctl_needs_command" -f -a "dashboard" -d 'Open a dashboard through a port-forward to its pod (like istioctl dashboard): prints the URL, opens a browser when run on a terminal, and forwards until Ctrl-C'
complete -c meshctl -n "__fish_meshctl_needs_command" -f -a "completions" -d 'Print a shell completion script to stdout'
complete -c meshctl -n "__fish_meshctl_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c meshctl -n "__fish_meshctl_using_subcommand install" -l istioctl -d 'Use this istioctl binary instead of the cached or downloaded one' -r -F
complete -c meshctl -n "__fish_meshctl_using_subcommand install" -l istio-version -d 'Istio version to download and install' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand install" -l mirror -d 'Release mirror (https://, http:// or file://); archives are <mirror>/<version>/istioctl-<version>-<os>-<arch>.tar.gz' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand install" -l config -d 'Config file with values for the manifests [default: the seed\'s values]' -r -F
complete -c meshctl -n "__fish_meshctl_using_subcommand install" -l profile -d 'istioctl profile: demo, default, minimal, … or ambient (ztunnel and istio-cni on every node, no ingress gateway; install waits until both DaemonSets have every pod ready)' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand install" -l set -d 'Passed to istioctl install as --set KEY=VALUE (repeatable)' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand install" -l revision -d 'Install a revision; the namespace is then labelled istio.io/rev=REV' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand install" -l istio-namespace -d 'Namespace of the Istio control plane' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand install" -l timeout -d 'How long to wait for istiod and the gateways' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand install" -l api -d 'Traffic API of the routing manifests: Istio\'s or the Gateway API\'s (as `manifests render --api`); gateway-api also installs the Gateway API CRDs when Istio is left alone' -r -f -a "istio\t''
gateway-api\t''"
complete -c meshctl -n "__fish_meshctl_using_subcommand install" -l gateway-api-proxy -d 'Go module proxy the Gateway API CRDs come from (https://, http:// or file://; GOPROXY layout); the module is verified against the go.sum hash built into meshctl' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand install" -l addons -d 'Also install these observability addons of the release, comma-separated (as `meshctl addons install`)' -r -f -a "prometheus\t''
grafana\t''
kiali\t''
jaeger\t''
loki\t''"
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
complete -c meshctl -n "__fish_meshctl_using_subcommand install" -l skip-gateway-api-crds -d 'Leave the Gateway API CRDs alone (the platform manages them)'
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
complete -c meshctl -n "__fish_meshctl_using_subcommand inject" -l mode -d 'sidecar: istio-injection=enabled and restarts. ambient: istio.io/dataplane-mode=ambient, no restart; a namespace that ran sidecars moves in order (--waypoint, the dataplane label, the injection label removed, Deployments with sidecars restarted and followed), each step checked before the next' -r -f -a "sidecar\t''
ambient\t''"
complete -c meshctl -n "__fish_meshctl_using_subcommand inject" -l waypoint -d 'With --mode ambient: first apply this waypoint, wait until it is Programmed and label the namespace istio.io/use-waypoint=NAME' -r
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
complete -c meshctl -n "__fish_meshctl_using_subcommand inject" -l force -d 'Replace a conflicting injection label (e.g. istio-injection=disabled, or the other label; with --mode ambient, another istio.io/dataplane-mode or use-waypoint value)'
complete -c meshctl -n "__fish_meshctl_using_subcommand inject" -l disable -d 'Remove the injection labels instead (and restart the selected Deployments without sidecars); with --mode ambient, remove the ambient labels (nothing restarts)'
complete -c meshctl -n "__fish_meshctl_using_subcommand inject" -l dry-run -d 'Show what would change and change nothing'
complete -c meshctl -n "__fish_meshctl_using_subcommand inject" -l no-color -d 'Never colour the output (also: the NO_COLOR variable); colour is used only on a terminal'
complete -c meshctl -n "__fish_meshctl_using_subcommand inject" -s v -l verbose -d 'Log what meshctl does to stderr; repeat for more detail (-vv, -vvv)'
complete -c meshctl -n "__fish_meshctl_using_subcommand inject" -s q -l quiet -d 'Print only the result: no progress, no status lines'
complete -c meshctl -n "__fish_meshctl_using_subcommand inject" -s h -l help -d 'Print help'
complete -c meshctl -n "__fish_meshctl_using_subcommand inject" -s V -l version -d 'Print version'
complete -c meshctl -n "__fish_meshctl_using_subcommand waypoint; and not __fish_seen_subcommand_from apply list status delete help" -l kubeconfig -d 'Kubeconfig file [default: $KUBECONFIG, else ~/.kube/config, else in-cluster]' -r -F
complete -c meshctl -n "__fish_meshctl_using_subcommand waypoint; and not __fish_seen_subcommand_from apply list status delete help" -l context -d 'Kubeconfig context to use [default: the current context]' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand waypoint; and not __fish_seen_subcommand_from apply list status delete help" -s n -l namespace -d 'The application namespace [default: the config file\'s, else production]' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand waypoint; and not __fish_seen_subcommand_from apply list status delete help" -s o -l output -d 'Output format' -r -f -a "text\t''
json\t''
yaml\t''"
complete -c meshctl -n "__fish_meshctl_using_subcommand waypoint; and not __fish_seen_subcommand_from apply list status delete help" -l request-timeout -d 'How long to wait for one API request (e.g. 10s, 1m)' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand waypoint; and not __fish_seen_subcommand_from apply list status delete help" -l no-color -d 'Never colour the output (also: the NO_COLOR variable); colour is used only on a terminal'
complete -c meshctl -n "__fish_meshctl_using_subcommand waypoint; and not __fish_seen_subcommand_from apply list status delete help" -s v -l verbose -d 'Log what meshctl does to stderr; repeat for more detail (-vv, -vvv)'
complete -c meshctl -n "__fish_meshctl_using_subcommand waypoint; and not __fish_seen_subcommand_from apply list status delete help" -s q -l quiet -d 'Print only the result: no progress, no status lines'
complete -c meshctl -n "__fish_meshctl_using_subcommand waypoint; and not __fish_seen_subcommand_from apply list status delete help" -s h -l help -d 'Print help'
complete -c meshctl -n "__fish_meshctl_using_subcommand waypoint; and not __fish_seen_subcommand_from apply list status delete help" -s V -l version -d 'Print version'
complete -c meshctl -n "__fish_meshctl_using_subcommand waypoint; and not __fish_seen_subcommand_from apply list status delete help" -f -a "apply" -d 'Apply a waypoint (a Gateway of class istio-waypoint) in the namespace given with -n'
complete -c meshctl -n "__fish_meshctl_using_subcommand waypoint; and not __fish_seen_subcommand_from apply list status delete help" -f -a "list" -d 'List the waypoints with their traffic type and whether istiod programmed them'
complete -c meshctl -n "__fish_meshctl_using_subcommand waypoint; and not __fish_seen_subcommand_from apply list status delete help" -f -a "status" -d 'Show each waypoint\'s Programmed condition, its Deployment and what uses it; exit 1 when one is not Programmed or not ready'
complete -c meshctl -n "__fish_meshctl_using_subcommand waypoint; and not __fish_seen_subcommand_from apply list status delete help" -f -a "delete" -d 'Delete waypoints by name, or all of them in the namespace with --all'
complete -c meshctl -n "__fish_meshctl_using_subcommand waypoint; and not __fish_seen_subcommand_from apply list status delete help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c meshctl -n "__fish_meshctl_using_subcommand waypoint; and __fish_seen_subcommand_from apply" -l name -d 'The waypoint\'s name' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand waypoint; and __fish_seen_subcommand_from apply" -l for -d 'Traffic the waypoint handles (the istio.io/waypoint-for label) [default: istiod\'s, service]' -r -f -a "service\t''
workload\t''
all\t''
none\t''"
complete -c meshctl -n "__fish_meshctl_using_subcommand waypoint; and __fish_seen_subcommand_from apply" -l timeout -d 'Limit for --wait' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand waypoint; and __fish_seen_subcommand_from apply" -l kubeconfig -d 'Kubeconfig file [default: $KUBECONFIG, else ~/.kube/config, else in-cluster]' -r -F
complete -c meshctl -n "__fish_meshctl_using_subcommand waypoint; and __fish_seen_subcommand_from apply" -l context -d 'Kubeconfig context to use [default: the current context]' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand waypoint; and __fish_seen_subcommand_from apply" -s n -l namespace -d 'The application namespace [default: the config file\'s, else production]' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand waypoint; and __fish_seen_subcommand_from apply" -s o -l output -d 'Output format' -r -f -a "text\t''
json\t''
yaml\t''"
complete -c meshctl -n "__fish_meshctl_using_subcommand waypoint; and __fish_seen_subcommand_from apply" -l request-timeout -d 'How long to wait for one API request (e.g. 10s, 1m)' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand waypoint; and __fish_seen_subcommand_from apply" -l enroll-namespace -d 'Label the namespace istio.io/use-waypoint=NAME once the waypoint is applied'
complete -c meshctl -n "__fish_meshctl_using_subcommand waypoint; and __fish_seen_subcommand_from apply" -l overwrite -d 'With --enroll-namespace: replace a label that names another waypoint'
complete -c meshctl -n "__fish_meshctl_using_subcommand waypoint; and __fish_seen_subcommand_from apply" -l wait -d 'Wait until istiod reports the waypoint Programmed (before enrolling the namespace)'
complete -c meshctl -n "__fish_meshctl_using_subcommand waypoint; and __fish_seen_subcommand_from apply" -l no-color -d 'Never colour the output (also: the NO_COLOR variable); colour is used only on a terminal'
complete -c meshctl -n "__fish_meshctl_using_subcommand waypoint; and __fish_seen_subcommand_from apply" -s v -l verbose -d 'Log what meshctl does to stderr; repeat for more detail (-vv, -vvv)'
complete -c meshctl -n "__fish_meshctl_using_subcommand waypoint; and __fish_seen_subcommand_from apply" -s q -l quiet -d 'Print only the result: no progress, no status lines'
complete -c meshctl -n "__fish_meshctl_using_subcommand waypoint; and __fish_seen_subcommand_from apply" -s h -l help -d 'Print help'
complete -c meshctl -n "__fish_meshctl_using_subcommand waypoint; and __fish_seen_subcommand_from apply" -s V -l version -d 'Print version'
complete -c meshctl -n "__fish_meshctl_using_subcommand waypoint; and __fish_seen_subcommand_from list" -l kubeconfig -d 'Kubeconfig file [default: $KUBECONFIG, else ~/.kube/config, else in-cluster]' -r -F
complete -c meshctl -n "__fish_meshctl_using_subcommand waypoint; and __fish_seen_subcommand_from list" -l context -d 'Kubeconfig context to use [default: the current context]' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand waypoint; and __fish_seen_subcommand_from list" -s n -l namespace -d 'The application namespace [default: the config file\'s, else production]' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand waypoint; and __fish_seen_subcommand_from list" -s o -l output -d 'Output format' -r -f -a "text\t''
json\t''
yaml\t''"
complete -c meshctl -n "__fish_meshctl_using_subcommand waypoint; and __fish_seen_subcommand_from list" -l request-timeout -d 'How long to wait for one API request (e.g. 10s, 1m)' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand waypoint; and __fish_seen_subcommand_from list" -s A -l all-namespaces -d 'Every namespace instead of the one given with -n'
complete -c meshctl -n "__fish_meshctl_using_subcommand waypoint; and __fish_seen_subcommand_from list" -l no-color -d 'Never colour the output (also: the NO_COLOR variable); colour is used only on a terminal'
complete -c meshctl -n "__fish_meshctl_using_subcommand waypoint; and __fish_seen_subcommand_from list" -s v -l verbose -d 'Log what meshctl does to stderr; repeat for more detail (-vv, -vvv)'
complete -c meshctl -n "__fish_meshctl_using_subcommand waypoint; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Print only the result: no progress, no status lines'
complete -c meshctl -n "__fish_meshctl_using_subcommand waypoint; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help'
complete -c meshctl -n "__fish_meshctl_using_subcommand waypoint; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c meshctl -n "__fish_meshctl_using_subcommand waypoint; and __fish_seen_subcommand_from status" -l kubeconfig -d 'Kubeconfig file [default: $KUBECONFIG, else ~/.kube/config, else in-cluster]' -r -F
complete -c meshctl -n "__fish_meshctl_using_subcommand waypoint; and __fish_seen_subcommand_from status" -l context -d 'Kubeconfig context to use [default: the current context]' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand waypoint; and __fish_seen_subcommand_from status" -s n -l namespace -d 'The application namespace [default: the config file\'s, else production]' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand waypoint; and __fish_seen_subcommand_from status" -s o -l output -d 'Output format' -r -f -a "text\t''
json\t''
yaml\t''"
complete -c meshctl -n "__fish_meshctl_using_subcommand waypoint; and __fish_seen_subcommand_from status" -l request-timeout -d 'How long to wait for one API request (e.g. 10s, 1m)' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand waypoint; and __fish_seen_subcommand_from status" -s A -l all-namespaces -d 'Every namespace instead of the one given with -n'
complete -c meshctl -n "__fish_meshctl_using_subcommand waypoint; and __fish_seen_subcommand_from status" -l no-color -d 'Never colour the output (also: the NO_COLOR variable); colour is used only on a terminal'
complete -c meshctl -n "__fish_meshctl_using_subcommand waypoint; and __fish_seen_subcommand_from status" -s v -l verbose -d 'Log what meshctl does to stderr; repeat for more detail (-vv, -vvv)'
complete -c meshctl -n "__fish_meshctl_using_subcommand waypoint; and __fish_seen_subcommand_from status" -s q -l quiet -d 'Print only the result: no progress, no status lines'
complete -c meshctl -n "__fish_meshctl_using_subcommand waypoint; and __fish_seen_subcommand_from status" -s h -l help -d 'Print help'
complete -c meshctl -n "__fish_meshctl_using_subcommand waypoint; and __fish_seen_subcommand_from status" -s V -l version -d 'Print version'
complete -c meshctl -n "__fish_meshctl_using_subcommand waypoint; and __fish_seen_subcommand_from delete" -l kubeconfig -d 'Kubeconfig file [default: $KUBECONFIG, else ~/.kube/config, else in-cluster]' -r -F
complete -c meshctl -n "__fish_meshctl_using_subcommand waypoint; and __fish_seen_subcommand_from delete" -l context -d 'Kubeconfig context to use [default: the current context]' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand waypoint; and __fish_seen_subcommand_from delete" -s n -l namespace -d 'The application namespace [default: the config file\'s, else production]' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand waypoint; and __fish_seen_subcommand_from delete" -s o -l output -d 'Output format' -r -f -a "text\t''
json\t''
yaml\t''"
complete -c meshctl -n "__fish_meshctl_using_subcommand waypoint; and __fish_seen_subcommand_from delete" -l request-timeout -d 'How long to wait for one API request (e.g. 10s, 1m)' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand waypoint; and __fish_seen_subcommand_from delete" -l all -d 'Delete every waypoint in the namespace'
complete -c meshctl -n "__fish_meshctl_using_subcommand waypoint; and __fish_seen_subcommand_from delete" -l no-color -d 'Never colour the output (also: the NO_COLOR variable); colour is used only on a terminal'
complete -c meshctl -n "__fish_meshctl_using_subcommand waypoint; and __fish_seen_subcommand_from delete" -s v -l verbose -d 'Log what meshctl does to stderr; repeat for more detail (-vv, -vvv)'
complete -c meshctl -n "__fish_meshctl_using_subcommand waypoint; and __fish_seen_subcommand_from delete" -s q -l quiet -d 'Print only the result: no progress, no status lines'
complete -c meshctl -n "__fish_meshctl_using_subcommand waypoint; and __fish_seen_subcommand_from delete" -s h -l help -d 'Print help'
complete -c meshctl -n "__fish_meshctl_using_subcommand waypoint; and __fish_seen_subcommand_from delete" -s V -l version -d 'Print version'
complete -c meshctl -n "__fish_meshctl_using_subcommand waypoint; and __fish_seen_subcommand_from help" -f -a "apply" -d 'Apply a waypoint (a Gateway of class istio-waypoint) in the namespace given with -n'
complete -c meshctl -n "__fish_meshctl_using_subcommand waypoint; and __fish_seen_subcommand_from help" -f -a "list" -d 'List the waypoints with their traffic type and whether istiod programmed them'
complete -c meshctl -n "__fish_meshctl_using_subcommand waypoint; and __fish_seen_subcommand_from help" -f -a "status" -d 'Show each waypoint\'s Programmed condition, its Deployment and what uses it; exit 1 when one is not Programmed or not ready'
complete -c meshctl -n "__fish_meshctl_using_subcommand waypoint; and __fish_seen_subcommand_from help" -f -a "delete" -d 'Delete waypoints by name, or all of them in the namespace with --all'
complete -c meshctl -n "__fish_meshctl_using_subcommand waypoint; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
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
connectivity\t''
observability\t''"
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
complete -c meshctl -n "__fish_meshctl_using_subcommand troubleshoot" -l file -d 'Analyze these YAML/JSON files or directories instead of the cluster, every namespace they hold; `-` reads standard input (repeatable)' -r -F
complete -c meshctl -n "__fish_meshctl_using_subcommand troubleshoot" -l suppress -d 'Hide a finding: CODE=Kind/namespace/name (or Kind/name), `*` for any part; CODE is a MESH or IST code (repeatable). Objects annotated galley.istio.io/analyze-suppress=CODE[,CODE] are hidden too' -r
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
complete -c meshctl -n "__fish_meshctl_using_subcommand troubleshoot" -s A -l all-namespaces -d 'Analyze every namespace of the cluster, not only -n'
complete -c meshctl -n "__fish_meshctl_using_subcommand troubleshoot" -l list-codes -d 'Print every finding code with its Istio code, severity, category and fix, and exit'
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
complete -c meshctl -n "__fish_meshctl_using_subcommand traffic-test" -s t -l threads -d 'Threads that send the load, like wrk\'s -t [default: one per core, one fewer when the target is a loopback address, whose server (or port-forward) needs a core too]' -r
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
complete -c meshctl -n "__fish_meshctl_using_subcommand traffic-test" -l from-config -d 'Take the expected split and faults from the route the request matches (a VirtualService\'s HTTP route, or an HTTPRoute rule\'s weighted backendRefs): in the cluster, or in a YAML file of manifests (--from-config=FILE, e.g. from `manifests render [--api gateway-api]`)' -r -F
complete -c meshctl -n "__fish_meshctl_using_subcommand traffic-test" -l route -d 'The route --from-config reads: NAME, HTTPRoute/NAME or VirtualService/NAME [default: the VirtualService or HTTPRoutes whose hosts match the request]' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand traffic-test" -l virtual-service -d 'The VirtualService --from-config reads (the same as --route VirtualService/NAME)' -r
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
complete -c meshctl -n "__fish_meshctl_using_subcommand manifests; and __fish_seen_subcommand_from render" -l api -d 'Traffic API of the routing: Istio\'s (Gateway, VirtualService, DestinationRule subsets) or the Gateway API (Gateway of class istio, HTTPRoutes, a Service per canary version, authorization with targetRefs for ambient); what it cannot express is said on stderr and at the top of the YAML' -r -f -a "istio\t''
gateway-api\t''"
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
complete -c meshctl -n "__fish_meshctl_using_subcommand addons; and not __fish_seen_subcommand_from install status uninstall help" -l kubeconfig -d 'Kubeconfig file [default: $KUBECONFIG, else ~/.kube/config, else in-cluster]' -r -F
complete -c meshctl -n "__fish_meshctl_using_subcommand addons; and not __fish_seen_subcommand_from install status uninstall help" -l context -d 'Kubeconfig context to use [default: the current context]' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand addons; and not __fish_seen_subcommand_from install status uninstall help" -s n -l namespace -d 'The application namespace [default: the config file\'s, else production]' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand addons; and not __fish_seen_subcommand_from install status uninstall help" -s o -l output -d 'Output format' -r -f -a "text\t''
json\t''
yaml\t''"
complete -c meshctl -n "__fish_meshctl_using_subcommand addons; and not __fish_seen_subcommand_from install status uninstall help" -l request-timeout -d 'How long to wait for one API request (e.g. 10s, 1m)' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand addons; and not __fish_seen_subcommand_from install status uninstall help" -l no-color -d 'Never colour the output (also: the NO_COLOR variable); colour is used only on a terminal'
complete -c meshctl -n "__fish_meshctl_using_subcommand addons; and not __fish_seen_subcommand_from install status uninstall help" -s v -l verbose -d 'Log what meshctl does to stderr; repeat for more detail (-vv, -vvv)'
complete -c meshctl -n "__fish_meshctl_using_subcommand addons; and not __fish_seen_subcommand_from install status uninstall help" -s q -l quiet -d 'Print only the result: no progress, no status lines'
complete -c meshctl -n "__fish_meshctl_using_subcommand addons; and not __fish_seen_subcommand_from install status uninstall help" -s h -l help -d 'Print help'
complete -c meshctl -n "__fish_meshctl_using_subcommand addons; and not __fish_seen_subcommand_from install status uninstall help" -s V -l version -d 'Print version'
complete -c meshctl -n "__fish_meshctl_using_subcommand addons; and not __fish_seen_subcommand_from install status uninstall help" -f -a "install" -d 'Server-side apply the addons\' manifests (field manager meshctl) and wait until they are ready'
complete -c meshctl -n "__fish_meshctl_using_subcommand addons; and not __fish_seen_subcommand_from install status uninstall help" -f -a "status" -d 'Show each addon\'s version, readiness and in-cluster URL'
complete -c meshctl -n "__fish_meshctl_using_subcommand addons; and not __fish_seen_subcommand_from install status uninstall help" -f -a "uninstall" -d 'Delete the addons\' objects that meshctl applied (those carrying its meshctl.io/addon label)'
complete -c meshctl -n "__fish_meshctl_using_subcommand addons; and not __fish_seen_subcommand_from install status uninstall help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c meshctl -n "__fish_meshctl_using_subcommand addons; and __fish_seen_subcommand_from install" -l istio-version -d 'Istio release whose addons to use' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand addons; and __fish_seen_subcommand_from install" -l mirror -d 'Release mirror (https://, http:// or file://); the archive is <mirror>/<version>/istio-<version>-<os>-<arch>.tar.gz' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand addons; and __fish_seen_subcommand_from install" -l istio-namespace -d 'Namespace for the addons\' objects (the release\'s manifests use istio-system; the URLs in the addons\' own config are left as the release wrote them)' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand addons; and __fish_seen_subcommand_from install" -l timeout -d 'How long to wait for the addons\' workloads to become ready (install)' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand addons; and __fish_seen_subcommand_from install" -l kubeconfig -d 'Kubeconfig file [default: $KUBECONFIG, else ~/.kube/config, else in-cluster]' -r -F
complete -c meshctl -n "__fish_meshctl_using_subcommand addons; and __fish_seen_subcommand_from install" -l context -d 'Kubeconfig context to use [default: the current context]' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand addons; and __fish_seen_subcommand_from install" -s n -l namespace -d 'The application namespace [default: the config file\'s, else production]' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand addons; and __fish_seen_subcommand_from install" -s o -l output -d 'Output format' -r -f -a "text\t''
json\t''
yaml\t''"
complete -c meshctl -n "__fish_meshctl_using_subcommand addons; and __fish_seen_subcommand_from install" -l request-timeout -d 'How long to wait for one API request (e.g. 10s, 1m)' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand addons; and __fish_seen_subcommand_from install" -l all -d 'Every addon'
complete -c meshctl -n "__fish_meshctl_using_subcommand addons; and __fish_seen_subcommand_from install" -l dry-run -d 'Show what would change (server-side dry run) and change nothing'
complete -c meshctl -n "__fish_meshctl_using_subcommand addons; and __fish_seen_subcommand_from install" -l no-color -d 'Never colour the output (also: the NO_COLOR variable); colour is used only on a terminal'
complete -c meshctl -n "__fish_meshctl_using_subcommand addons; and __fish_seen_subcommand_from install" -s v -l verbose -d 'Log what meshctl does to stderr; repeat for more detail (-vv, -vvv)'
complete -c meshctl -n "__fish_meshctl_using_subcommand addons; and __fish_seen_subcommand_from install" -s q -l quiet -d 'Print only the result: no progress, no status lines'
complete -c meshctl -n "__fish_meshctl_using_subcommand addons; and __fish_seen_subcommand_from install" -s h -l help -d 'Print help'
complete -c meshctl -n "__fish_meshctl_using_subcommand addons; and __fish_seen_subcommand_from install" -s V -l version -d 'Print version'
complete -c meshctl -n "__fish_meshctl_using_subcommand addons; and __fish_seen_subcommand_from status" -l istio-namespace -d 'Where the addons run' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand addons; and __fish_seen_subcommand_from status" -l kubeconfig -d 'Kubeconfig file [default: $KUBECONFIG, else ~/.kube/config, else in-cluster]' -r -F
complete -c meshctl -n "__fish_meshctl_using_subcommand addons; and __fish_seen_subcommand_from status" -l context -d 'Kubeconfig context to use [default: the current context]' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand addons; and __fish_seen_subcommand_from status" -s n -l namespace -d 'The application namespace [default: the config file\'s, else production]' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand addons; and __fish_seen_subcommand_from status" -s o -l output -d 'Output format' -r -f -a "text\t''
json\t''
yaml\t''"
complete -c meshctl -n "__fish_meshctl_using_subcommand addons; and __fish_seen_subcommand_from status" -l request-timeout -d 'How long to wait for one API request (e.g. 10s, 1m)' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand addons; and __fish_seen_subcommand_from status" -l no-color -d 'Never colour the output (also: the NO_COLOR variable); colour is used only on a terminal'
complete -c meshctl -n "__fish_meshctl_using_subcommand addons; and __fish_seen_subcommand_from status" -s v -l verbose -d 'Log what meshctl does to stderr; repeat for more detail (-vv, -vvv)'
complete -c meshctl -n "__fish_meshctl_using_subcommand addons; and __fish_seen_subcommand_from status" -s q -l quiet -d 'Print only the result: no progress, no status lines'
complete -c meshctl -n "__fish_meshctl_using_subcommand addons; and __fish_seen_subcommand_from status" -s h -l help -d 'Print help'
complete -c meshctl -n "__fish_meshctl_using_subcommand addons; and __fish_seen_subcommand_from status" -s V -l version -d 'Print version'
complete -c meshctl -n "__fish_meshctl_using_subcommand addons; and __fish_seen_subcommand_from uninstall" -l istio-version -d 'Istio release whose addons to use' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand addons; and __fish_seen_subcommand_from uninstall" -l mirror -d 'Release mirror (https://, http:// or file://); the archive is <mirror>/<version>/istio-<version>-<os>-<arch>.tar.gz' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand addons; and __fish_seen_subcommand_from uninstall" -l istio-namespace -d 'Namespace for the addons\' objects (the release\'s manifests use istio-system; the URLs in the addons\' own config are left as the release wrote them)' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand addons; and __fish_seen_subcommand_from uninstall" -l timeout -d 'How long to wait for the addons\' workloads to become ready (install)' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand addons; and __fish_seen_subcommand_from uninstall" -l kubeconfig -d 'Kubeconfig file [default: $KUBECONFIG, else ~/.kube/config, else in-cluster]' -r -F
complete -c meshctl -n "__fish_meshctl_using_subcommand addons; and __fish_seen_subcommand_from uninstall" -l context -d 'Kubeconfig context to use [default: the current context]' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand addons; and __fish_seen_subcommand_from uninstall" -s n -l namespace -d 'The application namespace [default: the config file\'s, else production]' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand addons; and __fish_seen_subcommand_from uninstall" -s o -l output -d 'Output format' -r -f -a "text\t''
json\t''
yaml\t''"
complete -c meshctl -n "__fish_meshctl_using_subcommand addons; and __fish_seen_subcommand_from uninstall" -l request-timeout -d 'How long to wait for one API request (e.g. 10s, 1m)' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand addons; and __fish_seen_subcommand_from uninstall" -l all -d 'Every addon'
complete -c meshctl -n "__fish_meshctl_using_subcommand addons; and __fish_seen_subcommand_from uninstall" -l dry-run -d 'Show what would change (server-side dry run) and change nothing'
complete -c meshctl -n "__fish_meshctl_using_subcommand addons; and __fish_seen_subcommand_from uninstall" -l no-color -d 'Never colour the output (also: the NO_COLOR variable); colour is used only on a terminal'
complete -c meshctl -n "__fish_meshctl_using_subcommand addons; and __fish_seen_subcommand_from uninstall" -s v -l verbose -d 'Log what meshctl does to stderr; repeat for more detail (-vv, -vvv)'
complete -c meshctl -n "__fish_meshctl_using_subcommand addons; and __fish_seen_subcommand_from uninstall" -s q -l quiet -d 'Print only the result: no progress, no status lines'
complete -c meshctl -n "__fish_meshctl_using_subcommand addons; and __fish_seen_subcommand_from uninstall" -s h -l help -d 'Print help'
complete -c meshctl -n "__fish_meshctl_using_subcommand addons; and __fish_seen_subcommand_from uninstall" -s V -l version -d 'Print version'
complete -c meshctl -n "__fish_meshctl_using_subcommand addons; and __fish_seen_subcommand_from help" -f -a "install" -d 'Server-side apply the addons\' manifests (field manager meshctl) and wait until they are ready'
complete -c meshctl -n "__fish_meshctl_using_subcommand addons; and __fish_seen_subcommand_from help" -f -a "status" -d 'Show each addon\'s version, readiness and in-cluster URL'
complete -c meshctl -n "__fish_meshctl_using_subcommand addons; and __fish_seen_subcommand_from help" -f -a "uninstall" -d 'Delete the addons\' objects that meshctl applied (those carrying its meshctl.io/addon label)'
complete -c meshctl -n "__fish_meshctl_using_subcommand addons; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c meshctl -n "__fish_meshctl_using_subcommand dashboard" -l address -d 'Address to listen on' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand dashboard" -l port -d 'Local port [default: the dashboard\'s own port, or a free one when that is taken]' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand dashboard" -l kubeconfig -d 'Kubeconfig file [default: $KUBECONFIG, else ~/.kube/config, else in-cluster]' -r -F
complete -c meshctl -n "__fish_meshctl_using_subcommand dashboard" -l context -d 'Kubeconfig context to use [default: the current context]' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand dashboard" -s n -l namespace -d 'The application namespace [default: the config file\'s, else production]' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand dashboard" -s o -l output -d 'Output format' -r -f -a "text\t''
json\t''
yaml\t''"
complete -c meshctl -n "__fish_meshctl_using_subcommand dashboard" -l request-timeout -d 'How long to wait for one API request (e.g. 10s, 1m)' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand dashboard" -l no-browser -d 'Do not open a browser'
complete -c meshctl -n "__fish_meshctl_using_subcommand dashboard" -l show-url -d 'Print the URL and keep forwarding, without a browser (for SSH and CI)'
complete -c meshctl -n "__fish_meshctl_using_subcommand dashboard" -l no-color -d 'Never colour the output (also: the NO_COLOR variable); colour is used only on a terminal'
complete -c meshctl -n "__fish_meshctl_using_subcommand dashboard" -s v -l verbose -d 'Log what meshctl does to stderr; repeat for more detail (-vv, -vvv)'
complete -c meshctl -n "__fish_meshctl_using_subcommand dashboard" -s q -l quiet -d 'Print only the result: no progress, no status lines'
complete -c meshctl -n "__fish_meshctl_using_subcommand dashboard" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c meshctl -n "__fish_meshctl_using_subcommand dashboard" -s V -l version -d 'Print version'
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
complete -c meshctl -n "__fish_meshctl_using_subcommand help; and not __fish_seen_subcommand_from install uninstall inject waypoint health troubleshoot traffic-test manifests addons dashboard completions help" -f -a "install" -d 'Install Istio with istioctl, label the namespace for injection and apply the mesh manifests'
complete -c meshctl -n "__fish_meshctl_using_subcommand help; and not __fish_seen_subcommand_from install uninstall inject waypoint health troubleshoot traffic-test manifests addons dashboard completions help" -f -a "uninstall" -d 'Remove the objects install applied (those labelled managed-by=meshctl) and, with --istio, Istio'
complete -c meshctl -n "__fish_meshctl_using_subcommand help; and not __fish_seen_subcommand_from install uninstall inject waypoint health troubleshoot traffic-test manifests addons dashboard completions help" -f -a "inject" -d 'Label a namespace for sidecar injection and restart its Deployments so they get the sidecar, or (--mode ambient) enrol it in ambient mode'
complete -c meshctl -n "__fish_meshctl_using_subcommand help; and not __fish_seen_subcommand_from install uninstall inject waypoint health troubleshoot traffic-test manifests addons dashboard completions help" -f -a "waypoint" -d 'Manage waypoints: the proxies istiod deploys for L7 policy and routing in ambient namespaces'
complete -c meshctl -n "__fish_meshctl_using_subcommand help; and not __fish_seen_subcommand_from install uninstall inject waypoint health troubleshoot traffic-test manifests addons dashboard completions help" -f -a "health" -d 'Check the mesh: cluster, control plane, data plane, config and connectivity'
complete -c meshctl -n "__fish_meshctl_using_subcommand help; and not __fish_seen_subcommand_from install uninstall inject waypoint health troubleshoot traffic-test manifests addons dashboard completions help" -f -a "troubleshoot" -d 'Find mesh misconfigurations in the cluster, or in YAML files with --file (no cluster needed)'
complete -c meshctl -n "__fish_meshctl_using_subcommand help; and not __fish_seen_subcommand_from install uninstall inject waypoint health troubleshoot traffic-test manifests addons dashboard completions help" -f -a "traffic-test" -d 'Send load to a URL and check latency, errors, and that traffic follows the mesh config'
complete -c meshctl -n "__fish_meshctl_using_subcommand help; and not __fish_seen_subcommand_from install uninstall inject waypoint health troubleshoot traffic-test manifests addons dashboard completions help" -f -a "manifests" -d 'Work with the embedded mesh manifests'
complete -c meshctl -n "__fish_meshctl_using_subcommand help; and not __fish_seen_subcommand_from install uninstall inject waypoint health troubleshoot traffic-test manifests addons dashboard completions help" -f -a "addons" -d 'Install, inspect and remove Istio\'s observability addons (Prometheus, Grafana, Kiali, Jaeger, Loki): the samples/addons manifests of the pinned Istio release'
complete -c meshctl -n "__fish_meshctl_using_subcommand help; and not __fish_seen_subcommand_from install uninstall inject waypoint health troubleshoot traffic-test manifests addons dashboard completions help" -f -a "dashboard" -d 'Open a dashboard through a port-forward to its pod (like istioctl dashboard): prints the URL, opens a browser when run on a terminal, and forwards until Ctrl-C'
complete -c meshctl -n "__fish_meshctl_using_subcommand help; and not __fish_seen_subcommand_from install uninstall inject waypoint health troubleshoot traffic-test manifests addons dashboard completions help" -f -a "completions" -d 'Print a shell completion script to stdout'
complete -c meshctl -n "__fish_meshctl_using_subcommand help; and not __fish_seen_subcommand_from install uninstall inject waypoint health troubleshoot traffic-test manifests addons dashboard completions help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c meshctl -n "__fish_meshctl_using_subcommand help; and __fish_seen_subcommand_from waypoint" -f -a "apply" -d 'Apply a waypoint (a Gateway of class istio-waypoint) in the namespace given with -n'
complete -c meshctl -n "__fish_meshctl_using_subcommand help; and __fish_seen_subcommand_from waypoint" -f -a "list" -d 'List the waypoints with their traffic type and whether istiod programmed them'
complete -c meshctl -n "__fish_meshctl_using_subcommand help; and __fish_seen_subcommand_from waypoint" -f -a "status" -d 'Show each waypoint\'s Programmed condition, its Deployment and what uses it; exit 1 when one is not Programmed or not ready'
complete -c meshctl -n "__fish_meshctl_using_subcommand help; and __fish_seen_subcommand_from waypoint" -f -a "delete" -d 'Delete waypoints by name, or all of them in the namespace with --all'
complete -c meshctl -n "__fish_meshctl_using_subcommand help; and __fish_seen_subcommand_from manifests" -f -a "render" -d 'Print the exact YAML that `install` applies (no cluster needed)'
complete -c meshctl -n "__fish_meshctl_using_subcommand help; and __fish_seen_subcommand_from addons" -f -a "install" -d 'Server-side apply the addons\' manifests (field manager meshctl) and wait until they are ready'
complete -c meshctl -n "__fish_meshctl_using_subcommand help; and __fish_seen_subcommand_from addons" -f -a "status" -d 'Show each addon\'s version, readiness and in-cluster URL'
complete -c meshctl -n "__fish_meshctl_using_subcommand help; and __fish_seen_subcommand_from addons" -f -a "uninstall" -d 'Delete the addons\' objects that meshctl applied (those carrying its meshctl.io/addon label)'
