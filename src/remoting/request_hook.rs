//! `RequestHook`: runs on every request a [`RemotingClient`](super::client::RemotingClient)
//! sends, just before it is written, like Apache's client-side `RPCHook`. ACL signing is one.

use super::command::RemotingCommand;

/// Changes a request just before it is sent (after its opaque is set). `Debug` must not show
/// secrets.
pub trait RequestHook: std::fmt::Debug + Send + Sync + 'static {
    fn before_request(&self, request: &mut RemotingCommand);
}
