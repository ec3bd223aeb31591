#!/usr/bin/env python3
"""Writes the life-cycle fixtures: the same orders exported on several days as they change
(cancelled, shipped, delivered, returned), in the platforms' real layouts (docs/fixtures.md).

Run from the repository root: python3 Tests/Fixtures/generate_lifecycle.py
"""
import os
from generate import HERE, TRENDYOL_HEADER, Num, tr_money, write_xlsx

OUT = os.path.join(HERE, "lifecycle")

# --- N11 SOAP DetailedOrderList, three days -------------------------------------------------
N11_ORDER = """    <order>
      <id>{id}</id><orderNumber>{number}</orderNumber><createDate>{date}</createDate><status>{status}</status>
      <citizenshipId>{tckn}</citizenshipId><paymentType>1</paymentType>
      <totalAmount>{total}</totalAmount><totalDiscountAmount>0.00</totalDiscountAmount>
      <buyer><id>{id}</id><fullName>{buyer}</fullName><email>alici{id}@example.com</email>{tax}</buyer>
      <shippingAddress><address>Atatürk Cad. No:{id}</address><city>Ankara</city><district>Çankaya</district><gsm>05550000000</gsm></shippingAddress>
      <billingAddress><address>Atatürk Cad. No:{id}</address><city>Ankara</city><district>Çankaya</district><fullName>{buyer}</fullName></billingAddress>
      <orderItemList>
{items}
      </orderItemList>
    </order>
"""
N11_ITEM = """        <orderItem><id>{id}</id><productId>{id}</productId><productName>{name}</productName>
          <productSellerCode>{sku}</productSellerCode><quantity>{qty}</quantity><price>{price}</price>
          <dueAmount>{total}</dueAmount><sellerInvoiceAmount>{total}</sellerInvoiceAmount><status>{status}</status>
          <shipmentInfo><shipmentCompany><id>345</id><name>Aras</name></shipmentCompany><campaignNumber>8001</campaignNumber></shipmentInfo>
        </orderItem>"""

def n11_order(number, status, items, buyer="Ece Şahin", tax="", tckn="11111111111", date="20/11/2026 10:00"):
    total = sum(float(i["total"]) for i in items)  # N11 keeps cancelled items in totalAmount
    body = "\n".join(N11_ITEM.format(**i) for i in items)
    return N11_ORDER.format(id=number[-3:], number=number, date=date, status=status, tckn=tckn, total=f"{total:.2f}",
                            buyer=buyer, tax=tax, items=body)

def item(id, sku, qty, price, status, name="Ürün"):
    return dict(id=id, sku=sku, qty=qty, price=price, total=f"{qty * float(price):.2f}", status=status, name=name)

def n11_file(name, orders):
    xml = ('<?xml version="1.0" encoding="UTF-8"?>\n'
           '<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/"><SOAP-ENV:Body>\n'
           '  <ns3:DetailedOrderListResponse xmlns:ns3="http://www.n11.com/ws/schemas">\n'
           '  <result><status>success</status></result>\n  <orderList>\n' + "".join(orders)
           + '  </orderList>\n  </ns3:DetailedOrderListResponse>\n</SOAP-ENV:Body></SOAP-ENV:Envelope>\n')
    with open(os.path.join(OUT, name), "w", encoding="utf-8") as f:
        f.write(xml)

CORPORATE = "<taxId>4567890128</taxId><taxOffice>Çankaya</taxOffice>"

def write_n11():
    # Day 1: a consumer order being prepared, a corporate order completed, a delivered two-item
    # consumer order, and one cancelled before anything (never invoiced).
    n11_file("n11-day1.xml", [
        n11_order("206000001", "2", [item(61, "LC-1", 2, "500.25", "5"), item(62, "LC-2", 1, "250.00", "5")]),
        n11_order("206000002", "5", [item(63, "LC-3", 1, "600.00", "10")], buyer="Kuzey Yazılım A.Ş.", tax=CORPORATE),
        n11_order("206000003", "5", [item(64, "LC-4", 1, "100.00", "7"), item(65, "LC-5", 2, "100.00", "7")]),
        n11_order("206000004", "3", [item(66, "LC-6", 1, "80.00", "4")]),
    ])
    # Day 2: 001 cancelled (not delivered), 002 returned by the company, 003 one item returned.
    n11_file("n11-day2.xml", [
        n11_order("206000001", "3", [item(61, "LC-1", 2, "500.25", "4"), item(62, "LC-2", 1, "250.00", "4")]),
        n11_order("206000002", "5", [item(63, "LC-3", 1, "600.00", "17")], buyer="Kuzey Yazılım A.Ş.", tax=CORPORATE),
        n11_order("206000003", "5", [item(64, "LC-4", 1, "100.00", "9"), item(65, "LC-5", 2, "100.00", "7")]),
        n11_order("206000004", "3", [item(66, "LC-6", 1, "80.00", "4")]),
    ])
    # Day 3: the same changes exported again, plus a new order.
    n11_file("n11-day3.xml", [
        n11_order("206000001", "3", [item(61, "LC-1", 2, "500.25", "4"), item(62, "LC-2", 1, "250.00", "4")]),
        n11_order("206000002", "5", [item(63, "LC-3", 1, "600.00", "17")], buyer="Kuzey Yazılım A.Ş.", tax=CORPORATE),
        n11_order("206000003", "5", [item(64, "LC-4", 1, "100.00", "9"), item(65, "LC-5", 2, "100.00", "10")]),
        n11_order("206000005", "1", [item(67, "LC-7", 1, "45.50", "1")]),
    ])

# --- Trendyol panel xlsx, two days; amounts as binary doubles --------------------------------
def trendyol_row(barcode, package, order, status, sku, qty, unit, invoiced, date="20.11.2026 10:00"):
    cells = {h: "" for h in TRENDYOL_HEADER}
    cells.update({"Barkod": barcode, "Paket No": package, "Kargo Firması": "Trendyol Express", "Sipariş Tarihi": date,
                  "Kargo Kodu": "733" + package, "Sipariş Numarası": order, "Alıcı": "Deniz Ak",
                  "Teslimat Adresi": "Cumhuriyet Mah. 5", "İl": "İzmir", "İlçe": "Bornova", "Ürün Adı": "Ürün " + sku,
                  "Fatura Adresi": "Cumhuriyet Mah. 5", "Sipariş Statüsü": status, "Stok Kodu": sku, "Adet": qty,
                  "Birim Fiyatı": unit, "Satış Tutarı": invoiced, "İndirim Tutarı": 0, "Trendyol İndirim Tutarı": 0,
                  "Faturalanacak Tutar": invoiced})
    return [cells[h] for h in TRENDYOL_HEADER]

def write_trendyol():
    # 3 × 3070,186666… = 9210,56: the workbook stores the double 9210.559999999999 (as Excel and
    # openpyxl write a computed cell); Excel shows 9.210,56.
    day1 = [
        trendyol_row("8690000000101", "5001", "900001", "Kargoya Verildi", "TY-1", 3, Num("3070.1866666666665"),
                     Num("9210.559999999999")),
        trendyol_row("8690000000102", "5002", "900001", "Kargoya Verildi", "TY-2", 1, Num("149.9"), Num("149.9")),
        trendyol_row("8690000000103", "5003", "900002", "Teslim Edildi", "TY-3", 2, Num("0.1"), Num("0.30000000000000004")),
        trendyol_row("8690000000104", "5004", "900003", "Kargoya Verildi", "TY-4", 1, 420, 420),
    ]
    day2 = [
        trendyol_row("8690000000101", "5001", "900001", "Teslim Edildi", "TY-1", 3, Num("3070.1866666666665"),
                     Num("9210.559999999999")),
        trendyol_row("8690000000102", "5002", "900001", "İptal Edildi", "TY-2", 1, Num("149.9"), Num("149.9")),
        trendyol_row("8690000000103", "5003", "900002", "İade Edildi", "TY-3", 2, Num("0.1"), Num("0.30000000000000004")),
        trendyol_row("8690000000104", "5004", "900003", "İptal Edildi", "TY-4", 1, 420, 420),
    ]
    write_xlsx(os.path.join(OUT, "trendyol-day1.xlsx"), [["Trendyol Sipariş Listesi"], TRENDYOL_HEADER] + day1)
    write_xlsx(os.path.join(OUT, "trendyol-day2.xlsx"), [TRENDYOL_HEADER] + day2)

# --- Shopify export, two days -------------------------------------------------------------------
SHOPIFY_HEADER = ("Name,Email,Financial Status,Paid at,Fulfillment Status,Fulfilled at,Accepts Marketing,Currency,Subtotal,"
                  "Shipping,Taxes,Total,Discount Code,Discount Amount,Shipping Method,Created at,Lineitem quantity,"
                  "Lineitem name,Lineitem price,Lineitem compare at price,Lineitem sku,Lineitem requires shipping,"
                  "Lineitem taxable,Lineitem fulfillment status,Billing Name,Billing Street,Billing Address1,"
                  "Billing Address2,Billing Company,Billing City,Billing Zip,Billing Province,Billing Country,"
                  "Billing Phone,Shipping Name,Shipping Street,Shipping Address1,Shipping Address2,Shipping Company,"
                  "Shipping City,Shipping Zip,Shipping Province,Shipping Country,Shipping Phone,Notes,Note Attributes,"
                  "Cancelled at,Payment Method,Payment Reference,Refunded Amount,Vendor,Outstanding Balance,Employee,"
                  "Location,Device ID,Id,Tags,Risk Level,Source,Lineitem discount").split(",")

def shopify_row(name, financial, fulfillment, total, qty, item, price, sku, cancelled="", refunded="0.00", first=True):
    r = {h: "" for h in SHOPIFY_HEADER}
    r.update({"Name": name, "Email": "musteri@example.com", "Created at": "2026-11-20 10:00:00 +0300",
              "Lineitem quantity": qty, "Lineitem name": item, "Lineitem price": price, "Lineitem sku": sku,
              "Lineitem discount": "0.00", "Lineitem fulfillment status": "pending"})
    if first:
        r.update({"Financial Status": financial, "Fulfillment Status": fulfillment, "Currency": "TRY", "Subtotal": total,
                  "Shipping": "0.00", "Taxes": "0.00", "Total": total, "Shipping Method": "Yurtiçi Kargo",
                  "Billing Name": "Selin Kaya", "Billing Street": "Moda Cad. 7", "Billing City": "İstanbul",
                  "Billing Country": "TR", "Cancelled at": cancelled, "Payment Method": "iyzico",
                  "Refunded Amount": refunded, "Id": name[1:] + "000"})
    return ",".join(r[h] for h in SHOPIFY_HEADER)

def write_shopify():
    day1 = [shopify_row("#5001", "paid", "unfulfilled", "250.00", "1", "Kupa", "250.00", "SH-1"),
            shopify_row("#5002", "paid", "fulfilled", "300.00", "2", "Tabak", "100.00", "SH-2"),
            shopify_row("#5002", "", "", "", "1", "Çatal", "100.00", "SH-3", first=False)]
    day2 = [shopify_row("#5001", "refunded", "unfulfilled", "250.00", "1", "Kupa", "250.00", "SH-1",
                        cancelled="2026-11-21 09:30:00 +0300", refunded="250.00"),
            shopify_row("#5002", "partially_refunded", "fulfilled", "300.00", "2", "Tabak", "100.00", "SH-2",
                        refunded="100.00"),
            shopify_row("#5002", "", "", "", "1", "Çatal", "100.00", "SH-3", first=False)]
    for name, rows in [("shopify-day1.csv", day1), ("shopify-day2.csv", day2)]:
        with open(os.path.join(OUT, name), "w", encoding="utf-8", newline="") as f:
            f.write("\r\n".join([",".join(SHOPIFY_HEADER)] + rows) + "\r\n")

# --- Amazon All Orders, a newer report dropped before an older one -------------------------------
AMAZON_HEADER = ("amazon-order-id\tmerchant-order-id\tpurchase-date\tlast-updated-date\torder-status\tfulfillment-channel\t"
                 "sales-channel\torder-channel\turl\tship-service-level\tproduct-name\tsku\tasin\titem-status\tquantity\t"
                 "currency\titem-price\titem-tax\tshipping-price\tshipping-tax\tgift-wrap-price\tgift-wrap-tax\t"
                 "item-promotion-discount\tship-promotion-discount\tship-city\tship-state\tship-postal-code\tship-country\t"
                 "promotion-ids\tis-business-order\tpurchase-order-number\tprice-designation")

def amazon_row(oid, updated, status, sku, istatus, qty, price):
    return "\t".join([oid, "", "2026-11-20T08:00:00+00:00", updated, status, "Merchant", "Amazon.com.tr", "", "", "Standard",
                      "Ürün " + sku, sku, "B0" + sku, istatus, qty, "TRY", price, "", "", "", "", "", "", "", "ANKARA", "",
                      "06100", "TR", "", "false", "", ""])

def write_amazon():
    newer = [amazon_row("403-0000001-0000001", "2026-11-22T12:00:00+00:00", "Shipped", "AZ-1", "Shipped", "1", "200.00"),
             amazon_row("403-0000001-0000001", "2026-11-22T12:00:00+00:00", "Shipped", "AZ-2", "Cancelled", "0", "")]
    older = [amazon_row("403-0000001-0000001", "2026-11-21T08:00:00+00:00", "Unshipped", "AZ-1", "Unshipped", "1", "200.00"),
             amazon_row("403-0000001-0000001", "2026-11-21T08:00:00+00:00", "Unshipped", "AZ-2", "Unshipped", "1", "50.00")]
    for name, rows in [("amazon-2026-11-22.txt", newer), ("amazon-2026-11-21.txt", older)]:
        with open(os.path.join(OUT, name), "w", encoding="utf-8") as f:
            f.write("\n".join([AMAZON_HEADER] + rows) + "\n")

# --- Hepsiburada panel CSV re-saved by Excel: every barcode in scientific notation ----------------
HB_HEADER = ["Sipariş Numarası", "Paket Numarası", "Kalem Numarası", "Sipariş Tarihi", "Kargo Firması", "Kargo Takip No",
             "Barkod", "Satıcı Stok Kodu", "Ürün Adı", "Kategori", "Adet", "Faturalandırılacak Birim Satış Fiyatı",
             "Faturalandırılacak Satış Fiyatı", "KDV(%)", "Para Birimi", "Alıcı", "Şehir", "Semt", "Paket Durumu",
             "İade edildi mi?"]

def write_hepsiburada():
    rows = [";".join(HB_HEADER)]
    for k in range(80):
        price = 100 + k
        rows.append(";".join([str(4200000 + k), str(9200000 + k), f"K{k}", "20-11-2026 10:00:00", "Aras Kargo",
                              str(1000000000 + k), "8,69123E+12", f"HB-{k}", "Defter", "Kırtasiye", "1",
                              tr_money(price), tr_money(price), "20", "TRY", "Zeynep Kaya", "Bursa", "Nilüfer",
                              "Kargoya Verildi", "Hayır"]))
    with open(os.path.join(OUT, "hb-excel-resave.csv"), "wb") as f:
        f.write(("\r\n".join(rows) + "\r\n").encode("cp1254"))

if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    write_n11()
    write_trendyol()
    write_shopify()
    write_amazon()
    write_hepsiburada()
