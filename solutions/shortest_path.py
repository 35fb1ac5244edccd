"""Degrees of separation in an unweighted social graph.

The graph is an adjacency mapping ``user -> iterable of neighbours``. For a
"friends" graph it is symmetric; for a "follows" graph it is directed and the
bidirectional search needs the reverse mapping as well.

Unweighted edges mean breadth-first search is optimal: BFS reaches nodes in
order of hop count, so the first time it sees the target it has a shortest
path. Dijkstra would add a log factor for nothing.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Collection, Mapping

Graph = Mapping[str, Collection[str]]


def _walk_back(parent: Mapping[str, str | None], node: str) -> list[str]:
    """Follow parent links from ``node`` to the root; root comes last."""
    path = [node]
    while (step := parent[path[-1]]) is not None:
        path.append(step)
    return path


def shortest_path(graph: Graph, src: str, dst: str) -> list[str] | None:
    """Return a shortest path ``[src, ..., dst]`` or None if unreachable.

    Time O(V + E), space O(V) for the parent map and queue.
    Edge cases: ``src == dst`` gives ``[src]``; an unknown ``src`` (not a key
    of ``graph``) gives None; nodes that appear only as neighbours are leaves.
    """
    if src not in graph:
        return None
    parent: dict[str, str | None] = {src: None}
    queue = deque([src])
    while queue:
        node = queue.popleft()
        if node == dst:
            return _walk_back(parent, node)[::-1]
        for nxt in graph.get(node, ()):
            if nxt not in parent:
                parent[nxt] = node
                queue.append(nxt)
    return None


def degrees_of_separation(graph: Graph, src: str, dst: str) -> int | None:
    """Return the hop count between two users, or None if not connected."""
    path = shortest_path(graph, src, dst)
    return None if path is None else len(path) - 1


def bidirectional_shortest_path(
    graph: Graph, src: str, dst: str, reverse: Graph | None = None
) -> list[str] | None:
    """Shortest path by searching from both ends until the searches meet.

    With branching factor b and distance d, plain BFS touches about b**d
    nodes; two searches of depth d/2 touch about 2 * b**(d/2). Worst case is
    still O(V + E). ``reverse`` maps each node to its in-neighbours; leave it
    None for an undirected (symmetric) graph. Both ends must be keys of their
    adjacency mapping, otherwise the result is None.

    Each round expands one whole level of the side with fewer frontier nodes.
    The first node found that the other side has already seen closes a
    shortest path: the two visited sets were disjoint before this level, so
    no shorter path can exist. (Bidirectional Dijkstra has no such shortcut.)
    """
    return _meet_in_middle(graph, src, dst, reverse, lambda adj, front: len(front))


def degree_aware_shortest_path(
    graph: Graph, src: str, dst: str, reverse: Graph | None = None
) -> list[str] | None:
    """Bidirectional BFS that expands the side whose next level is cheaper.

    Counting frontier *nodes* is misleading in a social graph: one celebrity
    on a frontier of two costs millions of edge visits. This variant compares
    the sum of the frontier nodes' degrees, which is exactly the number of
    edges the next expansion will read, and expands the cheaper side. Same
    result and worst case as ``bidirectional_shortest_path``; the saving is
    in practice, on skewed degree distributions. Each frontier's degree sum
    is computed once, when the frontier is built, so the bookkeeping adds
    O(V) in total and the worst case stays O(V + E).
    """
    return _meet_in_middle(
        graph, src, dst, reverse, lambda adj, front: sum(len(adj.get(n, ())) for n in front)
    )


def _meet_in_middle(
    graph: Graph,
    src: str,
    dst: str,
    reverse: Graph | None,
    cost: Callable[[Graph, list[str]], int],
) -> list[str] | None:
    back_graph = graph if reverse is None else reverse
    if src not in graph or dst not in back_graph:
        return None  # the search must be able to expand from both ends
    if src == dst:
        return [src]
    fwd: dict[str, str | None] = {src: None}
    bwd: dict[str, str | None] = {dst: None}
    fwd_front, bwd_front = [src], [dst]
    fwd_cost, bwd_cost = cost(graph, fwd_front), cost(back_graph, bwd_front)
    while fwd_front and bwd_front:
        forward = fwd_cost <= bwd_cost
        adj, seen, other = (graph, fwd, bwd) if forward else (back_graph, bwd, fwd)
        nxt_front: list[str] = []
        for node in fwd_front if forward else bwd_front:
            for nxt in adj.get(node, ()):
                if nxt in seen:
                    continue
                seen[nxt] = node
                if nxt in other:
                    return _walk_back(fwd, nxt)[::-1] + _walk_back(bwd, nxt)[1:]
                nxt_front.append(nxt)
        if forward:
            fwd_front, fwd_cost = nxt_front, cost(graph, nxt_front)
        else:
            bwd_front, bwd_cost = nxt_front, cost(back_graph, nxt_front)
    return None
