# Sourced by ./mvnw, ./careloop and .ci/run: makes JAVA_HOME point at a JDK 21 or newer.
# The machine's default java may be older (17 here); careloop needs 21+ to build and run.
careloop_java_major() {
  "$1/bin/java" -version 2>&1 | sed -n '1s/.*version "\([0-9]*\).*/\1/p'
}
careloop_find_jdk() {
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ] && [ "$(careloop_java_major "$JAVA_HOME")" -ge 21 ] 2>/dev/null; then
    return 0
  fi
  _best="" _best_major=0
  _path_java=$(command -v java 2>/dev/null || true)
  for _home in ${_path_java:+"$(dirname "$(dirname "$(readlink -f "$_path_java")")")"} /usr/lib/jvm/* /opt/java/* /usr/local/*jdk*; do
    [ -x "$_home/bin/javac" ] || continue
    _major=$(careloop_java_major "$_home")
    if [ -n "$_major" ] && [ "$_major" -ge 21 ] && [ "$_major" -gt "$_best_major" ]; then
      _best=$_home _best_major=$_major
    fi
  done
  if [ -z "$_best" ]; then
    echo "careloop: no JDK 21 or newer found (looked at JAVA_HOME, java on PATH, /usr/lib/jvm). Install one or set JAVA_HOME." >&2
    return 1
  fi
  JAVA_HOME=$_best
  export JAVA_HOME
}
# ./mvnw runs with globbing off (set -f); the search below needs it.
case $- in *f*) set +f; careloop_find_jdk || exit 1; set -f ;; *) careloop_find_jdk || exit 1 ;; esac
