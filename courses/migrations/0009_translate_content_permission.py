from django.db import migrations


class Migration(migrations.Migration):
    # The translators' group holding the permission is made after every
    # migrate (courses/translators.py).
    dependencies = [("courses", "0008_content_translations")]

    operations = [
        migrations.AlterModelOptions(
            name="pagetranslation",
            options={
                "permissions": [("translate_content", "Dịch nội dung khóa học")],
                "verbose_name": "bản dịch trang",
                "verbose_name_plural": "bản dịch trang",
            },
        ),
    ]
