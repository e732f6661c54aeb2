//! `MessageSysFlag` bits stored in every record (`C/sysflag/MessageSysFlag.java`). Permission
//! bits are in `protocol::perm`.

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
}
