//! `cargo run --release -p docfuzz -- [--seconds N] [--executions N] [--seed S] [--fixtures-only]`
//!
//! Runs a fuzzing campaign over every seed document, prints what it did, and saves each
//! failure (the mutated document and a minimized one) under `target/docfuzz/`. Exits 1 when it
//! found a failure. A case is replayed by its seed: `--seed S --executions 1`.
use std::process::ExitCode;
use std::time::Duration;

fn main() -> ExitCode {
    let mut seconds = 60u64;
    let mut executions = usize::MAX;
    let mut first = 0u64;
    let mut real = true;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut number = |what: &str| -> u64 {
            args.next()
                .and_then(|value| value.parse().ok())
                .unwrap_or_else(|| {
                    eprintln!("{what} takes a whole number");
                    std::process::exit(2)
                })
        };
        match arg.as_str() {
            "--seconds" => seconds = number("--seconds"),
            "--executions" => executions = number("--executions") as usize,
            "--seed" => first = number("--seed"),
            "--fixtures-only" => real = false,
            other => {
                eprintln!("unknown argument {other}; see the doc comment of docfuzz/src/main.rs");
                return ExitCode::from(2);
            }
        }
    }
    let seeds = docfuzz::seeds(real);
    let settings = docfuzz::sdk_settings();
    println!(
        "docfuzz: {} seeds, cases from seed {first}, for {seconds} s or {} executions",
        seeds.len(),
        if executions == usize::MAX {
            "unbounded".to_owned()
        } else {
            executions.to_string()
        }
    );
    let report = docfuzz::campaign(
        &seeds,
        &settings,
        first,
        executions,
        Duration::from_secs(seconds),
        Duration::from_secs(30),
    );
    let out = docfuzz::workspace().join("target/docfuzz");
    for found in &report.found {
        let _ = std::fs::create_dir_all(&out);
        let name = format!("case-{}", found.case_seed);
        let original = out.join(format!("{name}.txt"));
        let _ = std::fs::write(&original, &found.case.text);
        println!(
            "FAILURE case {} (seed document {}): {}\n  mutations: {}\n  saved: {}",
            found.case_seed,
            found.case.seed,
            found.failure,
            found.case.mutations.join("; "),
            original.display()
        );
        if let Some(document) = docfuzz::read_document(&found.case.text) {
            let minimal = docfuzz::minimize(&document, found.failure.kind(), &settings, 2_000);
            let minimal_path = out.join(format!("{name}-minimal.yaml"));
            let _ = std::fs::write(
                &minimal_path,
                serde_yaml::to_string(&minimal).unwrap_or_default(),
            );
            println!("  minimized: {}", minimal_path.display());
        }
    }
    println!(
        "docfuzz: {} executions in {:.1} s ({:.0}/s): {} generated, {} refused, {} failures",
        report.executions,
        report.elapsed.as_secs_f64(),
        report.executions as f64 / report.elapsed.as_secs_f64().max(1e-9),
        report.generated,
        report.refused,
        report.found.len()
    );
    for (mutation, (generated, refused)) in &report.by_mutation {
        println!("  {mutation:<18} {generated:>6} generated {refused:>6} refused");
    }
    if report.found.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
