"""Hostile files on the image step of "share your initiative": each is refused with a clear, translated message tied
to its field, nothing of it is stored, and everything else the person sent is kept (the other image, the alternative
texts typed)."""

import io
import struct
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from PIL import Image

from participation.submissions.models import Submission
from participation.submissions.services import image_reencode

from .conftest import fill, photo

NOT_AN_IMAGE = "Ce fichier n’est pas une image JPEG, PNG ou WebP, ou il est endommagé."
TOO_MANY_PIXELS = "Cette image compte trop de pixels (40 mégapixels au maximum)."
HIDES_SOMETHING = "Ce fichier cache autre chose qu’une image"


def _chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png(width, height, *, bit_depth=8, colour_type=2, rows=None):
    """A PNG written byte by byte, so that its header can claim any size: `rows` rows of zeros are compressed in
    (all of them by default: a real image; fewer: a header that promises more than the file holds)."""
    channels = {0: 1, 2: 3, 6: 4}[colour_type]
    row = b"\0" + bytes((width * channels * bit_depth + 7) // 8)
    compressor = zlib.compressobj(9)
    data = b"".join(compressor.compress(row) for _ in range(height if rows is None else rows)) + compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, bit_depth, colour_type, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", data) + _chunk(b"IEND", b"")


def _image_bytes(image_format, **options):
    output = io.BytesIO()
    Image.new("RGB", (32, 24), (10, 120, 60)).save(output, format=image_format, **options)
    return output.getvalue()


SVG_WITH_SCRIPT = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    b'<script>alert(document.cookie)</script><rect width="10" height="10"/></svg>'
)

HOSTILE = {
    # 20,000 × 20,000 one-bit pixels: 50 kB on disk, 400 million pixels once decoded.
    "decompression bomb": ("bomb.png", lambda: png(20_000, 20_000, bit_depth=1, colour_type=0), TOO_MANY_PIXELS),
    # Headers that claim huge dimensions over almost no data: beyond Pillow's own limit, and beyond ours only.
    "huge dimensions": ("wide.png", lambda: png(65_000, 65_000, rows=1), TOO_MANY_PIXELS),
    "more than 40 megapixels": ("big.png", lambda: png(9_000, 5_000, rows=1), TOO_MANY_PIXELS),
    "a GIF named .jpg": ("photo.jpg", lambda: _image_bytes("GIF"), NOT_AN_IMAGE),
    "a BMP named .png": ("photo.png", lambda: _image_bytes("BMP"), NOT_AN_IMAGE),
    "an executable named .jpg": ("photo.jpg", lambda: b"MZ\x90\x00" + bytes(200), NOT_AN_IMAGE),
    "a truncated JPEG": ("photo.jpg", lambda: _image_bytes("JPEG")[:300], NOT_AN_IMAGE),
    "an SVG with a script": ("drawing.svg", lambda: SVG_WITH_SCRIPT, HIDES_SOMETHING),
    "an SVG with a script named .png": ("drawing.png", lambda: SVG_WITH_SCRIPT, HIDES_SOMETHING),
    "an HTML page named .webp": ("page.webp", lambda: b"<!doctype html><html><body>hi</body></html>", HIDES_SOMETHING),
    # Polyglots: real images (Pillow opens them) that are also a web page, a script or a PDF.
    "a JPEG with a script in its comment": (
        "photo.jpg",
        lambda: _image_bytes("JPEG", comment=b"<script>alert(1)</script>"),
        HIDES_SOMETHING,
    ),
    "a PNG followed by HTML": (
        "photo.png",
        lambda: _image_bytes("PNG") + b"<html><script>alert(1)</script>",
        HIDES_SOMETHING,
    ),
    "a JPEG that is also a PDF": (
        "photo.jpg",
        lambda: _image_bytes("JPEG") + b"%PDF-1.7\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF",
        HIDES_SOMETHING,
    ),
    "a PHP script behind a GIF header named .png": (
        "shell.png",
        lambda: b"GIF89a<?php system($_GET['c']); ?>",
        HIDES_SOMETHING,
    ),
}


@pytest.mark.parametrize("case", HOSTILE)
def test_a_hostile_file_is_refused_with_a_clear_message_and_nothing_else_is_lost(client, share, case):
    name, content, message = HOSTILE[case]
    fill(client, share, steps=["about", "place", "how", "story"])
    hostile = SimpleUploadedFile(name, content(), content_type="image/jpeg")
    response = client.post(
        share.route_url("step", step="images"),
        {"image_1": hostile, "alt_new_1": "Une photo du « marché »", "image_2": photo(), "alt_new_2": "Le jardin"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'href="#id_image_1"' in html, "the error summary links to the refused file's field"
    assert message in html.split('id="id_image_1_error"', 1)[1][:400], "the message is tied to the field"
    assert 'value="Une photo du « marché »"' in html, "the alternative text typed is shown again"
    submission = Submission.objects.get()
    kept = submission.images.get()
    assert kept.alt_text == "Le jardin", "the other image was stored"
    assert kept.file.url in html
    # The person's other answers are all still there.
    assert submission.data["about"]["title"] == ["Jardin partagé du quartier (démo)"]


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("nl", "Dit bestand verbergt iets anders dan een afbeelding"),
        ("en", "This file hides something else than an image"),
    ],
)
def test_the_refusal_is_in_the_language_of_the_form(language, expected):
    with translation.override(language), pytest.raises(ValidationError) as refused:
        image_reencode(SimpleUploadedFile("x.png", SVG_WITH_SCRIPT))
    assert expected in refused.value.messages[0]
