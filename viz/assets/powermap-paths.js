/* powermap: the best introduction paths, computed in the page from the map's embedded ties.

   The same search as powermap.analysis.paths (and `powermap paths`): a path starts at one of our
   team members, takes one relationship to a stakeholder, then stakeholder ties, to the target; its
   strength is the product. Best first; equal strengths go to the shorter path, then to the smaller
   node sequence. A best-first (A*) walk over simple paths guided by the strongest possible finish
   from each stakeholder (a max-product Dijkstra from the target), exact because no strength
   exceeds 1. The ties (with the contract's strengths, computed on the server by powermap.graph.ties)
   and our relationships come from the page's data, so any target and any member can be asked
   without a server. Defines window.PowermapPaths. */
(function () {
  "use strict";
  var SLACK = 1 + 1e-9;

  function compareSeq(a, b) {
    for (var i = 0; i < Math.min(a.length, b.length); i += 1) {
      if (a[i] !== b[i]) { return a[i] < b[i] ? -1 : 1; }
    }
    return a.length - b.length;
  }
  // Heap entries [key, length, nodes, strength]; smallest key first (key = -estimate).
  function before(x, y) {
    if (x[0] !== y[0]) { return x[0] < y[0]; }
    if (x[1] !== y[1]) { return x[1] < y[1]; }
    return compareSeq(x[2], y[2]) < 0;
  }
  function Heap() { this.items = []; }
  Heap.prototype.push = function (item) {
    var a = this.items;
    a.push(item);
    var i = a.length - 1;
    while (i > 0) {
      var parent = (i - 1) >> 1;
      if (!before(a[i], a[parent])) { break; }
      var t = a[i]; a[i] = a[parent]; a[parent] = t; i = parent;
    }
  };
  Heap.prototype.pop = function () {
    var a = this.items;
    var top = a[0];
    var last = a.pop();
    if (a.length > 0) {
      a[0] = last;
      var i = 0;
      for (;;) {
        var l = 2 * i + 1, r = l + 1, m = i;
        if (l < a.length && before(a[l], a[m])) { m = l; }
        if (r < a.length && before(a[r], a[m])) { m = r; }
        if (m === i) { break; }
        var t = a[i]; a[i] = a[m]; a[m] = t; i = m;
      }
    }
    return top;
  };
  Heap.prototype.size = function () { return this.items.length; };

  function index(graph) {
    var adjacency = Object.create(null);
    var ours = Object.create(null);
    function link(a, b, s) {
      (adjacency[a] = adjacency[a] || []).push([b, s]);
    }
    graph.ties.forEach(function (tie) { link(tie[0], tie[1], tie[2]); link(tie[1], tie[0], tie[2]); });
    graph.ours.forEach(function (rel) { (ours[rel[1]] = ours[rel[1]] || []).push([rel[0], rel[2]]); });
    return { adjacency: adjacency, ours: ours, stakeholders: graph.stakeholders };
  }

  function bestFinish(ix, target) {
    var best = Object.create(null);
    var heap = new Heap();
    heap.push([-1, 0, [target], 1]);
    while (heap.size() > 0) {
      var item = heap.pop();
      var node = item[2][0];
      if (node in best) { continue; }
      best[node] = -item[0];
      (ix.adjacency[node] || []).forEach(function (pair) {
        if (!(pair[0] in best)) { heap.push([item[0] * pair[1], 0, [pair[0]], 0]); }
      });
    }
    return best;
  }

  function order(a, b) {
    if (a.strength !== b.strength) { return b.strength - a.strength; }
    if (a.nodes.length !== b.nodes.length) { return a.nodes.length - b.nodes.length; }
    return compareSeq(a.nodes, b.nodes);
  }

  function paths(ix, target, k, member) {
    if (ix.stakeholders.indexOf(target) < 0 || k < 1) { return []; }
    var finish = bestFinish(ix, target);
    var heap = new Heap();
    function push(nodes, strength) {
      if (strength <= 0) { return; }
      var last = nodes[nodes.length - 1];
      var estimate = last === target ? strength : strength * finish[last] * SLACK;
      heap.push([-estimate, nodes.length, nodes, strength]);
    }
    Object.keys(finish).sort().forEach(function (stakeholder) {
      (ix.ours[stakeholder] || []).forEach(function (rel) {
        if (rel[1] > 0 && (!member || rel[0] === member)) { push([rel[0], stakeholder], rel[1]); }
      });
    });
    var found = [];
    while (heap.size() > 0) {
      if (found.length >= k && -heap.items[0][0] < found[k - 1].strength) { break; }
      var item = heap.pop();
      var nodes = item[2], strength = item[3], last = nodes[nodes.length - 1];
      if (last === target) {
        found.push({ strength: strength, nodes: nodes });
        found.sort(order);
        continue;
      }
      var visited = {};
      nodes.slice(1).forEach(function (n) { visited[n] = true; });
      (ix.adjacency[last] || []).forEach(function (pair) {
        if (!visited[pair[0]] && pair[0] in finish) { push(nodes.concat([pair[0]]), strength * pair[1]); }
      });
    }
    return found.slice(0, k);
  }

  window.PowermapPaths = {
    index: index,
    paths: function (ix, target, k, member) { return paths(ix, target, k || 3, member || null); }
  };
})();
