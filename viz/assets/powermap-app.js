/* powermap web app: sign in and out, the live account page (map, panels, editing, live updates).

   Talks only to this server: the API's routes with the session cookie (sent by the browser, never
   visible to this script) and, on every write, the page's CSRF token and If-Match. Text from the
   server is set with textContent or form values; this script never writes HTML. */
(function () {
  "use strict";
  var body = document.body;
  var page = body.getAttribute("data-page");
  var csrf = body.getAttribute("data-csrf") || "";
  var csrfHeader = body.getAttribute("data-csrf-header") || "X-CSRF-Token";

  function byId(id) { return document.getElementById(id); }
  function seg(value) { return encodeURIComponent(value); }
  function count(name) {
    var value = Number(body.getAttribute("data-" + name) || "0") + 1;
    body.setAttribute("data-" + name, String(value));
  }

  // One API call: JSON in and out; resolves to {status, ok, data, etag} (never rejects on HTTP errors).
  function api(method, url, payload, ifMatch) {
    var headers = { "Accept": "application/json" };
    if (method !== "GET") { headers[csrfHeader] = csrf; }
    if (payload !== undefined) { headers["Content-Type"] = "application/json"; }
    if (ifMatch) { headers["If-Match"] = ifMatch; }
    return fetch(url, {
      method: method, headers: headers, credentials: "same-origin", cache: "no-store",
      body: payload === undefined ? undefined : JSON.stringify(payload)
    }).then(function (response) {
      var etag = response.headers.get("ETag");
      return response.text().then(function (text) {
        var data = null;
        if (text) { try { data = JSON.parse(text); } catch (e) { data = { detail: text.slice(0, 300) }; } }
        if (response.status === 401 && page !== "signin") { window.location.assign("/signin"); }
        return { status: response.status, ok: response.ok, data: data, etag: etag };
      });
    });
  }

  function bindSignOut() {
    var button = byId("pm-signout");
    if (!button) { return; }
    button.addEventListener("click", function () {
      api("POST", "/session/end").then(function () { window.location.assign("/signin"); });
    });
  }

  // --- sign in --------------------------------------------------------------------------------------
  if (page === "signin") {
    var form = byId("pm-signin-form");
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var error = byId("pm-signin-error");
      error.textContent = "";
      api("POST", "/session", { key: byId("pm-key").value }).then(function (result) {
        if (result.ok) {
          window.location.assign("/");
        } else {
          error.textContent = (result.data && result.data.detail) || "Sign in failed";
        }
      });
    });
    body.setAttribute("data-ready", "1");
    return;
  }
  bindSignOut();
  if (page !== "account") {
    body.setAttribute("data-ready", "1");
    return;
  }

  // --- the account page -----------------------------------------------------------------------------
  var account = body.getAttribute("data-account");
  var base = "/accounts/" + seg(account);
  var editor = body.getAttribute("data-role") !== "viewer" && !!byId("pm-editor");
  var pollMs = Number(body.getAttribute("data-poll-ms") || "2000");
  var state = { data: null, map: null, revision: null, busy: 0, editing: null, bound: false };

  function notice(text) {
    var box = byId("pm-notice");
    box.textContent = text;
    box.classList.toggle("pm-hidden", !text);
  }

  // The page data a change from the server (``?since=``) makes of the data the page has.
  function merged(data, delta) {
    var next = {};
    Object.keys(data).forEach(function (key) { if (delta.drop.indexOf(key) < 0) { next[key] = data[key]; } });
    Object.keys(delta.set).forEach(function (key) { next[key] = delta.set[key]; });
    ["nodes", "edges"].forEach(function (name) {
      var dropped = {}, put = {}, patches = {};
      delta[name].drop.forEach(function (id) { dropped[id] = true; });
      delta[name].put.forEach(function (item) { put[item.id] = item; });
      (delta[name].patch || []).forEach(function (item) { patches[item.id] = item; });
      var items = [];
      data[name].forEach(function (item) {
        if (dropped[item.id]) { return; }
        // A patched item: the same fields, those named with their new values.
        items.push(put[item.id] || (patches[item.id] ? Object.assign({}, item, patches[item.id]) : item));
        delete put[item.id];
      });
      delta[name].put.forEach(function (item) { if (put[item.id]) { items.push(item); } });
      next[name] = items;
    });
    return next;
  }

  function draw(data, delta) {
    var samePicture = state.map && state.data &&
      (state.data.options.physics.enabled === false) === (data.options.physics.enabled === false) &&
      JSON.stringify(state.data.overview) === JSON.stringify(data.overview);
    state.data = data;
    state.revision = data.revision;
    // The map is drawn once, in the next frame, with the change, the filters and the panels beside it.
    if (samePicture) {
      state.map.hold();
      if (delta) { state.map.patch(delta, data); } else { state.map.replace(data); }
      window.PowermapPanels.applyFilters(state.map);
    } else {
      if (state.map) { state.map.destroy(); }
      state.map = window.PowermapMap.create(byId("pm-network"), data, { held: true });
      window.powermap = state.map;
      if (editor && !byId("pm-editor").hidden) { state.map.setCovered(byId("pm-editor").offsetWidth); }
      state.zoomed = false;
      state.map.network.on("zoom", function () { state.zoomed = true; });
      if (editor) {
        state.map.network.on("click", function (params) {
          if (params.nodes.length === 1 && params.nodes[0].indexOf("stakeholder:") === 0) {
            openStakeholder(params.nodes[0].slice("stakeholder:".length));
          }
        });
      }
    }
    window.PowermapPanels.fillFilterChoices(data);
    window.PowermapPanels.render(state.map, data);
    window.PowermapMap.mark("pm:panels");
    state.map.release();
    document.title = data.account.name + " — powermap";
    byId("pm-title").textContent = data.account.name;
    byId("pm-sub").textContent = data.counts.stakeholders + " stakeholders · " + data.counts.team +
      " team members · " + data.counts.competitors + " competitors · revision " + data.revision +
      (data.asOf ? " · data as of " + data.asOf.replace("T", " ") : "");
    body.setAttribute("data-revision", String(data.revision));
    if (!state.bound) {
      state.bound = true;
      window.PowermapMap.bindSearch(function () { return state.map; }, byId("pm-search"), byId("pm-search-status"));
      window.PowermapPanels.bindFilters(function () { return state.map; });
    }
    count("loads");
    body.setAttribute("data-ready", "1");
  }

  function afterPaint(then) {
    window.requestAnimationFrame(function () { window.setTimeout(then, 0); });
  }

  // The map and the analysis first; the recommendations (the costliest part) right after, from the
  // API, into the same panels. A page that shows a revision asks only for the change since then
  // (the server answers whole when it no longer keeps that revision). Until the new
  // recommendations arrive the panel keeps the last ones.
  function load() {
    state.busy += 1;
    var since = state.data ? "&since=" + state.revision : "";
    return api("GET", "/app" + base + "/data?recommendations=false" + since).then(function (result) {
      state.busy -= 1;
      window.PowermapMap.mark("pm:data");
      if (result.ok) {
        var delta = result.data.delta === true ? result.data : null;
        if (delta && delta.since !== state.revision) { return load(); }  // the page moved on meanwhile
        draw(delta ? merged(state.data, delta) : result.data, delta);
        var revision = state.revision;
        // Asked once the map has been painted: on a big account the server's work for them would
        // otherwise compete with the browser's first drawing (both share the machine's cores).
        afterPaint(function () {
          api("GET", base + "/recommendations?limit=10").then(function (recs) {
            if (!recs.ok || state.revision !== revision) { return; }
            state.data.report.recommendations = recs.data.recommendations;
            window.PowermapPanels.render(state.map, state.data);
            count("recommendation-loads");
          });
        });
      }
      return result;
    }, function (error) { state.busy -= 1; throw error; });
  }

  // Others' changes: ask for the revision every few seconds; redraw when it moved.
  function poll() {
    if (state.busy > 0 || state.revision === null) { return; }
    api("GET", "/app" + base + "/revision").then(function (result) {
      if (!result.ok || state.busy > 0 || result.data.revision === state.revision) { return; }
      var was = state.revision;
      load().then(function () {
        return changesSince(was, null);
      }).then(function (found) {
        var who = whoDid(found.changes);
        notice((found.changes.length ? who.names : "Someone else") + " changed this map: " +
          (who.detail || "at " + when(result.data.updatedAt)) + "; revision " + was + " → " + state.revision +
          ", the map and the panels show it.");
        count("remote-updates");
      });
    });
  }
  window.setInterval(poll, pollMs);

  // --- forms ----------------------------------------------------------------------------------------
  var FIELD_ALIASES = { member: "from", competitor: "from", stakeholder: "to", strength: "weight" };
  function clearErrors(form) {
    Array.prototype.forEach.call(form.querySelectorAll(".pm-field-error, .pm-form-error"), function (node) {
      node.textContent = "";
    });
  }
  // Show each of the API's problems next to its field (the last part of its path), the rest below.
  function showProblems(form, result) {
    var problems = (result.data && result.data.errors) || [];
    var placed = false;
    problems.forEach(function (problem) {
      var name = String(problem.path || "").split(/[.\]\[]/).filter(Boolean).pop() || "";
      name = FIELD_ALIASES[name] || name;
      var slot = form.querySelector('.pm-field-error[data-for="' + name.replace(/[^a-z_]/g, "") + '"]');
      if (slot) { slot.textContent = problem.message; placed = true; }
    });
    if (!placed) {
      var slotFor = result.status === 409 ? form.querySelector('.pm-field-error[data-for="id"]') : null;
      (slotFor || form.querySelector(".pm-form-error")).textContent =
        (result.data && (result.data.detail || result.data.title)) || ("refused (" + result.status + ")");
    }
    body.setAttribute("data-refused", String(result.status));
  }
  function showForm(id) {
    ["pm-stakeholder-form", "pm-line-form", "pm-activity-form"].forEach(function (formId) {
      byId(formId).classList.toggle("pm-hidden", formId !== id);
    });
    var editorBox = byId("pm-editor");
    var was = !editorBox.hidden;
    editorBox.hidden = !id;
    if (id) { clearErrors(byId(id)); }
    if (was !== !!id && state.map) { frameMap(id ? editorBox.offsetWidth : 0); }
  }
  // The form lies over the map's left side: the camera centres the map in the room right of it (see
  // ``frame`` in powermap-map.js) and shows the whole map there, unless the user zoomed in on something
  // (then the picture stays where it is).
  function frameMap(covered) {
    state.map.setCovered(covered);
    // Drawn in the next frame, once, with whatever else changed by then (a saved change).
    if (!state.zoomed) { state.map.frame(null); }
  }
  // The form closes once the change is handed to the map: the map is drawn once, with the change.
  function afterWrite(what) {
    return load().then(function () { showForm(null); body.setAttribute("data-saved", what); count("writes"); });
  }

  var FIELDS = ["id", "name", "title", "department", "level", "decision_role", "influence", "stance", "notes"];
  function stakeholderForm() { return byId("pm-stakeholder-form"); }
  function fill(item) {
    var form = stakeholderForm();
    FIELDS.forEach(function (name) {
      var value = item[name];
      form.elements[name].value = value === undefined || value === null ? "" : String(value);
    });
  }
  function collect() {
    var form = stakeholderForm();
    var item = {};
    FIELDS.forEach(function (name) { item[name] = form.elements[name].value; });
    item.influence = item.influence === "" ? null : Number(item.influence);
    return item;
  }
  function hideConflict() { byId("pm-conflict").classList.add("pm-hidden"); }

  function openNewStakeholder() {
    state.editing = null;
    fill({ id: "", name: "", title: "", department: "", level: "middle", decision_role: "none",
           influence: 0.5, stance: "neutral", notes: "" });
    stakeholderForm().elements.id.readOnly = false;
    byId("pm-stakeholder-heading").textContent = "Add stakeholder";
    showVoices("");
    byId("pm-delete").classList.add("pm-hidden");
    hideConflict();
    showForm("pm-stakeholder-form");
  }
  // The revision a form was opened at: the changes after it are what a stale save names.
  function revisionNow() {
    return api("GET", "/app" + base + "/revision").then(function (result) {
      return result.ok ? result.data.revision : state.revision;
    });
  }
  function openStakeholder(id) {
    var opened;
    return revisionNow().then(function (revision) {
      opened = revision;
      return api("GET", base + "/stakeholders/" + seg(id));
    }).then(function (result) {
      if (!result.ok) { notice((result.data && result.data.detail) || "cannot open " + id); return; }
      state.editing = { id: id, etag: result.etag, original: result.data, revision: opened };
      fill(result.data);
      showVoices(id);
      stakeholderForm().elements.id.readOnly = true;
      byId("pm-stakeholder-heading").textContent = "Change stakeholder";
      byId("pm-delete").classList.remove("pm-hidden");
      hideConflict();
      showForm("pm-stakeholder-form");
      body.setAttribute("data-editing", id);
    });
  }
  // The person's voices (what they told us), below the form: read-only text.
  function showVoices(id) {
    var box = byId("pm-f-voices");
    if (!box) { return; }
    while (box.firstChild) { box.removeChild(box.firstChild); }
    byId("pm-f-voices-head").classList.toggle("pm-hidden", !id);
    if (id) { box.appendChild(window.PowermapPanels.voiceList(state.data, id)); }
  }

  // Who changed an item since a revision, from the account's changes feed (key name, time, operation,
  // subject). The entries that name the item (or change the whole map) if there are any, else every
  // change since then (an activity, say, may have moved the person's stance).
  function changesSince(revision, id) {
    return api("GET", base + "/changes?limit=100").then(function (result) {
      var since = result.ok ? result.data.data.filter(function (c) { return c.revision > revision; }) : [];
      var naming = since.filter(function (c) {
        return (c.subject === id && / stakeholder$/.test(c.operation)) || / map$/.test(c.operation) ||
          c.operation.indexOf("erase") === 0;
      });
      return { naming: naming.length > 0, changes: (naming.length > 0 ? naming : since).reverse() };
    });
  }
  function when(at) {
    return String(at).replace("T", " ").replace(/\.\d+/, "").replace(/(\+00:00|Z)$/, " UTC");
  }
  function whoDid(changes) {
    var seen = {}, people = [];
    changes.forEach(function (c) { if (!seen[c.actor]) { seen[c.actor] = true; people.push(c.actor); } });
    // What each did, the last few: "update stakeholder cio at 2026-11-27 18:52:01 UTC (revision 14)",
    // each led by its author's name when several people were at it.
    var detail = changes.slice(-3).map(function (c) {
      return (people.length > 1 ? c.actor + ": " : "") + c.operation + (c.subject ? " " + c.subject : "") +
        " at " + when(c.at) + " (revision " + c.revision + ")";
    });
    if (changes.length > 3) { detail.unshift("… " + (changes.length - 3) + " earlier"); }
    return { names: people.join(" and ") || "someone else", detail: detail.join("; ") };
  }

  // A write refused as stale (412): say who changed what and when, keep the user's values, offer both ways.
  function conflict(mine) {
    var editing = state.editing;
    var theirs;
    return api("GET", base + "/stakeholders/" + seg(editing.id)).then(function (result) {
      theirs = result;
      return changesSince(editing.revision, editing.id);
    }).then(function (found) {
      var result = theirs;
      var box = byId("pm-conflict");
      var who = whoDid(found.changes);
      var by = found.changes.length === 0 ? "Someone else" : who.names;
      var log = found.changes.length === 0 ? "" :
        " (" + (found.naming ? "" : "the map's changes since then: ") + who.detail + ")";
      body.setAttribute("data-conflict-by", who.names);
      if (result.status === 404) {
        byId("pm-conflict-text").textContent = by + " deleted " + editing.original.name + " since you opened it" +
          log + ". Nothing of yours was saved.";
      } else {
        var changed = FIELDS.filter(function (name) {
          return String(editing.original[name]) !== String(result.data[name]);
        }).map(function (name) {
          return name.replace("_", " ") + ": " + editing.original[name] + " → " + result.data[name];
        });
        byId("pm-conflict-text").textContent = by + " changed " + editing.original.name +
          " since you opened it" + log + ": " + (changed.join("; ") || "no visible field") + ". " +
          "Nothing of yours was saved; your values are still in the form.";
        editing.theirs = result.data;
        editing.theirsEtag = result.etag;
        editing.theirsRevision = found.changes.length ? found.changes[found.changes.length - 1].revision : editing.revision;
      }
      editing.mine = mine;
      box.classList.remove("pm-hidden");
      body.setAttribute("data-conflict", "1");
      count("conflicts");
    });
  }
  function saveStakeholder() {
    window.PowermapMap.mark("pm:save");
    var form = stakeholderForm();
    clearErrors(form);
    hideConflict();
    var item = collect();
    var request;
    if (state.editing) {
      var changes = {};
      FIELDS.forEach(function (name) { if (name !== "id") { changes[name] = item[name]; } });
      request = api("PATCH", base + "/stakeholders/" + seg(state.editing.id), changes, state.editing.etag);
    } else {
      request = api("POST", base + "/stakeholders", item);
    }
    return request.then(function (result) {
      window.PowermapMap.mark("pm:saved");
      if (result.ok) { return afterWrite(item.id); }
      // Stale (412), or gone since the form was opened (404): say who did it, keep the user's values.
      if ((result.status === 412 || result.status === 404) && state.editing) { return conflict(item); }
      showProblems(form, result);
      return null;
    });
  }

  if (editor) {
    byId("pm-add-stakeholder").addEventListener("click", openNewStakeholder);
    stakeholderForm().addEventListener("submit", function (event) { event.preventDefault(); saveStakeholder(); });
    byId("pm-delete").addEventListener("click", function () {
      var editing = state.editing;
      api("DELETE", base + "/stakeholders/" + seg(editing.id), undefined, editing.etag).then(function (result) {
        if (result.ok) { return afterWrite(editing.id); }
        if (result.status === 412) { return conflict(collect()); }
        showProblems(stakeholderForm(), result);
        return null;
      });
    });
    byId("pm-conflict-reload").addEventListener("click", function () {
      var editing = state.editing;
      hideConflict();
      if (!editing.theirs) { showForm(null); load(); return; }
      state.editing = { id: editing.id, etag: editing.theirsEtag, original: editing.theirs, revision: editing.theirsRevision };
      fill(editing.theirs);
      load();
    });
    byId("pm-conflict-reapply").addEventListener("click", function () {
      var editing = state.editing;
      hideConflict();
      if (!editing.theirs) { state.editing = null; fill(editing.mine); saveStakeholder(); return; }
      // Theirs, with only the fields this user changed set to this user's values: nothing is lost.
      var merged = {};
      FIELDS.forEach(function (name) {
        var mine = editing.mine[name], before = editing.original[name];
        merged[name] = String(mine) !== String(before === null || before === undefined ? "" : before)
          ? mine : editing.theirs[name];
      });
      state.editing = { id: editing.id, etag: editing.theirsEtag, original: editing.theirs, revision: editing.theirsRevision };
      fill(merged);
      saveStakeholder();
    });
    Array.prototype.forEach.call(document.querySelectorAll(".pm-cancel"), function (button) {
      button.addEventListener("click", function () { showForm(null); });
    });

    // Add line.
    var lineForm = byId("pm-line-form");
    function options(select, items) {
      while (select.firstChild) { select.removeChild(select.firstChild); }
      items.forEach(function (item) {
        var option = document.createElement("option");
        option.value = item.id;
        option.textContent = item.name + " (" + item.id + ")";
        select.appendChild(option);
      });
    }
    function stakeholders() {
      return state.data.nodes.filter(function (n) { return n.kind === "stakeholder"; })
        .map(function (n) { return { id: n.ref, name: n.name }; })
        .sort(function (a, b) { return a.name < b.name ? -1 : a.name > b.name ? 1 : 0; });
    }
    function fillLineChoices() {
      var kind = lineForm.elements.kind.value;
      var from = kind === "relationships" ? state.data.team : kind === "competitor-relationships" ?
        state.data.competitors : stakeholders();
      options(lineForm.elements.from, from);
      options(lineForm.elements.to, stakeholders());
      lineForm.elements.weight.disabled = kind === "reports-to";
    }
    lineForm.elements.kind.addEventListener("change", fillLineChoices);
    byId("pm-add-line").addEventListener("click", function () { fillLineChoices(); showForm("pm-line-form"); });
    lineForm.addEventListener("submit", function (event) {
      event.preventDefault();
      clearErrors(lineForm);
      var kind = lineForm.elements.kind.value;
      var from = lineForm.elements.from.value, to = lineForm.elements.to.value;
      var weight = Number(lineForm.elements.weight.value);
      var payload = kind === "influences" ? { from: from, to: to, weight: weight } :
        kind === "reports-to" ? { from: from, to: to } :
        kind === "relationships" ? { member: from, stakeholder: to, strength: weight } :
        { competitor: from, stakeholder: to, strength: weight };
      api("POST", base + "/" + kind, payload).then(function (result) {
        if (result.ok) { return afterWrite(kind + ":" + from + "->" + to); }
        showProblems(lineForm, result);
        return null;
      });
    });

    // Log activity.
    var activityForm = byId("pm-activity-form");
    byId("pm-log-activity").addEventListener("click", function () {
      options(activityForm.elements.members, state.data.team);
      options(activityForm.elements.stakeholders, stakeholders());
      activityForm.elements.date.value = new Date().toISOString().slice(0, 10);
      showForm("pm-activity-form");
    });
    activityForm.addEventListener("submit", function (event) {
      event.preventDefault();
      clearErrors(activityForm);
      function chosen(select) {
        return Array.prototype.filter.call(select.options, function (o) { return o.selected; })
          .map(function (o) { return o.value; });
      }
      var payload = {
        id: activityForm.elements.id.value,
        type: activityForm.elements.type.value,
        date: activityForm.elements.date.value || null,
        members: chosen(activityForm.elements.members),
        stakeholders: chosen(activityForm.elements.stakeholders),
        outcome: activityForm.elements.outcome.value
      };
      api("POST", base + "/activities", payload).then(function (result) {
        if (result.ok) { return afterWrite("activity:" + payload.id); }
        showProblems(activityForm, result);
        return null;
      });
    });
  }

  window.powermapApp = { load: load, state: state, openStakeholder: openStakeholder };
  load();
})();
