#!/usr/bin/env bash
# Quality of the flags and of the commitment labels on the two tiers of hand coding in ../shared:
# train (../shared/gold, the coding terms and rules are written from) and check (../shared/gold/check,
# scored by ../shared/tools/check-eval, aggregate figures only). Prints both side by side.
#   benches/quality.sh [SHARED] [WORK]        (defaults: ../shared, target/quality)
set -euo pipefail
cd "$(dirname "$0")/.."
shared=${1:-../shared}
work=${2:-target/quality}
bin=target/release/napscan
[ -x "$bin" ] || cargo build --release
mkdir -p "$work"

laws="$shared/bench/laws-pdf/manifest.csv"; [ -f "$laws" ] || laws=

# The documents' text, so that sentences scored outside a run keep their place in the document
# (a recital of an act is no operative provision), as the run's own evidence does.
"$bin" text --quiet --manifest "$shared/corpus/manifest.csv" --index "$work/train-index" --out "$work/text" || [ $? -eq 2 ]
"$bin" text --quiet --manifest "$shared/gold/check/corpus/manifest.csv" --index "$work/check-index" --out "$work/text" || [ $? -eq 2 ]

echo "== train: flags (napscan eval on $shared/gold)"
"$bin" run --quiet --manifest "$shared/corpus/manifest.csv" --index "$work/train-index" --out "$work/train" || [ $? -eq 2 ]
"$bin" eval --quiet --manifest "$shared/corpus/manifest.csv" --index "$work/train-index" --out "$work/train" \
  --gold-pages "$shared/gold/pages.csv" --gold-labels "$shared/gold/labels.csv" \
  --gold-commitment "$shared/gold/commitment.csv" --text "$work/text" ${MISSES:+--misses}

echo "== dev: commitment (benches/data/commitment_dev.csv: the team's own labels, see README)"
"$bin" eval --quiet --out "$work/dev" --gold-commitment benches/data/commitment_dev.csv \
  --sentence-manifest "$shared/corpus/manifest.csv" ${laws:+--sentence-manifest "$laws"} --text "$work/text"

echo "== check: flags (check-eval)"
"$bin" run --quiet --manifest "$shared/gold/check/corpus/manifest.csv" --index "$work/check-index" --out "$work/check" || [ $? -eq 2 ]
python3 "$shared/tools/check-eval" flags "$work/check/evidence.csv"

# The classifier gets what it gets in a run: the sentence, its language and its document's type,
# by doc_id. The check sentences come from check documents, from train documents and from the
# laws-pdf bench, so all three manifests give the types (a document missing from them is classified
# with an unknown type).
echo "== check: commitment (check-eval), sentences with their document's type"
python3 - "$shared/gold/check/commitment_sentences.csv" "$work/check-sentences.csv" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
with open(sys.argv[2], 'w', newline='') as f:
    w = csv.writer(f); w.writerow(['id', 'lang', 'sentence', 'doc_id'])
    for r in rows: w.writerow([r['id'], r['lang'], r['sentence'], r['doc_id']])
PY
"$bin" commitment --input "$work/check-sentences.csv" --output "$work/check-commitment.csv" \
  --manifest "$shared/gold/check/corpus/manifest.csv" --manifest "$shared/corpus/manifest.csv" \
  ${laws:+--manifest "$laws"} --text "$work/text"
python3 "$shared/tools/check-eval" commitment "$work/check-commitment.csv"
