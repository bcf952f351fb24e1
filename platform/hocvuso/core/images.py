"""Every image an editor uploads (add, multiple add, the choosers, the
certificate seal) goes through this form, set as WAGTAILIMAGES_IMAGE_FORM_BASE.

The header's size is checked before a pixel is decoded, then the image is
decoded and encoded again, so what is stored is only pixels: bytes after the
image (an HTML page glued to a PNG) are gone."""

import io

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError
from wagtail.images.fields import WagtailImageField
from wagtail.images.forms import BaseImageForm

ANIMATED = {"GIF", "WEBP"}


def _too_many_pixels() -> ValidationError:
    return ValidationError(
        _("Ảnh có quá nhiều điểm ảnh; tối đa %(max)s triệu điểm ảnh.")
        % {"max": settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS // 1_000_000},
        code="file_too_many_pixels",
    )


def image_reencode(upload) -> SimpleUploadedFile:
    """The upload's pixels in a new file of the same format and name."""
    upload.seek(0)
    try:
        with Image.open(upload) as image:
            width, height = image.size
            frames = getattr(image, "n_frames", 1)
            if width * height * frames > settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS:
                raise _too_many_pixels()
            image.load()
            out = io.BytesIO()
            if image.format in ANIMATED and frames > 1:
                image.save(out, format=image.format, save_all=True)
            else:
                image.save(out, format=image.format)
            content_type = Image.MIME.get(image.format, "application/octet-stream")
    except Image.DecompressionBombError as exc:
        raise _too_many_pixels() from exc
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as exc:
        raise _invalid_image() from exc
    return SimpleUploadedFile(upload.name, out.getvalue(), content_type)


def _invalid_image() -> ValidationError:
    return ValidationError(
        _(
            "Tệp ảnh bị hỏng hoặc không phải ảnh. Hãy tải lên ảnh JPG, PNG, GIF hoặc WebP."
        ),
        code="invalid_image",
    )


class SafeImageField(WagtailImageField):
    """Wagtail's checks, but a file Pillow cannot read after Willow could (a
    cut-off PNG) is a form error, not an exception."""

    def to_python(self, data):
        try:
            return super().to_python(data)
        except ValidationError:
            raise
        except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as exc:
            raise _invalid_image() from exc


class SafeImageForm(BaseImageForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Wagtail builds the file field itself (wagtail.images.forms.
        # formfield_for_dbfield, no hook); declaring one here would also put it
        # in the multiple uploader's edit form, which leaves the file out.
        if "file" in self.fields:
            self.fields["file"].__class__ = SafeImageField

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        # An edit that keeps the stored file gives the stored file back.
        if upload is None or not hasattr(upload, "image"):
            return upload
        return image_reencode(upload)
