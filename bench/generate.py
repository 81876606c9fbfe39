#!/usr/bin/env python3
"""Writes a synthetic chokepoint graph of realistic shape, for benchmarks.

Shape: firms (20%) in ~30 jurisdictions feed five tiers of products; each product has a supplier
group of 1-5 members with skewed (Zipf-like) shares and 0-3 inputs from lower tiers, sometimes an
`any` group with a threshold; about 1% of low-tier products take an input from a higher tier, which
makes cycles (tools need chips); about ten targets sit on top. Deterministic for a given seed.

    python3 bench/generate.py --nodes 100000 --seed 1 > /tmp/g100k.yaml

Hostile shapes, for the bounded-work benchmarks and tests (--shape):
    chain       --nodes N: n0 <- n1 <- ... each needing the one before, the last the target
    or-of-and   --suppliers S --inputs K: one target supplied by S firms, each needing K inputs
    star        --nodes N: N suppliers of one product that the target needs
"""
import argparse
import random
import sys

CODES = ["US", "CN", "TW", "KR", "JP", "NL", "DE", "FR", "GB", "IL", "SG", "MY", "IN", "VN", "TH",
         "PH", "CH", "SE", "FI", "IE", "BE", "AT", "IT", "ES", "CA", "MX", "BR", "AU", "SA", "AE"]
KINDS = ["material", "equipment", "process", "foundry", "packaging", "memory", "chip", "eda",
         "power", "cooling", "cloud", "dataset", "model"]


def skewed_shares(rng, k):
    raw = [1.0 / (i + 1) ** 1.2 * rng.uniform(0.7, 1.3) for i in range(k)]
    total = sum(raw)
    shares = [round(x / total, 3) for x in raw]
    shares[0] = round(1.0 - sum(shares[1:]), 3)
    return shares


def chain(w, n):
    w("# a chain of %d nodes (bench/generate.py --shape chain)\nnodes:\n" % n)
    for i in range(n):
        w("  - {id: n%d, kind: material%s%s}\n" % (
            i, ", inputs: [n%d]" % (i - 1) if i else "", ", target: true" if i == n - 1 else ""))


def or_of_and(w, suppliers, inputs):
    w("# %d suppliers x %d inputs (bench/generate.py --shape or-of-and)\nnodes:\n" % (suppliers, inputs))
    for s in range(suppliers):
        for k in range(inputs):
            w("  - {id: in-%d-%d, kind: material}\n" % (s, k))
        w("  - id: s%d\n    kind: firm\n    inputs: [%s]\n" % (s, ", ".join("in-%d-%d" % (s, k) for k in range(inputs))))
    w("  - id: t\n    kind: capability\n    target: true\n    suppliers: [%s]\n" % ", ".join("s%d" % s for s in range(suppliers)))


def star(w, n):
    w("# %d suppliers of one product (bench/generate.py --shape star)\nnodes:\n" % n)
    for i in range(n):
        w("  - {id: f%d, kind: firm}\n" % i)
    w("  - id: p\n    kind: chip\n    suppliers: [%s]\n" % ", ".join("f%d" % i for i in range(n)))
    w("  - {id: t, kind: capability, target: true, inputs: [p]}\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--nodes", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--targets", type=int, default=10)
    ap.add_argument("--shape", choices=["synthetic", "chain", "or-of-and", "star"], default="synthetic")
    ap.add_argument("--suppliers", type=int, default=2)
    ap.add_argument("--inputs", type=int, default=5000)
    ap.add_argument("--timeline-keys", action="store_true",
                    help="also installed bases (lifetime_months), stocks and substitutes with "
                         "inputs on about 5 %% of products each (their own random stream)")
    args = ap.parse_args()
    if args.shape == "chain":
        return chain(sys.stdout.write, args.nodes)
    if args.shape == "or-of-and":
        return or_of_and(sys.stdout.write, args.suppliers, args.inputs)
    if args.shape == "star":
        return star(sys.stdout.write, args.nodes)
    rng = random.Random(args.seed)
    extra = random.Random(args.seed + 1000) if args.timeline_keys else None
    n = args.nodes
    n_targets = min(args.targets, max(1, n // 20))
    n_firms = max(2, n // 5)
    n_products = int((n - n_firms - n_targets) / 1.003)  # leaves room for the cycle tools
    tiers = 5
    out = sys.stdout
    w = out.write
    w("# synthetic chokepoint graph: %d nodes, seed %d (bench/generate.py)\n" % (n, args.seed))
    w("format: 1\nmeta:\n  title: synthetic benchmark graph\n  generator: bench/generate.py\n")
    w("blocs:\n  west: [US, NL, JP, KR, TW, DE, GB, FR]\n  east: [CN]\nnodes:\n")
    firms = []
    for i in range(n_firms):
        fid = "firm-%06d" % i
        code = CODES[min(int(rng.paretovariate(1.1)) - 1, len(CODES) - 1)]
        firms.append(fid)
        w("  - id: %s\n    name: Firm %d Holdings\n    kind: firm\n    jurisdiction: %s\n" % (fid, i, code))
    tier_nodes = [[] for _ in range(tiers)]
    per_tier = max(1, n_products // tiers)
    pending_back_edges = []
    for i in range(n_products):
        tier = min(i // per_tier, tiers - 1)
        pid = "p%d-%06d" % (tier, i)
        kind = KINDS[rng.randrange(len(KINDS))]
        w("  - id: %s\n    name: Product %d (tier %d)\n    kind: %s\n" % (pid, i, tier, kind))
        if rng.random() < 0.3:
            w("    jurisdiction: %s\n" % CODES[rng.randrange(len(CODES))])
        k = min(len(firms), 1 + min(4, int(rng.expovariate(0.8))))
        pool = firms if tier == 0 or rng.random() < 0.7 else tier_nodes[tier - 1] or firms
        members = rng.sample(pool, k) if len(pool) >= k else list(pool)
        shares = skewed_shares(rng, len(members))
        w("    suppliers:\n")
        for m, s in zip(members, shares):
            w("      - {id: %s, share: %.3f}\n" % (m, s))
        lower = [t for t in range(tier) if tier_nodes[t]]
        if lower:
            n_inputs = rng.randint(0, 4)
            inputs = []
            for _ in range(n_inputs):
                t = rng.choice(lower)
                inputs.append(rng.choice(tier_nodes[t]))
            inputs = sorted(set(inputs))
            if tier <= 1 and rng.random() < 0.01:
                inputs.append("tool-%06d" % len(pending_back_edges))
                pending_back_edges.append(pid)
            if inputs:
                w("    inputs:\n")
                for x in inputs:
                    w("      - %s\n" % x)
                if rng.random() < 0.15:
                    t = rng.choice(lower)
                    alts = sorted(set(rng.choice(tier_nodes[t]) for _ in range(3)))
                    w("      - {any: [%s], min_share: 0.3}\n" % ", ".join(alts))
        if rng.random() < 0.2:
            w("    substitution_years: %d\n" % rng.randint(1, 12))
        if extra and extra.random() < 0.05:
            w("    lifetime_months: %d\n" % extra.randint(6, 60))
        if extra and extra.random() < 0.05:
            w("    stock_months: %d\n" % extra.randint(1, 6))
        if extra and lower and extra.random() < 0.05:
            w("    substitutes: [{id: %s, from_month: %d, ramp_months: %d}]\n"
              % (extra.choice(tier_nodes[extra.choice(lower)]), extra.randint(0, 36),
                 extra.randint(0, 24)))
        if rng.random() < 0.1:
            w("    attrs: {export_controlled: true}\n")
        tier_nodes[tier].append(pid)
    # Cycles: a low-tier product needs a tool whose supply includes a top-tier product.
    top = tier_nodes[tiers - 1] or tier_nodes[0]
    for j, pid in enumerate(pending_back_edges):
        w("  - id: tool-%06d\n    kind: equipment\n    suppliers: [%s, %s]\n" % (j, rng.choice(firms), rng.choice(top)))
    targets = []
    for i in range(n_targets):
        tid = "target-%02d" % i
        targets.append(tid)
        picks = sorted(set(rng.choice(top) for _ in range(4)))
        w("  - id: %s\n    kind: capability\n    jurisdiction: %s\n    target: true\n    inputs:\n" % (tid, "US" if i % 2 == 0 else "CN"))
        w("      - any: [%s]\n        min_share: 0.25\n" % ", ".join(picks))
        w("      - %s\n" % rng.choice(top))


if __name__ == "__main__":
    main()
