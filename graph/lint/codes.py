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


#: The codes of the plan tables' own checks (``fukushi-kg lint data/plans/X/``, graph/lint/tables/):
#: they run on CSV folders and workbooks before the graph is built, beside every code of TABLE.
PLAN_TABLE_CODES: tuple[Code, ...] = (
    _c(
        "TAB001",
        "unreadable-table",
        "violation",
        "A table file cannot be read as UTF-8 CSV (encoding, byte-order mark, empty file, broken quoting).",
        "表のファイルを UTF-8 の CSV として読めない（文字コード、BOM、空のファイル、引用符の崩れ）。",
        """
What it does: reads every CSV of a plan folder as bytes and reports a file that is not UTF-8
(with the line and column of the first bad byte, and whether it reads as Shift_JIS), one that
starts with a byte-order mark, one that is empty (not even a header row) and quoting the CSV
reader cannot follow.
Why is this bad? The format is plain UTF-8 CSV so that every tool and every diff reads it the same
way; Excel's "CSV UTF-8" adds a BOM and its plain "CSV" writes Shift_JIS.
Example: listings.csv saved from Excel as CSV (Shift_JIS): line 2, column 40.""",
    ),
    _c(
        "TAB002",
        "bad-header",
        "violation",
        "A table's header row lacks a required column, names an unknown column or names one twice.",
        "表の見出し行に必須の列がない、未知の列がある、または同じ列が二度ある。",
        """
What it does: compares each header row with the format (docs/format.md): optional columns may be
left out and columns may come in any order, but required ones must be there, each once, and no
other.
Why is this bad? A column the format does not know is silently lost; a missing required column
leaves every row without a value the graph needs.
Example: listings.csv with a column "division" (the format's column is "divisions").""",
    ),
    _c(
        "TAB003",
        "missing-or-stray-table",
        "violation",
        "A plan folder lacks a table of the format, or holds a CSV that is not one.",
        "計画のフォルダに形式の表が欠けている、または形式にない CSV がある。",
        """
What it does: lists the CSV files of the folder against the tables of datapackage.json's format
version (and the sheets of a workbook against them).
Why is this bad? A missing table reads as "no rows" and a stray one is never read: both hide data.
Example: observation.csv beside the format's observations.csv.""",
    ),
    _c(
        "TAB010",
        "wrong-type",
        "violation",
        "A cell is not of its column's type (integer, number, boolean, list).",
        "セルの値が列の型（整数、数値、真偽値、リスト）に合わない。",
        """
What it does: validates every cell with Frictionless against the format's Table Schema.
Why is this bad? The build reads typed values; a year "R5" or an amount "約100" cannot become one.
Example: observations.csv year "2023年度" (write 2023).""",
    ),
    _c(
        "TAB011",
        "required-cell-missing",
        "violation",
        "A required cell is empty.",
        "必須のセルが空。",
        """
What it does: reports empty cells in the columns the format marks required (Frictionless).
Why is this bad? Every listing needs its name and lines, every observation its kind and value.
Example: a listings.csv row without name.""",
    ),
    _c(
        "TAB012",
        "value-not-allowed",
        "violation",
        "A cell holds a value its column does not allow (grades A–D, ◎/○, kinds, statuses, the folder's document).",
        "セルの値が列の許す値（評価 A〜D、◎/○、種別、状態、フォルダの文書ID）にない。",
        """
What it does: checks the enumerations of the Table Schema (Frictionless).
Why is this bad? The graph maps these values to code lists; another value has no meaning there.
Example: listings.csv self_evaluation "E"; listing_actors.csv role "●".""",
    ),
    _c(
        "TAB013",
        "value-out-of-range",
        "violation",
        "A cell does not match its column's pattern or range (codes, dates, line numbers).",
        "セルの値が列のパターンまたは範囲（番号、日付、行番号）に合わない。",
        """
What it does: checks the pattern, minimum and maximum constraints of the Table Schema (Frictionless).
Why is this bad? Codes and dates are read by position; a line number below 1 points nowhere.
Example: plans.csv adopted "2019/1" (write 2019-01).""",
    ),
    _c(
        "TAB014",
        "duplicate-key",
        "violation",
        "Two rows of a table have the same key.",
        "表の二つの行が同じキーを持つ。",
        """
What it does: checks the primary key of every table (Frictionless), e.g. plan, component and seq
of listings.csv.
Why is this bad? Keys name the graph's resources: two rows with one key make one resource with
two names, two places, two grades.
Example: two rows of listings.csv for component 1.1.1 with seq 3.""",
    ),
    _c(
        "TAB015",
        "row-shape",
        "violation",
        "A row has more or fewer cells than the header row, or is blank.",
        "行のセルの数が見出し行と違う、または空行。",
        """
What it does: compares each row's number of cells with the header row (Frictionless).
Why is this bad? A cell too many or too few shifts the values into the wrong columns.
Example: a name with an unquoted comma splits into two cells.""",
    ),
    _c(
        "TAB016",
        "date-as-text",
        "violation",
        "A date or year is written in another notation (2019/1/31, 令和5年, R5) or typed as a spreadsheet date.",
        "日付・年が別の書き方（2019/1/31、令和5年、R5）で書かれている、または表計算ソフトの日付型になっている。",
        """
What it does: looks at the cells of the year and date columns that fail their type or pattern and
says what to write instead (a western year 2023, a date 2019-01-31); in a workbook, it reports
cells Excel stored as dates.
Why is this bad? Years and dates are compared and sorted; the format writes them one way only
(ISO 8601 and western years) and keeps the printed notation in the raw / as_printed columns.
Example: plans.csv adopted "平成31年1月" (write 2019-01).""",
    ),
    _c(
        "TAB020",
        "broken-reference",
        "violation",
        "A row refers to a row that does not exist (a plan, a component, a listing, an indicator, a city).",
        "行が存在しない行（計画、構成要素、掲載、指標、都市）を参照している。",
        """
What it does: checks the foreign keys of the Table Schema (Frictionless) and that a component's
parent is a component of the same plan.
Why is this bad? A row whose parent is missing cannot be placed in the graph.
Example: listing_actors.csv naming listing 7 of component 2.1.3, which has 6 listings.""",
    ),
    _c(
        "TAB021",
        "relisting-target-missing",
        "violation",
        "A re-listing names a place where the plan lists no such program.",
        "再掲先の箇所に、その事業の掲載がない。",
        """
What it does: for every code in a listing's relisted_at cell, checks that the plan has that
component and lists a program of the same name there (names compared as graph/identity.py does).
Why is this bad? A re-listing says "this program is also at X"; if X does not list it, the marker
or the row is wrong.
Example: relisted_at 1.1.1 on a row of component 2.1.3, while 1.1.1 lists no such program.""",
    ),
    _c(
        "TAB022",
        "listing-component-missing",
        "violation",
        "A listing, indicator or component names a component the plan does not have.",
        "掲載・指標・構成要素が、計画にない構成要素を指している。",
        """
What it does: checks that the component of each row of listings.csv and indicators.csv (and the
parent of each component) is a row of components.csv of the same plan.
Why is this bad? A listing must hang under a place of the plan's tree.
Example: listings.csv component 4.2.1 in a plan whose components stop at 4.1.""",
    ),
    _c(
        "TAB023",
        "target-year-outside-period",
        "warning",
        "A target's year lies outside the plan period.",
        "目標値の年度が計画期間の外にある。",
        """
What it does: compares the year of each target and interim target of observations.csv with
period_start..period_end of its plan (plans.csv), for indicators counted in fiscal years.
Why is this bad? A plan sets targets for its own period; a year outside it is usually a typo or
a year in another era's notation converted wrongly.
Example: a target for 2052 in a plan for 2020-2024.""",
    ),
    _c(
        "TAB024",
        "unknown-division",
        "warning",
        "A responsible division is not in the reviewed registry (data/reviewed/organisations.toml).",
        "所管課が確認済みの一覧（data/reviewed/organisations.toml）にない。",
        """
What it does: looks up each division of listings.csv (divisions) and results.csv (division) in
the divisions of the plan's city in data/reviewed/organisations.toml, after width normalisation.
Why is this bad? An unknown division gets a made-up identifier: it is not joined with the same
division elsewhere, and a misprint goes unnoticed.
Example: 子ども支援課 where the registry has こども支援課.""",
    ),
    _c(
        "TAB025",
        "unknown-law",
        "violation",
        "A law is not in the reviewed registry (data/reviewed/laws.toml).",
        "法令が確認済みの一覧（data/reviewed/laws.toml）にない。",
        """
What it does: checks the law column of law_citations.csv and plan_legal_basis.csv against the
keys of data/reviewed/laws.toml.
Why is this bad? A law citation links to the law's ELI identifier; an unknown key has none.
Example: law "social-welfare-law" where the registry key is social-welfare-act.""",
    ),
    _c(
        "TAB026",
        "bad-line-span",
        "violation",
        "A row's source lines are incomplete, reversed or past the end of the document's text.",
        "行の出典行が欠けている、逆順、または文書のテキストの最終行を越えている。",
        """
What it does: checks each pair of line columns (line_start and line_end, name_line_start and
name_line_end, …): both or neither, start before end, within the document's text; and the other
record rules of the format (a principle with its lines, a whole comparison, one start date).
Why is this bad? Every fact is traced to the lines it was read from; a wrong span sends the
reviewer to the wrong place.
Example: name_line_end 9000 in a document of 7,000 lines.""",
    ),
    _c(
        "TAB030",
        "identity-conflict",
        "violation",
        "Documents disagree on an identity: a plan key defined in two folders, or a reviewed program match naming no listing.",
        "文書間で同一性が食い違う（二つのフォルダで同じ計画キー、どの掲載にも当たらない確認済みの事業対応）。",
        """
What it does: across the folders linted together, finds plan keys defined by more than one
document (they would mint one IRI for two plans) and, when every plan folder is linted, checks
the reviewed cross-document program identities (data/reviewed/program-matches.toml) against the
listings' names.
Why is this bad? Identities join documents; a key used twice merges two plans, and a reviewed
match that names no listing no longer links anything (the build refuses it).
Example: a listing renamed in one plan while program-matches.toml still pairs its old name.""",
    ),
    _c(
        "TAB040",
        "spreadsheet-formula",
        "violation",
        "A workbook cell holds a formula instead of a value.",
        "ブックのセルに値ではなく数式がある。",
        """
What it does: reads the workbook with formulas kept and reports every cell that has one.
Why is this bad? The tables hold what the document prints; a formula's value depends on the
program that computes it and is lost in the CSV.
Example: =SUM(C2:C5) in an amount cell.""",
    ),
    _c(
        "TAB041",
        "merged-cells",
        "violation",
        "A workbook sheet has merged cells.",
        "ブックのシートに結合セルがある。",
        """
What it does: lists the merged ranges of every sheet.
Why is this bad? A merged range keeps its value in the first cell only: the other rows read as
empty, so one division typed across five rows gives four rows without one.
Example: divisions merged over E5:E9.""",
    ),
)

BY_CODE: dict[str, Code] = {c.code: c for c in (*TABLE, *PLAN_TABLE_CODES)}


def severity_rank(severity: str) -> int:
    return SEVERITIES.index(severity)


class SelectionError(ValueError):
    """A --select / --ignore entry that names no code."""


def _matches(selector: str, code: Code) -> bool:
    selector = selector.strip().upper()
    return selector == "ALL" or code.code.startswith(selector)


def select_codes(select: list[str] | None, ignore: list[str] | None, table: tuple[Code, ...] = TABLE) -> list[Code]:
    """The codes of ``table`` chosen by prefix selectors (default: all), minus the ignored ones, in
    table order (``table``: the graph's codes, or those and PLAN_TABLE_CODES for plan tables)."""
    for selector in list(select or []) + list(ignore or []):
        if not any(_matches(selector, c) for c in table):
            raise SelectionError(
                f"{selector!r} selects no rule; codes are e.g. REL001, prefixes e.g. REL (see --list-rules)"
            )
    chosen = [c for c in table if not c.retired and (not select or any(_matches(s, c) for s in select))]
    return [c for c in chosen if not any(_matches(s, c) for s in (ignore or []))]
