//! The steps shared by `rmqctl render` and `rmqctl check`: load the inventory, derive the plan,
//! render the templates and lint the result; and the lint of existing Apache properties files.

use std::path::Path;

use super::derive::{derive, ClusterPlan};
use super::inventory::LoadedInventory;
use super::lint::{self, BrokerFile, ClusterContext, Finding, Severity};
use super::templates::{RenderedFile, TemplateError, Templates};
use crate::apache_config::properties::{Pos, Properties, PropertiesError};

/// A rendered inventory and what the lint found in it.
pub struct RenderOutput {
    pub plan: ClusterPlan,
    pub files: Vec<RenderedFile>,
    /// Findings on the rendered files (warnings only when the render is usable).
    pub findings: Vec<Finding>,
}

/// Why an inventory could not be rendered.
#[derive(Debug, thiserror::Error)]
pub enum PipelineError {
    /// The inventory is unreadable or invalid; each finding says where.
    #[error("{} problem(s) in the inventory", .0.len())]
    Inventory(Vec<Finding>),
    #[error(transparent)]
    Template(#[from] TemplateError),
}

/// Loads, derives, renders and lints an inventory.
pub fn render_inventory(path: &Path, templates: &Templates) -> Result<RenderOutput, PipelineError> {
    let inventory_error = |e| PipelineError::Inventory(lint::inventory_findings(&e));
    let loaded = LoadedInventory::load(path).map_err(inventory_error)?;
    let mut plan = derive(&loaded).map_err(inventory_error)?;
    let acl = loaded.inventory.acl.as_ref();
    if let Some(spec) = acl {
        super::acl::apply(&mut plan, spec);
    }
    let tls = loaded
        .inventory
        .tls
        .as_ref()
        .map(|spec| super::tls::apply(&loaded, spec, &mut plan));
    // After [tls]: the gateways connect to the cluster with what [tls] gave rmqctl; a host that
    // runs only a gateway needs a certificate only with [gateway] https (tls::serving_hosts).
    let gateway_tls = tls.as_ref().and_then(|t| t.gateway.as_ref());
    let gateway = loaded
        .inventory
        .gateway
        .as_ref()
        .map(|spec| super::gateway::apply(&loaded, spec, &mut plan, gateway_tls));
    let inventory_name = path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    let mut files = templates.render_plan(&plan, &inventory_name)?;
    let mut findings = lint::lint_plan(&plan, &files, &path.display().to_string());
    if let Some(spec) = acl {
        findings.extend(super::acl::lint(&loaded, spec));
        let contents = spec
            .plain_acl()
            .to_yaml()
            .map_err(|message| TemplateError::Render {
                name: super::acl::FILE_NAME.into(),
                target: "[acl]".into(),
                message,
            })?;
        files.push(RenderedFile {
            path: super::acl::FILE_NAME.into(),
            host: None,
            contents,
        });
    }
    if let Some(tls) = tls {
        findings.extend(tls.findings);
        files.extend(tls.files);
    }
    if let Some(gateway) = gateway {
        findings.extend(gateway.findings);
        files.extend(gateway.files);
    }
    Ok(RenderOutput {
        plan,
        files,
        findings,
    })
}

/// Lints existing `.properties` files together (files named `namesrv*` as name-server files;
/// brokers sharing a brokerIP1 are taken to share a host).
pub fn check_properties_files(paths: &[impl AsRef<Path>]) -> Vec<Finding> {
    let mut findings = Vec::new();
    let mut brokers = Vec::new();
    for path in paths {
        let path = path.as_ref();
        let label = path.display().to_string();
        let properties = match Properties::load(path) {
            Ok(p) => p,
            Err(e) => {
                findings.push(read_error_finding(&label, &e));
                continue;
            }
        };
        let is_namesrv = path
            .file_name()
            .is_some_and(|n| n.to_string_lossy().starts_with("namesrv"));
        findings.extend(super::tls_lint::lint_tls(&label, &properties));
        if is_namesrv {
            findings.extend(lint::lint_namesrv_file(&label, &properties));
            continue;
        }
        let host = properties
            .get("brokerIP1")
            .map(|e| e.value_before_comment().trim().to_string())
            .filter(|v| !v.is_empty());
        brokers.push(BrokerFile {
            label,
            properties,
            host,
        });
    }
    findings.extend(lint::lint_broker_files(
        &brokers,
        &ClusterContext::default(),
    ));
    lint::sort_findings(&mut findings);
    findings
}

fn read_error_finding(label: &str, error: &PropertiesError) -> Finding {
    let (pos, message, hint) = match error {
        PropertiesError::Io { source, .. } => (
            Pos { line: 1, col: 1 },
            format!("cannot read: {source}"),
            "check the path".to_string(),
        ),
        PropertiesError::MalformedUnicodeEscape { pos, .. } => (
            *pos,
            "malformed \\uXXXX escape".to_string(),
            "write four hex digits after \\u, or \\\\ for a backslash".to_string(),
        ),
    };
    Finding {
        path: label.to_string(),
        line: pos.line,
        col: pos.col,
        rule: "bad-value",
        severity: Severity::Error,
        message,
        hint,
    }
}
