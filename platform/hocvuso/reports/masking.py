"""Who sees a learner's full phone number. Plain Python."""

from __future__ import annotations


def phone_masked(phone: str) -> str:
    """+84912345678 → "+84 91x xxx x78": enough to recognise, not to call."""
    if not phone:
        return ""
    if phone.startswith("+84") and len(phone) >= 8:
        rest = phone[3:]
        hidden = rest[2:-2]
        masked = rest[:2] + "x" * len(hidden) + rest[-2:]
        groups = [masked[:3], masked[3:6], masked[6:]]
        return "+84 " + " ".join(g for g in groups if g)
    return phone[:2] + "x" * max(len(phone) - 4, 0) + phone[-2:]


def phone_visible_prefixes(*, admin_paths, steplen: int) -> list[str]:
    """The unit paths under which the viewer sees full numbers: those of their
    roles on a commune or a village (never a province). `admin_paths` are the
    paths of the viewer's role units."""
    return [path for path in admin_paths if len(path) >= 2 * steplen]


def phone_visible(*, phone: str, learner_unit_path: str, admin_paths, steplen: int):
    """The full number for a learner under one of the viewer's commune or
    village roles; the masked number for everyone else (a province admin
    included). The learner search matches numbers under the same rule."""
    prefixes = phone_visible_prefixes(admin_paths=admin_paths, steplen=steplen)
    if any(learner_unit_path.startswith(p) for p in prefixes):
        return phone
    return phone_masked(phone)
