//! Read-only views of the state in the JSON shapes of the BitShares API (`get_objects`,
//! `get_account_balances`), used by `graphene apply` now and by the websocket API later.

use crate::state::State;
use ledger::asset::Asset;
use ledger::ids::*;
use serde_json::Value;

/// The object with this id as `get_objects` shows it, or `null`.
pub fn get_object(state: &State, id: ObjectId) -> Value {
    let i = id.instance();
    let v = match (id.space(), id.type_id()) {
        (1, 2) => state.accounts.get(i).map(serde_json::to_value),
        (1, 3) => state.assets.get(i).map(serde_json::to_value),
        (1, 5) => state.committee_members.get(i).map(serde_json::to_value),
        (1, 6) => state.witnesses.get(i).map(serde_json::to_value),
        (1, 13) => state.vesting_balances.get(i).map(serde_json::to_value),
        (1, 15) => state.genesis_balances.get(i).map(serde_json::to_value),
        (2, 0) => state.global.get(i).map(serde_json::to_value),
        (2, 1) => state.dynamic_global.get(i).map(serde_json::to_value),
        (2, 3) => state.asset_dynamic.get(i).map(serde_json::to_value),
        (2, 5) => state.balances.get(i).map(serde_json::to_value),
        (2, 6) => state.statistics.get(i).map(serde_json::to_value),
        (2, 7) => state.recent_transactions.get(i).map(serde_json::to_value),
        (2, 8) => state.block_summaries.get(i).map(serde_json::to_value),
        (2, 11) => state.chain_property.get(i).map(serde_json::to_value),
        (2, 12) => state.witness_schedule.get(i).map(serde_json::to_value),
        _ => None,
    };
    match v {
        Some(Ok(v)) => v,
        _ => Value::Null,
    }
}

/// An account by id text (`1.2.17`) or by name.
pub fn find_account(state: &State, id_or_name: &str) -> Option<AccountId> {
    match id_or_name.parse::<AccountId>() {
        Ok(id) => state.account(id).map(|a| a.id),
        Err(_) => state.account_by_name(id_or_name).map(|a| a.id),
    }
}

/// `get_account_balances(account, [])`: every asset the account holds a balance object of, in
/// asset order, zero balances included (as bitshares-core returns them).
pub fn account_balances(state: &State, account: AccountId) -> Vec<Asset> {
    state
        .balances
        .index()
        .of_owner(account)
        .filter_map(|i| state.balances.get(i))
        .map(|b| Asset::new(b.balance, b.asset_type))
        .collect()
}

/// `get_vesting_balances(account)`: the account's vesting balance objects (cashback, worker,
/// user vesting), in id order, as `get_objects` shows them.
pub fn vesting_balances(state: &State, account: AccountId) -> Vec<Value> {
    state
        .vesting_balances
        .index()
        .of_owner(account)
        .filter_map(|i| state.vesting_balances.get(i))
        .filter_map(|vb| serde_json::to_value(vb).ok())
        .collect()
}
