//! The signature state machine: do these signing keys satisfy these authorities?
//! (PROTOCOL.md §4.2–§4.3; bitshares-core `libraries/protocol/transaction.cpp` `sign_state`,
//! `verify_authority`, `get_signature_keys`.)
//!
//! Owns [`SignState`] (the walk over one authority tree with the keys a transaction was signed
//! with), [`verify_authority`] (the whole-transaction check with its fixed order of rejections),
//! [`unique_keys`] (recovery plus duplicate detection) and the stable [`AuthError`] codes.
//!
//! Invariants, all as bitshares-core:
//! - An authority is walked in map order (keys by address, then addresses, then accounts by id)
//!   and the walk stops as soon as the accumulated weight reaches the threshold, so a signature
//!   needed only after that point is never marked used and is rejected as irrelevant.
//! - A key is marked used when it is found signed inside any authority that is walked, even one
//!   that fails in the end.
//! - Account members are expanded (active, then owner) only while `depth < max_recursion`; with
//!   the default 2, keys at up to three levels count. An expanded member that passes is added to
//!   `approved_by` and counts without re-walking for the rest of the check.
//! - 1.2.4 temp-account is always approved.
//!
//! Never: reads state other than through [`AuthorityLookup`]; allocates per key looked up (the
//! address derivations of the signing keys are computed once, and only if an `address_auths`
//! entry is met).

use crate::authority::Authority;
use crate::crypto::{key_addresses, recover, SigError};
use crate::ids::{AccountId, COMMITTEE_ACCOUNT, TEMP_ACCOUNT};
use crate::keys::{Address, PublicKey, Signature};
use std::collections::{BTreeMap, BTreeSet};

/// bitshares-core's `GRAPHENE_MAX_SIG_CHECK_DEPTH` and the default `max_authority_depth`.
pub const MAX_AUTHORITY_DEPTH_DEFAULT: u32 = 2;

/// Read access to the authorities of accounts. `None` means the account (or that authority) does
/// not exist; such an authority is never satisfied.
pub trait AuthorityLookup {
    fn active(&self, account: AccountId) -> Option<&Authority>;
    fn owner(&self, account: AccountId) -> Option<&Authority>;
}

/// A plain in-memory [`AuthorityLookup`], for tests and tools.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AuthorityMap {
    pub active: BTreeMap<AccountId, Authority>,
    pub owner: BTreeMap<AccountId, Authority>,
}

impl AuthorityLookup for AuthorityMap {
    fn active(&self, account: AccountId) -> Option<&Authority> {
        self.active.get(&account)
    }
    fn owner(&self, account: AccountId) -> Option<&Authority> {
        self.owner.get(&account)
    }
}

/// Why a transaction's signatures do not authorize it. [`AuthError::code`] is stable.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AuthError {
    #[error("committee account 1.2.0 may only propose transactions, not sign them directly")]
    CommitteeMayOnlyPropose,
    #[error(
        "missing authority: required authority #{index} (threshold {threshold}) is not satisfied by the signatures"
    )]
    MissingOtherAuthority { index: usize, threshold: u32 },
    #[error("missing owner authority of account {account}")]
    MissingOwnerAuthority { account: AccountId },
    #[error("missing active authority of account {account}")]
    MissingActiveAuthority { account: AccountId },
    #[error("unnecessary signature: key {key} signed but no required authority needs it")]
    IrrelevantSignature { key: PublicKey },
    #[error("duplicate signature: key {key} signed more than once")]
    DuplicateSignature { key: PublicKey },
    #[error("signature #{index} is invalid: {error}")]
    BadSignature { index: usize, error: SigError },
}

impl AuthError {
    /// A stable machine-readable code (bitshares-core's exception names where one exists).
    pub fn code(&self) -> &'static str {
        match self {
            AuthError::CommitteeMayOnlyPropose => "invalid_committee_approval",
            AuthError::MissingOtherAuthority { .. } => "tx_missing_other_auth",
            AuthError::MissingOwnerAuthority { .. } => "tx_missing_owner_auth",
            AuthError::MissingActiveAuthority { .. } => "tx_missing_active_auth",
            AuthError::IrrelevantSignature { .. } => "tx_irrelevant_sig",
            AuthError::DuplicateSignature { .. } => "tx_duplicate_sig",
            AuthError::BadSignature { .. } => "tx_invalid_signature",
        }
    }
}

/// Recover the signing key of each signature over `digest`, in order, rejecting an invalid
/// signature and two signatures by the same key (`get_signature_keys`).
pub fn unique_keys(sigs: &[Signature], digest: &[u8; 32]) -> Result<Vec<PublicKey>, AuthError> {
    let mut keys = Vec::with_capacity(sigs.len());
    for (index, sig) in sigs.iter().enumerate() {
        let key = recover(sig, digest).map_err(|error| AuthError::BadSignature { index, error })?;
        // Linear: transactions carry a handful of signatures and this beats hashing 33 bytes.
        if keys.contains(&key) {
            return Err(AuthError::DuplicateSignature { key });
        }
        keys.push(key);
    }
    Ok(keys)
}

/// One signing key and whether some walked authority needed it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SigningKey {
    pub key: PublicKey,
    pub used: bool,
}

/// The walk state over the authorities one transaction (or proposal) must satisfy.
pub struct SignState<'a, L: AuthorityLookup + ?Sized> {
    lookup: &'a L,
    keys: Vec<SigningKey>,
    /// The five address derivations of each key (parallel to `keys`), built on first need.
    addresses: Option<Vec<[Address; 5]>>,
    /// Sorted, deduplicated; a handful of entries, so a vector beats a tree.
    approved_by: Vec<AccountId>,
    pub max_recursion: u32,
    pub allow_non_immediate_owner: bool,
}

impl<'a, L: AuthorityLookup + ?Sized> SignState<'a, L> {
    /// A walk over `signing_keys` (assumed distinct) with temp-account pre-approved.
    pub fn new(signing_keys: &[PublicKey], lookup: &'a L, max_recursion: u32) -> Self {
        SignState {
            lookup,
            keys: signing_keys.iter().map(|&key| SigningKey { key, used: false }).collect(),
            addresses: None,
            approved_by: vec![TEMP_ACCOUNT],
            max_recursion,
            allow_non_immediate_owner: true,
        }
    }

    /// Count `account` as approved from now on (proposal approvals).
    pub fn approve(&mut self, account: AccountId) {
        if let Err(at) = self.approved_by.binary_search(&account) {
            self.approved_by.insert(at, account);
        }
    }

    pub fn is_approved(&self, account: AccountId) -> bool {
        self.approved_by.binary_search(&account).is_ok()
    }

    /// The signing keys with their used flags, in the order given.
    pub fn keys(&self) -> &[SigningKey] {
        &self.keys
    }

    /// The first signing key no walked authority needed.
    pub fn first_unused(&self) -> Option<PublicKey> {
        self.keys.iter().find(|k| !k.used).map(|k| k.key)
    }

    /// An account's authority as a top-level requirement: approved already, or its active
    /// authority, or (if allowed) its owner authority, each walked from depth 0.
    pub fn check_account(&mut self, account: AccountId) -> bool {
        if self.is_approved(account) {
            return true;
        }
        let lookup = self.lookup;
        self.check_optional(lookup.active(account), 0)
            || (self.allow_non_immediate_owner && self.check_optional(lookup.owner(account), 0))
    }

    /// A missing authority is never satisfied.
    pub fn check_optional(&mut self, auth: Option<&Authority>, depth: u32) -> bool {
        auth.is_some_and(|a| self.check_authority(a, depth))
    }

    /// Whether the signing keys satisfy `auth` at `depth` (§4.2), marking the keys it uses.
    pub fn check_authority(&mut self, auth: &Authority, depth: u32) -> bool {
        let threshold = u64::from(auth.weight_threshold);
        let mut total: u64 = 0;
        for (key, weight) in &auth.key_auths {
            if self.signed_by_key(key) {
                total += u64::from(*weight);
                if total >= threshold {
                    return true;
                }
            }
        }
        for (address, weight) in &auth.address_auths {
            if self.signed_by_address(address) {
                total += u64::from(*weight);
                if total >= threshold {
                    return true;
                }
            }
        }
        let lookup = self.lookup;
        for (&account, weight) in &auth.account_auths {
            if !self.is_approved(account) {
                if depth >= self.max_recursion {
                    continue;
                }
                let passed = self.check_optional(lookup.active(account), depth + 1)
                    || (self.allow_non_immediate_owner && self.check_optional(lookup.owner(account), depth + 1));
                if !passed {
                    continue;
                }
                self.approve(account);
            }
            total += u64::from(*weight);
            if total >= threshold {
                return true;
            }
        }
        total >= threshold
    }

    fn signed_by_key(&mut self, key: &PublicKey) -> bool {
        match self.keys.iter_mut().find(|k| k.key == *key) {
            Some(k) => {
                k.used = true;
                true
            }
            None => false,
        }
    }

    fn signed_by_address(&mut self, address: &Address) -> bool {
        let keys = &self.keys;
        let addresses = self.addresses.get_or_insert_with(|| {
            keys.iter()
                // A key that is not a curve point (never the case for recovered keys) still
                // matches under its graphene address.
                .map(|k| key_addresses(&k.key).unwrap_or([k.key.address(); 5]))
                .collect()
        });
        match addresses.iter().position(|set| set.contains(address)) {
            Some(i) => {
                self.keys[i].used = true;
                true
            }
            None => false,
        }
    }
}

/// What the operations of a transaction require, as `operation_get_required_authorities`
/// accumulates it: accounts whose active (or owner) authority must sign, accounts whose owner
/// authority must sign, and raw authorities. An account may be in both sets; both checks apply.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RequiredAuthorities {
    pub active: BTreeSet<AccountId>,
    pub owner: BTreeSet<AccountId>,
    pub other: Vec<Authority>,
}

/// Approvals already given to a proposal. Active approvals only count as approved accounts in the
/// walk; an owner-required account is satisfied only by an owner approval or its owner keys.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Approvals {
    pub active: BTreeSet<AccountId>,
    pub owner: BTreeSet<AccountId>,
}

/// The transaction-level check (`verify_authority`), rejections in bitshares-core's order:
/// committee as a required active account (unless `allow_committee`, i.e. inside a proposal);
/// each raw authority; each required owner by its owner authority; each required active by its
/// active or owner authority; finally every signing key must have been used.
pub fn verify_authority<L: AuthorityLookup + ?Sized>(
    required: &RequiredAuthorities,
    signing_keys: &[PublicKey],
    lookup: &L,
    max_depth: u32,
    allow_committee: bool,
    approvals: &Approvals,
) -> Result<(), AuthError> {
    if !allow_committee && required.active.contains(&COMMITTEE_ACCOUNT) {
        return Err(AuthError::CommitteeMayOnlyPropose);
    }
    let mut state = SignState::new(signing_keys, lookup, max_depth);
    for &account in approvals.active.iter().chain(&approvals.owner) {
        state.approve(account);
    }
    for (index, auth) in required.other.iter().enumerate() {
        if !state.check_authority(auth, 0) {
            return Err(AuthError::MissingOtherAuthority { index, threshold: auth.weight_threshold });
        }
    }
    for &account in &required.owner {
        if !(approvals.owner.contains(&account) || state.check_optional(lookup.owner(account), 0)) {
            return Err(AuthError::MissingOwnerAuthority { account });
        }
    }
    for &account in &required.active {
        if !(state.check_account(account) || state.check_optional(lookup.owner(account), 0)) {
            return Err(AuthError::MissingActiveAuthority { account });
        }
    }
    match state.first_unused() {
        Some(key) => Err(AuthError::IrrelevantSignature { key }),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests;
