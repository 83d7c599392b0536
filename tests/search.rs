//! Search over the page index built by `napscan run` on the real default corpus: phrases, stems,
//! filters, highlighting, JSON, incremental updates, kill -9, concurrent runs, and agreement of
//! search with the lexicon matcher.

use std::path::Path;
use std::process::Command;

use crate::util::{Workdir, fixtures};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn search_json(w: &Workdir, args: &[&str]) -> Vec<serde_json::Value> {
    let idx = w.path("index");
    let mut all = vec!["search", "--index", idx.to_str().unwrap(), "--format", "json"];
    all.extend_from_slice(args);
    let out = w.cmd(&all).output().unwrap();
    assert!(
        out.status.code() == Some(0) || out.status.code() == Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice::<Vec<serde_json::Value>>(&out.stdout).unwrap()
}

fn default_corpus_run() -> Workdir {
    let w = Workdir::new();
    let out = w.run(&root().join("corpus/manifest.csv"), &[]);
    assert!(
        out.status.code() == Some(0) || out.status.code() == Some(2),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    w
}

#[test]
fn phrases_stems_filters_and_highlights() {
    let w = default_corpus_run();
    // A phrase: every hit contains it; the snippet marks it.
    let hits = search_json(&w, &["\"devoir de vigilance\"", "--limit", "100"]);
    assert!(hits.len() >= 10);
    for h in &hits {
        assert_eq!(h["lang"], "fr");
        assert!(
            h["snippet"]
                .as_str()
                .unwrap()
                .to_lowercase()
                .contains("**devoir** **de** **vigilance**"),
            "{h}"
        );
    }
    // Stems: a singular query finds plural forms; a German compound finds its inflected form.
    let hits = search_json(&w, &["obligation", "--lang", "en", "--limit", "5"]);
    assert!(hits.iter().any(|h| h["snippet"].as_str().unwrap().contains("**Obligations**")
        || h["snippet"].as_str().unwrap().contains("**obligations**")));
    let hits = search_json(&w, &["Sorgfaltspflicht"]);
    assert!(
        hits.iter().any(|h| h["snippet"].as_str().unwrap().contains("**Sorgfaltspflichten**")),
        "{hits:?}"
    );
    // Filters.
    let hits = search_json(&w, &["rights", "--country", "SVN", "--limit", "50"]);
    assert!(!hits.is_empty() && hits.iter().all(|h| h["country"] == "SVN"));
    let hits = search_json(
        &w,
        &["rights", "--year", "2010..2012", "--doc-type", "guidance", "--limit", "50"],
    );
    assert!(
        !hits.is_empty() && hits.iter().all(|h| h["year"] == 2011 && h["doc_type"] == "guidance")
    );
    let hits = search_json(&w, &["entreprises", "--concept", "hrdd", "--limit", "50"]);
    assert!(!hits.is_empty());
    let ev = w.csv("evidence.csv");
    for h in &hits {
        let page = h["page"].as_u64().unwrap().to_string();
        assert!(
            ev.iter().any(|e| e["doc_id"] == h["doc_id"].as_str().unwrap()
                && e["page"] == page
                && e["concept"] == "hrdd"),
            "{h}"
        );
    }
    // Boolean syntax and field:value.
    let hits = search_json(&w, &["vigilance AND NOT devoir country:FRA", "--limit", "50"]);
    assert!(hits.iter().all(|h| h["country"] == "FRA"
        && !h["snippet"].as_str().unwrap().to_lowercase().contains("**devoir**")));
    // A bad query is a clear error, not a crash.
    let idx = w.path("index");
    let out = w.cmd(&["search", "--index", idx.to_str().unwrap(), "\"unclosed"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let out = w
        .cmd(&["search", "--index", idx.to_str().unwrap(), "rights", "--year", "20x0"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stderr).contains("invalid year range"));
    // Grouping by document.
    let out = w
        .cmd(&[
            "search",
            "--index",
            idx.to_str().unwrap(),
            "vigilance",
            "--by-document",
            "--format",
            "csv",
            "--limit",
            "500",
        ])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.lines().next().unwrap().starts_with("doc_id,"));
    assert!(text.contains("FRA_2025_code_commerce_L225-102-1_vigilance_fr"));
}

#[test]
fn search_agrees_with_the_matcher_on_lexicon_phrases() {
    use napscan::lexicon::{Lexicon, Pattern};
    let w = default_corpus_run();
    let plan = napscan::pipeline::Plan {
        manifest: root().join("corpus/manifest.csv"),
        index_dir: w.path("index"),
        out_dir: w.path("out"),
        jobs: 2,
        timeout: std::time::Duration::from_secs(60),
        memory_mb: 2048,
        worker: env!("CARGO_BIN_EXE_napscan").into(),
        lexicons: vec![],
        build_index: false,
        commitment_rules: None,
        ocr: napscan::ocr::Settings::default(),
    };
    let docs = napscan::pipeline::texts(&plan, &napscan::events::Quiet).unwrap();
    let lex = Lexicon::builtin();
    let mut checked = 0;
    for c in &lex.concepts {
        for t in &c.terms {
            let Pattern::Phrase(p) = &t.pattern else { continue };
            if p.contains('*') || !t.near.is_empty() || !t.exclude.is_empty() || p.contains('"') {
                continue;
            }
            let toml = format!(
                "name = \"one\"\nversion = \"1\"\n[[concept]]\nid = \"x\"\nlabel = \"x\"\npillar = \"\"\nungp = \"\"\n[concept.terms]\n{} = [{:?}]\n",
                t.lang, p
            );
            let one = napscan::lexicon::parse(Path::new("one.toml"), &toml).unwrap();
            let flagger = napscan::flag::Flagger::new(vec![one]);
            let mut expected = std::collections::BTreeSet::new();
            for (meta, slot) in &docs {
                if let Some(Ok(x)) = slot {
                    for e in flagger.flag_document(meta, &x.pages) {
                        expected.insert((e.doc_id, e.page as u64));
                    }
                }
            }
            let hits =
                search_json(&w, &[&format!("\"{p}\""), "--lang", &t.lang, "--limit", "10000"]);
            let found: std::collections::BTreeSet<(String, u64)> = hits
                .iter()
                .map(|h| (h["doc_id"].as_str().unwrap().to_string(), h["page"].as_u64().unwrap()))
                .collect();
            assert_eq!(found, expected, "term `{p}` ({})", t.lang);
            checked += usize::from(!expected.is_empty());
        }
    }
    assert!(checked >= 20, "only {checked} terms occur in the corpus");
}

fn copy_corpus(w: &Workdir, files: &[(&str, &str, &str)]) -> std::path::PathBuf {
    let d = w.path("corpus");
    std::fs::create_dir_all(&d).unwrap();
    let mut m = String::from("doc_id,country,year,doc_type,lang,title,path\n");
    for (id, file, lang) in files {
        std::fs::copy(fixtures().join("corpus").join(file), d.join(file)).unwrap();
        m.push_str(&format!("{id},FRA,2025,law,{lang},{id},{file}\n"));
    }
    std::fs::write(d.join("manifest.csv"), m).unwrap();
    d.join("manifest.csv")
}

fn run_counts(w: &Workdir, manifest: &Path) -> serde_json::Value {
    let out = w.run(manifest, &[]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let run: serde_json::Value =
        serde_json::from_slice(&std::fs::read(w.path("out/run.json")).unwrap()).unwrap();
    run["counts"].clone()
}

#[test]
fn incremental_add_change_remove() {
    let w = Workdir::new();
    let a = ("A", "FRA_2025_code_commerce_L225-102-1_vigilance_fr.pdf", "fr");
    let b = ("B", "note_en.txt", "en");
    let m = copy_corpus(&w, &[a]);
    assert_eq!(run_counts(&w, &m)["indexed"], 1);
    assert_eq!(run_counts(&w, &m)["indexed"], 0, "unchanged: nothing re-indexed");
    // Add.
    let m = copy_corpus(&w, &[a, b]);
    let c = run_counts(&w, &m);
    assert_eq!((c["indexed"].as_u64(), c["unindexed"].as_u64()), (Some(1), Some(0)));
    assert_eq!(search_json(&w, &["\"National Contact Point\""]).len(), 1);
    // Change.
    std::fs::write(w.path("corpus/note_en.txt"), "A grievance mechanism for workers.\n").unwrap();
    assert_eq!(run_counts(&w, &m)["indexed"], 1);
    assert!(search_json(&w, &["\"National Contact Point\""]).is_empty());
    assert_eq!(search_json(&w, &["\"grievance mechanism\""]).len(), 1);
    // Remove.
    let m = copy_corpus(&w, &[b]);
    let c = run_counts(&w, &m);
    assert_eq!(c["unindexed"], 1);
    assert!(search_json(&w, &["vigilance"]).is_empty());
}

#[test]
fn and_not_excludes_pages_as_not_does() {
    let w = Workdir::new();
    let m = copy_corpus(
        &w,
        &[
            ("A", "FRA_2025_code_commerce_L225-102-1_vigilance_fr.pdf", "fr"),
            ("B", "note_en.txt", "en"),
        ],
    );
    run_counts(&w, &m);
    let all = search_json(&w, &["vigilance"]).len();
    assert!(all > 0);
    // The README's example form: once it found nothing, or ignored the words.
    assert_eq!(search_json(&w, &["vigilance AND NOT xyzzy"]).len(), all);
    assert_eq!(
        search_json(&w, &["vigilance AND NOT devoir"]).len(),
        search_json(&w, &["vigilance NOT devoir"]).len()
    );
    assert!(search_json(&w, &["xyzzy AND NOT devoir country:FRA"]).is_empty());
}

#[test]
fn a_corrected_manifest_row_reaches_the_index() {
    let w = Workdir::new();
    let m = copy_corpus(&w, &[("A", "FRA_2025_code_commerce_L225-102-1_vigilance_fr.pdf", "fr")]);
    run_counts(&w, &m);
    assert_eq!(search_json(&w, &["vigilance", "--country", "FRA"]).len(), 2);
    // The researcher corrects the row's country and year: the CSVs and the index must agree.
    let text = std::fs::read_to_string(&m).unwrap().replace("A,FRA,2025", "A,DEU,2019");
    std::fs::write(&m, text).unwrap();
    assert_eq!(
        run_counts(&w, &m)["indexed"],
        1,
        "the metadata changed, so the document is re-indexed"
    );
    // The old country is gone from the index: filtering on it is an error that lists what is there.
    let idx = w.path("index");
    let o = w
        .cmd(&["search", "--index", idx.to_str().unwrap(), "vigilance", "--country", "FRA"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("unknown country `FRA`: the index has DEU"), "{err}");
    let hits = search_json(&w, &["vigilance", "--country", "DEU"]);
    assert_eq!(hits.len(), 2);
    assert!(hits.iter().all(|h| h["year"] == 2019 || h["year"] == "2019"), "{hits:?}");
    assert!(w.csv("documents.csv").iter().all(|r| r["country"] == "DEU"));
}

#[test]
fn kill_9_mid_run_then_rerun_repairs() {
    let w = Workdir::new();
    let m = root().join("corpus/manifest.csv");
    for delay in [300u64, 700] {
        let idx = w.path("index");
        let out = w.path("out");
        let mut child = Command::new(env!("CARGO_BIN_EXE_napscan"))
            .current_dir(root())
            .args([
                "run",
                "--manifest",
                m.to_str().unwrap(),
                "--index",
                idx.to_str().unwrap(),
                "--out",
                out.to_str().unwrap(),
                "-q",
            ])
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(delay));
        let _ = Command::new("kill").args(["-9", &child.id().to_string()]).status();
        let _ = child.wait();
    }
    let out = w.run(&m, &[]);
    assert!(
        out.status.code() == Some(0) || out.status.code() == Some(2),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!search_json(&w, &["\"devoir de vigilance\""]).is_empty());
    let listed = csv::Reader::from_path(&m).unwrap().records().count();
    assert_eq!(w.csv("documents.csv").len(), listed);
}

#[test]
fn concurrent_run_gets_a_clear_error() {
    let w = Workdir::new();
    std::fs::create_dir_all(w.path("index")).unwrap();
    let _held = napscan::lock::acquire(&w.path("index")).unwrap();
    let out = w.run(&root().join("corpus/manifest.csv"), &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("another napscan run is using this index")
    );
}

#[test]
fn every_language_the_analyzer_stems_is_stemmed_in_search_too() {
    // The index once stemmed 7 languages and the analyzer 17: a Swedish page was only folded,
    // so `företag` did not find `företagen` although the flags matched it.
    let w = Workdir::new();
    let d = w.path("corpus");
    std::fs::create_dir_all(&d).unwrap();
    std::fs::write(d.join("sv.txt"), "Företagen ska respektera de mänskliga rättigheterna.\n")
        .unwrap();
    std::fs::write(d.join("fi.txt"), "Yritysten on kunnioitettava ihmisoikeuksia.\n").unwrap();
    std::fs::write(
        d.join("manifest.csv"),
        "doc_id,country,year,doc_type,lang,title,path\n\
         S,SWE,2015,nap,sv,Handlingsplan,sv.txt\n\
         F,FIN,2014,nap,fi,Toimintasuunnitelma,fi.txt\n",
    )
    .unwrap();
    w.run(&d.join("manifest.csv"), &[]);
    let hits = search_json(&w, &["företag", "--lang", "sv"]);
    assert_eq!(hits.len(), 1, "{hits:?}");
    assert_eq!(hits[0]["doc_id"], "S");
    assert_eq!(search_json(&w, &["ihmisoikeuksien", "--lang", "fi"]).len(), 1);
}
