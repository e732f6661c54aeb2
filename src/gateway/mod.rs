//! `rmqctl gateway`: the HTTP send service with `backurl` callbacks (issue 16). Applications POST
//! JSON to send; the gateway consumes its topic as a clustering group and POSTs each message to
//! the message's `backurl`, redelivering with RocketMQ's delay levels and dead-lettering after
//! `maxReconsumeTimes`.
//!
//! Files: `config` (gateway.toml), `allow_list` (which callback URLs may be called),
//! `delivery` (consumer groups that POST messages to callbacks; [`delivery::run_delivery`]),
//! `callback_client` (the HTTP client: timeouts, per-host limits, no redirects).
//! The HTTP server side (send endpoints, health, metrics) and the delivery side (consumer group,
//! callbacks, send-back) each add their own files.

pub mod allow_list;
pub mod callback_client;
pub mod config;
pub mod delivery;
