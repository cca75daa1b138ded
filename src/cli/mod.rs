//! Subcommands of the `graphene` binary.

pub mod apply;
pub mod bench;
pub mod bench_core;
pub mod bench_dex;
pub mod bench_fees;
pub mod bench_margin;
pub mod bench_node;
pub mod config;
pub mod key;
pub mod node;
pub mod replay;
pub mod tx;

/// A failure of a command: bad input (exit 2) or a failure while running (exit 1).
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    #[error("{0}")]
    Usage(String),
    #[error("{0}")]
    Failed(String),
}

impl CliError {
    pub fn exit_code(&self) -> u8 {
        match self {
            CliError::Usage(_) => 2,
            CliError::Failed(_) => 1,
        }
    }
}

/// Read a file, or standard input for `-`.
pub fn read_input(path: &str) -> Result<String, CliError> {
    if path == "-" {
        let mut s = String::new();
        std::io::Read::read_to_string(&mut std::io::stdin(), &mut s)
            .map_err(|e| CliError::Usage(format!("cannot read standard input: {e}")))?;
        Ok(s)
    } else {
        std::fs::read_to_string(path).map_err(|e| CliError::Usage(format!("cannot read {path}: {e}")))
    }
}
