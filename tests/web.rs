//! The web app over HTTP (routes, status codes, escaping of hostile titles and page text, path
//! traversal and symlink escapes, read-only) and in a real headless Chromium over WebDriver (load
//! the heatmap, click a cell, run a search, follow an evidence link to its page), with screenshots
//! saved under target/screenshots/.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use crate::util::{Workdir, fixtures};

/// A running `napscan serve`, killed on drop.
struct Server {
    child: Child,
    port: u16,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn serve(w: &Workdir) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_napscan"))
        .args([
            "serve",
            "--port",
            "0",
            "--index",
            w.path("index").to_str().unwrap(),
            "--out",
            w.path("out").to_str().unwrap(),
        ])
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stderr.as_mut().unwrap()).read_line(&mut line).unwrap();
    let port = line
        .rsplit(':')
        .next()
        .unwrap()
        .trim_end_matches(|c: char| !c.is_ascii_digit())
        .parse()
        .unwrap_or_else(|_| panic!("{line}"));
    Server { child, port }
}

/// A raw HTTP request; returns (status, body).
fn http(port: u16, method: &str, target: &str) -> (u16, String) {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(s, "{method} {target} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
        .unwrap();
    let mut buf = Vec::new();
    s.read_to_end(&mut buf).unwrap();
    let text = String::from_utf8_lossy(&buf).into_owned();
    let status = text.split_whitespace().nth(1).unwrap().parse().unwrap();
    let body = text.split_once("\r\n\r\n").map(|x| x.1.to_string()).unwrap_or_default();
    (status, body)
}

/// A corpus with a hostile title and text, a real PDF, and a symlink that points outside.
fn hostile_run() -> Workdir {
    let w = Workdir::new();
    let c = w.path("corpus");
    std::fs::create_dir_all(&c).unwrap();
    std::fs::copy(fixtures().join("web/hostile_en.txt"), c.join("hostile_en.txt")).unwrap();
    std::fs::copy(
        fixtures().join("corpus/FRA_2025_code_commerce_L225-102-1_vigilance_fr.pdf"),
        c.join("fra.pdf"),
    )
    .unwrap();
    std::os::unix::fs::symlink("/etc/hostname", c.join("escape.txt")).unwrap();
    std::fs::write(
        c.join("manifest.csv"),
        "doc_id,country,year,doc_type,lang,title,path\n\
         NAP_xss,GBR,2020,nap,en,\"<script>alert(\"\"title\"\")</script> Hostile title\",hostile_en.txt\n\
         FRA_vigilance,FRA,2025,law,fr,Code de commerce L225-102-1,fra.pdf\n\
         ESCAPE,GBR,2020,other,en,Symlink out of the corpus,escape.txt\n",
    )
    .unwrap();
    let out = w.run(&c.join("manifest.csv"), &[]);
    assert!(
        out.status.code() == Some(0) || out.status.code() == Some(2),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    w
}

#[test]
fn routes_escaping_and_traversal() {
    let w = hostile_run();
    let s = serve(&w);
    for (target, want) in [
        ("/", 200),
        ("/?view=documents&metric=documents", 200),
        ("/search", 200),
        ("/search?q=vigilance&country=FRA", 200),
        ("/api/search?q=vigilance", 200),
        ("/doc/NAP_xss", 200),
        ("/doc/FRA_vigilance", 200),
        ("/concept/hrdd", 200),
        ("/evidence?country=GBR&concept=hrdd", 200),
        ("/downloads", 200),
        ("/downloads/evidence.csv", 200),
        ("/pdf/FRA_vigilance", 200),
        ("/doc/nope", 404),
        ("/concept/nope", 404),
        ("/pdf/..%2f..%2fetc%2fpasswd", 404),
        ("/pdf/../../etc/passwd", 404),
        ("/downloads/..%2f..%2fetc%2fpasswd", 404),
        ("/downloads/.napscan.lock", 404),
        ("/pdf/ESCAPE", 404),
        ("/search?q=%22unclosed", 400),
        ("/search?q=rights&year=20x0", 400),
        ("/api/search?q=%22unclosed", 400),
        ("/evidence?concept=%3Cscript%3E", 400),
    ] {
        let (status, body) = http(s.port, "GET", target);
        assert_eq!(status, want, "{target}: {body}");
        if body.starts_with("<!DOCTYPE html") {
            assert!(
                !body.contains("<script>alert") && !body.contains("<img src=x"),
                "{target} leaks raw HTML"
            );
        }
    }
    let (_, doc) = http(s.port, "GET", "/doc/NAP_xss");
    assert!(doc.contains("&lt;script&gt;alert(&quot;title&quot;)&lt;/script&gt; Hostile title"));
    let (_, ev) = http(s.port, "GET", "/evidence?doc=NAP_xss");
    assert!(ev.contains("&lt;img src=x onerror=alert(1)&gt;"), "{ev}");
    let (_, found) = http(s.port, "GET", "/search?q=%3Cscript%3E+hostile");
    assert!(!found.contains("<script>"));
    // Evidence shows the whole sentence with the matched words marked.
    let (_, ev) = http(s.port, "GET", "/evidence?doc=FRA_vigilance");
    assert!(ev.to_lowercase().contains("<mark>plan de vigilance</mark>"), "{ev}");
    let (_, pdf) = http(s.port, "GET", "/pdf/FRA_vigilance");
    assert!(pdf.starts_with("%PDF"));
    let (_, api) = http(s.port, "GET", "/api/search?q=%22devoir+de+vigilance%22");
    let v: serde_json::Value = serde_json::from_str(&api).unwrap();
    assert!(v["hits"].as_array().unwrap().iter().all(|h| h["doc_id"] == "FRA_vigilance"));
    assert_eq!(http(s.port, "POST", "/").0, 405);
    assert_eq!(http(s.port, "DELETE", "/doc/NAP_xss").0, 405);
}

#[test]
fn report_is_self_contained_and_escaped() {
    let w = hostile_run();
    let file = w.path("report.html");
    let out = w
        .cmd(&[
            "report",
            "--html",
            file.to_str().unwrap(),
            "--out",
            w.path("out").to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let html = std::fs::read_to_string(&file).unwrap();
    assert!(html.contains("<table class=\"heat\">") && html.contains("Human rights due diligence"));
    assert!(html.contains("p. 1 (printed 1)"));
    assert!(!html.contains("<script") && !html.contains("<img src=x"));
    assert!(!html.contains("src=\"http") && !html.contains("href=\"http"), "no external resources");
}

// --- End to end in headless Chromium, over WebDriver -------------------------------------------

fn chromedriver() -> Option<PathBuf> {
    ["/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver"]
        .iter()
        .map(PathBuf::from)
        .find(|p| p.exists())
}

struct Driver {
    child: Child,
    port: u16,
    session: String,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = wd(self.port, "DELETE", &format!("/session/{}", self.session), None);
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn wd(port: u16, method: &str, path: &str, body: Option<serde_json::Value>) -> serde_json::Value {
    let body = body.map(|b| b.to_string()).unwrap_or_default();
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(std::time::Duration::from_secs(60))).unwrap();
    write!(s, "{method} {path} HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}", body.len()).unwrap();
    // Read the head, then exactly Content-Length bytes: chromedriver may keep the connection open.
    let mut r = BufReader::new(s);
    let mut len = 0usize;
    loop {
        let mut line = String::new();
        if r.read_line(&mut line).unwrap() == 0 || line == "\r\n" {
            break;
        }
        if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
            len = v.trim().parse().unwrap_or(0);
        }
    }
    let mut buf = vec![0u8; len];
    r.read_exact(&mut buf).unwrap();
    serde_json::from_slice(&buf)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&buf)))
}

impl Driver {
    fn start() -> Option<Driver> {
        let bin = chromedriver()?;
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let child = Command::new(bin)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .ok()?;
        for _ in 0..100 {
            if TcpStream::connect(("127.0.0.1", port)).is_ok() {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        let user_dir = tempfile::tempdir().unwrap().keep();
        let caps = serde_json::json!({"capabilities": {"alwaysMatch": {"browserName": "chrome", "goog:chromeOptions": {
            "binary": "/usr/bin/chromium",
            "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                     "--disable-component-update", "--disable-sync", "--window-size=1280,900", format!("--user-data-dir={}", user_dir.display())]
        }}}});
        let v = wd(port, "POST", "/session", Some(caps));
        let session = v["value"]["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("no session: {v}"))
            .to_string();
        Some(Driver { child, port, session })
    }

    fn cmd(&self, method: &str, path: &str, body: Option<serde_json::Value>) -> serde_json::Value {
        wd(self.port, method, &format!("/session/{}{path}", self.session), body)["value"].clone()
    }

    fn go(&self, url: &str) {
        self.cmd("POST", "/url", Some(serde_json::json!({"url": url})));
    }

    fn find(&self, css: &str) -> String {
        let v = self.cmd(
            "POST",
            "/element",
            Some(serde_json::json!({"using": "css selector", "value": css})),
        );
        v.as_object()
            .and_then(|o| o.values().next())
            .and_then(|x| x.as_str())
            .unwrap_or_else(|| panic!("no element {css}: {v}"))
            .to_string()
    }

    fn url(&self) -> String {
        self.cmd("GET", "/url", None).as_str().unwrap_or_default().to_string()
    }

    fn source(&self) -> String {
        self.cmd("GET", "/source", None).as_str().unwrap_or_default().to_string()
    }

    fn screenshot(&self, name: &str) {
        let b64 = self.cmd("GET", "/screenshot", None).as_str().unwrap_or_default().to_string();
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/screenshots");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join(format!("{name}.png")), base64_decode(&b64)).unwrap();
    }
}

fn base64_decode(s: &str) -> Vec<u8> {
    let val = |c: u8| match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'+' => 62,
        _ => 63,
    };
    let bytes: Vec<u8> = s.bytes().filter(|c| !c.is_ascii_whitespace() && *c != b'=').collect();
    let mut out = Vec::with_capacity(bytes.len() * 3 / 4);
    for chunk in bytes.chunks(4) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |acc, (i, &c)| acc | (u32::from(val(c)) << (18 - 6 * i)));
        out.extend_from_slice(&n.to_be_bytes()[1..chunk.len()]);
    }
    out
}

#[test]
fn browser_heatmap_click_search_and_evidence_link() {
    let Some(driver) = Driver::start() else {
        assert!(
            std::env::var_os("NAPSCAN_REQUIRE_BROWSER").is_none(),
            "chromedriver is required but missing"
        );
        eprintln!(
            "skipped: no chromedriver (install chromium and chromium-driver, or set NAPSCAN_REQUIRE_BROWSER=1 to fail)"
        );
        return;
    };
    let w = Workdir::new();
    let out = w.run(&Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/manifest.csv"), &[]);
    assert!(out.status.code() == Some(0) || out.status.code() == Some(2));
    let s = serve(&w);
    let base = format!("http://127.0.0.1:{}", s.port);
    // The heatmap, then a click on a cell with evidence.
    driver.go(&format!("{base}/"));
    assert!(driver.source().contains("UNGP coverage"));
    driver.screenshot("heatmap");
    let cell = driver.find("table.heat td.cell.hit a");
    driver.cmd("POST", &format!("/element/{cell}/click"), Some(serde_json::json!({})));
    assert!(driver.url().contains("/evidence?"), "{}", driver.url());
    assert!(driver.source().contains("class=\"ev\""));
    driver.screenshot("evidence");
    // A search typed into the form.
    driver.go(&format!("{base}/search"));
    let input = driver.find("input[name=q]");
    driver.cmd(
        "POST",
        &format!("/element/{input}/value"),
        Some(serde_json::json!({"text": "\"devoir de vigilance\""})),
    );
    let button = driver.find("form.search button");
    driver.cmd("POST", &format!("/element/{button}/click"), Some(serde_json::json!({})));
    // The click may return before the form's navigation has started: wait for it.
    for _ in 0..50 {
        if driver.url().contains("/search?q=") {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    assert!(driver.url().contains("/search?q="), "{}", driver.url());
    let src = driver.source();
    assert!(
        src.contains("<mark>devoir</mark>") || src.contains("<mark>Devoir</mark>"),
        "no highlighted hit"
    );
    driver.screenshot("search");
    // An evidence link points at the cited page of the source PDF, which is served.
    let link = driver.find("a[href*='/pdf/']");
    let href = driver
        .cmd("GET", &format!("/element/{link}/attribute/href"), None)
        .as_str()
        .unwrap()
        .to_string();
    let (path, page) = href.split_once("#page=").expect("a #page= fragment");
    assert!(page.parse::<u32>().unwrap() >= 1);
    let path = path.trim_start_matches(&base);
    let (status, body) = http(s.port, "GET", path);
    assert_eq!(status, 200);
    assert!(body.starts_with("%PDF"));
    // Every view at desktop and at phone width (400 px): it renders, and at 400 px the page itself
    // never scrolls sideways (wide tables scroll inside their own box or stack into cards).
    let views = [
        ("heatmap-subconcepts", "/?view=documents&concepts=all".to_string(), "↳ "),
        (
            "compare",
            "/compare?country=FRA&country=PER&doc=DEU_2021_lksg_law_de".into(),
            "smart mix:",
        ),
        ("mix", "/mix".into(), "mandatory share"),
        ("document", "/doc/PER_2021_pna_business_human_rights_nap_es".into(), "Evidence by page"),
        ("concept", "/concept/access_to_remedy".into(), "Sub-concepts"),
        ("search-results", "/search?q=vigilance".into(), "matching pages"),
    ];
    for (width, suffix) in [(1280, ""), (400, "-phone")] {
        driver.cmd(
            "POST",
            "/window/rect",
            Some(serde_json::json!({"width": width, "height": 900})),
        );
        for (name, path, expect) in &views {
            driver.go(&format!("{base}{path}"));
            let src = driver.source();
            assert!(src.contains(expect), "{path} lacks {expect:?}");
            assert!(!src.contains("Bad request"), "{path}");
            driver.screenshot(&format!("{name}{suffix}"));
            let inner = driver.cmd(
                "POST",
                "/execute/sync",
                Some(serde_json::json!({"script": "return [document.documentElement.scrollWidth, window.innerWidth];", "args": []})),
            );
            let (scroll, inner) = (inner[0].as_u64().unwrap(), inner[1].as_u64().unwrap());
            assert!(
                scroll <= inner,
                "{path} at {width} px: the page is {scroll} px wide in a {inner} px window"
            );
        }
    }
    // The comparison's columns are the three picked, each with its evidence link.
    driver.go(&format!("{base}{}", views[1].1));
    let src = driver.source();
    assert!(src.contains("Peru") && src.contains("France"), "country names in the columns");
    assert!(src.contains("/evidence?country=PER&amp;concept="), "a link to Peru's evidence");
}

/// Queries against pages whose content is known, with the pages each must return, in the CLI and
/// in `/api/search`: operators, phrases, field filters and prefixes as the README documents them.
#[test]
fn the_query_table_holds_in_the_cli_and_the_api() {
    let w = Workdir::new();
    let d = w.path("corpus");
    std::fs::create_dir_all(&d).unwrap();
    let pages = |p: &[&str]| p.join("\u{c}");
    std::fs::write(
        d.join("en.txt"),
        pages(&[
            "Access to remedy for victims of corporate abuse.",
            "Remedies must be effective. Sustainability reporting is voluntary.",
            "Human rights due diligence is mandatory for large companies.",
        ]),
    )
    .unwrap();
    std::fs::write(
        d.join("fr.txt"),
        pages(&[
            "Le plan de vigilance comporte les mesures de vigilance raisonnable.",
            "Le devoir de vigilance s'applique aux sociétés.",
            "Les sociétés publient un rapport.",
        ]),
    )
    .unwrap();
    std::fs::write(
        d.join("de.txt"),
        pages(&[
            "Die Sorgfaltspflichten der Unternehmen.",
            "Unternehmen richten ein Beschwerdeverfahren ein.",
        ]),
    )
    .unwrap();
    std::fs::write(
        d.join("manifest.csv"),
        "doc_id,country,year,doc_type,lang,title,path\n\
         en,GBR,2017,nap,en,National Action Plan,en.txt\n\
         fr,FRA,2017,law,fr,Loi relative au devoir de vigilance,fr.txt\n\
         de,DEU,2021,law,de,Lieferkettengesetz,de.txt\n",
    )
    .unwrap();
    let out = w.run(&d.join("manifest.csv"), &[]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let table: &[(&str, &[&str])] = &[
        ("remed*", &["en1", "en2"]),
        ("remedies", &["en1", "en2"]),
        ("vigilan*", &["fr1", "fr2"]),
        ("Sorgfalt*", &["de1"]),
        ("sustainab*", &["en2"]),
        ("vigilance AND NOT devoir", &["fr1"]),
        ("vigilance NOT devoir", &["fr1"]),
        ("vigilance -devoir", &["fr1"]),
        ("vigilance AND NOT xyzzy", &["fr1", "fr2"]),
        ("xyzzy AND NOT devoir", &[]),
        ("\"devoir de vigilance\"", &["fr2"]),
        ("rapport OR Unternehmen", &["fr3", "de1", "de2"]),
        ("(remedy OR Beschwerdeverfahren) AND country:DEU", &["de2"]),
        ("sociétés country:FRA", &["fr2", "fr3"]),
        ("vigilance AND NOT devoir country:FRA", &["fr1"]),
        ("title:vigilance", &["fr1", "fr2", "fr3"]),
        ("remed* -effective", &["en1"]),
        ("source:text AND diligence", &["en3"]),
    ];
    let sorted = |mut v: Vec<String>| {
        v.sort();
        v
    };
    let idx = w.path("index");
    let server = serve(&w);
    for (q, want) in table {
        let want = sorted(want.iter().map(|s| s.to_string()).collect());
        let o = w
            .cmd(&[
                "search",
                q,
                "--index",
                idx.to_str().unwrap(),
                "--format",
                "json",
                "--limit",
                "100",
            ])
            .output()
            .unwrap();
        let cli: serde_json::Value = serde_json::from_slice(&o.stdout)
            .unwrap_or_else(|e| panic!("{q}: {e}: {}", String::from_utf8_lossy(&o.stderr)));
        let got = |v: &serde_json::Value| {
            sorted(
                v.as_array()
                    .unwrap()
                    .iter()
                    .map(|h| format!("{}{}", h["doc_id"].as_str().unwrap(), h["page"]))
                    .collect(),
            )
        };
        assert_eq!(got(&cli), want, "CLI: {q}");
        let enc: String = q
            .bytes()
            .map(|b| {
                if b.is_ascii_alphanumeric() {
                    (b as char).to_string()
                } else {
                    format!("%{b:02X}")
                }
            })
            .collect();
        let (status, body) = http(server.port, "GET", &format!("/api/search?q={enc}&limit=100"));
        assert_eq!(status, 200, "{q}: {body}");
        let api: serde_json::Value = serde_json::from_str(&body).unwrap();
        assert_eq!(got(&api["hits"]), want, "API: {q}");
    }
}

#[test]
fn the_report_and_kwic_use_the_lexicons_the_run_used() {
    // The web app and the report always showed the built-in concepts, and `kwic` ignored
    // `--lexicon`: every command now resolves lexicons one way, and the report reads the run's.
    let w = Workdir::new();
    let d = w.path("corpus");
    std::fs::create_dir_all(&d).unwrap();
    std::fs::write(d.join("a.txt"), "The ministry supports cooperative housing for workers.\n")
        .unwrap();
    std::fs::write(
        d.join("manifest.csv"),
        "doc_id,country,year,doc_type,lang,title,path\nA,GBR,2020,nap,en,Plan,a.txt\n",
    )
    .unwrap();
    let lex = w.path("housing.toml");
    std::fs::write(
        &lex,
        "name = \"housing\"\nversion = \"1\"\n[[concept]]\nid = \"coop_housing\"\n\
         label = \"Cooperative housing\"\npillar = \"\"\nungp = \"\"\n[concept.terms]\n\
         en = [\"cooperative housing\"]\n",
    )
    .unwrap();
    let out = w.run(&d.join("manifest.csv"), &["--lexicon", lex.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let file = w.path("report.html");
    let out_dir = w.path("out");
    let out = w
        .cmd(&["report", "--html", file.to_str().unwrap(), "--out", out_dir.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let html = std::fs::read_to_string(&file).unwrap();
    assert!(html.contains("Cooperative housing"), "the run's concept is shown");
    assert!(!html.contains("Human rights due diligence"), "the built-in concepts are not");
    let manifest = d.join("manifest.csv");
    let index = w.path("index");
    let out = w
        .cmd(&[
            "kwic",
            "coop_housing",
            "--lexicon",
            lex.to_str().unwrap(),
            "--manifest",
            manifest.to_str().unwrap(),
            "--index",
            index.to_str().unwrap(),
            "--out",
            out_dir.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("cooperative housing"));
}
