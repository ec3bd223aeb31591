#!/usr/bin/env python3
"""Writes the hand-made fixtures in real platform layouts (see docs/fixtures.md for provenance).

Run from the repository root: python3 Tests/Fixtures/generate.py
The outputs are committed; this script documents how they were made.
"""
import os, zipfile
from xml.sax.saxutils import escape

HERE = os.path.dirname(os.path.abspath(__file__))

TRENDYOL_HEADER = ["Barkod", "Paket No", "Kargo Firması", "Sipariş Tarihi", "Termin Süresinin Bittiği Tarih",
    "Kargoya Teslim Tarihi", "Kargo Kodu", "Sipariş Numarası", "Alıcı", "Teslimat Adresi", "İl", "İlçe",
    "Ürün Adı", "Fatura Adresi", "Alıcı - Fatura Adresi", "Sipariş Statüsü", "E-Posta", "Komisyon Oranı",
    "Marka", "Stok Kodu", "Adet", "Birim Fiyatı", "Satış Tutarı", "İndirim Tutarı", "Trendyol İndirim Tutarı",
    "Faturalanacak Tutar", "Butik Numarası", "Teslim Tarihi"]
# (barcode, package, carrier, date, tracking, order, buyer, address, il, ilce, product, status, sku, qty, unit, sales, discount, invoiced)
TRENDYOL_ROWS = [
    ("8691234567890", "3001", "Trendyol Express", "23.11.2026 14:05", "7330000000001", "800001", "Ayşe Yılmaz",
     "Moda Cad. No:5 \"A\" Blok; D:3", "İstanbul", "Kadıköy", "Çay Demliği", "Kargoya Verildi", "DEM-1", 2,
     1200.00, 2400.00, 0.00, 2400.00),
    ("8691234567891", "3002", "Yurtiçi Kargo", "23.11.2026 14:05", "7250000000002", "800001", "Ayşe Yılmaz",
     "Moda Cad. No:5 \"A\" Blok; D:3", "İstanbul", "Kadıköy", "Fincan Takımı", "Kargoya Verildi", "FIN-6", 1,
     1499.90, 1499.90, 100.00, 1399.90),
    ("8691234567892", "3003", "Trendyol Express", "22.11.2026 09:30", "7330000000003", "800002", "Mehmet Öztürk",
     "Cumhuriyet Mah. Iğdır Sk. 7", "Iğdır", "Merkez", "Bakır Tepsi", "Oluşturuldu", "TPS-1", 1,
     99.99, 99.99, 0.00, 99.99),
    ("8691234567893", "3004", "Aras Kargo", "21.11.2026 18:45", "7260000000004", "800003", "Şükrü Çağlar",
     "Atatürk Blv. 12/4", "İzmir", "Karşıyaka", "Cezve", "Teslim Edildi", "CZV-2", 3,
     250.00, 750.00, 0.00, 750.00),
]

def tr_money(v):
    whole, frac = f"{v:.2f}".split(".")
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:]); whole = whole[:-3]
    return ".".join([whole] + groups) + "," + frac

def trendyol_cells(r):
    barcode, pkg, carrier, date, track, order, buyer, addr, il, ilce, product, status, sku, qty, unit, sales, disc, inv = r
    return [barcode, pkg, carrier, date, "", "", track, order, buyer, addr, il, ilce, product, addr, buyer, status,
            "", 15, "Pra", sku, qty, unit, sales, disc, 0.0, inv, "", ""]

def write_trendyol_csv():
    lines = [";".join(TRENDYOL_HEADER)]
    for r in TRENDYOL_ROWS:
        out = []
        for c in trendyol_cells(r):
            if isinstance(c, float): c = tr_money(c)
            c = str(c)
            if ";" in c or '"' in c: c = '"' + c.replace('"', '""') + '"'
            out.append(c)
        lines.append(";".join(out))
    with open(os.path.join(HERE, "trendyol", "Tedarikci_Siparisleri_cp1254.csv"), "wb") as f:
        f.write(("\r\n".join(lines) + "\r\n").encode("cp1254"))

def col(i):
    s = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26); s = chr(65 + r) + s
    return s

class Num(str):
    """A numeric cell written exactly as given: Excel stores binary doubles (9210.559999999999)."""

def write_xlsx(path, rows, unused_strings=0):
    """A one-sheet workbook: str cells as shared strings, int/float/Num cells as numbers, "" left out.
    `unused_strings` texts put first in the shared strings table push the real texts past the first
    megabyte (some writers order the table that way)."""
    strings = [f"Kullanılmayan metin {i}" for i in range(unused_strings)]
    index = {s: i for i, s in enumerate(strings)}
    def sst(s):
        if s not in index: index[s] = len(strings); strings.append(s)
        return index[s]
    xml_rows = []
    for ri, row in enumerate(rows, start=1):
        cells = []
        for ci, v in enumerate(row):
            ref = f"{col(ci)}{ri}"
            if isinstance(v, (int, float, Num)):
                cells.append(f'<c r="{ref}"><v>{v}</v></c>')
            elif v == "":
                continue
            else:
                cells.append(f'<c r="{ref}" t="s"><v>{sst(v)}</v></c>')
        xml_rows.append(f'<row r="{ri}">' + "".join(cells) + "</row>")
    sheet = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
             '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
             + "".join(xml_rows) + "</sheetData></worksheet>")
    sst_xml = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
               f'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="{len(strings)}" uniqueCount="{len(strings)}">'
               + "".join(f"<si><t>{escape(s)}</t></si>" for s in strings) + "</sst>")
    workbook = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
                'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
                '<sheets><sheet name="Siparişler" sheetId="1" r:id="rId1"/></sheets></workbook>')
    rels = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
            '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
            '</Relationships>')
    content_types = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                     '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                     '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                     '<Default Extension="xml" ContentType="application/xml"/>'
                     '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
                     '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
                     '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
                     '</Types>')
    root_rels = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                 '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                 '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
                 '</Relationships>')
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in [("[Content_Types].xml", content_types), ("_rels/.rels", root_rels),
                           ("xl/workbook.xml", workbook), ("xl/_rels/workbook.xml.rels", rels),
                           ("xl/worksheets/sheet1.xml", sheet), ("xl/sharedStrings.xml", sst_xml)]:
            zi = zipfile.ZipInfo(name, date_time=(2026, 11, 23, 0, 0, 0))
            zi.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(zi, data)

def write_trendyol_xlsx(name="tum-siparisler.xlsx", unused_strings=0):
    """The panel export: a title row, the header on row 2, one order date stored as an Excel serial
    number (as Excel does for real date cells)."""
    rows = [["Trendyol Sipariş Listesi"], TRENDYOL_HEADER] + [trendyol_cells(r) for r in TRENDYOL_ROWS]
    rows[4][3] = Num("46348.3958333333")
    write_xlsx(os.path.join(HERE, "trendyol", name), rows, unused_strings)

if __name__ == "__main__":
    os.makedirs(os.path.join(HERE, "trendyol"), exist_ok=True)
    write_trendyol_csv()
    write_trendyol_xlsx()
    write_trendyol_xlsx("strings-after-header.xlsx", unused_strings=40_000)

HB_HEADER = ["Sipariş Numarası", "Paket Numarası", "Kalem Numarası", "Sipariş Tarihi", "Kargo Firması", "Kargo Takip No",
    "Barkod", "Satıcı Stok Kodu", "Hepsiburada Ürün Kodu", "Ürün Adı", "Seçenek 1", "Seçenek 2", "Kategori", "Adet",
    "Listeleme Fiyatı", "Birim Listeleme Fiyatı", "Faturalandırılacak Birim Satış Fiyatı",
    "Faturalandırılacak Satış Fiyatı", "KDV(%)", "Komisyon Tutarı (KDV Dahil)", "Para Birimi", "Alıcı",
    "Alıcı Mail Adresi", "Teslimat Adresi", "Şehir", "Semt", "Fatura Adresi", "Müşteri Tipi", "Paket Durumu"]

def hb_row(order, pkg, item, date, barcode, sku, name, qty, unit, total, vat, city, status, buyer="Zeynep Kaya"):
    return [order, pkg, item, date, "Aras Kargo", "1234567890", barcode, sku, "HBV00000NE0YY", name, "", "",
            "Ev & Yaşam", qty, total, unit, unit, total, vat, "12,00", "TRY", buyer, "zeynep@example.com",
            "Atatürk Cad. No:1; Daire 2", city, "Çankaya", "Atatürk Cad. No:1", "Bireysel", status]

def write_hepsiburada():
    rows = [HB_HEADER,
        hb_row("4100001", "9100001", "K1", "23-11-2026 14:05:09", "8690000000001", "KTP-1", "Kitap", "2", "50,00", "100,00", "10", "Ankara", "Gönderime Hazır"),
        hb_row("4100001", "9100001", "K2", "23-11-2026 14:05:09", "8690000000002", "KLM-1", "Kalem \"Pro\" Seti", "1", "1.250,00", "1.250,00", "20", "Ankara", "Gönderime Hazır"),
        # Excel turned this barcode into scientific notation: the order must be rejected, not stored wrong.
        hb_row("4100002", "9100002", "K3", "23-11-2026 15:00:00", "8,69123E+12", "DFT-1", "Defter", "1", "35,00", "35,00", "10", "İzmir", "Yeni"),
        # A dot-decimal amount in a comma-decimal file: rejected, never read as 12345.
        hb_row("4100003", "9100003", "K4", "23-11-2026 15:10:00", "8690000000004", "SLG-1", "Silgi", "1", "123.45", "123.45", "20", "Bursa", "Yeni"),
        # A date that is not a date.
        hb_row("4100004", "9100004", "K5", "31-02-2026 10:00:00", "8690000000005", "CTR-1", "Cetvel", "1", "15,00", "15,00", "20", "Bursa", "Yeni"),
        # Missing quantity (a required field).
        hb_row("4100005", "9100005", "K6", "23-11-2026 16:00:00", "8690000000006", "MKS-1", "Makas", "", "45,00", "45,00", "20", "Adana", "Yeni"),
        hb_row("4100006", "9100006", "K7", "23-11-2026 17:00:00", "8690000000007", "ZMB-1", "Zımba", "1", "89,90", "89,90", "20", "Iğdır", "Kargoya Verildi"),
    ]
    def cell(c):
        c = str(c)
        return '"' + c.replace('"', '""') + '"' if (";" in c or '"' in c or "\t" in c) else c
    text = "\r\n".join(";".join(cell(c) for c in r) for r in rows) + "\r\n"
    with open(os.path.join(HERE, "hepsiburada", "hb-siparisler.csv"), "wb") as f:
        f.write(b"\xef\xbb\xbf" + text.encode("utf-8"))
    # The same good order as UTF-16 LE with BOM (Excel "Unicode text", tab separated).
    tab = "\r\n".join("\t".join(cell(c) for c in r) for r in rows[:3]) + "\r\n"
    with open(os.path.join(HERE, "hepsiburada", "hb-unicode-text.txt"), "wb") as f:
        f.write(b"\xff\xfe" + tab.encode("utf-16-le"))

N11_ORDER = """    <order>
      <id>{id}</id><orderNumber>{number}</orderNumber><createDate>{date}</createDate><status>{status}</status>
      <citizenshipId>11111111111</citizenshipId><paymentType>1</paymentType>
      <totalAmount>{total}</totalAmount><totalDiscountAmount>0.00</totalDiscountAmount>
      <buyer><id>77</id><fullName>{buyer}</fullName><email>alici@example.com</email>{tax}</buyer>
      <shippingAddress><address>{address}</address><city>{city}</city><district>Merkez</district><gsm>05550000000</gsm></shippingAddress>
      <billingAddress><address>{address}</address><city>{city}</city><district>Merkez</district><fullName>{buyer}</fullName></billingAddress>
      <orderItemList>
{items}
      </orderItemList>
    </order>
"""
N11_ITEM = """        <orderItem><id>{id}</id><productId>{pid}</productId><productName>{name}</productName>
          <productSellerCode>{sku}</productSellerCode><quantity>{qty}</quantity><price>{price}</price>
          <dueAmount>{total}</dueAmount><sellerInvoiceAmount>{total}</sellerInvoiceAmount>
          <attributes><attribute><name>Renk</name><value>Kırmızı</value></attribute></attributes>
          <shipmentInfo><shipmentCompany><id>345</id><name>Aras</name></shipmentCompany><campaignNumber>8001</campaignNumber></shipmentInfo>
        </orderItem>"""

def write_n11():
    orders = [
        dict(id=1, number="205000001", date="23/11/2026 14:05", status="5", total="1250.50", buyer="Ali &amp; Veli Ltd.",
             tax="<taxId>4567890128</taxId><taxOffice>Beşiktaş</taxOffice>",
             address="Bağdat Cad. &lt;No:3&gt; Kadıköy", city="İstanbul",
             items=[dict(id=11, pid=5001, name="Bardak &amp; Tabak", sku="ABC-1", qty=2, price="500.25", total="1000.50"),
                    dict(id=12, pid=5002, name="Kaşık", sku="ABC-2", qty=1, price="250.00", total="250.00")]),
        dict(id=2, number="205000002", date="22/11/2026 10:00", status="1", total="75.00", buyer="Ece Şahin", tax="",
             address="İnönü Sk. 4", city="Eskişehir",
             items=[dict(id=21, pid=5003, name="Peçete", sku="ABC-3", qty=3, price="25.00", total="75.00")]),
    ]
    body = "".join(N11_ORDER.format(items="\n".join(N11_ITEM.format(**i) for i in o.pop("items")), **o) for o in orders)
    xml = f"""<?xml version="1.0" encoding="UTF-8"?>
<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/">
  <SOAP-ENV:Header/>
  <SOAP-ENV:Body>
  <ns3:DetailedOrderListResponse xmlns:ns3="http://www.n11.com/ws/schemas">
  <result><status>success</status></result>
  <pagingData><currentPage>0</currentPage><pageSize>100</pageSize><totalCount>2</totalCount><pageCount>1</pageCount></pagingData>
  <orderList>
{body}  </orderList>
  </ns3:DetailedOrderListResponse>
  </SOAP-ENV:Body>
</SOAP-ENV:Envelope>
"""
    with open(os.path.join(HERE, "n11", "DetailedOrderList.xml"), "w", encoding="utf-8") as f:
        f.write(xml)
    # Malformed: the second order is cut off mid-element. The first order must still land.
    # libxml2 parses ahead in 512-byte chunks, so give the good orders some room before the break.
    many = [dict(id=10 + k, number=f"2051000{k:02d}", date="21/11/2026 10:00", status="1", total="75.00", tax="",
                 buyer="Ece Şahin", address="İnönü Sk. 4", city="Eskişehir",
                 items=[dict(id=100 + k, pid=5003, name="Peçete", sku="ABC-3", qty=3, price="25.00", total="75.00")])
            for k in range(6)]
    body6 = "".join(N11_ORDER.format(items="\n".join(N11_ITEM.format(**i) for i in o.pop("items")), **o) for o in many)
    full = xml.replace("<orderList>\n", "<orderList>\n" + body6, 1)
    cut = full[: full.index("<orderNumber>205100005")] + "<orderNumber>205100005</orderNum"
    with open(os.path.join(HERE, "n11", "DetailedOrderList-truncated.xml"), "w", encoding="utf-8") as f:
        f.write(cut)
    # An external entity: refused before anything is read.
    xxe = xml.replace('<?xml version="1.0" encoding="UTF-8"?>\n',
                      '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE Envelope [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n', 1)
    xxe = xxe.replace("<fullName>Ece Şahin</fullName>", "<fullName>&xxe;</fullName>")
    with open(os.path.join(HERE, "n11", "DetailedOrderList-xxe.xml"), "w", encoding="utf-8") as f:
        f.write(xxe)

def write_amazon():
    header = ("amazon-order-id\tmerchant-order-id\tpurchase-date\tlast-updated-date\torder-status\tfulfillment-channel\t"
              "sales-channel\torder-channel\turl\tship-service-level\tproduct-name\tsku\tasin\titem-status\tquantity\t"
              "currency\titem-price\titem-tax\tshipping-price\tshipping-tax\tgift-wrap-price\tgift-wrap-tax\t"
              "item-promotion-discount\tship-promotion-discount\tship-city\tship-state\tship-postal-code\tship-country\t"
              "promotion-ids\tis-business-order\tpurchase-order-number\tprice-designation")
    def row(oid, status, name, sku, asin, istatus, qty, price, tax, ship=""):
        return "\t".join([oid, "", "2026-11-20T08:04:21+00:00", "2026-11-21T10:00:00+00:00", status, "Merchant",
                          "Amazon.com.tr", "", "", "Standard", name, sku, asin, istatus, qty, "TRY", price, tax, ship, "",
                          "", "", "", "", "İSTANBUL", "", "34710", "TR", "", "false", "", ""])
    rows = [header,
            row("402-1845936-5435065", "Shipped", "Kahve Fincanı", "SKU-1", "B0001", "Shipped", "2", "300.00", "50.00"),
            row("402-1845936-5435065", "Shipped", "Tepsi", "SKU-2", "B0002", "Cancelled", "1", "89.95", "14.99"),
            row("402-0000001-0000001", "Unshipped", "Demlik", "SKU-3", "B0003", "Unshipped", "1", "450.00", "75.00", "29.90")]
    with open(os.path.join(HERE, "amazon", "all-orders.txt"), "w", encoding="utf-8") as f:
        f.write("\n".join(rows) + "\n")

if __name__ == "__main__":
    for d in ["hepsiburada", "n11", "amazon"]:
        os.makedirs(os.path.join(HERE, d), exist_ok=True)
    write_hepsiburada()
    write_n11()
    write_amazon()
