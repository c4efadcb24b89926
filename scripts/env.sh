# Sourced by the other scripts: finds JDK 25 and exports JAVA_HOME.
# shellcheck shell=bash

# JDK 25 is not in Debian 12's archive; it must be installed beforehand
# (Temurin 25 under /usr/lib/jvm, or JAVA_HOME pointing at one).
java_feature() { "$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p'; }

find_jdk25() {
	local candidate
	for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-* /usr/lib/jvm/java-25-* /usr/lib/jvm/jdk-25*; do
		[ -n "$candidate" ] && [ -x "$candidate/bin/javac" ] || continue
		if [ "$(java_feature "$candidate")" -ge 25 ] 2>/dev/null; then
			echo "$candidate"
			return 0
		fi
	done
	return 1
}

if ! JAVA_HOME=$(find_jdk25); then
	echo "bpfscope: no JDK 25 found (looked at \$JAVA_HOME and /usr/lib/jvm/*25*)." >&2
	echo "bpfscope: install a JDK 25 (e.g. Temurin 25) and set JAVA_HOME to it." >&2
	exit 1
fi
export JAVA_HOME
export PATH="$JAVA_HOME/bin:$PATH"
