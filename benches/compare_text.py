#!/usr/bin/env python3
"""Token F1 of napscan's text against pdftotext's, per file (lowercased word multisets), and success
rates on the files where pdftotext yields at least 20 words. Usage: compare_text.py WORK_DIR PDF_DIR
(WORK_DIR holds the corpus/manifest.csv and out/ of a napscan run on PDF_DIR)."""
import csv, os, re, subprocess, sys, statistics
from collections import Counter

work, src = sys.argv[1], sys.argv[2]
manifest = {r["doc_id"]: r["path"] for r in csv.DictReader(open(f"{work}/corpus/manifest.csv"))}
docs = {r["doc_id"]: r for r in csv.DictReader(open(f"{work}/out/documents.csv"))}
subprocess.run(["target/release/napscan", "text", "--manifest", f"{work}/corpus/manifest.csv",
                "--index", f"{work}/index", "--out", f"{work}/text", "-q"], check=False)
words = re.compile(r"\w+", re.UNICODE)
def toks(s): return Counter(w.lower() for w in words.findall(s))
f1s, considered, ok_ref, ok_ns = [], 0, 0, 0
per_file = []
for doc_id, path in sorted(manifest.items()):
    try:
        ref = subprocess.run(["pdftotext", "-q", os.path.join(src, path), "-"], capture_output=True, timeout=60).stdout.decode("utf-8", "replace")
    except subprocess.TimeoutExpired:
        ref = ""
    rt = toks(ref)
    if sum(rt.values()) < 20:
        continue
    considered += 1
    ok_ref += 1
    p = f"{work}/text/{doc_id}.txt"
    mine = open(p, encoding="utf-8").read() if os.path.exists(p) else ""
    mt = toks(mine)
    if docs[doc_id]["status"] in ("ok", "partial") and sum(mt.values()) > 0:
        ok_ns += 1
    elif os.environ.get("VERBOSE"):
        print("not extracted:", doc_id, path, docs[doc_id]["status"], docs[doc_id]["message"][:150])
    inter = sum((rt & mt).values())
    prec = inter / max(1, sum(mt.values())); rec = inter / max(1, sum(rt.values()))
    f1 = 0 if inter == 0 else 2 * prec * rec / (prec + rec)
    f1s.append(f1)
    per_file.append((doc_id, path, f"{f1:.4f}", sum(mt.values()), sum(rt.values()), docs[doc_id]["extractor"]))
    if os.environ.get("VERBOSE") and f1 < 0.85:
        print(f"low F1 {f1:.3f}: {doc_id} {path} ({sum(mt.values())} vs {sum(rt.values())} tokens)")
f1s.sort()
p10 = f1s[len(f1s) // 10] if f1s else 0
print(f"files where pdftotext yields >=20 words: {considered}; napscan succeeds on {ok_ns} ({100*ok_ns/max(1,considered):.1f}%), pdftotext on {ok_ref}")
print(f"token F1 vs pdftotext: median {statistics.median(f1s):.3f}, p10 {p10:.3f}, n={len(f1s)}")
with open(f"{work}/f1.csv", "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["doc_id", "path", "f1", "tokens", "pdftotext_tokens", "extractor"])
    w.writerows(per_file)
