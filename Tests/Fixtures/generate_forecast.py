#!/usr/bin/env python3
"""Writes the forecast fixtures: two years of daily sales of SKUs of known shapes, sold on
Hepsiburada (panel CSV) and Shopify (orders export CSV) together, with cancelled and returned
orders that must not count, a stock list in the generic products CSV, and the true daily means
of the 28 days after the history (docs/fixtures.md).

Run from the repository root: python3 Tests/Fixtures/generate_forecast.py
"""
import csv, io, math, os, random
from datetime import date, timedelta
from generate import HB_HEADER, HERE, hb_row, write_xlsx

OUT = os.path.join(HERE, "forecast")
START = date(2024, 11, 1)
AS_OF = date(2026, 11, 1)          # the first day forecast; the history ends the day before
DAYS = (AS_OF - START).days        # 730
HORIZON = 28
WEEK = [0.8, 0.9, 1.0, 1.0, 1.1, 1.4, 0.8]   # Monday first

def poisson(rng, mean):
    if mean <= 0:
        return 0
    if mean > 30:
        return max(0, round(rng.gauss(mean, math.sqrt(mean))))
    l, k, p = math.exp(-mean), 0, 1.0
    while True:
        p *= rng.random()
        if p <= l:
            return k
        k += 1

# Each SKU: its shape as the expected demand of day t (days since START) and a sampler.
def seasonal_trend(level, growth):
    return lambda t: level * (1 + growth * t / 30) * WEEK[(START + timedelta(t)).weekday()]

SKUS = [
    # sku, name, price (TL), kind, mean(t) or (probability, max size)
    ("KUPA-01", "Seramik Kupa", 149.90, "poisson", seasonal_trend(8, 0.015)),
    ("TSH-01-M", "Basic T-Shirt M", 299.99, "poisson", seasonal_trend(5, 0.02)),
    # Price cut from 129,00 to 109,00 TL on day 400; demand follows with an elasticity of -2.
    ("CAY-500", "Çay 500 g", 129.00, "poisson", lambda t: 6 * (price_of("CAY-500", 129.00, t) / 129.00) ** -2 * WEEK[(START + timedelta(t)).weekday()]),
    ("ASKI-9", "Askı", 39.90, "intermittent", (0.25, 3)),
    ("KILIF-X", "Telefon Kılıfı", 89.00, "intermittent", (0.3, 2)),
    ("SEHPA-2", "Sehpa", 2499.00, "lumpy", (0.15, 25)),
    ("LAMBA-NEW", "Masa Lambası", 749.00, "new", seasonal_trend(4, 0.0)),
]
NEW_FROM = DAYS - 35
PRICE_CUT_DAY = 400

def price_of(sku, price, t):
    return 109.00 if sku == "CAY-500" and t >= PRICE_CUT_DAY else price   # the new SKU's first day: five weeks before the forecast

def expected(kind, shape, t):
    if kind in ("poisson", "new"):
        return shape(t)
    p, size = shape
    if kind == "lumpy":   # E[floor(size·U³)] = Σ_k P(size·U³ ≥ k)
        return p * (1 + sum(1 - (k / size) ** (1 / 3) for k in range(1, size)))
    return p * (1 + size) / 2

def sample(rng, kind, shape, t):
    if kind == "new" and t < NEW_FROM:
        return 0
    if kind in ("poisson", "new"):
        return poisson(rng, shape(t))
    p, size = shape
    if kind == "lumpy":   # mostly small orders, now and then a large one
        return 1 + int(rng.random() ** 3 * size) if rng.random() < p else 0
    return 1 + int(rng.random() * size) if rng.random() < p else 0

SHOPIFY_HEADER = ["Name", "Email", "Financial Status", "Paid at", "Fulfillment Status", "Fulfilled at", "Currency",
                  "Subtotal", "Shipping", "Taxes", "Total", "Discount Amount", "Shipping Method", "Created at",
                  "Lineitem quantity", "Lineitem name", "Lineitem price", "Lineitem sku", "Lineitem discount",
                  "Billing Name", "Cancelled at", "Refunded Amount"]

def main():
    os.makedirs(OUT, exist_ok=True)
    rng = random.Random(25)
    hb_rows, shop_rows = [], []
    hb_number, shop_number = 5_000_000, 10_000
    for t in range(DAYS):
        day = START + timedelta(t)
        for i, (sku, name, list_price, kind, shape) in enumerate(SKUS):
            price = price_of(sku, list_price, t)
            units = sample(rng, kind, shape, t)
            # Every few weeks a large order that was cancelled (or returned): never demand.
            void = t % 23 == i and kind != "new"
            for qty, status in ([(units, "ok")] if units else []) + ([(40, "void")] if void else []):
                stamp = f"{day:%d-%m-%Y} {10 + i:02d}:{(t * 7) % 60:02d}:00"
                if rng.random() < 0.5:
                    hb_number += 1
                    total = f"{qty * price:.2f}".replace(".", ",")
                    unit = f"{price:.2f}".replace(".", ",")
                    state = "Teslim Edildi" if status == "ok" else rng.choice(["İptal Edildi", "İade Edildi"])
                    hb_rows.append(hb_row(hb_number, 9_000_000 + hb_number, f"K{hb_number}", stamp, f"869{i:010d}", sku, name,
                                          qty, unit, total, 20, "Ankara", state))
                else:
                    shop_number += 1
                    when = f"{day:%Y-%m-%d} {10 + i:02d}:{(t * 7) % 60:02d}:00 +0300"
                    cancelled = when if status == "void" else ""
                    total = f"{qty * price:.2f}"
                    shop_rows.append([f"#{shop_number}", f"alici{shop_number}@example.com", "paid", when,
                                      "fulfilled" if status == "ok" else "unfulfilled", when if status == "ok" else "", "TRY",
                                      total, "0.00", "0.00", total, "0.00", "Aras Kargo", when, str(qty), name, f"{price:.2f}",
                                      sku, "0.00", "Deniz Yılmaz", cancelled, "0.00"])
    with open(os.path.join(OUT, "hb-siparisler-2y.csv"), "w", encoding="utf-8-sig", newline="") as f:
        w = csv.writer(f, delimiter=";", lineterminator="\r\n")
        w.writerow(HB_HEADER)
        w.writerows(hb_rows)
    with open(os.path.join(OUT, "shopify-2y.csv"), "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(SHOPIFY_HEADER)
        w.writerows(shop_rows)
    # Stock counted on the morning of the forecast: two SKUs short, the rest well stocked.
    stock = {"KUPA-01": 20, "TSH-01-M": 900, "CAY-500": 0, "ASKI-9": 150, "KILIF-X": 2, "SEHPA-2": 400, "LAMBA-NEW": 60}
    with open(os.path.join(OUT, "stok.csv"), "w", encoding="utf-8-sig", newline="") as f:
        f.write("SKU;Barkod;Ürün Adı;Stok;Fiyat;Stok Tarihi;Kategori;Marka;Açıklama\r\n")
        for i, (sku, name, list_price, _, _) in enumerate(SKUS):
            price = price_of(sku, list_price, DAYS)
            f.write(f"{sku};869{i:010d};{name};{stock[sku]};{price:.2f}".replace(".", ",")
                    + f";{AS_OF:%d.%m.%Y} 08:00;Ev & Yaşam;Demo;{name}, demo ürünü\r\n")
    with open(os.path.join(OUT, "truth.csv"), "w", encoding="utf-8", newline="") as f:
        f.write("sku;date;mean\n")
        for sku, _, _, kind, shape in SKUS:
            for h in range(HORIZON):
                f.write(f"{sku};{AS_OF + timedelta(h)};{expected(kind, shape, DAYS + h):.4f}\n")

# The marketplaces' product lists, as their panels export them: numbers as Excel numeric cells
# (binary doubles: 299.99 is 299.99000000000001), barcodes as text.
TRENDYOL_PRODUCT_HEADER = ["Partner ID", "Barkod", "Model Kodu", "Ürün Rengi", "Beden", "Cinsiyet", "Marka", "Kategori İsmi",
    "Para Birimi", "Ürün Adı", "Ürün Açıklaması", "Piyasa Satış Fiyatı (KDV Dahil)", "Trendyol'da Satılacak Fiyat (KDV Dahil)",
    "Ürün Stok Adedi", "Tedarikçi Stok Kodu", "KDV Oranı", "Desi", "Görsel 1", "Sevkiyat Süresi", "Durum"]
HB_LISTING_HEADER = ["Hepsiburada Ürün Kodu", "Satıcı Stok Kodu", "Barkod", "Ürün Adı", "Kategori", "Marka", "Fiyat", "Stok",
    "Kargoya Veriliş Süresi", "Satış Durumu"]

def products():
    write_xlsx(os.path.join(OUT, "trendyol-urun-listesi.xlsx"), [TRENDYOL_PRODUCT_HEADER,
        [987654, "8690000000000", "KUPA", "Beyaz", "", "Unisex", "Demo", "Kupa", "TRY", "Seramik Kupa", "350 ml seramik kupa",
         199.9, 149.9, 20.0, "KUPA-01", 20, 1, "https://cdn.example/kupa.jpg", 2, "Satışta"],
        [987654, "8690000000001", "TSH-01", "Beyaz", "M", "Unisex", "Demo", "T-Shirt", "TRY", "Basic T-Shirt M", "%100 pamuk",
         399.99, 299.99, 900.0, "TSH-01-M", 20, 1, "https://cdn.example/tsh.jpg", 2, "Satışta"],
        # No supplier code: the barcode is the SKU, as in the order export.
        [987654, "8690000000099", "CANTA", "Siyah", "", "Kadın", "Demo", "Çanta", "TRY", "Bez Çanta", "Bez çanta",
         1299.0, 1099.5, 0.0, "", 20, 2, "", 3, "Stok Yok"],
    ])
    write_xlsx(os.path.join(OUT, "hb-listelerim.xlsx"), [HB_LISTING_HEADER,
        ["HBV00000KUPA1", "KUPA-01", "8690000000000", "Seramik Kupa", "Mutfak", "Demo", 154.9, 18.0, 2, "Satışta"],
        ["HBV00000ASKI9", "ASKI-9", "8690000000003", "Askı", "Ev", "Demo", 42.5, 150.0, 1, "Satışta"],
        ["HBV00000LAMB1", "", "8690000000006", "Masa Lambası", "Aydınlatma", "Demo", 749.0, 60.0, 2, "Satışta"],
    ])

if __name__ == "__main__":
    main()
    products()
