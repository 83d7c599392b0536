//! The shape of the library: no import cycle between its top-level modules, and no module over
//! 500 lines except the ones named here with the algorithm that needs the length.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// The top-level module a file belongs to (`src/index/update.rs` → `index`); `None` for the crate
/// root and the binary.
fn module_of(file: &Path) -> Option<String> {
    let rel = file.strip_prefix(src()).unwrap();
    let first = rel.components().next()?.as_os_str().to_str()?.trim_end_matches(".rs").to_string();
    (!["lib", "main", "bin"].contains(&first.as_str())).then_some(first)
}

/// The top-level modules a source text names through `crate::` paths, braced groups included
/// (`use crate::{cache, report}`, `crate::index::Updater`).
fn crate_refs(text: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut rest = text;
    while let Some(i) = rest.find("crate::") {
        rest = &rest[i + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let end = group.find('}').unwrap_or(group.len());
            for item in group[..end].split(',') {
                let name: String =
                    item.trim().chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
                if !name.is_empty() && name != "self" {
                    out.insert(name);
                }
            }
        } else {
            let name: String =
                rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
            out.insert(name);
        }
    }
    out
}

fn graph() -> BTreeMap<String, BTreeSet<String>> {
    let mut files = Vec::new();
    rust_files(&src(), &mut files);
    let mut g: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for f in files {
        let Some(m) = module_of(&f) else { continue };
        let refs = crate_refs(&std::fs::read_to_string(&f).unwrap());
        let e = g.entry(m.clone()).or_default();
        e.extend(
            refs.into_iter().filter(|r| *r != m && r.chars().all(|c| c.is_lowercase() || c == '_')),
        );
    }
    g
}

#[test]
fn the_reference_parser_sees_braced_groups() {
    let refs = crate_refs("use crate::{cache, report};\nlet x = crate::index::SCHEMA;\n");
    assert_eq!(refs, ["cache", "index", "report"].iter().map(|s| s.to_string()).collect());
}

#[test]
fn no_import_cycle_between_modules() {
    let g = graph();
    assert!(g.contains_key("pipeline") && g["pipeline"].contains("ingest"), "graph: {g:?}");
    // Depth-first search for a back edge; report the cycle it closes.
    fn visit(
        m: &str,
        g: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(i) = path.iter().position(|p| p == m) {
            let mut cycle = path[i..].to_vec();
            cycle.push(m.to_string());
            return Some(cycle);
        }
        if done.contains(m) {
            return None;
        }
        path.push(m.to_string());
        for d in g.get(m).into_iter().flatten() {
            if let Some(c) = visit(d, g, path, done) {
                return Some(c);
            }
        }
        path.pop();
        done.insert(m.to_string());
        None
    }
    let mut done = BTreeSet::new();
    for m in g.keys() {
        if let Some(cycle) = visit(m, &g, &mut Vec::new(), &mut done) {
            panic!("import cycle: {}", cycle.join(" → "));
        }
    }
}

#[test]
fn modules_stay_short() {
    // Files allowed past 500 lines, each one algorithm that reads best in one place.
    const LONG: &[(&str, &str)] = &[
        ("lexicon/matcher.rs", "the term matcher: automaton, scopes and conditions"),
        ("extract/pdf.rs", "the PDF extraction strategy: lopdf/pdf_oxide probe and fallbacks"),
        ("commitment.rs", "the commitment classifier: rules and their per-language grammar"),
        ("search.rs", "the query: syntax check, prefix expansion, filters, snippets"),
    ];
    let mut files = Vec::new();
    rust_files(&src(), &mut files);
    let mut long = Vec::new();
    for f in files {
        let rel = f.strip_prefix(src()).unwrap().to_string_lossy().replace('\\', "/");
        let lines = std::fs::read_to_string(&f).unwrap().lines().count();
        if lines > 500 && !LONG.iter().any(|(p, _)| *p == rel) {
            long.push(format!("{rel} ({lines} lines)"));
        }
    }
    assert!(long.is_empty(), "modules over 500 lines: {long:?}");
    let pipeline = std::fs::read_to_string(src().join("pipeline.rs")).unwrap().lines().count();
    assert!(pipeline < 200, "pipeline.rs has {pipeline} lines");
}
