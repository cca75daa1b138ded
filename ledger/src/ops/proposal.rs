//! Proposals: create (22), update (23), delete (24) and `op_wrapper` (`proposal.hpp`,
//! `proposal.cpp`).

use super::validate::fee_non_negative;
use super::{Operation, OperationBody, ValidateError};
use crate::asset::Asset;
use crate::authority::Authority;
use crate::ext::Extensions;
use crate::ids::{AccountId, ProposalId};
use crate::keys::PublicKey;
use crate::time::TimePointSec;
use std::collections::BTreeSet;

protocol_struct! {
    /// `op_wrapper`: binary is just the operation, JSON is `{"op": [tag, {...}]}`.
    pub struct OpWrapper {
        op: Operation,
    }
}

protocol_struct! {
    /// 22 `proposal_create_operation`.
    pub struct ProposalCreateOp {
        fee: Asset,
        fee_paying_account: AccountId,
        expiration_time: TimePointSec,
        proposed_ops: Vec<OpWrapper>,
        #[serde(skip_serializing_if = "Option::is_none", with = "opt_u32")]
        review_period_seconds: Option<u32>,
        extensions: Extensions,
    }
}

/// `optional<uint32_t>` accepting numbers or strings.
mod opt_u32 {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub fn serialize<S: Serializer>(v: &Option<u32>, s: S) -> Result<S::Ok, S::Error> {
        v.serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u32>, D::Error> {
        match serde_json::Value::deserialize(d)? {
            serde_json::Value::Null => Ok(None),
            v => crate::json::lenient::deserialize(v).map(Some).map_err(serde::de::Error::custom),
        }
    }
}

impl OperationBody for ProposalCreateOp {
    fn fee_payer(&self) -> AccountId {
        self.fee_paying_account
    }
    fn validate(&self) -> Result<(), ValidateError> {
        fee_non_negative(&self.fee)?;
        if self.proposed_ops.is_empty() {
            return Err(ValidateError::rule("empty_proposal", "a proposal must contain at least one operation"));
        }
        for (index, w) in self.proposed_ops.iter().enumerate() {
            w.op.validate().map_err(|e| ValidateError::InOperation { index, source: Box::new(e) })?;
        }
        Ok(())
    }
}

protocol_struct! {
    /// 23 `proposal_update_operation`.
    pub struct ProposalUpdateOp {
        fee: Asset,
        fee_paying_account: AccountId,
        proposal: ProposalId,
        active_approvals_to_add: BTreeSet<AccountId>,
        active_approvals_to_remove: BTreeSet<AccountId>,
        owner_approvals_to_add: BTreeSet<AccountId>,
        owner_approvals_to_remove: BTreeSet<AccountId>,
        key_approvals_to_add: BTreeSet<PublicKey>,
        key_approvals_to_remove: BTreeSet<PublicKey>,
        extensions: Extensions,
    }
}

impl OperationBody for ProposalUpdateOp {
    fn fee_payer(&self) -> AccountId {
        self.fee_paying_account
    }
    fn validate(&self) -> Result<(), ValidateError> {
        fee_non_negative(&self.fee)?;
        if self.active_approvals_to_add.is_empty()
            && self.active_approvals_to_remove.is_empty()
            && self.owner_approvals_to_add.is_empty()
            && self.owner_approvals_to_remove.is_empty()
            && self.key_approvals_to_add.is_empty()
            && self.key_approvals_to_remove.is_empty()
        {
            return Err(ValidateError::rule("nothing_to_update", "proposal_update must add or remove an approval"));
        }
        let both = |what: &str, x: String| {
            ValidateError::rule("add_and_remove_approval", format!("{what} approval {x} is both added and removed"))
        };
        if let Some(a) = self.active_approvals_to_add.intersection(&self.active_approvals_to_remove).next() {
            return Err(both("active", a.to_string()));
        }
        if let Some(a) = self.owner_approvals_to_add.intersection(&self.owner_approvals_to_remove).next() {
            return Err(both("owner", a.to_string()));
        }
        if let Some(k) = self.key_approvals_to_add.intersection(&self.key_approvals_to_remove).next() {
            return Err(both("key", k.to_string()));
        }
        Ok(())
    }
    fn required_authorities(
        &self,
        active: &mut BTreeSet<AccountId>,
        owner: &mut BTreeSet<AccountId>,
        other: &mut Vec<Authority>,
    ) {
        active.extend(self.active_approvals_to_add.iter().chain(&self.active_approvals_to_remove));
        owner.extend(self.owner_approvals_to_add.iter().chain(&self.owner_approvals_to_remove));
        // Every key added or removed must sign: weight 1 each, threshold = number of keys.
        let mut auth = Authority::default();
        for k in self.key_approvals_to_add.iter().chain(&self.key_approvals_to_remove) {
            auth.key_auths.insert(*k, 1);
        }
        auth.weight_threshold = auth.key_auths.len() as u32;
        other.push(auth);
    }
}

protocol_struct! {
    /// 24 `proposal_delete_operation`: only the payer's active authority is required, even with
    /// `using_owner_authority` (PROTOCOL.md §4.3).
    pub struct ProposalDeleteOp {
        fee: Asset,
        fee_paying_account: AccountId,
        using_owner_authority: bool,
        proposal: ProposalId,
        extensions: Extensions,
    }
}
super::simple_body!(ProposalDeleteOp => fee_paying_account);
