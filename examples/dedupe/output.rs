//! Writes the results: the `rec_id,cluster_id,household_id` CSV (with
//! `source` and, in link mode, `side` columns) and the metrics line.

use std::fmt::{Display, Write as _};
use std::io;

use personlink::eval::PairwiseMetrics;

/// Which side of a link run a record comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// The input file.
    Left,
    /// The `--link` file.
    Right,
}

impl Side {
    /// `left` or `right`, as the `side` column holds it.
    pub fn name(self) -> &'static str {
        match self {
            Side::Left => "left",
            Side::Right => "right",
        }
    }
}

/// The optional columns after `rec_id,cluster_id,household_id`, in this order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Columns {
    /// `source`: each record's source system (ids are unique only within one).
    pub source: bool,
    /// `side`: `left` or `right` in link mode (the two files may share ids).
    pub side: bool,
}

/// One output row.
#[derive(Debug, Clone, Copy)]
pub struct Row<'a, D, H> {
    /// The record's id.
    pub id: &'a str,
    /// Its entity.
    pub cluster: D,
    /// Its household.
    pub household: H,
    /// Its source system (written when [`Columns::source`]).
    pub source: Option<&'a str>,
    /// Its side (written when [`Columns::side`]).
    pub side: Option<Side>,
}

/// Writes the header `rec_id,cluster_id,household_id`, then `source` and
/// `side` when `columns` asks for them, and one line per row, in the given
/// order (an empty cell for a value a row lacks). Values are quoted as CSV
/// requires.
///
/// # Errors
/// Any write error of `out`.
pub fn write_rows<'a, W, D, H>(
    out: W,
    columns: Columns,
    rows: impl IntoIterator<Item = Row<'a, D, H>>,
) -> io::Result<()>
where
    W: io::Write,
    D: Display,
    H: Display,
{
    let mut writer = csv::Writer::from_writer(out);
    let mut header = vec!["rec_id", "cluster_id", "household_id"];
    header.extend(columns.source.then_some("source"));
    header.extend(columns.side.then_some("side"));
    writer.write_record(&header)?;
    let (mut cluster, mut household) = (String::new(), String::new());
    for row in rows {
        cluster.clear();
        household.clear();
        write!(cluster, "{}", row.cluster).map_err(io::Error::other)?;
        write!(household, "{}", row.household).map_err(io::Error::other)?;
        writer.write_field(row.id)?;
        writer.write_field(&cluster)?;
        writer.write_field(&household)?;
        if columns.source {
            writer.write_field(row.source.unwrap_or_default())?;
        }
        if columns.side {
            writer.write_field(row.side.map_or("", Side::name))?;
        }
        writer.write_record(None::<&[u8]>)?;
    }
    writer.flush()
}

/// The one-line summary scripts grep for: `precision=0.9912 recall=0.9350 f1=0.9623`.
pub fn metrics_line(m: &PairwiseMetrics) -> String {
    format!("precision={:.4} recall={:.4} f1={:.4}", m.precision, m.recall, m.f1)
}
