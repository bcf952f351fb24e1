"""Course cover images drawn with Pillow: no stock photos to license or download."""

import io
import textwrap
from functools import cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

WIDTH, HEIGHT = 960, 540
# DejaVu covers every Vietnamese letter; Pillow's own default font is the
# fallback so a machine without it still gets a cover.
_FONT_DIRS = [Path("/usr/share/fonts/truetype/dejavu")]


@cache
def _font(
    size: int, bold: bool = False
) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    for folder in _FONT_DIRS:
        if (folder / name).exists():
            return ImageFont.truetype(str(folder / name), size)
    return ImageFont.load_default(size)


def _hex_to_rgb(color: str) -> tuple[int, int, int]:
    color = color.lstrip("#")
    return int(color[0:2], 16), int(color[2:4], 16), int(color[4:6], 16)


def cover_png(*, topic: int, title: str, label: str, color: str) -> bytes:
    base = _hex_to_rgb(color)
    image = Image.new("RGB", (WIDTH, HEIGHT), base)
    draw = ImageDraw.Draw(image)
    lighter = tuple(min(255, c + 40) for c in base)
    draw.ellipse((WIDTH - 420, -160, WIDTH + 160, 420), fill=lighter)
    draw.rounded_rectangle((56, 56, 56 + 220, 56 + 220), radius=36, fill="white")
    label_font = _font(84, bold=True)
    box = draw.textbbox((0, 0), label, font=label_font)
    draw.text(
        (
            56 + (220 - (box[2] - box[0])) / 2 - box[0],
            56 + (220 - (box[3] - box[1])) / 2 - box[1],
        ),
        label,
        font=label_font,
        fill=base,
    )
    draw.text((56, 310), f"Chuyên đề {topic}", font=_font(36), fill="white")
    y = 360
    for line in textwrap.wrap(title, width=34)[:3]:
        draw.text((56, y), line, font=_font(44, bold=True), fill="white")
        y += 56
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()
