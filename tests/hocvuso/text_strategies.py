"""Hypothesis strategies for typed and imported text: real-looking Vietnamese
names, and the hostile cells a spreadsheet can carry (control characters,
formula starts, over-long text). Shared by the name rule's and the importers'
property tests."""

from hocvuso.core.text import FORMULA_START
from hypothesis import strategies as st

_VIETNAMESE_LETTERS = (
    "aàáảãạăằắẳẵặâầấẩẫậbcdđeèéẻẽẹêềếểễệghiìíỉĩịklmnoòóỏõọôồốổỗộơờớởỡợpqrstu"
    "ùúủũụưừứửữựvxyỳýỷỹỵ"
)
_LETTERS = _VIETNAMESE_LETTERS + _VIETNAMESE_LETTERS.upper()


def name_words() -> st.SearchStrategy[str]:
    word = st.text(alphabet=_LETTERS, min_size=1, max_size=8)
    # H'Hen, Lê-Anh: a second part joined by an apostrophe or a hyphen.
    joined = st.tuples(word, st.sampled_from("'’-"), word).map("".join)
    return st.one_of(word, word, joined)


def person_names() -> st.SearchStrategy[str]:
    """Names the one name rule must accept (1 to 5 words, at most 150
    characters)."""
    return (
        st.lists(name_words(), min_size=1, max_size=5)
        .map(" ".join)
        .filter(lambda name: len(name) <= 150)
    )


def control_characters() -> st.SearchStrategy[str]:
    return st.sampled_from(
        [chr(c) for c in (*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20))]
        + [chr(c) for c in range(0x7F, 0xA0)]
    )


def hostile_cells() -> st.SearchStrategy[str]:
    """Text a cell must never get stored or exported as-is: a control
    character inside, or a formula start."""
    plain = st.text(alphabet=_LETTERS + " ", min_size=1, max_size=20)
    with_control = st.tuples(plain, control_characters(), plain).map("".join)
    formula = st.tuples(st.sampled_from(FORMULA_START[:4]), plain).map("".join)
    return st.one_of(with_control, formula)
