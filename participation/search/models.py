"""The search index's documents: one per public item and site language, built from the item by its domain
(each app's `search.py`), indexed by the full-text engine (`engine.py`), shown on the results page without another
query.

A document is what a visitor of one language's site finds: a page of that language's tree (a translation, or an
alias still showing the original text), an initiative or a provider in that language or, where it has no text yet,
in its original language. `language` is the language of the text, `site_language` that of the site it belongs to.
Nothing personal is ever copied here: the domains build documents from public fields only.
"""

from django.db import models
from wagtail.search import index

from participation.search import analysis


class SearchDocument(index.Indexed, models.Model):
    source_type = models.CharField(max_length=32)
    source_id = models.PositiveBigIntegerField()
    site_language = models.CharField(max_length=2)
    language = models.CharField(max_length=2)
    kind = models.CharField(max_length=32)
    url = models.CharField(max_length=500)
    heading = models.CharField(max_length=255)
    summary = models.TextField(blank=True)
    body = models.TextField(blank=True)
    # Labels of the item's vocabulary terms in the three languages (themes, communes, levels, methods …): a query
    # in any language meets what is tagged with the term.
    tags = models.TextField(blank=True)
    # Keys of the item's terms for the facets, as `|key|key|` so that one key is found with `contains`.
    themes = models.CharField(max_length=500, blank=True)
    communes = models.CharField(max_length=500, blank=True)
    level = models.CharField(max_length=64, blank=True)
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    members_only = models.BooleanField(default=False)
    is_demo = models.BooleanField(default=False)
    # The texts analysed (`analyse()`, before saving: `analysis.document_columns`): what the full-text engine
    # indexes — the database keeps its index from these columns by itself (engine.py) — and what the ranking
    # compares a query with, in SQL (`selectors._ranked`).
    heading_words = models.TextField(blank=True)
    heading_key = models.TextField(blank=True)
    heading_terms = models.TextField(blank=True)
    summary_terms = models.TextField(blank=True)
    tag_terms = models.TextField(blank=True)
    body_terms = models.TextField(blank=True)

    # A distributed engine (OpenSearch through Wagtail's framework, `engine.WagtailEngine`) holds these; the database
    # engines hold the same four texts in their own index. Documents are indexed by the search app's services,
    # never by Wagtail's signals.
    search_auto_update = False
    search_fields = [
        index.SearchField("title", boost=5),  # the analysed heading
        index.SearchField("summary_terms", boost=3),
        index.SearchField("tag_terms", boost=2),
        index.SearchField("body_terms"),
        index.AutocompleteField("autocomplete_terms"),
        index.FilterField("id"),
        index.FilterField("site_language"),
        index.FilterField("language"),
        index.FilterField("kind"),
        index.FilterField("source_type"),
        index.FilterField("members_only"),
    ]

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["source_type", "source_id", "site_language"], name="one_search_document_per_item_and_site"
            )
        ]
        indexes = [
            models.Index(fields=["site_language", "kind"]),
            # A heading that is the query, first of the ranking's tiers (`selectors._first_matches`).
            models.Index(fields=["site_language", "heading_key"], name="search_document_heading_key"),
        ]

    def __str__(self):
        return f"{self.kind}: {self.heading} ({self.site_language})"

    def analyse(self) -> set[str]:
        """Fill the analysed columns from the texts; returns the words for the dictionary of corrections."""
        columns, words = analysis.document_analysis(
            heading=self.heading, summary=self.summary, body=self.body, tags=self.tags, language=self.language
        )
        for name, value in columns.items():
            setattr(self, name, value)
        return words

    def title(self) -> str:
        return self.heading_terms

    def autocomplete_terms(self) -> str:
        return " ".join(analysis.words(self.heading))


class SearchWord(models.Model):
    """Every word of the index once, with the number of documents that hold it: the dictionary that corrects a
    query's typing mistakes ("consultatoin" → "consultation")."""

    word = models.CharField(max_length=64, primary_key=True)
    length = models.PositiveSmallIntegerField()
    frequency = models.PositiveIntegerField(default=1)

    class Meta:
        indexes = [models.Index(fields=["length", "word"])]

    def __str__(self):
        return self.word
