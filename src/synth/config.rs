//! What to generate: [`SynthConfig`], its two presets and the household mix.

use serde::{Deserialize, Serialize};

use super::person::Params;

/// What to generate. Every value is accepted: rates and shares are clamped to
/// `[0, 1]` (NaN reads as 0), `corruption` and `given_name_skew` to `[0, 3]`,
/// household weights to `[0, 1e6]`. Needs the `synth` feature.
///
/// Two presets: [`SynthConfig::easy`] (the [`Default`], what the generator
/// has always made: few relatives, no life events) and [`SynthConfig::hard`]
/// (households, married names, life events and date errors at realistic
/// rates). Measure on the hard preset; the easy one is a regression check.
///
/// ```
/// use personlink::synth::{generate, SynthConfig};
///
/// let cfg = SynthConfig::new(7, 200).with_duplicate_rate(0.8).with_hard_negative_rate(0.1);
/// let data = generate(&cfg);
/// assert!(data.len() > 200);
/// assert_eq!(data.truth.len(), data.len());
///
/// let json = serde_json::to_string(&cfg).unwrap();
/// assert_eq!(serde_json::from_str::<SynthConfig>(&json).unwrap(), cfg);
/// let partial: SynthConfig = serde_json::from_str(r#"{"people": 10}"#).unwrap();
/// assert_eq!(partial, SynthConfig { people: 10, ..SynthConfig::default() });
/// assert_eq!(SynthConfig::easy(3, 10), SynthConfig::new(3, 10));
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SynthConfig {
    /// Seed of the random stream; same seed and config, same data. Default 42.
    pub seed: u64,
    /// Number of distinct persons. Default 1000.
    pub people: usize,
    /// Probability that a person has at least one extra record. Default 0.5.
    pub duplicate_rate: f64,
    /// Most extra records per person. Default 4.
    pub max_duplicates: usize,
    /// Scale of the damage done to duplicates: 0 gives exact copies, 1 the
    /// default noise (1.6 corruptions per duplicate on average). Default 1.0.
    pub corruption: f64,
    /// Probability that an optional field is missing. Default 0.1.
    pub missing_rate: f64,
    /// Share of persons created as a relative or a namesake of an earlier
    /// person (the easy preset's hard negatives). Default 0.05.
    pub hard_negative_rate: f64,
    /// Share of French persons; the others are British or American in equal
    /// parts. Default 0.5.
    pub french_share: f64,
    /// Share of persons who live with at least one other person of the data
    /// set (a multi-person household sharing address and surname, often a
    /// landline and sometimes an email). Default 0 (easy), hard 0.5.
    pub household_share: f64,
    /// What multi-person households are made of. Default
    /// [`HouseholdMix::default`] (used only when `household_share > 0`).
    pub household_mix: HouseholdMix,
    /// Share of multi-person households with a landline their members share
    /// (mobiles stay personal). Default 0, hard 0.5.
    pub shared_landline_rate: f64,
    /// Share of multi-person households where two or more members give the
    /// same email. Default 0, hard 0.2.
    pub family_email_rate: f64,
    /// Share of persons using a married name whose records carry their birth
    /// surname on some channels and the married one on others. Default 0,
    /// hard 0.35. When it or `household_share` is above 0, about half the
    /// women born before 1996 who live alone are married to someone outside
    /// the data set.
    pub married_name_rate: f64,
    /// Share of French married names written `Birth-Married`
    /// (`Martin-Dupont`, the *nom d'usage*); English married names are
    /// hyphenated a quarter as often. Default 0, hard 0.2.
    pub hyphenated_name_rate: f64,
    /// Share of duplicates that come after 1–3 life events of their person:
    /// a move (new address, postcode, city and landline), a marriage or
    /// divorce (surname change), a new email, a new phone. Later records keep
    /// the change, so more records differ from their original than the rate
    /// says (hard: about half the duplicates, a third by a move; see
    /// [`super::SynthData::life_events`]). Default 0, hard 0.35.
    pub life_event_rate: f64,
    /// Share of duplicates with a date-of-birth entry error (day and month
    /// swapped, one digit wrong, year off by one), on top of those the
    /// corruption noise makes. Default 0, hard 0.05.
    pub date_error_rate: f64,
    /// Hand out every mailbox once, as a mail provider does: two spellings of
    /// one mailbox (`jean.dupont@gmail.com`, `jeandupont@gmail.com`: gmail
    /// ignores dots) never go to two people. Default false (the easy preset's
    /// historical emails), hard true.
    pub unique_mailboxes: bool,
    /// Zipf exponent of given names over the tables (about 100 names per
    /// language and sex): 0.6 makes the most common name 7% of its sex, 0.4
    /// about 4%. Default 0.6, hard 0.4.
    pub given_name_skew: f64,
    /// Share of French persons whose surname comes from the table of common
    /// French surnames (Zipf 0.5 over 233 names, Martin first); the others
    /// get a built, long-tailed surname. Default 0.4, hard 0.105.
    pub common_surname_share_fr: f64,
    /// The same for British and American persons (217 names, Smith first).
    /// Default 0.4, hard 0.28.
    pub common_surname_share_en: f64,
}

/// The relative weights of the kinds of multi-person household (they need
/// not sum to 1). Each weight is clamped to `[0, 1e6]` (NaN reads as 0); all
/// zero means couples only. Sizes are those of the members *in the data
/// set*, truncated when `household_share` leaves too few persons.
///
/// ```
/// use personlink::synth::HouseholdMix;
///
/// let mix: HouseholdMix = serde_json::from_str(r#"{"twins": 10}"#).unwrap();
/// assert_eq!(mix.twins, 10.0);
/// assert_eq!(mix.couple, HouseholdMix::default().couple);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct HouseholdMix {
    /// Two partners (2% same-sex); three in four are married, and the
    /// married partner who takes the other's surname is the woman 95% of the
    /// time. Default 45.
    pub couple: f64,
    /// One or two parents (one in four families has a single parent, most
    /// often the mother) and 1–3 adult children born 20–42 years after their
    /// mother. Default 30.
    pub parents_children: f64,
    /// Two or three adult siblings, born within 8 years of each other.
    /// Default 8.
    pub siblings: f64,
    /// Twins (same date of birth, two in three of the same sex, half of them
    /// with similar given names: `Louis`/`Louise`, `Jean`/`Jeanne`, same first
    /// letters) with their parents 60% of the time. Default 3.
    pub twins: f64,
    /// A father and his son named after him (same given name, surname and
    /// address, born 20–35 years apart; English records sometimes write `Jr`,
    /// `II` or `Sr`), often with the mother. Default 6.
    pub junior_senior: f64,
    /// Three generations: one or two grandparents (paternal two times in
    /// three, else the mother's parents with her birth surname), one or two
    /// parents and up to two grandchildren. Default 8.
    pub grandparents: f64,
}

impl Default for HouseholdMix {
    /// Couples 45, parents and children 30, siblings 8, twins 3,
    /// junior/senior 6, grandparents 8 (see [`SynthConfig::hard`]).
    fn default() -> Self {
        HouseholdMix {
            couple: 45.0,
            parents_children: 30.0,
            siblings: 8.0,
            twins: 3.0,
            junior_senior: 6.0,
            grandparents: 8.0,
        }
    }
}

impl HouseholdMix {
    /// The weights in [`super::household::Composition`] order, clamped.
    fn weights(&self) -> [f64; 6] {
        let w = |x: f64| if x.is_nan() { 0.0 } else { x.clamp(0.0, 1e6) };
        let ws = [
            w(self.couple),
            w(self.parents_children),
            w(self.siblings),
            w(self.twins),
            w(self.junior_senior),
            w(self.grandparents),
        ];
        if ws.iter().sum::<f64>() > 0.0 {
            ws
        } else {
            [1.0, 0.0, 0.0, 0.0, 0.0, 0.0]
        }
    }
}

impl Default for SynthConfig {
    /// The easy preset with seed 42 and 1000 persons.
    fn default() -> Self {
        SynthConfig {
            seed: 42,
            people: 1000,
            duplicate_rate: 0.5,
            max_duplicates: 4,
            corruption: 1.0,
            missing_rate: 0.1,
            hard_negative_rate: 0.05,
            french_share: 0.5,
            household_share: 0.0,
            household_mix: HouseholdMix::default(),
            shared_landline_rate: 0.0,
            family_email_rate: 0.0,
            married_name_rate: 0.0,
            hyphenated_name_rate: 0.0,
            life_event_rate: 0.0,
            date_error_rate: 0.0,
            unique_mailboxes: false,
            given_name_skew: 0.6,
            common_surname_share_fr: 0.4,
            common_surname_share_en: 0.4,
        }
    }
}

impl SynthConfig {
    /// The default configuration (the easy preset) with this seed and number
    /// of persons.
    pub fn new(seed: u64, people: usize) -> Self {
        SynthConfig { seed, people, ..SynthConfig::default() }
    }

    /// The easy preset, what the generator has always made (the same records
    /// and truth, byte for byte): persons drawn independently, 5% of them a
    /// relative or namesake of another, duplicates damaged by typos and
    /// format noise, no household structure, no life events beyond the
    /// occasional move or new email of the corruption noise, and name tables
    /// more concentrated than real populations (the most common given name is
    /// 7% of its sex, Martin 1.4% of French persons). Equal to
    /// [`SynthConfig::new`]. Keep it as a regression check.
    pub fn easy(seed: u64, people: usize) -> Self {
        SynthConfig::new(seed, people)
    }

    /// The hard preset: customer data as a CRM holds it, where families share
    /// a home and people move and marry. The damage model (duplicate rate,
    /// corruption, missing values, channels) is the easy preset's; on top:
    ///
    /// - `household_share` 0.5. In France, the UK and the US there are 2.2,
    ///   2.4 and 2.5 persons per household and 37%, 30% and 29% of households
    ///   have one person (INSEE, ONS, US Census Bureau, early 2020s), so 11–17%
    ///   of people live alone and about 85% with someone. A customer file
    ///   holds only some members of each household; half is a judgement.
    /// - `household_mix`: [`HouseholdMix::default`]. Couples without children
    ///   and families are the two big kinds of multi-person households
    ///   (INSEE: 25% and 34% of all households, a quarter of families having
    ///   one parent); children in a customer file are adults, which thins the
    ///   families. Twins: about 1 delivery in 60–80 gives twins (Hellin's
    ///   1 in 80; about 1.6% of deliveries in France and England today), so
    ///   about 3% of households with two adult children of one couple hold
    ///   twins. Junior/senior and three-generation weights are judgements.
    /// - `shared_landline_rate` 0.5: most French and British households keep
    ///   a fixed line, far fewer American ones (about a quarter of US adults
    ///   still have one); how often a customer gives it is a judgement.
    ///   When there is a landline, 20% of members (40% of grandparents) give
    ///   no mobile, and a record of the others shows the landline half the
    ///   time.
    /// - `family_email_rate` 0.2: judgement. Half the shared addresses are
    ///   one partner's own email, half a family one (`famille.dupont@...`).
    /// - `married_name_rate` 0.35 and `hyphenated_name_rate` 0.2: 79% of
    ///   American women in opposite-sex marriages took their husband's name,
    ///   5% hyphenated, 5% of men took their wife's (Pew Research Center,
    ///   2023); in France the birth name stays the legal one and the married
    ///   name is a *nom d'usage*, hyphenated by many. How often a file mixes
    ///   birth and married names is a judgement.
    /// - `life_event_rate` 0.35, events weighted move 40, new email 28, new
    ///   phone 24, surname change 8 (a tenth of that for men), 1, 2 or 3 of
    ///   them with probabilities 0.6, 0.3, 0.1. About 8–11% of people move
    ///   each year in the three countries; records span 11 years, so about a
    ///   third of duplicates follow a move; the other rates are judgements
    ///   (surname changes are above the population's 1–2% on purpose, so the
    ///   case can be measured).
    /// - `date_error_rate` 0.05: judgement; with the corruption noise about
    ///   one duplicate in eight has a wrong date of birth (one in thirteen in
    ///   the easy preset).
    /// - Realistic name frequencies, so chance namesakes come at the rate of
    ///   a national population: `given_name_skew` 0.4 (the most common name
    ///   about 4% of its sex; the 1990 US census has James at 3.3% of men and
    ///   Mary at 2.6% of women), `common_surname_share_fr` 0.105 (Martin 0.36%
    ///   of French persons, as in France) and `common_surname_share_en` 0.28
    ///   (Smith 1.0%, as in the 1990 US census).
    /// - `hard_negative_rate` 0: relatives come from the households and
    ///   namesakes from the name frequencies.
    ///
    /// ```
    /// use personlink::synth::{generate, SynthConfig};
    ///
    /// let data = generate(&SynthConfig::hard(1, 300));
    /// assert!(!data.relative_pairs().is_empty());
    /// assert!(data.life_events.iter().any(|&n| n > 0));
    /// ```
    pub fn hard(seed: u64, people: usize) -> Self {
        SynthConfig {
            seed,
            people,
            hard_negative_rate: 0.0,
            household_share: 0.5,
            household_mix: HouseholdMix::default(),
            shared_landline_rate: 0.5,
            family_email_rate: 0.2,
            married_name_rate: 0.35,
            hyphenated_name_rate: 0.2,
            life_event_rate: 0.35,
            date_error_rate: 0.05,
            unique_mailboxes: true,
            given_name_skew: 0.4,
            common_surname_share_fr: 0.105,
            common_surname_share_en: 0.28,
            ..SynthConfig::default()
        }
    }

    /// Sets the seed.
    pub fn with_seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    /// Sets the number of distinct persons.
    pub fn with_people(mut self, people: usize) -> Self {
        self.people = people;
        self
    }

    /// Sets the probability that a person has at least one extra record.
    pub fn with_duplicate_rate(mut self, rate: f64) -> Self {
        self.duplicate_rate = rate;
        self
    }

    /// Sets the most extra records per person.
    pub fn with_max_duplicates(mut self, max: usize) -> Self {
        self.max_duplicates = max;
        self
    }

    /// Sets the corruption scale (0 = exact copies, 1 = default noise).
    pub fn with_corruption(mut self, scale: f64) -> Self {
        self.corruption = scale;
        self
    }

    /// Sets the probability that an optional field is missing.
    pub fn with_missing_rate(mut self, rate: f64) -> Self {
        self.missing_rate = rate;
        self
    }

    /// Sets the share of persons created as a relative or namesake.
    pub fn with_hard_negative_rate(mut self, rate: f64) -> Self {
        self.hard_negative_rate = rate;
        self
    }

    /// Sets the share of French persons.
    pub fn with_french_share(mut self, share: f64) -> Self {
        self.french_share = share;
        self
    }

    /// Sets the share of persons living in multi-person households.
    pub fn with_household_share(mut self, share: f64) -> Self {
        self.household_share = share;
        self
    }

    /// Sets the kinds of multi-person household.
    pub fn with_household_mix(mut self, mix: HouseholdMix) -> Self {
        self.household_mix = mix;
        self
    }

    /// Sets the share of multi-person households sharing a landline.
    pub fn with_shared_landline_rate(mut self, rate: f64) -> Self {
        self.shared_landline_rate = rate;
        self
    }

    /// Sets the share of multi-person households sharing an email.
    pub fn with_family_email_rate(mut self, rate: f64) -> Self {
        self.family_email_rate = rate;
        self
    }

    /// Sets the share of married-name persons whose records also carry their
    /// birth surname.
    pub fn with_married_name_rate(mut self, rate: f64) -> Self {
        self.married_name_rate = rate;
        self
    }

    /// Sets the share of (French) married names written `Birth-Married`.
    pub fn with_hyphenated_name_rate(mut self, rate: f64) -> Self {
        self.hyphenated_name_rate = rate;
        self
    }

    /// Sets the share of duplicates that follow 1–3 life events.
    pub fn with_life_event_rate(mut self, rate: f64) -> Self {
        self.life_event_rate = rate;
        self
    }

    /// Sets the share of duplicates with a date-of-birth entry error.
    pub fn with_date_error_rate(mut self, rate: f64) -> Self {
        self.date_error_rate = rate;
        self
    }

    /// Sets the Zipf exponent of given names.
    pub fn with_given_name_skew(mut self, skew: f64) -> Self {
        self.given_name_skew = skew;
        self
    }

    /// Sets the shares of French and of English-speaking persons whose
    /// surname comes from the common-surname tables.
    pub fn with_common_surname_shares(mut self, fr: f64, en: f64) -> Self {
        self.common_surname_share_fr = fr;
        self.common_surname_share_en = en;
        self
    }

    /// The sanitized parameters.
    pub(super) fn params(&self) -> Params {
        fn rate(x: f64) -> f64 {
            if x.is_nan() {
                0.0
            } else {
                x.clamp(0.0, 1.0)
            }
        }
        fn scale(x: f64) -> f64 {
            if x.is_nan() {
                0.0
            } else {
                x.clamp(0.0, 3.0)
            }
        }
        Params {
            people: self.people,
            duplicate_rate: rate(self.duplicate_rate),
            max_duplicates: self.max_duplicates,
            corruption: scale(self.corruption),
            missing_rate: rate(self.missing_rate),
            hard_negative_rate: rate(self.hard_negative_rate),
            french_share: rate(self.french_share),
            household_share: rate(self.household_share),
            household_weights: self.household_mix.weights(),
            shared_landline_rate: rate(self.shared_landline_rate),
            family_email_rate: rate(self.family_email_rate),
            married_name_rate: rate(self.married_name_rate),
            hyphenated_name_rate: rate(self.hyphenated_name_rate),
            life_event_rate: rate(self.life_event_rate),
            date_error_rate: rate(self.date_error_rate),
            unique_mailboxes: self.unique_mailboxes,
            given_name_skew: scale(self.given_name_skew),
            common_surname_share: [
                rate(self.common_surname_share_fr),
                rate(self.common_surname_share_en),
            ],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn params_clamp() {
        let p = SynthConfig::new(1, 1)
            .with_duplicate_rate(f64::NAN)
            .with_corruption(1e9)
            .with_missing_rate(-3.0)
            .with_french_share(f64::INFINITY)
            .with_given_name_skew(-1.0)
            .with_life_event_rate(7.0)
            .params();
        assert_eq!(p.duplicate_rate, 0.0);
        assert_eq!(p.corruption, 3.0);
        assert_eq!(p.missing_rate, 0.0);
        assert_eq!(p.french_share, 1.0);
        assert_eq!(p.given_name_skew, 0.0);
        assert_eq!(p.life_event_rate, 1.0);
    }

    #[test]
    fn household_weights_clamp() {
        let mix = HouseholdMix {
            couple: f64::NAN,
            parents_children: -1.0,
            siblings: f64::INFINITY,
            twins: 0.0,
            junior_senior: 0.0,
            grandparents: 0.0,
        };
        assert_eq!(mix.weights(), [0.0, 0.0, 1e6, 0.0, 0.0, 0.0]);
        let zero = HouseholdMix {
            couple: 0.0,
            parents_children: 0.0,
            siblings: 0.0,
            twins: 0.0,
            junior_senior: 0.0,
            grandparents: 0.0,
        };
        assert_eq!(zero.weights(), [1.0, 0.0, 0.0, 0.0, 0.0, 0.0]);
    }

    #[test]
    fn presets() {
        assert_eq!(SynthConfig::easy(5, 10), SynthConfig::new(5, 10));
        assert_eq!(SynthConfig::default(), SynthConfig::easy(42, 1000));
        let hard = SynthConfig::hard(5, 10);
        assert_eq!((hard.seed, hard.people), (5, 10));
        assert!(hard.household_share > 0.0 && hard.life_event_rate > 0.0);
        let json = serde_json::to_string(&hard).unwrap();
        assert_eq!(serde_json::from_str::<SynthConfig>(&json).unwrap(), hard);
    }
}
