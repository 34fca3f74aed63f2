//! Per-source normalizer chains: the records of some source systems are
//! normalized with chains of their own (a source's phone country, its date
//! order), compiled once, only for the fields where they differ.

use crate::normalize::Pipeline;

/// A system's pipelines, one per field: `None` where the field's own applies.
type FieldOverrides = Box<[Option<Pipeline>]>;

/// The field pipelines that replace the configuration's for the records of
/// some source systems.
#[derive(Debug, Clone, Default)]
pub(crate) struct SourcePipelines {
    /// By system name, sorted: per field, the pipeline that replaces the
    /// field's own, or `None` where the field's own applies.
    systems: Vec<(Box<str>, FieldOverrides)>,
}

impl SourcePipelines {
    /// The overrides of each listed system, one entry per field; systems that
    /// override no field are left out.
    pub(crate) fn new(systems: impl IntoIterator<Item = (String, Vec<Option<Pipeline>>)>) -> Self {
        let mut systems: Vec<(Box<str>, FieldOverrides)> = systems
            .into_iter()
            .filter(|(_, fields)| fields.iter().any(Option::is_some))
            .map(|(name, fields)| (name.into_boxed_str(), fields.into_boxed_slice()))
            .collect();
        systems.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        systems.dedup_by(|a, b| a.0 == b.0);
        SourcePipelines { systems }
    }

    /// The overrides of `system`'s records, by field (empty when it has none:
    /// every field's own pipeline applies).
    #[inline]
    pub(crate) fn of(&self, system: &str) -> &[Option<Pipeline>] {
        if self.systems.is_empty() {
            return &[];
        }
        match self.systems.binary_search_by(|(name, _)| (**name).cmp(system)) {
            Ok(i) => &self.systems[i].1,
            Err(_) => &[],
        }
    }

    /// Number of systems with overrides.
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.systems.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::CaseFold;

    #[test]
    fn looks_systems_up_by_name() {
        let fold = Pipeline::builder().then(CaseFold).build();
        let sources = SourcePipelines::new([
            ("web".to_owned(), vec![None, None]),
            ("crm".to_owned(), vec![None, Some(fold.clone())]),
            ("agency".to_owned(), vec![Some(fold), None]),
        ]);
        // "web" overrides nothing: left out.
        assert_eq!(sources.len(), 2);
        assert!(sources.of("web").is_empty());
        assert!(sources.of("").is_empty());
        assert!(sources.of("CRM").is_empty());
        let crm = sources.of("crm");
        assert_eq!(crm.len(), 2);
        assert!(crm[0].is_none());
        assert_eq!(crm[1].as_ref().unwrap().normalize_to_string("AB"), "ab");
        assert!(sources.of("agency")[0].is_some());
        assert!(SourcePipelines::default().of("crm").is_empty());
    }
}
