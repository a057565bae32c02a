"""The API docs at /api/docs work without the internet and under the site's
Content-Security-Policy: Swagger UI comes from this server's static files (django-ninja
ships them and uses them when "ninja" is an installed app), its settings travel as a JSON
data block and its start-up code is a static file, so nothing runs inline.
"""

from __future__ import annotations

import json
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest

# A JSON data block is not run, so the policy's script-src does not apply to it.
DATA_TYPES = {"application/json"}
CONTENT_TYPES = {
    ".css": {"text/css"},
    ".js": {"text/javascript", "application/javascript"},
    ".png": {"image/png"},
    ".svg": {"image/svg+xml"},
}


class References(HTMLParser):
    """Every URL the page loads, its inline scripts and inline styles."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.inline_scripts: list[str] = []
        self.data_blocks: dict[str, str] = {}
        self.inline_styles: list[str] = []
        self._script: dict | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name in ("src", "href", "action", "srcset", "poster", "data"):
            if attrs.get(name):
                self.urls.append(attrs[name])
        if "style" in attrs:
            self.inline_styles.append(f"<{tag} style={attrs['style']!r}>")
        if tag == "style":
            self.inline_styles.append("<style>")
        if tag == "script":
            self._script = {**attrs, "body": ""}
        for name, value in attrs.items():
            if name.startswith("on"):
                self.inline_scripts.append(f"<{tag} {name}={value!r}>")

    def handle_data(self, data):
        if self._script is not None:
            self._script["body"] += data

    def handle_endtag(self, tag):
        if tag != "script" or self._script is None:
            return
        script, self._script = self._script, None
        if not script["body"].strip():
            return
        if script.get("type") in DATA_TYPES:
            self.data_blocks[script.get("id", "")] = script["body"]
        else:
            self.inline_scripts.append(script["body"].strip()[:80])


@pytest.fixture
def docs(client):
    response = client.get("/api/docs")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    page = References()
    page.feed(response.content.decode())
    return response, page


def same_origin(url: str) -> bool:
    parts = urlsplit(url)
    return not parts.scheme and not parts.netloc and url.startswith("/")


def test_the_docs_page_loads_only_this_servers_files(docs):
    _, page = docs
    assert page.urls, "the docs page references no files: is Swagger UI there at all?"
    outside = [url for url in page.urls if not same_origin(url)]
    assert outside == [], f"the docs page loads files from elsewhere: {outside}"
    assert any(url.endswith(".js") for url in page.urls)
    assert any(url.endswith(".css") for url in page.urls)


def test_nothing_runs_or_styles_inline(docs):
    _, page = docs
    assert page.inline_scripts == []
    assert page.inline_styles == []


def test_every_file_it_references_is_served_with_its_type(client, docs):
    _, page = docs
    for url in page.urls:
        response = client.get(url)
        assert response.status_code == 200, url
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert body, url
        suffix = url[url.rfind(".") :]
        media_type = response["Content-Type"].split(";")[0].strip()
        assert media_type in CONTENT_TYPES[suffix], f"{url}: {media_type}"


def test_the_schema_it_reads_is_this_servers_and_lists_the_endpoints(client, docs):
    _, page = docs
    settings = json.loads(page.data_blocks["swagger-settings"])
    assert same_origin(settings["url"])
    # Swagger UI's "validator" badge would send the schema's address to validator.swagger.io.
    assert settings.get("validatorUrl") in (None, "none")
    schema = client.get(settings["url"])
    assert schema.status_code == 200
    assert schema["Content-Type"].startswith("application/json")
    assert "/api/seasons/{season}/standings/{classification}" in schema.json()["paths"]


def test_the_page_needs_no_exception_to_the_content_security_policy(docs):
    """When the site sends its policy (django-csp), the docs page gets the same one,
    without 'unsafe-inline' or 'unsafe-eval' for scripts or styles."""
    response, _ = docs
    policy = response.get("Content-Security-Policy")
    if policy is None:
        pytest.skip("no Content-Security-Policy is configured")
    directives = {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}
    for directive in ("script-src", "style-src"):
        sources = directives.get(directive, directives.get("default-src", []))
        assert "'unsafe-inline'" not in sources, directive
        assert "'unsafe-eval'" not in sources, directive
