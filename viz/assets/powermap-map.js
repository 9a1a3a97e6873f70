/* powermap war-room map: draws the network from the map's data with vis-network.

   User text (names, titles, notes) is data: it is read with JSON.parse, drawn as canvas labels, and
   put in tooltips only through textContent. This script never assigns innerHTML.

   window.PowermapMap.create(container, data) draws one map and returns its handle (network, nodes,
   edges, highlightPath, clearHighlight, setFilters, ...). The offline file calls it on the JSON in
   <script id="powermap-data">; the web app calls it on data fetched from the server.

   A small map is laid out by a seeded force layout and frozen once stable; a big one arrives with
   positions and physics off. <body> then carries data-frozen-by (what stopped it) and, once that
   layout is drawn, data-stabilized="1". data-ready="1" is set once the map is built; data-nodes and
   data-edges give the counts in the network. */
(function () {
  "use strict";
  var body = document.body;
  var FADED = "rgba(200,200,200,0.35)";
  var FADED_TEXT = "rgba(120,120,120,0.45)";
  var PATH = "#ffb300";

  // A tooltip is plain text: its first line is the heading, each further line a row.
  function tooltipElement(text) {
    var box = document.createElement("div");
    box.className = "pm-tip";
    String(text).split("\n").forEach(function (line, index) {
      var row = document.createElement("div");
      row.className = index === 0 ? "pm-tip-head" : "pm-tip-row";
      row.textContent = line;
      box.appendChild(row);
    });
    return box;
  }
  // A named moment in the page's performance timeline (the bench reads them; absent API: nothing). Only
  // the last of each name is kept: a page open all day, drawn at every pan, must not pile them up.
  function mark(name) {
    if (window.performance && performance.mark && performance.clearMarks) {
      performance.clearMarks(name);
      performance.mark(name);
    }
  }
  // Node fields vis-network never draws: kept in the page's data only (hover cards read them there).
  var UNDRAWN = { title: true, power: true };
  function clone(value) {
    return value === undefined ? undefined : JSON.parse(JSON.stringify(value));
  }

  // ``settings.held``: the caller draws more beside the map (the web app's panels) and calls
  // ``handle.release()`` when done, so the first drawing is made once, with the page as it will be.
  function create(container, data, settings) {
    var originalNodes = {};
    var originalEdges = {};
    var dimmed = false;
    // Remember an item's own look, to restore it after a spotlight. Its hover card stays plain text
    // (vis-network sets a string with innerText); the card's element is built when it is shown.
    function takeNode(node) {
      originalNodes[node.id] = { color: clone(node.color), font: clone(node.font), borderWidth: node.borderWidth };
      return node;
    }
    function takeEdge(edge) {
      originalEdges[edge.id] = { color: clone(edge.color), width: edge.width, hidden: edge.hidden === true };
      return edge;
    }
    data.nodes.forEach(takeNode);
    data.edges.forEach(takeEdge);

    var nodes = new vis.DataSet(data.nodes);
    var edges = new vis.DataSet(data.edges);
    var positioned = !!(data.options.physics && data.options.physics.enabled === false);
    var network = new vis.Network(container, {}, data.options);
    var emitter = network.body.emitter;
    // vis-network draws the whole canvas at once on every DataSet call when physics is off (a tenth
    // of a second or more on a big map). ``batch`` holds drawing while a change is handed over in
    // several calls, then asks for one drawing in the next frame. (vis-network's own stabilisation
    // holds drawing the same way, with the same two events.)
    var held = 0;
    function hold() {
      held += 1;
      if (held === 1) { emitter.emit("_blockRedraw"); }
    }
    function release() {
      if (held === 0) { return; }
      held -= 1;
      if (held === 0) {
        emitter.emit("_allowRedraw");
        emitter.emit("_requestRedraw");
      }
    }
    function batch(change) {
      hold();
      try { return change(); } finally { release(); }
    }
    // A big map (positions given, physics off) is drawn once, after everything was handed over.
    if (positioned) { hold(); }
    network.setData({ nodes: nodes, edges: edges });
    mark("pm:network");
    network.on("afterDrawing", function () { mark("pm:drawn"); });
    // The nodes of the page's data by id (the newest data: a patch leaves the hover card's text out of
    // vis-network's copy of a node, see ``patch``), made when a card is first shown after a change.
    var latest = null;
    function latestNode(id) {
      if (latest === null) {
        latest = {};
        handle.data.nodes.forEach(function (node) { latest[node.id] = node; });
      }
      return latest[id] || null;
    }
    // The hover card: the item's text, one row a line, the first the heading (set as text, never markup).
    network.on("showPopup", function (id) {
      var item = latestNode(id) || edges.get(id);
      var frame = container.getElementsByClassName("vis-tooltip")[0];
      if (!item || typeof item.title !== "string" || !frame) { return; }
      while (frame.firstChild) { frame.removeChild(frame.firstChild); }
      frame.appendChild(tooltipElement(item.title));
    });
    body.setAttribute("data-nodes", String(nodes.length));
    body.setAttribute("data-edges", String(edges.length));

    // The camera. Something may lie over the canvas's left side, ``covered`` pixels wide (the web app's
    // person form): what the camera shows is then centred in the room right of it. The canvas keeps its
    // size (resizing a big map's canvas and fitting it again took longer than drawing it).
    var covered = 0;
    var FRAME_MARGIN = 40;  // canvas units a node's dot and label reach past its centre
    function setCovered(pixels) { covered = Math.max(0, pixels || 0); }
    // ``nodes`` (vis ids) in view, as vis-network's ``fit`` would show them in the room left; without
    // ``nodes``, the whole map, from the nodes' centres (vis-network's ``fit`` measures every label first:
    // a tenth of a second on a big map, too slow for the moment a form closes after a save).
    function frame(ids, animation) {
      var canvas = network.canvas.frame.canvas;
      var room = Math.max(canvas.clientWidth - covered, 1);
      var target;
      if (ids) {
        var was = { position: network.getViewPosition(), scale: network.getScale() };
        network.fit({ nodes: ids, animation: false });
        var scale = network.getScale() * room / Math.max(canvas.clientWidth, 1);
        target = { position: network.getViewPosition(), scale: scale };
        network.moveTo({ position: was.position, scale: was.scale, animation: false });
      } else {
        var spots = network.getPositions();
        var minX = Infinity, maxX = -Infinity, minY = Infinity, maxY = -Infinity;
        Object.keys(spots).forEach(function (id) {
          var spot = spots[id];
          minX = Math.min(minX, spot.x); maxX = Math.max(maxX, spot.x);
          minY = Math.min(minY, spot.y); maxY = Math.max(maxY, spot.y);
        });
        if (!isFinite(minX)) { return; }
        // vis-network's fit: the span and a tenth more, never closer than 1:1.
        target = {
          position: { x: (minX + maxX) / 2, y: (minY + maxY) / 2 },
          scale: Math.min(1, room / ((maxX - minX + 2 * FRAME_MARGIN) * 1.1),
            canvas.clientHeight / ((maxY - minY + 2 * FRAME_MARGIN) * 1.1))
        };
      }
      focusOn(target.position, target.scale, animation);
    }
    // ``position`` (canvas units) in the middle of the room, at ``scale``.
    function focusOn(position, scale, animation) {
      if (!(scale > 0)) { return; }
      network.moveTo({ position: { x: position.x - covered / 2 / scale, y: position.y }, scale: scale,
        animation: animation || false });
    }

    // Freeze the layout once stabilised (or after a while, whatever happens first).
    var frozen = false;
    function freeze(reason) {
      if (frozen) {
        return;
      }
      frozen = true;
      network.setOptions({ physics: { enabled: false } });
      network.fit({ animation: false });
      body.setAttribute("data-frozen-by", reason);
      // Announce it once the frozen layout has been drawn (hit-testing uses the drawn shapes). A map
      // that came with its positions is about to be drawn for the first time: no second drawing.
      network.once("afterDrawing", function () { body.setAttribute("data-stabilized", "1"); });
      if (reason !== "positions") { network.redraw(); }
    }
    if (positioned) {
      freeze("positions");
      if (!(settings && settings.held)) { release(); }
    } else {
      network.once("stabilizationIterationsDone", function () { freeze("stabilization"); });
      network.once("stabilized", function () { freeze("stabilized"); });
      if (nodes.length === 0) {
        freeze("empty");
      }
      window.setTimeout(function () { freeze("timeout"); }, 8000);
    }

    // A person added to a frozen map (the web app's "Add stakeholder") comes without a place, and
    // vis-network would drop them onto whoever is near the middle: put them in the free spot nearest
    // the middle of the view instead (rings outward, clear of every other node by SPACING).
    var SPACING = 90;
    function freeSpot(centre, self) {
      var positions = network.getPositions();
      var ids = Object.keys(positions).filter(function (id) { return id !== self; });
      function clear(x, y) {
        return ids.every(function (id) {
          var p = positions[id], dx = p.x - x, dy = p.y - y;
          return dx * dx + dy * dy >= SPACING * SPACING;
        });
      }
      for (var ring = 0; ring < 60; ring += 1) {
        var tries = ring === 0 ? 1 : 8 * ring;
        for (var k = 0; k < tries; k += 1) {
          var angle = (2 * Math.PI * k) / tries;
          var x = centre.x + ring * SPACING * Math.cos(angle), y = centre.y + ring * SPACING * Math.sin(angle);
          if (clear(x, y)) { return { x: Math.round(x), y: Math.round(y) }; }
        }
      }
      return centre;
    }
    nodes.on("add", function (event, properties) {
      if (!frozen) { return; }
      var placed = [];
      properties.items.forEach(function (id) {
        var node = nodes.get(id);
        if (node && (node.x === undefined || node.x === null)) {
          var spot = freeSpot(network.getViewPosition(), id);
          placed.push({ id: id, x: spot.x, y: spot.y });
        }
      });
      if (placed.length > 0) { nodes.update(placed); }
    });

    function fadedNode(id) {
      return { id: id, color: { background: FADED, border: FADED }, font: { color: FADED_TEXT, strokeWidth: 0 } };
    }
    function fadedEdge(id) {
      return { id: id, color: { color: FADED, highlight: FADED, hover: FADED, inherit: false, opacity: 1 } };
    }
    // A spotlit line in full colour (a big map draws its lines translucent until then).
    function opaque(colour) {
      var copy = clone(colour);
      if (copy && typeof copy === "object") { copy.opacity = 1; }
      return copy;
    }
    function restoreAll() {
      dimmed = false;
      nodes.update(nodes.getIds().map(function (id) {
        var o = originalNodes[id];
        return { id: id, color: clone(o.color), font: clone(o.font), borderWidth: o.borderWidth };
      }));
      edges.update(edges.getIds().map(function (id) {
        var o = originalEdges[id];
        return { id: id, color: clone(o.color), width: o.width, hidden: o.hidden };
      }));
    }
    // Click a node: it and its neighbours stay, the rest fades. Click the background: all back.
    function spotlight(id) {
      dimmed = true;
      var keep = {};
      keep[id] = true;
      network.getConnectedNodes(id).forEach(function (other) { keep[other] = true; });
      var keepEdges = {};
      network.getConnectedEdges(id).forEach(function (edgeId) { keepEdges[edgeId] = true; });
      nodes.update(nodes.getIds().map(function (nodeId) {
        if (keep[nodeId]) {
          return { id: nodeId, color: clone(originalNodes[nodeId].color), font: clone(originalNodes[nodeId].font) };
        }
        return fadedNode(nodeId);
      }));
      edges.update(edges.getIds().map(function (edgeId) {
        return keepEdges[edgeId]
          ? { id: edgeId, color: opaque(originalEdges[edgeId].color), hidden: false }
          : fadedEdge(edgeId);
      }));
    }
    // An introduction path (vis node ids, member first): its nodes ringed amber, one line per step
    // amber and thick, the rest faded. Returns how many steps had a line to mark.
    function highlightPath(ids) {
      dimmed = true;
      var onPath = {};
      ids.forEach(function (id) { onPath[id] = true; });
      var steps = {};
      for (var i = 0; i + 1 < ids.length; i += 1) {
        steps[ids[i] + "\u0000" + ids[i + 1]] = true;
        steps[ids[i + 1] + "\u0000" + ids[i]] = true;
      }
      var marked = 0;
      nodes.update(nodes.getIds().map(function (id) {
        if (!onPath[id]) {
          return fadedNode(id);
        }
        var colour = clone(originalNodes[id].color);
        colour.border = PATH;
        return { id: id, color: colour, font: clone(originalNodes[id].font), borderWidth: 6 };
      }));
      var seen = {};
      edges.update(edges.get().map(function (edge) {
        var key = edge.from + "\u0000" + edge.to;
        if (steps[key] && !seen[key] && edge.kind !== "competitor_relationship") {
          seen[key] = true;
          seen[edge.to + "\u0000" + edge.from] = true;
          marked += 1;
          return { id: edge.id, color: { color: PATH, highlight: PATH, hover: PATH, inherit: false, opacity: 1 },
                   width: 8, hidden: false };
        }
        return fadedEdge(edge.id);
      }));
      var visible = ids.filter(function (id) { return nodes.get(id); });
      if (visible.length > 0) {
        frame(visible, { duration: 300 });
      }
      return marked;
    }

    // Filters: a node is shown when it passes every one. Department and decision role apply to
    // stakeholders only; side picks the kind of node or the stakeholder's stance toward us.
    var SIDES = {
      all: function () { return true; },
      stakeholders: function (n) { return n.kind === "stakeholder"; },
      team: function (n) { return n.kind === "member"; },
      competitors: function (n) { return n.kind === "competitor"; },
      "with-us": function (n) { return n.stance === "champion" || n.stance === "supporter"; },
      "against-us": function (n) { return n.stance === "skeptic" || n.stance === "opponent"; },
      "competitor-ahead": function (n) { return n.dominated === true; }
    };
    // Nodes the filters hide now; only nodes whose visibility changes are handed to vis-network.
    var filteredOut = {};
    function setFilters(filters) {
      var side = SIDES[filters.side || "all"] || SIDES.all;
      var shown = 0;
      var changes = [];
      nodes.forEach(function (n) {
        var person = n.kind === "stakeholder";
        var ok = side(n) &&
          (!filters.department || !person || n.department === filters.department) &&
          (!filters.role || !person || n.role === filters.role);
        if (ok) { shown += 1; }
        if (ok === !!filteredOut[n.id]) { changes.push({ id: n.id, hidden: !ok }); }
        if (ok) { delete filteredOut[n.id]; } else { filteredOut[n.id] = true; }
      });
      if (changes.length > 0) { nodes.update(changes); }
      body.setAttribute("data-shown", String(shown));
      return shown;
    }

    // Each of these hands vis-network several changes: drawn once, in the next frame.
    function batched(change) {
      return function () {
        var args = arguments;
        return batch(function () { return change.apply(null, args); });
      };
    }
    restoreAll = batched(restoreAll);
    spotlight = batched(spotlight);
    highlightPath = batched(highlightPath);
    setFilters = batched(setFilters);
    patch = batched(patch);

    network.on("click", function (params) {
      if (params.nodes.length > 0) {
        spotlight(params.nodes[0]);
      } else {
        restoreAll();
      }
    });

    // A newer version of the same map, as a change (the web app's data route with ?since=): only the
    // nodes and lines it names are handed to vis-network, people keep their places (a new person
    // without a position is placed by vis-network), so an edit redraws quickly. ``next`` is the
    // whole new data (the page's copy with the change applied).
    function patch(delta, next) {
      var goneNodes = delta.nodes.drop.filter(function (id) { return nodes.get(id) !== null; });
      var goneEdges = delta.edges.drop.filter(function (id) { return edges.get(id) !== null; });
      goneNodes.forEach(function (id) { delete originalNodes[id]; delete filteredOut[id]; });
      goneEdges.forEach(function (id) { delete originalEdges[id]; });
      var changedNodes = delta.nodes.put.map(function (node) {
        // vis-network merges an update into the node: a ring the node no longer has must be undone.
        if (!("shapeProperties" in node)) { node.shapeProperties = { borderDashes: false }; }
        return takeNode(node);
      });
      // A patched node keeps its fields; only the values named change (its look too, if named). Those
      // vis-network does not draw (the hover card's text, the power number) stay in the page's data:
      // an edit of one person's influence moves everyone's power and card, and handing vis-network a
      // thousand nodes costs it a tenth of a second; the nodes whose dot or place changed are far fewer.
      var patchedNodes = [];
      (delta.nodes.patch || []).forEach(function (node) {
        var own = originalNodes[node.id];
        if (!own) { return; }
        if ("color" in node) { own.color = clone(node.color); }
        if ("font" in node) { own.font = clone(node.font); }
        if ("borderWidth" in node) { own.borderWidth = node.borderWidth; }
        var drawn = null;
        Object.keys(node).forEach(function (key) {
          if (key !== "id" && !UNDRAWN[key]) { (drawn = drawn || { id: node.id })[key] = node[key]; }
        });
        if (drawn !== null) { patchedNodes.push(drawn); }
      });
      var changedEdges = delta.edges.put.map(takeEdge);
      if (goneEdges.length > 0) { edges.remove(goneEdges); }
      if (goneNodes.length > 0) { nodes.remove(goneNodes); }
      if (changedNodes.length + patchedNodes.length > 0) { nodes.update(changedNodes.concat(patchedNodes)); }
      // A line whose shape changed is replaced whole (vis-network merges updates field by field).
      if (changedEdges.length > 0) {
        edges.remove(changedEdges.map(function (edge) { return edge.id; }).filter(function (id) {
          return edges.get(id) !== null;
        }));
        edges.add(changedEdges);
      }
      handle.data = next;
      latest = null;
      if (dimmed) { restoreAll(); }
      body.setAttribute("data-nodes", String(nodes.length));
      body.setAttribute("data-edges", String(edges.length));
      body.setAttribute("data-replaced", changedNodes.length + patchedNodes.length + goneNodes.length + "/" +
        (changedEdges.length + goneEdges.length));
    }
    // A newer version of the same map, whole: every item is handed over again (people keep their places).
    function replace(next) {
      var keepNodes = {}, keepEdges = {};
      next.nodes.forEach(function (node) { keepNodes[node.id] = true; });
      next.edges.forEach(function (edge) { keepEdges[edge.id] = true; });
      patch({
        nodes: { put: next.nodes, drop: nodes.getIds().filter(function (id) { return !keepNodes[id]; }) },
        edges: { put: next.edges, drop: edges.getIds().filter(function (id) { return !keepEdges[id]; }) }
      }, next);
    }

    var handle = {
      network: network,
      nodes: nodes,
      edges: edges,
      data: data,
      replace: replace,
      patch: patch,
      spotlight: spotlight,
      restoreAll: restoreAll,
      highlightPath: highlightPath,
      setFilters: setFilters,
      setCovered: setCovered,
      frame: frame,
      focusOn: focusOn,
      batch: batch,
      hold: hold,
      release: release,
      destroy: function () { network.destroy(); }
    };
    return handle;
  }

  // Search by name or title: matches are selected; Enter zooms to the first and spotlights it.
  function bindSearch(getMap, search, searchStatus) {
    function matches() {
      var query = search.value.trim().toLowerCase();
      if (!query) {
        return [];
      }
      return getMap().nodes.getIds({
        filter: function (node) {
          return (String(node.name) + " " + String(node.subtitle || "")).toLowerCase().indexOf(query) >= 0;
        }
      });
    }
    search.addEventListener("input", function () {
      var map = getMap();
      var found = matches();
      map.restoreAll();
      map.network.selectNodes(found, false);
      searchStatus.textContent = search.value.trim()
        ? found.length + (found.length === 1 ? " match" : " matches")
        : "";
    });
    search.addEventListener("keydown", function (event) {
      var map = getMap();
      if (event.key === "Enter") {
        var found = matches();
        if (found.length > 0) {
          map.network.selectNodes([found[0]], false);
          map.spotlight(found[0]);
          map.focusOn(map.network.getPosition(found[0]), 1.3, { duration: 400 });
        }
      } else if (event.key === "Escape") {
        search.value = "";
        searchStatus.textContent = "";
        map.network.unselectAll();
        map.restoreAll();
        map.frame(null, { duration: 400 });
      }
    });
  }

  window.PowermapMap = { create: create, bindSearch: bindSearch, tooltipElement: tooltipElement, mark: mark };

  var dataElement = document.getElementById("powermap-data");
  if (dataElement) {
    var data = JSON.parse(dataElement.textContent);
    var map = create(document.getElementById("pm-network"), data);
    window.powermap = map;
    var search = document.getElementById("pm-search");
    var searchStatus = document.getElementById("pm-search-status");
    if (search && searchStatus) {
      bindSearch(function () { return window.powermap; }, search, searchStatus);
    }
    body.setAttribute("data-ready", "1");
  }
})();
