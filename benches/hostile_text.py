#!/usr/bin/env python3
"""Generates N hostile text, Markdown and HTML files and a manifest listing them, for the
robustness sweep (issue 12): invalid UTF-8, huge lines, deep nesting, entity storms, unclosed
tags and comments, NULs and control characters, BOMs and odd line ends, pathological Markdown
headings, combining-mark storms. Deterministic for a given seed.

Usage: benches/hostile_text.py N OUT_DIR [SEED]
"""
import os
import random
import sys

WORDS = ("due diligence", "Sorgfaltspflicht", "devoir de vigilance", "debida diligencia",
         "Santé &", "sécurité", "grievance mechanism", "Beschwerdeverfahren", "§ 3", "€", "—")


def word(r):
    return r.choice(WORDS)


def invalid_utf8(r):
    return bytes(r.randrange(256) for _ in range(r.randrange(1, 4000)))


def truncated_utf8(r):
    s = (" ".join(word(r) for _ in range(r.randrange(1, 300)))).encode()
    cut = r.randrange(len(s) + 1)
    return s[:cut] + bytes([0xE2, 0x82]) + s[cut:] + bytes([0xF0, 0x9F])


def huge_line(r):
    return (word(r) + " ").encode() * r.randrange(10_000, 60_000)


def deep_nesting(r):
    tag = r.choice(["div", "span", "ul><li", "table><tr><td", "b"])
    n = r.randrange(1_000, 40_000)
    close = "" if r.random() < 0.5 else "</" + tag.split("><")[0] + ">" * n
    return (f"<{tag}>" * n + word(r) + close).encode()


def entity_storm(r):
    ents = ["&amp;", "&#x1F600;", "&#99999999999;", "&é;", "&", "&#;", "&#x;", "&lt;&gt;",
            "&nbsp;", "&#0;", "&#xD800;", "&unknown;", "&amp;amp;", "&#65", "&Eacute"]
    return "".join(r.choice(ents) + (word(r) if r.random() < 0.1 else "")
                   for _ in range(r.randrange(100, 5_000))).encode()


def unclosed(r):
    parts = ["<p>Santé &\nsécurité", "<é", "<!-- never closed", "<script>x", "<style>",
             "<a href=\"", "<", ">", "</", "<![CDATA[", "<?xml", "<!DOCTYPE", "<title>",
             "<p", "<br/", "</p>", "<h1>", "<table"]
    return "".join(r.choice(parts) + (" " + word(r) if r.random() < 0.5 else "")
                   for _ in range(r.randrange(1, 500))).encode()


def control_chars(r):
    return bytes(r.choice([0, 1, 7, 8, 11, 12, 13, 27, 127, 0x85 & 0x7f, 10, 32, 65])
                 for _ in range(r.randrange(1, 5000)))


def odd_line_ends(r):
    bom = r.choice([b"", b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff"])
    ends = [b"\r", b"\r\n", b"\n\r", b"\x0b", b"\x0c", "\u2028".encode(), "\u0085".encode()]
    return bom + b"".join(word(r).encode() + r.choice(ends) for _ in range(r.randrange(1, 500)))


def markdown_headings(r):
    lines = []
    for _ in range(r.randrange(1, 400)):
        k = r.random()
        if k < 0.3:
            lines.append("#" * r.randrange(1, 12) + " " + word(r))
        elif k < 0.5:
            lines.append("§" * r.randrange(1, 50) + " " + str(r.randrange(10**9)))
        elif k < 0.6:
            lines.append("```" + word(r))
        elif k < 0.7:
            lines.append("[" * r.randrange(1, 100) + "](" * r.randrange(1, 20))
        elif k < 0.8:
            lines.append("*" * r.randrange(1, 60) + "_" * r.randrange(1, 60))
        else:
            lines.append(word(r))
    return "\n".join(lines).encode(errors="surrogatepass")


def combining_storm(r):
    return ("a" + "\u0301" * r.randrange(1, 5000) + " " + "\u200f\u202e" * 100 + word(r)).encode()


def empty(r):
    return r.choice([b"", b" ", b"\n" * 1000, b"\t \r\n" * 100])


GENERATORS = [invalid_utf8, truncated_utf8, huge_line, deep_nesting, entity_storm, unclosed,
              control_chars, odd_line_ends, markdown_headings, combining_storm, empty]
EXTENSIONS = ["txt", "md", "html", "htm", "markdown"]


def main():
    n = int(sys.argv[1])
    out = sys.argv[2]
    seed = int(sys.argv[3]) if len(sys.argv) > 3 else 12
    r = random.Random(seed)
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "manifest.csv"), "w", encoding="utf-8") as m:
        m.write("doc_id,country,year,doc_type,lang,title,path\n")
        for i in range(n):
            gen = GENERATORS[i % len(GENERATORS)]
            # Huge inputs are rarer, so that the sweep stays a few seconds per thousand files.
            if gen in (huge_line, deep_nesting) and r.random() < 0.95:
                gen = unclosed
            ext = r.choice(EXTENSIONS)
            name = f"h{i:05d}_{gen.__name__}.{ext}"
            with open(os.path.join(out, name), "wb") as f:
                f.write(gen(r))
            lang = r.choice(["en", "fr", "de", "es", "pt", "xx"])
            m.write(f"h{i:05d},INT,2020,other,{lang},{gen.__name__},{name}\n")


if __name__ == "__main__":
    main()
