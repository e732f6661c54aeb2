//! Request signatures of ACL 1.0, as Apache's `AclClientRPCHook` makes them and its
//! `PlainAccessValidator` checks them: HMAC-SHA1, keyed with the secret key, over the values of
//! every `extFields` entry but `Signature` in key order (Java's `TreeMap`), then the body;
//! base64. `AccessKey` (and `SecurityToken` when used) are ext fields, so they are signed too.

use super::secret::Secret;
use crate::remoting::command::RemotingCommand;
use base64::Engine;
use hmac::{Hmac, Mac};
use sha1::Sha1;

/// Ext-field names of the credentials (Apache's `SessionCredentials`).
pub const ACCESS_KEY: &str = "AccessKey";
pub const SIGNATURE: &str = "Signature";
pub const SECURITY_TOKEN: &str = "SecurityToken";
/// Clients up to 4.9.3 add this field after signing a query by unique key; Apache leaves it out
/// of the signed content for them (`MixAll.UNIQUE_MSG_QUERY_FLAG`).
pub const UNIQUE_KEY_QUERY: &str = "_UNIQUE_KEY_QUERY";
/// `MQVersion` ordinal of 4.9.3, the last version that signs without `_UNIQUE_KEY_QUERY`.
const V4_9_3: i32 = 399;

type HmacSha1 = Hmac<Sha1>;

/// An account's credentials, as a client holds them. `Debug` hides the secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Credentials {
    pub access_key: String,
    pub secret_key: Secret,
    pub security_token: Option<String>,
}

impl Credentials {
    pub fn new(access_key: impl Into<String>, secret_key: Secret) -> Self {
        Credentials {
            access_key: access_key.into(),
            secret_key,
            security_token: None,
        }
    }

    /// Adds `AccessKey` (and `SecurityToken`) and the `Signature` over the whole request, as
    /// Apache's client does just before sending.
    pub fn sign(&self, request: &mut RemotingCommand) {
        request
            .ext_fields
            .insert(ACCESS_KEY, self.access_key.as_str());
        if let Some(token) = &self.security_token {
            request.ext_fields.insert(SECURITY_TOKEN, token.as_str());
        }
        request.ext_fields.remove(SIGNATURE);
        let signature = signature(request, &self.secret_key);
        request.ext_fields.insert(SIGNATURE, signature);
    }
}

/// A client with credentials signs every request it sends.
impl crate::remoting::request_hook::RequestHook for Credentials {
    fn before_request(&self, request: &mut RemotingCommand) {
        self.sign(request);
    }
}

/// The MAC over a request's signed content. `None` only if the MAC refused the key, which
/// HMAC never does (it takes keys of any length).
fn content_mac(request: &RemotingCommand, secret: &Secret) -> Option<HmacSha1> {
    let mut mac = HmacSha1::new_from_slice(secret.expose().as_bytes()).ok()?;
    let skip_unique_key = request.version <= V4_9_3;
    for (key, value) in request.ext_fields.sorted() {
        if key == SIGNATURE || (skip_unique_key && key == UNIQUE_KEY_QUERY) {
            continue;
        }
        mac.update(value.as_bytes());
    }
    mac.update(request.body_bytes());
    Some(mac)
}

/// Apache's signature of `request` with `secret` (base64 of HMAC-SHA1).
pub fn signature(request: &RemotingCommand, secret: &Secret) -> String {
    content_mac(request, secret)
        .map(|mac| base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes()))
        .unwrap_or_default()
}

/// Whether `given` is the signature of `request` under `secret`, compared in constant time.
pub fn verify(request: &RemotingCommand, secret: &Secret, given: &str) -> bool {
    let Ok(bytes) = base64::engine::general_purpose::STANDARD.decode(given) else {
        return false;
    };
    content_mac(request, secret).is_some_and(|mac| mac.verify_slice(&bytes).is_ok())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::remoting::RequestCode;

    fn request() -> RemotingCommand {
        let mut r = RemotingCommand::request(RequestCode::SEND_MESSAGE).with_body(&b"hello"[..]);
        r.ext_fields.insert("topic", "TopicA");
        r.ext_fields.insert("queueId", "0");
        r.ext_fields.insert("producerGroup", "pg");
        r
    }

    #[test]
    fn signs_sorted_values_then_body_like_apache() {
        let mut r = request();
        let creds = Credentials::new("RocketMQ", Secret::new("12345678"));
        creds.sign(&mut r);
        // Apache's content: values sorted by key (AccessKey, producerGroup, queueId, topic),
        // then the body: "RocketMQ" "pg" "0" "TopicA" "hello".
        let mut mac = HmacSha1::new_from_slice(b"12345678").unwrap();
        mac.update(b"RocketMQpg0TopicAhello");
        let expected =
            base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes());
        assert_eq!(r.ext_fields.get(SIGNATURE), Some(expected.as_str()));
        assert_eq!(r.ext_fields.get(ACCESS_KEY), Some("RocketMQ"));
        assert!(verify(&r, &Secret::new("12345678"), &expected));
    }

    #[test]
    fn any_change_breaks_the_signature() {
        let creds = Credentials::new("RocketMQ", Secret::new("12345678"));
        let mut r = request();
        creds.sign(&mut r);
        let given = r.ext_fields.get(SIGNATURE).unwrap().to_string();
        assert!(!verify(&r, &Secret::new("12345679"), &given));
        let mut changed = r.clone();
        changed.ext_fields.insert("topic", "TopicB");
        assert!(!verify(&changed, &Secret::new("12345678"), &given));
        let mut body = r.clone();
        body.body = Some(bytes::Bytes::from_static(b"hellO"));
        assert!(!verify(&body, &Secret::new("12345678"), &given));
        let mut added = r.clone();
        added.ext_fields.insert("extra", "x");
        assert!(!verify(&added, &Secret::new("12345678"), &given));
        assert!(!verify(&r, &Secret::new("12345678"), "not base64!"));
        assert!(!verify(&r, &Secret::new("12345678"), ""));
    }

    #[test]
    fn old_clients_unique_key_query_flag_is_not_signed() {
        let creds = Credentials::new("RocketMQ", Secret::new("12345678"));
        let mut r = request();
        r.version = 63;
        creds.sign(&mut r);
        let given = r.ext_fields.get(SIGNATURE).unwrap().to_string();
        r.ext_fields.insert(UNIQUE_KEY_QUERY, "true");
        assert!(verify(&r, &Secret::new("12345678"), &given));
        r.version = 409;
        assert!(!verify(&r, &Secret::new("12345678"), &given));
    }

    #[test]
    fn credentials_hide_the_secret() {
        let creds = Credentials::new("RocketMQ", Secret::new("12345678"));
        assert!(!format!("{creds:?}").contains("12345678"));
    }
}
