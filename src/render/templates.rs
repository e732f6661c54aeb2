//! Handlebars templates for broker/name-server properties and per-instance systemd units (name
//! server, brokers, `[gateway]`):
//! the defaults are compiled in from `templates/*.hbs`; `--templates DIR` replaces any of them.

use std::path::{Path, PathBuf};

use handlebars::Handlebars;
use serde_json::json;

use super::derive::{BrokerInstance, ClusterPlan, HostPlan, NamesrvInstance};
use crate::apache_config::properties::{escape_key, escape_value};

/// Template names (file names without `.hbs`) and their built-in text.
pub const DEFAULT_TEMPLATES: &[(&str, &str)] = &[
    (
        "broker.properties",
        include_str!("../../templates/broker.properties.hbs"),
    ),
    (
        "namesrv.properties",
        include_str!("../../templates/namesrv.properties.hbs"),
    ),
    (
        "rmqctl-broker.service",
        include_str!("../../templates/rmqctl-broker.service.hbs"),
    ),
    (
        "rmqctl-namesrv.service",
        include_str!("../../templates/rmqctl-namesrv.service.hbs"),
    ),
    (
        "rmqctl-gateway.service",
        include_str!("../../templates/rmqctl-gateway.service.hbs"),
    ),
];

/// Why templates could not be loaded or rendered.
#[derive(Debug, thiserror::Error)]
pub enum TemplateError {
    #[error("{path}: cannot read template: {source}")]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}: {message}")]
    Parse { path: PathBuf, message: String },
    #[error("template `{name}` failed for {target}: {message}; check the variable names against docs-render.md")]
    Render {
        name: String,
        target: String,
        message: String,
    },
    #[error("{dir}: unknown template file `{file}`; expected one of {expected}")]
    UnknownFile {
        dir: PathBuf,
        file: String,
        expected: String,
    },
}

/// One file produced by a render, relative to the output directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderedFile {
    pub path: PathBuf,
    /// The host it is for (None: every host that runs the instance kind, e.g. namesrv.properties).
    pub host: Option<String>,
    pub contents: String,
}

/// A set of compiled templates.
pub struct Templates {
    registry: Handlebars<'static>,
}

impl Templates {
    /// The built-in templates.
    #[allow(
        clippy::expect_used,
        reason = "the built-in templates are constants; every render test compiles them"
    )]
    pub fn embedded() -> Templates {
        let mut registry = new_registry();
        for (name, text) in DEFAULT_TEMPLATES {
            registry
                .register_template_string(name, *text)
                .expect("built-in templates compile");
        }
        Templates { registry }
    }

    /// Built-ins overridden by every `<name>.hbs` in `dir`; other `.hbs` files are refused.
    pub fn with_overrides(dir: &Path) -> Result<Templates, TemplateError> {
        let mut templates = Templates::embedded();
        let entries = std::fs::read_dir(dir).map_err(|source| TemplateError::Read {
            path: dir.to_path_buf(),
            source,
        })?;
        for entry in entries {
            let path = entry
                .map_err(|source| TemplateError::Read {
                    path: dir.to_path_buf(),
                    source,
                })?
                .path();
            let file = path
                .file_name()
                .map(|f| f.to_string_lossy().into_owned())
                .unwrap_or_default();
            let Some(name) = file.strip_suffix(".hbs") else {
                continue;
            };
            if !DEFAULT_TEMPLATES.iter().any(|(n, _)| *n == name) {
                let expected: Vec<String> = DEFAULT_TEMPLATES
                    .iter()
                    .map(|(n, _)| format!("{n}.hbs"))
                    .collect();
                return Err(TemplateError::UnknownFile {
                    dir: dir.to_path_buf(),
                    file,
                    expected: expected.join(", "),
                });
            }
            let text = std::fs::read_to_string(&path).map_err(|source| TemplateError::Read {
                path: path.clone(),
                source,
            })?;
            templates
                .registry
                .register_template_string(name, text)
                .map_err(|e| TemplateError::Parse {
                    path: path.clone(),
                    message: e.to_string(),
                })?;
        }
        Ok(templates)
    }

    /// Renders every file of a plan: one properties file per broker, `namesrv.properties`,
    /// one unit per instance under `units/<host>/`, and `plan.json`.
    pub fn render_plan(
        &self,
        plan: &ClusterPlan,
        inventory_name: &str,
    ) -> Result<Vec<RenderedFile>, TemplateError> {
        let mut files = Vec::new();
        for broker in &plan.brokers {
            files.push(RenderedFile {
                path: PathBuf::from(&broker.file_name),
                host: Some(broker.host.clone()),
                contents: self.render(
                    "broker.properties",
                    &broker.name,
                    &broker_context(plan, broker, inventory_name),
                )?,
            });
        }
        if let Some(first) = plan.namesrvs.first() {
            files.push(RenderedFile {
                path: PathBuf::from("namesrv.properties"),
                host: None,
                contents: self.render(
                    "namesrv.properties",
                    "namesrv",
                    &namesrv_context(plan, first, inventory_name),
                )?,
            });
        }
        for host in &plan.hosts {
            files.extend(self.render_units(plan, host, inventory_name)?);
        }
        let plan_json = serde_json::to_string_pretty(plan).map_err(|e| TemplateError::Render {
            name: "plan.json".to_string(),
            target: "the cluster plan".to_string(),
            message: e.to_string(),
        })?;
        files.push(RenderedFile {
            path: PathBuf::from("plan.json"),
            host: None,
            contents: plan_json + "\n",
        });
        Ok(files)
    }

    fn render_units(
        &self,
        plan: &ClusterPlan,
        host: &HostPlan,
        inventory_name: &str,
    ) -> Result<Vec<RenderedFile>, TemplateError> {
        let dir = PathBuf::from("units").join(&host.name);
        let mut files = Vec::new();
        if let Some(namesrv) = plan.namesrvs.iter().find(|n| n.host == host.name) {
            let context = json!({
                "unit_name": namesrv.unit_name,
                "cluster": plan.cluster,
                "inventory": inventory_name,
                "user": plan.service_user,
                "install_root": host.install_root,
                "binary": host.binary,
                "conf_file": namesrv.conf_file,
                "log_dir": namesrv.log_dir,
            });
            files.push(RenderedFile {
                path: dir.join(&namesrv.unit_name),
                host: Some(host.name.clone()),
                contents: self.render("rmqctl-namesrv.service", &namesrv.unit_name, &context)?,
            });
        }
        for broker in plan.brokers_on(&host.name) {
            let mut after = Vec::new();
            if host.runs_namesrv {
                after.push("rmqctl-namesrv.service".to_string());
            }
            if !broker.role.is_master() {
                let master = plan
                    .brokers
                    .iter()
                    .find(|b| b.broker_name == broker.broker_name && b.role.is_master());
                after.extend(
                    master
                        .filter(|m| m.host == host.name)
                        .map(|m| m.unit_name.clone()),
                );
            }
            let context = json!({
                "unit_name": broker.unit_name,
                "name": broker.name,
                "role": broker.role.as_str(),
                "cluster": plan.cluster,
                "inventory": inventory_name,
                "user": plan.service_user,
                "install_root": host.install_root,
                "binary": host.binary,
                "conf_file": broker.conf_file,
                "log_dir": broker.log_dir,
                "after": after,
                "access_key": broker.access_key,
            });
            files.push(RenderedFile {
                path: dir.join(&broker.unit_name),
                host: Some(host.name.clone()),
                contents: self.render("rmqctl-broker.service", &broker.unit_name, &context)?,
            });
        }
        if let Some(gateway) = plan.gateways.iter().find(|g| g.host == host.name) {
            // After the host's own name server and brokers, when it runs any.
            let mut after: Vec<String> = Vec::new();
            if host.runs_namesrv {
                after.push("rmqctl-namesrv.service".to_string());
            }
            after.extend(plan.brokers_on(&host.name).map(|b| b.unit_name.clone()));
            let context = json!({
                "unit_name": gateway.unit_name,
                "cluster": plan.cluster,
                "inventory": inventory_name,
                "user": plan.service_user,
                "install_root": host.install_root,
                "binary": host.binary,
                "conf_file": gateway.conf_file,
                "log_dir": gateway.log_dir,
                "listen": gateway.listen,
                "namesrv_addr": gateway.namesrv_addr,
                "after": after,
            });
            files.push(RenderedFile {
                path: dir.join(&gateway.unit_name),
                host: Some(host.name.clone()),
                contents: self.render("rmqctl-gateway.service", &gateway.unit_name, &context)?,
            });
        }
        Ok(files)
    }

    fn render(
        &self,
        name: &str,
        target: &str,
        context: &serde_json::Value,
    ) -> Result<String, TemplateError> {
        self.registry
            .render(name, context)
            .map_err(|e| TemplateError::Render {
                name: name.to_string(),
                target: target.to_string(),
                message: e.to_string(),
            })
    }
}

fn new_registry() -> Handlebars<'static> {
    let mut registry = Handlebars::new();
    registry.set_strict_mode(true);
    registry.register_escape_fn(handlebars::no_escape);
    registry
}

/// Key/value pairs escaped for a properties file.
fn entries(properties: &[(String, String)]) -> serde_json::Value {
    properties
        .iter()
        .map(|(k, v)| json!({ "key": escape_key(k), "value": escape_value(v) }))
        .collect()
}

fn broker_context(
    plan: &ClusterPlan,
    broker: &BrokerInstance,
    inventory_name: &str,
) -> serde_json::Value {
    json!({
        "name": broker.name,
        "broker_name": broker.broker_name,
        "broker_id": broker.broker_id,
        "role": broker.role.as_str(),
        "cluster": plan.cluster,
        "host": broker.host,
        "address": broker.address,
        "fast_port": broker.fast_port,
        "listen_port": broker.listen_port,
        "ha_port": broker.ha_port,
        "store_root": broker.store_root,
        "inventory": inventory_name,
        "entries": entries(&broker.properties),
    })
}

fn namesrv_context(
    plan: &ClusterPlan,
    namesrv: &NamesrvInstance,
    inventory_name: &str,
) -> serde_json::Value {
    let hosts: Vec<&str> = plan.namesrvs.iter().map(|n| n.host.as_str()).collect();
    json!({
        "cluster": plan.cluster,
        "hosts": hosts.join(", "),
        "port": namesrv.port,
        "inventory": inventory_name,
        "entries": entries(&namesrv.properties),
    })
}
