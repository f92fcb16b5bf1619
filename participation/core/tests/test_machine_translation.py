"""Machine translation engines (decision 0019): the local test engine, and the DeepL and LibreTranslate clients
talking HTTP to a local server that answers as those services do (they are out of reach here)."""

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from participation.core.machine_translation import (
    DeepLTranslator,
    LibreTranslateTranslator,
    LocalTestTranslator,
    MachineTranslationError,
    machine_translator,
)


class FakeService(BaseHTTPRequestHandler):
    received: list = []

    def do_POST(self):
        payload = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        FakeService.received.append((self.path, dict(self.headers), payload))
        if self.path == "/v2/translate":
            body = {"translations": [{"text": text.upper()} for text in payload["text"]]}
        elif self.path == "/translate":
            body = {"translatedText": [text[::-1] for text in payload["q"]]}
        else:
            self.send_response(404)
            self.end_headers()
            return
        data = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


@pytest.fixture
def service():
    server = HTTPServer(("127.0.0.1", 0), FakeService)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    FakeService.received = []
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


def test_the_local_engine_marks_text_and_keeps_html():
    engine = LocalTestTranslator()
    assert engine.translate(["Bonjour", ""], source="fr", target="nl", html=False) == ["[nl] Bonjour", ""]
    html = '<p>Un <a href="/x">lien</a> ici</p>'
    assert engine.translate([html], source="fr", target="nl", html=True) == [
        '<p>[nl] Un <a href="/x">[nl] lien</a>[nl]  ici</p>'
    ]


def test_deepl_client_sends_the_key_and_html_handling(service):
    engine = DeepLTranslator(url=service, api_key="secret")
    assert engine.translate(["<p>bonjour</p>"], source="fr", target="nl", html=True) == ["<P>BONJOUR</P>"]
    path, headers, payload = FakeService.received[0]
    assert path == "/v2/translate" and headers["Authorization"] == "DeepL-Auth-Key secret"
    assert payload == {"text": ["<p>bonjour</p>"], "source_lang": "FR", "target_lang": "NL", "tag_handling": "html"}


def test_libretranslate_client_sends_the_format(service):
    engine = LibreTranslateTranslator(url=service, api_key="")
    assert engine.translate(["abc"], source="fr", target="en", html=False) == ["cba"]
    assert FakeService.received[0][2] == {"q": ["abc"], "source": "fr", "target": "en", "format": "text"}


def test_an_unreachable_service_is_a_clear_error(service):
    with pytest.raises(MachineTranslationError):
        LibreTranslateTranslator(url=service + "/nowhere/", api_key="").translate(
            ["abc"], source="fr", target="en", html=False
        )


def test_settings_choose_the_engine(settings):
    settings.MACHINE_TRANSLATION_ENGINE = ""
    assert machine_translator() is None
    settings.MACHINE_TRANSLATION_ENGINE = "deepl"
    settings.MACHINE_TRANSLATION_URL = "https://api-free.deepl.com"
    assert isinstance(machine_translator(), DeepLTranslator)
