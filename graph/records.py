"""Extracted records: what an extractor reads out of one source document.

Records are plain dataclasses and know nothing of RDF. Every fact keeps the
source line span it was read from (1-based, inclusive, blank lines counted),
so that the RDF layer can attach provenance and the linter can check it.

Text fields keep the source text as printed (after joining wrapped lines);
comparisons elsewhere normalise with :func:`graph.text.norm`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal


@dataclass(frozen=True, order=True)
class Span:
    """Lines ``start``..``end`` (1-based, inclusive) of the document ``doc``."""

    doc: str
    start: int
    end: int

    def __post_init__(self) -> None:
        if self.start < 1 or self.end < self.start:
            raise ValueError(f"bad span {self.doc}:{self.start}-{self.end}")


@dataclass
class LawRef:
    """A citation of a law (optionally one article / paragraph) at a place in a document."""

    law: str  # key into data/reviewed/laws.toml, e.g. "social-welfare-act"
    article: str | None = None  # "107", "11-2" (article 11 paragraph 2), "annex" (別表)
    text: str = ""  # as printed, e.g. "社会福祉法第１０７条"
    span: Span | None = None
    role: str = "cited"  # "legal-basis" | "cited"


@dataclass
class Plan:
    key: str  # IRI slug, e.g. "kumamoto-child-future-action-plan"
    doc: str  # document id (manifest)
    title: str  # ja, as printed
    title_en: str
    city: str  # ja, e.g. "熊本市"
    span: Span
    period_start: int | None = None  # first fiscal year (western)
    period_end: int | None = None
    period_span: Span | None = None
    period_note: str = ""  # e.g. why the period is uncertain
    adopted: str | None = None  # xsd:gYearMonth "2019-01" or xsd:date
    publishers: list[str] = field(default_factory=list)  # ja names of authoring bodies
    legal_basis: list[LawRef] = field(default_factory=list)
    parent_plans: list[tuple[str, Span]] = field(default_factory=list)  # (title ja, span)
    sdg_goals: list[tuple[int, Span]] = field(default_factory=list)
    principle: tuple[str, Span] | None = None  # 基本理念


@dataclass
class Component:
    """A node of a plan's hierarchy (基本目標, 基本施策, 施策, 基本方針, 取組の視点, 取組)."""

    plan: str  # Plan.key
    level: str  # "goal" | "policy" | "measure" | "basic-policy" | "viewpoint" | "initiative"
    code: str  # printed code normalised: "1", "1.1", "1.1.1", "Ⅲ", "Ⅲ-1", "10"
    title: str  # as printed, without the code prefix
    heading: str  # the whole heading line as printed
    span: Span
    parent: str | None = None  # code of the parent component
    target: str | None = None  # 取組の主な対象 (welfare plan, per 基本方針)
    target_span: Span | None = None
    actions: str | None = None  # what was done in the reported year (令和３年度の取組状況), paragraphs joined by "\n"
    actions_spans: list[Span] = field(default_factory=list)  # several where a table interrupts the text
    plans_ahead: str | None = None  # 今後の課題・方向性
    plans_ahead_spans: list[Span] = field(default_factory=list)


@dataclass
class MetricRow:
    item: str
    values: dict[str, str]  # column label ("R3", "R4", "R5", or "?1" when ambiguous) -> value as printed
    span: Span


@dataclass
class MetricTable:
    title: str  # without the leading 〇/○
    span: Span
    columns: list[str] = field(default_factory=list)  # e.g. ["R3", "R4", "R5"]
    rows: list[MetricRow] = field(default_factory=list)
    note: str = ""


@dataclass
class Listing:
    """One place where a plan lists a program (事業)."""

    plan: str  # Plan.key
    component: str  # code of the component the listing sits under
    seq: int  # 1-based position within that component
    name: str  # clean name: wraps joined, 再/新規 markers stripped, letter-spacing removed
    name_as_printed: str  # wraps joined with "" , markers kept
    name_span: Span
    span: Span  # the whole entry (as far as it can be bounded)
    names: list[str] = field(default_factory=list)  # several titles in one cell (welfare plan)
    divisions: list[str] = field(default_factory=list)  # atomic 所管課 names, as printed
    division_as_printed: str | None = None  # "こども家庭福祉課、各区保健こども課"
    division_span: Span | None = None
    self_evaluation: str | None = None  # "A".."D" or None (blank)
    self_evaluation_span: Span | None = None
    relisted_at: list[str] = field(default_factory=list)  # component codes from （再X.X.X）
    relisting_role: str | None = None  # "primary" | "relisting" | None
    flags: list[str] = field(default_factory=list)  # "新規", "特", ...
    description: str | None = None  # 事業概要
    description_span: Span | None = None
    actions: str | None = None  # 令和5年度に講じた取組内容
    actions_span: Span | None = None
    plans_ahead: str | None = None  # 今後の取組み方針等
    plans_ahead_span: Span | None = None
    evaluation_reason: str | None = None  # 自己評価の理由
    evaluation_reason_span: Span | None = None
    metrics: list[MetricTable] = field(default_factory=list)
    lead: list[str] = field(default_factory=list)  # actor keys (◎), welfare plan
    partners: list[str] = field(default_factory=list)  # actor keys (○/〇)
    marks_as_printed: str | None = None
    marks_span: Span | None = None
    unit: str | None = None  # 主な活動の単位 as printed, wraps joined
    unit_span: Span | None = None
    uncertain: bool = False
    notes: list[str] = field(default_factory=list)  # why something is uncertain / corrected


@dataclass
class Comparison:
    """A value printed beside an observation that it is measured against, e.g. the national
    average (全国（小） 81.2%) that a gap (▲3.8％) is taken from."""

    label: str  # the row label as printed, "全国（小）"
    value: float | None
    raw: str  # as printed
    unit: str | None
    span: Span


@dataclass
class Observation:
    year: int  # western fiscal (or calendar, see Indicator.calendar_years) year
    kind: str  # "baseline" | "actual" | "interim-target" | "target"
    value: (
        float | None
    )  # a level in the indicator's unit; None when not measured (－), not numeric, or printed as a change
    raw: str  # as printed
    span: Span
    status: str = "measured"  # "measured" | "not-measured" | "provisional" | "non-numeric" | "planned" (a target)
    series: str | None = None  # the series (as printed) where one indicator has several; else Indicator.series
    series_key: str | None = None  # ASCII slug of that series, for the observation's IRI
    change: float | None = None  # printed as a change from the baseline of the same series (▲3.8％ = -3.8), not a level
    comparison: Comparison | None = None
    uncertain: bool = False
    notes: list[str] = field(default_factory=list)


@dataclass
class Indicator:
    plan: str
    key: str  # slug unique within the plan, e.g. "plan-1", "goal-3", "I-2"
    name: str
    span: Span  # the name lines
    unit: str | None = None  # "%", "箇所", "人", "件"
    component: str | None = None  # code, None for plan-level indicators
    series: str | None = None  # e.g. "小学生"
    source: str | None = None  # survey the figures are quoted from
    calendar_years: bool = False
    observations: list[Observation] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass
class SubAmount:
    """One of several amounts a results table prints for one program (e.g. 【私立】 / 【公立】)."""

    label: str
    amount: int | None  # thousand yen; None where printed as ー
    raw: str
    span: Span


@dataclass
class ProgramResult:
    """One program of a results report (seed 001): what a division spent on it in a fiscal year."""

    doc: str
    seq: int  # 1-based order in the document
    division: str  # 所属名 as printed
    division_span: Span
    name: str  # clean: wraps joined, flags stripped
    name_as_printed: str
    name_span: Span  # first..last line of the name fragments
    span: Span
    fiscal_year: int  # western fiscal year (令和5年度 -> 2023)
    amount: int | None  # in `unit`; the sum of sub_amounts where several are printed; None for ー
    amount_raw: str  # as printed ("18,954", "ー", "（再掲）61,518")
    amount_span: Span | None = None
    unit: str = "千円"
    sub_amounts: list[SubAmount] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)  # "新規", "拡充", "再掲"
    qualifiers: list[str] = field(default_factory=list)  # "扶助費のみ", "再掲" (printed on the amount)
    description: str | None = None  # 事業内容
    description_span: Span | None = None  # first..last line of the description
    # the runs of lines the description is read from, in reading order; several where other
    # cells of the table (names, amounts, metric tables) are printed in between
    description_spans: list[Span] = field(default_factory=list)
    uncertain: bool = False
    notes: list[str] = field(default_factory=list)


@dataclass
class StatedDate:
    """A date as printed (〔H28～〕, 令和4年10月より, 令和3年度まで, 令和4年5月25日時点 …), its role and precision."""

    raw: str
    year: int  # western
    month: int | None
    precision: str  # "year" | "fiscal-year" | "month" | "day"
    span: Span
    role: str = "start"  # "start" | "end" | "event" | "as-of"
    day: int | None = None


StartDate = StatedDate  # the name used before dates other than starts were read


@dataclass
class StatedFigure:
    """A figure an initiative's text states (岡山: 47か所 in R4年8月), read from a reviewed entry."""

    item: str  # what is counted (ja), as the reviewed entry reads it
    value: Decimal
    unit: str | None  # as printed: "か所", "世帯", "千円"
    raw: str  # as printed: "47か所", "約100団体"
    span: Span
    qualifier: str | None = None  # "約" (about), "以上" (at least)
    as_of: StatedDate | None = None  # the date the figure refers to, where printed


@dataclass
class CaseCity:
    """A city of the case-study collection (seed 002) and how its pages were attributed."""

    name: str  # "札幌市"
    toc_page: int  # page number in the table of contents
    span: Span  # its own heading, or the first line attributed to it
    has_heading: bool
    evidence: str = ""  # for cities without a heading: the in-text evidence and the TOC order


@dataclass
class CaseInitiative:
    """One initiative (取組) a designated city reports (seed 002)."""

    doc: str
    city: str  # CaseCity.name
    seq: int  # 1-based order within the city
    title: str
    title_span: Span
    span: Span
    level: str = "heading"  # "heading" (titled block) | "item" (a named sub-item under a theme)
    theme: str | None = None  # the heading an item sits under
    theme_span: Span | None = None
    since: StatedDate | None = None  # when the initiative itself started
    dates_mentioned: list[StatedDate] = field(default_factory=list)  # every other date it states, with its role
    description: str | None = None  # without image captions
    description_span: Span | None = None
    results: str | None = None  # outcomes printed apart from the description (岡山's ★ lines)
    results_span: Span | None = None
    theme_description: str | None = None  # the theme's own text (subtitle, rationale), shared by its items
    theme_description_span: Span | None = None
    figures: list[StatedFigure] = field(default_factory=list)
    uncertain: bool = False
    notes: list[str] = field(default_factory=list)


@dataclass
class DocumentMeta:
    """What a document prints about itself: its title, its handout number (資料２), the fiscal year it reports on."""

    title: str | None = None
    title_span: Span | None = None
    number: str | None = None  # as printed, "資料２"
    number_span: Span | None = None
    report_year: int | None = None  # western fiscal year
    report_year_span: Span | None = None


@dataclass
class DocumentRecords:
    """Everything read from one source document."""

    doc: str
    plans: list[Plan] = field(default_factory=list)
    components: list[Component] = field(default_factory=list)
    listings: list[Listing] = field(default_factory=list)
    indicators: list[Indicator] = field(default_factory=list)
    laws: list[LawRef] = field(default_factory=list)  # other citations in the document
    results: list[ProgramResult] = field(default_factory=list)  # results reports (seed 001)
    cities: list[CaseCity] = field(default_factory=list)  # case-study collections (seed 002)
    initiatives: list[CaseInitiative] = field(default_factory=list)
    meta: DocumentMeta | None = None  # what the document prints about itself
