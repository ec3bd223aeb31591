#!/usr/bin/env python3
"""The straightforward Python ETL a user would write instead of PraIngest: the same mapping
(order number, date, status, totals, customer, lines with SKU/quantity/prices/KDV) and the
same upserts into the same tables, in one transaction.

usage: reference_etl.py n11|shopify|userlist FILE DB   (DB must already have PraIngest's schema)
"""
import csv, sqlite3, sys
from datetime import datetime, timezone, timedelta
from decimal import Decimal

TR = timezone(timedelta(hours=3))

def kurus(text):
    return int((Decimal(text or "0") * 100).to_integral_value())

def setup(db):
    con = sqlite3.connect(db)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("BEGIN")
    now = datetime.now(timezone.utc).isoformat()
    con.execute("INSERT OR IGNORE INTO kullanicilar (ad, kod, rol, created_at, updated_at) VALUES ('demo','demo','satici',?,?)", (now, now))
    seller = con.execute("SELECT id FROM kullanicilar WHERE kod='demo'").fetchone()[0]
    con.execute("INSERT OR IGNORE INTO platform_turleri (ad) VALUES ('marketplace')")
    con.execute("INSERT OR IGNORE INTO platformlar (ad, tip_id, created_at, updated_at) VALUES ('Ref', 1, ?, ?)", (now, now))
    platform = con.execute("SELECT id FROM platformlar WHERE ad='Ref'").fetchone()[0]
    con.execute("INSERT OR IGNORE INTO entegrasyonlar (kullanici_id, platform_id, created_at, updated_at) VALUES (?,?,?,?)", (seller, platform, now, now))
    integ = con.execute("SELECT id FROM entegrasyonlar WHERE kullanici_id=? AND platform_id=?", (seller, platform)).fetchone()[0]
    return con, seller, integ, now

def write(con, seller, integ, now, order, lines, products):
    oid = con.execute("""INSERT INTO siparisler (kullanici_id, entegrasyon_id, siparis_numarasi, toplam_tutar, kargo_ucreti, durum,
        created_at, updated_at, siparis_tarihi, para_birimi, musteri_adi, teslimat_il)
        VALUES (?,?,?,?,?,?,?,?,?,?,?,?)
        ON CONFLICT (entegrasyon_id, siparis_numarasi) DO UPDATE SET toplam_tutar=excluded.toplam_tutar,
        kargo_ucreti=excluded.kargo_ucreti, durum=excluded.durum, updated_at=excluded.updated_at RETURNING id""",
        (seller, integ, order["number"], order["total"], order["shipping"], order["status"], now, now, order["date"],
         order["currency"], order["name"], order["city"])).fetchone()[0]
    for key, sku, name, qty, unit, total in lines:
        pid = products.get(sku)
        if pid is None:
            pid = con.execute("""INSERT INTO urunler (kullanici_id, sku, ad, created_at, updated_at) VALUES (?,?,?,?,?)
                ON CONFLICT (kullanici_id, sku) DO UPDATE SET ad=excluded.ad RETURNING id""", (seller, sku, name, now, now)).fetchone()[0]
            products[sku] = pid
        con.execute("""INSERT INTO siparis_urunleri (siparis_id, urun_id, adet, birim_fiyat, toplam_fiyat, satir_anahtari, kdv_orani,
            urun_adi, durum) VALUES (?,?,?,?,?,?,20,?,?)
            ON CONFLICT (siparis_id, satir_anahtari) DO UPDATE SET adet=excluded.adet, toplam_fiyat=excluded.toplam_fiyat""",
            (oid, pid, qty, unit, total, key, name, order["status"]))

def n11(path, db):
    from lxml import etree
    con, seller, integ, now = setup(db)
    products, n = {}, 0
    statuses = {"1": "yeni", "2": "onaylandi", "5": "kargoda", "6": "teslim_edildi"}
    for _, el in etree.iterparse(path, tag="order", resolve_entities=False, no_network=True):
        lines = []
        for it in el.iterfind("orderItemList/orderItem"):
            qty = int(it.findtext("quantity"))
            lines.append((it.findtext("id"), it.findtext("productSellerCode"), it.findtext("productName"), qty,
                          kurus(it.findtext("price")), kurus(it.findtext("sellerInvoiceAmount"))))
        total = kurus(el.findtext("totalAmount"))
        if sum(l[5] for l in lines) != total:
            raise SystemExit(f"order {el.findtext('orderNumber')} does not reconcile")
        date = datetime.strptime(el.findtext("createDate"), "%d/%m/%Y %H:%M").replace(tzinfo=TR).isoformat()
        write(con, seller, integ, now, dict(number=el.findtext("orderNumber"), total=total, shipping=0, date=date,
              status=statuses.get(el.findtext("status"), "yeni"), currency="TRY", name=el.findtext("buyer/fullName"),
              city=el.findtext("shippingAddress/city")), lines, products)
        n += 1
        el.clear()
        while el.getprevious() is not None:
            del el.getparent()[0]
    con.commit()
    return n

def shopify(path, db):
    con, seller, integ, now = setup(db)
    products, n = {}, 0
    def flush(rows):
        first = rows[0]
        lines = []
        for k, r in enumerate(rows):
            qty = int(r["Lineitem quantity"])
            total = int((Decimal(r["Lineitem price"]) * qty - Decimal(r["Lineitem discount"] or "0")) * 100)
            lines.append((str(k + 1), r["Lineitem sku"] or r["Lineitem name"], r["Lineitem name"], qty, total // qty, total))
        shipping, total = kurus(first["Shipping"]), kurus(first["Total"])
        if sum(l[5] for l in lines) + shipping != total:
            raise SystemExit(f"order {first['Name']} does not reconcile")
        date = datetime.strptime(first["Created at"], "%Y-%m-%d %H:%M:%S %z").isoformat()
        write(con, seller, integ, now, dict(number=first["Name"], total=total, shipping=shipping, date=date,
              status="kargoda" if first["Fulfillment Status"] == "fulfilled" else "yeni", currency=first["Currency"],
              name=first["Billing Name"], city=first["Shipping City"]), lines, products)
    with open(path, newline="", encoding="utf-8") as f:
        rows = []
        for r in csv.DictReader(f):
            if rows and r["Name"] != rows[0]["Name"]:
                flush(rows)
                n += 1
                rows = []
            rows.append(r)
        if rows:
            flush(rows)
            n += 1
    con.commit()
    return n

def userlist(path, db):
    """GİB's user list from its zip: one row per registration period of an invoice alias."""
    import zipfile
    from lxml import etree
    con = sqlite3.connect(db)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("BEGIN")
    now = datetime.now(timezone.utc).isoformat()
    list_id = con.execute("INSERT INTO gib_listeleri (dosya_adi, sha256, durum, created_at) VALUES (?, '', 'yukleniyor', ?) RETURNING id",
                          (path, now)).fetchone()[0]
    epoch = lambda t: int(datetime.fromisoformat(t).timestamp())
    n = 0
    with zipfile.ZipFile(path) as z, z.open(z.namelist()[0]) as f:
        for _, user in etree.iterparse(f, tag="User", resolve_entities=False, no_network=True):
            for alias in user.iterfind("Documents/Document[@type='Invoice']/Alias"):
                deleted = alias.findtext("DeletionTime")
                con.execute("INSERT INTO gib_kullanicilari (liste_id, kimlik, unvan, tur, baslangic, bitis) VALUES (?,?,?,?,?,?)",
                            (list_id, user.findtext("Identifier"), user.findtext("Title"), user.findtext("Type"),
                             epoch(alias.findtext("CreationTime")), epoch(deleted) if deleted else None))
            n += 1
            user.clear()
            while user.getprevious() is not None:
                del user.getparent()[0]
    con.execute("UPDATE gib_listeleri SET durum='aktif', kullanici_sayisi=? WHERE id=?", (n, list_id))
    con.commit()
    return n

if __name__ == "__main__":
    kind, path, db = sys.argv[1:4]
    print({"n11": n11, "shopify": shopify, "userlist": userlist}[kind](path, db), "records")
