//! Text normalisation shared by every extractor: Unicode NFKC (ligatures such as U+FB01 become
//! `fi`), soft hyphens removed, words hyphenated across a line break joined, whitespace cleaned,
//! and a text-quality score used to decide whether to try the next extractor.

use std::borrow::Cow;

use unicode_normalization::UnicodeNormalization;

use super::lanes::Lane;

/// Normalises one page of extracted text. Line structure is kept (one line per output line), runs
/// of blank lines collapse to one, and trailing spaces go.
pub fn normalize_page(raw: &str) -> String {
    let mapped = map_special(raw);
    let mut out = String::with_capacity(mapped.len());
    let mut cur = String::new();
    let mut blank = false;
    for line in mapped.split('\n') {
        let mut rest = if clean_line(line) {
            // Most lines: already NFKC, single-spaced, no control characters.
            line
        } else {
            // NFKC only where needed, line by line: the quick check is a table lookup per
            // character, the full normalisation an order of magnitude slower (and composition
            // never crosses a line break).
            let line: Cow<'_, str> = if nfkc_stable_bytes(line)
                || unicode_normalization::is_nfkc_quick(line.chars())
                    == unicode_normalization::IsNormalized::Yes
            {
                Cow::Borrowed(line)
            } else {
                Cow::Owned(line.nfkc().collect())
            };
            collapse_spaces(&line, &mut cur);
            if cur.is_empty() {
                blank = true;
                continue;
            }
            cur.as_str()
        };
        if !blank && ends_with_soft_break(&out) && rest.starts_with(char::is_lowercase) {
            // `exam-` + `ple rest`: the word is joined, the rest of the line starts a new line.
            out.pop();
            let word_end = rest.find(' ').unwrap_or(rest.len());
            out.push_str(&rest[..word_end]);
            rest = rest[word_end..].trim_start();
            if rest.is_empty() {
                continue;
            }
        }
        if !out.is_empty() {
            out.push('\n');
            if blank {
                out.push('\n');
            }
        }
        out.push_str(rest);
        blank = false;
    }
    out
}

/// Removes NUL, soft hyphens and byte-order marks, turns tabs and no-break or figure spaces into
/// spaces and other line separators into newlines, copying untouched spans whole (byte-level: this
/// runs over every page).
fn map_special(raw: &str) -> Cow<'_, str> {
    let b = raw.as_bytes();
    let mut out: Option<String> = None;
    let mut last = 0;
    let mut i = 0;
    loop {
        i = next_special(b, i);
        if i >= b.len() {
            break;
        }
        let (len, rep): (usize, &str) = match b[i] {
            b'\0' => (1, ""),
            b'\t' => (1, " "),
            b'\r' | 0x0B | 0x0C => (1, "\n"),
            0xC2 if b.get(i + 1) == Some(&0xA0) => (2, " "),
            0xC2 if b.get(i + 1) == Some(&0xAD) => (2, ""),
            0xE2 if b.get(i + 1) == Some(&0x80) && matches!(b.get(i + 2), Some(0x87 | 0xAF)) => {
                (3, " ")
            }
            0xE2 if b.get(i + 1) == Some(&0x80) && matches!(b.get(i + 2), Some(0xA8 | 0xA9)) => {
                (3, "\n")
            }
            0xEF if b.get(i + 1) == Some(&0xBB) && b.get(i + 2) == Some(&0xBF) => (3, ""),
            _ => {
                i += 1;
                continue;
            }
        };
        let o = out.get_or_insert_with(|| String::with_capacity(raw.len()));
        o.push_str(&raw[last..i]);
        o.push_str(rep);
        i += len;
        last = i;
    }
    match out {
        None => Cow::Borrowed(raw),
        Some(mut o) => {
            o.push_str(&raw[last..]);
            Cow::Owned(o)
        }
    }
}

/// Bytes that may start a sequence `map_special` rewrites.
static SPECIAL_LEAD: [bool; 256] = {
    let mut t = [false; 256];
    let mut i = 0;
    while i < 256 {
        t[i] = matches!(i, 0x00 | 0x09 | 0x0B | 0x0C | 0x0D | 0xC2 | 0xE2 | 0xEF);
        i += 1;
    }
    t
};

/// The first byte at or after `i` that may start a sequence `map_special` rewrites (16 at a time).
fn next_special(b: &[u8], mut i: usize) -> usize {
    while i + 16 <= b.len() {
        let l = Lane::load(&b[i..]);
        let m =
            l.eq(0) | l.eq(b'\t') | l.in_range(0x0B, 0x0D) | l.eq(0xC2) | l.eq(0xE2) | l.eq(0xEF);
        if m != 0 {
            return i + m.trailing_zeros() as usize;
        }
        i += 16;
    }
    while i < b.len() && !SPECIAL_LEAD[b[i] as usize] {
        i += 1;
    }
    i
}

/// True when `line` needs no work: not empty, already NFKC (see [`nfkc_stable_bytes`]), no control
/// characters, and single spaces between words with none at either end. One pass over the bytes.
fn clean_line(line: &str) -> bool {
    let b = line.as_bytes();
    if b.first().is_none_or(|&c| c == b' ') || b.last() == Some(&b' ') {
        return false;
    }
    let mut i = 0;
    let mut space = false;
    while i < b.len() {
        if i + 16 <= b.len() {
            // 16 bytes at once when they are printable ASCII, spaces and Latin-1 letters (`C3`
            // and the byte after it), the bulk of European text.
            let l = Lane::load(&b[i..]);
            let spaces = u32::from(l.eq(b' '));
            let latin = u32::from(l.eq(0xC3));
            let ok = u32::from(l.in_range(0x21, 0x7E)) | spaces | latin | (latin << 1);
            if ok & 0xFFFF == 0xFFFF && latin & 0x8000 == 0 {
                if spaces & ((spaces << 1) | u32::from(space)) != 0 {
                    return false; // two spaces in a row
                }
                space = spaces & 0x8000 != 0;
                i += 16;
                continue;
            }
            let end = i + 16;
            while i < end {
                if !clean_step(b, &mut i, &mut space) {
                    return false;
                }
            }
            continue;
        }
        if !clean_step(b, &mut i, &mut space) {
            return false;
        }
    }
    true
}

/// One character of [`clean_line`]: false when it makes the line need work.
#[inline]
fn clean_step(b: &[u8], i: &mut usize, space: &mut bool) -> bool {
    match b[*i] {
        0x21..=0x7E => {
            *space = false;
            *i += 1;
        }
        b' ' if !*space => {
            *space = true;
            *i += 1;
        }
        0x00..=0x7F => return false,
        _ => {
            let n = stable_sequence(&b[*i..]);
            if n == 0 {
                return false;
            }
            *space = false;
            *i += n;
        }
    }
    true
}

/// Length of the NFKC-stable multi-byte character at the start of `b` (see
/// [`nfkc_stable_bytes`]), or 0 when it is not one of them.
fn stable_sequence(b: &[u8]) -> usize {
    match b {
        [0xC3, 0x80..=0xBF, ..] => 2,
        [
            0xC2,
            0xA1..=0xA7 | 0xA9 | 0xAB | 0xAC | 0xAE | 0xB0 | 0xB1 | 0xB6 | 0xB7 | 0xBB | 0xBF,
            ..,
        ] => 2,
        [0xE2, 0x80, 0x93 | 0x94 | 0x98 | 0x99 | 0x9C | 0x9D | 0x9E | 0xA2, ..] => 3,
        [0xE2, 0x82, 0xAC, ..] => 3,
        _ => 0,
    }
}

/// A byte-level check that `line` is already in NFKC: ASCII, Latin-1 letters (U+00C0–U+00FF) and a
/// few common symbols and punctuation marks with no compatibility decomposition (§ « » ° – — ‘ ’ “ ” „
/// • €). Anything else (combining marks, superscripts, ligatures, fractions) goes to the real check.
fn nfkc_stable_bytes(line: &str) -> bool {
    let b = line.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] < 0x80 {
            i += 1;
            continue;
        }
        match stable_sequence(&b[i..]) {
            0 => return false,
            n => i += n,
        }
    }
    true
}

/// Does the text end with a lowercase letter and a hyphen (a word broken at a line end)?
fn ends_with_soft_break(s: &str) -> bool {
    let mut rev = s.chars().rev();
    matches!(rev.next(), Some('-' | '\u{2010}')) && rev.next().is_some_and(char::is_lowercase)
}

fn collapse_spaces(line: &str, out: &mut String) {
    // Byte-level: ASCII whitespace and control bytes separate words; UTF-8 multi-byte sequences
    // never contain bytes below 0x80, so runs of other bytes are copied whole.
    out.clear();
    let bytes = line.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        while i < bytes.len() && (bytes[i] <= b' ' || bytes[i] == 0x7F) {
            i += 1;
        }
        let start = i;
        while i < bytes.len() && bytes[i] > b' ' && bytes[i] != 0x7F {
            i += 1;
        }
        if start < i {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(&line[start..i]);
        }
    }
}

/// Text-quality figures for one page.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Quality {
    /// Number of whitespace-separated tokens.
    pub tokens: usize,
    /// Share of tokens that look like words (letters, with a vowel or of 1-3 letters).
    pub word_share: f64,
    /// Share of characters that are U+FFFD, private-use or control characters.
    pub bad_char_share: f64,
}

impl Quality {
    /// True when the text looks like readable language.
    pub fn is_good(&self) -> bool {
        self.bad_char_share <= 0.05 && (self.tokens == 0 || self.word_share >= 0.5)
    }

    /// A score to pick the better of two extractions of the same page.
    pub fn score(&self) -> f64 {
        if self.tokens == 0 {
            return 0.0;
        }
        self.word_share * (1.0 - self.bad_char_share) * (self.tokens as f64).ln_1p()
    }
}

/// A character that stands for no letter: U+FFFD, a private-use code point (what a font without a
/// Unicode map gives its bullets and symbols) or a control character.
pub fn is_glyph_debris(c: char) -> bool {
    let u = c as u32;
    c == '\u{FFFD}' || (0xE000..=0xF8FF).contains(&u) || u >= 0xF0000 || c.is_control()
}

/// Measures the quality of a page of text.
pub fn quality(text: &str) -> Quality {
    let mut chars = 0usize;
    let mut bad = 0usize;
    for c in text.chars() {
        if c.is_whitespace() {
            continue;
        }
        chars += 1;
        if is_glyph_debris(c) {
            bad += 1;
        }
    }
    let mut tokens = 0usize;
    let mut words = 0usize;
    for tok in text.split_whitespace() {
        tokens += 1;
        let core = tok.trim_matches(|c: char| !c.is_alphanumeric());
        if core.is_empty() {
            // Punctuation and bullets are neither words nor garbage.
            tokens -= 1;
            continue;
        }
        if core.chars().all(|c| c.is_numeric() || c == '.' || c == ',') {
            words += 1;
            continue;
        }
        let letters = core.chars().filter(|c| c.is_alphabetic()).count();
        let n = core.chars().count();
        if letters * 10 >= n * 8 && (n <= 3 || core.chars().any(is_vowel) || !core.is_ascii()) {
            words += 1;
        }
    }
    Quality {
        tokens,
        word_share: if tokens == 0 { 0.0 } else { words as f64 / tokens as f64 },
        bad_char_share: if chars == 0 { 0.0 } else { bad as f64 / chars as f64 },
    }
}

fn is_vowel(c: char) -> bool {
    matches!(c.to_ascii_lowercase(), 'a' | 'e' | 'i' | 'o' | 'u' | 'y')
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// Lines of ordinary words with single spaces are clean, whatever their length.
        #[test]
        fn joined_words_are_clean(words in proptest::collection::vec(proptest::sample::select(vec![
            "Art.", "Menschenrechte", "für", "Gesetzes", "§", "„Wort“", "é", "x", "Größe", "2024", "«»", "–",
        ]), 1..60)) {
            let line = words.join(" ");
            proptest::prop_assert!(clean_line(&line));
            let doubled = line.clone() + "  x";
            let nbsp = line.clone() + "\u{00A0}x";
            proptest::prop_assert!(!clean_line(&doubled));
            proptest::prop_assert!(!clean_line(&nbsp));
        }

        /// A line the fast path keeps as it is comes out of the slow path unchanged.
        #[test]
        fn clean_lines_need_no_work(line in "[ a-zA-Z0-9.,;§äöüßÄÖÜéèçñ„“”–—€\u{00A0}\u{FB01}\u{00B2}\t]{0,80}") {
            let mut collapsed = String::new();
            collapse_spaces(&line, &mut collapsed);
            let by_definition = !line.is_empty() && nfkc_stable_bytes(&line) && collapsed == line;
            proptest::prop_assert_eq!(clean_line(&line), by_definition);
            if clean_line(&line) {
                let mut collapsed = String::new();
                collapse_spaces(&line, &mut collapsed);
                proptest::prop_assert_eq!(&collapsed, &line);
                proptest::prop_assert_eq!(line.nfkc().collect::<String>(), line.clone());
                proptest::prop_assert_eq!(normalize_page(&line), line);
            }
        }
    }

    #[test]
    fn ligatures_and_hyphens() {
        assert_eq!(normalize_page("e\u{FB03}cient of-\nficials here"), "efficient officials\nhere");
        assert_eq!(normalize_page("the of-\nficials here"), "the officials\nhere");
        assert_eq!(normalize_page("EU-\nRecht gilt"), "EU-\nRecht gilt");
        assert_eq!(normalize_page("  a \t b  \n\n\n\nc\r\n"), "a b\n\nc");
        assert_eq!(
            normalize_page("a\u{00A0}b\u{00AD}c\u{FEFF}d\u{2028}e\u{202F}f\0"),
            "a bcd\ne f"
        );
    }

    #[test]
    fn byte_check_agrees_with_nfkc() {
        for s in [
            "Maßnahmen § 5 «oui» – „so“ 20 °C €",
            "plain",
            "é\u{301}",
            "x²",
            "\u{FB01}",
            "½",
            "ª",
            "\u{2011}",
        ] {
            let nfkc: String = s.nfkc().collect();
            if nfkc_stable_bytes(s) {
                assert_eq!(nfkc, s, "{s:?} is not NFKC-stable");
            }
        }
        assert!(nfkc_stable_bytes("Maßnahmen § 5 «oui» – „so“ 20 °C €"));
        assert!(!nfkc_stable_bytes("x²"));
    }

    #[test]
    fn quality_flags_garbage() {
        assert!(quality("The Government shall protect human rights.").is_good());
        assert!(!quality("\u{FFFD}\u{FFFD}\u{FFFD} \u{E001}\u{E002}").is_good());
        assert!(!quality("xzqt pqrst hjkl wxcv bnmz").is_good());
        assert!(quality("").is_good());
    }
}
