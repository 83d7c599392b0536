//! `napscan report --html FILE`: one self-contained HTML file (no scripts, no external resources)
//! with the coverage heatmap, per-country and per-concept tables, the smart mix, and the evidence
//! with page references, to be mailed or archived next to the CSV exports.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;

use super::data::Data;
use super::html::{HeatRow, esc, heatmap, page};
use crate::assess::Status;
use crate::flag::Evidence;

/// Evidence passages shown per concept in the report.
pub const EVIDENCE_PER_CONCEPT: usize = 40;

fn anchor(id: &str) -> String {
    id.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '-' }).collect()
}

/// Renders the report.
pub fn render(d: &Data) -> String {
    let concepts = d.top_concepts();
    let columns: Vec<(String, String)> =
        concepts.iter().map(|c| (format!("#concept-{}", anchor(&c.id)), c.label.clone())).collect();
    let mut cov: BTreeMap<(&str, &str), &super::data::CountryCoverageRow> = BTreeMap::new();
    let mut countries = BTreeSet::new();
    for r in &d.country_coverage {
        cov.insert((&r.country, &r.concept), r);
        countries.insert(r.country.as_str());
    }
    let rows: Vec<HeatRow> = countries
        .iter()
        .map(|country| HeatRow {
            label: esc(country),
            cells: concepts
                .iter()
                .map(|c| match cov.get(&(*country, c.id.as_str())) {
                    Some(r) if r.documents > 0 => {
                        let rate: f64 = r.per_10k_words.parse().unwrap_or(0.0);
                        (rate, format!("{rate:.1}"), format!("#concept-{}", anchor(&c.id)))
                    }
                    _ => (0.0, "–".into(), String::new()),
                })
                .collect(),
        })
        .collect();
    let mut body = format!(
        "<h1>UNGP coverage report</h1><p class=\"muted\">{} documents · lexicon {} · every figure below can be checked against the evidence and its page.</p><h2>Heatmap</h2>{}",
        d.docs.len(),
        esc(&d.lexicon),
        heatmap(
            "countries × concepts, hits per 10,000 words",
            "hits per 10,000 words",
            &columns,
            &rows
        )
    );
    body.push_str("<h2>Documents</h2><div class=\"scroll\"><table><thead><tr><th>document</th><th>country</th><th>year</th><th>type</th><th>language</th><th>status</th><th>pages</th><th>words</th><th>concepts covered</th></tr></thead><tbody>");
    let mut covered: BTreeMap<&str, usize> = BTreeMap::new();
    for r in &d.doc_coverage {
        if r.present == Some(true) && d.concept(&r.concept).is_some_and(|c| c.parent.is_empty()) {
            *covered.entry(&r.doc_id).or_default() += 1;
        }
    }
    for doc in d.docs.values() {
        let _ = write!(
            body,
            "<tr><td>{}<br><span class=\"muted\">{}</span></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(&doc.doc_id),
            esc(&doc.title),
            esc(&doc.country),
            doc.year,
            esc(&doc.doc_type),
            esc(&doc.lang),
            doc.status.as_str(),
            doc.pages,
            doc.words,
            if matches!(doc.status, Status::Ok | Status::Partial) {
                format!(
                    "{}/{}",
                    covered.get(doc.doc_id.as_str()).copied().unwrap_or(0),
                    concepts.len()
                )
            } else {
                format!("not analysed ({})", doc.status.as_str().replace('_', " "))
            }
        );
    }
    body.push_str("</tbody></table></div><h2>Countries</h2><div class=\"scroll\"><table><thead><tr><th>country</th>");
    for c in &concepts {
        let _ = write!(body, "<th>{}</th>", esc(&c.label));
    }
    body.push_str("</tr></thead><tbody>");
    for country in &countries {
        let _ = write!(body, "<tr><th scope=\"row\">{}</th>", esc(country));
        for c in &concepts {
            let text = cov.get(&(*country, c.id.as_str())).map_or("–".to_string(), |r| {
                format!("{}/{} docs, {} hits", r.documents_with_concept, r.documents, r.hits)
            });
            let _ = write!(body, "<td>{}</td>", esc(&text));
        }
        body.push_str("</tr>");
    }
    body.push_str("</tbody></table></div><h2>Concepts and evidence</h2>");
    for c in &d.concepts {
        let rows: Vec<&Evidence> =
            d.evidence.iter().filter(|e| e.concept == c.id || e.parent == c.id).collect();
        let (m, v, n) = d
            .mix
            .iter()
            .filter(|r| r.concept == c.id)
            .fold((0, 0, 0), |a, r| (a.0 + r.mandatory, a.1 + r.voluntary, a.2 + r.none));
        let _ = write!(
            body,
            "<h3 id=\"concept-{}\">{}</h3><p>{}</p><p class=\"muted\">UNGP {} · {} passages · smart mix: {} mandatory, {} voluntary, {} none</p>",
            anchor(&c.id),
            esc(&c.label),
            esc(&c.definition),
            esc(&c.ungp),
            rows.len(),
            m,
            v,
            n
        );
        for e in rows.iter().take(EVIDENCE_PER_CONCEPT) {
            let _ = write!(
                body,
                "<div class=\"ev\"><div class=\"meta\">{} · {} {} · p. {} (printed {}) · <span class=\"tag {c}\">{c}</span></div><div>{}</div></div>",
                esc(&e.doc_id),
                esc(&e.country),
                e.year,
                e.page,
                esc(&e.page_label),
                esc(&e.snippet),
                c = esc(&e.commitment),
            );
        }
        if rows.len() > EVIDENCE_PER_CONCEPT {
            let _ = write!(
                body,
                "<p class=\"muted\">{} more passages in evidence.csv.</p>",
                rows.len() - EVIDENCE_PER_CONCEPT
            );
        }
    }
    page("UNGP coverage report", &body, false)
}
