//! The pages of the web app. Each takes the app and the request parameters and returns a
//! [`Reply`]; all text is escaped with [`esc`].

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;

use super::evidence::{evidence_list, matches_concept, short_title};
use super::html::{self, HeatRow, cell, esc, marked, page, url};
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
    let with_subs = param(params, "concepts") == "all";
    let d = &app.data;
    let concepts = if with_subs { super::compare::concepts_with_subs(d) } else { d.top_concepts() };
    let columns: Vec<(String, String)> = concepts
        .iter()
        .map(|c| {
            let sub = if c.parent.is_empty() { "" } else { "↳ " };
            (format!("/concept/{}", url(&c.id)), format!("{sub}{}", c.label))
        })
        .collect();
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
                    Some(r) if r.hits.is_some() => {
                        let v = if metric_docs {
                            r.pages_with_hits.unwrap_or(0) as f64
                        } else {
                            num(&r.per_10k_words)
                        };
                        let text = if metric_docs {
                            cell(&r.pages_with_hits)
                        } else {
                            format!("{:.1}", num(&r.per_10k_words))
                        };
                        (
                            v,
                            text,
                            format!("/evidence?doc={}&concept={}", url(&doc.doc_id), url(&c.id)),
                        )
                    }
                    Some(r) => (0.0, r.status.as_str().replace('_', " "), String::new()),
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
    let subs = if with_subs { "all" } else { "main" };
    let link = |v: &str, m: &str, c: &str, text: &str, current: bool| {
        if current {
            format!("<strong aria-current=\"true\">{}</strong>", esc(text))
        } else {
            format!("<a href=\"/?view={v}&metric={m}&concepts={c}\">{}</a>", esc(text))
        }
    };
    let unit = if metric_docs {
        if by_docs { "pages with evidence" } else { "documents covering the concept" }
    } else {
        "hits per 10,000 words"
    };
    let body = format!(
        "<h1>UNGP coverage</h1><p class=\"toggle\">Rows: {} {} · Colour: {} {} · Concepts: {} {}</p>{}<p class=\"muted\">{} documents · lexicon {} · click a cell for its evidence.</p>",
        link("countries", metric, subs, "countries", !by_docs),
        link("documents", metric, subs, "documents", by_docs),
        link(view, "rate", subs, "rate per 10k words", !metric_docs),
        link(
            view,
            "documents",
            subs,
            if by_docs { "pages covering" } else { "documents covering" },
            metric_docs
        ),
        link(view, metric, "main", "main", !with_subs),
        link(view, metric, "all", "with sub-concepts", with_subs),
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
    let uniq = |f: &dyn Fn(&super::data::DocumentRow) -> String| {
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
                    let more = super::query_without(params, "limit");
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
        esc(&super::countries::label(&doc.country)),
        doc.year,
        esc(&doc.doc_type),
        esc(&doc.lang),
        doc.status.as_str(),
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
    body.push_str("<h2>Coverage and smart mix</h2><div class=\"scroll\"><table class=\"stack\"><thead><tr><th>concept</th><th>hits</th><th>pages</th><th>per 10k words</th><th>first page</th><th>mandatory</th><th>voluntary</th><th>none</th><th>mandatory share</th></tr></thead><tbody>");
    let mix: BTreeMap<&str, &super::data::MixRow> =
        d.mix.iter().filter(|m| m.doc_id == id).map(|m| (m.concept.as_str(), m)).collect();
    for r in d.doc_coverage.iter().filter(|r| r.doc_id == id) {
        let m = mix.get(r.concept.as_str());
        let _ = write!(
            body,
            "<tr><th scope=\"row\"><a href=\"/concept/{}\">{}</a></th><td data-label=\"hits\"><a href=\"/evidence?doc={}&concept={}\">{}</a></td><td data-label=\"pages\">{}</td><td data-label=\"per 10k words\">{}</td><td data-label=\"first page\">{}</td><td data-label=\"mandatory\">{}</td><td data-label=\"voluntary\">{}</td><td data-label=\"none\">{}</td><td data-label=\"mandatory share\">{}</td></tr>",
            url(&r.concept),
            esc(d.concept(&r.concept).map_or(r.concept.as_str(), |c| c.label.as_str())),
            url(id),
            url(&r.concept),
            cell(&r.hits),
            cell(&r.pages_with_hits),
            esc(&r.per_10k_words),
            cell(&r.first_page),
            m.map_or(String::new(), |m| m.mandatory.to_string()),
            m.map_or(String::new(), |m| m.voluntary.to_string()),
            m.map_or(String::new(), |m| m.none.to_string()),
            m.map_or(String::new(), |m| esc(&m.mandatory_share)),
        );
    }
    body.push_str("</tbody></table></div><h2>Evidence by page</h2>");
    let mut rows: Vec<&Evidence> = d.evidence.iter().filter(|e| e.doc_id == id).collect();
    rows.sort_by_key(|e| (e.page, e.start));
    body.push_str(&evidence_list(d, &rows, 1000, &format!("/evidence?doc={}&limit=all", url(id))));
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
        esc(pillar_label(&c.pillar)),
        esc(&c.ungp),
        match d.concept(&c.parent) {
            Some(p) =>
                format!(" · part of <a href=\"/concept/{}\">{}</a>", url(&p.id), esc(&p.label)),
            None => String::new(),
        },
    );
    let subs: Vec<String> = d
        .concepts
        .iter()
        .filter(|s| s.parent == c.id)
        .map(|s| format!("<a href=\"/concept/{}\">{}</a>", url(&s.id), esc(&s.label)))
        .collect();
    if !subs.is_empty() {
        let _ = write!(body, "<p>Sub-concepts: {}</p>", subs.join(" · "));
    }
    body.push_str("<h2>Countries</h2><div class=\"scroll\"><table><thead><tr><th>country</th><th>documents covering</th><th>hits</th><th>per 10k words</th></tr></thead><tbody>");
    for r in d.country_coverage.iter().filter(|r| r.concept == id) {
        let _ = write!(
            body,
            "<tr><td><a href=\"/evidence?country={}&concept={}\">{}</a></td><td>{}/{}</td><td>{}</td><td>{}</td></tr>",
            url(&r.country),
            url(id),
            esc(&super::countries::label(&r.country)),
            r.documents_with_concept,
            r.documents,
            r.hits,
            esc(&r.per_10k_words)
        );
    }
    body.push_str("</tbody></table></div><h2>Documents</h2><ul>");
    for r in d.doc_coverage.iter().filter(|r| r.concept == id && r.present == Some(true)) {
        let _ = write!(
            body,
            "<li><a href=\"/doc/{}\" title=\"{}\">{}</a>: {} hits, first on p. {}</li>",
            url(&r.doc_id),
            esc(&r.doc_id),
            esc(&short_title(d.docs.get(&r.doc_id).map_or("", |x| x.title.as_str()), &r.doc_id)),
            cell(&r.hits),
            cell(&r.first_page)
        );
    }
    body.push_str("</ul><h2>Evidence</h2>");
    let rows: Vec<&Evidence> = d.evidence.iter().filter(|e| matches_concept(e, id)).collect();
    body.push_str(&evidence_list(
        d,
        &rows,
        300,
        &format!("/evidence?concept={}&limit=all", url(id)),
    ));
    Reply::html(200, page(&c.label, &body, true))
}

/// A UNGP pillar in words.
fn pillar_label(pillar: &str) -> &str {
    match pillar {
        "state_duty" => "I, the State duty to protect",
        "corporate_respect" => "II, the corporate responsibility to respect",
        "remedy" => "III, access to remedy",
        "cross_cutting" => "cross-cutting",
        other => other,
    }
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
