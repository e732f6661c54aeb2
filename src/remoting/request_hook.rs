//! `RequestHook`: runs on every request a [`RemotingClient`](super::client::RemotingClient)
//! sends, just before it is written, like Apache's client-side `RPCHook`. ACL signing is one.

use super::command::RemotingCommand;

/// Changes a request just before it is sent (after its opaque is set). `Debug` must not show
/// secrets.
pub trait RequestHook: std::fmt::Debug + Send + Sync + 'static {
    fn before_request(&self, request: &mut RemotingCommand);

    /// The same for several requests about to be sent together (a load generator's batch);
    /// a hook that costs less for all of them at once (signing) does them at once.
    fn before_requests(&self, requests: &mut [RemotingCommand]) {
        for request in requests {
            self.before_request(request);
        }
    }
}
