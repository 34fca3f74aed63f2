//! The host's secret key of keyed term-frequency tables (a leaf: preparation
//! and the model both read it).

use crate::error::{Error, Result};
use crate::hash;

/// A host's secret for the keyed-hash form of a model's frequency tables.
///
/// A trained model holds how often each normalized value of the training data
/// occurs (given names, surnames, cities). Keyed with a `FrequencyKey`, the
/// tables hold instead the keyed hash (SipHash-2-4, 128-bit key) of each value,
/// so a saved model or resolver snapshot holds no clear personal value; only
/// the key's holder can look a value up. The key itself is never serialized:
/// a saved model records only a check value ([`Model::frequency_key_check`](crate::model::Model::frequency_key_check)),
/// and loading a keyed model without its key is an [`Error::Model`](crate::Error::Model), never
/// silently different weights.
///
/// ```
/// use personlink::model::{FrequencyKey, TermFrequencies};
/// use personlink::Config;
///
/// let key = FrequencyKey::from_secret(b"a secret of at least 16 bytes, kept by the host")?;
/// let mut model = Config::person_default().model;
/// model.term_frequencies.push(TermFrequencies::new("surname", 2, [("kervadec", 1)]));
/// let keyed = model.with_frequency_key(key.clone())?;
/// let json = serde_json::to_string(&keyed).unwrap();
/// assert!(!json.contains("kervadec"));
///
/// let loaded: personlink::model::Model = serde_json::from_str(&json).unwrap();
/// let comparisons = Config::person_default().comparisons;
/// assert!(loaded.validate(&comparisons).is_err()); // keyed, and no key given
/// let loaded = loaded.with_frequency_key(key)?;
/// assert!(loaded.validate(&comparisons).is_ok());
/// # Ok::<(), personlink::Error>(())
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct FrequencyKey {
    k0: u64,
    k1: u64,
}

/// What [`FrequencyKey::check`] hashes: a fixed label, so the check value
/// identifies the key without being the hash of any value.
const KEY_CHECK_LABEL: &[u8] = b"personlink frequency key check";

/// The shortest secret [`FrequencyKey::from_secret`] accepts, in bytes.
pub const MIN_FREQUENCY_SECRET_LEN: usize = 16;

impl FrequencyKey {
    /// The key of 16 secret bytes (say, from the host's key store).
    pub fn new(bytes: [u8; 16]) -> Self {
        let mut k0 = [0u8; 8];
        let mut k1 = [0u8; 8];
        k0.copy_from_slice(&bytes[..8]);
        k1.copy_from_slice(&bytes[8..]);
        FrequencyKey { k0: u64::from_le_bytes(k0), k1: u64::from_le_bytes(k1) }
    }

    /// The key derived from a secret of any length, at least
    /// [`MIN_FREQUENCY_SECRET_LEN`] bytes (the contents of a key file): the
    /// same secret always gives the same key.
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] when the secret is shorter than 16 bytes.
    pub fn from_secret(secret: &[u8]) -> Result<Self> {
        if secret.len() < MIN_FREQUENCY_SECRET_LEN {
            return Err(Error::argument(
                "frequency key",
                format!(
                    "a secret of {} bytes is too short: at least {MIN_FREQUENCY_SECRET_LEN} are needed",
                    secret.len()
                ),
            ));
        }
        // Two fixed keys spread the secret over the 128 key bits.
        let k0 = hash::siphash24((0x7065_7273_6f6e_6c69, 0x6e6b_2d6b_6579_2d30), &[secret]);
        let k1 = hash::siphash24((0x7065_7273_6f6e_6c69, 0x6e6b_2d6b_6579_2d31), &[secret]);
        Ok(FrequencyKey { k0, k1 })
    }

    /// The keyed hash of `value` in `field`'s table, as a table entry (16
    /// lowercase hexadecimal digits). The field is hashed too, so one value
    /// has unrelated entries in two fields' tables.
    pub fn entry(&self, field: &str, value: &str) -> String {
        format!("{:016x}", self.hash(field, value))
    }

    /// The keyed hash of `value` in `field`'s table.
    pub(crate) fn hash(&self, field: &str, value: &str) -> u64 {
        hash::siphash24((self.k0, self.k1), &[field.as_bytes(), &[0], value.as_bytes()])
    }

    /// The key's check value: the keyed hash of a fixed label, which a keyed
    /// model records so that a wrong key is caught on load (it does not reveal the key).
    pub fn check(&self) -> String {
        format!("{:016x}", hash::siphash24((self.k0, self.k1), &[KEY_CHECK_LABEL]))
    }
}

/// Never shows the secret.
impl std::fmt::Debug for FrequencyKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "FrequencyKey {{ check: {} }}", self.check())
    }
}

/// The hash a keyed table's entry holds, when it is one (16 lowercase hexadecimal digits).
pub(crate) fn parse_keyed_entry(entry: &str) -> Option<u64> {
    let lower = entry.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
    (entry.len() == 16 && lower).then(|| u64::from_str_radix(entry, 16).ok()).flatten()
}
