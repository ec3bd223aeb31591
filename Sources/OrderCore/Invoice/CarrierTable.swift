/// Carriers by the names exports give them → the legal title and tax number an e-Arşiv invoice's
/// `cac:Delivery/cac:CarrierParty` needs (an internet sale must name who carries the goods).
///
/// The shipped entries are the big Turkish carriers and those the marketplaces assign, from
/// public sources (docs/invoices.md lists them); `carriers:` in `pra.yaml` adds entries or
/// corrects them, and wins over the shipped ones.
public struct CarrierTable: Sendable {
    public struct Carrier: Sendable, Equatable {
        /// The legal title (`PartyName/Name`).
        public var title: String
        /// VKN (10 digits) or, for a person, TCKN (11 digits).
        public var taxID: String
        /// The province of its head office (a UBL party needs an address); the district is
        /// written as "-" unless `pra.yaml` gives it.
        public var city: String
        public var district: String
        public init(title: String, taxID: String, city: String, district: String = "-") {
            self.title = title
            self.taxID = taxID
            self.city = city
            self.district = district
        }
    }

    private var exact: [String: Carrier] = [:]

    /// The shipped table: (names exports use, title, tax number, province). Tax numbers from
    /// Trendyol's published shipment-provider list where it names the carrier, else from public
    /// integrator code; each passes the VKN check digit.
    public static let shipped: [([String], String, String, String)] = [
        (["Yurtiçi Kargo", "Yurtici Kargo", "Yurtiçi", "YK", "Yurtiçi Kargo International", "INTYK"],
         "Yurtiçi Kargo Servisi A.Ş.", "9860008925", "İstanbul"),
        (["Yurtiçi Kargo Marketplace", "YKMP"], "Yurtiçi Kargo Marketplace", "3130557669", "İstanbul"),
        (["Aras Kargo", "Aras", "Aras Kargo Marketplace", "ARASMP"], "Aras Kargo Yurt İçi Yurt Dışı Taşımacılık A.Ş.",
         "0720039666", "İstanbul"),
        (["MNG Kargo", "MNG", "DHL eCommerce", "DHL eCommerce Marketplace", "DHLECOMMP"],
         "MNG Kargo Yurtiçi ve Yurtdışı Taşımacılık A.Ş.", "6080712084", "İstanbul"),
        (["PTT Kargo", "PTT", "PTT Kargo Marketplace", "PTTMP"], "Posta ve Telgraf Teşkilatı A.Ş.", "7320068060", "Ankara"),
        (["Sürat Kargo", "Surat Kargo", "Sürat", "Sürat Kargo Marketplace", "SURATMP"], "Sürat Kargo Lojistik ve Dağıtım A.Ş.",
         "7870233582", "İstanbul"),
        (["Trendyol Express", "Trendyol Express Marketplace", "TEXMP"], "Trendyol Lojistik A.Ş.", "8590921777", "İstanbul"),
        (["HepsiJet", "Hepsi Jet", "HepsiJET"], "D Fast Dağıtım Hizmetleri ve Lojistik A.Ş.", "2650701090", "İstanbul"),
        (["Kolay Gelsin", "Sendeo", "Kolay Gelsin Marketplace", "SENDEOMP", "KOLAYGELSINMP"],
         "Kolay Gelsin Dağıtım Hizmetleri A.Ş.", "2910804196", "İstanbul"),
        (["Horoz Kargo", "Horoz Lojistik", "Horoz Kargo Marketplace", "HOROZMP"], "Horoz Kargo Marketplace", "4630097122",
         "İstanbul"),
        (["CEVA", "CEVA Marketplace", "CEVAMP"], "CEVA Marketplace", "8450298557", "İstanbul"),
        (["Ceva Tedarik", "Ceva Tedarik Marketplace", "CEVATEDARIK"], "Ceva Tedarik Marketplace", "1800038254", "İstanbul"),
    ]

    public init(extra: [(names: [String], carrier: Carrier)] = []) {
        for (names, title, taxID, city) in Self.shipped {
            for n in names { exact[Self.key(n)] = Carrier(title: title, taxID: taxID, city: city) }
        }
        for (names, carrier) in extra {
            for n in names { exact[Self.key(n)] = carrier }
        }
    }

    /// The carrier an export names (`Yurtiçi Kargo`, `ARAS KARGO`, `Trendyol Express Marketplace`).
    public func carrier(named name: String?) -> Carrier? {
        guard let name, !name.isEmpty else { return nil }
        return exact[Self.key(name)]
    }

    /// Names compare as column names do, ignoring case, Turkish letters, blanks and punctuation.
    static func key(_ name: String) -> String {
        String(ColumnName.folded(name).unicodeScalars.filter { $0.properties.isAlphabetic || ("0"..."9").contains($0) }
            .map(Character.init))
    }
}
