//! The development chain's witness keys: every dev witness signs with the active key of its
//! account, `PrivateKey::from_password(name, "active", "dev")` (see `ledger::genesis`). For tests
//! and for a dev node that runs all witnesses; never for a real network.

use engine::Chain;
use ledger::crypto::PrivateKey;
use ledger::ids::WitnessId;

/// The keys of every witness whose signing key follows the dev password rule, in id order.
pub fn dev_witness_keys(chain: &Chain) -> Vec<(WitnessId, PrivateKey)> {
    chain
        .state
        .witnesses
        .iter()
        .filter_map(|(i, w)| {
            let name = &chain.state.account(w.witness_account)?.name;
            let key = PrivateKey::from_password(name, "active", "dev").ok()?;
            (key.public_key() == w.signing_key).then_some((WitnessId(i), key))
        })
        .collect()
}
