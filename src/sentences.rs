//! Sentence splitting for en, fr, es and de, keeping byte offsets into the page text. A period,
//! question or exclamation mark ends a sentence when followed by space and an uppercase letter, a
//! digit, a quote or a bracket — unless the word before it is a known abbreviation (`Art.`, `Abs.`,
//! `p. ex.`, `e.g.`, `z. B.`, `núm.`), an initial, or an ordinal number followed by a lowercase word
//! (`1. Januar`). Blank lines and list items (`(a)`, `1.`, `•`) also start a sentence.

/// A sentence: byte range in the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Span {
    /// Start (byte offset).
    pub start: usize,
    /// End (byte offset, exclusive).
    pub end: usize,
}

const ABBREVIATIONS: &[&str] = &[
    // English
    "art", "arts", "para", "paras", "no", "nos", "e.g", "i.e", "etc", "cf", "vol", "p", "pp", "ch",
    "mr", "mrs", "ms", "dr", "st", "co", "inc", "ltd", "fig", "eds", "ed", "op", "cit", "approx",
    "ibid", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    "u.s", "u.k", "e.u", "seq", // French
    "ex", "mme", "mlle", "m", "cf", "al", "chap", "n°", "nº", "éd", "env", "hab",
    // Spanish
    "núm", "pág", "págs", "sr", "sra", "sres", "dña", "d", "ee.uu", "ud", "uds", "vid",
    // German
    "abs", "nr", "s", "vgl", "bzw", "z", "b", "z.b", "u.a", "d.h", "ggf", "gem", "lit", "buchst",
    "satz", "anh", "bsp", "ca", "evtl", "inkl", "zzgl", "usw", "sog", "bgbl", "i", "v", "f", "ff",
    "rn", "abschn", "kap",
];

fn is_abbreviation(word: &str) -> bool {
    let w = word.trim_start_matches(|c: char| !c.is_alphanumeric()).to_lowercase();
    if w.chars().count() == 1 && w.chars().all(char::is_alphabetic) {
        return true; // an initial or a list letter
    }
    ABBREVIATIONS.contains(&w.as_str())
}

const MONTHS: &[&str] = &[
    "januar",
    "februar",
    "märz",
    "april",
    "mai",
    "juni",
    "juli",
    "august",
    "september",
    "oktober",
    "november",
    "dezember",
    "jänner",
    "january",
    "february",
    "march",
    "may",
    "june",
    "july",
    "october",
    "december",
];

fn starts_with_month(rest: &str) -> bool {
    let word: String =
        rest.chars().take_while(|c| c.is_alphabetic()).collect::<String>().to_lowercase();
    MONTHS.contains(&word.as_str())
}

fn starts_list_item(line: &str) -> bool {
    let t = line.trim_start();
    let mut chars = t.chars();
    match chars.next() {
        Some('•' | '–' | '—' | '-' | '▪' | '●' | '*') => {
            t.chars().nth(1).is_some_and(char::is_whitespace)
        }
        Some('(') => {
            let inner: String = t[1..].chars().take_while(|&c| c != ')').collect();
            !inner.is_empty()
                && inner.len() <= 5
                && inner.chars().all(char::is_alphanumeric)
                && t[1 + inner.len()..].starts_with(')')
        }
        Some(c) if c.is_ascii_digit() || c.is_ascii_lowercase() => {
            let head: String = t.chars().take_while(|c| c.is_ascii_alphanumeric()).collect();
            let rest = &t[head.len()..];
            head.len() <= 3
                && (rest.starts_with(") ")
                    || (rest.starts_with(". ") && head.chars().all(|c| c.is_ascii_digit())))
        }
        _ => false,
    }
}

/// Splits `text` into sentences (trimmed, never empty).
pub(crate) fn split(text: &str) -> Vec<Span> {
    let mut cuts: Vec<usize> = vec![0];
    let bytes = text.as_bytes();
    // Line-level boundaries: blank lines and list items.
    let mut pos = 0;
    let mut prev_blank = false;
    for line in text.split('\n') {
        let blank = line.trim().is_empty();
        if pos > 0 && (prev_blank || starts_list_item(line)) && !blank {
            cuts.push(pos);
        }
        prev_blank = blank;
        pos += line.len() + 1;
    }
    // Punctuation boundaries.
    for (i, c) in text.char_indices() {
        if !matches!(c, '.' | '?' | '!') {
            continue;
        }
        let after = &text[i + 1..];
        let mut rest = after.trim_start_matches(['"', '”', '’', '»', ')']);
        let closing = after.len() - rest.len();
        if !rest.starts_with(char::is_whitespace) {
            continue;
        }
        rest = rest.trim_start();
        let Some(next) = rest.chars().next() else { continue };
        let opens = next.is_uppercase()
            || next.is_ascii_digit()
            || matches!(next, '"' | '“' | '«' | '(' | '‘' | '¿' | '¡' | '§' | '#');
        if !opens {
            continue;
        }
        if c == '.' {
            let word_start =
                text[..i].rfind(|ch: char| ch.is_whitespace() || ch == '(').map_or(0, |p| p + 1);
            let word = &text[word_start..i];
            if is_abbreviation(word) {
                continue;
            }
            // `1. Januar`, `Art. 5`, `3. das Verbot`: a number followed by a period.
            if !word.is_empty()
                && word.chars().all(|ch| ch.is_ascii_digit())
                && word.len() <= 3
                && (next.is_ascii_digit() || next.is_lowercase() || starts_with_month(rest))
            {
                continue;
            }
        }
        let cut = i + 1 + closing;
        if cut < bytes.len() {
            cuts.push(cut);
        }
    }
    cuts.sort_unstable();
    cuts.dedup();
    cuts.push(text.len());
    let mut out = Vec::new();
    for w in cuts.windows(2) {
        let (a, b) = (w[0], w[1]);
        let s = &text[a..b];
        let lead = s.len() - s.trim_start().len();
        let trail = s.len() - s.trim_end().len();
        if a + lead < b - trail {
            out.push(Span { start: a + lead, end: b - trail });
        }
    }
    out
}

/// The sentence that contains byte offset `at`.
pub(crate) fn containing(spans: &[Span], at: usize) -> Option<Span> {
    let i = spans.partition_point(|s| s.end <= at);
    spans.get(i).copied().filter(|s| s.start <= at)
}

/// The sentence that contains byte offset `at`: the same as `containing(&split(text), at)`, but
/// splitting only whole lines around `at`, a window grown until the sentence lies strictly inside
/// it, so that the cost does not grow with the page. Every boundary rule looks at most at the
/// line before and the word before a period, and past its whitespace to the next character, so
/// a boundary inside the window, away from its ends, is decided as on the whole page.
#[cfg(test)]
pub(crate) fn sentence_at(text: &str, at: usize) -> Option<Span> {
    sentence_in_window(text, at, 1024, usize::MAX)
}

/// Longest sentence napscan reports, in bytes: a run-on "sentence" (a table or a list with no
/// full stop, which law texts have) is cut to this much text around the offset asked for, so
/// that evidence rows stay readable and the classifier's cost does not grow with the page.
pub(crate) const MAX_SENTENCE: usize = 2048;

/// [`sentence_at`], but a sentence longer than [`MAX_SENTENCE`] is cut to about that many bytes
/// around `at` (at whitespace), and the search never looks further than that.
pub(crate) fn sentence_near(text: &str, at: usize) -> Option<Span> {
    sentence_in_window(text, at, 1024, MAX_SENTENCE * 4).map(|s| clamp(text, s, at))
}

/// The sentences of one page, looked up by offset: a short page is split once, on a long one (a
/// whole law as one Markdown page) each sentence is found in a window around the offset; either
/// way a sentence is cut to [`MAX_SENTENCE`] bytes around the offset.
pub(crate) struct PageSentences<'a> {
    text: &'a str,
    spans: Option<Vec<Span>>,
}

impl<'a> PageSentences<'a> {
    /// Pages up to this many bytes are split whole.
    const WHOLE: usize = 8192;

    /// Sentences of `text`, split only when first asked for.
    pub(crate) fn new(text: &'a str) -> PageSentences<'a> {
        PageSentences { text, spans: None }
    }

    /// The (possibly cut) sentence that holds byte offset `at`.
    pub(crate) fn at(&mut self, at: usize) -> Option<Span> {
        let text = self.text;
        if text.len() <= Self::WHOLE {
            let spans = self.spans.get_or_insert_with(|| split(text));
            containing(spans, at).map(|s| clamp(text, s, at))
        } else {
            sentence_near(text, at)
        }
    }
}

/// Cuts `span` to at most [`MAX_SENTENCE`] bytes around `at`, at whitespace where there is some.
pub(crate) fn clamp(text: &str, span: Span, at: usize) -> Span {
    if span.end - span.start <= MAX_SENTENCE {
        return span;
    }
    let half = MAX_SENTENCE / 2;
    let mut start = at.saturating_sub(half).max(span.start);
    while !text.is_char_boundary(start) {
        start += 1;
    }
    if let Some(p) = text[start..at.max(start)].find(char::is_whitespace) {
        start += p + 1;
    }
    let mut end = (at + half).min(span.end).max(start);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    if let Some(p) = text[at.clamp(start, end)..end].rfind(char::is_whitespace) {
        end = at.clamp(start, end) + p;
    }
    Span { start, end: end.max(start) }
}

/// How far past its window [`sentence_in_window`] follows a line to its end.
const LINE_SLACK: usize = 4096;

/// [`sentence_at`] with the first window reaching `radius` bytes each side; past `max_radius`
/// the window itself is returned.
fn sentence_in_window(text: &str, at: usize, mut radius: usize, max_radius: usize) -> Option<Span> {
    loop {
        // Line boundaries, searched in bytes (a newline is never inside a UTF-8 sequence).
        // A line that runs on far past the window (a page with no line break) is cut, at a
        // character boundary, `LINE_SLACK` bytes beyond it: without the cut every lookup split
        // the whole line, quadratic in its length (47 s for one 430 KB line with 28,000 hits).
        let bytes = text.as_bytes();
        let from = at.saturating_sub(radius);
        let floor = from.saturating_sub(LINE_SLACK);
        let lo = bytes[floor..from].iter().rposition(|&b| b == b'\n');
        let lo = match lo {
            Some(p) => floor + p + 1,
            None if floor == 0 => 0,
            None => (floor..from).find(|&i| text.is_char_boundary(i)).unwrap_or(from),
        };
        let to = (at + radius).min(text.len());
        let ceil = (to + LINE_SLACK).min(text.len());
        let hi = match bytes[to..ceil].iter().position(|&b| b == b'\n') {
            Some(p) => to + p,
            None if ceil == text.len() => text.len(),
            None => (to..=ceil).rev().find(|&i| text.is_char_boundary(i)).unwrap_or(to),
        };
        let spans = split(&text[lo..hi]);
        let i = spans.partition_point(|s| s.end <= at - lo);
        let inside = (i > 0 || lo == 0) && (i + 1 < spans.len() || hi == text.len());
        if inside || (lo == 0 && hi == text.len()) {
            return spans
                .get(i)
                .filter(|s| s.start <= at - lo)
                .map(|s| Span { start: s.start + lo, end: s.end + lo });
        }
        if radius >= max_radius {
            return Some(Span { start: lo, end: hi });
        }
        radius *= 4;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn run_on_sentences_are_cut_around_the_offset() {
        let text = "wort ".repeat(100_000);
        let at = text.len() / 2;
        let s = sentence_near(&text, at).unwrap();
        assert!(s.start <= at && at <= s.end, "{s:?}");
        assert!(s.end - s.start <= MAX_SENTENCE, "{s:?}");
        assert!(text[s.start..s.end].starts_with("wort"), "{:?}", &text[s.start..s.start + 8]);
        let short = "Die Pflicht gilt. Sie gilt immer.";
        assert_eq!(sentence_near(short, 20), sentence_at(short, 20));
    }

    #[test]
    fn a_page_long_line_is_looked_up_in_a_window_with_the_same_sentences() {
        // One line of 1 MB: the window is cut inside the line, and finds what a whole split finds.
        let text = "Die Pflicht gilt für Unternehmen. Sie berichten jährlich! ".repeat(18_000);
        let spans = split(&text);
        for at in [0, 1, text.len() / 3, text.len() / 2 + 7, text.len() - 2] {
            assert_eq!(sentence_near(&text, at), containing(&spans, at), "at {at}");
        }
    }

    proptest::proptest! {
        /// The windowed lookup finds the sentence a split of the whole page gives.
        #[test]
        fn sentence_at_agrees_with_split(words in proptest::collection::vec(proptest::sample::select(vec![
            "Art.", "5", "Abs.", "1.", "Januar", "(a)", "(b)", "shall", "report", "The", "State.", "Sie",
            "müssen.", "e.g.", "z.", "B.", "§", "\n", "\n\n", "•", "Risk?", "»Ja.«", "1.", "der", "Due",
            "diligence", "applies!", "Mr.", "Smith", "2024.", "Die", "Pflicht", "gilt.", " ",
        ]), 0..300)) {
            let text = words.join(" ");
            let spans = split(&text);
            for (at, _) in text.char_indices().step_by(7) {
                let expected = containing(&spans, at);
                proptest::prop_assert_eq!(sentence_at(&text, at), expected);
                // Small windows, to exercise the growing.
                proptest::prop_assert_eq!(sentence_in_window(&text, at, 8, usize::MAX), expected);
            }
        }
    }

    fn texts(t: &str) -> Vec<&str> {
        split(t).into_iter().map(|s| &t[s.start..s.end]).collect()
    }

    #[test]
    fn abbreviations_and_numbers() {
        assert_eq!(
            texts("Nach Art. 5 Abs. 2 gilt dies. Am 1. Januar 2023 tritt es in Kraft."),
            ["Nach Art. 5 Abs. 2 gilt dies.", "Am 1. Januar 2023 tritt es in Kraft."]
        );
        assert_eq!(
            texts("Les sociétés, p. ex. les filiales, sont visées. Elles publient le plan."),
            ["Les sociétés, p. ex. les filiales, sont visées.", "Elles publient le plan."]
        );
        assert_eq!(
            texts("See e.g. Article 3. The State shall act."),
            ["See e.g. Article 3.", "The State shall act."]
        );
        assert_eq!(
            texts("El art. 5 del Reglamento. Según el núm. 3 se aplica."),
            ["El art. 5 del Reglamento.", "Según el núm. 3 se aplica."]
        );
    }

    #[test]
    fn list_items_and_blank_lines() {
        let t = "Providers shall:\n(a) keep logs;\n(b) report incidents.\n\nNew paragraph here";
        assert_eq!(
            texts(t),
            ["Providers shall:", "(a) keep logs;", "(b) report incidents.", "New paragraph here"]
        );
        let spans = split(t);
        assert_eq!(
            containing(&spans, t.find("logs").unwrap()).map(|s| &t[s.start..s.end]),
            Some("(a) keep logs;")
        );
    }
}
