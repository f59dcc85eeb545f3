#!/usr/bin/env python3
"""Pushes small demo images to a Docker v2 registry over plain HTTP (127.0.0.1 only).

  push_image.py HOST:PORT REPOSITORY TAG [TAG...]

Each tag gets its own image config (so its own digest) whose `created` time follows the order
of the tags given; all tags share one tiny layer. Standard library only.
"""
import gzip
import hashlib
import io
import json
import sys
import tarfile
import urllib.error
import urllib.request
from datetime import datetime, timedelta, timezone


def request(method, url, data=None, headers=None):
    req = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    with urllib.request.urlopen(req, timeout=30) as resp:
        return resp.status, dict(resp.headers), resp.read()


def digest(data):
    return "sha256:" + hashlib.sha256(data).hexdigest()


def upload_blob(base, repo, data):
    d = digest(data)
    try:
        request("HEAD", f"{base}/v2/{repo}/blobs/{d}")
        return d  # already there
    except urllib.error.HTTPError as e:
        if e.code != 404:
            raise
    _, headers, _ = request("POST", f"{base}/v2/{repo}/blobs/uploads/")
    location = headers["Location"]
    if location.startswith("/"):
        location = base + location
    sep = "&" if "?" in location else "?"
    request("PUT", f"{location}{sep}digest={d}", data=data,
            headers={"Content-Type": "application/octet-stream"})
    return d


def layer():
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w") as tar:
        body = b"argocd-image-updater demo\n"
        info = tarfile.TarInfo("demo.txt")
        info.size, info.mtime = len(body), 0
        tar.addfile(info, io.BytesIO(body))
    tar_bytes = raw.getvalue()
    return gzip.compress(tar_bytes, mtime=0), digest(tar_bytes)


class Pusher:
    """Pushes tags of one repository; the shared layer is uploaded once."""

    def __init__(self, host, repo):
        if not (host.startswith("127.0.0.1:") or host.startswith("localhost:")):
            raise ValueError("push_image.py: only a registry on 127.0.0.1 is allowed")
        self.base, self.host, self.repo = f"http://{host}", host, repo
        self.gz, self.diff_id = layer()
        self.layer_digest = upload_blob(self.base, repo, self.gz)

    def push(self, tag, created):
        """Uploads the tag's config and returns once its manifest has landed."""
        config = json.dumps({
            "architecture": "amd64", "os": "linux", "created": created,
            "config": {"Labels": {"demo.tag": tag}},
            "rootfs": {"type": "layers", "diff_ids": [self.diff_id]},
        }, sort_keys=True).encode()
        config_digest = upload_blob(self.base, self.repo, config)
        manifest = json.dumps({
            "schemaVersion": 2,
            "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
            "config": {"mediaType": "application/vnd.docker.container.image.v1+json",
                       "size": len(config), "digest": config_digest},
            "layers": [{"mediaType": "application/vnd.docker.image.rootfs.diff.tar.gzip",
                        "size": len(self.gz), "digest": self.layer_digest}],
        }).encode()
        request("PUT", f"{self.base}/v2/{self.repo}/manifests/{tag}", data=manifest,
                headers={"Content-Type": "application/vnd.docker.distribution.manifest.v2+json"})
        return digest(manifest)


def main():
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    host, repo, tags = sys.argv[1], sys.argv[2], sys.argv[3:]
    try:
        pusher = Pusher(host, repo)
    except ValueError as e:
        sys.exit(str(e))
    start = datetime(2026, 1, 1, tzinfo=timezone.utc)
    for i, tag in enumerate(tags):
        created = (start + timedelta(hours=i)).strftime("%Y-%m-%dT%H:%M:%SZ")
        print(f"pushed {host}/{repo}:{tag} ({pusher.push(tag, created)[:19]})")


if __name__ == "__main__":
    main()
