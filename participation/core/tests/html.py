"""Read rendered HTML in tests by elements and attributes, independently of the template's formatting."""

from html.parser import HTMLParser


class _Collector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.elements = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))


def elements(html, tag, **attrs):
    """Attributes of every `tag` element whose attributes include `attrs` (use class_ for class)."""
    collector = _Collector()
    collector.feed(html)
    wanted = {name.rstrip("_"): value for name, value in attrs.items()}
    return [found for name, found in collector.elements if name == tag and wanted.items() <= found.items()]
