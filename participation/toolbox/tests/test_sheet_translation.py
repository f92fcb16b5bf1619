"""A sheet's StreamField is pre-filled block by block by machine translation, ids kept (decision 0019)."""

import pytest
from wagtail.models import Page

from participation.core.machine_translation import LocalTestTranslator
from participation.core.models import TranslationRecord
from participation.core.translation_selectors import page_comparison, page_record
from participation.core.translation_services import page_translation_prefill, page_translation_start
from participation.toolbox.tests.factories import sections, sheet_create, toolbox_index

pytestmark = pytest.mark.django_db


def test_machine_prefill_translates_every_block_and_keeps_their_ids(site_homes):
    sheet = sheet_create(toolbox_index(site_homes["fr"]), title="World café", slug="world-cafe", body=sections(words=3))
    target = page_translation_start(source=sheet, language="nl", user=None)
    page_translation_prefill(source=sheet, target=target, translator=LocalTestTranslator(), user=None)
    draft = Page.objects.get(pk=target.pk).specific.get_latest_revision_as_object()
    source_blocks = [(block.id, block.value["heading"]) for block in sheet.body]
    draft_blocks = [(block.id, block.value["heading"]) for block in draft.body]
    assert [block_id for block_id, _heading in draft_blocks] == [block_id for block_id, _heading in source_blocks]
    assert all(
        heading == f"[nl] {source}" for (_id, heading), (_i, source) in zip(draft_blocks, source_blocks, strict=True)
    )
    assert draft.body[0].value["body"].source == "<p>[nl] mot mot mot </p>"
    assert TranslationRecord.objects.get(language="nl", object_key=str(sheet.translation_key)).pending


def test_the_comparison_marks_the_blocks_changed_since_the_translation(site_homes):
    sheet = sheet_create(toolbox_index(site_homes["fr"]), title="World café", slug="world-cafe", body=sections(words=3))
    target = page_translation_start(source=sheet, language="nl", user=None)
    Page.objects.get(pk=target.pk).specific.save_revision().publish()
    sheet.body[1].value["heading"] = "Un nouveau titre"
    sheet.save_revision().publish()
    record = page_record(page=Page.objects.get(pk=target.pk))
    assert record.is_outdated
    body = next(item for item in page_comparison(source=sheet, target=target, record=record) if item.name == "body")
    assert [block.changed for block in body.blocks] == [index == 1 for index in range(len(body.blocks))]
