//! `graphene tx encode|decode|sign`.

use super::{read_input, CliError};
use clap::Subcommand;
use ledger::crypto::PrivateKey;
use ledger::transaction::{ChainId, SignedTransaction};
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
    },
    /// Print the JSON of a transaction given as hex bytes (signed or not).
    Decode {
        /// The transaction bytes in hex.
        hex: String,
    },
    /// Sign a transaction and print it as signed JSON.
    Sign {
        /// Transaction JSON file, or - for standard input.
        file: String,
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

pub fn run(cmd: TxCmd) -> Result<(), CliError> {
    let out = match cmd {
        TxCmd::Encode { file, chain_id } => {
            let chain_id = parse_chain_id(&chain_id)?;
            let tx = parse_tx(&file)?;
            json!({
                "bytes": hex::encode(tx.transaction.to_bytes()),
                "signed_bytes": hex::encode(tx.to_bytes()),
                "sig_digest": hex::encode(tx.sig_digest(&chain_id.0)),
                "id": tx.id().to_string(),
            })
        }
        TxCmd::Decode { hex: text } => {
            let bytes = hex::decode(text.trim()).map_err(|e| CliError::Usage(format!("not hex: {e}")))?;
            let tx = SignedTransaction::from_bytes(&bytes)
                .map_err(|e| CliError::Usage(format!("not a transaction: {e}")))?;
            serde_json::to_value(&tx).map_err(|e| CliError::Failed(e.to_string()))?
        }
        TxCmd::Sign { file, chain_id, wif } => {
            let chain_id = parse_chain_id(&chain_id)?;
            let mut tx = parse_tx(&file)?;
            let digest = tx.sig_digest(&chain_id.0);
            for w in &wif {
                let key = PrivateKey::from_wif(w).map_err(|e| CliError::Usage(e.to_string()))?;
                tx.signatures.push(ledger::crypto::sign_compact(&key, &digest));
            }
            serde_json::to_value(&tx).map_err(|e| CliError::Failed(e.to_string()))?
        }
    };
    println!("{}", serde_json::to_string_pretty(&out).map_err(|e| CliError::Failed(e.to_string()))?);
    Ok(())
}
