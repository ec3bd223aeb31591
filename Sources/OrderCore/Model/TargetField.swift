/// A field of the order schema: the one declaration of each field. The raw value is the name an
/// admin writes in a mapping file, which is also the column name in the database.
///
/// Adding a field is one edit here: the mapping engine, embedded tests, the store (column
/// created by the schema sync, written and read back) and `hata_log` reports all follow from
/// its ``level``, ``kind`` and ``severity``. Only the *core* fields the engine computes with
/// (order number, status, currency, amounts, quantities, line key, SKU) have typed properties
/// on ``NormalizedOrder`` / ``OrderLine``; every other field lives in their ``FieldValues``.
public enum TargetField: String, Sendable, CaseIterable {
    // Order level (`siparisler`).
    case siparis_numarasi, siparis_tarihi, guncelleme_tarihi, durum, platform_durumu, odeme_durumu, para_birimi
    case toplam_tutar, kargo_ucreti, platform_indirimi, iade_tutari
    case musteri_adi, musteri_email, musteri_telefon, firma_adi, vergi_numarasi, vergi_dairesi, tc_kimlik_no
    case teslimat_adresi, teslimat_ilce, teslimat_il, teslimat_posta_kodu, teslimat_ulke
    case fatura_adresi, fatura_ilce, fatura_il, fatura_posta_kodu, fatura_ulke
    case kargo_firmasi, kargo_takip_no, kargo_tarihi
    case odeme_tipi, odeme_tarihi
    /// The order's shipment as its carrier last reported it (also filled by `kind: shipments` files).
    case kargo_durumu, kargo_durum_zamani, teslim_tarihi
    // Line level (`siparis_urunleri`, and `urunler` for the product).
    case satir_anahtari, sku, barkod, urun_adi, kategori, adet, birim_fiyat, toplam_fiyat
    case kdv_orani, paket_no
    case satir_platform_indirimi, satir_durumu
    /// The package a line went out in, where an order ships in several: its carrier and tracking
    /// number (the invoice gets one Delivery per package).
    case satir_kargo_firmasi, satir_kargo_takip_no
    // Shipment level (`kind: shipments`, `gonderi_olaylari`); with siparis_numarasi, kargo_takip_no,
    // kargo_firmasi and teslim_tarihi.
    case kargo_referansi, gonderi_durumu, kargo_durum_kodu, kargo_durum_aciklamasi, olay_zamani
    // Invoice level (`kind: invoices`, `gelen_faturalar`); with siparis_numarasi and para_birimi.
    // `satici_kimlik_no` is read to check that the invoice is the seller's own, not stored.
    case fatura_no, ettn, fatura_tarihi, fatura_profili, fatura_tipi, alici_kimlik_no, satici_kimlik_no, odenecek_tutar
    case vergi_haric_tutar, kdv_tutari, iade_edilen_fatura_no
    /// A received invoice in another currency: its rate to lira and the rate's day (`cac:PricingExchangeRate`).
    case fatura_kuru, fatura_kur_tarihi
    // Exchange rate level (`kind: exchange_rates`, `doviz_kurlari`): a currency's rates of a day,
    // as published for `birim` units. Reference data, taken from the operator's `reference/` only.
    case kur_tarihi, doviz_kodu, birim, doviz_alis, doviz_satis, efektif_alis, efektif_satis, bulten_no
    // Product level (`kind: products`, `urunler`): a seller's catalogue and stock as a platform's
    // product export shows it; with sku, barkod, urun_adi, kategori, para_birimi and kdv_orani.
    // `stok_zamani` is when the stock was read (the file's time when it has no column for it).
    case stok_adedi, satis_fiyati, stok_zamani, marka, aciklama, urun_linki, gorsel_linki, birim_maliyet

    /// What a field describes: the order, each of its lines, a carrier's shipment event, or an
    /// invoice a provider sent back. A mapping's `kind` says which levels its rules fill.
    public enum Level: String, Sendable { case order, line, shipment, invoice, rate, product }

    /// How a raw value becomes a typed one.
    public enum Kind: Sendable, Equatable {
        case text, identifier, money, integer, vatRate, date, status, currency
        /// An exchange rate as published: a positive decimal, at most six decimals (``RateValue``).
        case exchangeRate
        /// A UUID written 8-4-4-4-12 in hexadecimal digits (an ETTN).
        case uuid
        /// A normalized shipment state (``ShipmentStatus``).
        case shipmentStatus
        case digits(ClosedRange<Int>)
    }

    /// What a bad value costs: the whole record, or only the field (stored empty, with a warning).
    public enum Severity: String, Sendable { case reject, warn }

    /// The level the field is declared at (its column's table).
    public var level: Level {
        switch self {
        case .satir_anahtari, .sku, .barkod, .urun_adi, .kategori, .adet, .birim_fiyat, .toplam_fiyat,
             .kdv_orani, .paket_no, .satir_platform_indirimi, .satir_durumu, .satir_kargo_firmasi, .satir_kargo_takip_no:
            return .line
        case .kargo_referansi, .gonderi_durumu, .kargo_durum_kodu, .kargo_durum_aciklamasi, .olay_zamani:
            return .shipment
        case .fatura_no, .ettn, .fatura_tarihi, .fatura_profili, .fatura_tipi, .alici_kimlik_no, .satici_kimlik_no, .odenecek_tutar,
             .vergi_haric_tutar, .kdv_tutari, .iade_edilen_fatura_no, .fatura_kuru, .fatura_kur_tarihi:
            return .invoice
        case .kur_tarihi, .doviz_kodu, .birim, .doviz_alis, .doviz_satis, .efektif_alis, .efektif_satis, .bulten_no:
            return .rate
        case .stok_adedi, .satis_fiyati, .stok_zamani, .marka, .aciklama, .urun_linki, .gorsel_linki, .birim_maliyet:
            return .product
        default:
            return .order
        }
    }

    /// Order fields a shipment or invoice record also carries, to find its order.
    static let sharedFields: [Level: Set<TargetField>] = [
        .shipment: [.siparis_numarasi, .kargo_takip_no, .kargo_firmasi, .teslim_tarihi],
        .invoice: [.siparis_numarasi, .para_birimi],
        .product: [.sku, .barkod, .urun_adi, .kategori, .para_birimi, .kdv_orani],
    ]

    /// Whether a rule under `level` may fill this field.
    public func fits(_ level: Level) -> Bool {
        self.level == level || Self.sharedFields[level]?.contains(self) == true
    }

    /// Every field a rule under `level` may fill.
    public static func fields(fitting level: Level) -> [TargetField] { allCases.filter { $0.fits(level) } }

    public var kind: Kind {
        switch self {
        case .siparis_tarihi, .guncelleme_tarihi, .kargo_tarihi, .odeme_tarihi, .kargo_durum_zamani, .teslim_tarihi,
             .olay_zamani, .fatura_tarihi, .kur_tarihi, .fatura_kur_tarihi, .stok_zamani:
            return .date
        case .doviz_alis, .doviz_satis, .efektif_alis, .efektif_satis, .fatura_kuru: return .exchangeRate
        case .doviz_kodu: return .currency
        case .birim: return .integer
        case .durum, .satir_durumu: return .status
        case .kargo_durumu, .gonderi_durumu: return .shipmentStatus
        case .toplam_tutar, .kargo_ucreti, .platform_indirimi, .iade_tutari, .birim_fiyat, .toplam_fiyat,
             .satir_platform_indirimi, .odenecek_tutar, .vergi_haric_tutar, .kdv_tutari, .satis_fiyati, .birim_maliyet:
            return .money
        case .alici_kimlik_no, .satici_kimlik_no: return .digits(10...11)
        case .ettn: return .uuid
        case .adet, .stok_adedi: return .integer
        case .kdv_orani: return .vatRate
        // A VKN; platforms also put a sole trader's TCKN here (11 digits): see `OrderMapper`.
        case .vergi_numarasi: return .digits(10...11)
        case .tc_kimlik_no: return .digits(11...11)
        case .para_birimi: return .currency
        case .barkod, .kargo_takip_no, .siparis_numarasi, .sku, .satir_anahtari, .paket_no, .kargo_referansi, .fatura_no,
             .iade_edilen_fatura_no, .satir_kargo_takip_no, .bulten_no:
            return .identifier
        default: return .text
        }
    }

    /// The default for a rule's `on_error`: keys, money, dates, statuses and tax identities
    /// reject the record; a broken descriptive field (barcode, names, address, phone, e-mail,
    /// category) is stored empty with a warning, so one Excel-mangled column costs no order.
    public var severity: Severity {
        switch self {
        case .barkod, .urun_adi, .kategori, .paket_no, .platform_durumu, .odeme_durumu,
             .musteri_adi, .musteri_email, .musteri_telefon, .firma_adi, .vergi_dairesi,
             .teslimat_adresi, .teslimat_ilce, .teslimat_il, .teslimat_posta_kodu, .teslimat_ulke,
             .fatura_adresi, .fatura_ilce, .fatura_il, .fatura_posta_kodu, .fatura_ulke, .kargo_firmasi, .satir_kargo_firmasi,
             .kargo_tarihi, .odeme_tipi, .odeme_tarihi, .teslim_tarihi, .kargo_durum_kodu, .kargo_durum_aciklamasi,
             .fatura_profili, .fatura_tipi, .marka, .aciklama, .urun_linki, .gorsel_linki, .birim_maliyet:
            return .warn
        default:
            return .reject
        }
    }

    /// An amount some platforms write with a minus sign by their own convention, meaning the same
    /// thing (WooCommerce's `refunded_total` is `-1443.82`): read as its magnitude. Every other
    /// amount below zero is an error for its record.
    public var signIsConvention: Bool { self == .iade_tutari }

    /// Whether the engine computes with the field through a typed property of the order or line;
    /// every other field is a ``FieldValues`` entry stored in the column of its name.
    public var isCore: Bool {
        switch self {
        case .siparis_numarasi, .durum, .para_birimi, .toplam_tutar, .kargo_ucreti, .platform_indirimi,
             .satir_anahtari, .sku, .adet, .birim_fiyat, .toplam_fiyat, .kdv_orani, .satir_platform_indirimi,
             .satir_durumu:
            return true
        default:
            return false
        }
    }

    /// Whether the field is personal data that stays out of logs.
    public var isPersonalData: Bool {
        switch self {
        case .musteri_adi, .musteri_email, .musteri_telefon, .tc_kimlik_no, .teslimat_adresi,
             .fatura_adresi, .teslimat_posta_kodu, .fatura_posta_kodu:
            return true
        default:
            return false
        }
    }

    /// The non-core fields of a level, in declaration order: the columns the store writes and reads.
    public static func valueFields(_ level: Level) -> [TargetField] {
        switch level {
        case .order: return orderValueFields
        case .line: return lineValueFields
        case .shipment, .invoice, .rate, .product: return []
        }
    }

    /// The field's place in ``allCases`` (its declaration order), for tables indexed by field.
    /// A field-less enum is stored as its declaration index, so this costs no lookup.
    public var ordinal: Int {
        MemoryLayout<TargetField>.size == 1 ? Int(unsafeBitCast(self, to: UInt8.self)) : Self.allCases.firstIndex(of: self)!
    }

    static let orderValueFields = allCases.filter { !$0.isCore && $0.level == .order }
    static let lineValueFields = allCases.filter { !$0.isCore && $0.level == .line }
}
