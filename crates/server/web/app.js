// The pulse dashboard: a map, a timeline and a table of the events the
// filters select, and the evidence (sentences with their spans) of one.
// Plain DOM and SVG, no library; every value from the API is written with
// textContent or as an attribute, never parsed as HTML.
"use strict";

(function () {
  const SVG = "http://www.w3.org/2000/svg";
  const MAP_W = 1000;
  const MAP_H = 500;
  const QUADS = [
    [1, "verbal cooperation"],
    [2, "material cooperation"],
    [3, "verbal conflict"],
    [4, "material conflict"],
  ];
  // the most events drawn: pages of 500 are fetched until this many
  const MAX_EVENTS = 2000;

  const $ = (id) => document.getElementById(id);
  const form = $("filters");

  /** An element with attributes and children (strings become text). */
  function el(tag, attrs, ...children) {
    const ns = ["svg", "g", "path", "circle", "rect", "text", "line", "title"].includes(tag);
    const node = ns ? document.createElementNS(SVG, tag) : document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v !== null && v !== undefined) node.setAttribute(k, String(v));
    }
    for (const c of children) {
      if (c === null || c === undefined) continue;
      node.append(typeof c === "string" || typeof c === "number" ? String(c) : c);
    }
    return node;
  }

  function setStatus(text, isError) {
    const s = $("status");
    s.textContent = text;
    s.classList.toggle("error", Boolean(isError));
  }

  /** GET a JSON document; an API error becomes an Error with its message. */
  async function getJson(url) {
    const r = await fetch(url, { headers: { Accept: "application/json" } });
    let body = null;
    try {
      body = await r.json();
    } catch (_) {
      body = null;
    }
    if (!r.ok) {
      const why = body && body.error ? body.error : r.status + " " + r.statusText;
      throw new Error(why);
    }
    return body;
  }

  /** The filters in the form as query parameters (empty ones left out). */
  function filterParams() {
    const p = new URLSearchParams();
    for (const [k, v] of new FormData(form).entries()) {
      const value = String(v).trim();
      if (value !== "") p.set(k, value);
    }
    return p;
  }

  // ---- map -------------------------------------------------------------

  const project = (lon, lat) => [((lon + 180) / 360) * MAP_W, ((90 - lat) / 180) * MAP_H];

  /** Decode a TopoJSON topology's quantized, delta-coded arcs to lon/lat. */
  function decodeArcs(topo) {
    const t = topo.transform;
    return topo.arcs.map((arc) => {
      let x = 0;
      let y = 0;
      return arc.map(([dx, dy]) => {
        if (!t) return [dx, dy];
        x += dx;
        y += dy;
        return [x * t.scale[0] + t.translate[0], y * t.scale[1] + t.translate[1]];
      });
    });
  }

  /** One ring's points: its arcs joined, a negative index (~i) reversed. */
  function ring(arcs, indices) {
    const points = [];
    for (const i of indices) {
      const arc = i < 0 ? arcs[~i].slice().reverse() : arcs[i];
      // consecutive arcs share their joining point
      points.push(...(points.length ? arc.slice(1) : arc));
    }
    return points;
  }

  /** SVG path data of a Polygon or MultiPolygon geometry. */
  function geometryPath(arcs, g) {
    const polygons = g.type === "Polygon" ? [g.arcs] : g.type === "MultiPolygon" ? g.arcs : [];
    let d = "";
    for (const polygon of polygons) {
      for (const r of polygon) {
        const pts = ring(arcs, r);
        pts.forEach(([lon, lat], k) => {
          const [x, y] = project(lon, lat);
          d += (k ? "L" : "M") + x.toFixed(1) + "," + y.toFixed(1);
        });
        d += "Z";
      }
    }
    return d;
  }

  const map = $("map");
  const markers = el("g", { id: "markers" });

  async function drawCountries() {
    map.append(el("rect", { class: "sea", x: 0, y: 0, width: MAP_W, height: MAP_H }));
    const outlines = el("g", { id: "countries" });
    map.append(outlines, markers);
    try {
      const topo = await getJson("/countries-110m.json");
      const arcs = decodeArcs(topo);
      for (const g of topo.objects.countries.geometries) {
        const name = g.properties && g.properties.name ? g.properties.name : "";
        outlines.append(el("path", { class: "country", d: geometryPath(arcs, g) }, el("title", {}, name)));
      }
    } catch (e) {
      setStatus("country outlines: " + e.message, true);
    }
  }

  function drawMarkers(events) {
    markers.replaceChildren();
    let n = 0;
    for (const e of events) {
      const p = e.place;
      if (!p || typeof p.lat !== "number" || typeof p.lon !== "number") continue;
      const [x, y] = project(p.lon, p.lat);
      const c = el(
        "circle",
        { class: "marker q" + e.quad_class, cx: x.toFixed(1), cy: y.toFixed(1), r: 5, "data-id": e.id, tabindex: 0 },
        el("title", {}, e.date + " " + actor(e, "source") + " " + e.name + " " + actor(e, "target") + " (" + p.name + ")")
      );
      c.addEventListener("click", () => showEvidence(e.id));
      c.addEventListener("keydown", (k) => {
        if (k.key === "Enter") showEvidence(e.id);
      });
      markers.append(c);
      n += 1;
    }
    $("map-count").textContent = "(" + n + " of " + events.length + ")";
  }

  function drawLegend() {
    const ul = $("legend");
    for (const [q, name] of QUADS) {
      ul.append(el("li", {}, el("span", { class: "swatch q" + q }), q + " " + name));
    }
  }

  // ---- timeline --------------------------------------------------------

  function drawTimeline(rows) {
    const svg = $("timeline");
    svg.replaceChildren();
    const W = 600;
    const H = 300;
    const left = 40;
    const bottom = 30;
    const top = 10;
    // periods in order, the undated ones last
    const byPeriod = new Map();
    for (const r of rows) {
      const key = r.period === null ? "undated" : r.period;
      if (!byPeriod.has(key)) byPeriod.set(key, [0, 0, 0, 0, 0]);
      const q = Number(r.group);
      if (q >= 1 && q <= 4) byPeriod.get(key)[q] += r.events;
    }
    const periods = [...byPeriod.keys()].sort((a, b) =>
      a === "undated" ? 1 : b === "undated" ? -1 : a < b ? -1 : a > b ? 1 : 0
    );
    if (!periods.length) {
      svg.append(el("text", { x: W / 2, y: H / 2, class: "empty", "text-anchor": "middle" }, "no events"));
      return;
    }
    const totals = periods.map((p) => byPeriod.get(p).reduce((a, b) => a + b, 0));
    const max = Math.max(1, ...totals);
    const plotH = H - bottom - top;
    const slot = (W - left) / periods.length;
    const barW = Math.max(2, Math.min(80, slot * 0.7));
    // y axis: 0, half, max
    for (const v of [0, Math.round(max / 2), max]) {
      const y = top + plotH - (v / max) * plotH;
      svg.append(el("line", { class: "grid", x1: left, x2: W, y1: y, y2: y }));
      svg.append(el("text", { class: "axis", x: left - 4, y: y + 4, "text-anchor": "end" }, v));
    }
    periods.forEach((p, i) => {
      const counts = byPeriod.get(p);
      const x = left + i * slot + (slot - barW) / 2;
      let y = top + plotH;
      const bar = el("g", { class: "bar", "data-period": p });
      for (const [q, name] of QUADS) {
        if (!counts[q]) continue;
        const h = (counts[q] / max) * plotH;
        y -= h;
        bar.append(
          el(
            "rect",
            { class: "q" + q, x: x.toFixed(1), y: y.toFixed(1), width: barW.toFixed(1), height: h.toFixed(1) },
            el("title", {}, p + ": " + counts[q] + " " + name)
          )
        );
      }
      svg.append(bar);
      // label every period when they fit, else about twelve of them
      const every = Math.max(1, Math.ceil(periods.length / 12));
      if (i % every === 0 || p === "undated") {
        svg.append(el("text", { class: "axis", x: (x + barW / 2).toFixed(1), y: H - 10, "text-anchor": "middle" }, p));
      }
    });
  }

  // ---- table -----------------------------------------------------------

  function actor(e, side) {
    const name = e[side + "_name"];
    const code = e[side + "_code"];
    if (!name && !code) return "";
    if (!code || code === "---") return name || "";
    return (name || "") + " [" + code + "]";
  }

  function placeText(p) {
    if (!p) return "";
    return p.name + (p.country ? ", " + p.country : "");
  }

  function drawTable(events, more) {
    const body = document.querySelector("#events tbody");
    body.replaceChildren();
    for (const e of events) {
      const tr = el(
        "tr",
        { "data-id": e.id, tabindex: 0 },
        el("td", {}, e.date || "undated"),
        el("td", {}, actor(e, "source")),
        el("td", {}, el("span", { class: "code q" + e.quad_class }, e.cameo), " " + e.name),
        el("td", {}, actor(e, "target")),
        el("td", {}, placeText(e.place)),
        el("td", { class: "num" }, e.num_articles)
      );
      tr.addEventListener("click", () => showEvidence(e.id));
      tr.addEventListener("keydown", (k) => {
        if (k.key === "Enter") showEvidence(e.id);
      });
      body.append(tr);
    }
    $("table-count").textContent = "(" + events.length + (more ? "+, the first shown" : "") + ")";
  }

  // ---- evidence --------------------------------------------------------

  const encoder = new TextEncoder();
  const decoder = new TextDecoder();

  /**
   * A sentence as text and highlighted pieces. `spans` are [label, start,
   * end] in UTF-8 bytes of the sentence; pieces covered by several spans
   * carry all their labels, and each span's label follows its last piece.
   */
  function highlighted(text, spans) {
    const bytes = encoder.encode(text);
    const ok = spans.filter(([, s, e]) => Number.isInteger(s) && Number.isInteger(e) && 0 <= s && s < e && e <= bytes.length);
    const cuts = new Set([0, bytes.length]);
    for (const [, s, e] of ok) {
      cuts.add(s);
      cuts.add(e);
    }
    const bounds = [...cuts].sort((a, b) => a - b);
    const out = el("p", { class: "sentence" });
    for (let i = 0; i + 1 < bounds.length; i++) {
      const [a, b] = [bounds[i], bounds[i + 1]];
      const piece = decoder.decode(bytes.subarray(a, b));
      const labels = ok.filter(([, s, e]) => s <= a && b <= e).map(([l]) => l);
      if (!labels.length) {
        out.append(piece);
        continue;
      }
      out.append(el("mark", { class: labels.map((l) => "hl-" + l).join(" "), title: labels.join(", ") }, piece));
      for (const [l, , e] of ok) {
        if (e === b) out.append(el("sup", { class: "tag hl-" + l }, l));
      }
    }
    return out;
  }

  function mentionSpans(m) {
    const at = (label, span) => (span ? [[label, span.start - m.start, span.end - m.start]] : []);
    return [
      ...at("source", m.source_span),
      ...at("verb", m.verb),
      ...at("target", m.target_span),
      ...at("place", m.place ? m.place.span : null),
    ];
  }

  async function showEvidence(id) {
    const panel = $("evidence-panel");
    const box = $("evidence");
    for (const row of document.querySelectorAll("#events tr.selected, #markers .selected")) row.classList.remove("selected");
    for (const n of document.querySelectorAll('[data-id="' + CSS.escape(id) + '"]')) n.classList.add("selected");
    panel.hidden = false;
    box.replaceChildren(el("p", {}, "loading…"));
    let e;
    try {
      e = await getJson("/api/events/" + encodeURIComponent(id));
    } catch (err) {
      box.replaceChildren(el("p", { class: "error" }, "event " + id + ": " + err.message));
      return;
    }
    const head = el(
      "div",
      { class: "event-head" },
      el("span", { class: "hl-date" }, e.date || "undated"),
      " ",
      el("strong", {}, actor(e, "source") || "?"),
      " ",
      el("span", { class: "code q" + e.quad_class }, e.cameo),
      " " + e.name + " ",
      el("strong", {}, actor(e, "target") || "?"),
      e.place ? el("span", {}, " in " + placeText(e.place)) : null,
      el(
        "div",
        { class: "meta" },
        "quad class " + e.quad_class + ", Goldstein " + e.goldstein + (e.plover ? ", PLOVER " + e.plover : "") +
          "; " + e.num_mentions + " mention(s) in " + e.num_articles + " article(s) from " + e.num_sources + " source(s)"
      )
    );
    const legend = el(
      "p",
      { class: "span-legend" },
      ...["source", "verb", "target", "place"].map((l) => el("mark", { class: "hl-" + l }, l))
    );
    const list = el("ol", { class: "mentions" });
    for (const m of e.mentions || []) {
      const title = m.title || m.article_source || m.article_id;
      const link = m.url && /^https?:\/\//i.test(m.url) ? el("a", { href: m.url, rel: "noopener noreferrer", target: "_blank" }, title) : el("span", {}, title);
      list.append(
        el(
          "li",
          { class: "mention" },
          highlighted(m.sentence_text || "", mentionSpans(m)),
          el(
            "p",
            { class: "article" },
            link,
            m.published ? el("span", { class: "hl-date" }, m.published) : null,
            m.url ? el("span", { class: "url" }, m.url) : null
          )
        )
      );
    }
    box.replaceChildren(head, legend, list);
    panel.scrollIntoView({ block: "nearest" });
  }

  $("close-evidence").addEventListener("click", () => {
    $("evidence-panel").hidden = true;
  });

  // ---- loading ---------------------------------------------------------

  let generation = 0;

  async function refresh() {
    const mine = ++generation;
    const params = filterParams();
    setStatus("loading…");
    try {
      const events = [];
      let offset = 0;
      let more = false;
      for (;;) {
        const p = new URLSearchParams(params);
        p.set("limit", "500");
        p.set("offset", String(offset));
        const page = await getJson("/api/events?" + p);
        events.push(...page.events);
        more = page.next_offset !== null && page.next_offset !== undefined;
        if (!more || events.length >= MAX_EVENTS) break;
        offset = page.next_offset;
      }
      const agg = new URLSearchParams(params);
      agg.set("by", "month");
      agg.set("group", "quad");
      const table = await getJson("/api/aggregate?" + agg);
      if (mine !== generation) return; // a newer query has started
      drawMarkers(events);
      drawTimeline(table.rows || []);
      drawTable(events, more);
      setStatus(events.length + (more ? "+" : "") + " events" + (params.toString() ? " matching " + decodeURIComponent(params.toString()) : ""));
    } catch (e) {
      if (mine === generation) setStatus(e.message, true);
    }
  }

  form.addEventListener("submit", (e) => {
    e.preventDefault();
    refresh();
  });
  form.addEventListener("reset", () => setTimeout(refresh, 0));
  for (const s of form.querySelectorAll("select")) s.addEventListener("change", refresh);

  drawLegend();
  drawCountries().then(refresh);
})();
