# shellcheck shell=bash
# Helpers shared by scripts/test and scripts/with-postgres. Sourced, never run.

kefu_log() { printf '%s\n' "$*" >&2; }
kefu_die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# Package names that are not installed, one per line.
kefu_missing_debs() {
    local pkg
    for pkg in "$@"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' \
            || printf '%s\n' "$pkg"
    done
}

# Installs the missing ones only, so a machine that has everything never
# touches the network; apt's chatter is kept unless it fails.
kefu_apt_install() {
    local missing=() sudo=() out
    mapfile -t missing < <(kefu_missing_debs "$@")
    ((${#missing[@]} > 0)) || return 0
    command -v apt-get >/dev/null 2>&1 \
        || kefu_die "missing Debian packages (${missing[*]}) and no apt-get to install them"
    if ((EUID != 0)); then
        command -v sudo >/dev/null 2>&1 \
            || kefu_die "missing Debian packages (${missing[*]}); install them as root"
        sudo=(sudo -n)
    fi
    kefu_log "installing Debian packages: ${missing[*]}"
    out=$(mktemp)
    if ! { "${sudo[@]}" apt-get -o DPkg::Lock::Timeout=300 update -qq \
        && "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
            apt-get -o DPkg::Lock::Timeout=300 install -y -qq --no-install-recommends "${missing[@]}"
    } >"$out" 2>&1; then
        cat "$out" >&2
        rm -f "$out"
        kefu_die "apt-get could not install: ${missing[*]}"
    fi
    rm -f "$out"
}

# A loopback TCP port nobody listens on right now. The kernel hands out a free
# ephemeral one; without Python, probe random high ports instead.
kefu_free_port() {
    if command -v python3 >/dev/null 2>&1; then
        python3 -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])
s.close()'
        return
    fi
    local port _
    for _ in $(seq 1 100); do
        port=$((20000 + RANDOM % 30000))
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
            printf '%s\n' "$port"
            return 0
        fi
    done
    return 1
}

# The newest PostgreSQL server's bin folder from Debian's packages, if any.
kefu_pg_bindir() {
    local dir
    dir=$(find /usr/lib/postgresql -mindepth 3 -maxdepth 3 -path '*/bin/initdb' -printf '%h\n' 2>/dev/null \
        | sort -V | tail -n 1)
    [[ -n $dir && -x $dir/pg_ctl && -x $dir/postgres ]] || return 1
    printf '%s\n' "$dir"
}
