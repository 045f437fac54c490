#!/usr/bin/env python3
"""Checks deploy/: every Kubernetes manifest validates against the Kubernetes
schemas (kubernetes-validate, offline, strict), and the manifests say what the
binaries really do: every TESSERA_* variable is one the binary reads, probe
paths answer 200 on the real binaries, container ports match the listen
addresses, Services and the advertised URL point at real ports.

Usage: check-deploy.py BIN_DIR   (the folder holding tessera-server and tessera-sidecar)
"""

import glob
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

import kubernetes_validate
import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
K8S_VERSION = "1.31.0"
problems = []


def fail(msg):
    problems.append(msg)
    print(f"FAIL {msg}", file=sys.stderr)


def docs(path):
    with open(path) as f:
        return [d for d in yaml.safe_load_all(f) if d]


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def get(url, timeout=0.5):
    try:
        with urllib.request.urlopen(url, timeout=timeout) as r:
            return r.status
    except Exception:
        return None


def wait_for(url, within=20.0):
    deadline = time.time() + within
    while time.time() < deadline:
        if get(url) == 200:
            return True
        time.sleep(0.1)
    return False


def help_text(binary, *args):
    return subprocess.run([binary, *args, "--help"], capture_output=True, text=True, check=True).stdout


def main():
    bin_dir = sys.argv[1]
    registry_bin = os.path.join(bin_dir, "tessera-server")
    sidecar_bin = os.path.join(bin_dir, "tessera-sidecar")
    deploy = os.path.join(ROOT, "deploy")

    # 1. Schemas, and kustomizations naming files that exist.
    resources = []
    for path in sorted(glob.glob(os.path.join(deploy, "**", "*.yaml"), recursive=True)):
        rel = os.path.relpath(path, ROOT)
        for d in docs(path):
            if d.get("kind") == "Kustomization":
                for r in d.get("resources", []):
                    if not os.path.exists(os.path.join(os.path.dirname(path), r)):
                        fail(f"{rel}: resource {r} does not exist")
                continue
            if d.get("apiVersion", "").startswith("argoproj.io/"):
                src = d["spec"]["source"]["path"]
                if not os.path.isdir(os.path.join(ROOT, src)):
                    fail(f"{rel}: Argo CD source path {src} does not exist")
                continue
            try:
                kubernetes_validate.validate(d, K8S_VERSION, strict=True)
            except kubernetes_validate.ValidationError as e:
                fail(f"{rel}: {d.get('kind')}/{d['metadata'].get('name')}: {e.message}")
            resources.append((rel, d))
    print(f"{len(resources)} resources validate against Kubernetes {K8S_VERSION} (strict)")

    by_kind = {}
    for rel, d in resources:
        by_kind.setdefault(d["kind"], []).append((rel, d))

    # 2. Environment names the binaries read.
    server_help = help_text(registry_bin, "serve")
    sidecar_help = help_text(sidecar_bin, "run")
    server_env = set(re.findall(r"env: (TESSERA_[A-Z_]+)", server_help))
    sidecar_env = set(re.findall(r"env: (TESSERA_[A-Z_]+)", sidecar_help))
    config_maps = {d["metadata"]["name"]: d.get("data", {}) for _, d in by_kind.get("ConfigMap", [])}
    secrets = {d["metadata"]["name"]: d.get("stringData", {}) for _, d in by_kind.get("Secret", [])}
    pods = []
    for kind in ("Deployment", "StatefulSet"):
        for rel, d in by_kind.get(kind, []):
            spec = d["spec"]["template"]["spec"]
            for c in spec.get("initContainers", []) + spec.get("containers", []):
                pods.append((rel, d, c))
    checked = 0
    server_container = None
    sidecar_container = None
    for rel, d, c in pods:
        image = c.get("image", "")
        known = server_env if image == "tessera-server" else sidecar_env if image == "tessera-sidecar" else None
        if known is None:
            continue
        if image == "tessera-server":
            server_container = (rel, d, c)
        else:
            sidecar_container = (rel, d, c)
        names = {e["name"]: e.get("value") for e in c.get("env", [])}
        for src in c.get("envFrom", []):
            if "configMapRef" in src:
                names.update(config_maps.get(src["configMapRef"]["name"], {}))
            if "secretRef" in src:
                names.update(secrets.get(src["secretRef"]["name"], {}))
        for name in names:
            checked += 1
            if name.startswith("TESSERA_") and name not in known:
                fail(f"{rel}: {c['name']} sets {name}, which {image} does not read")
        c["_env"] = names
    print(f"{checked} environment variables checked against --help of the binaries")

    # 3. Ports and probes against the running binaries.
    def listen_port(c, var):
        value = c["_env"].get(var, "")
        return int(value.rsplit(":", 1)[1]) if ":" in value else None

    def port_named(c, name):
        for p in c.get("ports", []):
            if p.get("name") == name or p.get("containerPort") == name:
                return p["containerPort"]
        return None

    if server_container is None or sidecar_container is None:
        fail("deploy/ has no server or no sidecar container")
        return
    rel, d, server = server_container
    if listen_port(server, "TESSERA_LISTEN") != server["ports"][0]["containerPort"]:
        fail(f"{rel}: containerPort differs from TESSERA_LISTEN")
    rel_s, d_s, sidecar = sidecar_container
    if listen_port(sidecar, "TESSERA_SIDECAR_LISTEN") != sidecar["ports"][0]["containerPort"]:
        fail(f"{rel_s}: containerPort differs from TESSERA_SIDECAR_LISTEN")
    services = {d["metadata"]["name"]: (rel, d) for rel, d in by_kind.get("Service", [])}
    advertise = sidecar["_env"].get("TESSERA_SIDECAR_ADVERTISE", "")
    m = re.match(r"http://([a-z0-9-]+)\.([a-z0-9-]+)\.svc:(\d+)/", advertise)
    if not m:
        fail(f"{rel_s}: TESSERA_SIDECAR_ADVERTISE {advertise!r} is not http://SERVICE.NAMESPACE.svc:PORT/")
    else:
        svc = services.get(m.group(1))
        if svc is None:
            fail(f"{rel_s}: advertised Service {m.group(1)} is not defined")
        elif int(m.group(3)) not in [p["port"] for p in svc[1]["spec"]["ports"]]:
            fail(f"{rel_s}: advertised port {m.group(3)} is not a port of Service {m.group(1)}")
    for name, (rel_svc, svc) in services.items():
        selector = svc["spec"]["selector"]
        targets = [c for _, d, c in pods if all(d["spec"]["template"]["metadata"]["labels"].get(k) == v for k, v in selector.items())]
        for p in svc["spec"]["ports"]:
            if not any(port_named(c, p["targetPort"]) for c in targets):
                fail(f"{rel_svc}: Service {name} targets port {p['targetPort']}, which no selected container has")
    registry_url = (sidecar["_env"].get("TESSERA_REGISTRY_URL") or "")
    if not re.match(r"http://tessera-server\.tessera\.svc(:80)?/?$", registry_url):
        fail(f"{rel_s}: TESSERA_REGISTRY_URL {registry_url!r} is not the server's Service")

    with tempfile.TemporaryDirectory() as tmp:
        port = free_port()
        env = dict(os.environ, TESSERA_LOG="warn", HOME=tmp, XDG_DATA_HOME=tmp, XDG_CACHE_HOME=tmp)
        srv = subprocess.Popen(
            [registry_bin, "serve", "--listen", f"127.0.0.1:{port}", "--database-url", f"sqlite://{tmp}/r.db"],
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        side = None
        before = len(problems)
        try:
            base = f"http://127.0.0.1:{port}"
            if not wait_for(f"{base}/healthz"):
                fail("the server did not start")
                return
            for probe in ("readinessProbe", "livenessProbe"):
                path = server[probe]["httpGet"]["path"]
                if get(base + path) != 200:
                    fail(f"{rel}: server {probe} {path} does not answer 200")
            token = subprocess.run(
                [registry_bin, "publisher", "add", "tessera", "--database-url", f"sqlite://{tmp}/r.db"],
                env=env, capture_output=True, text=True, check=True).stdout.strip()
            sport = free_port()
            side = subprocess.Popen(
                [sidecar_bin, "run", os.path.join(ROOT, "widgets", "greeting"), "--registry", base,
                 "--listen", f"127.0.0.1:{sport}"],
                env=dict(env, TESSERA_TOKEN=token), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            for probe in ("startupProbe", "livenessProbe"):
                path = sidecar[probe]["httpGet"]["path"]
                if not wait_for(f"http://127.0.0.1:{sport}{path}"):
                    fail(f"{rel_s}: sidecar {probe} {path} does not answer 200")
            if len(problems) == before:
                print("probes answer 200 on the real server and sidecar")
        finally:
            for p in (side, srv):
                if p:
                    p.terminate()
                    p.wait(timeout=10)


if __name__ == "__main__":
    main()
    if problems:
        sys.exit(f"{len(problems)} problem(s) in deploy/")
    print("deploy/: ok")
