# kedalint: the CLI, plus helm and kubectl for rendering, as a small non-root image.
# Used as the Argo CD Config Management Plugin sidecar (uid 999, as Argo CD requires) and by the
# PreSync hook Job (deploy/argocd/presync-job.yaml).
#
#   docker build -t ghcr.io/kedalint/kedalint:dev .

FROM rust:1-bookworm AS build
WORKDIR /src
COPY Cargo.toml Cargo.lock ./
COPY src src
COPY rules rules
COPY schemas schemas
RUN cargo build --release --locked --bin kedalint && strip target/release/kedalint

FROM debian:bookworm-slim AS tools
ARG HELM_VERSION=v3.19.0
ARG KUBECTL_VERSION=v1.34.1
ARG TARGETARCH=amd64
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates curl \
 && curl -fsSLo /tmp/helm.tgz "https://get.helm.sh/helm-${HELM_VERSION}-linux-${TARGETARCH}.tar.gz" \
 && curl -fsSLo /tmp/helm.tgz.sha256sum "https://get.helm.sh/helm-${HELM_VERSION}-linux-${TARGETARCH}.tar.gz.sha256sum" \
 && (cd /tmp && echo "$(cut -d' ' -f1 helm.tgz.sha256sum)  helm.tgz" | sha256sum -c -) \
 && tar -xzf /tmp/helm.tgz -C /tmp && mv "/tmp/linux-${TARGETARCH}/helm" /usr/local/bin/helm \
 && curl -fsSLo /usr/local/bin/kubectl "https://dl.k8s.io/release/${KUBECTL_VERSION}/bin/linux/${TARGETARCH}/kubectl" \
 && curl -fsSLo /tmp/kubectl.sha256 "https://dl.k8s.io/release/${KUBECTL_VERSION}/bin/linux/${TARGETARCH}/kubectl.sha256" \
 && echo "$(cat /tmp/kubectl.sha256)  /usr/local/bin/kubectl" | sha256sum -c - \
 && chmod 0755 /usr/local/bin/helm /usr/local/bin/kubectl

FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --gid 999 argocd && useradd --uid 999 --gid 999 --home-dir /home/argocd --create-home argocd
COPY --from=tools /usr/local/bin/helm /usr/local/bin/kubectl /usr/local/bin/
COPY --from=build /src/target/release/kedalint /usr/local/bin/kedalint
USER 999:999
WORKDIR /home/argocd
ENV HELM_CACHE_HOME=/tmp/helm/cache HELM_CONFIG_HOME=/tmp/helm/config HELM_DATA_HOME=/tmp/helm/data
ENTRYPOINT ["kedalint"]
CMD ["--help"]
