#!/usr/bin/env python3
"""Writes a napscan manifest for the 6,119 German federal laws of laws-md.tar.xz (already unpacked):
doc_id from the file name, year from the `% Ausfertigungsdatum:` line, title from the first line.
Usage: laws_md_manifest.py LAWS_DIR > manifest.csv (paths relative to LAWS_DIR)."""
import csv, os, re, sys

root = sys.argv[1]
w = csv.writer(sys.stdout, lineterminator="\n")
w.writerow(["doc_id", "country", "year", "doc_type", "lang", "title", "path"])
seen = set()
for name in sorted(os.listdir(root)):
    if not name.endswith(".md"):
        continue
    with open(os.path.join(root, name), encoding="utf-8", errors="replace") as f:
        head = [f.readline() for _ in range(3)]
    title = head[0].lstrip("% ").strip() or name
    m = re.search(r"Ausfertigungsdatum:\s*\d{1,2}\.\d{1,2}\.(\d{4})", "".join(head))
    year = m.group(1) if m and 1800 <= int(m.group(1)) <= 2100 else "2000"
    doc_id = re.sub(r"[^A-Za-z0-9_.-]", "_", name[:-3])
    while doc_id in seen:
        doc_id += "_"
    seen.add(doc_id)
    w.writerow([doc_id, "DEU", year, "law", "de", title, name])
