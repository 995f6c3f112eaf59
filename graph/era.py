"""Japanese era years -> western years, in one place.

Fiscal years (年度) start in April and are named after the calendar year they start in, so an
era year converts the same way whether it names a calendar year or a fiscal year; callers keep
track of which one they hold. 平成31年 and 令和元年 are both 2019 (the era changed on 1 May 2019).
"""

from __future__ import annotations

import re
import unicodedata

ERAS = {"明治": 1867, "大正": 1911, "昭和": 1925, "平成": 1988, "令和": 2018}
LETTERS = {"M": "明治", "T": "大正", "S": "昭和", "H": "平成", "R": "令和"}
LAST_YEAR = {"明治": 45, "大正": 15, "昭和": 64, "平成": 31}

_PATTERN = re.compile(r"(明治|大正|昭和|平成|令和|[MTSHR])\s*(元|\d+)\s*(年度|年)?")


def western_year(era: str, year: int | str) -> int:
    """``western_year('令和', 5) == 2023``; ``'元'`` is year 1; letters H/R are accepted."""
    era = LETTERS.get(era.upper(), era) if len(era) == 1 else era
    if era not in ERAS:
        raise ValueError(f"unknown era {era!r}")
    n = 1 if year == "元" else int(year)
    if n < 1 or n > LAST_YEAR.get(era, 99):
        raise ValueError(f"{era}{n}年 does not exist")
    return ERAS[era] + n


def parse_era_year(text: str) -> int | None:
    """The western year of the first era year in ``text`` (NFKC applied), e.g. 'Ｒ５' -> 2023."""
    m = _PATTERN.search(unicodedata.normalize("NFKC", text))
    if not m:
        return None
    return western_year(m.group(1), m.group(2))
