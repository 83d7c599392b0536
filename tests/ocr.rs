//! OCR of image-only pages, end to end: scans of real corpus pages (made by `benches/make_scan.py`
//! with poppler's pdftoppm) read back in four languages, a mixed document, images without words,
//! and Tesseract missing, hanging or crashing. The tests that need Tesseract skip when it is not
//! installed, unless `NAPSCAN_REQUIRE_OCR` is set (CI sets it and installs the packages).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::util::Workdir;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// True when pdftoppm, python3 and Tesseract with the packs `langs` are installed. Panics when
/// they are not but `NAPSCAN_REQUIRE_OCR` says they must be.
fn ocr_tools(langs: &[&str]) -> bool {
    let ok = |prog: &str, arg: &str| Command::new(prog).arg(arg).output().is_ok();
    let installed = Command::new("tesseract")
        .arg("--list-langs")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
        .unwrap_or_default();
    let have = ok("pdftoppm", "-v")
        && ok("python3", "--version")
        && langs.iter().all(|l| installed.lines().any(|i| i.trim() == *l));
    if !have {
        assert!(
            std::env::var_os("NAPSCAN_REQUIRE_OCR").is_none(),
            "NAPSCAN_REQUIRE_OCR is set but pdftoppm, python3 or tesseract {langs:?} is missing"
        );
        eprintln!("skipped: pdftoppm, python3 or tesseract with {langs:?} not installed");
    }
    have
}

/// An image-only rendering (200 dpi, greyscale) of `pages` of a corpus PDF.
fn scan(src: &str, pages: &str, out: &Path) {
    let st = Command::new("python3")
        .arg(root().join("benches/make_scan.py"))
        .arg(root().join("corpus").join(src))
        .arg(out)
        .args(["--pages", pages, "--dpi", "200"])
        .status()
        .unwrap();
    assert!(st.success());
}

/// Token F1 of two texts (lowercased words): the measure the PDF extractor's probe uses.
fn token_f1(a: &str, b: &str) -> f64 {
    napscan::extract::pdf::agreement(a, b)
}

/// Writes a manifest of (doc_id, lang, file) rows.
fn manifest(dir: &Path, rows: &[(&str, &str, &str)]) -> PathBuf {
    let mut s = String::from("doc_id,country,year,doc_type,lang,title,path\n");
    for (id, lang, file) in rows {
        s.push_str(&format!("{id},XXX,2020,law,{lang},{id},{file}\n"));
    }
    let p = dir.join("manifest.csv");
    std::fs::write(&p, s).unwrap();
    p
}

/// The pages of every document as `napscan text` writes them.
fn texts(w: &Workdir, manifest: &Path, extra: &[&str]) -> HashMap<String, Vec<String>> {
    let out = w.path("text");
    let idx = w.path("index");
    let mut args = vec!["text", "--manifest", manifest.to_str().unwrap()];
    args.extend(["--index", idx.to_str().unwrap(), "--out", out.to_str().unwrap(), "-q"]);
    args.extend_from_slice(extra);
    let o = w.cmd(&args).output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    std::fs::read_dir(&out)
        .unwrap()
        .map(|e| {
            let p = e.unwrap().path();
            let id = p.file_stem().unwrap().to_string_lossy().into_owned();
            let text = std::fs::read_to_string(&p).unwrap();
            (id, text.split('\u{c}').map(str::to_string).collect())
        })
        .collect()
}

fn row<'a>(rows: &'a [HashMap<String, String>], id: &str) -> &'a HashMap<String, String> {
    rows.iter().find(|r| r["doc_id"] == id).unwrap_or_else(|| panic!("no row {id}"))
}

#[test]
fn scans_of_law_pages_read_back_like_their_text_layer() {
    if !ocr_tools(&["eng", "fra", "deu", "spa"]) {
        return;
    }
    let w = Workdir::new();
    let corpus = w.path("corpus");
    std::fs::create_dir_all(&corpus).unwrap();
    let cases = [
        ("en", "EUU_2024_ai_act_regulation_en.pdf", 5),
        ("fr", "FRA_2025_code_commerce_L225-102-1_vigilance_fr.pdf", 1),
        ("de", "DEU_2017_muschg_maternity_protection_law_de.pdf", 2),
        ("es", "PER_2021_pna_business_human_rights_nap_es.pdf", 10),
    ];
    let mut rows = Vec::new();
    for (lang, src, page) in cases {
        std::fs::copy(root().join("corpus").join(src), corpus.join(src)).unwrap();
        let name = format!("scan_{lang}.pdf");
        scan(src, &page.to_string(), &corpus.join(&name));
        rows.push((format!("scan_{lang}"), lang, name));
        rows.push((format!("orig_{lang}"), lang, src.to_string()));
    }
    let rows: Vec<(&str, &str, &str)> =
        rows.iter().map(|(a, b, c)| (a.as_str(), *b, c.as_str())).collect();
    let m = manifest(&corpus, &rows);
    let out = w.run(&m, &[]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let docs = w.csv("documents.csv");
    let text = texts(&w, &m, &[]);
    for (lang, _, page) in cases {
        let id = format!("scan_{lang}");
        let d = row(&docs, &id);
        assert_eq!(d["status"], "ok", "{d:?}");
        assert_eq!((d["ocr_pages"].as_str(), d["pages_needing_ocr"].as_str()), ("1", "0"));
        let f1 = token_f1(&text[&id][0], &text[&format!("orig_{lang}")][page - 1]);
        assert!(f1 >= 0.9, "{lang}: token F1 {f1:.3}");
        assert_eq!(row(&docs, &format!("orig_{lang}"))["ocr_pages"], "0");
    }
    // Evidence and the index say which pages came from OCR; run.json has their confidence.
    let ev = w.csv("evidence.csv");
    assert!(ev.iter().any(|e| e["doc_id"] == "scan_fr" && e["ocr"] == "true"), "{ev:?}");
    assert!(ev.iter().filter(|e| e["doc_id"].starts_with("orig_")).all(|e| e["ocr"] == "false"));
    let idx = w.path("index");
    let s = w
        .cmd(&["search", "vigilance AND source:ocr", "--index", idx.to_str().unwrap()])
        .output()
        .unwrap();
    let s = String::from_utf8_lossy(&s.stdout);
    assert!(s.contains("scan_fr p.1 (OCR)"), "{s}");
    assert!(!s.contains("orig_fr"), "{s}");
    let run: serde_json::Value =
        serde_json::from_slice(&std::fs::read(w.path("out/run.json")).unwrap()).unwrap();
    let file = run["files"].as_array().unwrap().iter().find(|f| f["doc_id"] == "scan_de").unwrap();
    let conf = file["ocr_pages"][0]["confidence"].as_f64().unwrap();
    assert!(conf > 80.0 && conf <= 100.0, "{conf}");
    assert_eq!(run["counts"]["ocr_pages"], 4);
    // A re-run OCRs nothing.
    let again = w.run(&m, &[]);
    assert_eq!(again.status.code(), Some(0));
    let run: serde_json::Value =
        serde_json::from_slice(&std::fs::read(w.path("out/run.json")).unwrap()).unwrap();
    assert_eq!(run["counts"]["ocr_pages"], 0);
    assert_eq!(row(&w.csv("documents.csv"), "scan_en")["ocr_pages"], "1");
    // With --ocr off the scans are unread again, and say so.
    let off = w.run(&m, &["--ocr", "off"]);
    assert_eq!(off.status.code(), Some(2), "{}", String::from_utf8_lossy(&off.stderr));
    assert_eq!(row(&w.csv("documents.csv"), "scan_en")["status"], "needs_ocr");
}

#[test]
fn a_mixed_document_keeps_its_page_numbers() {
    if !ocr_tools(&["deu"]) {
        return;
    }
    let w = Workdir::new();
    let dir = w.path("corpus");
    std::fs::create_dir_all(&dir).unwrap();
    let src = root().join("corpus/DEU_2017_muschg_maternity_protection_law_de.pdf");
    // Text page 1, scanned page 2, text page 3.
    for p in ["1", "3"] {
        let st = Command::new("pdfseparate")
            .args(["-f", p, "-l", p])
            .arg(&src)
            .arg(dir.join(format!("text{p}.pdf")))
            .status()
            .unwrap();
        assert!(st.success());
    }
    scan("DEU_2017_muschg_maternity_protection_law_de.pdf", "2", &dir.join("scan2.pdf"));
    let st = Command::new("pdfunite")
        .args(["text1.pdf", "scan2.pdf", "text3.pdf", "mixed.pdf"])
        .current_dir(&dir)
        .status()
        .unwrap();
    assert!(st.success());
    for f in ["text1.pdf", "scan2.pdf", "text3.pdf"] {
        std::fs::remove_file(dir.join(f)).unwrap();
    }
    std::fs::copy(&src, dir.join("orig.pdf")).unwrap();
    let m = manifest(&dir, &[("mixed", "de", "mixed.pdf"), ("orig", "de", "orig.pdf")]);
    let out = w.run(&m, &[]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let d = w.csv("documents.csv");
    assert_eq!(row(&d, "mixed")["pages"], "3");
    assert_eq!(row(&d, "mixed")["ocr_pages"], "1");
    assert_eq!(row(&d, "mixed")["status"], "ok");
    let text = texts(&w, &m, &[]);
    let (mixed, orig) = (&text["mixed"], &text["orig"]);
    assert_eq!(mixed[0], orig[0], "page 1 keeps its text layer");
    assert_eq!(mixed[2], orig[2], "page 3 keeps its text layer");
    let f1 = token_f1(&mixed[1], &orig[1]);
    assert!(f1 >= 0.9, "page 2 from OCR: token F1 {f1:.3}");
    let run: serde_json::Value =
        serde_json::from_slice(&std::fs::read(w.path("out/run.json")).unwrap()).unwrap();
    let file = run["files"].as_array().unwrap().iter().find(|f| f["doc_id"] == "mixed").unwrap();
    assert_eq!(file["ocr_pages"][0]["page"], 2);
    // Evidence on page 2 is marked as OCR, on pages 1 and 3 not.
    for e in w.csv("evidence.csv").iter().filter(|e| e["doc_id"] == "mixed") {
        assert_eq!(e["ocr"] == "true", e["page"] == "2", "{e:?}");
    }
    // --ocr force reads every page of the mixed document by OCR, page numbers unchanged.
    let only_mixed = manifest(&dir, &[("mixed", "de", "mixed.pdf")]);
    let out = w.run(&only_mixed, &["--ocr", "force"]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let d = w.csv("documents.csv");
    assert_eq!(row(&d, "mixed")["ocr_pages"], "3");
    let forced = texts(&w, &only_mixed, &["--ocr", "force"]);
    for p in 0..3 {
        let f1 = token_f1(&forced["mixed"][p], &orig[p]);
        assert!(f1 >= 0.9, "page {}: token F1 {f1:.3}", p + 1);
    }
}

/// A PDF of image-only pages built in memory: deterministic noise, a blank white page, and an
/// image whose compressed stream is garbage.
fn picture_pdf() -> Vec<u8> {
    use lopdf::{Document, Object, Stream, dictionary};
    let mut doc = Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let (w, h) = (400i64, 300i64);
    let mut seed = 12345u32;
    let noise: Vec<u8> = (0..w * h)
        .map(|_| {
            seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12345);
            (seed >> 16) as u8
        })
        .collect();
    let white = vec![255u8; (w * h) as usize];
    let image = |data: Vec<u8>, filter: Option<&str>| {
        let mut d = dictionary! {
            "Type" => "XObject", "Subtype" => "Image", "Width" => w, "Height" => h,
            "ColorSpace" => "DeviceGray", "BitsPerComponent" => 8,
        };
        if let Some(f) = filter {
            d.set("Filter", Object::Name(f.as_bytes().to_vec()));
        }
        Stream::new(d, data)
    };
    let garbage = b"this is not a deflate stream at all".repeat(20);
    let mut kids = Vec::new();
    for img in [image(noise, None), image(white, None), image(garbage, Some("FlateDecode"))] {
        let img = doc.add_object(img);
        let content =
            doc.add_object(Stream::new(dictionary! {}, b"q 400 0 0 300 0 0 cm /Im0 Do Q".to_vec()));
        kids.push(Object::from(doc.add_object(dictionary! {
            "Type" => "Page", "Parent" => pages_id, "Contents" => content,
            "MediaBox" => vec![0.into(), 0.into(), 400.into(), 300.into()],
            "Resources" => dictionary! { "XObject" => dictionary! { "Im0" => img } },
        })));
    }
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! { "Type" => "Pages", "Kids" => kids, "Count" => 3 }),
    );
    let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog);
    let mut out = Vec::new();
    doc.save_to(&mut out).unwrap();
    out
}

/// A folder with `pictures.pdf` (three image-only pages) and a text document, and its manifest.
fn pictures_corpus(w: &Workdir) -> PathBuf {
    let dir = w.path("corpus");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("pictures.pdf"), picture_pdf()).unwrap();
    std::fs::write(dir.join("note.txt"), "States must protect against human rights abuse.")
        .unwrap();
    manifest(&dir, &[("pictures", "en", "pictures.pdf"), ("note", "en", "note.txt")])
}

#[test]
fn pictures_without_words_are_read_not_lost() {
    if !ocr_tools(&["eng"]) {
        return;
    }
    let w = Workdir::new();
    let m = pictures_corpus(&w);
    let out = w.run(&m, &[]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    let d = w.csv("documents.csv");
    let p = row(&d, "pictures");
    assert_eq!(p["pages"], "3", "{stderr}");
    assert_eq!(p["pages_needing_ocr"], "0", "{p:?}");
    assert_eq!(p["ocr_pages"], "3", "{p:?}");
    // Noise, a white page and an undecodable image hold no words: the document was read whole.
    assert_eq!(p["status"], "ok", "{p:?}; {stderr}");
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert_eq!(row(&d, "note")["status"], "ok");
}

/// A folder of stand-ins for `pdftoppm` and `tesseract` (shell scripts), to put first on the PATH.
fn fake_tools(w: &Workdir, tesseract: Option<&str>) -> PathBuf {
    use std::os::unix::fs::PermissionsExt;
    let bin = w.path("bin");
    std::fs::create_dir_all(&bin).unwrap();
    let write = |name: &str, body: &str| {
        let p = bin.join(name);
        std::fs::write(&p, format!("#!/bin/sh\n{body}\n")).unwrap();
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o755)).unwrap();
    };
    // A 2 x 2 white PGM on stdout.
    write("pdftoppm", "[ \"$1\" = -v ] && exit 0\nprintf 'P5\\n2 2\\n255\\n\\377\\377\\377\\377'");
    if let Some(behaviour) = tesseract {
        write(
            "tesseract",
            &format!(
                "case \"$1\" in\n--version) echo 'tesseract 9.9.9';;\n--list-langs) printf \
                 'List of available languages (1):\\neng\\n';;\n*) /bin/cat >/dev/null; {behaviour};;\nesac"
            ),
        );
    }
    bin
}

fn run_with_path(w: &Workdir, m: &Path, path: &Path, extra: &[&str]) -> std::process::Output {
    w.run_command(m, extra).env("PATH", path).output().unwrap()
}

#[test]
fn without_tesseract_pages_stay_unread_and_one_row_says_what_to_install() {
    let w = Workdir::new();
    let m = pictures_corpus(&w);
    let bin = fake_tools(&w, None);
    let out = run_with_path(&w, &m, &bin, &[]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    let d = w.csv("documents.csv");
    assert_eq!(row(&d, "pictures")["status"], "needs_ocr");
    assert_eq!(row(&d, "pictures")["pages_needing_ocr"], "3");
    assert_eq!(row(&d, "note")["status"], "ok", "the batch goes on");
    let fails = w.csv("failures.csv");
    assert_eq!(fails.len(), 1, "{fails:?}");
    assert_eq!(fails[0]["stage"], "ocr");
    assert!(fails[0]["reason"].contains("apt-get install"), "{fails:?}");
    assert!(fails[0]["reason"].contains("tesseract-ocr"), "{fails:?}");
    assert!(stderr.contains("tesseract"), "the summary names the problem: {stderr}");
}

#[test]
fn a_hanging_or_crashing_tesseract_costs_its_pages_not_the_batch() {
    for (behaviour, expect) in
        [("/bin/sleep 30", "no OCR result after 1 s"), ("kill -SEGV $$", "tesseract failed")]
    {
        let w = Workdir::new();
        let m = pictures_corpus(&w);
        let bin = fake_tools(&w, Some(behaviour));
        let started = std::time::Instant::now();
        let out = run_with_path(&w, &m, &bin, &["--ocr-timeout", "1", "--jobs", "2"]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(started.elapsed().as_secs() < 25, "{behaviour}: took {:?}", started.elapsed());
        assert_eq!(out.status.code(), Some(2), "{stderr}");
        let d = w.csv("documents.csv");
        assert_eq!(row(&d, "pictures")["status"], "needs_ocr", "{behaviour}");
        assert_eq!(row(&d, "note")["status"], "ok");
        let fails = w.csv("failures.csv");
        let ocr: Vec<_> =
            fails.iter().filter(|f| f["stage"] == "ocr" && !f["page"].is_empty()).collect();
        assert_eq!(ocr.len(), 3, "{behaviour}: one row per page: {fails:?}");
        assert!(ocr.iter().all(|f| f["reason"].contains(expect)), "{behaviour}: {fails:?}");
    }
}
