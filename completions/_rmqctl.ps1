
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'rmqctl' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'rmqctl'
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
        'rmqctl' {
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('render', 'render', [CompletionResultType]::ParameterValue, 'Render Apache-format broker and name-server properties (and units) from an inventory')
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Lint an inventory or existing Apache properties files')
            [CompletionResult]::new('deploy', 'deploy', [CompletionResultType]::ParameterValue, 'Deploy an inventory: upload, supervise, open the firewall, start in order, verify')
            [CompletionResult]::new('start', 'start', [CompletionResultType]::ParameterValue, 'Start the instances of a deployed inventory that do not run (name servers, masters, slaves)')
            [CompletionResult]::new('stop', 'stop', [CompletionResultType]::ParameterValue, 'Stop instances of a deployed inventory (slaves, masters, then name servers)')
            [CompletionResult]::new('restart', 'restart', [CompletionResultType]::ParameterValue, 'Restart instances of a deployed inventory, rolling (slave in sync before its master)')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Every instance of a deployed inventory: process state, registration, sync')
            [CompletionResult]::new('logs', 'logs', [CompletionResultType]::ParameterValue, 'Show (or follow) an instance''s log')
            [CompletionResult]::new('destroy', 'destroy', [CompletionResultType]::ParameterValue, 'Stop and remove a deployed inventory from its hosts')
            [CompletionResult]::new('namesrv', 'namesrv', [CompletionResultType]::ParameterValue, 'Run the bundled name server')
            [CompletionResult]::new('broker', 'broker', [CompletionResultType]::ParameterValue, 'Run the bundled broker (`-c FILE`), or show a broker''s status and configuration')
            [CompletionResult]::new('gateway', 'gateway', [CompletionResultType]::ParameterValue, 'Run the HTTP send service: POST JSON to send, messages delivered to their backurl')
            [CompletionResult]::new('topic', 'topic', [CompletionResultType]::ParameterValue, 'Create, delete, list and inspect topics')
            [CompletionResult]::new('cluster', 'cluster', [CompletionResultType]::ParameterValue, 'Cluster overview')
            [CompletionResult]::new('offsets', 'offsets', [CompletionResultType]::ParameterValue, 'Per-queue offsets of a topic, with a consumer group''s lag')
            [CompletionResult]::new('group', 'group', [CompletionResultType]::ParameterValue, 'Consumer groups: list, describe (lag, clients), reset offsets')
            [CompletionResult]::new('message', 'message', [CompletionResultType]::ParameterValue, 'Send, consume, get and query messages')
            [CompletionResult]::new('acl', 'acl', [CompletionResultType]::ParameterValue, 'ACL accounts and white lists of a running cluster (brokers with aclEnable=true)')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
            [CompletionResult]::new('__probe', '__probe', [CompletionResultType]::ParameterValue, 'Probe TCP ports (run by deploy on a peer host)')
            [CompletionResult]::new('__complete', '__complete', [CompletionResultType]::ParameterValue, 'Topic or group names for shell completion')
            [CompletionResult]::new('bench', 'bench', [CompletionResultType]::ParameterValue, 'Load generator: produce to or consume from a broker and report messages/s and latency')
            [CompletionResult]::new('tls', 'tls', [CompletionResultType]::ParameterValue, 'TLS certificates: a private CA and one certificate per host')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'rmqctl;render' {
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output directory; replaced as a whole (written to a temporary directory, then renamed)')
            [CompletionResult]::new('--output-dir', '--output-dir', [CompletionResultType]::ParameterName, 'Output directory; replaced as a whole (written to a temporary directory, then renamed)')
            [CompletionResult]::new('--templates', '--templates', [CompletionResultType]::ParameterName, 'Directory of templates (`broker.properties.hbs`, ...) replacing the built-in ones')
            [CompletionResult]::new('--diff', '--diff', [CompletionResultType]::ParameterName, 'Show what would change against an earlier render in DIR; writes nothing')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'rmqctl;check' {
            [CompletionResult]::new('--properties', '--properties', [CompletionResultType]::ParameterName, 'Check existing Apache `.properties` files instead (files named namesrv* as name-server files)')
            [CompletionResult]::new('--templates', '--templates', [CompletionResultType]::ParameterName, 'Directory of templates replacing the built-in ones (inventory mode)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'How to print findings')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'rmqctl;deploy' {
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Give up connecting to a host after this long (e.g. 5s)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of the result')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of the result')
            [CompletionResult]::new('--binary', '--binary', [CompletionResultType]::ParameterName, 'The rmqctl executable to upload (default: this one)')
            [CompletionResult]::new('--wait', '--wait', [CompletionResultType]::ParameterName, 'How long to wait for instances to answer and register, and slaves to get in sync')
            [CompletionResult]::new('--templates', '--templates', [CompletionResultType]::ParameterName, 'Directory of templates replacing the built-in ones')
            [CompletionResult]::new('--accept-new-host-keys', '--accept-new-host-keys', [CompletionResultType]::ParameterName, 'Trust host keys seen for the first time (default: strict checking against known_hosts)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show per host what would change (files with a diff summary, firewall rules, starts, restarts) and change nothing')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask before changing hosts (required without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask before changing hosts (required without a terminal)')
            [CompletionResult]::new('--no-firewall', '--no-firewall', [CompletionResultType]::ParameterName, 'Do not open firewall ports')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'rmqctl;start' {
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Give up connecting to a host after this long (e.g. 5s)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of the result')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of the result')
            [CompletionResult]::new('--host', '--host', [CompletionResultType]::ParameterName, 'Only instances on this host (repeatable)')
            [CompletionResult]::new('--instance', '--instance', [CompletionResultType]::ParameterName, 'Only this instance: `namesrv`, `broker-a`, `broker-a-s`, `gateway`... (repeatable)')
            [CompletionResult]::new('--role', '--role', [CompletionResultType]::ParameterName, 'Only instances of this role (repeatable)')
            [CompletionResult]::new('--wait', '--wait', [CompletionResultType]::ParameterName, 'How long to wait for instances to answer, register and get in sync')
            [CompletionResult]::new('--accept-new-host-keys', '--accept-new-host-keys', [CompletionResultType]::ParameterName, 'Trust host keys seen for the first time (default: strict checking against known_hosts)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask before stopping anything (required without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask before stopping anything (required without a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'rmqctl;stop' {
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Give up connecting to a host after this long (e.g. 5s)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of the result')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of the result')
            [CompletionResult]::new('--host', '--host', [CompletionResultType]::ParameterName, 'Only instances on this host (repeatable)')
            [CompletionResult]::new('--instance', '--instance', [CompletionResultType]::ParameterName, 'Only this instance: `namesrv`, `broker-a`, `broker-a-s`, `gateway`... (repeatable)')
            [CompletionResult]::new('--role', '--role', [CompletionResultType]::ParameterName, 'Only instances of this role (repeatable)')
            [CompletionResult]::new('--wait', '--wait', [CompletionResultType]::ParameterName, 'How long to wait for instances to answer, register and get in sync')
            [CompletionResult]::new('--accept-new-host-keys', '--accept-new-host-keys', [CompletionResultType]::ParameterName, 'Trust host keys seen for the first time (default: strict checking against known_hosts)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask before stopping anything (required without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask before stopping anything (required without a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'rmqctl;restart' {
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Give up connecting to a host after this long (e.g. 5s)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of the result')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of the result')
            [CompletionResult]::new('--host', '--host', [CompletionResultType]::ParameterName, 'Only instances on this host (repeatable)')
            [CompletionResult]::new('--instance', '--instance', [CompletionResultType]::ParameterName, 'Only this instance: `namesrv`, `broker-a`, `broker-a-s`, `gateway`... (repeatable)')
            [CompletionResult]::new('--role', '--role', [CompletionResultType]::ParameterName, 'Only instances of this role (repeatable)')
            [CompletionResult]::new('--wait', '--wait', [CompletionResultType]::ParameterName, 'How long to wait for instances to answer, register and get in sync')
            [CompletionResult]::new('--accept-new-host-keys', '--accept-new-host-keys', [CompletionResultType]::ParameterName, 'Trust host keys seen for the first time (default: strict checking against known_hosts)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask before stopping anything (required without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask before stopping anything (required without a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'rmqctl;status' {
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Give up connecting to a host after this long (e.g. 5s)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of the result')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of the result')
            [CompletionResult]::new('--host', '--host', [CompletionResultType]::ParameterName, 'Only instances on this host (repeatable)')
            [CompletionResult]::new('--instance', '--instance', [CompletionResultType]::ParameterName, 'Only this instance: `namesrv`, `broker-a`, `broker-a-s`, `gateway`... (repeatable)')
            [CompletionResult]::new('--role', '--role', [CompletionResultType]::ParameterName, 'Only instances of this role (repeatable)')
            [CompletionResult]::new('--accept-new-host-keys', '--accept-new-host-keys', [CompletionResultType]::ParameterName, 'Trust host keys seen for the first time (default: strict checking against known_hosts)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'rmqctl;logs' {
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Give up connecting to a host after this long (e.g. 5s)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of the result')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of the result')
            [CompletionResult]::new('--host', '--host', [CompletionResultType]::ParameterName, 'The host, when the instance runs on several (name servers)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Lines to show')
            [CompletionResult]::new('--lines', '--lines', [CompletionResultType]::ParameterName, 'Lines to show')
            [CompletionResult]::new('--accept-new-host-keys', '--accept-new-host-keys', [CompletionResultType]::ParameterName, 'Trust host keys seen for the first time (default: strict checking against known_hosts)')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Keep printing new lines')
            [CompletionResult]::new('--follow', '--follow', [CompletionResultType]::ParameterName, 'Keep printing new lines')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'rmqctl;destroy' {
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Give up connecting to a host after this long (e.g. 5s)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of the result')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of the result')
            [CompletionResult]::new('--accept-new-host-keys', '--accept-new-host-keys', [CompletionResultType]::ParameterName, 'Trust host keys seen for the first time (default: strict checking against known_hosts)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask (required without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask (required without a terminal)')
            [CompletionResult]::new('--keep-data', '--keep-data', [CompletionResultType]::ParameterName, 'Keep the stores and logs (remove only processes, units, firewall rules, binary, configs)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'rmqctl;namesrv' {
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Apache-format namesrv.properties (listenPort, kvConfigPath, scanNotActiveBrokerInterval...)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Apache-format namesrv.properties (listenPort, kvConfigPath, scanNotActiveBrokerInterval...)')
            [CompletionResult]::new('--listen', '--listen', [CompletionResultType]::ParameterName, 'Address to listen on; overrides bindAddress/listenPort from the file')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Directory for kvConfig.json and the persisted config (default ~/namesrv)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'rmqctl;broker' {
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Apache-format broker properties (the files `rmqctl render` writes)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Apache-format broker properties (the files `rmqctl render` writes)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Name servers, `host:port;host:port`; overrides namesrvAddr from the file')
            [CompletionResult]::new('--namesrv', '--namesrv', [CompletionResultType]::ParameterName, 'Name servers, `host:port;host:port`; overrides namesrvAddr from the file')
            [CompletionResult]::new('--access-key', '--access-key', [CompletionResultType]::ParameterName, 'ACL access key to sign requests with (for brokers with aclEnable=true)')
            [CompletionResult]::new('--secret-key', '--secret-key', [CompletionResultType]::ParameterName, 'ACL secret key. Prefer $RMQCTL_SECRET_KEY: other users of the machine can read a process''s arguments')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Runtime key/values of a broker (GET_BROKER_RUNTIME_INFO)')
            [CompletionResult]::new('config', 'config', [CompletionResultType]::ParameterValue, 'Read or change a broker''s configuration')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'rmqctl;broker;status' {
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Name servers, `host:port;host:port`. Default: $NAMESRV_ADDR, then -i')
            [CompletionResult]::new('--namesrv', '--namesrv', [CompletionResultType]::ParameterName, 'Name servers, `host:port;host:port`. Default: $NAMESRV_ADDR, then -i')
            [CompletionResult]::new('-i', '-i', [CompletionResultType]::ParameterName, 'Inventory (TOML) to take the name servers from (used when -n is not given; wins over $NAMESRV_ADDR)')
            [CompletionResult]::new('--inventory', '--inventory', [CompletionResultType]::ParameterName, 'Inventory (TOML) to take the name servers from (used when -n is not given; wins over $NAMESRV_ADDR)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Per-request timeout: `3s`, `500ms` or a number of seconds')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--tls-ca', '--tls-ca', [CompletionResultType]::ParameterName, 'CA certificate(s) (PEM) to verify the servers with; implies --tls')
            [CompletionResult]::new('--tls-cert', '--tls-cert', [CompletionResultType]::ParameterName, 'Client certificate (PEM) for servers that want one (mutual TLS); needs --tls-key')
            [CompletionResult]::new('--tls-key', '--tls-key', [CompletionResultType]::ParameterName, 'Private key (PEM) of --tls-cert; an encrypted PKCS#8 key takes its password from $RMQCTL_TLS_KEY_PASSWORD (never from the command line)')
            [CompletionResult]::new('--access-key', '--access-key', [CompletionResultType]::ParameterName, 'ACL access key to sign requests with (for brokers with aclEnable=true)')
            [CompletionResult]::new('--secret-key', '--secret-key', [CompletionResultType]::ParameterName, 'ACL secret key. Prefer $RMQCTL_SECRET_KEY: other users of the machine can read a process''s arguments')
            [CompletionResult]::new('--tls', '--tls', [CompletionResultType]::ParameterName, 'Connect with TLS (the servers run tls.server.mode=permissive or enforcing)')
            [CompletionResult]::new('--tls-insecure', '--tls-insecure', [CompletionResultType]::ParameterName, 'Do NOT verify the servers'' certificates (anyone in the path can read and change traffic)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'rmqctl;broker;config' {
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('get', 'get', [CompletionResultType]::ParameterValue, 'Print a broker''s configuration')
            [CompletionResult]::new('set', 'set', [CompletionResultType]::ParameterValue, 'Change one key at runtime; the broker also writes it into its config file (the bundled broker changes only that key''s line, Apache''s rewrites the whole file)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'rmqctl;broker;config;get' {
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Name servers, `host:port;host:port`. Default: $NAMESRV_ADDR, then -i')
            [CompletionResult]::new('--namesrv', '--namesrv', [CompletionResultType]::ParameterName, 'Name servers, `host:port;host:port`. Default: $NAMESRV_ADDR, then -i')
            [CompletionResult]::new('-i', '-i', [CompletionResultType]::ParameterName, 'Inventory (TOML) to take the name servers from (used when -n is not given; wins over $NAMESRV_ADDR)')
            [CompletionResult]::new('--inventory', '--inventory', [CompletionResultType]::ParameterName, 'Inventory (TOML) to take the name servers from (used when -n is not given; wins over $NAMESRV_ADDR)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Per-request timeout: `3s`, `500ms` or a number of seconds')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--tls-ca', '--tls-ca', [CompletionResultType]::ParameterName, 'CA certificate(s) (PEM) to verify the servers with; implies --tls')
            [CompletionResult]::new('--tls-cert', '--tls-cert', [CompletionResultType]::ParameterName, 'Client certificate (PEM) for servers that want one (mutual TLS); needs --tls-key')
            [CompletionResult]::new('--tls-key', '--tls-key', [CompletionResultType]::ParameterName, 'Private key (PEM) of --tls-cert; an encrypted PKCS#8 key takes its password from $RMQCTL_TLS_KEY_PASSWORD (never from the command line)')
            [CompletionResult]::new('--access-key', '--access-key', [CompletionResultType]::ParameterName, 'ACL access key to sign requests with (for brokers with aclEnable=true)')
            [CompletionResult]::new('--secret-key', '--secret-key', [CompletionResultType]::ParameterName, 'ACL secret key. Prefer $RMQCTL_SECRET_KEY: other users of the machine can read a process''s arguments')
            [CompletionResult]::new('--tls', '--tls', [CompletionResultType]::ParameterName, 'Connect with TLS (the servers run tls.server.mode=permissive or enforcing)')
            [CompletionResult]::new('--tls-insecure', '--tls-insecure', [CompletionResultType]::ParameterName, 'Do NOT verify the servers'' certificates (anyone in the path can read and change traffic)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'rmqctl;broker;config;set' {
            [CompletionResult]::new('-b', '-b', [CompletionResultType]::ParameterName, 'Broker address or name; or use -c for every master of a cluster')
            [CompletionResult]::new('--broker', '--broker', [CompletionResultType]::ParameterName, 'Broker address or name; or use -c for every master of a cluster')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Every master of this cluster')
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'Every master of this cluster')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Name servers, `host:port;host:port`. Default: $NAMESRV_ADDR, then -i')
            [CompletionResult]::new('--namesrv', '--namesrv', [CompletionResultType]::ParameterName, 'Name servers, `host:port;host:port`. Default: $NAMESRV_ADDR, then -i')
            [CompletionResult]::new('-i', '-i', [CompletionResultType]::ParameterName, 'Inventory (TOML) to take the name servers from (used when -n is not given; wins over $NAMESRV_ADDR)')
            [CompletionResult]::new('--inventory', '--inventory', [CompletionResultType]::ParameterName, 'Inventory (TOML) to take the name servers from (used when -n is not given; wins over $NAMESRV_ADDR)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Per-request timeout: `3s`, `500ms` or a number of seconds')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--tls-ca', '--tls-ca', [CompletionResultType]::ParameterName, 'CA certificate(s) (PEM) to verify the servers with; implies --tls')
            [CompletionResult]::new('--tls-cert', '--tls-cert', [CompletionResultType]::ParameterName, 'Client certificate (PEM) for servers that want one (mutual TLS); needs --tls-key')
            [CompletionResult]::new('--tls-key', '--tls-key', [CompletionResultType]::ParameterName, 'Private key (PEM) of --tls-cert; an encrypted PKCS#8 key takes its password from $RMQCTL_TLS_KEY_PASSWORD (never from the command line)')
            [CompletionResult]::new('--access-key', '--access-key', [CompletionResultType]::ParameterName, 'ACL access key to sign requests with (for brokers with aclEnable=true)')
            [CompletionResult]::new('--secret-key', '--secret-key', [CompletionResultType]::ParameterName, 'ACL secret key. Prefer $RMQCTL_SECRET_KEY: other users of the machine can read a process''s arguments')
            [CompletionResult]::new('--with-slaves', '--with-slaves', [CompletionResultType]::ParameterName, 'With -c: slaves too')
            [CompletionResult]::new('--tls', '--tls', [CompletionResultType]::ParameterName, 'Connect with TLS (the servers run tls.server.mode=permissive or enforcing)')
            [CompletionResult]::new('--tls-insecure', '--tls-insecure', [CompletionResultType]::ParameterName, 'Do NOT verify the servers'' certificates (anyone in the path can read and change traffic)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'rmqctl;broker;config;help' {
            [CompletionResult]::new('get', 'get', [CompletionResultType]::ParameterValue, 'Print a broker''s configuration')
            [CompletionResult]::new('set', 'set', [CompletionResultType]::ParameterValue, 'Change one key at runtime; the broker also writes it into its config file (the bundled broker changes only that key''s line, Apache''s rewrites the whole file)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'rmqctl;broker;config;help;get' {
            break
        }
        'rmqctl;broker;config;help;set' {
            break
        }
        'rmqctl;broker;config;help;help' {
            break
        }
        'rmqctl;broker;help' {
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Runtime key/values of a broker (GET_BROKER_RUNTIME_INFO)')
            [CompletionResult]::new('config', 'config', [CompletionResultType]::ParameterValue, 'Read or change a broker''s configuration')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'rmqctl;broker;help;status' {
            break
        }
        'rmqctl;broker;help;config' {
            [CompletionResult]::new('get', 'get', [CompletionResultType]::ParameterValue, 'Print a broker''s configuration')
            [CompletionResult]::new('set', 'set', [CompletionResultType]::ParameterValue, 'Change one key at runtime; the broker also writes it into its config file (the bundled broker changes only that key''s line, Apache''s rewrites the whole file)')
            break
        }
        'rmqctl;broker;help;config;get' {
            break
        }
        'rmqctl;broker;help;config;set' {
            break
        }
        'rmqctl;broker;help;help' {
            break
        }
        'rmqctl;gateway' {
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'gateway.toml: topic, allow_callbacks, tokens, max_body_bytes, [tls], [account], [cluster_tls], [delivery], [[subscription]] (all optional)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'gateway.toml: topic, allow_callbacks, tokens, max_body_bytes, [tls], [account], [cluster_tls], [delivery], [[subscription]] (all optional)')
            [CompletionResult]::new('--listen', '--listen', [CompletionResultType]::ParameterName, 'Address the HTTP listener binds, `host:port` (overrides `listen`; default 0.0.0.0:8080)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Name servers, `host:port;host:port` (overrides `namesrv`; else $NAMESRV_ADDR)')
            [CompletionResult]::new('--namesrv', '--namesrv', [CompletionResultType]::ParameterName, 'Name servers, `host:port;host:port` (overrides `namesrv`; else $NAMESRV_ADDR)')
            [CompletionResult]::new('--tls-ca', '--tls-ca', [CompletionResultType]::ParameterName, 'CA certificate(s) (PEM) to verify the servers with; implies --tls')
            [CompletionResult]::new('--tls-cert', '--tls-cert', [CompletionResultType]::ParameterName, 'Client certificate (PEM) for servers that want one (mutual TLS); needs --tls-key')
            [CompletionResult]::new('--tls-key', '--tls-key', [CompletionResultType]::ParameterName, 'Private key (PEM) of --tls-cert; an encrypted PKCS#8 key takes its password from $RMQCTL_TLS_KEY_PASSWORD (never from the command line)')
            [CompletionResult]::new('--access-key', '--access-key', [CompletionResultType]::ParameterName, 'ACL access key to sign requests with (for brokers with aclEnable=true)')
            [CompletionResult]::new('--secret-key', '--secret-key', [CompletionResultType]::ParameterName, 'ACL secret key. Prefer $RMQCTL_SECRET_KEY: other users of the machine can read a process''s arguments')
            [CompletionResult]::new('--tls', '--tls', [CompletionResultType]::ParameterName, 'Connect with TLS (the servers run tls.server.mode=permissive or enforcing)')
            [CompletionResult]::new('--tls-insecure', '--tls-insecure', [CompletionResultType]::ParameterName, 'Do NOT verify the servers'' certificates (anyone in the path can read and change traffic)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'rmqctl;topic' {
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Create a topic on every master of a cluster (or one broker); re-running with the same values changes nothing, with new values updates')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'Delete a topic from every master of a cluster and from every name server')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List topics (all, or one cluster''s)')
            [CompletionResult]::new('route', 'route', [CompletionResultType]::ParameterValue, 'Show which brokers serve a topic, with queue counts and permissions')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Per queue: broker, queue id, min and max offset, last store time')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'rmqctl;topic;create' {
            [CompletionResult]::new('-t', '-t', [CompletionResultType]::ParameterName, 't')
            [CompletionResult]::new('--topic', '--topic', [CompletionResultType]::ParameterName, 'topic')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Cluster whose masters get the topic (default: the only cluster)')
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'Cluster whose masters get the topic (default: the only cluster)')
            [CompletionResult]::new('-b', '-b', [CompletionResultType]::ParameterName, 'One broker instead, by address (host:port) or broker name')
            [CompletionResult]::new('--broker', '--broker', [CompletionResultType]::ParameterName, 'One broker instead, by address (host:port) or broker name')
            [CompletionResult]::new('-r', '-r', [CompletionResultType]::ParameterName, 'Read queues per broker')
            [CompletionResult]::new('--read-queues', '--read-queues', [CompletionResultType]::ParameterName, 'Read queues per broker')
            [CompletionResult]::new('-w', '-w', [CompletionResultType]::ParameterName, 'Write queues per broker')
            [CompletionResult]::new('--write-queues', '--write-queues', [CompletionResultType]::ParameterName, 'Write queues per broker')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'Permission: 2 write, 4 read, 6 read-write')
            [CompletionResult]::new('--perm', '--perm', [CompletionResultType]::ParameterName, 'Permission: 2 write, 4 read, 6 read-write')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Name servers, `host:port;host:port`. Default: $NAMESRV_ADDR, then -i')
            [CompletionResult]::new('--namesrv', '--namesrv', [CompletionResultType]::ParameterName, 'Name servers, `host:port;host:port`. Default: $NAMESRV_ADDR, then -i')
            [CompletionResult]::new('-i', '-i', [CompletionResultType]::ParameterName, 'Inventory (TOML) to take the name servers from (used when -n is not given; wins over $NAMESRV_ADDR)')
            [CompletionResult]::new('--inventory', '--inventory', [CompletionResultType]::ParameterName, 'Inventory (TOML) to take the name servers from (used when -n is not given; wins over $NAMESRV_ADDR)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Per-request timeout: `3s`, `500ms` or a number of seconds')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--tls-ca', '--tls-ca', [CompletionResultType]::ParameterName, 'CA certificate(s) (PEM) to verify the servers with; implies --tls')
            [CompletionResult]::new('--tls-cert', '--tls-cert', [CompletionResultType]::ParameterName, 'Client certificate (PEM) for servers that want one (mutual TLS); needs --tls-key')
            [CompletionResult]::new('--tls-key', '--tls-key', [CompletionResultType]::ParameterName, 'Private key (PEM) of --tls-cert; an encrypted PKCS#8 key takes its password from $RMQCTL_TLS_KEY_PASSWORD (never from the command line)')
            [CompletionResult]::new('--access-key', '--access-key', [CompletionResultType]::ParameterName, 'ACL access key to sign requests with (for brokers with aclEnable=true)')
            [CompletionResult]::new('--secret-key', '--secret-key', [CompletionResultType]::ParameterName, 'ACL secret key. Prefer $RMQCTL_SECRET_KEY: other users of the machine can read a process''s arguments')
            [CompletionResult]::new('--order', '--order', [CompletionResultType]::ParameterName, 'Ordered topic (also writes the order config to the name servers)')
            [CompletionResult]::new('--tls', '--tls', [CompletionResultType]::ParameterName, 'Connect with TLS (the servers run tls.server.mode=permissive or enforcing)')
            [CompletionResult]::new('--tls-insecure', '--tls-insecure', [CompletionResultType]::ParameterName, 'Do NOT verify the servers'' certificates (anyone in the path can read and change traffic)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'rmqctl;topic;delete' {
            [CompletionResult]::new('-t', '-t', [CompletionResultType]::ParameterName, 't')
            [CompletionResult]::new('--topic', '--topic', [CompletionResultType]::ParameterName, 'topic')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Cluster to delete from (default: the only cluster)')
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'Cluster to delete from (default: the only cluster)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Name servers, `host:port;host:port`. Default: $NAMESRV_ADDR, then -i')
            [CompletionResult]::new('--namesrv', '--namesrv', [CompletionResultType]::ParameterName, 'Name servers, `host:port;host:port`. Default: $NAMESRV_ADDR, then -i')
            [CompletionResult]::new('-i', '-i', [CompletionResultType]::ParameterName, 'Inventory (TOML) to take the name servers from (used when -n is not given; wins over $NAMESRV_ADDR)')
            [CompletionResult]::new('--inventory', '--inventory', [CompletionResultType]::ParameterName, 'Inventory (TOML) to take the name servers from (used when -n is not given; wins over $NAMESRV_ADDR)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Per-request timeout: `3s`, `500ms` or a number of seconds')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--tls-ca', '--tls-ca', [CompletionResultType]::ParameterName, 'CA certificate(s) (PEM) to verify the servers with; implies --tls')
            [CompletionResult]::new('--tls-cert', '--tls-cert', [CompletionResultType]::ParameterName, 'Client certificate (PEM) for servers that want one (mutual TLS); needs --tls-key')
            [CompletionResult]::new('--tls-key', '--tls-key', [CompletionResultType]::ParameterName, 'Private key (PEM) of --tls-cert; an encrypted PKCS#8 key takes its password from $RMQCTL_TLS_KEY_PASSWORD (never from the command line)')
            [CompletionResult]::new('--access-key', '--access-key', [CompletionResultType]::ParameterName, 'ACL access key to sign requests with (for brokers with aclEnable=true)')
            [CompletionResult]::new('--secret-key', '--secret-key', [CompletionResultType]::ParameterName, 'ACL secret key. Prefer $RMQCTL_SECRET_KEY: other users of the machine can read a process''s arguments')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation')
            [CompletionResult]::new('--tls', '--tls', [CompletionResultType]::ParameterName, 'Connect with TLS (the servers run tls.server.mode=permissive or enforcing)')
            [CompletionResult]::new('--tls-insecure', '--tls-insecure', [CompletionResultType]::ParameterName, 'Do NOT verify the servers'' certificates (anyone in the path can read and change traffic)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'rmqctl;topic;list' {
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Only the topics of this cluster')
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'Only the topics of this cluster')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Name servers, `host:port;host:port`. Default: $NAMESRV_ADDR, then -i')
            [CompletionResult]::new('--namesrv', '--namesrv', [CompletionResultType]::ParameterName, 'Name servers, `host:port;host:port`. Default: $NAMESRV_ADDR, then -i')
            [CompletionResult]::new('-i', '-i', [CompletionResultType]::ParameterName, 'Inventory (TOML) to take the name servers from (used when -n is not given; wins over $NAMESRV_ADDR)')
            [CompletionResult]::new('--inventory', '--inventory', [CompletionResultType]::ParameterName, 'Inventory (TOML) to take the name servers from (used when -n is not given; wins over $NAMESRV_ADDR)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Per-request timeout: `3s`, `500ms` or a number of seconds')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--tls-ca', '--tls-ca', [CompletionResultType]::ParameterName, 'CA certificate(s) (PEM) to verify the servers with; implies --tls')
            [CompletionResult]::new('--tls-cert', '--tls-cert', [CompletionResultType]::ParameterName, 'Client certificate (PEM) for servers that want one (mutual TLS); needs --tls-key')
            [CompletionResult]::new('--tls-key', '--tls-key', [CompletionResultType]::ParameterName, 'Private key (PEM) of --tls-cert; an encrypted PKCS#8 key takes its password from $RMQCTL_TLS_KEY_PASSWORD (never from the command line)')
            [CompletionResult]::new('--access-key', '--access-key', [CompletionResultType]::ParameterName, 'ACL access key to sign requests with (for brokers with aclEnable=true)')
            [CompletionResult]::new('--secret-key', '--secret-key', [CompletionResultType]::ParameterName, 'ACL secret key. Prefer $RMQCTL_SECRET_KEY: other users of the machine can read a process''s arguments')
            [CompletionResult]::new('--tls', '--tls', [CompletionResultType]::ParameterName, 'Connect with TLS (the servers run tls.server.mode=permissive or enforcing)')
            [CompletionResult]::new('--tls-insecure', '--tls-insecure', [CompletionResultType]::ParameterName, 'Do NOT verify the servers'' certificates (anyone in the path can read and change traffic)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'rmqctl;topic;route' {
            [CompletionResult]::new('-t', '-t', [CompletionResultType]::ParameterName, 't')
            [CompletionResult]::new('--topic', '--topic', [CompletionResultType]::ParameterName, 'topic')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Name servers, `host:port;host:port`. Default: $NAMESRV_ADDR, then -i')
            [CompletionResult]::new('--namesrv', '--namesrv', [CompletionResultType]::ParameterName, 'Name servers, `host:port;host:port`. Default: $NAMESRV_ADDR, then -i')
            [CompletionResult]::new('-i', '-i', [CompletionResultType]::ParameterName, 'Inventory (TOML) to take the name servers from (used when -n is not given; wins over $NAMESRV_ADDR)')
            [CompletionResult]::new('--inventory', '--inventory', [CompletionResultType]::ParameterName, 'Inventory (TOML) to take the name servers from (used when -n is not given; wins over $NAMESRV_ADDR)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Per-request timeout: `3s`, `500ms` or a number of seconds')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--tls-ca', '--tls-ca', [CompletionResultType]::ParameterName, 'CA certificate(s) (PEM) to verify the servers with; implies --tls')
            [CompletionResult]::new('--tls-cert', '--tls-cert', [CompletionResultType]::ParameterName, 'Client certificate (PEM) for servers that want one (mutual TLS); needs --tls-key')
            [CompletionResult]::new('--tls-key', '--tls-key', [CompletionResultType]::ParameterName, 'Private key (PEM) of --tls-cert; an encrypted PKCS#8 key takes its password from $RMQCTL_TLS_KEY_PASSWORD (never from the command line)')
            [CompletionResult]::new('--access-key', '--access-key', [CompletionResultType]::ParameterName, 'ACL access key to sign requests with (for brokers with aclEnable=true)')
            [CompletionResult]::new('--secret-key', '--secret-key', [CompletionResultType]::ParameterName, 'ACL secret key. Prefer $RMQCTL_SECRET_KEY: other users of the machine can read a process''s arguments')
            [CompletionResult]::new('--tls', '--tls', [CompletionResultType]::ParameterName, 'Connect with TLS (the servers run tls.server.mode=permissive or enforcing)')
            [CompletionResult]::new('--tls-insecure', '--tls-insecure', [CompletionResultType]::ParameterName, 'Do NOT verify the servers'' certificates (anyone in the path can read and change traffic)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'rmqctl;topic;status' {
            [CompletionResult]::new('-t', '-t', [CompletionResultType]::ParameterName, 't')
            [CompletionResult]::new('--topic', '--topic', [CompletionResultType]::ParameterName, 'topic')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Name servers, `host:port;host:port`. Default: $NAMESRV_ADDR, then -i')
            [CompletionResult]::new('--namesrv', '--namesrv', [CompletionResultType]::ParameterName, 'Name servers, `host:port;host:port`. Default: $NAMESRV_ADDR, then -i')
            [CompletionResult]::new('-i', '-i', [CompletionResultType]::ParameterName, 'Inventory (TOML) to take the name servers from (used when -n is not given; wins over $NAMESRV_ADDR)')
            [CompletionResult]::new('--inventory', '--inventory', [CompletionResultType]::ParameterName, 'Inventory (TOML) to take the name servers from (used when -n is not given; wins over $NAMESRV_ADDR)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Per-request timeout: `3s`, `500ms` or a number of seconds')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--tls-ca', '--tls-ca', [CompletionResultType]::ParameterName, 'CA certificate(s) (PEM) to verify the servers with; implies --tls')
            [CompletionResult]::new('--tls-cert', '--tls-cert', [CompletionResultType]::ParameterName, 'Client certificate (PEM) for servers that want one (mutual TLS); needs --tls-key')
            [CompletionResult]::new('--tls-key', '--tls-key', [CompletionResultType]::ParameterName, 'Private key (PEM) of --tls-cert; an encrypted PKCS#8 key takes its password from $RMQCTL_TLS_KEY_PASSWORD (never from the command line)')
            [CompletionResult]::new('--access-key', '--access-key', [CompletionResultType]::ParameterName, 'ACL access key to sign requests with (for brokers with aclEnable=true)')
            [CompletionResult]::new('--secret-key', '--secret-key', [CompletionResultType]::ParameterName, 'ACL secret key. Prefer $RMQCTL_SECRET_KEY: other users of the machine can read a process''s arguments')
            [CompletionResult]::new('--tls', '--tls', [CompletionResultType]::ParameterName, 'Connect with TLS (the servers run tls.server.mode=permissive or enforcing)')
            [CompletionResult]::new('--tls-insecure', '--tls-insecure', [CompletionResultType]::ParameterName, 'Do NOT verify the servers'' certificates (anyone in the path can read and change traffic)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'rmqctl;topic;help' {
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Create a topic on every master of a cluster (or one broker); re-running with the same values changes nothing, with new values updates')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'Delete a topic from every master of a cluster and from every name server')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List topics (all, or one cluster''s)')
            [CompletionResult]::new('route', 'route', [CompletionResultType]::ParameterValue, 'Show which brokers serve a topic, with queue counts and permissions')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Per queue: broker, queue id, min and max offset, last store time')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'rmqctl;topic;help;create' {
            break
        }
        'rmqctl;topic;help;delete' {
            break
        }
        'rmqctl;topic;help;list' {
            break
        }
        'rmqctl;topic;help;route' {
            break
        }
        'rmqctl;topic;help;status' {
            break
        }
        'rmqctl;topic;help;help' {
            break
        }
        'rmqctl;cluster' {
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Per broker: role, address, version, TPS, today''s traffic, commit-log offset, replication lag')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'rmqctl;cluster;status' {
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Only this cluster')
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'Only this cluster')
            [CompletionResult]::new('-w', '-w', [CompletionResultType]::ParameterName, 'Refresh every SECS seconds (default 2) until interrupted')
            [CompletionResult]::new('--watch', '--watch', [CompletionResultType]::ParameterName, 'Refresh every SECS seconds (default 2) until interrupted')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Name servers, `host:port;host:port`. Default: $NAMESRV_ADDR, then -i')
            [CompletionResult]::new('--namesrv', '--namesrv', [CompletionResultType]::ParameterName, 'Name servers, `host:port;host:port`. Default: $NAMESRV_ADDR, then -i')
            [CompletionResult]::new('-i', '-i', [CompletionResultType]::ParameterName, 'Inventory (TOML) to take the name servers from (used when -n is not given; wins over $NAMESRV_ADDR)')
            [CompletionResult]::new('--inventory', '--inventory', [CompletionResultType]::ParameterName, 'Inventory (TOML) to take the name servers from (used when -n is not given; wins over $NAMESRV_ADDR)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Per-request timeout: `3s`, `500ms` or a number of seconds')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--tls-ca', '--tls-ca', [CompletionResultType]::ParameterName, 'CA certificate(s) (PEM) to verify the servers with; implies --tls')
            [CompletionResult]::new('--tls-cert', '--tls-cert', [CompletionResultType]::ParameterName, 'Client certificate (PEM) for servers that want one (mutual TLS); needs --tls-key')
            [CompletionResult]::new('--tls-key', '--tls-key', [CompletionResultType]::ParameterName, 'Private key (PEM) of --tls-cert; an encrypted PKCS#8 key takes its password from $RMQCTL_TLS_KEY_PASSWORD (never from the command line)')
            [CompletionResult]::new('--access-key', '--access-key', [CompletionResultType]::ParameterName, 'ACL access key to sign requests with (for brokers with aclEnable=true)')
            [CompletionResult]::new('--secret-key', '--secret-key', [CompletionResultType]::ParameterName, 'ACL secret key. Prefer $RMQCTL_SECRET_KEY: other users of the machine can read a process''s arguments')
            [CompletionResult]::new('--tls', '--tls', [CompletionResultType]::ParameterName, 'Connect with TLS (the servers run tls.server.mode=permissive or enforcing)')
            [CompletionResult]::new('--tls-insecure', '--tls-insecure', [CompletionResultType]::ParameterName, 'Do NOT verify the servers'' certificates (anyone in the path can read and change traffic)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'rmqctl;cluster;help' {
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Per broker: role, address, version, TPS, today''s traffic, commit-log offset, replication lag')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'rmqctl;cluster;help;status' {
            break
        }
        'rmqctl;cluster;help;help' {
            break
        }
        'rmqctl;offsets' {
            [CompletionResult]::new('-t', '-t', [CompletionResultType]::ParameterName, 't')
            [CompletionResult]::new('--topic', '--topic', [CompletionResultType]::ParameterName, 'topic')
            [CompletionResult]::new('-g', '-g', [CompletionResultType]::ParameterName, 'Consumer group: adds its offset, lag and the age of the oldest unconsumed message')
            [CompletionResult]::new('--group', '--group', [CompletionResultType]::ParameterName, 'Consumer group: adds its offset, lag and the age of the oldest unconsumed message')
            [CompletionResult]::new('--fail-above', '--fail-above', [CompletionResultType]::ParameterName, 'Exit with code 3 when the group''s total lag on the topic exceeds N')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Name servers, `host:port;host:port`. Default: $NAMESRV_ADDR, then -i')
            [CompletionResult]::new('--namesrv', '--namesrv', [CompletionResultType]::ParameterName, 'Name servers, `host:port;host:port`. Default: $NAMESRV_ADDR, then -i')
            [CompletionResult]::new('-i', '-i', [CompletionResultType]::ParameterName, 'Inventory (TOML) to take the name servers from (used when -n is not given; wins over $NAMESRV_ADDR)')
            [CompletionResult]::new('--inventory', '--inventory', [CompletionResultType]::ParameterName, 'Inventory (TOML) to take the name servers from (used when -n is not given; wins over $NAMESRV_ADDR)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Per-request timeout: `3s`, `500ms` or a number of seconds')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--tls-ca', '--tls-ca', [CompletionResultType]::ParameterName, 'CA certificate(s) (PEM) to verify the servers with; implies --tls')
            [CompletionResult]::new('--tls-cert', '--tls-cert', [CompletionResultType]::ParameterName, 'Client certificate (PEM) for servers that want one (mutual TLS); needs --tls-key')
            [CompletionResult]::new('--tls-key', '--tls-key', [CompletionResultType]::ParameterName, 'Private key (PEM) of --tls-cert; an encrypted PKCS#8 key takes its password from $RMQCTL_TLS_KEY_PASSWORD (never from the command line)')
            [CompletionResult]::new('--access-key', '--access-key', [CompletionResultType]::ParameterName, 'ACL access key to sign requests with (for brokers with aclEnable=true)')
            [CompletionResult]::new('--secret-key', '--secret-key', [CompletionResultType]::ParameterName, 'ACL secret key. Prefer $RMQCTL_SECRET_KEY: other users of the machine can read a process''s arguments')
            [CompletionResult]::new('--tls', '--tls', [CompletionResultType]::ParameterName, 'Connect with TLS (the servers run tls.server.mode=permissive or enforcing)')
            [CompletionResult]::new('--tls-insecure', '--tls-insecure', [CompletionResultType]::ParameterName, 'Do NOT verify the servers'' certificates (anyone in the path can read and change traffic)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'rmqctl;group' {
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'Consumer groups known to the masters')
            [CompletionResult]::new('describe', 'describe', [CompletionResultType]::ParameterValue, 'Every topic a group consumes, per-queue lag, totals and connected clients')
            [CompletionResult]::new('reset', 'reset', [CompletionResultType]::ParameterValue, 'Move a group''s offsets on a topic; shows a before/after preview and changes nothing unless --execute')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'rmqctl;group;list' {
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Name servers, `host:port;host:port`. Default: $NAMESRV_ADDR, then -i')
            [CompletionResult]::new('--namesrv', '--namesrv', [CompletionResultType]::ParameterName, 'Name servers, `host:port;host:port`. Default: $NAMESRV_ADDR, then -i')
            [CompletionResult]::new('-i', '-i', [CompletionResultType]::ParameterName, 'Inventory (TOML) to take the name servers from (used when -n is not given; wins over $NAMESRV_ADDR)')
            [CompletionResult]::new('--inventory', '--inventory', [CompletionResultType]::ParameterName, 'Inventory (TOML) to take the name servers from (used when -n is not given; wins over $NAMESRV_ADDR)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Per-request timeout: `3s`, `500ms` or a number of seconds')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--tls-ca', '--tls-ca', [CompletionResultType]::ParameterName, 'CA certificate(s) (PEM) to verify the servers with; implies --tls')
            [CompletionResult]::new('--tls-cert', '--tls-cert', [CompletionResultType]::ParameterName, 'Client certificate (PEM) for servers that want one (mutual TLS); needs --tls-key')
            [CompletionResult]::new('--tls-key', '--tls-key', [CompletionResultType]::ParameterName, 'Private key (PEM) of --tls-cert; an encrypted PKCS#8 key takes its password from $RMQCTL_TLS_KEY_PASSWORD (never from the command line)')
            [CompletionResult]::new('--access-key', '--access-key', [CompletionResultType]::ParameterName, 'ACL access key to sign requests with (for brokers with aclEnable=true)')
            [CompletionResult]::new('--secret-key', '--secret-key', [CompletionResultType]::ParameterName, 'ACL secret key. Prefer $RMQCTL_SECRET_KEY: other users of the machine can read a process''s arguments')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'Include the brokers'' own groups (TOOLS_CONSUMER, CID_RMQ_SYS_...)')
            [CompletionResult]::new('--tls', '--tls', [CompletionResultType]::ParameterName, 'Connect with TLS (the servers run tls.server.mode=permissive or enforcing)')
            [CompletionResult]::new('--tls-insecure', '--tls-insecure', [CompletionResultType]::ParameterName, 'Do NOT verify the servers'' certificates (anyone in the path can read and change traffic)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'rmqctl;group;describe' {
            [CompletionResult]::new('-g', '-g', [CompletionResultType]::ParameterName, 'g')
            [CompletionResult]::new('--group', '--group', [CompletionResultType]::ParameterName, 'group')
            [CompletionResult]::new('--fail-above', '--fail-above', [CompletionResultType]::ParameterName, 'Exit with code 3 when the total lag exceeds N (for cron and CI)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Name servers, `host:port;host:port`. Default: $NAMESRV_ADDR, then -i')
            [CompletionResult]::new('--namesrv', '--namesrv', [CompletionResultType]::ParameterName, 'Name servers, `host:port;host:port`. Default: $NAMESRV_ADDR, then -i')
            [CompletionResult]::new('-i', '-i', [CompletionResultType]::ParameterName, 'Inventory (TOML) to take the name servers from (used when -n is not given; wins over $NAMESRV_ADDR)')
            [CompletionResult]::new('--inventory', '--inventory', [CompletionResultType]::ParameterName, 'Inventory (TOML) to take the name servers from (used when -n is not given; wins over $NAMESRV_ADDR)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Per-request timeout: `3s`, `500ms` or a number of seconds')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--tls-ca', '--tls-ca', [CompletionResultType]::ParameterName, 'CA certificate(s) (PEM) to verify the servers with; implies --tls')
            [CompletionResult]::new('--tls-cert', '--tls-cert', [CompletionResultType]::ParameterName, 'Client certificate (PEM) for servers that want one (mutual TLS); needs --tls-key')
            [CompletionResult]::new('--tls-key', '--tls-key', [CompletionResultType]::ParameterName, 'Private key (PEM) of --tls-cert; an encrypted PKCS#8 key takes its password from $RMQCTL_TLS_KEY_PASSWORD (never from the command line)')
            [CompletionResult]::new('--access-key', '--access-key', [CompletionResultType]::ParameterName, 'ACL access key to sign requests with (for brokers with aclEnable=true)')
            [CompletionResult]::new('--secret-key', '--secret-key', [CompletionResultType]::ParameterName, 'ACL secret key. Prefer $RMQCTL_SECRET_KEY: other users of the machine can read a process''s arguments')
            [CompletionResult]::new('--tls', '--tls', [CompletionResultType]::ParameterName, 'Connect with TLS (the servers run tls.server.mode=permissive or enforcing)')
            [CompletionResult]::new('--tls-insecure', '--tls-insecure', [CompletionResultType]::ParameterName, 'Do NOT verify the servers'' certificates (anyone in the path can read and change traffic)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'rmqctl;group;reset' {
            [CompletionResult]::new('-g', '-g', [CompletionResultType]::ParameterName, 'g')
            [CompletionResult]::new('--group', '--group', [CompletionResultType]::ParameterName, 'group')
            [CompletionResult]::new('-t', '-t', [CompletionResultType]::ParameterName, 't')
            [CompletionResult]::new('--topic', '--topic', [CompletionResultType]::ParameterName, 'topic')
            [CompletionResult]::new('--to-time', '--to-time', [CompletionResultType]::ParameterName, 'First message stored at or after TIME: epoch ms, `YYYY-MM-DD[THH:MM[:SS[.mmm]]]` (UTC) or `now`')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Name servers, `host:port;host:port`. Default: $NAMESRV_ADDR, then -i')
            [CompletionResult]::new('--namesrv', '--namesrv', [CompletionResultType]::ParameterName, 'Name servers, `host:port;host:port`. Default: $NAMESRV_ADDR, then -i')
            [CompletionResult]::new('-i', '-i', [CompletionResultType]::ParameterName, 'Inventory (TOML) to take the name servers from (used when -n is not given; wins over $NAMESRV_ADDR)')
            [CompletionResult]::new('--inventory', '--inventory', [CompletionResultType]::ParameterName, 'Inventory (TOML) to take the name servers from (used when -n is not given; wins over $NAMESRV_ADDR)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Per-request timeout: `3s`, `500ms` or a number of seconds')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--tls-ca', '--tls-ca', [CompletionResultType]::ParameterName, 'CA certificate(s) (PEM) to verify the servers with; implies --tls')
            [CompletionResult]::new('--tls-cert', '--tls-cert', [CompletionResultType]::ParameterName, 'Client certificate (PEM) for servers that want one (mutual TLS); needs --tls-key')
            [CompletionResult]::new('--tls-key', '--tls-key', [CompletionResultType]::ParameterName, 'Private key (PEM) of --tls-cert; an encrypted PKCS#8 key takes its password from $RMQCTL_TLS_KEY_PASSWORD (never from the command line)')
            [CompletionResult]::new('--access-key', '--access-key', [CompletionResultType]::ParameterName, 'ACL access key to sign requests with (for brokers with aclEnable=true)')
            [CompletionResult]::new('--secret-key', '--secret-key', [CompletionResultType]::ParameterName, 'ACL secret key. Prefer $RMQCTL_SECRET_KEY: other users of the machine can read a process''s arguments')
            [CompletionResult]::new('--to-earliest', '--to-earliest', [CompletionResultType]::ParameterName, 'The oldest message still stored')
            [CompletionResult]::new('--to-latest', '--to-latest', [CompletionResultType]::ParameterName, 'After the newest message (skip everything pending)')
            [CompletionResult]::new('--execute', '--execute', [CompletionResultType]::ParameterName, 'Apply the change (without it, only the preview is shown)')
            [CompletionResult]::new('--tls', '--tls', [CompletionResultType]::ParameterName, 'Connect with TLS (the servers run tls.server.mode=permissive or enforcing)')
            [CompletionResult]::new('--tls-insecure', '--tls-insecure', [CompletionResultType]::ParameterName, 'Do NOT verify the servers'' certificates (anyone in the path can read and change traffic)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'rmqctl;group;help' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'Consumer groups known to the masters')
            [CompletionResult]::new('describe', 'describe', [CompletionResultType]::ParameterValue, 'Every topic a group consumes, per-queue lag, totals and connected clients')
            [CompletionResult]::new('reset', 'reset', [CompletionResultType]::ParameterValue, 'Move a group''s offsets on a topic; shows a before/after preview and changes nothing unless --execute')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'rmqctl;group;help;list' {
            break
        }
        'rmqctl;group;help;describe' {
            break
        }
        'rmqctl;group;help;reset' {
            break
        }
        'rmqctl;group;help;help' {
            break
        }
        'rmqctl;message' {
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('send', 'send', [CompletionResultType]::ParameterValue, 'Send one message')
            [CompletionResult]::new('consume', 'consume', [CompletionResultType]::ParameterValue, 'Read messages (from the group''s offsets, or from the start); commits nothing')
            [CompletionResult]::new('get', 'get', [CompletionResultType]::ParameterValue, 'Show one message by offset id, or by unique id with -t')
            [CompletionResult]::new('query', 'query', [CompletionResultType]::ParameterValue, 'Find messages by key')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'rmqctl;message;send' {
            [CompletionResult]::new('-t', '-t', [CompletionResultType]::ParameterName, 't')
            [CompletionResult]::new('--topic', '--topic', [CompletionResultType]::ParameterName, 'topic')
            [CompletionResult]::new('--tag', '--tag', [CompletionResultType]::ParameterName, 'tag')
            [CompletionResult]::new('-k', '-k', [CompletionResultType]::ParameterName, 'Message key (repeatable)')
            [CompletionResult]::new('--key', '--key', [CompletionResultType]::ParameterName, 'Message key (repeatable)')
            [CompletionResult]::new('--body', '--body', [CompletionResultType]::ParameterName, 'Body text')
            [CompletionResult]::new('--file', '--file', [CompletionResultType]::ParameterName, 'Body from a file (`-` for stdin)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Name servers, `host:port;host:port`. Default: $NAMESRV_ADDR, then -i')
            [CompletionResult]::new('--namesrv', '--namesrv', [CompletionResultType]::ParameterName, 'Name servers, `host:port;host:port`. Default: $NAMESRV_ADDR, then -i')
            [CompletionResult]::new('-i', '-i', [CompletionResultType]::ParameterName, 'Inventory (TOML) to take the name servers from (used when -n is not given; wins over $NAMESRV_ADDR)')
            [CompletionResult]::new('--inventory', '--inventory', [CompletionResultType]::ParameterName, 'Inventory (TOML) to take the name servers from (used when -n is not given; wins over $NAMESRV_ADDR)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Per-request timeout: `3s`, `500ms` or a number of seconds')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--tls-ca', '--tls-ca', [CompletionResultType]::ParameterName, 'CA certificate(s) (PEM) to verify the servers with; implies --tls')
            [CompletionResult]::new('--tls-cert', '--tls-cert', [CompletionResultType]::ParameterName, 'Client certificate (PEM) for servers that want one (mutual TLS); needs --tls-key')
            [CompletionResult]::new('--tls-key', '--tls-key', [CompletionResultType]::ParameterName, 'Private key (PEM) of --tls-cert; an encrypted PKCS#8 key takes its password from $RMQCTL_TLS_KEY_PASSWORD (never from the command line)')
            [CompletionResult]::new('--access-key', '--access-key', [CompletionResultType]::ParameterName, 'ACL access key to sign requests with (for brokers with aclEnable=true)')
            [CompletionResult]::new('--secret-key', '--secret-key', [CompletionResultType]::ParameterName, 'ACL secret key. Prefer $RMQCTL_SECRET_KEY: other users of the machine can read a process''s arguments')
            [CompletionResult]::new('--tls', '--tls', [CompletionResultType]::ParameterName, 'Connect with TLS (the servers run tls.server.mode=permissive or enforcing)')
            [CompletionResult]::new('--tls-insecure', '--tls-insecure', [CompletionResultType]::ParameterName, 'Do NOT verify the servers'' certificates (anyone in the path can read and change traffic)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'rmqctl;message;consume' {
            [CompletionResult]::new('-t', '-t', [CompletionResultType]::ParameterName, 't')
            [CompletionResult]::new('--topic', '--topic', [CompletionResultType]::ParameterName, 'topic')
            [CompletionResult]::new('-g', '-g', [CompletionResultType]::ParameterName, 'Start from this group''s committed offsets (default: from the oldest message)')
            [CompletionResult]::new('--group', '--group', [CompletionResultType]::ParameterName, 'Start from this group''s committed offsets (default: from the oldest message)')
            [CompletionResult]::new('-N', '-N ', [CompletionResultType]::ParameterName, 'At most N messages')
            [CompletionResult]::new('--count', '--count', [CompletionResultType]::ParameterName, 'At most N messages')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Name servers, `host:port;host:port`. Default: $NAMESRV_ADDR, then -i')
            [CompletionResult]::new('--namesrv', '--namesrv', [CompletionResultType]::ParameterName, 'Name servers, `host:port;host:port`. Default: $NAMESRV_ADDR, then -i')
            [CompletionResult]::new('-i', '-i', [CompletionResultType]::ParameterName, 'Inventory (TOML) to take the name servers from (used when -n is not given; wins over $NAMESRV_ADDR)')
            [CompletionResult]::new('--inventory', '--inventory', [CompletionResultType]::ParameterName, 'Inventory (TOML) to take the name servers from (used when -n is not given; wins over $NAMESRV_ADDR)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Per-request timeout: `3s`, `500ms` or a number of seconds')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--tls-ca', '--tls-ca', [CompletionResultType]::ParameterName, 'CA certificate(s) (PEM) to verify the servers with; implies --tls')
            [CompletionResult]::new('--tls-cert', '--tls-cert', [CompletionResultType]::ParameterName, 'Client certificate (PEM) for servers that want one (mutual TLS); needs --tls-key')
            [CompletionResult]::new('--tls-key', '--tls-key', [CompletionResultType]::ParameterName, 'Private key (PEM) of --tls-cert; an encrypted PKCS#8 key takes its password from $RMQCTL_TLS_KEY_PASSWORD (never from the command line)')
            [CompletionResult]::new('--access-key', '--access-key', [CompletionResultType]::ParameterName, 'ACL access key to sign requests with (for brokers with aclEnable=true)')
            [CompletionResult]::new('--secret-key', '--secret-key', [CompletionResultType]::ParameterName, 'ACL secret key. Prefer $RMQCTL_SECRET_KEY: other users of the machine can read a process''s arguments')
            [CompletionResult]::new('--tls', '--tls', [CompletionResultType]::ParameterName, 'Connect with TLS (the servers run tls.server.mode=permissive or enforcing)')
            [CompletionResult]::new('--tls-insecure', '--tls-insecure', [CompletionResultType]::ParameterName, 'Do NOT verify the servers'' certificates (anyone in the path can read and change traffic)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'rmqctl;message;get' {
            [CompletionResult]::new('-t', '-t', [CompletionResultType]::ParameterName, 'Topic to search the unique id in')
            [CompletionResult]::new('--topic', '--topic', [CompletionResultType]::ParameterName, 'Topic to search the unique id in')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Name servers, `host:port;host:port`. Default: $NAMESRV_ADDR, then -i')
            [CompletionResult]::new('--namesrv', '--namesrv', [CompletionResultType]::ParameterName, 'Name servers, `host:port;host:port`. Default: $NAMESRV_ADDR, then -i')
            [CompletionResult]::new('-i', '-i', [CompletionResultType]::ParameterName, 'Inventory (TOML) to take the name servers from (used when -n is not given; wins over $NAMESRV_ADDR)')
            [CompletionResult]::new('--inventory', '--inventory', [CompletionResultType]::ParameterName, 'Inventory (TOML) to take the name servers from (used when -n is not given; wins over $NAMESRV_ADDR)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Per-request timeout: `3s`, `500ms` or a number of seconds')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--tls-ca', '--tls-ca', [CompletionResultType]::ParameterName, 'CA certificate(s) (PEM) to verify the servers with; implies --tls')
            [CompletionResult]::new('--tls-cert', '--tls-cert', [CompletionResultType]::ParameterName, 'Client certificate (PEM) for servers that want one (mutual TLS); needs --tls-key')
            [CompletionResult]::new('--tls-key', '--tls-key', [CompletionResultType]::ParameterName, 'Private key (PEM) of --tls-cert; an encrypted PKCS#8 key takes its password from $RMQCTL_TLS_KEY_PASSWORD (never from the command line)')
            [CompletionResult]::new('--access-key', '--access-key', [CompletionResultType]::ParameterName, 'ACL access key to sign requests with (for brokers with aclEnable=true)')
            [CompletionResult]::new('--secret-key', '--secret-key', [CompletionResultType]::ParameterName, 'ACL secret key. Prefer $RMQCTL_SECRET_KEY: other users of the machine can read a process''s arguments')
            [CompletionResult]::new('--tls', '--tls', [CompletionResultType]::ParameterName, 'Connect with TLS (the servers run tls.server.mode=permissive or enforcing)')
            [CompletionResult]::new('--tls-insecure', '--tls-insecure', [CompletionResultType]::ParameterName, 'Do NOT verify the servers'' certificates (anyone in the path can read and change traffic)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'rmqctl;message;query' {
            [CompletionResult]::new('-t', '-t', [CompletionResultType]::ParameterName, 't')
            [CompletionResult]::new('--topic', '--topic', [CompletionResultType]::ParameterName, 'topic')
            [CompletionResult]::new('-k', '-k', [CompletionResultType]::ParameterName, 'k')
            [CompletionResult]::new('--key', '--key', [CompletionResultType]::ParameterName, 'key')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Name servers, `host:port;host:port`. Default: $NAMESRV_ADDR, then -i')
            [CompletionResult]::new('--namesrv', '--namesrv', [CompletionResultType]::ParameterName, 'Name servers, `host:port;host:port`. Default: $NAMESRV_ADDR, then -i')
            [CompletionResult]::new('-i', '-i', [CompletionResultType]::ParameterName, 'Inventory (TOML) to take the name servers from (used when -n is not given; wins over $NAMESRV_ADDR)')
            [CompletionResult]::new('--inventory', '--inventory', [CompletionResultType]::ParameterName, 'Inventory (TOML) to take the name servers from (used when -n is not given; wins over $NAMESRV_ADDR)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Per-request timeout: `3s`, `500ms` or a number of seconds')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--tls-ca', '--tls-ca', [CompletionResultType]::ParameterName, 'CA certificate(s) (PEM) to verify the servers with; implies --tls')
            [CompletionResult]::new('--tls-cert', '--tls-cert', [CompletionResultType]::ParameterName, 'Client certificate (PEM) for servers that want one (mutual TLS); needs --tls-key')
            [CompletionResult]::new('--tls-key', '--tls-key', [CompletionResultType]::ParameterName, 'Private key (PEM) of --tls-cert; an encrypted PKCS#8 key takes its password from $RMQCTL_TLS_KEY_PASSWORD (never from the command line)')
            [CompletionResult]::new('--access-key', '--access-key', [CompletionResultType]::ParameterName, 'ACL access key to sign requests with (for brokers with aclEnable=true)')
            [CompletionResult]::new('--secret-key', '--secret-key', [CompletionResultType]::ParameterName, 'ACL secret key. Prefer $RMQCTL_SECRET_KEY: other users of the machine can read a process''s arguments')
            [CompletionResult]::new('--tls', '--tls', [CompletionResultType]::ParameterName, 'Connect with TLS (the servers run tls.server.mode=permissive or enforcing)')
            [CompletionResult]::new('--tls-insecure', '--tls-insecure', [CompletionResultType]::ParameterName, 'Do NOT verify the servers'' certificates (anyone in the path can read and change traffic)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'rmqctl;message;help' {
            [CompletionResult]::new('send', 'send', [CompletionResultType]::ParameterValue, 'Send one message')
            [CompletionResult]::new('consume', 'consume', [CompletionResultType]::ParameterValue, 'Read messages (from the group''s offsets, or from the start); commits nothing')
            [CompletionResult]::new('get', 'get', [CompletionResultType]::ParameterValue, 'Show one message by offset id, or by unique id with -t')
            [CompletionResult]::new('query', 'query', [CompletionResultType]::ParameterValue, 'Find messages by key')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'rmqctl;message;help;send' {
            break
        }
        'rmqctl;message;help;consume' {
            break
        }
        'rmqctl;message;help;get' {
            break
        }
        'rmqctl;message;help;query' {
            break
        }
        'rmqctl;message;help;help' {
            break
        }
        'rmqctl;acl' {
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'Every broker''s accounts and global white list (secret keys are never shown)')
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Create an account, or update one (only the options given change), on every broker')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Delete an account from every broker')
            [CompletionResult]::new('whitelist', 'whitelist', [CompletionResultType]::ParameterValue, 'Replace the global white list of every broker (peers on it need no account)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'rmqctl;acl;list' {
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Only the brokers of this cluster')
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'Only the brokers of this cluster')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Name servers, `host:port;host:port`. Default: $NAMESRV_ADDR, then -i')
            [CompletionResult]::new('--namesrv', '--namesrv', [CompletionResultType]::ParameterName, 'Name servers, `host:port;host:port`. Default: $NAMESRV_ADDR, then -i')
            [CompletionResult]::new('-i', '-i', [CompletionResultType]::ParameterName, 'Inventory (TOML) to take the name servers from (used when -n is not given; wins over $NAMESRV_ADDR)')
            [CompletionResult]::new('--inventory', '--inventory', [CompletionResultType]::ParameterName, 'Inventory (TOML) to take the name servers from (used when -n is not given; wins over $NAMESRV_ADDR)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Per-request timeout: `3s`, `500ms` or a number of seconds')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--tls-ca', '--tls-ca', [CompletionResultType]::ParameterName, 'CA certificate(s) (PEM) to verify the servers with; implies --tls')
            [CompletionResult]::new('--tls-cert', '--tls-cert', [CompletionResultType]::ParameterName, 'Client certificate (PEM) for servers that want one (mutual TLS); needs --tls-key')
            [CompletionResult]::new('--tls-key', '--tls-key', [CompletionResultType]::ParameterName, 'Private key (PEM) of --tls-cert; an encrypted PKCS#8 key takes its password from $RMQCTL_TLS_KEY_PASSWORD (never from the command line)')
            [CompletionResult]::new('--access-key', '--access-key', [CompletionResultType]::ParameterName, 'ACL access key to sign requests with (for brokers with aclEnable=true)')
            [CompletionResult]::new('--secret-key', '--secret-key', [CompletionResultType]::ParameterName, 'ACL secret key. Prefer $RMQCTL_SECRET_KEY: other users of the machine can read a process''s arguments')
            [CompletionResult]::new('--tls', '--tls', [CompletionResultType]::ParameterName, 'Connect with TLS (the servers run tls.server.mode=permissive or enforcing)')
            [CompletionResult]::new('--tls-insecure', '--tls-insecure', [CompletionResultType]::ParameterName, 'Do NOT verify the servers'' certificates (anyone in the path can read and change traffic)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'rmqctl;acl;add' {
            [CompletionResult]::new('--account-secret', '--account-secret', [CompletionResultType]::ParameterName, 'The account''s secret key (at least 7 characters), needed for a new account. Prefer $RMQCTL_ACCOUNT_SECRET: other users of the machine can read a process''s arguments')
            [CompletionResult]::new('--default-topic-perm', '--default-topic-perm', [CompletionResultType]::ParameterName, 'Permission on topics not listed with --topic-perm: DENY, PUB, SUB or PUB|SUB')
            [CompletionResult]::new('--default-group-perm', '--default-group-perm', [CompletionResultType]::ParameterName, 'Permission on groups not listed with --group-perm')
            [CompletionResult]::new('--topic-perm', '--topic-perm', [CompletionResultType]::ParameterName, 'A topic''s permission, `TOPIC=PERM` (repeat; replaces the account''s list)')
            [CompletionResult]::new('--group-perm', '--group-perm', [CompletionResultType]::ParameterName, 'A group''s permission, `GROUP=PERM` (repeat; replaces the account''s list)')
            [CompletionResult]::new('--white-remote-address', '--white-remote-address', [CompletionResultType]::ParameterName, 'Addresses from which this account''s requests skip the signature check (Apache''s whiteRemoteAddress: `192.168.0.*`, `192.168.1-10.*`, `10.0.0.{1,2}`)')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Only the brokers of this cluster')
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'Only the brokers of this cluster')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Name servers, `host:port;host:port`. Default: $NAMESRV_ADDR, then -i')
            [CompletionResult]::new('--namesrv', '--namesrv', [CompletionResultType]::ParameterName, 'Name servers, `host:port;host:port`. Default: $NAMESRV_ADDR, then -i')
            [CompletionResult]::new('-i', '-i', [CompletionResultType]::ParameterName, 'Inventory (TOML) to take the name servers from (used when -n is not given; wins over $NAMESRV_ADDR)')
            [CompletionResult]::new('--inventory', '--inventory', [CompletionResultType]::ParameterName, 'Inventory (TOML) to take the name servers from (used when -n is not given; wins over $NAMESRV_ADDR)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Per-request timeout: `3s`, `500ms` or a number of seconds')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--tls-ca', '--tls-ca', [CompletionResultType]::ParameterName, 'CA certificate(s) (PEM) to verify the servers with; implies --tls')
            [CompletionResult]::new('--tls-cert', '--tls-cert', [CompletionResultType]::ParameterName, 'Client certificate (PEM) for servers that want one (mutual TLS); needs --tls-key')
            [CompletionResult]::new('--tls-key', '--tls-key', [CompletionResultType]::ParameterName, 'Private key (PEM) of --tls-cert; an encrypted PKCS#8 key takes its password from $RMQCTL_TLS_KEY_PASSWORD (never from the command line)')
            [CompletionResult]::new('--access-key', '--access-key', [CompletionResultType]::ParameterName, 'ACL access key to sign requests with (for brokers with aclEnable=true)')
            [CompletionResult]::new('--secret-key', '--secret-key', [CompletionResultType]::ParameterName, 'ACL secret key. Prefer $RMQCTL_SECRET_KEY: other users of the machine can read a process''s arguments')
            [CompletionResult]::new('--admin', '--admin', [CompletionResultType]::ParameterName, 'May send admin requests (topic and group changes, config updates, offset resets, ACL)')
            [CompletionResult]::new('--tls', '--tls', [CompletionResultType]::ParameterName, 'Connect with TLS (the servers run tls.server.mode=permissive or enforcing)')
            [CompletionResult]::new('--tls-insecure', '--tls-insecure', [CompletionResultType]::ParameterName, 'Do NOT verify the servers'' certificates (anyone in the path can read and change traffic)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'rmqctl;acl;remove' {
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Only the brokers of this cluster')
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'Only the brokers of this cluster')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Name servers, `host:port;host:port`. Default: $NAMESRV_ADDR, then -i')
            [CompletionResult]::new('--namesrv', '--namesrv', [CompletionResultType]::ParameterName, 'Name servers, `host:port;host:port`. Default: $NAMESRV_ADDR, then -i')
            [CompletionResult]::new('-i', '-i', [CompletionResultType]::ParameterName, 'Inventory (TOML) to take the name servers from (used when -n is not given; wins over $NAMESRV_ADDR)')
            [CompletionResult]::new('--inventory', '--inventory', [CompletionResultType]::ParameterName, 'Inventory (TOML) to take the name servers from (used when -n is not given; wins over $NAMESRV_ADDR)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Per-request timeout: `3s`, `500ms` or a number of seconds')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--tls-ca', '--tls-ca', [CompletionResultType]::ParameterName, 'CA certificate(s) (PEM) to verify the servers with; implies --tls')
            [CompletionResult]::new('--tls-cert', '--tls-cert', [CompletionResultType]::ParameterName, 'Client certificate (PEM) for servers that want one (mutual TLS); needs --tls-key')
            [CompletionResult]::new('--tls-key', '--tls-key', [CompletionResultType]::ParameterName, 'Private key (PEM) of --tls-cert; an encrypted PKCS#8 key takes its password from $RMQCTL_TLS_KEY_PASSWORD (never from the command line)')
            [CompletionResult]::new('--access-key', '--access-key', [CompletionResultType]::ParameterName, 'ACL access key to sign requests with (for brokers with aclEnable=true)')
            [CompletionResult]::new('--secret-key', '--secret-key', [CompletionResultType]::ParameterName, 'ACL secret key. Prefer $RMQCTL_SECRET_KEY: other users of the machine can read a process''s arguments')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation')
            [CompletionResult]::new('--tls', '--tls', [CompletionResultType]::ParameterName, 'Connect with TLS (the servers run tls.server.mode=permissive or enforcing)')
            [CompletionResult]::new('--tls-insecure', '--tls-insecure', [CompletionResultType]::ParameterName, 'Do NOT verify the servers'' certificates (anyone in the path can read and change traffic)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'rmqctl;acl;whitelist' {
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Only the brokers of this cluster')
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'Only the brokers of this cluster')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Name servers, `host:port;host:port`. Default: $NAMESRV_ADDR, then -i')
            [CompletionResult]::new('--namesrv', '--namesrv', [CompletionResultType]::ParameterName, 'Name servers, `host:port;host:port`. Default: $NAMESRV_ADDR, then -i')
            [CompletionResult]::new('-i', '-i', [CompletionResultType]::ParameterName, 'Inventory (TOML) to take the name servers from (used when -n is not given; wins over $NAMESRV_ADDR)')
            [CompletionResult]::new('--inventory', '--inventory', [CompletionResultType]::ParameterName, 'Inventory (TOML) to take the name servers from (used when -n is not given; wins over $NAMESRV_ADDR)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Per-request timeout: `3s`, `500ms` or a number of seconds')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--tls-ca', '--tls-ca', [CompletionResultType]::ParameterName, 'CA certificate(s) (PEM) to verify the servers with; implies --tls')
            [CompletionResult]::new('--tls-cert', '--tls-cert', [CompletionResultType]::ParameterName, 'Client certificate (PEM) for servers that want one (mutual TLS); needs --tls-key')
            [CompletionResult]::new('--tls-key', '--tls-key', [CompletionResultType]::ParameterName, 'Private key (PEM) of --tls-cert; an encrypted PKCS#8 key takes its password from $RMQCTL_TLS_KEY_PASSWORD (never from the command line)')
            [CompletionResult]::new('--access-key', '--access-key', [CompletionResultType]::ParameterName, 'ACL access key to sign requests with (for brokers with aclEnable=true)')
            [CompletionResult]::new('--secret-key', '--secret-key', [CompletionResultType]::ParameterName, 'ACL secret key. Prefer $RMQCTL_SECRET_KEY: other users of the machine can read a process''s arguments')
            [CompletionResult]::new('--clear', '--clear', [CompletionResultType]::ParameterName, 'Empty the global white list')
            [CompletionResult]::new('--tls', '--tls', [CompletionResultType]::ParameterName, 'Connect with TLS (the servers run tls.server.mode=permissive or enforcing)')
            [CompletionResult]::new('--tls-insecure', '--tls-insecure', [CompletionResultType]::ParameterName, 'Do NOT verify the servers'' certificates (anyone in the path can read and change traffic)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'rmqctl;acl;help' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'Every broker''s accounts and global white list (secret keys are never shown)')
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Create an account, or update one (only the options given change), on every broker')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Delete an account from every broker')
            [CompletionResult]::new('whitelist', 'whitelist', [CompletionResultType]::ParameterValue, 'Replace the global white list of every broker (peers on it need no account)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'rmqctl;acl;help;list' {
            break
        }
        'rmqctl;acl;help;add' {
            break
        }
        'rmqctl;acl;help;remove' {
            break
        }
        'rmqctl;acl;help;whitelist' {
            break
        }
        'rmqctl;acl;help;help' {
            break
        }
        'rmqctl;completions' {
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'rmqctl;__probe' {
            [CompletionResult]::new('--timeout-ms', '--timeout-ms', [CompletionResultType]::ParameterName, 'timeout-ms')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'rmqctl;__complete' {
            [CompletionResult]::new('--tls-ca', '--tls-ca', [CompletionResultType]::ParameterName, 'CA certificate(s) (PEM) to verify the servers with; implies --tls')
            [CompletionResult]::new('--tls-cert', '--tls-cert', [CompletionResultType]::ParameterName, 'Client certificate (PEM) for servers that want one (mutual TLS); needs --tls-key')
            [CompletionResult]::new('--tls-key', '--tls-key', [CompletionResultType]::ParameterName, 'Private key (PEM) of --tls-cert; an encrypted PKCS#8 key takes its password from $RMQCTL_TLS_KEY_PASSWORD (never from the command line)')
            [CompletionResult]::new('--access-key', '--access-key', [CompletionResultType]::ParameterName, 'ACL access key to sign requests with (for brokers with aclEnable=true)')
            [CompletionResult]::new('--secret-key', '--secret-key', [CompletionResultType]::ParameterName, 'ACL secret key. Prefer $RMQCTL_SECRET_KEY: other users of the machine can read a process''s arguments')
            [CompletionResult]::new('--tls', '--tls', [CompletionResultType]::ParameterName, 'Connect with TLS (the servers run tls.server.mode=permissive or enforcing)')
            [CompletionResult]::new('--tls-insecure', '--tls-insecure', [CompletionResultType]::ParameterName, 'Do NOT verify the servers'' certificates (anyone in the path can read and change traffic)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'rmqctl;bench' {
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('produce', 'produce', [CompletionResultType]::ParameterValue, 'Send messages as fast as the broker acknowledges them')
            [CompletionResult]::new('consume', 'consume', [CompletionResultType]::ParameterValue, 'Pull every queue of a topic from its start')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'rmqctl;bench;produce' {
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Name servers, `host:port;host:port` (the topic''s master broker is loaded)')
            [CompletionResult]::new('--namesrv', '--namesrv', [CompletionResultType]::ParameterName, 'Name servers, `host:port;host:port` (the topic''s master broker is loaded)')
            [CompletionResult]::new('-b', '-b', [CompletionResultType]::ParameterName, 'A broker address `host:port`, used directly instead of a name-server lookup')
            [CompletionResult]::new('--broker', '--broker', [CompletionResultType]::ParameterName, 'A broker address `host:port`, used directly instead of a name-server lookup')
            [CompletionResult]::new('-t', '-t', [CompletionResultType]::ParameterName, 'Topic to use; a new topic is auto-created by the broker from TBW102')
            [CompletionResult]::new('--topic', '--topic', [CompletionResultType]::ParameterName, 'Topic to use; a new topic is auto-created by the broker from TBW102')
            [CompletionResult]::new('--connections', '--connections', [CompletionResultType]::ParameterName, 'TCP connections to open to the broker')
            [CompletionResult]::new('--duration', '--duration', [CompletionResultType]::ParameterName, 'How long to run, in seconds')
            [CompletionResult]::new('--queues', '--queues', [CompletionResultType]::ParameterName, 'Queues of the topic when it is new or given with -b')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--tls-ca', '--tls-ca', [CompletionResultType]::ParameterName, 'CA certificate(s) (PEM) to verify the servers with; implies --tls')
            [CompletionResult]::new('--tls-cert', '--tls-cert', [CompletionResultType]::ParameterName, 'Client certificate (PEM) for servers that want one (mutual TLS); needs --tls-key')
            [CompletionResult]::new('--tls-key', '--tls-key', [CompletionResultType]::ParameterName, 'Private key (PEM) of --tls-cert; an encrypted PKCS#8 key takes its password from $RMQCTL_TLS_KEY_PASSWORD (never from the command line)')
            [CompletionResult]::new('--access-key', '--access-key', [CompletionResultType]::ParameterName, 'ACL access key to sign requests with (for brokers with aclEnable=true)')
            [CompletionResult]::new('--secret-key', '--secret-key', [CompletionResultType]::ParameterName, 'ACL secret key. Prefer $RMQCTL_SECRET_KEY: other users of the machine can read a process''s arguments')
            [CompletionResult]::new('--producers', '--producers', [CompletionResultType]::ParameterName, 'Concurrent producers (each keeps one send in flight)')
            [CompletionResult]::new('--size', '--size', [CompletionResultType]::ParameterName, 'Message body size in bytes')
            [CompletionResult]::new('--batch', '--batch', [CompletionResultType]::ParameterName, 'Messages per request; above 1 sends SEND_BATCH_MESSAGE')
            [CompletionResult]::new('--tls', '--tls', [CompletionResultType]::ParameterName, 'Connect with TLS (the servers run tls.server.mode=permissive or enforcing)')
            [CompletionResult]::new('--tls-insecure', '--tls-insecure', [CompletionResultType]::ParameterName, 'Do NOT verify the servers'' certificates (anyone in the path can read and change traffic)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'rmqctl;bench;consume' {
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Name servers, `host:port;host:port` (the topic''s master broker is loaded)')
            [CompletionResult]::new('--namesrv', '--namesrv', [CompletionResultType]::ParameterName, 'Name servers, `host:port;host:port` (the topic''s master broker is loaded)')
            [CompletionResult]::new('-b', '-b', [CompletionResultType]::ParameterName, 'A broker address `host:port`, used directly instead of a name-server lookup')
            [CompletionResult]::new('--broker', '--broker', [CompletionResultType]::ParameterName, 'A broker address `host:port`, used directly instead of a name-server lookup')
            [CompletionResult]::new('-t', '-t', [CompletionResultType]::ParameterName, 'Topic to use; a new topic is auto-created by the broker from TBW102')
            [CompletionResult]::new('--topic', '--topic', [CompletionResultType]::ParameterName, 'Topic to use; a new topic is auto-created by the broker from TBW102')
            [CompletionResult]::new('--connections', '--connections', [CompletionResultType]::ParameterName, 'TCP connections to open to the broker')
            [CompletionResult]::new('--duration', '--duration', [CompletionResultType]::ParameterName, 'How long to run, in seconds')
            [CompletionResult]::new('--queues', '--queues', [CompletionResultType]::ParameterName, 'Queues of the topic when it is new or given with -b')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--tls-ca', '--tls-ca', [CompletionResultType]::ParameterName, 'CA certificate(s) (PEM) to verify the servers with; implies --tls')
            [CompletionResult]::new('--tls-cert', '--tls-cert', [CompletionResultType]::ParameterName, 'Client certificate (PEM) for servers that want one (mutual TLS); needs --tls-key')
            [CompletionResult]::new('--tls-key', '--tls-key', [CompletionResultType]::ParameterName, 'Private key (PEM) of --tls-cert; an encrypted PKCS#8 key takes its password from $RMQCTL_TLS_KEY_PASSWORD (never from the command line)')
            [CompletionResult]::new('--access-key', '--access-key', [CompletionResultType]::ParameterName, 'ACL access key to sign requests with (for brokers with aclEnable=true)')
            [CompletionResult]::new('--secret-key', '--secret-key', [CompletionResultType]::ParameterName, 'ACL secret key. Prefer $RMQCTL_SECRET_KEY: other users of the machine can read a process''s arguments')
            [CompletionResult]::new('--group', '--group', [CompletionResultType]::ParameterName, 'Consumer group named in the pulls')
            [CompletionResult]::new('--tls', '--tls', [CompletionResultType]::ParameterName, 'Connect with TLS (the servers run tls.server.mode=permissive or enforcing)')
            [CompletionResult]::new('--tls-insecure', '--tls-insecure', [CompletionResultType]::ParameterName, 'Do NOT verify the servers'' certificates (anyone in the path can read and change traffic)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'rmqctl;bench;help' {
            [CompletionResult]::new('produce', 'produce', [CompletionResultType]::ParameterValue, 'Send messages as fast as the broker acknowledges them')
            [CompletionResult]::new('consume', 'consume', [CompletionResultType]::ParameterValue, 'Pull every queue of a topic from its start')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'rmqctl;bench;help;produce' {
            break
        }
        'rmqctl;bench;help;consume' {
            break
        }
        'rmqctl;bench;help;help' {
            break
        }
        'rmqctl;tls' {
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('init', 'init', [CompletionResultType]::ParameterValue, 'Write a CA (ca.pem, ca-key.pem) and a certificate per host (HOST.pem, HOST-key.pem)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'rmqctl;tls;init' {
            [CompletionResult]::new('--hosts', '--hosts', [CompletionResultType]::ParameterName, 'Inventory whose hosts get a certificate (name and address); default: one for localhost')
            [CompletionResult]::new('--days', '--days', [CompletionResultType]::ParameterName, 'Days the host certificates are valid (the CA: ten times as long)')
            [CompletionResult]::new('--client', '--client', [CompletionResultType]::ParameterName, 'Also write a client certificate (client.pem, client-key.pem) for `--tls-cert/--tls-key`')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'rmqctl;tls;help' {
            [CompletionResult]::new('init', 'init', [CompletionResultType]::ParameterValue, 'Write a CA (ca.pem, ca-key.pem) and a certificate per host (HOST.pem, HOST-key.pem)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'rmqctl;tls;help;init' {
            break
        }
        'rmqctl;tls;help;help' {
            break
        }
        'rmqctl;help' {
            [CompletionResult]::new('render', 'render', [CompletionResultType]::ParameterValue, 'Render Apache-format broker and name-server properties (and units) from an inventory')
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Lint an inventory or existing Apache properties files')
            [CompletionResult]::new('deploy', 'deploy', [CompletionResultType]::ParameterValue, 'Deploy an inventory: upload, supervise, open the firewall, start in order, verify')
            [CompletionResult]::new('start', 'start', [CompletionResultType]::ParameterValue, 'Start the instances of a deployed inventory that do not run (name servers, masters, slaves)')
            [CompletionResult]::new('stop', 'stop', [CompletionResultType]::ParameterValue, 'Stop instances of a deployed inventory (slaves, masters, then name servers)')
            [CompletionResult]::new('restart', 'restart', [CompletionResultType]::ParameterValue, 'Restart instances of a deployed inventory, rolling (slave in sync before its master)')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Every instance of a deployed inventory: process state, registration, sync')
            [CompletionResult]::new('logs', 'logs', [CompletionResultType]::ParameterValue, 'Show (or follow) an instance''s log')
            [CompletionResult]::new('destroy', 'destroy', [CompletionResultType]::ParameterValue, 'Stop and remove a deployed inventory from its hosts')
            [CompletionResult]::new('namesrv', 'namesrv', [CompletionResultType]::ParameterValue, 'Run the bundled name server')
            [CompletionResult]::new('broker', 'broker', [CompletionResultType]::ParameterValue, 'Run the bundled broker (`-c FILE`), or show a broker''s status and configuration')
            [CompletionResult]::new('gateway', 'gateway', [CompletionResultType]::ParameterValue, 'Run the HTTP send service: POST JSON to send, messages delivered to their backurl')
            [CompletionResult]::new('topic', 'topic', [CompletionResultType]::ParameterValue, 'Create, delete, list and inspect topics')
            [CompletionResult]::new('cluster', 'cluster', [CompletionResultType]::ParameterValue, 'Cluster overview')
            [CompletionResult]::new('offsets', 'offsets', [CompletionResultType]::ParameterValue, 'Per-queue offsets of a topic, with a consumer group''s lag')
            [CompletionResult]::new('group', 'group', [CompletionResultType]::ParameterValue, 'Consumer groups: list, describe (lag, clients), reset offsets')
            [CompletionResult]::new('message', 'message', [CompletionResultType]::ParameterValue, 'Send, consume, get and query messages')
            [CompletionResult]::new('acl', 'acl', [CompletionResultType]::ParameterValue, 'ACL accounts and white lists of a running cluster (brokers with aclEnable=true)')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
            [CompletionResult]::new('__probe', '__probe', [CompletionResultType]::ParameterValue, 'Probe TCP ports (run by deploy on a peer host)')
            [CompletionResult]::new('__complete', '__complete', [CompletionResultType]::ParameterValue, 'Topic or group names for shell completion')
            [CompletionResult]::new('bench', 'bench', [CompletionResultType]::ParameterValue, 'Load generator: produce to or consume from a broker and report messages/s and latency')
            [CompletionResult]::new('tls', 'tls', [CompletionResultType]::ParameterValue, 'TLS certificates: a private CA and one certificate per host')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'rmqctl;help;render' {
            break
        }
        'rmqctl;help;check' {
            break
        }
        'rmqctl;help;deploy' {
            break
        }
        'rmqctl;help;start' {
            break
        }
        'rmqctl;help;stop' {
            break
        }
        'rmqctl;help;restart' {
            break
        }
        'rmqctl;help;status' {
            break
        }
        'rmqctl;help;logs' {
            break
        }
        'rmqctl;help;destroy' {
            break
        }
        'rmqctl;help;namesrv' {
            break
        }
        'rmqctl;help;broker' {
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Runtime key/values of a broker (GET_BROKER_RUNTIME_INFO)')
            [CompletionResult]::new('config', 'config', [CompletionResultType]::ParameterValue, 'Read or change a broker''s configuration')
            break
        }
        'rmqctl;help;broker;status' {
            break
        }
        'rmqctl;help;broker;config' {
            [CompletionResult]::new('get', 'get', [CompletionResultType]::ParameterValue, 'Print a broker''s configuration')
            [CompletionResult]::new('set', 'set', [CompletionResultType]::ParameterValue, 'Change one key at runtime; the broker also writes it into its config file (the bundled broker changes only that key''s line, Apache''s rewrites the whole file)')
            break
        }
        'rmqctl;help;broker;config;get' {
            break
        }
        'rmqctl;help;broker;config;set' {
            break
        }
        'rmqctl;help;gateway' {
            break
        }
        'rmqctl;help;topic' {
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Create a topic on every master of a cluster (or one broker); re-running with the same values changes nothing, with new values updates')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'Delete a topic from every master of a cluster and from every name server')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List topics (all, or one cluster''s)')
            [CompletionResult]::new('route', 'route', [CompletionResultType]::ParameterValue, 'Show which brokers serve a topic, with queue counts and permissions')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Per queue: broker, queue id, min and max offset, last store time')
            break
        }
        'rmqctl;help;topic;create' {
            break
        }
        'rmqctl;help;topic;delete' {
            break
        }
        'rmqctl;help;topic;list' {
            break
        }
        'rmqctl;help;topic;route' {
            break
        }
        'rmqctl;help;topic;status' {
            break
        }
        'rmqctl;help;cluster' {
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Per broker: role, address, version, TPS, today''s traffic, commit-log offset, replication lag')
            break
        }
        'rmqctl;help;cluster;status' {
            break
        }
        'rmqctl;help;offsets' {
            break
        }
        'rmqctl;help;group' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'Consumer groups known to the masters')
            [CompletionResult]::new('describe', 'describe', [CompletionResultType]::ParameterValue, 'Every topic a group consumes, per-queue lag, totals and connected clients')
            [CompletionResult]::new('reset', 'reset', [CompletionResultType]::ParameterValue, 'Move a group''s offsets on a topic; shows a before/after preview and changes nothing unless --execute')
            break
        }
        'rmqctl;help;group;list' {
            break
        }
        'rmqctl;help;group;describe' {
            break
        }
        'rmqctl;help;group;reset' {
            break
        }
        'rmqctl;help;message' {
            [CompletionResult]::new('send', 'send', [CompletionResultType]::ParameterValue, 'Send one message')
            [CompletionResult]::new('consume', 'consume', [CompletionResultType]::ParameterValue, 'Read messages (from the group''s offsets, or from the start); commits nothing')
            [CompletionResult]::new('get', 'get', [CompletionResultType]::ParameterValue, 'Show one message by offset id, or by unique id with -t')
            [CompletionResult]::new('query', 'query', [CompletionResultType]::ParameterValue, 'Find messages by key')
            break
        }
        'rmqctl;help;message;send' {
            break
        }
        'rmqctl;help;message;consume' {
            break
        }
        'rmqctl;help;message;get' {
            break
        }
        'rmqctl;help;message;query' {
            break
        }
        'rmqctl;help;acl' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'Every broker''s accounts and global white list (secret keys are never shown)')
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Create an account, or update one (only the options given change), on every broker')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Delete an account from every broker')
            [CompletionResult]::new('whitelist', 'whitelist', [CompletionResultType]::ParameterValue, 'Replace the global white list of every broker (peers on it need no account)')
            break
        }
        'rmqctl;help;acl;list' {
            break
        }
        'rmqctl;help;acl;add' {
            break
        }
        'rmqctl;help;acl;remove' {
            break
        }
        'rmqctl;help;acl;whitelist' {
            break
        }
        'rmqctl;help;completions' {
            break
        }
        'rmqctl;help;__probe' {
            break
        }
        'rmqctl;help;__complete' {
            break
        }
        'rmqctl;help;bench' {
            [CompletionResult]::new('produce', 'produce', [CompletionResultType]::ParameterValue, 'Send messages as fast as the broker acknowledges them')
            [CompletionResult]::new('consume', 'consume', [CompletionResultType]::ParameterValue, 'Pull every queue of a topic from its start')
            break
        }
        'rmqctl;help;bench;produce' {
            break
        }
        'rmqctl;help;bench;consume' {
            break
        }
        'rmqctl;help;tls' {
            [CompletionResult]::new('init', 'init', [CompletionResultType]::ParameterValue, 'Write a CA (ca.pem, ca-key.pem) and a certificate per host (HOST.pem, HOST-key.pem)')
            break
        }
        'rmqctl;help;tls;init' {
            break
        }
        'rmqctl;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
