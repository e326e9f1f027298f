//! OpenPGP keys and signatures made in the tests with rPGP: good keys, keys with a
//! signing subkey, expired, revoked and non-signing keys; detached signatures (armored
//! and binary, at a chosen time) and clearsigned text.

#![allow(dead_code)]

use std::time::{SystemTime, UNIX_EPOCH};

use pgp::composed::{
    ArmorOptions, CleartextSignedMessage, DetachedSignature, KeyType, SecretKeyParamsBuilder,
    SignedPublicKey, SignedSecretKey, SubkeyParamsBuilder, SubpacketConfig,
};
use pgp::crypto::hash::HashAlgorithm;
use pgp::packet::{
    KeyFlags, RevocationCode, SignatureConfig, SignatureType, Subpacket, SubpacketData,
};
use pgp::ser::Serialize;
use pgp::types::{Duration, KeyDetails, Password, Tag, Timestamp};

pub const DAY: u32 = 24 * 60 * 60;

pub fn now() -> u32 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs() as u32
}

/// A key made for a test, with its secret part to sign with.
#[derive(Clone)]
pub struct TestKey {
    pub secret: SignedSecretKey,
    pub public: SignedPublicKey,
    /// Sign with the signing subkey instead of the primary key.
    use_subkey: bool,
}

fn rng() -> rand::rngs::ThreadRng {
    rand::thread_rng()
}

impl TestKey {
    /// An Ed25519 key that may sign and certify, made a month ago.
    pub fn new(user: &str) -> TestKey {
        Self::generate(user, true, false, now() - 30 * DAY)
    }

    /// A key whose primary only certifies; a subkey (with its back-signature) signs.
    pub fn with_signing_subkey(user: &str) -> TestKey {
        let mut key = Self::generate(user, false, true, now() - 30 * DAY);
        key.use_subkey = true;
        key
    }

    /// A key whose flags do not allow signing data; its signatures are made anyway.
    pub fn not_for_signing(user: &str) -> TestKey {
        Self::generate(user, false, false, now() - 30 * DAY)
    }

    /// A key made 30 days ago that expired 20 days ago (valid for its first 10 days).
    pub fn expired(user: &str) -> TestKey {
        let created = now() - 30 * DAY;
        let mut key = Self::generate(user, true, false, created);
        key.recertify(created, Some(10 * DAY));
        key
    }

    /// A key its owner revoked a day ago, for this reason.
    pub fn revoked(user: &str, code: RevocationCode) -> TestKey {
        let mut key = Self::new(user);
        key.revoke(code);
        key
    }

    /// Adds a revocation made a day ago to the public key.
    pub fn revoke(&mut self, code: RevocationCode) {
        let key = self;
        let mut config = SignatureConfig::v4(
            SignatureType::KeyRevocation,
            key.secret.primary_key.algorithm(),
            HashAlgorithm::Sha256,
        );
        config.hashed_subpackets = vec![
            Subpacket::regular(SubpacketData::SignatureCreationTime(Timestamp::from_secs(
                now() - DAY,
            )))
            .unwrap(),
            Subpacket::regular(SubpacketData::IssuerFingerprint(
                key.secret.primary_key.fingerprint(),
            ))
            .unwrap(),
            Subpacket::regular(SubpacketData::RevocationReason(
                code,
                "the key was lost".into(),
            ))
            .unwrap(),
        ];
        let revocation = config
            .sign_key(
                &key.secret.primary_key,
                &Password::empty(),
                &key.public.primary_key,
            )
            .unwrap();
        key.public.details.revocation_signatures.push(revocation);
    }

    fn generate(user: &str, primary_signs: bool, subkey: bool, created: u32) -> TestKey {
        let mut params = SecretKeyParamsBuilder::default();
        params
            .key_type(KeyType::Ed25519Legacy)
            .can_certify(true)
            .can_sign(primary_signs)
            .created_at(Timestamp::from_secs(created))
            .primary_user_id(user.into());
        if subkey {
            params.subkey(
                SubkeyParamsBuilder::default()
                    .key_type(KeyType::Ed25519Legacy)
                    .can_sign(true)
                    .created_at(Timestamp::from_secs(created))
                    .build()
                    .unwrap(),
            );
        }
        let secret = params.build().unwrap().generate(rng()).unwrap();
        let public = secret.to_public_key();
        TestKey {
            secret,
            public,
            use_subkey: false,
        }
    }

    /// Replaces the user ID's self-signature by one made at `at`, with this lifetime.
    fn recertify(&mut self, at: u32, lifetime: Option<u32>) {
        let primary = &self.secret.primary_key;
        let mut flags = KeyFlags::default();
        flags.set_certify(true);
        flags.set_sign(true);
        let mut config = SignatureConfig::v4(
            SignatureType::CertPositive,
            primary.algorithm(),
            HashAlgorithm::Sha256,
        );
        config.hashed_subpackets = vec![
            Subpacket::regular(SubpacketData::SignatureCreationTime(Timestamp::from_secs(
                at,
            )))
            .unwrap(),
            Subpacket::regular(SubpacketData::IssuerFingerprint(primary.fingerprint())).unwrap(),
            Subpacket::regular(SubpacketData::KeyFlags(flags)).unwrap(),
            Subpacket::regular(SubpacketData::IsPrimary(true)).unwrap(),
        ];
        if let Some(lifetime) = lifetime {
            config.hashed_subpackets.push(
                Subpacket::regular(SubpacketData::KeyExpirationTime(Duration::from_secs(
                    lifetime,
                )))
                .unwrap(),
            );
        }
        let user = &mut self.public.details.users[0];
        let signature = config
            .sign_certification(
                primary,
                &self.public.primary_key,
                &Password::empty(),
                Tag::UserId,
                &user.id,
            )
            .unwrap();
        user.signatures = vec![signature];
    }

    /// The primary fingerprint, upper-case hex as Braid shows it.
    pub fn fingerprint(&self) -> String {
        hex(self.public.primary_key.fingerprint().as_bytes())
    }

    pub fn public_armored(&self) -> String {
        self.public
            .to_armored_string(ArmorOptions::default())
            .unwrap()
    }

    pub fn public_binary(&self) -> Vec<u8> {
        self.public.to_bytes().unwrap()
    }

    pub fn secret_armored(&self) -> String {
        self.secret
            .to_armored_string(ArmorOptions::default())
            .unwrap()
    }

    fn detached(&self, data: &[u8], at: u32) -> DetachedSignature {
        let issuer = |k: &dyn KeyDetails| SubpacketConfig::UserDefined {
            hashed: vec![
                Subpacket::regular(SubpacketData::IssuerFingerprint(k.fingerprint())).unwrap(),
                Subpacket::regular(SubpacketData::SignatureCreationTime(Timestamp::from_secs(
                    at,
                )))
                .unwrap(),
            ],
            unhashed: vec![
                Subpacket::regular(SubpacketData::IssuerKeyId(k.legacy_key_id())).unwrap(),
            ],
        };
        if self.use_subkey {
            let subkey = &self.secret.secret_subkeys[0].key;
            DetachedSignature::sign_binary_data_with_subpackets(
                rng(),
                subkey,
                &Password::empty(),
                HashAlgorithm::Sha256,
                data,
                issuer(subkey),
            )
            .unwrap()
        } else {
            let primary = &self.secret.primary_key;
            DetachedSignature::sign_binary_data_with_subpackets(
                rng(),
                primary,
                &Password::empty(),
                HashAlgorithm::Sha256,
                data,
                issuer(primary),
            )
            .unwrap()
        }
    }

    /// An armored detached signature over `data`, made now.
    pub fn sign(&self, data: &[u8]) -> Vec<u8> {
        self.sign_at(data, now())
    }

    /// An armored detached signature over `data`, made at `at` (unix seconds).
    pub fn sign_at(&self, data: &[u8], at: u32) -> Vec<u8> {
        self.detached(data, at)
            .to_armored_bytes(ArmorOptions::default())
            .unwrap()
    }

    /// A binary (`.sig`) detached signature over `data`.
    pub fn sign_binary(&self, data: &[u8]) -> Vec<u8> {
        self.detached(data, now()).to_bytes().unwrap()
    }

    /// `text` clearsigned (as `SHA256SUMS.asc` is).
    pub fn clearsign(&self, text: &str) -> String {
        CleartextSignedMessage::sign(rng(), text, &self.secret.primary_key, &Password::empty())
            .unwrap()
            .to_armored_string(ArmorOptions::default())
            .unwrap()
    }
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02X}")).collect()
}
