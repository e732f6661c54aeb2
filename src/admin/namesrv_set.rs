//! The name servers of a cluster, parsed from RocketMQ's `host:port;host:port` form, and the
//! client rule for talking to them: ask the first one that answers.

use super::AdminError;
use crate::remoting::client::{ClientError, RemotingClient};
use crate::remoting::RemotingCommand;
use std::time::Duration;

/// An ordered, non-empty list of name-server addresses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NamesrvSet {
    addrs: Vec<String>,
}

impl NamesrvSet {
    /// Parse `host:port;host:port` (blanks and empty pieces ignored).
    pub fn parse(text: &str) -> Result<Self, AdminError> {
        let addrs: Vec<String> = text
            .split(';')
            .map(str::trim)
            .filter(|a| !a.is_empty())
            .map(|a| validate_addr(a).map(|_| a.to_string()))
            .collect::<Result<_, _>>()?;
        if addrs.is_empty() {
            return Err(AdminError::NoNamesrv);
        }
        Ok(NamesrvSet { addrs })
    }

    pub fn addrs(&self) -> &[String] {
        &self.addrs
    }

    /// The `host:port;host:port` form.
    pub fn joined(&self) -> String {
        self.addrs.join(";")
    }

    /// Send `request` to each name server in turn until one answers. A name server that
    /// answers with an error code ends the search (the others would say the same); one that
    /// cannot be reached or times out is skipped. Returns the address that answered.
    pub async fn invoke_first(
        &self,
        client: &RemotingClient,
        request: RemotingCommand,
        timeout: Duration,
    ) -> Result<(String, RemotingCommand), AdminError> {
        let mut unreachable: Vec<ClientError> = Vec::new();
        for addr in &self.addrs {
            match client.invoke_ok(addr, request.clone(), timeout).await {
                Ok(response) => return Ok((addr.clone(), response)),
                Err(e @ ClientError::Remote { .. }) => return Err(e.into()),
                Err(e) => unreachable.push(e),
            }
        }
        Err(AdminError::NamesrvsUnreachable(unreachable))
    }
}

/// `host:port` with a non-empty host and a port in 1..=65535.
pub fn validate_addr(addr: &str) -> Result<(), AdminError> {
    let bad = || AdminError::BadNamesrvAddr(addr.to_string());
    let (host, port) = addr.rsplit_once(':').ok_or_else(bad)?;
    let port: u16 = port.parse().map_err(|_| bad())?;
    if host.is_empty() || port == 0 || host.contains(char::is_whitespace) {
        return Err(bad());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_rocketmq_separator_and_rejects_bad_addresses() {
        let set = NamesrvSet::parse(" 10.0.0.1:9876; 10.0.0.2:9876;").unwrap();
        assert_eq!(set.addrs(), ["10.0.0.1:9876", "10.0.0.2:9876"]);
        assert_eq!(set.joined(), "10.0.0.1:9876;10.0.0.2:9876");
        assert!(matches!(
            NamesrvSet::parse("10.0.0.1"),
            Err(AdminError::BadNamesrvAddr(_))
        ));
        assert!(matches!(
            NamesrvSet::parse("host:99999"),
            Err(AdminError::BadNamesrvAddr(_))
        ));
        assert!(matches!(
            NamesrvSet::parse(" ; "),
            Err(AdminError::NoNamesrv)
        ));
    }
}
