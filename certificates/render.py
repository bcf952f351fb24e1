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
    details: str  # completion date: public, on the picture too
    issued_line: str
    signer_title: str
    signer_name: str
    serial_line: str
    verify_line: str
    disclaimer: str
    verify_url: str
    seal_png: bytes | None = None
    score_line: str = ""  # the PDF only: the picture is public, as the page is
    status_mark: str = ""  # "ĐÃ THU HỒI …" across both, unless valid
    # The Vietnamese title under a title in another language.
    source_title: str = ""


@dataclass(frozen=True)
class PngLine:
    text: str
    bold: bool
    size: int
    gap: int  # above the line
    fill: tuple[int, int, int]


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
    if content.source_title:
        y = _centred(c, content.source_title, REGULAR, 12, y - 18, text_w, page_w)
    details = " · ".join(filter(None, (content.score_line, content.details)))
    _centred(c, details, REGULAR, 12, y - 34, text_w, page_w)

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
    if content.status_mark:
        _pdf_status_mark(c, content.status_mark, page_w, page_h)
    c.showPage()
    c.save()
    return out.getvalue()


def _pdf_status_mark(c, mark: str, page_w: float, page_h: float) -> None:
    c.saveState()
    c.translate(page_w / 2, page_h / 2)
    c.rotate(18)
    size = _fit(mark, BOLD, 40, page_w - 120)
    c.setFillColorRGB(*(v / 255 for v in RED))
    c.setStrokeColorRGB(*(v / 255 for v in RED))
    c.setLineWidth(3)
    c.rect(-page_w / 2 + 40, -size, page_w - 80, size * 2.2)
    c.setFont(BOLD, size)
    c.drawCentredString(0, -size / 3, mark)
    c.restoreState()


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


def png_lines(content: CertificateContent) -> list[PngLine]:
    """What the picture says, top down: the PDF's lines without the score."""
    dark = (25, 25, 25)
    return [
        PngLine(content.issuer.upper(), True, 24, 0, dark),
        PngLine(content.heading.upper(), True, 50, 16, BLUE),
        PngLine(content.intro, False, 26, 8, dark),
        PngLine(content.holder_name, True, 48, 4, RED),
        PngLine(content.wording, False, 24, 8, dark),
        PngLine(content.title, True, 32, 0, dark),
        PngLine(content.details, False, 22, 4, dark),
    ]


def png_render(content: CertificateContent) -> bytes:
    """1200 × 630, the size Zalo and Facebook show for a shared link."""
    w, h = 1200, 630
    img = Image.new("RGB", (w, h), "white")
    draw = ImageDraw.Draw(img)
    draw.rectangle((10, 10, w - 11, h - 11), outline=BLUE, width=8)
    qr_size = 300
    text_w, cx = w - qr_size - 120, (w - qr_size - 40) // 2
    y = 48
    for line in png_lines(content):
        y = _pil_centred(
            draw,
            line.text,
            bold=line.bold,
            size=line.size,
            y=y + line.gap,
            width=text_w,
            centre_x=cx,
            fill=line.fill,
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
    if content.status_mark:
        # A solid band across the name and the course, so a thumbnail in a
        # chat cannot pass for valid; the QR code stays readable and leads
        # to the verification page, which says the same.
        draw.rectangle((10, 250, w - qr_size - 60, 380), fill=RED)
        _pil_centred(
            draw,
            content.status_mark,
            bold=True,
            size=48,
            y=290,
            width=text_w,
            centre_x=cx,
            fill=(255, 255, 255),
        )
    out = io.BytesIO()
    img.save(out, format="PNG", optimize=False)
    return out.getvalue()
