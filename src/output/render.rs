//! The report of `rmqctl render`: what was written, and per host its address, units and the
//! ports to open.

use std::path::Path;

use serde::Serialize;

use super::{finish, table, Report};
use crate::render::derive::HostPlan;

/// `rmqctl render` after writing.
#[derive(Debug, Serialize)]
pub struct RenderSummary<'a> {
    pub files: usize,
    pub output_dir: &'a Path,
    pub hosts: &'a [HostPlan],
}

impl Report for RenderSummary<'_> {
    fn text(&self) -> String {
        let mut t = table(&["host", "address", "units", "open ports"]);
        for host in self.hosts {
            let ports: Vec<String> = host.open_ports.iter().map(u16::to_string).collect();
            t.add_row(vec![
                host.name.clone(),
                host.address.clone(),
                host.units.join(" "),
                ports.join(","),
            ]);
        }
        format!(
            "wrote {} files to {}\n{}",
            self.files,
            self.output_dir.display(),
            finish(&t)
        )
    }
}
