//! Randomness for the fuzz harness: a seeded generator that writes inputs,
//! and a reader that turns any bytes into choices (so every input, random or
//! kept in the corpus, replays the same way).

use serde_json::{Map, Value};

/// SplitMix64: small, fast, seedable.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }

    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (0 when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            return 0;
        }
        ((u128::from(self.next()) * n as u128) >> 64) as usize
    }

    pub fn chance(&mut self, one_in: usize) -> bool {
        self.below(one_in) == 0
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    /// Random bytes: mostly `n` raw bytes; sometimes only printable ASCII.
    pub fn bytes(&mut self, n: usize) -> Vec<u8> {
        let printable = self.chance(2);
        (0..n)
            .map(|_| {
                let b = self.next() as u8;
                if printable {
                    32 + b % 95
                } else {
                    b
                }
            })
            .collect()
    }

    /// A string made of pieces that trouble text handling, valid values of
    /// every kind of field, and their fragments.
    pub fn text(&mut self) -> String {
        let mut s = String::new();
        let pieces = 1 + self.below(6);
        for _ in 0..pieces {
            match self.below(10) {
                0..=3 => s.push_str(self.pick::<&str>(VALUES)),
                4..=5 => s.push_str(self.pick::<&str>(TROUBLE)),
                6 => {
                    let v = self.pick(VALUES);
                    let cut = self.below(v.len() + 1);
                    s.push_str(v.get(..cut).unwrap_or(v));
                }
                7 => {
                    for _ in 0..self.below(8) {
                        s.push(char::from_u32(self.below(0x11_0000) as u32).unwrap_or('\u{fffd}'));
                    }
                }
                8 => s.push_str(&" ".repeat(self.below(4))),
                _ => {
                    let c = *self.pick(&['a', 'é', '0', '-', '@', '.', '+', '/', ' ', 'ß', '李']);
                    let n = if self.chance(20) { 5000 } else { self.below(40) };
                    s.extend(std::iter::repeat_n(c, n));
                }
            }
        }
        s
    }

    /// A JSON value of any type, often extreme.
    pub fn json_value(&mut self) -> Value {
        match self.below(12) {
            0 => Value::Null,
            1 => Value::Bool(self.chance(2)),
            2 => {
                Value::from(*self.pick(&[0i64, 1, -1, 2, 3, 64, 1000, i64::MAX, i64::MIN, 100_000]))
            }
            3 => Value::from(*self.pick(&[u64::MAX, u64::MAX - 1, 1 << 53, 4_294_967_295])),
            4 => {
                serde_json::Number::from_f64(*self.pick(&[
                    0.5, -0.0, 1e308, -1e308, 1e-308, 0.999_999, 1.000_001, 5.0, -5.0, 0.1,
                ]))
                .map_or(Value::Null, Value::Number)
            }
            5 => Value::String(self.text()),
            6 => Value::String((*self.pick(KEYWORDS)).to_owned()),
            7 => Value::Array(Vec::new()),
            8 => Value::Object(Map::new()),
            9 => Value::Array((0..self.below(4)).map(|_| self.json_leaf()).collect()),
            10 => {
                let mut m = Map::new();
                m.insert("type".to_owned(), Value::String((*self.pick(KEYWORDS)).to_owned()));
                for _ in 0..self.below(3) {
                    m.insert((*self.pick(KEYWORDS)).to_owned(), self.json_leaf());
                }
                Value::Object(m)
            }
            _ => Value::from(self.below(20) as u64),
        }
    }

    fn json_leaf(&mut self) -> Value {
        match self.below(4) {
            0 => Value::from(self.below(10) as u64),
            1 => Value::String((*self.pick(KEYWORDS)).to_owned()),
            2 => Value::Bool(self.chance(2)),
            _ => Value::String(self.text()),
        }
    }

    /// `doc` with one to four random edits: a node replaced, a key removed or
    /// added, an array element removed or repeated, a number nudged.
    pub fn mutate_json(&mut self, doc: &Value) -> Value {
        let mut doc = doc.clone();
        for _ in 0..1 + self.below(4) {
            let paths = paths_of(&doc);
            let path = self.pick(&paths).clone();
            let op = self.below(7);
            let Some(node) = node_mut(&mut doc, &path) else { continue };
            match (op, node) {
                (0, node) => *node = self.json_value(),
                (1, Value::Object(m)) if !m.is_empty() => {
                    let key = m.keys().nth(self.below(m.len())).cloned().unwrap_or_default();
                    m.remove(&key);
                }
                (2, Value::Object(m)) => {
                    let key = if self.chance(2) {
                        (*self.pick(KEYWORDS)).to_owned()
                    } else {
                        self.text()
                    };
                    m.insert(key, self.json_value());
                }
                (3, Value::Array(a)) if !a.is_empty() => {
                    let i = self.below(a.len());
                    a.remove(i);
                }
                (4, Value::Array(a)) if !a.is_empty() => {
                    let i = self.below(a.len());
                    let copy = a[i].clone();
                    a.insert(i, copy);
                }
                (5, Value::Number(n)) => {
                    let f = n.as_f64().unwrap_or(0.0);
                    let nudged = *self.pick(&[f + 1.0, f - 1.0, -f, f * 1e6, f / 3.0, 0.0]);
                    *node_mut(&mut doc, &path).expect("same path") =
                        serde_json::Number::from_f64(nudged).map_or(Value::Null, Value::Number);
                }
                (_, node) => {
                    if self.chance(3) {
                        *node = self.json_value();
                    }
                }
            }
        }
        doc
    }
}

/// Every node of `doc`, as a path of object keys and array indexes.
fn paths_of(doc: &Value) -> Vec<Vec<Step>> {
    let mut out = Vec::new();
    let mut stack = vec![(Vec::new(), doc)];
    while let Some((path, v)) = stack.pop() {
        match v {
            Value::Object(m) => {
                for (k, child) in m {
                    let mut p = path.clone();
                    p.push(Step::Key(k.clone()));
                    stack.push((p, child));
                }
            }
            Value::Array(a) => {
                for (i, child) in a.iter().enumerate() {
                    let mut p = path.clone();
                    p.push(Step::Index(i));
                    stack.push((p, child));
                }
            }
            _ => {}
        }
        out.push(path);
    }
    out
}

#[derive(Debug, Clone)]
enum Step {
    Key(String),
    Index(usize),
}

fn node_mut<'a>(doc: &'a mut Value, path: &[Step]) -> Option<&'a mut Value> {
    let mut node = doc;
    for step in path {
        node = match step {
            Step::Key(k) => node.get_mut(k.as_str())?,
            Step::Index(i) => node.get_mut(*i)?,
        };
    }
    Some(node)
}

/// Reads choices from the bytes of an input; past the end, every choice is 0.
#[derive(Debug)]
pub struct Choices<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Choices<'a> {
    pub fn new(bytes: &'a [u8]) -> Self {
        Choices { bytes, at: 0 }
    }

    pub fn is_empty(&self) -> bool {
        self.at >= self.bytes.len()
    }

    pub fn byte(&mut self) -> u8 {
        let b = self.bytes.get(self.at).copied().unwrap_or(0);
        self.at += 1;
        b
    }

    /// A number in `0..n` (0 when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            return 0;
        }
        let v = u16::from_le_bytes([self.byte(), self.byte()]);
        usize::from(v) % n
    }

    /// A string: a listed value or fragment, or raw bytes up to a 0xff marker.
    pub fn text(&mut self) -> String {
        match self.byte() % 4 {
            0 => VALUES[self.below(VALUES.len())].to_owned(),
            1 => TROUBLE[self.below(TROUBLE.len())].to_owned(),
            2 => {
                let a = VALUES[self.below(VALUES.len())];
                let b = TROUBLE[self.below(TROUBLE.len())];
                format!("{a}{b}")
            }
            _ => {
                let start = self.at.min(self.bytes.len());
                let len = self.bytes[start..].iter().take(64).take_while(|&&b| b != 0xff).count();
                self.at = start + len + 1;
                String::from_utf8_lossy(&self.bytes[start..start + len]).into_owned()
            }
        }
    }
}

/// Valid values of every kind of field, French and international.
pub const VALUES: &[&str] = &[
    "Jean-Pierre",
    "François",
    "FRANCOIS",
    "O'Brien",
    "de La Fontaine",
    "Lefèvre",
    "Nguyễn",
    "李娜",
    "يوسف حداد",
    "Дмитрий",
    "Mr John Smith Jr",
    "Paul Archer Senior",
    "jean.dupont+news@gmail.com",
    "\"Ann Lowe\" <alowe@example.com>",
    "a@x.com; b@y.com, c@z.com",
    "test@test.com",
    "+33 6 12 34 56 78",
    "06.12.34.56.78",
    "(807) 555-0198 ext. 12",
    "0600000000",
    "+1 702-555-0143",
    "1980-02-01",
    "01/02/1980",
    "3/1/70",
    "14 mars 1979",
    "Mar 1 1970",
    "24-May-11",
    "31/02/2001",
    "75011",
    "SW1A 1AA",
    "12 rue de la Paix",
    "PO Box 12",
    "Paris",
    "Saint-Étienne",
    "1 80 02 75 123 456 78",
    "M",
    "féminin",
    "",
    " ",
];

/// Pieces that trouble text handling.
pub const TROUBLE: &[&str] = &[
    "\u{0}",
    "\u{301}\u{301}\u{301}",
    "e\u{301}",
    "\u{200b}",
    "\u{202e}",
    "\u{feff}",
    "\u{fffd}",
    "\r\n",
    "\t",
    "\"",
    "'",
    ",",
    ";",
    "ﬁ",
    "Ǆ",
    "İ",
    "ẞ",
    "🙂",
    "👨‍👩‍👧",
    "\u{1F1EB}\u{1F1F7}",
    "Ⅻ",
    "٣",
    "０６",
    "@@",
    "++",
    "..",
    "--",
    "<>",
    "II",
    "fils",
];

/// Keys and tags the configuration, model and snapshot formats use.
pub const KEYWORDS: &[&str] = &[
    "type",
    "exact",
    "jaro_winkler",
    "min",
    "max",
    "len",
    "field",
    "fields",
    "levels",
    "m",
    "u",
    "prior",
    "weight",
    "probability",
    "threads",
    "max_block_size",
    "max_cluster_size",
    "match_threshold",
    "review_threshold",
    "term_frequency",
    "most_recent",
    "systems",
    "last_entity",
    "records",
    "links",
    "decisions",
    "entity",
    "household",
    "phonetic",
    "algorithm",
    "double_metaphone",
    "first_token",
    "date_within",
    "days",
    "given_name",
    "surname",
    "email",
    "phone",
    "country",
    "date_order",
];
