"""The public form: steps, errors that lose nothing, images, the map position, save and resume, confirmation."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.translation import gettext
from PIL import Image

from participation.core.mail import mail_deliver
from participation.core.tests.html import elements
from participation.initiatives.models import Initiative
from participation.submissions.models import Submission, SubmissionState
from participation.submissions.services import image_reencode
from participation.submissions.tests.conftest import answers, fill, photo

pytestmark = pytest.mark.django_db


def link_in(message):
    return re.search(r"http://testserver(\S+)", message.body).group(1)


def test_share_page_is_in_the_main_navigation_and_starts_the_form(client, share):
    response = client.get(share.url)
    assert response.status_code == 200
    html = response.content.decode()
    assert elements(html, "a", href=share.route_url("start"))
    assert f'href="{share.url}"' in client.get("/fr/").content.decode()


def test_step_with_errors_keeps_every_value_and_links_each_error(client, share):
    url = share.route_url("step", step="about")
    data = {**answers()["about"], "title": "", "end_date": "2024-01-01"}
    response = client.post(url, data)
    assert response.status_code == 200
    html = response.content.decode()
    summary = elements(html, "div", id="error-summary")
    assert summary, "the error summary is shown"
    assert 'href="#id_title"' in html and 'href="#id_end_date"' in html
    assert 'value="Collectif du quartier"' in html
    assert "Des habitants ont conçu ensemble un jardin partagé." in html
    assert 'aria-invalid="true"' in html
    # What was typed is stored: coming back to the step shows it again, with its errors.
    again = client.get(url).content.decode()
    assert 'value="Collectif du quartier"' in again and 'href="#id_title"' in again


def test_steps_cannot_be_skipped(client, share):
    response = client.get(share.route_url("step", step="contact"))
    assert response.status_code == 302
    assert response["Location"] == share.route_url("step", step="about")


def test_point_outside_brussels_is_refused_with_a_clear_message(client, share):
    fill(client, share, steps=["about"])
    data = {**answers()["place"], "latitude": "51.200000", "longitude": "4.400000"}
    response = client.post(share.route_url("step", step="place"), data)
    assert response.status_code == 200
    with translation.override("fr"):
        message = gettext(
            "This point is outside the Brussels-Capital Region. "
            "Move the pin or check the coordinates (latitude first, then longitude)."
        )
    assert escape(message) in response.content.decode()
    assert 'value="51.200000"' in response.content.decode()


def test_an_address_without_coordinates_places_the_initiative_at_its_commune(
    client, share, settings, django_capture_on_commit_callbacks
):
    settings.SUBMISSIONS_MIN_SECONDS = 0
    fill(client, share, overrides={"place": {"latitude": "", "longitude": "", "address": "Place Flagey 18"}})
    with django_capture_on_commit_callbacks(execute=True):
        client.post(share.route_url("step", step="review"))
    with django_capture_on_commit_callbacks(execute=True):
        client.get(link_in(mail.outbox[0]))
    initiative = Initiative.objects.get()
    commune = initiative.communes.get()
    assert (initiative.latitude, initiative.longitude) == (Decimal(commune.latitude), Decimal(commune.longitude))


def test_neither_address_nor_coordinates_is_an_error(client, share):
    fill(client, share, steps=["about"])
    data = {**answers()["place"], "latitude": "", "longitude": ""}
    response = client.post(share.route_url("step", step="place"), data)
    assert response.status_code == 200
    assert 'href="#id_address"' in response.content.decode()


def test_uploaded_image_is_kept_when_its_alternative_text_is_missing(client, share):
    fill(client, share, steps=["about", "place", "how", "story"])
    url = share.route_url("step", step="images")
    response = client.post(url, {"image_1": photo(), "alt_new_1": ""})
    assert response.status_code == 200
    submission = Submission.objects.get()
    image = submission.images.get()
    html = response.content.decode()
    assert f'href="#id_alt_{image.pk}"' in html, "the error links to the kept image's alternative text"
    assert image.file.url in html, "the uploaded image is shown again"
    response = client.post(url, {f"alt_{image.pk}": "Des bacs de plantes au soleil"})
    assert response.status_code == 302
    image.refresh_from_db()
    assert image.alt_text == "Des bacs de plantes au soleil"


def test_a_file_that_is_not_an_image_is_refused_and_the_other_values_kept(client, share):
    fill(client, share, steps=["about", "place", "how", "story"])
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("photo.jpg", b"not an image at all", content_type="image/jpeg")
    response = client.post(
        share.route_url("step", step="images"),
        {"image_1": fake, "alt_new_1": "Une photo", "image_2": photo(), "alt_new_2": "Le jardin"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'href="#id_image_1"' in html
    assert 'value="Une photo"' in html
    assert Submission.objects.get().images.get().alt_text == "Le jardin"


def test_at_most_five_images(client, share):
    fill(client, share, steps=["about", "place", "how", "story"])
    url = share.route_url("step", step="images")
    client.post(
        url,
        {f"image_{n}": photo(f"p{n}.jpg") for n in range(1, 6)} | {f"alt_new_{n}": f"Photo {n}" for n in range(1, 6)},
    )
    submission = Submission.objects.get()
    assert submission.images.count() == 5
    html = client.get(url).content.decode()
    assert 'name="image_1"' not in html, "no upload slot is left"


@pytest.mark.parametrize("image_format", ["JPEG", "PNG", "WEBP"])
def test_images_are_re_encoded_without_metadata(image_format):
    original = photo(name=f"p.{image_format.lower()}", image_format=image_format)
    if image_format == "JPEG":
        assert Image.open(original).getexif(), "the test image does carry EXIF"
    cleaned = image_reencode(original)
    with Image.open(cleaned) as image:
        assert image.format == image_format
        assert not image.getexif()
        assert "exif" not in image.info
        assert image.size == (64, 48)


def test_save_for_later_sends_a_link_that_resumes_on_another_device(client, share, django_capture_on_commit_callbacks):
    fill(client, share, steps=["about"])
    client.post(share.route_url("step", step="place"), {**answers()["place"], "action": "save"})
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(share.route_url("save"), {"email": "alex@example.org"})
    assert response.status_code == 200
    assert mail.outbox[0].to == ["alex@example.org"]
    from django.test import Client

    other = Client()
    response = other.get(link_in(mail.outbox[0]))
    assert response.status_code == 302
    assert response["Location"] == share.route_url("step", step="how")
    assert "Jardin partagé du quartier" in other.get(share.route_url("step", step="about")).content.decode()


def test_a_bad_resume_link_says_so(client, share):
    response = client.get(share.route_url("resume") + "?token=forged")
    assert response.status_code == 400
    with translation.override("fr"):
        assert escape(gettext("This link does not work")) in response.content.decode()


def test_submission_is_stored_then_confirmed_then_queued(client, share, settings, django_capture_on_commit_callbacks):
    settings.SUBMISSIONS_MIN_SECONDS = 0
    fill(client, share)
    client.post(share.route_url("step", step="images"), {"image_1": photo(), "alt_new_1": "Le jardin"})
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(share.route_url("step", step="review"))
    assert response["Location"] == share.route_url("sent")
    submission = Submission.objects.get()
    assert submission.state == SubmissionState.UNCONFIRMED
    assert submission.contact_email == "alex@example.org"
    assert not Initiative.objects.exists(), "nothing reaches moderation before the address is confirmed"
    assert [m.to for m in mail.outbox] == [["alex@example.org"]]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(link_in(mail.outbox[0]))
    assert response.status_code == 200
    submission.refresh_from_db()
    assert submission.state == SubmissionState.PENDING
    initiative = submission.initiative
    assert not initiative.live
    assert initiative.text("fr").title == "Jardin partagé du quartier (démo)"
    assert initiative.contact_email == "alex@example.org"
    assert initiative.images.get().alt_text == "Le jardin"
    assert [link.url for link in initiative.links.all()] == ["https://example.org/jardin"]
    assert sorted(initiative.process_languages) == ["fr", "nl"]
    recipients = [m.to for m in mail.outbox]
    assert recipients == [["alex@example.org"], ["alex@example.org"], [settings.SUBMISSIONS_MODERATORS_EMAIL]]
    # The link works once: confirming again changes nothing and sends nothing.
    with django_capture_on_commit_callbacks(execute=True):
        client.get(link_in(mail.outbox[0]))
    assert len(mail.outbox) == 3
    assert Initiative.objects.count() == 1


def test_an_expired_confirmation_link_offers_a_new_one(client, share, settings, django_capture_on_commit_callbacks):
    settings.SUBMISSIONS_MIN_SECONDS = 0
    fill(client, share)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(share.route_url("step", step="review"))
    settings.SUBMISSIONS_LINK_DAYS = -1
    link = link_in(mail.outbox[0])
    response = client.get(link)
    assert response.status_code == 400
    assert Submission.objects.get().state == SubmissionState.UNCONFIRMED
    with django_capture_on_commit_callbacks(execute=True):
        client.post(link)
    assert len(mail.outbox) == 2
    settings.SUBMISSIONS_LINK_DAYS = 7
    with django_capture_on_commit_callbacks(execute=True):
        client.get(link_in(mail.outbox[1]))
    assert Submission.objects.get().state == SubmissionState.PENDING


@pytest.mark.parametrize("language", ["fr", "nl", "en"])
def test_emails_are_in_the_language_of_the_form(client, share, settings, language, django_capture_on_commit_callbacks):
    settings.SUBMISSIONS_MIN_SECONDS = 0
    page = share.get_translation(share.locale.__class__.objects.get(language_code=language))
    fill(client, page)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(page.route_url("step", step="review"))
    with django_capture_on_commit_callbacks(execute=True):
        client.get(link_in(mail.outbox[0]))
    english = ("Confirm your email address to share your initiative", "We received your initiative")
    with translation.override(language):
        expected = [gettext(subject) for subject in english]
    assert [message.subject for message in mail.outbox[:2]] == expected
    assert language == "en" or not set(expected) & set(english), "the French and Dutch subjects are translated"
    assert f"/{language}/" in mail.outbox[0].body
    assert Submission.objects.get().language == language


def test_mail_server_down_loses_nothing_and_the_job_is_tried_again(client, share, settings, request):
    from django_tasks_db.models import DBTaskResult

    settings.SUBMISSIONS_MIN_SECONDS = 0
    fill(client, share)
    database_jobs = request.getfixturevalue("database_jobs")
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 1, 2  # nothing listens there
    response = client.post(share.route_url("step", step="review"))
    assert response.status_code == 302
    assert Submission.objects.get().state == SubmissionState.UNCONFIRMED
    database_jobs()
    mails = DBTaskResult.objects.filter(task_path=mail_deliver.module_path)
    assert mails.filter(status="FAILED").count() == 1
    retry = mails.get(status="READY")
    assert retry.args_kwargs["kwargs"]["attempt"] == 2, "the failed attempt queued the next one"
    assert retry.run_after > timezone.now() + timedelta(seconds=50), "which waits (backoff)"
    assert mail.outbox == []
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mails.filter(pk=retry.pk).update(run_after=timezone.now())  # the minute has passed
    assert database_jobs() == 1
    assert mails.get(pk=retry.pk).status == "SUCCESSFUL"
    assert mail.outbox[0].to == ["alex@example.org"]
    assert "token=" in mail.outbox[0].body


# What people see (issue 16).


def test_coordinates_take_the_belgian_decimal_comma(client, share):
    fill(client, share, steps=["about"])
    response = client.post(
        share.route_url("step", step="place"), {**answers()["place"], "latitude": "50,8270", "longitude": "4,3720"}
    )
    assert response.status_code == 302
    from participation.submissions.services import step_form

    form = step_form(submission=Submission.objects.get(), step="place")
    assert form.is_valid() and form.cleaned_data["latitude"] == Decimal("50.827")


def test_a_field_optional_only_under_a_condition_says_which(client, share):
    fill(client, share, steps=["about"])
    html = client.get(share.route_url("step", step="place")).content.decode()
    label = html.split('for="id_address"', 1)[1].split("</label>", 1)[0]
    assert "sans coordonnées" in label and "facultatif" not in label
    images = client.get(share.route_url("step", step="images")).content.decode()
    assert "obligatoire avec une image" in images.split('for="id_alt_new_1"', 1)[1].split("</label>", 1)[0]
    # Without JavaScript there is no map: the hint shown speaks of the coordinates, the map's hint waits for it.
    assert re.search(r'id="pin-hint">\s*Tapez les coordonnées', html)
    assert re.search(r'id="pin-hint-map"\s+hidden', html)


def test_dates_are_asked_day_first(client, share):
    html = client.get(share.route_url("step", step="about")).content.decode()
    (start,) = elements(html, "input", name="start_date")
    assert start["type"] == "text"
    assert "31/03/2025" in html
    response = client.post(share.route_url("step", step="about"), {**answers()["about"], "start_date": "01/03/2024"})
    assert response.status_code == 302


def test_an_image_sent_again_after_an_error_is_kept_once_and_named(client, share):
    fill(client, share, steps=["about", "place", "how", "story"])
    url = share.route_url("step", step="images")
    first = client.post(url, {"image_1": photo("parc-flagey.jpg")})  # no alternative text: an error
    assert first.status_code == 200
    html = first.content.decode()
    assert "parc-flagey.jpg" in html and "inutile de la choisir à nouveau" in html
    client.post(url, {"image_1": photo("parc-flagey.jpg")})
    assert Submission.objects.get().images.count() == 1


def test_the_review_lists_the_steps_in_their_order(client, share):
    fill(client, share)
    html = client.get(share.route_url("step", step="review")).content.decode()
    order = [html.index(f'id="review-{key}"') for key in ("about", "place", "how", "story", "images", "contact")]
    assert order == sorted(order)


def test_the_start_page_counts_the_steps_the_form_shows(client, share):
    from participation.submissions.forms import STEPS

    start = client.get(share.url).content.decode()
    assert f"{len(STEPS) + 1} courtes étapes" in start
    step = client.get(share.route_url("step", step="about")).content.decode()
    assert f"sur {len(STEPS) + 1}" in step


def test_continuing_and_coming_back_later_do_not_look_alike(client, share):
    html = client.get(share.route_url("step", step="about")).content.decode()
    (later,) = elements(html, "button", value="save")
    (go_on,) = elements(html, "button", value="next")
    assert later["class"] != go_on["class"]
    assert re.search(r">\s*Continuer\s*<", html)
    assert "Enregistrer et continuer" not in html


def test_required_fields_say_what_to_do(client, share):
    html = client.post(share.route_url("step", step="about"), {}).content.decode()
    assert "Indiquez le titre de l&#x27;initiative." in html or "Indiquez le titre de l'initiative." in html
    assert "Ce champ est obligatoire" not in html


def test_a_nul_character_is_refused_like_any_bad_value_and_the_rest_kept(client, share):
    """PostgreSQL cannot store NUL in text or JSON: the answers are kept without it and the form says what is wrong
    (found by the hostile-input test)."""
    fill(client, share, steps=["about", "place"])
    response = client.post(
        share.route_url("step", step="how"),
        {"participants_count": "12\x00", "participation_level": "x\x00"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'href="#id_participation_level_0"' in html
    assert Submission.objects.get().data["how"]["participants_count"] == ["12"]
    response = client.post(share.route_url("step", step="images"), {"alt_new_1": "Une\x00 photo"})
    assert response.status_code == 200
    assert 'value="Une photo"' in response.content.decode()
