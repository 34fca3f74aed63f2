//! How the `dedupe` and `stream` examples obtain their model: loaded from a
//! file, the configuration's own, or trained on the input.

use std::path::Path;

use personlink::train::TrainingOptions;
use personlink::{Config, Linker, Record, StagedRecords};

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

/// What training leaves besides the model: the threshold it suggests and the
/// input, staged once, for the run that follows ([`Linker::run_staged`]).
pub struct TrainingOutcome {
    /// The suggested match threshold (a weight).
    pub suggested_threshold: f64,
    /// The records, prepared and blocked.
    pub staged: StagedRecords,
}

/// Puts the model into `config` and returns what training leaves (`None`
/// when nothing was trained). Training prints its report to standard error.
///
/// # Errors
/// A one-line message: the file cannot be read or is not a model, or training failed.
pub fn obtain_model(
    config: &mut Config,
    source: ModelSource<'_>,
    left: &[Record],
    right: Option<&[Record]>,
) -> Result<Option<TrainingOutcome>, String> {
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
            let staged = match right {
                None => linker.stage(left),
                Some(right) => linker.stage_link(left, right),
            }
            .map_err(|e| e.to_string())?;
            let trained =
                linker.train_staged(&staged, &options).map_err(|e| format!("training: {e}"))?;
            eprintln!("{}", trained.report);
            config.model = trained.model;
            Ok(Some(TrainingOutcome {
                suggested_threshold: trained.report.suggested_threshold,
                staged,
            }))
        }
    }
}
