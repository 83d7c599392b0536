//! Full-text search over the page index: tantivy's query syntax (phrases in quotes, AND/OR/NOT,
//! `field:value`) parsed against every language's text field, so a query is stemmed the way each
//! language's pages were; filters by country, type, language, year range, concept and commitment;
//! hits with page numbers and a snippet whose matched words are marked.

use std::collections::BTreeSet;
use std::ops::Bound;

use tantivy::collector::TopDocs;

use tantivy::query::{BooleanQuery, Occur, Query, QueryParser, RangeQuery, TermQuery};
use tantivy::schema::{Field, IndexRecordOption, Value};
use tantivy::{TantivyDocument, Term};

use crate::analyzer::Analyzer;
use crate::error::Error;
use crate::index::{PageIndex, lang_key};

/// What to search for.
#[derive(Debug, Clone, Default)]
pub struct SearchOptions {
    /// The query, in tantivy's syntax.
    pub query: String,
    /// Only these countries (any of).
    pub countries: Vec<String>,
    /// Only these document types.
    pub doc_types: Vec<String>,
    /// Only these languages.
    pub langs: Vec<String>,
    /// Only years in this inclusive range.
    pub years: Option<(u16, u16)>,
    /// Only pages flagged for one of these concepts.
    pub concepts: Vec<String>,
    /// Only pages with evidence of one of these commitment labels.
    pub commitments: Vec<String>,
    /// At most this many hits.
    pub limit: usize,
}

/// One page that matches.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct SearchHit {
    /// Document.
    pub doc_id: String,
    /// Physical page.
    pub page: u32,
    /// Printed page label.
    pub page_label: String,
    /// Country.
    pub country: String,
    /// Year.
    pub year: u16,
    /// Document type.
    pub doc_type: String,
    /// Language.
    pub lang: String,
    /// Title.
    pub title: String,
    /// BM25 score.
    pub score: f32,
    /// True when the page's text comes from OCR.
    pub ocr: bool,
    /// The passage, with matched words between `**` markers.
    pub snippet: String,
    /// The passage without markers.
    #[serde(skip)]
    pub fragment: String,
    /// Byte ranges of the matched words in `fragment`.
    #[serde(skip)]
    pub highlights: Vec<(usize, usize)>,
}

fn err(index: &PageIndex, e: impl std::fmt::Display) -> Error {
    Error::Index { path: index.path.clone(), msg: e.to_string() }
}

/// Parses a year range: `2017`, `2015..2020`, `2015..`, `..2020`.
pub fn parse_years(s: &str) -> Result<(u16, u16), String> {
    let bad = || format!("invalid year range `{s}` (use 2017, 2015..2020, 2015.. or ..2020)");
    let year = |t: &str, d: u16| {
        if t.is_empty() { Ok(d) } else { t.trim().parse::<u16>().map_err(|_| bad()) }
    };
    match s.split_once("..") {
        Some((a, b)) => Ok((year(a, 0)?, year(b, u16::MAX)?)),
        None => {
            let y = year(s, 0)?;
            Ok((y, y))
        }
    }
}

fn any_of(field: Field, values: &[String]) -> Option<Box<dyn Query>> {
    if values.is_empty() {
        return None;
    }
    let qs: Vec<(Occur, Box<dyn Query>)> = values
        .iter()
        .map(|v| {
            let q: Box<dyn Query> =
                Box::new(TermQuery::new(Term::from_field_text(field, v), IndexRecordOption::Basic));
            (Occur::Should, q)
        })
        .collect();
    Some(Box::new(BooleanQuery::new(qs)))
}

/// Rewrites `a AND NOT b` as `a NOT b` outside quoted phrases: tantivy's grammar reads `NOT` as an
/// operator only where it starts a clause, and `AND NOT` made it a word that matched nothing (so
/// `vigilance AND NOT xyzzy` found no page and `x AND NOT y country:FRA` ignored the words).
fn normalize_operators(q: &str) -> String {
    static AND_NOT: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r"\bAND\s+NOT\b").expect("valid operator pattern")
    });
    q.split('"')
        .enumerate()
        .map(|(i, part)| {
            if i % 2 == 1 {
                part.to_string()
            } else {
                AND_NOT.replace_all(part, "NOT").into_owned()
            }
        })
        .collect::<Vec<_>>()
        .join("\"")
}

/// Rewrites every prefix term (`remed*`, `-Sorgfalt*`: outside quotes, without a field, one `*`
/// at the end) with `f`, which gets the prefix without its `*` and returns the replacement (the
/// sign is kept in front of it).
fn map_prefixes(q: &str, mut f: impl FnMut(&str) -> String) -> String {
    let mut out = String::with_capacity(q.len() + 16);
    let mut word = String::new();
    let mut in_quote = false;
    let mut flush = |word: &mut String, out: &mut String| {
        let core = word.trim_start_matches(['+', '-']);
        let stem = core.strip_suffix('*').unwrap_or("");
        if !stem.is_empty() && !stem.contains([':', '*']) {
            out.push_str(&word[..word.len() - core.len()]);
            out.push_str(&f(stem));
        } else {
            out.push_str(word);
        }
        word.clear();
    };
    for c in q.chars() {
        if c == '"' {
            flush(&mut word, &mut out);
            in_quote = !in_quote;
            out.push(c);
        } else if in_quote {
            out.push(c);
        } else if c.is_whitespace() || c == '(' || c == ')' {
            flush(&mut word, &mut out);
            out.push(c);
        } else {
            word.push(c);
        }
    }
    flush(&mut word, &mut out);
    out
}

/// Words a prefix expands to at most (the most frequent are not preferred: the first in order).
pub const MAX_PREFIX_WORDS: usize = 1000;

/// Expands every prefix term into the words of the index that begin with it, read from the
/// `words` field (folded, unstemmed): `remed*` becomes `(words:remedy OR words:remedies …)`.
/// Against the stemmed text fields a prefix matched stems, so `remed*` found nothing (the stem of
/// *remedy* is `remedi`) and `vigilan*` missed *vigilance* (stem `vigil`); this way a prefix
/// matches the words it begins, in every language, as `kwic` does.
fn expand_prefixes(index: &PageIndex, q: &str) -> Result<String, Error> {
    let searcher = index.searcher()?;
    let field = index.fields.words;
    let mut failed = None;
    let out = map_prefixes(q, |prefix| {
        let p = crate::analyzer::fold(&prefix.to_lowercase());
        let mut words = std::collections::BTreeSet::new();
        for seg in searcher.segment_readers() {
            let ii = match seg.inverted_index(field) {
                Ok(ii) => ii,
                Err(e) => {
                    failed = Some(err(index, e));
                    break;
                }
            };
            let mut stream = match ii.terms().range().ge(p.as_bytes()).into_stream() {
                Ok(s) => s,
                Err(e) => {
                    failed = Some(err(index, e));
                    break;
                }
            };
            while stream.advance() && words.len() < MAX_PREFIX_WORDS {
                let Ok(w) = std::str::from_utf8(stream.key()) else { continue };
                if !w.starts_with(&p) {
                    break;
                }
                words.insert(w.to_string());
            }
        }
        if words.is_empty() {
            // Matches nothing, as a word that is not in the index does.
            return format!("words:{p}");
        }
        let alts: Vec<String> = words.iter().map(|w| format!("words:{w}")).collect();
        format!("({})", alts.join(" OR "))
    });
    match failed {
        Some(e) => Err(e),
        None => Ok(out),
    }
}

#[cfg(test)]
#[test]
fn prefix_terms_are_found_outside_phrases_and_fields() {
    let star = |q: &str| map_prefixes(q, |p| format!("<{p}>"));
    assert_eq!(star("remed*"), "<remed>");
    assert_eq!(
        star("(vigilan* OR Sorgfalt*) -sustainab*"),
        "(<vigilan> OR <Sorgfalt>) -<sustainab>"
    );
    assert_eq!(star("\"remed* here\" title:x* a*b"), "\"remed* here\" title:x* a*b");
    assert_eq!(star("* plain **"), "* plain **");
}

#[cfg(test)]
#[test]
fn and_not_is_an_operator_outside_phrases() {
    assert_eq!(normalize_operators("vigilance AND NOT xyzzy"), "vigilance NOT xyzzy");
    assert_eq!(
        normalize_operators("\"AND NOT\" AND NOT devoir country:FRA"),
        "\"AND NOT\" NOT devoir country:FRA"
    );
    assert_eq!(normalize_operators("ANDNOT NOTE"), "ANDNOT NOTE");
}

/// Builds the full query (text query and filters).
pub fn build_query(index: &PageIndex, opts: &SearchOptions) -> Result<Box<dyn Query>, Error> {
    let f = &index.fields;
    let mut parser = QueryParser::for_index(&index.index, f.body.values().copied().collect());
    parser.set_conjunction_by_default();
    let text = parser
        .parse_query(&expand_prefixes(index, &normalize_operators(&opts.query))?)
        .map_err(|e| Error::Other(format!("invalid query `{}`: {e}", opts.query)))?;
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, text)];
    let upper = |v: &[String]| v.iter().map(|s| s.to_uppercase()).collect::<Vec<_>>();
    let lower = |v: &[String]| v.iter().map(|s| s.to_lowercase()).collect::<Vec<_>>();
    for q in [
        any_of(f.country, &upper(&opts.countries)),
        any_of(f.doc_type, &lower(&opts.doc_types)),
        any_of(f.lang, &lower(&opts.langs)),
        any_of(f.concept, &opts.concepts),
        any_of(f.commitment, &lower(&opts.commitments)),
    ]
    .into_iter()
    .flatten()
    {
        clauses.push((Occur::Must, q));
    }
    if let Some((a, b)) = opts.years {
        let q = RangeQuery::new(
            Bound::Included(Term::from_field_u64(f.year, u64::from(a))),
            Bound::Included(Term::from_field_u64(f.year, u64::from(b))),
        );
        clauses.push((Occur::Must, Box::new(q)));
    }
    Ok(Box::new(BooleanQuery::new(clauses)))
}

/// The pages a search returns, and how many match in all.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Results {
    /// The best `limit` pages, best first.
    pub hits: Vec<SearchHit>,
    /// Pages that match in all (more than `hits` when the list was cut at the limit).
    pub total: usize,
}

/// Runs a search; the best `opts.limit` pages.
pub fn search(index: &PageIndex, opts: &SearchOptions) -> Result<Vec<SearchHit>, Error> {
    search_all(index, opts).map(|r| r.hits)
}

/// Checks a query's quotes and parentheses, so that an error points at the problem instead of
/// echoing the query.
pub fn check_syntax(q: &str) -> Result<(), String> {
    let mut open_quote = None;
    let mut parens: Vec<usize> = Vec::new();
    for (i, c) in q.chars().enumerate() {
        match c {
            '"' => open_quote = if open_quote.is_some() { None } else { Some(i) },
            _ if open_quote.is_some() => {}
            '(' => parens.push(i),
            ')' if parens.pop().is_none() => {
                return Err(format!(
                    "unbalanced parenthesis: the `)` at character {} closes nothing",
                    i + 1
                ));
            }
            _ => {}
        }
    }
    if let Some(i) = open_quote {
        let phrase: String = q.chars().skip(i).take(40).collect();
        return Err(format!(
            "unbalanced quote: the phrase {phrase} (from character {}) has no closing \"",
            i + 1
        ));
    }
    if let Some(i) = parens.pop() {
        return Err(format!(
            "unbalanced parenthesis: the `(` at character {} is never closed",
            i + 1
        ));
    }
    Ok(())
}

/// The values a raw field holds in the index (countries, types, languages, concepts).
fn field_values(index: &PageIndex, field: Field) -> Result<BTreeSet<String>, Error> {
    let searcher = index.searcher()?;
    let mut out = BTreeSet::new();
    for seg in searcher.segment_readers() {
        let ii = seg.inverted_index(field).map_err(|e| err(index, e))?;
        let mut stream = ii.terms().stream().map_err(|e| err(index, e))?;
        while stream.advance() {
            if let Ok(v) = std::str::from_utf8(stream.key()) {
                out.insert(v.to_string());
            }
        }
    }
    Ok(out)
}

/// Unknown filter values are errors that list the valid ones (they used to find "no page").
fn check_filters(index: &PageIndex, opts: &SearchOptions) -> Result<(), Error> {
    let f = &index.fields;
    let check = |what: &str, given: &[String], valid: &BTreeSet<String>| -> Result<(), Error> {
        match given.iter().find(|g| !valid.contains(*g)) {
            None => Ok(()),
            Some(g) => Err(Error::Other(format!(
                "unknown {what} `{g}`: {}",
                if valid.is_empty() {
                    "the index has none".to_string()
                } else {
                    format!(
                        "the index has {}",
                        valid.iter().cloned().collect::<Vec<_>>().join(", ")
                    )
                }
            ))),
        }
    };
    let up = |v: &[String]| v.iter().map(|s| s.to_uppercase()).collect::<Vec<_>>();
    let low = |v: &[String]| v.iter().map(|s| s.to_lowercase()).collect::<Vec<_>>();
    if !opts.countries.is_empty() {
        check("country", &up(&opts.countries), &field_values(index, f.country)?)?;
    }
    if !opts.doc_types.is_empty() {
        check("document type", &low(&opts.doc_types), &field_values(index, f.doc_type)?)?;
    }
    if !opts.langs.is_empty() {
        check("language", &low(&opts.langs), &field_values(index, f.lang)?)?;
    }
    if !opts.concepts.is_empty() {
        // The built-in lexicon's ids (parsed once per process), and whatever else the index holds.
        static BUILTIN_IDS: std::sync::LazyLock<Vec<String>> = std::sync::LazyLock::new(|| {
            crate::lexicon::Lexicon::builtin().concepts.into_iter().map(|c| c.id).collect()
        });
        let mut valid = field_values(index, f.concept)?;
        valid.extend(BUILTIN_IDS.iter().cloned());
        check("concept", &opts.concepts, &valid)?;
    }
    let labels: BTreeSet<String> =
        ["mandatory", "voluntary", "none"].iter().map(|s| s.to_string()).collect();
    check("commitment label", &low(&opts.commitments), &labels)
}

/// Runs a search: the best `opts.limit` pages, and how many match in all.
pub fn search_all(index: &PageIndex, opts: &SearchOptions) -> Result<Results, Error> {
    check_syntax(&opts.query)
        .map_err(|e| Error::Other(format!("invalid query `{}`: {e}", opts.query)))?;
    check_filters(index, opts)?;
    let query = build_query(index, opts)?;
    let searcher = index.searcher()?;
    let (top, total) = searcher
        .search(&query, &(TopDocs::with_limit(opts.limit.max(1)), tantivy::collector::Count))
        .map_err(|e| err(index, e))?;
    let f = &index.fields;
    let terms = QueryTerms::parse(&opts.query);
    let mut hits = Vec::with_capacity(top.len());
    for (score, addr) in top {
        let doc: TantivyDocument = searcher.doc(addr).map_err(|e| err(index, e))?;
        let s =
            |field: Field| doc.get_first(field).and_then(|v| v.as_str()).unwrap_or("").to_string();
        let n = |field: Field| doc.get_first(field).and_then(|v| v.as_u64()).unwrap_or(0);
        let lang = s(f.lang);
        let text = s(f.text);
        let (fragment, highlights) = crate::flag::with_analyzer(lang_key(&lang), |a| {
            snippet(a, &terms, &text, SNIPPET_CHARS)
        });
        hits.push(SearchHit {
            doc_id: s(f.doc_id),
            page: n(f.page) as u32,
            page_label: s(f.page_label),
            country: s(f.country),
            year: n(f.year) as u16,
            doc_type: s(f.doc_type),
            lang,
            title: s(f.title),
            score,
            ocr: s(f.source) == "ocr",
            snippet: mark(&fragment, &highlights, "**", "**"),
            fragment,
            highlights,
        });
    }
    Ok(Results { hits, total })
}

/// Characters in a search snippet (about).
pub const SNIPPET_CHARS: usize = 220;

/// The words and quoted phrases of a query (operators, `field:value` and negated parts left out),
/// for highlighting.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct QueryTerms {
    /// Each phrase (a single word is a phrase of one).
    pub phrases: Vec<String>,
}

impl QueryTerms {
    /// Extracts the positive words and phrases of a query.
    pub fn parse(query: &str) -> QueryTerms {
        let mut phrases = Vec::new();
        let mut rest = query;
        let mut negate_next = false;
        while !rest.is_empty() {
            rest = rest.trim_start();
            if let Some(r) = rest.strip_prefix('"') {
                let end = r.find('"').unwrap_or(r.len());
                if !negate_next {
                    phrases.push(r[..end].to_string());
                }
                negate_next = false;
                rest = r.get(end + 1..).unwrap_or("");
                continue;
            }
            let end = rest.find(|c: char| c.is_whitespace() || c == '"').unwrap_or(rest.len());
            let word = &rest[..end];
            rest = &rest[end..];
            match word {
                "AND" | "OR" | "" => {}
                "NOT" => negate_next = true,
                w if w.starts_with('-') => {}
                w if w.contains(':') => negate_next = false,
                w => {
                    if !negate_next {
                        phrases.push(w.trim_start_matches('+').to_string());
                    }
                    negate_next = false;
                }
            }
        }
        QueryTerms { phrases }
    }
}

/// Bytes of context analysed around each candidate place of a snippet.
const WINDOW: usize = 600;

/// Where the query's words may stand: windows around case-insensitive matches of each word's first
/// letters (a cheap pre-filter, so that a long page is not analysed whole), merged; the whole text
/// (up to 256 KB) when nothing matches.
fn candidate_windows(terms: &QueryTerms, text: &str) -> Vec<(usize, usize)> {
    let prefixes: Vec<String> = terms
        .phrases
        .iter()
        .filter_map(|p| p.split(|c: char| !c.is_alphanumeric()).find(|w| !w.is_empty()))
        .map(|w| w.chars().take(4).collect::<String>().to_lowercase())
        .collect();
    let mut wins: Vec<(usize, usize)> = Vec::new();
    if let Ok(ac) =
        aho_corasick::AhoCorasick::builder().ascii_case_insensitive(true).build(&prefixes)
    {
        for m in ac.find_iter(text).take(200) {
            let a = floor_boundary(text, m.start().saturating_sub(WINDOW / 3));
            let b = floor_boundary(text, (m.start() + WINDOW).min(text.len()));
            match wins.last_mut() {
                Some(last) if a <= last.1 => last.1 = last.1.max(b),
                _ => wins.push((a, b)),
            }
        }
    }
    if wins.is_empty() {
        wins.push((0, floor_boundary(text, text.len().min(256 * 1024))));
    }
    wins
}

fn floor_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// A snippet of about `chars` characters around the best place of `text` for `terms`: the first
/// occurrence of a phrase if any, else the densest cluster of words; returns the fragment and the
/// byte ranges (in the fragment) of the matched tokens.
pub fn snippet(
    analyzer: &mut Analyzer,
    terms: &QueryTerms,
    text: &str,
    chars: usize,
) -> (String, Vec<(usize, usize)>) {
    let stems: Vec<Vec<String>> = terms
        .phrases
        .iter()
        .map(|p| {
            let a = analyzer.analyze(p);
            (0..a.len()).map(|i| a.stem(i).to_string()).collect::<Vec<_>>()
        })
        .filter(|v| !v.is_empty())
        .collect();
    // Words that cannot have one of the query's stems are not stemmed (see `StemFilter`).
    let mut filter = crate::analyzer::StemFilter::default();
    stems.iter().flatten().for_each(|s| filter.add(s));
    // Every occurrence of every phrase: its tokens' byte ranges in `text`.
    let mut occ: Vec<Vec<(usize, usize)>> = Vec::new();
    let mut an = crate::analyzer::Analyzed::default();
    for (ws, we) in candidate_windows(terms, text) {
        analyzer.analyze_filtered(&text[ws..we], &mut an, Some(&filter));
        for i in 0..an.len() {
            for p in &stems {
                if i + p.len() <= an.len() && p.iter().enumerate().all(|(k, s)| an.stem(i + k) == s)
                {
                    occ.push(
                        an.tokens[i..i + p.len()]
                            .iter()
                            .map(|t| (ws + t.start as usize, ws + t.end as usize))
                            .collect(),
                    );
                }
            }
        }
    }
    occ.sort();
    occ.dedup();
    let center = occ.iter().find(|o| o.len() > 1).map(|o| o[0].0).or_else(|| {
        // The occurrence with the most others within 150 bytes.
        occ.iter()
            .map(|o| (occ.iter().filter(|p| p[0].0.abs_diff(o[0].0) <= 150).count(), o[0].0))
            .max_by_key(|x| (x.0, std::cmp::Reverse(x.1)))
            .map(|x| x.1)
    });
    let Some(mid) = center else {
        let end = text.char_indices().nth(chars).map_or(text.len(), |(i, _)| i);
        return (text[..end].to_string(), Vec::new());
    };
    let start = text[..mid].char_indices().rev().nth(chars / 3).map_or(0, |(i, _)| i);
    let start = text[start..]
        .find(char::is_whitespace)
        .filter(|_| start > 0)
        .map_or(start, |w| start + w + 1);
    let end = text[start..].char_indices().nth(chars).map_or(text.len(), |(i, _)| start + i);
    let end = if end < text.len() {
        text[..end].rfind(char::is_whitespace).filter(|&e| e > mid).unwrap_or(end)
    } else {
        end
    };
    let mut ranges: Vec<(usize, usize)> = occ
        .iter()
        .flatten()
        .filter(|&&(a, b)| a >= start && b <= end)
        .map(|&(a, b)| (a - start, b - start))
        .collect();
    ranges.sort_unstable();
    ranges.dedup();
    (text[start..end].to_string(), ranges)
}

/// The fragment with each highlighted range wrapped in `open`/`close`, on one line.
pub fn mark(fragment: &str, ranges: &[(usize, usize)], open: &str, close: &str) -> String {
    let mut out = String::with_capacity(fragment.len() + ranges.len() * 4);
    let mut last = 0;
    for &(a, b) in ranges {
        if a < last || b > fragment.len() {
            continue;
        }
        out.push_str(&fragment[last..a]);
        out.push_str(open);
        out.push_str(&fragment[a..b]);
        out.push_str(close);
        last = b;
    }
    out.push_str(&fragment[last..]);
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn years_and_marks() {
        assert_eq!(parse_years("2015..2020"), Ok((2015, 2020)));
        assert_eq!(parse_years("2017"), Ok((2017, 2017)));
        assert_eq!(parse_years("..2020"), Ok((0, 2020)));
        assert!(parse_years("x..y").is_err());
        assert_eq!(
            mark("a due  diligence\nb", &[(2, 5), (7, 16)], "[", "]"),
            "a [due] [diligence] b"
        );
    }

    #[test]
    fn query_terms_and_snippets() {
        let q =
            QueryTerms::parse("\"devoir de vigilance\" AND entreprises NOT banque -x country:FRA");
        assert_eq!(q.phrases, ["devoir de vigilance", "entreprises"]);
        let mut a = Analyzer::new("fr");
        let text =
            "Les entreprises ont des obligations. Le devoir de vigilance des sociétés mères.";
        let (frag, ranges) = snippet(&mut a, &q, text, 200);
        let marked = mark(&frag, &ranges, "[", "]");
        assert!(marked.contains("[devoir] [de] [vigilance]"), "{marked}");
        assert!(marked.contains("[entreprises]"), "{marked}");
    }
}
