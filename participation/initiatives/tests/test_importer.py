import csv
import datetime
import io
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from wagtail.models import ModelLogEntry, Revision

from participation.initiatives.importer import COLUMNS
from participation.initiatives.models import Initiative
from participation.toolbox.tests.factories import sheet_create, toolbox_index

pytestmark = pytest.mark.django_db
SAMPLE = Path(__file__).resolve().parents[3] / "docs" / "samples" / "initiatives-import-sample.csv"
SAMPLE_METHODS = ("atelier-de-co-conception", "marche-exploratoire", "budget-participatif")


def row(**fields):
    """A valid row; `fields` replace or add columns."""
    return {
        "reference": "Q-1",
        "language": "fr",
        "title": "Un banc pour la place (démo)",
        "summary": "Les voisins choisissent le mobilier de leur place.",
        "communes": "ixelles",
        "latitude": "50.8275",
        "longitude": "4.3697",
        "organisers": "Comité de quartier (démo)",
        "organiser_type": "citizen-collective",
        "organiser_scope": "municipal",
        "themes": "urban-planning-public-space|neighbourhood-social-cohesion",
        "participation_level": "consultation",
        "start_date": "2024-03-01",
        "end_date": "2024-06-30",
        "status": "finished",
        "how_it_went": "Trois soirées de discussion.",
        "links": "Le site https://example.org/banc",
        "contact_email": "voisin@example.org",
        **fields,
    }


def csv_file(tmp_path, rows, *, name="import.csv", delimiter=",", encoding="utf-8", header=None):
    path = tmp_path / name
    header = header or list(dict.fromkeys(column for item in rows for column in item))
    with path.open("w", newline="", encoding=encoding) as file:
        writer = csv.DictWriter(file, fieldnames=header, delimiter=delimiter)
        writer.writeheader()
        writer.writerows(rows)
    return path


def run(path, *options):
    """The command's standard output; the messages in English whatever the catalogues say."""
    out = io.StringIO()
    call_command("import_initiatives", str(path), *options, "--language", "en", stdout=out, stderr=io.StringIO())
    return out.getvalue()


def run_error(path, *options):
    with pytest.raises(CommandError) as error:
        run(path, *options)
    return str(error.value)


def keys(terms):
    return sorted(term.key for term in terms.all())


def test_csv_creates_initiatives_pending_moderation_with_their_facts_and_texts(tmp_path):
    output = run(csv_file(tmp_path, [row()]))

    initiative = Initiative.objects.get(import_reference="Q-1")
    assert "Created: 1, updated: 0, unchanged: 0" in output
    assert not initiative.live  # a draft, awaiting moderation
    assert initiative.original_language == "fr"
    assert (initiative.latitude, initiative.longitude) == (Decimal("50.827500"), Decimal("4.369700"))
    assert keys(initiative.communes) == ["ixelles"]
    assert keys(initiative.themes) == ["neighbourhood-social-cohesion", "urban-planning-public-space"]
    assert initiative.organiser_type.key == "citizen-collective"
    assert initiative.participation_level.key == "consultation"
    assert (initiative.start_date, initiative.end_date) == (datetime.date(2024, 3, 1), datetime.date(2024, 6, 30))
    assert initiative.contact_email == "voisin@example.org"
    text = initiative.translations.get()
    assert (text.language, text.title, text.how_it_went) == ("fr", "Un banc pour la place (démo)", row()["how_it_went"])
    assert [(link.url, link.label) for link in initiative.links.all()] == [("https://example.org/banc", "Le site")]
    assert Revision.objects.for_instance(initiative).count() == 1
    assert ModelLogEntry.objects.for_instance(initiative).filter(action="wagtail.create").count() == 1


def test_importing_again_updates_and_never_duplicates(tmp_path):
    run(csv_file(tmp_path, [row(), row(reference="Q-2", title="Une autre (démo)")]))
    first = Initiative.objects.get(import_reference="Q-1")

    output = run(
        csv_file(
            tmp_path,
            [
                row(title="Un banc et un arbre (démo)", themes="mobility", status=""),
                row(reference="Q-2", title="Une autre (démo)"),
            ],
        )
    )

    assert Initiative.objects.count() == 2
    first.refresh_from_db()
    assert "Created: 0, updated: 1, unchanged: 1" in output
    assert first.translations.get().title == "Un banc et un arbre (démo)"
    assert keys(first.themes) == ["mobility"]
    assert first.status == ""
    assert Revision.objects.for_instance(first).count() == 2


def test_a_row_that_changes_nothing_saves_no_revision(tmp_path):
    path = csv_file(tmp_path, [row()])
    run(path)

    output = run(path, "--verbosity", "2")

    initiative = Initiative.objects.get()
    assert "Created: 0, updated: 0, unchanged: 1" in output
    assert 'row 2: "Un banc pour la place (démo)" (reference Q-1) is unchanged.' in output
    assert Revision.objects.for_instance(initiative).count() == 1


def test_an_update_keeps_a_draft_a_draft_and_publish_publishes(tmp_path):
    run(csv_file(tmp_path, [row()]))

    run(csv_file(tmp_path, [row(title="Autre titre (démo)")]))
    initiative = Initiative.objects.get()
    assert not initiative.live
    assert initiative.latest_revision.as_object().text("fr").title == "Autre titre (démo)"

    run(csv_file(tmp_path, [row(title="Autre titre (démo)")]), "--publish")
    initiative = Initiative.objects.get()
    assert initiative.live
    assert initiative.live_revision_id == initiative.latest_revision_id


def test_an_update_of_a_published_initiative_is_published(tmp_path):
    run(csv_file(tmp_path, [row()]), "--publish")

    run(csv_file(tmp_path, [row(title="Un banc neuf (démo)")]))

    initiative = Initiative.objects.get()
    assert initiative.live and not initiative.has_unpublished_changes
    assert initiative.translations.get().title == "Un banc neuf (démo)"


def test_publish_publishes_new_initiatives(tmp_path):
    run(csv_file(tmp_path, [row()]), "--publish")

    assert Initiative.objects.get().live


def test_a_row_in_another_language_adds_that_language_to_the_same_initiative(tmp_path):
    rows = [row(), row(language="nl", title="Een bank voor het plein (demo)", summary="Buren kiezen.", how_it_went="")]

    run(csv_file(tmp_path, rows))

    initiative = Initiative.objects.get()
    assert initiative.original_language == "fr"
    assert sorted(initiative.translations.values_list("language", "title")) == [
        ("fr", "Un banc pour la place (démo)"),
        ("nl", "Een bank voor het plein (demo)"),
    ]


def test_values_are_accepted_as_keys_or_labels_in_any_language_and_communes_by_postcode(tmp_path):
    path = csv_file(
        tmp_path,
        [
            row(
                communes="1050|Elsene|Brussel-Stad|City of Brussels",
                themes="MOBILITE|Leefmilieu en klimaat|Housing",
                organiser_type="Gemeente",
                organiser_scope="Regional",
                participation_level="co-décision",
                format="En ligne",
                process_languages="Nederlands|English|fr",
                language="Français",
            )
        ],
    )

    run(path)

    initiative = Initiative.objects.get()
    assert keys(initiative.communes) == ["bruxelles", "ixelles"]
    assert keys(initiative.themes) == ["environment-climate", "housing", "mobility"]
    assert initiative.organiser_type.key == "municipality"
    assert initiative.organiser_scope == "regional"
    assert initiative.participation_level.key == "co-decision"
    assert initiative.format.key == "online"
    assert initiative.process_languages == ["nl", "en", "fr"]
    assert initiative.original_language == "fr"


def test_methods_are_found_by_the_slug_of_their_french_sheet(tmp_path, site_homes):
    index = toolbox_index(site_homes["fr"])
    world_cafe = sheet_create(index, title="World café", slug="world-cafe")

    run(csv_file(tmp_path, [row(methods="World-Cafe")]))

    assert list(Initiative.objects.get().methods.all()) == [world_cafe]
    message = run_error(csv_file(tmp_path, [row(methods="world-cafe|speed-dating")]))
    assert 'row 2, column "methods": Unknown value "speed-dating". Accepted: world-cafe.' in message


def test_semicolons_a_bom_and_french_dates_and_decimal_commas_are_read(tmp_path):
    path = csv_file(
        tmp_path,
        [row(start_date="01/03/2024", end_date="30/06/2024", latitude="50,8275", longitude="4,3697")],
        delimiter=";",
        encoding="utf-8-sig",
    )

    run(path)

    initiative = Initiative.objects.get()
    assert initiative.start_date == datetime.date(2024, 3, 1)
    assert initiative.latitude == Decimal("50.827500")


def test_without_coordinates_the_centre_of_the_first_commune_is_used_with_a_warning(tmp_path):
    output = run(csv_file(tmp_path, [row(latitude="", longitude="", communes="schaerbeek|evere")]))

    initiative = Initiative.objects.get()
    assert (initiative.latitude, initiative.longitude) == (Decimal("50.867600"), Decimal("4.373700"))
    assert 'Warning: row 2, column "latitude": no coordinates: the centre of Schaerbeek is used' in output


def test_an_xlsx_workbook_is_imported_with_its_typed_cells(tmp_path):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    data = row(reference=1042, latitude=50.8275, longitude=4.3697, participants_count=120)
    data["start_date"] = datetime.datetime(2024, 3, 1)
    data["end_date"] = datetime.date(2024, 6, 30)
    sheet.append([column.replace("_", " ").capitalize() for column in data])  # headers as a questionnaire shows them
    sheet.append(list(data.values()))
    path = tmp_path / "export.xlsx"
    workbook.save(path)

    output = run(path)

    initiative = Initiative.objects.get(import_reference="1042")
    assert "Created: 1" in output
    assert initiative.participants_count == 120
    assert initiative.start_date == datetime.date(2024, 3, 1)
    assert initiative.end_date == datetime.date(2024, 6, 30)
    assert initiative.latitude == Decimal("50.827500")


def test_errors_are_reported_by_row_and_column_and_nothing_is_written(tmp_path):
    path = csv_file(
        tmp_path,
        [
            row(),
            row(reference="Q-2", themes="mobility|astrology", start_date="2024-13-01"),
            row(reference="Q-3", latitude="51.2194", longitude="4.4025", contact_email="not-an-address"),
            row(reference="Q-4", start_date="2024-06-01", end_date="2024-01-01", title=""),
        ],
    )

    message = run_error(path)

    assert Initiative.objects.count() == 0
    assert (
        'row 3, column "themes": Unknown value "astrology". Accepted: urban-planning-public-space, mobility' in message
    )
    assert 'row 3, column "start_date": "2024-13-01" is not a date: write YYYY-MM-DD (or DD/MM/YYYY).' in message
    assert (
        'row 4, column "latitude": 51.2194 is outside the Brussels-Capital Region (between 50.76 and 50.92).' in message
    )
    assert 'row 4, column "longitude"' not in message
    assert 'row 4, column "contact_email": Enter a valid email address.' in message
    assert 'row 5, column "title": A value is required.' in message
    assert 'row 5, column "end_date": The end date cannot be before the start date.' in message
    assert "3 rows have errors: nothing was imported." in message
    assert "row 2" not in message


def test_a_dry_run_validates_reports_and_writes_nothing(tmp_path):
    run(csv_file(tmp_path, [row()]))
    path = csv_file(tmp_path, [row(title="Nouveau titre (démo)"), row(reference="Q-2")])

    output = run(path, "--dry-run")

    assert Initiative.objects.count() == 1
    assert Initiative.objects.get().translations.get().title == "Un banc pour la place (démo)"
    assert 'row 2: would update "Nouveau titre (démo)" (reference Q-1).' in output
    assert 'row 3: would create "Un banc pour la place (démo)" (reference Q-2).' in output
    assert "Dry run, nothing was written. Rows: 2. Would be created: 1, updated: 1, unchanged: 0. Errors: 0." in output


def test_a_dry_run_reports_errors_like_an_import(tmp_path):
    message = run_error(csv_file(tmp_path, [row(status="someday")]), "--dry-run")

    assert 'row 2, column "status": Unknown value "someday". Accepted: planned, ongoing, finished.' in message


def test_the_same_reference_and_language_twice_in_a_file_is_an_error(tmp_path):
    message = run_error(csv_file(tmp_path, [row(), row(title="Doublon (démo)")]))

    assert 'row 3, column "reference": row 2 already has this reference in this language' in message
    assert Initiative.objects.count() == 0


def test_a_value_under_no_column_name_is_an_error_not_dropped(tmp_path):
    path = tmp_path / "import.csv"
    path.write_text(
        "reference,language,title,summary,communes,organisers,organiser_scope,\n"
        "Q-1,fr,Titre (démo),Résumé,ixelles,Comité,municipal,oublié\n",
        encoding="utf-8",
    )

    message = run_error(path)

    assert "row 2: column 8 holds a value but has no name in the header." in message


def test_the_sample_file_imports_cleanly(tmp_path, site_homes):
    index = toolbox_index(site_homes["fr"])
    for slug in SAMPLE_METHODS:
        sheet_create(index, title=slug, slug=slug)

    output = run(SAMPLE)

    assert "Warning" not in output
    assert "Rows: 4. Created: 3, updated: 1, unchanged: 0. Errors: 0." in output
    assert Initiative.objects.count() == 3
    assert all(initiative.is_demo for initiative in Initiative.objects.all())
    shared_garden = Initiative.objects.get(import_reference="DEMO-001")
    assert sorted(shared_garden.translations.values_list("language", flat=True)) == ["fr", "nl"]
    assert sorted(shared_garden.methods.values_list("slug", flat=True)) == [
        "atelier-de-co-conception",
        "marche-exploratoire",
    ]
    assert all(
        text.title.endswith(("(demo)", "(démo)")) for i in Initiative.objects.all() for text in i.translations.all()
    )
    with SAMPLE.open(encoding="utf-8") as file:
        header = next(csv.reader(file))
    assert header == [column for column in COLUMNS if column in header]  # known columns, in the documented order


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("import.csv", b"", 'The file "import.csv" is empty.'),
        ("import.csv", b"\n\n", 'The file "import.csv" is empty.'),
        ("import.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "is not a text file, so not a CSV file"),
        ("import.csv", "référence;titre\n".encode("latin-1"), "is not UTF-8 text"),
        ("import.csv", "reference,title\n".encode("utf-16"), "is encoded in UTF-16"),
        ("import.xlsx", b"PK\x03\x04 this is no workbook", "cannot be read as an Excel workbook (.xlsx)"),
        ("import.xls", b"reference\nQ-1\n", "is neither a CSV file (.csv) nor an Excel workbook (.xlsx)"),
        ("import.txt", b"reference\nQ-1\n", "is neither a CSV file (.csv) nor an Excel workbook (.xlsx)"),
        (
            "import.csv",
            b"reference,language,title\nQ-1,fr,Titre\n",
            'Required columns are missing: "summary", "communes"',
        ),
        (
            "import.csv",
            b"Hello, this is a letter\nnot a table at all\n",
            'Unknown columns: "hello", "this_is_a_letter"',
        ),
        (
            "import.csv",
            b"reference,language,title,summary,communes,organisers,organiser_scope,colour\n",
            'Unknown columns: "colour". The accepted columns are: reference, language, title',
        ),
        (
            "import.csv",
            b"reference,language,title,summary,communes,organisers,organiser_scope,Title\n",
            'The column "title" appears twice in the header.',
        ),
        ("import.csv", b"reference,language,title,summary,communes,organisers,organiser_scope\n", "no rows to import"),
    ],
)
def test_a_file_that_cannot_be_imported_gets_a_clear_error(tmp_path, name, content, expected):
    path = tmp_path / name
    path.write_bytes(content)

    assert expected in run_error(path)


def test_a_missing_file_gets_a_clear_error(tmp_path):
    assert f'There is no file at "{tmp_path / "nowhere.csv"}".' in run_error(tmp_path / "nowhere.csv")


def test_empty_rows_and_other_sheets_are_reported_not_silently_skipped(tmp_path):
    workbook = openpyxl.Workbook()
    data = row()
    workbook.active.append(list(data))
    workbook.active.append([])
    workbook.active.append(list(data.values()))
    workbook.active.append([None] * len(data))
    workbook.create_sheet("Notes").append(["A note that is not imported"])
    path = tmp_path / "export.xlsx"
    workbook.save(path)

    output = run(path)

    assert Initiative.objects.count() == 1
    assert 'Warning: The workbook has 2 sheets: only the first one, "Sheet", is read.' in output
    assert "Warning: 2 empty rows were skipped." in output


# The import screen of the admin.


def admin_user(group):
    from django.contrib.auth.models import Group, User

    user = User.objects.create_user(group.lower(), f"{group.lower()}@example.org", "a-long-password-123")
    user.groups.add(Group.objects.get(name=group))
    return user


def upload(client, path, **data):
    from django.urls import reverse

    with path.open("rb") as handle:
        return client.post(reverse("initiatives_import"), {"file": handle, **data})


def test_editors_check_a_file_in_the_admin_then_import_it(client, tmp_path, settings):
    from django.urls import reverse

    from participation.initiatives.models import InitiativeImport

    settings.MEDIA_ROOT = tmp_path / "media"
    client.force_login(admin_user("Editors"))
    response = upload(client, csv_file(tmp_path, [row(), row(reference="Q-2", title="Une autre (démo)")]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Un banc pour la place (démo)" in html and "Une autre (démo)" in html
    assert not Initiative.objects.exists(), "checking writes nothing"
    pending = InitiativeImport.objects.get()
    assert client.get(f"/media/{pending.file.name}").status_code == 404, "the uploaded file is never served"

    response = client.post(reverse("initiatives_import_confirm", args=[pending.pk]))
    assert response.status_code == 200
    assert Initiative.objects.count() == 2
    assert not any(initiative.live for initiative in Initiative.objects.all())
    pending.refresh_from_db()
    assert pending.imported_at is not None and pending.counts["created"] == 2
    assert not (tmp_path / "media" / pending.file.name).exists(), "the file is deleted once imported"
    assert client.post(reverse("initiatives_import_confirm", args=[pending.pk])).status_code != 200
    assert Initiative.objects.count() == 2, "an import is done once"


def test_the_admin_import_lists_errors_by_row_and_column_and_keeps_nothing(client, tmp_path, settings):
    from participation.initiatives.models import InitiativeImport

    settings.MEDIA_ROOT = tmp_path / "media"
    client.force_login(admin_user("Editors"))
    html = upload(client, csv_file(tmp_path, [row(communes="atlantis")])).content.decode()
    assert "ligne 2, colonne" in html and "communes" in html and "atlantis" in html, "located by row and column"
    assert not InitiativeImport.objects.exists() and not Initiative.objects.exists()
    html = upload(client, csv_file(tmp_path, [row()], name="notes.txt")).content.decode()
    assert "notes.txt" in html


def test_only_those_who_may_add_initiatives_import(client, tmp_path):
    from django.contrib.auth.models import User
    from django.urls import reverse

    client.force_login(User.objects.create_user("visitor", "v@example.org", "a-long-password-123", is_staff=False))
    assert client.get(reverse("initiatives_import")).status_code in (302, 403)
