use super::*;
use crate::chain::constants::BLOCKCHAIN_PRECISION;
use crate::ops::{is_valid_account_name, is_valid_symbol as is_valid_asset_symbol};

const DEV_PASSWORD: &str = "dev";
const NATHAN_BTS: i64 = 100_000_000;
const INIT_WITNESS_BTS: i64 = 10_000;

/// The BitShares password rule: `priv = sha256(name ‖ role ‖ password)`.
fn derive_key(name: &str, role: &str) -> PublicKey {
    let seed: [u8; 32] = Sha256::digest(format!("{name}{role}{DEV_PASSWORD}").as_bytes()).into();
    let secret = secp256k1::SecretKey::from_slice(&seed).expect("a sha256 digest is a valid scalar");
    PublicKey(secp256k1::PublicKey::from_secret_key(secp256k1::SECP256K1, &secret).serialize())
}

fn dev_account(name: &str) -> InitialAccount {
    InitialAccount {
        name: name.to_string(),
        owner_key: derive_key(name, "owner"),
        active_key: derive_key(name, "active"),
        is_lifetime_member: true,
    }
}

/// The dev genesis built from the password rule; `dev_genesis.json` must equal it.
fn expected_dev_genesis() -> GenesisState {
    let inits: Vec<String> = (0..11).map(|i| format!("init{i}")).collect();
    let mut g = GenesisState {
        initial_timestamp: "2026-01-01T00:00:00".parse().unwrap(),
        initial_active_witnesses: 11,
        // The dev file carries the full default schedule explicitly (the C++ default is empty).
        initial_parameters: ChainParameters {
            current_fees: crate::fees::FeeSchedule::default_schedule(),
            ..ChainParameters::default()
        },
        ..GenesisState::default()
    };
    for name in &inits {
        let account = dev_account(name);
        g.initial_balances.push(InitialBalance {
            owner: account.active_key.address(),
            asset_symbol: "BTS".into(),
            amount: INIT_WITNESS_BTS * BLOCKCHAIN_PRECISION as i64,
        });
        g.initial_witness_candidates
            .push(InitialWitness { owner_name: name.clone(), block_signing_key: account.active_key });
        g.initial_committee_candidates.push(InitialCommitteeMember { owner_name: name.clone() });
        g.initial_accounts.push(account);
    }
    let nathan = dev_account("nathan");
    g.initial_balances.push(InitialBalance {
        owner: nathan.active_key.address(),
        asset_symbol: "BTS".into(),
        amount: NATHAN_BTS * BLOCKCHAIN_PRECISION as i64,
    });
    g.initial_accounts.push(nathan);
    g
}

#[test]
fn dev_genesis_file_matches_the_documented_password_rule() {
    let g = GenesisState::dev();
    assert_eq!(g, expected_dev_genesis());
    assert_eq!(g.validate(), Ok(()));
    let nathan = g.initial_accounts.iter().find(|a| a.name == "nathan").unwrap();
    assert_eq!(nathan.active_key, derive_key("nathan", "active"));
    let nathan_balance = g.initial_balances.iter().find(|b| b.owner == nathan.active_key.address()).unwrap();
    assert_eq!(nathan_balance.amount, 10_000_000_000_000);
    assert_eq!(g.initial_timestamp.0, 1_767_225_600);
    assert_eq!(g.initial_parameters.current_fees, crate::fees::FeeSchedule::default_schedule());
    assert_eq!(
        g.initial_parameters,
        ChainParameters { current_fees: g.initial_parameters.current_fees.clone(), ..ChainParameters::default() }
    );
    // Keys in the file carry the TEST prefix.
    assert!(DEV_GENESIS_JSON.contains(&format!("\"{}\"", nathan.active_key.to_string_with_prefix("TEST"))));
}

#[test]
fn dev_chain_id_is_the_hash_of_the_file_text() {
    let g = GenesisState::dev();
    assert_eq!(g.initial_chain_id, None);
    assert_eq!(g.chain_id(DEV_GENESIS_JSON), chain_id_of_text(DEV_GENESIS_JSON));
    let pinned = GenesisState { initial_chain_id: Some([7; 32]), ..g };
    assert_eq!(pinned.chain_id(DEV_GENESIS_JSON), [7; 32]);
}

/// Regenerates `dev_genesis.json`; run with `cargo test -p ledger write_dev_genesis -- --ignored`
/// only when the dev chain deliberately changes (its chain id changes with the text).
#[test]
#[ignore]
fn write_dev_genesis() {
    let value = crate::prefix::to_json(&expected_dev_genesis(), crate::prefix::Prefix::TEST).unwrap();
    let text = serde_json::to_string_pretty(&value).unwrap() + "\n";
    std::fs::write(concat!(env!("CARGO_MANIFEST_DIR"), "/src/dev_genesis.json"), text).unwrap();
}

#[test]
fn json_round_trip_and_lenient_defaults() {
    let g = expected_dev_genesis();
    let text = serde_json::to_string(&g).unwrap();
    assert!(text.starts_with(r#"{"initial_timestamp":"2026-01-01T00:00:00","max_core_supply":"1000000000000000","#));
    assert_eq!(GenesisState::from_json(&text).unwrap(), g);

    let minimal = GenesisState::from_json(r#"{"initial_timestamp":"2026-01-01T00:00:05","zz":[]}"#).unwrap();
    assert_eq!(minimal.max_core_supply, 1_000_000_000_000_000);
    assert_eq!(minimal.initial_active_witnesses, 11);
    assert_eq!(minimal.immutable_parameters.min_witness_count, 11);
    assert_eq!(minimal.validate(), Err(GenesisError::NoWitnesses));

    let zero_id = format!(r#"{{"initial_chain_id":"{}"}}"#, "0".repeat(64));
    assert_eq!(GenesisState::from_json(&zero_id).unwrap().initial_chain_id, None);
    assert!(matches!(GenesisState::from_json(r#"{"initial_chain_id":"abcd"}"#), Err(GenesisError::Json(_))));
    assert!(matches!(GenesisState::from_json("{"), Err(GenesisError::Json(_))));
}

#[test]
fn cpp_style_account_defaults_active_to_owner() {
    let a: InitialAccount =
        serde_json::from_str(r#"{"name":"x","owner_key":"TEST6MRyAjQq8ud7hVNYcfnVPJqcVpscN5So8BhtHuGYqET5GDW5CV"}"#)
            .unwrap();
    assert!(a.active_key.is_null());
    assert_eq!(a.effective_active_key(), a.owner_key);
}

#[test]
fn validation_errors() {
    let ok = expected_dev_genesis();
    let check = |f: &dyn Fn(&mut GenesisState), want: GenesisError| {
        let mut g = ok.clone();
        f(&mut g);
        assert_eq!(g.validate(), Err(want));
    };
    check(&|g| g.initial_timestamp = TimePointSec(0), GenesisError::MissingTimestamp);
    check(
        &|g| g.initial_timestamp = TimePointSec(1_767_225_601),
        GenesisError::TimestampOffBlockGrid { timestamp: TimePointSec(1_767_225_601), interval: 5 },
    );
    check(
        &|g| g.initial_parameters.block_interval = 0,
        GenesisError::Parameters(ChainParamsError::BlockIntervalOutOfRange { value: 0 }),
    );
    check(&|g| g.max_core_supply = 0, GenesisError::MaxCoreSupplyOutOfRange { value: 0 });
    check(&|g| g.initial_accounts[1].name = "init0".into(), GenesisError::DuplicateAccount { name: "init0".into() });
    check(
        &|g| g.initial_accounts[0].name = "temp-account".into(),
        GenesisError::DuplicateAccount { name: "temp-account".into() },
    );
    check(&|g| g.initial_accounts[0].name = "Init0".into(), GenesisError::InvalidAccountName { name: "Init0".into() });
    check(
        &|g| g.initial_witness_candidates[3].owner_name = "nobody".into(),
        GenesisError::UnknownOwner { role: "witness", name: "nobody".into() },
    );
    check(
        &|g| g.initial_committee_candidates.push(InitialCommitteeMember { owner_name: "ghost".into() }),
        GenesisError::UnknownOwner { role: "committee", name: "ghost".into() },
    );
    check(&|g| g.initial_active_witnesses = 12, GenesisError::TooManyActiveWitnesses { active: 12, candidates: 11 });
    check(
        &|g| g.max_core_supply = 10_000_000_000_000,
        GenesisError::SupplyExceedsMax { symbol: "BTS".into(), total: 10_011_000_000_000, max: 10_000_000_000_000 },
    );
    check(
        &|g| g.initial_balances[0].asset_symbol = "USD".into(),
        GenesisError::UnknownAsset { what: "initial balance", symbol: "USD".into() },
    );
}

#[test]
fn asset_validation() {
    let usd = InitialAsset {
        symbol: "USD".into(),
        issuer_name: "committee-account".into(),
        max_supply: 1_000_000,
        is_bitasset: true,
        collateral_records: vec![InitialCollateralPosition { owner: Address([1; 20]), collateral: 500, debt: 100 }],
        ..InitialAsset::default()
    };
    let mut g = expected_dev_genesis();
    g.initial_assets.push(usd.clone());
    g.initial_balances.push(InitialBalance { owner: Address([2; 20]), asset_symbol: "USD".into(), amount: 999_900 });
    assert_eq!(g.validate(), Ok(()));
    g.initial_balances.last_mut().unwrap().amount = 999_901;
    assert_eq!(
        g.validate(),
        Err(GenesisError::SupplyExceedsMax { symbol: "USD".into(), total: 1_000_001, max: 1_000_000 })
    );
    let check_asset = |f: &dyn Fn(&mut InitialAsset), want: GenesisError| {
        let mut g = expected_dev_genesis();
        let mut a = usd.clone();
        f(&mut a);
        g.initial_assets.push(a);
        assert_eq!(g.validate(), Err(want));
    };
    check_asset(&|a| a.symbol = "BTS".into(), GenesisError::DuplicateAsset { symbol: "BTS".into() });
    check_asset(&|a| a.symbol = "BITUSD".into(), GenesisError::InvalidAssetSymbol { symbol: "BITUSD".into() });
    check_asset(&|a| a.precision = 13, GenesisError::PrecisionTooLarge { symbol: "USD".into(), precision: 13 });
    check_asset(
        &|a| a.issuer_name = "nobody".into(),
        GenesisError::UnknownIssuer { symbol: "USD".into(), issuer: "nobody".into() },
    );
    check_asset(
        &|a| a.collateral_records[0].debt = -1,
        GenesisError::NegativeAmount { what: "debt", symbol: "USD".into(), owner: Address([1; 20]), amount: -1 },
    );
}

#[test]
fn names_and_symbols() {
    for good in ["a", "nathan", "init10", "a-b.c1", "x.y.z", "committee-account"] {
        assert!(is_valid_account_name(good), "{good}");
    }
    for bad in ["", "1abc", "abc-", "a..b", ".a", "a.", "Abc", "a_b", &"a".repeat(64)] {
        assert!(!is_valid_account_name(bad), "{bad}");
    }
    for good in ["BTS", "USD", "OPEN.BTC", "ABC123", "A1B"] {
        assert!(is_valid_asset_symbol(good), "{good}");
    }
    for bad in ["AB", "BITUSD", "1AB", "AB.", "A.B.C", "usd", "ABCDEFGHIJKLMNOPQ"] {
        assert!(!is_valid_asset_symbol(bad), "{bad}");
    }
}
