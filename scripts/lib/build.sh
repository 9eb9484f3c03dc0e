# Sourced by the scripts (after jdk.sh): build_jar ROOT builds ROOT/target/canopy-p2p.jar when it
# is missing or older than the sources. Maven's phases are shown on stderr as they run (a first,
# cold build downloads dependencies for a minute or more), without colour codes.

build_jar() {
  local root="$1" jar="$1/target/canopy-p2p.jar" status
  if [ -f "$jar" ] && [ -z "$(find "$root/src/main" "$root/pom.xml" -newer "$jar" -print -quit)" ]; then
    return 0
  fi
  command -v mvn >/dev/null || { echo "error: mvn (Maven 3.8+) is not on the PATH" >&2; return 1; }
  echo "building $jar with Maven (JDK $JAVA_MAJOR; the first build downloads dependencies)" >&2
  set +e
  (cd "$root" && mvn -B -ntp -Dstyle.color=never -DskipTests package 2>&1) \
    | sed -u $'s/\e\\[[0-9;]*m//g' \
    | grep --line-buffered -E '^\[INFO\] --- |^\[INFO\] BUILD|^\[INFO\] Total time|^\[ERROR\]' >&2
  status=${PIPESTATUS[0]}
  set -e
  [ "$status" = 0 ] || { echo "error: the build failed (mvn exit $status); run 'mvn -B package' for the whole log" >&2; return 1; }
}
