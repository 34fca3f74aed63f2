//! Per-source settings (`Config::sources`): each record is normalized with the
//! settings of its source system, in batch runs, training and the resolver.

use personlink::normalize::{Country, DateOrder, NormalizerSpec};
use personlink::synth::{generate, SynthConfig};
use personlink::train::TrainingOptions;
use personlink::{Config, Error, Linker, Record, Resolver, SourceRef, SourceSettings};

use crate::support::record;

fn us_crm() -> Config {
    let us = SourceSettings { country: Some(Country::Us), date_order: Some(DateOrder::MonthFirst) };
    Config::person_default().with_source("crm", us)
}

/// A person as an American CRM writes them, and as the French web shop does.
fn crm_and_web(config: &Config) -> (Record, Record) {
    let person = [("given_name", "Rosa"), ("surname", "Ortiz"), ("email", "rortiz@example.com")];
    let crm = record(
        &config.schema,
        "crm",
        "C-1",
        &[&person[..], &[("phone", "(702) 555-0143"), ("date_of_birth", "3/14/1979")]].concat(),
    );
    let web = record(
        &config.schema,
        "web",
        "W-1",
        &[&person[..], &[("phone", "+1 702 555 0143"), ("date_of_birth", "14/03/1979")]].concat(),
    );
    (crm, web)
}

/// The two normalized values of `field` in an explanation.
fn values(why: &personlink::Explanation, field: &str) -> (String, String) {
    let f = why.fields.iter().find(|f| f.field == field).unwrap();
    (f.left.clone(), f.right.clone())
}

#[test]
fn batch_runs_read_each_record_with_its_source_settings() {
    let config = us_crm();
    let (crm, web) = crm_and_web(&config);
    let linker = Linker::new(config.clone()).unwrap();
    let why = linker.explain(&crm, &web).unwrap();
    assert_eq!(values(&why, "phone"), ("+17025550143".into(), "+17025550143".into()));
    assert_eq!(values(&why, "date_of_birth"), ("1979-03-14".into(), "1979-03-14".into()));
    let result = linker.dedupe(&[crm.clone(), web.clone()]).unwrap();
    assert_eq!(result.entities.len(), 1, "{}", why);

    // The same CRM record under another system name keeps the defaults
    // (France, day first): its phone cannot be placed, its date is impossible.
    let elsewhere =
        Record::from_values(&config.schema, SourceRef::new("shop", "C-1"), crm.values().to_vec())
            .unwrap();
    let why = linker.explain(&elsewhere, &web).unwrap();
    assert_eq!(values(&why, "phone").0, "7025550143");
    assert_eq!(values(&why, "date_of_birth").0, "");
    // And without the setting, the CRM's own record reads so too.
    let plain = Linker::new(Config::person_default()).unwrap();
    assert_eq!(values(&plain.explain(&crm, &web).unwrap(), "phone").0, "7025550143");
}

#[test]
fn linking_two_files_reads_each_side_with_its_source_settings() {
    // The same pair, the CRM on the left: linked only when the CRM is read as American.
    let (crm, web) = crm_and_web(&us_crm());
    let links = |config: Config| {
        let result = Linker::new(config)
            .unwrap()
            .link(std::slice::from_ref(&crm), std::slice::from_ref(&web))
            .unwrap();
        result.links.iter().map(|l| (l.a, l.b)).collect::<Vec<_>>()
    };
    assert_eq!(links(us_crm()), [(0, 1)]);
    // Read as French, the CRM's phone and date of birth no longer agree.
    let plain = Linker::new(Config::person_default()).unwrap();
    let why = plain.explain(&crm, &web).unwrap();
    assert_ne!(values(&why, "phone").0, values(&why, "phone").1);
    assert_ne!(values(&why, "date_of_birth").0, values(&why, "date_of_birth").1);
    assert!(
        why.total_weight < Linker::new(us_crm()).unwrap().explain(&crm, &web).unwrap().total_weight
    );
}

#[test]
fn the_resolver_reads_each_record_with_its_source_settings() {
    let config = us_crm();
    let (crm, web) = crm_and_web(&config);
    let mut resolver = Resolver::new(config).unwrap();
    let a = resolver.upsert(crm.clone()).unwrap().entity;
    let b = resolver.upsert(web.clone()).unwrap().entity;
    assert_eq!(a, b);
    let why = resolver.explain(crm.source(), web.source()).unwrap();
    assert_eq!(values(&why, "phone"), ("+17025550143".into(), "+17025550143".into()));
    assert_eq!(values(&why, "date_of_birth").0, "1979-03-14");
    // A snapshot carries the settings: the restored resolver reads alike.
    let restored = Resolver::restore(resolver.snapshot()).unwrap();
    let why = restored.explain(crm.source(), web.source()).unwrap();
    assert_eq!(values(&why, "phone").0, "+17025550143");
}

#[test]
fn training_counts_values_as_each_source_reads_them() {
    // A switchboard number shared by many different people, written nationally
    // by the American CRM and internationally by the other channels.
    let config = Config::person_default();
    let data = generate(&SynthConfig::new(5, 400));
    let phone = config.schema.require("phone").unwrap().index();
    let records: Vec<Record> = data
        .records
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let mut values = r.values().to_vec();
            let (system, number) = match i % 10 {
                0 => ("crm", "(702) 555-0100"),
                1 => (r.source().system.as_str(), "+1 702 555 0100"),
                _ => (r.source().system.as_str(), values[phone].as_deref().unwrap_or("")),
            };
            values[phone] = Some(number.to_owned());
            let source = SourceRef::new(system, r.source().id.clone());
            Record::from_values(&config.schema, source, values).unwrap()
        })
        .collect();
    let shared = records.len().div_ceil(10) + (records.len() + 8) / 10;
    let counts = |config: Config| {
        let trained = Linker::new(config).unwrap().train(&records, &TrainingOptions::default());
        let model = trained.unwrap().model;
        let table = model.term_frequencies.iter().find(|t| t.field == "phone").cloned();
        let table = table.expect("the switchboard number is shared");
        (table.counts.get("+17025550100").copied(), table.counts.get("7025550100").copied())
    };
    let us = SourceSettings { country: Some(Country::Us), ..SourceSettings::default() };
    assert_eq!(counts(config.clone().with_source("crm", us)), (Some(shared as u64), None));
    let (e164, bare) = counts(config);
    assert!(e164 < Some(shared as u64) && bare.is_some(), "{e164:?} {bare:?}");
}

#[test]
fn with_country_and_with_date_order_reach_every_chain() {
    let config =
        Config::person_default().with_country(Country::Us).with_date_order(DateOrder::MonthFirst);
    // The profile's phone chain (phone, then placeholders) is explicit; the
    // date field's default chain is written out.
    assert_eq!(config.normalizers["phone"][0], NormalizerSpec::phone(Country::Us));
    assert_eq!(config.normalizers["phone"].len(), 2);
    assert!(matches!(
        config.normalizers["date_of_birth"][..],
        [NormalizerSpec::Date { order: DateOrder::MonthFirst, .. }]
    ));
    // Explicit chains of other fields are reached as well; other steps are kept.
    let mut custom = Config::person_default();
    custom.normalizers.insert(
        "national_id".into(),
        vec![NormalizerSpec::Trim, NormalizerSpec::phone(Country::Fr)],
    );
    let custom = custom.with_country(Country::Gb);
    assert_eq!(
        custom.normalizers["national_id"],
        [NormalizerSpec::Trim, NormalizerSpec::phone(Country::Gb)]
    );
    let (crm, web) = crm_and_web(&config);
    let why = Linker::new(config).unwrap().explain(&crm, &web).unwrap();
    assert_eq!(values(&why, "phone"), ("+17025550143".into(), "+17025550143".into()));
    // The web record's 14/03 is no month-first date.
    assert_eq!(values(&why, "date_of_birth"), ("1979-03-14".into(), "".into()));
    // A source's own settings still override the configuration's.
    let fr = SourceSettings { country: Some(Country::Fr), date_order: Some(DateOrder::DayFirst) };
    let config = Config::person_default().with_country(Country::Us).with_source("web", fr);
    let why = Linker::new(config).unwrap().explain(&crm, &web).unwrap();
    assert_eq!(values(&why, "date_of_birth").1, "1979-03-14");
}

#[test]
fn sources_round_trip_through_json_and_reject_unknown_keys() {
    let config = us_crm().with_source("agency", SourceSettings::default());
    let json = serde_json::to_value(&config).unwrap();
    assert_eq!(
        json["sources"],
        serde_json::json!({"agency": {}, "crm": {"country": "US", "date_order": "month_first"}})
    );
    let back: Config = serde_json::from_value(json).unwrap();
    assert_eq!(back, config);
    // No sources: no key, so configurations saved before it read the same.
    let plain = serde_json::to_value(Config::person_default()).unwrap();
    assert!(plain.get("sources").is_none());

    let mut bad = serde_json::to_value(Config::person_default()).unwrap();
    for settings in [
        serde_json::json!({"crm": {"contry": "US"}}),
        serde_json::json!({"crm": {"country": "us"}}),
        serde_json::json!({"crm": {"country": "ZZ"}}),
        serde_json::json!({"crm": {"date_order": "year_first"}}),
        serde_json::json!({"crm": "US"}),
    ] {
        bad["sources"] = settings.clone();
        assert!(serde_json::from_value::<Config>(bad.clone()).is_err(), "{settings}");
    }
}

fn config_error(config: Config) -> (String, String) {
    match config.validate() {
        Err(Error::Config { path, reason }) => (path, reason),
        other => panic!("expected a configuration error, got {other:?}"),
    }
}

#[test]
fn settings_nothing_reads_are_errors_that_name_their_path() {
    let names = Config::person_default().restrict_to_fields(&["given_name", "surname"]);
    let us = SourceSettings { country: Some(Country::Us), ..SourceSettings::default() };
    let (path, reason) = config_error(names.clone().with_source("crm", us.clone()));
    assert_eq!(path, "sources.crm.country");
    assert!(reason.contains("phone"), "{reason}");
    let mdy =
        SourceSettings { date_order: Some(DateOrder::MonthFirst), ..SourceSettings::default() };
    let (path, _) = config_error(names.with_source("crm", mdy));
    assert_eq!(path, "sources.crm.date_order");
    let (path, reason) = config_error(Config::person_default().with_source(" ", us.clone()));
    assert_eq!(path, "sources");
    assert!(reason.contains("empty"), "{reason}");
    // Restricting a configuration drops the settings its fields no longer read.
    let both =
        SourceSettings { country: Some(Country::Us), date_order: Some(DateOrder::MonthFirst) };
    let config = Config::person_default().with_source("crm", both).with_source("web", us);
    let kept = config.restrict_to_fields(&["given_name", "date_of_birth"]);
    kept.validate().unwrap();
    assert_eq!(kept.sources.len(), 1);
    assert_eq!(kept.sources["crm"].date_order, Some(DateOrder::MonthFirst));
    assert_eq!(kept.sources["crm"].country, None);
}
