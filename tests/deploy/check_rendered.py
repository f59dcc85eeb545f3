#!/usr/bin/env python3
"""Structural checks of `kubectl kustomize config/` (SPEC §3.3, §4.1, §11, §13).

usage: check_rendered.py RENDERED.yaml FLAG_SPECS.cpp OUT_DIR

Prints `ok   <check>` / `FAIL <check>: <why>` lines and exits 1 on any failure. Writes into
OUT_DIR: crd.yaml (the rendered CRD, served by kube_fake.py through --crd) and
applicable.yaml (the rendered objects kube_fake.py can store; see testdata/api_shims.yaml).
"""
import os
import re
import sys

try:
    import yaml
except ImportError:
    sys.exit("FAIL python3 has no PyYAML module (pip install pyyaml, or apt-get install "
             "python3-yaml)")

NS = "argocd"
SA = "argocd-image-updater-controller"
CRD_NAME = "imageupdaters.argocd-image-updater.argoproj.io"

# Every object the base must render: (kind, name) -> namespaced?
EXPECTED = {
    ("CustomResourceDefinition", CRD_NAME): False,
    ("ServiceAccount", SA): True,
    ("Role", "argocd-image-updater-manager-role"): True,
    ("RoleBinding", "argocd-image-updater-manager-rolebinding"): True,
    ("Role", "argocd-image-updater-leader-election-role"): True,
    ("RoleBinding", "argocd-image-updater-leader-election-rolebinding"): True,
    ("ClusterRole", "argocd-image-updater-metrics-auth-role"): False,
    ("ClusterRoleBinding", "argocd-image-updater-metrics-auth-rolebinding"): False,
    ("ClusterRole", "argocd-image-updater-metrics-reader"): False,
    ("ConfigMap", "argocd-image-updater-config"): True,
    ("ConfigMap", "argocd-image-updater-ssh-config"): True,
    ("Secret", "argocd-image-updater-secret"): True,
    ("Deployment", "argocd-image-updater-controller"): True,
    ("Service", "argocd-image-updater-metrics"): True,
}

# Upstream ConfigMap keys -> the variable the binary reads (SPEC §3.3 last paragraph).
CONFIG_MAP_ENV = {
    "interval": "IMAGE_UPDATER_INTERVAL",
    "log.level": "IMAGE_UPDATER_LOGLEVEL",
    "log.format": "IMAGE_UPDATER_LOGFORMAT",
    "argocd.namespace": "ARGOCD_NAMESPACE",
    "watch.namespaces": "IMAGE_UPDATER_WATCH_NAMESPACES",
    "max_concurrent_apps": "MAX_CONCURRENT_APPS",
    "max_concurrent_reconciles": "MAX_CONCURRENT_RECONCILES",
    "kube.events": "IMAGE_UPDATER_KUBE_EVENTS",
    "git.user": "GIT_COMMIT_USER",
    "git.email": "GIT_COMMIT_EMAIL",
    "git.commit-signing-key": "GIT_COMMIT_SIGNING_KEY",
    "git.commit-signing-method": "GIT_COMMIT_SIGNING_METHOD",
    "git.commit-sign-off": "GIT_COMMIT_SIGN_OFF",
    "webhook.enable": "ENABLE_WEBHOOK",
    "webhook.port": "WEBHOOK_PORT",
    "webhook.require-secret": "WEBHOOK_REQUIRE_SECRET",
    "webhook.ratelimit-allowed": "WEBHOOK_RATELIMIT_ALLOWED",
    "disable-tls": "DISABLE_TLS",
    "tls.min-version": "TLS_MIN_VERSION",
    "tls.max-version": "TLS_MAX_VERSION",
    "tls.ciphers": "TLS_CIPHERS",
}
WEBHOOK_TYPES = ["docker", "ghcr", "quay", "harbor", "aliyun-acr", "acr", "cloudevents",
                 "registry"]
SECRET_ENV = {"webhook.%s-secret" % t: t.upper().replace("-", "_") + "_WEBHOOK_SECRET"
              for t in WEBHOOK_TYPES}

# Field paths of the ImageUpdater schema (SPEC §4.1); [] marks list items.
SETTINGS = ["updateStrategy", "forceUpdate", "allowTags", "ignoreTags", "ignoreTags[]",
            "pullSecret", "platforms", "platforms[]"]
WRITE_BACK = ["method", "gitConfig", "gitConfig.repository", "gitConfig.branch",
              "gitConfig.writeBackTarget", "gitConfig.pullRequest",
              "gitConfig.pullRequest.github", "gitConfig.pullRequest.gitlab",
              "gitConfig.pullRequest.labels", "gitConfig.pullRequest.labels[]"]
VERIFICATION = ["enabled", "cosignKey", "cosignKey.secretName", "cosignKey.key"]


def block(prefix, name, fields):
    return [prefix + name] + [prefix + name + "." + f for f in fields]


def spec_paths():
    out = []
    out += block("", "commonUpdateSettings", SETTINGS)
    out += block("", "writeBackConfig", WRITE_BACK)
    out += block("", "imagesVerification", VERIFICATION)
    r = "applicationRefs[]."
    out += ["applicationRefs", "applicationRefs[]", r + "namePattern", r + "useAnnotations",
            r + "labelSelectors", r + "labelSelectors.matchLabels",
            r + "labelSelectors.matchLabels{}", r + "labelSelectors.matchExpressions",
            r + "labelSelectors.matchExpressions[]",
            r + "labelSelectors.matchExpressions[].key",
            r + "labelSelectors.matchExpressions[].operator",
            r + "labelSelectors.matchExpressions[].values",
            r + "labelSelectors.matchExpressions[].values[]"]
    out += block(r, "commonUpdateSettings", SETTINGS)
    out += block(r, "writeBackConfig", WRITE_BACK)
    out += block(r, "imagesVerification", VERIFICATION)
    i = r + "images[]."
    out += [r + "images", r + "images[]", i + "alias", i + "imageName"]
    out += block(i, "commonUpdateSettings", SETTINGS)
    out += block(i, "imagesVerification", VERIFICATION)
    out += block(i, "manifestTargets",
                 ["helm", "helm.name", "helm.tag", "helm.spec", "kustomize", "kustomize.name",
                  "plugin", "plugin.name", "plugin.tag", "plugin.spec"])
    return sorted(out)


STATUS_PATHS = sorted(
    ["observedGeneration", "lastCheckedAt", "lastUpdatedAt", "applicationsMatched",
     "imagesManaged", "recentUpdates", "recentUpdates[]"]
    + ["recentUpdates[]." + f for f in ["alias", "image", "newVersion", "applicationsUpdated",
                                        "updatedAt", "message"]]
    + ["conditions", "conditions[]"]
    + ["conditions[]." + f for f in ["type", "status", "reason", "message",
                                     "lastTransitionTime", "observedGeneration"]])

failures = 0


def report(name, ok, why=""):
    global failures
    if ok:
        print("ok   " + name)
    else:
        failures += 1
        print("FAIL %s: %s" % (name, why))


def schema_paths(s, prefix=""):
    """Every field path a structural schema declares."""
    out = []
    for k, sub in (s.get("properties") or {}).items():
        p = prefix + k
        out.append(p)
        out += schema_paths(sub, p + ".")
    if "items" in s:
        p = prefix[:-1] + "[]"
        out.append(p)
        out += schema_paths(s["items"], p + ".")
    if isinstance(s.get("additionalProperties"), dict):
        p = prefix[:-1] + "{}"
        out.append(p)
        out += schema_paths(s["additionalProperties"], p + ".")
    return out


def at(s, path):
    """The sub-schema at a dotted path ([] steps into items)."""
    for part in path.split("."):
        if part.endswith("[]"):
            s = s["properties"][part[:-2]]["items"]
        else:
            s = s["properties"][part]
    return s


def walk_keys(s, key, prefix=""):
    """Paths of sub-schemas that carry `key` (e.g. default)."""
    found = [prefix or "."] if key in s else []
    for k, sub in (s.get("properties") or {}).items():
        found += walk_keys(sub, key, prefix + "." + k)
    if "items" in s:
        found += walk_keys(s["items"], key, prefix + "[]")
    return found


def accepted_env_names(flag_specs):
    """Environment names the binary reads: IMAGE_UPDATER_<FLAG> for every flag, the upstream
    names listed in flag_specs.cpp, and <TYPE>_WEBHOOK_SECRET for each webhook type."""
    src = open(flag_specs).read()
    names = set(re.findall(r'"([A-Z][A-Z0-9_]+)"', src))
    for flag in re.findall(r'(?:flag|choice)\(\s*"([a-z0-9-]+)"', src):
        names.add("IMAGE_UPDATER_" + flag.upper().replace("-", "_"))
    m = re.search(r'for \(const char\* type :\s*\{([^}]*)\}', src)
    if m and "_WEBHOOK_SECRET" in src:
        for t in re.findall(r'"([a-z-]+)"', m.group(1)):
            names.add(t.upper().replace("-", "_") + "_WEBHOOK_SECRET")
    return names, src


def main():
    rendered, flag_specs, out_dir = sys.argv[1:4]
    docs = [d for d in yaml.safe_load_all(open(rendered)) if d]
    objs = {}
    for d in docs:
        objs[(d["kind"], d["metadata"]["name"])] = d

    # --- kinds, names, namespaces
    missing = sorted("%s/%s" % k for k in EXPECTED if k not in objs)
    report("render: every expected kind/name", not missing, "missing " + ", ".join(missing))
    extra = sorted("%s/%s" % k for k in objs if k not in EXPECTED)
    report("render: nothing unexpected", not extra, "unexpected " + ", ".join(extra))
    wrong_ns = []
    for k, namespaced in EXPECTED.items():
        if k in objs:
            ns = objs[k]["metadata"].get("namespace")
            if (ns != NS) if namespaced else (ns is not None):
                wrong_ns.append("%s/%s in %r" % (k[0], k[1], ns))
    report("render: namespaced objects in %s, cluster objects without one" % NS, not wrong_ns,
           "; ".join(wrong_ns))
    if missing:
        return

    # --- CRD
    crd = objs[("CustomResourceDefinition", CRD_NAME)]
    cs = crd["spec"]
    report("crd: group, kind, plural, scope",
           cs["group"] == "argocd-image-updater.argoproj.io"
           and cs["names"]["kind"] == "ImageUpdater"
           and cs["names"]["plural"] == "imageupdaters" and cs["scope"] == "Namespaced",
           repr({k: cs.get(k) for k in ("group", "names", "scope")}))
    versions = cs.get("versions") or []
    v = versions[0] if len(versions) == 1 else {}
    report("crd: one version v1alpha1, served and stored",
           v.get("name") == "v1alpha1" and v.get("served") and v.get("storage"),
           repr([x.get("name") for x in versions]))
    report("crd: status subresource", (v.get("subresources") or {}).get("status") == {},
           repr(v.get("subresources")))
    root = ((v.get("schema") or {}).get("openAPIV3Schema")) or {}
    spec_s = (root.get("properties") or {}).get("spec") or {}
    status_s = (root.get("properties") or {}).get("status") or {}
    got = sorted(schema_paths(spec_s))
    want = spec_paths()
    report("crd: spec schema has exactly the fields of SPEC §4.1", got == want,
           "missing %s; extra %s" % (sorted(set(want) - set(got)), sorted(set(got) - set(want))))
    got = sorted(schema_paths(status_s))
    report("crd: status schema has exactly the fields of SPEC §4.1/§13.4", got == STATUS_PATHS,
           "missing %s; extra %s" % (sorted(set(STATUS_PATHS) - set(got)),
                                     sorted(set(got) - set(STATUS_PATHS))))
    try:
        refs = at(spec_s, "applicationRefs")
        images = at(spec_s, "applicationRefs[].images")
        checks = [
            ("spec requires applicationRefs", "applicationRefs" in spec_s.get("required", [])),
            ("applicationRefs minItems 1", refs.get("minItems") == 1),
            ("applicationRefs is a list-map keyed by namePattern",
             refs.get("x-kubernetes-list-type") == "map"
             and refs.get("x-kubernetes-list-map-keys") == ["namePattern"]),
            ("namePattern required", "namePattern" in refs["items"].get("required", [])),
            ("images is a list-map keyed by alias",
             images.get("x-kubernetes-list-type") == "map"
             and images.get("x-kubernetes-list-map-keys") == ["alias"]),
            ("alias and imageName required",
             {"alias", "imageName"} <= set(images["items"].get("required", []))),
            ("alias pattern", at(spec_s, "applicationRefs[].images[].alias").get("pattern")
             == "^[a-zA-Z0-9][a-zA-Z0-9-._]*$"),
            ("kustomize.name required", "name" in at(
                spec_s, "applicationRefs[].images[].manifestTargets.kustomize").get(
                    "required", [])),
            ("pullRequest.labels at most 100",
             at(spec_s, "writeBackConfig.gitConfig.pullRequest.labels").get("maxItems") == 100),
            ("plugin fields 1-253 characters", all(
                at(spec_s, "applicationRefs[].images[].manifestTargets.plugin." + f).get(
                    "maxLength") == 253 for f in ("name", "tag", "spec"))),
            ("status conditions keyed by type",
             at(status_s, "conditions").get("x-kubernetes-list-map-keys") == ["type"]),
        ]
        for name, ok in checks:
            report("crd: " + name, ok, "schema disagrees")
        # Settings, write-back and verification blocks are the same schema at every level.
        for blk, levels in [
                ("commonUpdateSettings", ["", "applicationRefs[].",
                                          "applicationRefs[].images[]."]),
                ("writeBackConfig", ["", "applicationRefs[]."]),
                ("imagesVerification", ["", "applicationRefs[].", "applicationRefs[].images[]."])]:
            schemas = [dict(at(spec_s, lv + blk)) for lv in levels]
            for s in schemas:
                s.pop("description", None)
            report("crd: %s identical at every level" % blk,
                   all(s == schemas[0] for s in schemas[1:]), "levels differ")
    except (KeyError, TypeError) as e:
        report("crd: schema rules", False, "missing schema node %s" % e)
    defaults = walk_keys(spec_s, "default")
    report("crd: no schema defaults (SPEC §4.1)", not defaults, "defaults at %s" % defaults)

    # --- Deployment
    dep = objs[("Deployment", "argocd-image-updater-controller")]
    pod = dep["spec"]["template"]
    containers = pod["spec"]["containers"]
    c = containers[0]
    report("deployment: one container, image argocd-image-updater",
           len(containers) == 1 and c["image"].split("@")[0].rsplit(":", 1)[0]
           == "argocd-image-updater", c.get("image"))
    args = c.get("args") or []
    report("deployment: args start with run", args[:1] == ["run"] and not c.get("command"),
           repr(c.get("command")) + " " + repr(args))
    sel = dep["spec"]["selector"]["matchLabels"]
    report("deployment: selector matches the pod labels",
           all(pod["metadata"]["labels"].get(k) == v for k, v in sel.items()), repr(sel))
    report("deployment: runs as the ServiceAccount",
           pod["spec"].get("serviceAccountName") == SA, pod["spec"].get("serviceAccountName"))
    ports = {p["name"]: p["containerPort"] for p in c.get("ports") or []}

    def flag_port(flag, default):
        for a in args:
            if a.startswith("--%s=" % flag):
                return int(a.split(":")[-1])
        return default

    health_port = flag_port("health-probe-bind-address", 8081)
    metrics_port = flag_port("metrics-bind-address", None)
    for probe, path in (("livenessProbe", "/healthz"), ("readinessProbe", "/readyz")):
        g = (c.get(probe) or {}).get("httpGet") or {}
        port = g.get("port")
        port = ports.get(port, port)
        report("deployment: %s GET %s on the health port %d" % (probe, path, health_port),
               g.get("path") == path and port == health_port, repr(g))
    report("deployment: metrics served (--metrics-bind-address) on containerPort 'metrics'",
           metrics_port is not None and ports.get("metrics") == metrics_port,
           "args %r, ports %r" % (args, ports))
    # --metrics-secure defaults to true (HTTPS + TokenReview/SubjectAccessReview, as upstream);
    # the base must not turn it off.
    insecure = [a for a in args if a.startswith("--metrics-secure")
                and a not in ("--metrics-secure", "--metrics-secure=true")]
    report("deployment: /metrics stays secure (no --metrics-secure=false)", not insecure,
           repr(insecure))

    # env: upstream keys -> binary variables, and the binary must accept every name.
    env = {e["name"]: e for e in c.get("env") or []}
    cm_refs = {}
    secret_refs = {}
    for e in env.values():
        vf = e.get("valueFrom") or {}
        if "configMapKeyRef" in vf:
            r = vf["configMapKeyRef"]
            report("env %s: from ConfigMap argocd-image-updater-config, optional" % e["name"],
                   r.get("name") == "argocd-image-updater-config" and r.get("optional") is True,
                   repr(r))
            cm_refs[r["key"]] = e["name"]
        elif "secretKeyRef" in vf:
            r = vf["secretKeyRef"]
            report("env %s: from Secret argocd-image-updater-secret, optional" % e["name"],
                   r.get("name") == "argocd-image-updater-secret" and r.get("optional") is True,
                   repr(r))
            secret_refs[r["key"]] = e["name"]
    report("env: ConfigMap keys mapped as upstream", cm_refs == CONFIG_MAP_ENV,
           "missing %s; extra/different %s" % (
               {k: v for k, v in CONFIG_MAP_ENV.items() if cm_refs.get(k) != v},
               {k: v for k, v in cm_refs.items() if CONFIG_MAP_ENV.get(k) != v}))
    report("env: Secret webhook keys mapped as upstream", secret_refs == SECRET_ENV,
           "missing %s; extra/different %s" % (
               {k: v for k, v in SECRET_ENV.items() if secret_refs.get(k) != v},
               {k: v for k, v in secret_refs.items() if SECRET_ENV.get(k) != v}))
    accepted, flag_src = accepted_env_names(flag_specs)
    unknown = sorted(n for n in env if n not in accepted)
    report("env: every variable is read by the binary (core/cli/flag_specs.cpp)", not unknown,
           "not in flag_specs.cpp: %s" % unknown)
    for flag in ("metrics-bind-address", "metrics-secure", "health-probe-bind-address"):
        report("args: --%s is a run flag" % flag, '"%s"' % flag in flag_src, "unknown flag")

    # /app/config: registries.conf and commit.template from the ConfigMap.
    vols = {vol["name"]: vol for vol in pod["spec"].get("volumes") or []}
    mounts = {m["mountPath"]: m["name"] for m in c.get("volumeMounts") or []}
    conf = vols.get(mounts.get("/app/config"), {}).get("configMap") or {}
    items = {i["key"]: i["path"] for i in conf.get("items") or []}
    report("volumes: /app/config holds registries.conf and commit.template",
           conf.get("name") == "argocd-image-updater-config" and conf.get("optional") is True
           and items == {"registries.conf": "registries.conf",
                         "git.commit-message-template": "commit.template"}, repr(conf))
    tls = vols.get(mounts.get("/app/config/tls"), {}).get("secret") or {}
    report("volumes: /app/config/tls from Secret argocd-image-updater-tls (optional)",
           tls.get("secretName") == "argocd-image-updater-tls" and tls.get("optional") is True,
           repr(tls))
    ssh = vols.get(mounts.get("/app/.ssh"), {}).get("configMap") or {}
    report("volumes: /app/.ssh from argocd-image-updater-ssh-config",
           ssh.get("name") == "argocd-image-updater-ssh-config", repr(ssh))
    report("volumes: writable /tmp (cache dir) with a read-only root",
           "emptyDir" in vols.get(mounts.get("/tmp"), {})
           and (c.get("securityContext") or {}).get("readOnlyRootFilesystem") is True,
           repr(mounts))

    # --- Service
    svc = objs[("Service", "argocd-image-updater-metrics")]
    sp = svc["spec"]
    report("service: selects the controller pods",
           sp.get("selector") and all(pod["metadata"]["labels"].get(k) == v
                                      for k, v in sp["selector"].items()), repr(sp.get("selector")))
    tp = [p.get("targetPort") for p in sp.get("ports") or []]
    report("service: targets the metrics port", tp and all(
        ports.get(t, t) == metrics_port for t in tp), repr(tp))

    # --- RBAC
    def allows(rules, group, resource, verbs):
        have = set()
        for r in rules:
            if group in r.get("apiGroups", []) and resource in r.get("resources", []):
                have |= set(r.get("verbs", []))
        return set(verbs) <= have or "*" in have

    manager = objs[("Role", "argocd-image-updater-manager-role")]["rules"]
    leader = objs[("Role", "argocd-image-updater-leader-election-role")]["rules"]
    metrics = objs[("ClusterRole", "argocd-image-updater-metrics-auth-role")]["rules"]
    needs = [
        (manager, "argoproj.io", "applications", ["get", "list", "watch", "update", "patch"]),
        (manager, "argocd-image-updater.argoproj.io", "imageupdaters",
         ["get", "list", "watch", "update", "patch"]),
        (manager, "argocd-image-updater.argoproj.io", "imageupdaters/status",
         ["get", "update", "patch"]),
        (manager, "argocd-image-updater.argoproj.io", "imageupdaters/finalizers", ["update"]),
        (manager, "", "secrets", ["get", "list", "watch"]),
        (manager, "", "events", ["create", "patch"]),
        (leader, "coordination.k8s.io", "leases",
         ["get", "list", "watch", "create", "update", "patch"]),
        (metrics, "authentication.k8s.io", "tokenreviews", ["create"]),
        (metrics, "authorization.k8s.io", "subjectaccessreviews", ["create"]),
    ]
    for rules, group, res, verbs in needs:
        report("rbac: %s %s.%s" % ("/".join(verbs), res, group or "core"),
               allows(rules, group, res, verbs), "not granted")
    secret_writes = [r for r in manager if "secrets" in r.get("resources", [])
                     and set(r.get("verbs", [])) - {"get", "list", "watch"}]
    report("rbac: secrets are read-only", not secret_writes, repr(secret_writes))
    for kind, name in EXPECTED:
        if not kind.endswith("Binding"):
            continue
        b = objs[(kind, name)]
        ref = b["roleRef"]
        subj = b.get("subjects") or []
        report("rbac: %s %s binds %s %s to the ServiceAccount" % (kind, name, ref["kind"],
                                                                  ref["name"]),
               (ref["kind"], ref["name"]) in objs and subj == [
                   {"kind": "ServiceAccount", "name": SA, "namespace": NS}], repr(subj))

    # --- files for the apply step
    with open(os.path.join(out_dir, "crd.yaml"), "w") as f:
        yaml.safe_dump(crd, f, sort_keys=False)
    with open(os.path.join(out_dir, "applicable.yaml"), "w") as f:
        yaml.safe_dump_all([d for d in docs if d["kind"] not in ("ServiceAccount", "Service")],
                           f, sort_keys=False)


if __name__ == "__main__":
    main()
    print("check_rendered: %d failure(s)" % failures)
    sys.exit(1 if failures else 0)
