//! Every operation's `fee_params_t` and the [`FeeParameters`] static variant over them.
//!
//! bitshares-core gives each operation its own `fee_params_t` struct; most of them are the same
//! shape (`{ fee }` or `{ fee, price_per_kbyte }`), so this module declares each *shape* once and
//! the per-operation defaults in one table ([`FeeParameters::default_for_tag`]), in operation-tag
//! order (PROTOCOL.md §3.2, §6.1). The table is the single source of truth for tags 0..=77:
//! the enum, its binary encoding (varint tag + fields in `FC_REFLECT` order), its JSON form
//! (`[tag, {fields}]`) and the defaults are all generated from it, and a compile-time check
//! asserts the tags are exactly `0..COUNT` in order.
//!
//! Field widths follow the C++ structs. A few C++ fields are `share_type` (i64) rather than
//! `uint64_t` (account_update, account_whitelist, witness_update `fee`); both are 8 bytes little
//! endian and no schedule carries a negative fee, so they are `u64` here.
//!
//! Amounts are satoshis of the core asset (1 BTS = [`PRECISION`]).

use crate::encoding::{DecodeError, Pack, Reader, Unpack};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// 10^5: satoshis per BTS (`GRAPHENE_BLOCKCHAIN_PRECISION`).
pub const PRECISION: u64 = 100_000;
const P: u64 = PRECISION;

/// JSON for fee fields: numbers in, numbers or strings out (fc stringifies integers above
/// 2^32-1), accepting decimal strings on input as fc does.
pub(crate) mod fc_uint {
    use serde::{Deserializer, Serializer};

    pub fn serialize<S: Serializer, T: Copy + Into<u64>>(v: &T, s: S) -> Result<S::Ok, S::Error> {
        crate::json::uint64::serialize(&(*v).into(), s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>, T: TryFrom<i128>>(d: D) -> Result<T, D::Error> {
        crate::json::lenient::deserialize(d)
    }
}

macro_rules! fee_param_struct {
    ($(#[$m:meta])* $name:ident { $($field:ident : $ty:ty),* $(,)? }) => {
        $(#[$m])*
        #[derive(Clone, Copy, PartialEq, Eq, Hash, Default, Debug, Serialize, Deserialize)]
        #[serde(default)]
        pub struct $name {
            $( #[serde(with = "fc_uint")] pub $field: $ty, )*
        }
        crate::impl_pack!($name { $($field),* });
    };
}

fee_param_struct!(
    /// `{ uint64_t fee; }`: the flat fee of most operations.
    FlatFee { fee: u64 }
);
fee_param_struct!(
    /// `{ fee, price_per_kbyte }`: a flat fee plus a data fee per KiB of some part of the op.
    FeeWithKbyte { fee: u64, price_per_kbyte: u32 }
);
fee_param_struct!(
    /// account_create: basic (cheap name) or premium fee, plus a data fee on the whole op.
    AccountCreateFeeParams { basic_fee: u64, premium_fee: u64, price_per_kbyte: u32 }
);
fee_param_struct!(
    /// account_upgrade: annual (unused since 2016) or lifetime membership.
    AccountUpgradeFeeParams { membership_annual_fee: u64, membership_lifetime_fee: u64 }
);
fee_param_struct!(
    /// asset_create: priced by symbol length (3, 4, 5+ characters), plus a data fee.
    AssetCreateFeeParams { symbol3: u64, symbol4: u64, long_symbol: u64, price_per_kbyte: u32 }
);
fee_param_struct!(
    /// transfer_to_blind / blind_transfer: a flat fee plus a fee per output.
    BlindFeeParams { fee: u64, price_per_output: u32 }
);
fee_param_struct!(
    /// htlc_create / htlc_extend: a flat fee plus a fee per started day.
    HtlcPerDayFeeParams { fee: u64, fee_per_day: u64 }
);
fee_param_struct!(
    /// htlc_redeem: a flat fee plus a fee per started KiB of preimage.
    HtlcRedeemFeeParams { fee: u64, fee_per_kb: u64 }
);
fee_param_struct!(
    /// custom_authority_create / update: a basic fee plus a price per byte of restrictions.
    CustomAuthorityFeeParams { basic_fee: u64, price_per_byte: u32 }
);
fee_param_struct!(
    /// Empty parameters: virtual operations and balance_claim, whose fee is always 0.
    NoFeeParams {}
);

macro_rules! fee_parameters {
    ($( $tag:literal $variant:ident $name:literal ($ty:ident) = $default:expr; )*) => {
        /// `fee_parameters`: the static variant over every operation's fee parameters, tag =
        /// operation tag.
        #[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
        pub enum FeeParameters {
            $( $variant($ty), )*
        }

        /// Tags in declaration order, for the compile-time order check.
        const TAGS: &[u8] = &[$($tag),*];

        impl FeeParameters {
            /// The number of operation types (tags `0..COUNT`).
            pub const COUNT: usize = TAGS.len();

            /// The operation tag these parameters belong to.
            pub const fn tag(&self) -> u8 {
                match self { $( Self::$variant(_) => $tag, )* }
            }

            /// The operation's name as bitshares-core spells it (`transfer`, `account_create`).
            pub const fn op_name(&self) -> &'static str {
                match self { $( Self::$variant(_) => $name, )* }
            }

            /// The protocol defaults of the C++ `fee_params_t` for `tag`, or `None` for an
            /// unknown tag.
            pub fn default_for_tag(tag: u64) -> Option<Self> {
                match tag {
                    $( $tag => Some(Self::$variant($default)), )*
                    _ => None,
                }
            }

            /// All-zero parameters for `tag` (`zero_all_fees`).
            pub fn zero_for_tag(tag: u64) -> Option<Self> {
                match tag {
                    $( $tag => Some(Self::$variant($ty::default())), )*
                    _ => None,
                }
            }

            fn pack_body(&self, out: &mut Vec<u8>) {
                match self { $( Self::$variant(v) => v.pack(out), )* }
            }

            fn unpack_body(tag: u64, offset: usize, r: &mut Reader<'_>) -> Result<Self, DecodeError> {
                match tag {
                    $( $tag => Ok(Self::$variant($ty::unpack(r)?)), )*
                    tag => Err(DecodeError::UnknownTag { what: "fee_parameters", tag, offset }),
                }
            }

            fn body_json(&self) -> Result<serde_json::Value, serde_json::Error> {
                match self { $( Self::$variant(v) => serde_json::to_value(v), )* }
            }

            /// A field missing from `body` keeps the operation's C++ default: fc's
            /// `from_variant` of a reflected struct only assigns the members it finds, into the
            /// default-constructed `fee_params_t` that `static_variant::set_which` made
            /// (`fc/reflect/variant.hpp`, `fc/static_variant.hpp`). `[76, {}]` is 1 BTS, not 0.
            fn from_json_body(tag: u64, body: serde_json::Value) -> Result<Self, String> {
                let body = match (Self::default_for_tag(tag), body) {
                    (Some(default), serde_json::Value::Object(given)) => {
                        let mut merged = match default.body_json().map_err(|e| e.to_string())? {
                            serde_json::Value::Object(m) => m,
                            other => return Err(format!("fee parameters of tag {tag} encode as {other}")),
                        };
                        merged.extend(given);
                        serde_json::Value::Object(merged)
                    }
                    (_, other) => other,
                };
                match tag {
                    $( $tag => serde_json::from_value(body).map(Self::$variant).map_err(|e| e.to_string()), )*
                    tag => Err(format!("unknown fee_parameters tag {tag}")),
                }
            }
        }
    };
}

fee_parameters! {
    0 Transfer "transfer" (FeeWithKbyte) = FeeWithKbyte { fee: 20 * P, price_per_kbyte: 10 * P as u32 };
    1 LimitOrderCreate "limit_order_create" (FlatFee) = FlatFee { fee: 5 * P };
    2 LimitOrderCancel "limit_order_cancel" (FlatFee) = FlatFee { fee: 0 };
    3 CallOrderUpdate "call_order_update" (FlatFee) = FlatFee { fee: 20 * P };
    4 FillOrder "fill_order" (NoFeeParams) = NoFeeParams {};
    5 AccountCreate "account_create" (AccountCreateFeeParams) =
        AccountCreateFeeParams { basic_fee: 5 * P, premium_fee: 2000 * P, price_per_kbyte: P as u32 };
    6 AccountUpdate "account_update" (FeeWithKbyte) = FeeWithKbyte { fee: 20 * P, price_per_kbyte: P as u32 };
    7 AccountWhitelist "account_whitelist" (FlatFee) = FlatFee { fee: 300_000 };
    8 AccountUpgrade "account_upgrade" (AccountUpgradeFeeParams) =
        AccountUpgradeFeeParams { membership_annual_fee: 2000 * P, membership_lifetime_fee: 10_000 * P };
    9 AccountTransfer "account_transfer" (FlatFee) = FlatFee { fee: 500 * P };
    10 AssetCreate "asset_create" (AssetCreateFeeParams) = AssetCreateFeeParams {
        symbol3: 500_000 * P, symbol4: 300_000 * P, long_symbol: 5000 * P, price_per_kbyte: 10 };
    11 AssetUpdate "asset_update" (FeeWithKbyte) = FeeWithKbyte { fee: 500 * P, price_per_kbyte: 10 };
    12 AssetUpdateBitasset "asset_update_bitasset" (FlatFee) = FlatFee { fee: 500 * P };
    13 AssetUpdateFeedProducers "asset_update_feed_producers" (FlatFee) = FlatFee { fee: 500 * P };
    14 AssetIssue "asset_issue" (FeeWithKbyte) = FeeWithKbyte { fee: 20 * P, price_per_kbyte: P as u32 };
    15 AssetReserve "asset_reserve" (FlatFee) = FlatFee { fee: 20 * P };
    16 AssetFundFeePool "asset_fund_fee_pool" (FlatFee) = FlatFee { fee: P };
    17 AssetSettle "asset_settle" (FlatFee) = FlatFee { fee: 100 * P };
    18 AssetGlobalSettle "asset_global_settle" (FlatFee) = FlatFee { fee: 500 * P };
    19 AssetPublishFeed "asset_publish_feed" (FlatFee) = FlatFee { fee: P };
    20 WitnessCreate "witness_create" (FlatFee) = FlatFee { fee: 5000 * P };
    21 WitnessUpdate "witness_update" (FlatFee) = FlatFee { fee: 20 * P };
    22 ProposalCreate "proposal_create" (FeeWithKbyte) = FeeWithKbyte { fee: 20 * P, price_per_kbyte: 10 };
    23 ProposalUpdate "proposal_update" (FeeWithKbyte) = FeeWithKbyte { fee: 20 * P, price_per_kbyte: 10 };
    24 ProposalDelete "proposal_delete" (FlatFee) = FlatFee { fee: P };
    25 WithdrawPermissionCreate "withdraw_permission_create" (FlatFee) = FlatFee { fee: P };
    26 WithdrawPermissionUpdate "withdraw_permission_update" (FlatFee) = FlatFee { fee: P };
    27 WithdrawPermissionClaim "withdraw_permission_claim" (FeeWithKbyte) =
        FeeWithKbyte { fee: 20 * P, price_per_kbyte: 10 };
    28 WithdrawPermissionDelete "withdraw_permission_delete" (FlatFee) = FlatFee { fee: 0 };
    29 CommitteeMemberCreate "committee_member_create" (FlatFee) = FlatFee { fee: 5000 * P };
    30 CommitteeMemberUpdate "committee_member_update" (FlatFee) = FlatFee { fee: 20 * P };
    31 CommitteeMemberUpdateGlobalParameters "committee_member_update_global_parameters" (FlatFee) =
        FlatFee { fee: P };
    32 VestingBalanceCreate "vesting_balance_create" (FlatFee) = FlatFee { fee: P };
    33 VestingBalanceWithdraw "vesting_balance_withdraw" (FlatFee) = FlatFee { fee: 20 * P };
    34 WorkerCreate "worker_create" (FlatFee) = FlatFee { fee: 5000 * P };
    35 Custom "custom" (FeeWithKbyte) = FeeWithKbyte { fee: P, price_per_kbyte: 10 };
    36 Assert "assert" (FlatFee) = FlatFee { fee: P };
    37 BalanceClaim "balance_claim" (NoFeeParams) = NoFeeParams {};
    38 OverrideTransfer "override_transfer" (FeeWithKbyte) = FeeWithKbyte { fee: 20 * P, price_per_kbyte: 10 };
    39 TransferToBlind "transfer_to_blind" (BlindFeeParams) =
        BlindFeeParams { fee: 5 * P, price_per_output: 5 * P as u32 };
    40 BlindTransfer "blind_transfer" (BlindFeeParams) = BlindFeeParams { fee: 5 * P, price_per_output: 5 * P as u32 };
    41 TransferFromBlind "transfer_from_blind" (FlatFee) = FlatFee { fee: 5 * P };
    42 AssetSettleCancel "asset_settle_cancel" (NoFeeParams) = NoFeeParams {};
    43 AssetClaimFees "asset_claim_fees" (FlatFee) = FlatFee { fee: 20 * P };
    44 FbaDistribute "fba_distribute" (NoFeeParams) = NoFeeParams {};
    45 BidCollateral "bid_collateral" (FlatFee) = FlatFee { fee: 20 * P };
    46 ExecuteBid "execute_bid" (NoFeeParams) = NoFeeParams {};
    47 AssetClaimPool "asset_claim_pool" (FlatFee) = FlatFee { fee: 20 * P };
    48 AssetUpdateIssuer "asset_update_issuer" (FlatFee) = FlatFee { fee: 20 * P };
    49 HtlcCreate "htlc_create" (HtlcPerDayFeeParams) = HtlcPerDayFeeParams { fee: P, fee_per_day: P };
    50 HtlcRedeem "htlc_redeem" (HtlcRedeemFeeParams) = HtlcRedeemFeeParams { fee: P, fee_per_kb: P };
    51 HtlcRedeemed "htlc_redeemed" (NoFeeParams) = NoFeeParams {};
    52 HtlcExtend "htlc_extend" (HtlcPerDayFeeParams) = HtlcPerDayFeeParams { fee: P, fee_per_day: P };
    53 HtlcRefund "htlc_refund" (NoFeeParams) = NoFeeParams {};
    54 CustomAuthorityCreate "custom_authority_create" (CustomAuthorityFeeParams) =
        CustomAuthorityFeeParams { basic_fee: P, price_per_byte: (P / 10) as u32 };
    55 CustomAuthorityUpdate "custom_authority_update" (CustomAuthorityFeeParams) =
        CustomAuthorityFeeParams { basic_fee: P, price_per_byte: (P / 10) as u32 };
    56 CustomAuthorityDelete "custom_authority_delete" (FlatFee) = FlatFee { fee: P };
    57 TicketCreate "ticket_create" (FlatFee) = FlatFee { fee: 50 * P };
    58 TicketUpdate "ticket_update" (FlatFee) = FlatFee { fee: 50 * P };
    59 LiquidityPoolCreate "liquidity_pool_create" (FlatFee) = FlatFee { fee: 50 * P };
    60 LiquidityPoolDelete "liquidity_pool_delete" (FlatFee) = FlatFee { fee: 0 };
    61 LiquidityPoolDeposit "liquidity_pool_deposit" (FlatFee) = FlatFee { fee: P / 10 };
    62 LiquidityPoolWithdraw "liquidity_pool_withdraw" (FlatFee) = FlatFee { fee: 5 * P };
    63 LiquidityPoolExchange "liquidity_pool_exchange" (FlatFee) = FlatFee { fee: P };
    64 SametFundCreate "samet_fund_create" (FlatFee) = FlatFee { fee: P };
    65 SametFundDelete "samet_fund_delete" (FlatFee) = FlatFee { fee: 0 };
    66 SametFundUpdate "samet_fund_update" (FlatFee) = FlatFee { fee: P };
    67 SametFundBorrow "samet_fund_borrow" (FlatFee) = FlatFee { fee: P };
    68 SametFundRepay "samet_fund_repay" (FlatFee) = FlatFee { fee: P };
    69 CreditOfferCreate "credit_offer_create" (FeeWithKbyte) = FeeWithKbyte { fee: P, price_per_kbyte: P as u32 };
    70 CreditOfferDelete "credit_offer_delete" (FlatFee) = FlatFee { fee: 0 };
    71 CreditOfferUpdate "credit_offer_update" (FeeWithKbyte) = FeeWithKbyte { fee: P, price_per_kbyte: P as u32 };
    72 CreditOfferAccept "credit_offer_accept" (FlatFee) = FlatFee { fee: P };
    73 CreditDealRepay "credit_deal_repay" (FlatFee) = FlatFee { fee: P };
    74 CreditDealExpired "credit_deal_expired" (NoFeeParams) = NoFeeParams {};
    75 LiquidityPoolUpdate "liquidity_pool_update" (FlatFee) = FlatFee { fee: P };
    // credit_offer.hpp:217: `fee = GRAPHENE_BLOCKCHAIN_PRECISION`, 1 BTS.
    76 CreditDealUpdate "credit_deal_update" (FlatFee) = FlatFee { fee: P };
    77 LimitOrderUpdate "limit_order_update" (FlatFee) = FlatFee { fee: P * 3 / 8 };
}

// The table must list tags 0..COUNT in order: the static variant's `which` is the position.
const _: () = {
    let mut i = 0;
    while i < TAGS.len() {
        assert!(TAGS[i] as usize == i, "fee parameter tags must be 0..COUNT in order");
        i += 1;
    }
};

impl Pack for FeeParameters {
    fn pack(&self, out: &mut Vec<u8>) {
        crate::encoding::write_varint(out, u64::from(self.tag()));
        self.pack_body(out);
    }
}

impl Unpack for FeeParameters {
    fn unpack(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let offset = r.offset();
        let tag = r.varint()?;
        Self::unpack_body(tag, offset, r)
    }
}

impl Serialize for FeeParameters {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let body = self.body_json().map_err(serde::ser::Error::custom)?;
        (self.tag(), body).serialize(s)
    }
}

impl<'de> Deserialize<'de> for FeeParameters {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::Error;
        let (tag, body): (serde_json::Value, serde_json::Value) = Deserialize::deserialize(d)?;
        let tag = match &tag {
            serde_json::Value::Number(n) => n.as_u64(),
            serde_json::Value::String(s) => s.parse().ok(),
            _ => None,
        }
        .ok_or_else(|| D::Error::custom(format!("fee_parameters tag must be an operation number, got {tag}")))?;
        Self::from_json_body(tag, body).map_err(D::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_tag_has_defaults_and_round_trips() {
        assert_eq!(FeeParameters::COUNT, 78);
        for tag in 0..FeeParameters::COUNT as u64 {
            let p = FeeParameters::default_for_tag(tag).unwrap();
            assert_eq!(u64::from(p.tag()), tag);
            assert_eq!(FeeParameters::from_bytes(&p.to_bytes()).unwrap(), p, "binary {tag}");
            let json = serde_json::to_string(&p).unwrap();
            assert_eq!(serde_json::from_str::<FeeParameters>(&json).unwrap(), p, "json {tag}");
        }
        assert_eq!(FeeParameters::default_for_tag(78), None);
    }

    #[test]
    fn exact_encodings() {
        let t = FeeParameters::default_for_tag(0).unwrap();
        // tag 0, fee 2000000 u64 LE, price_per_kbyte 1000000 u32 LE
        assert_eq!(hex::encode(t.to_bytes()), "0080841e000000000040420f00");
        assert_eq!(serde_json::to_string(&t).unwrap(), r#"[0,{"fee":2000000,"price_per_kbyte":1000000}]"#);
        let ac = FeeParameters::default_for_tag(10).unwrap();
        assert_eq!(
            serde_json::to_string(&ac).unwrap(),
            r#"[10,{"symbol3":"50000000000","symbol4":"30000000000","long_symbol":500000000,"price_per_kbyte":10}]"#
        );
        let v = FeeParameters::default_for_tag(4).unwrap();
        assert_eq!(v.to_bytes(), vec![4]);
        assert_eq!(serde_json::to_string(&v).unwrap(), "[4,{}]");
        assert_eq!(FeeParameters::default_for_tag(77), Some(FeeParameters::LimitOrderUpdate(FlatFee { fee: 37_500 })));
    }

    #[test]
    fn unknown_tag_and_bad_json_are_errors() {
        assert!(matches!(FeeParameters::from_bytes(&[78]), Err(DecodeError::UnknownTag { tag: 78, .. })));
        assert!(serde_json::from_str::<FeeParameters>(r#"[99,{}]"#).is_err());
        assert!(serde_json::from_str::<FeeParameters>(r#"[0,{"fee":-1}]"#).is_err());
        // lenient: strings for numbers, missing fields take the operation's C++ default (not
        // zero), unknown fields ignored
        let p: FeeParameters = serde_json::from_str(r#"["0",{"fee":"7","zz":1}]"#).unwrap();
        assert_eq!(p, FeeParameters::Transfer(FeeWithKbyte { fee: 7, price_per_kbyte: 1_000_000 }));
    }
}
