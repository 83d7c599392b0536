//! Ingestion end to end: real PDFs, text, HTML and hostile files in one batch.

use crate::util::{Workdir, fixtures};
use std::path::Path;

fn row<'a>(
    rows: &'a [std::collections::HashMap<String, String>],
    id: &str,
) -> &'a std::collections::HashMap<String, String> {
    rows.iter().find(|r| r["doc_id"] == id).unwrap_or_else(|| panic!("no row for {id}"))
}

#[test]
fn batch_with_hostile_files_writes_every_output() {
    let w = Workdir::new();
    let out =
        w.run(&fixtures().join("corpus/manifest.csv"), &["--memory-mb", "256", "--jobs", "2"]);
    assert_eq!(out.status.code(), Some(2), "stderr: {}", String::from_utf8_lossy(&out.stderr));
    for f in [
        "documents.csv",
        "failures.csv",
        "run.json",
        "evidence.csv",
        "coverage_by_document.csv",
        "coverage_by_country.csv",
        "matrix_by_document.csv",
        "matrix_by_country.csv",
    ] {
        assert!(w.path("out").join(f).is_file(), "{f} missing");
    }
    let docs = w.csv("documents.csv");
    assert_eq!(docs.len(), 14);
    // Real PDFs: page counts as pdfinfo reports them, and real text.
    assert_eq!(row(&docs, "SVN_upr")["pages"], "19");
    assert_eq!(row(&docs, "SVN_upr")["status"], "ok");
    assert!(row(&docs, "SVN_upr")["words"].parse::<usize>().unwrap() > 10_000);
    assert_eq!(row(&docs, "FRA_vigilance")["pages"], "2");
    assert_eq!(row(&docs, "FRA_liability_encrypted")["status"], "ok");
    assert_eq!(
        row(&docs, "FRA_liability_encrypted")["words"],
        row(&docs, "FRA_liability")["words"]
    );
    // Text inputs: form feeds make pages, HTML loses its tags and scripts.
    assert_eq!(row(&docs, "NAP_paged")["pages"], "2");
    assert_eq!(row(&docs, "NAP_html")["status"], "ok");
    // Each hostile file: exactly one failure row, with the right stage.
    let fails = w.csv("failures.csv");
    let stage = |id: &str| {
        let rows: Vec<_> = fails.iter().filter(|r| r["doc_id"] == id).collect();
        assert_eq!(rows.len(), 1, "{id}: {rows:?}");
        rows[0]["stage"].clone()
    };
    assert_eq!(stage("bad_not_pdf"), "extract");
    assert_eq!(stage("bad_empty"), "extract");
    assert_eq!(stage("bad_encrypted"), "extract");
    assert!(
        fails.iter().any(|r| r["doc_id"] == "bad_encrypted" && r["reason"].contains("encrypted"))
    );
    assert_eq!(stage("bad_bomb"), "memory");
    // A truncated PDF whose pages mostly came out blank is not a whole document (it was `ok`).
    assert_eq!(row(&docs, "bad_truncated")["status"], "partial");
    assert_eq!(stage("bad_truncated"), "extract");
    assert!(
        fails.iter().any(|r| r["doc_id"] == "bad_truncated" && r["reason"].contains("no text"))
    );
    // An ordinary French HTML page once made the whole run exit 101 with no output at all.
    assert_eq!(row(&docs, "bad_html_fr")["status"], "ok");
    let ev = w.csv("evidence.csv");
    assert!(ev.iter().any(|e| e["doc_id"] == "bad_html_fr" && e["concept"] == "hrdd"), "{ev:?}");
    assert_eq!(stage("bad_missing"), "manifest");
    assert!(!fails.iter().any(|r| r["doc_id"].starts_with("NAP_")
        || r["doc_id"] == "bad_html_fr"
        || r["doc_id"].starts_with("FRA_")
        || r["doc_id"] == "SVN_upr"));
    let run: serde_json::Value =
        serde_json::from_slice(&std::fs::read(w.path("out/run.json")).unwrap()).unwrap();
    assert_eq!(run["counts"]["documents"], 14);
    assert_eq!(run["lexicons"][0]["name"], "ungp");
}

#[test]
fn second_run_uses_cache_and_text_export_splits_pages() {
    let w = Workdir::new();
    let d = w.path("corpus");
    std::fs::create_dir_all(&d).unwrap();
    std::fs::copy(
        fixtures().join("corpus/FRA_2025_code_commerce_L225-102-1_vigilance_fr.pdf"),
        d.join("a.pdf"),
    )
    .unwrap();
    std::fs::write(
        d.join("manifest.csv"),
        "doc_id,country,year,doc_type,lang,title,path\nA,FRA,2025,law,fr,A,a.pdf\n",
    )
    .unwrap();
    std::fs::write(d.join("stray.pdf"), b"%PDF-1.4").unwrap();
    let first = w.run(&d.join("manifest.csv"), &[]);
    assert_eq!(first.status.code(), Some(0));
    let run1: serde_json::Value =
        serde_json::from_slice(&std::fs::read(w.path("out/run.json")).unwrap()).unwrap();
    assert_eq!(run1["counts"]["cached"], 0);
    assert_eq!(run1["counts"]["warnings"], 1, "the unlisted stray.pdf is a warning");
    let second = w.run(&d.join("manifest.csv"), &[]);
    assert_eq!(second.status.code(), Some(0));
    let run2: serde_json::Value =
        serde_json::from_slice(&std::fs::read(w.path("out/run.json")).unwrap()).unwrap();
    assert_eq!(run2["counts"]["cached"], 1);
    // A changed file is extracted again.
    std::fs::copy(
        fixtures().join("corpus/FRA_2025_code_commerce_L225-102-2_vigilance_liability_fr.pdf"),
        d.join("a.pdf"),
    )
    .unwrap();
    w.run(&d.join("manifest.csv"), &[]);
    let run3: serde_json::Value =
        serde_json::from_slice(&std::fs::read(w.path("out/run.json")).unwrap()).unwrap();
    assert_eq!(run3["counts"]["cached"], 0);
    assert_eq!(w.csv("documents.csv")[0]["pages"], "1");
    let txt = w.path("txt");
    let out = w.text(&d.join("manifest.csv"));
    assert!(out.status.success());
    let text = std::fs::read_to_string(txt.join("A.txt")).unwrap();
    assert_eq!(text.matches('\u{c}').count(), 1);
    assert!(text.contains("responsabilit"), "{text}");
}

#[test]
fn invalid_manifest_fails_fast_with_line() {
    let w = Workdir::new();
    let m = w.path("manifest.csv");
    std::fs::write(&m, "doc_id,country,year,doc_type,lang,title,path\nA,FRA,2025,law,fr,A,a.pdf\nB,FRA,2025,statute,fr,B,b.pdf\n").unwrap();
    let out = w.run(&m, &[]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("manifest.csv:3: unknown doc_type `statute`"), "{err}");
    assert!(!w.path("out/documents.csv").exists());
}

#[test]
fn worker_death_and_timeout_cost_one_file() {
    use napscan::worker::{Pool, PoolConfig};
    use std::sync::Mutex;
    let pdf =
        fixtures().join("corpus/FRA_2025_code_commerce_L225-102-2_vigilance_liability_fr.pdf");
    // A "worker" that hangs: the pool must time out, kill it and report the file.
    let hang = Pool::new(PoolConfig {
        program: "sleep".into(),
        args: vec!["30".into()],
        jobs: 1,
        timeout: std::time::Duration::from_millis(300),
    });
    let got = Mutex::new(Vec::new());
    hang.run(vec![(0, pdf.clone()), (1, pdf.clone())], &|i, o| {
        got.lock().unwrap().push((i, o.map(|_| ()).map_err(|e| e.0)))
    });
    let mut got = got.into_inner().unwrap();
    got.sort_by_key(|g| g.0);
    assert_eq!(got, vec![(0, Err(napscan::Stage::Timeout)), (1, Err(napscan::Stage::Timeout))]);
    // A worker that dies at once: a crash row per file, and the pool goes on.
    let die = Pool::new(PoolConfig {
        program: "false".into(),
        args: vec![],
        jobs: 2,
        timeout: std::time::Duration::from_secs(5),
    });
    let got = Mutex::new(Vec::new());
    die.run(vec![(0, pdf.clone()), (1, pdf)], &|i, o| {
        got.lock().unwrap().push((i, o.map(|_| ()).map_err(|e| e.0)))
    });
    assert!(got.into_inner().unwrap().iter().all(|g| g.1 == Err(napscan::Stage::Crash)));
}

#[test]
fn a_clean_run_writes_every_table_with_its_header() {
    let w = Workdir::new();
    let d = w.path("corpus");
    std::fs::create_dir_all(&d).unwrap();
    std::fs::copy(fixtures().join("corpus/note_en.txt"), d.join("note_en.txt")).unwrap();
    std::fs::write(
        d.join("manifest.csv"),
        "doc_id,country,year,doc_type,lang,title,path\nA,GBR,2016,nap,en,A note,note_en.txt\n",
    )
    .unwrap();
    let out = w.run(&d.join("manifest.csv"), &[]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let failures = std::fs::read_to_string(w.path("out/failures.csv")).unwrap();
    assert_eq!(failures, "doc_id,path,page,stage,reason\n");
    // A document in a language no lexicon covers: no evidence, yet every table has its header.
    std::fs::write(
        d.join("manifest.csv"),
        "doc_id,country,year,doc_type,lang,title,path\nA,GBR,2016,nap,xx,A note,note_en.txt\n",
    )
    .unwrap();
    w.run(&d.join("manifest.csv"), &[]);
    for (f, first) in [
        ("evidence.csv", "doc_id,country,year,doc_type,lang,concept,parent,term,page"),
        ("smart_mix_by_document.csv", "doc_id,country,year,doc_type,lang,concept,mandatory"),
        ("failures.csv", "doc_id,path,page,stage,reason"),
    ] {
        let text = std::fs::read_to_string(w.path("out").join(f)).unwrap();
        assert!(text.starts_with(first), "{f}: {text:?}");
    }
}

#[test]
fn hostile_text_and_html_never_stop_the_batch() {
    let w = Workdir::new();
    let d = w.path("corpus");
    std::fs::create_dir_all(&d).unwrap();
    let mut m = String::from("doc_id,country,year,doc_type,lang,title,path\n");
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("invalid_utf8.txt", vec![0xff, 0xfe, b'a', 0xc3, 0x28, b'\n', 0xe2, 0x82]),
        ("huge_line.md", "Sorgfaltspflicht ".repeat(200_000).into_bytes()),
        (
            "deep.html",
            format!("{}due diligence{}", "<div>".repeat(50_000), "</div>".repeat(50_000))
                .into_bytes(),
        ),
        ("entities.html", "&#x1F600;&amp;&é;&#99999999999;&".repeat(20_000).into_bytes()),
        (
            "unclosed.html",
            "<p>Santé &\nsécurité <é <!-- never closed <script>x".as_bytes().to_vec(),
        ),
        ("empty.txt", Vec::new()),
    ];
    for (i, (name, bytes)) in cases.iter().enumerate() {
        std::fs::write(d.join(name), bytes).unwrap();
        m.push_str(&format!("D{i},FRA,2020,law,fr,{name},{name}\n"));
    }
    std::fs::write(d.join("manifest.csv"), m).unwrap();
    let out = w.run(&d.join("manifest.csv"), &[]);
    assert!(
        matches!(out.status.code(), Some(0) | Some(2)),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let docs = w.csv("documents.csv");
    assert_eq!(docs.len(), cases.len());
    let fails = w.csv("failures.csv");
    for r in &docs {
        assert!(
            r["status"] == "ok" || fails.iter().any(|f| f["doc_id"] == r["doc_id"]),
            "{r:?} is neither ok nor in failures.csv"
        );
    }
}

#[test]
fn the_run_summary_names_failed_documents_and_outputs_are_readable() {
    let w = Workdir::new();
    let d = w.path("corpus");
    std::fs::create_dir_all(&d).unwrap();
    std::fs::copy(fixtures().join("corpus/note_en.txt"), d.join("note_en.txt")).unwrap();
    std::fs::write(d.join("broken.pdf"), b"%PDF-1.7 not really").unwrap();
    std::fs::write(
        d.join("manifest.csv"),
        "doc_id,country,year,doc_type,lang,title,path\nA,GBR,2016,nap,en,A note,note_en.txt\n\
         B,GBR,2016,nap,en,Broken,broken.pdf\nC,GBR,2016,nap,en,Missing,missing.pdf\n",
    )
    .unwrap();
    let (idx, out) = (w.path("index"), w.path("out"));
    let o = w
        .cmd(&[
            "run",
            "--manifest",
            d.join("manifest.csv").to_str().unwrap(),
            "--index",
            idx.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("failed: B (extract)"), "{err}");
    assert!(err.contains("failed: C (manifest)"), "{err}");
    assert!(err.contains("failures.csv"), "{err}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(out.join("documents.csv")).unwrap().permissions().mode();
        assert_ne!(mode & 0o777, 0o600, "outputs follow the umask, not the temp file's 0600");
    }
}

#[test]
fn documents_no_lexicon_covers_are_never_ok_and_language_codes_ignore_case() {
    let w = Workdir::new();
    let d = w.path("corpus");
    std::fs::create_dir_all(&d).unwrap();
    std::fs::copy(fixtures().join("corpus/note_en.txt"), d.join("note_en.txt")).unwrap();
    std::fs::write(
        d.join("manifest.csv"),
        "doc_id,country,year,doc_type,lang,title,path\n\
         upper,GBR,2016,nap,EN,A note,note_en.txt\n\
         unknown,GBR,2016,nap,xx,A note,note_en.txt\n\
         welsh,GBR,2016,nap,cy,A note,note_en.txt\n",
    )
    .unwrap();
    let out = w.run_command(&d.join("manifest.csv"), &[]).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let docs = w.csv("documents.csv");
    let status = |id: &str| docs.iter().find(|r| r["doc_id"] == id).unwrap()["status"].clone();
    assert_eq!(status("upper"), "ok", "`EN` is `en`");
    assert_eq!(status("unknown"), "no_lexicon");
    assert_eq!(status("welsh"), "no_lexicon");
    assert!(stderr.contains("`xx` is not an ISO 639-1 language code"), "{stderr}");
    assert!(stderr.contains("no lexicon covers language `cy`"), "{stderr}");
    assert!(stderr.contains("2 in a language no lexicon covers"), "{stderr}");
    let ev = w.csv("evidence.csv");
    assert!(ev.iter().any(|e| e["doc_id"] == "upper" && e["lang"] == "en"));
    assert!(!ev.iter().any(|e| e["doc_id"] != "upper"));
    let run: serde_json::Value =
        serde_json::from_slice(&std::fs::read(w.path("out/run.json")).unwrap()).unwrap();
    assert_eq!(run["counts"]["no_lexicon"], 2);
    assert_eq!(run["counts"]["ok"], 1);
    let report = w.path("report.html");
    let o = w
        .cmd(&[
            "report",
            "--out",
            w.path("out").to_str().unwrap(),
            "--html",
            report.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let html = std::fs::read_to_string(&report).unwrap();
    assert!(html.contains("not analysed (no lexicon)"), "the report must not say 0/15");
}

#[test]
fn markdown_laws_are_cited_by_section() {
    let w = Workdir::new();
    let d = w.path("corpus");
    std::fs::create_dir_all(&d).unwrap();
    let src =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/DEU_2021_lksg_law_de.md");
    std::fs::copy(&src, d.join("lksg.md")).unwrap();
    std::fs::write(
        d.join("manifest.csv"),
        "doc_id,country,year,doc_type,lang,title,path\nlksg,DEU,2021,law,de,LkSG,lksg.md\n",
    )
    .unwrap();
    let out = w.run(&d.join("manifest.csv"), &[]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let docs = w.csv("documents.csv");
    assert!(docs[0]["pages"].parse::<usize>().unwrap() > 20, "{:?}", docs[0]);
    let ev = w.csv("evidence.csv");
    // The complaints procedure of § 8 is cited as § 8, not as page 1 of the whole law.
    assert!(
        ev.iter().any(|e| e["concept"].starts_with("access_to_remedy")
            && e["page_label"] == "§ 8 – Beschwerdeverfahren"),
        "{:?}",
        ev.iter().map(|e| (&e["concept"], &e["page_label"])).collect::<Vec<_>>()
    );
    assert!(ev.iter().all(|e| !e["snippet"].contains('#') && !e["sentence"].contains("% ")));
}

#[test]
fn the_library_applies_the_memory_limit_whoever_calls_it() {
    // The limit was recorded in the plan but only the CLI put it on the worker's command line.
    let w = Workdir::new();
    let pdf = fixtures().join("corpus/FRA_2025_code_commerce_L225-102-1_vigilance_fr.pdf");
    let manifest = w.one_document_corpus(&pdf, "A,FRA,2025,law,fr,Code");
    let plan = |memory_mb| napscan::plan::Plan {
        manifest: manifest.clone(),
        index_dir: w.path(&format!("index{memory_mb}")),
        out_dir: w.path("out"),
        jobs: 1,
        timeout: std::time::Duration::from_secs(60),
        memory_mb,
        worker: env!("CARGO_BIN_EXE_napscan").into(),
        lexicons: vec![],
        build_index: false,
        commitment_rules: None,
        ocr: napscan::ocr::Settings { mode: napscan::ocr::Mode::Off, ..Default::default() },
    };
    let starved = napscan::pipeline::run(&plan(4), &napscan::events::Quiet).unwrap();
    assert_eq!(starved.summary.failed, 1, "a 4 MiB worker cannot extract: {starved:?}");
    let fed = napscan::pipeline::run(&plan(2048), &napscan::events::Quiet).unwrap();
    assert_eq!(fed.summary.ok, 1, "{:?}", fed.summary);
}

#[test]
fn split_table_pages_of_the_peru_nap_are_resegmented() {
    // Pages 67-90 of the real NAP write every word in pieces ("c a- pa ci ta ci ón"); the
    // extracted text has the words back, and the document says so in its extractor.
    let w = Workdir::new();
    let d = w.path("corpus");
    std::fs::create_dir_all(&d).unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    let name = "PER_2021_pna_business_human_rights_nap_es.pdf";
    std::fs::copy(root.join(name), d.join(name)).unwrap();
    std::fs::write(
        d.join("manifest.csv"),
        format!("doc_id,country,year,doc_type,lang,title,path\nPER,PER,2021,nap,es,PNA,{name}\n"),
    )
    .unwrap();
    let txt = w.path("txt");
    let out = w.text(&d.join("manifest.csv"));
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = std::fs::read_to_string(txt.join("PER.txt")).unwrap();
    let page85 = text.split('\u{c}').nth(84).unwrap();
    for phrase in ["Establecer un programa de", "asistencia técnica", "debida diligencia"] {
        assert!(page85.contains(phrase), "{phrase}: {page85}");
    }
    assert!(!page85.contains("Es ta bl ec er"), "{page85}");
    w.run(&d.join("manifest.csv"), &[]);
    assert!(w.csv("documents.csv")[0]["extractor"].contains("resegmented"));
}
