//! Permissions of ACL 1.0 as Apache writes them in `plain_acl.yml` (`DENY`, `PUB`, `SUB`,
//! `PUB|SUB`) and the rule that decides whether an account's permission covers a request's need.

use std::fmt;

/// A permission value, with Apache's bits (DENY 1, ANY 2, PUB 4, SUB 8).
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Perm(u8);

impl Perm {
    pub const DENY: Perm = Perm(1);
    /// Needed by requests that either publishing or subscribing allows.
    pub const ANY: Perm = Perm(2);
    pub const PUB: Perm = Perm(4);
    pub const SUB: Perm = Perm(8);
    pub const PUB_SUB: Perm = Perm(4 | 8);

    /// The words Apache accepts, for messages.
    pub const WORDS: &'static str = "DENY, PUB, SUB or PUB|SUB";

    /// Parses one of Apache's words (`SUB|PUB` too); blanks around it are ignored as Apache does.
    pub fn parse(word: &str) -> Option<Perm> {
        match word.trim() {
            "DENY" => Some(Perm::DENY),
            "PUB" => Some(Perm::PUB),
            "SUB" => Some(Perm::SUB),
            "PUB|SUB" | "SUB|PUB" => Some(Perm::PUB_SUB),
            _ => None,
        }
    }

    /// Apache's spelling.
    pub fn word(self) -> &'static str {
        match self {
            Perm::PUB => "PUB",
            Perm::SUB => "SUB",
            Perm::PUB_SUB => "PUB|SUB",
            Perm::ANY => "PUB or SUB",
            _ => "DENY",
        }
    }

    /// Whether an account holding `self` may do what needs `needed` (Apache's
    /// `Permission.checkPermission`): DENY never; ANY with PUB or SUB; else the needed bit.
    pub fn allows(self, needed: Perm) -> bool {
        if self.0 & Perm::DENY.0 != 0 {
            return false;
        }
        if needed.0 & Perm::ANY.0 != 0 {
            return self.0 & (Perm::PUB.0 | Perm::SUB.0) != 0;
        }
        needed.0 & self.0 != 0
    }
}

impl fmt::Debug for Perm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.word())
    }
}

impl fmt::Display for Perm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.word())
    }
}

impl<'de> serde::Deserialize<'de> for Perm {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let word = String::deserialize(d)?;
        Perm::parse(&word).ok_or_else(|| {
            serde::de::Error::custom(format!(
                "unknown permission `{word}`: write {}",
                Perm::WORDS
            ))
        })
    }
}

impl serde::Serialize for Perm {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.word())
    }
}

/// One entry of `topicPerms` or `groupPerms`: `name=PERM`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResourcePerm {
    pub name: String,
    pub perm: Perm,
}

impl ResourcePerm {
    /// Parses `name=PERM` (blanks around either side are ignored, as Apache trims them).
    pub fn parse(text: &str) -> Result<ResourcePerm, String> {
        let Some((name, word)) = text.split_once('=') else {
            return Err(format!(
                "`{text}` is not `name=PERM` (for example `TopicA=PUB|SUB`)"
            ));
        };
        let name = name.trim();
        if name.is_empty() {
            return Err(format!("`{text}` names no topic or group before `=`"));
        }
        let perm = Perm::parse(word).ok_or_else(|| {
            format!(
                "unknown permission `{}` in `{text}`: write {}",
                word.trim(),
                Perm::WORDS
            )
        })?;
        Ok(ResourcePerm {
            name: name.to_string(),
            perm,
        })
    }
}

impl fmt::Display for ResourcePerm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}={}", self.name, self.perm)
    }
}

impl<'de> serde::Deserialize<'de> for ResourcePerm {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        ResourcePerm::parse(&text).map_err(serde::de::Error::custom)
    }
}

impl serde::Serialize for ResourcePerm {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words() {
        assert_eq!(Perm::parse(" PUB|SUB "), Some(Perm::PUB_SUB));
        assert_eq!(Perm::parse("SUB|PUB"), Some(Perm::PUB_SUB));
        assert_eq!(Perm::parse("DENY"), Some(Perm::DENY));
        assert_eq!(Perm::parse("pub"), None);
        assert_eq!(Perm::parse("PUBSUB"), None);
    }

    #[test]
    fn apache_check_rule() {
        assert!(Perm::PUB_SUB.allows(Perm::PUB));
        assert!(Perm::PUB_SUB.allows(Perm::SUB));
        assert!(!Perm::SUB.allows(Perm::PUB));
        assert!(!Perm::PUB.allows(Perm::SUB));
        assert!(!Perm::DENY.allows(Perm::SUB));
        assert!(Perm::SUB.allows(Perm::ANY));
        assert!(!Perm::DENY.allows(Perm::ANY));
    }

    #[test]
    fn resource_perms() {
        assert_eq!(
            ResourcePerm::parse("topicB = PUB|SUB"),
            Ok(ResourcePerm {
                name: "topicB".into(),
                perm: Perm::PUB_SUB
            })
        );
        assert!(ResourcePerm::parse("topicB")
            .unwrap_err()
            .contains("name=PERM"));
        assert!(ResourcePerm::parse("topicB=READ")
            .unwrap_err()
            .contains("unknown permission `READ`"));
        assert!(ResourcePerm::parse("=SUB").is_err());
        assert_eq!(ResourcePerm::parse("g=SUB").unwrap().to_string(), "g=SUB");
    }
}
