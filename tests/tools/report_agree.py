#!/usr/bin/env python3
"""All formats of one report agree, figure by figure.

usage: report_agree.py BASE
  reads BASE.json (the reference), BASE.csv (long), BASE.tables.csv
  (--csv-layout tables), BASE.txt, BASE.md and BASE.html, and compares every
  figure of sections 一 to 四 with the JSON's, cell by cell in document
  order, and the row labels of the printed formats with each other.
Prints one line per comparison; exit 1 when any differs.
"""
import csv
import io
import json
import re
import sys
from html.parser import HTMLParser

HEADINGS = {"一、总体情况": "1", "二、主动公开政府信息情况": "2",
            "三、收到和处理政府信息公开申请情况": "3",
            "四、政府信息公开行政复议、行政诉讼情况": "4",
            "五、存在的主要问题及改进情况": "5", "六、其他需要报告的事项": "6"}
NUM = re.compile(r"^-?\d+(\.\d+)?$")
bad = 0


def report(what, want, got):
    global bad
    if want == got:
        print(f"ok   {what}: {len(want)} cells agree")
        return
    bad += 1
    for i, (w, g) in enumerate(zip(want, got)):
        if w != g:
            print(f"DIFF {what}: cell {i}: JSON has {w!r}, got {g!r}")
            return
    print(f"DIFF {what}: JSON has {len(want)} cells, got {len(got)}")


def reference(j):
    """Section -> the figures in document order, as (row, column, value)."""
    s = {"1": [(k, "value", str(v)) for k, v in j["overview"].items()], "2": [], "3": [], "4": []}
    for table, rows in j["section2"].items():
        for row, cols in rows.items():
            s["2"] += [(f"{table}/{row}", c, str(v)) for c, v in cols.items()]
    for key, n in (("section3", "3"), ("section4", "4")):
        for row, cols in j[key].items():
            s[n] += [(row, c, str(v)) for c, v in cols.items()]
    return s


def values(cells):
    return [v for _, _, v in cells]


def from_csv_long(text):
    s = {}
    for rec in csv.DictReader(io.StringIO(text.lstrip("\ufeff"))):
        row = rec["row"] if rec["section"] != "2" else f"{rec['table']}/{rec['row']}"
        s.setdefault(rec["section"], []).append((row, rec["column"], rec["value"]))
    return s


def split_row(fields):
    """A printed table row: (its own label, its figures), or None."""
    nums = [i for i, f in enumerate(fields) if NUM.match(f)]
    if not nums:
        return None
    label = [f for f in fields[:nums[0]] if f.strip()]
    return (label[-1].strip() if label else "", fields[nums[0]:])


def from_csv_tables(text):
    s, labels, sec = {}, {}, None
    for rec in csv.reader(io.StringIO(text.lstrip("\ufeff"))):
        if len(rec) == 1 and rec[0] in HEADINGS:
            sec = HEADINGS[rec[0]]
            continue
        if sec == "1" and len(rec) == 2 and rec[0] and rec[1] != "数值":
            s.setdefault(sec, []).append(rec[1])
            continue
        r = split_row(rec) if sec else None
        if r:
            s.setdefault(sec, []).extend(r[1])
            if r[0]:
                labels.setdefault(sec, []).append(r[0])
    return s, labels


def from_text(text):
    s, labels, sec = {}, {}, None
    for line in text.splitlines():
        if line in HEADINGS:
            sec = HEADINGS[line]
            continue
        if not sec or not line.startswith("\t"):
            continue
        fields = [f.rsplit(" ", 1)[-1] if re.search(r" -?\d", f) else f for f in line.split("\t")]
        r = split_row(fields)
        if r:
            s.setdefault(sec, []).extend(r[1])
            if r[0] and not re.search(r" -?\d", line.split("\t")[1]):
                labels.setdefault(sec, []).append(r[0])
    return s, labels


def from_markdown(text):
    s, labels, sec = {}, {}, None
    lines = text.splitlines()
    for i, line in enumerate(lines):
        if line.startswith("## "):
            sec = HEADINGS.get(line[3:])
            continue
        if not sec or not line.startswith("| ") or (i + 1 < len(lines) and lines[i + 1].startswith("|---")):
            continue
        cells = [c.strip() for c in line.strip("|").split("|")]
        s.setdefault(sec, []).extend(cells[1:])
        labels.setdefault(sec, []).append(cells[0])
    return s, labels


class Html(HTMLParser):
    def __init__(self):
        super().__init__()
        self.s, self.labels, self.sec = {}, {}, None
        self.tag, self.text, self.attrs, self.row, self.in_body = None, "", {}, [], False

    def handle_starttag(self, tag, attrs):
        if tag in ("h2", "td", "th"):
            self.tag, self.text, self.attrs = tag, "", dict(attrs)
        elif tag == "tbody":
            self.in_body = True
        elif tag == "tr":
            self.row = []

    def handle_endtag(self, tag):
        if tag == "h2":
            self.sec = HEADINGS.get(self.text)
        elif tag == "td" and self.in_body:
            self.row.append((self.attrs.get("class") == "num", self.text))
        elif tag == "tr" and self.in_body and self.sec:
            nums = [t for n, t in self.row if n]
            self.s.setdefault(self.sec, []).extend(nums)
            heads = [t for n, t in self.row if not n]
            if heads:
                self.labels.setdefault(self.sec, []).append(heads[-1])
        elif tag == "tbody":
            self.in_body = False
        self.tag = None if tag == self.tag else self.tag

    def handle_data(self, data):
        if self.tag:
            self.text += data


def main():
    base = sys.argv[1]
    read = lambda ext: open(f"{base}.{ext}", encoding="utf-8").read()
    ref = reference(json.loads(read("json")))
    long = from_csv_long(read("csv"))
    for sec in "1234":
        report(f"section {sec}: CSV long (row, column, value)", ref[sec], long.get(sec, []))
    tables, tlabels = from_csv_tables(read("tables.csv"))
    text, xlabels = from_text(read("txt"))
    md, mlabels = from_markdown(read("md"))
    h = Html()
    h.feed(read("html"))
    for sec in "1234":
        report(f"section {sec}: CSV tables", values(ref[sec]), tables.get(sec, []))
    for name, got in (("text", text), ("Markdown", md), ("HTML", h.s)):
        for sec in "234":  # section 一's figures are in the prose of printed formats
            report(f"section {sec}: {name}", values(ref[sec]), got.get(sec, []))
    # Row labels: the printed table's own labels agree between formats
    # (Markdown writes them with their headings in front).
    for sec in "23":
        report(f"section {sec}: row labels, text vs CSV tables", tlabels.get(sec, []), xlabels.get(sec, []))
        report(f"section {sec}: row labels, HTML vs CSV tables", tlabels.get(sec, []), h.labels.get(sec, []))
        md_ok = [m for m, t in zip(mlabels.get(sec, []), tlabels.get(sec, [])) if m.endswith(t)]
        report(f"section {sec}: row labels, Markdown ends with CSV tables'", tlabels.get(sec, []),
               [t for m, t in zip(mlabels.get(sec, []), tlabels.get(sec, [])) if m.endswith(t)]
               if len(md_ok) == len(mlabels.get(sec, [])) else mlabels.get(sec, []))
    sys.exit(1 if bad else 0)


main()
