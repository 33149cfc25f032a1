"""The maps and charts of the web page in a real headless Chromium against a live uvicorn.

A map renders one marker per unit where the unit's coordinates put it (non-background pixels in
the screenshot at each unit), a planning answer on areas colours its areas, a chart draws one
mark per row of the query's own JSON result (or per year of the trend), an uploaded file's
located things show its problems; no page logs a console error. Each page's screenshot is saved
(under ``$SERVICENET_SCREENSHOTS`` when set, else the test's temporary directory).
Skipped only when Chromium is absent, as the other page tests.
"""

from __future__ import annotations

import base64
import fnmatch
import json
import os
import re
import struct
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from chromium import CHROMIUM, needs_chromium
from conftest import EMBEDDED, LiveServer, run_live_server
from servicenet_api.routes.map_texts import MAP_TEXTS
from test_web_page import Browser

from servicenet_vocab.vocabulary.index import LANGUAGES

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "api" / "servicenet_api"
EXAMPLES = ROOT / "examples"
CODE = "https://w3id.org/servicenet/code/"
BACKGROUND = (0xF4, 0xF1, 0xEA)  # #map's plain background (map.css): no tiles by default
WIDTH, HEIGHT = 1280, 1400


@pytest.fixture(scope="module")
def server() -> Iterator[LiveServer]:
    with run_live_server(EMBEDDED, load_examples=True, workers=2) as live:
        yield live


class PageBrowser(Browser):
    """The page tests' DevTools browser, also keeping every console error and exception."""

    def __init__(self, profile: Path) -> None:
        self.errors: list[dict[str, Any]] = []
        super().__init__(profile)
        self.send("Runtime.enable", session=True)
        self.send("Log.enable", session=True)
        self.send(
            "Emulation.setDeviceMetricsOverride",
            {"width": WIDTH, "height": HEIGHT, "deviceScaleFactor": 1, "mobile": False},
            session=True,
        )

    def _read(self) -> dict[str, Any]:
        message = super()._read()
        method, params = message.get("method"), message.get("params", {})
        if (
            method == "Runtime.exceptionThrown"
            or (method == "Runtime.consoleAPICalled" and params.get("type") == "error")
            or (
                method == "Log.entryAdded"
                and params["entry"]["level"] == "error"
                and not params["entry"].get("url", "").endswith("/favicon.ico")  # not the page's
            )
        ):
            self.errors.append(params)
        return message

    def wait_until(self, expression: str) -> Any:
        """Until ``expression`` is truthy in the page (polled there, ~20 s at most)."""
        script = f"""(async () => {{
          for (let i = 0; i < 400; i++) {{
            const value = (() => {{ try {{ return {expression}; }} catch (e) {{ return null; }} }})();
            if (value) return value;
            await new Promise((resolve) => setTimeout(resolve, 50));
          }}
          return null;
        }})()"""
        value = self.run(script)
        assert value, f"never true: {expression}"
        return value

    def screenshot(self, path: Path) -> bytes:
        shot = self.send("Page.captureScreenshot", {"format": "png"}, session=True)
        data = base64.b64decode(shot["data"])
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        return data


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PageBrowser]:
    if CHROMIUM is None:
        pytest.skip("chromium is not installed (`make browser` installs the Debian package)")
    chromium = PageBrowser(tmp_path_factory.mktemp("map-profile"))
    yield chromium
    chromium.close()


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    chosen = os.environ.get("SERVICENET_SCREENSHOTS")
    return Path(chosen) if chosen else tmp_path_factory.mktemp("screenshots")


def open_page(browser: PageBrowser, url: str, ready: str) -> None:
    browser.errors.clear()
    browser.open(url)
    state = browser.wait_until(
        f"document.querySelector('{ready}').dataset.ready !== undefined && document.querySelector('{ready}').dataset.ready !== 'false' && document.querySelector('{ready}').dataset.ready"
    )
    assert state == "true", browser.run(
        "document.querySelector('[role=status], [role=alert]').textContent"
    )


def decode_png(data: bytes) -> tuple[int, int, list[bytes]]:
    """Width, height and RGB rows of an 8-bit RGB/RGBA non-interlaced PNG (what Chromium writes)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    position, chunks, header = 8, [], b""
    while position < len(data):
        (length,) = struct.unpack(">I", data[position : position + 4])
        kind = data[position + 4 : position + 8]
        body = data[position + 8 : position + 8 + length]
        if kind == b"IHDR":
            header = body
        elif kind == b"IDAT":
            chunks.append(body)
        position += 12 + length
    width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", header)
    assert depth == 8 and colour in (2, 6) and interlace == 0
    channels = 3 if colour == 2 else 4
    raw = zlib.decompress(b"".join(chunks))
    stride = width * channels
    rows: list[bytes] = []
    previous = bytearray(stride)
    for y in range(height):
        start = y * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1 : start + 1 + stride])
        for i in range(stride):
            left = line[i - channels] if i >= channels else 0
            up = previous[i]
            corner = previous[i - channels] if i >= channels else 0
            if kind == 1:
                line[i] = (line[i] + left) & 0xFF
            elif kind == 2:
                line[i] = (line[i] + up) & 0xFF
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 0xFF
            elif kind == 4:
                p = left + up - corner
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                best = left if pa <= pb and pa <= pc else up if pb <= pc else corner
                line[i] = (line[i] + best) & 0xFF
        previous = line
        rows.append(bytes(b for x in range(width) for b in line[x * channels : x * channels + 3]))
    return width, height, rows


def pixel(rows: list[bytes], x: int, y: int) -> tuple[int, int, int]:
    row = rows[y]
    return row[3 * x], row[3 * x + 1], row[3 * x + 2]


def located_units(server: LiveServer, code: str) -> list[dict[str, Any]]:
    body = server.client.get(f"/ogc/collections/units-{code}/items", params={"limit": 1000}).json()
    return [f for f in body["features"] if f["geometry"]]


# --- without a browser --------------------------------------------------------------------------


def test_map_words_are_in_fi_sv_en_and_all_used() -> None:
    for lang in LANGUAGES:
        assert set(MAP_TEXTS[lang]) == set(MAP_TEXTS["en"]), lang
        assert all(text.strip() for text in MAP_TEXTS[lang].values()), lang
    sources = "".join(
        p.read_text() for p in (PACKAGE / "templates").glob("*.html") if "m." in p.read_text()
    )
    sources += (PACKAGE / "static" / "map.js").read_text() + (
        PACKAGE / "static" / "chart.js"
    ).read_text()
    used = set(re.findall(r"\bm\.(\w+)", sources))
    flags = {
        f"flag_{flag}"
        for flag in ("outside_finland", "swapped", "not_degrees", "outside_municipality")
    }
    assert used <= set(MAP_TEXTS["en"]), sorted(used - set(MAP_TEXTS["en"]))
    assert set(MAP_TEXTS["en"]) - used == flags  # the flags are looked up by name in map.js


def test_pages_use_only_the_packages_own_files(server: LiveServer) -> None:
    for path in ("/maps", "/maps/091", "/maps/validate", "/charts/utilisation?municipality=091"):
        page = server.client.get(path, params={"ui": "sv"})
        assert page.status_code == 200 and '<html lang="sv">' in page.text
        assert not re.search(r'(src|href)="(https?:)?//', page.text), f"{path}: an external asset"
        for asset in re.findall(r'(?:src|href)="(/static/[^"]+)"', page.text):
            assert server.client.get(asset).status_code == 200, asset
    licence = server.client.get("/static/vendor/leaflet-1.9.4/LICENSE")
    assert licence.status_code == 200 and "BSD 2-Clause" in licence.text
    assert "Interactive Data Lab" in server.client.get("/static/vendor/vega-6.4.0/LICENSE").text
    for missing in ("/static/vendor/leaflet-1.9.4/%2e%2e/%2e%2e/app.js", "/static/vendor/x.js"):
        assert server.client.get(missing).json()["error"] == "NOT_FOUND"
    assert server.client.get("/maps/999").json()["error"] == "NOT_FOUND"
    assert server.client.get("/charts/no-such-query").status_code == 404


def test_the_vendored_files_are_package_data() -> None:
    text = (ROOT / "pyproject.toml").read_text()
    patterns = json.loads(re.search(r"^servicenet_api = (\[.*\])$", text, re.M).group(1))  # type: ignore[union-attr]
    static = PACKAGE / "static" / "vendor"
    files = [p.relative_to(PACKAGE).as_posix() for p in static.rglob("*") if p.is_file()]
    assert len(files) > 8
    unpacked = [
        f
        for f in files
        if not any(fnmatch.fnmatch(f, p) and f.count("/") == p.count("/") for p in patterns)
    ]
    assert unpacked == []
    for library in ("leaflet-1.9.4", "vega-6.4.0", "vega-lite-6.5.0", "vega-embed-7.3.0"):
        assert (static / library / "LICENSE").is_file()


def test_an_upload_is_located_with_its_problems(server: LiveServer, tmp_path: Path) -> None:
    swapped = (EXAMPLES / "invalid" / "coordinates-swapped.ttl").read_bytes()
    located = server.client.post(
        "/maps/validate", files={"file": ("coordinates-swapped.ttl", swapped)}
    ).json()
    flags = {flag for f in located["features"] for flag in f["properties"]["flags"]}
    assert {"outside-finland", "swapped"} <= flags
    assert located["results"] >= 1 and located["unplaced"] < located["results"]
    tampere = (
        "@prefix sn: <https://w3id.org/servicenet/ontology#> . "
        "@prefix geo: <http://www.opengis.net/ont/geosparql#> . "
        "<https://data.hel.fi/servicenet/unit/lost> a sn:DaycareCentre ; "
        "sn:municipality <https://w3id.org/servicenet/code/municipality/091> ; "
        "geo:hasGeometry [ a geo:Geometry ; sn:latitude 61.4981 ; sn:longitude 23.7610 ] ."
    )
    lost = server.client.post(
        "/maps/validate", files={"file": ("lost.ttl", tampere.encode())}
    ).json()
    assert lost["features"][0]["properties"]["flags"] == ["outside-municipality"]


# --- in Chromium --------------------------------------------------------------------------------


@needs_chromium
def test_the_city_map_has_one_marker_per_unit_where_its_coordinates_are(
    browser: PageBrowser, server: LiveServer, shots: Path
) -> None:
    units = located_units(server, "091")
    open_page(browser, f"{server.url}/maps/091?ui=fi", "#map")
    assert browser.errors == []
    assert browser.run("document.querySelectorAll('#map path.sn-unit').length") == len(units)
    assert int(browser.run("document.querySelector('#map').dataset.units")) == len(units)
    box = browser.run(
        "(() => { const r = document.querySelector('#map').getBoundingClientRect();"
        " return [r.left, r.top, r.width, r.height]; })()"
    )
    coordinates = json.dumps([u["geometry"]["coordinates"] for u in units])
    points = browser.run(
        f"({coordinates}).map(([lon, lat]) => {{ const p = document.querySelector('#map')"
        ".leafletMap.latLngToContainerPoint([lat, lon]); return [p.x, p.y]; })"
    )
    width, height, rows = decode_png(browser.screenshot(shots / "map-helsinki-091.png"))
    assert (width, height) == (WIDTH, HEIGHT)
    for unit, (x, y) in zip(units, points, strict=True):
        assert 0 <= x < box[2] and 0 <= y < box[3], f"{unit['id']} is off the map"
        colour = pixel(rows, round(box[0] + x), round(box[1] + y))
        assert colour != BACKGROUND, f"nothing drawn where {unit['id']} is"
    inside = [
        pixel(rows, round(box[0] + x), round(box[1] + y))
        for x in range(5, int(box[2]) - 5, 10)
        for y in range(5, int(box[3]) - 5, 10)
    ]
    plain = sum(1 for colour in inside if colour == BACKGROUND) / len(inside)
    assert 0.5 < plain < 0.995, plain  # a plain background, and something drawn on it
    # Coloured by utilisation: the units over the 105 % band are red.
    over = server.client.get(
        "/ogc/collections/query-utilisation-091/items", params={"flag": "over", "limit": 1000}
    ).json()["features"]
    fills = browser.run(
        "[...document.querySelectorAll('#map path.sn-unit')].map((p) => p.getAttribute('fill'))"
    )
    assert fills.count("#d7191c") == len(over)
    legend = browser.run("document.querySelector('#legend').innerText")
    assert "alle 0,85" in legend and "yli 1,05" in legend


@needs_chromium
def test_a_unit_opens_its_details_from_the_keyboard(
    browser: PageBrowser, server: LiveServer
) -> None:
    open_page(browser, f"{server.url}/maps/091?ui=en&query=", "#map")
    name = browser.run(
        "(() => { const b = document.querySelector('#feature-list button'); b.focus(); return b.textContent; })()"
    )
    for kind in ("keyDown", "keyUp"):
        browser.send(
            "Input.dispatchKeyEvent",
            {
                "type": kind,
                "key": "Enter",
                "code": "Enter",
                "windowsVirtualKeyCode": 13,
                **({"text": "\r"} if kind == "keyDown" else {}),
            },
            session=True,
        )
    popup = browser.wait_until("document.querySelector('.leaflet-popup-content')?.innerText")
    assert name in popup and "Details (GeoJSON)" in popup
    assert browser.run("document.querySelector('#map').getAttribute('tabindex')") == "0"
    assert browser.errors == []


@needs_chromium
def test_an_answer_by_area_is_a_choropleth(
    browser: PageBrowser, server: LiveServer, shots: Path
) -> None:
    answer = server.client.get(
        "/ogc/collections/query-places-vs-forecast-091/items", params={"limit": 1000}
    ).json()["features"]
    open_page(browser, f"{server.url}/maps/091?ui=sv&query=places-vs-forecast", "#map")
    browser.screenshot(shots / "map-helsinki-091-places-vs-forecast.png")
    assert browser.errors == []
    points = sum(
        len(f["geometry"]["coordinates"]) if f["geometry"]["type"] == "MultiPoint" else 1
        for f in answer
        if f["geometry"]
    )  # a district without its own geometry is the points of its sub-districts
    assert browser.run("document.querySelectorAll('#map path.sn-answer').length") == points > 0
    fills = set(
        browser.run(
            "[...document.querySelectorAll('#map path.sn-answer')].map((p) => p.getAttribute('fill'))"
        )
    )
    assert len(fills) > 1  # the measure tells the areas apart
    assert browser.run("document.querySelector('#map-measure').value") == "ratio"


def query_rows(server: LiveServer, name: str, code: str, **params: str) -> list[dict[str, Any]]:
    results = server.client.get(
        f"/queries/{name}", params=params, headers={"Accept": "application/sparql-results+json"}
    ).json()
    wanted = (f"{CODE}municipality/{code}", f"/graph/municipality/{code}")
    return [
        row
        for row in results["results"]["bindings"]
        if any(t["value"] == wanted[0] or t["value"].endswith(wanted[1]) for t in row.values())
    ]


@needs_chromium
@pytest.mark.parametrize(
    ("name", "kind", "marks_per_row", "rules"),
    [("places-vs-forecast", "places-need", 2, 0), ("utilisation", "bands", 1, 2)],
)
def test_a_chart_draws_a_mark_per_row_of_the_answer(
    browser: PageBrowser,
    server: LiveServer,
    shots: Path,
    name: str,
    kind: str,
    marks_per_row: int,
    rules: int,
) -> None:
    rows = query_rows(server, name, "091")
    open_page(browser, f"{server.url}/charts/{name}?ui=fi&municipality=091", "#chart")
    browser.screenshot(shots / f"chart-{name}-091.png")
    assert browser.errors == []
    assert browser.run("document.querySelector('#chart').dataset.kind") == kind
    bars = browser.run("document.querySelectorAll('#chart svg .mark-rect.role-mark path').length")
    assert bars == marks_per_row * len(rows) > 0
    assert (
        browser.run("document.querySelectorAll('#chart svg .mark-rule.role-mark line').length")
        == rules
    )


@needs_chromium
def test_the_forecast_trend_by_year(browser: PageBrowser, server: LiveServer, shots: Path) -> None:
    open_page(
        browser,
        f"{server.url}/charts/places-vs-forecast?ui=en&municipality=091&view=trend&years=2025-2030",
        "#chart",
    )
    browser.screenshot(shots / "chart-places-vs-forecast-trend-091.png")
    assert browser.errors == []
    assert browser.run("document.querySelector('#chart').dataset.kind") == "trend"
    values = browser.run("document.querySelector('#chart').chartValues")
    points = browser.run(
        "document.querySelectorAll('#chart svg .mark-symbol.role-mark path').length"
    )
    assert (
        points == len(values) == int(browser.run("document.querySelector('#chart').dataset.rows"))
    )
    need = {v["year"]: v["value"] for v in values if v["measure"] == "need"}
    assert set(need) <= set(range(2025, 2031)) and 2030 in need
    for year, shown in need.items():  # each year's point is the sum of that year's answer
        rows = query_rows(server, "places-vs-forecast", "091", year=str(year))
        assert shown == pytest.approx(sum(float(r["need"]["value"]) for r in rows if "need" in r))
    lines = browser.run("document.querySelectorAll('#chart svg .mark-line.role-mark path').length")
    assert lines == len({v["measure"] for v in values}) >= 2


@needs_chromium
def test_a_file_with_swapped_coordinates_stands_out_on_the_map(
    browser: PageBrowser, server: LiveServer, shots: Path
) -> None:
    browser.errors.clear()
    browser.open(f"{server.url}/maps/validate?ui=en")
    browser.set_file("#map-file", EXAMPLES / "invalid" / "coordinates-swapped.ttl")
    browser.run("document.querySelector('#map-validate-form button').click()")
    browser.wait_until("document.querySelector('#map').dataset.ready === 'true'")
    browser.screenshot(shots / "map-validate-swapped.png")
    assert browser.errors == []
    assert browser.run("document.querySelectorAll('#map path.sn-problem').length") >= 1
    listed = browser.run("document.querySelector('#feature-list').innerText")
    assert "latitude and longitude swapped?" in listed and "outside Finland" in listed
