//! Command-line handlers (the lead's full version replaces this file on merge).

pub mod check_cmd;
pub mod render_cmd;
