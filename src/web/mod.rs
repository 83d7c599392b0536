//! The local web app (`napscan serve`) and the self-contained HTML report (`napscan report`): the
//! coverage heatmap, search, documents, concepts, evidence with links to the cited PDF page, and
//! the CSV downloads. Served by the binary itself with tiny_http, fully offline, read-only (GET and
//! HEAD only), on loopback by default. Every piece of text is escaped; only files listed in the
//! manifest are served; bad requests get a clear message, never a 500.

mod compare;
pub mod countries;
pub mod data;
mod evidence;
pub mod html;
mod pages;
pub mod report;

use std::io::Cursor;
use std::net::SocketAddr;
use std::path::Path;

use tiny_http::{Header, Method, Request, Response, Server};

use crate::error::Error;
use crate::index::PageIndex;
pub use data::Data;

/// A response before it is sent: status, content type, body.
#[derive(Debug)]
pub struct Reply {
    /// HTTP status.
    pub status: u16,
    /// Content type.
    pub content_type: String,
    /// Body.
    pub body: Vec<u8>,
}

impl Reply {
    fn html(status: u16, body: String) -> Reply {
        Reply { status, content_type: "text/html; charset=utf-8".into(), body: body.into_bytes() }
    }

    fn json(status: u16, v: &serde_json::Value) -> Reply {
        Reply {
            status,
            content_type: "application/json".into(),
            body: serde_json::to_vec_pretty(v).unwrap_or_default(),
        }
    }

    fn not_found(what: &str) -> Reply {
        Reply::html(
            404,
            html::page("Not found", &format!("<h1>Not found</h1><p>{}</p>", html::esc(what)), true),
        )
    }

    fn bad_request(msg: &str) -> Reply {
        Reply::html(
            400,
            html::page(
                "Bad request",
                &format!("<h1>Bad request</h1><p class=\"error\">{}</p>", html::esc(msg)),
                true,
            ),
        )
    }
}

/// The app: data and, when built, the search index.
pub struct App {
    /// The run's outputs.
    pub data: Data,
    /// The page index (search is disabled without it).
    pub index: Option<PageIndex>,
}

impl App {
    /// Loads the outputs in `out_dir` and opens the index in `index_dir` if there is one.
    pub fn load(out_dir: &Path, index_dir: &Path, manifest: Option<&Path>) -> Result<App, Error> {
        let data = Data::load(out_dir, manifest)?;
        let index = PageIndex::open(index_dir).ok();
        Ok(App { data, index })
    }

    /// Answers one GET request (path with query string).
    pub fn handle(&self, target: &str) -> Reply {
        let (path, query) = target.split_once('?').unwrap_or((target, ""));
        let params = parse_query(query);
        let segments: Vec<String> =
            path.trim_start_matches('/').split('/').map(percent_decode).collect();
        let segs: Vec<&str> = segments.iter().map(String::as_str).collect();
        match segs.as_slice() {
            [""] => pages::heatmap(self, &params),
            ["search"] => pages::search(self, &params),
            ["api", "search"] => pages::api_search(self, &params),
            ["evidence"] => evidence::evidence(self, &params),
            ["compare"] => compare::compare(self, &params),
            ["mix"] => compare::mix(self, &params),
            ["doc", id] => pages::document(self, id),
            ["concept", id] => pages::concept(self, id),
            ["pdf", id] => self.source_file(id),
            ["downloads"] => pages::downloads(self),
            ["downloads", name] => self.download(name),
            _ => Reply::not_found("No such page."),
        }
    }

    fn source_file(&self, id: &str) -> Reply {
        let Some(path) = self.data.files.get(id) else {
            return Reply::not_found("No such document.");
        };
        match std::fs::read(path) {
            Ok(body) => {
                let ext =
                    path.extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase();
                // Only PDFs are shown as such; any other source is shown as plain text, never as HTML.
                let content_type =
                    if ext == "pdf" { "application/pdf" } else { "text/plain; charset=utf-8" };
                Reply { status: 200, content_type: content_type.into(), body }
            }
            Err(_) => Reply::not_found("The source file cannot be read."),
        }
    }

    fn download(&self, name: &str) -> Reply {
        if !DOWNLOADS.contains(&name) {
            return Reply::not_found("No such download.");
        }
        match std::fs::read(self.data.out_dir.join(name)) {
            Ok(body) => {
                let ct = if name.ends_with(".json") {
                    "application/json"
                } else {
                    "text/csv; charset=utf-8"
                };
                Reply { status: 200, content_type: ct.into(), body }
            }
            Err(_) => Reply::not_found("That file has not been written by the last run."),
        }
    }
}

/// The files `/downloads` offers (nothing else in the output folder is served).
pub const DOWNLOADS: &[&str] = &[
    "documents.csv",
    "failures.csv",
    "evidence.csv",
    "coverage_by_document.csv",
    "coverage_by_country.csv",
    "matrix_by_document.csv",
    "matrix_by_country.csv",
    "smart_mix_by_document.csv",
    "smart_mix_by_country.csv",
    "eval.csv",
    "run.json",
];

/// Decodes `%XX` escapes and `+` (as space in queries); invalid UTF-8 is replaced.
pub fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'%' if i + 2 < b.len() => {
                match u8::from_str_radix(std::str::from_utf8(&b[i + 1..i + 3]).unwrap_or("zz"), 16)
                {
                    Ok(v) => {
                        out.push(v);
                        i += 3;
                    }
                    Err(_) => {
                        out.push(b'%');
                        i += 1;
                    }
                }
            }
            c => {
                out.push(c);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Parses a query string into (key, value) pairs, decoded.
pub fn parse_query(q: &str) -> Vec<(String, String)> {
    q.split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (percent_decode(&k.replace('+', " ")), percent_decode(&v.replace('+', " ")))
        })
        .collect()
}

/// The first value of a parameter, trimmed; empty when absent.
pub fn param<'a>(params: &'a [(String, String)], key: &str) -> &'a str {
    params.iter().find(|(k, _)| k == key).map_or("", |(_, v)| v.trim())
}

/// The request's parameters without `key`, as a query string ending in `&` (for "show all" links
/// that change one parameter and keep the rest).
fn query_without(params: &[(String, String)], key: &str) -> String {
    params
        .iter()
        .filter(|(k, _)| k != key)
        .map(|(k, v)| format!("{}={}&", html::url(k), html::url(v)))
        .collect()
}

/// Runs the server until the process is stopped. `ready` is called with the bound address.
pub fn serve(app: App, bind: SocketAddr, ready: impl FnOnce(SocketAddr)) -> Result<(), Error> {
    let server =
        Server::http(bind).map_err(|e| Error::Other(format!("cannot listen on {bind}: {e}")))?;
    let addr = server.server_addr().to_ip().unwrap_or(bind);
    ready(addr);
    let app = std::sync::Arc::new(app);
    std::thread::scope(|s| {
        for _ in 0..4 {
            let (server, app) = (&server, &app);
            s.spawn(move || {
                while let Ok(req) = server.recv() {
                    respond(app, req);
                }
            });
        }
    });
    Ok(())
}

/// Answers with `handle`'s reply, or with 500 when it panics: a defect of the server, not of the
/// request (which would be 4xx), and one that costs only this request.
fn guarded(handle: impl FnOnce() -> Reply) -> Reply {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(handle)) {
        Ok(r) => r,
        Err(_) => Reply {
            status: 500,
            content_type: "text/plain; charset=utf-8".into(),
            body: b"internal error: this request could not be answered\n".to_vec(),
        },
    }
}

fn respond(app: &App, req: Request) {
    let reply = match req.method() {
        Method::Get | Method::Head => {
            let url = req.url().to_string();
            guarded(|| app.handle(&url))
        }
        _ => Reply {
            status: 405,
            content_type: "text/plain".into(),
            body: b"read-only: GET and HEAD only\n".to_vec(),
        },
    };
    let head = *req.method() == Method::Head;
    let len = reply.body.len();
    let body = if head { Vec::new() } else { reply.body };
    let mut resp =
        Response::new(reply.status.into(), Vec::new(), Cursor::new(body), Some(len), None)
            .with_chunked_threshold(usize::MAX);
    for (k, v) in [
        ("Content-Type", reply.content_type.as_str()),
        ("X-Content-Type-Options", "nosniff"),
        ("Referrer-Policy", "no-referrer"),
        (
            "Content-Security-Policy",
            "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'; object-src 'self'; base-uri 'none'; form-action 'self'",
        ),
    ] {
        if let Ok(h) = Header::from_bytes(k.as_bytes(), v.as_bytes()) {
            resp.add_header(h);
        }
    }
    let _ = req.respond(resp);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panicking_handler_answers_500() {
        let prev = std::panic::take_hook();
        std::panic::set_hook(Box::new(|_| {}));
        let r = guarded(|| panic!("a defect"));
        std::panic::set_hook(prev);
        assert_eq!(r.status, 500);
        assert_eq!(guarded(|| Reply::bad_request("no")).status, 400);
    }

    #[test]
    fn decoding() {
        assert_eq!(percent_decode("..%2f..%2Fetc%2fpasswd"), "../../etc/passwd");
        assert_eq!(percent_decode("a%zz%"), "a%zz%");
        assert_eq!(
            parse_query("q=%22due+diligence%22&country=FRA"),
            [
                ("q".to_string(), "\"due diligence\"".to_string()),
                ("country".to_string(), "FRA".to_string())
            ]
        );
    }
}
