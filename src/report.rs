//! The outputs of a run, written from its in-memory [`Scan`]: `documents.csv`, `failures.csv`,
//! `evidence.csv`, the coverage and smart-mix matrices ([`crate::coverage`]) and `run.json`
//! (provenance), all written atomically into the output folder.

use std::time::SystemTime;

use crate::analyze::Analysed;
use crate::error::Error;
use crate::flag::Flagger;
use crate::output::{write_atomic, write_table};
use crate::pipeline::Scan;
use crate::plan::{Plan, Summary};

/// Columns of `failures.csv`.
pub const FAILURES_HEADER: &[&str] = &["doc_id", "path", "page", "stage", "reason"];

/// Columns of `documents.csv`.
pub const DOCUMENTS_HEADER: &[&str] = &[
    "doc_id",
    "country",
    "year",
    "doc_type",
    "lang",
    "title",
    "path",
    "sha256",
    "pages",
    "pages_needing_ocr",
    "ocr_pages",
    "words",
    "status",
    "extractor",
    "message",
];

#[derive(serde::Serialize)]
struct FailureRow<'a> {
    doc_id: &'a str,
    path: String,
    page: String,
    stage: String,
    reason: &'a str,
}

#[derive(serde::Serialize)]
struct DocumentRow<'a> {
    doc_id: &'a str,
    country: &'a str,
    year: u16,
    doc_type: &'a str,
    lang: &'a str,
    title: &'a str,
    path: &'a str,
    sha256: &'a str,
    pages: usize,
    pages_needing_ocr: usize,
    ocr_pages: usize,
    words: usize,
    status: crate::assess::Status,
    extractor: &'a str,
    message: &'a str,
}

/// Writes every output of `scan` into the plan's output folder (the independent files in
/// parallel, `run.json` last), and sets the summary's wall time and peak memory.
pub fn write_all(plan: &Plan, scan: &mut Scan) -> Result<(), Error> {
    let (ingest, flags) = rayon::join(
        || write_ingest(plan, &scan.documents),
        || write_flags(plan, &scan.flagger, &scan.documents),
    );
    ingest.and(flags)?;
    scan.summary.seconds = scan.started.0.elapsed().as_secs_f64();
    scan.summary.peak_rss_mb = crate::plan::peak_rss_mb();
    write_run_json(plan, &scan.summary, &scan.documents, &scan.flagger, scan.started.1)
}

fn write_flags(plan: &Plan, flagger: &Flagger, docs: &[Analysed]) -> Result<(), Error> {
    let concepts: Vec<String> = flagger.concepts().into_iter().map(|c| c.0).collect();
    let inputs: Vec<crate::coverage::DocInput<'_>> = docs
        .iter()
        .map(|d| crate::coverage::DocInput {
            record: &d.record,
            covered: flagger.covers(&d.record.meta.lang),
            coverage: &d.coverage,
        })
        .collect();
    let evidence = || {
        write_table(
            &plan.out_dir.join("evidence.csv"),
            crate::flag::EVIDENCE_HEADER,
            docs.iter().flat_map(|d| d.evidence.iter()),
        )
    };
    let cov = || crate::coverage::write(&plan.out_dir, &concepts, &inputs);
    let mix = || {
        let evidence = docs.iter().map(|d| d.evidence.as_slice());
        crate::coverage::write_smart_mix(&plan.out_dir, &concepts, &inputs, evidence)
    };
    let (a, (b, c)) = rayon::join(evidence, || rayon::join(cov, mix));
    a.and(b).and(c)
}

/// Writes `documents.csv` and `failures.csv`.
fn write_ingest(plan: &Plan, docs: &[Analysed]) -> Result<(), Error> {
    let docs_rows = docs.iter().map(|d| &d.record).map(|r| DocumentRow {
        doc_id: &r.meta.doc_id,
        country: &r.meta.country,
        year: r.meta.year,
        doc_type: &r.meta.doc_type,
        lang: &r.meta.lang,
        title: &r.meta.title,
        path: &r.meta.path,
        sha256: &r.sha256,
        pages: r.pages,
        pages_needing_ocr: r.pages_needing_ocr,
        ocr_pages: r.ocr_confidence.len(),
        words: r.words,
        status: r.status,
        extractor: &r.extractor,
        message: &r.message,
    });
    write_table(&plan.out_dir.join("documents.csv"), DOCUMENTS_HEADER, docs_rows)?;
    let rows = docs.iter().flat_map(|d| d.failures.iter()).map(|f| FailureRow {
        doc_id: &f.doc_id,
        path: f.path.display().to_string(),
        page: f.page.map(|p| p.to_string()).unwrap_or_default(),
        stage: f.stage.to_string(),
        reason: &f.reason,
    });
    write_table(&plan.out_dir.join("failures.csv"), FAILURES_HEADER, rows)?;
    Ok(())
}

/// Writes `run.json`: tool and extractor versions, options, times, counts and per-file SHA-256.
fn write_run_json(
    plan: &Plan,
    summary: &Summary,
    docs: &[Analysed],
    flagger: &Flagger,
    started: SystemTime,
) -> Result<(), Error> {
    let rules = flagger.classifier();
    let lexicons: Vec<_> = flagger
        .lexicons()
        .iter()
        .map(|l| serde_json::json!({"name": l.name, "version": l.version, "sha256": l.hash, "concepts": l.concepts.len()}))
        .collect();
    let files: Vec<_> = docs
        .iter()
        .map(|d| &d.record)
        .map(|r| {
            let mut f = serde_json::json!({"doc_id": r.meta.doc_id, "path": r.meta.path, "sha256": r.sha256, "status": r.status});
            if !r.ocr_confidence.is_empty() {
                let pages: Vec<_> = r
                    .ocr_confidence
                    .iter()
                    .map(|(p, c)| serde_json::json!({"page": p, "confidence": (c * 10.0).round() / 10.0}))
                    .collect();
                f["ocr_pages"] = pages.into();
            }
            f
        })
        .collect();
    let json = serde_json::json!({
        "tool": "napscan",
        "version": env!("CARGO_PKG_VERSION"),
        "started": humantime::format_rfc3339_seconds(started).to_string(),
        "finished": humantime::format_rfc3339_seconds(SystemTime::now()).to_string(),
        "extractors": {
            "pdf": crate::extract::pdf::EXTRACTOR_VERSION,
            "text": crate::extract::TEXT_EXTRACTOR_VERSION,
        },
        "options": {
            "manifest": std::fs::canonicalize(&plan.manifest).unwrap_or_else(|_| plan.manifest.clone()).display().to_string(),
            "index": plan.index_dir.display().to_string(),
            "out": plan.out_dir.display().to_string(),
            "jobs": plan.jobs,
            "timeout_secs": plan.timeout.as_secs_f64(),
            "memory_mb": plan.memory_mb,
            "lexicons": plan.lexicons.iter().map(|p| std::fs::canonicalize(p).unwrap_or_else(|_| p.clone()).display().to_string()).collect::<Vec<_>>(),
            "ocr": plan.ocr.mode.as_str(),
            "ocr_dpi": plan.ocr.dpi,
            "ocr_page_timeout_secs": plan.ocr.page_timeout.as_secs_f64(),
        },
        "lexicons": lexicons,
        "commitment_rules": {"version": rules.version, "sha256": rules.hash},
        "counts": summary,
        "files": files,
    });
    let bytes = serde_json::to_vec_pretty(&json).map_err(|e| Error::Other(e.to_string()))?;
    let path = plan.out_dir.join("run.json");
    write_atomic(&path, &bytes).map_err(|e| Error::io(&path, e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_match_the_row_types() {
        let f = FailureRow {
            doc_id: "",
            path: String::new(),
            page: String::new(),
            stage: String::new(),
            reason: "",
        };
        assert_eq!(crate::output::header_of(&f), FAILURES_HEADER);
        let d = DocumentRow {
            doc_id: "",
            country: "",
            year: 0,
            doc_type: "",
            lang: "",
            title: "",
            path: "",
            sha256: "",
            pages: 0,
            pages_needing_ocr: 0,
            ocr_pages: 0,
            words: 0,
            status: crate::assess::Status::Ok,
            extractor: "",
            message: "",
        };
        assert_eq!(crate::output::header_of(&d), DOCUMENTS_HEADER);
    }
}
