//! Private keys, signing and public-key recovery (PROTOCOL.md §2.2, CLIENTS.md §3.6, §4).
//!
//! Owns: the hash helpers the protocol names (sha256, sha512, ripemd160); [`PrivateKey`] with its
//! WIF text and the client derivations (seed, account + role + password, brain key);
//! [`sign_compact`], which produces fc-canonical compact signatures deterministically; and
//! [`recover`], which turns a signature and a digest back into the signer's [`PublicKey`] under
//! exactly fc's rules (header in `[27, 35)`, canonical, `recid = (header − 27) & 3`); and the five
//! address derivations of a key that `address_auths` match against ([`key_addresses`]).
//!
//! Invariants: signing is RFC 6979 with an extra-entropy counter (1, 2, … little-endian in the
//! first four of 32 bytes, as python-bitshares' libsecp256k1 backend passes it) until the result is
//! canonical, so the same key and digest always give the same signature. Recovery is the node's
//! dominant CPU cost: it allocates nothing and uses the precomputed global context.
//!
//! Never: use randomness outside [`PrivateKey::generate`] (which takes the rng from the caller and
//! exists for the CLI only); panic on bad input (bad text, bad points, bad signatures return errors).

use crate::keys::{Address, KeyError, PublicKey, Signature};
use secp256k1::ecdsa::{RecoverableSignature, RecoveryId};
use secp256k1::{Message, SecretKey, SECP256K1};
use sha2::{Digest, Sha256, Sha512};
use std::fmt;

/// SHA-256 of `data`.
pub fn sha256(data: &[u8]) -> [u8; 32] {
    Sha256::digest(data).into()
}

/// SHA-512 of `data`.
pub fn sha512(data: &[u8]) -> [u8; 64] {
    Sha512::digest(data).into()
}

/// RIPEMD-160 of `data`.
pub fn ripemd160(data: &[u8]) -> [u8; 20] {
    crate::keys::ripemd160(data)
}

/// Version byte of a WIF private key (Bitcoin mainnet, uncompressed style).
const WIF_VERSION: u8 = 0x80;

/// A secp256k1 secret scalar in `[1, n)`.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct PrivateKey(SecretKey);

impl fmt::Debug for PrivateKey {
    /// Never prints the secret: only the public key it belongs to.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PrivateKey({})", self.public_key())
    }
}

impl PrivateKey {
    /// The scalar from its 32 big-endian bytes; zero and values `>= n` are not keys.
    pub fn from_bytes(bytes: [u8; 32]) -> Result<Self, KeyError> {
        SecretKey::from_slice(&bytes).map(PrivateKey).map_err(|_| {
            KeyError::BadCurvePoint(format!("secret scalar {} is zero or not below n", hex::encode(bytes)))
        })
    }

    /// The 32 big-endian bytes of the scalar.
    pub fn to_bytes(&self) -> [u8; 32] {
        self.0.secret_bytes()
    }

    /// Parse `base58(0x80 ‖ key ‖ sha256(sha256(0x80 ‖ key))[0..4])` (CLIENTS.md §4.3).
    pub fn from_wif(wif: &str) -> Result<Self, KeyError> {
        let bad = || KeyError::BadWif(wif.to_string());
        let raw = bs58::decode(wif).into_vec().map_err(|_| bad())?;
        if raw.len() != 37 || raw[0] != WIF_VERSION {
            return Err(bad());
        }
        let (body, check) = raw.split_at(33);
        if sha256(&sha256(body))[..4] != *check {
            return Err(bad());
        }
        let mut secret = [0u8; 32];
        secret.copy_from_slice(&body[1..]);
        Self::from_bytes(secret).map_err(|_| bad())
    }

    /// The WIF text (always starts with `5`).
    pub fn to_wif(&self) -> String {
        let mut raw = [0u8; 37];
        raw[0] = WIF_VERSION;
        raw[1..33].copy_from_slice(&self.to_bytes());
        let check = sha256(&sha256(&raw[..33]));
        raw[33..].copy_from_slice(&check[..4]);
        bs58::encode(raw).into_string()
    }

    /// `sha256(seed)` as a key (bitsharesjs `PrivateKey.fromSeed`).
    pub fn from_seed(seed: &[u8]) -> Result<Self, KeyError> {
        Self::from_bytes(sha256(seed))
    }

    /// The "cloud wallet" key: `sha256(account ‖ role ‖ password)`, no separators
    /// (CLIENTS.md §4.4; python `PasswordKey`).
    pub fn from_password(account: &str, role: &str, password: &str) -> Result<Self, KeyError> {
        let mut seed = Vec::with_capacity(account.len() + role.len() + password.len());
        seed.extend_from_slice(account.as_bytes());
        seed.extend_from_slice(role.as_bytes());
        seed.extend_from_slice(password.as_bytes());
        Self::from_seed(&seed)
    }

    /// A brain key: `sha256(sha512(normalized ‖ " " ‖ sequence))`, where normalizing collapses
    /// whitespace runs to one space and trims the ends (python `BrainKey`).
    pub fn from_brain_key(words: &str, sequence: u32) -> Result<Self, KeyError> {
        let normalized = words.split_whitespace().collect::<Vec<_>>().join(" ");
        let text = format!("{normalized} {sequence}");
        Self::from_bytes(sha256(&sha512(text.as_bytes())))
    }

    /// A fresh random key. Only the CLI calls this; the deterministic core never does.
    pub fn generate<R: secp256k1::rand::Rng + ?Sized>(rng: &mut R) -> Self {
        PrivateKey(SecretKey::new(rng))
    }

    /// The compressed public key.
    pub fn public_key(&self) -> PublicKey {
        PublicKey(secp256k1::PublicKey::from_secret_key_global(&self.0).serialize())
    }
}

/// Why a signature yields no public key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum SigError {
    #[error("signature header byte {header} is outside [27, 35)")]
    BadHeader { header: u8 },
    #[error("signature {sig:?} is not canonical: r and s must each encode in exactly 32 DER bytes")]
    NonCanonical { sig: Signature },
    #[error("signature {sig:?} has r or s outside the curve order")]
    Malformed { sig: Signature },
    #[error("no public key recovers from signature {sig:?} over this digest")]
    Unrecoverable { sig: Signature },
}

/// fc's canonical test: r and s each have the top bit clear and start with a zero byte only when
/// the next byte's top bit is set (`fc/src/crypto/elliptic_common.cpp:169-174`).
pub fn is_canonical(sig: &Signature) -> bool {
    let c = &sig.0;
    c[1] & 0x80 == 0 && !(c[1] == 0 && c[2] & 0x80 == 0) && c[33] & 0x80 == 0 && !(c[33] == 0 && c[34] & 0x80 == 0)
}

/// Sign a 32-byte digest: RFC 6979 nonces with an extra-entropy counter 1, 2, … until the
/// signature is canonical; header `27 + 4 + recid` (the `+4` marks a compressed key).
pub fn sign_compact(key: &PrivateKey, digest: &[u8; 32]) -> Signature {
    let msg = Message::from_digest(*digest);
    let mut counter: u32 = 0;
    loop {
        // Wrapping keeps this total; 2^32 non-canonical attempts in a row cannot happen (each
        // attempt is canonical with probability about 1/2).
        counter = counter.wrapping_add(1);
        let mut ndata = [0u8; 32];
        ndata[..4].copy_from_slice(&counter.to_le_bytes());
        let (recid, rs) = SECP256K1.sign_ecdsa_recoverable_with_noncedata(&msg, &key.0, &ndata).serialize_compact();
        let mut out = [0u8; 65];
        // recid is 0..=3 by libsecp256k1's contract, so the header stays in [31, 35).
        out[0] = 27 + 4 + recid.to_i32() as u8;
        out[1..].copy_from_slice(&rs);
        let sig = Signature(out);
        if is_canonical(&sig) {
            return sig;
        }
    }
}

/// Recover the compressed public key that made `sig` over `digest`, enforcing fc's header range
/// and canonical rule. Allocation-free.
pub fn recover(sig: &Signature, digest: &[u8; 32]) -> Result<PublicKey, SigError> {
    let header = sig.0[0];
    if !(27..35).contains(&header) {
        return Err(SigError::BadHeader { header });
    }
    if !is_canonical(sig) {
        return Err(SigError::NonCanonical { sig: *sig });
    }
    let recid = RecoveryId::from_i32(i32::from((header - 27) & 3)).map_err(|_| SigError::BadHeader { header })?;
    let rsig = RecoverableSignature::from_compact(&sig.0[1..], recid).map_err(|_| SigError::Malformed { sig: *sig })?;
    let key = SECP256K1
        .recover_ecdsa(&Message::from_digest(*digest), &rsig)
        .map_err(|_| SigError::Unrecoverable { sig: *sig })?;
    Ok(PublicKey(key.serialize()))
}

/// The 65-byte uncompressed form `04 ‖ x ‖ y` of a compressed key.
pub fn uncompressed(key: &PublicKey) -> Result<[u8; 65], KeyError> {
    secp256k1::PublicKey::from_slice(&key.0)
        .map(|k| k.serialize_uncompressed())
        .map_err(|_| KeyError::BadCurvePoint(hex::encode(key.0)))
}

/// A PTS (Bitcoin-style) address of `serialized_key`: `version ‖ ripemd160(sha256(key)) ‖
/// sha256(sha256(first 21 bytes))[0..4]` (`graphene/protocol/pts_address.cpp`).
pub fn pts_address(serialized_key: &[u8], version: u8) -> [u8; 25] {
    let mut out = [0u8; 25];
    out[0] = version;
    out[1..21].copy_from_slice(&ripemd160(&sha256(serialized_key)));
    let check = sha256(&sha256(&out[..21]));
    out[21..].copy_from_slice(&check[..4]);
    out
}

/// The five addresses under which a signing key satisfies an `address_auths` entry, in
/// bitshares-core's order: PTS uncompressed v56, PTS compressed v56, PTS uncompressed v0, PTS
/// compressed v0 (each as `ripemd160` of the 25 PTS bytes), then the graphene address
/// (`transaction.cpp` `sign_state::signed_by(address)`). Fails only for a key that is not a curve
/// point, which a recovered key never is.
pub fn key_addresses(key: &PublicKey) -> Result<[Address; 5], KeyError> {
    let full = uncompressed(key)?;
    let pts = |data: &[u8], version: u8| Address(ripemd160(&pts_address(data, version)));
    Ok([pts(&full, 56), pts(&key.0, 56), pts(&full, 0), pts(&key.0, 0), key.address()])
}

/// Address text with an explicit prefix: `PREFIX ‖ base58(addr ‖ ripemd160(addr)[0..4])`
/// (CLIENTS.md §4.2); `Display` uses the default prefix `BTS` instead.
pub fn address_text(address: &Address, prefix: &str) -> String {
    let mut body = [0u8; 24];
    body[..20].copy_from_slice(&address.0);
    body[20..].copy_from_slice(&ripemd160(&address.0)[..4]);
    format!("{prefix}{}", bs58::encode(body).into_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nathan() -> PrivateKey {
        PrivateKey::from_password("nathan", "active", "pw").unwrap()
    }

    #[test]
    fn password_key_matches_the_clients_vector() {
        let k = nathan();
        assert_eq!(k.to_wif(), "5JYPZs3F81Hqp4t5ZL3WqZeGP37ZW6cGCkFJU2d2PxfVJwGgN1M");
        assert_eq!(
            k.public_key().to_string_with_prefix("TEST"),
            "TEST77d5pP2iPbb3GDNTmL9H7jeHrUsEAyqdLvLpBwpkv175dWmMFd"
        );
        assert_eq!(k, PrivateKey::from_seed(b"nathanactivepw").unwrap());
    }

    #[test]
    fn brain_key_matches_python_and_normalizes_whitespace() {
        let k = PrivateKey::from_brain_key("FOO BAR BAZ", 0).unwrap();
        assert_eq!(k.to_wif(), "5JEAQsBLFDY5mu8Jy1qTvfX7cBpQ4NKC28AFHd3uG31Sffpx7ip");
        assert_eq!(PrivateKey::from_brain_key("  FOO \t BAR\nBAZ ", 0).unwrap(), k);
        assert_ne!(PrivateKey::from_brain_key("FOO BAR BAZ", 1).unwrap(), k);
    }

    #[test]
    fn wif_round_trips_and_rejects_bad_checksum_and_version() {
        let wif = "5JYPZs3F81Hqp4t5ZL3WqZeGP37ZW6cGCkFJU2d2PxfVJwGgN1M";
        let k = PrivateKey::from_wif(wif).unwrap();
        assert_eq!(k, nathan());
        assert_eq!(k.to_wif(), wif);
        // Last character changed: checksum mismatch.
        let bad = "5JYPZs3F81Hqp4t5ZL3WqZeGP37ZW6cGCkFJU2d2PxfVJwGgN1N";
        assert_eq!(PrivateKey::from_wif(bad), Err(KeyError::BadWif(bad.to_string())));
        // Same key with version 0xef (testnet) and a valid checksum.
        let mut raw = vec![0xefu8];
        raw.extend_from_slice(&k.to_bytes());
        let check = sha256(&sha256(&raw));
        raw.extend_from_slice(&check[..4]);
        let other = bs58::encode(raw).into_string();
        assert_eq!(PrivateKey::from_wif(&other), Err(KeyError::BadWif(other.clone())));
        assert!(PrivateKey::from_wif("not base58 0OIl").is_err());
        assert!(PrivateKey::from_wif("").is_err());
    }

    #[test]
    fn zero_scalar_is_not_a_key() {
        assert!(PrivateKey::from_bytes([0; 32]).is_err());
        assert!(PrivateKey::from_bytes([0xff; 32]).is_err());
    }

    #[test]
    fn sign_then_recover_gives_the_signer_and_is_deterministic() {
        let k = nathan();
        for i in 0u8..32 {
            let digest = sha256(&[i]);
            let sig = sign_compact(&k, &digest);
            assert!(is_canonical(&sig));
            assert!(sig.0[0] == 31 || sig.0[0] == 32, "header {}", sig.0[0]);
            assert_eq!(sign_compact(&k, &digest), sig);
            assert_eq!(recover(&sig, &digest), Ok(k.public_key()));
            // Another digest recovers some other key (or none).
            assert_ne!(recover(&sig, &sha256(&[i, 1])), Ok(k.public_key()));
        }
    }

    #[test]
    fn signature_over_a_fixed_digest_is_pinned() {
        // A regression pin of the nonce schedule (counter 1, 2, … little-endian as extra entropy):
        // the same key and digest must keep producing exactly these bytes.
        let sig = sign_compact(&nathan(), &sha256(b"graphene"));
        assert_eq!(hex::encode(sig.0), "200421cf073638e36de1fe5bd2ddad8db78e7fdeb8c46d3cd82570b379c75aa95466b86b289db9ae3613a7dfa22131d3e1a0fc9d773a75e5d339e2130e68e68149");
    }

    #[test]
    fn recover_enforces_header_range_and_canonical_form() {
        let k = nathan();
        let digest = sha256(b"x");
        let sig = sign_compact(&k, &digest);

        let mut low = sig;
        low.0[0] = 26;
        assert_eq!(recover(&low, &digest), Err(SigError::BadHeader { header: 26 }));
        let mut high = sig;
        high.0[0] = 35;
        assert_eq!(recover(&high, &digest), Err(SigError::BadHeader { header: 35 }));

        // Header 27 + recid (uncompressed flag off) recovers the same key: only `& 3` matters.
        let mut plain = sig;
        plain.0[0] = sig.0[0] - 4;
        assert_eq!(recover(&plain, &digest), Ok(k.public_key()));

        let mut top_r = sig;
        top_r.0[1] |= 0x80;
        assert_eq!(recover(&top_r, &digest), Err(SigError::NonCanonical { sig: top_r }));
        let mut zero_r = sig;
        zero_r.0[1] = 0;
        zero_r.0[2] &= 0x7f;
        assert_eq!(recover(&zero_r, &digest), Err(SigError::NonCanonical { sig: zero_r }));
        let mut top_s = sig;
        top_s.0[33] |= 0x80;
        assert_eq!(recover(&top_s, &digest), Err(SigError::NonCanonical { sig: top_s }));
        let mut zero_s = sig;
        zero_s.0[33] = 0;
        zero_s.0[34] &= 0x7f;
        assert_eq!(recover(&zero_s, &digest), Err(SigError::NonCanonical { sig: zero_s }));

        // r = 0 is canonical by the byte rule only if byte 2 has its top bit set; r = 0 x 32 is
        // rejected as non-canonical before reaching the curve.
        let mut zeros = sig;
        zeros.0[1..33].fill(0);
        assert!(recover(&zeros, &digest).is_err());
    }

    #[test]
    fn canonical_rule_matches_fc_byte_for_byte() {
        let mut s = Signature([0x11; 65]);
        assert!(is_canonical(&s));
        s.0[1] = 0x00;
        s.0[2] = 0x80;
        assert!(is_canonical(&s), "leading zero allowed when the next byte has its top bit set");
        s.0[2] = 0x7f;
        assert!(!is_canonical(&s));
        s.0[1] = 0x7f;
        s.0[33] = 0x80;
        assert!(!is_canonical(&s));
        s.0[33] = 0x00;
        s.0[34] = 0x80;
        assert!(is_canonical(&s));
    }

    #[test]
    fn uncompressed_and_pts_addresses() {
        let k = nathan().public_key();
        let full = uncompressed(&k).unwrap();
        assert_eq!(full[0], 4);
        assert_eq!(full[1..33], k.0[1..]);
        assert_eq!(full[64] & 1, k.0[0] & 1, "parity of y matches the compressed prefix");
        let pts = pts_address(&k.0, 56);
        assert_eq!(pts[0], 56);
        assert_eq!(pts[1..21], ripemd160(&sha256(&k.0)));
        assert_eq!(pts[21..], sha256(&sha256(&pts[..21]))[..4]);
        let addrs = key_addresses(&k).unwrap();
        assert_eq!(addrs[4], k.address());
        let mut distinct = addrs.to_vec();
        distinct.sort();
        distinct.dedup();
        assert_eq!(distinct.len(), 5);
        assert!(key_addresses(&PublicKey::default()).is_err());
    }

    #[test]
    fn addresses_match_python_graphenelib_vectors() {
        // Vector from python-graphenelib's address tests (prefix STM; parsing accepts any prefix).
        let secret = hex::decode("20991828d456b389d0768ed7fb69bf26b9bb87208dd699ef49f10481c20d3e18").unwrap();
        let k = PrivateKey::from_bytes(secret.try_into().unwrap()).unwrap();
        assert_eq!(k.to_wif(), "5J4eFhjREJA7hKG6KcvHofHMXyGQZCDpQE463PAaKo9xXY6UDPq");
        let public = k.public_key();
        assert_eq!(public.to_string_with_prefix("STM"), "STM7jDPoMwyjVH5obFmqzFNp4Ffp7G2nvC7FKFkrMBpo7Sy4uq5Mj");
        let addr = |text: &str| text.parse::<Address>().unwrap();
        let expected = [
            addr("STMEgj7RM6FBwSoccGaESJLC3Mi18785bM3T"), // PTS uncompressed, version 56
            addr("STMD5rYtofD6D4UHJH6mo953P5wpBfMhdMEi"), // PTS compressed, version 56
            addr("STMLAFmEtM8as1mbmjVcj5dphLdPguXquimn"), // BTC uncompressed, version 0
            addr("STMANNTSEaUviJgWLzJBersPmyFZBY4jJETY"), // BTC compressed, version 0
            addr("STM8DvGQqzbgCR5FHiNsFf8kotEXr8VKD3mR"), // graphene address
        ];
        assert_eq!(key_addresses(&public).unwrap(), expected);
        assert_eq!(address_text(&public.address(), "STM"), "STM8DvGQqzbgCR5FHiNsFf8kotEXr8VKD3mR");
    }

    #[test]
    fn generate_gives_a_usable_key() {
        use secp256k1::rand::SeedableRng;
        let mut rng = secp256k1::rand::rngs::StdRng::seed_from_u64(7);
        let a = PrivateKey::generate(&mut rng);
        let b = PrivateKey::generate(&mut rng);
        assert_ne!(a, b);
        assert_eq!(PrivateKey::from_wif(&a.to_wif()).unwrap(), a);
    }
}
