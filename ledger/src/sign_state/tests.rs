//! Scenarios for the signature state machine, named after the rule they pin down.

use super::*;
use crate::crypto::{pts_address, ripemd160, sha256, sign_compact, uncompressed, PrivateKey};

fn key(seed: &str) -> PublicKey {
    PrivateKey::from_seed(seed.as_bytes()).unwrap().public_key()
}

fn acct(instance: u64) -> AccountId {
    AccountId(instance)
}

/// Threshold `threshold` over keys of weight 1.
fn multisig(threshold: u32, keys: &[PublicKey]) -> Authority {
    Authority { weight_threshold: threshold, key_auths: keys.iter().map(|k| (*k, 1)).collect(), ..Default::default() }
}

/// Threshold `threshold` over accounts of weight 1.
fn account_multisig(threshold: u32, accounts: &[AccountId]) -> Authority {
    Authority {
        weight_threshold: threshold,
        account_auths: accounts.iter().map(|a| (*a, 1)).collect(),
        ..Default::default()
    }
}

fn active(accounts: &[AccountId]) -> RequiredAuthorities {
    RequiredAuthorities { active: accounts.iter().copied().collect(), ..Default::default() }
}

fn owner(accounts: &[AccountId]) -> RequiredAuthorities {
    RequiredAuthorities { owner: accounts.iter().copied().collect(), ..Default::default() }
}

fn other(auths: Vec<Authority>) -> RequiredAuthorities {
    RequiredAuthorities { other: auths, ..Default::default() }
}

fn verify(required: &RequiredAuthorities, keys: &[PublicKey], lookup: &AuthorityMap) -> Result<(), AuthError> {
    verify_authority(required, keys, lookup, MAX_AUTHORITY_DEPTH_DEFAULT, false, &Approvals::default())
}

#[test]
fn single_key_active_authority_is_satisfied_by_its_key_only() {
    let (k1, k2) = (key("k1"), key("k2"));
    let mut map = AuthorityMap::default();
    map.active.insert(acct(17), Authority::single_key(k1));
    let req = active(&[acct(17)]);
    assert_eq!(verify(&req, &[k1], &map), Ok(()));
    assert_eq!(verify(&req, &[], &map), Err(AuthError::MissingActiveAuthority { account: acct(17) }));
    assert_eq!(verify(&req, &[k2], &map), Err(AuthError::MissingActiveAuthority { account: acct(17) }));
    assert_eq!(verify(&req, &[k1, k2], &map), Err(AuthError::IrrelevantSignature { key: k2 }));
    // An account that does not exist is never satisfied.
    assert_eq!(verify(&active(&[acct(99)]), &[k1], &map), Err(AuthError::MissingActiveAuthority { account: acct(99) }));
}

#[test]
fn required_active_falls_back_to_the_owner_authority() {
    let (k_active, k_owner) = (key("active"), key("owner"));
    let mut map = AuthorityMap::default();
    map.active.insert(acct(17), Authority::single_key(k_active));
    map.owner.insert(acct(17), Authority::single_key(k_owner));
    assert_eq!(verify(&active(&[acct(17)]), &[k_owner], &map), Ok(()));
}

#[test]
fn two_of_three_multisig_needs_two_and_rejects_the_third() {
    let keys = [key("a"), key("b"), key("c")];
    let mut map = AuthorityMap::default();
    map.active.insert(acct(20), multisig(2, &keys));
    let req = active(&[acct(20)]);
    assert_eq!(verify(&req, &[keys[0], keys[2]], &map), Ok(()));
    assert_eq!(verify(&req, &[keys[1]], &map), Err(AuthError::MissingActiveAuthority { account: acct(20) }));
    // All three signed: the walk stops after the first two keys in map (address) order, so the
    // last one in that order was never needed.
    let mut sorted = keys;
    sorted.sort();
    assert_eq!(verify(&req, &keys, &map), Err(AuthError::IrrelevantSignature { key: sorted[2] }));
}

/// A company whose active authority is 2-of-3 of its board members, each of them a 2-of-2
/// multisig of its own keys.
struct Company {
    map: AuthorityMap,
    board: [[PublicKey; 2]; 3],
}

const COMPANY: AccountId = AccountId(100);
const BOARD: [AccountId; 3] = [AccountId(101), AccountId(102), AccountId(103)];

fn company() -> Company {
    let board = [[key("b1a"), key("b1b")], [key("b2a"), key("b2b")], [key("b3a"), key("b3b")]];
    let mut map = AuthorityMap::default();
    map.active.insert(COMPANY, account_multisig(2, &BOARD));
    for (member, keys) in BOARD.iter().zip(&board) {
        map.active.insert(*member, multisig(2, keys));
    }
    Company { map, board }
}

#[test]
fn company_account_is_authorized_by_two_complete_board_members() {
    let Company { map, board: b } = company();
    let req = active(&[COMPANY]);
    assert_eq!(verify(&req, &[b[0][0], b[0][1], b[1][0], b[1][1]], &map), Ok(()));
    assert_eq!(verify(&req, &[b[2][1], b[0][0], b[2][0], b[0][1]], &map), Ok(()));
    // Board member 2 only half signed.
    assert_eq!(
        verify(&req, &[b[0][0], b[0][1], b[1][0]], &map),
        Err(AuthError::MissingActiveAuthority { account: COMPANY })
    );
    // All six signed: members 1 and 2 reach the threshold, member 3 is never walked.
    let all: Vec<PublicKey> = b.iter().flatten().copied().collect();
    assert_eq!(verify(&req, &all, &map), Err(AuthError::IrrelevantSignature { key: b[2][0] }));
}

#[test]
fn board_member_key_change_takes_effect_without_touching_the_company() {
    let Company { mut map, board: b } = company();
    let company_before = map.active[&COMPANY].clone();
    let new = [key("n1a"), key("n1b")];
    map.active.insert(BOARD[0], multisig(2, &new));
    assert_eq!(map.active[&COMPANY], company_before);
    let req = active(&[COMPANY]);
    assert_eq!(verify(&req, &[new[0], new[1], b[1][0], b[1][1]], &map), Ok(()));
    assert_eq!(
        verify(&req, &[b[0][0], b[0][1], b[1][0], b[1][1]], &map),
        Err(AuthError::MissingActiveAuthority { account: COMPANY })
    );
    assert_eq!(
        verify(&req, &[new[0], new[1], b[1][0], b[1][1], b[0][0]], &map),
        Err(AuthError::IrrelevantSignature { key: b[0][0] })
    );
}

#[test]
fn board_member_may_sign_with_its_owner_keys() {
    let Company { mut map, board: b } = company();
    let member_owner = key("b1-owner");
    map.owner.insert(BOARD[0], Authority::single_key(member_owner));
    assert_eq!(verify(&active(&[COMPANY]), &[member_owner, b[1][0], b[1][1]], &map), Ok(()));
}

/// A (1.2.200) → B → C → D, each active = {next account: 1, own key: 1}, threshold 1.
fn chain() -> (AuthorityMap, [PublicKey; 4]) {
    let keys = [key("kA"), key("kB"), key("kC"), key("kD")];
    let ids = [acct(200), acct(201), acct(202), acct(203)];
    let mut map = AuthorityMap::default();
    for level in 0..4 {
        let mut auth = Authority::single_key(keys[level]);
        if level < 3 {
            auth.account_auths.insert(ids[level + 1], 1);
        }
        map.active.insert(ids[level], auth);
    }
    (map, keys)
}

#[test]
fn depth_limit_two_counts_keys_at_three_levels_only() {
    let (map, keys) = chain();
    let req = active(&[acct(200)]);
    for k in &keys[..3] {
        assert_eq!(verify(&req, &[*k], &map), Ok(()), "key {k} should count");
    }
    assert_eq!(verify(&req, &[keys[3]], &map), Err(AuthError::MissingActiveAuthority { account: acct(200) }));
    // One more level of recursion reaches D.
    let deeper = verify_authority(&req, &[keys[3]], &map, 3, false, &Approvals::default());
    assert_eq!(deeper, Ok(()));
}

#[test]
fn owner_required_operation_is_not_satisfied_by_active_keys() {
    let (k_active, k_owner) = (key("active"), key("owner"));
    let mut map = AuthorityMap::default();
    map.active.insert(acct(30), Authority::single_key(k_active));
    map.owner.insert(acct(30), Authority::single_key(k_owner));
    let req = owner(&[acct(30)]);
    assert_eq!(verify(&req, &[k_active], &map), Err(AuthError::MissingOwnerAuthority { account: acct(30) }));
    assert_eq!(verify(&req, &[k_owner], &map), Ok(()));
    assert_eq!(verify(&req, &[k_active, k_owner], &map), Err(AuthError::IrrelevantSignature { key: k_active }));
}

#[test]
fn temp_account_is_always_approved() {
    let map = AuthorityMap::default();
    assert_eq!(verify(&active(&[TEMP_ACCOUNT]), &[], &map), Ok(()));
    let via_member = other(vec![Authority::single_account(TEMP_ACCOUNT)]);
    assert_eq!(verify(&via_member, &[], &map), Ok(()));
    // Approval needs no key, so a key offered for it is irrelevant.
    let k = key("x");
    assert_eq!(verify(&active(&[TEMP_ACCOUNT]), &[k], &map), Err(AuthError::IrrelevantSignature { key: k }));
}

#[test]
fn committee_account_may_only_act_through_proposals() {
    let k = key("committee");
    let mut map = AuthorityMap::default();
    map.active.insert(COMMITTEE_ACCOUNT, Authority::single_key(k));
    let req = active(&[COMMITTEE_ACCOUNT]);
    let err = verify(&req, &[k], &map).unwrap_err();
    assert_eq!(err, AuthError::CommitteeMayOnlyPropose);
    assert_eq!(err.code(), "invalid_committee_approval");
    let approvals = Approvals::default();
    assert_eq!(verify_authority(&req, &[k], &map, 2, true, &approvals), Ok(()));
    assert_eq!(
        verify_authority(&req, &[], &map, 2, true, &approvals),
        Err(AuthError::MissingActiveAuthority { account: COMMITTEE_ACCOUNT })
    );
}

#[test]
fn proposal_approvals_satisfy_active_but_only_owner_approvals_satisfy_owner() {
    let mut map = AuthorityMap::default();
    map.active.insert(acct(40), Authority::single_key(key("a")));
    map.owner.insert(acct(40), Authority::single_key(key("o")));
    let active_only = Approvals { active: [acct(40)].into(), ..Default::default() };
    let owner_given = Approvals { owner: [acct(40)].into(), ..Default::default() };
    assert_eq!(verify_authority(&active(&[acct(40)]), &[], &map, 2, true, &active_only), Ok(()));
    assert_eq!(
        verify_authority(&owner(&[acct(40)]), &[], &map, 2, true, &active_only),
        Err(AuthError::MissingOwnerAuthority { account: acct(40) })
    );
    assert_eq!(verify_authority(&owner(&[acct(40)]), &[], &map, 2, true, &owner_given), Ok(()));
}

#[test]
fn duplicate_signatures_by_one_key_are_rejected() {
    let secret = PrivateKey::from_seed(b"dup").unwrap();
    let digest = sha256(b"tx");
    let sig = sign_compact(&secret, &digest);
    let other_sig = sign_compact(&PrivateKey::from_seed(b"other").unwrap(), &digest);
    assert_eq!(
        unique_keys(&[sig, other_sig], &digest),
        Ok(vec![secret.public_key(), PrivateKey::from_seed(b"other").unwrap().public_key()])
    );
    let dup = unique_keys(&[sig, other_sig, sig], &digest).unwrap_err();
    assert_eq!(dup, AuthError::DuplicateSignature { key: secret.public_key() });
    assert_eq!(dup.code(), "tx_duplicate_sig");
    // Different bytes, same key: header 27 + recid instead of 31 + recid recovers the same key.
    let mut variant = sig;
    variant.0[0] -= 4;
    assert_eq!(unique_keys(&[sig, variant], &digest), Err(AuthError::DuplicateSignature { key: secret.public_key() }));
    let mut broken = sig;
    broken.0[0] = 0;
    assert_eq!(
        unique_keys(&[broken], &digest),
        Err(AuthError::BadSignature { index: 0, error: SigError::BadHeader { header: 0 } })
    );
}

#[test]
fn address_auths_match_a_key_under_each_derivation() {
    let k = key("addr");
    let full = uncompressed(&k).unwrap();
    let derivations = [
        Address(ripemd160(&pts_address(&full, 56))),
        Address(ripemd160(&pts_address(&k.0, 56))),
        Address(ripemd160(&pts_address(&full, 0))),
        Address(ripemd160(&pts_address(&k.0, 0))),
        k.address(),
    ];
    let map = AuthorityMap::default();
    for address in derivations {
        let mut auth = Authority { weight_threshold: 1, ..Default::default() };
        auth.address_auths.insert(address, 1);
        let req = other(vec![auth]);
        assert_eq!(verify(&req, &[k], &map), Ok(()), "address {address}");
        assert_eq!(
            verify(&req, &[key("stranger")], &map),
            Err(AuthError::MissingOtherAuthority { index: 0, threshold: 1 })
        );
    }
}

#[test]
fn checks_run_in_bitshares_order_other_then_owner_then_active() {
    let mut map = AuthorityMap::default();
    map.active.insert(acct(50), Authority::single_key(key("a")));
    map.owner.insert(acct(51), Authority::single_key(key("o")));
    let req = RequiredAuthorities {
        active: [acct(50)].into(),
        owner: [acct(51)].into(),
        other: vec![Authority::single_key(key("x")), Authority::single_key(key("y"))],
    };
    assert_eq!(verify(&req, &[key("x")], &map), Err(AuthError::MissingOtherAuthority { index: 1, threshold: 1 }));
    assert_eq!(verify(&req, &[key("x"), key("y")], &map), Err(AuthError::MissingOwnerAuthority { account: acct(51) }));
    assert_eq!(
        verify(&req, &[key("x"), key("y"), key("o")], &map),
        Err(AuthError::MissingActiveAuthority { account: acct(50) })
    );
    assert_eq!(verify(&req, &[key("x"), key("y"), key("o"), key("a")], &map), Ok(()));
}

#[test]
fn approved_member_counts_without_rewalking_and_key_marks_survive_failure() {
    let (k1, k2) = (key("m1"), key("m2"));
    let mut map = AuthorityMap::default();
    map.active.insert(acct(60), Authority::single_key(k1));
    let mut state = SignState::new(&[k1, k2], &map, 2);
    // A failing 2-of-2 still marks the key it found.
    assert!(!state.check_authority(&multisig(2, &[k1, key("absent")]), 0));
    assert_eq!(state.keys()[0], SigningKey { key: k1, used: true });
    assert!(state.check_authority(&Authority::single_account(acct(60)), 0));
    assert!(state.is_approved(acct(60)));
    assert_eq!(state.first_unused(), Some(k2));
    // Weights add up across keys and approved accounts.
    let mut mixed = Authority { weight_threshold: 3, ..Default::default() };
    mixed.key_auths.insert(k2, 2);
    mixed.account_auths.insert(acct(60), 1);
    assert!(state.check_authority(&mixed, 0));
    assert_eq!(state.first_unused(), None);
}

#[test]
fn error_codes_are_stable() {
    let k = key("c");
    let codes = [
        (AuthError::MissingOtherAuthority { index: 0, threshold: 1 }, "tx_missing_other_auth"),
        (AuthError::MissingOwnerAuthority { account: acct(1) }, "tx_missing_owner_auth"),
        (AuthError::MissingActiveAuthority { account: acct(1) }, "tx_missing_active_auth"),
        (AuthError::IrrelevantSignature { key: k }, "tx_irrelevant_sig"),
    ];
    for (err, code) in codes {
        assert_eq!(err.code(), code);
    }
    assert_eq!(
        AuthError::MissingActiveAuthority { account: acct(17) }.to_string(),
        "missing active authority of account 1.2.17"
    );
}
