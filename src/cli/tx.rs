//! `graphene tx encode|decode|sign`.
//!
//! Output is one JSON object per line (what `graphene node --tx-file` reads), or indented JSON
//! with `--pretty`. `sign` refuses what no node would accept anyway: a transaction without
//! operations, or one whose expiration has passed (this is the CLI edge, so it reads the clock).

use super::{read_input, CliError};
use clap::Subcommand;
use ledger::crypto::PrivateKey;
use ledger::transaction::{ChainId, SignedTransaction, Transaction};
use ledger::{Pack, Unpack};
use serde_json::json;

#[derive(Subcommand)]
pub enum TxCmd {
    /// Print a transaction's bytes (hex, without signatures), its signing digest and its id.
    Encode {
        /// Transaction JSON file (signed or not), or - for standard input.
        file: String,
        /// Chain id (64 hex characters) the signing digest is computed for.
        #[arg(long)]
        chain_id: String,
        /// Indented JSON for people instead of one line.
        #[arg(long)]
        pretty: bool,
    },
    /// Print the JSON of a transaction given as hex bytes: `signed_bytes` or the unsigned `bytes`
    /// that `tx encode` prints.
    Decode {
        /// The transaction bytes in hex.
        hex: String,
        /// Indented JSON for people instead of one line.
        #[arg(long)]
        pretty: bool,
    },
    /// Sign transactions and print each as signed JSON on one line (the `--tx-file` format).
    Sign {
        /// Transaction JSON file (one transaction, or several one after another), or - for
        /// standard input.
        file: String,
        /// Indented JSON for people instead of one line per transaction.
        #[arg(long)]
        pretty: bool,
        /// Chain id (64 hex characters) to sign for.
        #[arg(long)]
        chain_id: String,
        /// The private key in WIF (5...). May be given several times.
        #[arg(long, required = true)]
        wif: Vec<String>,
    },
}

fn parse_chain_id(text: &str) -> Result<ChainId, CliError> {
    let bytes = hex::decode(text).map_err(|e| CliError::Usage(format!("--chain-id is not hex: {e}")))?;
    let arr: [u8; 32] =
        bytes.try_into().map_err(|_| CliError::Usage("--chain-id must be 32 bytes (64 hex characters)".into()))?;
    Ok(ChainId(arr))
}

fn parse_tx(path: &str) -> Result<SignedTransaction, CliError> {
    let text = read_input(path)?;
    serde_json::from_str(&text).map_err(|e| CliError::Usage(format!("{path}: not a transaction: {e}")))
}

/// Every transaction in the input: one JSON object, or several one after another (JSON lines).
fn parse_txs(path: &str) -> Result<Vec<SignedTransaction>, CliError> {
    let text = read_input(path)?;
    let mut txs = Vec::new();
    for (i, tx) in serde_json::Deserializer::from_str(&text).into_iter::<SignedTransaction>().enumerate() {
        txs.push(tx.map_err(|e| CliError::Usage(format!("{path}: transaction {}: not a transaction: {e}", i + 1)))?);
    }
    if txs.is_empty() {
        return Err(CliError::Usage(format!("{path}: no transaction in the input")));
    }
    Ok(txs)
}

/// Refuse to sign what every node would refuse: no operations, or an expiration already passed.
fn check_signable(tx: &Transaction, now_secs: u64, which: usize) -> Result<(), CliError> {
    if tx.operations.is_empty() {
        return Err(CliError::Usage(format!(
            "transaction {which}: has no operations; a transaction needs at least one"
        )));
    }
    if u64::from(tx.expiration.0) <= now_secs {
        let now = ledger::time::TimePointSec(u32::try_from(now_secs).unwrap_or(u32::MAX));
        return Err(CliError::Usage(format!(
            "transaction {which}: expiration {} is not in the future (now {now}); set \"expiration\" to a time \
             within a day after the chain's head block time",
            tx.expiration
        )));
    }
    Ok(())
}

/// Decode signed bytes, or the unsigned bytes `tx encode` prints as `bytes` (no signatures).
fn decode(bytes: &[u8]) -> Result<SignedTransaction, CliError> {
    SignedTransaction::from_bytes(bytes).or_else(|signed_err| {
        Transaction::from_bytes(bytes)
            .map(|transaction| SignedTransaction { transaction, signatures: Vec::new() })
            .map_err(|_| CliError::Usage(format!("not a transaction (signed or unsigned): {signed_err}")))
    })
}

fn print(value: &serde_json::Value, pretty: bool) -> Result<(), CliError> {
    let text = if pretty { serde_json::to_string_pretty(value) } else { serde_json::to_string(value) };
    println!("{}", text.map_err(|e| CliError::Failed(e.to_string()))?);
    Ok(())
}

pub fn run(cmd: TxCmd) -> Result<(), CliError> {
    match cmd {
        TxCmd::Encode { file, chain_id, pretty } => {
            let chain_id = parse_chain_id(&chain_id)?;
            let tx = parse_tx(&file)?;
            let out = json!({
                "bytes": hex::encode(tx.transaction.to_bytes()),
                "signed_bytes": hex::encode(tx.to_bytes()),
                "sig_digest": hex::encode(tx.sig_digest(&chain_id.0)),
                "id": tx.id().to_string(),
            });
            print(&out, pretty)
        }
        TxCmd::Decode { hex: text, pretty } => {
            let bytes = hex::decode(text.trim()).map_err(|e| CliError::Usage(format!("not hex: {e}")))?;
            let tx = decode(&bytes)?;
            print(&serde_json::to_value(&tx).map_err(|e| CliError::Failed(e.to_string()))?, pretty)
        }
        TxCmd::Sign { file, chain_id, wif, pretty } => {
            let chain_id = parse_chain_id(&chain_id)?;
            let keys = wif
                .iter()
                .map(|w| PrivateKey::from_wif(w).map_err(|e| CliError::Usage(format!("--wif: {e}"))))
                .collect::<Result<Vec<_>, _>>()?;
            let txs = parse_txs(&file)?;
            let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs());
            for (i, tx) in txs.iter().enumerate() {
                check_signable(tx, now, i + 1)?;
            }
            for mut tx in txs {
                let digest = tx.sig_digest(&chain_id.0);
                for key in &keys {
                    tx.signatures.push(ledger::crypto::sign_compact(key, &digest));
                }
                print(&serde_json::to_value(&tx).map_err(|e| CliError::Failed(e.to_string()))?, pretty)?;
            }
            Ok(())
        }
    }
}
