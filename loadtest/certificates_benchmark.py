"""Certificates rendered per second on one worker process: the PDF and the
PNG preview (with their QR codes) of N certificates, drawn one after another
as the Celery task does, without the database or storage.

    .venv/bin/python loadtest/certificates_benchmark.py --count 200
"""

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from certificates.render import CertificateContent, pdf_render, png_render  # noqa: E402

NAMES = ["Nguyễn Thị Hồng Nhung", "Đặng Văn Lộc", "Trương Ngọc Ánh Dương"]


def content(i: int) -> CertificateContent:
    code = f"{i:022d}"
    url = f"https://hocvuso.quangngai.gov.vn/xac-minh/{code}/"
    return CertificateContent(
        issuer="Sở Khoa học và Công nghệ tỉnh Quảng Ngãi",
        heading="Giấy chứng nhận",
        intro="Chứng nhận",
        holder_name=NAMES[i % len(NAMES)],
        wording="Đã hoàn thành khóa học trên nền tảng Bình dân học vụ số",
        title="Chuyên đề 3: An toàn thông tin và phòng chống lừa đảo trực tuyến",
        details="Điểm: 90% · Ngày hoàn thành: 02/12/2026",
        issued_line="Cấp ngày 02/12/2026",
        signer_title="Giám đốc",
        signer_name="Nguyễn Văn Minh",
        serial_line=f"Số hiệu: QNG-2026-{i:06d}",
        verify_line=f"Xác minh: {url}",
        disclaimer="Chứng nhận do nền tảng Bình dân học vụ số cấp; đây không phải dữ liệu VNeID.",
        verify_url=url,
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=200)
    args = parser.parse_args()
    pdf_render(content(0))  # fonts loaded once per process, as in a worker
    pdf_bytes = png_bytes = 0
    started = time.perf_counter()
    for i in range(args.count):
        c = content(i)
        pdf_bytes += len(pdf_render(c))
        png_bytes += len(png_render(c))
    elapsed = time.perf_counter() - started
    print(f"certificates: {args.count}")
    print(f"seconds: {elapsed:.2f}")
    print(f"certificates/s (PDF + PNG): {args.count / elapsed:.1f}")
    print(f"mean PDF size: {pdf_bytes / args.count / 1024:.1f} KiB")
    print(f"mean PNG size: {png_bytes / args.count / 1024:.1f} KiB")


if __name__ == "__main__":
    main()
