from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from courses.demo import (
    SeedCounts,
    course_definitions_load,
    demo_catalog_seed,
    demo_glossary_seed,
)
from courses.demo_media import demo_media_seed
from courses.demo_translations import demo_translations_seed
from courses.models import CatalogPage, CoursePage
from hocvuso.core.demo import (
    DEMO_PASSWORD,
    DEMO_PROVINCE,
    demo_accounts_seed,
    demo_privacy_notice_seed,
    demo_site_seed,
    demo_villages_seed,
)
from hocvuso.core.demo_story import demo_story_seed
from hocvuso.province_sites.demo import demo_province_sites_seed
from hocvuso.reports import maintained
from quizzes.demo import demo_quizzes_seed
from quizzes.demo_translations import demo_quiz_translations_seed


class Command(BaseCommand):
    help = "Tạo nội dung và tài khoản mẫu (chạy lại không thay đổi gì)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Cho phép chạy khi DEBUG tắt (không dùng cho hệ thống thật).",
        )
        parser.add_argument(
            "--no-story",
            action="store_true",
            help="Không tạo tổ, giao khóa học, chỉ tiêu và tiến độ học mẫu "
            "(kiểm thử cần đơn vị trống).",
        )
        parser.add_argument(
            "--no-media",
            action="store_true",
            help="Không tạo video và âm thanh mẫu (nhanh hơn, dùng trong kiểm thử).",
        )

    @staticmethod
    def _summary(counts) -> str:
        return (
            f"tạo mới {counts.created}, cập nhật {counts.updated}, "
            f"không đổi {counts.unchanged}, gỡ bỏ {counts.retired}"
        )

    def handle(self, *args, **options):
        if not settings.DEBUG and not options["allow_production"]:
            raise CommandError(
                "seed_demo tạo tài khoản có mật khẩu công khai; chỉ chạy ở môi trường thử."
            )
        self.stdout.write("1/5 Danh mục đơn vị hành chính…")
        call_command("import_units", province=[DEMO_PROVINCE], stdout=self.stdout)
        villages = demo_villages_seed()
        self.stdout.write("2/5 Trang chủ và thông báo dữ liệu cá nhân…")
        home = demo_site_seed()
        demo_privacy_notice_seed()
        self.stdout.write("3/5 Khóa học…")
        counts = demo_catalog_seed(home=home, courses=course_definitions_load())
        self.stdout.write(f"    trang và ảnh bìa: {self._summary(counts)}")
        glossary = demo_glossary_seed(catalog=CatalogPage.objects.get())
        self.stdout.write(f"    thuật ngữ: {self._summary(glossary)}")
        quizzes = demo_quizzes_seed()
        self.stdout.write(f"    bài kiểm tra và câu hỏi: {self._summary(quizzes)}")
        if not options["no_media"]:
            self.stdout.write("    video và âm thanh mẫu (ffmpeg, espeak-ng)…")
            # The shared courses: a province's own course has no demo media.
            courses = list(
                CoursePage.objects.live()
                .filter(owner_site__isnull=True)
                .order_by("topic_number")
            )
            media = demo_media_seed(courses=courses)
            self.stdout.write(f"    video và âm thanh: {self._summary(media)}")
        # After the media: they add blocks to lessons, which the key facts'
        # translations are matched to.
        translations = demo_translations_seed()
        translations.add(demo_quiz_translations_seed())
        self.stdout.write(f"    bản dịch mẫu: {self._summary(translations)}")
        self.stdout.write("4/5 Tài khoản mẫu…")
        accounts = SeedCounts()
        users = demo_accounts_seed(village=villages[0], counts=accounts)
        self.stdout.write(f"    tài khoản: {self._summary(accounts)}")
        site = demo_province_sites_seed(
            first_province=DEMO_PROVINCE, password=DEMO_PASSWORD
        )
        self.stdout.write(f"    trang của tỉnh thứ hai: {site.hostname}")
        if not options["no_story"]:
            self.stdout.write(
                "5/5 Tổ, giao khóa học, chỉ tiêu, cộng giờ và tiến độ học mẫu…"
            )
            story = demo_story_seed(villages=villages)
            self.stdout.write(f"    số liệu mẫu: {self._summary(story)}")
        # The demo accounts are written straight to the table: the report's
        # maintained figures take them in (a no-op when already counted).
        maintained.backfill()
        names = ", ".join(u.username for u in users)
        self.stdout.write(
            self.style.SUCCESS(
                f"Xong. Tài khoản mẫu: {names} (mật khẩu {DEMO_PASSWORD})."
            )
        )
