//! Ordered chains of normalizers.

use std::sync::Arc;

use super::{Normalizer, NormalizerSpec};
use crate::error::Result;
use crate::record::FieldKind;

/// An ordered chain of normalizers, itself a [`Normalizer`].
///
/// Steps are shared (`Arc`), so cloning a pipeline is cheap. An empty pipeline
/// copies its input. As soon as a step outputs nothing the value is missing and
/// the remaining steps are skipped.
///
/// ```
/// use personlink::normalize::{CaseFold, NormalizerSpec, Pipeline, Trim};
/// use personlink::FieldKind;
///
/// // A custom chain...
/// let custom = Pipeline::builder().then(Trim).then(CaseFold).build();
/// assert_eq!(custom.normalize_to_string("  ÉLODIE "), "élodie");
///
/// // ...a default one...
/// let surname = Pipeline::for_kind(FieldKind::Surname);
/// assert_eq!(surname.normalize_to_string("De La Fontaine"), "delafontaine");
///
/// // ...or one read from configuration, with reusable buffers on the hot path.
/// let email = Pipeline::from_specs(&[NormalizerSpec::default_email()], "fields.email")?;
/// let (mut out, mut scratch) = (String::new(), String::new());
/// email.apply(" Jean.Dupont+news@GMail.com", &mut out, &mut scratch);
/// assert_eq!(out, "jeandupont@gmail.com");
/// # Ok::<(), personlink::Error>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct Pipeline {
    steps: Vec<Arc<dyn Normalizer>>,
}

impl Pipeline {
    /// Starts an empty builder.
    pub fn builder() -> PipelineBuilder {
        PipelineBuilder::default()
    }

    /// Builds the chain described by `specs`.
    ///
    /// # Errors
    /// [`crate::Error::Config`] at `{path}[{i}]` for the first invalid spec.
    pub fn from_specs(specs: &[NormalizerSpec], path: &str) -> Result<Pipeline> {
        let steps = specs
            .iter()
            .enumerate()
            .map(|(i, spec)| spec.build(&format!("{path}[{i}]")).map(Arc::from))
            .collect::<Result<_>>()?;
        Ok(Pipeline { steps })
    }

    /// The default chain for a field kind (see [`NormalizerSpec::defaults_for`]).
    pub fn for_kind(kind: FieldKind) -> Pipeline {
        let steps = NormalizerSpec::defaults_for(kind)
            .iter()
            .map(|spec| Arc::from(spec.build_step()))
            .collect();
        Pipeline { steps }
    }

    /// Runs the chain on `input`, leaving the result in `out` (cleared first).
    ///
    /// `scratch` is a working buffer whose content is unspecified afterwards;
    /// reusing the same `out` and `scratch` across calls means the steady state
    /// allocates nothing. The two buffers may be swapped internally.
    pub fn apply(&self, input: &str, out: &mut String, scratch: &mut String) {
        out.clear();
        let Some((first, rest)) = self.steps.split_first() else {
            out.push_str(input);
            return;
        };
        first.normalize(input, out);
        for step in rest {
            if out.is_empty() {
                return;
            }
            std::mem::swap(out, scratch);
            out.clear();
            step.normalize(scratch, out);
        }
    }

    /// Runs the chain on `input` into a new string.
    pub fn normalize_to_string(&self, input: &str) -> String {
        let (mut out, mut scratch) = (String::new(), String::new());
        self.apply(input, &mut out, &mut scratch);
        out
    }

    /// True when the chain has no step (it copies its input).
    pub fn is_empty(&self) -> bool {
        self.steps.is_empty()
    }

    /// Number of steps.
    pub fn len(&self) -> usize {
        self.steps.len()
    }

    /// The steps, in order.
    pub fn steps(&self) -> &[Arc<dyn Normalizer>] {
        &self.steps
    }
}

impl Normalizer for Pipeline {
    fn normalize(&self, input: &str, out: &mut String) {
        let mut scratch = String::new();
        if out.is_empty() {
            self.apply(input, out, &mut scratch);
        } else {
            let mut result = String::new();
            self.apply(input, &mut result, &mut scratch);
            out.push_str(&result);
        }
    }
}

/// Builds a [`Pipeline`] step by step.
#[derive(Debug, Clone, Default)]
pub struct PipelineBuilder {
    steps: Vec<Arc<dyn Normalizer>>,
}

impl PipelineBuilder {
    /// Appends a step.
    pub fn then(self, step: impl Normalizer + 'static) -> Self {
        self.then_shared(Arc::new(step))
    }

    /// Appends a boxed step (as returned by [`NormalizerSpec::build`]).
    pub fn then_boxed(self, step: Box<dyn Normalizer>) -> Self {
        self.then_shared(Arc::from(step))
    }

    /// Appends a shared step.
    pub fn then_shared(mut self, step: Arc<dyn Normalizer>) -> Self {
        self.steps.push(step);
        self
    }

    /// Returns the pipeline.
    pub fn build(self) -> Pipeline {
        Pipeline { steps: self.steps }
    }
}

#[cfg(test)]
mod tests {
    use super::super::{CaseFold, EmailNormalizer, Trim};
    use super::*;

    #[test]
    fn empty_pipeline_copies() {
        let p = Pipeline::default();
        assert!(p.is_empty());
        assert_eq!(p.normalize_to_string(" Ab "), " Ab ");
    }

    #[test]
    fn builder_chains_in_order() {
        let p = Pipeline::builder()
            .then(Trim)
            .then_boxed(Box::new(CaseFold))
            .then_shared(Arc::new(Trim))
            .build();
        assert_eq!(p.len(), 3);
        assert_eq!(p.normalize_to_string("  ABC "), "abc");
        let (mut out, mut scratch) = (String::from("junk"), String::from("more junk"));
        p.apply(" X ", &mut out, &mut scratch);
        assert_eq!(out, "x");
    }

    #[test]
    fn missing_short_circuits() {
        let p = Pipeline::builder().then(EmailNormalizer::default()).then(Trim).build();
        assert_eq!(p.normalize_to_string("nope"), "");
    }

    #[test]
    fn pipeline_is_a_normalizer_that_appends() {
        let p = Pipeline::builder().then(CaseFold).build();
        let mut out = String::from("a:");
        p.normalize("B", &mut out);
        assert_eq!(out, "a:b");
    }

    #[test]
    fn from_specs_names_the_bad_entry() {
        let specs = [
            NormalizerSpec::Trim,
            NormalizerSpec::Email {
                ignore_dots_providers: vec![String::new()],
                strip_plus_tags: true,
            },
        ];
        let err = Pipeline::from_specs(&specs, "fields.email.normalizers").unwrap_err();
        assert!(
            matches!(&err, crate::Error::Config { path, .. } if path == "fields.email.normalizers[1]"),
            "{err:?}"
        );
    }

    #[test]
    fn pipelines_are_send_sync_clone() {
        fn check<T: Send + Sync + Clone + 'static>() {}
        check::<Pipeline>();
    }
}
