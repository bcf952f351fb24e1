"""Draw a certificate: an A4 landscape PDF (reportlab) and a PNG preview for
Zalo or Facebook (Pillow), both with a QR code of the verification URL.

Plain data in, bytes out; no Django, so the benchmark and the tests call it
directly. DejaVu Sans (Debian's fonts-dejavu-core) is embedded, so every
Vietnamese diacritic is drawn and extracted (pdftotext) exactly."""

import io
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import segno
from PIL import Image, ImageDraw, ImageFont
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.utils import ImageReader, simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
REGULAR, BOLD = "DejaVuSans", "DejaVuSans-Bold"
BLUE = (11, 83, 148)
RED = (190, 30, 45)


@dataclass(frozen=True)
class CertificateContent:
    issuer: str
    heading: str
    intro: str  # "Chứng nhận"
    holder_name: str
    wording: str
    title: str
    details: str  # score and completion date
    issued_line: str
    signer_title: str
    signer_name: str
    serial_line: str
    verify_line: str
    disclaimer: str
    verify_url: str
    seal_png: bytes | None = None


@lru_cache(maxsize=1)
def _fonts_registered() -> bool:
    pdfmetrics.registerFont(TTFont(REGULAR, str(FONT_DIR / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont(BOLD, str(FONT_DIR / "DejaVuSans-Bold.ttf")))
    return True


def qr_png(url: str, *, scale: int) -> bytes:
    out = io.BytesIO()
    segno.make(url, error="m").save(out, kind="png", scale=scale, border=4)
    return out.getvalue()


@lru_cache(maxsize=1)
def default_seal_png() -> bytes:
    """A red round emblem drawn here, so nothing is downloaded or shipped."""
    size = 400
    img = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(img)
    draw.ellipse((8, 8, size - 8, size - 8), outline=RED + (210,), width=14)
    draw.ellipse((44, 44, size - 44, size - 44), outline=RED + (210,), width=5)
    cx = cy = size / 2
    points = []
    for i in range(10):
        radius = 95 if i % 2 == 0 else 38
        angle = math.pi / 2 + i * math.pi / 5
        points.append((cx + radius * math.cos(angle), cy - radius * math.sin(angle)))
    draw.polygon(points, fill=RED + (210,))
    out = io.BytesIO()
    img.save(out, format="PNG")
    return out.getvalue()


def _fit(text: str, font: str, size: float, width: float, minimum: float = 11):
    while size > minimum and pdfmetrics.stringWidth(text, font, size) > width:
        size -= 1
    return size


def _centred(c, text, font, size, y, width, page_w):
    size = _fit(text, font, size, width)
    lines = simpleSplit(text, font, size, width)
    for i, line in enumerate(lines[:2]):
        c.setFont(font, size)
        c.drawCentredString(page_w / 2, y - i * size * 1.25, line)
    return y - (len(lines[:2]) - 1) * size * 1.25


def pdf_render(content: CertificateContent) -> bytes:
    _fonts_registered()
    out = io.BytesIO()
    page_w, page_h = landscape(A4)
    c = canvas.Canvas(out, pagesize=(page_w, page_h), invariant=1)
    c.setTitle(f"{content.heading} — {content.holder_name}")
    c.setAuthor(content.issuer)
    c.setStrokeColorRGB(*(v / 255 for v in BLUE))
    c.setLineWidth(4)
    c.rect(22, 22, page_w - 44, page_h - 44)
    c.setLineWidth(1)
    c.rect(32, 32, page_w - 64, page_h - 64)
    text_w = page_w - 160

    c.setFillColorRGB(0.1, 0.1, 0.1)
    _centred(c, content.issuer.upper(), BOLD, 14, page_h - 80, text_w, page_w)
    c.setFillColorRGB(*(v / 255 for v in BLUE))
    _centred(c, content.heading.upper(), BOLD, 34, page_h - 140, text_w, page_w)
    c.setFillColorRGB(0.1, 0.1, 0.1)
    _centred(c, content.intro, REGULAR, 14, page_h - 180, text_w, page_w)
    c.setFillColorRGB(*(v / 255 for v in RED))
    _centred(c, content.holder_name, BOLD, 30, page_h - 222, text_w, page_w)
    c.setFillColorRGB(0.1, 0.1, 0.1)
    _centred(c, content.wording, REGULAR, 14, page_h - 258, text_w, page_w)
    y = _centred(c, content.title, BOLD, 20, page_h - 290, text_w, page_w)
    _centred(c, content.details, REGULAR, 12, y - 34, text_w, page_w)

    qr = 112
    c.drawImage(
        ImageReader(io.BytesIO(qr_png(content.verify_url, scale=6))), 60, 70, qr, qr
    )
    c.setFont(REGULAR, 9)
    c.drawString(60, 58, content.serial_line)
    c.setFont(REGULAR, 7.5)
    c.drawString(60, 46, content.verify_line)

    right = page_w - 190
    seal = content.seal_png or default_seal_png()
    c.drawImage(ImageReader(io.BytesIO(seal)), right - 60, 62, 120, 120, mask="auto")
    c.setFont(REGULAR, 11)
    c.drawCentredString(right, 200, content.issued_line)
    c.setFont(BOLD, 12)
    c.drawCentredString(right, 184, content.signer_title.upper())
    c.setFont(BOLD, 13)
    c.drawCentredString(right, 52, content.signer_name)
    c.setFont(REGULAR, 7.5)
    c.setFillColorRGB(0.35, 0.35, 0.35)
    c.drawCentredString(page_w / 2, 38, content.disclaimer)
    c.showPage()
    c.save()
    return out.getvalue()


@lru_cache(maxsize=16)
def _pil_font(bold: bool, size: int):
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    return ImageFont.truetype(str(FONT_DIR / name), size)


def _pil_centred(draw, text, *, bold, size, y, width, centre_x, fill):
    while size > 14 and draw.textlength(text, font=_pil_font(bold, size)) > width:
        size -= 2
    font = _pil_font(bold, size)
    draw.text((centre_x, y), text, font=font, fill=fill, anchor="mt")
    return y + size + 14


def png_render(content: CertificateContent) -> bytes:
    """1200 × 630, the size Zalo and Facebook show for a shared link."""
    w, h = 1200, 630
    img = Image.new("RGB", (w, h), "white")
    draw = ImageDraw.Draw(img)
    draw.rectangle((10, 10, w - 11, h - 11), outline=BLUE, width=8)
    qr_size = 300
    text_w, cx = w - qr_size - 120, (w - qr_size - 40) // 2
    dark = (25, 25, 25)
    # (text, bold, size, gap above, colour): the PDF's lines, top down.
    lines = [
        (content.issuer.upper(), True, 24, 0, dark),
        (content.heading.upper(), True, 50, 16, BLUE),
        (content.intro, False, 26, 8, dark),
        (content.holder_name, True, 48, 4, RED),
        (content.wording, False, 24, 8, dark),
        (content.title, True, 32, 0, dark),
        (content.details, False, 22, 4, dark),
    ]
    y = 48
    for text, bold, size, gap, fill in lines:
        y = _pil_centred(
            draw,
            text,
            bold=bold,
            size=size,
            y=y + gap,
            width=text_w,
            centre_x=cx,
            fill=fill,
        )
    _pil_centred(
        draw,
        content.serial_line,
        bold=False,
        size=20,
        y=h - 70,
        width=text_w,
        centre_x=cx,
        fill=(90, 90, 90),
    )
    qr = Image.open(io.BytesIO(qr_png(content.verify_url, scale=8))).convert("RGB")
    qr = qr.resize((qr_size, qr_size), Image.NEAREST)
    img.paste(qr, (w - qr_size - 50, (h - qr_size) // 2))
    out = io.BytesIO()
    img.save(out, format="PNG", optimize=False)
    return out.getvalue()
