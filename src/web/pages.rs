//! The pages of the web app. Each takes the app and the request parameters and returns a
//! [`Reply`]; all text is escaped with [`esc`].

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;

use super::html::{self, HeatRow, esc, marked, page, url};
use super::{App, DOWNLOADS, Reply, param};
use crate::flag::Evidence;
use crate::search::{SearchOptions, parse_years, search_all as run_search};

fn num(s: &str) -> f64 {
    s.parse().unwrap_or(0.0)
}

/// `/`: countries (or documents) × concepts, coloured by rate per 10,000 words or by the share of
/// documents covering the concept; each cell links to its evidence.
pub(super) fn heatmap(app: &App, params: &[(String, String)]) -> Reply {
    let by_docs = param(params, "view") == "documents";
    let metric_docs = param(params, "metric") == "documents";
    let d = &app.data;
    let concepts = d.top_concepts();
    let columns: Vec<(String, String)> =
        concepts.iter().map(|c| (format!("/concept/{}", url(&c.id)), c.label.clone())).collect();
    let mut rows = Vec::new();
    if by_docs {
        let mut cov: BTreeMap<(&str, &str), &super::data::DocCoverageRow> = BTreeMap::new();
        for r in &d.doc_coverage {
            cov.insert((&r.doc_id, &r.concept), r);
        }
        for doc in d.docs.values() {
            let cells = concepts
                .iter()
                .map(|c| match cov.get(&(doc.doc_id.as_str(), c.id.as_str())) {
                    Some(r) if !r.hits.is_empty() => {
                        let v = if metric_docs {
                            num(&r.pages_with_hits)
                        } else {
                            num(&r.per_10k_words)
                        };
                        let text = if metric_docs {
                            r.pages_with_hits.clone()
                        } else {
                            format!("{:.1}", num(&r.per_10k_words))
                        };
                        (
                            v,
                            text,
                            format!("/evidence?doc={}&concept={}", url(&doc.doc_id), url(&c.id)),
                        )
                    }
                    Some(r) => (0.0, r.status.replace('_', " "), String::new()),
                    None => (0.0, String::new(), String::new()),
                })
                .collect();
            rows.push(HeatRow {
                label: format!(
                    "<a href=\"/doc/{}\" title=\"{}\">{}</a> <span class=\"muted\">{} {}</span>",
                    url(&doc.doc_id),
                    esc(&doc.doc_id),
                    esc(&short_title(&doc.title, &doc.doc_id)),
                    esc(&super::countries::label(&doc.country)),
                    doc.year
                ),
                cells,
            });
        }
    } else {
        let mut cov: BTreeMap<(&str, &str), &super::data::CountryCoverageRow> = BTreeMap::new();
        let mut countries = BTreeSet::new();
        for r in &d.country_coverage {
            cov.insert((&r.country, &r.concept), r);
            countries.insert(r.country.as_str());
        }
        for country in countries {
            let cells = concepts
                .iter()
                .map(|c| match cov.get(&(country, c.id.as_str())) {
                    Some(r) if r.documents > 0 => {
                        let (v, text) = if metric_docs {
                            (
                                r.documents_with_concept as f64 / r.documents as f64,
                                format!("{}/{}", r.documents_with_concept, r.documents),
                            )
                        } else {
                            (num(&r.per_10k_words), format!("{:.1}", num(&r.per_10k_words)))
                        };
                        (
                            v,
                            text,
                            format!("/evidence?country={}&concept={}", url(country), url(&c.id)),
                        )
                    }
                    _ => (0.0, "–".into(), String::new()),
                })
                .collect();
            rows.push(HeatRow { label: esc(&super::countries::label(country)), cells });
        }
    }
    let view = if by_docs { "documents" } else { "countries" };
    let metric = if metric_docs { "documents" } else { "rate" };
    let link = |v: &str, m: &str, text: &str, current: bool| {
        if current {
            format!("<strong aria-current=\"true\">{}</strong>", esc(text))
        } else {
            format!("<a href=\"/?view={v}&metric={m}\">{}</a>", esc(text))
        }
    };
    let unit = if metric_docs {
        if by_docs { "pages with evidence" } else { "documents covering the concept" }
    } else {
        "hits per 10,000 words"
    };
    let body = format!(
        "<h1>UNGP coverage</h1><p class=\"toggle\">Rows: {} {} · Colour: {} {}</p>{}<p class=\"muted\">{} documents · lexicon {} · click a cell for its evidence.</p>",
        link("countries", metric, "countries", !by_docs),
        link("documents", metric, "documents", by_docs),
        link(view, "rate", "rate per 10k words", !metric_docs),
        link(
            view,
            "documents",
            if by_docs { "pages covering" } else { "documents covering" },
            metric_docs
        ),
        html::heatmap(
            &format!("{} × concepts, {unit}", if by_docs { "documents" } else { "countries" }),
            unit,
            &columns,
            &rows
        ),
        d.docs.len(),
        esc(&d.lexicon),
    );
    Reply::html(200, page("Coverage heatmap", &body, true))
}

/// The evidence list of a selection, grouped by document and page.
pub(super) fn evidence_list(rows: &[&Evidence], limit: usize) -> String {
    let mut s = String::new();
    for e in rows.iter().take(limit) {
        let page_ref = if e.page_label != e.page.to_string() {
            format!("p. {} (printed {})", e.page, e.page_label)
        } else {
            format!("p. {}", e.page)
        };
        let _ = write!(
            s,
            "<div class=\"ev\"><div class=\"meta\"><a href=\"/doc/{id}\">{doc}</a> · <a href=\"/pdf/{id}#page={page}\">{pref}</a> · {concept} · <span class=\"tag {c}\">{c}</span> · term “{term}”</div><div>{snippet}</div></div>",
            id = url(&e.doc_id),
            doc = esc(&e.doc_id),
            page = e.page,
            pref = esc(&page_ref),
            concept = esc(&e.concept),
            c = esc(&e.commitment),
            term = esc(&e.term),
            snippet = passage(e),
        );
    }
    if rows.len() > limit {
        let _ = write!(
            s,
            "<p class=\"muted\">Showing {limit} of {} evidence rows. Every row: <a href=\"/downloads/evidence.csv\">evidence.csv</a>.</p>",
            rows.len()
        );
    }
    if rows.is_empty() {
        s.push_str("<p class=\"muted\">No evidence.</p>");
    }
    s
}

/// The evidence's whole sentence (its snippet when it has none) with the matched words marked.
fn passage(e: &Evidence) -> String {
    let text = if e.sentence.trim().is_empty() { &e.snippet } else { &e.sentence };
    let lower = text.to_lowercase();
    let needle = e.matched.to_lowercase();
    // Lowercasing keeps byte offsets for the scripts of the corpus; check before marking.
    match lower.find(&needle) {
        Some(i) if !needle.is_empty() && lower.len() == text.len() => {
            marked(text, &[(i, i + needle.len())])
        }
        _ => esc(text),
    }
}

fn matches_concept(e: &Evidence, concept: &str) -> bool {
    concept.is_empty() || e.concept == concept || e.parent == concept
}

/// `/evidence?country=&doc=&concept=`.
pub(super) fn evidence(app: &App, params: &[(String, String)]) -> Reply {
    let (country, doc, concept) =
        (param(params, "country"), param(params, "doc"), param(params, "concept"));
    if !concept.is_empty() && app.data.concept(concept).is_none() {
        return Reply::bad_request(&format!("unknown concept `{concept}`"));
    }
    let rows: Vec<&Evidence> = app
        .data
        .evidence
        .iter()
        .filter(|e| {
            (country.is_empty() || e.country == country)
                && (doc.is_empty() || e.doc_id == doc)
                && matches_concept(e, concept)
        })
        .collect();
    let what = [country, doc, concept]
        .iter()
        .filter(|s| !s.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join(" · ");
    let body = format!(
        "<h1>Evidence: {}</h1><p class=\"muted\">{} passages</p>{}",
        esc(&what),
        rows.len(),
        evidence_list(&rows, 500)
    );
    Reply::html(200, page("Evidence", &body, true))
}

fn search_options(params: &[(String, String)]) -> Result<SearchOptions, String> {
    let q = param(params, "q");
    if q.is_empty() {
        return Err(String::new());
    }
    if q.len() > 500 {
        return Err("the query is too long (500 characters at most)".into());
    }
    let list = |k: &str| -> Vec<String> {
        params
            .iter()
            .filter(|(key, v)| key == k && !v.trim().is_empty())
            .map(|(_, v)| v.trim().to_string())
            .collect()
    };
    let year = param(params, "year");
    let years = if year.is_empty() { None } else { Some(parse_years(year)?) };
    let limit = param(params, "limit").parse().unwrap_or(50usize).clamp(1, 500);
    Ok(SearchOptions {
        query: q.to_string(),
        countries: list("country"),
        doc_types: list("doc_type"),
        langs: list("lang"),
        years,
        concepts: list("concept"),
        commitments: list("commitment"),
        limit,
    })
}

/// A document's title cut to 60 characters at a word boundary (its id when it has none).
fn short_title(title: &str, doc_id: &str) -> String {
    let t = title.trim();
    if t.is_empty() {
        return doc_id.to_string();
    }
    if t.chars().count() <= 60 {
        return t.to_string();
    }
    let cut: String = t.chars().take(60).collect();
    let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(a, _)| a);
    format!("{cut}…")
}

/// `/search?q=…`: a form and highlighted results with page numbers.
pub(super) fn search(app: &App, params: &[(String, String)]) -> Reply {
    let q = param(params, "q");
    let select = |name: &str, values: Vec<String>| {
        let current = param(params, name);
        let mut s = format!(
            "<label>{}<select name=\"{name}\"><option value=\"\">any</option>",
            name.replace('_', " ")
        );
        for v in values {
            let sel = if v == current { " selected" } else { "" };
            let _ = write!(s, "<option value=\"{}\"{sel}>{}</option>", esc(&v), esc(&v));
        }
        s.push_str("</select></label>");
        s
    };
    let d = &app.data;
    let uniq = |f: &dyn Fn(&super::data::DocRow) -> String| {
        d.docs.values().map(f).collect::<BTreeSet<_>>().into_iter().collect::<Vec<_>>()
    };
    let mut body = format!(
        "<h1>Search</h1><form class=\"search\" action=\"/search\" method=\"get\" role=\"search\"><label>query<input name=\"q\" value=\"{}\" size=\"40\" autofocus placeholder='\"grievance mechanism\" OR vigilance'></label>{}{}{}<label>years<input name=\"year\" value=\"{}\" size=\"9\" placeholder=\"2015..2024\"></label>{}{}<button type=\"submit\">Search</button></form>",
        esc(q),
        select("country", uniq(&|r| r.country.clone())),
        select("doc_type", uniq(&|r| r.doc_type.clone())),
        select("lang", uniq(&|r| r.lang.clone())),
        esc(param(params, "year")),
        select("concept", d.concepts.iter().map(|c| c.id.clone()).collect()),
        select("commitment", vec!["mandatory".into(), "voluntary".into(), "none".into()]),
    );
    match (search_options(params), &app.index) {
        (Err(e), _) if e.is_empty() => body.push_str("<p class=\"muted\">Phrases in quotes, AND / OR / NOT, field:value (country:FRA). Words are stemmed in each document's language.</p>"),
        (Err(e), _) => {
            let _ = write!(body, "<p class=\"error\">{}</p>", esc(&e));
            return Reply::html(400, page("Search", &body, true));
        }
        (Ok(_), None) => body.push_str("<p class=\"error\">No search index: run <code>napscan run</code> without --no-index.</p>"),
        (Ok(opts), Some(index)) => match run_search(index, &opts) {
            Ok(results) => {
                let hits = &results.hits;
                if results.total > hits.len() {
                    let more: String = params
                        .iter()
                        .filter(|(k, _)| k != "limit")
                        .map(|(k, v)| format!("{}={}&", url(k), url(v)))
                        .collect();
                    let _ = write!(
                        body,
                        "<p class=\"muted\">The best {} of {} matching pages. {}</p>",
                        hits.len(),
                        results.total,
                        if results.total <= 500 {
                            format!("<a href=\"/search?{more}limit={}\">Show all {}</a>", results.total, results.total)
                        } else {
                            "Narrow the query or the filters to see the rest (500 at most here; the CLI's <code>--limit</code> has no cap).".to_string()
                        }
                    );
                } else {
                    let _ = write!(body, "<p class=\"muted\">{} matching pages</p>", hits.len());
                }
                for h in hits {
                    let page_ref = if h.page_label != h.page.to_string() { format!("p. {} (printed {})", h.page, h.page_label) } else { format!("p. {}", h.page) };
                    let _ = write!(
                        body,
                        "<div class=\"ev\"><div class=\"meta\"><a href=\"/doc/{id}\" title=\"{docid}\">{doc}</a> · <a href=\"/pdf/{id}#page={page}\">{pref}</a>{ocr} · {country} {year} {ty} {lang} · <span title=\"BM25 relevance: higher is a closer match\">relevance {score:.1}</span></div><div>{snip}</div></div>",
                        id = url(&h.doc_id),
                        docid = esc(&h.doc_id),
                        doc = esc(&short_title(&h.title, &h.doc_id)),
                        ocr = if h.ocr { " (OCR)" } else { "" },
                        page = h.page,
                        pref = esc(&page_ref),
                        country = esc(&super::countries::label(&h.country)),
                        year = h.year,
                        ty = esc(&h.doc_type),
                        lang = esc(&h.lang),
                        score = h.score,
                        snip = marked(&h.fragment, &h.highlights),
                    );
                }
            }
            Err(e) => {
                let _ = write!(body, "<p class=\"error\">{}</p>", esc(&e.to_string()));
                return Reply::html(400, page("Search", &body, true));
            }
        },
    }
    Reply::html(200, page("Search", &body, true))
}

/// `/api/search?q=…`: the same as JSON.
pub(super) fn api_search(app: &App, params: &[(String, String)]) -> Reply {
    let opts = match search_options(params) {
        Ok(o) => o,
        Err(e) if e.is_empty() => {
            return Reply::json(400, &serde_json::json!({"error": "missing q"}));
        }
        Err(e) => return Reply::json(400, &serde_json::json!({"error": e})),
    };
    let Some(index) = &app.index else {
        return Reply::json(503, &serde_json::json!({"error": "no search index"}));
    };
    match run_search(index, &opts) {
        Ok(r) => Reply::json(
            200,
            &serde_json::json!({"query": opts.query, "total": r.total, "hits": r.hits}),
        ),
        Err(e) => Reply::json(400, &serde_json::json!({"error": e.to_string()})),
    }
}

/// `/doc/<id>`: metadata, status, coverage, smart mix and evidence by page.
pub(super) fn document(app: &App, id: &str) -> Reply {
    let d = &app.data;
    let Some(doc) = d.docs.get(id) else { return Reply::not_found("No such document.") };
    let mut body = format!(
        "<h1>{}</h1><table><tr><th>id</th><td>{}</td></tr><tr><th>country · year · type · language</th><td>{} · {} · {} · {}</td></tr><tr><th>status</th><td>{} {}</td></tr><tr><th>pages · words · needing OCR</th><td>{} · {} · {}</td></tr><tr><th>source</th><td>{}</td></tr></table>",
        esc(&doc.title),
        esc(&doc.doc_id),
        esc(&doc.country),
        doc.year,
        esc(&doc.doc_type),
        esc(&doc.lang),
        esc(&doc.status),
        esc(&doc.message),
        doc.pages,
        doc.words,
        doc.pages_needing_ocr,
        if d.files.contains_key(id) {
            format!("<a href=\"/pdf/{}\">{}</a>", url(id), esc(&doc.path))
        } else {
            esc(&doc.path)
        },
    );
    body.push_str("<h2>Coverage and smart mix</h2><div class=\"scroll\"><table><thead><tr><th>concept</th><th>hits</th><th>pages</th><th>per 10k words</th><th>first page</th><th>mandatory</th><th>voluntary</th><th>none</th><th>mandatory share</th></tr></thead><tbody>");
    let mix: BTreeMap<&str, &super::data::MixRow> =
        d.mix.iter().filter(|m| m.doc_id == id).map(|m| (m.concept.as_str(), m)).collect();
    for r in d.doc_coverage.iter().filter(|r| r.doc_id == id) {
        let m = mix.get(r.concept.as_str());
        let _ = write!(
            body,
            "<tr><td><a href=\"/concept/{}\">{}</a></td><td><a href=\"/evidence?doc={}&concept={}\">{}</a></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            url(&r.concept),
            esc(&r.concept),
            url(id),
            url(&r.concept),
            esc(&r.hits),
            esc(&r.pages_with_hits),
            esc(&r.per_10k_words),
            esc(&r.first_page),
            m.map_or(String::new(), |m| m.mandatory.to_string()),
            m.map_or(String::new(), |m| m.voluntary.to_string()),
            m.map_or(String::new(), |m| m.none.to_string()),
            m.map_or(String::new(), |m| esc(&m.mandatory_share)),
        );
    }
    body.push_str("</tbody></table></div><h2>Evidence by page</h2>");
    let mut rows: Vec<&Evidence> = d.evidence.iter().filter(|e| e.doc_id == id).collect();
    rows.sort_by_key(|e| (e.page, e.start));
    body.push_str(&evidence_list(&rows, 1000));
    Reply::html(200, page(&doc.doc_id, &body, true))
}

/// `/concept/<id>`: definition, UNGP numbers, coverage by country and document, evidence.
pub(super) fn concept(app: &App, id: &str) -> Reply {
    let d = &app.data;
    let Some(c) = d.concept(id) else { return Reply::not_found("No such concept.") };
    let mut body = format!(
        "<h1>{}</h1><p>{}</p><p class=\"muted\">id <code>{}</code> · pillar {} · UNGP {}{}</p>",
        esc(&c.label),
        esc(&c.definition),
        esc(&c.id),
        esc(&c.pillar),
        esc(&c.ungp),
        if c.parent.is_empty() {
            String::new()
        } else {
            format!(" · part of <a href=\"/concept/{}\">{}</a>", url(&c.parent), esc(&c.parent))
        },
    );
    body.push_str("<h2>Countries</h2><div class=\"scroll\"><table><thead><tr><th>country</th><th>documents covering</th><th>hits</th><th>per 10k words</th></tr></thead><tbody>");
    for r in d.country_coverage.iter().filter(|r| r.concept == id) {
        let _ = write!(
            body,
            "<tr><td><a href=\"/evidence?country={}&concept={}\">{}</a></td><td>{}/{}</td><td>{}</td><td>{}</td></tr>",
            url(&r.country),
            url(id),
            esc(&r.country),
            r.documents_with_concept,
            r.documents,
            r.hits,
            esc(&r.per_10k_words)
        );
    }
    body.push_str("</tbody></table></div><h2>Documents</h2><ul>");
    for r in d.doc_coverage.iter().filter(|r| r.concept == id && num(&r.hits) > 0.0) {
        let _ = write!(
            body,
            "<li><a href=\"/doc/{}\">{}</a>: {} hits, first on p. {}</li>",
            url(&r.doc_id),
            esc(&r.doc_id),
            esc(&r.hits),
            esc(&r.first_page)
        );
    }
    body.push_str("</ul><h2>Evidence</h2>");
    let rows: Vec<&Evidence> = d.evidence.iter().filter(|e| matches_concept(e, id)).collect();
    body.push_str(&evidence_list(&rows, 300));
    Reply::html(200, page(&c.label, &body, true))
}

/// `/downloads`: the CSV exports of the run.
pub(super) fn downloads(app: &App) -> Reply {
    let mut body = String::from("<h1>Downloads</h1><ul>");
    for name in DOWNLOADS {
        let p = app.data.out_dir.join(name);
        if let Ok(m) = std::fs::metadata(&p) {
            let _ = write!(
                body,
                "<li><a href=\"/downloads/{}\" download>{}</a> <span class=\"muted\">{} KB</span></li>",
                url(name),
                esc(name),
                m.len().div_ceil(1024)
            );
        }
    }
    body.push_str("</ul>");
    Reply::html(200, page("Downloads", &body, true))
}
