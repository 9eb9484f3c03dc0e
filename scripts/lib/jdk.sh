# Sourced by the scripts: exports JAVA_HOME pointing at a JDK >= 21 and puts it first on PATH.
# JAVA_HOME wins when it is set and new enough; otherwise the newest JDK under /usr/lib/jvm.

jdk_major() { # prints the feature version of the JDK at $1, or nothing
  local release="$1/release"
  [ -x "$1/bin/java" ] || return 0
  if [ -f "$release" ]; then
    sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$release"
  else
    "$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = \([0-9]*\).*/\1/p'
  fi
}

pick_jdk() {
  local want=21 best="" best_v=0 dir v
  if [ -n "${JAVA_HOME:-}" ]; then
    v=$(jdk_major "$JAVA_HOME")
    if [ -n "$v" ] && [ "$v" -ge "$want" ]; then best="$JAVA_HOME"; best_v="$v"; fi
  fi
  if [ -z "$best" ]; then
    for dir in /usr/lib/jvm/*; do
      [ -d "$dir" ] && [ ! -L "$dir" ] || continue
      v=$(jdk_major "$dir")
      if [ -n "$v" ] && [ "$v" -ge "$want" ] && [ "$v" -gt "$best_v" ]; then best="$dir"; best_v="$v"; fi
    done
  fi
  if [ -z "$best" ]; then
    echo "error: no JDK >= $want found (JAVA_HOME='${JAVA_HOME:-}' and nothing suitable under /usr/lib/jvm)." >&2
    echo "       Install one (e.g. Temurin 21 or 25) or point JAVA_HOME at it." >&2
    return 1
  fi
  export JAVA_HOME="$best"
  export PATH="$JAVA_HOME/bin:$PATH"
  JAVA_MAJOR="$best_v"
  # Maven's bundled Guava calls sun.misc.Unsafe; JDK 24+ warns about it unless allowed (JDK 21 rejects the flag).
  if [ "$JAVA_MAJOR" -ge 24 ]; then
    case " ${MAVEN_OPTS:-} " in *sun-misc-unsafe*) ;; *) export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow" ;; esac
  fi
}
