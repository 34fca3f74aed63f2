//! Data tables of the generator: names, nicknames, places, streets, email
//! providers, honorifics and keyboard layouts. Lists are ordered from the most
//! to the least common; the generator picks from them with a Zipf-like skew.

/// Diminutives and nicknames the generator substitutes for a canonical given
/// name in duplicate records: `(canonical, diminutives)`.
///
/// These are exactly the pairs the generator uses, so a nickname table used
/// for matching can be tested against generated data. Every canonical name is
/// one of the generator's given names; no diminutive equals its canonical name.
/// Needs the `synth` feature.
pub const NICKNAMES: &[(&str, &[&str])] = &[
    // English
    ("William", &["Bill", "Will", "Billy", "Liam"]),
    ("Robert", &["Bob", "Rob", "Bobby"]),
    ("Margaret", &["Peggy", "Maggie", "Meg"]),
    ("Elizabeth", &["Liz", "Beth", "Betty", "Lizzie"]),
    ("Katherine", &["Kate", "Kathy", "Katie"]),
    ("Catherine", &["Cathy", "Kate", "Cath"]),
    ("Kathleen", &["Kathy", "Kath"]),
    ("Jonathan", &["Jon", "Jonny"]),
    ("Alexander", &["Alex", "Al"]),
    ("Alexandra", &["Alex"]),
    ("Richard", &["Dick", "Rick", "Rich", "Richie"]),
    ("James", &["Jim", "Jimmy", "Jamie"]),
    ("John", &["Jack", "Johnny"]),
    ("Thomas", &["Tom", "Tommy"]),
    ("Michael", &["Mike", "Mick"]),
    ("Christopher", &["Chris", "Kit"]),
    ("Daniel", &["Dan", "Danny"]),
    ("Anthony", &["Tony"]),
    ("Edward", &["Ted", "Ed", "Eddie", "Ned"]),
    ("Patricia", &["Pat", "Trish", "Patty"]),
    ("Jennifer", &["Jen", "Jenny"]),
    ("Susan", &["Sue", "Suzy"]),
    ("Deborah", &["Debbie", "Deb"]),
    ("Joseph", &["Joe", "Joey"]),
    ("Charles", &["Charlie", "Chuck"]),
    ("Matthew", &["Matt"]),
    ("Andrew", &["Andy", "Drew"]),
    ("Nicholas", &["Nick"]),
    ("Benjamin", &["Ben", "Benny"]),
    ("Samuel", &["Sam"]),
    ("Samantha", &["Sam"]),
    ("Steven", &["Steve"]),
    ("Stephen", &["Steve"]),
    ("Timothy", &["Tim"]),
    ("Gregory", &["Greg"]),
    ("Joshua", &["Josh"]),
    ("Zachary", &["Zach", "Zack"]),
    ("Jacob", &["Jake"]),
    ("Nathaniel", &["Nate", "Nat"]),
    ("Peter", &["Pete"]),
    ("Donald", &["Don", "Donny"]),
    ("Ronald", &["Ron", "Ronnie"]),
    ("Kenneth", &["Ken", "Kenny"]),
    ("Lawrence", &["Larry"]),
    ("Gerald", &["Gerry", "Jerry"]),
    ("Frederick", &["Fred", "Freddie"]),
    ("Henry", &["Harry", "Hank"]),
    ("Harold", &["Harry", "Hal"]),
    ("Philip", &["Phil"]),
    ("Vincent", &["Vince", "Vinny"]),
    ("Raymond", &["Ray"]),
    ("Leonard", &["Len", "Lenny"]),
    ("Walter", &["Walt", "Wally"]),
    ("Albert", &["Al", "Bert"]),
    ("Douglas", &["Doug"]),
    ("Rebecca", &["Becky", "Becca"]),
    ("Jessica", &["Jess", "Jessie"]),
    ("Victoria", &["Vicky", "Tori"]),
    ("Abigail", &["Abby", "Gail"]),
    ("Barbara", &["Barb", "Babs"]),
    ("Dorothy", &["Dot", "Dottie"]),
    ("Judith", &["Judy"]),
    ("Kimberly", &["Kim"]),
    ("Cynthia", &["Cindy"]),
    ("Pamela", &["Pam"]),
    ("Rosemary", &["Rosie"]),
    ("Christine", &["Chris", "Chrissie"]),
    ("Theresa", &["Terry", "Tess"]),
    ("Amanda", &["Mandy"]),
    ("Melissa", &["Mel", "Missy"]),
    ("Jacqueline", &["Jackie"]),
    ("Frances", &["Fran", "Frankie"]),
    ("Eleanor", &["Ellie", "Nell"]),
    ("Josephine", &["Jo", "Josie"]),
    ("Charlotte", &["Lottie", "Charlie"]),
    ("Emily", &["Em", "Emmy"]),
    // French
    ("Jean-Baptiste", &["JB"]),
    ("Jean-Philippe", &["JP"]),
    ("Jean-Pierre", &["JP"]),
    ("Jean-Claude", &["JC"]),
    ("Marie-Christine", &["Marie"]),
    ("Dominique", &["Dom"]),
    ("Frédéric", &["Fred"]),
    ("Frédérique", &["Fred"]),
    ("Christophe", &["Chris"]),
    ("Alexandre", &["Alex"]),
    ("Nicolas", &["Nico"]),
    ("Isabelle", &["Isa"]),
    ("Emmanuel", &["Manu"]),
    ("Stéphanie", &["Steph"]),
    ("Stéphane", &["Steph"]),
    ("Sébastien", &["Seb"]),
    ("Mathieu", &["Mat"]),
    ("Maximilien", &["Max"]),
    ("Maxime", &["Max"]),
    ("Élisabeth", &["Babeth", "Élise"]),
    ("Joséphine", &["Jo", "Josie"]),
    ("Valérie", &["Val"]),
    ("Caroline", &["Caro"]),
    ("Philippe", &["Phil"]),
    ("Véronique", &["Véro"]),
    ("Nathalie", &["Nath"]),
    ("Raphaël", &["Raph"]),
    ("Grégory", &["Greg"]),
    ("Florian", &["Flo"]),
    ("Florence", &["Flo"]),
    ("Timothée", &["Tim"]),
];

/// French masculine given names.
#[rustfmt::skip]
pub(super) const FR_MALE: &[&str] = &[
    "Jean", "Pierre", "Michel", "Philippe", "Alain", "Nicolas", "Christophe", "Jean-Pierre",
    "Patrick", "Jacques", "Daniel", "Bernard", "Éric", "Jean-Claude", "Laurent", "Frédéric",
    "Stéphane", "Thomas", "Julien", "David", "Sébastien", "Pascal", "François", "Olivier",
    "Thierry", "Dominique", "Claude", "René", "Gérard", "André", "Louis", "Alexandre", "Antoine",
    "Guillaume", "Vincent", "Jérôme", "Maxime", "Mathieu", "Romain", "Kévin", "Benjamin",
    "Jean-Marc", "Jean-Luc", "Jean-François", "Jean-Baptiste", "Jean-Philippe", "Emmanuel", "Bruno",
    "Didier", "Franck", "Hervé", "Gilles", "Yves", "Serge", "Xavier", "Marcel", "Henri", "Paul",
    "Lucas", "Hugo", "Théo", "Raphaël", "Gabriel", "Arthur", "Léo", "Nathan", "Enzo", "Mathis",
    "Clément", "Florian", "Jérémy", "Anthony", "Grégory", "Cédric", "Fabrice", "Joël", "Loïc",
    "Yannick", "Benoît", "Aurélien", "Timothée", "Baptiste", "Quentin", "Adrien", "Maximilien",
    "Noël", "Mohamed", "Karim", "Rachid", "Léon", "Victor", "Émile", "Gaëtan", "Rémi", "Sylvain",
    "Lionel", "Ludovic", "Arnaud", "Damien", "Fabien", "Georges", "Roger", "Marc", "Samuel",
    "Jonathan", "Jean-Louis", "Gwenaël", "Mickaël",
];

/// French feminine given names.
#[rustfmt::skip]
pub(super) const FR_FEMALE: &[&str] = &[
    "Marie", "Nathalie", "Isabelle", "Sylvie", "Catherine", "Françoise", "Martine", "Christine",
    "Marie-Christine", "Monique", "Valérie", "Sandrine", "Stéphanie", "Anne-Sophie", "Véronique",
    "Sophie", "Céline", "Chantal", "Patricia", "Anne", "Brigitte", "Nicole", "Julie", "Aurélie",
    "Caroline", "Émilie", "Camille", "Laura", "Léa", "Manon", "Chloé", "Emma", "Inès", "Jade",
    "Louise", "Zoé", "Anaïs", "Maëlle", "Océane", "Mathilde", "Pauline", "Élodie", "Hélène",
    "Marie-Claire", "Marie-Thérèse", "Élisabeth", "Joséphine", "Geneviève", "Jacqueline",
    "Danielle", "Michèle", "Annie", "Claudine", "Corinne", "Delphine", "Florence", "Virginie",
    "Audrey", "Laetitia", "Karine", "Agnès", "Béatrice", "Odile", "Solène", "Margaux", "Clémence",
    "Lucie", "Juliette", "Alice", "Charlotte", "Éloïse", "Noémie", "Amélie", "Gaëlle", "Fatima",
    "Aïcha", "Frédérique", "Alexandra", "Mireille", "Josiane", "Colette", "Ginette", "Bérénice",
    "Capucine", "Léonie", "Hortense", "Ophélie", "Cécile", "Mélanie", "Émeline", "Dominique",
    "Marie-Laure", "Anne-Marie", "Raphaëlle", "Maïté",
];

/// English masculine given names.
#[rustfmt::skip]
pub(super) const EN_MALE: &[&str] = &[
    "James", "John", "Robert", "Michael", "William", "David", "Richard", "Joseph", "Thomas",
    "Charles", "Christopher", "Daniel", "Matthew", "Anthony", "Mark", "Donald", "Steven", "Paul",
    "Andrew", "Joshua", "Kenneth", "Kevin", "Brian", "George", "Timothy", "Ronald", "Edward",
    "Jason", "Jeffrey", "Ryan", "Jacob", "Gary", "Nicholas", "Eric", "Jonathan", "Stephen",
    "Lawrence", "Justin", "Scott", "Brandon", "Benjamin", "Samuel", "Gregory", "Alexander", "Frank",
    "Patrick", "Raymond", "Dennis", "Tyler", "Aaron", "Adam", "Nathaniel", "Henry", "Douglas",
    "Zachary", "Peter", "Kyle", "Walter", "Ethan", "Jeremy", "Harold", "Keith", "Christian",
    "Roger", "Noah", "Gerald", "Carl", "Sean", "Austin", "Arthur", "Jesse", "Dylan", "Jordan",
    "Bruce", "Albert", "Gabriel", "Logan", "Alan", "Wayne", "Roy", "Ralph", "Eugene", "Vincent",
    "Russell", "Louis", "Philip", "Oliver", "Frederick", "Leonard", "Ian", "Nigel", "Graham",
    "Colin", "Alistair", "Hamish", "Rhys", "Gareth", "Declan", "Callum", "Seamus",
];

/// English feminine given names.
#[rustfmt::skip]
pub(super) const EN_FEMALE: &[&str] = &[
    "Mary", "Patricia", "Jennifer", "Linda", "Elizabeth", "Barbara", "Susan", "Jessica", "Sarah",
    "Karen", "Nancy", "Lisa", "Margaret", "Sandra", "Ashley", "Dorothy", "Kimberly", "Emily",
    "Donna", "Michelle", "Carol", "Amanda", "Melissa", "Deborah", "Stephanie", "Rebecca", "Laura",
    "Sharon", "Cynthia", "Kathleen", "Amy", "Shirley", "Angela", "Helen", "Anna", "Brenda",
    "Pamela", "Nicole", "Samantha", "Katherine", "Emma", "Ruth", "Christine", "Catherine", "Rachel",
    "Carolyn", "Janet", "Virginia", "Maria", "Heather", "Diane", "Julie", "Joyce", "Victoria",
    "Kelly", "Christina", "Joan", "Evelyn", "Lauren", "Judith", "Olivia", "Frances", "Martha",
    "Cheryl", "Megan", "Andrea", "Hannah", "Jacqueline", "Ann", "Jean", "Alice", "Kathryn",
    "Gloria", "Theresa", "Doris", "Sara", "Janice", "Julia", "Madison", "Grace", "Denise",
    "Marilyn", "Amber", "Danielle", "Abigail", "Rose", "Diana", "Natalie", "Sophia", "Jane",
    "Charlotte", "Eleanor", "Rosemary", "Josephine", "Alexandra", "Gwendolyn", "Siobhan", "Fiona",
    "Eileen", "Bridget", "Chloe", "Zoe", "Mary-Kate",
];

/// French surnames.
#[rustfmt::skip]
pub(super) const FR_SURNAMES: &[&str] = &[
    "Martin", "Bernard", "Thomas", "Petit", "Robert", "Richard", "Durand", "Dubois", "Moreau",
    "Laurent", "Simon", "Michel", "Lefebvre", "Leroy", "Roux", "David", "Bertrand", "Morel",
    "Fournier", "Girard", "Bonnet", "Dupont", "Lambert", "Fontaine", "Rousseau", "Vincent",
    "Muller", "Lefèvre", "Faure", "André", "Le Gall", "Mercier", "Blanc", "Guérin", "Boyer",
    "Garnier", "Chevalier", "François", "Legrand", "Gauthier", "Garcia", "Perrin", "Robin",
    "Clément", "Morin", "Le Roux", "Nicolas", "Henry", "Roussel", "Mathieu", "Gautier", "Masson",
    "Marchand", "Duval", "Denis", "N'Diaye", "Dumont", "Marie", "Lemaire", "Noël", "Meyer",
    "Dufour", "Meunier", "Brun", "Blanchard", "Da Silva", "Giraud", "Joly", "Rivière", "Lucas",
    "Brunet", "Gaillard", "Barbier", "Arnaud", "Martinez", "de La Fontaine", "Gérard", "Roche",
    "Renard", "Schmitt", "Roy", "Leroux", "Colin", "Vidal", "Caron", "Le Goff", "Picard", "Roger",
    "Fabre", "Aubert", "Lemoine", "Renaud", "Dumas", "Lacroix", "Olivier", "Philippe", "Bourgeois",
    "Pierre", "Benoît", "Rey", "Leclerc", "Payet", "Rolland", "Leclercq", "Guillaume", "Lecomte",
    "Lopez", "Jean", "Dupuy", "Guillot", "Hubert", "Berger", "Carpentier", "Sanchez", "Dupuis",
    "Moulin", "Louis", "Deschamps", "Huet", "Vasseur", "Perez", "Boucher", "Fleury", "Royer",
    "Klein", "Jacquet", "Adam", "Paris", "Poirier", "Marty", "Aubry", "Guyot", "Carré", "Charles",
    "Renault", "Charpentier", "Ménard", "Maillard", "Baron", "Bertin", "Bailly", "Hervé",
    "Schneider", "Fernandez", "Collet", "Léger", "Bouvier", "Julien", "Prévost", "Millet", "Perrot",
    "Daniel", "Cousin", "Germain", "Breton", "Besson", "Langlois", "Rémy", "Pelletier", "Lévêque",
    "Perrier", "Leblanc", "Barré", "Lebrun", "Marchal", "Weber", "Mallet", "Hamon", "Boulanger",
    "Jacob", "Monnier", "Michaud", "Rodriguez", "Guichard", "Gillet", "Étienne", "Grondin",
    "Poulain", "Tessier", "Chevallier", "Collin", "Chauvin", "Bouchet", "Gay", "Lemaître", "Bénard",
    "Maréchal", "Humbert", "Reynaud", "Antoine", "Hoarau", "Perret", "Barthélemy", "Cordier",
    "Pichon", "Lejeune", "Gilbert", "Lamy", "Delaunay", "Pasquier", "Carlier", "Laporte", "Nguyen",
    "Müller", "d'Artagnan", "de Villiers", "Le Bihan", "Le Corre", "Traoré", "Diallo", "Benali",
    "Haddad", "Dos Santos", "Ferreira", "Ben Ahmed", "Saint-Martin", "Lévy", "Cohen", "du Pont",
    "Dujardin", "Delacroix", "Delmas", "Desmoulins", "Martin-Lavigne", "d'Aubigné",
    "de Saint-Exupéry", "Le Floc'h", "Kerjean", "Tran", "Lê", "Pham", "Œuvray", "Bœuf",
];

/// English surnames (UK and US).
#[rustfmt::skip]
pub(super) const EN_SURNAMES: &[&str] = &[
    "Smith", "Johnson", "Williams", "Brown", "Jones", "Miller", "Davis", "Wilson", "Taylor",
    "Anderson", "Thomas", "Jackson", "White", "Harris", "Martin", "Thompson", "Moore", "Clark",
    "Lewis", "Robinson", "Walker", "Young", "Allen", "King", "Wright", "O'Brien", "Scott", "Hill",
    "Green", "Adams", "Baker", "Nelson", "Carter", "Mitchell", "Roberts", "Turner", "Phillips",
    "Campbell", "Parker", "Evans", "MacDonald", "Edwards", "Collins", "Stewart", "Morris", "Murphy",
    "Cook", "Rogers", "Morgan", "Cooper", "O'Connor", "Peterson", "Reed", "Bailey", "Bell", "Kelly",
    "Howard", "Ward", "Cox", "Richardson", "O'Neill", "Wood", "Watson", "Brooks", "Bennett", "Gray",
    "James", "Hughes", "Price", "Sanders", "Van Dyke", "Myers", "Long", "Ross", "Foster", "Powell",
    "Jenkins", "Perry", "Russell", "Sullivan", "Butler", "Barnes", "Fisher", "Henderson", "Coleman",
    "Patterson", "Jordan", "Graham", "Reynolds", "Hamilton", "St John", "Ford", "Wallace", "Gibson",
    "Ellis", "Harrison", "Marshall", "Owens", "Hunt", "Palmer", "Robertson", "Black", "Holmes",
    "Stone", "Meyer", "Boyd", "Mills", "Warren", "Dixon", "Hudson", "Knight", "Hart", "Chapman",
    "Lawrence", "Shaw", "Webb", "Walsh", "Hawkins", "Lane", "Armstrong", "Burke", "Dunn", "Spencer",
    "Stevens", "Fletcher", "Pearce", "Davies", "Lloyd", "Griffiths", "Hall", "Jackman",
    "Harrington", "Fitzgerald", "Fitzpatrick", "O'Sullivan", "O'Donnell", "McDonald", "MacLeod",
    "McKenzie", "McCarthy", "MacIntyre", "Van Buren", "Vanderbilt", "De Souza", "D'Angelo",
    "DiMaggio", "La Rue", "Du Bois", "Smith-Jones", "Bowes-Lyon", "Nguyen", "Patel", "Khan",
    "Singh", "Ahmed", "Ali", "Chen", "Wang", "Kowalski", "Schmidt", "Rodriguez", "Hernandez",
    "Lopez", "Gonzalez", "Perez", "Sanchez", "Ramirez", "Torres", "Rivera", "Kim", "Lee", "Okafor",
    "Mensah", "Andersen", "Jorgensen", "Kaczmarek", "Byrne", "Doyle", "Quinn", "Gallagher", "Lynch",
    "Brennan", "Kennedy", "Reilly", "Sinclair", "Ferguson", "Crawford", "Hamilton-Smith", "Forsyth",
    "Lockhart", "Whitfield", "Ashworth", "Blackwood", "Pemberton", "Thornton", "Winterbottom",
    "Featherstone", "Higginbotham", "Cartwright", "Fairweather", "Goodall", "Ingram", "Kirkpatrick",
    "Llewellyn", "Montgomery", "Nightingale", "Oakley", "Prendergast", "Quigley", "Radcliffe",
    "Seymour", "Trelawney", "Underwood", "Vaughan", "Wetherby", "Yardley", "Zimmerman",
];

/// A French city: name, first postcode, how many postcodes, step between
/// them, département name, landline zone digit (01..05).
#[derive(Debug, Clone, Copy)]
pub(super) struct FrCity {
    pub name: &'static str,
    pub postcode: u32,
    pub count: u32,
    pub step: u32,
    pub dept: &'static str,
    pub zone: u8,
}

const fn fr(
    name: &'static str,
    postcode: u32,
    count: u32,
    step: u32,
    dept: &'static str,
    zone: u8,
) -> FrCity {
    FrCity { name, postcode, count, step, dept, zone }
}

/// French cities with real postcodes, largest first.
pub(super) const FR_CITIES: &[FrCity] = &[
    fr("Paris", 75001, 20, 1, "Paris", 1),
    fr("Marseille", 13001, 16, 1, "Bouches-du-Rhône", 4),
    fr("Lyon", 69001, 9, 1, "Rhône", 4),
    fr("Toulouse", 31000, 6, 100, "Haute-Garonne", 5),
    fr("Nice", 6000, 4, 100, "Alpes-Maritimes", 4),
    fr("Nantes", 44000, 4, 100, "Loire-Atlantique", 2),
    fr("Montpellier", 34000, 1, 1, "Hérault", 4),
    fr("Strasbourg", 67000, 3, 100, "Bas-Rhin", 3),
    fr("Bordeaux", 33000, 4, 100, "Gironde", 5),
    fr("Lille", 59000, 1, 1, "Nord", 3),
    fr("Rennes", 35000, 1, 1, "Ille-et-Vilaine", 2),
    fr("Reims", 51100, 1, 1, "Marne", 3),
    fr("Saint-Étienne", 42000, 2, 100, "Loire", 4),
    fr("Le Havre", 76600, 1, 1, "Seine-Maritime", 2),
    fr("Toulon", 83000, 3, 100, "Var", 4),
    fr("Grenoble", 38000, 2, 100, "Isère", 4),
    fr("Dijon", 21000, 1, 1, "Côte-d'Or", 3),
    fr("Angers", 49000, 2, 100, "Maine-et-Loire", 2),
    fr("Nîmes", 30000, 1, 1, "Gard", 4),
    fr("Villeurbanne", 69100, 1, 1, "Rhône", 4),
    fr("Clermont-Ferrand", 63000, 2, 100, "Puy-de-Dôme", 4),
    fr("Le Mans", 72000, 2, 100, "Sarthe", 2),
    fr("Aix-en-Provence", 13100, 1, 1, "Bouches-du-Rhône", 4),
    fr("Brest", 29200, 1, 1, "Finistère", 2),
    fr("Tours", 37000, 3, 100, "Indre-et-Loire", 2),
    fr("Amiens", 80000, 1, 1, "Somme", 3),
    fr("Limoges", 87000, 2, 100, "Haute-Vienne", 5),
    fr("Annecy", 74000, 1, 1, "Haute-Savoie", 4),
    fr("Perpignan", 66000, 2, 100, "Pyrénées-Orientales", 4),
    fr("Boulogne-Billancourt", 92100, 1, 1, "Hauts-de-Seine", 1),
    fr("Metz", 57000, 1, 1, "Moselle", 3),
    fr("Besançon", 25000, 1, 1, "Doubs", 3),
    fr("Orléans", 45000, 2, 100, "Loiret", 2),
    fr("Saint-Denis", 93200, 1, 1, "Seine-Saint-Denis", 1),
    fr("Argenteuil", 95100, 1, 1, "Val-d'Oise", 1),
    fr("Rouen", 76000, 2, 100, "Seine-Maritime", 2),
    fr("Mulhouse", 68100, 2, 100, "Haut-Rhin", 3),
    fr("Montreuil", 93100, 1, 1, "Seine-Saint-Denis", 1),
    fr("Caen", 14000, 1, 1, "Calvados", 2),
    fr("Nancy", 54000, 2, 100, "Meurthe-et-Moselle", 3),
    fr("Tourcoing", 59200, 1, 1, "Nord", 3),
    fr("Roubaix", 59100, 1, 1, "Nord", 3),
    fr("Nanterre", 92000, 1, 1, "Hauts-de-Seine", 1),
    fr("Vitry-sur-Seine", 94400, 1, 1, "Val-de-Marne", 1),
    fr("Avignon", 84000, 1, 1, "Vaucluse", 4),
    fr("Créteil", 94000, 1, 1, "Val-de-Marne", 1),
    fr("Poitiers", 86000, 1, 1, "Vienne", 5),
    fr("Aubervilliers", 93300, 1, 1, "Seine-Saint-Denis", 1),
    fr("Versailles", 78000, 1, 1, "Yvelines", 1),
    fr("Colombes", 92700, 1, 1, "Hauts-de-Seine", 1),
    fr("Asnières-sur-Seine", 92600, 1, 1, "Hauts-de-Seine", 1),
    fr("Pau", 64000, 1, 1, "Pyrénées-Atlantiques", 5),
    fr("La Rochelle", 17000, 1, 1, "Charente-Maritime", 5),
    fr("Saint-Maur-des-Fossés", 94100, 1, 1, "Val-de-Marne", 1),
    fr("Antibes", 6600, 1, 1, "Alpes-Maritimes", 4),
    fr("Cannes", 6400, 1, 1, "Alpes-Maritimes", 4),
    fr("Béziers", 34500, 1, 1, "Hérault", 4),
    fr("Colmar", 68000, 1, 1, "Haut-Rhin", 3),
    fr("Quimper", 29000, 1, 1, "Finistère", 2),
    fr("Chambéry", 73000, 1, 1, "Savoie", 4),
    fr("Saint-Malo", 35400, 1, 1, "Ille-et-Vilaine", 2),
    fr("Lorient", 56100, 1, 1, "Morbihan", 2),
    fr("L'Haÿ-les-Roses", 94240, 1, 1, "Val-de-Marne", 1),
    fr("Neuilly-sur-Seine", 92200, 1, 1, "Hauts-de-Seine", 1),
];

/// A UK city: name, postcode area, highest district number, county, dialling code.
#[derive(Debug, Clone, Copy)]
pub(super) struct UkCity {
    pub name: &'static str,
    pub area: &'static str,
    pub districts: u32,
    pub county: &'static str,
    pub dial: &'static str,
}

const fn uk(
    name: &'static str,
    area: &'static str,
    districts: u32,
    county: &'static str,
    dial: &'static str,
) -> UkCity {
    UkCity { name, area, districts, county, dial }
}

/// UK cities, largest first.
pub(super) const UK_CITIES: &[UkCity] = &[
    uk("London", "SW", 19, "Greater London", "020"),
    uk("Birmingham", "B", 40, "West Midlands", "0121"),
    uk("Manchester", "M", 40, "Greater Manchester", "0161"),
    uk("Leeds", "LS", 28, "West Yorkshire", "0113"),
    uk("Glasgow", "G", 40, "Lanarkshire", "0141"),
    uk("Liverpool", "L", 38, "Merseyside", "0151"),
    uk("Sheffield", "S", 36, "South Yorkshire", "0114"),
    uk("Bristol", "BS", 16, "Avon", "0117"),
    uk("Edinburgh", "EH", 17, "Midlothian", "0131"),
    uk("Leicester", "LE", 9, "Leicestershire", "0116"),
    uk("Coventry", "CV", 6, "West Midlands", "024"),
    uk("Bradford", "BD", 15, "West Yorkshire", "01274"),
    uk("Cardiff", "CF", 24, "South Glamorgan", "029"),
    uk("Belfast", "BT", 17, "County Antrim", "028"),
    uk("Nottingham", "NG", 11, "Nottinghamshire", "0115"),
    uk("Newcastle upon Tyne", "NE", 15, "Tyne and Wear", "0191"),
    uk("Southampton", "SO", 19, "Hampshire", "023"),
    uk("Brighton", "BN", 3, "East Sussex", "01273"),
    uk("Oxford", "OX", 4, "Oxfordshire", "01865"),
    uk("Cambridge", "CB", 5, "Cambridgeshire", "01223"),
    uk("York", "YO", 32, "North Yorkshire", "01904"),
    uk("Norwich", "NR", 7, "Norfolk", "01603"),
    uk("Exeter", "EX", 4, "Devon", "01392"),
    uk("Bath", "BA", 2, "Somerset", "01225"),
    uk("Aberdeen", "AB", 25, "Aberdeenshire", "01224"),
    uk("Plymouth", "PL", 9, "Devon", "01752"),
    uk("Reading", "RG", 6, "Berkshire", "0118"),
    uk("Kingston upon Hull", "HU", 9, "East Riding of Yorkshire", "01482"),
    uk("Stoke-on-Trent", "ST", 6, "Staffordshire", "01782"),
    uk("Swansea", "SA", 8, "West Glamorgan", "01792"),
    uk("Canterbury", "CT", 2, "Kent", "01227"),
    uk("St Albans", "AL", 4, "Hertfordshire", "01727"),
];

/// A US city: name, first ZIP code, how many ZIP codes, state, area code.
#[derive(Debug, Clone, Copy)]
pub(super) struct UsCity {
    pub name: &'static str,
    pub zip: u32,
    pub count: u32,
    pub state: &'static str,
    pub area: u32,
}

const fn us(name: &'static str, zip: u32, count: u32, state: &'static str, area: u32) -> UsCity {
    UsCity { name, zip, count, state, area }
}

/// US cities, largest first (two Springfields in different states on purpose).
pub(super) const US_CITIES: &[UsCity] = &[
    us("New York", 10001, 40, "New York", 212),
    us("Los Angeles", 90001, 60, "California", 213),
    us("Chicago", 60601, 50, "Illinois", 312),
    us("Houston", 77001, 90, "Texas", 713),
    us("Phoenix", 85001, 50, "Arizona", 602),
    us("Philadelphia", 19102, 50, "Pennsylvania", 215),
    us("San Antonio", 78201, 50, "Texas", 210),
    us("San Diego", 92101, 50, "California", 619),
    us("Dallas", 75201, 50, "Texas", 214),
    us("San Jose", 95110, 30, "California", 408),
    us("Austin", 78701, 50, "Texas", 512),
    us("Jacksonville", 32202, 50, "Florida", 904),
    us("San Francisco", 94102, 30, "California", 415),
    us("Columbus", 43201, 50, "Ohio", 614),
    us("Seattle", 98101, 50, "Washington", 206),
    us("Denver", 80202, 50, "Colorado", 303),
    us("Boston", 2108, 30, "Massachusetts", 617),
    us("Nashville", 37201, 30, "Tennessee", 615),
    us("Portland", 97201, 30, "Oregon", 503),
    us("Las Vegas", 89101, 50, "Nevada", 702),
    us("Detroit", 48201, 30, "Michigan", 313),
    us("Memphis", 38103, 30, "Tennessee", 901),
    us("Baltimore", 21201, 30, "Maryland", 410),
    us("Milwaukee", 53202, 30, "Wisconsin", 414),
    us("Atlanta", 30303, 30, "Georgia", 404),
    us("Miami", 33125, 30, "Florida", 305),
    us("Minneapolis", 55401, 30, "Minnesota", 612),
    us("New Orleans", 70112, 30, "Louisiana", 504),
    us("Cleveland", 44101, 30, "Ohio", 216),
    us("Pittsburgh", 15201, 30, "Pennsylvania", 412),
    us("Salt Lake City", 84101, 30, "Utah", 801),
    us("Sacramento", 95814, 20, "California", 916),
    us("Springfield", 62701, 10, "Illinois", 217),
    us("Springfield", 1101, 10, "Massachusetts", 413),
];

/// French street types with their usual abbreviations, most common first.
pub(super) const FR_STREET_TYPES: &[(&str, &[&str])] = &[
    ("rue", &["r.", "r"]),
    ("avenue", &["av.", "av", "ave"]),
    ("boulevard", &["bd", "bld", "boul."]),
    ("place", &["pl.", "pl"]),
    ("impasse", &["imp.", "imp"]),
    ("allée", &["all.", "allee"]),
    ("chemin", &["ch.", "chem."]),
    ("route", &["rte", "rte."]),
    ("quai", &["q."]),
    ("cours", &["crs"]),
    ("square", &["sq."]),
];

/// French street names (after the type: "rue de la République").
#[rustfmt::skip]
pub(super) const FR_STREET_NAMES: &[&str] = &[
    "de la République", "Jean Jaurès", "Victor Hugo", "de la Gare", "des Lilas", "Saint-Michel",
    "du Général de Gaulle", "Pasteur", "de l'Église", "des Écoles", "du Moulin", "de la Paix",
    "Gambetta", "Voltaire", "de la Liberté", "des Roses", "du Château", "Émile Zola", "Jules Ferry",
    "de Verdun", "de la Mairie", "Carnot", "Foch", "du Stade", "des Tilleuls", "de Paris",
    "du 8 Mai 1945", "du 11 Novembre", "Anatole France", "des Peupliers",
    "Antoine de Saint-Exupéry", "Georges Clemenceau", "Aristide Briand", "Jean Moulin",
    "du Maréchal Leclerc", "des Acacias", "de la Fontaine", "du Port", "des Mimosas", "Molière",
    "Edmond Rostand", "de Bretagne", "des Vignes", "de la Forêt", "Henri Barbusse", "Paul Bert",
    "Marcel Pagnol", "Sainte-Catherine", "de Provence", "des Champs", "de l'Hôtel de Ville",
    "Pierre et Marie Curie", "des Marronniers", "Nationale", "Lamartine", "de Strasbourg",
];

/// English street types with their usual abbreviations, most common first.
pub(super) const EN_STREET_TYPES: &[(&str, &[&str])] = &[
    ("Street", &["St", "St."]),
    ("Road", &["Rd", "Rd."]),
    ("Avenue", &["Ave", "Av.", "Ave."]),
    ("Lane", &["Ln"]),
    ("Drive", &["Dr", "Dr."]),
    ("Close", &["Cl"]),
    ("Way", &["Wy"]),
    ("Place", &["Pl"]),
    ("Court", &["Ct"]),
    ("Boulevard", &["Blvd", "Blvd."]),
    ("Crescent", &["Cres"]),
    ("Terrace", &["Terr", "Tce"]),
];

/// English street names (before the type: "High Street").
#[rustfmt::skip]
pub(super) const EN_STREET_NAMES: &[&str] = &[
    "High", "Church", "Station", "Main", "Park", "Victoria", "Green", "Manor", "Mill", "Queen's",
    "King's", "Maple", "Oak", "Elm", "Pine", "Cedar", "Washington", "Lincoln", "Jefferson",
    "Madison", "Lake", "Hill", "Sunset", "River", "Spring", "Chestnut", "Walnut", "Willow", "Birch",
    "York", "London", "Windsor", "Albert", "Grove", "Highfield", "Springfield", "Richmond",
    "Cherry", "Forest", "Meadow", "Riverside", "Broad", "Market", "North", "South", "West", "New",
    "School", "Bridge", "Castle", "Stanley", "George", "Orchard", "St Mary's", "Abbey",
    "Martin Luther King Jr",
];

/// French residence names for the second address line.
#[rustfmt::skip]
pub(super) const FR_RESIDENCES: &[&str] = &[
    "Résidence les Pins", "Résidence le Parc", "Résidence des Lilas", "Résidence du Lac",
    "Les Jardins de l'Abbaye", "Le Clos Fleuri", "Résidence Bellevue", "Les Terrasses du Port",
];

/// Email providers for French persons, most common first.
#[rustfmt::skip]
pub(super) const FR_PROVIDERS: &[&str] = &[
    "gmail.com", "orange.fr", "hotmail.fr", "free.fr", "yahoo.fr", "laposte.net", "sfr.fr",
    "outlook.fr", "wanadoo.fr", "icloud.com", "bbox.fr", "neuf.fr",
];

/// Email providers for UK persons.
#[rustfmt::skip]
pub(super) const UK_PROVIDERS: &[&str] = &[
    "gmail.com", "hotmail.co.uk", "yahoo.co.uk", "outlook.com", "btinternet.com", "sky.com",
    "icloud.com", "live.co.uk", "aol.co.uk",
];

/// Email providers for US persons.
#[rustfmt::skip]
pub(super) const US_PROVIDERS: &[&str] = &[
    "gmail.com", "yahoo.com", "hotmail.com", "outlook.com", "aol.com", "icloud.com", "comcast.net",
    "msn.com", "verizon.net",
];

/// Tags people add after `+` in gmail addresses.
#[rustfmt::skip]
pub(super) const EMAIL_TAGS: &[&str] = &[
    "promo", "news", "shop", "amazon", "spam", "2019", "pro", "perso", "signup",
];

/// French masculine honorifics.
#[rustfmt::skip]
pub(super) const HONORIFICS_FR_M: &[&str] = &[
    "M.", "M", "Mr", "Dr", "Me",
];
/// French feminine honorifics.
#[rustfmt::skip]
pub(super) const HONORIFICS_FR_F: &[&str] = &[
    "Mme", "Mme.", "Mlle", "Dr", "Madame",
];
/// English masculine honorifics.
#[rustfmt::skip]
pub(super) const HONORIFICS_EN_M: &[&str] = &[
    "Mr", "Mr.", "Dr", "Dr.", "Prof",
];
/// English feminine honorifics.
#[rustfmt::skip]
pub(super) const HONORIFICS_EN_F: &[&str] = &[
    "Mrs", "Ms", "Miss", "Mrs.", "Dr",
];

/// Keyboard neighbours of each lowercase ASCII letter on a QWERTY layout.
#[rustfmt::skip]
pub(super) const QWERTY: [&str; 26] = [
    "qwsz", "vghn", "xdfv", "serfcx", "wrds", "drtgvc", "ftyhbv", "gyujnb", "uojk", "huikmn",
    "jiolm", "kop", "njk", "bhjm", "ipkl", "ol", "wa", "etdf", "awedxz", "ryfg", "yihj", "cfgb",
    "qeas", "zsdc", "tugh", "asx",
];

/// Keyboard neighbours of each lowercase ASCII letter on an AZERTY layout.
#[rustfmt::skip]
pub(super) const AZERTY: [&str; 26] = [
    "zq", "vghn", "xdfv", "serfcx", "zrsd", "drtgvc", "ftyhbv", "gyujnb", "uojk", "huikn", "jiol",
    "kopm", "lp", "bhj", "ipkl", "olm", "azsw", "etdf", "qzedxw", "ryfg", "yihj", "cfgb", "qsx",
    "wsdc", "tugh", "aeqs",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_are_big_enough() {
        assert!(FR_MALE.len() + FR_FEMALE.len() >= 150);
        assert!(EN_MALE.len() + EN_FEMALE.len() >= 150);
        assert!(FR_SURNAMES.len() >= 200, "{}", FR_SURNAMES.len());
        assert!(EN_SURNAMES.len() >= 200, "{}", EN_SURNAMES.len());
        assert!(FR_CITIES.len() >= 60, "{}", FR_CITIES.len());
        assert!(UK_CITIES.len() + US_CITIES.len() >= 60);
    }

    #[test]
    fn every_nickname_canonical_is_a_generated_given_name() {
        let all: Vec<&str> =
            [FR_MALE, FR_FEMALE, EN_MALE, EN_FEMALE].into_iter().flatten().copied().collect();
        for (canon, dims) in NICKNAMES {
            assert!(all.contains(canon), "{canon} is not a given name");
            assert!(!dims.is_empty(), "{canon}");
            assert!(!dims.contains(canon), "{canon}");
        }
        for (i, (a, _)) in NICKNAMES.iter().enumerate() {
            assert!(NICKNAMES[..i].iter().all(|(b, _)| a != b), "{a} repeats");
        }
    }

    #[test]
    fn no_duplicates_within_a_table() {
        for table in [FR_MALE, FR_FEMALE, EN_MALE, EN_FEMALE, FR_SURNAMES, EN_SURNAMES] {
            for (i, a) in table.iter().enumerate() {
                assert!(!table[..i].contains(a), "{a} repeats");
            }
        }
    }
}
