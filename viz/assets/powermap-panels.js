/* powermap: the side panels beside the map (forecast, coverage, the customer's voice, the selected
   person and their voices, introduction paths, recommendations, power ranking, competitor gaps,
   relationships going cold) and the filters above it.

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
  var FADING = 10;
  var OPEN_VOICES = 5;
  var selected = null;  // the stakeholder whose voices the "Selected person" panel shows

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    return node;
  }
  function byId(id) { return document.getElementById(id); }
  // Set a choice list to ``entries`` ([value, text] pairs), reusing its option elements: after an edit
  // a big map's list of a thousand people differs in a few places, and rebuilding it cost more than
  // the rest of the panels. The choice made stays chosen while it is still offered.
  function fillSelect(select, entries) {
    var keep = select.value;
    var options = select.options;
    entries.forEach(function (entry, i) {
      var option = options[i];
      if (!option) { option = select.appendChild(document.createElement("option")); }
      if (option.value !== entry[0]) { option.value = entry[0]; }
      if (option.textContent !== entry[1]) { option.textContent = entry[1]; }
    });
    while (options.length > entries.length) { select.removeChild(select.lastChild); }
    var offered = entries.some(function (entry) { return entry[0] === keep; });
    select.value = offered ? keep : (entries.length ? entries[0][0] : "");
    return offered;
  }
  function clear(node) { while (node.firstChild) { node.removeChild(node.firstChild); } return node; }
  function fixed(value, digits) { return Number(value).toFixed(digits === undefined ? 2 : digits); }
  function signed(value) { return (value >= 0 ? "+" : "") + fixed(value, 3); }
  function words(value) { return String(value).replace(/_/g, " "); }
  function percent(value) { return value === null || value === undefined ? "none yet" : Math.round(value * 100) + "%"; }
  function days(n) { return n + (n === 1 ? " day" : " days"); }
  var CATEGORIES = { pain: "pain 痛点", itch: "itch 痒点", pseudo: "pseudo-need 伪需求", unscreened: "not screened" };
  var FLOWS = ["LTC", "IPD", "ITR", "none"];
  // A count per key in a fixed order (the data's own order differs between the app and the file).
  function counts(order, values, label) {
    var keys = order.filter(function (k) { return k in values; })
      .concat(Object.keys(values).filter(function (k) { return order.indexOf(k) < 0; }).sort());
    return keys.map(function (k) { return label(k) + " " + values[k]; }).join(" · ");
  }
  function category(value) { return CATEGORIES[value] || words(value); }

  // One voice as a block: what it is and where it stands on the first line, the words as said (text,
  // never markup), then where it came from and who owns it.
  function voiceBlock(voice, who) {
    var open = voice.status !== "resolved" && voice.status !== "rejected";
    var block = el("div", "pm-voice" + (voice.category === "pain" && open ? " pm-pain" : "") + (open ? "" : " pm-closed"));
    block.setAttribute("data-voice", voice.id);
    var head = el("div", "pm-num", (who ? who + " · " : "") + category(voice.category) + " · " + words(voice.status) +
      (voice.age_days === null || voice.age_days === undefined ? " · since " + voice.date
        : " · " + (open ? "open " : "took ") + days(voice.age_days)));
    if (voice.overdue) { head.appendChild(el("span", "pm-overdue", " · overdue")); }
    block.appendChild(head);
    block.appendChild(el("div", "pm-voice-text", voice.text));
    var meta = [voice.date + (voice.channel ? " via " + words(voice.channel) : ""), voice.flow,
      voice.owner ? "owner " + voice.owner : "", voice.priority ? "priority " + voice.priority : "",
      voice.satisfaction ? "satisfaction " + voice.satisfaction + "/5" : ""].filter(Boolean);
    block.appendChild(el("div", "pm-note", meta.join(" · ")));
    return block;
  }
  // Every voice of one stakeholder, open ones first (the data's order), as a list of blocks.
  function voiceList(data, ref) {
    var box = el("div", "pm-voices");
    var mine = (data.voices || []).filter(function (v) { return v.stakeholder === ref; });
    if (mine.length === 0) { box.appendChild(el("div", "pm-note", "No voice recorded from them yet.")); }
    mine.forEach(function (v) { box.appendChild(voiceBlock(v, null)); });
    return box;
  }

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

    // The customer's voice: the loop's health (the same summary as `powermap voices`), the open voices
    // to act on first.
    var loopBox = byId("pm-voice-loop");
    if (loopBox) {
      clear(loopBox);
      var loop = data.voiceLoop;
      var recorded = (data.voices || []).length;
      if (!loop && recorded > 0) {
        loopBox.appendChild(el("div", "pm-note", recorded + (recorded === 1 ? " voice" : " voices") +
          " recorded (this map has no day to count their ages to)."));
      } else if (!loop || loop.total === 0) {
        loopBox.appendChild(el("div", "pm-note", "No voice recorded for this account yet."));
      } else {
        loopBox.appendChild(el("div", "pm-big", loop.open + " open of " + loop.total +
          (loop.overdue ? " · " + loop.overdue + " overdue" : "")));
        var stats = el("dl", "pm-stats");
        var rows = [
          ["closure rate", percent(loop.closure_rate) + " of pains and itches resolved"],
          ["satisfaction", loop.mean_satisfaction === null ? "none reported yet" : fixed(loop.mean_satisfaction, 1) + " / 5 (mean, resolved)"],
          ["pain exposure", percent(loop.pain_exposure) + " of the power is with people with an open pain"],
          ["by kind", counts(Object.keys(CATEGORIES), loop.by_category, category)],
          ["by flow", counts(FLOWS, loop.by_flow, function (k) { return k === "none" ? "no flow" : k; })]
        ];
        rows.forEach(function (row) { stats.appendChild(el("dt", null, row[0])); stats.appendChild(el("dd", null, row[1])); });
        loopBox.appendChild(stats);
        loopBox.appendChild(el("div", "pm-note", "Overdue: an open pain older than " + data.voiceOverdueDays + " days."));
        var openList = el("ol", "pm-list");
        (data.voices || []).filter(function (v) { return v.status !== "resolved" && v.status !== "rejected"; })
          .slice(0, OPEN_VOICES).forEach(function (v) {
            var item = el("li");
            item.appendChild(voiceBlock(v, person(v.stakeholder)));
            activate(item, function () { showPerson(v.stakeholder); map.spotlight("stakeholder:" + v.stakeholder); });
            openList.appendChild(item);
          });
        loopBox.appendChild(openList);
      }
    }

    // The selected person: who they are and every voice of theirs.
    function showPerson(ref, quietly) {
      var box = byId("pm-person");
      if (!box) { return; }
      selected = ref;
      clear(box);
      var node = data.nodes.filter(function (n) { return n.kind === "stakeholder" && n.ref === ref; })[0];
      box.appendChild(el("div", "pm-rec-head", person(ref)));
      if (node) {
        box.appendChild(el("div", "pm-note", [node.subtitle, node.department, words(node.stance),
          "power " + fixed(node.power)].filter(Boolean).join(" · ")));
      }
      box.appendChild(voiceList(data, ref));
      if (!quietly && box.scrollIntoView) { box.scrollIntoView({ block: "nearest" }); }
      body.setAttribute("data-person", ref);
    }
    if (!map.personBound) {
      map.personBound = true;
      map.network.on("click", function (params) {
        var id = params.nodes.length === 1 ? String(params.nodes[0]) : "";
        if (id.indexOf("stakeholder:") === 0) { map.showPerson(id.slice("stakeholder:".length)); }
      });
    }
    map.showPerson = showPerson;
    if (selected !== null && names.stakeholder[selected] !== undefined) {
      showPerson(selected, true);
    } else if (selected !== null && byId("pm-person")) {  // they were removed
      selected = null;
      clear(byId("pm-person")).appendChild(el("div", "pm-note", "Click a person on the map to see what they told us."));
    }

    // Introduction paths: choose a target and, optionally, one of our team.
    var target = byId("pm-path-target");
    var from = byId("pm-path-member");
    var pathList = byId("pm-paths");
    if (target && from && pathList) {
      fillSelect(target, [["", "Choose a target…"]].concat(
        data.nodes.filter(function (n) { return n.kind === "stakeholder"; })
          .sort(function (a, b) { return b.power - a.power || (a.ref < b.ref ? -1 : 1); })
          .map(function (n) { return [n.ref, n.name + (n.subtitle ? " · " + n.subtitle : "")]; })));
      fillSelect(from, [["", "Any of our team"]].concat(
        data.nodes.filter(function (n) { return n.kind === "member"; }).map(function (n) { return [n.ref, n.name]; })));
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

    // Our relationships going cold (drawn dashed and pale on the map), longest untouched first.
    var fading = byId("pm-fading");
    if (fading) {
      clear(fading);
      var cold = data.fading || [];
      if (cold.length === 0) {
        fading.appendChild(el("li", "pm-note", "None: every relationship of ours had a contact in the last " +
          data.fadingAfterDays + " days (or has no recorded contact)."));
      }
      cold.slice(0, FADING).forEach(function (f) {
        var item = el("li", null, member(f.member) + " → " + person(f.stakeholder) + " ");
        item.appendChild(el("span", "pm-num", "last contact " + f.last_contact + ", " + days(f.days) + " ago · strength " + fixed(f.strength)));
        activate(item, function () { showPerson(f.stakeholder); map.spotlight("stakeholder:" + f.stakeholder); });
        fading.appendChild(item);
      });
      if (cold.length > FADING) { fading.appendChild(el("li", "pm-note", "and " + (cold.length - FADING) + " more (dashed on the map)")); }
    }

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
    var seen = {};
    data.nodes.forEach(function (n) { if (n.kind === "stakeholder" && n.department) { seen[n.department] = true; } });
    fillSelect(department, [["", "All departments"]].concat(
      Object.keys(seen).sort().map(function (name) { return [name, name]; })));
  }

  window.PowermapPanels = {
    render: render, bindFilters: bindFilters, applyFilters: applyFilters, fillFilterChoices: fillFilterChoices,
    el: el, voiceList: voiceList
  };

  if (window.powermap && window.powermap.data && window.powermap.data.report) {
    fillFilterChoices(window.powermap.data);
    bindFilters(function () { return window.powermap; });
    render(window.powermap, window.powermap.data);
  }
})();
