//! How values are read: the country of national phone numbers (`--country`)
//! and the order of numeric dates (`--date-order`), set in the configuration's
//! normalizer chains, and the sniffing of the date order from the data.
//!
//! [`apply_reading`] is the one place the examples edit the chains; once the
//! library's `Config::with_country` / `Config::with_date_order` exist, it
//! becomes two calls to them.

use std::fmt;

use personlink::normalize::{Country, DateOrder, NormalizerSpec};
use personlink::{Config, FieldKind, Record};

/// The `--date-order` choice.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateOrderChoice {
    /// This order for every numeric date.
    Fixed(DateOrder),
    /// Decide from the date columns' values ([`DateOrder::sniff`]).
    Auto,
}

impl DateOrderChoice {
    /// Reads `day-first`, `month-first` or `auto` (underscores allowed).
    pub fn parse(value: &str) -> Option<Self> {
        match value.replace('_', "-").as_str() {
            "day-first" => Some(DateOrderChoice::Fixed(DateOrder::DayFirst)),
            "month-first" => Some(DateOrderChoice::Fixed(DateOrder::MonthFirst)),
            "auto" => Some(DateOrderChoice::Auto),
            _ => None,
        }
    }
}

/// Reads a `--country` value: an ISO 3166 alpha-2 code the phone normalizer knows.
pub fn parse_country(value: &str) -> Option<Country> {
    value.parse().ok()
}

/// What `--country` accepts, for error messages.
pub fn country_expectation() -> String {
    format!(
        "an ISO 3166-1 two-letter country code ({} known: FR, US, GB, DE, ...)",
        Country::ALL.len()
    )
}

/// The date order as the command line writes it.
pub fn order_name(order: DateOrder) -> &'static str {
    match order {
        DateOrder::MonthFirst => "month-first",
        _ => "day-first",
    }
}

/// Sets the country of national phone numbers and the order of numeric dates
/// in every phone and date normalizer of `config` (`None`: left as they are),
/// through [`Config::with_country`] and [`Config::with_date_order`].
pub fn apply_reading(config: &mut Config, country: Option<Country>, order: Option<DateOrder>) {
    if let Some(country) = country {
        *config = config.clone().with_country(country);
    }
    if let Some(order) = order {
        *config = config.clone().with_date_order(order);
    }
}

/// Sets the date order of the records of one source system
/// ([`Config::with_source`]), keeping that source's other settings.
pub fn apply_source_order(config: &mut Config, system: &str, order: DateOrder) {
    let mut settings = config.sources.get(system).cloned().unwrap_or_default();
    settings.date_order = Some(order);
    *config = config.clone().with_source(system, settings);
}

/// The order the date normalizers of `config` read numeric dates in: the
/// first one found (day-first when there is none).
pub fn configured_order(config: &Config) -> DateOrder {
    config
        .schema
        .fields()
        .iter()
        .flat_map(|field| {
            config
                .normalizers
                .get(&field.name)
                .cloned()
                .unwrap_or_else(|| NormalizerSpec::defaults_for(field.kind))
        })
        .find_map(|spec| match spec {
            NormalizerSpec::Date { order, .. } => Some(order),
            _ => None,
        })
        .unwrap_or_default()
}

/// What sniffing the date columns found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SniffedOrder {
    /// The values settle this order.
    Found(DateOrder),
    /// No value settles either order (or there is no date column).
    NoEvidence,
    /// Some values are only valid day-first, others only month-first.
    Contradictory,
}

/// Sniffs the order of numeric dates from the raw values of the date fields
/// (kind [`FieldKind::Date`]) of `records`.
pub fn sniff_order<'a>(
    config: &Config,
    records: impl IntoIterator<Item = &'a Record>,
) -> SniffedOrder {
    let fields: Vec<usize> = config
        .schema
        .fields()
        .iter()
        .enumerate()
        .filter(|(_, f)| f.kind == FieldKind::Date)
        .map(|(i, _)| i)
        .collect();
    let records: Vec<&Record> = records.into_iter().collect();
    let values =
        || records.iter().flat_map(|r| fields.iter().filter_map(|&i| r.values()[i].as_deref()));
    match DateOrder::sniff(values()) {
        Some(order) => SniffedOrder::Found(order),
        None if values().any(|v| DateOrder::sniff([v]).is_some()) => SniffedOrder::Contradictory,
        None => SniffedOrder::NoEvidence,
    }
}

/// Sniffs the date order of each source system's records on its own (a CRM
/// and a web form of one file may write dates differently), in the order the
/// systems first appear.
pub fn sniff_per_source<'a>(
    config: &Config,
    records: impl IntoIterator<Item = &'a Record>,
) -> Vec<(String, SniffedOrder)> {
    let mut systems: Vec<(&str, Vec<&Record>)> = Vec::new();
    for record in records {
        let system = record.source().system.as_str();
        match systems.iter_mut().find(|(s, _)| *s == system) {
            Some((_, list)) => list.push(record),
            None => systems.push((system, vec![record])),
        }
    }
    systems
        .into_iter()
        .map(|(system, list)| (system.to_owned(), sniff_order(config, list)))
        .collect()
}

/// The line `--date-order auto` prints: what it decided, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SniffReport {
    /// What sniffing found.
    pub sniffed: SniffedOrder,
    /// The order kept when sniffing did not settle it.
    pub kept: DateOrder,
}

impl SniffReport {
    /// The order to use.
    pub fn order(&self) -> DateOrder {
        match self.sniffed {
            SniffedOrder::Found(order) => order,
            _ => self.kept,
        }
    }
}

impl fmt::Display for SniffReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.sniffed {
            SniffedOrder::Found(order) => {
                write!(f, "date order: {} (sniffed from the date column)", order_name(order))
            }
            SniffedOrder::NoEvidence => write!(
                f,
                "date order: the date column gives no evidence (no numeric date with a day above 12); keeping {}",
                order_name(self.kept)
            ),
            SniffedOrder::Contradictory => write!(
                f,
                "date order: the date column contradicts itself (some dates only read day-first, others only month-first); keeping {}",
                order_name(self.kept)
            ),
        }
    }
}

/// `--date-order auto`: sniffs the whole date column and sets that order for
/// every record; then, when the records come from several source systems,
/// sniffs each system's records on its own and gives a system whose dates
/// settle another order a setting of its own ([`Config::with_source`]).
/// Returns the lines to print on standard error.
pub fn apply_sniffed_order<'a>(
    config: &mut Config,
    records: impl IntoIterator<Item = &'a Record> + Clone,
) -> Vec<String> {
    let report = SniffReport {
        sniffed: sniff_order(config, records.clone()),
        kept: configured_order(config),
    };
    let global = report.order();
    let mut lines = vec![report.to_string()];
    apply_reading(config, None, Some(global));
    let per_source = sniff_per_source(config, records);
    if per_source.len() > 1 {
        for (system, sniffed) in per_source {
            if let SniffedOrder::Found(order) = sniffed {
                if order != global {
                    apply_source_order(config, &system, order);
                    lines.push(format!(
                        "date order of source `{system}`: {} (sniffed from its own dates)",
                        order_name(order)
                    ));
                }
            }
        }
    }
    lines
}
