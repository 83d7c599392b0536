//! Evidence in the web app: the passage list every view shows (document title, cited page, concept,
//! commitment label, the whole sentence with the matched words marked) and `/evidence`, the
//! evidence of one selection (country, document, concept, commitment label), cut lists saying
//! "N of M" with a link to the rest.

use std::fmt::Write;

use super::data::Data;
use super::html::{esc, marked, page, url};
use super::{App, Reply, param};
use crate::flag::Evidence;

/// The evidence list of a selection: at most `limit` passages, then "Showing N of M" with a link to
/// `more` (the same selection without a limit; empty for none) and to the full CSV.
pub(super) fn evidence_list(data: &Data, rows: &[&Evidence], limit: usize, more: &str) -> String {
    let mut s = String::new();
    for e in rows.iter().take(limit) {
        let page_ref = if e.page_label != e.page.to_string() {
            format!("p. {} (printed {})", e.page, e.page_label)
        } else {
            format!("p. {}", e.page)
        };
        let title = data.docs.get(&e.doc_id).map_or("", |d| d.title.as_str());
        let concept = data.concept(&e.concept).map_or(e.concept.as_str(), |c| c.label.as_str());
        let _ = write!(
            s,
            "<div class=\"ev\"><div class=\"meta\"><a href=\"/doc/{id}\" title=\"{docid}\">{doc}</a> · <a href=\"/pdf/{id}#page={page}\">{pref}</a> · {concept} · <span class=\"tag {c}\" title=\"{cue}\">{c}</span> · term “{term}”</div><div>{snippet}</div></div>",
            id = url(&e.doc_id),
            docid = esc(&e.doc_id),
            doc = esc(&short_title(title, &e.doc_id)),
            page = e.page,
            pref = esc(&page_ref),
            concept = esc(concept),
            c = esc(&e.commitment),
            cue = esc(&e.commitment_cue),
            term = esc(&e.term),
            snippet = passage(e),
        );
    }
    if rows.len() > limit {
        let rest = if more.is_empty() {
            String::new()
        } else {
            format!("<a href=\"{}\">Show all {}</a> · ", esc(more), rows.len())
        };
        let _ = write!(
            s,
            "<p class=\"muted\">Showing {limit} of {} evidence rows. {rest}Every row: <a href=\"/downloads/evidence.csv\">evidence.csv</a>.</p>",
            rows.len()
        );
    }
    if rows.is_empty() {
        s.push_str("<p class=\"muted\">No evidence.</p>");
    }
    s
}

/// A document's title cut to 60 characters at a word boundary (its id when it has none).
pub(super) fn short_title(title: &str, doc_id: &str) -> String {
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

/// The evidence's whole sentence (its snippet when it has none) with the matched words marked.
pub(super) fn passage(e: &Evidence) -> String {
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

/// True when `e` is evidence of `concept` (empty: any), directly or through a sub-concept.
pub(super) fn matches_concept(e: &Evidence, concept: &str) -> bool {
    concept.is_empty() || e.concept == concept || e.parent == concept
}

/// `/evidence?country=&doc=&concept=&commitment=&limit=`.
pub(super) fn evidence(app: &App, params: &[(String, String)]) -> Reply {
    let (country, doc, concept, commitment) = (
        param(params, "country"),
        param(params, "doc"),
        param(params, "concept"),
        param(params, "commitment"),
    );
    if !concept.is_empty() && app.data.concept(concept).is_none() {
        return Reply::bad_request(&format!("unknown concept `{concept}`"));
    }
    if !matches!(commitment, "" | "mandatory" | "voluntary" | "none") {
        return Reply::bad_request(&format!(
            "unknown commitment `{commitment}` (mandatory, voluntary or none)"
        ));
    }
    let rows: Vec<&Evidence> = app
        .data
        .evidence
        .iter()
        .filter(|e| {
            (country.is_empty() || e.country == country)
                && (doc.is_empty() || e.doc_id == doc)
                && (commitment.is_empty() || e.commitment == commitment)
                && matches_concept(e, concept)
        })
        .collect();
    let limit = match param(params, "limit") {
        "all" => usize::MAX,
        l => l.parse().unwrap_or(500usize).max(1),
    };
    let mut what: Vec<String> = Vec::new();
    if !country.is_empty() {
        what.push(super::countries::label(country));
    }
    if let Some(d) = app.data.docs.get(doc) {
        what.push(short_title(&d.title, doc));
    } else if !doc.is_empty() {
        what.push(doc.to_string());
    }
    if let Some(c) = app.data.concept(concept) {
        what.push(c.label.clone());
    }
    if !commitment.is_empty() {
        what.push(commitment.to_string());
    }
    let more = super::query_without(params, "limit");
    let body = format!(
        "<h1>Evidence: {}</h1><p class=\"muted\">{} passages</p>{}",
        esc(&what.join(" · ")),
        rows.len(),
        evidence_list(&app.data, &rows, limit, &format!("/evidence?{more}limit=all"))
    );
    Reply::html(200, page("Evidence", &body, true))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_are_cut_at_a_word_boundary() {
        assert_eq!(short_title("", "doc"), "doc");
        assert_eq!(short_title(" Plan ", "doc"), "Plan");
        let long = "Plan Nacional de Acción sobre Empresas y Derechos Humanos 2021-2025 del Perú";
        let cut = short_title(long, "doc");
        assert!(cut.ends_with('…') && cut.chars().count() <= 61, "{cut}");
        assert!(long.starts_with(cut.trim_end_matches('…')));
    }
}
