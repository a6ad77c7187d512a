#!/usr/bin/env bash
# Format, lint and breaking-change checks for proto/ with buf (installed from npm into .tools/).
# Breaking changes are checked against the last committed state of proto/ (HEAD~1, else HEAD);
# set BUF_AGAINST=<git ref> to compare with another one, e.g. BUF_AGAINST=main on a branch.
set -euo pipefail

BUF_VERSION=1.75.0
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
TOOLS="$ROOT/.tools"
BUF="$TOOLS/node_modules/.bin/buf"

install_buf() {
  if [[ -x "$BUF" && "$("$BUF" --version)" == "$BUF_VERSION" ]]; then
    return
  fi
  echo "buf.sh: installing @bufbuild/buf@$BUF_VERSION into .tools/"
  npm install --prefix "$TOOLS" --no-audit --no-fund --loglevel=error "@bufbuild/buf@$BUF_VERSION"
}

# Prints the git ref to compare with, or nothing when no earlier commit holds proto/.
against_ref() {
  if [[ -n "${BUF_AGAINST:-}" ]]; then
    echo "$BUF_AGAINST"
    return
  fi
  local ref
  for ref in HEAD~1 HEAD; do
    if git -C "$ROOT" rev-parse -q --verify "$ref:proto/buf.yaml" >/dev/null; then
      echo "$ref"
      return
    fi
  done
}

check_breaking() {
  local ref
  ref=$(against_ref)
  if [[ -z "$ref" ]]; then
    echo "buf.sh: no earlier commit contains proto/buf.yaml; skipping the breaking-change check"
    return
  fi
  BASE=$(mktemp -d)
  trap 'rm -rf "$BASE"' EXIT
  git -C "$ROOT" archive "$ref" proto | tar -x -C "$BASE"
  if ! "$BUF" breaking proto --against "$BASE/proto"; then
    echo "buf.sh: breaking change against $ref:proto; v1 is additive only (see proto/README.md, Versioning)" >&2
    return 1
  fi
  echo "buf.sh: breaking ok (against $ref:proto)"
}

install_buf
cd "$ROOT"
"$BUF" format proto --diff --exit-code
"$BUF" lint proto
echo "buf.sh: format and lint ok"
check_breaking
