#!/usr/bin/env python3
"""Generate a GitOps repository of K clusters with W workloads each, for the deployment-unit cost.

clusters/cKKK/svc-NNNNN.yaml holds the workloads of gen_repo.py (the same names in every cluster,
so without units every one would be a duplicate), and argocd/cKKK.yaml an Argo CD Application
that deploys clusters/cKKK to cluster cKKK. K x W is the number of workload files; the run's cost
should follow it, however it is split into units.

    gen_units.py OUT_DIR K W
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gen_repo import workload  # noqa: E402

APPLICATION = """apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: {c}
  namespace: argocd
spec:
  project: default
  source:
    repoURL: https://github.com/example/platform.git
    targetRevision: main
    path: clusters/{c}
  destination:
    name: {c}
"""


def main():
    out, k, w = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    os.makedirs(os.path.join(out, "argocd"), exist_ok=True)
    for u in range(k):
        c = f"c{u:03d}"
        d = os.path.join(out, "clusters", c)
        os.makedirs(d, exist_ok=True)
        with open(os.path.join(out, "argocd", f"{c}.yaml"), "w") as f:
            f.write(APPLICATION.format(c=c))
        for i in range(w):
            with open(os.path.join(d, f"svc-{i:05d}.yaml"), "w") as f:
                f.write(workload(i)[1])


if __name__ == "__main__":
    main()
