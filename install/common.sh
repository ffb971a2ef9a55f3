# Shared by install.sh and uninstall.sh (sourced, not run): finds java and the valve jar.

# The jar: beside this directory in a release (install/ next to the jar), else the build output
# of a source checkout (../target), else, for uninstall, the one installed in <install-dir>/lib.
mv_find_jar() {
  local here=$1 install_dir=${2:-} candidates=() jar
  shopt -s nullglob
  for jar in "$here"/../maintenance-valve-[0-9]*.jar "$here"/maintenance-valve-[0-9]*.jar; do
    candidates+=("$jar")
  done
  if [ ${#candidates[@]} -eq 0 ]; then
    for jar in "$here"/../target/maintenance-valve-[0-9]*.jar; do
      case "$jar" in *-sources.jar|*-javadoc.jar|*-tests.jar) continue ;; esac
      candidates+=("$jar")
    done
  fi
  if [ ${#candidates[@]} -eq 0 ] && [ -n "$install_dir" ]; then
    for jar in "$install_dir"/lib/maintenance-valve*.jar; do
      candidates+=("$jar")
    done
  fi
  shopt -u nullglob
  if [ ${#candidates[@]} -eq 0 ]; then
    echo "$(basename "$0"): no maintenance-valve jar found beside $here or in $here/../target." >&2
    echo "In a source checkout, build it first: mvn -B package -DskipTests" >&2
    return 1
  fi
  if [ ${#candidates[@]} -gt 1 ]; then
    echo "$(basename "$0"): more than one maintenance-valve jar found; keep one:" >&2
    printf '  %s\n' "${candidates[@]}" >&2
    return 1
  fi
  (cd "$(dirname "${candidates[0]}")" && echo "$PWD/$(basename "${candidates[0]}")")
}

# java: $JAVA_HOME, else the PATH, else the JRE bundled with Jira or Confluence in <install-dir>/jre.
mv_find_java() {
  local install_dir=${1:-}
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then
    echo "$JAVA_HOME/bin/java"
  elif command -v java >/dev/null 2>&1; then
    command -v java
  elif [ -n "$install_dir" ] && [ -x "$install_dir/jre/bin/java" ]; then
    echo "$install_dir/jre/bin/java"
  else
    echo "$(basename "$0"): no java found: set JAVA_HOME or put java on the PATH" >&2
    return 1
  fi
}

# The first argument that is neither an option nor an option's value: the install directory.
mv_install_dir() {
  while [ $# -gt 0 ]; do
    case "$1" in
      --flag|--allow|--admin-port|--admin-users|--poll-interval|--preset|--template|--catalina-home|--jar) shift 2 || return 0 ;;
      --*) shift ;;
      *) echo "$1"; return 0 ;;
    esac
  done
}

# Whether an option is among the arguments.
mv_has_option() {
  local name=$1 arg
  shift
  for arg in "$@"; do
    case "$arg" in "$name"|"$name"=*) return 0 ;; esac
  done
  return 1
}
