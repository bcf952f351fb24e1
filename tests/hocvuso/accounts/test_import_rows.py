"""The import's pure validation core: plain data in, outcomes out (no database)."""

import pytest
from hocvuso.accounts.import_rows import (
    Action,
    CommuneInfo,
    ExistingAccount,
    HeaderError,
    TeamInfo,
    fold,
    header_map,
    validate_rows,
)

COMMUNE = CommuneInfo(
    code="21025",
    name="Phường Cẩm Thành",
    in_scope=True,
    villages={"to dan pho 1": "21025-01", "21025-01": "21025-01"},
    teams={"to cnscd 1": TeamInfo(7, "Tổ CNSCĐ 1", "21025-01")},
)
PHONES = {"0912345678": "+84912345678", "0912345679": "+84912345679"}


def _validate(rows, accounts=None, header=None):
    header = header or [
        "họ và tên",
        "số điện thoại",
        "năm sinh",
        "mã xã",
        "thôn/tổ dân phố",
        "tổ CNSCĐ",
        "vai trò",
    ]
    return validate_rows(
        rows,
        columns=header_map(header),
        communes={"21025": COMMUNE},
        accounts=accounts or {},
        phone_normalize=PHONES.get,
        this_year=2026,
    )


def test_fold_ignores_case_spaces_and_diacritics():
    assert fold("  Tổ   Dân Phố 1 ") == "to dan pho 1"
    assert fold("ĐOÀN") == fold("đoàn") == "doan"


def test_headers_are_found_in_any_order_and_case():
    columns = header_map(["Mã xã", "SỐ ĐIỆN THOẠI", "ghi chú", "Họ và tên"])
    assert columns == {"commune": 0, "phone": 1, "full_name": 3}
    with pytest.raises(HeaderError) as missing:
        header_map(["họ và tên", "năm sinh"])
    assert missing.value.params == {"columns": "số điện thoại, mã xã"}


def test_blank_rows_are_skipped_and_rows_keep_their_numbers():
    outcomes = _validate(
        [
            ["An", "0912345678", "", "21025", "", "", ""],
            ["", "", "", "", "", "", ""],
            ["Bình", "0912345679", "1990", "21025", "To dan pho 1", "to cnscđ 1", ""],
        ]
    )
    assert [o.number for o in outcomes] == [2, 4]
    assert all(o.ok for o in outcomes)
    binh = outcomes[1].parsed
    assert (binh.unit_code, binh.team_id, binh.role) == ("21025-01", 7, "member")


def test_an_existing_account_is_unchanged_updated_or_refused():
    row = ["An", "0912345678", "1990", "21025", "", "", ""]
    same = ExistingAccount("An", 1990, "21025", "citizen", {}, True, False)
    assert _validate([row], {"+84912345678": same})[0].action == Action.UNCHANGED
    renamed = ExistingAccount("Ân", 1990, "21025", "citizen", {}, True, False)
    assert _validate([row], {"+84912345678": renamed})[0].action == Action.UPDATE
    elsewhere = ExistingAccount("An", 1990, "99999", "citizen", {}, False, False)
    assert [
        e.code for e in _validate([row], {"+84912345678": elsewhere})[0].errors
    ] == ["phone_out_of_scope"]


def test_every_problem_of_a_row_is_reported_at_once():
    outcome = _validate([["", "12", "19x", "2102", "", "", "tổ phó"]])[0]
    assert [e.code for e in outcome.errors] == [
        "missing_name",
        "bad_phone",
        "bad_year",
        "bad_commune_code",
        "bad_role",
    ]
    assert outcome.parsed is None and outcome.action is None
