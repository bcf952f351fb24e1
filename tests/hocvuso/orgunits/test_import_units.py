import csv
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from hocvuso.orgunits.models import Unit, UnitLevel
from hocvuso.orgunits.selectors import (
    unit_ancestry_get,
    unit_children_list,
    unit_subtree,
)
from hocvuso.orgunits.services import UnitImportError, units_import_csv, village_create

pytestmark = pytest.mark.django_db
HEADER = ["ma_tinh", "ten_tinh", "loai_tinh", "ma_xa", "ten_xa", "loai_xa"]


def write_csv(path: Path, rows: list[list[str]], header=HEADER) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def test_official_list_imports_every_province_and_commune():
    result = units_import_csv(path=settings.UNITS_CSV)
    assert Unit.objects.filter(level=UnitLevel.PROVINCE).count() == 34
    assert Unit.objects.filter(level=UnitLevel.COMMUNE).count() == 3321
    assert result.created == 34 + 3321
    quang_ngai = Unit.objects.get(code="51")
    assert quang_ngai.name == "Tỉnh Quảng Ngãi"
    assert unit_children_list(parent_code="51").count() == 96
    ly_son = Unit.objects.get(code="21548")
    assert ly_son.name == "Đặc khu Lý Sơn" and ly_son.kind == "đặc khu"
    assert ly_son.get_parent() == quang_ngai

    again = units_import_csv(path=settings.UNITS_CSV)
    assert (again.created, again.renamed) == (0, 0)
    assert Unit.objects.count() == 34 + 3321


def test_names_may_change_but_codes_stay(tmp_path):
    rows = [["51", "Tỉnh Quảng Ngãi", "tỉnh", "21548", "Đặc khu Lý Sơn", "đặc khu"]]
    units_import_csv(path=write_csv(tmp_path / "a.csv", rows))
    original = Unit.objects.get(code="21548")
    rows[0][4] = "Đặc khu Lý Sơn mới"
    result = units_import_csv(path=write_csv(tmp_path / "b.csv", rows))
    assert result.renamed == 1
    renamed = Unit.objects.get(code="21548")
    assert renamed.pk == original.pk and renamed.path == original.path
    assert renamed.name == "Đặc khu Lý Sơn mới"


@pytest.mark.parametrize(
    ("rows", "header", "message"),
    [
        (
            [["5", "Tỉnh A", "tỉnh", "21548", "Xã B", "xã"]],
            HEADER,
            "mã tỉnh “5” phải gồm 2 chữ số",
        ),
        (
            [["51", "Tỉnh A", "tỉnh", "2154", "Xã B", "xã"]],
            HEADER,
            "mã xã “2154” phải gồm 5 chữ số",
        ),
        ([["51", "", "tỉnh", "21548", "Xã B", "xã"]], HEADER, "thiếu tên đơn vị"),
        (
            [["51", "Tỉnh A", "tỉnh", "21548"]],
            HEADER[:4],
            "Tệp thiếu cột: ten_xa, loai_xa",
        ),
    ],
)
def test_bad_files_are_refused_whole(tmp_path, rows, header, message):
    good = ["51", "Tỉnh Quảng Ngãi", "tỉnh", "21025", "Phường Cẩm Thành", "phường"]
    path = write_csv(tmp_path / "bad.csv", [good[: len(header)], *rows], header=header)
    with pytest.raises(UnitImportError, match=message):
        units_import_csv(path=path)
    assert not Unit.objects.exists()


def test_command_imports_one_province_and_reports_in_vietnamese(capsys):
    call_command("import_units", province=["51"])
    out = capsys.readouterr().out
    assert "Đã nhập 1 tỉnh: thêm mới 97" in out
    with pytest.raises(CommandError, match="Không có tỉnh mã 99"):
        call_command("import_units", province=["99"])


def test_villages_hang_under_their_commune_and_subtrees_follow_paths(tmp_path):
    rows = [
        ["51", "Tỉnh Quảng Ngãi", "tỉnh", "21025", "Phường Cẩm Thành", "phường"],
        ["51", "Tỉnh Quảng Ngãi", "tỉnh", "21028", "Phường Nghĩa Lộ", "phường"],
    ]
    units_import_csv(path=write_csv(tmp_path / "a.csv", rows))
    cam_thanh = Unit.objects.get(code="21025")
    first = village_create(commune=cam_thanh, name="Tổ dân phố 1", kind="tổ dân phố")
    second = village_create(commune=cam_thanh, name="Tổ dân phố 2", kind="tổ dân phố")
    assert (
        village_create(commune=cam_thanh, name="Tổ dân phố 1", kind="tổ dân phố")
        == first
    )
    assert (first.code, second.code) == ("21025-01", "21025-02")
    assert [u.code for u in unit_ancestry_get(unit=second)] == [
        "51",
        "21025",
        "21025-02",
    ]
    assert set(unit_subtree(unit=cam_thanh).values_list("code", flat=True)) == {
        "21025",
        "21025-01",
        "21025-02",
    }
    assert set(
        unit_subtree(unit=Unit.objects.get(code="51")).values_list("code", flat=True)
    ) == {"51", "21025", "21028", "21025-01", "21025-02"}
    with pytest.raises(ValueError, match="chỉ được tạo trong một xã"):
        village_create(commune=first, name="Xóm", kind="xóm")
