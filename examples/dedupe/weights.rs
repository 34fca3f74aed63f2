//! The model's weights as a small aligned table, for a person to sanity-check.
//!
//! ```text
//! prior 0.0001000 (weight -13.29)
//! field          level             m          u  weight
//! given_name     exact        0.9000  0.0002000  +12.13
//! given_name     else          0.01000    0.9900   -6.63
//! ```

use personlink::model::Model;

/// The table's lines (no trailing newline): the prior and its weight, a header,
/// then one line per comparison level, "missing" excluded (it weighs 0):
/// field, level, m and u to 4 significant digits, and the weight `log2(m/u)`
/// with its sign and 2 decimals. Text columns are left-aligned, numbers right-aligned.
pub fn weights_table(model: &Model) -> Vec<String> {
    let mut lines =
        vec![format!("prior {} (weight {:+.2})", significant4(model.prior), model.prior_weight())];
    let header = ["field", "level", "m", "u", "weight"].map(str::to_owned);
    let mut rows = vec![header];
    for comparison in &model.comparisons {
        for level in &comparison.levels {
            rows.push([
                comparison.field.clone(),
                level.label.clone(),
                significant4(level.m),
                significant4(level.u),
                format!("{:+.2}", level.weight()),
            ]);
        }
    }
    let mut widths = [0usize; 5];
    for row in &rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let [field, level, m, u, weight] = widths;
    lines.extend(rows.iter().map(|[a, b, c, d, e]| {
        format!("{a:<field$}  {b:<level$}  {c:>m$}  {d:>u$}  {e:>weight$}")
    }));
    lines
}

/// `x` with 4 significant digits: fixed-point from 0.0001 up to 9999
/// (`0.9000`, `0.0002000`, `1.000`), scientific outside (`1.000e-6`).
pub fn significant4(x: f64) -> String {
    if !x.is_finite() {
        return x.to_string();
    }
    if x == 0.0 {
        return "0.000".to_owned();
    }
    // Round first, then read the exponent: 0.99996 becomes 1.000, not 1.0000.
    let scientific = format!("{x:.3e}");
    let exponent: i32 = scientific.split_once('e').and_then(|(_, e)| e.parse().ok()).unwrap_or(0);
    if (-4..=3).contains(&exponent) {
        let decimals = (3 - exponent) as usize;
        format!("{x:.decimals$}")
    } else {
        scientific
    }
}
