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

/// What `--country` accepts, for error messages: `an ISO country code (FR, BE, ...)`.
pub fn country_expectation() -> String {
    let codes: Vec<&str> = Country::ALL.iter().map(|c| c.alpha2()).collect();
    format!("an ISO country code: {}", codes.join(", "))
}

/// The date order as the command line writes it.
pub fn order_name(order: DateOrder) -> &'static str {
    match order {
        DateOrder::MonthFirst => "month-first",
        _ => "day-first",
    }
}

/// Sets the country of national phone numbers and the order of numeric dates
/// in every phone and date normalizer of `config` (`None`: left as they are).
///
/// A field without an explicit chain gets its kind's default chain first
/// ([`NormalizerSpec::defaults_for`]), but only when that chain has a step to
/// set; the other chains are left untouched.
pub fn apply_reading(config: &mut Config, country: Option<Country>, order: Option<DateOrder>) {
    for field in config.schema.fields() {
        let chain = config.normalizers.get(&field.name);
        let defaults;
        let chain = match chain {
            Some(chain) => chain,
            None => {
                defaults = NormalizerSpec::defaults_for(field.kind);
                &defaults
            }
        };
        let touched = chain.iter().any(|spec| match spec {
            NormalizerSpec::Phone { .. } => country.is_some(),
            NormalizerSpec::Date { .. } => order.is_some(),
            _ => false,
        });
        if !touched {
            continue;
        }
        let mut chain = chain.clone();
        for spec in &mut chain {
            match spec {
                NormalizerSpec::Phone { default_country, .. } => {
                    if let Some(c) = country {
                        *default_country = c;
                    }
                }
                NormalizerSpec::Date { order: o, .. } => {
                    if let Some(order) = order {
                        *o = order;
                    }
                }
                _ => {}
            }
        }
        config.normalizers.insert(field.name.clone(), chain);
    }
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
