#!/usr/bin/env python3
"""Makes an image-only PDF (a "scan") of some pages of a PDF: each page rendered by poppler's
pdftoppm in 8-bit greyscale at the given resolution, Flate-compressed (lossless), and placed as the only content of
a page of the same size. The result has no text layer, like a scanned gazette.

    benches/make_scan.py IN.pdf OUT.pdf [--pages 1,2,5] [--dpi 200]
"""
import argparse
import os
import subprocess
import sys
import tempfile
import zlib


def render(pdf, page, dpi, tmp):
    """The page as 8-bit grey pixels: (width, height, bytes)."""
    root = os.path.join(tmp, f"p{page}")
    subprocess.run(
        ["pdftoppm", "-r", str(dpi), "-gray", "-f", str(page), "-l", str(page), "-singlefile",
         pdf, root],
        check=True,
    )
    with open(root + ".pgm", "rb") as f:
        data = f.read()
    # Binary PGM: "P5", width, height, maxval, one whitespace byte, then the pixels.
    fields, pos = [], 0
    while len(fields) < 4:
        while data[pos : pos + 1].isspace():
            pos += 1
        end = pos
        while not data[end : end + 1].isspace():
            end += 1
        fields.append(data[pos:end])
        pos = end
    assert fields[0] == b"P5" and fields[3] == b"255", "8-bit binary PGM expected"
    w, h = int(fields[1]), int(fields[2])
    return w, h, data[pos + 1 : pos + 1 + w * h]


def write_pdf(images, dpi, out):
    objs = []  # (number, bytes)

    def add(body):
        objs.append(body)
        return len(objs)

    catalog = add(None)
    pages = add(None)
    kids = []
    for w, h, pixels in images:
        data = zlib.compress(pixels, 9)
        pw, ph = w * 72.0 / dpi, h * 72.0 / dpi
        img = add(
            b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray "
            b"/BitsPerComponent 8 /Filter /FlateDecode /Length %d >>\nstream\n" % (w, h, len(data))
            + data + b"\nendstream"
        )
        content = b"q %.2f 0 0 %.2f 0 0 cm /Im0 Do Q" % (pw, ph)
        cont = add(b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream")
        page = add(
            b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 %.2f %.2f] /Contents %d 0 R "
            b"/Resources << /XObject << /Im0 %d 0 R >> >> >>" % (pages, pw, ph, cont, img)
        )
        kids.append(page)
    objs[catalog - 1] = b"<< /Type /Catalog /Pages %d 0 R >>" % pages
    objs[pages - 1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (
        b" ".join(b"%d 0 R" % k for k in kids), len(kids))
    out_bytes = bytearray(b"%PDF-1.5\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for n, body in enumerate(objs, 1):
        offsets.append(len(out_bytes))
        out_bytes += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out_bytes)
    out_bytes += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    for o in offsets:
        out_bytes += b"%010d 00000 n \n" % o
    out_bytes += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objs) + 1, catalog, xref)
    tmp_out = out + ".tmp"
    with open(tmp_out, "wb") as f:
        f.write(out_bytes)
    os.replace(tmp_out, out)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("input")
    ap.add_argument("output")
    ap.add_argument("--pages", default="1", help="comma-separated 1-based page numbers")
    ap.add_argument("--dpi", type=int, default=200)
    a = ap.parse_args()
    pages = [int(p) for p in a.pages.split(",") if p]
    with tempfile.TemporaryDirectory() as tmp:
        images = [render(a.input, p, a.dpi, tmp) for p in pages]
    write_pdf(images, a.dpi, a.output)
    print(f"{a.output}: {len(pages)} image-only pages at {a.dpi} dpi", file=sys.stderr)


if __name__ == "__main__":
    main()
