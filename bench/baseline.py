#!/usr/bin/env python3
"""A straightforward Python + PyYAML + NetworkX implementation of chokepoint's work, for
side-by-side timings (bench/compare.sh). Not a second product: no diagnostics, no rules.

    python3 bench/baseline.py validate FILE   # load, check references, count
    python3 bench/baseline.py analyze FILE    # capacities, every metric, order-1 cut sets
    python3 bench/baseline.py rank FILE       # every single removal, recomputed from scratch
"""
import sys

import networkx as nx
import yaml

Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when available


def load(path):
    with open(path, encoding="utf-8") as f:
        doc = yaml.load(f, Loader=Loader)
    nodes = {}
    for n in doc.get("nodes", []):
        if n["id"] in nodes:
            raise SystemExit(f"duplicate id {n['id']}")
        nodes[n["id"]] = n
    groups = {}
    for nid, n in nodes.items():
        gs = []
        def group(members, threshold):
            given = sum(float(str(m["share"]).rstrip("%")) / (100 if str(m["share"]).endswith("%") else 1)
                        for m in members if isinstance(m, dict) and "share" in m)
            unshared = [m for m in members if not (isinstance(m, dict) and "share" in m)]
            rest = max(0.0, 1.0 - given)
            out = []
            for m in members:
                mid = m["id"] if isinstance(m, dict) else m
                if mid not in nodes:
                    raise SystemExit(f"unknown node {mid}")
                if isinstance(m, dict) and "share" in m:
                    s = str(m["share"])
                    w = float(s.rstrip("%")) / (100 if s.endswith("%") else 1)
                else:
                    w = rest / len(unshared)
                out.append((mid, w))
            total = sum(w for _, w in out)
            return ([(m, w / total) for m, w in out], threshold)
        if n.get("suppliers"):
            gs.append(group(n["suppliers"], float(n.get("min_supply", 0))) + (True,))
        for item in n.get("inputs", []) or []:
            if isinstance(item, dict):
                gs.append(group(item["any"], float(item.get("min_share", 0))) + (False,))
            else:
                gs.append(group([item], 0.0) + (False,))
        groups[nid] = gs
    g = nx.DiGraph()
    g.add_nodes_from(nodes)
    for nid, gs in groups.items():
        for members, _, _ in gs:
            for m, _ in members:
                g.add_edge(m, nid)
    targets = [t for t in doc.get("targets", []) or []] + [i for i, n in nodes.items() if n.get("target")]
    if not targets:
        targets = [i for i in nodes if g.out_degree(i) == 0]
    return nodes, groups, g, sorted(set(targets))


def order(g):
    cond = nx.condensation(g)
    out = []
    for c in nx.topological_sort(cond):
        out.extend(sorted(cond.nodes[c]["members"]))
    return out


def capacities(groups, topo, removed=frozenset()):
    cap = {n: 1.0 for n in topo}
    while True:
        change = 0.0
        for n in topo:
            if n in removed:
                v = 0.0
            else:
                # Production sites: each supplier makes the product at min(cap(maker), req).
                req = 1.0
                for members, t, supplier in groups[n]:
                    if supplier:
                        continue
                    s = sum(w * cap[m] for m, w in members)
                    ok = s >= t - 1e-12 if t > 0 else s > 0
                    req = min(req, s if ok else 0.0)
                v = req
                for members, t, supplier in groups[n]:
                    if supplier:
                        s = sum(w * min(cap[m], req) for m, w in members)
                        ok = s >= t - 1e-12 if t > 0 else s > 0
                        v = s if ok else 0.0
                v = 0.0 if v < 1e-12 else min(v, 1.0)
            change = max(change, abs(v - cap[n]))
            cap[n] = v
        if change <= 1e-14:
            return cap


def main():
    cmd, path = sys.argv[1], sys.argv[2]
    nodes, groups, g, targets = load(path)
    if cmd == "validate":
        print(f"ok: {len(nodes)} nodes, {sum(len(m) for gs in groups.values() for m, _, _ in gs)} edges")
        return
    topo = order(g)
    base = capacities(groups, topo)
    impact = {}
    for n in topo:  # every single removal, from scratch
        after = capacities(groups, topo, frozenset([n]))
        impact[n] = sum(base[t] - after[t] for t in targets if t != n)
    if cmd == "rank":
        ranking = sorted(impact.items(), key=lambda kv: (-round(kv[1], 12), kv[0]))
        print(ranking[:5])
        return
    k = 512 if len(nodes) > 20000 else None
    between = nx.betweenness_centrality(g, k=k, seed=1 if k else None)
    articulation = set(nx.articulation_points(g.to_undirected()))
    reach = {n: 0 for n in nodes}
    for t in targets:
        for a in nx.ancestors(g, t):
            reach[a] += 1
    hhi = {}
    for n, gs in groups.items():
        if nodes[n].get("suppliers"):
            hhi[n] = sum((100 * w) ** 2 for _, w in gs[0][0])
    print(f"analysed {len(nodes)} nodes: {len(articulation)} articulation points, "
          f"max impact {max(impact.values(), default=0):.3f}, max betweenness {max(between.values(), default=0):.3f}")


if __name__ == "__main__":
    main()
