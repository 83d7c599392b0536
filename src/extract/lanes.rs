//! Bit masks of byte classes over 16-byte lanes (bit `i` is byte `i`), for the byte scans that run
//! over every page (word counting, line cleaning, special characters). SSE2 on x86_64, where it
//! is always present; plain loops elsewhere.

/// 16 bytes of text.
#[derive(Clone, Copy)]
pub struct Lane(imp::Raw);

impl Lane {
    /// The first 16 bytes of `b` (which must hold at least 16).
    #[inline]
    pub fn load(b: &[u8]) -> Lane {
        let b: &[u8; 16] = b[..16].try_into().expect("16 bytes");
        Lane(imp::load(b))
    }

    /// Bytes equal to `c`.
    #[inline]
    pub fn eq(self, c: u8) -> u16 {
        imp::eq(self.0, c)
    }

    /// Bytes in `lo..=hi` (unsigned).
    #[inline]
    pub fn in_range(self, lo: u8, hi: u8) -> u16 {
        imp::in_range(self.0, lo, hi)
    }

    /// Bytes of non-ASCII characters (0x80 and above).
    #[inline]
    pub fn high(self) -> u16 {
        imp::high(self.0)
    }

    /// ASCII letters (either case) and digits.
    #[inline]
    pub fn alnum(self) -> u16 {
        self.in_range(b'0', b'9') | imp::in_range(imp::or(self.0, 0x20), b'a', b'z')
    }

    /// ASCII whitespace as `u8::is_ascii_whitespace` defines it (space, tab, line feed, form feed,
    /// carriage return).
    #[inline]
    pub fn ascii_whitespace(self) -> u16 {
        self.eq(b' ') | self.eq(b'\t') | self.eq(b'\n') | self.eq(0x0C) | self.eq(b'\r')
    }
}

#[cfg(target_arch = "x86_64")]
mod imp {
    use std::arch::x86_64::{
        __m128i, _mm_cmpeq_epi8, _mm_loadu_si128, _mm_min_epu8, _mm_movemask_epi8, _mm_or_si128,
        _mm_set1_epi8, _mm_sub_epi8,
    };

    pub(super) type Raw = __m128i;

    // SAFETY (every function below): SSE2 is part of the x86_64 baseline, and `load` reads
    // exactly the 16 bytes of the array it is given.
    #[inline]
    pub(super) fn load(b: &[u8; 16]) -> Raw {
        unsafe { _mm_loadu_si128(b.as_ptr().cast()) }
    }

    #[inline]
    pub(super) fn eq(v: Raw, c: u8) -> u16 {
        unsafe { _mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8(c as i8))) as u16 }
    }

    /// `v - lo <= hi - lo`, unsigned: `min(v - lo, hi - lo) == v - lo`.
    #[inline]
    pub(super) fn in_range(v: Raw, lo: u8, hi: u8) -> u16 {
        unsafe {
            let t = _mm_sub_epi8(v, _mm_set1_epi8(lo as i8));
            let m = _mm_cmpeq_epi8(_mm_min_epu8(t, _mm_set1_epi8((hi - lo) as i8)), t);
            _mm_movemask_epi8(m) as u16
        }
    }

    #[inline]
    pub(super) fn high(v: Raw) -> u16 {
        unsafe { _mm_movemask_epi8(v) as u16 }
    }

    #[inline]
    pub(super) fn or(v: Raw, c: u8) -> Raw {
        unsafe { _mm_or_si128(v, _mm_set1_epi8(c as i8)) }
    }
}

#[cfg(not(target_arch = "x86_64"))]
mod imp {
    pub(super) type Raw = [u8; 16];

    fn mask(v: Raw, f: impl Fn(u8) -> bool) -> u16 {
        v.iter().enumerate().fold(0, |m, (i, &b)| m | (u16::from(f(b)) << i))
    }

    pub(super) fn load(b: &[u8; 16]) -> Raw {
        *b
    }

    pub(super) fn eq(v: Raw, c: u8) -> u16 {
        mask(v, |b| b == c)
    }

    pub(super) fn in_range(v: Raw, lo: u8, hi: u8) -> u16 {
        mask(v, |b| (lo..=hi).contains(&b))
    }

    pub(super) fn high(v: Raw) -> u16 {
        mask(v, |b| b >= 0x80)
    }

    pub(super) fn or(v: Raw, c: u8) -> Raw {
        v.map(|b| b | c)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_match_the_byte_predicates() {
        for start in 0..16u8 {
            let bytes: [u8; 16] =
                std::array::from_fn(|i| start.wrapping_mul(16).wrapping_add(i as u8));
            let lane = Lane::load(&bytes);
            let mask = |f: &dyn Fn(u8) -> bool| {
                bytes.iter().enumerate().fold(0u16, |m, (i, &b)| m | (u16::from(f(b)) << i))
            };
            assert_eq!(lane.eq(bytes[3]), mask(&|b| b == bytes[3]));
            assert_eq!(lane.in_range(0x21, 0x7E), mask(&|b| (0x21..=0x7E).contains(&b)));
            assert_eq!(lane.high(), mask(&|b| b >= 0x80));
            assert_eq!(lane.alnum(), mask(&|b| b.is_ascii_alphanumeric()));
            assert_eq!(lane.ascii_whitespace(), mask(&|b| b.is_ascii_whitespace()));
        }
    }
}
