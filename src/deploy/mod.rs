//! Deploy: inventory -> plan -> per-host steps over SSH (upload, supervise, firewall, start,
//! verify). This branch holds only the firewall step; the lead's branch owns the rest.

pub mod firewall;
