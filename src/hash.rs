//! Stable hashes: the same bytes hash to the same value on every machine and
//! in every run, so keys, token ids and generated data never depend on a
//! random seed.
//!
//! Everything here is FNV-1a (32 or 64 bits), optionally followed by an
//! avalanche step when the low bits of the hash are used on their own, except
//! [`siphash24`], a keyed hash (SipHash-2-4): without its 128-bit key, its
//! output says nothing about its input, so value frequency tables keyed with a
//! host's secret hold no clear personal value.

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

/// One SipHash round over the state `v`.
#[inline]
fn sip_round(v: &mut [u64; 4]) {
    v[0] = v[0].wrapping_add(v[1]);
    v[1] = v[1].rotate_left(13) ^ v[0];
    v[0] = v[0].rotate_left(32);
    v[2] = v[2].wrapping_add(v[3]);
    v[3] = v[3].rotate_left(16) ^ v[2];
    v[0] = v[0].wrapping_add(v[3]);
    v[3] = v[3].rotate_left(21) ^ v[0];
    v[2] = v[2].wrapping_add(v[1]);
    v[1] = v[1].rotate_left(17) ^ v[2];
    v[2] = v[2].rotate_left(32);
}

/// SipHash-2-4 of the concatenation of `parts` under the 128-bit key
/// `(k0, k1)` (the reference algorithm of Aumasson and Bernstein; the key's
/// first 8 bytes, little-endian, are `k0`). Feeding the message in parts
/// spares the caller a buffer: `siphash24(k, &[a, b])` equals the hash of
/// `a` followed by `b`.
pub(crate) fn siphash24((k0, k1): (u64, u64), parts: &[&[u8]]) -> u64 {
    let mut v = [
        k0 ^ 0x736f_6d65_7073_6575,
        k1 ^ 0x646f_7261_6e64_6f6d,
        k0 ^ 0x6c79_6765_6e65_7261,
        k1 ^ 0x7465_6462_7974_6573,
    ];
    let mut len = 0usize;
    let (mut word, mut filled) = (0u64, 0u32);
    for &b in parts.iter().flat_map(|p| p.iter()) {
        word |= u64::from(b) << (8 * filled);
        filled += 1;
        len = len.wrapping_add(1);
        if filled == 8 {
            v[3] ^= word;
            sip_round(&mut v);
            sip_round(&mut v);
            v[0] ^= word;
            (word, filled) = (0, 0);
        }
    }
    let last = word | ((len as u64 & 0xff) << 56);
    v[3] ^= last;
    sip_round(&mut v);
    sip_round(&mut v);
    v[0] ^= last;
    v[2] ^= 0xff;
    for _ in 0..4 {
        sip_round(&mut v);
    }
    v[0] ^ v[1] ^ v[2] ^ v[3]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn siphash_is_the_reference_function() {
        // The reference vectors of SipHash-2-4 (key 00 01 .. 0f, message 00 01 .. len-1).
        let key = (0x0706_0504_0302_0100, 0x0f0e_0d0c_0b0a_0908);
        let message: Vec<u8> = (0u8..64).collect();
        assert_eq!(siphash24(key, &[]), 0x726f_db47_dd0e_0e31);
        assert_eq!(siphash24(key, &[&message[..1]]), 0x74f8_39c5_93dc_67fd);
        assert_eq!(siphash24(key, &[&message[..8]]), 0x93f5_f579_9a93_2462);
        assert_eq!(siphash24(key, &[&message[..15]]), 0xa129_ca61_49be_45e5);
        assert_eq!(siphash24(key, &[&message[..3], &message[3..15]]), 0xa129_ca61_49be_45e5);
        assert_ne!(siphash24((key.0 ^ 1, key.1), &[&message[..15]]), 0xa129_ca61_49be_45e5);
    }

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
