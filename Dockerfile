# Runtime image of Mooring's Quarkus fast-jar. NOT built or tested in this project's environment:
# there is no Docker engine there. Build it on a machine with Docker:
#   ./mvnw -B package -DskipTests && docker build -t mooring:0.1.0 .
# It copies the already-built target/quarkus-app/ (no build stage: the Maven build runs outside).
# No `git` binary is needed: Mooring talks to Git through JGit. Helm charts render in process
# (helm-java's native library, in lib/); Kustomize folders need a `kustomize` binary, added here.
FROM eclipse-temurin:17-jre

ARG KUSTOMIZE_VERSION=v5.5.0
ARG TARGETARCH=amd64
ADD https://github.com/kubernetes-sigs/kustomize/releases/download/kustomize%2F${KUSTOMIZE_VERSION}/kustomize_${KUSTOMIZE_VERSION}_linux_${TARGETARCH}.tar.gz /tmp/kustomize.tar.gz
RUN tar -xzf /tmp/kustomize.tar.gz -C /usr/local/bin kustomize && rm /tmp/kustomize.tar.gz \
 && kustomize version

# Helm (in process) keeps the indexes and charts of chart repositories that dependencies name in
# its cache and config homes: under the writable cache folder, not in a read-only $HOME.
ENV LANGUAGE='en_US:en' \
    MOORING_GIT_CACHE_DIR=/var/cache/mooring \
    HELM_CACHE_HOME=/var/cache/mooring/helm/cache \
    HELM_CONFIG_HOME=/var/cache/mooring/helm/config \
    HELM_DATA_HOME=/var/cache/mooring/helm/data

# The Git mirrors live here; the Helm chart mounts an emptyDir over it (read-only root filesystem).
RUN mkdir -p /deployments /var/cache/mooring \
 && chown -R 185:0 /deployments /var/cache/mooring \
 && chmod -R g+rwX /deployments /var/cache/mooring

# Fast-jar layout, dependencies first so that they stay in a cached layer across app changes.
COPY --chown=185:0 target/quarkus-app/lib/ /deployments/lib/
COPY --chown=185:0 target/quarkus-app/*.jar /deployments/
COPY --chown=185:0 target/quarkus-app/app/ /deployments/app/
COPY --chown=185:0 target/quarkus-app/quarkus/ /deployments/quarkus/

USER 185
WORKDIR /deployments
EXPOSE 8080

ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75.0", "-Djava.util.logging.manager=org.jboss.logmanager.LogManager", "-jar", "/deployments/quarkus-run.jar"]
