//! Stable hashes: the same bytes hash to the same value on every machine and
//! in every run, so keys, token ids and generated data never depend on a
//! random seed.
//!
//! Everything here is FNV-1a (32 or 64 bits), optionally followed by an
//! avalanche step when the low bits of the hash are used on their own.

const FNV32_OFFSET: u32 = 0x811c_9dc5;
const FNV32_PRIME: u32 = 0x0100_0193;
const FNV64_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV64_PRIME: u64 = 0x0000_0100_0000_01b3;

/// A running 64-bit FNV-1a hash, fed piece by piece.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Fnv64(u64);

impl Fnv64 {
    /// The hash of nothing yet.
    pub(crate) fn new() -> Self {
        Fnv64(FNV64_OFFSET)
    }

    /// Feeds `bytes`.
    #[inline]
    pub(crate) fn write(mut self, bytes: &[u8]) -> Self {
        for &b in bytes {
            self.0 ^= u64::from(b);
            self.0 = self.0.wrapping_mul(FNV64_PRIME);
        }
        self
    }

    /// The hash of everything fed so far.
    pub(crate) fn finish(self) -> u64 {
        self.0
    }
}

/// The 64-bit FNV-1a hash of `bytes`.
pub(crate) fn fnv64(bytes: &[u8]) -> u64 {
    Fnv64::new().write(bytes).finish()
}

/// The 32-bit FNV-1a hash of `s` (token ids).
pub(crate) fn fnv32(s: &str) -> u32 {
    let mut h = FNV32_OFFSET;
    for b in s.bytes() {
        h ^= u32::from(b);
        h = h.wrapping_mul(FNV32_PRIME);
    }
    h
}

/// A 64-bit hash of `bytes` whose every bit depends on every input bit
/// (FNV-1a, then an avalanche), never 0: blocking keys and constraint values,
/// where 0 means "no key".
pub(crate) fn hash64(bytes: &[u8]) -> u64 {
    let mut h = fnv64(bytes);
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    h | 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_are_the_published_fnv_values() {
        // Reference values of FNV-1a (draft-eastlake-fnv).
        assert_eq!(fnv32(""), 0x811c_9dc5);
        assert_eq!(fnv32("a"), 0xe40c_292c);
        assert_eq!(fnv64(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv64(b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(Fnv64::new().write(b"fo").write(b"obar").finish(), fnv64(b"foobar"));
    }

    #[test]
    fn hash64_is_stable_and_never_zero() {
        assert_ne!(hash64(b""), 0);
        assert_eq!(hash64(b"martin"), hash64(b"martin"));
        assert_ne!(hash64(b"martin"), hash64(b"martine"));
        assert_eq!(hash64(b"martin") & 1, 1);
    }
}
