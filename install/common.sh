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
# The real path, links resolved: what is checked (mv_require_safe_java) is what runs, even when a
# link on the way sits in a directory another user can change.
mv_find_java() {
  local install_dir=${1:-} java
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then
    java=$JAVA_HOME/bin/java
  elif command -v java >/dev/null 2>&1; then
    java=$(command -v java)
  elif [ -n "$install_dir" ] && [ -x "$install_dir/jre/bin/java" ]; then
    java=$install_dir/jre/bin/java
  else
    echo "$(basename "$0"): no java found: set JAVA_HOME or put java on the PATH" >&2
    return 1
  fi
  readlink -f -- "$java"
}

# Run as root, run nothing another user can change: the file and every directory above it must be
# root's and writable by nobody else (a sticky directory such as /tmp is fine above it: there others
# cannot replace what is root's). Otherwise that user could make root run their code.
# Does nothing unless run as root; else prints why and the advice, and returns 1.
mv_require_root_only() {
  local what=$1 path=$2 advice=$3 real p uid mode owner m why first=1
  [ "$(id -u)" = 0 ] || return 0
  if ! real=$(readlink -f -- "$path"); then
    echo "$(basename "$0"): cannot resolve $path; refusing to run it as root" >&2
    return 1
  fi
  p=$real
  while :; do
    if ! read -r uid mode owner < <(stat -c '%u %a %U' -- "$p" 2>/dev/null); then
      echo "$(basename "$0"): cannot check who can change $p; refusing to run $what $real as root" >&2
      return 1
    fi
    m=$((8#$mode))
    why=
    if [ "$uid" != 0 ]; then
      why="$p is owned by $owner"
    elif (( m & 8#022 )) && { [ "$first" = 1 ] || ! (( m & 8#1000 )); }; then
      if (( m & 8#002 )); then why="$p can be written by everyone"; else why="$p can be written by its group"; fi
    fi
    if [ -n "$why" ]; then
      echo "$(basename "$0"): refusing to run $what $real as root: $why, who could change what root runs." >&2
      echo "$advice" >&2
      return 1
    fi
    [ "$p" = / ] && return 0
    p=$(dirname -- "$p")
    first=0
  done
}

# As root: the java binary and every file its JVM loads only root can change. The JVM reads its
# home's lib/ (libjvm.so, the other .so files, modules, jvm.cfg, Java 8's lib/amd64/server, rt.jar
# and the jars of lib/ext), conf/ (java.security) and, in a Java 8 JDK, jre/: each file and
# directory there must be root's and writable by nobody else, and a link in them must lead to such a
# file through directories only root can change (a link that leads nowhere, to a place others could
# create it). One find per directory: the check stays fast on a full JDK.
mv_require_safe_java() {
  local java=$1 real home advice dir bad p uid mode owner why link target parent
  [ "$(id -u)" = 0 ] || return 0
  local -A seen=()
  advice="Use a Java only root can change (set JAVA_HOME to it), or run $(basename "$0") as the user who owns the installation: sudo -u <owner> $0 ..."
  mv_require_root_only "java" "$java" "$advice" || return 1
  real=$(readlink -f -- "$java")
  home=$(dirname -- "$(dirname -- "$real")")
  for dir in "$home/lib" "$home/conf" "$home/jre"; do
    [ -e "$dir" ] || [ -L "$dir" ] || continue
    mv_require_root_only "java $real (its $dir)" "$dir" "$advice" || return 1
    # The first file or directory (a link's target, with -L) not root's or writable by others.
    if ! bad=$(find -L "$dir" ! -type l \( ! -uid 0 -o -perm /022 \) -print -quit 2>&1); then
      echo "$(basename "$0"): cannot look through $dir ($bad); refusing to run java $real as root" >&2
      return 1
    fi
    if [ -n "$bad" ]; then
      p=$bad
      read -r uid mode owner < <(stat -L -c '%u %a %U' -- "$p")
      if [ "$uid" != 0 ]; then
        why="$p is owned by $owner"
      elif (( 8#$mode & 8#002 )); then
        why="$p can be written by everyone"
      else
        why="$p can be written by its group"
      fi
      echo "$(basename "$0"): refusing to run java $real as root: $why, who could change what root runs (the JVM loads what is in $dir)." >&2
      echo "Fix: chown root: $p && chmod go-w $p (for the whole Java: chown -R root: $home && chmod -R go-w $home)." >&2
      echo "$advice" >&2
      return 1
    fi
    # Links: find -L has checked the files they lead to; the directories above those (each once),
    # or the nearest one that exists for a link that leads nowhere, only root can change either.
    while IFS= read -r -d '' link; do
      target=$(readlink -m -- "$link")
      parent=$(dirname -- "$target")
      while [ ! -d "$parent" ] && [ "$parent" != / ]; do
        parent=$(dirname -- "$parent")
      done
      [ -z "${seen[$parent]:-}" ] || continue
      seen[$parent]=1
      mv_require_root_only "java $real (its $link, a link to $target, in)" "$parent" "$advice" || return 1
    done < <(find -L "$dir" -xtype l -print0 2>/dev/null)
  done
}

# As root: the valve jar only root can change.
mv_require_safe_jar() {
  local jar=$1 here=$2
  mv_require_root_only "the jar" "$jar" "Put the jar and install/ where only root can change them, and run it from there, e.g.
  sudo mkdir -p /opt/maintenance-valve && sudo cp -r $here $jar /opt/maintenance-valve/
  sudo /opt/maintenance-valve/install/$(basename "$0") ..."
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
