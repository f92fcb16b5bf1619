from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path, re_path
from django.views import static as static_views
from django.views.generic import TemplateView
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from participation.api.api import api as public_api
from participation.api.views import api_not_found
from participation.core import views as core_views
from participation.core.sitemaps import PageSitemap
from participation.initiatives.sitemaps import InitiativeSitemap
from participation.network.sitemaps import NetworkSitemap
from participation.newsletter import views as newsletter_views
from participation.opendata import views as opendata_views
from participation.providers.sitemaps import PurchasingCentreSitemap


def sitemap(request):
    """Every domain adds its sitemap section here."""
    sections = {
        "pages": PageSitemap(request),
        "initiatives": InitiativeSitemap(request),
        "purchasing-centre": PurchasingCentreSitemap(request),
        "network": NetworkSitemap(request),
    }
    return sitemap_views.sitemap(request, sitemaps=sections)


urlpatterns = [
    path("admin/login/", core_views.AdminSignInView.as_view(), name="wagtailadmin_login"),
    path("admin/", include(wagtailadmin_urls)),
    path("api/v1/", public_api.urls),
    re_path(r"^api/", api_not_found),
    path(".well-known/security.txt", core_views.security_txt, name="security_txt"),
    path("csp-report/", core_views.csp_report, name="csp_report"),
    path("documents/", include(wagtaildocs_urls)),
    path("healthz", core_views.healthz, name="healthz"),
    path("newsletter/one-click-unsubscribe/", newsletter_views.unsubscribe_one_click, name="newsletter_one_click"),
    path("language/<str:language>/", core_views.language_switch, name="language_switch"),
    path("sitemap.xml", sitemap, name="sitemap"),
    # The DCAT-AP catalogue of the open data, at stable addresses outside the languages (decision 0021).
    path("catalog", opendata_views.catalogue_negotiated, name="catalogue"),
    path("catalog.ttl", opendata_views.catalogue_turtle, name="catalogue_turtle"),
    path("catalog.jsonld", opendata_views.catalogue_jsonld, name="catalogue_jsonld"),
    path("favicon.ico", core_views.favicon),
    path("robots.txt", TemplateView.as_view(template_name="robots.txt", content_type="text/plain"), name="robots"),
]

if settings.SERVE_MEDIA_FILES:
    # Documents are left out (Wagtail's document view serves them and enforces collection privacy), and so are the
    # files editors import (private until imported, then deleted).
    urlpatterns += [
        re_path(
            r"^media/(?P<path>(?!documents/|imports/).*)$", static_views.serve, {"document_root": settings.MEDIA_ROOT}
        ),
    ]

urlpatterns += i18n_patterns(
    path("", include("participation.network.urls")),
    path("", include("participation.search.urls")),
    path("", include("participation.planner.urls")),
    path("", include("participation.opendata.urls")),
    path("", include("participation.api.urls")),
    path("", include(wagtail_urls)),
    prefix_default_language=True,
)

handler404 = "participation.core.views.page_not_found"
handler500 = "participation.core.views.server_error"
