"""The ranking rule (campaigns/board.py) against a plain statement of it:
rank = 1 + how many rankable units have a strictly higher rate."""

from fractions import Fraction

from hocvuso.campaigns.board import MIN_TARGET, Entry, standing
from hocvuso.core.collation import vietnamese_sort_key
from hypothesis import given
from hypothesis import strategies as st

NAMES = ["Xã An", "Xã Ân", "Xã Bình", "Phường Đông", "Xã Dương", "Xã Ê", "Xã Yên"]


def _oracle(entries: list[Entry], min_target: int):
    rankable = [e for e in entries if e.target and e.target >= min_target]
    rate = {e.code: Fraction(e.completed, e.target) for e in rankable}
    placed = [
        (1 + sum(1 for o in rankable if rate[o.code] > rate[e.code]), e)
        for e in rankable
    ]
    placed.sort(key=lambda p: (p[0], vietnamese_sort_key(p[1].name), p[1].code))
    small = {e.code for e in entries if e.target and e.target < min_target}
    none = {e.code for e in entries if not e.target}
    return [(rank, e.code) for rank, e in placed], small, none


entries_strategy = st.lists(
    st.builds(
        lambda i, name, completed, target: Entry(
            code=f"{i:05d}",
            name=name,
            learners=completed + 3,
            completed=completed,
            certificates=completed,
            target=target,
        ),
        st.integers(0, 99_999),
        st.sampled_from(NAMES),
        st.integers(0, 60),
        st.one_of(st.none(), st.just(0), st.integers(1, 60)),
    ),
    max_size=25,
    unique_by=lambda e: e.code,
)


@given(entries=entries_strategy, min_target=st.integers(1, 30))
def test_standing_equals_the_plain_rule(entries, min_target):
    result = standing(entries, min_target=min_target)
    ranked, small, none = _oracle(entries, min_target)
    assert [(p.rank, p.entry.code) for p in result.ranked] == ranked
    assert {e.code for e in result.small} == small
    assert {e.code for e in result.no_target} == none


def test_ties_share_a_rank_and_the_next_rank_skips():
    entries = [
        Entry("1", "Xã Bình", 0, 10, 10, 20),  # 50 %
        Entry("2", "Xã An", 0, 20, 20, 40),  # 50 %, same rate: tied, listed first
        Entry("3", "Xã Cao", 0, 5, 5, 20),  # 25 %
        Entry("4", "Xã Dầu", 0, 30, 30, 30),  # 100 %
    ]
    result = standing(entries, min_target=MIN_TARGET)
    assert [(p.rank, p.entry.name) for p in result.ranked] == [
        (1, "Xã Dầu"),
        (2, "Xã An"),
        (2, "Xã Bình"),
        (4, "Xã Cao"),
    ]


def test_rates_that_round_alike_are_not_tied():
    # 1/3 and 333/1000 both show as 33.3 %; only equal rates tie.
    entries = [Entry("1", "Xã A", 0, 20, 20, 60), Entry("2", "Xã B", 0, 333, 0, 1000)]
    result = standing(entries, min_target=MIN_TARGET)
    assert [p.entry.percent for p in result.ranked] == [33.3, 33.3]
    assert [p.rank for p in result.ranked] == [1, 2]
