"""The web page (``/``) in a real headless Chromium against a live uvicorn.

Server-rendered pages are read with ``--dump-dom``; what needs clicks (the SPARQL box, the
named-query form, the validation upload) is driven over the DevTools protocol on a pipe
(``--remote-debugging-pipe``: no port, no extra package). Skipped only when Chromium is absent.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from chromium import CHROMIUM, FLAGS, dump_dom, needs_chromium
from conftest import LiveServer, run_live_server
from servicenet_api.texts import TEXTS

from servicenet_vocab.queries import list_queries
from servicenet_vocab.vocabulary.index import LANGUAGES

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@pytest.fixture(scope="module")
def server(backend: str) -> Iterator[LiveServer]:
    with run_live_server(backend, load_examples=True, workers=2) as live:
        yield live


class Browser:
    """Chromium driven over the DevTools protocol on fds 3 (commands in) and 4 (replies out)."""

    def __init__(self, profile: Path) -> None:
        assert CHROMIUM is not None
        to_browser_r, self._to_browser = os.pipe()
        self._from_browser, from_browser_w = os.pipe()

        def wire() -> None:  # in the child: the pipe ends become fds 3 and 4
            os.dup2(to_browser_r, 3)
            os.dup2(from_browser_w, 4)

        self._process = subprocess.Popen(
            [CHROMIUM, *FLAGS, f"--user-data-dir={profile}", "--remote-debugging-pipe"],
            preexec_fn=wire,  # only dup2 before exec: safe in a forked child
            close_fds=False,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        os.close(to_browser_r)
        os.close(from_browser_w)
        self._buffer = b""
        self._next_id = 0
        self.events: list[dict[str, Any]] = []
        target = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        attached = self.send("Target.attachToTarget", {"targetId": target, "flatten": True})
        self._session = attached["sessionId"]
        self.send("Page.enable", session=True)

    def send(
        self, method: str, params: dict[str, Any] | None = None, *, session: bool = False
    ) -> dict[str, Any]:
        self._next_id += 1
        message: dict[str, Any] = {"id": self._next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = self._session
        os.write(self._to_browser, json.dumps(message).encode() + b"\0")
        while True:
            reply = self._read()
            if reply.get("id") == self._next_id:
                if "error" in reply:
                    raise AssertionError(f"{method}: {reply['error']}")
                result: dict[str, Any] = reply["result"]
                return result
            self.events.append(reply)

    def _read(self) -> dict[str, Any]:
        while b"\0" not in self._buffer:
            chunk = os.read(self._from_browser, 65536)
            if not chunk:
                raise AssertionError("chromium closed the DevTools pipe")
            self._buffer += chunk
        message, _, self._buffer = self._buffer.partition(b"\0")
        found: dict[str, Any] = json.loads(message)
        return found

    def wait_for_load(self) -> None:
        """Until the page's load event (the events are read as they come, never slept on)."""
        while True:
            for index, event in enumerate(self.events):
                if event.get("method") == "Page.loadEventFired":
                    del self.events[: index + 1]
                    return
            self.events.append(self._read())

    def open(self, url: str) -> None:
        self.events.clear()
        self.send("Page.navigate", {"url": url}, session=True)
        self.wait_for_load()

    def run(self, script: str) -> Any:
        """Evaluate ``script`` (an expression; a promise is awaited) and return its value."""
        reply = self.send(
            "Runtime.evaluate",
            {"expression": script, "awaitPromise": True, "returnByValue": True},
            session=True,
        )
        if "exceptionDetails" in reply:
            raise AssertionError(reply["exceptionDetails"])
        return reply["result"].get("value")

    def set_file(self, selector: str, path: Path) -> None:
        root = self.send("DOM.getDocument", session=True)["root"]["nodeId"]
        node = self.send("DOM.querySelector", {"nodeId": root, "selector": selector}, session=True)[
            "nodeId"
        ]
        self.send("DOM.setFileInputFiles", {"nodeId": node, "files": [str(path)]}, session=True)

    def close(self) -> None:
        with contextlib.suppress(AssertionError):  # it may close the pipe before it answers
            self.send("Browser.close")
        self._process.wait(timeout=30)
        os.close(self._to_browser)
        os.close(self._from_browser)


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Browser]:
    if CHROMIUM is None:
        pytest.skip("chromium is not installed (`make browser` installs the Debian package)")
    chromium = Browser(tmp_path_factory.mktemp("cdp-profile"))
    yield chromium
    chromium.close()


# Waits in the page for a selector (the browser's own event loop, bounded to ~10 s).
WAIT_FOR = """
(async (selector) => {
  for (let i = 0; i < 200; i++) {
    const found = document.querySelector(selector);
    if (found) return found.closest("section, main").innerText;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return null;
})(%s)
"""


# --- without a browser: the HTML the server sends ------------------------------------------------


def test_page_is_small_self_contained_and_labelled(server: LiveServer) -> None:
    response = server.client.get("/", headers={"Accept-Language": "sv-FI,sv;q=0.9"})
    assert response.status_code == 200
    page = response.text
    assert '<html lang="sv">' in page
    assert len(page.encode()) < 100_000
    assert not re.search(r'(src|href)="(https?:)?//', page), "no CDN or external asset"
    for field in re.findall(r'<(?:input|select|textarea)[^>]*id="([^"]+)"', page):
        assert f'for="{field}"' in page, f"form field {field} has no label"
    assert page.count("<form") == 3 + len(list_queries())  # search, SPARQL, validate + queries


def test_static_files(server: LiveServer) -> None:
    css = server.client.get("/static/style.css")
    assert css.status_code == 200 and css.headers["content-type"].startswith("text/css")
    script = server.client.get("/static/app.js")
    assert "fetch(" in script.text
    missing = server.client.get("/static/secrets.txt")
    assert missing.status_code == 404 and missing.json()["error"] == "NOT_FOUND"


PACKAGE = Path(__file__).resolve().parents[2] / "api" / "servicenet_api"


def test_every_ui_string_is_in_fi_sv_en() -> None:
    for lang in LANGUAGES:
        assert set(TEXTS[lang]) == set(TEXTS["en"]), f"{lang} differs: " + ", ".join(
            sorted(set(TEXTS[lang]) ^ set(TEXTS["en"]))
        )
        empty = [key for key, text in TEXTS[lang].items() if not text.strip()]
        assert not empty, f"{lang}: empty {empty}"
    assert set(TEXTS) == set(LANGUAGES)


def test_templates_use_only_keys_of_the_table_and_every_key_is_used() -> None:
    templates = "".join(p.read_text() for p in sorted((PACKAGE / "templates").glob("*.html")))
    used = set(re.findall(r"\bt\.(\w+)", templates))
    # headings chosen by the routes, shown as t[heading]
    routes = (PACKAGE / "routes" / "vocab.py").read_text()
    used |= set(re.findall(r'heading="(\w+)"', routes))
    used |= set(re.findall(r'_listing\(request, [^)]*, "\w+", "(\w+)"\)', routes))
    assert used <= set(TEXTS["en"]), f"missing: {sorted(used - set(TEXTS['en']))}"
    assert set(TEXTS["en"]) <= used, f"unused: {sorted(set(TEXTS['en']) - used)}"
    script = (PACKAGE / "static" / "app.js").read_text()
    shown = re.findall(r'cell\("\w+", "([^"]*[A-Za-z][^"]*)"\)', script)
    assert not shown, f"app.js shows words not in the table: {shown}"


@pytest.mark.parametrize(
    ("path", "key"), [("/vocab/classes", "classes"), ("/vocab/schemes", "codelists")]
)
def test_listing_pages_are_headed_in_the_page_language(
    server: LiveServer, path: str, key: str
) -> None:
    for lang in LANGUAGES:
        page = server.client.get(path, params={"ui": lang}, headers={"Accept": "text/html"})
        assert f"<h1>{TEXTS[lang][key]} (" in page.text, lang


def test_validate_form_matches_the_validate_route(server: LiveServer) -> None:
    page = server.client.get("/?ui=fi").text
    form = re.search(r'<form id="validate-form"([^>]*)>(.*?)</form>', page, re.S)
    assert form is not None
    assert 'action="/validate?lang=fi"' in form.group(1)
    assert 'enctype="multipart/form-data"' in form.group(1)
    assert 'name="file"' in form.group(2)
    report = server.client.post(
        "/validate?lang=fi",
        files={
            "file": ("helsinki-091.ttl", (EXAMPLES / "valid" / "helsinki-091.ttl").read_bytes())
        },
        headers={"Accept": "text/html"},
    )
    assert report.status_code == 200 and "text/html" in report.headers["content-type"]


# --- in Chromium ---------------------------------------------------------------------------------


@needs_chromium
def test_home_shows_classes_and_code_lists_in_fi_sv_en(server: LiveServer, tmp_path: Path) -> None:
    dom = dump_dom(f"{server.url}/?ui=fi", tmp_path / "profile")
    assert '<html lang="fi">' in dom
    classes = re.search(r'<section id="classes".*?</section>', dom, re.S)
    assert classes is not None
    row = re.search(r"<code>sn:ServiceUnit</code>.*?</tr>", classes.group(0), re.S)
    assert row is not None
    for lang, text in (("fi", "toimipaikka"), ("sv", "verksamhetsställe"), ("en", "service unit")):
        assert f'<td lang="{lang}">{text}</td>' in row.group(0)
    codelists = re.search(r'<section id="codelists".*?</section>', dom, re.S)
    assert codelists is not None
    assert '<td lang="sv">Tjänstearter</td>' in codelists.group(0)
    assert '<h2 id="classes-h">Luokat' in dom  # the page's own words follow the switch
    assert re.search(r'<a href="[^"]*ui=sv"[^>]*hreflang="sv"', dom)


@needs_chromium
def test_named_query_result_page_is_server_rendered(
    server: LiveServer, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    url = f"{server.url}/queries/utilisation?ui=sv&date=2025-10-01&low=0&high=0"
    dom = dump_dom(url, tmp_path / "profile")
    assert '<html lang="sv">' in dom
    table = re.search(r'<table class="results">.*?</table>', dom, re.S)
    assert table is not None
    headers = re.findall(r'<th scope="col">([^<]+)</th>', table.group(0))
    assert headers[:3] == ["municipality", "area", "unit"]
    # with both thresholds at 0 every unit with children placed is flagged "over"
    assert "flag" in headers and table.group(0).count("<td>over</td>") > 0


@needs_chromium
def test_language_switch_changes_the_page(browser: Browser, server: LiveServer) -> None:
    browser.open(f"{server.url}/?ui=en")
    assert browser.run("document.querySelector('#classes-h').textContent").startswith("Classes")
    browser.run("document.querySelector('header a[hreflang=sv]').click()")
    browser.wait_for_load()
    assert browser.run("document.documentElement.lang") == "sv"
    assert browser.run("document.querySelector('#classes-h').textContent").startswith("Klasser")


@needs_chromium
def test_search_form_finds_a_term_in_any_language(browser: Browser, server: LiveServer) -> None:
    browser.open(f"{server.url}/?ui=en")
    browser.run("document.querySelector('#q').value = 'Daghem'")
    browser.run("document.querySelector('#search form button').click()")
    browser.wait_for_load()
    text = browser.run("document.querySelector('table.hits').innerText")
    assert "sn:DaycareCentre" in text and "daghem @sv" in text and "päiväkoti" in text


@needs_chromium
def test_named_query_runs_from_the_page_form(
    browser: Browser, server: LiveServer, request: pytest.FixtureRequest
) -> None:
    browser.open(f"{server.url}/?ui=en")
    browser.run(
        "document.querySelector('#utilisation-low').value = '0';"
        "document.querySelector('#utilisation-high').value = '0';"
        "document.querySelector('#utilisation-low').form.querySelector('button').click()"
    )
    browser.wait_for_load()
    assert browser.run("location.pathname") == "/queries/utilisation"
    # each row's utilisation and flag, found by their column headers
    rows = browser.run(
        "(() => { const names = [...document.querySelectorAll('table.results thead th')]"
        ".map(h => h.textContent.trim()); const u = names.indexOf('utilisation'),"
        " f = names.indexOf('flag'); return [...document.querySelectorAll('table.results tbody tr')]"
        ".map(r => [r.children[u].textContent, r.children[f].textContent]); })()"
    )
    assert rows and any(flag == "over" for _, flag in rows)
    # with both thresholds at 0, a positive utilisation is "over" and no unit is "under"
    assert all(flag == "over" for u, flag in rows if u and float(u) > 0)
    assert not any(flag == "under" for _, flag in rows)


@needs_chromium
def test_sparql_box_shows_results_as_a_table(browser: Browser, server: LiveServer) -> None:
    browser.open(f"{server.url}/?ui=sv")
    text = browser.run(
        "document.querySelector('#sparql-form button').click();"
        + WAIT_FOR % json.dumps("#sparql-result table")
    )
    assert text is not None, "no result table appeared"
    assert "20 rader" in text and "\tadress\n" in text  # the default query, in Swedish
    cells = browser.run("document.querySelectorAll('#sparql-result tbody tr').length")
    assert cells == 20


@needs_chromium
def test_sparql_box_shows_the_error_with_its_location(browser: Browser, server: LiveServer) -> None:
    browser.open(f"{server.url}/")
    text = browser.run(
        "document.querySelector('#sparql-query').value = 'SELECT * WHERE {\\n ?s ?p }';"
        "document.querySelector('#sparql-form button').click();"
        + WAIT_FOR
        % json.dumps("#sparql-result [role=alert]")
    )
    assert text is not None and "QUERY_SYNTAX_ERROR" in text and "line 2" in text


@needs_chromium
def test_validate_form_uploads_a_file_and_shows_the_report(
    browser: Browser, server: LiveServer
) -> None:
    browser.open(f"{server.url}/?ui=en")
    invalid = EXAMPLES / "invalid" / "cardinality-too-many.ttl"
    browser.set_file("#validate-file", invalid)
    browser.run("document.querySelector('#validate-form button').click()")
    browser.wait_for_load()
    assert browser.run("location.pathname") == "/validate"
    heading = browser.run("document.querySelector('h1').textContent")
    assert "does not conform" in heading
