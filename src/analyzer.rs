//! The one analyzer shared by the lexicon matcher and the search index, so that a flag and a
//! search agree: tokens are maximal runs of letters and digits (apostrophes and hyphens split),
//! lowercased, stemmed with the document language's Snowball stemmer (rust-stemmers), and folded
//! (diacritics removed, ß → ss, œ → oe), keeping byte offsets into the original text. Stems are
//! memoised per analyzer, since a corpus repeats a small vocabulary many times.

use rustc_hash::FxHashMap;

use rust_stemmers::{Algorithm, Stemmer};
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// One token: where it stands in the text, and its folded and stemmed forms (ranges in
/// [`Analyzed::buf`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    /// Byte offset of the first byte in the analysed text.
    pub start: u32,
    /// Byte offset one past the last byte.
    pub end: u32,
    fold: (u32, u32),
    stem: (u32, u32),
}

/// The tokens of one text, with their forms stored in one buffer.
#[derive(Debug, Clone, Default)]
pub struct Analyzed {
    /// Tokens in text order.
    pub tokens: Vec<Token>,
    buf: String,
}

impl Analyzed {
    /// The folded (lowercase, no diacritics, unstemmed) form of token `i`.
    pub fn folded(&self, i: usize) -> &str {
        let (a, b) = self.tokens[i].fold;
        &self.buf[a as usize..b as usize]
    }

    /// The stemmed and folded form of token `i`.
    pub fn stem(&self, i: usize) -> &str {
        let (a, b) = self.tokens[i].stem;
        &self.buf[a as usize..b as usize]
    }

    /// False for a token the stem filter ruled out (its stem is its folded form, and no lexicon
    /// stem can equal it).
    pub fn is_stemmed(&self, i: usize) -> bool {
        self.tokens[i].stem != self.tokens[i].fold
    }

    /// Number of tokens.
    pub fn len(&self) -> usize {
        self.tokens.len()
    }

    /// True when there are no tokens.
    pub fn is_empty(&self) -> bool {
        self.tokens.is_empty()
    }

    /// The stems of all tokens, in order.
    pub fn stems(&self) -> Vec<&str> {
        (0..self.len()).map(|i| self.stem(i)).collect()
    }

    /// Appends a token; without a stem, the folded form is the stem too.
    fn push(&mut self, start: usize, end: usize, fold: &str, stem: Option<&str>) {
        let f0 = self.buf.len() as u32;
        self.buf.push_str(fold);
        let f1 = self.buf.len() as u32;
        let stem = match stem {
            Some(s) => {
                self.buf.push_str(s);
                (f1, self.buf.len() as u32)
            }
            None => (f0, f1),
        };
        self.tokens.push(Token { start: start as u32, end: end as u32, fold: (f0, f1), stem });
    }

    fn clear(&mut self) {
        self.tokens.clear();
        self.buf.clear();
    }
}

/// The one language table: every language with a Snowball stemmer, by ISO 639-1 code. The
/// lexicon matcher and the search index both stem by it (the index has one text field per code),
/// so that flags and search agree in every language; any other language is only lowercased and
/// folded, in both.
pub const LANGUAGES: &[(&str, Algorithm)] = &[
    ("ar", Algorithm::Arabic),
    ("da", Algorithm::Danish),
    ("de", Algorithm::German),
    ("el", Algorithm::Greek),
    ("en", Algorithm::English),
    ("es", Algorithm::Spanish),
    ("fi", Algorithm::Finnish),
    ("fr", Algorithm::French),
    ("hu", Algorithm::Hungarian),
    ("it", Algorithm::Italian),
    ("nb", Algorithm::Norwegian),
    ("nl", Algorithm::Dutch),
    ("nn", Algorithm::Norwegian),
    ("no", Algorithm::Norwegian),
    ("pt", Algorithm::Portuguese),
    ("ro", Algorithm::Romanian),
    ("ru", Algorithm::Russian),
    ("sv", Algorithm::Swedish),
    ("tr", Algorithm::Turkish),
];

/// The stemmer of a language of [`LANGUAGES`]; `None` for any other.
pub fn stemmer_for(lang: &str) -> Option<Algorithm> {
    LANGUAGES.iter().find(|(code, _)| *code == lang).map(|(_, a)| *a)
}

/// A language-specific analyzer with a stem memo. Cheap to clone (the memo is not shared).
pub struct Analyzer {
    lang: String,
    stemmer: Option<Stemmer>,
    memo: FxHashMap<Box<str>, (Box<str>, Box<str>)>,
    /// Stems of ASCII words of up to four bytes, packed (see [`Analyzer::push_short`]).
    short: FxHashMap<u32, u32>,
    lower: String,
}

impl Clone for Analyzer {
    fn clone(&self) -> Analyzer {
        Analyzer::new(&self.lang)
    }
}

impl std::fmt::Debug for Analyzer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Analyzer").field("lang", &self.lang).finish()
    }
}

const MEMO_LIMIT: usize = 200_000;

impl Analyzer {
    /// An analyzer for an ISO 639-1 language code.
    pub fn new(lang: &str) -> Analyzer {
        Analyzer {
            lang: lang.to_string(),
            stemmer: stemmer_for(lang).map(Stemmer::create),
            memo: FxHashMap::default(),
            short: FxHashMap::default(),
            lower: String::new(),
        }
    }

    /// The language code.
    pub fn lang(&self) -> &str {
        &self.lang
    }

    /// True when this language has a stemmer.
    pub fn stems(&self) -> bool {
        self.stemmer.is_some()
    }

    /// Analyses `text` into `out` (cleared first).
    pub fn analyze_into(&mut self, text: &str, out: &mut Analyzed) {
        self.analyze_filtered(text, out, None);
    }

    /// Like [`Analyzer::analyze_into`], but ASCII words longer than four letters that `filter`
    /// rules out keep their lowercase form as their stem (they are not stemmed). The matcher uses
    /// this: a word whose first letters no lexicon stem shares cannot match any stem, so stemming it
    /// is wasted work. Tokens the filter keeps are analysed exactly as by `analyze_into`.
    pub fn analyze_filtered(
        &mut self,
        text: &str,
        out: &mut Analyzed,
        filter: Option<&StemFilter>,
    ) {
        out.clear();
        let bytes = text.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            // Fast skip of ASCII separators.
            let b = bytes[i];
            if b < 0x80 && !b.is_ascii_alphanumeric() {
                i += 1;
                continue;
            }
            let start = i;
            let mut ascii = true;
            while i < bytes.len() {
                let b = bytes[i];
                if b < 0x80 {
                    if !b.is_ascii_alphanumeric() {
                        break;
                    }
                    i += 1;
                    continue;
                }
                let c = text[i..].chars().next().expect("a char starts here");
                if !c.is_alphanumeric() && !is_combining_mark(c) {
                    break;
                }
                ascii = false;
                i += c.len_utf8();
            }
            if i == start {
                // A non-ASCII separator (punctuation, symbol): skip it.
                i += text[start..].chars().next().map_or(1, char::len_utf8);
                continue;
            }
            self.push(&text[start..i], ascii, start, i, out, filter);
        }
    }

    /// Analyses `text` into a new [`Analyzed`].
    pub fn analyze(&mut self, text: &str) -> Analyzed {
        let mut out = Analyzed::default();
        self.analyze_into(text, &mut out);
        out
    }

    fn push(
        &mut self,
        word: &str,
        ascii: bool,
        start: usize,
        end: usize,
        out: &mut Analyzed,
        filter: Option<&StemFilter>,
    ) {
        self.lower.clear();
        if ascii {
            self.lower.push_str(word);
            self.lower.make_ascii_lowercase();
        } else {
            self.lower.extend(word.chars().flat_map(char::to_lowercase));
        }
        if ascii && self.lower.len() > 4 && filter.is_some_and(|f| !f.wants(&self.lower)) {
            out.push(start, end, &self.lower, None);
            return;
        }
        if ascii && self.lower.len() <= 4 && self.push_short(start, end, out) {
            return;
        }
        if let Some((fold, stem)) = self.memo.get(self.lower.as_str()) {
            out.push(start, end, fold, Some(stem));
            return;
        }
        let fold = if ascii { self.lower.clone() } else { fold(&self.lower) };
        let stem = match &self.stemmer {
            Some(s) => {
                let st = s.stem(&self.lower);
                if ascii { st.into_owned() } else { self::fold(&st) }
            }
            None => fold.clone(),
        };
        out.push(start, end, &fold, Some(&stem));
        if self.memo.len() >= MEMO_LIMIT {
            self.memo.clear();
        }
        self.memo.insert(self.lower.as_str().into(), (fold.into(), stem.into()));
    }
}

impl Analyzer {
    /// Short ASCII words (`der`, `und`, `art`, `2024`: half of all tokens) are memoised by value in
    /// a `u32`, without the string compares and pointer chasing of the general memo. False when
    /// the stem does not fit (never seen in practice), for the general path to take over.
    fn push_short(&mut self, start: usize, end: usize, out: &mut Analyzed) -> bool {
        let key = pack(self.lower.as_bytes());
        let stem = match self.short.get(&key) {
            Some(&stem) => stem,
            None => {
                let stem = match &self.stemmer {
                    Some(s) => s.stem(&self.lower),
                    None => std::borrow::Cow::Borrowed(self.lower.as_str()),
                };
                if stem.len() > 4 || !stem.is_ascii() || stem.contains('\0') {
                    return false;
                }
                let stem = pack(stem.as_bytes());
                if self.short.len() >= MEMO_LIMIT {
                    self.short.clear();
                }
                self.short.insert(key, stem);
                stem
            }
        };
        let bytes = stem.to_le_bytes();
        let len = bytes.iter().position(|&b| b == 0).unwrap_or(4);
        let stem = std::str::from_utf8(&bytes[..len]).expect("ASCII");
        out.push(start, end, &self.lower, Some(stem));
        true
    }
}

/// Up to four bytes (no NUL) as a `u32`, zero-padded.
fn pack(b: &[u8]) -> u32 {
    let mut a = [0u8; 4];
    a[..b.len()].copy_from_slice(b);
    u32::from_le_bytes(a)
}

/// The first letters of every stem a matcher compares with: a word longer than four letters whose
/// first three letters are not among them (and that starts with no shorter stem) cannot have one of
/// these stems, because Snowball stemmers only rewrite the end of a word. Stems of six letters or
/// more are kept by their first four letters: an end rewrite (`y` → `i`, a dropped `e`) touches at
/// most the last two letters of a stem, so their first four letters are the word's.
#[derive(Debug, Clone, Default)]
pub struct StemFilter {
    prefixes: rustc_hash::FxHashSet<[u8; 3]>,
    long: rustc_hash::FxHashSet<[u8; 4]>,
    short: Vec<String>,
}

impl StemFilter {
    /// Adds a stem.
    pub fn add(&mut self, stem: &str) {
        match stem.as_bytes() {
            [a, b, c, d, _, _, ..] => {
                self.long.insert([*a, *b, *c, *d]);
            }
            [a, b, c, ..] => {
                self.prefixes.insert([*a, *b, *c]);
            }
            _ => {
                if !self.short.iter().any(|s| s == stem) {
                    self.short.push(stem.to_string());
                }
            }
        }
    }

    /// True when `lower` (lowercase ASCII) may have one of the stems.
    pub fn wants(&self, lower: &str) -> bool {
        let b = lower.as_bytes();
        (b.len() >= 3 && self.prefixes.contains(&[b[0], b[1], b[2]]))
            || (b.len() >= 4 && self.long.contains(&[b[0], b[1], b[2], b[3]]))
            || self.short.iter().any(|s| lower.starts_with(s.as_str()))
    }
}

/// Lowercases and folds a whole text into `out` (cleared first), character by character, the way
/// every token of it is lowercased and folded by [`Analyzer`]: so the folded form of any token,
/// and of any lexicon literal that one contains, is a substring of `out`. ASCII runs are copied a
/// byte at a time; other characters go through [`fold`].
pub fn fold_text_into(text: &str, out: &mut Vec<u8>) {
    out.clear();
    out.reserve(text.len());
    let bytes = text.as_bytes();
    let mut i = 0;
    let mut lower = String::new();
    while i < bytes.len() {
        let run = bytes[i..].iter().position(|b| *b >= 0x80).unwrap_or(bytes.len() - i);
        out.extend(bytes[i..i + run].iter().map(u8::to_ascii_lowercase));
        i += run;
        if let Some(c) = text[i..].chars().next() {
            match LATIN_FOLDS.get((c as usize).wrapping_sub(0x80)) {
                Some(f) => out.extend_from_slice(f.as_bytes()),
                None => {
                    lower.clear();
                    lower.extend(c.to_lowercase());
                    out.extend_from_slice(fold(&lower).as_bytes());
                }
            }
            i += c.len_utf8();
        }
    }
}

/// The lowercased and folded form of each character from U+0080 to U+024F (Latin-1 and the Latin
/// Extended blocks), which is nearly every non-ASCII character of a European text.
static LATIN_FOLDS: std::sync::LazyLock<Vec<String>> = std::sync::LazyLock::new(|| {
    (0x80..0x250u32)
        .map(|u| match char::from_u32(u) {
            Some(c) => fold(&c.to_lowercase().collect::<String>()),
            None => String::new(),
        })
        .collect()
});

/// Folds a lowercase word: diacritics removed, ß → ss, æ → ae, œ → oe, ø → o, ł → l.
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.nfd() {
        if is_combining_mark(c) {
            continue;
        }
        match c {
            'ß' => out.push_str("ss"),
            'æ' => out.push_str("ae"),
            'œ' => out.push_str("oe"),
            'ø' => out.push('o'),
            'ł' => out.push('l'),
            'đ' => out.push('d'),
            'ı' => out.push('i'),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn english_stems_and_offsets() {
        let mut a = Analyzer::new("en");
        let t = a.analyze("Human-rights obligations, Obligation!");
        assert_eq!(t.stems(), ["human", "right", "oblig", "oblig"]);
        assert_eq!((t.tokens[2].start, t.tokens[2].end), (13, 24));
        assert_eq!(t.folded(2), "obligations");
    }

    #[test]
    fn folding_and_german() {
        let mut a = Analyzer::new("de");
        let t = a.analyze("Sorgfaltspflichten Sorgfaltspflicht Maßnahmen");
        assert_eq!(t.stem(0), t.stem(1));
        assert_eq!(t.folded(2), "massnahmen");
        let mut f = Analyzer::new("fr");
        let t = f.analyze("l'entreprise Évaluation évaluations");
        assert_eq!(t.folded(0), "l");
        assert_eq!(t.stem(2), t.stem(3));
        assert!(t.stem(2).is_ascii());
    }

    #[test]
    fn unknown_language_lowercases() {
        let mut a = Analyzer::new("xx");
        assert_eq!(a.analyze("Direitos HUMANOS").stems(), ["direitos", "humanos"]);
    }

    proptest::proptest! {
        #[test]
        fn offsets_are_in_bounds_and_ordered(s in "\\PC{0,200}") {
            let mut a = Analyzer::new("fr");
            let t = a.analyze(&s);
            let mut last = 0;
            for tok in &t.tokens {
                proptest::prop_assert!(tok.start >= last && tok.end as usize <= s.len() && tok.start < tok.end);
                proptest::prop_assert!(s.is_char_boundary(tok.start as usize) && s.is_char_boundary(tok.end as usize));
                last = tok.end;
            }
        }
    }
}
