"""Demo content of the network: its page (real programme facts), the members' area with a few documents, twelve
events in FR/NL/EN (all marked as demo: dates, places and details are invented), demo members and requests.
Idempotent: what exists is kept."""

import datetime
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.utils import timezone
from wagtail.documents import get_document_model
from wagtail.models import Collection, Locale

from participation.core.content import content_read
from participation.core.models import CANONICAL_TERMS, Audience, Commune, Format, HomePage, Theme
from participation.core.services import page_create, page_translation_save, section_page_ensure
from participation.network import services
from participation.network.models import (
    EventPage,
    EventSession,
    MembersAreaPage,
    MembershipRequest,
    MembershipStatus,
    NetworkPage,
    Registration,
    RegistrationStatus,
)
from participation.toolbox.demo import sheet_contents
from participation.toolbox.models import ToolboxSheetPage

CONTENT_DIR = Path(__file__).parent / "content"
BRUSSELS = ZoneInfo(settings.TIME_ZONE)


def _read(name):
    return content_read(CONTENT_DIR / name)


def _body(blocks):
    """Blocks as (type, value): texts stripped; a dated announcement keeps its text and last day."""
    return [
        (block_type, value.strip() if isinstance(value, str) else value)
        for block in blocks
        for block_type, value in block.items()
    ]


def network_fields(content):
    return {
        "title": content["title"],
        "slug": content["slug"],
        "menu_title": content["menu_title"],
        "lead": " ".join(content["lead"].split()),
        "body": _body(content["body"]),
    }


def _translations_ensure(*, source, fields_by_language):
    for code, fields in fields_by_language.items():
        if code == source.locale.language_code:
            continue
        locale = Locale.objects.get(language_code=code)
        existing = source.get_translation_or_none(locale)
        if existing is None or existing.alias_of_id:
            page_translation_save(source=source, locale=locale, fields=fields)


def members_area_ensure(*, network, content):
    fields = {
        code: {"title": t["title"], "slug": t["slug"], "lead": t["lead"], "body": _body(t["body"])}
        for code, t in content["translations"].items()
    }
    area = MembersAreaPage.objects.child_of(network).first()
    if area is None:
        area = page_create(parent=network, page=MembersAreaPage(**fields[network.locale.language_code]))
    _translations_ensure(source=area, fields_by_language=fields)
    return area


def _document(*, title, text, collection):
    Document = get_document_model()
    document = Document.objects.filter(title=title).first()
    if document is None:
        slug = "".join(c if c.isalnum() else "-" for c in title.lower()).strip("-")[:60]
        document = Document(title=title, collection=collection)
        document.file.save(f"{slug}.txt", ContentFile(text.encode("utf-8")), save=False)
        document.save()
    return document


def documents_ensure(*, members_collection):
    root = Collection.get_first_root_node()
    public = {
        "module-4": _document(
            title="Ateliers – module 4 : fiche des outils d'animation (démo)",
            text="Document de démonstration. Outils : brise-glace, world café, photolangage.\n",
            collection=root,
        ),
        "module-5": _document(
            title="Ateliers – module 5 : repères pour évaluer (démo)",
            text="Document de démonstration. Pourquoi, quoi et comment évaluer un dispositif participatif.\n",
            collection=root,
        ),
    }
    for title in [
        "Présentation – module 4, outils d'animation (démo, membres)",
        "Présentation – module 5, évaluation (démo, membres)",
        "Compte rendu de la rencontre annuelle (démo, membres)",
    ]:
        _document(
            title=title,
            text=f"{title}\nDocument de démonstration réservé aux membres du réseau.\n",
            collection=members_collection,
        )
    return public


def _working_day(date):
    """The day itself, or the Monday after a weekend: trainings of civil servants take place on working days."""
    while date.weekday() >= 5:
        date += datetime.timedelta(days=1)
    return date


def _event_sessions(item, today):
    day = item["date"] if "date" in item else _working_day(today + datetime.timedelta(days=item["in_days"]))
    sessions = []
    date = day
    for number, (start, end) in enumerate(item["sessions"]):
        if number:
            date = _working_day(date + datetime.timedelta(days=1))
        sessions.append(
            EventSession(
                starts_at=datetime.datetime.combine(date, datetime.time.fromisoformat(start), BRUSSELS),
                ends_at=datetime.datetime.combine(date, datetime.time.fromisoformat(end), BRUSSELS),
            )
        )
    return sessions


def _in(value, language):
    """A text of the demo content, the same in every language or one per language ({fr: …, nl: …, en: …})."""
    if isinstance(value, dict):
        return value.get(language) or value.get(settings.LANGUAGE_CODE, "")
    return value or ""


def event_fields(item, translation, accessibility, language, venue=None):
    venue = venue or {}
    fields = {
        "venue_name": _in(venue.get("name"), language),
        "street_address": _in(venue.get("street"), language),
        "title": translation["title"],
        "slug": translation["slug"],
        "lead": " ".join(translation["lead"].split()),
        "programme": translation["programme"].strip(),
        "report": translation.get("report", "").strip(),
        "accessibility": accessibility.get(item.get("accessibility"), {}).get(language, ""),
        "speakers": [
            ("speaker", {"name": _in(s["name"], language), "role": _in(s.get("role"), language)})
            for s in item.get("speakers", [])
        ],
    }
    return fields


def _sheets_by_key():
    """The toolbox's French sheets by the key of their demo content (loaded before the network's)."""
    slugs = {content["key"]: content["translations"][settings.LANGUAGE_CODE]["slug"] for content in sheet_contents()}
    pages = ToolboxSheetPage.objects.filter(locale__language_code=settings.LANGUAGE_CODE, slug__in=slugs.values())
    by_slug = {page.slug: page for page in pages}
    return {key: by_slug[slug] for key, slug in slugs.items() if slug in by_slug}


def events_ensure(*, network, public_documents):
    content = _read("events.yaml")
    default = settings.LANGUAGE_CODE
    today = timezone.localdate()
    formats = {term.key: term for term in Format.objects.filter(**CANONICAL_TERMS)}
    communes = {term.key: term for term in Commune.objects.filter(**CANONICAL_TERMS)}
    themes = {term.key: term for term in Theme.objects.filter(**CANONICAL_TERMS)}
    audiences = {term.key: term for term in Audience.objects.filter(**CANONICAL_TERMS)}
    sheets = _sheets_by_key()
    locales = {locale.language_code: locale for locale in Locale.objects.all()}
    created = 0
    for item in content["events"]:
        translations = item["translations"]
        if EventPage.objects.filter(slug=translations[default]["slug"], locale=network.locale).exists():
            continue
        venue = content["venues"].get(item.get("venue"), {})
        sessions = _event_sessions(item, today)
        starts_at = sessions[0].starts_at
        deadline = starts_at - datetime.timedelta(days=item["deadline_days"]) if "deadline_days" in item else None
        event = EventPage(
            **event_fields(item, translations[default], content["accessibility"], default, venue),
            is_demo=True,
            event_type=item["type"],
            format=formats[item["format"]],
            postcode=venue.get("postcode", ""),
            commune=communes.get(venue.get("commune")),
            latitude=Decimal(str(venue["latitude"])) if "latitude" in venue else None,
            longitude=Decimal(str(venue["longitude"])) if "longitude" in venue else None,
            online_url=item.get("online", ""),
            capacity=item.get("capacity"),
            registration_deadline=deadline,
            materials=[("document", public_documents[item["material"]])] if item.get("material") else [],
        )
        event.sessions = sessions
        event.themes = [themes[key] for key in item.get("themes", [])]
        event.audiences = [audiences[key] for key in item.get("audiences", [])]
        event.session_languages = [locales[code] for code in item.get("languages", []) if code in locales]
        event.audience_note = ""
        event.sheets = [sheets[key] for key in item.get("sheets", []) if key in sheets]
        page_create(
            parent=network,
            page=event,
            translations={
                code: event_fields(item, t, content["accessibility"], code, venue)
                for code, t in translations.items()
                if code != network.locale.language_code
            },
        )
        for number in range(1, item.get("demo_registrations", 0) + 1):
            Registration.objects.create(
                event=event,
                status=RegistrationStatus.CONFIRMED,
                confirmed_at=timezone.now(),
                name=f"Participant·e de démonstration {number}",
                email=f"demo-participant-{number}@example.org",
                organisation="Organisation de démonstration",
                language=default,
            )
        created += 1
    return created


DEMO_MEMBERS = [
    ("Amina Démo", "public-officer", "Commune de démonstration", "Coordinatrice participation", True),
    ("Bram Demo", "public-officer", "Gewestelijke instelling (demo)", "Participatieambtenaar", True),
    ("Chloé Démo", "citizen-collective", "Collectif de quartier (démo)", "Membre", True),
    ("Dirk Demo", "public-officer", "OCMW (demo)", "Projectmedewerker", False),
]
DEMO_REQUESTS = [
    ("Elise Démo", "citizen-collective", "Comité d'habitants (démo)", "Porte-parole"),
    ("Farid Demo", "public-officer", "Organisme régional (démo)", "Chargé de mission"),
]


def members_ensure():
    User = get_user_model()
    group = services.members_group_ensure()
    for number, (name, kind, organisation, role, listed) in enumerate(DEMO_MEMBERS, start=1):
        email = f"demo-member-{number}@example.org"
        if MembershipRequest.objects.filter(email=email).exists():
            continue
        user = User(username=email, email=email, first_name=name)
        user.set_unusable_password()
        user.save()
        user.groups.add(group)
        MembershipRequest.objects.create(
            name=name,
            email=email,
            kind=kind,
            organisation=organisation,
            role=role,
            in_directory=listed,
            language="fr" if number % 2 else "nl",
            status=MembershipStatus.APPROVED,
            decided_at=timezone.now(),
            user=user,
            is_demo=True,
        )
    for number, (name, kind, organisation, role) in enumerate(DEMO_REQUESTS, start=1):
        email = f"demo-request-{number}@example.org"
        if not MembershipRequest.objects.filter(email=email).exists():
            MembershipRequest.objects.create(
                name=name,
                email=email,
                kind=kind,
                organisation=organisation,
                role=role,
                motivation="Demande de démonstration.",
                language="fr",
                is_demo=True,
            )


def load(stdout):
    homes = {home.locale.language_code: home for home in HomePage.objects.select_related("locale")}
    content = _read("network-page.yaml")
    fields = {code: network_fields(value) for code, value in content["translations"].items()}
    pages = section_page_ensure(homes=homes, model=NetworkPage, fields_by_language=fields, position=4)
    network = pages[settings.LANGUAGE_CODE]
    members_area_ensure(network=network, content=content["members_area"])
    _group, members_collection = services.members_space_ensure()
    public_documents = documents_ensure(members_collection=members_collection)
    created = events_ensure(network=network, public_documents=public_documents)
    members_ensure()
    stdout.write(
        f"Network: page, members' area, {EventPage.objects.filter(locale=network.locale).count()} events "
        f"({created} new), {MembershipRequest.objects.count()} membership requests."
    )
