# Sourced by load.sh and window.sh: the two steps both take before their Tomcat starts.
# Needs HERE (bench/), ROOT (the repository) and a log function.

# Builds the valve jar from ../src and prints its path (only that: Maven's output goes to stderr).
valve_jar() {
    log "building the valve jar (root: mvn -B -q package -DskipTests)"
    (cd "$ROOT" && mvn -B -q package -DskipTests) >&2 || return 1
    ls "$ROOT"/target/maintenance-valve-*.jar | grep -v -e original -e sources | head -1
}

# Unpacks Tomcat $2 from Maven Central into $1 (once) and prints its CATALINA_HOME.
tomcat_home() {
    local dir="$1" version="$2"
    if [ ! -f "$dir/apache-tomcat-$version/bin/bootstrap.jar" ]; then
        log "fetching Tomcat $version from Maven Central"
        mkdir -p "$dir"
        (cd "$HERE" && mvn -B -q dependency:copy -Dartifact="org.apache.tomcat:tomcat:$version:tar.gz" \
            -DoutputDirectory="$dir") >&2 || return 1
        tar -xzf "$dir/tomcat-$version.tar.gz" -C "$dir" || return 1
    fi
    echo "$dir/apache-tomcat-$version"
}
