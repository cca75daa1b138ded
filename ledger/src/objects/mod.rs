//! The objects of the chain state, in the JSON shape bitshares-core's `get_objects` returns.
//!
//! Each object is plain data with its own id field; fields follow the C++ `FC_REFLECT` order, and
//! the binary encoding of an object (via `impl_pack!`) is what the state hash covers. Objects
//! hold no behaviour beyond small derived facts (`is_lifetime_member`); the evaluators in the
//! `engine` crate are the only code that changes them.

mod account;
mod asset;
mod bitasset;
mod chain;
mod market;
mod vesting;

pub use account::*;
pub use asset::*;
pub use bitasset::*;
pub use chain::*;
pub use market::*;
pub use vesting::*;

/// Tie each object type to its `space.type` for the object graph.
macro_rules! objects {
    ($($ty:ty => $space:literal . $type:literal),* $(,)?) => {$(
        impl crate::graph::Object for $ty {
            const SPACE: u8 = $space;
            const TYPE: u8 = $type;
        }
    )*};
}

objects! {
    AccountObject => 1 . 2,
    AssetObject => 1 . 3,
    ForceSettlementObject => 1 . 4,
    CommitteeMemberObject => 1 . 5,
    WitnessObject => 1 . 6,
    LimitOrderObject => 1 . 7,
    CallOrderObject => 1 . 8,
    VestingBalanceObject => 1 . 13,
    BalanceObject => 1 . 15,
    GlobalPropertyObject => 2 . 0,
    DynamicGlobalPropertyObject => 2 . 1,
    AssetDynamicDataObject => 2 . 3,
    AssetBitassetDataObject => 2 . 4,
    AccountBalanceObject => 2 . 5,
    AccountStatisticsObject => 2 . 6,
    TransactionHistoryObject => 2 . 7,
    BlockSummaryObject => 2 . 8,
    ChainPropertyObject => 2 . 11,
    WitnessScheduleObject => 2 . 12,
    CollateralBidObject => 2 . 17,
}
