# Shared shell helpers for the scripts in this folder; source it, do not run it.

# Installs the Debian packages whose commands or files are missing.
# Usage: ensure_packages package:probe ...   (probe: a command name or an absolute path)
ensure_packages() {
    local missing=() entry package probe
    for entry in "$@"; do
        package=${entry%%:*}
        probe=${entry#*:}
        if [[ $probe == /* ]]; then
            [[ -e $probe ]] && continue
        else
            command -v "$probe" >/dev/null 2>&1 && continue
        fi
        missing+=("$package")
    done
    ((${#missing[@]} == 0)) && return 0

    echo "installing missing packages: ${missing[*]}" >&2
    local sudo=()
    ((EUID != 0)) && sudo=(sudo)
    "${sudo[@]}" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
}

# Prints a free TCP port on 127.0.0.1 (the kernel picks it; a race with
# another process taking it before use is possible but unlikely).
free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# Waits up to $2 seconds for http://127.0.0.1:$1$3 to answer 200.
wait_for_http() {
    local port=$1 timeout=$2 path=${3:-/healthz} waited=0
    until curl -fsS -o /dev/null "http://127.0.0.1:${port}${path}" 2>/dev/null; do
        sleep 0.2
        waited=$((waited + 1))
        if ((waited > timeout * 5)); then
            echo "timed out waiting for http://127.0.0.1:${port}${path}" >&2
            return 1
        fi
    done
}
