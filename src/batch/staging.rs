//! Records staged once (ranked, normalized, keyed and blocked) for training
//! and then for the run that uses the trained model.

use std::collections::BTreeMap;
use std::fmt;

use super::candidates::Staged;
use crate::block::BlockingConfig;
use crate::config::{Config, NicknameConfig, SourceSettings};
use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::normalize::NormalizerSpec;
use crate::prepare::FieldFeatures;
use crate::record::Schema;

/// Records ranked, normalized, keyed and blocked once, to train a model on
/// them and then resolve them with it without preparing them again.
///
/// Training ([`Linker::train`](crate::Linker::train)) prepares and blocks its
/// input, and so does the run that follows with the trained model: on 100,000
/// records that is about a third of the whole time. Stage the records once
/// with [`Linker::stage`](crate::Linker::stage) (or
/// [`Linker::stage_link`](crate::Linker::stage_link)), train on them with
/// [`Linker::train_staged`](crate::Linker::train_staged), and resolve them with
/// [`Linker::run_staged`](crate::Linker::run_staged) on the linker of the
/// trained model: the results are those of `train` then `dedupe` (or
/// `link`), byte for byte.
///
/// Any linker whose configuration normalizes and blocks the same way may use
/// the staging: the model (m, u, prior, value frequencies) and the
/// thresholds may differ, and the value frequencies of the running linker's
/// model are filled in before the run. A linker that would prepare or block
/// the records otherwise (another schema, normalizer chain, blocking rule,
/// source setting, or comparison reading another feature) is refused with
/// [`Error::InvalidArgument`] naming what differs.
///
/// ```
/// use personlink::synth::{generate, SynthConfig};
/// use personlink::train::TrainingOptions;
/// use personlink::{Config, Linker};
///
/// let data = generate(&SynthConfig::new(5, 300));
/// let linker = Linker::new(Config::person_default())?;
/// let mut staged = linker.stage(&data.records)?;
/// let trained = linker.train_staged(&staged, &TrainingOptions::default())?;
/// let tuned = Linker::new(linker.config().clone().with_model(trained.model))?;
/// let result = tuned.run_staged(&mut staged)?;
/// assert_eq!(result.entity_of, tuned.dedupe(&data.records)?.entity_of);
///
/// // A linker that blocks otherwise cannot use it.
/// let mut other = Config::person_default();
/// other.blocking.rules.pop();
/// let err = Linker::new(other)?.run_staged(&mut staged).unwrap_err();
/// assert!(err.to_string().contains("blocking"), "{err}");
/// # Ok::<(), personlink::Error>(())
/// ```
pub struct StagedRecords {
    pub(super) staged: Staged,
    pub(super) left_len: Option<usize>,
    pub(super) signature: Signature,
}

/// A summary (the prepared values themselves are not shown).
impl fmt::Debug for StagedRecords {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StagedRecords")
            .field("records", &self.len())
            .field("left", &self.left_len)
            .field("blocks", &self.staged.blocks.blocks().len())
            .finish_non_exhaustive()
    }
}

impl StagedRecords {
    /// Number of records (in link mode, both sides).
    pub fn len(&self) -> usize {
        self.staged.prepared.len()
    }

    /// True when there is no record.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Records of the left dataset in link mode (`None` when deduplicating).
    pub fn left_len(&self) -> Option<usize> {
        self.left_len
    }
}

/// What a staging depends on: the configuration that normalizes and blocks,
/// and the features each field's prepared values carry.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Signature {
    schema: Schema,
    normalizers: BTreeMap<String, Vec<NormalizerSpec>>,
    max_value_len: usize,
    blocking: BlockingConfig,
    nicknames: NicknameConfig,
    sources: BTreeMap<String, SourceSettings>,
    features: Vec<FieldFeatures>,
}

impl Signature {
    /// The signature of the stagings `engine`, compiled from `config`, makes.
    pub(super) fn of(config: &Config, engine: &Engine) -> Signature {
        Signature {
            schema: config.schema.clone(),
            normalizers: config.normalizers.clone(),
            max_value_len: config.max_value_len,
            blocking: config.blocking.clone(),
            nicknames: config.nicknames.clone(),
            sources: config.sources.clone(),
            features: engine.preparer().features().cloned().collect(),
        }
    }

    /// Ok when a staging with signature `self` serves a linker with `other`.
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] naming the first part that differs.
    pub(super) fn check_serves(&self, other: &Signature) -> Result<()> {
        let differs = if self.schema != other.schema {
            Some("schema")
        } else if self.normalizers != other.normalizers {
            Some("normalizers")
        } else if self.max_value_len != other.max_value_len {
            Some("max_value_len")
        } else if self.blocking != other.blocking {
            Some("blocking")
        } else if self.nicknames != other.nicknames {
            Some("nicknames")
        } else if self.sources != other.sources {
            Some("sources")
        } else if self.features != other.features {
            Some("comparisons, policy or households (the features they read)")
        } else {
            None
        };
        match differs {
            None => Ok(()),
            Some(part) => Err(Error::InvalidArgument {
                name: "staged".to_owned(),
                reason: format!(
                    "staged by a linker whose configuration differs in `{part}`: stage the records with this linker"
                ),
            }),
        }
    }
}
