#!/usr/bin/env bash
# The comparison suite (issues 2, 3, 4 and 5): napscan against the tools researchers would otherwise
# use, side by side on the same files in one run, with ratios. Not part of CI's test run.
#   benches/compare.sh [SHARED_DIR]    (default ../shared; needs bench/laws-pdf and bench/laws-md.tar.xz)
# Installs what it needs from Debian packages (poppler-utils, ripgrep, pdfgrep, time).
set -euo pipefail
cd "$(dirname "$0")/.."
shared=${1:-../shared}
work=target/bench
mkdir -p "$work"
need=()
command -v pdftotext >/dev/null || need+=(poppler-utils)
command -v rg >/dev/null || need+=(ripgrep)
command -v pdfgrep >/dev/null || need+=(pdfgrep)
[ -x /usr/bin/time ] || need+=(time)
if [ ${#need[@]} -gt 0 ]; then apt-get update -qq && apt-get install -y -qq "${need[@]}" >/dev/null; fi
cargo build --release -q
bin=$PWD/target/release/napscan
now() { date +%s.%N; }
secs() { python3 -c "print(f'{$2 - $1:.2f}')"; }
ratio() { python3 -c "print(f'{$1 / $2:.2f}x')"; }
peak() { grep -o 'MAXRSS=[0-9]*' "$1" | cut -d= -f2 | sort -n | tail -1; }
row() { printf '| %-58s | %10s | %10s | %8s |\n' "$@"; }

echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo
row "measure" "napscan" "reference" "ratio"
row "---" "---" "---" "---"

# 1. Full run (extract + flag + index) on laws-pdf vs pdftotext with xargs -P2.
pdfs=$shared/bench/laws-pdf
rm -rf "$work/idx-pdf" "$work/out-pdf"
t0=$(now); /usr/bin/time -f "MAXRSS=%M" -o "$work/rss-run-pdf" "$bin" run --manifest "$pdfs/manifest.csv" --index "$work/idx-pdf" --out "$work/out-pdf" -q || true; t1=$(now)
t2=$(now); ls "$pdfs"/*.pdf | xargs -P2 -I{} pdftotext -q {} /dev/null; t3=$(now)
first=$(secs "$t0" "$t1"); ref=$(secs "$t2" "$t3")
row "run on laws-pdf (400 PDFs) vs pdftotext -P2 (s)" "$first" "$ref" "$(ratio "$first" "$ref")"
t0=$(now); "$bin" run --manifest "$pdfs/manifest.csv" --index "$work/idx-pdf" --out "$work/out-pdf" -q || true; t1=$(now)
again=$(secs "$t0" "$t1")
row "re-run on unchanged laws-pdf vs first run (s)" "$again" "$first" "$(ratio "$again" "$first")"
row "peak RSS of run on laws-pdf (parent+largest worker, MB)" "$(( $(peak "$work/rss-run-pdf") / 1024 ))" "" ""

# 2. Flagging the 6,119 laws (Markdown) vs rg -c -i -F -f TERMS.
if [ ! -d "$work/laws" ]; then tar -xJf "$shared/bench/laws-md.tar.xz" -C "$work"; fi
python3 benches/laws_md_manifest.py "$work/laws" > "$work/laws/manifest.csv"
python3 benches/lexicon_terms.py lexicons/ungp.toml de > "$work/terms_de.txt"
(cd "$work/laws" && rg -c -i -F -f ../terms_de.txt . > /dev/null || true)
t0=$(now); (cd "$work/laws" && rg -c -i -F -f ../terms_de.txt . > /dev/null || true); t1=$(now)
rgt=$(secs "$t0" "$t1")
rm -rf "$work/idx-md-noindex"
t0=$(now); /usr/bin/time -f "MAXRSS=%M" -o "$work/rss-noindex" "$bin" run --manifest "$work/laws/manifest.csv" --index "$work/idx-md-noindex" --out "$work/out-md" -q --no-index || true; t1=$(now)
noidx=$(secs "$t0" "$t1")
row "flag 6,119 laws, no index, vs rg -c -i -F -f TERMS (s)" "$noidx" "$rgt" "$(ratio "$noidx" "$rgt")"
row "peak RSS, flag without index (MB)" "$(( $(peak "$work/rss-noindex") / 1024 ))" "" ""
rm -rf "$work/index-laws-md"
t0=$(now); /usr/bin/time -f "MAXRSS=%M" -o "$work/rss-index" "$bin" run --manifest "$work/laws/manifest.csv" --index "$work/index-laws-md" --out "$work/out-md" -q || true; t1=$(now)
withidx=$(secs "$t0" "$t1")
row "flag + index 6,119 laws vs rg (s)" "$withidx" "$rgt" "$(ratio "$withidx" "$rgt")"
row "peak RSS, flag + index (MB)" "$(( $(peak "$work/rss-index") / 1024 ))" "" ""
row "index size on disk (MB)" "$(du -sm "$work/index-laws-md/tantivy" | cut -f1)" "" ""
t0=$(now); "$bin" run --manifest "$work/laws/manifest.csv" --index "$work/index-laws-md" --out "$work/out-md" -q || true; t1=$(now)
row "re-run on unchanged laws-md vs first run with index (s)" "$(secs "$t0" "$t1")" "$withidx" "$(ratio "$(secs "$t0" "$t1")" "$withidx")"

# 3. Search latency over the laws index (warm, in-process, divan) and per CLI call, vs pdfgrep -c.
queries=('"öffentliche Auftraggeber"' 'Sorgfaltspflicht' 'Menschenrechte AND Unternehmen' '"künstliche Intelligenz"' 'Kinderarbeit')
python3 - "$bin" "$work/index-laws-md" "${queries[@]}" <<'PY' > "$work/search-cli.txt"
import subprocess, sys, time, statistics
bin, idx, qs = sys.argv[1], sys.argv[2], sys.argv[3:]
lat = []
for _ in range(5):
    for q in qs:
        t = time.perf_counter()
        subprocess.run([bin, "search", "--index", idx, q, "--limit", "20", "--format", "json"], capture_output=True)
        lat.append((time.perf_counter() - t) * 1000)
lat.sort()
print(f"{statistics.median(lat):.1f} {lat[int(len(lat) * 0.95) - 1]:.1f}")
PY
read -r cli_med cli_p95 < "$work/search-cli.txt"
pg=()
for q in Sorgfaltspflicht Kinderarbeit; do
  t0=$(now); pdfgrep -c -i "$q" "$pdfs"/*.pdf > /dev/null || true; t1=$(now); pg+=("$(secs "$t0" "$t1")")
done
row "search, one CLI call incl. start-up: median / p95 (ms)" "$cli_med / $cli_p95" "" ""
row "pdfgrep -c per query over laws-pdf (s)" "" "${pg[0]}, ${pg[1]}" ""
echo
echo "in-process search latency over the laws index (warm reader), divan:"
NAPSCAN_BENCH_INDEX=$PWD/$work/index-laws-md cargo bench -q --bench search 2>/dev/null | sed -n '1,40p'

# 4. OCR of image-only pages vs pdftoppm + tesseract per page with xargs -P2 (issue 13).
echo
benches/ocr.sh
