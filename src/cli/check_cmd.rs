//! `rmqctl check INVENTORY` and `rmqctl check --properties FILE...`: lint an inventory (as it
//! would render) or existing Apache properties files; exit 2 on errors, 0 with only warnings.

use std::path::PathBuf;

use crate::output;
use crate::render::lint::{has_errors, Finding};
use crate::render::pipeline::{check_properties_files, render_inventory, PipelineError};

use super::render_cmd::{load_templates, report_findings};

/// Output format of `rmqctl check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum CheckFormat {
    /// `file:line:col: severity[rule]: message` and a hint line.
    Text,
    /// A JSON array of findings (path, line, col, rule, severity, message, hint).
    Json,
}

/// Arguments of `rmqctl check`.
#[derive(Debug, Clone, clap::Args)]
pub struct CheckArgs {
    /// The inventory (TOML) to check; it is rendered in memory, nothing is written.
    #[arg(required_unless_present = "properties", conflicts_with = "properties")]
    pub inventory: Option<PathBuf>,
    /// Check existing Apache `.properties` files instead (files named namesrv* as name-server files).
    #[arg(long, num_args = 1.., value_name = "FILE")]
    pub properties: Vec<PathBuf>,
    /// Directory of templates replacing the built-in ones (inventory mode).
    #[arg(long, value_name = "DIR")]
    pub templates: Option<PathBuf>,
    /// How to print findings.
    #[arg(long, value_enum, default_value_t = CheckFormat::Text)]
    pub format: CheckFormat,
}

/// Runs `rmqctl check`; returns 2 if any error was found, else 0.
pub fn run(args: &CheckArgs) -> anyhow::Result<i32> {
    let findings = match &args.inventory {
        Some(inventory) => match inventory_findings(inventory, args) {
            Ok(findings) => findings,
            Err(code) => return Ok(code),
        },
        None => check_properties_files(&args.properties),
    };
    match args.format {
        CheckFormat::Text => {
            report_findings(&findings);
            if findings.is_empty() {
                println!("ok: no problems found");
            }
        }
        CheckFormat::Json => output::emit(&output::json(&findings)),
    }
    Ok(if has_errors(&findings) { 2 } else { 0 })
}

fn inventory_findings(inventory: &std::path::Path, args: &CheckArgs) -> Result<Vec<Finding>, i32> {
    let templates = load_templates(args.templates.as_deref()).map_err(|e| {
        eprintln!("error: {e}");
        2
    })?;
    match render_inventory(inventory, &templates) {
        Ok(output) => Ok(output.findings),
        Err(PipelineError::Inventory(findings)) => Ok(findings),
        Err(PipelineError::Template(e)) => {
            eprintln!("error: {e}");
            Err(2)
        }
    }
}
