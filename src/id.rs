//! Ids: the entity and household ids every stage and result shares.

use std::fmt;

use serde::{Deserialize, Serialize};

/// The id of an entity (a cluster of records judged to be one person).
///
/// In a batch result, entities are numbered from 0 in the order of their
/// first record in the input, so the same input gives the same ids. A
/// [`crate::Resolver`] hands out ids from 1 that stay stable across updates
/// and are never reused.
///
/// ```
/// use personlink::EntityId;
/// let id = EntityId::new(42);
/// assert_eq!(id.get(), 42);
/// assert_eq!(id.to_string(), "42");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct EntityId(u64);

impl EntityId {
    /// The id with number `n`.
    pub const fn new(n: u64) -> Self {
        EntityId(n)
    }

    /// The id's number.
    pub const fn get(self) -> u64 {
        self.0
    }
}

impl fmt::Display for EntityId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// The id of a household: the entities (people) who share a home.
///
/// Numbered like [`EntityId`]: from 0 in the order of their first record in a
/// batch result; from 1, stable and never reused, in a [`crate::Resolver`].
///
/// ```
/// use personlink::HouseholdId;
/// assert_eq!(HouseholdId::new(3).get(), 3);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct HouseholdId(u64);

impl HouseholdId {
    /// The id with number `n`.
    pub const fn new(n: u64) -> Self {
        HouseholdId(n)
    }

    /// The id's number.
    pub const fn get(self) -> u64 {
        self.0
    }
}

impl fmt::Display for HouseholdId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// What the resolver's id tables need of an id type: a number.
pub(crate) trait NumberedId:
    Copy + Eq + Ord + std::hash::Hash + fmt::Debug + fmt::Display
{
    /// The id with number `n`.
    fn from_number(n: u64) -> Self;
    /// The id's number.
    fn number(self) -> u64;
}

impl NumberedId for EntityId {
    fn from_number(n: u64) -> Self {
        EntityId(n)
    }
    fn number(self) -> u64 {
        self.0
    }
}

impl NumberedId for HouseholdId {
    fn from_number(n: u64) -> Self {
        HouseholdId(n)
    }
    fn number(self) -> u64 {
        self.0
    }
}
