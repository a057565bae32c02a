"""/api/docs in a browser that cannot reach the internet: every request to another host is
aborted, and Swagger UI still shows the operations, opens one and runs it, with no
Content-Security-Policy violation. When the server sends no policy (a settings module
without django-csp), the test adds the site's documented one to the docs page itself.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; frame-ancestors 'none'; object-src 'none'; "
    "base-uri 'self'; form-action 'self'"
)
# Collected in the page from its first script on, before Swagger UI runs.
LISTEN_FOR_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__violations.push(`${event.violatedDirective}: ${event.blockedURI}`);
});
"""


@pytest.fixture
def offline_page(chromium, site_server):
    """A page whose requests to any host but the test server's are aborted (and noted)."""
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    context.add_init_script(LISTEN_FOR_VIOLATIONS)
    blocked: list[str] = []
    policies: list[str] = []

    def route(route):
        url = route.request.url
        if urlsplit(url).hostname != "127.0.0.1":
            blocked.append(url)
            route.abort()
            return
        if route.request.resource_type != "document":
            route.continue_()
            return
        response = route.fetch()
        headers = dict(response.headers)
        if "content-security-policy" not in headers:
            headers["content-security-policy"] = POLICY
        policies.append(headers["content-security-policy"])
        route.fulfill(response=response, headers=headers)

    context.route("**/*", route)
    page = context.new_page()
    console: list[str] = []
    page.on("console", lambda message: console.append(f"{message.type}: {message.text}"))
    page.on("pageerror", lambda error: console.append(f"pageerror: {error}"))
    yield page, blocked, console, policies
    context.close()


def test_the_api_docs_render_offline_under_the_policy(offline_page, site_server):
    page, blocked, console, policies = offline_page
    page.goto(f"{site_server.url}/api/docs")
    standings = page.get_by_text("/api/seasons/{season}/standings/{classification}", exact=True)
    standings.first.wait_for(timeout=15_000)
    assert page.get_by_text("shorttrack public results").first.is_visible()

    # An operation opened and tried: its request goes to this server (connect-src 'self').
    seasons = page.locator(".opblock-summary", has_text="/api/seasons").first
    seasons.get_by_text("/api/seasons", exact=True).click()
    page.get_by_role("button", name="Try it out").first.click()
    page.get_by_role("button", name="Execute").first.click()
    live_status = page.locator(".live-responses-table tr.response .response-col_status").first
    live_status.wait_for(timeout=15_000)
    assert live_status.inner_text().strip() == "200"
    page.wait_for_timeout(300)  # a late violation report

    assert policies and all("script-src 'self'" in policy for policy in policies)
    assert blocked == [], f"the docs page asked other hosts: {blocked}"
    violations = page.evaluate("window.__violations")
    assert violations == []
    reported = [line for line in console if "Content Security Policy" in line]
    assert reported == []
    errors = [line for line in console if line.startswith(("error", "pageerror"))]
    assert errors == []
