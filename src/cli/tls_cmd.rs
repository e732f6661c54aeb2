//! `rmqctl tls init DIR [--hosts INVENTORY]`: writes a private CA and one certificate per host
//! (its inventory name and address; local hosts also localhost and 127.0.0.1; good for serving
//! and for connecting to peers), in the layout the inventory's `[tls] dir` reads (`ca.pem`,
//! `HOST.pem`, `HOST-key.pem`, `client.pem`). Key files are created 0600; existing files are
//! never overwritten.

use super::InputError;
use crate::remoting::tls::issue::{CertificateAuthority, IssuedPem, Usage, Validity};
use anyhow::Context;
use std::io::Write;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

#[derive(Debug, clap::Subcommand)]
pub enum TlsCommand {
    /// Write a CA (ca.pem, ca-key.pem) and a certificate per host (HOST.pem, HOST-key.pem).
    Init(InitArgs),
}

#[derive(Debug, clap::Args)]
pub struct InitArgs {
    /// Directory to write into (created if missing; existing files are left alone: exit 2).
    pub dir: PathBuf,
    /// Inventory whose hosts get a certificate (name and address); default: one for localhost.
    #[arg(long = "hosts", value_name = "INVENTORY")]
    pub hosts: Option<PathBuf>,
    /// Days the host certificates are valid (the CA: ten times as long).
    #[arg(long, default_value_t = 365, value_parser = clap::value_parser!(u16).range(1..))]
    pub days: u16,
    /// Also write a client certificate (client.pem, client-key.pem) for `--tls-cert/--tls-key`.
    #[arg(long)]
    pub client: bool,
}

pub fn run(cmd: &TlsCommand) -> anyhow::Result<i32> {
    let TlsCommand::Init(args) = cmd;
    let hosts = match &args.hosts {
        Some(path) => inventory_hosts(path)?,
        None => vec![(
            "localhost".to_string(),
            vec!["localhost".to_string(), "127.0.0.1".to_string()],
        )],
    };
    std::fs::create_dir_all(&args.dir)
        .with_context(|| format!("cannot create {}", args.dir.display()))?;
    let days = i64::from(args.days);
    let ca = CertificateAuthority::generate("rmqctl cluster CA", Validity::days(days * 10))?;
    write_new(&args.dir.join("ca.pem"), &ca.cert_pem(), false)?;
    write_new(&args.dir.join("ca-key.pem"), &ca.key_pem(), true)?;
    for (host, names) in &hosts {
        let issued = ca.issue(names, Usage::Peer, Validity::days(days))?;
        write_pair(&args.dir, host, &issued)?;
        println!(
            "{host}: {} ({})",
            args.dir.join(format!("{host}.pem")).display(),
            names.join(", ")
        );
    }
    if args.client {
        let issued = ca.issue(
            &["rmqctl-admin".to_string()],
            Usage::Client,
            Validity::days(days),
        )?;
        write_pair(&args.dir, "client", &issued)?;
    }
    println!(
        "CA: {} (keep {} offline; it signs new certificates)",
        args.dir.join("ca.pem").display(),
        args.dir.join("ca-key.pem").display()
    );
    Ok(super::exit::OK)
}

fn write_pair(dir: &Path, name: &str, issued: &IssuedPem) -> anyhow::Result<()> {
    write_new(&dir.join(format!("{name}.pem")), &issued.cert_pem, false)?;
    write_new(&dir.join(format!("{name}-key.pem")), &issued.key_pem, true)
}

/// Creates `path` (never replaces one): keys 0600, certificates 0644.
fn write_new(path: &Path, text: &str, secret: bool) -> anyhow::Result<()> {
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(if secret { 0o600 } else { 0o644 })
        .open(path)
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::AlreadyExists => anyhow::Error::new(InputError(format!(
                "{} already exists; tls init never overwrites: choose an empty directory",
                path.display()
            ))),
            _ => anyhow::Error::new(e).context(format!("cannot create {}", path.display())),
        })?;
    file.write_all(text.as_bytes())
        .with_context(|| format!("cannot write {}", path.display()))
}

/// Each inventory host with the names its certificate carries: its name and its address.
fn inventory_hosts(path: &Path) -> anyhow::Result<Vec<(String, Vec<String>)>> {
    let loaded = crate::render::inventory::LoadedInventory::load(path)
        .map_err(|e| InputError(e.to_string()))?;
    let hosts: Vec<(String, Vec<String>)> = loaded
        .inventory
        .hosts
        .iter()
        .map(|(name, spec)| {
            let name = name.get_ref().clone();
            let mut names = vec![name.clone()];
            names.extend(spec.address.iter().cloned());
            if spec.local {
                // deploy and the brokers reach a local host at 127.0.0.1 unless it has an address
                names.extend(["localhost".to_string(), "127.0.0.1".to_string()]);
            }
            let mut seen = std::collections::HashSet::new();
            names.retain(|n| seen.insert(n.clone()));
            (name, names)
        })
        .collect();
    if hosts.is_empty() {
        return Err(InputError(format!(
            "{}: the inventory lists no [hosts]",
            path.display()
        ))
        .into());
    }
    Ok(hosts)
}
