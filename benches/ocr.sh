#!/usr/bin/env bash
# OCR: napscan against the plain pipeline (pdftoppm + tesseract per page, xargs -P2) on the same
# image-only pages, side by side in one run, with accuracy (token F1 against each page's original
# text layer) for both. The scans are 200 dpi greyscale renderings of real law and NAP pages in
# en, fr, de and es (benches/make_scan.py). Also times a re-run (everything from the cache).
#   benches/ocr.sh            (called by benches/compare.sh; installs what it needs)
set -euo pipefail
cd "$(dirname "$0")/.."
work=target/bench/ocr
need=()
command -v pdftoppm >/dev/null || need+=(poppler-utils)
command -v tesseract >/dev/null || need+=(tesseract-ocr)
for l in eng fra deu spa; do
  tesseract --list-langs 2>/dev/null | grep -qx "$l" || need+=("tesseract-ocr-$l")
done
if [ ${#need[@]} -gt 0 ]; then apt-get update -qq && apt-get install -y -qq "${need[@]}" >/dev/null; fi
cargo build --release -q
bin=$PWD/target/release/napscan
rm -rf "$work" && mkdir -p "$work/corpus" "$work/ref"
# doc_id lang source pages
cases=(
  "EUU_ai_act en EUU_2024_ai_act_regulation_en.pdf 5,6,40"
  "FRA_vigilance fr FRA_2025_code_commerce_L225-102-1_vigilance_fr.pdf 1,2"
  "EUU_csddd fr EUU_2024_csddd_directive_fr.pdf 20,21"
  "DEU_muschg de DEU_2017_muschg_maternity_protection_law_de.pdf 2,3,4"
  "PER_nap es PER_2021_pna_business_human_rights_nap_es.pdf 10,30,60"
)
echo "doc_id,country,year,doc_type,lang,title,path" > "$work/corpus/manifest.csv"
: > "$work/pages.txt"
for c in "${cases[@]}"; do
  read -r id lang src pages <<< "$c"
  python3 benches/make_scan.py "corpus/$src" "$work/corpus/$id.pdf" --pages "$pages" --dpi 200 2>/dev/null
  echo "$id,XXX,2020,law,$lang,$id,$id.pdf" >> "$work/corpus/manifest.csv"
  i=0
  for p in ${pages//,/ }; do
    i=$((i + 1))
    pdftotext -f "$p" -l "$p" "corpus/$src" "$work/ref/$id-$i.orig.txt"
    case $lang in en) t=eng;; fr) t=fra;; de) t=deu;; es) t=spa;; esac
    echo "$work/corpus/$id.pdf $i $t $work/ref/$id-$i" >> "$work/pages.txt"
  done
done
n=$(wc -l < "$work/pages.txt")
echo "scans made: $n pages" >&2
now() { date +%s.%N; }
t0=$(now)
"$bin" run --manifest "$work/corpus/manifest.csv" --index "$work/idx" --out "$work/out" -q
t1=$(now)
"$bin" text --manifest "$work/corpus/manifest.csv" --index "$work/idx" --out "$work/text" -q
t2=$(now)
# The plain pipeline: one shell per page, rendering then recognition, two pages at a time.
xargs -P2 -L1 sh -c 'pdftoppm -r 200 -gray -f "$1" -l "$1" -singlefile "$0" "$3" && tesseract "$3.pgm" "$3" -l "$2" 2>/dev/null' < "$work/pages.txt"
t3=$(now)
"$bin" run --manifest "$work/corpus/manifest.csv" --index "$work/idx" --out "$work/out" -q
t4=$(now)
# The same with Tesseract's OpenMP threads limited to one, as napscan runs it (by default each
# Tesseract starts one thread per core, so two at once oversubscribe the two cores).
mkdir -p "$work/ref1"
sed "s#$work/ref/#$work/ref1/#" "$work/pages.txt" | OMP_THREAD_LIMIT=1 xargs -P2 -L1 sh -c 'pdftoppm -r 200 -gray -f "$1" -l "$1" -singlefile "$0" "$3" && tesseract "$3.pgm" "$3" -l "$2" 2>/dev/null'
t5=$(now)
python3 - "$work" "$n" "$t0" "$t1" "$t2" "$t3" "$t4" "$t5" <<'PY'
import collections, csv, os, re, sys
work, n = sys.argv[1], int(sys.argv[2])
t0, t1, t2, t3, t4, t5 = map(float, sys.argv[3:])
def toks(s):
    return collections.Counter(w.lower() for w in re.split(r"[^\w]+", s) if w)
def f1(a, b):
    a, b = toks(a), toks(b)
    i = sum((a & b).values())
    if not i:
        return 0.0
    p, r = i / sum(a.values()), i / sum(b.values())
    return 2 * p * r / (p + r)
docs = {r["doc_id"]: r for r in csv.DictReader(open(f"{work}/out/documents.csv"))}
ours_all, ref_all = [], []
print(f"| document | pages | status | napscan token F1 | plain pipeline token F1 |")
print(f"|---|---|---|---|---|")
for d in docs:
    pages = open(f"{work}/text/{d}.txt").read().split("\f")
    if pages and not pages[-1].strip():
        pages.pop()
    o = r = 0.0
    for i, page in enumerate(pages, 1):
        orig = open(f"{work}/ref/{d}-{i}.orig.txt").read()
        o += f1(page, orig)
        r += f1(open(f"{work}/ref/{d}-{i}.txt").read(), orig)
    ours_all.append(o / len(pages)); ref_all.append(r / len(pages))
    print(f"| {d} | {len(pages)} | {docs[d]['status']} | {o / len(pages):.3f} | {r / len(pages):.3f} |")
ours, ref, again, ref1 = t1 - t0, t3 - t2, t4 - t3, t5 - t4
print()
print(f"| measure | napscan | plain pipeline | ratio |")
print(f"|---|---|---|---|")
print(f"| OCR of {n} image-only pages, wall time (s) | {ours:.2f} | {ref:.2f} | {ours / ref:.2f}x |")
print(f"| per page (s) | {ours / n:.2f} | {ref / n:.2f} | |")
print(f"| same, plain pipeline with OMP_THREAD_LIMIT=1 (s) | {ours:.2f} | {ref1:.2f} | {ours / ref1:.2f}x |")
print(f"| re-run on the unchanged scans (s) | {again:.2f} | {ours:.2f} (first run) | {again / ours:.3f}x |")
PY
