#!/usr/bin/env python3
"""Check a disclosed-report document against the JSON of the same run.

  check_report_doc.py docx FILE.docx FILE.json
      python-docx: section 三's and 四's merged header cells as the official
      tables (gridSpan, vMerge), the row groups merged down the side, header
      rows repeated (tblHeader), rows never split (cantSplit), and every
      figure of the JSON in its cell.
  check_report_doc.py text FILE.pdf FILE.json
      pdftotext -layout: every row of sections 二, 三 and 四 as a line
      ending in its figures, in the JSON's (the template's) order, and the
      overview figures in the prose.
  check_report_doc.py checks FILE.docx|FILE.pdf FILE.json
      the 数据检查 block after the signature as a reader sees it (the docx's
      paragraphs, the PDF's text): every check of the JSON on its line,
      "✓ 成立", "✗ 不成立" or "— 未检查", then its id and explanation, and
      the count of each state; or, when every check holds, no block at all
      (Word and PDF carry it only when one did not hold, --checks auto).

Prints a one-line summary; exits 1 with the first mismatch.
"""
import json
import re
import subprocess
import sys

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
NUM = re.compile(r"-?\d+(?:\.\d+)?%?")


def fail(msg):
    print(msg)
    sys.exit(1)


def rows_of(data):
    """Every printed row of sections 二, 三, 四 as its figures, in order."""
    rows = []
    for table, trows in data["section2"].items():
        for row, cols in trows.items():
            rows.append(("二 %s %s" % (table, row), [str(v) for v in cols.values()]))
    for code, cols in data["section3"].items():
        rows.append(("三 %s" % code, [str(v) for v in cols.values()]))
    # 四 is one printed line of its three routes' five results.
    rows.append(("四", [str(v) for cols in data["section4"].values() for v in cols.values()]))
    return rows


def overview_figures(data):
    """The overview's figures the prose says: 受理率 "—" (no complaints) it leaves out."""
    return [str(v) for k, v in data["overview"].items()
            if not (k == "acceptance_rate" and v == "—")]


# ---- docx -------------------------------------------------------------------

def grid(table):
    """A table's rows as lists of (grid column, span, vmerge, text), and
    whether each row is a repeated header and may not split."""
    out = []
    for tr in table._tbl.tr_lst:
        col, cells = 0, []
        for tc in tr.tc_lst:
            pr = tc.tcPr
            span = 1
            vm = None
            if pr is not None:
                gs = pr.find(W + "gridSpan")
                if gs is not None:
                    span = int(gs.get(W + "val"))
                v = pr.find(W + "vMerge")
                if v is not None:
                    vm = v.get(W + "val") or "continue"
            text = "".join(t.text or "" for t in tc.iter(W + "t"))
            cells.append((col, span, vm, text))
            col += span
        trpr = tr.trPr
        header = trpr is not None and trpr.find(W + "tblHeader") is not None
        cant = trpr is not None and trpr.find(W + "cantSplit") is not None
        out.append((cells, header, cant))
    return out


def cell_opt(row, col):
    for c in row[0]:
        if c[0] == col:
            return c
    return (col, 0, None, "")


def cell_at(row, col):
    for c in row[0]:
        if c[0] == col:
            return c
    fail("no cell starts at grid column %d in row %r" % (col, [c[3] for c in row[0]]))


def check_docx(path, data):
    import docx  # python3-docx

    d = docx.Document(path)
    tables = [grid(t) for t in d.tables]
    s3 = [t for t in tables if any(c[3] == "申请人情况" for c in t[0][0])]
    s4 = [t for t in tables if any(c[3] == "行政复议" for c in t[0][0])]
    if len(s3) != 1 or len(s4) != 1:
        fail("expected one section 三 and one 四 table, found %d and %d" % (len(s3), len(s4)))
    t = s3[0]
    corner, applicants = t[0][0][0], t[0][0][1]
    if (corner[1], corner[2]) != (3, "restart") or applicants[1:4] != (7, None, "申请人情况"):
        fail("三 header row 1: %r" % (t[0][0],))
    natural = cell_at(t[1], 3)
    if natural[1:] != (1, "restart", "自然人"):
        fail("三: 自然人 not merged over two header rows: %r" % (natural,))
    legal = cell_at(t[1], 4)
    if legal[1] != 5 or legal[3] != "法人或其他组织":
        fail("三: 法人或其他组织 does not span its five columns: %r" % (legal,))
    if cell_at(t[2], 3)[2] != "continue" or cell_at(t[2], 9)[2] != "continue":
        fail("三 header row 3 does not continue 自然人 and 总计: %r" % (t[2][0],))
    if [c[3] for c in t[2][0] if c[2] is None] != ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]:
        fail("三 header row 3: %r" % (t[2][0],))
    if not all(r[1] for r in t[:3]) or any(r[1] for r in t[3:]) or not all(r[2] for r in t):
        fail("三: header rows not all tblHeader, or body rows not all cantSplit")
    # （三）不予公开: begins a vertical merge in column 1, continued below.
    body = t[3:]
    start = [i for i, r in enumerate(body) if cell_opt(r, 1)[3].startswith("（三）")]
    if len(start) != 1 or cell_at(body[start[0]], 1)[2] != "restart":
        fail("三: no （三） group heading merged down column 1")
    i = start[0] + 1
    while i < len(body) and cell_opt(body[i], 1)[2] == "continue":
        i += 1
    if i - start[0] < 2:
        fail("三: （三） merged over %d rows" % (i - start[0]))
    group = i - start[0]
    # Every figure in its cell: each body row's last cells, in order.
    want = rows_of(data)
    n2 = len(want) - len(data["section3"]) - 1
    got3 = [[c[3] for c in r[0][-7:]] for r in body]
    exp3 = [v for _, v in want[n2:-1]]
    if got3 != exp3:
        fail("三 figures: %r, expected %r" % (got3, exp3))
    got4 = [c[3] for c in s4[0][-1][0]]
    if got4 != want[-1][1]:
        fail("四 figures: %r, expected %r" % (got4, want[-1][1]))
    # 二: the other tables' body rows end in the figures, in order.
    s2rows = []
    for tb in tables:
        if tb is s3[0] or tb is s4[0]:
            continue
        for cells, header, _ in tb:
            if not header:
                s2rows.append([c[3] for c in cells[1:]])
    exp2 = [v for _, v in want[:n2]]
    if s2rows != exp2:
        fail("二 figures: %r, expected %r" % (s2rows, exp2))
    text = "\n".join(p.text for p in d.paragraphs)
    missing = [v for v in overview_figures(data) if v not in text]
    if missing:
        fail("overview figures not in the text: %r" % missing)
    print("%d tables; 三 merges (申请人情况 x7, 自然人 x2 rows, （三） over %d rows), "
          "%d rows of figures and %d overview figures in place"
          % (len(tables), group, len(want), len(overview_figures(data))))


# ---- text of a PDF ------------------------------------------------------------

def check_text(path, data):
    text = subprocess.run(["pdftotext", "-layout", path, "-"], check=True,
                          capture_output=True, text=True).stdout
    lines = text.splitlines()
    at = 0
    for name, figures in rows_of(data):
        n = len(figures)
        while at < len(lines) and NUM.findall(lines[at])[-n:] != figures:
            at += 1
        if at == len(lines):
            fail("row %s: no line ending in %s after the rows before it" % (name, " ".join(figures)))
        at += 1
    flat = re.sub(r"\s+", "", text)
    missing = [v for v in overview_figures(data) if v not in flat]
    if missing:
        fail("overview figures not in the text: %r" % missing)
    print("%d rows of figures in reading order, %d overview figures"
          % (len(rows_of(data)), len(overview_figures(data))))


# ---- the checks block ----------------------------------------------------------

STATES = {"holds": "✓ 成立", "failed": "✗ 不成立", "not_checked": "— 未检查"}


def document_text(path):
    """What a reader sees, and the same flattened (a PDF wraps long lines)."""
    if path.endswith(".docx"):
        import docx
        text = "\n".join(p.text for p in docx.Document(path).paragraphs)
    else:
        text = subprocess.run(["pdftotext", path, "-"], check=True,
                              capture_output=True, text=True).stdout
    return text, flatten(text)


def flatten(text):
    """White space and hyphens out: pdftotext joins "demo-" at a line's end
    with "bureau" on the next as "demobureau"."""
    return re.sub(r"[\s-]+", "", text)


def check_checks(path, data):
    text, flat = document_text(path)
    # A PDF's page numbers ("— 5 —") out: the block may run over a page.
    flat = re.sub(r"—\d+—", "", flat)
    checks = data["checks"]
    # published.unchanged not made (a year's first run) is not shown alone.
    shown = any(c["state"] != "holds" and not (
        c["id"] == "published.unchanged" and c["state"] == "not_checked") for c in checks)
    if not shown:
        if "数据检查" in text:
            fail("every check holds, yet the document prints the checks")
        print("%d checks hold: no 数据检查 in the document" % len(checks))
        return
    at = flat.find("附：数据检查")
    if at < 0:
        fail("a check did not hold, and the document has no 附：数据检查")
    six = flat.find("六、其他需要报告的事项")
    sign = flat.find(flatten(data["name"]), six)
    if not 0 <= six < sign < at:
        fail("the checks are not after section 六 and the signature")
    block = flat[at:]
    n = {s: sum(c["state"] == s for c in checks) for s in STATES}
    summary = "共%d项：成立%d项，不成立%d项，未检查%d项。" % (
        len(checks), n["holds"], n["failed"], n["not_checked"])
    if summary not in block:
        fail("no summary %r in the checks" % summary)
    marks = [re.sub(r"\s+", "", m) for m in STATES.values()]
    for c in checks:
        # The state's mark and word, the Chinese name (not known here), then
        # (id：where): the last mark before (id：where) must be its state's.
        tail = flatten("（%s：%s）" % (c["id"], c["where"]))
        end = block.find(tail)
        start = max((block.rfind(m, 0, end), m) for m in marks) if end >= 0 else (-1, None)
        if start[1] != re.sub(r"\s+", "", STATES[c["state"]]):
            fail("check %s (%s) is not printed as %s …（%s：%s）" % (
                c["id"], c["state"], STATES[c["state"]], c["id"], c["where"]))
    print("%d checks printed after the signature (%s)" % (
        len(checks), ", ".join("%s %d" % (STATES[s], n[s]) for s in STATES)))


def main():
    modes = {"docx": check_docx, "text": check_text, "checks": check_checks}
    if len(sys.argv) != 4 or sys.argv[1] not in modes:
        fail("usage: check_report_doc.py docx|text|checks FILE JSON")
    with open(sys.argv[3], encoding="utf-8") as f:
        data = json.load(f)
    modes[sys.argv[1]](sys.argv[2], data)


if __name__ == "__main__":
    main()
