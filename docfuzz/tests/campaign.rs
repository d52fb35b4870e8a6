//! A short fixed campaign, so every test run searches a little: the same cases every time
//! (seeds 0..N), over the fixtures and slices of the real documents. The long, random
//! campaign is `cargo run --release -p docfuzz -- --seconds 600`.
use std::time::Duration;

#[test]
fn a_fixed_campaign_breaks_no_invariant() {
    let seeds = docfuzz::seeds(true);
    // The real documents' slices are seeds only where ../shared is present (as in CI).
    assert!(seeds.len() > 40, "only {} seeds", seeds.len());
    // Large whole documents cost seconds each in a debug build; the slices stand for them.
    let small: Vec<docfuzz::Seed> = seeds
        .into_iter()
        .filter(|seed| seed.document.to_string().len() < 400_000)
        .collect();
    let settings = docfuzz::sdk_settings();
    let report = docfuzz::campaign(
        &small,
        &settings,
        0,
        600,
        Duration::from_secs(240),
        Duration::from_secs(60),
    );
    for found in &report.found {
        eprintln!(
            "case {} ({}): {}\n  mutations: {}",
            found.case_seed,
            found.case.seed,
            found.failure,
            found.case.mutations.join("; ")
        );
    }
    // Straight to stderr, so the line shows in a test run without `--nocapture`.
    let line = format!(
        "\ndocfuzz: {} executions in {:.1} s: {} generated, {} refused, {} failures\n",
        report.executions,
        report.elapsed.as_secs_f64(),
        report.generated,
        report.refused,
        report.found.len()
    );
    let _ = std::io::Write::write_all(&mut std::io::stderr(), line.as_bytes());
    assert!(report.found.is_empty(), "{} failures", report.found.len());
    // A campaign that only ever hits parse errors searches nothing.
    assert!(report.generated > report.executions / 4, "{report:?}");
    assert!(report.refused > 0, "{report:?}");
}

#[test]
fn mutations_are_deterministic() {
    let seeds = docfuzz::seeds(false);
    let first = docfuzz::case(&seeds, &mut docfuzz::rng::Rng::new(7));
    let again = docfuzz::case(&seeds, &mut docfuzz::rng::Rng::new(7));
    assert_eq!(first.text, again.text);
    assert_eq!(first.mutations, again.mutations);
}

#[test]
fn the_checker_tells_refusals_from_generations() {
    let settings = codegen::Settings::default();
    let refused = docfuzz::check(
        "openapi: 2.0.0\ninfo: {title: t, version: '1'}\npaths: {}\n",
        &settings,
    );
    assert!(
        matches!(refused, Ok(docfuzz::Verdict::Refused { ref pointer, .. }) if pointer == "/openapi"),
        "{refused:?}"
    );
    let generated = docfuzz::check(
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      responses: {'204': {description: ok}}\n",
        &settings,
    );
    assert_eq!(generated, Ok(docfuzz::Verdict::Generated { operations: 1 }));
}

#[test]
fn the_minimizer_keeps_only_what_the_failure_needs() {
    let document = serde_json::json!({
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {"/a": {"get": {"responses": {"200": {"description": "ok"}}}}},
        "components": {"schemas": {"A": {"type": "string"}, "B": {"type": "integer", "format": "int32"}}}
    });
    // A stand-in failure: any document in which schema B is still an integer.
    let fails = |candidate: &serde_json::Value| {
        candidate.pointer("/components/schemas/B/type") == Some(&serde_json::json!("integer"))
    };
    let minimal = docfuzz::minimize_with(&document, 500, fails);
    assert_eq!(
        minimal,
        serde_json::json!({"components": {"schemas": {"B": {"type": "integer"}}}})
    );
}
