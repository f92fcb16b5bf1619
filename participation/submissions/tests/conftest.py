import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from conftest import fresh
from participation.core.models import Commune, OrganiserType, ParticipationLevel, Theme
from participation.submissions import demo
from participation.submissions.models import SharePage


@pytest.fixture(scope="module")
def module_share(module_homes):
    demo.load(stdout=io.StringIO())
    return SharePage.objects.get(locale__language_code="fr")


@pytest.fixture
def share(module_share, db):
    return fresh(module_share)


def photo(name="photo.jpg", image_format="JPEG", size=(64, 48), gps=True):
    """A real image file; a JPEG carries EXIF with a camera model and GPS coordinates, as phones write them."""
    image = Image.new("RGB", size, (200, 30, 30))
    output = io.BytesIO()
    options = {}
    if gps and image_format in ("JPEG", "WEBP"):
        exif = Image.Exif()
        exif[0x0110] = "Demo camera"  # Model
        exif[0x8825] = {1: "N", 2: (50.0, 50.0, 0.0), 3: "E", 4: (4.0, 21.0, 0.0)}  # GPS IFD
        options["exif"] = exif
    image.save(output, format=image_format, **options)
    return SimpleUploadedFile(name, output.getvalue(), content_type=f"image/{image_format.lower()}")


def answers():
    """Valid answers for every step (except images), as a browser would post them."""
    commune = Commune.objects.get(key="ixelles", locale__language_code="fr")
    return {
        "about": {
            "title": "Jardin partagé du quartier (démo)",
            "summary": "Des habitants ont conçu ensemble un jardin partagé.",
            "organisers": "Collectif du quartier",
            "organiser_type": OrganiserType.objects.filter(locale__language_code="fr").first().pk,
            "organiser_scope": "municipal",
            "start_date": "2024-03-01",
            "end_date": "2024-09-30",
            "status": "finished",
        },
        "place": {"communes": [commune.pk], "latitude": "50.827000", "longitude": "4.372000"},
        "how": {
            "themes": [Theme.objects.filter(locale__language_code="fr").first().pk],
            "participation_level": ParticipationLevel.objects.filter(locale__language_code="fr").first().pk,
            "process_languages": ["fr", "nl"],
        },
        "story": {
            "problems_objectives": "Un terrain vague à transformer avec les habitants.",
            "links": "https://example.org/jardin",
        },
        "images": {},
        "contact": {
            "contact_name": "Alex Demo",
            "contact_email": "alex@example.org",
            "contact_organisation": "Collectif",
            "consent": "on",
        },
    }


def fill(client, share, steps=None, overrides=None):
    """Post every step's answers; return the last response."""
    data = answers()
    for step, values in (overrides or {}).items():
        data[step] = {**data[step], **values}
    response = None
    for step in steps or data:
        response = client.post(share.route_url("step", step=step), data[step])
        assert response.status_code == 302, (step, response.content.decode()[:3000])
    return response
