//! How the `dedupe` and `stream` examples obtain their model: loaded from a
//! file, the configuration's own, or trained on the input.

use std::path::Path;

use personlink::train::TrainingOptions;
use personlink::{Config, Linker, Record};

/// Where the model comes from.
#[derive(Debug, Clone, Copy)]
pub enum ModelSource<'a> {
    /// A JSON model file (`--model`).
    File(&'a Path),
    /// The configuration's own model (`--no-train`).
    Configured,
    /// Trained on the input (the default).
    Train,
}

/// Puts the model into `config` and returns the threshold training suggests
/// (`None` when nothing was trained). Training prints its report to standard error.
///
/// # Errors
/// A one-line message: the file cannot be read or is not a model, or training failed.
pub fn obtain_model(
    config: &mut Config,
    source: ModelSource<'_>,
    left: &[Record],
    right: Option<&[Record]>,
) -> Result<Option<f64>, String> {
    match source {
        ModelSource::File(path) => {
            let text = std::fs::read_to_string(path)
                .map_err(|e| format!("{}: cannot read: {e}", path.display()))?;
            config.model = serde_json::from_str(&text)
                .map_err(|e| format!("{}: invalid JSON model: {e}", path.display()))?;
            Ok(None)
        }
        ModelSource::Configured => Ok(None),
        ModelSource::Train => {
            let linker = Linker::new(config.clone()).map_err(|e| e.to_string())?;
            let options = TrainingOptions::default();
            let trained = match right {
                None => linker.train(left, &options),
                Some(right) => linker.train_link(left, right, &options),
            }
            .map_err(|e| format!("training: {e}"))?;
            eprintln!("{}", trained.report);
            config.model = trained.model;
            Ok(Some(trained.report.suggested_threshold))
        }
    }
}
