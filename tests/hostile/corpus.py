"""Hostile files, built on demand so the repository holds a recipe, not a
390 MB bomb. `python tests/hostile/corpus.py DIR` writes them all to DIR.

Each entry is (file name, bytes). The names are what a browser would send."""

import io
import struct
import sys
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

from openpyxl import Workbook
from PIL import Image

ACCOUNT_HEADER = [
    "họ và tên",
    "số điện thoại",
    "năm sinh",
    "mã xã",
    "thôn/tổ dân phố",
    "tổ CNSCĐ",
    "vai trò",
]
QUESTION_HEADER = [
    "loại",
    "câu hỏi",
    "đáp án 1",
    "đáp án 2",
    "đáp án đúng",
    "giải thích",
]


def _xlsx(rows: list[list[object]]) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def xlsx_bomb(header: list[str], *, unpacked_mb: int = 390) -> bytes:
    """A real workbook whose first sheet inflates to `unpacked_mb` MB of rows."""
    template = io.BytesIO(_xlsx([header]))
    out = io.BytesIO()
    row = (
        b'<row><c t="inlineStr"><is><t>Nguy\xe1\xbb\x85n V\xc4\x83n An</t></is></c>'
        b'<c t="inlineStr"><is><t>0912000101</t></is></c></row>'
    )
    with (
        zipfile.ZipFile(template) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as bomb,
    ):
        for info in source.infolist():
            if info.filename != "xl/worksheets/sheet1.xml":
                bomb.writestr(info, source.read(info))
                continue
            sheet = source.read(info)
            head, _sep, tail = sheet.partition(b"</row>")
            with bomb.open(info.filename, "w", force_zip64=True) as target:
                target.write(head + b"</row>")
                block = row * 8192
                for _i in range(unpacked_mb * 1024 * 1024 // len(block)):
                    target.write(block)
                target.write(tail)
    return out.getvalue()


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    body = kind + data
    return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))


def pixel_bomb() -> bytes:
    """A tiny PNG whose header claims 30,000 × 30,000 pixels."""
    header = struct.pack(">IIBBBBB", 30_000, 30_000, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", header)
        + _png_chunk(b"IDAT", zlib.compress(b"\0" * 64))
        + _png_chunk(b"IEND", b"")
    )


def png(size=(40, 30), color=(200, 30, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, "PNG")
    return out.getvalue()


POLYGLOT_TAIL = b"<html><script>alert(document.domain)</script></html>"


def polyglot_png() -> bytes:
    return png() + POLYGLOT_TAIL


def _csv(header: list[str], rows: int, row: list[str]) -> bytes:
    line = ",".join(row) + "\n"
    return (",".join(header) + "\n" + line * rows).encode()


def spreadsheets(header: list[str]) -> dict[str, Callable[[], tuple[str, bytes]]]:
    """Spreadsheets an import must refuse as a whole."""
    text = ",".join(header) + "\n" + "Nguyễn Văn An,0912000101\n"
    return {
        "zip bomb": lambda: ("bom.xlsx", xlsx_bomb(header, unpacked_mb=100)),
        "header only csv": lambda: (
            "chi-tieu-de.csv",
            (",".join(header) + "\n").encode(),
        ),
        "header only xlsx": lambda: ("chi-tieu-de.xlsx", _xlsx([header])),
        "too many rows csv": lambda: (
            "qua-nhieu.csv",
            _csv(header, 200_000, ["x"] * len(header)),
        ),
        "utf-16 csv": lambda: ("utf16.csv", text.encode("utf-16")),
        "latin-1 csv": lambda: ("latin1.csv", "ò,é\n".encode("latin-1") * 3),
        "one endless line csv": lambda: ("mot-dong.csv", b"," * 3_000_000),
        "giant field csv": lambda: ("o-lon.csv", b'"' + b"a" * 3_000_000 + b'"\n'),
        "not a zip xlsx": lambda: ("hong.xlsx", b"PK\x03\x04 not really"),
        "html as xlsx": lambda: ("trang.xlsx", b"<html><body>x</body></html>"),
        "pdf": lambda: ("tai-lieu.pdf", b"%PDF-1.4\n%\xe2\xe3\n"),
        "empty file csv": lambda: ("rong.csv", b""),
        "nul bytes csv": lambda: ("nul.csv", b"\0" * 1000),
    }


def images() -> dict[str, Callable[[], tuple[str, bytes]]]:
    """Image uploads that must be refused (the polyglot is re-encoded instead,
    see test_images)."""
    return {
        "pixel bomb": lambda: ("pixel-bomb.png", pixel_bomb()),
        "svg with script": lambda: (
            "logo.svg",
            b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        ),
        "html as png": lambda: ("anh.png", b"<html><script>alert(1)</script></html>"),
        "truncated png": lambda: ("cut.png", png()[:40]),
        "jpeg named png": lambda: ("doi-ten.png", _jpeg()),
        "empty png": lambda: ("rong.png", b""),
    }


def _jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (20, 20)).save(out, "JPEG")
    return out.getvalue()


def documents() -> dict[str, Callable[[], tuple[str, bytes]]]:
    return {
        "html document": lambda: ("trang.html", b"<script>alert(1)</script>"),
        "svg document": lambda: ("hinh.svg", b"<svg><script>alert(1)</script></svg>"),
        "executable": lambda: ("cai-dat.exe", b"MZ\x90\x00"),
    }


def captions() -> dict[str, Callable[[], tuple[str, bytes]]]:
    return {
        "html as vtt": lambda: ("evil.html", b"WEBVTT\n\n<script>alert(1)</script>"),
        "vtt named svg": lambda: ("evil.svg", b"WEBVTT\n\n<svg onload=alert(1)>"),
        "not vtt": lambda: (
            "phu-de.vtt",
            b"1\n00:00:01,000 --> 00:00:02,000\nxin chao\n",
        ),
        "binary vtt": lambda: ("phu-de.vtt", b"WEBVTT\n\n\0\0\xff\xfe" * 10),
    }


def media() -> dict[str, Callable[[], tuple[str, bytes]]]:
    return {
        "fake video": lambda: ("bai-giang.mp4", b"\0\0\0\x18ftypmp42" + b"\0" * 500),
        "html as video": lambda: ("bai-giang.mp4", b"<html><script>alert(1)</script>"),
    }


def four_byte_name(extension: str, *, length: int = 60) -> str:
    """`length` characters of 4 bytes each: 100 of them are 400 bytes, more
    than any Linux file system takes in one name."""
    return f"{'𝓗' * length}.{extension}"


def main(folder: str) -> None:
    target = Path(folder)
    target.mkdir(parents=True, exist_ok=True)
    groups = [
        spreadsheets(ACCOUNT_HEADER),
        images(),
        documents(),
        captions(),
        media(),
        {"polyglot": lambda: ("polyglot.png", polyglot_png())},
        {"bomb 390": lambda: ("bom-390.xlsx", xlsx_bomb(ACCOUNT_HEADER))},
    ]
    for group in groups:
        for key, build in group.items():
            name, content = build()
            (target / f"{key.replace(' ', '-')}--{name}").write_bytes(content)


if __name__ == "__main__":
    main(sys.argv[1])
