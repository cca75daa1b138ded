//! The chain state: one arena per object type, their secondary indexes, and the session
//! operations (begin / undo / merge / commit) applied to all of them at once.
//!
//! Secondary indexes are maintained by the arenas themselves (see `ledger::graph`), so an
//! evaluator cannot forget one and an undo restores them exactly. Lookups by id are array
//! indexes; lookups by name, symbol, (owner, asset) and transaction id go through the indexes
//! below. Only the apply thread holds a `&mut State`.

use ledger::graph::{Arena, Index, StateHash, Undoable};
use ledger::ids::*;
use ledger::objects::*;
use ledger::transaction::TransactionId;
use std::collections::BTreeSet;

/// The hash maps of the indexes: foldhash, seeded per process. Several times faster than SipHash
/// on these small keys and still keyed, so colliding keys cannot be precomputed. Never iterated,
/// so the seed cannot leak into state.
pub type FastMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::RandomState>;

/// Accounts by name (names are unique). A hash map: the apply path only looks names up; a
/// listing in name order sorts on demand.
#[derive(Default)]
pub struct AccountNames(pub FastMap<String, u64>);
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
}

/// Assets by symbol (symbols are unique); a hash map, as [`AccountNames`].
#[derive(Default)]
pub struct AssetSymbols(pub FastMap<String, u64>);
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
}

/// Balance objects by (owner, asset). A hash map for the hot lookup (never iterated), and an
/// ordered set per owner for listing an account's balances in asset order.
#[derive(Default)]
pub struct BalancesByOwner {
    by_key: FastMap<(AccountId, AssetId), u64>,
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
}

/// Recent transactions by id (de-duplication) and by expiration (for clearing).
#[derive(Default)]
pub struct RecentTransactions {
    pub by_id: FastMap<TransactionId, u64>,
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
            /// Turn undo recording off (replay of irreversible blocks, benchmarks) or on.
            pub fn set_undo_enabled(&mut self, on: bool) { $( self.$field.set_undo_enabled(on); )* }
            /// Hash every change since the last call, in a fixed arena order, and chain it.
            pub fn seal_block_hash(&mut self) -> StateHash {
                let mut h = blake3::Hasher::new();
                $( self.$field.hash_changes(&mut h); )*
                let changes: [u8; 32] = h.finalize().into();
                self.state_hash = ledger::graph::chain(&self.state_hash, &changes);
                self.state_hash
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
    statistics: Arena<AccountStatisticsObject>,
    balances: Arena<AccountBalanceObject, BalancesByOwner>,
    assets: Arena<AssetObject, AssetSymbols>,
    asset_dynamic: Arena<AssetDynamicDataObject>,
    genesis_balances: Arena<BalanceObject, GenesisBalancesByOwner>,
    witnesses: Arena<WitnessObject>,
    committee_members: Arena<CommitteeMemberObject>,
    block_summaries: Arena<BlockSummaryObject>,
    recent_transactions: Arena<TransactionHistoryObject, RecentTransactions>,
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
    /// An account's balance of one asset (0 when it never held it).
    pub fn balance(&self, owner: AccountId, asset: AssetId) -> i64 {
        self.balances.index().find(owner, asset).and_then(|i| self.balances.get(i)).map_or(0, |b| b.balance)
    }
}
