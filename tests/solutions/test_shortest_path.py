"""Tests for solutions.shortest_path."""

import random

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
