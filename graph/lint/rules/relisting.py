"""REL001–REL003: re-listed programs (（再X） markers, fk:relistedWith / fk:isRelistingOf)."""

from __future__ import annotations

from collections import defaultdict

from fukushi_kg.graph.identity import name_key
from fukushi_kg.graph.lint.model import Finding, RuleOutput, label_of
from fukushi_kg.graph.lint.rules import query

CODES = ("REL001", "REL002", "REL003")


def _name(label: str) -> str:
    return f"「{label}」" if label else ""


def check(ctx, codes: set[str]) -> RuleOutput:
    out = RuleOutput()
    if "REL001" in codes:
        for row in ctx.select(query("REL001")):
            this, label, kind = row["this"].node, label_of(row), row["kind"].value
            if kind == "marker":
                code = row["code"].value
                en = (
                    f"Listing {_name(label)} is printed as re-listed at {code}, but no listing at {code} pairs with it."
                )
                ja = f"掲載{_name(label)}は（再{code}）と印刷されているが、{code} に対応する掲載がない。"
            elif kind == "no-original":
                en = f"Re-listing {_name(label)} (再掲のため省略) does not say which listing it repeats (no fk:isRelistingOf)."
                ja = f"再掲{_name(label)}の再掲元（fk:isRelistingOf）がない。"
            else:
                other = row["other"].node
                en = f"Listing {_name(label)} is re-listed with <{other}>, which is not a listing in the graph."
                ja = f"掲載{_name(label)}の再掲の相手 <{other}> がグラフ中の掲載ではない。"
            out.findings.append(Finding("REL001", this, en, ja))
    if "REL002" in codes:
        pairs: dict[tuple[str, str], dict] = {}
        for row in ctx.select(query("REL002")):
            key = (row["a"].node, row["b"].node)
            p = pairs.setdefault(key, {"a": set(), "b": set(), "copy_a": row["aIsCopy"].value == "true"})
            p["a"].add(row["labelA"].value)
            p["b"].add(row["labelB"].value)
        for (a, b), p in sorted(pairs.items()):
            if {name_key(x) for x in p["a"]} & {name_key(x) for x in p["b"]}:
                continue
            focus, other = (a, b) if p["copy_a"] else (b, a)
            mine, theirs = (p["a"], p["b"]) if focus == a else (p["b"], p["a"])
            m, t = "／".join(sorted(mine)), "／".join(sorted(theirs))
            out.findings.append(
                Finding(
                    "REL002",
                    focus,
                    f"Re-listed copies of one program have different names: 「{m}」 here, 「{t}」 at <{other}>.",
                    f"再掲された同じ事業の名称が異なる: ここでは「{m}」、<{other}> では「{t}」。",
                )
            )
    if "REL003" in codes:
        pairs3: dict[tuple[str, str], dict] = defaultdict(lambda: {"a": set(), "b": set(), "copy_a": False})
        for row in ctx.select(query("REL003")):
            p = pairs3[(row["a"].node, row["b"].node)]
            p[row["side"].value].add(row["division"].node)
            p["copy_a"] = row["aIsCopy"].value == "true"
        for (a, b), p in sorted(pairs3.items()):
            if not p["a"] or not p["b"] or p["a"] == p["b"]:
                continue
            focus, other = (a, b) if p["copy_a"] else (b, a)
            mine, theirs = (p["a"], p["b"]) if focus == a else (p["b"], p["a"])
            m = ", ".join(f"<{d}>" for d in sorted(mine))
            t = ", ".join(f"<{d}>" for d in sorted(theirs))
            out.findings.append(
                Finding(
                    "REL003",
                    focus,
                    f"Re-listed copies of one program name different responsible divisions: {m} here, {t} at <{other}>.",
                    f"再掲された同じ事業の所管課が異なる: ここでは {m}、<{other}> では {t}。",
                )
            )
    return out
