"""The records of the purchasing centre: the pre-qualified providers (public, professional contacts) and the support
requests of public bodies (private)."""

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable, RevisionMixin

from participation.core.models import CANONICAL_TERMS, BudgetBand, PurchasingLot
from participation.core.selectors import RelatedLink

LANGUAGE_CHOICES = settings.LANGUAGES


class Provider(RevisionMixin, ClusterableModel):
    """A provider pre-qualified in one or more lots. Its contact is professional and public."""

    name = models.CharField(_("name"), max_length=150)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    is_demo = models.BooleanField(_("demo content"), default=False)
    lots = ParentalManyToManyField(
        PurchasingLot, verbose_name=_("lots"), limit_choices_to=CANONICAL_TERMS, related_name="providers"
    )
    methods = ParentalManyToManyField(
        "toolbox.ToolboxSheetPage",
        verbose_name=_("methods mastered"),
        blank=True,
        related_name="providers",
        limit_choices_to={"kind": "method", "locale__language_code": settings.LANGUAGE_CODE},
    )
    working_languages = ParentalManyToManyField(
        "wagtailcore.Locale", verbose_name=_("working languages"), blank=True, related_name="+"
    )
    website = models.URLField(_("website"), blank=True)
    email = models.EmailField(_("professional contact email"), blank=True)
    references = ParentalManyToManyField(
        "initiatives.Initiative", verbose_name=_("references"), blank=True, related_name="provider_references"
    )

    panels = [
        FieldRowPanel([FieldPanel("name"), FieldPanel("slug")]),
        FieldPanel("is_demo"),
        FieldPanel("lots"),
        FieldPanel("methods"),
        FieldPanel("working_languages"),
        FieldRowPanel([FieldPanel("website"), FieldPanel("email")]),
        FieldPanel("references"),
        InlinePanel("texts", heading=_("Texts by language"), label=_("language version"), min_num=1),
    ]

    class Meta:
        verbose_name = _("provider")
        verbose_name_plural = _("providers")
        ordering = ["name"]

    def __str__(self):
        return self.name

    @classmethod
    def centre_page(cls, language=None):
        """The purchasing centre's page of a language (the active one by default), under which providers have
        their address; None before the site has one."""
        from participation.providers.models.pages import PurchasingCentrePage

        return PurchasingCentrePage.objects.live().filter(locale__language_code=language or get_language()).first()

    def related_link(self, centre):
        """This provider as an item of a "related" section, with its address under the purchasing centre `centre`."""
        return RelatedLink(url=centre.route_url("provider", slug=self.slug), title=self.name, is_demo=self.is_demo)

    def text(self, language=None):
        texts = {t.language: t for t in self.texts.all()}
        return (
            texts.get(language or get_language())
            or texts.get(settings.LANGUAGE_CODE)
            or next(iter(texts.values()), None)
        )


class ProviderText(Orderable):
    provider = ParentalKey(Provider, related_name="texts", on_delete=models.CASCADE)
    language = models.CharField(_("language"), max_length=2, choices=LANGUAGE_CHOICES)
    description = models.TextField(_("description"))
    services = models.TextField(_("services"), blank=True, help_text=_("One service per line."))

    panels = [FieldPanel("language"), FieldPanel("description"), FieldPanel("services")]

    class Meta(Orderable.Meta):
        constraints = [models.UniqueConstraint(fields=["provider", "language"], name="one_provider_text_per_language")]

    def service_list(self):
        return [line.strip() for line in self.services.splitlines() if line.strip()]


class RequestStatus(models.TextChoices):
    RECEIVED = "received", _("Received")
    ASSESSING = "assessing", _("Being assessed")
    SPECIFICATIONS = "specifications", _("Specifications drafted")
    ORDERED = "ordered", _("Ordered")
    CLOSED = "closed", _("Closed")


class OrganisationType(models.TextChoices):
    REGIONAL = "regional-administration", _("Regional administration or public body of the Region")
    MUNICIPAL = "municipal-administration", _("Commune, CPAS or other municipal administration")
    PUBLIC_INTEREST = (
        "public-interest",
        _("Public or private organisation with a task of regional or municipal interest"),
    )
    CITIZEN_COLLECTIVE = "citizen-collective", _("Citizen collective")
    OTHER = "other", _("Other organisation")


class SupportRequest(RevisionMixin, ClusterableModel):
    """A request for support through the purchasing centre. The requester's contact is private."""

    reference = models.CharField(_("reference"), max_length=20, unique=True, editable=False)
    status = models.CharField(_("status"), max_length=20, choices=RequestStatus.choices, default=RequestStatus.RECEIVED)
    language = models.CharField(_("language of the requester"), max_length=2, choices=LANGUAGE_CHOICES)
    organisation = models.CharField(_("organisation"), max_length=200)
    organisation_type = models.CharField(_("type of organisation"), max_length=32, choices=OrganisationType.choices)
    contact_name = models.CharField(_("contact person"), max_length=120)
    email = models.EmailField(_("email"))
    phone = models.CharField(_("telephone"), max_length=40, blank=True)
    project_summary = models.TextField(_("project summary"), max_length=3000)
    lots = ParentalManyToManyField(
        PurchasingLot, verbose_name=_("lots needed"), blank=True, limit_choices_to=CANONICAL_TERMS, related_name="+"
    )
    provider = models.ForeignKey(
        Provider,
        verbose_name=_("provider wished for"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="support_requests",
    )
    start = models.DateField(_("desired start"), null=True, blank=True)
    end = models.DateField(_("desired end"), null=True, blank=True)
    budget_band = models.ForeignKey(
        BudgetBand,
        verbose_name=_("budget range"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        limit_choices_to=CANONICAL_TERMS,
        related_name="+",
    )
    process_languages = models.JSONField(_("languages of the process"), default=list, blank=True)
    plan_summary = models.TextField(
        _("plan from the participation planner"),
        blank=True,
        help_text=_("The plan the requester attached, as they saw it on the form when sending the request."),
    )
    internal_notes = models.TextField(_("internal notes"), blank=True)
    created_at = models.DateTimeField(_("received at"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    panels = [
        MultiFieldPanel([FieldPanel("status"), FieldPanel("internal_notes")], heading=_("Follow-up")),
        MultiFieldPanel(
            [
                FieldPanel("organisation"),
                FieldPanel("organisation_type"),
                FieldRowPanel([FieldPanel("contact_name"), FieldPanel("email"), FieldPanel("phone")]),
                FieldPanel("language"),
            ],
            heading=_("Requester"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("project_summary"),
                FieldPanel("lots"),
                FieldPanel("provider"),
                FieldRowPanel([FieldPanel("start"), FieldPanel("end")]),
                FieldPanel("budget_band"),
                FieldPanel("process_languages"),
                FieldPanel("plan_summary", read_only=True),
            ],
            heading=_("Project"),
        ),
    ]

    class Meta:
        verbose_name = _("support request")
        verbose_name_plural = _("support requests")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.reference} – {self.organisation}"
