#!/usr/bin/python3
"""End-to-end tests of `argocd-image-updater run` with the dir source, against the real
distribution registry and git server from ../shared/fixtures (127.0.0.1 only).

  e2e_test.py BINARY SOURCE_DIR once      single pass: Helm + Kustomize apps, one batched commit
  e2e_test.py BINARY SOURCE_DIR webhook   continuous run; the registry's own notifications
                                          trigger a commit without waiting for the interval;
                                          /metrics parsed with prometheus_client
  e2e_test.py BINARY SOURCE_DIR argocd_dir
                                          method argocd with the dir source: the Application
                                          documents edited inside their manifest file, byte for
                                          byte but the new tags; dry run and no-op passes

Exits non-zero with a message on the first failed check.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

from prometheus_client.parser import text_string_to_metric_families

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from world import World, check, free_port, shared_fixtures  # noqa: E402

BINARY, SOURCE_DIR, SCENARIO = sys.argv[1], sys.argv[2], sys.argv[3]
FIXTURES = shared_fixtures(SOURCE_DIR)
IMAGES = {"e2e/web": ["1.0.0", "1.1.0", "1.2.0", "2.0.0"],
          "e2e/api": ["0.9.0", "1.0.0", "1.0.1-debug"],
          "e2e/other": ["5.0.0"]}


MANIFESTS = """\
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: {{name: web}}
spec:
  source: {{repoURL: "{repo}", path: web, targetRevision: main, helm: {{}}}}
---
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: {{name: api}}
spec:
  source: {{repoURL: "{repo}", path: api, targetRevision: main, kustomize: {{}}}}
---
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: {{name: broken}}
spec:
  source: {{repoURL: "{repo}", path: api, targetRevision: main, kustomize: {{}}}}
---
apiVersion: argocd-image-updater.argoproj.io/v1alpha1
kind: ImageUpdater
metadata: {{name: e2e}}
spec:
  commonUpdateSettings: {{ignoreTags: ["*-debug"]}}
  writeBackConfig: {{method: git, gitConfig: {{branch: main}}}}
  applicationRefs:
    - namePattern: web
      writeBackConfig: {{method: git, gitConfig: {{writeBackTarget: helmvalues}}}}
      images:
        - alias: web
          imageName: "{host}/e2e/web:~1"
          manifestTargets: {{helm: {{name: image.repository, tag: image.tag}}}}
    - namePattern: api
      writeBackConfig: {{method: git, gitConfig: {{writeBackTarget: kustomization}}}}
      images:
        - alias: api
          imageName: "{host}/e2e/api"
    - namePattern: broken
      images:
        - alias: bad
          imageName: "{host}/e2e/other"
          commonUpdateSettings: {{allowTags: "regexp:(unclosed"}}
"""


def scenario_once(world):
    before = world.commits()
    p = subprocess.run(world.run_args(BINARY) + ["--once", "--report", f"{world.work}/report.json"],
                       text=True, capture_output=True, timeout=120)
    log = p.stderr
    print(log[-3000:])
    check(p.returncode == 1, "a pass with a configuration error exits 1")
    check("spec.applicationRefs[2].images[0]" in log and "allowTags" in log,
          "the bad regexp is reported naming the CR field")
    check(world.commits() == before + 1, "one batched commit for both applications")
    check("tag: '1.2.0' # live" in world.file_at_head("web/values.yaml"),
          "Helm values: tag 1.2.0 (constraint ~1), comment kept")
    check("newTag: 1.0.0" in world.file_at_head("api/kustomization.yaml"),
          "Kustomize: newTag 1.0.0 (1.0.1-debug ignored)")
    check("Queuing 1 parameter update(s) for application web (git write pending)" in log,
          "the queue log line of the seed")
    report = json.load(open(f"{world.work}/report.json"))
    check(report["summary"]["images_updated"] == 2, "report: 2 images updated")
    head = world.head()
    p = subprocess.run(world.run_args(BINARY) + ["--once"], text=True, capture_output=True, timeout=120)
    check(world.head() == head, "second pass: nothing changed, no commit")


ARGOCD_MANIFESTS = """\
# Applications written back with method argocd: edited in place in this file
apiVersion: v1
kind: ConfigMap
metadata: {{name: unrelated}}
data: {{tag: "1.0.0"}}
---
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: web        # Helm, single source
spec:
  project: default
  source:
    repoURL: "{repo}"
    path: web
    targetRevision: main
    helm:
      parameters:
        - name: image.repository
          value: {host}/e2e/web
          forceString: true
        - name: image.tag
          value: "1.0.0"   # live
          forceString: true
---
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: api
  namespace: argocd
spec:
  sources:
    - {{repoURL: "{repo}", path: base}}
    - repoURL: "{repo}"
      path: api
      kustomize:
        images:
          - '{host}/e2e/api:0.9.0'
---
apiVersion: argocd-image-updater.argoproj.io/v1alpha1
kind: ImageUpdater
metadata: {{name: e2e}}
spec:
  commonUpdateSettings: {{ignoreTags: ["*-debug"]}}
  applicationRefs:
    - namePattern: web
      images:
        - alias: web
          imageName: "{host}/e2e/web:~1"
          manifestTargets: {{helm: {{name: image.repository, tag: image.tag}}}}
    - namePattern: api
      images:
        - alias: api
          imageName: "{host}/e2e/api"
"""


def scenario_argocd_dir(world):
    apps = f"{world.work}/manifests/apps.yaml"
    original = open(apps).read()
    commits = world.commits()
    run = world.run_args(BINARY) + ["--once", "--report", f"{world.work}/report.json"]

    p = subprocess.run(run + ["--dry-run"], text=True, capture_output=True, timeout=120)
    print(p.stderr[-2000:])
    check(p.returncode == 0, "dry run exits 0")
    check(open(apps).read() == original, "dry run: the manifest file is untouched")
    report = json.load(open(f"{world.work}/report.json"))
    check(report["summary"]["images_updated"] == 0, "dry run: no image counted as updated")

    p = subprocess.run(run, text=True, capture_output=True, timeout=120)
    print(p.stderr[-3000:])
    check(p.returncode == 0, "the pass exits 0")
    expected = original.replace('value: "1.0.0"   # live', 'value: "1.2.0"   # live')
    expected = expected.replace("e2e/api:0.9.0'", "e2e/api:1.0.0'")
    check(expected != original, "the test expects two edits")
    check(open(apps).read() == expected,
          "only the two tags changed in the file (comments, quotes, other documents kept)")
    check(sorted(os.listdir(f"{world.work}/manifests")) == ["apps.yaml"],
          "no temporary file left next to the manifest")
    report = json.load(open(f"{world.work}/report.json"))
    check(report["summary"]["images_updated"] == 2, "report: 2 images updated")
    check(world.commits() == commits, "method argocd makes no git commit")

    inode = os.stat(apps).st_ino
    p = subprocess.run(run, text=True, capture_output=True, timeout=120)
    check(p.returncode == 0, "second pass exits 0")
    check(os.stat(apps).st_ino == inode and open(apps).read() == expected,
          "second pass: live versions read from the file, nothing to write, file not replaced")
    report = json.load(open(f"{world.work}/report.json"))
    check(report["summary"]["images_updated"] == 0, "second pass: nothing updated")


def scrape(port):
    text = urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5).read().decode()
    samples = {}
    for fam in text_string_to_metric_families(text):
        for s in fam.samples:
            samples[(s.name, tuple(sorted(s.labels.items())))] = s.value
    return samples


def total(samples, name, **labels):
    return sum(v for (n, lab), v in samples.items()
               if n == name and all(dict(lab).get(k) == val for k, val in labels.items()))


def answers_200(url):
    """True when GET url answers 200 within a second (False while the server is not up)."""
    try:
        return urllib.request.urlopen(url, timeout=1).status == 200
    except OSError:
        return False


def wait_until(what, cond, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if cond():
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


def post(port, body, headers):
    req = urllib.request.Request(f"http://127.0.0.1:{port}/webhook?type=registry",
                                 data=body.encode(), headers=headers, method="POST")
    try:
        return urllib.request.urlopen(req, timeout=5).status
    except urllib.error.HTTPError as e:
        return e.code


def scenario_webhook(world, hook_port):
    metrics_port, health_port = free_port(), free_port()
    args = world.run_args(BINARY) + [
        "--interval", "10m", "--enable-webhook", "--disable-tls",
        "--webhook-port", str(hook_port), "--registry-webhook-secret", "e2e-secret",
        "--webhook-coalesce-window", "500ms",
        "--metrics-bind-address", f"127.0.0.1:{metrics_port}", "--metrics-secure=false",
        "--health-probe-bind-address", f"127.0.0.1:{health_port}",
        # Without API access (dir source) there are no shard Leases: this replica processes
        # every event itself and hands nothing over (SPEC §12.4).
        "--shard-count", "2"]
    log_path = f"{world.work}/run.log"
    with open(log_path, "w") as log:
        proc = subprocess.Popen(args, stdout=log, stderr=log)
    try:
        wait_until("readiness after the first pass",
                   lambda: answers_200(f"http://127.0.0.1:{health_port}/readyz"), 60)
        first = world.commits()
        m0 = scrape(metrics_port)
        check(total(m0, "argocd_image_updater_images_updated_total") == 2,
              "metrics: 2 images updated by the first pass")
        check(total(m0, "argocd_image_updater_images_errors_total") >= 1,
              "metrics: the broken application counted as an error")
        # Unauthenticated and malformed requests never reach the engine.
        check(post(hook_port, '{"events":[]}', {}) == 401, "webhook without secret: 401")
        check(post(hook_port, '{"events":[{"action":"push"}]}',
                   {"Authorization": "Bearer e2e-secret"}) == 400, "malformed event: 400")
        # A push: the registry notifies the updater, which commits at once.
        pushed_at = time.monotonic()
        world.push("e2e/web", "1.3.0")
        wait_until("the webhook-triggered commit",
                   lambda: "1.3.0" in world.file_at_head("web/values.yaml"), 20)
        print(f"push-to-commit: {time.monotonic() - pushed_at:.2f}s (interval is 10m)")
        check(world.commits() == first + 1, "one new commit")
        check("newTag: 1.0.0" in world.file_at_head("api/kustomization.yaml"),
              "the other application is left alone")
        # The commit lands before the pass tallies its metrics: wait for the tally.
        wait_until("the webhook pass's metrics", lambda: total(
            scrape(metrics_port), "argocd_image_updater_images_updated_total") >= 3, 10)
        time.sleep(0.3)
        m1 = scrape(metrics_port)
        check(total(m1, "argocd_image_updater_images_updated_total") == 3,
              "metrics: images_updated_total moved by exactly 1")
        check(total(m1, "argocd_image_updater_webhook_requests_total", type="registry",
                    code="401") == 1, "metrics: one 401 webhook request")
        check(total(m1, "argocd_image_updater_webhook_requests_total", type="registry",
                    code="400") == 1, "metrics: one 400 webhook request")
        check(total(m1, "argocd_image_updater_webhook_requests_total", type="registry",
                    code="200") >= 1, "metrics: the registry's notifications accepted")
        check(total(m1, "argocd_image_updater_webhook_events_total", result="accepted") >= 1,
              "metrics: webhook events accepted")
        check(total(m1, "argocd_image_updater_webhook_events_total", result="handed_over") == 0,
              "metrics: nothing handed over with the dir source")
        check(total(m1, "argocd_image_updater_git_commits_total") == 2,
              "metrics: two git commits")
        check(("argocd_image_updater_git_queue_length", ()) in m1 and
              total(m1, "argocd_image_updater_git_queue_length") == 0,
              "metrics: git queue length exported, 0 once the batch is written")
        check(total(m1, "argocd_image_updater_registry_requests_total") > 0,
              "metrics: registry requests counted")
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            raise AssertionError("the updater did not stop within 20 s of SIGTERM")
        print(open(log_path).read()[-4000:])
    check(proc.returncode == 0, "clean exit on SIGTERM")


def scenario_continuous(world):
    """--loop continuous: every application is checked again once its interval has passed
    since its last check ended; the two first updates share one batch (one commit)."""
    args = world.run_args(BINARY) + [
        "--loop", "continuous", "--interval", "3s", "--tag-list-ttl", "2s", "--git-batch-window", "1s",
        "--git-batch-max-wait", "10s", "--schedule", "lru", "--loglevel", "debug",
        "--metrics-bind-address", "0", "--health-probe-bind-address", "0"]
    log_path = f"{world.work}/run.log"
    before = world.commits()
    with open(log_path, "w") as log:
        proc = subprocess.Popen(args, stdout=log, stderr=log)
    try:
        wait_until("the first batch", lambda: world.commits() == before + 1, 30)
        check("1.2.0" in world.file_at_head("web/values.yaml") and
              "newTag: 1.0.0" in world.file_at_head("api/kustomization.yaml"),
              "both applications updated in one commit")
        world.push("e2e/web", "1.4.0")
        pushed = time.monotonic()
        wait_until("the next due check of web",
                   lambda: "1.4.0" in world.file_at_head("web/values.yaml"), 20)
        print(f"picked up by the continuous loop after {time.monotonic() - pushed:.1f}s")
        check(world.commits() == before + 2, "one more commit")
    except AssertionError:
        print(open(log_path).read()[-6000:])
        raise
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            raise AssertionError("the updater did not stop within 20 s of SIGTERM")
    log = open(log_path).read()
    print(log[-2500:])
    check(proc.returncode == 0, "clean exit on SIGTERM")
    check(log.count("continuous: start") >= 4 and "continuous: finished" in log,
          "continuous: start / finished logged per application (debug)")
    check("Processing results:" in log, "summary line per interval")


def scenario_webhook_command(world, hook_port):
    """The `webhook` command: no periodic pass, every event processed at once."""
    args = [BINARY, "webhook", "--source", "dir", "--dir", f"{world.work}/manifests",
            "--registries-conf-path", f"{world.work}/registries.conf", "--disable-tls",
            "--webhook-port", str(hook_port), "--registry-webhook-secret", "e2e-secret",
            # Not the default :8081 / :8080: other tests run at the same time.
            "--health-probe-bind-address", "0", "--metrics-bind-address", "0"]
    log_path = f"{world.work}/webhook.log"
    with open(log_path, "w") as log:
        proc = subprocess.Popen(args, stdout=log, stderr=log)
    try:
        wait_until("the webhook server",
                   lambda: answers_200(f"http://127.0.0.1:{hook_port}/healthz"), 30)
        # The registry delivers its notifications of the initial pushes too (with retries):
        # once processed, both applications are current.
        wait_until("the initial events", lambda: "tag: '1.2.0'" in world.file_at_head(
            "web/values.yaml") and "newTag: 1.0.0" in world.file_at_head(
            "api/kustomization.yaml"), 30)
        time.sleep(1.0)
        settled = world.commits()
        world.push("e2e/api", "1.1.0")
        wait_until("the event's commit",
                   lambda: "newTag: 1.1.0" in world.file_at_head("api/kustomization.yaml"), 20)
        check(world.commits() == settled + 1, "the push gave exactly one commit")
        check("tag: '1.2.0'" in world.file_at_head("web/values.yaml"),
              "the other application was left alone")
        check("Starting image update cycle" not in open(log_path).read(),
              "no periodic pass: only webhook-triggered ones")
    except AssertionError:
        print(open(log_path).read()[-4000:])
        raise
    finally:
        proc.terminate()
        proc.wait(timeout=20)
    check(proc.returncode == 0, "clean exit on SIGTERM")


def main():
    work = tempfile.mkdtemp(prefix="iu-e2e-")
    hook_port = free_port() if SCENARIO.startswith("webhook") else None
    world = None
    try:
        manifests = ARGOCD_MANIFESTS if SCENARIO == "argocd_dir" else MANIFESTS
        world = World(FIXTURES, work, manifests, IMAGES, hook_port, "e2e-secret")
        if SCENARIO == "once":
            scenario_once(world)
        elif SCENARIO == "argocd_dir":
            scenario_argocd_dir(world)
        elif SCENARIO == "continuous":
            scenario_continuous(world)
        elif SCENARIO == "webhook_command":
            scenario_webhook_command(world, hook_port)
        elif SCENARIO == "webhook":
            scenario_webhook(world, hook_port)
        else:
            sys.exit(f"unknown scenario {SCENARIO}")
    finally:
        if world:
            world.stop()
        shutil.rmtree(work, ignore_errors=True)
    print(f"e2e {SCENARIO}: all checks passed")


if __name__ == "__main__":
    main()
