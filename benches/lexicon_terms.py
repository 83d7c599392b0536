#!/usr/bin/env python3
"""Prints the literal terms of a lexicon for one language, one per line (for `rg -F -f`): phrases
without globs, exact forms, and the literal parts of globs. Usage: lexicon_terms.py LEXICON LANG."""
import sys, tomllib

lex = tomllib.load(open(sys.argv[1], "rb"))
lang = sys.argv[2]
terms = set()
for c in lex["concept"]:
    for t in c.get("terms", {}).get(lang, []):
        if isinstance(t, str):
            t = {"phrase": t}
        text = t.get("phrase") or t.get("exact")
        if not text:
            continue
        for part in text.replace("*", " * ").split(" * ") if "*" in text else [text]:
            part = part.strip()
            if len(part) >= 3:
                terms.add(part)
print("\n".join(sorted(terms)))
