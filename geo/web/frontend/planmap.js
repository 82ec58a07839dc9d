/* The browser map: one Leaflet map that lives as long as the page and follows the state Python sends.

   Python (geo/web/state.py) sends a small state object on every rerun: the selection, language, basemap,
   view request, presentation options and the URLs of the catalogue and overlays. The catalogue (every
   feature, its quotes and geometry) is fetched once from a content-hashed static file; filtering,
   styling, popups, the legend and labels are all done here, in place, without re-creating the map.
   The selection rule is the one in geo/selection.py: a feature shows when its layer is selected and one
   of its mentions matches the selected plans, phases and statuses; it is drawn with the status of the
   matching mention of the most recent plan (the catalogue lists plans oldest first).

   Speaks Streamlit's component protocol (componentReady / render / setFrameHeight) directly. */
(function () {
  "use strict";

  var NORTH_ARROW =
    '<svg width="28" height="40" viewBox="0 0 28 40" aria-label="N">' +
    '<polygon points="14,2 24,30 14,24 4,30" fill="#222"/><text x="14" y="39" font-size="11" text-anchor="middle"' +
    ' font-family="sans-serif" fill="#222">N</text></svg>';
  var CONTEXT_STYLE = { color: "#9a9a9a", weight: 1, fillColor: "#ffffff", fillOpacity: 0.6, interactive: false };
  var PRINTER_ICON =
    '<svg width="16" height="16" viewBox="0 0 16 16" aria-hidden="true"><rect x="4" y="1.5" width="8" height="4" fill="none"' +
    ' stroke="#333" stroke-width="1.3"/><rect x="1.5" y="5.5" width="13" height="6" rx="1" fill="none" stroke="#333"' +
    ' stroke-width="1.3"/><rect x="4" y="9.5" width="8" height="5" fill="#fff" stroke="#333" stroke-width="1.3"/></svg>';
  var HASH = /map=(\d{1,2})\/(-?\d+(?:\.\d+)?)\/(-?\d+(?:\.\d+)?)/;

  var latest = null; // the newest state received; older queued renders are skipped
  var queue = Promise.resolve();
  var app = null; // {map, cat, ...} once the first state has been drawn
  var renders = 0;

  // ---- Streamlit's component protocol -------------------------------------------------------------
  function send(type, payload) {
    window.parent.postMessage(Object.assign({ isStreamlitMessage: true, type: type }, payload || {}), "*");
  }

  window.addEventListener("message", function (event) {
    var data = event.data || {};
    if (data.type !== "streamlit:render" || !data.args || !data.args.state) { return; }
    var state = data.args.state;
    latest = state;
    queue = queue.then(function () { return state === latest ? render(state) : null; }).catch(showError);
  });
  send("streamlit:componentReady", { apiVersion: 1 });

  // ---- helpers --------------------------------------------------------------------------------------
  var ESCAPES = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
  function esc(value) {
    return String(value === null || value === undefined ? "" : value).replace(/[&<>"']/g, function (c) { return ESCAPES[c]; });
  }

  function topWindow() {
    try { if (window.parent && window.parent.location.href) { return window.parent; } } catch (e) { /* other origin */ }
    return window;
  }

  function loadScript(url) {
    return new Promise(function (resolve, reject) {
      var script = document.createElement("script");
      script.src = url;
      script.onload = resolve;
      script.onerror = function () { reject(new Error("could not load " + url)); };
      document.head.appendChild(script);
    });
  }

  function loadAssets(assets) {
    assets.css.forEach(function (href) {
      var link = document.createElement("link");
      link.rel = "stylesheet";
      link.href = href;
      document.head.appendChild(link);
    });
    return assets.js.reduce(function (done, url) { return done.then(function () { return loadScript(url); }); }, Promise.resolve());
  }

  // A map saved as one HTML file (geo/web/standalone.py) carries its catalogue inline.
  var catalogues = {};
  Object.keys(window.PLANMAP_INLINE || {}).forEach(function (url) { catalogues[url] = Promise.resolve(window.PLANMAP_INLINE[url]); });
  function fetchJson(url) {
    if (!catalogues[url]) {
      catalogues[url] = fetch(url).then(function (response) {
        if (!response.ok) { throw new Error(url + ": HTTP " + response.status); }
        return response.json();
      });
    }
    return catalogues[url];
  }

  function showLoading(text) {
    var node = document.getElementById("pm-loading");
    node.textContent = text || "";
    node.hidden = !text;
  }

  function showError(error) {
    var lang = latest ? latest.lang : "zh";
    showLoading(lang === "zh" ? "地图数据载入失败，请刷新页面" : "The map data could not be loaded; reload the page");
    if (window.console) { console.error(error); }
  }

  // ---- the catalogue --------------------------------------------------------------------------------
  function indexCatalogue(cat) {
    cat.planRank = {};
    cat.plans.forEach(function (plan, rank) { cat.planRank[plan.id] = rank; });
    cat.planById = {};
    cat.plans.forEach(function (plan) { cat.planById[plan.id] = plan; });
    cat.layerById = {};
    cat.layers.forEach(function (layer, rank) { layer.rank = rank; cat.layerById[layer.id] = layer; });
    cat.statusById = {};
    cat.statuses.forEach(function (status) { cat.statusById[status.id] = status; });
    cat.phaseById = {};
    cat.phases.forEach(function (phase) { cat.phaseById[phase.id] = phase; });
    return cat;
  }

  function text(key, values) {
    var entry = app.cat.text[key];
    var out = entry ? entry[app.lang === "zh" ? "zh" : "en"] : key;
    Object.keys(values || {}).forEach(function (name) { out = out.replace("{" + name + "}", values[name]); });
    return out;
  }

  function term(table, id) {
    var entry = table[id];
    return entry ? entry[app.lang === "zh" ? "zh" : "en"] : id;
  }

  function featureName(props) { return app.lang === "zh" ? props.name_zh : props.name_en; }

  // Layer style, then the feature's own, then the status's dash (unless the feature fixes one): geo/styles.py.
  function resolveStyle(props, status) {
    var own = props.style || {};
    var merged = Object.assign({}, app.cat.style_defaults, app.cat.layerById[props.layer].style, own);
    var dash = own.dash ? merged.dash : (app.cat.statusById[status] || {}).dash;
    return {
      color: merged.color,
      fillColor: merged.fill_color || merged.color,
      fillOpacity: +merged.fill_opacity,
      weight: +merged.weight,
      opacity: +merged.opacity,
      radius: +merged.radius,
      dashArray: dash || null,
      label: !!merged.label,
    };
  }

  function matchingMention(props, sel) {
    var best = null, bestRank = -1;
    props.mentions.forEach(function (m) {
      if (sel.plans[m.plan] && sel.phases[m.phase] && sel.statuses[m.status]) {
        var rank = app.cat.planRank[m.plan];
        if (rank > bestRank) { best = m; bestRank = rank; }
      }
    });
    return best;
  }

  function asSet(values) {
    var set = {};
    values.forEach(function (v) { set[v] = true; });
    return set;
  }

  // ---- popups ---------------------------------------------------------------------------------------
  function registerLink(id) {
    if (app.state && app.state.standalone) { return ""; } // a saved file has no register to open
    var href = "register?select=" + encodeURIComponent(id);
    try { href = new URL(href, topWindow().location.href).href; } catch (e) { /* keep the relative link */ }
    return '<a class="pm-register" href="' + esc(href) + '" target="_blank" rel="noopener">' + esc(text("register_link")) + "</a>";
  }

  function popupHtml(props) {
    var zh = app.lang === "zh";
    var parts = [
      '<div class="pm-popup">',
      "<h4>" + esc(zh ? props.name_zh : props.name_en) + "</h4>",
      '<div class="pm-sub">' + esc(zh ? props.name_en : props.name_zh) + " · " + esc(term(app.cat.kinds, props.kind)) + "</div>",
    ];
    props.mentions.forEach(function (m) {
      var plan = app.cat.planById[m.plan];
      parts.push(
        '<div class="pm-mention">',
        '<div class="pm-plan">' + esc(plan ? plan[zh ? "title_zh" : "title_en"] : m.plan) + "</div>",
        '<div class="pm-section">' + esc(text("section")) + "：" + esc(m.section) + "</div>",
        '<blockquote class="pm-quote">' + esc(m.quote) + "</blockquote>",
        '<div class="pm-status">' + esc(text("status")) + "：" + esc(term(app.cat.statusById, m.status)) +
          " · " + esc(text("phase")) + "：" + esc(term(app.cat.phaseById, m.phase)) + "</div>",
        "</div>"
      );
    });
    parts.push(
      '<div class="pm-basis">' + esc(text("geometry_basis")) + "：" + esc(props.geometry_basis) +
        "（" + esc(text("accuracy", { m: String(+props.accuracy_m) })) + "）</div>",
      registerLink(props.id),
      "</div>"
    );
    return parts.join("");
  }

  // ---- features -------------------------------------------------------------------------------------
  function createRecords(cat) {
    return cat.features.map(function (f) {
      return { props: f.properties, geometry: f.geometry, label: f.label, layer: null, marker: null, status: null, shown: false };
    });
  }

  function featureLayer(rec) {
    if (rec.layer) { return rec.layer; }
    var pane = "pm-layer-" + rec.props.layer;
    // Leaflet draws a MultiPoint as a nested group that cannot take a tooltip: give it one feature per point.
    var parts = rec.geometry.type === "MultiPoint"
      ? rec.geometry.coordinates.map(function (c) { return { type: "Point", coordinates: c }; })
      : [rec.geometry];
    var features = parts.map(function (geometry) { return { type: "Feature", properties: rec.props, geometry: geometry }; });
    var layer = L.geoJSON({ type: "FeatureCollection", features: features }, {
      pane: pane,
      pointToLayer: function (_, latlng) { return L.circleMarker(latlng, { pane: pane }); },
    });
    layer.on("click", function (event) {
      if (app.drawing) { return; } // the click is a corner of the area being drawn: let the map have it
      L.DomEvent.stop(event);
      identify(event.latlng);
    });
    layer.bindTooltip(function () {
      return esc(app.lang === "zh" ? rec.props.name_zh : rec.props.name_en + " · " + rec.props.name_zh);
    }, { sticky: true });
    layer.on("mouseover", function () {
      var style = resolveStyle(rec.props, rec.status);
      layer.setStyle({ weight: style.weight + 2, fillOpacity: Math.max(style.fillOpacity, 0.35) });
    });
    layer.on("mouseout", function () { applyStyle(rec); });
    rec.layer = layer;
    return layer;
  }

  function applyStyle(rec) {
    var style = resolveStyle(rec.props, rec.status);
    if (rec.emphasis === "new") {
      style = Object.assign({}, style, { weight: style.weight + 2.5, opacity: 1, fillOpacity: Math.max(style.fillOpacity, 0.45) });
    } else if (rec.emphasis === "old") {
      style = Object.assign({}, style, { opacity: style.opacity * 0.4, fillOpacity: style.fillOpacity * 0.4 });
    }
    rec.layer.setStyle(style);
    rec.layer.eachLayer(function (part) { if (part.setRadius) { part.setRadius(style.radius); } });
  }

  function labelMarker(rec) {
    if (rec.marker) { return rec.marker; }
    var node = '<div class="pm-label" data-minzoom="' + rec.label[2] + '" data-priority="' + rec.label[3] + '">' +
      esc(featureName(rec.props)) + "</div>";
    rec.marker = L.marker([rec.label[1], rec.label[0]], {
      icon: L.divIcon({ html: node, iconSize: [0, 0], className: "pm-label-icon" }),
      interactive: false,
      keyboard: false,
      pane: "pm-labels",
    });
    rec.markerLang = app.lang;
    return rec.marker;
  }

  // Show a name from the zoom where it fits; where names collide, the larger feature's wins.
  function placeLabels() {
    var zoom = app.map.getZoom(), placed = [];
    var nodes = Array.prototype.slice.call(app.map.getContainer().querySelectorAll(".pm-label"));
    nodes.sort(function (a, b) { return +b.getAttribute("data-priority") - +a.getAttribute("data-priority"); });
    nodes.forEach(function (node) {
      if (zoom < +node.getAttribute("data-minzoom")) { node.style.display = "none"; return; }
      node.style.display = "";
      var r = node.getBoundingClientRect();
      var hit = placed.some(function (p) { return !(r.right < p.left || r.left > p.right || r.bottom < p.top || r.top > p.bottom); });
      if (hit) { node.style.display = "none"; } else { placed.push(r); }
    });
  }

  function drawFeatures(state) {
    var sel = {
      plans: asSet(state.selection.plans),
      phases: asSet(state.selection.phases),
      statuses: asSet(state.selection.statuses),
      layers: asSet(state.selection.layers),
    };
    var before = null; // the timeline's previous step: what this step adds is highlighted
    if (app.timeline.active) {
      var ids = app.cat.phases.map(function (phase) { return phase.id; }).filter(function (id) { return sel.phases[id]; });
      var upTo = app.cat.phases.map(function (phase) { return phase.id; }).slice(0, app.timeline.step + 1);
      sel.phases = asSet(ids.filter(function (id) { return upTo.indexOf(id) >= 0; }));
      before = Object.assign({}, sel, { phases: asSet(ids.filter(function (id) { return upTo.indexOf(id) >= 0 && id !== upTo[upTo.length - 1]; })) });
    }
    var drawn = 0;
    app.records.forEach(function (rec) {
      var visible = sel.layers[rec.props.layer] && !app.panel.hidden[rec.props.layer];
      var mention = visible ? matchingMention(rec.props, sel) : null;
      var show = mention !== null;
      if (show) {
        drawn += 1;
        var layer = featureLayer(rec);
        var emphasis = before ? (matchingMention(rec.props, before) === null ? "new" : "old") : null;
        if (rec.status !== mention.status || !rec.shown || emphasis !== rec.emphasis) {
          rec.status = mention.status;
          rec.emphasis = emphasis;
          applyStyle(rec);
        }
        if (!rec.shown) { layer.addTo(app.map); }
      } else if (rec.shown) {
        app.map.removeLayer(rec.layer);
      }
      var wantsLabel = show && resolveStyle(rec.props, rec.status).label;
      if (rec.marker && (!wantsLabel || rec.markerLang !== app.lang)) {
        app.map.removeLayer(rec.marker);
        rec.marker = null;
      }
      if (wantsLabel && !rec.marker) { labelMarker(rec).addTo(app.map); }
      rec.shown = show;
    });
    return drawn;
  }

  // Without tiles, the admin boundaries and the island outline not otherwise shown are a plain background.
  function drawContext(state) {
    var wanted = state.basemap.tiles.length === 0;
    app.records.forEach(function (rec) {
      if (app.cat.context_kinds.indexOf(rec.props.kind) < 0) { return; }
      var show = wanted && !rec.shown;
      if (show && !rec.context) {
        rec.context = L.geoJSON(rec.geometry, Object.assign({ pane: "pm-context" }, CONTEXT_STYLE));
      }
      if (rec.context) {
        if (show && !app.map.hasLayer(rec.context)) { rec.context.addTo(app.map); }
        if (!show && app.map.hasLayer(rec.context)) { app.map.removeLayer(rec.context); }
      }
    });
  }

  // ---- overlays (users' own files) ------------------------------------------------------------------
  function drawOverlays(state) {
    var wanted = {};
    return Promise.all(state.overlays.map(function (overlay) {
      wanted[overlay.url] = true;
      if (app.overlays[overlay.url]) { return null; }
      return fetchJson(overlay.url).then(function (collection) {
        var layer = L.geoJSON(collection, {
          pane: "pm-overlays",
          renderer: L.canvas({ padding: 0.5, pane: "pm-overlays" }),
          style: function () { return overlay.style; },
          pointToLayer: function (_, latlng) { return L.circleMarker(latlng, Object.assign({}, overlay.style, { radius: 4 })); },
          onEachFeature: function (feature, part) {
            // _popup and _tip were escaped in Python (geo/user_layers.py).
            part.pmOverlay = overlay;
            part.bindTooltip(feature.properties._tip, { sticky: true });
            part.on("click", function (event) {
              if (app.drawing) { return; }
              L.DomEvent.stop(event);
              identify(event.latlng);
            });
          },
        });
        app.overlays[overlay.url] = layer;
      });
    })).then(function () {
      Object.keys(app.overlays).forEach(function (url) {
        var layer = app.overlays[url];
        if (wanted[url] && !app.map.hasLayer(layer)) { layer.addTo(app.map); }
        if (!wanted[url] && app.map.hasLayer(layer)) { app.map.removeLayer(layer); }
      });
    });
  }

  // ---- the layer panel: on/off, opacity and drawing order, kept in the address (layers=, opacity=) -----
  function initPanel(display) {
    var ids = app.cat.layers.map(function (layer) { return layer.id; }).reverse(); // top first
    var hidden = {};
    if (display.layers) {
      ids.forEach(function (id) { if (display.layers.indexOf(id) < 0) { hidden[id] = true; } });
      ids = display.layers.concat(ids.filter(function (id) { return display.layers.indexOf(id) < 0; }));
    }
    app.panel = { order: ids, hidden: hidden, opacity: Object.assign({}, display.opacity), open: false };
  }

  function applyPanel() {
    var n = app.panel.order.length;
    app.panel.order.forEach(function (id, index) {
      var pane = app.map.getPane("pm-layer-" + id);
      pane.style.zIndex = String(400 + n - index);
      pane.style.opacity = String(app.panel.opacity[id] === undefined ? 1 : app.panel.opacity[id]);
    });
  }

  function panelQuery() {
    var defaultOrder = app.cat.layers.map(function (layer) { return layer.id; }).reverse();
    var visible = app.panel.order.filter(function (id) { return !app.panel.hidden[id]; });
    var query = {};
    if (visible.join(",") !== defaultOrder.join(",")) { query.layers = visible.join(","); }
    var opacity = app.panel.order.filter(function (id) { return app.panel.opacity[id] !== undefined && app.panel.opacity[id] < 1; })
      .map(function (id) { return id + ":" + app.panel.opacity[id]; });
    if (opacity.length) { query.opacity = opacity.join(","); }
    return query;
  }

  function writePanelToAddress() {
    var top = topWindow();
    var params = new URLSearchParams(top.location.search);
    var query = panelQuery();
    ["layers", "opacity"].forEach(function (key) { if (query[key]) { params.set(key, query[key]); } else { params.delete(key); } });
    var search = params.toString();
    try {
      top.history.replaceState(top.history.state, "", top.location.pathname + (search ? "?" + search : "") + top.location.hash);
    } catch (e) { /* sandboxed */ }
  }

  function panelHtml(state) {
    var selected = asSet(state.selection.layers);
    var rows = [];
    app.cat.themes.forEach(function (theme) {
      var ids = app.panel.order.filter(function (id) { return app.cat.layerById[id].theme === theme.id && selected[id]; });
      if (!ids.length) { return; }
      rows.push('<div class="pm-panel-theme">' + esc(theme[app.lang === "zh" ? "zh" : "en"]) + "</div>");
      ids.forEach(function (id) {
        var layer = app.cat.layerById[id];
        var opacity = app.panel.opacity[id] === undefined ? 1 : app.panel.opacity[id];
        rows.push('<div class="pm-panel-row" data-layer="' + esc(id) + '">' +
          '<label><input type="checkbox" class="pm-panel-on"' + (app.panel.hidden[id] ? "" : " checked") + "> " +
          esc(app.lang === "zh" ? layer.title_zh : layer.title_en) + "</label>" +
          '<span class="pm-panel-tools"><button type="button" class="pm-panel-up" title="' + esc(text("panel_up")) + '">▲</button>' +
          '<button type="button" class="pm-panel-down" title="' + esc(text("panel_down")) + '">▼</button>' +
          '<input type="range" class="pm-panel-opacity" min="0" max="100" step="5" value="' + Math.round(opacity * 100) +
          '" title="' + esc(text("panel_opacity")) + '" aria-label="' + esc(text("panel_opacity")) + '"></span></div>');
      });
    });
    return '<details class="pm-panel"' + (app.panel.open ? " open" : "") + '><summary class="pm-panel-title">' +
      esc(text("panel")) + "</summary>" + rows.join("") + "</details>";
  }

  function drawPanel(state) {
    var html = panelHtml(state);
    if (html === app.panelHtml) { return; }
    app.panelHtml = html;
    replaceControl("panel", htmlControl("topright", "pm-panel-control", html));
    var root = app.controls.panel.getContainer();
    root.querySelector("details").addEventListener("toggle", function (event) { app.panel.open = event.target.open; });
    root.querySelectorAll(".pm-panel-row").forEach(function (row) {
      var id = row.getAttribute("data-layer");
      row.querySelector(".pm-panel-on").addEventListener("change", function (event) {
        if (event.target.checked) { delete app.panel.hidden[id]; } else { app.panel.hidden[id] = true; }
        panelChanged();
      });
      row.querySelector(".pm-panel-opacity").addEventListener("input", function (event) {
        app.panel.opacity[id] = +event.target.value / 100;
        applyPanel();
        writePanelToAddress();
      });
      [["pm-panel-up", -1], ["pm-panel-down", 1]].forEach(function (pair) {
        row.querySelector("." + pair[0]).addEventListener("click", function () {
          var order = app.panel.order, from = order.indexOf(id), to = from + pair[1];
          if (to < 0 || to >= order.length) { return; }
          order.splice(from, 1);
          order.splice(to, 0, id);
          panelChanged();
        });
      });
    });
  }

  function panelChanged() {
    applyPanel();
    writePanelToAddress();
    redraw();
  }

  // ---- the phase timeline: 现状 → 近期 → 中期 → 远期 → 远景, cumulative, what each step adds highlighted --
  var TIMELINE_STEP_MS = 1800;

  function timelineHtml() {
    var phases = app.cat.phases, t = app.timeline;
    if (!t.active) {
      return '<button type="button" class="pm-timeline-start">▶ ' + esc(text("timeline")) + "</button>";
    }
    var phase = phases[t.step];
    return '<div class="pm-timeline-row"><button type="button" class="pm-timeline-play" aria-label="' +
      esc(text(t.timer ? "timeline_pause" : "timeline_play")) + '">' + (t.timer ? "❚❚" : "▶") + "</button>" +
      '<input type="range" class="pm-timeline-step" min="0" max="' + (phases.length - 1) + '" step="1" value="' + t.step +
      '" aria-label="' + esc(text("timeline")) + '">' +
      '<button type="button" class="pm-timeline-close" aria-label="' + esc(text("timeline_close")) + '">✕</button></div>' +
      '<div class="pm-timeline-label">' + esc(phase[app.lang === "zh" ? "zh" : "en"]) + "</div>" +
      '<div class="pm-timeline-note">' + esc(text("timeline_note", { n: document.body.dataset.drawn || 0 })) + "</div>";
  }

  function drawTimeline() {
    var html = timelineHtml();
    if (html === app.timelineHtml) { return; }
    app.timelineHtml = html;
    replaceControl("timeline", htmlControl("bottomleft", "pm-timeline-control", html));
    var root = app.controls.timeline.getContainer();
    var on = function (selector, event, handler) { var node = root.querySelector(selector); if (node) { node.addEventListener(event, handler); } };
    on(".pm-timeline-start", "click", function () { app.timeline.active = true; app.timeline.step = 0; timelineChanged(); });
    on(".pm-timeline-close", "click", function () { stopTimer(); app.timeline.active = false; timelineChanged(); });
    on(".pm-timeline-step", "input", function (event) { stopTimer(); app.timeline.step = +event.target.value; timelineChanged(); });
    on(".pm-timeline-play", "click", function () {
      if (app.timeline.timer) { stopTimer(); timelineChanged(); return; }
      if (app.timeline.step >= app.cat.phases.length - 1) { app.timeline.step = 0; }
      app.timeline.timer = window.setInterval(function () {
        if (app.timeline.step >= app.cat.phases.length - 1) { stopTimer(); } else { app.timeline.step += 1; }
        timelineChanged();
      }, TIMELINE_STEP_MS);
      timelineChanged();
    });
  }

  function stopTimer() {
    if (app.timeline.timer) { window.clearInterval(app.timeline.timer); }
    app.timeline.timer = null;
  }

  function timelineChanged() {
    document.body.dataset.timelineStep = app.timeline.active ? String(app.timeline.step) : "";
    redraw();
  }

  // ---- ask Python: statistics of the view or of a drawn area, a map image of the view ----------------------
  var askCount = 0;
  function ask(action, payload) {
    askCount += 1;
    send("streamlit:setComponentValue", {
      value: Object.assign({ action: action, n: Date.now() + "-" + askCount }, payload),
      dataType: "json",
    });
  }

  function viewBounds() {
    var b = app.map.getBounds();
    return [[b.getSouth(), b.getWest()], [b.getNorth(), b.getEast()]];
  }

  function boundsPolygon(bounds) {
    var s = bounds[0][0], w = bounds[0][1], n = bounds[1][0], e = bounds[1][1];
    return { type: "Polygon", coordinates: [[[w, s], [e, s], [e, n], [w, n], [w, s]]] };
  }

  // Draw an area: click its corners, double-click (or click the first corner) to finish, Esc to cancel.
  function startDrawing() {
    if (app.drawing) { return; }
    var points = [], line = L.polyline([], { color: "#d7263d", weight: 2, dashArray: "4 4", interactive: false }).addTo(app.map);
    app.map.getContainer().style.cursor = "crosshair";
    app.map.doubleClickZoom.disable();
    function finish(done) {
      app.map.off("click", onClick);
      app.map.off("dblclick", onDouble);
      document.removeEventListener("keydown", onKey);
      app.map.removeLayer(line);
      app.map.getContainer().style.cursor = "";
      app.map.doubleClickZoom.enable();
      app.drawing = false;
      if (done && points.length >= 3) {
        var ring = points.map(function (p) { return [p.lng, p.lat]; });
        ring.push(ring[0]);
        app.drawnArea = L.polygon(points, { color: "#d7263d", weight: 2, fillOpacity: 0.05, interactive: false }).addTo(app.map);
        ask("stats", { scope: "drawn", area: { type: "Polygon", coordinates: [ring] } });
      }
    }
    function onClick(event) {
      if (points.length >= 3 && app.map.latLngToContainerPoint(points[0]).distanceTo(event.containerPoint) < 8) { finish(true); return; }
      points.push(event.latlng);
      line.setLatLngs(points);
    }
    function onDouble(event) { L.DomEvent.stop(event); finish(true); }
    function onKey(event) { if (event.key === "Escape") { finish(false); } }
    if (app.drawnArea) { app.map.removeLayer(app.drawnArea); app.drawnArea = null; }
    app.drawing = true;
    app.map.on("click", onClick);
    app.map.on("dblclick", onDouble);
    document.addEventListener("keydown", onKey);
  }

  function drawAskTools(state) {
    if (state.present || state.standalone) { replaceControl("ask", null); return; }
    var key = "ask|" + state.lang;
    if (app.askKey === key) { return; }
    app.askKey = key;
    var html = '<button type="button" class="pm-ask-view" title="' + esc(text("stats_view")) + '">Σ</button>' +
      '<button type="button" class="pm-ask-draw" title="' + esc(text("stats_draw")) + '">✎</button>' +
      '<button type="button" class="pm-ask-print" title="' + esc(text("print_view")) + '">' + PRINTER_ICON + "</button>";
    replaceControl("ask", htmlControl("topleft", "leaflet-bar pm-ask-control", html));
    var root = app.controls.ask.getContainer();
    root.querySelector(".pm-ask-view").addEventListener("click", function () {
      ask("stats", { scope: "view", area: boundsPolygon(viewBounds()) });
    });
    root.querySelector(".pm-ask-draw").addEventListener("click", startDrawing);
    root.querySelector(".pm-ask-print").addEventListener("click", function () {
      var size = app.map.getSize();
      ask("print_view", { bounds: viewBounds(), pixels: [size.x, size.y] });
    });
  }

  // ---- identify: everything under a click, from every layer ------------------------------------------
  var HIT_PX = 5; // how close to a line or point a click counts, beyond its drawn width

  function insideRing(point, ring) {
    var inside = false;
    for (var i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      var a = ring[i], b = ring[j];
      if ((a.y > point.y) !== (b.y > point.y) && point.x < ((b.x - a.x) * (point.y - a.y)) / (b.y - a.y) + a.x) { inside = !inside; }
    }
    return inside;
  }

  function nearLine(point, line, tolerance) {
    for (var i = 1; i < line.length; i++) {
      if (L.LineUtil.pointToSegmentDistance(point, line[i - 1], line[i]) <= tolerance) { return true; }
    }
    return false;
  }

  // Whether one drawn part (a Leaflet path or circle) lies under the click, in screen pixels.
  function partHit(part, latlng, point) {
    var map = app.map;
    if (part.getRadius) {
      return map.latLngToLayerPoint(part.getLatLng()).distanceTo(point) <= part.getRadius() + HIT_PX;
    }
    if (!part.getLatLngs) { return false; }
    var polygon = part instanceof L.Polygon;
    if (polygon && !part.getBounds().contains(latlng)) { return false; }
    var flat = function (list) {
      return L.LineUtil.isFlat(list) ? [list] : list.reduce(function (all, x) { return all.concat(flat(x)); }, []);
    };
    var projected = flat(part.getLatLngs()).map(function (ring) { return ring.map(function (ll) { return map.latLngToLayerPoint(ll); }); });
    if (polygon) {
      // Inside an odd number of rings (an outer ring minus its holes) is inside the polygon.
      return projected.filter(function (ring) { return insideRing(point, ring); }).length % 2 === 1;
    }
    var tolerance = (part.options.weight || 2) / 2 + HIT_PX;
    return projected.some(function (line) { return nearLine(point, line, tolerance); });
  }

  function layerHit(layer, latlng, point) {
    var hit = false;
    layer.eachLayer(function (part) { hit = hit || partHit(part, latlng, point); });
    return hit;
  }

  function hitSize(layer) {
    var b = layer.getBounds ? layer.getBounds() : null;
    return b && b.isValid() ? (b.getNorth() - b.getSouth()) * (b.getEast() - b.getWest()) : 0;
  }

  function identify(latlng) {
    if (app.drawing) { return; } // clicks are corners of the area being drawn
    var point = app.map.latLngToLayerPoint(latlng);
    var hits = app.records
      .filter(function (rec) { return rec.shown && layerHit(rec.layer, latlng, point); })
      .map(function (rec) { return { rec: rec, size: hitSize(rec.layer) }; });
    Object.keys(app.overlays).forEach(function (url) {
      var group = app.overlays[url];
      if (!app.map.hasLayer(group)) { return; }
      group.eachLayer(function (part) {
        if (partHit(part, latlng, point)) { hits.push({ part: part, size: hitSize(L.featureGroup([part])) }); }
      });
    });
    hits.sort(function (a, b) { return a.size - b.size; }); // points and small features first
    if (hits.length === 0) { return; }
    if (hits.length === 1) { openHit(hits[0], latlng); return; }
    var rows = hits.map(function (hit, index) {
      var name, detail;
      if (hit.rec) {
        var props = hit.rec.props, layer = app.cat.layerById[props.layer];
        name = featureName(props);
        detail = (app.lang === "zh" ? layer.title_zh : layer.title_en) + " · " + term(app.cat.statusById, hit.rec.status) + " · " +
          props.mentions.map(function (m) { return m.plan; }).filter(function (p, i, all) { return all.indexOf(p) === i; }).join("、");
      } else {
        name = hit.part.feature.properties._tip; // escaped in Python
        detail = esc(text("user_layer") + "：" + hit.part.pmOverlay.name);
      }
      var id = hit.rec ? hit.rec.props.id : hit.part.feature.properties.id;
      return '<li><a href="#" data-index="' + index + '" data-id="' + esc(id) + '">' + (hit.rec ? esc(name) : name) + "</a>" +
        '<div class="pm-identify-detail">' + (hit.rec ? esc(detail) : detail) + "</div></li>";
    });
    var html = '<div class="pm-identify"><div class="pm-identify-title">' + esc(text("identify", { n: hits.length })) + "</div><ol>" +
      rows.join("") + "</ol></div>";
    var popup = L.popup({ maxWidth: 440 }).setLatLng(latlng).setContent(html).openOn(app.map);
    popup.getElement().querySelectorAll("a[data-index]").forEach(function (link) {
      L.DomEvent.on(link, "click", function (event) {
        L.DomEvent.preventDefault(event);
        openHit(hits[+link.getAttribute("data-index")], latlng);
      });
    });
  }

  function openHit(hit, latlng) {
    var html = hit.rec ? popupHtml(hit.rec.props) : hit.part.feature.properties._popup; // overlays: escaped in Python
    L.popup({ maxWidth: 440 }).setLatLng(latlng).setContent(html).openOn(app.map);
  }

  // ---- legend ---------------------------------------------------------------------------------------
  function swatch(style, kinds) {
    var color = esc(style.color), fill = esc(style.fillColor), shape;
    if (kinds.polygon) {
      shape = '<rect x="2" y="1" width="30" height="12" fill="' + fill + '" fill-opacity="' + Math.max(style.fillOpacity, 0.25) +
        '" stroke="' + color + '" stroke-width="1.5"/>';
    } else if (kinds.line) {
      shape = '<line x1="1" y1="7" x2="33" y2="7" stroke="' + color + '" stroke-width="' + Math.min(style.weight, 6) + '"/>';
    } else {
      shape = '<circle cx="17" cy="7" r="5" fill="' + fill + '" stroke="' + color + '" stroke-width="1.5"/>';
    }
    return '<svg width="34" height="14">' + shape + "</svg>";
  }

  function geometryKind(type) {
    return type.indexOf("Polygon") >= 0 ? "polygon" : type.indexOf("LineString") >= 0 ? "line" : "point";
  }

  function legendHtml(state) {
    var layers = {}, statuses = {};
    app.records.forEach(function (rec) {
      if (!rec.shown) { return; }
      var entry = layers[rec.props.layer] || (layers[rec.props.layer] = {});
      entry[geometryKind(rec.geometry.type)] = true;
      statuses[rec.status] = true;
    });
    var rows = [];
    app.cat.layers.forEach(function (layer) {
      if (!layers[layer.id]) { return; }
      var style = resolveStyle({ layer: layer.id, mentions: [] }, "existing");
      rows.push('<div class="pm-legend-row">' + swatch(style, layers[layer.id]) + "<span>" +
        esc(app.lang === "zh" ? layer.title_zh : layer.title_en) + "</span></div>");
    });
    state.overlays.forEach(function (overlay) {
      rows.push('<div class="pm-legend-row">' + swatch(overlay.style, asSet(overlay.kinds)) + "<span>" +
        esc(text("user_layer") + "：" + overlay.name) + "</span></div>");
    });
    var statusRows = app.cat.statuses.filter(function (s) { return statuses[s.id]; }).map(function (s) {
      var dash = s.dash ? ' stroke-dasharray="' + esc(s.dash) + '"' : "";
      return '<div class="pm-legend-row"><svg width="34" height="10"><line x1="1" y1="5" x2="33" y2="5" stroke="#333"' +
        ' stroke-width="2.5"' + dash + "/></svg><span>" + esc(term(app.cat.statusById, s.id)) + "</span></div>";
    });
    if (statusRows.length) { rows.push('<div class="pm-legend-sep"></div>'); }
    return '<details class="pm-legend" open><summary class="pm-legend-title">' + esc(text("legend")) + "</summary>" +
      rows.concat(statusRows).join("") + "</details>";
  }

  function htmlControl(position, className, html) {
    var control = L.control({ position: position });
    control.onAdd = function () {
      var div = L.DomUtil.create("div", className);
      div.innerHTML = html; // built from escaped values only
      L.DomEvent.disableClickPropagation(div);
      L.DomEvent.disableScrollPropagation(div);
      return div;
    };
    return control;
  }

  function replaceControl(name, control) {
    if (app.controls[name]) { app.map.removeControl(app.controls[name]); }
    app.controls[name] = control;
    if (control) { control.addTo(app.map); }
  }

  function drawLegend(state) {
    var html = legendHtml(state);
    if (html === app.legendHtml) { return; }
    var wasOpen = !app.controls.legend || app.map.getContainer().querySelector(".pm-legend").open;
    app.legendHtml = html;
    replaceControl("legend", htmlControl("bottomright", "pm-legend-control", html));
    if (!wasOpen) { app.map.getContainer().querySelector(".pm-legend").open = false; }
  }

  // ---- basemap and tools ----------------------------------------------------------------------------
  function drawBasemap(state) {
    var key = JSON.stringify(state.basemap.tiles);
    if (key === app.tilesKey) { return; }
    app.tilesKey = key;
    app.tiles.forEach(function (layer) { app.map.removeLayer(layer); });
    app.tiles = state.basemap.tiles.map(function (spec) {
      return L.tileLayer(spec.url, {
        attribution: spec.attribution,
        subdomains: spec.subdomains,
        maxZoom: spec.max_zoom,
        maxNativeZoom: spec.max_zoom,
        pane: spec.overlay ? "overlayPane" : "tilePane",
      }).addTo(app.map);
    });
    app.toolsKey = null; // the mini map follows the basemap
  }

  function drawTools(state) {
    var key = [state.lang, state.present, app.tilesKey].join("|");
    if (key === app.toolsKey) { return; }
    app.toolsKey = key;
    ["fullscreen", "measure", "position", "minimap", "title", "north", "source"].forEach(function (name) { replaceControl(name, null); });
    if (state.present) {
      app.map.zoomControl.remove();
      return;
    }
    if (!app.map.zoomControl._map) { app.map.zoomControl.addTo(app.map); }
    replaceControl("fullscreen", L.control.fullscreen({ position: "topleft", title: text("fullscreen"), titleCancel: text("fullscreen_exit") }));
    replaceControl("measure", L.control.measure({
      position: "topleft",
      primaryLengthUnit: "meters",
      secondaryLengthUnit: "kilometers",
      primaryAreaUnit: "sqmeters",
      secondaryAreaUnit: "hectares",
    }));
    replaceControl("position", L.control.mousePosition({
      position: "bottomleft", separator: " , ", numDigits: 5, prefix: text("lonlat"), lngFirst: true, emptyString: "",
    }));
    var base = state.basemap.tiles.filter(function (spec) { return !spec.overlay; })[0];
    if (base) {
      var tiles = L.tileLayer(base.url, { attribution: base.attribution, subdomains: base.subdomains });
      replaceControl("minimap", new L.Control.MiniMap(tiles, { position: "bottomleft", toggleDisplay: true, zoomLevelOffset: -5 }));
    }
  }

  // A slide: a title band across the top, north arrow, legend, scale and source note; Esc leaves.
  function drawPresentation(state) {
    var band = document.getElementById("pm-title-band");
    document.body.classList.toggle("pm-present", !!state.present);
    band.hidden = !state.present;
    if (!state.present) { return; }
    band.querySelector(".pm-title").textContent = state.title;
    band.querySelector(".pm-leave-hint").textContent = text("leave_hint");
    var key = [state.source_note, state.lang].join("|");
    if (key === app.presentKey && app.controls.north) { return; }
    app.presentKey = key;
    replaceControl("north", htmlControl("topright", "pm-north-control", NORTH_ARROW));
    replaceControl("source", htmlControl("bottomleft", "pm-source-control", '<div class="pm-source">' + esc(state.source_note) + "</div>"));
  }

  var events = 0;
  function leaveOnEscape(event) {
    if (event.key === "Escape" && latest && latest.present) {
      events += 1;
      send("streamlit:setComponentValue", { value: { action: "leave_present", n: Date.now() + "-" + events }, dataType: "json" });
    }
  }

  // ---- the view: a link's #map= or view wins; later, only a new request (token) moves the map ---------
  function parseHash(hash) {
    var m = HASH.exec(hash || "");
    if (!m) { return hash && hash.indexOf("map=") >= 0 ? "bad" : null; }
    var z = +m[1], lat = +m[2], lon = +m[3];
    if (z < 3 || z > 19 || lat < 18 || lat > 26 || lon < 108 || lon > 118) { return "bad"; }
    return { z: z, lat: lat, lon: lon };
  }

  function rememberView() {
    var top = topWindow(), center = app.map.getCenter(), zoom = app.map.getZoom();
    var hash = "#map=" + zoom + "/" + center.lat.toFixed(5) + "/" + center.lng.toFixed(5);
    if (top.location.hash === hash) { return; }
    try { top.history.replaceState(top.history.state, "", top.location.pathname + top.location.search + hash); } catch (e) { /* sandboxed */ }
  }

  function openFocus(id) {
    var rec = app.records.filter(function (r) { return r.props.id === id; })[0];
    if (!rec || !rec.shown) { return; }
    var at = rec.geometry.type === "Point" ? L.latLng(rec.geometry.coordinates[1], rec.geometry.coordinates[0]) : rec.layer.getBounds().getCenter();
    openHit({ rec: rec }, at);
  }

  function applyView(state) {
    var view = state.view;
    if (app.viewToken === null) {
      var fromUrl = parseHash(topWindow().location.hash);
      if (fromUrl === "bad") {
        htmlControl("topright", "pm-notice", esc(text("bad_view"))).addTo(app.map);
        fromUrl = null;
      }
      if (fromUrl) { app.map.setView([fromUrl.lat, fromUrl.lon], fromUrl.z, { animate: false }); } else { app.map.fitBounds(view.bounds); }
    } else if (view.token !== app.viewToken) {
      app.map.fitBounds(view.bounds);
    }
    var first = app.viewToken === null;
    var asked = first || view.token !== app.viewToken;
    app.viewToken = view.token;
    if (asked && view.focus) { openFocus(view.focus); }
  }

  // ---- render ---------------------------------------------------------------------------------------
  function createApp(state) {
    var map = L.map("map", { zoomControl: true, attributionControl: true });
    map.attributionControl.setPrefix('<a href="https://leafletjs.com">Leaflet</a>');
    map.createPane("pm-context").style.zIndex = 350;
    map.createPane("pm-overlays").style.zIndex = 560;
    var labels = map.createPane("pm-labels");
    labels.style.zIndex = 640;
    labels.style.pointerEvents = "none";
    L.control.scale({ imperial: false }).addTo(map);
    app = {
      map: map, lang: state.lang, catUrl: null, records: [], overlays: {}, controls: {}, tiles: [], viewToken: null,
      timeline: { active: false, step: 0, timer: null },
    };
    window.planMap = map;
    document.addEventListener("keydown", leaveOnEscape);
    try { topWindow().document.addEventListener("keydown", leaveOnEscape); } catch (e) { /* other origin */ }
    map.on("moveend", rememberView);
    map.on("zoomend", placeLabels);
    // Streamlit rewrites the address when the filters change, which drops the fragment: put it back.
    window.setInterval(function () { if (!HASH.test(topWindow().location.hash) && app.viewToken !== null) { rememberView(); } }, 1000);
  }

  function useCatalogue(state) {
    if (app.catUrl === state.catalogue) { return Promise.resolve(); }
    showLoading(state.lang === "zh" ? "正在载入地图数据…" : "Loading the map data…");
    return fetchJson(state.catalogue).then(function (cat) {
      // A new catalogue (another coordinate system): drop what was drawn from the old one.
      app.records.forEach(function (rec) {
        if (rec.layer) { app.map.removeLayer(rec.layer); }
        if (rec.marker) { app.map.removeLayer(rec.marker); }
        if (rec.context) { app.map.removeLayer(rec.context); }
      });
      app.cat = cat.planRank ? cat : indexCatalogue(cat);
      app.cat.layers.forEach(function (layer) {
        var name = "pm-layer-" + layer.id;
        if (!app.map.getPane(name)) { app.map.createPane(name).style.zIndex = 400 + layer.rank; }
      });
      app.records = createRecords(app.cat);
      app.catUrl = state.catalogue;
      showLoading("");
    });
  }

  function render(state) {
    send("streamlit:setFrameHeight", { height: state.height }); // presentation mode: CSS makes the frame the viewport
    var ready = app ? Promise.resolve() : loadAssets(state.assets).then(function () { createApp(state); });
    return ready
      .then(function () { return useCatalogue(state); })
      .then(function () { return drawOverlays(state); })
      .then(function () {
        if (state !== latest) { return; }
        app.lang = state.lang;
        app.state = state;
        document.documentElement.lang = state.lang === "zh" ? "zh" : "en";
        if (!app.panel) { initPanel(state.display); }
        applyPanel();
        drawBasemap(state);
        var drawn = drawFeatures(state);
        drawContext(state);
        applyView(state); // before the tools: the mini map needs a view
        drawLegend(state);
        drawTools(state);
        drawAskTools(state);
        document.body.dataset.drawn = String(drawn);
        drawPanel(state);
        drawTimeline();
        drawPresentation(state);
        placeLabels();
        rememberView();
        renders += 1;
        document.body.dataset.renders = String(renders);
      });
  }

  // The same state drawn again after a change made on the map itself (the layer panel).
  function redraw() {
    var drawn = drawFeatures(app.state);
    document.body.dataset.drawn = String(drawn);
    drawContext(app.state);
    drawLegend(app.state);
    drawPanel(app.state);
    drawTimeline();
    placeLabels();
  }
})();
