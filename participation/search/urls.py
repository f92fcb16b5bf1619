"""The site search under each language prefix, with a translated address (/fr/recherche/, /nl/zoeken/, /en/search/)."""

from django.urls import path
from django.utils.translation import gettext_lazy as _

from participation.search import views

urlpatterns = [
    path(_("search/"), views.search, name="search"),
    path(_("search/suggestions/"), views.suggest, name="search_suggestions"),
]
