#!/usr/bin/env python3
"""Generate a synthetic GitOps repository of N workloads for kedalint's benchmarks.

Each workload is a file apps/team-XX/svc-NNNNN.yaml holding a Deployment and a ScaledObject with
1-3 triggers of common types (cpu, prometheus, kafka, rabbitmq, aws-sqs-queue, cron); every 4th
workload also has a Service, every 5th a PodDisruptionBudget, every 10th a TriggerAuthentication
(and its Secret reference), every 20th a ScaledJob. About 2.6 resources per workload: 10,000
workloads are about 26,000 resources. Every 100th workload carries a planted defect (min above
max, an unknown field, a cron window that never closes, a missing trigger parameter), so the
run has findings to report. Deterministic: the same N gives the same files.

    gen_repo.py OUT_DIR N [--one-object-per-file DIR]
"""

import os
import sys

TRIGGERS = [
    '    - type: cpu\n      metricType: Utilization\n      metadata:\n        value: "70"\n',
    '    - type: prometheus\n      metadata:\n        serverAddress: http://prometheus.monitoring:9090\n        query: sum(rate(http_requests_total{{app="svc-{i}"}}[2m]))\n        threshold: "100"\n',
    '    - type: kafka\n      metadata:\n        bootstrapServers: kafka.kafka:9092\n        consumerGroup: svc-{i}\n        topic: events-{i}\n        lagThreshold: "50"\n',
    '    - type: rabbitmq\n      metadata:\n        protocol: amqp\n        queueName: jobs-{i}\n        mode: QueueLength\n        value: "20"\n      authenticationRef:\n        name: rabbit-auth-{a}\n',
    '    - type: aws-sqs-queue\n      metadata:\n        queueURL: https://sqs.eu-west-1.amazonaws.com/123456789012/q-{i}\n        queueLength: "5"\n        awsRegion: eu-west-1\n',
    '    - type: cron\n      metadata:\n        timezone: {tz}\n        start: "0 {h} * * 1-5"\n        end: "0 {e} * * 1-5"\n        desiredReplicas: "3"\n',
]
# Twelve distinct business-hours schedules, as teams in one company would have.
ZONES = ["Europe/Berlin", "America/New_York", "Asia/Tokyo", "Australia/Sydney"]


def workload(i):
    ns = f"team-{i % 50:02d}"
    a = i - i % 10
    parts = [f"""apiVersion: apps/v1
kind: Deployment
metadata:
  name: svc-{i}
  namespace: {ns}
  labels: {{app: svc-{i}}}
spec:
  selector:
    matchLabels: {{app: svc-{i}}}
  template:
    metadata:
      labels: {{app: svc-{i}}}
    spec:
      topologySpreadConstraints:
        - maxSkew: 1
          topologyKey: topology.kubernetes.io/zone
          whenUnsatisfiable: ScheduleAnyway
          labelSelector: {{matchLabels: {{app: svc-{i}}}}}
      containers:
        - name: app
          image: registry.example.com/svc-{i}:1.{i % 7}.0
          ports: [{{containerPort: 8080}}]
          resources:
            requests: {{cpu: 100m, memory: 128Mi}}
            limits: {{memory: 256Mi}}
"""]
    n = 1 + i % 3
    tz, h = ZONES[i % 4], 7 + i % 3
    triggers = "".join(TRIGGERS[(i + k) % len(TRIGGERS)].format(i=i, a=a, tz=tz, h=h, e=h + 10) for k in range(n))
    defect = i % 100 == 99
    lo, hi = (5, 2) if defect and i % 400 == 99 else (1, 10)
    extra = "  pollingIntervall: 30\n" if defect and i % 400 == 199 else ""
    if defect and i % 400 == 299:
        triggers += '    - type: cron\n      metadata:\n        timezone: Europe/Berlin\n        start: "0 8 * * *"\n        end: "0 8 * * *"\n        desiredReplicas: "2"\n'
    if defect and i % 400 == 399:
        triggers += '    - type: kafka\n      metadata:\n        topic: orphan\n        lagThreshold: "10"\n'
    parts.append(f"""apiVersion: keda.sh/v1alpha1
kind: ScaledObject
metadata:
  name: svc-{i}
  namespace: {ns}
spec:
  scaleTargetRef:
    name: svc-{i}
  minReplicaCount: {lo}
  maxReplicaCount: {hi}
  cooldownPeriod: 300
{extra}  triggers:
{triggers}""")
    if i % 4 == 0:
        parts.append(f"""apiVersion: v1
kind: Service
metadata:
  name: svc-{i}
  namespace: {ns}
spec:
  selector: {{app: svc-{i}}}
  ports: [{{port: 80, targetPort: 8080}}]
""")
    if i % 5 == 0:
        parts.append(f"""apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: svc-{i}
  namespace: {ns}
spec:
  maxUnavailable: 1
  selector:
    matchLabels: {{app: svc-{i}}}
""")
    if i % 10 == 0:
        parts.append(f"""apiVersion: keda.sh/v1alpha1
kind: TriggerAuthentication
metadata:
  name: rabbit-auth-{i}
  namespace: {ns}
spec:
  secretTargetRef:
    - parameter: host
      name: rabbit-{i}
      key: uri
""")
    if i % 20 == 0:
        parts.append(f"""apiVersion: keda.sh/v1alpha1
kind: ScaledJob
metadata:
  name: batch-{i}
  namespace: {ns}
spec:
  jobTargetRef:
    template:
      spec:
        restartPolicy: Never
        containers:
          - name: batch
            image: registry.example.com/batch-{i}:1.0.0
  maxReplicaCount: 20
  triggers:
    - type: aws-sqs-queue
      metadata:
        queueURL: https://sqs.eu-west-1.amazonaws.com/123456789012/batch-{i}
        queueLength: "1"
        awsRegion: eu-west-1
""")
    return ns, "---\n".join(parts)


def main(argv):
    out, n = argv[0], int(argv[1])
    one_per_file = argv[3] if len(argv) > 3 and argv[2] == "--one-object-per-file" else None
    for i in range(n):
        ns, text = workload(i)
        d = os.path.join(out, "apps", ns)
        os.makedirs(d, exist_ok=True)
        with open(os.path.join(d, f"svc-{i:05d}.yaml"), "w") as f:
            f.write(text)
        if one_per_file:
            # check-jsonschema validates one object per file: the ScaledObject alone.
            so = text.split("---\n")[1]
            os.makedirs(one_per_file, exist_ok=True)
            with open(os.path.join(one_per_file, f"so-{i:05d}.yaml"), "w") as f:
                f.write(so)


if __name__ == "__main__":
    main(sys.argv[1:])
