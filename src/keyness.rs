//! Keyness: which words and two-word phrases distinguish a set of pages (those hand-coded with a
//! concept) from a reference set (the other coded pages of the same language), scored by
//! Dunning's log-likelihood G² as quanteda's `textstat_keyness(measure = "lr")` does. It powers
//! `napscan lexicon suggest` (candidate terms a lexicon does not match yet) and the "distinctive
//! words" of `napscan eval --misses`. Pure: page texts in, ranked candidates out.

use std::collections::BTreeMap;

use crate::analyzer::Analyzer;

/// Word and bigram counts of one page, over folded (lowercase, accent-free) word forms.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PageCounts {
    /// n-gram → occurrences on the page.
    pub grams: BTreeMap<String, u32>,
    /// Number of word tokens counted.
    pub tokens: u32,
}

/// Words that never make a candidate on their own (function words of the five languages), and
/// that may not start or end a bigram.
const STOP: &[&str] = &[
    // en
    "the", "and", "for", "that", "this", "with", "are", "from", "which", "shall", "its", "their",
    "such", "other", "not", "any", "has", "have", "been", "was", "were", "all", "may", "into",
    "under", "where", "also", "these", "those", "within", "than", "them", "they", "his", "her",
    "our", "your", "can", "will", "should", "more", "who", "whom", "whose", "there", "here",
    "what", "when", "each", "only", "both", "well", "being", "does", "did", "but", "out", "about",
    "upon", "of", "to", "in", "on", "by", "or", "as", "an", "be", "at", "is", "it", "a",
    // fr
    "les", "des", "une", "dans", "pour", "par", "sur", "est", "sont", "aux", "qui", "que", "leur",
    "leurs", "ces", "cette", "ses", "son", "sa", "du", "de", "la", "le", "et", "en", "au", "ou",
    "un", "il", "elle", "ils", "elles", "ne", "pas", "plus", "ainsi", "lorsque", "dont", "entre",
    "tout", "tous", "toute", "toutes", "avec", "sans", "ce", "se", "si", "afin", // es
    "los", "las", "del", "por", "para", "con", "una", "unos", "unas", "como", "que", "sus", "este",
    "esta", "estos", "estas", "ese", "esa", "son", "ser", "sobre", "entre", "desde", "cuando",
    "el", "lo", "al", "se", "su", "y", "e", "o", "u", "no", "mas", "muy", "sin", "cada", "sea",
    // de
    "der", "die", "das", "den", "dem", "des", "und", "oder", "ein", "eine", "einer", "eines",
    "einem", "einen", "ist", "sind", "wird", "werden", "nach", "bei", "mit", "von", "vom", "zum",
    "zur", "auf", "aus", "für", "fur", "nicht", "sich", "als", "auch", "dass", "wenn", "soweit",
    "sowie", "über", "uber", "durch", "im", "in", "zu", "an", "am", "es", "so", "hat", "haben",
    "kann", "können", "konnen", "diese", "dieser", "dieses", "diesem", "diesen", // pt
    "os", "as", "dos", "das", "uma", "um", "para", "com", "pelo", "pela", "pelos", "pelas", "na",
    "no", "nas", "nos", "em", "ao", "aos", "seu", "sua", "seus", "suas", "ou", "mais", "ser",
];

fn is_stop(w: &str) -> bool {
    w.chars().count() < 3 || STOP.contains(&w) || w.chars().all(|c| c.is_ascii_digit())
}

/// Counts the words and bigrams of `text` (analysed with `analyzer`), leaving out tokens for
/// which `skip` is true (the tokens a lexicon already matches).
pub fn count_page(analyzer: &mut Analyzer, text: &str, skip: impl Fn(usize) -> bool) -> PageCounts {
    let an = analyzer.analyze(text);
    let mut out = PageCounts::default();
    let mut prev: Option<&str> = None;
    for i in 0..an.len() {
        if skip(i) {
            prev = None;
            continue;
        }
        let w = an.folded(i);
        out.tokens += 1;
        if !is_stop(w) {
            *out.grams.entry(w.to_string()).or_default() += 1;
            if let Some(p) = prev {
                *out.grams.entry(format!("{p} {w}")).or_default() += 1;
            }
            prev = Some(w);
        } else {
            prev = None;
        }
    }
    out
}

/// One candidate: an n-gram more frequent in the target pages than in the reference pages.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Keyword {
    /// The word or two-word phrase (folded).
    pub gram: String,
    /// Log-likelihood G² (signed: positive when over-represented in the target).
    pub g2: f64,
    /// Occurrences in the target pages.
    pub target: u32,
    /// Target pages that hold it.
    pub target_pages: u32,
    /// Occurrences in the reference pages.
    pub reference: u32,
}

/// Dunning's log-likelihood G² of a count `a` out of `c` tokens against `b` out of `d`,
/// signed by the direction of the difference.
pub fn g2(a: f64, b: f64, c: f64, d: f64) -> f64 {
    if c <= 0.0 || d <= 0.0 || a + b <= 0.0 {
        return 0.0;
    }
    let e1 = c * (a + b) / (c + d);
    let e2 = d * (a + b) / (c + d);
    let term = |o: f64, e: f64| if o > 0.0 { o * (o / e).ln() } else { 0.0 };
    let g = 2.0 * (term(a, e1) + term(b, e2));
    if a / c >= b / d { g } else { -g }
}

/// Ranks the n-grams of `target` pages against `reference` pages: over-represented ones only,
/// found on at least `min_pages` target pages, best first, at most `limit`.
pub fn keywords(
    target: &[&PageCounts],
    reference: &[&PageCounts],
    min_pages: u32,
    limit: usize,
) -> Vec<Keyword> {
    let mut t: BTreeMap<&str, (u32, u32)> = BTreeMap::new();
    for p in target {
        for (g, &n) in &p.grams {
            let e = t.entry(g).or_default();
            e.0 += n;
            e.1 += 1;
        }
    }
    let mut r: BTreeMap<&str, u32> = BTreeMap::new();
    for p in reference {
        for (g, &n) in &p.grams {
            *r.entry(g).or_default() += n;
        }
    }
    let c: f64 = target.iter().map(|p| f64::from(p.tokens)).sum();
    let d: f64 = reference.iter().map(|p| f64::from(p.tokens)).sum::<f64>().max(1.0);
    let mut out: Vec<Keyword> = t
        .into_iter()
        .filter(|(_, (_, pages))| *pages >= min_pages)
        .map(|(g, (a, pages))| {
            let b = r.get(g).copied().unwrap_or(0);
            Keyword {
                gram: g.to_string(),
                g2: g2(f64::from(a), f64::from(b), c, d),
                target: a,
                target_pages: pages,
                reference: b,
            }
        })
        .filter(|k| k.g2 > 0.0)
        .collect();
    out.sort_by(|a, b| b.g2.total_cmp(&a.g2).then_with(|| a.gram.cmp(&b.gram)));
    out.truncate(limit);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counts(lang: &str, text: &str) -> PageCounts {
        count_page(&mut Analyzer::new(lang), text, |_| false)
    }

    #[test]
    fn g2_matches_a_hand_computed_value() {
        // 10 of 1000 against 10 of 10,000: G² = 22.14 (Rayson and Garside's two-cell form).
        let g = g2(10.0, 10.0, 1000.0, 10_000.0);
        assert!((g - 22.14).abs() < 0.01, "{g}");
        assert!(g2(1.0, 100.0, 1000.0, 1000.0) < 0.0);
        assert_eq!(g2(0.0, 0.0, 10.0, 10.0), 0.0);
    }

    #[test]
    fn distinctive_words_rank_first() {
        let a = counts("de", "Die Meldestelle nimmt Meldungen entgegen. Die Meldestelle prüft.");
        let b = counts("de", "Die Meldestelle dokumentiert jede Meldung vertraulich.");
        let r1 = counts("de", "Die Behörde prüft den Antrag und entscheidet über den Antrag.");
        let r2 = counts("de", "Der Antrag ist schriftlich bei der Behörde zu stellen.");
        let k = keywords(&[&a, &b], &[&r1, &r2], 2, 5);
        assert_eq!(k[0].gram, "meldestelle", "{k:?}");
        assert!(k.iter().all(|k| k.gram != "antrag" && k.gram != "die"));
    }

    #[test]
    fn skipped_tokens_are_not_counted() {
        let c = count_page(&mut Analyzer::new("en"), "grievance mechanism for workers", |i| i < 2);
        assert_eq!(c.grams.get("grievance"), None);
        assert_eq!(c.grams.get("workers"), Some(&1));
        assert_eq!(c.tokens, 2);
    }

    proptest::proptest! {
        #[test]
        fn keywords_are_over_represented(words in proptest::collection::vec("[a-e]{3}", 1..40), split in 0usize..40) {
            let split = split.min(words.len());
            let a = counts("en", &words[..split].join(" "));
            let b = counts("en", &words[split..].join(" "));
            for k in keywords(&[&a], &[&b], 1, 100) {
                let rate_t = f64::from(k.target) / f64::from(a.tokens.max(1));
                let rate_r = f64::from(k.reference) / f64::from(b.tokens.max(1));
                proptest::prop_assert!(rate_t >= rate_r);
                proptest::prop_assert!(k.g2 > 0.0);
            }
        }
    }
}
