/* The browser map: one Leaflet map that lives as long as the page and follows the state Python sends.

   Python (geo/web/state.py) sends a small state object on every rerun: the selection, language, basemap,
   view request, presentation options and the URLs of the catalogue and overlays. The catalogue (every
   feature, its quotes and geometry) is fetched once from a content-hashed static file; filtering,
   styling, popups, the legend and labels are all done here, in place, without re-creating the map.
   The selection rule is the one in geo/query/selection.py: a feature shows when its layer is selected and one
   of its mentions matches the selected plans, phases and statuses; it is drawn with the status of the
   matching mention of the most recent plan (the catalogue lists plans oldest first).

   Speaks Streamlit's component protocol (componentReady / render / setFrameHeight) directly. */
(function () {
  "use strict";

  var NORTH_ARROW =
    '<svg width="28" height="40" viewBox="0 0 28 40" aria-label="N">' +
    '<polygon points="14,2 24,30 14,24 4,30" fill="#222"/><text x="14" y="39" font-size="11" text-anchor="middle"' +
    ' font-family="sans-serif" fill="#222">N</text></svg>';
  var PRINTER_ICON =
    '<svg width="16" height="16" viewBox="0 0 16 16" aria-hidden="true"><rect x="4" y="1.5" width="8" height="4" fill="none"' +
    ' stroke="#333" stroke-width="1.3"/><rect x="1.5" y="5.5" width="13" height="6" rx="1" fill="none" stroke="#333"' +
    ' stroke-width="1.3"/><rect x="4" y="9.5" width="8" height="5" fill="#fff" stroke="#333" stroke-width="1.3"/></svg>';
  var RULER_ICON =
    '<svg width="18" height="18" viewBox="0 0 18 18" aria-hidden="true"><rect x="1.5" y="6" width="15" height="6" fill="none"' +
    ' stroke="#333" stroke-width="1.3"/><path d="M4.5 6v3M7.5 6v2M10.5 6v3M13.5 6v2" stroke="#333" stroke-width="1.2"/></svg>';
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
  // Say we are ready until the first state arrives: a busy page may not be listening yet the first time.
  send("streamlit:componentReady", { apiVersion: 1 });
  var readyRetries = 0;
  var readyTimer = window.setInterval(function () {
    readyRetries += 1;
    if (latest || readyRetries > 120) { window.clearInterval(readyTimer); return; }
    send("streamlit:componentReady", { apiVersion: 1 });
  }, 500);

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
      script.async = false; // fetched in parallel, run in the order added (each plugin extends Leaflet)
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
    return Promise.all(assets.js.map(loadScript));
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
      catalogues[url].catch(function () { delete catalogues[url]; }); // asked again, it is fetched again
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
    cat.phaseBasisById = {};
    (cat.phase_bases || []).forEach(function (basis) { cat.phaseBasisById[basis.id] = basis; });
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

  // ---- themes and symbols: the theme says a feature's role (subject, context, not shown) and label rank at
  // the scale of view; its class says how it is drawn, the status its pattern (geo/style/symbols.py class_symbol).
  var SEA = "#d4e6f1", LAND = "#f8f7f2";
  // A feature no symbol class takes (only drawn without a theme): plain and muted.
  var UNCLASSED = { zh: "其他", en: "Other", group: "base", color: "#8c8c8c", fill: "#ffffff", fill_opacity: 0.2, weight: 1,
    opacity: 0.9, radius: 4, marker: "circle", status: true, label_only: false };

  function scale() {
    var bounds = app.map.getBounds(), lat = app.map.getCenter().lat;
    var km = app.map.distance(L.latLng(lat, bounds.getWest()), L.latLng(lat, bounds.getEast())) / 1000;
    return km <= app.cat.map_themes.local_max_km ? "local" : "region";
  }

  // [role, label rank] of a feature in the current theme and scale; role "" means not shown.
  function themeRole(rec) {
    if (!app.theme) { // no theme (a saved HTML map): every selected feature, named as in 全部
      var all = rec.roles.all;
      return ["s", all ? (app.scale === "local" ? all[1] : all[3]) : null];
    }
    var roles = rec.roles[app.theme];
    if (!roles) { return app.theme === "all" ? ["c", null] : ["", null]; } // 全部要素: even what no class draws
    return app.scale === "local" ? [roles[0], roles[1]] : [roles[2], roles[3]];
  }

  // keyOnly: the class's symbol as the legend keys it (as existing: solid, filled, its own hatch only);
  // the status group of the legend shows the patterns.
  function symbolStyle(rec, keyOnly) {
    var symbols = app.cat.symbols, cls = symbols.classes[rec.symbol] || UNCLASSED;
    var plain = { dash: null, marker_fill: "full", hatch: null };
    var pattern = cls.status && !keyOnly ? symbols.statuses[rec.status] : plain;
    var color = cls.color, fill = cls.fill, weight = cls.weight, hatch = pattern.hatch || cls.hatch;
    if (rec.role === "c") { // one neutral grey, areas as outlines: context never competes with the subject
      color = symbols.context.color;
      fill = null;
      hatch = null;
      weight = weight > 0 ? Math.max(Math.round(weight * symbols.context.weight * 2) / 2, 1) : 0;
    }
    if (cls.label_only) { weight = 0; fill = null; }
    if (geometryKind(rec.geometry.type) !== "polygon") { hatch = null; }
    return {
      color: color,
      fillColor: hatch ? hatchFill(hatch, color, fill, cls.fill_opacity) : fill || color,
      fillOpacity: hatch ? 1 : fill ? cls.fill_opacity : 0, // a hatch's pattern holds the fill's own opacity
      weight: weight,
      opacity: cls.opacity,
      radius: cls.radius,
      dashArray: pattern.dash || null,
      marker: cls.marker,
      markerFill: pattern.marker_fill,
      hatch: hatch || null,
      hidden: cls.label_only,
    };
  }

  // Area hatches (geo/style/symbols.py: matplotlib's //// xx .., as print draws them) as SVG patterns in one hidden
  // <svg> of the page: Leaflet's SVG renderer fills a path with url(#…) like any colour. Lines in the stroke
  // colour at 60 %, over the class's fill if it has one.
  var HATCHES = {
    "////": { size: 6, draw: "M0,6L6,0M-1,1L1,-1M5,7L7,5" },
    xx: { size: 8, draw: "M0,8L8,0M-1,1L1,-1M7,9L9,7M0,0L8,8M-1,7L1,9M7,-1L9,1" },
    "..": { size: 6, dot: 0.9 },
  };
  var hatchIds = {};
  function hatchFill(hatch, color, fill, fillOpacity) {
    var key = [hatch, color, fill, fillOpacity].join("|");
    if (!hatchIds[key]) {
      var spec = HATCHES[hatch] || HATCHES["////"], size = spec.size, id = "pm-hatch-" + (Object.keys(hatchIds).length + 1);
      var defs = document.getElementById("pm-patterns");
      if (!defs) {
        var holder = document.createElementNS("http://www.w3.org/2000/svg", "svg");
        holder.setAttribute("style", "position:absolute;width:0;height:0;overflow:hidden");
        holder.setAttribute("aria-hidden", "true");
        defs = document.createElementNS("http://www.w3.org/2000/svg", "defs");
        defs.id = "pm-patterns";
        holder.appendChild(defs);
        document.body.appendChild(holder);
      }
      var mark = spec.dot
        ? '<circle cx="' + size / 2 + '" cy="' + size / 2 + '" r="' + spec.dot + '" fill="' + esc(color) + '" fill-opacity="0.6"/>'
        : '<path d="' + spec.draw + '" stroke="' + esc(color) + '" stroke-opacity="0.6" stroke-width="1"/>';
      var back = fill ? '<rect width="' + size + '" height="' + size + '" fill="' + esc(fill) + '" fill-opacity="' + fillOpacity + '"/>' : "";
      var pattern = document.createElementNS("http://www.w3.org/2000/svg", "pattern");
      ["id", id, "patternUnits", "userSpaceOnUse", "width", size, "height", size, "data-hatch", hatch, "data-color", color,
        "data-fill", fill || "none"].forEach(function (value, i, all) { if (i % 2 === 0) { pattern.setAttribute(value, all[i + 1]); } });
      pattern.innerHTML = back + mark; // colours escaped above; the rest is ours
      defs.appendChild(pattern);
      hatchIds[key] = "url(#" + id + ")";
    }
    return hatchIds[key];
  }

  var gradients = 0;
  function markerSvg(style) {
    var r = style.radius, pad = 3, size = 2 * r + 2 * pad, c = size / 2, color = esc(style.color);
    var shapes = {
      circle: '<circle cx="' + c + '" cy="' + c + '" r="' + r + '"',
      square: '<rect x="' + (c - r * 0.85) + '" y="' + (c - r * 0.85) + '" width="' + 1.7 * r + '" height="' + 1.7 * r + '"',
      diamond: '<polygon points="' + [c, c - r, c + r, c, c, c + r, c - r, c].join(",") + '"',
      triangle: '<polygon points="' + [c, c - r, c + r * 0.9, c + r * 0.7, c - r * 0.9, c + r * 0.7].join(",") + '"',
      hexagon: '<polygon points="' + [0, 1, 2, 3, 4, 5].map(function (i) {
        var a = Math.PI / 3 * i; return (c + r * Math.cos(a)) + "," + (c + r * Math.sin(a));
      }).join(" ") + '"',
      star: '<polygon points="' + [0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map(function (i) {
        var a = Math.PI / 5 * i - Math.PI / 2, q = i % 2 ? r * 0.45 : r; return (c + q * Math.cos(a)) + "," + (c + q * Math.sin(a));
      }).join(" ") + '"',
    };
    var shape = shapes[style.marker] || shapes.circle, defs = "", fill = color, extra = "";
    if (style.markerFill === "half") {
      gradients += 1;
      defs = '<defs><linearGradient id="pm-half-' + gradients + '" x1="0" y1="0" x2="1" y2="0"><stop offset="50%" stop-color="' +
        color + '"/><stop offset="50%" stop-color="#fff"/></linearGradient></defs>';
      fill = "url(#pm-half-" + gradients + ")";
    } else if (style.markerFill !== "full") {
      fill = "#fff";
      if (style.markerFill === "dot") { extra = '<circle cx="' + c + '" cy="' + c + '" r="' + r / 3 + '" fill="' + color + '"/>'; }
      if (style.markerFill === "cross") {
        extra = '<path d="M' + (c - r / 2) + " " + (c - r / 2) + "L" + (c + r / 2) + " " + (c + r / 2) + "M" + (c + r / 2) + " " +
          (c - r / 2) + "L" + (c - r / 2) + " " + (c + r / 2) + '" stroke="' + color + '" stroke-width="1.3"/>';
      }
    }
    // A white halo under the outline keeps a marker readable over any fill.
    var marker = shapes[style.marker] ? style.marker : "circle";
    return '<svg class="pm-shape pm-shape-' + marker + '" data-marker="' + marker + '" data-color="' + color + '" data-fill="' +
      esc(style.markerFill) + '" width="' + size + '" height="' + size + '" viewBox="0 0 ' + size + " " + size + '">' + defs +
      shape + ' fill="none" stroke="#fff" stroke-width="3.5"/>' + shape + ' fill="' + fill + '" stroke="' + color +
      '" stroke-width="1.6" opacity="' + style.opacity + '"/>' + extra + "</svg>";
  }

  function markerIcon(style) {
    var size = 2 * style.radius + 6;
    return L.divIcon({ html: style.hidden ? "" : markerSvg(style), className: "pm-marker", iconSize: [size, size] });
  }

  function matchingMention(props, sel) {
    var best = null, bestRank = -1;
    props.mentions.forEach(function (m) {
      var stated = !sel.statedOnly || (app.cat.phaseBasisById[m.phase_basis] || {}).stated;
      if (sel.plans[m.plan] && sel.phases[m.phase] && sel.statuses[m.status] && stated) {
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
    // Chinese text takes full-width punctuation, English its own.
    var colon = zh ? "：" : ": ", open = zh ? "（" : " (", close = zh ? "）" : ")";
    var siteOpen = props.site_undetermined ? " · " + text("site_open") : "";
    var parts = [
      '<div class="pm-popup">',
      "<h4>" + esc(zh ? props.name_zh : props.name_en) + "</h4>",
      '<div class="pm-sub">' + esc(zh ? props.name_en : props.name_zh) + " · " + esc(term(app.cat.kinds, props.kind)) + esc(siteOpen) + "</div>",
    ];
    if (props.aliases && props.aliases.length) {
      parts.push('<div class="pm-aliases">' + esc(text("aliases")) + colon + props.aliases.map(function (a) {
        return esc(a.name) + open + esc(a.plan) + close;
      }).join("、") + "</div>");
    }
    var existence = props["existence_" + (zh ? "zh" : "en")];
    if (existence) {
      parts.push('<div class="pm-exists">' + esc(text("existence")) + colon + esc(existence) + "</div>");
    }
    props.mentions.forEach(function (m) {
      var plan = app.cat.planById[m.plan];
      var state = m["state_" + (zh ? "zh" : "en")] || term(app.cat.statusById, m.status);
      var phase = m["phase_" + (zh ? "zh" : "en")] || term(app.cat.phaseById, m.phase);
      parts.push(
        '<div class="pm-mention">',
        '<div class="pm-plan">' + esc(plan ? plan[zh ? "title_zh" : "title_en"] : m.plan) +
          (plan ? '<span class="pm-date">' + open + esc(plan.date) + close + "</span>" : "") + "</div>",
        '<div class="pm-section">' + esc(text("section")) + colon + esc(m.section) + "</div>",
        '<blockquote class="pm-quote">' + esc(m.quote) + "</blockquote>",
        '<div class="pm-status">' + esc(text("status")) + colon + esc(state) + " · " + esc(text("phase")) + colon + esc(phase) + "</div>",
        // the plan's other passages about it, after the one that decides the status
        (m.also || []).map(function (p) {
          return '<div class="pm-section pm-also">' + esc(text("also")) + colon + esc(p.section) + "</div>" +
            '<blockquote class="pm-quote pm-quote-also">' + esc(p.quote) + "</blockquote>";
        }).join(""),
        "</div>"
      );
    });
    var note = props["note_" + (zh ? "zh" : "en")];
    if (note) { parts.push('<div class="pm-note">' + esc(text("note")) + colon + esc(note) + "</div>"); }
    parts.push(
      '<div class="pm-basis">' + esc(text("geometry_basis")) + colon + esc(props["geometry_basis_" + (zh ? "zh" : "en")] || "") +
        open + esc(text("accuracy", { m: String(+props.accuracy_m) })) + close + "</div>",
      registerLink(props.id),
      "</div>"
    );
    return parts.join("");
  }

  // ---- features -------------------------------------------------------------------------------------
  function createRecords(cat) {
    return cat.features.map(function (f) {
      return {
        props: f.properties, geometry: f.geometry, label: f.label, symbol: f.symbol, roles: f.roles,
        layer: null, marker: null, status: null, role: null, rank: null, shown: false,
      };
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
      pointToLayer: function (_, latlng) { return L.marker(latlng, { pane: pane, icon: markerIcon(symbolStyle(rec)) }); },
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
      var style = symbolStyle(rec);
      layer.setStyle({ weight: style.weight + 2, fillOpacity: Math.max(style.fillOpacity, 0.35) });
    });
    layer.on("mouseout", function () { applyStyle(rec); });
    rec.layer = layer;
    return layer;
  }

  function applyStyle(rec) {
    var style = symbolStyle(rec);
    if (rec.emphasis === "new") {
      style = Object.assign({}, style, { weight: style.weight + 2.5, opacity: 1, fillOpacity: Math.max(style.fillOpacity, 0.45) });
    } else if (rec.emphasis === "old") {
      style = Object.assign({}, style, { opacity: style.opacity * 0.4, fillOpacity: style.fillOpacity * 0.4 });
    }
    rec.layer.setStyle(style);
    rec.layer.eachLayer(function (part) { if (part.setIcon) { part.setIcon(markerIcon(style)); part.pmRadius = style.radius; } });
  }

  function labelMarker(rec) {
    if (rec.marker) { return rec.marker; }
    // Rank 1 and 2 names (cities, the theme's structure) show at every zoom and win collisions.
    var minzoom = rec.rank <= 2 ? 0 : rec.label[2], priority = (10 - rec.rank) * 1e8 + rec.label[3];
    var angle = rec.label[4]; // a line's name lies along it (geo/web/catalogue_file.py label_angle)
    var turn = typeof angle === "number" && Math.abs(angle) > 3 ? ' style="transform: translate(-50%, -50%) rotate(' + angle + 'deg)"' : "";
    var node = '<div class="pm-label pm-rank-' + rec.rank + '" data-minzoom="' + minzoom + '" data-priority="' + priority + '"' +
      turn + ">" + esc(featureName(rec.props)) + "</div>";
    rec.marker = L.marker([rec.label[1], rec.label[0]], {
      icon: L.divIcon({ html: node, iconSize: [0, 0], className: "pm-label-icon" }),
      interactive: false,
      keyboard: false,
      pane: "pm-labels",
    });
    rec.markerKey = app.lang + rec.rank;
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
      statedOnly: state.selection.stated_phases_only,
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
      var role = themeRole(rec);
      var show = mention !== null && role[0] !== "";
      if (show) {
        drawn += 1;
        var emphasis = before ? (matchingMention(rec.props, before) === null ? "new" : "old") : null;
        var restyle = rec.status !== mention.status || !rec.shown || emphasis !== rec.emphasis || rec.role !== role[0];
        rec.status = mention.status;
        rec.role = role[0];
        rec.rank = role[1];
        var layer = featureLayer(rec);
        if (restyle) {
          rec.emphasis = emphasis;
          applyStyle(rec);
        }
        if (!rec.shown) { layer.addTo(app.map); }
      } else if (rec.shown) {
        app.map.removeLayer(rec.layer);
      }
      var wantsLabel = show && rec.rank !== null && rec.rank !== undefined;
      if (rec.marker && (!wantsLabel || rec.markerKey !== app.lang + rec.rank)) {
        app.map.removeLayer(rec.marker);
        rec.marker = null;
      }
      if (wantsLabel && !rec.marker) { labelMarker(rec).addTo(app.map); }
      rec.shown = show;
    });
    return drawn;
  }

  // Without tiles: land and water (geo.geography.base), admin boundaries as lines, water and city names.
  function drawBase(state) {
    var wanted = state.basemap.tiles.length === 0;
    app.map.getContainer().style.background = wanted ? SEA : "";
    var key = wanted ? app.scale + "|" + app.lang + "|" + app.catUrl : "";
    if (key === app.baseKey) { return; }
    app.baseKey = key;
    (app.baseLayers || []).forEach(function (layer) { app.map.removeLayer(layer); });
    app.baseLayers = [];
    if (!wanted) { return; }
    var base = app.cat.base, pane = "pm-base";
    var add = function (layer) { app.baseLayers.push(layer.addTo(app.map)); };
    add(L.geoJSON(base[app.scale === "local" ? "land-local" : "land-region"],
      // no outline: the pieces (GSHHG, OSM, detail and outline extents) abut, and their seams would show as lines
      { pane: pane, interactive: false, style: { stroke: false, fillColor: LAND, fillOpacity: 1 } }));
    add(L.geoJSON(base.water, { pane: pane, interactive: false, style: { stroke: false, fillColor: SEA, fillOpacity: 1 } }));
    add(L.geoJSON(base.admin, {
      pane: pane, interactive: false,
      style: function (f) { return { color: "#8d8d8d", weight: f.properties.kind === "province" ? 1.4 : 0.9, dashArray: "5 3", opacity: 0.9 }; },
    }));
    base.labels.features.forEach(function (f) {
      if (f.properties.scale && f.properties.scale !== app.scale) { return; }
      var kind = f.properties.kind, rank = kind === "city" ? 1 : 3;
      var html = '<div class="pm-label pm-base-' + esc(kind) + '" data-minzoom="0" data-priority="' + ((10 - rank) * 1e8) + '">' +
        esc(f.properties[app.lang === "zh" ? "zh" : "en"]) + "</div>";
      add(L.marker([f.geometry.coordinates[1], f.geometry.coordinates[0]], {
        pane: "pm-labels", interactive: false, keyboard: false, icon: L.divIcon({ html: html, iconSize: [0, 0], className: "pm-label-icon" }),
      }));
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
            // _popup and _tip were escaped in Python (geo/upload/user_layers.py).
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

  // Geodesic length (m) of a path and area (m²) of the polygon it closes (the spherical excess formula
  // Leaflet.draw uses); metres, as planners measure, whatever the screen's projection.
  function pathLength(points) {
    var total = 0;
    for (var i = 1; i < points.length; i++) { total += app.map.distance(points[i - 1], points[i]); }
    return total;
  }

  function polygonArea(points) {
    var R = 6378137, rad = Math.PI / 180, sum = 0;
    for (var i = 0; i < points.length; i++) {
      var a = points[i], b = points[(i + 1) % points.length];
      sum += (b.lng - a.lng) * rad * (2 + Math.sin(a.lat * rad) + Math.sin(b.lat * rad));
    }
    return Math.abs(sum * R * R / 2);
  }

  function measureText(points, closed) {
    var km = pathLength(closed ? points.concat([points[0]]) : points) / 1000;
    var out = text("measure_length", { v: km < 10 ? km.toFixed(2) : km.toFixed(1) });
    if (closed && points.length >= 3) {
      var area = polygonArea(points) / 1e6;
      out += " · " + text("measure_area", { v: area < 10 ? area.toFixed(2) : area.toFixed(1) });
    }
    return out;
  }

  // Draw on the map: click corners, double-click (or click the first corner) to finish, Esc to cancel.
  // mode "stats" sends the area to Python; mode "measure" shows length and area as you go.
  function startDrawing(mode) {
    if (app.drawing) { return; }
    var points = [], line = L.polyline([], { color: "#d7263d", weight: 2, dashArray: "4 4", interactive: false }).addTo(app.map);
    var readout = L.tooltip({ permanent: true, direction: "right", className: "pm-measure" });
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
      if (mode === "measure") {
        if (done && points.length >= 2) {
          var closed = points.length >= 3 && app.map.latLngToContainerPoint(points[0]).distanceTo(
            app.map.latLngToContainerPoint(points[points.length - 1])) < 8;
          app.measured = L.polyline(closed ? points.concat([points[0]]) : points, { color: "#d7263d", weight: 2, interactive: false })
            .bindTooltip(measureText(closed ? points.slice(0, -1) : points, closed), { permanent: true, className: "pm-measure" })
            .addTo(app.map);
        }
        app.map.removeLayer(readout);
        return;
      }
      if (done && points.length >= 3) {
        var ring = points.map(function (p) { return [p.lng, p.lat]; });
        ring.push(ring[0]);
        app.drawnArea = L.polygon(points, { color: "#d7263d", weight: 2, fillOpacity: 0.05, interactive: false }).addTo(app.map);
        ask("stats", { scope: "drawn", area: { type: "Polygon", coordinates: [ring] } });
      }
    }
    function onClick(event) {
      if (points.length >= 3 && app.map.latLngToContainerPoint(points[0]).distanceTo(event.containerPoint) < 8) {
        points.push(points[0]);
        finish(true);
        return;
      }
      points.push(event.latlng);
      line.setLatLngs(points);
      if (mode === "measure") { readout.setLatLng(event.latlng).setContent(measureText(points, false)).addTo(app.map); }
    }
    function onDouble(event) { L.DomEvent.stop(event); finish(true); }
    function onKey(event) { if (event.key === "Escape") { finish(false); } }
    if (app.drawnArea) { app.map.removeLayer(app.drawnArea); app.drawnArea = null; }
    if (app.measured) { app.map.removeLayer(app.measured); app.measured = null; }
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
    var html = '<button type="button" class="pm-ask-measure" title="' + esc(text("measure")) + '">' + RULER_ICON + "</button>" +
      '<button type="button" class="pm-ask-view" title="' + esc(text("stats_view")) + '">Σ</button>' +
      '<button type="button" class="pm-ask-draw" title="' + esc(text("stats_draw")) + '">✎</button>' +
      '<button type="button" class="pm-ask-print" title="' + esc(text("print_view")) + '">' + PRINTER_ICON + "</button>";
    replaceControl("ask", htmlControl("topleft", "leaflet-bar pm-ask-control", html));
    var root = app.controls.ask.getContainer();
    root.querySelector(".pm-ask-view").addEventListener("click", function () {
      ask("stats", { scope: "view", area: boundsPolygon(viewBounds()) });
    });
    root.querySelector(".pm-ask-draw").addEventListener("click", function () { startDrawing("stats"); });
    root.querySelector(".pm-ask-measure").addEventListener("click", function () { startDrawing("measure"); });
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
    if (part.getRadius || (part.getLatLng && !part.getLatLngs)) { // circles (uploads) and markers
      var radius = part.getRadius ? part.getRadius() : part.pmRadius || 5;
      return map.latLngToLayerPoint(part.getLatLng()).distanceTo(point) <= radius + HIT_PX;
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
    var b = layer.getBounds ? layer.getBounds() : layer.getLatLng ? L.latLngBounds([layer.getLatLng()]) : null;
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
    var popup = L.popup(popupOptions()).setLatLng(latlng).setContent(html).openOn(app.map);
    popup.getElement().querySelectorAll("a[data-index]").forEach(function (link) {
      L.DomEvent.on(link, "click", function (event) {
        L.DomEvent.preventDefault(event);
        openHit(hits[+link.getAttribute("data-index")], latlng);
      });
    });
  }

  function openHit(hit, latlng) {
    if (!hit.rec) { // overlays: their card was escaped in Python
      L.popup(popupOptions()).setLatLng(latlng).setContent(hit.part.feature.properties._popup).openOn(app.map);
      return;
    }
    var cat = app.cat;
    if (cat.cardsReady) {
      L.popup(popupOptions()).setLatLng(latlng).setContent(popupHtml(hit.rec.props)).openOn(app.map);
      return;
    }
    var wait = function (key) {
      return '<div class="pm-card-wait"><h4>' + esc(featureName(hit.rec.props)) + "</h4>" + esc(text(key)) + "</div>";
    };
    var popup = L.popup(popupOptions()).setLatLng(latlng).setContent(wait("card_loading")).openOn(app.map);
    withCards(cat).then(
      function () { if (app.map.hasLayer(popup)) { popup.setContent(popupHtml(hit.rec.props)); } },
      function (error) {
        if (app.map.hasLayer(popup)) { popup.setContent(wait("card_failed")); }
        if (window.console) { console.error(error); }
      }
    );
  }

  // What only a card shows (quotes, passages, wording of status and existence, the geometry's basis) is in a
  // file of its own (geo/web/catalogue_file.py), fetched when the first card opens and joined into the
  // features' properties; a saved page carries it inline.
  function withCards(cat) {
    if (!cat.cardsJoined) {
      var cards = typeof cat.cards === "string"
        ? fetchJson(new URL(cat.cards, new URL(app.catUrl, window.location.href)).href)
        : Promise.resolve(cat.cards || {});
      cat.cardsJoined = cards.then(function (byId) {
        cat.features.forEach(function (f) {
          var props = f.properties, card = byId[props.id] || {}, mentions = props.mentions;
          (card.mentions || []).forEach(function (text, i) { Object.assign(mentions[i], text); });
          Object.assign(props, card, { mentions: mentions });
        });
        cat.cardsReady = true;
      });
      cat.cardsJoined.catch(function () { cat.cardsJoined = null; }); // the next card asks again
    }
    return cat.cardsJoined;
  }

  // A card taller than the map scrolls inside itself rather than running off the map's foot.
  function popupOptions() {
    return { maxWidth: 440, maxHeight: Math.max(160, app.map.getSize().y - 90) };
  }

  // ---- legend: one entry per symbol drawn, grouped (结构 / 产业 / 交通 / 生态 / 基础地理 / 状态) -------------
  function swatch(style, family) {
    var color = esc(style.color), shape;
    var dash = style.dashArray ? ' stroke-dasharray="' + esc(style.dashArray) + '"' : "";
    if (family === "polygon") {
      shape = '<rect x="2" y="1" width="30" height="12" fill="' + esc(style.fillColor) + '" fill-opacity="' + style.fillOpacity +
        '" stroke="' + color + '" stroke-width="' + Math.min(Math.max(style.weight, 1), 3) + '"' + dash + "/>";
    } else if (family === "line") {
      shape = '<line x1="1" y1="7" x2="33" y2="7" stroke="' + color + '" stroke-opacity="' + style.opacity + '" stroke-width="' +
        Math.min(style.weight, 10) + '"' + dash + "/>";
    } else {
      return '<span class="pm-swatch-marker">' + markerSvg(Object.assign({}, style, { radius: Math.min(style.radius, 6) })) + "</span>";
    }
    return '<svg width="34" height="14">' + shape + "</svg>";
  }

  function geometryKind(type) {
    return type.indexOf("Polygon") >= 0 ? "polygon" : type.indexOf("LineString") >= 0 ? "line" : "point";
  }

  function legendRow(swatchHtml, label, status) {
    var data = status ? ' data-status="' + esc(status) + '"' : "";
    return '<div class="pm-legend-row"' + data + ">" + swatchHtml + "<span>" + esc(label) + "</span></div>";
  }

  function legendHtml(state) {
    var symbols = app.cat.symbols, order = [], entries = {}, statuses = {};
    var listing = (app.cat.map_themes.list.filter(function (t) { return t.id === app.theme; })[0] || { order: {} }).order[app.scale] || [];
    app.records.forEach(function (rec) {
      var cls = symbols.classes[rec.symbol] || UNCLASSED;
      if (!rec.shown || cls.label_only) { return; }
      var family = geometryKind(rec.geometry.type);
      // As print's Symbol.key: context is one grey, so its entries differ only by geometry, marker and width,
      // and (as print's legend_model) such an entry names every class it holds: "重大平台与创新平台（背景）".
      var look = family === "point" ? cls.marker : symbolStyle(rec, true).weight;
      var context = rec.role === "c";
      var key = context ? "context|" + family + "|" + look : rec.symbol + "|" + family;
      if (!entries[key]) {
        var position = listing.indexOf(rec.symbol) >= 0 ? listing.indexOf(rec.symbol) : listing.indexOf(rec.props.layer);
        entries[key] = {
          group: cls.group,
          names: [],
          context: context,
          style: symbolStyle(rec, true),
          family: family,
          position: position < 0 ? 999 : position,
        };
        order.push(key);
      }
      var name = cls[app.lang === "zh" ? "zh" : "en"];
      if (entries[key].names.indexOf(name) < 0) { entries[key].names.push(name); }
      if (cls.status) { statuses[rec.status] = true; } // context too: it is drawn with its status's pattern (as print)
    });
    // As print's legend_model: entries subject before context, then in the theme's order; groups in the order of
    // their first entry (the theme's own group first), the base and the statuses last.
    function byRank(a, b) { return (a.context - b.context) || (a.position - b.position); }
    var keysOf = {}, firstOf = {};
    symbols.groups.forEach(function (group) {
      keysOf[group.id] = order.filter(function (key) { return entries[key].group === group.id; })
        .sort(function (a, b) { return byRank(entries[a], entries[b]); });
      var closing = group.id === "base" || group.id === "status";
      firstOf[group.id] = closing || !keysOf[group.id].length ? { context: 2, position: closing ? 1 : 0 } : entries[keysOf[group.id][0]];
    });
    var groups = symbols.groups.slice().sort(function (a, b) {
      return byRank(firstOf[a.id], firstOf[b.id]) || (symbols.groups.indexOf(a) - symbols.groups.indexOf(b));
    });
    var rows = [];
    groups.forEach(function (group) {
      var groupRows = keysOf[group.id].map(function (key) {
        var entry = entries[key], names = entry.names.join(app.lang === "zh" ? "、" : ", ");
        return legendRow(swatch(entry.style, entry.family), entry.context ? names + text("legend_context") : names);
      });
      if (group.id === "status") {
        groupRows = app.cat.statuses.filter(function (s) { return statuses[s.id]; }).map(function (s) {
          var pattern = symbols.statuses[s.id];
          var line = swatch({ color: "#333", opacity: 1, weight: 2.5, dashArray: pattern.dash }, "line");
          var point = markerSvg({ color: "#333", opacity: 1, radius: 5, marker: "circle", markerFill: pattern.marker_fill });
          var area = pattern.hatch ? swatch({ color: "#333", fillColor: hatchFill(pattern.hatch, "#333", null, 0), fillOpacity: 1,
            weight: 1, opacity: 1, dashArray: pattern.dash }, "polygon") : "";
          return legendRow(line + '<span class="pm-swatch-marker">' + point + "</span>" + area, term(app.cat.statusById, s.id), s.id);
        });
      }
      if (group.id === "base") {
        state.overlays.forEach(function (overlay) {
          var style = { color: overlay.style.color, fillColor: overlay.style.fillColor, fillOpacity: overlay.style.fillOpacity,
            weight: overlay.style.weight, opacity: 1, radius: 5, marker: "circle", markerFill: "full" };
          overlay.kinds.forEach(function (family) { groupRows.push(legendRow(swatch(style, family), text("user_layer") + "：" + overlay.name)); });
        });
      }
      if (groupRows.length) {
        rows.push('<div class="pm-legend-group">' + esc(group[app.lang === "zh" ? "zh" : "en"]) + "</div>");
        rows = rows.concat(groupRows);
      }
    });
    var narrow = window.innerWidth < 700;
    return '<details class="pm-legend"' + (narrow ? "" : " open") + '><summary class="pm-legend-title">' + esc(text("legend")) +
      "</summary>" + rows.join("") + '<div class="pm-legend-note">' + esc(text("legend_note")) + "</div></details>";
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
    ["zoom", "fullscreen", "position", "minimap", "title", "north", "source"].forEach(function (name) { replaceControl(name, null); });
    app.askKey = null; // the map's own tools follow the zoom buttons
    if (state.present) { return; }
    replaceControl("zoom", L.control.zoom({ position: "topleft", zoomInTitle: text("zoom_in"), zoomOutTitle: text("zoom_out") }));
    replaceControl("fullscreen", L.control.fullscreen({ position: "topleft", title: text("fullscreen"), titleCancel: text("fullscreen_exit") }));
    replaceControl("position", L.control.mousePosition({
      position: "bottomleft", separator: " , ", numDigits: 5, prefix: text("lonlat"), lngFirst: true, emptyString: text("lonlat_none"),
    }));
    var base = state.basemap.tiles.filter(function (spec) { return !spec.overlay; })[0];
    if (base) {
      var tiles = L.tileLayer(base.url, { attribution: base.attribution, subdomains: base.subdomains });
      replaceControl("minimap", new L.Control.MiniMap(tiles, {
        position: "bottomleft", toggleDisplay: true, zoomLevelOffset: -5,
        strings: { hideText: text("minimap_hide"), showText: text("minimap_show") },
      }));
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

  // Two maps side by side (a comparison) follow each other: a move here moves the other frames' maps.
  var following = false;
  window.planMapFollow = function (center, zoom) {
    if (!app || following) { return; }
    following = true;
    app.map.setView(center, zoom, { animate: false });
    following = false;
  };

  function leadOthers() {
    if (following) { return; }
    var frames = [];
    try { frames = Array.prototype.slice.call(window.parent.frames); } catch (e) { return; }
    frames.forEach(function (frame) {
      try {
        if (frame !== window && frame.planMapFollow) { frame.planMapFollow(app.map.getCenter(), app.map.getZoom()); }
      } catch (e) { /* another origin */ }
    });
  }

  function drawSideLabel(state) {
    if (!state.side_label) { replaceControl("side", null); return; }
    if (app.sideLabel === state.side_label && app.controls.side) { return; }
    app.sideLabel = state.side_label;
    replaceControl("side", htmlControl("topright", "pm-side-label", esc(state.side_label)));
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
    app.pendingFocus = asked ? view.focus : null; // opened once the features are drawn
  }

  // ---- render ---------------------------------------------------------------------------------------
  // ?embed=1 (or Streamlit's own embed=true): the map alone, filling the page, for a portal's iframe.
  // Streamlit keeps "embed" out of Python's reach (st.query_params), so the map does it from the page.
  var EMBED_CSS = '[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], header, [data-testid="stToolbar"]' +
    " {display: none !important;} iframe[title*=\"plan_map\"] {position: fixed; inset: 0; width: 100vw !important;" +
    " height: 100vh !important; z-index: 999990;} html, body {overflow: hidden;}";

  function embedIfAsked() {
    var top = topWindow();
    if (top === window) { return; }
    var embed = (new URLSearchParams(top.location.search).get("embed") || "").toLowerCase();
    if ((embed === "1" || embed === "true") && !top.document.getElementById("pm-embed-style")) {
      var style = top.document.createElement("style");
      style.id = "pm-embed-style";
      style.textContent = EMBED_CSS;
      top.document.head.appendChild(style);
    }
  }

  function createApp(state) {
    embedIfAsked();
    var map = L.map("map", { zoomControl: false, attributionControl: true }); // zoom buttons in the reader's language: drawTools
    map.attributionControl.setPrefix('<a href="https://leafletjs.com">Leaflet</a>');
    map.createPane("pm-base").style.zIndex = 250;
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
    map.on("moveend", leadOthers);
    map.on("zoomend", function () {
      // Crossing the local/region threshold changes what a theme shows and how: draw again.
      if (app.rendering) { return; }
      if (app.state && scale() !== app.scale) { app.scale = scale(); redraw(); } else { placeLabels(); }
    });
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
    if (!app) { fetchJson(state.catalogue).catch(function () { /* reported by useCatalogue */ }); } // meanwhile
    var ready = app ? Promise.resolve() : loadAssets(state.assets).then(function () { createApp(state); });
    return ready
      .then(function () { return useCatalogue(state); })
      .then(function () { return drawOverlays(state); })
      .then(function () {
        if (state !== latest) { return; }
        app.lang = state.lang;
        app.state = state;
        app.theme = state.theme;
        document.documentElement.lang = state.lang === "zh" ? "zh" : "en";
        if (!app.panel) { initPanel(state.display); }
        applyPanel();
        drawBasemap(state);
        app.rendering = true; // a view set here fires zoomend at once: this render draws at that scale itself
        applyView(state); // first: the scale of view, the mini map and the focus need a view
        app.rendering = false;
        app.scale = scale();
        var drawn = drawFeatures(state);
        drawBase(state);
        if (app.pendingFocus) { openFocus(app.pendingFocus); app.pendingFocus = null; }
        drawLegend(state);
        drawTools(state);
        drawAskTools(state);
        document.body.dataset.drawn = String(drawn);
        drawSideLabel(state);
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
    drawBase(app.state);
    drawLegend(app.state);
    drawPanel(app.state);
    drawTimeline();
    placeLabels();
  }
})();
