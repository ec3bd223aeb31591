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
    // Line level (`siparis_urunleri`, and `urunler` for the product).
    case satir_anahtari, sku, barkod, urun_adi, kategori, adet, birim_fiyat, toplam_fiyat
    case kdv_orani, paket_no
    case satir_platform_indirimi, satir_durumu

    /// Whether the field belongs to the order or to each line.
    public enum Level: String, Sendable { case order, line }

    /// How a raw value becomes a typed one.
    public enum Kind: Sendable, Equatable {
        case text, identifier, money, integer, vatRate, date, status, currency
        case digits(ClosedRange<Int>)
    }

    /// What a bad value costs: the whole record, or only the field (stored empty, with a warning).
    public enum Severity: String, Sendable { case reject, warn }

    public var level: Level {
        switch self {
        case .satir_anahtari, .sku, .barkod, .urun_adi, .kategori, .adet, .birim_fiyat, .toplam_fiyat,
             .kdv_orani, .paket_no, .satir_platform_indirimi, .satir_durumu:
            return .line
        default:
            return .order
        }
    }

    public var kind: Kind {
        switch self {
        case .siparis_tarihi, .guncelleme_tarihi, .kargo_tarihi, .odeme_tarihi: return .date
        case .durum, .satir_durumu: return .status
        case .toplam_tutar, .kargo_ucreti, .platform_indirimi, .iade_tutari, .birim_fiyat, .toplam_fiyat,
             .satir_platform_indirimi:
            return .money
        case .adet: return .integer
        case .kdv_orani: return .vatRate
        // A VKN; platforms also put a sole trader's TCKN here (11 digits): see `OrderMapper`.
        case .vergi_numarasi: return .digits(10...11)
        case .tc_kimlik_no: return .digits(11...11)
        case .para_birimi: return .currency
        case .barkod, .kargo_takip_no, .siparis_numarasi, .sku, .satir_anahtari, .paket_no: return .identifier
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
             .fatura_adresi, .fatura_ilce, .fatura_il, .fatura_posta_kodu, .fatura_ulke, .kargo_firmasi,
             .kargo_tarihi, .odeme_tipi, .odeme_tarihi:
            return .warn
        default:
            return .reject
        }
    }

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
        level == .order ? orderValueFields : lineValueFields
    }

    static let orderValueFields = allCases.filter { !$0.isCore && $0.level == .order }
    static let lineValueFields = allCases.filter { !$0.isCore && $0.level == .line }
}
