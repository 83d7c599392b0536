//! Keeps lexicon files valid, complete and canonically ordered (like typos' verify test).

use std::collections::BTreeSet;
use std::path::Path;

use napscan::analyzer::fold;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn every_lexicon_parses_and_is_canonically_ordered() {
    for entry in std::fs::read_dir(root().join("lexicons")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().and_then(|e| e.to_str()) != Some("toml")
            || !std::fs::read_to_string(&path).unwrap().contains("[[concept]]")
        {
            continue;
        }
        let lex = napscan::lexicon::read(&path).unwrap();
        for c in &lex.concepts {
            let langs: BTreeSet<&str> = c.terms.iter().map(|t| t.lang.as_str()).collect();
            for lang in langs {
                let keys: Vec<String> = c
                    .terms
                    .iter()
                    .filter(|t| t.lang == lang)
                    .map(|t| {
                        format!("{} {}", fold(&t.pattern.text().to_lowercase()), t.scope.as_str())
                    })
                    .collect();
                let mut sorted = keys.clone();
                sorted.sort();
                sorted.dedup();
                assert_eq!(
                    keys,
                    sorted,
                    "{}: {} terms in {lang} are not sorted or have duplicates",
                    path.display(),
                    c.id
                );
            }
        }
    }
}

#[test]
fn default_lexicon_covers_the_fifteen_concepts_in_five_languages() {
    let lex = napscan::lexicon::read(&root().join("lexicons/ungp.toml")).unwrap();
    let mut r = csv::Reader::from_path(root().join("lexicons/concepts.csv")).unwrap();
    let ids: Vec<String> = r.records().map(|r| r.unwrap()[0].to_string()).collect();
    assert_eq!(ids.len(), 15);
    for id in &ids {
        let c = lex.concept(id).unwrap_or_else(|| panic!("concept {id} missing"));
        for lang in ["en", "fr", "es", "de", "pt"] {
            assert!(
                c.terms.iter().any(|t| t.lang == lang)
                    || lex
                        .concepts
                        .iter()
                        .any(|s| s.parent == *id && s.terms.iter().any(|t| t.lang == lang)),
                "{id} has no {lang} term"
            );
        }
    }
    let subs: Vec<&str> = lex
        .concepts
        .iter()
        .filter(|c| c.parent == "access_to_remedy")
        .map(|c| c.id.as_str())
        .collect();
    assert_eq!(subs.len(), 3);
    // The embedded copy is the file on disk.
    assert_eq!(napscan::lexicon::Lexicon::builtin().hash, lex.hash);
}
