# Canopy P2P node. Build:  docker build -t canopy-p2p .
# Run:    docker run -d --name canopy -p 9001:9001 -p 127.0.0.1:9080:9080 \
#           -e P2P_ADMIN_TOKEN=change-me -v canopy-data:/data canopy-p2p
# Extra flags go after the image name, after "run": ... canopy-p2p run --dial ID@HOST:PORT --network main
# The admin port binds 0.0.0.0 inside the container, so the node requires admin.token there
# (set P2P_ADMIN_TOKEN); publish it on the host's loopback only unless you mean to expose it.
# Ports: 9001 P2P (p2p.listen), 9080 admin HTTP: /health, /metrics, /api/*, dashboard at /.
# Cluster mode (--cluster) needs Hazelcast (cluster.port, 5801+) and the event bus reachable by the
# application JVMs: run with --network host, or set cluster.host to the container's address.

# --- build stage: Maven on a JDK 21 image; tests run in CI, not in the image build ---
FROM maven:3.9-eclipse-temurin-21 AS build
WORKDIR /src
COPY pom.xml .
RUN mvn -B -ntp -q dependency:go-offline
COPY src ./src
COPY conf ./conf
# The jar carries NOTICE (attribution of the bundled GeoIP data); the pom reads it from the project root.
COPY NOTICE .
RUN mvn -B -ntp -q -DskipTests package

# --- runtime stage: a JRE only, running as an unprivileged user with a fixed uid/gid (10001), so a
# host directory mounted on /data can be prepared for it: chown 10001:10001 /srv/canopy ---
FROM eclipse-temurin:21-jre
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/* \
    && groupadd --system --gid 10001 canopy \
    && useradd --system --uid 10001 --gid canopy --home-dir /data --shell /usr/sbin/nologin canopy \
    && mkdir -p /data /app/conf && chown canopy:canopy /data && chmod 700 /data
WORKDIR /app
COPY --from=build /src/target/canopy-p2p.jar /app/canopy-p2p.jar
COPY --from=build /src/conf/config.yaml /app/conf/config.yaml
USER canopy
VOLUME ["/data"]
ENV P2P_DATADIR=/data \
    P2P_P2P_LISTEN=0.0.0.0:9001 \
    P2P_ADMIN_LISTEN=0.0.0.0:9080
EXPOSE 9001 9080
# The port comes from P2P_ADMIN_LISTEN: change the admin port with that variable, not a flag.
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s --retries=3 \
  CMD curl -fsS "http://127.0.0.1:${P2P_ADMIN_LISTEN##*:}/health" || exit 1
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-jar", "/app/canopy-p2p.jar"]
# WORKDIR /app: "run" reads conf/config.yaml there when no --config is given.
CMD ["run"]
