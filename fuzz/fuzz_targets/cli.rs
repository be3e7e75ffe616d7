//! The command line's path: a configuration and up to four files (the input split at 0xFF
//! bytes) written to a scratch directory, the configuration read and validated, the files
//! discovered, read, released and read again, every report rendered. The body is
//! `kedalint::testing::fuzz::cli`, which tests/fuzz_replay.rs replays on stable.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| kedalint::testing::fuzz::cli(data));
