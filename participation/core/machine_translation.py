"""Machine translation engines, chosen by settings (MACHINE_TRANSLATION_ENGINE): DeepL, LibreTranslate, or the local
test engine. An engine only ever pre-fills a draft that a person reviews (translation_services.translation_prefill);
nothing is published by it, and the interface's catalogues are never filled by it."""

from __future__ import annotations

import json
import re
import urllib.request
from typing import Protocol

from django.conf import settings


class MachineTranslationError(Exception):
    """The engine could not be reached or refused the request."""


class MachineTranslator(Protocol):
    name: str

    def translate(self, texts: list[str], *, source: str, target: str, html: bool) -> list[str]: ...


class LocalTestTranslator:
    """A translator that needs no outside service (tests, demonstrations): it marks each piece of text with the
    target language, `[nl] …`, keeping the HTML structure, so that a person sees at once what is to be reviewed."""

    name = "local"

    def translate(self, texts: list[str], *, source: str, target: str, html: bool) -> list[str]:
        if html:
            return [re.sub(r">([^<>]*\S[^<>]*)<", lambda m: f">[{target}] {m.group(1)}<", text) for text in texts]
        return [f"[{target}] {text}" if text.strip() else text for text in texts]


class _HttpTranslator:
    name = ""
    timeout = 20

    def __init__(self, *, url: str, api_key: str) -> None:
        self.url = url
        self.api_key = api_key

    def _post(self, url: str, payload: dict, headers: dict[str, str]) -> dict:
        request = urllib.request.Request(
            url, data=json.dumps(payload).encode(), headers={"Content-Type": "application/json", **headers}
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                return json.loads(response.read())
        except (OSError, ValueError) as error:
            raise MachineTranslationError(str(error)) from error


class DeepLTranslator(_HttpTranslator):
    """DeepL's API v2 (https://api.deepl.com or https://api-free.deepl.com)."""

    name = "deepl"

    def translate(self, texts: list[str], *, source: str, target: str, html: bool) -> list[str]:
        payload = {"text": texts, "source_lang": source.upper(), "target_lang": target.upper()}
        if html:
            payload["tag_handling"] = "html"
        data = self._post(
            self.url.rstrip("/") + "/v2/translate",
            payload,
            {"Authorization": f"DeepL-Auth-Key {self.api_key}"},
        )
        return [item["text"] for item in data.get("translations", [])]


class LibreTranslateTranslator(_HttpTranslator):
    """A LibreTranslate server (self-hosted or libretranslate.com)."""

    name = "libretranslate"

    def translate(self, texts: list[str], *, source: str, target: str, html: bool) -> list[str]:
        payload = {"q": texts, "source": source, "target": target, "format": "html" if html else "text"}
        if self.api_key:
            payload["api_key"] = self.api_key
        data = self._post(self.url.rstrip("/") + "/translate", payload, {})
        translated = data.get("translatedText", [])
        return translated if isinstance(translated, list) else [translated]


ENGINES: dict[str, type] = {
    "local": LocalTestTranslator,
    "deepl": DeepLTranslator,
    "libretranslate": LibreTranslateTranslator,
}


def machine_translator() -> MachineTranslator | None:
    """The engine the settings choose, or None when machine translation is off."""
    name = getattr(settings, "MACHINE_TRANSLATION_ENGINE", "")
    if not name:
        return None
    engine = ENGINES[name]
    if engine is LocalTestTranslator:
        return LocalTestTranslator()
    return engine(url=settings.MACHINE_TRANSLATION_URL, api_key=settings.MACHINE_TRANSLATION_API_KEY)
