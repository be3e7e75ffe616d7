//! Parse and lint arbitrary bytes as one file: nothing may panic, hang or blow the stack.
//! Run with `cargo fuzz run lint` (see the README, "Fuzzing").
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let input = kedalint::Input { path: "fuzz.yaml".into(), bytes: Ok(data.to_vec()) };
    let out = kedalint::engine::run(vec![input], &kedalint::Config::default(), kedalint::schema::validate::Schemas::builtin());
    for d in &out.diagnostics {
        let l = d.primary_label();
        assert!(l.span.start <= out.index.file(l.file).text.len());
        let _ = kedalint::report::human::HumanReporter::plain().render(d, &out.index);
    }
});
