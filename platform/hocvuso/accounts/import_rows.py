"""Validation of a bulk account import, in plain Python (no database; the
text rules come from core.text, shared with every form).

It takes the rows of the file and a snapshot of what the database knows
(communes with their villages and teams, accounts found by phone number) and
returns one outcome per row: the errors found, or what writing it would do
(create, update, nothing). The service layer builds the snapshot, shows the
outcomes as the dry run, and writes the good rows; the messages for the error
codes are translated there.
"""

import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from django.core.exceptions import ValidationError

from hocvuso.core.text import (
    CONTROL_MARK,
    NAME_MAX,
    control_character,
    person_name_clean,
)

# The template's headers, in order; the keys are what the code calls them.
COLUMNS: tuple[tuple[str, str], ...] = (
    ("full_name", "họ và tên"),
    ("phone", "số điện thoại"),
    ("birth_year", "năm sinh"),
    ("commune", "mã xã"),
    ("village", "thôn/tổ dân phố"),
    ("team", "tổ CNSCĐ"),
    ("role", "vai trò"),
)
REQUIRED_COLUMNS = ("full_name", "phone", "commune")
LABELS = dict(COLUMNS)
OLDEST_YEAR = 1900
YOUNGEST_AGE = 6
# person_name_clean's refusals, as the import's error codes.
_NAME_ERRORS = {
    "required": "missing_name",
    "too_long": "name_too_long",
    "control_character": "control_character",
}
# Spacing a spreadsheet cell may hold; any other control character is refused,
# not folded away.
_SPACING = re.compile(r"[ \t\n\r]+")
_COMMUNE_CODE = re.compile(r"\d{5}")
_YEAR = re.compile(r"\d{4}")


class Role(StrEnum):
    LEADER = "leader"
    MEMBER = "member"


class Action(StrEnum):
    CREATE = "create"
    UPDATE = "update"
    UNCHANGED = "unchanged"


ROLE_WORDS = {
    "to truong": Role.LEADER,
    "thanh vien": Role.MEMBER,
}


@dataclass(frozen=True)
class RowError:
    code: str
    column: str = ""
    params: Mapping[str, str | int] = field(default_factory=dict)


@dataclass(frozen=True)
class CommuneInfo:
    code: str
    name: str
    in_scope: bool
    # normalised name or code → village code
    villages: Mapping[str, str] = field(default_factory=dict)
    # normalised team name → TeamInfo (teams of the commune and its villages)
    teams: Mapping[str, "TeamInfo"] = field(default_factory=dict)


@dataclass(frozen=True)
class TeamInfo:
    id: int
    name: str
    unit_code: str  # the commune's or a village's code


@dataclass(frozen=True)
class ExistingAccount:
    full_name: str
    birth_year: int | None
    unit_code: str | None
    learner_type: str
    teams: Mapping[int, str]  # team id → role
    in_scope: bool  # a unit inside the importer's scope (any for a superuser)
    protected: bool  # staff, superuser or an administrator: never by file


@dataclass(frozen=True)
class ParsedRow:
    full_name: str
    phone: str  # E.164
    birth_year: int | None
    unit_code: str  # the village when given, else the commune
    team_id: int | None
    role: Role | None


@dataclass
class RowOutcome:
    number: int  # the row number the spreadsheet shows (header is row 1)
    cells: dict[str, str]
    errors: list[RowError] = field(default_factory=list)
    # Accepted, but written differently from what the file says.
    warnings: list[RowError] = field(default_factory=list)
    parsed: ParsedRow | None = None
    action: Action | None = None

    @property
    def ok(self) -> bool:
        return not self.errors


class HeaderError(ValueError):
    def __init__(self, code: str, **params):
        self.code = code
        self.params = params
        super().__init__(code)


def fold(text: str) -> str:
    """Lower case, single spaces, no diacritics: how names are matched."""
    text = unicodedata.normalize("NFD", " ".join(text.split()).casefold())
    text = "".join(c for c in text if unicodedata.category(c) != "Mn")
    return text.replace("đ", "d")


def header_map(header: Sequence[str]) -> dict[str, int]:
    """Column key → index in the file; raises HeaderError when a required
    column is missing."""
    wanted = {fold(label): key for key, label in COLUMNS}
    found: dict[str, int] = {}
    for index, cell in enumerate(header):
        key = wanted.get(fold(str(cell or "")))
        if key and key not in found:
            found[key] = index
    missing = [
        label for key, label in COLUMNS if key in REQUIRED_COLUMNS and key not in found
    ]
    if missing:
        raise HeaderError("missing_columns", columns=", ".join(missing))
    return found


def _cells(row: Sequence[str], columns: Mapping[str, int]) -> dict[str, str]:
    cells = {}
    for key, _label in COLUMNS:
        index = columns.get(key)
        value = row[index] if index is not None and index < len(row) else ""
        cells[key] = _SPACING.sub(" ", str(value or "")).strip(" ")
    return cells


def _check_controls(cells: Mapping[str, str], errors: list[RowError]) -> None:
    """A control character in any cell (the name's own rule reports it for
    the name); CONTROL_MARK is how read_table shows one it found."""
    for key, value in cells.items():
        if key != "full_name" and (control_character(value) or CONTROL_MARK in value):
            errors.append(_control_error(key))


def _control_error(key: str) -> RowError:
    return RowError("control_character", key, {"column": LABELS[key]})


def _check_name(name: str, errors: list[RowError]) -> str:
    if CONTROL_MARK in name:
        errors.append(_control_error("full_name"))
        return name
    try:
        return person_name_clean(name)
    except ValidationError as exc:
        code = _NAME_ERRORS.get(exc.code, "name_invalid")
        if code == "control_character":
            errors.append(_control_error("full_name"))
        else:
            errors.append(RowError(code, "full_name", {"value": name, "max": NAME_MAX}))
        return name


def _check_year(raw: str, this_year: int, errors: list[RowError]) -> int | None:
    if not raw:
        return None
    if raw.endswith(".0"):  # a spreadsheet number read as text
        raw = raw[:-2]
    if not _YEAR.fullmatch(raw):
        errors.append(RowError("bad_year", "birth_year", {"value": raw}))
        return None
    year = int(raw)
    if not OLDEST_YEAR <= year <= this_year - YOUNGEST_AGE:
        errors.append(
            RowError(
                "year_out_of_range",
                "birth_year",
                {"min": OLDEST_YEAR, "max": this_year - YOUNGEST_AGE},
            )
        )
        return None
    return year


def _check_role(
    raw: str, has_team: bool, errors: list[RowError], warnings: list[RowError]
) -> Role | None:
    if not raw:
        return Role.MEMBER if has_team else None
    role = ROLE_WORDS.get(fold(raw))
    if role is None:
        errors.append(RowError("bad_role", "role", {"value": raw}))
    elif not has_team and role is Role.MEMBER:
        # Clerks write "thành viên" for any participant: with no team to join
        # the person is a plain learner, which the preview says.
        warnings.append(RowError("member_without_team", "role", {"value": raw}))
        return None
    elif not has_team:
        errors.append(RowError("role_without_team", "role", {"value": raw}))
    return role


def _action(parsed: ParsedRow, account: ExistingAccount | None) -> Action:
    if account is None:
        return Action.CREATE
    same = (
        account.full_name == parsed.full_name
        and (parsed.birth_year is None or account.birth_year == parsed.birth_year)
        and account.unit_code == parsed.unit_code
        and (
            parsed.team_id is None
            or (
                account.teams == {parsed.team_id: str(parsed.role)}
                and account.learner_type == "team_member"
            )
        )
    )
    return Action.UNCHANGED if same else Action.UPDATE


def validate_rows(
    rows: Sequence[Sequence[str]],
    *,
    columns: Mapping[str, int],
    communes: Mapping[str, CommuneInfo],
    accounts: Mapping[str, ExistingAccount],
    phone_normalize: Callable[[str], str | None],
    this_year: int,
    first_row_number: int = 2,
) -> list[RowOutcome]:
    """One outcome per non-blank row, in file order."""
    outcomes: list[RowOutcome] = []
    phone_rows: dict[str, int] = {}
    leader_rows: dict[int, int] = {}
    for number, row in enumerate(rows, start=first_row_number):
        cells = _cells(row, columns)
        if not any(cells.values()):
            continue
        outcome = RowOutcome(number=number, cells=cells)
        errors = outcome.errors
        outcomes.append(outcome)

        _check_controls(cells, errors)
        full_name = _check_name(cells["full_name"], errors)
        phone = None
        if not cells["phone"]:
            errors.append(RowError("missing_phone", "phone"))
        else:
            phone = phone_normalize(cells["phone"])
            if phone is None:
                errors.append(RowError("bad_phone", "phone", {"value": cells["phone"]}))
            elif phone in phone_rows:
                errors.append(
                    RowError("duplicate_phone", "phone", {"row": phone_rows[phone]})
                )
            else:
                phone_rows[phone] = number
        year = _check_year(cells["birth_year"], this_year, errors)

        commune = None
        code = cells["commune"]
        if not code:
            errors.append(RowError("missing_commune", "commune"))
        elif not _COMMUNE_CODE.fullmatch(code):
            errors.append(RowError("bad_commune_code", "commune", {"value": code}))
        elif code not in communes:
            errors.append(RowError("unknown_commune", "commune", {"value": code}))
        elif not communes[code].in_scope:
            errors.append(RowError("out_of_scope", "commune", {"value": code}))
        else:
            commune = communes[code]

        unit_code = commune.code if commune else ""
        village = None
        team = None
        if commune and cells["village"]:
            village = commune.villages.get(fold(cells["village"]))
            if village is None:
                errors.append(
                    RowError(
                        "unknown_village",
                        "village",
                        {"value": cells["village"], "commune": commune.name},
                    )
                )
            else:
                unit_code = village
        if commune and cells["team"]:
            team = commune.teams.get(fold(cells["team"]))
            if team is None:
                errors.append(
                    RowError(
                        "unknown_team",
                        "team",
                        {"value": cells["team"], "commune": commune.name},
                    )
                )
            elif village and team.unit_code not in (commune.code, village):
                errors.append(
                    RowError(
                        "team_elsewhere",
                        "team",
                        {"value": team.name, "village": cells["village"]},
                    )
                )
        role = _check_role(cells["role"], bool(cells["team"]), errors, outcome.warnings)
        if role is Role.LEADER and team is not None:
            if team.id in leader_rows:
                errors.append(
                    RowError(
                        "duplicate_leader",
                        "role",
                        {"team": team.name, "row": leader_rows[team.id]},
                    )
                )
            else:
                leader_rows[team.id] = number

        account = accounts.get(phone) if phone else None
        if account is not None and account.protected:
            errors.append(RowError("protected_account", "phone"))
        elif account is not None and not account.in_scope:
            errors.append(RowError("phone_out_of_scope", "phone"))

        if not errors:
            outcome.parsed = ParsedRow(
                full_name=full_name,
                phone=phone,
                birth_year=year,
                unit_code=unit_code,
                team_id=team.id if team else None,
                role=role,
            )
            outcome.action = _action(outcome.parsed, account)
    return outcomes
