#!/usr/bin/env python3
"""Writes one file per platform of the second round of mappings, in the layouts of
../shared/formats/FORMATS.md (sections 1c, 2b, 3b, 4b, 5b–5f, 6b–6d), as unkind as the real
ones: a split Trendyol order, Çiçeksepeti items of one order apart from each other, an eBay
report with its blank line, "sep=," line and trailer rows, a PTT AVM workbook with numeric
cells, money with currency signs, month-first and 12-hour dates. Identities are invented.

Run from the repository root: python3 Tests/Fixtures/generate_platforms.py
"""
import json, os, zipfile
from generate import HERE, col

OUT = os.path.join(HERE, "platforms")

def write(name, text, encoding="utf-8", newline="\n"):
    with open(os.path.join(OUT, name), "w", encoding=encoding, newline="") as f:
        f.write(text.replace("\n", newline))

def trendyol_api():
    def package(pid, order, status, lines, total, ms=1795442700000):
        return {"id": pid, "orderNumber": order, "orderDate": ms, "lastModifiedDate": ms + 3600000, "currencyCode": "TRY",
                "totalPrice": total, "totalTyDiscount": 0, "customerFirstName": "Ayşe", "customerLastName": "Yılmaz",
                "customerEmail": "pf+a1@trendyolmail.com", "identityNumber": "0000000000000", "taxNumber": None,
                "cargoTrackingNumber": 7340000000000 + pid % 1000, "cargoProviderName": "Trendyol Express Marketplace",
                "shipmentPackageStatus": status, "status": status,
                "shipmentAddress": {"fullAddress": "Moda Cad. 1 Kadıköy İstanbul", "city": " İstanbul ", "district": "Kadıköy",
                                    "countryCode": "TR"},
                "invoiceAddress": {"fullAddress": "Moda Cad. 1 Kadıköy İstanbul", "city": "İstanbul", "district": "Kadıköy"},
                "lines": lines}
    def line(lid, sku, qty, unit_prices, vat, status):
        return {"id": lid, "quantity": qty, "merchantSku": sku, "barcode": "869" + str(lid).zfill(10), "productName": "Ürün " + sku,
                "amount": max(unit_prices) if unit_prices else 0, "price": round(sum(unit_prices) / max(qty, 1), 2),
                "vatBaseAmount": vat, "orderLineItemStatusName": status, "currencyCode": "TRY",
                "discountDetails": [{"lineItemPrice": p, "lineItemDiscount": 0, "lineItemTyDiscount": 0} for p in unit_prices]}
    content = [
        package(11650604, "80869231", "Shipped", [line(56040534, "CLT-1", 2, [13.00, 12.99], 20, "Shipped")], 25.99),
        package(11650700, "80869300", "Delivered", [line(56040600, "KTP-1", 1, [99.90], 10, "Delivered"),
                                                     line(56040601, "KLM-1", 3, [10.00, 10.00, 10.00], 20, "Delivered")], 129.90),
        # The second package of the split order 80869231: another id, another barcode.
        package(11650605, "80869231", "Created", [line(56040535, "CLT-2", 1, [49.50], 20, "Created")], 49.50),
    ]
    write("trendyol-api-packages.json", json.dumps({"page": 0, "size": 50, "totalPages": 1, "totalElements": 3,
                                                     "content": content}, ensure_ascii=False, indent=1))

def ciceksepeti():
    def item(order, item_id, code, qty, price, status=3):
        return {"orderId": order, "orderItemId": item_id, "orderCreateDate": "22.11.2026", "orderCreateTime": "18:45:00",
                "orderItemStatusId": status, "code": code, "name": "Ürün " + code, "quantity": qty, "itemPrice": price,
                "totalPrice": round(price * qty, 2), "invoicePrice": round(price * qty, 2), "tax": 20,
                "receiverName": "Elif Ak", "receiverCity": "İstanbul", "receiverDistrict": "Beşiktaş", "cargoNumber": "CS" + str(order)}
    items = [item(61234567, 90001, "GUL-12", 1, 450.00), item(61234568, 90003, "ORK-1", 1, 899.90, 1),
             item(61234567, 90002, "KRT-1", 1, 35.50)]  # the items of 61234567 are apart
    write("ciceksepeti-orders.json", json.dumps({"orderListCount": 3, "pageCount": 1, "supplierOrderListWithBranch": items},
                                                 ensure_ascii=False))

def amazon_xml():
    order = lambda oid, items: (f"<Message><MessageID>{oid[-1]}</MessageID><OrderReport><AmazonOrderID>{oid}</AmazonOrderID>"
                                "<OrderDate>2026-11-23T11:05:00+00:00</OrderDate><OrderPostedDate>2026-11-23T11:06:00+00:00</OrderPostedDate>"
                                "<BillingData><BuyerEmailAddress>x@marketplace.amazon.com.tr</BuyerEmailAddress><BuyerName>Deniz Şahin</BuyerName></BillingData>"
                                "<FulfillmentData><FulfillmentMethod>Ship</FulfillmentMethod><FulfillmentServiceLevel>Standard</FulfillmentServiceLevel>"
                                "<Address><Name>Deniz Şahin</Name><AddressFieldOne>Alsancak 1</AddressFieldOne><City>İzmir</City>"
                                "<PostalCode>35220</PostalCode><CountryCode>TR</CountryCode></Address></FulfillmentData>"
                                + items + "</OrderReport></Message>\n")
    item = lambda code, sku, qty, principal, shipping: (
        f"<Item><AmazonOrderItemCode>{code}</AmazonOrderItemCode><SKU>{sku}</SKU><Title>Ürün &amp; {sku}</Title>"
        f"<Quantity>{qty}</Quantity><ProductTaxCode>A_GEN_STANDARD</ProductTaxCode><ItemPrice>"
        f"<Component><Type>Shipping</Type><Amount currency=\"TRY\">{shipping}</Amount></Component>"
        f"<Component><Type>Principal</Type><Amount currency=\"TRY\">{principal}</Amount></Component>"
        f"<Component><Type>Tax</Type><Amount currency=\"TRY\">0.00</Amount></Component></ItemPrice></Item>")
    write("amazon-order-report.xml", '<?xml version="1.0" encoding="UTF-8"?>\n<AmazonEnvelope xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
          "<Header><DocumentVersion>1.01</DocumentVersion><MerchantIdentifier>M_DEMO</MerchantIdentifier></Header>"
          "<MessageType>OrderReport</MessageType>\n"
          + order("405-1234567-1234561", item("11", "LMB-1", 1, "758.00", "29.90") + item("12", "AMP-1", 2, "40.00", "0.00"))
          + order("405-1234567-1234562", item("21", "HLI-1", 1, "1499.00", "0.00"))
          + "</AmazonEnvelope>\n")

def ebay():
    header = ("Sales Record Number,Order Number,Buyer Username,Buyer Name,Buyer Email,Ship To Name,Ship To Phone,Ship To Address 1,"
              "Ship To Address 2,Ship To City,Ship To State,Ship To Zip,Ship To Country,Item Number,Item Title,Custom Label,Quantity,"
              "Sold For,Shipping And Handling,Seller Collected Tax,eBay Collected Tax,Total Price,Payment Method,Sale Date,"
              "Paid On Date,Shipping Service,Tracking Number,Transaction ID")
    rows = [
        '101,12-34567-89012,jsmith,John Smith,john@example.com,John Smith,+1 512 555 0100,1 Main St,,Austin,TX,78701,United States,,,,,,"$12.00",$0.00,$97.53,"$1,531.19",PayPal,Jul-21-25,Jul-21-25,USPS Priority,,',
        '101,12-34567-89012,jsmith,,,,,,,,,,,3345001,Brass Coffee Pot,CZV-2,2,"$700.83",,,,,,Jul-21-25,,,,2900001',
        '101,12-34567-89012,jsmith,,,,,,,,,,,3345002,Tea Glass,CAY-6,1,$8.00,,,,,,Jul-21-25,,,,2900002',
        '102,12-34567-89013,alopez,Ana Lopez,ana@example.com,Ana Lopez,,5 Ocean Dr,,Miami,FL,33139,United States,3345003,Turkish Towel,HAV-1,1,$45.99,$0.00,$0.00,$3.22,$49.21,PayPal,Jul-22-25,Jul-22-25,USPS Ground,9400100000000000000001,2900003',
    ]
    blanks = "," * 27
    text = "\nsep=,\n" + header + "\n" + "\n".join(rows) + "\n" + blanks + "\n2 record(s) downloaded" + "," * 27 + "\nSeller ID : pra-demo" + "," * 27 + "\n"
    write("ebay-orders-report.csv", text, newline="\r\n")

def woocommerce():
    header = ("order_id,order_number,order_number_formatted,order_date,status,shipping_total,shipping_tax_total,fee_total,fee_tax_total,"
              "tax_total,cart_discount,order_discount,discount_total,order_total,refunded_total,order_currency,payment_method,"
              "shipping_method,customer_id,billing_first_name,billing_last_name,billing_company,billing_email,billing_phone,"
              "billing_address_1,billing_address_2,billing_postcode,billing_city,billing_state,billing_country,shipping_first_name,"
              "shipping_last_name,shipping_address_1,shipping_address_2,shipping_postcode,shipping_city,shipping_state,"
              "shipping_country,shipping_company,customer_note,line_items,shipping_items,fee_items,tax_items,coupon_items,refunds,"
              "order_notes,download_permissions_granted")
    items1 = ("id:91|name:Fincan Takımı, 6'lı|product_id:55|sku:FIN-6|quantity:2|subtotal:200.00|subtotal_tax:40.00|total:200.00|total_tax:40.00|refunded:0|refunded_qty:0|meta:;"
              "id:92|name:Kitap|product_id:56|sku:KTP-1|quantity:1|subtotal:65.36|subtotal_tax:6.54|total:65.36|total_tax:6.54|refunded:0|refunded_qty:0|meta:")
    items2 = "id:93|name:Defter A5|product_id:57|sku:DFT-5|quantity:3|subtotal:75.00|subtotal_tax:15.00|total:75.00|total_tax:15.00|refunded:0|refunded_qty:0|meta:"
    rows = [
        ["1455", "1455", "1455", "2026-11-20 10:05:00", "processing", "25.00", "5.00", "10.00", "2.00", "53.54", "0", "0", "0",
         "353.90", "0.00", "TRY", "cod", "Yurtiçi Kargo", "7", "Ayşe", "Yılmaz", "", "ayse@example.com", "05550000001",
         "Atatürk Cad. 5", "D:3", "16000", "Bursa", "BURSA", "TR", "Ayşe", "Yılmaz", "Atatürk Cad. 5", "D:3", "16000", "Bursa",
         "BURSA", "TR", "", "Kapıya bırakın, \"zil\" çalışmıyor", items1, "method:flat_rate|total:25.00", "name:Kapıda ödeme|total:10.00",
         "", "", "", "", "1"],
        ["1456", "1456", "1456", "2026-11-21 18:30:00", "refunded", "0.00", "0.00", "0.00", "0.00", "15.00", "0", "0", "0",
         "90.00", "90.00", "TRY", "iyzico", "", "8", "Can", "Er", "Er Ltd.", "can@example.com", "", "Kızılay 1", "", "06420",
         "Ankara", "ANKARA", "TR", "Can", "Er", "Kızılay 1", "", "06420", "Ankara", "ANKARA", "TR", "", "", items2, "", "", "", "", "", "", "1"],
    ]
    def cell(v):
        return '"' + v.replace('"', '""') + '"' if any(c in v for c in ',"\n') else v
    write("woocommerce-orders.csv", header + "\n" + "\n".join(",".join(cell(v) for v in r) for r in rows) + "\n", encoding="utf-8-sig")

def magento():
    write("magento-order-grid.csv",
          "ID,Purchase Point,Purchase Date,Bill-to Name,Ship-to Name,Grand Total (Base),Grand Total (Purchased),Status,"
          "Billing Address,Shipping Address,Shipping Information,Customer Email,Customer Group,Subtotal,Shipping and Handling,"
          "Customer Name,Payment Method,Total Refunded\n"
          '000000123,"Main Website\nMain Website Store\nDefault Store View","Nov 23, 2026 2:05:09 PM",Elif Ak,Elif Ak,"₺1,249.90",'
          '"₺1,249.90",Processing,"Barbaros Blv. 1,Beşiktaş,İstanbul,34353","Barbaros Blv. 1,Beşiktaş,İstanbul,34353",'
          'Flat Rate - Fixed,elif@example.com,General,"₺1,199.90",₺50.00,Elif Ak,Check / Money order,\n'
          '000000124,Main Website,"Nov 23, 2026 9:00:00 AM",Can Er,Can Er,₺99.00,₺99.00,Canceled,,,,can@example.com,General,'
          "₺99.00,₺0.00,Can Er,Check / Money order,\n"
          '000000125,Main Website,"Nov 22, 2026 11:59:59 PM",Deniz Şahin,Deniz Şahin,₺250.00,₺250.00,Closed,,,,deniz@example.com,'
          'General,₺250.00,₺0.00,Deniz Şahin,Check / Money order,₺250.00\n', encoding="utf-8-sig")

def ptt_avm():
    """A workbook the way Excel writes one: shared strings, amounts and quantities as numbers."""
    header = ["Sipariş No", "Sipariş Kalem No", "Sipariş Tarihi", "Sipariş Durumu", "Alıcı Adı", "Alıcı Telefon", "Teslimat Adresi",
              "İl", "İlçe", "Barkod", "Stok Kodu", "Ürün Adı", "Adet", "Birim Fiyat", "Toplam Tutar", "KDV Oranı", "Kargo Firması",
              "Kargo Takip No"]
    rows = [["PTT-1001", 1, "23.11.2026 14:05", "Kargoya Verildi", "Hasan Kaya", "05550000009", "Kale Mah. 3", "Sivas", "Merkez",
             "8690000000101", "BAL-1", "Çiçek Balı 850 g", 2, 225, 450, 1, "PTT Kargo", "KP0000000001"],
            ["PTT-1001", 2, "23.11.2026 14:05", "Kargoya Verildi", "Hasan Kaya", "05550000009", "Kale Mah. 3", "Sivas", "Merkez",
             "8690000000102", "PKM-1", "Üzüm Pekmezi", 1, 1100.5, 1100.5, 10, "PTT Kargo", "KP0000000001"],
            ["PTT-1002", 1, "22.11.2026 09:30", "İptal Edildi", "Sevgi Yıldız", "", "Cumhuriyet Cad. 8", "Kars", "Merkez",
             "8690000000103", "PEY-1", "Kars Gravyeri", 1, 389.9, 389.9, 1, "", ""]]
    strings, index = [], {}
    def sst(s):
        if s not in index:
            index[s] = len(strings)
            strings.append(s)
        return index[s]
    from xml.sax.saxutils import escape
    sheet = ['<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>']
    for r, values in enumerate([header] + rows, start=1):
        cells = []
        for c, v in enumerate(values):
            ref = f"{col(c)}{r}"
            if isinstance(v, (int, float)):
                cells.append(f'<c r="{ref}"><v>{v}</v></c>')
            elif v != "":
                cells.append(f'<c r="{ref}" t="s"><v>{sst(v)}</v></c>')
        sheet.append(f'<row r="{r}">' + "".join(cells) + "</row>")
    sheet.append("</sheetData></worksheet>")
    with zipfile.ZipFile(os.path.join(OUT, "pttavm-siparisler.xlsx"), "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>')
        z.writestr("xl/workbook.xml", '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Siparişler" sheetId="1" r:id="rId1"/></sheets></workbook>')
        z.writestr("xl/_rels/workbook.xml.rels", '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>')
        z.writestr("xl/sharedStrings.xml", '<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                   + "".join(f"<si><t>{escape(s)}</t></si>" for s in strings) + "</sst>")
        z.writestr("xl/worksheets/sheet1.xml", "".join(sheet))

def n11_rest():
    def package(pid, order, status, lines, total):
        return {"id": pid, "orderNumber": order, "createdDate": 1795428300000, "lastModifiedDate": 1795450000000,
                "customerfullName": "Can Yücel", "customerEmail": "can@example.com", "tcIdentityNumber": "10000000146",
                "cargoTrackingNumber": f"345{pid}", "cargoProviderName": "Aras Kargo", "shipmentPackageStatus": status,
                "totalAmount": total, "totalDiscountAmount": 0,
                "shippingAddress": {"address": "Kızılay 5", "city": "Ankara", "district": "Çankaya", "gsm": "05550000000"},
                "billingAddress": {"address": "Kızılay 5", "city": "Ankara", "district": "Çankaya", "fullName": "Can Yücel",
                                   "tcId": "10000000146", "invoiceType": 1},
                "lines": lines}
    line = lambda lid, sku, qty, price, vat, status: {"orderLineId": lid, "stockCode": sku, "productName": "Ürün " + sku, "quantity": qty,
                                                      "price": price, "dueAmount": round(price * qty, 2),
                                                      "sellerInvoiceAmount": round(price * qty, 2), "vatRate": vat,
                                                      "orderItemLineItemStatusName": status, "barcode": None}
    write("n11-shipment-packages.json", json.dumps({"content": [
        package(3300001, "209000001", "Shipped", [line(71, "KTP-1", 1, 99.90, 10, "Shipped"), line(72, "KLM-1", 2, 24.95, 20, "Shipped")], 149.80),
        package(3300002, "209000002", "Created", [line(73, "DFT-1", 1, 30.00, 20, "Created")], 30.00)],
        "pageable": {"pageNumber": 0, "pageSize": 100}, "totalElements": 2}, ensure_ascii=False))

def hepsiburada_api():
    item = lambda lid, order, sku, qty, unit, vat: {"lineItemId": lid, "orderNumber": order, "merchantSku": sku, "name": "Ürün " + sku,
                                                    "quantity": qty, "unitPrice": {"currency": "TRY", "amount": unit},
                                                    "totalPrice": {"currency": "TRY", "amount": round(unit * qty, 2)},
                                                    "hbDiscount": {"totalPrice": {"currency": "TRY", "amount": 0}}, "vatRate": vat}
    packages = [{"id": "b1f7", "status": "Open", "customerName": "Zeynep Kara", "orderDate": "2026-11-23T14:05:09.4518986",
                 "barcode": "1234567890123", "packageNumber": "013105889", "cargoCompany": "Aras Kargo", "shippingCity": "İzmir",
                 "shippingTown": "Bornova", "email": "zeynep@example.com", "identityNo": "10000000146",
                 "items": [item("L1", "4700001", "KTP-1", 2, 50.00, 10), item("L2", "4700001", "KLM-1", 1, 1250.00, 20)]},
                {"id": "b1f8", "status": "Open", "customerName": "Zeynep Kara", "orderDate": "2026-11-23T14:05:09.4518986",
                 "barcode": "1234567890124", "packageNumber": "013105890", "cargoCompany": "HepsiJet",
                 "items": [item("L3", "4700001", "DFT-1", 1, 35.00, 20)]}]
    write("hepsiburada-packages.json", json.dumps(packages, ensure_ascii=False, indent=2))

def carriers():
    write("aras-gonderiler.csv",
          "KARGO_TAKIP_NO;MÖK;DURUM_KODU;DURUMU;TIP_KODU;ISLEM_TARIHI;TESLIM_TARIHI;ALICI\n"
          "3456789012;1455;2;Yolda;1;21.11.2026 17:00;;A*** Y***\n"
          "3456789013;1456;6;Teslim Edildi;1;22.11.2026 10:00;23.11.2026 13:40;C*** E***\n", encoding="utf-8-sig")
    # Aras's tracking query (GetQueryJSON) as saved: a top-level array, upper-case Turkish keys,
    # codes as numbers, the order number as the integration code; one delivered, one at the branch.
    write("aras-sorgu.json", json.dumps([
        {"KARGO_TAKIP_NO": "3453300001", "ENTEGRASYON_KODU": "209000001", "DURUM_KODU": 6, "DURUMU": "TESLİM EDİLDİ",
         "TIP_KODU": 1, "ISLEM_TARIHI": "24.11.2026 11:02:13", "TESLIM_TARIHI": "24.11.2026 11:02:13", "ALICI": "C*** Y***"},
        {"KARGO_TAKIP_NO": "3453300002", "ENTEGRASYON_KODU": "209000002", "DURUM_KODU": 1, "DURUMU": "ÇIKIŞ ŞUBESİNDE",
         "TIP_KODU": 1, "ISLEM_TARIHI": "24.11.2026 18:40:00"}], ensure_ascii=False))
    write("mng-durumlar.json", json.dumps([
        {"referenceId": "1455", "shipmentId": "MNG0001", "shipmentStatusCode": 4, "shipmentStatus": "Dağıtımda",
         "statusDateTime": "23-11-2026 09:03", "trackingUrl": "https://www.mngkargo.com.tr/gonderi-takip/?q=MNG0001", "isDelivered": False}],
        ensure_ascii=False))
    write("ptt-gonderi-sorgu.xml", """<?xml version="1.0" encoding="UTF-8"?>
<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>
  <ns2:gonderiSorgu2Response xmlns:ns2="http://kargo.ptt.gov.tr/"><return>
    <sonucKodu>0</sonucKodu><sonucAciklama>BASARILI</sonucAciklama><BARNO>KP0000000001</BARNO><reserve2>PTT-1001</reserve2>
    <IMERK>KADIKOY</IMERK><VMERK>SIVAS</VMERK><ALICI>H*** K***</ALICI><GR>1900</GR><ITARIH>21.11.2026</ITARIH>
    <safahatlar>
      <GonderiSafahat><ISLEM>KABUL EDILDI</ISLEM><IMERK>KADIKOY</IMERK><ITARIH>21.11.2026</ITARIH><ISAAT>16:20</ISAAT></GonderiSafahat>
      <GonderiSafahat><ISLEM>SEVK EDILDI</ISLEM><IMERK>ANKARA AKM</IMERK><ITARIH>22.11.2026</ITARIH><ISAAT>02:10</ISAAT></GonderiSafahat>
      <GonderiSafahat><ISLEM>TESLIM EDILDI</ISLEM><IMERK>SIVAS</IMERK><ITARIH>24.11.2026</ITARIH><ISAAT>11:45</ISAAT></GonderiSafahat>
    </safahatlar>
  </return></ns2:gonderiSorgu2Response>
</soap:Body></soap:Envelope>
""")

if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    trendyol_api()
    ciceksepeti()
    amazon_xml()
    ebay()
    woocommerce()
    magento()
    ptt_avm()
    n11_rest()
    hepsiburada_api()
    carriers()
