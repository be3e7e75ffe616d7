//! Criterion benchmarks of the hot paths: parsing, schema validation, building the index, and a
//! whole run (all rules). Inputs are workloads like scripts/bench/gen_repo.py makes, built here
//! so that `cargo bench` needs nothing else. End-to-end numbers on 1k/10k/50k-workload
//! repositories come from scripts/bench/run.sh (README, Performance).

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use kedalint::engine::{self, Input};
use kedalint::schema::validate::Schemas;
use kedalint::Config;

fn workload(i: usize) -> String {
    format!(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: svc-{i}\n  namespace: team-{ns}\nspec:\n  selector:\n    matchLabels: {{app: svc-{i}}}\n  template:\n    metadata:\n      labels: {{app: svc-{i}}}\n    spec:\n      containers:\n        - name: app\n          image: registry.example.com/svc-{i}:1.0.0\n          resources:\n            requests: {{cpu: 100m, memory: 128Mi}}\n---\napiVersion: keda.sh/v1alpha1\nkind: ScaledObject\nmetadata:\n  name: svc-{i}\n  namespace: team-{ns}\nspec:\n  scaleTargetRef:\n    name: svc-{i}\n  minReplicaCount: 1\n  maxReplicaCount: 10\n  triggers:\n    - type: cpu\n      metricType: Utilization\n      metadata:\n        value: \"70\"\n    - type: prometheus\n      metadata:\n        serverAddress: http://prometheus.monitoring:9090\n        query: sum(rate(http_requests_total{{app=\"svc-{i}\"}}[2m]))\n        threshold: \"100\"\n    - type: cron\n      metadata:\n        timezone: Europe/Berlin\n        start: \"0 {h} * * 1-5\"\n        end: \"0 18 * * 1-5\"\n        desiredReplicas: \"3\"\n",
        ns = i % 50,
        h = 7 + i % 3
    )
}

fn inputs(n: usize) -> Vec<Input> {
    (0..n).map(|i| Input::bytes(format!("apps/svc-{i}.yaml"), workload(i).into_bytes())).collect()
}

fn benches(c: &mut Criterion) {
    let text: String = (0..200).map(workload).collect::<Vec<_>>().join("---\n");
    let mut g = c.benchmark_group("parse");
    g.throughput(Throughput::Bytes(text.len() as u64));
    g.bench_function("yaml::load 400 objects", |b| b.iter(|| kedalint::yaml::load(&text)));
    g.finish();

    let so = kedalint::yaml::load(&workload(1)).documents.into_iter().filter_map(|d| d.root).nth(1).unwrap();
    c.bench_function("schema validate one ScaledObject", |b| b.iter(|| Schemas::builtin().validate("ScaledObject", &so)));

    let mut config = Config::default();
    config.reference_time = Some(1_767_571_200);
    let mut g = c.benchmark_group("run");
    g.sample_size(10);
    g.throughput(Throughput::Elements(1000));
    g.bench_function("engine::run 1000 workloads, all rules", |b| b.iter(|| engine::run(inputs(1000), &config, Schemas::builtin())));
    g.finish();
}

criterion_group!(lint, benches);
criterion_main!(lint);
