//! `MessageSysFlag` bits stored in every record and `PermName` topic permission bits
//! (`C/sysflag/MessageSysFlag.java`, `C/constant/PermName.java`).

/// Bits of the record's SYSFLAG field.
pub struct MessageSysFlag;

impl MessageSysFlag {
    pub const COMPRESSED: i32 = 0x1;
    pub const MULTI_TAGS: i32 = 0x2;
    pub const TRANSACTION_NOT_TYPE: i32 = 0;
    pub const TRANSACTION_PREPARED_TYPE: i32 = 0x4;
    pub const TRANSACTION_COMMIT_TYPE: i32 = 0x8;
    pub const TRANSACTION_ROLLBACK_TYPE: i32 = 0xC;
    pub const BORNHOST_V6: i32 = 0x10;
    pub const STOREHOST_V6: i32 = 0x20;
    pub const NEED_UNWRAP: i32 = 0x40;
    pub const INNER_BATCH: i32 = 0x80;
    /// Bits 8-10: compression type. 0 with COMPRESSED set means zlib (old producers).
    pub const COMPRESSION_TYPE_MASK: i32 = 0x700;
    pub const COMPRESSION_LZ4: i32 = 0x100;
    pub const COMPRESSION_ZSTD: i32 = 0x200;
    pub const COMPRESSION_ZLIB: i32 = 0x300;

    /// The transaction type bits (one of the `TRANSACTION_*_TYPE` constants).
    pub fn transaction_type(sys_flag: i32) -> i32 {
        sys_flag & Self::TRANSACTION_ROLLBACK_TYPE
    }

    /// Replaces the transaction type bits.
    pub fn with_transaction_type(sys_flag: i32, tx_type: i32) -> i32 {
        (sys_flag & !Self::TRANSACTION_ROLLBACK_TYPE) | (tx_type & Self::TRANSACTION_ROLLBACK_TYPE)
    }

    /// Prepared (half) and rollback records get no consume-queue entry and queue offset 0.
    pub fn is_prepared_or_rollback(sys_flag: i32) -> bool {
        matches!(
            Self::transaction_type(sys_flag),
            Self::TRANSACTION_PREPARED_TYPE | Self::TRANSACTION_ROLLBACK_TYPE
        )
    }
}

/// Topic permission bits.
pub struct PermName;

impl PermName {
    pub const PRIORITY: i32 = 8;
    pub const READ: i32 = 4;
    pub const WRITE: i32 = 2;
    pub const INHERIT: i32 = 1;

    pub fn is_readable(perm: i32) -> bool {
        perm & Self::READ != 0
    }

    pub fn is_writeable(perm: i32) -> bool {
        perm & Self::WRITE != 0
    }

    pub fn is_inherited(perm: i32) -> bool {
        perm & Self::INHERIT != 0
    }

    /// Java's `PermName.perm2String`: `RWX` with `-` for missing bits (X = inherit).
    pub fn to_display(perm: i32) -> String {
        let bit = |set: bool, c: char| if set { c } else { '-' };
        [
            bit(Self::is_readable(perm), 'R'),
            bit(Self::is_writeable(perm), 'W'),
            bit(Self::is_inherited(perm), 'X'),
        ]
        .iter()
        .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transaction_type_bits() {
        let f = MessageSysFlag::COMPRESSED | MessageSysFlag::TRANSACTION_PREPARED_TYPE;
        assert_eq!(
            MessageSysFlag::transaction_type(f),
            MessageSysFlag::TRANSACTION_PREPARED_TYPE
        );
        assert!(MessageSysFlag::is_prepared_or_rollback(f));
        let c = MessageSysFlag::with_transaction_type(f, MessageSysFlag::TRANSACTION_COMMIT_TYPE);
        assert_eq!(c, MessageSysFlag::COMPRESSED | 0x8);
        assert!(!MessageSysFlag::is_prepared_or_rollback(c));
    }

    #[test]
    fn perm_display() {
        assert_eq!(PermName::to_display(6), "RW-");
        assert_eq!(PermName::to_display(7), "RWX");
        assert_eq!(PermName::to_display(2), "-W-");
    }
}
