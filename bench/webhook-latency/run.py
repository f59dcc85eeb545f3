#!/usr/bin/python3
"""Push-to-commit latency of webhook-driven updates (issue #7).

  run.py BINARY SOURCE_DIR [--pushes 50] [--interval 2m]

Starts the real distribution registry (configured with a `notifications` endpoint pointing at
the updater), a git daemon and `argocd-image-updater run --enable-webhook` with the dir source.
Then, N times: push a new tag of the watched image and measure the time from the moment the
registry accepted the manifest until the updater's commit is on the remote branch. Prints
p50/p99 next to the polling interval the webhook replaces (a pushed tag waits interval/2 on
average and a full interval at worst without webhooks).
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone

HERE = os.path.dirname(os.path.abspath(__file__))

MANIFESTS = """\
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: {{name: web}}
spec:
  source: {{repoURL: "{repo}", path: web, targetRevision: main, helm: {{}}}}
---
apiVersion: argocd-image-updater.argoproj.io/v1alpha1
kind: ImageUpdater
metadata: {{name: bench}}
spec:
  writeBackConfig: {{method: git, gitConfig: {{branch: main, writeBackTarget: helmvalues}}}}
  applicationRefs:
    - namePattern: web
      images:
        - alias: web
          imageName: "{host}/e2e/web"
          manifestTargets: {{helm: {{name: image.repository, tag: image.tag}}}}
"""


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("binary")
    ap.add_argument("source_dir")
    ap.add_argument("--pushes", type=int, default=50)
    ap.add_argument("--interval", default="2m")
    args = ap.parse_args()
    sys.path.insert(0, os.path.join(args.source_dir, "tests", "e2e"))
    sys.path.insert(0, os.path.join(args.source_dir, "scripts", "demo"))
    from push_image import Pusher
    from world import World, free_port, shared_fixtures, git

    fixtures = shared_fixtures(args.source_dir)
    work = tempfile.mkdtemp(prefix="iu-bench-webhook-")
    hook_port = free_port()
    world = World(fixtures, work, MANIFESTS, {"e2e/web": ["1.0.0"]}, hook_port, "bench")
    proc = None
    try:
        log = open(f"{work}/run.log", "w")
        proc = subprocess.Popen(
            world.run_args(args.binary) + [
                "--interval", args.interval, "--enable-webhook", "--disable-tls",
                "--webhook-port", str(hook_port), "--registry-webhook-secret", "bench",
                "--webhook-coalesce-window", "200ms", "--metrics-bind-address", "0",
                "--health-probe-bind-address", "0", "--loglevel", "warn"],
            stdout=log, stderr=log)
        ref = f"{world.bare}/refs/heads/main"

        def tip():
            try:
                with open(ref) as f:
                    return f.read().strip()
            except FileNotFoundError:  # packed: ask git (slower, rare)
                return git("--git-dir", world.bare, "rev-parse", "main").strip()

        pusher = Pusher(world.host, "e2e/web")
        time.sleep(1.0)  # first pass (nothing to do: 1.0.0 is live)
        start = datetime(2026, 2, 1, tzinfo=timezone.utc)
        latencies = []
        for i in range(args.pushes):
            before = tip()
            created = (start + timedelta(minutes=i)).strftime("%Y-%m-%dT%H:%M:%SZ")
            pusher.push(f"1.1.{i}", created)
            t0 = time.monotonic()
            deadline = t0 + 30
            while tip() == before:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise SystemExit(f"push {i}: no commit within 30 s (see {work}/run.log)")
                time.sleep(0.002)
            latencies.append(time.monotonic() - t0)
        values = world.file_at_head("web/values.yaml")
        if f"1.1.{args.pushes - 1}" not in values:
            raise SystemExit("the last pushed tag is not in values.yaml")
    finally:
        if proc:
            proc.terminate()
            proc.wait(timeout=20)
        world.stop()
        if proc and proc.returncode not in (0, None):
            print(open(f"{work}/run.log").read()[-3000:])
        shutil.rmtree(work, ignore_errors=True)

    latencies.sort()
    p50 = statistics.median(latencies)
    p99 = latencies[min(len(latencies) - 1, int(round(0.99 * (len(latencies) - 1))))]
    seconds = {"s": 1, "m": 60, "h": 3600}[args.interval[-1]] * float(args.interval[:-1])
    print(f"webhook push-to-commit latency over {len(latencies)} pushes "
          f"(registry accepted the manifest -> commit on the remote branch):")
    print(f"  p50 {p50 * 1000:7.0f} ms   p99 {p99 * 1000:7.0f} ms   max {latencies[-1] * 1000:7.0f} ms")
    print(f"  polling at --interval {args.interval}: mean wait {seconds / 2:.0f} s, worst {seconds:.0f} s")
    print(f"  ratio p50 / polling mean wait: {p50 / (seconds / 2):.5f} "
          f"({seconds / 2 / p50:.0f}x sooner); p99 target < 1 s: "
          f"{'met' if p99 < 1 else 'NOT met'}")


if __name__ == "__main__":
    main()
