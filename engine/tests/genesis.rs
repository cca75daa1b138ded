//! Genesis builds objects in bitshares-core's order, so ids match (PROTOCOL.md §12).

use engine::genesis::{build, GenesisError};
use ledger::genesis::{GenesisState, DEV_GENESIS_JSON};
use ledger::ids::*;
use ledger::transaction::ChainId;

fn dev() -> GenesisState {
    GenesisState::from_json(DEV_GENESIS_JSON).unwrap()
}

#[test]
fn dev_genesis_ids_follow_the_protocol_order() {
    let g = dev();
    let state = build(&g, ChainId(g.chain_id(DEV_GENESIS_JSON))).unwrap();
    let names: Vec<&str> = (0..6).map(|i| state.account(AccountId(i)).unwrap().name.as_str()).collect();
    assert_eq!(
        names,
        [
            "committee-account",
            "witness-account",
            "relaxed-committee-account",
            "null-account",
            "temp-account",
            "proxy-to-self"
        ]
    );
    assert_eq!(state.account_by_name("init0").unwrap().id, AccountId(6));
    assert_eq!(state.account_by_name("nathan").unwrap().id, AccountId(17));
    assert!(state.account_by_name("nathan").unwrap().is_lifetime_member());
    assert_eq!(state.asset(CORE_ASSET).unwrap().symbol, "BTS");
    assert_eq!(state.asset(CORE_ASSET).unwrap().issuer, NULL_ACCOUNT);
    assert!(state.witnesses.get(0).is_none(), "1.6.0 is reserved");
    assert_eq!(state.witnesses.get(1).unwrap().witness_account, AccountId(6));
    assert_eq!(state.gpo().active_witnesses.len(), 11);
    assert_eq!(state.committee_members.get(0).unwrap().committee_member_account, AccountId(6));
    assert_eq!(state.block_summaries.len(), 65_537);
    // Core supply is what genesis allocates: 11 × 10,000 BTS + 100,000,000 BTS.
    assert_eq!(state.asset_dynamic_data(CORE_ASSET).current_supply, 11 * 1_000_000_000 + 10_000_000_000_000);
    assert_eq!(state.balance(COMMITTEE_ACCOUNT, CORE_ASSET), 0);
    assert_eq!(state.chain_id().0, ledger::crypto::sha256(DEV_GENESIS_JSON.as_bytes()));
}

#[test]
fn user_issued_initial_assets_get_their_allocated_supply() {
    let mut g = dev();
    let mut a = ledger::genesis::InitialAsset {
        symbol: "DEVUSD".into(),
        issuer_name: "nathan".into(),
        precision: 4,
        max_supply: 1_000_000,
        ..Default::default()
    };
    g.initial_assets.push(a.clone());
    let owner = g.initial_balances[0].owner;
    g.initial_balances.push(ledger::genesis::InitialBalance { owner, asset_symbol: "DEVUSD".into(), amount: 7_500 });
    let state = build(&g, ChainId::default()).unwrap();
    let asset = state.asset_by_symbol("DEVUSD").unwrap();
    assert_eq!(asset.id, AssetId(1));
    assert_eq!(asset.issuer, AccountId(17));
    assert_eq!(state.asset_dynamic_data(asset.id).current_supply, 7_500);

    a.is_bitasset = true;
    g.initial_assets[0] = a;
    assert!(matches!(build(&g, ChainId::default()), Err(GenesisError::Unsupported { .. })));
}
