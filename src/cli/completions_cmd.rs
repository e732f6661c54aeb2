//! `rmqctl completions SHELL`: clap's completion scripts, extended for bash, zsh and fish so
//! that `-t/--topic` and `-g/--group` values complete from the live cluster ($NAMESRV_ADDR) or,
//! failing that, from the names the last `topic list` / `group list` saw (a small cache).
//! The hidden `rmqctl __complete topics|groups` prints those names.

use clap::CommandFactory;
use clap_complete::Shell;
use std::path::PathBuf;
use std::time::Duration;

#[derive(Debug, clap::Args)]
pub struct CompletionsArgs {
    #[arg(value_enum)]
    pub shell: Shell,
}

/// Which names `__complete` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum NameKind {
    Topics,
    Groups,
}

#[derive(Debug, clap::Args)]
pub struct CompleteArgs {
    #[arg(value_enum)]
    pub kind: NameKind,
    /// TLS for the live look-up; a shell passes no flags, so in practice `$RMQCTL_TLS*`.
    #[command(flatten)]
    pub tls: super::tls_args::TlsArgs,
    /// ACL account for the live look-up (`$RMQCTL_ACCESS_KEY`/`$RMQCTL_SECRET_KEY`).
    #[command(flatten)]
    pub credentials: super::credential_args::CredentialArgs,
}

/// The completion script for `shell`.
pub fn script(shell: Shell) -> String {
    let mut buf = Vec::new();
    clap_complete::generate(shell, &mut super::Cli::command(), "rmqctl", &mut buf);
    let text = String::from_utf8_lossy(&buf).into_owned();
    match shell {
        Shell::Bash => text + BASH_DYNAMIC,
        Shell::Zsh => zsh_dynamic(&text),
        Shell::Fish => fish_dynamic(&text),
        _ => text,
    }
}

const BASH_DYNAMIC: &str = r#"
# rmqctl: complete topic and group names from the cluster ($NAMESRV_ADDR) or the last listing.
_rmqctl_names() {
    local prev="${COMP_WORDS[COMP_CWORD-1]}" cur="${COMP_WORDS[COMP_CWORD]}"
    case "$prev" in
        -t|--topic) COMPREPLY=($(compgen -W "$(rmqctl __complete topics 2>/dev/null)" -- "$cur")); return 0 ;;
        -g|--group) COMPREPLY=($(compgen -W "$(rmqctl __complete groups 2>/dev/null)" -- "$cur")); return 0 ;;
    esac
    _rmqctl "$@"
}
if [[ "${BASH_VERSINFO[0]}" -eq 4 && "${BASH_VERSINFO[1]}" -ge 4 || "${BASH_VERSINFO[0]}" -gt 4 ]]; then
    complete -F _rmqctl_names -o nosort -o bashdefault -o default rmqctl
else
    complete -F _rmqctl_names -o bashdefault -o default rmqctl
fi
"#;

fn zsh_dynamic(text: &str) -> String {
    let helpers = "\n# rmqctl: topic and group names from the cluster ($NAMESRV_ADDR) or the last listing.\n\
_rmqctl_topics() { local -a names; names=(${(f)\"$(rmqctl __complete topics 2>/dev/null)\"}); compadd -a names }\n\
_rmqctl_groups() { local -a names; names=(${(f)\"$(rmqctl __complete groups 2>/dev/null)\"}); compadd -a names }\n";
    let body = text
        .replace(":TOPIC:_default", ":TOPIC:_rmqctl_topics")
        .replace(":GROUP:_default", ":GROUP:_rmqctl_groups");
    // Define the helpers before the script's final dispatch.
    match body.find("\nif [ \"$funcstack[1]\" = \"_rmqctl\" ]") {
        Some(at) => format!("{}{}{}", &body[..at], helpers, &body[at..]),
        None => body + helpers,
    }
}

fn fish_dynamic(text: &str) -> String {
    text.lines()
        .map(|line| {
            if line.contains(" -l topic ") && line.ends_with(" -r") {
                format!("{line} -f -a \"(rmqctl __complete topics 2>/dev/null)\"\n")
            } else if line.contains(" -l group ") && line.ends_with(" -r") {
                format!("{line} -f -a \"(rmqctl __complete groups 2>/dev/null)\"\n")
            } else {
                format!("{line}\n")
            }
        })
        .collect()
}

/// `rmqctl completions SHELL`.
pub fn run(args: &CompletionsArgs) -> anyhow::Result<i32> {
    crate::output::emit(&script(args.shell));
    Ok(0)
}

/// `rmqctl __complete topics|groups`: live names when $NAMESRV_ADDR answers quickly, else cached.
pub fn run_complete(args: &CompleteArgs) -> anyhow::Result<i32> {
    let names = live_names(args).unwrap_or_else(|| cached_names(args.kind));
    let mut text = names.join("\n");
    text.push('\n');
    crate::output::emit(&text);
    Ok(0)
}

/// Names from the cluster at $NAMESRV_ADDR, over TLS and signed when `$RMQCTL_TLS*` and
/// `$RMQCTL_ACCESS_KEY`/`$RMQCTL_SECRET_KEY` say so; `None` (use the cache) on any failure.
fn live_names(args: &CompleteArgs) -> Option<Vec<String>> {
    let kind = args.kind;
    let addrs = std::env::var(super::connect_args::NAMESRV_ADDR_ENV).ok()?;
    let set = crate::admin::namesrv_set::NamesrvSet::parse(&addrs).ok()?;
    let tls = args.tls.connector().ok()?;
    let mut admin = crate::admin::Admin::with_tls(set, Duration::from_millis(500), tls);
    if let Some(hook) = args.credentials.hook().ok()? {
        admin.client = admin.client.with_hook(hook);
    }
    let names = super::connect_args::block_on(async {
        match kind {
            NameKind::Topics => admin.topic_list(None).await.ok(),
            NameKind::Groups => admin
                .group_list(false)
                .await
                .ok()
                .map(|g| g.into_iter().map(|g| g.group).collect()),
        }
    })
    .ok()??;
    remember_names(kind_file(kind), &names);
    Some(names)
}

fn kind_file(kind: NameKind) -> &'static str {
    match kind {
        NameKind::Topics => "topics",
        NameKind::Groups => "groups",
    }
}

fn cache_dir() -> Option<PathBuf> {
    std::env::var_os("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))
        .map(|d| d.join("rmqctl"))
}

/// Remember names for completion (best effort; failures are ignored).
pub fn remember_names(file: &str, names: &[String]) {
    if let Some(dir) = cache_dir() {
        let _ = std::fs::create_dir_all(&dir);
        let _ = std::fs::write(dir.join(file), names.join("\n"));
    }
}

fn cached_names(kind: NameKind) -> Vec<String> {
    cache_dir()
        .and_then(|d| std::fs::read_to_string(d.join(kind_file(kind))).ok())
        .map(|t| t.lines().map(str::to_string).collect())
        .unwrap_or_default()
}
