//! Governance: witnesses (20, 21), committee members (29, 30), chain parameter changes (31) and
//! workers (34), with the chain parameters and fee schedule they carry (`witness.hpp`,
//! `committee_member.hpp`, `worker.hpp`, `chain_parameters.hpp`, `fee_schedule.hpp`).
//!
//! Op 31 carries a [`ChainParameters`] ([`crate::chain`]), whose fee schedule and its arithmetic
//! live in [`crate::fees`]; they are re-exported here for the op's users.

use super::validate::{fee_non_negative, supply_amount};
use super::{OperationBody, ValidateError};
use crate::asset::Asset;
pub use crate::chain::ChainParameters;
pub use crate::fees::{FeeParameters, FeeSchedule};
use crate::ids::{AccountId, CommitteeMemberId, WitnessId, COMMITTEE_ACCOUNT};
use crate::keys::PublicKey;
use crate::time::TimePointSec;

/// URLs must be shorter than this (`config.hpp` `GRAPHENE_MAX_URL_LENGTH`).
pub const URL_LENGTH_LIMIT: usize = 127;
/// Worker names must be shorter than this.
pub const WORKER_NAME_LENGTH_LIMIT: usize = 63;

fn url_ok(url: &str) -> Result<(), ValidateError> {
    if url.len() >= URL_LENGTH_LIMIT {
        return Err(ValidateError::TooLarge {
            field: "url length",
            value: url.len() as i64,
            max: URL_LENGTH_LIMIT as i64 - 1,
        });
    }
    Ok(())
}

protocol_struct! {
    /// 20 `witness_create_operation`.
    pub struct WitnessCreateOp {
        fee: Asset,
        witness_account: AccountId,
        url: String,
        block_signing_key: PublicKey,
    }
}

impl OperationBody for WitnessCreateOp {
    fn fee_payer(&self) -> AccountId {
        self.witness_account
    }
    fn validate(&self) -> Result<(), ValidateError> {
        fee_non_negative(&self.fee)?;
        url_ok(&self.url)
    }
}

protocol_struct! {
    /// 21 `witness_update_operation`.
    pub struct WitnessUpdateOp {
        fee: Asset,
        witness: WitnessId,
        witness_account: AccountId,
        #[serde(skip_serializing_if = "Option::is_none")]
        new_url: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        new_signing_key: Option<PublicKey>,
    }
}

impl OperationBody for WitnessUpdateOp {
    fn fee_payer(&self) -> AccountId {
        self.witness_account
    }
    fn validate(&self) -> Result<(), ValidateError> {
        fee_non_negative(&self.fee)?;
        if let Some(u) = &self.new_url {
            if u.is_empty() {
                return Err(ValidateError::rule("empty_url", "new_url must not be empty"));
            }
            url_ok(u)?;
        }
        Ok(())
    }
}

protocol_struct! {
    /// 29 `committee_member_create_operation`.
    pub struct CommitteeMemberCreateOp {
        fee: Asset,
        committee_member_account: AccountId,
        url: String,
    }
}

impl OperationBody for CommitteeMemberCreateOp {
    fn fee_payer(&self) -> AccountId {
        self.committee_member_account
    }
    fn validate(&self) -> Result<(), ValidateError> {
        fee_non_negative(&self.fee)?;
        url_ok(&self.url)
    }
}

protocol_struct! {
    /// 30 `committee_member_update_operation`.
    pub struct CommitteeMemberUpdateOp {
        fee: Asset,
        committee_member: CommitteeMemberId,
        committee_member_account: AccountId,
        #[serde(skip_serializing_if = "Option::is_none")]
        new_url: Option<String>,
    }
}

impl OperationBody for CommitteeMemberUpdateOp {
    fn fee_payer(&self) -> AccountId {
        self.committee_member_account
    }
    fn validate(&self) -> Result<(), ValidateError> {
        fee_non_negative(&self.fee)?;
        if let Some(u) = &self.new_url {
            url_ok(u)?;
        }
        Ok(())
    }
}

protocol_struct! {
    /// 31 `committee_member_update_global_parameters_operation`: paid by, and only proposable
    /// for, the committee account 1.2.0.
    pub struct CommitteeMemberUpdateGlobalParametersOp {
        fee: Asset,
        new_parameters: ChainParameters,
    }
}

impl OperationBody for CommitteeMemberUpdateGlobalParametersOp {
    fn fee_payer(&self) -> AccountId {
        COMMITTEE_ACCOUNT
    }
    fn validate(&self) -> Result<(), ValidateError> {
        fee_non_negative(&self.fee)?;
        self.new_parameters.validate().map_err(|e| ValidateError::rule("invalid_chain_parameters", e.to_string()))
    }
}

protocol_struct! {
    /// `refund_worker_initializer`.
    pub struct RefundWorkerInitializer {}
}
protocol_struct! {
    /// `vesting_balance_worker_initializer`.
    pub struct VestingBalanceWorkerInitializer {
        #[serde(with = "crate::json::lenient")]
        pay_vesting_period_days: u16,
    }
}
protocol_struct! {
    /// `burn_worker_initializer`.
    pub struct BurnWorkerInitializer {}
}

static_variant! {
    /// `worker_initializer`.
    pub enum WorkerInitializer {
        0 => Refund(RefundWorkerInitializer) "refund_worker_initializer",
        1 => VestingBalance(VestingBalanceWorkerInitializer) "vesting_balance_worker_initializer",
        2 => Burn(BurnWorkerInitializer) "burn_worker_initializer",
    }
}

impl Default for WorkerInitializer {
    fn default() -> Self {
        WorkerInitializer::Refund(RefundWorkerInitializer {})
    }
}

protocol_struct! {
    /// 34 `worker_create_operation`.
    pub struct WorkerCreateOp {
        fee: Asset,
        owner: AccountId,
        work_begin_date: TimePointSec,
        work_end_date: TimePointSec,
        #[serde(with = "crate::json::int64")]
        daily_pay: i64,
        name: String,
        url: String,
        initializer: WorkerInitializer,
    }
}

impl OperationBody for WorkerCreateOp {
    fn fee_payer(&self) -> AccountId {
        self.owner
    }
    fn validate(&self) -> Result<(), ValidateError> {
        fee_non_negative(&self.fee)?;
        if self.work_end_date <= self.work_begin_date {
            return Err(ValidateError::rule(
                "work_ends_before_it_begins",
                format!("work_end_date {} is not after work_begin_date {}", self.work_end_date, self.work_begin_date),
            ));
        }
        supply_amount("daily_pay", self.daily_pay)?;
        if self.name.len() >= WORKER_NAME_LENGTH_LIMIT {
            return Err(ValidateError::TooLarge {
                field: "worker name length",
                value: self.name.len() as i64,
                max: WORKER_NAME_LENGTH_LIMIT as i64 - 1,
            });
        }
        url_ok(&self.url)
    }
}

/// A seeded arbitrary parameter set: random scalars, a random subset of the default fee
/// schedule with random fees, and random extensions. Not necessarily valid.
impl super::sample::Sample for ChainParameters {
    fn sample(g: &mut super::sample::Gen) -> Self {
        use super::sample::Sample;
        let mut fees = Vec::new();
        for tag in 0..crate::fees::FeeParameters::COUNT as u64 {
            if !g.chance(3) {
                continue;
            }
            match crate::fees::FeeParameters::default_for_tag(tag) {
                Some(crate::fees::FeeParameters::LimitOrderCreate(_)) => {
                    fees.push(crate::fees::FeeParameters::LimitOrderCreate(crate::fees::FlatFee {
                        fee: Sample::sample(g),
                    }))
                }
                Some(other) => fees.push(other),
                None => {}
            }
        }
        ChainParameters {
            current_fees: FeeSchedule::new(fees, Sample::sample(g)),
            block_interval: Sample::sample(g),
            maintenance_interval: Sample::sample(g),
            maximum_transaction_size: Sample::sample(g),
            cashback_vesting_threshold: Sample::sample(g),
            count_non_member_votes: g.chance(2),
            max_authority_depth: Sample::sample(g),
            extensions: crate::chain::ChainParametersExt {
                updatable_htlc_options: g.chance(2).then(|| crate::chain::HtlcOptions {
                    max_timeout_secs: Sample::sample(g),
                    max_preimage_size: Sample::sample(g),
                }),
                market_fee_network_percent: g.chance(2).then(|| Sample::sample(g)),
                ..Default::default()
            },
            ..ChainParameters::default()
        }
    }
}
