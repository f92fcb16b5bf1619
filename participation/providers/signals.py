from participation.core.page_cache import page_cache_watch
from participation.providers.models.records import Provider, ProviderText

# The directory, the lots and each provider's page show these records.
page_cache_watch(Provider, ProviderText)
