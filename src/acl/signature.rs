//! Request signatures of ACL 1.0, as Apache's `AclClientRPCHook` makes them and its
//! `PlainAccessValidator` checks them: HMAC-SHA1, keyed with the secret key, over the values of
//! every `extFields` entry but `Signature` in key order (Java's `TreeMap`), then the body;
//! base64. `AccessKey` (and `SecurityToken` when used) are ext fields, so they are signed too.

use super::secret::Secret;
use crate::remoting::command::RemotingCommand;
use base64::Engine;
use compact_str::CompactString;
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

/// Length of a signature: base64 (padded) of the 20 bytes of an HMAC-SHA1.
const SIGNATURE_LEN: usize = 28;

/// An account's credentials, as a client holds them. `Debug` hides the secret.
#[derive(Debug, Clone)]
pub struct Credentials {
    pub access_key: String,
    pub secret_key: Secret,
    pub security_token: Option<String>,
    /// The secret as a keyed MAC, made on the first signature.
    mac: std::sync::OnceLock<Option<KeyedMac>>,
}

impl PartialEq for Credentials {
    fn eq(&self, other: &Self) -> bool {
        (&self.access_key, &self.secret_key, &self.security_token)
            == (&other.access_key, &other.secret_key, &other.security_token)
    }
}

impl Eq for Credentials {}

impl Credentials {
    pub fn new(access_key: impl Into<String>, secret_key: Secret) -> Self {
        Credentials {
            access_key: access_key.into(),
            secret_key,
            security_token: None,
            mac: std::sync::OnceLock::new(),
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
        let mac = self.mac.get_or_init(|| KeyedMac::new(&self.secret_key));
        let signature = mac.as_ref().map(|m| m.sign(request)).unwrap_or_default();
        request.ext_fields.insert(SIGNATURE, signature);
    }
}

/// A client with credentials signs every request it sends.
impl crate::remoting::request_hook::RequestHook for Credentials {
    fn before_request(&self, request: &mut RemotingCommand) {
        self.sign(request);
    }
}

/// A MAC keyed with one secret, kept per account so each check starts from the keyed state
/// instead of hashing the key again.
#[derive(Clone)]
pub struct KeyedMac(HmacSha1);

impl KeyedMac {
    /// `None` only if the MAC refused the key, which HMAC never does (any length is taken).
    pub fn new(secret: &Secret) -> Option<KeyedMac> {
        HmacSha1::new_from_slice(secret.expose().as_bytes())
            .ok()
            .map(KeyedMac)
    }

    /// The MAC over a request's signed content.
    fn content(&self, request: &RemotingCommand) -> HmacSha1 {
        let mut mac = self.0.clone();
        let skip_unique_key = request.version <= V4_9_3;
        // The values are short: gathered into one buffer, they cost the MAC one update instead
        // of one per field (this runs for every request a broker with ACL serves). A send's
        // values take about 300 bytes; the buffer is zeroed per call, so it is kept that small.
        let mut gathered = [0u8; 512];
        let mut len = 0;
        for (key, value) in request.ext_fields.sorted() {
            if key == SIGNATURE || (skip_unique_key && key == UNIQUE_KEY_QUERY) {
                continue;
            }
            let bytes = value.as_bytes();
            if len + bytes.len() > gathered.len() {
                mac.update(&gathered[..len]);
                len = 0;
            }
            if bytes.len() > gathered.len() {
                mac.update(bytes);
            } else {
                gathered[len..len + bytes.len()].copy_from_slice(bytes);
                len += bytes.len();
            }
        }
        mac.update(&gathered[..len]);
        mac.update(request.body_bytes());
        mac
    }

    /// The request's signature (base64), as the ext-field value it is sent as.
    pub fn sign(&self, request: &RemotingCommand) -> CompactString {
        let digest = self.content(request).finalize().into_bytes();
        let mut text = [0u8; SIGNATURE_LEN];
        let written = base64::engine::general_purpose::STANDARD.encode_slice(digest, &mut text);
        // 20 bytes always take the 28 base64 characters the buffer holds.
        written
            .ok()
            .and_then(|n| std::str::from_utf8(&text[..n]).ok())
            .map(CompactString::new)
            .unwrap_or_default()
    }

    /// Whether `given` is the request's signature, compared in constant time. A value that is
    /// not the 28 characters of a SHA-1 signature is refused before any hashing.
    pub fn verify(&self, request: &RemotingCommand, given: &str) -> bool {
        if given.len() != SIGNATURE_LEN {
            return false;
        }
        // 28 base64 characters decode to 20 bytes; the engine asks room for 21.
        let mut bytes = [0u8; SIGNATURE_LEN];
        let Ok(n) =
            base64::engine::general_purpose::STANDARD.decode_slice(given.as_bytes(), &mut bytes)
        else {
            return false;
        };
        self.content(request).verify_slice(&bytes[..n]).is_ok()
    }
}

impl std::fmt::Debug for KeyedMac {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("KeyedMac(***)")
    }
}

/// Apache's signature of `request` with `secret` (base64 of HMAC-SHA1).
pub fn signature(request: &RemotingCommand, secret: &Secret) -> String {
    KeyedMac::new(secret)
        .map(|mac| mac.sign(request).into_string())
        .unwrap_or_default()
}

/// Whether `given` is the signature of `request` under `secret`, compared in constant time.
pub fn verify(request: &RemotingCommand, secret: &Secret, given: &str) -> bool {
    KeyedMac::new(secret).is_some_and(|mac| mac.verify(request, given))
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
    fn long_header_values_are_signed_like_short_ones() {
        let mut r = request();
        r.ext_fields.insert("properties", "p".repeat(900));
        r.ext_fields.insert("zlong", "z".repeat(3000));
        let creds = Credentials::new("RocketMQ", Secret::new("12345678"));
        creds.sign(&mut r);
        let mut mac = HmacSha1::new_from_slice(b"12345678").unwrap();
        // Keys in order: AccessKey, producerGroup, properties, queueId, topic, zlong.
        let values = format!(
            "RocketMQpg{}0TopicA{}hello",
            "p".repeat(900),
            "z".repeat(3000)
        );
        mac.update(values.as_bytes());
        let expected =
            base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes());
        assert_eq!(r.ext_fields.get(SIGNATURE), Some(expected.as_str()));
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
