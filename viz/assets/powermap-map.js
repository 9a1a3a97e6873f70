/* powermap war-room map: draws the network from the page's JSON data with vis-network.

   User text (names, titles, notes) is data: it is read with JSON.parse, drawn as canvas labels, and
   put in tooltips only through textContent. This script never assigns innerHTML.

   When the layout has stabilised, physics is switched off so the map stops moving on the projector;
   <body> then carries data-frozen-by (what stopped it) and, once that layout is drawn,
   data-stabilized="1". data-ready="1" is set once this script ran to the end; data-nodes and
   data-edges give the counts in the network. */
(function () {
  "use strict";
  var body = document.body;
  var FADED = "rgba(200,200,200,0.35)";
  var FADED_TEXT = "rgba(120,120,120,0.45)";

  var data = JSON.parse(document.getElementById("powermap-data").textContent);

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
  function clone(value) {
    return value === undefined ? undefined : JSON.parse(JSON.stringify(value));
  }

  var originalNodes = {};
  var originalEdges = {};
  data.nodes.forEach(function (node) {
    originalNodes[node.id] = { color: clone(node.color), font: clone(node.font) };
    if (typeof node.title === "string") {
      node.title = tooltipElement(node.title);
    }
  });
  data.edges.forEach(function (edge) {
    originalEdges[edge.id] = { color: clone(edge.color) };
    if (typeof edge.title === "string") {
      edge.title = tooltipElement(edge.title);
    }
  });

  var nodes = new vis.DataSet(data.nodes);
  var edges = new vis.DataSet(data.edges);
  var container = document.getElementById("pm-network");
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, data.options);
  window.powermap = { network: network, nodes: nodes, edges: edges };
  body.setAttribute("data-nodes", String(nodes.length));
  body.setAttribute("data-edges", String(edges.length));

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
    // Announce it once the frozen layout has been drawn (hit-testing uses the drawn shapes).
    network.once("afterDrawing", function () { body.setAttribute("data-stabilized", "1"); });
    network.redraw();
  }
  network.once("stabilizationIterationsDone", function () { freeze("stabilization"); });
  network.once("stabilized", function () { freeze("stabilized"); });
  if (nodes.length === 0) {
    freeze("empty");
  }
  window.setTimeout(function () { freeze("timeout"); }, 8000);

  // Click a node: it and its neighbours stay, the rest fades. Click the background: all back.
  function restoreAll() {
    nodes.update(nodes.getIds().map(function (id) {
      return { id: id, color: clone(originalNodes[id].color), font: clone(originalNodes[id].font) };
    }));
    edges.update(edges.getIds().map(function (id) {
      return { id: id, color: clone(originalEdges[id].color) };
    }));
  }
  function spotlight(id) {
    var keep = {};
    keep[id] = true;
    network.getConnectedNodes(id).forEach(function (other) { keep[other] = true; });
    var keepEdges = {};
    network.getConnectedEdges(id).forEach(function (edgeId) { keepEdges[edgeId] = true; });
    nodes.update(nodes.getIds().map(function (nodeId) {
      if (keep[nodeId]) {
        return { id: nodeId, color: clone(originalNodes[nodeId].color), font: clone(originalNodes[nodeId].font) };
      }
      return { id: nodeId, color: { background: FADED, border: FADED }, font: { color: FADED_TEXT, strokeWidth: 0 } };
    }));
    edges.update(edges.getIds().map(function (edgeId) {
      if (keepEdges[edgeId]) {
        return { id: edgeId, color: clone(originalEdges[edgeId].color) };
      }
      return { id: edgeId, color: { color: FADED, highlight: FADED, hover: FADED, inherit: false, opacity: 1 } };
    }));
  }
  network.on("click", function (params) {
    if (params.nodes.length > 0) {
      spotlight(params.nodes[0]);
    } else {
      restoreAll();
    }
  });

  // Search by name or title: matches are selected; Enter zooms to the first and spotlights it.
  var search = document.getElementById("pm-search");
  var searchStatus = document.getElementById("pm-search-status");
  function matches() {
    var query = search.value.trim().toLowerCase();
    if (!query) {
      return [];
    }
    return nodes.getIds({
      filter: function (node) {
        return (String(node.name) + " " + String(node.subtitle || "")).toLowerCase().indexOf(query) >= 0;
      }
    });
  }
  if (search && searchStatus) {
    search.addEventListener("input", function () {
      var found = matches();
      restoreAll();
      network.selectNodes(found, false);
      searchStatus.textContent = search.value.trim()
        ? found.length + (found.length === 1 ? " match" : " matches")
        : "";
    });
    search.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {
        var found = matches();
        if (found.length > 0) {
          network.selectNodes([found[0]], false);
          spotlight(found[0]);
          network.focus(found[0], { scale: 1.3, animation: { duration: 400 } });
        }
      } else if (event.key === "Escape") {
        search.value = "";
        searchStatus.textContent = "";
        network.unselectAll();
        restoreAll();
        network.fit({ animation: { duration: 400 } });
      }
    });
  }

  body.setAttribute("data-ready", "1");
})();
