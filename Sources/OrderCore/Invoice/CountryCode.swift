/// Countries as exports write them (an ISO code, a Turkish or English name) → ISO 3166-1 alpha-2
/// and the name GİB's samples write, for `cac:Country/cbc:IdentificationCode` and `cbc:Name`.
public enum CountryCode {
    /// (code, Turkish name, other names exports use)
    static let table: [(String, String, [String])] = [
        ("TR", "Türkiye", ["Turkey", "Turkiye", "Türkiye Cumhuriyeti", "TUR"]),
        ("DE", "Almanya", ["Germany", "Deutschland", "DEU"]),
        ("NL", "Hollanda", ["Netherlands", "Nederland", "The Netherlands", "NLD"]),
        ("FR", "Fransa", ["France", "FRA"]),
        ("GB", "Birleşik Krallık", ["United Kingdom", "UK", "Great Britain", "İngiltere", "England", "GBR"]),
        ("US", "Amerika Birleşik Devletleri", ["United States", "USA", "United States of America", "ABD", "Amerika"]),
        ("AT", "Avusturya", ["Austria", "Österreich", "AUT"]),
        ("BE", "Belçika", ["Belgium", "BEL"]),
        ("CH", "İsviçre", ["Switzerland", "Schweiz", "CHE"]),
        ("IT", "İtalya", ["Italy", "Italia", "ITA"]),
        ("ES", "İspanya", ["Spain", "España", "ESP"]),
        ("SE", "İsveç", ["Sweden", "SWE"]),
        ("DK", "Danimarka", ["Denmark", "DNK"]),
        ("NO", "Norveç", ["Norway", "NOR"]),
        ("PL", "Polonya", ["Poland", "POL"]),
        ("GR", "Yunanistan", ["Greece", "GRC"]),
        ("BG", "Bulgaristan", ["Bulgaria", "BGR"]),
        ("RO", "Romanya", ["Romania", "ROU"]),
        ("CY", "Kıbrıs", ["Cyprus", "CYP"]),
        ("AZ", "Azerbaycan", ["Azerbaijan", "AZE"]),
        ("GE", "Gürcistan", ["Georgia", "GEO"]),
        ("RU", "Rusya", ["Russia", "Russian Federation", "RUS"]),
        ("UA", "Ukrayna", ["Ukraine", "UKR"]),
        ("IQ", "Irak", ["Iraq", "IRQ"]),
        ("IR", "İran", ["Iran", "IRN"]),
        ("SA", "Suudi Arabistan", ["Saudi Arabia", "SAU"]),
        ("AE", "Birleşik Arap Emirlikleri", ["United Arab Emirates", "UAE", "BAE", "ARE"]),
        ("QA", "Katar", ["Qatar", "QAT"]),
        ("KZ", "Kazakistan", ["Kazakhstan", "KAZ"]),
        ("UZ", "Özbekistan", ["Uzbekistan", "UZB"]),
        ("CA", "Kanada", ["Canada", "CAN"]),
        ("AU", "Avustralya", ["Australia", "AUS"]),
        ("JP", "Japonya", ["Japan", "JPN"]),
        ("CN", "Çin", ["China", "CHN"]),
        ("IE", "İrlanda", ["Ireland", "IRL"]),
        ("CZ", "Çekya", ["Czech Republic", "Czechia", "CZE"]),
        ("HU", "Macaristan", ["Hungary", "HUN"]),
        ("FI", "Finlandiya", ["Finland", "FIN"]),
        ("PT", "Portekiz", ["Portugal", "PRT"]),
        ("LU", "Lüksemburg", ["Luxembourg", "LUX"]),
    ]

    private static let index: [String: (String, String)] = {
        var out: [String: (String, String)] = [:]
        for (code, name, others) in table {
            for key in [code, name] + others { out[ColumnName.folded(key)] = (code, name) }
        }
        return out
    }()

    /// (ISO code, Turkish name) for `text`, or `nil` when it is not a country this table knows.
    public static func resolve(_ text: String?) -> (code: String, name: String)? {
        guard let text, !text.isEmpty else { return nil }
        return index[ColumnName.folded(text)].map { (code: $0.0, name: $0.1) }
    }
}
