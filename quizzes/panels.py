"""An editor-facing warning in the quiz editor."""

from django.utils.html import format_html
from django.utils.translation import gettext as _
from wagtail.admin.panels import HelpPanel

from .bank import bank_get, draw_pool_size

# With fewer questions than this many times the draw, the attempts of one
# learner overlap so much that the second can be passed from the first.
BANK_MULTIPLE = 3


class BankSizePanel(HelpPanel):
    """Warns when the bank is too small for the draw (as last saved)."""

    class BoundPanel(HelpPanel.BoundPanel):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.content = self._warning()

        def _warning(self) -> str:
            quiz = self.instance
            course = getattr(self.form, "parent_page", None)
            if course is None or not quiz.question_count:
                return ""
            need = BANK_MULTIPLE * quiz.question_count
            size = draw_pool_size(bank_get(course_id=course.pk), tags=quiz.tags)
            if size >= need:
                return ""
            return format_html(
                '<div class="help-block help-warning"><p>{}</p></div>',
                _(
                    "Ngân hàng có %(size)d câu hỏi cho %(draw)d câu mỗi lượt: nên "
                    "có ít nhất %(need)d câu (gấp ba), nếu không lượt sau có thể "
                    "đạt nhờ nhớ đáp án của lượt trước."
                )
                % {"size": size, "draw": quiz.question_count, "need": need},
            )

        def is_shown(self) -> bool:
            return bool(self.content)
