//! The firewall step of `deploy`: POSIX `sh` scripts that detect the firewall in force on a host,
//! open TCP ports with rules tagged for rmqctl, list and remove them, and parsers of their output.
//!
//! The functions here only build text; the deploy transport runs each script with `sh -c` (as root)
//! and hands its stdout to the parsers. Every script sets sshd's default PATH itself, runs under
//! dash, prints only the documented lines on stdout, and on failure names the failed command on
//! stderr (prefixed `rmqctl firewall:`) and exits non-zero.
//!
//! | backend   | open                                                    | survives a reboot |
//! |-----------|---------------------------------------------------------|-------------------|
//! | firewalld | `firewall-cmd --permanent --add-port` and `--add-port`  | yes               |
//! | ufw       | `ufw allow P/tcp comment TAG`                           | yes               |
//! | nftables  | `nft insert rule … tcp dport P accept comment "TAG"` in every input base chain that drops | no (runtime) |
//! | iptables  | `iptables -I INPUT -p tcp --dport P -m comment --comment TAG -j ACCEPT` | no (runtime) |
//! | none      | nothing (no firewall drops input)                       | -                 |
//!
//! Tags: nftables, iptables and ufw carry the tag in the rule's comment. firewalld ports have no
//! comment, so the ports a tag opened are recorded on the host in
//! `/var/lib/rmqctl/firewalld/<TAG>.ports`; a port that was already open is not recorded (and so
//! is not removed by [`close_script`]).
//!
//! Limits: iptables rules are IPv4 only (`ip6tables` is not touched; nftables `inet` chains cover
//! both); nftables and iptables scripts look at the input base chains themselves and do not follow
//! jumps into other chains that might drop; nftables chain names must be plain words.

use std::fmt;

/// The firewall that decides which packets reach a host.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FirewallBackend {
    Firewalld,
    Ufw,
    Nftables,
    Iptables,
    /// No firewall drops input: nothing needs opening.
    None,
}

impl FirewallBackend {
    pub const ALL: [FirewallBackend; 5] = [
        FirewallBackend::Firewalld,
        FirewallBackend::Ufw,
        FirewallBackend::Nftables,
        FirewallBackend::Iptables,
        FirewallBackend::None,
    ];

    /// The word [`detect_script`] prints for this backend.
    pub fn name(&self) -> &'static str {
        match self {
            FirewallBackend::Firewalld => "firewalld",
            FirewallBackend::Ufw => "ufw",
            FirewallBackend::Nftables => "nftables",
            FirewallBackend::Iptables => "iptables",
            FirewallBackend::None => "none",
        }
    }

    /// Whether rules opened by [`open_script`] survive a reboot. False for nftables and iptables
    /// (runtime rules; persisting them means editing the distribution's own ruleset files, which
    /// rmqctl leaves to the operator). True for `None`: nothing was opened, nothing is lost.
    pub fn persistent(&self) -> bool {
        !matches!(self, FirewallBackend::Nftables | FirewallBackend::Iptables)
    }
}

impl fmt::Display for FirewallBackend {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// What a script did (or found) for one port.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    Added,
    Present,
    Removed,
}

impl Change {
    fn word(self) -> &'static str {
        match self {
            Change::Added => "added",
            Change::Present => "present",
            Change::Removed => "removed",
        }
    }
}

/// One line of a script's report: `<port> added|present|removed`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PortChange {
    pub port: u16,
    pub change: Change,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FirewallError {
    #[error(
        "firewall detection printed {output:?}; expected one word: firewalld, ufw, nftables, \
         iptables or none"
    )]
    UnknownBackend { output: String },
    #[error(
        "firewall tag {tag:?} is invalid: {reason}; use 1-64 characters from A-Z a-z 0-9 : . _ - \
         (e.g. \"rmqctl:DefaultCluster\")"
    )]
    BadTag { tag: String, reason: &'static str },
    #[error("port 0 cannot be opened in a firewall; give the ports the host listens on")]
    PortZero,
    #[error("firewall script output, line {line_no}: {line:?}: {reason}")]
    BadReportLine {
        line_no: usize,
        line: String,
        reason: &'static str,
    },
}

/// Sets sshd's default PATH (sbin dirs first; non-root logins lack them) and the error helper.
const PREAMBLE: &str = r#"set -u
PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin${PATH:+:$PATH}
export PATH
fail() { echo "rmqctl firewall: $*" >&2; exit 1; }
"#;

/// awk over `nft list ruleset`: prints `family table chain` of every filter base chain on the
/// input hook (families ip, ip6, inet: arp carries no TCP, bridge/netdev see no local input)
/// whose policy is drop or that holds a drop or reject rule. Jumps to other chains are not
/// followed.
const NFT_DROPPING_INPUT_CHAINS_AWK: &str = r#"
$1 == "table" { fam = $2; tbl = $3; next }
$1 == "chain" { chain = $2; base = 0; drops = 0; inchain = 1; next }
inchain && $1 == "type" {
  if ($2 == "filter" && $0 ~ /hook input /) base = 1
  if ($0 ~ /policy drop;/) drops = 1
  next
}
inchain && $1 == "}" {
  if (base && drops && (fam == "ip" || fam == "ip6" || fam == "inet")) print fam, tbl, chain
  inchain = 0
  next
}
inchain && /(^|[ \t])(drop|reject)([ \t;]|$)/ { drops = 1 }
"#;

/// awk over `nft -a list ruleset` (with `-v tag=TAG`): prints `family table chain handle port` of
/// every rule whose comment is exactly TAG (port empty when the rule has no single `dport`).
const NFT_TAGGED_RULES_AWK: &str = r#"
$1 == "table" { fam = $2; tbl = $3; next }
$1 == "chain" { chain = $2; next }
index($0, "comment \"" tag "\"") {
  port = ""
  for (i = 1; i < NF; i++) if ($i == "dport") port = $(i + 1)
  if (port !~ /^[0-9]+$/) port = ""
  print fam, tbl, chain, $NF, port
}
"#;

/// awk over `iptables -S INPUT` (with `-v tag=TAG`): prints the port of every INPUT rule whose
/// comment is exactly TAG (iptables prints it quoted or bare).
const IPT_TAGGED_PORTS_AWK: &str = r#"
$1 == "-A" {
  hit = 0; port = ""
  for (i = 1; i < NF; i++) {
    if ($i == "--comment" && ($(i + 1) == tag || $(i + 1) == "\"" tag "\"")) hit = 1
    if ($i == "--dport") port = $(i + 1)
  }
  if (hit && port ~ /^[0-9]+$/) print port
}
"#;

/// awk over `ufw status` (with `-v tag=TAG`): prints the port of every `PORT/tcp` rule whose
/// comment is exactly TAG (IPv4 and v6 lines both match; callers deduplicate).
const UFW_TAGGED_PORTS_AWK: &str = r##"
$1 ~ /^[0-9]+\/tcp$/ {
  c = index($0, "# ")
  if (c == 0) next
  comment = substr($0, c + 2)
  sub(/[ \t]+$/, "", comment)
  if (comment == tag) { split($1, p, "/"); print p[1] }
}
"##;

/// Where firewalld scripts record the ports a tag opened (firewalld ports carry no comment);
/// `RMQCTL_FIREWALLD_RECORDS` in the script's environment overrides it.
const FIREWALLD_RECORD_DIR: &str = "/var/lib/rmqctl/firewalld";

/// A POSIX sh script that prints exactly one word: the backend in force on the host. In order:
/// `firewalld` if `firewall-cmd --state` says running; `ufw` if `ufw status` is active;
/// `nftables` if an nftables input base chain drops (policy or rule), not counting iptables-nft's
/// own `ip`/`ip6 filter INPUT` chains when `iptables` is installed; `iptables` if `iptables -S
/// INPUT` has a DROP/REJECT policy or rule; else `none`. Fails (non-zero, stderr) when a tool is
/// installed but cannot be queried, e.g. when not run as root.
pub fn detect_script() -> &'static str {
    static SCRIPT: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    SCRIPT.get_or_init(|| {
        format!(
            r#"{PREAMBLE}if command -v firewall-cmd >/dev/null 2>&1; then
  if [ "$(firewall-cmd --state 2>/dev/null)" = running ]; then echo firewalld; exit 0; fi
fi
if command -v ufw >/dev/null 2>&1; then
  out=$(ufw status 2>&1) || fail "'ufw status' failed: $out"
  case $out in "Status: active"*) echo ufw; exit 0 ;; esac
fi
if command -v nft >/dev/null 2>&1; then
  rules=$(nft list ruleset 2>/dev/null) || {{ nft list ruleset >/dev/null; fail "'nft list ruleset' failed"; }}
  chains=$(printf '%s\n' "$rules" | awk '{NFT_DROPPING_INPUT_CHAINS_AWK}')
  if command -v iptables >/dev/null 2>&1; then
    chains=$(printf '%s\n' "$chains" | grep -v -x -e 'ip filter INPUT' -e 'ip6 filter INPUT')
  fi
  if [ -n "$chains" ]; then echo nftables; exit 0; fi
fi
if command -v iptables >/dev/null 2>&1; then
  out=$(iptables -w -S INPUT 2>&1) || fail "'iptables -S INPUT' failed: $out"
  if printf '%s\n' "$out" | grep -E -q -e '^-P INPUT (DROP|REJECT)$' -e '^-A INPUT .*-j (DROP|REJECT)( |$)'; then
    echo iptables; exit 0
  fi
fi
echo none
"#
        )
    })
}

/// Reads the word printed by [`detect_script`].
pub fn parse_detect(stdout: &str) -> Result<FirewallBackend, FirewallError> {
    let word = stdout.trim();
    FirewallBackend::ALL
        .into_iter()
        .find(|b| b.name() == word)
        .ok_or_else(|| FirewallError::UnknownBackend {
            output: stdout.to_string(),
        })
}

/// A script that opens `ports` (TCP) idempotently, every rule tagged with `tag` (e.g.
/// `rmqctl:DefaultCluster`); it prints one line per port: `<port> added` or `<port> present`
/// (already open under this tag; for firewalld: open at all). nftables: accept rules are inserted
/// at the top of every input base chain that drops, so they come before the dropping rules;
/// `None` prints nothing.
pub fn open_script(
    backend: FirewallBackend,
    ports: &[u16],
    tag: &str,
) -> Result<String, FirewallError> {
    check_tag(tag)?;
    let ports = sorted_ports(ports)?;
    let body = match backend {
        FirewallBackend::Firewalld => firewalld_open(&ports, tag),
        FirewallBackend::Ufw => ufw_open(&ports),
        FirewallBackend::Nftables => nft_open(&ports),
        FirewallBackend::Iptables => iptables_open(&ports),
        FirewallBackend::None => String::new(),
    };
    Ok(script(tag, &body))
}

/// A script that removes every rule carrying `tag` (for destroy); it prints `<port> removed` per
/// port it closed.
pub fn close_script(backend: FirewallBackend, tag: &str) -> Result<String, FirewallError> {
    check_tag(tag)?;
    let body = match backend {
        FirewallBackend::Firewalld => firewalld_close(tag),
        FirewallBackend::Ufw => UFW_CLOSE.replace("{AWK}", UFW_TAGGED_PORTS_AWK),
        FirewallBackend::Nftables => NFT_CLOSE.replace("{AWK}", NFT_TAGGED_RULES_AWK),
        FirewallBackend::Iptables => IPTABLES_CLOSE.replace("{AWK}", IPT_TAGGED_PORTS_AWK),
        FirewallBackend::None => String::new(),
    };
    Ok(script(tag, &body))
}

/// A script that lists the ports currently opened by rules carrying `tag` (for status and
/// dry-run); it prints `<port> present` per port. Read with [`parse_list`].
pub fn list_script(backend: FirewallBackend, tag: &str) -> Result<String, FirewallError> {
    check_tag(tag)?;
    let body = match backend {
        FirewallBackend::Firewalld => firewalld_list(tag),
        FirewallBackend::Ufw => UFW_LIST.replace("{AWK}", UFW_TAGGED_PORTS_AWK),
        FirewallBackend::Nftables => NFT_LIST.replace("{AWK}", NFT_TAGGED_RULES_AWK),
        FirewallBackend::Iptables => IPTABLES_LIST.replace("{AWK}", IPT_TAGGED_PORTS_AWK),
        FirewallBackend::None => String::new(),
    };
    Ok(script(tag, &body))
}

/// Reads the report of [`open_script`], [`close_script`] or [`list_script`]: one
/// `<port> added|present|removed` per line (blank lines ignored).
pub fn parse_report(stdout: &str) -> Result<Vec<PortChange>, FirewallError> {
    let mut changes = Vec::new();
    for (index, line) in stdout.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let bad = |reason| FirewallError::BadReportLine {
            line_no: index + 1,
            line: line.to_string(),
            reason,
        };
        let mut words = line.split_whitespace();
        let (Some(port), Some(word), None) = (words.next(), words.next(), words.next()) else {
            return Err(bad("expected `<port> added|present|removed`"));
        };
        let port = match port.parse::<u16>() {
            Ok(p) if p > 0 => p,
            _ => return Err(bad("not a TCP port (1-65535)")),
        };
        let change = [Change::Added, Change::Present, Change::Removed]
            .into_iter()
            .find(|c| c.word() == word)
            .ok_or_else(|| bad("expected added, present or removed after the port"))?;
        changes.push(PortChange { port, change });
    }
    Ok(changes)
}

/// Reads the report of [`list_script`]: the open ports, sorted.
pub fn parse_list(stdout: &str) -> Result<Vec<u16>, FirewallError> {
    let mut ports = Vec::new();
    for (index, change) in parse_report(stdout)?.into_iter().enumerate() {
        if change.change != Change::Present {
            return Err(FirewallError::BadReportLine {
                line_no: index + 1,
                line: format!("{} {}", change.port, change.change.word()),
                reason: "a listing reports only `<port> present`",
            });
        }
        ports.push(change.port);
    }
    ports.sort_unstable();
    ports.dedup();
    Ok(ports)
}

fn check_tag(tag: &str) -> Result<(), FirewallError> {
    let bad = |reason| FirewallError::BadTag {
        tag: tag.to_string(),
        reason,
    };
    if tag.is_empty() || tag.len() > 64 {
        return Err(bad("it must be 1 to 64 characters long"));
    }
    // The tag is pasted into single-quoted shell words, nft strings, iptables and ufw comments
    // and a file name: this alphabet is safe in all of them without quoting rules of each tool.
    if !tag
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, ':' | '.' | '_' | '-'))
    {
        return Err(bad("it holds a character other than A-Z a-z 0-9 : . _ -"));
    }
    Ok(())
}

fn sorted_ports(ports: &[u16]) -> Result<Vec<u16>, FirewallError> {
    if ports.contains(&0) {
        return Err(FirewallError::PortZero);
    }
    let mut ports = ports.to_vec();
    ports.sort_unstable();
    ports.dedup();
    Ok(ports)
}

fn script(tag: &str, body: &str) -> String {
    format!("{PREAMBLE}tag='{tag}'\n{body}exit 0\n")
}

fn port_calls(function: &str, ports: &[u16]) -> String {
    ports.iter().map(|p| format!("{function} {p}\n")).collect()
}

fn nft_open(ports: &[u16]) -> String {
    format!(
        r#"rules=$(nft list ruleset 2>/dev/null) || {{ nft list ruleset >/dev/null; fail "'nft list ruleset' failed"; }}
chains=$(printf '%s\n' "$rules" | awk '{NFT_DROPPING_INPUT_CHAINS_AWK}')
open_port() {{
  state=present
  while read -r fam tbl chain; do
    [ -n "$fam" ] || continue
    listing=$(nft list chain "$fam" "$tbl" "$chain" 2>/dev/null </dev/null) || fail "'nft list chain $fam $tbl $chain' failed"
    if ! printf '%s\n' "$listing" | grep -F -q "tcp dport $1 accept comment \"$tag\""; then
      nft insert rule "$fam" "$tbl" "$chain" tcp dport "$1" accept comment "\"$tag\"" </dev/null ||
        fail "'nft insert rule $fam $tbl $chain tcp dport $1 accept comment \"$tag\"' failed"
      state=added
    fi
  done <<EOF
$chains
EOF
  echo "$1 $state"
}}
{}"#,
        port_calls("open_port", ports)
    )
}

const NFT_LIST: &str = r#"rules=$(nft -a list ruleset 2>/dev/null) || { nft -a list ruleset >/dev/null; fail "'nft -a list ruleset' failed"; }
printf '%s\n' "$rules" | awk -v tag="$tag" '{AWK}' | awk '$5 != "" { print $5 " present" }' | sort -u -n
"#;

const NFT_CLOSE: &str = r#"rules=$(nft -a list ruleset 2>/dev/null) || { nft -a list ruleset >/dev/null; fail "'nft -a list ruleset' failed"; }
tagged=$(printf '%s\n' "$rules" | awk -v tag="$tag" '{AWK}')
removed=""
while read -r fam tbl chain handle port; do
  [ -n "$fam" ] || continue
  nft delete rule "$fam" "$tbl" "$chain" handle "$handle" </dev/null ||
    fail "'nft delete rule $fam $tbl $chain handle $handle' failed"
  removed="$removed $port"
done <<EOF
$tagged
EOF
for port in $removed; do echo "$port removed"; done | sort -u -n
"#;

fn iptables_open(ports: &[u16]) -> String {
    format!(
        r#"open_port() {{
  if iptables -w -C INPUT -p tcp --dport "$1" -m comment --comment "$tag" -j ACCEPT 2>/dev/null; then
    echo "$1 present"
  else
    iptables -w -I INPUT -p tcp --dport "$1" -m comment --comment "$tag" -j ACCEPT ||
      fail "'iptables -I INPUT -p tcp --dport $1 -m comment --comment $tag -j ACCEPT' failed"
    echo "$1 added"
  fi
}}
{}"#,
        port_calls("open_port", ports)
    )
}

const IPTABLES_LIST: &str = r#"rules=$(iptables -w -S INPUT 2>/dev/null) || { iptables -w -S INPUT >/dev/null; fail "'iptables -S INPUT' failed"; }
printf '%s\n' "$rules" | awk -v tag="$tag" '{AWK}' | sort -u -n | sed 's/$/ present/'
"#;

/// Deletes by rule specification (the `-S` line with `-A` dropped), not by rule number, so a
/// rule inserted by someone else meanwhile cannot be hit. Tags hold no spaces or quotes, so the
/// line splits into the same words iptables was given.
const IPTABLES_CLOSE: &str = r#"rules=$(iptables -w -S INPUT 2>/dev/null) || { iptables -w -S INPUT >/dev/null; fail "'iptables -S INPUT' failed"; }
ports=$(printf '%s\n' "$rules" | awk -v tag="$tag" '{AWK}' | sort -u -n)
tagged=$(printf '%s\n' "$rules" | grep -F -e "--comment $tag " -e "--comment \"$tag\" " | tr -d '"')
set -f
while read -r line; do
  [ -n "$line" ] || continue
  set -- $line
  shift 2
  iptables -w -D INPUT "$@" || fail "'iptables -D INPUT $*' failed"
done <<EOF
$tagged
EOF
set +f
for port in $ports; do echo "$port removed"; done
"#;

fn ufw_open(ports: &[u16]) -> String {
    format!(
        r#"open_port() {{
  out=$(ufw allow "$1/tcp" comment "$tag" 2>&1 </dev/null) || fail "'ufw allow $1/tcp comment $tag' failed: $out"
  case $out in
    *"Rule added"* | *"Rule updated"*) echo "$1 added" ;;
    *) echo "$1 present" ;;
  esac
}}
{}"#,
        port_calls("open_port", ports)
    )
}

const UFW_LIST: &str = r#"rules=$(ufw status 2>&1) || fail "'ufw status' failed: $rules"
printf '%s\n' "$rules" | awk -v tag="$tag" '{AWK}' | sort -u -n | sed 's/$/ present/'
"#;

const UFW_CLOSE: &str = r#"rules=$(ufw status 2>&1) || fail "'ufw status' failed: $rules"
for port in $(printf '%s\n' "$rules" | awk -v tag="$tag" '{AWK}' | sort -u -n); do
  out=$(ufw delete allow "$port/tcp" 2>&1 </dev/null) || fail "'ufw delete allow $port/tcp' failed: $out"
  echo "$port removed"
done
"#;

/// `fw_query ARGS`: runs `firewall-cmd ARGS` (a `--query-*`), returning 0 (yes) or 1 (no) and
/// failing on any other exit code.
const FIREWALLD_QUERY: &str = r#"fw_query() {
  firewall-cmd "$@" >/dev/null 2>&1
  rc=$?
  [ "$rc" -le 1 ] && return "$rc"
  firewall-cmd "$@" >/dev/null
  fail "'firewall-cmd $*' failed (exit $rc)"
}
"#;

fn firewalld_record(tag: &str) -> String {
    format!(
        "records=${{RMQCTL_FIREWALLD_RECORDS:-{FIREWALLD_RECORD_DIR}}}\nrecord=\"$records/{tag}.ports\"\n"
    )
}

fn firewalld_open(ports: &[u16], tag: &str) -> String {
    format!(
        r#"{}{FIREWALLD_QUERY}mkdir -p "$records" || fail "cannot create $records"
open_port() {{
  state=present
  if ! fw_query --permanent --query-port="$1/tcp"; then
    firewall-cmd --permanent --add-port="$1/tcp" >/dev/null || fail "'firewall-cmd --permanent --add-port=$1/tcp' failed"
    grep -q -x "$1" "$record" 2>/dev/null || echo "$1" >>"$record" || fail "cannot write $record"
    state=added
  fi
  if ! fw_query --query-port="$1/tcp"; then
    firewall-cmd --add-port="$1/tcp" >/dev/null || fail "'firewall-cmd --add-port=$1/tcp' failed"
    state=added
  fi
  echo "$1 $state"
}}
{}"#,
        firewalld_record(tag),
        port_calls("open_port", ports)
    )
}

fn firewalld_list(tag: &str) -> String {
    format!(
        r#"{}{FIREWALLD_QUERY}[ -e "$record" ] || exit 0
for port in $(sort -u -n "$record"); do
  if fw_query --query-port="$port/tcp"; then echo "$port present"; fi
done
"#,
        firewalld_record(tag)
    )
}

fn firewalld_close(tag: &str) -> String {
    format!(
        r#"{}{FIREWALLD_QUERY}[ -e "$record" ] || exit 0
for port in $(sort -u -n "$record"); do
  if fw_query --permanent --query-port="$port/tcp"; then
    firewall-cmd --permanent --remove-port="$port/tcp" >/dev/null || fail "'firewall-cmd --permanent --remove-port=$port/tcp' failed"
  fi
  if fw_query --query-port="$port/tcp"; then
    firewall-cmd --remove-port="$port/tcp" >/dev/null || fail "'firewall-cmd --remove-port=$port/tcp' failed"
  fi
  echo "$port removed"
done
rm -f "$record" || fail "cannot remove $record"
"#,
        firewalld_record(tag)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;
    use std::process::{Command, Stdio};

    const TAG: &str = "rmqctl:DefaultCluster";

    fn all_scripts() -> Vec<(String, String)> {
        let mut scripts = vec![("detect".to_string(), detect_script().to_string())];
        for b in FirewallBackend::ALL {
            scripts.push((
                format!("open {b}"),
                open_script(b, &[10911, 9876], TAG).unwrap(),
            ));
            scripts.push((format!("close {b}"), close_script(b, TAG).unwrap()));
            scripts.push((format!("list {b}"), list_script(b, TAG).unwrap()));
        }
        scripts
    }

    /// `sh -n` (dash on Debian) parses every generated script: a syntax error in a backend the
    /// test bed cannot run (firewalld, ufw) shows up here.
    #[test]
    fn every_script_parses_as_posix_sh() {
        for (what, script) in all_scripts() {
            let mut child = Command::new("sh")
                .arg("-n")
                .stdin(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .expect("run sh -n");
            child
                .stdin
                .take()
                .unwrap()
                .write_all(script.as_bytes())
                .unwrap();
            let out = child.wait_with_output().unwrap();
            assert!(
                out.status.success(),
                "{what}: sh -n failed: {}\n{script}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
    }

    #[test]
    fn every_script_sets_path_and_ends_cleanly() {
        for (what, script) in all_scripts() {
            assert!(
                script
                    .contains("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"),
                "{what}"
            );
            let end = if what == "detect" {
                "echo none\n"
            } else {
                "exit 0\n"
            };
            assert!(script.ends_with(end), "{what}");
        }
    }

    #[test]
    fn open_nftables_inserts_tagged_accept_rules_per_port_sorted_and_deduplicated() {
        let s = open_script(FirewallBackend::Nftables, &[10911, 9876, 10911], TAG).unwrap();
        assert!(s.contains("tag='rmqctl:DefaultCluster'\n"));
        assert!(s.contains(
            r#"nft insert rule "$fam" "$tbl" "$chain" tcp dport "$1" accept comment "\"$tag\"""#
        ));
        assert!(s.contains(r#"grep -F -q "tcp dport $1 accept comment \"$tag\"""#));
        assert!(
            s.ends_with("open_port 9876\nopen_port 10911\nexit 0\n"),
            "{s}"
        );
        assert_eq!(s.matches("open_port 10911").count(), 1);
    }

    #[test]
    fn open_iptables_checks_before_inserting() {
        let s = open_script(FirewallBackend::Iptables, &[10911], TAG).unwrap();
        assert!(s.contains(
            r#"iptables -w -C INPUT -p tcp --dport "$1" -m comment --comment "$tag" -j ACCEPT"#
        ));
        assert!(s.contains(
            r#"iptables -w -I INPUT -p tcp --dport "$1" -m comment --comment "$tag" -j ACCEPT"#
        ));
        assert!(s.ends_with("open_port 10911\nexit 0\n"));
    }

    #[test]
    fn open_firewalld_adds_permanent_and_runtime_port_and_records_it() {
        let s = open_script(FirewallBackend::Firewalld, &[9876], TAG).unwrap();
        assert!(s.contains(r#"firewall-cmd --permanent --add-port="$1/tcp""#));
        assert!(s.contains(r#"firewall-cmd --add-port="$1/tcp""#));
        assert!(s.contains(r#"fw_query --permanent --query-port="$1/tcp""#));
        assert!(s.contains("records=${RMQCTL_FIREWALLD_RECORDS:-/var/lib/rmqctl/firewalld}\n"));
        assert!(s.contains("record=\"$records/rmqctl:DefaultCluster.ports\"\n"));
        assert!(s.ends_with("open_port 9876\nexit 0\n"));
    }

    #[test]
    fn open_ufw_allows_with_comment() {
        let s = open_script(FirewallBackend::Ufw, &[9876, 10911], TAG).unwrap();
        assert!(s.contains(r#"ufw allow "$1/tcp" comment "$tag""#));
        assert!(s.ends_with("open_port 9876\nopen_port 10911\nexit 0\n"));
    }

    #[test]
    fn close_scripts_use_each_backends_delete_command() {
        let cases = [
            (
                FirewallBackend::Nftables,
                r#"nft delete rule "$fam" "$tbl" "$chain" handle "$handle""#,
            ),
            (FirewallBackend::Iptables, r#"iptables -w -D INPUT "$@""#),
            (FirewallBackend::Ufw, r#"ufw delete allow "$port/tcp""#),
            (
                FirewallBackend::Firewalld,
                r#"firewall-cmd --permanent --remove-port="$port/tcp""#,
            ),
        ];
        for (backend, command) in cases {
            let s = close_script(backend, TAG).unwrap();
            assert!(s.contains(command), "{backend}: {s}");
            assert!(s.contains("tag='rmqctl:DefaultCluster'"), "{backend}");
        }
    }

    #[test]
    fn none_backend_scripts_do_nothing() {
        let open = open_script(FirewallBackend::None, &[9876], TAG).unwrap();
        assert!(
            open.ends_with("tag='rmqctl:DefaultCluster'\nexit 0\n"),
            "{open}"
        );
        for s in [
            close_script(FirewallBackend::None, TAG).unwrap(),
            list_script(FirewallBackend::None, TAG).unwrap(),
        ] {
            assert!(!s.contains("nft ") && !s.contains("iptables ") && !s.contains("ufw "));
        }
    }

    #[test]
    fn detect_checks_backends_in_order() {
        let s = detect_script();
        let at = |needle: &str| s.find(needle).unwrap_or_else(|| panic!("{needle} in {s}"));
        assert!(at("firewall-cmd --state") < at("ufw status"));
        assert!(at("ufw status") < at("nft list ruleset"));
        assert!(at("nft list ruleset") < at("iptables -w -S INPUT"));
        assert!(at("iptables -w -S INPUT") < at("echo none"));
        assert!(s.contains("grep -v -x -e 'ip filter INPUT' -e 'ip6 filter INPUT'"));
    }

    #[test]
    fn bad_tags_and_port_zero_are_refused() {
        for tag in ["", "rmqctl cluster", "x'y", "a\"b", "a;b", &"x".repeat(65)] {
            let err = open_script(FirewallBackend::Nftables, &[1], tag).unwrap_err();
            assert!(matches!(err, FirewallError::BadTag { .. }), "{tag:?}");
            assert!(close_script(FirewallBackend::Iptables, tag).is_err());
            assert!(list_script(FirewallBackend::Ufw, tag).is_err());
        }
        assert_eq!(
            open_script(FirewallBackend::Iptables, &[9876, 0], TAG),
            Err(FirewallError::PortZero)
        );
        assert!(open_script(FirewallBackend::Iptables, &[], "rmqctl:a.b_c-9").is_ok());
    }

    #[test]
    fn parse_detect_reads_every_backend_word() {
        for b in FirewallBackend::ALL {
            assert_eq!(parse_detect(&format!("{}\n", b.name())), Ok(b));
        }
        assert!(matches!(
            parse_detect("nftables\niptables\n"),
            Err(FirewallError::UnknownBackend { .. })
        ));
        assert!(parse_detect("").is_err());
        assert!(parse_detect("NFTABLES").is_err());
    }

    #[test]
    fn persistence_per_backend() {
        assert!(FirewallBackend::Firewalld.persistent());
        assert!(FirewallBackend::Ufw.persistent());
        assert!(!FirewallBackend::Nftables.persistent());
        assert!(!FirewallBackend::Iptables.persistent());
        assert!(FirewallBackend::None.persistent());
    }

    #[test]
    fn parse_report_reads_lines_and_names_the_bad_one() {
        let report = parse_report("9876 added\n\n10911 present\n10912 removed\n").unwrap();
        assert_eq!(
            report,
            vec![
                PortChange {
                    port: 9876,
                    change: Change::Added
                },
                PortChange {
                    port: 10911,
                    change: Change::Present
                },
                PortChange {
                    port: 10912,
                    change: Change::Removed
                },
            ]
        );
        assert_eq!(parse_report(""), Ok(vec![]));
        for (bad, line_no) in [
            ("9876 added\n10911 opened\n", 2),
            ("0 added\n", 1),
            ("70000 added\n", 1),
            ("9876\n", 1),
            ("9876 added now\n", 1),
        ] {
            match parse_report(bad) {
                Err(FirewallError::BadReportLine { line_no: n, .. }) => assert_eq!(n, line_no),
                other => panic!("{bad:?} gave {other:?}"),
            }
        }
    }

    #[test]
    fn parse_list_accepts_only_present_lines() {
        assert_eq!(
            parse_list("10911 present\n9876 present\n9876 present\n"),
            Ok(vec![9876, 10911])
        );
        assert!(parse_list("9876 added\n").is_err());
    }

    /// The awk programs run here on captured listings (real output of nft 1.0.6 and iptables
    /// 1.8.9 on the test bed), so their parsing is checked without root.
    fn run_awk(program: &str, tag: &str, input: &str) -> String {
        let mut child = Command::new("awk")
            .args(["-v", &format!("tag={tag}"), program])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("run awk");
        child
            .stdin
            .take()
            .unwrap()
            .write_all(input.as_bytes())
            .unwrap();
        let out = child.wait_with_output().unwrap();
        assert!(out.status.success());
        String::from_utf8(out.stdout).unwrap()
    }

    const NFT_RULESET: &str = "table inet filter {
\tchain input {
\t\ttype filter hook input priority filter; policy drop;
\t\ttcp dport 10911 accept comment \"rmqctl:DefaultCluster\"
\t\tiif \"lo\" accept
\t}

\tchain output {
\t\ttype filter hook output priority filter; policy accept;
\t}
}
table ip extra {
\tchain in {
\t\ttype filter hook input priority 10; policy accept;
\t\tip saddr 10.0.0.9 counter packets 0 bytes 0 reject
\t}
\tchain open {
\t\ttype filter hook input priority 20; policy accept;
\t\ttcp dport 22 accept
\t}
\tchain natin {
\t\ttype nat hook input priority 100; policy accept;
\t}
}
table ip filter {
\tchain INPUT {
\t\ttype filter hook input priority filter; policy drop;
\t}
}
table arp guard {
\tchain input {
\t\ttype filter hook input priority filter; policy drop;
\t}
}
";

    #[test]
    fn nft_awk_finds_dropping_input_base_chains() {
        assert_eq!(
            run_awk(NFT_DROPPING_INPUT_CHAINS_AWK, TAG, NFT_RULESET),
            "inet filter input\nip extra in\nip filter INPUT\n"
        );
    }

    #[test]
    fn nft_awk_finds_rules_with_exactly_the_tag() {
        let listing = "table inet filter { # handle 1
\tchain input { # handle 1
\t\ttype filter hook input priority filter; policy drop;
\t\ttcp dport 9876 accept comment \"rmqctl:DefaultCluster\" # handle 8
\t\ttcp dport 10911 accept comment \"rmqctl:DefaultClusterB\" # handle 7
\t\ttcp dport { 1, 2 } accept comment \"rmqctl:DefaultCluster\" # handle 9
\t\tiif \"lo\" accept # handle 4
\t}
}
";
        assert_eq!(
            run_awk(NFT_TAGGED_RULES_AWK, TAG, listing),
            "inet filter input 8 9876\ninet filter input 9 \n"
        );
    }

    #[test]
    fn iptables_awk_reads_quoted_and_bare_comments() {
        let listing = "-P INPUT DROP
-A INPUT -p tcp -m tcp --dport 10911 -m comment --comment \"rmqctl:DefaultCluster\" -j ACCEPT
-A INPUT -p tcp -m tcp --dport 9876 -m comment --comment rmqctl:DefaultCluster -j ACCEPT
-A INPUT -p tcp -m tcp --dport 10912 -m comment --comment \"rmqctl:Other\" -j ACCEPT
-A INPUT -i lo -j ACCEPT
";
        assert_eq!(run_awk(IPT_TAGGED_PORTS_AWK, TAG, listing), "10911\n9876\n");
    }

    #[test]
    fn ufw_awk_reads_v4_and_v6_lines_with_the_tag() {
        let status = "Status: active

To                         Action      From
--                         ------      ----
22/tcp                     ALLOW       Anywhere
10911/tcp                  ALLOW       Anywhere                   # rmqctl:DefaultCluster
9876/tcp                   ALLOW       Anywhere                   # rmqctl:DefaultClusterB
10911/tcp (v6)             ALLOW       Anywhere (v6)              # rmqctl:DefaultCluster
";
        assert_eq!(run_awk(UFW_TAGGED_PORTS_AWK, TAG, status), "10911\n10911\n");
    }

    /// firewalld and ufw do not run on the test bed, so their scripts run here against stand-ins:
    /// small sh scripts that keep the rules in files and answer like the real tools (output and
    /// exit codes of firewall-cmd 1.3 and ufw 0.36). This checks the scripts' own logic:
    /// idempotence, the firewalld record, the reports. Skipped where the real tool is installed,
    /// since the scripts put the system dirs first on PATH and would change the real firewall.
    fn stand_in(name: &str, body: &str) -> Option<tempfile::TempDir> {
        use std::os::unix::fs::PermissionsExt;
        let system = [
            "/usr/local/sbin",
            "/usr/local/bin",
            "/usr/sbin",
            "/usr/bin",
            "/sbin",
            "/bin",
        ];
        if system
            .iter()
            .any(|d| std::path::Path::new(d).join(name).exists())
        {
            eprintln!("skipping: a real {name} is installed here");
            return None;
        }
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(name);
        std::fs::write(&path, body).unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
        Some(dir)
    }

    fn run_in(dir: &std::path::Path, script: &str) -> String {
        let out = Command::new("sh")
            .arg("-c")
            .arg(script)
            .env("PATH", format!("/usr/bin:/bin:{}", dir.display()))
            .env("STUB_STATE", dir)
            .env("RMQCTL_FIREWALLD_RECORDS", dir.join("records"))
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}\n{script}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    fn read_state(dir: &std::path::Path, file: &str) -> String {
        std::fs::read_to_string(dir.join(file)).unwrap_or_default()
    }

    const FIREWALL_CMD_STAND_IN: &str = r#"#!/bin/sh
file=$STUB_STATE/runtime
if [ "$1" = --permanent ]; then file=$STUB_STATE/permanent; shift; fi
case $1 in
  --state) echo running ;;
  --query-port=*) if grep -q -x "${1#*=}" "$file" 2>/dev/null; then echo yes; else echo no; exit 1; fi ;;
  --add-port=*) echo "${1#*=}" >>"$file"; echo success ;;
  --remove-port=*) grep -v -x "${1#*=}" "$file" >"$file.new"; mv "$file.new" "$file"; echo success ;;
  *) echo "stand-in firewall-cmd: unexpected $*" >&2; exit 2 ;;
esac
"#;

    #[test]
    fn firewalld_scripts_open_idempotently_and_close_only_what_they_opened() {
        let Some(dir) = stand_in("firewall-cmd", FIREWALL_CMD_STAND_IN) else {
            return;
        };
        let dir = dir.path();
        // An operator opened 9876 before rmqctl came.
        std::fs::write(dir.join("permanent"), "9876/tcp\n").unwrap();
        std::fs::write(dir.join("runtime"), "9876/tcp\n").unwrap();
        let b = FirewallBackend::Firewalld;
        assert_eq!(parse_detect(&run_in(dir, detect_script())), Ok(b));
        let open = open_script(b, &[9876, 10911], TAG).unwrap();
        assert_eq!(run_in(dir, &open), "9876 present\n10911 added\n");
        assert_eq!(read_state(dir, "permanent"), "9876/tcp\n10911/tcp\n");
        assert_eq!(read_state(dir, "runtime"), "9876/tcp\n10911/tcp\n");
        assert_eq!(run_in(dir, &open), "9876 present\n10911 present\n");
        assert_eq!(read_state(dir, "permanent"), "9876/tcp\n10911/tcp\n");
        let list = list_script(b, TAG).unwrap();
        assert_eq!(parse_list(&run_in(dir, &list)), Ok(vec![10911]));
        let close = close_script(b, TAG).unwrap();
        assert_eq!(run_in(dir, &close), "10911 removed\n");
        assert_eq!(read_state(dir, "permanent"), "9876/tcp\n");
        assert_eq!(read_state(dir, "runtime"), "9876/tcp\n");
        assert!(!dir.join("records/rmqctl:DefaultCluster.ports").exists());
        assert_eq!(run_in(dir, &list), "");
        assert_eq!(run_in(dir, &close), "");
    }

    const UFW_STAND_IN: &str = r#"#!/bin/sh
rules=$STUB_STATE/ufw.rules
touch "$rules"
case $1 in
  status)
    printf 'Status: active\n\nTo                         Action      From\n--                         ------      ----\n'
    while read -r port comment; do
      line=$(printf '%-27s%-12s%s' "$port" ALLOW Anywhere)
      [ -z "$comment" ] || line=$(printf '%-66s# %s' "$line" "$comment")
      echo "$line"
    done <"$rules"
    while read -r port comment; do
      line=$(printf '%-27s%-12s%s' "$port (v6)" ALLOW "Anywhere (v6)")
      [ -z "$comment" ] || line=$(printf '%-66s# %s' "$line" "$comment")
      echo "$line"
    done <"$rules" ;;
  allow)
    if grep -q "^$2 " "$rules"; then
      printf 'Skipping adding existing rule\nSkipping adding existing rule (v6)\n'
    else
      echo "$2 $4" >>"$rules"; printf 'Rule added\nRule added (v6)\n'
    fi ;;
  delete)
    grep -v "^$3 " "$rules" >"$rules.new"; mv "$rules.new" "$rules"
    printf 'Rule deleted\nRule deleted (v6)\n' ;;
  *) echo "stand-in ufw: unexpected $*" >&2; exit 2 ;;
esac
"#;

    #[test]
    fn ufw_scripts_open_idempotently_list_and_close_by_comment() {
        let Some(dir) = stand_in("ufw", UFW_STAND_IN) else {
            return;
        };
        let dir = dir.path();
        std::fs::write(dir.join("ufw.rules"), "22/tcp \n8080/tcp rmqctl:Other\n").unwrap();
        let b = FirewallBackend::Ufw;
        assert_eq!(parse_detect(&run_in(dir, detect_script())), Ok(b));
        let open = open_script(b, &[10911, 9876], TAG).unwrap();
        assert_eq!(run_in(dir, &open), "9876 added\n10911 added\n");
        assert_eq!(run_in(dir, &open), "9876 present\n10911 present\n");
        let list = list_script(b, TAG).unwrap();
        assert_eq!(parse_list(&run_in(dir, &list)), Ok(vec![9876, 10911]));
        let close = close_script(b, TAG).unwrap();
        assert_eq!(run_in(dir, &close), "9876 removed\n10911 removed\n");
        assert_eq!(
            read_state(dir, "ufw.rules"),
            "22/tcp \n8080/tcp rmqctl:Other\n"
        );
        assert_eq!(run_in(dir, &list), "");
    }
}
