import copy
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.utils import translation

from participation.core.forms import TermMultipleChoiceField
from participation.core.models import Commune, Theme
from participation.core.models.vocabularies import VOCABULARY_MODELS
from participation.core.selectors import vocabulary_choices, vocabulary_terms

pytestmark = pytest.mark.django_db


def test_the_19_communes_are_loaded_in_three_languages():
    for code in ("fr", "nl", "en"):
        assert Commune.objects.filter(locale__language_code=code).count() == 19
    ixelles = {c.locale.language_code: c.label for c in Commune.objects.filter(key="ixelles")}
    assert ixelles == {"fr": "Ixelles", "nl": "Elsene", "en": "Ixelles"}
    assert Commune.objects.get(key="bruxelles", locale__language_code="en").label == "City of Brussels"
    assert "1020" in Commune.objects.get(key="bruxelles", locale__language_code="fr").postcodes


def test_commune_centres_lie_inside_the_region():
    for commune in Commune.objects.all():
        assert Decimal("50.76") <= commune.latitude <= Decimal("50.92"), commune.key
        assert Decimal("4.24") <= commune.longitude <= Decimal("4.48"), commune.key


@pytest.mark.parametrize("model", VOCABULARY_MODELS, ids=lambda m: m.__name__)
def test_every_vocabulary_has_the_same_keys_in_every_language(model):
    keys = {
        code: set(model.objects.filter(locale__language_code=code).values_list("key", flat=True))
        for code in ("fr", "nl", "en")
    }
    assert keys["fr"], model
    assert keys["fr"] == keys["nl"] == keys["en"]
    assert not model.objects.filter(label="").exists()
    for key in keys["fr"]:
        assert model.objects.filter(key=key).values("translation_key").distinct().count() == 1


def test_vocabularies_cover_the_shared_reference_lists():
    assert set(vocabulary_terms(model=VOCABULARY_MODELS[2], language="en").values_list("key", flat=True)) == {
        "framing",
        "design",
        "mobilisation-communication",
        "deployment-facilitation",
        "feedback",
        "evaluation",
    }
    assert Theme.objects.filter(locale__language_code="fr").count() == 12


def test_a_term_displays_in_the_active_language_whichever_record_is_linked():
    french_record = Theme.objects.get(key="mobility", locale__language_code="fr")
    with translation.override("nl"):
        assert french_record.display_label == "Mobiliteit"
    with translation.override("en"):
        assert french_record.display_label == "Mobility"


def test_edited_label_is_shown_at_once():
    with translation.override("nl"):
        assert Theme.labels()["housing"] == "Huisvesting"
        term = Theme.objects.get(key="housing", locale__language_code="nl")
        term.label = "Wonen"
        term.save()
        assert Theme.labels()["housing"] == "Wonen"


def test_editors_and_moderators_may_edit_vocabularies_and_translate():
    for name in ("Editors", "Moderators"):
        perms = set(Group.objects.get(name=name).permissions.values_list("codename", flat=True))
        assert {"change_theme", "add_commune", "submit_translation", "access_admin"} <= perms
    assert "delete_theme" not in set(Group.objects.get(name="Editors").permissions.values_list("codename", flat=True))


def test_filter_choices_are_read_once_and_follow_an_edited_term(django_assert_num_queries):
    first = vocabulary_choices(model=Theme, language="nl")
    assert first == list(vocabulary_terms(model=Theme, language="nl").values_list("key", "label"))
    with django_assert_num_queries(0):
        assert vocabulary_choices(model=Theme, language="nl") == first
    term = Theme.objects.get(key="mobility", locale__language_code="nl")
    term.label = "Vervoer"
    term.save()
    assert ("mobility", "Vervoer") in vocabulary_choices(model=Theme, language="nl")


@pytest.mark.parametrize("number", ["43935776387456638976", "-43935776387456638976", f"{2**63}"])
def test_a_number_beyond_the_records_keys_is_an_unknown_choice_not_a_server_error(number):
    field = TermMultipleChoiceField(Theme)
    known = Theme.objects.get(key="mobility", locale__language_code="fr")
    with pytest.raises(ValidationError) as refused:
        copy.deepcopy(field).clean([str(known.pk), number])
    assert refused.value.code == "invalid_choice"
    assert list(copy.deepcopy(field).clean([str(known.pk)])) == [known]
