
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
            cand -n 'The application namespace'
            cand --namespace 'The application namespace'
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
            cand health 'Check the mesh: cluster, control plane, data plane, config and connectivity'
            cand completions 'Print a shell completion script to stdout'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'meshctl;health'= {
            cand --istio-namespace 'Namespace of the Istio control plane'
            cand --service 'Service whose health endpoint the connectivity check calls'
            cand --port 'Port of that Service'
            cand --health-path 'Path of the health endpoint'
            cand --wait 'Re-run the checks until all pass or this much time has gone by (e.g. 2m)'
            cand --kubeconfig 'Kubeconfig file [default: $KUBECONFIG, else ~/.kube/config, else in-cluster]'
            cand --context 'Kubeconfig context to use [default: the current context]'
            cand -n 'The application namespace'
            cand --namespace 'The application namespace'
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
        &'meshctl;completions'= {
            cand --kubeconfig 'Kubeconfig file [default: $KUBECONFIG, else ~/.kube/config, else in-cluster]'
            cand --context 'Kubeconfig context to use [default: the current context]'
            cand -n 'The application namespace'
            cand --namespace 'The application namespace'
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
            cand health 'Check the mesh: cluster, control plane, data plane, config and connectivity'
            cand completions 'Print a shell completion script to stdout'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'meshctl;help;health'= {
        }
        &'meshctl;help;completions'= {
        }
        &'meshctl;help;help'= {
        }
    ]
    $completions[$command]
}
