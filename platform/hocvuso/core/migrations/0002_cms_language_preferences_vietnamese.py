"""Editors who picked English in the CMS's account page while it was offered
get the CMS in Vietnamese again: WAGTAILADMIN_PERMITTED_LANGUAGES is Vietnamese
only now, but Wagtail applies a stored preference as it is (issue 24, item 10)."""

from django.db import migrations


def preferences_clear(apps, schema_editor):
    UserProfile = apps.get_model("wagtailusers", "UserProfile")
    UserProfile.objects.exclude(preferred_language__in=["", "vi"]).update(
        preferred_language=""
    )


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_initial"),
        ("wagtailusers", "0015_userprofile_keyboard_shortcuts"),
    ]

    operations = [
        migrations.RunPython(preferences_clear, migrations.RunPython.noop),
    ]
