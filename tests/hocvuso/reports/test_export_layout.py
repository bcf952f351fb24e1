"""Issue 24, finding 7: exports read well in a Vietnamese office. The XLSX
has column widths, percentages in percent format, prints landscape one page
wide with its headers repeated, a commune column on the village sheet with
one "Chưa ghi thôn/tổ dân phố" row per commune, and targets in the totals;
file names are ASCII, Vietnamese and differ per programme; the CSV uses ";"
and decimal commas."""

import io
from urllib.parse import urlencode

import pytest
from django.urls import reverse
from django.utils import timezone
from hocvuso.accounts.models import User
from hocvuso.orgunits.models import UnitTarget
from openpyxl import load_workbook

from courses.models import Enrolment, ProgrammePage

pytestmark = pytest.mark.django_db


def _header(rows):
    return next(i for i, r in enumerate(rows) if r and r[0] == "Mã đơn vị")


@pytest.fixture
def province_xlsx(client, org_tree, dataset):
    now = timezone.now()
    for commune in org_tree.communes[:2]:  # residents who gave no village
        user = User.objects.create_user(
            username=f"khong_thon_{commune.code}",
            full_name="Chưa Có Thôn",
            unit=commune,
        )
        Enrolment.objects.create(
            user=user, course=dataset.courses[0], enrolled_at=now, last_activity_at=now
        )
    for commune, target in zip(org_tree.communes[:3], (100, 50, 30), strict=True):
        UnitTarget.objects.create(
            unit=commune, programme=dataset.programme, learners=target
        )
    client.force_login(org_tree.admins["province0"])
    url = reverse("report_xlsx", args=[org_tree.provinces[0].code])
    response = client.get(
        url + "?" + urlencode({"subject": f"programme:{dataset.programme.pk}"})
    )
    assert response.status_code == 200
    return response, load_workbook(io.BytesIO(response.content))


def test_xlsx_widths_percent_format_and_print_settings(province_xlsx):
    _response, book = province_xlsx
    for sheet in book.worksheets:
        rows = list(sheet.iter_rows())
        at = _header([[c.value for c in r] for r in rows])
        headers = [c.value for c in rows[at]]
        for i, header in enumerate(headers):
            width = sheet.column_dimensions[rows[at][i].column_letter].width
            longest = max(len(w) for w in header.split())
            assert width >= longest, (sheet.title, header, width)
        pct_columns = [i for i, h in enumerate(headers) if h.endswith("(%)")]
        assert pct_columns
        for row in rows[at + 1 :]:
            for i in pct_columns:
                if row[i].value is not None:
                    assert row[i].number_format == "0.0%"
                    assert 0 <= row[i].value <= 1
        assert sheet.page_setup.orientation == "landscape"
        assert sheet.page_setup.fitToWidth == 1
        assert sheet.page_setup.fitToHeight == 0
        assert sheet.sheet_properties.pageSetUpPr.fitToPage
        assert sheet.print_title_rows == f"$1:${at + 1}"


def test_village_sheet_has_a_commune_column_and_a_row_per_commune(
    province_xlsx, org_tree
):
    _response, book = province_xlsx
    rows = list(book["Thôn, tổ dân phố"].iter_rows(values_only=True))
    at = _header(rows)
    assert rows[at][2] == "Đơn vị cấp trên"
    lines = rows[at + 1 : -1]
    direct = [r for r in lines if r[1] == "Chưa ghi thôn/tổ dân phố"]
    communes = [r[2] for r in direct]
    assert len(communes) == len(set(communes)), "one row per commune"
    assert {c.name for c in org_tree.communes[:2]} <= set(communes)
    assert set(communes) <= {c.name for c in org_tree.communes[:3]}
    assert all(r[3] >= 1 for r in direct)
    village = org_tree.villages[0]
    assert (
        next(r for r in lines if r[0] == village.code)[2] == org_tree.communes[0].name
    )


def test_totals_of_lower_sheets_carry_the_target(province_xlsx):
    _response, book = province_xlsx
    rows = list(book["Xã, phường"].iter_rows(values_only=True))
    at = _header(rows)
    target_at = rows[at].index("Chỉ tiêu")
    assert rows[-1][1] == "Tổng cộng"
    assert rows[-1][target_at] == 180
    assert not any(h == "Chưa hoàn thành (% chỉ tiêu)" for h in rows[at])


def test_file_names_are_ascii_vietnamese_and_differ_per_programme(
    client, org_tree, dataset, province_xlsx
):
    response, _book = province_xlsx
    name = response["Content-Disposition"]
    assert name.isascii() and "programme" not in name
    assert "chuong-trinh-chuong-trinh-thu" in name
    other = ProgrammePage.objects.get(pk=dataset.programme.pk)
    other.title = "Đào tạo Tổ công nghệ số"
    other.save_revision().publish()
    url = reverse("report_xlsx", args=[org_tree.provinces[0].code])
    again = client.get(
        url + "?" + urlencode({"subject": f"programme:{dataset.programme.pk}"})
    )
    assert "dao-tao-to-cong-nghe-so" in again["Content-Disposition"]


def test_csv_uses_semicolons_and_decimal_commas(client, org_tree, dataset):
    client.force_login(org_tree.admins["commune0.0"])
    url = reverse("report_csv", args=[org_tree.communes[0].code])
    response = client.get(
        url + "?" + urlencode({"subject": f"programme:{dataset.programme.pk}"})
    )
    raw = b"".join(response.streaming_content)
    assert raw.startswith("\ufeff".encode())
    lines = raw.decode("utf-8-sig").splitlines()
    header = next(line for line in lines if line.startswith("Mã đơn vị;Đơn vị;"))
    assert "," not in header.replace("Xã, phường", "")
    body = lines[lines.index(header) + 1 :]
    assert any(
        "," in cell and cell.replace(",", "").isdigit()
        for line in body
        for cell in line.split(";")
    )
    assert not any(
        "." in cell and cell.replace(".", "").isdigit()
        for line in body
        for cell in line.split(";")
    )
