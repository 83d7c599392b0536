//! Tests of flagging: evidence rows, snippets, the built-in lexicon on real sentences, and the
//! page gate, which must change no evidence.

use super::*;

#[test]
fn evidence_header_matches_the_type() {
    let e = Evidence {
        doc_id: String::new(),
        country: String::new(),
        year: 0,
        doc_type: String::new(),
        lang: String::new(),
        concept: String::new(),
        parent: String::new(),
        term: String::new(),
        page: 0,
        page_label: String::new(),
        start: 0,
        end: 0,
        snippet: String::new(),
        sentence: String::new(),
        commitment: String::new(),
        commitment_cue: String::new(),
        ocr: false,
        matched: String::new(),
    };
    assert_eq!(crate::output::header_of(&e), EVIDENCE_HEADER);
}

#[test]
fn snippets_are_one_line_and_bounded() {
    let t = "aaaa bbbb\ncccc TARGET dddd\neeee";
    let i = t.find("TARGET").unwrap();
    assert_eq!(snippet(t, i, i + 6, 5), "…cccc TARGET dddd…");
    assert_eq!(snippet(t, i, i + 6, 100), "aaaa bbbb cccc TARGET dddd eeee");
}

#[test]
fn builtin_lexicon_flags_real_sentences() {
    let f = Flagger::new(vec![Lexicon::builtin()]);
    let meta = DocMeta {
        doc_id: "d".into(),
        country: "FRA".into(),
        year: 2017,
        doc_type: "law".into(),
        lang: "fr".into(),
        title: String::new(),
        path: String::new(),
        source: String::new(),
    };
    let page = Page {
        number: 3,
        label: "iii".into(),
        text: "Le plan comporte les mesures de vigilance raisonnable propres à identifier les risques.".into(),
        needs_ocr: false,
        ocr: None,
        extractor: "text".into(),
    };
    let ev = f.flag_document(&meta, std::slice::from_ref(&page));
    assert!(
        ev.iter().any(|e| e.concept == "hrdd" && e.page == 3 && e.page_label == "iii"),
        "{ev:?}"
    );
    let e = ev.iter().find(|e| e.concept == "hrdd").unwrap();
    let chars: Vec<char> = page.text.chars().collect();
    let hit: String = chars[e.start..e.end].iter().collect();
    assert!(hit.to_lowercase().contains("vigilance"), "{hit}");
}

/// For each term of the built-in lexicon in `lang` (regex terms aside; with `scoped`, only
/// those whose anchors may stand on another page), its phrase, then its anchors and
/// exclusions (globs' stars dropped), and the words of all of them.
fn lexicon_groups(lang: &str, scoped: bool) -> Vec<Vec<String>> {
    use crate::lexicon::{Pattern, Scope};
    let lex = Lexicon::builtin();
    let mut groups = Vec::new();
    for t in lex.concepts.iter().flat_map(|c| &c.terms).filter(|t| t.lang == lang) {
        let far = matches!(t.scope, Scope::Section | Scope::Document | Scope::Title);
        if matches!(t.pattern, Pattern::Regex(_)) || (scoped && !far) {
            continue;
        }
        let texts = std::iter::once(t.pattern.text()).chain(t.near.iter().map(String::as_str));
        let group: Vec<String> = texts
            .chain(t.exclude.iter().map(String::as_str))
            .filter(|x| !x.starts_with("doc_type:"))
            .map(|x| x.replace('*', ""))
            .collect();
        let words = group.iter().flat_map(|x| x.split_whitespace()).map(str::to_string);
        let words: Vec<String> = words.collect();
        groups.push(group.into_iter().chain(words).collect());
    }
    groups
}

static BUILTIN: std::sync::LazyLock<Flagger> =
    std::sync::LazyLock::new(|| Flagger::new(vec![Lexicon::builtin()]));
type Groups = HashMap<&'static str, (Vec<Vec<String>>, Vec<Vec<String>>)>;
static GROUPS: std::sync::LazyLock<Groups> = std::sync::LazyLock::new(|| {
    let langs = ["de", "en", "es", "fr", "pt"].into_iter();
    langs.map(|l| (l, (lexicon_groups(l, false), lexicon_groups(l, true)))).collect()
});

/// A document of `pages` pages, each a run of `phrase(pick)`s, inflected, recased and joined
/// by filler, headings and sentence ends, with a title of `title` phrases.
fn random_doc<'a>(
    phrase: impl Fn(usize) -> &'a str,
    picks: &[Vec<(usize, usize, usize, usize)>],
    title: &[usize],
    lang: &str,
    doc_type: &str,
) -> (DocMeta, Vec<Page>) {
    let filler = ["der", "the", "la", "de", "und", "and", "que", "o", "les", "wird"];
    let suffixes = ["", "s", "en", "es", "ying", "ies", "emment", "encia", "ência"];
    let pages = picks
        .iter()
        .enumerate()
        .map(|(k, page)| {
            let mut text = String::new();
            for &(w, form, case, sep) in page {
                let word = format!("{}{}", phrase(w), suffixes[form % 9]);
                let word = match case {
                    0 => word.to_lowercase(),
                    1 => word.to_uppercase(),
                    _ => word,
                };
                text.push_str(&word);
                text.push_str(match sep {
                    0 => ". ",
                    1 => "\n§ 3 Anwendungsbereich\n",
                    2 => "\n# Section\n",
                    3 => "-",
                    _ => " ",
                });
                if form > 8 {
                    text.push_str(filler[sep]);
                    text.push(' ');
                }
            }
            Page {
                number: k as u32 + 1,
                label: String::new(),
                text,
                needs_ocr: false,
                ocr: None,
                extractor: "text".into(),
            }
        })
        .collect();
    let title: Vec<&str> = title.iter().map(|&w| phrase(w)).collect();
    let meta = DocMeta {
        lang: lang.into(),
        doc_type: doc_type.into(),
        title: title.join(" "),
        ..DocMeta::default()
    };
    (meta, pages)
}

/// One term of each kind the page gate tells apart, on words no other term uses.
const SCOPES: &str = r#"name = "t"
version = "1"
[[concept]]
id = "c"
label = "C"
pillar = "p"
ungp = "1"
[concept.terms]
de = [
  { phrase = "Risikoanalyse*", near = ["Lieferkette*"], scope = "document" },
  { phrase = "Telekommunikation*", near = ["Datenschutz*"], scope = "section" },
  { phrase = "Minderung", near = ["Menschenrecht*", "doc_type:nap"], scope = "title" },
  { phrase = "Beschwerde", near = ["Beschäftigte"], scope = "sentence" },
  { phrase = "Abhilfe", near = ["Opfer", "Betroffene"], window = 3 },
  { phrase = "Meldestelle", near = ["Hinweis*"], scope = "page" },
  { exact = "KI" },
  "öffentliche Unternehmen",
  { phrase = "Sorgfaltspflicht*", exclude = ["Sorgfaltspflichten des Kaufmanns"] },
]
"#;
const SCOPE_WORDS: &[&str] = &[
    "Risikoanalyse",
    "Lieferketten",
    "Telekommunikation",
    "Datenschutz",
    "Minderung",
    "Menschenrechte",
    "Beschwerde",
    "Beschäftigte",
    "Abhilfe",
    "Opfer",
    "Meldestelle",
    "Hinweise",
    "Betroffene",
    "KI",
    "Ki",
    "öffentliche Unternehmen",
    "Unternehmen",
    "öffentliche",
    "Sorgfaltspflichten",
    "Sorgfaltspflichten des Kaufmanns",
    "Gesetz",
    "Absatz",
];

static SCOPED: std::sync::LazyLock<Flagger> = std::sync::LazyLock::new(|| {
    let lex = crate::lexicon::parse(std::path::Path::new("t.toml"), SCOPES).unwrap();
    Flagger::new(vec![lex])
});

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(400))]

    /// The page gate only saves work. A document is made of one term's phrase, anchors and
    /// exclusions and of other terms' phrases and words of the built-in lexicon, spread over
    /// pages and the title: it gets the same evidence with the gate as when every page is
    /// analysed.
    #[test]
    fn the_page_gate_changes_no_evidence(
        lang in proptest::sample::select(vec!["de", "en", "es", "fr", "pt"]),
        doc_type in proptest::sample::select(vec!["law", "nap", "guidance", "report"]),
        term in 0usize..10_000,
        picks in proptest::collection::vec(
            proptest::collection::vec((0usize..20_000, 0usize..12, 0usize..3, 0usize..9), 0..15),
            1..5,
        ),
        title in proptest::collection::vec(0usize..20_000, 0..3),
    ) {
        // Half the documents are about a term whose anchors may stand on another page.
        let (groups, scoped) = &GROUPS[lang];
        let own = match term % 2 {
            0 if !scoped.is_empty() => &scoped[(term / 2) % scoped.len()],
            _ => &groups[term % groups.len()],
        };
        // Most picks come from the term's own group, one in eight from any group.
        let phrase = |w: usize| -> &str {
            if !w.is_multiple_of(8) {
                &own[(w / 8) % own.len()]
            } else {
                let g = &groups[(w / 8) % groups.len()];
                &g[(w / 64) % g.len()]
            }
        };
        let (meta, pages) = random_doc(phrase, &picks, &title, lang, doc_type);
        proptest::prop_assert_eq!(
            BUILTIN.flag_pages(&meta, &pages, true),
            BUILTIN.flag_pages(&meta, &pages, false)
        );
    }

    /// The same with one term of each scope on words no other term shares, so that every
    /// kind of condition decides pages alone.
    #[test]
    fn the_page_gate_keeps_each_scope(
        doc_type in proptest::sample::select(vec!["law", "nap"]),
        picks in proptest::collection::vec(
            proptest::collection::vec((0usize..1000, 0usize..12, 0usize..3, 0usize..9), 0..6),
            1..5,
        ),
        title in proptest::collection::vec(0usize..1000, 0..2),
    ) {
        let phrase = |w: usize| SCOPE_WORDS[w % SCOPE_WORDS.len()];
        let (meta, pages) = random_doc(phrase, &picks, &title, "de", doc_type);
        proptest::prop_assert_eq!(
            SCOPED.flag_pages(&meta, &pages, true),
            SCOPED.flag_pages(&meta, &pages, false)
        );
    }
}
