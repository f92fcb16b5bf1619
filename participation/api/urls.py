"""The API's documentation page under each language prefix, at a translated address (/fr/donnees-ouvertes/api/,
/nl/open-data/api/, /en/open-data/api/). The API itself is at /api/v1/, outside the prefixes (config/urls.py)."""

from django.urls import path
from django.utils.translation import gettext_lazy as _

from participation.api import views

urlpatterns = [
    path(_("open-data/api/"), views.api_docs, name="api-docs"),
]
