# bpfscope daemon image. Build the application first (./mvnw package), then:
#   docker build -t bpfscope .
# Base images are build arguments: the public ones by default; scripts/base-images
# makes local stand-ins where no registry is reachable and prints the arguments.
# How to run it (capabilities, mounts): README.md, "Container image".
ARG JDK_IMAGE=eclipse-temurin:25-jdk
ARG BASE_IMAGE=debian:bookworm-slim

FROM ${JDK_IMAGE} AS jre
# The modules the daemon uses, found with jdeps and checked by starting it:
#   java.logging      the JBoss log manager replaces java.util.logging's
#   java.management   JVM metrics (MXBeans), with jdk.management for com.sun.management's
#   java.naming       Quarkus and Vert.x touch JNDI at start-up
#   jdk.unsupported   sun.misc.Signal (SIGTERM handling) and Netty's sun.misc.Unsafe
#   jdk.zipfs         SmallRye Config reads the jars as file systems (a service jdeps cannot see)
# Java debug attributes only: --strip-debug would also run objcopy (binutils) on
# native libraries that Temurin ships stripped already.
RUN jlink --add-modules java.base,java.logging,java.management,java.naming,jdk.management,jdk.unsupported,jdk.zipfs \
        --strip-java-debug-attributes --no-header-files --no-man-pages --output /jre

FROM ${BASE_IMAGE}
ARG BASE_IMAGE
# The Maven project version (Implementation-Version of quarkus-run.jar's manifest).
ARG VERSION=unknown
LABEL org.opencontainers.image.title="bpfscope" \
      org.opencontainers.image.description="eBPF observability daemon: write and execve tracepoints to Prometheus and Server-Sent Events" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.licenses="Apache-2.0 AND (BSD-2-Clause OR GPL-2.0-only)" \
      org.opencontainers.image.vendor="bpfscope" \
      org.opencontainers.image.base.name="${BASE_IMAGE}"

# libbpf.so.1, which the daemon binds to through FFM; nothing else is needed at run time.
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends libbpf1 \
    && apt-get clean \
    && rm -rf /var/lib/apt/lists/*

COPY --from=jre /jre /opt/java
# Dependencies first: they change less often than the application, so their layer stays cached.
COPY target/quarkus-app/lib/ /opt/bpfscope/lib/
COPY target/quarkus-app/quarkus/ /opt/bpfscope/quarkus/
COPY target/quarkus-app/app/ /opt/bpfscope/app/
COPY target/quarkus-app/quarkus-run.jar /opt/bpfscope/

# The JVM options of a host (scripts/jvm.options), in the environment so that the chart's
# replace them; ContainerIT checks they agree.
ENV JAVA_TOOL_OPTIONS="-Xms8m -Xmx64m -XX:+UseSerialGC -XX:+UseCompactObjectHeaders -XX:NewRatio=1 -XX:SurvivorRatio=2 -XX:TrimNativeHeapInterval=1000"

# The JVM's AOT cache (as scripts/aot-train makes on a host), made with this image's own JVM
# and options, since a cache serves only those. A build may not load BPF programs, so this
# training run stops there (after a minute at most where it may), and the cache holds the
# start-up up to that point: the classes of Quarkus, Vert.x, Netty and bpfscope's own.
RUN cd /tmp && timeout 60 /opt/java/bin/java --enable-native-access=ALL-UNNAMED -XX:-UsePerfData \
        -XX:AOTCacheOutput=/opt/bpfscope/bpfscope.aot -Dbpfscope.filter.state-dir=/tmp/aot-state \
        -jar /opt/bpfscope/quarkus-run.jar >/tmp/aot-train.log 2>&1; \
    test -s /opt/bpfscope/bpfscope.aot || { cat /tmp/aot-train.log; exit 1; }; \
    rm -rf /tmp/aot-train.log /tmp/aot-state

# Where the PID filter is saved across restarts (bpfscope.filter.state-dir).
VOLUME /var/lib/bpfscope
EXPOSE 9445

# No curl in a slim image: bash (always there in Debian) speaks enough HTTP
# over /dev/tcp to ask the readiness endpoint, at the port the daemon was given.
HEALTHCHECK --interval=15s --timeout=3s --start-period=30s --retries=3 \
    CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/${QUARKUS_HTTP_PORT:-9445} && printf 'GET /q/health/ready HTTP/1.0\\r\\n\\r\\n' >&3 && read -r -t 2 status <&3 && [[ $status == 'HTTP/1.'?' 200 '* ]]"]


# -XX:-UsePerfData: no hsperfdata file in /tmp, so the root file system can be read-only.
ENTRYPOINT ["/opt/java/bin/java", "--enable-native-access=ALL-UNNAMED", "-XX:-UsePerfData", "-XX:AOTCache=/opt/bpfscope/bpfscope.aot", "-jar", "/opt/bpfscope/quarkus-run.jar"]
