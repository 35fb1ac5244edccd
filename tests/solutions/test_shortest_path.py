"""Tests for solutions.shortest_path."""

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from solutions import shortest_path

FRIENDS = {
    "ann": ["bob", "cat"],
    "bob": ["ann", "dan"],
    "cat": ["ann", "dan"],
    "dan": ["bob", "cat", "eve"],
    "eve": ["dan"],
    "zed": ["yan"],  # a separate component
    "yan": ["zed"],
}


def _is_walk(graph: dict[str, list[str]], path: list[str]) -> bool:
    """Every consecutive pair in ``path`` is an edge of ``graph``."""
    return all(b in graph.get(a, []) for a, b in zip(path, path[1:], strict=False))


def test_finds_a_shortest_path() -> None:
    """The path has the minimum number of hops and uses real edges."""
    path = shortest_path.shortest_path(FRIENDS, "ann", "eve")
    assert path is not None and path[0] == "ann" and path[-1] == "eve"
    assert len(path) == 4 and _is_walk(FRIENDS, path)
    assert shortest_path.degrees_of_separation(FRIENDS, "ann", "eve") == 3


def test_same_user_is_zero_hops() -> None:
    """A user is zero degrees from themself."""
    assert shortest_path.shortest_path(FRIENDS, "bob", "bob") == ["bob"]
    assert shortest_path.degrees_of_separation(FRIENDS, "bob", "bob") == 0
    assert shortest_path.bidirectional_shortest_path(FRIENDS, "bob", "bob") == ["bob"]


def test_disconnected_components() -> None:
    """Users in different components have no path."""
    assert shortest_path.shortest_path(FRIENDS, "ann", "zed") is None
    assert shortest_path.degrees_of_separation(FRIENDS, "ann", "zed") is None
    assert shortest_path.bidirectional_shortest_path(FRIENDS, "ann", "zed") is None


def test_unknown_users() -> None:
    """A user missing from the graph is unreachable, not an error."""
    assert shortest_path.shortest_path(FRIENDS, "ghost", "ann") is None
    assert shortest_path.shortest_path(FRIENDS, "ann", "ghost") is None
    assert shortest_path.bidirectional_shortest_path(FRIENDS, "ghost", "ann") is None
    assert shortest_path.bidirectional_shortest_path(FRIENDS, "ann", "ghost") is None


def test_empty_graph() -> None:
    """An empty graph has no paths at all."""
    assert shortest_path.shortest_path({}, "a", "b") is None
    assert shortest_path.bidirectional_shortest_path({}, "a", "a") is None


def test_directed_graph_respects_direction() -> None:
    """In a follows graph a path exists one way only."""
    follows = {"a": ["b"], "b": ["c"], "c": []}
    reverse = {"a": [], "b": ["a"], "c": ["b"]}
    assert shortest_path.shortest_path(follows, "a", "c") == ["a", "b", "c"]
    assert shortest_path.shortest_path(follows, "c", "a") is None
    assert shortest_path.bidirectional_shortest_path(follows, "a", "c", reverse) == [
        "a",
        "b",
        "c",
    ]
    assert shortest_path.bidirectional_shortest_path(follows, "c", "a", reverse) is None


def test_bidirectional_uneven_fan_out() -> None:
    """A hub on one side makes the search grow from the other side and still meet."""
    graph: dict[str, list[str]] = {"s": ["m"], "m": ["s", "t"], "t": ["m"]}
    for i in range(50):  # t is a celebrity with many friends
        graph["t"].append(f"f{i}")
        graph[f"f{i}"] = ["t"]
    assert shortest_path.bidirectional_shortest_path(graph, "s", "t") == [
        "s",
        "m",
        "t",
    ]
    assert shortest_path.bidirectional_shortest_path(graph, "f3", "s") == [
        "f3",
        "t",
        "m",
        "s",
    ]


def _random_graph(rng: random.Random, n: int, edges: int) -> dict[str, list[str]]:
    """Build a random undirected graph as symmetric adjacency lists."""
    graph: dict[str, list[str]] = {str(i): [] for i in range(n)}
    for _ in range(edges):
        a, b = str(rng.randrange(n)), str(rng.randrange(n))
        if a != b and b not in graph[a]:
            graph[a].append(b)
            graph[b].append(a)
    return graph


def test_bidirectional_agrees_with_bfs_on_random_graphs() -> None:
    """Both searches return valid paths of equal length on random graphs."""
    rng = random.Random(42)
    for _ in range(60):
        graph = _random_graph(rng, n=40, edges=rng.randint(20, 90))
        src, dst = str(rng.randrange(40)), str(rng.randrange(40))
        one = shortest_path.shortest_path(graph, src, dst)
        two = shortest_path.bidirectional_shortest_path(graph, src, dst)
        assert (one is None) == (two is None)
        if one is not None and two is not None:
            assert len(one) == len(two)
            assert two[0] == src and two[-1] == dst and _is_walk(graph, two)


def test_bidirectional_directed_random_graphs() -> None:
    """With a reverse map the directed search matches plain BFS lengths."""
    rng = random.Random(9)
    for _ in range(60):
        n = 30
        graph: dict[str, list[str]] = {str(i): [] for i in range(n)}
        reverse: dict[str, list[str]] = {str(i): [] for i in range(n)}
        for _ in range(rng.randint(20, 80)):
            a, b = str(rng.randrange(n)), str(rng.randrange(n))
            if a != b and b not in graph[a]:
                graph[a].append(b)
                reverse[b].append(a)
        src, dst = str(rng.randrange(n)), str(rng.randrange(n))
        one = shortest_path.shortest_path(graph, src, dst)
        two = shortest_path.bidirectional_shortest_path(graph, src, dst, reverse)
        assert (one is None) == (two is None)
        if one is not None and two is not None:
            assert len(one) == len(two) and _is_walk(graph, two)


# ---- follow-up: degree-aware search, and properties against a brute-force oracle ----------

class _Counted(list[str]):
    """An adjacency list that counts how many edges a search reads from it."""

    reads = 0

    def __iter__(self):  # type: ignore[no-untyped-def]
        for item in super().__iter__():
            _Counted.reads += 1
            yield item


def _hub_graph() -> dict[str, _Counted]:
    """s - h - m - x - t, where h is a celebrity with 1000 other friends."""
    edges = [("s", "h"), ("h", "m"), ("m", "x"), ("x", "t"), ("y", "t")]
    edges += [("h", f"f{i}") for i in range(1000)]
    graph: dict[str, _Counted] = {}
    for a, b in edges:
        graph.setdefault(a, _Counted()).append(b)
        graph.setdefault(b, _Counted()).append(a)
    return graph


def test_degree_aware_avoids_expanding_the_hub() -> None:
    """Same path, but the degree-aware search reads far fewer edges than the node-count rule."""
    graph = _hub_graph()
    _Counted.reads = 0
    plain = shortest_path.bidirectional_shortest_path(graph, "s", "t")
    plain_reads = _Counted.reads
    _Counted.reads = 0
    aware = shortest_path.degree_aware_shortest_path(graph, "s", "t")
    assert plain == aware == ["s", "h", "m", "x", "t"]
    assert plain_reads > 1000 and _Counted.reads < 20


def test_degree_aware_edge_cases() -> None:
    """Same user, unknown user and an empty graph behave like the other searches."""
    assert shortest_path.degree_aware_shortest_path(FRIENDS, "ann", "ann") == ["ann"]
    assert shortest_path.degree_aware_shortest_path(FRIENDS, "ann", "ghost") is None
    assert shortest_path.degree_aware_shortest_path(FRIENDS, "ann", "zed") is None
    assert shortest_path.degree_aware_shortest_path({}, "a", "a") is None


def _oracle_distance(graph: dict[str, list[str]], src: str, dst: str) -> int | None:
    """Grow the set reachable in at most d hops until it stops growing: no queue, no parents."""
    if src not in graph:
        return None
    reach, d = {src}, 0
    while dst not in reach:
        grown = reach | {b for a in reach for b in graph.get(a, [])}
        if grown == reach:
            return None
        reach, d = grown, d + 1
    return d


NODES = [str(i) for i in range(8)]
EDGES = st.lists(st.tuples(st.sampled_from(NODES), st.sampled_from(NODES)), max_size=20)


@settings(max_examples=80, deadline=None)
@given(EDGES, st.sampled_from(NODES), st.sampled_from(NODES), st.booleans(), st.integers(0, 8))
def test_all_searches_match_oracle(
    edges: list[tuple[str, str]], src: str, dst: str, directed: bool, present: int
) -> None:
    """Every search finds a real walk of the oracle's length, on graphs with self-loops,
    duplicate edges, isolated and missing nodes, directed or not."""
    graph: dict[str, list[str]] = {n: [] for n in NODES[:present]}
    reverse: dict[str, list[str]] = {n: [] for n in NODES[:present]}
    for a, b in edges:
        graph.setdefault(a, []).append(b)
        reverse.setdefault(b, []).append(a)
        if not directed:
            graph.setdefault(b, []).append(a)
    back = reverse if directed else None
    want = _oracle_distance(graph, src, dst)
    if want is not None and dst not in (reverse if directed else graph):
        want = None  # the bidirectional searches need dst to be a key; plain BFS does not
        assert shortest_path.degrees_of_separation(graph, src, dst) is not None
    for path in (
        shortest_path.bidirectional_shortest_path(graph, src, dst, back),
        shortest_path.degree_aware_shortest_path(graph, src, dst, back),
    ):
        assert (path is None) == (want is None)
        if path is not None:
            assert len(path) - 1 == want and path[0] == src and path[-1] == dst and _is_walk(graph, path)
    plain = shortest_path.shortest_path(graph, src, dst)
    if plain is not None:
        assert len(plain) - 1 == _oracle_distance(graph, src, dst) and _is_walk(graph, plain)
    else:
        assert _oracle_distance(graph, src, dst) is None
