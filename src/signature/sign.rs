//! Signing what Braid publishes (`braid create --sign KEYFILE`): one detached, armored
//! OpenPGP signature per file, made by the key's primary key when it may sign data,
//! else by its first signing subkey — what a `<signature>` in the metalink carries.

use std::io::{BufReader, Cursor, Read};
use std::path::{Path, PathBuf};

use pgp::composed::{
    ArmorOptions, Deserializable, DetachedSignature, SignedPublicKey, SignedSecretKey,
    SubpacketConfig,
};
use pgp::crypto::hash::HashAlgorithm;
use pgp::packet::{Subpacket, SubpacketData};
use pgp::types::{KeyDetails, Password, SecretParams, Timestamp};

use super::store::read_key_file;
use super::validity;

/// A secret key read for signing.
pub struct SigningKey {
    path: PathBuf,
    secret: SignedSecretKey,
    public: SignedPublicKey,
    password: Password,
    /// Which secret subkey signs; `None` for the primary key.
    subkey: Option<usize>,
}

#[derive(Debug, thiserror::Error)]
pub enum SignError {
    #[error(transparent)]
    Read(#[from] super::ImportError),
    #[error("{}: not an OpenPGP secret key ({why})", path.display())]
    NotASecretKey { path: PathBuf, why: String },
    #[error("{}: neither the key nor any of its subkeys may sign data", path.display())]
    CannotSign { path: PathBuf },
    #[error(
        "{}: the key is protected by a passphrase, and none or the wrong one was given (set BRAID_SIGN_PASSPHRASE)",
        path.display()
    )]
    Locked { path: PathBuf },
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{}: the signature could not be made ({why})", path.display())]
    Failed { path: PathBuf, why: String },
}

impl SigningKey {
    /// Reads the secret key in `path` (armored or binary), to be unlocked with
    /// `passphrase` if it is protected.
    pub fn read(path: &Path, passphrase: Option<String>) -> Result<SigningKey, SignError> {
        let bytes = read_key_file(path)?;
        let not_secret = |e: pgp::errors::Error| SignError::NotASecretKey {
            path: path.to_path_buf(),
            why: e.to_string(),
        };
        let armored = bytes
            .iter()
            .skip_while(|b| b.is_ascii_whitespace())
            .take(5)
            .eq(b"-----");
        let secret = if armored {
            SignedSecretKey::from_armor_single(Cursor::new(&bytes))
                .map(|(key, _)| key)
                .map_err(not_secret)?
        } else {
            SignedSecretKey::from_bytes(Cursor::new(&bytes)).map_err(not_secret)?
        };
        let public = secret.to_public_key();
        let primary_signs = validity::primary(&public).is_some_and(|v| v.can_sign);
        let subkey = if primary_signs {
            None
        } else {
            let signing = public.public_subkeys.iter().position(|sub| {
                validity::subkey(&public, sub).is_some_and(|v| v.can_sign && v.revoked.is_none())
            });
            let Some(index) = signing else {
                return Err(SignError::CannotSign {
                    path: path.to_path_buf(),
                });
            };
            // The secret subkeys are in the order of the public ones.
            let fingerprint = public.public_subkeys[index].key.fingerprint();
            let secret_index = secret
                .secret_subkeys
                .iter()
                .position(|s| s.key.fingerprint() == fingerprint)
                .ok_or_else(|| SignError::CannotSign {
                    path: path.to_path_buf(),
                })?;
            Some(secret_index)
        };
        Ok(SigningKey {
            path: path.to_path_buf(),
            secret,
            public,
            password: passphrase.map_or_else(Password::empty, Password::from),
            subkey,
        })
    }

    /// The primary key's fingerprint, upper-case hex.
    pub fn fingerprint(&self) -> String {
        validity::fingerprint(&self.public.primary_key)
    }

    /// "NAME <email>", if the key names one.
    pub fn user(&self) -> Option<String> {
        validity::user_ids(&self.public).into_iter().next()
    }

    /// An armored detached signature over the file at `file`.
    pub fn sign(&self, file: &Path) -> Result<String, SignError> {
        let data = BufReader::with_capacity(
            1 << 20,
            std::fs::File::open(file).map_err(|source| SignError::Io {
                path: file.to_path_buf(),
                source,
            })?,
        );
        match self.subkey {
            None => {
                let key = &self.secret.primary_key;
                self.sign_with(key, key.secret_params(), file, data)
            }
            Some(index) => {
                let key = &self.secret.secret_subkeys[index].key;
                self.sign_with(key, key.secret_params(), file, data)
            }
        }
    }

    /// Signs `data` (the contents of `file`) with `key`, the primary key or a subkey: rPGP
    /// gives them different types, but both are its `SigningKey`; `params` are that key's
    /// secret parameters, which say whether a failure means a missing or wrong passphrase.
    fn sign_with(
        &self,
        key: &impl pgp::types::SigningKey,
        params: &SecretParams,
        file: &Path,
        data: impl Read,
    ) -> Result<String, SignError> {
        let config = SubpacketConfig::UserDefined {
            hashed: vec![
                Subpacket::regular(SubpacketData::IssuerFingerprint(key.fingerprint()))
                    .expect("a small subpacket"),
                Subpacket::regular(SubpacketData::SignatureCreationTime(Timestamp::now()))
                    .expect("a small subpacket"),
            ],
            unhashed: vec![
                Subpacket::regular(SubpacketData::IssuerKeyId(key.legacy_key_id()))
                    .expect("a small subpacket"),
            ],
        };
        let failed = |why: String| SignError::Failed {
            path: file.to_path_buf(),
            why,
        };
        DetachedSignature::sign_binary_data_with_subpackets(
            rand::thread_rng(),
            key,
            &self.password,
            HashAlgorithm::Sha256,
            data,
            config,
        )
        .map_err(|e| match params.is_encrypted() {
            true => SignError::Locked {
                path: self.path.clone(),
            },
            false => failed(e.to_string()),
        })?
        .to_armored_string(ArmorOptions::default())
        .map_err(|e| failed(e.to_string()))
    }
}
