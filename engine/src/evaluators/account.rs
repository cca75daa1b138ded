//! `account_create` (op 5) and `account_update` (op 6): PROTOCOL.md §4.1, §7.1–§7.3.

use super::{require_account, Context};
use crate::error::Rejection;
use crate::state::State;
use ledger::asset::PERCENT_100;
use ledger::authority::Authority;
use ledger::ids::*;
use ledger::objects::{AccountObject, AccountStatisticsObject};
use ledger::ops::{AccountCreateOp, AccountOptions, AccountUpdateOp, OperationResult};
use ledger::time::TimePointSec;

/// Authorities may name at most `maximum_authority_membership` members, and only accounts that
/// exist (account_evaluator.cpp:42-56).
fn check_authority(state: &State, which: &'static str, auth: &Authority) -> Result<(), Rejection> {
    let max = state.gpo().parameters.maximum_authority_membership;
    if auth.num_auths() > usize::from(max) {
        return Err(Rejection::AuthorityTooLarge { which, count: auth.num_auths(), max });
    }
    for account in auth.account_auths.keys() {
        require_account(state, *account)?;
    }
    Ok(())
}

/// `verify_account_votes` (account_evaluator.cpp:58-117): the wanted numbers of witnesses and
/// committee members are within the chain's maximums, the voting proxy exists, and every vote
/// names an existing witness or committee member (worker votes arrive with the governance issue).
fn check_options(state: &State, options: &AccountOptions) -> Result<(), Rejection> {
    let params = &state.gpo().parameters;
    for (kind, wanted, max) in [
        ("witness", options.num_witness, params.maximum_witness_count),
        ("committee member", options.num_committee, params.maximum_committee_count),
    ] {
        if wanted > max {
            return Err(Rejection::VoteCountAboveMaximum { kind, wanted, max });
        }
    }
    require_account(state, options.voting_account)?;
    for vote in &options.votes {
        let known =
            state.witnesses.index().0.contains_key(vote) || state.committee_members.index().0.contains_key(vote);
        if !known {
            return Err(Rejection::UnknownVote { vote: vote.to_string() });
        }
    }
    Ok(())
}

/// What `apply_create` needs from the checks: the referrer chain.
pub struct CreatePlan {
    lifetime_referrer: AccountId,
}

pub fn evaluate_create(state: &State, _ctx: &Context, op: &AccountCreateOp) -> Result<CreatePlan, Rejection> {
    let registrar = require_account(state, op.registrar)?;
    if !registrar.is_lifetime_member() {
        return Err(Rejection::RegistrarNotLifetimeMember(op.registrar));
    }
    let referrer = require_account(state, op.referrer)?;
    if !referrer.is_member(state.dgp().time) {
        return Err(Rejection::ReferrerNotMember(op.referrer));
    }
    check_authority(state, "owner", &op.owner)?;
    check_authority(state, "active", &op.active)?;
    check_options(state, &op.options)?;
    if state.account_by_name(&op.name).is_some() {
        return Err(Rejection::NameTaken(op.name.clone()));
    }
    if !op.extensions.is_empty() {
        return Err(Rejection::Unsupported {
            op: "account_create",
            reason: "special authorities and buyback accounts arrive with a later issue",
        });
    }
    Ok(CreatePlan { lifetime_referrer: referrer.lifetime_referrer })
}

pub fn apply_create(state: &mut State, ctx: &Context, op: &AccountCreateOp, plan: CreatePlan) -> OperationResult {
    let params = &state.gpo().parameters;
    let (network_pct, lifetime_pct) = (params.network_percent_of_fee, params.lifetime_referrer_percent_of_fee);
    let account_instance = state.accounts.next_instance();
    let is_voting = op.options.voting_account != PROXY_TO_SELF_ACCOUNT || !op.options.votes.is_empty();
    let stats = state.statistics.create(|i| AccountStatisticsObject {
        id: AccountStatisticsId(i),
        owner: AccountId(account_instance),
        name: op.name.clone(),
        is_voting,
        ..Default::default()
    });
    let id = state.accounts.create(|i| AccountObject {
        id: AccountId(i),
        membership_expiration_date: TimePointSec(0),
        registrar: op.registrar,
        referrer: op.referrer,
        lifetime_referrer: plan.lifetime_referrer,
        network_fee_percentage: network_pct,
        lifetime_referrer_fee_percentage: lifetime_pct,
        referrer_rewards_percentage: op.referrer_percent,
        name: op.name.clone(),
        owner: op.owner.clone(),
        active: op.active.clone(),
        options: op.options.clone(),
        statistics: AccountStatisticsId(stats),
        creation_block_num: ctx.block_num,
        // account_evaluator.cpp:214: `_current_block_time`, the block being applied.
        creation_time: ctx.block_time,
        ..Default::default()
    });
    debug_assert_eq!(id, account_instance);
    state.dynamic_global.modify(0, |d| d.accounts_registered_this_interval += 1);
    // Every `accounts_per_fee_scale` registrations in one interval make the next ones dearer
    // (§6.5); maintenance shifts the fee back.
    let registered = state.dgp().accounts_registered_this_interval;
    let params = &state.gpo().parameters;
    let (per_scale, shift) = (u32::from(params.accounts_per_fee_scale), u32::from(params.account_fee_scale_bitshifts));
    if per_scale != 0 && registered.is_multiple_of(per_scale) {
        super::fees::shift_account_create_basic_fee(state, shift, true);
    }
    OperationResult::ObjectId(AccountId(id).object_id())
}

/// Make `account` a lifetime member: it becomes its own registrar, referrer and lifetime
/// referrer and keeps everything but the network's cut (account_evaluator.cpp:406-417).
pub fn upgrade_to_lifetime(state: &mut State, account: AccountId) {
    state.accounts.modify(account.0, |a| {
        a.membership_expiration_date = TimePointSec::MAX;
        a.registrar = account;
        a.referrer = account;
        a.lifetime_referrer = account;
        a.lifetime_referrer_fee_percentage = PERCENT_100 - a.network_fee_percentage;
    });
}

pub fn evaluate_update(state: &State, _ctx: &Context, op: &AccountUpdateOp) -> Result<(), Rejection> {
    require_account(state, op.account)?;
    if op.account == COMMITTEE_ACCOUNT || op.account == TEMP_ACCOUNT {
        return Err(Rejection::SpecialAccount { which: op.account });
    }
    if let Some(owner) = &op.owner {
        check_authority(state, "owner", owner)?;
    }
    if let Some(active) = &op.active {
        check_authority(state, "active", active)?;
    }
    if let Some(options) = &op.new_options {
        check_options(state, options)?;
    }
    if !op.extensions.is_empty() {
        return Err(Rejection::Unsupported {
            op: "account_update",
            reason: "special authorities arrive with a later issue",
        });
    }
    Ok(())
}

pub fn apply_update(state: &mut State, op: &AccountUpdateOp) -> OperationResult {
    let now = state.dgp().time;
    let mut votes_changed = false;
    state.accounts.modify(op.account.0, |a| {
        if let Some(owner) = &op.owner {
            a.owner = owner.clone();
        }
        if let Some(active) = &op.active {
            a.active = active.clone();
        }
        if let Some(options) = &op.new_options {
            votes_changed = options.votes != a.options.votes || options.voting_account != a.options.voting_account;
            a.options = options.clone();
        }
    });
    if let Some(options) = &op.new_options {
        let stats = state.account(op.account).expect("checked").statistics.0;
        let is_voting = options.voting_account != PROXY_TO_SELF_ACCOUNT || !options.votes.is_empty();
        state.statistics.modify(stats, |s| {
            s.is_voting = is_voting;
            if votes_changed {
                s.last_vote_time = now;
            }
        });
    }
    OperationResult::default()
}
