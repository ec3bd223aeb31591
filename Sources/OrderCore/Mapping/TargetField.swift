/// A field of the order schema that a mapping rule can fill. The raw value is the name an
/// admin writes in a mapping file, which is also the column name in the database.
public enum TargetField: String, Sendable, CaseIterable {
    // Order level (`siparisler`).
    case siparis_numarasi, siparis_tarihi, durum, platform_durumu, odeme_durumu, para_birimi
    case toplam_tutar, kargo_ucreti, platform_indirimi
    case musteri_adi, musteri_email, musteri_telefon, firma_adi, vergi_numarasi, vergi_dairesi, tc_kimlik_no
    case teslimat_adresi, teslimat_ilce, teslimat_il, teslimat_posta_kodu, teslimat_ulke
    case fatura_adresi, fatura_ilce, fatura_il, fatura_posta_kodu, fatura_ulke
    case kargo_firmasi, kargo_takip_no
    // Line level (`siparis_urunleri` and `urunler`).
    case satir_anahtari, sku, barkod, urun_adi, kategori, adet, birim_fiyat, toplam_fiyat
    case kdv_orani, paket_no
    case satir_platform_indirimi, satir_durumu

    /// Whether the field belongs to the order or to each line.
    public enum Level: String, Sendable { case order, line }

    /// How a raw value becomes a typed one.
    public enum Kind: Sendable, Equatable {
        case text, identifier, money, integer, vatRate, date, status, currency
        case digits(Int)
    }

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
        case .siparis_tarihi: return .date
        case .durum, .satir_durumu: return .status
        case .toplam_tutar, .kargo_ucreti, .platform_indirimi, .birim_fiyat, .toplam_fiyat,
             .satir_platform_indirimi:
            return .money
        case .adet: return .integer
        case .kdv_orani: return .vatRate
        case .vergi_numarasi: return .digits(10)
        case .tc_kimlik_no: return .digits(11)
        case .para_birimi: return .currency
        case .barkod, .kargo_takip_no, .siparis_numarasi, .sku, .satir_anahtari, .paket_no: return .identifier
        default: return .text
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
}
