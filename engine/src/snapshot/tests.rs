//! Snapshot round trips (every arena populated) and damage detection.

use super::*;
use crate::chain::Chain;
use ledger::asset::{Asset, Price};
use ledger::ids::*;
use ledger::objects::*;
use ledger::time::TimePointSec;

fn dev_chain() -> Chain {
    let text = ledger::genesis::DEV_GENESIS_JSON;
    let genesis: ledger::genesis::GenesisState = serde_json::from_str(text).unwrap();
    let chain_id = crate::genesis::chain_id_of(&genesis, text);
    let mut chain = Chain::new(crate::genesis::build(&genesis, chain_id).unwrap());
    chain.skip.block_signature = true;
    chain
}

/// Live-object count of every arena, by name.
struct Counts(Vec<(&'static str, usize)>);
impl ArenaVisitor for Counts {
    fn visit<T: Object + Unpack, I: Index<T>>(&mut self, name: &'static str, arena: &Arena<T, I>) {
        self.0.push((name, arena.len()));
    }
}

/// A dev chain three blocks in, with an object in every arena genesis leaves empty.
fn every_arena_populated() -> Chain {
    let mut chain = dev_chain();
    for _ in 0..3 {
        let t = chain.slot_time(1);
        chain.produce_block(t, &[], None).unwrap();
    }
    let s = &mut chain.state;
    s.recent_transactions.create(|i| TransactionHistoryObject {
        id: TransactionHistoryId(i),
        trx_id: ledger::transaction::TransactionId([7; 20]),
        expiration: TimePointSec(1_000),
    });
    s.limit_orders.create(|i| LimitOrderObject {
        id: LimitOrderId(i),
        expiration: TimePointSec(2_000),
        seller: AccountId(17),
        for_sale: 500,
        sell_price: Price { base: Asset::core(500), quote: Asset { amount: 7, asset_id: AssetId(1) } },
        deferred_fee: 3,
        ..Default::default()
    });
    s.vesting_balances.create(|i| VestingBalanceObject {
        id: VestingBalanceId(i),
        owner: AccountId(17),
        balance: Asset::core(42),
        ..Default::default()
    });
    let mut feeds = std::collections::BTreeMap::new();
    feeds.insert(AccountId(17), (TimePointSec(900), PriceFeedWithIcr::default()));
    s.bitasset_data.create(|i| AssetBitassetDataObject {
        id: AssetBitassetDataId(i),
        asset_id: AssetId(1),
        feeds,
        settlement_fund: 9,
        // Never expires, so the end-of-block feed step leaves this asset-less object alone.
        current_feed_publication_time: TimePointSec(u32::MAX),
        ..Default::default()
    });
    // The asset those objects belong to: 1.3.1, market-issued.
    let dynamic =
        s.asset_dynamic.create(|i| AssetDynamicDataObject { id: AssetDynamicDataId(i), ..Default::default() });
    let asset = s.assets.create(|i| AssetObject {
        id: AssetId(i),
        symbol: "USD".into(),
        precision: 4,
        dynamic_asset_data_id: AssetDynamicDataId(dynamic),
        bitasset_data_id: Some(AssetBitassetDataId(0)),
        ..Default::default()
    });
    assert_eq!(asset, 1);
    let usd = |amount| Asset { amount, asset_id: AssetId(1) };
    s.call_orders.create(|i| CallOrderObject {
        id: CallOrderId(i),
        borrower: AccountId(17),
        collateral: 1_000,
        debt: 50,
        call_price: Price { base: Asset::core(1), quote: usd(1) },
        target_collateral_ratio: Some(1_800),
    });
    s.force_settlements.create(|i| ForceSettlementObject {
        id: ForceSettlementId(i),
        owner: AccountId(17),
        balance: usd(5),
        // Never due, so the end-of-block settlement step leaves this asset-less request alone.
        settlement_date: TimePointSec(u32::MAX),
    });
    s.collateral_bids.create(|i| CollateralBidObject {
        id: CollateralBidId(i),
        bidder: AccountId(17),
        inv_swan_price: Price { base: Asset::core(300), quote: usd(20) },
    });
    s.statistics.modify(0, |st| st.pending_fees = 11);
    s.seal_block_hash();
    let mut counts = Counts(Vec::new());
    chain.state.visit_arenas(&mut counts);
    let empty: Vec<_> = counts.0.iter().filter(|(_, n)| *n == 0).map(|(name, _)| *name).collect();
    assert!(empty.is_empty(), "add an object of each new arena type here: {empty:?} are empty");
    chain
}

#[test]
fn a_state_with_every_object_type_round_trips_and_keeps_its_state_hashes() {
    let mut a = every_arena_populated();
    let bytes = write(&a.state);
    let (header, state) = read(&bytes).unwrap();
    assert_eq!(header.block_num, 3);
    assert_eq!(header.state_hash, a.state.state_hash);
    assert_eq!(header.block_id, a.head_id().0);
    assert_eq!(read_header(&bytes).unwrap(), header);
    let mut b = Chain::new(state);
    b.skip.block_signature = true;
    assert_eq!(write(&b.state), bytes, "a restored state writes the same snapshot");
    // The indexes were rebuilt: lookups through each of them find the restored objects.
    assert_eq!(b.state.account_by_name("nathan").map(|x| x.id), Some(AccountId(17)));
    assert_eq!(b.state.limit_orders.index().side(AssetId(0), AssetId(1)).collect::<Vec<_>>(), vec![0]);
    assert_eq!(b.state.limit_orders.index().by_seller.len(), 1);
    assert_eq!(b.state.vesting_balances.index().of_owner(AccountId(17)).count(), 1);
    assert_eq!(b.state.recent_transactions.index().by_expiration.len(), 1);
    assert_eq!(b.state.statistics.index().0.len(), 1);
    let nathan_core = a.state.balance(AccountId(17), AssetId(0));
    assert_eq!(b.state.balance(AccountId(17), AssetId(0)), nathan_core);
    for _ in 0..3 {
        let t = a.slot_time(1);
        let crate::Produced { block, .. } = a.produce_block(t, &[], None).unwrap();
        b.apply_block(&block).unwrap();
        assert_eq!(b.state.state_hash, a.state.state_hash, "block {}", block.block_num());
    }
    assert_eq!(b.head_time(), TimePointSec(a.head_time().0));
}

#[test]
fn a_snapshot_at_an_odd_address_is_read_through_an_aligned_copy() {
    let a = dev_chain();
    let bytes = write(&a.state);
    let mut shifted = vec![0u8; bytes.len() + 1];
    shifted[1..].copy_from_slice(&bytes);
    let (header, _) = read(&shifted[1..]).unwrap();
    assert_eq!(header.state_hash, a.state.state_hash);
}

#[test]
fn damaged_snapshots_are_refused_with_an_error_never_a_panic() {
    let a = dev_chain();
    let bytes = write(&a.state);
    assert_eq!(read(&bytes[..10]).err(), Some(SnapshotError::NotASnapshot));
    let mut wrong_magic = bytes.clone();
    wrong_magic[0] ^= 1;
    assert_eq!(read(&wrong_magic).err(), Some(SnapshotError::NotASnapshot));
    let mut wrong_block = bytes.clone();
    wrong_block[8] ^= 1;
    assert_eq!(read(&wrong_block).err(), Some(SnapshotError::PreambleMismatch));
    // A flip inside the records of an arena fails that arena's checksum, naming it.
    let accounts = bytes.windows(6).position(|w| w == b"nathan").expect("nathan's record is in the file");
    let mut flipped = bytes.clone();
    flipped[accounts] ^= 0x20;
    match read(&flipped).err() {
        Some(SnapshotError::Checksum { arena }) => assert!(arena == "accounts" || arena == "statistics", "{arena}"),
        other => panic!("expected a checksum error, got {other:?}"),
    }
    // Cut anywhere: always an error.
    for len in [PREAMBLE_LEN, PREAMBLE_LEN + 1, bytes.len() / 2, bytes.len() - 1] {
        assert!(read(&bytes[..len]).is_err(), "cut at {len} of {}", bytes.len());
    }
    // A flip anywhere either is refused or lands in padding no reader looks at (then the state
    // read is the one written).
    let mut refused = 0;
    for at in (PREAMBLE_LEN..bytes.len()).step_by(bytes.len() / 61 + 1) {
        let mut damaged = bytes.clone();
        damaged[at] ^= 0x10;
        match read(&damaged) {
            Err(_) => refused += 1,
            Ok((_, state)) => assert_eq!(write(&state), bytes, "a flip at {at} changed the state silently"),
        }
    }
    assert!(refused > 40, "only {refused} of ~61 flips refused");
}
