//! Writing a render: all files go into a temporary directory next to the output directory,
//! which then replaces it in one rename, so a render is never half-written. Also `--diff`.

use std::path::{Path, PathBuf};

use super::templates::RenderedFile;

/// The marker file that identifies a directory written by `rmqctl render`.
pub const MARKER: &str = ".rmqctl-render";

/// Why a render could not be written or compared.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error("{path}: {action}: {source}")]
    Io {
        path: PathBuf,
        action: &'static str,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}: exists, is not empty and was not written by `rmqctl render` (no {MARKER}); nothing was written. Choose a new or empty directory")]
    NotARenderDir { path: PathBuf },
    #[error("{path}: exists and is not a directory; nothing was written")]
    NotADirectory { path: PathBuf },
}

fn io(path: &Path, action: &'static str) -> impl FnOnce(std::io::Error) -> WriteError {
    let path = path.to_path_buf();
    move |source| WriteError::Io {
        path,
        action,
        source,
    }
}

/// Replaces `out` with exactly `files` (plus the marker), or leaves it untouched on error.
pub fn write_atomically(out: &Path, files: &[RenderedFile]) -> Result<(), WriteError> {
    check_replaceable(out)?;
    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&parent).map_err(io(&parent, "cannot create the parent directory"))?;
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "render".into());
    let staging = create_staging_dir(&parent, &name)?;
    if let Err(e) = fill_staging_dir(&staging, files) {
        let _ = std::fs::remove_dir_all(&staging);
        return Err(e);
    }
    swap_in(staging, out, &parent, &name)
}

/// A fresh `.<name>.tmp-<pid>-<n>` directory next to the output directory.
fn create_staging_dir(parent: &Path, name: &str) -> Result<PathBuf, WriteError> {
    let mut attempt = 0u32;
    loop {
        let path = parent.join(format!(".{name}.tmp-{}-{attempt}", std::process::id()));
        match std::fs::create_dir(&path) {
            Ok(()) => return Ok(path),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && attempt < 100 => {
                attempt += 1
            }
            Err(e) => return Err(io(&path, "cannot create a temporary directory")(e)),
        }
    }
}

fn fill_staging_dir(staging: &Path, files: &[RenderedFile]) -> Result<(), WriteError> {
    for file in files {
        let path = staging.join(&file.path);
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(io(dir, "cannot create directory"))?;
        }
        std::fs::write(&path, &file.contents).map_err(io(&path, "cannot write"))?;
        if is_secret_file(&file.path) {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600))
                .map_err(io(&path, "cannot make private"))?;
        }
    }
    let marker = staging.join(MARKER);
    std::fs::write(
        &marker,
        "written by rmqctl render; the whole directory is replaced on each render\n",
    )
    .map_err(io(&marker, "cannot write"))
}

/// What `--diff` shows of a changed secret file instead of its lines.
const SECRET_CHANGED: &str = " (secret: contents not shown)\n";

/// Whether a rendered file holds secrets (the ACL file, TLS keys and password, gateway.toml
/// with its bearer tokens): written 0600 and never shown by `--diff`.
pub fn is_secret_file(path: &Path) -> bool {
    super::acl::is_secret_file(path)
        || super::tls::is_secret_file(path)
        || super::gateway::is_secret_file(path)
}

/// Moves the staged directory to `out`, keeping the previous render until the rename succeeded.
fn swap_in(staged: PathBuf, out: &Path, parent: &Path, name: &str) -> Result<(), WriteError> {
    let cleanup = |e: WriteError| {
        let _ = std::fs::remove_dir_all(&staged);
        e
    };
    if !out.exists() {
        return std::fs::rename(&staged, out)
            .map_err(io(out, "cannot rename the staged render into place"))
            .map_err(cleanup);
    }
    let old = parent.join(format!(".{name}.old-{}", std::process::id()));
    std::fs::rename(out, &old)
        .map_err(io(out, "cannot move the previous render aside"))
        .map_err(cleanup)?;
    if let Err(e) = std::fs::rename(&staged, out) {
        let _ = std::fs::rename(&old, out);
        return Err(cleanup(io(
            out,
            "cannot rename the staged render into place",
        )(e)));
    }
    std::fs::remove_dir_all(&old).map_err(io(&old, "cannot remove the previous render"))
}

fn check_replaceable(out: &Path) -> Result<(), WriteError> {
    if !out.exists() {
        return Ok(());
    }
    if !out.is_dir() {
        return Err(WriteError::NotADirectory {
            path: out.to_path_buf(),
        });
    }
    let empty = std::fs::read_dir(out)
        .map_err(io(out, "cannot list"))?
        .next()
        .is_none();
    if empty || out.join(MARKER).exists() {
        Ok(())
    } else {
        Err(WriteError::NotARenderDir {
            path: out.to_path_buf(),
        })
    }
}

/// How one file differs from an earlier render.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileDiff {
    pub path: PathBuf,
    /// Unified-style text: `--- old`, `+++ new`, then ` `, `-` and `+` lines.
    pub text: String,
}

/// Compares `files` with the render in `dir`; unchanged files are left out.
pub fn diff_against(dir: &Path, files: &[RenderedFile]) -> Result<Vec<FileDiff>, WriteError> {
    if !dir.is_dir() {
        return Err(WriteError::Io {
            path: dir.to_path_buf(),
            action: "cannot compare with an earlier render",
            source: std::io::Error::new(std::io::ErrorKind::NotFound, "not a directory"),
        });
    }
    let mut diffs = Vec::new();
    for file in files {
        let old_path = dir.join(&file.path);
        let old = match std::fs::read_to_string(&old_path) {
            Ok(text) => Some(text),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(e) => return Err(io(&old_path, "cannot read")(e)),
        };
        if old.as_deref() == Some(file.contents.as_str()) {
            continue;
        }
        let old_name = if old.is_some() {
            old_path.display().to_string()
        } else {
            "/dev/null".into()
        };
        let header = format!("--- {old_name}\n+++ {} (new)\n", file.path.display());
        let body = if is_secret_file(&file.path) {
            SECRET_CHANGED.to_string()
        } else {
            line_diff(old.as_deref().unwrap_or(""), &file.contents)
        };
        diffs.push(FileDiff {
            path: file.path.clone(),
            text: header + &body,
        });
    }
    for old in list_files(dir, dir)? {
        if !files.iter().any(|f| f.path == old) {
            let text = if is_secret_file(&old) {
                String::new()
            } else {
                std::fs::read_to_string(dir.join(&old)).unwrap_or_default()
            };
            diffs.push(FileDiff {
                text: format!("--- {}\n+++ /dev/null\n", dir.join(&old).display())
                    + &line_diff(&text, ""),
                path: old,
            });
        }
    }
    Ok(diffs)
}

fn list_files(root: &Path, dir: &Path) -> Result<Vec<PathBuf>, WriteError> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(io(dir, "cannot list"))? {
        let path = entry.map_err(io(dir, "cannot list"))?.path();
        if path.is_dir() {
            out.extend(list_files(root, &path)?);
        } else if path.file_name().is_some_and(|n| n != MARKER) {
            out.push(path.strip_prefix(root).unwrap_or(&path).to_path_buf());
        }
    }
    out.sort();
    Ok(out)
}

/// A line diff (longest common subsequence): ` ` kept, `-` removed, `+` added.
pub fn line_diff(old: &str, new: &str) -> String {
    let a: Vec<&str> = old.lines().collect();
    let b: Vec<&str> = new.lines().collect();
    let mut lcs = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for i in (0..a.len()).rev() {
        for j in (0..b.len()).rev() {
            lcs[i][j] = if a[i] == b[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let (mut i, mut j) = (0, 0);
    let mut out = String::new();
    while i < a.len() || j < b.len() {
        if i < a.len() && j < b.len() && a[i] == b[j] {
            out.push_str(&format!(" {}\n", a[i]));
            i += 1;
            j += 1;
        } else if i < a.len() && (j == b.len() || lcs[i + 1][j] >= lcs[i][j + 1]) {
            out.push_str(&format!("-{}\n", a[i]));
            i += 1;
        } else {
            out.push_str(&format!("+{}\n", b[j]));
            j += 1;
        }
    }
    out
}
