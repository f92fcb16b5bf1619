"""The open-data page under each language prefix, with a translated address (/fr/donnees-ouvertes/, /nl/open-data/,
/en/open-data/)."""

from django.urls import path
from django.utils.translation import gettext_lazy as _

from participation.opendata import views

urlpatterns = [
    path(_("open-data/"), views.open_data, name="open-data"),
]
