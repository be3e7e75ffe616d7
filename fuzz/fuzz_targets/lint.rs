//! Parse and lint arbitrary bytes as one file, and render every report: nothing may panic, hang
//! or blow the stack, and no report may carry a control character from input. The body is
//! `kedalint::testing::fuzz::lint`, which tests/fuzz_replay.rs replays on stable.
//! Run with `cargo fuzz run lint` (see the README, "Robustness").
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| kedalint::testing::fuzz::lint(data));
