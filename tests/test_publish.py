"""Publishing cannot leave a mix: a build killed at any step of publishing leaves all old or all
new outputs, the next build cleans up after it, and worker processes die with the build."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from peloton_prep.outputs import OUTPUTS, SITE, VERSIONS, locked, publish, remove_stale, staging_area

# A child that publishes version 1, then version 2 with SIGKILL at the Nth rename or link of the
# second publish (before or after it happens); N = -1 publishes both without a kill.
CHILD = textwrap.dedent("""
    import os, signal, sys
    from pathlib import Path
    from peloton_prep import outputs

    build, kill_at, after = Path(sys.argv[1]), int(sys.argv[2]), sys.argv[3] == "after"

    def publish_version(version, kill_at):
        with outputs.locked(build), outputs.staging_area(build) as staging:
            (staging / outputs.SITE).mkdir()
            (staging / outputs.SITE / "index.html").write_text(version)
            for name in outputs.DOWNLOADS:
                (staging / name).write_text(version)
            calls = [0]
            real_replace = os.replace

            def replace(source, target):
                calls[0] += 1
                if calls[0] == kill_at and not after:
                    os.kill(os.getpid(), signal.SIGKILL)
                real_replace(source, target)
                if calls[0] == kill_at and after:
                    os.kill(os.getpid(), signal.SIGKILL)

            outputs.os.replace = replace
            try:
                outputs.publish(staging, build)
            finally:
                outputs.os.replace = real_replace

    if sys.argv[4] == "first":
        publish_version("2", kill_at)
    else:
        publish_version("1", -1)
        publish_version("2", kill_at)
""")


def versions_seen(build: Path) -> set[str]:
    """The version each output shows; an output that is absent shows "none"."""
    seen = set()
    for name in OUTPUTS:
        path = build / name / "index.html" if name == SITE else build / name
        seen.add(path.read_text() if path.exists() else "none")
    return seen


def run_child(build: Path, kill_at: int, when: str, which: str) -> int:
    result = subprocess.run([sys.executable, "-c", CHILD, str(build), str(kill_at), when, which], check=False)
    return result.returncode


@pytest.mark.parametrize("which", ["first", "second"])
@pytest.mark.parametrize("when", ["before", "after"])
def test_a_kill_at_any_rename_leaves_all_old_or_all_new(tmp_path: Path, which: str, when: str) -> None:
    """SIGKILL at each rename of a publish: every output shows the same version, old or new; the
    next build then publishes cleanly and removes what the killed one left."""
    renames = len(OUTPUTS) + 1 if which == "first" else 1
    for kill_at in range(1, renames + 1):
        build = tmp_path / f"{which}-{when}-{kill_at}"
        assert run_child(build, kill_at, when, which) == -signal.SIGKILL
        old = "none" if which == "first" else "1"
        assert versions_seen(build) in ({old}, {"2"}), (kill_at, versions_seen(build))
        assert run_child(build, -1, when, "second") == 0
        assert versions_seen(build) == {"2"}
        assert len(list((build / VERSIONS).iterdir())) == 1


def test_stale_folders_are_removed_at_start(tmp_path: Path) -> None:
    """Folders left by killed builds (and by the layout before versioned outputs) go at the next start."""
    build = tmp_path / "build"
    (build / VERSIONS / "v-killed").mkdir(parents=True)
    (build / ".staging-old").mkdir()
    (build / ".retired-site").mkdir()
    with locked(build):
        remove_stale(build)
    assert sorted(path.name for path in build.iterdir()) == [VERSIONS]
    assert not any((build / VERSIONS).iterdir())


def test_publishing_one_paper_keeps_the_other(tmp_path: Path) -> None:
    """A build of one paper carries the other paper's files over from the current outputs."""
    build = tmp_path / "build"
    for version, names in (("1", OUTPUTS[1:]), ("2", OUTPUTS[1:3])):
        with locked(build), staging_area(build) as staging:
            for name in names:
                (staging / name).write_text(version)
            publish(staging, build)
    assert [(build / name).read_text() for name in OUTPUTS[1:]] == ["2", "2"] + ["1"] * (len(OUTPUTS) - 3)


def test_workers_die_with_the_build(tmp_path: Path) -> None:
    """A worker process of the PDF stage is killed when its parent is, not left printing."""
    script = textwrap.dedent("""
        import os, sys, time
        from concurrent.futures import ProcessPoolExecutor
        from peloton_prep.build import _die_with_parent
        with ProcessPoolExecutor(1, initializer=_die_with_parent) as pool:
            print(pool.submit(os.getpid).result(), flush=True)
            pool.submit(time.sleep, 60)
            time.sleep(60)
    """)
    parent = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    assert parent.stdout is not None
    worker = int(parent.stdout.readline())
    parent.kill()
    parent.wait()
    for _ in range(50):
        try:
            os.kill(worker, 0)
        except ProcessLookupError:
            return
        subprocess.run(["sleep", "0.1"], check=True)
    pytest.fail(f"worker {worker} outlived its parent")
