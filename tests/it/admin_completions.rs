//! Shell completion: the clap definition is consistent, the scripts kept in completions/ match
//! what the binary generates (regenerate with `RMQCTL_UPDATE_COMPLETIONS=1 cargo test --test
//! it admin_completions`), and topic/group names complete from the cache `topic list` fills.

use crate::common;

use clap::CommandFactory;
use clap_complete::Shell;
use rmqctl::cli::completions_cmd::script;
use std::path::Path;

const FILES: &[(Shell, &str)] = &[
    (Shell::Bash, "rmqctl.bash"),
    (Shell::Zsh, "_rmqctl"),
    (Shell::Fish, "rmqctl.fish"),
    (Shell::Elvish, "rmqctl.elv"),
    (Shell::PowerShell, "_rmqctl.ps1"),
];

#[test]
fn cli_definition_passes_clap_debug_asserts() {
    rmqctl::cli::Cli::command().debug_assert();
}

#[test]
fn completion_files_are_fresh() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("completions");
    let update = std::env::var("RMQCTL_UPDATE_COMPLETIONS").as_deref() == Ok("1");
    let mut stale = Vec::new();
    for (shell, file) in FILES {
        let want = script(*shell);
        let path = dir.join(file);
        if update {
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(&path, &want).unwrap();
        } else if std::fs::read_to_string(&path).ok().as_deref() != Some(want.as_str()) {
            stale.push(file.to_string());
        }
    }
    assert!(
        stale.is_empty(),
        "stale completion scripts {stale:?}; run RMQCTL_UPDATE_COMPLETIONS=1 cargo test --test it admin_completions"
    );
}

#[test]
fn topic_and_group_values_complete_dynamically() {
    assert!(script(Shell::Bash).contains("rmqctl __complete topics"));
    assert!(script(Shell::Zsh).contains(":TOPIC:_rmqctl_topics"));
    assert!(script(Shell::Zsh).contains(":GROUP:_rmqctl_groups"));
    let fish = script(Shell::Fish);
    assert!(
        fish.lines()
            .any(|l| l.contains("-l topic") && l.contains("__complete topics")),
        "{fish}"
    );
}

#[test]
fn complete_prints_cached_names() {
    let cache = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(cache.path().join("rmqctl")).unwrap();
    std::fs::write(cache.path().join("rmqctl/topics"), "Orders\nTopicTest").unwrap();
    let out = common::rmqctl_command()
        .args(["__complete", "topics"])
        .env("XDG_CACHE_HOME", cache.path())
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stdout), "Orders\nTopicTest\n");
}
