//! A small seeded PRNG (xoshiro256**, seeded through SplitMix64) and a
//! Zipf-like sampler. Private to the generator: no `rand` dependency.

/// xoshiro256** seeded with SplitMix64.
#[derive(Debug, Clone)]
pub(super) struct Rng {
    s: [u64; 4],
}

impl Rng {
    /// Seeds the four words of state from `seed` with SplitMix64.
    pub(super) fn new(seed: u64) -> Self {
        let mut sm = seed;
        let mut next = || {
            sm = sm.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = sm;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            z ^ (z >> 31)
        };
        Rng { s: [next(), next(), next(), next()] }
    }

    /// The next 64 random bits.
    pub(super) fn next_u64(&mut self) -> u64 {
        let result = self.s[1].wrapping_mul(5).rotate_left(7).wrapping_mul(9);
        let t = self.s[1] << 17;
        self.s[2] ^= self.s[0];
        self.s[3] ^= self.s[1];
        self.s[1] ^= self.s[2];
        self.s[0] ^= self.s[3];
        self.s[2] ^= t;
        self.s[3] = self.s[3].rotate_left(45);
        result
    }

    /// Uniform in `0..n` (Lemire's multiply-shift); 0 when `n == 0`.
    pub(super) fn below(&mut self, n: usize) -> usize {
        ((u128::from(self.next_u64()) * n as u128) >> 64) as usize
    }

    /// Uniform in `lo..=hi` (`lo` when `hi < lo`).
    pub(super) fn range(&mut self, lo: u32, hi: u32) -> u32 {
        if hi <= lo {
            return lo;
        }
        lo + self.below((hi - lo) as usize + 1) as u32
    }

    /// Uniform in `[0, 1)`.
    pub(super) fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// True with probability `p` (false for `p <= 0` or NaN, true for `p >= 1`).
    pub(super) fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    /// A uniformly chosen element. Only called on the non-empty const tables.
    pub(super) fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    /// A decimal digit as a char.
    pub(super) fn digit(&mut self) -> char {
        char::from(b'0' + self.below(10) as u8)
    }

    /// Poisson-distributed count with mean `lambda` (Knuth; `lambda` is small here).
    pub(super) fn poisson(&mut self, lambda: f64) -> usize {
        if lambda.is_nan() || lambda <= 0.0 {
            return 0;
        }
        let limit = (-lambda).exp();
        let mut k = 0;
        let mut p = self.unit();
        while p > limit && k < 64 {
            k += 1;
            p *= self.unit();
        }
        k
    }

    /// Fisher-Yates shuffle.
    pub(super) fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = self.below(i + 1);
            items.swap(i, j);
        }
    }
}

/// Samples indexes `0..n` with weight `1 / (i + 1)^s`: a few very common
/// values and a long tail, like real name frequencies.
#[derive(Debug, Clone)]
pub(super) struct Zipf {
    cum: Vec<f64>,
}

impl Zipf {
    /// A sampler over `n` items with exponent `s`.
    pub(super) fn new(n: usize, s: f64) -> Self {
        let mut total = 0.0;
        let cum = (0..n)
            .map(|i| {
                total += 1.0 / ((i + 1) as f64).powf(s);
                total
            })
            .collect();
        Zipf { cum }
    }

    /// An index in `0..n` (0 for an empty sampler).
    pub(super) fn sample(&self, rng: &mut Rng) -> usize {
        let total = self.cum.last().copied().unwrap_or(0.0);
        let u = rng.unit() * total;
        self.cum.partition_point(|&c| c <= u).min(self.cum.len().saturating_sub(1))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_stream() {
        let mut a = Rng::new(7);
        let mut b = Rng::new(7);
        let mut c = Rng::new(8);
        let xs: Vec<u64> = (0..8).map(|_| a.next_u64()).collect();
        let ys: Vec<u64> = (0..8).map(|_| b.next_u64()).collect();
        let zs: Vec<u64> = (0..8).map(|_| c.next_u64()).collect();
        assert_eq!(xs, ys);
        assert_ne!(xs, zs);
    }

    #[test]
    fn below_and_range_stay_in_bounds() {
        let mut r = Rng::new(1);
        assert_eq!(r.below(0), 0);
        for _ in 0..10_000 {
            assert!(r.below(7) < 7);
            let x = r.range(3, 5);
            assert!((3..=5).contains(&x));
        }
        assert_eq!(r.range(9, 2), 9);
    }

    #[test]
    fn chance_edges() {
        let mut r = Rng::new(2);
        assert!((0..1000).all(|_| !r.chance(0.0)));
        assert!((0..1000).all(|_| r.chance(1.0)));
        assert!((0..1000).all(|_| !r.chance(f64::NAN)));
    }

    #[test]
    fn zipf_is_skewed_and_in_bounds() {
        let z = Zipf::new(100, 1.0);
        let mut r = Rng::new(3);
        let mut counts = [0u32; 100];
        for _ in 0..100_000 {
            counts[z.sample(&mut r)] += 1;
        }
        assert!(counts[0] > 10 * counts[50]);
        assert!(counts[99] > 0);
        assert_eq!(Zipf::new(0, 1.0).sample(&mut r), 0);
    }

    #[test]
    fn poisson_mean_is_close() {
        let mut r = Rng::new(4);
        let n = 20_000;
        let sum: usize = (0..n).map(|_| r.poisson(1.5)).sum();
        let mean = sum as f64 / n as f64;
        assert!((1.4..1.6).contains(&mean), "{mean}");
        assert_eq!(r.poisson(f64::NAN), 0);
    }
}
