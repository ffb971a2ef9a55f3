#!/usr/bin/env bash
# Installs Maintenance Valve into a Jira, Confluence or plain Tomcat:
#   install/install.sh <install-dir> [--flag FILE] [--allow LIST] [--admin-port PORT]
#                      [--admin-users LIST] [--poll-interval MS] [--preset jira|confluence|none]
#                      [--template FILE] [--context-xml|--server-xml] [--image-build]
#                      [--dry-run] [--help]
# The work is done by `java -jar maintenance-valve-<version>.jar install`; see --help.
# Exit codes: 0 done and a restart starts the valve, 1 refused or check found a problem (printed),
# 2 bad usage or a value the valve would refuse.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$here/common.sh"

dir=$(mv_install_dir "$@")
jar=$(mv_find_jar "$here") || exit 1
java=$(mv_find_java "$dir") || exit 1
mv_require_safe_java "$java" || exit 1
mv_require_safe_jar "$jar" "$here" || exit 1
# --check: after installing, the preflight check ('check <install-dir>'); its verdict is the exit code.
if mv_has_option --jar "$@"; then
  exec "$java" -jar "$jar" install "$@" --check
fi
exec "$java" -jar "$jar" install "$@" --jar "$jar" --check
