//! Decoding speed and memory of the generated models, side by side in one run, on the same
//! bytes: lists of user groups (nested attributes, a value outside its enum; one body with
//! every key declared, one with an undeclared key in each group) read
//!
//! - the way the SDK reads a response body (`runtime::decode_json::<Vec<models::UserGroup>>`);
//! - through serde-derived twins of the same type tree (`twin!`): one that skips undeclared
//!   keys (serde's derive and OpenAPI Generator: less work than the SDK does), one that keeps
//!   them with `#[serde(flatten)]` (the same work);
//! - into `serde_json::Value`, as a yardstick of plain JSON parsing on this machine.
//!
//! Each decoder runs in a process of its own (this binary again), so that none runs on a heap
//! another one left behind. Rounds run every decoder once, in rotating order, so a change of
//! load weighs on all alike; times are medians (each a decode and the drop of its result).
//! Then one large list (`DECODE_LARGE_MB`, default 300 MB) is read by each, once per process,
//! in three rounds, with the median time of decoding and of freeing the result (apart: that is
//! glibc's work, and it swings with the order of allocations), and the peak heap each takes
//! beyond the body, counted by this binary's allocator.
//!
//! `cargo bench -p tests --bench decode`
use jumpcloud_sdk::models;
use std::alloc::{GlobalAlloc, Layout, System};
use std::hint::black_box;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

const GROUPS: usize = 1000;
const ROUNDS: usize = 15;
/// Decodes timed in each child.
const ITERATIONS: usize = 25;
/// Rounds of the large list (each decoder once per round, a process each).
const LARGE_ROUNDS: usize = 3;

/// The system allocator, counting the bytes in use and their peak while `COUNTING` is on
/// (only for the large list: the atomic counters would slow the timed rounds, and the
/// decoders that allocate more the most).
struct Counting;

static COUNTING: AtomicBool = AtomicBool::new(false);
static IN_USE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

// SAFETY: every call is forwarded to `System` unchanged; the counters only observe sizes.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let pointer = unsafe { System.alloc(layout) };
        if !pointer.is_null() && COUNTING.load(Ordering::Relaxed) {
            let now = IN_USE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
            PEAK.fetch_max(now, Ordering::Relaxed);
        }
        pointer
    }

    unsafe fn dealloc(&self, pointer: *mut u8, layout: Layout) {
        unsafe { System.dealloc(pointer, layout) };
        if COUNTING.load(Ordering::Relaxed) {
            IN_USE.fetch_sub(layout.size(), Ordering::Relaxed);
        }
    }

    unsafe fn realloc(&self, pointer: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let moved = unsafe { System.realloc(pointer, layout, new_size) };
        if !moved.is_null() && COUNTING.load(Ordering::Relaxed) {
            if new_size >= layout.size() {
                let grown = new_size - layout.size();
                let now = IN_USE.fetch_add(grown, Ordering::Relaxed) + grown;
                PEAK.fetch_max(now, Ordering::Relaxed);
            } else {
                IN_USE.fetch_sub(layout.size() - new_size, Ordering::Relaxed);
            }
        }
        moved
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// A string enum of the twins, which keeps a value outside its variants as `Unknown(text)`, as
/// the SDK's enums do: serde's derive can only drop it (`#[serde(other)]` takes a unit
/// variant), so this `Deserialize` is written out, as a serde user keeping the value would.
/// (With the text dropped, the twin made one allocation fewer per ten groups, and that alone
/// made glibc free the large list in 0.4 s instead of 0.9 s: fewer small chunks left for its
/// fastbin consolidation.)
macro_rules! keeps_unknown {
    ($name:ident { $($text:literal => $variant:ident,)* }) => {
        pub enum $name {
            $($variant,)*
            Unknown(String),
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                struct Text;
                impl serde::de::Visitor<'_> for Text {
                    type Value = $name;
                    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                        f.write_str("a string")
                    }
                    fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<$name, E> {
                        Ok(match text {
                            $($text => $name::$variant,)*
                            other => $name::Unknown(other.to_owned()),
                        })
                    }
                }
                deserializer.deserialize_str(Text)
            }
        }
    };
}

/// The serde-derived twins of `models::UserGroup` and the types below it that the body
/// reaches: the same structs, fields and Rust types, and enums that keep an unknown value's
/// text (`keeps_unknown!`). `$keep` is what happens to the undeclared keys: `#[serde(skip)]`
/// drops them (serde's derive and OpenAPI Generator), `#[serde(flatten)]` keeps them as the
/// SDK does (at the price of buffering every object). Only the decoder reads the fields.
macro_rules! twin {
    ($module:ident, #[$keep:meta]) => {
        #[allow(dead_code)]
        mod $module {
            use serde::Deserialize;

            #[derive(Deserialize)]
            #[serde(rename_all = "camelCase")]
            pub struct UserGroup {
                pub attributes: Option<GroupAttributesUserGroup>,
                pub description: Option<String>,
                pub email: Option<String>,
                pub id: Option<String>,
                pub member_query: Option<MemberQuery>,
                pub member_query_error_flags: Option<Vec<String>>,
                pub member_query_exemptions: Option<Vec<MemberQueryExemption>>,
                pub member_suggestions_notify: Option<bool>,
                pub membership_method: Option<GroupMembershipMethodType>,
                pub name: Option<String>,
                pub organization_object_id: Option<String>,
                pub suggestion_counts: Option<SuggestionCounts>,
                #[serde(rename = "type")]
                pub kind: Option<UserGroupType>,
                #[$keep]
                pub additional_properties: std::collections::BTreeMap<String, serde_json::Value>,
            }

            #[derive(Deserialize)]
            #[serde(rename_all = "camelCase")]
            pub struct GroupAttributesUserGroup {
                pub ldap_groups: Option<Vec<LdapGroup>>,
                pub posix_groups: Option<Vec<PosixGroup>>,
                pub radius: Option<Radius>,
                pub samba_enabled: Option<bool>,
                pub sudo: Option<Sudo>,
                #[$keep]
                pub additional_properties: std::collections::BTreeMap<String, serde_json::Value>,
            }

            #[derive(Deserialize)]
            pub struct LdapGroup {
                pub name: Option<String>,
                #[$keep]
                pub additional_properties: std::collections::BTreeMap<String, serde_json::Value>,
            }

            #[derive(Deserialize)]
            pub struct PosixGroup {
                pub id: i64,
                pub name: String,
                #[$keep]
                pub additional_properties: std::collections::BTreeMap<String, serde_json::Value>,
            }

            #[derive(Deserialize)]
            pub struct Radius {
                pub reply: Option<Vec<RadiusReply>>,
                #[$keep]
                pub additional_properties: std::collections::BTreeMap<String, serde_json::Value>,
            }

            #[derive(Deserialize)]
            pub struct RadiusReply {
                pub name: String,
                pub value: String,
                #[$keep]
                pub additional_properties: std::collections::BTreeMap<String, serde_json::Value>,
            }

            #[derive(Deserialize)]
            #[serde(rename_all = "camelCase")]
            pub struct Sudo {
                pub enabled: bool,
                pub without_password: bool,
                #[$keep]
                pub additional_properties: std::collections::BTreeMap<String, serde_json::Value>,
            }

            #[derive(Deserialize)]
            #[serde(rename_all = "camelCase")]
            pub struct MemberQuery {
                pub filters: Option<Vec<serde_json::Value>>,
                pub query_type: Option<QueryType>,
                #[$keep]
                pub additional_properties: std::collections::BTreeMap<String, serde_json::Value>,
            }

            #[derive(Deserialize)]
            #[serde(rename_all = "camelCase")]
            pub struct MemberQueryExemption {
                pub id: String,
                pub organization_id: Option<String>,
                #[serde(rename = "type")]
                pub kind: String,
                #[$keep]
                pub additional_properties: std::collections::BTreeMap<String, serde_json::Value>,
            }

            #[derive(Deserialize)]
            pub struct SuggestionCounts {
                pub add: Option<i64>,
                pub remove: Option<i64>,
                pub total: Option<i64>,
                #[$keep]
                pub additional_properties: std::collections::BTreeMap<String, serde_json::Value>,
            }

            keeps_unknown!(QueryType {
                "Filter" => Filter,
                "FilterQuery" => FilterQuery,
                "Search" => Search,
            });
            keeps_unknown!(GroupMembershipMethodType {
                "NOTSET" => Notset,
                "STATIC" => Static,
                "DYNAMIC_REVIEW_REQUIRED" => DynamicReviewRequired,
                "DYNAMIC_AUTOMATED" => DynamicAutomated,
            });
            keeps_unknown!(UserGroupType {
                "user_group" => UserGroup,
            });
        }
    };
}

twin!(twin, #[serde(skip)]);
twin!(twin_kept, #[serde(flatten)]);

/// One group; `undeclared` adds a key the document does not declare.
fn group(i: usize, undeclared: bool) -> String {
    let group = format!(
        r#"{{"id":"5f1b1b1b1b1b1b1b1b1b{i:04}","name":"group {i}","type":"{kind}","description":"Members of team {i}, with a longer description","email":"team{i}@example.com","attributes":{{"sudo":{{"enabled":{sudo},"withoutPassword":false}},"ldapGroups":[{{"name":"ldap-{i}"}}],"posixGroups":[{{"id":{i},"name":"posix-{i}"}}],"radius":{{"reply":[{{"name":"Session-Timeout","value":"3600"}}]}},"sambaEnabled":false}},"memberQuery":{{"queryType":"FilterQuery","filters":[{{"field":"department","operator":"eq","value":"eng"}}]}},"memberQueryExemptions":[{{"id":"e{i}","type":"USER"}}],"membershipMethod":"STATIC","suggestionCounts":{{"add":{i},"remove":0,"total":{i}}}}}"#,
        kind = if i % 10 == 0 {
            "something_new"
        } else {
            "user_group"
        },
        sudo = i % 2 == 0,
    );
    match undeclared {
        true => group.replacen('{', r#"{"undeclared":{"kept":true},"#, 1),
        false => group,
    }
}

/// A JSON list of `count` groups.
fn body(count: usize, undeclared: bool) -> Vec<u8> {
    let mut body = Vec::with_capacity(count * 620);
    body.push(b'[');
    for i in 0..count {
        if i > 0 {
            body.push(b',');
        }
        body.extend_from_slice(group(i % 10_000, undeclared).as_bytes());
    }
    body.push(b']');
    body
}

struct Decoder {
    name: &'static str,
    /// Decodes the body and drops what it read: how many groups, and how long the drop took.
    run: fn(&[u8]) -> (usize, Duration),
}

/// How many items `list` holds, and how long dropping it takes. A large list's drop is timed
/// apart from its decoding: it is glibc's work on the allocations the list holds, not the
/// decoder's.
fn count_and_drop<T>(list: Vec<T>) -> (usize, Duration) {
    let list = black_box(list);
    let count = list.len();
    let start = Instant::now();
    drop(list);
    (count, start.elapsed())
}

const DECODERS: [Decoder; 4] = [
    Decoder {
        name: "SDK (runtime::decode_json)",
        run: |body| {
            let groups: Vec<models::UserGroup> = jumpcloud_sdk::runtime::decode_json(body).unwrap();
            count_and_drop(groups)
        },
    },
    Decoder {
        name: "serde derive twin (serde_json::from_slice)",
        run: |body| count_and_drop(serde_json::from_slice::<Vec<twin::UserGroup>>(body).unwrap()),
    },
    Decoder {
        name: "serde derive twin, flatten (keeps them)",
        run: |body| {
            let groups = serde_json::from_slice::<Vec<twin_kept::UserGroup>>(body).unwrap();
            count_and_drop(groups)
        },
    },
    Decoder {
        name: "serde_json::Value (serde_json::from_slice)",
        run: |body| match serde_json::from_slice(body).unwrap() {
            serde_json::Value::Array(items) => count_and_drop(items),
            _ => (0, Duration::ZERO),
        },
    },
];

/// Runs `run` for every decoder in each of `rounds` rounds, each round starting with a
/// different decoder; the results, per decoder.
fn rotating_rounds<T>(rounds: usize, mut run: impl FnMut(usize) -> T) -> Vec<Vec<T>> {
    let mut results: Vec<Vec<T>> = (0..DECODERS.len()).map(|_| Vec::new()).collect();
    for round in 0..rounds {
        for offset in 0..DECODERS.len() {
            let index = (round + offset) % DECODERS.len();
            results[index].push(run(index));
        }
    }
    results
}

/// The SDK's time (the first) against each other decoder's, after `label`.
fn print_ratios(label: &str, times: &[Duration]) {
    let seconds: Vec<f64> = times.iter().map(Duration::as_secs_f64).collect();
    print_cost_ratios(label, &seconds);
}

/// The SDK's cost (the first) against each other decoder's, after `label`.
fn print_cost_ratios(label: &str, costs: &[f64]) {
    let ratio = |other: usize| costs[0] / costs[other];
    println!(
        "  {label}SDK / derive twin: {:.2}   SDK / flatten twin: {:.2}   SDK / serde_json::Value: \
         {:.2}",
        ratio(1),
        ratio(2),
        ratio(3)
    );
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

/// The median of one part of each run.
fn median_by<R>(runs: &[R], part: impl Fn(&R) -> Duration) -> Duration {
    median(runs.iter().map(part).collect())
}

/// The environment variable that makes this binary a child: `DECODER:BODY:small|large`, where
/// BODY is 1 for the body with undeclared keys.
const CHILD: &str = "DECODE_BENCH_CHILD";

/// A child's work: one decoder on one body, in a fresh process (so that no decoder runs on a
/// heap another left behind), printing one line of numbers for the parent.
fn child(spec: &str) {
    let parts: Vec<&str> = spec.split(':').collect();
    let [decoder, undeclared, size] = parts[..] else {
        panic!("{CHILD} is DECODER:BODY:small|large, not {spec}");
    };
    let decoder = &DECODERS[decoder.parse::<usize>().expect("a decoder index")];
    let undeclared = undeclared == "1";
    if size == "counted" {
        let body = body(GROUPS, undeclared);
        (decoder.run)(&body);
        for _ in 0..COUNTED {
            counted_decode(decoder.run, &body);
        }
        return;
    }
    if size == "small" {
        let body = body(GROUPS, undeclared);
        for _ in 0..3 {
            (decoder.run)(black_box(&body));
        }
        let (mut in_all, mut decoding) = (Vec::new(), Vec::new());
        for _ in 0..ITERATIONS {
            let start = Instant::now();
            let (_, dropping) = (decoder.run)(black_box(&body));
            let total = start.elapsed();
            in_all.push(total);
            decoding.push(total - dropping);
        }
        println!(
            "{} {}",
            median(in_all).as_nanos(),
            median(decoding).as_nanos()
        );
        return;
    }
    let body = body(large_count(), undeclared);
    COUNTING.store(true, Ordering::Relaxed);
    let start = Instant::now();
    let (read, dropping) = (decoder.run)(&body);
    let elapsed = start.elapsed();
    COUNTING.store(false, Ordering::Relaxed);
    println!(
        "{} {} {} {read} {}",
        elapsed.as_nanos(),
        dropping.as_nanos(),
        PEAK.load(Ordering::Relaxed),
        body.len()
    );
}

/// Decodes counted in a child under callgrind.
const COUNTED: u64 = 3;

/// One decode and drop, in a function of its own: callgrind counts the instructions executed
/// inside it alone (`--toggle-collect`), not the body's making or the process's start.
#[inline(never)]
fn counted_decode(run: fn(&[u8]) -> (usize, Duration), body: &[u8]) -> usize {
    run(black_box(body)).0
}

/// The instructions each decoder executes to decode `flag`'s small body and drop the result,
/// counted by callgrind: unlike times on this machine, the same from run to run. `None` when
/// valgrind is not installed.
fn instructions(flag: u8) -> Option<Vec<f64>> {
    let exe = std::env::current_exe().expect("the bench");
    (0..DECODERS.len())
        .map(|index| {
            let output = std::process::Command::new("valgrind")
                .args([
                    "--tool=callgrind",
                    "--toggle-collect=*counted_decode*",
                    "--callgrind-out-file=/dev/null",
                ])
                .arg(&exe)
                .env(CHILD, format!("{index}:{flag}:counted"))
                .output()
                .ok()?;
            let stderr = String::from_utf8_lossy(&output.stderr);
            assert!(output.status.success(), "callgrind failed: {stderr}");
            let collected = stderr
                .lines()
                .find_map(|line| line.split_once("Collected :"))
                .map(|(_, count)| count.trim().parse::<u64>().expect("a count"))
                .expect("callgrind prints what it collected");
            Some(collected as f64 / COUNTED as f64)
        })
        .collect()
}

/// The large list's group count: about `DECODE_LARGE_MB` (default 300) megabytes.
fn large_count() -> usize {
    let megabytes: usize = std::env::var("DECODE_LARGE_MB")
        .ok()
        .and_then(|mb| mb.parse().ok())
        .unwrap_or(300);
    megabytes * 1_000_000 / group(GROUPS / 2, true).len()
}

/// glibc's setting that keeps freed memory in the process instead of returning it to the
/// kernel after each decode (see `main`).
const NO_TRIM: &str = "glibc.malloc.trim_threshold=4294967295";

/// Runs this binary as a child and returns the numbers it printed; `quick` makes the large
/// list small, `no_trim` turns glibc's heap trimming off.
fn run_child(spec: &str, quick: bool, no_trim: bool) -> Vec<u128> {
    let mut command = std::process::Command::new(std::env::current_exe().expect("the bench"));
    if quick {
        command.env("DECODE_LARGE_MB", "3");
    }
    if no_trim {
        command.env("GLIBC_TUNABLES", NO_TRIM);
    }
    let output = command.env(CHILD, spec).output().expect("the child runs");
    assert!(
        output.status.success(),
        "child {spec} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout)
        .split_whitespace()
        .map(|number| number.parse().expect("a number"))
        .collect()
}

/// One decode of the large list, in a child: its whole time, the part spent dropping the
/// result, the peak heap beyond the body, the groups read and the body's length.
struct LargeRun {
    total: Duration,
    dropping: Duration,
    peak: u128,
    read: u128,
    length: u128,
}

/// What the SDK decodes from `body` is what it holds.
fn check(body: &[u8], undeclared: bool) {
    let decoded: Vec<models::UserGroup> =
        jumpcloud_sdk::runtime::decode_json(body).expect("the body decodes");
    assert_eq!(decoded.len(), GROUPS);
    assert_eq!(decoded[7].name.as_deref(), Some("group 7"));
    assert_eq!(
        decoded[7].additional_properties.contains_key("undeclared"),
        undeclared
    );
    assert_eq!(
        decoded[10].r#type,
        Some(models::UserGroupType::Unknown("something_new".into()))
    );
    for decoder in &DECODERS {
        assert_eq!((decoder.run)(body).0, GROUPS, "{}", decoder.name);
    }
}

fn main() {
    if let Ok(spec) = std::env::var(CHILD) {
        return child(&spec);
    }
    // `cargo bench` passes `--bench`; `cargo test --benches` runs this once, quickly.
    let quick = !std::env::args().any(|arg| arg == "--bench");
    let rounds = if quick { 1 } else { ROUNDS };
    for (undeclared, title) in [
        (false, "every key declared"),
        (
            true,
            "one undeclared key each, which the SDK and the flatten twin keep",
        ),
    ] {
        let body = body(GROUPS, undeclared);
        check(&body, undeclared);
        let flag = u8::from(undeclared);
        // glibc returns the freed top of the heap to the kernel once it exceeds a threshold
        // that moves with the program's past allocations; whether a decoder's pattern trips
        // it decides hundreds of page faults per decode (the SDK's did until its lists pushed
        // each item whole: 348 `brk` calls in one child, against the twin's 24). So the rounds
        // run twice: with glibc's defaults, and with trimming off, where no decoder pays for
        // the heap's accidents.
        for no_trim in [false, true] {
            let times = rotating_rounds(rounds, |index| {
                let [in_all, decoding] =
                    run_child(&format!("{index}:{flag}:small"), quick, no_trim)[..]
                else {
                    panic!("the child prints two numbers");
                };
                let nanos = |n: u128| Duration::from_nanos(n as u64);
                (nanos(in_all), nanos(decoding))
            });
            let medians: Vec<Duration> = times
                .iter()
                .map(|runs| median_by(runs, |run| run.0))
                .collect();
            let decoding: Vec<Duration> = times
                .iter()
                .map(|runs| median_by(runs, |run| run.1))
                .collect();
            let heap = match no_trim {
                false => "glibc's defaults".to_owned(),
                true => format!("GLIBC_TUNABLES={NO_TRIM}"),
            };
            println!(
                "decode {GROUPS} user groups, {title} ({} KB), {heap}: median of {rounds} \
                 rounds, one process per decoder and round, each the median of {ITERATIONS} \
                 decodes (in all, and the decoding alone, before the result is freed)",
                body.len() / 1000
            );
            for ((decoder, time), decode) in DECODERS.iter().zip(&medians).zip(&decoding) {
                let throughput = body.len() as f64 / time.as_secs_f64() / 1e6;
                println!(
                    "  {:<44} {:>8.3} ms  {throughput:>6.0} MB/s  (decoding {:.3} ms)",
                    decoder.name,
                    time.as_secs_f64() * 1e3,
                    decode.as_secs_f64() * 1e3
                );
            }
            print_ratios("in all:   ", &medians);
            print_ratios("decoding: ", &decoding);
        }
        match instructions(flag) {
            Some(counts) => {
                println!(
                    "instructions per decode of the {GROUPS} groups and drop of the result \
                     (callgrind, {COUNTED} decodes, the same from run to run)"
                );
                for (decoder, count) in DECODERS.iter().zip(&counts) {
                    println!("  {:<44} {:>8.2} M", decoder.name, count / 1e6);
                }
                print_cost_ratios("", &counts);
            }
            None => println!("instructions per decode: n/a (valgrind is not installed)"),
        }
        // One large decode per process; rounds in rotating order, as above, because a single
        // decode of this size varies by a quarter from run to run on this machine.
        let large_rounds = if quick { 1 } else { LARGE_ROUNDS };
        let runs = rotating_rounds(large_rounds, |index| {
            let [total, dropping, peak, read, length] =
                run_child(&format!("{index}:{flag}:large"), quick, false)[..]
            else {
                panic!("the child prints five numbers");
            };
            let nanos = |n: u128| Duration::from_nanos(n as u64);
            LargeRun {
                total: nanos(total),
                dropping: nanos(dropping),
                peak,
                read,
                length,
            }
        });
        let LargeRun { read, length, .. } = runs[0][0];
        println!(
            "one list of {read} such groups ({} MB), glibc's defaults: median of {large_rounds} \
             rounds, one process per decoder and round; decoding, then freeing what was read",
            length / 1_000_000
        );
        let (mut decoding, mut in_all) = (Vec::new(), Vec::new());
        for (decoder, runs) in DECODERS.iter().zip(&runs) {
            let decode = median_by(runs, |run| run.total - run.dropping);
            let dropping = median_by(runs, |run| run.dropping);
            let total = median_by(runs, |run| run.total);
            let peak = runs.iter().map(|run| run.peak).max().unwrap_or(0);
            decoding.push(decode);
            in_all.push(total);
            println!(
                "  {:<44} {:>6.2} s + free {:>5.2} s = {:>6.2} s  peak heap beyond the body \
                 {:>5} MB ({:.1}x the body)",
                decoder.name,
                decode.as_secs_f64(),
                dropping.as_secs_f64(),
                total.as_secs_f64(),
                peak / 1_000_000,
                peak as f64 / length as f64
            );
        }
        print_ratios("decoding: ", &decoding);
        print_ratios("in all:   ", &in_all);
    }
}
