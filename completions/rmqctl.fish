# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_rmqctl_global_optspecs
    string join \n h/help V/version
end

function __fish_rmqctl_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_rmqctl_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_rmqctl_using_subcommand
    set -l cmd (__fish_rmqctl_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c rmqctl -n "__fish_rmqctl_needs_command" -s h -l help -d 'Print help'
complete -c rmqctl -n "__fish_rmqctl_needs_command" -s V -l version -d 'Print version'
complete -c rmqctl -n "__fish_rmqctl_needs_command" -f -a "render" -d 'Render Apache-format broker and name-server properties (and units) from an inventory'
complete -c rmqctl -n "__fish_rmqctl_needs_command" -f -a "check" -d 'Lint an inventory or existing Apache properties files'
complete -c rmqctl -n "__fish_rmqctl_needs_command" -f -a "deploy" -d 'Deploy an inventory: upload, supervise, open the firewall, start in order, verify'
complete -c rmqctl -n "__fish_rmqctl_needs_command" -f -a "start" -d 'Start the instances of a deployed inventory that do not run (name servers, masters, slaves)'
complete -c rmqctl -n "__fish_rmqctl_needs_command" -f -a "stop" -d 'Stop instances of a deployed inventory (slaves, masters, then name servers)'
complete -c rmqctl -n "__fish_rmqctl_needs_command" -f -a "restart" -d 'Restart instances of a deployed inventory, rolling (slave in sync before its master)'
complete -c rmqctl -n "__fish_rmqctl_needs_command" -f -a "status" -d 'Every instance of a deployed inventory: process state, registration, sync'
complete -c rmqctl -n "__fish_rmqctl_needs_command" -f -a "logs" -d 'Show (or follow) an instance\'s log'
complete -c rmqctl -n "__fish_rmqctl_needs_command" -f -a "destroy" -d 'Stop and remove a deployed inventory from its hosts'
complete -c rmqctl -n "__fish_rmqctl_needs_command" -f -a "namesrv" -d 'Run the bundled name server'
complete -c rmqctl -n "__fish_rmqctl_needs_command" -f -a "broker" -d 'Run the bundled broker (`-c FILE`), or show a broker\'s status and configuration'
complete -c rmqctl -n "__fish_rmqctl_needs_command" -f -a "gateway" -d 'Run the HTTP send service: POST JSON to send, messages delivered to their backurl'
complete -c rmqctl -n "__fish_rmqctl_needs_command" -f -a "topic" -d 'Create, delete, list and inspect topics'
complete -c rmqctl -n "__fish_rmqctl_needs_command" -f -a "cluster" -d 'Cluster overview'
complete -c rmqctl -n "__fish_rmqctl_needs_command" -f -a "offsets" -d 'Per-queue offsets of a topic, with a consumer group\'s lag'
complete -c rmqctl -n "__fish_rmqctl_needs_command" -f -a "group" -d 'Consumer groups: list, describe (lag, clients), reset offsets'
complete -c rmqctl -n "__fish_rmqctl_needs_command" -f -a "message" -d 'Send, consume, get and query messages'
complete -c rmqctl -n "__fish_rmqctl_needs_command" -f -a "acl" -d 'ACL accounts and white lists of a running cluster (brokers with aclEnable=true)'
complete -c rmqctl -n "__fish_rmqctl_needs_command" -f -a "completions" -d 'Print a shell completion script'
complete -c rmqctl -n "__fish_rmqctl_needs_command" -f -a "__probe" -d 'Probe TCP ports (run by deploy on a peer host)'
complete -c rmqctl -n "__fish_rmqctl_needs_command" -f -a "__complete" -d 'Topic or group names for shell completion'
complete -c rmqctl -n "__fish_rmqctl_needs_command" -f -a "bench" -d 'Load generator: produce to or consume from a broker and report messages/s and latency'
complete -c rmqctl -n "__fish_rmqctl_needs_command" -f -a "tls" -d 'TLS certificates: a private CA and one certificate per host'
complete -c rmqctl -n "__fish_rmqctl_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand render" -s o -l output-dir -d 'Output directory; replaced as a whole (written to a temporary directory, then renamed)' -r -F
complete -c rmqctl -n "__fish_rmqctl_using_subcommand render" -l templates -d 'Directory of templates (`broker.properties.hbs`, ...) replacing the built-in ones' -r -F
complete -c rmqctl -n "__fish_rmqctl_using_subcommand render" -l diff -d 'Show what would change against an earlier render in DIR; writes nothing' -r -F
complete -c rmqctl -n "__fish_rmqctl_using_subcommand render" -s h -l help -d 'Print help'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand render" -s V -l version -d 'Print version'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand check" -l properties -d 'Check existing Apache `.properties` files instead (files named namesrv* as name-server files)' -r -F
complete -c rmqctl -n "__fish_rmqctl_using_subcommand check" -l templates -d 'Directory of templates replacing the built-in ones (inventory mode)' -r -F
complete -c rmqctl -n "__fish_rmqctl_using_subcommand check" -l format -d 'How to print findings' -r -f -a "text\t'`file:line:col: severity[rule]: message` and a hint line'
json\t'A JSON array of findings (path, line, col, rule, severity, message, hint)'"
complete -c rmqctl -n "__fish_rmqctl_using_subcommand check" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand check" -s V -l version -d 'Print version'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand deploy" -l connect-timeout -d 'Give up connecting to a host after this long (e.g. 5s)' -r
complete -c rmqctl -n "__fish_rmqctl_using_subcommand deploy" -s o -l output -d 'Output format of the result' -r -f -a "table\t''
json\t''"
complete -c rmqctl -n "__fish_rmqctl_using_subcommand deploy" -l binary -d 'The rmqctl executable to upload (default: this one)' -r -F
complete -c rmqctl -n "__fish_rmqctl_using_subcommand deploy" -l wait -d 'How long to wait for instances to answer and register, and slaves to get in sync' -r
complete -c rmqctl -n "__fish_rmqctl_using_subcommand deploy" -l templates -d 'Directory of templates replacing the built-in ones' -r -F
complete -c rmqctl -n "__fish_rmqctl_using_subcommand deploy" -l accept-new-host-keys -d 'Trust host keys seen for the first time (default: strict checking against known_hosts)'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand deploy" -l dry-run -d 'Show per host what would change (files with a diff summary, firewall rules, starts, restarts) and change nothing'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand deploy" -s y -l yes -d 'Do not ask before changing hosts (required without a terminal)'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand deploy" -l no-firewall -d 'Do not open firewall ports'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand deploy" -s h -l help -d 'Print help'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand deploy" -s V -l version -d 'Print version'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand start" -l connect-timeout -d 'Give up connecting to a host after this long (e.g. 5s)' -r
complete -c rmqctl -n "__fish_rmqctl_using_subcommand start" -s o -l output -d 'Output format of the result' -r -f -a "table\t''
json\t''"
complete -c rmqctl -n "__fish_rmqctl_using_subcommand start" -l host -d 'Only instances on this host (repeatable)' -r
complete -c rmqctl -n "__fish_rmqctl_using_subcommand start" -l instance -d 'Only this instance: `namesrv`, `broker-a`, `broker-a-s`, `gateway`... (repeatable)' -r
complete -c rmqctl -n "__fish_rmqctl_using_subcommand start" -l role -d 'Only instances of this role (repeatable)' -r -f -a "namesrv\t''
master\t''
slave\t''
gateway\t''"
complete -c rmqctl -n "__fish_rmqctl_using_subcommand start" -l wait -d 'How long to wait for instances to answer, register and get in sync' -r
complete -c rmqctl -n "__fish_rmqctl_using_subcommand start" -l accept-new-host-keys -d 'Trust host keys seen for the first time (default: strict checking against known_hosts)'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand start" -s y -l yes -d 'Do not ask before stopping anything (required without a terminal)'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand start" -s h -l help -d 'Print help'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand start" -s V -l version -d 'Print version'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand stop" -l connect-timeout -d 'Give up connecting to a host after this long (e.g. 5s)' -r
complete -c rmqctl -n "__fish_rmqctl_using_subcommand stop" -s o -l output -d 'Output format of the result' -r -f -a "table\t''
json\t''"
complete -c rmqctl -n "__fish_rmqctl_using_subcommand stop" -l host -d 'Only instances on this host (repeatable)' -r
complete -c rmqctl -n "__fish_rmqctl_using_subcommand stop" -l instance -d 'Only this instance: `namesrv`, `broker-a`, `broker-a-s`, `gateway`... (repeatable)' -r
complete -c rmqctl -n "__fish_rmqctl_using_subcommand stop" -l role -d 'Only instances of this role (repeatable)' -r -f -a "namesrv\t''
master\t''
slave\t''
gateway\t''"
complete -c rmqctl -n "__fish_rmqctl_using_subcommand stop" -l wait -d 'How long to wait for instances to answer, register and get in sync' -r
complete -c rmqctl -n "__fish_rmqctl_using_subcommand stop" -l accept-new-host-keys -d 'Trust host keys seen for the first time (default: strict checking against known_hosts)'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand stop" -s y -l yes -d 'Do not ask before stopping anything (required without a terminal)'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand stop" -s h -l help -d 'Print help'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand stop" -s V -l version -d 'Print version'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand restart" -l connect-timeout -d 'Give up connecting to a host after this long (e.g. 5s)' -r
complete -c rmqctl -n "__fish_rmqctl_using_subcommand restart" -s o -l output -d 'Output format of the result' -r -f -a "table\t''
json\t''"
complete -c rmqctl -n "__fish_rmqctl_using_subcommand restart" -l host -d 'Only instances on this host (repeatable)' -r
complete -c rmqctl -n "__fish_rmqctl_using_subcommand restart" -l instance -d 'Only this instance: `namesrv`, `broker-a`, `broker-a-s`, `gateway`... (repeatable)' -r
complete -c rmqctl -n "__fish_rmqctl_using_subcommand restart" -l role -d 'Only instances of this role (repeatable)' -r -f -a "namesrv\t''
master\t''
slave\t''
gateway\t''"
complete -c rmqctl -n "__fish_rmqctl_using_subcommand restart" -l wait -d 'How long to wait for instances to answer, register and get in sync' -r
complete -c rmqctl -n "__fish_rmqctl_using_subcommand restart" -l accept-new-host-keys -d 'Trust host keys seen for the first time (default: strict checking against known_hosts)'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand restart" -s y -l yes -d 'Do not ask before stopping anything (required without a terminal)'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand restart" -s h -l help -d 'Print help'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand restart" -s V -l version -d 'Print version'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand status" -l connect-timeout -d 'Give up connecting to a host after this long (e.g. 5s)' -r
complete -c rmqctl -n "__fish_rmqctl_using_subcommand status" -s o -l output -d 'Output format of the result' -r -f -a "table\t''
json\t''"
complete -c rmqctl -n "__fish_rmqctl_using_subcommand status" -l host -d 'Only instances on this host (repeatable)' -r
complete -c rmqctl -n "__fish_rmqctl_using_subcommand status" -l instance -d 'Only this instance: `namesrv`, `broker-a`, `broker-a-s`, `gateway`... (repeatable)' -r
complete -c rmqctl -n "__fish_rmqctl_using_subcommand status" -l role -d 'Only instances of this role (repeatable)' -r -f -a "namesrv\t''
master\t''
slave\t''
gateway\t''"
complete -c rmqctl -n "__fish_rmqctl_using_subcommand status" -l accept-new-host-keys -d 'Trust host keys seen for the first time (default: strict checking against known_hosts)'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand status" -s h -l help -d 'Print help'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand status" -s V -l version -d 'Print version'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand logs" -l connect-timeout -d 'Give up connecting to a host after this long (e.g. 5s)' -r
complete -c rmqctl -n "__fish_rmqctl_using_subcommand logs" -s o -l output -d 'Output format of the result' -r -f -a "table\t''
json\t''"
complete -c rmqctl -n "__fish_rmqctl_using_subcommand logs" -l host -d 'The host, when the instance runs on several (name servers)' -r
complete -c rmqctl -n "__fish_rmqctl_using_subcommand logs" -s n -l lines -d 'Lines to show' -r
complete -c rmqctl -n "__fish_rmqctl_using_subcommand logs" -l accept-new-host-keys -d 'Trust host keys seen for the first time (default: strict checking against known_hosts)'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand logs" -s f -l follow -d 'Keep printing new lines'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand logs" -s h -l help -d 'Print help'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand logs" -s V -l version -d 'Print version'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand destroy" -l connect-timeout -d 'Give up connecting to a host after this long (e.g. 5s)' -r
complete -c rmqctl -n "__fish_rmqctl_using_subcommand destroy" -s o -l output -d 'Output format of the result' -r -f -a "table\t''
json\t''"
complete -c rmqctl -n "__fish_rmqctl_using_subcommand destroy" -l accept-new-host-keys -d 'Trust host keys seen for the first time (default: strict checking against known_hosts)'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand destroy" -s y -l yes -d 'Do not ask (required without a terminal)'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand destroy" -l keep-data -d 'Keep the stores and logs (remove only processes, units, firewall rules, binary, configs)'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand destroy" -s h -l help -d 'Print help'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand destroy" -s V -l version -d 'Print version'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand namesrv" -s c -l config -d 'Apache-format namesrv.properties (listenPort, kvConfigPath, scanNotActiveBrokerInterval...)' -r -F
complete -c rmqctl -n "__fish_rmqctl_using_subcommand namesrv" -l listen -d 'Address to listen on; overrides bindAddress/listenPort from the file' -r
complete -c rmqctl -n "__fish_rmqctl_using_subcommand namesrv" -l data-dir -d 'Directory for kvConfig.json and the persisted config (default ~/namesrv)' -r -F
complete -c rmqctl -n "__fish_rmqctl_using_subcommand namesrv" -s h -l help -d 'Print help'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand namesrv" -s V -l version -d 'Print version'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand broker; and not __fish_seen_subcommand_from status config help" -s c -l config -d 'Apache-format broker properties (the files `rmqctl render` writes)' -r -F
complete -c rmqctl -n "__fish_rmqctl_using_subcommand broker; and not __fish_seen_subcommand_from status config help" -s n -l namesrv -d 'Name servers, `host:port;host:port`; overrides namesrvAddr from the file' -r
complete -c rmqctl -n "__fish_rmqctl_using_subcommand broker; and not __fish_seen_subcommand_from status config help" -l access-key -d 'ACL access key to sign requests with (for brokers with aclEnable=true)' -r
complete -c rmqctl -n "__fish_rmqctl_using_subcommand broker; and not __fish_seen_subcommand_from status config help" -l secret-key -d 'ACL secret key. Prefer $RMQCTL_SECRET_KEY: other users of the machine can read a process\'s arguments' -r
complete -c rmqctl -n "__fish_rmqctl_using_subcommand broker; and not __fish_seen_subcommand_from status config help" -s h -l help -d 'Print help'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand broker; and not __fish_seen_subcommand_from status config help" -s V -l version -d 'Print version'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand broker; and not __fish_seen_subcommand_from status config help" -f -a "status" -d 'Runtime key/values of a broker (GET_BROKER_RUNTIME_INFO)'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand broker; and not __fish_seen_subcommand_from status config help" -f -a "config" -d 'Read or change a broker\'s configuration'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand broker; and not __fish_seen_subcommand_from status config help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand broker; and __fish_seen_subcommand_from status" -s n -l namesrv -d 'Name servers, `host:port;host:port`. Default: $NAMESRV_ADDR, then -i' -r
complete -c rmqctl -n "__fish_rmqctl_using_subcommand broker; and __fish_seen_subcommand_from status" -s i -l inventory -d 'Inventory (TOML) to take the name servers from (used when -n is not given; wins over $NAMESRV_ADDR)' -r -F
complete -c rmqctl -n "__fish_rmqctl_using_subcommand broker; and __fish_seen_subcommand_from status" -l timeout -d 'Per-request timeout: `3s`, `500ms` or a number of seconds' -r
complete -c rmqctl -n "__fish_rmqctl_using_subcommand broker; and __fish_seen_subcommand_from status" -s o -l output -d 'Output format' -r -f -a "table\t''
json\t''"
complete -c rmqctl -n "__fish_rmqctl_using_subcommand broker; and __fish_seen_subcommand_from status" -l tls-ca -d 'CA certificate(s) (PEM) to verify the servers with; implies --tls' -r -F
complete -c rmqctl -n "__fish_rmqctl_using_subcommand broker; and __fish_seen_subcommand_from status" -l tls-cert -d 'Client certificate (PEM) for servers that want one (mutual TLS); needs --tls-key' -r -F
complete -c rmqctl -n "__fish_rmqctl_using_subcommand broker; and __fish_seen_subcommand_from status" -l tls-key -d 'Private key (PEM) of --tls-cert; an encrypted PKCS#8 key takes its password from $RMQCTL_TLS_KEY_PASSWORD (never from the command line)' -r -F
complete -c rmqctl -n "__fish_rmqctl_using_subcommand broker; and __fish_seen_subcommand_from status" -l access-key -d 'ACL access key to sign requests with (for brokers with aclEnable=true)' -r
complete -c rmqctl -n "__fish_rmqctl_using_subcommand broker; and __fish_seen_subcommand_from status" -l secret-key -d 'ACL secret key. Prefer $RMQCTL_SECRET_KEY: other users of the machine can read a process\'s arguments' -r
complete -c rmqctl -n "__fish_rmqctl_using_subcommand broker; and __fish_seen_subcommand_from status" -l tls -d 'Connect with TLS (the servers run tls.server.mode=permissive or enforcing)'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand broker; and __fish_seen_subcommand_from status" -l tls-insecure -d 'Do NOT verify the servers\' certificates (anyone in the path can read and change traffic)'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand broker; and __fish_seen_subcommand_from status" -s h -l help -d 'Print help'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand broker; and __fish_seen_subcommand_from status" -s V -l version -d 'Print version'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand broker; and __fish_seen_subcommand_from config" -s h -l help -d 'Print help'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand broker; and __fish_seen_subcommand_from config" -s V -l version -d 'Print version'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand broker; and __fish_seen_subcommand_from config" -f -a "get" -d 'Print a broker\'s configuration'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand broker; and __fish_seen_subcommand_from config" -f -a "set" -d 'Change one key at runtime; the broker also writes it into its config file (the bundled broker changes only that key\'s line, Apache\'s rewrites the whole file)'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand broker; and __fish_seen_subcommand_from config" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand broker; and __fish_seen_subcommand_from help" -f -a "status" -d 'Runtime key/values of a broker (GET_BROKER_RUNTIME_INFO)'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand broker; and __fish_seen_subcommand_from help" -f -a "config" -d 'Read or change a broker\'s configuration'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand broker; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand gateway" -s c -l config -d 'gateway.toml: topic, allow_callbacks, tokens, max_body_bytes, [tls], [account], [cluster_tls], [delivery], [[subscription]] (all optional)' -r -F
complete -c rmqctl -n "__fish_rmqctl_using_subcommand gateway" -l listen -d 'Address the HTTP listener binds, `host:port` (overrides `listen`; default 0.0.0.0:8080)' -r
complete -c rmqctl -n "__fish_rmqctl_using_subcommand gateway" -s n -l namesrv -d 'Name servers, `host:port;host:port` (overrides `namesrv`; else $NAMESRV_ADDR)' -r
complete -c rmqctl -n "__fish_rmqctl_using_subcommand gateway" -l tls-ca -d 'CA certificate(s) (PEM) to verify the servers with; implies --tls' -r -F
complete -c rmqctl -n "__fish_rmqctl_using_subcommand gateway" -l tls-cert -d 'Client certificate (PEM) for servers that want one (mutual TLS); needs --tls-key' -r -F
complete -c rmqctl -n "__fish_rmqctl_using_subcommand gateway" -l tls-key -d 'Private key (PEM) of --tls-cert; an encrypted PKCS#8 key takes its password from $RMQCTL_TLS_KEY_PASSWORD (never from the command line)' -r -F
complete -c rmqctl -n "__fish_rmqctl_using_subcommand gateway" -l access-key -d 'ACL access key to sign requests with (for brokers with aclEnable=true)' -r
complete -c rmqctl -n "__fish_rmqctl_using_subcommand gateway" -l secret-key -d 'ACL secret key. Prefer $RMQCTL_SECRET_KEY: other users of the machine can read a process\'s arguments' -r
complete -c rmqctl -n "__fish_rmqctl_using_subcommand gateway" -l tls -d 'Connect with TLS (the servers run tls.server.mode=permissive or enforcing)'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand gateway" -l tls-insecure -d 'Do NOT verify the servers\' certificates (anyone in the path can read and change traffic)'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand gateway" -s h -l help -d 'Print help'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand gateway" -s V -l version -d 'Print version'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand topic; and not __fish_seen_subcommand_from create delete list route status help" -s h -l help -d 'Print help'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand topic; and not __fish_seen_subcommand_from create delete list route status help" -s V -l version -d 'Print version'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand topic; and not __fish_seen_subcommand_from create delete list route status help" -f -a "create" -d 'Create a topic on every master of a cluster (or one broker); re-running with the same values changes nothing, with new values updates'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand topic; and not __fish_seen_subcommand_from create delete list route status help" -f -a "delete" -d 'Delete a topic from every master of a cluster and from every name server'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand topic; and not __fish_seen_subcommand_from create delete list route status help" -f -a "list" -d 'List topics (all, or one cluster\'s)'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand topic; and not __fish_seen_subcommand_from create delete list route status help" -f -a "route" -d 'Show which brokers serve a topic, with queue counts and permissions'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand topic; and not __fish_seen_subcommand_from create delete list route status help" -f -a "status" -d 'Per queue: broker, queue id, min and max offset, last store time'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand topic; and not __fish_seen_subcommand_from create delete list route status help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand topic; and __fish_seen_subcommand_from create" -s t -l topic -r -f -a "(rmqctl __complete topics 2>/dev/null)"
complete -c rmqctl -n "__fish_rmqctl_using_subcommand topic; and __fish_seen_subcommand_from create" -s c -l cluster -d 'Cluster whose masters get the topic (default: the only cluster)' -r
complete -c rmqctl -n "__fish_rmqctl_using_subcommand topic; and __fish_seen_subcommand_from create" -s b -l broker -d 'One broker instead, by address (host:port) or broker name' -r
complete -c rmqctl -n "__fish_rmqctl_using_subcommand topic; and __fish_seen_subcommand_from create" -s r -l read-queues -d 'Read queues per broker' -r
complete -c rmqctl -n "__fish_rmqctl_using_subcommand topic; and __fish_seen_subcommand_from create" -s w -l write-queues -d 'Write queues per broker' -r
complete -c rmqctl -n "__fish_rmqctl_using_subcommand topic; and __fish_seen_subcommand_from create" -s p -l perm -d 'Permission: 2 write, 4 read, 6 read-write' -r
complete -c rmqctl -n "__fish_rmqctl_using_subcommand topic; and __fish_seen_subcommand_from create" -s n -l namesrv -d 'Name servers, `host:port;host:port`. Default: $NAMESRV_ADDR, then -i' -r
complete -c rmqctl -n "__fish_rmqctl_using_subcommand topic; and __fish_seen_subcommand_from create" -s i -l inventory -d 'Inventory (TOML) to take the name servers from (used when -n is not given; wins over $NAMESRV_ADDR)' -r -F
complete -c rmqctl -n "__fish_rmqctl_using_subcommand topic; and __fish_seen_subcommand_from create" -l timeout -d 'Per-request timeout: `3s`, `500ms` or a number of seconds' -r
complete -c rmqctl -n "__fish_rmqctl_using_subcommand topic; and __fish_seen_subcommand_from create" -s o -l output -d 'Output format' -r -f -a "table\t''
json\t''"
complete -c rmqctl -n "__fish_rmqctl_using_subcommand topic; and __fish_seen_subcommand_from create" -l tls-ca -d 'CA certificate(s) (PEM) to verify the servers with; implies --tls' -r -F
complete -c rmqctl -n "__fish_rmqctl_using_subcommand topic; and __fish_seen_subcommand_from create" -l tls-cert -d 'Client certificate (PEM) for servers that want one (mutual TLS); needs --tls-key' -r -F
complete -c rmqctl -n "__fish_rmqctl_using_subcommand topic; and __fish_seen_subcommand_from create" -l tls-key -d 'Private key (PEM) of --tls-cert; an encrypted PKCS#8 key takes its password from $RMQCTL_TLS_KEY_PASSWORD (never from the command line)' -r -F
complete -c rmqctl -n "__fish_rmqctl_using_subcommand topic; and __fish_seen_subcommand_from create" -l access-key -d 'ACL access key to sign requests with (for brokers with aclEnable=true)' -r
complete -c rmqctl -n "__fish_rmqctl_using_subcommand topic; and __fish_seen_subcommand_from create" -l secret-key -d 'ACL secret key. Prefer $RMQCTL_SECRET_KEY: other users of the machine can read a process\'s arguments' -r
complete -c rmqctl -n "__fish_rmqctl_using_subcommand topic; and __fish_seen_subcommand_from create" -l order -d 'Ordered topic (also writes the order config to the name servers)'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand topic; and __fish_seen_subcommand_from create" -l tls -d 'Connect with TLS (the servers run tls.server.mode=permissive or enforcing)'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand topic; and __fish_seen_subcommand_from create" -l tls-insecure -d 'Do NOT verify the servers\' certificates (anyone in the path can read and change traffic)'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand topic; and __fish_seen_subcommand_from create" -s h -l help -d 'Print help'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand topic; and __fish_seen_subcommand_from create" -s V -l version -d 'Print version'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand topic; and __fish_seen_subcommand_from delete" -s t -l topic -r -f -a "(rmqctl __complete topics 2>/dev/null)"
complete -c rmqctl -n "__fish_rmqctl_using_subcommand topic; and __fish_seen_subcommand_from delete" -s c -l cluster -d 'Cluster to delete from (default: the only cluster)' -r
complete -c rmqctl -n "__fish_rmqctl_using_subcommand topic; and __fish_seen_subcommand_from delete" -s n -l namesrv -d 'Name servers, `host:port;host:port`. Default: $NAMESRV_ADDR, then -i' -r
complete -c rmqctl -n "__fish_rmqctl_using_subcommand topic; and __fish_seen_subcommand_from delete" -s i -l inventory -d 'Inventory (TOML) to take the name servers from (used when -n is not given; wins over $NAMESRV_ADDR)' -r -F
complete -c rmqctl -n "__fish_rmqctl_using_subcommand topic; and __fish_seen_subcommand_from delete" -l timeout -d 'Per-request timeout: `3s`, `500ms` or a number of seconds' -r
complete -c rmqctl -n "__fish_rmqctl_using_subcommand topic; and __fish_seen_subcommand_from delete" -s o -l output -d 'Output format' -r -f -a "table\t''
json\t''"
complete -c rmqctl -n "__fish_rmqctl_using_subcommand topic; and __fish_seen_subcommand_from delete" -l tls-ca -d 'CA certificate(s) (PEM) to verify the servers with; implies --tls' -r -F
complete -c rmqctl -n "__fish_rmqctl_using_subcommand topic; and __fish_seen_subcommand_from delete" -l tls-cert -d 'Client certificate (PEM) for servers that want one (mutual TLS); needs --tls-key' -r -F
complete -c rmqctl -n "__fish_rmqctl_using_subcommand topic; and __fish_seen_subcommand_from delete" -l tls-key -d 'Private key (PEM) of --tls-cert; an encrypted PKCS#8 key takes its password from $RMQCTL_TLS_KEY_PASSWORD (never from the command line)' -r -F
complete -c rmqctl -n "__fish_rmqctl_using_subcommand topic; and __fish_seen_subcommand_from delete" -l access-key -d 'ACL access key to sign requests with (for brokers with aclEnable=true)' -r
complete -c rmqctl -n "__fish_rmqctl_using_subcommand topic; and __fish_seen_subcommand_from delete" -l secret-key -d 'ACL secret key. Prefer $RMQCTL_SECRET_KEY: other users of the machine can read a process\'s arguments' -r
complete -c rmqctl -n "__fish_rmqctl_using_subcommand topic; and __fish_seen_subcommand_from delete" -s y -l yes -d 'Do not ask for confirmation'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand topic; and __fish_seen_subcommand_from delete" -l tls -d 'Connect with TLS (the servers run tls.server.mode=permissive or enforcing)'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand topic; and __fish_seen_subcommand_from delete" -l tls-insecure -d 'Do NOT verify the servers\' certificates (anyone in the path can read and change traffic)'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand topic; and __fish_seen_subcommand_from delete" -s h -l help -d 'Print help'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand topic; and __fish_seen_subcommand_from delete" -s V -l version -d 'Print version'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand topic; and __fish_seen_subcommand_from list" -s c -l cluster -d 'Only the topics of this cluster' -r
complete -c rmqctl -n "__fish_rmqctl_using_subcommand topic; and __fish_seen_subcommand_from list" -s n -l namesrv -d 'Name servers, `host:port;host:port`. Default: $NAMESRV_ADDR, then -i' -r
complete -c rmqctl -n "__fish_rmqctl_using_subcommand topic; and __fish_seen_subcommand_from list" -s i -l inventory -d 'Inventory (TOML) to take the name servers from (used when -n is not given; wins over $NAMESRV_ADDR)' -r -F
complete -c rmqctl -n "__fish_rmqctl_using_subcommand topic; and __fish_seen_subcommand_from list" -l timeout -d 'Per-request timeout: `3s`, `500ms` or a number of seconds' -r
complete -c rmqctl -n "__fish_rmqctl_using_subcommand topic; and __fish_seen_subcommand_from list" -s o -l output -d 'Output format' -r -f -a "table\t''
json\t''"
complete -c rmqctl -n "__fish_rmqctl_using_subcommand topic; and __fish_seen_subcommand_from list" -l tls-ca -d 'CA certificate(s) (PEM) to verify the servers with; implies --tls' -r -F
complete -c rmqctl -n "__fish_rmqctl_using_subcommand topic; and __fish_seen_subcommand_from list" -l tls-cert -d 'Client certificate (PEM) for servers that want one (mutual TLS); needs --tls-key' -r -F
complete -c rmqctl -n "__fish_rmqctl_using_subcommand topic; and __fish_seen_subcommand_from list" -l tls-key -d 'Private key (PEM) of --tls-cert; an encrypted PKCS#8 key takes its password from $RMQCTL_TLS_KEY_PASSWORD (never from the command line)' -r -F
complete -c rmqctl -n "__fish_rmqctl_using_subcommand topic; and __fish_seen_subcommand_from list" -l access-key -d 'ACL access key to sign requests with (for brokers with aclEnable=true)' -r
complete -c rmqctl -n "__fish_rmqctl_using_subcommand topic; and __fish_seen_subcommand_from list" -l secret-key -d 'ACL secret key. Prefer $RMQCTL_SECRET_KEY: other users of the machine can read a process\'s arguments' -r
complete -c rmqctl -n "__fish_rmqctl_using_subcommand topic; and __fish_seen_subcommand_from list" -l tls -d 'Connect with TLS (the servers run tls.server.mode=permissive or enforcing)'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand topic; and __fish_seen_subcommand_from list" -l tls-insecure -d 'Do NOT verify the servers\' certificates (anyone in the path can read and change traffic)'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand topic; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand topic; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand topic; and __fish_seen_subcommand_from route" -s t -l topic -r -f -a "(rmqctl __complete topics 2>/dev/null)"
complete -c rmqctl -n "__fish_rmqctl_using_subcommand topic; and __fish_seen_subcommand_from route" -s n -l namesrv -d 'Name servers, `host:port;host:port`. Default: $NAMESRV_ADDR, then -i' -r
complete -c rmqctl -n "__fish_rmqctl_using_subcommand topic; and __fish_seen_subcommand_from route" -s i -l inventory -d 'Inventory (TOML) to take the name servers from (used when -n is not given; wins over $NAMESRV_ADDR)' -r -F
complete -c rmqctl -n "__fish_rmqctl_using_subcommand topic; and __fish_seen_subcommand_from route" -l timeout -d 'Per-request timeout: `3s`, `500ms` or a number of seconds' -r
complete -c rmqctl -n "__fish_rmqctl_using_subcommand topic; and __fish_seen_subcommand_from route" -s o -l output -d 'Output format' -r -f -a "table\t''
json\t''"
complete -c rmqctl -n "__fish_rmqctl_using_subcommand topic; and __fish_seen_subcommand_from route" -l tls-ca -d 'CA certificate(s) (PEM) to verify the servers with; implies --tls' -r -F
complete -c rmqctl -n "__fish_rmqctl_using_subcommand topic; and __fish_seen_subcommand_from route" -l tls-cert -d 'Client certificate (PEM) for servers that want one (mutual TLS); needs --tls-key' -r -F
complete -c rmqctl -n "__fish_rmqctl_using_subcommand topic; and __fish_seen_subcommand_from route" -l tls-key -d 'Private key (PEM) of --tls-cert; an encrypted PKCS#8 key takes its password from $RMQCTL_TLS_KEY_PASSWORD (never from the command line)' -r -F
complete -c rmqctl -n "__fish_rmqctl_using_subcommand topic; and __fish_seen_subcommand_from route" -l access-key -d 'ACL access key to sign requests with (for brokers with aclEnable=true)' -r
complete -c rmqctl -n "__fish_rmqctl_using_subcommand topic; and __fish_seen_subcommand_from route" -l secret-key -d 'ACL secret key. Prefer $RMQCTL_SECRET_KEY: other users of the machine can read a process\'s arguments' -r
complete -c rmqctl -n "__fish_rmqctl_using_subcommand topic; and __fish_seen_subcommand_from route" -l tls -d 'Connect with TLS (the servers run tls.server.mode=permissive or enforcing)'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand topic; and __fish_seen_subcommand_from route" -l tls-insecure -d 'Do NOT verify the servers\' certificates (anyone in the path can read and change traffic)'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand topic; and __fish_seen_subcommand_from route" -s h -l help -d 'Print help'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand topic; and __fish_seen_subcommand_from route" -s V -l version -d 'Print version'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand topic; and __fish_seen_subcommand_from status" -s t -l topic -r -f -a "(rmqctl __complete topics 2>/dev/null)"
complete -c rmqctl -n "__fish_rmqctl_using_subcommand topic; and __fish_seen_subcommand_from status" -s n -l namesrv -d 'Name servers, `host:port;host:port`. Default: $NAMESRV_ADDR, then -i' -r
complete -c rmqctl -n "__fish_rmqctl_using_subcommand topic; and __fish_seen_subcommand_from status" -s i -l inventory -d 'Inventory (TOML) to take the name servers from (used when -n is not given; wins over $NAMESRV_ADDR)' -r -F
complete -c rmqctl -n "__fish_rmqctl_using_subcommand topic; and __fish_seen_subcommand_from status" -l timeout -d 'Per-request timeout: `3s`, `500ms` or a number of seconds' -r
complete -c rmqctl -n "__fish_rmqctl_using_subcommand topic; and __fish_seen_subcommand_from status" -s o -l output -d 'Output format' -r -f -a "table\t''
json\t''"
complete -c rmqctl -n "__fish_rmqctl_using_subcommand topic; and __fish_seen_subcommand_from status" -l tls-ca -d 'CA certificate(s) (PEM) to verify the servers with; implies --tls' -r -F
complete -c rmqctl -n "__fish_rmqctl_using_subcommand topic; and __fish_seen_subcommand_from status" -l tls-cert -d 'Client certificate (PEM) for servers that want one (mutual TLS); needs --tls-key' -r -F
complete -c rmqctl -n "__fish_rmqctl_using_subcommand topic; and __fish_seen_subcommand_from status" -l tls-key -d 'Private key (PEM) of --tls-cert; an encrypted PKCS#8 key takes its password from $RMQCTL_TLS_KEY_PASSWORD (never from the command line)' -r -F
complete -c rmqctl -n "__fish_rmqctl_using_subcommand topic; and __fish_seen_subcommand_from status" -l access-key -d 'ACL access key to sign requests with (for brokers with aclEnable=true)' -r
complete -c rmqctl -n "__fish_rmqctl_using_subcommand topic; and __fish_seen_subcommand_from status" -l secret-key -d 'ACL secret key. Prefer $RMQCTL_SECRET_KEY: other users of the machine can read a process\'s arguments' -r
complete -c rmqctl -n "__fish_rmqctl_using_subcommand topic; and __fish_seen_subcommand_from status" -l tls -d 'Connect with TLS (the servers run tls.server.mode=permissive or enforcing)'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand topic; and __fish_seen_subcommand_from status" -l tls-insecure -d 'Do NOT verify the servers\' certificates (anyone in the path can read and change traffic)'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand topic; and __fish_seen_subcommand_from status" -s h -l help -d 'Print help'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand topic; and __fish_seen_subcommand_from status" -s V -l version -d 'Print version'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand topic; and __fish_seen_subcommand_from help" -f -a "create" -d 'Create a topic on every master of a cluster (or one broker); re-running with the same values changes nothing, with new values updates'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand topic; and __fish_seen_subcommand_from help" -f -a "delete" -d 'Delete a topic from every master of a cluster and from every name server'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand topic; and __fish_seen_subcommand_from help" -f -a "list" -d 'List topics (all, or one cluster\'s)'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand topic; and __fish_seen_subcommand_from help" -f -a "route" -d 'Show which brokers serve a topic, with queue counts and permissions'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand topic; and __fish_seen_subcommand_from help" -f -a "status" -d 'Per queue: broker, queue id, min and max offset, last store time'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand topic; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand cluster; and not __fish_seen_subcommand_from status help" -s h -l help -d 'Print help'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand cluster; and not __fish_seen_subcommand_from status help" -s V -l version -d 'Print version'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand cluster; and not __fish_seen_subcommand_from status help" -f -a "status" -d 'Per broker: role, address, version, TPS, today\'s traffic, commit-log offset, replication lag'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand cluster; and not __fish_seen_subcommand_from status help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand cluster; and __fish_seen_subcommand_from status" -s c -l cluster -d 'Only this cluster' -r
complete -c rmqctl -n "__fish_rmqctl_using_subcommand cluster; and __fish_seen_subcommand_from status" -s w -l watch -d 'Refresh every SECS seconds (default 2) until interrupted' -r
complete -c rmqctl -n "__fish_rmqctl_using_subcommand cluster; and __fish_seen_subcommand_from status" -s n -l namesrv -d 'Name servers, `host:port;host:port`. Default: $NAMESRV_ADDR, then -i' -r
complete -c rmqctl -n "__fish_rmqctl_using_subcommand cluster; and __fish_seen_subcommand_from status" -s i -l inventory -d 'Inventory (TOML) to take the name servers from (used when -n is not given; wins over $NAMESRV_ADDR)' -r -F
complete -c rmqctl -n "__fish_rmqctl_using_subcommand cluster; and __fish_seen_subcommand_from status" -l timeout -d 'Per-request timeout: `3s`, `500ms` or a number of seconds' -r
complete -c rmqctl -n "__fish_rmqctl_using_subcommand cluster; and __fish_seen_subcommand_from status" -s o -l output -d 'Output format' -r -f -a "table\t''
json\t''"
complete -c rmqctl -n "__fish_rmqctl_using_subcommand cluster; and __fish_seen_subcommand_from status" -l tls-ca -d 'CA certificate(s) (PEM) to verify the servers with; implies --tls' -r -F
complete -c rmqctl -n "__fish_rmqctl_using_subcommand cluster; and __fish_seen_subcommand_from status" -l tls-cert -d 'Client certificate (PEM) for servers that want one (mutual TLS); needs --tls-key' -r -F
complete -c rmqctl -n "__fish_rmqctl_using_subcommand cluster; and __fish_seen_subcommand_from status" -l tls-key -d 'Private key (PEM) of --tls-cert; an encrypted PKCS#8 key takes its password from $RMQCTL_TLS_KEY_PASSWORD (never from the command line)' -r -F
complete -c rmqctl -n "__fish_rmqctl_using_subcommand cluster; and __fish_seen_subcommand_from status" -l access-key -d 'ACL access key to sign requests with (for brokers with aclEnable=true)' -r
complete -c rmqctl -n "__fish_rmqctl_using_subcommand cluster; and __fish_seen_subcommand_from status" -l secret-key -d 'ACL secret key. Prefer $RMQCTL_SECRET_KEY: other users of the machine can read a process\'s arguments' -r
complete -c rmqctl -n "__fish_rmqctl_using_subcommand cluster; and __fish_seen_subcommand_from status" -l tls -d 'Connect with TLS (the servers run tls.server.mode=permissive or enforcing)'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand cluster; and __fish_seen_subcommand_from status" -l tls-insecure -d 'Do NOT verify the servers\' certificates (anyone in the path can read and change traffic)'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand cluster; and __fish_seen_subcommand_from status" -s h -l help -d 'Print help'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand cluster; and __fish_seen_subcommand_from status" -s V -l version -d 'Print version'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand cluster; and __fish_seen_subcommand_from help" -f -a "status" -d 'Per broker: role, address, version, TPS, today\'s traffic, commit-log offset, replication lag'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand cluster; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand offsets" -s t -l topic -r -f -a "(rmqctl __complete topics 2>/dev/null)"
complete -c rmqctl -n "__fish_rmqctl_using_subcommand offsets" -s g -l group -d 'Consumer group: adds its offset, lag and the age of the oldest unconsumed message' -r -f -a "(rmqctl __complete groups 2>/dev/null)"
complete -c rmqctl -n "__fish_rmqctl_using_subcommand offsets" -l fail-above -d 'Exit with code 3 when the group\'s total lag on the topic exceeds N' -r
complete -c rmqctl -n "__fish_rmqctl_using_subcommand offsets" -s n -l namesrv -d 'Name servers, `host:port;host:port`. Default: $NAMESRV_ADDR, then -i' -r
complete -c rmqctl -n "__fish_rmqctl_using_subcommand offsets" -s i -l inventory -d 'Inventory (TOML) to take the name servers from (used when -n is not given; wins over $NAMESRV_ADDR)' -r -F
complete -c rmqctl -n "__fish_rmqctl_using_subcommand offsets" -l timeout -d 'Per-request timeout: `3s`, `500ms` or a number of seconds' -r
complete -c rmqctl -n "__fish_rmqctl_using_subcommand offsets" -s o -l output -d 'Output format' -r -f -a "table\t''
json\t''"
complete -c rmqctl -n "__fish_rmqctl_using_subcommand offsets" -l tls-ca -d 'CA certificate(s) (PEM) to verify the servers with; implies --tls' -r -F
complete -c rmqctl -n "__fish_rmqctl_using_subcommand offsets" -l tls-cert -d 'Client certificate (PEM) for servers that want one (mutual TLS); needs --tls-key' -r -F
complete -c rmqctl -n "__fish_rmqctl_using_subcommand offsets" -l tls-key -d 'Private key (PEM) of --tls-cert; an encrypted PKCS#8 key takes its password from $RMQCTL_TLS_KEY_PASSWORD (never from the command line)' -r -F
complete -c rmqctl -n "__fish_rmqctl_using_subcommand offsets" -l access-key -d 'ACL access key to sign requests with (for brokers with aclEnable=true)' -r
complete -c rmqctl -n "__fish_rmqctl_using_subcommand offsets" -l secret-key -d 'ACL secret key. Prefer $RMQCTL_SECRET_KEY: other users of the machine can read a process\'s arguments' -r
complete -c rmqctl -n "__fish_rmqctl_using_subcommand offsets" -l tls -d 'Connect with TLS (the servers run tls.server.mode=permissive or enforcing)'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand offsets" -l tls-insecure -d 'Do NOT verify the servers\' certificates (anyone in the path can read and change traffic)'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand offsets" -s h -l help -d 'Print help'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand offsets" -s V -l version -d 'Print version'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand group; and not __fish_seen_subcommand_from list describe reset help" -s h -l help -d 'Print help'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand group; and not __fish_seen_subcommand_from list describe reset help" -s V -l version -d 'Print version'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand group; and not __fish_seen_subcommand_from list describe reset help" -f -a "list" -d 'Consumer groups known to the masters'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand group; and not __fish_seen_subcommand_from list describe reset help" -f -a "describe" -d 'Every topic a group consumes, per-queue lag, totals and connected clients'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand group; and not __fish_seen_subcommand_from list describe reset help" -f -a "reset" -d 'Move a group\'s offsets on a topic; shows a before/after preview and changes nothing unless --execute'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand group; and not __fish_seen_subcommand_from list describe reset help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand group; and __fish_seen_subcommand_from list" -s n -l namesrv -d 'Name servers, `host:port;host:port`. Default: $NAMESRV_ADDR, then -i' -r
complete -c rmqctl -n "__fish_rmqctl_using_subcommand group; and __fish_seen_subcommand_from list" -s i -l inventory -d 'Inventory (TOML) to take the name servers from (used when -n is not given; wins over $NAMESRV_ADDR)' -r -F
complete -c rmqctl -n "__fish_rmqctl_using_subcommand group; and __fish_seen_subcommand_from list" -l timeout -d 'Per-request timeout: `3s`, `500ms` or a number of seconds' -r
complete -c rmqctl -n "__fish_rmqctl_using_subcommand group; and __fish_seen_subcommand_from list" -s o -l output -d 'Output format' -r -f -a "table\t''
json\t''"
complete -c rmqctl -n "__fish_rmqctl_using_subcommand group; and __fish_seen_subcommand_from list" -l tls-ca -d 'CA certificate(s) (PEM) to verify the servers with; implies --tls' -r -F
complete -c rmqctl -n "__fish_rmqctl_using_subcommand group; and __fish_seen_subcommand_from list" -l tls-cert -d 'Client certificate (PEM) for servers that want one (mutual TLS); needs --tls-key' -r -F
complete -c rmqctl -n "__fish_rmqctl_using_subcommand group; and __fish_seen_subcommand_from list" -l tls-key -d 'Private key (PEM) of --tls-cert; an encrypted PKCS#8 key takes its password from $RMQCTL_TLS_KEY_PASSWORD (never from the command line)' -r -F
complete -c rmqctl -n "__fish_rmqctl_using_subcommand group; and __fish_seen_subcommand_from list" -l access-key -d 'ACL access key to sign requests with (for brokers with aclEnable=true)' -r
complete -c rmqctl -n "__fish_rmqctl_using_subcommand group; and __fish_seen_subcommand_from list" -l secret-key -d 'ACL secret key. Prefer $RMQCTL_SECRET_KEY: other users of the machine can read a process\'s arguments' -r
complete -c rmqctl -n "__fish_rmqctl_using_subcommand group; and __fish_seen_subcommand_from list" -l all -d 'Include the brokers\' own groups (TOOLS_CONSUMER, CID_RMQ_SYS_...)'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand group; and __fish_seen_subcommand_from list" -l tls -d 'Connect with TLS (the servers run tls.server.mode=permissive or enforcing)'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand group; and __fish_seen_subcommand_from list" -l tls-insecure -d 'Do NOT verify the servers\' certificates (anyone in the path can read and change traffic)'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand group; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand group; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand group; and __fish_seen_subcommand_from describe" -s g -l group -r -f -a "(rmqctl __complete groups 2>/dev/null)"
complete -c rmqctl -n "__fish_rmqctl_using_subcommand group; and __fish_seen_subcommand_from describe" -l fail-above -d 'Exit with code 3 when the total lag exceeds N (for cron and CI)' -r
complete -c rmqctl -n "__fish_rmqctl_using_subcommand group; and __fish_seen_subcommand_from describe" -s n -l namesrv -d 'Name servers, `host:port;host:port`. Default: $NAMESRV_ADDR, then -i' -r
complete -c rmqctl -n "__fish_rmqctl_using_subcommand group; and __fish_seen_subcommand_from describe" -s i -l inventory -d 'Inventory (TOML) to take the name servers from (used when -n is not given; wins over $NAMESRV_ADDR)' -r -F
complete -c rmqctl -n "__fish_rmqctl_using_subcommand group; and __fish_seen_subcommand_from describe" -l timeout -d 'Per-request timeout: `3s`, `500ms` or a number of seconds' -r
complete -c rmqctl -n "__fish_rmqctl_using_subcommand group; and __fish_seen_subcommand_from describe" -s o -l output -d 'Output format' -r -f -a "table\t''
json\t''"
complete -c rmqctl -n "__fish_rmqctl_using_subcommand group; and __fish_seen_subcommand_from describe" -l tls-ca -d 'CA certificate(s) (PEM) to verify the servers with; implies --tls' -r -F
complete -c rmqctl -n "__fish_rmqctl_using_subcommand group; and __fish_seen_subcommand_from describe" -l tls-cert -d 'Client certificate (PEM) for servers that want one (mutual TLS); needs --tls-key' -r -F
complete -c rmqctl -n "__fish_rmqctl_using_subcommand group; and __fish_seen_subcommand_from describe" -l tls-key -d 'Private key (PEM) of --tls-cert; an encrypted PKCS#8 key takes its password from $RMQCTL_TLS_KEY_PASSWORD (never from the command line)' -r -F
complete -c rmqctl -n "__fish_rmqctl_using_subcommand group; and __fish_seen_subcommand_from describe" -l access-key -d 'ACL access key to sign requests with (for brokers with aclEnable=true)' -r
complete -c rmqctl -n "__fish_rmqctl_using_subcommand group; and __fish_seen_subcommand_from describe" -l secret-key -d 'ACL secret key. Prefer $RMQCTL_SECRET_KEY: other users of the machine can read a process\'s arguments' -r
complete -c rmqctl -n "__fish_rmqctl_using_subcommand group; and __fish_seen_subcommand_from describe" -l tls -d 'Connect with TLS (the servers run tls.server.mode=permissive or enforcing)'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand group; and __fish_seen_subcommand_from describe" -l tls-insecure -d 'Do NOT verify the servers\' certificates (anyone in the path can read and change traffic)'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand group; and __fish_seen_subcommand_from describe" -s h -l help -d 'Print help'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand group; and __fish_seen_subcommand_from describe" -s V -l version -d 'Print version'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand group; and __fish_seen_subcommand_from reset" -s g -l group -r -f -a "(rmqctl __complete groups 2>/dev/null)"
complete -c rmqctl -n "__fish_rmqctl_using_subcommand group; and __fish_seen_subcommand_from reset" -s t -l topic -r -f -a "(rmqctl __complete topics 2>/dev/null)"
complete -c rmqctl -n "__fish_rmqctl_using_subcommand group; and __fish_seen_subcommand_from reset" -l to-time -d 'First message stored at or after TIME: epoch ms, `YYYY-MM-DD[THH:MM[:SS[.mmm]]]` (UTC) or `now`' -r
complete -c rmqctl -n "__fish_rmqctl_using_subcommand group; and __fish_seen_subcommand_from reset" -s n -l namesrv -d 'Name servers, `host:port;host:port`. Default: $NAMESRV_ADDR, then -i' -r
complete -c rmqctl -n "__fish_rmqctl_using_subcommand group; and __fish_seen_subcommand_from reset" -s i -l inventory -d 'Inventory (TOML) to take the name servers from (used when -n is not given; wins over $NAMESRV_ADDR)' -r -F
complete -c rmqctl -n "__fish_rmqctl_using_subcommand group; and __fish_seen_subcommand_from reset" -l timeout -d 'Per-request timeout: `3s`, `500ms` or a number of seconds' -r
complete -c rmqctl -n "__fish_rmqctl_using_subcommand group; and __fish_seen_subcommand_from reset" -s o -l output -d 'Output format' -r -f -a "table\t''
json\t''"
complete -c rmqctl -n "__fish_rmqctl_using_subcommand group; and __fish_seen_subcommand_from reset" -l tls-ca -d 'CA certificate(s) (PEM) to verify the servers with; implies --tls' -r -F
complete -c rmqctl -n "__fish_rmqctl_using_subcommand group; and __fish_seen_subcommand_from reset" -l tls-cert -d 'Client certificate (PEM) for servers that want one (mutual TLS); needs --tls-key' -r -F
complete -c rmqctl -n "__fish_rmqctl_using_subcommand group; and __fish_seen_subcommand_from reset" -l tls-key -d 'Private key (PEM) of --tls-cert; an encrypted PKCS#8 key takes its password from $RMQCTL_TLS_KEY_PASSWORD (never from the command line)' -r -F
complete -c rmqctl -n "__fish_rmqctl_using_subcommand group; and __fish_seen_subcommand_from reset" -l access-key -d 'ACL access key to sign requests with (for brokers with aclEnable=true)' -r
complete -c rmqctl -n "__fish_rmqctl_using_subcommand group; and __fish_seen_subcommand_from reset" -l secret-key -d 'ACL secret key. Prefer $RMQCTL_SECRET_KEY: other users of the machine can read a process\'s arguments' -r
complete -c rmqctl -n "__fish_rmqctl_using_subcommand group; and __fish_seen_subcommand_from reset" -l to-earliest -d 'The oldest message still stored'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand group; and __fish_seen_subcommand_from reset" -l to-latest -d 'After the newest message (skip everything pending)'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand group; and __fish_seen_subcommand_from reset" -l execute -d 'Apply the change (without it, only the preview is shown)'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand group; and __fish_seen_subcommand_from reset" -l tls -d 'Connect with TLS (the servers run tls.server.mode=permissive or enforcing)'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand group; and __fish_seen_subcommand_from reset" -l tls-insecure -d 'Do NOT verify the servers\' certificates (anyone in the path can read and change traffic)'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand group; and __fish_seen_subcommand_from reset" -s h -l help -d 'Print help'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand group; and __fish_seen_subcommand_from reset" -s V -l version -d 'Print version'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand group; and __fish_seen_subcommand_from help" -f -a "list" -d 'Consumer groups known to the masters'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand group; and __fish_seen_subcommand_from help" -f -a "describe" -d 'Every topic a group consumes, per-queue lag, totals and connected clients'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand group; and __fish_seen_subcommand_from help" -f -a "reset" -d 'Move a group\'s offsets on a topic; shows a before/after preview and changes nothing unless --execute'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand group; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand message; and not __fish_seen_subcommand_from send consume get query help" -s h -l help -d 'Print help'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand message; and not __fish_seen_subcommand_from send consume get query help" -s V -l version -d 'Print version'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand message; and not __fish_seen_subcommand_from send consume get query help" -f -a "send" -d 'Send one message'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand message; and not __fish_seen_subcommand_from send consume get query help" -f -a "consume" -d 'Read messages (from the group\'s offsets, or from the start); commits nothing'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand message; and not __fish_seen_subcommand_from send consume get query help" -f -a "get" -d 'Show one message by offset id, or by unique id with -t'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand message; and not __fish_seen_subcommand_from send consume get query help" -f -a "query" -d 'Find messages by key'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand message; and not __fish_seen_subcommand_from send consume get query help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand message; and __fish_seen_subcommand_from send" -s t -l topic -r -f -a "(rmqctl __complete topics 2>/dev/null)"
complete -c rmqctl -n "__fish_rmqctl_using_subcommand message; and __fish_seen_subcommand_from send" -l tag -r
complete -c rmqctl -n "__fish_rmqctl_using_subcommand message; and __fish_seen_subcommand_from send" -s k -l key -d 'Message key (repeatable)' -r
complete -c rmqctl -n "__fish_rmqctl_using_subcommand message; and __fish_seen_subcommand_from send" -l body -d 'Body text' -r
complete -c rmqctl -n "__fish_rmqctl_using_subcommand message; and __fish_seen_subcommand_from send" -l file -d 'Body from a file (`-` for stdin)' -r -F
complete -c rmqctl -n "__fish_rmqctl_using_subcommand message; and __fish_seen_subcommand_from send" -s n -l namesrv -d 'Name servers, `host:port;host:port`. Default: $NAMESRV_ADDR, then -i' -r
complete -c rmqctl -n "__fish_rmqctl_using_subcommand message; and __fish_seen_subcommand_from send" -s i -l inventory -d 'Inventory (TOML) to take the name servers from (used when -n is not given; wins over $NAMESRV_ADDR)' -r -F
complete -c rmqctl -n "__fish_rmqctl_using_subcommand message; and __fish_seen_subcommand_from send" -l timeout -d 'Per-request timeout: `3s`, `500ms` or a number of seconds' -r
complete -c rmqctl -n "__fish_rmqctl_using_subcommand message; and __fish_seen_subcommand_from send" -s o -l output -d 'Output format' -r -f -a "table\t''
json\t''"
complete -c rmqctl -n "__fish_rmqctl_using_subcommand message; and __fish_seen_subcommand_from send" -l tls-ca -d 'CA certificate(s) (PEM) to verify the servers with; implies --tls' -r -F
complete -c rmqctl -n "__fish_rmqctl_using_subcommand message; and __fish_seen_subcommand_from send" -l tls-cert -d 'Client certificate (PEM) for servers that want one (mutual TLS); needs --tls-key' -r -F
complete -c rmqctl -n "__fish_rmqctl_using_subcommand message; and __fish_seen_subcommand_from send" -l tls-key -d 'Private key (PEM) of --tls-cert; an encrypted PKCS#8 key takes its password from $RMQCTL_TLS_KEY_PASSWORD (never from the command line)' -r -F
complete -c rmqctl -n "__fish_rmqctl_using_subcommand message; and __fish_seen_subcommand_from send" -l access-key -d 'ACL access key to sign requests with (for brokers with aclEnable=true)' -r
complete -c rmqctl -n "__fish_rmqctl_using_subcommand message; and __fish_seen_subcommand_from send" -l secret-key -d 'ACL secret key. Prefer $RMQCTL_SECRET_KEY: other users of the machine can read a process\'s arguments' -r
complete -c rmqctl -n "__fish_rmqctl_using_subcommand message; and __fish_seen_subcommand_from send" -l tls -d 'Connect with TLS (the servers run tls.server.mode=permissive or enforcing)'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand message; and __fish_seen_subcommand_from send" -l tls-insecure -d 'Do NOT verify the servers\' certificates (anyone in the path can read and change traffic)'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand message; and __fish_seen_subcommand_from send" -s h -l help -d 'Print help'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand message; and __fish_seen_subcommand_from send" -s V -l version -d 'Print version'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand message; and __fish_seen_subcommand_from consume" -s t -l topic -r -f -a "(rmqctl __complete topics 2>/dev/null)"
complete -c rmqctl -n "__fish_rmqctl_using_subcommand message; and __fish_seen_subcommand_from consume" -s g -l group -d 'Start from this group\'s committed offsets (default: from the oldest message)' -r -f -a "(rmqctl __complete groups 2>/dev/null)"
complete -c rmqctl -n "__fish_rmqctl_using_subcommand message; and __fish_seen_subcommand_from consume" -s N -l count -d 'At most N messages' -r
complete -c rmqctl -n "__fish_rmqctl_using_subcommand message; and __fish_seen_subcommand_from consume" -s n -l namesrv -d 'Name servers, `host:port;host:port`. Default: $NAMESRV_ADDR, then -i' -r
complete -c rmqctl -n "__fish_rmqctl_using_subcommand message; and __fish_seen_subcommand_from consume" -s i -l inventory -d 'Inventory (TOML) to take the name servers from (used when -n is not given; wins over $NAMESRV_ADDR)' -r -F
complete -c rmqctl -n "__fish_rmqctl_using_subcommand message; and __fish_seen_subcommand_from consume" -l timeout -d 'Per-request timeout: `3s`, `500ms` or a number of seconds' -r
complete -c rmqctl -n "__fish_rmqctl_using_subcommand message; and __fish_seen_subcommand_from consume" -s o -l output -d 'Output format' -r -f -a "table\t''
json\t''"
complete -c rmqctl -n "__fish_rmqctl_using_subcommand message; and __fish_seen_subcommand_from consume" -l tls-ca -d 'CA certificate(s) (PEM) to verify the servers with; implies --tls' -r -F
complete -c rmqctl -n "__fish_rmqctl_using_subcommand message; and __fish_seen_subcommand_from consume" -l tls-cert -d 'Client certificate (PEM) for servers that want one (mutual TLS); needs --tls-key' -r -F
complete -c rmqctl -n "__fish_rmqctl_using_subcommand message; and __fish_seen_subcommand_from consume" -l tls-key -d 'Private key (PEM) of --tls-cert; an encrypted PKCS#8 key takes its password from $RMQCTL_TLS_KEY_PASSWORD (never from the command line)' -r -F
complete -c rmqctl -n "__fish_rmqctl_using_subcommand message; and __fish_seen_subcommand_from consume" -l access-key -d 'ACL access key to sign requests with (for brokers with aclEnable=true)' -r
complete -c rmqctl -n "__fish_rmqctl_using_subcommand message; and __fish_seen_subcommand_from consume" -l secret-key -d 'ACL secret key. Prefer $RMQCTL_SECRET_KEY: other users of the machine can read a process\'s arguments' -r
complete -c rmqctl -n "__fish_rmqctl_using_subcommand message; and __fish_seen_subcommand_from consume" -l tls -d 'Connect with TLS (the servers run tls.server.mode=permissive or enforcing)'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand message; and __fish_seen_subcommand_from consume" -l tls-insecure -d 'Do NOT verify the servers\' certificates (anyone in the path can read and change traffic)'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand message; and __fish_seen_subcommand_from consume" -s h -l help -d 'Print help'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand message; and __fish_seen_subcommand_from consume" -s V -l version -d 'Print version'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand message; and __fish_seen_subcommand_from get" -s t -l topic -d 'Topic to search the unique id in' -r -f -a "(rmqctl __complete topics 2>/dev/null)"
complete -c rmqctl -n "__fish_rmqctl_using_subcommand message; and __fish_seen_subcommand_from get" -s n -l namesrv -d 'Name servers, `host:port;host:port`. Default: $NAMESRV_ADDR, then -i' -r
complete -c rmqctl -n "__fish_rmqctl_using_subcommand message; and __fish_seen_subcommand_from get" -s i -l inventory -d 'Inventory (TOML) to take the name servers from (used when -n is not given; wins over $NAMESRV_ADDR)' -r -F
complete -c rmqctl -n "__fish_rmqctl_using_subcommand message; and __fish_seen_subcommand_from get" -l timeout -d 'Per-request timeout: `3s`, `500ms` or a number of seconds' -r
complete -c rmqctl -n "__fish_rmqctl_using_subcommand message; and __fish_seen_subcommand_from get" -s o -l output -d 'Output format' -r -f -a "table\t''
json\t''"
complete -c rmqctl -n "__fish_rmqctl_using_subcommand message; and __fish_seen_subcommand_from get" -l tls-ca -d 'CA certificate(s) (PEM) to verify the servers with; implies --tls' -r -F
complete -c rmqctl -n "__fish_rmqctl_using_subcommand message; and __fish_seen_subcommand_from get" -l tls-cert -d 'Client certificate (PEM) for servers that want one (mutual TLS); needs --tls-key' -r -F
complete -c rmqctl -n "__fish_rmqctl_using_subcommand message; and __fish_seen_subcommand_from get" -l tls-key -d 'Private key (PEM) of --tls-cert; an encrypted PKCS#8 key takes its password from $RMQCTL_TLS_KEY_PASSWORD (never from the command line)' -r -F
complete -c rmqctl -n "__fish_rmqctl_using_subcommand message; and __fish_seen_subcommand_from get" -l access-key -d 'ACL access key to sign requests with (for brokers with aclEnable=true)' -r
complete -c rmqctl -n "__fish_rmqctl_using_subcommand message; and __fish_seen_subcommand_from get" -l secret-key -d 'ACL secret key. Prefer $RMQCTL_SECRET_KEY: other users of the machine can read a process\'s arguments' -r
complete -c rmqctl -n "__fish_rmqctl_using_subcommand message; and __fish_seen_subcommand_from get" -l tls -d 'Connect with TLS (the servers run tls.server.mode=permissive or enforcing)'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand message; and __fish_seen_subcommand_from get" -l tls-insecure -d 'Do NOT verify the servers\' certificates (anyone in the path can read and change traffic)'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand message; and __fish_seen_subcommand_from get" -s h -l help -d 'Print help'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand message; and __fish_seen_subcommand_from get" -s V -l version -d 'Print version'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand message; and __fish_seen_subcommand_from query" -s t -l topic -r -f -a "(rmqctl __complete topics 2>/dev/null)"
complete -c rmqctl -n "__fish_rmqctl_using_subcommand message; and __fish_seen_subcommand_from query" -s k -l key -r
complete -c rmqctl -n "__fish_rmqctl_using_subcommand message; and __fish_seen_subcommand_from query" -s n -l namesrv -d 'Name servers, `host:port;host:port`. Default: $NAMESRV_ADDR, then -i' -r
complete -c rmqctl -n "__fish_rmqctl_using_subcommand message; and __fish_seen_subcommand_from query" -s i -l inventory -d 'Inventory (TOML) to take the name servers from (used when -n is not given; wins over $NAMESRV_ADDR)' -r -F
complete -c rmqctl -n "__fish_rmqctl_using_subcommand message; and __fish_seen_subcommand_from query" -l timeout -d 'Per-request timeout: `3s`, `500ms` or a number of seconds' -r
complete -c rmqctl -n "__fish_rmqctl_using_subcommand message; and __fish_seen_subcommand_from query" -s o -l output -d 'Output format' -r -f -a "table\t''
json\t''"
complete -c rmqctl -n "__fish_rmqctl_using_subcommand message; and __fish_seen_subcommand_from query" -l tls-ca -d 'CA certificate(s) (PEM) to verify the servers with; implies --tls' -r -F
complete -c rmqctl -n "__fish_rmqctl_using_subcommand message; and __fish_seen_subcommand_from query" -l tls-cert -d 'Client certificate (PEM) for servers that want one (mutual TLS); needs --tls-key' -r -F
complete -c rmqctl -n "__fish_rmqctl_using_subcommand message; and __fish_seen_subcommand_from query" -l tls-key -d 'Private key (PEM) of --tls-cert; an encrypted PKCS#8 key takes its password from $RMQCTL_TLS_KEY_PASSWORD (never from the command line)' -r -F
complete -c rmqctl -n "__fish_rmqctl_using_subcommand message; and __fish_seen_subcommand_from query" -l access-key -d 'ACL access key to sign requests with (for brokers with aclEnable=true)' -r
complete -c rmqctl -n "__fish_rmqctl_using_subcommand message; and __fish_seen_subcommand_from query" -l secret-key -d 'ACL secret key. Prefer $RMQCTL_SECRET_KEY: other users of the machine can read a process\'s arguments' -r
complete -c rmqctl -n "__fish_rmqctl_using_subcommand message; and __fish_seen_subcommand_from query" -l tls -d 'Connect with TLS (the servers run tls.server.mode=permissive or enforcing)'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand message; and __fish_seen_subcommand_from query" -l tls-insecure -d 'Do NOT verify the servers\' certificates (anyone in the path can read and change traffic)'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand message; and __fish_seen_subcommand_from query" -s h -l help -d 'Print help'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand message; and __fish_seen_subcommand_from query" -s V -l version -d 'Print version'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand message; and __fish_seen_subcommand_from help" -f -a "send" -d 'Send one message'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand message; and __fish_seen_subcommand_from help" -f -a "consume" -d 'Read messages (from the group\'s offsets, or from the start); commits nothing'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand message; and __fish_seen_subcommand_from help" -f -a "get" -d 'Show one message by offset id, or by unique id with -t'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand message; and __fish_seen_subcommand_from help" -f -a "query" -d 'Find messages by key'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand message; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand acl; and not __fish_seen_subcommand_from list add remove whitelist help" -s h -l help -d 'Print help'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand acl; and not __fish_seen_subcommand_from list add remove whitelist help" -s V -l version -d 'Print version'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand acl; and not __fish_seen_subcommand_from list add remove whitelist help" -f -a "list" -d 'Every broker\'s accounts and global white list (secret keys are never shown)'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand acl; and not __fish_seen_subcommand_from list add remove whitelist help" -f -a "add" -d 'Create an account, or update one (only the options given change), on every broker'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand acl; and not __fish_seen_subcommand_from list add remove whitelist help" -f -a "remove" -d 'Delete an account from every broker'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand acl; and not __fish_seen_subcommand_from list add remove whitelist help" -f -a "whitelist" -d 'Replace the global white list of every broker (peers on it need no account)'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand acl; and not __fish_seen_subcommand_from list add remove whitelist help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand acl; and __fish_seen_subcommand_from list" -s c -l cluster -d 'Only the brokers of this cluster' -r
complete -c rmqctl -n "__fish_rmqctl_using_subcommand acl; and __fish_seen_subcommand_from list" -s n -l namesrv -d 'Name servers, `host:port;host:port`. Default: $NAMESRV_ADDR, then -i' -r
complete -c rmqctl -n "__fish_rmqctl_using_subcommand acl; and __fish_seen_subcommand_from list" -s i -l inventory -d 'Inventory (TOML) to take the name servers from (used when -n is not given; wins over $NAMESRV_ADDR)' -r -F
complete -c rmqctl -n "__fish_rmqctl_using_subcommand acl; and __fish_seen_subcommand_from list" -l timeout -d 'Per-request timeout: `3s`, `500ms` or a number of seconds' -r
complete -c rmqctl -n "__fish_rmqctl_using_subcommand acl; and __fish_seen_subcommand_from list" -s o -l output -d 'Output format' -r -f -a "table\t''
json\t''"
complete -c rmqctl -n "__fish_rmqctl_using_subcommand acl; and __fish_seen_subcommand_from list" -l tls-ca -d 'CA certificate(s) (PEM) to verify the servers with; implies --tls' -r -F
complete -c rmqctl -n "__fish_rmqctl_using_subcommand acl; and __fish_seen_subcommand_from list" -l tls-cert -d 'Client certificate (PEM) for servers that want one (mutual TLS); needs --tls-key' -r -F
complete -c rmqctl -n "__fish_rmqctl_using_subcommand acl; and __fish_seen_subcommand_from list" -l tls-key -d 'Private key (PEM) of --tls-cert; an encrypted PKCS#8 key takes its password from $RMQCTL_TLS_KEY_PASSWORD (never from the command line)' -r -F
complete -c rmqctl -n "__fish_rmqctl_using_subcommand acl; and __fish_seen_subcommand_from list" -l access-key -d 'ACL access key to sign requests with (for brokers with aclEnable=true)' -r
complete -c rmqctl -n "__fish_rmqctl_using_subcommand acl; and __fish_seen_subcommand_from list" -l secret-key -d 'ACL secret key. Prefer $RMQCTL_SECRET_KEY: other users of the machine can read a process\'s arguments' -r
complete -c rmqctl -n "__fish_rmqctl_using_subcommand acl; and __fish_seen_subcommand_from list" -l tls -d 'Connect with TLS (the servers run tls.server.mode=permissive or enforcing)'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand acl; and __fish_seen_subcommand_from list" -l tls-insecure -d 'Do NOT verify the servers\' certificates (anyone in the path can read and change traffic)'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand acl; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand acl; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand acl; and __fish_seen_subcommand_from add" -l account-secret -d 'The account\'s secret key (at least 7 characters), needed for a new account. Prefer $RMQCTL_ACCOUNT_SECRET: other users of the machine can read a process\'s arguments' -r
complete -c rmqctl -n "__fish_rmqctl_using_subcommand acl; and __fish_seen_subcommand_from add" -l default-topic-perm -d 'Permission on topics not listed with --topic-perm: DENY, PUB, SUB or PUB|SUB' -r
complete -c rmqctl -n "__fish_rmqctl_using_subcommand acl; and __fish_seen_subcommand_from add" -l default-group-perm -d 'Permission on groups not listed with --group-perm' -r
complete -c rmqctl -n "__fish_rmqctl_using_subcommand acl; and __fish_seen_subcommand_from add" -l topic-perm -d 'A topic\'s permission, `TOPIC=PERM` (repeat; replaces the account\'s list)' -r
complete -c rmqctl -n "__fish_rmqctl_using_subcommand acl; and __fish_seen_subcommand_from add" -l group-perm -d 'A group\'s permission, `GROUP=PERM` (repeat; replaces the account\'s list)' -r
complete -c rmqctl -n "__fish_rmqctl_using_subcommand acl; and __fish_seen_subcommand_from add" -l white-remote-address -d 'Addresses from which this account\'s requests skip the signature check (Apache\'s whiteRemoteAddress: `192.168.0.*`, `192.168.1-10.*`, `10.0.0.{1,2}`)' -r
complete -c rmqctl -n "__fish_rmqctl_using_subcommand acl; and __fish_seen_subcommand_from add" -s c -l cluster -d 'Only the brokers of this cluster' -r
complete -c rmqctl -n "__fish_rmqctl_using_subcommand acl; and __fish_seen_subcommand_from add" -s n -l namesrv -d 'Name servers, `host:port;host:port`. Default: $NAMESRV_ADDR, then -i' -r
complete -c rmqctl -n "__fish_rmqctl_using_subcommand acl; and __fish_seen_subcommand_from add" -s i -l inventory -d 'Inventory (TOML) to take the name servers from (used when -n is not given; wins over $NAMESRV_ADDR)' -r -F
complete -c rmqctl -n "__fish_rmqctl_using_subcommand acl; and __fish_seen_subcommand_from add" -l timeout -d 'Per-request timeout: `3s`, `500ms` or a number of seconds' -r
complete -c rmqctl -n "__fish_rmqctl_using_subcommand acl; and __fish_seen_subcommand_from add" -s o -l output -d 'Output format' -r -f -a "table\t''
json\t''"
complete -c rmqctl -n "__fish_rmqctl_using_subcommand acl; and __fish_seen_subcommand_from add" -l tls-ca -d 'CA certificate(s) (PEM) to verify the servers with; implies --tls' -r -F
complete -c rmqctl -n "__fish_rmqctl_using_subcommand acl; and __fish_seen_subcommand_from add" -l tls-cert -d 'Client certificate (PEM) for servers that want one (mutual TLS); needs --tls-key' -r -F
complete -c rmqctl -n "__fish_rmqctl_using_subcommand acl; and __fish_seen_subcommand_from add" -l tls-key -d 'Private key (PEM) of --tls-cert; an encrypted PKCS#8 key takes its password from $RMQCTL_TLS_KEY_PASSWORD (never from the command line)' -r -F
complete -c rmqctl -n "__fish_rmqctl_using_subcommand acl; and __fish_seen_subcommand_from add" -l access-key -d 'ACL access key to sign requests with (for brokers with aclEnable=true)' -r
complete -c rmqctl -n "__fish_rmqctl_using_subcommand acl; and __fish_seen_subcommand_from add" -l secret-key -d 'ACL secret key. Prefer $RMQCTL_SECRET_KEY: other users of the machine can read a process\'s arguments' -r
complete -c rmqctl -n "__fish_rmqctl_using_subcommand acl; and __fish_seen_subcommand_from add" -l admin -d 'May send admin requests (topic and group changes, config updates, offset resets, ACL)'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand acl; and __fish_seen_subcommand_from add" -l tls -d 'Connect with TLS (the servers run tls.server.mode=permissive or enforcing)'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand acl; and __fish_seen_subcommand_from add" -l tls-insecure -d 'Do NOT verify the servers\' certificates (anyone in the path can read and change traffic)'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand acl; and __fish_seen_subcommand_from add" -s h -l help -d 'Print help'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand acl; and __fish_seen_subcommand_from add" -s V -l version -d 'Print version'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand acl; and __fish_seen_subcommand_from remove" -s c -l cluster -d 'Only the brokers of this cluster' -r
complete -c rmqctl -n "__fish_rmqctl_using_subcommand acl; and __fish_seen_subcommand_from remove" -s n -l namesrv -d 'Name servers, `host:port;host:port`. Default: $NAMESRV_ADDR, then -i' -r
complete -c rmqctl -n "__fish_rmqctl_using_subcommand acl; and __fish_seen_subcommand_from remove" -s i -l inventory -d 'Inventory (TOML) to take the name servers from (used when -n is not given; wins over $NAMESRV_ADDR)' -r -F
complete -c rmqctl -n "__fish_rmqctl_using_subcommand acl; and __fish_seen_subcommand_from remove" -l timeout -d 'Per-request timeout: `3s`, `500ms` or a number of seconds' -r
complete -c rmqctl -n "__fish_rmqctl_using_subcommand acl; and __fish_seen_subcommand_from remove" -s o -l output -d 'Output format' -r -f -a "table\t''
json\t''"
complete -c rmqctl -n "__fish_rmqctl_using_subcommand acl; and __fish_seen_subcommand_from remove" -l tls-ca -d 'CA certificate(s) (PEM) to verify the servers with; implies --tls' -r -F
complete -c rmqctl -n "__fish_rmqctl_using_subcommand acl; and __fish_seen_subcommand_from remove" -l tls-cert -d 'Client certificate (PEM) for servers that want one (mutual TLS); needs --tls-key' -r -F
complete -c rmqctl -n "__fish_rmqctl_using_subcommand acl; and __fish_seen_subcommand_from remove" -l tls-key -d 'Private key (PEM) of --tls-cert; an encrypted PKCS#8 key takes its password from $RMQCTL_TLS_KEY_PASSWORD (never from the command line)' -r -F
complete -c rmqctl -n "__fish_rmqctl_using_subcommand acl; and __fish_seen_subcommand_from remove" -l access-key -d 'ACL access key to sign requests with (for brokers with aclEnable=true)' -r
complete -c rmqctl -n "__fish_rmqctl_using_subcommand acl; and __fish_seen_subcommand_from remove" -l secret-key -d 'ACL secret key. Prefer $RMQCTL_SECRET_KEY: other users of the machine can read a process\'s arguments' -r
complete -c rmqctl -n "__fish_rmqctl_using_subcommand acl; and __fish_seen_subcommand_from remove" -l yes -d 'Do not ask for confirmation'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand acl; and __fish_seen_subcommand_from remove" -l tls -d 'Connect with TLS (the servers run tls.server.mode=permissive or enforcing)'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand acl; and __fish_seen_subcommand_from remove" -l tls-insecure -d 'Do NOT verify the servers\' certificates (anyone in the path can read and change traffic)'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand acl; and __fish_seen_subcommand_from remove" -s h -l help -d 'Print help'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand acl; and __fish_seen_subcommand_from remove" -s V -l version -d 'Print version'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand acl; and __fish_seen_subcommand_from whitelist" -s c -l cluster -d 'Only the brokers of this cluster' -r
complete -c rmqctl -n "__fish_rmqctl_using_subcommand acl; and __fish_seen_subcommand_from whitelist" -s n -l namesrv -d 'Name servers, `host:port;host:port`. Default: $NAMESRV_ADDR, then -i' -r
complete -c rmqctl -n "__fish_rmqctl_using_subcommand acl; and __fish_seen_subcommand_from whitelist" -s i -l inventory -d 'Inventory (TOML) to take the name servers from (used when -n is not given; wins over $NAMESRV_ADDR)' -r -F
complete -c rmqctl -n "__fish_rmqctl_using_subcommand acl; and __fish_seen_subcommand_from whitelist" -l timeout -d 'Per-request timeout: `3s`, `500ms` or a number of seconds' -r
complete -c rmqctl -n "__fish_rmqctl_using_subcommand acl; and __fish_seen_subcommand_from whitelist" -s o -l output -d 'Output format' -r -f -a "table\t''
json\t''"
complete -c rmqctl -n "__fish_rmqctl_using_subcommand acl; and __fish_seen_subcommand_from whitelist" -l tls-ca -d 'CA certificate(s) (PEM) to verify the servers with; implies --tls' -r -F
complete -c rmqctl -n "__fish_rmqctl_using_subcommand acl; and __fish_seen_subcommand_from whitelist" -l tls-cert -d 'Client certificate (PEM) for servers that want one (mutual TLS); needs --tls-key' -r -F
complete -c rmqctl -n "__fish_rmqctl_using_subcommand acl; and __fish_seen_subcommand_from whitelist" -l tls-key -d 'Private key (PEM) of --tls-cert; an encrypted PKCS#8 key takes its password from $RMQCTL_TLS_KEY_PASSWORD (never from the command line)' -r -F
complete -c rmqctl -n "__fish_rmqctl_using_subcommand acl; and __fish_seen_subcommand_from whitelist" -l access-key -d 'ACL access key to sign requests with (for brokers with aclEnable=true)' -r
complete -c rmqctl -n "__fish_rmqctl_using_subcommand acl; and __fish_seen_subcommand_from whitelist" -l secret-key -d 'ACL secret key. Prefer $RMQCTL_SECRET_KEY: other users of the machine can read a process\'s arguments' -r
complete -c rmqctl -n "__fish_rmqctl_using_subcommand acl; and __fish_seen_subcommand_from whitelist" -l clear -d 'Empty the global white list'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand acl; and __fish_seen_subcommand_from whitelist" -l tls -d 'Connect with TLS (the servers run tls.server.mode=permissive or enforcing)'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand acl; and __fish_seen_subcommand_from whitelist" -l tls-insecure -d 'Do NOT verify the servers\' certificates (anyone in the path can read and change traffic)'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand acl; and __fish_seen_subcommand_from whitelist" -s h -l help -d 'Print help'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand acl; and __fish_seen_subcommand_from whitelist" -s V -l version -d 'Print version'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand acl; and __fish_seen_subcommand_from help" -f -a "list" -d 'Every broker\'s accounts and global white list (secret keys are never shown)'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand acl; and __fish_seen_subcommand_from help" -f -a "add" -d 'Create an account, or update one (only the options given change), on every broker'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand acl; and __fish_seen_subcommand_from help" -f -a "remove" -d 'Delete an account from every broker'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand acl; and __fish_seen_subcommand_from help" -f -a "whitelist" -d 'Replace the global white list of every broker (peers on it need no account)'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand acl; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand completions" -s h -l help -d 'Print help'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand completions" -s V -l version -d 'Print version'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand __probe" -l timeout-ms -r
complete -c rmqctl -n "__fish_rmqctl_using_subcommand __probe" -s h -l help -d 'Print help'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand __probe" -s V -l version -d 'Print version'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand __complete" -l tls-ca -d 'CA certificate(s) (PEM) to verify the servers with; implies --tls' -r -F
complete -c rmqctl -n "__fish_rmqctl_using_subcommand __complete" -l tls-cert -d 'Client certificate (PEM) for servers that want one (mutual TLS); needs --tls-key' -r -F
complete -c rmqctl -n "__fish_rmqctl_using_subcommand __complete" -l tls-key -d 'Private key (PEM) of --tls-cert; an encrypted PKCS#8 key takes its password from $RMQCTL_TLS_KEY_PASSWORD (never from the command line)' -r -F
complete -c rmqctl -n "__fish_rmqctl_using_subcommand __complete" -l access-key -d 'ACL access key to sign requests with (for brokers with aclEnable=true)' -r
complete -c rmqctl -n "__fish_rmqctl_using_subcommand __complete" -l secret-key -d 'ACL secret key. Prefer $RMQCTL_SECRET_KEY: other users of the machine can read a process\'s arguments' -r
complete -c rmqctl -n "__fish_rmqctl_using_subcommand __complete" -l tls -d 'Connect with TLS (the servers run tls.server.mode=permissive or enforcing)'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand __complete" -l tls-insecure -d 'Do NOT verify the servers\' certificates (anyone in the path can read and change traffic)'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand __complete" -s h -l help -d 'Print help'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand __complete" -s V -l version -d 'Print version'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand bench; and not __fish_seen_subcommand_from produce consume help" -s h -l help -d 'Print help'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand bench; and not __fish_seen_subcommand_from produce consume help" -s V -l version -d 'Print version'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand bench; and not __fish_seen_subcommand_from produce consume help" -f -a "produce" -d 'Send messages as fast as the broker acknowledges them'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand bench; and not __fish_seen_subcommand_from produce consume help" -f -a "consume" -d 'Pull every queue of a topic from its start'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand bench; and not __fish_seen_subcommand_from produce consume help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand bench; and __fish_seen_subcommand_from produce" -s n -l namesrv -d 'Name servers, `host:port;host:port` (the topic\'s master broker is loaded)' -r
complete -c rmqctl -n "__fish_rmqctl_using_subcommand bench; and __fish_seen_subcommand_from produce" -s b -l broker -d 'A broker address `host:port`, used directly instead of a name-server lookup' -r
complete -c rmqctl -n "__fish_rmqctl_using_subcommand bench; and __fish_seen_subcommand_from produce" -s t -l topic -d 'Topic to use; a new topic is auto-created by the broker from TBW102' -r -f -a "(rmqctl __complete topics 2>/dev/null)"
complete -c rmqctl -n "__fish_rmqctl_using_subcommand bench; and __fish_seen_subcommand_from produce" -l connections -d 'TCP connections to open to the broker' -r
complete -c rmqctl -n "__fish_rmqctl_using_subcommand bench; and __fish_seen_subcommand_from produce" -l duration -d 'How long to run, in seconds' -r
complete -c rmqctl -n "__fish_rmqctl_using_subcommand bench; and __fish_seen_subcommand_from produce" -l queues -d 'Queues of the topic when it is new or given with -b' -r
complete -c rmqctl -n "__fish_rmqctl_using_subcommand bench; and __fish_seen_subcommand_from produce" -s o -l output -d 'Output format' -r -f -a "table\t''
json\t''"
complete -c rmqctl -n "__fish_rmqctl_using_subcommand bench; and __fish_seen_subcommand_from produce" -l tls-ca -d 'CA certificate(s) (PEM) to verify the servers with; implies --tls' -r -F
complete -c rmqctl -n "__fish_rmqctl_using_subcommand bench; and __fish_seen_subcommand_from produce" -l tls-cert -d 'Client certificate (PEM) for servers that want one (mutual TLS); needs --tls-key' -r -F
complete -c rmqctl -n "__fish_rmqctl_using_subcommand bench; and __fish_seen_subcommand_from produce" -l tls-key -d 'Private key (PEM) of --tls-cert; an encrypted PKCS#8 key takes its password from $RMQCTL_TLS_KEY_PASSWORD (never from the command line)' -r -F
complete -c rmqctl -n "__fish_rmqctl_using_subcommand bench; and __fish_seen_subcommand_from produce" -l access-key -d 'ACL access key to sign requests with (for brokers with aclEnable=true)' -r
complete -c rmqctl -n "__fish_rmqctl_using_subcommand bench; and __fish_seen_subcommand_from produce" -l secret-key -d 'ACL secret key. Prefer $RMQCTL_SECRET_KEY: other users of the machine can read a process\'s arguments' -r
complete -c rmqctl -n "__fish_rmqctl_using_subcommand bench; and __fish_seen_subcommand_from produce" -l producers -d 'Concurrent producers (each keeps one send in flight)' -r
complete -c rmqctl -n "__fish_rmqctl_using_subcommand bench; and __fish_seen_subcommand_from produce" -l size -d 'Message body size in bytes' -r
complete -c rmqctl -n "__fish_rmqctl_using_subcommand bench; and __fish_seen_subcommand_from produce" -l batch -d 'Messages per request; above 1 sends SEND_BATCH_MESSAGE' -r
complete -c rmqctl -n "__fish_rmqctl_using_subcommand bench; and __fish_seen_subcommand_from produce" -l tls -d 'Connect with TLS (the servers run tls.server.mode=permissive or enforcing)'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand bench; and __fish_seen_subcommand_from produce" -l tls-insecure -d 'Do NOT verify the servers\' certificates (anyone in the path can read and change traffic)'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand bench; and __fish_seen_subcommand_from produce" -s h -l help -d 'Print help'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand bench; and __fish_seen_subcommand_from produce" -s V -l version -d 'Print version'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand bench; and __fish_seen_subcommand_from consume" -s n -l namesrv -d 'Name servers, `host:port;host:port` (the topic\'s master broker is loaded)' -r
complete -c rmqctl -n "__fish_rmqctl_using_subcommand bench; and __fish_seen_subcommand_from consume" -s b -l broker -d 'A broker address `host:port`, used directly instead of a name-server lookup' -r
complete -c rmqctl -n "__fish_rmqctl_using_subcommand bench; and __fish_seen_subcommand_from consume" -s t -l topic -d 'Topic to use; a new topic is auto-created by the broker from TBW102' -r -f -a "(rmqctl __complete topics 2>/dev/null)"
complete -c rmqctl -n "__fish_rmqctl_using_subcommand bench; and __fish_seen_subcommand_from consume" -l connections -d 'TCP connections to open to the broker' -r
complete -c rmqctl -n "__fish_rmqctl_using_subcommand bench; and __fish_seen_subcommand_from consume" -l duration -d 'How long to run, in seconds' -r
complete -c rmqctl -n "__fish_rmqctl_using_subcommand bench; and __fish_seen_subcommand_from consume" -l queues -d 'Queues of the topic when it is new or given with -b' -r
complete -c rmqctl -n "__fish_rmqctl_using_subcommand bench; and __fish_seen_subcommand_from consume" -s o -l output -d 'Output format' -r -f -a "table\t''
json\t''"
complete -c rmqctl -n "__fish_rmqctl_using_subcommand bench; and __fish_seen_subcommand_from consume" -l tls-ca -d 'CA certificate(s) (PEM) to verify the servers with; implies --tls' -r -F
complete -c rmqctl -n "__fish_rmqctl_using_subcommand bench; and __fish_seen_subcommand_from consume" -l tls-cert -d 'Client certificate (PEM) for servers that want one (mutual TLS); needs --tls-key' -r -F
complete -c rmqctl -n "__fish_rmqctl_using_subcommand bench; and __fish_seen_subcommand_from consume" -l tls-key -d 'Private key (PEM) of --tls-cert; an encrypted PKCS#8 key takes its password from $RMQCTL_TLS_KEY_PASSWORD (never from the command line)' -r -F
complete -c rmqctl -n "__fish_rmqctl_using_subcommand bench; and __fish_seen_subcommand_from consume" -l access-key -d 'ACL access key to sign requests with (for brokers with aclEnable=true)' -r
complete -c rmqctl -n "__fish_rmqctl_using_subcommand bench; and __fish_seen_subcommand_from consume" -l secret-key -d 'ACL secret key. Prefer $RMQCTL_SECRET_KEY: other users of the machine can read a process\'s arguments' -r
complete -c rmqctl -n "__fish_rmqctl_using_subcommand bench; and __fish_seen_subcommand_from consume" -l group -d 'Consumer group named in the pulls' -r -f -a "(rmqctl __complete groups 2>/dev/null)"
complete -c rmqctl -n "__fish_rmqctl_using_subcommand bench; and __fish_seen_subcommand_from consume" -l tls -d 'Connect with TLS (the servers run tls.server.mode=permissive or enforcing)'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand bench; and __fish_seen_subcommand_from consume" -l tls-insecure -d 'Do NOT verify the servers\' certificates (anyone in the path can read and change traffic)'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand bench; and __fish_seen_subcommand_from consume" -s h -l help -d 'Print help'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand bench; and __fish_seen_subcommand_from consume" -s V -l version -d 'Print version'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand bench; and __fish_seen_subcommand_from help" -f -a "produce" -d 'Send messages as fast as the broker acknowledges them'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand bench; and __fish_seen_subcommand_from help" -f -a "consume" -d 'Pull every queue of a topic from its start'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand bench; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand tls; and not __fish_seen_subcommand_from init help" -s h -l help -d 'Print help'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand tls; and not __fish_seen_subcommand_from init help" -s V -l version -d 'Print version'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand tls; and not __fish_seen_subcommand_from init help" -f -a "init" -d 'Write a CA (ca.pem, ca-key.pem) and a certificate per host (HOST.pem, HOST-key.pem)'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand tls; and not __fish_seen_subcommand_from init help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand tls; and __fish_seen_subcommand_from init" -l hosts -d 'Inventory whose hosts get a certificate (name and address); default: one for localhost' -r -F
complete -c rmqctl -n "__fish_rmqctl_using_subcommand tls; and __fish_seen_subcommand_from init" -l days -d 'Days the host certificates are valid (the CA: ten times as long)' -r
complete -c rmqctl -n "__fish_rmqctl_using_subcommand tls; and __fish_seen_subcommand_from init" -l client -d 'Also write a client certificate (client.pem, client-key.pem) for `--tls-cert/--tls-key`'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand tls; and __fish_seen_subcommand_from init" -s h -l help -d 'Print help'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand tls; and __fish_seen_subcommand_from init" -s V -l version -d 'Print version'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand tls; and __fish_seen_subcommand_from help" -f -a "init" -d 'Write a CA (ca.pem, ca-key.pem) and a certificate per host (HOST.pem, HOST-key.pem)'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand tls; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand help; and not __fish_seen_subcommand_from render check deploy start stop restart status logs destroy namesrv broker gateway topic cluster offsets group message acl completions __probe __complete bench tls help" -f -a "render" -d 'Render Apache-format broker and name-server properties (and units) from an inventory'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand help; and not __fish_seen_subcommand_from render check deploy start stop restart status logs destroy namesrv broker gateway topic cluster offsets group message acl completions __probe __complete bench tls help" -f -a "check" -d 'Lint an inventory or existing Apache properties files'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand help; and not __fish_seen_subcommand_from render check deploy start stop restart status logs destroy namesrv broker gateway topic cluster offsets group message acl completions __probe __complete bench tls help" -f -a "deploy" -d 'Deploy an inventory: upload, supervise, open the firewall, start in order, verify'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand help; and not __fish_seen_subcommand_from render check deploy start stop restart status logs destroy namesrv broker gateway topic cluster offsets group message acl completions __probe __complete bench tls help" -f -a "start" -d 'Start the instances of a deployed inventory that do not run (name servers, masters, slaves)'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand help; and not __fish_seen_subcommand_from render check deploy start stop restart status logs destroy namesrv broker gateway topic cluster offsets group message acl completions __probe __complete bench tls help" -f -a "stop" -d 'Stop instances of a deployed inventory (slaves, masters, then name servers)'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand help; and not __fish_seen_subcommand_from render check deploy start stop restart status logs destroy namesrv broker gateway topic cluster offsets group message acl completions __probe __complete bench tls help" -f -a "restart" -d 'Restart instances of a deployed inventory, rolling (slave in sync before its master)'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand help; and not __fish_seen_subcommand_from render check deploy start stop restart status logs destroy namesrv broker gateway topic cluster offsets group message acl completions __probe __complete bench tls help" -f -a "status" -d 'Every instance of a deployed inventory: process state, registration, sync'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand help; and not __fish_seen_subcommand_from render check deploy start stop restart status logs destroy namesrv broker gateway topic cluster offsets group message acl completions __probe __complete bench tls help" -f -a "logs" -d 'Show (or follow) an instance\'s log'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand help; and not __fish_seen_subcommand_from render check deploy start stop restart status logs destroy namesrv broker gateway topic cluster offsets group message acl completions __probe __complete bench tls help" -f -a "destroy" -d 'Stop and remove a deployed inventory from its hosts'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand help; and not __fish_seen_subcommand_from render check deploy start stop restart status logs destroy namesrv broker gateway topic cluster offsets group message acl completions __probe __complete bench tls help" -f -a "namesrv" -d 'Run the bundled name server'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand help; and not __fish_seen_subcommand_from render check deploy start stop restart status logs destroy namesrv broker gateway topic cluster offsets group message acl completions __probe __complete bench tls help" -f -a "broker" -d 'Run the bundled broker (`-c FILE`), or show a broker\'s status and configuration'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand help; and not __fish_seen_subcommand_from render check deploy start stop restart status logs destroy namesrv broker gateway topic cluster offsets group message acl completions __probe __complete bench tls help" -f -a "gateway" -d 'Run the HTTP send service: POST JSON to send, messages delivered to their backurl'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand help; and not __fish_seen_subcommand_from render check deploy start stop restart status logs destroy namesrv broker gateway topic cluster offsets group message acl completions __probe __complete bench tls help" -f -a "topic" -d 'Create, delete, list and inspect topics'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand help; and not __fish_seen_subcommand_from render check deploy start stop restart status logs destroy namesrv broker gateway topic cluster offsets group message acl completions __probe __complete bench tls help" -f -a "cluster" -d 'Cluster overview'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand help; and not __fish_seen_subcommand_from render check deploy start stop restart status logs destroy namesrv broker gateway topic cluster offsets group message acl completions __probe __complete bench tls help" -f -a "offsets" -d 'Per-queue offsets of a topic, with a consumer group\'s lag'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand help; and not __fish_seen_subcommand_from render check deploy start stop restart status logs destroy namesrv broker gateway topic cluster offsets group message acl completions __probe __complete bench tls help" -f -a "group" -d 'Consumer groups: list, describe (lag, clients), reset offsets'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand help; and not __fish_seen_subcommand_from render check deploy start stop restart status logs destroy namesrv broker gateway topic cluster offsets group message acl completions __probe __complete bench tls help" -f -a "message" -d 'Send, consume, get and query messages'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand help; and not __fish_seen_subcommand_from render check deploy start stop restart status logs destroy namesrv broker gateway topic cluster offsets group message acl completions __probe __complete bench tls help" -f -a "acl" -d 'ACL accounts and white lists of a running cluster (brokers with aclEnable=true)'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand help; and not __fish_seen_subcommand_from render check deploy start stop restart status logs destroy namesrv broker gateway topic cluster offsets group message acl completions __probe __complete bench tls help" -f -a "completions" -d 'Print a shell completion script'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand help; and not __fish_seen_subcommand_from render check deploy start stop restart status logs destroy namesrv broker gateway topic cluster offsets group message acl completions __probe __complete bench tls help" -f -a "__probe" -d 'Probe TCP ports (run by deploy on a peer host)'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand help; and not __fish_seen_subcommand_from render check deploy start stop restart status logs destroy namesrv broker gateway topic cluster offsets group message acl completions __probe __complete bench tls help" -f -a "__complete" -d 'Topic or group names for shell completion'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand help; and not __fish_seen_subcommand_from render check deploy start stop restart status logs destroy namesrv broker gateway topic cluster offsets group message acl completions __probe __complete bench tls help" -f -a "bench" -d 'Load generator: produce to or consume from a broker and report messages/s and latency'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand help; and not __fish_seen_subcommand_from render check deploy start stop restart status logs destroy namesrv broker gateway topic cluster offsets group message acl completions __probe __complete bench tls help" -f -a "tls" -d 'TLS certificates: a private CA and one certificate per host'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand help; and not __fish_seen_subcommand_from render check deploy start stop restart status logs destroy namesrv broker gateway topic cluster offsets group message acl completions __probe __complete bench tls help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand help; and __fish_seen_subcommand_from broker" -f -a "status" -d 'Runtime key/values of a broker (GET_BROKER_RUNTIME_INFO)'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand help; and __fish_seen_subcommand_from broker" -f -a "config" -d 'Read or change a broker\'s configuration'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand help; and __fish_seen_subcommand_from topic" -f -a "create" -d 'Create a topic on every master of a cluster (or one broker); re-running with the same values changes nothing, with new values updates'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand help; and __fish_seen_subcommand_from topic" -f -a "delete" -d 'Delete a topic from every master of a cluster and from every name server'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand help; and __fish_seen_subcommand_from topic" -f -a "list" -d 'List topics (all, or one cluster\'s)'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand help; and __fish_seen_subcommand_from topic" -f -a "route" -d 'Show which brokers serve a topic, with queue counts and permissions'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand help; and __fish_seen_subcommand_from topic" -f -a "status" -d 'Per queue: broker, queue id, min and max offset, last store time'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand help; and __fish_seen_subcommand_from cluster" -f -a "status" -d 'Per broker: role, address, version, TPS, today\'s traffic, commit-log offset, replication lag'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand help; and __fish_seen_subcommand_from group" -f -a "list" -d 'Consumer groups known to the masters'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand help; and __fish_seen_subcommand_from group" -f -a "describe" -d 'Every topic a group consumes, per-queue lag, totals and connected clients'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand help; and __fish_seen_subcommand_from group" -f -a "reset" -d 'Move a group\'s offsets on a topic; shows a before/after preview and changes nothing unless --execute'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand help; and __fish_seen_subcommand_from message" -f -a "send" -d 'Send one message'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand help; and __fish_seen_subcommand_from message" -f -a "consume" -d 'Read messages (from the group\'s offsets, or from the start); commits nothing'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand help; and __fish_seen_subcommand_from message" -f -a "get" -d 'Show one message by offset id, or by unique id with -t'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand help; and __fish_seen_subcommand_from message" -f -a "query" -d 'Find messages by key'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand help; and __fish_seen_subcommand_from acl" -f -a "list" -d 'Every broker\'s accounts and global white list (secret keys are never shown)'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand help; and __fish_seen_subcommand_from acl" -f -a "add" -d 'Create an account, or update one (only the options given change), on every broker'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand help; and __fish_seen_subcommand_from acl" -f -a "remove" -d 'Delete an account from every broker'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand help; and __fish_seen_subcommand_from acl" -f -a "whitelist" -d 'Replace the global white list of every broker (peers on it need no account)'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand help; and __fish_seen_subcommand_from bench" -f -a "produce" -d 'Send messages as fast as the broker acknowledges them'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand help; and __fish_seen_subcommand_from bench" -f -a "consume" -d 'Pull every queue of a topic from its start'
complete -c rmqctl -n "__fish_rmqctl_using_subcommand help; and __fish_seen_subcommand_from tls" -f -a "init" -d 'Write a CA (ca.pem, ca-key.pem) and a certificate per host (HOST.pem, HOST-key.pem)'
