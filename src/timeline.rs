//! A small model of how a ScaledObject's replica count moves over time, to show users what their
//! own numbers do. It models two loops (rules.md §3):
//!
//! - KEDA's scale loop, every `pollingInterval`: a trigger active refreshes `lastActiveTime`;
//!   inactive with `minReplicaCount: 0` (or `idleReplicaCount` set) scales straight to 0 (or to
//!   idle) at the first poll after `lastActiveTime + cooldownPeriod`, from whatever the count is
//!   (pkg/scaling/executor/scale_scaledobjects.go `scaleToZeroOrIdle`).
//! - The HPA, every 15 s (kube-controller-manager's default sync period): scale-down waits out
//!   `stabilizationWindowSeconds` (the largest recommendation of the window wins), then moves as far
//!   as the policies allow per period, `selectPolicy` choosing the largest (`Max`) or smallest
//!   (`Min`) change; scale-up likewise from the defaults `[{Pods 4, 15s}, {Percent 100, 15s}]`.
//!
//! It is a model, not the controller: it assumes the load stops (or jumps to the maximum) at once
//! and that the last active poll happened just then, so it shows the fastest case.

use crate::yaml::Node;

pub const HPA_SYNC_SECONDS: i64 = 15;

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Policy {
    /// `Pods` or `Percent`.
    pub kind: String,
    pub value: i64,
    pub period: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ScalingRules {
    pub stabilization: i64,
    pub select: String,
    pub policies: Vec<Policy>,
    /// Whether the user wrote this direction's block (else the Kubernetes defaults apply).
    pub explicit: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Scaling {
    pub polling: i64,
    pub cooldown: i64,
    pub min: i64,
    pub idle: Option<i64>,
    pub max: i64,
    pub scale_down: ScalingRules,
    pub scale_up: ScalingRules,
}

fn rules_from(n: Option<&Node>, up: bool) -> ScalingRules {
    let default = if up {
        ScalingRules { stabilization: 0, select: "Max".into(), policies: vec![Policy { kind: "Pods".into(), value: 4, period: 15 }, Policy { kind: "Percent".into(), value: 100, period: 15 }], explicit: false }
    } else {
        ScalingRules { stabilization: 300, select: "Max".into(), policies: vec![Policy { kind: "Percent".into(), value: 100, period: 15 }], explicit: false }
    };
    let Some(n) = n else { return default };
    let policies: Vec<Policy> = n
        .get("policies")
        .and_then(Node::as_seq)
        .unwrap_or_default()
        .iter()
        .filter_map(|p| Some(Policy { kind: p.get("type")?.text()?.to_owned(), value: p.get("value")?.as_i64()?, period: p.get("periodSeconds")?.as_i64()? }))
        .collect();
    ScalingRules {
        stabilization: n.get("stabilizationWindowSeconds").and_then(Node::as_i64).unwrap_or(default.stabilization),
        select: n.get("selectPolicy").and_then(Node::text).unwrap_or("Max").to_owned(),
        policies: if policies.is_empty() { default.policies } else { policies },
        explicit: true,
    }
}

impl Scaling {
    /// The scaling settings of a ScaledObject spec, with KEDA's and Kubernetes' defaults.
    pub fn from_spec(spec: &Node) -> Scaling {
        let behavior = spec.at(&["advanced", "horizontalPodAutoscalerConfig", "behavior"]);
        Scaling {
            polling: spec.get("pollingInterval").and_then(Node::as_i64).unwrap_or(30),
            cooldown: spec.get("cooldownPeriod").and_then(Node::as_i64).unwrap_or(300),
            min: spec.get("minReplicaCount").and_then(Node::as_i64).unwrap_or(0),
            idle: spec.get("idleReplicaCount").and_then(Node::as_i64),
            max: spec.get("maxReplicaCount").and_then(Node::as_i64).unwrap_or(100),
            scale_down: rules_from(behavior.and_then(|b| b.get("scaleDown")), false),
            scale_up: rules_from(behavior.and_then(|b| b.get("scaleUp")), true),
        }
    }

    /// The HPA's minimum: `max(minReplicaCount, 1)`.
    pub fn hpa_min(&self) -> i64 {
        self.min.max(1)
    }

    /// Whether KEDA itself ever scales in (to 0 or to idle).
    pub fn keda_scales_in(&self) -> bool {
        self.min == 0 || self.idle.is_some()
    }

    /// When KEDA scales in after the last active poll at t=0: the first poll strictly after the
    /// cooldown (polls at `polling`, `2*polling`, ...).
    pub fn keda_scale_in_at(&self) -> i64 {
        let p = self.polling.max(1);
        (self.cooldown / p + 1) * p
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    pub t: i64,
    pub replicas: i64,
    pub what: String,
}

/// One HPA step under `rules`, from `current` towards `target`, given the replica counts of past
/// steps (`history`, one entry per sync, newest last).
fn hpa_step(rules: &ScalingRules, current: i64, target: i64, history: &[(i64, i64)], now: i64) -> i64 {
    if rules.select == "Disabled" {
        return current;
    }
    let up = target > current;
    let mut limits = Vec::new();
    for p in &rules.policies {
        // The count at the start of the policy's period is the base it may move from.
        let base = history.iter().rev().find(|(t, _)| *t <= now - p.period).map_or(history.first().map_or(current, |h| h.1), |h| h.1);
        let base = if up { base.min(current) } else { base.max(current) };
        let limit = match (p.kind.as_str(), up) {
            ("Pods", true) => base + p.value,
            ("Pods", false) => base - p.value,
            ("Percent", true) => (base as f64 * (1.0 + p.value as f64 / 100.0)).ceil() as i64,
            // Kubernetes truncates here (`int32(float64(start) * (1 - value/100))`) and rounds up above.
            ("Percent", false) => (base as f64 * (1.0 - p.value as f64 / 100.0)) as i64,
            _ => current,
        };
        limits.push(limit);
    }
    let pick_most = rules.select != "Min";
    let limit = if up {
        if pick_most { limits.into_iter().max() } else { limits.into_iter().min() }.unwrap_or(current)
    } else if pick_most {
        limits.into_iter().min().unwrap_or(current)
    } else {
        limits.into_iter().max().unwrap_or(current)
    };
    if up { target.min(limit).max(current) } else { target.max(limit).min(current) }
}

/// What happens after the load stops at t=0, starting from `peak` replicas.
pub fn scale_down(s: &Scaling, peak: i64) -> Vec<Event> {
    let mut events = vec![Event { t: 0, replicas: peak, what: "load stops; the last poll with an active trigger".into() }];
    let hpa_min = s.hpa_min();
    let keda_at = s.keda_scales_in().then(|| s.keda_scale_in_at());
    let keda_to = s.idle.unwrap_or(0);
    let mut current = peak;
    let mut history = vec![(0, peak)];
    let window_ends = s.scale_down.stabilization;
    let mut announced = false;
    let mut t = 0;
    while t <= 4 * 3600 {
        t += HPA_SYNC_SECONDS;
        if let Some(k) = keda_at.filter(|k| *k <= t) {
            let cooldown = format!("cooldownPeriod {}s after the last active poll, at the next poll (pollingInterval {}s)", s.cooldown, s.polling);
            events.push(Event { t: k, replicas: keda_to, what: format!("KEDA scales {current} → {keda_to}: {cooldown}") });
            return events;
        }
        if t < window_ends || current <= hpa_min || s.scale_down.select == "Disabled" {
            if s.scale_down.select == "Disabled" && !announced {
                events.push(Event { t, replicas: current, what: "the HPA does not scale down (selectPolicy: Disabled)".into() });
                announced = true;
            }
            history.push((t, current));
            if current <= hpa_min && keda_at.is_none() {
                break;
            }
            continue;
        }
        if !announced {
            events.push(Event { t: window_ends.max(HPA_SYNC_SECONDS), replicas: current, what: format!("the HPA's scale-down stabilization window ({}s) ends", s.scale_down.stabilization) });
            announced = true;
        }
        let next = hpa_step(&s.scale_down, current, hpa_min, &history, t);
        if next != current {
            events.push(Event { t, replicas: next, what: format!("HPA {current} → {next}") });
            current = next;
        }
        history.push((t, current));
        if current <= hpa_min && keda_at.is_none() {
            break;
        }
    }
    events
}

/// Seconds for the HPA to go from its minimum to `max` when demand jumps to `max` at t=0, and the
/// steps; `None` when it never gets there (scale-up disabled, or stuck over four hours).
pub fn scale_up(s: &Scaling) -> (Option<i64>, Vec<Event>) {
    let mut current = s.hpa_min();
    let mut events = vec![Event { t: 0, replicas: current, what: format!("demand jumps to {} replicas", s.max) }];
    let mut history = vec![(0, current)];
    let mut t = s.scale_up.stabilization.max(0);
    while t <= 4 * 3600 {
        t += HPA_SYNC_SECONDS;
        let next = hpa_step(&s.scale_up, current, s.max, &history, t);
        if next != current {
            events.push(Event { t, replicas: next, what: format!("HPA {current} → {next}") });
            current = next;
        }
        history.push((t, current));
        if current >= s.max {
            return (Some(t), events);
        }
        if s.scale_up.select == "Disabled" {
            break;
        }
    }
    (None, events)
}

/// The note that shows what happens when the load stops at `peak` replicas: a compact
/// [`render`] of [`scale_down`] (at most `limit` lines), remembered per thread and shared. A
/// repository's ScaledObjects share a handful of scaling settings: simulating four hours of each
/// one's scale-down was most of the time of the rules that show it, and a copy of the text per
/// finding was 16 MB at 50,000 workloads.
pub fn scale_down_note(s: &Scaling, peak: i64, limit: usize) -> std::sync::Arc<str> {
    type Seen = std::cell::RefCell<std::collections::HashMap<(Scaling, i64, usize), std::sync::Arc<str>>>;
    thread_local!(static SEEN: Seen = Seen::default());
    let key = (s.clone(), peak, limit);
    if let Some(text) = SEEN.with(|m| m.borrow().get(&key).cloned()) {
        return text;
    }
    let text: std::sync::Arc<str> = format!("what happens when the load stops at {peak} replicas:\n{}", render(&scale_down(s, peak), limit)).into();
    SEEN.with(|m| m.borrow_mut().insert(key, text.clone()));
    text
}

/// A compact text timeline: at most `limit` lines, eliding the middle.
pub fn render(events: &[Event], limit: usize) -> String {
    let line = |e: &Event| format!("  t={:>5}  {:>4} replicas  {}", fmt_t(e.t), e.replicas, e.what);
    if events.len() <= limit {
        return events.iter().map(line).collect::<Vec<_>>().join("\n");
    }
    let head = limit / 2;
    let tail = limit - head - 1;
    let mut out: Vec<String> = events[..head].iter().map(line).collect();
    out.push(format!("  ... {} more steps", events.len() - head - tail));
    out.extend(events[events.len() - tail..].iter().map(line));
    out.join("\n")
}

pub fn fmt_t(t: i64) -> String {
    if t >= 60 && t % 60 == 0 { format!("{}m", t / 60) } else if t >= 60 { format!("{}m{}s", t / 60, t % 60) } else { format!("{t}s") }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(yaml: &str) -> Scaling {
        let l = crate::yaml::load(yaml);
        Scaling::from_spec(l.documents[0].root.as_ref().unwrap())
    }

    #[test]
    fn defaults_scale_to_zero_after_cooldown_at_the_next_poll() {
        let s = spec("minReplicaCount: 0\n");
        assert_eq!((s.polling, s.cooldown, s.scale_down.stabilization), (30, 300, 300));
        // The first poll strictly after 300 s, with polls every 30 s, is at 330 s.
        assert_eq!(s.keda_scale_in_at(), 330);
        let ev = scale_down(&s, 10);
        let last = ev.last().unwrap();
        assert_eq!((last.t, last.replicas), (330, 0));
        // The HPA's default scale-down (100% per 15 s) after its 300 s window reaches 1 first.
        assert!(ev.iter().any(|e| e.t == 300 && e.replicas == 10 && e.what.contains("stabilization")));
        assert!(ev.iter().any(|e| e.t == 300 && e.replicas == 1));
    }

    #[test]
    fn seed_behavior_example_scales_down_twenty_percent_a_minute() {
        // The operations guide's behavior block: scaleDown 300 s window, Percent 20 per 60 s.
        let s = spec("minReplicaCount: 1\nmaxReplicaCount: 30\nadvanced:\n  horizontalPodAutoscalerConfig:\n    behavior:\n      scaleDown:\n        stabilizationWindowSeconds: 300\n        policies: [{type: Percent, value: 20, periodSeconds: 60}]\n      scaleUp:\n        stabilizationWindowSeconds: 0\n        policies: [{type: Pods, value: 4, periodSeconds: 60}, {type: Percent, value: 100, periodSeconds: 60}]\n        selectPolicy: Max\n");
        let ev = scale_down(&s, 10);
        // 10 → 8 at 300 s, then one step per 60 s, truncating: 8 → 6 (6.4), 6 → 4 (4.8), 4 → 3, 3 → 2, 2 → 1.
        let steps: Vec<(i64, i64)> = ev.iter().filter(|e| e.what.starts_with("HPA")).map(|e| (e.t, e.replicas)).collect();
        assert_eq!(steps, vec![(300, 8), (360, 6), (420, 4), (480, 3), (540, 2), (600, 1)]);
        assert_eq!(steps.last().unwrap().1, 1);
        // Scale-up from 1 to 30: Max of (+4, double) per 60 s: 1 → 5 → 10 → 20 → 30.
        let (t, up) = scale_up(&s);
        let ups: Vec<i64> = up.iter().skip(1).map(|e| e.replicas).collect();
        assert_eq!(ups, vec![5, 10, 20, 30]);
        assert_eq!(t, Some(195));
    }

    #[test]
    fn min_one_never_goes_to_zero_and_disabled_never_moves() {
        let s = spec("minReplicaCount: 2\ncooldownPeriod: 30\n");
        let ev = scale_down(&s, 6);
        assert_eq!(ev.last().unwrap().replicas, 2);
        assert!(!ev.iter().any(|e| e.what.contains("KEDA")));
        let s = spec("minReplicaCount: 0\nadvanced: {horizontalPodAutoscalerConfig: {behavior: {scaleDown: {selectPolicy: Disabled}}}}\n");
        let ev = scale_down(&s, 6);
        assert!(ev.iter().any(|e| e.what.contains("Disabled")));
        assert_eq!(ev.last().unwrap().replicas, 0, "KEDA still scales to zero");
    }

    #[test]
    fn default_scale_up_doubles_or_adds_four_every_fifteen_seconds() {
        let s = spec("minReplicaCount: 1\nmaxReplicaCount: 20\n");
        let (t, ev) = scale_up(&s);
        let ups: Vec<i64> = ev.iter().skip(1).map(|e| e.replicas).collect();
        assert_eq!(ups, vec![5, 10, 20]);
        assert_eq!(t, Some(45));
    }
}
