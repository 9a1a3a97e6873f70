/* powermap: the side panels beside the map (forecast, coverage, introduction paths,
   recommendations, power ranking, competitor gaps) and the filters above it.

   Everything is built with createElement and textContent from plain data: names and reasons are
   text, never markup. window.PowermapPanels.render(map, data) fills the panels of the page for one
   map (see powermap-map.js) and its data (data.report: viz.panels.panel_report; data.graph: the
   ties for the path search); the web app calls it again after each change. Clicking a
   recommendation, a path or a gap highlights the introduction path on the map. */
(function () {
  "use strict";
  var body = document.body;
  var RANKING = 15;
  var GAPS = 10;

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    return node;
  }
  function byId(id) { return document.getElementById(id); }
  function clear(node) { while (node.firstChild) { node.removeChild(node.firstChild); } return node; }
  function fixed(value, digits) { return Number(value).toFixed(digits === undefined ? 2 : digits); }
  function signed(value) { return (value >= 0 ? "+" : "") + fixed(value, 3); }
  function words(value) { return String(value).replace(/_/g, " "); }

  function namesOf(data) {
    var names = { stakeholder: {}, member: {}, competitor: {} };
    data.nodes.forEach(function (node) { names[node.kind][node.ref] = node.name; });
    (data.hidden || []).forEach(function (row) { names.stakeholder[row[0]] = row[1]; });
    return names;
  }

  function render(map, data) {
    var report = data.report;
    var names = namesOf(data);
    var ix = window.PowermapPaths.index(data.graph);
    function person(id) { return names.stakeholder[id] || id; }
    function member(id) { return names.member[id] || id; }
    function pathIds(path) {
      return path.map(function (raw, i) { return (i === 0 ? "member:" : "stakeholder:") + raw; });
    }
    function pathText(path) {
      return path.map(function (raw, i) { return i === 0 ? member(raw) : person(raw); }).join(" → ");
    }
    function activate(item, handler) {
      item.tabIndex = 0;
      item.setAttribute("role", "button");
      item.addEventListener("click", handler);
      item.addEventListener("keydown", function (event) {
        if (event.key === "Enter" || event.key === " ") { event.preventDefault(); handler(); }
      });
    }
    function showPath(path, label) {
      var marked = map.highlightPath(pathIds(path));
      var status = byId("pm-path-status");
      if (status) { status.textContent = label + ": " + pathText(path); }
      body.setAttribute("data-highlighted", pathIds(path).join(","));
      body.setAttribute("data-highlighted-lines", String(marked));
    }

    // Forecast.
    var forecast = clear(byId("pm-forecast"));
    var f = report.forecast;
    forecast.appendChild(el("div", "pm-big pm-outlook-" + f.outlook, signed(f.support_index) + " " + f.outlook));
    forecast.appendChild(el("div", "pm-note",
      "Support index: the power-weighted lean of the " +
      (f.basis === "decision_makers" ? "decision makers" : "whole map") +
      ", from −1 (against us) to +1 (for us); favourable from +0.2, unfavourable from −0.2."));
    var dms = el("ol", "pm-list");
    f.decision_makers.forEach(function (dm) {
      var item = el("li", null, person(dm.stakeholder) + " ");
      item.appendChild(el("span", "pm-num", "leans " + signed(dm.lean) + " · power " + fixed(dm.power)));
      activate(item, function () { map.spotlight("stakeholder:" + dm.stakeholder); });
      dms.appendChild(item);
    });
    forecast.appendChild(dms);

    // Coverage.
    var coverage = clear(byId("pm-coverage"));
    coverage.appendChild(el("div", "pm-big", Math.round(report.coverage * 100) + "%"));
    coverage.appendChild(el("div", "pm-note",
      "of the account's power is held by people one of us is close to (strength ≥ " + report.coveredFrom + ")."));

    // Introduction paths: choose a target and, optionally, one of our team.
    var target = byId("pm-path-target");
    var from = byId("pm-path-member");
    var pathList = byId("pm-paths");
    if (target && from && pathList) {
      clear(target).appendChild(el("option", null, "Choose a target…")).value = "";
      clear(from).appendChild(el("option", null, "Any of our team")).value = "";
      data.nodes.filter(function (n) { return n.kind === "stakeholder"; })
        .sort(function (a, b) { return b.power - a.power || (a.ref < b.ref ? -1 : 1); })
        .forEach(function (n) {
          var option = el("option", null, n.name + (n.subtitle ? " · " + n.subtitle : ""));
          option.value = n.ref;
          target.appendChild(option);
        });
      data.nodes.filter(function (n) { return n.kind === "member"; }).forEach(function (n) {
        var option = el("option", null, n.name);
        option.value = n.ref;
        from.appendChild(option);
      });
      var findPaths = function () {
        clear(pathList);
        if (!target.value) { return; }
        var found = window.PowermapPaths.paths(ix, target.value, 3, from.value || null);
        body.setAttribute("data-paths", JSON.stringify(found.map(function (p) { return p.nodes; })));
        if (found.length === 0) {
          pathList.appendChild(el("li", "pm-note", "Nobody of ours reaches " + person(target.value) +
            (from.value ? " from " + member(from.value) : "") + " through the people we know."));
          map.restoreAll();
          return;
        }
        found.forEach(function (p, i) {
          var item = el("li", null, pathText(p.nodes) + " ");
          item.appendChild(el("span", "pm-num", "strength " + fixed(p.strength, 3)));
          activate(item, function () { showPath(p.nodes, "Path " + (i + 1)); });
          pathList.appendChild(item);
        });
        showPath(found[0].nodes, "Best path");
      };
      target.onchange = findPaths;
      from.onchange = findPaths;
    }

    // Recommendations.
    var recs = clear(byId("pm-recs"));
    if (report.recommendations === null) {
      recs.appendChild(el("li", "pm-note", "Working out what to do next…"));
    } else if (report.recommendations.length === 0) {
      recs.appendChild(el("li", "pm-note", "Nothing would move the decision: the map may lack decision makers or influence lines."));
    }
    (report.recommendations || []).forEach(function (rec, i) {
      var item = el("li", "pm-rec");
      item.appendChild(el("div", "pm-rec-head", words(rec.activity) + " with " + person(rec.target)));
      item.appendChild(el("div", "pm-num", "lead " + (rec.lead ? member(rec.lead) : "unassigned") +
        " · expected gain " + signed(rec.expected_gain)));
      item.appendChild(el("div", "pm-note", rec.reason));
      if (rec.path.length > 1) {
        activate(item, function () { showPath(rec.path, "Recommendation " + (i + 1)); });
      } else {
        activate(item, function () { map.spotlight("stakeholder:" + rec.target); });
      }
      recs.appendChild(item);
    });

    // Power ranking, from the drawn stakeholders.
    var ranking = clear(byId("pm-ranking"));
    data.nodes.filter(function (n) { return n.kind === "stakeholder"; })
      .sort(function (a, b) { return b.power - a.power || (a.ref < b.ref ? -1 : 1); })
      .slice(0, RANKING)
      .forEach(function (n) {
        var item = el("li", null);
        var chip = el("span", "pm-chip");
        chip.style.background = n.color.background;
        item.appendChild(chip);
        item.appendChild(document.createTextNode(n.name + " "));
        item.appendChild(el("span", "pm-num", fixed(n.power)));
        activate(item, function () { map.spotlight(n.id); });
        ranking.appendChild(item);
      });

    // Competitor gaps, largest first.
    var gaps = clear(byId("pm-gaps"));
    if (report.gaps.length === 0) {
      gaps.appendChild(el("li", "pm-note", "No competitor is ahead of us on anyone."));
    }
    report.gaps.slice(0, GAPS).forEach(function (gap) {
      var item = el("li", null, person(gap.stakeholder) + ": " + (names.competitor[gap.competitor] || gap.competitor) + " ");
      item.appendChild(el("span", "pm-num", fixed(gap.theirs) + " vs our " + fixed(gap.ours) + " (gap " + fixed(gap.gap) + ")"));
      activate(item, function () { map.spotlight("stakeholder:" + gap.stakeholder); });
      gaps.appendChild(item);
    });
    var more = report.gapsTotal - Math.min(report.gaps.length, GAPS);
    if (more > 0) { gaps.appendChild(el("li", "pm-note", "and " + more + " more (ringed on the map)")); }

    body.setAttribute("data-panels", "1");
  }

  var FILTERS = ["pm-filter-department", "pm-filter-role", "pm-filter-side"];
  // Apply the filters as chosen in the page (also after the web app redrew changed nodes).
  function applyFilters(map) {
    if (!byId(FILTERS[0])) { return; }
    map.setFilters({ department: byId(FILTERS[0]).value, role: byId(FILTERS[1]).value, side: byId(FILTERS[2]).value });
  }
  function bindFilters(getMap) {
    FILTERS.forEach(function (id) {
      var node = byId(id);
      if (node) { node.addEventListener("change", function () { applyFilters(getMap()); }); }
    });
  }

  function fillFilterChoices(data) {
    var department = byId("pm-filter-department");
    if (!department) { return; }
    var keep = department.value;
    clear(department).appendChild(el("option", null, "All departments")).value = "";
    var seen = {};
    data.nodes.forEach(function (n) { if (n.kind === "stakeholder" && n.department) { seen[n.department] = true; } });
    Object.keys(seen).sort().forEach(function (name) {
      var option = el("option", null, name);
      option.value = name;
      department.appendChild(option);
    });
    department.value = keep in seen ? keep : "";
  }

  window.PowermapPanels = { render: render, bindFilters: bindFilters, applyFilters: applyFilters, fillFilterChoices: fillFilterChoices, el: el };

  if (window.powermap && window.powermap.data && window.powermap.data.report) {
    fillFilterChoices(window.powermap.data);
    bindFilters(function () { return window.powermap; });
    render(window.powermap, window.powermap.data);
  }
})();
