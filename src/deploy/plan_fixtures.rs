//! Deploy plans for the unit tests of plan and changes: the shipped 2m-2s-sync inventory with
//! extra tables appended, rendered (no error findings allowed) and planned with a stand-in binary.

use super::plan::{DeployPlan, FileSource};
use crate::render::lint::Severity;
use crate::render::pipeline::render_inventory;
use crate::render::templates::Templates;
use std::path::Path;
use std::sync::Arc;

/// The text of inventories/2m-2s-sync.toml.
pub fn sync_2m_2s_text() -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("inventories/2m-2s-sync.toml");
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{e}"))
}

/// The plan of 2m-2s-sync plus `extra` (TOML tables), written as `dir/file` so relative paths in
/// `extra` are read from `dir`.
pub fn sync_2m_2s_plan(dir: &Path, file: &str, extra: &str) -> DeployPlan {
    let path = dir.join(file);
    std::fs::write(&path, sync_2m_2s_text() + extra).unwrap_or_else(|e| panic!("{e}"));
    let out = render_inventory(&path, &Templates::embedded()).unwrap_or_else(|e| panic!("{e}"));
    let errors: Vec<_> = out
        .findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    DeployPlan::build(
        &out.plan,
        &out.files,
        FileSource::Bytes(Arc::from(&b"bin"[..])),
    )
}
