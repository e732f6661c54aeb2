//! The deploy firewall step (src/deploy/firewall.rs) on real hosts of the test bed: its scripts run
//! with `sh -c` over ssh on an nftables host and an iptables host, and TCP probes from another host
//! prove that a port is closed before, open after `open_script`, closed again after
//! `close_script`, and that opening twice adds no rule.

use crate::common;

use common::testbed::Testbed;
use rmqctl::deploy::firewall::{
    close_script, detect_script, list_script, open_script, parse_detect, parse_list, parse_report,
    Change, FirewallBackend, PortChange,
};
use std::time::Duration;

const TAG: &str = "rmqctl:BedTest";
const PORTS: [u16; 2] = [9876, 10911];

/// Runs `script` on `host` as deploy does (`sh -c` over ssh) and returns its stdout; a failure
/// shows the script's stderr.
fn run(bed: &Testbed, host: &str, script: &str) -> String {
    let out = bed.sh(host, script);
    assert!(
        out.status.success(),
        "script on {host} failed ({}):\nstderr: {}\nscript:\n{script}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8 output")
}

/// Starts a TCP listener on `port` in `host` and waits until it answers on the host's loopback
/// (which the firewall always lets through), so a failed probe from outside means "firewalled".
fn listen(bed: &Testbed, host: &str, port: u16) {
    run(
        bed,
        host,
        &format!("setsid nohup nc -lk {port} >/dev/null 2>&1 </dev/null &"),
    );
    run(
        bed,
        host,
        &format!(
            "for i in $(seq 100); do nc -z -w 1 127.0.0.1 {port} && exit 0; sleep 0.1; done; \
             echo 'listener on {port} never answered' >&2; exit 1"
        ),
    );
}

/// How many rules on `host` carry the test's tag.
fn tagged_rules(bed: &Testbed, host: &str, backend: FirewallBackend) -> usize {
    let listing = match backend {
        FirewallBackend::Nftables => run(bed, host, "nft list ruleset"),
        FirewallBackend::Iptables => run(bed, host, "iptables -S INPUT"),
        other => panic!("no rule listing for {other}"),
    };
    listing.matches(TAG).count()
}

fn changes(ports: &[u16], change: Change) -> Vec<PortChange> {
    ports
        .iter()
        .map(|&port| PortChange { port, change })
        .collect()
}

/// Every port of PORTS is closed to `prober`: its probes, which wait out the 1 s connect timeout
/// of a dropped SYN, run at the same time.
fn assert_closed(bed: &Testbed, prober: &str, host: &str, when: &str) {
    let ip = bed.ip(host);
    let open: Vec<u16> = std::thread::scope(|scope| {
        let probes: Vec<_> = PORTS
            .iter()
            .map(|&port| scope.spawn(move || (port, bed.probe(prober, ip, port))))
            .collect();
        probes
            .into_iter()
            .map(|p| p.join().expect("probe thread"))
            .filter(|&(_, open)| open)
            .map(|(port, _)| port)
            .collect()
    });
    assert!(
        open.is_empty(),
        "{host}: ports {open:?} answer {prober} {when}; they must be closed"
    );
}

/// The whole cycle on `host`: detect, closed from `prober`, open (added, then open from
/// `prober`), open again (present, no new rule), list, close (removed, closed again), close again.
/// `chains` is the number of input chains that drop on the host (each gets its own rule).
fn open_close_cycle(
    bed: &Testbed,
    host: &str,
    prober: &str,
    expected: FirewallBackend,
    chains: usize,
) {
    let ip = bed.ip(host);
    for port in PORTS {
        listen(bed, host, port);
    }

    let backend = parse_detect(&run(bed, host, detect_script())).unwrap();
    assert_eq!(backend, expected, "detected on {host}");

    assert!(bed.probe(prober, ip, 22), "ssh port must answer {prober}");
    assert_closed(bed, prober, host, "before opening");
    let list = list_script(backend, TAG).unwrap();
    assert_eq!(
        parse_list(&run(bed, host, &list)).unwrap(),
        Vec::<u16>::new()
    );

    let open = open_script(backend, &PORTS, TAG).unwrap();
    let report = parse_report(&run(bed, host, &open)).unwrap();
    assert_eq!(report, changes(&PORTS, Change::Added));
    for port in PORTS {
        assert!(
            bed.wait_open(prober, ip, port, Duration::from_secs(10)),
            "{host}:{port} must answer {prober} after opening"
        );
    }
    let rules = tagged_rules(bed, host, backend);
    assert_eq!(rules, PORTS.len() * chains, "one rule per port and chain");

    let report = parse_report(&run(bed, host, &open)).unwrap();
    assert_eq!(report, changes(&PORTS, Change::Present));
    assert_eq!(
        tagged_rules(bed, host, backend),
        rules,
        "opening twice added rules"
    );
    assert_eq!(parse_list(&run(bed, host, &list)).unwrap(), PORTS.to_vec());

    let close = close_script(backend, TAG).unwrap();
    let report = parse_report(&run(bed, host, &close)).unwrap();
    assert_eq!(report, changes(&PORTS, Change::Removed));
    assert_eq!(tagged_rules(bed, host, backend), 0);
    assert_closed(bed, prober, host, "after closing");
    assert!(bed.probe(prober, ip, 22), "closing must leave ssh open");
    assert_eq!(
        parse_list(&run(bed, host, &list)).unwrap(),
        Vec::<u16>::new()
    );
    assert_eq!(parse_report(&run(bed, host, &close)).unwrap(), vec![]);
    bed.wipe(host);
}

fn host_with_firewall<'a>(bed: &'a Testbed, kind: &str) -> &'a str {
    &bed.hosts()
        .iter()
        .find(|h| h.firewall == kind)
        .unwrap_or_else(|| panic!("the bed has no {kind} host: {:?}", bed.hosts()))
        .name
}

fn other_host<'a>(bed: &'a Testbed, not: &str) -> &'a str {
    &bed.hosts()
        .iter()
        .find(|h| h.name != not)
        .expect("a second host")
        .name
}

#[test]
fn nftables_host_opens_lists_and_closes_tagged_ports() {
    let Some(bed) = Testbed::up() else { return };
    let host = host_with_firewall(&bed, "nft");
    open_close_cycle(
        &bed,
        host,
        other_host(&bed, host),
        FirewallBackend::Nftables,
        1,
    );
}

#[test]
fn iptables_host_opens_lists_and_closes_tagged_ports() {
    let Some(bed) = Testbed::up() else { return };
    let host = host_with_firewall(&bed, "iptables");
    open_close_cycle(
        &bed,
        host,
        other_host(&bed, host),
        FirewallBackend::Iptables,
        1,
    );
}

/// A second table whose input chain also drops: an accept in one base chain does not get a packet
/// past a drop in another, so the port opens only if both chains get the rule.
#[test]
fn nftables_rules_go_into_every_dropping_input_chain() {
    let Some(bed) = Testbed::up() else { return };
    let host = host_with_firewall(&bed, "nft");
    run(
        &bed,
        host,
        "nft -f - <<'EOF'
table ip extra {
	chain in {
		type filter hook input priority 10; policy accept;
		iif \"lo\" accept
		ct state established,related accept
		tcp dport 22 accept
		counter drop
	}
}
EOF",
    );
    open_close_cycle(
        &bed,
        host,
        other_host(&bed, host),
        FirewallBackend::Nftables,
        2,
    );
    bed.reset_firewall(host);
}

#[test]
fn host_without_firewall_is_none_and_opens_nothing() {
    let Some(bed) = Testbed::up() else { return };
    let host = host_with_firewall(&bed, "iptables");
    run(&bed, host, "nft flush ruleset");
    let backend = parse_detect(&run(&bed, host, detect_script())).unwrap();
    assert_eq!(backend, FirewallBackend::None);
    let open = open_script(backend, &PORTS, TAG).unwrap();
    assert_eq!(parse_report(&run(&bed, host, &open)).unwrap(), vec![]);
    assert_eq!(run(&bed, host, "nft list ruleset"), "");
    bed.reset_firewall(host);
}

/// Run by a user who may not touch the firewall, each script exits non-zero and names the
/// command that failed on stderr.
#[test]
fn scripts_fail_loudly_without_privileges() {
    let Some(bed) = Testbed::up() else { return };
    let nobody = |script: &str| {
        format!(
            "setpriv --reuid=65534 --regid=65534 --clear-groups sh -c {}",
            common::testbed::shell_quote(script)
        )
    };
    let cases = [
        (host_with_firewall(&bed, "nft"), detect_script().to_string(), "'nft list ruleset' failed"),
        (
            host_with_firewall(&bed, "nft"),
            open_script(FirewallBackend::Nftables, &PORTS, TAG).unwrap(),
            "'nft list ruleset' failed",
        ),
        (
            host_with_firewall(&bed, "iptables"),
            open_script(FirewallBackend::Iptables, &PORTS, TAG).unwrap(),
            "'iptables -I INPUT -p tcp --dport 9876 -m comment --comment rmqctl:BedTest -j ACCEPT' failed",
        ),
        (
            host_with_firewall(&bed, "iptables"),
            close_script(FirewallBackend::Iptables, TAG).unwrap(),
            "'iptables -S INPUT' failed",
        ),
    ];
    for (host, script, message) in cases {
        let out = bed.exec(host, &nobody(&script));
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            !out.status.success(),
            "{host}: ran without privileges: {stderr}"
        );
        assert!(
            stderr.contains(&format!("rmqctl firewall: {message}")),
            "{host}: stderr does not name the failed command ({message}):\n{stderr}"
        );
        assert_eq!(
            String::from_utf8_lossy(&out.stdout),
            "",
            "{host}: no report on failure"
        );
    }
}
