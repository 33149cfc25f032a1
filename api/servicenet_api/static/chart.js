// The charts (routes/maps.py): a named query's own JSON result (GET /queries/{name}) drawn with
// Vega-Lite. The chart follows the answer's shape: places against need by area, a ratio with its
// low/high bands, a measure over years or dates; or, for a query with a year, the trend by year.
(function () {
  "use strict";
  const config = JSON.parse(document.getElementById("chart-config").textContent);
  const m = JSON.parse(document.getElementById("map-texts").textContent);
  const element = document.getElementById("chart");
  const status = document.getElementById("chart-status");
  const CODE = "https://w3id.org/servicenet/code/";
  const NUMBERS = ["integer", "int", "long", "short", "nonNegativeInteger", "positiveInteger", "decimal", "double", "float"];
  const PREFERRED = ["utilisation", "ratio", "gap", "placesPer100", "acceptanceRate", "fullDayShare", "electronicShare", "share", "responseRate", "places"];
  const COMMA = { decimal: ",", thousands: "\u00a0", grouping: [3], currency: ["", "\u00a0€"] };
  const lang = document.documentElement.lang;

  function plain(term) {
    if (!term) return null;
    const type = (term.datatype || "").split("#")[1] || "";
    if (NUMBERS.includes(type)) return Number(term.value);
    if (type === "boolean") return term.value === "true";
    if (term.type === "uri") return term.value.replace(/\/+$/, "").split("/").pop();
    return term.value;
  }

  function ofMunicipality(binding, code) {
    if (!code) return true;
    return Object.values(binding).some((t) => t.value === `${CODE}municipality/${code}` || t.value.endsWith(`/graph/municipality/${code}`));
  }

  async function answer(params) {
    const url = new URL(`/queries/${config.query}`, location.origin);
    for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
    const response = await fetch(url, { headers: { Accept: "application/sparql-results+json" } });
    const body = await response.json();
    if (!response.ok) throw new Error(`${body.error}: ${body.message}`);
    const vars = body.head.vars;
    const rows = body.results.bindings
      .filter((b) => ofMunicipality(b, config.municipality))
      .map((b) => Object.fromEntries(vars.map((v) => [v, plain(b[v])])));
    return { vars, rows, url };
  }

  function numericVars(vars, rows) {
    return vars.filter((v) => rows.some((r) => typeof r[v] === "number") && rows.every((r) => r[v] === null || typeof r[v] === "number"));
  }

  function labelVar(vars, rows, numeric) {
    return vars.find((v) => /Name$/.test(v)) || vars.filter((v) => !numeric.includes(v)).reverse().find((v) => rows.some((r) => typeof r[v] === "string")) || vars[0];
  }

  function spec(vars, rows) {
    const numeric = numericVars(vars, rows);
    const label = labelVar(vars, rows, numeric);
    const time = ["year", "date", "referenceYear"].find((v) => vars.includes(v));
    const base = { $schema: "https://vega.github.io/schema/vega-lite/v6.json", data: { values: rows }, width: "container", height: 320 };
    if (time) {
      const measure = PREFERRED.find((v) => numeric.includes(v) && v !== time) || numeric.find((v) => v !== time);
      const series = vars.find((v) => v !== time && v !== measure && !numeric.includes(v) && v !== label) || label;
      return ["trend", { ...base, mark: { type: "line", point: true }, encoding: {
        x: { field: time, type: time === "date" ? "temporal" : "ordinal", title: time },
        y: { field: measure, type: "quantitative", title: measure },
        color: { field: series, type: "nominal", title: series },
      } }];
    }
    if (numeric.includes("places") && numeric.includes("need")) {
      return ["places-need", { ...base, transform: [{ fold: ["places", "need"], as: ["measure", "value"] }], mark: "bar", encoding: {
        x: { field: label, type: "nominal", title: label, sort: null },
        xOffset: { field: "measure" },
        y: { field: "value", type: "quantitative", title: `places / need` },
        color: { field: "measure", type: "nominal", title: m.measure, scale: { domain: ["places", "need"], range: ["#2c7bb6", "#d7191c"] } },
        tooltip: [{ field: label }, { field: "measure" }, { field: "value", type: "quantitative" }],
      } }];
    }
    const measure = PREFERRED.find((v) => numeric.includes(v)) || numeric[0];
    const low = Number(config.params.low), high = Number(config.params.high);
    if ("low" in config.params && "high" in config.params && !isNaN(low) && !isNaN(high)) {
      const band = `datum['${measure}'] < ${low} ? '${m.under} ${low}' : datum['${measure}'] > ${high} ? '${m.over} ${high}' : '${low} – ${high}'`;
      return ["bands", { ...base, layer: [
        { transform: [{ calculate: band, as: "band" }], mark: "bar", encoding: {
          x: { field: label, type: "nominal", title: label, sort: null },
          y: { field: measure, type: "quantitative", title: measure },
          color: { field: "band", type: "nominal", title: m.legend,
            scale: { domain: [`${m.under} ${low}`, `${low} – ${high}`, `${m.over} ${high}`], range: ["#2c7bb6", "#1a9641", "#d7191c"] } },
          tooltip: [{ field: label }, { field: measure, type: "quantitative" }],
        } },
        { data: { values: [{ limit: low }, { limit: high }] }, mark: { type: "rule", strokeDash: [6, 3], color: "#333" },
          encoding: { y: { field: "limit", type: "quantitative" } } },
      ] }];
    }
    return ["bars", { ...base, mark: "bar", encoding: {
      x: { field: label, type: "nominal", title: label, sort: null },
      y: { field: measure, type: "quantitative", title: measure },
      tooltip: [{ field: label }, { field: measure, type: "quantitative" }],
    } }];
  }

  async function trend() {
    const [first, last] = config.years.split("-").map(Number);
    const rows = [];
    let shown = [];
    for (let year = first; year <= last && year - first < 30; year++) {
      const result = await answer({ ...config.params, year: String(year) });
      const numeric = numericVars(result.vars, result.rows);
      shown = ["need", "places", "children"].filter((v) => numeric.includes(v));
      if (!shown.length) shown = numeric.slice(0, 1);
      for (const name of shown) {
        rows.push({ year, measure: name, value: result.rows.reduce((sum, r) => sum + (r[name] || 0), 0) });
      }
    }
    return ["trend", {
      $schema: "https://vega.github.io/schema/vega-lite/v6.json", data: { values: rows }, width: "container", height: 320,
      mark: { type: "line", point: true },
      encoding: {
        x: { field: "year", type: "ordinal", title: m.years },
        y: { field: "value", type: "quantitative", title: shown.join(" / ") },
        color: { field: "measure", type: "nominal", title: m.measure },
      },
    }, rows.length];
  }

  async function draw() {
    let kind, chart, count;
    if (config.view === "trend" && config.years) {
      [kind, chart, count] = await trend();
    } else {
      const result = await answer(config.params);
      document.getElementById("chart-data").href = `${result.url.pathname}${result.url.search}${result.url.search ? "&" : "?"}format=json`;
      if (!result.rows.length) {
        status.textContent = m.no_data;
        element.dataset.ready = "true";
        element.dataset.rows = "0";
        return;
      }
      [kind, chart] = spec(result.vars, result.rows);
      count = result.rows.length;
    }
    const options = { renderer: "svg", actions: false };
    if (lang === "fi" || lang === "sv") options.formatLocale = COMMA;
    await vegaEmbed(element, chart, options);
    element.chartValues = chart.data.values; // the rows drawn, for scripts and tests
    element.dataset.kind = kind;
    element.dataset.rows = String(count);
    element.dataset.ready = "true";
    status.textContent = `${count} ${m.data.toLowerCase()}`;
  }

  draw().catch((error) => {
    status.textContent = `${m.failed}: ${error.message}`;
    status.setAttribute("role", "alert");
    element.dataset.ready = "error";
  });
})();
