//! The bundled name server (`rmqctl namesrv`): route table, broker liveness, KV config and the
//! request processor that serves them.
