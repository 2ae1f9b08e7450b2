"""Static builds side by side: ``linernotes build --content`` against Hugo, on the same corpus.

    .venv/bin/python bench/build.py --posts 1000,10000 [--output FILE] [--timeout 1800]
    .venv/bin/python bench/build.py --posts 200          # a quick look

For each size, ``file_corpus.py`` writes the same posts twice, as a Hugo site (with this
bench's layouts and config, build_hugo.py) and in Liner Notes' own layout, then, in one run:

- cold builds: Hugo three times (output deleted; the median), Liner Notes once (its working
  database DIR/.linernotes and its output deleted). Wall time, user+sys CPU time of the whole
  process tree, and its peak memory: the RSS of the process and all its descendants summed,
  every 50 ms, and their PSS (shared pages counted once), sampled less often (Sampler);
- a rebuild after appending a sentence to one post: ``hugo`` again; ``linernotes build
  --content`` again; and with ``linernotes build --content --watch`` running, from writing
  the file to the post's page holding the sentence (polled every 10 ms) and to the watcher's
  "Built" line;
- ``linernotes content sync`` of one changed file, on a database synced from the folder once;
- the start-up of a command that does nothing (``linernotes check``), for comparison.

It ends with a Markdown report: the machine, the share of the CPUs other processes used while
each figure was taken, times, ratios (Liner Notes / Hugo: below 1 means faster), memory and
the files each side wrote.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from statistics import median

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(BENCH))

import build_hugo  # noqa: E402
from build_report import machine, output_files, render  # noqa: E402
from file_corpus import corpus, write_markdown, write_native  # noqa: E402
from harness import FOREIGN_PREFIXES, OtherCpu, free_port  # noqa: E402

LINERNOTES = str(Path(sys.executable).parent / "linernotes")
BASE_URL = "https://blog.example.com"
SAMPLE_SECONDS = 0.05
CPUS = os.cpu_count() or 1
PAGE_KIB = os.sysconf("SC_PAGE_SIZE") // 1024
STATIC_ERROR = "Missing staticfiles manifest entry"


@dataclass
class Run:
    seconds: float
    cpu: float = 0.0
    pss_mib: float = 0.0
    rss_mib: float = 0.0
    others: float = 0.0  # share of the CPUs used by other processes meanwhile
    stdout: str = ""
    note: str = ""

    def line(self, prefix: str) -> str:
        found = [line for line in self.stdout.splitlines() if line.startswith(prefix)]
        return found[-1] if found else ""


@dataclass
class Size:
    posts: int
    rows: dict[str, Run] = field(default_factory=dict)
    files: dict[str, Counter[str]] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)


def tree(root: int) -> list[int]:
    """The process and its descendants, through /proc/<pid>/task/<tid>/children."""
    found, queue = [], [root]
    while queue:
        pid = queue.pop()
        found.append(pid)
        with contextlib.suppress(OSError):
            for task in Path(f"/proc/{pid}/task").iterdir():
                with contextlib.suppress(OSError):
                    queue.extend(int(child) for child in (task / "children").read_text().split())
    return found


def rss_kib(pids: list[int]) -> int:
    """Resident memory summed over ``pids``, from statm (cheap enough to read every 50 ms)."""
    total = 0
    for pid in pids:
        with contextlib.suppress(OSError, IndexError):
            total += int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE_KIB
    return total


def pss_kib(pids: list[int]) -> int:
    """Proportional memory summed over ``pids``: forked workers' shared pages counted once."""
    total = 0
    for pid in pids:
        with contextlib.suppress(OSError):
            for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total += int(line.split()[1])
    return total


class Sampler(threading.Thread):
    """Peaks of the process tree's summed memory: RSS every SAMPLE_SECONDS; PSS as often as
    costs at most 5% of a core (smaps_rollup walks the page tables: 0.1 s for 2 GiB)."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid, self.peak_pss, self.peak_rss = pid, 0, 0
        self.stopped = threading.Event()

    def run(self) -> None:
        next_pss = 0.0
        while not self.stopped.is_set():
            pids = tree(self.pid)
            self.peak_rss = max(self.peak_rss, rss_kib(pids))
            if time.perf_counter() >= next_pss:
                began = time.perf_counter()
                self.peak_pss = max(self.peak_pss, pss_kib(pids))
                next_pss = began + max(0.25, 20 * (time.perf_counter() - began))
            self.stopped.wait(SAMPLE_SECONDS)


def children_cpu() -> float:
    import resource

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def measure(
    command: list[str], env: dict[str, str], log: Path, timeout: float, abort_on: str = ""
) -> Run:
    """Run ``command`` to completion: wall and CPU time, peak memory of its process tree."""
    others, cpu = OtherCpu([os.getpid()]), children_cpu()
    with log.open("w") as out:
        started = time.perf_counter()
        process = subprocess.Popen(
            command, env=env, cwd=log.parent, stdout=out, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
        sampler = Sampler(process.pid)
        sampler.start()
        try:
            while process.poll() is None:
                if time.perf_counter() - started > timeout:
                    stop_group(process)
                    raise SystemExit(f"{command[0]} took over {timeout:.0f} s; log: {log}")
                if abort_on and abort_on in log.read_text(errors="replace"):
                    stop_group(process)  # a failure that would only waste the rest of the run
                    break
                time.sleep(0.5 if abort_on else 0.02)
        finally:
            sampler.stopped.set()
            sampler.join()
        seconds = time.perf_counter() - started
    text = log.read_text(errors="replace")
    if process.returncode:
        raise Failed(f"{' '.join(command)} exited with {process.returncode}", text)
    return Run(
        seconds, children_cpu() - cpu, sampler.peak_pss / 1024, sampler.peak_rss / 1024,
        others.share(), text,
    )  # fmt: skip


class Failed(Exception):
    def __init__(self, what: str, output: str) -> None:
        super().__init__(what)
        self.output = output


def stop_group(process: subprocess.Popen[bytes]) -> None:
    """SIGINT to the process group (the watcher stops as on Ctrl-C), then SIGKILL."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGINT)
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(timeout=15)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()


def ln_env(var_dir: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(FOREIGN_PREFIXES)}
    env.update(LINERNOTES_VAR_DIR=str(var_dir), LINERNOTES_DEBUG="false", **extra)
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return env


def edit(files: list[Path], sentence: str) -> None:
    for file in files:
        with file.open("a", encoding="utf-8") as out:
            out.write(f"\n{sentence}\n")


def startup(env: dict[str, str], log: Path) -> Run:
    """The median of three ``linernotes check``: Python, Django and the settings, no work."""
    runs = [measure([LINERNOTES, "check"], env, log, 120) for _ in range(3)]
    return sorted(runs, key=lambda run: run.seconds)[1]


def hugo_side(size: Size, site: Path, scratch: Path, post: Path, timeout: float) -> None:
    out = scratch / "hugo-out"
    command = build_hugo.build_command(site, out)
    env = dict(os.environ)
    measure(command, env, scratch / "hugo.log", timeout)  # warms the disk cache, untimed
    cold = []
    for _ in range(3):
        shutil.rmtree(out, ignore_errors=True)
        shutil.rmtree(site / "resources", ignore_errors=True)
        cold.append(measure(command, env, scratch / "hugo.log", timeout))
    size.rows["hugo cold"] = sorted(cold, key=lambda run: run.seconds)[1]
    size.files["Hugo"] = output_files(out)
    again = []
    for take in range(3):
        edit([post], f"Edited by the build benchmark, Hugo take {take}.")
        again.append(measure(command, env, scratch / "hugo.log", timeout))
    size.rows["hugo rebuild"] = sorted(again, key=lambda run: run.seconds)[1]


def ln_cold(size: Size, content: Path, out: Path, scratch: Path, timeout: float) -> None:
    """A build from nothing; if it fails for want of collected static files (the build
    collects them after rendering), once more with them collected beforehand, noted."""
    command = [LINERNOTES, "build", str(out), "--content", str(content), "--base-url", BASE_URL]
    env = ln_env(scratch / "var")
    shutil.rmtree(content / ".linernotes", ignore_errors=True)
    try:
        size.rows["ln cold"] = measure(command, env, scratch / "ln-cold.log", timeout, STATIC_ERROR)
        return
    except Failed as failure:
        error = [line for line in failure.output.splitlines() if STATIC_ERROR in line]
        size.problems.append(f"cold `linernotes build --content` failed: {error[:1]}")
        if STATIC_ERROR not in failure.output:
            raise SystemExit(f"{failure}:\n{failure.output[-4000:]}") from None
    shutil.rmtree(content / ".linernotes", ignore_errors=True)
    shutil.rmtree(out, ignore_errors=True)
    cache = content / ".linernotes"
    static_env = ln_env(cache, DATABASE_URL=f"sqlite:///{cache / 'content.sqlite3'}")
    subprocess.run(
        [LINERNOTES, "collectstatic", "--noinput", "-v", "0"], env=static_env, check=True
    )
    (cache / "content.sqlite3").unlink(missing_ok=True)
    size.rows["ln cold"] = measure(command, env, scratch / "ln-cold.log", timeout)
    size.rows["ln cold"].note = "static files collected into DIR/.linernotes beforehand"


def ln_watch(size: Size, content: Path, out: Path, scratch: Path, post: Path, page: Path) -> None:
    """Edits with ``build --watch`` running: to the page holding the sentence, to "Built"."""
    port = free_port()
    command = [LINERNOTES, "build", str(out), "--content", str(content), "--base-url", BASE_URL]
    command += ["--watch", "--port", str(port)]
    lines: list[tuple[float, str]] = []
    watcher = subprocess.Popen(
        command, env=ln_env(scratch / "var"), cwd=scratch, stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT, text=True, start_new_session=True,
    )  # fmt: skip

    def read() -> None:
        assert watcher.stdout is not None
        for line in watcher.stdout:
            lines.append((time.perf_counter(), line.rstrip()))

    threading.Thread(target=read, daemon=True).start()
    try:
        wait_for(lambda: any("Serving" in line for _, line in lines), 900, watcher, lines)
        to_page, to_report, reported, idle = [], [], [], 0
        for take in range(3):
            time.sleep(2)
            sentence = f"Edited by the build benchmark, watch take {take}."
            seen, others = len(lines), WatchCpu(watcher.pid)
            started = time.perf_counter()
            edit([post], sentence)
            while sentence.encode() not in page.read_bytes():
                if time.perf_counter() - started > 300:
                    raise SystemExit(f"the watcher did not rewrite {page} within 300 s")
                time.sleep(0.01)
            to_page.append(time.perf_counter() - started)
            # The first Built line that wrote something: builds that found nothing to do (an
            # event before the file's new bytes were seen) are counted, not taken.
            wait_for(partial(built_since, lines, seen), 300, watcher, lines)
            when, line = next((w, x) for w, x in lines[seen:] if wrote(x))
            idle += sum(1 for _, x in lines[seen:] if x.startswith("Built") and not wrote(x))
            to_report.append(when - started)
            reported.append(line)
            size.rows["watch others"] = Run(0, others=others.share())
        size.rows["watch page"] = Run(median(to_page), others=size.rows["watch others"].others)
        size.rows["watch report"] = Run(median(to_report), stdout="\n".join(reported))
        size.rows["watch report"].others = size.rows["watch page"].others
        size.rows["watch page"].note = ", ".join(f"{s:.2f}" for s in to_page)
        size.rows["watch report"].note = ", ".join(f"{s:.2f}" for s in to_report)
        if idle:
            size.problems.append(f"--watch: {idle} builds after an edit found nothing to do")
        times = [line for _, line in lines if line.startswith("Time:")]
        size.rows["watch report"].stdout += "\n" + "\n".join(times)
    finally:
        stop_group(watcher)  # type: ignore[arg-type]
        log = "\n".join(f"{when:.2f} {line}" for when, line in lines)
        (scratch / "watch.log").write_text(log, encoding="utf-8")


def _ticks(pid: int) -> int:
    """A process's CPU ticks, with those of its children it waited for."""
    with contextlib.suppress(OSError):
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return sum(int(value) for value in fields[11:15])
    return 0


class WatchCpu:
    """Others' share of the CPUs while the watcher (not a child this process waits for)
    works: the machine's busy ticks less the watcher's tree's and this process's."""

    def __init__(self, watcher: int) -> None:
        self.watcher, self.began = watcher, time.monotonic()
        self.start = (_busy(), self.ours())

    def ours(self) -> int:
        return sum(_ticks(pid) for pid in tree(self.watcher)) + _ticks(os.getpid())

    def share(self) -> float:
        capacity = (time.monotonic() - self.began) * os.sysconf("SC_CLK_TCK") * CPUS
        used = _busy() - self.start[0] - (self.ours() - self.start[1])
        return max(0.0, used / capacity) if capacity else 0.0


def _busy() -> int:
    values = [int(value) for value in Path("/proc/stat").read_text().split("\n")[0].split()[1:9]]
    return sum(values) - values[3] - values[4]


def wrote(line: str) -> bool:
    return line.startswith("Built") and " 0 written" not in line


def built_since(lines: list[tuple[float, str]], seen: int) -> bool:
    return any(wrote(line) for _, line in lines[seen:])


def wait_for(done: object, seconds: float, process: subprocess.Popen[str], lines: list) -> None:
    deadline = time.perf_counter() + seconds
    while not done():  # type: ignore[operator]
        if process.poll() is not None or time.perf_counter() > deadline:
            tail = "\n".join(line for _, line in lines[-30:])
            raise SystemExit(f"the watcher stopped or stalled:\n{tail}")
        time.sleep(0.01)


def ln_sync(size: Size, content: Path, scratch: Path, post: Path, timeout: float) -> None:
    var = scratch / "sync-var"
    env = ln_env(var, LINERNOTES_CONTENT_DIR=str(content))
    subprocess.run([LINERNOTES, "migrate", "-v", "0"], env=env, check=True)
    size.rows["sync first"] = measure(
        [LINERNOTES, "content", "sync"], env, scratch / "sync.log", timeout
    )
    edit([post], "Edited by the build benchmark, sync take.")
    size.rows["sync one"] = measure([LINERNOTES, "content", "sync"], env, scratch / "sync.log", 600)
    size.rows["startup"] = startup(env, scratch / "check.log")


def measure_size(posts: int, scratch: Path, timeout: float) -> Size:
    size = Size(posts)
    site, content = scratch / "hugo-site", scratch / "content"
    write_markdown(site, posts)
    build_hugo.prepare_site(site, BASE_URL)
    write_native(content, posts)
    chosen = list(corpus(posts))[posts // 2]
    month = f"{chosen.date:%Y}/{chosen.date:%m}"
    hugo_post = site / "content" / "posts" / f"{chosen.slug}.md"
    ln_post = content / "posts" / month / f"{chosen.slug}.md"
    out = scratch / "ln-out"
    hugo_side(size, site, scratch, hugo_post, timeout)
    ln_cold(size, content, out, scratch, timeout)
    size.files["Liner Notes"] = output_files(out)
    edit([ln_post], "Edited by the build benchmark, Liner Notes take.")
    command = [LINERNOTES, "build", str(out), "--content", str(content), "--base-url", BASE_URL]
    size.rows["ln rebuild"] = measure(command, ln_env(scratch / "var"), scratch / "ln.log", timeout)
    if "Built (full)" in size.rows["ln rebuild"].stdout:
        # The build's code fingerprint covers the package's files: edited meanwhile, it
        # rebuilds everything. Once more, so the row is the incremental rebuild it means.
        size.problems.append(f"first rebuild was full: `{size.rows['ln rebuild'].line('Built')}`")
        edit([ln_post], "Edited by the build benchmark, Liner Notes take 2.")
        size.rows["ln rebuild"] = measure(
            command, ln_env(scratch / "var"), scratch / "ln.log", timeout
        )
    page = out / month / chosen.slug / "index.html"
    ln_watch(size, content, out, scratch, ln_post, page)
    ln_sync(size, content, scratch, ln_post, timeout)
    return size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--posts", default="1000,10000", help="corpus sizes (1000,10000)")
    parser.add_argument("--output", type=Path, help="write the report here as well")
    parser.add_argument("--timeout", type=float, default=1800, help="seconds per build (1800)")
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it")
    options = parser.parse_args()
    header = machine(build_hugo.hugo_version())
    sizes = []
    for posts in (int(value) for value in options.posts.split(",")):
        with contextlib.ExitStack() as stack:
            if options.keep:
                scratch = options.keep / str(posts)
                shutil.rmtree(scratch, ignore_errors=True)
                scratch.mkdir(parents=True)
            else:
                scratch = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="ln-b-")))
            print(f"{posts:,} posts in {scratch}", file=sys.stderr, flush=True)
            sizes.append(measure_size(posts, scratch, options.timeout))
    text = render(sizes, header)
    print(text)
    if options.output:
        options.output.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
