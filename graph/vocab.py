"""The ``fk:`` namespace: every term the ontology defines, and nothing else.

``FK.Plan``, ``FK.lineStart`` or ``FK["target-group/children"]`` give the term's IRI; a term that
``ontology/fukushi.ttl`` and ``ontology/vocabularies.ttl`` do not define raises ``AttributeError``
(``_fail``), so a misspelt term fails where the code builds it instead of putting an IRI nobody
defined into the data. ``tests/graph/test_vocab.py`` checks that this list and the ontology's
agree both ways: a term added to the ontology must be added here, and the other way round.

:func:`concept` is the lookup for a code-list concept whose slug comes from the data (a grade as
printed, a target group of the classifier): a slug the code list lacks is a ``ValueError`` naming
the list. :func:`iri` is the same term as a plain ``str``, for code that compares IRIs as strings
(SPARQL JSON results): an rdflib ``URIRef`` never equals a ``str``, even with the same characters.
"""

from __future__ import annotations

from rdflib import URIRef
from rdflib.namespace import DefinedNamespace, Namespace

NS = "https://w3id.org/fukushi-kg/def/"
"""The ontology's IRI and the namespace of its terms (whatever base the data's own IRIs are minted under)."""

#: The code lists: the namespace of each list's concepts, e.g. ``target-group/`` + ``children``.
CODE_LISTS = (
    "activity-unit",
    "actor",
    "flag",
    "grade",
    "initiative-level",
    "observation-kind",
    "observation-status",
    "qualifier",
    "target-group",
    "topic",
    "unit",
)


class FK(DefinedNamespace):
    """The terms of ``https://w3id.org/fukushi-kg/def/``; anything else raises ``AttributeError``."""

    _NS = Namespace(NS)
    _fail = True

    # classes
    AppendedTable: URIRef
    Article: URIRef
    BasicPolicy: URIRef
    CityInitiative: URIRef
    Goal: URIRef
    Indicator: URIRef
    Initiative: URIRef
    JointReportingUnit: URIRef
    Listing: URIRef
    Measure: URIRef
    MetricTable: URIRef
    Municipality: URIRef
    Paragraph: URIRef
    Plan: URIRef
    PlanComponent: URIRef
    PolicyArea: URIRef
    Program: URIRef
    ProgramMatch: URIRef
    ProgramResult: URIRef
    Relisting: URIRef
    SourceDocument: URIRef
    SourceSpan: URIRef
    StatedDate: URIRef
    StatedFigure: URIRef
    TargetGroupClassification: URIRef
    Theme: URIRef
    Viewpoint: URIRef

    # object properties
    act: URIRef
    actionsSpan: URIRef
    activityUnit: URIRef
    amountSpan: URIRef
    amountUnit: URIRef
    citation: URIRef
    citedLaw: URIRef
    city: URIRef
    classifiedInitiative: URIRef
    classifiedListing: URIRef
    classifiedResult: URIRef
    comparisonValue: URIRef
    descriptionSpan: URIRef
    divisionSpan: URIRef
    document: URIRef
    evaluationReasonSpan: URIRef
    evaluationSpan: URIRef
    evidenceComponent: URIRef
    evidenceSpan: URIRef
    flag: URIRef
    futureDirectionSpan: URIRef
    hasListing: URIRef
    hasMetricTable: URIRef
    hasResult: URIRef
    indicatorOf: URIRef
    initiativeLevel: URIRef
    inPlan: URIRef
    isRelistingOf: URIRef
    latestActual: URIRef
    leadActor: URIRef
    legalBasis: URIRef
    listedInPlan: URIRef
    listedUnder: URIRef
    listingOf: URIRef
    marksSpan: URIRef
    matchedListing: URIRef
    matchedProgram: URIRef
    memberDivision: URIRef
    nameSpan: URIRef
    observationKind: URIRef
    observationStatus: URIRef
    outcomesSpan: URIRef
    parentComponent: URIRef
    parentPlan: URIRef
    partnerActor: URIRef
    partOfProgram: URIRef
    prefecture: URIRef
    qualifier: URIRef
    relistedWith: URIRef
    reportingUnit: URIRef
    reportsOn: URIRef
    responsibleDivision: URIRef
    resultOf: URIRef
    sameFamilyAs: URIRef
    sdgGoal: URIRef
    selfEvaluation: URIRef
    servesTargetGroup: URIRef
    servesTargetGroupStrictly: URIRef
    sourceText: URIRef
    span: URIRef
    statedDate: URIRef
    statedFigure: URIRef
    statedIn: URIRef
    subAmount: URIRef
    targetGroup: URIRef
    theme: URIRef
    topic: URIRef
    unitSpan: URIRef

    # datatype properties
    actionsTaken: URIRef
    amount: URIRef
    amountAsPrinted: URIRef
    amountYen: URIRef
    articleNumber: URIRef
    attributionNote: URIRef
    calendarYears: URIRef
    changeFromBaseline: URIRef
    comparedName: URIRef
    componentCode: URIRef
    dataSource: URIRef
    dateMentioned: URIRef
    datePrecision: URIRef
    dateRole: URIRef
    description: URIRef
    designatedCity: URIRef
    divisionAsPrinted: URIRef
    divisionList: URIRef
    divisionOrder: URIRef
    documentKind: URIRef
    egovLawId: URIRef
    evaluationReason: URIRef
    evidenceKind: URIRef
    evidenceLine: URIRef
    fiscalYear: URIRef
    flagList: URIRef
    futureDirection: URIRef
    heading: URIRef
    lawNumber: URIRef
    leadActorList: URIRef
    lineEnd: URIRef
    lineStart: URIRef
    localGovernmentCode: URIRef
    marksAsPrinted: URIRef
    matchedText: URIRef
    matchRule: URIRef
    metricItem: URIRef
    multiplier: URIRef
    nameAsPrinted: URIRef
    nameLine: URIRef
    order: URIRef
    outcomes: URIRef
    paragraphNumber: URIRef
    partnerActorList: URIRef
    periodEnd: URIRef
    periodNote: URIRef
    periodStart: URIRef
    placeInPlan: URIRef
    placeList: URIRef
    planCount: URIRef
    planLabel: URIRef
    planList: URIRef
    planOrder: URIRef
    principle: URIRef
    printedRelistingCode: URIRef
    quotedText: URIRef
    readingNote: URIRef
    refYear: URIRef
    relistingPlace: URIRef
    reportYear: URIRef
    retrievalNote: URIRef
    rowNumber: URIRef
    searchLabel: URIRef
    series: URIRef
    seriesKey: URIRef
    startDate: URIRef
    startDateAsPrinted: URIRef
    startDatePrecision: URIRef
    statedTarget: URIRef
    textFile: URIRef
    uncertain: URIRef
    unit: URIRef
    usedAsBaseline: URIRef
    value: URIRef
    valueAsPrinted: URIRef
    yearColumn: URIRef

    # the code lists (skos:ConceptScheme) and the indicators' qb:DataStructureDefinition
    activityUnits: URIRef
    actorTypes: URIRef
    flags: URIRef
    grades: URIRef
    indicatorSeriesStructure: URIRef
    indicatorStructure: URIRef
    initiativeLevels: URIRef
    metricTableStructure: URIRef
    observationKinds: URIRef
    observationStatuses: URIRef
    qualifiers: URIRef
    sdgGoals: URIRef
    targetGroups: URIRef
    topics: URIRef
    units: URIRef

    # the concepts of the code lists: not Python names, so FK["grade/A"], never FK.x
    _extras = [
        "activity-unit/daily-life-area",
        "activity-unit/elementary-school-district",
        "activity-unit/neighbourhood",
        "activity-unit/ward",
        "activity-unit/whole-city",
        "actor/city",
        "actor/city-cswc",
        "actor/community-groups",
        "actor/district-cswc",
        "actor/residents",
        "actor/welfare-commissioners",
        "flag/expanded",
        "flag/new",
        "flag/relisted",
        "flag/special",
        "grade/A",
        "grade/B",
        "grade/C",
        "grade/D",
        "initiative-level/heading",
        "initiative-level/item",
        "observation-kind/actual",
        "observation-kind/baseline",
        "observation-kind/interim-target",
        "observation-kind/target",
        "observation-status/measured",
        "observation-status/non-numeric",
        "observation-status/not-measured",
        "observation-status/planned",
        "observation-status/provisional",
        "qualifier/approximately",
        "qualifier/assistance-only",
        "qualifier/at-least",
        "qualifier/relisted",
        "target-group/child-rearing-families",
        "target-group/children",
        "target-group/children-in-social-care",
        "target-group/elderly",
        "target-group/foreign-residents",
        "target-group/infants",
        "target-group/people-in-hardship",
        "target-group/persons-at-risk-of-abuse",
        "target-group/persons-needing-decision-support",
        "target-group/persons-needing-evacuation-support",
        "target-group/persons-with-disabilities",
        "target-group/pregnant-and-postpartum",
        "target-group/single-parent-household",
        "target-group/women-in-difficulty",
        "target-group/youth",
        "topic/abuse-prevention",
        "topic/child-poverty",
        "topic/child-rearing-information",
        "topic/childcare-places",
        "topic/consultation",
        "topic/digital-transformation",
        "topic/foster-care",
        "topic/medical-care-children",
        "topic/places-for-children",
        "topic/pregnancy-and-childbirth",
        "unit/thousand-yen",
        "unit/yen",
    ]


def iri(name: str) -> str:
    """``fk:name`` as a plain string; ``AttributeError`` when the ontology does not define it."""
    return str(FK[name])


def concept(scheme: str, slug: str) -> URIRef:
    """The concept ``slug`` of the code list ``scheme`` (one of ``CODE_LISTS``); ``ValueError`` when it lacks it."""
    name = f"{code_list(scheme)[len(NS) :]}{slug}"
    if name not in FK:
        raise ValueError(f"{slug!r} is not in the {scheme} code list of ontology/vocabularies.ttl")
    return FK[name]


def code_list(scheme: str) -> str:
    """The namespace of a code list's concepts, e.g. ``https://w3id.org/fukushi-kg/def/target-group/``."""
    if scheme not in CODE_LISTS:
        raise ValueError(f"{scheme!r} is not a code list of ontology/vocabularies.ttl ({', '.join(CODE_LISTS)})")
    return f"{NS}{scheme}/"
