#!/usr/bin/env python3
"""Deterministic, realistic order exports for the benchmark, in the layouts the mappings read.

usage: generate.py OUT_DIR ORDERS [KINDS] → n11-<N>.xml, shopify-<N>.csv, trendyol-<N>.xlsx,
                                           userlist-<N>.xml and .zip (GİB's e-Fatura user list, N users)
Each order has 1–4 lines, Turkish text and characters that need escaping (&, <, ", ;).
Same ORDERS → same bytes (seeded).
"""
import os, random, sys, zipfile
from xml.sax.saxutils import escape

FIRST = ["Ayşe", "Mehmet", "Zeynep", "Şükrü", "İsmail", "Çağla", "Gökhan", "Ömer", "Ümran", "Işıl"]
LAST = ["Yılmaz", "Öztürk", "Çelik", "Şahin", "Doğan", "Kılıç", "Aydın", "Güneş", "Ağaoğlu", "Ünal"]
CITY = ["İstanbul", "Ankara", "İzmir", "Iğdır", "Şanlıurfa", "Muğla", "Çanakkale", "Eskişehir"]
PRODUCT = ["Çay Demliği", "Bakır Cezve", "Fincan Takımı & Tabak", "Kalem \"Pro\" Seti", "Defter; A5",
           "Peçete <Kağıt>", "Zımba", "Güneş Gözlüğü"]

def orders(n, seed):
    rnd = random.Random(seed)
    for i in range(n):
        lines = []
        for l in range(1 + i % 4):
            qty = 1 + rnd.randrange(3)
            unit = rnd.randrange(500, 250000)  # kuruş
            lines.append((f"SKU-{rnd.randrange(5000):05d}", PRODUCT[rnd.randrange(len(PRODUCT))], qty, unit))
        yield i, f"{FIRST[i % 10]} {LAST[(i // 10) % 10]}", CITY[i % len(CITY)], lines

def money(k):
    return f"{k // 100}.{k % 100:02d}"

def n11(out, n):
    path = os.path.join(out, f"n11-{n}.xml")
    with open(path, "w", encoding="utf-8", buffering=1 << 20) as f:
        f.write('<?xml version="1.0" encoding="UTF-8"?>\n<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/">'
                '<SOAP-ENV:Body><ns3:DetailedOrderListResponse xmlns:ns3="http://www.n11.com/ws/schemas">'
                '<result><status>success</status></result><orderList>\n')
        for i, buyer, city, lines in orders(n, 1):
            total = sum(q * u for _, _, q, u in lines)
            items = "".join(
                f"<orderItem><id>{i * 10 + k}</id><productId>{5000 + k}</productId><productName>{escape(name)}</productName>"
                f"<productSellerCode>{sku}</productSellerCode><quantity>{q}</quantity><price>{money(u)}</price>"
                f"<dueAmount>{money(q * u)}</dueAmount><sellerInvoiceAmount>{money(q * u)}</sellerInvoiceAmount>"
                f"<shipmentInfo><shipmentCompany><id>345</id><name>Aras</name></shipmentCompany><campaignNumber>{8000 + i}</campaignNumber></shipmentInfo>"
                f"</orderItem>" for k, (sku, name, q, u) in enumerate(lines))
            f.write(f"<order><id>{i}</id><orderNumber>{200000000 + i}</orderNumber><createDate>23/11/2026 14:05</createDate>"
                    f"<status>5</status><citizenshipId>11111111111</citizenshipId><totalAmount>{money(total)}</totalAmount>"
                    f"<totalDiscountAmount>0.00</totalDiscountAmount><buyer><id>{i}</id><fullName>{escape(buyer)}</fullName>"
                    f"<email>alici{i}@example.com</email></buyer><shippingAddress><address>{escape('Atatürk Cad. No:1 & <B> Blok')}</address>"
                    f"<city>{city}</city><district>Merkez</district><gsm>05550000000</gsm></shippingAddress>"
                    f"<orderItemList>{items}</orderItemList></order>\n")
        f.write("</orderList></ns3:DetailedOrderListResponse></SOAP-ENV:Body></SOAP-ENV:Envelope>\n")

SHOPIFY = ("Name,Email,Financial Status,Paid at,Fulfillment Status,Fulfilled at,Accepts Marketing,Currency,Subtotal,Shipping,Taxes,Total,"
           "Discount Code,Discount Amount,Shipping Method,Created at,Lineitem quantity,Lineitem name,Lineitem price,"
           "Lineitem compare at price,Lineitem sku,Lineitem requires shipping,Lineitem taxable,Lineitem fulfillment status,"
           "Billing Name,Billing Street,Billing Address1,Billing Address2,Billing Company,Billing City,Billing Zip,Billing Province,"
           "Billing Country,Billing Phone,Shipping Name,Shipping Street,Shipping Address1,Shipping Address2,Shipping Company,"
           "Shipping City,Shipping Zip,Shipping Province,Shipping Country,Shipping Phone,Notes,Note Attributes,Cancelled at,"
           "Payment Method,Payment Reference,Refunded Amount,Vendor,Outstanding Balance,Employee,Location,Device ID,Id,Tags,"
           "Risk Level,Source,Lineitem discount,Tax 1 Name,Tax 1 Value,Tax 2 Name,Tax 2 Value,Tax 3 Name,Tax 3 Value,Tax 4 Name,"
           "Tax 4 Value,Tax 5 Name,Tax 5 Value,Phone,Receipt Number,Duties,Billing Province Name,Shipping Province Name,"
           "Payment ID,Payment Terms Name,Next Payment Due At,Payment References").split(",")

def csv_cell(s):
    s = str(s)
    return '"' + s.replace('"', '""') + '"' if any(c in s for c in ',"\n') else s

def shopify(out, n, first=0, name=None):
    """`n` orders numbered from #1000 + `first`, in shopify-<n>.csv (or `name`)."""
    assert len(SHOPIFY) == 79
    idx = {h: i for i, h in enumerate(SHOPIFY)}
    path = os.path.join(out, name or f"shopify-{n}.csv")
    with open(path, "w", encoding="utf-8", buffering=1 << 20, newline="") as f:
        f.write(",".join(SHOPIFY) + "\n")
        for j, buyer, city, lines in orders(n, 2 + first):
            i = first + j
            subtotal = sum(q * u for _, _, q, u in lines)
            shipping = 2990 if i % 3 == 0 else 0
            for k, (sku, name, q, u) in enumerate(lines):
                row = [""] * 79
                row[idx["Name"]] = f"#{1000 + i}"
                row[idx["Email"]] = f"musteri{i}@example.com"
                row[idx["Created at"]] = "2026-11-23 14:05:00 +0300"
                row[idx["Lineitem quantity"]] = q
                row[idx["Lineitem name"]] = name
                row[idx["Lineitem price"]] = money(u)
                row[idx["Lineitem sku"]] = sku
                row[idx["Lineitem discount"]] = "0.00"
                row[idx["Vendor"]] = "Pra Store"
                if k == 0:
                    for h, v in [("Financial Status", "paid"), ("Fulfillment Status", "fulfilled"), ("Currency", "TRY"),
                                 ("Subtotal", money(subtotal)), ("Shipping", money(shipping)), ("Taxes", "0.00"),
                                 ("Total", money(subtotal + shipping)), ("Shipping Method", "Yurtiçi Kargo"),
                                 ("Billing Name", buyer), ("Billing Street", "Atatürk Cad. No:1, D:3"), ("Billing City", city),
                                 ("Billing Zip", "34710"), ("Billing Country", "TR"), ("Shipping Name", buyer),
                                 ("Shipping City", city), ("Shipping Country", "TR"), ("Payment Method", "iyzico"),
                                 ("Id", 6634244374859 + i), ("Risk Level", "Low"), ("Source", "web"), ("Tax 1 Name", "KDV 20%"),
                                 ("Tax 1 Value", "0.00")]:
                        row[idx[h]] = v
                f.write(",".join(csv_cell(c) for c in row) + "\n")

TRENDYOL = ["Barkod", "Paket No", "Kargo Firması", "Sipariş Tarihi", "Termin Süresinin Bittiği Tarih",
    "Kargoya Teslim Tarihi", "Kargo Kodu", "Sipariş Numarası", "Alıcı", "Teslimat Adresi", "İl", "İlçe",
    "Ürün Adı", "Fatura Adresi", "Alıcı - Fatura Adresi", "Sipariş Statüsü", "E-Posta", "Komisyon Oranı",
    "Marka", "Stok Kodu", "Adet", "Birim Fiyatı", "Satış Tutarı", "İndirim Tutarı", "Trendyol İndirim Tutarı",
    "Faturalanacak Tutar", "Butik Numarası", "Teslim Tarihi"]

def col(i):
    s, i = "", i + 1
    while i:
        i, r = divmod(i - 1, 26)
        s = chr(65 + r) + s
    return s

def trendyol(out, n):
    """An .xlsx the way Excel writes one: shared strings for text, numbers as numbers."""
    strings, index = [], {}
    def sst(s):
        j = index.get(s)
        if j is None:
            j = index[s] = len(strings)
            strings.append(s)
        return j
    path = os.path.join(out, f"trendyol-{n}.xlsx")
    cols = [col(i) for i in range(len(TRENDYOL))]
    # Deflated at zlib's default level, as Excel saves a workbook.
    sheet = zipfile.ZipInfo("xl/worksheets/sheet1.xml", date_time=(2026, 11, 23, 0, 0, 0))
    sheet.compress_type = zipfile.ZIP_DEFLATED
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        with z.open(sheet, "w", force_zip64=True) as raw:
            buf = []
            def flush():
                raw.write("".join(buf).encode("utf-8"))
                buf.clear()
            buf.append('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>')
            buf.append('<row r="1">' + "".join(f'<c r="{cols[c]}1" t="s"><v>{sst(h)}</v></c>' for c, h in enumerate(TRENDYOL)) + "</row>")
            r = 2
            for i, buyer, city, lines in orders(n, 3):
                for k, (sku, name, q, u) in enumerate(lines):
                    vals = [f"869{(i * 4 + k):010d}", str(3000000 + i), "Trendyol Express", "23.11.2026 14:05", None, None,
                            f"733{i:010d}", str(800000000 + i), buyer, "Atatürk Cad. No:1 & <B> Blok", city, "Merkez", name,
                            "Atatürk Cad. No:1", buyer, "Kargoya Verildi", f"musteri{i}@example.com", 15, "Pra", sku, q,
                            u / 100, q * u / 100, 0, 0, q * u / 100, None, None]
                    cells = []
                    for c, v in enumerate(vals):
                        if v is None:
                            continue
                        if isinstance(v, (int, float)):
                            cells.append(f'<c r="{cols[c]}{r}"><v>{round(v, 2)}</v></c>')
                        else:
                            cells.append(f'<c r="{cols[c]}{r}" t="s"><v>{sst(v)}</v></c>')
                    buf.append(f'<row r="{r}">' + "".join(cells) + "</row>")
                    r += 1
                if len(buf) > 2000:
                    flush()
            buf.append("</sheetData></worksheet>")
            flush()
        z.writestr("xl/sharedStrings.xml", '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                   f'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="{len(strings)}" uniqueCount="{len(strings)}">'
                   + "".join(f"<si><t>{escape(s)}</t></si>" for s in strings) + "</sst>")
        z.writestr("xl/workbook.xml", '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Siparişler" sheetId="1" r:id="rId1"/></sheets></workbook>')
        z.writestr("xl/_rels/workbook.xml.rels", '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>')
        z.writestr("[Content_Types].xml", '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/></Types>')

def userlist(out, n):
    """GİB's NewUserList layout with `n` users: VKNs and TCKNs, one to three aliases (some
    deleted), invoice and despatch documents, OZEL and KAMU, as the real list (over a million
    users) is — and its zip, the way it is downloaded."""
    rnd = random.Random(4)
    path = os.path.join(out, f"userlist-{n}.xml")
    with open(path, "w", encoding="utf-8", buffering=1 << 20) as f:
        f.write('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<UserList>')
        for i in range(n):
            ident = f"{1000000000 + i * 7:010d}" if i % 3 else f"{10000000000 + i * 13:011d}"
            title = f"{LAST[i % 10]} {PRODUCT[i % len(PRODUCT)].split()[0]} Ticaret Ltd. Şti. & Ort. {i}"
            kind = "KAMU" if i % 97 == 0 else "OZEL"
            year = 2010 + rnd.randrange(16)
            aliases = []
            for a in range(1 + (i % 5 == 0) + (i % 11 == 0)):
                created = f"{year + a}-{1 + rnd.randrange(12):02d}-{1 + rnd.randrange(28):02d}T10:00:00.000+03:00"
                deleted = (f"<DeletionTime>{year + a + 1}-06-01T00:00:00.000+03:00</DeletionTime>"
                           if rnd.random() < 0.1 else "")
                aliases.append(f"<Alias><Name>urn:mail:defaultpk{a}@firma{i}.com.tr</Name>"
                               f"<CreationTime>{created}</CreationTime>{deleted}</Alias>")
            docs = f'<Document type="Invoice">{"".join(aliases)}</Document>'
            if i % 4 == 0:
                docs += f'<Document type="DespatchAdvice">{aliases[0]}</Document>'
            f.write(f"<User><Identifier>{ident}</Identifier><Title>{escape(title)}</Title><Type>{kind}</Type>"
                    f"<FirstCreationTime>{year}-01-01T10:00:00.000+03:00</FirstCreationTime>"
                    f"<AccountType>OZELENTEGRASYON</AccountType><Documents>{docs}</Documents></User>\n")
        f.write("</UserList>\n")
    with zipfile.ZipFile(os.path.join(out, f"userlist-{n}.zip"), "w", zipfile.ZIP_DEFLATED) as z:
        z.write(path, "newUserPkList.xml")

if __name__ == "__main__":
    out, n = sys.argv[1], int(sys.argv[2])
    os.makedirs(out, exist_ok=True)
    which = sys.argv[3].split(",") if len(sys.argv) > 3 else ["n11", "shopify", "trendyol"]
    for w in which:
        {"n11": n11, "shopify": shopify, "trendyol": trendyol, "userlist": userlist}[w](out, n)
