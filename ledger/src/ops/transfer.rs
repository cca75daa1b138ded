//! Transfers: `transfer` (0), `override_transfer` (38) and the confidential (blind) transfers
//! (39–41), with `memo_data` and the stealth types (`transfer.hpp`, `memo.hpp`,
//! `confidential.hpp`).
//!
//! The blind-transfer types are encoded faithfully (bytes round-trip) but their range proofs and
//! commitments are never checked here: confidential transfers are disabled on the chain this node
//! follows, and their validation needs elliptic-curve commitment maths the protocol crate does not
//! carry.

use super::validate::{different_accounts, fee_non_negative, positive};
use super::{Bytes, Commitment, OperationBody, Sha256, ValidateError};
use crate::asset::Asset;
use crate::authority::Authority;
use crate::ext::Extensions;
use crate::ids::{AccountId, TEMP_ACCOUNT};
use crate::keys::PublicKey;
use std::collections::BTreeSet;

protocol_struct! {
    /// `memo_data`: an encrypted message between two keys.
    pub struct MemoData {
        from: PublicKey,
        to: PublicKey,
        #[serde(with = "crate::json::uint64")]
        nonce: u64,
        message: Bytes,
    }
}

protocol_struct! {
    /// 0 `transfer_operation`.
    pub struct TransferOp {
        fee: Asset,
        from: AccountId,
        to: AccountId,
        amount: Asset,
        #[serde(skip_serializing_if = "Option::is_none")]
        memo: Option<MemoData>,
        extensions: Extensions,
    }
}

impl OperationBody for TransferOp {
    fn fee_payer(&self) -> AccountId {
        self.from
    }
    fn validate(&self) -> Result<(), ValidateError> {
        fee_non_negative(&self.fee)?;
        different_accounts("transfer from/to", self.from, self.to)?;
        positive("amount", self.amount.amount)
    }
}

protocol_struct! {
    /// 38 `override_transfer_operation`: the issuer moves its asset between two accounts.
    pub struct OverrideTransferOp {
        fee: Asset,
        issuer: AccountId,
        from: AccountId,
        to: AccountId,
        amount: Asset,
        #[serde(skip_serializing_if = "Option::is_none")]
        memo: Option<MemoData>,
        extensions: Extensions,
    }
}

impl OperationBody for OverrideTransferOp {
    fn fee_payer(&self) -> AccountId {
        self.issuer
    }
    fn validate(&self) -> Result<(), ValidateError> {
        fee_non_negative(&self.fee)?;
        different_accounts("override_transfer from/to", self.from, self.to)?;
        positive("amount", self.amount.amount)?;
        different_accounts("override_transfer issuer/from", self.issuer, self.from)
    }
}

protocol_struct! {
    /// `stealth_confirmation`: the memo of a blind output.
    pub struct StealthConfirmation {
        one_time_key: PublicKey,
        #[serde(skip_serializing_if = "Option::is_none")]
        to: Option<PublicKey>,
        encrypted_memo: Bytes,
    }
}

protocol_struct! {
    /// `blind_input`.
    pub struct BlindInput {
        commitment: Commitment,
        owner: Authority,
    }
}

protocol_struct! {
    /// `blind_output`.
    pub struct BlindOutput {
        commitment: Commitment,
        range_proof: Bytes,
        owner: Authority,
        #[serde(skip_serializing_if = "Option::is_none")]
        stealth_memo: Option<StealthConfirmation>,
    }
}

protocol_struct! {
    /// 39 `transfer_to_blind_operation`.
    pub struct TransferToBlindOp {
        fee: Asset,
        amount: Asset,
        from: AccountId,
        blinding_factor: Sha256,
        outputs: Vec<BlindOutput>,
    }
}

protocol_struct! {
    /// 40 `blind_transfer_operation`.
    pub struct BlindTransferOp {
        fee: Asset,
        inputs: Vec<BlindInput>,
        outputs: Vec<BlindOutput>,
    }
}

protocol_struct! {
    /// 41 `transfer_from_blind_operation`.
    pub struct TransferFromBlindOp {
        fee: Asset,
        amount: Asset,
        to: AccountId,
        blinding_factor: Sha256,
        inputs: Vec<BlindInput>,
    }
}

impl OperationBody for TransferToBlindOp {
    fn fee_payer(&self) -> AccountId {
        self.from
    }
    fn validate(&self) -> Result<(), ValidateError> {
        fee_non_negative(&self.fee)?;
        positive("amount", self.amount.amount)?;
        if self.outputs.is_empty() {
            return Err(ValidateError::rule("no_outputs", "transfer_to_blind needs at least one output"));
        }
        Ok(())
    }
}

impl OperationBody for BlindTransferOp {
    /// Paid from the blinded inputs; the temp account stands in as payer.
    fn fee_payer(&self) -> AccountId {
        TEMP_ACCOUNT
    }
    fn validate(&self) -> Result<(), ValidateError> {
        fee_non_negative(&self.fee)?;
        if self.inputs.is_empty() || self.outputs.is_empty() {
            return Err(ValidateError::rule("no_inputs_or_outputs", "blind_transfer needs inputs and outputs"));
        }
        Ok(())
    }
    fn required_authorities(
        &self,
        _: &mut BTreeSet<AccountId>,
        _: &mut BTreeSet<AccountId>,
        other: &mut Vec<Authority>,
    ) {
        other.extend(self.inputs.iter().map(|i| i.owner.clone()));
    }
}

impl OperationBody for TransferFromBlindOp {
    fn fee_payer(&self) -> AccountId {
        TEMP_ACCOUNT
    }
    fn validate(&self) -> Result<(), ValidateError> {
        fee_non_negative(&self.fee)?;
        positive("amount", self.amount.amount)?;
        if self.inputs.is_empty() {
            return Err(ValidateError::rule("no_inputs", "transfer_from_blind needs at least one input"));
        }
        Ok(())
    }
    fn required_authorities(
        &self,
        _: &mut BTreeSet<AccountId>,
        _: &mut BTreeSet<AccountId>,
        other: &mut Vec<Authority>,
    ) {
        other.extend(self.inputs.iter().map(|i| i.owner.clone()));
    }
}
