//! `config.toml`: the node's settings in a file, so a witness does not need a long command line.
//!
//! The file lives in the data directory (or wherever `--config FILE` says). On the first start
//! without `--config` it is written with every key commented out at its default, as a template.
//! Every key mirrors a `graphene node` flag of the same name; a flag given on the command line
//! wins over the file. Unknown keys are errors (a typo must not silently do nothing), and every
//! error names the file, the line and the key.
//!
//! Never: hold secrets it did not get from the user (the template has no keys), or guess.

use super::CliError;
use serde::Deserialize;
use std::path::{Path, PathBuf};

/// The file name inside the data directory.
pub const FILE_NAME: &str = "config.toml";

/// Settings read from a config file; `None` means "not set here".
#[derive(Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct NodeConfig {
    pub genesis: Option<PathBuf>,
    pub chain_id: Option<String>,
    #[serde(default)]
    pub witness_id: Vec<String>,
    #[serde(default)]
    pub private_key: Vec<String>,
    pub snapshot_every: Option<u32>,
    pub required_participation: Option<u32>,
    pub enable_stale_production: Option<bool>,
    pub prefix: Option<String>,
    /// Placeholders for the network layer: accepted and reported, not used yet.
    pub p2p_endpoint: Option<String>,
    pub rpc_endpoint: Option<String>,
}

/// The template written on first start: every key commented out at its default.
pub const TEMPLATE: &str = r#"# graphene node configuration. Every key mirrors the `graphene node` flag of the same name;
# a flag given on the command line wins over this file. Uncomment a line to set it.

# Genesis JSON file, read on the first start (later starts use the copy in the data dir).
# genesis = "genesis.json"

# Chain id override, 64 hex digits (default: sha256 of the genesis text).
# chain-id = ""

# Witnesses this node produces for, and their signing keys in WIF (each witness signs with the
# key matching its on-chain signing key). Keep this file private if it holds keys.
# witness-id = ["1.6.1"]
# private-key = ["5K..."]

# Write a snapshot every N blocks (0: only at clean shutdown).
# snapshot-every = 10000

# Required participation of the last 128 slots, percent (0 with --dev).
# required-participation = 33

# Produce even if the head is far behind the wall clock (on with --dev).
# enable-stale-production = false

# Prefix of printed public keys (TEST with --dev, BTS otherwise).
# prefix = "BTS"

# Network endpoints (placeholders: the p2p and API layers do not read them yet).
# p2p-endpoint = "0.0.0.0:1776"
# rpc-endpoint = "127.0.0.1:8090"
"#;

/// Parse config text; errors name `path`, the line and the key.
pub fn parse(text: &str, path: &Path) -> Result<NodeConfig, CliError> {
    toml::from_str(text).map_err(|e| {
        let (line, key) = match e.span() {
            Some(span) => {
                let line = text[..span.start.min(text.len())].matches('\n').count() + 1;
                let key = text.lines().nth(line - 1).and_then(|l| l.split_once('=')).map(|(k, _)| k.trim().to_string());
                (Some(line), key)
            }
            None => (None, None),
        };
        let at = match (line, key) {
            (Some(l), Some(k)) => format!(" line {l}, key `{k}`"),
            (Some(l), None) => format!(" line {l}"),
            _ => String::new(),
        };
        CliError::Usage(format!("{}{at}: {}", path.display(), e.message()))
    })
}

/// Load the config: `explicit` if given (must exist), else `data_dir/config.toml`, which is
/// created from [`TEMPLATE`] when absent.
pub fn load(explicit: Option<&Path>, data_dir: &Path) -> Result<NodeConfig, CliError> {
    let path = match explicit {
        Some(p) => p.to_path_buf(),
        None => {
            let p = data_dir.join(FILE_NAME);
            if !p.exists() {
                write_private(&p, TEMPLATE)
                    .map_err(|e| CliError::Failed(format!("cannot write {}: {e}", p.display())))?;
            }
            p
        }
    };
    let text = std::fs::read_to_string(&path)
        .map_err(|e| CliError::Usage(format!("cannot read config {}: {e}", path.display())))?;
    parse(&text, &path)
}

/// Create `path` readable and writable by its owner only (mode 0600 on Unix): the operator is
/// told to put signing keys in this file, so it must not start out world-readable.
fn write_private(path: &Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(path)?;
    file.write_all(text.as_bytes())?;
    file.sync_all()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_template_parses_to_all_defaults() {
        assert_eq!(parse(TEMPLATE, Path::new("config.toml")).unwrap(), NodeConfig::default());
    }

    #[test]
    fn keys_parse_with_flag_names() {
        let text = "witness-id = [\"1.6.3\"]\nsnapshot-every = 50\nenable-stale-production = true\n";
        let c = parse(text, Path::new("c.toml")).unwrap();
        assert_eq!(c.witness_id, vec!["1.6.3".to_string()]);
        assert_eq!((c.snapshot_every, c.enable_stale_production), (Some(50), Some(true)));
    }

    #[test]
    fn a_malformed_value_names_the_file_line_and_key() {
        let text = "# comment\nsnapshot-every = 10\nrequired-participation = \"lots\"\n";
        let err = parse(text, Path::new("/d/config.toml")).unwrap_err().to_string();
        assert!(err.starts_with("/d/config.toml line 3, key `required-participation`: "), "{err}");
        assert!(err.contains("expected u32"), "{err}");
    }

    #[test]
    fn an_unknown_key_is_an_error_naming_it() {
        let err = parse("\nsnapshot-evry = 5\n", Path::new("c.toml")).unwrap_err().to_string();
        assert!(err.starts_with("c.toml line 2, key `snapshot-evry`: unknown field"), "{err}");
    }
}
