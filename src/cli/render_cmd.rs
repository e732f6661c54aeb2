//! `rmqctl render INVENTORY [-o DIR] [--templates DIR] [--diff DIR]`: writes every broker and
//! name-server file and unit of an inventory atomically, or shows what would change.

use std::path::PathBuf;

use anyhow::Context;

use crate::output::{OutputFormat, RenderSummary};
use crate::render::lint::{has_errors, Finding};
use crate::render::pipeline::{render_inventory, PipelineError};
use crate::render::templates::Templates;
use crate::render::writer::{diff_against, write_atomically};

/// Arguments of `rmqctl render`.
#[derive(Debug, Clone, clap::Args)]
pub struct RenderArgs {
    /// The inventory (TOML) to render.
    pub inventory: PathBuf,
    /// Output directory; replaced as a whole (written to a temporary directory, then renamed).
    #[arg(
        short = 'o',
        long = "output-dir",
        value_name = "DIR",
        default_value = "rendered"
    )]
    pub output: PathBuf,
    /// Directory of templates (`broker.properties.hbs`, ...) replacing the built-in ones.
    #[arg(long, value_name = "DIR")]
    pub templates: Option<PathBuf>,
    /// Show what would change against an earlier render in DIR; writes nothing.
    #[arg(long, value_name = "DIR")]
    pub diff: Option<PathBuf>,
}

/// Loads the built-in templates, or the built-ins overridden by `dir`.
pub fn load_templates(
    dir: Option<&std::path::Path>,
) -> Result<Templates, crate::render::templates::TemplateError> {
    match dir {
        Some(dir) => Templates::with_overrides(dir),
        None => Ok(Templates::embedded()),
    }
}

/// Prints findings to stderr, then a count.
pub fn report_findings(findings: &[Finding]) {
    for finding in findings {
        eprintln!("{finding}");
    }
    let errors = findings
        .iter()
        .filter(|f| f.severity == crate::render::lint::Severity::Error)
        .count();
    let warnings = findings.len() - errors;
    if !findings.is_empty() {
        eprintln!("{errors} error(s), {warnings} warning(s)");
    }
}

/// Runs `rmqctl render`; returns the exit code (0 written or diffed, 2 invalid input).
pub fn run(args: &RenderArgs) -> anyhow::Result<i32> {
    let templates = match load_templates(args.templates.as_deref()) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("error: {e}");
            return Ok(2);
        }
    };
    let output = match render_inventory(&args.inventory, &templates) {
        Ok(output) => output,
        Err(PipelineError::Inventory(findings)) => {
            report_findings(&findings);
            eprintln!("nothing was written: fix the inventory first");
            return Ok(2);
        }
        Err(PipelineError::Template(e)) => {
            eprintln!("error: {e}\nnothing was written");
            return Ok(2);
        }
    };
    report_findings(&output.findings);
    if has_errors(&output.findings) {
        eprintln!("nothing was written: the rendered files would not work (see the errors above)");
        return Ok(2);
    }
    if let Some(dir) = &args.diff {
        let diffs = diff_against(dir, &output.files)
            .with_context(|| format!("comparing with {}", dir.display()))?;
        if diffs.is_empty() {
            println!("no changes against {}", dir.display());
        }
        for diff in diffs {
            print!("{}", diff.text);
        }
        return Ok(0);
    }
    write_atomically(&args.output, &output.files)?;
    let summary = RenderSummary {
        files: output.files.len(),
        output_dir: &args.output,
        hosts: &output.plan.hosts,
    };
    crate::output::print(&summary, OutputFormat::Table);
    Ok(0)
}
