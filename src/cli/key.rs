//! `graphene key`: create, derive and inspect key pairs, printed as JSON.
//!
//! Owns the command-line surface for keys only; all cryptography lives in `ledger::crypto`.
//! `new` is the one place in the project that draws randomness for a key (the OS rng); `derive`
//! and `info` are pure functions of their arguments. The JSON is built by [`describe`] so it can
//! be tested without capturing stdout. It never writes keys anywhere but stdout.

use clap::Subcommand;
use ledger::crypto::{address_text, PrivateKey};
use rand::{CryptoRng, Rng};
use serde_json::{json, Map, Value};

/// The key roles of an account, as the cloud-wallet derivation names them.
const ROLES: [&str; 3] = ["owner", "active", "memo"];

#[derive(Debug, Clone, PartialEq, Eq, Subcommand)]
pub enum KeyCmd {
    /// Generate a new random key pair (OS randomness) and print its WIF, public key and address.
    New {
        #[arg(long, default_value = "BTS", help = "Chain prefix for the public key and address text (e.g. BTS, TEST)")]
        prefix: String,
    },
    /// Derive an account's key from its name, role and password, as the BitShares UI and
    /// python-bitshares do: sha256(account ‖ role ‖ password).
    Derive {
        #[arg(long, help = "Account name, e.g. nathan")]
        account: String,
        #[arg(long, default_value = "active", value_parser = ROLES, help = "Key role: owner, active or memo")]
        role: String,
        #[arg(long, help = "The account's password (visible to other local users via the process list)")]
        password: String,
        #[arg(long, default_value = "BTS", help = "Chain prefix for the public key and address text (e.g. BTS, TEST)")]
        prefix: String,
    },
    /// Show the public key and address of a WIF private key.
    Info {
        #[arg(help = "Private key in WIF form (starts with 5)")]
        wif: String,
        #[arg(long, default_value = "BTS", help = "Chain prefix for the public key and address text (e.g. BTS, TEST)")]
        prefix: String,
    },
}

/// Run a key command and print its JSON on stdout.
pub fn run(cmd: KeyCmd) -> Result<(), String> {
    let value = describe(cmd, &mut rand::rngs::OsRng)?;
    let text = serde_json::to_string_pretty(&value).map_err(|e| format!("cannot print JSON: {e}"))?;
    println!("{text}");
    Ok(())
}

/// The JSON a key command prints; `rng` is used by `new` only.
pub fn describe<R: Rng + CryptoRng + ?Sized>(cmd: KeyCmd, rng: &mut R) -> Result<Value, String> {
    match cmd {
        KeyCmd::New { prefix } => {
            check_prefix(&prefix)?;
            Ok(Value::Object(key_json(&PrivateKey::generate(rng), &prefix)))
        }
        KeyCmd::Derive { account, role, password, prefix } => {
            check_prefix(&prefix)?;
            if !ROLES.contains(&role.as_str()) {
                return Err(format!("role '{role}' is not one of owner, active, memo"));
            }
            if account.is_empty() {
                return Err("account name must not be empty".to_string());
            }
            let key = PrivateKey::from_password(&account, &role, &password).map_err(|e| e.to_string())?;
            let mut out = Map::new();
            out.insert("account".into(), json!(account));
            out.insert("role".into(), json!(role));
            out.extend(key_json(&key, &prefix));
            Ok(Value::Object(out))
        }
        KeyCmd::Info { wif, prefix } => {
            check_prefix(&prefix)?;
            let key = PrivateKey::from_wif(wif.trim()).map_err(|e| e.to_string())?;
            Ok(Value::Object(key_json(&key, &prefix)))
        }
    }
}

fn key_json(key: &PrivateKey, prefix: &str) -> Map<String, Value> {
    let public = key.public_key();
    let mut out = Map::new();
    out.insert("wif".into(), json!(key.to_wif()));
    out.insert("public_key".into(), json!(public.to_string_with_prefix(prefix)));
    out.insert("address".into(), json!(address_text(&public.address(), prefix)));
    out
}

/// Prefixes are what key parsing accepts back: 1 to 15 capital letters.
fn check_prefix(prefix: &str) -> Result<(), String> {
    if (1..=15).contains(&prefix.len()) && prefix.bytes().all(|b| b.is_ascii_uppercase()) {
        Ok(())
    } else {
        Err(format!("prefix '{prefix}' must be 1 to 15 capital letters, e.g. BTS or TEST"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    fn rng() -> rand::rngs::StdRng {
        rand::rngs::StdRng::seed_from_u64(1)
    }

    #[test]
    fn derive_prints_the_clients_password_key() {
        let cmd = KeyCmd::Derive {
            account: "nathan".into(),
            role: "active".into(),
            password: "pw".into(),
            prefix: "TEST".into(),
        };
        let v = describe(cmd, &mut rng()).unwrap();
        assert_eq!(v["account"], "nathan");
        assert_eq!(v["role"], "active");
        assert_eq!(v["wif"], "5JYPZs3F81Hqp4t5ZL3WqZeGP37ZW6cGCkFJU2d2PxfVJwGgN1M");
        assert_eq!(v["public_key"], "TEST77d5pP2iPbb3GDNTmL9H7jeHrUsEAyqdLvLpBwpkv175dWmMFd");
        let address = v["address"].as_str().unwrap();
        assert!(address.starts_with("TEST"));
        let parsed: ledger::keys::Address = address.parse().unwrap();
        let key: ledger::keys::PublicKey = "TEST77d5pP2iPbb3GDNTmL9H7jeHrUsEAyqdLvLpBwpkv175dWmMFd".parse().unwrap();
        assert_eq!(parsed, key.address());
        assert_eq!(
            v.as_object().unwrap().keys().collect::<Vec<_>>(),
            ["account", "role", "wif", "public_key", "address"]
        );
    }

    #[test]
    fn info_reads_a_wif_and_new_round_trips_through_info() {
        let info =
            KeyCmd::Info { wif: "5JYPZs3F81Hqp4t5ZL3WqZeGP37ZW6cGCkFJU2d2PxfVJwGgN1M".into(), prefix: "BTS".into() };
        let v = describe(info, &mut rng()).unwrap();
        assert_eq!(v["public_key"], "BTS77d5pP2iPbb3GDNTmL9H7jeHrUsEAyqdLvLpBwpkv175dWmMFd");

        let fresh = describe(KeyCmd::New { prefix: "BTS".into() }, &mut rng()).unwrap();
        let again =
            describe(KeyCmd::Info { wif: fresh["wif"].as_str().unwrap().into(), prefix: "BTS".into() }, &mut rng())
                .unwrap();
        assert_eq!(fresh, again);
        let other = describe(KeyCmd::New { prefix: "BTS".into() }, &mut rand::rngs::StdRng::seed_from_u64(2)).unwrap();
        assert_ne!(fresh["wif"], other["wif"]);
    }

    #[test]
    fn bad_input_is_an_error_not_a_panic() {
        let bad_wif =
            KeyCmd::Info { wif: "5JYPZs3F81Hqp4t5ZL3WqZeGP37ZW6cGCkFJU2d2PxfVJwGgN1N".into(), prefix: "BTS".into() };
        assert_eq!(
            describe(bad_wif, &mut rng()).unwrap_err(),
            "'5JYPZs3F81Hqp4t5ZL3WqZeGP37ZW6cGCkFJU2d2PxfVJwGgN1N' is not a valid WIF private key"
        );
        let bad_prefix = KeyCmd::New { prefix: "bts".into() };
        assert!(describe(bad_prefix, &mut rng()).unwrap_err().contains("capital letters"));
        let bad_role =
            KeyCmd::Derive { account: "a".into(), role: "posting".into(), password: "p".into(), prefix: "BTS".into() };
        assert_eq!(describe(bad_role, &mut rng()).unwrap_err(), "role 'posting' is not one of owner, active, memo");
    }
}
