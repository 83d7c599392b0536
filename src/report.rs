//! The outputs of a run, written from its in-memory [`Scan`]: `documents.csv`, `failures.csv`,
//! `evidence.csv`, the coverage and smart-mix matrices ([`crate::coverage`]) and `run.json`
//! (provenance), all written atomically into the output folder.

use std::time::SystemTime;

use crate::analyze::Analysed;
use crate::coverage::Tables;
use crate::error::Error;
use crate::flag::Flagger;
use crate::output::{write_atomic, write_records, write_table};
use crate::pipeline::Scan;
use crate::plan::{Plan, Summary};
use crate::rows::{self, DocumentRow, FailureRow};

/// Writes every output of `scan` into the plan's output folder (the independent files in
/// parallel, `run.json` last), and sets the summary's wall time and peak memory.
pub fn write_all(plan: &Plan, scan: &mut Scan) -> Result<(), Error> {
    let (ingest, flags) =
        rayon::join(|| write_ingest(plan, &scan.documents), || write_flags(plan, scan));
    ingest.and(flags)?;
    scan.summary.seconds = scan.started.0.elapsed().as_secs_f64();
    scan.summary.peak_rss_mb = crate::plan::peak_rss_mb();
    write_run_json(plan, &scan.summary, &scan.documents, &scan.flagger, scan.started.1)
}

fn write_flags(plan: &Plan, scan: &Scan) -> Result<(), Error> {
    let out = &plan.out_dir;
    let evidence =
        || write_table(&out.join("evidence.csv"), crate::flag::EVIDENCE_HEADER, scan.evidence());
    let (a, b) = rayon::join(evidence, || write_tables(plan, &scan.tables()));
    a.and(b)
}

/// Writes the coverage matrices (long and wide) and the smart-mix tables, in parallel.
fn write_tables(plan: &Plan, t: &Tables) -> Result<(), Error> {
    let out = &plan.out_dir;
    let coverage = || {
        let (a, b) = rayon::join(
            || {
                write_table(
                    &out.join("coverage_by_document.csv"),
                    rows::DOC_COVERAGE_HEADER,
                    &t.by_document,
                )
            },
            || {
                write_table(
                    &out.join("coverage_by_country.csv"),
                    rows::COUNTRY_COVERAGE_HEADER,
                    &t.by_country,
                )
            },
        );
        a.and(b)
    };
    let matrices = || {
        let (d, c) = (&t.matrix_by_document, &t.matrix_by_country);
        write_records(&out.join("matrix_by_document.csv"), &d.header, &d.rows)?;
        write_records(&out.join("matrix_by_country.csv"), &c.header, &c.rows)
    };
    let mix = || {
        let (a, b) = rayon::join(
            || {
                write_table(
                    &out.join("smart_mix_by_document.csv"),
                    rows::MIX_HEADER,
                    &t.mix_by_document,
                )
            },
            || {
                write_table(
                    &out.join("smart_mix_by_country.csv"),
                    rows::MIX_COUNTRY_HEADER,
                    &t.mix_by_country,
                )
            },
        );
        a.and(b)
    };
    let (a, (b, c)) = rayon::join(coverage, || rayon::join(matrices, mix));
    a.and(b).and(c)
}

/// Writes `documents.csv` and `failures.csv`.
fn write_ingest(plan: &Plan, docs: &[Analysed]) -> Result<(), Error> {
    let docs_rows = docs.iter().map(|d| &d.record).map(|r| DocumentRow {
        doc_id: r.meta.doc_id.clone(),
        country: r.meta.country.clone(),
        year: r.meta.year,
        doc_type: r.meta.doc_type.clone(),
        lang: r.meta.lang.clone(),
        title: r.meta.title.clone(),
        path: r.meta.path.clone(),
        sha256: r.sha256.clone(),
        pages: r.pages,
        pages_needing_ocr: r.pages_needing_ocr,
        ocr_pages: r.ocr_confidence.len(),
        words: r.words,
        status: r.status,
        extractor: r.extractor.clone(),
        message: r.message.clone(),
    });
    write_table(&plan.out_dir.join("documents.csv"), rows::DOCUMENTS_HEADER, docs_rows)?;
    let failures = docs.iter().flat_map(|d| d.failures.iter()).map(|f| FailureRow {
        doc_id: f.doc_id.clone(),
        path: f.path.display().to_string(),
        page: f.page,
        stage: f.stage.to_string(),
        reason: f.reason.clone(),
    });
    write_table(&plan.out_dir.join("failures.csv"), rows::FAILURES_HEADER, failures)
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
