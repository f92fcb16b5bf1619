"""The purchasing centre's records (providers, support requests) and its page, in two modules: the page's routes read
through selectors that import the records."""

from .records import OrganisationType, Provider, ProviderText, RequestStatus, SupportRequest

# isort: split
from .pages import PurchasingCentrePage, QuestionBlock, SectionBlock, StepBlock

__all__ = [
    "OrganisationType",
    "Provider",
    "ProviderText",
    "PurchasingCentrePage",
    "QuestionBlock",
    "RequestStatus",
    "SectionBlock",
    "StepBlock",
    "SupportRequest",
]
