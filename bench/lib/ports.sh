# Free ports and readiness on 127.0.0.1, sourced by bench/compare.sh (through brokers.sh) and bench/recorder.sh.

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# Waits (up to 30 s) until something accepts on the port, and fails as soon as process $2 is gone.
wait_listening() { # port pid
  local _
  for _ in $(seq 1 300); do
    kill -0 "$2" 2>/dev/null || return 1
    if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then
      return 0
    fi
    sleep 0.1
  done
  return 1
}
