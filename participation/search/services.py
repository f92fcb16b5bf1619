"""Keeping the search index current: the sources that feed it, updates when an item changes, the full rebuild.

Each domain registers a `SearchSource` in its `search.py` (discovered when the app registry is ready): how to list
its public items and how to turn one item into its documents, one per site language. An item that is not public
(a draft, an unpublished page) has no documents. Updates run after the transaction commits, so that a document is
built from what was stored (a provider's texts are saved after the provider itself).
"""

from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sized
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.db import transaction
from django.db.models import Model, Q, QuerySet
from django.db.models.signals import post_delete, post_save

from participation.search.engine import Engine, search_engine
from participation.search.models import SearchDocument, SearchWord

BATCH_SIZE = 500
T = TypeVar("T")


@dataclass(frozen=True)
class DocumentData:
    """What a domain says about one item in one site language (public fields only)."""

    site_language: str
    language: str
    kind: str
    url: str
    heading: str
    summary: str = ""
    body: str = ""
    tags: str = ""
    themes: tuple[str, ...] = ()
    communes: tuple[str, ...] = ()
    level: str = ""
    year: int | None = None
    members_only: bool = False
    is_demo: bool = False


@dataclass(frozen=True)
class SearchSource:
    source_type: str
    items: Callable[[], Iterable[Any]]
    documents: Callable[[Any], list[DocumentData]]
    # The items whose documents change with this one (a page's translations and aliases, its descendants when it
    # moves), read again from the database once the change is committed: by default, the item alone.
    group: Callable[[Any], Iterable[Any]] = field(default=lambda item: type(item)._default_manager.filter(pk=item.pk))
    # A model whose every save and deletion updates the index (pages use Wagtail's publishing signals instead).
    model: type[Model] | None = None


SOURCES: dict[str, SearchSource] = {}
_paused = False
# During a rebuild, what the sources look up for every item (a language's map page, a set of methods' titles) is
# looked up once: `memoised`.
_rebuild_memo: ContextVar[dict[Any, Any] | None] = ContextVar("search_rebuild_memo", default=None)


def memoised(key: Any, compute: Callable[[], T]) -> T:
    """`compute()`, once per `key` for the length of a rebuild (every time otherwise: an item changed alone is built
    from what is stored now)."""
    memo = _rebuild_memo.get()
    if memo is None:
        return compute()
    if key not in memo:
        memo[key] = compute()
    return memo[key]


def source_register(source: SearchSource) -> None:
    SOURCES[source.source_type] = source
    if source.model is not None:

        def saved(sender: Any, instance: Any, **kwargs: Any) -> None:
            item_changed(source_type=source.source_type, item=instance)

        def deleted(sender: Any, instance: Any, **kwargs: Any) -> None:
            item_deleted(source_type=source.source_type, item_id=instance.pk)

        post_save.connect(saved, sender=source.model, weak=False, dispatch_uid=f"search-{source.source_type}-saved")
        post_delete.connect(
            deleted, sender=source.model, weak=False, dispatch_uid=f"search-{source.source_type}-deleted"
        )


@contextmanager
def search_updates_paused() -> Iterator[None]:
    """Bulk writes (the demo content) without updating the index item by item; rebuild it afterwards."""
    global _paused
    previous, _paused = _paused, True
    try:
        yield
    finally:
        _paused = previous


def _keys(keys: Iterable[str]) -> str:
    keys = [key for key in keys if key]
    return f"|{'|'.join(keys)}|" if keys else ""


def _document(source_type: str, source_id: int, data: DocumentData) -> tuple[SearchDocument, set[str]]:
    """The document of one item in one site language, analysed, and its words for the dictionary."""
    document = SearchDocument(
        source_type=source_type,
        source_id=source_id,
        site_language=data.site_language,
        language=data.language,
        kind=data.kind,
        url=data.url[:500],
        heading=data.heading[:255],
        summary=data.summary,
        body=data.body,
        tags=data.tags,
        themes=_keys(data.themes)[:500],
        communes=_keys(data.communes)[:500],
        level=data.level,
        year=data.year,
        members_only=data.members_only,
        is_demo=data.is_demo,
    )
    return document, document.analyse()


def _words_add(words: Counter[str]) -> None:
    """Add words to the dictionary of corrections (their counts are exact after a rebuild)."""
    SearchWord.objects.bulk_create(
        [SearchWord(word=word, length=len(word), frequency=count) for word, count in words.items()],
        batch_size=BATCH_SIZE,
        ignore_conflicts=True,
    )


def item_documents_update(*, source_type: str, item: Any) -> None:
    """Replace the documents of one item (none if it is no longer public) and index them."""
    source = SOURCES[source_type]
    analysed = [_document(source_type, item.pk, data) for data in source.documents(item)]
    documents = [document for document, _words in analysed]
    engine = search_engine()
    with transaction.atomic():
        stored = SearchDocument.objects.filter(source_type=source_type, source_id=item.pk)
        stale = list(
            stored.exclude(site_language__in=[document.site_language for document in documents]).values_list(
                "pk", flat=True
            )
        )
        engine.documents_remove(stale)
        SearchDocument.objects.filter(pk__in=stale).delete()
        existing = dict(stored.values_list("site_language", "pk"))
        words: Counter[str] = Counter()
        for document, document_words in analysed:
            document.pk = existing.get(document.site_language)
            document.save()
            words.update(document_words)
        engine.documents_index(documents)
        _words_add(words)


def item_documents_remove(*, source_type: str, item_id: int) -> None:
    documents = SearchDocument.objects.filter(source_type=source_type, source_id=item_id)
    search_engine().documents_remove(list(documents.values_list("pk", flat=True)))
    documents.delete()


def item_changed(*, source_type: str, item: Any) -> None:
    """Update the index for an item and those that change with it, once the transaction has committed."""
    if _paused:
        return
    source = SOURCES[source_type]

    def update() -> None:
        for member in source.group(item):
            item_documents_update(source_type=source_type, item=member)

    transaction.on_commit(update)


def tagged_items_update(*, labels: Iterable[str]) -> None:
    """Update the documents that carry any of these labels among their terms (a term renamed, a method sheet
    retitled): an item tagged with a term carries its labels in every language, so the unchanged ones find it."""
    condition = Q()
    for label in {label for label in labels if label}:
        condition |= Q(tags__icontains=label)
    if not condition:
        return
    found: dict[str, set[int]] = {}
    for source_type, source_id in SearchDocument.objects.filter(condition).values_list("source_type", "source_id"):
        found.setdefault(source_type, set()).add(source_id)
    for source_type, ids in found.items():
        items = SOURCES[source_type].items()
        if isinstance(items, QuerySet):
            for item in items.filter(pk__in=ids):
                item_documents_update(source_type=source_type, item=item)


def labels_changed(*, labels: Iterable[str]) -> None:
    """`tagged_items_update` once the transaction has committed."""
    if not _paused:
        labels = list(labels)
        transaction.on_commit(lambda: tagged_items_update(labels=labels))


def item_deleted(*, source_type: str, item_id: int) -> None:
    if not _paused:
        transaction.on_commit(lambda: item_documents_remove(source_type=source_type, item_id=item_id))


def search_index_rebuild(*, progress: Callable[[Iterable[Any], int], Iterable[Any]] | None = None) -> int:
    """Build every document again from the domains and index them in bulk; returns the number of documents.

    In one transaction: visitors search the previous index until the new one is complete. Each source's items are
    read in chunks with what they refer to (`QuerySet.iterator` prefetches per chunk), what the sources look up for
    every item is looked up once (`memoised`), each text is analysed once, and the documents are written in batches
    that the database indexes as they arrive (PostgreSQL) or all at once at the end (SQLite's FTS5; engine.py).
    `progress(items, total)` wraps each source's items (the management command's progress bar)."""
    engine = search_engine()
    words: Counter[str] = Counter()
    memo = _rebuild_memo.set({})
    try:
        with transaction.atomic(), engine.rebuilding():
            documents = SearchDocument.objects.all()
            documents._raw_delete(documents.db)  # in one statement (a queryset's delete() reads every document first)
            SearchWord.objects.all().delete()
            engine.clear()
            total = _sources_index(engine, words, progress)
            _words_add(words)
    finally:
        _rebuild_memo.reset(memo)
    return total


def _sources_index(
    engine: Engine, words: Counter[str], progress: Callable[[Iterable[Any], int], Iterable[Any]] | None
) -> int:
    total = 0
    for source_type, source in SOURCES.items():
        items = source.items()
        size = items.count() if isinstance(items, QuerySet) else len(items) if isinstance(items, Sized) else 0
        if isinstance(items, QuerySet):
            items = items.iterator(chunk_size=BATCH_SIZE)
        if progress is not None:
            items = progress(items, size)
        batch: list[SearchDocument] = []
        for item in items:
            for data in source.documents(item):
                document, document_words = _document(source_type, item.pk, data)
                batch.append(document)
                words.update(document_words)
            if len(batch) >= BATCH_SIZE:
                total += _documents_store(batch, engine)
                batch = []
        total += _documents_store(batch, engine)
    return total


def _documents_store(batch: list[SearchDocument], engine: Engine) -> int:
    if not batch:
        return 0
    engine.documents_index(SearchDocument.objects.bulk_create(batch))
    return len(batch)
