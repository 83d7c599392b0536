//! Word counting for `documents.csv`: the number of whitespace-separated tokens that hold an ASCII
//! letter or digit or any non-ASCII character (letters of other scripts); punctuation-only tokens
//! do not count. It runs over every page, so it works on 64 bytes at a time with bit masks (one bit
//! per byte, as in simdjson): a word is counted at its first letter, which is either right after
//! whitespace or after a run of punctuation that itself follows whitespace; an addition carries
//! through such runs.

use super::lanes::Lane;

/// Number of word tokens in a text.
pub fn count_words(text: &str) -> usize {
    let bytes = text.as_bytes();
    let mut counter = Counter { after_ws: true, carry: false, words: 0 };
    let mut blocks = bytes.chunks_exact(64);
    for block in &mut blocks {
        counter.block(masks(block.try_into().expect("64 bytes")));
    }
    let rest = blocks.remainder();
    if !rest.is_empty() {
        // Pad with spaces: whitespace adds no word.
        let mut last = [b' '; 64];
        last[..rest.len()].copy_from_slice(rest);
        counter.block(masks(&last));
    }
    counter.words
}

/// Running state between 64-byte blocks.
struct Counter {
    /// The byte before the block is whitespace (or there is none).
    after_ws: bool,
    /// A run of punctuation that follows whitespace reaches into the block.
    carry: bool,
    words: usize,
}

impl Counter {
    /// Counts the words that start in a block, from its whitespace and word-character masks.
    fn block(&mut self, (ws, word): (u64, u64)) {
        let other = !ws & !word;
        // Bytes right after whitespace.
        let after_ws = (ws << 1) | u64::from(self.after_ws);
        // Adding 1 at the first byte of a punctuation run that follows whitespace carries through
        // the run to the byte just after it; runs that follow a word character get nothing.
        let (sum, c1) = other.overflowing_add(after_ws & other);
        let (sum, c2) = sum.overflowing_add(u64::from(self.carry));
        let after_run = sum & !other;
        self.words += (word & (after_ws | after_run)).count_ones() as usize;
        self.after_ws = ws >> 63 == 1;
        self.carry = c1 || c2;
    }
}

/// Whitespace and word-character masks of a block: bit `i` is byte `i`.
fn masks(block: &[u8; 64]) -> (u64, u64) {
    let (mut ws, mut word) = (0u64, 0u64);
    for k in 0..4 {
        let lane = Lane::load(&block[16 * k..]);
        ws |= u64::from(lane.ascii_whitespace()) << (16 * k);
        word |= u64::from(lane.high() | lane.alnum()) << (16 * k);
    }
    (ws, word)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The definition, token by token.
    fn count_words_plainly(text: &str) -> usize {
        text.split_ascii_whitespace()
            .filter(|t| t.bytes().any(|b| b >= 0x80 || b.is_ascii_alphanumeric()))
            .count()
    }

    #[test]
    fn words_are_tokens_with_a_letter_or_digit() {
        assert_eq!(count_words("Art. 3 (1) due-diligence, 2024 ; ... ü"), 6);
        assert_eq!(count_words(""), 0);
        assert_eq!(count_words(" \n\t "), 0);
        // Punctuation runs across a 64-byte boundary.
        let long = format!("{}(((((a", "x ".repeat(30));
        assert_eq!(count_words(&long), 31);
        let across = format!("{} {}word", "y".repeat(60), "-".repeat(100));
        assert_eq!(count_words(&across), 2);
    }

    proptest::proptest! {
        #[test]
        fn count_words_matches_its_definition(s in "[a-z0-9 \n\t\x0b\x0c.,;()§—«»äß-]{0,300}") {
            proptest::prop_assert_eq!(count_words(&s), count_words_plainly(&s));
        }

        #[test]
        fn long_punctuation_runs(parts in proptest::collection::vec(
            proptest::sample::select(vec![" ", "\n", "a", "9", "-", "((((((((((((((((((((((((((", "ü", "—", "x y"]),
            0..200,
        )) {
            let s = parts.concat();
            proptest::prop_assert_eq!(count_words(&s), count_words_plainly(&s));
        }
    }
}
