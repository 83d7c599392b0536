//! Render time of every web-app view on the default corpus (issue 14: under 20 ms a page). The
//! first run scans `corpus/manifest.csv` with the napscan binary into `target/bench/web`; then each
//! route is rendered in-process by `App::handle`, as `napscan serve` answers it (no socket).

use std::path::{Path, PathBuf};
use std::process::Command;

use napscan::web::App;

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench/web")
}

/// The routes measured: every view, with the heaviest parameters of each.
fn routes(app: &App) -> Vec<String> {
    let doc = app
        .data
        .docs
        .keys()
        .max_by_key(|id| app.data.evidence.iter().filter(|e| &e.doc_id == *id).count());
    let countries: Vec<&str> = {
        let mut c: Vec<&str> = app.data.docs.values().map(|d| d.country.as_str()).collect();
        c.sort_unstable();
        c.dedup();
        c
    };
    let mut r = vec![
        "/".to_string(),
        "/?view=documents&concepts=all".into(),
        "/mix".into(),
        "/mix?view=documents".into(),
        format!(
            "/compare?{}",
            countries.iter().map(|c| format!("country={c}")).collect::<Vec<_>>().join("&")
        ),
        "/concept/hrdd".into(),
        "/evidence?concept=hrdd".into(),
        "/search?q=rights".into(),
        "/search?q=%22devoir+de+vigilance%22+OR+Sorgfaltspflicht*".into(),
        "/downloads".into(),
    ];
    if let Some(d) = doc {
        r.push(format!("/doc/{d}"));
    }
    r
}

fn app() -> App {
    let d = dir();
    if !d.join("out/documents.csv").is_file() {
        let status = Command::new(env!("CARGO_BIN_EXE_napscan"))
            .args(["run", "--quiet", "--manifest"])
            .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/manifest.csv"))
            .arg("--out")
            .arg(d.join("out"))
            .arg("--index")
            .arg(d.join("index"))
            .status()
            .expect("run napscan");
        assert!(matches!(status.code(), Some(0 | 2)), "napscan run: {status}");
    }
    App::load(&d.join("out"), &d.join("index"), None).expect("load the run's outputs")
}

fn main() {
    let app = app();
    // Median and worst of 30 renders per route, after one warm-up: the figure the target names.
    for route in routes(&app) {
        let reply = app.handle(&route);
        assert_eq!(reply.status, 200, "{route}");
        let mut ms: Vec<f64> = (0..30)
            .map(|_| {
                let t = std::time::Instant::now();
                divan::black_box(app.handle(&route).body.len());
                t.elapsed().as_secs_f64() * 1000.0
            })
            .collect();
        ms.sort_by(f64::total_cmp);
        println!(
            "{route:<70} median {:>6.2} ms  max {:>6.2} ms  {:>7} KB",
            ms[ms.len() / 2],
            ms[ms.len() - 1],
            reply.body.len() / 1024
        );
    }
    divan::main();
}

#[divan::bench]
fn heatmap(b: divan::Bencher<'_, '_>) {
    let app = app();
    b.bench_local(|| app.handle("/").body.len());
}

#[divan::bench]
fn compare_every_country(b: divan::Bencher<'_, '_>) {
    let app = app();
    let route = routes(&app)[4].clone();
    b.bench_local(|| app.handle(&route).body.len());
}
