"""Writes of shared initiatives: drafts kept step by step, images re-encoded, submission, email confirmation,
moderation (publish, decline, trust, erase contact), updates of published initiatives and the daily housekeeping.

The initiative is written through its one field mapping (participation.initiatives.schema) and moderated with
Wagtail's machinery: a new initiative is a draft until it is published; an update is an unpublished revision.

Everything is stored before any email is sent; each email is a background job queued in the same transaction, retried
under the platform's one failure policy (participation.core.tasks).
"""

from __future__ import annotations

import hashlib
import io
import re
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max, OuterRef, Subquery
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError
from wagtail.images import get_image_model
from wagtail.log_actions import log
from wagtail.models import Collection

from participation.core.mail import mail_send
from participation.initiatives import schema
from participation.initiatives.models import Initiative, InitiativeImage
from participation.initiatives.selectors import OUTDATED_AFTER_DAYS
from participation.submissions.forms import STEPS, UPDATE_STEPS, ImagesForm
from participation.submissions.models.records import (
    Submission,
    SubmissionImage,
    SubmissionKind,
    SubmissionState,
    TrustedSubmitter,
)
from participation.submissions.selectors import absolute_url_build

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser
    from django.core.files.uploadedfile import UploadedFile
    from django.utils.datastructures import MultiValueDict
    from wagtail.images.models import AbstractImage

FORMS = {key: form for key, _label, form in STEPS}
RESUME_SALT = "submissions-resume"
CONFIRM_SALT = "submissions-confirm"
UPDATE_SALT = "submissions-update"
UPDATE_LINK_DAYS = 60
DECLINED_CONTACT_DAYS = 365
IMAGE_FORMATS = {"JPEG": ("jpg", "image/jpeg"), "PNG": ("png", "image/png"), "WEBP": ("webp", "image/webp")}
MAX_IMAGE_PIXELS = 40_000_000
# What makes an image file something else too (a polyglot): markup or script a browser would run, a PDF. Decoding and
# writing anew drops anything else hidden beside the pixels.
ACTIVE_CONTENT = re.compile(
    rb"<\s*(script|html|svg|body|iframe|object|embed)\b|<\?php|%PDF-|javascript:", re.IGNORECASE
)
IMAGES_COLLECTION = "Shared initiatives"


# Links sent by email: signed, time-limited, never stored.


def link_token(*, value: Any, salt: str) -> str:
    return signing.dumps(value, salt=salt, compress=True)


def link_value(*, token: str | None, salt: str, max_age_days: int) -> Any:
    """The value of a valid token; raises signing.SignatureExpired or signing.BadSignature otherwise."""
    return signing.loads(token or "", salt=salt, max_age=timedelta(days=max_age_days))


# Drafts, step by step.


def draft_start(*, language: str) -> Submission:
    return Submission.objects.create(language=language)


def answers_query(answers: dict[str, list[str]]) -> QueryDict:
    """Stored answers ({field: [values]}) as the QueryDict a form binds to."""
    data = QueryDict(mutable=True)
    for name, values in answers.items():
        data.setlist(name, values)
    return data


def step_data(*, submission: Submission, step: str) -> QueryDict | None:
    """What the person typed at this step, as a QueryDict to bind the step's form to (None if never sent)."""
    stored = submission.data.get(step)
    return None if stored is None else answers_query(stored)


def _storable(value: str) -> str:
    """A value as typed, without NUL characters, which PostgreSQL cannot store in text or JSON (the form's own
    validation still refuses the value sent with them)."""
    return value.replace("\x00", "")


def answers_of(*, form: forms.Form, post: QueryDict) -> dict[str, list[str]]:
    """What was sent for this form's fields, as stored answers ({field: [values]})."""
    return {name: [_storable(value) for value in post.getlist(name)] for name in form.fields if name in post}


def step_save(*, submission: Submission, step: str, post: QueryDict) -> None:
    """Keep every value typed at this step, valid or not (nothing is lost)."""
    submission.data[step] = answers_of(form=step_form(submission=submission, step=step), post=post)
    if step == "contact":
        submission.contact_email = _storable(post.get("contact_email", ""))[:254]
    submission.save(update_fields=["data", "contact_email"] if step == "contact" else ["data"])


def step_form(
    *, submission: Submission | None, step: str, data: QueryDict | None = None, files: MultiValueDict | None = None
) -> forms.Form:
    form_class = FORMS[step]
    kwargs: dict[str, Any] = (
        {"images": list(submission.images.all())} if form_class is ImagesForm and submission is not None else {}
    )
    if data is None and submission is not None:
        data = step_data(submission=submission, step=step)
    return form_class(data=data, files=files, **kwargs)


def steps_invalid(*, submission: Submission) -> list[str]:
    """The keys of the steps whose stored answers are missing or not valid, in order."""
    invalid = []
    for step in FORMS:
        data = step_data(submission=submission, step=step)
        if data is None or not step_form(submission=submission, step=step, data=data).is_valid():
            invalid.append(step)
    return invalid


def image_reencode(upload: UploadedFile) -> ContentFile:
    """The uploaded image decoded and written anew: only the pixels are kept (no EXIF, GPS or other metadata).

    Raises ValidationError for a file that is not a JPEG, PNG or WebP image (whatever its name says), has too many
    pixels to decode safely (a decompression bomb), or is also something else (markup, a script, a PDF)."""
    not_an_image = _("This file is not a JPEG, PNG or WebP image, or it is damaged.")
    too_many_pixels = _("This image has too many pixels (at most 40 megapixels).")
    upload.seek(0)
    if ACTIVE_CONTENT.search(upload.read()):
        raise ValidationError(
            _(
                "This file hides something else than an image (such as a web page or a script): save it again as "
                "a JPEG, PNG or WebP image."
            )
        )
    try:
        upload.seek(0)
        with Image.open(upload, formats=list(IMAGE_FORMATS)) as source:
            image_format = cast(str, source.format)  # one of IMAGE_FORMATS: Image.open tries no other
            if source.width * source.height > MAX_IMAGE_PIXELS:
                raise ValidationError(too_many_pixels)
            image = ImageOps.exif_transpose(source)
            image.load()
    except Image.DecompressionBombError as error:
        raise ValidationError(too_many_pixels) from error
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        raise ValidationError(not_an_image) from error
    if image_format == "JPEG" and image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    clean = Image.new(image.mode, image.size)
    clean.paste(image)
    if image.mode == "P":
        clean.putpalette(image.getpalette() or [])
    output = io.BytesIO()
    clean.save(output, format=image_format, **({"quality": 88} if image_format != "PNG" else {}))
    extension, _mimetype = IMAGE_FORMATS[image_format]
    # The name people gave their file (as an address), so that they recognise it among the images kept.
    stem = slugify(Path(getattr(upload, "name", "") or "").stem)[:60] or "image"
    return ContentFile(output.getvalue(), name=f"{stem}.{extension}")


def _image_digest(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def images_step_save(*, submission: Submission, post: QueryDict, files: MultiValueDict) -> tuple[ImagesForm, bool]:
    """Store every valid upload at once (even when another field is wrong), apply removals and alternative texts,
    then return the form to show: bound to what is now kept, with the errors of the uploads that were refused."""
    form = cast(ImagesForm, step_form(submission=submission, step="images", data=post, files=files))
    form.is_valid()
    refused: list[tuple[str, Any]] = []
    # An image kept by an earlier sending is not stored again (people choose the file again after an error).
    digests = set()
    for kept_image in form.images:
        try:
            with kept_image.file.open("rb") as handle:
                digests.add(_image_digest(handle.read()))
        except OSError:
            continue
    saved: list[str] = []
    for number, (upload_field, alt_field) in enumerate(form.new_slots(), start=1):
        upload = files.get(upload_field.html_name)
        alt = _storable(post.get(alt_field.html_name, "")).strip()[:250]
        if not upload:
            if alt:
                refused.append((alt, None))
            continue
        if upload_field.name in form.errors:
            refused.append((alt, form.errors[upload_field.name][0]))
            continue
        try:
            content = image_reencode(upload)
        except ValidationError as error:
            refused.append((alt, error.messages[0]))
            continue
        digest = _image_digest(content.read())
        content.seek(0)
        if digest in digests:
            continue
        image = SubmissionImage(submission=submission, alt_text=alt, sort_order=number + 10)
        image.file.save(content.name or "image", content, save=False)
        image.save()
        saved.append(Path(upload.name or "").name)
    for image in form.images:
        if post.get(f"remove_{image.pk}"):
            image.file.delete(save=False)
            image.delete()
        elif f"alt_{image.pk}" in post:
            image.alt_text = _storable(post.get(f"alt_{image.pk}", "")).strip()[:250]
            image.save(update_fields=["alt_text"])
    kept = list(submission.images.all())
    data = {f"alt_{image.pk}": [image.alt_text] for image in kept}
    for number, (alt, _error) in enumerate(refused, start=1):
        data[f"alt_new_{number}"] = [alt]
    submission.data["images"] = data
    submission.save(update_fields=["data"])
    shown = cast(ImagesForm, step_form(submission=submission, step="images"))
    shown.is_valid()
    shown.saved_now = saved
    for number, (_alt, message) in enumerate(refused, start=1):
        name = f"image_{number}"
        if name in shown.fields:
            shown.add_error(name, message or _("Choose the image file again."))
    return shown, not refused and shown.is_valid()


def resume_link_send(*, submission: Submission, email: str, resume_url: Callable[[str], str]) -> None:
    submission.contact_email = email
    submission.save(update_fields=["contact_email"])
    link = resume_url(link_token(value=submission.token, salt=RESUME_SALT))
    context = {"link": link, "days": settings.SUBMISSIONS_DRAFT_DAYS, "title": submission.step_value("about", "title")}
    mail_send(template="submissions/email/resume", recipient=email, language=submission.language, context=context)


def draft_for_resume(*, token: str | None) -> Submission | None:
    """The draft of a resume link (valid as long as drafts are kept), or None."""
    try:
        value = link_value(token=token, salt=RESUME_SALT, max_age_days=settings.SUBMISSIONS_DRAFT_DAYS)
    except signing.BadSignature:
        return None
    return Submission.objects.filter(token=value, state=SubmissionState.DRAFT).first()


# Submission and confirmation.


def minimum_time_elapsed(*, submission: Submission, now: datetime | None = None) -> bool:
    return ((now or timezone.now()) - submission.created_at).total_seconds() >= settings.SUBMISSIONS_MIN_SECONDS


def submission_submit(*, submission: Submission, confirm_url: Callable[[str], str]) -> Submission:
    """The person sent the form: keep it, then ask them to confirm their email address."""
    contact = step_form(submission=submission, step="contact")
    contact.is_valid()
    submission.contact_name = contact.cleaned_data["contact_name"]
    submission.contact_email = contact.cleaned_data["contact_email"].lower()
    submission.contact_organisation = contact.cleaned_data["contact_organisation"]
    submission.state = SubmissionState.UNCONFIRMED
    submission.submitted_at = timezone.now()
    submission.trusted = TrustedSubmitter.objects.filter(email__iexact=submission.contact_email).exists()
    with transaction.atomic():
        submission.save()
        confirmation_send(submission=submission, confirm_url=confirm_url)
    return submission


def confirmation_send(*, submission: Submission, confirm_url: Callable[[str], str]) -> None:
    link = confirm_url(link_token(value=submission.token, salt=CONFIRM_SALT))
    context = {"submission": submission, "link": link, "days": settings.SUBMISSIONS_LINK_DAYS}
    _mail_to_submitter(submission=submission, template="confirm", context=context)


def _mail_to_submitter(*, submission: Submission, template: str, context: dict[str, Any]) -> None:
    mail_send(
        template=f"submissions/email/{template}",
        recipient=submission.contact_email,
        language=submission.language,
        context=context,
    )


def submission_for_confirmation(*, token: str | None) -> tuple[Submission | None, bool]:
    """(submission, expired) for a confirmation link; (None, False) for a link that is not ours."""
    try:
        value = link_value(token=token, salt=CONFIRM_SALT, max_age_days=settings.SUBMISSIONS_LINK_DAYS)
        expired = False
    except signing.SignatureExpired:
        value = signing.loads(token or "", salt=CONFIRM_SALT)
        expired = True
    except signing.BadSignature:
        return None, False
    return Submission.objects.filter(token=value).first(), expired


def submission_confirm(*, submission: Submission) -> Submission:
    """The email address is confirmed: a new initiative enters moderation; the submitter is told."""
    if submission.state != SubmissionState.UNCONFIRMED:
        return submission
    with transaction.atomic():
        submission.email_confirmed_at = timezone.now()
        submission.state = SubmissionState.PENDING
        if submission.kind == SubmissionKind.NEW:
            submission.initiative = initiative_create(submission=submission)
        submission.save()
        log(instance=submission, action="wagtail.create", content_changed=True)
        _mail_to_submitter(submission=submission, template="received", context={"submission": submission})
        moderators_notify()
    return submission


# Building and updating the initiative record from the answers.


def _cleaned(submission: Submission) -> dict[str, Any]:
    cleaned = {}
    for step in FORMS:
        if step in ("images", "contact") or step_data(submission=submission, step=step) is None:
            continue
        form = step_form(submission=submission, step=step)
        if form.is_valid():
            cleaned.update(form.cleaned_data)
    return cleaned


def _values(cleaned: dict[str, Any]) -> dict[str, Any]:
    """The answers as the initiative's values (participation.initiatives.schema): methods by their sheets, links as
    (address, label) pairs."""
    values = {name: value for name, value in cleaned.items() if name in schema.BY_NAME}
    if "methods" in cleaned:
        sheets = schema.method_sheets_by_slug()
        values["methods"] = [sheets[slug] for slug in cleaned["methods"] if slug in sheets]
    if "links" in cleaned:
        values["links"] = [(url, url) for url in cleaned["links"].splitlines()]
    if "latitude" in cleaned and cleaned["latitude"] is None:
        # No coordinates: the centre of the first commune (moderators see the address given, to move the point).
        values["latitude"], values["longitude"] = schema.position_of_communes(cleaned["communes"]) or (None, None)
    return values


def initiative_create(*, submission: Submission) -> Initiative:
    """A draft initiative from a confirmed submission, with its images in the image library; moderators publish it."""
    initiative = Initiative(
        original_language=submission.language,
        live=False,
        contact_name=submission.contact_name,
        contact_email=submission.contact_email,
        contact_organisation=submission.contact_organisation,
    )
    schema.initiative_write(initiative, _values(_cleaned(submission)), language=submission.language)
    collection = _images_collection()
    initiative.images = [
        InitiativeImage(image=_library_image(image, collection), alt_text=image.alt_text)
        for image in submission.images.all()
    ]
    initiative.save()
    initiative.save_revision(log_action=True)
    return initiative


def _images_collection() -> Collection:
    collection = Collection.objects.filter(name=IMAGES_COLLECTION).first()
    return collection or Collection.get_first_root_node().add_child(name=IMAGES_COLLECTION)


def _library_image(image: SubmissionImage, collection: Collection) -> AbstractImage:
    with image.file.open("rb") as handle:
        content = ContentFile(handle.read(), name=(image.file.name or "image").rsplit("/", 1)[-1])
    return get_image_model().objects.create(
        title=image.alt_text[:255] or content.name, file=content, collection=collection
    )


# Moderation: a moderator decides on a pending submission (participation.submissions.viewsets).


def submission_publish(*, submission: Submission, user: AbstractBaseUser | None) -> Submission:
    """Publish the initiative's latest version (the new initiative, or the update with what moderators changed in the
    editor) and tell the submitters waiting for it."""
    initiative = submission.initiative
    if initiative is None:
        raise ValueError("a submission is published through its initiative")
    with transaction.atomic():
        initiative_published(initiative=initiative, user=user)
        revision = initiative.latest_revision
        if revision is not None and (not initiative.live or revision.pk != initiative.live_revision_id):
            revision.publish(user=user)
    return submission


def initiative_published(*, initiative: Initiative, user: AbstractBaseUser | None = None) -> None:
    """An initiative was published (from the moderation page or the editor): the submissions waiting for it are
    published, and their submitters told with the link, once."""
    waiting = Submission.objects.filter(
        initiative=initiative, state__in=[SubmissionState.PENDING, SubmissionState.PUBLISHED], decided_at=None
    )
    for submission in waiting:
        submission.state = SubmissionState.PUBLISHED
        submission.decided_at = timezone.now()
        submission.save(update_fields=["state", "decided_at"])
        log(instance=submission, action="wagtail.publish", user=user)
        with translation.override(submission.language):
            link = absolute_url_build(initiative.get_url(submission.language))
        context = {"submission": submission, "link": link}
        _mail_to_submitter(submission=submission, template="published", context=context)


def submission_decline(*, submission: Submission, user: AbstractBaseUser | None, reason: str) -> Submission:
    """Decline with a reason sent to the submitter. A new initiative stays a draft; a proposed update is dropped (the
    initiative's latest version is its published one again)."""
    with transaction.atomic():
        submission.state = SubmissionState.DECLINED
        submission.decline_reason = reason
        submission.decided_at = timezone.now()
        submission.save(update_fields=["state", "decline_reason", "decided_at"])
        initiative = submission.initiative
        if (
            submission.kind == SubmissionKind.UPDATE
            and initiative
            and initiative.latest_revision_id == (submission.revision_id)
        ):
            Initiative.objects.filter(pk=initiative.pk).update(
                latest_revision=initiative.live_revision, has_unpublished_changes=False
            )
        log(instance=submission, action="submissions.decline", user=user, data={"reason": reason})
        _mail_to_submitter(
            submission=submission, template="declined", context={"submission": submission, "reason": reason}
        )
    return submission


def submitter_can_be_trusted(*, submission: Submission) -> bool:
    return (
        bool(submission.contact_email)
        and Submission.objects.filter(
            contact_email__iexact=submission.contact_email, kind=SubmissionKind.NEW, state=SubmissionState.PUBLISHED
        ).exists()
    )


def submitter_trust(*, submission: Submission, user: AbstractBaseUser | None) -> bool:
    if not submitter_can_be_trusted(submission=submission):
        return False
    TrustedSubmitter.objects.get_or_create(email=submission.contact_email.lower())
    Submission.objects.filter(contact_email__iexact=submission.contact_email).update(trusted=True)
    log(instance=submission, action="submissions.trust", user=user)
    return True


def contact_erase(*, submission: Submission, user: AbstractBaseUser | None) -> None:
    """Erase the contact details of this submission, of its initiative and of every submission about it, on
    request; the public record stays as it is."""
    email = submission.contact_email
    empty = {"contact_name": "", "contact_email": "", "contact_organisation": ""}
    with transaction.atomic():
        submissions = Submission.objects.filter(pk=submission.pk)
        if submission.initiative_id:
            submissions = Submission.objects.filter(initiative_id=submission.initiative_id) | submissions
            Initiative.objects.filter(pk=submission.initiative_id).update(**empty)
        for other in submissions:
            other.data.pop("contact", None)
            Submission.objects.filter(pk=other.pk).update(data=other.data, **empty)
        if email:
            TrustedSubmitter.objects.filter(email__iexact=email).delete()
        log(instance=submission, action="submissions.erase_contact", user=user)


def moderators_notify(*, force: bool = False, now: datetime | None = None) -> int:
    """Tell moderators about confirmed submissions they have not heard of, in one message.

    Unless forced (the daily command), at most one message per SUBMISSIONS_NOTIFY_EVERY_MINUTES: a burst of
    submissions gives one message, and the next one lists everything that arrived meanwhile."""
    now = now or timezone.now()
    waiting = list(
        Submission.objects.in_queue().filter(moderators_notified_at__isnull=True).order_by("email_confirmed_at")
    )
    if not waiting:
        return 0
    last = Submission.objects.aggregate(last=Max("moderators_notified_at"))["last"]
    if not force and last and now - last < timedelta(minutes=settings.SUBMISSIONS_NOTIFY_EVERY_MINUTES):
        return 0
    context = {
        "submissions": waiting,
        "queue_url": absolute_url_build(reverse("wagtailsnippets_submissions_submission:list") + "?state=pending"),
    }
    with transaction.atomic():
        mail_send(
            template="submissions/email/moderators",
            recipient=settings.SUBMISSIONS_MODERATORS_EMAIL,
            language=settings.LANGUAGE_CODE,
            context=context,
        )
        Submission.objects.filter(pk__in=[s.pk for s in waiting]).update(moderators_notified_at=now)
    return len(waiting)


# Keeping published records fresh.


def update_token(initiative: Initiative) -> str:
    return link_token(value={"initiative": initiative.pk}, salt=UPDATE_SALT)


def initiative_for_update(*, token: str | None) -> Initiative | None:
    """The published initiative of an update (or "still up to date") link, or None."""
    try:
        value = link_value(token=token, salt=UPDATE_SALT, max_age_days=UPDATE_LINK_DAYS)
    except signing.BadSignature:
        return None
    return Initiative.objects.published().filter(pk=value.get("initiative")).first()


def _answer(name: str, value: Any) -> list[str]:
    """One value of the initiative as stored answers (what a browser posts): texts as typed, records by number,
    methods by slug, links one per line, nothing for an unanswered choice."""
    if name == "links":
        return ["\n".join(url for url, _label in value)]
    if name == "methods":
        return [sheet.slug for sheet in value]
    if isinstance(value, list):
        return [str(getattr(item, "pk", item)) for item in value]
    if isinstance(value, str) and schema.BY_NAME[name].choices is None:
        return [value]
    if value in (None, ""):
        return []
    return [str(getattr(value, "pk", value))]


def initiative_answers(*, initiative: Initiative, language: str) -> dict[str, dict[str, list[str]]]:
    """The published initiative as answers to the update steps (what the form shows before any change)."""
    forms = {key: form for key, _label, form in STEPS}
    values = schema.initiative_values(initiative, language=language)
    return {
        step: {name: _answer(name, values[name]) for name in forms[step].base_fields if name in values}
        for step in UPDATE_STEPS
    }


def update_submit(*, initiative: Initiative, answers: dict[str, Any], language: str) -> Submission:
    """An update proposed through the signed link (the link proves the address): an unpublished revision of the
    initiative, which moderators compare with the published version, preview and publish."""
    cleaned = {}
    for step, data in answers.items():
        form = step_form(submission=None, step=step, data=answers_query(data))
        form.is_valid()
        cleaned.update(form.cleaned_data)
    proposed = Initiative.objects.get(pk=initiative.pk)
    values = _values(cleaned)
    values["last_verified"] = timezone.localdate()
    schema.initiative_write(proposed, values, language=language)
    with transaction.atomic():
        revision = proposed.save_revision(log_action=True)
        submission = Submission.objects.create(
            kind=SubmissionKind.UPDATE,
            state=SubmissionState.PENDING,
            language=language,
            data=answers,
            initiative=initiative,
            revision=revision,
            contact_name=initiative.contact_name,
            contact_email=initiative.contact_email,
            contact_organisation=initiative.contact_organisation,
            submitted_at=timezone.now(),
            email_confirmed_at=timezone.now(),
            trusted=TrustedSubmitter.objects.filter(email__iexact=initiative.contact_email).exists(),
        )
        log(instance=submission, action="wagtail.create", content_changed=True)
        _mail_to_submitter(submission=submission, template="received", context={"submission": submission})
        moderators_notify()
    return submission


def initiative_verify(*, initiative: Initiative) -> None:
    initiative.last_verified = timezone.localdate()
    initiative.save(update_fields=["last_verified", "updated_at"])
    log(instance=initiative, action="submissions.verified")


def freshness_questions_send(
    *, verify_url: Callable[[str, str], str], update_url: Callable[[str, str], str], today: date | None = None
) -> int:
    """Ask the contact of every published initiative not verified for 12 months whether it is still up to date
    (once a year at most). Returns how many were asked."""
    today = today or timezone.localdate()
    limit = today - timedelta(days=OUTDATED_AFTER_DAYS)
    initiatives = (
        Initiative.objects.published()
        .filter(last_verified__lt=limit)
        .exclude(contact_email="")
        .exclude(freshness_asked_at__date__gte=limit)
        .annotate(
            # The contact is written to in the language they last used on the platform.
            latest_language=Subquery(
                Submission.objects.filter(initiative=OuterRef("pk")).order_by("-pk").values("language")[:1]
            )
        )
        .prefetch_related("translations")
    )
    asked = 0
    for initiative in initiatives:
        token = update_token(initiative)
        language = initiative.latest_language or initiative.original_language
        context = {
            "initiative": initiative,
            "text": initiative.text(language),
            "verify_link": verify_url(token, language),
            "update_link": update_url(token, language),
        }
        with transaction.atomic():
            mail_send(
                template="submissions/email/freshness",
                recipient=initiative.contact_email,
                language=language,
                context=context,
            )
            Initiative.objects.filter(pk=initiative.pk).update(freshness_asked_at=timezone.now())
        asked += 1
    return asked


def retention_apply(*, now: datetime | None = None) -> tuple[int, int]:
    """Forget what the privacy notice says is not kept: drafts and unconfirmed submissions after
    SUBMISSIONS_DRAFT_DAYS (with their images), and the contact details of a declined submission a year after the
    decision. Returns (drafts deleted, contacts erased)."""
    now = now or timezone.now()
    old = Submission.objects.filter(
        state__in=[SubmissionState.DRAFT, SubmissionState.UNCONFIRMED],
        created_at__lt=now - timedelta(days=settings.SUBMISSIONS_DRAFT_DAYS),
    )
    for image in SubmissionImage.objects.filter(submission__in=old):
        image.file.delete(save=False)
    deleted = len(old)
    old.delete()
    declined = Submission.objects.filter(
        state=SubmissionState.DECLINED, decided_at__lt=now - timedelta(days=DECLINED_CONTACT_DAYS)
    ).exclude(contact_email="", contact_name="")
    erased = 0
    for submission in declined:
        contact_erase(submission=submission, user=None)
        erased += 1
    return deleted, erased
