//! What commands print. Every result is a [`Report`]: `-o json` prints the value itself as
//! pretty JSON with stable snake_case fields (the README's JSON table), `-o table` (the default)
//! prints its text, usually tables (comfy-table, fitted to the terminal, plain columns when
//! piped). The reports of each command family live in one file here; a new command adds a
//! struct that derives `Serialize`, implements [`Report::text`] with [`table`] and [`finish`],
//! and calls [`print`].

pub mod acl;
mod admin;
mod bench;
mod deploy;
mod render;

pub use admin::{
    ClusterStatus, ConfigSet, GroupList, MessageList, TopicCreated, TopicList, TopicStatus,
};
pub use render::RenderSummary;

use comfy_table::{presets, ContentArrangement, Table};
use serde::Serialize;

/// `-o table|json`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum OutputFormat {
    #[default]
    Table,
    Json,
}

/// A command's result as it is printed: the value is the JSON form (serde, fields in
/// declaration order), [`Report::text`] the table form.
pub trait Report: Serialize {
    /// What `-o table` prints, ending in a newline.
    fn text(&self) -> String;
}

/// The text `report` prints in `format`.
pub fn render<R: Report + ?Sized>(report: &R, format: OutputFormat) -> String {
    match format {
        OutputFormat::Json => json(report),
        OutputFormat::Table => report.text(),
    }
}

/// Prints `report` in `format` to stdout.
pub fn print<R: Report + ?Sized>(report: &R, format: OutputFormat) {
    emit(&render(report, format));
}

/// Writes `text` to stdout and flushes it; a closed pipe (`| head`) is not an error.
pub fn emit(text: &str) {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(text.as_bytes());
    let _ = out.flush();
}

/// Pretty JSON text of a value, with a trailing newline.
pub fn json<T: Serialize + ?Sized>(value: &T) -> String {
    let mut text = serde_json::to_string_pretty(value).unwrap_or_else(|e| {
        serde_json::json!({ "error": format!("cannot serialise output: {e}") }).to_string()
    });
    text.push('\n');
    text
}

/// A table with upper-case headers, no borders, wrapped to the terminal width on a TTY.
pub fn table(headers: &[&str]) -> Table {
    let mut t = Table::new();
    t.load_preset(presets::NOTHING)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_header(headers.iter().map(|h| h.to_uppercase()));
    t
}

/// A table rendered as text: trailing blanks trimmed, ending in a newline.
pub fn finish(t: &Table) -> String {
    let mut out: String = t
        .to_string()
        .lines()
        .map(|l| l.trim_end().to_string() + "\n")
        .collect();
    if out.is_empty() {
        out.push('\n');
    }
    out
}

/// `-` for a missing value.
fn opt<T: ToString>(v: &Option<T>) -> String {
    v.as_ref().map_or_else(|| "-".to_string(), T::to_string)
}
