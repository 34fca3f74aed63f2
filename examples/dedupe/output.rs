//! Writes the results: the `rec_id,cluster_id,household_id` CSV and the metrics line.

use std::fmt::{Display, Write as _};
use std::io;

use personlink::eval::PairwiseMetrics;

/// Writes the header `rec_id,cluster_id,household_id` then one row per
/// `(id, cluster, household)`, in the given order.
///
/// Ids are quoted as CSV requires.
///
/// # Errors
/// Any write error of `out`.
pub fn write_clusters<'a, W, D, H>(
    out: W,
    rows: impl IntoIterator<Item = (&'a str, D, H)>,
) -> io::Result<()>
where
    W: io::Write,
    D: Display,
    H: Display,
{
    write_rows(out, false, rows.into_iter().map(|(id, d, h)| (id, d, h, None)))
}

/// As [`write_clusters`], with a fourth column `source`: each record's source
/// system (ids are unique only within one).
///
/// # Errors
/// Any write error of `out`.
pub fn write_clusters_with_source<'a, W, D, H>(
    out: W,
    rows: impl IntoIterator<Item = (&'a str, D, H, &'a str)>,
) -> io::Result<()>
where
    W: io::Write,
    D: Display,
    H: Display,
{
    write_rows(out, true, rows.into_iter().map(|(id, d, h, s)| (id, d, h, Some(s))))
}

/// Writes the header and the rows, with the `source` column when `with_source`.
fn write_rows<'a, W, D, H>(
    out: W,
    with_source: bool,
    rows: impl Iterator<Item = (&'a str, D, H, Option<&'a str>)>,
) -> io::Result<()>
where
    W: io::Write,
    D: Display,
    H: Display,
{
    let mut writer = csv::Writer::from_writer(out);
    let header: &[&str] = if with_source {
        &["rec_id", "cluster_id", "household_id", "source"]
    } else {
        &["rec_id", "cluster_id", "household_id"]
    };
    writer.write_record(header)?;
    let (mut cluster, mut household) = (String::new(), String::new());
    for (id, entity, home, source) in rows {
        cluster.clear();
        household.clear();
        write!(cluster, "{entity}").map_err(io::Error::other)?;
        write!(household, "{home}").map_err(io::Error::other)?;
        match source.filter(|_| with_source) {
            Some(source) => writer.write_record([id, &cluster, &household, source])?,
            None => writer.write_record([id, cluster.as_str(), household.as_str()])?,
        }
    }
    writer.flush()
}

/// The one-line summary scripts grep for: `precision=0.9912 recall=0.9350 f1=0.9623`.
pub fn metrics_line(m: &PairwiseMetrics) -> String {
    format!("precision={:.4} recall={:.4} f1={:.4}", m.precision, m.recall, m.f1)
}
