#!/usr/bin/env python3
"""One manifest stream with N findings, for the human reporter's benchmark (issue #17).

Each of N/4 workloads is a Deployment with its ScaledObject in one file (as `helm template` or
`kustomize build` writes them, and as `--passthrough` reads them in Argo CD) with four findings:
`minReplicaCount` above `maxReplicaCount` (an error), a `pollingInterval` of 1 (two warnings:
low, and ineffective under the HPA's sync period) and no pod anti-affinity (a warning). So the
stream has N findings with snippets in one file. Deterministic.

    gen_findings.py OUT_FILE N
"""

import sys


def main():
    out, n = sys.argv[1], int(sys.argv[2])
    docs = []
    for i in range(n // 4):
        docs.append(f"""apiVersion: apps/v1
kind: Deployment
metadata:
  name: svc-{i}
  namespace: apps
spec:
  selector: {{matchLabels: {{app: svc-{i}}}}}
  template:
    metadata: {{labels: {{app: svc-{i}}}}}
    spec:
      containers: [{{name: app, image: "svc:1", resources: {{requests: {{cpu: 100m, memory: 64Mi}}}}}}]
---
apiVersion: keda.sh/v1alpha1
kind: ScaledObject
metadata:
  name: svc-{i}
  namespace: apps
spec:
  scaleTargetRef: {{name: svc-{i}}}
  pollingInterval: 1
  minReplicaCount: 5
  maxReplicaCount: 2
  triggers:
    - type: prometheus
      metadata: {{serverAddress: "http://prometheus:9090", query: "sum(rate(x[2m]))", threshold: "100"}}
""")
    with open(out, "w") as f:
        f.write("---\n".join(docs))


if __name__ == "__main__":
    main()
