//! Text normalisation shared by every extractor: Unicode NFKC (ligatures such as U+FB01 become
//! `fi`), soft hyphens removed, words hyphenated across a line break joined, whitespace cleaned,
//! and a text-quality score used to decide whether to try the next extractor.

use unicode_normalization::UnicodeNormalization;

/// Normalises one page of extracted text. Line structure is kept (one line per output line), runs
/// of blank lines collapse to one, and trailing spaces go.
pub fn normalize_page(raw: &str) -> String {
    let nfkc: String = if raw.is_ascii() {
        raw.chars()
            .filter(|&c| c != '\0')
            .map(|c| match c {
                '\t' => ' ',
                '\r' | '\u{000B}' | '\u{000C}' => '\n',
                c => c,
            })
            .collect()
    } else {
        raw.nfkc()
            .filter(|&c| c != '\u{00AD}' && c != '\u{FEFF}' && c != '\0')
            .map(|c| match c {
                '\u{00A0}' | '\u{2007}' | '\u{202F}' | '\t' => ' ',
                '\r' | '\u{2028}' | '\u{2029}' | '\u{000B}' | '\u{000C}' => '\n',
                c => c,
            })
            .collect()
    };
    let mut lines: Vec<String> = Vec::new();
    let mut blank = 0usize;
    for line in nfkc.split('\n') {
        let cleaned = collapse_spaces(line);
        if cleaned.is_empty() {
            blank += 1;
            continue;
        }
        if blank > 0 && !lines.is_empty() {
            lines.push(String::new());
        }
        blank = 0;
        lines.push(cleaned);
    }
    join_hyphenated(&mut lines);
    lines.join("\n")
}

fn collapse_spaces(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut space = false;
    for c in line.trim().chars() {
        if c == ' ' || (c.is_whitespace() && c != '\n') || c.is_control() {
            space = true;
            continue;
        }
        if space && !out.is_empty() {
            out.push(' ');
        }
        space = false;
        out.push(c);
    }
    out
}

/// Joins `exam-` at the end of a line with `ple` at the start of the next line when the hyphen
/// follows a lowercase letter and the next line starts with a lowercase letter (so `Länder-` +
/// `und` stays apart only if the next word is capitalised, and `EU-` + `Recht` stays).
fn join_hyphenated(lines: &mut [String]) {
    for i in 0..lines.len().saturating_sub(1) {
        let (head, tail) = lines.split_at_mut(i + 1);
        let cur = &mut head[i];
        let next = &mut tail[0];
        let mut rev = cur.chars().rev();
        let (Some(h), Some(prev)) = (rev.next(), rev.next()) else { continue };
        if !matches!(h, '-' | '\u{2010}') || !prev.is_lowercase() {
            continue;
        }
        let Some(first) = next.chars().next() else { continue };
        if !first.is_lowercase() {
            continue;
        }
        let word_end = next.find(' ').unwrap_or(next.len());
        cur.truncate(cur.len() - h.len_utf8());
        cur.push_str(&next[..word_end]);
        let rest = next[word_end..].trim_start().to_string();
        *next = rest;
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

/// Measures the quality of a page of text.
pub fn quality(text: &str) -> Quality {
    let mut chars = 0usize;
    let mut bad = 0usize;
    for c in text.chars() {
        if c.is_whitespace() {
            continue;
        }
        chars += 1;
        let u = c as u32;
        if c == '\u{FFFD}' || (0xE000..=0xF8FF).contains(&u) || u >= 0xF0000 || c.is_control() {
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

    #[test]
    fn ligatures_and_hyphens() {
        assert_eq!(normalize_page("e\u{FB03}cient of-\nficials here"), "efficient officials\nhere");
        assert_eq!(normalize_page("the of-\nficials here"), "the officials\nhere");
        assert_eq!(normalize_page("EU-\nRecht gilt"), "EU-\nRecht gilt");
        assert_eq!(normalize_page("  a \t b  \n\n\n\nc\r\n"), "a b\n\nc");
    }

    #[test]
    fn quality_flags_garbage() {
        assert!(quality("The Government shall protect human rights.").is_good());
        assert!(!quality("\u{FFFD}\u{FFFD}\u{FFFD} \u{E001}\u{E002}").is_good());
        assert!(!quality("xzqt pqrst hjkl wxcv bnmz").is_good());
        assert!(quality("").is_good());
    }
}
