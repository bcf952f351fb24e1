"""Content packages for the tests: the CC0 packages of content_packages/
zipped, the hostile archives built in memory, and a lesson that shows one."""

import io
import json
import stat
import zipfile
from pathlib import Path

from courses.models import ContentPackage, LessonPage
from courses.package_services import package_create

PACKAGES = Path(__file__).parent / "content_packages"


def zip_folder(name: str) -> bytes:
    """A package of content_packages/<name>, zipped as an authoring tool does."""
    root = PACKAGES / name
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(root.rglob("*")):
            if path.is_file():
                archive.write(path, path.relative_to(root).as_posix())
    return out.getvalue()


def scorm12() -> bytes:
    return zip_folder("scorm12")


def _with(extra: dict[str, bytes], *, base: str = "scorm12") -> bytes:
    """The sample package with files added (or replaced)."""
    source = zipfile.ZipFile(io.BytesIO(zip_folder(base)))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            if info.filename not in extra:
                archive.writestr(info, source.read(info))
        for name, data in extra.items():
            archive.writestr(name, data)
    return out.getvalue()


def _without(name: str, *, base: str) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(zip_folder(base)))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            if info.filename != name:
                archive.writestr(info, source.read(info))
    return out.getvalue()


H5P_LIBRARY = "H5P.HocvusoCauHoi-1.0/library.json"


def _h5p_library(**changes) -> bytes:
    library = json.loads((PACKAGES / "h5p" / H5P_LIBRARY).read_text())
    library.update(changes)
    return _with({H5P_LIBRARY: json.dumps(library).encode()}, base="h5p")


def _h5p_meta(**changes) -> bytes:
    meta = json.loads((PACKAGES / "h5p" / "h5p.json").read_text())
    meta.update(changes)
    return _with({"h5p.json": json.dumps(meta).encode()}, base="h5p")


def _manifest(href: str, *, head: str = "") -> bytes:
    return (
        f'<?xml version="1.0"?>{head}'
        '<manifest xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2">'
        "<metadata><schemaversion>1.2</schemaversion></metadata>"
        '<organizations default="o"><organization identifier="o"><title>T</title>'
        '<item identifier="i" identifierref="r"><title>T</title></item>'
        "</organization></organizations>"
        f'<resources><resource identifier="r" href="{href}"/></resources>'
        "</manifest>"
    ).encode()


def _symlink() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for info in zipfile.ZipFile(io.BytesIO(scorm12())).infolist():
            archive.writestr(info, zipfile.ZipFile(io.BytesIO(scorm12())).read(info))
        link = zipfile.ZipInfo("bai/mat-khau")
        link.external_attr = (stat.S_IFLNK | 0o777) << 16
        archive.writestr(link, "/etc/passwd")
    return out.getvalue()


def _bomb(*, megabytes: int = 400) -> bytes:
    """The sample package with one entry that inflates to `megabytes` MB of
    zeros (about 400 KB packed)."""
    out = io.BytesIO()
    source = zipfile.ZipFile(io.BytesIO(scorm12()))
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for info in source.infolist():
            archive.writestr(info, source.read(info))
        with archive.open("bai/video.bin", "w", force_zip64=True) as target:
            block = b"\0" * (1024 * 1024)
            for _i in range(megabytes):
                target.write(block)
    return out.getvalue()


def _lying_size() -> bytes:
    """An entry whose directory claims 10 bytes but inflates to 1 MB: caught
    while unpacking, not from the directory."""
    data = bytearray(_with({"bai/noi-doi.txt": b"a" * 1024 * 1024}))
    name = b"bai/noi-doi.txt"
    central = data.rfind(b"PK\x01\x02", 0, data.rfind(name))
    # Uncompressed size sits 24 bytes into a central directory record.
    data[central + 24 : central + 28] = (10).to_bytes(4, "little")
    local = data.find(b"PK\x03\x04" + data[central + 6 : central + 8])
    while data[local + 30 : local + 30 + len(name)] != name:
        local = data.find(b"PK\x03\x04", local + 4)
    data[local + 22 : local + 26] = (10).to_bytes(4, "little")
    return bytes(data)


def _many_files(count: int = 3001) -> bytes:
    return _with({f"bai/t{i}.txt": b"x" for i in range(count)})


def _encrypted() -> bytes:
    data = bytearray(scorm12())
    # The "encrypted" bit of every entry's flags, local and central.
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        at = data.find(signature)
        while at != -1:
            data[at + offset] |= 1
            at = data.find(signature, at + 4)
    return bytes(data)


def hostile_packages() -> dict[str, tuple[bytes, str]]:
    """name → (zip bytes, a phrase of the Vietnamese refusal)."""
    xxe = '<!DOCTYPE m [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
    laugh = '<!DOCTYPE m [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]>'
    return {
        "not a zip": (b"PK\x03\x04 khong phai zip" * 20, "phải là tệp .zip"),
        "empty file": (b"", ""),
        "path traversal": (_with({"../../etc/cron.d/x": b"* * * * * id"}), "“..”"),
        "traversal inside": (_with({"bai/../../x.html": b"x"}), "“..”"),
        "absolute path": (_with({"/tmp/x.html": b"x"}), "đường dẫn tuyệt đối"),
        "backslash path": (_with({"..\\..\\x.html": b"x"}), "không hợp lệ"),
        "windows drive": (_with({"C:/x.html": b"x"}), "không hợp lệ"),
        "control character": (_with({"bai/a\x01.html": b"x"}), "không hợp lệ"),
        "symlink": (_symlink(), "liên kết tượng trưng"),
        "zip bomb": (_bomb(), "bom nén"),
        "lying sizes": (_lying_size(), "bị hỏng"),
        "too many files": (_many_files(), "quá 3000 tệp"),
        "encrypted": (_encrypted(), "mật khẩu"),
        "no manifest": (
            _with({}, base="scorm12").replace(b"imsmanifest.xml", b"imsmanifest.xmx"),
            "imsmanifest.xml",
        ),
        "manifest with external entity": (
            _with({"imsmanifest.xml": _manifest("bai/index.html", head=xxe)}),
            "Không đọc được tệp imsmanifest.xml",
        ),
        "manifest with entity expansion": (
            _with({"imsmanifest.xml": _manifest("bai/index.html", head=laugh)}),
            "Không đọc được tệp imsmanifest.xml",
        ),
        "manifest not xml": (
            _with({"imsmanifest.xml": b"\xff\xfe<manifest"}),
            "Không đọc được tệp imsmanifest.xml",
        ),
        "launch outside the package": (
            _with({"imsmanifest.xml": _manifest("../../../etc/passwd")}),
            "không có trong gói",
        ),
        "launch is a URL": (
            _with({"imsmanifest.xml": _manifest("https://ke-xau.example/x.html")}),
            "không có trong gói",
        ),
        "launch missing": (
            _with({"imsmanifest.xml": _manifest("bai/khong-co.html")}),
            "không có trong gói",
        ),
        "launch not html": (
            _with({"imsmanifest.xml": _manifest("bai/bai.js")}),
            "phải là tệp .html",
        ),
        "unknown SCORM edition": (
            _with(
                {
                    "imsmanifest.xml": _manifest("bai/index.html").replace(
                        b">1.2<", b">2030 9th Edition<"
                    )
                }
            ),
            "chỉ nhận SCORM 1.2 và SCORM 2004",
        ),
        "H5P without its library": (
            _without(H5P_LIBRARY, base="h5p"),
            "thiếu thư viện “H5P.HocvusoCauHoi-1.0”",
        ),
        "H5P library's script missing": (
            _h5p_library(preloadedJs=[{"path": "khong-co.js"}]),
            "thiếu tệp “H5P.HocvusoCauHoi-1.0/khong-co.js”",
        ),
        "H5P library's script outside the file": (
            _h5p_library(preloadedJs=[{"path": "../../../etc/passwd"}]),
            "thiếu tệp",
        ),
        "H5P library's scripts not a list": (
            _h5p_library(preloadedJs=7),
            "Không đọc được tệp H5P.HocvusoCauHoi-1.0/library.json",
        ),
        "H5P library needing a library it lacks": (
            _h5p_library(
                preloadedDependencies=[
                    {
                        "machineName": "H5P.JoubelUI",
                        "majorVersion": 1,
                        "minorVersion": 3,
                    }
                ]
            ),
            "thiếu thư viện “H5P.JoubelUI-1.3”",
        ),
        "H5P library name with a path": (
            _h5p_meta(
                mainLibrary="../../etc",
                preloadedDependencies=[
                    {"machineName": "../../etc", "majorVersion": 1, "minorVersion": 0}
                ],
            ),
            "Không đọc được tệp h5p.json",
        ),
        "H5P version not a number": (
            _h5p_meta(
                preloadedDependencies=[
                    {
                        "machineName": "H5P.HocvusoCauHoi",
                        "majorVersion": "1",
                        "minorVersion": True,
                    }
                ]
            ),
            "Không đọc được tệp h5p.json",
        ),
        "H5P main library not loaded": (
            _h5p_meta(mainLibrary="H5P.Khac"),
            "Không đọc được tệp h5p.json",
        ),
        "h5p.json not JSON": (
            _with({"h5p.json": b"\xff{title"}, base="h5p"),
            "Không đọc được tệp h5p.json",
        ),
        "h5p.json a list": (
            _with({"h5p.json": b"[1, 2]"}, base="h5p"),
            "Không đọc được tệp h5p.json",
        ),
        "H5P without content": (
            _without("content/content.json", base="h5p"),
            "content/content.json",
        ),
        "H5P path traversal": (
            _with({"../../h5p.json": b"{}"}, base="h5p"),
            "“..”",
        ),
    }


def package_from_folder(name: str = "scorm12", *, title: str = "") -> ContentPackage:
    suffix = ".h5p" if name.startswith("h5p") else ".zip"
    return package_create(
        title=title or "Gói thử", file=io.BytesIO(zip_folder(name)), name=name + suffix
    )


def put_package_in_lesson(
    lesson: LessonPage, package: ContentPackage, *, required: bool = True
) -> LessonPage:
    body = json.loads(json.dumps(list(lesson.body.raw_data)))
    body.insert(
        0, {"type": "package", "value": {"package": package.pk, "required": required}}
    )
    lesson.body = json.dumps(body)
    lesson.save_revision().publish()
    return LessonPage.objects.get(pk=lesson.pk)
