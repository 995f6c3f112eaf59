"""The one table of lint codes: code, name, default severity, summary, documentation.

A code is a family prefix plus three digits (``REL001``) and a kebab-case name
(``relisting-partner-missing``). Codes are never renumbered: a retired code stays in the table
with ``retired=True`` so that old ``--ignore`` lists and reports keep their meaning.
Selection is by prefix, as in ruff: ``REL`` selects every REL code, ``REL00`` REL001–REL009.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

SEVERITIES = ("info", "warning", "violation")  # in increasing order
CODE_SHAPE = re.compile(r"^[A-Z]+[0-9]{3}$")
NAME_SHAPE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


@dataclass(frozen=True)
class Code:
    code: str
    name: str
    severity: str
    summary: str  # one line, English
    summary_ja: str
    doc: str  # fixed sections: What it does / Why is this bad? / Example
    retired: bool = False

    @property
    def family(self) -> str:
        return self.code.rstrip("0123456789")


def _c(code, name, severity, summary, summary_ja, doc) -> Code:
    return Code(code, name, severity, summary, summary_ja, doc.strip())


TABLE: tuple[Code, ...] = (
    _c(
        "SHACL001",
        "shacl-violation",
        "violation",
        "The graph does not conform to a SHACL shape (shapes/ or --shapes).",
        "グラフが SHACL シェイプ（shapes/ または --shapes）に適合しない。",
        """
What it does: validates the graph with pySHACL against every shape in shapes/ and the files given
with --shapes. SPARQL-based constraints (sh:sparql) are run once over the whole graph on the
Oxigraph store instead of once per focus node; those that a lint rule below already checks are
left to that rule. The finding's severity is the shape's sh:severity.
Why is this bad? The shapes are the contract of the graph: the build refuses data that violates them.
Example: a listing with two fk:listedUnder components; a self-evaluation grade E.""",
    ),
    _c(
        "REL001",
        "relisting-partner-missing",
        "violation",
        "A re-listing's other place is missing.",
        "再掲の相手の掲載が見つからない。",
        """
What it does: finds listings printed with a （再X） marker that pair with no listing, fk:Relisting
resources without fk:isRelistingOf, and fk:relistedWith / fk:isRelistingOf links to a resource
that is not a fk:Listing of the graph.
Why is this bad? A re-listing says "this program is also at X"; if X is not there, either the
marker or the extraction is wrong, and the program's places are incomplete.
Example: listing 2.1.3-4 printed （再1.1.1） while 1.1.1 lists no such program.""",
    ),
    _c(
        "REL002",
        "relisting-name-mismatch",
        "warning",
        "Two copies of a re-listed program disagree on its name.",
        "再掲された事業の名称が掲載箇所によって異なる。",
        """
What it does: compares the Japanese labels of listings linked by fk:relistedWith after width
normalisation and removal of （再…）／（新規） markers.
Why is this bad? Copies of one program should name it the same way; a difference means a
misprint or a wrong pairing.
Example: 「こどもの学習支援事業」 re-listed as 「こどもの学習支援経費」.""",
    ),
    _c(
        "REL003",
        "relisting-division-mismatch",
        "warning",
        "Two copies of a re-listed program name different responsible divisions.",
        "再掲された事業の所管課が掲載箇所によって異なる。",
        """
What it does: compares the fk:responsibleDivision sets of listings linked by fk:relistedWith,
where both copies print a division.
Why is this bad? One program has one set of responsible divisions; disagreeing copies leave the
reader unsure whom to ask.
Example: one copy under こども支援課, the other under 子ども政策課.""",
    ),
    _c(
        "RESP001",
        "no-responsible-party",
        "violation",
        "A listed program has no responsible division and no lead actor.",
        "掲載された事業に所管課も実施主体（◎）もない。",
        """
What it does: finds fk:Listing resources (other than fk:Relisting copies, which inherit from the
original) with neither fk:responsibleDivision nor fk:leadActor.
Why is this bad? A program nobody is responsible for cannot be asked about or evaluated.
Example: a listing whose 所管課 cell was read as empty.""",
    ),
    _c(
        "CODE001",
        "duplicate-component-code",
        "violation",
        "Two components of one plan carry the same printed code.",
        "同じ計画の二つの構成要素が同じ番号を持つ。",
        """
What it does: groups plan components by fk:inPlan and skos:notation.
Why is this bad? Codes identify places in the plan (and mint listing IRIs); a duplicate makes
"listed at 2.1.3" ambiguous.
Example: two 施策 both numbered 2.1.3.""",
    ),
    _c(
        "CODE002",
        "gapped-component-code",
        "warning",
        "The printed codes of sibling components skip a number.",
        "同じ階層の構成要素の番号が飛んでいる。",
        """
What it does: groups components by plan, class and code prefix (1.1.x, Ⅲ-x, …) and checks that
the last number runs 1, 2, 3 … without a gap.
Why is this bad? A gap usually means a component was not extracted (or the plan misnumbers).
Example: measures 1.1.1, 1.1.2, 1.1.4 (1.1.3 missing).""",
    ),
    _c(
        "IND001",
        "indicator-without-baseline",
        "warning",
        "An indicator has no baseline to measure progress from.",
        "指標に基準値がない。",
        """
What it does: finds fk:Indicator resources with no observation of kind baseline and no actual
observation from before the plan period (before the first target year where the plan has no
period), which serves as the starting point.
Why is this bad? Progress toward a target cannot be judged without a starting value.
Example: an indicator printed with a target only.""",
    ),
    _c(
        "IND002",
        "indicator-without-target",
        "warning",
        "An indicator has no target.",
        "指標に目標値がない。",
        """
What it does: finds fk:Indicator resources with no observation of kind target or interim-target.
Why is this bad? An indicator without a target measures nothing the plan commits to.
Example: an indicator with a baseline and actuals only.""",
    ),
    _c(
        "IND003",
        "target-year-outside-period",
        "violation",
        "A target year lies outside the plan's period.",
        "目標年度が計画期間の外にある。",
        """
What it does: compares the fk:refYear of target and interim-target observations with the
fk:periodStart / fk:periodEnd of the indicator's plan.
Why is this bad? A plan can only commit to targets within its own period; a year outside it is
usually an era-conversion error (令和/平成) or a misread column.
Example: target year 2035 in a plan for FY2025–2031.""",
    ),
    _c(
        "IND004",
        "mixed-units",
        "warning",
        "An indicator's observations are in different units.",
        "指標の観測値の単位が年度によって異なる。",
        """
What it does: collects fk:unit of an indicator and of its observations.
Why is this bad? Values in different units (％ and 人) cannot be compared across years.
Example: baseline in 件, target in 人.""",
    ),
    _c(
        "SDG001",
        "sdg-goal-out-of-range",
        "violation",
        "An SDG goal is not one of goals 1–17.",
        "SDGs のゴールが 1〜17 のいずれでもない。",
        """
What it does: checks that every fk:sdgGoal is one of http://metadata.un.org/sdg/1 … /17.
Why is this bad? There are exactly 17 Sustainable Development Goals; anything else is a
misreading (often a target such as 11.3 read as a goal).
Example: fk:sdgGoal <http://metadata.un.org/sdg/18>.""",
    ),
    _c(
        "QB001",
        "cube-observation-data-set",
        "violation",
        "An observation does not belong to exactly one data set (Data Cube IC-1).",
        "観測値がちょうど一つのデータセットに属していない（Data Cube IC-1）。",
        """
What it does: checks RDF Data Cube integrity constraint IC-1 (unique data set): every
qb:Observation has exactly one qb:dataSet.
Why is this bad? An observation means something only against its data set's structure; without
one, or with two, its dimensions and measure are undefined, and cube tools reject the graph.
Example: a stated figure typed qb:Observation with no qb:dataSet.""",
    ),
    _c(
        "QB002",
        "cube-data-set-structure",
        "violation",
        "A data set does not have exactly one structure (Data Cube IC-2).",
        "データセットの構造がちょうど一つでない（Data Cube IC-2）。",
        """
What it does: checks IC-2 (unique DSD): every qb:DataSet has exactly one qb:structure.
Why is this bad? The data structure definition says which properties are dimensions, measures
and attributes; a data set without one cannot be read as a cube.
Example: a metric table typed qb:DataSet without qb:structure.""",
    ),
    _c(
        "QB004",
        "cube-dimension-without-range",
        "violation",
        "A dimension property has no rdfs:range (Data Cube IC-4).",
        "次元プロパティに rdfs:range がない（Data Cube IC-4）。",
        """
What it does: checks IC-4 (dimensions have range): every qb:DimensionProperty, and every
property named by qb:dimension in a component, has an rdfs:range.
Why is this bad? Consumers use the range to know what values a dimension takes (years, codes,
labels); the Data Cube specification requires it.
Example: fk:series a qb:DimensionProperty with no rdfs:range.""",
    ),
    _c(
        "QB005",
        "cube-dimension-without-code-list",
        "violation",
        "A skos:Concept dimension has no qb:codeList (Data Cube IC-5).",
        "値域が skos:Concept の次元に qb:codeList がない（Data Cube IC-5）。",
        """
What it does: checks IC-5 (concept dimensions have code lists): a dimension whose rdfs:range is
skos:Concept names the concept scheme of its values with qb:codeList.
Why is this bad? Without the code list a consumer cannot enumerate the dimension's values or
check that an observation uses one of them.
Example: fk:observationKind rdfs:range skos:Concept, without qb:codeList fk:observationKinds.""",
    ),
    _c(
        "QB011",
        "cube-dimension-missing",
        "violation",
        "An observation has no value for a dimension of its structure (Data Cube IC-11).",
        "観測値に構造の次元の値がない（Data Cube IC-11）。",
        """
What it does: checks IC-11 (all dimensions required): every observation has a value for every
dimension declared in its data set's structure.
Why is this bad? The dimensions identify an observation within its data set; an observation
without one of them cannot be told apart from others or placed in the cube.
Example: an indicator observation without fk:series when the structure declares fk:series.""",
    ),
    _c(
        "QB012",
        "cube-duplicate-observation",
        "violation",
        "Two observations of one data set have the same dimension values (Data Cube IC-12).",
        "同じデータセットの二つの観測値の次元の値がすべて同じ（Data Cube IC-12）。",
        """
What it does: checks IC-12 (no duplicate observations): no two observations of one data set
agree on the value of every dimension.
Why is this bad? Two figures for the same cell contradict each other, or a dimension that tells
them apart (a series, a row, a column) is missing from the structure.
Example: two metric-table rows with the same item and year column in one table.""",
    ),
    _c(
        "QB014",
        "cube-measure-missing",
        "violation",
        "An observation has no value for a measure of its structure (Data Cube IC-14).",
        "観測値に構造の測度の値がない（Data Cube IC-14）。",
        """
What it does: checks IC-14 (all measures present): in a data set whose structure has no
qb:measureType dimension, every observation has a value for every measure.
Why is this bad? An observation is a measured value; one without its measure is an empty cell
that cube tools reject (the figure as printed is the measure here, so a cell printed as －
still has one).
Example: an observation with fk:valueAsPrinted missing when the structure's measure is
fk:valueAsPrinted.""",
    ),
    _c(
        "LAW001",
        "undefined-law-article",
        "violation",
        "A law or article is referenced but not defined in the graph.",
        "参照された法令・条項がグラフに定義されていない。",
        """
What it does: finds objects of fk:legalBasis and fk:citedLaw that are not typed
eli:LegalResource in the graph (the vocabularies graph defines the laws and articles).
Why is this bad? An undefined article has no label, no e-Gov link and no law it is part of: the
legal basis cannot be followed.
Example: fk:legalBasis <…/eli/jp/act/1951/45/art_999> with no definition.""",
    ),
    _c(
        "LBL001",
        "width-variant-labels",
        "warning",
        "Labels differ only by character width (full-width / half-width).",
        "ラベルが文字の幅（全角・半角）だけ異なる。",
        """
What it does: compares rdfs:label and skos:prefLabel values (per language) of resources of the
same class, and of one resource, after NFKC and removal of spaces (graph.text.norm).
Why is this bad? 「ＮＰＯ支援」 and 「NPO支援」 are one name; two spellings split searches and
suggest one thing minted twice.
Example: divisions 「子ども・若者支援課」 and 「子ども･若者支援課」.""",
    ),
    _c(
        "AMT001",
        "negative-amount",
        "violation",
        "An amount that must be a non-negative integer is negative.",
        "0 以上の整数であるべき金額・数量が負である。",
        """
What it does: checks the values of fk:amount (and the other properties the rule lists as
non-negative integer quantities).
Why is this bad? A budget or count cannot be negative; a minus sign is a misread △ or a typo.
Example: fk:amount -1200.""",
    ),
    _c(
        "AMT002",
        "non-integer-amount",
        "violation",
        "An amount that must be a non-negative integer is not an integer.",
        "整数であるべき金額・数量が整数でない。",
        """
What it does: checks that the values of fk:amount (and the other listed properties) are
integers: numeric with no fractional part.
Why is this bad? Amounts are printed in whole yen (or 千円); a fraction or a non-number is a
misread figure.
Example: fk:amount 12.5, or fk:amount "約100".""",
    ),
    _c(
        "OWL001",
        "inconsistent",
        "violation",
        "The ontology with the data is inconsistent (HermiT).",
        "オントロジーとデータが矛盾している（HermiT）。",
        """
What it does: loads the graph with the fk: ontology into owlready2 and runs HermiT. Skipped with
a notice where no Java runtime is installed.
Why is this bad? From an inconsistent graph anything follows; usually an individual is in two
disjoint classes (a listing that is also a plan) or a functional property has two values.
Example: a resource typed both fk:Plan and fk:Program.""",
    ),
    _c(
        "OWL002",
        "unsatisfiable-class",
        "violation",
        "A class can have no instances (HermiT).",
        "インスタンスを持ち得ないクラスがある（HermiT）。",
        """
What it does: reports the classes HermiT finds equivalent to owl:Nothing.
Why is this bad? An unsatisfiable class is a modelling error in the ontology: every resource
typed with it makes the graph inconsistent.
Example: a class declared a subclass of two disjoint classes.""",
    ),
    _c(
        "SRC001",
        "span-text-mismatch",
        "violation",
        "A fact's source lines do not contain the text the graph quotes.",
        "出典行に、グラフが引用するテキストが見つからない。",
        """
What it does: for every fk:SourceSpan, reads its document's text file (fk:textFile) and checks
that fk:quotedText equals those lines and that the text attached to the span (a listing's
label or name as printed, a division as printed, matched words, a value as printed) occurs in
them, after width normalisation (graph.text.norm).
Why is this bad? Every fact is traced to the lines it was read from; a span that points at the
wrong lines sends a reviewer to the wrong place and hides extraction errors.
Example: a listing labelled 「こども食堂関連団体支援」 whose name span is line 412, which reads
something else.""",
    ),
)

BY_CODE: dict[str, Code] = {c.code: c for c in TABLE}


def severity_rank(severity: str) -> int:
    return SEVERITIES.index(severity)


class SelectionError(ValueError):
    """A --select / --ignore entry that names no code."""


def _matches(selector: str, code: Code) -> bool:
    selector = selector.strip().upper()
    return selector == "ALL" or code.code.startswith(selector)


def select_codes(select: list[str] | None, ignore: list[str] | None) -> list[Code]:
    """The codes chosen by prefix selectors (default: all), minus the ignored ones, table order."""
    for selector in list(select or []) + list(ignore or []):
        if not any(_matches(selector, c) for c in TABLE):
            raise SelectionError(
                f"{selector!r} selects no rule; codes are e.g. REL001, prefixes e.g. REL (see --list-rules)"
            )
    chosen = [c for c in TABLE if not c.retired and (not select or any(_matches(s, c) for s in select))]
    return [c for c in chosen if not any(_matches(s, c) for s in (ignore or []))]
