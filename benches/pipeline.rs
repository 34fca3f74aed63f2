//! Criterion benches of the hot stages: preparing a record, the email chain, comparing and
//! scoring a candidate pair, the string kernels (personlink's own short-ASCII
//! kernels, rapidfuzz beyond them) against strsim, their reference, and the live
//! resolver's upsert and query, a record taking a resolver's block back and
//! forth across the size cap, and the phone parsers. The `stream` example
//! measures the resolver at 100k and 1M records.
//!
//! Run with `cargo bench --bench pipeline -- --noplot`; add `--features
//! phonenumber` to bench the libphonenumber parser beside the built-in one.

use criterion::{criterion_group, criterion_main, BatchSize, Criterion};
use personlink::compare::similarity;
use personlink::normalize::{Country, NormalizerSpec, PhoneParser, Pipeline};
use personlink::synth::{generate, SynthConfig};
use personlink::{Config, Linker, Record, Resolver};
use std::hint::black_box;

fn bench_prepare(c: &mut Criterion) {
    let data = generate(&SynthConfig::new(9, 2_000));
    let linker = Linker::new(Config::person_default()).unwrap();
    let records = &data.records[..1_000];
    let mut group = c.benchmark_group("prepare");
    group.throughput(criterion::Throughput::Elements(records.len() as u64));
    group.bench_function("normalize_1000_records", |b| {
        b.iter(|| {
            let p = linker.prepare(black_box(records)).unwrap();
            assert_eq!(p.len(), 1_000);
            p
        })
    });
    group.finish();
}

/// The person profile's email chain (address, lists, placeholders) on the
/// email values of generated records.
fn bench_email_chain(c: &mut Criterion) {
    let data = generate(&SynthConfig::new(9, 2_000));
    let config = Config::person_default();
    let email = config.schema.field_id("email").unwrap();
    let values: Vec<&str> = data.records.iter().filter_map(|r| r.get(email)).collect();
    let chain = Pipeline::from_specs(&config.normalizers["email"], "email").unwrap();
    let mut group = c.benchmark_group("prepare");
    group.throughput(criterion::Throughput::Elements(values.len() as u64));
    group.bench_function("email_chain", |b| {
        let (mut out, mut scratch) = (String::new(), String::new());
        b.iter(|| {
            for v in &values {
                chain.apply(black_box(v), &mut out, &mut scratch);
            }
            out.len()
        })
    });
    group.finish();
}

fn bench_score(c: &mut Criterion) {
    let data = generate(&SynthConfig::new(9, 2_000));
    let linker = Linker::new(Config::person_default()).unwrap();
    let prepared = linker.prepare(&data.records).unwrap();
    // Candidate pairs as blocking would give them: the accepted and review links of a real run,
    // plus neighbours in input order (mostly non-matches).
    let run = linker.dedupe(&data.records).unwrap();
    let mut pairs: Vec<(usize, usize)> =
        run.links.iter().chain(&run.review).map(|l| (l.a, l.b)).collect();
    pairs.extend(
        (0..pairs.len().max(1_000)).map(|i| (i % prepared.len(), (i * 7 + 1) % prepared.len())),
    );
    let mut group = c.benchmark_group("score");
    group.throughput(criterion::Throughput::Elements(pairs.len() as u64));
    group.bench_function("compare_and_score_pairs", |b| {
        b.iter_batched(
            || (),
            |()| {
                let mut total = 0.0;
                for &(i, j) in &pairs {
                    total += linker.score_pair(&prepared, i, j).1;
                }
                assert!(total.is_finite());
                total
            },
            BatchSize::SmallInput,
        )
    });
    group.finish();
}

fn bench_kernels(c: &mut Criterion) {
    let names: Vec<String> = generate(&SynthConfig::new(4, 500))
        .records
        .iter()
        .filter_map(|r| r.values()[1].clone())
        .map(|s| s.to_lowercase())
        .collect();
    let pairs: Vec<(&str, &str)> =
        names.windows(2).map(|w| (w[0].as_str(), w[1].as_str())).collect();
    let mut group = c.benchmark_group("jaro_winkler");
    group.throughput(criterion::Throughput::Elements(pairs.len() as u64));
    group.bench_function("personlink", |b| {
        b.iter(|| pairs.iter().map(|(x, y)| similarity::jaro_winkler(x, y)).sum::<f64>())
    });
    group.bench_function("strsim", |b| {
        b.iter(|| pairs.iter().map(|(x, y)| strsim::jaro_winkler(x, y)).sum::<f64>())
    });
    group.finish();
    let mut group = c.benchmark_group("levenshtein");
    group.throughput(criterion::Throughput::Elements(pairs.len() as u64));
    group.bench_function("personlink", |b| {
        b.iter(|| pairs.iter().map(|(x, y)| similarity::levenshtein(x, y)).sum::<f64>())
    });
    group.bench_function("strsim", |b| {
        b.iter(|| pairs.iter().map(|(x, y)| strsim::normalized_levenshtein(x, y)).sum::<f64>())
    });
    group.finish();
}

fn bench_resolver(c: &mut Criterion) {
    let data = generate(&SynthConfig::new(9, 6_000));
    let (loaded, probes) = data.records.split_at(data.records.len() - 200);
    let mut resolver = Resolver::new(Config::person_default()).unwrap();
    for r in loaded {
        resolver.upsert(r.clone()).unwrap();
    }
    let mut group = c.benchmark_group("resolver");
    group.throughput(criterion::Throughput::Elements(probes.len() as u64));
    group.bench_function("query_200_records", |b| {
        b.iter(|| probes.iter().map(|p| resolver.query(black_box(p)).unwrap().len()).sum::<usize>())
    });
    // Each upsert is undone by a removal, so every iteration sees the same state.
    group.bench_function("upsert_and_remove_200_records", |b| {
        b.iter(|| {
            for p in probes {
                let resolution = resolver.upsert(black_box(p.clone())).unwrap();
                black_box(resolution);
                resolver.remove(p.source()).unwrap();
            }
        })
    });
    group.finish();
    assert_eq!(resolver.len(), loaded.len());
}

/// A record that takes a block of the resolver over the size cap and back:
/// 6,000 generated records, of which 500 (the cap) share one phone number,
/// and a 501st record with that number upserted and removed again.
fn bench_cap_flip(c: &mut Criterion) {
    let config = Config::person_default();
    let cap = config.blocking.max_block_size;
    let phone = config.schema.require("phone").unwrap().index();
    let data = generate(&SynthConfig::new(9, 6_000));
    let shared = |r: &Record| {
        let mut values = r.values().to_vec();
        values[phone] = Some("+33 6 71 42 93 18".to_owned());
        Record::from_values(&config.schema, r.source().clone(), values).unwrap()
    };
    let (loaded, probe) = data.records.split_at(data.records.len() - 1);
    let probe = shared(&probe[0]);
    let mut resolver = Resolver::new(config.clone()).unwrap();
    for (i, r) in loaded.iter().enumerate() {
        resolver.upsert(if i < cap { shared(r) } else { r.clone() }).unwrap();
    }
    let mut group = c.benchmark_group("resolver");
    group.sample_size(10);
    group.bench_function("block_across_the_cap_upsert_and_remove", |b| {
        b.iter(|| {
            black_box(resolver.upsert(black_box(probe.clone())).unwrap());
            resolver.remove(probe.source()).unwrap()
        })
    });
    group.finish();
    assert_eq!(resolver.len(), loaded.len());
}

/// Normalizing the phone numbers of generated records (French, British and
/// American numbers in their usual shapes, read with the default France).
fn bench_phones(c: &mut Criterion) {
    let config = Config::person_default();
    let phone = config.schema.require("phone").unwrap().index();
    let phones: Vec<String> = generate(&SynthConfig::new(9, 2_000))
        .records
        .iter()
        .filter_map(|r| r.values()[phone].clone())
        .collect();
    let mut group = c.benchmark_group("phone");
    group.throughput(criterion::Throughput::Elements(phones.len() as u64));
    // The libphonenumber parser is benched in a build with the `phonenumber` feature.
    let parsers =
        [("builtin", PhoneParser::Builtin), ("libphonenumber", PhoneParser::Libphonenumber)];
    for (name, parser) in parsers.into_iter().filter(|(_, p)| p.is_available()) {
        let spec = NormalizerSpec::Phone { default_country: Country::Fr, parser };
        let step = spec.build("phone").unwrap();
        let mut out = String::new();
        group.bench_function(name, |b| {
            b.iter(|| {
                let mut written = 0;
                for p in &phones {
                    out.clear();
                    step.normalize(black_box(p), &mut out);
                    written += out.len();
                }
                written
            })
        });
    }
    group.finish();
}

criterion_group!(
    benches,
    bench_prepare,
    bench_email_chain,
    bench_score,
    bench_kernels,
    bench_resolver,
    bench_cap_flip,
    bench_phones
);
criterion_main!(benches);
