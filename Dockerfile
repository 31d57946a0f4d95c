# Mirador metrics catalog: multi-stage build, non-root runtime.
#   docker build -t mirador .
#   docker run -p 8080:8080 -e VICTORIAMETRICS_URL=http://victoriametrics:8428 \
#     -e MIRADOR_HTTP_HOST=0.0.0.0 -e MIRADOR_API_KEYS=ops -e JAVA_OPTS="-Dmirador.api-key.ops.sha256=<sha256 of the key> \
#     -Dmirador.api-key.ops.role=admin -Dmirador.api-key.ops.tenants=*" mirador
# Listening beyond loopback needs API keys (see README).
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml .
RUN mvn -B -q dependency:go-offline
COPY application.properties ./
COPY routes routes
COPY src src
COPY bin/trim-natives bin/trim-natives
RUN mvn -B -q -DskipTests package && bin/trim-natives target/lib

FROM eclipse-temurin:17-jre
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --home /app mirador \
 && mkdir -p /app/lib /data && chown mirador /data
WORKDIR /app
COPY --from=build /src/target/lib/ lib/
COPY --from=build /src/target/mirador.jar mirador.jar
COPY bin/run-jar run-jar
# the routes are in the jar; mount a directory here and set MIRADOR_ROUTES=file:/app/routes/*.camel.yaml to edit them
COPY routes routes
USER mirador
ENV MIRADOR_DATA_DIR=/data \
    MIRADOR_HTTP_PORT=8080 \
    JAVA_OPTS="-XX:MaxRAMPercentage=75 -XX:+UseParallelGC"
VOLUME /data
EXPOSE 8080
HEALTHCHECK --interval=15s --timeout=3s --start-period=30s \
  CMD curl -fs http://127.0.0.1:${MIRADOR_HTTP_PORT}/observe/health/ready >/dev/null || exit 1
# run-jar adds class data sharing: the first start records an archive in /data, later starts use it
ENTRYPOINT ["/app/run-jar", "/app/mirador.jar"]
