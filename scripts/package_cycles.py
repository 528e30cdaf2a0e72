#!/usr/bin/env python3
"""Fails when the packages of a compiled module import each other in a cycle.

    package_cycles.py CLASSES_DIR [--prefix io.cato]   runs jdeps -verbose:package over CLASSES_DIR
    package_cycles.py --jdeps-output FILE [--prefix P] reads jdeps output saved earlier (or '-' for stdin)

Prints the packages in dependency order when there is no cycle; otherwise prints each cycle
(a strongly connected set of packages and one closed path through it, with the classes behind
each edge when jdeps ran at class level) and exits 1.
"""
import argparse
import os
import re
import shutil
import subprocess
import sys

EDGE = re.compile(r"^\s+(\S+)\s+->\s+(\S+)")


def parse_edges(lines, prefix):
    """Package edges from jdeps -verbose:package or -verbose:class lines, within prefix only."""
    edges = {}
    for line in lines:
        match = EDGE.match(line)
        if not match:
            continue
        source, target = match.groups()
        if not (source.startswith(prefix + ".") and target.startswith(prefix + ".")):
            continue
        # -verbose:class names classes (Capitalised last part): keep their package and the pair for reports
        source_pkg, source_cls = split(source)
        target_pkg, target_cls = split(target)
        if source_pkg != target_pkg:
            edges.setdefault(source_pkg, {}).setdefault(target_pkg, set())
            if source_cls and target_cls:
                edges[source_pkg][target_pkg].add(f"{source_cls} -> {target_cls}")
        else:
            edges.setdefault(source_pkg, {})
    return edges


def split(name):
    head, _, last = name.rpartition(".")
    if last[:1].isupper():
        return head, last
    return name, None


def strongly_connected(graph):
    """Tarjan's algorithm, iterative; returns components in reverse topological order."""
    nodes = set(graph) | {t for targets in graph.values() for t in targets}
    index, low, on_stack, stack, result, counter = {}, {}, set(), [], [], [0]
    for root in sorted(nodes):
        if root in index:
            continue
        work = [(root, iter(sorted(graph.get(root, {}))))]
        index[root] = low[root] = counter[0]
        counter[0] += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            advanced = False
            for child in children:
                if child not in index:
                    index[child] = low[child] = counter[0]
                    counter[0] += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, {})))))
                    advanced = True
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            if advanced:
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                result.append(sorted(component))
    return result


def closed_path(graph, component):
    """One cycle through the component's first package, found by breadth-first search."""
    members = set(component)
    start = component[0]
    previous = {start: None}
    queue = [start]
    while queue:
        node = queue.pop(0)
        for child in sorted(graph.get(node, {})):
            if child not in members:
                continue
            if child == start:
                path = [node]
                while previous[path[-1]] is not None:
                    path.append(previous[path[-1]])
                return list(reversed(path)) + [start]
            if child not in previous:
                previous[child] = node
                queue.append(child)
    return [start, start]


def report(graph, prefix, out=None):
    out = out or sys.stdout
    components = strongly_connected(graph)
    cycles = [c for c in components if len(c) > 1]
    short = lambda p: p[len(prefix) + 1:] if p.startswith(prefix + ".") else p
    if not cycles:
        order = [short(c[0]) for c in components]
        print(f"no package cycles among {len(order)} packages; dependencies first: {' '.join(order)}", file=out)
        return 0
    for cycle in cycles:
        path = closed_path(graph, cycle)
        print(f"package cycle among {len(cycle)} packages: {' '.join(short(p) for p in cycle)}", file=out)
        print(f"  path: {' -> '.join(short(p) for p in path)}", file=out)
        for source, target in zip(path, path[1:]):
            because = sorted(graph[source][target])
            detail = f" ({', '.join(because[:4])}{', ...' if len(because) > 4 else ''})" if because else ""
            print(f"  {short(source)} -> {short(target)}{detail}", file=out)
    return 1


def run_jdeps(classes):
    jdeps = shutil.which("jdeps")
    java_home = os.environ.get("JAVA_HOME")
    if java_home and os.path.exists(os.path.join(java_home, "bin", "jdeps")):
        jdeps = os.path.join(java_home, "bin", "jdeps")
    if not jdeps:
        sys.exit("package_cycles: jdeps not found (set JAVA_HOME to a JDK)")
    done = subprocess.run([jdeps, "-verbose:class", "-filter:none", classes],
                          capture_output=True, text=True, check=False)
    if done.returncode != 0:
        sys.exit(f"package_cycles: jdeps failed: {done.stderr.strip()}")
    return done.stdout.splitlines()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("classes", nargs="?", help="a compiled classes directory")
    parser.add_argument("--jdeps-output", help="jdeps output to read instead of running jdeps ('-': stdin)")
    parser.add_argument("--prefix", default="io.cato")
    args = parser.parse_args(argv)
    if args.jdeps_output:
        source = sys.stdin if args.jdeps_output == "-" else open(args.jdeps_output, encoding="utf-8")
        lines = source.read().splitlines()
    elif args.classes:
        if not os.path.isdir(args.classes):
            sys.exit(f"package_cycles: no classes at {args.classes} (build first)")
        lines = run_jdeps(args.classes)
    else:
        parser.error("give a classes directory or --jdeps-output")
    return report(parse_edges(lines, args.prefix), args.prefix)


if __name__ == "__main__":
    sys.exit(main())
