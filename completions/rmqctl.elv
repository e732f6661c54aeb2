
use builtin;
use str;

set edit:completion:arg-completer[rmqctl] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'rmqctl'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'rmqctl'= {
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand render 'Render Apache-format broker and name-server properties (and units) from an inventory'
            cand check 'Lint an inventory or existing Apache properties files'
            cand deploy 'Deploy an inventory: upload, supervise, open the firewall, start in order, verify'
            cand start 'Start the instances of a deployed inventory that do not run (name servers, masters, slaves)'
            cand stop 'Stop instances of a deployed inventory (slaves, masters, then name servers)'
            cand restart 'Restart instances of a deployed inventory, rolling (slave in sync before its master)'
            cand status 'Every instance of a deployed inventory: process state, registration, sync'
            cand logs 'Show (or follow) an instance''s log'
            cand destroy 'Stop and remove a deployed inventory from its hosts'
            cand namesrv 'Run the bundled name server'
            cand broker 'Run the bundled broker (`-c FILE`), or show a broker''s status and configuration'
            cand gateway 'Run the HTTP send service: POST JSON to send, messages delivered to their backurl'
            cand topic 'Create, delete, list and inspect topics'
            cand cluster 'Cluster overview'
            cand offsets 'Per-queue offsets of a topic, with a consumer group''s lag'
            cand group 'Consumer groups: list, describe (lag, clients), reset offsets'
            cand message 'Send, consume, get and query messages'
            cand acl 'ACL accounts and white lists of a running cluster (brokers with aclEnable=true)'
            cand completions 'Print a shell completion script'
            cand __probe 'Probe TCP ports (run by deploy on a peer host)'
            cand __complete 'Topic or group names for shell completion'
            cand bench 'Load generator: produce to or consume from a broker and report messages/s and latency'
            cand tls 'TLS certificates: a private CA and one certificate per host'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'rmqctl;render'= {
            cand -o 'Output directory; replaced as a whole (written to a temporary directory, then renamed)'
            cand --output-dir 'Output directory; replaced as a whole (written to a temporary directory, then renamed)'
            cand --templates 'Directory of templates (`broker.properties.hbs`, ...) replacing the built-in ones'
            cand --diff 'Show what would change against an earlier render in DIR; writes nothing'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'rmqctl;check'= {
            cand --properties 'Check existing Apache `.properties` files instead (files named namesrv* as name-server files)'
            cand --templates 'Directory of templates replacing the built-in ones (inventory mode)'
            cand --format 'How to print findings'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'rmqctl;deploy'= {
            cand --connect-timeout 'Give up connecting to a host after this long (e.g. 5s)'
            cand -o 'Output format of the result'
            cand --output 'Output format of the result'
            cand --binary 'The rmqctl executable to upload (default: this one)'
            cand --wait 'How long to wait for instances to answer and register, and slaves to get in sync'
            cand --templates 'Directory of templates replacing the built-in ones'
            cand --accept-new-host-keys 'Trust host keys seen for the first time (default: strict checking against known_hosts)'
            cand --dry-run 'Show per host what would change (files with a diff summary, firewall rules, starts, restarts) and change nothing'
            cand -y 'Do not ask before changing hosts (required without a terminal)'
            cand --yes 'Do not ask before changing hosts (required without a terminal)'
            cand --no-firewall 'Do not open firewall ports'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'rmqctl;start'= {
            cand --connect-timeout 'Give up connecting to a host after this long (e.g. 5s)'
            cand -o 'Output format of the result'
            cand --output 'Output format of the result'
            cand --host 'Only instances on this host (repeatable)'
            cand --instance 'Only this instance: `namesrv`, `broker-a`, `broker-a-s`, `gateway`... (repeatable)'
            cand --role 'Only instances of this role (repeatable)'
            cand --wait 'How long to wait for instances to answer, register and get in sync'
            cand --accept-new-host-keys 'Trust host keys seen for the first time (default: strict checking against known_hosts)'
            cand -y 'Do not ask before stopping anything (required without a terminal)'
            cand --yes 'Do not ask before stopping anything (required without a terminal)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'rmqctl;stop'= {
            cand --connect-timeout 'Give up connecting to a host after this long (e.g. 5s)'
            cand -o 'Output format of the result'
            cand --output 'Output format of the result'
            cand --host 'Only instances on this host (repeatable)'
            cand --instance 'Only this instance: `namesrv`, `broker-a`, `broker-a-s`, `gateway`... (repeatable)'
            cand --role 'Only instances of this role (repeatable)'
            cand --wait 'How long to wait for instances to answer, register and get in sync'
            cand --accept-new-host-keys 'Trust host keys seen for the first time (default: strict checking against known_hosts)'
            cand -y 'Do not ask before stopping anything (required without a terminal)'
            cand --yes 'Do not ask before stopping anything (required without a terminal)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'rmqctl;restart'= {
            cand --connect-timeout 'Give up connecting to a host after this long (e.g. 5s)'
            cand -o 'Output format of the result'
            cand --output 'Output format of the result'
            cand --host 'Only instances on this host (repeatable)'
            cand --instance 'Only this instance: `namesrv`, `broker-a`, `broker-a-s`, `gateway`... (repeatable)'
            cand --role 'Only instances of this role (repeatable)'
            cand --wait 'How long to wait for instances to answer, register and get in sync'
            cand --accept-new-host-keys 'Trust host keys seen for the first time (default: strict checking against known_hosts)'
            cand -y 'Do not ask before stopping anything (required without a terminal)'
            cand --yes 'Do not ask before stopping anything (required without a terminal)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'rmqctl;status'= {
            cand --connect-timeout 'Give up connecting to a host after this long (e.g. 5s)'
            cand -o 'Output format of the result'
            cand --output 'Output format of the result'
            cand --host 'Only instances on this host (repeatable)'
            cand --instance 'Only this instance: `namesrv`, `broker-a`, `broker-a-s`, `gateway`... (repeatable)'
            cand --role 'Only instances of this role (repeatable)'
            cand --accept-new-host-keys 'Trust host keys seen for the first time (default: strict checking against known_hosts)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'rmqctl;logs'= {
            cand --connect-timeout 'Give up connecting to a host after this long (e.g. 5s)'
            cand -o 'Output format of the result'
            cand --output 'Output format of the result'
            cand --host 'The host, when the instance runs on several (name servers)'
            cand -n 'Lines to show'
            cand --lines 'Lines to show'
            cand --accept-new-host-keys 'Trust host keys seen for the first time (default: strict checking against known_hosts)'
            cand -f 'Keep printing new lines'
            cand --follow 'Keep printing new lines'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'rmqctl;destroy'= {
            cand --connect-timeout 'Give up connecting to a host after this long (e.g. 5s)'
            cand -o 'Output format of the result'
            cand --output 'Output format of the result'
            cand --accept-new-host-keys 'Trust host keys seen for the first time (default: strict checking against known_hosts)'
            cand -y 'Do not ask (required without a terminal)'
            cand --yes 'Do not ask (required without a terminal)'
            cand --keep-data 'Keep the stores and logs (remove only processes, units, firewall rules, binary, configs)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'rmqctl;namesrv'= {
            cand -c 'Apache-format namesrv.properties (listenPort, kvConfigPath, scanNotActiveBrokerInterval...)'
            cand --config 'Apache-format namesrv.properties (listenPort, kvConfigPath, scanNotActiveBrokerInterval...)'
            cand --listen 'Address to listen on; overrides bindAddress/listenPort from the file'
            cand --data-dir 'Directory for kvConfig.json and the persisted config (default ~/namesrv)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'rmqctl;broker'= {
            cand -c 'Apache-format broker properties (the files `rmqctl render` writes)'
            cand --config 'Apache-format broker properties (the files `rmqctl render` writes)'
            cand -n 'Name servers, `host:port;host:port`; overrides namesrvAddr from the file'
            cand --namesrv 'Name servers, `host:port;host:port`; overrides namesrvAddr from the file'
            cand --access-key 'ACL access key to sign requests with (for brokers with aclEnable=true)'
            cand --secret-key 'ACL secret key. Prefer $RMQCTL_SECRET_KEY: other users of the machine can read a process''s arguments'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand status 'Runtime key/values of a broker (GET_BROKER_RUNTIME_INFO)'
            cand config 'Read or change a broker''s configuration'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'rmqctl;broker;status'= {
            cand -n 'Name servers, `host:port;host:port`. Default: $NAMESRV_ADDR, then -i'
            cand --namesrv 'Name servers, `host:port;host:port`. Default: $NAMESRV_ADDR, then -i'
            cand -i 'Inventory (TOML) to take the name servers from (used when -n is not given; wins over $NAMESRV_ADDR)'
            cand --inventory 'Inventory (TOML) to take the name servers from (used when -n is not given; wins over $NAMESRV_ADDR)'
            cand --timeout 'Per-request timeout: `3s`, `500ms` or a number of seconds'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --tls-ca 'CA certificate(s) (PEM) to verify the servers with; implies --tls'
            cand --tls-cert 'Client certificate (PEM) for servers that want one (mutual TLS); needs --tls-key'
            cand --tls-key 'Private key (PEM) of --tls-cert; an encrypted PKCS#8 key takes its password from $RMQCTL_TLS_KEY_PASSWORD (never from the command line)'
            cand --access-key 'ACL access key to sign requests with (for brokers with aclEnable=true)'
            cand --secret-key 'ACL secret key. Prefer $RMQCTL_SECRET_KEY: other users of the machine can read a process''s arguments'
            cand --tls 'Connect with TLS (the servers run tls.server.mode=permissive or enforcing)'
            cand --tls-insecure 'Do NOT verify the servers'' certificates (anyone in the path can read and change traffic)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'rmqctl;broker;config'= {
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand get 'Print a broker''s configuration'
            cand set 'Change one key at runtime; the broker also writes it into its config file (the bundled broker changes only that key''s line, Apache''s rewrites the whole file)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'rmqctl;broker;config;get'= {
            cand -n 'Name servers, `host:port;host:port`. Default: $NAMESRV_ADDR, then -i'
            cand --namesrv 'Name servers, `host:port;host:port`. Default: $NAMESRV_ADDR, then -i'
            cand -i 'Inventory (TOML) to take the name servers from (used when -n is not given; wins over $NAMESRV_ADDR)'
            cand --inventory 'Inventory (TOML) to take the name servers from (used when -n is not given; wins over $NAMESRV_ADDR)'
            cand --timeout 'Per-request timeout: `3s`, `500ms` or a number of seconds'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --tls-ca 'CA certificate(s) (PEM) to verify the servers with; implies --tls'
            cand --tls-cert 'Client certificate (PEM) for servers that want one (mutual TLS); needs --tls-key'
            cand --tls-key 'Private key (PEM) of --tls-cert; an encrypted PKCS#8 key takes its password from $RMQCTL_TLS_KEY_PASSWORD (never from the command line)'
            cand --access-key 'ACL access key to sign requests with (for brokers with aclEnable=true)'
            cand --secret-key 'ACL secret key. Prefer $RMQCTL_SECRET_KEY: other users of the machine can read a process''s arguments'
            cand --tls 'Connect with TLS (the servers run tls.server.mode=permissive or enforcing)'
            cand --tls-insecure 'Do NOT verify the servers'' certificates (anyone in the path can read and change traffic)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'rmqctl;broker;config;set'= {
            cand -b 'Broker address or name; or use -c for every master of a cluster'
            cand --broker 'Broker address or name; or use -c for every master of a cluster'
            cand -c 'Every master of this cluster'
            cand --cluster 'Every master of this cluster'
            cand -n 'Name servers, `host:port;host:port`. Default: $NAMESRV_ADDR, then -i'
            cand --namesrv 'Name servers, `host:port;host:port`. Default: $NAMESRV_ADDR, then -i'
            cand -i 'Inventory (TOML) to take the name servers from (used when -n is not given; wins over $NAMESRV_ADDR)'
            cand --inventory 'Inventory (TOML) to take the name servers from (used when -n is not given; wins over $NAMESRV_ADDR)'
            cand --timeout 'Per-request timeout: `3s`, `500ms` or a number of seconds'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --tls-ca 'CA certificate(s) (PEM) to verify the servers with; implies --tls'
            cand --tls-cert 'Client certificate (PEM) for servers that want one (mutual TLS); needs --tls-key'
            cand --tls-key 'Private key (PEM) of --tls-cert; an encrypted PKCS#8 key takes its password from $RMQCTL_TLS_KEY_PASSWORD (never from the command line)'
            cand --access-key 'ACL access key to sign requests with (for brokers with aclEnable=true)'
            cand --secret-key 'ACL secret key. Prefer $RMQCTL_SECRET_KEY: other users of the machine can read a process''s arguments'
            cand --with-slaves 'With -c: slaves too'
            cand --tls 'Connect with TLS (the servers run tls.server.mode=permissive or enforcing)'
            cand --tls-insecure 'Do NOT verify the servers'' certificates (anyone in the path can read and change traffic)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'rmqctl;broker;config;help'= {
            cand get 'Print a broker''s configuration'
            cand set 'Change one key at runtime; the broker also writes it into its config file (the bundled broker changes only that key''s line, Apache''s rewrites the whole file)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'rmqctl;broker;config;help;get'= {
        }
        &'rmqctl;broker;config;help;set'= {
        }
        &'rmqctl;broker;config;help;help'= {
        }
        &'rmqctl;broker;help'= {
            cand status 'Runtime key/values of a broker (GET_BROKER_RUNTIME_INFO)'
            cand config 'Read or change a broker''s configuration'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'rmqctl;broker;help;status'= {
        }
        &'rmqctl;broker;help;config'= {
            cand get 'Print a broker''s configuration'
            cand set 'Change one key at runtime; the broker also writes it into its config file (the bundled broker changes only that key''s line, Apache''s rewrites the whole file)'
        }
        &'rmqctl;broker;help;config;get'= {
        }
        &'rmqctl;broker;help;config;set'= {
        }
        &'rmqctl;broker;help;help'= {
        }
        &'rmqctl;gateway'= {
            cand -c 'gateway.toml: topic, allow_callbacks, tokens, max_body_bytes, [tls], [account], [cluster_tls], [delivery], [[subscription]] (all optional)'
            cand --config 'gateway.toml: topic, allow_callbacks, tokens, max_body_bytes, [tls], [account], [cluster_tls], [delivery], [[subscription]] (all optional)'
            cand --listen 'Address the HTTP listener binds, `host:port` (overrides `listen`; default 0.0.0.0:8080)'
            cand -n 'Name servers, `host:port;host:port` (overrides `namesrv`; else $NAMESRV_ADDR)'
            cand --namesrv 'Name servers, `host:port;host:port` (overrides `namesrv`; else $NAMESRV_ADDR)'
            cand --tls-ca 'CA certificate(s) (PEM) to verify the servers with; implies --tls'
            cand --tls-cert 'Client certificate (PEM) for servers that want one (mutual TLS); needs --tls-key'
            cand --tls-key 'Private key (PEM) of --tls-cert; an encrypted PKCS#8 key takes its password from $RMQCTL_TLS_KEY_PASSWORD (never from the command line)'
            cand --access-key 'ACL access key to sign requests with (for brokers with aclEnable=true)'
            cand --secret-key 'ACL secret key. Prefer $RMQCTL_SECRET_KEY: other users of the machine can read a process''s arguments'
            cand --tls 'Connect with TLS (the servers run tls.server.mode=permissive or enforcing)'
            cand --tls-insecure 'Do NOT verify the servers'' certificates (anyone in the path can read and change traffic)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'rmqctl;topic'= {
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand create 'Create a topic on every master of a cluster (or one broker); re-running with the same values changes nothing, with new values updates'
            cand delete 'Delete a topic from every master of a cluster and from every name server'
            cand list 'List topics (all, or one cluster''s)'
            cand route 'Show which brokers serve a topic, with queue counts and permissions'
            cand status 'Per queue: broker, queue id, min and max offset, last store time'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'rmqctl;topic;create'= {
            cand -t 't'
            cand --topic 'topic'
            cand -c 'Cluster whose masters get the topic (default: the only cluster)'
            cand --cluster 'Cluster whose masters get the topic (default: the only cluster)'
            cand -b 'One broker instead, by address (host:port) or broker name'
            cand --broker 'One broker instead, by address (host:port) or broker name'
            cand -r 'Read queues per broker'
            cand --read-queues 'Read queues per broker'
            cand -w 'Write queues per broker'
            cand --write-queues 'Write queues per broker'
            cand -p 'Permission: 2 write, 4 read, 6 read-write'
            cand --perm 'Permission: 2 write, 4 read, 6 read-write'
            cand -n 'Name servers, `host:port;host:port`. Default: $NAMESRV_ADDR, then -i'
            cand --namesrv 'Name servers, `host:port;host:port`. Default: $NAMESRV_ADDR, then -i'
            cand -i 'Inventory (TOML) to take the name servers from (used when -n is not given; wins over $NAMESRV_ADDR)'
            cand --inventory 'Inventory (TOML) to take the name servers from (used when -n is not given; wins over $NAMESRV_ADDR)'
            cand --timeout 'Per-request timeout: `3s`, `500ms` or a number of seconds'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --tls-ca 'CA certificate(s) (PEM) to verify the servers with; implies --tls'
            cand --tls-cert 'Client certificate (PEM) for servers that want one (mutual TLS); needs --tls-key'
            cand --tls-key 'Private key (PEM) of --tls-cert; an encrypted PKCS#8 key takes its password from $RMQCTL_TLS_KEY_PASSWORD (never from the command line)'
            cand --access-key 'ACL access key to sign requests with (for brokers with aclEnable=true)'
            cand --secret-key 'ACL secret key. Prefer $RMQCTL_SECRET_KEY: other users of the machine can read a process''s arguments'
            cand --order 'Ordered topic (also writes the order config to the name servers)'
            cand --tls 'Connect with TLS (the servers run tls.server.mode=permissive or enforcing)'
            cand --tls-insecure 'Do NOT verify the servers'' certificates (anyone in the path can read and change traffic)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'rmqctl;topic;delete'= {
            cand -t 't'
            cand --topic 'topic'
            cand -c 'Cluster to delete from (default: the only cluster)'
            cand --cluster 'Cluster to delete from (default: the only cluster)'
            cand -n 'Name servers, `host:port;host:port`. Default: $NAMESRV_ADDR, then -i'
            cand --namesrv 'Name servers, `host:port;host:port`. Default: $NAMESRV_ADDR, then -i'
            cand -i 'Inventory (TOML) to take the name servers from (used when -n is not given; wins over $NAMESRV_ADDR)'
            cand --inventory 'Inventory (TOML) to take the name servers from (used when -n is not given; wins over $NAMESRV_ADDR)'
            cand --timeout 'Per-request timeout: `3s`, `500ms` or a number of seconds'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --tls-ca 'CA certificate(s) (PEM) to verify the servers with; implies --tls'
            cand --tls-cert 'Client certificate (PEM) for servers that want one (mutual TLS); needs --tls-key'
            cand --tls-key 'Private key (PEM) of --tls-cert; an encrypted PKCS#8 key takes its password from $RMQCTL_TLS_KEY_PASSWORD (never from the command line)'
            cand --access-key 'ACL access key to sign requests with (for brokers with aclEnable=true)'
            cand --secret-key 'ACL secret key. Prefer $RMQCTL_SECRET_KEY: other users of the machine can read a process''s arguments'
            cand -y 'Do not ask for confirmation'
            cand --yes 'Do not ask for confirmation'
            cand --tls 'Connect with TLS (the servers run tls.server.mode=permissive or enforcing)'
            cand --tls-insecure 'Do NOT verify the servers'' certificates (anyone in the path can read and change traffic)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'rmqctl;topic;list'= {
            cand -c 'Only the topics of this cluster'
            cand --cluster 'Only the topics of this cluster'
            cand -n 'Name servers, `host:port;host:port`. Default: $NAMESRV_ADDR, then -i'
            cand --namesrv 'Name servers, `host:port;host:port`. Default: $NAMESRV_ADDR, then -i'
            cand -i 'Inventory (TOML) to take the name servers from (used when -n is not given; wins over $NAMESRV_ADDR)'
            cand --inventory 'Inventory (TOML) to take the name servers from (used when -n is not given; wins over $NAMESRV_ADDR)'
            cand --timeout 'Per-request timeout: `3s`, `500ms` or a number of seconds'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --tls-ca 'CA certificate(s) (PEM) to verify the servers with; implies --tls'
            cand --tls-cert 'Client certificate (PEM) for servers that want one (mutual TLS); needs --tls-key'
            cand --tls-key 'Private key (PEM) of --tls-cert; an encrypted PKCS#8 key takes its password from $RMQCTL_TLS_KEY_PASSWORD (never from the command line)'
            cand --access-key 'ACL access key to sign requests with (for brokers with aclEnable=true)'
            cand --secret-key 'ACL secret key. Prefer $RMQCTL_SECRET_KEY: other users of the machine can read a process''s arguments'
            cand --tls 'Connect with TLS (the servers run tls.server.mode=permissive or enforcing)'
            cand --tls-insecure 'Do NOT verify the servers'' certificates (anyone in the path can read and change traffic)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'rmqctl;topic;route'= {
            cand -t 't'
            cand --topic 'topic'
            cand -n 'Name servers, `host:port;host:port`. Default: $NAMESRV_ADDR, then -i'
            cand --namesrv 'Name servers, `host:port;host:port`. Default: $NAMESRV_ADDR, then -i'
            cand -i 'Inventory (TOML) to take the name servers from (used when -n is not given; wins over $NAMESRV_ADDR)'
            cand --inventory 'Inventory (TOML) to take the name servers from (used when -n is not given; wins over $NAMESRV_ADDR)'
            cand --timeout 'Per-request timeout: `3s`, `500ms` or a number of seconds'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --tls-ca 'CA certificate(s) (PEM) to verify the servers with; implies --tls'
            cand --tls-cert 'Client certificate (PEM) for servers that want one (mutual TLS); needs --tls-key'
            cand --tls-key 'Private key (PEM) of --tls-cert; an encrypted PKCS#8 key takes its password from $RMQCTL_TLS_KEY_PASSWORD (never from the command line)'
            cand --access-key 'ACL access key to sign requests with (for brokers with aclEnable=true)'
            cand --secret-key 'ACL secret key. Prefer $RMQCTL_SECRET_KEY: other users of the machine can read a process''s arguments'
            cand --tls 'Connect with TLS (the servers run tls.server.mode=permissive or enforcing)'
            cand --tls-insecure 'Do NOT verify the servers'' certificates (anyone in the path can read and change traffic)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'rmqctl;topic;status'= {
            cand -t 't'
            cand --topic 'topic'
            cand -n 'Name servers, `host:port;host:port`. Default: $NAMESRV_ADDR, then -i'
            cand --namesrv 'Name servers, `host:port;host:port`. Default: $NAMESRV_ADDR, then -i'
            cand -i 'Inventory (TOML) to take the name servers from (used when -n is not given; wins over $NAMESRV_ADDR)'
            cand --inventory 'Inventory (TOML) to take the name servers from (used when -n is not given; wins over $NAMESRV_ADDR)'
            cand --timeout 'Per-request timeout: `3s`, `500ms` or a number of seconds'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --tls-ca 'CA certificate(s) (PEM) to verify the servers with; implies --tls'
            cand --tls-cert 'Client certificate (PEM) for servers that want one (mutual TLS); needs --tls-key'
            cand --tls-key 'Private key (PEM) of --tls-cert; an encrypted PKCS#8 key takes its password from $RMQCTL_TLS_KEY_PASSWORD (never from the command line)'
            cand --access-key 'ACL access key to sign requests with (for brokers with aclEnable=true)'
            cand --secret-key 'ACL secret key. Prefer $RMQCTL_SECRET_KEY: other users of the machine can read a process''s arguments'
            cand --tls 'Connect with TLS (the servers run tls.server.mode=permissive or enforcing)'
            cand --tls-insecure 'Do NOT verify the servers'' certificates (anyone in the path can read and change traffic)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'rmqctl;topic;help'= {
            cand create 'Create a topic on every master of a cluster (or one broker); re-running with the same values changes nothing, with new values updates'
            cand delete 'Delete a topic from every master of a cluster and from every name server'
            cand list 'List topics (all, or one cluster''s)'
            cand route 'Show which brokers serve a topic, with queue counts and permissions'
            cand status 'Per queue: broker, queue id, min and max offset, last store time'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'rmqctl;topic;help;create'= {
        }
        &'rmqctl;topic;help;delete'= {
        }
        &'rmqctl;topic;help;list'= {
        }
        &'rmqctl;topic;help;route'= {
        }
        &'rmqctl;topic;help;status'= {
        }
        &'rmqctl;topic;help;help'= {
        }
        &'rmqctl;cluster'= {
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand status 'Per broker: role, address, version, TPS, today''s traffic, commit-log offset, replication lag'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'rmqctl;cluster;status'= {
            cand -c 'Only this cluster'
            cand --cluster 'Only this cluster'
            cand -w 'Refresh every SECS seconds (default 2) until interrupted'
            cand --watch 'Refresh every SECS seconds (default 2) until interrupted'
            cand -n 'Name servers, `host:port;host:port`. Default: $NAMESRV_ADDR, then -i'
            cand --namesrv 'Name servers, `host:port;host:port`. Default: $NAMESRV_ADDR, then -i'
            cand -i 'Inventory (TOML) to take the name servers from (used when -n is not given; wins over $NAMESRV_ADDR)'
            cand --inventory 'Inventory (TOML) to take the name servers from (used when -n is not given; wins over $NAMESRV_ADDR)'
            cand --timeout 'Per-request timeout: `3s`, `500ms` or a number of seconds'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --tls-ca 'CA certificate(s) (PEM) to verify the servers with; implies --tls'
            cand --tls-cert 'Client certificate (PEM) for servers that want one (mutual TLS); needs --tls-key'
            cand --tls-key 'Private key (PEM) of --tls-cert; an encrypted PKCS#8 key takes its password from $RMQCTL_TLS_KEY_PASSWORD (never from the command line)'
            cand --access-key 'ACL access key to sign requests with (for brokers with aclEnable=true)'
            cand --secret-key 'ACL secret key. Prefer $RMQCTL_SECRET_KEY: other users of the machine can read a process''s arguments'
            cand --tls 'Connect with TLS (the servers run tls.server.mode=permissive or enforcing)'
            cand --tls-insecure 'Do NOT verify the servers'' certificates (anyone in the path can read and change traffic)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'rmqctl;cluster;help'= {
            cand status 'Per broker: role, address, version, TPS, today''s traffic, commit-log offset, replication lag'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'rmqctl;cluster;help;status'= {
        }
        &'rmqctl;cluster;help;help'= {
        }
        &'rmqctl;offsets'= {
            cand -t 't'
            cand --topic 'topic'
            cand -g 'Consumer group: adds its offset, lag and the age of the oldest unconsumed message'
            cand --group 'Consumer group: adds its offset, lag and the age of the oldest unconsumed message'
            cand --fail-above 'Exit with code 3 when the group''s total lag on the topic exceeds N'
            cand -n 'Name servers, `host:port;host:port`. Default: $NAMESRV_ADDR, then -i'
            cand --namesrv 'Name servers, `host:port;host:port`. Default: $NAMESRV_ADDR, then -i'
            cand -i 'Inventory (TOML) to take the name servers from (used when -n is not given; wins over $NAMESRV_ADDR)'
            cand --inventory 'Inventory (TOML) to take the name servers from (used when -n is not given; wins over $NAMESRV_ADDR)'
            cand --timeout 'Per-request timeout: `3s`, `500ms` or a number of seconds'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --tls-ca 'CA certificate(s) (PEM) to verify the servers with; implies --tls'
            cand --tls-cert 'Client certificate (PEM) for servers that want one (mutual TLS); needs --tls-key'
            cand --tls-key 'Private key (PEM) of --tls-cert; an encrypted PKCS#8 key takes its password from $RMQCTL_TLS_KEY_PASSWORD (never from the command line)'
            cand --access-key 'ACL access key to sign requests with (for brokers with aclEnable=true)'
            cand --secret-key 'ACL secret key. Prefer $RMQCTL_SECRET_KEY: other users of the machine can read a process''s arguments'
            cand --tls 'Connect with TLS (the servers run tls.server.mode=permissive or enforcing)'
            cand --tls-insecure 'Do NOT verify the servers'' certificates (anyone in the path can read and change traffic)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'rmqctl;group'= {
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand list 'Consumer groups known to the masters'
            cand describe 'Every topic a group consumes, per-queue lag, totals and connected clients'
            cand reset 'Move a group''s offsets on a topic; shows a before/after preview and changes nothing unless --execute'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'rmqctl;group;list'= {
            cand -n 'Name servers, `host:port;host:port`. Default: $NAMESRV_ADDR, then -i'
            cand --namesrv 'Name servers, `host:port;host:port`. Default: $NAMESRV_ADDR, then -i'
            cand -i 'Inventory (TOML) to take the name servers from (used when -n is not given; wins over $NAMESRV_ADDR)'
            cand --inventory 'Inventory (TOML) to take the name servers from (used when -n is not given; wins over $NAMESRV_ADDR)'
            cand --timeout 'Per-request timeout: `3s`, `500ms` or a number of seconds'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --tls-ca 'CA certificate(s) (PEM) to verify the servers with; implies --tls'
            cand --tls-cert 'Client certificate (PEM) for servers that want one (mutual TLS); needs --tls-key'
            cand --tls-key 'Private key (PEM) of --tls-cert; an encrypted PKCS#8 key takes its password from $RMQCTL_TLS_KEY_PASSWORD (never from the command line)'
            cand --access-key 'ACL access key to sign requests with (for brokers with aclEnable=true)'
            cand --secret-key 'ACL secret key. Prefer $RMQCTL_SECRET_KEY: other users of the machine can read a process''s arguments'
            cand --all 'Include the brokers'' own groups (TOOLS_CONSUMER, CID_RMQ_SYS_...)'
            cand --tls 'Connect with TLS (the servers run tls.server.mode=permissive or enforcing)'
            cand --tls-insecure 'Do NOT verify the servers'' certificates (anyone in the path can read and change traffic)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'rmqctl;group;describe'= {
            cand -g 'g'
            cand --group 'group'
            cand --fail-above 'Exit with code 3 when the total lag exceeds N (for cron and CI)'
            cand -n 'Name servers, `host:port;host:port`. Default: $NAMESRV_ADDR, then -i'
            cand --namesrv 'Name servers, `host:port;host:port`. Default: $NAMESRV_ADDR, then -i'
            cand -i 'Inventory (TOML) to take the name servers from (used when -n is not given; wins over $NAMESRV_ADDR)'
            cand --inventory 'Inventory (TOML) to take the name servers from (used when -n is not given; wins over $NAMESRV_ADDR)'
            cand --timeout 'Per-request timeout: `3s`, `500ms` or a number of seconds'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --tls-ca 'CA certificate(s) (PEM) to verify the servers with; implies --tls'
            cand --tls-cert 'Client certificate (PEM) for servers that want one (mutual TLS); needs --tls-key'
            cand --tls-key 'Private key (PEM) of --tls-cert; an encrypted PKCS#8 key takes its password from $RMQCTL_TLS_KEY_PASSWORD (never from the command line)'
            cand --access-key 'ACL access key to sign requests with (for brokers with aclEnable=true)'
            cand --secret-key 'ACL secret key. Prefer $RMQCTL_SECRET_KEY: other users of the machine can read a process''s arguments'
            cand --tls 'Connect with TLS (the servers run tls.server.mode=permissive or enforcing)'
            cand --tls-insecure 'Do NOT verify the servers'' certificates (anyone in the path can read and change traffic)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'rmqctl;group;reset'= {
            cand -g 'g'
            cand --group 'group'
            cand -t 't'
            cand --topic 'topic'
            cand --to-time 'First message stored at or after TIME: epoch ms, `YYYY-MM-DD[THH:MM[:SS[.mmm]]]` (UTC) or `now`'
            cand -n 'Name servers, `host:port;host:port`. Default: $NAMESRV_ADDR, then -i'
            cand --namesrv 'Name servers, `host:port;host:port`. Default: $NAMESRV_ADDR, then -i'
            cand -i 'Inventory (TOML) to take the name servers from (used when -n is not given; wins over $NAMESRV_ADDR)'
            cand --inventory 'Inventory (TOML) to take the name servers from (used when -n is not given; wins over $NAMESRV_ADDR)'
            cand --timeout 'Per-request timeout: `3s`, `500ms` or a number of seconds'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --tls-ca 'CA certificate(s) (PEM) to verify the servers with; implies --tls'
            cand --tls-cert 'Client certificate (PEM) for servers that want one (mutual TLS); needs --tls-key'
            cand --tls-key 'Private key (PEM) of --tls-cert; an encrypted PKCS#8 key takes its password from $RMQCTL_TLS_KEY_PASSWORD (never from the command line)'
            cand --access-key 'ACL access key to sign requests with (for brokers with aclEnable=true)'
            cand --secret-key 'ACL secret key. Prefer $RMQCTL_SECRET_KEY: other users of the machine can read a process''s arguments'
            cand --to-earliest 'The oldest message still stored'
            cand --to-latest 'After the newest message (skip everything pending)'
            cand --execute 'Apply the change (without it, only the preview is shown)'
            cand --tls 'Connect with TLS (the servers run tls.server.mode=permissive or enforcing)'
            cand --tls-insecure 'Do NOT verify the servers'' certificates (anyone in the path can read and change traffic)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'rmqctl;group;help'= {
            cand list 'Consumer groups known to the masters'
            cand describe 'Every topic a group consumes, per-queue lag, totals and connected clients'
            cand reset 'Move a group''s offsets on a topic; shows a before/after preview and changes nothing unless --execute'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'rmqctl;group;help;list'= {
        }
        &'rmqctl;group;help;describe'= {
        }
        &'rmqctl;group;help;reset'= {
        }
        &'rmqctl;group;help;help'= {
        }
        &'rmqctl;message'= {
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand send 'Send one message'
            cand consume 'Read messages (from the group''s offsets, or from the start); commits nothing'
            cand get 'Show one message by offset id, or by unique id with -t'
            cand query 'Find messages by key'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'rmqctl;message;send'= {
            cand -t 't'
            cand --topic 'topic'
            cand --tag 'tag'
            cand -k 'Message key (repeatable)'
            cand --key 'Message key (repeatable)'
            cand --body 'Body text'
            cand --file 'Body from a file (`-` for stdin)'
            cand -n 'Name servers, `host:port;host:port`. Default: $NAMESRV_ADDR, then -i'
            cand --namesrv 'Name servers, `host:port;host:port`. Default: $NAMESRV_ADDR, then -i'
            cand -i 'Inventory (TOML) to take the name servers from (used when -n is not given; wins over $NAMESRV_ADDR)'
            cand --inventory 'Inventory (TOML) to take the name servers from (used when -n is not given; wins over $NAMESRV_ADDR)'
            cand --timeout 'Per-request timeout: `3s`, `500ms` or a number of seconds'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --tls-ca 'CA certificate(s) (PEM) to verify the servers with; implies --tls'
            cand --tls-cert 'Client certificate (PEM) for servers that want one (mutual TLS); needs --tls-key'
            cand --tls-key 'Private key (PEM) of --tls-cert; an encrypted PKCS#8 key takes its password from $RMQCTL_TLS_KEY_PASSWORD (never from the command line)'
            cand --access-key 'ACL access key to sign requests with (for brokers with aclEnable=true)'
            cand --secret-key 'ACL secret key. Prefer $RMQCTL_SECRET_KEY: other users of the machine can read a process''s arguments'
            cand --tls 'Connect with TLS (the servers run tls.server.mode=permissive or enforcing)'
            cand --tls-insecure 'Do NOT verify the servers'' certificates (anyone in the path can read and change traffic)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'rmqctl;message;consume'= {
            cand -t 't'
            cand --topic 'topic'
            cand -g 'Start from this group''s committed offsets (default: from the oldest message)'
            cand --group 'Start from this group''s committed offsets (default: from the oldest message)'
            cand -N 'At most N messages'
            cand --count 'At most N messages'
            cand -n 'Name servers, `host:port;host:port`. Default: $NAMESRV_ADDR, then -i'
            cand --namesrv 'Name servers, `host:port;host:port`. Default: $NAMESRV_ADDR, then -i'
            cand -i 'Inventory (TOML) to take the name servers from (used when -n is not given; wins over $NAMESRV_ADDR)'
            cand --inventory 'Inventory (TOML) to take the name servers from (used when -n is not given; wins over $NAMESRV_ADDR)'
            cand --timeout 'Per-request timeout: `3s`, `500ms` or a number of seconds'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --tls-ca 'CA certificate(s) (PEM) to verify the servers with; implies --tls'
            cand --tls-cert 'Client certificate (PEM) for servers that want one (mutual TLS); needs --tls-key'
            cand --tls-key 'Private key (PEM) of --tls-cert; an encrypted PKCS#8 key takes its password from $RMQCTL_TLS_KEY_PASSWORD (never from the command line)'
            cand --access-key 'ACL access key to sign requests with (for brokers with aclEnable=true)'
            cand --secret-key 'ACL secret key. Prefer $RMQCTL_SECRET_KEY: other users of the machine can read a process''s arguments'
            cand --tls 'Connect with TLS (the servers run tls.server.mode=permissive or enforcing)'
            cand --tls-insecure 'Do NOT verify the servers'' certificates (anyone in the path can read and change traffic)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'rmqctl;message;get'= {
            cand -t 'Topic to search the unique id in'
            cand --topic 'Topic to search the unique id in'
            cand -n 'Name servers, `host:port;host:port`. Default: $NAMESRV_ADDR, then -i'
            cand --namesrv 'Name servers, `host:port;host:port`. Default: $NAMESRV_ADDR, then -i'
            cand -i 'Inventory (TOML) to take the name servers from (used when -n is not given; wins over $NAMESRV_ADDR)'
            cand --inventory 'Inventory (TOML) to take the name servers from (used when -n is not given; wins over $NAMESRV_ADDR)'
            cand --timeout 'Per-request timeout: `3s`, `500ms` or a number of seconds'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --tls-ca 'CA certificate(s) (PEM) to verify the servers with; implies --tls'
            cand --tls-cert 'Client certificate (PEM) for servers that want one (mutual TLS); needs --tls-key'
            cand --tls-key 'Private key (PEM) of --tls-cert; an encrypted PKCS#8 key takes its password from $RMQCTL_TLS_KEY_PASSWORD (never from the command line)'
            cand --access-key 'ACL access key to sign requests with (for brokers with aclEnable=true)'
            cand --secret-key 'ACL secret key. Prefer $RMQCTL_SECRET_KEY: other users of the machine can read a process''s arguments'
            cand --tls 'Connect with TLS (the servers run tls.server.mode=permissive or enforcing)'
            cand --tls-insecure 'Do NOT verify the servers'' certificates (anyone in the path can read and change traffic)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'rmqctl;message;query'= {
            cand -t 't'
            cand --topic 'topic'
            cand -k 'k'
            cand --key 'key'
            cand -n 'Name servers, `host:port;host:port`. Default: $NAMESRV_ADDR, then -i'
            cand --namesrv 'Name servers, `host:port;host:port`. Default: $NAMESRV_ADDR, then -i'
            cand -i 'Inventory (TOML) to take the name servers from (used when -n is not given; wins over $NAMESRV_ADDR)'
            cand --inventory 'Inventory (TOML) to take the name servers from (used when -n is not given; wins over $NAMESRV_ADDR)'
            cand --timeout 'Per-request timeout: `3s`, `500ms` or a number of seconds'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --tls-ca 'CA certificate(s) (PEM) to verify the servers with; implies --tls'
            cand --tls-cert 'Client certificate (PEM) for servers that want one (mutual TLS); needs --tls-key'
            cand --tls-key 'Private key (PEM) of --tls-cert; an encrypted PKCS#8 key takes its password from $RMQCTL_TLS_KEY_PASSWORD (never from the command line)'
            cand --access-key 'ACL access key to sign requests with (for brokers with aclEnable=true)'
            cand --secret-key 'ACL secret key. Prefer $RMQCTL_SECRET_KEY: other users of the machine can read a process''s arguments'
            cand --tls 'Connect with TLS (the servers run tls.server.mode=permissive or enforcing)'
            cand --tls-insecure 'Do NOT verify the servers'' certificates (anyone in the path can read and change traffic)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'rmqctl;message;help'= {
            cand send 'Send one message'
            cand consume 'Read messages (from the group''s offsets, or from the start); commits nothing'
            cand get 'Show one message by offset id, or by unique id with -t'
            cand query 'Find messages by key'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'rmqctl;message;help;send'= {
        }
        &'rmqctl;message;help;consume'= {
        }
        &'rmqctl;message;help;get'= {
        }
        &'rmqctl;message;help;query'= {
        }
        &'rmqctl;message;help;help'= {
        }
        &'rmqctl;acl'= {
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand list 'Every broker''s accounts and global white list (secret keys are never shown)'
            cand add 'Create an account, or update one (only the options given change), on every broker'
            cand remove 'Delete an account from every broker'
            cand whitelist 'Replace the global white list of every broker (peers on it need no account)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'rmqctl;acl;list'= {
            cand -c 'Only the brokers of this cluster'
            cand --cluster 'Only the brokers of this cluster'
            cand -n 'Name servers, `host:port;host:port`. Default: $NAMESRV_ADDR, then -i'
            cand --namesrv 'Name servers, `host:port;host:port`. Default: $NAMESRV_ADDR, then -i'
            cand -i 'Inventory (TOML) to take the name servers from (used when -n is not given; wins over $NAMESRV_ADDR)'
            cand --inventory 'Inventory (TOML) to take the name servers from (used when -n is not given; wins over $NAMESRV_ADDR)'
            cand --timeout 'Per-request timeout: `3s`, `500ms` or a number of seconds'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --tls-ca 'CA certificate(s) (PEM) to verify the servers with; implies --tls'
            cand --tls-cert 'Client certificate (PEM) for servers that want one (mutual TLS); needs --tls-key'
            cand --tls-key 'Private key (PEM) of --tls-cert; an encrypted PKCS#8 key takes its password from $RMQCTL_TLS_KEY_PASSWORD (never from the command line)'
            cand --access-key 'ACL access key to sign requests with (for brokers with aclEnable=true)'
            cand --secret-key 'ACL secret key. Prefer $RMQCTL_SECRET_KEY: other users of the machine can read a process''s arguments'
            cand --tls 'Connect with TLS (the servers run tls.server.mode=permissive or enforcing)'
            cand --tls-insecure 'Do NOT verify the servers'' certificates (anyone in the path can read and change traffic)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'rmqctl;acl;add'= {
            cand --account-secret 'The account''s secret key (at least 7 characters), needed for a new account. Prefer $RMQCTL_ACCOUNT_SECRET: other users of the machine can read a process''s arguments'
            cand --default-topic-perm 'Permission on topics not listed with --topic-perm: DENY, PUB, SUB or PUB|SUB'
            cand --default-group-perm 'Permission on groups not listed with --group-perm'
            cand --topic-perm 'A topic''s permission, `TOPIC=PERM` (repeat; replaces the account''s list)'
            cand --group-perm 'A group''s permission, `GROUP=PERM` (repeat; replaces the account''s list)'
            cand --white-remote-address 'Addresses from which this account''s requests skip the signature check (Apache''s whiteRemoteAddress: `192.168.0.*`, `192.168.1-10.*`, `10.0.0.{1,2}`)'
            cand -c 'Only the brokers of this cluster'
            cand --cluster 'Only the brokers of this cluster'
            cand -n 'Name servers, `host:port;host:port`. Default: $NAMESRV_ADDR, then -i'
            cand --namesrv 'Name servers, `host:port;host:port`. Default: $NAMESRV_ADDR, then -i'
            cand -i 'Inventory (TOML) to take the name servers from (used when -n is not given; wins over $NAMESRV_ADDR)'
            cand --inventory 'Inventory (TOML) to take the name servers from (used when -n is not given; wins over $NAMESRV_ADDR)'
            cand --timeout 'Per-request timeout: `3s`, `500ms` or a number of seconds'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --tls-ca 'CA certificate(s) (PEM) to verify the servers with; implies --tls'
            cand --tls-cert 'Client certificate (PEM) for servers that want one (mutual TLS); needs --tls-key'
            cand --tls-key 'Private key (PEM) of --tls-cert; an encrypted PKCS#8 key takes its password from $RMQCTL_TLS_KEY_PASSWORD (never from the command line)'
            cand --access-key 'ACL access key to sign requests with (for brokers with aclEnable=true)'
            cand --secret-key 'ACL secret key. Prefer $RMQCTL_SECRET_KEY: other users of the machine can read a process''s arguments'
            cand --admin 'May send admin requests (topic and group changes, config updates, offset resets, ACL)'
            cand --tls 'Connect with TLS (the servers run tls.server.mode=permissive or enforcing)'
            cand --tls-insecure 'Do NOT verify the servers'' certificates (anyone in the path can read and change traffic)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'rmqctl;acl;remove'= {
            cand -c 'Only the brokers of this cluster'
            cand --cluster 'Only the brokers of this cluster'
            cand -n 'Name servers, `host:port;host:port`. Default: $NAMESRV_ADDR, then -i'
            cand --namesrv 'Name servers, `host:port;host:port`. Default: $NAMESRV_ADDR, then -i'
            cand -i 'Inventory (TOML) to take the name servers from (used when -n is not given; wins over $NAMESRV_ADDR)'
            cand --inventory 'Inventory (TOML) to take the name servers from (used when -n is not given; wins over $NAMESRV_ADDR)'
            cand --timeout 'Per-request timeout: `3s`, `500ms` or a number of seconds'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --tls-ca 'CA certificate(s) (PEM) to verify the servers with; implies --tls'
            cand --tls-cert 'Client certificate (PEM) for servers that want one (mutual TLS); needs --tls-key'
            cand --tls-key 'Private key (PEM) of --tls-cert; an encrypted PKCS#8 key takes its password from $RMQCTL_TLS_KEY_PASSWORD (never from the command line)'
            cand --access-key 'ACL access key to sign requests with (for brokers with aclEnable=true)'
            cand --secret-key 'ACL secret key. Prefer $RMQCTL_SECRET_KEY: other users of the machine can read a process''s arguments'
            cand --yes 'Do not ask for confirmation'
            cand --tls 'Connect with TLS (the servers run tls.server.mode=permissive or enforcing)'
            cand --tls-insecure 'Do NOT verify the servers'' certificates (anyone in the path can read and change traffic)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'rmqctl;acl;whitelist'= {
            cand -c 'Only the brokers of this cluster'
            cand --cluster 'Only the brokers of this cluster'
            cand -n 'Name servers, `host:port;host:port`. Default: $NAMESRV_ADDR, then -i'
            cand --namesrv 'Name servers, `host:port;host:port`. Default: $NAMESRV_ADDR, then -i'
            cand -i 'Inventory (TOML) to take the name servers from (used when -n is not given; wins over $NAMESRV_ADDR)'
            cand --inventory 'Inventory (TOML) to take the name servers from (used when -n is not given; wins over $NAMESRV_ADDR)'
            cand --timeout 'Per-request timeout: `3s`, `500ms` or a number of seconds'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --tls-ca 'CA certificate(s) (PEM) to verify the servers with; implies --tls'
            cand --tls-cert 'Client certificate (PEM) for servers that want one (mutual TLS); needs --tls-key'
            cand --tls-key 'Private key (PEM) of --tls-cert; an encrypted PKCS#8 key takes its password from $RMQCTL_TLS_KEY_PASSWORD (never from the command line)'
            cand --access-key 'ACL access key to sign requests with (for brokers with aclEnable=true)'
            cand --secret-key 'ACL secret key. Prefer $RMQCTL_SECRET_KEY: other users of the machine can read a process''s arguments'
            cand --clear 'Empty the global white list'
            cand --tls 'Connect with TLS (the servers run tls.server.mode=permissive or enforcing)'
            cand --tls-insecure 'Do NOT verify the servers'' certificates (anyone in the path can read and change traffic)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'rmqctl;acl;help'= {
            cand list 'Every broker''s accounts and global white list (secret keys are never shown)'
            cand add 'Create an account, or update one (only the options given change), on every broker'
            cand remove 'Delete an account from every broker'
            cand whitelist 'Replace the global white list of every broker (peers on it need no account)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'rmqctl;acl;help;list'= {
        }
        &'rmqctl;acl;help;add'= {
        }
        &'rmqctl;acl;help;remove'= {
        }
        &'rmqctl;acl;help;whitelist'= {
        }
        &'rmqctl;acl;help;help'= {
        }
        &'rmqctl;completions'= {
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'rmqctl;__probe'= {
            cand --timeout-ms 'timeout-ms'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'rmqctl;__complete'= {
            cand --tls-ca 'CA certificate(s) (PEM) to verify the servers with; implies --tls'
            cand --tls-cert 'Client certificate (PEM) for servers that want one (mutual TLS); needs --tls-key'
            cand --tls-key 'Private key (PEM) of --tls-cert; an encrypted PKCS#8 key takes its password from $RMQCTL_TLS_KEY_PASSWORD (never from the command line)'
            cand --access-key 'ACL access key to sign requests with (for brokers with aclEnable=true)'
            cand --secret-key 'ACL secret key. Prefer $RMQCTL_SECRET_KEY: other users of the machine can read a process''s arguments'
            cand --tls 'Connect with TLS (the servers run tls.server.mode=permissive or enforcing)'
            cand --tls-insecure 'Do NOT verify the servers'' certificates (anyone in the path can read and change traffic)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'rmqctl;bench'= {
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand produce 'Send messages as fast as the broker acknowledges them'
            cand consume 'Pull every queue of a topic from its start'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'rmqctl;bench;produce'= {
            cand -n 'Name servers, `host:port;host:port` (the topic''s master broker is loaded)'
            cand --namesrv 'Name servers, `host:port;host:port` (the topic''s master broker is loaded)'
            cand -b 'A broker address `host:port`, used directly instead of a name-server lookup'
            cand --broker 'A broker address `host:port`, used directly instead of a name-server lookup'
            cand -t 'Topic to use; a new topic is auto-created by the broker from TBW102'
            cand --topic 'Topic to use; a new topic is auto-created by the broker from TBW102'
            cand --connections 'TCP connections to open to the broker'
            cand --duration 'How long to run, in seconds'
            cand --queues 'Queues of the topic when it is new or given with -b'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --tls-ca 'CA certificate(s) (PEM) to verify the servers with; implies --tls'
            cand --tls-cert 'Client certificate (PEM) for servers that want one (mutual TLS); needs --tls-key'
            cand --tls-key 'Private key (PEM) of --tls-cert; an encrypted PKCS#8 key takes its password from $RMQCTL_TLS_KEY_PASSWORD (never from the command line)'
            cand --access-key 'ACL access key to sign requests with (for brokers with aclEnable=true)'
            cand --secret-key 'ACL secret key. Prefer $RMQCTL_SECRET_KEY: other users of the machine can read a process''s arguments'
            cand --producers 'Concurrent producers (each keeps one send in flight)'
            cand --size 'Message body size in bytes'
            cand --batch 'Messages per request; above 1 sends SEND_BATCH_MESSAGE'
            cand --tls 'Connect with TLS (the servers run tls.server.mode=permissive or enforcing)'
            cand --tls-insecure 'Do NOT verify the servers'' certificates (anyone in the path can read and change traffic)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'rmqctl;bench;consume'= {
            cand -n 'Name servers, `host:port;host:port` (the topic''s master broker is loaded)'
            cand --namesrv 'Name servers, `host:port;host:port` (the topic''s master broker is loaded)'
            cand -b 'A broker address `host:port`, used directly instead of a name-server lookup'
            cand --broker 'A broker address `host:port`, used directly instead of a name-server lookup'
            cand -t 'Topic to use; a new topic is auto-created by the broker from TBW102'
            cand --topic 'Topic to use; a new topic is auto-created by the broker from TBW102'
            cand --connections 'TCP connections to open to the broker'
            cand --duration 'How long to run, in seconds'
            cand --queues 'Queues of the topic when it is new or given with -b'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --tls-ca 'CA certificate(s) (PEM) to verify the servers with; implies --tls'
            cand --tls-cert 'Client certificate (PEM) for servers that want one (mutual TLS); needs --tls-key'
            cand --tls-key 'Private key (PEM) of --tls-cert; an encrypted PKCS#8 key takes its password from $RMQCTL_TLS_KEY_PASSWORD (never from the command line)'
            cand --access-key 'ACL access key to sign requests with (for brokers with aclEnable=true)'
            cand --secret-key 'ACL secret key. Prefer $RMQCTL_SECRET_KEY: other users of the machine can read a process''s arguments'
            cand --group 'Consumer group named in the pulls'
            cand --tls 'Connect with TLS (the servers run tls.server.mode=permissive or enforcing)'
            cand --tls-insecure 'Do NOT verify the servers'' certificates (anyone in the path can read and change traffic)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'rmqctl;bench;help'= {
            cand produce 'Send messages as fast as the broker acknowledges them'
            cand consume 'Pull every queue of a topic from its start'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'rmqctl;bench;help;produce'= {
        }
        &'rmqctl;bench;help;consume'= {
        }
        &'rmqctl;bench;help;help'= {
        }
        &'rmqctl;tls'= {
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand init 'Write a CA (ca.pem, ca-key.pem) and a certificate per host (HOST.pem, HOST-key.pem)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'rmqctl;tls;init'= {
            cand --hosts 'Inventory whose hosts get a certificate (name and address); default: one for localhost'
            cand --days 'Days the host certificates are valid (the CA: ten times as long)'
            cand --client 'Also write a client certificate (client.pem, client-key.pem) for `--tls-cert/--tls-key`'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'rmqctl;tls;help'= {
            cand init 'Write a CA (ca.pem, ca-key.pem) and a certificate per host (HOST.pem, HOST-key.pem)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'rmqctl;tls;help;init'= {
        }
        &'rmqctl;tls;help;help'= {
        }
        &'rmqctl;help'= {
            cand render 'Render Apache-format broker and name-server properties (and units) from an inventory'
            cand check 'Lint an inventory or existing Apache properties files'
            cand deploy 'Deploy an inventory: upload, supervise, open the firewall, start in order, verify'
            cand start 'Start the instances of a deployed inventory that do not run (name servers, masters, slaves)'
            cand stop 'Stop instances of a deployed inventory (slaves, masters, then name servers)'
            cand restart 'Restart instances of a deployed inventory, rolling (slave in sync before its master)'
            cand status 'Every instance of a deployed inventory: process state, registration, sync'
            cand logs 'Show (or follow) an instance''s log'
            cand destroy 'Stop and remove a deployed inventory from its hosts'
            cand namesrv 'Run the bundled name server'
            cand broker 'Run the bundled broker (`-c FILE`), or show a broker''s status and configuration'
            cand gateway 'Run the HTTP send service: POST JSON to send, messages delivered to their backurl'
            cand topic 'Create, delete, list and inspect topics'
            cand cluster 'Cluster overview'
            cand offsets 'Per-queue offsets of a topic, with a consumer group''s lag'
            cand group 'Consumer groups: list, describe (lag, clients), reset offsets'
            cand message 'Send, consume, get and query messages'
            cand acl 'ACL accounts and white lists of a running cluster (brokers with aclEnable=true)'
            cand completions 'Print a shell completion script'
            cand __probe 'Probe TCP ports (run by deploy on a peer host)'
            cand __complete 'Topic or group names for shell completion'
            cand bench 'Load generator: produce to or consume from a broker and report messages/s and latency'
            cand tls 'TLS certificates: a private CA and one certificate per host'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'rmqctl;help;render'= {
        }
        &'rmqctl;help;check'= {
        }
        &'rmqctl;help;deploy'= {
        }
        &'rmqctl;help;start'= {
        }
        &'rmqctl;help;stop'= {
        }
        &'rmqctl;help;restart'= {
        }
        &'rmqctl;help;status'= {
        }
        &'rmqctl;help;logs'= {
        }
        &'rmqctl;help;destroy'= {
        }
        &'rmqctl;help;namesrv'= {
        }
        &'rmqctl;help;broker'= {
            cand status 'Runtime key/values of a broker (GET_BROKER_RUNTIME_INFO)'
            cand config 'Read or change a broker''s configuration'
        }
        &'rmqctl;help;broker;status'= {
        }
        &'rmqctl;help;broker;config'= {
            cand get 'Print a broker''s configuration'
            cand set 'Change one key at runtime; the broker also writes it into its config file (the bundled broker changes only that key''s line, Apache''s rewrites the whole file)'
        }
        &'rmqctl;help;broker;config;get'= {
        }
        &'rmqctl;help;broker;config;set'= {
        }
        &'rmqctl;help;gateway'= {
        }
        &'rmqctl;help;topic'= {
            cand create 'Create a topic on every master of a cluster (or one broker); re-running with the same values changes nothing, with new values updates'
            cand delete 'Delete a topic from every master of a cluster and from every name server'
            cand list 'List topics (all, or one cluster''s)'
            cand route 'Show which brokers serve a topic, with queue counts and permissions'
            cand status 'Per queue: broker, queue id, min and max offset, last store time'
        }
        &'rmqctl;help;topic;create'= {
        }
        &'rmqctl;help;topic;delete'= {
        }
        &'rmqctl;help;topic;list'= {
        }
        &'rmqctl;help;topic;route'= {
        }
        &'rmqctl;help;topic;status'= {
        }
        &'rmqctl;help;cluster'= {
            cand status 'Per broker: role, address, version, TPS, today''s traffic, commit-log offset, replication lag'
        }
        &'rmqctl;help;cluster;status'= {
        }
        &'rmqctl;help;offsets'= {
        }
        &'rmqctl;help;group'= {
            cand list 'Consumer groups known to the masters'
            cand describe 'Every topic a group consumes, per-queue lag, totals and connected clients'
            cand reset 'Move a group''s offsets on a topic; shows a before/after preview and changes nothing unless --execute'
        }
        &'rmqctl;help;group;list'= {
        }
        &'rmqctl;help;group;describe'= {
        }
        &'rmqctl;help;group;reset'= {
        }
        &'rmqctl;help;message'= {
            cand send 'Send one message'
            cand consume 'Read messages (from the group''s offsets, or from the start); commits nothing'
            cand get 'Show one message by offset id, or by unique id with -t'
            cand query 'Find messages by key'
        }
        &'rmqctl;help;message;send'= {
        }
        &'rmqctl;help;message;consume'= {
        }
        &'rmqctl;help;message;get'= {
        }
        &'rmqctl;help;message;query'= {
        }
        &'rmqctl;help;acl'= {
            cand list 'Every broker''s accounts and global white list (secret keys are never shown)'
            cand add 'Create an account, or update one (only the options given change), on every broker'
            cand remove 'Delete an account from every broker'
            cand whitelist 'Replace the global white list of every broker (peers on it need no account)'
        }
        &'rmqctl;help;acl;list'= {
        }
        &'rmqctl;help;acl;add'= {
        }
        &'rmqctl;help;acl;remove'= {
        }
        &'rmqctl;help;acl;whitelist'= {
        }
        &'rmqctl;help;completions'= {
        }
        &'rmqctl;help;__probe'= {
        }
        &'rmqctl;help;__complete'= {
        }
        &'rmqctl;help;bench'= {
            cand produce 'Send messages as fast as the broker acknowledges them'
            cand consume 'Pull every queue of a topic from its start'
        }
        &'rmqctl;help;bench;produce'= {
        }
        &'rmqctl;help;bench;consume'= {
        }
        &'rmqctl;help;tls'= {
            cand init 'Write a CA (ca.pem, ca-key.pem) and a certificate per host (HOST.pem, HOST-key.pem)'
        }
        &'rmqctl;help;tls;init'= {
        }
        &'rmqctl;help;help'= {
        }
    ]
    $completions[$command]
}
