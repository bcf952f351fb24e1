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


def phone_visible(*, phone: str, learner_unit_path: str, admin_paths, steplen: int):
    """The full number for admins whose role is on the learner's own commune
    or one of its villages; the masked number for everyone else (a province
    admin included). `admin_paths` are the paths of the viewer's role units."""
    commune_path = learner_unit_path[: 2 * steplen]
    for path in admin_paths:
        own_commune = path == commune_path
        own_village = len(path) > 2 * steplen and learner_unit_path.startswith(path)
        if own_commune or own_village:
            return phone
    return phone_masked(phone)
