//! Nickname and diminutive equivalence of given names.
//!
//! A [`NicknameTable`] holds groups of given names that denote the same first
//! name ("william", "bill", "will", "billy"). Two names are equivalent when they
//! share a group. A name may sit in several groups ("chris" is in the
//! christopher, christine and christian groups), and equivalence is *not*
//! transitive: "christopher" and "christine" share no group, so they are not
//! equivalent even though both are equivalent to "chris".

use hashbrown::HashMap;
use serde::{Deserialize, Serialize, Serializer};
use smallvec::{smallvec, SmallVec};
use unicode_normalization::char::is_combining_mark;

use super::fold_char;

/// Groups of given names that denote the same first name.
///
/// Lookups ([`groups`](Self::groups), [`equivalent`](Self::equivalent)) take
/// names as the caller's normalization leaves them: lowercase ASCII, hyphens
/// turned to spaces ("jean baptiste", "jb"); they do not normalize and do not
/// allocate. [`add_group`](Self::add_group) normalizes the names it is given.
///
/// The [`builtin`](Self::builtin) table holds English and French diminutives,
/// French compound-name initials ("jb" for "jean baptiste") and a few
/// cross-language groups of the same name (see [`builtin`](Self::builtin)).
///
/// Serializes as the list of groups (`[["william","bill",...],...]`); a table
/// deserialized from that list behaves like the one serialized.
///
/// ```
/// use personlink::normalize::NicknameTable;
///
/// let mut table = NicknameTable::builtin();
/// assert!(table.equivalent("bill", "william"));
/// assert!(table.equivalent("jb", "jean baptiste"));
/// assert!(table.equivalent("chris", "christine"));
/// assert!(!table.equivalent("christopher", "christine"));
///
/// table.add_group(&["Bertie", "Albert"]);
/// assert!(table.equivalent("bertie", "albert"));
/// ```
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(from = "Vec<Vec<String>>")]
pub struct NicknameTable {
    /// Name → ids of the groups it belongs to, ascending.
    index: HashMap<Box<str>, SmallVec<[u32; 2]>>,
    /// The groups, by id, each a list of distinct normalized names.
    groups: Vec<Vec<Box<str>>>,
}

impl NicknameTable {
    /// The built-in English and French table.
    ///
    /// It holds only equivalences a data steward would accept:
    ///
    /// * English diminutives ("william" / "bill" / "will" / "billy", "margaret" /
    ///   "peggy" / "maggie", "richard" / "dick");
    /// * French diminutives ("dominique" / "dom", "emmanuel" / "manu", "pierre" /
    ///   "pierrot") and the usual initials of compound given names ("jean
    ///   baptiste" / "jb", "jean pierre" / "jp");
    /// * cross-language groups joining only the *full* forms of one name with the
    ///   same sex in both languages: william / guillaume, peter / pierre, stephen /
    ///   etienne, james / jacques, henry / henri, michael / michel, mary / marie,
    ///   margaret / marguerite and about thirty more. Nicknames do not cross
    ///   languages: "bill" is not equivalent to "guillaume".
    ///
    /// Deliberately left out: pairs whose sex differs ("louis" / "louise"),
    /// "john" / "jean" (in English "Jean" is a woman's name), "liam" / "william"
    /// (an independent name today), and a compound name's first part as a nickname
    /// of the whole ("marie christine" / "marie": first-token matching is a
    /// comparison of its own, not an equivalence).
    pub fn builtin() -> Self {
        let mut table = NicknameTable::empty();
        for group in ENGLISH.iter().chain(FRENCH).chain(CROSS_LANGUAGE) {
            table.add_group(group);
        }
        table
    }

    /// A table with no groups.
    pub fn empty() -> Self {
        NicknameTable::default()
    }

    /// Adds a group of equivalent names.
    ///
    /// Names are normalized here: folded to ASCII (accents dropped, other scripts
    /// transliterated), lowercased, apostrophes removed, every other character
    /// that is not a letter or digit (hyphens, dots, spaces) turned into a single
    /// space, leading and trailing spaces trimmed. So "Jean-Baptiste" is stored as
    /// "jean baptiste" and "J.B." as "j b". Empty and repeated names are skipped;
    /// a group left with fewer than two distinct names makes nothing equivalent
    /// and is not added. A name may belong to several groups.
    pub fn add_group<S: AsRef<str>>(&mut self, names: &[S]) {
        let mut members: Vec<Box<str>> = Vec::with_capacity(names.len());
        for name in names {
            let n = normalize_name(name.as_ref());
            if !n.is_empty() && !members.iter().any(|m| **m == *n) {
                members.push(n.into_boxed_str());
            }
        }
        if members.len() < 2 {
            return;
        }
        let Ok(id) = u32::try_from(self.groups.len()) else {
            return;
        };
        for m in &members {
            // Ids only grow, so each name's list stays sorted and free of repeats.
            match self.index.get_mut(&**m) {
                Some(ids) => ids.push(id),
                None => {
                    self.index.insert(m.clone(), smallvec![id]);
                }
            }
        }
        self.groups.push(members);
    }

    /// Group ids of a (normalized) name, ascending; empty when the name is unknown.
    ///
    /// Does not allocate: the slice borrows the table.
    pub fn groups(&self, name: &str) -> &[u32] {
        self.index.get(name).map_or(&[], |ids| ids.as_slice())
    }

    /// True when the two (normalized) names share a group. Symmetric.
    ///
    /// A name is equivalent to itself only when it is in the table: two equal
    /// names that the table does not know ("zzz" and "zzz") are *not* equivalent
    /// here. Equality is the job of the exact-match comparison level; this test
    /// only says whether the table links two names.
    pub fn equivalent(&self, a: &str, b: &str) -> bool {
        let (ga, gb) = (self.groups(a), self.groups(b));
        ga.iter().any(|g| gb.binary_search(g).is_ok())
    }

    /// Number of groups.
    pub fn len(&self) -> usize {
        self.groups.len()
    }

    /// True when the table has no groups.
    pub fn is_empty(&self) -> bool {
        self.groups.is_empty()
    }

    /// The groups, by id, each as its list of normalized names.
    pub fn groups_list(&self) -> Vec<Vec<String>> {
        self.groups.iter().map(|g| g.iter().map(|n| n.to_string()).collect()).collect()
    }
}

impl Serialize for NicknameTable {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(&self.groups)
    }
}

impl From<Vec<Vec<String>>> for NicknameTable {
    fn from(groups: Vec<Vec<String>>) -> Self {
        let mut table = NicknameTable::empty();
        for g in &groups {
            table.add_group(g);
        }
        table
    }
}

/// Folds a name to lowercase ASCII words separated by single spaces.
fn normalize_name(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    let mut push = |c: char, out: &mut String| {
        if c.is_ascii_alphanumeric() {
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            out.push(c.to_ascii_lowercase());
        } else if !matches!(c, '\'' | '`') {
            space = true;
        }
    };
    for c in s.chars() {
        if c.is_ascii() {
            push(c, &mut out);
        } else if matches!(c, '\u{2019}' | '\u{2018}' | '\u{02bc}') {
            // Typographic apostrophes: dropped like the ASCII one.
        } else if c.is_alphabetic() {
            fold_char(c, &mut |piece: &str| {
                for a in piece.chars() {
                    push(a, &mut out);
                }
            });
        } else if !is_combining_mark(c) {
            push(' ', &mut out);
        }
    }
    out
}

/// English given names and their diminutives.
const ENGLISH: &[&[&str]] = &[
    &["william", "bill", "billy", "will", "willy", "willie"],
    &["robert", "bob", "bobby", "rob", "robbie", "robby", "bert"],
    &["margaret", "peggy", "maggie", "meg", "madge", "greta"],
    &[
        "elizabeth",
        "elisabeth",
        "liz",
        "lizzie",
        "lizzy",
        "beth",
        "betty",
        "betsy",
        "eliza",
        "libby",
        "bess",
        "bessie",
        "babeth",
    ],
    &[
        "katherine",
        "catherine",
        "kathryn",
        "kate",
        "kathy",
        "cathy",
        "katie",
        "kitty",
        "kat",
        "cath",
        "kath",
    ],
    &["richard", "dick", "rick", "ricky", "rich", "richie"],
    &["james", "jim", "jimmy", "jamie"],
    &["john", "jack", "johnny"],
    &["jonathan", "jon", "jonny"],
    &["thomas", "tom", "tommy", "toto"],
    &["michael", "mike", "mikey", "mick", "mickey", "micky"],
    &["christopher", "chris", "kit"],
    &["daniel", "dan", "danny"],
    &["anthony", "tony"],
    &["edward", "ted", "teddy", "ed", "eddie", "eddy", "ned"],
    &["patricia", "pat", "patty", "trish", "tricia", "trisha"],
    &["jennifer", "jen", "jenn", "jenny"],
    &["susan", "sue", "susie", "suzy"],
    &["deborah", "debra", "debbie", "deb"],
    &["alexander", "alex", "alec", "sandy", "xander"],
    &["andrew", "andy", "drew"],
    &["benjamin", "ben", "benny", "benji", "benjy"],
    &["charles", "charlie", "charley", "chuck"],
    &["david", "dave", "davy", "davey"],
    &["joseph", "joe", "joey", "jo", "jojo"],
    &["matthew", "matt", "matty"],
    &["nicholas", "nick", "nicky", "nic"],
    &["samuel", "sam", "sammy"],
    &["stephen", "steven", "steve", "stevie"],
    &["timothy", "tim", "timmy"],
    &["victoria", "vicky", "vicki", "vickie", "tori"],
    &["rebecca", "becky", "becca"],
    &["jessica", "jess", "jessie"],
    &["abigail", "abby", "abbie"],
    &["alfred", "alf", "alfie", "fred"],
    &["frederick", "fredrick", "fred", "freddie", "freddy"],
    &["henry", "harry", "hal", "hank"],
    &["lawrence", "larry"],
    &["leonard", "leo", "len", "lenny"],
    &["peter", "pete"],
    &["philip", "phillip", "phil"],
    &["raymond", "ray"],
    &["ronald", "ron", "ronnie"],
    &["theodore", "ted", "teddy", "theo"],
    &["walter", "walt", "wally"],
    &["gregory", "greg"],
    &["jeffrey", "geoffrey", "jeff", "geoff"],
    &["kenneth", "ken", "kenny"],
    &["donald", "don", "donny"],
    &["douglas", "doug", "dougie"],
    &["gerald", "gerry", "jerry"],
    &["harold", "hal"],
    &["louis", "lou", "loulou"],
    &["samantha", "sam", "sammie"],
    &["sandra", "sandy"],
    &["cynthia", "cindy"],
    &["barbara", "barb", "babs"],
    &["dorothy", "dot", "dottie", "dolly"],
    &["eleanor", "ellie", "nell", "nellie"],
    &["florence", "flo"],
    &["frances", "fran", "fanny"],
    &["jacqueline", "jackie", "jacquie"],
    &["josephine", "jo", "josie", "josy"],
    &["judith", "judy"],
    &["mary", "molly", "polly", "mae"],
    &["pamela", "pam"],
    &["theresa", "teresa", "tess", "tessa", "terri"],
    &["virginia", "ginny"],
    &["albert", "al", "bert", "bertie"],
    &["herbert", "herb", "bert"],
    &["arthur", "art", "artie"],
    &["augustus", "gus"],
    &["bartholomew", "bart"],
    &["clifford", "cliff"],
    &["edmund", "ed", "eddie"],
    &["edwin", "ed", "eddie"],
    &["eugene", "gene"],
    &["ernest", "ernie"],
    &["francis", "frank", "frankie"],
    &["franklin", "frank"],
    &["gilbert", "gil"],
    &["howard", "howie"],
    &["jacob", "jake"],
    &["jerome", "jerry"],
    &["mitchell", "mitch"],
    &["montgomery", "monty"],
    &["nathan", "nate"],
    &["nathaniel", "nat", "nate"],
    &["oliver", "ollie"],
    &["patrick", "pat", "paddy"],
    &["randolph", "randy"],
    &["randall", "randy"],
    &["reginald", "reg", "reggie"],
    &["russell", "russ"],
    &["stanley", "stan"],
    &["terence", "terrence", "terry"],
    &["vincent", "vince", "vinny"],
    &["wilfred", "wilf"],
    &["zachary", "zach", "zack"],
    &["abraham", "abe"],
    &["dominic", "dom"],
    &["maximilian", "max"],
    &["sebastian", "seb"],
    &["tobias", "toby"],
    &["gabriel", "gabe", "gaby"],
    &["gabrielle", "gaby", "gabby"],
    &["bernard", "bernie"],
    &["angela", "angie"],
    &["amanda", "mandy"],
    &["beatrice", "bea"],
    &["christine", "chris", "chrissie", "chrissy"],
    &["christina", "chris", "chrissie", "chrissy", "tina"],
    &["christian", "chris"],
    &["cassandra", "cassie"],
    &["constance", "connie"],
    &["gwendolyn", "gwen"],
    &["harriet", "hattie"],
    &["kimberly", "kim"],
    &["madeleine", "madeline", "maddie", "maddy"],
    &["marjorie", "marjory", "marge", "margie"],
    &["melissa", "mel"],
    &["melanie", "mel"],
    &["nicole", "nikki", "nicky"],
    &["penelope", "penny"],
    &["sarah", "sara", "sally"],
    &["stephanie", "steph"],
    &["valerie", "val"],
    &["winifred", "winnie"],
    &["alexandra", "alex", "sandy"],
    &["anne", "ann", "annie"],
    &["joanne", "jo"],
    &["isabelle", "isabel", "isabella", "isa", "izzy"],
    &["caroline", "caro", "carrie"],
    &["charlotte", "lottie", "lolotte"],
];

/// French given names, their diminutives and compound-name initials.
const FRENCH: &[&[&str]] = &[
    &["jean baptiste", "jb"],
    &["jean pierre", "jp"],
    &["jean philippe", "jp"],
    &["jean paul", "jp"],
    &["jean francois", "jf"],
    &["jean claude", "jc"],
    &["jean charles", "jc"],
    &["jean christophe", "jc"],
    &["jean marc", "jm"],
    &["jean michel", "jm"],
    &["jean marie", "jm"],
    &["jean luc", "jl"],
    &["jean louis", "jl"],
    &["jean jacques", "jj"],
    &["pierre yves", "py"],
    &["dominique", "dom"],
    &["frederic", "fred"],
    &["christophe", "chris"],
    &["alexandre", "alex"],
    &["alexis", "alex"],
    &["nicolas", "nico"],
    &["emmanuel", "manu"],
    &["emmanuelle", "manue"],
    &["stephane", "steph"],
    &["sebastien", "seb"],
    &["mathieu", "matthieu", "mat", "math"],
    &["maximilien", "max"],
    &["maxime", "max"],
    &["francoise", "fanfan"],
    &["valentin", "val"],
    &["aurelien", "aurel"],
    &["jacques", "jacquot"],
    &["jean", "jeannot"],
    &["pierre", "pierrot"],
    &["marguerite", "margot", "maguy"],
    &["raphael", "raph"],
    &["clementine", "clem"],
    &["clement", "clem"],
    &["veronique", "vero"],
    &["philippe", "phil"],
    &["louise", "lou", "loulou"],
];

/// One name across English and French: full forms only, same sex in both.
const CROSS_LANGUAGE: &[&[&str]] = &[
    &["william", "guillaume"],
    &["peter", "pierre"],
    &["stephen", "steven", "etienne"],
    &["james", "jacques"],
    &["henry", "henri"],
    &["michael", "michel"],
    &["andrew", "andre"],
    &["anthony", "antoine"],
    &["nicholas", "nicolas"],
    &["christopher", "christophe"],
    &["matthew", "mathieu", "matthieu"],
    &["philip", "phillip", "philippe"],
    &["george", "georges", "giorgos", "georgios", "yorgos"],
    &["olivia", "liv", "livvy", "livia"],
    &["gabriela", "gabriella", "gaby", "gabby"],
    &["muhammad", "mohammed", "mohamed", "muhammed", "mohammad", "mohamad"],
    &["frederick", "frederic"],
    &["alexander", "alexandre"],
    &["edward", "edouard"],
    &["lawrence", "laurent"],
    &["gregory", "gregoire"],
    &["mark", "marc"],
    &["luke", "luc"],
    &["oliver", "olivier"],
    &["julian", "julien"],
    &["adrian", "adrien"],
    &["hugh", "hugues"],
    &["sebastian", "sebastien"],
    &["maximilian", "maximilien"],
    &["timothy", "timothee"],
    &["giles", "gilles"],
    &["dennis", "denis"],
    &["mary", "marie"],
    &["margaret", "marguerite"],
    &["joan", "jeanne"],
    &["helen", "helene"],
    &["lucy", "lucie"],
    &["emily", "emilie"],
    &["matilda", "mathilde"],
    &["cecilia", "cecile"],
    &["susan", "suzanne"],
    &["theresa", "teresa", "therese"],
    &["claire", "clare"],
    &["dorothy", "dorothee"],
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_is_big_enough_and_clean() {
        let t = NicknameTable::builtin();
        assert!(t.len() >= 120, "{} groups", t.len());
        assert!(!t.is_empty());
        // Every built-in name is already normalized, and no group repeats a name.
        for group in ENGLISH.iter().chain(FRENCH).chain(CROSS_LANGUAGE) {
            for (i, n) in group.iter().enumerate() {
                assert_eq!(normalize_name(n), *n);
                assert!(!group[..i].contains(n), "{n} repeated in {group:?}");
            }
        }
        // No two groups hold the same set of names.
        let mut sets: Vec<Vec<String>> = t.groups_list();
        for s in &mut sets {
            s.sort();
        }
        sets.sort();
        let before = sets.len();
        sets.dedup();
        assert_eq!(sets.len(), before);
    }

    #[test]
    fn english_pairs() {
        let t = NicknameTable::builtin();
        for (a, b) in [
            ("bill", "william"),
            ("william", "bill"),
            ("bob", "robert"),
            ("peggy", "margaret"),
            ("dick", "richard"),
            ("ted", "edward"),
            ("ted", "theodore"),
            ("sandy", "alexander"),
            ("sandy", "sandra"),
            ("kate", "catherine"),
            ("kate", "katherine"),
        ] {
            assert!(t.equivalent(a, b), "{a} ~ {b}");
            assert!(t.equivalent(b, a), "{b} ~ {a}");
        }
    }

    #[test]
    fn french_pairs() {
        let t = NicknameTable::builtin();
        assert!(t.equivalent("jb", "jean baptiste"));
        assert!(t.equivalent("jean baptiste", "jb"));
        assert!(t.equivalent("dom", "dominique"));
        assert!(t.equivalent("jp", "jean pierre"));
        assert!(t.equivalent("jp", "jean philippe"));
        assert!(!t.equivalent("jean pierre", "jean philippe"));
        assert!(t.equivalent("manu", "emmanuel"));
        assert!(!t.equivalent("manu", "emmanuelle"));
    }

    #[test]
    fn shared_nickname_is_not_transitive() {
        let t = NicknameTable::builtin();
        assert!(t.equivalent("chris", "christopher"));
        assert!(t.equivalent("chris", "christine"));
        assert!(!t.equivalent("christopher", "christine"));
        assert!(t.equivalent("alex", "alexandra"));
        assert!(t.equivalent("alex", "alexandre"));
        assert!(t.equivalent("alex", "alexis"));
        assert!(!t.equivalent("alexandra", "alexis"));
        assert!(!t.equivalent("edward", "theodore"));
        assert!(!t.equivalent("samuel", "samantha"));
        assert!(t.groups("chris").len() >= 3);
    }

    #[test]
    fn cross_language_only_full_forms_and_same_sex() {
        let t = NicknameTable::builtin();
        assert!(t.equivalent("william", "guillaume"));
        assert!(t.equivalent("peter", "pierre"));
        assert!(t.equivalent("stephen", "etienne"));
        assert!(!t.equivalent("bill", "guillaume"));
        assert!(!t.equivalent("john", "jean"));
        assert!(!t.equivalent("louis", "louise"));
        assert!(!t.equivalent("william", "liam"));
        assert!(!t.equivalent("marie christine", "marie"));
    }

    #[test]
    fn unknown_names_are_not_equivalent() {
        let t = NicknameTable::builtin();
        assert!(t.groups("zzz").is_empty());
        assert!(!t.equivalent("zzz", "zzz"));
        assert!(!t.equivalent("zzz", "bill"));
        assert!(!t.equivalent("", ""));
        // Lookups expect normalized names.
        assert!(!t.equivalent("Bill", "William"));
        // A known name is equivalent to itself.
        assert!(t.equivalent("bill", "bill"));
    }

    #[test]
    fn user_groups_extend() {
        let mut t = NicknameTable::empty();
        assert!(t.is_empty());
        assert!(!t.equivalent("bertie", "albert"));
        t.add_group(&["bertie", "albert"]);
        assert_eq!(t.len(), 1);
        assert!(t.equivalent("bertie", "albert"));

        let mut t = NicknameTable::builtin();
        let n = t.len();
        assert!(!t.equivalent("dede", "andre"));
        t.add_group(&[String::from("Dédé"), String::from("André")]);
        assert_eq!(t.len(), n + 1);
        assert!(t.equivalent("dede", "andre"));
        assert!(t.equivalent("andrew", "andre"));
        assert!(!t.equivalent("dede", "andrew"));
    }

    #[test]
    fn add_group_normalizes_and_skips_useless_groups() {
        let mut t = NicknameTable::empty();
        t.add_group(&["Jean-Baptiste", "J.B."]);
        assert!(t.equivalent("jean baptiste", "j b"));
        t.add_group(&["  Anne--Sophie ", "O\u{2019}Neil", "Zoë", "Ｆｉｎｎ"]);
        assert_eq!(
            t.groups_list()[1],
            vec!["anne sophie".to_string(), "oneil".into(), "zoe".into(), "finn".into()]
        );
        let n = t.len();
        t.add_group(&["solo"]);
        t.add_group(&["same", "SAME", "Same"]);
        t.add_group(&["", "  ", "-"]);
        t.add_group::<&str>(&[]);
        assert_eq!(t.len(), n);
        assert!(t.groups("solo").is_empty());
    }

    #[test]
    fn serde_round_trip_keeps_behaviour() {
        let t = NicknameTable::builtin();
        let json = serde_json::to_string(&t).unwrap();
        assert!(json.starts_with("[[\"william\",\"bill\""));
        let back: NicknameTable = serde_json::from_str(&json).unwrap();
        assert_eq!(back.len(), t.len());
        assert_eq!(back.groups_list(), t.groups_list());
        for (a, b) in [("bill", "william"), ("jb", "jean baptiste"), ("christopher", "christine")] {
            assert_eq!(back.equivalent(a, b), t.equivalent(a, b));
            assert_eq!(back.groups(a), t.groups(a));
        }
        let user: NicknameTable = serde_json::from_str(r#"[["Bertie","Albert"]]"#).unwrap();
        assert!(user.equivalent("bertie", "albert"));
    }

    #[test]
    fn groups_borrows_the_table() {
        let t = NicknameTable::builtin();
        let g: &[u32] = t.groups("bill");
        // The slice points into the table's own storage: nothing was allocated.
        let stored = t.index.get("bill").unwrap();
        assert!(std::ptr::eq(g, stored.as_slice()));
        assert!(g.windows(2).all(|w| w[0] < w[1]));
        let ids = t.groups("chris");
        assert!(ids.windows(2).all(|w| w[0] < w[1]));
    }
}
