//! The comparative views of the web app: `/compare`, two or more countries or documents side by
//! side concept by concept (sub-concepts under their parent) with coverage, smart mix and the first
//! passages of evidence; and `/mix`, the smart-mix matrix (mandatory share of the labelled
//! evidence sentences per concept and country or document) on a diverging colour scale.

use std::collections::BTreeSet;
use std::fmt::Write;

use super::data::Data;
use super::evidence::{matches_concept, passage, short_title};
use super::html::{cell, esc, page, url};
use super::{App, Reply, param};
use crate::flag::Evidence;
use crate::lexicon::Concept;

/// Passages shown per cell of the comparison.
const PASSAGES: usize = 2;

/// One column of the comparison: a country or a document.
enum Column<'a> {
    Country(&'a str),
    Doc(&'a super::data::DocumentRow),
}

impl Column<'_> {
    fn label(&self) -> String {
        match self {
            Column::Country(c) => super::countries::label(c),
            Column::Doc(d) => format!(
                "{} ({} {})",
                short_title(&d.title, &d.doc_id),
                super::countries::label(&d.country),
                d.year
            ),
        }
    }

    fn query(&self) -> String {
        match self {
            Column::Country(c) => format!("country={}", url(c)),
            Column::Doc(d) => format!("doc={}", url(&d.doc_id)),
        }
    }

    fn holds(&self, e: &Evidence) -> bool {
        match self {
            Column::Country(c) => e.country == *c,
            Column::Doc(d) => e.doc_id == d.doc_id,
        }
    }

    /// Coverage of `concept`: (a number that says whether it is covered, its text).
    fn coverage(&self, data: &Data, concept: &str) -> (bool, String) {
        match self {
            Column::Country(c) => {
                match data.country_coverage.iter().find(|r| r.country == *c && r.concept == concept)
                {
                    Some(r) if r.documents > 0 => (
                        r.documents_with_concept > 0,
                        format!(
                            "{}/{} documents · {} hits · {} per 10k words",
                            r.documents_with_concept, r.documents, r.hits, r.per_10k_words
                        ),
                    ),
                    _ => (false, "not analysed".into()),
                }
            }
            Column::Doc(d) => {
                match data
                    .doc_coverage
                    .iter()
                    .find(|r| r.doc_id == d.doc_id && r.concept == concept)
                {
                    Some(r) if r.hits.is_some() => (
                        r.present == Some(true),
                        format!(
                            "{} hits · {} pages · {} per 10k words",
                            cell(&r.hits),
                            cell(&r.pages_with_hits),
                            r.per_10k_words
                        ),
                    ),
                    Some(r) => (false, r.status.as_str().replace('_', " ")),
                    None => (false, "not analysed".into()),
                }
            }
        }
    }

    /// Smart-mix counts (mandatory, voluntary, none) of `concept`.
    fn mix(&self, data: &Data, concept: &str) -> [usize; 3] {
        mix_counts(data, concept, |doc_id| match self {
            Column::Country(c) => data.docs.get(doc_id).is_some_and(|d| d.country == *c),
            Column::Doc(d) => doc_id == d.doc_id,
        })
    }
}

/// Smart-mix counts (mandatory, voluntary, none) of `concept`, summed over the documents `holds`.
fn mix_counts(data: &Data, concept: &str, holds: impl Fn(&str) -> bool) -> [usize; 3] {
    data.mix
        .iter()
        .filter(|m| m.concept == concept && holds(&m.doc_id))
        .fold([0; 3], |[a, b, n], m| [a + m.mandatory, b + m.voluntary, n + m.none])
}

/// The countries of the documents, sorted.
fn countries(data: &Data) -> BTreeSet<&str> {
    data.docs.values().map(|r| r.country.as_str()).collect()
}

/// Concepts in lexicon order, each top-level concept followed by its sub-concepts.
pub(super) fn concepts_with_subs(data: &Data) -> Vec<&Concept> {
    let mut out = Vec::new();
    for top in data.top_concepts() {
        out.push(top);
        out.extend(data.concepts.iter().filter(|c| c.parent == top.id));
    }
    out
}

/// `/compare?country=A&country=B` or `?doc=a&doc=b` (any mix, two or more).
pub(super) fn compare(app: &App, params: &[(String, String)]) -> Reply {
    let d = &app.data;
    let mut columns: Vec<Column<'_>> = Vec::new();
    let countries = countries(d);
    for (k, v) in params {
        match k.as_str() {
            "country" if v.is_empty() => {}
            "country" => match countries.get(v.as_str()) {
                Some(c) => columns.push(Column::Country(c)),
                None => return Reply::bad_request(&format!("unknown country `{v}`")),
            },
            "doc" if v.is_empty() => {}
            "doc" => match d.docs.get(v) {
                Some(r) => columns.push(Column::Doc(r)),
                None => return Reply::bad_request(&format!("unknown document `{v}`")),
            },
            _ => {}
        }
    }
    let chosen: BTreeSet<String> = columns.iter().map(Column::query).collect();
    let mut body = String::from(
        "<h1>Compare</h1><form class=\"pick\" action=\"/compare\" method=\"get\"><fieldset><legend>Countries</legend>",
    );
    for c in &countries {
        let col = Column::Country(c);
        let checked = if chosen.contains(&col.query()) { " checked" } else { "" };
        let _ = write!(
            body,
            "<label><input type=\"checkbox\" name=\"country\" value=\"{}\"{checked}> {}</label>",
            esc(c),
            esc(&col.label())
        );
    }
    body.push_str("</fieldset><fieldset><legend>Documents</legend>");
    for r in d.docs.values() {
        let col = Column::Doc(r);
        let checked = if chosen.contains(&col.query()) { " checked" } else { "" };
        let _ = write!(
            body,
            "<label title=\"{}\"><input type=\"checkbox\" name=\"doc\" value=\"{}\"{checked}> {}</label>",
            esc(&r.doc_id),
            esc(&r.doc_id),
            esc(&col.label())
        );
    }
    body.push_str("</fieldset><button type=\"submit\">Compare</button></form>");
    if columns.len() < 2 {
        body.push_str(
            "<p class=\"muted\">Tick two or more countries or documents to see them side by side.</p>",
        );
        return Reply::html(200, page("Compare", &body, true));
    }
    body.push_str("<div class=\"scroll\"><table class=\"compare stack\"><thead><tr><th scope=\"col\">concept</th>");
    for col in &columns {
        let _ = write!(body, "<th scope=\"col\">{}</th>", esc(&col.label()));
    }
    body.push_str("</tr></thead><tbody>");
    for c in concepts_with_subs(d) {
        let sub = !c.parent.is_empty();
        let _ = write!(
            body,
            "<tr{}><th scope=\"row\"><a href=\"/concept/{}\">{}{}</a></th>",
            if sub { " class=\"sub\"" } else { "" },
            url(&c.id),
            if sub { "↳ " } else { "" },
            esc(&c.label)
        );
        for col in &columns {
            let (covered, text) = col.coverage(d, &c.id);
            let [m, v, n] = col.mix(d, &c.id);
            let mut cell = format!(
                "<td data-label=\"{}\" class=\"{}\"><div class=\"fig\">{}</div>",
                esc(&col.label()),
                if covered { "yes" } else { "no" },
                esc(&text)
            );
            if m + v + n > 0 {
                let _ = write!(
                    cell,
                    "<div class=\"fig\">smart mix: {m} mandatory · {v} voluntary · {n} none</div>"
                );
            }
            let mut seen = BTreeSet::new();
            let passages: Vec<&Evidence> = d
                .evidence
                .iter()
                .filter(|e| col.holds(e) && matches_concept(e, &c.id))
                .filter(|e| seen.insert((&e.doc_id, e.page, &e.sentence)))
                .collect();
            for e in passages.iter().take(PASSAGES) {
                let _ = write!(
                    cell,
                    "<div class=\"ev\"><span class=\"tag {}\">{}</span> <a href=\"/pdf/{}#page={}\">p. {}</a> {}</div>",
                    esc(&e.commitment),
                    esc(&e.commitment),
                    url(&e.doc_id),
                    e.page,
                    e.page,
                    passage(e)
                );
            }
            if !passages.is_empty() {
                let _ = write!(
                    cell,
                    "<a href=\"/evidence?{}&concept={}\">{} of {} passages · all evidence</a>",
                    col.query(),
                    url(&c.id),
                    passages.len().min(PASSAGES),
                    passages.len()
                );
            }
            cell.push_str("</td>");
            body.push_str(&cell);
        }
        body.push_str("</tr>");
    }
    body.push_str("</tbody></table></div>");
    Reply::html(200, page("Compare", &body, true))
}

/// Diverging, colour-blind-safe classes for a mandatory share: voluntary (blue) to mandatory
/// (orange), five classes of 20 points.
const DIVERGING: [(&str, &str); 5] = [
    ("#2166ac", "#fff"),
    ("#92c5de", "#000"),
    ("#f7f7f7", "#000"),
    ("#fdb863", "#000"),
    ("#b35806", "#fff"),
];

fn mix_colour(share: f64) -> (&'static str, &'static str) {
    DIVERGING[((share * 5.0) as usize).min(4)]
}

/// `/mix?view=countries|documents`: the mandatory share of the labelled evidence sentences per
/// concept, with the counts, linked to the mandatory evidence.
pub(super) fn mix(app: &App, params: &[(String, String)]) -> Reply {
    let d = &app.data;
    let by_docs = param(params, "view") == "documents";
    let concepts = d.top_concepts();
    // Rows: (label HTML, query, the documents it holds).
    let mut rows: Vec<(String, String, Vec<&str>)> = Vec::new();
    if by_docs {
        for r in d.docs.values() {
            rows.push((
                format!(
                    "<a href=\"/doc/{}\" title=\"{}\">{}</a>",
                    url(&r.doc_id),
                    esc(&r.doc_id),
                    esc(&short_title(&r.title, &r.doc_id))
                ),
                format!("doc={}", url(&r.doc_id)),
                vec![r.doc_id.as_str()],
            ));
        }
    } else {
        for c in countries(d) {
            let docs = d.docs.values().filter(|r| r.country == c).map(|r| r.doc_id.as_str());
            rows.push((
                esc(&super::countries::label(c)),
                format!("country={}", url(c)),
                docs.collect(),
            ));
        }
    }
    let toggle = |view: &str, text: &str, current: bool| {
        if current {
            format!("<strong aria-current=\"true\">{text}</strong>")
        } else {
            format!("<a href=\"/mix?view={view}\">{text}</a>")
        }
    };
    let mut body = format!(
        "<h1>Smart mix</h1><p>The share of <em>mandatory</em> among the evidence sentences labelled mandatory or voluntary (each distinct sentence once; sentences labelled none are counted but not in the share).</p><p class=\"toggle\">Rows: {} {}</p><div class=\"legend\" aria-label=\"colour scale, mandatory share\"><span class=\"muted\">mandatory share:</span>",
        toggle("countries", "countries", !by_docs),
        toggle("documents", "documents", by_docs),
    );
    for (i, (bg, fg)) in DIVERGING.iter().enumerate() {
        let _ = write!(
            body,
            "<span style=\"background:{bg};color:{fg}\">{}–{}%</span>",
            i * 20,
            (i + 1) * 20
        );
    }
    body.push_str("<span style=\"background:#fff;color:#555;border:1px solid #d0d0d0\">– no measure</span></div><div class=\"scroll\"><table class=\"heat mix\"><thead><tr><th scope=\"col\"></th>");
    for c in &concepts {
        let _ = write!(
            body,
            "<th scope=\"col\" class=\"concept\"><a href=\"/concept/{}\" title=\"{}\">{}</a></th>",
            url(&c.id),
            esc(&c.label),
            esc(&c.label)
        );
    }
    body.push_str("</tr></thead><tbody>");
    for (label, query, docs) in &rows {
        let _ = write!(body, "<tr><th scope=\"row\">{label}</th>");
        for c in &concepts {
            let [m, v, n] = mix_counts(d, &c.id, |id| docs.contains(&id));
            let title = format!("{m} mandatory · {v} voluntary · {n} none");
            if m + v == 0 {
                let _ = write!(
                    body,
                    "<td class=\"cell\" title=\"{title}\" style=\"background:#fff;color:#555\">–</td>"
                );
                continue;
            }
            let share = m as f64 / (m + v) as f64;
            let (bg, fg) = mix_colour(share);
            let _ = write!(
                body,
                "<td class=\"cell hit\" title=\"{title}\" style=\"background:{bg};color:{fg}\"><a href=\"/evidence?{query}&concept={}&commitment=mandatory\">{:.0}%<small>{m}/{}</small></a></td>",
                url(&c.id),
                share * 100.0,
                m + v
            );
        }
        body.push_str("</tr>");
    }
    body.push_str("</tbody></table></div><p class=\"muted\">Each cell: mandatory share, then mandatory / labelled sentences; a click lists the mandatory evidence. Every count: <a href=\"/downloads/smart_mix_by_document.csv\">smart_mix_by_document.csv</a>, <a href=\"/downloads/smart_mix_by_country.csv\">smart_mix_by_country.csv</a>.</p>");
    Reply::html(200, page("Smart mix", &body, true))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shares_map_to_five_classes_from_voluntary_to_mandatory() {
        assert_eq!(mix_colour(0.0).0, "#2166ac");
        assert_eq!(mix_colour(0.5).0, "#f7f7f7");
        assert_eq!(mix_colour(0.99).0, "#b35806");
        assert_eq!(mix_colour(1.0).0, "#b35806");
    }
}
