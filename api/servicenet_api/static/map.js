// The maps (routes/maps.py): Leaflet draws the OGC API – Features items of a municipality (units,
// areas, catchment areas) and a planning answer (coloured by its measure), or an uploaded file's
// located things with their validation results. No tiles unless the settings give a URL.
(function () {
  "use strict";
  const config = JSON.parse(document.getElementById("map-config").textContent);
  const m = JSON.parse(document.getElementById("map-texts").textContent);
  const element = document.getElementById("map");
  const status = document.getElementById("map-status");
  const legend = document.getElementById("legend-body");
  const list = document.querySelector("#feature-list tbody");
  const locale = { fi: "fi-FI", sv: "sv-FI", en: "en-GB" }[document.documentElement.lang] || "en-GB";
  const number = new Intl.NumberFormat(locale, { maximumFractionDigits: 3 });
  const BANDS = ["#2c7bb6", "#1a9641", "#d7191c"];
  const RAMP = ["#ffffb2", "#fecc5c", "#fd8d3c", "#f03b20", "#bd0026"];
  const NONE = "#9e9e9e";
  const PREFERRED = ["utilisation", "ratio", "gap", "placesPer100", "acceptanceRate", "fullDayShare", "responseRate"];

  const map = L.map(element, {
    renderer: L.svg({ padding: 0.5 }),
    keyboard: true,
    zoomSnap: 0.25,
    attributionControl: Boolean(config.tiles),
  });
  if (config.tiles) L.tileLayer(config.tiles, { maxZoom: 19 }).addTo(map);
  map.setView([64.5, 26.0], 5); // Finland, until the features are in
  element.leafletMap = map; // for scripts and tests that place coordinates on the page
  const everything = L.featureGroup().addTo(map);

  function show(text) { status.textContent = text; }
  function format(value) { return typeof value === "number" ? number.format(value) : String(value); }

  async function items(collection, params) {
    const url = new URL(`/ogc/collections/${collection}/items`, location.origin);
    url.searchParams.set("limit", "1000");
    for (const [key, value] of Object.entries(params || {})) url.searchParams.set(key, value);
    let next = url.toString();
    let found = [];
    while (next) {
      const response = await fetch(next, { headers: { Accept: "application/geo+json" } });
      const body = await response.json();
      if (!response.ok) throw new Error(`${body.error}: ${body.message}`);
      found = found.concat(body.features);
      const link = (body.links || []).find((l) => l.rel === "next");
      next = link ? link.href : null;
    }
    return found;
  }

  // --- colours and the legend -------------------------------------------------------------------

  function numeric(features, name) {
    const values = features.map((f) => f.properties[name]).filter((v) => v !== null && v !== undefined);
    return values.length > 0 && values.every((v) => typeof v === "number");
  }

  function measuresOf(features) {
    if (!features.length) return [];
    const names = Object.keys(features[0].properties).filter((n) => n !== "feature" && n !== "iri");
    return names.filter((name) => numeric(features, name));
  }

  function scaleFor(features, measure, params) {
    const low = Number(params.low), high = Number(params.high);
    if ("low" in params && "high" in params && !isNaN(low) && !isNaN(high)) {
      return {
        colour: (v) => (v === null || v === undefined ? NONE : BANDS[v < low ? 0 : v > high ? 2 : 1]),
        classes: [
          [BANDS[0], `${m.under} ${format(low)}`],
          [BANDS[1], `${format(low)} – ${format(high)}`],
          [BANDS[2], `${m.over} ${format(high)}`],
        ],
      };
    }
    const values = features.map((f) => f.properties[measure]).filter((v) => typeof v === "number").sort((a, b) => a - b);
    const count = Math.min(RAMP.length, new Set(values).size) || 1;
    const breaks = [];
    for (let i = 1; i < count; i++) breaks.push(values[Math.floor((i * values.length) / count)]);
    const ramp = RAMP.slice(RAMP.length - count);
    const index = (v) => breaks.filter((b) => v >= b).length;
    const classes = ramp.map((colour, i) => {
      const from = i === 0 ? values[0] : breaks[i - 1];
      const to = i === count - 1 ? values[values.length - 1] : breaks[i];
      return [colour, `${format(from)} – ${format(to)}`];
    });
    return { colour: (v) => (typeof v === "number" ? ramp[index(v)] : NONE), classes };
  }

  function legendList(title, entries, shape) {
    const heading = document.createElement("h3");
    heading.textContent = title;
    const ul = document.createElement("ul");
    for (const [colour, label, extra] of entries) {
      const li = document.createElement("li");
      const swatch = document.createElement("span");
      swatch.className = `swatch ${extra || shape || ""}`;
      if (colour) swatch.style.background = colour;
      const text = document.createElement("span");
      text.textContent = label;
      li.append(swatch, text);
      ul.append(li);
    }
    legend.append(heading, ul);
  }

  // --- popups and the list ----------------------------------------------------------------------

  function details(feature, collection) {
    const box = document.createElement("div");
    const title = document.createElement("strong");
    title.textContent = feature.properties.name || feature.id;
    const table = document.createElement("table");
    for (const [key, value] of Object.entries(feature.properties)) {
      if (value === null || value === undefined || key === "name" || typeof value === "object") continue;
      const row = table.insertRow();
      const th = document.createElement("th");
      th.textContent = key;
      const td = row.insertCell();
      td.textContent = format(value);
      row.prepend(th);
    }
    box.append(title, table);
    for (const result of feature.properties.results || []) {
      const p = document.createElement("p");
      p.className = "flag";
      p.textContent = `${result.severity}: ${result.message}`;
      box.append(p);
    }
    if (collection) {
      const link = document.createElement("a");
      link.href = `/ogc/collections/${collection}/items/${encodeURIComponent(feature.id)}`;
      link.textContent = m.details;
      box.append(link);
    }
    return box;
  }

  function listed(layer, feature, kind, value) {
    const row = list.insertRow();
    const cell = row.insertCell();
    const button = document.createElement("button");
    button.type = "button";
    button.textContent = feature.properties.name || feature.id;
    button.addEventListener("click", () => {
      if (layer.getBounds) map.fitBounds(layer.getBounds(), { maxZoom: 14, animate: false });
      else map.setView(layer.getLatLng(), Math.max(map.getZoom(), 13), { animate: false });
      layer.openPopup();
    });
    cell.append(button);
    row.insertCell().textContent = kind;
    row.insertCell().textContent = value === undefined || value === null ? "" : format(value);
  }

  function radius(places) {
    return typeof places === "number" && places > 0 ? Math.max(4, Math.min(20, Math.sqrt(places) * 0.9)) : 4;
  }

  function layerOf(features, options) {
    return L.geoJSON({ type: "FeatureCollection", features: features.filter((f) => f.geometry) }, {
      style: options.style,
      pointToLayer: (feature, latlng) => L.circleMarker(latlng, options.point(feature)),
      onEachFeature: (feature, layer) => {
        layer.bindPopup(() => details(feature, options.collection));
        if (options.list) listed(layer, feature, options.kind, options.value ? options.value(feature) : undefined);
      },
    });
  }

  // --- a municipality's map ---------------------------------------------------------------------

  async function municipality() {
    const [catchments, areas, units] = await Promise.all(config.layers.map((l) => items(l.id)));
    let answer = [];
    let problem = null;
    if (config.collection) {
      try {
        answer = await items(config.collection, config.params);
      } catch (error) {
        problem = error.message; // the base layers are still shown
      }
    }
    const measures = measuresOf(answer);
    const measure = measures.includes(config.measure) ? config.measure
      : PREFERRED.find((n) => measures.includes(n)) || measures[measures.length - 1];
    const select = document.getElementById("map-measure");
    for (const name of measures) {
      const option = new Option(name, name, false, name === measure);
      select.add(option);
    }
    const unitIris = new Set(units.map((u) => u.properties.iri));
    const onUnits = answer.length > 0 && answer.every((f) => unitIris.has(f.properties.iri));
    const scale = measure ? scaleFor(answer, measure, config.params) : null;
    const byIri = new Map(answer.map((f) => [f.properties.iri, f]));

    layerOf(catchments, {
      collection: config.layers[0].id,
      style: () => ({ color: "#7b3294", weight: 1, dashArray: "4 3", fill: false, className: "sn-catchment" }),
      point: () => ({ radius: 3, color: "#7b3294", fill: false, className: "sn-catchment" }),
    }).addTo(everything);
    layerOf(areas, {
      collection: config.layers[1].id,
      style: () => ({ color: "#555", weight: 1.2, fill: false, className: "sn-area" }),
      point: () => ({ radius: 3, color: "#555", weight: 1, fill: false, className: "sn-area" }),
    }).addTo(everything);
    if (answer.length && !onUnits) {
      const colour = (f) => scale.colour(f.properties[measure]);
      layerOf(answer, {
        collection: config.collection, list: true, kind: m.areas, value: (f) => f.properties[measure],
        style: (f) => ({ color: "#333", weight: 1, fillColor: colour(f), fillOpacity: 0.7, className: "sn-answer" }),
        point: (f) => ({ radius: 9, color: "#333", weight: 1, fillColor: colour(f), fillOpacity: 0.9, className: "sn-answer" }),
      }).addTo(everything);
    }
    const unitColour = (f) => {
      if (!onUnits || !scale) return onUnits ? NONE : "#ffffff";
      const found = byIri.get(f.properties.iri);
      return scale.colour(found ? found.properties[measure] : null);
    };
    const unitLayer = layerOf(units, {
      collection: config.layers[2].id, list: true, kind: m.units,
      value: (f) => (onUnits && byIri.get(f.properties.iri) ? byIri.get(f.properties.iri).properties[measure] : f.properties.places),
      point: (f) => ({
        radius: radius(f.properties.places), color: "#222", weight: 1,
        fillColor: unitColour(f), fillOpacity: 0.9, className: "sn-unit",
      }),
    }).addTo(everything);

    if (scale) legendList(`${measure}${onUnits ? "" : ` (${m.areas})`}`, [...scale.classes, [NONE, m.no_value]], onUnits ? "round" : "");
    legendList(m.units, [[onUnits ? BANDS[1] : "#ffffff", m.size_places]], "round");
    legendList(m.areas, [["", m.areas, "outline"], ["", m.catchments, "dashed"]]);
    finish(unitLayer.getLayers().length, answer.length);
    if (problem) show(`${status.textContent}. ${m.no_data} (${problem})`);
  }

  function finish(units, answers) {
    const bounds = everything.getBounds();
    if (bounds.isValid()) map.fitBounds(bounds, { padding: [20, 20], animate: false });
    element.dataset.units = String(units);
    element.dataset.answers = String(answers);
    element.dataset.ready = "true";
    show(`${units + answers} ${m.loaded}`);
  }

  // --- a file on the map ------------------------------------------------------------------------

  async function validate(event) {
    event.preventDefault();
    const form = event.target;
    everything.clearLayers();
    legend.replaceChildren();
    list.replaceChildren();
    element.dataset.ready = "false";
    show(m.loading);
    const response = await fetch(form.action, { method: "POST", body: new FormData(form), headers: { Accept: "application/geo+json" } });
    const body = await response.json();
    if (!response.ok) throw new Error(`${body.error}: ${body.message}`);
    const bad = (f) => f.properties.results.length > 0 || f.properties.flags.length > 0;
    for (const code of body.stored) { // the upload's municipalities with stored areas
      layerOf(await items(`catchment-areas-${code}`), {
        style: () => ({ color: "#7b3294", weight: 1, dashArray: "4 3", fill: false, className: "sn-catchment" }),
        point: () => ({ radius: 3, color: "#7b3294", fill: false, className: "sn-catchment" }),
      }).addTo(everything);
    }
    const flags = (f) => f.properties.flags.map((flag) => m[`flag_${flag.replace(/-/g, "_")}`] || flag);
    const layer = layerOf(body.features, {
      list: true, kind: m.problems,
      value: (f) => [...flags(f), ...f.properties.results.map((r) => r.message)].join("; ") || m.ok,
      style: (f) => ({ color: bad(f) ? BANDS[2] : BANDS[0], weight: 2, className: bad(f) ? "sn-problem" : "sn-located" }),
      point: (f) => ({ radius: bad(f) ? 9 : 6, color: "#222", weight: 1, fillColor: bad(f) ? BANDS[2] : BANDS[0], fillOpacity: 0.9, className: bad(f) ? "sn-problem" : "sn-located" }),
    }).addTo(everything);
    legendList(m.results, [[BANDS[2], m.problems], [BANDS[0], m.ok]], "round");
    element.dataset.problems = String(body.features.filter(bad).length);
    finish(layer.getLayers().length, 0);
  }

  function failed(error) {
    show(`${m.failed}: ${error.message}`);
    status.setAttribute("role", "alert");
    element.dataset.ready = "error";
  }

  if (config.mode === "validate") {
    document.getElementById("map-validate-form").addEventListener("submit", (event) => validate(event).catch(failed));
    show("");
  } else {
    municipality().catch(failed);
  }
})();
