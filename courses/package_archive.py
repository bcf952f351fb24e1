"""Checking and unpacking an uploaded content package (SCORM 1.2, SCORM 2004
or H5P) without trusting it (no Django models).

A package is a zip an editor got from an authoring tool, so nothing in it is
believed: the zip directory is read and checked before any entry is inflated
(count, names, links, declared sizes and compression ratios); zipfile never
inflates an entry past its declared size and checks its CRC, so a lying
directory fails while unpacking, and unpacking writes only below the target.
A SCORM manifest is parsed with defusedxml (no DTD, no entities, no
network); an H5P file's h5p.json and its libraries' library.json must name
only libraries the file carries, with every script and style they load."""

import json
import re
import stat
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring
from django.utils.translation import gettext_lazy as _

MANIFEST = "imsmanifest.xml"
H5P_JSON = "h5p.json"
H5P_CONTENT = "content/content.json"
# H5P's machine names (H5P.MultiChoice) and versions, as folder names.
H5P_LIBRARY_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")
MAX_H5P_LIBRARIES = 300
# A phone plays a package of a few megabytes; authoring tools' largest
# exports (video inside) stay well under these.
MAX_UPLOAD_MB = 100
MAX_UNPACKED_MB = 300
MAX_FILES = 3000
MAX_MANIFEST_BYTES = 1024 * 1024
# Text and scripts deflate about 5:1, a zip bomb thousands to one.
MAX_RATIO = 100
# Names an editor's package reasonably has: any letter or digit, and the
# punctuation of file names; never a backslash, a colon or a control code.
SAFE_PART = re.compile(r"^[\w .,()\[\]@+=~!'&%#-]+$")
MAX_PATH_CHARS = 240

ERRORS = {
    "not_zip": _(
        "Gói nội dung phải là tệp .zip (SCORM) hoặc .h5p (H5P) xuất từ công cụ "
        "soạn bài."
    ),
    "too_large": _("Gói nội dung lớn quá %(max)s MB."),
    "unpacked_too_large": _("Gói nội dung khi giải nén lớn quá %(max)s MB."),
    "too_many_files": _("Gói nội dung có quá %(max)s tệp."),
    "ratio": _(
        "Tệp “%(name)s” trong gói bị nén bất thường (có thể là bom nén); "
        "gói bị từ chối."
    ),
    "bad_name": _(
        "Tên tệp “%(name)s” trong gói không hợp lệ (đường dẫn tuyệt đối, “..” "
        "hoặc ký tự lạ); gói bị từ chối."
    ),
    "link": _("Tệp “%(name)s” trong gói là liên kết tượng trưng; gói bị từ chối."),
    "encrypted": _("Gói nội dung có tệp đặt mật khẩu; hãy xuất lại không mật khẩu."),
    "no_manifest": _(
        "Gói không có tệp imsmanifest.xml (SCORM) hay h5p.json (H5P) ở thư mục "
        "gốc: không phải gói nội dung."
    ),
    "manifest_unreadable": _("Không đọc được tệp imsmanifest.xml của gói."),
    "not_scorm": _(
        "Gói ghi phiên bản SCORM “%(version)s”; chỉ nhận SCORM 1.2 và SCORM 2004."
    ),
    "no_launch": _("Tệp imsmanifest.xml không chỉ ra trang bắt đầu của bài."),
    "launch_missing": _("Trang bắt đầu “%(name)s” không có trong gói."),
    "launch_not_html": _("Trang bắt đầu “%(name)s” phải là tệp .html."),
    "damaged": _("Gói nội dung bị hỏng (dữ liệu không khớp); hãy xuất lại."),
    "h5p_unreadable": _("Không đọc được tệp %(name)s của gói H5P."),
    "h5p_library_missing": _(
        "Gói H5P thiếu thư viện “%(name)s”; hãy tải lại tệp .h5p kèm đủ thư viện."
    ),
    "h5p_file_missing": _("Gói H5P thiếu tệp “%(name)s”."),
    "h5p_no_content": _("Gói H5P không có tệp content/content.json."),
}

SCORM_12 = "scorm12"
SCORM_2004 = "scorm2004"
H5P = "h5p"
# The manifest's <schemaversion> of each edition authoring tools write.
SCORM_VERSIONS = {
    "1.2": SCORM_12,
    "CAM 1.3": SCORM_2004,
    "2004 2nd Edition": SCORM_2004,
    "2004 3rd Edition": SCORM_2004,
    "2004 4th Edition": SCORM_2004,
}


class PackageRefused(ValueError):
    """The package cannot be used; str() is the Vietnamese reason."""

    def __init__(self, code: str, **params):
        self.code = code
        self.params = params
        super().__init__(code)

    def __str__(self) -> str:
        return str(ERRORS[self.code]) % self.params


@dataclass(frozen=True)
class PackageInfo:
    kind: str  # SCORM_12, SCORM_2004 or H5P
    title: str
    launch: str  # SCORM: a member path, e.g. "index.html"; H5P: ""
    file_count: int
    unpacked_bytes: int


def member_path(name: str) -> PurePosixPath:
    """The entry's name as a relative path inside the package, or refusal:
    absolute, drive-letter, backslash, "..", empty or odd-character names."""
    if len(name) > MAX_PATH_CHARS or name.startswith("/") or "\\" in name:
        raise PackageRefused("bad_name", name=name[:80])
    path = PurePosixPath(name)
    parts = path.parts
    if not parts or any(
        part in ("", ".", "..") or not SAFE_PART.match(part) for part in parts
    ):
        raise PackageRefused("bad_name", name=name[:80])
    return path


def _check_entry(info: zipfile.ZipInfo) -> None:
    member_path(info.filename)
    mode = info.external_attr >> 16
    if stat.S_ISLNK(mode):
        raise PackageRefused("link", name=info.filename[:80])
    if info.flag_bits & 0x1:
        raise PackageRefused("encrypted")
    if info.file_size > 1024 * 1024 and (
        info.file_size > MAX_RATIO * max(info.compress_size, 1)
    ):
        raise PackageRefused("ratio", name=info.filename[:80])


def _local_name(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _children(element, name: str) -> list:
    return [child for child in element if _local_name(child.tag) == name]


def _manifest_launch(xml: bytes) -> tuple[str, str, str]:
    """(kind, title, launch href) of the default organisation's first item
    that names a resource. SCORM 1.2 and 2004 share this part of the
    manifest; a manifest without <schemaversion> is taken as 1.2."""
    try:
        root = fromstring(xml, forbid_dtd=True)
    except (DefusedXmlException, SyntaxError, ValueError) as exc:
        raise PackageRefused("manifest_unreadable") from exc
    if _local_name(root.tag) != "manifest":
        raise PackageRefused("manifest_unreadable")
    version = ""
    for metadata in _children(root, "metadata"):
        for schema in _children(metadata, "schemaversion"):
            version = (schema.text or "").strip()
    kind = SCORM_VERSIONS.get(version or "1.2")
    if kind is None:
        raise PackageRefused("not_scorm", version=version[:40])
    resources = {}
    for group in _children(root, "resources"):
        for resource in _children(group, "resource"):
            resources[resource.get("identifier", "")] = resource
    organisations = next(iter(_children(root, "organizations")), None)
    if organisations is None:
        raise PackageRefused("no_launch")
    orgs = _children(organisations, "organization")
    default = organisations.get("default")
    chosen = next((o for o in orgs if o.get("identifier") == default), None)
    chosen = chosen if chosen is not None else next(iter(orgs), None)
    if chosen is None:
        raise PackageRefused("no_launch")
    title_el = next(iter(_children(chosen, "title")), None)
    title = (title_el.text or "").strip() if title_el is not None else ""
    for item in chosen.iter():
        if _local_name(item.tag) != "item":
            continue
        resource = resources.get(item.get("identifierref", ""))
        if resource is not None and resource.get("href"):
            base = resource.get("{http://www.w3.org/XML/1998/namespace}base", "")
            href = (base + resource.get("href")).split("?", 1)[0].split("#", 1)[0]
            return kind, title[:200], href
    raise PackageRefused("no_launch")


def _member_json(archive: zipfile.ZipFile, name: str, files: set[str]):
    if name not in files:
        raise PackageRefused("h5p_file_missing", name=name[:80])
    info = archive.getinfo(name)
    if info.file_size > MAX_MANIFEST_BYTES:
        raise PackageRefused("h5p_unreadable", name=name[:80])
    try:
        return json.loads(archive.read(info).decode("utf-8-sig"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise PackageRefused("h5p_unreadable", name=name[:80]) from exc


def _h5p_dependencies(value, *, where: str) -> list[str]:
    """The library folders ("H5P.MultiChoice-1.16") a list of dependencies
    names, or refusal when the list is not H5P's shape."""
    if value is None:
        return []
    if not isinstance(value, list) or len(value) > MAX_H5P_LIBRARIES:
        raise PackageRefused("h5p_unreadable", name=where)
    folders = []
    for dependency in value:
        if not isinstance(dependency, dict):
            raise PackageRefused("h5p_unreadable", name=where)
        name = dependency.get("machineName")
        versions = [dependency.get("majorVersion"), dependency.get("minorVersion")]
        if (
            not isinstance(name, str)
            or not H5P_LIBRARY_NAME.match(name)
            or not all(
                type(number) is int and 0 <= number < 10_000 for number in versions
            )
        ):
            raise PackageRefused("h5p_unreadable", name=where)
        folders.append(f"{name}-{versions[0]}.{versions[1]}")
    return folders


def _h5p_check(archive: zipfile.ZipFile, files: set[str]) -> str:
    """The H5P file's title, once h5p.json, its main library and every
    library they load (with their scripts and styles) are in the file."""
    meta = _member_json(archive, H5P_JSON, files)
    if not isinstance(meta, dict):
        raise PackageRefused("h5p_unreadable", name=H5P_JSON)
    main = meta.get("mainLibrary")
    pending = _h5p_dependencies(meta.get("preloadedDependencies"), where=H5P_JSON)
    if not isinstance(main, str) or not any(
        folder.rsplit("-", 1)[0] == main for folder in pending
    ):
        raise PackageRefused("h5p_unreadable", name=H5P_JSON)
    if H5P_CONTENT not in files:
        raise PackageRefused("h5p_no_content")
    seen: set[str] = set()
    while pending:
        folder = pending.pop()
        if folder in seen:
            continue
        seen.add(folder)
        if len(seen) > MAX_H5P_LIBRARIES:
            raise PackageRefused("h5p_unreadable", name=H5P_JSON)
        library_json = f"{folder}/library.json"
        if library_json not in files:
            raise PackageRefused("h5p_library_missing", name=folder[:80])
        library = _member_json(archive, library_json, files)
        if not isinstance(library, dict):
            raise PackageRefused("h5p_unreadable", name=library_json[:80])
        for key in ("preloadedJs", "preloadedCss"):
            entries = library.get(key) or []
            if not isinstance(entries, list):
                raise PackageRefused("h5p_unreadable", name=library_json[:80])
            for entry in entries:
                path = entry.get("path") if isinstance(entry, dict) else None
                if not isinstance(path, str):
                    raise PackageRefused("h5p_unreadable", name=library_json[:80])
                member = f"{folder}/{path}"
                try:
                    member_path(member)
                except PackageRefused as exc:
                    raise PackageRefused("h5p_file_missing", name=member[:80]) from exc
                if member not in files:
                    raise PackageRefused("h5p_file_missing", name=member[:80])
        pending.extend(
            _h5p_dependencies(
                library.get("preloadedDependencies"), where=library_json[:80]
            )
        )
    title = meta.get("title")
    return title.strip()[:200] if isinstance(title, str) else ""


def package_inspect(file: IO[bytes], *, size: int) -> PackageInfo:
    """Every rule a package must pass, in order; the first failure raises.
    Reads the zip directory and the manifest only."""
    if size > MAX_UPLOAD_MB * 1024 * 1024:
        raise PackageRefused("too_large", max=MAX_UPLOAD_MB)
    try:
        with zipfile.ZipFile(file) as archive:
            infos = archive.infolist()
            if len(infos) > MAX_FILES:
                raise PackageRefused("too_many_files", max=MAX_FILES)
            seen: set[str] = set()
            for info in infos:
                _check_entry(info)
                if info.filename in seen:
                    raise PackageRefused("bad_name", name=info.filename[:80])
                seen.add(info.filename)
            unpacked = sum(info.file_size for info in infos)
            if unpacked > MAX_UNPACKED_MB * 1024 * 1024:
                raise PackageRefused("unpacked_too_large", max=MAX_UNPACKED_MB)
            if unpacked > MAX_RATIO * max(size, 1):
                raise PackageRefused("ratio", name=MANIFEST)
            files = {info.filename for info in infos if not info.is_dir()}
            if MANIFEST not in files:
                if H5P_JSON not in files:
                    raise PackageRefused("no_manifest")
                return PackageInfo(
                    kind=H5P,
                    title=_h5p_check(archive, files),
                    launch="",
                    file_count=len(files),
                    unpacked_bytes=unpacked,
                )
            manifest = archive.getinfo(MANIFEST)
            if manifest.file_size > MAX_MANIFEST_BYTES:
                raise PackageRefused("manifest_unreadable")
            xml = archive.read(manifest)
    except PackageRefused:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError) as exc:
        raise PackageRefused("not_zip") from exc
    except (RuntimeError, NotImplementedError, ValueError) as exc:
        raise PackageRefused("damaged") from exc
    kind, title, href = _manifest_launch(xml)
    try:
        launch = str(member_path(href))
    except PackageRefused as exc:
        raise PackageRefused("launch_missing", name=href[:80]) from exc
    if launch not in files:
        raise PackageRefused("launch_missing", name=launch[:80])
    if PurePosixPath(launch).suffix.lower() not in (".html", ".htm"):
        raise PackageRefused("launch_not_html", name=launch[:80])
    return PackageInfo(
        kind=kind,
        title=title,
        launch=launch,
        file_count=len(files),
        unpacked_bytes=unpacked,
    )


def package_unpack(file: IO[bytes], *, into: Path) -> None:
    """Write the (inspected) package's files below `into`, which must exist
    and be empty. Each target is resolved and must stay below `into`."""
    root = into.resolve()
    try:
        with zipfile.ZipFile(file) as archive:
            for info in archive.infolist():
                _check_entry(info)
                target = (root / member_path(info.filename)).resolve()
                if not target.is_relative_to(root) or target == root:
                    raise PackageRefused("bad_name", name=info.filename[:80])
                if info.is_dir():
                    target.mkdir(parents=True, exist_ok=True)
                    continue
                target.parent.mkdir(parents=True, exist_ok=True)
                with archive.open(info) as source, target.open("xb") as out:
                    while chunk := source.read(1024 * 1024):
                        out.write(chunk)
    except PackageRefused:
        raise
    except FileExistsError as exc:
        raise PackageRefused("bad_name", name=exc.filename or "") from exc
    except (zipfile.BadZipFile, EOFError, RuntimeError, ValueError) as exc:
        raise PackageRefused("damaged") from exc
