//! Authorities: weighted thresholds over keys, accounts and addresses (PROTOCOL.md §4.1).
//!
//! The sign-state walk that decides whether a set of signatures satisfies an authority lives in
//! [`crate::sign_state`].

use crate::flat_map::FlatMap;
use crate::ids::AccountId;
use crate::keys::{Address, PublicKey};
use serde::{Deserialize, Serialize};

#[derive(Clone, PartialEq, Eq, Default, Debug, Serialize, Deserialize)]
#[serde(default)]
pub struct Authority {
    #[serde(with = "crate::json::lenient")]
    pub weight_threshold: u32,
    /// Sorted vectors, not `BTreeMap`s: same order, bytes and JSON, far less memory (flat_map.rs).
    pub account_auths: FlatMap<AccountId, u16>,
    pub key_auths: FlatMap<PublicKey, u16>,
    pub address_auths: FlatMap<Address, u16>,
}
crate::impl_pack!(Authority { weight_threshold, account_auths, key_auths, address_auths });

impl Authority {
    /// Threshold 1, one key of weight 1.
    pub fn single_key(key: PublicKey) -> Self {
        let mut a = Authority { weight_threshold: 1, ..Default::default() };
        a.key_auths.insert(key, 1);
        a
    }

    /// Threshold 1, one account of weight 1.
    pub fn single_account(account: AccountId) -> Self {
        let mut a = Authority { weight_threshold: 1, ..Default::default() };
        a.account_auths.insert(account, 1);
        a
    }

    /// The sum of all weights is below the threshold: nothing can ever satisfy it.
    pub fn is_impossible(&self) -> bool {
        let total: u64 = self
            .account_auths
            .values()
            .chain(self.key_auths.values())
            .chain(self.address_auths.values())
            .map(|w| u64::from(*w))
            .sum();
        total < u64::from(self.weight_threshold)
    }

    /// Number of entries (keys, accounts, addresses).
    pub fn num_auths(&self) -> usize {
        self.account_auths.len() + self.key_auths.len() + self.address_auths.len()
    }
}
