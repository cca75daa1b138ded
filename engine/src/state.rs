//! The chain state: one arena per object type, their secondary indexes, and the session
//! operations (begin / undo / merge / commit) applied to all of them at once.
//!
//! Secondary indexes are maintained by the arenas themselves (see `ledger::graph`), so an
//! evaluator cannot forget one and an undo restores them exactly. Lookups by id are array
//! indexes; lookups by name, symbol, (owner, asset) and transaction id go through the indexes
//! below. Only the apply thread holds a `&mut State`.

use crate::dex::Books;
use crate::lookup::LookupMap;
use ledger::encoding::Unpack;
use ledger::graph::{Arena, Index, ObjectChanges, StateHash, Undoable};
use ledger::ids::*;
use ledger::objects::*;
use ledger::transaction::TransactionId;
use std::collections::BTreeSet;

/// Add `entries` to an ordered set in bulk (snapshot restore): sorted once, then built from the
/// sorted run (`BTreeSet::from_iter` of sorted data builds its nodes bottom-up, without a tree
/// descent per entry).
fn extend_sorted<K: Ord>(set: &mut BTreeSet<K>, mut entries: Vec<K>) {
    entries.sort_unstable();
    if set.is_empty() {
        *set = entries.into_iter().collect();
    } else {
        set.extend(entries);
    }
}

/// Accounts by name (names are unique). A hash map: the apply path only looks names up; a
/// listing in name order sorts on demand.
#[derive(Default)]
pub struct AccountNames(pub LookupMap<String, u64>);
impl Index<AccountObject> for AccountNames {
    fn insert(&mut self, instance: u64, obj: &AccountObject) {
        self.0.insert(obj.name.clone(), instance);
    }
    fn remove(&mut self, _instance: u64, obj: &AccountObject) {
        self.0.remove(&obj.name);
    }
    fn update(&mut self, instance: u64, old: &AccountObject, new: &AccountObject) {
        if old.name != new.name {
            self.0.remove(&old.name);
            self.0.insert(new.name.clone(), instance);
        }
    }
    fn bulk_insert<'a>(&mut self, count: usize, objects: impl Iterator<Item = (u64, &'a AccountObject)>) {
        self.0.reserve(count);
        for (instance, obj) in objects {
            self.0.insert(obj.name.clone(), instance);
        }
    }
}

/// Assets by symbol (symbols are unique); a hash map, as [`AccountNames`].
#[derive(Default)]
pub struct AssetSymbols(pub LookupMap<String, u64>);
impl Index<AssetObject> for AssetSymbols {
    fn insert(&mut self, instance: u64, obj: &AssetObject) {
        self.0.insert(obj.symbol.clone(), instance);
    }
    fn remove(&mut self, _instance: u64, obj: &AssetObject) {
        self.0.remove(&obj.symbol);
    }
    fn update(&mut self, instance: u64, old: &AssetObject, new: &AssetObject) {
        if old.symbol != new.symbol {
            self.0.remove(&old.symbol);
            self.0.insert(new.symbol.clone(), instance);
        }
    }
    fn bulk_insert<'a>(&mut self, count: usize, objects: impl Iterator<Item = (u64, &'a AssetObject)>) {
        self.0.reserve(count);
        for (instance, obj) in objects {
            self.0.insert(obj.symbol.clone(), instance);
        }
    }
}

/// Balance objects by (owner, asset). A hash map for the hot lookup (never iterated), and an
/// ordered set per owner for listing an account's balances in asset order.
#[derive(Default)]
pub struct BalancesByOwner {
    by_key: LookupMap<(AccountId, AssetId), u64>,
    by_owner: BTreeSet<(AccountId, AssetId, u64)>,
}
impl BalancesByOwner {
    pub fn find(&self, owner: AccountId, asset: AssetId) -> Option<u64> {
        self.by_key.get(&(owner, asset)).copied()
    }
    /// Balance object instances of one owner, in asset order.
    pub fn of_owner(&self, owner: AccountId) -> impl Iterator<Item = u64> + '_ {
        self.by_owner.range((owner, AssetId(0), 0)..=(owner, AssetId(u64::MAX), u64::MAX)).map(|(_, _, i)| *i)
    }
}
impl Index<AccountBalanceObject> for BalancesByOwner {
    fn insert(&mut self, instance: u64, obj: &AccountBalanceObject) {
        self.by_key.insert((obj.owner, obj.asset_type), instance);
        self.by_owner.insert((obj.owner, obj.asset_type, instance));
    }
    fn remove(&mut self, instance: u64, obj: &AccountBalanceObject) {
        self.by_key.remove(&(obj.owner, obj.asset_type));
        self.by_owner.remove(&(obj.owner, obj.asset_type, instance));
    }
    fn update(&mut self, instance: u64, old: &AccountBalanceObject, new: &AccountBalanceObject) {
        if (old.owner, old.asset_type) != (new.owner, new.asset_type) {
            self.remove(instance, old);
            self.insert(instance, new);
        }
    }
    fn bulk_insert<'a>(&mut self, count: usize, objects: impl Iterator<Item = (u64, &'a AccountBalanceObject)>) {
        self.by_key.reserve(count);
        let mut by_owner = Vec::with_capacity(count);
        for (instance, obj) in objects {
            self.by_key.insert((obj.owner, obj.asset_type), instance);
            by_owner.push((obj.owner, obj.asset_type, instance));
        }
        extend_sorted(&mut self.by_owner, by_owner);
    }
}

/// Recent transactions by id (de-duplication) and by expiration (for clearing).
#[derive(Default)]
pub struct RecentTransactions {
    pub by_id: LookupMap<TransactionId, u64>,
    pub by_expiration: BTreeSet<(u32, u64)>,
}
impl Index<TransactionHistoryObject> for RecentTransactions {
    fn insert(&mut self, instance: u64, obj: &TransactionHistoryObject) {
        self.by_id.insert(obj.trx_id, instance);
        self.by_expiration.insert((obj.expiration.0, instance));
    }
    fn remove(&mut self, instance: u64, obj: &TransactionHistoryObject) {
        self.by_id.remove(&obj.trx_id);
        self.by_expiration.remove(&(obj.expiration.0, instance));
    }
    fn bulk_insert<'a>(&mut self, count: usize, objects: impl Iterator<Item = (u64, &'a TransactionHistoryObject)>) {
        self.by_id.reserve(count);
        let mut by_expiration = Vec::with_capacity(count);
        for (instance, obj) in objects {
            self.by_id.insert(obj.trx_id, instance);
            by_expiration.push((obj.expiration.0, instance));
        }
        extend_sorted(&mut self.by_expiration, by_expiration);
    }
}

/// Genesis balances by owner address.
#[derive(Default)]
pub struct GenesisBalancesByOwner(pub BTreeSet<(ledger::keys::Address, u64)>);
impl Index<BalanceObject> for GenesisBalancesByOwner {
    fn insert(&mut self, instance: u64, obj: &BalanceObject) {
        self.0.insert((obj.owner, instance));
    }
    fn remove(&mut self, instance: u64, obj: &BalanceObject) {
        self.0.remove(&(obj.owner, instance));
    }
    fn update(&mut self, instance: u64, old: &BalanceObject, new: &BalanceObject) {
        if old.owner != new.owner {
            self.remove(instance, old);
            self.insert(instance, new);
        }
    }
    fn bulk_insert<'a>(&mut self, count: usize, objects: impl Iterator<Item = (u64, &'a BalanceObject)>) {
        let mut entries = Vec::with_capacity(count);
        entries.extend(objects.map(|(instance, obj)| (obj.owner, instance)));
        extend_sorted(&mut self.0, entries);
    }
}

/// Limit orders by book position, by seller and by expiration, kept by the arena so that an
/// undone transaction or block restores all three exactly.
///
/// `books` is the fast order book of [`crate::dex::book`] (the one `graphene bench matching`
/// measures), used here as the ordered index of `market_object.hpp:98-104` `by_price`: for each
/// pair of assets (sold, received), price descending by value (the seller asking least per unit
/// first), then id ascending: price–time priority. The chain's matching walks it best-first.
#[derive(Default)]
pub struct LimitOrderIndex {
    pub books: Books,
    pub by_seller: BTreeSet<(AccountId, u64)>,
    pub by_expiration: BTreeSet<(u32, u64)>,
}
impl LimitOrderIndex {
    /// Instances of the orders selling `sell` for `receive`, best first.
    pub fn side(&self, sell: AssetId, receive: AssetId) -> impl Iterator<Item = u64> + '_ {
        self.books.side_ids(sell, receive)
    }
    /// The best order selling `sell` for `receive`.
    pub fn best(&self, sell: AssetId, receive: AssetId) -> Option<u64> {
        self.books.best_id(sell, receive)
    }
}
impl Index<LimitOrderObject> for LimitOrderIndex {
    fn insert(&mut self, instance: u64, obj: &LimitOrderObject) {
        self.books.place(instance, obj.seller, obj.for_sale, &obj.sell_price);
        self.by_seller.insert((obj.seller, instance));
        self.by_expiration.insert((obj.expiration.0, instance));
    }
    fn remove(&mut self, instance: u64, obj: &LimitOrderObject) {
        self.books.take_out(instance, &obj.sell_price);
        self.by_seller.remove(&(obj.seller, instance));
        self.by_expiration.remove(&(obj.expiration.0, instance));
    }
    /// Only the entries whose keys changed move: a repriced order (`limit_order_update`, the
    /// most common market operation) changes its book level, not its seller or expiration.
    fn update(&mut self, instance: u64, old: &LimitOrderObject, new: &LimitOrderObject) {
        if old.sell_price != new.sell_price || old.seller != new.seller {
            self.books.take_out(instance, &old.sell_price);
            self.books.place(instance, new.seller, new.for_sale, &new.sell_price);
        } else if old.for_sale != new.for_sale {
            self.books.set_for_sale(instance, &new.sell_price, new.for_sale);
        }
        if old.seller != new.seller {
            self.by_seller.remove(&(old.seller, instance));
            self.by_seller.insert((new.seller, instance));
        }
        if old.expiration != new.expiration {
            self.by_expiration.remove(&(old.expiration.0, instance));
            self.by_expiration.insert((new.expiration.0, instance));
        }
    }
    fn bulk_insert<'a>(&mut self, count: usize, objects: impl Iterator<Item = (u64, &'a LimitOrderObject)>) {
        let (mut by_seller, mut by_expiration) = (Vec::with_capacity(count), Vec::with_capacity(count));
        for (instance, obj) in objects {
            self.books.place(instance, obj.seller, obj.for_sale, &obj.sell_price);
            by_seller.push((obj.seller, instance));
            by_expiration.push((obj.expiration.0, instance));
        }
        extend_sorted(&mut self.by_seller, by_seller);
        extend_sorted(&mut self.by_expiration, by_expiration);
        // Restoring orders changes no level.
        self.books.forget_touched_levels();
    }
}

/// Account statistics with fees waiting for the next maintenance, ordered by account name (the
/// order bitshares-core's `by_maintenance_seq` walks them, which fixes the ids of cashback
/// vesting balances created there). Maintenance visits only these, never every account.
#[derive(Default)]
pub struct PendingFeeAccounts(pub BTreeSet<(String, u64)>);
impl PendingFeeAccounts {
    fn has_pending(s: &AccountStatisticsObject) -> bool {
        s.pending_fees != 0 || s.pending_vested_fees != 0
    }
}
impl Index<AccountStatisticsObject> for PendingFeeAccounts {
    fn insert(&mut self, instance: u64, obj: &AccountStatisticsObject) {
        if Self::has_pending(obj) {
            self.0.insert((obj.name.clone(), instance));
        }
    }
    fn remove(&mut self, instance: u64, obj: &AccountStatisticsObject) {
        if Self::has_pending(obj) {
            self.0.remove(&(obj.name.clone(), instance));
        }
    }
    fn update(&mut self, instance: u64, old: &AccountStatisticsObject, new: &AccountStatisticsObject) {
        if Self::has_pending(old) != Self::has_pending(new) || old.name != new.name {
            self.remove(instance, old);
            self.insert(instance, new);
        }
    }
    fn bulk_insert<'a>(&mut self, _count: usize, objects: impl Iterator<Item = (u64, &'a AccountStatisticsObject)>) {
        let pending = objects.filter(|(_, s)| Self::has_pending(s)).map(|(i, s)| (s.name.clone(), i)).collect();
        extend_sorted(&mut self.0, pending);
    }
}

/// Vesting balances by owner, for listing an account's vesting balances in id order.
#[derive(Default)]
pub struct VestingByOwner(pub BTreeSet<(AccountId, u64)>);
impl VestingByOwner {
    pub fn of_owner(&self, owner: AccountId) -> impl Iterator<Item = u64> + '_ {
        self.0.range((owner, 0)..=(owner, u64::MAX)).map(|(_, i)| *i)
    }
}
impl Index<VestingBalanceObject> for VestingByOwner {
    fn insert(&mut self, instance: u64, obj: &VestingBalanceObject) {
        self.0.insert((obj.owner, instance));
    }
    fn remove(&mut self, instance: u64, obj: &VestingBalanceObject) {
        self.0.remove(&(obj.owner, instance));
    }
    fn update(&mut self, instance: u64, old: &VestingBalanceObject, new: &VestingBalanceObject) {
        if old.owner != new.owner {
            self.remove(instance, old);
            self.insert(instance, new);
        }
    }
    fn bulk_insert<'a>(&mut self, count: usize, objects: impl Iterator<Item = (u64, &'a VestingBalanceObject)>) {
        let mut entries = Vec::with_capacity(count);
        entries.extend(objects.map(|(instance, obj)| (obj.owner, instance)));
        extend_sorted(&mut self.0, entries);
    }
}

/// Join a scoped builder thread; a panic in it is a bug, passed on unchanged.
fn join_builder<T>(handle: std::thread::ScopedJoinHandle<'_, T>) -> T {
    handle.join().unwrap_or_else(|p| std::panic::resume_unwind(p))
}

/// The key of the debt-position index (`market_object.hpp:239-244` `by_collateral`): by debt
/// asset, then collateralization (collateral / debt) ascending, then id: the least collateralized
/// position of an asset is the first one, so finding callable positions never visits healthy ones.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CollateralKey {
    pub debt_asset: AssetId,
    pub collateral: i64,
    pub debt: i64,
    pub id: u64,
}
impl CollateralKey {
    pub fn of(instance: u64, o: &CallOrderObject) -> Self {
        CollateralKey { debt_asset: o.debt_asset(), collateral: o.collateral, debt: o.debt, id: instance }
    }
}
impl Ord for CollateralKey {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        // collateral/debt ascending, cross-multiplied in i128 (debts are positive in the index).
        let mine = i128::from(self.collateral) * i128::from(other.debt);
        let theirs = i128::from(other.collateral) * i128::from(self.debt);
        self.debt_asset.cmp(&other.debt_asset).then(mine.cmp(&theirs)).then(self.id.cmp(&other.id))
    }
}
impl PartialOrd for CollateralKey {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

/// Debt positions by collateralization (per debt asset, least collateralized first) and by
/// (borrower, debt asset), which is unique.
#[derive(Default)]
pub struct CallOrderIndex {
    pub by_collateral: BTreeSet<CollateralKey>,
    pub by_borrower: LookupMap<(AccountId, AssetId), u64>,
}
impl CallOrderIndex {
    /// Instances of the positions in `debt_asset`, least collateralized first.
    pub fn by_collateral(&self, debt_asset: AssetId) -> impl Iterator<Item = u64> + '_ {
        let lo = CollateralKey { debt_asset, collateral: 0, debt: 1, id: 0 };
        self.by_collateral.range(lo..).take_while(move |k| k.debt_asset == debt_asset).map(|k| k.id)
    }
    pub fn find(&self, borrower: AccountId, debt_asset: AssetId) -> Option<u64> {
        self.by_borrower.get(&(borrower, debt_asset)).copied()
    }
}
impl Index<CallOrderObject> for CallOrderIndex {
    fn insert(&mut self, instance: u64, obj: &CallOrderObject) {
        self.by_collateral.insert(CollateralKey::of(instance, obj));
        self.by_borrower.insert((obj.borrower, obj.debt_asset()), instance);
    }
    fn remove(&mut self, instance: u64, obj: &CallOrderObject) {
        self.by_collateral.remove(&CollateralKey::of(instance, obj));
        self.by_borrower.remove(&(obj.borrower, obj.debt_asset()));
    }
    fn update(&mut self, instance: u64, old: &CallOrderObject, new: &CallOrderObject) {
        if CollateralKey::of(instance, old) != CollateralKey::of(instance, new) || old.borrower != new.borrower {
            self.remove(instance, old);
            self.insert(instance, new);
        }
    }
}

/// Force-settlement requests by (asset, settlement date, id) — the order due requests are
/// processed in (`by_expiration`) — and by owner.
#[derive(Default)]
pub struct ForceSettlementIndex {
    pub by_expiration: BTreeSet<(AssetId, u32, u64)>,
    pub by_owner: BTreeSet<(AccountId, u64)>,
}
impl ForceSettlementIndex {
    /// Instances of the requests for `asset`, earliest settlement date first.
    pub fn of_asset(&self, asset: AssetId) -> impl Iterator<Item = u64> + '_ {
        self.by_expiration.range((asset, 0, 0)..=(asset, u32::MAX, u64::MAX)).map(|(_, _, i)| *i)
    }
}
impl Index<ForceSettlementObject> for ForceSettlementIndex {
    fn insert(&mut self, instance: u64, obj: &ForceSettlementObject) {
        self.by_expiration.insert((obj.balance.asset_id, obj.settlement_date.0, instance));
        self.by_owner.insert((obj.owner, instance));
    }
    fn remove(&mut self, instance: u64, obj: &ForceSettlementObject) {
        self.by_expiration.remove(&(obj.balance.asset_id, obj.settlement_date.0, instance));
        self.by_owner.remove(&(obj.owner, instance));
    }
    fn update(&mut self, instance: u64, old: &ForceSettlementObject, new: &ForceSettlementObject) {
        if (old.balance.asset_id, old.settlement_date, old.owner)
            != (new.balance.asset_id, new.settlement_date, new.owner)
        {
            self.remove(instance, old);
            self.insert(instance, new);
        }
    }
}

/// The key of the collateral-bid index (`by_price`): by debt asset, then `inv_swan_price`
/// (collateral per debt) descending — the best bid first — then id.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BidKey {
    pub debt_asset: AssetId,
    pub collateral: i64,
    pub debt: i64,
    pub id: u64,
}
impl BidKey {
    pub fn of(instance: u64, o: &CollateralBidObject) -> Self {
        let p = &o.inv_swan_price;
        BidKey { debt_asset: p.quote.asset_id, collateral: p.base.amount, debt: p.quote.amount, id: instance }
    }
}
impl Ord for BidKey {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        let mine = i128::from(self.collateral) * i128::from(other.debt);
        let theirs = i128::from(other.collateral) * i128::from(self.debt);
        self.debt_asset.cmp(&other.debt_asset).then(theirs.cmp(&mine)).then(self.id.cmp(&other.id))
    }
}
impl PartialOrd for BidKey {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

/// Collateral bids by price (best first per asset) and by (bidder, asset), which is unique.
#[derive(Default)]
pub struct CollateralBidIndex {
    pub by_price: BTreeSet<BidKey>,
    pub by_bidder: LookupMap<(AccountId, AssetId), u64>,
}
impl CollateralBidIndex {
    /// Instances of the bids on `debt_asset`, best first.
    pub fn of_asset(&self, debt_asset: AssetId) -> impl Iterator<Item = u64> + '_ {
        let lo = BidKey { debt_asset, collateral: i64::MAX, debt: 1, id: 0 };
        self.by_price.range(lo..).take_while(move |k| k.debt_asset == debt_asset).map(|k| k.id)
    }
    pub fn find(&self, bidder: AccountId, debt_asset: AssetId) -> Option<u64> {
        self.by_bidder.get(&(bidder, debt_asset)).copied()
    }
}
impl Index<CollateralBidObject> for CollateralBidIndex {
    fn insert(&mut self, instance: u64, obj: &CollateralBidObject) {
        self.by_price.insert(BidKey::of(instance, obj));
        self.by_bidder.insert((obj.bidder, obj.debt_asset()), instance);
    }
    fn remove(&mut self, instance: u64, obj: &CollateralBidObject) {
        self.by_price.remove(&BidKey::of(instance, obj));
        self.by_bidder.remove(&(obj.bidder, obj.debt_asset()));
    }
    fn update(&mut self, instance: u64, old: &CollateralBidObject, new: &CollateralBidObject) {
        if BidKey::of(instance, old) != BidKey::of(instance, new) || old.bidder != new.bidder {
            self.remove(instance, old);
            self.insert(instance, new);
        }
    }
}

/// Witnesses or committee members by vote id, so validating an account's votes is a lookup per
/// vote rather than a walk over every candidate. Vote ids never change once assigned.
#[derive(Default)]
pub struct VoteIds(pub LookupMap<ledger::ops::VoteId, u64>);
impl Index<WitnessObject> for VoteIds {
    fn insert(&mut self, instance: u64, obj: &WitnessObject) {
        self.0.insert(obj.vote_id, instance);
    }
    fn remove(&mut self, _instance: u64, obj: &WitnessObject) {
        self.0.remove(&obj.vote_id);
    }
    fn update(&mut self, instance: u64, old: &WitnessObject, new: &WitnessObject) {
        if old.vote_id != new.vote_id {
            self.0.remove(&old.vote_id);
            self.0.insert(new.vote_id, instance);
        }
    }
}
impl Index<CommitteeMemberObject> for VoteIds {
    fn insert(&mut self, instance: u64, obj: &CommitteeMemberObject) {
        self.0.insert(obj.vote_id, instance);
    }
    fn remove(&mut self, _instance: u64, obj: &CommitteeMemberObject) {
        self.0.remove(&obj.vote_id);
    }
    fn update(&mut self, instance: u64, old: &CommitteeMemberObject, new: &CommitteeMemberObject) {
        if old.vote_id != new.vote_id {
            self.0.remove(&old.vote_id);
            self.0.insert(new.vote_id, instance);
        }
    }
}

/// Declares `State` with its arenas and implements the all-arena session operations, so that
/// adding an object type is one line here.
macro_rules! state {
    ($($field:ident : $arena:ty),* $(,)?) => {
        /// The whole chain state.
        #[derive(Default)]
        pub struct State {
            $( pub $field: $arena, )*
            /// The chained state hash after the last applied block.
            pub state_hash: StateHash,
            /// Virtual operations emitted since the chain last drained them (per transaction,
            /// per end of block) into its returned outcomes. Not state: never hashed, cleared when
            /// a session is undone.
            pub(crate) virtual_ops: Vec<ledger::ops::Operation>,
        }

        /// Why [`State::apply_changes`] refused a change stream.
        #[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
        pub enum ChangeError {
            #[error("object change stream is malformed: {0}")]
            Malformed(String),
            #[error("object change names {id}, a type this state does not hold")]
            UnknownType { id: String },
            #[error("object change of {id} does not decode: {detail}")]
            Undecodable { id: String, detail: String },
        }

        impl State {
            /// Open a nested undo session on every arena.
            pub fn begin(&mut self) { $( self.$field.begin(); )* }
            /// Roll back the innermost session.
            pub fn undo(&mut self) { $( self.$field.undo(); )* }
            /// Fold the innermost session into its parent.
            pub fn merge(&mut self) { $( self.$field.merge(); )* }
            /// Forget the innermost session, keeping its changes.
            pub fn commit(&mut self) { $( self.$field.commit(); )* }
            /// Forget the outermost session's records (its block became irreversible); newer ones stay open.
            pub fn forget_oldest(&mut self) { $( self.$field.forget_oldest(); )* }
            /// Number of open sessions (0 with undo disabled).
            pub fn undo_depth(&self) -> usize {
                let depths = [$( self.$field.undo_depth() ),*];
                debug_assert!(depths.iter().all(|d| *d == depths[0]), "arenas disagree on undo depth: {depths:?}");
                depths[0]
            }
            /// Turn undo recording off (replay of irreversible blocks, benchmarks) or on.
            pub fn set_undo_enabled(&mut self, on: bool) { $( self.$field.set_undo_enabled(on); )* }
            /// Hash every change since the last call, in a fixed arena order, and chain it.
            pub fn seal_block_hash(&mut self) -> StateHash {
                self.seal_block_hash_capturing(None)
            }
            /// [`State::seal_block_hash`], appending the hashed records (the block's
            /// [`ObjectChanges`]) to `capture` when given: one copy of bytes already packed.
            pub fn seal_block_hash_capturing(&mut self, mut capture: Option<&mut Vec<u8>>) -> StateHash {
                let mut h = blake3::Hasher::new();
                $( self.$field.hash_changes_capturing(&mut h, capture.as_deref_mut()); )*
                let changes: [u8; 32] = h.finalize().into();
                self.state_hash = ledger::graph::chain(&self.state_hash, &changes);
                self.state_hash
            }
            /// Roll back the innermost session and return the restored version of everything it
            /// had touched (a popped block's inverse changes, for a read replica).
            pub fn undo_capturing(&mut self) -> ObjectChanges {
                let mut out = Vec::new();
                let mut instances = Vec::new();
                let mut touched: Vec<Vec<u64>> = Vec::new();
                $(
                    instances.clear();
                    self.$field.top_frame_instances(&mut instances);
                    touched.push(instances.clone());
                )*
                self.undo();
                let mut touched = touched.into_iter();
                $(
                    let mut list = touched.next().expect("one list per arena");
                    self.$field.pack_instances(&mut list, &mut out);
                )*
                ObjectChanges { bytes: out }
            }
            /// Apply a block's [`ObjectChanges`] (or a popped block's inverse) to this state, as a
            /// read replica does: every listed object takes the given version, indexes follow, no
            /// undo is recorded. Fails, changing nothing, on a record that names no arena or whose
            /// object does not decode.
            pub fn apply_changes(&mut self, changes: &ObjectChanges) -> Result<(), ChangeError> {
                let mut all = Vec::new();
                for change in changes.iter() {
                    all.push(change.map_err(|e| ChangeError::Malformed(e.to_string()))?);
                }
                // Decode everything first, so a bad record changes nothing.
                $( let mut $field = Vec::new(); )*
                for c in &all {
                    let mut known = false;
                    $(
                        if !known && self.$field.object_type() == (c.space, c.type_id) {
                            known = true;
                            let value = match c.packed {
                                None => None,
                                Some(bytes) => Some(Unpack::from_bytes(bytes).map_err(|e| ChangeError::Undecodable {
                                    id: c.id().to_string(),
                                    detail: e.to_string(),
                                })?),
                            };
                            $field.push((c.instance, value));
                        }
                    )*
                    if !known {
                        return Err(ChangeError::UnknownType { id: c.id().to_string() });
                    }
                }
                $( if !$field.is_empty() { self.$field.put_versions($field); } )*
                Ok(())
            }
            /// Hand every arena to `v`, in state-hash order, with its field name (snapshots).
            pub fn visit_arenas<V: crate::snapshot::ArenaVisitor>(&self, v: &mut V) {
                $( v.visit(stringify!($field), &self.$field); )*
            }
            /// The arena names in state-hash order (snapshots name their arenas with these).
            pub const ARENA_NAMES: &'static [&'static str] = &[$( stringify!($field) ),*];
            /// Build a state with `b`, every arena on its own scoped thread (they are independent,
            /// so a restore uses every core); the first error in state-hash order wins.
            pub fn build_arenas<B: crate::snapshot::ArenaBuilder>(b: &B, state_hash: StateHash) -> Result<State, B::Error> {
                std::thread::scope(|s| {
                    $( let $field = s.spawn(|| -> Result<$arena, B::Error> { b.build(stringify!($field)) }); )*
                    $( let $field = join_builder($field); )*
                    // Fields outside the arenas (per-block scratch) start empty, as between blocks.
                    Ok(State { $( $field: $field?, )* state_hash, ..Default::default() })
                })
            }
        }
    };
}

state! {
    global: Arena<GlobalPropertyObject>,
    dynamic_global: Arena<DynamicGlobalPropertyObject>,
    chain_property: Arena<ChainPropertyObject>,
    witness_schedule: Arena<WitnessScheduleObject>,
    accounts: Arena<AccountObject, AccountNames>,
    statistics: Arena<AccountStatisticsObject, PendingFeeAccounts>,
    balances: Arena<AccountBalanceObject, BalancesByOwner>,
    assets: Arena<AssetObject, AssetSymbols>,
    asset_dynamic: Arena<AssetDynamicDataObject>,
    genesis_balances: Arena<BalanceObject, GenesisBalancesByOwner>,
    witnesses: Arena<WitnessObject, VoteIds>,
    committee_members: Arena<CommitteeMemberObject, VoteIds>,
    block_summaries: Arena<BlockSummaryObject>,
    recent_transactions: Arena<TransactionHistoryObject, RecentTransactions>,
    limit_orders: Arena<LimitOrderObject, LimitOrderIndex>,
    vesting_balances: Arena<VestingBalanceObject, VestingByOwner>,
    bitasset_data: Arena<AssetBitassetDataObject, crate::bitasset::BitassetIndex>,
    call_orders: Arena<CallOrderObject, CallOrderIndex>,
    force_settlements: Arena<ForceSettlementObject, ForceSettlementIndex>,
    collateral_bids: Arena<CollateralBidObject, CollateralBidIndex>,
}

impl State {
    pub fn gpo(&self) -> &GlobalPropertyObject {
        self.global.get(0).expect("global properties exist from genesis on")
    }
    pub fn dgp(&self) -> &DynamicGlobalPropertyObject {
        self.dynamic_global.get(0).expect("dynamic global properties exist from genesis on")
    }
    pub fn chain_id(&self) -> ledger::transaction::ChainId {
        self.chain_property.get(0).expect("chain properties exist from genesis on").chain_id
    }
    pub fn account(&self, id: AccountId) -> Option<&AccountObject> {
        self.accounts.get(id.0)
    }
    pub fn account_by_name(&self, name: &str) -> Option<&AccountObject> {
        self.accounts.index().0.get(name).and_then(|i| self.accounts.get(*i))
    }
    pub fn asset(&self, id: AssetId) -> Option<&AssetObject> {
        self.assets.get(id.0)
    }
    pub fn asset_by_symbol(&self, symbol: &str) -> Option<&AssetObject> {
        self.assets.index().0.get(symbol).and_then(|i| self.assets.get(*i))
    }
    pub fn asset_dynamic_data(&self, id: AssetId) -> &AssetDynamicDataObject {
        let asset = self.asset(id).expect("caller checked the asset exists");
        self.asset_dynamic.get(asset.dynamic_asset_data_id.0).expect("every asset has dynamic data")
    }
    /// The bitasset data of a market-issued asset (None for a user-issued one).
    pub fn bitasset_data(&self, id: AssetId) -> Option<&AssetBitassetDataObject> {
        let asset = self.asset(id)?;
        asset.bitasset_data_id.and_then(|b| self.bitasset_data.get(b.0))
    }
    /// An account's balance of one asset (0 when it never held it).
    pub fn balance(&self, owner: AccountId, asset: AssetId) -> i64 {
        self.balances.index().find(owner, asset).and_then(|i| self.balances.get(i)).map_or(0, |b| b.balance)
    }
}
