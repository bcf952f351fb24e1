from django.db import migrations

TRANSLATORS_GROUP = "Người dịch"


def translators_group(apps, schema_editor):
    """The group a superuser adds translators to: into the CMS, and to its
    "Bản dịch" screens only. The permission is made here, as post_migrate
    would make it only after this migration."""
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    translation_type, _created = ContentType.objects.get_or_create(
        app_label="courses", model="pagetranslation"
    )
    translate, _created = Permission.objects.get_or_create(
        content_type=translation_type,
        codename="translate_content",
        defaults={"name": "Dịch nội dung khóa học"},
    )
    access = Permission.objects.get(
        content_type__app_label="wagtailadmin", codename="access_admin"
    )
    group, _created = Group.objects.get_or_create(name=TRANSLATORS_GROUP)
    group.permissions.add(translate, access)


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0008_content_translations"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="pagetranslation",
            options={
                "permissions": [("translate_content", "Dịch nội dung khóa học")],
                "verbose_name": "bản dịch trang",
                "verbose_name_plural": "bản dịch trang",
            },
        ),
        migrations.RunPython(translators_group, migrations.RunPython.noop),
    ]
