//! Repair of PDF pages whose text layer splits every word into pieces of one or two letters
//! ("Es ta bl ec er u n pr og ra m a de c a- pa ci ta ci ón"), as some layout programs write table
//! cells. The spaces are in the file itself (every extractor, pdftotext included, reads them), so
//! the words are found again from the document's own vocabulary: the letters of a run are joined
//! and cut into the sequence of words that the document's clean pages make most likely (unigram
//! costs, Viterbi), the way word segmenters for unspaced scripts work. Pages that read normally
//! are never touched.

use std::collections::HashMap;

/// A page is split when more than this share of its words have at most two letters (ordinary
/// Spanish, French or English text: about 35–40%).
const SPLIT_SHARE: f64 = 0.6;
/// Words a page needs before it is judged.
const MIN_WORDS: usize = 40;
/// Distinct words the clean pages must give before a repair is tried.
const MIN_VOCABULARY: usize = 300;
/// The cost of a word the clean pages never use, before its length (2.5 per character): high
/// enough that known words are preferred, low enough that one unknown word beats its pieces.
const UNKNOWN: f64 = 14.0;
/// The longest word the segmenter considers, in characters.
const MAX_WORD: usize = 30;

/// True when most of the page's words are pieces of one or two letters.
fn is_split(text: &str) -> bool {
    let (mut words, mut short) = (0usize, 0usize);
    for w in text.split(|c: char| !c.is_alphabetic()).filter(|w| !w.is_empty()) {
        words += 1;
        if w.chars().count() <= 2 {
            short += 1;
        }
    }
    words >= MIN_WORDS && short as f64 > SPLIT_SHARE * words as f64
}

/// Word counts (lower case) of a set of pages.
struct Vocabulary {
    counts: HashMap<String, u32>,
    log_total: f64,
}

impl Vocabulary {
    fn new<'a>(pages: impl Iterator<Item = &'a str>) -> Vocabulary {
        let mut counts: HashMap<String, u32> = HashMap::new();
        let mut total = 0u64;
        for text in pages {
            for w in text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()) {
                *counts.entry(w.to_lowercase()).or_default() += 1;
                total += 1;
            }
        }
        Vocabulary { counts, log_total: (total.max(1) as f64).ln() }
    }

    /// The cost of `word` (lower case): its negative log frequency, or a penalty growing with its
    /// length when the clean pages never use it. Numbers cost little, whatever their digits.
    fn cost(&self, word: &str, chars: usize) -> f64 {
        if let Some(&c) = self.counts.get(word) {
            return self.log_total - f64::from(c).ln();
        }
        if word.chars().all(|c| c.is_ascii_digit()) {
            return 8.0;
        }
        UNKNOWN + 2.5 * chars as f64
    }
}

/// Cuts `run` (letters and digits, no spaces) into its most likely words.
fn segment<'r>(run: &'r str, vocab: &Vocabulary) -> Vec<&'r str> {
    let bounds: Vec<usize> = run.char_indices().map(|(i, _)| i).chain([run.len()]).collect();
    // The run in lower case, with the offset where each of its characters' lower case starts
    // (a lower case can be longer than its capital), so that a candidate word is a slice.
    let mut lower = String::with_capacity(run.len());
    let mut lower_at = Vec::with_capacity(bounds.len());
    for c in run.chars() {
        lower_at.push(lower.len());
        lower.extend(c.to_lowercase());
    }
    lower_at.push(lower.len());
    let n = bounds.len() - 1;
    let mut best = vec![f64::INFINITY; n + 1];
    let mut back = vec![0usize; n + 1];
    best[0] = 0.0;
    for end in 1..=n {
        for start in (end.saturating_sub(MAX_WORD)..end).rev() {
            let word = &lower[lower_at[start]..lower_at[end]];
            let c = best[start] + vocab.cost(word, end - start);
            if c < best[end] {
                best[end] = c;
                back[end] = start;
            }
        }
    }
    let mut words = Vec::new();
    let mut end = n;
    while end > 0 {
        let start = back[end];
        words.push(&run[bounds[start]..bounds[end]]);
        end = start;
    }
    words.reverse();
    words
}

/// The page's text with its pieces joined and cut again into words.
fn repair(text: &str, vocab: &Vocabulary) -> String {
    // Pieces of one word: letters or digits on both sides of a single space or line break, or of
    // a hyphen that ends a piece ("a- pa", "Segu - ra") before a lower-case letter.
    let chars: Vec<char> = text.chars().collect();
    let mut joined = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let prev_word = joined.chars().next_back().is_some_and(char::is_alphanumeric);
        if prev_word
            && (c == ' ' || c == '\n')
            && chars.get(i + 1).is_some_and(|c| c.is_alphanumeric())
        {
            i += 1;
            continue;
        }
        if prev_word && (c == '-' || c == ' ' && chars.get(i + 1) == Some(&'-')) {
            let mut j = i;
            while chars.get(j) == Some(&' ') || chars.get(j) == Some(&'-') {
                j += 1;
            }
            let hyphens = chars[i..j].iter().filter(|&&c| c == '-').count();
            if hyphens == 1 && j > i + 1 && chars.get(j).is_some_and(|c| c.is_lowercase()) {
                i = j;
                continue;
            }
        }
        joined.push(if c == '\n' { ' ' } else { c });
        i += 1;
    }
    let mut out = String::with_capacity(joined.len() + joined.len() / 5);
    let mut rest = joined.as_str();
    while let Some(start) = rest.find(char::is_alphanumeric) {
        out.push_str(&rest[..start]);
        rest = &rest[start..];
        // A run of letters or of digits: "75Acompañar" is a number and a word.
        // A capital after a small letter starts a word ("delaMarca").
        let digits = rest.starts_with(|c: char| c.is_ascii_digit());
        let mut prev_lower = false;
        let end = rest
            .char_indices()
            .find(|&(_, c)| {
                let cut = !c.is_alphanumeric()
                    || c.is_ascii_digit() != digits
                    || (prev_lower && c.is_uppercase());
                prev_lower = c.is_lowercase();
                cut
            })
            .map_or(rest.len(), |(i, _)| i);
        if !out.is_empty() && !out.ends_with(' ') && out.ends_with(char::is_alphanumeric) {
            out.push(' ');
        }
        out.push_str(&segment(&rest[..end], vocab).join(" "));
        rest = &rest[end..];
    }
    out.push_str(rest);
    out.split(' ').filter(|w| !w.is_empty()).collect::<Vec<_>>().join(" ")
}

/// Repairs the split pages of one document in place, with the vocabulary of its other pages;
/// returns how many were repaired (none when the clean pages are too few to learn words from).
pub(crate) fn repair_split_pages(texts: &mut [String]) -> usize {
    let split: Vec<bool> = texts.iter().map(|t| is_split(t)).collect();
    if !split.contains(&true) {
        return 0;
    }
    let vocab =
        Vocabulary::new(texts.iter().zip(&split).filter(|(_, s)| !**s).map(|(t, _)| t.as_str()));
    if vocab.counts.len() < MIN_VOCABULARY {
        return 0;
    }
    let mut n = 0;
    for (text, _) in texts.iter_mut().zip(&split).filter(|(_, s)| **s) {
        *text = repair(text, &vocab);
        n += 1;
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vocab() -> Vocabulary {
        let clean = "El programa de capacitación en materia de protección de los derechos humanos \
                     en el marco de situaciones de conflictividad social, en coordinación con el \
                     MINJUSDH. Establecer un programa de capacitación para las empresas. ";
        Vocabulary::new(std::iter::once(clean))
    }

    proptest::proptest! {
        /// The words of a segmentation put together give back the run, whatever its letters.
        #[test]
        fn segments_concatenate_to_the_run(run in "[a-zA-ZñÑİß0-9]{0,80}") {
            let v = vocab();
            proptest::prop_assert_eq!(segment(&run, &v).concat(), run);
        }
    }

    #[test]
    fn split_pages_get_their_words_back() {
        let page = "76 Es ta bl ec er u n pr og ra m a de c a- pa ci ta ci ón e n m at er ia d e \
                    pr o- te cc ió n de lo s d er ec ho s h um a- no s e n el m ar co d e sit ua ci \
                    on es de c on fli ct iv id ad so ci al , e n co or di na ci ón c on e l M IN JU \
                    SD H .";
        assert!(is_split(page));
        assert_eq!(
            repair(page, &vocab()),
            "76 Establecer un programa de capacitación en materia de protección de los derechos \
             humanos en el marco de situaciones de conflictividad social , en coordinación con el \
             MINJUSDH ."
        );
    }

    #[test]
    fn ordinary_pages_are_not_split() {
        let page = "El Estado peruano promueve la debida diligencia en las empresas y el acceso a \
                    mecanismos de reparación. Las empresas deben respetar los derechos humanos en \
                    sus operaciones y en sus cadenas de suministro, de acuerdo con los Principios \
                    Rectores de las Naciones Unidas sobre las empresas y los derechos humanos.";
        assert!(!is_split(page));
        let mut pages = vec![page.to_string(); 3];
        assert_eq!(repair_split_pages(&mut pages), 0);
        assert_eq!(pages[0], page);
    }

    #[test]
    fn too_little_clean_text_leaves_split_pages_alone() {
        let split = "Es ta bl ec er u n pr og ra m a de c a- pa ci ta ci ón ".repeat(5);
        let mut pages = vec![split.clone(), "Un programa.".into()];
        assert_eq!(repair_split_pages(&mut pages), 0);
        assert_eq!(pages[0], split);
    }
}
