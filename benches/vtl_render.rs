//! VTL rendering speed: `cargo bench --bench vtl_render`.
//!
//! Three generic Velocity templates from `benches/vtl/` (a `#foreach` over 100 maps with `#if`, a 300-line
//! `#set` chain, string building in a loop), rendered against `benches/vtl/data.json`. Parsing happens once,
//! outside the measured loop, and so is converting the JSON data into template values (velocityjs and airspeed
//! are likewise handed native objects).
//!
//! With `VTL_COMPARE=1` it skips criterion and prints one line per template, `name renders_per_second
//! output_bytes` (`VTL_ONLY=<name>` runs one template; the run writes each output to `$VTL_COMPARE_OUT/rust-<name>.txt` when that is set), for `scripts/bench-vtl-compare.sh`, which runs the same templates with velocityjs and airspeed.

use criterion::{criterion_group, Criterion};
use serverless_playground::vtl::{Template, Vars};
use std::hint::black_box;
use std::time::{Duration, Instant};

/// The benchmark templates: (name, source).
const TEMPLATES: [(&str, &str); 3] = [
    ("foreach_if", include_str!("vtl/foreach_if.vtl")),
    ("set_chain", include_str!("vtl/set_chain.vtl")),
    ("string_build", include_str!("vtl/string_build.vtl")),
];

/// The variables every template renders with.
fn data() -> Vars {
    match serde_json::from_str(include_str!("vtl/data.json")) {
        Ok(serde_json::Value::Object(map)) => Vars::from_json(&map),
        _ => panic!("benches/vtl/data.json must be a JSON object"),
    }
}

/// Parses a benchmark template.
fn parse(name: &str, source: &str) -> Template {
    Template::parse(source).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn bench(c: &mut Criterion) {
    let vars = data();
    for (name, source) in TEMPLATES {
        let template = parse(name, source);
        c.bench_function(&format!("vtl_render/{name}"), |b| {
            b.iter(|| black_box(template.render_vars(&vars).expect("renders")))
        });
    }
}

/// Renders each template for about two seconds and prints renders per second.
fn compare() {
    let vars = data();
    let only = std::env::var("VTL_ONLY").ok();
    for (name, source) in TEMPLATES {
        if only.as_deref().is_some_and(|o| o != name) {
            continue;
        }
        let template = parse(name, source);
        let output = template.render_vars(&vars).expect("renders");
        if let Some(dir) = std::env::var_os("VTL_COMPARE_OUT") {
            let path = std::path::Path::new(&dir).join(format!("rust-{name}.txt"));
            std::fs::write(&path, &output).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        }
        let start = Instant::now();
        let mut renders = 0u64;
        while start.elapsed() < Duration::from_secs(2) {
            for _ in 0..100 {
                black_box(template.render_vars(&vars).expect("renders"));
            }
            renders += 100;
        }
        let rate = renders as f64 / start.elapsed().as_secs_f64();
        println!("{name} {rate:.0} {}", output.len());
    }
}

criterion_group!(benches, bench);

fn main() {
    if std::env::var_os("VTL_COMPARE").is_some() {
        compare();
        return;
    }
    benches();
    Criterion::default().configure_from_args().final_summary();
}
