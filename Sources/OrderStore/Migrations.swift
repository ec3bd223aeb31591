import OrderCore

/// The versioned schema. Each entry runs once, in order, tracked by `PRAGMA user_version`.
/// Table and column names are the seed's (`../shared/seeds/003_*`); additions are documented
/// in `docs/schema.md`. Money is INTEGER kuruş; every table is STRICT, so no amount can
/// silently become a REAL.
enum Migrations {
    /// From v11 on, each migration is written in the SQL both stores accept: a PostgreSQL store
    /// made before it runs it too, its types translated as ``PostgresSchema`` does.
    static let all: [String] = [v1, v2, v3, v4, v5, v6, v7, v8, v9, v10, v11, v12, v13, v14]

    /// Deleting an order (a file ingested again supersedes what an earlier ingest stored,
    /// ``OrderStore/removeUnusedOrder(_:)``) looks up every row that refers to it. The two
    /// references without an index were read whole for each order deleted: a forced re-ingest of
    /// 10,000 orders beside 20,000 logged messages took 21 s.
    static let v14 = """
    CREATE INDEX mesaj_log_siparis ON mesaj_log (siparis_id);
    CREATE INDEX fatura_aksiyonlari_siparis ON fatura_aksiyonlari (siparis_id);
    """

    /// The invoices a seller numbered but whose files are not written yet (a crash in between),
    /// found without a pass over every invoice: each export looks for them, seller by seller,
    /// and the morning flood's 200 exports over 20 sellers read 10,000 invoices each time.
    static let v13 = """
    CREATE INDEX faturalar_yazilmamis ON faturalar (kullanici_id, fatura_no) WHERE durum = 'numaralandi';
    """

    /// A seller's catalogue and stock (issue 25, `kind: products`): on each product, what a
    /// product export says of it — brand, description, page and image for feeds; stock on hand,
    /// sale price and its currency, unit cost — and when the stock was read (`stok_zamani`, UTC),
    /// so an older reading never replaces a newer one.
    static let v12 = """
    ALTER TABLE urunler ADD COLUMN marka TEXT;
    ALTER TABLE urunler ADD COLUMN aciklama TEXT;
    ALTER TABLE urunler ADD COLUMN urun_linki TEXT;
    ALTER TABLE urunler ADD COLUMN gorsel_linki TEXT;
    ALTER TABLE urunler ADD COLUMN stok_adedi INTEGER;
    ALTER TABLE urunler ADD COLUMN satis_fiyati INTEGER;
    ALTER TABLE urunler ADD COLUMN para_birimi TEXT;
    ALTER TABLE urunler ADD COLUMN kdv_orani INTEGER;
    ALTER TABLE urunler ADD COLUMN birim_maliyet INTEGER;
    ALTER TABLE urunler ADD COLUMN stok_zamani TEXT;
    """

    /// Leases on the work queue (issue 24): the worker that claimed a file and until when it holds
    /// it. A worker renews its lease while it works; a file whose lease ran out (its worker was
    /// killed) is taken over by another.
    static let v11 = """
    ALTER TABLE is_kuyrugu ADD COLUMN kilit_sahibi TEXT;
    ALTER TABLE is_kuyrugu ADD COLUMN kilit_bitis TEXT;
    """

    static let v1 = """
    CREATE TABLE kullanicilar (
        id INTEGER PRIMARY KEY,
        ad TEXT NOT NULL,
        email TEXT,
        telefon TEXT,
        sifre_hash TEXT,
        rol TEXT NOT NULL DEFAULT 'satici',
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        kod TEXT NOT NULL UNIQUE
    ) STRICT;
    CREATE TABLE roller (
        id INTEGER PRIMARY KEY,
        ad TEXT NOT NULL UNIQUE,
        aciklama TEXT
    ) STRICT;
    CREATE TABLE kullanici_rolleri (
        id INTEGER PRIMARY KEY,
        kullanici_id INTEGER NOT NULL REFERENCES kullanicilar(id),
        rol_id INTEGER NOT NULL REFERENCES roller(id),
        UNIQUE (kullanici_id, rol_id)
    ) STRICT;
    CREATE TABLE platform_turleri (
        id INTEGER PRIMARY KEY,
        ad TEXT NOT NULL UNIQUE
    ) STRICT;
    CREATE TABLE platformlar (
        id INTEGER PRIMARY KEY,
        ad TEXT NOT NULL UNIQUE,
        tip_id INTEGER NOT NULL REFERENCES platform_turleri(id),
        api_url TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    ) STRICT;
    CREATE TABLE entegrasyonlar (
        id INTEGER PRIMARY KEY,
        kullanici_id INTEGER NOT NULL REFERENCES kullanicilar(id),
        platform_id INTEGER NOT NULL REFERENCES platformlar(id),
        api_key TEXT,
        api_secret TEXT,
        kullanici_adi TEXT,
        sifre TEXT,
        extra_config TEXT CHECK (extra_config IS NULL OR json_valid(extra_config)),
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        UNIQUE (kullanici_id, platform_id)
    ) STRICT;
    CREATE TABLE kaynak_dosyalar (
        id INTEGER PRIMARY KEY,
        kullanici_id INTEGER NOT NULL REFERENCES kullanicilar(id),
        sha256 TEXT NOT NULL CHECK (length(sha256) = 64),
        dosya_adi TEXT NOT NULL,
        boyut INTEGER NOT NULL,
        eslesme TEXT NOT NULL,
        siparis_sayisi INTEGER NOT NULL DEFAULT 0,
        satir_sayisi INTEGER NOT NULL DEFAULT 0,
        reddedilen INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL,
        UNIQUE (kullanici_id, sha256)
    ) STRICT;
    CREATE TABLE siparisler (
        id INTEGER PRIMARY KEY,
        kullanici_id INTEGER NOT NULL REFERENCES kullanicilar(id),
        entegrasyon_id INTEGER NOT NULL REFERENCES entegrasyonlar(id),
        siparis_numarasi TEXT NOT NULL,
        toplam_tutar INTEGER NOT NULL,
        kargo_ucreti INTEGER NOT NULL DEFAULT 0,
        odeme_durumu TEXT,
        durum TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        siparis_tarihi TEXT,
        para_birimi TEXT NOT NULL DEFAULT 'TRY' CHECK (length(para_birimi) = 3),
        platform_durumu TEXT,
        platform_indirimi INTEGER NOT NULL DEFAULT 0,
        musteri_adi TEXT, musteri_email TEXT, musteri_telefon TEXT, firma_adi TEXT,
        vergi_numarasi TEXT CHECK (vergi_numarasi IS NULL OR length(vergi_numarasi) = 10),
        vergi_dairesi TEXT,
        tc_kimlik_no TEXT CHECK (tc_kimlik_no IS NULL OR length(tc_kimlik_no) = 11),
        teslimat_adresi TEXT, teslimat_ilce TEXT, teslimat_il TEXT, teslimat_posta_kodu TEXT, teslimat_ulke TEXT,
        fatura_adresi TEXT, fatura_ilce TEXT, fatura_il TEXT, fatura_posta_kodu TEXT, fatura_ulke TEXT,
        kargo_firmasi TEXT, kargo_takip_no TEXT,
        kaynak_dosya_id INTEGER REFERENCES kaynak_dosyalar(id),
        kaynak_satir INTEGER,
        UNIQUE (entegrasyon_id, siparis_numarasi)
    ) STRICT;
    CREATE INDEX siparisler_kullanici ON siparisler (kullanici_id);
    CREATE TABLE urunler (
        id INTEGER PRIMARY KEY,
        sku TEXT NOT NULL,
        ad TEXT,
        kategori TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        kullanici_id INTEGER NOT NULL REFERENCES kullanicilar(id),
        barkod TEXT,
        UNIQUE (kullanici_id, sku)
    ) STRICT;
    CREATE TABLE siparis_urunleri (
        id INTEGER PRIMARY KEY,
        siparis_id INTEGER NOT NULL REFERENCES siparisler(id) ON DELETE CASCADE,
        urun_id INTEGER NOT NULL REFERENCES urunler(id),
        adet INTEGER NOT NULL CHECK (adet > 0),
        birim_fiyat INTEGER NOT NULL,
        toplam_fiyat INTEGER NOT NULL,
        satir_anahtari TEXT NOT NULL,
        kdv_orani INTEGER NOT NULL CHECK (kdv_orani IN (0, 1, 8, 10, 18, 20)),
        barkod TEXT,
        urun_adi TEXT,
        paket_no TEXT,
        platform_indirimi INTEGER NOT NULL DEFAULT 0,
        durum TEXT NOT NULL,
        kaynak_dosya_id INTEGER REFERENCES kaynak_dosyalar(id),
        UNIQUE (siparis_id, satir_anahtari)
    ) STRICT;
    CREATE INDEX siparis_urunleri_urun ON siparis_urunleri (urun_id);
    CREATE TABLE siparis_dosyalari (
        id INTEGER PRIMARY KEY,
        siparis_id INTEGER NOT NULL REFERENCES siparisler(id),
        dosya_turu TEXT NOT NULL,
        dosya_url TEXT NOT NULL,
        created_at TEXT NOT NULL
    ) STRICT;
    CREATE TABLE is_kuyrugu (
        id INTEGER PRIMARY KEY,
        tip TEXT NOT NULL,
        veri TEXT NOT NULL CHECK (json_valid(veri)),
        durum TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    ) STRICT;
    CREATE TABLE sistem_log (
        id INTEGER PRIMARY KEY,
        kullanici_id INTEGER REFERENCES kullanicilar(id),
        tablo TEXT,
        tablo_id INTEGER,
        islem TEXT NOT NULL,
        mesaj TEXT,
        created_at TEXT NOT NULL
    ) STRICT;
    CREATE TABLE hata_log (
        id INTEGER PRIMARY KEY,
        ilgili_tablo TEXT,
        ilgili_id INTEGER,
        hata_mesaji TEXT NOT NULL,
        raw_response TEXT CHECK (raw_response IS NULL OR json_valid(raw_response)),
        created_at TEXT NOT NULL
    ) STRICT;
    CREATE TABLE mesaj_log (
        id INTEGER PRIMARY KEY,
        siparis_id INTEGER REFERENCES siparisler(id),
        kanal TEXT,
        alici TEXT,
        mesaj TEXT,
        dosya_url TEXT,
        durum TEXT,
        created_at TEXT NOT NULL
    ) STRICT;
    INSERT INTO roller (ad, aciklama) VALUES
        ('admin', 'Yönetici: eşleme dosyalarını düzenler'),
        ('satici', 'Satıcı: dosya bırakır'),
        ('operator', 'Operatör: hataları izler');
    """

    /// Invoices and ERP exports (the outbox).
    static let v2 = """
    CREATE TABLE fatura_sayaclari (
        kullanici_id INTEGER NOT NULL REFERENCES kullanicilar(id),
        yil INTEGER NOT NULL,
        son_numara INTEGER NOT NULL CHECK (son_numara BETWEEN 1 AND 999999999),
        PRIMARY KEY (kullanici_id, yil)
    ) STRICT;
    CREATE TABLE faturalar (
        id INTEGER PRIMARY KEY,
        siparis_id INTEGER NOT NULL UNIQUE REFERENCES siparisler(id),
        kullanici_id INTEGER NOT NULL REFERENCES kullanicilar(id),
        fatura_no TEXT NOT NULL UNIQUE CHECK (length(fatura_no) = 16),
        ettn TEXT NOT NULL UNIQUE,
        profil TEXT NOT NULL,
        tip TEXT NOT NULL,
        duzenleme_zamani TEXT NOT NULL,
        durum TEXT NOT NULL CHECK (durum IN ('numaralandi', 'yazildi')),
        dosya_yolu TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    ) STRICT;
    CREATE TABLE erp_dosyalari (
        id INTEGER PRIMARY KEY,
        kullanici_id INTEGER NOT NULL REFERENCES kullanicilar(id),
        format TEXT NOT NULL,
        dosya_yolu TEXT NOT NULL UNIQUE,
        durum TEXT NOT NULL CHECK (durum IN ('planlandi', 'yazildi')),
        created_at TEXT NOT NULL
    ) STRICT;
    CREATE TABLE erp_aktarimlari (
        id INTEGER PRIMARY KEY,
        siparis_id INTEGER NOT NULL REFERENCES siparisler(id),
        format TEXT NOT NULL,
        dosya_id INTEGER NOT NULL REFERENCES erp_dosyalari(id),
        UNIQUE (siparis_id, format)
    ) STRICT;
    CREATE INDEX siparis_dosyalari_siparis ON siparis_dosyalari (siparis_id, dosya_turu);
    """

    /// The watcher's queue: attempts and the last error on `is_kuyrugu`; which job ingested a file.
    static let v3 = """
    ALTER TABLE is_kuyrugu ADD COLUMN deneme_sayisi INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE is_kuyrugu ADD COLUMN son_hata TEXT;
    CREATE INDEX is_kuyrugu_durum ON is_kuyrugu (durum, id);
    ALTER TABLE kaynak_dosyalar ADD COLUMN is_kuyrugu_id INTEGER REFERENCES is_kuyrugu(id);
    """

    /// v4: no index on `siparis_urunleri.urun_id`. Lines arrive in order-number order but their
    /// products in random order, so that index was updated all over the table: once it outgrew
    /// SQLite's page cache every line cost a page read, and a large export slowed down as the
    /// table grew (100k N11 orders: 5.7 s with it, 4.4 s without). Nothing reads lines by product,
    /// and products are never deleted (the foreign key's other use).
    static let v4 = """
    DROP INDEX IF EXISTS siparis_urunleri_urun;
    """

    /// v5, orders as they live: a file's content is a duplicate only of a run that landed whole
    /// (no UNIQUE on the checksum, a warning count); a cancelled line may have quantity 0; warnings
    /// in `hata_log`; the status history; the actions an invoiced order's change calls for; the
    /// orders held back from invoicing, with the reason.
    /// Runs with foreign keys off (SQLite's table rebuild procedure); checked afterwards.
    static let v5 = """
    CREATE TABLE kaynak_dosyalar_v5 (
        id INTEGER PRIMARY KEY,
        kullanici_id INTEGER NOT NULL REFERENCES kullanicilar(id),
        sha256 TEXT NOT NULL CHECK (length(sha256) = 64),
        dosya_adi TEXT NOT NULL,
        boyut INTEGER NOT NULL,
        eslesme TEXT NOT NULL,
        siparis_sayisi INTEGER NOT NULL DEFAULT 0,
        satir_sayisi INTEGER NOT NULL DEFAULT 0,
        reddedilen INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL,
        is_kuyrugu_id INTEGER REFERENCES is_kuyrugu(id),
        uyari_sayisi INTEGER NOT NULL DEFAULT 0,
        eskimis_sayisi INTEGER NOT NULL DEFAULT 0
    ) STRICT;
    INSERT INTO kaynak_dosyalar_v5 (id, kullanici_id, sha256, dosya_adi, boyut, eslesme, siparis_sayisi, satir_sayisi,
        reddedilen, created_at, is_kuyrugu_id)
        SELECT id, kullanici_id, sha256, dosya_adi, boyut, eslesme, siparis_sayisi, satir_sayisi, reddedilen, created_at,
        is_kuyrugu_id FROM kaynak_dosyalar;
    DROP TABLE kaynak_dosyalar;
    ALTER TABLE kaynak_dosyalar_v5 RENAME TO kaynak_dosyalar;
    CREATE INDEX kaynak_dosyalar_sha ON kaynak_dosyalar (kullanici_id, sha256);

    CREATE TABLE siparis_urunleri_v5 (
        id INTEGER PRIMARY KEY,
        siparis_id INTEGER NOT NULL REFERENCES siparisler(id) ON DELETE CASCADE,
        urun_id INTEGER NOT NULL REFERENCES urunler(id),
        adet INTEGER NOT NULL CHECK (adet > 0 OR (adet = 0 AND durum IN ('iptal', 'iade'))),
        birim_fiyat INTEGER NOT NULL,
        toplam_fiyat INTEGER NOT NULL,
        satir_anahtari TEXT NOT NULL,
        -- Comparisons, not IN (…): SQLite builds a table for a list of more than two values on every
        -- run of a statement that checks it (an order's lines). An older SQLite store has it respelled
        -- when opened (OrderStore.respellVATCheck).
        kdv_orani INTEGER NOT NULL CHECK (kdv_orani = 0 OR kdv_orani = 1 OR kdv_orani = 8 OR kdv_orani = 10
                                          OR kdv_orani = 18 OR kdv_orani = 20),
        barkod TEXT,
        urun_adi TEXT,
        paket_no TEXT,
        platform_indirimi INTEGER NOT NULL DEFAULT 0,
        durum TEXT NOT NULL,
        kaynak_dosya_id INTEGER REFERENCES kaynak_dosyalar(id),
        UNIQUE (siparis_id, satir_anahtari)
    ) STRICT;
    INSERT INTO siparis_urunleri_v5 (id, siparis_id, urun_id, adet, birim_fiyat, toplam_fiyat, satir_anahtari, kdv_orani,
        barkod, urun_adi, paket_no, platform_indirimi, durum, kaynak_dosya_id)
        SELECT id, siparis_id, urun_id, adet, birim_fiyat, toplam_fiyat, satir_anahtari, kdv_orani,
        barkod, urun_adi, paket_no, platform_indirimi, durum, kaynak_dosya_id FROM siparis_urunleri;
    DROP TABLE siparis_urunleri;
    ALTER TABLE siparis_urunleri_v5 RENAME TO siparis_urunleri;

    ALTER TABLE hata_log ADD COLUMN seviye TEXT NOT NULL DEFAULT 'hata' CHECK (seviye IN ('hata', 'uyari'));

    CREATE TABLE siparis_durum_gecmisi (
        id INTEGER PRIMARY KEY,
        siparis_id INTEGER NOT NULL REFERENCES siparisler(id) ON DELETE CASCADE,
        satir_anahtari TEXT,
        eski_durum TEXT,
        yeni_durum TEXT NOT NULL,
        platform_durumu TEXT,
        platform_zamani TEXT,
        kaynak_dosya_id INTEGER REFERENCES kaynak_dosyalar(id),
        created_at TEXT NOT NULL
    ) STRICT;
    CREATE INDEX siparis_durum_gecmisi_siparis ON siparis_durum_gecmisi (siparis_id, id);

    CREATE TABLE fatura_aksiyonlari (
        id INTEGER PRIMARY KEY,
        fatura_id INTEGER NOT NULL REFERENCES faturalar(id),
        siparis_id INTEGER NOT NULL REFERENCES siparisler(id),
        kullanici_id INTEGER NOT NULL REFERENCES kullanicilar(id),
        aksiyon TEXT NOT NULL CHECK (aksiyon IN ('earsiv_iptal', 'gider_pusulasi', 'alici_iade_faturasi')),
        anahtar TEXT NOT NULL,
        tutar INTEGER NOT NULL,
        neden TEXT NOT NULL,
        kaynak_dosya_id INTEGER REFERENCES kaynak_dosyalar(id),
        tespit_zamani TEXT NOT NULL,
        durum TEXT NOT NULL DEFAULT 'acik' CHECK (durum IN ('acik', 'tamamlandi')),
        dosya_yolu TEXT,
        yazildi INTEGER NOT NULL DEFAULT 0 CHECK (yazildi IN (0, 1)),
        UNIQUE (fatura_id, anahtar)
    ) STRICT;
    CREATE INDEX fatura_aksiyonlari_durum ON fatura_aksiyonlari (kullanici_id, yazildi, durum);

    ALTER TABLE is_kuyrugu ADD COLUMN cokme_sayisi INTEGER NOT NULL DEFAULT 0;

    CREATE TABLE fatura_bekletmeleri (
        siparis_id INTEGER PRIMARY KEY REFERENCES siparisler(id) ON DELETE CASCADE,
        kullanici_id INTEGER NOT NULL REFERENCES kullanicilar(id),
        neden TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    ) STRICT;
    """

    /// v6, invoices GİB and an accountant accept: a counter per invoice series (e-Fatura and
    /// e-Arşiv each have their own), what an internet sale's invoice still lacks, where each
    /// platform's sales happen and who collects for it, and GİB's e-Fatura user list (loaded whole,
    /// switched atomically: `gib_listeleri.durum` `yukleniyor` → `aktif`).
    static let v6 = """
    CREATE TABLE fatura_sayaclari_v6 (
        kullanici_id INTEGER NOT NULL REFERENCES kullanicilar(id),
        seri TEXT NOT NULL CHECK (length(seri) = 3),
        yil INTEGER NOT NULL,
        son_numara INTEGER NOT NULL CHECK (son_numara BETWEEN 1 AND 999999999),
        PRIMARY KEY (kullanici_id, seri, yil)
    ) STRICT;
    INSERT INTO fatura_sayaclari_v6 (kullanici_id, seri, yil, son_numara)
        SELECT kullanici_id, substr(fatura_no, 1, 3), CAST(substr(fatura_no, 4, 4) AS INTEGER), max(CAST(substr(fatura_no, 8) AS INTEGER))
        FROM faturalar GROUP BY 1, 2, 3;
    DROP TABLE fatura_sayaclari;
    ALTER TABLE fatura_sayaclari_v6 RENAME TO fatura_sayaclari;
    ALTER TABLE faturalar ADD COLUMN eksik_bilgi TEXT;
    ALTER TABLE platformlar ADD COLUMN satis_adresi TEXT;
    ALTER TABLE platformlar ADD COLUMN odeme_aracisi TEXT;

    CREATE TABLE gib_listeleri (
        id INTEGER PRIMARY KEY,
        dosya_adi TEXT NOT NULL,
        sha256 TEXT NOT NULL,
        kullanici_sayisi INTEGER NOT NULL DEFAULT 0,
        durum TEXT NOT NULL CHECK (durum IN ('yukleniyor', 'aktif', 'eski')),
        created_at TEXT NOT NULL
    ) STRICT;
    CREATE TABLE gib_kullanicilari (
        liste_id INTEGER NOT NULL REFERENCES gib_listeleri(id) ON DELETE CASCADE,
        kimlik TEXT NOT NULL,
        unvan TEXT,
        tur TEXT NOT NULL CHECK (tur IN ('OZEL', 'KAMU')),
        baslangic INTEGER NOT NULL,
        bitis INTEGER
    ) STRICT;
    CREATE INDEX gib_kullanicilari_kimlik ON gib_kullanicilari (liste_id, kimlik);
    """

    /// v7, the whole inbox: carriers' shipment events (kept, applied to their order, or waiting
    /// for it), invoices an e-invoice provider sent back, and orders found by tracking number.
    /// Identifying columns are '' rather than NULL where they form a unique key (SQLite treats
    /// NULLs as distinct), so an event repeated by the next day's export is recognised.
    static let v7 = """
    CREATE TABLE gonderi_olaylari (
        id INTEGER PRIMARY KEY,
        kullanici_id INTEGER NOT NULL REFERENCES kullanicilar(id),
        siparis_id INTEGER REFERENCES siparisler(id),
        siparis_numarasi TEXT NOT NULL DEFAULT '',
        kargo_takip_no TEXT NOT NULL DEFAULT '',
        kargo_referansi TEXT NOT NULL DEFAULT '',
        kargo_firmasi TEXT,
        durum TEXT NOT NULL CHECK (durum IN ('olusturuldu', 'yolda', 'dagitimda', 'teslim_edildi', 'teslim_edilemedi', 'iade',
                                              'iptal', 'sorunlu')),
        kargo_durum_kodu TEXT NOT NULL DEFAULT '',
        kargo_durum_aciklamasi TEXT,
        olay_zamani TEXT NOT NULL DEFAULT '',
        teslim_tarihi TEXT,
        sonuc TEXT,
        kaynak_dosya_id INTEGER REFERENCES kaynak_dosyalar(id),
        kaynak_satir INTEGER,
        created_at TEXT NOT NULL,
        uygulama_zamani TEXT,
        UNIQUE (kullanici_id, siparis_numarasi, kargo_takip_no, kargo_referansi, durum, kargo_durum_kodu, olay_zamani)
    ) STRICT;
    CREATE INDEX gonderi_olaylari_bekleyen ON gonderi_olaylari (kullanici_id, id) WHERE siparis_id IS NULL;
    CREATE INDEX gonderi_olaylari_siparis ON gonderi_olaylari (siparis_id);
    CREATE INDEX siparisler_takip ON siparisler (kargo_takip_no) WHERE kargo_takip_no IS NOT NULL;

    CREATE TABLE gelen_faturalar (
        id INTEGER PRIMARY KEY,
        kullanici_id INTEGER NOT NULL REFERENCES kullanicilar(id),
        siparis_id INTEGER REFERENCES siparisler(id),
        fatura_no TEXT NOT NULL,
        ettn TEXT NOT NULL,
        fatura_tarihi TEXT NOT NULL,
        profil TEXT,
        tip TEXT,
        siparis_numarasi TEXT,
        alici_kimlik_no TEXT,
        para_birimi TEXT NOT NULL DEFAULT 'TRY',
        odenecek_tutar INTEGER NOT NULL,
        vergi_haric_tutar INTEGER,
        kdv_tutari INTEGER,
        iade_edilen_fatura_no TEXT,
        eslesme TEXT NOT NULL CHECK (eslesme IN ('siparis_no', 'fatura_no', 'tahmin', 'yok')),
        durum TEXT NOT NULL CHECK (durum IN ('eslesti', 'tutar_farkli', 'eslesmedi', 'belirsiz')),
        aciklama TEXT,
        dosya_yolu TEXT,
        kaynak_dosya_id INTEGER REFERENCES kaynak_dosyalar(id),
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        UNIQUE (kullanici_id, ettn)
    ) STRICT;
    CREATE INDEX gelen_faturalar_bekleyen ON gelen_faturalar (kullanici_id, id) WHERE siparis_id IS NULL;
    CREATE INDEX gelen_faturalar_siparis ON gelen_faturalar (siparis_id);
    """

    /// API keys of the HTTP server: each belongs to a user of `kullanicilar` (a seller's own row,
    /// or a row of its own for an operator's or admin's key) with its role in `roller`; only the
    /// key's SHA-256 is kept.
    static let v8 = """
    CREATE TABLE api_anahtarlari (
        id INTEGER PRIMARY KEY,
        kullanici_id INTEGER NOT NULL REFERENCES kullanicilar(id),
        rol_id INTEGER NOT NULL REFERENCES roller(id),
        ad TEXT,
        anahtar_hash TEXT NOT NULL UNIQUE,
        created_at TEXT NOT NULL,
        iptal_tarihi TEXT
    ) STRICT;
    """

    /// v9: an e-Fatura's cancellation request is an action of its own; each action keeps its
    /// deadline (`son_tarih`, the last day, where one applies).
    static let v9 = """
    CREATE TABLE fatura_aksiyonlari_v9 (
        id INTEGER PRIMARY KEY,
        fatura_id INTEGER NOT NULL REFERENCES faturalar(id),
        siparis_id INTEGER NOT NULL REFERENCES siparisler(id),
        kullanici_id INTEGER NOT NULL REFERENCES kullanicilar(id),
        aksiyon TEXT NOT NULL CHECK (aksiyon IN ('earsiv_iptal', 'gider_pusulasi', 'alici_iade_faturasi', 'efatura_iptal_talebi')),
        anahtar TEXT NOT NULL,
        tutar INTEGER NOT NULL,
        neden TEXT NOT NULL,
        son_tarih TEXT,
        kaynak_dosya_id INTEGER REFERENCES kaynak_dosyalar(id),
        tespit_zamani TEXT NOT NULL,
        durum TEXT NOT NULL DEFAULT 'acik' CHECK (durum IN ('acik', 'tamamlandi')),
        dosya_yolu TEXT,
        yazildi INTEGER NOT NULL DEFAULT 0 CHECK (yazildi IN (0, 1)),
        UNIQUE (fatura_id, anahtar)
    ) STRICT;
    INSERT INTO fatura_aksiyonlari_v9 (id, fatura_id, siparis_id, kullanici_id, aksiyon, anahtar, tutar, neden, kaynak_dosya_id,
        tespit_zamani, durum, dosya_yolu, yazildi)
        SELECT id, fatura_id, siparis_id, kullanici_id, aksiyon, anahtar, tutar, neden, kaynak_dosya_id, tespit_zamani, durum,
               dosya_yolu, yazildi FROM fatura_aksiyonlari;
    DROP TABLE fatura_aksiyonlari;
    ALTER TABLE fatura_aksiyonlari_v9 RENAME TO fatura_aksiyonlari;
    CREATE INDEX fatura_aksiyonlari_durum ON fatura_aksiyonlari (kullanici_id, yazildi, durum);
    """

    /// v10: exchange rates as reference data (`doviz_kurlari`: one row per bulletin day and
    /// currency, the four rates per unit as published, exact decimal text), and the rate an
    /// invoice in another currency was issued at (`faturalar.doviz_kuru` and its day, kind and
    /// bulletin), so a rebuilt invoice and every ERP file take the same rate; a received invoice's
    /// rate and its day (`gelen_faturalar.doviz_kuru`, `kur_tarihi`).
    static let v10 = """
    CREATE TABLE doviz_kurlari (
        kur_tarihi TEXT NOT NULL CHECK (length(kur_tarihi) = 10),
        doviz_kodu TEXT NOT NULL CHECK (length(doviz_kodu) = 3),
        birim INTEGER NOT NULL CHECK (birim > 0),
        doviz_alis TEXT,
        doviz_satis TEXT,
        efektif_alis TEXT,
        efektif_satis TEXT,
        bulten_no TEXT,
        kaynak TEXT NOT NULL,
        sha256 TEXT NOT NULL,
        created_at TEXT NOT NULL,
        PRIMARY KEY (kur_tarihi, doviz_kodu)
    ) STRICT;
    CREATE INDEX doviz_kurlari_doviz ON doviz_kurlari (doviz_kodu, kur_tarihi);
    ALTER TABLE faturalar ADD COLUMN doviz_kodu TEXT;
    ALTER TABLE faturalar ADD COLUMN doviz_kuru TEXT;
    ALTER TABLE faturalar ADD COLUMN kur_turu TEXT;
    ALTER TABLE faturalar ADD COLUMN kur_tarihi TEXT;
    ALTER TABLE faturalar ADD COLUMN kur_bulten_no TEXT;
    ALTER TABLE gelen_faturalar ADD COLUMN doviz_kuru TEXT;
    ALTER TABLE gelen_faturalar ADD COLUMN kur_tarihi TEXT;
    """

    /// The value columns of ``TargetField`` (`siparisler` for order fields, `siparis_urunleri` for
    /// line fields), added when a declared field has no column yet: declaring a field is all it
    /// takes to store it. Money is INTEGER kuruş, anything else TEXT.
    static func declaredColumns(existing: (String) throws(StoreError) -> Set<String>) throws(StoreError) -> [String] {
        var statements: [String] = []
        for (level, table) in [(TargetField.Level.order, "siparisler"), (.line, "siparis_urunleri")] {
            let have = try existing(table)
            for field in TargetField.valueFields(level) where !have.contains(field.rawValue) {
                statements.append("ALTER TABLE \(table) ADD COLUMN \(field.rawValue) \(field.kind == .money ? "INTEGER" : "TEXT")")
            }
        }
        return statements
    }
}
