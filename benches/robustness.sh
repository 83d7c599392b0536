#!/usr/bin/env bash
# Sweeps a folder of real-world (often malformed) PDFs through `napscan run` and checks that the
# parent survives and accounts for every file in documents.csv or failures.csv.
# Usage: benches/robustness.sh [PDF_DIR] [WORK_DIR]   (default: ../shared/robustness, target/robustness)
# With COMPARE=1 (needs pdftotext, from poppler-utils) it also reports success rate and token F1
# against pdftotext, as in issue 2.
set -euo pipefail
shopt -s nocaseglob
src=${1:-../shared/robustness}
work=${2:-target/robustness}
bin=${NAPSCAN:-target/release/napscan}
[ -d "$src" ] || { echo "no $src: skipping robustness sweep"; exit 0; }
src=$(cd "$src" && pwd)
rm -rf "$work" && mkdir -p "$work/corpus"
n=0
{
  echo "doc_id,country,year,doc_type,lang,title,path"
  for f in "$src"/*.pdf; do
    n=$((n+1))
    b=$(basename "$f")
    ln -s "$f" "$work/corpus/$b"
    printf 'r%04d,INT,2020,other,en,"%s",%s\n' "$n" "$b" "$b"
  done
} > "$work/corpus/manifest.csv"
set +e
/usr/bin/time -v "$bin" run --manifest "$work/corpus/manifest.csv" --index "$work/index" --out "$work/out" --quiet 2> "$work/time.txt"
code=$?
set -e
grep -E "Maximum resident|Elapsed" "$work/time.txt" || true
if [ "$code" -ne 0 ] && [ "$code" -ne 2 ]; then
  echo "napscan run exited with $code"; cat "$work/time.txt"; exit 1
fi
python3 - "$work" "$n" <<'PY'
import csv, sys
work, n = sys.argv[1], int(sys.argv[2])
docs = list(csv.DictReader(open(f"{work}/out/documents.csv")))
fails = {r["doc_id"] for r in csv.DictReader(open(f"{work}/out/failures.csv"))}
ids = {d["doc_id"] for d in docs}
assert len(docs) == n, f"{len(docs)} rows for {n} files"
for d in docs:
    assert d["status"] in ("ok", "partial") or d["doc_id"] in fails, f"{d['doc_id']} failed without a failure row"
from collections import Counter
print("files:", n, "statuses:", dict(Counter(d["status"] for d in docs)), "failure rows:", len(fails))
PY
if [ "${COMPARE:-0}" = 1 ]; then
  python3 benches/compare_text.py "$work" "$src"
fi

