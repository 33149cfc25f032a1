// The SPARQL box: POST the query to /sparql and show the SPARQL JSON results as a table.
// Without scripts the form still posts to /sparql and the browser shows the raw result.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const form = document.getElementById("sparql-form");
  const out = document.getElementById("sparql-result");
  if (!form || !out) return;
  const cell = (tag, text) => { const el = document.createElement(tag); el.textContent = text; return el; };
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    out.replaceChildren(cell("p", "…"));
    out.setAttribute("aria-busy", "true");
    try {
      const response = await fetch("/sparql", {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded", "Accept": "application/sparql-results+json" },
        body: new URLSearchParams(new FormData(form)),
      });
      const body = await response.json();
      if (!response.ok) {
        const where = body.location ? ` (${Object.entries(body.location).map(([k, v]) => `${k} ${v}`).join(", ")})` : "";
        const error = cell("p", `${body.error}: ${body.message}${where}`);
        error.className = "error";
        error.setAttribute("role", "alert");
        out.replaceChildren(error);
        return;
      }
      if (typeof body.boolean === "boolean") { out.replaceChildren(cell("p", String(body.boolean))); return; }
      const vars = body.head.vars, rows = body.results.bindings;
      const table = document.createElement("table");
      table.className = "results";
      const head = table.createTHead().insertRow();
      vars.forEach((name) => { const th = cell("th", name); th.scope = "col"; head.appendChild(th); });
      const tbody = table.createTBody();
      rows.forEach((row) => {
        const tr = tbody.insertRow();
        vars.forEach((name) => tr.appendChild(cell("td", row[name] ? row[name].value : "")));
      });
      out.replaceChildren(cell("p", `${rows.length} ${out.dataset.rows}`), table);
    } catch (error) {
      out.replaceChildren(cell("p", String(error)));
    } finally {
      out.removeAttribute("aria-busy");
    }
  });
});
