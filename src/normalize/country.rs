//! Countries and their telephone numbering plans: every ISO 3166-1 alpha-2
//! code (and `XK`, Kosovo), with the country calling code, the national trunk
//! prefix, the length range of national significant numbers and the
//! international call prefixes dialled from it.
//!
//! The table is derived from the metadata of Google's libphonenumber (version
//! 9.0.33, as shipped with the `phonenumber` crate 0.3.10): the lengths are
//! those of fixed-line and mobile numbers. A territory libphonenumber has no
//! entry for (Antarctica, Bouvet Island, South Georgia, Heard and McDonald
//! Islands, Pitcairn, the French Southern Territories, the US minor outlying
//! islands) takes the plan of the country whose numbers it uses.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// What the phone normalizer needs to know about one national numbering plan.
#[derive(Debug, Clone, Copy)]
pub(super) struct Plan {
    /// ISO 3166-1 alpha-2 code, upper case.
    pub(super) alpha2: &'static str,
    /// Country calling code, as digits.
    pub(super) cc: &'static str,
    /// National trunk prefix dialled before the national significant number
    /// (`0`; `1` in North America, `8` in Russia, `06` in Hungary), empty for none.
    pub(super) trunk: &'static str,
    /// Shortest national significant number.
    pub(super) min: u8,
    /// Longest national significant number.
    pub(super) max: u8,
    /// International call prefixes dialled from the country, besides `00`.
    pub(super) idd: &'static [&'static str],
    /// [`MAIN`] and [`ZERO`] bits.
    flags: u8,
}

/// The country whose plan reads international numbers of a calling code
/// several countries share (`+1`: the United States).
const MAIN: u8 = 1;
/// National significant numbers may start with 0 (Italian landlines).
const ZERO: u8 = 2;

impl Plan {
    /// True when `nsn` can be a national significant number of this plan:
    /// its length is in the plan's range, the E.164 number it makes has 7 to
    /// 15 digits, and it starts with 0 only where numbers do.
    pub(super) fn accepts(&self, nsn: &[u8]) -> bool {
        (usize::from(self.min)..=usize::from(self.max)).contains(&nsn.len())
            && (7..=15).contains(&(self.cc.len() + nsn.len()))
            && (self.flags & ZERO != 0 || nsn.first() != Some(&b'0'))
    }

    /// The length of the longest international call prefix (`00` or one of
    /// [`Plan::idd`]) that starts `digits`.
    pub(super) fn idd_len(&self, digits: &[u8]) -> Option<usize> {
        self.idd
            .iter()
            .chain(&["00"])
            .filter(|p| digits.starts_with(p.as_bytes()))
            .map(|p| p.len())
            .max()
    }
}

/// One row per country: `Variant "CODE" "calling code" "trunk" min max
/// [call prefixes besides 00] flags "name";`. Defines [`Country`], its
/// variants' order and [`PLANS`], in the same order.
macro_rules! countries {
    ($($v:ident $code:literal $cc:literal $trunk:literal $min:literal $max:literal
        [$($idd:literal),*] $(+$flag:ident)* $name:literal;)*) => {
        /// A country, by its ISO 3166-1 alpha-2 code: the country national
        /// phone numbers are read in.
        ///
        /// Every ISO 3166-1 alpha-2 code is a variant (`Country::Jp`,
        /// `Country::In`), and `XK` (Kosovo). Serialized as its code in upper
        /// case (`"FR"`); [`FromStr`] also takes lower case.
        ///
        /// ```
        /// use personlink::normalize::Country;
        ///
        /// let jp: Country = "jp".parse()?;
        /// assert_eq!(jp, Country::Jp);
        /// assert_eq!((jp.alpha2(), jp.calling_code()), ("JP", "81"));
        /// assert_eq!(serde_json::to_string(&Country::Us).unwrap(), r#""US""#);
        /// assert!("ZZ".parse::<Country>().is_err());
        /// # Ok::<(), personlink::Error>(())
        /// ```
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        #[non_exhaustive]
        pub enum Country {
            $(
                #[doc = concat!($name, ": `", $code, "`, +", $cc, ".")]
                $v,
            )*
        }

        impl Country {
            /// Every country, in the order of their codes.
            pub const ALL: [Country; COUNTRY_COUNT] = [$(Country::$v),*];
        }

        /// Number of countries.
        const COUNTRY_COUNT: usize = [$($code),*].len();

        /// The plans, in the order of [`Country`]'s variants.
        const PLANS: [Plan; COUNTRY_COUNT] = [$(
            Plan {
                alpha2: $code,
                cc: $cc,
                trunk: $trunk,
                min: $min,
                max: $max,
                idd: &[$($idd),*],
                flags: 0 $(| $flag)*,
            },
        )*];
    };
}

countries! {
    Ad "AD" "376" "" 6 9 [] "Andorra";
    Ae "AE" "971" "0" 8 9 [] "United Arab Emirates";
    Af "AF" "93" "0" 9 9 [] "Afghanistan";
    Ag "AG" "1" "1" 10 10 ["011"] "Antigua and Barbuda";
    Ai "AI" "1" "1" 10 10 ["011"] "Anguilla";
    Al "AL" "355" "0" 8 9 [] "Albania";
    Am "AM" "374" "0" 8 8 [] "Armenia";
    Ao "AO" "244" "" 9 9 [] "Angola";
    Aq "AQ" "672" "" 6 6 [] "Antarctica (numbered as NF)";
    Ar "AR" "54" "0" 10 11 [] "Argentina";
    As "AS" "1" "1" 10 10 ["011"] "Samoa (American)";
    At "AT" "43" "0" 4 13 [] "Austria";
    Au "AU" "61" "0" 9 9 ["14110011", "14140011", "14340011", "14410011", "14470011", "14560011", "14660011", "14740011", "14770011", "14880011", "0011", "0014", "0015", "0016", "0018", "0019"] +MAIN "Australia";
    Aw "AW" "297" "" 7 7 [] "Aruba";
    Ax "AX" "358" "0" 6 10 ["99511", "99532", "99533", "99541", "99555", "99559", "99577", "99588", "99590", "99599", "990", "991", "994", "996", "999"] "Åland Islands";
    Az "AZ" "994" "0" 9 9 [] "Azerbaijan";
    Ba "BA" "387" "0" 8 9 [] "Bosnia and Herzegovina";
    Bb "BB" "1" "1" 10 10 ["011"] "Barbados";
    Bd "BD" "880" "0" 6 10 [] "Bangladesh";
    Be "BE" "32" "0" 8 9 [] "Belgium";
    Bf "BF" "226" "" 8 8 [] "Burkina Faso";
    Bg "BG" "359" "0" 6 9 [] "Bulgaria";
    Bh "BH" "973" "" 8 8 [] "Bahrain";
    Bi "BI" "257" "" 8 8 [] "Burundi";
    Bj "BJ" "229" "" 10 10 [] +ZERO "Benin";
    Bl "BL" "590" "0" 9 9 [] "St Barthelemy";
    Bm "BM" "1" "1" 10 10 ["011"] "Bermuda";
    Bn "BN" "673" "" 7 7 [] "Brunei";
    Bo "BO" "591" "0" 8 8 ["0010", "0011", "0012", "0013", "0014", "0015", "0016", "0017", "0018", "0019"] "Bolivia";
    Bq "BQ" "599" "" 7 7 [] "Caribbean NL";
    Br "BR" "55" "0" 10 11 ["0012", "0014", "0015", "0021", "0022", "0023", "0025", "0031", "0041", "0043", "0055", "0065", "0099"] "Brazil";
    Bs "BS" "1" "1" 10 10 ["011"] "Bahamas";
    Bt "BT" "975" "" 7 8 [] "Bhutan";
    Bv "BV" "47" "" 8 8 [] "Bouvet Island (numbered as NO)";
    Bw "BW" "267" "" 7 8 [] "Botswana";
    By "BY" "375" "8" 9 9 ["810"] "Belarus";
    Bz "BZ" "501" "" 7 7 [] "Belize";
    Ca "CA" "1" "1" 10 10 ["011"] "Canada";
    Cc "CC" "61" "0" 9 9 ["14110011", "14140011", "14340011", "14410011", "14470011", "14560011", "14660011", "14740011", "14770011", "14880011", "0011", "0014", "0015", "0016", "0018", "0019"] "Cocos (Keeling) Islands";
    Cd "CD" "243" "0" 7 10 [] "Congo (Dem. Rep.)";
    Cf "CF" "236" "" 8 8 [] "Central African Rep.";
    Cg "CG" "242" "" 9 9 [] +ZERO "Congo (Rep.)";
    Ch "CH" "41" "0" 9 9 [] "Switzerland";
    Ci "CI" "225" "" 10 10 [] +ZERO "Côte d'Ivoire";
    Ck "CK" "682" "" 5 5 [] "Cook Islands";
    Cl "CL" "56" "" 9 9 [] "Chile";
    Cm "CM" "237" "" 9 9 [] "Cameroon";
    Cn "CN" "86" "0" 7 11 [] "China";
    Co "CO" "57" "0" 8 10 ["00414", "00444", "00456", "005", "007", "009"] "Colombia";
    Cr "CR" "506" "" 8 8 [] "Costa Rica";
    Cu "CU" "53" "0" 6 10 ["119"] "Cuba";
    Cv "CV" "238" "" 7 7 ["0"] "Cape Verde";
    Cw "CW" "599" "" 7 8 [] +MAIN "Curaçao";
    Cx "CX" "61" "0" 9 9 ["14110011", "14140011", "14340011", "14410011", "14470011", "14560011", "14660011", "14740011", "14770011", "14880011", "0011", "0014", "0015", "0016", "0018", "0019"] "Christmas Island";
    Cy "CY" "357" "" 8 8 [] "Cyprus";
    Cz "CZ" "420" "" 9 9 [] "Czech Republic";
    De "DE" "49" "0" 5 15 [] "Germany";
    Dj "DJ" "253" "" 8 8 [] "Djibouti";
    Dk "DK" "45" "" 8 8 [] "Denmark";
    Dm "DM" "1" "1" 10 10 ["011"] "Dominica";
    Do "DO" "1" "1" 10 10 ["011"] "Dominican Republic";
    Dz "DZ" "213" "0" 8 9 [] "Algeria";
    Ec "EC" "593" "0" 8 9 [] "Ecuador";
    Ee "EE" "372" "" 7 8 [] "Estonia";
    Eg "EG" "20" "0" 8 10 [] "Egypt";
    Eh "EH" "212" "0" 9 9 [] "Western Sahara";
    Er "ER" "291" "0" 7 7 [] "Eritrea";
    Es "ES" "34" "" 9 9 [] "Spain";
    Et "ET" "251" "0" 9 9 [] "Ethiopia";
    Fi "FI" "358" "0" 5 10 ["99511", "99532", "99533", "99541", "99555", "99559", "99577", "99588", "99590", "99599", "990", "991", "994", "996", "999"] +MAIN "Finland";
    Fj "FJ" "679" "" 7 7 ["052"] "Fiji";
    Fk "FK" "500" "" 5 5 [] +MAIN "Falkland Islands";
    Fm "FM" "691" "" 7 7 [] "Micronesia";
    Fo "FO" "298" "" 6 6 [] "Faroe Islands";
    Fr "FR" "33" "0" 9 9 [] "France";
    Ga "GA" "241" "" 7 8 [] +ZERO "Gabon";
    Gb "GB" "44" "0" 9 10 [] +MAIN "United Kingdom";
    Gd "GD" "1" "1" 10 10 ["011"] "Grenada";
    Ge "GE" "995" "0" 9 9 [] "Georgia";
    Gf "GF" "594" "0" 9 9 [] "French Guiana";
    Gg "GG" "44" "0" 10 10 [] "Guernsey";
    Gh "GH" "233" "0" 9 9 [] "Ghana";
    Gi "GI" "350" "" 8 8 [] "Gibraltar";
    Gl "GL" "299" "" 6 6 [] "Greenland";
    Gm "GM" "220" "" 7 7 [] "Gambia";
    Gn "GN" "224" "" 8 9 [] "Guinea";
    Gp "GP" "590" "0" 9 9 [] +MAIN "Guadeloupe";
    Gq "GQ" "240" "" 9 9 [] "Equatorial Guinea";
    Gr "GR" "30" "" 10 10 [] "Greece";
    Gs "GS" "500" "" 5 5 [] "South Georgia and the South Sandwich Islands (numbered as FK)";
    Gt "GT" "502" "" 8 8 [] "Guatemala";
    Gu "GU" "1" "1" 10 10 ["011"] "Guam";
    Gw "GW" "245" "" 9 9 [] "Guinea-Bissau";
    Gy "GY" "592" "" 7 7 ["001"] "Guyana";
    Hk "HK" "852" "" 8 8 ["0030", "0050", "0059", "001", "002", "006", "007", "008", "009"] "Hong Kong";
    Hm "HM" "672" "" 6 6 [] "Heard Island and McDonald Islands (numbered as NF)";
    Hn "HN" "504" "" 8 8 [] "Honduras";
    Hr "HR" "385" "0" 8 9 [] "Croatia";
    Ht "HT" "509" "" 8 8 [] "Haiti";
    Hu "HU" "36" "06" 8 9 [] "Hungary";
    Id "ID" "62" "0" 7 12 ["008", "009"] "Indonesia";
    Ie "IE" "353" "0" 7 10 [] "Ireland";
    Il "IL" "972" "0" 8 12 ["012", "013", "014", "015", "016", "017", "018", "019"] "Israel";
    Im "IM" "44" "0" 10 10 [] "Isle of Man";
    In "IN" "91" "0" 10 10 [] "India";
    Io "IO" "246" "" 7 7 [] "British Indian Ocean Territory";
    Iq "IQ" "964" "0" 8 10 [] "Iraq";
    Ir "IR" "98" "0" 6 10 [] "Iran";
    Is "IS" "354" "" 7 9 ["1001", "1010", "1020", "1100"] "Iceland";
    It "IT" "39" "" 6 12 [] +MAIN +ZERO "Italy";
    Je "JE" "44" "0" 10 10 [] "Jersey";
    Jm "JM" "1" "1" 10 10 ["011"] "Jamaica";
    Jo "JO" "962" "0" 8 9 [] "Jordan";
    Jp "JP" "81" "0" 9 10 ["010"] "Japan";
    Ke "KE" "254" "0" 7 9 ["000"] "Kenya";
    Kg "KG" "996" "0" 9 9 [] "Kyrgyzstan";
    Kh "KH" "855" "0" 8 9 ["001", "004", "005", "006", "007", "008", "009"] "Cambodia";
    Ki "KI" "686" "0" 5 8 [] "Kiribati";
    Km "KM" "269" "" 7 7 [] "Comoros";
    Kn "KN" "1" "1" 10 10 ["011"] "St Kitts and Nevis";
    Kp "KP" "850" "0" 8 10 ["99"] "Korea (North)";
    Kr "KR" "82" "0" 5 10 ["00345", "00365", "00391", "00700", "00727", "00755", "00761", "00762", "00766", "0073", "001", "002", "005", "006", "008", "009"] "Korea (South)";
    Kw "KW" "965" "" 8 8 [] "Kuwait";
    Ky "KY" "1" "1" 10 10 ["011"] "Cayman Islands";
    Kz "KZ" "7" "8" 10 10 ["810"] "Kazakhstan";
    La "LA" "856" "0" 8 10 [] "Laos";
    Lb "LB" "961" "0" 7 8 [] "Lebanon";
    Lc "LC" "1" "1" 10 10 ["011"] "St Lucia";
    Li "LI" "423" "0" 7 9 [] "Liechtenstein";
    Lk "LK" "94" "0" 9 9 [] "Sri Lanka";
    Lr "LR" "231" "0" 7 9 [] "Liberia";
    Ls "LS" "266" "" 8 8 [] "Lesotho";
    Lt "LT" "370" "0" 8 8 [] "Lithuania";
    Lu "LU" "352" "" 4 11 [] "Luxembourg";
    Lv "LV" "371" "" 8 8 [] "Latvia";
    Ly "LY" "218" "0" 9 9 [] "Libya";
    Ma "MA" "212" "0" 9 9 [] +MAIN "Morocco";
    Mc "MC" "377" "0" 8 9 [] "Monaco";
    Md "MD" "373" "0" 8 8 [] "Moldova";
    Me "ME" "382" "0" 8 8 [] "Montenegro";
    Mf "MF" "590" "0" 9 9 [] "St Martin (French)";
    Mg "MG" "261" "0" 9 9 [] "Madagascar";
    Mh "MH" "692" "1" 7 7 ["011"] "Marshall Islands";
    Mk "MK" "389" "0" 8 8 [] "North Macedonia";
    Ml "ML" "223" "" 8 8 [] "Mali";
    Mm "MM" "95" "0" 6 10 [] "Myanmar (Burma)";
    Mn "MN" "976" "0" 8 10 ["001"] "Mongolia";
    Mo "MO" "853" "" 8 8 [] "Macau";
    Mp "MP" "1" "1" 10 10 ["011"] "Northern Mariana Islands";
    Mq "MQ" "596" "0" 9 9 [] "Martinique";
    Mr "MR" "222" "" 8 8 [] "Mauritania";
    Ms "MS" "1" "1" 10 10 ["011"] "Montserrat";
    Mt "MT" "356" "" 8 8 [] "Malta";
    Mu "MU" "230" "" 7 8 ["020", "030", "033", "040", "050", "060", "070"] "Mauritius";
    Mv "MV" "960" "" 7 7 ["019"] "Maldives";
    Mw "MW" "265" "0" 7 9 [] "Malawi";
    Mx "MX" "52" "" 10 10 ["09"] "Mexico";
    My "MY" "60" "0" 8 10 [] "Malaysia";
    Mz "MZ" "258" "" 8 9 [] "Mozambique";
    Na "NA" "264" "0" 8 9 [] "Namibia";
    Nc "NC" "687" "" 6 6 [] "New Caledonia";
    Ne "NE" "227" "" 8 8 [] "Niger";
    Nf "NF" "672" "" 6 6 [] +MAIN "Norfolk Island";
    Ng "NG" "234" "0" 10 10 ["009"] "Nigeria";
    Ni "NI" "505" "" 8 8 [] "Nicaragua";
    Nl "NL" "31" "0" 9 11 [] "Netherlands";
    No "NO" "47" "" 8 8 [] +MAIN "Norway";
    Np "NP" "977" "0" 8 10 [] "Nepal";
    Nr "NR" "674" "" 7 7 [] "Nauru";
    Nu "NU" "683" "" 4 7 [] "Niue";
    Nz "NZ" "64" "0" 8 10 ["0161"] +MAIN "New Zealand";
    Om "OM" "968" "" 8 8 [] "Oman";
    Pa "PA" "507" "" 7 8 [] "Panama";
    Pe "PE" "51" "0" 8 9 ["191100", "191200", "191400", "197700", "199000"] "Peru";
    Pf "PF" "689" "" 8 8 [] "French Polynesia";
    Pg "PG" "675" "" 7 8 ["1401", "1402", "1403"] "Papua New Guinea";
    Ph "PH" "63" "0" 6 10 [] "Philippines";
    Pk "PK" "92" "0" 9 10 [] "Pakistan";
    Pl "PL" "48" "" 7 9 [] "Poland";
    Pm "PM" "508" "0" 6 9 [] "St Pierre and Miquelon";
    Pn "PN" "64" "0" 8 10 ["0161"] "Pitcairn (numbered as NZ)";
    Pr "PR" "1" "1" 10 10 ["011"] "Puerto Rico";
    Ps "PS" "970" "0" 8 9 [] "Palestine";
    Pt "PT" "351" "" 9 9 [] "Portugal";
    Pw "PW" "680" "" 7 7 ["011", "012"] "Palau";
    Py "PY" "595" "0" 7 9 [] "Paraguay";
    Qa "QA" "974" "" 8 8 [] "Qatar";
    Re "RE" "262" "0" 9 9 [] +MAIN "Réunion";
    Ro "RO" "40" "0" 6 9 [] "Romania";
    Rs "RS" "381" "0" 7 12 [] "Serbia";
    Ru "RU" "7" "8" 10 10 ["810"] +MAIN "Russia";
    Rw "RW" "250" "0" 8 9 [] "Rwanda";
    Sa "SA" "966" "0" 9 9 [] "Saudi Arabia";
    Sb "SB" "677" "" 5 7 ["01"] "Solomon Islands";
    Sc "SC" "248" "" 7 7 ["010", "01", "02"] "Seychelles";
    Sd "SD" "249" "0" 9 9 [] "Sudan";
    Se "SE" "46" "0" 7 9 [] "Sweden";
    Sg "SG" "65" "" 8 8 [] "Singapore";
    Sh "SH" "290" "" 4 5 [] "St Helena";
    Si "SI" "386" "0" 8 8 ["1022", "1066", "1088", "1099"] "Slovenia";
    Sj "SJ" "47" "" 8 8 [] "Svalbard and Jan Mayen";
    Sk "SK" "421" "0" 6 9 [] "Slovakia";
    Sl "SL" "232" "0" 8 8 [] "Sierra Leone";
    Sm "SM" "378" "" 8 10 [] +ZERO "San Marino";
    Sn "SN" "221" "" 9 9 [] "Senegal";
    So "SO" "252" "0" 6 9 [] "Somalia";
    Sr "SR" "597" "" 6 7 [] "Suriname";
    Ss "SS" "211" "0" 9 9 [] "South Sudan";
    St "ST" "239" "" 7 7 [] "Sao Tome and Principe";
    Sv "SV" "503" "" 8 8 [] "El Salvador";
    Sx "SX" "1" "1" 10 10 ["011"] "St Maarten (Dutch)";
    Sy "SY" "963" "0" 8 9 [] "Syria";
    Sz "SZ" "268" "" 8 8 [] "Eswatini (Swaziland)";
    Tc "TC" "1" "1" 10 10 ["011"] "Turks and Caicos Is";
    Td "TD" "235" "" 8 8 ["16"] "Chad";
    Tf "TF" "262" "0" 9 9 [] "French Southern Territories (numbered as RE)";
    Tg "TG" "228" "" 8 8 [] "Togo";
    Th "TH" "66" "0" 8 9 ["001", "002", "003", "004", "005", "006", "007", "008", "009"] "Thailand";
    Tj "TJ" "992" "" 9 9 ["810"] "Tajikistan";
    Tk "TK" "690" "" 4 7 [] "Tokelau";
    Tl "TL" "670" "" 7 8 [] "East Timor";
    Tm "TM" "993" "8" 8 8 ["810"] "Turkmenistan";
    Tn "TN" "216" "" 8 8 [] "Tunisia";
    To "TO" "676" "" 5 7 [] "Tonga";
    Tr "TR" "90" "0" 10 10 [] "Turkey";
    Tt "TT" "1" "1" 10 10 ["011"] "Trinidad and Tobago";
    Tv "TV" "688" "" 5 7 [] "Tuvalu";
    Tw "TW" "886" "0" 8 9 ["002", "005", "006", "007", "009", "019"] "Taiwan";
    Tz "TZ" "255" "0" 9 9 ["000", "005", "006"] "Tanzania";
    Ua "UA" "380" "0" 9 9 [] "Ukraine";
    Ug "UG" "256" "0" 9 9 ["000", "005", "007"] "Uganda";
    Um "UM" "1" "1" 10 10 ["011"] "US minor outlying islands (numbered as US)";
    Us "US" "1" "1" 10 10 ["011"] +MAIN "United States";
    Uy "UY" "598" "0" 8 8 [] "Uruguay";
    Uz "UZ" "998" "" 9 9 [] "Uzbekistan";
    Va "VA" "39" "" 6 11 [] +ZERO "Vatican City";
    Vc "VC" "1" "1" 10 10 ["011"] "St Vincent";
    Ve "VE" "58" "0" 10 10 [] "Venezuela";
    Vg "VG" "1" "1" 10 10 ["011"] "Virgin Islands (UK)";
    Vi "VI" "1" "1" 10 10 ["011"] "Virgin Islands (US)";
    Vn "VN" "84" "0" 9 10 [] "Vietnam";
    Vu "VU" "678" "" 5 7 [] "Vanuatu";
    Wf "WF" "681" "" 6 6 [] "Wallis and Futuna";
    Ws "WS" "685" "" 5 10 ["0"] "Samoa (western)";
    Xk "XK" "383" "0" 8 12 [] "Kosovo";
    Ye "YE" "967" "0" 7 9 [] "Yemen";
    Yt "YT" "262" "0" 9 9 [] "Mayotte";
    Za "ZA" "27" "0" 5 9 [] "South Africa";
    Zm "ZM" "260" "0" 9 9 [] "Zambia";
    Zw "ZW" "263" "0" 5 10 [] "Zimbabwe";
}

impl Default for Country {
    /// France.
    fn default() -> Self {
        Country::Fr
    }
}

/// No country has this calling code.
const NO_COUNTRY: u8 = u8::MAX;

/// The digits of `s` as a number (calling codes are 1 to 3 digits).
const fn code_number(s: &str) -> usize {
    let b = s.as_bytes();
    let (mut n, mut i) = (0, 0);
    while i < b.len() {
        n = n * 10 + (b[i] - b'0') as usize;
        i += 1;
    }
    n
}

/// Calling code (as a number) → index of the country that reads its
/// international numbers: the only one with that code, or the one marked [`MAIN`].
static BY_CALLING_CODE: [u8; 1000] = {
    let mut table = [NO_COUNTRY; 1000];
    let mut i = 0;
    while i < COUNTRY_COUNT {
        let code = code_number(PLANS[i].cc);
        if table[code] == NO_COUNTRY || PLANS[i].flags & MAIN != 0 {
            table[code] = i as u8;
        }
        i += 1;
    }
    table
};

impl Country {
    /// The ISO 3166-1 alpha-2 code, upper case (`"FR"`).
    pub fn alpha2(self) -> &'static str {
        self.plan().alpha2
    }

    /// The country calling code, as digits without `+` (`"33"`).
    pub fn calling_code(self) -> &'static str {
        self.plan().cc
    }

    /// The country of an alpha-2 code written in upper case (`"FR"`), as
    /// serde reads it; `None` for anything else.
    ///
    /// ```
    /// use personlink::normalize::Country;
    /// assert_eq!(Country::from_alpha2("BR"), Some(Country::Br));
    /// assert_eq!(Country::from_alpha2("br"), None);
    /// ```
    pub fn from_alpha2(code: &str) -> Option<Country> {
        // The table is sorted by code.
        PLANS.binary_search_by(|p| p.alpha2.cmp(code)).ok().map(|i| Country::ALL[i])
    }

    /// The country that reads international numbers of this calling code
    /// (`"1"`: the United States, `"33"`: France); `None` for a code no
    /// country has.
    pub(super) fn for_calling_code(code: &[u8]) -> Option<Country> {
        if code.is_empty() || code.len() > 3 || !code.iter().all(u8::is_ascii_digit) {
            return None;
        }
        let n = code.iter().fold(0, |n, &b| n * 10 + usize::from(b - b'0'));
        let i = BY_CALLING_CODE[n];
        (i != NO_COUNTRY && PLANS[usize::from(i)].cc.len() == code.len())
            .then(|| Country::ALL[usize::from(i)])
    }

    /// The country's numbering plan.
    pub(super) fn plan(self) -> &'static Plan {
        &PLANS[self as usize]
    }
}

impl fmt::Display for Country {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.alpha2())
    }
}

impl FromStr for Country {
    type Err = crate::Error;

    /// Parses an alpha-2 code, case-insensitively (`"fr"`, `"FR"`).
    fn from_str(s: &str) -> crate::Result<Self> {
        let s = s.trim();
        let upper = s.to_ascii_uppercase();
        Country::from_alpha2(&upper).ok_or_else(|| {
            crate::Error::config(
                "country",
                format!(
                    "unknown country code `{s}`: expected an ISO 3166-1 alpha-2 code such as `US`"
                ),
            )
        })
    }
}

impl Serialize for Country {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.alpha2())
    }
}

impl<'de> Deserialize<'de> for Country {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Code;
        impl serde::de::Visitor<'_> for Code {
            type Value = Country;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an ISO 3166-1 alpha-2 country code in upper case, such as \"US\"")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Country, E> {
                Country::from_alpha2(v).ok_or_else(|| {
                    E::custom(format_args!(
                        "unknown country code `{v}`: expected an ISO 3166-1 alpha-2 code in upper case, such as `US`"
                    ))
                })
            }
        }
        deserializer.deserialize_str(Code)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_is_sorted_and_well_formed() {
        assert_eq!(COUNTRY_COUNT, 250);
        for (i, (c, p)) in Country::ALL.iter().zip(&PLANS).enumerate() {
            assert_eq!(*c as usize, i);
            let code = p.alpha2.as_bytes();
            assert!(code.len() == 2 && code.iter().all(u8::is_ascii_uppercase), "{}", p.alpha2);
            assert_eq!(format!("{c:?}").to_ascii_uppercase(), p.alpha2);
            if i > 0 {
                assert!(PLANS[i - 1].alpha2 < p.alpha2, "{} is out of order", p.alpha2);
            }
            assert!((1..=3).contains(&p.cc.len()) && p.cc.bytes().all(|b| b.is_ascii_digit()));
            assert!(!p.cc.starts_with('0'), "{}", p.alpha2);
            assert!(p.trunk.bytes().all(|b| b.is_ascii_digit()) && p.trunk.len() <= 2);
            assert!(1 <= p.min && p.min <= p.max && p.max <= 15, "{}", p.alpha2);
            assert!(p.idd.iter().all(|d| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit())));
        }
    }

    #[test]
    fn each_calling_code_reads_back_to_one_country_of_that_code() {
        for c in Country::ALL {
            let main = Country::for_calling_code(c.calling_code().as_bytes()).unwrap();
            assert_eq!(main.calling_code(), c.calling_code(), "{c}");
            // A shared code is read by a country whose plan takes the lengths of
            // every country sharing it.
            assert!(main.plan().min <= c.plan().min && c.plan().max <= main.plan().max, "{c}");
        }
        let main = |code: &str| Country::for_calling_code(code.as_bytes());
        assert_eq!(main("1"), Some(Country::Us));
        assert_eq!(main("7"), Some(Country::Ru));
        assert_eq!(main("44"), Some(Country::Gb));
        assert_eq!(main("39"), Some(Country::It));
        assert_eq!(main("262"), Some(Country::Re));
        for none in ["", "0", "999", "800", "1234", "4a"] {
            assert_eq!(main(none), None, "{none}");
        }
    }

    #[test]
    fn codes_parse_both_ways() {
        assert_eq!("fr".parse::<Country>().unwrap(), Country::Fr);
        assert_eq!(" in ".parse::<Country>().unwrap(), Country::In);
        assert_eq!(Country::Gb.to_string(), "GB");
        assert_eq!(Country::Lu.calling_code(), "352");
        assert_eq!(Country::default(), Country::Fr);
        for bad in ["xx", "", "FRA", "UK", "é"] {
            assert!(bad.parse::<Country>().is_err(), "{bad}");
        }
        for c in Country::ALL {
            assert_eq!(c.alpha2().parse::<Country>().unwrap(), c);
            let json = serde_json::to_string(&c).unwrap();
            assert_eq!(json, format!("\"{}\"", c.alpha2()));
            assert_eq!(serde_json::from_str::<Country>(&json).unwrap(), c);
        }
        for bad in [r#""fr""#, r#""XX""#, "33", r#""""#] {
            assert!(serde_json::from_str::<Country>(bad).is_err(), "{bad}");
        }
    }
}
