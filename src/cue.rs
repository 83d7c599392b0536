//! Commitment cues: a case-insensitive regular expression with an exact prefilter for text that
//! is not ASCII. A Unicode word boundary (`\b`) stops the regex crate's fast DFA at the first
//! non-ASCII byte and sends the search to a backtracker, which on German or French sentences is
//! most of the classifier's time. The prefilter is the same pattern with its word boundaries
//! removed and its bounded repetitions unbounded: both only widen the pattern, so where it finds
//! nothing the cue cannot match either, and it runs in the DFA whatever the text. Answers are always the cue's own. A cue is
//! checked when the rules are read and compiled when first used, so that a run pays only for the
//! languages of its documents.

use std::sync::OnceLock;

use regex::{Match, Regex, RegexBuilder};

/// Lazy-DFA cache per cue and thread: the regex crate's default, 2 MiB (8 MiB measured no faster in a
/// run, with the widened prefilters).
const DFA_CACHE: usize = 2 << 20;

/// One cue of the commitment rules.
#[derive(Debug, Clone)]
pub(crate) struct Cue {
    pattern: String,
    /// True when every match is at least one byte long, so that successive matches can be
    /// searched for from the end of the last one.
    nonempty: bool,
    compiled: OnceLock<Compiled>,
}

#[derive(Debug, Clone)]
struct Compiled {
    re: Regex,
    /// The pattern widened (see [`loosened`]); `None` when there is nothing to widen (or a word
    /// boundary could not be taken out safely, inside a character class).
    loose: Option<Regex>,
}

impl Cue {
    /// Checks `pattern` (case-insensitive); it is compiled when first used. The error is the
    /// parser's message.
    pub(crate) fn new(pattern: &str) -> Result<Cue, String> {
        let hir = regex_syntax::ParserBuilder::new()
            .case_insensitive(true)
            .build()
            .parse(pattern)
            .map_err(|e| e.to_string())?;
        let nonempty = hir.properties().minimum_len().is_some_and(|n| n > 0);
        Ok(Cue { pattern: pattern.to_string(), nonempty, compiled: OnceLock::new() })
    }

    /// Compiles the cue now, if it is not yet.
    pub(crate) fn prepare(&self) {
        self.compiled();
    }

    fn compiled(&self) -> &Compiled {
        self.compiled.get_or_init(|| {
            let build = |p: &str| {
                RegexBuilder::new(p).case_insensitive(true).dfa_size_limit(DFA_CACHE).build()
            };
            // The syntax was checked by `new`; only a size limit can fail here.
            let re = build(&self.pattern).unwrap_or_else(|e| {
                panic!("the commitment cue {:?} does not compile: {e}", self.pattern)
            });
            let loose = loosened(&self.pattern).and_then(|p| build(&p).ok());
            Compiled { re, loose }
        })
    }

    /// Where the cue's first match can start at the earliest (`None`: nowhere). Every match of
    /// the cue is one of the prefilter's, so none starts before the prefilter's first.
    fn earliest_start(&self, text: &str) -> Option<usize> {
        match &self.compiled().loose {
            Some(l) if !text.is_ascii() => l.find(text).map(|m| m.start()),
            _ => Some(0),
        }
    }

    /// The cue's leftmost-first match, as [`Regex::find`].
    pub(crate) fn find<'h>(&self, text: &'h str) -> Option<Match<'h>> {
        self.compiled().re.find_at(text, self.earliest_start(text)?)
    }

    /// The cue's successive non-overlapping matches, as [`Regex::find_iter`].
    pub(crate) fn find_iter<'r, 'h>(&'r self, text: &'h str) -> impl Iterator<Item = Match<'h>> + 'r
    where
        'h: 'r,
    {
        let mut from = self.earliest_start(text);
        // A pattern that can match the empty string keeps the regex crate's iteration (it steps
        // over empty matches); the others go on from the end of each match.
        let mut plain = None;
        if !self.nonempty && from.is_some() {
            plain = Some(self.compiled().re.find_iter(text));
            from = None;
        }
        std::iter::from_fn(move || {
            if let Some(it) = &mut plain {
                return it.next();
            }
            let m = self.compiled().re.find_at(text, from?)?;
            from = Some(m.end());
            Some(m)
        })
    }
}

/// `pattern` widened for the prefilter: every `\b` escape removed and every bounded repetition
/// `{m,n}` made `{m,}` (a long bound, `[^.;]{0,160}`, makes the lazy DFA build a state per count).
/// `None` when there is nothing to widen, or a `\b` stands inside a character class (where
/// removing it would narrow the class, not widen the pattern).
fn loosened(pattern: &str) -> Option<String> {
    let mut out = String::with_capacity(pattern.len());
    let mut widened = false;
    let mut depth = 0usize;
    let mut chars = pattern.chars().peekable();
    // True right after a class opens (`[` or `[^`), where a `]` is a literal.
    let mut class_start = false;
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                let next = chars.next();
                if next == Some('b') {
                    if depth > 0 {
                        return None;
                    }
                    widened = true;
                } else {
                    out.push('\\');
                    out.extend(next);
                }
                class_start = false;
                continue;
            }
            '[' => {
                depth += 1;
                out.push(c);
                class_start = true;
                if chars.peek() == Some(&'^') {
                    out.push('^');
                    chars.next();
                }
                continue;
            }
            ']' if depth > 0 && !class_start => depth -= 1,
            '{' if depth == 0 => {
                // A bounded repetition `{m,n}` becomes `{m,}`: a wider pattern still.
                let rest: String = chars.clone().take_while(|&c| c != '}').collect();
                if let Some((m, n)) = rest.split_once(',')
                    && !m.is_empty()
                    && !n.is_empty()
                    && m.bytes().chain(n.bytes()).all(|b| b.is_ascii_digit())
                    && chars.clone().nth(rest.len()) == Some('}')
                {
                    out.push('{');
                    out.push_str(m);
                    out.push_str(",}");
                    // Past the bound (ASCII digits and a comma) and its closing brace.
                    chars.nth(rest.len());
                    widened = true;
                    class_start = false;
                    continue;
                }
            }
            _ => {}
        }
        class_start = false;
        out.push(c);
    }
    widened.then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn word_boundaries_come_out_outside_classes_only() {
        assert_eq!(loosened(r"\b(muss|müssen)\b").as_deref(), Some("(muss|müssen)"));
        assert_eq!(loosened(r"\bzu \w+en\b").as_deref(), Some(r"zu \w+en"));
        assert!(loosened(r"^\W*%").is_none());
        assert!(loosened(r"[\b]x\b").is_none());
        assert_eq!(loosened(r"[]\d]\b").as_deref(), Some(r"[]\d]"));
        assert_eq!(loosened(r"\\b").as_deref(), None);
        // Bounded repetitions lose their upper bound (outside classes).
        assert_eq!(loosened(r"\b(ist)\b[^.;]{0,160}?zu").as_deref(), Some(r"(ist)[^.;]{0,}?zu"));
        assert_eq!(loosened(r"a{2}b{1,3}").as_deref(), Some("a{2}b{1,}"));
        assert!(loosened(r"[{0,3}]x").is_none());
    }

    #[test]
    fn a_cue_answers_as_its_regex() {
        let c = Cue::new(r"\b(daß|muss)\b").unwrap();
        assert_eq!(c.find("Er weiß, daß er muss.").map(|m| m.as_str()), Some("daß"));
        assert_eq!(c.find("Die Maßmuss-Regel").map(|m| m.as_str()), None);
        assert_eq!(c.find_iter("daß, daß; muss").count(), 3);
    }

    proptest! {
        /// The prefilter never hides a match: a cue and its plain regex agree on every text.
        #[test]
        fn cue_agrees_with_its_regex(
            words in proptest::collection::vec(proptest::sample::select(vec![
                "muss", "müssen", "Maß", "daß", "ist", "sind", "zu", "prüfen", "verpflichtet",
                "é", "ß", "kann", "nicht", "-", ",", ".", " ", "über", "zuzuführen", "ſoll", "K",
            ]), 0..14),
            pattern in proptest::sample::select(vec![
                r"\b(muss|müssen)\b",
                r"\b(daß|dass)\b",
                r"\b(ist|sind)\b[^.;]{0,40}?\bzu \w+en\b",
                r"\b\w+(pflichtet|prüfen)\b",
                r"\b(kann|können) (nicht|nur)\b",
                r"(?-i:\b[a-zäöüß]{2,}[a-gi-yäöüß]t\b)",
                r"\bsoll\b",
                r"\bk\b",
                r"\b(ist)?\b",
                r"^\W*",
                r"^\W*(ist|sind)[^,]{0,6}(zu|nicht)",
            ]),
        ) {
            let text = words.concat();
            let cue = Cue::new(pattern).unwrap();
            let re = RegexBuilder::new(pattern).case_insensitive(true).build().unwrap();
            let a: Vec<_> = cue.find_iter(&text).map(|m| m.range()).collect();
            let b: Vec<_> = re.find_iter(&text).map(|m| m.range()).collect();
            prop_assert_eq!(a, b);
            prop_assert_eq!(cue.find(&text).map(|m| m.range()), re.find(&text).map(|m| m.range()));
        }
    }
}
