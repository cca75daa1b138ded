//! Accounts: create (5), update (6), whitelist (7), upgrade (8), transfer (9), with
//! `account_options`, vote ids, special authorities and buyback options (`account.hpp`,
//! `account.cpp`, `vote.hpp`, `special_authority.hpp`, `buyback.hpp`).

use super::validate::{account_authority, fee_non_negative, percent};
use super::{OperationBody, ValidateError, VoidT};
use crate::asset::Asset;
use crate::authority::Authority;
use crate::encoding::{DecodeError, Pack, Reader, Unpack};
use crate::ext::Extensions;
use crate::ids::{AccountId, AssetId, NULL_ACCOUNT, PROXY_TO_SELF_ACCOUNT, TEMP_ACCOUNT};
use crate::keys::PublicKey;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::cmp::Ordering;
use std::collections::BTreeSet;
use std::fmt;

/// What a vote is for.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum VoteType {
    Committee = 0,
    Witness = 1,
    Worker = 2,
}

/// `vote_id_type`: `content = instance << 8 | type`; text `"type:instance"`.
///
/// Sets of vote ids order by instance only (the C++ compares through the implicit conversion to
/// the instance), so two ids with one instance and different types are equivalent in a set.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct VoteId(pub u32);

impl VoteId {
    pub fn new(ty: VoteType, instance: u32) -> Self {
        VoteId((instance << 8) | ty as u32)
    }
    pub fn type_code(self) -> u8 {
        (self.0 & 0xff) as u8
    }
    pub fn vote_type(self) -> Option<VoteType> {
        match self.type_code() {
            0 => Some(VoteType::Committee),
            1 => Some(VoteType::Witness),
            2 => Some(VoteType::Worker),
            _ => None,
        }
    }
    pub fn instance(self) -> u32 {
        self.0 >> 8
    }
}

impl Ord for VoteId {
    fn cmp(&self, other: &Self) -> Ordering {
        self.instance().cmp(&other.instance())
    }
}
impl PartialOrd for VoteId {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl fmt::Display for VoteId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.type_code(), self.instance())
    }
}
impl fmt::Debug for VoteId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}
impl std::str::FromStr for VoteId {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let bad = || format!("'{s}' is not a vote id of the form type:instance");
        let (t, i) = s.split_once(':').ok_or_else(bad)?;
        let t: u8 = t.parse().map_err(|_| bad())?;
        let i: u32 = i.parse().map_err(|_| bad())?;
        if i > 0x00ff_ffff {
            return Err(format!("vote instance in '{s}' does not fit in 24 bits"));
        }
        Ok(VoteId((i << 8) | u32::from(t)))
    }
}
impl Pack for VoteId {
    fn pack(&self, out: &mut Vec<u8>) {
        self.0.pack(out)
    }
}
impl Unpack for VoteId {
    fn unpack(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        u32::unpack(r).map(VoteId)
    }
}
impl Serialize for VoteId {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}
impl<'de> Deserialize<'de> for VoteId {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = std::borrow::Cow::<'de, str>::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}
impl super::sample::Sample for VoteId {
    fn sample(g: &mut super::sample::Gen) -> Self {
        VoteId(((g.below(1 << 24) as u32) << 8) | g.below(3) as u32)
    }
}

protocol_struct! {
    /// `account_options`.
    pub struct AccountOptions {
        memo_key: PublicKey,
        voting_account: AccountId = PROXY_TO_SELF_ACCOUNT,
        #[serde(with = "crate::json::lenient")]
        num_witness: u16,
        #[serde(with = "crate::json::lenient")]
        num_committee: u16,
        votes: BTreeSet<VoteId>,
        extensions: Extensions,
    }
}

impl AccountOptions {
    /// `account_options::validate`: the desired counts may not exceed the votes of each kind.
    pub fn validate(&self) -> Result<(), ValidateError> {
        let mut witnesses = self.num_witness;
        let mut committee = self.num_committee;
        for v in &self.votes {
            match v.vote_type() {
                Some(VoteType::Witness) if witnesses > 0 => witnesses -= 1,
                Some(VoteType::Committee) if committee > 0 => committee -= 1,
                _ => {}
            }
        }
        if witnesses != 0 || committee != 0 {
            return Err(ValidateError::rule(
                "too_few_votes",
                format!(
                    "num_witness {} / num_committee {} exceed the witness/committee votes cast",
                    self.num_witness, self.num_committee
                ),
            ));
        }
        Ok(())
    }
}

protocol_struct! {
    /// `no_special_authority`.
    pub struct NoSpecialAuthority {}
}

protocol_struct! {
    /// `top_holders_special_authority`: the authority follows the top holders of an asset.
    pub struct TopHoldersSpecialAuthority {
        asset: AssetId,
        #[serde(with = "crate::json::lenient")]
        num_top_holders: u8,
    }
}

static_variant! {
    /// `special_authority`.
    pub enum SpecialAuthority {
        0 => NoSpecialAuthority(NoSpecialAuthority) "no_special_authority",
        1 => TopHolders(TopHoldersSpecialAuthority) "top_holders_special_authority",
    }
}

impl Default for SpecialAuthority {
    fn default() -> Self {
        SpecialAuthority::NoSpecialAuthority(NoSpecialAuthority {})
    }
}

fn validate_special_authority(a: &SpecialAuthority) -> Result<(), ValidateError> {
    if let SpecialAuthority::TopHolders(t) = a {
        if t.num_top_holders == 0 {
            return Err(ValidateError::ZeroAmount { field: "num_top_holders" });
        }
    }
    Ok(())
}

protocol_struct! {
    /// `buyback_account_options`.
    pub struct BuybackAccountOptions {
        asset_to_buy: AssetId,
        asset_to_buy_issuer: AccountId,
        markets: BTreeSet<AssetId>,
    }
}

ext_struct! {
    /// `account_create_operation::ext`.
    pub struct AccountCreateExt {
        0 => null_ext: VoidT,
        1 => owner_special_authority: SpecialAuthority,
        2 => active_special_authority: SpecialAuthority,
        3 => buyback_options: BuybackAccountOptions,
    }
}

protocol_struct! {
    /// 5 `account_create_operation`.
    pub struct AccountCreateOp {
        fee: Asset,
        registrar: AccountId,
        referrer: AccountId,
        #[serde(with = "crate::json::lenient")]
        referrer_percent: u16,
        name: String,
        owner: Authority,
        active: Authority,
        options: AccountOptions,
        extensions: AccountCreateExt,
    }
}

impl OperationBody for AccountCreateOp {
    fn fee_payer(&self) -> AccountId {
        self.registrar
    }
    fn validate(&self) -> Result<(), ValidateError> {
        fee_non_negative(&self.fee)?;
        if !super::is_valid_account_name(&self.name) {
            return Err(ValidateError::InvalidAccountName { name: self.name.clone() });
        }
        percent("referrer_percent", self.referrer_percent)?;
        account_authority("owner", &self.owner)?;
        account_authority("active", &self.active)?;
        self.options.validate()?;
        if let Some(a) = &self.extensions.owner_special_authority {
            validate_special_authority(a)?;
        }
        if let Some(a) = &self.extensions.active_special_authority {
            validate_special_authority(a)?;
        }
        if let Some(b) = &self.extensions.buyback_options {
            let null = Authority::single_account(NULL_ACCOUNT);
            if self.owner != null || self.active != null {
                return Err(ValidateError::rule(
                    "buyback_authority_not_null",
                    "a buyback account must have the null account as owner and active authority",
                ));
            }
            if b.markets.is_empty() {
                return Err(ValidateError::rule("buyback_no_markets", "buyback options must list at least one market"));
            }
            if b.markets.contains(&b.asset_to_buy) {
                return Err(ValidateError::SameAsset { field: "buyback market", asset: b.asset_to_buy });
            }
        }
        Ok(())
    }
    fn required_authorities(
        &self,
        active: &mut BTreeSet<AccountId>,
        _: &mut BTreeSet<AccountId>,
        _: &mut Vec<Authority>,
    ) {
        if let Some(b) = &self.extensions.buyback_options {
            active.insert(b.asset_to_buy_issuer);
        }
    }
}

ext_struct! {
    /// `account_update_operation::ext`.
    pub struct AccountUpdateExt {
        0 => null_ext: VoidT,
        1 => owner_special_authority: SpecialAuthority,
        2 => active_special_authority: SpecialAuthority,
    }
}

protocol_struct! {
    /// 6 `account_update_operation`.
    pub struct AccountUpdateOp {
        fee: Asset,
        account: AccountId,
        #[serde(skip_serializing_if = "Option::is_none")]
        owner: Option<Authority>,
        #[serde(skip_serializing_if = "Option::is_none")]
        active: Option<Authority>,
        #[serde(skip_serializing_if = "Option::is_none")]
        new_options: Option<AccountOptions>,
        extensions: AccountUpdateExt,
    }
}

impl AccountUpdateOp {
    /// Changing the owner authority (or the owner special authority) needs the owner's approval.
    pub fn is_owner_update(&self) -> bool {
        self.owner.is_some() || self.extensions.owner_special_authority.is_some()
    }
}

impl OperationBody for AccountUpdateOp {
    fn fee_payer(&self) -> AccountId {
        self.account
    }
    fn validate(&self) -> Result<(), ValidateError> {
        if self.account == TEMP_ACCOUNT || self.account == AccountId(0) {
            return Err(ValidateError::rule(
                "special_account_update",
                format!("account {} can not be updated", self.account),
            ));
        }
        fee_non_negative(&self.fee)?;
        let has_action = self.owner.is_some()
            || self.active.is_some()
            || self.new_options.is_some()
            || self.extensions.owner_special_authority.is_some()
            || self.extensions.active_special_authority.is_some();
        if !has_action {
            return Err(ValidateError::rule("nothing_to_update", "account_update must change something"));
        }
        if let Some(o) = &self.owner {
            account_authority("owner", o)?;
        }
        if let Some(a) = &self.active {
            account_authority("active", a)?;
        }
        if let Some(opts) = &self.new_options {
            opts.validate()?;
        }
        if let Some(a) = &self.extensions.owner_special_authority {
            validate_special_authority(a)?;
        }
        if let Some(a) = &self.extensions.active_special_authority {
            validate_special_authority(a)?;
        }
        Ok(())
    }
    fn required_authorities(
        &self,
        active: &mut BTreeSet<AccountId>,
        owner: &mut BTreeSet<AccountId>,
        _: &mut Vec<Authority>,
    ) {
        if self.is_owner_update() {
            owner.insert(self.account);
        } else {
            active.insert(self.account);
        }
    }
}

/// `account_whitelist_operation::account_listing` bits.
pub const WHITE_LISTED: u8 = 1;
pub const BLACK_LISTED: u8 = 2;

protocol_struct! {
    /// 7 `account_whitelist_operation`.
    pub struct AccountWhitelistOp {
        fee: Asset,
        authorizing_account: AccountId,
        account_to_list: AccountId,
        #[serde(with = "crate::json::lenient")]
        new_listing: u8,
        extensions: Extensions,
    }
}

impl OperationBody for AccountWhitelistOp {
    fn fee_payer(&self) -> AccountId {
        self.authorizing_account
    }
    fn validate(&self) -> Result<(), ValidateError> {
        fee_non_negative(&self.fee)?;
        if self.new_listing >= 4 {
            return Err(ValidateError::OutOfRange { field: "new_listing", value: u64::from(self.new_listing) });
        }
        Ok(())
    }
}

protocol_struct! {
    /// 8 `account_upgrade_operation`.
    pub struct AccountUpgradeOp {
        fee: Asset,
        account_to_upgrade: AccountId,
        upgrade_to_lifetime_member: bool,
        extensions: Extensions,
    }
}
super::simple_body!(AccountUpgradeOp => account_to_upgrade);

protocol_struct! {
    /// 9 `account_transfer_operation` (no evaluator: always rejected by the chain).
    pub struct AccountTransferOp {
        fee: Asset,
        account_id: AccountId,
        new_owner: AccountId,
        extensions: Extensions,
    }
}
super::simple_body!(AccountTransferOp => account_id);
