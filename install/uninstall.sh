#!/usr/bin/env bash
# Removes what install.sh added to a Jira, Confluence or plain Tomcat:
#   install/uninstall.sh <install-dir> [--dry-run] [--help]
# The work is done by `java -jar maintenance-valve-<version>.jar uninstall`; see --help.
# Exit codes: 0 done, 1 refused (the reason is printed), 2 bad usage.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$here/common.sh"

dir=$(mv_install_dir "$@")
jar=$(mv_find_jar "$here" "$dir") || exit 1
java=$(mv_find_java "$dir") || exit 1
mv_require_safe_java "$java" || exit 1
mv_require_safe_jar "$jar" "$here" || exit 1
exec "$java" -jar "$jar" uninstall "$@"
