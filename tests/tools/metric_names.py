#!/usr/bin/env python3
"""Print the metric names used by Prometheus rule files (.yml) and Grafana
dashboards (.json), one per line, sorted: every PromQL expression's
identifiers that are not functions, keywords, label names or variables."""
import json
import re
import sys

import yaml

KEYWORDS = {"and", "or", "unless", "by", "without", "on", "ignoring", "group_left",
            "group_right", "bool", "offset", "inf", "nan"}
# by (...), on (...) and friends list label names, not metrics.
LABEL_LISTS = re.compile(r"\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)")


def names(expr):
    # Grafana's label_values(METRIC, LABEL): only METRIC is a metric.
    expr = re.sub(r"label_values\(([^,()]*),[^)]*\)", r" \1 ", expr)
    expr = re.sub(r'"(?:[^"\\]|\\.)*"', '""', expr)   # strings
    expr = re.sub(r"\$\{?\w+\}?", " ", expr)          # Grafana variables
    expr = re.sub(r"\{[^}]*\}", " ", expr)            # label matchers
    expr = re.sub(r"\[[^\]]*\]", " ", expr)           # ranges
    expr = LABEL_LISTS.sub(" ", expr)
    for m in re.finditer(r"(?<![\w.])([a-zA-Z_:][\w:]*)(\s*\()?", expr):
        word, call = m.group(1), m.group(2)
        if call or word.lower() in KEYWORDS:
            continue
        yield word


def dashboard_exprs(node):
    if isinstance(node, dict):
        for k, v in node.items():
            if k in ("expr", "definition") and isinstance(v, str):
                yield v
            else:
                yield from dashboard_exprs(v)
    elif isinstance(node, list):
        for v in node:
            yield from dashboard_exprs(v)


def rule_exprs(doc):
    for group in doc.get("groups", []):
        for rule in group.get("rules", []):
            yield rule["expr"]


def main():
    found = set()
    for path in sys.argv[1:]:
        with open(path, encoding="utf-8") as f:
            exprs = (dashboard_exprs(json.load(f)) if path.endswith(".json")
                     else rule_exprs(yaml.safe_load(f)))
            for e in exprs:
                found.update(names(e))
    print("\n".join(sorted(found)))


main()
