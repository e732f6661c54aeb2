//! Replacing a small file's contents so that a crash leaves the old version or the new one,
//! never a mix: write a `<name>.tmp` sibling, give it the old file's permissions, rename it over.

use std::path::Path;

/// Replaces (or creates, with its directory) the file at `path` with `contents`.
pub fn replace_file(path: &Path, contents: &[u8]) -> std::io::Result<()> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(".tmp");
    let tmp = path.with_file_name(name);
    std::fs::write(&tmp, contents)?;
    if let Ok(old) = std::fs::metadata(path) {
        std::fs::set_permissions(&tmp, old.permissions())?;
    }
    std::fs::rename(&tmp, path)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn creates_then_replaces_keeping_permissions() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("conf/broker.properties");
        replace_file(&path, b"a=1\n").unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).unwrap();
        replace_file(&path, b"a=2\n").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"a=2\n");
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o640);
        assert!(!dir.path().join("conf/broker.properties.tmp").exists());
    }
}
