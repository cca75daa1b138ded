//! Subcommands of the `graphene` binary.

pub mod apply;
pub mod bench;
pub mod bench_core;
pub mod bench_dex;
pub mod bench_fees;
pub mod bench_margin;
pub mod bench_node;
pub mod config;
#[cfg(test)]
mod fuzz_tests;
pub mod key;
pub mod logging;
pub mod node;
pub mod replay;
pub mod tx;

/// A failure of a command: bad input (exit 2), a failure while running (exit 1), or a data
/// directory held by another process (exit 3).
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    #[error("{0}")]
    Usage(String),
    #[error("{0}")]
    Failed(String),
    #[error("{0}")]
    InUse(String),
}

impl CliError {
    pub fn exit_code(&self) -> u8 {
        match self {
            CliError::Usage(_) => 2,
            CliError::Failed(_) => 1,
            CliError::InUse(_) => 3,
        }
    }
}

/// Take the exclusive lock on a data directory (see `node::lock`), held until dropped.
pub fn lock_data_dir(dir: &std::path::Path) -> Result<::node::lock::DataDirLock, CliError> {
    use ::node::lock::{DataDirLock, LockError};
    DataDirLock::acquire(dir).map_err(|e| match e {
        LockError::InUse { .. } => CliError::InUse(e.to_string()),
        LockError::Io { .. } => CliError::Failed(e.to_string()),
    })
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

/// Input echoed in an error message, cut to a readable length: a 5 MB name must not come back
/// whole (see `ledger::ops::error::shown`).
pub fn cut(text: &str) -> std::borrow::Cow<'_, str> {
    ledger::ops::error::shown(text)
}

#[cfg(test)]
mod tests {
    #[test]
    fn cut_keeps_short_text_and_shortens_long_text_on_a_char_boundary() {
        assert_eq!(super::cut("nathan"), "nathan");
        let long = "é".repeat(5_000_000);
        let shown = super::cut(&long);
        assert!(shown.len() < 200, "{}", shown.len());
        assert!(shown.ends_with("... (10000000 bytes in all)"), "{shown}");
    }
}
