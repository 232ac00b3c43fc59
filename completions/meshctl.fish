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
complete -c meshctl -n "__fish_meshctl_needs_command" -s n -l namespace -d 'The application namespace' -r
complete -c meshctl -n "__fish_meshctl_needs_command" -s o -l output -d 'Output format' -r -f -a "text\t''
json\t''
yaml\t''"
complete -c meshctl -n "__fish_meshctl_needs_command" -l request-timeout -d 'How long to wait for one API request (e.g. 10s, 1m)' -r
complete -c meshctl -n "__fish_meshctl_needs_command" -l no-color -d 'Never colour the output (also: the NO_COLOR variable); colour is used only on a terminal'
complete -c meshctl -n "__fish_meshctl_needs_command" -s v -l verbose -d 'Log what meshctl does to stderr; repeat for more detail (-vv, -vvv)'
complete -c meshctl -n "__fish_meshctl_needs_command" -s q -l quiet -d 'Print only the result: no progress, no status lines'
complete -c meshctl -n "__fish_meshctl_needs_command" -s h -l help -d 'Print help'
complete -c meshctl -n "__fish_meshctl_needs_command" -s V -l version -d 'Print version'
complete -c meshctl -n "__fish_meshctl_needs_command" -f -a "health" -d 'Check the mesh: cluster, control plane, data plane, config and connectivity'
complete -c meshctl -n "__fish_meshctl_needs_command" -f -a "completions" -d 'Print a shell completion script to stdout'
complete -c meshctl -n "__fish_meshctl_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c meshctl -n "__fish_meshctl_using_subcommand health" -l istio-namespace -d 'Namespace of the Istio control plane' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand health" -l service -d 'Service whose health endpoint the connectivity check calls' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand health" -l port -d 'Port of that Service' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand health" -l health-path -d 'Path of the health endpoint' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand health" -l wait -d 'Re-run the checks until all pass or this much time has gone by (e.g. 2m)' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand health" -l kubeconfig -d 'Kubeconfig file [default: $KUBECONFIG, else ~/.kube/config, else in-cluster]' -r -F
complete -c meshctl -n "__fish_meshctl_using_subcommand health" -l context -d 'Kubeconfig context to use [default: the current context]' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand health" -s n -l namespace -d 'The application namespace' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand health" -s o -l output -d 'Output format' -r -f -a "text\t''
json\t''
yaml\t''"
complete -c meshctl -n "__fish_meshctl_using_subcommand health" -l request-timeout -d 'How long to wait for one API request (e.g. 10s, 1m)' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand health" -l no-color -d 'Never colour the output (also: the NO_COLOR variable); colour is used only on a terminal'
complete -c meshctl -n "__fish_meshctl_using_subcommand health" -s v -l verbose -d 'Log what meshctl does to stderr; repeat for more detail (-vv, -vvv)'
complete -c meshctl -n "__fish_meshctl_using_subcommand health" -s q -l quiet -d 'Print only the result: no progress, no status lines'
complete -c meshctl -n "__fish_meshctl_using_subcommand health" -s h -l help -d 'Print help'
complete -c meshctl -n "__fish_meshctl_using_subcommand health" -s V -l version -d 'Print version'
complete -c meshctl -n "__fish_meshctl_using_subcommand completions" -l kubeconfig -d 'Kubeconfig file [default: $KUBECONFIG, else ~/.kube/config, else in-cluster]' -r -F
complete -c meshctl -n "__fish_meshctl_using_subcommand completions" -l context -d 'Kubeconfig context to use [default: the current context]' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand completions" -s n -l namespace -d 'The application namespace' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand completions" -s o -l output -d 'Output format' -r -f -a "text\t''
json\t''
yaml\t''"
complete -c meshctl -n "__fish_meshctl_using_subcommand completions" -l request-timeout -d 'How long to wait for one API request (e.g. 10s, 1m)' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand completions" -l no-color -d 'Never colour the output (also: the NO_COLOR variable); colour is used only on a terminal'
complete -c meshctl -n "__fish_meshctl_using_subcommand completions" -s v -l verbose -d 'Log what meshctl does to stderr; repeat for more detail (-vv, -vvv)'
complete -c meshctl -n "__fish_meshctl_using_subcommand completions" -s q -l quiet -d 'Print only the result: no progress, no status lines'
complete -c meshctl -n "__fish_meshctl_using_subcommand completions" -s h -l help -d 'Print help'
complete -c meshctl -n "__fish_meshctl_using_subcommand completions" -s V -l version -d 'Print version'
complete -c meshctl -n "__fish_meshctl_using_subcommand help; and not __fish_seen_subcommand_from health completions help" -f -a "health" -d 'Check the mesh: cluster, control plane, data plane, config and connectivity'
complete -c meshctl -n "__fish_meshctl_using_subcommand help; and not __fish_seen_subcommand_from health completions help" -f -a "completions" -d 'Print a shell completion script to stdout'
complete -c meshctl -n "__fish_meshctl_using_subcommand help; and not __fish_seen_subcommand_from health completions help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
