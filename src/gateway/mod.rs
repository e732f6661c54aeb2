//! `rmqctl gateway`: the HTTP send service with `backurl` callbacks (issue 16). Applications POST
//! JSON to send; the gateway consumes its topic as a clustering group and POSTs each message to
//! the message's `backurl`, redelivering with RocketMQ's delay levels and dead-lettering after
//! `maxReconsumeTimes`.
//!
//! Files: `config` (gateway.toml), `allow_list` (which callback URLs may be called).
//! The HTTP side: `service` (start, run until SIGTERM, stop; where background work such as
//! delivery is started), `server` (the HTTP/1.1 listener, plain or TLS, graceful drain),
//! `routes` (the endpoints), `send_request` (what the send endpoints accept), `producer` (the
//! shared producer: route cache, multiplexed broker connections, retries), `health`
//! (`/healthz`), `tokens` (bearer tokens), `metrics` (Prometheus counters shared with delivery).
//! The delivery side: `delivery` (consumer groups that POST messages to callbacks;
//! [`delivery::run_delivery`]), `callback_client` (the HTTP client: timeouts, per-host limits,
//! no redirects).

pub mod allow_list;
pub mod callback_client;
pub mod config;
pub mod delivery;
pub mod health;
pub mod metrics;
pub mod producer;
pub mod routes;
pub mod send_request;
pub mod server;
pub mod service;
pub mod tokens;
