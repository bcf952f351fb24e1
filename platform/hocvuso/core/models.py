from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page

from courses.page_mixins import (
    AsciiSlugMixin,
    SingleQueryViewRestrictionsMixin,
    UrlPathRoutingMixin,
)


class HomePage(
    AsciiSlugMixin, UrlPathRoutingMixin, SingleQueryViewRestrictionsMixin, Page
):
    intro = RichTextField(_("giới thiệu"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["courses.CatalogPage"]
    max_count = 1

    class Meta:
        verbose_name = _("trang chủ")

    def get_context(self, request, *args, **kwargs):
        from courses.course_sites import request_site_id
        from courses.models import CatalogPage
        from courses.selectors import catalog_get, continue_learning_get
        from hocvuso.campaigns.selectors import campaigns_for_learner

        context = super().get_context(request, *args, **kwargs)
        catalog_page = CatalogPage.objects.live().child_of(self).first()
        context["catalog_page"] = catalog_page
        site_id = request_site_id(request)
        context["catalog"] = (
            catalog_get(catalog=catalog_page, user=request.user, site_id=site_id)
            if catalog_page
            else None
        )
        context["continue_progress"] = continue_learning_get(
            user=request.user, site_id=site_id
        )
        context["campaigns"] = campaigns_for_learner(
            user=request.user, today=timezone.localdate()
        )
        return context
