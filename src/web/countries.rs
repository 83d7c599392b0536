//! Country names for the ISO 3166-1 alpha-3 codes of the manifest (and napscan's `EUU` for the
//! European Union and `INT` for international bodies), so that tables show "France (FRA)" rather
//! than a bare code. Codes not listed here are shown as they are.

/// (code, English short name), sorted by code.
const NAMES: &[(&str, &str)] = &[
    ("ARG", "Argentina"),
    ("AUS", "Australia"),
    ("AUT", "Austria"),
    ("BEL", "Belgium"),
    ("BGD", "Bangladesh"),
    ("BGR", "Bulgaria"),
    ("BOL", "Bolivia"),
    ("BRA", "Brazil"),
    ("CAN", "Canada"),
    ("CHE", "Switzerland"),
    ("CHL", "Chile"),
    ("CHN", "China"),
    ("CIV", "Côte d'Ivoire"),
    ("COL", "Colombia"),
    ("CRI", "Costa Rica"),
    ("CYP", "Cyprus"),
    ("CZE", "Czechia"),
    ("DEU", "Germany"),
    ("DNK", "Denmark"),
    ("ECU", "Ecuador"),
    ("EGY", "Egypt"),
    ("ESP", "Spain"),
    ("EST", "Estonia"),
    ("ETH", "Ethiopia"),
    ("EUU", "European Union"),
    ("FIN", "Finland"),
    ("FRA", "France"),
    ("GBR", "United Kingdom"),
    ("GEO", "Georgia"),
    ("GHA", "Ghana"),
    ("GRC", "Greece"),
    ("GTM", "Guatemala"),
    ("HND", "Honduras"),
    ("HRV", "Croatia"),
    ("HUN", "Hungary"),
    ("IDN", "Indonesia"),
    ("IND", "India"),
    ("INT", "International"),
    ("IRL", "Ireland"),
    ("ISL", "Iceland"),
    ("ISR", "Israel"),
    ("ITA", "Italy"),
    ("JPN", "Japan"),
    ("KAZ", "Kazakhstan"),
    ("KEN", "Kenya"),
    ("KOR", "Korea, Republic of"),
    ("LKA", "Sri Lanka"),
    ("LTU", "Lithuania"),
    ("LUX", "Luxembourg"),
    ("LVA", "Latvia"),
    ("MAR", "Morocco"),
    ("MEX", "Mexico"),
    ("MLT", "Malta"),
    ("MNG", "Mongolia"),
    ("MOZ", "Mozambique"),
    ("MYS", "Malaysia"),
    ("NGA", "Nigeria"),
    ("NLD", "Netherlands"),
    ("NOR", "Norway"),
    ("NPL", "Nepal"),
    ("NZL", "New Zealand"),
    ("PAK", "Pakistan"),
    ("PAN", "Panama"),
    ("PER", "Peru"),
    ("PHL", "Philippines"),
    ("POL", "Poland"),
    ("PRT", "Portugal"),
    ("PRY", "Paraguay"),
    ("ROU", "Romania"),
    ("RUS", "Russian Federation"),
    ("SGP", "Singapore"),
    ("SVK", "Slovakia"),
    ("SVN", "Slovenia"),
    ("SWE", "Sweden"),
    ("THA", "Thailand"),
    ("TUN", "Tunisia"),
    ("TUR", "Türkiye"),
    ("TWN", "Taiwan"),
    ("TZA", "Tanzania"),
    ("UGA", "Uganda"),
    ("UKR", "Ukraine"),
    ("URY", "Uruguay"),
    ("USA", "United States"),
    ("VNM", "Viet Nam"),
    ("ZAF", "South Africa"),
    ("ZMB", "Zambia"),
    ("ZWE", "Zimbabwe"),
];

/// The name of a country code, if known.
pub fn name(code: &str) -> Option<&'static str> {
    NAMES.binary_search_by(|(c, _)| c.cmp(&code)).ok().map(|i| NAMES[i].1)
}

/// "France (FRA)", or the code alone when its name is not known.
pub fn label(code: &str) -> String {
    match name(code) {
        Some(n) => format!("{n} ({code})"),
        None => code.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_sorted_and_found() {
        assert!(NAMES.windows(2).all(|w| w[0].0 < w[1].0), "NAMES must stay sorted by code");
        assert_eq!(label("FRA"), "France (FRA)");
        assert_eq!(label("EUU"), "European Union (EUU)");
        assert_eq!(label("XYZ"), "XYZ");
    }
}
