"""The bare-NetworkX baseline of the analyze benchmark: a process that reads an exported map and runs
PageRank plus one multi-source Dijkstra, with no powermap code at all.

    python -m bench.bare_networkx EXPORTED.json

It builds the stakeholders' directed graph from the influence and reporting lines, ranks it with
NetworkX's own pure-Python PageRank (weighted; ``nx.pagerank`` itself needs numpy and scipy, which
powermap does not depend on), and runs one multi-source Dijkstra from every stakeholder our team
knows, over ``-log(strength)`` costs (the shape of the introduction-path search).
Prints a one-line JSON summary so the work cannot be skipped.
"""

from __future__ import annotations

import json
import math
import sys

import networkx as nx
from networkx.algorithms.link_analysis.pagerank_alg import _pagerank_python  # type: ignore[attr-defined]


def main(path: str) -> None:
    with open(path, encoding="utf-8") as file:
        document = json.load(file)
    graph: nx.DiGraph[str] = nx.DiGraph()
    for s in document["stakeholders"]:
        graph.add_node(s["id"], influence=s["influence"], level=s["level"], stance=s.get("stance", "neutral"))
    for line in document["reports_to"]:
        graph.add_edge(line["from"], line["to"], weight=0.5)
    for line in document["influences"]:
        graph.add_edge(line["from"], line["to"], weight=line["weight"])
    known = {r["stakeholder"] for r in document["relationships"]}
    for _, _, data in graph.edges(data=True):
        data["cost"] = -math.log(max(data["weight"], 1e-9))
    rank = _pagerank_python(graph, weight="weight")
    distances = nx.multi_source_dijkstra_path_length(graph.to_undirected(as_view=True), known, weight="cost")
    top = max(rank, key=rank.__getitem__)
    print(json.dumps({"nodes": graph.number_of_nodes(), "top": top, "reached": len(distances)}))


if __name__ == "__main__":
    main(sys.argv[1])
