#!/usr/bin/env python3
"""Writes Tests/Fixtures/foreign/: a week of TCMB daily rate files and foreign-currency orders.

TCMB files follow the layout of https://www.tcmb.gov.tr/kurlar/today.xml and the dated archive
(kurlar/YYYYMM/DDMMYYYY.xml): Tarih_Date with Tarih/Date/Bulten_No, one Currency per currency
with Unit, Isim, CurrencyName and the four rates (the yen per 100 units, the SDR without forex
rates). The rates are synthetic, near the published levels of autumn 2026. The week has a
weekend (31.10–01.11) and a public holiday (29.10, Republic Day, no bulletin); 28.10 is a half
day with a bulletin. Orders are in the platforms' real export layouts (FORMATS.md §3, §4, §5d).
The demo home's reference/ gets the same layout for the days its sample Shopify export (in EUR)
shipped, 9–16 May 2025, so `scripts/run` invoices those orders too.
Run from the repository root: python3 Tests/Fixtures/generate_foreign.py
"""
import os

OUT = "Tests/Fixtures/foreign"
DAYS = [("23.10.2026", "10/23/2026", "2026/203", 49.2104), ("26.10.2026", "10/26/2026", "2026/204", 49.2551),
        ("27.10.2026", "10/27/2026", "2026/205", 49.3012), ("28.10.2026", "10/28/2026", "2026/206", 49.3389),
        ("30.10.2026", "10/30/2026", "2026/207", 49.4105), ("02.11.2026", "11/02/2026", "2026/208", 49.4720)]
DEMO_DAYS = [("09.05.2025", "05/09/2025", "2025/88", 38.6913), ("12.05.2025", "05/12/2025", "2025/89", 38.7421),
             ("13.05.2025", "05/13/2025", "2025/90", 38.7802), ("14.05.2025", "05/14/2025", "2025/91", 38.8166),
             ("15.05.2025", "05/15/2025", "2025/92", 38.8410), ("16.05.2025", "05/16/2025", "2025/93", 38.8655)]
# code, unit, Turkish name, English name, value of one unit in USD
CURRENCIES = [("USD", 1, "ABD DOLARI", "US DOLLAR", 1.0), ("AUD", 1, "AVUSTRALYA DOLARI", "AUSTRALIAN DOLLAR", 0.6521),
              ("DKK", 1, "DANİMARKA KRONU", "DANISH KRONE", 0.15556), ("EUR", 1, "EURO", "EURO", 1.1612),
              ("GBP", 1, "İNGİLİZ STERLİNİ", "POUND STERLING", 1.3325), ("CHF", 1, "İSVİÇRE FRANGI", "SWISS FRANK", 1.2418),
              ("SEK", 1, "İSVEÇ KRONU", "SWEDISH KRONA", 0.10612), ("CAD", 1, "KANADA DOLARI", "CANADIAN DOLLAR", 0.7188),
              ("JPY", 100, "JAPON YENİ", "JAPENESE YEN", 0.006571), ("AZN", 1, "AZERBAYCAN YENİ MANATI", "NEW AZERBAIJANI MANAT", 0.5882),
              ("AED", 1, "BİRLEŞİK ARAP EMİRLİKLERİ DİRHEMİ", "UNITED ARAB EMIRATES DIRHAM", 0.2723)]


def rates_file(tarih, date, bulletin, usd):
    out = ['<?xml version="1.0" encoding="UTF-8"?>', '<?xml-stylesheet type="text/xsl" href="isokur.xsl"?>',
           "<!-- Synthetic rates in TCMB's layout for PraIngest's tests and demo: not TCMB's published values. -->",
           f'<Tarih_Date Tarih="{tarih}" Date="{date}"  Bulten_No="{bulletin}" >']
    for i, (code, unit, isim, name, in_usd) in enumerate(CURRENCIES):
        buying = round(usd * in_usd * unit, 4)
        out += [f'\t<Currency CrossOrder="{i}" Kod="{code}" CurrencyCode="{code}">', f'\t\t\t<Unit>{unit}</Unit>',
                f'\t\t\t<Isim>{isim}</Isim>', f'\t\t\t<CurrencyName>{name}</CurrencyName>',
                f'\t\t\t<ForexBuying>{buying:.4f}</ForexBuying>', f'\t\t\t<ForexSelling>{buying * 1.0018:.4f}</ForexSelling>',
                f'\t\t\t<BanknoteBuying>{buying * 0.9993:.4f}</BanknoteBuying>',
                f'\t\t\t<BanknoteSelling>{buying * 1.0033:.4f}</BanknoteSelling>',
                '\t\t\t<CrossRateUSD/>', '\t\t\t<CrossRateOther/>', '\t</Currency>']
    out += ['\t<Currency CrossOrder="99" Kod="XDR" CurrencyCode="XDR">', '\t\t\t<Unit>1</Unit>',
            '\t\t\t<Isim>ÖZEL ÇEKME HAKKI (SDR)                            </Isim>',
            '\t\t\t<CurrencyName>SPECIAL DRAWING RIGHT (SDR)                       </CurrencyName>',
            f'\t\t\t<ForexBuying>{usd * 1.3644:.4f}</ForexBuying>', '\t\t\t<ForexSelling></ForexSelling>',
            '\t\t\t<BanknoteBuying></BanknoteBuying>', '\t\t\t<BanknoteSelling></BanknoteSelling>',
            '\t\t\t<CrossRateUSD></CrossRateUSD>', '\t\t\t<CrossRateOther></CrossRateOther>', '\t</Currency>', '</Tarih_Date>']
    return "\r\n".join(out) + "\r\n"


SHOPIFY_HEADER = ("Name,Email,Financial Status,Paid at,Fulfillment Status,Fulfilled at,Accepts Marketing,Currency,Subtotal,"
                  "Shipping,Taxes,Total,Discount Code,Discount Amount,Shipping Method,Created at,Lineitem quantity,Lineitem name,"
                  "Lineitem price,Lineitem compare at price,Lineitem sku,Lineitem requires shipping,Lineitem taxable,"
                  "Lineitem fulfillment status,Billing Name,Billing Street,Billing Address1,Billing Address2,Billing Company,"
                  "Billing City,Billing Zip,Billing Province,Billing Country,Billing Phone,Shipping Name,Shipping Street,"
                  "Shipping Address1,Shipping Address2,Shipping Company,Shipping City,Shipping Zip,Shipping Province,"
                  "Shipping Country,Shipping Phone,Notes,Note Attributes,Cancelled at,Payment Method,Payment Reference,"
                  "Refunded Amount,Vendor,Outstanding Balance,Employee,Location,Device ID,Id,Tags,Risk Level,Source,"
                  "Lineitem discount")


def shopify_row(name, email, status, paid, fstatus, fulfilled, total, shipping, created, qty, item, price, sku,
                buyer, street, city, zip_, country, first=True):
    cols = SHOPIFY_HEADER.split(",")
    v = dict.fromkeys(cols, "")
    v.update({"Name": name, "Email": email, "Created at": created, "Lineitem quantity": str(qty), "Lineitem name": item,
              "Lineitem price": price, "Lineitem sku": sku, "Lineitem requires shipping": "true",
              "Lineitem taxable": "true", "Lineitem fulfillment status": fstatus, "Lineitem discount": "0.00"})
    if first:
        v.update({"Financial Status": status, "Paid at": paid, "Fulfillment Status": fstatus, "Fulfilled at": fulfilled,
                  "Accepts Marketing": "no", "Currency": "EUR", "Subtotal": f"{float(total) - float(shipping):.2f}",
                  "Shipping": shipping, "Taxes": "0.00", "Total": total, "Discount Amount": "0.00",
                  "Shipping Method": "PTT Kargo Yurtdışı", "Billing Name": buyer, "Billing Street": street,
                  "Billing Address1": street, "Billing City": city, "Billing Zip": zip_, "Billing Country": country,
                  "Shipping Name": buyer, "Shipping Street": street, "Shipping Address1": street, "Shipping City": city,
                  "Shipping Zip": zip_, "Shipping Country": country, "Payment Method": "Shopify Payments",
                  "Outstanding Balance": "0.00", "Id": "6634244374" + name[1:], "Risk Level": "Low", "Source": "web",
                  "Vendor": "Bakırcı Atölyesi"})
    return ",".join('"' + v[c].replace('"', '""') + '"' if ("," in v[c] or '"' in v[c]) else v[c] for c in cols)


def shopify():
    rows = [SHOPIFY_HEADER,
            # Germany, shipped on the half day before the holiday: the rate of 27.10.
            shopify_row("#2001", "jonas.weber@example.de", "paid", "2026-10-26 19:02:11 +0100", "fulfilled",
                        "2026-10-28 10:15:00 +0100", "131.80", "12.00", "2026-10-26 19:02:11 +0100", 2, "Bakır Cezve", "59.90",
                        "CZV-2", "Jonas Weber", "Lindenstraße 12", "Köln", "50674", "DE"),
            # Austria, shipped on the holiday: the rate of 28.10 (the last bulletin before it).
            shopify_row("#2002", "anna.gruber@example.at", "paid", "2026-10-27 08:40:00 +0100", "fulfilled",
                        "2026-10-29 14:00:00 +0100", "64.50", "9.00", "2026-10-27 08:40:00 +0100", 1, "Hamam Havlusu", "24.50",
                        "HAV-1", "Anna Gruber", "Mariahilfer Straße 5", "Wien", "1060", "AT"),
            shopify_row("#2002", "anna.gruber@example.at", "", "", "fulfilled", "", "", "", "2026-10-27 08:40:00 +0100", 1,
                        "Çay Bardağı Seti", "31.00", "CAY-6", "", "", "", "", "", first=False),
            # The Netherlands, shipped on a Sunday: the rate of Friday 30.10.
            shopify_row("#2003", "sanne@example.nl", "paid", "2026-10-30 21:12:45 +0100", "fulfilled",
                        "2026-11-01 11:30:00 +0100", "89.99", "0.00", "2026-10-30 21:12:45 +0100", 1, "Bakır Tepsi", "89.99",
                        "TEP-1", "Sanne de Vries", "Prinsengracht 263", "Amsterdam", "1016 GV", "NL"),
            # A buyer in Türkiye paying in euro: a domestic sale, KDV included, invoiced in EUR.
            shopify_row("#2004", "deniz@example.com.tr", "paid", "2026-10-31 10:00:00 +0300", "fulfilled",
                        "2026-11-02 09:00:00 +0300", "120.00", "0.00", "2026-10-31 10:00:00 +0300", 3, "Lokum Kutusu", "40.00",
                        "LOK-3", "Deniz Yılmaz", "Bağdat Caddesi 200", "İstanbul", "34728", "TR"),
            # Not shipped yet: not invoiced under issue_at: shipped.
            shopify_row("#2005", "luc@example.fr", "paid", "2026-11-02 12:00:00 +0100", "unfulfilled", "", "45.00", "10.00",
                        "2026-11-02 12:00:00 +0100", 1, "Nazar Boncuğu", "35.00", "NZR-1", "Luc Martin", "12 Rue de Rivoli",
                        "Paris", "75004", "FR")]
    return "\n".join(rows) + "\n"


AMAZON_HEADER = ("amazon-order-id\tmerchant-order-id\tpurchase-date\tlast-updated-date\torder-status\tfulfillment-channel\t"
                 "sales-channel\torder-channel\turl\tship-service-level\tproduct-name\tsku\tasin\titem-status\tquantity\t"
                 "currency\titem-price\titem-tax\tshipping-price\tshipping-tax\tgift-wrap-price\tgift-wrap-tax\t"
                 "item-promotion-discount\tship-promotion-discount\tship-city\tship-state\tship-postal-code\tship-country\t"
                 "promotion-ids\tis-business-order\tpurchase-order-number\tprice-designation")


def amazon():
    def row(order, bought, updated, status, item, sku, asin, istatus, qty, price, ship, city, zip_, country):
        return "\t".join([order, "", bought, updated, status, "Merchant", "Amazon.de", "", "", "Standard", item, sku, asin,
                          istatus, str(qty), "EUR", price, "", ship, "", "", "", "", "", city, "", zip_, country, "", "false",
                          "", ""])
    rows = [AMAZON_HEADER,
            # Shipped on Tuesday 27.10: the rate of Monday 26.10.
            row("302-4418200-1234501", "2026-10-25T18:22:10+00:00", "2026-10-27T09:00:00+00:00", "Shipped", "Kupferne Kaffeekanne",
                "CZV-2", "B0CZV00002", "Shipped", 1, "54.90", "6.90", "Hamburg", "20095", "DE"),
            row("302-4418200-1234501", "2026-10-25T18:22:10+00:00", "2026-10-27T09:00:00+00:00", "Shipped", "Teeglas-Set",
                "CAY-6", "B0CAY00006", "Shipped", 2, "38.00", "", "Hamburg", "20095", "DE"),
            # Shipped on Saturday 31.10: the rate of Friday 30.10.
            row("302-4418200-1234502", "2026-10-29T07:05:00+00:00", "2026-10-31T08:00:00+00:00", "Shipped", "Hamam-Handtuch",
                "HAV-1", "B0HAV00001", "Shipped", 3, "66.00", "0.00", "München", "80331", "DE"),
            # Not shipped: waits.
            row("302-4418200-1234503", "2026-11-01T10:00:00+00:00", "2026-11-01T10:00:00+00:00", "Unshipped", "Nazar-Anhänger",
                "NZR-1", "B0NZR00001", "Unshipped", 1, "12.50", "3.90", "Berlin", "10115", "DE")]
    return "\n".join(rows) + "\n"


EBAY_HEADER = ("Sales Record Number,Order Number,Buyer Username,Buyer Name,Buyer Email,Ship To Name,Ship To Phone,"
               "Ship To Address 1,Ship To Address 2,Ship To City,Ship To State,Ship To Zip,Ship To Country,Item Number,"
               "Item Title,Custom Label,Quantity,Sold For,Shipping And Handling,Seller Collected Tax,eBay Collected Tax,"
               "Total Price,Payment Method,Sale Date,Paid On Date,Shipped On Date,Shipping Service,Tracking Number,"
               "Transaction ID")


def ebay():
    rows = ["", "sep=,", EBAY_HEADER,
            # Shipped on Tuesday 27.10 (Pacific time): the rate of 26.10.
            '201,05-11111-22201,kcole,Kevin Cole,kevin@example.com,Kevin Cole,,88 Pine St,,Seattle,WA,98101,United States,'
            '3345001,Brass Coffee Pot,CZV-2,1,$64.00,$15.00,$0.00,$6.48,$85.48,PayPal,Oct-25-26,Oct-25-26,Oct-27-26,'
            'eBay International Shipping,LX123456785TR,2900101',
            # Two items shipped on Monday 02.11: the rate of Friday 30.10.
            '202,05-11111-22202,mrossi,Maria Rossi,maria@example.com,Maria Rossi,,1 Elm Ave,,Boston,MA,02108,United States,'
            ',,,,,$18.00,$0.00,$11.04,$139.04,PayPal,Oct-30-26,Oct-30-26,Nov-02-26,eBay International Shipping,LX123456799TR,',
            '202,05-11111-22202,mrossi,,,,,,,,,,,3345002,Tea Glass Set,CAY-6,2,$30.00,,,,,,Oct-30-26,,,,,2900102',
            '202,05-11111-22202,mrossi,,,,,,,,,,,3345004,Copper Tray,TEP-1,1,$50.00,,,,,,Oct-30-26,,,,,2900103',
            "2 record(s) downloaded,,,,,,,,,,,,,,,,,,,,,,,,,,,,",
            "Seller ID : pra-demo,,,,,,,,,,,,,,,,,,,,,,,,,,,,"]
    return "\r\n".join(rows) + "\r\n"


WOO_HEADER = ("order_id,order_number,order_number_formatted,order_date,status,shipping_total,shipping_tax_total,fee_total,"
              "fee_tax_total,tax_total,cart_discount,order_discount,discount_total,order_total,refunded_total,order_currency,"
              "payment_method,shipping_method,customer_id,billing_first_name,billing_last_name,billing_company,billing_email,"
              "billing_phone,billing_address_1,billing_address_2,billing_postcode,billing_city,billing_state,billing_country,"
              "shipping_first_name,shipping_last_name,shipping_address_1,shipping_address_2,shipping_postcode,shipping_city,"
              "shipping_state,shipping_country,shipping_company,customer_note,line_items,shipping_items,fee_items,tax_items,"
              "coupon_items,refunds,order_notes,download_permissions_granted")


def woocommerce():
    """A web shop in euro that exports no dispatch date: a completed order left on its order day at the earliest."""
    rows = [WOO_HEADER,
            # Completed (delivered), ordered Tuesday 27.10 in Switzerland: the rate of 26.10.
            "3101,3101,3101,2026-10-27 09:12:00,completed,14.00,0.00,0.00,0.00,0.00,0,0,0,86.00,0.00,EUR,stripe,"
            "DHL Express,41,Lukas,Meier,,lukas@example.ch,,Bahnhofstrasse 1,,8001,Zürich,ZH,CH,Lukas,Meier,"
            "Bahnhofstrasse 1,,8001,Zürich,ZH,CH,,,"
            "\"id:301|name:Bakır Cezve|product_id:11|sku:CZV-2|quantity:2|subtotal:72.00|subtotal_tax:0.00|total:72.00|"
            "total_tax:0.00|refunded:0|refunded_qty:0|meta:\",method:flat_rate|total:14.00,,,,,,1",
            # Still processing: not shipped, not invoiced under issue_at: shipped.
            "3102,3102,3102,2026-10-30 16:40:00,processing,14.00,0.00,0.00,0.00,0.00,0,0,0,50.00,0.00,EUR,stripe,"
            "DHL Express,42,Emma,Keller,,emma@example.ch,,Marktgasse 3,,3011,Bern,BE,CH,Emma,Keller,Marktgasse 3,,3011,"
            "Bern,BE,CH,,,"
            "\"id:302|name:Hamam Havlusu|product_id:12|sku:HAV-1|quantity:1|subtotal:36.00|subtotal_tax:0.00|total:36.00|"
            "total_tax:0.00|refunded:0|refunded_qty:0|meta:\",method:flat_rate|total:14.00,,,,,,1"]
    return "\r\n".join(rows) + "\r\n"


def main():
    for folder, days in ((f"{OUT}/tcmb", DAYS), ("reference", DEMO_DAYS)):
        os.makedirs(folder, exist_ok=True)
        for tarih, date, bulletin, usd in days:
            d, m, y = tarih.split(".")
            with open(f"{folder}/{d}{m}{y}.xml", "w", encoding="utf-8", newline="") as f:
                f.write(rates_file(tarih, date, bulletin, usd))
    with open(f"{OUT}/shopify-eur-orders.csv", "w", encoding="utf-8", newline="") as f:
        f.write(shopify())
    with open(f"{OUT}/amazon-de-all-orders.txt", "w", encoding="utf-8", newline="") as f:
        f.write(amazon())
    with open(f"{OUT}/ebay-orders-report.csv", "w", encoding="utf-8", newline="") as f:
        f.write(ebay())
    with open(f"{OUT}/woocommerce-eur-orders.csv", "w", encoding="utf-8-sig", newline="") as f:
        f.write(woocommerce())


if __name__ == "__main__":
    main()
