"""Identity rules and era conversion."""

from __future__ import annotations

import pytest

from fukushi_kg.graph import era, identity
from fukushi_kg.graph.records import Listing, Span


def _l(plan, comp, seq, name, **kw):
    s = Span("d", 1, 1)
    return Listing(plan, comp, seq, name, name, s, s, **kw)


def test_name_keys_ignore_width_spaces_and_markers():
    assert identity.name_key("スクール　カウンセラー配置事業（再２.2.1）") == identity.name_key(
        "スクールカウンセラー配置事業"
    )
    assert identity.stem_key("子育て支援ネットワーク推進経費") == identity.stem_key("子育て支援ネットワーク推進事業")
    assert identity.stem_key("母子父子寡婦福祉資金貸付金") == identity.stem_key("母子父子寡婦福祉資金貸付事業")


def test_rules_and_reviewed_table(tmp_path):
    table = tmp_path / "m.toml"
    table.write_text(
        '[[match]]\na = "学習支援事業"\nb = "こどもの学習支援事業"\nreason = "r"\n\n'
        '[[reject]]\na = "まちづくり推進経費"\nb = "まちづくり推進事業"\nreason = "different"\n',
        encoding="utf-8",
    )
    ls = [
        _l("p1", "1.1.1", 1, "こどもの学習支援事業", relisted_at=["2.1.3"]),
        _l("p1", "2.1.3", 1, "こどもの学習支援事業", relisted_at=["1.1.1"]),
        _l("p2", "10", 1, "学習支援事業"),
        _l("p1", "1.1.2", 1, "まちづくり推進経費"),
        _l("p2", "9", 1, "まちづくり推進事業"),
    ]
    progs = identity.resolve(ls, table)
    assert progs.group_of(ls[0]) == progs.group_of(ls[1]) == progs.group_of(ls[2])
    assert progs.group_of(ls[3]) != progs.group_of(ls[4])
    assert sorted(m.rule for _, m in progs.matches) == ["relisting-marker", "reviewed-table"]


def test_a_table_entry_that_matches_nothing_is_an_error(tmp_path):
    table = tmp_path / "m.toml"
    table.write_text('[[match]]\na = "存在しない事業"\nb = "学習支援事業"\n', encoding="utf-8")
    with pytest.raises(ValueError, match="存在しない事業"):
        identity.resolve([_l("p2", "10", 1, "学習支援事業")], table)


@pytest.mark.parametrize(
    "text, year",
    [
        ("平成30年度", 2018),
        ("Ｈ３０", 2018),
        ("平成31年", 2019),
        ("令和元年", 2019),
        ("R1", 2019),
        ("令和５年度", 2023),
        ("R13", 2031),
        ("昭和26年法律第45号", 1951),
        ("昭和64年", 1989),
    ],
)
def test_era_years(text, year):
    assert era.parse_era_year(text) == year


def test_impossible_era_years_are_refused():
    with pytest.raises(ValueError):
        era.western_year("平成", 32)
    with pytest.raises(ValueError):
        era.western_year("昭和", 65)
