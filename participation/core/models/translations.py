"""Where each language version of a text comes from, and whether its source changed since (decision 0019).

One `TranslationRecord` per item and language: a page (all language versions of a page share a `translation_key`),
a translatable snippet, or a record with texts per language (an initiative). The item is named by its content type and
`object_key` (the translation key, or the record's primary key), so that one table serves every domain.
"""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class Provenance(models.TextChoices):
    ORIGINAL = "original", _("original text")
    HUMAN = "human", _("translated by a person")
    MACHINE = "machine", _("machine translation")
    MACHINE_CHECKED = "machine_checked", _("machine translation checked by a person")


class TranslationRecord(models.Model):
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_key = models.CharField(_("item"), max_length=64)
    language = models.CharField(_("language"), max_length=2, choices=settings.LANGUAGES)
    source_language = models.CharField(_("source language"), max_length=2, choices=settings.LANGUAGES, blank=True)
    provenance = models.CharField(_("provenance"), max_length=16, choices=Provenance.choices)
    translated_at = models.DateTimeField(_("written or translated on"), null=True, blank=True)
    pending = models.BooleanField(
        _("being translated"), default=False, help_text=_("A draft translation that is not published yet.")
    )
    draft_provenance = models.CharField(
        _("provenance of the draft"), max_length=16, choices=Provenance.choices, blank=True
    )
    text_digest = models.CharField(max_length=64, blank=True)
    source_digest = models.CharField(max_length=64, blank=True)
    source_fields = models.JSONField(default=dict, blank=True)
    source_revision = models.ForeignKey(
        "wagtailcore.Revision", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    source_changed_at = models.DateTimeField(_("source changed on"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("translation record")
        constraints = [
            models.UniqueConstraint(fields=["content_type", "object_key", "language"], name="one_record_per_language")
        ]
        indexes = [models.Index(fields=["language", "provenance"])]

    def __str__(self):
        return f"{self.content_type_id}:{self.object_key}:{self.language}"

    @property
    def is_outdated(self) -> bool:
        return self.source_changed_at is not None and self.provenance != Provenance.ORIGINAL
