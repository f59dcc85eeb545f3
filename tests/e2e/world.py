"""A small GitOps world on 127.0.0.1 for end-to-end tests and benchmarks: the real distribution
registry and git server from ../shared/fixtures, a GitOps repository with a Helm app (web/) and
a Kustomize app (api/), a manifests directory for `run --source dir` and a registries.conf.

Used by tests/e2e/e2e_test.py and bench/webhook-latency/run.py.
"""
import os
import socket
import subprocess
import sys


def shared_fixtures(source_dir):
    """The fixtures folder: $IU_SHARED_DIR/fixtures, default <source>/../shared/fixtures.
    Exits with a clear message when it is missing (never a silent skip)."""
    shared = os.environ.get("IU_SHARED_DIR") or os.path.join(source_dir, "..", "shared")
    fixtures = os.path.join(shared, "fixtures")
    if not os.path.isfile(os.path.join(fixtures, "registry.sh")):
        sys.exit(f"the shared fixtures are missing at {fixtures} (set IU_SHARED_DIR to the "
                 "folder holding fixtures/)")
    return fixtures


def check(cond, what):
    if not cond:
        raise AssertionError(what)
    print(f"ok: {what}")


def sh(*args, **kw):
    p = subprocess.run(list(args), text=True, capture_output=True, **kw)
    if p.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} exited {p.returncode}: {p.stderr.strip()}")
    return p.stdout


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def parse_env(text):
    return dict(line.split("=", 1) for line in text.splitlines() if "=" in line)


def git(*args):
    return sh("git", *args)


class World:
    """Servers, repository and manifests. `manifests` is a format string over {host} (the
    registry) and {repo} (the GitOps repository URL); `images` maps repositories to the tags
    pushed before the run."""

    def __init__(self, fixtures, work, manifests, images, notify_port=None, secret=""):
        self.fixtures, self.work = fixtures, work
        reg_args = [os.path.join(fixtures, "registry.sh"), "start", f"{work}/reg", "0"]
        if notify_port:
            reg_args += ["--notify", f"http://127.0.0.1:{notify_port}/webhook?type=registry",
                         "--notify-header", f"Authorization: Bearer {secret}"]
        self.reg = parse_env(sh(*reg_args))
        self.host = self.reg["REGISTRY_HOST"]
        self.git_env = parse_env(sh(os.path.join(fixtures, "gitserver.sh"), "start",
                                    f"{work}/git", "0", "--no-http"))
        for repo, tags in images.items():
            self.push(repo, *tags)
        self.repo_url = self.git_env["GIT_DAEMON_URL"].rstrip("/") + "/gitops.git"
        self.bare = f"{work}/git/repos/gitops.git"
        git("init", "-q", "--bare", "-b", "main", self.bare)
        src = f"{work}/src"
        os.makedirs(f"{src}/web")
        os.makedirs(f"{src}/api")
        with open(f"{src}/web/values.yaml", "w") as f:
            f.write(f"# web\nimage:\n  repository: {self.host}/e2e/web\n  tag: '1.0.0' # live\n")
        with open(f"{src}/api/kustomization.yaml", "w") as f:
            f.write(f"resources: []\nimages:\n  - name: {self.host}/e2e/api\n    newTag: 0.9.0\n")
        git("-C", src, "init", "-q", "-b", "main")
        git("-C", src, "add", "-A")
        git("-C", src, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "init")
        git("-C", src, "push", "-q", self.bare, "main")
        os.makedirs(f"{work}/manifests")
        with open(f"{work}/manifests/apps.yaml", "w") as f:
            f.write(manifests.format(host=self.host, repo=self.repo_url))
        with open(f"{work}/registries.conf", "w") as f:
            f.write(f"registries:\n  - name: e2e\n    prefix: {self.host}\n"
                    f"    api_url: http://{self.host}\n")

    def push(self, repo, *tags):
        sh(sys.executable, os.path.join(self.fixtures, "populate.py"), "--registry", self.host,
           "--repo", repo, "--tags", ",".join(tags))

    def head(self):
        return git("--git-dir", self.bare, "rev-parse", "main").strip()

    def file_at_head(self, path):
        return git("--git-dir", self.bare, "show", f"main:{path}")

    def commits(self):
        return int(git("--git-dir", self.bare, "rev-list", "--count", "main"))

    def run_args(self, binary):
        """`run` over this world's manifests, registries.conf and a cache folder."""
        return [binary, "run", "--source", "dir", "--dir", f"{self.work}/manifests",
                "--registries-conf-path", f"{self.work}/registries.conf",
                "--cache-dir", f"{self.work}/cache", "--git-commit-user", "e2e",
                "--git-commit-email", "e2e@example.invalid",
                # No probe or metrics server on the default ports, which tests running at the
                # same time would share; a scenario that needs them passes its own (last wins).
                "--health-probe-bind-address", "0", "--metrics-bind-address", "0"]

    def stop(self):
        subprocess.run([os.path.join(self.fixtures, "registry.sh"), "stop", f"{self.work}/reg"],
                       capture_output=True)
        subprocess.run([os.path.join(self.fixtures, "gitserver.sh"), "stop", f"{self.work}/git"],
                       capture_output=True)
