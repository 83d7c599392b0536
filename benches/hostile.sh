#!/usr/bin/env bash
# Sweeps generated hostile text, Markdown and HTML files (benches/hostile_text.py: invalid UTF-8,
# huge lines, deep nesting, entity storms, unclosed tags, ...) through `napscan run` (issue 12):
# every file is in documents.csv, any that is not `ok` or `no_lexicon` has a failure row, and the
# parent never crashes (exit 0 or 2).
# Usage: benches/hostile.sh [N] [WORK_DIR]   (default: 10000 files, target/hostile)
set -euo pipefail
hostile=${1:-10000}
work=${2:-target/hostile}
bin=${NAPSCAN:-target/release/napscan}
rm -rf "$work"
python3 benches/hostile_text.py "$hostile" "$work/corpus"
set +e
/usr/bin/time -f "hostile text: %e s, %M KB" "$bin" run --manifest "$work/corpus/manifest.csv" \
  --index "$work/index" --out "$work/out" --quiet 2> "$work/stderr.txt"
code=$?
set -e
grep "hostile text" "$work/stderr.txt" || true
if [ "$code" -ne 0 ] && [ "$code" -ne 2 ]; then
  echo "napscan run on hostile text exited with $code"; tail -20 "$work/stderr.txt"; exit 1
fi
python3 - "$work" "$hostile" <<'PY'
import csv, sys
from collections import Counter
work, n = sys.argv[1], int(sys.argv[2])
docs = list(csv.DictReader(open(f"{work}/out/documents.csv", encoding="utf-8")))
fails = {r["doc_id"] for r in csv.DictReader(open(f"{work}/out/failures.csv", encoding="utf-8"))}
assert len({d["doc_id"] for d in docs}) == n, f"{len(docs)} rows for {n} files"
for d in docs:
    assert d["status"] in ("ok", "no_lexicon") or d["doc_id"] in fails, \
        f"{d['doc_id']} is {d['status']} without a failure row"
print("hostile files:", n, "statuses:", dict(Counter(d["status"] for d in docs)), "failure rows:", len(fails))
PY
