//! Process isolation for PDF extraction. A PDF can crash its extractor in ways no `catch_unwind`
//! stops (stack overflow on self-referencing forms, allocation failure on a compression bomb,
//! infinite loops), so every PDF is extracted in a child process: the same binary running a hidden
//! worker subcommand ([`serve`]), with a memory limit it sets on itself. The parent keeps a small
//! pool of long-lived workers ([`Pool`]), one per job slot, sends each a file path as one JSON line
//! and waits for one JSON line back, with a wall-clock timeout. A worker that dies or overruns is
//! killed and replaced, and only its current file is lost, as a [`Stage`]d failure value. The same
//! workers OCR image-only pages ([`Pool::ocr`]), one page per job, so that OCR runs under the same
//! memory limit and never more pages at once than there are job slots.

use std::collections::VecDeque;
use std::ffi::OsString;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::error::Stage;
use crate::extract::{Extracted, pdf};
use crate::ocr::OcrPage;

/// How to start and bound worker processes.
#[derive(Debug, Clone)]
pub struct PoolConfig {
    /// The program to run (normally the napscan binary itself).
    pub program: PathBuf,
    /// Its arguments (normally the hidden worker subcommand and the memory limit).
    pub args: Vec<OsString>,
    /// Number of workers running at once.
    pub jobs: usize,
    /// Wall-clock limit for one file.
    pub timeout: Duration,
}

/// The napscan binary's hidden subcommand that runs [`serve`].
pub const WORKER_SUBCOMMAND: &str = "__worker";

impl PoolConfig {
    /// Workers that are the napscan binary `program` running [`WORKER_SUBCOMMAND`] with the
    /// memory limit `memory_mb` (0 = none): the limit applies whoever builds the pool.
    pub fn napscan(program: PathBuf, memory_mb: u64, jobs: usize, timeout: Duration) -> PoolConfig {
        let args =
            vec![WORKER_SUBCOMMAND.into(), "--memory-mb".into(), memory_mb.to_string().into()];
        PoolConfig { program, args, jobs, timeout }
    }
}

/// One job for a worker: extract a whole PDF, or OCR one of its pages.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub enum Job {
    /// Extract every page's text layer.
    Extract {
        /// The PDF.
        path: PathBuf,
    },
    /// OCR one page.
    Ocr(OcrJob),
}

/// The OCR of one page, as a worker job.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct OcrJob {
    /// The PDF.
    pub path: PathBuf,
    /// 1-based page number.
    pub page: u32,
    /// Tesseract languages (`fra`, `deu+eng`).
    pub langs: String,
    /// Rendering resolution.
    pub dpi: u32,
    /// The page's own time limit, in milliseconds.
    pub timeout_ms: u64,
}

#[derive(serde::Serialize, serde::Deserialize)]
enum Response {
    Ok(Extracted),
    Ocr(OcrPage),
    Err(String),
}

/// What a worker hands back for a job.
enum Answer {
    Extracted(Extracted),
    Ocr(OcrPage),
}

/// The worker side: sets the memory limit (in MiB; 0 = none), then answers requests from `input`
/// on `output` until `input` closes. Each file is extracted on a thread with a large stack.
pub fn serve(memory_mb: u64, input: impl BufRead, mut output: impl Write) -> std::io::Result<()> {
    if memory_mb > 0 {
        let bytes = memory_mb.saturating_mul(1024 * 1024);
        // Best effort: where the limit cannot be set, the timeout still bounds the worker.
        let _ = rlimit::setrlimit(rlimit::Resource::AS, bytes, bytes);
    }
    let mut extractor = Extractor::start()?;
    for line in input.lines() {
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        let resp = match serde_json::from_str::<Job>(&line) {
            Ok(Job::Extract { path }) => extractor.extract(path),
            Ok(Job::Ocr(job)) => {
                let timeout = Duration::from_millis(job.timeout_ms);
                let r = crate::extract::guarded(|| {
                    crate::ocr::ocr_page(&job.path, job.page, &job.langs, job.dpi, timeout)
                });
                match r {
                    Ok(page) => Response::Ocr(page),
                    Err(e) => Response::Err(e),
                }
            }
            Err(e) => Response::Err(format!("bad request: {e}")),
        };
        serde_json::to_writer(&mut output, &resp)?;
        output.write_all(b"\n")?;
        output.flush()?;
    }
    Ok(())
}

/// A long-lived extraction thread with a large stack (deeply nested PDFs recurse deeply), reused
/// from file to file so that its stack is mapped once.
struct Extractor {
    jobs: std::sync::mpsc::Sender<PathBuf>,
    results: Receiver<std::thread::Result<Result<Extracted, String>>>,
}

impl Extractor {
    fn start() -> std::io::Result<Extractor> {
        let (jobs, rx) = channel::<PathBuf>();
        let (tx, results) = channel();
        std::thread::Builder::new().stack_size(64 * 1024 * 1024).spawn(move || {
            for path in rx {
                let r = std::panic::catch_unwind(|| match std::fs::read(&path) {
                    Ok(bytes) => pdf::extract_pdf(&bytes),
                    Err(e) => Err(format!("read: {e}")),
                });
                if tx.send(r).is_err() {
                    break;
                }
            }
        })?;
        Ok(Extractor { jobs, results })
    }

    fn extract(&mut self, path: PathBuf) -> Response {
        if self.jobs.send(path).is_err() {
            return Response::Err("extraction thread is gone".into());
        }
        match self.results.recv() {
            Ok(Ok(Ok(x))) => Response::Ok(x),
            Ok(Ok(Err(e))) => Response::Err(e),
            Ok(Err(panic)) => {
                Response::Err(format!("panic: {}", crate::extract::panic_message(&*panic)))
            }
            Err(_) => Response::Err("extraction thread is gone".into()),
        }
    }
}

struct Worker {
    child: Child,
    stdin: ChildStdin,
    lines: Receiver<String>,
    stderr: Arc<Mutex<String>>,
}

impl Worker {
    fn spawn(cfg: &PoolConfig) -> std::io::Result<Worker> {
        let mut child = Command::new(&cfg.program)
            .args(&cfg.args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .env("RUST_BACKTRACE", "0")
            // mimalloc reserves address space in 1 GiB arenas by default, which the worker's
            // address-space limit counts: reserve in smaller steps.
            .env("MIMALLOC_ARENA_RESERVE", "64MiB")
            // Keep freed memory mapped: re-faulting fresh pages was a tenth of extraction time.
            .env("MIMALLOC_PURGE_DELAY", "-1")
            .spawn()?;
        let stdin = child.stdin.take().expect("piped stdin");
        let stdout = child.stdout.take().expect("piped stdout");
        let stderr = child.stderr.take().expect("piped stderr");
        let (tx, lines) = channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let tail = Arc::new(Mutex::new(String::new()));
        let tail2 = Arc::clone(&tail);
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines() {
                let Ok(line) = line else { break };
                let mut t = tail2.lock().unwrap_or_else(|e| e.into_inner());
                t.push_str(&line);
                t.push('\n');
                if t.len() > 4096 {
                    let cut = t.len() - 2048;
                    let cut = (cut..t.len()).find(|&i| t.is_char_boundary(i)).unwrap_or(t.len());
                    t.drain(..cut);
                }
            }
        });
        Ok(Worker { child, stdin, lines, stderr: tail })
    }

    fn kill(mut self) -> String {
        let _ = self.child.kill();
        let status = self.child.wait();
        // Give the stderr reader a moment to drain what the dying worker printed.
        std::thread::sleep(Duration::from_millis(20));
        let tail = self.stderr.lock().map(|t| t.clone()).unwrap_or_default();
        let status = status.map(|s| s.to_string()).unwrap_or_else(|e| e.to_string());
        format!("{status}; {}", telling_line(&tail))
    }
}

/// The line of a dead worker's stderr that best says why it died.
fn telling_line(s: &str) -> &str {
    const KEYS: &[&str] =
        &["memory allocation", "out of memory", "overflowed its stack", "panicked", "fatal"];
    let lines = || s.lines().rev().map(str::trim).filter(|l| !l.is_empty());
    KEYS.iter()
        .find_map(|k| lines().find(|l| l.to_lowercase().contains(k)))
        .or_else(|| lines().find(|l| !l.starts_with("note:") && !l.starts_with("stack backtrace")))
        .unwrap_or("no message")
}

/// The outcome of one file.
pub type Outcome = Result<Extracted, (Stage, String)>;

/// The outcome of the OCR of one page.
pub type OcrOutcome = Result<OcrPage, (Stage, String)>;

/// A pool of worker processes.
pub struct Pool {
    cfg: PoolConfig,
}

impl Pool {
    /// A pool that will start workers as `cfg` says.
    pub fn new(cfg: PoolConfig) -> Pool {
        Pool { cfg }
    }

    /// Extracts every file of `files` (keyed by an index the caller chooses), at most `jobs` at
    /// once, and calls `done` with each outcome as soon as it is known (from several threads).
    pub fn run(&self, files: Vec<(usize, PathBuf)>, done: &(dyn Fn(usize, Outcome) + Sync)) {
        let jobs = files.into_iter().map(|(k, path)| (k, Job::Extract { path })).collect();
        self.run_jobs(jobs, &|k, r| {
            done(
                k,
                r.and_then(|a| match a {
                    Answer::Extracted(x) => Ok(x),
                    Answer::Ocr(_) => Err((Stage::Crash, "worker answered OCR to extract".into())),
                }),
            )
        });
    }

    /// OCRs every page of `pages` (keyed by an index the caller chooses), at most `jobs` at once,
    /// each under its own time limit. Every failure, a worker killed on overrun included, is an
    /// [`Stage::Ocr`] failure of that page.
    pub fn ocr(&self, pages: Vec<(usize, OcrJob)>, done: &(dyn Fn(usize, OcrOutcome) + Sync)) {
        let jobs = pages.into_iter().map(|(k, j)| (k, Job::Ocr(j))).collect();
        self.run_jobs(jobs, &|k, r| {
            let r = match r {
                Ok(Answer::Ocr(p)) => Ok(p),
                Ok(Answer::Extracted(_)) => Err("worker answered extract to OCR".into()),
                Err((Stage::Timeout, e)) => Err(format!("timeout: {e}")),
                Err((_, e)) => Err(e),
            };
            done(k, r.map_err(|e| (Stage::Ocr, e)));
        });
    }

    fn run_jobs(
        &self,
        jobs: Vec<(usize, Job)>,
        done: &(dyn Fn(usize, Result<Answer, (Stage, String)>) + Sync),
    ) {
        let queue = Mutex::new(VecDeque::from(jobs));
        let slots = self.cfg.jobs.max(1).min(queue.lock().map(|q| q.len()).unwrap_or(1).max(1));
        std::thread::scope(|s| {
            for _ in 0..slots {
                s.spawn(|| self.slot(&queue, done));
            }
        });
    }

    fn slot(
        &self,
        queue: &Mutex<VecDeque<(usize, Job)>>,
        done: &(dyn Fn(usize, Result<Answer, (Stage, String)>) + Sync),
    ) {
        let mut worker: Option<Worker> = None;
        while let Some((key, job)) = queue.lock().ok().and_then(|mut q| q.pop_front()) {
            if worker.is_none() {
                match Worker::spawn(&self.cfg) {
                    Ok(w) => worker = Some(w),
                    Err(e) => {
                        done(key, Err((Stage::Crash, format!("cannot start worker process: {e}"))));
                        continue;
                    }
                }
            }
            let w = worker.as_mut().expect("worker started above");
            let outcome = self.ask(w, job);
            if let Err((stage, _)) = &outcome
                && matches!(stage, Stage::Timeout | Stage::Crash | Stage::Memory)
            {
                // The worker is dead or stuck; replace it before the next file.
                let why = worker.take().map(Worker::kill).unwrap_or_default();
                let outcome = match outcome {
                    Err((Stage::Crash, _)) => Err(classify_death(&why)),
                    o => o,
                };
                done(key, outcome);
                continue;
            }
            done(key, outcome);
        }
        if let Some(mut w) = worker {
            drop(w.stdin);
            let _ = w.child.wait();
        }
    }

    fn ask(&self, w: &mut Worker, mut job: Job) -> Result<Answer, (Stage, String)> {
        let abs = |p: &Path| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
        // An OCR job keeps its own deadline inside the worker; the pool waits a little longer,
        // and kills the worker only when that deadline failed too.
        let timeout = match &mut job {
            Job::Extract { path } => {
                *path = abs(path);
                self.cfg.timeout
            }
            Job::Ocr(j) => {
                j.path = abs(&j.path);
                Duration::from_millis(j.timeout_ms) + Duration::from_secs(10)
            }
        };
        let mut req = serde_json::to_vec(&job).expect("serialisable request");
        req.push(b'\n');
        if w.stdin.write_all(&req).and_then(|_| w.stdin.flush()).is_err() {
            return Err((Stage::Crash, "worker closed its input".into()));
        }
        match w.lines.recv_timeout(timeout) {
            Ok(line) => match serde_json::from_str::<Response>(&line) {
                Ok(Response::Ok(x)) => Ok(Answer::Extracted(x)),
                Ok(Response::Ocr(p)) => Ok(Answer::Ocr(p)),
                Ok(Response::Err(e)) if e.starts_with("read:") => Err((Stage::Read, e)),
                Ok(Response::Err(e)) => Err((Stage::Extract, e)),
                Err(e) => Err((Stage::Crash, format!("garbled worker output: {e}"))),
            },
            Err(RecvTimeoutError::Timeout) => Err((
                Stage::Timeout,
                format!("no result after {} s; worker killed", timeout.as_secs_f32()),
            )),
            Err(RecvTimeoutError::Disconnected) => Err((Stage::Crash, String::new())),
        }
    }
}

fn classify_death(why: &str) -> (Stage, String) {
    let lower = why.to_lowercase();
    if lower.contains("memory allocation")
        || lower.contains("out of memory")
        || lower.contains("cannot allocate")
    {
        (Stage::Memory, format!("worker ran out of its memory limit: {why}"))
    } else if lower.contains("overflowed its stack") {
        (Stage::Crash, format!("worker stack overflow: {why}"))
    } else {
        (Stage::Crash, format!("worker process died: {why}"))
    }
}
